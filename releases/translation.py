"""Fields edited in English and French side by side (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from releases.models import Campaign, MediaContact, Organisation, Spokesperson, Topic


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "short_name", "tagline", "boilerplate")


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)


@register(Campaign)
class CampaignTranslation(TranslationOptions):
    fields = ("name", "theme", "description")


@register(Spokesperson)
class SpokespersonTranslation(TranslationOptions):
    fields = ("honorific", "honorific_in_sentence", "title", "organisation_name", "bio")


@register(MediaContact)
class MediaContactTranslation(TranslationOptions):
    fields = ("role", "organisation_name")
