"""The French catalogue: complete, consistent, and compiled by set-up with Python alone."""

import gettext
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
FRENCH_PO = LOCALE / "fr" / "LC_MESSAGES" / "django.po"
# The same call as Django's makemessages (xgettext --keyword=…), for Babel's extractor.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def french_catalogue():
    with FRENCH_PO.open("rb") as po:
        return read_po(po, locale="fr")


def marked_strings() -> set[tuple[str | None, str]]:
    """Every string marked for translation in our code and templates, found without GNU
    gettext: templates go through Django's own templatize(), then Babel's Python extractor."""
    sources = []
    for folder in ("newsroom", "releases"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                sources.append(path.read_text(encoding="utf-8"))
    for path in (ROOT / "templates").rglob("*.html"):
        sources.append(templatize(path.read_text(encoding="utf-8"), origin=str(path)))
    found = set()
    for source in sources:
        for _lineno, message, _comments, context in extract(
            "python", io.BytesIO(source.encode()), keywords=KEYWORDS
        ):
            found.add((context, message[0] if isinstance(message, tuple) else message))
    return found


def test_every_string_marked_in_code_and_templates_is_in_the_french_catalogue():
    catalogue = french_catalogue()
    missing = sorted(
        (context or "", text)
        for context, text in marked_strings()
        if text and catalogue.get(text, context=context) is None
    )
    assert missing == [], "run `make messages` and translate these"


def test_every_french_entry_is_translated_and_none_is_fuzzy():
    catalogue = french_catalogue()
    assert not catalogue.fuzzy, "the catalogue header is marked fuzzy: it would not compile"
    untranslated = [
        message.id
        for message in catalogue
        if message.id
        and (
            message.fuzzy
            or not all(message.string if isinstance(message.string, tuple) else [message.string])
        )
    ]
    assert untranslated == []


def test_french_entries_keep_the_placeholders_of_the_english():
    problems = [(message.id, errors) for message, errors in french_catalogue().check()]
    assert problems == []


def test_french_catalogue_declares_french_plural_forms():
    assert french_catalogue().plural_expr == "(n > 1)"


def test_compiling_needs_only_python_and_gives_french(tmp_path):
    """What `make compilemessages` runs, on a clean copy of the catalogues (no .mo)."""
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE, copy, ignore=shutil.ignore_patterns("*.mo"))
    pybabel = Path(sys.executable).with_name("pybabel")
    makefile = (ROOT / "Makefile").read_text()
    assert 'pybabel compile --domain="django djangojs" --directory=locale' in makefile
    result = subprocess.run(
        [
            str(pybabel),
            "compile",
            "--domain=django djangojs",
            f"--directory={copy}",
            "--statistics",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "skipping" not in result.stderr
    french = gettext.translation("django", localedir=copy, languages=["fr"])
    assert french.gettext("FOR IMMEDIATE RELEASE") == "POUR DIFFUSION IMMÉDIATE"
    assert french.pgettext("time zone", "EDT") == "HAE"
    editor = gettext.translation("djangojs", localedir=copy, languages=["fr"])
    assert editor.gettext("bold") == "Gras"


def test_compiled_catalogues_are_never_committed():
    assert "*.mo" in (ROOT / ".gitignore").read_text().split()


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("FOR IMMEDIATE RELEASE", "POUR DIFFUSION IMMÉDIATE"),
        ("Media advisory", "Avis aux médias"),
        ("Media contacts", "Personnes-ressources pour les médias"),
        ("said", "a déclaré"),
    ],
)
def test_django_serves_the_compiled_french(english, french):
    from django.utils import translation

    with translation.override("fr"):
        assert translation.gettext(english) == french


def test_the_french_catalogue_writes_typographic_apostrophes():
    """French text elides with ’ (« l’Association », « d’information »), as the releases'
    own text is set (``typeset``): a straight ' in a translation would sit beside one."""
    path = Path(__file__).resolve().parent.parent / "locale/fr/LC_MESSAGES/django.po"
    with path.open("rb") as po:
        catalog = read_po(po)
    translations = [
        text
        for message in catalog
        if message.id
        for text in (message.string if isinstance(message.string, tuple) else (message.string,))
    ]
    assert len(translations) > 300
    assert [text for text in translations if re.search(r"\w'\w|\w'%", text)] == []


def test_french_punctuation_is_set_apart_by_a_no_break_space():
    """French sets « », :, ;, ? and ! apart from their words by a space that never breaks the
    line there (as the seed release does: « … », a déclaré …), and every entry alike."""
    translations = [
        text
        for message in french_catalogue()
        if message.id
        for text in (message.string if isinstance(message.string, tuple) else (message.string,))
    ]
    # Addresses, placeholders and markup aside; times (9 h 00) and "://" are not punctuation.
    cleaned = [
        re.sub(r"https?://\S+|%\(\w+\)s|\{\{[^}]*\}\}|\{%[^%]*%\}|<[^>]+>|\{\w+\}", "x", text)
        for text in translations
    ]
    unspaced = [
        text
        for text in cleaned
        if re.search(r"[^\u00a0\u202f][;?!»]|[^\u00a0\u202f]:(?![/\d])|«[^\u00a0\u202f]", text)
    ]
    assert unspaced == []
