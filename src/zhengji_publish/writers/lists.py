"""A list item's label and where it stands: one rule for the PDF and the DOCX.

Each list's items start :data:`LEVEL_INDENT` em (of the body text) in from the text that holds the
list, so a list's text lines up two characters in, like a paragraph's first line, and a nested list
two characters further. The label — :func:`label`: the item's number and a full stop, ``1.``, or a
bullet, ``•``, at every depth — hangs before the item's text, right-aligned so that its end stands
:data:`LABEL_GAP` em before the text: the full stops of ``9.`` and ``10.`` line up and the wider
number reaches further out.
"""

from __future__ import annotations

BULLET = "•"
NUMBER = "{n}."  # the item's number in Arabic digits, then a full stop
LEVEL_INDENT = 2.0  # em of the body text between a list's text and the text that holds it
LABEL_GAP = 0.4  # em between a label's end and the item's text


def level_indent(size: float, tracking: float = 0.0) -> float:
    """How far (pt) a list's text stands in from the text holding it: :data:`LEVEL_INDENT`
    characters of the body's ``size``, each as wide as the character grid makes it (``tracking``,
    em: a 公文's 28 characters in 156 mm are 15.79 pt apart at 三号). In 16 pt ems a list item in
    a 公文 held a character fewer a line than the grid's 26 (and LibreOffice's)."""
    return LEVEL_INDENT * size * (1 + tracking)


def label(ordered: bool, number: int) -> str:
    """The label of an item: ``"12."`` for item 12 of an ordered list, ``"•"`` in a bullet list."""
    return NUMBER.format(n=number) if ordered else BULLET
