"""A deadline on every wait for PostgreSQL in the web server.

PostgreSQL's statement timeout cuts a statement the server is running; it cannot help when
the server never sees the statement (a partition, a frozen host, a stalled proxy), and TCP
keepalives cannot either while something on the path still acknowledges. So the web server
waits for each reply itself, at most ``statement timeout + REPLY_MARGIN``, and for a new
connection at most the connect timeout (libpq ignores its own ``connect_timeout`` once a wait
callback is installed).

psycopg2 calls the wait callback whenever a call would block (it then runs the connection in
non-blocking mode). When the callback raises, psycopg2 closes the connection and the error
reaches Django as an OperationalError: the request answers 503 (newsroom.middleware), the
broken connection is dropped at the request's end, and the next request opens a fresh one."""

import select
import time

import psycopg2
from psycopg2 import extensions

# Beyond the statement timeout: a statement the server cuts itself (a lock waited on too
# long) comes back as an ordinary error first and the connection stays usable.
REPLY_MARGIN = 1.0


class DatabaseDidNotAnswer(psycopg2.OperationalError):
    """PostgreSQL sent nothing back before the deadline."""


def deadline_wait(reply_seconds: float, connect_seconds: float):
    """A psycopg2 wait callback that gives up after ``reply_seconds`` on an open connection and
    ``connect_seconds`` on one being opened."""

    def wait(connection, cursor=None):
        connecting = connection.status == extensions.STATUS_SETUP
        allowed = connect_seconds if connecting else reply_seconds
        deadline = time.monotonic() + allowed
        while True:
            state = connection.poll()
            if state == extensions.POLL_OK:
                return
            remaining = deadline - time.monotonic()
            if remaining > 0:
                fileno = connection.fileno()
                if state == extensions.POLL_READ:
                    ready = select.select([fileno], [], [], remaining)[0]
                elif state == extensions.POLL_WRITE:
                    ready = select.select([], [fileno], [], remaining)[1]
                else:
                    raise psycopg2.OperationalError(f"unexpected poll state {state}")
                if ready:
                    continue
            what = "connect" if connecting else "reply"
            raise DatabaseDidNotAnswer(f"the database did not {what} within {allowed:g} s")

    return wait


def install(settings) -> None:
    """Bound every wait of this process for PostgreSQL. Without a statement timeout (management
    commands, migrations: they may run long) psycopg2 is left blocking as it is."""
    database = settings.DATABASES["default"]
    statement_timeout_ms = settings.DATABASE_STATEMENT_TIMEOUT
    if database["ENGINE"] != "django.db.backends.postgresql" or statement_timeout_ms <= 0:
        return
    connect_seconds = database.get("OPTIONS", {}).get("connect_timeout", 2)
    extensions.set_wait_callback(
        deadline_wait(statement_timeout_ms / 1000 + REPLY_MARGIN, connect_seconds)
    )
