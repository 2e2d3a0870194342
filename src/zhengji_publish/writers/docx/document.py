"""DOCX writer: a Word document with real styles, numbering, footnotes and Chinese typography.

python-docx provides the package and pictures; everything it has no API for (East Asian fonts,
language, line grid, fields, footnotes) is written as WordprocessingML here and in the
other modules of this package. The page is the PDF's: its type area, line grid, running header
and folio positions, and the contents' page numbers come from the PDF writer's layout. The file
is zipped with fixed entry times, so the same source gives the same bytes.
"""

from __future__ import annotations

import io
import itertools
import math
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.story import StoryPart
from docx.shared import Pt, Twips
from lxml import etree

from zhengji_publish import model as m
from zhengji_publish.context import BuildContext
from zhengji_publish.diagnostics import UserError
from zhengji_publish.typeset import rules
from zhengji_publish.writers.docx import compression, gongwen
from zhengji_publish.writers.docx.body import BodyWriter, bookmark_name, paragraph
from zhengji_publish.writers.docx.faces import name_faces
from zhengji_publish.writers.docx.numbering import Numbering, numbering_element
from zhengji_publish.writers.docx.sections import BODY_FORMATS, blank_header, book_sections, open_pages, page_numbering
from zhengji_publish.writers.docx.styles import baseline_in_line, build_styles, footer_distance, grid_pitch
from zhengji_publish.writers.docx.xml import Props, el, set_paragraph_prop, text_run, twips
from zhengji_publish.writers.pdf.layout import NOTE_RULE_ROOM, geometry, heading_folios, on_grid, running_heads

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold: no clock in the output
# Template parts a generated document must not carry: a stale thumbnail, Word 2010 style copies
# that still name Japanese theme fonts, and sample custom XML.
DROPPED_RELS = (RT.THUMBNAIL, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects", RT.CUSTOM_XML)


def write(ctx: BuildContext, dest: Path) -> None:
    """Write the edition in ``ctx`` as a .docx file at ``dest``.

    The page is the PDF's: the same type area (:func:`~zhengji_publish.writers.pdf.layout.geometry`)
    and, with ``lines-per-page``, the same line heights in whole grid lines
    (:func:`~zhengji_publish.writers.pdf.layout.on_grid`).
    """
    geo = geometry(ctx.style)
    if geo.pitch:
        ctx = replace(ctx, style=on_grid(ctx.style, geo.pitch))
    document = docx.Document()
    drop_template_parts(document)
    build_styles(ctx, document.styles.element)
    shape_ids, bookmark_ids = itertools.count(1), itertools.count(1)
    numbering = Numbering(ctx, numbering_element(document.part))
    body = BodyWriter(ctx, document.part, numbering, shape_ids, bookmark_ids)
    breaks = gongwen.record_breaks(ctx, body)
    if ctx.meta.gongwen is not None:  # GB/T 9704-2012: 版头, 主体 and 版记 (writers/docx/gongwen.py)
        nodes = gongwen.body_nodes(ctx, body, document.part, shape_ids, breaks)
    else:
        front, contents = front_matter(ctx, body), toc(ctx)
        book = any(m.is_opening(b) for b in ctx.doc.blocks)
        lead = m.title_divs(ctx.doc.blocks) if contents and not book else 0  # under the title, as the PDF
        front += body.blocks(ctx.doc.blocks[:lead])
        blocks = body.blocks(ctx.doc.blocks[lead:])
        if body.openings and contents:
            # a book: the contents are a section of their own after the title page, ended by the
            # first opening's section break rather than a page break
            contents[-1].remove(contents[-1][-1])
            contents_mark = paragraph("Normal", [])
            body.openings.insert(0, (contents_mark, "contents", ""))
            contents.insert(0, contents_mark)
        nodes = front + contents + blocks
        body.join_spacing(nodes)
        open_pages(nodes)
    sect = document.element.body.sectPr
    for node in nodes:
        sect.addprevious(node)
    if ctx.doc.footnotes:
        add_footnotes(ctx, document, numbering, shape_ids, bookmark_ids)
    page_setup(ctx, document)
    book_sections(ctx, document, body.openings)
    if ctx.meta.gongwen is not None and not ctx.meta.gongwen.folio_on_first_page:
        gongwen.no_first_folio(document)
    if breaks == 2:
        gongwen.record_section(document)
    name_faces(ctx, story_roots(document))
    settings(ctx, document.settings.element)
    kinsoku(ctx, document.settings.element)
    core_properties(ctx, document)
    buffer = io.BytesIO()
    document.save(buffer)
    dest.write_bytes(reproducible_zip(buffer.getvalue()))


def story_roots(document: Document) -> list[etree._Element]:
    """The roots of the document's stories: its body, its notes, headers and footers."""
    stories = (CT.WML_DOCUMENT_MAIN, CT.WML_FOOTNOTES, CT.WML_HEADER, CT.WML_FOOTER)
    parts = [part for part in document.part.package.iter_parts() if part.content_type in stories]
    return [part.element for part in sorted(parts, key=lambda part: str(part.partname))]


def drop_template_parts(document: Document) -> None:
    """Unlink template parts that are no part of the output (unlinked parts are not saved)."""
    for rels in (document.part.package.rels, document.part.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype in DROPPED_RELS:
                del rels[rid]


def front_matter(ctx: BuildContext, body: BodyWriter) -> list[etree._Element]:
    """The document title and subtitle from the metadata, in Word's Title and Subtitle styles, their
    inline Markdown set by ``body`` as in the text; a book's title page also names its authors,
    editors and publisher (Byline), as the PDF's does."""
    nodes = []
    if ctx.meta.title and not ctx.meta.title_derived:
        title = ctx.meta.title_inlines()
        nodes.append(body.text_paragraph("Title", title))
    if ctx.meta.subtitle:
        subtitle = ctx.meta.subtitle_inlines()
        nodes.append(body.text_paragraph("Subtitle", subtitle))
    if any(m.is_opening(b) for b in ctx.doc.blocks):
        for line in ("、".join(ctx.meta.authors), "、".join(ctx.meta.editors), ctx.meta.publisher):
            if line:
                nodes.append(paragraph("Byline", [text_run(line)]))
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
    """A TOC field over the heading levels the style asks for, its result already written: every
    entry a link to its heading, a dotted leader and the heading's folio as the PDF of the same
    style paginates it (:func:`~zhengji_publish.writers.pdf.layout.heading_folios`: a book's
    front matter in its own numbering, its body from 1), so the contents read right before any
    application updates the field; a page break follows, as in the PDF.

    Word refreshes the field on opening (``w:updateFields``), LibreOffice when told to; both
    rebuild it from the ``\\o`` levels with the same TOC styles.
    """
    contents = ctx.plan.contents
    if not contents.enabled:
        return []
    depth = contents.depth
    entries = [h for h in m.headings(ctx.doc) if h.level <= depth]
    heading = paragraph("TOCHeading", [text_run(contents.title)])
    instruction = f'TOC \\o "1-{depth}" \\h \\z \\u'
    page_break = el("r", None, el("br", {"type": "page"}))
    if not entries:
        return [heading, paragraph("Normal", [*field_runs(instruction, []), page_break])]
    try:
        folios = heading_folios(ctx)
    except UserError as err:  # a block the PDF cannot set: the numbers come when the field updates
        first = err.diagnostics[0]
        ctx.reporter.warn(
            f"the contents are written without page numbers: {first.message}", first.hint, first.path, first.line
        )
        folios = {}

    def entry(h: m.Heading) -> list[etree._Element]:
        number = folios.get(h.ident, "")
        runs = [text_run(m.plain_text(h.children)), el("r", None, el("tab")), text_run(number)]
        return [el("hyperlink", {"anchor": bookmark_name(h.ident)}, *runs)] if h.ident else runs

    runs = field_runs(instruction, entry(entries[0]))
    nodes = [paragraph(f"TOC{entries[0].level}", runs[:-1])]
    nodes += [paragraph(f"TOC{h.level}", entry(h)) for h in entries[1:]]
    nodes[-1].extend([runs[-1], page_break])
    return [heading, *nodes]


def add_footnotes(
    ctx: BuildContext,
    document: Document,
    numbering: Numbering,
    shape_ids: itertools.count,
    bookmark_ids: itertools.count,
) -> None:
    """A footnotes part (python-docx has none) with Word's two separators and every footnote. A
    separator is a paragraph as high as the PDF's room above a page's notes, exactly
    (:data:`~zhengji_publish.writers.pdf.layout.NOTE_RULE_ROOM`; ``w:spacing w:lineRule="exact"``,
    ECMA-376 Part 1 §17.3.1.33): Word sets the notes that far under the text (LibreOffice 7.4
    reads no height of it and keeps 2 mm, its own, the same)."""
    root = parse_xml(f"<w:footnotes {nsdecls('w', 'r', 'wp', 'a', 'pic')}/>")
    room = {"before": 0, "after": 0, "line": twips(NOTE_RULE_ROOM), "lineRule": "exact"}
    for note_id, kind, mark in ((-1, "separator", "separator"), (0, "continuationSeparator", "continuationSeparator")):
        root.append(
            el(
                "footnote",
                {"type": kind, "id": note_id},
                el(
                    "p",
                    None,
                    el("pPr", None, el("spacing", room)),
                    el("r", None, el(mark)),
                ),
            )
        )
    part = StoryPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, root, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    writer = BodyWriter(ctx, part, numbering, shape_ids, bookmark_ids)
    for note in ctx.doc.footnotes:
        head = note.children[0] if note.children else None
        if isinstance(head, m.Paragraph):  # opened by the note's mark (BodyWriter.note_opening)
            opening = writer.text_paragraph("FootnoteText", head.children, note=note)
            nodes = [opening, *writer.blocks(note.children[1:], "FootnoteText")]
        else:  # the mark in a paragraph of its own
            nodes = [writer.note_opening(paragraph("FootnoteText", []), note, None)]
            nodes += writer.blocks(note.children, "FootnoteText")
        root.append(el("footnote", {"id": note.number}, *nodes))


def page_setup(ctx: BuildContext, document: Document) -> None:
    """Page size, margins, running header and folio, and the line grid of the style.

    As in the PDF, the first page has no running header (``w:titlePg``, ECMA-376 Part 1
    §17.10.6, with a first-page header left empty) but has its folio, and the header sits above
    the type area on a rule (the Header style's bottom border).
    """
    page = ctx.style.page
    section = document.sections[0]
    section.page_width, section.page_height = Twips(twips(page.width)), Twips(twips(page.height))
    section.top_margin, section.bottom_margin = Pt(page.top), Pt(page.bottom)
    # the measure in whole characters, centred, as the PDF sets it; rounded up to whole twips, so
    # rounding never leaves a full line one character short
    geo = geometry(ctx.style)
    left, measure = twips(geo.left), math.ceil(geo.measure * 20 - 1e-6)
    section.left_margin, section.right_margin = Twips(left), Twips(twips(page.width) - left - measure)
    header = ctx.style.block("header")
    # the PDF sets the header's baseline 1.2 em above the type area (its rule 0.8 em above it)
    above = baseline_in_line(header.line_height, header.size)  # from the line's top to the baseline
    section.header_distance = Pt(max(0.0, page.top - 1.2 * header.size - above))
    header_text = running_heads(ctx)(ctx.style.header_text.replace("{title}", ctx.meta.title))
    if header_text:
        fill_story(section.header.paragraphs[0]._p, "Header", [text_run(header_text)])
        section.different_first_page_header_footer = True
        old = section.first_page_header.paragraphs[0]._p
        old.getparent().replace(old, blank_header(section))
    place_folio(ctx, document)
    if ctx.style.numerals != "arabic":  # folios in Chinese numerals, as the PDF's (w:pgNumType w:fmt)
        page_numbering(section._sectPr, BODY_FORMATS[ctx.style.numerals])
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

    The footer sits so the folio's baseline is where the PDF draws it
    (:func:`~zhengji_publish.writers.docx.styles.footer_distance`).
    """
    style = ctx.style
    section = document.sections[0]
    section.footer_distance = Twips(footer_distance(style))
    fill_story(section.footer.paragraphs[0]._p, "Footer", folio_runs(style.folio))
    if section.different_first_page_header_footer:  # the first page keeps its folio
        fill_story(section.first_page_footer.paragraphs[0]._p, "Footer", folio_runs(style.folio))
    if style.folio_position != "outside":
        return
    document.settings.odd_and_even_pages_header_footer = True
    inset = twips(style.folio_inset)
    odd = section.footer.paragraphs[0]._p
    set_paragraph_prop(odd, "jc", {"val": "right"})
    set_paragraph_prop(odd, "ind", {"right": inset, "firstLine": 0, "firstLineChars": 0})
    fill_story(section.even_page_footer.paragraphs[0]._p, "Footer", folio_runs(style.folio))
    if section.different_first_page_header_footer:  # page 1 is odd: its folio on the right
        first = section.first_page_footer.paragraphs[0]._p
        set_paragraph_prop(first, "jc", {"val": "right"})
        set_paragraph_prop(first, "ind", {"right": inset, "firstLine": 0, "firstLineChars": 0})
    even = section.even_page_footer.paragraphs[0]._p
    set_paragraph_prop(even, "jc", {"val": "left"})
    set_paragraph_prop(even, "ind", {"left": inset, "firstLine": 0, "firstLineChars": 0})
    header_text = running_heads(ctx)(style.header_text.replace("{title}", ctx.meta.title))
    if header_text:  # with odd and even pages told apart, even pages need their own header
        fill_story(section.even_page_header.paragraphs[0]._p, "Header", [text_run(header_text)])


def fill_story(p: etree._Element, style: str, runs: list[etree._Element], extra: Props | None = None) -> None:
    """Replace the template paragraph of a header or footer."""
    p.getparent().replace(p, paragraph(style, runs, extra))


def folio_runs(folio: str) -> list[etree._Element]:
    """``— {page} —`` → the text around a PAGE field."""
    before, found, after = folio.partition("{page}")
    if not found:
        return [text_run(folio)] if folio else []
    runs = [text_run(before)] if before else []
    runs += field_runs("PAGE", [text_run("1")])
    return runs + ([text_run(after)] if after else [])


def doc_grid(ctx: BuildContext) -> etree._Element:
    """Word's document grid (``w:docGrid``, ECMA-376 Part 1 §17.6.5): a line grid when the style
    sets ``lines-per-page`` (GB/T 9704: 22 lines), else none.

    The line pitch is rounded down: rounded up, 22 lines of it no longer fit the type area's
    height. There is never a character grid (``linesAndChars``): LibreOffice gives every Latin
    letter, digit and space of such a grid whole cells, so ``2026年`` reads ``2 0 2 6 年``; the
    characters per line come from the measure and the character spacing instead
    (:func:`~zhengji_publish.writers.docx.styles.tracking`), as in the PDF.
    """
    pitch = grid_pitch(ctx)  # in vertical text a line is a column: lines stand across the width
    if pitch is None:
        return el("docGrid", {"linePitch": twips(ctx.style.block("body").line_height)})
    return el("docGrid", {"type": "lines", "linePitch": pitch})


def settings(ctx: BuildContext, root: etree._Element) -> None:
    """Document settings: East Asian theme language, punctuation compression, field update.

    ``w:characterSpacingControl`` (ECMA-376 Part 1 §17.15.1.18) is ``doNotCompress`` ("no character
    compression shall be applied to any character") whenever the runs carry the PDF's compression
    themselves as character spacing (:mod:`~zhengji_publish.writers.docx.compression`): an
    application that compresses punctuation on its own (Word, with ``compressPunctuation``) would
    otherwise take the same blanks off a second time. Only a compressed edition the runs cannot
    carry it for (vertical text) leaves it to the application with ``compressPunctuation``.
    """
    preview = root.find(qn("w:savePreviewPicture"))
    if preview is not None:
        root.remove(preview)
    control = root.find(qn("w:characterSpacingControl"))
    by_application = ctx.plan.punctuation.compressed and not compression.carried(ctx)
    control.set(qn("w:val"), "compressPunctuation" if by_application else "doNotCompress")
    lang = root.find(qn("w:themeFontLang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), ctx.plan.languages.docx)
    compat = root.find(qn("w:compat"))
    compat.insert(0, el("doNotExpandShiftReturn"))  # a line ended by a hard break is not spread out
    # a paragraph's space after and the next one's space before add up, as in the PDF; without it the
    # larger of the two is the whole gap (ECMA-376 Part 1 §17.3.1.33 w:spacing; the compatibility
    # setting of §17.15.3 comes after doNotExpandShiftReturn in CT_Compat's order)
    compat.insert(1, el("doNotUseHTMLParagraphAutoSpacing"))
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
