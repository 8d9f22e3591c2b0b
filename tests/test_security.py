"""Security: response headers, production settings, and the admin's defences."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from releases.models import Release, Status
from tests.factories import make_release, release_admin_form

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery staple"


def production_environment(**extra) -> dict:
    """The environment of a production start: HTTPS behind a proxy, DEBUG off, a long key."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE", "DEBUG", "PYTEST"))
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "SECURE": "1",
        "SECURE_PROXY_SSL_HEADER": "1",
        "ALLOWED_HOSTS": "news.example.org",
        "SITE_URL": "https://news.example.org",
        **extra,
    }


@pytest.fixture(scope="module")
def production_settings():
    """The settings a production start computes, read in a fresh interpreter."""
    names = [
        "DEBUG",
        "SESSION_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "SESSION_COOKIE_AGE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "CSRF_COOKIE_NAME",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
        "PASSWORD_HASHERS",
        "CONTENT_SECURITY_POLICY",
    ]
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_public_pages_carry_the_security_headers(client):
    response = client.get("/en/")
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";") if part.strip()
    )
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["default-src"] == "'none'"
    assert directives["style-src"] == "'self'" and directives["img-src"] == "'self' data:"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_health_endpoints_carry_the_headers_too(client):
    assert client.get("/healthz")["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in client.get("/readyz")["Content-Security-Policy"]


def test_deploy_check_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def bare_environment(**settings) -> dict:
    """The environment with none of the project's settings, plus ``settings``."""
    ours = ("DJANGO_", "SECURE", "DEBUG", "PYTEST", "SITE_URL", "ALLOWED_HOSTS", "CSRF_")
    kept = {key: value for key, value in os.environ.items() if not key.startswith(ours)}
    return kept | {"DJANGO_SETTINGS_MODULE": "newsroom.settings", **settings}


def test_deploy_check_is_clean_with_only_debug_off_a_key_and_hosts():
    """Secure by default: HSTS, the HTTPS redirect and secure cookies need no SECURE=1."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=bare_environment(
            DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="news.example.org"
        ),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def settings_of(env: dict, *names: str) -> dict:
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


HTTPS_SETTINGS = ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE")


def test_https_is_on_with_debug_off_and_off_only_when_secure_0_says_so():
    key = secrets.token_urlsafe(50)
    production = settings_of(bare_environment(DEBUG="0", SECRET_KEY=key), *HTTPS_SETTINGS)
    assert production == dict.fromkeys(HTTPS_SETTINGS, True)
    plain_http = settings_of(
        bare_environment(DEBUG="0", SECRET_KEY=key, SECURE="0"), *HTTPS_SETTINGS
    )
    assert plain_http == dict.fromkeys(HTTPS_SETTINGS, False)
    development = settings_of(bare_environment(DEBUG="1", SECRET_KEY=key), "DEBUG", "SECURE")
    assert development == {"DEBUG": True, "SECURE": False}


def test_debug_in_a_dotenv_alone_is_refused_and_the_environment_wins(tmp_path):
    """A quick start's .env never gives a production start Django's debug pages."""
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"DEBUG=1\nSECRET_KEY={secrets.token_urlsafe(50)}\n")
    refused = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=bare_environment(NEWSROOM_ENV_FILE=str(dotenv)),
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0
    assert "DEBUG is on only in .env" in refused.stderr
    command = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=ROOT,
        env=bare_environment(NEWSROOM_ENV_FILE=str(dotenv)),
        capture_output=True,
        text=True,
    )
    assert command.returncode != 0 and "DEBUG is on only in .env" in command.stderr
    production = settings_of(bare_environment(NEWSROOM_ENV_FILE=str(dotenv), DEBUG="0"), "DEBUG")
    assert production == {"DEBUG": False}
    development = settings_of(bare_environment(NEWSROOM_ENV_FILE=str(dotenv), DEBUG="1"), "DEBUG")
    assert development == {"DEBUG": True}


def test_deploy_check_complains_about_the_quick_start_settings():
    """The test above would pass vacuously if --deploy checked nothing."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(SECURE="0", DEBUG="1", SECRET_KEY="short"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS


def test_production_cookies_are_host_prefixed_secure_httponly_and_samesite(production_settings):
    assert production_settings["DEBUG"] is False
    assert production_settings["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert production_settings["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True
    assert production_settings["SESSION_COOKIE_HTTPONLY"] is True
    assert production_settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert production_settings["SECURE_HSTS_SECONDS"] >= 31536000
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")
    assert production_settings["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["upgrade-insecure-requests"]


def test_production_login_sets_a_host_prefixed_secure_session_cookie(production_settings):
    User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    cookie_settings = {
        name: production_settings[name]
        for name in production_settings
        if name.startswith(("SESSION_", "CSRF_COOKIE_"))
    }
    with override_settings(**cookie_settings, SECURE_PROXY_SSL_HEADER=None):
        client = Client()
        response = client.post(
            reverse("admin:login"),
            {"username": "editor", "password": PASSWORD},
            secure=True,
            REMOTE_ADDR="192.0.2.10",
        )
        assert response.status_code == 302
        cookie = response.cookies["__Host-sessionid"]
        assert cookie["secure"] and cookie["httponly"]
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/" and not cookie["domain"]  # what __Host- requires


def test_quick_start_over_http_keeps_plain_cookies_and_no_https_redirect(client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


def test_passwords_are_hashed_with_argon2_in_production(production_settings):
    with override_settings(PASSWORD_HASHERS=production_settings["PASSWORD_HASHERS"]):
        user = User.objects.create_user("author", password=PASSWORD)
        assert user.password.startswith("argon2$")
        assert user.check_password(PASSWORD)


def test_weak_passwords_are_refused():
    for weak in ["password1234", "12345678901234", "short"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password(PASSWORD)


# --- Login throttling ---------------------------------------------------------------------


def _sign_in(client, password, **headers):
    return client.post(
        reverse("admin:login"), {"username": "editor", "password": password}, **headers
    )


@pytest.fixture
def editor():
    return User.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def test_repeated_failed_sign_ins_lock_the_address_out_even_with_the_right_password(
    client, editor, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "wrong", REMOTE_ADDR="192.0.2.1").status_code == 200
    locked = _sign_in(client, "wrong", REMOTE_ADDR="192.0.2.1")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.text
    assert _sign_in(client, PASSWORD, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not locked out.
    assert _sign_in(Client(), PASSWORD, REMOTE_ADDR="192.0.2.2").status_code == 302


def test_behind_a_proxy_the_lockout_follows_the_forwarded_client_not_the_proxy(
    client, editor, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The attacker rotates a spoofed left-most entry; the proxy's own entry is the truth.
        spoofed = f"198.51.100.{n}, 203.0.113.7"
        _sign_in(client, "wrong", HTTP_X_FORWARDED_FOR=spoofed, **proxy)
    attacker = _sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert attacker.status_code == 429
    colleague = _sign_in(Client(), PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy)
    assert colleague.status_code == 302


# --- Sessions -------------------------------------------------------------------------------


def test_signing_in_rotates_the_session_key(client, editor):
    session = client.session
    session["visited"] = True
    session.save()
    client.cookies["sessionid"] = session.session_key
    before = session.session_key
    assert _sign_in(client, PASSWORD, REMOTE_ADDR="192.0.2.3").status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert client.session["_auth_user_id"] == str(editor.pk)
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=before).exists()


def test_staff_sessions_expire_within_a_working_day_and_at_browser_close(client, editor):
    _sign_in(client, PASSWORD, REMOTE_ADDR="192.0.2.4")
    assert client.session.get_expire_at_browser_close()
    assert 0 < client.session.get_expiry_age() <= 8 * 60 * 60


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"],
)
def test_sign_in_never_redirects_to_another_site(client, editor, next_url):
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": PASSWORD, "next": next_url},
        REMOTE_ADDR="192.0.2.5",
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_sign_in_follows_a_next_address_on_this_site(client, editor):
    target = reverse("admin:releases_release_changelist")
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": PASSWORD, "next": target},
        REMOTE_ADDR="192.0.2.6",
    )
    assert response.url == target


def test_admin_url_is_configurable():
    from newsroom import settings as project_settings

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.urls import reverse; "
            "print(reverse('admin:index'))",
        ],
        cwd=ROOT,
        env=production_environment(ADMIN_URL="back-office-7f3a/"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "/back-office-7f3a/"
    assert project_settings.ADMIN_URL == "admin/"


# --- Forged requests ----------------------------------------------------------------------


def test_an_anonymous_post_to_the_admin_changes_nothing(client):
    release = make_release(headline="Original")
    url = reverse("admin:releases_release_change", args=[release.pk])
    response = client.post(
        url, release_admin_form(release, headline="Defaced", body="<p>Defaced.</p>")
    )
    assert response.status_code == 302 and reverse("admin:login") in response.url
    release.refresh_from_db()
    assert release.headline == "Original"


def test_a_cross_site_post_without_the_csrf_token_is_refused(editor):
    release = make_release(headline="Original")
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url = reverse("admin:releases_release_change", args=[release.pk])
    response = client.post(
        url, release_admin_form(release, headline="Defaced", body="<p>Defaced.</p>")
    )
    assert response.status_code == 403
    assert "The form could not be sent" in response.text
    release.refresh_from_db()
    assert release.headline == "Original"


@pytest.fixture
def author_client(client):
    """A communications officer who may add and change releases, not delete or publish."""
    author = User.objects.create_user("author", password=PASSWORD, is_staff=True)
    author.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="releases", codename__in=["view_release", "add_release"]
        )
    )
    client.force_login(author)
    return client


def test_an_author_cannot_change_or_delete_by_a_forged_post(author_client):
    release = make_release(headline="Original")
    change = reverse("admin:releases_release_change", args=[release.pk])
    delete = reverse("admin:releases_release_delete", args=[release.pk])
    assert (
        author_client.post(
            change, release_admin_form(release, headline="Defaced", body="<p>Defaced.</p>")
        ).status_code
        == 403
    )
    assert author_client.post(delete, {"post": "yes"}).status_code == 403
    release.refresh_from_db()
    assert release.headline == "Original"


def test_an_author_cannot_publish_with_a_forged_action_post(author_client):
    draft = make_release(published=False)
    response = author_client.post(
        reverse("admin:releases_release_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )
    assert response.status_code in (200, 302, 403)
    draft.refresh_from_db()
    assert draft.status != Status.PUBLISHED


def test_a_posted_status_is_ignored_by_the_change_form(client, editor):
    client.force_login(editor)
    draft = make_release(published=False, headline="Draft")
    url = reverse("admin:releases_release_change", args=[draft.pk])
    response = client.post(url, release_admin_form(draft, status=Status.PUBLISHED))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status != Status.PUBLISHED
    assert not Release.objects.published().filter(pk=draft.pk).exists()


def test_admin_scripts_stay_strict_and_only_admin_styles_may_be_inline(client, editor):
    client.force_login(editor)
    csp = client.get(reverse("admin:releases_release_add"))["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
    assert "'unsafe-inline'" not in directives["script-src"]
    assert any(source.startswith("'nonce-") for source in directives["script-src"])
    assert "'unsafe-inline'" in directives["style-src"]
    public = client.get("/en/")["Content-Security-Policy"]
    assert "nonce-" not in public and "unsafe-inline" not in public


def without_a_key() -> dict:
    environment = bare_environment(NEWSROOM_ENV_FILE="/nonexistent/.env")
    environment.pop("SECRET_KEY", None)
    return environment


def test_a_fresh_checkout_checks_its_migrations_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=without_a_key(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_the_web_server_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", "import newsroom.wsgi"],
        cwd=ROOT,
        env=without_a_key(),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "The SECRET_KEY setting must not be empty" in result.stderr
