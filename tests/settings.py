"""Test settings: the project's settings with a fixed key, a fast hasher and plain static files."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
# Off, as production: and so a quick start's .env cannot decide it (settings refuse DEBUG=1
# from .env alone).
os.environ.setdefault("DEBUG", "0")
# The test client speaks plain HTTP (tests/test_security.py checks the HTTPS defaults).
os.environ.setdefault("SECURE", "0")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

from newsroom.settings import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each change on Redis waits out this trust: shorter, so that the suite's many changes stay
# quick (tests/test_wsgi_fast_path.py checks the rule, whatever the length).
PAGE_CACHE_EPOCH_TRUST = 0.005
SITE_URL = "https://news.example.org"
# A second alias on the same database, as a read replica would be; the router is switched on
# only by the tests that exercise it.
DATABASES["replica"] = DATABASES["default"] | {"TEST": {"MIRROR": "default"}}  # noqa: F405
# The RQ queue of the tests that run production's task queue (test_alerts_worker.py).
RQ_QUEUES = {"default": {"URL": os.environ.get("TEST_RQ_URL", "redis://127.0.0.1:6379/11")}}
