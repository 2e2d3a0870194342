"""Glyph metrics of the faces, from HarfBuzz: coverage, advances, vertical metrics, ink bounds.

Layout happens before the PDF fonts are subset and registered, so we measure the original face:
the advance of a character, and where the ink of a punctuation mark sits inside its em (which
tells whether a full-width mark has a blank half that compression may remove).

HarfBuzz reads a face's cmap and hmtx in place from the memory-mapped file, a glyph at a time, so
nothing is read ahead or cached on disk: a character is looked up when layout first asks for it
and remembered for the rest of the process.

Vertical writing (clreq §2.1, the OpenType ``vhea``/``vmtx``/``VORG`` tables, read by HarfBuzz):
:func:`vertical_advance` and :func:`vertical_origin` give a glyph's metrics by glyph id (a
run's glyphs as a vertical line draws them, ``vert``/``vrt2`` forms top to bottom, come from
:func:`zhengji_publish.typeset.shaping.shape_vertical`). All lengths are in em of the face
(1.0 = the font size), with the font's own axes: x to the right, y up from the baseline.
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


# Vertical metrics and vertical shaping


def vertical_advance(face: Face, gid: int) -> float:
    """How far down the pen moves after glyph ``gid`` in vertical writing, in em (positive).

    From ``vmtx`` (HarfBuzz ``get_glyph_v_advance``); a face without vertical metrics gives its
    ascender minus descender (HarfBuzz's fallback), 1.0 em in a CJK face.
    """
    font, upem = hb_font(face)
    return -font.get_glyph_v_advance(gid) / upem


def vertical_origin(face: Face, gid: int) -> tuple[float, float]:
    """Where glyph ``gid``'s vertical origin lies from its horizontal origin, as (x, y) in em, y up.

    The vertical origin is the point on the vertical line's centre at the top of the glyph's em box:
    x is half the horizontal advance, y the ``VORG`` entry (CFF faces) or the ``vmtx`` top side
    bearing plus the glyph's top (TrueType faces), else the ascender (HarfBuzz
    ``get_glyph_v_origin``). Drawing a glyph whose pen is at point P of a vertical line means
    placing its horizontal origin at ``P - vertical_origin``.
    """
    font, upem = hb_font(face)
    origin = font.get_glyph_v_origin(gid)
    if origin is None:  # HarfBuzz always has one; a binding without it gives the ascender
        return (font.get_glyph_h_advance(gid) / upem / 2, font.get_font_extents("ltr").ascender / upem)
    return (origin[0] / upem, origin[1] / upem)


def glyph_ink(face: Face, gid: int) -> tuple[float, float, float, float] | None:
    """The ink box of glyph ``gid`` (its outline's bounds, HarfBuzz ``get_glyph_extents``) as
    (x min, y min, x max, y max) in em from the horizontal origin, y up; None for a blank glyph."""
    font, upem = hb_font(face)
    extents = font.get_glyph_extents(gid)
    if extents is None or (extents.width == 0 and extents.height == 0):
        return None
    x0, y1 = extents.x_bearing, extents.y_bearing
    return (x0 / upem, (y1 + extents.height) / upem, (x0 + extents.width) / upem, y1 / upem)
