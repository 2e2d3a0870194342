"""Glyph metrics of the faces, from HarfBuzz (coverage, advance widths, ink bounds).

Layout happens before the PDF fonts are subset and registered, so we measure the original face:
the advance of a character, and where the ink of a punctuation mark sits inside its em (which
tells whether a full-width mark has a blank half that compression may remove).

HarfBuzz reads a face's cmap and hmtx in place from the memory-mapped file, a glyph at a time, so
nothing is read ahead or cached on disk: a character is looked up when layout first asks for it
and remembered for the rest of the process.
"""

from __future__ import annotations

from functools import lru_cache

from zhengji_publish.fonts.faces import Face, cmap_of, hb_font
from zhengji_publish.typeset.rules import CLOSING, OPENING

# Marks whose ink position layout asks about (compression needs to know their blank halves).
INK_CHARS = "".join(sorted(CLOSING | OPENING | set("·・—…")))


class FaceMetrics:
    """Coverage, advance widths and ink bounds of one face, in em (1.0 = the size)."""

    def __init__(self, face: Face) -> None:
        self._font, upem = hb_font(face)
        self._em = 1.0 / upem
        self._coverage = cmap_of(face)
        self._known: dict[str, float] = {}
        self._ink: dict[str, tuple[float, float]] = {}

    def __contains__(self, cp: int) -> bool:
        """Whether the face has a glyph for the code point ``cp`` (its cmap maps it)."""
        return cp in self._coverage

    def advance(self, ch: str) -> float:
        """The horizontal advance of ``ch``'s glyph (hmtx), 0.0 when the face has none."""
        try:
            return self._known[ch]
        except KeyError:
            gid = self._font.get_nominal_glyph(ord(ch))
            width = self._known[ch] = 0.0 if gid is None else self._font.get_glyph_h_advance(gid) * self._em
            return width

    def ink(self, ch: str) -> tuple[float, float]:
        """Left and right edge of the glyph's ink (its outline's bounds), in em; (0, advance) when
        the face has no glyph for ``ch`` or the glyph is blank."""
        try:
            return self._ink[ch]
        except KeyError:
            gid = self._font.get_nominal_glyph(ord(ch))
            extents = self._font.get_glyph_extents(gid) if gid else None
            if extents is None or extents.width == 0:
                bounds = (0.0, self.advance(ch))
            else:
                bounds = (extents.x_bearing * self._em, (extents.x_bearing + extents.width) * self._em)
            self._ink[ch] = bounds
            return bounds


@lru_cache(maxsize=64)
def metrics(face: Face) -> FaceMetrics:
    """The face's metrics, one object per face and process."""
    return FaceMetrics(face)
