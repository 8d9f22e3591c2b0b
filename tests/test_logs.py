"""Log lines go out in batches, never lost: each request's line costs no system call of its own."""

import gc
import json
import logging
import os
import subprocess
import sys
import time
import weakref
from pathlib import Path

import pytest

from newsroom.logs import BatchedStreamHandler

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def pipe_logger():
    """A logger whose handler writes into a pipe, and what the pipe has received so far."""
    read_end, write_end = os.pipe()
    os.set_blocking(read_end, False)
    stream = os.fdopen(write_end, "w")
    handler = BatchedStreamHandler(stream, flush_seconds=1.0)
    logger = logging.getLogger("tests.batched")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    received = bytearray()

    def arrived() -> list[str]:
        while True:
            try:
                chunk = os.read(read_end, 1 << 16)
            except BlockingIOError:
                break
            if not chunk:
                break
            received.extend(chunk)
        return received.decode().splitlines()

    yield logger, arrived
    logger.removeHandler(handler)
    handler.close()
    stream.close()
    os.close(read_end)


def wait_for(arrived, count: int, seconds: float = 5.0) -> list[str]:
    deadline = time.monotonic() + seconds
    while len(lines := arrived()) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return lines


def test_info_lines_are_written_together_a_moment_later(pipe_logger):
    logger, arrived = pipe_logger
    for number in range(50):
        logger.info("request %d", number)
    assert arrived() == []  # nothing written yet: no write per line
    lines = wait_for(arrived, 50)
    assert lines == [f"request {number}" for number in range(50)]


def test_lines_left_before_a_quiet_spell_are_written_without_another_line(pipe_logger):
    logger, arrived = pipe_logger
    logger.info("the last request before the quiet")
    started = time.monotonic()
    assert wait_for(arrived, 1) == ["the last request before the quiet"]
    assert time.monotonic() - started < 3


def test_a_warning_is_written_at_once_with_every_line_before_it(pipe_logger):
    logger, arrived = pipe_logger
    logger.info("request")
    logger.warning("the database stalls")
    assert arrived() == ["request", "the database stalls"]


def test_a_process_that_exits_writes_its_last_lines():
    """Django's logging setup, one request line, and an exit at once: the line is out."""
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('newsroom.request').info('request', extra={'status': 200})"
    )
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "SECRET_KEY": "test-only",
        "LOG_LEVEL": "INFO",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert [(line["logger"], line["status"]) for line in lines] == [("newsroom.request", 200)]


def read_all(read_end: int, slowly: bool = False) -> bytes:
    os.set_blocking(read_end, True)
    received = bytearray()
    while chunk := os.read(read_end, 512 if slowly else 1 << 16):
        received.extend(chunk)
        if slowly:
            time.sleep(0.0005)
    return bytes(received)


def in_child(work) -> int:
    pid = os.fork()
    if pid == 0:  # the child: work, then leave without the parent's exit handlers
        try:
            work()
        finally:
            os._exit(0)
    return pid


def test_workers_sharing_one_pipe_never_mix_their_lines():
    """Two processes write many lines into one pipe whose reader is slow: every line whole."""
    read_end, write_end = os.pipe()

    def worker(name: str):
        handler = BatchedStreamHandler(os.fdopen(write_end, "w", closefd=False))
        for number in range(3000):
            record = logging.LogRecord(name, logging.INFO, __file__, 1, "x" * 150, None, None)
            record.msg = f"{name} {number} " + "x" * 150
            handler.emit(record)
        handler.flush()

    children = [in_child(lambda name=name: worker(name)) for name in ("first", "second")]
    os.close(write_end)
    lines = read_all(read_end, slowly=True).decode().splitlines()
    for pid in children:
        os.waitpid(pid, 0)
    os.close(read_end)
    assert len(lines) == 6000
    for line in lines:
        name, number, rest = line.split(" ")
        assert name in {"first", "second"} and number.isdigit() and rest == "x" * 150, line


def test_a_forked_worker_does_not_write_its_masters_pending_lines_again():
    read_end, write_end = os.pipe()
    handler = BatchedStreamHandler(os.fdopen(write_end, "w", closefd=False), flush_seconds=60)
    logger = logging.getLogger("tests.forked")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logger.info("the master starts")
        child = in_child(lambda: (logger.info("a worker starts"), handler.flush()))
        os.waitpid(child, 0)
        handler.flush()
    finally:
        logger.removeHandler(handler)
        handler.close()
    os.close(write_end)
    lines = read_all(read_end).decode().splitlines()
    os.close(read_end)
    assert sorted(lines) == ["a worker starts", "the master starts"]


def test_a_handler_dropped_is_not_kept_alive_by_its_fork_hook():
    """A reconfigured logging setup (or a test) drops its handlers: the hook that clears a forked
    worker's lines must not keep each of them, and its stream, for the process's life."""
    read_end, write_end = os.pipe()
    stream = os.fdopen(write_end, "w")
    handler = BatchedStreamHandler(stream)
    handler.close()
    dropped = weakref.ref(handler)
    del handler
    gc.collect()
    stream.close()
    os.close(read_end)
    assert dropped() is None
