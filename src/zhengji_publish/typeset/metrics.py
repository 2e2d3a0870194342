"""Glyph metrics read from the font files themselves (advance widths and ink bounds).

Layout happens before the PDF fonts are subset and registered, so we measure with fontTools on
the original face: the advance of a character, and where its ink sits inside the em (which tells
whether a full-width mark has a blank half that compression may remove).
"""

from __future__ import annotations

from functools import lru_cache

from zhengji_publish.fonts import Face


class FaceMetrics:
    """Advance widths and ink bounds of one face, in em units (1.0 = the font size)."""

    def __init__(self, face: Face) -> None:
        from fontTools.ttLib import TTFont

        self.font = TTFont(face.path, fontNumber=face.index, lazy=True)
        self.upem = self.font["head"].unitsPerEm
        self.cmap = self.font.getBestCmap() or {}
        self.hmtx = self.font["hmtx"]
        self._adv: dict[str, float] = {}
        self._bounds: dict[str, tuple[float, float]] = {}
        self._glyphset = None

    def advance(self, ch: str) -> float:
        adv = self._adv.get(ch)
        if adv is None:
            gname = self.cmap.get(ord(ch))
            adv = self.hmtx[gname][0] / self.upem if gname else 0.0
            self._adv[ch] = adv
        return adv

    def ink(self, ch: str) -> tuple[float, float]:
        """Left and right edge of the glyph's ink, in em (0, advance when unknown)."""
        if ch in self._bounds:
            return self._bounds[ch]
        from fontTools.pens.boundsPen import BoundsPen

        gname = self.cmap.get(ord(ch))
        result = (0.0, self.advance(ch))
        if gname:
            if self._glyphset is None:
                self._glyphset = self.font.getGlyphSet()
            pen = BoundsPen(self._glyphset)
            self._glyphset[gname].draw(pen)
            if pen.bounds:
                result = (pen.bounds[0] / self.upem, pen.bounds[2] / self.upem)
        self._bounds[ch] = result
        return result


@lru_cache(maxsize=64)
def metrics(face: Face) -> FaceMetrics:
    return FaceMetrics(face)
