"""The document tree as WordprocessingML: blocks to paragraphs and tables, inlines to runs.

Every paragraph names a style from :mod:`docx_styles`; the only direct formatting is what a style
cannot say: list numbers, column widths and alignment, nested inline marks and the spacing that
opens and closes a notice box.
"""

from __future__ import annotations

import builtins
import copy
import io
import itertools
import math
import re
from collections.abc import Callable, Iterator, Sequence

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.parts.story import StoryPart
from docx.shared import Emu, Pt
from lxml import etree

from zhengji_publish import model as m
from zhengji_publish.context import BuildContext
from zhengji_publish.diagnostics import UserError
from zhengji_publish.style import BlockStyle
from zhengji_publish.text import is_cjk_punct, is_han
from zhengji_publish.typeset import rules
from zhengji_publish.typeset.boxes import CONNECTOR, full_connector
from zhengji_publish.typeset.linebreak import DISPLAY_ALIGNS
from zhengji_publish.writers.docx import compression
from zhengji_publish.writers.docx.notemarks import (
    CROSS_STYLE,
    MARK_STYLE,
    first_reference,
    later_reference,
    note_mark_run,
    reference_run,
    repeated_notes,
)
from zhengji_publish.writers.docx.numbering import Numbering
from zhengji_publish.writers.docx.styles import (
    CODE_STYLE,
    DASH_STYLE,
    HEAD_RULE,
    PORTION,
    PORTION_STYLE,
    TABLE_RULE,
    TABLE_STYLE,
    UNIT_STYLE,
    block_style,
    box_padding,
    char_styles,
    div_style_id,
    paragraph_styles,
    text_block,
    tracking,
)
from zhengji_publish.writers.docx.xml import (
    JC,
    Props,
    el,
    ppr,
    rpr,
    set_paragraph_prop,
    set_run_prop,
    set_text,
    text_run,
    twips,
)
from zhengji_publish.writers.pdf.draw import TextBlock
from zhengji_publish.writers.pdf.layout import (
    CELL_PADDING,
    CELL_PADDING_V,
    Pagination,
    column_widths,
    figure_pixels,
    figure_size,
    geometry,
    paginate,
)

TAB_WIDTH = 4  # spaces per tab in code blocks
TABLE_RULE_PT, HEAD_RULE_PT = TABLE_RULE / 8, HEAD_RULE / 8


def bookmark_name(ident: str) -> str:
    """Word bookmark names allow letters, digits and underscores only."""
    return "".join(ch if ch.isalnum() else "_" for ch in ident)[:40]


def spacer(height: float) -> etree._Element:
    """An empty paragraph ``height`` pt high (an exact line, 1 twip at least, off any line grid:
    ``w:spacing w:lineRule="exact"``, ``w:snapToGrid``, ECMA-376 Part 1 §17.3.1.33, §17.3.1.32),
    with no space before or after: what stands between two tables or two boxes, which Word and
    LibreOffice would otherwise join into one."""
    line = {"line": max(1, twips(height)), "lineRule": "exact", "before": 0, "after": 0}
    return paragraph("Normal", [], {"spacing": line, "snapToGrid": {"val": 0}})


def _boxed(block: m.Block) -> bool:
    """Whether ``block`` stands in a box of its own: a code block, a notice."""
    return isinstance(block, m.CodeBlock) or (isinstance(block, m.Div) and block.cls == "notice")


def _is_heading(p: etree._Element) -> bool:
    """Whether paragraph ``p`` is in one of the Heading n styles."""
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style is not None and (style.get(qn("w:val")) or "").startswith("Heading")


def _empty_break(block: m.Block) -> bool:
    return m.is_page_break(block) and not block.children


def split_paragraph(p: etree._Element, at: int, total: int) -> list[etree._Element] | None:
    """Paragraph ``p`` as two: its first ``at`` characters and the rest (characters counted as
    :func:`~zhengji_publish.writers.docx.compression.visible` counts them, of ``total`` in all).
    Both keep ``p``'s properties; the first gets no spacing after, the second no spacing before and
    no first-line indent (``w:spacing``, ``w:ind``, ECMA-376 §17.3.1.33, §17.3.1.12). None when
    ``p`` does not hold ``total`` characters or ``at`` falls inside anything but a plain run."""
    head, tail = copy.deepcopy(p), copy.deepcopy(p)
    kids = [c for c in p if c.tag != qn("w:pPr")]
    counts = [len(compression.visible("".join(t.text or "" for t in c.iter(qn("w:t"))))) for c in kids]
    if sum(counts) != total:
        return None
    seen = 0
    for k, (kid, count) in enumerate(zip(kids, counts, strict=True)):
        if seen + count <= at:
            seen += count
            continue
        texts = kid.findall(qn("w:t"))
        plain = kid.tag == qn("w:r") and len(texts) == 1 and len(kid) == 1 + (kid[0].tag == qn("w:rPr"))
        if seen < at and not plain:
            return None
        offset = k + 1  # the kid's place in the copies (after w:pPr)
        for c in list(head)[offset + 1 :]:
            head.remove(c)
        for c in list(tail)[1:offset]:
            tail.remove(c)
        if seen == at:  # the tail starts with this kid
            head.remove(head[offset])
        else:  # this run is cut in two: the head keeps its first characters
            text = texts[0].text or ""
            cut = compression.index_after(text, at - seen)
            head[offset].find(qn("w:t")).text = text[:cut]
            tail[1].find(qn("w:t")).text = text[cut:]
        set_paragraph_prop(head, "spacing", {"after": 0})
        set_paragraph_prop(tail, "spacing", {"before": 0})
        set_paragraph_prop(tail, "ind", {"firstLine": 0, "firstLineChars": 0})
        return [head, tail]
    return None


def paragraph(style: str, content: list[etree._Element], extra: Props | None = None) -> etree._Element:
    return el("p", None, ppr({"pStyle": {"val": style}, **(extra or {})}), *content)


class BodyWriter:
    """Renders blocks for one story part (the document or the footnotes)."""

    def __init__(
        self,
        ctx: BuildContext,
        part: StoryPart,
        numbering: Numbering,
        shape_ids: Iterator[int],
        bookmark_ids: Iterator[int],
    ) -> None:
        self.ctx = ctx
        self.part = part
        self.numbering = numbering
        self.shape_ids = shape_ids
        self.bookmark_ids = bookmark_ids
        self.repeated = repeated_notes(ctx.doc)  # notes referenced twice: number → first reference
        # A book's openings: the empty paragraph marking each, its class and title (writers.docx.sections).
        self.openings: list[tuple[etree._Element, str, str]] = []
        self.marks = {sid: props for sid, (_name, props) in char_styles(ctx).items()}
        self.list_depth = 0
        # vertical text: short numbers stand upright in one cell (縱中橫), each group with its own id
        digits = ctx.style.upright_digits if ctx.plan.vertical else 0
        self.upright = rules.upright_numbers(digits) if digits else None
        # plain Han text in short portions (styles.PORTION), unless the body is tracked (the 公文 grid):
        # LibreOffice sets no character spacing after a run's last character, so a cut would
        # lengthen the line
        self.portion = 0 if tracking(ctx, ctx.style.block("body")) else PORTION
        self.layout_ids = itertools.count(1)
        # The PDF's punctuation compression (writers.docx.compression), for running-text paragraphs:
        # their styles' blocks, and the marks of the paragraph being written, the next one last.
        self.compression = compression.Compression(ctx)
        self.text_blocks = {
            spec.style_id: text_block(ctx, spec)
            for spec in paragraph_styles(ctx)
            if compression.carries(spec.role, bool(spec.changes))
        }
        self._cuts: list[tuple[str, float, float]] = []
        self._gaps: list[tuple[str, str, int]] = []  # the paragraph's gap spaces' scales, the next one last
        self._spaces: list[tuple[str, str, int]] = []  # its word spaces' scales, the next one last
        self.styles = {spec.style_id: block_style(ctx, spec) for spec in paragraph_styles(ctx)}
        self.boxed = {  # the styles whose paragraphs stand in a box (notices, code blocks)
            spec.style_id for spec in paragraph_styles(ctx) if box_padding(ctx, spec, self.styles[spec.style_id])
        }
        self._laid: list[tuple[etree._Element, compression.Cuts]] = []  # the last paragraphs laid out
        self._pagination: Pagination | None = None  # the PDF's (pagination)

    # ------------------------------------------------------------ blocks

    def blocks(self, blocks: list[m.Block], style: str = "Normal") -> list[etree._Element]:
        """The blocks in order; a page break right after another one is dropped (it would make an
        empty page, which the PDF does not make either)."""
        out: list[etree._Element] = []
        for i, block in enumerate(blocks):
            if i and _empty_break(block) and _empty_break(blocks[i - 1]):
                continue
            made = self.block(block, style)
            if i and m.closes(blocks[i - 1], block) and out and made:
                out[-1:] = self.closed(out[-1], blocks[i - 1])
                for node in [out[-1], *made[:-1]]:
                    if node.tag == qn("w:p"):
                        set_paragraph_prop(node, "keepNext", {})
            if i and _boxed(blocks[i - 1]) and _boxed(block) and self._in_box(out[-1]) and self._in_box(made[0]):
                out.append(self.part_boxes(out[-1], made[0]))
            out += made
        self.space_tables(out)
        return out

    def _in_box(self, node: etree._Element) -> bool:
        """Whether ``node`` is a paragraph in a box (:func:`~.styles.box_padding`)."""
        style = node.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        return node.tag == qn("w:p") and style is not None and style.get(qn("w:val")) in self.boxed

    def part_boxes(self, above: etree._Element, below: etree._Element) -> etree._Element:
        """An empty paragraph to stand between two boxes in a row (a code block after a code block,
        a notice after a notice), as high as the PDF's space between them: the larger of the first's
        space after and the second's space before (reportlab's ``overlapAttachedSpace``), which the
        two lose. Word and LibreOffice draw paragraphs in a row with the same borders as one box
        (ECMA-376 Part 1 §17.3.1.24: a group of paragraphs shares its borders, the spacing between
        them inside it); before, two code blocks were one box in LibreOffice's layout, 3.6 pt
        higher than the PDF's second box, two notices one box 10 pt higher."""
        space = max(self._space(above, "after"), self._space(below, "before"))
        set_paragraph_prop(above, "spacing", {"after": 0})
        set_paragraph_prop(below, "spacing", {"before": 0})
        return spacer(space)

    def space_tables(self, nodes: list[etree._Element]) -> None:
        """The PDF's space above and below a table (half the body's line pitch: reportlab's
        ``spaceBefore`` and ``spaceAfter`` of the table,
        :meth:`~zhengji_publish.writers.pdf.layout._Story.table`): a WordprocessingML table has no
        spacing of its own, so it goes into the space after the paragraph above it and before the
        one below it (``w:spacing``, ECMA-376 §17.3.1.33). reportlab's frame sets the larger of a
        flowable's space and its neighbour's (``overlapAttachedSpace``, :meth:`join_spacing`); under
        a table a heading's space before adds to the table's, as after any paragraph (the PDF's
        conditional page break before it). The PDF draws its top and bottom rules centred on the
        table's edges; LibreOffice 7.4 and Word draw a cell's border inside the table (the rows'
        margins make up for it inside: :meth:`row`), half a rule further out: the space beside
        the table is that much less. Between two tables, which Word and LibreOffice would join
        into one, an empty paragraph exactly as high as the PDF's space between them (``w:spacing
        w:lineRule="exact"``)."""
        space = self.ctx.style.block("body").line_height * 0.5
        for i, node in enumerate(nodes):
            if node.tag != qn("w:tbl"):
                continue
            above = nodes[i - 1] if i else None
            below = nodes[i + 1] if i + 1 < len(nodes) else None
            if above is not None and above.tag == qn("w:p"):
                wanted = max(self._space(above, "after"), space)
                set_paragraph_prop(above, "spacing", {"after": twips(max(0.0, wanted - TABLE_RULE_PT / 2))})
            if below is not None and below.tag == qn("w:p"):
                own = self._space(below, "before")
                wanted = own + space if _is_heading(below) else max(own, space)
                set_paragraph_prop(below, "spacing", {"before": twips(max(0.0, wanted - TABLE_RULE_PT / 2))})
        for i in reversed(range(1, len(nodes))):
            if nodes[i].tag == nodes[i - 1].tag == qn("w:tbl"):
                nodes.insert(i, spacer(space - TABLE_RULE_PT))

    def join_spacing(self, nodes: list[etree._Element]) -> None:
        """Space two paragraphs in a row as the PDF does, where Word and LibreOffice add the first's
        space after and the second's space before (``w:spacing``, ECMA-376 Part 1 §17.3.1.33).

        reportlab's frame (``overlapAttachedSpace``, ``Frame._add``) sets a flowable's
        ``spaceBefore`` less the ``spaceAfter`` of the one above it, never below 0: the larger of
        the two. The DOCX's second paragraph therefore gets what is left of its space before over
        the first's space after. Not above the first heading of a run of headings: the PDF puts a
        conditional page break before it (:meth:`~zhengji_publish.writers.pdf.layout._Story.blocks`,
        a zero-height ``Spacer`` whose own space after, none, is the one the heading's space
        before is set against), so there the two add up, as in the DOCX. A book's byline under a
        subtitle (12 pt after, 5.25 pt before) stood 5.25 pt lower in LibreOffice's layout than in
        the PDF, a heading under a heading 5.6 pt. Call once, on the document's blocks in order; a
        table between two paragraphs keeps both spaces (:meth:`space_tables`)."""
        for above, below in itertools.pairwise(nodes):
            if above.tag != qn("w:p") or below.tag != qn("w:p"):
                continue
            if _is_heading(below) and not _is_heading(above):
                continue
            after, before = self._space(above, "after"), self._space(below, "before")
            if after > 0 and before > 0:
                set_paragraph_prop(below, "spacing", {"before": twips(max(0.0, before - after))})

    def _space(self, p: etree._Element, side: str) -> float:
        """Paragraph ``p``'s space ``side`` ("before" or "after", pt): its own or its style's."""
        spacing = p.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
        if spacing is not None and spacing.get(qn(f"w:{side}")) is not None:
            return int(spacing.get(qn(f"w:{side}"))) / 20
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        block = self.styles.get(style.get(qn("w:val")) if style is not None else "Normal")
        if block is None:
            return 0.0
        return block.space_before if side == "before" else block.space_after

    def closed(self, node: etree._Element, block: m.Block) -> list[etree._Element]:
        """The paragraph above a closing byline or a 公文's closing elements (``node``, written from
        ``block``), as the PDF sets it (:class:`~zhengji_publish.writers.pdf.draw.TextThenClosing`):
        what closes the text never stands alone at a page's head, and when it does not fit under the
        paragraph the paragraph's last lines go with it, between words. The caller keeps the last
        paragraph returned with what closes the text (``w:keepNext``, ECMA-376 §17.3.1.15);
        LibreOffice 7.4 moves a kept paragraph whole to the next page even when only its last lines
        had to go (a page left empty under the paragraph before), so where the PDF breaks the
        paragraph over a page (:attr:`~zhengji_publish.writers.pdf.layout.Pagination.closings`) it
        is returned as two paragraphs split at that line (:func:`split_paragraph`): the first ends on
        a full line and keeps its spacing above, the second, the lines the PDF moves, starts without
        indent or spacing. A paragraph the PDF sets whole on one page, or one that was not laid out
        here (:meth:`text_paragraph`), is returned as it is."""
        cuts = next((c for p, c in self._laid if p is node), None)
        if cuts is None or cuts.lines < 2 * rules.MIN_LINES_AT_PAGE_BREAK:
            return [node]
        kept = self.pagination().closings.get(id(block), 0)
        if not 0 < kept < cuts.lines:
            return [node]
        return split_paragraph(node, cuts.starts[kept], cuts.chars) or [node]

    def pagination(self) -> Pagination:
        """The PDF's pagination of the edition (:func:`~zhengji_publish.writers.pdf.layout.paginate`),
        laid out once, when first asked for; none (no page breaks followed) when the PDF cannot lay
        the document out: the PDF writer reports that."""
        if self._pagination is None:
            try:
                self._pagination = paginate(self.ctx)
            except UserError:
                self._pagination = Pagination()
        return self._pagination

    def block(self, block: m.Block, style: str) -> list[etree._Element]:
        """One block in the context of its container's paragraph style."""
        if isinstance(block, m.Heading):
            return [self.heading(block, style)]
        if isinstance(block, m.Paragraph):
            return [self.text_paragraph(style, block.children)]
        if isinstance(block, m.Figure):
            return self.figure(block)
        if isinstance(block, m.CodeBlock):
            return [self.code(block)]
        if isinstance(block, m.BlockQuote):
            return self.blocks(block.children, "BlockText")
        if isinstance(block, m.ListBlock):
            return self.list_block(block)
        if isinstance(block, m.Table):
            return [self.table(block)]
        if isinstance(block, m.ThematicBreak):
            return [paragraph("ThematicBreak", [])]
        if isinstance(block, m.Div):
            return self.div(block, style)
        raise TypeError(f"unknown block {type(block).__name__}")

    def heading(self, block: m.Heading, style: str) -> etree._Element:
        """Headings use Word's Heading n styles, except a notice's own title; anchors for links."""
        if style == "Notice":
            return paragraph("NoticeTitle", self.inlines(block.children))
        style_id = f"Heading{min(max(block.level, 1), 6)}"
        made = self.title_paragraph(style_id, block.children)
        if block.ident:
            mark = str(next(self.bookmark_ids))
            made.find(qn("w:pPr")).addnext(el("bookmarkStart", {"id": mark, "name": bookmark_name(block.ident)}))
            made.append(el("bookmarkEnd", {"id": mark}))
        return made

    def title_paragraph(self, style: str, nodes: list[m.Inline], extra: Props | None = None) -> etree._Element:
        """A paragraph of ``nodes`` in style ``style`` set in the PDF's lines (:meth:`title_lines`);
        one of one line with the blanks its edges' marks give up taken off its left and right
        indents (``w:ind``, ECMA-376 Part 1 §17.3.1.12): a heading's
        ``（一）`` and a title's ``（2026年第3期）`` keep their marks' shapes and stand where the PDF
        centres them (scaled to give up their blanks, the brackets had been drawn half as wide)."""
        content, cuts = self.title_lines(style, nodes)
        made = paragraph(style, content, extra)
        block = self.styles.get(style)
        if block is None or (extra and "ind" in extra):
            return made
        if cuts.lead or cuts.tail:  # a paragraph of one line (compression.Compression.cuts)
            ind: dict[str, object] = {}
            if cuts.lead:
                ind["left"] = twips(block.margin_left - cuts.lead)
            if cuts.tail:
                ind["right"] = twips(block.margin_right - cuts.tail)
            set_paragraph_prop(made, "ind", ind)
        return made

    def title_lines(self, style: str, nodes: list[m.Inline]) -> tuple[list[etree._Element], compression.Cuts]:
        """The runs of ``nodes`` in paragraph style ``style``, with a line break (``w:br``, ECMA-376
        Part 1 §17.3.3.1) where the PDF breaks the paragraph, and the PDF's punctuation compression
        (:mod:`~zhengji_publish.writers.docx.compression`; the blanks its edges' marks give up are
        the indents' of :meth:`title_paragraph`, with the cuts returned); the
        breaks when the style is centred (a title, a heading, a subtitle, a caption) or
        right-aligned (a byline): broken between words and balanced
        (:data:`~zhengji_publish.typeset.linebreak.DISPLAY_ALIGNS`), so Word and LibreOffice show
        the PDF's lines; and when it is flush left (a heading of a report: the PDF broke one
        between words, ``联合国`` | ``（节选）``, LibreOffice inside one); a justified paragraph
        without them (a line ending in a break is not justified); in vertical text the runs as
        they are. The PDF
        fits a title of 14 characters at 22 pt in 304.5 pt by the blank of its last mark
        (``城市公共数据开放条例（节选）``): without the compression LibreOffice broke its last
        character onto a line of its own. A contents entry is written from the heading's text,
        without the break; the TOC field has no ``\\x`` switch (§17.16.5.68: it would keep line
        breaks), and LibreOffice, when it rebuilds the field, writes a space where the break is."""
        block = self.styles.get(style)
        if block is None or not self.compression.laid_out:
            return self.inlines(nodes), compression.Cuts([])
        cuts = self.compression.cuts(nodes, block, lead_by_indent=False, edges_by_indent=True)
        content = self.compressed_inlines(nodes, cuts)
        starts = cuts.starts[1:] if block.align in DISPLAY_ALIGNS or block.align == "left" else []
        return (broken_at(content, starts) if starts else content), cuts

    def div(self, block: m.Div, style: str) -> list[etree._Element]:
        """Divs map to their paragraph style; a notice's box gets its outer spacing here.

        A ``pagebreak`` div is a paragraph holding a page break (``w:br w:type="page"``, ECMA-376
        §17.3.3.1), followed by what the div holds.
        """
        if m.is_opening(block):  # a book's part, chapter or front page: a section of its own
            mark = paragraph(style, [])
            self.openings.append((mark, block.cls, m.opening_title(block)))
            return [mark, *self.blocks(block.children, style)]
        if m.is_page_break(block):
            return [paragraph(style, [el("r", None, el("br", {"type": "page"}))]), *self.blocks(block.children, style)]
        nodes = self.blocks(block.children, div_style_id(block.cls) or style)
        if block.cls == "notice" and nodes:
            notice = self.ctx.style.block("notice")
            set_paragraph_prop(nodes[0], "spacing", {"before": twips(notice.space_before)})
            set_paragraph_prop(nodes[-1], "spacing", {"after": twips(notice.space_after)})
        return nodes

    def code(self, block: m.CodeBlock) -> etree._Element:
        """One paragraph per code block (one shaded box), lines joined by hard breaks."""
        runs: list[etree._Element] = []
        for n, line in enumerate(block.text.expandtabs(TAB_WIDTH).split("\n")):
            if n:
                runs.append(el("r", None, el("br")))
            if line:
                runs += self.text_runs(line, {})
        return paragraph("SourceCode", runs)

    def figure(self, block: m.Figure) -> list[etree._Element]:
        geo = geometry(self.ctx.style, self.ctx.plan.vertical)
        pixels = figure_pixels(block.image)  # (0, 0) for a picture not included
        size = figure_size(pixels, geo.measure, geo.height, self.ctx.plan.vertical) if all(pixels) else None
        nodes = [paragraph("Figure", [self.picture(block.image, size)])]  # the PDF's size
        if block.caption:
            nodes.append(self.text_paragraph("Caption", block.caption))
        return nodes

    def list_block(self, block: m.ListBlock) -> list[etree._Element]:
        """Word numbering: one numbering instance per list, nested lists one level down."""
        level = self.list_depth
        num_id = self.numbering.new_list(block.ordered, block.start, level)
        nodes: list[etree._Element] = []
        self.list_depth += 1
        try:
            for item in block.items:
                nodes += self.list_item(item, num_id, level)
        finally:
            self.list_depth -= 1
        return nodes

    def list_item(self, item: m.ListItem, num_id: int, level: int) -> list[etree._Element]:
        """The item's first paragraph carries the number; later ones align with its text."""
        nodes: list[etree._Element] = []
        numbered = False
        for child in item.children:
            if isinstance(child, m.Paragraph):
                if numbered:
                    extra: Props = {"ind": {"left": self.numbering.text_indent(level), "firstLine": 0}}
                else:
                    extra = {"numPr": [el("ilvl", {"val": 0}), el("numId", {"val": num_id})]}
                    numbered = True
                text_at = self.numbering.text_indent(level) / 20  # pt from the measure's start
                nodes.append(self.text_paragraph("ListParagraph", child.children, extra, text_at, indent=False))
            else:
                nodes += self.block(child, "Normal")
        return nodes

    def table(self, block: m.Table) -> etree._Element:
        """A three-line table (三线表) as the PDF sets it: the PDF's column widths
        (:func:`~zhengji_publish.writers.pdf.layout.column_widths`, from the PDF's own cells,
        :meth:`~zhengji_publish.writers.pdf.layout._Story.table_cells`: its faces, code's included,
        and its gaps, in its measure) in a fixed grid (``w:tblGrid``, ``w:tblLayout
        w:type="fixed"``, ECMA-376 Part 1 §17.4.48, §17.4.53), centred; the header row repeats on
        every page. A rule of the table is drawn on the rows' edges (:meth:`row`)."""
        laid = self.compression.story.table_cells(block)
        # the PDF's measure, snapped to whole characters (writers.pdf.layout.geometry), not the page's
        widths = column_widths(laid, self.compression.measure, self.ctx.style.block("table").size)
        # each column at least the PDF's width (twips rounded up): a cell's line the PDF fills to the
        # point broke a character earlier in LibreOffice, its column a hair narrower
        grid = [math.ceil(w * 20 - 1e-6) for w in widths]
        tbl = el(
            "tbl",
            None,
            el(
                "tblPr",
                None,
                el("tblStyle", {"val": TABLE_STYLE}),
                el("tblW", {"w": sum(grid), "type": "dxa"}),
                el("jc", {"val": "center"}),
                el("tblLayout", {"type": "fixed"}),
                el(
                    "tblLook",
                    {
                        "val": "04A0",
                        "firstRow": 1,
                        "lastRow": 0,
                        "firstColumn": 0,
                        "lastColumn": 0,
                        "noHBand": 1,
                        "noVBand": 1,
                    },
                ),
            ),
            el("tblGrid", None, *(el("gridCol", {"w": w}) for w in grid)),
        )
        rows = [(block.header, laid[0])] if block.header else []
        rows += list(zip(block.rows, laid[1:], strict=True))
        for n, (cells, texts) in enumerate(rows):
            header = n == 0 and bool(block.header)
            top = TABLE_RULE_PT if n == 0 else HEAD_RULE_PT if n == 1 and block.header else 0.0
            bottom = TABLE_RULE_PT if n == len(rows) - 1 else HEAD_RULE_PT if header else 0.0
            tbl.append(self.row(cells, texts, widths, header, (top, bottom)))
        return tbl

    def row(
        self,
        cells: list[m.TableCell],
        texts: list[TextBlock],
        widths: list[float],
        header: bool,
        rules_at: tuple[float, float] = (0.0, 0.0),
    ) -> etree._Element:
        """One row of ``cells``, kept on one page, each cell ``widths[k]`` pt wide holding its text in
        the PDF's lines: ``texts[k]``'s style (its alignment, the header's bold), broken where the
        PDF breaks it, between the cell's padding
        (:data:`~zhengji_publish.writers.pdf.layout.CELL_PADDING`), with a line break (``w:br``)
        at each of its lines' starts (:meth:`text_paragraph`). ``rules_at``: the widths (pt) of the
        rules on the row's top and bottom edges. The PDF centres a rule on the edge between two
        rows; LibreOffice 7.4 and Word set a border inside its cell, between the cell's edge and
        its margin, so the cell's top and bottom margins (``w:tcMar``, ECMA-376 Part 1 §17.4.43)
        are the PDF's padding (:data:`~zhengji_publish.writers.pdf.layout.CELL_PADDING_V`) less
        half the rule there: the rules and the text stand where the PDF draws them (measured:
        a three-line table of one-line rows stood 0.7 pt taller for its header and 0.75 pt for
        its body)."""
        # a row never breaks over pages (w:cantSplit, ECMA-376 §17.4.6), as reportlab never splits one
        tr = el("tr", None, el("trPr", None, el("cantSplit"), *([el("tblHeader")] if header else [])))
        for col, (width, text) in enumerate(zip(widths, texts, strict=True)):
            children = cells[col].children if col < len(cells) else []
            inset = self.compression.measure - (width - 2 * CELL_PADDING * text.style.size)
            extra: Props = {"jc": {"val": JC[text.style.align]}}
            style = "TableHeading" if header else "TableText"
            p = self.text_paragraph(style, children, extra, inset, indent=False, block=text.style, lines=True)
            pad = CELL_PADDING_V * text.style.size
            margins = [
                el(side, {"w": twips(max(0.0, pad - rule / 2)), "type": "dxa"})
                for side, rule in zip(("top", "bottom"), rules_at, strict=True)
                if rule
            ]
            props = el("tcPr", None, el("tcW", {"w": math.ceil(width * 20 - 1e-6), "type": "dxa"}))
            if margins:
                props.append(el("tcMar", None, *margins))
            tr.append(el("tc", None, props, p))
        return tr

    def compressed_inlines(self, nodes: list[m.Inline], cuts: compression.Cuts) -> builtins.list[etree._Element]:
        """The runs of ``nodes`` carrying ``cuts``: the PDF's compressed marks, gap and word spaces
        (:meth:`compressed_runs`, :meth:`gap_style`, :meth:`word_style` take them in order)."""
        self._cuts, self._gaps, self._spaces = cuts.marks[::-1], cuts.gaps[::-1], cuts.spaces[::-1]
        try:
            return self.inlines(nodes)
        finally:
            self._cuts, self._gaps, self._spaces = [], [], []

    def text_paragraph(
        self,
        style: str,
        nodes: list[m.Inline],
        extra: Props | None = None,
        inset: float = 0.0,
        indent: bool = True,
        note: m.Footnote | None = None,
        block: BlockStyle | None = None,
        lines: bool = False,
    ) -> etree._Element:
        """A paragraph of running text; in a style that carries it
        (:func:`~zhengji_publish.writers.docx.compression.carries`), or laid out as ``block`` says
        (a table cell's text), with the PDF's punctuation compression
        (:mod:`~zhengji_publish.writers.docx.compression`), laid out ``inset`` pt in from
        its style's measure, its first line indented as the style says or not at all; in another
        style, centred (a title, a subtitle, a caption), in the PDF's lines (:meth:`title_lines`).
        ``note``: the paragraph opens footnote ``note`` (:meth:`note_opening`). ``lines``: a line
        break (``w:br``, ECMA-376 Part 1 §17.3.3.1) at the start of each line the PDF sets after
        the first, where LibreOffice 7.4 would break elsewhere (between ``94.6`` and ``%``, inside
        ``DEBUG`` before ``、``) or not at all (inside a URL); for a paragraph not justified."""
        block = block or self.text_blocks.get(style)
        if block is None or not self.compression.laid_out:  # a centred one in the PDF's lines
            made = self.title_paragraph(style, nodes, extra)
            return made if note is None else self.note_opening(made, note, None)
        cuts = self.compression.cuts(nodes, block, inset, indent, note)
        content = self.compressed_inlines(nodes, cuts)
        if lines and cuts.lines > 1:
            content = broken_at(content, cuts.starts[1:])
        elif cuts.word_breaks:  # LibreOffice finds no break inside a URL, nor after ， before a digit
            content = broken_at(content, cuts.word_breaks, rules.WORD_BREAK)
        if cuts.kept is not None:  # a short last line stays whole, as the PDF keeps it
            content = kept_whole(content, cuts.kept, self.ctx.plan.languages.docx_dots)
        tracked = tracking(self.ctx, block)
        if cuts.spacing or cuts.gap_after or tracked:
            content = spaced(content, cuts.spacing, cuts.gap_after, tracked)
        made = paragraph(style, content, extra)
        if note is not None:
            self.note_opening(made, note, cuts.label)
        self._laid = [*self._laid[-1:], (made, cuts)]  # for a closing byline after it (closed)
        if cuts.lead and not (extra and "ind" in extra):
            set_paragraph_prop(made, "ind", self.compression.first_line(block, cuts.lead, indent))
        if 1 < cuts.lines < 2 * rules.MIN_LINES_AT_PAGE_BREAK:
            # too short to leave two lines on each page: kept whole (w:keepLines, §17.3.1.14), as the
            # PDF keeps it. Word's widow control alone does that; LibreOffice 7.4 split such a
            # paragraph two lines + one in a book's continuous section despite w:widowControl
            set_paragraph_prop(made, "keepLines", {})
        return made

    def note_opening(self, p: etree._Element, note: m.Footnote, text_at: float | None) -> etree._Element:
        """``p``, the first paragraph of footnote ``note``, opened with the note's mark
        (:func:`~zhengji_publish.writers.docx.notemarks.note_mark_run`) and, where the PDF's text
        starts ``text_at`` pt from the line's start after the note's number and a space
        (:attr:`~zhengji_publish.writers.docx.compression.Cuts.label`), a tab to a left tab stop
        there (``w:tab``, ECMA-376 Part 1 §17.3.1.37): the mark is the PDF's number (full size, in
        the link colour: :data:`~zhengji_publish.writers.docx.notemarks.NUMBER_STYLE`) but its
        digits are the application's, and the text starts where the PDF's does, so the first line
        holds what the PDF's holds."""
        mark = note_mark_run(note)
        p.find(qn("w:pPr")).addnext(mark)
        if text_at is not None and text_at > 0:
            mark.addnext(el("r", None, el("tab")))
            set_paragraph_prop(p, "tabs", {})
            p.find(qn("w:pPr")).find(qn("w:tabs")).append(el("tab", {"val": "left", "pos": twips(text_at)}))
        return p

    # ------------------------------------------------------------ inlines

    def inlines(self, nodes: list[m.Inline], marks: tuple[str, ...] = ()) -> list[etree._Element]:
        out: list[etree._Element] = []
        for i, node in enumerate(nodes):
            if isinstance(node, m.Text) and node.text:  # its neighbours' characters decide its gap spaces
                before = m.plain_text(nodes[i - 1 : i])[-1:] if i else ""
                after = m.plain_text(nodes[i + 1 : i + 2])[:1]
                code = (
                    i > 0 and isinstance(nodes[i - 1], m.Code),
                    i + 1 < len(nodes) and isinstance(nodes[i + 1], m.Code),
                )
                out += self.prose_runs(rules.join_words(rules.join_units(node.text)), marks, before, after, code)
            else:
                out += self.inline(node, marks)
        return out

    def inline(self, node: m.Inline, marks: tuple[str, ...]) -> list[etree._Element]:
        """Runs for one inline; marks are the character styles of the enclosing spans."""
        if isinstance(node, m.Text):
            return self.prose_runs(rules.join_words(rules.join_units(node.text)), marks) if node.text else []
        if isinstance(node, m.Code):
            # no word joiner after a hyphen (as in prose, rules.join_words): code copied out of
            # the document must run as typed (a shell knows no option ``--allow-`` + U+2060 + ``outside``)
            return self.text_runs(node.text, self.mark_props((*marks, CODE_STYLE)))
        if isinstance(node, m.Strong):
            return self.inlines(node.children, (*marks, "Strong"))
        if isinstance(node, m.Emph):
            return self.inlines(node.children, (*marks, "Emphasis"))
        if isinstance(node, m.Strike):
            return self.inlines(node.children, (*marks, "Strikethrough"))
        if isinstance(node, m.Link):
            return [self.link(node, marks)]
        if isinstance(node, m.Image):
            return [self.picture(node)]
        if isinstance(node, m.FootnoteRef):
            props = self.mark_props((*marks, MARK_STYLE))
            first = self.repeated.get(node.number)
            if first is None:
                return [reference_run(node, props)]
            if first == id(node):
                return first_reference(node, props, next(self.bookmark_ids))
            return [later_reference(node, self.mark_props((*marks, CROSS_STYLE)))]
        if isinstance(node, m.LineBreak):
            return [el("r", None, *self._rpr_list(marks), el("br"))]
        raise TypeError(f"unknown inline {type(node).__name__}")

    def prose_runs(
        self,
        text: str,
        marks: tuple[str, ...],
        before: str = "",
        after: str = "",
        code: tuple[bool, bool] = (False, False),
    ) -> builtins.list[etree._Element]:
        """Runs of running text: a typed space between Han and Latin text
        (:func:`~zhengji_publish.typeset.rules.gap_spaces`) goes in a run of its own in the Gap
        Space character style (:func:`~zhengji_publish.writers.docx.styles.gap_space`), the PDF's
        gap wide. ``before`` and ``after`` are the characters next to the text in the inlines
        beside it, ``code`` whether those inlines are code (before, after)."""
        runs: builtins.list[etree._Element] = []
        at = 0
        gaps = set(rules.gap_spaces(text, before, after, *code))
        for found in _SPACES.finditer(text):
            start, end = found.span()
            a = text[start - 1] if start else before[-1:]
            b = text[end] if end < len(text) else after[:1]
            if not a or not b or a.isspace() or b.isspace():
                continue  # a space at the text's edge: its neighbour's text decides
            if is_cjk_punct(a) or is_cjk_punct(b):
                # a space typed beside a Chinese mark (``api/ 。``) is not set, as in the PDF (the
                # mark's blank half is its space): none to widen a line or to break it before the
                # mark in the DOCX either
                runs += self.unit_runs(text[at:start], marks) if start > at else []
                at = end
                continue
            if (start, end) in gaps:
                style = self.gap_style(a, b)
            elif not (style := self.word_style(a, b)):
                continue
            runs += self.unit_runs(text[at:start], marks) if start > at else []
            runs.append(text_run(text[start:end], self.mark_props((*marks, style))))
            at = end
        return runs + (self.unit_runs(text[at:], marks) if at < len(text) else [])

    def unit_runs(self, text: str, marks: tuple[str, ...]) -> builtins.list[etree._Element]:
        """:meth:`compressed_runs` of ``text``, each 省略号 and 破折号 (``……``, ``⋯⋯``, ``——``:
        :data:`~zhengji_publish.typeset.rules.JOINED_UNITS`) in a run of its own in the Unbreakable
        Marks character style (:func:`~zhengji_publish.writers.docx.styles.unbreakable`), which
        keeps LibreOffice from setting its marks on two lines; a 破折号 or an ellipsis after a
        character also takes a word joiner before it, so that LibreOffice, breaking the line there by
        UAX #14, does not start a line with it (clreq 行首禁则, strict: the character before goes
        down with it, as in the PDF; after a closing mark LibreOffice started a line with
        ``……``: ``《规划纲要》`` | ``……已经落地``). So does a lone 连接号 ``—`` after a character
        (:data:`_UNITS`), in that style only where the PDF sets it a full em
        (:func:`~zhengji_publish.typeset.boxes.full_connector`)."""
        if not any(c in text for c in "…⋯—⸺"):
            return self.compressed_runs(text, marks)
        runs: builtins.list[etree._Element] = []
        at = 0
        for found in _UNITS.finditer(text):
            unit, before = found.group(), text[found.start() - 1] if found.start() else ""
            if unit == CONNECTOR and (not before or before.isspace()):
                continue  # a lone dash after a space may start a line (LibreOffice breaks at the space)
            runs += self.compressed_runs(text[at : found.start()], marks) if found.start() > at else []
            if unit[0] in "—⸺…⋯" and before and not before.isspace():
                unit = rules.WORD_JOINER + unit
            if unit.lstrip(rules.WORD_JOINER) == CONNECTOR and not full_connector(text[: found.start()]):
                runs += self.upright_runs(unit, self.mark_props(marks))  # the Latin dash, kept Latin
            else:
                runs += self.upright_runs(unit, {**self.unit_props(unit, marks), **self.tracked_unit(unit)})
            at = found.end()
        return runs + (self.compressed_runs(text[at:], marks) if at < len(text) else [])

    def tracked_unit(self, unit: str) -> Props:
        """In a style whose body is tracked (the 公文 grid, :func:`~zhengji_publish.writers.docx.styles.tracking`),
        the width scale (``w:w``, ECMA-376 Part 1 §17.3.2.43) that makes up for the tracking
        LibreOffice 7.4 leaves out around the run of an unbreakable ``unit``: it sets no negative
        spacing after the last character of a run, nor after a character before a word joiner, so
        the unit and the character before it came out one tracking wider each (0.5 pt at 三号), and
        a line with two 连接号 or 破折号 lost a character (21 of 30 paragraphs with dashes broke
        elsewhere). The marks are drawn that much narrower (a 连接号 4 %, a 破折号's two dashes 2 %
        each); Word, which tracks every character, sets the line that much shorter. {} elsewhere."""
        tracked = tracking(self.ctx, self.ctx.style.block("body"))
        count = len(unit.lstrip(rules.WORD_JOINER))
        if not tracked or not count:
            return {}
        size = self.ctx.style.block("body").size
        return {"w": {"val": math.floor(100 * (1 + 2 * tracked / 20 / (count * size)))}}

    def unit_props(self, unit: str, marks: tuple[str, ...]) -> Props:
        """The properties of the run of an unbreakable ``unit`` (:data:`~zhengji_publish.typeset.rules.JOINED_UNITS`)
        inside ``marks``: the Unbreakable Marks character style; for a 破折号 in a document whose
        楷体 does not join dashes the Dash style instead
        (:func:`~zhengji_publish.writers.docx.styles.dash_family`: the body face, with the
        Unbreakable Marks' language), the marks' other properties set on the run (a run has one
        style)."""
        if DASH_STYLE in self.marks and unit.lstrip(rules.WORD_JOINER)[:1] in ("—", "⸺"):
            return {**self._dash_props(self.mark_props(marks)), "rStyle": {"val": DASH_STYLE}}
        return self.mark_props((*marks, UNIT_STYLE))

    def gap_style(self, before: str, after: str) -> str:
        """The Gap Space style of the next typed gap space, between ``before`` and ``after``: a
        narrower one where the PDF shrinks the gap on a line pushed in
        (:attr:`~zhengji_publish.writers.docx.compression.Cuts.gaps`)."""
        return compression.gap_style_id(_next_scale(self._gaps, before, after))

    def word_style(self, before: str, after: str) -> str:
        """The Word Space style of the next typed word space, between ``before`` and ``after``,
        where the PDF squeezes it on a line pushed in
        (:attr:`~zhengji_publish.writers.docx.compression.Cuts.spaces`); "" where it keeps its width."""
        return compression.word_style_id(_next_scale(self._spaces, before, after))

    def compressed_runs(self, text: str, marks: tuple[str, ...]) -> builtins.list[etree._Element]:
        """:meth:`upright_runs` of ``text``, each mark that gives up part of its blank
        (:class:`~zhengji_publish.writers.docx.compression.Cuts`) in a run of its own in the
        Punctuation Compression style of its width (``w:w``, ECMA-376 Part 1 §17.3.2.43)."""
        props = self.mark_props(marks)
        if not self._cuts:
            return self.upright_runs(text, props)
        scales: dict[int, int] = {}  # character index → its width scale (%)
        for i, ch in enumerate(text):
            if ch not in compression.MARKS or not self._cuts:
                continue
            mark, width, cut = self._cuts.pop()
            if mark != ch:  # the PDF's text and this one part ways (an image's alt text): stop
                self._cuts = []
                break
            if cut > 0 and (percent := compression.scale(width, cut)) < 100:
                scales[i] = percent
        runs: builtins.list[etree._Element] = []
        at = 0
        for i, percent in sorted(scales.items()):
            runs += self.upright_runs(text[at:i], props) if i > at else []
            runs += self.upright_runs(text[i], self.mark_props((*marks, compression.style_id(percent))))
            at = i + 1
        return runs + (self.upright_runs(text[at:], props) if at < len(text) else [])

    def upright_runs(self, text: str, props: Props) -> builtins.list[etree._Element]:
        """:meth:`text_runs`, but in vertical text every short number
        (:func:`~zhengji_publish.typeset.rules.upright_numbers`) in a run of its own set horizontally
        in one cell of the column (縱中橫: ``w:eastAsianLayout w:vert="1"``, ECMA-376 Part 1
        §17.3.2.10, compressed to the column's width with ``w:vertCompress``). Latin words and
        longer numbers stay as Word and LibreOffice set them by default, turned 90° clockwise."""
        if self.upright is None:
            return self.text_runs(text, props)
        runs: builtins.list[etree._Element] = []
        at = 0
        for found in self.upright.finditer(text):
            runs += self.text_runs(text[at : found.start()], props) if found.start() > at else []
            layout = {"id": next(self.layout_ids), "vert": 1, "vertCompress": 1}
            runs.append(text_run(found.group(1), {**props, "eastAsianLayout": layout}))
            at = found.end()
        return runs + (self.text_runs(text[at:], props) if at < len(text) else [])

    def text_runs(self, text: str, props: Props) -> builtins.list[etree._Element]:
        """Runs holding ``text``: a URL or path (:func:`~zhengji_publish.typeset.rules.tokens`'
        pieces) in runs without kerning (:func:`unkerned`), plain Han text in portions
        (:func:`portion_runs`). A character the style's faces lack is named its face when the
        document is done (:mod:`~zhengji_publish.writers.docx.faces`)."""
        return [
            run
            for off, part in unkerned(text)
            for run in portion_runs(part, {**props, **NO_KERNING} if off else props, self.portion)
        ]

    def _dash_props(self, props: Props) -> Props:
        """``props`` of a run as direct properties, its character style's included, without the
        fonts: what a 破折号 keeps when it takes the Dash character style (a run has one style)."""
        named = props.get("rStyle")
        style = str(named.get("val")) if isinstance(named, dict) else ""
        merged: dict[str, object] = {}
        for tag, attrs in [*self.marks.get(style, {}).items(), *props.items()]:
            if tag not in ("rStyle", "rFonts") and isinstance(attrs, dict):
                before = merged.get(tag)
                merged[tag] = {**(before if isinstance(before, dict) else {}), **attrs}
        return merged

    def _rpr_list(self, marks: tuple[str, ...]) -> list[etree._Element]:
        props = self.mark_props(marks)
        return [rpr(props)] if props else []

    def mark_props(self, marks: tuple[str, ...]) -> Props:
        """The innermost mark is the run's character style; outer marks add their properties."""
        if not marks:
            return {}
        props: dict[str, dict[str, object]] = {}
        for mark in marks[:-1]:
            for tag, attrs in self.marks[mark].items():
                props[tag] = {**props.get(tag, {}), **attrs}  # type: ignore[dict-item]
        props["rStyle"] = {"val": marks[-1]}
        return dict(props)

    def link(self, node: m.Link, marks: tuple[str, ...]) -> etree._Element:
        """A real hyperlink: external relationship for URLs, bookmark anchor for ``#ident``."""
        runs = self.inlines(node.children, (*marks, "Hyperlink"))
        if node.href.startswith("#"):
            return el("hyperlink", {"anchor": bookmark_name(node.href[1:])}, *runs)
        rel = self.part.relate_to(node.href, RT.HYPERLINK, is_external=True)
        return el("hyperlink", {"r:id": rel}, *runs)

    def picture(self, image: m.Image, size: tuple[float, float] | None = None) -> etree._Element:
        """An inline picture at ``size`` (width, height, pt), else at its natural size scaled down to
        fit the measure."""
        if image.path is None or (image.data is None and not image.path.is_file()):
            return text_run(image.alt)
        # the bytes the reader prepared (rotated, RGB, 8-bit: zhengji_publish.images), else the file
        source: str | io.BytesIO = str(image.path) if image.data is None else io.BytesIO(image.data)
        _rel, picture = self.part.get_or_add_image(source)
        measure = Pt(self.ctx.style.page.measure)
        width, height = (Pt(size[0]), Pt(size[1])) if size else (Emu(min(picture.width, measure)), None)
        if isinstance(source, io.BytesIO):
            source.seek(0)
        inline = self.part.new_pic_inline(source, width=width, height=height)
        inline.docPr.id = next(self.shape_ids)  # type: ignore[assignment]  # python-docx types it as its descriptor
        inline.docPr.set("descr", image.alt)
        return el("r", None, el("drawing", None, inline))


def _next_scale(scales: list[tuple[str, str, int]], before: str, after: str) -> int:
    """The width scale (percent) of the next typed space of ``scales`` (the paragraph's, from
    :class:`~zhengji_publish.writers.docx.compression.Cuts`, the next one last), which stands
    between ``before`` and ``after``; 100 when there is none, or when the PDF's text and this one
    part ways there, which empties ``scales``."""
    if not scales:
        return 100
    a, b, percent = scales.pop()
    if (a, b) != (before, after):
        scales.clear()
        return 100
    return percent


def _each_text_run(
    content: list[etree._Element],
    edit: Callable[[etree._Element, etree._Element | None, int, list[int]], list[etree._Element] | None],
) -> list[etree._Element]:
    """``content`` (runs, and elements holding runs) with each run given to ``edit(run, t, start,
    at)``: ``t`` the run's one ``w:t`` (None when it has none or several), ``start`` how many
    characters come before the run and ``at`` each of ``t``'s characters' index, -1 for one not
    counted (characters into the text, whitespace and invisible characters left out:
    :func:`~zhengji_publish.writers.docx.compression.visible`: as the PDF's boxes count them; an
    automatic footnote reference, ``w:footnoteReference`` without ``w:customMarkFollows``
    (ECMA-376 Part 1 §17.11.14), counts as its number's digits, which the PDF sets). A list
    ``edit`` returns takes the run's place."""
    seen = 0
    holder = el("p", None, *content)
    for r in list(holder.iter(qn("w:r"))):
        texts = r.findall(qn("w:t"))
        t = texts[0] if len(texts) == 1 else None
        start, at = seen, []
        for ch in t.text or "" if t is not None else "":
            shown = bool(compression.visible(ch))
            at.append(seen if shown else -1)
            seen += shown
        if t is None:
            seen += sum(len(compression.visible(x.text or "")) for x in texts)
            # an automatic note reference shows its number, a character of the PDF's (its superscript)
            seen += sum(
                len(ref.get(qn("w:id")) or "")
                for ref in r.findall(qn("w:footnoteReference"))
                if ref.get(qn("w:customMarkFollows")) is None
            )
        made = edit(r, t, start, at)
        if made is not None:
            parent = r.getparent()
            index = parent.index(r)
            parent.remove(r)
            for k, node in enumerate(made):
                parent.insert(index + k, node)
    return list(holder)


def _run_with(r: etree._Element, text: str) -> etree._Element:
    """A copy of the run ``r`` (its properties) holding ``text``."""
    part = copy.deepcopy(r)
    set_text(part.find(qn("w:t")), text)
    return part


def broken_at(content: list[etree._Element], starts: list[int], mark: str = "") -> list[etree._Element]:
    """``content`` (runs, and elements holding runs) with a run holding ``w:br`` before each character
    counted in ``starts`` (as :func:`_each_text_run` counts them); a run split there keeps its
    properties on both sides. A line that starts after a break already there (the source's
    :class:`~zhengji_publish.model.LineBreak`) takes no second one. With ``mark``, that character
    goes into the run's text there instead of a break
    (:data:`~zhengji_publish.typeset.rules.WORD_BREAK`)."""
    wanted = set(starts)

    def edit(r: etree._Element, t: etree._Element | None, start: int, at: list[int]) -> list[etree._Element] | None:
        if r.find(qn("w:br")) is not None:
            wanted.discard(start)
        cuts = [i for i, a in enumerate(at) if a in wanted]
        if t is None or not cuts:
            return None
        wanted.difference_update(at[i] for i in cuts)
        text = t.text or ""
        pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        if mark:
            set_text(t, mark.join(pieces))
            return None
        out: list[etree._Element] = []
        for k, piece in enumerate(pieces):
            if k:
                out.append(el("r", None, el("br")))
            if piece:
                out.append(_run_with(r, piece))
        return out

    return _no_space_before_breaks(_each_text_run(content, edit))


def _no_space_before_breaks(content: list[etree._Element]) -> list[etree._Element]:
    """``content`` with each typed space that ends a line right before a break (``w:br``) in a run
    of its own scaled to 1 % (``w:w``, ECMA-376 Part 1 §17.3.2.43): the PDF's line ends before
    it (a space at a line's end is not set), and LibreOffice 7.4, where the line is full before a
    space of its width, breaks it at the space and then takes the break for a line of its own,
    empty (a heading ``…百度网盘 STOKEN`` | ``来登录百度账号`` stood a line taller than in the
    PDF, a table cell ``前端不同域 +`` | ``后端同`` a line taller; a plain space did it too). The
    space stays in the text: it reads back, and imports back, as typed."""
    out: list[etree._Element] = []
    for k, node in enumerate(content):
        after = content[k + 1] if k + 1 < len(content) else None
        breaks = after is not None and after.tag == qn("w:r") and after.find(qn("w:br")) is not None
        texts = node.findall(qn("w:t")) if node.tag == qn("w:r") else []
        if not breaks or not texts or node[-1] is not texts[-1]:
            out.append(node)
            continue
        text = texts[-1].text or ""
        kept = text.rstrip(" \t")
        if kept == text:
            out.append(node)
            continue
        if kept:
            set_text(texts[-1], kept)
            out.append(node)
            space = copy.deepcopy(node)
            for t in space.findall(qn("w:t"))[:-1]:
                space.remove(t)
            set_text(space.findall(qn("w:t"))[-1], text[len(kept) :])
        else:
            space = node
        set_run_prop(space, "w", {"val": 1})
        out.append(space)
    return out


def kept_whole(content: list[etree._Element], start: int, lang: str) -> list[etree._Element]:
    """``content`` with its characters from the ``start``-th on (as :func:`_each_text_run` counts
    them: a paragraph's short last line) held together: a word joiner before each but the first
    (:data:`~zhengji_publish.typeset.rules.WORD_JOINER`, UAX #14 WJ), in runs whose East Asian
    language is ``lang`` (``w:lang w:eastAsia``, ECMA-376 Part 1 §17.3.2.20: the edition's Chinese
    with its script, as the Unbreakable Marks style has it). LibreOffice 7.4 heeds the joiner only
    with the ICU line breaker it takes for a language with a script subtag
    (:func:`~zhengji_publish.writers.docx.styles.unbreakable`); Word heeds it in any language."""

    def edit(r: etree._Element, t: etree._Element | None, _start: int, at: list[int]) -> list[etree._Element] | None:
        first = next((i for i, a in enumerate(at) if a >= start), None)
        if t is None or first is None:
            return None
        style = r.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
        name = None if style is None else style.get(qn("w:val"))
        if name == CODE_STYLE:
            # code keeps no joiner (copied out, it must run as typed): the one before it goes at
            # the end of the run before, where it also keeps LibreOffice from adding a Han–digit
            # gap of its own beside the gap the DOCX sets (为 `8`: 0.45 em without it)
            prev = r.getprevious()
            before_t = prev.findall(qn("w:t")) if prev is not None and prev.tag == qn("w:r") else []
            if at[first] > start and len(before_t) == 1:
                set_text(before_t[0], (before_t[0].text or "") + rules.WORD_JOINER)
            set_run_prop(r, "lang", {"eastAsia": lang})
            return None
        text = t.text or ""
        joined, before = "", ""
        for ch, a in zip(text[first:], at[first:], strict=True):
            # none inside a Latin word or number: LibreOffice breaks none there, and kerns no pair
            # across a joiner (a note's last line ``University of California Press, 2005。`` came
            # out 1.4 pt wider than the PDF's and broke before ``2005。``)
            inside = before.isascii() and before.isalnum() and ch.isascii() and ch.isalnum()
            joined += (rules.WORD_JOINER if a > start and not inside else "") + ch
            before = ch
        part = _run_with(r, joined)
        if name is None or name == PORTION_STYLE:
            set_run_prop(part, "rStyle", {"val": UNIT_STYLE})  # the language, as a style says it
        else:  # a run with a style of its own (bold, a compressed mark) says it itself
            set_run_prop(part, "lang", {"eastAsia": lang})
        return ([_run_with(r, text[:first])] if first else []) + [part]

    return _each_text_run(content, edit)


def spaced(
    content: list[etree._Element],
    spacing: Sequence[tuple[int, float]],
    gaps: Sequence[tuple[int, float]] = (),
    tracked: int = 0,
) -> list[etree._Element]:
    """``content`` with character spacing (``w:spacing``, twips, ECMA-376 Part 1 §17.3.2.35: added
    after each character of the run) after the characters counted in ``spacing`` and ``gaps`` —
    (index as :func:`_each_text_run` counts, pt) each, the two added up —, rounded down to whole
    twips; the runs are split where the spacing changes. After each character counted in ``gaps``
    (the Han–Latin gaps the DOCX sets itself:
    :func:`~zhengji_publish.writers.docx.compression.untyped_gap`) a zero-width space
    (:data:`~zhengji_publish.typeset.rules.WORD_BREAK`) keeps LibreOffice from adding a gap of its
    own; the importer takes it out.

    ``tracked``: the spacing (twips) the paragraph's style gives every character, a character grid's
    tracking (:func:`~zhengji_publish.writers.docx.styles.tracking`, the 公文's 28 characters a
    line). A run's spacing replaces the style's, so a character given spacing here has the tracking
    added to it; before, each lost it (0.25 pt at 三号), and a line with a justification space or
    a gap set after eight characters held one character fewer than the PDF's. A Latin letter is not
    tracked, as the PDF tracks none (its spacing here is what it is given, 0 for none): a URL of 30
    letters was 7.4 pt narrower in LibreOffice, which spread that over the line's spaces (0.34 em
    beside the URL). A digit keeps the style's tracking: LibreOffice 7.4 adds no negative spacing
    after the last character of a run or of a script's stretch — a Han character before a
    number —, which tracking a number's other digits gives back (measured: a notice's numbers held
    the PDF's lines so, where untracked digits left 16 of 78 lines a character short)."""
    total: dict[int, float] = {}
    for at, pt in [*spacing, *gaps]:
        total[at] = total.get(at, 0.0) + pt
    wanted = {at: math.floor(pt * 20) for at, pt in total.items() if pt * 20 >= 1}
    marked = {at for at, _pt in gaps}

    def edit(r: etree._Element, t: etree._Element | None, _start: int, at: list[int]) -> list[etree._Element] | None:
        if t is None or r.find(qn("w:rPr") + "/" + qn("w:spacing")) is not None:
            return None
        text = t.text or ""
        extras = [0] * len(text)
        chars = list(text)
        for i, (ch, a) in enumerate(zip(text, at, strict=True)):
            if a >= 0 and (value := wanted.get(a, 0)):
                # LibreOffice 7.4 adds no spacing after the last character of a Latin run, which
                # a letter before a space would be: the space takes it
                extras[i + 1 if ch.isascii() and text[i + 1 : i + 2] == " " else i] += value
            if a >= 0 and a in marked:
                chars[i] += rules.WORD_BREAK
        _keep_dash_whole(text, extras)
        # a Latin letter is not tracked (as in the PDF): its spacing is what it is given, 0 for none
        values = [
            extra if tracked and ch.isascii() and ch.isalpha() else (tracked + extra if extra else None)
            for ch, extra in zip(text, extras, strict=True)
        ]
        if all(v is None for v in values) and chars == list(text):
            return None
        out = []
        for value, group in itertools.groupby(zip(chars, values, strict=True), key=lambda cv: cv[1]):
            part = _run_with(r, "".join(ch for ch, _v in group))
            if value is not None:
                set_run_prop(part, "spacing", {"val": value})
            out.append(part)
        return out

    return _each_text_run(content, edit)


_DASH_RUN = re.compile(f"{rules.WORD_JOINER}?[—⸺]{{2,}}{rules.WORD_JOINER}?")


def _keep_dash_whole(text: str, extras: list[int]) -> None:
    """Move the spacing given to the characters of a 破折号 (``——``, GB/T 15834-2011 §4.9) onto
    the word joiner beside it, after it if there is one, else before (``extras``: twips after each
    character of ``text``, changed in place). A run split inside the dash is drawn by LibreOffice as
    two dashes with a gap (``6.7%—　—这``, on a justified line); the joiner has no width, so the line
    is as long and the space moves at most the joiner's side of the dash."""
    whole = _DASH_RUN.fullmatch(text)
    if whole is None or rules.WORD_JOINER not in text:
        return
    dashes = range(1 if text[0] == rules.WORD_JOINER else 0, len(text) - (text[-1] == rules.WORD_JOINER))
    moved = sum(extras[i] for i in dashes)
    if not moved:
        return
    for i in dashes:
        extras[i] = 0
    extras[len(text) - 1 if text[-1] == rules.WORD_JOINER else 0] += moved


#: Run properties of text set without kerning (``w:kern`` 0, ECMA-376 Part 1 §17.3.2.19: kerned
#: from no font size on; Word reads 0 as off, LibreOffice 7.4 turns its pair kerning off).
NO_KERNING: Props = {"kern": {"val": 0}}


def unkerned(text: str) -> list[tuple[bool, str]]:
    """``text`` in parts, each (whether it is set without kerning, its characters): a URL or path
    (:func:`~zhengji_publish.typeset.rules.tokens`' pieces) is, as the PDF sets it — each piece, a
    place a line may break after, at its characters' own advances, so none is kerned to the next.
    LibreOffice kerns a URL whole (``//`` 0.9 pt closer at 10.5 pt), which left its line that much
    looser than the PDF's and spread it into the Han–Latin gaps beside it (0.37 em). The
    character on each side of it goes with it unless it is a space: LibreOffice adds its Han–Latin
    gap (``w:autoSpaceDE``) only inside a run (``见https://``), and the PDF kerns no URL to its
    neighbour either. Never empty: ``[(False, "")]`` for no text."""
    flags: list[bool] = []
    for kind, piece in rules.tokens(text):
        flags += [kind == "piece"] * len(piece)
    if len(flags) != len(text) or not any(flags):
        return [(False, text)]
    beside = [False, *flags[:-1]], [*flags[1:], False]  # the character before, after
    near = [f or (not ch.isspace() and (a or b)) for ch, f, a, b in zip(text, flags, *beside, strict=True)]
    groups = itertools.groupby(zip(text, near, strict=True), key=lambda c: c[1])
    return [(off, "".join(ch for ch, _o in group)) for off, group in groups]


def portion_runs(text: str, props: Props, size: int) -> builtins.list[etree._Element]:
    """Runs holding ``text``: plain text cut between two Han characters every ``size``
    (:data:`~zhengji_publish.writers.docx.styles.PORTION`; 0: never) characters, every other piece in the Text
    Portion character style (:func:`~zhengji_publish.writers.docx.styles.char_styles`), so
    LibreOffice starts a portion there. Never cut beside a Latin letter or digit: LibreOffice adds
    its Han–Latin gap (``w:autoSpaceDE``) only inside a run. Text with properties of its own (a
    character style, a face) stays one run."""
    if not size or len(text) <= size or props:
        return [text_run(text, props)]
    pieces, start = [], 0
    for i in range(size, len(text)):
        if i - start >= size and is_han(text[i - 1]) and is_han(text[i]):
            pieces.append(text[start:i])
            start = i
    pieces.append(text[start:])
    marked: Props = {"rStyle": {"val": PORTION_STYLE}}
    return [text_run(piece, marked if n % 2 else props) for n, piece in enumerate(pieces)]


_SPACES = re.compile(r"[ \t]+")  # typed spaces: a Gap Space or a word space
#: What :meth:`BodyWriter.unit_runs` keeps from starting a line: the 省略号 and 破折号 units, and a
#: lone 连接号 ``—`` (:data:`~zhengji_publish.typeset.boxes.CONNECTOR`), which the PDF never starts
#: a line with (strict: ``以北|京—上海``) and LibreOffice 7.4 did (``以北京|—上海``).
_UNITS = re.compile(rules.JOINED_UNITS.pattern + "|" + CONNECTOR)
