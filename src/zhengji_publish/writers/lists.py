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


def label(ordered: bool, number: int) -> str:
    """The label of an item: ``"12."`` for item 12 of an ordered list, ``"•"`` in a bullet list."""
    return NUMBER.format(n=number) if ordered else BULLET
