"""Language versions of pages and releases, and the bits of grammar that differ by language.

A release's translation is another release sharing its ``translation_group`` (its "twin").
Everything else (lists, campaigns, people, topics) has one address per language.
"""

import functools
import re
from datetime import date, datetime, tzinfo

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import Resolver404, get_script_prefix, get_urlconf, resolve, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, get_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext, pgettext_lazy

# Time zone abbreviations, translated per language (EDT is "HAE" in Canadian French).
ZONE_ABBREVIATIONS = {
    "NST": pgettext_lazy("time zone", "NST"),
    "NDT": pgettext_lazy("time zone", "NDT"),
    "AST": pgettext_lazy("time zone", "AST"),
    "ADT": pgettext_lazy("time zone", "ADT"),
    "EST": pgettext_lazy("time zone", "EST"),
    "EDT": pgettext_lazy("time zone", "EDT"),
    "CST": pgettext_lazy("time zone", "CST"),
    "CDT": pgettext_lazy("time zone", "CDT"),
    "MST": pgettext_lazy("time zone", "MST"),
    "MDT": pgettext_lazy("time zone", "MDT"),
    "PST": pgettext_lazy("time zone", "PST"),
    "PDT": pgettext_lazy("time zone", "PDT"),
}


def zone_abbreviation(moment: datetime, zone: tzinfo | None = None) -> str:
    """“EDT”, « HAE »: the abbreviation in force at ``moment`` in the active zone (or ``zone``),
    in the active language."""
    name = timezone.localtime(moment, zone).tzname() or ""
    return str(ZONE_ABBREVIATIONS.get(name, name))


def long_date(value: date | datetime, format: str = "DATE_FORMAT") -> str:
    """“May 9, 2021”; in French “9 mai 2021”, and “1er mai 2021” on the first of the month."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return first_of_month(date_format(value, format), value.day)


def first_of_month(text: str, day: int) -> str:
    """A date written in the active language, with French's “1er” on the first of the month
    (the day is the first number the French formats write)."""
    if translation.get_language() == "fr" and day == 1:
        return re.sub(r"\b1\b", "1er", text, count=1)
    return text


def time_of_day(value: datetime, format: str = "TIME_FORMAT") -> str:
    """“9 a.m.” in English, “9 h 00” in French (from the language's TIME_FORMAT)."""
    return date_format(timezone.localtime(value), format)


def after_of(name: str) -> str:
    """A name as it follows “of” in the active language's catalogue entries.

    Unchanged in English, whose entries say “of the %(name)s”. French entries put the name
    straight after the noun (« À propos %(name)s »), so it carries « de » contracted with its
    article: « de l’Association … », « du Service … » (de + le), « de la Gendarmerie … »,
    « des … » (de + les). Write French names with their article when it is not « l' »
    (« la Gendarmerie royale du Canada »); a name starting with a vowel gets « l’ ».
    """
    if not name or translation.get_language() != "fr":
        return name
    lowered = name.lower()
    if lowered.startswith(("l'", "l’")):
        return f"de {name[0].lower()}{name[1:]}"
    if lowered.startswith("le "):
        return f"du {name[3:]}"
    if lowered.startswith("les "):
        return f"des {name[4:]}"
    if lowered.startswith("la "):
        return f"de la {name[3:]}"
    if lowered[0] in "aeiouyhàâäéèêëîïôöûüœ":
        return f"de l’{name}"
    return f"de {name}"


def after_of_in_sentence(name: str) -> str:
    """A name typed as a sentence of the active language writes it, with its article or none
    (“the Canadian Association …”, “Shelter”; « l’Association … », « la Ville de Montréal »),
    as it follows “of”: unchanged in English; in French after « de », contracted with « le »
    and « les » (« du Service … », « des Forces … »). Nothing is guessed from the name."""
    if not name or translation.get_language() != "fr":
        return name
    lowered = name.lower()
    if lowered.startswith("le "):
        return f"du {name[3:]}"
    if lowered.startswith("les "):
        return f"des {name[4:]}"
    return f"de {name}"


def of_organisation(title: str, organisation: str, *, in_sentence: str = "") -> str:
    """“President of the Canadian Association …”; in French « président de l’Association … »
    (a title after a name is lower case in French). ``in_sentence``, the organisation's name as
    a sentence writes it, is used as typed (“Chief Executive of Shelter”); without it, English
    says “of the …” and French guesses its article from ``organisation``."""
    if translation.get_language() == "fr" and title[:1].isupper() and title[1:2].islower():
        title = title[0].lower() + title[1:]
    if in_sentence:
        return pgettext("attribution", "%(title)s of %(organisation)s") % {
            "title": title,
            "organisation": after_of_in_sentence(in_sentence),
        }
    return pgettext("attribution", "%(title)s of the %(organisation)s") % {
        "title": title,
        "organisation": after_of(organisation),
    }


def fallback_url(language: str) -> str:
    """Where the switcher goes when a page has no version in that language: the list."""
    with translation.override(language):
        return reverse("releases:list")


@functools.lru_cache(maxsize=4096)
def _path_in(urlconf: str, script_prefix: str, path_info: str, language: str) -> str | None:
    """``path_info`` under ``language``'s prefix. It depends on the URL configuration and the
    script prefix (which ``reverse`` adds) alone, so each process works it out once per address
    (``resolve`` and ``reverse`` are not cheap)."""
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return None
    with translation.override(language):
        return reverse(
            f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name,
            urlconf,
            args=match.args,
            kwargs=match.kwargs,
        )


@receiver(setting_changed)
def _forget_paths(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"}:
        _path_in.cache_clear()


def same_page_in(request, language: str, slug: str | None = None) -> str | None:
    """The address of the page being shown, in another language (without its page number,
    which the other language's list may not have), with ``slug``, the subject's slug in that
    language, when given (a campaign's or topic's); None if the address does not resolve."""
    urlconf = getattr(request, "urlconf", None) or get_urlconf() or settings.ROOT_URLCONF
    if slug is not None and (match := request.resolver_match) is not None:
        with translation.override(language):
            kwargs = match.kwargs | {"slug": slug}
            path = reverse(match.view_name, urlconf, args=match.args, kwargs=kwargs)
    else:
        path = _path_in(urlconf, get_script_prefix(), request.path_info, language)
    if path is None:
        return None
    query = request.GET.copy()
    query.pop("page", None)
    return f"{path}?{query.urlencode()}" if query else path


def page_versions(context) -> dict[str, str]:
    """Every language version of the page being rendered: {language: path}.

    A view that knows them sets ``alternate_urls`` (a release lists only its public twins);
    otherwise the page exists in every language at the same address, but for its subject's
    slug in each language (``slugs_by_language``: a campaign's or topic's). Error pages have
    none.
    """
    if "alternate_urls" in context:
        return context["alternate_urls"]
    request = context.get("request")
    if request is None or "exception" in context:
        return {}
    versions = {}
    slugs = context.get("slugs_by_language") or {}
    for code, _name in settings.LANGUAGES:
        path = same_page_in(request, code, slugs.get(code))
        if path is not None:
            versions[code] = path
    return versions


def language_in_sentence(code: str) -> str:
    """A language's name as written inside a sentence of the active language: capitalised in
    English ("English"), not in French ("anglais")."""
    name = str(dict(settings.LANGUAGES).get(code, code))
    return name if translation.get_language() == "en" else name.lower()


def period_html(start: date, end: date) -> SafeString:
    """A period as readers of the active language write it, each end in its ``<time>``:
    “May 9–15, 2021” (“9–15 May 2021” in British English), « du 9 au 15 mai 2021 »; “May 30 –
    June 5, 2021”, « du 30 mai au 5 juin 2021 »; across years, two whole dates. One day is one
    date. The patterns are the language's formats (``PERIOD_WITHIN_MONTH`` …)."""

    def day(value: date, text: str) -> SafeString:
        return format_html('<time datetime="{}">{}</time>', value.isoformat(), text)

    if start == end:
        return day(start, long_date(start))
    if (start.year, start.month) == (end.year, end.month):
        pattern = get_format("PERIOD_WITHIN_MONTH")
        parts = {
            "month": date_format(start, "PERIOD_MONTH_FORMAT"),
            "start": day(start, first_of_month(str(start.day), start.day)),
            "end": day(end, str(end.day)),
            "year": start.year,
        }
    elif start.year == end.year:
        pattern = get_format("PERIOD_WITHIN_YEAR")
        within_year = "PERIOD_DAY_FORMAT"
        parts = {
            "start": day(start, first_of_month(date_format(start, within_year), start.day)),
            "end": day(end, first_of_month(date_format(end, within_year), end.day)),
            "year": start.year,
        }
    else:
        pattern = get_format("PERIOD_ACROSS_YEARS")
        parts = {"start": day(start, long_date(start)), "end": day(end, long_date(end))}
    return _fill(pattern, parts)


def _fill(pattern: str, parts: dict) -> SafeString:
    """``pattern`` (a translation, plain text) with its ``%(name)s`` parts, HTML, put in."""
    escaped = {name: conditional_escape(value) for name, value in parts.items()}
    return mark_safe(conditional_escape(pattern) % escaped)
