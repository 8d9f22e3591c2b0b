"""gunicorn settings for production: `gunicorn -c newsroom/gunicorn.conf.py newsroom.wsgi`.

Every value can be changed from the environment; the defaults suit one small machine."""

import logging
import multiprocessing
import os

# Read by the settings, which the preloaded application imports after this file: a statement
# of a web request that runs longer than this (milliseconds) is cut and the page answers 503,
# so a stalled database costs each request at most this long (management commands: no limit).
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "5000")

bind = os.environ.get(
    "GUNICORN_BIND", f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
)
# One process per core, each with a few threads: pages wait on PostgreSQL and Redis part of the
# time, and threads hold idle keep-alive connections without holding a process. `make bench`
# measures exactly these settings.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# gthread workers keep heart-beating while a thread is stuck, so this replaces a worker only
# when it stops answering altogether (its main loop blocked); a request stuck on a socket is
# bounded by the database and cache timeouts instead (DATABASE_STATEMENT_TIMEOUT, with the
# web server's own deadline on each reply, newsroom/db_deadline.py; DATABASE_CONNECT_TIMEOUT,
# CACHE_TIMEOUT: docs/deployment.md).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Each worker listens on a socket of its own and the kernel shares new connections out among
# them. On one shared socket, whichever worker is idle at that instant accepts: a burst of
# keep-alive connections (a load balancer's, a spike of readers) can all land on one worker,
# which then serves them alone, one core's worth, while the other cores wait.
# (A unix socket file cannot be shared that way: each worker would replace the last one's.)
reuse_port = os.environ.get("GUNICORN_REUSE_PORT", "1").lower() in {"1", "true", "yes", "on"}
reuse_port = reuse_port and not bind.startswith("unix:")


class NameTheListeners(logging.Filter):
    """With ``reuse_port`` the master opens no socket (each worker opens its own), so gunicorn's
    "Listening at:" line would name no address: it names the configured ones instead."""

    def __init__(self, addresses):
        super().__init__()
        self.addresses = ",".join(address_label(address) for address in addresses)

    def filter(self, record):
        if str(record.msg).startswith("Listening at:") and record.args and not record.args[0]:
            record.args = (self.addresses, *record.args[1:])
        return True


def address_label(address) -> str:
    """An address as gunicorn's own sockets print themselves."""
    if isinstance(address, int):
        return f"fd://{address}"
    if isinstance(address, str | bytes):
        return f"unix:{address.decode() if isinstance(address, bytes) else address}"
    host, port = address
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def on_starting(server):
    if reuse_port:
        server.log.error_log.addFilter(NameTheListeners(server.cfg.address))


# The application is imported once, in the master, before the workers fork: a worker starts
# (or is replaced) in milliseconds instead of importing Django again, and the workers share
# the imported code's memory. Nothing opens a connection at import time.
preload_app = True
# Workers are not recycled after a number of requests (memory stays flat: the caches a worker
# holds are bounded). With a socket per worker, a worker that exits drops the connections
# still queued for it unless the kernel moves them to another (net.ipv4.tcp_migrate_req=1,
# docs/deployment.md); recycling every 100,000 requests dropped a few at every recycle.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Proxies allowed to set X-Forwarded-Proto (the load balancer's addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The app writes one JSON line per request itself (newsroom.middleware); gunicorn's own errors
# go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No control socket: several servers on one machine would fight over its default path.
control_socket_disable = True
limit_request_line = 8190
limit_request_fields = 100
