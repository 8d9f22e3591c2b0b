"""Fields edited in English and French side by side (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from releases.models import (
    Campaign,
    CampaignVisual,
    MediaContact,
    Organisation,
    SharingImage,
    Spokesperson,
    SpokespersonHeadshot,
    Topic,
)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "name_in_sentence", "short_name", "tagline", "boilerplate", "end_mark")


# A campaign's and a topic's slug is written in each language, as their names are
# (``releases.models.slugs``); a spokesperson's is their name, the same in both.


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name", "slug")


@register(Campaign)
class CampaignTranslation(TranslationOptions):
    fields = ("name", "slug", "theme", "description")


@register(Spokesperson)
class SpokespersonTranslation(TranslationOptions):
    fields = (
        "honorific",
        "honorific_in_sentence",
        "title",
        "organisation_name",
        "organisation_in_sentence",
        "bio",
    )


@register(MediaContact)
class MediaContactTranslation(TranslationOptions):
    fields = ("role", "organisation_name")


# The images of what is bilingual say what they show in the reader's language: the alt text,
# and the caption the campaign's page prints under its visual. A release's own images have
# its one language. Credits and licences are names and terms, the same in both.


@register(SharingImage)
class SharingImageTranslation(TranslationOptions):
    fields = ("alt_text",)


@register(CampaignVisual)
class CampaignVisualTranslation(TranslationOptions):
    fields = ("alt_text", "caption")


@register(SpokespersonHeadshot)
class SpokespersonHeadshotTranslation(TranslationOptions):
    fields = ("alt_text",)
