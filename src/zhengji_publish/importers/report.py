"""What an import guessed, and where the editor finds each guess in the new source.

Every guess is one :class:`Note` printed as ``SOURCE.md:LINE:COL: note: guessed WHAT — WHY`` (the
project's diagnostic form, :mod:`zhengji_publish.diagnostics`, with the severity ``note``) at the
place of the new source that holds the guess — the block's first line, or the front-matter key it
set — so an editor reviews a short list of places instead of rereading the whole text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhengji_publish import model as m


@dataclass
class Note:
    """One guess: ``what`` was guessed (``"a section heading"``), ``why`` (and how to undo it).

    ``key`` is the front-matter key the guess set, as a path (``("date",)``, ``("公文", "发文字号")``),
    ``()`` for a guess about a block or the whole file. ``line`` and ``col`` are the 1-based place
    in the written source (0 until the Markdown is emitted): the key's, the block's first line, or
    line 1 for the whole file.
    """

    what: str
    why: str
    key: tuple[str, ...] = ()
    line: int = 0
    col: int = 1

    def format(self, source: str | Path) -> str:
        """``SOURCE.md:LINE:COL: note: guessed WHAT — WHY``."""
        return f"{source}:{self.line or 1}:{self.col}: note: guessed {self.what} — {self.why}"


@dataclass
class TreeImport:
    """What an importer hands to the Markdown emitter.

    ``meta``: front-matter keys in the order they are written; ``notes``: a node of ``blocks`` (or
    of ``footnotes``) with a guess about it; ``general``: guesses about the front matter (placed at
    their ``key``) or about the whole file (line 1);
    ``images``: path relative to the new source → bytes, for the images to write beside it.
    """

    meta: dict[str, Any]
    blocks: list[m.Block]
    footnotes: list[m.Footnote] = field(default_factory=list)
    notes: list[tuple[object, Note]] = field(default_factory=list)
    general: list[Note] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)
