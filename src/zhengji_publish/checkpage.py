"""The proofreading page of ``zhengji-publish check --html REPORT.html``.

One HTML file, no scripts from elsewhere: per edition, the source converted line by line, each
place whose form depended on the context highlighted (``<mark class="doubt-N">``, N the doubt,
3 the most doubtful), its alternatives and the rule that chose in a ``title`` shown on hover and in
a note shown while it has the focus (a click or Tab), and each line numbered with a link to the source file
at that line (``source.md#L12``, the form editors' viewers and the page's own anchors use). Code
spans and fenced code are shown as written, as the editions print them.
"""

from __future__ import annotations

import html
import os
import re
import urllib.parse
from pathlib import Path

from zhengji_publish import model as m
from zhengji_publish.ambiguity import Choice, gather
from zhengji_publish.conversion import Converter
from zhengji_publish.diagnostics import Diagnostic, UserError

_STYLE = """
body { font-family: "Noto Serif CJK TC", "Noto Sans CJK TC", serif; margin: 2em auto; max-width: 48em; }
h2 { font-size: 1.2em; border-bottom: 1px solid #999; }
h3 { font-size: 1.05em; border-bottom: 1px solid #ccc; }
ol.lines { list-style: none; padding: 0; }
ol.lines li { line-height: 2; white-space: pre-wrap; }
a.ln { color: #888; display: inline-block; width: 4em; text-decoration: none; font-size: 0.8em; }
mark { border-radius: 2px; cursor: help; }
mark.doubt-3 { background: #f99; } mark.doubt-2 { background: #fd7; } mark.doubt-1 { background: #def; }
mark { position: relative; }
mark:focus::after { content: attr(data-note); position: absolute; left: 0; top: 1.8em; z-index: 1;
  white-space: nowrap; font-size: 0.8em; background: #ffe; border: 1px solid #cc9; padding: 0.1em 0.5em; }
"""


def _place(choice: Choice) -> str:
    others = "、".join(choice.alternatives) or "—"
    note = f"{choice.char} → {choice.chosen}；其他：{others}；{choice.how}"
    return (
        f'<mark class="doubt-{choice.doubt}" title="{html.escape(note)}" tabindex="0" data-note="{html.escape(note)}">'
        f"{html.escape(choice.chosen)}</mark>"
    )


_CODE_SPAN = re.compile(r"(`+[^`]*`+)")


def _convert_prose(line: str, convert: Converter) -> str:
    """A source line converted outside its code spans (code is never converted, as in the editions)."""
    return "".join(part if part.startswith("`") else convert.convert(part) for part in _CODE_SPAN.split(line))


def page(path: Path, tags: list[str], everything: bool = False, folder: Path | None = None) -> str:
    """The page's HTML: the converted source with its doubtful places marked, per edition. Line
    numbers link to the source at that line, relative to ``folder`` (where the page is written, so
    page and source can move together), or by its absolute ``file:`` address without one.

    ``path`` may be a book manifest (:mod:`zhengji_publish.manifest`): the page then holds each
    chapter in the book's order, converted as the book says (its editions, OpenCC configs and
    overrides), a section each headed by the chapter's path, its lines linking to the chapter."""
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
            parts += _sections(entry.shown, tags, everything, folder, settings, f"c{k}-")
            parts.append("</section>")
    else:
        parts += _sections(path, tags, everything, folder)
    parts.append("</body></html>\n")
    return "".join(parts)


def _sections(
    path: Path,
    tags: list[str],
    everything: bool,
    folder: Path | None,
    book: m.Document | None = None,
    prefix: str = "",
) -> list[str]:
    """The HTML of one source's editions (a section each, its lines' anchors ``{prefix}{tag}-L{n}``),
    a chapter of ``book`` when it is one (headed one level lower: the chapter's path heads them)."""
    from zhengji_publish.editions import converter, overrides_for, resolve

    doc, text, reports = gather(path, tags, everything, book)
    settings = book or doc
    overrides = overrides_for(settings)
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
        parts.append(f'<section class="edition" id="{ident}"><{heading}>{html.escape(r.tag)} ({r.configs})：')
        parts.append(f"{count} 處待查</{heading}>" if r.converts else f"不需轉換</{heading}>")
        convert: Converter | None = converter(resolve(r.tag, settings.meta), overrides) if r.converts else None
        by_line: dict[int, list[Choice]] = {}
        for c in r.found:
            by_line.setdefault(c.line, []).append(c)
        parts.append('<ol class="lines">')
        fenced = False
        for n, line in enumerate(lines, 1):
            out = []
            marks = {c.col - 1: c for c in by_line.get(n, [])}
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            converted = _convert_prose(line, convert) if convert and not fenced else line
            shown = converted if len(converted) == len(line) else line  # a vocabulary change resized it
            if not marks:
                out.append(html.escape(converted))
            for i, ch in enumerate(shown if marks else ""):
                out.append(_place(marks[i]) if i in marks else html.escape(ch))
            anchor = f"{prefix}{r.tag}-L{n}"
            parts.append(
                f'<li id="{html.escape(anchor)}"><a class="ln" href="{href}#L{n}" title="{html.escape(str(path))}:{n}">'
                f"{n}</a>{''.join(out)}</li>"
            )
        parts.append("</ol></section>")
    return parts


def write_page(path: Path, tags: list[str], target: Path, everything: bool = False) -> None:
    """Write :func:`page` to ``target`` whole (through a temporary file), or raise a located error."""
    from zhengji_publish.cache import write_atomic

    data = page(path, tags, everything, target.parent).encode("utf-8")
    try:
        write_atomic(target, data, readable=True)
    except OSError as exc:
        raise UserError(
            Diagnostic(f"cannot write the report ({exc.strerror})", "name a file in a folder you can write", target),
            exit_code=2,
        ) from None
