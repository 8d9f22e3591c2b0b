"""Media contacts' phone numbers: checked when staff type one, shown as typed, and dialled from
a ``tel:`` link that phones understand (RFC 3966), on release and advisory pages alike."""

import pytest
from django.urls import reverse

from releases.models import MediaContact
from releases.text.phones import tel_uri
from tests.factories import make_advisory, make_contact, make_release

pytestmark = pytest.mark.django_db


def contact_form(**fields) -> dict:
    return {"name": "Jo Press", "role_en": "Media relations", "email": "", "phone": ""} | fields


@pytest.mark.parametrize(
    "typed, dialled",
    [
        ("613-555-0199 ext. 12", "tel:+1-613-555-0199;ext=12"),
        ("(613) 555-0199 x12", "tel:+1-613-555-0199;ext=12"),
        ("613 555-0199, poste 12", "tel:+1-613-555-0199;ext=12"),  # as French writes it
        ("1 800 622-6232", "tel:+1-800-622-6232"),
        ("+33 1 23 45 67 89", "tel:+33-1-23-45-67-89"),  # abroad, with its country code
    ],
)
def test_a_contacts_number_is_shown_as_typed_and_dialled_from_an_rfc_3966_link(
    client, typed, dialled
):
    release = make_release(headline="Phones")
    release.media_contacts.add(make_contact(name="Jo Press", phone=typed))
    html = client.get(release.get_absolute_url()).text
    assert f'<a href="{dialled}">{typed}</a>' in html


def test_an_accreditation_contacts_number_is_dialled_from_the_same_link(client):
    contact = make_contact(name="Jo Press", phone="613-555-0199 ext. 12")
    advisory = make_advisory(event={"accreditation_contact": contact})
    html = client.get(advisory.get_absolute_url()).text
    section = html[html.index('class="advisory-event') :]
    assert '<a href="tel:+1-613-555-0199;ext=12">613-555-0199 ext. 12</a>' in section


def test_a_number_no_one_could_dial_is_refused_in_the_admin_with_the_reason(client, admin_user):
    client.force_login(admin_user)
    add = reverse("admin:releases_mediacontact_add")
    for typed in ["not a phone!!", "555-0199", "613-555-01999999"]:
        response = client.post(add, contact_form(phone=typed))
        assert response.status_code == 200
        assert "Not a phone number that can be dialled" in response.text
        assert "e.g. (506) 234-5678" in response.text  # an example from the newsroom's country
    french = client.post(add, contact_form(phone="not a phone!!"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Ce numéro de téléphone ne peut pas être composé" in french.text
    assert not MediaContact.objects.exists()

    assert client.post(add, contact_form(phone="613-555-0199 ext. 12")).status_code == 302
    assert client.post(add, contact_form(name="No phone")).status_code == 302
    assert MediaContact.objects.get(name="Jo Press").phone == "613-555-0199 ext. 12"  # as typed


def test_a_number_saved_before_numbers_were_checked_is_shown_without_a_link(client):
    release = make_release(headline="Odd numbers")
    release.media_contacts.add(make_contact(name="Jo Press", phone="not a phone <b>!!</b>"))
    page = client.get(release.get_absolute_url())
    assert page.status_code == 200
    assert "not a phone &lt;b&gt;!!&lt;/b&gt;" in page.text
    assert "tel:" not in page.text
    text = client.get(release.get_text_url())
    assert text.status_code == 200 and "not a phone <b>!!</b>" in text.content.decode()


def test_a_number_without_country_code_is_read_in_the_newsrooms_country(settings):
    """A London newsroom's “020 7946 0018” is British; a Canadian one's would be refused."""
    assert tel_uri("020 7946 0018") is None
    settings.TIME_ZONE, settings.ENGLISH_FORMATS = "Europe/London", "en-GB"
    assert tel_uri("020 7946 0018") == "tel:+44-20-7946-0018"
    assert tel_uri("+1 613-555-0199") == "tel:+1-613-555-0199"
