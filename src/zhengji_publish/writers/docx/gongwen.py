"""The 公文 of GB/T 9704-2012 as WordprocessingML: 版头, the elements after the text, 附件 and 版记.

Every element is a body paragraph or a table (no text box, no frame), so an office can edit it
in Word: lines are exact (``w:spacing w:lineRule="exact"``) at the document grid's pitch, so the text after the
版头 stays on the 22-line grid; the red separator and the 版记's rules are paragraph borders
(``w:pBdr``, ECMA-376 §17.3.1.24); the seal is the one anchored picture, behind the text, as an
office presses it on the 署名 and date (§7.3.5.1). Positions are those of the PDF writer
(:mod:`zhengji_publish.writers.pdf.gongwen`), measured in LibreOffice's rendering of the file.

The 版记 is a table floating at the foot of the type area (:func:`record`), anchored in an empty
last paragraph, on the page the PDF gives it (:func:`record_breaks`). A 信函's head is a table
floating at the page's top, its foot's double rule two line shapes anchored to the page
(:func:`letter_banner`, :func:`letter_foot`): they stand outside the type area.
"""

from __future__ import annotations

import copy
import io
import itertools
import math
from collections.abc import Callable

from docx.document import Document
from docx.oxml.ns import qn
from docx.parts.story import StoryPart
from docx.shared import Emu
from lxml import etree

from zhengji_publish import gongwen as gw
from zhengji_publish import model as m
from zhengji_publish.context import BuildContext
from zhengji_publish.typeset.boxes import BoxMaker, InlineStyle, Run
from zhengji_publish.typeset.linebreak import Line, break_lines
from zhengji_publish.units import MM
from zhengji_publish.writers.docx import compression
from zhengji_publish.writers.docx.body import BodyWriter, paragraph, spaced
from zhengji_publish.writers.docx.styles import grid_lift, grid_pitch, role_family, tracking
from zhengji_publish.writers.docx.xml import (
    Props,
    el,
    fonts_attrs,
    half_points,
    hex_colour,
    set_paragraph_prop,
    set_run_prop,
    text_run,
    twips,
)
from zhengji_publish.writers.pdf.layout import geometry

BODY_SIZE = 16.0  # 三号 (§5.2.2)
_P, _TBL = qn("w:p"), qn("w:tbl")
_TBLPR, _TBLPPR = qn("w:tblPr"), qn("w:tblpPr")
RECORD_SIZE = 14.0  # 四号 (§7.4.2, §7.4.3)


class _Writer:
    def __init__(self, ctx: BuildContext, body: BodyWriter, part: StoryPart, shape_ids) -> None:
        self.ctx, self.body, self.part, self.shape_ids = ctx, body, part, shape_ids
        page = ctx.style.page
        geo = geometry(ctx.style)
        self.measure = geo.measure  # the DOCX's text width (writers/docx/document.py)
        self.left = geo.left  # and its left margin: the type area's whole characters centred on the page
        # the document grid's pitch in whole twips (writers/docx/document.py doc_grid), or in a style
        # without a grid the body's line, as the PDF sets the elements (writers/pdf/layout.py: the
        # 附件说明, 落款 and 版记 were 21.9 pt apart, a 22nd of the type area, against the PDF's 17.3)
        self.pitch_tw = grid_pitch(ctx) or twips(ctx.style.block("body").line_height)
        self.pitch = self.pitch_tw / 20
        plan = ctx.plan
        # the PDF's boxes: the same tracking that puts 28 三号 characters in 156 mm (writers/pdf/layout.py)
        size, chars = ctx.style.block("body").size, page.chars_per_line
        tracking = (page.measure / chars - size) / size if chars and chars * size > page.measure else 0.0
        self.maker = BoxMaker(
            ctx.fonts, punctuation=plan.punctuation.value, level=plan.line_break.value, tracking=tracking
        )
        # one character of the grid's line (§5.2.3: 28 a line), the unit of 空二字 and 右空四字
        self.cell = BODY_SIZE * (1 + tracking)

    # -- runs and paragraphs
    def family(self, role: str) -> str:
        return role_family(self.ctx, role) or self.ctx.fonts.primary(role).family

    def run(self, text: str, role: str = "fangsong", size: float = BODY_SIZE, color: str = "") -> etree._Element:
        """A run of ``text``, raised to the middle of its grid line (:meth:`lift`)."""
        props: Props = {"rFonts": fonts_attrs(self.family(role)), "snapToGrid": {"val": 0}}
        if color:
            props["color"] = {"val": hex_colour(color)}
        lift = self.lift(size)
        if lift:
            props["position"] = {"val": lift}
        props["sz"] = {"val": half_points(size)}
        props["szCs"] = {"val": half_points(size)}
        return text_run(text, props)

    def lines(self, text: str, measure: float = 1e6, size: float = BODY_SIZE, role: str = "fangsong") -> list[Line]:
        """``text`` in ``role``'s face (仿宋) at ``size`` (pt) broken into lines of ``measure`` (pt) as
        the PDF writer breaks it (:func:`break_lines`, justified)."""
        boxes = self.maker.boxes([Run(text, InlineStyle(role=role, size=size))])
        return break_lines(boxes, measure, 0.0, "justify") if text else []

    def line_runs(
        self,
        text: str,
        measure: float = 1e6,
        size: float = BODY_SIZE,
        lines: list[Line] | None = None,
        role: str = "fangsong",
    ) -> list[etree._Element]:
        """The runs of ``text`` in ``role``'s face (仿宋) at ``size`` (pt), in the lines the PDF writer breaks it
        into in ``measure`` (pt; :func:`break_lines`, justified): a line break (``w:br``) where
        each line after the first starts, and each mark the PDF compresses in a run of the
        Punctuation Compression style of its width
        (:func:`~zhengji_publish.writers.docx.compression.scale`), as the text's paragraphs carry
        it. LibreOffice breaks the 版记's 抄送机关 and the 附件说明's names where the PDF does
        (``市中级`` | ``人民法院``: it held a character more), and, in a style set without a grid,
        has room for them (the PDF's ``附件：``, ``抄送：`` and ``、`` are 7 pt and 8.8 pt wide at
        14 pt: a line broke a character earlier; a 纪要's ``出席：`` in 黑体 was 8 pt wider and its names
        broke inside one: ``赵卫`` | ``东``). Each line but the last is spread to the measure as the
        PDF justifies it, by character spacing (``w:spacing``, ECMA-376 Part 1 §17.3.2.35) after
        each character: neither application justifies a line that ends in a break (LibreOffice
        spreads such a line's word spaces alone, and these have none: the 版记's first 抄送 line
        ended 15 pt short of the PDF's). ``lines``: those lines, when the caller has them."""
        if lines is None:
            lines = self.lines(text, measure, size, role)
        if "".join(p.box.text for line in lines for p in line.items) != text:
            return [self.run(text, role, size)] if text else []
        squeezed = compression.carried(self.ctx)
        runs: list[etree._Element] = []
        spread: list[tuple[int, float]] = []  # (character index, pt) the PDF's justification adds
        seen = 0
        for k, line in enumerate(lines):
            if k:
                runs.append(el("r", None, el("br")))
            for a, b in itertools.pairwise(line.items):
                seen += len(compression.visible(a.box.text))
                extra = b.left - (a.left + a.advance) - b.box.glue  # a Han–Latin gap the application sets
                if not line.last and extra > compression.EPS:
                    spread.append((seen - 1, extra))
            seen += len(compression.visible(line.items[-1].box.text)) if line.items else 0
            runs += mark_runs(line, lambda t: self.run(t, role, size), squeezed)
        if not spread:
            return runs
        return spaced(runs, spread, tracked=tracking(self.ctx, self.ctx.style.block("body")))

    def lift(self, size: float) -> int:
        """``w:position`` (half-points) that centres text of ``size`` in a grid line (:func:`grid_lift`)."""
        return grid_lift(self.pitch, size)

    def width(self, text: str, role: str = "fangsong", size: float = BODY_SIZE) -> float:
        """The width (pt) the PDF writer gives ``text``: the same boxes, gaps and punctuation widths,
        so an element placed by its width starts where it starts in the PDF."""
        lines = break_lines(self.maker.boxes([Run(text, InlineStyle(role=role, size=size))]), 1e6, 0.0, "left")
        return lines[0].width if lines else 0.0

    def para(
        self,
        runs: list[etree._Element],
        *,
        jc: str = "left",
        left: float = 0.0,
        hanging: float = 0.0,
        right: float = 0.0,
        line: int | None = None,
        before: int = 0,
        borders: list[etree._Element] | None = None,
        tabs: list[etree._Element] | None = None,
        page_break: bool = False,
    ) -> etree._Element:
        """A Normal paragraph off the character grid, its lines exactly ``line`` twips apart (the grid
        pitch by default), no first-line indent unless ``hanging``."""
        props: Props = {}
        if page_break:
            props["pageBreakBefore"] = {}
        if borders:
            props["pBdr"] = borders
        if tabs:
            props["tabs"] = tabs
        props["snapToGrid"] = {"val": 0}
        props["spacing"] = {"before": before, "after": 0, "line": line or self.pitch_tw, "lineRule": "exact"}
        ind: dict[str, object] = {"left": twips(left), "right": twips(right), "firstLineChars": 0}
        ind.update({"hanging": twips(hanging)} if hanging else {"firstLine": 0})
        props["ind"] = ind
        props["jc"] = {"val": jc}
        return paragraph("Normal", runs, props)

    def blank(self, lines: int = 1) -> etree._Element:
        return self.para([], line=lines * self.pitch_tw)


def record_breaks(ctx: BuildContext, body: BodyWriter) -> int:
    """The page breaks the PDF puts between the text and the 版记 (0, 1 or 2:
    :class:`~zhengji_publish.writers.pdf.gongwen.RecordPages`, learnt from the PDF's pagination,
    :meth:`BodyWriter.pagination`); 0 without a 版记 or when the PDF cannot lay the document out."""
    g = ctx.meta.gongwen
    if g is None or not g.has_record:
        return 0
    return body.pagination().record_breaks


def body_nodes(
    ctx: BuildContext, body: BodyWriter, part: StoryPart, shape_ids, breaks: int = 0
) -> list[etree._Element]:
    """The 公文's paragraphs in order: 版头, title, 主送机关, the text, the elements after it, 附件, 版记.

    ``breaks`` (:func:`record_breaks`) puts the 版记 where the PDF puts it: under the text (0), on
    the next page (1: its anchor paragraph starts a page) or on the page after a blank one (2: the
    blank page starts the last section, which :func:`record_section` makes)."""
    g = ctx.meta.gongwen
    assert g is not None, "the DOCX writer calls this only for a 公文"
    w = _Writer(ctx, body, part, shape_ids)
    title, text, attachments = gw.parts(ctx.doc)
    nodes = banner(w, g)
    if g.format != "命令" and title:
        nodes.append(title_paragraph(w, title))
        if g.format == "信函":  # the foot's double rule, anchored in the title
            nodes[-1].extend(letter_foot(w))
    if ctx.meta.subtitle:  # right under the title, the title's space after it, as the PDF sets it
        subtitle = body.text_paragraph("Subtitle", ctx.meta.subtitle_inlines())
        spacing = nodes[-1].find(f"{qn('w:pPr')}/{qn('w:spacing')}") if g.format != "命令" and title else None
        if spacing is not None:
            set_paragraph_prop(subtitle, "spacing", {"before": 0, "after": int(spacing.get(qn("w:after"), "0"))})
            spacing.set(qn("w:after"), "0")
        nodes.append(subtitle)
    if g.addressees:  # §7.3.2: flush left, carried on flush left: a paragraph of the text, as the PDF's
        nodes.append(body_paragraph(w, g.addressees, indent=False))
    text_nodes, after = body.blocks(text), closing(w, g)
    if after and text_nodes and text_nodes[-1].tag == _P:
        # §7.3.5.4: never a page of the closing elements without text (此页无正文): the text's last
        # paragraph (its last lines, BodyWriter.closed) and each element keep with the next
        # (w:keepNext), as the PDF keeps them
        text_nodes[-1:] = body.closed(text_nodes[-1], text[-1])
        for p in [text_nodes[-1], *after[:-1]]:
            if p.tag == _P:
                set_paragraph_prop(p, "keepNext", {})
    nodes += text_nodes + after
    for number, div in enumerate(attachments, 1):
        nodes += attachment(w, div, number if len(attachments) > 1 else 0)
    if g.has_record:
        table = record(w, g)
        if table is not None:  # anchored in an empty paragraph of 0.1 pt after it
            if breaks == 2:  # the blank page: an empty paragraph, the last section's first
                if not nodes or nodes[-1].tag != _P:  # the section ends in a paragraph
                    nodes.append(w.para([], line=2))
                nodes.append(w.blank())
            nodes += [table, w.para([], line=2, page_break=breaks > 0)]
    return nodes


def no_first_folio(document: Document) -> None:
    """信函格式's first page has no folio (§10.1): a first-page footer of its own, empty
    (``w:titlePg``, ECMA-376 §17.10.6). Call after the page setup."""
    section = document.sections[-1]
    section.different_first_page_header_footer = True
    footer = section.first_page_footer
    footer.is_linked_to_previous = False
    # a style whose first page has a folio of its own (the default's) left it there: emptied
    for child in list(footer._element):
        footer._element.remove(child)
    footer._element.append(paragraph("Footer", []))


def record_section(document: Document) -> None:
    """Ends the text's section where a blank page must come before the 版记 (§7.5): the paragraph
    before the blank page's holds a copy of the final ``w:sectPr`` (ECMA-376 §17.6.17), so the last
    section (the blank page and the 版记's) starts on a new page and has footers of its own, empty:
    neither page carries a folio. Call after the page setup."""
    body = document.element.body
    final = body.sectPr
    table = [t for t in body.iterchildren(_TBL) if t.find(f"{_TBLPR}/{_TBLPPR}") is not None][-1]
    blank = table.getprevious()
    holder = blank.getprevious()
    ppr = holder.find(qn("w:pPr"))
    if ppr is None:
        ppr = holder.makeelement(qn("w:pPr"), {})
        holder.insert(0, ppr)
    ppr.append(copy.deepcopy(final))  # w:sectPr is the last property of a paragraph
    for ref in final.findall(qn("w:footerReference")):  # the folio's footers stay the text's section's
        final.remove(ref)
    last = document.sections[-1]
    for footer in (last.footer, last.even_page_footer):
        footer.is_linked_to_previous = False  # a new, empty footer


def mark_runs(line: Line, run: Callable[[str], etree._Element], squeezed: bool) -> list[etree._Element]:
    """The runs (made by ``run``) of one line the PDF set, a space typed between words kept, and
    each mark it compresses (``squeezed``: :func:`~zhengji_publish.writers.docx.compression.carried`)
    in a run of the Punctuation Compression style of its width
    (:func:`~zhengji_publish.writers.docx.compression.scale`)."""
    runs: list[etree._Element] = []
    plain = ""
    for i, p in enumerate(line.items):
        plain += " " if i and p.box.space else ""
        cut = p.box.width - p.advance
        percent = compression.scale(p.box.width, cut) if squeezed and p.box.text in compression.MARKS else 100
        if percent < 100:
            runs += ([run(plain)] if plain else []) + [run(p.box.text)]
            set_run_prop(runs[-1], "rStyle", {"val": compression.style_id(percent)})
            plain = ""
        else:
            plain += p.box.text
    return runs + ([run(plain)] if plain else [])


def title_paragraph(w: _Writer, title: str) -> etree._Element:
    """The title (§7.3.1) in the Title style, each line one grid line, one empty line after it (in a
    style without a grid: the title style's line and space after, as the PDF sets it).

    It is broken where the PDF breaks it (a centred title's lines balanced, ``typeset.linebreak``),
    with line breaks (``w:br``), and with the PDF's compressed marks (:func:`mark_runs`), so Word
    and LibreOffice show the same lines: in a style with GB compression and no grid LibreOffice set
    ``就业统计数据核查办法（试行）`` full width and broke it ``…（试`` | ``行）``.
    """
    bs = w.ctx.style.block("title")
    boxes = w.maker.boxes([Run(title, InlineStyle(role=bs.font, size=bs.size, bold=bs.bold))])
    lines = break_lines(boxes, w.measure, 0.0, "center")
    squeezed = compression.carried(w.ctx)
    runs: list[etree._Element] = []
    for i, line in enumerate(lines):
        if i:
            runs.append(el("r", None, el("br")))
        runs += mark_runs(line, text_run, squeezed)
    runs = runs or [text_run(title)]
    spacing = {"before": 0, "after": w.pitch_tw, "line": w.pitch_tw, "lineRule": "exact"}
    if grid_pitch(w.ctx) is None:  # in a style without a grid, the title style's lines, as the PDF sets them
        spacing |= {"after": twips(bs.space_after), "line": twips(bs.line_height)}
    return paragraph("Title", runs, {"snapToGrid": {"val": 0}, "spacing": spacing})


# The 发文机关标志's line is exactly as tall as its size, so it fits between the 份号 lines above
# and the grid line below it; LibreOffice sets the em box's top this far (em) above such a line's
# top (measured at 37 and 42 pt).
_MARK_RISE = 0.075


def banner(w: _Writer, g: gw.Gongwen) -> list[etree._Element]:
    """版头 (§7.2), as :func:`zhengji_publish.writers.pdf.gongwen.banner` places it."""
    if g.format == "信函":
        return letter_banner(w, g)
    nodes: list[etree._Element] = []
    pitch = w.pitch
    slot = 0
    for value, role in ((g.copy_number, "fangsong"), (g.secrecy, "sans"), (g.urgency, "sans")):
        if value:
            nodes.append(w.para([w.run(value, role)]))
            slot += 1
    mark_top = gw.ORDER_MARK_TOP if g.format == "命令" else gw.MARK_TOP
    last = slot - 1
    if g.issuer_mark:
        size = gw.mark_size(g.issuer_mark, w.measure)
        last = max(last, math.ceil((mark_top + size) / pitch - 0.01))
        # one paragraph from the top of slot ``slot`` down to slot ``last`` (the first below the
        # mark), its line as tall as the mark and placed so the mark's top is ``mark_top`` below
        # the type area's top
        line = size
        em_top = -_MARK_RISE * size
        before = mark_top - slot * pitch - em_top
        total = (last - slot) * pitch
        nodes.append(
            w.para([w.run(g.issuer_mark, "display", size, gw.RED)], jc="center", line=twips(line), before=twips(before))
        )
        nodes.append(w.para([], line=max(twips(total - before - line), 2)))
        slot = last
        last -= 1
    number_slot = last + 3  # §7.2.5: two empty lines below the mark
    # §7.2.7: the separator is the 发文字号's red bottom border, 4 mm below its em box; LibreOffice
    # adds the border's space and width to the paragraph, which the empty lines after it give back
    separator = g.format != "命令"
    weight = round(gw.SEPARATOR_WEIGHT * 8)  # eighths of a point
    gap = round(gw.SEPARATOR_GAP - (pitch - BODY_SIZE) / 2 - weight / 16)  # whole points (w:space)
    rule = [el("bottom", {"val": "single", "sz": weight, "space": gap, "color": hex_colour(gw.RED)})]
    if g.doc_number or separator:  # without a 发文字号 the separator stands where it would be
        nodes.append(w.blank(number_slot - slot))
        borders = rule if separator else None
        if g.upward:  # §7.2.5, §7.2.6: 发文字号 one character in, 签发人 one character from the right
            rows = signer_paragraphs(w, g, borders)
            nodes += rows
            number_slot += len(rows) - 1  # the 发文字号 on the last 签发人's line
        else:
            nodes.append(w.para([w.run(g.doc_number)] if g.doc_number else [], jc="center", borders=borders))
        last = number_slot
        slot = number_slot + 1
    if not separator:  # §10.2: the text two empty lines below the 令号
        nodes.append(w.blank(2))
        return nodes
    rule_y = (last + 1) * pitch + gap
    title_slot = int(rule_y // pitch) + 3  # §7.3.1: the title two empty lines below the separator
    nodes.append(w.para([], line=twips((title_slot - slot) * pitch - gap - weight / 8)))
    return nodes


# The letter head's double rule (§10.1): heavy and light, 0.5 mm apart; the weights, which the
# standard does not give, are the PDF's 0.8 and 0.3 mm, in eighths of a point Word offers (18: 0.79
# mm, 6: 0.26 mm).
_HEAVY, _LIGHT = 18, 6


def _floating(
    w: _Writer, x: float, y: float, width: float, below: float, rows: list[etree._Element], above: float = 0.0
) -> etree._Element:
    """A table floating at ``x``, ``y`` (points from the page's left and top edges, ``w:tblpPr``
    ``w:vertAnchor="page"``), ``width`` wide, text kept ``below`` points under it and ``above``
    points over it; no borders or cell margins of its own."""
    around = {"leftFromText": 0, "rightFromText": 0, "topFromText": twips(above), "bottomFromText": twips(below)}
    place = {**around, "vertAnchor": "page", "horzAnchor": "page", "tblpX": twips(x), "tblpY": twips(y)}
    margins = el(
        "tblCellMar", None, *(el(side, {"w": 0, "type": "dxa"}) for side in ("top", "left", "bottom", "right"))
    )
    return el(
        "tbl",
        None,
        el(
            "tblPr",
            None,
            el("tblpPr", place),
            el("tblOverlap", {"val": "never"}),
            el("tblW", {"w": twips(width), "type": "dxa"}),
            el("tblLayout", {"type": "fixed"}),
            margins,
        ),
        el("tblGrid", None, el("gridCol", {"w": twips(width)})),
        *rows,
    )


def _row(
    w: _Writer, height: float, width: float, content: list[etree._Element], borders: dict[str, int]
) -> etree._Element:
    """One row of exact ``height`` (points); ``borders``: side → width in eighths of a point, red."""
    edges = [
        el(side, {"val": "single", "sz": size, "space": 0, "color": hex_colour(gw.RED)})
        for side, size in borders.items()
    ]
    props = el(
        "tcPr", None, el("tcW", {"w": twips(width), "type": "dxa"}), *([el("tcBorders", None, *edges)] if edges else [])
    )
    return el(
        "tr",
        None,
        el("trPr", None, el("trHeight", {"val": twips(height), "hRule": "exact"})),
        el("tc", None, props, *(content or [w.para([], line=2)])),
    )


def letter_banner(w: _Writer, g: gw.Gongwen) -> list[etree._Element]:
    """信函格式's head (§10.1), as :func:`zhengji_publish.writers.pdf.gongwen.letter_banner` places
    it. The mark stands above the type area, where body text cannot go, so the head is a table
    floating at its place on the page (``w:tblpPr w:vertAnchor="page"``, ECMA-376 §17.4.57), as
    wide as the rules (:func:`~zhengji_publish.gongwen.letter_rule`: 170 mm on A4) and centred: the
    mark in red, its em box's top 30 mm below the page's top edge; the red double rule (heavy over
    light: a row's top and bottom borders) 4 mm under it; then 份号, 密级, 紧急程度 flush left and
    the 发文字号 flush right on the type area's edges, 7/8 of a 三号 character under the rule, one
    grid line each. Text keeps below it so the title starts on the grid line the PDF gives it, two
    lines under the last of them. The title's paragraph, which follows, is its anchor."""
    page = w.ctx.style.page
    pitch = w.pitch
    size = gw.mark_size(g.issuer_mark or "　", w.measure)
    width = gw.letter_rule(page.width, w.measure)
    inset = (width - w.measure) / 2  # the type area's edges inside the table
    row_top = gw.LETTER_MARK_TOP + _MARK_RISE * size  # the mark's em box is that far above its line
    heavy, light, gap = _HEAVY / 8, _LIGHT / 8, 0.5 * MM
    rule_top = gw.LETTER_MARK_TOP + size + gw.SEPARATOR_GAP - heavy / 2  # the heavy rule's centre 4 mm under
    rule_foot = rule_top + heavy + gap + light
    mark = [w.para([w.run(g.issuer_mark, "display", size, gw.RED)], jc="center", line=twips(size))]
    rows = [
        _row(w, rule_top - row_top, width, mark if g.issuer_mark else [], {}),
        _row(w, heavy + gap + light, width, [], {"top": _HEAVY, "bottom": _LIGHT}),
    ]
    em_top = rule_foot + BODY_SIZE * 7 / 8
    first = em_top - (pitch - BODY_SIZE) / 2 - rule_foot  # from the rule's foot to the first grid line
    lines = [(v, r) for v, r in ((g.copy_number, "fangsong"), (g.secrecy, "sans"), (g.urgency, "sans")) if v]
    at = 0  # the 发文字号's line: the first, or under the others where it does not fit beside them
    if lines and g.doc_number and not gw.beside(w.width(*lines[0]), w.width(g.doc_number), w.measure, BODY_SIZE):
        at = len(lines)
    count = max(len(lines), at + 1 if g.doc_number else 0)
    for k in range(count):
        runs = [w.run(*lines[k])] if k < len(lines) else []
        tabs = None
        if k == at and g.doc_number:
            runs += [el("r", None, el("tab")), w.run(g.doc_number)]
            tabs = [el("tab", {"val": "right", "pos": twips(inset + w.measure)})]  # from the cell's edge
        p = w.para(runs, left=inset, right=inset, tabs=tabs, before=twips(first) if k == 0 else 0)
        rows.append(_row(w, pitch + (first if k == 0 else 0), width, [p], {}))
    bottom = rule_foot + (first + count * pitch if count else 0)
    text_bottom = (em_top + (count - 1) * pitch + BODY_SIZE if count else rule_foot) - page.top
    slot = math.ceil(text_bottom / pitch - 0.01) + 2  # as the PDF's letter_banner
    x = w.left - inset
    # on a page whose type area starts above the head (a style's margin under 30 mm), no text there
    above = max(0.0, row_top - page.top)
    return [_floating(w, x, row_top, width, page.top + slot * pitch - bottom, rows, above)]


def letter_foot(w: _Writer) -> list[etree._Element]:
    """信函格式's second red double rule (§10.1), light over heavy, the heavy rule's centre 20 mm
    above the page's bottom edge, 170 mm long and centred: below the type area, where no paragraph
    goes, so two line shapes (``wps:wsp`` with ``a:prstGeom prst="line"``) anchored to the page
    (``wp:anchor``, ``wp:positionV relativeFrom="page"``): runs for the title's paragraph, which
    is on the first page."""
    page = w.ctx.style.page
    heavy, light, gap = _HEAVY / 8, _LIGHT / 8, 0.5 * MM
    length = gw.letter_rule(page.width, w.measure)
    x = w.left + (w.measure - length) / 2
    y = page.height - gw.LETTER_FOOT
    return [_line(w, x, y, length, heavy), _line(w, x, y - heavy / 2 - gap - light / 2, length, light)]


def _line(w: _Writer, x: float, y: float, length: float, weight: float) -> etree._Element:
    """A run holding a red horizontal line ``length`` long from ``x``, its centre ``y`` below the
    page's top (points), ``weight`` thick: a DrawingML line shape anchored to the page, no wrapping."""
    ident = next(w.shape_ids)
    emu = 12700
    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    anchor = etree.fromstring(
        f'<wp:anchor xmlns:wp="{wp}" xmlns:a="{a}" xmlns:wps="{wps}" distT="0" distB="0" distL="0" distR="0" '
        f'simplePos="0" relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        f'<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{int(x * emu)}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{int(y * emu)}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{int(length * emu)}" cy="0"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{ident}" name="分隔线 {ident}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="{wps}"><wps:wsp><wps:cNvCnPr/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{int(length * emu)}" cy="0"/></a:xfrm>'
        f'<a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
        f'<a:ln w="{int(weight * emu)}"><a:solidFill><a:srgbClr val="{hex_colour(gw.RED)}"/></a:solidFill></a:ln>'
        f"</wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
    )
    return el("r", None, el("drawing", None, anchor))


def signer_paragraphs(w: _Writer, g: gw.Gongwen, borders: list[etree._Element] | None) -> list[etree._Element]:
    """The 签发人 lines (§7.2.6) as :func:`zhengji_publish.writers.pdf.gongwen.signer_rows` sets
    them, one paragraph a line, the 发文字号 on the last one (§7.2.5) one character in on a left tab
    stop; the last carries the separator (``borders``): no indent, so the rule spans the type area.

    The first line's label and names stand against a right tab stop (``w:tab w:val="right"``,
    ECMA-376 §17.3.1.37) where the PDF ends them, so the line holds whatever widths the application
    gives the names: LibreOffice sets 楷体_GB2312 and 仿宋_GB2312, which it does not have, in other
    faces (``×`` in DejaVu Sans, 0.84 em where the PDF's 楷体 has 0.5 em), and names placed from the
    left would run past the measure and wrap. Carried-on names start on a left tab stop under the
    first name, where the PDF starts them."""
    pairs = ["　".join(g.signers[i : i + 2]) for i in range(0, len(g.signers), 2)]
    label = w.ctx.plan.wording.signer
    x = w.measure - BODY_SIZE - max(w.width(p, "kai") for p in pairs)
    out = []
    for k, names in enumerate(pairs):
        last = k == len(pairs) - 1
        tabs = [el("tab", {"val": "left", "pos": twips(BODY_SIZE)})] if last else []
        runs: list[etree._Element] = [el("r", None, el("tab")), w.run(g.doc_number)] if last else []
        if k == 0:
            tabs.append(el("tab", {"val": "right", "pos": twips(x + w.width(names, "kai"))}))
            runs += [el("r", None, el("tab")), w.run(label)]
        else:
            tabs.append(el("tab", {"val": "left", "pos": twips(x)}))
            runs.append(el("r", None, el("tab")))
        runs.append(w.run(names, "kai"))
        out.append(w.para(runs, tabs=tabs, borders=borders if last else None))
    return out


def closing(w: _Writer, g: gw.Gongwen) -> list[etree._Element]:
    """附件说明 (§7.3.4), 出席/请假/列席 (§10.3), 署名, 成文日期, 印章 (§7.3.5) and 附注 (§7.3.6)."""
    nodes: list[etree._Element] = []
    cell = w.cell
    if g.attachments:
        nodes.append(w.blank())
        label = w.ctx.plan.wording.attachments
        x_number = 2 * cell + w.width(label)
        for first, number, name in gw.attachment_lines(g.attachments):
            # the name straight after its number, as the PDF sets it, and not at a tab stop: where
            # the number is wider than the PDF's (a face standing in for 仿宋), a tab would carry
            # the name on to the next default stop, a character or more further right
            x_name = x_number + w.width(number)
            start = 2 * cell if first else x_number
            runs = w.line_runs(first) + w.line_runs(number) + w.line_runs(name, w.measure - x_name)
            nodes.append(w.para(runs, left=x_name, hanging=x_name - start))
    if g.format == "纪要":
        words = w.ctx.plan.wording
        people = [
            (word, names)
            for word, names in ((words.present, g.present), (words.absent, g.absent), (words.attending, g.attending))
            if names
        ]
        if people:
            nodes.append(w.blank())
        for word, names in people:
            x = 2 * cell + w.width(f"{word}：", "sans")
            runs = [*w.line_runs(f"{word}：", role="sans"), *w.line_runs(names, w.measure - x)]  # the PDF's lines
            nodes.append(w.para(runs, left=x, hanging=x - 2 * cell))
    if g.issuer or g.date:
        nodes += signature(w, g)
    if g.note:
        nodes.append(body_paragraph(w, f"（{g.note}）"))
    return nodes


def body_paragraph(w: _Writer, text: str, indent: bool = True) -> etree._Element:
    """``text`` as a paragraph of the 公文's text (the Normal style, its size, first-line indent or
    none, and the PDF's compression and lines), as the PDF sets the 主送机关 and the 附注 (the body
    block's text): in a style other than gongwen, too, both are the size of the text around them."""
    extra: Props | None = None
    if not indent:
        extra = {"ind": w.body.compression.first_line(w.ctx.style.block("body"), 0.0, indented=False)}
    return w.body.text_paragraph("Normal", [m.Text(text)], extra, indent=indent)


def signature(w: _Writer, g: gw.Gongwen) -> list[etree._Element]:
    """署名, 成文日期 and 印章 (§7.3.5), placed as the PDF writer places them."""
    cell, right = w.cell, w.measure
    who = g.issuer
    when = gw.date_text(g.date) if g.date else ""
    ww, dw = w.width(who), w.width(when)
    nodes: list[etree._Element] = []
    if g.format == "命令":
        nodes.append(w.blank(2))
        if who:
            nodes.append(w.para([w.run(who)], left=right - 4 * cell - ww))
        nodes.append(w.blank())
        if when:
            nodes.append(w.para([w.run(when)], left=right - 4 * cell - dw))
        return nodes
    if g.seal_data:
        nodes.append(w.blank(2))
        date_x = right - 4 * cell - dw
        who_p = w.para([w.run(who)], left=date_x + (dw - ww) / 2)
        seal = _seal(w, g.seal_data, date_x + dw / 2, 2 * MM)
        who_p.insert(1, seal)
        nodes.append(who_p)
        if when:
            nodes.append(w.para([w.run(when)], left=date_x))
        return nodes
    nodes.append(w.blank())
    issuer_x = min(right - 2 * cell - ww, right - 2 * cell - dw - 2 * cell)
    if who:
        nodes.append(w.para([w.run(who)], left=issuer_x))
    if when:
        nodes.append(w.para([w.run(when)], left=issuer_x + 2 * cell))
    return nodes


def _seal(w: _Writer, data: bytes, centre_x: float, centre_below_top: float) -> etree._Element:
    """The seal: a picture anchored to the 署名's paragraph, behind the text (``wp:anchor``
    ``behindDoc``), :data:`~zhengji_publish.gongwen.SEAL_DIAMETER` wide, centred on ``centre_x``
    (points from the type area's left) and ``centre_below_top`` below the paragraph's top."""
    _rel, picture = w.part.get_or_add_image(io.BytesIO(data))
    d = Emu(int(gw.SEAL_DIAMETER * 12700))
    h = Emu(int(d * picture.px_height / picture.px_width))
    inline = w.part.new_pic_inline(io.BytesIO(data), width=d, height=h)
    graphic = inline.find("{http://schemas.openxmlformats.org/drawingml/2006/main}graphic")
    ident = next(w.shape_ids)
    x = int((centre_x - gw.SEAL_DIAMETER / 2) * 12700)
    y = int(centre_below_top * 12700 - h / 2)
    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    anchor = etree.fromstring(
        f'<wp:anchor xmlns:wp="{wp}" distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
        f'behindDoc="1" locked="0" layoutInCell="1" allowOverlap="1">'
        f'<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="margin"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{int(d)}" cy="{int(h)}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{ident}" name="印章 {ident}" descr="印章"/><wp:cNvGraphicFramePr/></wp:anchor>'
    )
    anchor.append(graphic)
    return el("r", None, el("drawing", None, anchor))


def attachment(w: _Writer, div: m.Div, number: int) -> list[etree._Element]:
    """One 附件 (§7.3.7): a new page, 附件N in 黑体 on its first line, its title on the third."""
    nodes = [w.para([w.run(f"{w.ctx.plan.wording.attachment}{number or ''}", "sans")], page_break=True), w.blank()]
    children = list(div.children)
    head = children[0] if children else None
    if isinstance(head, m.Heading):
        nodes.append(title_paragraph(w, m.plain_text(head.children)))
        children.pop(0)
    return nodes + w.body.blocks(children)


# The 版记 table's first row is this much (twips) shorter than its grid lines: LibreOffice keeps the
# line above a floating table off its top rule by a little more than the rule's half width, and the
# text may end on the grid line above the 版记 (measured: 8 twips too few, 11 enough). Its text is
# raised one half-point more than the grid line's middle to stand on the PDF's lines (measured).
_RECORD_SHORT = 14
_RECORD_LOWER = 1


def record(w: _Writer, g: gw.Gongwen) -> etree._Element | None:
    """版记 (§7.4) as a floating table anchored to the bottom of the type area, or None without one.

    A one-column table as wide as the type area, one row per element of exact height (grid lines),
    抄送机关 then 印发机关 and 印发日期, 四号 仿宋 one character in from each side; the table's top
    and bottom borders are the heavy rules (0.35 mm), the border between rows the light one
    (0.25 mm). ``w:tblpPr`` (ECMA-376 §17.4.57) with ``w:vertAnchor="margin"``
    ``w:tblpYSpec="bottom"`` puts its last rule on the type area's bottom edge (§7.4.1) on the page of
    the paragraph it is anchored in (the one after it); text does not flow over it, so when the text's
    last page has no room for it, that paragraph and the table go to a new page, as in the PDF.
    ``w:horzAnchor="page"`` with the left margin as offset: LibreOffice keeps a table as wide as the
    type area in the text flow unless it is placed from the page's edge.
    """
    em = RECORD_SIZE
    letter = g.format == "信函"
    rows: list[tuple[int, etree._Element]] = []  # (grid lines, paragraph)
    if g.copies_to:  # §7.4.2: carried-on names under the first after the colon
        label = w.ctx.plan.wording.copies_to
        x = em + w.width(label, size=em)
        text = gw.copies_text(g.copies_to)
        carried = w.lines(text, w.measure - x - em, em)
        runs = w.line_runs(label, size=em) + w.line_runs(text, size=em, lines=carried)
        rows.append((max(1, len(carried)), w.para(runs, left=x, hanging=x - em, right=em)))
    if g.printer and not letter:  # §7.4.3
        printer = w.lines(g.printer, w.measure - 2 * em, em)  # a name too long for a line goes on
        runs = w.line_runs(g.printer, size=em, lines=printer)
        lines = max(1, len(printer))
        if g.print_date:
            date = gw.date_text(g.print_date) + w.ctx.plan.wording.printed
            if not gw.printing_on_one_line(printer[-1].width, w.width(date, size=em), w.measure, em):
                runs.append(el("r", None, el("br")))
                lines += 1
            runs += [el("r", None, el("tab")), w.run(date, size=em)]
        tabs = [el("tab", {"val": "right", "pos": twips(w.measure - em)})]
        rows.append((lines, w.para(runs, left=em, tabs=tabs)))
    if not rows:
        return None
    heavy = round(gw.RECORD_HEAVY * 8)  # eighths of a point: 0.35 mm ≈ 1 pt, 0.25 mm ≈ 0.75 pt
    light = round(gw.RECORD_LIGHT * 8)

    def rule(side: str, size: int) -> etree._Element:
        return el(side, {"val": "single" if size else "nil", "sz": size, "space": 0, "color": "000000"})

    ruled = not letter
    width = twips(w.measure)
    borders = el(
        "tblBorders",
        None,
        rule("top", heavy if ruled else 0),
        rule("left", 0),
        rule("bottom", heavy if ruled else 0),
        rule("right", 0),
        rule("insideH", light if ruled else 0),
        rule("insideV", 0),
    )
    margins = el(
        "tblCellMar", None, *(el(side, {"w": 0, "type": "dxa"}) for side in ("top", "left", "bottom", "right"))
    )
    around = {f"{side}FromText": 0 for side in ("left", "right", "top", "bottom")}
    x = twips(w.left)
    table = el(
        "tbl",
        None,
        el(
            "tblPr",
            None,
            el("tblpPr", {**around, "vertAnchor": "margin", "horzAnchor": "page", "tblpX": x, "tblpYSpec": "bottom"}),
            el("tblOverlap", {"val": "never"}),
            el("tblW", {"w": width, "type": "dxa"}),
            el("tblInd", {"w": 0, "type": "dxa"}),
            borders,
            el("tblLayout", {"type": "fixed"}),
            margins,
        ),
        el("tblGrid", None, el("gridCol", {"w": width})),
    )
    for k, (lines, p) in enumerate(rows):
        height = lines * w.pitch_tw - (_RECORD_SHORT if k == 0 else 0)
        table.append(
            el(
                "tr",
                None,
                el("trPr", None, el("trHeight", {"val": height, "hRule": "exact"})),
                el("tc", None, el("tcPr", None, el("tcW", {"w": width, "type": "dxa"})), p),
            )
        )
    return table
