"""Compressed copies of a cached page, made once when it is stored and chosen per request.

A page is compressed with Brotli and gzip when it is stored (not at each request), and each
reader gets the copy their ``Accept-Encoding`` asks for, with ``Vary: Accept-Encoding`` and
an ETag of its own (a different representation, a different validator)."""

import gzip
import re

import brotli

# Smaller pages gain nothing worth the header.
MIN_SIZE = 256
# Preference order when a reader accepts several equally.
ENCODINGS = ("br", "gzip")
_ACCEPTED = re.compile(r"\s*([\w*-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*")


def compressed_copies(content: bytes) -> dict[str, bytes]:
    """Brotli and gzip copies of ``content``, each kept only when it is smaller."""
    if len(content) < MIN_SIZE:
        return {}
    copies = {
        "br": brotli.compress(content, quality=6),
        "gzip": gzip.compress(content, compresslevel=6, mtime=0),
    }
    return {name: data for name, data in copies.items() if len(data) < len(content)}


def accepted(header: str) -> dict[str, float]:
    """The codings a request's ``Accept-Encoding`` names, with their weights."""
    weights = {}
    for part in header.split(","):
        match = _ACCEPTED.fullmatch(part)
        if not match or not match[1]:
            continue
        try:
            weights[match[1].lower()] = float(match[2]) if match[2] is not None else 1.0
        except ValueError:
            continue
    return weights


def choose(request, available) -> str | None:
    """The coding to answer ``request`` with among ``available``, or None for the page as is."""
    weights = accepted(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    best, best_weight = None, 0.0
    for name in ENCODINGS:
        weight = weights.get(name, weights.get("*", 0.0))
        if name in available and weight > best_weight:
            best, best_weight = name, weight
    return best


def etag_for(etag: str, coding: str | None) -> str:
    """``"abc"`` for the page as is, ``"abc-br"`` for its Brotli copy (weak tags stay weak)."""
    if not coding or not etag.endswith('"'):
        return etag
    return f'{etag[:-1]}-{coding}"'
