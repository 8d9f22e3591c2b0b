from django import template
from django.urls import translate_url
from django.utils.safestring import mark_safe

from releases import search

register = template.Library()


@register.filter
def highlighted(text):
    """A snippet or headline from full-text search, escaped, with the matched words in <mark>."""
    return search.highlight(text)


@register.simple_tag(takes_context=True)
def alternate_language_url(context, language_code):
    """The same page in another language: the view may name it (a release's twin), or else
    the same address under the other language prefix."""
    alternates = context.get("alternate_urls") or {}
    if language_code in alternates:
        return alternates[language_code]
    request = context.get("request")
    return translate_url(request.get_full_path(), language_code) if request else "/"


@register.inclusion_tag("releases/includes/release_body.html")
def release_body(release):
    """The body's blocks, the dateline opening the first paragraph and each quote in place."""
    blocks = release.body_with_quotes()
    if blocks and blocks[0].get("html", "").startswith("<p>"):
        blocks[0] = {"lead": mark_safe(blocks[0]["html"][3:-4])}
    return {"release": release, "blocks": blocks}
