"""Every character must have a glyph: the check that runs before any writer.

A character that none of the style's fonts has would print as a blank box (PDF), fall back to an
unknown face (DOCX) or show as tofu (EPUB). We stop instead, listing each such character with the
lines where it occurs.
"""

from __future__ import annotations

from collections.abc import Iterator

from zhengji_publish import model as m
from zhengji_publish.diagnostics import Diagnostic, UserError
from zhengji_publish.fonts.families import FontBook


def _texts(doc: m.Document) -> Iterator[tuple[str, int]]:
    """(text, line) of everything that is set in type, including code and metadata."""
    meta = doc.meta
    for s in [meta.title, meta.subtitle, meta.publisher, *meta.authors]:
        if s:
            yield s, 1
    for visit in m.visit(doc):
        node = visit.node
        if isinstance(node, (m.Text, m.Code)):
            yield node.text, visit.line
        elif isinstance(node, m.Image) and not isinstance(visit.parent, m.Figure):  # a figure prints its caption
            yield node.alt, visit.line
        elif isinstance(node, m.CodeBlock):
            for i, ln in enumerate(node.text.split("\n")):
                yield ln, node.line + 1 + i


def _lines(lines: list[int]) -> str:
    return ", ".join(map(str, lines[:6])) + (", …" if len(lines) > 6 else "")


def check_coverage(doc: m.Document, book: FontBook) -> None:
    """Find a face for every character; raise a :class:`UserError` listing those no installed face has.

    A character is the style's when a face of any role the style sets text in (and ``mono`` for
    code) has it, as the writers look it up (:meth:`FontBook.style_face`).

    A character no face of the style has is drawn with the best installed face
    (:meth:`FontBook.fallback`) and reported once with a warning naming the character, its code
    point, its lines and the face used (an error under ``--strict``); the editions of a source
    share the book's reporter, so each character is reported once per source.
    """
    roles = [*book.style.roles_used(), "mono"]  # the roles text is set in, code included
    missing: dict[str, list[int]] = {}
    substituted: dict[str, list[int]] = {}
    checked: set[str] = set()
    for text, line in _texts(doc):
        for ch in dict.fromkeys(text):  # each character once, in order of appearance
            if ch in checked or ch.isspace():
                continue
            for found in (missing, substituted):
                if ch in found:
                    if line not in found[ch]:
                        found[ch].append(line)
                    break
            else:
                if any(book.style_face(ch, role) for role in roles):
                    checked.add(ch)
                elif book.fallback(ch) is not None:
                    substituted[ch] = [line]
                else:
                    missing[ch] = [line]
    for ch, lines in substituted.items():
        if (str(doc.source), "fallback", ch) in book.reporter.once:
            continue
        book.reporter.once.add((str(doc.source), "fallback", ch))
        face = book.fallback(ch)
        assert face is not None
        book.reporter.warn(
            f"no font of the style has the character {ch!r} (U+{ord(ch):04X}, line{'s' if len(lines) > 1 else ''} "
            f"{_lines(lines)}); using {face.family} ({face.path})",
            "add a font that has it to the style's font lists to choose the face yourself",
            doc.source,
            lines[0],
            1,
        )
    if missing:
        diags = [
            Diagnostic(
                f"no font has the character {ch!r} (U+{ord(ch):04X})"
                + (f", also on lines {', '.join(map(str, lines[1:6]))}" if len(lines) > 1 else ""),
                "drop a font that has it into fonts/, add its family to the style's font lists, or replace it",
                doc.source,
                lines[0],
                1,
            )
            for ch, lines in missing.items()
        ]
        raise UserError(diags)
