"""The PDF writer: the document tree set with our Chinese layout and drawn with reportlab.

The story (one flowable per block) is made first, which tells which characters each face must
hold; then each face is subset, converted to TrueType outlines and registered; then reportlab's
frames flow the story onto pages with running header, folio and a nested outline.
"""

from __future__ import annotations

import io
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    NotAtTopPageBreak,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Image as RLImage

from zhengji_publish import model as m
from zhengji_publish.context import BuildContext
from zhengji_publish.diagnostics import error
from zhengji_publish.fonts import Face, has_outlines
from zhengji_publish.plan import Emphasis
from zhengji_publish.style import BlockStyle, Style
from zhengji_publish.typeset import rules
from zhengji_publish.typeset.boxes import Box, BoxMaker, InlineStyle, Run
from zhengji_publish.typeset.linebreak import break_lines
from zhengji_publish.units import MM
from zhengji_publish.writers import lists
from zhengji_publish.writers.pdf import backend, gongwen, vertical
from zhengji_publish.writers.pdf.bookpages import FOLIO_CHARS, BookPages, Opening
from zhengji_publish.writers.pdf.draw import (
    ASCENT,
    NOTE_RULE_WEIGHT,
    FontNames,
    LazyNotes,
    NoteFrame,
    NotesFlush,
    Panel,
    TextBlock,
    TextThenClosing,
    TocLine,
    draw_cover,
    draw_line,
    note_numbers,
    walk,
)
from zhengji_publish.writers.pdf.heads import running_head
from zhengji_publish.writers.pdf.subset import truetype_subset

DIGITS = "0123456789"
CODE_PADDING = 0.6  # em of the code's size between a code block's shaded box and its text, every side
#: The rule (pt) round a code block's box, drawn in its shading's colour: part of the box.
CODE_RULE = 0.25


def code_padding(size: float) -> float:
    """The room (pt) above and below a code block's text in its shaded box, for code of ``size``
    pt: :data:`CODE_PADDING` em rounded to whole points, as the DOCX can give it (the distance of
    a paragraph's rule from its text, ``w:pBdr`` ``w:space``, is in whole points, ECMA-376 Part 1
    §17.3.1.24), and the rule :data:`CODE_RULE` the DOCX draws round it in the shading's colour.
    With 5.4 pt, the PDF's box was 0.3 pt taller than LibreOffice's (5 pt and the rule): two
    lines after a code block of seven that LibreOffice set at a page's foot went to the next page
    in the PDF, a page more in all. Left and right the room is :data:`CODE_PADDING` em itself:
    the DOCX indents the text by it to the twip, and the lines are as wide."""
    return round(size * CODE_PADDING) + CODE_RULE


NOTICE_PADDING = 0.8  # em of the notice's size between the notice's ruled box and its text, every side
NOTICE_RULE = 0.75  # pt: the notice box's rule


def notice_padding(size: float) -> float:
    """The room (pt) above and below a notice's text in its ruled box, the notice's text ``size``
    pt: :data:`NOTICE_PADDING` em rounded to whole points and the rule :data:`NOTICE_RULE`, as the
    DOCX's box has it there (``w:pBdr``: the rule stands ``w:space``, whole points, from the text,
    ECMA-376 Part 1 §17.3.1.24), the rule drawn inside that room
    (:class:`~zhengji_publish.writers.pdf.draw.Panel`). With 8.4 pt, LibreOffice's box was
    0.7 pt taller than the PDF's, and every line after a notice 0.7 pt lower. Left and right the
    room is :data:`NOTICE_PADDING` em itself, as the DOCX indents the text."""
    return round(size * NOTICE_PADDING) + NOTICE_RULE


#: A thematic break (``---``): a rule this share of the measure wide, centred, this thick (pt), with
#: this many body lines of room above and below it; the DOCX draws it as the bottom border of an
#: empty paragraph that high, so the text after it stands where the PDF sets it.
THEMATIC_BREAK_WIDTH = 0.3
THEMATIC_BREAK_RULE = 0.75
THEMATIC_BREAK_ROOM = 0.6
CELL_PADDING = 0.4  # em of the table's size between a cell's edge and its text, left and right
CELL_PADDING_V = 0.2  # em of the table's size between a cell's edge and its text, top and bottom
#: The room (pt) a page keeps above its footnotes for the short rule between them and the text:
#: 2 mm and the rule's weight, the rule in its middle. LibreOffice sets a DOCX's footnote area that
#: far under the text (its page style's 1 mm spacing to the text, the rule, 1 mm to the notes,
#: which a DOCX cannot set; measured: a note fitting with 0.5 pt to spare in 2 mm went on to the
#: next page there), and Word as high as the separator paragraph, which the DOCX makes this high;
#: with a footnote line's room (13.5 pt) a page with notes held a line less than LibreOffice's
#: layout of the DOCX.
NOTE_RULE_ROOM = 2 * MM + NOTE_RULE_WEIGHT


def inline_style(bs: BlockStyle) -> InlineStyle:
    """The plain text style of a block."""
    return InlineStyle(role=bs.font, bold=bs.bold, size=bs.size, color=bs.color)


class _Story:
    """Maps document blocks onto flowables."""

    measure: float  # the frame's width (pt), set once the page geometry is known
    frame_height: float  # the frame's height (pt)

    def __init__(self, ctx: BuildContext, maker: BoxMaker, fonts: FontNames) -> None:
        self.ctx = ctx
        self.style = ctx.style
        self.maker = maker
        self.fonts = fonts
        self.outline_level = -1
        self.anchors = {h.ident for h in m.headings(ctx.doc)}  # "#id" link targets the PDF has
        self.book: BookPages | None = None  # a book's page state: its openings report to it
        self.source = ctx.doc.source  # the file the blocks being set come from (a book's chapter)
        self.notes: dict[int, Flowable] = {}  # the footnotes as set (:meth:`footnotes`), by number
        # where closed paragraphs break over a page (TextThenClosing): id of the paragraph → its lines on the first page
        self.closings: dict[int, int] = {}

    # -- inline
    def base(self, bs: BlockStyle) -> InlineStyle:
        return inline_style(bs)

    def runs(self, nodes: list[m.Inline], st: InlineStyle) -> list[Run]:
        out: list[Run] = []
        for n in nodes:
            if isinstance(n, m.Text):
                out.append(Run(n.text, st))
            elif isinstance(n, m.Code):
                out.append(Run(n.text, replace(st, role="mono", east_asian_role="", code=True, bold=False)))
            elif isinstance(n, m.Strong):
                out += self.runs(n.children, replace(st, bold=True))
            elif isinstance(n, m.Emph):
                emph = self.ctx.plan.emphasis
                sub = (
                    replace(st, east_asian_role="kai")  # its Latin letters and digits stay in st.role
                    if emph is Emphasis.KAI
                    else replace(st, dots=True)
                    if emph is Emphasis.DOTS
                    else replace(st, bold=True)
                )
                out += self.runs(n.children, sub)
            elif isinstance(n, m.Strike):
                out += self.runs(n.children, replace(st, strike=True))
            elif isinstance(n, m.Link):
                if n.href.startswith("#") and n.href[1:] not in self.anchors:
                    # reportlab fails on it; the reader has warned (anchors.resolve_links)
                    out += self.runs(n.children, st)
                    continue
                out += self.runs(n.children, replace(st, href=n.href, color=self.style.colors["link"]))
            elif isinstance(n, m.FootnoteRef):
                out.append(
                    Run(
                        str(n.shown or n.number),
                        replace(
                            st,
                            sup=True,
                            href=f"#fn-{n.number}",
                            color=self.style.colors["link"],
                            anchor=f"fnref-{n.number}",
                        ),
                    )
                )
            elif isinstance(n, m.Image):
                out.append(Run(n.alt, st))
            elif isinstance(n, m.LineBreak):
                out.append(Run("\n", st, hard=True))
        return out

    def text_block(
        self,
        nodes: list[m.Inline],
        role: str,
        *,
        indent: bool = True,
        margin: float = 0.0,
        label: str = "",
        outline: tuple[int, str, str] | None = None,
        keep: bool = False,
        bstyle: BlockStyle | None = None,
        first_run: str = "",
    ) -> TextBlock:
        bs = bstyle or self.style.block(role)
        st = self.base(bs)
        runs = ([Run(first_run, st)] if first_run else []) + self.runs(nodes, st)
        boxes = self.maker.boxes(runs)
        label_boxes = self.maker.boxes([Run(label, st)]) if label else None
        return TextBlock(
            boxes,
            bs,
            self.fonts,
            first_indent=bs.indent * bs.size * (1 + self.maker.tracking) if indent else 0.0,
            label=label_boxes,
            margin_left=margin,
            outline=outline,
            keep_with_next=keep,
        )

    # -- blocks
    def blocks(self, blocks: list[m.Block], role: str = "body", margin: float = 0.0) -> list[Flowable]:
        out: list[Flowable] = []
        run_break: CondPageBreak | None = None  # the break before the heading run being made
        run: list[Flowable] = []  # the run's headings
        for i, b in enumerate(blocks):
            if isinstance(b, m.Heading) and not (i and isinstance(blocks[i - 1], m.Heading)):
                run_break, run = CondPageBreak(self._heading_run_height(blocks[i:])), []
                out.append(run_break)
            made = self.block(b, role, margin)
            if isinstance(b, m.Heading):
                run += made
            elif run_break is not None:
                if isinstance(b, (m.Paragraph, m.ListBlock, m.BlockQuote)) and made and isinstance(made[0], TextBlock):
                    # the break keeps room for the paragraph's (the first list item's or quoted
                    # paragraph's) first lines under the run, so it may split there instead of
                    # taking the run to the next page
                    run_break.height = self._room_under_run(run, made[0])
                    out[-1].keepWithNext = False
                elif isinstance(b, m.Table) and made and isinstance(made[0], TextTable):
                    # a table splits between rows, its header repeated: the run keeps with its
                    # first rows only, as w:keepNext keeps a paragraph with a table's first row
                    head = backend.head_rows_height(made[0], made[0].repeatRows + 1, self.measure)
                    run_break.height = self._room_over(run, made[0], head)
                    out[-1].keepWithNext = False
                elif isinstance(b, m.CodeBlock) and made and isinstance(made[0], Panel):
                    # a code block splits between its lines (one paragraph under widow control in
                    # the DOCX): the run keeps with its first lines only
                    run_break.height = self._room_over(run, made[0], made[0].least_head(self.measure))
                    out[-1].keepWithNext = False
                run_break = None
            for f in made:  # the innermost block's line wins: it is the one a too-large error names
                if not hasattr(f, "source_line"):
                    f.source_line, f.source_path = b.line, self.source
            if i and self._closes(blocks[i - 1], b) and made and isinstance(out[-1], TextBlock):
                # a closing byline never stands alone at the top of a page: the paragraph's last
                # lines go with it (TextThenClosing), as w:keepNext takes them in the DOCX
                out[-1] = TextThenClosing(out[-1], made, id(blocks[i - 1]), self.closings)
                continue
            out += made
        return out

    def _closes(self, before: m.Block, b: m.Block) -> bool:
        """Whether ``b`` is a byline closing the paragraph ``before`` (a paragraph without footnotes:
        see :class:`~.draw.TextThenClosing`), in horizontal text."""
        return (
            m.closes(before, b)
            and isinstance(before, m.Paragraph)
            and not any(isinstance(n, m.FootnoteRef) for n in before.children)
            and not self.ctx.plan.vertical
        )

    def _heading_run_height(self, blocks: list[m.Block]) -> float:
        """Room a run of consecutive headings needs at a page's foot: the headings and the fewest
        lines a paragraph may leave there (:data:`~zhengji_publish.typeset.rules.MIN_LINES_AT_PAGE_BREAK`),
        as Word's keep-with-next and widow control keep them (``w:keepNext``, ``w:widowControl``),
        so the DOCX breaks its pages where the PDF does. Between two headings the larger of the
        first's space after and the second's space before, as reportlab's frame sets them
        (:meth:`_stacked`).

        One conditional page break stands before the whole run, so nothing comes between a
        heading and what follows it (each heading keeps with the next flowable).
        """
        height, after = rules.MIN_LINES_AT_PAGE_BREAK * self.style.block("body").line_height, None
        for b in blocks:
            if not isinstance(b, m.Heading):
                break
            hs = self.style.heading(b.level)
            height += (hs.space_before if after is None else max(0.0, hs.space_before - after)) + hs.line_height
            height += hs.space_after
            after = hs.space_after
        return height - 0.01  # lines that fill the room exactly fit, whatever the float error

    def _stacked(self, run: list[Flowable], then: Flowable) -> float:
        """The height (pt) of ``run`` set one under another and of the space before ``then`` under
        it, as reportlab's frame sets them: a flowable's space before less the space after of the one
        above it, never below 0 (``overlapAttachedSpace``: the larger of the two), the first's in
        full (the conditional page break before a heading run has none after it). Word and
        LibreOffice space the DOCX's paragraphs so (``BodyWriter.join_spacing``). Before, the two
        spaces were added: a run of two headings over two lines that fitted at a page's foot in
        LibreOffice went to the next page in the PDF (34 pages against 33)."""
        height, after = 0.0, None
        for f in [*run, then]:
            before = f.getSpaceBefore()
            height += before if after is None else max(0.0, before - after)
            if f is not then:
                height += f.wrap(self.measure, 1e9)[1] + f.getSpaceAfter()
                after = f.getSpaceAfter()
        return height

    def _room_under_run(self, run: list[Flowable], paragraph: TextBlock) -> float:
        """Room (pt) a heading run and the paragraph after it need at a page's foot: the headings
        as set, with their spacing (:meth:`_stacked`), the fewest of the paragraph's lines a page
        may end with (all of them when the paragraph cannot split and keep that many on each
        page), and the footnotes those lines reference with the gap above them — a page's foot
        holds the notes of the lines set on it (:class:`~.draw.NoteFrame`), and without that room
        the paragraph would go on alone, leaving its headings at the end of the page.

        Lengths run along the frame's height: down the page in horizontal text, across the
        columns (the column advance) on a turned vertical page."""
        lines = round(paragraph.wrap(self.measure, 1e9)[1] / paragraph.pitch)  # it takes its margins off
        least = rules.MIN_LINES_AT_PAGE_BREAK if lines >= 2 * rules.MIN_LINES_AT_PAGE_BREAK else lines
        body = least * paragraph.pitch
        numbers = [n for n in dict.fromkeys(note_numbers(paragraph, least)) if n in self.notes]
        if numbers:
            notes = sum(self.notes[n].wrap(self.measure, 1e9)[1] for n in numbers)
            notes = min(notes, self.frame_height / 2)  # longer notes are split, their rest carried on
            body += NOTE_RULE_ROOM + notes
        return self._stacked(run, paragraph) + body - 0.01

    def _room_over(self, run: list[Flowable], first: Flowable, head: float) -> float:
        """Room (pt) a heading run and the block after it need at a page's foot: the headings as
        set, with their spacing and the space before the block (:meth:`_stacked`), and ``head``,
        the least of the block a page may end with. LibreOffice keeps a paragraph with
        ``w:keepNext`` on the page of what follows it and splits that as it may: a table between
        rows (``w:cantSplit``) repeating its header (``w:tblHeader``, ECMA-376 §17.4.49), so its
        header and first row (reportlab's ``repeatRows`` split never leaves the header alone); a
        code block, one paragraph under widow control, after its first lines
        (:meth:`~.draw.Panel.least_head`). Before, the PDF carried the heading with the whole
        table or code block to the next page: an e-book of a command-line tool's manual had 63
        pages against LibreOffice's 59."""
        return self._stacked(run, first) + head - 0.01

    def block(self, b: m.Block, role: str, margin: float) -> list[Flowable]:
        if isinstance(b, m.Heading):
            level = min(b.level - 1, self.outline_level + 1)
            self.outline_level = level
            title = m.plain_text(b.children)
            flow = self.text_block(
                b.children, f"h{min(b.level, 6)}", outline=(level, title, b.ident), keep=True, margin=margin
            )
            return [flow]
        if isinstance(b, m.Paragraph):
            return [self.text_block(b.children, role, margin=margin)]
        if isinstance(b, m.Div):
            return self.div(b, margin)
        if isinstance(b, m.BlockQuote):
            return self.blocks(b.children, "blockquote", margin)
        if isinstance(b, m.ListBlock):
            return self.list_block(b, role, margin)
        if isinstance(b, m.CodeBlock):
            return [self.code(b, margin)]
        if isinstance(b, m.Table):
            return [self.table(b, margin)]
        if isinstance(b, m.Figure):
            return [self.figure(b)]
        if isinstance(b, m.ThematicBreak):
            return [
                HRFlowable(
                    width=f"{THEMATIC_BREAK_WIDTH * 100:g}%",
                    thickness=THEMATIC_BREAK_RULE,
                    color=HexColor(self.style.colors["rule"]),
                    spaceBefore=self.style.block("body").line_height * THEMATIC_BREAK_ROOM,
                    spaceAfter=self.style.block("body").line_height * THEMATIC_BREAK_ROOM,
                    hAlign="CENTER",
                )
            ]
        return []

    def div(self, d: m.Div, margin: float) -> list[Flowable]:
        if m.is_opening(d) and self.book is not None:  # a book's part, chapter or front page
            outer, self.source = self.source, d.source or self.source
            try:
                return [Opening(self.book, d.cls, m.opening_title(d)), *self.blocks(d.children, "body", margin)]
            finally:
                self.source = outer
        if m.is_page_break(d):  # a forced page break (none on a page still empty): what it holds starts the next page
            return [NotAtTopPageBreak(), *self.blocks(d.children, "body", margin)]
        if d.cls in ("subtitle", "byline", "caption"):
            out: list[Flowable] = []
            for child in d.children:
                if isinstance(child, m.Paragraph):
                    out.append(self.text_block(child.children, d.cls, indent=False, margin=margin))
                else:
                    out += self.block(child, d.cls, margin)
            return out
        if d.cls == "notice":
            bs = self.style.block("notice")
            content = []
            for child in d.children:
                if isinstance(child, m.Heading):
                    hs = replace(self.style.heading(child.level), margin_left=0.0, margin_right=0.0, space_before=0.0)
                    level = min(child.level - 1, self.outline_level + 1)
                    self.outline_level = level
                    content.append(
                        self.text_block(
                            child.children, "", bstyle=hs, outline=(level, m.plain_text(child.children), child.ident)
                        )
                    )
                elif isinstance(child, m.Paragraph):
                    content.append(
                        self.text_block(
                            child.children,
                            "notice",
                            bstyle=replace(bs, margin_left=0.0, margin_right=0.0, space_before=0.0, space_after=0.0),
                        )
                    )
                else:  # the panel keeps its content together: an inner KeepTogether cannot wrap in it
                    content += [
                        part
                        for f in self.block(child, "notice", 0.0)
                        for part in (backend.grouped(f) if isinstance(f, KeepTogether) else [f])
                    ]
            panel = Panel(
                content,
                bs.background,
                bs.border,
                bs.size * NOTICE_PADDING,
                margin + bs.margin_left,
                bs.margin_right,
                bs.space_before,
                bs.space_after,
                padding_v=notice_padding(bs.size),
                rule=NOTICE_RULE,
            )
            return [KeepTogether([panel])]
        return self.blocks(d.children, "body", margin)

    def list_block(self, lst: m.ListBlock, role: str, margin: float) -> list[Flowable]:
        body = self.style.block(role if role != "body" else "body")
        indent = margin + lists.level_indent(body.size, self.maker.tracking)
        out: list[Flowable] = []
        for k, item in enumerate(lst.items):
            label = lists.label(lst.ordered, lst.start + k)
            first = True
            for child in item.children:
                if isinstance(child, m.Paragraph):
                    out.append(
                        self.text_block(child.children, role, indent=False, margin=indent, label=label if first else "")
                    )
                else:
                    out += self.block(child, role, indent)
                first = False
        return out

    def code(self, c: m.CodeBlock, margin: float) -> Flowable:
        bs = self.style.block("code")
        st = replace(self.base(bs), role="mono", code=True)
        lines = []
        line_style = replace(bs, space_before=0, space_after=0, margin_left=0, margin_right=0)
        for text in c.text.split("\n"):
            text = text.expandtabs(4)
            code = text.lstrip(" ")
            boxes = self.maker.boxes([Run(code or " ", st)])
            indent = (len(text) - len(code)) * self._mono_space(st)
            # a typed line wrapped in two is split by a page break as any two lines of the block
            # are (the block is one paragraph in the DOCX, whose widow control the panel keeps)
            lines.append(TextBlock(boxes, line_style, self.fonts, align="left", first_indent=indent, min_lines=1))
        return Panel(
            lines,
            bs.background,
            "",
            bs.size * CODE_PADDING,
            margin + bs.margin_left,
            bs.margin_right,
            bs.space_before,
            bs.space_after,
            one_paragraph=True,
            padding_v=code_padding(bs.size),
        )

    def _mono_space(self, st: InlineStyle) -> float:
        from zhengji_publish.fonts.metrics import metrics

        return metrics(self.maker.face(" ", st)).advance(" ") * st.size

    def table_cells(self, t: m.Table) -> list[list[TextBlock]]:
        """The cells of table ``t`` as text blocks, row by row (the header first), each row as
        many as the widest row has (an empty one where a row is short): in the table's style, the
        header's bold, each aligned as its column (left when the source does not say), without space
        before or after. The PDF sets them (:meth:`table`) and the DOCX breaks its cells' lines as
        they break."""
        bs = self.style.block("table")
        head = replace(bs, bold=True)
        align_of = {"left": "left", "center": "center", "right": "right"}
        ncols = max([len(t.header)] + [len(r) for r in t.rows]) if (t.header or t.rows) else 0
        rows = []
        for r, row in enumerate([t.header] + t.rows):
            cells = []
            for ci in range(ncols):
                cell = row[ci] if ci < len(row) else m.TableCell([])
                a = t.aligns[ci] if ci < len(t.aligns) and t.aligns[ci] else "left"
                cells.append(
                    self.text_block(
                        cell.children,
                        "table",
                        indent=False,
                        bstyle=replace(
                            head if r == 0 else bs, align=align_of.get(a, "left"), space_before=0, space_after=0
                        ),
                    )
                )
            rows.append(cells)
        return rows

    def table(self, t: m.Table, margin: float) -> Flowable:
        bs = self.style.block("table")
        rows = self.table_cells(t)
        ncols = len(rows[0]) if rows else 0
        measure = self.measure - margin
        least = least_width(column_content(rows), bs.size)
        if least > measure + 0.01:
            raise error(
                f"the table has {ncols} columns, too many for the page's width",
                f"they need {least:.0f} pt at the least (3 characters each, a column of shorter text its own "
                f"width) and the text is {measure:.0f} pt wide; split the table or turn it into a list",
                self.source,
                t.line,
                1,
            )
        widths = column_widths(rows, measure, bs.size)
        table = TextTable(rows, colWidths=widths, repeatRows=1 if t.header else 0, hAlign="CENTER")
        table.face = (self.fonts, self.ctx.fonts.primary(bs.font))
        rule = HexColor(self.style.colors["rule"])
        table.setStyle(
            TableStyle(
                [
                    ("LINEABOVE", (0, 0), (-1, 0), 0.9, rule),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.5, rule),
                    ("LINEBELOW", (0, -1), (-1, -1), 0.9, rule),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), bs.size * CELL_PADDING),
                    ("RIGHTPADDING", (0, 0), (-1, -1), bs.size * CELL_PADDING),
                    ("TOPPADDING", (0, 0), (-1, -1), bs.size * CELL_PADDING_V),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), bs.size * CELL_PADDING_V),
                ]
            )
        )
        table.spaceBefore = table.spaceAfter = self.style.block("body").line_height * 0.5
        return table

    def figure(self, f: m.Figure) -> Flowable:
        import io

        if f.image.data is not None:  # prepared by the reader: rotated, RGB, 8-bit (zhengji_publish.images)
            source: str | io.BytesIO = io.BytesIO(f.image.data)
        else:
            assert f.image.path is not None, "the reader keeps a figure only with its image's data or file"
            source = str(f.image.path)
        width, height = figure_size(figure_pixels(f.image), self.measure, self.frame_height, self.ctx.plan.vertical)
        img: Flowable
        if self.ctx.plan.vertical:  # the frame is turned: its width runs down the page
            img = vertical.UprightImage(source, width, height)
        else:
            img = RLImage(source, width=width, height=height)
            img.hAlign = "CENTER"
        parts: list[Flowable] = [Spacer(1, self.style.block("body").line_height * 0.3), img]
        if f.caption:
            parts.append(self.text_block(f.caption, "caption", indent=False))
        return KeepTogether(parts)

    def toc(self, pages: dict[str, int]) -> list[Flowable]:
        """Contents: every heading to the style's depth, with its page (blank in the first pass);
        in a book, the page's folio (:meth:`BookPages.folio`)."""
        contents = self.ctx.plan.contents
        out: list[Flowable] = [self.text_block([m.Text(contents.title)], "h1", indent=False)]
        bs = self.style.block("body")
        for h in m.headings(self.ctx.doc):
            if h.level > contents.depth:
                continue
            st = replace(inline_style(bs), href=f"#{h.ident}")
            # the whole entry links to the heading, also where the heading's text holds a link of its own
            title = self.maker.boxes(
                [replace(r, style=replace(r.style, href=f"#{h.ident}")) for r in self.runs(h.children, st)]
            )
            page = pages.get(h.ident)
            numerals = self.style.numerals
            folio = "" if page is None else self.book.folio(page) if self.book else vertical.page_number(page, numerals)
            number = self.maker.boxes([Run(folio or vertical.page_number(0, numerals) * 3, st)])
            out.append(
                TocLine(
                    title, number, bs, self.fonts, indent=(h.level - 1) * 2 * bs.size, blank_number=h.ident not in pages
                )
            )
        return out

    def notes_rule(self) -> Flowable:
        """The short rule above a chapter's notes: a quarter of the measure, as over a page's notes."""
        note = self.style.block("footnote")
        return HRFlowable(
            width="25%",
            thickness=0.5,
            color=HexColor(self.style.colors["rule"]),
            hAlign="LEFT",
            spaceBefore=self.style.block("body").line_height,
            spaceAfter=note.line_height / 2,
        )

    def footnotes(self, notes: list[m.Footnote], lazy: bool = False) -> dict[int, Flowable]:
        """Each footnote as one flowable, set at the foot of the page that references it; ``lazy``:
        each made when first looked up and dropped once its page is drawn (:class:`~.draw.LazyNotes`)."""
        out = LazyNotes(notes, self.footnote) if lazy else {fn.number: self.footnote(fn) for fn in notes}
        self.notes = out
        return out

    def note_label(self, fn: m.Footnote, st: InlineStyle) -> list[Run]:
        """What opens a footnote's first paragraph in style ``st``: its number, full size on the
        baseline and linked back to the reference, and a space, which stands before an opening
        mark too (a space beside a Chinese mark is dropped in the text: ``1《`` had run together)."""
        link = replace(
            st, anchor=f"fn-{fn.number}", href=f"#fnref-{fn.number}", color=self.style.colors["link"], label=True
        )
        return [Run(f"{fn.shown or fn.number}", link), Run(" ", st)]

    def footnote(self, fn: m.Footnote) -> Flowable:
        """One footnote as one flowable, its number anchoring the references' links."""
        bs = self.style.block("footnote")
        parts: list[Flowable] = []
        st = self.base(bs)
        label = self.note_label(fn, st)
        if not fn.children or not isinstance(fn.children[0], m.Paragraph):  # the number still anchors
            parts.append(
                TextBlock(self.maker.boxes(label[:1]), replace(bs, space_before=0.0, space_after=0.0), self.fonts)
            )
        for child in fn.children:
            if isinstance(child, m.Paragraph):
                boxes = self.maker.boxes((label if not parts else []) + self.runs(child.children, st))
                parts.append(TextBlock(boxes, replace(bs, space_before=0.0, space_after=0.0), self.fonts))
            else:
                parts += self.block(child, "footnote", 0.0)
        return parts[0] if len(parts) == 1 else Panel(parts, "", "", 0.0)


class TextTable(Table):
    """A reportlab table of our own text blocks. reportlab sets each cell's font before drawing it
    (its default, Helvetica, a standard font no PDF of ours embeds) although no cell draws text of
    its own: the cells are given the table's registered face instead, so no unembedded font is
    named in the PDF (PDF/X and preflight checks reject those)."""

    face: tuple[FontNames, Face] | None = None  # the names of the registered faces, the table's face

    def draw(self) -> None:
        if self.face is not None:  # registered by now: the faces are subset once the story is made
            names, face = self.face
            self.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), names(face))]))
            self.face = None
        super().draw()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 (reportlab's names)
        parts = super().split(availWidth, availHeight)
        for part in parts:  # a table broken over pages: each part names the face too
            if isinstance(part, TextTable):
                part.face = self.face
        return parts


def _chapter_opens(flowable: Flowable) -> bool:
    """Whether ``flowable`` holds a level-1 heading (a chapter's, an article's)."""
    return any(getattr(part, "outline", None) and part.outline[0] == 0 for part in walk(flowable))


def chapter_notes(flow: list[Flowable], notes: dict[int, Flowable], rule: Callable[[], Flowable]) -> list[Flowable]:
    """``flow`` with the notes each chapter references set at its end, after a short ``rule``
    (style ``text.footnotes: chapter``): a chapter runs from one level-1 heading to the next. In
    vertical text the chapter's end is the left end of its last column's page, so the notes read
    after the text, right to left. Notes are set once, at the end of the chapter that first
    references them."""
    out: list[Flowable] = []
    pending: list[int] = []
    done: set[int] = set()

    def flush() -> None:
        if pending:
            out.append(rule())
            out.extend(notes[n] for n in pending)
            done.update(pending)
            pending.clear()

    for flowable in flow:
        if _chapter_opens(flowable):
            flush()
        out.append(flowable)
        new = dict.fromkeys(note_numbers(flowable))
        pending += [n for n in new if n in notes and n not in done and n not in pending]
    flush()
    return out


def column_widths(rows: list[list[TextBlock]], measure: float, size: float) -> list[float]:
    """The widths (pt) of the columns of a table of ``rows`` (:meth:`_Story.table_cells`) in
    ``measure`` pt, its text ``size`` pt: the columns share the measure by their content
    (:func:`share_measure`), a cell's content its boxes and the gaps between them (the Han–Latin
    gap of ``2001年`` too), on one line, none narrower than its widest unbreakable piece
    (:func:`column_least`). The PDF's table and the DOCX's grid (``w:gridCol``) take these widths."""
    if not rows or not rows[0]:
        return []
    return share_measure(column_content(rows), measure, size, column_least(rows))


def column_content(rows: list[list[TextBlock]]) -> list[float]:
    """The width (pt) of each column's widest content set on one line: its boxes and the gaps
    between them, without the cells' padding."""
    return [max(sum(b.width + b.glue for b in row[c].boxes) for row in rows) for c in range(len(rows[0]))]


def column_least(rows: list[list[TextBlock]]) -> list[float]:
    """The width (pt) of each column's widest piece that no line may break inside, without the
    cells' padding: a word, a number, or ``（GDP）`` held whole by the line-start and line-end
    prohibitions (clreq §3.1.7 行首行尾禁则); CSS's min-content width. A column narrower than this
    overflows its cell in the PDF and is broken against the prohibitions by LibreOffice."""
    least = []
    for c in range(len(rows[0])):
        widest = 0.0
        for row in rows:
            piece = 0.0
            for i, box in enumerate(row[c].boxes):
                if i == 0 or box.can_break or box.forced:
                    piece = box.width  # a line starting here drops the glue before it
                else:
                    piece += box.glue + box.width
                widest = max(widest, piece)
        least.append(widest)
    return least


def least_width(content: list[float], size: float, least: list[float] | None = None) -> float:
    """The narrowest a table with columns of ``content`` widths (pt, :func:`column_content`) can be
    set, padding included: 3 characters of ``size`` pt a column, a column of shorter text its own
    width (a number, an emoji, ``4M``); with ``least`` (:func:`column_least`), a column's widest
    unbreakable piece when that is wider. :func:`share_measure` never sets a column narrower."""
    return sum(_floors(content, size, least))


def _floors(content: list[float], size: float, least: list[float] | None) -> list[float]:
    """Each column's narrowest width (pt, padding included) for :func:`least_width`."""
    pieces = least or [0.0] * len(content)
    return [min(w, max(3 * size, p)) + b_pad(size) for w, p in zip(content, pieces, strict=True)]


def share_measure(content: list[float], measure: float, size: float, least: list[float] | None = None) -> list[float]:
    """Column widths (pt) from the widest content of each column (pt, without padding): the
    natural widths when they fit the measure. Else, as browsers lay out an automatic table, a
    column whose content fits its even share of what is left keeps its natural width (a year, a
    number, a short name never wraps: ``2001年`` stays whole), and the wide columns share the rest
    in proportion to their content, none narrower than 3 characters or, when the measure has room
    for them all, its widest unbreakable piece (``least``, :func:`column_least`). The PDF and the
    DOCX set tables with these widths."""
    natural = [w + b_pad(size) for w in content]
    if sum(natural) <= measure:
        return natural
    # no column narrower than its widest unbreakable piece when the table can be set so: one whose
    # share would be narrower takes that width and the others share the rest again; else none
    # narrower than 3 characters (a long word in a narrow column then breaks where it must)
    whole = least is not None and least_width(content, size, least) <= measure
    floors = _floors(content, size, least if whole else None)
    widths: list[float | None] = [None] * len(natural)
    left, wide = measure, list(range(len(natural)))
    narrow: list[int] = [-1]
    while narrow and wide:
        share = left / len(wide)
        narrow = [c for c in wide if natural[c] <= share]
        for c in narrow:
            widths[c] = natural[c]
            left -= natural[c]
            wide.remove(c)
    floored = [-1] if whole else []
    while floored and wide:
        total = sum(natural[c] for c in wide)
        floored = [c for c in wide if left * natural[c] / total < floors[c]]
        for c in floored:
            widths[c] = floors[c]
            left -= floors[c]
            wide.remove(c)
    total = sum(natural[c] for c in wide)
    for c in wide:
        widths[c] = max(floors[c], left * natural[c] / total)
    out = [w or 0.0 for w in widths]
    scale = min(1.0, measure / sum(out))
    return [w * scale for w in out]


def b_pad(size: float) -> float:
    """What a column (pt) holds besides its content, its text ``size`` pt: the cell's padding left
    and right (:data:`CELL_PADDING`) and 1 pt to spare."""
    return 2 * CELL_PADDING * size + 1


@dataclass(frozen=True)
class Geometry:
    """Where the text block sits on the page, and the grids it keeps."""

    left: float
    measure: float
    height: float
    tracking: float  # extra advance of each CJK character, in em (negative: set closer)
    pitch: float | None  # fixed line pitch of a line grid (None: each block's own leading)


def figure_pixels(image: m.Image) -> tuple[int, int]:
    """The picture's size in pixels: as the reader prepared it, else its file's."""
    if image.data is not None or image.path is None:
        return image.size
    from PIL import Image as PILImage

    with PILImage.open(image.path) as im:
        return im.size


def figure_size(pixels: tuple[int, int], measure: float, height: float, vertical: bool = False) -> tuple[float, float]:
    """The size (width, height, pt) a figure's picture of ``pixels`` is set at in a type area of
    ``measure`` by ``height`` pt: a pixel a point, a picture narrower than 200 px up to twice that,
    none wider than 90 % of the measure nor taller than 45 % of the type area's height (a picture
    and its caption keep room for text on their page). ``vertical``: the page is turned
    (:mod:`.vertical`), the picture's width limited by the 45 % and its height by the 90 %. The
    PDF and the DOCX (``wp:extent``) set figures at it."""
    w, h = pixels
    widest, tallest = measure * 0.9, height * 0.45
    fit = min(tallest / w, widest / h) if vertical else min(widest / w, tallest / h)
    scale = min(fit, 1.0 if w > 200 else 2.0)
    return w * scale, h * scale


def geometry(style: Style, vertical: bool = False) -> Geometry:
    """The type area, snapped to whole characters, and the character and line grids.

    Without ``chars-per-line`` the measure shrinks to a whole number of body characters (centred in
    the margins), so justified lines need no spreading at all. With it, the measure is that many
    characters; if they are wider than the type area (GB/T 9704: 28 三号 characters in 156 mm),
    characters are drawn slightly closer instead. ``lines-per-page`` fixes a line pitch that fills
    the type area's height, in whole twentieths of a point (rounded down so the lines fit): the
    pitch the DOCX's grid carries (``w:docGrid w:linePitch`` is in twips), so a page of either
    holds its lines at the same heights. ``vertical``: the geometry of the turned page (:mod:`.vertical`),
    a line being a column down the type area's height, the lines following each other across its width.
    """
    page, body = style.page, style.block("body")
    avail = page.measure
    if vertical:  # a column runs down the page: the turned page's width is its height
        avail = page.height - page.top - page.bottom
    chars = page.chars_per_line or int(avail // body.size)
    measure = min(avail, chars * body.size)
    tracking = (avail / chars - body.size) / body.size if chars * body.size > avail else 0.0
    # the type area's height as the DOCX gives it (page size and margins in whole twips, w:pgSz and
    # w:pgMar, ECMA-376 Part 1 §17.6.13, §17.6.11): an e-book page's was 0.02 pt taller in
    # LibreOffice, whose last line fitted where the PDF's went to the next page
    height = (round(page.height * 20) - round(page.top * 20) - round(page.bottom * 20)) / 20
    start = page.left
    if vertical:
        height, start = page.width - page.left - page.right, page.top
    pitch = int(height / page.lines_per_page * 20) / 20 if page.lines_per_page else None
    return Geometry(start + (avail - measure) / 2, measure, height, tracking, pitch)


def on_grid(style: Style, pitch: float) -> Style:
    """Every block's line height and spacing in whole multiples of the grid's line pitch."""
    blocks = {}
    for role, bs in style.blocks.items():
        lines = max(1, round(bs.size * bs.leading / pitch))
        blocks[role] = replace(
            bs,
            leading=lines * pitch / bs.size,
            space_before=round(bs.space_before / pitch) * pitch,
            space_after=round(bs.space_after / pitch) * pitch,
        )
    return replace(style, blocks=blocks)


def write(ctx: BuildContext, dest: Path) -> None:
    grid_ctx, story, flow, furniture, geo, fonts = _prepare(ctx)
    if (
        ctx.plan.contents.enabled and ctx.meta.gongwen is None
    ):  # a first pass finds the page of every heading; the second prints them
        pages: dict[str, int] = {}
        _build(grid_ctx, None, flow, furniture, geo, fonts, pages)
        _remember(ctx, _folios(ctx, furniture.book, pages), _pagination(furniture))
        flow = story(pages)
    _build(grid_ctx, dest, flow, furniture, geo, fonts, {})


# What the PDF's first pass found (heading folios, pagination), by document, for a DOCX of the
# same edition and style built in the same process, or for the DOCX's second question: the first
# pass is not run twice. (document, style, folios, pagination) by id(document).
_PAGES: dict[int, tuple[weakref.ref[m.Document], Style, dict[str, str], Pagination]] = {}


def _remember(ctx: BuildContext, folios: dict[str, str], pagination: Pagination) -> None:
    key = id(ctx.doc)
    _PAGES[key] = (weakref.ref(ctx.doc, lambda _ref: _PAGES.pop(key, None)), ctx.style, folios, pagination)


def _first_pass(ctx: BuildContext) -> tuple[dict[str, str], Pagination]:
    """The heading folios and the :class:`Pagination` of the edition in ``ctx`` from the PDF
    writer's first pass (laid out, drawn to memory and dropped), or what a PDF or DOCX of the same
    document and style found already in this process."""
    known = _PAGES.get(id(ctx.doc))
    if known is not None and known[0]() is ctx.doc and known[1] == ctx.style:
        return known[2], known[3]
    grid_ctx, _story, flow, furniture, geo, fonts = _prepare(ctx)
    pages: dict[str, int] = {}
    _build(grid_ctx, None, flow, furniture, geo, fonts, pages)
    folios, pagination = _folios(ctx, furniture.book, pages), _pagination(furniture)
    _remember(ctx, folios, pagination)
    return folios, pagination


def _pagination(furniture: _Furniture | vertical.Furniture) -> Pagination:
    """What a layout's page breaks decided for the DOCX (vertical text: nothing)."""
    if not isinstance(furniture, _Furniture):
        return Pagination()
    return Pagination(furniture.record.breaks, dict(furniture.closings))


def _folios(ctx: BuildContext, book: BookPages | None, pages: dict[str, int]) -> dict[str, str]:
    """``pages`` (heading ident → physical page) as the contents show them: in a book the page's
    folio (:meth:`BookPages.folio`, front matter in Roman numerals …), else the page in the
    style's numerals."""
    if book is not None:
        return {ident: book.folio(page) for ident, page in pages.items()}
    return {ident: vertical.page_number(page, ctx.style.numerals) for ident, page in pages.items()}


def heading_folios(ctx: BuildContext) -> dict[str, str]:
    """The folio of every heading's page of the edition as this PDF writer paginates it with the
    style in ``ctx`` and its contents show it, contents included: heading ident → folio (``"5"``,
    ``"iii"``, ``"一百零五"``). The PDF's first pass (laid out, drawn to memory and dropped), or its
    result when the PDF of the same document and style was built already. The DOCX writer fills
    its contents with these numbers."""
    return _first_pass(ctx)[0]


@dataclass
class Pagination:
    """What this PDF writer's page breaks decided that the DOCX writer follows, from one layout:
    ``record_breaks``, the page breaks before a 公文's 版记 (0, 1 or 2:
    :class:`~zhengji_publish.writers.pdf.gongwen.RecordPages`), and ``closings``, for each text's
    last paragraph broken over a page above what closes it (a closing byline, a 公文's 署名:
    :class:`~zhengji_publish.writers.pdf.draw.TextThenClosing`), the ``id`` of its
    :class:`~zhengji_publish.model.Paragraph` → the lines it keeps on the page before. A paragraph
    not in ``closings`` is set whole on one page with what closes it."""

    record_breaks: int = 0
    closings: dict[int, int] = field(default_factory=dict)


def paginate(ctx: BuildContext) -> Pagination:
    """The :class:`Pagination` of the edition in ``ctx``, from a layout drawn to memory and dropped
    (horizontal text; vertical text has no closings followed and no 版记). Raises
    :class:`~zhengji_publish.diagnostics.UserError` as the PDF writer does."""
    return _first_pass(ctx)[1]


def _prepare(
    ctx: BuildContext,
) -> tuple[
    BuildContext,
    Callable[[dict[str, int]], list[Flowable]],
    list[Flowable],
    _Furniture | vertical.Furniture,
    Geometry,
    FontNames,
]:
    """The context on the style's grid, the story maker and its first story (contents without
    page numbers), page furniture, geometry and the registered fonts (every face the story uses,
    subset)."""
    plan = ctx.plan
    geo = geometry(ctx.style, plan.vertical)
    if geo.pitch:
        ctx = replace(ctx, style=on_grid(ctx.style, geo.pitch))
    maker = box_maker(ctx, geo)
    fonts = FontNames()
    furniture: _Furniture | vertical.Furniture = (
        vertical.Furniture(ctx, maker, fonts, geo.left, geo.measure)
        if plan.vertical
        else _Furniture(ctx, maker, fonts, geo)
    )
    toc_wanted = plan.contents.enabled and ctx.meta.gongwen is None
    body_pitch = ctx.style.block("body").line_height
    if any(m.is_opening(b) for b in ctx.doc.blocks):  # a book: horizontal and vertical pages alike
        style = ctx.style
        furniture.book = BookPages(
            style.book_recto,
            style.book_front_folio,
            ctx.meta.title,
            style.numerals,
            2 if furniture.cover is not None else 1,
        )
        furniture.folio_chars(FOLIO_CHARS)  # so front folios are in the subset
        titles = [m.opening_title(b) for b in ctx.doc.blocks if m.is_opening(b)] + [plan.contents.title]
        for title in titles:  # made now, so their characters are in the header face's subset
            furniture.heads[title] = furniture.head_boxes(title)

    book, cover = furniture.book, furniture.cover

    def story(pages: dict[str, int]) -> list[Flowable]:
        st = _Story(ctx, maker, fonts)
        st.measure, st.frame_height = geo.measure, geo.height
        st.book = book
        if isinstance(furniture, _Furniture):
            st.closings = furniture.closings
        if ctx.meta.gongwen is not None:  # GB/T 9704-2012: 版头, 主体 and 版记 (writers/pdf/gongwen.py)
            furniture.notes = st.footnotes(ctx.doc.footnotes)
            return gongwen.story(
                st,
                lambda text: st.text_block([m.Text(text)], "title", indent=False),
                geo.pitch or body_pitch,
                furniture.record if isinstance(furniture, _Furniture) else None,
            )
        flow: list[Flowable] = [PageBreak()] if cover is not None else []
        if not ctx.meta.title_derived:
            flow.append(st.text_block(ctx.meta.title_inlines(), "title", indent=False))
        if ctx.meta.subtitle:
            flow.append(st.text_block(ctx.meta.subtitle_inlines(), "subtitle", indent=False))
        is_book = book is not None
        if is_book:  # a book's title page names its authors, editors and publisher
            for line in ("、".join(ctx.meta.authors), "、".join(ctx.meta.editors), ctx.meta.publisher):
                if line:
                    flow.append(st.text_block([m.Text(line)], "byline", indent=False))
        blocks = ctx.doc.blocks
        if toc_wanted and book is not None:  # a book's contents open on a page of their own
            flow += [Opening(book, "front", plan.contents.title), *st.toc(pages), PageBreak()]
        elif toc_wanted:
            lead = m.title_divs(blocks)  # a subtitle or byline div stays under the title
            flow += st.blocks(blocks[:lead]) + st.toc(pages) + [PageBreak()]
            blocks = blocks[lead:]
        # a book's chapters are made one at a time as the build reaches them, and its notes as they are set
        deferred = is_book and ctx.style.footnotes != "chapter" and all(m.is_opening(b) for b in ctx.doc.blocks)
        notes = st.footnotes(ctx.doc.footnotes, lazy=deferred)
        if ctx.style.footnotes == "chapter":
            furniture.notes = {}
            return flow + chapter_notes(st.blocks(blocks), notes, st.notes_rule)
        furniture.notes = notes
        if deferred:
            return flow + [backend.Deferred(partial(st.blocks, [b])) for b in blocks]
        return flow + st.blocks(blocks)

    flow = story({})  # every face the story uses is known once it has been made
    # A book's notes, then its chapters, are made once here for their characters and dropped (in
    # the order a whole story makes them: shaped glyphs are numbered as first met); the build makes
    # them again as it goes.
    if isinstance(furniture.notes, LazyNotes):
        furniture.notes.make_each()
    if backend.make_all(flow):
        flow = story({})
    _register(maker, fonts)

    def restory(pages: dict[str, int]) -> list[Flowable]:
        remade = story(pages)
        _register(maker, fonts)  # the page numbers may bring shaped glyphs (upright digits in vertical text)
        return remade

    return ctx, restory, flow, furniture, geo, fonts


def _build(
    ctx: BuildContext,
    dest: Path | io.BytesIO | None,  # None: a pass that lays out and writes nothing (backend.DraftCanvas)
    flow: list[Flowable],
    furniture: _Furniture | vertical.Furniture,
    geo: Geometry,
    fonts: FontNames,
    pages: dict[str, int],
) -> None:
    page, body = ctx.style.page, ctx.style.block("body")
    turned = ctx.plan.vertical
    # A hundredth of a point more than the type area: reportlab compares sums of line heights with
    # what is left of the frame, and float rounding must not cost a grid's page its last line.
    slack = 0.01
    book = furniture.book
    if book is not None:
        book.reset()
    if isinstance(furniture, _Furniture):
        furniture.record.reset()
        furniture.closings.clear()
    origin = (
        vertical.frame_origin(ctx.style, geo.left)
        if turned
        else (geo.left, page.height - page.top - geo.height - slack)
    )
    frame = NoteFrame(
        *origin,
        geo.measure,
        geo.height + slack,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        showBoundary=0,
        notes=furniture.notes,
        rule_color=ctx.style.colors["rule"],
        gap=NOTE_RULE_ROOM,
    )
    source = ctx.doc.source

    def too_large(flowable: Flowable | None) -> Exception:
        """A block that cannot be split to fit a page (a table row taller than a page) is a user error."""
        line = getattr(flowable, "source_line", 0) if flowable is not None else 0
        where = getattr(flowable, "source_path", None) or source  # a book's chapter, else the source
        return error(
            "this block is too large to fit on one page",
            "shorten it or break it up (a table row, a figure or a notice must fit on a page)",
            where,
            line or 1,
            1,
        )

    def placed(flowable: Flowable, page_number: int) -> None:
        """Records the page each heading lands on (for the table of contents)."""
        for part in walk(flowable):
            outline = getattr(part, "outline", None)
            if outline and getattr(part, "first_part", False):
                pages.setdefault(outline[2], page_number)

    doc = backend.DocTemplate(
        io.BytesIO() if dest is None else dest if isinstance(dest, io.BytesIO) else str(dest),
        timestamp=ctx.timestamp,
        too_large=too_large,
        placed=placed,
        pagesize=(page.width, page.height),
        title=ctx.meta.title,
        author="、".join(ctx.meta.authors),
        subject=ctx.meta.subject or ctx.meta.description,
        keywords=", ".join(ctx.meta.keywords),
        creator="zhengji-publish",
        producer="zhengji-publish",
        lang=ctx.plan.languages.pdf,
        displayDocTitle=1,
        pageCompression=1,
        initialFontName=fonts(ctx.fonts.primary(body.font)),
        initialFontSize=body.size,
    )

    # a book's furniture is drawn once the page's openings are known, a 公文's once its pages
    # without folio are (writers/pdf/gongwen.py RecordPage)
    at_end = book is not None or (ctx.meta.gongwen is not None and not turned)

    def on_page(canv, doc) -> None:
        if isinstance(furniture, vertical.Furniture):  # the canvas turned for the page's body
            furniture.start(canv)
        if not at_end:
            furniture.draw(canv, doc)

    def page_end(canv, doc) -> None:
        frame.draw_notes(canv)
        if at_end:
            furniture.draw(canv, doc)
        if turned:  # vertical.Furniture.start turned the canvas for the page's body
            vertical.unturn(canv)

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page, onPageEnd=page_end)])
    flow.append(NotesFlush())
    doc.build_reproducibly(flow, draft=dest is None)  # consumes ``flow``: what is set can be freed


def box_maker(ctx: BuildContext, geo: Geometry) -> BoxMaker:
    """The maker of the boxes the PDF sets ``ctx``'s edition in, on the page ``geo``: its faces,
    punctuation style, line-break level, grid tracking and direction."""
    plan = ctx.plan
    return BoxMaker(
        ctx.fonts,
        punctuation=plan.punctuation.value,
        level=plan.line_break.value,
        tracking=geo.tracking,
        vertical=plan.vertical,
        upright_digits=ctx.style.upright_digits,
    )


def running_heads(ctx: BuildContext) -> Callable[[str], str]:
    """For a writer that names its running heads as text (the DOCX): the text the PDF's head reading
    a given text shows (:func:`~zhengji_publish.writers.pdf.heads.running_head`, with the PDF's
    faces, punctuation and measure, across the page or down its column). ``ctx``'s style is on its
    grid already (:func:`on_grid`), as the PDF's."""
    geo = geometry(ctx.style, ctx.plan.vertical)
    maker = box_maker(ctx, geo)
    style = inline_style(ctx.style.block("header"))
    return lambda text: running_head(maker, style, geo.measure, text) if text else ""


class _Furniture:
    """Running header and folio, drawn on every page by our own line drawer."""

    def __init__(self, ctx: BuildContext, maker: BoxMaker, fonts: FontNames, geo: Geometry) -> None:
        style = ctx.style
        self.style, self.maker, self.fonts, self.geo = style, maker, fonts, geo
        self.header_bs, self.footer_bs = style.block("header"), style.block("footer")
        text = style.header_text.replace("{title}", ctx.meta.title)
        self.header = self.head_boxes(text)
        self.folio_st = inline_style(self.footer_bs)
        self.notes: dict[int, Flowable] = {}  # footnotes by number, set at the foot of their page
        self.gongwen = ctx.meta.gongwen
        self.record = gongwen.RecordPages()  # a 公文's 版记 page and pages without folio
        self.closings: dict[int, int] = {}  # closed paragraphs broken over a page (Pagination.closings)
        self.book: BookPages | None = None  # a book's folios and running heads (drawn at each page's end)
        self.heads: dict[str, list[Box]] = {}  # a book's running heads: the boxes of each opening's title
        cover = ctx.meta.cover if style.book_cover_page else None
        self.cover = cover if cover is not None and cover.data is not None else None
        self.folio_chars(vertical.NUMERALS[style.numerals])

    def folio_chars(self, chars: str) -> None:
        """Make the folio glyphs of ``chars`` now, so they are in the footer face's subset."""
        folio_boxes(self.maker, self.style.folio, chars, self.folio_st)

    def head_boxes(self, title: str) -> list[Box]:
        """The boxes of a running head reading ``title``, shortened to the measure (:func:`running_head`)."""
        text = running_head(self.maker, inline_style(self.header_bs), self.geo.measure, title) if title else ""
        return self.maker.boxes([Run(text, inline_style(self.header_bs))]) if text else []

    def draw(self, canvas, doc) -> None:
        style, geo, page = self.style, self.geo, self.style.page
        top = page.height - page.top
        canvas.saveState()
        pno = canvas.getPageNumber()
        header = self.header if pno > 1 else []
        folio = vertical.page_number(pno, style.numerals)
        if pno == 1 and self.cover is not None:  # the cover page: the picture alone
            draw_cover(canvas, self.cover, page.width, page.height)
            canvas.restoreState()
            return
        if self.book is not None:
            shown = self.book.furniture(pno, backend.page_is_empty(doc))
            if shown is None:  # the title page, a blank verso
                canvas.restoreState()
                return
            head, folio = shown
            if self.header:  # the style's running head, the chapter's title on rectos
                header = self.header if head == self.book.title else self.heads.get(head, [])
        if header:
            hs = self.header_bs
            _draw_aligned(canvas, header, hs, "center", geo.left, geo.measure, top + hs.size * 1.2, self.fonts)
            canvas.setStrokeColor(HexColor(style.colors["rule"]))
            canvas.setLineWidth(0.4)
            canvas.line(geo.left, top + hs.size * 0.8, geo.left + geo.measure, top + hs.size * 0.8)
        fs = self.footer_bs
        letter = self.gongwen is not None and not self.gongwen.folio_on_first_page
        if (pno == 1 and letter) or pno in self.record.no_folio:  # GB/T 9704-2012 §10.1, §7.5
            canvas.restoreState()
            return
        boxes = folio_boxes(self.maker, style.folio, folio, self.folio_st)
        bottom = top - geo.height
        if style.folio_offset is not None:  # the folio's em box starts this far below the type area
            baseline = bottom - style.folio_offset - ASCENT * fs.size
        else:
            baseline = page.bottom - fs.size * 2.2
        if style.folio_position == "outside":
            align = "right" if pno % 2 else "left"
            inset = style.folio_inset
            _draw_aligned(canvas, boxes, fs, align, geo.left + inset, geo.measure - 2 * inset, baseline, self.fonts)
        else:
            _draw_aligned(canvas, boxes, fs, "center", geo.left, geo.measure, baseline, self.fonts)
        canvas.restoreState()


def folio_boxes(maker: BoxMaker, form: str, number: str, st: InlineStyle):
    """Boxes of a folio such as ``— 1 —``: the spaces typed around the number are kept as spaces."""
    before, _, after = form.partition("{page}")
    out: list[Box] = []
    for part in (before, number, after):
        stripped = part.strip()
        if not stripped:
            continue
        boxes = maker.boxes([Run(stripped, st)])
        if out and boxes:
            boxes[0].glue = boxes[0].glue_min = boxes[0].glue_max = 0.25 * st.size
            boxes[0].space = True
        out += boxes
    return out


def _draw_aligned(
    canvas, boxes, bs: BlockStyle, align: str, left: float, measure: float, baseline: float, fonts: FontNames
) -> None:
    lines = break_lines(boxes, measure, 0.0, align)
    if lines:
        draw_line(canvas, lines[0], left, baseline, fonts)


def _register(maker: BoxMaker, fonts: FontNames) -> None:
    """Subset each used face to its characters and register it with reportlab.

    reportlab registers one font object per PostScript name, and every subset of a face carries
    the face's name: a second document built in the same process (``--jobs`` workers, library
    callers, a test run) would silently draw with the first document's subset and show empty
    boxes. Each subset is a font program of its own, so it gets a name of its own.
    """
    for face, chars in sorted(maker.used.items(), key=lambda kv: (kv[0].path, kv[0].index)):
        if not has_outlines(face):  # a colour bitmap face: its glyphs are drawn as pictures
            fonts.pictures.add(face)
            continue
        shaped = {ch: gid for gid, ch in maker.alternates.get(face, {}).items()}
        path = truetype_subset(face, "".join(chars) + DIGITS, shaped)
        name = f"{face.key}-{path.stem[:8]}"
        backend.register_subset(name, path, path.stem[:6].upper(), {ch: maker.shaped_text[face, ch] for ch in shaped})
        fonts.names[face] = name
