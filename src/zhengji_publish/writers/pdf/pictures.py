"""Colour glyphs as pictures: characters of a bitmap-only face (CBDT colour emoji) in the PDF.

reportlab embeds outline fonts only, and a PDF font cannot carry colour bitmaps, so a character
drawn by a face without outlines (Noto Color Emoji) is rendered by Pillow from the face's bitmap
strike and placed as an image where the glyph goes; the line's ``/ActualText`` keeps the
character, so the PDF's text still copies as written.
"""

from __future__ import annotations

from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from zhengji_publish.fonts import Face

STRIKE = 109  # px per em of Noto Color Emoji's bitmaps: FreeType loads a CBDT face only at its strike size


@lru_cache(maxsize=256)
def glyph_picture(face: Face, ch: str) -> tuple[Image.Image, float, float]:
    """``ch`` drawn in colour by ``face``: (RGBA image, ascent, descent), the image spanning the
    glyph's advance and the face's ascent + descent, ascent and descent in em of the face.

    Raises ``OSError`` when Pillow cannot load the face at :data:`STRIKE` px (a colour face whose
    only strike has another size).
    """
    font = ImageFont.truetype(face.path, STRIKE, index=face.index)
    ascent, descent = font.getmetrics()
    width = max(1, round(font.getlength(ch)))
    image = Image.new("RGBA", (width, ascent + descent))
    ImageDraw.Draw(image).text((0, ascent), ch, font=font, embedded_color=True, anchor="ls")
    return image, ascent / STRIKE, descent / STRIKE
