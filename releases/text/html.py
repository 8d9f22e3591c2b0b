"""Rich text: what the body editor offers, what the sanitiser keeps, and how the body is split
into the blocks that quotes are placed between."""

import re
from html import escape, unescape
from html.parser import HTMLParser

import nh3
from django.db.models import CharField, TextField

# What the body editor offers; django-prose-editor derives its own sanitiser from this too.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Subscript": True,
    "Superscript": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "HardBreak": True,
    # Not autolinking keeps the link mark from growing: a full stop typed after it stays out.
    "Link": {
        "enableTarget": False,
        "autolink": False,
        "protocols": ["http", "https", "mailto", "tel"],
    },
    "History": True,
}

TABLE_TAGS = {"table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "a", "strong", "em", "br", "sub", "sup",
    *TABLE_TAGS,
}  # fmt: skip
# Word processors write bold and italic as <b> and <i>, and headings from level 1 to 6; the
# page's own headline is the only level 1: kept, and renamed after cleaning.
_RENAMED_TAGS = {"b": "strong", "i": "em", "h1": "h2", "h5": "h4", "h6": "h4"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Word processors wrap everything in these; nh3 drops their content with the tag.
DROPPED_WITH_CONTENT = {"script", "style", "title", "head", "xml", "o:p", "template", "iframe"}

# XML 1.0 forbids these; one pasted into a headline would break every feed. With them, the
# bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): one at the start of
# a headline showed it reversed, or reordered what followed, in lists, feeds and email subjects,
# where nothing closes it. The pages isolate what they quote themselves (``isolated()``).
_CONTROL_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)

_body_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS | set(_RENAMED_TAGS),
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


_SPACES = re.compile(r" {2,}")


def clean_control_characters(text: str) -> str:
    return _CONTROL_CHARACTERS.sub("", text or "")


def drop_control_characters(instance) -> None:
    """No control character in any text field of the model ``instance`` (a vertical tab pasted
    from a word processor, a NUL PostgreSQL refuses, an escape: they break feeds, calendars and
    XML; a bidi override, which reverses a headline wherever it is shown). Read from the
    instance's own values, not through modeltranslation's descriptors, which would write one
    language's text into another's column."""
    values = instance.__dict__
    for field in instance._meta.concrete_fields:
        value = values.get(field.attname)
        if not isinstance(field, CharField | TextField) or not isinstance(value, str):
            continue
        cleaned = clean_control_characters(value)
        if cleaned != value and isinstance(field, CharField):
            # One line (a headline, a name): what stood between words leaves one space.
            cleaned = _SPACES.sub(" ", cleaned).strip()
        values[field.attname] = cleaned


_RENAMED_TAG_PATTERN = re.compile(r"<(/?)(b|i|h1|h5|h6)>")


def sanitize_body(html: str) -> str:
    """Keep headings, paragraphs, lists, tables, links, bold, italic, sub- and superscript;
    drop everything else."""
    return "".join(sanitized_blocks(html))


def sanitized_blocks(html: str) -> list[str]:
    """The blocks of the sanitised body (``split_blocks(sanitize_body(html))``, parsed once)."""
    cleaned = _body_cleaner.clean(clean_control_characters(html))
    cleaned = _RENAMED_TAG_PATTERN.sub(
        lambda match: f"<{match[1]}{_RENAMED_TAGS[match[2]]}>", cleaned
    )
    return split_blocks(cleaned)


_HEADING = re.compile(r"<h[1-6][\s>]")


def is_paragraph(block: str) -> bool:
    """Whether a block of ``sanitized_blocks`` counts as a paragraph where quotes are placed:
    anything but a heading (an author counting “after paragraph 2” counts the text's
    paragraphs, lists and tables among them, not a heading pasted above them)."""
    return not _HEADING.match(block)


def paragraph_count(html: str) -> int:
    return sum(1 for block in sanitized_blocks(html) if is_paragraph(block))


_VOID_TAGS = {"br", "hr", "img"}
_BLOCK_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "blockquote", "table"}


class _BlockSplitter(HTMLParser):
    """Splits sanitised HTML into its top-level blocks, wrapping stray inline content in <p>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.depth = 0
        self.in_loose_paragraph = False

    def _flush_loose(self):
        if self.in_loose_paragraph:
            text = "".join(self.current).strip()
            if text and text != "<br>":
                self.blocks.append(f"<p>{text}</p>")
            self.current = []
            self.in_loose_paragraph = False

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text()
        if self.depth == 0 and tag in _BLOCK_TAGS:
            self._flush_loose()
            self.current = [raw]
            self.depth = 1
        elif self.depth == 0:
            self.in_loose_paragraph = True
            self.current.append(raw)
        else:
            self.current.append(raw)
            if tag not in _VOID_TAGS:
                self.depth += 1

    def handle_endtag(self, tag):
        if tag in _VOID_TAGS:
            return
        self.current.append(f"</{tag}>")
        if self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            block = "".join(self.current)
            if re.sub(r"<[^>]+>|\s", "", block):
                self.blocks.append(block)
            self.current = []

    def handle_data(self, data):
        if self.depth == 0 and not self.in_loose_paragraph:
            if not data.strip():
                return
            self.in_loose_paragraph = True
        self.current.append(escape(data, quote=False))

    def close(self):
        super().close()
        self._flush_loose()


def split_blocks(html: str) -> list[str]:
    splitter = _BlockSplitter()
    splitter.feed(html or "")
    splitter.close()
    return splitter.blocks


def text_line(html: str) -> str:
    """The words of an HTML fragment on one line: tags dropped (with a space where a block
    ends, so that two list items or cells never run together), entities decoded, runs of
    white space made one space."""
    spaced = _BLOCK_END.sub(" ", html or "")
    return re.sub(r"\s+", " ", unescape(nh3.clean(spaced, tags=set()))).strip()


def plain_text(html: str) -> str:
    """The words of an HTML fragment, one paragraph per line (``block_text``)."""
    return "\n\n".join(block_text(block) for block in split_blocks(html))


_LIST_ITEM = re.compile(r"<li[^>]*>(.*?)</li>", re.DOTALL)
_TABLE_ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.DOTALL)
_TABLE_CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.DOTALL)


def block_text(html: str) -> str:
    """One body block as text: lists become one “- item” (or “1. item”) line per item, tables
    one line per row with its cells separated by “ | ”, anything else one line."""
    if html.startswith("<table"):
        return "\n".join(
            " | ".join(text_line(cell) for cell in _TABLE_CELL.findall(row))
            for row in _TABLE_ROW.findall(html)
        )
    if html.startswith(("<ul", "<ol")):
        items = [text_line(item) for item in _LIST_ITEM.findall(html)]
        if html.startswith("<ol"):
            return "\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1))
        return "\n".join(f"- {item}" for item in items)
    return text_line(html)


# A word cut in half at the end of a text, and the space or line break before it.
_LAST_WORD = re.compile(r"(?<=[ \n])[^ \n]*$")
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|ul|ol|t[dh]|tr)>|<br\s*/?>")


def text_start(html: str, length: int) -> str:
    """At least the first ``length`` characters of an HTML fragment's words, on one line, fast
    on a long body: only its start is read."""
    return text_line((html or "")[: length * 20])


def first_blocks(html: str, length: int) -> list[str]:
    """The words of an HTML fragment's first blocks, one line each (``text_line``), at least
    ``length`` characters of them where it has as many: as ``text_start``, only its start is
    read, cut after the last block's end that it holds so that no tag is read in half."""
    html = html or ""
    start = html[: length * 20]
    if len(start) < len(html):
        ends = list(_BLOCK_END.finditer(start))
        start = start[: ends[-1].end()] if ends else ""
    blocks = [text_line(block) for block in split_blocks(start)]
    if start != html and sum(map(len, blocks)) < length:
        blocks = [text_line(block) for block in split_blocks(html)]
    return [block for block in blocks if block]


def first_sentence(text: str, limit: int = 240) -> str:
    """The first sentence of plain ``text``, cut at a word with “…” when longer than ``limit``."""
    text = " ".join(text.split())
    match = re.search(r"(?<=[.!?])\s", text)
    sentence = text[: match.start()] if match else text
    return sentence if len(sentence) <= limit else clipped(sentence, limit + 1)


def clipped(text: str, length: int) -> str:
    """``text`` in at most ``length`` characters: whole, or cut after a whole word with “…”
    (a word cut in half reads as a typo in a feed reader or a search result). Paragraphs
    apart (a blank line between them) stay apart, the “…” ending the last one kept."""
    if len(text) <= length:
        return text
    start = text[: length - 1]
    if text[length - 1] not in " \n":
        start = _LAST_WORD.sub("", start)
    return start.rstrip(" \n\u00a0,;:–-«“‘(") + "…"


# An attribute that holds an address, at the end of the text before its ="/ (a site path).
_LINKING_ATTRIBUTE = re.compile(r"\b(?:href|src|cite)$")


def absolute_links(html: str, origin: str) -> str:
    """``html`` with its links, images and citations to site paths (``href="/…"``) made
    absolute with ``origin``, as feeds and the syndication formats need them. Split at each
    ``="/`` rather than searched with one pattern: a pattern starting with the attribute's
    name is tried at every character, ten times slower on a release's text, fifty per feed."""
    pieces = html.split('="/')
    written = [pieces[0]]
    for before, after in zip(pieces, pieces[1:], strict=False):
        # The attribute's name and the character before it (a word boundary) suffice.
        absolute = _LINKING_ATTRIBUTE.search(before[-5:])
        written.append(f'="{origin}/' if absolute else '="/')
        written.append(after)
    return "".join(written)
