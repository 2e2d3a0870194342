"""Footnote marks in the DOCX: auto-numbered in an article, the PDF's per-chapter numbers in a book.

An article's notes are numbered through the document, as Word and LibreOffice number them: each
reference is a ``w:footnoteReference`` (ECMA-376 Part 1 §17.11.14) and each note opens with its
footnote reference mark ``w:footnoteRef`` (§17.11.13), both numbered by the application.

A book numbers its notes per chapter (:func:`zhengji_publish.book.compose_chapter`: the number
shown, ``shown``, counts from 1 in each chapter) as the PDF and the EPUB print them. Automatic
numbering that restarts per section (``w:numRestart w:val="eachSect"``, §17.11.19) cannot say
that in every application: LibreOffice 7.4 cannot restart per section and prints 0 for every
note, and a chapter is more than one section (:mod:`~zhengji_publish.writers.docx.sections`). A
book's notes therefore carry their numbers as custom marks, the same in every application:

- the reference is ``w:footnoteReference w:customMarkFollows="1"`` (§17.11.14: the note takes
  no automatic number; its mark is the run content that follows) followed in the same
  FootnoteReference-styled run by the number as text, one ``w:t`` per digit (LibreOffice 7.4
  takes a custom mark into the note's label one single-character text at a time and would
  set a longer text after the label as well);
- the note's own mark is the number as text in a FootnoteReference-styled run, where an
  auto-numbered note has ``w:footnoteRef`` (Word writes a custom-marked note so: §17.11.14 says
  such a note has no automatic mark);
- LibreOffice 7.4 sets a custom-marked note's label at the head of the note itself, so the
  number as text would stand there twice; it imports the style named "Footnote Characters" as
  the same character style as Word's "footnote reference", the later definition winning, so a
  hidden (``w:vanish``, §17.3.2.41), semi-hidden (§17.7.4.16) "Footnote Characters" after
  FootnoteReference hides the text marks in LibreOffice only; Word applies that style to
  nothing. (In LibreOffice the reference mark is the note's label, not text, and stays.)

A note referenced twice or more (the same ``[^label]`` in two places; the PDF and the EPUB print
its number at each) has one reference mark, at the first place: a footnote belongs to one
reference (§17.11.14), and LibreOffice 7.4 made the second ``w:footnoteReference`` a second,
empty note. Each later place is a cross-reference to it, as Word's "Insert Cross-reference →
Footnote number (formatted)" writes one: a ``NOTEREF`` field (§17.16.5.41, ``\\f`` formatted as a
reference mark, ``\\h`` a link) to a bookmark (§17.13.6.2) around the first reference, its result
the note's number, so the text reads right before any field is updated.
"""

from __future__ import annotations

from lxml import etree

from zhengji_publish import model as m
from zhengji_publish.writers.docx.xml import Props, el, rpr

MARK_STYLE = "FootnoteReference"
# The style LibreOffice 7.4 imports as the one Word calls "footnote reference" (see above).
LIBREOFFICE_MARK_STYLE = ("FootnoteCharacters", "Footnote Characters")


def custom_marks(doc: m.Document) -> bool:
    """Whether the document's notes carry their numbers as custom marks (a book's, numbered per chapter)."""
    return any(note.shown for note in doc.footnotes)


def _digits(number: int) -> list[etree._Element]:
    """``number`` as text, one ``w:t`` per digit."""
    out = []
    for digit in str(number):
        t = el("t")
        t.text = digit
        out.append(t)
    return out


def reference_run(ref: m.FootnoteRef, props: Props) -> etree._Element:
    """The run referencing the note ``ref`` (run properties ``props``, the FootnoteReference
    style): auto-numbered, or with ``ref.shown`` as its custom mark."""
    if not ref.shown:
        return el("r", None, rpr(props), el("footnoteReference", {"id": ref.number}))
    reference = el("footnoteReference", {"customMarkFollows": 1, "id": ref.number})
    return el("r", None, rpr(props), reference, *_digits(ref.shown))


def repeated_notes(doc: m.Document) -> dict[int, int]:
    """The notes of ``doc`` referenced more than once: each one's number → the ``id()`` of its
    first :class:`~zhengji_publish.model.FootnoteRef` in reading order."""
    first: dict[int, int] = {}
    repeated: set[int] = set()
    for node in m.nodes(doc):
        if isinstance(node, m.FootnoteRef):
            if node.number in first:
                repeated.add(node.number)
            else:
                first[node.number] = id(node)
    return {number: first[number] for number in repeated}


def _bookmark(ref: m.FootnoteRef) -> str:
    # Word names the bookmarks its cross-references point at _Ref…, hidden from its bookmark list
    return f"_RefNote{ref.number}"


def first_reference(ref: m.FootnoteRef, props: Props, bookmark_id: int) -> list[etree._Element]:
    """The first reference to a note referenced again: :func:`reference_run` in the bookmark the
    later ones point at (:func:`later_reference`)."""
    mark = {"id": bookmark_id}
    return [
        el("bookmarkStart", {**mark, "name": _bookmark(ref)}),
        reference_run(ref, props),
        el("bookmarkEnd", mark),
    ]


def later_reference(ref: m.FootnoteRef, props: Props) -> etree._Element:
    """A later reference to a note: a ``NOTEREF`` field to the first (see the module's docstring),
    its result the note's number in the run properties ``props`` (the Note Cross-Reference
    style, :data:`CROSS_STYLE`)."""
    t = el("t")
    t.text = str(ref.shown or ref.number)
    return el("fldSimple", {"instr": f" NOTEREF {_bookmark(ref)} \\f \\h "}, el("r", None, rpr(props), t))


def note_mark_run(note: m.Footnote) -> etree._Element:
    """The run opening the note: its automatic mark in the Footnote Number style (the PDF's
    number: full size, on the baseline, in the link colour), or ``note.shown`` as text in the
    FootnoteReference style (hidden in LibreOffice, see the module's docstring)."""
    if not note.shown:
        return el("r", None, rpr({"rStyle": {"val": NUMBER_STYLE}}), el("footnoteRef"))
    return el("r", None, rpr({"rStyle": {"val": MARK_STYLE}}), *_digits(note.shown))


# A later reference's NOTEREF result (later_reference): the reference's look in a style of its own,
# as LibreOffice 7.4 takes FootnoteReference's text for its "Footnote Characters", the note's label.
CROSS_STYLE = "NoteCrossReference"

# The note's own automatic mark, as the PDF prints it (writers.pdf.layout note_label): Word sets
# ``w:footnoteRef`` in its run's style; LibreOffice 7.4 sets every note's label in its "Footnote
# Characters" style, which it takes from the style of that name after FootnoteReference
# (:func:`libreoffice_mark_style`).
NUMBER_STYLE = "FootnoteNumber"


def number_props(link_colour: str) -> Props:
    """The run properties of a note's own number: the text's size on its baseline, in the link
    colour (``w:vertAlign``, ECMA-376 Part 1 §17.3.2.42; ``w:color``)."""
    return {"color": {"val": link_colour}, "vertAlign": {"val": "baseline"}}


def libreoffice_mark_style(doc: m.Document, link_colour: str) -> etree._Element:
    """The "Footnote Characters" style LibreOffice 7.4 sets a note's label in (it goes after the
    FootnoteReference style): for custom marks hidden, which keeps LibreOffice from printing a
    note's number twice; for automatic marks the note's number as the PDF prints it
    (:func:`number_props`; LibreOffice had set it as a superscript, 5.2 pt of a 9 pt note)."""
    style_id, name = LIBREOFFICE_MARK_STYLE
    props = el("rPr", None, el("vanish")) if custom_marks(doc) else rpr(number_props(link_colour))
    return el("style", {"type": "character", "styleId": style_id}, el("name", {"val": name}), el("semiHidden"), props)
