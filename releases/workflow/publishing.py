"""Every change of a release's state goes through this module.

Each function takes keyword-only arguments, checks that ``by`` may make the change and that the
release is in a state that allows it (the table of ``releases.workflow.rules``, re-exported here
with ``available_actions``: what a person may do to a release now, and why not), validates
(approve, schedule and publish refuse a release whose checklist, ``releases.workflow.checklist``,
has errors), saves inside a transaction (refusing a save based on an outdated version) and logs a
``ReleaseEvent`` with its actor. A refused change
raises ``PermissionDenied`` or ``ValidationError`` and stores nothing. The admin and the tests
call these; ``Release.save()`` only derives fields.

``by=None`` is a trusted system call (demo data, imports); people always pass themselves.
"""

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from releases.models import (
    Correction,
    PreviewLink,
    Quote,
    Release,
    ReleaseEvent,
    ReleaseRedirect,
    Status,
)
from releases.models.twins import public_twins
from releases.workflow import event_news, previews, rules
from releases.workflow.go_live import (
    PUBLICATION_TIME_NEEDS_ZONE,
    check_first_published,
    check_go_live,
)
from releases.workflow.rules import (
    EDITABLE_BEFORE_PUBLICATION,
    NOT_ALLOWED,
    PERM_ADD,
    PERM_CHANGE,
    PERM_PREVIEW,
    PERM_PUBLISH,
    check,
    edit_permission,
)

# Re-exported: the workflow's rules are read through this module.
from releases.workflow.rules import PERM_APPROVE as PERM_APPROVE
from releases.workflow.rules import PERM_DELETE as PERM_DELETE
from releases.workflow.rules import PERM_WITHDRAW as PERM_WITHDRAW
from releases.workflow.rules import RULES as RULES
from releases.workflow.rules import WRONG_STATE as WRONG_STATE
from releases.workflow.rules import ActionOption as ActionOption
from releases.workflow.rules import action_option as action_option
from releases.workflow.rules import available_actions as available_actions
from releases.workflow.rules import permission_of as permission_of
from releases.workflow.states import state_label
from releases.workflow.twins import checklist_refusal, twin_schedule_refusal, twins_of
from releases.workflow.twins import twin_params as twin_params
from releases.workflow.twins import twins_left_behind as twins_left_behind

Action = ReleaseEvent.Action


MISSING_FOR_PUBLICATION = _("A release needs a headline, a body, a dateline city and a type.")
CORRECTION_NEEDS_NOTE = _("A correction needs a public note saying what was corrected.")
WITHDRAWAL_NEEDS_REASON = _("A withdrawal needs a reason; it is shown on the release's page.")
TWIN_NEEDS_ITS_REASON = _(
    "Write the reason in %(language)s too: the %(language)s version’s page shows it."
)
STALE_VERSION = _(
    "Someone else saved this release after you opened it (version %(current)s; yours was "
    "%(yours)s). Your changes were not saved: open the newer version and apply them again."
)
NO_SUCH_REVISION = _("There is no such revision of this release.")


class StaleVersion(ValidationError):
    """The release changed since the editor loaded it; ``current_version`` says to what."""

    def __init__(self, *, current: int, yours: int):
        super().__init__(STALE_VERSION, code="stale", params={"current": current, "yours": yours})
        self.current_version = current


def _require_permission(by: AbstractBaseUser | None, permission: str, action: str) -> None:
    if by is not None and not by.has_perm(permission):
        raise PermissionDenied(NOT_ALLOWED % {"action": action})


def _require_state(release: Release, allowed: bool, action: str) -> None:
    if not allowed:
        raise ValidationError(
            WRONG_STATE % {"state": state_label(release), "action": action}, code="state"
        )


def _require_publishable(release: Release) -> None:
    if not (release.headline and release.body and release.dateline_city and release.release_type):
        raise ValidationError(MISSING_FOR_PUBLICATION, code="incomplete")


def _require_checklist(release: Release, *, at: datetime | None = None) -> None:
    refusal = checklist_refusal(release, at=at)
    if refusal is not None:
        raise refusal


def _save(
    release: Release,
    *,
    by: AbstractBaseUser | None,
    action: str,
    note: str = "",
    expected_version: int | None = None,
) -> Release:
    """Validate and save, refusing an outdated version, keeping old public addresses, and log.

    Must run inside a transaction (every public function here is atomic)."""
    release.derive_publication_date()
    release.full_clean()
    # As save() stores them (full_clean's own cleaning of the body writes U+00A0 as &nbsp;):
    # so the stored words and these compare equal when only their spelling differs.
    release.normalize_words()
    if release.pk is None:
        release.version = 1
        release.created_by = release.created_by or by
    else:
        expected = release.version if expected_version is None else expected_version
        stored = (
            Release.objects.select_for_update()
            .filter(pk=release.pk)
            .values(
                "version",
                "status",
                "publish_at",
                "language",
                "publication_date",
                "slug",
                "needs_translation",
                *WORDS,
            )
            .get()
        )
        _refuse_stale(stored["version"], expected)
        _keep_old_address(release, stored)
        if any(getattr(release, name) != stored[name] for name in WORDS):
            _mark_twins_behind(release, was_waiting=stored["needs_translation"])
        release.version = expected + 1
    release._change_reason = Action(action).value  # in every reader's language: desk.change_reason
    if by is not None:
        release._history_user = by
    try:
        release.save()
    finally:
        # simple-history would read them again at the object's next save: this step's only.
        release.__dict__.pop("_change_reason", None)
        release.__dict__.pop("_history_user", None)
    ReleaseEvent.objects.create(release=release, action=action, actor=by, note=note)
    return release


# A release's words, which its other language versions follow.
WORDS = ("headline", "subheadline", "summary", "body")


def _mark_twins_behind(release: Release, *, was_waiting: bool) -> None:
    """After an edit of a translated version's words, its other versions need an update — unless
    this one is itself being translated (before or after the edit). Their version number is
    left alone, so nobody editing them is refused for it."""
    if was_waiting or release.needs_translation:
        return
    Release.objects.twins_of(release).filter(needs_translation=False).update(needs_translation=True)


def _refuse_stale(current: int, seen: int) -> None:
    if current != seen:
        raise StaleVersion(current=current, yours=seen)


def check_version(release: Release, seen: int | None) -> None:
    """Refuse (``StaleVersion``) an edit of ``release`` based on version ``seen`` when it has
    been saved since. Inside a transaction, the row stays locked until it ends."""
    if release.pk is None:
        return
    current = (
        Release.objects.select_for_update()
        .filter(pk=release.pk)
        .values_list("version", flat=True)
        .get()
    )
    _refuse_stale(current, release.version if seen is None else seen)


def correction_refusal(release: Release, note: str) -> ValidationError | None:
    """Why a correction of ``release`` with ``note`` would be refused (its state, or an empty
    note; code "state" or "note"), or None if it would be accepted."""
    refusal = rules.state_refusal("correct", release)
    if refusal is None and not (note or "").strip():
        refusal = ValidationError(CORRECTION_NEEDS_NOTE, code="note")
    return refusal


def _keep_old_address(release: Release, stored: dict) -> None:
    was_on_record = (
        stored["status"] in (Status.PUBLISHED, Status.WITHDRAWN)
        and stored["publish_at"] is not None
        and stored["publish_at"] <= timezone.now()
    )
    old = (stored["language"], stored["publication_date"], stored["slug"])
    new = (release.language, release.publication_date, release.slug)
    if was_on_record and old != new:
        ReleaseRedirect.objects.update_or_create(
            language=old[0], publication_date=old[1], slug=old[2], defaults={"release": release}
        )


@transaction.atomic
def save_draft(
    *, release: Release, by: AbstractBaseUser | None, expected_version: int | None = None
) -> Release:
    """Create or edit a release that is not yet published (authors: drafts only)."""
    if release.pk is None:
        _require_permission(by, PERM_ADD, _("create"))
        return _save(release, by=by, action=Action.CREATED)
    _require_permission(by, PERM_CHANGE, _("edit"))
    _require_state(release, release.status in EDITABLE_BEFORE_PUBLICATION, _("edited as a draft"))
    if release.status != Status.DRAFT:
        _require_permission(by, edit_permission(release), _("edit a submitted"))
    return _save(release, by=by, action=Action.EDITED, expected_version=expected_version)


def save_edit(
    *,
    release: Release,
    by: AbstractBaseUser | None,
    correction_note: str | None = None,
    expected_version: int | None = None,
) -> Release:
    """The save of the release form: a new or unpublished release is saved as a draft; one
    that went out takes a minor edit, or a correction when there is a ``correction_note``."""
    if release.pk is not None and release.status in (Status.PUBLISHED, Status.WITHDRAWN):
        if correction_note is not None:
            return correct(
                release=release, by=by, note=correction_note, expected_version=expected_version
            )
        return minor_edit(release=release, by=by, expected_version=expected_version)
    return save_draft(release=release, by=by, expected_version=expected_version)


@transaction.atomic
def submit_for_review(
    *, release: Release, by: AbstractBaseUser | None, expected_version: int | None = None
) -> Release:
    check("submit", release, by)
    _require_publishable(release)
    release.status = Status.IN_REVIEW
    return _save(release, by=by, action=Action.SUBMITTED, expected_version=expected_version)


@transaction.atomic
def return_to_draft(
    *,
    release: Release,
    by: AbstractBaseUser | None,
    note: str = "",
    expected_version: int | None = None,
) -> Release:
    """Send a release in review, approved or scheduled back to its author."""
    check("return", release, by)
    release.status = Status.DRAFT
    release.publish_at = None
    return _save(
        release, by=by, action=Action.RETURNED, note=note, expected_version=expected_version
    )


@transaction.atomic
def withdraw_submission(
    *, release: Release, by: AbstractBaseUser | None, expected_version: int | None = None
) -> Release:
    """Its author takes a release in review back to draft, to change it before it is read."""
    check("withdraw-submission", release, by)
    release.status = Status.DRAFT
    return _save(
        release,
        by=by,
        action=Action.RETURNED,
        note="submission withdrawn by its author",
        expected_version=expected_version,
    )


@transaction.atomic
def delete(*, release: Release, by: AbstractBaseUser | None) -> None:
    """Delete a release that never went out (its events and links go with it)."""
    check("delete", release, by)
    release.delete()


@transaction.atomic
def approve(
    *, release: Release, by: AbstractBaseUser | None, expected_version: int | None = None
) -> Release:
    check("approve", release, by)
    _require_checklist(release)
    release.status = Status.APPROVED
    return _save(release, by=by, action=Action.APPROVED, expected_version=expected_version)


@transaction.atomic
def schedule(
    *,
    release: Release,
    by: AbstractBaseUser | None,
    at: datetime,
    expected_version: int | None = None,
) -> Release:
    """Set the minute the embargo lifts; the release is public from then on, with no job."""
    check("schedule", release, by)
    check_go_live(at)
    _require_checklist(release, at=at)
    release.status = Status.PUBLISHED
    release.publish_at = at.replace(microsecond=0)
    return _save(
        release,
        by=by,
        action=Action.SCHEDULED,
        note=release.publish_at.isoformat(),
        expected_version=expected_version,
    )


@transaction.atomic
def schedule_with_twins(
    *,
    release: Release,
    by: AbstractBaseUser | None,
    at: datetime,
    include_twins: bool,
    expected_version: int | None = None,
) -> list[Release]:
    """Schedule ``release`` and, with ``include_twins``, every language twin for the same
    minute, so no language goes out before the other: all of them or none (one event each)."""
    _require_permission(by, PERM_PUBLISH, _("schedule"))
    twins = []
    if include_twins:
        twins = twins_of(release, for_update=True)
        refusals = [refusal for twin in twins if (refusal := twin_schedule_refusal(twin, at=at))]
        if refusals:
            raise ValidationError(refusals, code="twin")
    scheduled = [schedule(release=release, by=by, at=at, expected_version=expected_version)]
    scheduled += [schedule(release=twin, by=by, at=at) for twin in twins]
    return scheduled


@transaction.atomic
def publish_now(
    *,
    release: Release,
    by: AbstractBaseUser | None,
    first_published_at: datetime | None = None,
    expected_version: int | None = None,
) -> Release:
    """Publish at this minute or, with ``first_published_at``, backdated to that earlier moment
    (a release that went out before, entered now): it then takes its place at that date in
    lists, archives and feeds, and is not news (no alert, no WebSub ping: ``alerts.dispatch``)."""
    check("publish-now", release, by)
    if first_published_at is not None:
        check_first_published(first_published_at)
    return _publish(release, by=by, at=first_published_at, expected_version=expected_version)


@transaction.atomic
def publish(
    *,
    release: Release,
    by: AbstractBaseUser | None = None,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Release:
    """Publish now, or at ``at``: in the past for a backdated release (an old one entered with
    its original date, which does not count as new), in the future for an embargo."""
    _require_permission(by, PERM_PUBLISH, _("publish"))
    allowed = release.status in EDITABLE_BEFORE_PUBLICATION or release.is_scheduled
    _require_state(release, allowed, _("published"))
    if at is not None and timezone.is_naive(at):
        raise ValidationError(PUBLICATION_TIME_NEEDS_ZONE, code="naive")
    # Demo data and imports (``by=None``): what was already published elsewhere goes in as it was.
    return _publish(
        release, by=by, at=at, expected_version=expected_version, checked=by is not None
    )


def _publish(
    release: Release,
    *,
    by: AbstractBaseUser | None,
    at: datetime | None,
    expected_version: int | None,
    checked: bool = True,
) -> Release:
    """Public from ``at`` (this minute by default; earlier, backdated, as the log says), once
    its checklist (``checked``) or at least its essentials allow it."""
    now = timezone.now()
    at = (at or now).replace(microsecond=0)
    if checked:
        _require_checklist(release, at=at)
    else:
        _require_publishable(release)
    release.status = Status.PUBLISHED
    release.publish_at = at
    backdated = at < now - timedelta(minutes=1)
    return _save(
        release,
        by=by,
        action=Action.PUBLISHED,
        note=ReleaseEvent.backdated_note(at) if backdated else "",
        expected_version=expected_version,
    )


@transaction.atomic
def minor_edit(
    *, release: Release, by: AbstractBaseUser | None, expected_version: int | None = None
) -> Release:
    """Save a typo fix on a published release: the public "updated" time stays as it was."""
    _require_permission(by, edit_permission(release), _("edit a published"))
    _require_state(
        release, release.status in (Status.PUBLISHED, Status.WITHDRAWN), _("edited as published")
    )
    return _save(release, by=by, action=Action.MINOR_EDIT, expected_version=expected_version)


@transaction.atomic
def correct(
    *,
    release: Release,
    by: AbstractBaseUser | None,
    note: str,
    expected_version: int | None = None,
) -> Release:
    """Save a correction: a public, dated note, and the public "updated" time moves."""
    check("correct", release, by)
    refusal = correction_refusal(release, note)
    if refusal is not None:
        raise refusal
    note = note.strip()
    now = timezone.now().replace(microsecond=0)
    release.updated_at = now
    _save(release, by=by, action=Action.CORRECTED, note=note, expected_version=expected_version)
    correction = Correction.objects.create(release=release, note=note, corrected_at=now, by=by)
    event_news.correcting(correction)
    return release


@transaction.atomic
def withdraw(
    *,
    release: Release,
    by: AbstractBaseUser | None,
    reason: str,
    expected_version: int | None = None,
) -> Release:
    """Take a public release off lists, feeds and search; its page stays, with the reason."""
    check("withdraw", release, by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(WITHDRAWAL_NEEDS_REASON, code="reason")
    release.status = Status.WITHDRAWN
    release.withdrawn_reason = reason
    return _save(
        release, by=by, action=Action.WITHDRAWN, note=reason, expected_version=expected_version
    )


@transaction.atomic
def unpublish(
    *,
    release: Release,
    by: AbstractBaseUser | None,
    note: str = "",
    expected_version: int | None = None,
) -> Release:
    """Published in error: the release leaves every channel and its address answers 410."""
    check("unpublish", release, by)
    release.status = Status.UNPUBLISHED
    return _save(
        release, by=by, action=Action.UNPUBLISHED, note=note, expected_version=expected_version
    )


@transaction.atomic
def end_with_twins(
    *, end, release: Release, include_twins: bool, field: str, words: dict[str, str], **arguments
) -> list[Release]:
    """``end`` (``withdraw`` or ``unpublish``) ``release`` and, with ``include_twins``, its public
    language versions: all of them or none, one event each. Each takes the words (its ``field``:
    reason, note) of its language in ``words``: a withdrawal's reason is shown on each page, so
    a version is never withdrawn with another language's."""
    twins = list(public_twins(release).select_for_update()) if include_twins else []
    ended = [end(release=release, **arguments, **{field: words.get(release.language, "")})]
    arguments.pop("expected_version", None)
    for twin in twins:
        try:
            ended.append(end(release=twin, **arguments, **{field: words.get(twin.language, "")}))
        except ValidationError as error:
            if getattr(error, "code", None) != "reason":
                raise
            raise ValidationError(
                TWIN_NEEDS_ITS_REASON % twin_params(twin), code="reason"
            ) from None
    return ended


RESTORED_FIELDS = [
    "headline",
    "subheadline",
    "slug",
    "release_type",
    "language",
    "dateline_city",
    "dateline_region",
    "summary",
    "body",
    "campaign_id",
]


@transaction.atomic
def restore_revision(*, release: Release, history_id: int, by: AbstractBaseUser | None) -> Release:
    """A new draft made from an old revision of ``release`` and its quotes at that time; the
    release itself is not touched."""
    check("restore", release, by)
    revision = release.history.filter(history_id=history_id).first()
    if revision is None:
        raise ValidationError(NO_SUCH_REVISION, code="revision")
    draft = Release(**{field: getattr(revision, field) for field in RESTORED_FIELDS})
    _save(draft, by=by, action=Action.RESTORED, note=f"release {release.pk}, revision {history_id}")
    draft.topics.set(release.topics.all())
    draft.media_contacts.set(release.media_contacts.all())
    # Quotes are saved just after their release; take them as they stood until the next revision.
    following = revision.next_record
    until = following.history_date - timedelta(microseconds=1) if following else timezone.now()
    old_quotes = Quote.history.as_of(until).filter(release_id=release.pk)
    for quote in old_quotes:
        Quote.objects.create(
            release=draft,
            spokesperson_id=quote.spokesperson_id,
            text=quote.text,
            attribution=quote.attribution,
            position=quote.position,
        )
    return draft


@transaction.atomic
def create_preview_link(
    *, release: Release, by: AbstractBaseUser | None, reviewer: str = ""
) -> tuple[PreviewLink, str]:
    """A link for a reviewer without an account (named ``reviewer``): signed, valid seven
    days, revocable."""
    check("preview-links", release, by)
    link = PreviewLink.objects.create(
        release=release,
        created_by=by,
        reviewer=reviewer.strip(),
        expires_at=timezone.now() + previews.PREVIEW_LINK_LIFETIME,
    )
    ReleaseEvent.objects.create(
        release=release, action=Action.PREVIEW_LINK, actor=by, note=link.reviewer
    )
    return link, previews.token_for(link)


@transaction.atomic
def revoke_preview_link(*, link: PreviewLink, by: AbstractBaseUser | None) -> PreviewLink:
    _require_permission(by, PERM_PREVIEW, _("revoke a preview link of"))
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        ReleaseEvent.objects.create(release=link.release, action=Action.PREVIEW_REVOKED, actor=by)
    return link
