"""Reads the sample release (a real one, kept verbatim beside this module) into plain data.

The format is the seed's own: a heading with the organisation's name, its tagline, the
distribution line, the headline, then paragraphs; the first opens with the bold dateline and a
paragraph that opens with a quotation mark and reads '…," said <attribution>.' is a quote.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path

SEED_FILE = Path(__file__).with_name("national-police-week-2021.md")

_DATELINE = re.compile(
    r"^\*\*(?P<city>[^,]+), (?P<region>[^,]+), (?P<date>[^*]+)\*\* – (?P<rest>.*)$"
)
_QUOTE = re.compile(r'^"(?P<words>.+?)[,.]" said (?P<attribution>.+?)\.$')
_ITALIC = re.compile(r"\*([^*]+)\*")


@dataclass
class SeedQuote:
    words: str
    attribution: str
    after_paragraph: int


@dataclass
class SeedRelease:
    organisation: str
    tagline: str
    distribution_line: str
    headline: str
    dateline_city: str
    dateline_region: str
    date: datetime
    paragraphs: list[str] = field(default_factory=list)
    quotes: list[SeedQuote] = field(default_factory=list)

    @property
    def body_html(self) -> str:
        return "".join(
            "<p>" + _ITALIC.sub(r"<em>\1</em>", escape(p, quote=False)) + "</p>"
            for p in self.paragraphs
        )


def read_seed(path: Path = SEED_FILE) -> SeedRelease:
    blocks = [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    headings = [b.removeprefix("## ") for b in blocks if b.startswith("## ")]
    prose = [b for b in blocks if not b.startswith("## ")]
    organisation, distribution_line, headline = headings
    tagline, lead, *rest = prose

    dateline = _DATELINE.match(lead)
    release = SeedRelease(
        organisation=organisation,
        tagline=tagline,
        distribution_line=distribution_line,
        headline=headline,
        dateline_city=dateline["city"],
        dateline_region=dateline["region"],
        date=datetime.strptime(dateline["date"], "%B %d, %Y"),
        paragraphs=[dateline["rest"]],
    )
    for block in rest:
        if quote := _QUOTE.match(block):
            release.quotes.append(
                SeedQuote(quote["words"], quote["attribution"], len(release.paragraphs))
            )
        else:
            release.paragraphs.append(block)
    return release
