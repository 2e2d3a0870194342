"""Fonts: faces, families, fallback, metrics and coverage, on HarfBuzz.

- :mod:`.faces` — a :class:`Face` of a font file, opened by HarfBuzz; what it covers and whether it
  has outlines;
- :mod:`.families` — the font folders, the index of installed faces, and :class:`FontBook`: the
  faces a style's roles resolve to for one edition (its regional face of a CJK collection);
- :mod:`.fallback` — the installed face, found with fontconfig, for a character no face of the
  style has;
- :mod:`.metrics` — advances, vertical metrics (v advance, v origin), ink bounds and vertical
  shaping for layout;
- :mod:`.coverage` — the check that every character of a document has a face.

The subsets the writers embed are made next to them: the PDF's TrueType subsets from outlines
HarfBuzz draws (``writers/pdf/truetype.py``), the EPUB's WOFF2 subsets by HarfBuzz's subsetter
(``writers/epub/subset.py``). Every face is opened by HarfBuzz once per process
(:func:`~zhengji_publish.fonts.faces.hb_font`).
"""

from __future__ import annotations

from zhengji_publish.fonts.faces import Coverage, Face, check_draws, cmap_of, has_outlines, hb_font
from zhengji_publish.fonts.fallback import COLOR_EMOJI_FAMILIES, best_face, fontconfig_faces, is_emoji
from zhengji_publish.fonts.families import (
    FONT_SUFFIXES,
    REGION_SUFFIXES,
    SYSTEM_FONT_DIRS,
    FontBook,
    font_dirs,
    font_folders,
    installed_faces,
)

__all__ = [
    "COLOR_EMOJI_FAMILIES",
    "FONT_SUFFIXES",
    "REGION_SUFFIXES",
    "SYSTEM_FONT_DIRS",
    "Coverage",
    "Face",
    "FontBook",
    "best_face",
    "check_draws",
    "cmap_of",
    "font_dirs",
    "font_folders",
    "fontconfig_faces",
    "has_outlines",
    "hb_font",
    "installed_faces",
    "is_emoji",
]
