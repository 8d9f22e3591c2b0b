"""Spokespeople, their headshots, and what they said (quotes keep their attribution)."""

from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname, get_language
from simple_history.models import HistoricalRecords

from releases.models.campaigns import ANNOUNCE_NOW_HELP, ANNOUNCE_NOW_LABEL
from releases.models.release import Release
from releases.models.stored_image import StoredImage
from releases.text.html import (
    clean_control_characters,
)
from releases.text.languages import of_organisation
from releases.text.typography import quoted


class SpokespersonQuerySet(models.QuerySet):
    def public(self):
        """Spokespeople the public may know of: quoted in a release on record, or announced
        now by an editor. Before that, their page answers as an unknown one does."""
        return self.filter(
            models.Q(announce_now=True)
            | models.Exists(
                Quote.objects.filter(
                    spokesperson=models.OuterRef("pk"),
                    release__in=Release.objects.published(include_withdrawn=True),
                )
            )
        )


class Spokesperson(models.Model):
    honorific = models.CharField(
        _("honorific"),
        max_length=40,
        blank=True,
        help_text=_(
            "As it reads before their name standing alone (their page, lists), e.g. Chief, "
            "Dr., Deputy Chief."
        ),
    )
    honorific_in_sentence = models.CharField(
        _("honorific in a sentence"),
        max_length=60,
        blank=True,
        help_text=_(
            "As it reads before their name inside a sentence, after “said”, with its article "
            "and capitals as the language writes them: in French « le chef », "
            "« la Dre », « le sous-commissaire »; in English “the "
            "Honourable”. Left empty, the honorific above is used as it is (“said Chief …”). "
            "Fills the attribution of new quotes."
        ),
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(
        _("current title"),
        max_length=200,
        blank=True,
        help_text=_("E.g. President. Quotes keep the title given at the time."),
    )
    organisation_name = models.CharField(
        _("organisation"), max_length=200, blank=True, help_text=_("Where they hold that title.")
    )
    organisation_in_sentence = models.CharField(
        _("organisation in a sentence"),
        max_length=200,
        blank=True,
        help_text=_(
            "Its name as it reads after “of” in a sentence, with its article as the language "
            "writes it, or none: “the Canadian Association of Chiefs of Police”, “Shelter”; in "
            "French « l’Association canadienne des chefs de police », « la "
            "Ville de Montréal » (« de » is added). Left empty, it is "
            "“of the” and the organisation above. Fills the attribution of new quotes."
        ),
    )
    bio = models.TextField(_("short bio"), blank=True)
    announce_now = models.BooleanField(
        ANNOUNCE_NOW_LABEL, default=False, help_text=ANNOUNCE_NOW_HELP
    )

    objects = SpokespersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("spokesperson")
        verbose_name_plural = _("spokespeople")

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("releases:spokesperson-detail", kwargs={"slug": self.slug})

    @property
    def full_name(self):
        """“Chief Bryan Larkin”, « Chef Bryan Larkin »: the name standing alone (a heading, a
        list), in the active language."""
        return f"{self.honorific} {self.name}".strip()

    @property
    def name_in_sentence(self):
        """« le chef Bryan Larkin »: the name as a sentence of the active language writes it
        (after « a déclaré »), from that language's own “honorific in a sentence”; without
        one, the name standing alone (never another language's sentence form)."""
        language = get_language()  # the active one, as modeltranslation reads it
        column = build_localized_fieldname("honorific_in_sentence", language)
        in_sentence = (getattr(self, column) or "").strip()
        return f"{in_sentence} {self.name}".strip() if in_sentence else self.full_name

    def current_attribution(self, language: str | None = None, *, in_sentence=False) -> str:
        """“Chief Bryan Larkin, President of the Canadian Association of Chiefs of Police”;
        in French « Chef Bryan Larkin, président de l’Association canadienne des chefs de
        police », from the fields of that language (the active one unless given). A quote's
        (``in_sentence``) follows the verb: « le chef Bryan Larkin, président de … »."""
        with translation.override(language or translation.get_language()):
            title, organisation = self.title, self.organisation_name
            # This language's own, never the other's (modeltranslation would fall back to it).
            column = build_localized_fieldname("organisation_in_sentence", get_language())
            in_sentence_name = (getattr(self, column) or "").strip()
            if title and (organisation or in_sentence_name):
                role = of_organisation(title, organisation, in_sentence=in_sentence_name)
            else:
                role = title or organisation
            name = self.name_in_sentence if in_sentence else self.full_name
            return f"{name}, {role}" if role else name


class HeadshotQuerySet(models.QuerySet):
    def public(self):
        """A headshot shows once its spokesperson is public, never before."""
        return self.filter(spokesperson__in=Spokesperson.objects.public())


class SpokespersonHeadshot(StoredImage):
    objects = HeadshotQuerySet.as_manager()
    spokesperson = models.OneToOneField(
        Spokesperson,
        on_delete=models.CASCADE,
        related_name="headshot",
        verbose_name=_("spokesperson"),
    )

    file_view_name = "files:headshot"

    class Meta:
        verbose_name = _("headshot")
        verbose_name_plural = _("headshots")


class Quote(models.Model):
    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="quotes", verbose_name=_("release")
    )
    spokesperson = models.ForeignKey(
        Spokesperson,
        on_delete=models.PROTECT,
        related_name="quotes",
        verbose_name=_("spokesperson"),
    )
    text = models.TextField(
        _("words"),
        help_text=_("The words only, without quotation marks; they are added in print."),
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=300,
        blank=True,
        help_text=_(
            "As given at the time, e.g. “Chief Bryan Larkin, President of the Canadian "
            "Association of Chiefs of Police” (after “said”). Left empty, it is filled from "
            "the spokesperson's current title, as a sentence names them, and then kept as it is."
        ),
    )
    position = models.PositiveSmallIntegerField(
        _("after paragraph"),
        default=1,
        help_text=_("The quote is printed after this paragraph of the body (1 = the first)."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self):
        """“We are listening.” — Chief Bryan Larkin; « … » — … in a French release: the words in
        their release's quotation marks, cut after 60 characters."""
        words = self.text if len(self.text) <= 60 else f"{self.text[:60].rstrip()}…"
        language = self.release.language if self.release_id is not None else "en"
        shown = quoted(words, language)
        return f"{shown} — {self.attribution}" if self.attribution else shown

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    def normalize(self) -> None:
        """The quote as it is stored: its words without quotation marks (print adds them),
        and an empty attribution filled from the spokesperson's title in the release's
        language, naming them as a sentence of that language does (« le chef … »)."""
        self.text = clean_control_characters(self.text).strip().strip('"“”«» ')
        if not self.attribution and self.spokesperson_id:
            self.attribution = self.spokesperson.current_attribution(
                self.release.language, in_sentence=True
            )

    def printed(self) -> dict:
        """The words in the release language's quotation marks, and the verb that follows:
        “…,” said … in English; « … », a déclaré … in French."""
        words = self.text.rstrip()
        with translation.override(self.release.language):
            if self.release.language == "fr":
                words = words.removesuffix(".").rstrip()
                return {"words": quoted(words, "fr") + ",", "verb": gettext("said")}
            if words.endswith("."):
                words = words[:-1]
            if not words.endswith(("?", "!", ",")):
                words += ","
            return {"words": quoted(words, "en"), "verb": gettext("said")}
