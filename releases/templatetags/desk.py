"""The desk on the admin's home page (templates/admin/index.html)."""

from django import template

from releases.workflow.desk import desk_for

register = template.Library()


@register.simple_tag(takes_context=True)
def desk(context):
    request = context.get("request")
    return desk_for(request.user) if request is not None else {}
