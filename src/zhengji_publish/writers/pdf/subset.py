"""The PDF's font subsets: a face cut down to the characters (and shaped glyphs) a document draws,
as the TrueType font reportlab embeds (:mod:`zhengji_publish.fonts.truetype`), cached on disk."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from zhengji_publish.cache import cache_dir, write_atomic
from zhengji_publish.fontfile import opened
from zhengji_publish.fonts.faces import Face
from zhengji_publish.fonts.truetype import Subset, cache_key, sfnt


def truetype_subset(face: Face, chars: Iterable[str], glyphs: Mapping[str, int] | None = None) -> Path:
    """Path of a cached TrueType font holding ``chars`` of ``face`` (built on first use).

    ``glyphs``: more glyphs by id, each mapped from the (private-use) character given, so that a
    shaped glyph without a code point of its own (a ligature, a full-width form) can be drawn.
    """
    text = "".join(sorted(set(chars)))
    extra = {ord(ch): gid for ch, gid in sorted((glyphs or {}).items())}
    flavor = "ttf" if not extra else "ttf|" + ",".join(f"{cp:x}:{gid}" for cp, gid in extra.items())
    path = cache_dir() / "ttf" / f"{cache_key(face, text, flavor)}.ttf"
    if path.exists():
        return path
    subset = Subset(opened(face), text, extra.values())
    subset.chars.update(extra)
    write_atomic(path, sfnt(subset.tables()))
    return path
