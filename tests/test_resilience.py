"""Restores and shared caches, lockouts per account and address."""

import pytest
from django.core.management import call_command
from django.test import Client

from pagecache.backends import cache_settings, namespace_for
from pagecache.middleware import CACHE_STATUS_HEADER
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
