"""What an import guessed, and where the editor finds each guess in the new source.

Every guess is one :class:`Note` printed as ``SOURCE.md:LINE: note: guessed WHAT — WHY`` (the
project's diagnostic form, :mod:`zhengji_publish.diagnostics`, with the severity ``note``), so an
editor reviews a short list of lines instead of rereading the whole text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhengji_publish import model as m


@dataclass
class Note:
    """One guess: ``what`` was guessed (``"a section heading"``), ``why`` (and how to undo it).

    ``line`` is the 1-based line in the written source (0 until the Markdown is emitted).
    """

    what: str
    why: str
    line: int = 0

    def format(self, source: str | Path) -> str:
        """``SOURCE.md:LINE: note: guessed WHAT — WHY``."""
        return f"{source}:{self.line or 1}: note: guessed {self.what} — {self.why}"


@dataclass
class TreeImport:
    """What an importer hands to the Markdown emitter.

    ``meta``: front-matter keys in the order they are written; ``notes``: a node of ``blocks`` (or
    of ``footnotes``) with a guess about it; ``general``: guesses about the whole file (line 1);
    ``images``: path relative to the new source → bytes, for the images to write beside it.
    """

    meta: dict[str, Any]
    blocks: list[m.Block]
    footnotes: list[m.Footnote] = field(default_factory=list)
    notes: list[tuple[object, Note]] = field(default_factory=list)
    general: list[Note] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)
