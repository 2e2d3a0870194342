"""A book's sections in the DOCX: one per part, chapter and front-matter page, each with its own header.

A book (:mod:`zhengji_publish.book`) is one tree whose openings (:data:`~zhengji_publish.model.OPENINGS`)
the body writer marks with an empty paragraph; the contents, when the style has them, are marked
the same way after the title page. Each mark becomes the end of the section before it: the
paragraph carries a copy of the document's final section properties (``w:sectPr`` in ``w:pPr``,
ECMA-376 Part 1 §17.6.17), so every section has the page size, margins, grid and folio of the
style. As in the PDF (:mod:`zhengji_publish.writers.pdf.bookpages`):

- the contents, each front-matter page, part and chapter start on a new page, an odd one where
  the style's ``book.recto`` asks (``w:type w:val="oddPage"``, §17.6.22; Word and LibreOffice
  leave the verso before it blank, and LibreOffice's PDF of it has neither running head nor
  folio on that page);
- each section has a first page of its own (``w:titlePg``, §17.10.6) whose header is empty: no
  running head on the title page or on an opening page; its first-page footer has the folio,
  except on the title page;
- a part's or chapter's section has a header of its own with its title on odd pages; the book's
  title stays on even pages;
- sections number their pages on from the section before, except the first part or chapter,
  which starts again at 1; the sections before it (title, contents, preface) are numbered as the
  style's ``book.front-folio`` says (``w:pgNumType``, §17.6.12: ``lowerRoman``, ``chineseCounting``);
- the paragraph that opens each section's first page has no space before it
  (:func:`opens_page`), and a page without running head has an empty header as tall as the room
  above the type area (:func:`blank_header`), so the opening's title and text stand where the PDF
  sets them;
- in a horizontal book each opening's section ends after its title paragraph, and the rest of
  the opening is a continuous section (§17.18.77) with the same headers and footers, numbered on
  (:func:`_continue_after_title`; a continuous section starts no page); LibreOffice 7.4, which
  imports an odd-page section with a first page of its own as two first-page styles in a row,
  then shows the running head on the second page of a part or chapter too. A vertical book keeps one section
  per opening (LibreOffice 7.4 lays a continuous section on a vertical page over the text before
  it), and LibreOffice shows no running head on the second page of its parts and chapters.
"""

from __future__ import annotations

import copy
import itertools

from docx.document import Document
from docx.oxml.ns import qn
from docx.section import Section
from lxml import etree

from zhengji_publish.context import BuildContext
from zhengji_publish.writers.docx.body import paragraph
from zhengji_publish.writers.docx.xml import Props, el, rpr, set_paragraph_prop, text_run
from zhengji_publish.writers.pdf.layout import running_heads

# The front matter's page-number format (w:ST_NumberFormat) for the style's ``book.front-folio``.
# ``arabic`` (on with the page) takes the body's format.
FRONT_FORMATS = {"roman": "lowerRoman", "chinese": "chineseCounting"}
# The body's page-number format for the style's ``running.numerals``: ``chineseCounting`` is 一百零五
# in Word and LibreOffice alike, the form of the PDF's folios (writers.pdf.vertical.page_number).
BODY_FORMATS = {"arabic": "decimal", "chinese": "chineseCounting"}

Opening = tuple[etree._Element, str, str]  # (the marking paragraph, its class, its title)

# The height (twips) of the invisible paragraph that ends an opening's section after its title
# (:func:`_continue_after_title`): an exact line of a tenth of a point, as near nothing as
# LibreOffice 7.4 still honours (with 1 pt, the opening's text stood 1 pt lower than the PDF's).
HAIRLINE = 2


def opens_page(p: etree._Element | None) -> None:
    """Drop the space before ``p``, a paragraph that opens a page: the document's first, or the
    first of a section that starts a new page (``w:spacing w:before="0"``, ECMA-376 Part 1
    §17.3.1.33), as the PDF drops it: reportlab sets a flowable at the top of a frame without its
    ``spaceBefore`` (``Frame._add``). Word and LibreOffice keep a paragraph's space before at the
    start of the document and after a section break: LibreOffice 7.4 set the 36 pt (2 em of 小二)
    before a book-16k chapter's title (heading 1) at the top of its page, its title page's title
    52 pt lower than the PDF's. Anything other than a paragraph (a table) is left as it is."""
    if p is not None and p.tag == qn("w:p"):
        set_paragraph_prop(p, "spacing", {"before": 0})


def open_pages(nodes: list[etree._Element]) -> None:
    """:func:`opens_page` for the first of the document's ``nodes`` and for each paragraph after
    one that ends in a page break (``w:br w:type="page"``, ECMA-376 Part 1 §17.3.3.1: a forced
    page break, the contents' end), which LibreOffice 7.4 set at the top of its page with its
    space before it (a heading after a ``pagebreak`` div 11.4 pt lower than in the PDF)."""
    if nodes:
        opens_page(nodes[0])
    for above, below in itertools.pairwise(nodes):
        runs = above.findall(qn("w:r")) if above.tag == qn("w:p") else []
        last = runs[-1].find(qn("w:br")) if runs else None
        if last is not None and last.get(qn("w:type")) == "page":
            opens_page(below)


def blank_header(section: Section) -> etree._Element:
    """The empty header paragraph of a page without running head (a first page of its own,
    ``w:titlePg``, ECMA-376 Part 1 §17.10.6): one exact line (§17.3.1.33) as tall as the room
    between the header's top (``w:pgMar/@w:header``) and the type area (``w:pgMar/@w:top``), less
    a twip, so no application moves the body for it.

    LibreOffice 7.4 gives the first page of an odd-page section (``w:type w:val="oddPage"``) a
    page style of its own whose header is its default one (at least 5 mm, no distance to the
    body), not the section's, and sets the body right under that header: under a 1 pt header the
    title and text of every book-16k opening stood 10.6 pt higher than in the PDF. With the header
    filling the room, the body starts at the type area's top there as on every other page, where
    the header's height and distance are the section's."""
    top, header = section.top_margin, section.header_distance
    room = top.twips - header.twips if top is not None and header is not None else 0
    spacing = {"line": max(20, room - 1), "lineRule": "exact"}
    return paragraph("Normal", [], {"snapToGrid": {"val": 0}, "spacing": spacing})


def _set_child(sect: etree._Element, tag: str, attrs: dict[str, object], before: tuple[str, ...]) -> None:
    """Put ``w:{tag}`` with ``attrs`` into ``sect`` (replacing one there) before the first of ``before``."""
    old = sect.find(qn(f"w:{tag}"))
    if old is not None:
        sect.remove(old)
    new = el(tag, attrs)
    for name in before:
        anchor = sect.find(qn(f"w:{name}"))
        if anchor is not None:
            anchor.addprevious(new)
            return
    sect.append(new)


def _start(sect: etree._Element, kind: str) -> None:
    """How the section starts: ``nextPage`` or ``oddPage`` (``w:type``, before ``w:pgSz``)."""
    _set_child(sect, "type", {"val": kind}, ("pgSz", "pgMar", "cols", "docGrid"))


def page_numbering(sect: etree._Element, fmt: str = "", start: int | None = None) -> None:
    """Page numbers of the section (``w:pgNumType``, after ``w:pgMar``, before ``w:cols``)."""
    attrs: dict[str, object] = {}
    if fmt:
        attrs["fmt"] = fmt
    if start is not None:
        attrs["start"] = start
    _set_child(sect, "pgNumType", attrs, ("cols", "formProt", "vAlign", "noEndnote", "titlePg", "docGrid"))


def book_sections(ctx: BuildContext, document: Document, openings: list[Opening]) -> None:
    """Turn the marked openings into sections (see the module's description); call after the page
    setup, which has made the final section's header, footers and grid."""
    if not openings:
        return
    style = ctx.style
    head = running_heads(ctx)  # each head the text the PDF's shows, shortened to the measure as it is
    if style.header_text:
        _versos(document, head(style.header_text.replace("{title}", ctx.meta.title)))
    final = document.element.body.sectPr
    recto = "oddPage" if style.book_recto else "nextPage"
    # openings[k]'s mark ends the section before it; the document's final sectPr is the last one's.
    holders = []
    for mark, _, _ in openings:
        sect = copy.deepcopy(final)
        mark.find(qn("w:pPr")).append(sect)  # w:sectPr is the last property of a paragraph
        holders.append(sect)
    holders.append(final)
    body_start = next((k for k, (_, kind, _) in enumerate(openings) if kind not in ("front", "contents")), None)
    front_format = FRONT_FORMATS.get(style.book_front_folio, BODY_FORMATS[style.numerals])
    for index, sect in enumerate(holders):
        # holders[0] is the title page's section; holders[k + 1] is openings[k]'s.
        _start(sect, recto if index else "nextPage")
        if body_start is None or index <= body_start:
            page_numbering(sect, front_format, 1 if index == 0 else None)
        elif index == body_start + 1:
            page_numbering(sect, BODY_FORMATS[style.numerals], 1)  # as the PDF's (writers.pdf.bookpages)
    for mark, _, _ in openings:
        opens_page(mark.getnext())
    sections = list(document.sections)
    header_text = style.header_text
    folio = sections[0].footer.paragraphs[0]._p  # the odd pages' folio: openings fall on odd pages
    for index, section in enumerate(sections):
        _first_page(section, folio if index else None)
        if not index:
            continue
        _, kind, title = openings[index - 1]
        if header_text and title:
            for ref in section._sectPr.findall(qn("w:headerReference")):
                if ref.get(qn("w:type")) == "default":
                    section._sectPr.remove(ref)
            section.header.is_linked_to_previous = False
            old = section.header.paragraphs[0]._p
            old.getparent().replace(old, paragraph("Header", [text_run(head(title))]))
    if style.book_front_folio == "chinese":  # 〔一〕 as the PDF's front folios (writers.pdf.bookpages)
        for section in sections[1 : len(sections) if body_start is None else body_start + 1]:
            _bracket_folios(section, document.settings.odd_and_even_pages_header_footer)
    if not ctx.plan.vertical:  # LibreOffice 7.4 sets a continuous section on a vertical page over the one before
        for index, section in enumerate(sections[1:]):
            _continue_after_title(openings[index][0].getnext(), section._sectPr)


def _bracket_folios(section: Section, even: bool) -> None:
    """Set the folio of ``section``'s pages in 〔〕 (〔一〕): its first-page footer, its own already,
    and footers of its own for odd and, with ``even``, even pages, copies of the ones it shares
    with the body, the PAGE field between 〔 and 〕."""
    stories = [section.first_page_footer, section.footer] + ([section.even_page_footer] if even else [])
    for story in stories:
        p = story.paragraphs[0]._p
        fields = [r for r in p.iter(qn("w:r")) if r.find(qn("w:fldChar")) is not None]
        if not fields:
            continue  # the title page: no folio
        if story is not section.first_page_footer:  # a part of its own, holding a copy of the shared folio
            shared = copy.deepcopy(p)
            story.is_linked_to_previous = True  # drops the section's reference to the shared part
            story.is_linked_to_previous = False
            new = story.paragraphs[0]._p
            new.getparent().replace(new, shared)
            p = shared
            fields = [r for r in p.iter(qn("w:r")) if r.find(qn("w:fldChar")) is not None]
        fields[0].addprevious(text_run("〔"))
        fields[-1].addnext(text_run("〕"))


def _versos(document: Document, head: str) -> None:
    """Tell even pages from odd ones (``w:evenAndOddHeaders``, §17.15.1.35) where the page setup
    did not (a folio not on the outside): the book's running ``head`` in the even-page header
    (§17.10.5, ``w:type w:val="even"``), the odd pages' folio in the even-page footer. Call before
    the sections are made: they copy the document's header and footer references."""
    if document.settings.odd_and_even_pages_header_footer:
        return
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    old = section.even_page_header.paragraphs[0]._p
    old.getparent().replace(old, paragraph("Header", [text_run(head)]))
    old = section.even_page_footer.paragraphs[0]._p
    old.getparent().replace(old, copy.deepcopy(section.footer.paragraphs[0]._p))


def _continue_after_title(title: etree._Element | None, sect: etree._Element) -> None:
    """End the opening's section ``sect`` after its ``title`` paragraph and set the rest of the
    opening in a continuous section (``w:type w:val="continuous"``, ECMA-376 Part 1 §17.18.77) with
    the same running heads and folios, numbered on.

    The opening's own section keeps its first page of its own (``w:titlePg``) and its start on a
    new or odd page: in Word the opening page, where that section starts, takes its empty
    first-page header, and the pages after it, which start in the continuation, take its headers.
    LibreOffice 7.4 sets an odd-page section's first page in a page style of its own that is
    followed by the first-page style again, so one section would leave the second page without a
    running head too; it follows that style with the continuation's page style instead when the
    section ends in a paragraph of at most 1 pt after the one the page style is set on. The
    paragraph ending the opening's section is therefore a 1 pt space on an exact line of
    :data:`HAIRLINE`, invisible.
    """
    if title is None or title.tag != qn("w:p"):
        return
    opening = copy.deepcopy(sect)
    tiny: Props = {"sz": {"val": 2}, "szCs": {"val": 2}}
    spacing = {"before": 0, "after": 0, "line": HAIRLINE, "lineRule": "exact"}
    end = paragraph("Normal", [text_run(" ", tiny)], {"snapToGrid": {"val": 0}, "spacing": spacing, "rPr": rpr(tiny)})
    end.find(qn("w:pPr")).append(opening)
    title.addnext(end)
    _start(sect, "continuous")
    for child in list(sect):
        first = child.tag in (qn("w:headerReference"), qn("w:footerReference")) and child.get(qn("w:type")) == "first"
        if first or child.tag == qn("w:titlePg"):
            sect.remove(child)
    numbers = sect.find(qn("w:pgNumType"))
    if numbers is not None and numbers.get(qn("w:start")) is not None:
        del numbers.attrib[qn("w:start")]  # numbered on from the opening's page


def _first_page(section: Section, folio: etree._Element | None) -> None:
    """Give ``section`` a first page of its own (``w:titlePg``): an empty header of its own
    (:func:`blank_header`), and a footer of its own holding a copy of ``folio`` (None: the title
    page's section, whose first-page footer, made by the page setup, is emptied)."""
    section.different_first_page_header_footer = True
    sect = section._sectPr
    for ref in [*sect.findall(qn("w:headerReference")), *sect.findall(qn("w:footerReference"))]:
        if folio is not None and ref.get(qn("w:type")) == "first":
            sect.remove(ref)  # copied from the title page's section: this section gets parts of its own
    empty_footer = paragraph("Footer", [])  # as tall as a folio's (styles.footer_room)
    for story, content in (
        (section.first_page_header, blank_header(section)),
        (section.first_page_footer, empty_footer if folio is None else copy.deepcopy(folio)),
    ):
        story.is_linked_to_previous = False
        old = story.paragraphs[0]._p
        for extra in story.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        old.getparent().replace(old, content)
