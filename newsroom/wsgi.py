"""WSGI entry point, used by gunicorn: `gunicorn newsroom.wsgi`."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from newsroom import db_deadline
from pagecache.codeversion import code_version
from pagecache.wsgi import StoredPageApplication

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

# Stored public pages are answered before Django's request handling (pagecache/wsgi.py).
application = StoredPageApplication(get_wsgi_application())
# The settings let commands that sign nothing run without a secret key; the site does not start
# without one. Reading it is the check: Django raises ImproperlyConfigured for an empty key.
settings.SECRET_KEY  # noqa: B018
# Only the web server waits on PostgreSQL against a deadline (management commands may run long).
db_deadline.install(settings)
# The version of the code this server runs, worked out now, from the files it has just loaded
# (gunicorn's master preloads this module, so every worker inherits it): not at a first request
# that may come after the files on disk were replaced by the next release's.
code_version()
