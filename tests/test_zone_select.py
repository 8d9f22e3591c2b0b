"""The event's zone select offers some 400 zones, on every advisory's change page twice (the
event's form and the empty one “Add another” copies). Django's own select renders a template
per option; this one builds its options once per language and list, and must read exactly as
Django's would: the same options and groups, the names in the desk's language, the stored zone
chosen, everything escaped."""

import pytest
from django import forms
from django.forms import modelform_factory
from django.test.signals import template_rendered
from django.utils import translation

from formats.admin import AdvisoryEventForm, ZoneSelect
from formats.models import AdvisoryEvent
from releases.text.zones import zone_choices

ATTRS = {"id": "id_advisory_event-0-time_zone", "aria-describedby": "id_zone_helptext"}
EventForm = modelform_factory(AdvisoryEvent, form=AdvisoryEventForm, fields=["time_zone"])


def both(choices, value, attrs=ATTRS) -> tuple[str, str]:
    """The select as this widget renders it, and as Django's own would."""
    name = "advisory_event-0-time_zone"
    return (
        ZoneSelect(choices=choices).render(name, value, attrs),
        forms.Select(choices=choices).render(name, value, attrs),
    )


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "value", ["America/Toronto", "America/St_Johns", "Europe/Paris", "US/Pacific", "", None]
)
def test_the_zone_select_reads_as_djangos_own(language, value):
    """A legacy alias (US/Pacific) is offered, and chosen, when it is what is stored."""
    with translation.override(language):
        ours, djangos = both(zone_choices(value), value)
    assert ours == djangos


def test_a_newsroom_outside_canada_gets_the_same_list_as_djangos(settings):
    settings.TIME_ZONE = "Europe/London"
    with translation.override("fr"):
        ours, djangos = both(zone_choices(), "America/Vancouver")
    assert "Heure du Pacifique (Vancouver)</option>" in ours
    assert ours == djangos


def test_a_value_not_offered_is_not_chosen():
    ours, djangos = both(zone_choices("Mars/Olympus_Mons"), "Mars/Olympus_Mons")
    assert " selected" not in ours
    assert ours == djangos


def test_labels_values_and_attributes_are_escaped_as_django_escapes_them():
    choices = [
        ("Tom & <Jerry>", [('a"b', "<b>Bold</b> & co"), ("c'd", "it’s")]),
        ("<script>", "alert(1)"),
    ]
    for value in ['a"b', "c'd", "<script>"]:
        ours, djangos = both(choices, value, {"data-x": '"><img>', "required": True})
        assert "<b>" not in ours and "<img>" not in ours and "<script>" not in ours
        assert ours == djangos


def test_each_language_gets_its_own_names_though_the_options_are_built_once():
    rendered = {}
    for language in ["en", "fr", "en", "fr"]:
        with translation.override(language):
            rendered.setdefault(language, set()).add(
                ZoneSelect(choices=zone_choices()).render("zone", "America/Toronto")
            )
    (english,), (french,) = rendered["en"], rendered["fr"]
    assert '<option value="America/Toronto" selected>Eastern time (Toronto, Ottawa)' in english
    assert '<option value="America/Toronto" selected>Heure de l’Est (Toronto, Ottawa)' in french
    assert '<optgroup label="Ailleurs (région/ville)">' in french
    assert "Pacific time" not in french and "Heure du" not in english


def test_the_event_form_renders_its_zones_without_a_template_per_option():
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        html = str(EventForm(prefix="advisory_event-0")["time_zone"])
    finally:
        template_rendered.disconnect(record)

    assert html.count("<option ") > 400
    assert '<option value="America/Toronto" selected>' in html
    assert len(rendered) <= 3, rendered
