"""Glyph metrics read from the font files themselves (coverage, advance widths, ink bounds).

Layout happens before the PDF fonts are subset and registered, so we measure the original face:
the advance of a character, and where the ink of a punctuation mark sits inside its em (which
tells whether a full-width mark has a blank half that compression may remove).

Reading a CJK face's tables takes a tenth of a second or more (65,000 glyphs), so what layout
needs of each face is kept in the on-disk cache, keyed by file, size, mtime and face: a warm
build reads one small file per face instead of the font's tables.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import lru_cache

from zhengji_publish.cache import cache_dir, write_atomic
from zhengji_publish.fonts import Face
from zhengji_publish.typeset.rules import CLOSING, OPENING

FORMAT = 1
# Marks whose ink position layout asks about (compression needs to know their blank halves).
INK_CHARS = "".join(sorted(CLOSING | OPENING | set("·・—…")))


class FaceMetrics:
    """Coverage, advance widths and punctuation ink bounds of one face, in em (1.0 = the size)."""

    def __init__(self, advances: dict[int, float], ink: dict[str, tuple[float, float]]) -> None:
        self.advances = advances
        self.codepoints = frozenset(advances)
        self._ink = ink

    def advance(self, ch: str) -> float:
        return self.advances.get(ord(ch), 0.0)

    def ink(self, ch: str) -> tuple[float, float]:
        """Left and right edge of the glyph's ink, in em (0, advance when unknown)."""
        return self._ink.get(ch, (0.0, self.advance(ch)))


def _read(face: Face) -> FaceMetrics:
    """Read the metrics from the font file (the slow path, once per face and font version)."""
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    font = TTFont(face.path, fontNumber=face.index, lazy=True)
    upem = font["head"].unitsPerEm
    cmap = font.getBestCmap() or {}
    hmtx = font["hmtx"]
    advances = {cp: hmtx[name][0] / upem for cp, name in cmap.items()}
    glyphs = font.getGlyphSet()
    ink = {}
    for ch in INK_CHARS:
        name = cmap.get(ord(ch))
        if name:
            pen = BoundsPen(glyphs)
            glyphs[name].draw(pen)
            if pen.bounds:
                ink[ch] = (pen.bounds[0] / upem, pen.bounds[2] / upem)
    return FaceMetrics(advances, ink)


@lru_cache(maxsize=64)
def metrics(face: Face) -> FaceMetrics:
    st = os.stat(face.path)
    key = hashlib.sha1(f"{FORMAT}|{face.path}|{st.st_size}|{int(st.st_mtime)}|{face.index}".encode()).hexdigest()
    path = cache_dir() / "metrics" / f"{key}.pickle"
    try:
        advances, ink = pickle.loads(path.read_bytes())
        return FaceMetrics(advances, ink)
    except (OSError, ValueError, EOFError, pickle.UnpicklingError):
        pass
    fm = _read(face)
    write_atomic(path, pickle.dumps((fm.advances, fm._ink), protocol=pickle.HIGHEST_PROTOCOL))
    return fm
