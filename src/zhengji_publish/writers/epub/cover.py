"""The cover image: the title set in the style's own faces and colours, drawn with Pillow.

Reading systems show the cover in the library view, so every book gets one even without an
image in the source. Drawing uses no clock and no randomness and the PNG carries no metadata, so
the same source gives the same bytes.
"""

from __future__ import annotations

import io
import math

import PIL
from PIL import Image, ImageDraw, ImageFont

from zhengji_publish import model as m
from zhengji_publish.cache import cached_bytes, file_stamp
from zhengji_publish.fonts import Face, FontBook
from zhengji_publish.style import Style

COVER_VERSION = 1  # raise when the drawing changes, so cached covers are made again
WIDTH, HEIGHT = 1600, 2400
MARGIN = 180
# Marks that may not begin a line (clreq, basic level).
NO_LINE_START = set("。．，、；：？！）］｝〕〗】〉》」』”’·・～…—")


def _font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    """The face at ``size`` px; ``index`` picks the regional face inside a collection."""
    return ImageFont.truetype(face.path, size, index=face.index)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break ``text`` into lines of even length no wider than ``width`` (no lone last character).

    A line break in the title (a hard break in its heading, a multi-line YAML value) starts a new
    line: Pillow's layout cannot measure a newline.
    """
    return [line for part in text.replace("\t", " ").split("\n") for line in _wrap_one(part.strip(), font, width)]


def _wrap_one(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    count = math.ceil(font.getlength(text) / width) or 1
    return _greedy(text, font, min(width, math.ceil(font.getlength(text) / count + font.size / 2)))


def _greedy(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Fill lines up to ``width``, never starting a line with closing punctuation."""
    lines: list[str] = []
    line = ""
    for ch in text:
        if line and font.getlength(line + ch) > width and ch not in NO_LINE_START:
            lines.append(line)
            line = ""
        elif line and font.getlength(line + ch) > width and len(line) > 1:
            lines.append(line[:-1])  # carry the previous character down with the closing mark
            line = line[-1]
        line += ch
    return lines + [line] if line else lines


def _centred(
    draw: ImageDraw.ImageDraw, lines: list[str], font: ImageFont.FreeTypeFont, top: int, pitch: int, fill: str
) -> int:
    """Draw centred lines from ``top``; returns the y below the last line."""
    for line in lines:
        draw.text((WIDTH // 2, top), line, font=font, fill=fill, anchor="mt")
        top += pitch
    return top


def cover_png(meta: m.Meta, style: Style, fonts: FontBook, date_text: str) -> bytes:
    """A 1600×2400 PNG: accent rules, the title, the subtitle, authors and publisher.

    Drawing and compressing it takes longer than the rest of a short e-book, and it depends only on
    the texts, colours and faces below: it is kept in the cache under all of them.
    """
    title = style.block("title")
    faces = [
        fonts.primary(title.font, title.bold),
        fonts.primary(style.block("subtitle").font),
        fonts.primary(style.block("byline").font),
    ]
    key = "|".join(
        [
            f"cover {COVER_VERSION} {WIDTH}x{HEIGHT} Pillow {PIL.__version__}",
            meta.title,
            meta.subtitle or "",
            "、".join(meta.authors),
            meta.publisher or "",
            date_text,
            style.colors["accent"],
            style.colors["text"],
            title.color,
            *(f"{file_stamp(f.path)}#{f.index}" for f in faces),
        ]
    )
    return cached_bytes("cover", key, lambda: _draw_cover(meta, style, fonts, date_text))


def _draw_cover(meta: m.Meta, style: Style, fonts: FontBook, date_text: str) -> bytes:
    accent, text_colour = style.colors["accent"], style.colors["text"]
    image = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 60), fill=accent)
    draw.rectangle((0, HEIGHT - 60, WIDTH, HEIGHT), fill=accent)

    title_style = style.block("title")
    title_font = _font(fonts.primary(title_style.font, title_style.bold), 130)
    y = _centred(draw, wrap(meta.title, title_font, WIDTH - 2 * MARGIN), title_font, 640, 170, title_style.color)
    if meta.subtitle:
        sub_font = _font(fonts.primary(style.block("subtitle").font), 64)
        _centred(draw, wrap(meta.subtitle, sub_font, WIDTH - 2 * MARGIN), sub_font, y + 60, 90, text_colour)
    draw.rectangle((WIDTH // 2 - 120, 560, WIDTH // 2 + 120, 566), fill=accent)

    small = _font(fonts.primary(style.block("byline").font), 58)
    bottom = [line for line in ("、".join(meta.authors), meta.publisher, date_text) if line]
    _centred(draw, bottom, small, HEIGHT - 220 - 85 * len(bottom), 85, text_colour)

    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False, compress_level=6)  # as small as 9 here, faster
    return buf.getvalue()
