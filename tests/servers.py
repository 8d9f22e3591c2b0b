"""The production server in tests: gunicorn with production settings on 127.0.0.1, started
the way `make serve` starts it, and a plain HTTP client that times each answer."""

import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, body, header = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, body, header = error.code, error.read(), error.headers
    return status, body, header, time.monotonic() - started


def production_env(port: int, **overrides: str) -> dict[str, str]:
    """The environment of gunicorn with production settings on 127.0.0.1:``port``."""
    inherited = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return inherited | {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "SECURE": "0",  # plain HTTP on 127.0.0.1
        "HOST": "127.0.0.1",
        "PORT": str(port),
        **overrides,
    }


def start_gunicorn(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    with open(log_path, "w") as log:
        return subprocess.Popen(
            [str(GUNICORN), "-c", "newsroom/gunicorn.conf.py", "newsroom.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def serve(env: dict[str, str], log_path: Path) -> tuple[subprocess.Popen, str]:
    """Collect the static files, start gunicorn and wait until ``/healthz`` answers: the
    process and the server's base address."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    process = start_gunicorn(env, log_path)
    base = f"http://127.0.0.1:{env['PORT']}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if get(base + "/healthz")[0] == 200:
                return process, base
        except OSError:
            time.sleep(0.2)
    process.terminate()
    pytest.fail("gunicorn did not start: " + log_path.read_text())
