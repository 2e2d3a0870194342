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
import pickle
from array import array
from bisect import bisect_left
from functools import lru_cache

from zhengji_publish.cache import cache_dir, file_stamp, write_atomic
from zhengji_publish.fontfile import Face
from zhengji_publish.typeset.rules import CLOSING, OPENING

FORMAT = 2
# Marks whose ink position layout asks about (compression needs to know their blank halves).
INK_CHARS = "".join(sorted(CLOSING | OPENING | set("·・—…")))


class FaceMetrics:
    """Coverage, advance widths and punctuation ink bounds of one face, in em (1.0 = the size).

    The code points and advances are two parallel sorted arrays: they load from the cache as
    bytes, where a dictionary of 45,000 entries took longer to rebuild than the rest of a short
    build's layout. An advance is found by bisection and remembered.
    """

    def __init__(self, codepoints: array, widths: array, ink: dict[str, tuple[float, float]]) -> None:
        self._cps = codepoints
        self._widths = widths
        self._known: dict[str, float] = {}
        self._ink = ink
        self._has: dict[int, bool] = {}

    @classmethod
    def from_dict(cls, advances: dict[int, float], ink: dict[str, tuple[float, float]]) -> FaceMetrics:
        cps = sorted(advances)
        return cls(array("I", cps), array("d", (advances[cp] for cp in cps)), ink)

    def __contains__(self, cp: int) -> bool:
        """Whether the face has a glyph for the code point ``cp``."""
        try:
            return self._has[cp]
        except KeyError:
            i = bisect_left(self._cps, cp)
            found = self._has[cp] = i < len(self._cps) and self._cps[i] == cp
            return found

    def advance(self, ch: str) -> float:
        try:
            return self._known[ch]
        except KeyError:
            cp = ord(ch)
            i = bisect_left(self._cps, cp)
            width = self._widths[i] if i < len(self._cps) and self._cps[i] == cp else 0.0
            self._known[ch] = width
            return width

    def ink(self, ch: str) -> tuple[float, float]:
        """Left and right edge of the glyph's ink, in em (0, advance when unknown)."""
        return self._ink.get(ch, (0.0, self.advance(ch)))

    def dumps(self) -> bytes:
        return pickle.dumps((self._cps.tobytes(), self._widths.tobytes(), self._ink), protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def loads(cls, data: bytes) -> FaceMetrics:
        cps, widths, ink = pickle.loads(data)
        return cls(array("I", cps), array("d", widths), ink)


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
    return FaceMetrics.from_dict(advances, ink)


@lru_cache(maxsize=64)
def metrics(face: Face) -> FaceMetrics:
    key = hashlib.sha1(f"{FORMAT}|{file_stamp(face.path)}|{face.index}".encode()).hexdigest()
    path = cache_dir() / "metrics" / f"{key}.pickle"
    try:
        return FaceMetrics.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError, pickle.UnpicklingError):
        pass
    fm = _read(face)
    write_atomic(path, fm.dumps())
    return fm
