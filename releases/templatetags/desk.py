"""The desk on the admin's home page (templates/admin/index.html), and the release's history."""

import functools

from django import template
from django.conf import settings
from django.utils import translation

from releases.models import ReleaseEvent
from releases.workflow import states
from releases.workflow.desk import desk_for

register = template.Library()


@register.simple_tag(takes_context=True)
def desk(context):
    request = context.get("request")
    return desk_for(request.user) if request is not None else {}


@register.filter
def publication_state(release) -> str:
    """As the change page and the list name it: “Scheduled for …” while a published release
    waits for its time (its status alone says “Published”), else its status."""
    return states.state_label(release, with_time=True)


@register.filter
def desk_when(moment) -> str:
    return states.desk_when(moment) if moment else ""


@register.filter
def desk_moment(moment) -> str:
    return states.desk_moment(moment) if moment else ""


@register.filter
def record_note(event) -> str:
    return states.record_note(event)


@register.filter
def desk_time(moment) -> str:
    return states.desk_time(moment) if moment else ""


@register.filter
def saved_ago(moment) -> str:
    return states.saved_ago(moment) if moment else ""


@register.filter
def follows_version(twin) -> str:
    return states.follows_version(twin)


@register.filter
def change_reason(reason: str | None) -> str:
    """A revision's reason in the reader's language. The workflow stores its action's value
    (“published”); revisions saved before kept the label in the saver's language, read back
    to their action; a revision saved outside the workflow has none: a dash, not “None”."""
    if not reason:
        return "—"
    value = reason if reason in ReleaseEvent.Action.values else _actions_by_label().get(reason)
    return str(ReleaseEvent.Action(value).label) if value else reason


@functools.cache
def _actions_by_label() -> dict[str, str]:
    """Each action's label in each of the site's languages, to its value."""
    found = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found |= {str(label): value for value, label in ReleaseEvent.Action.choices}
    return found
