"""Write a document tree as a source the reader reads back to the same tree.

The importers build :mod:`zhengji_publish.model` nodes and hand them here with their notes; this
module is the only one that writes Markdown. The source is the one README "The source" describes:
YAML front matter (written with ``yaml.safe_dump``), CommonMark blocks separated by one empty
line, Pandoc-style fenced divs (``::: subtitle`` … ``:::``) for the blocks Markdown has no word for,
pipe tables and ``[^n]`` footnotes. Text is escaped so that nothing in it is read as markup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from zhengji_publish import model as m
from zhengji_publish import yamlload
from zhengji_publish.importers.report import Note

# ASCII punctuation that may start or end markup anywhere in a line (CommonMark 2.4: any of these
# may be escaped with a backslash, and the escape reads as the character itself).
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>~|&!])")
# What makes a line a block of another kind when it starts it (CommonMark 4, 5; the div fence).
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d{1,9}[.)]|:::)")


@dataclass
class Emitted:
    """The written source and its notes, each placed on the line of the block it is about."""

    text: str
    notes: list[Note] = field(default_factory=list)


def escape(text: str) -> str:
    """``text`` as Markdown that reads back as exactly this text (no emphasis, link or HTML)."""
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def escape_line_start(text: str) -> str:
    """Escape what would make a line a heading, quote, list item, rule or div fence."""
    match = _LINE_START.match(text)
    if not match:
        return text
    lead, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        return lead + marker[:-1] + "\\" + marker[-1] + text[match.end() :]
    return lead + "\\" + text[len(lead) :]


def key_places(front_matter: str, offset: int) -> dict[tuple[str, ...], tuple[int, int]]:
    """The (line, column), 1-based, of each mapping key in the YAML ``front_matter``, by its path
    from the root (``("title",)``, ``("公文", "发文字号")``); ``offset`` is the file line before the
    YAML's first line (1 for the ``---`` that opens it)."""
    places: dict[tuple[str, ...], tuple[int, int]] = {}

    def walk(node: yaml.Node | None, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    at = path + (key.value,)
                    places[at] = (key.start_mark.line + 1 + offset, key.start_mark.column + 1)
                    walk(value, at)

    walk(yamlload.compose(front_matter), ())
    return places


class MarkdownEmitter:
    """Collects lines block by block; ``notes`` are keyed by the node (``id``) they are about."""

    def __init__(self, notes: list[tuple[object, Note]] | None = None) -> None:
        self.lines: list[str] = []
        self.pending = notes or []
        self.placed: list[Note] = []

    # -- the document

    def document(
        self, meta: Mapping[str, Any], blocks: list[m.Block], footnotes: list[m.Footnote], general: list[Note]
    ) -> Emitted:
        """Front matter, the blocks, then the footnotes; ``general`` notes go on their key's line
        (:func:`key_places`), or on line 1."""
        keys: dict[tuple[str, ...], tuple[int, int]] = {}
        if meta:
            dumped = yaml.safe_dump(dict(meta), allow_unicode=True, sort_keys=False, width=1000)
            self.lines += ["---", *dumped.rstrip("\n").split("\n"), "---"]
            keys = key_places(dumped, 1)
        for note in general:
            note.line, note.col = keys.get(note.key, (1, 1))
            self.placed.append(note)
        self.blocks(blocks)
        for footnote in footnotes:
            self.gap()
            first = len(self.lines) + 1
            body = self.render_blocks(footnote.children, "    ")
            body[0] = f"[^{footnote.label}]: " + body[0].lstrip()
            self.lines += body
            self.place(footnote, first)
        text = "\n".join(self.lines).rstrip("\n") + "\n"
        notes = sorted(self.placed, key=lambda n: n.line)
        return Emitted(text, notes)

    def place(self, node: object, line: int) -> None:
        for about, note in self.pending:
            if about is node:
                note.line = line
                self.placed.append(note)

    def gap(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    # -- blocks

    def blocks(self, blocks: list[m.Block]) -> None:
        for block in blocks:
            self.gap()
            first = len(self.lines) + 1
            self.lines += self.render(block)
            self.place(block, first)

    def render_blocks(self, blocks: list[m.Block], indent: str) -> list[str]:
        """Blocks nested in a list item or footnote: rendered apart, then indented by the caller."""
        sub = MarkdownEmitter(self.pending)
        sub.blocks(blocks)
        offset = len(self.lines) + 1  # lines of the sub-emitter land after ours (callers place them so)
        for note in sub.placed:
            note.line += offset - 1
            self.placed.append(note)
        out = [(indent + line) if line else "" for line in sub.lines] or [""]
        return out

    def render(self, block: m.Block) -> list[str]:
        if isinstance(block, m.Heading):
            return ["#" * min(max(block.level, 1), 6) + " " + self.inlines(block.children).strip()]
        if isinstance(block, m.Paragraph):
            return self.paragraph(block.children)
        if isinstance(block, m.Figure):
            caption = m.plain_text(block.caption)
            image = block.image
            if caption and caption != image.alt:  # the reader takes the title for the caption
                image = m.Image(image.src, image.alt, caption, image.path, image.line)
            return [self.image(image, image.alt or caption)]
        if isinstance(block, m.CodeBlock):
            fence = "```"
            while fence in block.text:
                fence += "`"
            return [fence + block.lang, *block.text.split("\n"), fence]
        if isinstance(block, m.BlockQuote):
            inner = self.nested(block.children, 0)
            return [("> " + line) if line else ">" for line in inner]
        if isinstance(block, m.ListBlock):
            return self.list_block(block)
        if isinstance(block, m.Table):
            return self.table(block)
        if isinstance(block, m.ThematicBreak):
            return ["---"]
        if isinstance(block, m.Div):
            fence = ":" * (3 + _div_depth(block.children))  # an outer div's fence is longer (as pandoc writes)
            return [f"{fence} {block.cls}", *self.nested(block.children), fence]
        raise TypeError(f"unknown block {type(block).__name__}")

    def nested(self, blocks: list[m.Block], opening: int = 1) -> list[str]:
        """Blocks inside a div (after its ``opening`` fence line) or a quote (``opening=0``): their
        notes are placed relative to the enclosing block's first line."""
        start = len(self.lines) + 1  # the enclosing block's first line
        sub = MarkdownEmitter(self.pending)
        sub.blocks(blocks)
        for note in sub.placed:
            note.line += start + opening - 1
            self.placed.append(note)
        return sub.lines

    def paragraph(self, inlines: list[m.Inline]) -> list[str]:
        text = self.inlines(inlines).strip("\n")
        lines = text.split("\n")
        # Markdown drops up to three leading spaces and reads four as code: none are written.
        return [escape_line_start(line.lstrip(" \t")) for line in lines]

    def list_block(self, block: m.ListBlock) -> list[str]:
        out: list[str] = []
        for n, item in enumerate(block.items):
            marker = f"{block.start + n}. " if block.ordered else "- "
            sub = MarkdownEmitter(self.pending)
            sub.blocks(item.children)
            lines = [line for line in sub.lines] or [""]
            if block.tight:
                lines = [line for line in lines if line != ""] or [""]
            pad = " " * len(marker)
            out.append(marker + lines[0])
            out += [(pad + line) if line else "" for line in lines[1:]]
            if not block.tight and n < len(block.items) - 1:
                out.append("")
            for note in sub.placed:
                note.line += len(self.lines) + len(out) - len(lines)
                self.placed.append(note)
        return out

    def table(self, block: m.Table) -> list[str]:
        columns = max([len(block.header), *(len(row) for row in block.rows), 1])

        def row(cells: list[m.TableCell]) -> str:
            texts = [self.inlines(c.children).replace("\n", " ").strip() for c in cells]
            texts += [""] * (columns - len(texts))
            return "| " + " | ".join(t or " " for t in texts) + " |"

        rule = {"left": ":---", "right": "---:", "center": ":---:"}
        aligns = [*block.aligns, *[""] * columns][:columns]
        return [row(block.header), "| " + " | ".join(rule.get(a, "---") for a in aligns) + " |"] + [
            row(r) for r in block.rows
        ]

    # -- inlines

    def inlines(self, nodes: list[m.Inline]) -> str:
        return "".join(self.inline(node) for node in nodes)

    def inline(self, node: m.Inline) -> str:
        if isinstance(node, m.Text):
            return escape(node.text.replace("\n", " "))
        if isinstance(node, m.Code):
            ticks = "`"
            while ticks in node.text:
                ticks += "`"
            pad = " " if node.text.startswith("`") or node.text.endswith("`") else ""
            return f"{ticks}{pad}{node.text}{pad}{ticks}"
        if isinstance(node, (m.Strong, m.Emph, m.Strike)):
            inner = self.inlines(node.children)
            if not inner.strip():
                return inner
            mark = {m.Strong: "**", m.Emph: "*", m.Strike: "~~"}[type(node)]
            # Spaces belong outside the marks, or the marks are not read as emphasis.
            stripped = inner.strip(" ")
            lead = inner[: len(inner) - len(inner.lstrip(" "))]
            trail = inner[len(inner.rstrip(" ")) :]
            return f"{lead}{mark}{stripped}{mark}{trail}"
        if isinstance(node, m.Link):
            title = f' "{node.title}"' if node.title else ""
            return f"[{self.inlines(node.children)}](<{node.href}>{title})"
        if isinstance(node, m.Image):
            return self.image(node, node.alt)
        if isinstance(node, m.FootnoteRef):
            return f"[^{node.label}]"
        if isinstance(node, m.LineBreak):
            return "\\\n"
        raise TypeError(f"unknown inline {type(node).__name__}")

    def image(self, image: m.Image, alt: str) -> str:
        title = f' "{image.title}"' if image.title and image.title != alt else ""
        return f"![{escape(alt)}](<{image.src}>{title})"


def _div_depth(blocks: list[m.Block]) -> int:
    """How deeply divs nest inside ``blocks`` (0: none)."""
    depth = 0
    for node in m.nodes(blocks, inlines=False):
        if isinstance(node, m.Div):
            depth = max(depth, 1 + _div_depth(node.children))
    return depth


def emit(
    meta: Mapping[str, Any],
    blocks: list[m.Block],
    footnotes: list[m.Footnote] | None = None,
    notes: list[tuple[object, Note]] | None = None,
    general: list[Note] | None = None,
) -> Emitted:
    """The source for ``meta`` (front-matter keys, in order), ``blocks`` and ``footnotes``.

    ``notes`` pair a node with a guess about it: each note gets the line where that node starts in
    the written source. ``general`` notes are put on the line of their front-matter ``key``, or on
    line 1 (the encoding, say). Raises :class:`TypeError` for a node the model does not know.
    """
    return MarkdownEmitter(notes).document(meta, blocks, footnotes or [], general or [])
