"""`make messages` keeps every translation: the project's makemessages, run on a copy of the
project, gives back each committed catalogue's translations as they are (none dropped, none
fuzzy) and leaves nothing to translate. Extraction needs GNU gettext, a maintainer's tool: the
tests skip without it, unless NEWSROOM_REQUIRE_GETTEXT is set (CI)."""

import os
import shlex
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
CATALOGUES = sorted(str(po.relative_to(LOCALE)) for po in LOCALE.glob("*/LC_MESSAGES/*.po"))
# Folders a running site writes at the top of the project: not source, and possibly large.
WRITTEN_BY_THE_SITE = {"media", "staticfiles", "test-artifacts", "sent-emails"}


def not_source(folder, names):
    """What the copy leaves out: hidden files (git, the virtualenv), caches, compiled
    catalogues, and the site's own folders at the top."""
    left_out = {
        name
        for name in names
        if name.startswith(".") or name == "__pycache__" or name.endswith((".pyc", ".mo"))
    }
    if Path(folder) == ROOT:
        left_out |= WRITTEN_BY_THE_SITE.intersection(names)
    return left_out


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """The locale folder of a copy of the project, after `make messages`'s two extractions."""
    if shutil.which("xgettext") is None:
        if os.environ.get("NEWSROOM_REQUIRE_GETTEXT"):
            pytest.fail("no GNU gettext, and NEWSROOM_REQUIRE_GETTEXT is set (CI)")
        pytest.skip("makemessages needs GNU gettext (apt-get install gettext)")
    copy = tmp_path_factory.mktemp("project") / "newsroom"
    shutil.copytree(ROOT, copy, ignore=not_source)
    with pytest.MonkeyPatch.context() as patch, override_settings(LOCALE_PATHS=[copy / "locale"]):
        patch.chdir(copy)
        call_command("makemessages", all=True, verbosity=0)
        call_command("makemessages", domain="djangojs", all=True, verbosity=0)
    return copy / "locale"


def entries(path: Path) -> dict:
    """Each entry's translation, by context and message: None when untranslated or fuzzy."""
    with path.open("rb") as po:
        catalogue = read_po(po, locale=path.parts[-3])
    found = {}
    for message in catalogue:
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            translated = all(strings) and not message.fuzzy
            found[message.context, message.id] = message.string if translated else None
    return found


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_extraction_keeps_every_translation_as_it_is(extracted, catalogue):
    """Translations of messages that Django's admin or another package says, and nothing of
    ours, are kept by newsroom/catalogue_overrides.py; a message our code no longer says must
    leave the committed catalogue too (`make messages` does it)."""
    before = {key: text for key, text in entries(LOCALE / catalogue).items() if text}
    after = entries(extracted / catalogue)
    changed = {key: (text, after.get(key, "(dropped)")) for key, text in before.items()}
    assert {key: texts for key, texts in changed.items() if texts[0] != texts[1]} == {}


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_every_extracted_message_is_translated(extracted, catalogue):
    after = entries(extracted / catalogue)
    untranslated = sorted(
        (context or "", message) for (context, message), text in after.items() if text is None
    )
    assert untranslated == [], f"run `make messages` and translate these in {catalogue}"


def test_make_messages_runs_the_projects_makemessages_as_it_is():
    """Extraction's options live in newsroom/management/commands/makemessages.py, where the
    tests above read them, never beside it in the Makefile."""
    makefile = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    runs = [
        shlex.split(line.partition("manage.py makemessages")[2])
        for line in makefile.splitlines()
        if "manage.py makemessages" in line
    ]
    assert runs == [["--all"], ["--domain=djangojs", "--all"]]
