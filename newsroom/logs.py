"""Log lines written in batches: one request's line need not cost a system call and a wake-up
of whatever reads the server's output (journald, a container runtime, a pipe).

``BatchedStreamHandler`` keeps whole lines and writes them together: at once for a warning or
worse, else once they have waited ``FLUSH_SECONDS`` (checked at each line and by a small daemon
thread, for the last lines before a quiet spell), and when the process exits
(``logging.shutdown``). A process killed outright loses at most that last fraction of a
second of lines.

Each write holds whole lines and at most ``PIPE_BUF`` bytes, so that the workers sharing one
pipe never interleave within a line (the kernel keeps such writes whole). A forked worker
starts with nothing pending: the master's unwritten lines are the master's to write.
"""

import logging
import os
import select
import threading
import time
import weakref

FLUSH_SECONDS = 0.25


class BatchedStreamHandler(logging.StreamHandler):
    def __init__(self, stream=None, flush_seconds: float = FLUSH_SECONDS):
        super().__init__(stream)
        self.flush_seconds = flush_seconds
        try:
            self.descriptor = self.stream.fileno()
        except (AttributeError, OSError, ValueError):
            self.descriptor = None  # a stream in memory (tests' capture): written line by line
        self.pending = bytearray()
        self.pending_since: float | None = None
        self.flusher_pid: int | None = None
        self.closed = False
        # Weakly: a handler dropped (a reconfiguration, a test's) is not kept for the hook.
        forget = weakref.WeakMethod(self._forget_parents_lines)
        os.register_at_fork(after_in_child=lambda: (method := forget()) and method())

    def emit(self, record):
        if self.descriptor is None:
            super().emit(record)
            return
        try:
            line = (self.format(record) + self.terminator).encode("utf-8", "backslashreplace")
            with self.lock:
                if len(self.pending) + len(line) > select.PIPE_BUF:
                    self._write_pending()
                self.pending += line
                now = time.monotonic()
                if self.pending_since is None:
                    self.pending_since = now
                if (
                    record.levelno >= logging.WARNING
                    or now - self.pending_since >= self.flush_seconds
                ):
                    self._write_pending()
                self._ensure_flusher()
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)

    def flush(self):
        if self.descriptor is None:
            super().flush()
            return
        with self.lock:
            self._write_pending()

    def close(self):
        try:
            self.flush()
        finally:
            self.closed = True
            super().close()

    def _write_pending(self):
        data, self.pending_since = bytes(self.pending), None
        self.pending.clear()
        while data:
            data = data[os.write(self.descriptor, data) :]

    def _forget_parents_lines(self):
        self.pending.clear()
        self.pending_since = None

    def _ensure_flusher(self):
        """One flusher thread per process (threads do not survive a worker's fork)."""
        pid = os.getpid()
        if self.flusher_pid == pid:
            return
        self.flusher_pid = pid
        threading.Thread(target=self._flush_now_and_then, name="log-flusher", daemon=True).start()

    def _flush_now_and_then(self):
        while not self.closed:
            time.sleep(self.flush_seconds)
            if self.pending_since is not None:
                try:
                    self.flush()
                except OSError:
                    pass  # a reader gone or full: the next line or the exit tries again
