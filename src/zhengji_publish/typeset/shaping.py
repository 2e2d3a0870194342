"""Shaping with HarfBuzz: the glyphs and advances a face gives a run of text in a language.

Layout picks glyphs by code point for Han text, where shaping changes nothing in the CJK faces
(their regional cmap already holds the edition's forms). Runs whose form depends on the font's
layout tables are shaped: a run of dashes becomes the face's one unbroken 2-em dash and a middle
dot its full-width form (``fwid``), Latin words get their kerning and ligatures (``kern``,
``liga``). Shaping follows the edition's language (``locl`` of ZHS/ZHT/ZHH). In vertical text
every CJK run is shaped top to bottom (:func:`shape_vertical`), which brings the face's vertical
forms (``vert``/``vrt2``) and its vertical metrics (``vmtx``, ``VORG``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import uharfbuzz as hb

from zhengji_publish.fonts import Face, hb_font

# The edition's region → the BCP 47 tag HarfBuzz maps to the OpenType language system.
LANGUAGES = {"SC": "zh-Hans", "TC": "zh-Hant-TW", "HK": "zh-Hant-HK"}
#: The language (BCP 47) Latin text is shaped in: the face's default Latin forms, as the DOCX's
#: Latin runs take them in their Western language (``w:lang w:val`` en-US; LibreOffice shapes a run
#: in its language). Noto Serif CJK's are tabular digits (0.549 em) where its Chinese language
#: systems (``locl``) keep proportional ones (``1`` 0.471 em): ``v2.3.1`` and a URL's digits were
#: up to 0.8 pt a digit wider in LibreOffice than in the PDF. Digits and signs alone shaped in it
#: are Latin text (:func:`_shaped`).
LATIN = "en"


class Glyph(NamedTuple):
    """One shaped glyph, lengths in em of the face (1.0 = the font size)."""

    gid: int  # glyph id in the face
    cluster: int  # index in the text of the first character it draws
    advance: float  # the pen's move after it, kerning included
    offset: float  # horizontal shift of the glyph from the pen position
    nominal: float  # the glyph's own advance (hmtx): what a PDF viewer moves by after drawing it


@lru_cache(maxsize=8192)
def _shaped(font: hb.Font, text: str, direction: str, language: str, features: tuple[str, ...]) -> hb.Buffer:
    """A HarfBuzz buffer of ``text`` shaped by ``font`` in ``direction`` (``ltr``, ``ttb``) and
    ``language`` (BCP 47; empty: HarfBuzz's guess), with ``features`` turned on (``-kern``: off)."""
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    if direction == "ttb" and buf.script in (None, "Zyyy", "Zinh", "Zzzz"):
        # punctuation alone (script Common: a folio's dashes, a —— or …… run of its own) is set as
        # the Han text around it, so it takes its vertical forms (vert/vrt2 are Han features)
        buf.script = "Hani"
    buf.direction = direction
    if language:
        buf.language = language
    if language == LATIN and buf.script in (None, "Zyyy", "Zinh", "Zzzz"):
        # digits and signs alone (script Common) set as Latin text take its forms (locl of latn)
        buf.script = "Latn"
    hb.shape(font, buf, {f.lstrip("-"): not f.startswith("-") for f in features})
    return buf


def shape(face: Face, text: str, language: str, features: tuple[str, ...] = ()) -> tuple[Glyph, ...]:
    """``text`` shaped by ``face`` in ``language`` (BCP 47), left to right, with the default
    features plus ``features`` (OpenType feature tags turned on, e.g. ``("fwid",)``; one after
    ``-`` turned off, ``("-kern",)``).

    Raises ``OSError`` (HarfBuzz cannot open the file) like the other font readers.
    """
    font, upem = hb_font(face)
    buf = _shaped(font, text, "ltr", language, features)
    return tuple(
        Glyph(
            info.codepoint,
            info.cluster,
            pos.x_advance / upem,
            pos.x_offset / upem,
            font.get_glyph_h_advance(info.codepoint) / upem,
        )
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True)
    )


def nominal_glyph(face: Face, ch: str) -> int | None:
    """The glyph the face's cmap gives ``ch`` (None: it has none)."""
    font, _upem = hb_font(face)
    gid = font.get_nominal_glyph(ord(ch))
    return int(gid) if gid is not None else None


class VerticalGlyph(NamedTuple):
    """One glyph shaped top to bottom, lengths in em of the face (1.0 = the font size).

    The pen runs down the column's centre line; the glyph is drawn upright with its horizontal
    origin ``across`` right of the pen and ``down`` below it (HarfBuzz's vertical origin from the
    face's VORG or vmtx, OpenType "vmtx", "VORG"). ``ink`` is the top and bottom of its outline,
    measured down from the pen (what compression may take from a mark's blank ends).
    """

    gid: int
    cluster: int
    advance: float  # the pen's move down after it (vmtx advance height)
    across: float
    down: float
    ink: tuple[float, float]


@lru_cache(maxsize=8192)
def shape_vertical(face: Face, text: str, language: str, features: tuple[str, ...] = ()) -> tuple[VerticalGlyph, ...]:
    """``text`` shaped in vertical writing (HarfBuzz direction ``ttb``): the face's ``vert``/``vrt2``
    forms (clreq "Vertical writing mode": punctuation takes its vertical form, 「」 turned, ——
    and …… run down the column), advances from ``vmtx``, origins from ``VORG``. ``features`` are
    turned on as in :func:`shape`. Raises ``OSError`` (HarfBuzz cannot open the file)."""
    font, upem = hb_font(face)
    buf = _shaped(font, text, "ttb", language, features)
    out = []
    pen = 0.0
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        down = pen - pos.y_offset / upem
        extents = font.get_glyph_extents(info.codepoint)
        if extents is None or extents.height == 0:
            ink = (pen, pen - pos.y_advance / upem)
        else:
            top = down - extents.y_bearing / upem
            ink = (top, top - extents.height / upem)
        out.append(VerticalGlyph(info.codepoint, info.cluster, -pos.y_advance / upem, pos.x_offset / upem, down, ink))
        pen -= pos.y_advance / upem
    return tuple(out)


@lru_cache(maxsize=64)
def has_vertical_punctuation(face: Face) -> bool:
    """Whether ``face`` gives full-width punctuation its vertical forms: whether its ``vert``
    feature turns the corner bracket 「 (U+300C), a mark that takes a vertical form in every
    region (the comma need not: a Taiwan face's ， is centred in the cell already).

    A face that lacks it has at most a few vertical forms: AR PL UKai turns only 。、…·～, and its
    。 is the centred form of Taiwan, so its ，：；「」《》（）—— would stand as in horizontal text
    (the comma low on the left, brackets and dashes across the column). Raises ``OSError``
    (HarfBuzz cannot open the file).
    """
    glyphs = shape_vertical(face, "\u300c", "")
    return bool(glyphs) and glyphs[0].gid != nominal_glyph(face, "\u300c")


DASHES = frozenset("\u2014\u2e3a")  # — EM DASH and ⸺ TWO-EM DASH: the marks a 破折号 is made of


@lru_cache(maxsize=64)
def joins_dashes(face: Face) -> bool:
    """Whether ``face`` draws the 破折号 ``——`` as one unbroken rule (GB/T 15834-2011 §4.9: a
    2-em dash, no gap in it): whether shaping ``——`` gives one glyph (the face's 2-em dash
    ligature) or the ink of its em dash U+2014 reaches both ends of its advance (two of them
    touch). Measured from the face, horizontally, in no particular language.

    AR PL UKai does neither: its em dash is inked from 0.07 to 0.93 em and it has no ligature,
    so ``——`` shows two dashes 0.14 em apart. A face without an em dash joins nothing. Raises
    ``OSError`` (HarfBuzz cannot open the file).
    """
    if nominal_glyph(face, "\u2014") is None:
        return False
    if len(shape(face, "\u2014\u2014", "", ("fwid",))) == 1:
        return True
    font, upem = hb_font(face)
    (glyph,) = shape(face, "\u2014", "", ("fwid",))
    extents = font.get_glyph_extents(glyph.gid)
    if extents is None:
        return False
    tolerance = 0.01  # em: an outline's overlap or shortfall no eye sees at text sizes
    left, right = extents.x_bearing / upem, (extents.x_bearing + extents.width) / upem
    return left <= tolerance and right >= glyph.advance - tolerance
