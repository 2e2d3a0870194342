"""Lists as Word numbering (numbering.xml): one definition and one instance per list.

A definition per list (not one shared by all lists) keeps each list's count its own: LibreOffice
carries counts across instances of a shared definition, so a nested list would not start at 1.
A nested list's items sit at level 0 of a definition whose levels are shifted to its depth, so
every list counts from its own level 0 and never depends on how a reader treats the unused upper
levels of a fresh instance.

Labels stand where the PDF draws them (:mod:`zhengji_publish.writers.lists`): an item's text
:data:`~zhengji_publish.writers.lists.LEVEL_INDENT` body characters in per level, its label
right-aligned (``w:lvlJc w:val="right"``, ECMA-376 §17.9.7) to end
:data:`~zhengji_publish.writers.lists.LABEL_GAP` em before the text: the label's end is the first
line's start (``w:ind`` with ``w:hanging`` of the gap, §17.3.1.12), a tab follows it
(``w:suff w:val="tab"``, §17.9.28) to a tab stop at the text (``w:tab w:val="num"``, §17.3.1.37),
so the text starts there however wide the reader's digits are.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from lxml import etree

from zhengji_publish.context import BuildContext
from zhengji_publish.writers import lists
from zhengji_publish.writers.docx.styles import script_fonts
from zhengji_publish.writers.docx.xml import el, twips
from zhengji_publish.writers.pdf.layout import geometry

LEVELS = 9  # Word defines nine levels per list


class Numbering:
    """The numbering part of one document: a definition and a ``w:num`` per list."""

    def __init__(self, ctx: BuildContext, element: etree._Element) -> None:
        self.ctx = ctx
        self.element = element
        self.body = ctx.style.block("body")
        for child in list(element):
            element.remove(child)
        self.count = 0

    def text_indent(self, level: int) -> int:
        """Where an item's text starts at ``level`` (0 for a list in running text), in twips from
        the measure's start: also the indent of the item's later paragraphs."""
        return twips(lists.level_indent(self.body.size, geometry(self.ctx.style).tracking) * (level + 1))

    def _abstract(self, abstract_id: int, ordered: bool, start: int, depth: int) -> etree._Element:
        node = el("abstractNum", {"abstractNumId": abstract_id}, el("multiLevelType", {"val": "multilevel"}))
        fonts = script_fonts(self.ctx, self.body.font)
        for ilvl in range(LEVELS):
            level = ilvl + depth  # the look of this depth; numbered from level 0 of this definition
            if ordered:
                fmt, text = "decimal", lists.NUMBER.replace("{n}", f"%{ilvl + 1}")
            else:
                fmt, text = "bullet", lists.BULLET
            at = self.text_indent(level)
            node.append(
                el(
                    "lvl",
                    {"ilvl": ilvl},
                    el("start", {"val": start}),
                    el("numFmt", {"val": fmt}),
                    el("suff", {"val": "tab"}),
                    el("lvlText", {"val": text}),
                    el("lvlJc", {"val": "right"}),
                    el(
                        "pPr",
                        None,
                        el("tabs", None, el("tab", {"val": "num", "pos": at})),
                        el("ind", {"left": at, "hanging": twips(lists.LABEL_GAP * self.body.size)}),
                    ),
                    el("rPr", None, el("rFonts", fonts)),
                )
            )
        return node

    def new_list(self, ordered: bool, start: int, depth: int = 0) -> int:
        """A numbering instance for one list (its items at level 0); it starts at its own first number."""
        self.count += 1
        definitions = self.element.findall(qn("w:abstractNum"))
        definition = self._abstract(self.count, ordered, start if ordered else 1, depth)
        if definitions:
            definitions[-1].addnext(definition)  # every definition precedes every instance
        else:
            self.element.insert(0, definition)
        self.element.append(el("num", {"numId": self.count}, el("abstractNumId", {"val": self.count})))
        return self.count


def numbering_element(document_part) -> etree._Element:
    """The numbering part's root (python-docx's template has one)."""
    root = document_part.numbering_part.element
    assert root.tag == qn("w:numbering")
    return root
