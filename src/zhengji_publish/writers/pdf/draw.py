"""Drawing laid-out lines on a reportlab canvas, and the text-block flowable.

A :class:`TextBlock` holds the boxes of one paragraph (or heading, caption, code line…); it breaks
them into lines for whatever width the frame offers, splits between lines at a page end without
leaving a lone first or last line, and draws each line with as few text operators as possible:
consecutive glyphs evenly spaced are one ``Tj`` with a character spacing.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, FrameBreak, KeepTogether, PageBreak

from zhengji_publish import model as m
from zhengji_publish.fonts import Face
from zhengji_publish.model import Image
from zhengji_publish.style import BlockStyle
from zhengji_publish.typeset import rules
from zhengji_publish.typeset.boxes import Box
from zhengji_publish.typeset.linebreak import Line, Placed, break_lines, word_starts_at
from zhengji_publish.writers import lists
from zhengji_publish.writers.pdf import backend
from zhengji_publish.writers.pdf.pictures import glyph_picture

ASCENT = 0.88  # CJK em box: 0.88 em above the baseline, 0.12 em below
EMBOLDEN = 0.03  # stroke width of an emboldened glyph, em (about a bold weight's extra stem width)


@dataclass
class FontNames:
    """Face → the reportlab font name its subset was registered under."""

    names: dict[Face, str] = field(default_factory=dict)
    pictures: set[Face] = field(default_factory=set)  # faces without outlines: glyphs placed as images

    def __call__(self, face: Face) -> str:
        return self.names[face]


def baseline_offset(size: float, pitch: float) -> float:
    """Distance from the top of a line's slot to its baseline (the em box centred in the pitch)."""
    return (pitch - size) / 2 + ASCENT * size


def draw_line(canvas, line: Line, x0: float, baseline: float, fonts: FontNames) -> None:
    """Draw one line's glyphs, links, emphasis dots and strike-throughs.

    Each glyph is placed exactly with ``TJ`` adjustments (readers disagree on how character spacing
    carries across text operators, but all agree on ``TJ``), and the line is wrapped in a span
    whose ``/ActualText`` is the source text: copy, search and ``pdftotext`` give back exactly what
    was written, without the spaces a reader would guess from the Han–Latin gaps.
    """
    if not line.items:
        return
    encoded = backend.document_cache(canvas)
    # A bold run in a face without a bold weight (楷体, 仿宋) is emboldened as a word processor does:
    # glyphs filled and stroked (PDF text rendering mode 2) inside a saved graphics state.
    embolden = any(p.box.style.bold and not p.box.face.bold for p in line.items)
    ops = [f"/Span <</ActualText <{_utf16_hex(_line_text(line))}>>> BDC {'q ' if embolden else ''}BT"]
    stroke = ""  # the stroke width of emboldened glyphs in force ("": glyphs filled only)
    pen: float | None = None  # current text position (x); None before the line's first glyph
    cur_name, cur_size, color, rise = "", 0.0, "", None  # the text state in force
    last_style = None
    pending: list[str] = []  # the current TJ array
    pictures: list[Placed] = []
    picture_faces = fonts.pictures
    for p in line.items:
        box = p.box
        if picture_faces and box.face in picture_faces:
            pictures.append(p)
            continue
        size = box.size
        style = box.style
        lift = 0.35 * style.size if style.sup else 0.0  # superscript rise
        bolden = _num(EMBOLDEN * size) if embolden and style.bold and not box.face.bold else ""
        restyle = (style is not last_style and (style.color != color or lift != rise)) or bolden != stroke
        last_style = style
        if box.upright:  # vertical text: each glyph upright in its cell, placed with its own matrix
            if pending:
                ops.append("[" + " ".join(pending) + "] TJ")
                pending = []
            if style.color != color or bolden != stroke:
                ops.append(_paint(style.color, bolden))
                color, stroke = style.color, bolden
            if rise:
                ops.append("0 Ts")
            rise = 0.0
            centre = baseline + (ASCENT - 0.5) * size + lift
            for text, down, across, scale in box.upright:
                for name, data, _advance in _encoded(canvas, encoded, fonts(box.face), box.face, text):
                    if name != cur_name or size != cur_size:
                        ops.append(f"{name} {_num(size)} Tf")
                        cur_name, cur_size = name, size
                    # glyph x runs down the page's turned x axis: the glyph stands upright on the page
                    ops.append(f"0 {_num(scale)} -1 0 {_num(x0 + p.x + down)} {_num(centre + across)} Tm {data} Tj")
            pen = None
            continue
        # The box's glyphs: its text at the box's start, or its shaped glyphs each where shaping put them.
        for text, dx, own in box.draw or ((box.text, 0.0, None),):
            chunks = encoded.get((box.face, text))
            if chunks is None:
                chunks = encoded[(box.face, text)] = backend.encode(canvas, fonts(box.face), text)
            target = x0 + p.x + dx
            for name, data, advance in chunks:
                # A change of font (reportlab splits a CJK font into subsets of 256 glyphs), colour or
                # rise only ends the TJ array: the text position carries on, so a line is positioned once.
                if restyle or name != cur_name or size != cur_size:
                    if pending:
                        ops.append("[" + " ".join(pending) + "] TJ")
                        pending = []
                    if name != cur_name or size != cur_size:
                        ops.append(f"{name} {_num(size)} Tf")
                        cur_name, cur_size = name, size
                    if style.color != color or bolden != stroke:
                        ops.append(_paint(style.color, bolden))
                        color, stroke = style.color, bolden
                    if lift != rise:
                        ops.append(f"{_num(lift)} Ts")
                        rise = lift
                    restyle = False
                if pen is None:
                    ops.append(f"1 0 0 1 {_num(target)} {_num(baseline)} Tm")
                elif abs(pen - target) > 0.001:
                    pending.append(_num((pen - target) * 1000 / size))
                pending.append(data)
                if advance is not None:
                    pen = target + advance * size
                else:
                    pen = target + (box.glyphs if own is None else own)
                target = pen
    if pending:
        ops.append("[" + " ".join(pending) + "] TJ")
    if pen is None:
        # Upright glyphs came last: the line's text state ends in the line's own direction again, so
        # text extraction takes the span's text as a line running the column's way (down a turned page)
        # and orders the columns right to left.
        ops.append(f"1 0 0 1 {_num(x0)} {_num(baseline)} Tm")
    ops.append("ET Q" if embolden else "ET")
    backend.append_operators(canvas, " ".join(ops))
    for p in pictures:
        _draw_picture(canvas, p, x0, baseline)
    backend.append_operators(canvas, "EMC")
    _decorate(canvas, line.items, x0, baseline)


def _encoded(canvas, cache: dict, name: str, face: Face, text: str) -> list[tuple[str, str, float | None]]:
    """``text`` of ``face`` as the document's font chunks (:func:`backend.encode`), cached per document."""
    chunks = cache.get((face, text))
    if chunks is None:
        chunks = cache[(face, text)] = backend.encode(canvas, name, text)
    return chunks


def _draw_picture(canvas, placed: Placed, x0: float, baseline: float) -> None:
    """A colour glyph (:mod:`pictures`) at its place: its advance wide, its descent below the baseline."""
    box = placed.box
    image, ascent, descent = glyph_picture(box.face, box.text)
    lift = 0.35 * box.style.size if box.style.sup else 0.0
    backend.draw_image(
        canvas, image, x0 + placed.x, baseline + lift - descent * box.size, box.glyphs, (ascent + descent) * box.size
    )


def _paint(color: str, stroke: str) -> str:
    """The operators that fill glyphs in ``color``, and with ``stroke`` (a line width in pt) also
    stroke them in it (text rendering mode 2, PDF 32000-1 §9.3.6), or fill only (mode 0)."""
    r, g, b = (_num(v) for v in _rgb(color))
    if stroke:
        return f"{r} {g} {b} rg {r} {g} {b} RG {stroke} w 2 Tr"
    return f"{r} {g} {b} rg 0 Tr"


_RGB: dict[str, tuple[float, float, float]] = {}


def _rgb(color: str) -> tuple[float, float, float]:
    try:
        return _RGB[color]
    except KeyError:
        _RGB[color] = HexColor(color).rgb()
        return _RGB[color]


def _num(value: float) -> str:
    """A PDF number to 1/1000 (reportlab's own formatter is slow, and called for every glyph)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _line_text(line: Line) -> str:
    """What the line says, as written in the source (typed spaces kept, layout gaps not)."""
    out = []
    for i, p in enumerate(line.items):
        if i and p.box.space:
            out.append(" ")
        out.append(p.box.text)
    if line.space_after:
        out.append(" ")
    return "".join(out)


def _utf16_hex(text: str) -> str:
    return "FEFF" + text.encode("utf-16-be").hex().upper()


def _decorate(canvas, items: list[Placed], x0: float, baseline: float) -> None:
    for p in items:
        st = p.box.style
        if st.dots and p.box.kind == "han":
            canvas.setFillColor(HexColor(st.color))
            # under the character; in vertical text to its right (clreq "Emphasis": 着重号 go right of a column)
            y = baseline + (ASCENT + 0.2) * p.box.size if p.box.upright else baseline - 0.24 * p.box.size
            canvas.circle(x0 + p.left + p.advance / 2, y, 0.07 * p.box.size, stroke=0, fill=1)
        if st.strike:
            canvas.setStrokeColor(HexColor(st.color))
            canvas.setLineWidth(0.05 * p.box.size)
            y = baseline + 0.3 * p.box.size
            canvas.line(x0 + p.left, y, x0 + p.left + p.advance, y)
        if st.anchor:
            canvas.bookmarkHorizontal(st.anchor, x0 + p.left, baseline + p.box.size)
    # Links: one rectangle per run of boxes with the same target.
    i = 0
    while i < len(items):
        href = items[i].box.style.href
        j = i + 1
        while j < len(items) and items[j].box.style.href == href:
            j += 1
        if href:
            size = items[i].box.size
            rect = (
                x0 + items[i].left,
                baseline - 0.15 * size,
                x0 + items[j - 1].left + items[j - 1].advance,
                baseline + 0.9 * size,
            )
            if href.startswith("#"):
                canvas.linkRect("", href[1:], rect, relative=1)
            else:
                canvas.linkURL(href, rect, relative=1)
        i = j


class TextBlock(Flowable):
    """A paragraph-like block of Chinese text, laid out by our own line breaker."""

    def __init__(
        self,
        boxes: list[Box],
        style: BlockStyle,
        fonts: FontNames,
        *,
        first_indent: float = 0.0,
        align: str | None = None,
        label: list[Box] | None = None,
        margin_left: float = 0.0,
        outline: tuple[int, str, str] | None = None,
        lines: list[Line] | None = None,
        measure: float | None = None,
        first_part: bool = True,
        keep_with_next: bool = False,
        space_before: float | None = None,
        space_after: float | None = None,
        min_lines: int = rules.MIN_LINES_AT_PAGE_BREAK,
    ) -> None:
        super().__init__()
        self.min_lines = min_lines
        self.boxes = boxes
        self.style = style
        self.fonts = fonts
        self.first_indent = first_indent
        self.align = align or style.align
        self.label = label or []
        self.margin_left = margin_left + style.margin_left
        self.outline = outline  # (level, title, key) for headings
        self.pitch = style.line_height
        self._lines = lines
        self._measure = measure
        self.first_part = first_part
        self.keepWithNext = keep_with_next
        self.spaceBefore = style.space_before if space_before is None else space_before
        self.spaceAfter = style.space_after if space_after is None else space_after

    def _layout(self, avail_width: float) -> list[Line]:
        measure = avail_width - self.margin_left - self.style.margin_right
        if self._lines is None or self._measure != measure:
            self._lines = break_lines(self.boxes, measure, self.first_indent, self.align)
            self._measure = measure
        return self._lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        lines = self._layout(avail_width)
        self.height = max(1, len(lines)) * self.pitch
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        lines = self._layout(avail_width)
        fit = int((avail_height + backend.FUZZ) // self.pitch)  # no more than the frame then takes
        n = len(lines)
        if fit >= n:
            return [self]
        least = self.min_lines
        if n - fit < least:
            fit = n - least  # never a lone last line at the head of a page
        if fit < least:
            return []  # never a lone first line at the foot of a page
        head = self._part(lines[:fit], True, space_after=0.0)
        tail = self._part(lines[fit:], False, space_before=0.0)
        return [head, tail]

    def _part(
        self, lines: list[Line], first: bool, space_before: float | None = None, space_after: float | None = None
    ) -> TextBlock:
        part = TextBlock(
            self.boxes,
            self.style,
            self.fonts,
            first_indent=self.first_indent,
            align=self.align,
            label=self.label if first and self.first_part else None,
            margin_left=self.margin_left - self.style.margin_left,
            outline=self.outline if first else None,
            lines=lines,
            measure=self._measure,
            first_part=first and self.first_part,
            space_before=space_before,
            space_after=space_after,
            min_lines=self.min_lines,
        )
        return part

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        if self.outline and self.first_part:
            level, title, key = self.outline
            canvas.bookmarkHorizontal(key, 0, top)
            canvas.addOutlineEntry(title, key, level, closed=level > 0)
        for i, line in enumerate(self._lines or []):
            baseline = top - i * self.pitch - baseline_offset(self.style.size, self.pitch)
            draw_line(canvas, line, self.margin_left, baseline, self.fonts)
            if i == 0 and self.label and self.first_part:
                width = sum(b.width for b in self.label)
                lab = Line([_placed(b, x) for b, x in _stack(self.label)], width, True)
                gap = lists.LABEL_GAP * self.style.size
                draw_line(canvas, lab, self.margin_left - width - gap, baseline, self.fonts)


def _stack(boxes: list[Box]):
    x = 0.0
    for b in boxes:
        yield b, x
        x += b.width


def _placed(box: Box, x: float) -> Placed:
    return Placed(box, x, x, box.width)


class TocLine(Flowable):
    """A contents entry: the heading's title, a dotted leader and its page number, all a link."""

    def __init__(
        self,
        title: list[Box],
        number: list[Box],
        style: BlockStyle,
        fonts: FontNames,
        indent: float,
        blank_number: bool = False,
    ) -> None:
        super().__init__()
        self.title, self.number, self.style, self.fonts = title, number, style, fonts
        self.indent = indent
        self.blank_number = blank_number  # first pass: space is kept for the number, nothing drawn
        self.pitch = style.line_height
        self._lines: list[Line] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        room = avail_width - self.indent - sum(b.width for b in self.number) - 2 * self.style.size
        # between words (break_lines turns the boxes' breaks off inside words: it is given copies,
        # so a later wrap at another width starts from the title's own breaks)
        self._lines = break_lines([copy.copy(b) for b in self.title], room, 0.0, "left", words=True) or []
        self.height = max(1, len(self._lines)) * self.pitch
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        baseline = top
        for i, line in enumerate(self._lines):
            baseline = top - i * self.pitch - baseline_offset(self.style.size, self.pitch)
            draw_line(canvas, line, self.indent, baseline, self.fonts)
        num_width = sum(b.width for b in self.number)
        if not self.blank_number:
            draw_line(
                canvas,
                Line([Placed(b, x, x, b.width) for b, x in _stack(self.number)], num_width, True),
                self.width - num_width,
                baseline,
                self.fonts,
            )
        last = self._lines[-1] if self._lines else None
        start = self.indent + (last.width if last else 0.0) + 0.5 * self.style.size
        end = self.width - num_width - 0.5 * self.style.size
        canvas.setFillColor(HexColor(self.style.color))
        dot = 0.4 * self.style.size
        x = start + (dot - (start % dot))
        # the leader runs level with the glyphs' middle: above the baseline, or on an upright column's centre line
        lift = (ASCENT - 0.5) if any(b.upright for b in self.title) else 0.12
        while x < end:
            canvas.circle(x, baseline + lift * self.style.size, 0.04 * self.style.size, stroke=0, fill=1)
            x += dot
        href = self.title[0].style.href if self.title else ""
        if href:
            canvas.linkRect("", href[1:], (0, 0, self.width, self.height), relative=1)


class Panel(Flowable):
    """Flowables drawn inside a box with a background and a rule (the notice, code blocks).

    ``one_paragraph``: the content is the lines of one paragraph (a code block, one paragraph of
    lines joined by breaks in the DOCX), which a page break leaves at least
    :data:`~zhengji_publish.typeset.rules.MIN_LINES_AT_PAGE_BREAK` lines on either side of, as Word's
    and LibreOffice's widow control does; a block too short for that goes on whole."""

    def __init__(
        self,
        content: list[Flowable],
        background: str,
        border: str,
        padding: float,
        margin_left: float = 0.0,
        margin_right: float = 0.0,
        space_before: float = 0.0,
        space_after: float = 0.0,
        one_paragraph: bool = False,
        padding_v: float | None = None,
        rule: float = 0.0,
    ) -> None:
        super().__init__()
        self.padding_v = padding if padding_v is None else padding_v  # above and below the text
        self.rule = rule  # the border's width (pt), drawn inside the room above and below the text
        self.content = content
        self.one_paragraph = one_paragraph
        self.background = background
        self.border = border
        self.padding = padding
        self.margin_left = margin_left
        self.margin_right = margin_right
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self._sizes: list[tuple[float, float]] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        inner = avail_width - self.margin_left - self.margin_right - 2 * self.padding
        self._sizes = []
        height = 0.0
        for i, f in enumerate(self.content):
            w, h = f.wrap(inner, 1e9)
            before = f.getSpaceBefore() if i else 0.0
            after = f.getSpaceAfter() if i < len(self.content) - 1 else 0.0
            self._sizes.append((h, before))
            height += before + h + after
        self.width = avail_width
        self.height = height + 2 * self.padding_v
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """A panel taller than the room left (a long code block or notice) continues on the next page."""
        parts = self._split(avail_width, avail_height)
        inner = avail_width - self.margin_left - self.margin_right - 2 * self.padding
        least = rules.MIN_LINES_AT_PAGE_BREAK
        while self.one_paragraph and len(parts) == 2:
            head, tail = (_lines_in(p.content, inner) for p in parts)
            if head < least or head + tail < 2 * least:
                return []
            if tail >= least:
                break
            pitch = (parts[0].wrap(avail_width, 1e9)[1] - 2 * self.padding_v) / head
            avail_height -= (least - tail) * pitch  # lines down to the tail
            parts = self._split(avail_width, avail_height)
        return parts

    def least_head(self, avail_width: float) -> float:
        """The height (pt) of the least of the panel a page's foot may hold when the panel splits
        there (:meth:`split`): its first :data:`~zhengji_publish.typeset.rules.MIN_LINES_AT_PAGE_BREAK`
        lines in the box of a one-paragraph panel long enough to leave as many on the next page,
        the whole panel otherwise."""
        whole = self.wrap(avail_width, 1e9)[1]
        inner = avail_width - self.margin_left - self.margin_right - 2 * self.padding
        lines, least = _lines_in(self.content, inner), rules.MIN_LINES_AT_PAGE_BREAK
        if not self.one_paragraph or lines < 2 * least:
            return float(whole)
        return 2 * self.padding_v + least * (whole - 2 * self.padding_v) / lines

    def _split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        inner = avail_width - self.margin_left - self.margin_right - 2 * self.padding
        room = avail_height - 2 * self.padding_v
        used = 0.0
        for i, f in enumerate(self.content):
            _, h = f.wrap(inner, 1e9)
            before = f.getSpaceBefore() if i else 0.0
            if used + before + h <= room:
                used += before + h + f.getSpaceAfter()
                continue
            left = room - used - before
            parts = f.split(inner, left) if left > 0 else []
            head, tail = (self.content[:i] + parts[:1], parts[1:]) if len(parts) > 1 else (self.content[:i], [f])
            if not head:
                return []
            tail += self.content[i + 1 :]
            return [self._part(head, self.spaceBefore, 0.0), self._part(tail, 0.0, self.spaceAfter)]
        return [self]

    def _part(self, content: list[Flowable], space_before: float, space_after: float) -> Panel:
        return Panel(
            content,
            self.background,
            self.border,
            self.padding,
            self.margin_left,
            self.margin_right,
            space_before,
            space_after,
            self.one_paragraph,
            self.padding_v,
            self.rule,
        )

    def draw(self) -> None:
        c = self.canv
        w = self.width - self.margin_left - self.margin_right
        if self.background:
            c.setFillColor(HexColor(self.background))
            c.rect(self.margin_left, 0, w, self.height, stroke=0, fill=1)
        if self.border:  # the rule's outer edge on the box's top and bottom, as a DOCX border stands
            c.setStrokeColor(HexColor(self.border))
            c.setLineWidth(self.rule)
            c.rect(self.margin_left, self.rule / 2, w, self.height - self.rule, stroke=1, fill=0)
        y = self.height - self.padding_v
        for i, f in enumerate(self.content):
            h, before = self._sizes[i]
            y -= before + h
            f.drawOn(c, self.margin_left + self.padding, y)
            y -= f.getSpaceAfter() if i < len(self.content) - 1 else 0.0


def _lines_in(content: list[Flowable], width: float) -> int:
    """How many lines ``content`` sets at ``width`` pt: a text block's lines, one for anything else."""
    return sum(round(f.wrap(width, 1e9)[1] / f.pitch) if isinstance(f, TextBlock) else 1 for f in content)


class TextThenClosing(Flowable):
    """A text's last paragraph and what closes the text under it, which never stands on a page of
    its own: a 公文's 附件说明, 署名, 成文日期, 印章 and 附注 (GB/T 9704-2012 §7.3.5.4, 特殊情况说明:
    no page carries them without text, 此页无正文), an article's closing byline (记者 and 电头 under
    the last paragraph). As Word's keep-with-next does in the DOCX, when they do not fit under the
    paragraph its last lines (at least :data:`~zhengji_publish.typeset.rules.MIN_LINES_AT_PAGE_BREAK`)
    go with them to the next page; a paragraph too short to split goes whole. The page breaks
    between words (:func:`~zhengji_publish.typeset.linebreak.word_starts_at`: never inside a word,
    a number, a Latin word, ``……`` or ``——``, nor at a typed space), moving a line more when the
    line it would start on starts inside one; with no such line, the paragraph goes whole to the
    next page, and is broken where it must there only if it does not fit that page either. The
    paragraph must reference no footnote (the page's notes are found by the flowables placed on it).

    ``cuts`` learns, when the page break is taken, the lines the paragraph keeps on the page before
    (``cuts[key] = lines``): the DOCX splits the paragraph there
    (:meth:`~zhengji_publish.writers.docx.body.BodyWriter.closed`)."""

    def __init__(
        self, last: TextBlock, after: list[Flowable], key: int = 0, cuts: dict[int, int] | None = None
    ) -> None:
        super().__init__()
        # what is kept together (a figure and its caption) is kept together here already; reportlab's
        # KeepTogether only splits, it neither measures nor draws
        after = [part for f in after for part in (backend.grouped(f) if isinstance(f, KeepTogether) else [f])]
        self.last, self.after = last, after
        self.key, self.cuts = key, cuts if cuts is not None else {}
        self.spaceBefore = last.getSpaceBefore()
        self._moved = False  # sent whole to the next page once, for want of a break between words

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        height = self.last.wrap(avail_width, 1e9)[1] + self.last.getSpaceAfter()
        for f in self.after:
            height += f.getSpaceBefore() + f.wrap(avail_width, 1e9)[1] + f.getSpaceAfter()
        self.width, self.height = avail_width, height
        return avail_width, height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if self.wrap(avail_width, avail_height)[1] <= avail_height + 0.01:
            return [self.last, *self.after]
        pitch = self.last.pitch
        lines = self.last._layout(avail_width)
        least = rules.MIN_LINES_AT_PAGE_BREAK
        here = min(int((avail_height + 0.01) // pitch), len(lines) - least)  # lines left on this page
        if here < least:
            return []  # the whole paragraph goes to the next page with them
        index = {id(b): i for i, b in enumerate(self.last.boxes)}
        # not at a typed space either (``Hong`` | ``Kong``): the DOCX's first part would end on it,
        # and LibreOffice 7.4 takes the word before such a space to a line of its own
        between = {i for i in word_starts_at(self.last.boxes) if not self.last.boxes[i].space}
        fits = [k for k in range(here, least - 1, -1) if index.get(id(lines[k].items[0].box)) in between]
        if not fits and not self._moved:
            self._moved = True
            return []
        here = fits[0] if fits else here
        head, *tail = self.last.split(avail_width, here * pitch + 0.01)
        return [head, _Cut(self.cuts, self.key, here), FrameBreak(), *tail, *self.after]

    def draw(self) -> None:
        """All of it fits: the paragraph, then each element below it, with their spacing."""
        y = self.height
        for i, f in enumerate([self.last, *self.after]):
            if i:
                y -= f.getSpaceBefore()
            y -= f.wrap(self.width, 1e9)[1]
            f.drawOn(self.canv, 0, y)
            y -= f.getSpaceAfter()


class _Cut(backend.FrameAction):
    """Tells ``cuts`` that the paragraph ``key`` of a :class:`TextThenClosing` keeps ``lines`` lines
    on the page before its closing's page, when the page break after them is taken."""

    def __init__(self, cuts: dict[int, int], key: int, lines: int) -> None:
        super().__init__()
        self.cuts, self.key, self.lines = cuts, key, lines

    def act(self, frame: object) -> None:
        self.cuts[self.key] = self.lines


def walk(flowable: Flowable):
    """A flowable and every flowable inside it: KeepTogether groups, panels and table cells."""
    yield flowable
    children = getattr(flowable, "content", None) or backend.grouped(flowable)
    for child in [*children, *backend.table_cells(flowable)]:
        if isinstance(child, Flowable):
            yield from walk(child)


def note_numbers(flowable: Flowable, lines: int | None = None) -> list[int]:
    """Footnotes referenced by a flowable (by the lines it holds, for a part of a split paragraph);
    with ``lines``, by a paragraph's first that many lines (laid out by a wrap before)."""
    numbers = []
    for part in walk(flowable):
        if isinstance(part, TextBlock):
            held = part._lines[:lines] if part._lines and lines is not None else part._lines
            boxes = [p.box for line in held for p in line.items] if held else part.boxes
            numbers += [int(b.style.anchor[6:]) for b in boxes if b.style.anchor.startswith("fnref-")]
    return numbers


class LazyNotes(dict[int, Flowable]):
    """Footnotes by number, each made (``make(footnote)``) when first looked up and dropped by
    :meth:`forget` once its page is drawn, so that a book's notes are not all held at once; made
    again, a note is the same. ``n in notes`` is true of every footnote, made or not."""

    def __init__(self, notes: list[m.Footnote], make: Callable[[m.Footnote], Flowable]) -> None:
        super().__init__()
        self.footnotes = {fn.number: fn for fn in notes}
        self.make = make

    def __missing__(self, number: int) -> Flowable:
        made = self[number] = self.make(self.footnotes[number])
        return made

    def __contains__(self, number: object) -> bool:
        return number in self.footnotes

    def __deepcopy__(self, memo: dict[int, object]) -> LazyNotes:
        """The same notes: reportlab copies the frame to try a group of flowables (``_listWrapOn``),
        and a note made for the try is the note the page sets."""
        return self

    def forget(self, numbers: Iterable[int]) -> None:
        """Drop the flowables of ``numbers`` (a later look-up makes them again)."""
        for number in numbers:
            self.pop(number, None)

    def make_each(self) -> None:
        """Make each note once and drop it: its characters are then known to the box maker."""
        for number in self.footnotes:
            self.make(self.footnotes[number])


#: The weight (pt) of the short rule over a page's footnotes: LibreOffice's for a DOCX's (measured).
NOTE_RULE_WEIGHT = 0.5


class NoteFrame(backend.FootFrame):
    """A frame that keeps room at its foot for the footnotes of what it holds, and draws them there.

    Before a flowable is placed, the notes it references that this page does not show yet raise
    the frame's usable bottom by their height; if the flowable then no longer fits it goes to the
    next page (or is split there, with the same reckoning), so a note always starts on the page of
    its reference. A note too long for the room left under the reference's first lines is split:
    its head stays there and the rest continues at the foot of the next page (as in LaTeX).
    """

    def __init__(self, *args, notes: dict[int, Flowable], rule_color: str, gap: float, **kw) -> None:
        super().__init__(*args, **kw)
        self.notes = notes
        self.rule_color = rule_color
        self.gap = gap  # room for the rule above the notes
        self.placed: list[int] = []  # notes begun on this page
        # Notes begun on any page: a note referenced again later is not set again (the DOCX has one
        # note for any number of references, a cross-reference at the later ones)
        self.done: set[int] = set()
        self.shown: list[Flowable] = []  # what the page's foot holds: notes and parts of notes
        self.carry: list[Flowable] = []  # the rest of notes split here, for the next page's foot
        self.notes_height = 0.0

    def page_started(self) -> None:
        self.placed, self.shown, self.notes_height = [], [], 0.0
        carried, self.carry = self.carry, []
        if carried:  # continued notes first, in at most half the page so the text goes on too
            shown, rest, height = self._fit(carried, self.inner_height / 2 - self.gap)
            self.shown, self.carry = shown, rest
            self.notes_height = height + self.gap
            self.raise_floor(self.notes_height)

    def _fit(self, notes: list[Flowable], room: float) -> tuple[list[Flowable], list[Flowable], float]:
        """``notes`` as far as ``room`` holds them: (shown, carried on, height shown)."""
        shown: list[Flowable] = []
        height = 0.0
        width = self.inner_width
        for i, note in enumerate(notes):
            _, h = note.wrap(width, 1e9)
            if height + h <= room + 0.01:
                shown.append(note)
                height += h
                continue
            parts = note.split(width, room - height) if room - height > 0 else []
            if len(parts) == 2:
                head = parts[0]
                shown.append(head)
                height += head.wrap(width, 1e9)[1]
                return shown, [parts[1], *notes[i + 1 :]], height
            return shown, notes[i:], height
        return shown, [], height

    def claim(self, flowable: Flowable) -> tuple[float, tuple[list[int], list[Flowable], list[Flowable], float]]:
        """The notes ``flowable`` brings to this page: (height, (numbers, shown here, carried on, height))."""
        done = self.done
        new = [n for n in dict.fromkeys(note_numbers(flowable)) if n in self.notes and n not in done]
        for n in new:  # a note referenced only from another note goes on the same page
            new += [k for k in note_numbers(self.notes[n]) if k in self.notes and k not in done and k not in new]
        if not new:
            return 0.0, ([], [], [], 0.0)
        gap = 0.0 if self.shown else self.gap
        notes = [self.notes[n] for n in new]
        height = sum(note.wrap(self.inner_width, 1e9)[1] for note in notes)
        before = backend.space_before(self, flowable)
        body = flowable.wrap(self.inner_width, 1e9)[1] + before
        room = self.room - gap - body  # the note's head goes under the whole flowable, or a part of it
        if height <= room or self.carry:
            total = height + gap
            return total, (new, notes, [], total)
        shown, rest, shown_height = self._fit(notes, room)
        if not shown:  # not even a line of the first note fits under the reference: next page
            total = height + gap
            return total, (new, notes, [], total)
        total = shown_height + gap
        return total, (new, shown, rest, total)

    def commit(self, token: tuple[list[int], list[Flowable], list[Flowable], float]) -> None:
        new, shown, rest, height = token
        self.placed += new
        self.done.update(new)
        self.shown += shown
        self.carry += rest
        self.notes_height += height

    def draw_notes(self, canv) -> None:
        """The page's footnotes, under a short rule, at the foot of the frame."""
        if not self.shown:
            return
        left, bottom = self.foot
        top = bottom + self.notes_height
        canv.saveState()
        canv.setStrokeColor(HexColor(self.rule_color))
        canv.setLineWidth(NOTE_RULE_WEIGHT)
        rule_y = top - self.gap / 2
        canv.line(left, rule_y, left + self.inner_width / 4, rule_y)
        canv.restoreState()
        y = top - self.gap
        for note in self.shown:
            _, h = note.wrap(self.inner_width, 1e9)
            y -= h
            note.drawOn(canv, left, y)
        if isinstance(self.notes, LazyNotes):
            self.notes.forget(self.placed)


class NotesFlush(backend.FrameAction):
    """Put at the end of the story: while a split note still has a part to set, start a page for it."""

    def act(self, frame: object) -> None:
        if isinstance(frame, NoteFrame) and frame.carry:
            frame.add_generated_content(PageBreak(), NotesFlush())


def draw_cover(canvas, cover: Image, width: float, height: float) -> None:
    """The cover picture over the whole first page, scaled to cover it and centred (cropped at
    the edges where its proportions differ from the page's)."""
    from PIL import Image as PILImage

    assert cover.data is not None
    w, h = cover.size
    scale = max(width / w, height / h)
    with PILImage.open(io.BytesIO(cover.data)) as picture:
        backend.draw_image(canvas, picture, (width - w * scale) / 2, (height - h * scale) / 2, w * scale, h * scale)
