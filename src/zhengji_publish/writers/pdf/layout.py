"""The PDF writer: the document tree set with our Chinese layout and drawn with reportlab.

The story (one flowable per block) is made first, which tells which characters each face must
hold; then each face is subset, converted to TrueType outlines and registered; then reportlab's
frames flow the story onto pages with running header, folio and a nested outline.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
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
from zhengji_publish.fonts import has_outlines
from zhengji_publish.plan import Emphasis
from zhengji_publish.style import BlockStyle, Style
from zhengji_publish.typeset.boxes import Box, BoxMaker, InlineStyle, Run
from zhengji_publish.typeset.linebreak import break_lines
from zhengji_publish.writers.pdf import backend, vertical
from zhengji_publish.writers.pdf.draw import (
    ASCENT,
    FontNames,
    NoteFrame,
    NotesFlush,
    Panel,
    TextBlock,
    TocLine,
    draw_line,
    walk,
)
from zhengji_publish.writers.pdf.subset import truetype_subset

DIGITS = "0123456789"


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

    # -- inline
    def base(self, bs: BlockStyle) -> InlineStyle:
        return inline_style(bs)

    def runs(self, nodes: list[m.Inline], st: InlineStyle) -> list[Run]:
        out: list[Run] = []
        for n in nodes:
            if isinstance(n, m.Text):
                out.append(Run(n.text, st))
            elif isinstance(n, m.Code):
                out.append(Run(n.text, replace(st, role="mono", code=True, bold=False)))
            elif isinstance(n, m.Strong):
                out += self.runs(n.children, replace(st, bold=True))
            elif isinstance(n, m.Emph):
                emph = self.ctx.plan.emphasis
                sub = (
                    replace(st, role="kai")
                    if emph is Emphasis.KAI
                    else replace(st, dots=True)
                    if emph is Emphasis.DOTS
                    else replace(st, bold=True)
                )
                out += self.runs(n.children, sub)
            elif isinstance(n, m.Strike):
                out += self.runs(n.children, replace(st, strike=True))
            elif isinstance(n, m.Link):
                if n.href.startswith("#") and n.href[1:] not in self.anchors:  # reportlab fails on it
                    self.ctx.reporter.warn(
                        f"link target '{n.href}' does not exist",
                        "link to a heading's id",
                        self.ctx.doc.source,
                        n.line,
                        1,
                    )
                    out += self.runs(n.children, st)
                    continue
                out += self.runs(n.children, replace(st, href=n.href, color=self.style.colors["link"]))
            elif isinstance(n, m.FootnoteRef):
                out.append(
                    Run(
                        str(n.number),
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
            first_indent=bs.indent * bs.size if indent else 0.0,
            label=label_boxes,
            margin_left=margin,
            outline=outline,
            keep_with_next=keep,
        )

    # -- blocks
    def blocks(self, blocks: list[m.Block], role: str = "body", margin: float = 0.0) -> list[Flowable]:
        out: list[Flowable] = []
        for i, b in enumerate(blocks):
            if isinstance(b, m.Heading) and not (i and isinstance(blocks[i - 1], m.Heading)):
                out.append(CondPageBreak(self._heading_run_height(blocks[i:])))
            made = self.block(b, role, margin)
            for f in made:  # the innermost block's line wins: it is the one a too-large error names
                if not hasattr(f, "source_line"):
                    f.source_line = b.line
            out += made
        return out

    def _heading_run_height(self, blocks: list[m.Block]) -> float:
        """Room a run of consecutive headings needs at a page's foot: the headings and three lines.

        One conditional page break stands before the whole run, so nothing comes between a
        heading and what follows it (each heading keeps with the next flowable).
        """
        height = 3 * self.style.block("body").line_height
        for b in blocks:
            if not isinstance(b, m.Heading):
                break
            hs = self.style.heading(b.level)
            height += hs.line_height + hs.space_before + hs.space_after
        return height

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
                    width="30%",
                    thickness=0.6,
                    color=HexColor(self.style.colors["rule"]),
                    spaceBefore=self.style.block("body").line_height * 0.6,
                    spaceAfter=self.style.block("body").line_height * 0.6,
                    hAlign="CENTER",
                )
            ]
        return []

    def div(self, d: m.Div, margin: float) -> list[Flowable]:
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
                bs.size * 0.8,
                margin + bs.margin_left,
                bs.margin_right,
                bs.space_before,
                bs.space_after,
            )
            return [KeepTogether([panel])]
        return self.blocks(d.children, "body", margin)

    def list_block(self, lst: m.ListBlock, role: str, margin: float) -> list[Flowable]:
        body = self.style.block(role if role != "body" else "body")
        indent = margin + 2 * body.size
        out: list[Flowable] = []
        for k, item in enumerate(lst.items):
            label = f"{lst.start + k}." if lst.ordered else "•"
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
            lines.append(TextBlock(boxes, line_style, self.fonts, align="left", first_indent=indent))
        return Panel(
            lines,
            bs.background,
            "",
            bs.size * 0.6,
            margin + bs.margin_left,
            bs.margin_right,
            bs.space_before,
            bs.space_after,
        )

    def _mono_space(self, st: InlineStyle) -> float:
        from zhengji_publish.fonts.metrics import metrics

        return metrics(self.maker.face(" ", st)).advance(" ") * st.size

    def table(self, t: m.Table, margin: float) -> Flowable:
        bs = self.style.block("table")
        head = replace(bs, bold=True)
        rows = []
        align_of = {"left": "left", "center": "center", "right": "right"}
        ncols = max([len(t.header)] + [len(r) for r in t.rows]) if (t.header or t.rows) else 0
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
        measure = self.measure - margin
        fit = int(measure // (3 * bs.size + b_pad(bs.size)))  # columns of at least 3 characters
        if ncols > fit:
            raise error(
                f"the table has {ncols} columns, too many for the page's width",
                f"at most {fit} fit; split the table or turn it into a list",
                self.ctx.doc.source,
                t.line,
                1,
            )
        widths = _column_widths(rows, measure, bs.size)
        table = Table(rows, colWidths=widths, repeatRows=1 if t.header else 0, hAlign="CENTER")
        rule = HexColor(self.style.colors["rule"])
        table.setStyle(
            TableStyle(
                [
                    ("LINEABOVE", (0, 0), (-1, 0), 0.9, rule),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.5, rule),
                    ("LINEBELOW", (0, -1), (-1, -1), 0.9, rule),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), bs.size * 0.4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), bs.size * 0.4),
                    ("TOPPADDING", (0, 0), (-1, -1), bs.size * 0.2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), bs.size * 0.2),
                ]
            )
        )
        table.spaceBefore = table.spaceAfter = self.style.block("body").line_height * 0.5
        return table

    def figure(self, f: m.Figure) -> Flowable:
        import io

        from PIL import Image as PILImage

        if f.image.data is not None:  # prepared by the reader: rotated, RGB, 8-bit (zhengji_publish.images)
            w, h = f.image.size
            source: str | io.BytesIO = io.BytesIO(f.image.data)
        else:
            assert f.image.path is not None, "the reader keeps a figure only with its image's data or file"
            with PILImage.open(f.image.path) as im:
                w, h = im.size
            source = str(f.image.path)
        max_w, max_h = self.measure * 0.9, self.frame_height * 0.45
        scale = min(max_w / w, max_h / h, 1.0 if w > 200 else 2.0)
        img: Flowable
        if self.ctx.plan.vertical:  # the frame is turned: its width runs down the page
            scale = min(max_h / w, max_w / h, 1.0 if w > 200 else 2.0)
            img = vertical.UprightImage(source, w * scale, h * scale)
        else:
            img = RLImage(source, width=w * scale, height=h * scale)
            img.hAlign = "CENTER"
        parts: list[Flowable] = [Spacer(1, self.style.block("body").line_height * 0.3), img]
        if f.caption:
            parts.append(self.text_block(f.caption, "caption", indent=False))
        return KeepTogether(parts)

    def toc(self, pages: dict[str, int]) -> list[Flowable]:
        """Contents: every heading to the style's depth, with its page (blank in the first pass)."""
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
            numerals = self.style.numerals
            shown = vertical.page_number(pages[h.ident], numerals) if h.ident in pages else ""
            number = self.maker.boxes([Run(shown or vertical.page_number(0, numerals) * 3, st)])
            out.append(
                TocLine(
                    title, number, bs, self.fonts, indent=(h.level - 1) * 2 * bs.size, blank_number=h.ident not in pages
                )
            )
        return out

    def footnotes(self, notes: list[m.Footnote]) -> dict[int, Flowable]:
        """Each footnote as one flowable, set at the foot of the page that references it."""
        bs = self.style.block("footnote")
        out: dict[int, Flowable] = {}
        for fn in notes:
            parts: list[Flowable] = []
            st = self.base(bs)
            number = Run(
                f"{fn.number}",
                replace(st, anchor=f"fn-{fn.number}", href=f"#fnref-{fn.number}", color=self.style.colors["link"]),
            )
            if not fn.children or not isinstance(fn.children[0], m.Paragraph):  # the number still anchors
                parts.append(
                    TextBlock(self.maker.boxes([number]), replace(bs, space_before=0.0, space_after=0.0), self.fonts)
                )
            for child in fn.children:
                if isinstance(child, m.Paragraph):
                    label = [number, Run(" ", st)] if not parts else []
                    boxes = self.maker.boxes(label + self.runs(child.children, st))
                    parts.append(TextBlock(boxes, replace(bs, space_before=0.0, space_after=0.0), self.fonts))
                else:
                    parts += self.block(child, "footnote", 0.0)
            out[fn.number] = parts[0] if len(parts) == 1 else Panel(parts, "", "", 0.0)
        return out


def _column_widths(rows: list[list[TextBlock]], measure: float, size: float) -> list[float]:
    """Columns share the measure in proportion to their content, none narrower than 3 characters."""
    ncols = len(rows[0]) if rows else 0
    if not ncols:
        return []
    natural = [max(sum(b.width for b in row[c].boxes) + b_pad(size) for row in rows) for c in range(ncols)]
    total = sum(natural)
    if total <= measure:
        return natural
    floor = 3 * size + b_pad(size)
    widths = [max(floor, measure * n / total) for n in natural]
    scale = measure / sum(widths)
    return [w * scale for w in widths]


def b_pad(size: float) -> float:
    return size * 0.8 + 1


@dataclass(frozen=True)
class Geometry:
    """Where the text block sits on the page, and the grids it keeps."""

    left: float
    measure: float
    height: float
    tracking: float  # extra advance of each CJK character, in em (negative: set closer)
    pitch: float | None  # fixed line pitch of a line grid (None: each block's own leading)


def geometry(style: Style, vertical: bool = False) -> Geometry:
    """The type area, snapped to whole characters, and the character and line grids.

    Without ``chars-per-line`` the measure shrinks to a whole number of body characters (centred in
    the margins), so justified lines need no spreading at all. With it, the measure is that many
    characters; if they are wider than the type area (GB/T 9704: 28 三号 characters in 156 mm),
    characters are drawn slightly closer instead. ``lines-per-page`` fixes a line pitch that fills
    the type area's height exactly. ``vertical``: the geometry of the turned page (:mod:`.vertical`),
    a line being a column down the type area's height, the lines following each other across its width.
    """
    page, body = style.page, style.block("body")
    avail = page.measure
    if vertical:  # a column runs down the page: the turned page's width is its height
        avail = page.height - page.top - page.bottom
    chars = page.chars_per_line or int(avail // body.size)
    measure = min(avail, chars * body.size)
    tracking = (avail / chars - body.size) / body.size if chars * body.size > avail else 0.0
    height = page.height - page.top - page.bottom
    start = page.left
    if vertical:
        height, start = page.width - page.left - page.right, page.top
    pitch = height / page.lines_per_page if page.lines_per_page else None
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
    plan = ctx.plan
    geo = geometry(ctx.style, plan.vertical)
    if geo.pitch:
        ctx = replace(ctx, style=on_grid(ctx.style, geo.pitch))
    maker = BoxMaker(
        ctx.fonts,
        punctuation=plan.punctuation.value,
        level=plan.line_break.value,
        tracking=geo.tracking,
        vertical=plan.vertical,
        upright_digits=ctx.style.upright_digits,
    )
    fonts = FontNames()
    furniture: _Furniture | vertical.Furniture = (
        vertical.Furniture(ctx, maker, fonts, geo.left, geo.measure)
        if plan.vertical
        else _Furniture(ctx, maker, fonts, geo)
    )
    toc_wanted = plan.contents.enabled

    def story(pages: dict[str, int]) -> list[Flowable]:
        st = _Story(ctx, maker, fonts)
        st.measure, st.frame_height = geo.measure, geo.height
        flow = [] if ctx.meta.title_derived else [st.text_block([m.Text(ctx.meta.title)], "title", indent=False)]
        if ctx.meta.subtitle:
            flow.append(st.text_block([m.Text(ctx.meta.subtitle)], "subtitle", indent=False))
        if toc_wanted:
            flow += st.toc(pages) + [PageBreak()]
        furniture.notes = st.footnotes(ctx.doc.footnotes)
        return flow + st.blocks(ctx.doc.blocks)

    flow = story({})
    _register(maker, fonts)
    if toc_wanted:  # a first pass finds the page of every heading; the second prints them
        pages: dict[str, int] = {}
        _build(ctx, io.BytesIO(), flow, furniture, geo, fonts, pages)
        flow = story(pages)
        _register(maker, fonts)  # the page numbers may bring shaped glyphs (upright digits in vertical text)
    _build(ctx, dest, flow, furniture, geo, fonts, {})


def _build(
    ctx: BuildContext,
    dest,
    flow: list[Flowable],
    furniture: _Furniture | vertical.Furniture,
    geo: Geometry,
    fonts: FontNames,
    pages: dict[str, int],
) -> None:
    page, body = ctx.style.page, ctx.style.block("body")
    note_style = ctx.style.block("footnote")
    turned = ctx.plan.vertical
    origin = vertical.frame_origin(ctx.style, geo.left) if turned else (geo.left, page.height - page.top - geo.height)
    frame = NoteFrame(
        *origin,
        geo.measure,
        geo.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        showBoundary=0,
        notes=furniture.notes,
        rule_color=ctx.style.colors["rule"],
        gap=note_style.line_height,
        min_body=2 * body.line_height,
    )
    source = ctx.doc.source

    def too_large(flowable: Flowable | None) -> Exception:
        """A block that cannot be split to fit a page (a table row taller than a page) is a user error."""
        line = getattr(flowable, "source_line", 0) if flowable is not None else 0
        return error(
            "this block is too large to fit on one page",
            "shorten it or break it up (a table row, a figure or a notice must fit on a page)",
            source,
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
        dest if isinstance(dest, io.BytesIO) else str(dest),
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

    def page_end(canv, _doc) -> None:
        frame.draw_notes(canv)
        if turned:  # vertical.Furniture.draw turned the canvas for the page's body
            vertical.unturn(canv)

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=furniture.draw, onPageEnd=page_end)])
    flow.append(NotesFlush())
    doc.build_reproducibly(flow)  # consumes ``flow``: what is set can be freed


class _Furniture:
    """Running header and folio, drawn on every page by our own line drawer."""

    def __init__(self, ctx: BuildContext, maker: BoxMaker, fonts: FontNames, geo: Geometry) -> None:
        style = ctx.style
        self.style, self.maker, self.fonts, self.geo = style, maker, fonts, geo
        self.header_bs, self.footer_bs = style.block("header"), style.block("footer")
        text = style.header_text.replace("{title}", ctx.meta.title)
        self.header = maker.boxes([Run(text, inline_style(self.header_bs))]) if text else []
        self.folio_st = inline_style(self.footer_bs)
        self.notes: dict[int, Flowable] = {}  # footnotes by number, set at the foot of their page
        folio_boxes(
            maker, style.folio, vertical.page_number(1234567890, style.numerals), self.folio_st
        )  # in the subset

    def draw(self, canvas, doc) -> None:
        style, geo, page = self.style, self.geo, self.style.page
        top = page.height - page.top
        canvas.saveState()
        pno = canvas.getPageNumber()
        if self.header and pno > 1:
            hs = self.header_bs
            _draw_aligned(canvas, self.header, hs, "center", geo.left, geo.measure, top + hs.size * 1.2, self.fonts)
            canvas.setStrokeColor(HexColor(style.colors["rule"]))
            canvas.setLineWidth(0.4)
            canvas.line(geo.left, top + hs.size * 0.8, geo.left + geo.measure, top + hs.size * 0.8)
        fs = self.footer_bs
        boxes = folio_boxes(self.maker, style.folio, vertical.page_number(pno, style.numerals), self.folio_st)
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
