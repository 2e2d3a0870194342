"""A Word document (.docx, WordprocessingML) → a document tree, read with python-docx and lxml.

The body is read in order, paragraph by paragraph and table by table (ECMA-376 Part 1, 17.2.2
``w:body``). What each paragraph is comes first from its style: the built-in ``Title``,
``Subtitle``, ``heading 1``–``heading 9`` and ``caption``, the project's own ``Byline``,
``Notice``, ``Notice Title``, ``Figure``, ``Block Text``, ``Source Code`` and ``Thematic Break``
(the names :mod:`zhengji_publish.writers.docx.styles` writes, so our own DOCX imports back to its
source), then from an outline level (``w:outlineLvl``, 17.3.1.20) on the paragraph or its style. A
short, bold, centred paragraph without end punctuation is taken for a heading, as authors make them
by direct formatting: that is a guess, with a note. An office document (公文) made so — a centred
title larger than the text over sections numbered 一、 （一） by hand, GB/T 9704-2012 §7.3.1 and §7.3.3
— gets its title in the front matter and its sections from level 1, and a centred issuer's name
above the title becomes its ``公文: 发文机关标志`` (§7.2.4), not a heading; its other elements
(发文字号, 主送机关, 附件说明, 落款, 附注 …) are read from its paragraphs by the plain text's rules
(:func:`~zhengji_publish.importers.text.office_elements`). Lists come from ``w:numPr``
(17.3.1.19) and the numbering part's level formats (17.9); footnotes from the footnotes part
(17.11); pictures from ``a:blip`` relationships (DrawingML 20.1.8.13), written beside the source;
bold and italic from run properties and the Strong/Emphasis character styles; title, author and
date from the core properties (OPC Part 2, 11). Text is kept exactly as written: no conversion, no
trimming inside.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from zhengji_publish import model as m
from zhengji_publish.anchors import github_slugs
from zhengji_publish.diagnostics import error
from zhengji_publish.importers.report import Note, TreeImport
from zhengji_publish.importers.text import (
    OFFICE_LEVELS,
    SIGNATURE_PUSHED,
    OfficeElement,
    Unit,
    classify,
    doc_number,
    issuer_mark,
    numbered_heading,
    office_block,
    office_elements,
    reads_as_title,
    signature_of,
)
from zhengji_publish.typeset import rules

# Dates a document carries that no author chose: our writer's fixed epoch, python-docx's template.
NO_DATE = {dt.date(2000, 1, 1), dt.date(2013, 12, 23)}
NO_AUTHOR = {"python-docx", "administrator", "user", "microsoft office user", "unknown"}  # defaults, not people
DIV_STYLES = {"byline": "byline", "notice": "notice", "blocktext": "quote", "quote": "quote", "intensequote": "quote"}
# Paragraph styles (name without spaces, or id, lower-cased) the writer sets centred or
# right-aligned in the PDF's lines, with a line break (w:br) where each line starts: the breaks are
# dropped on import
CENTRED_STYLES = ("title", "subtitle", "caption", "byline")
# The numbered patterns (importers.text.LEVELS) a plain paragraph is taken for a heading by: a
# Word document's typed "1." and "（1）" lines are lists (_typed_lists)
NUMBERED_LEVELS = ("编", "分编", "章", "节", "一、", "（一）")
SIGNATURE_TAIL = 6  # the last paragraphs a signature is looked for in: issuers, the date, a note
JC = {"left": "left", "start": "left", "center": "center", "right": "right", "end": "right"}
IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpeg", "image/gif": ".gif"}
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


@dataclass
class _Para:
    """One body paragraph, read: its role, its inlines, and what it needs to be grouped."""

    kind: str  # title subtitle heading body byline notice noticetitle figure caption code quote hr list toc
    inlines: list[m.Inline]
    level: int = 0
    num: tuple[str, int] = ("", 0)  # (numId, indent) of a list paragraph
    ordered: bool = False
    start: int = 1
    text: str = ""
    guess: str = ""
    align: str = ""  # the paragraph's alignment (JC's values), "" when left as the style says
    pattern: str = ""  # a heading numbered by hand (guess "numbered"): its pattern, a key of NUMBERED_LEVELS


def _open(data: bytes, path: Path) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError, EOFError) as exc:
        raise error(
            f"the Word document is damaged and cannot be read ({type(exc).__name__}: {exc}); nothing was written",
            "open it in Word or LibreOffice, save it again as .docx and import that",
            path,
            1,
            1,
        ) from None


class _Reader:
    def __init__(self, document: Any, path: Path, images_dir: str) -> None:
        self.document = document
        self.part = document.part
        self.path = path
        self.images_dir = images_dir
        self.images: dict[str, bytes] = {}
        self.image_names: dict[str, str] = {}
        self.notes: list[tuple[object, Note]] = []
        self.general: list[Note] = []
        self.footnote_numbers: dict[str, int] = {}
        self.bookmarks: dict[str, list[m.Inline]] = {}  # a heading's bookmark → the heading's inlines
        self.styles = {s.style_id: s for s in document.styles}
        numbering = None
        try:
            numbering = self.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        self.numbering = numbering
        self.body_size = self._body_size()

    def _body_size(self) -> float:
        """The body text's size (points): the size most of the body's characters are set in, a
        run's own (``w:sz``) or else the Normal style's, else the document defaults' (``w:docDefaults``,
        ECMA-376 Part 1 §17.7.5.1); 0 when none says. A document typed with its size on the text
        (Word's 11 pt Normal, 三号 16 pt set on every run of a 公文) is read by its text's size:
        by the Normal style's, every 16 pt line read as larger than the text, a heading."""
        normal = self.styles.get("Normal")
        if normal is not None and normal.font.size is not None:
            default = float(normal.font.size.pt)
        else:
            found = self.part.styles.element.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}sz")
            value = found.get(qn("w:val"), "") if found is not None else ""
            default = int(value) / 2 if value.isdigit() else 0.0
        counts: Counter[float] = Counter()
        for run in self.part.element.body.iter(f"{{{W}}}r"):
            chars = sum(len(t.text or "") for t in run.iter(f"{{{W}}}t"))
            sz = run.find(f"{{{W}}}rPr/{{{W}}}sz")
            value = sz.get(qn("w:val"), "") if sz is not None else ""
            counts[int(value) / 2 if value.isdigit() else default] += chars
        ((size, chars),) = counts.most_common(1) or [(default, 0)]
        return size if chars else default

    # ------------------------------------------------------------ styles

    def style_chain(self, style_id: str) -> list[Any]:
        chain: list[Any] = []
        style = self.styles.get(style_id)
        while style is not None and len(chain) < 20:
            chain.append(style)
            style = style.base_style
        return chain

    def style_name(self, p: etree._Element) -> tuple[str, str]:
        pstyle = p.find(f"{{{W}}}pPr/{{{W}}}pStyle")
        sid = pstyle.get(qn("w:val")) if pstyle is not None else ""
        style = self.styles.get(sid)
        name = style.name if style is not None and style.name else sid
        return sid or "", (name or "").lower()

    def ppr_value(self, p: etree._Element, sid: str, tag: str) -> etree._Element | None:
        """A paragraph property from the paragraph, else from its style chain."""
        found = p.find(f"{{{W}}}pPr/{{{W}}}{tag}")
        if found is not None:
            return found
        for style in self.style_chain(sid):
            found = style.element.find(f"{{{W}}}pPr/{{{W}}}{tag}")
            if found is not None:
                return found
        return None

    def style_bold(self, sid: str) -> bool:
        for style in self.style_chain(sid):
            b = style.element.find(f"{{{W}}}rPr/{{{W}}}b")
            if b is not None:
                return b.get(qn("w:val"), "true") not in ("0", "false")
        return False

    # ------------------------------------------------------------ numbering

    def list_format(self, num_id: str, ilvl: int) -> tuple[bool, int, int]:
        """(ordered, start, indent in twips) of a numbering instance's level."""
        if self.numbering is None:
            return True, 1, ilvl * 720
        num = self.numbering.find(f"{{{W}}}num[@{{{W}}}numId='{num_id}']")
        if num is None:
            return True, 1, ilvl * 720
        abstract_id = num.find(f"{{{W}}}abstractNumId")
        aid = abstract_id.get(qn("w:val")) if abstract_id is not None else ""
        abstract = self.numbering.find(f"{{{W}}}abstractNum[@{{{W}}}abstractNumId='{aid}']")
        lvl = abstract.find(f"{{{W}}}lvl[@{{{W}}}ilvl='{ilvl}']") if abstract is not None else None
        fmt, start, indent = "decimal", 1, ilvl * 720
        if lvl is not None:
            fmt_el = lvl.find(f"{{{W}}}numFmt")
            fmt = fmt_el.get(qn("w:val"), "decimal") if fmt_el is not None else "decimal"
            start_el = lvl.find(f"{{{W}}}start")
            start = int(start_el.get(qn("w:val"), "1")) if start_el is not None else 1
            ind = lvl.find(f"{{{W}}}pPr/{{{W}}}ind")
            if ind is not None:  # where the number stands: the text's indent less the hanging part
                left = ind.get(qn("w:left")) or ind.get(qn("w:start")) or "0"
                hanging = ind.get(qn("w:hanging")) or "0"
                if left.lstrip("-").isdigit() and hanging.isdigit():
                    indent = int(left) - int(hanging)
        override = num.find(f"{{{W}}}lvlOverride[@{{{W}}}ilvl='{ilvl}']/{{{W}}}startOverride")
        if override is not None:
            start = int(override.get(qn("w:val"), str(start)))
        return fmt not in ("bullet", "none"), start, indent

    # ------------------------------------------------------------ body

    def paragraph(self, p: etree._Element) -> _Para:
        sid, name = self.style_name(p)
        inlines = self.inlines(p)
        text = m.plain_text(inlines).strip()
        key = name.replace(" ", "")
        sid_key = sid.lower()
        heading = re.fullmatch(r"heading\s*([1-9])", name) or re.fullmatch(r"heading([1-9])", sid_key)
        if heading or key in CENTRED_STYLES or sid_key in CENTRED_STYLES:
            # a title's, heading's, subtitle's, caption's or byline's lines are broken where the
            # PDF breaks them (writers.docx.body.title_lines); its source is one line
            inlines = _unbroken(inlines)
            text = m.plain_text(inlines).strip()
        if heading:
            self.mark_heading(p, inlines)
            return _Para("heading", inlines, int(heading.group(1)), text=text)
        if key in ("title",) or sid_key == "title":
            return _Para("title", inlines, text=text)
        if key == "subtitle" or sid_key == "subtitle":
            return _Para("subtitle", inlines, text=text)
        if key == "noticetitle" or sid_key == "noticetitle":
            return _Para("noticetitle", inlines, text=text)
        if key in DIV_STYLES or sid_key in DIV_STYLES:
            return _Para(DIV_STYLES.get(key) or DIV_STYLES[sid_key], inlines, text=text)
        if key in ("author", "date", "abstract"):  # pandoc's title block
            return _Para(key, inlines, text=text)
        if key in ("caption", "imagecaption", "tablecaption") or sid_key == "caption":
            return _Para("caption", inlines, text=text)
        if key in ("sourcecode",) or sid_key == "sourcecode":
            return _Para("code", inlines, text=self.code_text(p))
        if key == "thematicbreak" or sid_key == "thematicbreak":
            return _Para("hr", [])
        if key.startswith(("toc", "tocheading")) or sid_key.startswith("toc"):
            return _Para("toc", inlines, text=text)
        images = [n for n in inlines if isinstance(n, m.Image)]
        if images and not m.plain_text([n for n in inlines if not isinstance(n, m.Image)]).strip():
            return _Para("figure", inlines, text=text)
        num = self.ppr_value(p, sid, "numPr")
        if num is not None:
            num_id_el = num.find(f"{{{W}}}numId")
            ilvl_el = num.find(f"{{{W}}}ilvl")
            num_id = num_id_el.get(qn("w:val"), "0") if num_id_el is not None else "0"
            ilvl = int(ilvl_el.get(qn("w:val"), "0")) if ilvl_el is not None else 0
            if num_id != "0":
                ordered, start, indent = self.list_format(num_id, ilvl)
                return _Para("list", inlines, num=(num_id, indent), ordered=ordered, start=start, text=text)
        if key == "listparagraph" and text:
            return _Para("listcont", inlines, text=text)
        outline = self.ppr_value(p, sid, "outlineLvl")
        if outline is not None and outline.get(qn("w:val"), "9").isdigit() and int(outline.get(qn("w:val"))) < 9:
            self.mark_heading(p, inlines)
            return _Para("heading", inlines, int(outline.get(qn("w:val"))) + 1, text=text, guess="outline")
        if self.looks_like_heading(p, sid, inlines, text):
            return _Para("heading", inlines, 0, text=text, guess="direct")
        jc = self.ppr_value(p, sid, "jc")
        align = JC.get(jc.get(qn("w:val"), "")) or "" if jc is not None else ""
        numbered = numbered_heading(text)
        if numbered in NUMBERED_LEVELS and align != "right":
            return _Para("heading", inlines, 0, text=text, guess="numbered", align=align, pattern=numbered)
        return _Para("body", inlines, text=text, align=align)

    def mark_heading(self, p: etree._Element, inlines: list[m.Inline]) -> None:
        """Note the bookmarks in heading paragraph ``p`` (``w:bookmarkStart``, ECMA-376 Part 1
        §17.13.6.2): a link to one (``w:hyperlink w:anchor``) is a link to the heading whose
        inlines are ``inlines`` (:func:`_linked_headings`)."""
        for mark in p.iter(f"{{{W}}}bookmarkStart"):
            name = mark.get(qn("w:name"))
            if name:
                self.bookmarks[name] = inlines

    def looks_like_heading(self, p: etree._Element, sid: str, inlines: list[m.Inline], text: str) -> bool:
        """Short, centred and without end punctuation, and bold throughout or set larger than the
        body text: a heading made by hand (an office's title is set in 小标宋 二号, larger, not
        bold: GB/T 9704-2012 §7.3.1)."""
        if not reads_as_title(text):
            return False
        jc = self.ppr_value(p, sid, "jc")
        if jc is None or jc.get(qn("w:val")) != "center":
            return False
        runs = [n for n in inlines if not (isinstance(n, m.Text) and not n.text.strip())]
        if not runs:
            return False
        return all(isinstance(n, m.Strong) for n in runs) or 0 < self.body_size < self.size_of(p)

    def size_of(self, p: etree._Element) -> float:
        """The largest font size among the paragraph's runs (points; 0 when none is set)."""
        sizes = [
            int(sz.get(qn("w:val"), "0")) / 2
            for sz in p.iter(f"{{{W}}}sz")
            if sz.getparent() is not None and sz.get(qn("w:val"), "").isdigit()
        ]
        return max(sizes, default=0.0)

    def code_text(self, p: etree._Element) -> str:
        out = []
        for node in p.iter(f"{{{W}}}t", f"{{{W}}}br", f"{{{W}}}tab"):
            if node.tag == f"{{{W}}}t":
                out.append(node.text or "")
            elif node.tag == f"{{{W}}}br":
                out.append("\n")
            else:
                out.append("\t")
        return "".join(out)

    # ------------------------------------------------------------ inlines

    def inlines(self, p: etree._Element) -> list[m.Inline]:
        out: list[m.Inline] = []
        for child in p:
            if child.tag == f"{{{W}}}r":
                out += self.run(child)
            elif child.tag == f"{{{W}}}hyperlink":
                inner: list[m.Inline] = []
                for r in child.iter(f"{{{W}}}r"):
                    inner += self.run(r)
                rid = child.get(qn("r:id"))
                anchor = child.get(qn("w:anchor"))
                href = ""
                if rid and rid in self.part.rels:
                    href = self.part.rels[rid].target_ref
                elif anchor:
                    href = "#" + anchor
                if href:
                    out.append(m.Link(href, _merge(inner)))
                else:
                    out += inner
            elif child.tag in (f"{{{W}}}ins", f"{{{W}}}smartTag", f"{{{W}}}customXml", f"{{{W}}}fldSimple"):
                for r in child.iter(f"{{{W}}}r"):
                    out += self.run(r)
        return _merge(out)

    def run(self, r: etree._Element) -> list[m.Inline]:
        rpr = r.find(f"{{{W}}}rPr")
        bold = italic = strike = False
        if rpr is not None:
            bold = _on(rpr.find(f"{{{W}}}b"))
            italic = _on(rpr.find(f"{{{W}}}i"))
            strike = _on(rpr.find(f"{{{W}}}strike"))
            rstyle = rpr.find(f"{{{W}}}rStyle")
            if rstyle is not None:
                sid = rstyle.get(qn("w:val"), "")
                style = self.styles.get(sid)
                name = (style.name if style is not None else sid or "").lower().replace(" ", "")
                bold = bold or name in ("strong", "strongemphasis") or self.style_bold(sid)
                italic = italic or name in ("emphasis",)
                strike = strike or name == "strikethrough"
                if name == "verbatimchar":  # without the joiners and breaks our writer puts in
                    return [m.Code(_without_marks("".join(t.text or "" for t in r.iter(f"{{{W}}}t"))))]
        out: list[m.Inline] = []
        for child in r:
            if child.tag == f"{{{W}}}t":
                out.append(m.Text(rules.unjoin_units(child.text or "")))
            elif child.tag == f"{{{W}}}tab":
                out.append(m.Text(" "))
            elif child.tag == f"{{{W}}}br" and child.get(qn("w:type"), "textWrapping") == "textWrapping":
                out.append(m.LineBreak())
            elif child.tag == f"{{{W}}}footnoteReference":
                fid = child.get(qn("w:id"), "")
                number = self.footnote_numbers.setdefault(fid, len(self.footnote_numbers) + 1)
                out.append(m.FootnoteRef(str(number), number))
            elif child.tag in (f"{{{W}}}drawing", f"{{{W}}}pict"):
                image = self.image(child)
                if image is not None:
                    out.append(image)
        wrapped: list[m.Inline] = out
        if strike:
            wrapped = [m.Strike(wrapped)]
        if italic:
            wrapped = [m.Emph(wrapped)]
        if bold:
            wrapped = [m.Strong(wrapped)]
        return wrapped if any(not isinstance(n, m.Text) or n.text for n in out) else []

    def image(self, drawing: etree._Element) -> m.Image | None:
        blip = next(drawing.iter(f"{{{A}}}blip"), None)
        rid = blip.get(f"{{{R}}}embed") if blip is not None else None
        if rid is None:
            data = next(drawing.iter("{urn:schemas-microsoft-com:vml}imagedata"), None)
            rid = data.get(f"{{{R}}}id") if data is not None else None
        doc_pr = next(drawing.iter(f"{{{WP}}}docPr"), None)
        alt = (doc_pr.get("descr") or doc_pr.get("title") or "") if doc_pr is not None else ""
        if not rid or rid not in self.part.rels:
            return None
        rel = self.part.rels[rid]
        if rel.is_external:
            return m.Image(rel.target_ref, alt)
        target = rel.target_part
        if target.partname in self.image_names:
            return m.Image(self.image_names[target.partname], alt)
        blob, suffix = target.blob, IMAGE_TYPES.get(target.content_type, "")
        name = PurePosixPath(str(target.partname)).stem
        if not suffix:
            blob, suffix = _to_png(blob), ".png"
            if not blob:
                self.general.append(
                    Note(
                        f"the picture {target.partname} could not be kept",
                        f"it is {target.content_type}, which cannot be converted to PNG; "
                        "its alt text stands in its place",
                    )
                )
                return None
        src = f"{self.images_dir}/{name}{suffix}"
        self.images[src] = blob
        self.image_names[target.partname] = src
        return m.Image(src, alt)

    # ------------------------------------------------------------ tables and footnotes

    def table(self, tbl: etree._Element) -> m.Table:
        rows: list[list[m.TableCell]] = []
        aligns: list[str] = []
        for number, tr in enumerate(tbl.findall(f"{{{W}}}tr")):
            cells = []
            for tc in tr.findall(f"{{{W}}}tc"):
                if number == 1:  # the first body row: its cells' alignment is the column's
                    jc = tc.find(f"{{{W}}}p/{{{W}}}pPr/{{{W}}}jc")
                    aligns.append(JC.get(jc.get(qn("w:val"), ""), "") if jc is not None else "")
                inlines: list[m.Inline] = []
                for n, p in enumerate(tc.iter(f"{{{W}}}p")):
                    if n and inlines:
                        inlines.append(m.Text(" "))
                    inlines += self.inlines(p)
                cells.append(m.TableCell(_merge(inlines)))
            rows.append(cells)
        if not rows:
            return m.Table([], [], [])
        header, body = rows[0], rows[1:]
        # The header's own bold (TableHeading, or bold typed by hand) is the header's look, not emphasis.
        header = [m.TableCell(_unbold(c.children)) for c in header]
        columns = max(len(r) for r in rows)
        return m.Table(header, body, (aligns + [""] * columns)[:columns])

    def footnotes(self) -> dict[str, list[m.Block]]:
        """Footnote id → its paragraphs, from the footnotes part (no API for it in python-docx)."""
        found: dict[str, list[m.Block]] = {}
        for rel in self.part.rels.values():
            if rel.reltype != RT.FOOTNOTES or rel.is_external:
                continue
            root = etree.fromstring(rel.target_part.blob)
            for note in root.findall(f"{{{W}}}footnote"):
                if note.get(qn("w:type")) in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                blocks: list[m.Block] = []
                for p in note.findall(f"{{{W}}}p"):
                    inlines = _strip_lead(self.inlines(p))
                    if inlines:
                        blocks.append(m.Paragraph(inlines))
                found[note.get(qn("w:id"), "")] = blocks
        return found


def _without_marks(code: str) -> str:
    """Inline code without the word joiners (:func:`~zhengji_publish.writers.docx.body.kept_whole`)
    and zero-width spaces (the PDF's breaks inside it, a gap after it) our DOCX writer puts in: the
    code as typed."""
    return code.replace(rules.WORD_JOINER, "").replace(rules.WORD_BREAK, "")


def _on(el: etree._Element | None) -> bool:
    return el is not None and el.get(qn("w:val"), "true") not in ("0", "false", "none")


def _merge(nodes: list[m.Inline]) -> list[m.Inline]:
    """Adjacent runs with the same marks as one: Word splits runs at every edit (and our writer a
    code span where it spaces its last character). A zero-width space at the edge of inline code
    goes: the writer's, in a Han–Latin gap beside it
    (:func:`~zhengji_publish.writers.docx.compression.untyped_gap`) or where the PDF breaks the line
    before or after it (``保存在`` | ``~/.config``, ``config.toml`` | ``（Windows）``)."""
    out: list[m.Inline] = []
    for node in nodes:
        last = out[-1] if out else None
        if isinstance(node, m.Text) and isinstance(last, m.Text):
            # the writer's break opportunities may sit at a run's edge (``，`` | ``​0.8%``)
            out[-1] = m.Text(rules.unjoin_units(last.text + node.text))
        elif isinstance(node, m.Code) and isinstance(last, m.Code):
            out[-1] = m.Code(last.text + node.text)
        elif isinstance(node, (m.Strong, m.Emph, m.Strike)) and type(last) is type(node):
            assert isinstance(last, (m.Strong, m.Emph, m.Strike))
            last.children = _merge(last.children + node.children)
        else:
            out.append(node)
    for a, b in itertools.pairwise(out):
        if not (isinstance(a, (m.Text, m.Code)) and isinstance(b, (m.Text, m.Code))) or type(a) is type(b):
            continue
        a.text = a.text.rstrip(rules.WORD_BREAK)
        b.text = b.text.lstrip(rules.WORD_BREAK)  # the PDF's break after it (``config.toml`` | ``（``)
    return out


def _unbold(nodes: list[m.Inline]) -> list[m.Inline]:
    out: list[m.Inline] = []
    for node in nodes:
        out += _unbold(node.children) if isinstance(node, m.Strong) else [node]
    return _merge(out)


def _unbroken(nodes: list[m.Inline]) -> list[m.Inline]:
    """``nodes`` without their line breaks (``w:br``), in every span."""
    out: list[m.Inline] = []
    for node in nodes:
        if isinstance(node, m.LineBreak):
            continue
        if isinstance(node, (m.Strong, m.Emph, m.Strike, m.Link)):
            node = replace(node, children=_unbroken(node.children))
        out.append(node)
    return _merge(out)


def _strip_lead(nodes: list[m.Inline]) -> list[m.Inline]:
    """A footnote's text without the space Word puts after its mark."""
    if nodes and isinstance(nodes[0], m.Text):
        first = m.Text(nodes[0].text.lstrip(" "))
        return ([first] if first.text else []) + nodes[1:]
    return nodes


def _to_png(blob: bytes) -> bytes:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(blob)) as im:
            out = io.BytesIO()
            im.save(out, "PNG")
            return out.getvalue()
    except (OSError, UnidentifiedImageError, ValueError):
        return b""


# ---------------------------------------------------------------- assembling


def import_docx(data: bytes, path: Path, images_dir: str) -> TreeImport:
    """A .docx file's bytes → front matter, blocks, footnotes, notes and images (see the module).

    Raises :class:`UserError` when the package cannot be opened (not a ZIP, no main document part,
    malformed XML).
    """
    document = _open(data, path)
    reader = _Reader(document, path, images_dir)
    try:
        body = document.element.body
        items: list[tuple[str, Any]] = []
        previous: etree._Element | None = None
        for child in body.iterchildren():
            for element in _unwrap(child):
                if element.tag == f"{{{W}}}p" and previous is not None and _continues(previous, element):
                    rest = reader.paragraph(element)
                    para = items[-1][1]
                    para.inlines, para.text = _merge([*para.inlines, *rest.inlines]), para.text + rest.text
                    previous = None
                    continue
                previous = element if element.tag == f"{{{W}}}p" else None
                if element.tag == f"{{{W}}}p":
                    para = reader.paragraph(element)
                    if para.guess == "direct":
                        para.level = -int(reader.size_of(element) * 2)  # ranked below, by size
                    items.append(("p", para))
                elif element.tag == f"{{{W}}}tbl":
                    items.append(("t", reader.table(element)))
        footnote_bodies = reader.footnotes()
    except etree.XMLSyntaxError as exc:
        raise error(
            f"the Word document is damaged ({exc}); nothing was written",
            "open it in Word or LibreOffice, save it again and import that",
            path,
            1,
            1,
        ) from None
    result = _assemble(document, reader, items, footnote_bodies)
    _linked_headings(result, reader.bookmarks)
    if not result.blocks:
        raise error(
            "the Word document holds no text; nothing was written",
            "check that this is the right file (a document whose text is in text boxes or shapes only cannot be read)",
            path,
            1,
            1,
        )
    return result


def _linked_headings(result: TreeImport, bookmarks: dict[str, list[m.Inline]]) -> None:
    """Point each link to a heading's bookmark (``#sec_3``, as the DOCX writer names them; Word's
    ``#_Toc…``) at that heading by its name as GitHub gives it (``#二方法``,
    :func:`~zhengji_publish.anchors.github_slugs`), which the reader resolves; the bookmark's name
    means nothing in Markdown, and the link warned and went dead when the source was built."""
    headings = [b for b in m.iter_blocks(result.blocks) if isinstance(b, m.Heading)]
    slugs = {id(h.children): slug for h, slug in zip(headings, github_slugs(headings), strict=True)}
    for node in m.nodes([*result.blocks, *result.footnotes]):
        if isinstance(node, m.Link) and node.href.startswith("#"):
            inlines = bookmarks.get(node.href[1:])
            if inlines is not None and id(inlines) in slugs:
                node.href = "#" + slugs[id(inlines)]


def _continues(head: etree._Element, tail: etree._Element) -> bool:
    """Whether paragraph ``tail`` is the last lines of paragraph ``head``, split off to go with a
    closing byline (:func:`zhengji_publish.writers.docx.body.split_paragraph`): the same style, no
    spacing between them (``w:spacing`` after 0, before 0), the tail without first-line indent and
    kept with the next paragraph (``w:keepNext``)."""

    def prop(p: etree._Element, path: str, name: str) -> str | None:
        found = p.find(f"{{{W}}}pPr/{path}")
        return None if found is None else found.get(f"{{{W}}}{name}")

    style = f"{{{W}}}pStyle"
    return (
        head.find(f"{{{W}}}pPr/{style}") is not None
        and prop(head, style, "val") == prop(tail, style, "val")
        and prop(head, f"{{{W}}}spacing", "after") == "0"
        and prop(tail, f"{{{W}}}spacing", "before") == "0"
        and prop(tail, f"{{{W}}}ind", "firstLine") == "0"
        and tail.find(f"{{{W}}}pPr/{{{W}}}keepNext") is not None
    )


def _unwrap(element: etree._Element) -> list[etree._Element]:
    """Paragraphs and tables, looking inside content controls (``w:sdt``, 17.5.2)."""
    if element.tag == f"{{{W}}}sdt":
        content = element.find(f"{{{W}}}sdtContent")
        return [e for child in (content if content is not None else []) for e in _unwrap(child)]
    return [element]


def _assemble(
    document: Any, reader: _Reader, items: list[tuple[str, Any]], footnote_bodies: dict[str, list[m.Block]]
) -> TreeImport:
    meta: dict[str, Any] = {}
    blocks: list[m.Block] = []
    notes = reader.notes
    # Headings made by direct formatting: the largest size is the highest level below the styled ones.
    direct = sorted({-p.level for kind, p in items if kind == "p" and p.guess == "direct"}, reverse=True)
    styled = [
        p.level for kind, p in items if kind == "p" and p.kind == "heading" and p.guess not in ("direct", "numbered")
    ]
    top = min(styled, default=0)
    # Headings numbered by hand (一、 （一）, GB/T 9704-2012 §7.3.3), ranked by their pattern below
    # the styled or hand-made ones
    numbered = [p.pattern for kind, p in items if kind == "p" and p.guess == "numbered"]
    patterns = [name for name in NUMBERED_LEVELS if name in numbered]
    numbered_base = top + 1 if styled else 2 if direct else 1
    office = _office_head(items)
    taken: set[int] = set()  # the paragraphs (ids) that became elements of the 公文 block
    if office is not None:
        mark, title = office
        meta["title"] = title.text
        why = "the centred paragraph opening a document whose sections are numbered 一、（一） (GB/T 9704-2012 §7.3.3)"
        reader.general.append(Note(f"the title “{title.text}”", why + "; its sections start at '#'", ("title",)))
        elements, taken = _office_elements(items, title)
        if mark is not None:
            why = "the issuer's name centred above the title (GB/T 9704-2012 §7.2.4), set in red over the title"
            elements.insert(0, OfficeElement("发文机关标志", mark.text, [], why))
        meta["公文"] = office_block(elements, reader.general)
        numbered = [p.pattern for kind, p in items if kind == "p" and p.guess == "numbered" and id(p) not in taken]
        patterns = [name for name in NUMBERED_LEVELS if name in numbered]  # an attachment's 1. is none
        numbered_base = 1
    signed = _signature(items)
    first_heading = True
    list_stack: list[tuple[int, str, m.ListBlock]] = []  # (indent, numId, list)
    notice: m.Div | None = None
    last_figure: m.Figure | None = None

    def close_lists() -> None:
        list_stack.clear()

    indented = 0
    for _, item in items:  # indentation typed as spaces: the style indents paragraphs itself
        if isinstance(item, _Para) and item.kind == "body" and item.inlines and isinstance(item.inlines[0], m.Text):
            first = item.inlines[0]
            stripped = first.text.lstrip(" \u3000\u00a0\t")
            if stripped != first.text:
                # a paragraph of spaces alone (our own DOCX's section ends) is dropped, not typing
                indented += bool(stripped or m.plain_text(item.inlines[1:]).strip())
                item.inlines = ([m.Text(stripped)] if stripped else []) + item.inlines[1:]
    if indented:
        reader.general.append(
            Note(
                f"paragraph indentation was typing ({indented} paragraphs started with spaces)",
                "the spaces were removed: the style indents paragraphs",
            )
        )
    for n, (kind, item) in enumerate(items):
        if kind == "t":
            close_lists()
            blocks.append(item)
            notice = None
            continue
        para: _Para = item
        if office is not None and (any(para is head for head in office) or id(para) in taken):
            continue  # in the front matter
        if para.kind not in ("list", "listcont"):
            close_lists()
        if para.kind not in ("notice", "noticetitle"):
            notice = None
        if para.kind != "caption":
            last_figure = None if para.kind != "figure" else last_figure
        if para.kind == "toc":
            continue
        if para.kind == "title":
            if "title" not in meta and para.text:
                meta["title"] = para.text
                continue
            blocks.append(m.Heading(1, para.inlines))
        elif para.kind == "author":
            authors = meta.setdefault("author", [])
            if isinstance(authors, list) and para.text:
                authors.append(para.text)
        elif para.kind == "date":
            found = re.search(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})", para.text)
            if found and "date" not in meta:
                try:
                    meta["date"] = dt.date(*(int(g) for g in found.groups()))
                except ValueError:
                    blocks.append(m.Paragraph(para.inlines))
            elif para.text:
                blocks.append(m.Paragraph(para.inlines))
        elif para.kind == "abstract":
            if para.text and "description" not in meta:
                meta["description"] = para.text
            elif para.text:
                blocks.append(m.Paragraph(para.inlines))
        elif para.kind == "subtitle":
            after_title = n > 0 and items[n - 1][0] == "p" and items[n - 1][1].kind == "title"
            if after_title and "subtitle" not in meta:
                meta["subtitle"] = para.text
            else:
                blocks.append(m.Div("subtitle", [m.Paragraph(para.inlines)]))
        elif para.kind == "heading" and para.guess == "numbered":
            level = min(numbered_base + patterns.index(para.pattern), 6)
            block = m.Heading(level, _unbold(para.inlines))  # its bold said it was a heading
            blocks.append(block)
            first_heading = False
            why = f"a short paragraph numbered like {para.pattern} without end punctuation, level {level}"
            notes.append((block, Note("a section heading", why + "; if it is a sentence, remove the #s")))
        elif para.kind == "signature":
            last = blocks[-1] if blocks else None
            if isinstance(last, m.Div) and last.cls == "byline":
                last.children.append(m.Paragraph(para.inlines))
            else:
                byline = m.Div("byline", [m.Paragraph(para.inlines)])
                blocks.append(byline)
                why = "the document ends with a date alone in a paragraph, right-aligned or under its issuer"
                notes.append((byline, Note("the signature (落款)", why + "; it was set as a byline, right-aligned")))
        elif para.kind == "heading":
            level = para.level
            inlines = para.inlines
            if para.guess == "direct":
                # Ranked by size: with styled headings too, below the top one; with a single size,
                # the first is the headline and the others its sections.
                rank = direct.index(-para.level)
                if styled:
                    level = top + 1 + rank
                elif len(direct) == 1:
                    level = 1 if first_heading else 2
                else:
                    level = 1 + rank
                inlines = _unbold(inlines)
            level = min(max(level, 1), 6)
            block = m.Heading(level, inlines)
            first_heading = False
            blocks.append(block)
            if para.guess == "direct":
                notes.append(
                    (
                        block,
                        Note(
                            f"a level-{level} heading “{para.text}”",
                            "a short centred paragraph, bold or larger than the text, without end punctuation; "
                            "if it is not a heading, remove the #s",
                        ),
                    )
                )
            elif para.guess == "outline":
                notes.append((block, Note(f"a level-{level} heading", "the paragraph has an outline level in Word")))
        elif para.kind == "byline":
            last = blocks[-1] if blocks else None
            if isinstance(last, m.Div) and last.cls == "byline":
                last.children.append(m.Paragraph(para.inlines))
            else:
                blocks.append(m.Div("byline", [m.Paragraph(para.inlines)]))
        elif para.kind == "quote":
            last = blocks[-1] if blocks else None
            if isinstance(last, m.BlockQuote):
                last.children.append(m.Paragraph(para.inlines))
            else:
                blocks.append(m.BlockQuote([m.Paragraph(para.inlines)]))
        elif para.kind in ("notice", "noticetitle"):
            if notice is None or para.kind == "noticetitle" and notice.children:
                notice = m.Div("notice", [])
                blocks.append(notice)
            child: m.Block = m.Heading(1, para.inlines) if para.kind == "noticetitle" else m.Paragraph(para.inlines)
            notice.children.append(child)
        elif para.kind == "figure":
            image = next(i for i in para.inlines if isinstance(i, m.Image))
            figure = m.Figure(image, [m.Text(image.alt)] if image.alt else [])
            blocks.append(figure)
            last_figure = figure
            continue
        elif para.kind == "caption":
            if last_figure is not None:
                last_figure.caption = para.inlines
                if last_figure.image.alt and para.text != last_figure.image.alt:
                    last_figure.image.title = para.text
                elif not last_figure.image.alt:
                    last_figure.image.alt = para.text
                last_figure = None
            else:
                blocks.append(m.Paragraph(para.inlines))
        elif para.kind == "code":
            blocks.append(m.CodeBlock(para.text))
        elif para.kind == "hr":
            blocks.append(m.ThematicBreak())
        elif para.kind == "list":
            num_id, indent = para.num
            while list_stack and indent < list_stack[-1][0]:
                list_stack.pop()
            item_ = m.ListItem([m.Paragraph(para.inlines)])
            if list_stack and indent == list_stack[-1][0] and num_id != list_stack[-1][1]:
                list_stack.pop()  # another list at the same depth: a list of its own
            if list_stack and indent == list_stack[-1][0]:
                list_stack[-1][2].items.append(item_)
            else:
                new = m.ListBlock(para.ordered, [item_], para.start if para.ordered else 1)
                if list_stack and list_stack[-1][2].items:
                    list_stack[-1][2].items[-1].children.append(new)
                else:
                    blocks.append(new)
                list_stack.append((indent, num_id, new))
        elif para.kind == "listcont" and list_stack:
            list_stack[-1][2].items[-1].children.append(m.Paragraph(para.inlines))
            for _, _, lst in list_stack:
                lst.tight = False
        else:
            if para.inlines and m.plain_text(para.inlines).strip() or any(isinstance(i, m.Image) for i in para.inlines):
                blocks.append(m.Paragraph(para.inlines))
    blocks = _typed_lists(blocks, notes)
    footnotes: list[m.Footnote] = []
    ids = {number: fid for fid, number in reader.footnote_numbers.items()}
    for number in sorted(ids):
        footnotes.append(m.Footnote(str(number), number, footnote_bodies.get(ids[number], [])))
    if signed is not None and "date" not in meta:
        meta["date"] = signed
        reader.general.append(Note(f"the date {signed}", "the date that signs the document", ("date",)))
    _core(document, meta, reader.general, blocks)
    return TreeImport(_ordered(meta), blocks, footnotes, notes, reader.general, reader.images)


def _office_head(items: list[tuple[str, Any]]) -> tuple[_Para | None, _Para] | None:
    """(the 发文机关标志 or None, the title) of an office document (公文) formatted by hand: its
    headings are a title made by direct formatting (centred and larger, GB/T 9704-2012 §7.3.1) that
    opens the text, and sections numbered by hand as §7.3.3 numbers them (一、（一）), no heading
    style; a centred paragraph above the title that :func:`issuer_mark` reads as an issuer's name
    is its 发文机关标志 (§7.2.4), also with the 发文字号 between them. A document without numbered
    sections is one when a 发文字号 or 主送机关 stands by its title (:func:`office_elements`). None
    for any other document."""
    paras = _office_paras(items)
    headings = [p for p in paras if p.kind in ("heading", "title")]
    if any(p.kind == "title" or p.guess not in ("direct", "numbered") for p in headings):
        return None
    patterns = {p.pattern for p in headings if p.guess == "numbered"}
    if not patterns <= set(OFFICE_LEVELS):
        return None
    mark: _Para | None = None
    centred = bool(paras) and (paras[0].guess == "direct" or paras[0].kind == "body" and paras[0].align == "center")
    numbered = len(paras) >= 3 and bool(doc_number(paras[1].text))  # the 发文字号 under the 发文机关标志
    if len(paras) >= 2 and centred and issuer_mark(paras[0].text) and paras[1 + numbered].guess == "direct":
        mark, title = paras[0], paras[1 + numbered]
    elif paras and paras[0].guess == "direct":
        title = paras[0]
    else:
        return None
    if any(p.guess == "direct" and p is not mark and p is not title for p in headings):
        return None
    if not patterns and not {"发文字号", "主送机关"} & {e.key for e in _office_elements(items, title)[0]}:
        return None
    return mark, title


def _office_paras(items: list[tuple[str, Any]]) -> list[_Para]:
    """The paragraphs with text, in order: the lines a 公文's elements are read from."""
    return [p for kind, p in items if kind == "p" and p.text and p.kind != "toc"]


def _office_elements(items: list[tuple[str, Any]], title: _Para) -> tuple[list[OfficeElement], set[int]]:
    """The elements of the 公文 titled ``title`` that its paragraphs carry, read by the text's rules
    (:func:`~zhengji_publish.importers.text.office_elements`, a right-aligned paragraph counting as
    pushed right), and the ids of the paragraphs they take."""
    paras = _office_paras(items)
    units = [Unit(p.text, n, indent=SIGNATURE_PUSHED if p.align == "right" else 0) for n, p in enumerate(paras)]
    for unit in units:
        classify(unit)
    elements = office_elements(units, next(n for n, p in enumerate(paras) if p is title))
    return elements, {id(paras[k]) for element in elements for k in element.units}


def _signature(items: list[tuple[str, Any]]) -> dt.date | None:
    """Marks the paragraphs of a signature closing the document (落款: the issuer and 成文日期,
    GB/T 9704-2012 §7.3.5; :func:`~zhengji_publish.importers.text.signature_of`) as such, a right-
    aligned paragraph counting as pushed right; returns its date, or None when it ends otherwise."""
    tail: list[_Para] = []
    for kind, item in reversed(items):
        if kind != "p" or item.kind != "body" or len(tail) >= SIGNATURE_TAIL:
            break
        tail.insert(0, item)
    found = signature_of([(para.text, para.align == "right") for para in tail])
    if found is None:
        return None
    lines, date = found
    for n in lines:
        if tail[n].text:
            tail[n].kind = "signature"
    return date


_TYPED_NUMBER = re.compile(r"^\s*(\d{1,3})[.．、)）]\s*")


def _typed_number(block: m.Block) -> int | None:
    if isinstance(block, m.Paragraph) and block.children and isinstance(block.children[0], m.Text):
        found = _TYPED_NUMBER.match(block.children[0].text)
        if found and found.end() < len(block.children[0].text) + (len(block.children) > 1):
            return int(found.group(1))
    return None


def _typed_lists(blocks: list[m.Block], notes: list[tuple[object, Note]]) -> list[m.Block]:
    """Paragraphs numbered by hand (1. … 2. … typed into the text) as a numbered list, with a note."""
    out: list[m.Block] = []
    n = 0
    while n < len(blocks):
        start = _typed_number(blocks[n])
        run = 1
        while start is not None and n + run < len(blocks) and _typed_number(blocks[n + run]) == start + run:
            run += 1
        if start is None or run < 2:
            out.append(blocks[n])
            n += 1
            continue
        items = []
        for block in blocks[n : n + run]:
            assert isinstance(block, m.Paragraph) and isinstance(block.children[0], m.Text)
            first = m.Text(_TYPED_NUMBER.sub("", block.children[0].text, count=1))
            items.append(m.ListItem([m.Paragraph(([first] if first.text else []) + block.children[1:])]))
        numbered = m.ListBlock(True, items, start)
        out.append(numbered)
        notes.append((numbered, Note("a numbered list", f"{run} paragraphs numbered by hand from {start}")))
        n += run
    return out


def _core(document: Any, meta: dict[str, Any], general: list[Note], blocks: list[m.Block]) -> None:
    """Title, author and date from the core properties, where the body did not give them."""
    props = document.core_properties
    first = next((b for b in blocks if isinstance(b, m.Heading)), None)
    first_text = m.plain_text(first.children).strip() if first else ""
    title = (props.title or "").strip()
    if "title" not in meta and title and title != first_text:
        meta["title"] = title
        general.append(
            Note(f"the title “{title}”", "the document's properties (File → Properties) name it", ("title",))
        )
    if meta.get("author") == []:
        del meta["author"]
    elif isinstance(meta.get("author"), list) and len(meta["author"]) == 1:
        meta["author"] = meta["author"][0]
    author = (props.author or "").strip()
    if "author" not in meta and author and author.lower() not in NO_AUTHOR:
        names = [a.strip() for a in re.split(r"[;；]", author) if a.strip()]
        meta["author"] = names[0] if len(names) == 1 else names
    created = props.created
    if "date" not in meta and isinstance(created, dt.datetime) and created.date() not in NO_DATE:
        meta["date"] = created.date()
        general.append(Note(f"the date {created.date()}", "the document's creation date in its properties", ("date",)))
    from zhengji_publish.importers.lang import guess_lang

    lang, note = guess_lang("".join(m.plain_text(b.children) for b in blocks if isinstance(b, m.Paragraph)))
    meta["lang"] = lang
    if note:
        general.append(note)


def _ordered(meta: dict[str, Any]) -> dict[str, Any]:
    order = ["title", "subtitle", "author", "publisher", "date", "lang", "description", "公文"]
    return {key: meta[key] for key in order if key in meta}
