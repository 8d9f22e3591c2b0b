"""Log lines go out in batches, never lost: each request's line costs no system call of its own."""

import json
import logging
import os
import subprocess
import sys
import time
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
