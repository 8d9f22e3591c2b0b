"""Staff accounts in plain words: the organisation's name on the admin, a forgotten-password
flow by email, and sign-in records for superusers only."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from tests.factories import make_organisation, make_staff

pytestmark = pytest.mark.django_db


def test_the_admin_carries_the_organisations_name(client):
    make_organisation()
    page = client.get(reverse("admin:login")).content.decode()
    assert "Canadian Association of Chiefs of Police" in page
    assert "<title>Log in | CACP newsroom</title>" in page
    assert "Django administration" not in page


def test_without_an_organisation_the_admin_says_newsroom(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert "Newsroom administration" in page


def test_the_login_page_offers_a_forgotten_password_link(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert reverse("admin_password_reset") in page


def test_a_forgotten_password_is_reset_through_a_link_sent_by_email(client):
    make_staff("Editors", username="editor", email="editor@example.org")
    response = client.post(reverse("admin_password_reset"), {"email": "editor@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/\S+/reset/\S+/)", mail.outbox[0].body)[1]
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new_password = "a long and new passphrase 42"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    assert User.objects.get(username="editor").check_password(new_password)


def test_the_reset_email_is_signed_with_the_organisations_name(client):
    """Without Django's sites framework it was signed by the server's host and port."""
    make_organisation()
    make_staff("Editors", username="editor", email="editor@example.org")
    client.post(reverse("admin_password_reset"), {"email": "editor@example.org"})
    (email,) = mail.outbox
    assert email.subject == "Password reset on Canadian Association of Chiefs of Police"
    assert "The Canadian Association of Chiefs of Police team" in email.body
    assert re.search(r"http://testserver/\S+/reset/\S+/", email.body)


def test_without_an_organisation_the_reset_email_names_the_sites_host(client):
    make_staff("Editors", username="editor", email="editor@example.org")
    client.post(reverse("admin_password_reset"), {"email": "editor@example.org"})
    (email,) = mail.outbox
    assert email.subject == "Password reset on testserver"
    assert "The testserver team" in email.body


def test_an_unknown_address_gets_the_same_answer_and_no_email(client):
    response = client.post(reverse("admin_password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_sign_in_records_are_for_superusers_only_under_a_plain_name(client):
    client.force_login(make_staff("Editors"))
    page = client.get(reverse("admin:index")).content.decode()
    assert "Axes" not in page and "Sign-in attempts" not in page
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403

    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    page = client.get(reverse("admin:index")).content.decode()
    assert "Sign-in attempts" in page and "Axes" not in page
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
