"""The 公文 of GB/T 9704-2012 in the PDF: 版头, the elements of the 主体 after the text, 附件 and 版记.

:func:`story` replaces the plain story when the front matter has a ``公文`` block
(:mod:`zhengji_publish.gongwen`). Every element sits on the style's line grid (22 lines of the
type area, §5.2.3) except those the standard places by measure: the 发文机关标志's top edge 35 mm
below the type area's top (§7.2.4), the red separator 4 mm below the 发文字号 (§7.2.7), the seal
(§7.3.5.1) and the 版记's last rule on the type area's bottom edge (§7.4.1). Coordinates inside a
flowable are points from its lower left corner; "slots" are grid lines counted from its top.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, PageBreak
from reportlab.platypus.doctemplate import FrameActionFlowable

from zhengji_publish import gongwen as gw
from zhengji_publish import model as m
from zhengji_publish.typeset.boxes import Box, InlineStyle, Run
from zhengji_publish.typeset.linebreak import Line, break_lines
from zhengji_publish.units import MM
from zhengji_publish.writers.pdf import backend
from zhengji_publish.writers.pdf.draw import ASCENT, FontNames, TextBlock, TextThenClosing, baseline_offset, draw_line

BODY_SIZE = 16.0  # 三号 (§5.2.2)
RECORD_SIZE = 14.0  # 四号: 抄送机关, 印发机关和印发日期 (§7.4.2, §7.4.3)


@dataclass
class _Text:
    """One line of text to draw: its line, its left edge and the slot whose grid line it sits on."""

    line: Line
    x: float
    slot: float
    size: float
    top: float | None = None  # the em box's top below the flowable's top (points), instead of a slot


@dataclass
class _Rule:
    y: float  # below the flowable's top (points)
    x0: float
    x1: float
    weight: float
    color: str
    double: str = ""  # "heavy-light" or "light-heavy": a red double rule of a letter (§10.1)


@dataclass
class _Paint:
    texts: list[_Text] = field(default_factory=list)
    rules: list[_Rule] = field(default_factory=list)
    image: tuple[bytes, float, float, float] | None = None  # data, centre x, centre y below top, diameter


class Block(Flowable):
    """A fixed block of ``slots`` grid lines with texts and rules placed in it."""

    def __init__(self, slots: int, pitch: float, paint: _Paint, fonts: FontNames, fill: bool = False) -> None:
        super().__init__()
        self.slots, self.pitch, self.paint, self.fonts = slots, pitch, paint, fonts
        self.fill = fill  # take the rest of the page and sit at its foot (the 版记, §7.4.1)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        need = self.slots * self.pitch
        self.width = avail_width
        self.height = max(need, avail_height - 0.01) if self.fill and avail_height >= need else need
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        offset = self.height - self.slots * self.pitch  # a filling block draws at its foot
        top = self.height - offset
        for t in self.paint.texts:
            if t.top is not None:
                baseline = top - t.top - ASCENT * t.size
            else:
                baseline = top - t.slot * self.pitch - baseline_offset(t.size, self.pitch)
            draw_line(canvas, t.line, t.x, baseline, self.fonts)
        for r in self.paint.rules:
            canvas.setStrokeColor(HexColor(r.color))
            y = top - r.y
            if r.double:  # §10.1: a heavy rule at ``y``, a light one 0.5 mm from it on the text's side
                # (below the first rule, above the second); the weights are not given: 0.8 and 0.3 mm
                heavy, light = 0.8 * MM, 0.3 * MM
                canvas.setLineWidth(heavy)
                canvas.line(r.x0, y, r.x1, y)
                canvas.setLineWidth(light)
                step = heavy / 2 + 0.5 * MM + light / 2
                y2 = y - step if r.double == "heavy-light" else y + step
                canvas.line(r.x0, y2, r.x1, y2)
                continue
            canvas.setLineWidth(r.weight)
            canvas.line(r.x0, y, r.x1, y)
        if self.paint.image:
            from PIL import Image

            from zhengji_publish.writers.pdf import backend

            data, cx, cy, d = self.paint.image
            with Image.open(io.BytesIO(data)) as im:
                im.load()
                h = d * im.height / im.width
                # pressed on the 署名 and date as ink is (§7.3.5.1: 下压): multiplied with what is
                # under it, so the text shows through the red and the seal's white is no patch
                canvas.saveState()
                canvas.setBlendMode("Multiply")
                backend.draw_image(canvas, im.copy(), cx - d / 2, top - cy - h / 2, d, h)
                canvas.restoreState()


class _Setter:
    """Makes the boxes and lines of the 公文's elements (so their characters join the font subsets)."""

    def __init__(self, story, pitch: float) -> None:
        self.story = story
        self.maker = story.maker
        self.fonts: FontNames = story.fonts
        self.measure: float = story.measure
        self.pitch = pitch
        # one character of the grid's line (§5.2.3: 28 a line), the unit of 空二字 and 右空四字
        self.cell = BODY_SIZE * (1 + self.maker.tracking)

    def boxes(self, text: str, role: str, size: float = BODY_SIZE, color: str = "#000000") -> list[Box]:
        return self.maker.boxes([Run(text, InlineStyle(role=role, size=size, color=color))])

    def line(self, boxes: list[Box]) -> Line:
        """One line of ``boxes`` at its natural width (never broken)."""
        lines = break_lines(boxes, 1e6, 0.0, "left")
        return lines[0] if lines else Line([], 0.0, True)

    def width(self, boxes: list[Box]) -> float:
        return self.line(boxes).width

    def hanging(
        self, label: list[Box], text: list[Box], x: float, right: float = 0.0
    ) -> list[list[tuple[float, Line]]]:
        """Rows of ``label`` then ``text`` from ``x``, carried-on lines aligned under the text's first
        character (附件说明 §7.3.4, 抄送机关 §7.4.2, 出席 §10.3); ``right`` kept free at the right.
        The first row holds the label and the text's first line."""
        lw = self.width(label)
        lines = break_lines(text, self.measure - x - lw - right, 0.0, "justify") or [Line([], 0.0, True)]
        rows = [[(x + lw, line)] for line in lines]
        if label:
            rows[0].insert(0, (x, self.line(label)))
        return rows


@dataclass
class RecordPages:
    """Where the PDF put the 版记 (§7.4.1, §7.5): ``breaks`` page breaks before it (0: under the
    text; 1: on the next page, an even one; 2: on the even page after a blank one), and the pages
    that carry no folio (the blank page and the 版记's page after it). Filled as pages are laid out."""

    breaks: int = 0
    no_folio: set[int] = field(default_factory=set)

    def reset(self) -> None:
        self.breaks = 0
        self.no_folio.clear()


def story(st, title_block: Callable[[str], Flowable], pitch: float, pages: RecordPages | None = None) -> list[Flowable]:
    """The flowables of a 公文: 版头, title, 主送机关, the text, the elements after it, 附件, 版记.

    ``st`` is the PDF writer's story maker (its ``ctx``, ``maker``, ``fonts``, ``measure``,
    ``text_block`` and ``blocks``); ``title_block`` sets a title in the style's title block. Where
    the 版记 goes is told to ``pages`` as the pages are laid out (:class:`RecordPage`).
    """
    ctx = st.ctx
    doc_gw: gw.Gongwen = ctx.meta.gongwen
    setter = _Setter(st, pitch)
    title, text, attachments = gw.parts(ctx.doc)
    out: list[Flowable] = [banner(setter, doc_gw)]
    if doc_gw.format != "命令" and title:  # §10.2: the text follows the 令号 two lines down
        out.append(title_block(title))
    if ctx.meta.subtitle:  # a speech's ``——在…上的讲话``: right under the title, the title's space after it
        subtitle = st.text_block(ctx.meta.subtitle_inlines(), "subtitle", indent=False)
        if doc_gw.format != "命令" and title:
            subtitle.spaceAfter, out[-1].spaceAfter = out[-1].spaceAfter, 0.0
        out.append(subtitle)
    if doc_gw.addressees:  # §7.3.2: one line below the title, flush left, carried on flush left
        out.append(st.text_block([m.Text(doc_gw.addressees)], "body", indent=False))
    body, after = st.blocks(text), closing(setter, doc_gw)
    last = text[-1] if text else None
    plain = isinstance(last, m.Paragraph) and not any(isinstance(n, m.FootnoteRef) for n in last.children)
    if plain and after and isinstance(body[-1], TextBlock):  # no page of the closing elements alone
        body[-1:] = [TextThenClosing(body[-1], after, id(last), st.closings)]
        after = []
        heading = body[-2] if len(body) > 1 and isinstance(body[-2], TextBlock) else None
        if heading is not None and heading.outline is not None:
            # a heading over the last paragraph goes with it and the closing elements, as the DOCX's
            # chain of w:keepNext paragraphs goes in Word and LibreOffice
            heading.keepWithNext = True
    out += body + after
    for number, div in enumerate(attachments, 1):
        out += attachment(st, setter, div, number if len(attachments) > 1 else 0, title_block)
    if doc_gw.has_record:
        block = record(setter, doc_gw)
        out += [RecordPage(block.slots * pitch, RecordPages() if pages is None else pages), block]
    return out


def banner(s: _Setter, g: gw.Gongwen) -> Flowable:
    """版头 (§7.2): 份号, 密级和保密期限, 紧急程度, 发文机关标志, 发文字号 (签发人), red separator.

    The block ends two empty grid lines below the separator, where the title starts (§7.3.1).
    """
    p = _Paint()
    pitch = s.pitch
    if g.format == "信函":
        return letter_banner(s, g)
    slot = 0
    for value, role in ((g.copy_number, "fangsong"), (g.secrecy, "sans"), (g.urgency, "sans")):  # §7.2.1–§7.2.3
        if value:
            p.texts.append(_Text(s.line(s.boxes(value, role)), 0.0, slot, BODY_SIZE))
            slot += 1
    mark_top = gw.ORDER_MARK_TOP if g.format == "命令" else gw.MARK_TOP  # §7.2.4, §10.2
    last = slot
    if g.issuer_mark:
        size = gw.mark_size(g.issuer_mark, s.measure)
        boxes = s.boxes(g.issuer_mark, "display", size, gw.RED)
        line = s.line(boxes)
        p.texts.append(_Text(line, (s.measure - line.width) / 2, 0, size, top=mark_top))
        last = max(last, math.ceil((mark_top + size) / pitch - 0.01))
    number_slot = last + 2  # §7.2.5: 发文字号 two empty lines below the mark
    if g.doc_number:
        line = s.line(s.boxes(g.doc_number, "fangsong"))
        if g.upward:  # §7.2.5, §7.2.6: 发文字号 one character in from the left, 签发人 one from the right
            rows = signer_rows(s, g)
            number_slot += len(rows) - 1  # the 发文字号 on the last 签发人's line
            p.texts += [_Text(row, x, number_slot - len(rows) + 1 + k, BODY_SIZE) for k, (x, row) in enumerate(rows)]
            p.texts.append(_Text(line, BODY_SIZE, number_slot, BODY_SIZE))
        else:
            p.texts.append(_Text(line, (s.measure - line.width) / 2, number_slot, BODY_SIZE))
    if g.doc_number or g.format != "命令":  # without a 发文字号 the separator stands where it would be
        last = number_slot
    if g.format == "命令":  # §10.2: no separator; the text two empty lines below the 令号
        return Block(last + 3, pitch, p, s.fonts)
    # §7.2.7: the separator 4 mm below the 发文字号's characters, as wide as the type area
    number_bottom = last * pitch + (pitch - BODY_SIZE) / 2 + BODY_SIZE
    rule_y = number_bottom + gw.SEPARATOR_GAP
    p.rules.append(_Rule(rule_y, 0.0, s.measure, gw.SEPARATOR_WEIGHT, gw.RED))
    return Block(int(rule_y // pitch) + 3, pitch, p, s.fonts)  # §7.3.1: the title two empty lines below


def signer_rows(s: _Setter, g: gw.Gongwen) -> list[tuple[float, Line]]:
    """The 签发人 lines (§7.2.6): ``签发人：`` in 仿宋 and the names in 楷体, two names a line a
    full-width space apart, the block one character in from the right, carried-on names under the
    first name. (x, line) per line, the label's line first."""
    words = s.story.ctx.plan.wording
    names = [s.line(s.boxes("　".join(g.signers[i : i + 2]), "kai")) for i in range(0, len(g.signers), 2)]
    label = s.line(s.boxes(words.signer, "fangsong"))
    x = s.measure - BODY_SIZE - max(n.width for n in names)
    first = s.line(s.boxes(words.signer, "fangsong") + s.boxes("　".join(g.signers[:2]), "kai"))
    return [(x - label.width, first), *((x, n) for n in names[1:])]


def letter_banner(s: _Setter, g: gw.Gongwen) -> Flowable:
    """信函格式 (§10.1): the mark 30 mm below the page's top edge, a red double rule (heavy over light)
    4 mm below it and one (light over heavy) 20 mm above the page's bottom edge, both 170 mm long
    and centred; 份号, 密级, 紧急程度 flush left and the 发文字号 flush right under the first rule,
    7/8 of a 三号 character below it; the title two lines below the last of them."""
    p = _Paint()
    pitch = s.pitch
    page = s.story.style.page
    above = gw.LETTER_MARK_TOP - page.top  # the mark's top below the type area's top (negative: above it)
    size = gw.mark_size(g.issuer_mark or "　", s.measure)
    if g.issuer_mark:
        line = s.line(s.boxes(g.issuer_mark, "display", size, gw.RED))
        p.texts.append(_Text(line, (s.measure - line.width) / 2, 0, size, top=above))
    rule_y = above + size + gw.SEPARATOR_GAP
    length = gw.letter_rule(page.width, s.measure)
    x0 = (s.measure - length) / 2
    p.rules.append(_Rule(rule_y, x0, x0 + length, 0, gw.RED, "heavy-light"))
    foot_y = page.height - page.top - gw.LETTER_FOOT  # from the type area's top down to 20 mm above the edge
    p.rules.append(_Rule(foot_y, x0, x0 + length, 0, gw.RED, "light-heavy"))
    top = rule_y + 1.2 * MM + BODY_SIZE * 7 / 8  # 7/8 of a 三号 character below the double rule's foot
    rows = [(v, r) for v, r in ((g.copy_number, "fangsong"), (g.secrecy, "sans"), (g.urgency, "sans")) if v]
    lefts = [s.line(s.boxes(value, role)) for value, role in rows]
    for i, line in enumerate(lefts):
        p.texts.append(_Text(line, 0.0, 0, BODY_SIZE, top=top + i * pitch))
    count = len(rows)
    if g.doc_number:
        line = s.line(s.boxes(g.doc_number, "fangsong"))
        at = 0 if not lefts or gw.beside(lefts[0].width, line.width, s.measure, BODY_SIZE) else len(lefts)
        p.texts.append(_Text(line, s.measure - line.width, 0, BODY_SIZE, top=top + at * pitch))
        count = max(count, at + 1)
    bottom = top + max(count - 1, 0) * pitch + BODY_SIZE if count else rule_y
    return Block(math.ceil(bottom / pitch - 0.01) + 2, pitch, p, s.fonts)


def closing(s: _Setter, g: gw.Gongwen) -> list[Flowable]:
    """The elements after the text: 附件说明 (§7.3.4), 出席/请假/列席 of a 纪要 (§10.3), 发文机关署名,
    成文日期 and 印章 (§7.3.5), 附注 (§7.3.6)."""
    out: list[Flowable] = []
    pitch, em, cell = s.pitch, BODY_SIZE, s.cell
    if g.attachments:  # one empty line below the text, two characters in; names hang under the first
        p = _Paint()
        rows: list[list[tuple[float, Line]]] = []
        label = s.boxes(s.story.ctx.plan.wording.attachments, "fangsong")
        x = 2 * cell + s.width(label)
        for first, number, name in gw.attachment_lines(g.attachments):
            part = s.hanging(s.boxes(number, "fangsong") if number else [], s.boxes(name, "fangsong"), x)
            if first:
                part[0].insert(0, (2 * cell, s.line(label)))
            rows += part
        for slot, row in enumerate(rows, 1):
            p.texts += [_Text(line, x, slot, em) for x, line in row]
        out.append(Block(len(rows) + 1, pitch, p, s.fonts))
    if g.format == "纪要":  # §10.3: 出席 in 黑体, names in 仿宋, one empty line below the text
        words = s.story.ctx.plan.wording
        p = _Paint()
        slot = 1
        for word, names in ((words.present, g.present), (words.absent, g.absent), (words.attending, g.attending)):
            if names:
                for row in s.hanging(s.boxes(f"{word}：", "sans"), s.boxes(names, "fangsong"), 2 * cell):
                    p.texts += [_Text(line, x, slot, em) for x, line in row]
                    slot += 1
        if slot > 1:
            out.append(Block(slot, pitch, p, s.fonts))
    if g.issuer or g.date:
        out.append(signature(s, g))
    if g.note:  # §7.3.6: two characters in, in parentheses, on the line below the 成文日期
        out.append(s.story.text_block([m.Text(f"（{g.note}）")], "body"))
    return out


def signature(s: _Setter, g: gw.Gongwen) -> Flowable:
    """发文机关署名, 成文日期 and 印章 (§7.3.5).

    With a seal (§7.3.5.1): the date four characters from the right, the 署名 centred over it, two
    empty lines above; the seal (:data:`~zhengji_publish.gongwen.SEAL_DIAMETER`) centred on the date,
    its centre 2 mm below the top of the 署名's line, so both sit below its centre and its top
    comes within one line of the text. Without (§7.3.5.2): the 署名 one empty line below the text, two
    characters from the right; the date on the next line, its first character two characters right of
    the 署名's first, or the 署名 moved left so the date ends two characters from the right. A 命令
    (§7.3.5.3) puts the 署名 (职务 and name) four characters from the right, the date one empty line
    below it, likewise.
    """
    p = _Paint()
    em, cell, right = BODY_SIZE, s.cell, s.measure
    who = s.line(s.boxes(g.issuer, "fangsong")) if g.issuer else None
    when = s.line(s.boxes(gw.date_text(g.date), "fangsong")) if g.date else None
    ww = who.width if who else 0.0
    dw = when.width if when else 0.0
    if g.format == "命令":
        first = 2
        if who:
            p.texts.append(_Text(who, right - 4 * cell - ww, first, em))
        if when:
            p.texts.append(_Text(when, right - 4 * cell - dw, first + 2, em))
        return Block(first + 3, s.pitch, p, s.fonts)
    if g.seal_data:
        first = 2
        date_x = right - 4 * cell - dw
        if who:
            p.texts.append(_Text(who, date_x + (dw - ww) / 2, first, em))
        if when:
            p.texts.append(_Text(when, date_x, first + 1, em))
        p.image = (g.seal_data, date_x + dw / 2, first * s.pitch + 2 * MM, gw.SEAL_DIAMETER)
        return Block(first + 2, s.pitch, p, s.fonts)
    first = 1
    issuer_x = min(right - 2 * cell - ww, right - 2 * cell - dw - 2 * cell)
    if who:
        p.texts.append(_Text(who, issuer_x, first, em))
    if when:
        p.texts.append(_Text(when, issuer_x + 2 * cell, first + 1, em))
    return Block(first + 2, s.pitch, p, s.fonts)


def attachment(st, s: _Setter, div: m.Div, number: int, title_block: Callable[[str], Flowable]) -> list[Flowable]:
    """One 附件 (§7.3.7): a new page, 附件N in 三号 黑体 flush left on its first line, its title (the
    div's first heading) centred on the third line, then its content set like the text."""
    p = _Paint()
    p.texts.append(
        _Text(s.line(s.boxes(f"{s.story.ctx.plan.wording.attachment}{number or ''}", "sans")), 0.0, 0, BODY_SIZE)
    )
    out: list[Flowable] = [PageBreak(), Block(2, s.pitch, p, s.fonts)]
    children = list(div.children)
    head = children[0] if children else None
    if isinstance(head, m.Heading):
        out.append(title_block(m.plain_text(head.children)))
        children.pop(0)
    return out + st.blocks(children)


class RecordPage(FrameActionFlowable):
    """Puts the 版记 (``need`` points tall) on an even page, the last face of a sheet printed on both
    sides (§7.4.1: its last rule on the foot of 公文最后一面; §8.2: 双面印刷).

    Choice: the standard does not say "even page" in so many words; its §7.5 provides for a blank
    page before the 版记's page, which only a 版记 kept on the back of the last sheet needs, and
    that is the reading taken here (the common practice, 公文最后一面为偶数页). So: on an even page
    with room under the text, the 版记 stays; on an odd page, it goes to the next (even) page; on
    an even page without room, an odd page is left blank and the 版记 set on the even one after it:
    the blank page and the 版记's page then carry no folio (§7.5). Told to ``pages``.
    """

    _ZEROSIZE = True
    width = height = 0
    locChanger = 1  # it may change the page

    def __init__(self, need: float, pages: RecordPages) -> None:
        self.need, self.pages = need, pages

    def frameAction(self, frame) -> None:  # noqa: N802 (reportlab's hook name)
        page = self.canv.getPageNumber()
        top = backend.at_top(frame)
        if page % 2 == 0:
            room = frame.room if isinstance(frame, backend.FootFrame) else frame._y - frame._y1p
            breaks, blank = (0, 0) if room >= self.need else (2, page + 1)
        else:  # odd: the next page is the 版记's; this one is blank if nothing is on it yet
            breaks, blank = 1, page if top else 0
        # counted from the text's last page (the one before when nothing is on this one yet)
        self.pages.breaks = breaks + (1 if top else 0)
        if blank:
            self.pages.no_folio.update((blank, blank + 1))
        if breaks:
            frame.add_generated_content(*[PageBreak() for _ in range(breaks)])


def record(s: _Setter, g: gw.Gongwen) -> Block:
    """版记 (§7.4) at the foot of the last page: 抄送机关 then 印发机关和印发日期 in 四号 仿宋, one
    character in from each side, one grid line each; rules as wide as the type area, heavy
    (0.35 mm) above the first element and on the type area's bottom edge, light (0.25 mm) between.
    A letter's 版记 has neither 印发机关和印发日期 nor rules (§10.1)."""
    p = _Paint()
    em = RECORD_SIZE
    letter = g.format == "信函"
    groups: list[list[list[tuple[float, Line]]]] = []  # each element's rows
    if g.copies_to:  # §7.4.2: names carried on under the first after the colon, ending in 。
        label = s.boxes(s.story.ctx.plan.wording.copies_to, "fangsong", em)
        groups.append(s.hanging(label, s.boxes(gw.copies_text(g.copies_to), "fangsong", em), em, em))
    if g.printer and not letter:  # §7.4.3: the office one character in, the date one from the right
        rows = s.hanging([], s.boxes(g.printer, "fangsong", em), em, em)  # a name too long for a line goes on
        if g.print_date:
            date = s.line(s.boxes(gw.date_text(g.print_date) + s.story.ctx.plan.wording.printed, "fangsong", em))
            if not gw.printing_on_one_line(rows[-1][-1][1].width, date.width, s.measure, em):
                rows.append([])
            rows[-1].append((s.measure - em - date.width, date))
        groups.append(rows)
    slot = 0
    bounds = [0.0]
    for rows in groups:
        for row in rows:
            p.texts += [_Text(line, x, slot, em) for x, line in row]
            slot += 1
        bounds.append(slot * s.pitch)
    if not letter:
        for i, y in enumerate(bounds):
            heavy = i in (0, len(bounds) - 1)
            p.rules.append(_Rule(y, 0.0, s.measure, gw.RECORD_HEAVY if heavy else gw.RECORD_LIGHT, "#000000"))
    return Block(slot, s.pitch, p, s.fonts, fill=True)
