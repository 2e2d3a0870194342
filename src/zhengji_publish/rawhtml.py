"""Raw HTML inside a Markdown source: what it shows is kept, as pandoc keeps it.

READMEs centre their header in HTML (``<p align="center"><img src="docs/logo.png"></p>``,
``<h1 align="center">项目名</h1>``), fold sections into ``<details><summary>``, break lines with
``<br>`` and list contributors in an HTML ``<table>``. pandoc's Markdown reader keeps such HTML as
raw blocks that only HTML outputs print, and reads the Markdown between them; a PDF or a DOCX
loses the text. Here the HTML is read into the document tree with the HTML importer's
:class:`~zhengji_publish.importers.html.Walker` (lxml's parser, which closes what a block leaves
open), so its headings, paragraphs, lists, tables, images and links are set in every format as if
written in Markdown. Its layout attributes (``align``, ``width``) are not: the style decides.

- A local ``<img>`` is the reader's image: confined to the source's folder, checked and loaded, an
  error at its line when missing; a remote one is its alt text, with the reader's warning.
- ``<a href="#安装">`` keeps its target, resolved to the heading as Markdown links are
  (:mod:`zhengji_publish.anchors`).
- Comments, and tags that only open or close a block whose Markdown follows (``<div
  align="center">`` … ``</div>``), hold nothing to set and are passed over in silence.
- What the model cannot set (``<iframe>``, ``<video>``, forms, ``<script>``: :data:`UNSET`) is
  dropped with a warning at its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from lxml import etree
from lxml import html as lxml_html

from zhengji_publish import model as m
from zhengji_publish.importers.html import UNSET, Walker, tidy

__all__ = ["CLOSING", "COMMENT", "SourceHtml", "paired", "tag_name"]

COMMENT = re.compile(r"<!--.*?(-->|$)", re.S)
N = TypeVar("N", m.Block, m.Inline)
CLOSING = re.compile(r"\s*</[A-Za-z][\w-]*\s*>\s*$")
_OPENING = re.compile(r"\s*<([A-Za-z][\w-]*)((?:\s[^>]*)?)>\s*$")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
Wrap = Callable[[list[m.Inline], int], list[m.Inline]]
# Inline tags written around Markdown text (<a href>…</a>, <b>…</b>): what each makes of it.
_MARKS: dict[str, Callable[[str], Wrap]] = {
    "b": lambda attrs: lambda inner, line: [m.Strong(inner, line)],
    "strong": lambda attrs: lambda inner, line: [m.Strong(inner, line)],
    "i": lambda attrs: lambda inner, line: [m.Emph(inner, line)],
    "em": lambda attrs: lambda inner, line: [m.Emph(inner, line)],
    "s": lambda attrs: lambda inner, line: [m.Strike(inner, line)],
    "del": lambda attrs: lambda inner, line: [m.Strike(inner, line)],
    "strike": lambda attrs: lambda inner, line: [m.Strike(inner, line)],
    "a": lambda attrs: _anchor(attrs),
}


class SourceHtml(Walker):
    """Reads one raw HTML block or inline tag of a Markdown source into model nodes.

    ``image(src, alt, title, line)`` turns an ``<img>``'s attributes (on the source's ``line``)
    into the reader's node for it (an :class:`~zhengji_publish.model.Image`, or the alt text of one
    not included); it raises the reader's located :class:`~zhengji_publish.diagnostics.UserError`
    for a local image it cannot use.
    """

    def __init__(self, image: Callable[[str, str, str, int], m.Inline]) -> None:
        super().__init__(Path("."), images_dir="")  # neither is used: images are the reader's
        self.read_image = image

    def read(self, html: str, line: int = 1) -> tuple[list[m.Block], list[str]]:
        """The blocks of an HTML fragment whose first line is the source's ``line``, each node with
        the line its element starts on, and the names of the elements left out (``<iframe>`` …), once
        each in the order met. Comments are no content."""
        self.first_line = line
        root = _fragment(html)
        if root is None:
            return [], []
        lost = list(
            dict.fromkeys(el.tag.lower() for el in root.iter() if isinstance(el.tag, str) and el.tag.lower() in UNSET)
        )
        return self.blocks(root), lost

    def read_inline(self, html: str, line: int = 1) -> list[m.Inline] | None:
        """The inlines of one inline tag that stands alone (``<br>``, ``<img …>``) on the source's
        ``line``, or None for any other tag (an opening ``<sup>`` whose text follows as Markdown):
        the reader keeps that text."""
        self.first_line = line
        root = _fragment(html)
        if root is None or len(root) != 1 or not isinstance(root[0].tag, str):
            return None
        tag = root[0].tag.lower()
        if tag not in ("br", "img"):
            return None
        return tidy(self.inline(root[0])) if tag == "img" else [m.LineBreak()]

    def block(self, el: Any) -> list[m.Block]:
        return self._placed(super().block(el), el)

    def inline(self, el: Any) -> list[m.Inline]:
        return self._placed(super().inline(el), el)

    def _line(self, el: Any) -> int:
        """The source's line ``el`` starts on."""
        return self.first_line + (el.sourceline or 1) - 1

    def _placed(self, nodes: list[N], el: Any) -> list[N]:
        """``nodes``, made of ``el``, each with a line: its own element's, else ``el``'s."""
        line = self._line(el)
        for node in m.nodes(nodes):
            if getattr(node, "line", None) == 0:
                node.line = line
        return nodes

    def link(self, href: str, inner: list[m.Inline]) -> list[m.Inline]:
        """Every link is kept, an in-page ``#`` one too (resolved to its heading by the reader)."""
        return [m.Link(href, inner)] if href and not href.startswith("javascript:") else inner

    def image(self, el: Any) -> m.Inline | None:
        src = (el.get("src") or el.get("data-src") or "").strip()
        if not src:
            return None
        return self.read_image(src, (el.get("alt") or "").strip(), (el.get("title") or "").strip(), self._line(el))


def paired(nodes: list[Any], at: int) -> tuple[int, Wrap] | None:
    """For an inline tag markdown-it gives alone (``nodes[at]``, an ``html_inline`` node) that opens
    ``<a href>``, ``<b>``, ``<strong>``, ``<i>``, ``<em>``, ``<s>``, ``<del>`` or ``<strike>`` and is
    closed among the nodes after it: the closing tag's index and what makes the nodes between
    into the link or mark. None for any other tag, or one never closed."""
    opening = _OPENING.match(nodes[at].content)
    if opening is None or opening.group(1).lower() not in _MARKS:
        return None
    tag = opening.group(1).lower()
    depth = 0
    for index in range(at + 1, len(nodes)):
        if nodes[index].type != "html_inline":
            continue
        other = _OPENING.match(nodes[index].content)
        if other is not None and other.group(1).lower() == tag:
            depth += 1
        elif re.fullmatch(rf"\s*</{tag}\s*>\s*", nodes[index].content, re.I):
            if depth == 0:
                return index, _MARKS[tag](opening.group(2))
            depth -= 1
    return None


def tag_name(html: str) -> str:
    """The name of the tag ``html`` opens, lower-cased (``<Sup class=x>`` → ``sup``), else ``""``."""
    opening = _OPENING.match(html)
    return opening.group(1).lower() if opening else ""


def _anchor(attrs: str) -> Wrap:
    """``<a href="…">``'s link; without an ``href`` (``<a name="x">``) its text alone."""
    found = _HREF.search(attrs)
    href = next((g for g in found.groups() if g is not None), "") if found else ""
    if not href or href.startswith("javascript:"):
        return lambda inner, line: inner
    return lambda inner, line: [m.Link(href.strip(), inner, "", line)]


def _fragment(html: str) -> Any:
    """The HTML's elements under one ``<div>``, or None when it holds nothing but comments and
    white space (or cannot be parsed)."""
    text = COMMENT.sub(lambda comment: "\n" * comment.group().count("\n"), html)  # lines stay where they are
    if not text.strip():
        return None
    try:
        return lxml_html.fragment_fromstring(text, create_parent="div")
    except (etree.ParserError, ValueError):
        return None
