"""Which version of the code computed a cached value (``pagecache.caching.key_for``): a value
kept by one version is never read by another."""

import functools
import hashlib
import importlib.metadata
import sysconfig
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a page is made of besides the data: files of these kinds, in the project's own apps, its
# templates and its translations.
SOURCE_SUFFIXES = frozenset({".py", ".html", ".txt", ".xml", ".json", ".mo"})
# The settings that say where the sources are.
SOURCE_SETTINGS = ("BASE_DIR", "TEMPLATES", "LOCALE_PATHS", "STATIC_ROOT")
# The settings that change how pages write what they print (dates, times, languages): a value
# cached before such a change is not read after it either.
RENDERING_SETTINGS = ("TIME_ZONE", "ENGLISH_FORMATS", "LANGUAGE_CODE", "LANGUAGES")


@functools.cache
def code_version() -> str:
    """``settings.CODE_VERSION`` when the deployment names its version (a commit, a release
    tag), else a digest of the sources (``_sources_digest``); either way with the
    ``RENDERING_SETTINGS``."""
    rendering = repr([_plain(getattr(settings, name, None)) for name in RENDERING_SETTINGS])
    written = hashlib.sha256(rendering.encode()).hexdigest()[:8]
    return f"{settings.CODE_VERSION or _sources_digest()}:{written}"


def _plain(value):
    """``value`` as every process writes it: languages by their codes (their names are lazy
    translations, whose repr differs from one process to the next)."""
    if isinstance(value, (list, tuple)):
        return [item[0] if isinstance(item, (list, tuple)) else item for item in value]
    return value


@functools.cache
def _sources_digest() -> str:
    """A digest of what renders pages: the sources of the project's apps, its templates and
    catalogues, the static files' manifest, and the installed libraries' versions. Read once
    per process (about 340 files, 40–100 ms)."""
    digest = hashlib.sha256()
    # A set: a project folder holding its own .egg-info lists the project twice in a process
    # started there, once elsewhere.
    for name, version in sorted(
        {(dist.metadata["Name"] or "", dist.version) for dist in importlib.metadata.distributions()}
    ):
        digest.update(f"{name}=={version}\n".encode())
    # Paths from the project's folder: the same code installed in two places is one version.
    base = Path(settings.BASE_DIR).resolve()
    for path in sorted(_source_files()):
        name = path.relative_to(base) if path.is_relative_to(base) else path.name
        digest.update(f"{name}".encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _source_files() -> set[Path]:
    """The project's own files of ``SOURCE_SUFFIXES``: its apps (not the installed libraries,
    whose versions are counted instead, even when the virtualenv lies in the project), its
    templates and catalogues, and the static files' manifest."""
    base = Path(settings.BASE_DIR).resolve()
    libraries = Path(sysconfig.get_paths()["purelib"]).resolve()
    roots = [Path(config.path).resolve() for config in apps.get_app_configs()]
    roots += [Path(folder).resolve() for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    roots += [Path(folder).resolve() for folder in settings.LOCALE_PATHS]
    files = {
        path
        for root in roots
        if root.is_relative_to(base) and not root.is_relative_to(libraries) and root.is_dir()
        for path in root.rglob("*")
        if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts
    }
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    return files | {manifest} if manifest.is_file() else files


@receiver(setting_changed)
def _forget_code_version(*, setting, **kwargs):
    if setting in SOURCE_SETTINGS:
        _sources_digest.cache_clear()
    if setting in (*SOURCE_SETTINGS, "CODE_VERSION", *RENDERING_SETTINGS):
        code_version.cache_clear()
