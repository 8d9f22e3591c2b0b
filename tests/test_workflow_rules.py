"""One source for each workflow rule: for every state × role, the buttons and links the change
page offers, the actions publishing accepts and the admin's permissions all agree with
``publishing.available_actions``; previews and the schedule form's zone help agree too."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from releases.models import Release, Status
from releases.workflow import publishing
from releases.workflow.admin.transitions import (
    LINKED_PAGES,
    ONE_CLICK_TRANSITIONS,
    USE_THE_BUTTON,
)
from releases.workflow.forms import ScheduleForm
from releases.workflow.rules import BUTTON
from tests.factories import make_release, make_staff

STATES = ["draft", "in review", "approved", "scheduled", "published", "withdrawn", "unpublished"]
ROLES = ["author", "editor", "superuser", "staff without group"]


def release_in(state: str, author) -> Release:
    release = make_release(
        published=state in ("published", "withdrawn", "unpublished"), created_by=author
    )
    if state in ("in review", "approved", "scheduled"):
        publishing.submit_for_review(release=release, by=None)
    if state in ("approved", "scheduled"):
        publishing.approve(release=release, by=None)
    if state == "scheduled":
        publishing.schedule(release=release, by=None, at=timezone.now() + timedelta(days=1))
    if state == "withdrawn":
        publishing.withdraw(release=release, by=None, reason="Sent by mistake.")
    if state == "unpublished":
        publishing.unpublish(release=release, by=None)
    return Release.objects.get(pk=release.pk)


def person(role: str, author) -> User:
    if role == "author":
        return author
    if role == "editor":
        return make_staff("Editors")
    if role == "superuser":
        return User.objects.create_superuser("root", password="x")
    return User.objects.create_user("bare", password="x", is_staff=True)


def attempt(name: str, release: Release, user) -> bool:
    """Whether publishing accepts action ``name``; nothing it does is kept."""
    release = Release.objects.get(pk=release.pk)
    calls = {
        "submit": lambda: publishing.submit_for_review(release=release, by=user),
        "withdraw-submission": lambda: publishing.withdraw_submission(release=release, by=user),
        "approve": lambda: publishing.approve(release=release, by=user),
        "return": lambda: publishing.return_to_draft(release=release, by=user),
        "publish-now": lambda: publishing.publish_now(release=release, by=user),
        "schedule": lambda: publishing.schedule(
            release=release, by=user, at=timezone.now() + timedelta(days=2)
        ),
        "withdraw": lambda: publishing.withdraw(release=release, by=user, reason="Why."),
        "unpublish": lambda: publishing.unpublish(release=release, by=user),
        "preview-links": lambda: publishing.create_preview_link(release=release, by=user),
        "edit": lambda: publishing.save_edit(release=release, by=user),
        "correct": lambda: publishing.correct(release=release, by=user, note="Fix."),
        "restore": lambda: publishing.restore_revision(
            release=release, history_id=release.history.first().history_id, by=user
        ),
        "delete": lambda: publishing.delete(release=release, by=user),
    }
    if name not in calls:
        return None
    try:
        with transaction.atomic():
            calls[name]()
            raise _Undo
    except _Undo:
        return True
    except (PermissionDenied, ValidationError):
        return False


class _Undo(Exception):
    pass


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_buttons_accepted_actions_and_permissions_agree(client, author, state, role):
    release = release_in(state, author)
    user = person(role, author)
    options = {option.name: option for option in publishing.available_actions(release, user)}

    # Publishing accepts exactly the actions it offers; a refusal says why.
    for name, option in options.items():
        accepted = attempt(name, release, user)
        if accepted is not None:
            assert accepted == option.allowed, (name, option.reason)
        assert option.allowed == (option.reason == ""), name
        assert option.permitted == user.has_perm(option.permission) or (
            option.name == "withdraw-submission"
        ), name

    # The change page offers the allowed one-click buttons and linked pages, and no others.
    client.force_login(user)
    response = client.get(reverse("admin:releases_release_change", args=[release.pk]))
    if role == "staff without group":
        assert response.status_code == 403
        assert not any(option.allowed for option in options.values())
    else:
        assert response.status_code == 200
        html = response.text
        offered = set(re.findall(r"/transition/([a-z-]+)/", html))
        allowed_buttons = {n for n, o in options.items() if o.allowed and o.where == BUTTON}
        assert offered == allowed_buttons
        assert allowed_buttons <= set(ONE_CLICK_TRANSITIONS)
        for name in LINKED_PAGES:
            url = reverse(options[name].url_name, args=[release.pk])
            assert (f'href="{url}"' in html) == options[name].allowed, name

    # The admin's permissions are the workflow's.
    model_admin = admin.site._registry[Release]
    request = RequestFactory().get("/")
    request.user = user
    assert model_admin.has_change_permission(request, release) == (
        user.has_perm("releases.change_release") and options["edit"].allowed
    )
    assert model_admin.has_delete_permission(request, release) == options["delete"].allowed


def test_a_refusal_names_the_state_or_the_missing_permission(author):
    release = release_in("published", author)
    options = {o.name: o for o in publishing.available_actions(release, author)}
    assert options["withdraw"].reason == "You do not have permission to withdraw this release."
    editor = make_staff("Editors")
    options = {o.name: o for o in publishing.available_actions(release, editor)}
    assert options["approve"].reason == "A release that is “Published” cannot be approved."
    assert options["withdraw"].allowed and options["withdraw"].needs_page


def test_an_author_withdraws_their_own_submission_and_no_one_else_can(client, author):
    release = release_in("in review", author)
    other = make_staff("Authors")
    with pytest.raises(PermissionDenied):
        publishing.withdraw_submission(release=release, by=other)
    client.force_login(author)
    url = reverse("admin:releases_release_transition", args=[release.pk, "withdraw-submission"])
    client.post(url, {"version_seen": release.version})
    release.refresh_from_db()
    assert release.status == Status.DRAFT
    assert release.events.filter(action="returned").exists()


def test_the_schedule_help_names_the_zone_of_the_setting(settings):
    settings.TIME_ZONE = "Europe/Paris"
    form = ScheduleForm()
    assert form.fields["go_live"].help_text == "Europe/Paris: CEST in summer, CET in winter."
    settings.TIME_ZONE = "Asia/Tokyo"
    form = ScheduleForm()
    assert form.fields["go_live"].help_text == "Asia/Tokyo: JST all year."
    assert "if_twice" not in form.fields
    settings.TIME_ZONE = "America/Regina"
    form = ScheduleForm()
    assert form.fields["go_live"].help_text == (
        "Saskatchewan time (Regina, no daylight saving): CST all year."
    )


# For each one-click transition: the state it starts from, who may take it, and who may not.
TRANSITION_CASES = {
    "submit": ("draft", "author", "reader"),
    "withdraw-submission": ("in review", "author", "another author"),
    "approve": ("in review", "editor", "author"),
    "return": ("approved", "editor", "author"),
}


def transition_person(role: str, author) -> User:
    if role == "reader":
        reader = User.objects.create_user("reader", password="x", is_staff=True)
        reader.user_permissions.add(Permission.objects.get(codename="view_release"))
        return reader
    if role == "another author":
        return make_staff("Authors")
    return person(role, author)


def test_every_one_click_transition_has_a_case():
    assert set(TRANSITION_CASES) == set(ONE_CLICK_TRANSITIONS)


@pytest.mark.parametrize("name", list(TRANSITION_CASES))
def test_a_transitions_address_opened_leads_to_the_release_and_changes_nothing(
    client, author, name
):
    """Signing in with it as ``next``, or reloading, opens the address: the change page says
    how the action is taken (or why this person may not take it), never a blank 405."""
    state, may, may_not = TRANSITION_CASES[name]
    release = release_in(state, author)
    url = reverse("admin:releases_release_transition", args=[release.pk, name])
    change_url = reverse("admin:releases_release_change", args=[release.pk])
    events = release.events.count()
    for role in (may, may_not):
        user = transition_person(role, author)
        option = publishing.action_option(release, user, name)
        assert option.allowed == (role == may)
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == change_url
        page = client.get(change_url).text
        expected = USE_THE_BUTTON[name] if option.allowed else option.reason
        assert str(expected) in unescape(page), role
        unchanged = Release.objects.get(pk=release.pk)
        assert (unchanged.status, unchanged.version) == (release.status, release.version)
        assert unchanged.events.count() == events
    # Sent as a form by the person who may not, it stays refused as before.
    assert client.post(url, {"version_seen": release.version}).status_code == 403
    assert Release.objects.get(pk=release.pk).status == release.status


def test_an_opened_transition_address_speaks_the_desks_language(client, author):
    release = release_in("in review", author)
    client.force_login(make_staff("Editors"))
    url = reverse("admin:releases_release_transition", args=[release.pk, "approve"])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr", follow=True).text
    assert "utilisez le bouton «\u00a0Approuver\u00a0» de cette page" in unescape(page)
