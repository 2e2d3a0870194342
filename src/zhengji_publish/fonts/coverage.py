"""Every character must have a glyph: the check that runs before any writer.

A character that none of the style's fonts has would print as a blank box (PDF), fall back to an
unknown face (DOCX) or show as tofu (EPUB). We stop instead, listing each such character with the
lines where it occurs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from zhengji_publish import model as m
from zhengji_publish.diagnostics import Diagnostic, UserError
from zhengji_publish.fonts.families import FontBook
from zhengji_publish.text import is_variation_selector

Where = tuple[Path, int]  # a source file and a line in it


def _texts(doc: m.Document) -> Iterator[tuple[str, Path, int]]:
    """(text, file, line) of everything that is set in type, including code and metadata.

    In a book the file is the chapter's (the opening div's ``source``; a footnote is in the
    chapter that refers to it); the book's own metadata is the manifest's.
    """
    top = Path(doc.source) if doc.source else Path("<source>")
    meta = doc.meta
    for s in [meta.title, meta.subtitle, meta.publisher, *meta.authors]:
        if s:
            yield s, top, 1
    note_files: dict[str, Path] = {}
    for visit in m.visit(doc):
        node = visit.node
        chapter = next((a.source for a in reversed(visit.ancestors) if isinstance(a, m.Div) and a.source), None)
        if chapter is None and visit.ancestors and isinstance(visit.ancestors[0], m.Footnote):
            chapter = note_files.get(visit.ancestors[0].label)
        path = Path(chapter) if chapter else top
        if isinstance(node, m.FootnoteRef):
            note_files.setdefault(node.label, path)
        elif isinstance(node, (m.Text, m.Code)):
            yield node.text, path, visit.line
        elif isinstance(node, m.Image) and not isinstance(visit.parent, m.Figure):  # a figure prints its caption
            yield node.alt, path, visit.line
        elif isinstance(node, m.CodeBlock):
            for i, ln in enumerate(node.text.split("\n")):
                yield ln, path, node.line + 1 + i


def _lines(wheres: list[Where], first: Path) -> str:
    """The lines of ``wheres``, those in another file than ``first`` with its name."""
    shown = [str(line) if path == first else f"{path.name}:{line}" for path, line in wheres[:6]]
    return ", ".join(shown) + (", …" if len(wheres) > 6 else "")


class _Columns:
    """The column of a character on a source line, read from the file (1 when it is not there, as
    for a character an edition's conversion brought in)."""

    def __init__(self) -> None:
        self._files: dict[Path, list[str]] = {}

    def locate(self, ch: str, where: Where) -> tuple[int, int]:
        """(line, column) of ``ch`` at or after the line of ``where`` (a paragraph's text runs on
        over its following lines), else its first line in the file (front matter), else the line
        given and column 1. Columns count characters, from 1."""
        path, line = where
        if path not in self._files:
            try:
                self._files[path] = path.read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError):
                self._files[path] = []
        lines = self._files[path]
        for number in [*range(max(line, 1), len(lines) + 1), *range(1, min(line, len(lines) + 1))]:
            col = lines[number - 1].find(ch)
            if col >= 0:
                return number, col + 1
        return line, 1


def check_coverage(doc: m.Document, book: FontBook) -> None:
    """Find a face for every character; raise a :class:`UserError` listing those no installed face has.

    A character is the style's when a face of any role the style sets text in (and ``mono`` for
    code) has it, as the writers look it up (:meth:`FontBook.style_face`).

    A character no face of the style has is drawn with the best installed face
    (:meth:`FontBook.fallback`) and reported once with a warning naming the character, its code
    point, its lines and the face used (an error under ``--strict``); the editions of a source
    share the book's reporter, so each character is reported once per source. Each message is
    located at the character's first occurrence, ``file:line:col``: in a book, the chapter's file.
    """
    roles = [*book.style.roles_used(), "mono"]  # the roles text is set in, code included
    missing: dict[str, list[Where]] = {}
    substituted: dict[str, list[Where]] = {}
    checked: set[str] = set()
    for text, path, line in _texts(doc):
        for ch in dict.fromkeys(text):  # each character once, in order of appearance
            if ch in checked or ch.isspace() or is_variation_selector(ch):  # the glyph is its base's
                continue
            for found in (missing, substituted):
                if ch in found:
                    if (path, line) not in found[ch]:
                        found[ch].append((path, line))
                    break
            else:
                if any(book.style_face(ch, role) for role in roles):
                    checked.add(ch)
                elif book.fallback(ch) is not None:
                    substituted[ch] = [(path, line)]
                else:
                    missing[ch] = [(path, line)]
    columns = _Columns()

    def placed(ch: str, wheres: list[Where]) -> tuple[list[Where], int]:
        """``wheres`` at the lines ``ch`` is on (a paragraph's node names its first line), and the
        column of the first."""
        lines = {where: columns.locate(ch, where) for where in wheres}
        return list(dict.fromkeys((path, lines[path, line][0]) for path, line in wheres)), lines[wheres[0]][1]

    for ch, wheres in substituted.items():
        if (str(doc.source), "fallback", ch) in book.reporter.once:
            continue
        book.reporter.once.add((str(doc.source), "fallback", ch))
        face = book.fallback(ch)
        assert face is not None
        wheres, col = placed(ch, wheres)
        first = wheres[0][0]
        book.reporter.warn(
            f"no font of the style has the character {ch!r} (U+{ord(ch):04X}, line{'s' if len(wheres) > 1 else ''} "
            f"{_lines(wheres, first)}); using {face.family} ({face.path})",
            "add a font that has it to the style's font lists to choose the face yourself",
            first,
            wheres[0][1],
            col,
        )
    if missing:
        diags = []
        for ch, occurrences in missing.items():
            wheres, col = placed(ch, occurrences)
            diags.append(
                Diagnostic(
                    f"no font has the character {ch!r} (U+{ord(ch):04X})"
                    + (f", also on lines {_lines(wheres[1:], wheres[0][0])}" if len(wheres) > 1 else ""),
                    "drop a font that has it into fonts/, add its family to the style's font lists, or replace it",
                    wheres[0][0],
                    wheres[0][1],
                    col,
                )
            )
        raise UserError(diags)
