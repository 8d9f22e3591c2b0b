"""Where a ``filemail:`` EMAIL_URL writes its emails: the folder as written, as a ``file:`` URL
names one, a relative folder under the project."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsroom.settings import BASE_DIR, email_file_path

PROJECT = Path("/srv/newsroom")


@pytest.mark.parametrize(
    "email_url, folder",
    [
        ("filemail:///tmp/walk/mail", Path("/tmp/walk/mail")),
        ("filemail:////tmp/walk/mail", Path("/tmp/walk/mail")),
        ("filemail://localhost/tmp/walk/mail", Path("/tmp/walk/mail")),
        ("filemail:sent-emails", PROJECT / "sent-emails"),
        ("filemail:var/mail", PROJECT / "var/mail"),
        ("filemail://", PROJECT / "sent-emails"),
        ("smtp://localhost:25", PROJECT / "sent-emails"),
    ],
)
def test_an_absolute_folder_stays_absolute_and_a_relative_one_is_under_the_project(
    email_url, folder
):
    assert email_file_path(email_url, PROJECT) == folder


def settings_value(name: str, tmp_path: Path, **environment) -> str:
    """A setting as the project's own settings make it, in a fresh process, from
    ``environment`` alone (no .env)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "EMAIL_URL")}
    env |= {"DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    env |= {"NEWSROOM_ENV_FILE": str(tmp_path / "no.env")} | environment
    code = f"from django.conf import settings; print(settings.{name})"
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_the_settings_write_emails_where_email_url_says(tmp_path):
    folder = tmp_path / "walk" / "mail"
    written = settings_value("EMAIL_FILE_PATH", tmp_path, EMAIL_URL=f"filemail://{folder}")
    assert written == str(folder)
    default = settings_value("EMAIL_FILE_PATH", tmp_path, DEBUG="1")
    assert default == str(BASE_DIR / "sent-emails")
