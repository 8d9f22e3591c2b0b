"""The desk on the admin's home page (templates/admin/index.html), and the release's history."""

from django import template

from releases.models import ReleaseEvent
from releases.workflow.desk import desk_for

register = template.Library()


@register.simple_tag(takes_context=True)
def desk(context):
    request = context.get("request")
    return desk_for(request.user) if request is not None else {}


@register.filter
def change_reason(reason: str | None) -> str:
    """A revision's reason in the reader's language. The workflow stores its action's value
    (“published”); revisions saved before kept the label in the saver's language, shown as
    they are; a revision saved outside the workflow has none: a dash, not “None”."""
    if not reason:
        return "—"
    try:
        return str(ReleaseEvent.Action(reason).label)
    except ValueError:
        return reason
