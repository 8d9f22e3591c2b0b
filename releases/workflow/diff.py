"""What changed between two versions of a release, word by word, in the words a reader sees:
the body is compared as plain text, never as markup. Used by the release's history."""

import dataclasses
import re
from difflib import SequenceMatcher

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from simple_history.template_utils import HistoricalRecordContextHelper

from releases.text.html import plain_text

# Fields compared as rich text (their markup removed first).
HTML_FIELDS = {"body"}
# Words of unchanged text kept on each side of a change; the rest is shown as “…”.
CONTEXT_WORDS = 8
_TOKENS = re.compile(r"\s+|[^\s]+")


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text or "")


def _shorten(tokens: list[str], *, keep_start: bool, keep_end: bool) -> str:
    """Unchanged text, cut to its words next to the changes."""
    words = [token for token in tokens if not token.isspace()]
    limit = CONTEXT_WORDS * (int(keep_start) + int(keep_end))
    if len(words) <= max(limit, 1) + 2:
        return escape("".join(tokens))
    head = " ".join(words[:CONTEXT_WORDS]) if keep_start else ""
    tail = " ".join(words[-CONTEXT_WORDS:]) if keep_end else ""
    spacer = " " if tokens[0].isspace() else ""
    end_spacer = " " if tokens[-1].isspace() else ""
    return escape(f"{spacer}{head}{' … ' if head else '… '}{tail}{end_spacer}".replace("  ", " "))


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Both texts as HTML, the removed words marked <del> in the first and the added words
    marked <ins> in the second, long unchanged stretches shortened around the changes."""
    before, after = _tokens(old), _tokens(new)
    opcodes = SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    old_html, new_html = [], []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            text = _shorten(before[i1:i2], keep_start=index > 0, keep_end=index < len(opcodes) - 1)
            old_html.append(text)
            new_html.append(text)
            continue
        if i2 > i1:
            old_html.append(format_html("<del>{}</del>", "".join(before[i1:i2])))
        if j2 > j1:
            new_html.append(format_html("<ins>{}</ins>", "".join(after[j1:j2])))
    # Every piece above was escaped or built with format_html.
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))


def as_text(field_name: str, value) -> str | None:
    """The words of a text value, or None for a value that is not text."""
    if not isinstance(value, str):
        return None
    return plain_text(value) if field_name in HTML_FIELDS else value


class WordDiffContextHelper(HistoricalRecordContextHelper):
    """simple_history's list of changes, with text shown as words marked removed and added
    instead of shortened markup."""

    def format_delta_change(self, change):
        old, new = as_text(change.field, change.old), as_text(change.field, change.new)
        if old is None or new is None:
            return super().format_delta_change(change)
        old_html, new_html = word_diff(old, new)
        field = self.model._meta.get_field(change.field)
        return dataclasses.replace(
            change,
            field=capfirst(field.verbose_name),
            old=format_html('<span class="word-diff">{}</span>', old_html),
            new=format_html('<span class="word-diff">{}</span>', new_html),
        )


class WordDiffHistoryMixin:
    """For a SimpleHistoryAdmin: its history page shows word-level changes."""

    def get_historical_record_context_helper(self, request, historical_record):
        return WordDiffContextHelper(self.model, historical_record)
