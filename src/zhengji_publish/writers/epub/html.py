"""XHTML content documents of the EPUB: the document tree as EPUB 3 markup.

The book is split into one document per article (at each top-level level-1 heading, or a
top-level div opening with one), so reading systems paginate and load one article at a time.
The renderer also records which characters are set in which font role, so that embedded fonts
can be subset to exactly the characters each face shows.
"""

from __future__ import annotations

import copy
import html
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from zhengji_publish import model as m
from zhengji_publish.anchors import SCHEME
from zhengji_publish.plan import Emphasis, Plan
from zhengji_publish.style import Style
from zhengji_publish.text import is_east_asian
from zhengji_publish.typeset import rules
from zhengji_publish.writers.epub.fonts import FontKey

_DASHES = re.compile("[—⸺]{2,}")  # a 破折号 (clreq UNBREAKABLE, as rules.tokens)

# Media types of the image formats EPUB 3 reading systems must support.
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}
CSS_HREF = "style.css"


@dataclass
class Chapter:
    """One content document: an article, or the matter before the first one."""

    href: str
    title: str
    blocks: list[m.Block]
    source: Path | None = None  # a book's chapter file, for messages (None: the source's)
    front: bool = False  # a book's page of front matter (preface, 编者按): not yet the body


@dataclass
class Targets:
    """Where every link target lives, so links across documents point at the right file."""

    files: dict[str, str] = field(default_factory=dict)  # element id → document href
    footnote_home: dict[int, str] = field(default_factory=dict)  # footnote number → document href


def page(lang: str, title: str, body: str, body_type: str = "") -> str:
    """A complete XHTML content document; ``lang`` goes on ``<html>`` as both lang and xml:lang."""
    body_attr = f' epub:type="{body_type}"' if body_type else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang="{lang}" xml:lang="{lang}">\n<head>\n<meta charset="UTF-8"/>\n'
        f"<title>{esc(title)}</title>\n"
        f'<link rel="stylesheet" type="text/css" href="{CSS_HREF}"/>\n</head>\n'
        f"<body{body_attr}>\n{body}</body>\n</html>\n"
    )


def esc(text: str) -> str:
    """Text escaped for XHTML content and attribute values."""
    return html.escape(text, quote=True)


def starts_chapter(block: m.Block) -> bool:
    """A top-level level-1 heading, or a div that opens with one (a notice with its own headline)."""
    if isinstance(block, m.Heading):
        return block.level == 1
    return isinstance(block, m.Div) and bool(block.children) and starts_chapter(block.children[0])


def split_chapters(doc: m.Document, untitled: str) -> list[Chapter]:
    """One chapter per article; content before the first headline joins the first chapter.

    A top-level page break ends its document too: what follows it (and what it holds) starts a new
    XHTML file, which every reading system starts on a new page. A break nested in a quote or a
    div is set as ``<div class="pagebreak">`` with CSS ``break-before: page`` (CSS Fragmentation 3).

    A chapter with no level-1 heading is titled by the document's title, else ``untitled``
    (the plan's :attr:`~zhengji_publish.plan.Wording.body`)."""
    groups: list[list[m.Block]] = []
    named: list[str] = []  # a book's opening names its document (m.opening_title)
    sources: list[Path | None] = []  # … and gives the file its lines are in
    fronts: list[bool] = []  # … and says whether it is front matter
    new_page = False  # a page break came last: the next block opens a new document
    for block in doc.blocks:
        if m.is_page_break(block):
            new_page = bool(groups and groups[-1])  # a break before any text opens nothing
        for b in block.children if m.is_page_break(block) else [block]:
            if not groups or new_page or (starts_chapter(b) and any(starts_chapter(x) for x in groups[-1])):
                groups.append([])
                named.append(m.opening_title(block) if m.is_opening(block) else "")
                sources.append(block.source if m.is_opening(block) else None)
                fronts.append(m.is_opening(block) and block.cls == "front")
            new_page = False
            groups[-1].append(b)
    chapters = []
    for n, blocks in enumerate(groups or [[]], start=1):
        heads = [b for b in m.iter_blocks(blocks) if isinstance(b, m.Heading) and b.level == 1]
        title = named[n - 1] if n <= len(named) and named[n - 1] else ""
        title = title or (m.plain_text(heads[0].children).strip() if heads else "")
        source = sources[n - 1] if n <= len(sources) else None
        front = fronts[n - 1] if n <= len(fronts) else False
        chapters.append(Chapter(f"chapter-{n:02d}.xhtml", title or doc.meta.title or untitled, blocks, source, front))
    return chapters


def link_targets(chapters: list[Chapter], footnotes: list[m.Footnote]) -> Targets:
    """Headings' ids by document; each footnote lives in the document of its first reference."""
    targets = Targets()
    for ch in chapters:
        for node in m.nodes(ch.blocks):
            if isinstance(node, m.Heading) and node.ident:
                targets.files[node.ident] = ch.href
            elif isinstance(node, m.FootnoteRef):
                targets.footnote_home.setdefault(node.number, ch.href)
    for fn in footnotes:  # an unreferenced footnote still appears, at the end of the book
        targets.footnote_home.setdefault(fn.number, chapters[-1].href)
        targets.files[f"fn-{fn.number}"] = targets.footnote_home[fn.number]
    return targets


class Renderer:
    """Renders blocks and inlines to XHTML, recording the characters set in each font."""

    def __init__(
        self,
        style: Style,
        plan: Plan,
        targets: Targets,
        footnotes: list[m.Footnote],
        warn: Callable[[str, str, int], None],
        dash_roles: frozenset[str] = frozenset(),
    ) -> None:
        self.style = style
        # font roles whose face does not join —— into one rule: their dashes go in <span class="dash">
        self.dash_roles = dash_roles
        self.emphasis = plan.emphasis
        self.vertical = plan.vertical
        self.upright = rules.upright_numbers(style.upright_digits)
        self.targets = targets
        self.footnotes = {fn.number: fn for fn in footnotes}
        self.warn = warn
        self.chars: dict[FontKey, set[str]] = defaultdict(set)
        self.images: dict[Path, str] = {}  # image file → href inside the book
        self.image_data: dict[str, bytes] = {}  # href → the bytes the reader prepared (zhengji_publish.images)
        self.href = ""
        self._fonts: list[FontKey] = [(style.block("body").font, style.block("body").bold)]
        # the role East Asian characters are set in when it is not the font's ("" when it is): 楷体 emphasis
        self._east_asian: list[str] = [""]
        self._refs_seen: set[int] = set()

    def again(self) -> Renderer:
        """A renderer that sets the chapters again as this one did (in the same order): the same
        pictures and characters, footnote backlinks from the first reference on, no warnings
        (this one gave them)."""
        twin = copy.copy(self)
        twin.warn = lambda _msg, _hint, _line: None
        twin.href = ""
        twin._fonts = self._fonts[:1]
        twin._east_asian = self._east_asian[:1]
        twin._refs_seen = set()
        return twin

    # ------------------------------------------------------------ fonts and text

    @contextmanager
    def font(self, role: str | None = None, bold: bool | None = None, east_asian: str | None = None) -> Iterator[None]:
        """Set text inside in ``role``/``bold`` (None keeps the surrounding value); with
        ``east_asian``, its East Asian characters only in that role (:meth:`text`). A new ``role``
        sets all its characters, as code does inside emphasis."""
        cur_role, cur_bold = self._fonts[-1]
        self._fonts.append((role or cur_role, cur_bold if bold is None else bold))
        self._east_asian.append(east_asian if east_asian is not None else "" if role else self._east_asian[-1])
        try:
            yield
        finally:
            self._fonts.pop()
            self._east_asian.pop()

    @contextmanager
    def block_font(self, role: str) -> Iterator[None]:
        """The font of a block role of the style (body, h2, byline…)."""
        bs = self.style.block(role)
        with self.font(bs.font, bs.bold):
            yield

    def text(self, text: str) -> str:
        """Running text: escaped, recorded, and in vertical books given upright digits.

        Quotation marks are the edition's already (paired per paragraph when it was made): a text
        node is only part of a paragraph, so no mark is changed here.

        Inside text whose East Asian characters have a role of their own (楷体 emphasis), each run
        of them (:func:`zhengji_publish.text.is_east_asian`) is a ``<span class="ea">`` set in that
        role; Latin letters and digits between them stay in the surrounding face. A 破折号 (``——``,
        ``⸺⸺``) set in a role of ``dash_roles`` is a ``<span class="dash">`` in the body text's
        face (:func:`~zhengji_publish.writers.epub.css.dash_rule`; GB/T 15834-2011 §4.9)."""
        east_asian, (role, bold) = self._east_asian[-1], self._fonts[-1]
        out = ""
        at = 0
        if self.dash_roles and (east_asian or role) in self.dash_roles:
            for found in _DASHES.finditer(text):
                out += self._plain(text[at : found.start()], east_asian, role, bold)
                self.chars[self.style.block("body").font, bold].update(found.group())
                out += f'<span class="dash">{esc(found.group())}</span>'
                at = found.end()
        out += self._plain(text[at:], east_asian, role, bold)
        if self.vertical and self.style.upright_digits:
            out = self.upright.sub(r'<span class="tcy">\1</span>', out)
        return out

    def _plain(self, text: str, east_asian: str, role: str, bold: bool) -> str:
        """``text`` escaped and recorded in its role, East Asian runs in ``<span class="ea">`` when
        they have a role of their own (``east_asian``, :meth:`text`)."""
        if not east_asian:
            self.chars[role, bold].update(text)
            return esc(text)
        out = ""
        for asian, run in itertools.groupby(text, is_east_asian):
            part = "".join(run)
            self.chars[(east_asian, bold) if asian else (role, bold)].update(part)
            out += f'<span class="ea">{esc(part)}</span>' if asian else esc(part)
        return out

    def literal(self, text: str) -> str:
        """Code: recorded in the mono font, never transformed."""
        with self.font("mono", False):
            self.chars[self._fonts[-1]].update(text)
        return esc(text)

    # ------------------------------------------------------------ inlines

    def inlines(self, nodes: list[m.Inline]) -> str:
        return "".join(self.inline(n) for n in nodes)

    def inline(self, node: m.Inline) -> str:
        """One inline node; emphasis follows the style (楷体, emphasis dots or bold; never italics)."""
        if isinstance(node, m.Text):
            return self.text(node.text)
        if isinstance(node, m.Code):
            return f"<code>{self.literal(node.text)}</code>"
        if isinstance(node, m.Strong):
            with self.font(bold=True):
                return f"<strong>{self.inlines(node.children)}</strong>"
        if isinstance(node, m.Emph):
            emphasis = self.emphasis
            kai = "kai" if emphasis is Emphasis.KAI else None  # East Asian characters only (plan.Emphasis)
            with self.font(None, True if emphasis is Emphasis.BOLD else None, kai):
                return f"<em>{self.inlines(node.children)}</em>"
        if isinstance(node, m.Strike):
            return f"<del>{self.inlines(node.children)}</del>"
        if isinstance(node, m.Link):
            return self.link(node)
        if isinstance(node, m.Image):
            return self.image(node, "inline")
        if isinstance(node, m.FootnoteRef):
            return self.noteref(node)
        return "<br/>"  # LineBreak

    def link(self, node: m.Link) -> str:
        """External links as they are; ``#id`` links to the document holding the id."""
        inner = self.inlines(node.children)
        href = node.href
        if href.startswith("#"):
            home = self.targets.files.get(href[1:])
            if home is None:  # the reader has warned (anchors.resolve_links)
                return f"<span>{inner}</span>"
            href = href if home == self.href else f"{home}{href}"
        elif not SCHEME.match(href):  # a local file: the reader has warned (anchors.resolve_links)
            return f"<span>{inner}</span>"
        title = f' title="{esc(node.title)}"' if node.title else ""
        return f'<a href="{esc(href)}"{title}>{inner}</a>'

    def image(self, node: m.Image, cls: str, fallback_alt: str = "") -> str:
        """An image copied into the book; a missing or unsupported file becomes its alt text."""
        path = node.path
        suffix = node.suffix or (path.suffix.lower() if path else "")
        if path is None or (node.data is None and not path.is_file()) or suffix not in IMAGE_TYPES:
            self.warn(
                f"image '{node.src}' is missing or not PNG/JPEG/GIF/SVG/WebP",
                "check the path and the file type",
                node.line,
            )
            return f"<span>{self.text(node.alt)}</span>"
        href = self.images.setdefault(path, f"images/img-{len(self.images) + 1}{suffix}")
        if node.data is not None:
            self.image_data[href] = node.data
        alt = node.alt or fallback_alt or node.title
        if not alt:
            self.warn(f"image '{node.src}' has no alternative text", "write ![description](file)", node.line)
        self.chars[self._fonts[-1]].update(alt)  # shown when the image cannot be
        return f'<img class="{cls}" src="{href}" alt="{esc(alt)}"/>'

    def noteref(self, node: m.FootnoteRef) -> str:
        """An EPUB 3 noteref pointing at the footnote's aside (in whichever document holds it)."""
        home = self.targets.footnote_home.get(node.number)
        if home is None:
            return ""
        href = f"#fn-{node.number}" if home == self.href else f"{home}#fn-{node.number}"
        ident = ""
        if node.number not in self._refs_seen:
            self._refs_seen.add(node.number)
            ident = f' id="fnref-{node.number}"'
        return (
            f'<a class="noteref" epub:type="noteref" role="doc-noteref" href="{href}"{ident}>'
            f"{self.text(str(node.shown or node.number))}</a>"
        )

    # ------------------------------------------------------------ blocks

    def blocks(self, blocks: list[m.Block]) -> str:
        return "".join(self.block(b) for b in blocks)

    def block(self, block: m.Block) -> str:
        """One block as XHTML; every block kind maps to its HTML counterpart."""
        if isinstance(block, m.Paragraph):
            return f"<p>{self.inlines(block.children)}</p>\n" if block.children else ""
        if isinstance(block, m.Heading):
            level = min(max(block.level, 1), 6)
            with self.block_font(f"h{level}"):
                ident = f' id="{esc(block.ident)}"' if block.ident else ""
                return f"<h{level}{ident}>{self.inlines(block.children)}</h{level}>\n"
        if isinstance(block, m.Div):
            return self.div(block)
        if isinstance(block, m.BlockQuote):
            with self.block_font("blockquote"):
                return f"<blockquote>\n{self.blocks(block.children)}</blockquote>\n"
        if isinstance(block, m.ListBlock):
            return self.list_block(block)
        if isinstance(block, m.CodeBlock):
            with self.block_font("code"):
                lang = f' class="language-{esc(block.lang)}"' if block.lang else ""
                return f"<pre><code{lang}>{self.literal(block.text)}</code></pre>\n"
        if isinstance(block, m.Figure):
            return self.figure(block)
        if isinstance(block, m.Table):
            return self.table(block)
        return "<hr/>\n"  # ThematicBreak

    def div(self, block: m.Div) -> str:
        """Styled divs (subtitle, byline, notice) take their block role; others keep their class."""
        styled = self.block_font(block.cls) if block.cls in self.style.blocks else nullcontext()
        with styled:
            return f'<div class="{esc(block.cls)}">\n{self.blocks(block.children)}</div>\n'

    def list_block(self, block: m.ListBlock) -> str:
        """Lists; a tight list's single-paragraph items are set without a paragraph."""
        tag = "ol" if block.ordered else "ul"
        start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
        items = []
        for item in block.items:
            kids = item.children
            if block.tight and kids and isinstance(kids[0], m.Paragraph):
                body = self.inlines(kids[0].children) + ("\n" + self.blocks(kids[1:]) if kids[1:] else "")
            else:
                body = self.blocks(kids)
            items.append(f"<li>{body}</li>\n")
        return f"<{tag}{start}>\n{''.join(items)}</{tag}>\n"

    def figure(self, block: m.Figure) -> str:
        """An image with its caption; the caption doubles as alt text when the image has none."""
        caption_text = m.plain_text(block.caption)
        img = self.image(block.image, "figure", caption_text)
        caption = ""
        if block.caption:
            with self.block_font("caption"):
                caption = f"<figcaption>{self.inlines(block.caption)}</figcaption>"
        return f"<figure>{img}{caption}</figure>\n"

    def table(self, block: m.Table) -> str:
        """A table with a header row of ``<th>`` and per-column alignment classes."""

        def cells(row: list[m.TableCell], tag: str) -> str:
            out = []
            for i, cell in enumerate(row):
                align = block.aligns[i] if i < len(block.aligns) else ""
                cls = f' class="al-{align}"' if align else ""
                scope = ' scope="col"' if tag == "th" else ""
                out.append(f"<{tag}{cls}{scope}>{self.inlines(cell.children)}</{tag}>")
            return "<tr>" + "".join(out) + "</tr>\n"

        with self.block_font("table"):
            with self.font(bold=True):
                head = f"<thead>\n{cells(block.header, 'th')}</thead>\n" if block.header else ""
            body = "".join(cells(row, "td") for row in block.rows)
        return f"<table>\n{head}<tbody>\n{body}</tbody>\n</table>\n"

    def footnote(self, fn: m.Footnote) -> str:
        """An EPUB 3 footnote aside, its number linking back to the first reference."""
        with self.block_font("footnote"):
            number = self.text(str(fn.shown or fn.number))
            back = (
                f'<a href="#fnref-{fn.number}" role="doc-backlink">{number}</a>'
                if fn.number in self._refs_seen
                else number
            )
            kids = fn.children
            if kids and isinstance(kids[0], m.Paragraph):
                body = f"<p>{back}　{self.inlines(kids[0].children)}</p>\n{self.blocks(kids[1:])}"
            else:
                body = f"<p>{back}</p>\n{self.blocks(kids)}"
        return (
            f'<aside class="footnote" epub:type="footnote" role="doc-footnote" id="fn-{fn.number}">\n{body}</aside>\n'
        )

    # ------------------------------------------------------------ documents

    def chapter(self, ch: Chapter, lang: str) -> str:
        """A chapter document with the footnotes that live in it at its end."""
        self.href = ch.href
        body = self.blocks(ch.blocks)
        notes = [fn for num, fn in sorted(self.footnotes.items()) if self.targets.footnote_home.get(num) == ch.href]
        if notes:
            body += '<section class="footnotes">\n' + "".join(self.footnote(fn) for fn in notes) + "</section>\n"
        body = f'<section epub:type="chapter" role="doc-chapter">\n{body}</section>\n'
        return page(lang, ch.title, body, "frontmatter" if ch.front else "bodymatter")

    def title_page(self, meta: m.Meta, lang: str, date_text: str) -> str:
        """The title page: title, subtitle, authors, publisher and date."""
        parts = []
        with self.block_font("title"):
            parts.append(f'<h1 class="title">{self.inlines(meta.title_inlines())}</h1>\n')
        if meta.subtitle:
            with self.block_font("subtitle"):
                parts.append(f'<p class="subtitle">{self.inlines(meta.subtitle_inlines())}</p>\n')
        lines = [
            ("byline", "、".join(meta.authors)),
            ("byline", "、".join(meta.editors)),
            ("byline", meta.publisher),
            ("byline", date_text),
        ]
        for role, value in lines:
            if value:
                with self.block_font(role):
                    text = self.text(value)
                    if self.vertical and value == date_text:  # the whole date upright, digits stacked
                        text = f'<span class="upright">{text}</span>'
                    parts.append(f'<p class="{role}">{text}</p>\n')
        body = '<section class="titlepage" epub:type="titlepage">\n' + "".join(parts) + "</section>\n"
        return page(lang, meta.title, body)
