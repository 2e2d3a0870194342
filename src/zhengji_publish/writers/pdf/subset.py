"""The PDF's font subsets: a face cut down to the characters (and shaped glyphs) a document draws,
as the TrueType font reportlab embeds (:mod:`zhengji_publish.writers.pdf.truetype`), cached on disk."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from zhengji_publish.cache import cache_dir, file_stamp, write_atomic
from zhengji_publish.fonts.faces import Face, unusable_font
from zhengji_publish.writers.pdf.truetype import Subset, sfnt

SUBSET_VERSION = 6


def cache_key(face: Face, chars: str, flavor: str) -> str:
    """The on-disk cache key of a subset of ``face`` holding ``chars``, made as ``flavor`` says."""
    raw = f"{SUBSET_VERSION}|{flavor}|{file_stamp(face.path)}|{face.index}|{chars}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def truetype_subset(face: Face, chars: Iterable[str], glyphs: Mapping[str, int] | None = None) -> Path:
    """Path of a cached TrueType font holding ``chars`` of ``face`` (built on first use).

    Raises a :class:`~zhengji_publish.diagnostics.UserError` naming the font file when the face
    cannot be converted (a damaged outline table, one that draws no outline for a letter or digit).

    ``glyphs``: more glyphs by id, each mapped from the (private-use) character given, so that a
    shaped glyph without a code point of its own (a ligature, a full-width form) can be drawn.
    """
    text = "".join(sorted(set(chars)))
    extra = {ord(ch): gid for ch, gid in sorted((glyphs or {}).items())}
    flavor = "ttf" if not extra else "ttf|" + ",".join(f"{cp:x}:{gid}" for cp, gid in extra.items())
    path = cache_dir() / "ttf" / f"{cache_key(face, text, flavor)}.ttf"
    if path.exists():
        return path
    try:
        subset = Subset(face, text, extra.values())
        subset.chars.update(extra)
        data = sfnt(subset.tables())
    except Exception as exc:  # a damaged or unusual face: whatever HarfBuzz or the writer stumbles on
        raise unusable_font(
            face.path, f"its face {face.family} {face.subfamily} cannot be converted to TrueType: {_cause(exc)}"
        ) from exc
    write_atomic(path, data)
    return path


def _cause(exc: Exception) -> str:
    """What went wrong, in a few words, for a message."""
    return str(exc) if isinstance(exc, ValueError) and str(exc) else f"{type(exc).__name__} {exc}".strip()
