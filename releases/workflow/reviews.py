"""Outside reviewers (legal, a spokesperson's office) answer through their preview link: they
approve, or ask for changes saying which. Each verdict goes into the release's history under
the name the link was made for; it changes nothing else (an editor still approves).

A verdict holds for the words the reviewer read: it keeps their fingerprint
(``words_fingerprint``), a verdict sent after the words changed under the reviewer is refused
(they read the new words first), and the history says which verdicts a later edit outdated.

A request for changes stands (``changes_asked``) until a newer verdict, or a new preview link (the
release sent for review again), supersedes it: the desk, the change form and the publishing
pages show it."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from releases.models import PreviewLink, ReleaseEvent
from releases.text.html import clean_control_characters
from releases.workflow import publishing

Action = ReleaseEvent.Action
VERDICTS = {"approve": Action.REVIEW_APPROVED, "changes": Action.REVIEW_CHANGES}
# What a request for changes stands until: a newer verdict, or the release sent for review again.
SUPERSEDING = (*VERDICTS.values(), Action.PREVIEW_LINK)
LINK_ENDED = _("This preview link no longer works: it expired or was revoked.")
ALREADY_PUBLIC = _("This release is public already: there is nothing left to review.")
SAY_WHICH_CHANGES = _("Say which changes you ask for.")
UNKNOWN_VERDICT = _("Choose “Approve” or “Ask for changes”.")
CHANGED_WHILE_READ = _(
    "The release was changed while you read it. Read it again below, then give your answer."
)
COMMENT_LENGTH = 4000
AN_OUTSIDE_REVIEWER = _("An outside reviewer")
# Inside a sentence: “Changes asked by an outside reviewer”.
AN_OUTSIDE_REVIEWER_IN_SENTENCE = _("an outside reviewer")
# Read with the release's words (``publishing.WORDS``).
DATELINE = ("dateline_city", "dateline_region")


def words_fingerprint(release) -> str:
    """A fingerprint of what a reader of ``release`` reads: its headline, subheadline, summary,
    dateline and body, its quotes with whom they are from, its images' alt text, caption and
    credit, and its documents. From the relations as fetched (a page's prefetched ones: the
    words it showed), in their printed order."""

    def in_order(related) -> list:
        return sorted(related.all(), key=lambda item: (item.position, item.pk))

    words = [
        *(getattr(release, name) for name in (*publishing.WORDS, *DATELINE)),
        [(q.spokesperson_id, q.text, q.attribution, q.position) for q in in_order(release.quotes)],
        [(i.alt_text, i.caption, i.credit, i.licence, i.key) for i in in_order(release.images)],
        [(d.title, d.file.name) for d in in_order(release.documents)],
    ]
    return hashlib.sha256(json.dumps(words, default=str).encode()).hexdigest()


def outdated(verdicts, words_now: str) -> set[int]:
    """The ids of those ``verdicts`` given on other words than ``words_now`` (the release's
    ``words_fingerprint`` as it is)."""
    return {v.pk for v in verdicts if v.words_read and v.words_read != words_now}


def outdated_among(events, release) -> set[int]:
    """``outdated`` for a page that lists ``events`` of ``release``: its words' fingerprint
    (three small queries) is computed only when a verdict given on words is among them."""
    verdicts = [event for event in events if event.words_read]
    return outdated(verdicts, words_fingerprint(release)) if verdicts else set()


@transaction.atomic
def record_verdict(
    *, link: PreviewLink, verdict: str, comment: str = "", words_read: str = ""
) -> ReleaseEvent:
    """Record an outside reviewer's verdict on the release of ``link``, whose words they read
    with fingerprint ``words_read`` (the page they answer from says it)."""
    # The release's row is locked with the link's: no edit lands between the check of the words
    # below and the verdict.
    link = PreviewLink.objects.select_for_update().select_related("release").get(pk=link.pk)
    if not link.is_active:
        raise ValidationError(LINK_ENDED, code="ended")
    if link.release.is_on_record:
        raise ValidationError(ALREADY_PUBLIC, code="public")
    # First: any other refusal re-renders the page with the new words, unsaid.
    if words_read != words_fingerprint(link.release):
        raise ValidationError(CHANGED_WHILE_READ, code="changed")
    if verdict not in VERDICTS:
        raise ValidationError(UNKNOWN_VERDICT, code="verdict")
    comment = clean_control_characters(comment).strip()[:COMMENT_LENGTH]
    if verdict == "changes" and not comment:
        raise ValidationError(SAY_WHICH_CHANGES, code="comment")
    who = link.reviewer or str(AN_OUTSIDE_REVIEWER)
    return ReleaseEvent.objects.create(
        release=link.release,
        action=VERDICTS[verdict],
        preview_link=link,
        words_read=words_read,
        note=f"{who}: {comment}" if comment else who,
    )


@dataclass(frozen=True)
class ChangesAsked:
    """An outside reviewer's standing request for changes (``verdict``): who, when, and what
    they asked. ``words_changed``: the release's words changed since the reviewer read them
    (None: not looked at, as on the desk)."""

    verdict: ReleaseEvent
    words_changed: bool | None = None

    @property
    def at(self) -> datetime:
        return self.verdict.at

    @property
    def reviewer(self) -> str:
        """The name the link was made for, else “an outside reviewer”."""
        link = self.verdict.preview_link
        return (
            link.reviewer if link is not None and link.reviewer else AN_OUTSIDE_REVIEWER_IN_SENTENCE
        )

    @property
    def comment(self) -> str:
        """What they asked: the verdict's note is “<reviewer>: <comment>” (``record_verdict``),
        its reviewer the link's name, or “An outside reviewer” in the language of the day."""
        link, note = self.verdict.preview_link, self.verdict.note
        if link is not None and link.reviewer:
            return note.removeprefix(f"{link.reviewer}: ")
        return note.partition(": ")[2]


def changes_asked(releases) -> dict[int, ChangesAsked]:
    """The standing requests for changes of those ``releases`` not yet public, by release id:
    each release's latest verdict or preview link, where that is a request for changes. One
    query, whatever the number of releases (none without a release to ask about)."""
    ids = {release.pk for release in releases if not release.is_on_record}
    if not ids:
        return {}
    latest = (
        ReleaseEvent.objects.filter(release=OuterRef("release"), action__in=SUPERSEDING)
        .order_by("-at", "-pk")
        .values("pk")[:1]
    )
    standing = ReleaseEvent.objects.filter(
        release__in=ids, action=Action.REVIEW_CHANGES, pk=Subquery(latest)
    ).select_related("preview_link")
    return {verdict.release_id: ChangesAsked(verdict) for verdict in standing}


def mark_changes_asked(releases) -> None:
    """Each of ``releases`` given ``changes_asked``: its standing request, or None (one query,
    as ``changes_asked``), for lists that show it beside each release."""
    asked = changes_asked(releases)
    for release in releases:
        release.changes_asked = asked.get(release.pk)


def changes_asked_of(release) -> ChangesAsked | None:
    """The standing request for changes of ``release``, if any, saying whether its words
    changed since the reviewer read them (``outdated``)."""
    asked = changes_asked([release]).get(release.pk)
    if asked is None:
        return None
    changed = bool(outdated([asked.verdict], words_fingerprint(release)))
    return ChangesAsked(asked.verdict, words_changed=changed)
