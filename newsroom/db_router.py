"""Reads of anonymous visitors go to the read replica (DATABASE_REPLICA_URL); the admin, staff,
writes and migrations use the primary. Without a replica configured nothing changes."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_public_reads: ContextVar[bool] = ContextVar("public_reads", default=False)


@contextmanager
def public_reads():
    """Within this block, reads may be served by the replica."""
    token = _public_reads.set(True)
    try:
        yield
    finally:
        _public_reads.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _public_reads.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaReadsMiddleware:
    """A GET or HEAD from a visitor without a session is a public read: a replica a moment
    behind is fine for it. Staff (who carry a session cookie) read their own writes.

    Except just after a change: a page rendered then from a lagging replica would be cached
    under the new generation and could show a withdrawn release for the cache's lifetime. For
    ``REPLICA_LAG_ALLOWANCE`` seconds after any change, public reads use the primary too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
        if request.method in ("GET", "HEAD") and anonymous and self.replica_caught_up():
            with public_reads():
                return self.get_response(request)
        return self.get_response(request)

    @staticmethod
    def replica_caught_up() -> bool:
        from pagecache.caching import seconds_since_last_change

        if REPLICA not in settings.DATABASES:
            return True
        allowance = getattr(settings, "REPLICA_LAG_ALLOWANCE", 10)
        return seconds_since_last_change() > allowance
