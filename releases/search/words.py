"""Words as the search index sees them, in Python: what SQLite's full-text search (FTS5) needs
to behave like PostgreSQL's text-search configurations (releases/search/index.py).

A word is folded (lower case, accents and ligatures removed, as PostgreSQL's ``unaccent``
does), dropped if it is a stop word (PostgreSQL's own lists), then stemmed with the same
Snowball stemmer as PostgreSQL's ``english_stem`` and ``french_stem`` (PyStemmer). A query
typed the ``websearch_to_tsquery`` way ("quoted phrases", ``or``, ``-not``) becomes an FTS5
expression over those stems, and the words of a text that match a query can be marked, as
``ts_headline`` marks them."""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from releases.search import stopwords

# Language code → Snowball stemmer and stop words; other languages are folded, not stemmed
# (PostgreSQL's "simple" configuration).
STEMMERS = {"en": "english", "fr": "french"}
STOP_WORDS = {"en": stopwords.ENGLISH, "fr": stopwords.FRENCH}

# Letters and digits; everything else (spaces, hyphens, apostrophes, underscores) separates.
WORD = re.compile(r"[^\W_]+")
# A hyphen inside a word separates it: "Police-Week" is the words "Police" and "Week" (on
# PostgreSQL the hyphenated word would otherwise be a lexeme of its own that no text contains).
INNER_HYPHEN = re.compile(r"(?<=[^\W_])[-‐‑‒–—](?=[^\W_])")
# Letters that Unicode does not decompose but ``unaccent`` spells out.
_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L"}
)
# Query words that PostgreSQL's websearch syntax reads as an operator.
_QUERY_ITEM = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def fold(text: str) -> str:
    """Lower case, without accents: "Sécurité" → "securite", "Cœur" → "coeur"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def split_hyphens(text: str) -> str:
    """ "Police-Week" → "Police Week", but a leading "-" (websearch's NOT) is kept."""
    return INNER_HYPHEN.sub(" ", text)


@lru_cache(maxsize=8)
def _stemmer(language: str) -> Stemmer.Stemmer | None:
    algorithm = STEMMERS.get(language)
    return Stemmer.Stemmer(algorithm) if algorithm else None


@lru_cache(maxsize=100_000)  # a newsroom's vocabulary: most words recur across releases
def lexeme(word: str, language: str) -> str | None:
    """The indexed form of one word (None for a stop word), as PostgreSQL's configuration
    makes it: ``unaccent`` first, then the Snowball dictionary's stop words and stemmer."""
    folded = fold(word)
    if folded in STOP_WORDS.get(language, ()):
        return None
    stemmer = _stemmer(language)
    return stemmer.stemWord(folded) if stemmer else folded


def lexemes(text: str, language: str) -> list[str]:
    """The indexed words of a text, in order, stop words left out."""
    return [lexeme for lexeme in tokens(text, language) if lexeme != STOP]


# What the index keeps in place of a stop word, so that positions count every word, as
# PostgreSQL's do: a private-use character, which no folded word contains but which FTS5's
# tokenizer takes as a word ("chiefs of police", quoted, is the phrase "chief STOP polic").
STOP = "\ue000"


def tokens(text: str, language: str) -> list[str]:
    """Every word of a text as the index keeps it: its lexeme, or ``STOP``."""
    return [
        lexeme(match.group(), language) or STOP
        for match in WORD.finditer(split_hyphens(text or ""))
    ]


def index_text(text: str, language: str) -> str:
    """What SQLite's full-text table stores for a text: its tokens, separated by spaces."""
    return " ".join(tokens(text, language))


@dataclass(frozen=True)
class ParsedQuery:
    """A websearch query in FTS5 terms: ``expression`` for MATCH (None when nothing is left
    to look for), the lexemes to highlight, and for ranking as ``ts_rank`` does, every
    lexeme of the query (``operands``) and whether its top operator is AND (or a phrase)."""

    expression: str | None
    highlighted: frozenset[str]
    operands: frozenset[str] = frozenset()
    conjunctive: bool = False


@lru_cache(maxsize=256)
def parse_query(text: str, language: str) -> ParsedQuery:
    """``websearch_to_tsquery`` for FTS5: words are all required, "quoted words" form a
    phrase, ``or`` between two terms accepts either, ``-word`` excludes. Every term is made
    of lexemes, so that "partnering" finds "partners" and "securite" finds "sécurité"."""
    # Groups joined by OR; in each, (required terms, excluded terms), joined by AND.
    groups: list[tuple[list[str], list[str]]] = [([], [])]
    highlighted: set[str] = set()
    operands: set[str] = set()
    phrase_seen = False
    for negated, phrase, word in _QUERY_ITEM.findall(split_hyphens(text)):
        if not phrase and word.casefold() == "or":
            if any(groups[-1]):
                groups.append(([], []))
            continue
        if word.startswith("-"):
            negated, word = "-", word[1:]
        found = tokens(phrase or word, language)
        if phrase:  # stop words inside a phrase keep their place; at its ends they go
            while found and found[0] == STOP:
                found.pop(0)
            while found and found[-1] == STOP:
                found.pop()
        else:
            found = [lexeme for lexeme in found if lexeme != STOP]
        if not found:
            continue
        phrase_seen = phrase_seen or len(found) > 1
        operands.update(lexeme for lexeme in found if lexeme != STOP)
        # Quoted, so that a lexeme never reads as an FTS5 operator; several make a phrase.
        term = '"' + " ".join(found) + '"'
        if negated:
            groups[-1][1].append(term)
        else:
            groups[-1][0].append(term)
            highlighted.update(found)
    highlighted.discard(STOP)
    # A group of exclusions only ("-police") would match almost everything: it is dropped.
    groups = [(required, excluded) for required, excluded in groups if required]
    if not groups:
        return ParsedQuery(None, frozenset())
    expressions = []
    for required, excluded in groups:
        expression = " AND ".join(required)
        if excluded:
            expression = f"({expression}) NOT " + " NOT ".join(excluded)
        expressions.append(f"({expression})" if len(groups) > 1 else expression)
    single = len(groups) == 1 and sum(map(len, groups[0])) == 1
    return ParsedQuery(
        " OR ".join(expressions),
        frozenset(highlighted),
        frozenset(operands),
        conjunctive=len(groups) == 1 and (not single or phrase_seen),
    )


def mark_words(text: str, language: str, wanted: frozenset[str], start: str, stop: str) -> str:
    """The text with each word whose lexeme is ``wanted`` between ``start`` and ``stop``."""

    def marked(match: re.Match) -> str:
        word = match.group()
        return f"{start}{word}{stop}" if lexeme(word, language) in wanted else word

    return WORD.sub(marked, text)


def snippet(
    text: str,
    language: str,
    wanted: frozenset[str],
    start: str,
    stop: str,
    *,
    max_fragments: int = 2,
    max_words: int = 30,
    delimiter: str = " … ",
) -> str:
    """Up to ``max_fragments`` passages of at most ``max_words`` words around the matching
    words, marked, as ``ts_headline`` with MaxFragments gives them; the start of the text
    when no word matches."""
    words = text.split()
    hits = [
        i
        for i, chunk in enumerate(words)
        if any(lexeme(m.group(), language) in wanted for m in WORD.finditer(split_hyphens(chunk)))
    ]
    fragments: list[tuple[int, int]] = []
    for hit in hits:
        if len(fragments) == max_fragments:
            break
        if fragments and hit < fragments[-1][1]:
            continue
        first = max(0, hit - max_words // 3)
        if fragments:
            first = max(first, fragments[-1][1])
        fragments.append((first, min(len(words), first + max_words)))
    if not fragments:
        fragments = [(0, min(len(words), max_words))]
    return delimiter.join(
        mark_words(" ".join(words[first:last]), language, wanted, start, stop)
        for first, last in fragments
    )
