"""Faces: one face of a font file, opened by HarfBuzz, and the characters it has.

A :class:`Face` names a face (file, index in a collection, family, weight); :func:`hb_font` opens it
with HarfBuzz (uharfbuzz), which reads the memory-mapped file's tables in place; :func:`cmap_of` and
:func:`has_outlines` answer what the face can draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from zhengji_publish.diagnostics import UserError, error


@dataclass(frozen=True)
class Face:
    """One face of a font file (a TTC holds several)."""

    family: str
    subfamily: str
    path: str
    index: int
    weight: int
    cff: bool  # PostScript outlines: reportlab cannot embed them without conversion

    def __hash__(self) -> int:  # faces key many dictionaries in layout: hash once, not per lookup
        try:
            return self.__dict__["_hash"]
        except KeyError:
            value = hash((self.path, self.index, self.family, self.subfamily))
            object.__setattr__(self, "_hash", value)
            return value

    @property
    def bold(self) -> bool:
        return self.weight >= 600

    @property
    def key(self) -> str:
        """A short unique name for this face (used as the registered PDF font name)."""
        base = "".join(ch for ch in f"{self.family}-{self.subfamily}" if ch.isalnum() or ch == "-")
        return base or f"face{self.index}"


def unusable_font(path: str | Path, cause: str) -> UserError:
    """The error for a font file the build cannot use: the file, the cause, and what to do."""
    return error(
        f"cannot use this font file: {cause}",
        "remove it from its fonts folder, or replace it with a whole copy of the face or another face",
        path,
    )


@lru_cache(maxsize=64)
def hb_font(face: Face) -> tuple[Any, int]:
    """The face opened by HarfBuzz (a ``uharfbuzz.Font`` at its design scale) and its units per em.

    The file is memory-mapped once for all its faces, their tables read in place when asked:
    opening a 65,000-glyph CJK face costs well under a millisecond. One per face and process: the
    metrics, shaping, coverage and both writers' subsets use it. Raises ``OSError`` for an
    unreadable file.
    """
    import uharfbuzz as hb

    hb_face = hb.Face(_blob(face.path), face.index)
    return hb.Font(hb_face), hb_face.upem


@lru_cache(maxsize=64)
def _blob(path: str) -> Any:
    """The font file, memory-mapped by HarfBuzz once per process for all the faces it holds."""
    import uharfbuzz as hb

    try:
        return hb.Blob.from_file_path(path)
    except hb.HarfBuzzError as exc:
        raise OSError(f"cannot read the font file {path}") from exc


class Coverage:
    """The code points a face has a glyph for (``cp in coverage``), looked up in its cmap by HarfBuzz
    as they are asked for and remembered."""

    def __init__(self, face: Face) -> None:
        self._font = hb_font(face)[0]
        self._has: dict[int, bool] = {}

    def __contains__(self, cp: object) -> bool:
        if not isinstance(cp, int):
            return False
        try:
            return self._has[cp]
        except KeyError:
            found = self._has[cp] = self._font.get_nominal_glyph(cp) is not None
            return found


@lru_cache(maxsize=64)
def cmap_of(face: Face) -> Coverage:
    """Code points the face has a glyph for (``cp in cmap_of(face)``), one object per face and process."""
    return Coverage(face)


@lru_cache(maxsize=64)
def has_outlines(face: Face) -> bool:
    """Whether ``face`` draws with outlines (glyf, CFF, CFF2 tables): False for a bitmap-only face such
    as the CBDT colour emoji of Noto Color Emoji, whose glyphs the PDF places as images."""
    try:
        tags = set(hb_font(face)[0].face.table_tags)
    except Exception:  # unreadable: treat as outlines, the subsetter reports the problem
        return True
    return bool(tags & {"glyf", "CFF ", "CFF2"})


@lru_cache(maxsize=256)
def check_draws(face: Face, chars: str) -> None:
    """Raise :func:`unusable_font` when a letter or digit of ``chars`` that ``face`` maps draws no ink.

    A damaged ``glyf`` or ``CFF`` table still opens, and the face still names and maps its
    characters; only its outlines are gone (HarfBuzz ``get_glyph_extents`` finds none). The PDF's
    TrueType conversion and the EPUB's subsetter meet this when they read the outlines; the DOCX,
    which only names its faces, asks here, so a damaged file in a fonts folder is reported by every
    format. A face without outlines (a colour bitmap face) draws pictures and is not asked.
    """
    import unicodedata

    if not has_outlines(face):
        return
    try:
        font = hb_font(face)[0]
    except Exception as exc:  # unreadable: the same message the other formats give
        raise unusable_font(face.path, f"HarfBuzz cannot read its face {face.family} ({exc})") from exc
    for ch in chars:
        gid = font.get_nominal_glyph(ord(ch))
        if gid is None or unicodedata.category(ch)[0] not in "LN":
            continue
        if font.get_glyph_extents(gid) is None:
            what = f"HarfBuzz draws no outline for {ch!r} (U+{ord(ch):04X}) in its face {face.family} {face.subfamily}"
            raise unusable_font(face.path, f"{what}: its outline table is damaged")
