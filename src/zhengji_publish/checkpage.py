"""The proofreading page of ``zhengji-publish check --html REPORT.html``.

One HTML file, no scripts from elsewhere: per edition, the text the edition's publications print,
made by the build's own :func:`zhengji_publish.build.make_edition` (OpenCC, the corrections, Taiwan
usage words, the user's overrides, quotation marks — 「」『』 in Taiwan and Hong Kong — and heading
numbers, as the PDF, DOCX and EPUB carry them): the metadata, then each heading, paragraph, list
item, table row, caption, code block and footnote, one numbered item each, linking to the source
file at its line (``source.md#L12``, the form editors' viewers and the page's own anchors use).
Each place whose form depended on the context is highlighted (``<mark class="doubt-N">``, N the
doubt, 3 the most doubtful), its alternatives and the rule that chose in a ``title`` shown on hover
and in a note shown while it has the focus (a click or Tab). Code and addresses are shown as
written, as the editions print them.
"""

from __future__ import annotations

import html
import os
import urllib.parse
from pathlib import Path

from zhengji_publish import model as m
from zhengji_publish.ambiguity import Choice, gather
from zhengji_publish.editions import Slot, text_slots
from zhengji_publish.paths import os_error
from zhengji_publish.writers.lists import label

_STYLE = """
body { font-family: "Noto Serif CJK TC", "Noto Sans CJK TC", serif; margin: 2em auto; max-width: 48em; }
:lang(zh-CN), :lang(zh-SG), :lang(zh-Hans) { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; }
:lang(zh-Hant-HK) { font-family: "Noto Serif CJK HK", "Noto Sans CJK HK", serif; }
h2 { font-size: 1.2em; border-bottom: 1px solid #999; }
h3 { font-size: 1.05em; border-bottom: 1px solid #ccc; }
ol.lines { list-style: none; padding: 0; }
ol.lines li { line-height: 2; white-space: pre-wrap; }
a.ln { color: #888; display: inline-block; width: 4em; text-decoration: none; font-size: 0.8em; }
mark { border-radius: 2px; cursor: help; }
mark.doubt-3 { background: #f99; } mark.doubt-2 { background: #fd7; } mark.doubt-1 { background: #def; }
mark { position: relative; }
span.cell + span.cell { margin-left: 2em; }
span.alt, span.meta { color: #555; }
mark:focus::after { content: attr(data-note); position: absolute; left: 0; top: 1.8em; z-index: 1;
  white-space: nowrap; font-size: 0.8em; background: #ffe; border: 1px solid #cc9; padding: 0.1em 0.5em; }
"""


def _place(text: str, found: list[Choice]) -> str:
    """``text`` highlighted as the form chosen for ``found`` (one place, or several converted into
    one phrase by a vocabulary change), with the most doubtful one's class."""
    notes = "\n".join(f"{c.char} → {c.chosen}；其他：{'、'.join(c.alternatives) or '—'}；{c.how}" for c in found)
    doubt = max(c.doubt for c in found)
    return (
        f'<mark class="doubt-{doubt}" title="{html.escape(notes)}" tabindex="0" data-note="{html.escape(notes)}">'
        f"{html.escape(text)}</mark>"
    )


_Marks = dict[tuple[int, str | int], list[tuple[int, int, Choice]]]


def _marked(text: str, marks: list[tuple[int, int, Choice]]) -> str:
    """``text`` escaped, each ``(start, end, choice)`` span highlighted (spans that overlap, one phrase
    several characters became, are one highlight)."""
    out, done = [], 0
    groups: list[tuple[int, int, list[Choice]]] = []
    for start, end, choice in sorted(marks, key=lambda mark: (mark[0], mark[1])):
        if groups and start < groups[-1][1]:
            groups[-1][2].append(choice)
        elif 0 <= start < end <= len(text):
            groups.append((start, end, [choice]))
    for start, end, found in groups:
        out.append(html.escape(text[done:start]))
        out.append(_place(text[start:end], found))
        done = end
    out.append(html.escape(text[done:]))
    return "".join(out)


def _marks(doc: m.Document, edition_doc: m.Document, found: list[Choice]) -> _Marks:
    """Each choice placed in the edition's text: ``(id(holder), key)`` of the edition's string (as
    :class:`editions.Slot` names it) → ``(start, end, choice)`` offsets in that string.

    A choice names its string in ``doc`` (:attr:`Choice.slot`); the edition's strings of the same run
    are its own in the same order, the first of a numbered heading behind its number, so they are
    matched from the run's end, and an offset counted from a string's end (:attr:`Choice.tail`)
    holds: quotation marks change no length, a heading number comes first."""

    def by_unit(slots: list[Slot]) -> dict[int, list[int]]:
        units: dict[int, list[int]] = {}
        for k, slot in enumerate(slots):
            units.setdefault(slot.unit, []).append(k)
        return units

    sources, printed = text_slots(doc).slots, text_slots(edition_doc).slots
    source_units, printed_units = by_unit(sources), by_unit(printed)
    out: _Marks = {}
    for choice in found:
        if not 0 <= choice.slot < len(sources):
            continue
        run = source_units[sources[choice.slot].unit]
        shown = printed_units.get(sources[choice.slot].unit, [])
        k = run.index(choice.slot) + len(shown) - len(run)
        if not 0 <= k < len(shown):
            continue
        slot = printed[shown[k]]
        start = len(slot.get()) - choice.tail
        if slot.get()[start : start + len(choice.chosen)] != choice.chosen:  # not where it was printed
            continue
        out.setdefault((id(slot.holder), slot.key), []).append((start, start + len(choice.chosen), choice))
    return out


def _inlines(nodes: list[m.Inline], marks: _Marks) -> str:
    """The HTML of a run of inlines as the edition prints them: text with its highlights, code as
    written, a note's number, a line break."""
    out = []
    for node in nodes:
        if isinstance(node, m.Text):
            out.append(_marked(node.text, marks.get((id(node), "text"), [])))
        elif isinstance(node, m.Code):
            out.append(f"<code>{html.escape(node.text)}</code>")
        elif isinstance(node, m.FootnoteRef):
            out.append(f"<sup>{node.shown or node.number}</sup>")
        elif isinstance(node, m.LineBreak):
            out.append("\n")
        elif isinstance(node, m.Image):
            out.append(_marked(node.alt, marks.get((id(node), "alt"), [])))
        elif isinstance(node, m.INLINE_CONTAINERS):  # strong, emphasis, strikethrough, a link's text
            out.append(_inlines(node.children, marks))
    return "".join(out)


def _items(doc: m.Document, edition_doc: m.Document, marks: _Marks, lines: list[str]) -> list[tuple[int, str]]:
    """The page's items of ``doc``'s edition ``edition_doc``, ``(source line, HTML)``, in reading
    order: the metadata's strings (each at the first front-matter line holding its start as
    written), then the body and the notes."""
    items = []
    front = _front_matter(lines)
    written = {slot.unit: slot.get() for slot in text_slots(doc).loose}
    for slot in text_slots(edition_doc).loose:
        if isinstance(slot.holder, m.Image):  # an image's alt text is shown where the image is
            continue
        start = written.get(slot.unit, "")[:3]
        line = next((n for n in front if start and start in lines[n - 1]), 1)
        shown = _marked(slot.get(), marks.get((id(slot.holder), slot.key), []))
        items.append((line, f'<span class="meta">{shown}</span>'))
    for visit in m.visit(edition_doc, inlines=False):
        node = visit.node
        note = visit.enclosing(m.Footnote)
        number = f"<sup>{note.shown or note.number}</sup> " if note and node is _first_block(note) else ""
        number += _item_label(visit)
        if isinstance(node, m.TEXT_BLOCKS):
            shown = _inlines(m.inline_run(node), marks)
            if isinstance(node, m.Figure) and node.image.alt:  # the alt text the EPUB and DOCX carry
                alt = _marked(node.image.alt, marks.get((id(node.image), "alt"), []))
                # a caption made of the alt text is the same text: its places are listed once, at the alt
                same = m.plain_text(node.caption) == node.image.alt
                shown = alt if same else shown + ("\n" if shown else "") + f'<span class="alt">{alt}</span>'
            items.append((visit.line, number + shown))
        elif isinstance(node, m.CodeBlock):
            items.append((visit.line, number + f"<code>{html.escape(node.text)}</code>"))
    return [(line, shown) for line, shown in items if shown]


def _first_block(holder: m.Footnote | m.ListItem) -> m.Node | None:
    """The first block of a note or a list item that holds text (where its number or label is printed)."""
    return next((b for b in m.iter_blocks(holder.children) if isinstance(b, (*m.TEXT_BLOCKS, m.CodeBlock))), None)


def _item_label(visit: m.Visit) -> str:
    """The label the publications print before the block ``visit`` reaches when it opens a list
    item (``3. ``, ``• ``: :func:`~zhengji_publish.writers.lists.label`), else ""."""
    item, block = visit.enclosing(m.ListItem), visit.enclosing(m.ListBlock)
    if item is None or block is None or visit.node is not _first_block(item):
        return ""
    index = next(i for i, it in enumerate(block.items) if it is item)
    return html.escape(label(block.ordered, block.start + index)) + " "


def _front_matter(lines: list[str]) -> list[int]:
    """The 1-based numbers of the front matter's lines (between the opening ``---`` and its close)."""
    if not lines or lines[0].strip() != "---":
        return []
    for n in range(1, len(lines)):
        if lines[n].strip() in ("---", "..."):
            return list(range(2, n + 1))
    return []


def page(
    path: Path,
    tags: list[str],
    everything: bool = False,
    folder: Path | None = None,
    style: str = "",
    style_dirs: tuple[Path, ...] = (),
) -> str:
    """The page's HTML: per edition, the text its publications print with the doubtful places
    marked. Items link to the source at their line, relative to ``folder`` (where the page is
    written, so page and source can move together), or by its absolute ``file:`` address without
    one. ``style`` and ``style_dirs`` are the build's ``-s`` and ``--styles`` (the style's quotation
    marks and heading numbers are the text's). Raises :class:`UserError` for a source, a style or an
    edition the build would refuse.

    ``path`` may be a book manifest (:mod:`zhengji_publish.manifest`): the page then holds each
    chapter in the book's order, made as the book says (its editions, style, OpenCC configs and
    overrides), a section each headed by the chapter's path, its items linking to the chapter."""
    from zhengji_publish.manifest import is_manifest, read_manifest

    parts = [
        '<!DOCTYPE html>\n<html lang="zh-Hant"><head><meta charset="utf-8">',
        f"<title>{html.escape(path.name)}：校對報告</title><style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(path.name)}</h1>",
    ]
    if is_manifest(path):
        book = read_manifest(path)
        settings = m.Document(book.meta, [], source=path)
        for k, entry in enumerate(book.entries, 1):
            parts.append(f'<section class="chapter" id="c{k}"><h2>{html.escape(str(entry.shown))}</h2>')
            parts += _sections(entry.shown, tags, everything, folder, (style, style_dirs), settings, f"c{k}-")
            parts.append("</section>")
    else:
        parts += _sections(path, tags, everything, folder, (style, style_dirs))
    parts.append("</body></html>\n")
    return "".join(parts)


def _sections(
    path: Path,
    tags: list[str],
    everything: bool,
    folder: Path | None,
    style_named: tuple[str, tuple[Path, ...]],
    book: m.Document | None = None,
    prefix: str = "",
) -> list[str]:
    """The HTML of one source's editions (a section each, the first item of each source line
    anchored ``{prefix}{tag}-L{n}``), a chapter of ``book`` when it is one (headed one level lower:
    the chapter's path heads them). ``style_named`` is the build's ``-s`` and ``--styles``."""
    from zhengji_publish.build import BuildOptions, make_edition, source_style
    from zhengji_publish.editions import overrides_for, resolve
    from zhengji_publish.plan import make_plan

    doc, text, reports = gather(path, tags, everything, book)
    settings = book or doc
    overrides = overrides_for(settings)
    options = BuildOptions(style=style_named[0], style_dirs=style_named[1])
    style = source_style(settings, settings.source or path, options)
    lines = text.split("\n")
    if folder is None:
        href = html.escape(path.resolve().as_uri())
    else:
        relative = Path(os.path.relpath(path.resolve(), folder.resolve()))
        href = html.escape(urllib.parse.quote(relative.as_posix()))
    heading = "h3" if book else "h2"
    parts = []
    for r in reports:
        count = len(r.found)
        ident = html.escape(prefix + r.tag)
        edition = resolve(r.tag, settings.meta)
        parts.append(
            f'<section class="edition" id="{ident}" lang="{html.escape(edition.lang)}">'
            f"<{heading}>{html.escape(r.tag)} ({r.configs})："
        )
        if r.converts:
            parts.append(f"{count} 處待查</{heading}>")
        else:  # nothing converted, or not from simplified to traditional: no form to choose
            parts.append(f"{'無一簡多繁' if r.configs != 'no conversion' else '不需轉換'}</{heading}>")
        publication = make_plan(style, edition, settings.meta)
        printed = make_edition(doc, edition, publication, "pdf", overrides)
        items = _items(doc, printed, _marks(doc, printed, r.found), lines)
        parts.append('<ol class="lines">')
        anchored: set[int] = set()
        for n, shown in _rows(items):
            anchor = f' id="{html.escape(f"{prefix}{r.tag}-L{n}")}"' if n not in anchored else ""
            anchored.add(n)
            parts.append(
                f'<li{anchor}><a class="ln" href="{href}#L{n}" title="{html.escape(str(path))}:{n}">{n}</a>{shown}</li>'
            )
        parts.append("</ol></section>")
    return parts


def _rows(items: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Items of one source line side by side (a table row's cells), each in a cell of its own."""
    rows: list[tuple[int, list[str]]] = []
    for line, shown in items:
        if rows and rows[-1][0] == line:
            rows[-1][1].append(shown)
        else:
            rows.append((line, [shown]))
    return [
        (line, cells[0] if len(cells) == 1 else "".join(f'<span class="cell">{cell}</span>' for cell in cells))
        for line, cells in rows
    ]


def write_page(
    path: Path,
    tags: list[str],
    target: Path,
    everything: bool = False,
    style: str = "",
    style_dirs: tuple[Path, ...] = (),
) -> None:
    """Write :func:`page` to ``target`` whole (through a temporary file), or raise a located error."""
    from zhengji_publish.cache import write_atomic

    data = page(path, tags, everything, target.parent, style, style_dirs).encode("utf-8")
    try:
        write_atomic(target, data, readable=True)
    except OSError as exc:  # named with its cause, as the build's outputs are (paths.os_error)
        raise os_error(exc, "write the report", target) from None
