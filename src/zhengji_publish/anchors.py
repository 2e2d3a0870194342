"""Links to headings: the names a ``#`` link may give a heading, and the links resolved to them.

Every heading gets a stable id of its own (``sec-N``, its order in the source), which the PDF's
destinations, the DOCX's bookmarks and the EPUB's ``id`` attributes all use. Authors do not write
those: a README's contents link ``[安装](#安装)`` or ``[Quick start](#quick-start)`` the way GitHub
names headings, a pandoc manuscript the way pandoc does or with an id of its own
(``## 安装 {#install}``). :func:`heading_names` gives each heading every one of those names, and
:func:`resolve_links` points the document's links at the heading they name, before any writer or
edition sees them, so the three formats agree.

Names, in the order they are matched (the first heading to claim a name keeps it):

- an explicit id from a heading's attribute block ``{#id .class key=value}`` (pandoc's
  ``header_attributes``), which the reader takes off the heading's text;
- GitHub's id: the text lower-cased, spaces to ``-``, marks (，、（）：…) dropped, repeats numbered
  ``-1``, ``-2`` (markdown-it's anchors plugin, which follows GitHub's ``toc_filter``);
- pandoc's ``auto_identifiers``: the same, ``.`` kept, everything before the first letter dropped
  (``1.2 安装`` → ``安装``), ``section`` when nothing is left;
- the heading's text itself.

A link's target is read percent-decoded (markdown-it writes ``#安装`` as ``#%E5%AE%89%E8%A3%85``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote

from mdit_py_plugins.anchors.index import slugify, unique_slug

from zhengji_publish import model as m
from zhengji_publish.diagnostics import Reporter

__all__ = ["ATTRIBUTES", "SCHEME", "heading_names", "pandoc_identifier", "resolve_links", "take_attributes"]

_ATTRIBUTE = r'(?:[#.][^\s{}#.][^\s{}]*|-|[A-Za-z_][\w.:-]*=(?:"[^"]*"|[^\s{}"]+))'
# pandoc's attribute block at a heading's end: {#id .class key=value} or {-} (unnumbered)
ATTRIBUTES = re.compile(rf"\s*\{{\s*({_ATTRIBUTE}(?:\s+{_ATTRIBUTE})*)\s*\}}\s*$")
_ID = re.compile(r"(?:^|\s)#([^\s{}]+)")
SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")  # https:, mailto:, tel: … (RFC 3986 §3.1)


def take_attributes(children: list[m.Inline]) -> tuple[list[m.Inline], str]:
    """A heading's inlines without a pandoc attribute block at their end, and the block's id
    (``""`` when it gives none). The block must end the heading's last text: ``# 安装 {#install}``.
    Inlines without one are returned as they are."""
    last = children[-1] if children else None
    if not isinstance(last, m.Text):
        return children, ""
    found = ATTRIBUTES.search(last.text)
    if found is None:
        return children, ""
    ident = _ID.search(found.group(1))
    rest = last.text[: found.start()]
    kept = children[:-1] + ([m.Text(rest, last.line)] if rest else [])
    return kept, ident.group(1) if ident else ""


def pandoc_identifier(text: str) -> str:
    """pandoc's ``auto_identifiers`` id of a heading's text (its manual, "Heading identifiers"):
    letters, digits, ``_ - .`` kept, spaces to ``-``, lower case, nothing before the first letter,
    ``section`` when nothing is left. ``安装 Guide`` → ``安装-guide``; ``1.2 安装`` → ``安装``."""
    kept = re.sub(r"[^\w\s.-]", "", text)
    joined = "-".join(kept.split()).lower()
    first = next((i for i, ch in enumerate(joined) if ch.isalpha()), len(joined))
    return joined[first:] or "section"


def _numbered(name: Callable[[str], str]) -> Callable[[str], str]:
    """``name`` made unique across the headings it is called for: repeats get ``-1``, ``-2`` …"""
    taken: set[str] = set()
    return lambda text: unique_slug(name(text), taken)


def heading_names(headings: Iterable[m.Heading], explicit: dict[str, m.Heading] | None = None) -> dict[str, str]:
    """Every name a ``#`` link may give one of ``headings`` (in document order) → that heading's
    ``ident``: ``explicit`` ids first, then GitHub's, pandoc's and the heading's own text (see the
    module's docstring). Headings without an ident are left out."""
    names: dict[str, str] = {}
    for ident, heading in (explicit or {}).items():
        names.setdefault(ident, heading.ident)
    listed = list(headings)
    pandoc = _numbered(pandoc_identifier)
    for heading, github in zip(listed, github_slugs(listed), strict=True):
        text = m.plain_text(heading.children).strip()
        for name in (github, pandoc(text), " ".join(text.split())):
            if heading.ident and name:
                names.setdefault(name, heading.ident)
    return names


def github_slugs(headings: list[m.Heading]) -> list[str]:
    """Each heading's name as GitHub gives it (``## 二、方法`` → ``二方法``; a repeat ``-1``, ``-2``
    …), in document order: what a README's ``#`` links are written with."""
    github = _numbered(slugify)
    return [github(m.plain_text(h.children).strip()) for h in headings]


def resolve_links(
    doc: m.Document,
    explicit: dict[str, m.Heading],
    reporter: Reporter,
    locate: Callable[[str, int], tuple[int, int]],
    path: Path,
) -> None:
    """Point every ``#`` link of ``doc`` (footnotes included) at the heading it names, in place, and
    warn at each link that names none, and at each link to a local file (``docs/guide.md``: no
    format holds the file, and an EPUB cannot link outside itself): ``file:line:col`` from
    ``locate(href, line)``, where the link's target is written. A link to a heading's own ident is
    left as it is."""
    names = heading_names(m.headings(doc), explicit)
    idents = set(names.values())
    for node in m.nodes(doc):
        if not isinstance(node, m.Link):
            continue
        if not node.href.startswith("#"):
            if node.href and not SCHEME.match(node.href):
                written = unquote(node.href)
                reporter.warn(
                    f"link '{written}' points at a local file, which the publications do not hold "
                    "(the EPUB sets the link's text alone)",
                    "use a full URL (https://…) to link it in every format",
                    path,
                    *locate(written, node.line),
                )
            continue
        target = unquote(node.href[1:])
        if node.href[1:] in idents:
            continue
        found = names.get(target) or names.get(" ".join(target.split()))
        if found is not None:
            node.href = "#" + found
            continue
        line, col = locate("#" + target, node.line)
        reporter.warn(
            f"link target '#{target}' is no heading's name",
            "link to a heading by its text as GitHub or pandoc names it ('#安装', '#quick-start'), "
            "or give the heading an id: '## 安装 {#install}'",
            path,
            line,
            col,
        )
