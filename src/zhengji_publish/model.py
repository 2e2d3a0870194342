"""The document tree: typed, independent of Markdown and of every output format.

The reader builds it once; an edition transforms a copy of it; the three writers only read it.
Every node remembers the source line it came from (1-based), so later stages can point the user
at the right place.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

# ---------------------------------------------------------------- inline nodes


@dataclass
class Text:
    text: str
    line: int = 0


@dataclass
class Code:
    """Inline code: never converted, never spaced."""

    text: str
    line: int = 0


@dataclass
class Strong:
    children: list[Inline]
    line: int = 0


@dataclass
class Emph:
    children: list[Inline]
    line: int = 0


@dataclass
class Strike:
    children: list[Inline]
    line: int = 0


@dataclass
class Link:
    href: str
    children: list[Inline]
    title: str = ""
    line: int = 0


@dataclass
class Image:
    """An image; ``path`` is resolved by the reader relative to the source file."""

    src: str
    alt: str = ""
    title: str = ""
    path: Path | None = None
    line: int = 0
    # What the writers embed, set by the reader (zhengji_publish.images): the file's bytes, or the
    # image re-encoded (rotated, in RGB, 8-bit); ``suffix`` names their format, ``size`` is in pixels.
    data: bytes | None = None
    suffix: str = ""
    size: tuple[int, int] = (0, 0)


@dataclass
class FootnoteRef:
    label: str
    number: int
    line: int = 0


@dataclass
class LineBreak:
    """A hard line break."""

    line: int = 0


Inline = Text | Code | Strong | Emph | Strike | Link | Image | FootnoteRef | LineBreak

# ---------------------------------------------------------------- block nodes


@dataclass
class Heading:
    level: int
    children: list[Inline]
    ident: str = ""
    line: int = 0


@dataclass
class Paragraph:
    children: list[Inline]
    line: int = 0


@dataclass
class Figure:
    """A paragraph holding a single image: set as a block with a caption (the alt or title)."""

    image: Image
    caption: list[Inline] = field(default_factory=list)
    line: int = 0


@dataclass
class CodeBlock:
    text: str
    lang: str = ""
    line: int = 0


@dataclass
class BlockQuote:
    children: list[Block]
    line: int = 0


@dataclass
class ListItem:
    children: list[Block]
    line: int = 0


@dataclass
class ListBlock:
    ordered: bool
    items: list[ListItem]
    start: int = 1
    tight: bool = True
    line: int = 0


@dataclass
class TableCell:
    children: list[Inline]
    line: int = 0


@dataclass
class Table:
    header: list[TableCell]
    rows: list[list[TableCell]]
    aligns: list[str]  # "left" | "center" | "right" | "" per column
    line: int = 0


@dataclass
class ThematicBreak:
    line: int = 0


@dataclass
class Div:
    """A Pandoc-style fenced div (``::: notice``): a block Markdown has no word for."""

    cls: str
    children: list[Block]
    line: int = 0


Block = Heading | Paragraph | Figure | CodeBlock | BlockQuote | ListBlock | Table | ThematicBreak | Div

# ---------------------------------------------------------------- document


@dataclass
class Footnote:
    label: str
    number: int
    children: list[Block]
    line: int = 0


@dataclass
class Meta:
    """Front matter, checked and typed. ``lang`` is the language the source is written in."""

    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    publisher: str = ""
    date: _dt.date | None = None
    lang: str = "zh-CN"
    editions: list[str] = field(default_factory=list)
    style: str = ""
    opencc: dict[str, str] = field(default_factory=dict)
    subject: str = ""
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    rights: str = ""
    identifier: str = ""
    toc: bool | None = None
    overrides: str = ""  # a phrase file beside the source: simplified<TAB>traditional per line
    # No title was given: ``title`` is the first heading's text (or the file name). It names the
    # publication in its metadata; the writers set no title block, as the heading is in the text.
    title_derived: bool = False


@dataclass
class Document:
    meta: Meta
    blocks: list[Block]
    footnotes: list[Footnote] = field(default_factory=list)
    source: Path | None = None
    # Set by the edition transform: the BCP 47 tag of this edition (``zh-Hans``, ``zh-Hant-TW``...).
    edition: str = ""


# ---------------------------------------------------------------- helpers

INLINE_CONTAINERS = (Strong, Emph, Strike, Link)


def plain_text(nodes: list[Inline]) -> str:
    """The characters a reader sees, without markup (for titles, outlines, alt text)."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, (Text, Code)):
            out.append(node.text)
        elif isinstance(node, INLINE_CONTAINERS):
            out.append(plain_text(node.children))
        elif isinstance(node, Image):
            out.append(node.alt)
        elif isinstance(node, LineBreak):
            out.append("\n")
    return "".join(out)


def iter_blocks(blocks: list[Block]):
    """Every block, depth first, including those inside quotes, lists and divs."""
    for block in blocks:
        yield block
        if isinstance(block, (BlockQuote, Div)):
            yield from iter_blocks(block.children)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from iter_blocks(item.children)


def headings(doc: Document) -> list[Heading]:
    return [b for b in iter_blocks(doc.blocks) if isinstance(b, Heading)]
