"""Language versions: starting one from another, and knowing when one falls behind.

"Add the French version" starts a draft that carries over what does not need translating
(type, dateline, campaign, topics, media contacts, images with their alt text and caption)
and what does, to be translated in place (headline, summary, body, quotes with their
spokespeople, whose attributions are filled in the new language). The new version is marked
``needs_translation``. Once a version is translated, an edit of its words marks the other
versions as needing an update (``publishing``, which saves every change): the desk lists them.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from releases.media.images import delete_stored_files
from releases.models import Quote, Release, ReleaseImage
from releases.workflow import publishing
from releases.workflow.rules import PERM_ADD

ALREADY_EXISTS = _("This release already has a version in %(language)s.")
SAME_LANGUAGE = _("A translation must be in another language.")
NOT_ALLOWED = _("You do not have permission to create releases.")

# Fields carried over as they are; the words among them are the ones to translate.
CARRIED_OVER = [
    "release_type",
    "headline",
    "subheadline",
    "slug",
    "dateline_city",
    "dateline_region",
    "summary",
    "body",
    "campaign",
    "translation_group",
]


@transaction.atomic
def start_translation(*, release: Release, language: str, by: AbstractBaseUser | None) -> Release:
    """A new draft of ``release`` in ``language``, in its translation group, marked as
    needing translation; refused if that language has a version already."""
    if by is not None and not by.has_perm(PERM_ADD):
        raise ValidationError(NOT_ALLOWED, code="permission")
    if language == release.language:
        raise ValidationError(SAME_LANGUAGE, code="language")
    # Two clicks at once: the second waits here, then finds the first one's version.
    Release.objects.select_for_update().filter(pk=release.pk).exists()
    if Release.objects.twins_of(release).filter(language=language).exists():
        raise ValidationError(
            ALREADY_EXISTS % {"language": _language_name(language)}, code="exists"
        )
    draft = Release(
        language=language,
        needs_translation=True,
        created_by=by,
        **{name: getattr(release, name) for name in CARRIED_OVER},
    )
    publishing.save_draft(release=draft, by=by)
    draft.topics.set(release.topics.all())
    draft.media_contacts.set(release.media_contacts.all())
    for quote in release.quotes.select_related("spokesperson"):
        # The attribution is left empty, to be filled in the new language from the title.
        Quote.objects.create(
            release=draft, spokesperson=quote.spokesperson, text=quote.text, position=quote.position
        )
    written: list[str] = []
    try:
        for image in release.images.all():
            copy_image(image, to=draft, written=written)
    except Exception:
        delete_stored_files(written)  # the rows go with the transaction, the files here
        raise
    return draft


def copy_image(image: ReleaseImage, *, to: Release, written: list[str]) -> ReleaseImage:
    """The same image on another release, its stored files copied (nothing is uploaded or
    re-encoded again): each release owns its files, which follow its own visibility. The names
    written are added to ``written``, for the caller to remove should anything fail."""
    key = uuid.uuid4()
    records = []
    try:
        for record in image.files:
            with default_storage.open(record["name"]) as source:
                name = default_storage.save(
                    f"images/{key}/{PurePosixPath(record['name']).name}", source
                )
            written.append(name)
            records.append(record | {"name": name})
        copy = ReleaseImage.objects.create(
            release=to,
            key=key,
            position=image.position,
            alt_text=image.alt_text,
            caption=image.caption,
            credit=image.credit,
            licence=image.licence,
            width=image.width,
            height=image.height,
            format=image.format,
            files=records,
        )
    except Exception:
        delete_stored_files(written)
        written.clear()
        raise
    return copy


def waiting_for_translation():
    """Versions to translate or bring up to date, with the version they follow."""
    return Release.objects.filter(needs_translation=True).exclude(status="unpublished")


def _language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))
