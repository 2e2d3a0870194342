"""The document tree: typed, independent of Markdown and of every output format.

The reader builds it once; an edition transforms a copy of it; the three writers only read it.
Every node remembers the source line it came from (1-based), so later stages can point the user
at the right place. Code that reads or rewrites the whole tree goes through :func:`visit`,
:func:`nodes`, :func:`query` and :func:`walk` (at the end of this module), which know every kind of
node and the order a reader meets them in.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeGuard, TypeVar, get_args

if TYPE_CHECKING:
    from zhengji_publish.gongwen import Gongwen

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
    shown: int = 0  # the number printed, when it is not ``number``: a book numbers its notes per chapter


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
    source: Path | None = None  # a book's opening: the chapter file its blocks' lines are in


Block = Heading | Paragraph | Figure | CodeBlock | BlockQuote | ListBlock | Table | ThematicBreak | Div

# ---------------------------------------------------------------- document


@dataclass
class Footnote:
    label: str
    number: int
    children: list[Block]
    line: int = 0
    shown: int = 0  # as FootnoteRef.shown


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
    style_at: tuple[int, int] = (0, 0)  # (line, column) of the ``style:`` value, for a message about the style
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
    gongwen: Gongwen | None = None  # the ``公文`` block: the elements of GB/T 9704-2012 (zhengji_publish.gongwen)
    editors: list[str] = field(default_factory=list)  # a book's editors (本书编写组), beside its authors
    cover: Image | None = None  # a cover picture (a book manifest's ``cover``), loaded by the reader
    # A book's heading levels above its chapters' own headings (1: chapters, 2: parts and chapters;
    # 0: not a book): the contents' depth counts from the chapter's own level-1 headings up.
    book_levels: int = 0
    # The title and subtitle as written, their inline Markdown (*强调*, **粗体**, `code`) parsed
    # (zhengji_publish.reader.title_inlines); ``title``/``subtitle`` are their plain text, without
    # the markers, for what shows no formatting: metadata, the EPUB's navigation, running heads.
    title_nodes: list[Inline] = field(default_factory=list)
    subtitle_nodes: list[Inline] = field(default_factory=list)

    def title_inlines(self) -> list[Inline]:
        """The title as set on a title page or as a chapter's heading: its parsed inline nodes,
        else its plain text."""
        return self.title_nodes or ([Text(self.title)] if self.title else [])

    def subtitle_inlines(self) -> list[Inline]:
        """The subtitle as set, as :meth:`title_inlines`."""
        return self.subtitle_nodes or ([Text(self.subtitle)] if self.subtitle else [])


@dataclass
class Document:
    meta: Meta
    blocks: list[Block]
    footnotes: list[Footnote] = field(default_factory=list)
    source: Path | None = None
    # Set by the edition transform: the BCP 47 tag of this edition (``zh-Hans``, ``zh-Hant-TW``...).
    edition: str = ""


# ---------------------------------------------------------------- walking the tree
#
# One traversal for every reader of the tree, in the manner of pandoc's ``Text.Pandoc.Walk``:
# :func:`visit` and :func:`nodes` list the nodes in document order, :func:`query` collects a value
# from every node of one type, :func:`walk` rewrites the nodes of one type bottom-up.

Node = Block | Inline | ListItem | TableCell | Footnote
"""Anything the walk reaches. The :class:`Document` and its :class:`Meta` are not nodes."""

TextBlock = Heading | Paragraph | Figure | TableCell
"""A node whose inlines read as one run of text (see :func:`inline_run`)."""

INLINE_CONTAINERS = (Strong, Emph, Strike, Link)
TEXT_BLOCKS = (Heading, Paragraph, Figure, TableCell)

_BLOCK_TYPES: tuple[type, ...] = get_args(Block)
_INLINE_TYPES: tuple[type, ...] = get_args(Inline)
# What is inside each kind of node (see child_nodes); the kinds missing here hold nothing.
_CHILDREN: dict[type, Callable[[Any], Sequence[Node]]] = {
    **dict.fromkeys(
        (Heading, Paragraph, BlockQuote, Div, ListItem, TableCell, Footnote, *INLINE_CONTAINERS), attrgetter("children")
    ),
    ListBlock: attrgetter("items"),
    Figure: lambda figure: [figure.image, *figure.caption],
    Table: lambda table: [*table.header, *(cell for row in table.rows for cell in row)],
}
_BLOCK_CHILDREN = {kind: get for kind, get in _CHILDREN.items() if kind not in (*TEXT_BLOCKS, *INLINE_CONTAINERS)}

N = TypeVar("N", bound=Node)
R = TypeVar("R")
NodeList = list[Block] | list[Inline] | list[ListItem] | list[TableCell] | list[Footnote]
W = TypeVar("W", bound=Document | Node | NodeList)


def child_nodes(node: Node) -> Sequence[Node]:
    """The nodes directly inside ``node``, in document order.

    Headings, paragraphs, inline containers (strong, emphasis, strikethrough, links), table cells:
    their inlines. Block quotes, divs, list items, footnotes: their blocks. A list: its items. A
    figure: its image, then its caption's inlines. A table: the header's cells, then each row's
    cells, row by row (the cell is the node; rows are not nodes). Every other node has none.
    Returns the node's own list where there is one, a new list for figures and tables.
    """
    get = _CHILDREN.get(type(node))
    return get(node) if get is not None else ()


def inline_run(node: TextBlock) -> list[Inline]:
    """The inlines of ``node`` that read as one run of text: a figure's caption, else its children.

    Quotation marks pair across such a run (see :mod:`quotes`); a figure's image stands apart.
    """
    return node.caption if isinstance(node, Figure) else node.children


class Visit(NamedTuple):
    """One node reached by :func:`visit`, with the nodes enclosing it.

    ``ancestors`` runs from the outermost node to the parent; it holds only nodes inside the
    root the walk started from (a footnote's body has its :class:`Footnote` first).
    """

    node: Node
    ancestors: tuple[Node, ...] = ()

    @property
    def parent(self) -> Node | None:
        """The node directly enclosing this one (None at the root's top level)."""
        return self.ancestors[-1] if self.ancestors else None

    def enclosing(self, kind: type[N]) -> N | None:
        """The innermost ancestor of type ``kind``, or None."""
        for node in reversed(self.ancestors):
            if isinstance(node, kind):
                return node
        return None

    @property
    def block(self) -> Block | None:
        """The innermost enclosing block: for an inline, its heading, paragraph, figure or table."""
        for node in reversed(self.ancestors):
            if isinstance(node, Block):
                return node
        return None

    @property
    def line(self) -> int:
        """The node's source line, else the nearest enclosing node's (0 when none has one)."""
        if self.node.line:
            return self.node.line
        return next((node.line for node in reversed(self.ancestors) if node.line), 0)


def _top(root: Document | Node | Sequence[Node], footnotes: bool) -> Sequence[Node]:
    if isinstance(root, Document):
        return [*root.blocks, *root.footnotes] if footnotes else root.blocks
    if isinstance(root, Sequence):
        return root
    return [root]


def visit(root: Document | Node | Sequence[Node], *, footnotes: bool = True, inlines: bool = True) -> Iterator[Visit]:
    """Every node of ``root``, depth first in document order (pre-order: a node before its contents).

    ``root`` is a document (its blocks, then, when ``footnotes`` is true, each footnote with its
    body, in the order of ``Document.footnotes``), a list of nodes, or one node (itself first).
    Footnote bodies hang off the document, not off their references: a list of blocks or a
    paragraph yields its :class:`FootnoteRef` nodes but not the notes' text. What is inside a
    node is given by :func:`child_nodes`: list items, table cells, figure images and captions,
    div and quote children, inline containers and their contents are all reached. With
    ``inlines=False`` nothing inline is entered: the inlines of headings, paragraphs, figures
    and table cells are skipped (the blocks, list items and cells are still visited). Metadata
    is never visited.

    Each node is reached once, in time proportional to the number of nodes (plus the depth of
    nesting for the ``ancestors`` tuples, built once per enclosing node); the walk uses its own
    stack, so nesting depth is bounded by memory, not by Python's recursion limit. Nodes may be
    changed in place while walking (their text, say); adding or removing nodes of a list the walk
    has not finished is not supported (use :func:`walk`).
    """
    children = _CHILDREN if inlines else _BLOCK_CHILDREN
    stack: list[tuple[Iterator[Node], tuple[Node, ...]]] = [(iter(_top(root, footnotes)), ())]
    while stack:
        siblings, path = stack[-1]
        for node in siblings:
            yield Visit(node, path)
            get = children.get(type(node))
            inside = get(node) if get is not None else ()
            if inside:
                stack.append((iter(inside), (*path, node)))
                break
        else:
            stack.pop()


def nodes(root: Document | Node | Sequence[Node], *, footnotes: bool = True, inlines: bool = True) -> Iterator[Node]:
    """The nodes of :func:`visit`, without their ancestors: same order, same options, a little faster."""
    children = _CHILDREN if inlines else _BLOCK_CHILDREN
    stack: list[Iterator[Node]] = [iter(_top(root, footnotes))]
    while stack:
        for node in stack[-1]:
            yield node
            get = children.get(type(node))
            inside = get(node) if get is not None else ()
            if inside:
                stack.append(iter(inside))
                break
        else:
            stack.pop()


def query(
    root: Document | Node | Sequence[Node], kind: type[N], fn: Callable[[N], R], *, footnotes: bool = True
) -> list[R]:
    """``fn`` of every node of type ``kind`` in ``root``, in document order (pandoc's ``query``).

    Reaches what :func:`visit` reaches (footnote bodies of a document included unless
    ``footnotes`` is false); the results are collected in a list rather than combined as a monoid.
    """
    return [fn(node) for node in nodes(root, footnotes=footnotes) if isinstance(node, kind)]


Replacement = Node | Sequence[Node] | None
"""What a :func:`walk` function returns: None keeps the node, a node replaces it, a list splices."""


def walk(root: W, kind: type[N], fn: Callable[[N], Replacement], *, footnotes: bool = True) -> W:
    """Rewrite every node of type ``kind`` in ``root`` with ``fn``, bottom-up (pandoc's ``walk``).

    ``fn`` sees a node after everything inside it has been walked, and sibling nodes in
    document order; what it returns is not walked again. It may change the node in place and
    return None, return a node to take its place, or return a list of nodes to splice in its
    place (an empty list deletes it). A replacement must fit where the node was: a block among
    blocks, an inline among inlines, a list item, a table cell, a footnote, or an image as a
    figure's image (which cannot be spliced); otherwise :class:`TypeError`.

    ``root`` is a document (its blocks, then its footnotes' bodies and the footnotes themselves
    unless ``footnotes`` is false; metadata is not touched), a list of nodes (changed in place)
    or one node (its contents are walked; the node itself is passed to ``fn`` too but cannot be
    replaced: :class:`ValueError` if ``fn`` returns anything but None or the node). The tree is
    changed in place and ``root`` returned. Time is proportional to the number of nodes; the
    walk recurses once per level of nesting, which the reader's limits (:mod:`limits`) keep far
    below Python's recursion limit.
    """
    if isinstance(root, Document):
        _walk_list(root.blocks, _BLOCK_TYPES, kind, fn)
        if footnotes:
            _walk_list(root.footnotes, (Footnote,), kind, fn)
    elif isinstance(root, list):
        _walk_list(root, _fits_of(root), kind, fn)
    else:
        _walk_inside(root, kind, fn)
        if isinstance(root, kind) and (result := fn(root)) is not None and result is not root:
            raise ValueError("walk cannot replace its root node; walk the list that holds it")
    return root


def _fits_of(items: list[Any]) -> tuple[type, ...]:
    """What may stand in a list given as the root of a walk, judged by its first node."""
    for types in (_BLOCK_TYPES, _INLINE_TYPES, (ListItem,), (TableCell,), (Footnote,)):
        if items and isinstance(items[0], types):
            return types
    return (*_BLOCK_TYPES, *_INLINE_TYPES, ListItem, TableCell, Footnote)


def _walk_inside(node: Node, kind: type[N], fn: Callable[[N], Replacement]) -> None:
    """Walk the lists inside ``node`` (the shape of :func:`child_nodes`, but the lists themselves)."""
    if isinstance(node, (Heading, Paragraph, TableCell, *INLINE_CONTAINERS)):
        _walk_list(node.children, _INLINE_TYPES, kind, fn)
    elif isinstance(node, (BlockQuote, Div, ListItem, Footnote)):
        _walk_list(node.children, _BLOCK_TYPES, kind, fn)
    elif isinstance(node, ListBlock):
        _walk_list(node.items, (ListItem,), kind, fn)
    elif isinstance(node, Figure):
        if isinstance(node.image, kind):
            result = fn(node.image)
            if result is not None:
                if not isinstance(result, Image):
                    raise TypeError(f"a figure's image can only be replaced by an image, not {result!r}")
                node.image = result
        _walk_list(node.caption, _INLINE_TYPES, kind, fn)
    elif isinstance(node, Table):
        _walk_list(node.header, (TableCell,), kind, fn)
        for row in node.rows:
            _walk_list(row, (TableCell,), kind, fn)


def _walk_list(items: list[Any], fits: tuple[type, ...], kind: type[N], fn: Callable[[N], Replacement]) -> None:
    out: list[Any] = []
    for node in items:
        _walk_inside(node, kind, fn)
        result = fn(node) if isinstance(node, kind) else None
        if result is None:
            out.append(node)
            continue
        new = list(result) if isinstance(result, (list, tuple)) else [result]
        for item in new:
            if not isinstance(item, fits):
                raise TypeError(f"{item!r} cannot stand where {type(node).__name__} was")
        out += new
    items[:] = out


# ---------------------------------------------------------------- helpers


def plain_text(nodes_: Sequence[Inline]) -> str:
    """The characters a reader sees, without markup (for titles, outlines, alt text)."""
    out: list[str] = []
    for node in nodes(nodes_):
        if isinstance(node, (Text, Code)):
            out.append(node.text)
        elif isinstance(node, Image):
            out.append(node.alt)
        elif isinstance(node, LineBreak):
            out.append("\n")
    return "".join(out)


def iter_blocks(blocks: Sequence[Block]) -> Iterator[Block]:
    """Every block, depth first, including those inside quotes, lists and divs."""
    for node in nodes(blocks, inlines=False):
        if isinstance(node, Block):
            yield node


OPENINGS = ("part", "chapter", "front")
"""Div classes of a book's openings (:mod:`zhengji_publish.book`): a part's title page, a chapter,
a page of front or back matter. Each is a page break whose blocks start a new page (a right-hand
page where the style sets ``book.recto``), its first heading naming it."""


def is_page_break(block: Block) -> TypeGuard[Div]:
    """A forced page break (``::: pagebreak`` or ``\\newpage``, see :data:`reader.DIV_CLASSES`), or
    a book's opening (:data:`OPENINGS`)."""
    return isinstance(block, Div) and (block.cls == "pagebreak" or block.cls in OPENINGS)


def closes(before: Block, block: Block) -> bool:
    """Whether ``block`` is a byline closing the paragraph ``before`` (an article's 记者 and 电头
    under its last paragraph), which must not stand on a page of its own: every format keeps the
    paragraph's last lines with it."""
    return isinstance(block, Div) and block.cls == "byline" and isinstance(before, Paragraph)


#: Divs that belong with the title above them (a subtitle, a byline) when they open the text.
TITLE_DIVS = ("subtitle", "byline")


def title_divs(blocks: list[Block]) -> int:
    """How many of ``blocks``, from the first, are a subtitle or a byline written as divs
    (:data:`TITLE_DIVS`): they stand with the title, before the contents, where the front
    matter's ``subtitle`` stands (a report's ``::: subtitle`` was set on the page after its title
    and contents)."""
    count = 0
    for block in blocks:
        if not (isinstance(block, Div) and block.cls in TITLE_DIVS):
            break
        count += 1
    return count


def is_opening(block: Block) -> TypeGuard[Div]:
    """A book's part, chapter or front-matter page (:data:`OPENINGS`)."""
    return isinstance(block, Div) and block.cls in OPENINGS


def opening_title(block: Div) -> str:
    """The text of an opening's first heading (its title in running heads and file titles)."""
    first = next((b for b in block.children if isinstance(b, Heading)), None)
    return plain_text(first.children).strip() if first else ""


def title_heading(blocks: list[Block]) -> Heading | None:
    """The top-level heading that names a document without a front-matter title: the first with
    visible text (a heading of markup alone, ``#****``, names nothing). None if there is none."""
    return next((b for b in blocks if isinstance(b, Heading) and plain_text(b.children).strip()), None)


def headings(doc: Document) -> list[Heading]:
    """The document's headings in order (not those of footnotes)."""
    return [b for b in iter_blocks(doc.blocks) if isinstance(b, Heading)]
