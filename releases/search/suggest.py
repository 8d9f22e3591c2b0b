"""“Did you mean …?” for a search that found nothing: each query word not found among the
words of public headlines is replaced by the most similar one, by trigram similarity.

Similarity is PostgreSQL's ``pg_trgm`` measure (a word's lower-cased three-letter runs, padded
with two spaces before and one after; shared runs over all runs), computed here the same way
on PostgreSQL and SQLite, over the headline words of the page's language. The words are
gathered once and kept under the page cache's rules (stale after any change, never past the
next go-live), and only a search with no result asks.
"""

import re

from pagecache import caching
from releases.models import Release

SIMILARITY_THRESHOLD = 0.3  # pg_trgm's default
_WORD = re.compile(r"\w+")


def trigrams(word: str) -> set[str]:
    padded = f"  {word.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(first: str, second: str) -> float:
    a, b = trigrams(first), trigrams(second)
    return len(a & b) / len(a | b) if a and b else 0.0


def headline_words(language: str) -> list[str]:
    def gather() -> list[str]:
        headlines = (
            Release.objects.published().in_language(language).values_list("headline", flat=True)
        )
        return sorted({w.lower() for h in headlines for w in _WORD.findall(h) if len(w) > 2})

    return caching.remember(caching.key_for("headline-words", language), gather)


def suggestion(query: str, language: str) -> str | None:
    """The query with its unknown words replaced by the closest headline words, or None when
    nothing closer is known."""
    vocabulary = headline_words(language)
    known = set(vocabulary)
    words, changed = [], False
    for word in query.split():
        if word.lower() in known or not _WORD.fullmatch(word):
            words.append(word)
            continue
        best = max(vocabulary, key=lambda candidate: similarity(word, candidate), default=None)
        if best is not None and similarity(word, best) >= SIMILARITY_THRESHOLD:
            words.append(best)
            changed = True
        else:
            words.append(word)
    return " ".join(words) if changed else None


def did_you_mean(count: int, filters, form) -> dict | None:
    """What the results page offers when a search found nothing: the suggested words and the
    query string that searches for them (the other filters kept)."""
    if count or not filters.query:
        return None
    suggested = suggestion(filters.query, filters.language)
    if suggested is None:
        return None
    return {"query": suggested, "query_string": form.query_string(q=suggested, page=None)}
