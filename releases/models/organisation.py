"""The organisation that runs the newsroom, its topics and media contacts."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname, get_language

from pagecache import caching
from releases.colours import (
    DEFAULT_ACCENT,
    DEFAULT_BRAND,
    Colours,
    check_accent_colour,
    check_brand_colour,
    colours_of,
)
from releases.models.campaigns import ANNOUNCE_NOW_HELP, ANNOUNCE_NOW_LABEL
from releases.models.release import Release
from releases.models.slugs import (
    SLUG_HELP,
    clean_slugs,
    said_as_duplicate,
    unique_slug_constraints,
)
from releases.models.stored_image import StoredImage
from releases.text.languages import after_of, after_of_in_sentence
from releases.text.phones import check_phone

# What ends a release when no organisation says otherwise: Canada's and Quebec's mark.
END_MARK = "-30-"
TOPIC_EXISTS = _("“%(title)s” already exists: give this one another name, or another web address.")


class Organisation(models.Model):
    """The organisation that runs the newsroom. There is one; it is data, not code."""

    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("Full name, as printed at the top of every release."),
    )
    name_in_sentence = models.CharField(
        _("name in a sentence"),
        max_length=200,
        blank=True,
        help_text=_(
            "The name as it reads inside a sentence, after “About” or “of”, with its article "
            "as the language writes it, or none: “the Canadian Association of Chiefs of "
            "Police”, “Shelter”; in French « l’Association canadienne des chefs de "
            "police », « la Ville de Montréal » (« de » is added). Left empty, "
            "the name above is used as it is (“About Canadian Association …”)."
        ),
    )
    short_name = models.CharField(
        _("short name"), max_length=30, blank=True, help_text=_("Acronym, e.g. CACP.")
    )
    tagline = models.CharField(
        _("tagline"),
        max_length=300,
        blank=True,
        help_text=_("One sentence printed under the name in the release header."),
    )
    boilerplate = models.TextField(
        _("boilerplate"),
        blank=True,
        help_text=_("The “About” paragraph printed after the end mark of every release."),
    )
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        help_text=_(
            "A square or nearly square logo, at least 512 pixels wide (PNG, JPEG or WebP): the "
            "site's icons are made from it, and it shows beside the name in the header. Without "
            "one, the icons show the short name."
        ),
    )
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        default=DEFAULT_BRAND,
        validators=[check_brand_colour],
        help_text=_(
            "The site's main colour, as # and six hexadecimal digits (e.g. #0b3d6e): the "
            "header's background under white text, links, rules, buttons and the plain icons. "
            "It must be dark enough for white text on it and for links in it on white and on the "
            "light panels (the admin says which background fails)."
        ),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default=DEFAULT_ACCENT,
        validators=[check_accent_colour],
        help_text=_(
            "The second colour (e.g. #a3161a): links under the pointer, withdrawn and "
            "cancelled notices. It must be dark enough for text in it on white and on the light "
            "panels (the admin says which background fails)."
        ),
    )
    end_mark = models.CharField(
        _("end mark"),
        max_length=10,
        default=END_MARK,
        help_text=_(
            "Printed after the body, as the release's language marks it: “-30-” in Canada, "
            "“###” in the US, “ENDS” in the UK; « -30- » or « FIN » in French."
        ),
    )
    default_media_contacts = models.ManyToManyField(
        "MediaContact",
        blank=True,
        related_name="+",
        verbose_name=_("default media contacts"),
        help_text=_("Shown on a release that names no contact of its own."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")

    def __str__(self):
        return self.name

    @property
    def name_after_of(self) -> str:
        """Its name as it follows “About” or “of” in the active language: that language's own
        “name in a sentence” (“the Canadian Association …”, « de l’Association … »), never
        the other language's; without one, the name as before (French guesses its article)."""
        column = build_localized_fieldname("name_in_sentence", get_language())
        in_sentence = (getattr(self, column, "") or "").strip()
        return after_of_in_sentence(in_sentence) if in_sentence else after_of(self.name)

    def end_mark_in(self, language: str) -> str:
        """What ends a release in ``language`` (« FIN », “ENDS”), else the default language's."""
        own = getattr(self, f"end_mark_{language}", None)
        return own or getattr(self, f"end_mark_{settings.LANGUAGE_CODE}", None) or END_MARK

    def clean(self):
        """Colours are kept in lower case: the same colour always makes the same addresses."""
        super().clean()
        self.brand_colour = (self.brand_colour or "").lower()
        self.accent_colour = (self.accent_colour or "").lower()

    @property
    def colours(self) -> Colours:
        """Its brand and accent colours (always valid ones: ``colours_of``)."""
        return colours_of(self)

    @classmethod
    def current(cls) -> "Organisation | None":
        """The organisation, read from the database with its sharing image (a join: every
        page's link preview may show it); its default contacts are read where a page shows
        them (``default_contacts``), not by every page that shows its name."""
        return cls.objects.select_related("sharing_image").first()

    @property
    def own_sharing_image(self) -> "SharingImage | None":
        """The sharing image the organisation uploaded, or None (no query once ``current()``
        has read it)."""
        try:
            return self.sharing_image
        except SharingImage.DoesNotExist:
            return None

    @cached_property
    def default_contacts(self) -> list:
        """The default media contacts, read once for this copy of the organisation: a feed's
        fifty entries and a batch of alerts share them."""
        return list(self.default_media_contacts.all())

    @classmethod
    def current_cached(cls) -> "Organisation | None":
        """``current()`` as every page, feed and sitemap reads it: it changes rarely, so it is
        kept under the rules of ``pagecache.caching`` (stale after any change to the
        newsroom's data)."""
        return caching.remember(caching.key_for("organisation"), cls.current)


class SharingImage(StoredImage):
    """The image a shared link shows when its page has none of its own: its 1200×630 card is
    the ``og:image`` of the home page, lists, topics, spokespeople, and of every release and
    campaign without an image. Always public: it belongs to no release."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="sharing_image",
        verbose_name=_("organisation"),
    )

    file_view_name = "files:sharing-image"

    class Meta:
        verbose_name = _("sharing image")
        verbose_name_plural = _("sharing image")


def newsroom_name(organisation: Organisation | None) -> str:
    """What the newsroom calls itself: the organisation's name, or “Newsroom” in the active
    language when there is no organisation yet."""
    return organisation.name if organisation else gettext("Newsroom")


class TopicQuerySet(models.QuerySet):
    def public(self):
        """Topics the public may know of: given to a release on record, or announced now by
        an editor. Before that, the topic's page and feeds answer as unknown ones do."""
        return self.filter(
            models.Q(announce_now=True)
            | models.Exists(
                Release.topics.through.objects.filter(
                    topic_id=models.OuterRef("pk"),
                    release__in=Release.objects.published(include_withdrawn=True),
                )
            )
        )


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=100)
    # Unique in each language (``Meta.constraints``), not across them.
    slug = models.SlugField(_("slug"), max_length=100, help_text=SLUG_HELP)
    announce_now = models.BooleanField(
        ANNOUNCE_NOW_LABEL, default=False, help_text=ANNOUNCE_NOW_HELP
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = unique_slug_constraints("topic")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("releases:topic", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        clean_slugs(self)

    def full_clean(self, *args, **kwargs):
        """Another topic of the same name is said to exist, on the name."""
        try:
            super().full_clean(*args, **kwargs)
        except ValidationError as error:
            raise said_as_duplicate(self, error, on="name", message=TOPIC_EXISTS) from None


class MediaContact(models.Model):
    """A person journalists can call; reused across releases."""

    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=200, blank=True, help_text=_("Job title."))
    organisation_name = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty when it is the newsroom's own organisation."),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("media contact")
        verbose_name_plural = _("media contacts")

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name

    def clean(self):
        """A number journalists could not dial is refused when staff save the contact (one saved
        before numbers were checked is still shown as typed, without a link)."""
        super().clean()
        try:
            check_phone(self.phone)
        except ValidationError as error:
            raise ValidationError({"phone": error}) from None
