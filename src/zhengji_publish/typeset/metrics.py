"""Glyph metrics read from the font files themselves (coverage, advance widths, ink bounds).

Layout happens before the PDF fonts are subset and registered, so we measure the original face:
the advance of a character, and where the ink of a punctuation mark sits inside its em (which
tells whether a full-width mark has a blank half that compression may remove).

Reading a CJK face's cmap and hmtx (65,000 glyphs) takes a few hundredths of a second
(fontfile reads them by glyph id), so what layout needs of each face is kept in the on-disk
cache, keyed by file, size, mtime and face: a warm build reads one small file per face instead
of the font's tables.
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
    from zhengji_publish.fontfile import opened

    ff = opened(face)  # shared with the font subsets a cold build makes next
    upem = ff.upem
    cmap = ff.cmap
    hadv = ff.hmetrics[0]
    advances = {cp: hadv[gid] / upem for cp, gid in cmap.items()}
    ink = {}
    for ch in INK_CHARS:
        gid = cmap.get(ord(ch))
        if gid:
            bounds = ff.ink(gid)
            if bounds:
                ink[ch] = (bounds[0] / upem, bounds[2] / upem)
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
