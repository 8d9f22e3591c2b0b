"""The admin's forms of the publishing workflow: the release form, scheduling (wall-clock times
in the newsroom's zone), withdrawal reasons and correction notes."""

import re
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from releases.models import Release
from releases.models.twins import validate_twin
from releases.text.languages import ZONE_ABBREVIATIONS, language_in_sentence
from releases.text.zones import in_zone, zone_name
from releases.workflow import go_live, publishing
from releases.workflow.states import desk_moment, newsroom_zone, wall_clock_in_words

INVALID_TIME = _("Enter a date and time, e.g. 2021-05-09 06:00.")
# Translators: %(in_zone)s is “in Pacific time (Vancouver)” or “in Europe/Paris” (in_zone()).
NONEXISTENT_TIME = _(
    "%(time)s does not exist %(in_zone)s: the clocks jump forward an hour that night. "
    "Choose another time."
)
# Translators: %(in_zone)s is “in Pacific time (Vancouver)” or “in Europe/Paris” (in_zone()).
AMBIGUOUS_TIME = _(
    "%(time)s happens twice %(in_zone)s: the clocks fall back an hour that night. "
    "Say which one you mean below."
)
CORRECTION_NOTE_REQUIRED = _("Write the public note of the correction.")
ONLY_PUBLIC_RELEASES_ARE_CORRECTED = _(
    "Only a public release is corrected with a note; before it goes public, edit it freely."
)
# The state in quotation marks, not in brackets: one's name may hold brackets of its own.
TWIN_DESCRIPTION = _("the %(language)s version, “%(headline)s”, which is “%(state)s”")

# The newest releases still missing a language: a translation is linked soon after writing.
TRANSLATION_CHOICES = 200

EDIT_MINOR = "minor"
INVALID_WEB_ADDRESS = _(
    "Use only lowercase letters, numbers and hyphens, e.g. national-police-week."
)
NO_WEB_ADDRESS_FROM_HEADLINE = _(
    "The headline has no letters a web address can be made from: write one, e.g. "
    "national-police-week."
)
SLUG_LENGTH = Release._meta.get_field("slug").max_length
WEB_ADDRESS = re.compile(r"[a-z0-9]+(?:-+[a-z0-9]+)*")
EDIT_CORRECTION = "correction"


def zone_abbreviations(zone: ZoneInfo) -> tuple[str, str | None]:
    """The zone's standard and daylight-time abbreviations, in the active language (None: no
    daylight time), read in January and July of this year."""
    year = datetime.now(UTC).year
    standard, daylight = None, None
    for month in (1, 7):
        moment = datetime(year, month, 15, 12, tzinfo=zone)
        name = moment.tzname() or ""
        name = str(ZONE_ABBREVIATIONS.get(name, name))
        if moment.dst():
            daylight = name
        else:
            standard = name
    return standard or daylight, daylight if standard else None


def describe_time(moment: datetime) -> str:
    """“Sun May 9, 2021 06:00 EDT (10:00 UTC)”: the newsroom's time with its zone, and UTC."""
    in_utc = date_format(moment.astimezone(UTC), "DESK_TIME_FORMAT")
    return f"{desk_moment(moment)} ({in_utc} UTC)"


def wall_clock(moment: datetime) -> str:
    """``moment`` as a ``datetime-local`` input holds it: the newsroom's wall clock, the
    reverse of ``aware_from_wall_clock``."""
    return moment.astimezone(newsroom_zone()).strftime("%Y-%m-%dT%H:%M")


def aware_from_wall_clock(
    wall: datetime, *, fold: int | None, zone: ZoneInfo | None = None
) -> datetime:
    """The moment, in UTC, a wall-clock time in the newsroom's zone (or ``zone``) names; a time
    that does not exist (spring forward) is refused, and one that happens twice (fall back)
    needs ``fold``: 0 for the first, 1 for the second. In UTC because a moment of the repeated
    hour never equals one in another zone (PEP 495): compared with itself read back from the
    database, it would look changed."""
    zone = zone or newsroom_zone()
    shown = wall_clock_in_words(wall)
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    round_trip = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != wall:
        raise forms.ValidationError(
            NONEXISTENT_TIME,
            code="nonexistent",
            params={"time": shown, "in_zone": in_zone(zone.key)},
        )
    if happens_twice(first):
        if fold is None:
            raise forms.ValidationError(
                AMBIGUOUS_TIME,
                code="ambiguous",
                params={"time": shown, "in_zone": in_zone(zone.key)},
            )
        return (second if fold else first).astimezone(UTC)
    return first.astimezone(UTC)


def happens_twice(moment: datetime) -> bool:
    """Whether the wall clock of ``moment`` (aware) names two moments: the hour the clocks
    fall back."""
    return moment.replace(fold=0).utcoffset() != moment.replace(fold=1).utcoffset()


def if_twice_choices(zone: ZoneInfo) -> list[tuple[str, str]]:
    """The answers to “which one?” for a time the clocks of ``zone`` repeat: the value is the
    ``fold`` that ``aware_from_wall_clock`` takes."""
    standard, daylight = zone_abbreviations(zone)
    names = {"standard": standard, "daylight": daylight}
    return [
        ("", _("—")),
        ("0", _("the first one (daylight time, %(daylight)s)") % names),
        ("1", _("the second one (standard time, %(standard)s)") % names),
    ]


def which_one_field(label, help_text="") -> forms.TypedChoiceField:
    """“Which one?” for a time the clocks repeat (``if_twice_choices``): hidden until the time
    it is for falls in that hour (``moment_typed`` then shows it)."""
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=help_text,
        widget=forms.HiddenInput,
    )


class ScheduleForm(forms.Form):
    go_live = forms.CharField(
        label=_("Go-live time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    if_twice = which_one_field(
        _("If that time happens twice"),
        help_text=_("Only needed on the November night the clocks fall back."),
    )
    include_twins = forms.BooleanField(
        required=False,
        initial=True,
        help_text=_(
            "Every language goes public at the same minute: all are scheduled, or none is."
        ),
    )

    def __init__(
        self, *args, twins: Sequence[tuple[Release, str]] = (), warned: bool = False, **kwargs
    ):
        """``twins``: the release's other language versions, each with its state as shown;
        ``warned``: the release's checklist has warnings, to confirm with a tick."""
        super().__init__(*args, **kwargs)
        if warned:
            self.fields["accept_warnings"] = accept_warnings_field()
        name_the_zone(self, "go_live")
        if not twins:
            del self.fields["include_twins"]
            return
        field = self.fields["include_twins"]
        field.label = _("Also schedule %(twins)s, for the same minute") % {
            "twins": "; ".join(
                str(
                    TWIN_DESCRIPTION
                    % {
                        "language": language_in_sentence(twin.language),
                        "headline": twin.headline,
                        "state": state,
                    }
                )
                for twin, state in twins
            )
        }
        refusals = [
            refusal for twin, _state in twins if (refusal := publishing.twin_schedule_refusal(twin))
        ]
        if refusals:
            # Shown, unticked and locked, with the reason; a forged tick is ignored.
            field.disabled = True
            field.initial = False
            field.help_text = " ".join(str(refusal) for refusal in refusals)

    def clean(self):
        cleaned = super().clean()
        moment = moment_typed(self, "go_live")
        if moment is not None:
            cleaned["at"] = moment
        return cleaned


def name_the_zone(form: forms.Form, name: str) -> None:
    """The help text of ``form``'s time field ``name`` names the newsroom's zone (``TIME_ZONE``)
    and its abbreviations; its “which one?” (``if_twice``) goes where no clock falls back."""
    zone = newsroom_zone()
    standard, daylight = zone_abbreviations(zone)
    names = {"zone": zone_name(zone.key), "standard": standard, "daylight": daylight}
    if daylight is None:
        form.fields[name].help_text = _("%(zone)s: %(standard)s all year.") % names
        del form.fields["if_twice"]
        return
    form.fields[name].help_text = (
        _("%(zone)s: %(daylight)s in summer, %(standard)s in winter.") % names
    )
    form.fields["if_twice"].choices = if_twice_choices(zone)


def moment_typed(form: forms.Form, name: str) -> datetime | None:
    """The moment typed in ``form``'s field ``name``, a wall-clock time in the newsroom's zone
    (with the form's ``if_twice`` in the hour the clocks repeat, asked for when needed); None,
    with the field's error, when there is none to read."""
    cleaned = form.cleaned_data
    text = (cleaned.get(name) or "").strip().replace("T", " ")
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        form.add_error(name, forms.ValidationError(INVALID_TIME, code="invalid"))
        return None
    try:
        if moment.tzinfo is None:
            moment = aware_from_wall_clock(moment, fold=cleaned.get("if_twice"))
        # The calendar's ends (year 9999's last days, year 1's first) have no UTC time.
        moment.astimezone(UTC).astimezone(newsroom_zone())
    except OverflowError:
        # Any other time too far ahead is refused by the workflow (``go_live``).
        invalid = forms.ValidationError(INVALID_TIME, code="invalid")
        form.add_error(name, go_live.too_far_ahead(text) if moment.year > 1 else invalid)
        return None
    except forms.ValidationError as error:
        if error.code == "ambiguous":
            field = form.fields["if_twice"]
            field.widget = forms.Select(choices=field.choices)
        form.add_error(name, error)
        return None
    return moment


ACCEPT_WARNINGS_LABEL = _("I have read these warnings: go ahead anyway.")


def accept_warnings_field() -> forms.BooleanField:
    """The tick that confirms the checklist's warnings (``releases.workflow.checklist``)."""
    return forms.BooleanField(
        label=ACCEPT_WARNINGS_LABEL,
        required=True,
        error_messages={"required": _("Tick the box to confirm that you have read the warnings.")},
    )


class ConfirmWarningsForm(forms.Form):
    CONFIRMING = "confirming"

    confirming = forms.CharField(widget=forms.HiddenInput, initial="1", required=False)
    accept_warnings = accept_warnings_field()


FIRST_PUBLISHED_HELP = _(
    "Only for a release that went out before, such as an archived one entered now: the date "
    "and time it first went public. It is published with that date, takes its place there in "
    "lists, archives and feeds, and subscribers are not alerted to it as news. Leave empty to "
    "publish it now."
)


class PublishNowForm(ConfirmWarningsForm):
    """“Publish now”, with the checklist's warnings to confirm (``warned``) and, to backdate a
    release that went out before, the moment it was first published (``at``, or None)."""

    first_published = forms.CharField(
        label=_("First published (to backdate)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    if_twice = which_one_field(_("If that time happened twice"))

    def __init__(self, *args, warned: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not warned:
            del self.fields["accept_warnings"]
        name_the_zone(self, "first_published")
        field = self.fields["first_published"]
        field.help_text = f"{FIRST_PUBLISHED_HELP} {field.help_text}"
        self.order_fields(["first_published"])  # the tick confirming warnings, last

    def clean(self):
        cleaned = super().clean()
        cleaned["at"] = moment_typed(self, "first_published")
        return cleaned


REASON_IN = _("Reason, in %(language)s")
TWIN_REASON_IN = _("Reason, in %(language)s, for “%(headline)s”")
TWIN_REASON_HELP = _(
    "Needed if you withdraw the %(language)s version too: shown publicly on its page, under its "
    "banner in %(language)s."
)


class EndingForm(forms.Form):
    """The words a release is taken back with (``field``), and those of its public language
    versions (``twins``) when they are taken back with it."""

    field = ""

    def __init__(self, *args, release: Release, twins: Sequence[Release] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.release, self.twins = release, list(twins)

    def words(self) -> dict[str, str]:
        """Each version's words, by language (``publishing.end_with_twins``): here the same."""
        said = self.cleaned_data[self.field]
        return {version.language: said for version in [self.release, *self.twins]}


class ReasonForm(EndingForm):
    """A withdrawal's reason is public, on each version's page in its language: one reason per
    language, the other versions' asked for (and needed) when they are withdrawn too."""

    field = "reason"
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown publicly on the release's page."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = {"language": language_in_sentence(self.release.language)}
        self.fields["reason"].label = REASON_IN % language
        self.fields["reason"].widget.attrs["lang"] = self.release.language
        for twin in self.twins:
            params = publishing.twin_params(twin)
            self.fields[f"reason_{twin.language}"] = forms.CharField(
                label=TWIN_REASON_IN % params,
                widget=forms.Textarea(attrs={"rows": 3, "lang": twin.language}),
                required=False,
                help_text=TWIN_REASON_HELP % params,
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("include_twins"):
            for twin in self.twins:
                name = f"reason_{twin.language}"
                if not (cleaned.get(name) or "").strip():
                    params = publishing.twin_params(twin)
                    self.add_error(
                        name, ValidationError(publishing.TWIN_NEEDS_ITS_REASON % params, "required")
                    )
        return cleaned

    def words(self) -> dict[str, str]:
        twins = {
            twin.language: self.cleaned_data.get(f"reason_{twin.language}", "")
            for twin in self.twins
        }
        return twins | {self.release.language: self.cleaned_data["reason"]}


class NoteForm(EndingForm):
    field = "note"
    note = forms.CharField(
        label=_("Note for the log"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReleaseAdminForm(forms.ModelForm):
    """The release form, with the version it was loaded at (optimistic locking), its link to a
    translation (twins share a translation group) and, for a published release, whether the
    change is a minor edit or a public correction."""

    version_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)
    translation_of = forms.ModelChoiceField(
        # Either way round: the original's form shows its translation here too.
        label=_("Linked language version"),
        queryset=Release.objects.none(),
        required=False,
        help_text=_(
            "The same release in another language. Each language version is its own release; "
            "linking them lets readers switch between them. Leave empty to unlink."
        ),
    )
    edit_kind = forms.ChoiceField(
        label=_("Kind of change"),
        choices=[
            (EDIT_MINOR, _("Minor edit (typo): the public “updated” time stays")),
            (EDIT_CORRECTION, _("Correction: shown publicly with a note, “updated” moves")),
        ],
        initial=EDIT_MINOR,
        widget=forms.RadioSelect,
        required=False,
    )
    correction_note = forms.CharField(
        label=_("Public correction note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("E.g. “The date of the ceremony was May 12, not May 11.”"),
    )

    class Meta:
        model = Release
        fields = [
            "release_type",
            "language",
            "headline",
            "subheadline",
            "slug",
            "dateline_city",
            "dateline_region",
            "summary",
            "body",
            "campaign",
            "topics",
            "media_contacts",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["version_seen"].initial = self.instance.version
        if "slug" in self.fields:  # left empty, made from the headline (clean_slug)
            self.fields["slug"].required = False
            self.fields["slug"].error_messages["invalid"] = INVALID_WEB_ADDRESS
        self._offer_translations()

    def clean_slug(self):
        """The web address as its help describes it: made from the headline when left empty
        (as the page's script does while the headline is typed), in lower case, of lowercase
        letters, numbers and hyphens only."""
        slug = (self.cleaned_data.get("slug") or "").strip().lower()
        if not slug:
            headline = self.cleaned_data.get("headline") or ""
            slug = slugify(headline)[:SLUG_LENGTH].strip("-")
            if not slug and headline:  # no Latin letter or number to make it from
                raise ValidationError(NO_WEB_ADDRESS_FROM_HEADLINE, code="required")
        if slug and not WEB_ADDRESS.fullmatch(slug):
            raise ValidationError(INVALID_WEB_ADDRESS, code="invalid")
        return slug

    def _offer_translations(self):
        release = self.instance
        twins = Release.objects.none()
        if release.pk:
            twins = Release.objects.twins_of(release)
            self.initial.setdefault("translation_of", twins.first())
        # Offer what can still be linked: releases still missing a language, and the twins.
        incomplete = (
            Release.objects.values("translation_group")
            .annotate(versions=Count("pk"))
            .filter(versions__lt=len(settings.LANGUAGES))
            .values("translation_group")
        )
        candidates = Release.objects.filter(translation_group__in=incomplete)
        if release.pk:
            candidates = candidates.exclude(translation_group=release.translation_group)
        # Any release may be chosen (clean() says why one cannot); the list offers those above.
        field = self.fields["translation_of"]
        field.queryset = Release.objects.all()
        # The linked twins always, so that saving the form never unlinks one by accident.
        offered = list(twins) + list(
            candidates.order_by("-publish_at", "-pk")[:TRANSLATION_CHOICES]
        )
        field.widget.choices = [("", "---------")] + [
            (twin.pk, f"[{twin.language}] {twin.headline}") for twin in offered
        ]

    def _clean_translation(self, cleaned):
        twin, language = cleaned.get("translation_of"), cleaned.get("language")
        if twin is not None and language:
            try:
                validate_twin(self.instance, twin, language)
            except ValidationError as error:
                self.add_error("translation_of", error)
                return
            self.instance.translation_group = twin.translation_group
        elif twin is None and self.initial.get("translation_of") is not None:
            self.instance.translation_group = uuid.uuid4()

    def clean(self):
        cleaned = super().clean()
        try:
            # Inside the admin's transaction: the row stays locked until the save.
            publishing.check_version(self.instance, cleaned.get("version_seen") or None)
        except publishing.StaleVersion as stale:
            url = reverse("admin:releases_release_change", args=[self.instance.pk])
            raise forms.ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>', stale.messages[0], url, _("Open the newer version")
                ),
                code="stale",
            ) from None
        if cleaned.get("edit_kind") == EDIT_CORRECTION:
            refusal = publishing.correction_refusal(
                self.instance, cleaned.get("correction_note") or ""
            )
            if refusal is not None and refusal.code == "state":
                self.add_error(None, ONLY_PUBLIC_RELEASES_ARE_CORRECTED)
            elif refusal is not None:
                self.add_error("correction_note", CORRECTION_NOTE_REQUIRED)
        self._clean_translation(cleaned)
        return cleaned
