"""The PDF writer: the document tree set with our Chinese layout and drawn with reportlab.

The story (one flowable per block) is made first, which tells which characters each face must
hold; then each face is subset, converted to TrueType outlines and registered; then reportlab's
frames flow the story onto pages with running header, folio and a nested outline.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Image as RLImage

from zhengji_publish import model as m
from zhengji_publish.build import BuildContext
from zhengji_publish.fontsubset import truetype_subset
from zhengji_publish.style import BlockStyle
from zhengji_publish.typeset.boxes import BoxMaker, InlineStyle, Run
from zhengji_publish.typeset.linebreak import break_lines
from zhengji_publish.writers.pdf_draw import FontNames, Panel, TextBlock, baseline_offset, draw_line

DIGITS = "0123456789"


def punctuation_mode(ctx: BuildContext) -> str:
    """'gb' (compressed, mainland) or 'centred' (Taiwan/Hong Kong), as the style or edition says."""
    return ctx.edition.punctuation if ctx.style.punctuation == "auto" else ctx.style.punctuation


class _Story:
    """Maps document blocks onto flowables."""

    def __init__(self, ctx: BuildContext, maker: BoxMaker, fonts: FontNames) -> None:
        self.ctx = ctx
        self.style = ctx.style
        self.maker = maker
        self.fonts = fonts
        self.outline_level = -1
        self.flowables: list[Flowable] = []

    # -- inline
    def base(self, bs: BlockStyle) -> InlineStyle:
        return InlineStyle(role=bs.font, bold=bs.bold, size=bs.size, color=bs.color)

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
                emph = self.style.emphasis
                sub = replace(st, role="kai") if emph == "kai" else replace(st, dots=True) if emph == "dots" \
                    else replace(st, bold=True)
                out += self.runs(n.children, sub)
            elif isinstance(n, m.Strike):
                out += self.runs(n.children, replace(st, strike=True))
            elif isinstance(n, m.Link):
                href = n.href if not n.href.startswith("#") else n.href
                out += self.runs(n.children, replace(st, href=href, color=self.style.colors["link"]))
            elif isinstance(n, m.FootnoteRef):
                out.append(Run(str(n.number), replace(st, sup=True, href=f"#fn-{n.number}",
                                                      color=self.style.colors["link"], anchor=f"fnref-{n.number}")))
            elif isinstance(n, m.Image):
                out.append(Run(n.alt, st))
            elif isinstance(n, m.LineBreak):
                out.append(Run("\n", st, hard=True))
        return out

    def text_block(self, nodes: list[m.Inline], role: str, *, indent: bool = True, margin: float = 0.0,
                   label: str = "", outline: tuple[int, str, str] | None = None, keep: bool = False,
                   bstyle: BlockStyle | None = None, first_run: str = "") -> TextBlock:
        bs = bstyle or self.style.block(role)
        st = self.base(bs)
        runs = ([Run(first_run, st)] if first_run else []) + self.runs(nodes, st)
        boxes = self.maker.boxes(runs)
        label_boxes = self.maker.boxes([Run(label, st)]) if label else None
        return TextBlock(boxes, bs, self.fonts, first_indent=bs.indent * bs.size if indent else 0.0,
                         label=label_boxes, margin_left=margin, outline=outline, keep_with_next=keep)

    # -- blocks
    def blocks(self, blocks: list[m.Block], role: str = "body", margin: float = 0.0) -> list[Flowable]:
        out: list[Flowable] = []
        for b in blocks:
            out += self.block(b, role, margin)
        return out

    def block(self, b: m.Block, role: str, margin: float) -> list[Flowable]:
        if isinstance(b, m.Heading):
            level = min(b.level - 1, self.outline_level + 1)
            self.outline_level = level
            title = m.plain_text(b.children)
            flow = self.text_block(b.children, f"h{min(b.level, 6)}", outline=(level, title, b.ident), keep=True,
                                   margin=margin)
            return [CondPageBreak(flow.style.line_height * 4), flow]
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
            return [HRFlowable(width="30%", thickness=0.6, color=HexColor(self.style.colors["rule"]),
                               spaceBefore=self.style.block("body").line_height * 0.6,
                               spaceAfter=self.style.block("body").line_height * 0.6, hAlign="CENTER")]
        return []

    def div(self, d: m.Div, margin: float) -> list[Flowable]:
        if d.cls in ("subtitle", "byline", "caption"):
            return [self.text_block(p.children, d.cls, indent=False, margin=margin)
                    if isinstance(p, m.Paragraph) else f for p in d.children for f in
                    ([None] if isinstance(p, m.Paragraph) else self.block(p, d.cls, margin))]
        if d.cls == "notice":
            bs = self.style.block("notice")
            content = []
            for child in d.children:
                if isinstance(child, m.Heading):
                    hs = replace(self.style.heading(child.level), margin_left=0.0, margin_right=0.0,
                                 space_before=0.0)
                    level = min(child.level - 1, self.outline_level + 1)
                    self.outline_level = level
                    content.append(self.text_block(child.children, "", bstyle=hs,
                                                   outline=(level, m.plain_text(child.children), child.ident)))
                elif isinstance(child, m.Paragraph):
                    content.append(self.text_block(child.children, "notice",
                                                   bstyle=replace(bs, margin_left=0.0, margin_right=0.0)))
                else:
                    content += self.block(child, "notice", 0.0)
            panel = Panel(content, bs.background, bs.border, bs.size * 0.8, margin + bs.margin_left,
                          bs.margin_right, bs.space_before, bs.space_after)
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
                    out.append(self.text_block(child.children, role, indent=False, margin=indent,
                                               label=label if first else ""))
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
        return Panel(lines, bs.background, "", bs.size * 0.6, margin + bs.margin_left, bs.margin_right,
                     bs.space_before, bs.space_after)

    def _mono_space(self, st: InlineStyle) -> float:
        from zhengji_publish.typeset.metrics import metrics

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
                cells.append(self.text_block(cell.children, "table", indent=False,
                                             bstyle=replace(head if r == 0 else bs, align=align_of.get(a, "left"),
                                                            space_before=0, space_after=0)))
            rows.append(cells)
        measure = self.measure - margin
        widths = _column_widths(rows, measure, bs.size)
        table = Table(rows, colWidths=widths, repeatRows=1 if t.header else 0, hAlign="CENTER")
        rule = HexColor(self.style.colors["rule"])
        table.setStyle(TableStyle([
            ("LINEABOVE", (0, 0), (-1, 0), 0.9, rule), ("LINEBELOW", (0, 0), (-1, 0), 0.5, rule),
            ("LINEBELOW", (0, -1), (-1, -1), 0.9, rule), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), bs.size * 0.4), ("RIGHTPADDING", (0, 0), (-1, -1), bs.size * 0.4),
            ("TOPPADDING", (0, 0), (-1, -1), bs.size * 0.2), ("BOTTOMPADDING", (0, 0), (-1, -1), bs.size * 0.2),
        ]))
        table.spaceBefore = table.spaceAfter = self.style.block("body").line_height * 0.5
        return table

    def figure(self, f: m.Figure) -> Flowable:
        from PIL import Image as PILImage

        with PILImage.open(f.image.path) as im:
            w, h = im.size
        max_w, max_h = self.measure * 0.9, self.frame_height * 0.45
        scale = min(max_w / w, max_h / h, 1.0 if w > 200 else 2.0)
        img = RLImage(str(f.image.path), width=w * scale, height=h * scale)
        img.hAlign = "CENTER"
        parts: list[Flowable] = [Spacer(1, self.style.block("body").line_height * 0.3), img]
        if f.caption:
            parts.append(self.text_block(f.caption, "caption", indent=False))
        return KeepTogether(parts)

    def footnotes(self, notes: list[m.Footnote]) -> list[Flowable]:
        if not notes:
            return []
        bs = self.style.block("footnote")
        out: list[Flowable] = [HRFlowable(width="25%", thickness=0.5, color=HexColor(self.style.colors["rule"]),
                                          spaceBefore=bs.line_height, spaceAfter=bs.size * 0.5, hAlign="LEFT")]
        for fn in notes:
            first = True
            for child in fn.children:
                if isinstance(child, m.Paragraph):
                    st = self.base(bs)
                    label = [Run(f"{fn.number}", replace(st, anchor=f"fn-{fn.number}", href=f"#fnref-{fn.number}",
                                                         color=self.style.colors["link"])), Run(" ", st)] \
                        if first else []
                    boxes = self.maker.boxes(label + self.runs(child.children, st))
                    out.append(TextBlock(boxes, bs, self.fonts))
                else:
                    out += self.block(child, "footnote", 0.0)
                first = False
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


class _Doc(BaseDocTemplate):
    """Page templates with header and folio drawn by our own line drawer."""

    def __init__(self, dest: Path, ctx: BuildContext, furniture, **kw) -> None:
        super().__init__(str(dest), **kw)
        self.furniture = furniture


def write(ctx: BuildContext, dest: Path) -> None:
    style = ctx.style
    page = style.page
    body = style.block("body")
    maker = BoxMaker(ctx.fonts, punctuation=punctuation_mode(ctx), level=style.line_break)
    fonts = FontNames()
    story = _Story(ctx, maker, fonts)

    avail = page.measure
    chars = page.chars_per_line or int(avail // body.size)
    measure = min(avail, chars * body.size)
    left = page.left + (avail - measure) / 2
    height = page.height - page.top - page.bottom
    if page.lines_per_page:
        height = page.lines_per_page * body.line_height
    story.measure, story.frame_height = measure, height

    flow: list[Flowable] = []
    flow.append(story.text_block([m.Text(ctx.meta.title)], "title", indent=False))
    if ctx.meta.subtitle:
        flow.append(story.text_block([m.Text(ctx.meta.subtitle)], "subtitle", indent=False))
    flow += story.blocks(ctx.doc.blocks)
    flow += story.footnotes(ctx.doc.footnotes)

    # Page furniture: header text and folio, made into boxes now so their glyphs are subset too.
    header_bs, footer_bs = style.block("header"), style.block("footer")
    header_text = style.header_text.replace("{title}", ctx.meta.title)
    header_boxes = maker.boxes([Run(header_text, story.base(header_bs))]) if header_text else []
    folio_st = story.base(footer_bs)
    folio_boxes(maker, style.folio, DIGITS, folio_st)

    _register(maker, fonts)

    def furniture(canvas, doc) -> None:
        canvas.saveState()
        pno = canvas.getPageNumber()
        if header_boxes and pno > 1:
            _draw_centred(canvas, header_boxes, header_bs, left, measure,
                          page.height - page.top + header_bs.size * 1.2, fonts)
            canvas.setStrokeColor(HexColor(style.colors["rule"]))
            canvas.setLineWidth(0.4)
            y = page.height - page.top + header_bs.size * 0.8
            canvas.line(left, y, left + measure, y)
        boxes = folio_boxes(maker, style.folio, str(pno), folio_st)
        _draw_centred(canvas, boxes, footer_bs, left, measure, page.bottom - footer_bs.size * 2.2, fonts)
        canvas.restoreState()

    frame = Frame(left, page.height - page.top - height, measure, height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, showBoundary=0)
    doc = _Doc(dest, ctx, furniture, pagesize=(page.width, page.height), title=ctx.meta.title,
               author="、".join(ctx.meta.authors), subject=ctx.meta.subject or ctx.meta.description,
               keywords=", ".join(ctx.meta.keywords), creator="zhengji-publish", producer="zhengji-publish",
               lang=ctx.edition.lang, invariant=1, displayDocTitle=1, pageCompression=1,
               initialFontName=fonts(ctx.fonts.primary(body.font)), initialFontSize=body.size)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=furniture)])
    doc.build(flow, canvasmaker=_canvas_maker(ctx))


def _canvas_maker(ctx: BuildContext):
    """A canvas whose creation and modification dates are the build's timestamp (reproducible)."""
    from reportlab.pdfgen.canvas import Canvas

    stamp = ctx.timestamp

    class _Canvas(Canvas):
        def __init__(self, *a, **kw) -> None:
            super().__init__(*a, **kw)
            ts = self._doc._timeStamp
            ts.t = stamp.timestamp()
            ts.lt = stamp.utctimetuple()
            ts.YMDhms = tuple(ts.lt)[:6]
            ts.tzname = "+00'00'"
            ts.dhh = ts.dmm = 0

    return _Canvas


def folio_boxes(maker: BoxMaker, form: str, number: str, st: InlineStyle):
    """Boxes of a folio such as ``— 1 —``: the spaces typed around the number are kept as spaces."""
    before, _, after = form.partition("{page}")
    out = []
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


def _draw_centred(canvas, boxes, bs: BlockStyle, left: float, measure: float, baseline: float,
                  fonts: FontNames) -> None:
    lines = break_lines(boxes, measure, 0.0, bs.align if bs.align != "justify" else "center")
    if lines:
        draw_line(canvas, lines[0], left, baseline, fonts)


def _register(maker: BoxMaker, fonts: FontNames) -> None:
    """Subset each used face to its characters and register it with reportlab."""
    for face, chars in sorted(maker.used.items(), key=lambda kv: (kv[0].path, kv[0].index)):
        path = truetype_subset(face, "".join(chars) + "0123456789")
        name = f"{face.key}-{path.stem[:8]}"
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        fonts.names[face] = name


__all__ = ["write", "baseline_offset"]
