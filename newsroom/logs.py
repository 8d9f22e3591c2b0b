"""Log lines written in batches: one request's line need not cost a system call and a wake-up
of whatever reads the server's output (journald, a container runtime, a pipe).

``BatchedStreamHandler`` writes lines into the stream's buffer and flushes it when a warning
or worse arrives, when the buffer has waited ``FLUSH_SECONDS`` (checked at each line and by a
small daemon thread for the last lines before a quiet spell), and when the process exits
(``logging.shutdown``). A process killed outright loses at most that last fraction of a second
of lines.
"""

import logging
import os
import threading
import time

FLUSH_SECONDS = 0.25


def block_buffered(stream):
    """``stream`` (stderr is line-buffered: each line would be written at once) over a buffer of
    its own, when it has a file descriptor."""
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return stream
    # Kept open with the process, as stderr is.
    return open(
        descriptor,
        "w",
        buffering=1 << 16,
        encoding="utf-8",
        errors="backslashreplace",
        closefd=False,
    )


class BatchedStreamHandler(logging.StreamHandler):
    def __init__(self, stream=None, flush_seconds: float = FLUSH_SECONDS):
        super().__init__(stream)
        self.stream = block_buffered(self.stream)
        self.flush_seconds = flush_seconds
        self.pending_since: float | None = None
        self.flusher: threading.Thread | None = None
        self.flusher_pid: int | None = None

    def emit(self, record):
        try:
            line = self.format(record) + self.terminator
            with self.lock:
                self.stream.write(line)
                now = time.monotonic()
                if self.pending_since is None:
                    self.pending_since = now
                if (
                    record.levelno >= logging.WARNING
                    or now - self.pending_since >= self.flush_seconds
                ):
                    self._flush_locked()
            self._ensure_flusher()
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)

    def flush(self):
        with self.lock:
            self._flush_locked()

    def _flush_locked(self):
        self.pending_since = None
        if self.stream and hasattr(self.stream, "flush"):
            self.stream.flush()

    def _ensure_flusher(self):
        """One flusher thread per process (threads do not survive a worker's fork)."""
        pid = os.getpid()
        if self.flusher_pid == pid:
            return
        self.flusher_pid = pid
        self.flusher = threading.Thread(
            target=self._flush_now_and_then, name="log-flusher", daemon=True
        )
        self.flusher.start()

    def _flush_now_and_then(self):
        while True:
            time.sleep(self.flush_seconds)
            if self.pending_since is not None:
                self.flush()
