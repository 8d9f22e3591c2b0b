"""Restores and shared caches, lockouts per account and address."""

import pytest
from django.core.management import call_command
from django.test import Client

from pagecache.backends import cache_settings, namespace_for
from pagecache.middleware import CACHE_STATUS_HEADER
from tests.conftest import SHARED_REDIS
from tests.factories import make_release

pytestmark = pytest.mark.django_db


def test_invalidate_caches_makes_every_stored_page_stale(client, cache_backend):
    make_release(headline="Restored")
    client.get("/en/releases/")
    assert client.get("/en/releases/")[CACHE_STATUS_HEADER] == "hit"
    call_command("invalidate_caches", verbosity=0)
    assert client.get("/en/releases/")[CACHE_STATUS_HEADER] == "miss"


def test_junk_parameters_never_make_a_new_cache_key(client, cache_backend):
    make_release(headline="Flooded")
    client.get("/en/releases/")
    for n in range(50):
        response = client.get(f"/en/releases/?utm_campaign={n}")
        assert response[CACHE_STATUS_HEADER] == "hit"


def test_two_deployments_sharing_a_cache_get_different_namespaces():
    one = namespace_for({"NAME": "newsroom", "HOST": "db1"}, "https://news.example.org")
    two = namespace_for({"NAME": "newsroom", "HOST": "db2"}, "https://news.example.org")
    assert one != two
    redis = cache_settings("redis://127.0.0.1:6379/1", namespace=one)
    assert redis["KEY_PREFIX"] == one
    assert redis["OPTIONS"]["SOCKET_TIMEOUT"] == redis["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] == 0.2


def sign_in(username, password):
    return Client(REMOTE_ADDR="10.0.0.1").post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    )


def test_wrong_passwords_for_one_account_never_lock_out_another(settings):
    from django.contrib.auth.models import User

    User.objects.create_superuser("boss", password="right-horse-battery")
    User.objects.create_user("author", password="another-long-password", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("author", "wrong")
    locked = sign_in("author", "another-long-password")
    assert locked.status_code == 429
    assert "blocked for 30 minutes, until" in locked.text
    assert sign_in("boss", "right-horse-battery").status_code == 302


def test_a_superuser_lifts_a_lockout_from_the_admin_and_other_staff_never_see_the_section(
    settings,
):
    from axes.models import AccessAttempt
    from django.contrib.auth.models import Permission, User

    boss = User.objects.create_superuser("boss", password="right-horse-battery")
    author = User.objects.create_user("author", password="another-long-password", is_staff=True)
    # Even every permission on the sign-in records does not show them to an editor.
    author.user_permissions.set(Permission.objects.filter(content_type__app_label="axes"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("author", "wrong")
    assert sign_in("author", "another-long-password").status_code == 429

    superuser = Client()
    superuser.force_login(boss)
    assert "Sign-in attempts" in superuser.get("/admin/").text
    attempt = AccessAttempt.objects.get(username="author")
    listed = superuser.get("/admin/axes/accessattempt/")
    assert f"/admin/axes/accessattempt/{attempt.pk}/change/" in listed.text
    deleted = superuser.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert sign_in("author", "another-long-password").status_code == 302

    editor = Client()
    editor.force_login(author)
    assert "Sign-in attempts" not in editor.get("/admin/").text
    assert editor.get("/admin/axes/accessattempt/").status_code == 403


@SHARED_REDIS
@pytest.mark.parametrize("value", [b"\x80\x04not a pickle", "old-format"])
def test_a_value_written_by_an_earlier_version_is_a_miss_not_an_error(
    client, settings, monkeypatch, value
):
    """After an upgrade Redis still holds values in the old form: pages are built again."""
    import pickle

    from django.core.cache import cache
    from django.test import RequestFactory

    from pagecache import caching
    from pagecache.middleware import page_key
    from tests.conftest import TEST_REDIS_URL, redis_answers

    if not redis_answers(TEST_REDIS_URL):
        pytest.skip(f"needs Redis at {TEST_REDIS_URL}")
    settings.CACHES = {"default": cache_settings(TEST_REDIS_URL)}
    settings.RECENT_CACHE_BYTES = 0  # every read from Redis
    cache.clear()
    make_release(headline="Still readable")
    client.get("/en/releases/")
    if value == "old-format":  # an entry as the single-generation cache wrote it
        with monkeypatch.context() as old:
            old.setattr(caching.Entry, "__getstate__", lambda entry: ("g", 1e12, {"x": 1}))
            value = pickle.dumps(caching.Entry({}, 0, 0, None))
    raw = cache.client.get_client(write=True)
    raw.set(cache.make_key(page_key(RequestFactory().get("/en/releases/"))), value)
    response = client.get("/en/releases/")
    assert response.status_code == 200 and "Still readable" in response.text
    cache.clear()
