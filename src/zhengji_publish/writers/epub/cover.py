"""The cover image: the title set in the style's own faces and colours, drawn with Pillow.

Reading systems show the cover in the library view, so every book gets one even without an
image in the source. Drawing uses no clock and no randomness and the PNG carries no metadata, so
the same source gives the same bytes.
"""

from __future__ import annotations

import io
import math
import re

import PIL
from PIL import Image, ImageDraw, ImageFont

from zhengji_publish import model as m
from zhengji_publish.cache import cached_bytes, file_stamp
from zhengji_publish.fonts import Face, FontBook
from zhengji_publish.style import Style
from zhengji_publish.typeset import rules

COVER_VERSION = 4  # raise when the drawing changes, so cached covers are made again
WIDTH, HEIGHT = 1600, 2400
MARGIN = 180


def _font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    """The face at ``size`` px; ``index`` picks the regional face inside a collection."""
    return ImageFont.truetype(face.path, size, index=face.index)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, level: str = "strict") -> list[str]:
    """Break ``text`` into lines of even length no wider than ``width`` px (no lone last character).

    Lines break only where the line-break ``level`` allows (``typeset.rules``: no closing mark at a
    line's start, no opening mark at its end) and never inside a unit (a Latin word, ——, ……). A
    line break in the title (a hard break in its heading, a multi-line YAML value) starts a new
    line: Pillow's layout cannot measure a newline.
    """
    return [
        line for part in text.replace("\t", " ").split("\n") for line in _wrap_one(part.strip(), font, width, level)
    ]


def _wrap_one(text: str, font: ImageFont.FreeTypeFont, width: int, level: str) -> list[str]:
    """Lines of even length: as many as the full width needs, each as near the average as units allow."""
    count = math.ceil(font.getlength(text) / width) or 1
    lines = _greedy(text, font, min(width, math.ceil(font.getlength(text) / count + font.size / 2)), level)
    fewest = len(_greedy(text, font, width, level))
    if len(lines) <= fewest:
        return lines
    lo, hi = 1, width  # a unit that may not be split pushed a line over: the narrowest width that does not
    while lo < hi:
        mid = (lo + hi) // 2
        if len(_greedy(text, font, mid, level)) <= fewest:
            hi = mid
        else:
            lo = mid + 1
    return _greedy(text, font, hi, level)


def _units(text: str) -> list[tuple[str, str]]:
    """(kind, text) of the pieces a line may break between: single characters, words, dashes, spaces."""
    out: list[tuple[str, str]] = []
    for kind, piece in rules.tokens(text):
        out += [("char", ch) for ch in piece] if kind == "chars" else [(kind, piece)]
    return out


def _may_break(before: tuple[str, str], after: tuple[str, str], level: str) -> bool:
    """Whether a line may end between two units: after a space, never before one; else by kinsoku."""
    if after[0] == "space":
        return False
    if before[0] == "space":
        return True
    if before[0] in ("word", "piece") and after[0] == "word":  # a word split by the tokenizer
        return False
    return rules.may_break_between(before[1][-1], after[1][0], level)


def _greedy(text: str, font: ImageFont.FreeTypeFont, width: int, level: str) -> list[str]:
    """Fill lines up to ``width``; where a line may not end, carry units down to where it may."""
    units = _units(text)
    lines: list[str] = []
    line: list[tuple[str, str]] = []
    for unit in units:
        if line and font.getlength("".join(u[1] for u in line) + unit[1]) > width:
            cut = next((k for k in range(len(line), 0, -1) if _may_break(line[k - 1], (line + [unit])[k], level)), 0)
            if cut:
                lines.append("".join(u[1] for u in line[:cut]).strip())
                line = line[cut:]
        line.append(unit)
    if line:
        lines.append("".join(u[1] for u in line).strip())
    return [ln for ln in lines if ln]


def _centred(
    draw: ImageDraw.ImageDraw, lines: list[str], font: ImageFont.FreeTypeFont, top: int, pitch: int, fill: str
) -> int:
    """Draw centred lines from ``top``; returns the y below the last line."""
    for line in lines:
        draw.text((WIDTH // 2, top), line, font=font, fill=fill, anchor="mt")
        top += pitch
    return top


# Vertical presentation forms (Unicode "Vertical Forms" and "CJK Compatibility Forms" blocks) of
# the marks a vertical title may hold: the cover is drawn a character at a time, without shaping.
VERTICAL_FORMS = str.maketrans(
    "，、。：；！？「」『』（）《》〈〉【】〔〕—…",
    "︐︑︒︓︔︕︖﹁﹂﹃﹄︵︶︽︾︿﹀︻︼︹︺︱︙",
)


def cover_png(
    meta: m.Meta, style: Style, fonts: FontBook, date_text: str, line_break: str, vertical: bool = False
) -> bytes:
    """A 1600×2400 PNG: accent rules, the title, the subtitle, authors and publisher; with
    ``vertical`` each set in columns top to bottom, right to left, the date one upright column.

    Drawing and compressing it takes longer than the rest of a short e-book, and it depends only on
    the texts, colours and faces below: it is kept in the cache under all of them. ``line_break``
    is the plan's line-break level (``basic`` or ``strict``), which the title and subtitle follow.
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
            line_break,
            "vertical" if vertical else "horizontal",
            *(f"{file_stamp(f.path)}#{f.index}" for f in faces),
        ]
    )
    draw_cover = _draw_vertical_cover if vertical else _draw_cover
    return cached_bytes("cover", key, lambda: draw_cover(meta, style, fonts, date_text, line_break))


# A run of Latin letters and digits (with the marks and spaces inside it) that a vertical column
# sets as a whole: turned 90° clockwise, or upright in one cell when it is a short number.
_LATIN_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:'’&/-]*(?: +[A-Za-z0-9][A-Za-z0-9.,:'’&/-]*)*")


def _cells(column: str, upright: bool = False) -> list[tuple[str, str]]:
    """(kind, text) down a column: ``char`` upright, ``tcy`` a number of one or two digits upright
    in one cell (縱中橫, :func:`~zhengji_publish.typeset.rules.upright_numbers`), ``turned`` a Latin
    word or longer number lying turned 90° clockwise, as vertical text sets them (clreq "Vertical
    writing mode"). With ``upright`` every character stands upright, one a cell (the date)."""
    if upright:
        return [("char", ch) for ch in column]
    short = rules.upright_numbers(2)
    out: list[tuple[str, str]] = []
    at = 0
    for found in _LATIN_RUN.finditer(column):
        out += [("char", ch) for ch in column[at : found.start()]]
        word = found.group(0)
        out.append(("tcy" if short.fullmatch(word) else "turned", word))
        at = found.end()
    return out + [("char", ch) for ch in column[at:]]


def _column_length(column: str, font: ImageFont.FreeTypeFont, upright: bool = False) -> int:
    """The length (px) of a column drawn by :func:`_columns`."""
    size = int(font.size)
    return sum(math.ceil(font.getlength(t)) if k == "turned" else size for k, t in _cells(column, upright))


def _columns(
    image: Image.Image,
    columns: list[str],
    font: ImageFont.FreeTypeFont,
    right: int,
    top: int,
    pitch: int,
    fill: str,
    upright: bool = False,
) -> int:
    """Draw columns top to bottom from ``top``, the first centred on ``right``, the next ``pitch``
    to the left: each Han character upright in a cell of the font's size, marks in their vertical
    forms, Latin words turned 90° clockwise and short numbers upright in one cell (see
    :func:`_cells`). Returns the centre of the next column."""
    draw = ImageDraw.Draw(image)
    size = int(font.size)
    for column in columns:
        y = top
        for kind, text in _cells(column, upright):
            if kind == "turned":  # drawn lying, then turned a quarter turn clockwise
                length = math.ceil(font.getlength(text))
                band = Image.new("RGBA", (length, size), (0, 0, 0, 0))
                ImageDraw.Draw(band).text((0, size // 2), text, font=font, fill=fill, anchor="lm")
                turned = band.rotate(-90, expand=True)
                image.paste(turned, (right - size // 2, y), turned)
                y += length
                continue
            draw.text((right, y), text.translate(VERTICAL_FORMS), font=font, fill=fill, anchor="mt")
            y += size
        right -= pitch
    return right


def _draw_vertical_cover(meta: m.Meta, style: Style, fonts: FontBook, date_text: str, line_break: str) -> bytes:
    """The cover of a vertical book: the title in columns from the right, the subtitle left of it,
    authors, publisher and date in columns at the left, ending at the foot."""
    accent, text_colour = style.colors["accent"], style.colors["text"]
    image = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rectangle((WIDTH - 60, 0, WIDTH, HEIGHT), fill=accent)  # rules at the spine side and the fore-edge
    draw.rectangle((0, 0, 60, HEIGHT), fill=accent)
    title_style = style.block("title")
    title_font = _font(fonts.primary(title_style.font, title_style.bold), 130)
    right = _columns(
        image,
        wrap(meta.title, title_font, HEIGHT - 2 * MARGIN - 300, line_break),
        title_font,
        WIDTH - MARGIN - 120,
        MARGIN + 60,
        170,
        title_style.color,
    )
    draw.rectangle((WIDTH - MARGIN - 30, MARGIN + 60, WIDTH - MARGIN - 24, MARGIN + 300), fill=accent)
    if meta.subtitle:
        sub_font = _font(fonts.primary(style.block("subtitle").font), 64)
        subtitle = wrap(meta.subtitle, sub_font, HEIGHT - 2 * MARGIN - 500, line_break)
        _columns(image, subtitle, sub_font, right - 20, MARGIN + 240, 90, text_colour)
    small = _font(fonts.primary(style.block("byline").font), 58)
    bottom = [line for line in ("、".join(meta.authors), meta.publisher, date_text) if line]
    left_columns = [
        (c, line == date_text) for line in bottom for c in wrap(line, small, HEIGHT // 2 - MARGIN, line_break)
    ]
    x = MARGIN + 85 * (len(left_columns) - 1)
    for column, upright in left_columns:  # each ends at the foot of the type area; the date stands upright
        top = HEIGHT - MARGIN - _column_length(column, small, upright)
        _columns(image, [column], small, x, top, 85, text_colour, upright)
        x -= 85
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False, compress_level=6)  # as small as 9 here, faster
    return buf.getvalue()


def _draw_cover(meta: m.Meta, style: Style, fonts: FontBook, date_text: str, line_break: str) -> bytes:
    accent, text_colour = style.colors["accent"], style.colors["text"]
    image = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 60), fill=accent)
    draw.rectangle((0, HEIGHT - 60, WIDTH, HEIGHT), fill=accent)

    title_style = style.block("title")
    title_font = _font(fonts.primary(title_style.font, title_style.bold), 130)
    y = _centred(
        draw,
        wrap(meta.title, title_font, WIDTH - 2 * MARGIN, line_break),
        title_font,
        640,
        170,
        title_style.color,
    )
    if meta.subtitle:
        sub_font = _font(fonts.primary(style.block("subtitle").font), 64)
        _centred(draw, wrap(meta.subtitle, sub_font, WIDTH - 2 * MARGIN, line_break), sub_font, y + 60, 90, text_colour)
    draw.rectangle((WIDTH // 2 - 120, 560, WIDTH // 2 + 120, 566), fill=accent)

    small = _font(fonts.primary(style.block("byline").font), 58)
    bottom = [line for line in ("、".join(meta.authors), meta.publisher, date_text) if line]
    _centred(draw, bottom, small, HEIGHT - 220 - 85 * len(bottom), 85, text_colour)
    return _png(image)
