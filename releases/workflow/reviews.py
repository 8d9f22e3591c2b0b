"""Outside reviewers (legal, a spokesperson's office) answer through their preview link: they
approve, or ask for changes saying which. Each verdict goes into the release's history under
the name the link was made for; it changes nothing else (an editor still approves)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from releases.models import PreviewLink, ReleaseEvent
from releases.text.html import clean_control_characters

Action = ReleaseEvent.Action
VERDICTS = {"approve": Action.REVIEW_APPROVED, "changes": Action.REVIEW_CHANGES}
LINK_ENDED = _("This preview link no longer works: it expired or was revoked.")
ALREADY_PUBLIC = _("This release is public already: there is nothing left to review.")
SAY_WHICH_CHANGES = _("Say which changes you ask for.")
UNKNOWN_VERDICT = _("Choose “Approve” or “Ask for changes”.")
COMMENT_LENGTH = 4000


@transaction.atomic
def record_verdict(*, link: PreviewLink, verdict: str, comment: str = "") -> ReleaseEvent:
    """Record an outside reviewer's verdict on the release of ``link``."""
    link = PreviewLink.objects.select_for_update().select_related("release").get(pk=link.pk)
    if not link.is_active:
        raise ValidationError(LINK_ENDED, code="ended")
    if link.release.is_on_record:
        raise ValidationError(ALREADY_PUBLIC, code="public")
    if verdict not in VERDICTS:
        raise ValidationError(UNKNOWN_VERDICT, code="verdict")
    comment = clean_control_characters(comment).strip()[:COMMENT_LENGTH]
    if verdict == "changes" and not comment:
        raise ValidationError(SAY_WHICH_CHANGES, code="comment")
    who = link.reviewer or str(_("An outside reviewer"))
    return ReleaseEvent.objects.create(
        release=link.release,
        action=VERDICTS[verdict],
        preview_link=link,
        note=f"{who}: {comment}" if comment else who,
    )
