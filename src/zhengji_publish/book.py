"""A book: the chapters a manifest lists, read one by one and composed into one document tree.

Each chapter is read by the ordinary reader (its own file:line in every message) and becomes an
opening :class:`~zhengji_publish.model.Div` (:data:`~zhengji_publish.model.OPENINGS`) that the
writers start on a new page (a right-hand one where the style says so), in a file of its own in
the EPUB and a section of its own in the DOCX:

- ``part``: a part's title page, a level-1 heading;
- ``chapter``: the chapter's title (its front matter's ``title``, else its first heading) at the
  chapter's level (2 under a part, else 1), its ``subtitle`` and a byline from its ``author`` and
  ``date``, then its text with every heading one level below the chapter;
- ``front``: a page of front matter (preface, 编者按) at level 1, before the body and numbered
  apart from it; back matter is a level-1 ``chapter``.

Heading ids, links to them and footnotes are renumbered so that no two chapters share one.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from zhengji_publish import model as m
from zhengji_publish.diagnostics import Diagnostic, Reporter, UserError
from zhengji_publish.images import DEFAULT_LIMITS, ImageLimits
from zhengji_publish.manifest import Entry, read_manifest

__all__ = ["compose_chapter", "read_book"]

Progress = Callable[[int, int, Path], None]


def read_book(
    path: Path,
    reporter: Reporter | None = None,
    allow_outside: Path | tuple[Path, ...] | None = None,
    image_limits: ImageLimits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    style_dirs: tuple[Path, ...] | None = None,
) -> m.Document:
    """The book the manifest at ``path`` describes, as one document (errors are :class:`UserError`).

    Chapters are read in order, each with the build's confinement and image limits (images are
    relative to their chapter), each chapter's problems at its own file:line, the file named as the
    user named it (:attr:`~zhengji_publish.manifest.Entry.shown`). Every chapter the manifest
    lists well is read whatever became of the others, and the problems of the manifest and of
    every chapter are raised together, the manifest's first: one run reports them all.
    ``progress(done, total, chapter)`` is told before each chapter is read; ``style_dirs``: the
    book's ``style`` is looked up as :func:`~zhengji_publish.manifest.read_manifest` says.
    """
    from zhengji_publish.reader import read_file

    problems: list[Diagnostic] = []
    book = read_manifest(path, reporter, allow_outside, image_limits, problems, style_dirs)
    entries = book.entries
    composer = _Composer()
    blocks: list[m.Block] = []
    done = 0

    def add(entry: Entry, level: int, cls: str) -> None:
        nonlocal done
        if progress is not None:
            progress(done, len(entries), entry.shown)
        done += 1
        try:
            doc = read_file(entry.shown, reporter, allow_outside, image_limits)
        except UserError as exc:
            problems.extend(exc.diagnostics)
            return
        if doc.meta.style and reporter is not None:  # the book's style sets every chapter
            reporter.warn(
                f"a chapter's 'style: {doc.meta.style}' is not used: the book's style sets every chapter",
                f"name the style in {path.name} (or pass -s), and remove it here",
                entry.shown,
                *doc.meta.style_at,
            )
        blocks.append(composer.chapter(doc, level, cls))

    for entry in book.front:
        add(entry, 1, "front")
    nested = any(p.title for p in book.parts)
    for part in book.parts:
        if part.title:
            ident = f"part-{len(blocks) + 1}"
            heading = m.Heading(1, copy.deepcopy(part.title_nodes), ident, part.line)
            blocks.append(m.Div("part", [heading], part.line))
        for entry in part.chapters:
            add(entry, 2 if nested else 1, "chapter")
    for entry in book.back:
        add(entry, 1, "chapter")
    if problems:
        raise UserError(problems)
    if progress is not None:
        progress(len(entries), len(entries), path)
    book.meta.book_levels = 2 if nested else 1
    return m.Document(book.meta, blocks, composer.footnotes, source=path)


def _byline(meta: m.Meta) -> str:
    """``author　date`` of a chapter's front matter, the date as 2026年3月16日 (empty when neither)."""
    date = f"{meta.date.year}年{meta.date.month}月{meta.date.day}日" if meta.date else ""
    return "　".join(part for part in ("、".join(meta.authors), date) if part)


class _Composer:
    """Turns each chapter into an opening, keeping heading ids and footnote numbers unique."""

    def __init__(self) -> None:
        self.count = 0
        self.footnotes: list[m.Footnote] = []

    def chapter(self, doc: m.Document, level: int, cls: str) -> m.Div:
        """``doc`` as an opening of class ``cls`` whose title heading is at ``level``."""
        self.count += 1
        return compose_chapter(doc, level, cls, f"c{self.count}-", self.footnotes)


def compose_chapter(doc: m.Document, level: int, cls: str, prefix: str, footnotes: list[m.Footnote]) -> m.Div:
    """One chapter as an opening div: title heading at ``level``, subtitle, byline, then its blocks.

    The chapter's headings move so its highest (``#``, or ``##`` in an article whose title was its
    ``#``) sits at ``level + 1``, one below the chapter's title, the others below it as they were (a
    title taken from the first heading is that heading, moved to ``level``); levels stop at 6.
    Heading ids and ``#`` links to them get ``prefix``; footnotes are numbered on from those already in
    ``footnotes`` (to which the chapter's are appended) and keep their own numbers as the ones
    shown (``shown``): each chapter's notes count from 1.
    """
    title = m.title_heading(doc.blocks) if doc.meta.title_derived else None
    levels = [h.level for h in m.query(doc, m.Heading, lambda h: h) if h is not title]
    shift = level + 1 - min(levels, default=1)
    offset = len(footnotes)

    def heading(h: m.Heading) -> None:
        h.level = level if h is title else min(h.level + shift, 6)
        h.ident = prefix + h.ident if h.ident else h.ident

    idents = {h.ident for h in m.headings(doc)}

    def link(node: m.Link) -> None:
        if node.href.startswith("#") and node.href[1:] in idents:  # a link to nowhere is left for the writers to report
            node.href = "#" + prefix + node.href[1:]

    def ref(node: m.FootnoteRef) -> None:
        node.shown = node.number  # numbered per chapter, told apart by ``number``
        node.number += offset
        node.label = prefix + node.label

    for node in list(m.nodes(doc)):  # one pass; nodes are changed in place, none added or removed
        if isinstance(node, m.Heading):
            heading(node)
        elif isinstance(node, m.Link):
            link(node)
        elif isinstance(node, m.FootnoteRef):
            ref(node)
    for note in doc.footnotes:
        footnotes.append(replace(note, number=note.number + offset, label=prefix + note.label, shown=note.number))
    line = doc.blocks[0].line if doc.blocks else 1
    opening: list[m.Block] = []
    if title is None:
        opening.append(m.Heading(level, copy.deepcopy(doc.meta.title_inlines()), f"{prefix}title", 1))
    body = list(doc.blocks)
    if title is not None:
        body.remove(title)
        opening.append(title)
    if doc.meta.subtitle:
        opening.append(m.Div("subtitle", [m.Paragraph(copy.deepcopy(doc.meta.subtitle_inlines()), 1)], 1))
    byline = _byline(doc.meta)
    if byline:
        opening.append(m.Div("byline", [m.Paragraph([m.Text(byline, 1)], 1)], 1))
    return m.Div(cls, opening + body, line, doc.source)
