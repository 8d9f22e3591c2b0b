"""Typographic quotes and apostrophes, set at render time in each language's convention.

What staff typed is stored as typed; readers see “curly” quotes and ’ apostrophes in English,
« guillemets » with non-breaking spaces and ’ apostrophes in French, where a space typed before
: ; ! ? or » (or after «) becomes non-breaking too, so that the mark never starts a line (none
is added where none was typed: Canadian usage sets none before ; ! ?). Only text is changed,
never markup: attribute values and tags pass through untouched.
"""

import re

from django.utils.safestring import SafeString, mark_safe

NBSP = "\u00a0"
_TAG = re.compile(r"(<[^>]*>)")
# A double quote opens after the start, a space, an opening bracket or dash; else it closes.
_OPENING_DOUBLE = re.compile(r'(^|[\s(\[{\u2014\u2013-])"')
_OPENING_SINGLE = re.compile(r"(^|[\s(\[{\u2014\u2013-])'")
# French: a space typed before a high mark or a closing guillemet, or after an opening one.
_FRENCH_SPACE = re.compile(r"[ \t]+(?=[:;!?\u00bb])|(?<=\u00ab)[ \t]+")
QUOTES = {
    "en": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "fr": ("\u00ab" + NBSP, NBSP + "\u00bb", "\u2018", "\u2019"),
}


def quoted(words: str, language: str) -> str:
    """``words`` in ``language``'s quotation marks: “…” in English, « … » in French."""
    opening, closing, _single_opening, _single_closing = QUOTES.get(language, QUOTES["en"])
    return f"{opening}{words}{closing}"


def smart_quotes(text: str, language: str, *, after: str = " ") -> str:
    """``text`` with straight quotes turned typographic for ``language`` (English by default).
    ``after`` is the character that precedes ``text`` (a quote right after a space opens)."""
    if language == "fr" and text:
        text = _FRENCH_SPACE.sub(NBSP, text)
    if not text or ("'" not in text and '"' not in text):
        return text
    text = (after[-1:] or " ") + text
    opening, closing, single_opening, single_closing = QUOTES.get(language, QUOTES["en"])
    text = _OPENING_DOUBLE.sub(lambda m: m.group(1) + opening, text)
    if language == "fr":
        text = re.sub(r"«\u00a0\s+", "«" + NBSP, text)
        text = re.sub(r'\s+"', NBSP + "»", text)
    text = text.replace('"', closing)
    text = re.sub(r"'(?=\d\d)", single_closing, text)  # the ’90s
    text = _OPENING_SINGLE.sub(lambda m: m.group(1) + single_opening, text)
    return text.replace("'", single_closing)[1:]


def smart_quotes_html(html: str, language: str) -> SafeString:
    """The same for safe HTML: only the text between tags changes."""
    french_spaces = language == "fr" and _FRENCH_SPACE.search(html)
    if "'" not in html and '"' not in html and not french_spaces:
        return mark_safe(html)  # most blocks: nothing to turn (a link has quotes)
    out, after = [], " "
    for index, part in enumerate(_TAG.split(str(html))):
        if index % 2 or not part:
            out.append(part)
            if re.match(r"</?(p|br|li|h\d|td|th|blockquote|div)\b", part):
                after = " "  # a new block starts afresh
            continue
        out.append(smart_quotes(part, language, after=after))
        after = part[-1]
    return mark_safe("".join(out))


def isolated(text: str) -> str:
    """Words a reader typed, set apart from the text around them (Unicode's first-strong
    isolate): an Arabic or Hebrew query cannot reorder the sentence that quotes it. Body
    text only: a page's ``<title>`` and metadata keep the words as typed, since these
    invisible marks would travel into tab titles, bookmarks and shared links."""
    return f"\u2068{text}\u2069" if text else text
