"""EPUB 3 writer: one XHTML document per article, nav and NCX, generated CSS, subset fonts, a cover.

The package is assembled here rather than with ebooklib, whose output needs repairing on nearly
every point that matters for a Chinese book (no ``xml:lang`` on the package, duplicate creator
ids, a local-time ``dcterms:modified``, zip entries stamped with the clock). Every part is written
from the build context alone, so two builds of one source give byte-identical files.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from zhengji_publish import model as m
from zhengji_publish.build import BuildContext
from zhengji_publish.editions import convert_text
from zhengji_publish.writers import epub_css, epub_fonts
from zhengji_publish.writers.epub_cover import cover_png
from zhengji_publish.writers.epub_html import (
    CSS_HREF,
    IMAGE_TYPES,
    Chapter,
    Renderer,
    esc,
    link_targets,
    page,
    split_chapters,
)

OPF_PATH = "OEBPS/content.opf"
XHTML = "application/xhtml+xml"
COVER_IMAGE = "images/cover.png"
ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # every entry carries the same time: zip stamps must not vary
CONTAINER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
             f'<rootfiles><rootfile full-path="{OPF_PATH}" media-type="application/oebps-package+xml"/>'
             "</rootfiles>\n</container>\n")
# Fixed wording, written in simplified Chinese and converted for traditional editions.
SUMMARY = "本书以文字为主，提供结构化导航、目录和符合逻辑的阅读顺序{images}。"
SUMMARY_IMAGES = "，图片均附有替代文字"
COVER_ALT = "封面：{title}"
COVER_TITLE = "封面"
LANDMARK_BODY = "正文"
REGION_CONFIG = {"TC": ("s2tw",), "HK": ("s2hk",)}


@dataclass
class Item:
    """A file of the package, with its manifest entry."""

    ident: str
    href: str  # relative to the OPF
    media_type: str
    data: bytes
    properties: str = ""
    in_spine: bool = False


@dataclass
class NavNode:
    """A heading in the table of contents with the headings under it."""

    label: str
    href: str
    level: int
    children: list[NavNode]


def write(ctx: BuildContext, dest: Path, vertical: bool | None = None) -> None:
    """Write the edition in ``ctx`` as an EPUB 3 file at ``dest``.

    ``vertical`` sets the book top to bottom, right to left; None reads the style's
    ``epub.vertical``. Only traditional editions are set vertically.
    """
    vertical = _wants_vertical(ctx, vertical)
    doc, lang = ctx.doc, ctx.edition.lang
    chapters = split_chapters(doc)
    targets = link_targets(chapters, doc.footnotes)
    renderer = Renderer(ctx.style, vertical, targets, doc.footnotes,
                        lambda msg, hint, line: ctx.reporter.warn(msg, hint, doc.source, line))
    date_text = _date_text(doc.meta)

    toc = nav_tree(chapters, ctx.style.toc_depth)
    items = [Item("cover", "cover.xhtml", XHTML, _cover_page(ctx).encode(), in_spine=True),
             Item("titlepage", "title.xhtml", XHTML, renderer.title_page(doc.meta, lang, date_text).encode(),
                  in_spine=True),
             Item("nav", "nav.xhtml", XHTML, _nav_page(ctx, renderer, toc).encode(), "nav", in_spine=ctx.style.toc)]
    items += [Item(f"chapter-{n:02d}", ch.href, XHTML, renderer.chapter(ch, lang).encode(), in_spine=True)
              for n, ch in enumerate(chapters, start=1)]
    items.append(Item("ncx", "toc.ncx", "application/x-dtbncx+xml", _ncx(ctx, toc).encode()))

    for n, (path, href) in enumerate(renderer.images.items(), start=1):
        items.append(Item(f"img-{n}", href, IMAGE_TYPES[path.suffix.lower()], path.read_bytes()))
    items.append(Item("cover-image", COVER_IMAGE, "image/png",
                      cover_png(doc.meta, ctx.style, ctx.fonts, date_text), "cover-image"))
    fonts = epub_fonts.embed(ctx.fonts, renderer.chars) if ctx.style.embed_fonts else []
    items += [Item(f"font-{n}", f.href, "font/woff2", f.data) for n, f in enumerate(fonts, start=1)]
    stacks = {role: epub_fonts.family_stack(ctx.fonts, role) for role in epub_css.used_roles(ctx.style)}
    css = epub_css.stylesheet(ctx.style, stacks, epub_fonts.font_face_rules(fonts), ctx.edition.punctuation,
                              vertical)
    items.append(Item("css", CSS_HREF, "text/css", css.encode()))

    opf = _opf(ctx, items, has_images=bool(renderer.images), vertical=vertical)
    _write_zip(dest, [("META-INF/container.xml", CONTAINER.encode()), (OPF_PATH, opf.encode())]
               + [(f"OEBPS/{it.href}", it.data) for it in items])


def _wants_vertical(ctx: BuildContext, asked: bool | None) -> bool:
    """Vertical setting is asked for by the caller or the style, and honoured for traditional editions."""
    if asked is None:
        asked = bool(ctx.style.data.get("epub", {}).get("vertical", False))
    if asked and not ctx.edition.traditional:
        ctx.reporter.warn(f"vertical writing is set only for traditional editions; {ctx.edition.tag} stays horizontal",
                          "build zh-Hant-TW or zh-Hant-HK for a vertical book", ctx.style.path)
        return False
    return asked


def localize(text: str, ctx: BuildContext) -> str:
    """The writer's own wording (written in simplified Chinese) in the edition's script."""
    return convert_text(text, REGION_CONFIG.get(ctx.edition.region, ())) if ctx.edition.traditional else text


def _date_text(meta: m.Meta) -> str:
    """The date as printed on the title page: 2026年3月16日."""
    return f"{meta.date.year}年{meta.date.month}月{meta.date.day}日" if meta.date else ""


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


def _nav_list(nodes: list[NavNode], renderer: Renderer) -> str:
    """Nested ``<ol>`` of the toc; labels go through the renderer so their characters are embedded."""
    items = []
    for node in nodes:
        sub = _nav_list(node.children, renderer) if node.children else ""
        items.append(f'<li><a href="{esc(node.href)}">{renderer.text(node.label)}</a>{sub}</li>\n')
    return "<ol>\n" + "".join(items) + "</ol>\n"


def _nav_page(ctx: BuildContext, renderer: Renderer, toc: list[NavNode]) -> str:
    """The EPUB 3 navigation document: the table of contents and the landmarks."""
    title = localize(ctx.style.toc_title, ctx)
    with renderer.block_font("h1"):
        heading = f"<h1>{renderer.text(title)}</h1>\n"
    with renderer.block_font("body"):
        entries = _nav_list(toc, renderer)
    marks = [("cover", "cover.xhtml", localize(COVER_TITLE, ctx))]
    if ctx.style.toc:  # a landmark may point only at a document in the spine
        marks.append(("toc", "nav.xhtml#toc", title))
    marks.append(("bodymatter", "title.xhtml", localize(LANDMARK_BODY, ctx)))
    landmarks = ('<nav epub:type="landmarks" id="landmarks" hidden="hidden">\n<ol>\n'
                 + "".join(f'<li><a epub:type="{kind}" href="{href}">{esc(label)}</a></li>\n'
                           for kind, href, label in marks)
                 + "</ol>\n</nav>\n")
    body = f'<nav epub:type="toc" id="toc" role="doc-toc">\n{heading}{entries}</nav>\n{landmarks}'
    return page(ctx.edition.lang, title, body)


def _ncx_points(nodes: list[NavNode], counter: list[int]) -> str:
    """Nested navPoints numbered in reading order (``counter`` carries the play order)."""
    out = []
    for node in nodes:
        counter[0] += 1
        n = counter[0]
        out.append(f'<navPoint id="navpoint-{n}" playOrder="{n}"><navLabel><text>{esc(node.label)}</text>'
                   f'</navLabel><content src="{esc(node.href)}"/>\n{_ncx_points(node.children, counter)}'
                   "</navPoint>\n")
    return "".join(out)


def _ncx(ctx: BuildContext, toc: list[NavNode]) -> str:
    """The EPUB 2 table of contents, for older reading systems; the same tree as the nav."""
    lang = ctx.edition.lang

    def depth(nodes: list[NavNode]) -> int:
        return 1 + max((depth(n.children) for n in nodes), default=0) if nodes else 0

    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="{lang}">\n'
            f'<head>\n<meta name="dtb:uid" content="{esc(ctx.identifier)}"/>\n'
            f'<meta name="dtb:depth" content="{depth(toc)}"/>\n'
            '<meta name="dtb:totalPageCount" content="0"/>\n<meta name="dtb:maxPageNumber" content="0"/>\n'
            f"</head>\n<docTitle><text>{esc(ctx.meta.title)}</text></docTitle>\n"
            f"<navMap>\n{_ncx_points(toc, [0])}</navMap>\n</ncx>\n")


# ---------------------------------------------------------------- cover and package

def _cover_page(ctx: BuildContext) -> str:
    """The cover document: a linear spine item (``linear="no"`` is rejected for the first page)."""
    alt = localize(COVER_ALT, ctx).format(title=ctx.meta.title)
    body = (f'<section class="cover" epub:type="cover">\n<img src="{COVER_IMAGE}" alt="{esc(alt)}"/>\n'
            "</section>\n")
    return page(ctx.edition.lang, localize(COVER_TITLE, ctx), body)


def _metadata(ctx: BuildContext, has_images: bool) -> list[str]:
    """Dublin Core, dcterms:modified and schema.org accessibility metadata."""
    meta, lang = ctx.meta, ctx.edition.lang
    out = [f'<dc:identifier id="bookid">{esc(ctx.identifier)}</dc:identifier>',
           f'<dc:title id="title">{esc(meta.title)}</dc:title>',
           '<meta refines="#title" property="title-type">main</meta>']
    if meta.subtitle:
        out += [f'<dc:title id="subtitle">{esc(meta.subtitle)}</dc:title>',
                '<meta refines="#subtitle" property="title-type">subtitle</meta>']
    out.append(f"<dc:language>{lang}</dc:language>")
    for n, author in enumerate(meta.authors, start=1):
        out += [f'<dc:creator id="creator-{n}">{esc(author)}</dc:creator>',
                f'<meta refines="#creator-{n}" property="role" scheme="marc:relators">aut</meta>']
    for tag, value in (("publisher", meta.publisher), ("description", meta.description), ("rights", meta.rights)):
        if value:
            out.append(f"<dc:{tag}>{esc(value)}</dc:{tag}>")
    for subject in dict.fromkeys([meta.subject, *meta.keywords]):
        if subject:
            out.append(f"<dc:subject>{esc(subject)}</dc:subject>")
    if meta.date:
        out.append(f"<dc:date>{meta.date.isoformat()}</dc:date>")
    out.append(f'<meta property="dcterms:modified">{ctx.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")}</meta>')
    modes = ["textual", "visual"] if has_images else ["textual"]
    features = ["structuralNavigation", "tableOfContents", "readingOrder"] + (["alternativeText"] if has_images else [])
    out += [f'<meta property="schema:accessMode">{mode}</meta>' for mode in modes]
    out.append('<meta property="schema:accessModeSufficient">textual</meta>')
    out += [f'<meta property="schema:accessibilityFeature">{f}</meta>' for f in features]
    out.append('<meta property="schema:accessibilityHazard">none</meta>')
    summary = localize(SUMMARY.format(images=SUMMARY_IMAGES if has_images else ""), ctx)
    out.append(f'<meta property="schema:accessibilitySummary">{esc(summary)}</meta>')
    out.append('<meta name="cover" content="cover-image"/>')
    return out


def _opf(ctx: BuildContext, items: list[Item], has_images: bool, vertical: bool) -> str:
    """The package document, with ``xml:lang`` on ``<package>`` and the spine direction."""
    lang = ctx.edition.lang
    manifest = [f'<item id="{it.ident}" href="{esc(it.href)}" media-type="{it.media_type}"'
                + (f' properties="{it.properties}"' if it.properties else "") + "/>" for it in items]
    spine = [f'<itemref idref="{it.ident}"/>' for it in items if it.in_spine]
    direction = ' page-progression-direction="rtl"' if vertical else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid"'
            f' xml:lang="{lang}">\n'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            + "\n".join(_metadata(ctx, has_images)) + "\n</metadata>\n"
            "<manifest>\n" + "\n".join(manifest) + "\n</manifest>\n"
            f'<spine toc="ncx"{direction}>\n' + "\n".join(spine) + "\n</spine>\n</package>\n")


def _write_zip(dest: Path, entries: list[tuple[str, bytes]]) -> None:
    """The OCF container: ``mimetype`` first and stored, then every entry with one fixed time."""
    with zipfile.ZipFile(dest, "w") as zf:
        for name, data in [("mimetype", b"application/epub+zip"), *entries]:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=9 if name != "mimetype" else None)
