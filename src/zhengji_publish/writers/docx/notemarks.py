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


def note_mark_run(note: m.Footnote) -> etree._Element:
    """The run opening the note: its automatic mark, or ``note.shown`` as text."""
    props = rpr({"rStyle": {"val": MARK_STYLE}})
    if not note.shown:
        return el("r", None, props, el("footnoteRef"))
    return el("r", None, props, *_digits(note.shown))


def libreoffice_mark_style() -> etree._Element:
    """The hidden "Footnote Characters" style that keeps LibreOffice from printing a custom-marked
    note's number twice; goes after the FootnoteReference style."""
    style_id, name = LIBREOFFICE_MARK_STYLE
    return el(
        "style",
        {"type": "character", "styleId": style_id},
        el("name", {"val": name}),
        el("semiHidden"),
        el("rPr", None, el("vanish")),
    )
