"""DOCX writer: a Word document with real styles, numbering, footnotes and Chinese typography.

python-docx provides the package and pictures; everything it has no API for (East Asian fonts,
language, document grid, fields, footnotes) is written as WordprocessingML here and in the
other modules of this package. The file is zipped with fixed entry times, so the same source gives the same
bytes.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.story import StoryPart
from docx.shared import Pt
from lxml import etree

from zhengji_publish import model as m
from zhengji_publish.context import BuildContext
from zhengji_publish.typeset import rules
from zhengji_publish.writers.docx.body import BodyWriter, paragraph
from zhengji_publish.writers.docx.numbering import Numbering, numbering_element
from zhengji_publish.writers.docx.styles import build_styles
from zhengji_publish.writers.docx.xml import el, set_paragraph_prop, text_run, twips

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold: no clock in the output
# Template parts a generated document must not carry: a stale thumbnail, Word 2010 style copies
# that still name Japanese theme fonts, and sample custom XML.
DROPPED_RELS = (RT.THUMBNAIL, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects", RT.CUSTOM_XML)


def write(ctx: BuildContext, dest: Path) -> None:
    """Write the edition in ``ctx`` as a .docx file at ``dest``."""
    document = docx.Document()
    drop_template_parts(document)
    build_styles(ctx, document.styles.element)
    shape_ids, bookmark_ids = itertools.count(1), itertools.count(1)
    numbering = Numbering(ctx, numbering_element(document.part))
    body = BodyWriter(ctx, document.part, numbering, shape_ids, bookmark_ids)
    nodes = front_matter(ctx) + toc(ctx) + body.blocks(ctx.doc.blocks)
    sect = document.element.body.sectPr
    for node in nodes:
        sect.addprevious(node)
    if ctx.doc.footnotes:
        add_footnotes(ctx, document, numbering, shape_ids, bookmark_ids)
    page_setup(ctx, document)
    settings(ctx, document.settings.element)
    kinsoku(ctx, document.settings.element)
    core_properties(ctx, document)
    buffer = io.BytesIO()
    document.save(buffer)
    dest.write_bytes(reproducible_zip(buffer.getvalue()))


def drop_template_parts(document: Document) -> None:
    """Unlink template parts that are no part of the output (unlinked parts are not saved)."""
    for rels in (document.part.package.rels, document.part.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype in DROPPED_RELS:
                del rels[rid]


def front_matter(ctx: BuildContext) -> list[etree._Element]:
    """The document title and subtitle from the metadata, in Word's Title and Subtitle styles."""
    nodes = []
    if ctx.meta.title and not ctx.meta.title_derived:
        nodes.append(paragraph("Title", [text_run(ctx.meta.title)]))
    if ctx.meta.subtitle:
        nodes.append(paragraph("Subtitle", [text_run(ctx.meta.subtitle)]))
    return nodes


def field_runs(instruction: str, result: list[etree._Element]) -> list[etree._Element]:
    """A complex field with a result Word shows until it updates the field."""
    instr = el("instrText", {"xml:space": "preserve"})
    instr.text = f" {instruction} "
    return [
        el("r", None, el("fldChar", {"fldCharType": "begin"})),
        el("r", None, instr),
        el("r", None, el("fldChar", {"fldCharType": "separate"})),
        *result,
        el("r", None, el("fldChar", {"fldCharType": "end"})),
    ]


def toc(ctx: BuildContext) -> list[etree._Element]:
    """A TOC field over the heading levels the style asks for, prefilled with the headings.

    Word refreshes it on opening (``w:updateFields``); the prefilled entries keep it readable in
    applications that never update fields.
    """
    contents = ctx.plan.contents
    if not contents.enabled:
        return []
    depth = contents.depth
    entries = [h for h in m.headings(ctx.doc) if h.level <= depth]
    heading = paragraph("TOCHeading", [text_run(contents.title)])
    instruction = f'TOC \\o "1-{depth}" \\h \\z \\u'
    if not entries:
        return [heading, paragraph("Normal", field_runs(instruction, []))]
    runs = field_runs(instruction, [text_run(m.plain_text(entries[0].children))])
    nodes = [paragraph(f"TOC{entries[0].level}", runs[:-1])]
    nodes += [paragraph(f"TOC{h.level}", [text_run(m.plain_text(h.children))]) for h in entries[1:]]
    nodes[-1].append(runs[-1])
    return [heading, *nodes]


def add_footnotes(
    ctx: BuildContext,
    document: Document,
    numbering: Numbering,
    shape_ids: itertools.count,
    bookmark_ids: itertools.count,
) -> None:
    """A footnotes part (python-docx has none) with Word's two separators and every footnote."""
    root = parse_xml(f"<w:footnotes {nsdecls('w', 'r', 'wp', 'a', 'pic')}/>")
    for note_id, kind, mark in ((-1, "separator", "separator"), (0, "continuationSeparator", "continuationSeparator")):
        root.append(
            el(
                "footnote",
                {"type": kind, "id": note_id},
                el(
                    "p",
                    None,
                    el("pPr", None, el("spacing", {"after": 0, "line": 240, "lineRule": "auto"})),
                    el("r", None, el(mark)),
                ),
            )
        )
    part = StoryPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, root, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    writer = BodyWriter(ctx, part, numbering, shape_ids, bookmark_ids)
    for note in ctx.doc.footnotes:
        nodes = writer.blocks(note.children, "FootnoteText")
        if not nodes or nodes[0].tag != qn("w:p"):
            nodes.insert(0, paragraph("FootnoteText", []))
        mark = el("r", None, el("rPr", None, el("rStyle", {"val": "FootnoteReference"})), el("footnoteRef"))
        nodes[0].find(qn("w:pPr")).addnext(mark)
        root.append(el("footnote", {"id": note.number}, *nodes))


def page_setup(ctx: BuildContext, document: Document) -> None:
    """Page size, margins, running header and folio, and the character grid of the style."""
    page = ctx.style.page
    section = document.sections[0]
    section.page_width, section.page_height = Pt(page.width), Pt(page.height)
    section.top_margin, section.bottom_margin = Pt(page.top), Pt(page.bottom)
    section.left_margin, section.right_margin = Pt(page.left), Pt(page.right)
    section.header_distance, section.footer_distance = Pt(page.top / 2), Pt(page.bottom / 2)
    header_text = ctx.style.header_text.replace("{title}", ctx.meta.title)
    if header_text:
        fill_story(section.header.paragraphs[0]._p, "Header", [text_run(header_text)])
    place_folio(ctx, document)
    grid = doc_grid(ctx)
    old = section._sectPr.find(qn("w:docGrid"))
    if old is not None:
        old.getparent().replace(old, grid)
    else:
        section._sectPr.append(grid)
    if ctx.plan.vertical:  # columns top to bottom, right to left (ECMA-376 §17.6.20 textDirection)
        grid.addprevious(el("textDirection", {"val": "tbRl"}))


def place_folio(ctx: BuildContext, document: Document) -> None:
    """The folio in the footer: centred, or on the outside of the page (odd right, even left).

    With ``folio-offset`` the footer sits so the folio's top is that far below the type area.
    """
    style, page = ctx.style, ctx.style.page
    section = document.sections[0]
    footer = style.block("footer")
    if style.folio_offset is not None:
        section.footer_distance = Pt(max(0.0, page.bottom - style.folio_offset - footer.line_height))
    fill_story(section.footer.paragraphs[0]._p, "Footer", folio_runs(style.folio))
    if style.folio_position != "outside":
        return
    document.settings.odd_and_even_pages_header_footer = True
    inset = twips(style.folio_inset)
    odd = section.footer.paragraphs[0]._p
    set_paragraph_prop(odd, "jc", {"val": "right"})
    set_paragraph_prop(odd, "ind", {"right": inset, "firstLine": 0, "firstLineChars": 0})
    fill_story(section.even_page_footer.paragraphs[0]._p, "Footer", folio_runs(style.folio))
    even = section.even_page_footer.paragraphs[0]._p
    set_paragraph_prop(even, "jc", {"val": "left"})
    set_paragraph_prop(even, "ind", {"left": inset, "firstLine": 0, "firstLineChars": 0})
    header_text = style.header_text.replace("{title}", ctx.meta.title)
    if header_text:  # with odd and even pages told apart, even pages need their own header
        fill_story(section.even_page_header.paragraphs[0]._p, "Header", [text_run(header_text)])


def fill_story(p: etree._Element, style: str, runs: list[etree._Element]) -> None:
    """Replace the template paragraph of a header or footer."""
    p.getparent().replace(p, paragraph(style, runs))


def folio_runs(folio: str) -> list[etree._Element]:
    """``— {page} —`` → the text around a PAGE field."""
    before, found, after = folio.partition("{page}")
    if not found:
        return [text_run(folio)] if folio else []
    runs = [text_run(before)] if before else []
    runs += field_runs("PAGE", [text_run("1")])
    return runs + ([text_run(after)] if after else [])


def doc_grid(ctx: BuildContext) -> etree._Element:
    """Word's document grid: lines per page and characters per line, when the style sets them.

    ``w:charSpace`` is the character pitch minus the default font size, in 1/4096 pt. The line
    pitch is rounded down: rounded up, 22 lines of it no longer fit the type area's height.
    """
    page, body = ctx.style.page, ctx.style.block("body")
    if not (page.lines_per_page or page.chars_per_line):
        return el("docGrid", {"linePitch": twips(body.line_height)})
    height, measure = page.height - page.top - page.bottom, page.measure
    if ctx.plan.vertical:  # a line is a column: it runs down the height, lines stand across the width
        height, measure = measure, height
    line_pitch = height / page.lines_per_page if page.lines_per_page else body.line_height
    attrs: dict[str, object] = {
        "type": "lines" if not page.chars_per_line else "linesAndChars",
        "linePitch": int(line_pitch * 20),
    }
    if page.chars_per_line:
        attrs["charSpace"] = round((measure / page.chars_per_line - body.size) * 4096)
    return el("docGrid", attrs)


def settings(ctx: BuildContext, root: etree._Element) -> None:
    """Document settings: East Asian theme language, punctuation compression, field update."""
    preview = root.find(qn("w:savePreviewPicture"))
    if preview is not None:
        root.remove(preview)
    control = root.find(qn("w:characterSpacingControl"))
    control.set(qn("w:val"), "compressPunctuation" if ctx.plan.punctuation.compressed else "doNotCompress")
    lang = root.find(qn("w:themeFontLang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), ctx.plan.languages.docx)
    compat = root.find(qn("w:compat"))
    compat.insert(0, el("doNotExpandShiftReturn"))  # a line ended by a hard break is not spread out
    if ctx.plan.contents.enabled:
        compat.addprevious(el("updateFields", {"val": "true"}))
    if ctx.doc.footnotes:
        compat.addprevious(el("footnotePr", None, el("footnote", {"id": -1}), el("footnote", {"id": 0})))


def kinsoku(ctx: BuildContext, root: etree._Element) -> None:
    """Word's custom line-break rules: the style's prohibited classes, the same the PDF applies.

    ``w:noLineBreaksAfter`` (marks that may not end a line) and ``w:noLineBreaksBefore`` (marks that
    may not start one), ECMA-376 Part 1 §17.15.1.58 and §17.15.1.59, follow ``w:characterSpacingControl``
    in the settings' schema order. Word keeps one custom list per East Asian language and knows only
    Simplified and Traditional Chinese: the Hong Kong edition uses the Traditional list.
    """
    before, after = rules.kinsoku_lists(ctx.plan.line_break.value)
    lang = ctx.plan.languages.docx_kinsoku
    control = root.find(qn("w:characterSpacingControl"))
    control.addnext(el("noLineBreaksBefore", {"lang": lang, "val": before}))
    control.addnext(el("noLineBreaksAfter", {"lang": lang, "val": after}))


def core_properties(ctx: BuildContext, document: Document) -> None:
    """Title, authors, subject, keywords, language and the build's fixed timestamp."""
    props = document.core_properties
    meta = ctx.meta

    def fit(text: str) -> str:  # python-docx refuses a property longer than 255 characters
        return text if len(text) <= 255 else text[:254] + "…"

    props.title = fit(meta.title)
    props.author = fit("; ".join(meta.authors))
    props.subject = fit(meta.subject)
    props.keywords = fit("; ".join(meta.keywords))
    props.comments = fit(meta.description)
    props.category = ""
    props.language = ctx.plan.languages.docx_core
    props.identifier = ctx.identifier
    props.last_modified_by = fit(meta.publisher or props.author)
    props.revision = 1
    stamp = ctx.timestamp.replace(tzinfo=None)
    props.created = stamp
    props.modified = stamp


def reproducible_zip(data: bytes) -> bytes:
    """Re-zip python-docx's output with fixed entry times and attributes, in its own stable order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, src.read(name))
    return out.getvalue()
