"""The EPUB package as ebooklib assembles it, with what ebooklib gets wrong repaired.

ebooklib writes the package document, manifest, spine, navigation document, NCX and container.
Some of its choices make a Chinese book invalid, mislabelled or different on every build. Those
it offers an option for are set in ``OPTIONS``; the others are repaired after it has written the
book, one small function per repair, applied to the entry concerned while the zip is rewritten
with fixed entry times and order so that two builds of one source are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import BinaryIO

from ebooklib import epub
from lxml import etree

FOLDER = "OEBPS"
OPF_PATH = f"{FOLDER}/content.opf"
NAV_HREF = "nav.xhtml"
NCX_HREF = "toc.ncx"
IDENTIFIER_ID = "bookid"
ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # every entry carries the same time: zip stamps must not vary
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "x": XHTML_NS,
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
OPTIONS = {
    "raise_exceptions": True,  # otherwise a failed write returns False and leaves no trace
    "epub3_pages": False,  # it would list every element with an epub:type and an id as a page
    "epub2_guide": True,
    "epub3_landmark": True,
    "spine_direction": True,  # direction goes on the spine as page-progression-direction …
    "package_direction": False,  # … never as dir on <package>
    "play_order": {"enabled": True, "start_from": 1},  # NCX navPoints numbered in reading order
    "compresslevel": 9,
}

Fix = Callable[[etree._Element], None]
APPLE_DISPLAY_OPTIONS = "META-INF/com.apple.ibooks.display-options.xml"


def new_book(identifier: str, lang: str, vertical: bool) -> epub.EpubBook:
    """An empty book with its identifier, language and reading direction set."""
    book = epub.EpubBook()
    book.FOLDER_NAME = FOLDER
    book.IDENTIFIER_ID = IDENTIFIER_ID
    book.set_identifier(identifier)  # replaces the random identifier EpubBook starts with
    book.set_language(lang)  # dc:language, and lang/xml:lang of the nav ebooklib generates
    if vertical:
        book.set_direction("rtl")  # with OPTIONS: <spine page-progression-direction="rtl">
    return book


def write(
    book: epub.EpubBook,
    dest: Path,
    modified: dt.datetime,
    landmarks_title: str,
    nav_labels: list[str],
    extra: dict[str, bytes] | None = None,
) -> None:
    """Write ``book`` at ``dest``: ebooklib's package, repaired and repacked deterministically.

    ``nav_labels`` are the toc entries' XHTML markup in order, replacing ebooklib's plain labels.
    ``extra``: more zip entries outside the package (``META-INF/…``), by name, written last.
    """
    lang = book.language
    fixes: dict[str, list[Fix]] = {
        OPF_PATH: [partial(package_language, lang=lang), spine_all_linear],
        f"{FOLDER}/{NAV_HREF}": [
            partial(document_language, lang=lang),
            nav_toc_id,
            nav_landmarks_hidden,
            partial(nav_label_markup, labels=nav_labels),
        ],
        f"{FOLDER}/{NCX_HREF}": [partial(ncx_language, lang=lang), ncx_depth],
    }
    with tempfile.TemporaryFile(dir=dest.parent) as zipped:  # on disk: the book is not held in memory
        ebooklib_write(book, zipped, modified, landmarks_title)
        repack(zipped, dest, fixes, extra or {})


def apple_display_options() -> bytes:
    """Apple Books' display options file (``META-INF/com.apple.ibooks.display-options.xml``):
    ``specified-fonts`` true, so the book's embedded faces are used rather than the reader's own."""
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b"<display_options>\n"
        b'  <platform name="*">\n'
        b'    <option name="specified-fonts">true</option>\n'
        b"  </platform>\n"
        b"</display_options>\n"
    )


def ebooklib_write(book: epub.EpubBook, out: BinaryIO, modified: dt.datetime, landmarks_title: str) -> None:
    """Write the EPUB as ebooklib makes it into the file ``out``; a failed write raises rather than
    returning False."""
    options = {**OPTIONS, "mtime": utc(modified), "landmark_title": landmarks_title}
    if not epub.write_epub(out, book, options):
        raise OSError("ebooklib could not write the EPUB")


def utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC: ebooklib writes dcterms:modified with a Z whatever the time's zone."""
    if moment.tzinfo is None:
        return moment  # the build's times are UTC already
    return moment.astimezone(dt.timezone.utc)


# ---------------------------------------------------------------- repairs of the package document


def package_language(opf: etree._Element, lang: str) -> None:
    """``xml:lang`` on ``<package>``: ebooklib writes dc:language only, leaving the metadata's text untagged."""
    opf.set(XML_LANG, lang)


def spine_all_linear(opf: etree._Element) -> None:
    """No ``linear="no"``: ebooklib sets it on a cover page, and a non-linear first page fails EPUBCheck (OPF-096)."""
    for ref in opf.iterfind("opf:spine/opf:itemref", NS):
        ref.attrib.pop("linear", None)


# ---------------------------------------------------------------- repairs of the navigation documents


def document_language(doc: etree._Element, lang: str) -> None:
    """``lang`` and ``xml:lang`` of the edition on ``<html>``, the same as every other content document."""
    doc.set("lang", lang)
    doc.set(XML_LANG, lang)


def _toc_nav(nav: etree._Element) -> etree._Element:
    return nav.find(".//x:nav[@epub:type='toc']", NS)


def nav_toc_id(nav: etree._Element) -> None:
    """The toc's ``<nav>`` gets id ``toc`` (ebooklib writes ``id``), which the toc landmark points at."""
    _toc_nav(nav).set("id", "toc")


def nav_landmarks_hidden(nav: etree._Element) -> None:
    """Landmarks are for the reading system: ebooklib shows them as a second list under the toc."""
    for landmarks in nav.iterfind(".//x:nav[@epub:type='landmarks']", NS):
        landmarks.set("id", "landmarks")
        landmarks.set("hidden", "hidden")


def nav_label_markup(nav: etree._Element, labels: list[str]) -> None:
    """Toc labels as the chapters set their headings (upright digits in vertical books).

    ebooklib writes each label as plain text; ``labels`` holds the markup of each entry in order.
    """
    anchors = _toc_nav(nav).findall(".//x:a", NS)
    if len(anchors) != len(labels):
        raise ValueError(f"the toc has {len(anchors)} entries but {len(labels)} labels")
    for anchor, markup in zip(anchors, labels, strict=True):
        fragment = etree.fromstring(f'<a xmlns="{XHTML_NS}">{markup}</a>')
        anchor.text = fragment.text
        anchor[:] = list(fragment)


def ncx_language(ncx: etree._Element, lang: str) -> None:
    """``xml:lang`` on ``<ncx>``, which ebooklib leaves out."""
    ncx.set(XML_LANG, lang)


def ncx_depth(ncx: etree._Element) -> None:
    """``dtb:depth`` as deep as the navMap nests (ebooklib always writes 0)."""
    points = ncx.findall(".//ncx:navPoint", NS)
    depth = max((len(p.xpath("ancestor-or-self::ncx:navPoint", namespaces=NS)) for p in points), default=0)
    ncx.find("ncx:head/ncx:meta[@name='dtb:depth']", NS).set("content", str(depth))


# ---------------------------------------------------------------- the container


def _repaired(data: bytes, fixes: list[Fix]) -> bytes:
    """An XML entry with ``fixes`` applied, its declaration and doctype kept."""
    tree = etree.ElementTree(etree.fromstring(data))
    for fix in fixes:
        fix(tree.getroot())
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")


def repack(
    zipped: BinaryIO | Path, dest: Path, fixes: dict[str, list[Fix]], extra: dict[str, bytes] | None = None
) -> None:
    """Rewrite ebooklib's zip (the file ``zipped``) at ``dest``: ``mimetype`` first and stored, one
    fixed time, ebooklib's order; one entry is held at a time.

    ebooklib stamps every entry with the clock; the entries' order is the order items were added,
    which is fixed by the build.
    """
    with zipfile.ZipFile(zipped) as src:
        missing = set(fixes) - set(src.namelist())
        if missing:
            raise ValueError(f"ebooklib wrote no {', '.join(sorted(missing))}")
        with zipfile.ZipFile(dest, "w") as zf:
            for name, content in _entries(src, extra or {}):
                stored = name == "mimetype"
                info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                info.create_system = 3
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                body = _repaired(content, fixes[name]) if name in fixes else content
                zf.writestr(info, body, compresslevel=None if stored else 9)


def _entries(src: zipfile.ZipFile, extra: dict[str, bytes]) -> Iterator[tuple[str, bytes]]:
    """(name, content) of ebooklib's entries, read one at a time, ``mimetype`` first and the rest
    in ebooklib's order; then ``extra``'s by name."""
    for info in sorted(src.infolist(), key=lambda i: i.filename != "mimetype"):  # stable: the rest keep order
        yield info.filename, src.read(info)
    yield from sorted(extra.items())
