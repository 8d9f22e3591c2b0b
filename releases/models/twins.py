"""Language versions ("twins"): the releases of one translation group, one per language. The
query itself is ``ReleaseQuerySet.twins_of``."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from releases.models.release import Release

TWIN_IS_ITSELF = _("A release cannot be its own translation.")
TWIN_IN_SAME_LANGUAGE = _("A translation must be in another language than the release.")
TWIN_LANGUAGE_TAKEN = _("That release already has a translation in this language: %(headline)s")


def validate_twin(release, twin, language: str) -> None:
    """The rules of a translation link: another release, in another language, and the only
    one of its group in this language."""
    if release.pk and twin.pk == release.pk:
        raise ValidationError(TWIN_IS_ITSELF, code="twin-itself")
    if twin.language == language:
        raise ValidationError(TWIN_IN_SAME_LANGUAGE, code="twin-same-language")
    taken = Release.objects.twins_of(twin).filter(language=language).exclude(pk=release.pk).first()
    if taken is not None:
        raise ValidationError(
            TWIN_LANGUAGE_TAKEN, code="twin-language-taken", params={"headline": taken.headline}
        )


def public_twins(release):
    """The other language versions of ``release`` the public may see (``published()``): the
    only ones any page, format or sitemap links to. A withdrawn or unpublished version is
    linked from nowhere; its own address still says what became of it."""
    return Release.objects.published().twins_of(release)


def twins_still_to_go_public(release):
    """The other language versions of ``release`` scheduled but not yet public: they will go
    public on their own unless unscheduled."""
    return Release.objects.twins_of(release).going_public_after(timezone.now())


def release_versions(release) -> dict[str, str]:
    """The public language versions of a release, itself included: {language: path}. A
    release annotated ``has_twin=False`` (the release page does that) costs no query."""
    if not getattr(release, "has_twin", True):
        return {release.language: release.get_absolute_url()}
    versions = {twin.language: twin.get_absolute_url() for twin in public_twins(release)}
    versions[release.language] = release.get_absolute_url()
    return versions
