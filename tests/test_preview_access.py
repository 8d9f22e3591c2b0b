"""One rule for who may see a release before it is public (``previews.may_preview``): staff who
may view releases, or a reviewer with a working link opened in this session; the preview pages
and the file views ask the same question."""

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from releases.workflow import previews, publishing
from tests.factories import make_release, make_staff

pytestmark = pytest.mark.django_db


def request_with(session: dict, user=None):
    request = RequestFactory().get("/")
    request.session = session
    request.user = user or AnonymousUser()
    return request


def test_a_reviewer_sees_the_release_of_their_link_and_no_other(client):
    release, other = make_release(published=False), make_release(published=False)
    _link, token = publishing.create_preview_link(release=release, by=None)
    assert client.get(reverse("releases:preview-link", args=[token])).status_code == 200
    assert client.get(reverse("releases:preview", args=[release.pk])).status_code == 200
    assert client.get(reverse("releases:preview", args=[other.pk])).status_code == 404


def test_a_revoked_link_no_longer_opens_anything(client):
    release = make_release(published=False)
    link, token = publishing.create_preview_link(release=release, by=None)
    client.get(reverse("releases:preview-link", args=[token]))
    publishing.revoke_preview_link(link=link, by=None)
    assert client.get(reverse("releases:preview-link", args=[token])).status_code == 404
    assert client.get(reverse("releases:preview", args=[release.pk])).status_code == 404
    assert previews.link_from_token(token) is None


def test_staff_need_the_permission_to_view_releases():
    release = make_release(published=False)
    bare = User.objects.create_user("bare", is_staff=True)
    assert not previews.may_preview(request_with({}, bare), release.pk)
    assert previews.may_preview(request_with({}, make_staff("Authors")), release.pk)
    assert previews.previewable_releases(request_with({}, make_staff("Editors"))) is None


def test_the_session_remembers_only_working_links():
    release = make_release(published=False)
    link, _token = publishing.create_preview_link(release=release, by=None)
    session = {}
    previews.remember_link(request_with(session), link)
    previews.remember_link(request_with(session), link)
    assert session[previews.PREVIEW_LINKS_SESSION_KEY] == [link.pk]
    assert previews.previewable_releases(request_with(session)) == {release.pk}
    assert not previews.may_preview(request_with(session), None)
    publishing.revoke_preview_link(link=link, by=None)
    assert previews.previewable_releases(request_with(session)) == set()


@pytest.mark.parametrize("token", ["", "nonsense", "a:b:c"])
def test_a_tampered_token_names_no_link(token):
    assert previews.link_from_token(token) is None


def test_no_preview_link_for_a_release_already_public():
    with pytest.raises(ValidationError):
        publishing.create_preview_link(release=make_release(), by=None)
