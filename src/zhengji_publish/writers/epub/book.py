"""EPUB 3 writer: one XHTML document per article, nav and NCX, generated CSS, subset fonts, a cover.

The content documents, style sheet, fonts and cover are made here and in the other modules of this package;
ebooklib assembles them into the package (``epub_package`` repairs what it writes). Every part is
made from the build context alone, so two builds of one source give byte-identical files.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ebooklib import epub

from zhengji_publish import model as m
from zhengji_publish.context import BuildContext
from zhengji_publish.typeset.boxes import dash_face
from zhengji_publish.writers.epub import css as epub_css
from zhengji_publish.writers.epub import fonts as epub_fonts
from zhengji_publish.writers.epub import package as epub_package
from zhengji_publish.writers.epub.cover import cover_png
from zhengji_publish.writers.epub.html import (
    CSS_HREF,
    IMAGE_TYPES,
    Chapter,
    Renderer,
    esc,
    link_targets,
    page,
    split_chapters,
)

XHTML = "application/xhtml+xml"
COVER_IMAGE = "images/cover.png"


@dataclass
class NavNode:
    """A heading in the table of contents with the headings under it."""

    label: str
    href: str
    level: int
    children: list[NavNode]


def write(ctx: BuildContext, dest: Path) -> None:
    """Write the edition in ``ctx`` as an EPUB 3 file at ``dest``.

    The plan says whether the book is set vertically (top to bottom, right to left), whether the
    contents are in the spine, and gives every fixed word and the language tag.
    """
    plan = ctx.plan
    vertical, words = plan.vertical, plan.wording
    doc, lang = ctx.doc, plan.languages.epub
    chapters = split_chapters(doc, words.body)
    targets = link_targets(chapters, doc.footnotes)
    current: list[Path | None] = [None]  # the chapter being rendered: a book's names the file of its lines
    renderer = Renderer(
        ctx.style,
        plan,
        targets,
        doc.footnotes,
        lambda msg, hint, line: ctx.reporter.warn(msg, hint, current[0] or doc.source, line),
        frozenset(role for role in ctx.style.roles_used() if dash_face(ctx.fonts, role) is not None),
    )
    date_text = words.date_text(doc.meta.date)

    book = epub_package.new_book(ctx.identifier, lang, vertical)
    picture = doc.meta.cover  # a book's own cover picture, else one drawn from the metadata
    if picture is not None and picture.data is not None:
        cover_href, cover_data = f"images/cover{picture.suffix}", picture.data
    else:
        cover_href = COVER_IMAGE
        cover_data = cover_png(doc.meta, ctx.style, ctx.fonts, date_text, ctx.plan.line_break.value, vertical)
    cover = _document("cover", "cover.xhtml", _cover_page(ctx, cover_href))
    title_page = _document("titlepage", "title.xhtml", renderer.title_page(doc.meta, lang, date_text))
    nav, nav_labels = _nav(ctx, renderer, nav_tree(chapters, plan.contents.depth), book)
    for ch in chapters:  # for the characters, pictures and warnings: the text is set again as it is written
        current[0] = ch.source
        renderer.chapter(ch, lang)
    current[0] = None
    rendering = _Rendering(renderer.again(), chapters, lang)
    docs = [_LaterDocument(f"chapter-{n:02d}", ch.href, rendering, n - 1) for n, ch in enumerate(chapters, 1)]
    for item in (cover, title_page, nav, *docs, epub.EpubNcx()):
        book.add_item(item)
    # The cover page is an ordinary document: ebooklib's own cover page is non-linear (OPF-096).
    book.spine = [cover, title_page, *([nav] if plan.contents.enabled else []), *docs]
    book.guide = _landmarks(ctx, chapters)

    for n, (path, href) in enumerate(renderer.images.items(), start=1):
        content = renderer.image_data.get(href)
        media_type = IMAGE_TYPES[Path(href).suffix]
        book.add_item(
            epub.EpubImage(
                uid=f"img-{n}",
                file_name=href,
                media_type=media_type,
                content=path.read_bytes() if content is None else content,
            )
        )
    book.set_cover(cover_href, cover_data, create_page=False)  # the manifest item with properties="cover-image"
    fonts = epub_fonts.embed(ctx.fonts, renderer.chars) if ctx.style.embed_fonts else []
    for n, f in enumerate(fonts, start=1):  # font/woff2 given, not guessed by ebooklib from the file name
        book.add_item(epub.EpubItem(uid=f"font-{n}", file_name=f.href, media_type="font/woff2", content=f.data))
    stacks = {role: epub_fonts.family_stack(ctx.fonts, role) for role in epub_css.used_roles(ctx.style, plan)}
    css = epub_css.stylesheet(ctx.style, plan, stacks, epub_fonts.font_face_rules(fonts), bool(renderer.dash_roles))
    book.add_item(epub.EpubItem(uid="css", file_name=CSS_HREF, media_type="text/css", content=css.encode()))

    _metadata(book, ctx, has_images=bool(renderer.images))
    # Apple Books shows a book in its own fonts unless told the book's embedded faces are meant
    extra = {epub_package.APPLE_DISPLAY_OPTIONS: epub_package.apple_display_options()} if fonts else {}
    epub_package.write(book, dest, ctx.timestamp, words.landmarks, nav_labels, extra)


def _document(ident: str, href: str, xhtml: str) -> epub.EpubItem:
    """A content document written as made: ``EpubHtml`` would re-render it through ebooklib's template,
    losing the style sheet link, the charset and the body's ``epub:type``."""
    return epub.EpubItem(uid=ident, file_name=href, media_type=XHTML, content=xhtml.encode())


class _Rendering:
    """The chapters' documents, each set when ebooklib writes it, in reading order: only the one
    being written is held, not the whole book's XHTML."""

    def __init__(self, renderer: Renderer, chapters: list[Chapter], lang: str) -> None:
        self.renderer, self.chapters, self.lang = renderer, chapters, lang
        self.next = 0

    def document(self, index: int) -> bytes:
        """Chapter ``index``'s XHTML; raises RuntimeError out of reading order (a footnote's
        backlink goes to its first reference, which the renderer finds by setting them in order)."""
        if index != self.next:
            raise RuntimeError(f"chapter {index + 1} asked for before chapter {self.next + 1}")
        self.next += 1
        return self.renderer.chapter(self.chapters[index], self.lang).encode()


class _LaterDocument(epub.EpubItem):
    """A chapter's content document, set when ebooklib asks for its content (:class:`_Rendering`)."""

    def __init__(self, ident: str, href: str, rendering: _Rendering, index: int) -> None:
        super().__init__(uid=ident, file_name=href, media_type=XHTML)
        self.rendering, self.index = rendering, index

    def get_content(self, default: bytes | None = None) -> bytes:
        return self.rendering.document(self.index)


# ---------------------------------------------------------------- navigation


def nav_tree(chapters: list[Chapter], depth: int) -> list[NavNode]:
    """Headings down to ``depth``, nested by level, in spine order; never empty."""
    root = NavNode("", "", 0, [])
    stack = [root]
    for ch in chapters:
        for block in m.iter_blocks(ch.blocks):
            if not isinstance(block, m.Heading) or block.level > depth or not block.ident:
                continue
            label = m.plain_text(block.children).strip() or ch.title
            node = NavNode(label, f"{ch.href}#{block.ident}", block.level, [])
            while stack[-1].level >= block.level:
                stack.pop()
            stack[-1].children.append(node)
            stack.append(node)
    return root.children or [NavNode(ch.title, ch.href, 1, []) for ch in chapters]


def _nav_labels(nodes: list[NavNode], renderer: Renderer, numbers: Iterator[int]) -> tuple[list, list[str]]:
    """ebooklib's toc (``Link``, or ``(Link, children)``) and the markup of each label in order.

    Labels go through the renderer so their characters are embedded and they read as the headings
    do; ``numbers`` gives each entry its NCX navPoint id.
    """
    toc, markup = [], []
    for node in nodes:
        link = epub.Link(node.href, node.label, f"navpoint-{next(numbers)}")
        markup.append(renderer.text(node.label))
        if node.children:
            sub, sub_markup = _nav_labels(node.children, renderer, numbers)
            toc.append((link, sub))
            markup += sub_markup
        else:
            toc.append(link)
    return toc, markup


def _nav(
    ctx: BuildContext, renderer: Renderer, nodes: list[NavNode], book: epub.EpubBook
) -> tuple[epub.EpubNav, list[str]]:
    """The navigation document ebooklib generates from ``book.toc``, linked to the style sheet."""
    if not nodes:  # ebooklib would write an empty <ol>, which EPUBCheck rejects
        raise ValueError("the table of contents has no entries")
    title = ctx.plan.contents.title
    with renderer.block_font("h2"):  # ebooklib sets the toc's heading as <h2>
        renderer.text(title)
    with renderer.block_font("body"):
        book.toc, labels = _nav_labels(nodes, renderer, itertools.count(1))
    nav = epub.EpubNav(uid="nav", file_name=epub_package.NAV_HREF, title=title)
    nav.add_link(href=CSS_HREF, rel="stylesheet", type="text/css")  # vertical books need it on the nav too
    return nav, labels


def _landmarks(ctx: BuildContext, chapters: list[Chapter]) -> list[dict[str, str]]:
    """The guide, which ebooklib writes as the nav's landmarks (EPUB 3.3, "The landmarks nav
    element") and the EPUB 2 guide (``text`` → ``bodymatter``, EPUB 3 Structural Semantics
    Vocabulary): the cover, the
    contents when they are in the spine, and the first document of the body, an article's first
    chapter or a book's first part or chapter (after the title page and any front matter)."""
    plan = ctx.plan
    marks = [{"type": "cover", "href": "cover.xhtml", "title": plan.wording.cover}]
    if plan.contents.enabled:  # a landmark may point only at a document in the spine
        marks.append({"type": "toc", "href": f"{epub_package.NAV_HREF}#toc", "title": plan.contents.title})
    body = next((ch for ch in chapters if not ch.front), chapters[0])
    marks.append({"type": "text", "href": body.href, "title": plan.wording.body})
    return marks


# ---------------------------------------------------------------- cover and package


def _cover_page(ctx: BuildContext, href: str = COVER_IMAGE) -> str:
    """The cover document showing the picture at ``href``: a linear spine item (``linear="no"`` is
    rejected for the first page)."""
    words = ctx.plan.wording
    alt = words.cover_alt.format(title=ctx.meta.title)
    body = f'<section class="cover" epub:type="cover">\n<img src="{href}" alt="{esc(alt)}"/>\n</section>\n'
    return page(ctx.plan.languages.epub, words.cover, body)


def _metadata(book: epub.EpubBook, ctx: BuildContext, has_images: bool) -> None:
    """Dublin Core, creators with their roles, and schema.org accessibility metadata.

    dcterms:modified is written by ebooklib from the build time; dc:identifier and dc:language
    were set with the book.
    """
    meta = ctx.meta
    book.title = meta.title  # the NCX's docTitle; the dc:title needs an id to be refined, which set_title omits
    book.add_metadata("DC", "title", meta.title, {"id": "title"})
    book.add_metadata(None, "meta", "main", {"refines": "#title", "property": "title-type"})
    if meta.subtitle:
        book.add_metadata("DC", "title", meta.subtitle, {"id": "subtitle"})
        book.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
    for n, author in enumerate(meta.authors, start=1):  # one uid each: ebooklib's default repeats id="creator"
        book.add_author(author, role="aut", uid=f"creator-{n}")
    for n, editor in enumerate(meta.editors, start=len(meta.authors) + 1):  # a book's editors (MARC role edt)
        book.add_author(editor, role="edt", uid=f"creator-{n}")
    for name, value in (("publisher", meta.publisher), ("description", meta.description), ("rights", meta.rights)):
        if value:
            book.add_metadata("DC", name, value)
    for subject in dict.fromkeys([meta.subject, *meta.keywords]):
        if subject:
            book.add_metadata("DC", "subject", subject)
    if meta.date:
        book.add_metadata("DC", "date", meta.date.isoformat())
    modes = ["textual", "visual"] if has_images else ["textual"]
    features = ["structuralNavigation", "tableOfContents", "readingOrder"] + (["alternativeText"] if has_images else [])
    words = ctx.plan.wording
    summary = words.summary.format(images=words.summary_images if has_images else "")
    for prop, values in (
        ("schema:accessMode", modes),
        ("schema:accessModeSufficient", ["textual"]),
        ("schema:accessibilityFeature", features),
        ("schema:accessibilityHazard", ["none"]),
        ("schema:accessibilitySummary", [summary]),
    ):
        for value in values:
            book.add_metadata(None, "meta", value, {"property": prop})
