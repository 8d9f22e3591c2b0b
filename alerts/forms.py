from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from alerts.models import Frequency, Subscriber
from alerts.subscriptions import Choices
from releases.models import Campaign, ReleaseType, Topic

EVERYTHING, CHOSEN = "everything", "chosen"
NOTHING_CHOSEN = _("Choose at least one type, topic or campaign, or choose every release.")


class ChoicesForm(forms.Form):
    """What a subscriber receives, how often, in which language: in the order of the form
    on the home page (templates/alerts/includes/signup_form.html)."""

    field_order = ["scope", "release_types", "topics", "campaigns", "frequency", "language"]

    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )
    scope = forms.ChoiceField(
        label=_("Which releases"),
        choices=[(EVERYTHING, _("Every release")), (CHOSEN, _("Only those I choose below"))],
        initial=EVERYTHING,
        widget=forms.RadioSelect,
    )
    release_types = forms.MultipleChoiceField(
        label=_("Types"),
        choices=ReleaseType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    campaigns = forms.ModelMultipleChoiceField(
        label=_("Campaigns"),
        queryset=Campaign.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATELY,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What the public may know of, as of this request (the rule reads the clock).
        self.fields["topics"].queryset = Topic.objects.public()
        self.fields["campaigns"].queryset = Campaign.objects.public()

    def clean(self):
        data = super().clean()
        chosen = data.get("release_types") or data.get("topics") or data.get("campaigns")
        if data.get("scope") == CHOSEN and not chosen:
            raise forms.ValidationError(NOTHING_CHOSEN, code="nothing")
        return data

    def choices(self) -> Choices:
        data = self.cleaned_data
        return Choices(
            language=data["language"],
            everything=data["scope"] == EVERYTHING,
            release_types=data.get("release_types") or [],
            topics=list(data.get("topics") or []),
            campaigns=list(data.get("campaigns") or []),
            frequency=data["frequency"],
        )

    @classmethod
    def initial_for(cls, subscriber: Subscriber) -> dict:
        return {
            "language": subscriber.language,
            "scope": EVERYTHING if subscriber.everything else CHOSEN,
            "release_types": subscriber.chosen_types(),
            "topics": list(subscriber.topics.all()),
            "campaigns": list(subscriber.campaigns.all()),
            "frequency": subscriber.frequency,
        }


class SignupForm(ChoicesForm):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # The page the form was on, for the consent record.
    source = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    field_order = ["email", *ChoicesForm.field_order]

    def clean_source(self):
        source = self.cleaned_data.get("source") or ""
        return source if source.startswith("/") and not source.startswith("//") else ""
