"""A saved web page → the article on it, as a document tree.

The article body is found with readability-lxml (a port of Arc90's Readability, the algorithm
behind the browsers' reader views): navigation, advertisements, comments and footers are left
out. Its headings, paragraphs, lists, quotes, tables, images and links are then read into the
model. Images saved beside the page (the ``…_files`` folder a browser writes) are copied beside
the source; an image on the web stays a link to it, with a note. The page's ``<title>`` is the
headline when the article has none, and ``<meta name="author">`` and a publication date
(``article:published_time``, ``pubdate``, ``date``) fill the front matter.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

from lxml import html as lxml_html

from zhengji_publish import model as m
from zhengji_publish.diagnostics import UserError, error
from zhengji_publish.filekind import image_name
from zhengji_publish.importers.report import Note, TreeImport
from zhengji_publish.paths import confine
from zhengji_publish.text import is_cjk

BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "blockquote", "pre", "table", "figure", "hr", "dl", "dt", "dd", "center", "body", "html",
}  # fmt: skip
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif"}
# Elements with nothing the model can set: left out with what they hold.
UNSET = {
    "script", "style", "noscript", "template", "iframe", "button", "input", "form", "select", "textarea",
    "video", "audio", "object", "embed", "svg", "canvas",
}  # fmt: skip
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_SPACE = re.compile(r"[ \t\r\n\f\u00a0]+")
_BROKEN = re.compile(r"(\S)([ \t]*\r?\n[ \t\r\n]*)(\S)")


def decode_html(data: bytes, path: Path) -> tuple[str, list[Note]]:
    """The page's text: in the charset its ``<meta>`` names, else UTF-8, else as charset-normalizer
    detects it (GB 2312 and GBK read as GB 18030). Raises :class:`UserError` when none fits."""
    notes: list[Note] = []
    declared = _CHARSET.search(data[:4096])
    names = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}
    candidates = []
    if declared:
        name = declared.group(1).decode("ascii").lower()
        candidates.append(names.get(name, name))
    candidates.append("utf-8")
    for codec in candidates:
        try:
            return data.decode(codec).removeprefix("\ufeff"), notes
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    found = (best.encoding if best is not None else "").lower()
    if found:
        codec = names.get(found, found)
        notes.append(Note(f"the page's encoding {found}", "it declares none that fits; check the text"))
        return data.decode(codec, "replace"), notes
    raise error(
        "the web page is in no encoding that can be read; nothing was written",
        "save the page again as UTF-8 and import that",
        path,
        1,
        1,
    )


def _text(text: str) -> str:
    """HTML white space collapsed to single spaces."""
    return _SPACE.sub(" ", text)


class Walker:
    """HTML elements → model blocks and inlines: headings, paragraphs, lists, quotes, ``pre``,
    tables, figures, ``hr``; ``strong/b``, ``em/i``, ``s/del``, ``code``, ``a``, ``br`` and ``img``
    inline. White space is collapsed the HTML way, and a source line break between two CJK
    characters is no space (clreq 3.1.6). Scripts, forms and frames are left out (:data:`UNSET`).

    An imported page's images are copied beside the new source (:meth:`image`) and its in-page
    ``#`` links dropped (:meth:`link`); a subclass reading raw HTML inside a Markdown source
    (:mod:`zhengji_publish.rawhtml`) overrides both."""

    def __init__(self, path: Path, images_dir: str) -> None:
        self.path = path
        self.images_dir = images_dir
        self.images: dict[str, bytes] = {}
        self.notes: list[tuple[object, Note]] = []
        self.remote: list[str] = []

    # ------------------------------------------------------------ blocks

    def blocks(self, element: Any) -> list[m.Block]:
        out: list[m.Block] = []
        pending: list[m.Inline] = []

        def flush() -> None:
            inlines = tidy(pending)
            pending.clear()
            if m.plain_text(inlines).strip() or any(isinstance(i, m.Image) for i in inlines):
                out.append(paragraph_or_figure(inlines))

        if element.text:
            pending.append(m.Text(element.text))
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag.lower() in BLOCK_TAGS:
                flush()
                out += self.block(child)
            elif tag:
                pending += self.inline(child)
            if child.tail:
                pending.append(m.Text(child.tail))
        flush()
        return out

    def block(self, el: Any) -> list[m.Block]:
        tag = el.tag.lower()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            inlines = tidy(self.inlines(el))
            return [m.Heading(int(tag[1]), inlines)] if m.plain_text(inlines).strip() else []
        if tag in ("ul", "ol"):
            items = [m.ListItem(self.blocks(li) or [m.Paragraph([])]) for li in el if _tag(li) == "li"]
            start = int(el.get("start", "1")) if (el.get("start") or "").isdigit() else 1
            return [m.ListBlock(tag == "ol", items, start)] if items else []
        if tag == "blockquote":
            inner = self.blocks(el)
            return [m.BlockQuote(inner)] if inner else []
        if tag == "pre":
            return [m.CodeBlock(el.text_content().rstrip("\n"))]
        if tag == "table":
            return [self.table(el)]
        if tag == "hr":
            return [m.ThematicBreak()]
        if tag == "figure":
            images = [i for i in self.inlines(el) if isinstance(i, m.Image)]
            caption_el = next((c for c in el.iter("figcaption")), None)
            caption = tidy(self.inlines(caption_el)) if caption_el is not None else []
            if images:
                image = images[0]
                if caption:
                    image.title = m.plain_text(caption)
                return [m.Figure(image, caption or ([m.Text(image.alt)] if image.alt else []))]
            return self.blocks(el)
        return self.blocks(el)

    def table(self, el: Any) -> m.Table:
        rows: list[list[m.TableCell]] = []
        header: list[m.TableCell] = []
        for tr in el.iter("tr"):
            cells = [m.TableCell(tidy(self.inlines(td))) for td in tr if _tag(td) in ("td", "th")]
            if not header and all(_tag(td) == "th" for td in tr if _tag(td) in ("td", "th")) and not rows:
                header = cells
            else:
                rows.append(cells)
        if not header and rows:
            header, rows = rows[0], rows[1:]
        columns = max([len(header), *(len(r) for r in rows), 1])
        return m.Table(header, rows, [""] * columns)

    # ------------------------------------------------------------ inlines

    def inlines(self, el: Any) -> list[m.Inline]:
        out: list[m.Inline] = []
        if el.text:
            out.append(m.Text(el.text))
        for child in el:
            if isinstance(child.tag, str):
                if child.tag.lower() in BLOCK_TAGS:
                    out += [m.Text(" "), *self.inlines(child), m.Text(" ")]
                else:
                    out += self.inline(child)
            if child.tail:
                out.append(m.Text(child.tail))
        return out

    def inline(self, el: Any) -> list[m.Inline]:
        tag = el.tag.lower()
        if tag in UNSET:
            return []
        if tag == "br":
            return [m.LineBreak()]
        if tag == "img":
            image = self.image(el)
            return [image] if image is not None else []
        if tag == "a":
            return self.link((el.get("href") or "").strip(), self.inlines(el))
        inner = self.inlines(el)
        if tag in ("strong", "b"):
            return [m.Strong(inner)]
        if tag in ("em", "i"):
            return [m.Emph(inner)]
        if tag in ("s", "del", "strike"):
            return [m.Strike(inner)]
        if tag == "code":
            return [m.Code(el.text_content())]
        return inner

    def link(self, href: str, inner: list[m.Inline]) -> list[m.Inline]:
        """An ``<a href>``: a link, except in-page and script ones (their text alone)."""
        if href and not href.startswith(("javascript:", "#")):
            return [m.Link(href, inner)]
        return inner

    def image(self, el: Any) -> m.Inline | None:
        src = (el.get("src") or el.get("data-src") or el.get("data-original") or "").strip()
        alt = _text(el.get("alt") or el.get("title") or "").strip()
        if not src:
            return None
        parsed = urlparse(src)
        if parsed.scheme in ("http", "https", "data") or src.startswith("//"):
            self.remote.append(src[:80])
            return None if src.startswith("data:") else m.Image(src, alt)
        try:  # a saved page's images lie in its folder (page_files/…); nothing outside is read
            local = confine(unquote(parsed.path), self.path.parent, "image", self.path, None)
            data = local.read_bytes() if local.suffix.lower() in IMAGE_SUFFIXES else b""
        except (UserError, OSError):
            data = b""
        if not image_name(data):  # missing, unreadable, outside the page's folder, or not an image
            self.remote.append(src)
            return None
        stem, suffix = PurePosixPath(local.name).stem, PurePosixPath(local.name).suffix
        name = f"{self.images_dir}/{local.name}"
        copy = 1
        while name in self.images and self.images[name] != data:  # a/x.png and b/x.png: two files
            copy += 1
            name = f"{self.images_dir}/{stem}-{copy}{suffix}"
        self.images[name] = data
        return m.Image(name, alt)


def _tag(el: Any) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def tidy(nodes: list[m.Inline]) -> list[m.Inline]:
    """Collapse white space the HTML way; drop it between CJK characters and at the ends."""
    merged: list[m.Inline] = []
    for node in nodes:
        if isinstance(node, m.Text):
            text = _SPACE.sub(" ", _BROKEN.sub(_join_cjk, node.text))
            if merged and isinstance(merged[-1], m.Text):
                merged[-1] = m.Text(_SPACE.sub(" ", merged[-1].text + text), merged[-1].line or node.line)
            elif text:
                merged.append(m.Text(text, node.line))
        elif isinstance(node, (m.Strong, m.Emph, m.Strike, m.Link)):
            node.children = tidy(node.children)
            if node.children or isinstance(node, m.Link):
                merged.append(node)
        else:
            merged.append(node)
    for n, node in enumerate(merged):
        if isinstance(node, m.Text):
            if n == 0:  # and the full-width spaces typed to indent a paragraph
                node.text = node.text.lstrip(" \u3000")
            if n == len(merged) - 1:
                node.text = node.text.rstrip(" \u3000")
    return [n for n in merged if not (isinstance(n, m.Text) and not n.text)]


def _join_cjk(match: re.Match[str]) -> str:
    """A line break in the page's source between two CJK characters is no space (clreq 3.1.6)."""
    return match.group(1) + match.group(3) if is_cjk(match.group(1)) and is_cjk(match.group(3)) else match.group()


def paragraph_or_figure(inlines: list[m.Inline]) -> m.Block:
    images = [i for i in inlines if isinstance(i, m.Image)]
    if len(images) == 1 and len(inlines) == 1:
        return m.Figure(images[0], [m.Text(images[0].alt)] if images[0].alt else [])
    return m.Paragraph(inlines)


def _is_menu(block: m.Paragraph) -> bool:
    """Two or more links making up most of a short paragraph (a menu, a "related" row)."""
    links = [n for n in block.children if isinstance(n, m.Link)]
    text = m.plain_text(block.children).strip()
    linked = sum(len(m.plain_text(n.children).strip()) for n in links)
    return len(links) >= 2 and len(text) < 200 and linked * 2 > len(re.sub(r"[\s|｜/·•>»]", "", text))


def _bold_heading(block: m.Paragraph) -> bool:
    """Short, bold throughout, without end punctuation: how many sites mark a section heading."""
    from zhengji_publish.importers.text import reads_as_title

    if not reads_as_title(m.plain_text(block.children).strip()):
        return False
    return all(isinstance(c, m.Strong) for c in block.children if not (isinstance(c, m.Text) and not c.text.strip()))


def _is_byline(text: str) -> bool:
    from zhengji_publish.importers.text import BYLINES

    if not text or len(text) > 60:
        return False
    dated_source = re.match(r"^\d{4}\s*[年-]\s*\d{1,2}\s*[月-]\s*\d{1,2}.{0,30}(来源|作者|记者|编辑)[：:]", text)
    return bool(dated_source) or any(p.match(text) for p in BYLINES)


def _headline(page: Any, title: str) -> str:
    """The article's headline: the page's ``<h1>`` that the ``<title>`` contains, else the longest
    part of the ``<title>`` split at the separators sites add their name with (``_``, ``|``, `` - ``)."""
    for h1 in page.iter("h1"):
        text = _text(h1.text_content()).strip()
        if text and text in title:
            return text
    parts = [p.strip() for p in re.split(r"\s*[_|｜]\s*|\s+[-–—]\s+", title) if p.strip()]
    return max(parts, key=len) if parts else title


def _meta_content(tree: Any, *names: str) -> str:
    for name in names:
        for attr in ("name", "property", "itemprop"):
            found = tree.xpath(f"//meta[@{attr}=$n]/@content", n=name)
            if found and str(found[0]).strip():
                return str(found[0]).strip()
    return ""


# What readability-lxml calls a page without a title (its ``Document.title()``).
NO_TITLE = "[no-title]"
# A page's furniture (HTML Living Standard §4.3): navigation and asides anywhere, a footer outside
# an ``<article>``. Readability keeps them when the page has no article, and their text (a menu,
# "版权所有 © 2026 … 京ICP备…") was imported as the article.
FURNITURE = "//nav | //aside | //footer[not(ancestor::article)]"


def _drop_furniture(article: Any) -> Any:
    """``article`` (readability's summary) without the page furniture (:data:`FURNITURE`), the
    text after each element kept in its place; an empty ``<div>`` when it is furniture itself
    (lxml gives a fragment of one element as that element)."""
    for el in article.xpath(FURNITURE):
        if el is article:
            return lxml_html.fromstring("<div></div>")
        el.drop_tree()
    return article


def import_html(data: bytes, path: Path, images_dir: str) -> TreeImport:
    """A web page's bytes → the article's front matter, blocks and notes (see the module).

    Raises :class:`UserError` when the page cannot be decoded or holds no article text.
    """
    from readability import Document

    text, general = decode_html(data, path)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses a declared encoding in a decoded text
    try:
        page = lxml_html.fromstring(text)
        readable = Document(text)
        shown = _text(readable.title() or "").strip()
        title = _headline(page, "" if shown == NO_TITLE else shown)
        article = _drop_furniture(lxml_html.fromstring(readable.summary(html_partial=True)))
    except Exception as exc:  # lxml and readability raise their own kinds for pages they cannot parse
        raise error(
            f"the web page cannot be read ({type(exc).__name__}: {exc}); nothing was written",
            "save the page again from the browser (File → Save Page As… → Web Page, complete) and import that",
            path,
            1,
            1,
        ) from None
    walker = Walker(path, images_dir)
    blocks = walker.blocks(article)
    if not any(m.plain_text(b.children).strip() for b in blocks if isinstance(b, (m.Paragraph, m.Heading))):
        raise error(
            "no article text was found on the web page; nothing was written",
            "copy the article's text into a .txt file and import that",
            path,
            1,
            1,
        )
    meta: dict[str, Any] = {}
    notes = walker.notes
    headings = [b for b in blocks if isinstance(b, m.Heading)]
    top = min((h.level for h in headings), default=1)
    heading: m.Heading | None
    first_text = m.plain_text(headings[0].children).strip() if headings else ""
    if headings and headings[0].level == top and first_text and (first_text in title or title in first_text):
        heading = headings[0]
    else:
        heading = m.Heading(1, [m.Text(title)]) if title else None
        if heading is not None:
            blocks.insert(0, heading)
            notes.append((heading, Note("the headline", "the page's title, as the article has no heading of its own")))
        top = top - 1 if headings and top > 1 else top
    shift = top - 1 if heading is not None and heading.level == top else 0
    for block in m.iter_blocks(blocks):
        if isinstance(block, m.Heading) and block is not heading:
            block.level = max(2, min(6, block.level - shift))
    if heading is not None:
        heading.level = 1
    menus = [b for b in blocks if isinstance(b, m.Paragraph) and _is_menu(b)]
    if menus:  # a row of links the extraction kept: navigation, not text
        blocks = [b for b in blocks if not any(b is menu for menu in menus)]
        general.append(
            Note(
                f"{len(menus)} paragraph(s) of links were navigation",
                "left out: " + "; ".join(m.plain_text(b.children)[:40] for b in menus[:3]),
            )
        )
    for n, block in enumerate(blocks):  # a bold paragraph standing alone: a section heading made by hand
        if isinstance(block, m.Paragraph) and _bold_heading(block):
            section = m.Heading(2, [c for s_ in block.children if isinstance(s_, m.Strong) for c in s_.children])
            blocks[n] = section
            notes.append((section, Note("a section heading", "a short paragraph set in bold throughout")))
    for n, block in enumerate(blocks):  # a dateline or source line under the headline
        if isinstance(block, m.Paragraph) and _is_byline(m.plain_text(block.children).strip()):
            div = m.Div("byline", [block])
            blocks[n] = div
            notes.append((div, Note("a byline", "a short line with a date, a source or a reporter")))
    author = _meta_content(page, "author", "article:author", "dc.creator")
    if author and not author.startswith("http"):
        meta["author"] = author
    published = _meta_content(page, "article:published_time", "pubdate", "publishdate", "date", "datePublished")
    found = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", published)
    if found:
        try:
            meta["date"] = dt.date(*(int(g) for g in found.groups()))
        except ValueError:
            pass
    from zhengji_publish.importers.lang import guess_lang

    body = "".join(m.plain_text(b.children) for b in blocks if isinstance(b, m.Paragraph))
    meta["lang"], lang_note = guess_lang(body)
    if lang_note:
        general.append(lang_note)
    general.append(
        Note(
            "where the article is on the page",
            "its text was kept and the page's navigation, advertisements and footer left out; "
            "compare with the page and add anything missing",
        )
    )
    if walker.remote:
        general.append(
            Note(
                f"{len(walker.remote)} image(s) on the web, missing, or outside the page's folder were not copied",
                "download them next to the source and point the ![…](…) at the files: " + ", ".join(walker.remote[:3]),
            )
        )
    return TreeImport(meta, blocks, [], notes, general, walker.images)
