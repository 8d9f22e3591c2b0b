"""Who may do what to a release, and in which state: the workflow's rules, in one table.

``releases.workflow.publishing`` enforces them (each change checks its rule before it saves) and
re-exports ``available_actions``, which answers for a person and a release which actions they
may take now, with the reason when one is refused; the admin renders its buttons, links and
permissions from that answer and tests no state or permission itself.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from releases.models import Release, Status
from releases.workflow.states import state_label

PERM_CHANGE = "releases.change_release"
PERM_ADD = "releases.add_release"
PERM_APPROVE = "releases.approve_release"
PERM_PUBLISH = "releases.publish_release"
PERM_WITHDRAW = "releases.withdraw_release"
PERM_PREVIEW = "releases.preview_release"
PERM_DELETE = "releases.delete_release"
PERM_VIEW = "releases.view_release"

NOT_ALLOWED = _("You do not have permission to %(action)s this release.")
WRONG_STATE = _("A release that is “%(state)s” cannot be %(action)s.")
ONLY_ITS_AUTHOR = _("Only the author of a release may withdraw its submission.")

EDITABLE_BEFORE_PUBLICATION = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)
# A release that went out (or is scheduled to) is unpublished or withdrawn, never deleted: its
# address and feed id are promises, and the workflow keeps the record.
NEVER_DELETED = (Status.PUBLISHED, Status.WITHDRAWN, Status.UNPUBLISHED)

# A release withdrawn or unpublished is never published again (no rule allows it): what a
# language version in one of these states says, rather than “once it is ready”.
NEVER_AGAIN = {
    Status.WITHDRAWN: _(
        "The %(language)s version, “%(headline)s”, has been withdrawn and cannot be published "
        "again."
    ),
    Status.UNPUBLISHED: _(
        "The %(language)s version, “%(headline)s”, was unpublished as published in error and "
        "cannot be published again."
    ),
}

# Where an action is taken in the admin.
BUTTON = "button"  # one POST from the change page
PAGE = "page"  # a page of its own (a form, a confirmation)
CHANGE_FORM = "form"  # part of the change form itself


def edit_permission(release: Release) -> str:
    """The permission that editing ``release`` in its current state takes."""
    if release.pk is None or release.status == Status.DRAFT:
        return PERM_CHANGE
    if release.status in EDITABLE_BEFORE_PUBLICATION:
        return PERM_APPROVE
    return PERM_PUBLISH


@dataclass(frozen=True)
class Rule:
    permission: str | Callable[[Release], str]
    allows: Callable[[Release], bool]
    verb: str  # “You do not have permission to <verb> this release.”
    outcome: str  # “A release that is “Draft” cannot be <outcome>.”
    label: str
    where: str
    url_name: str = ""
    authors_only: bool = False  # only the person who created the release

    def permission_for(self, release: Release) -> str:
        return self.permission(release) if callable(self.permission) else self.permission


TRANSITION_URL = "admin:releases_release_transition"

RULES = {
    "submit": Rule(
        PERM_CHANGE,
        lambda release: release.status == Status.DRAFT,
        _("submit"),
        _("submitted for review"),
        _("Submit for review"),
        BUTTON,
        TRANSITION_URL,
    ),
    "withdraw-submission": Rule(
        PERM_CHANGE,
        lambda release: release.status == Status.IN_REVIEW,
        _("withdraw the submission of"),
        _("taken back to draft"),
        _("Withdraw submission"),
        BUTTON,
        TRANSITION_URL,
        authors_only=True,
    ),
    "approve": Rule(
        PERM_APPROVE,
        lambda release: release.status == Status.IN_REVIEW,
        _("approve"),
        _("approved"),
        _("Approve"),
        BUTTON,
        TRANSITION_URL,
    ),
    "return": Rule(
        PERM_APPROVE,
        lambda release: release.is_schedulable,
        _("return"),
        _("returned to draft"),
        _("Return to draft"),
        BUTTON,
        TRANSITION_URL,
    ),
    "publish-now": Rule(
        PERM_PUBLISH,
        lambda release: release.is_schedulable,
        _("publish"),
        _("published"),
        _("Publish now…"),
        PAGE,
        "admin:releases_release_publish_now",
    ),
    "schedule": Rule(
        PERM_PUBLISH,
        lambda release: release.is_schedulable,
        _("schedule"),
        _("scheduled"),
        _("Schedule…"),
        PAGE,
        "admin:releases_release_schedule",
    ),
    "withdraw": Rule(
        PERM_WITHDRAW,
        lambda release: release.is_published,
        _("withdraw"),
        _("withdrawn"),
        _("Withdraw…"),
        PAGE,
        "admin:releases_release_withdraw",
    ),
    "unpublish": Rule(
        PERM_WITHDRAW,
        lambda release: release.is_on_record,
        _("unpublish"),
        _("unpublished"),
        _("Unpublish…"),
        PAGE,
        "admin:releases_release_unpublish",
    ),
    "preview-links": Rule(
        PERM_PREVIEW,
        lambda release: not release.is_on_record,
        _("send a preview of"),
        _("previewed with a link"),
        _("Preview links…"),
        PAGE,
        "admin:releases_release_preview_links",
    ),
    "preview": Rule(
        PERM_VIEW,
        lambda release: not release.is_on_record,
        _("preview"),
        _("previewed"),
        _("Preview"),
        PAGE,
        "releases:preview",
    ),
    "edit": Rule(
        edit_permission,
        lambda release: release.status != Status.UNPUBLISHED,
        _("edit"),
        _("edited"),
        _("Save"),
        CHANGE_FORM,
    ),
    "correct": Rule(
        PERM_PUBLISH,
        lambda release: release.is_published,
        _("correct"),
        _("corrected"),
        _("Correction"),
        CHANGE_FORM,
    ),
    "restore": Rule(
        PERM_ADD,
        lambda release: True,
        _("restore"),
        _("restored"),
        _("Restore as a new draft"),
        PAGE,
        "admin:releases_release_restore",
    ),
    "delete": Rule(
        PERM_DELETE,
        lambda release: release.status not in NEVER_DELETED,
        _("delete"),
        _("deleted"),
        _("Delete"),
        PAGE,
        "admin:releases_release_delete",
    ),
}


def permission_of(name: str) -> str:
    """The permission action ``name`` takes, for one that does not depend on the state."""
    permission = RULES[name].permission
    assert not callable(permission), name
    return permission


def state_refusal(name: str, release: Release) -> ValidationError | None:
    """Why the state of ``release`` does not allow action ``name``, or None if it does."""
    rule = RULES[name]
    if rule.allows(release):
        return None
    return ValidationError(
        WRONG_STATE % {"state": state_label(release), "action": rule.outcome}, code="state"
    )


def permission_refusal(
    name: str, release: Release, by: AbstractBaseUser | AnonymousUser | None
) -> PermissionDenied | None:
    """Why ``by`` may not take action ``name`` on ``release``, or None if they may
    (``by=None``: a trusted system call)."""
    rule = RULES[name]
    if by is None:
        return None
    if not by.has_perm(rule.permission_for(release)):
        return PermissionDenied(NOT_ALLOWED % {"action": rule.verb})
    if rule.authors_only and release.created_by_id != by.pk:
        return PermissionDenied(ONLY_ITS_AUTHOR)
    return None


def check(name: str, release: Release, by: AbstractBaseUser | None) -> None:
    """Raise the refusal of action ``name``: first who may, then the state."""
    refusal = permission_refusal(name, release, by) or state_refusal(name, release)
    if refusal is not None:
        raise refusal


@dataclass(frozen=True)
class ActionOption:
    """One action on one release for one person, as the admin offers it."""

    name: str
    label: str
    allowed: bool  # the person may take it now
    permitted: bool  # the person holds what it takes (the state may still refuse)
    reason: str  # why not, when not allowed
    permission: str
    where: str  # BUTTON, PAGE or CHANGE_FORM
    url_name: str

    @property
    def needs_page(self) -> bool:
        return self.where == PAGE


def available_actions(
    release: Release, user: AbstractBaseUser | AnonymousUser
) -> list[ActionOption]:
    """Every action of the workflow on ``release`` for ``user`` now, allowed or not, with the
    reason of each refusal."""
    options = []
    for name, rule in RULES.items():
        forbidden = permission_refusal(name, release, user)
        refusal = forbidden or state_refusal(name, release)
        options.append(
            ActionOption(
                name=name,
                label=str(rule.label),
                allowed=refusal is None,
                permitted=forbidden is None,
                reason=" ".join(refusal.messages)
                if isinstance(refusal, ValidationError)
                else str(refusal or ""),
                permission=rule.permission_for(release),
                where=rule.where,
                url_name=rule.url_name,
            )
        )
    return options


def action_option(release: Release, user, name: str) -> ActionOption:
    """The one option ``name`` of ``available_actions``."""
    return next(option for option in available_actions(release, user) if option.name == name)
