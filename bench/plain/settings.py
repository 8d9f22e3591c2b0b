"""The plain Django reference site of ``make bench``: what ``startproject`` writes, one app.

The same middleware, templates and defaults as ``django-admin startproject`` (Django 5.2), with
only what running it needs: DEBUG off, the hosts, PostgreSQL from ``PLAIN_DATABASE_URL`` (SQLite
in memory without it, for the tests), and the site's own persistent database connections, so
that neither site pays a new connection per request and the comparison measures the pages.
"""

import os

import environ

SECRET_KEY = os.environ.get("SECRET_KEY", "plain-bench-only-not-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "bench.plain.items",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "bench.plain.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "bench.plain.wsgi.application"

DATABASES = {
    "default": environ.Env.db_url_config(os.environ.get("PLAIN_DATABASE_URL", "sqlite://:memory:"))
}
# As the site's settings (newsroom/settings.py): one connection per thread, kept a minute.
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
