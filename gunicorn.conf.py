"""gunicorn settings for production (docs/deployment.md); `make bench` measures these.

Two processes per two cores, each with a few threads: pages wait on PostgreSQL and Redis part of
the time, and threads keep idle keep-alive connections without holding a process."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 5
timeout = 30
graceful_timeout = 20
