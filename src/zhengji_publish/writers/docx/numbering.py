"""Lists as Word numbering (numbering.xml): one definition and one instance per list.

A definition per list (not one shared by all lists) keeps each list's count its own: LibreOffice
carries counts across instances of a shared definition, so a nested list would not start at 1.
A nested list's items sit at level 0 of a definition whose levels are shifted to its depth, so
every list counts from its own level 0 and never depends on how a reader treats the unused upper
levels of a fresh instance.

Numbers sit at the paragraph indent (two characters, like a first line) and each level moves two
characters further in, so lists line up with the body text around them.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from lxml import etree

from zhengji_publish.context import BuildContext
from zhengji_publish.writers.docx.styles import script_fonts
from zhengji_publish.writers.docx.xml import el, twips

LEVELS = 9  # Word defines nine levels per list
BULLETS = ("•", "◦", "▪")
NUMBER_TEXTS = ("%{n}.", "(%{n})", "%{n})")  # 1.  (1)  1)


class Numbering:
    """The numbering part of one document: a definition and a ``w:num`` per list."""

    def __init__(self, ctx: BuildContext, element: etree._Element) -> None:
        self.ctx = ctx
        self.element = element
        self.body = ctx.style.block("body")
        for child in list(element):
            element.remove(child)
        self.count = 0

    def hanging(self, ordered: bool) -> float:
        """Room for the number or bullet, in points."""
        return self.body.size * (2.0 if ordered else 1.5)

    def text_indent(self, level: int, ordered: bool = True) -> int:
        """Where an item's text starts at ``level`` (twips): also used for its later paragraphs.
        As in the PDF, two body characters in from its container's text, the number or bullet
        hanging in that room."""
        return twips(2 * self.body.size * (level + 1))

    def _abstract(self, abstract_id: int, ordered: bool, start: int, depth: int) -> etree._Element:
        node = el("abstractNum", {"abstractNumId": abstract_id}, el("multiLevelType", {"val": "multilevel"}))
        fonts = script_fonts(self.ctx, self.body.font)
        for ilvl in range(LEVELS):
            level = ilvl + depth  # the look of this depth; numbered from level 0 of this definition
            if ordered:
                fmt, text = "decimal", NUMBER_TEXTS[level % len(NUMBER_TEXTS)].replace("{n}", str(ilvl + 1))
            else:
                fmt, text = "bullet", BULLETS[level % len(BULLETS)]
            node.append(
                el(
                    "lvl",
                    {"ilvl": ilvl},
                    el("start", {"val": start}),
                    el("numFmt", {"val": fmt}),
                    el("lvlText", {"val": text}),
                    el("lvlJc", {"val": "left"}),
                    el(
                        "pPr",
                        None,
                        el("ind", {"left": self.text_indent(level, ordered), "hanging": twips(self.hanging(ordered))}),
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
