"""The publication plan: one decision per edition, the same in the PDF, the DOCX and the EPUB.

Every build goes through the command-line entry point; each decision is read back from the
outputs themselves: the PDF's characters and catalog (pdfplumber), the DOCX's XML parts and the
EPUB's CSS, XHTML and OPF from their zips.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree

from zhengji_publish import editions
from zhengji_publish import model as m
from zhengji_publish.cli import main
from zhengji_publish.plan import Emphasis, Plan, Punctuation, Quotes, make_plan, resolve_punctuation
from zhengji_publish.reader import read_file
from zhengji_publish.style import load_style

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "zhengji_publish"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "epub": "http://www.idpf.org/2007/ops",
    "w": W[1:-1],
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

BODY = """
# 第一章 总则

他说：“**重要**”，*强调文字*在这里。

## 第一节 细则

正文段落。
"""


def publish(tmp_path: Path, edition: str, style: str = "", front: str = "") -> dict[str, Path]:
    """Build a short source into all three formats through the CLI; ``style`` is YAML extending default."""
    source = tmp_path / "plan.md"
    source.write_text(f"---\ntitle: 计划测试\nlang: zh-CN\ndate: 2026-03-16\n{front}---\n{BODY}", encoding="utf-8")
    args = ["build", str(source), "-o", str(tmp_path / "out"), "-e", edition]
    if style:
        (tmp_path / "plan-style.yaml").write_text("extends: default\n" + style, encoding="utf-8")
        args += ["-s", str(tmp_path / "plan-style.yaml")]
    assert main(args) == 0
    return {fmt: tmp_path / "out" / f"plan.{edition}.{fmt}" for fmt in ("pdf", "docx", "epub")}


def planned(tmp_path: Path, edition: str) -> Plan:
    """The plan the build made for the source and style :func:`publish` wrote."""
    doc = read_file(tmp_path / "plan.md")
    style_file = tmp_path / "plan-style.yaml"
    style = load_style(str(style_file) if style_file.exists() else "default")
    return make_plan(style, editions.resolve(edition, doc.meta), doc.meta)


# ---------------------------------------------------------------- reading the outputs


@dataclass
class Decisions:
    """What one output shows of each policy decision (None where the format has no such thing)."""

    compressed: bool | None = None
    emphasis: Emphasis | None = None
    quotes: Quotes | None = None
    vertical: bool | None = None
    contents: bool | None = None
    contents_title: str | None = None
    contents_depth: int | None = None
    line_break: str | None = None
    langs: tuple[str, ...] = ()


def quotes_in(text: str) -> Quotes:
    """The marks around 重要 (bold in the source, so the quote opens and closes in other nodes)."""
    text = re.sub(r"<[^>]+>", "", text)
    if "「重要」" in text:
        return Quotes.CORNER
    assert "“重要”" in text, f"neither 「重要」 nor “重要” in {text!r}"
    return Quotes.AS_WRITTEN


def read_pdf(path: Path) -> Decisions:
    with pdfplumber.open(path) as pdf:
        lang = pdf.doc.catalog["Lang"]
        chars = [c for page in pdf.pages for c in page.chars]
        curves = sum(len(page.curves) for page in pdf.pages)
    text = "".join(c["text"] for c in chars)
    i = text.index("他") + 1  # 说, 說 or 説 by edition
    han, colon, mark = chars[i], chars[i + 1], chars[i + 2]
    assert colon["text"] == "："
    size = colon["size"]
    vertical = abs(colon["x0"] - han["x0"]) < 1 and colon["top"] > han["top"]  # one column, top to bottom
    along = "top" if vertical else "x0"
    compressed = (mark[along] - colon[along]) / size < 0.75  # a compressed colon takes half an em
    emph = chars[text.index("调文字" if "调文字" in text else "調文字")]
    if "Kai" in emph["fontname"]:
        emphasis = Emphasis.KAI
    elif "Bold" in emph["fontname"]:
        emphasis = Emphasis.BOLD
    else:
        assert curves >= 4, "emphasis dots are drawn under each emphasised character"
        emphasis = Emphasis.DOTS
    contents = "目录" in text or "目錄" in text
    title = "目錄" if "目錄" in text else "目录" if contents else None
    section = "第一节细则" if "第一节细则" in text else "第一節細則"
    depth = None if not contents else (2 if text.count(section) == 2 else 1)
    return Decisions(
        compressed=compressed,
        emphasis=emphasis,
        quotes=quotes_in(text),
        vertical=vertical,
        contents=contents,
        contents_title=title,
        contents_depth=depth,
        langs=(lang.decode() if isinstance(lang, bytes) else str(lang),),
    )


def zip_part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def read_docx(path: Path) -> Decisions:
    settings = etree.fromstring(zip_part(path, "word/settings.xml"))
    styles = etree.fromstring(zip_part(path, "word/styles.xml"))
    document = etree.fromstring(zip_part(path, "word/document.xml"))
    core = etree.fromstring(zip_part(path, "docProps/core.xml"))
    control = settings.find(f"{W}characterSpacingControl").get(f"{W}val")
    top_line = styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr/{W}topLinePunct") is not None
    # the GB style carries its compression in the runs (a Punctuation Compression style) and says
    # doNotCompress; otherwise the application is asked to compress
    carried = styles.find(f"{W}style[@{W}styleId='PunctuationCompression']") is not None
    compressed = control == "compressPunctuation" or (carried and control == "doNotCompress")
    assert compressed == top_line, "compression and topLinePunct disagree"
    emph = styles.find(f"{W}style[@{W}styleId='Emphasis']/{W}rPr")
    if emph.find(f"{W}em") is not None:
        emphasis = Emphasis.DOTS
    elif emph.find(f"{W}b") is not None:
        emphasis = Emphasis.BOLD
    else:
        assert "Kai" in emph.find(f"{W}rFonts").get(f"{W}eastAsia")
        emphasis = Emphasis.KAI
    headings = document.xpath(".//w:p[w:pPr/w:pStyle/@w:val='TOCHeading']", namespaces=NS)
    heading = headings[0] if headings else None
    title = "".join(heading.itertext()) if heading is not None else None
    instr = "".join(t.text or "" for t in document.iter(f"{W}instrText"))
    depth = re.search(r'TOC \\o "1-(\d)"', instr)
    assert (heading is not None) == (settings.find(f"{W}updateFields") is not None)
    assert (heading is not None) == bool(depth)
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang").get(f"{W}eastAsia")
    theme = settings.find(f"{W}themeFontLang").get(f"{W}eastAsia")
    return Decisions(
        compressed=compressed,
        emphasis=emphasis,
        quotes=quotes_in("".join(document.itertext())),
        vertical=document.find(f".//{W}textDirection") is not None,
        contents=heading is not None,
        contents_title=title,
        contents_depth=int(depth.group(1)) if depth else None,
        langs=(lang, theme, core.find("dc:language", NS).text),
    )


def css_rule(css: str, selector: str) -> str:
    found = re.search(rf"(?m)^{re.escape(selector)} \{{([^}}]*)\}}", css)
    assert found, f"no rule for {selector}"
    return found.group(1)


def read_epub(path: Path) -> Decisions:
    css = zip_part(path, "OEBPS/style.css").decode()
    opf = etree.fromstring(zip_part(path, "OEBPS/content.opf"))
    nav = etree.fromstring(zip_part(path, "OEBPS/nav.xhtml"))
    manifest = {i.get("id"): i.get("href") for i in opf.iterfind("opf:manifest/opf:item", NS)}
    spine = [manifest[i.get("idref")] for i in opf.iterfind("opf:spine/opf:itemref", NS)]
    chapter = zip_part(path, f"OEBPS/{spine[-1]}").decode()
    trim = re.search(r"text-spacing-trim: ([a-z-]+)", css_rule(css, "body")).group(1)
    em = css_rule(css, "em")
    emphasis = Emphasis.DOTS if "text-emphasis" in em else Emphasis.BOLD if "bold" in em else Emphasis.KAI
    vertical = "writing-mode: vertical-rl" in css
    assert vertical == (opf.find("opf:spine", NS).get("page-progression-direction") == "rtl")
    contents = "nav.xhtml" in spine
    landmarks = [a.text for a in nav.iterfind(".//x:nav[@epub:type='landmarks']//x:a", NS)]
    toc_heading = nav.find(".//x:nav[@epub:type='toc']/x:h2", NS)
    depth = max(
        len(a.xpath("ancestor::x:ol", namespaces=NS)) for a in nav.iterfind(".//x:nav[@epub:type='toc']//x:a", NS)
    )
    chapter_lang = etree.fromstring(chapter.encode()).get(XML_LANG)
    if contents:  # a landmark may point only at a document in the spine, and names the contents as printed
        assert toc_heading.text in landmarks
    return Decisions(
        compressed=trim == "space-first",
        emphasis=emphasis,
        quotes=quotes_in(chapter),
        vertical=vertical,
        contents=contents,
        contents_title=toc_heading.text if contents else None,
        contents_depth=depth if contents else None,
        line_break=re.search(r" line-break: ([a-z]+)", css_rule(css, "body")).group(1),
        langs=(opf.find("opf:metadata/dc:language", NS).text, chapter_lang),
    )


READERS = {"pdf": read_pdf, "docx": read_docx, "epub": read_epub}


# ---------------------------------------------------------------- the four cases


@pytest.mark.e2e
def test_centred_punctuation_reaches_every_format(tmp_path):
    """``text.punctuation: centred`` on zh-Hans: nothing is compressed in any format."""
    out = publish(tmp_path, "zh-Hans", style="text:\n  punctuation: centred\n")
    assert read_pdf(out["pdf"]).compressed is False
    settings = zip_part(out["docx"], "word/settings.xml").decode()
    assert 'w:characterSpacingControl w:val="doNotCompress"' in settings
    css = zip_part(out["epub"], "OEBPS/style.css").decode()
    assert "text-spacing-trim: space-all" in css and "space-first" not in css


@pytest.mark.e2e
def test_front_matter_contents_reach_every_format(tmp_path):
    """``toc: true`` in the front matter with the default style: contents in the PDF, the DOCX and
    the EPUB's spine (with its landmark)."""
    out = publish(tmp_path, "zh-Hans", front="toc: true\n")
    assert read_pdf(out["pdf"]).contents_title == "目录"
    assert read_docx(out["docx"]).contents_title == "目录"
    epub = read_epub(out["epub"])
    assert epub.contents is True and epub.contents_title == "目录"


@pytest.mark.e2e
def test_contents_title_in_the_editions_script(tmp_path):
    """A zh-Hant-TW edition with contents prints 目錄 in all three formats, never 目录."""
    out = publish(tmp_path, "zh-Hant-TW", style="toc:\n  enabled: true\n")
    for fmt, reader in READERS.items():
        assert reader(out[fmt]).contents_title == "目錄", fmt
    with pdfplumber.open(out["pdf"]) as pdf:
        assert "目录" not in "".join(p.extract_text() or "" for p in pdf.pages)
    assert "目录" not in zip_part(out["docx"], "word/document.xml").decode()
    assert "目录" not in zip_part(out["epub"], "OEBPS/nav.xhtml").decode()


@pytest.mark.e2e
def test_vertical_epub_pairs_quotes_per_paragraph(tmp_path):
    """A vertical edition with ``quotes: keep`` (spelt the older way, ``epub.vertical``): corner
    brackets in every format (vertical text takes them), paired across the bold run, never half
    converted."""
    out = publish(tmp_path, "zh-Hant-TW", style="text:\n  quotes: keep\nepub:\n  vertical: true\n")
    chapter = zip_part(out["epub"], "OEBPS/chapter-01.xhtml").decode()
    assert "他說：「<strong>重要</strong>」" in chapter
    assert "“" not in chapter and "”" not in chapter
    assert read_pdf(out["pdf"]).quotes is Quotes.CORNER
    assert read_docx(out["docx"]).quotes is Quotes.CORNER
    plan = planned(tmp_path, "zh-Hant-TW")
    assert plan.vertical and {plan.quotes_for(fmt) for fmt in ("pdf", "docx", "epub")} == {Quotes.CORNER}


# ---------------------------------------------------------------- every decision against every writer

COMBINATIONS = {
    "default-hans": ("zh-Hans", "", ""),
    "centred-dots-front-toc": ("zh-Hans", "text:\n  punctuation: centred\n  emphasis: dots\n", "toc: true\n"),
    "tw-bold-basic-depth1": (
        "zh-Hant-TW",
        "text:\n  emphasis: bold\n  line-break: basic\ntoc:\n  enabled: true\n  depth: 1\n",
        "",
    ),
    "hk-vertical-grid-keep": (
        "zh-Hant-HK",
        "text:\n  punctuation: grid\n  quotes: keep\nepub:\n  vertical: true\ntoc:\n  enabled: true\n",
        "",
    ),
    "hans-corner-front-toc-off": ("zh-Hans", "text:\n  quotes: corner\ntoc:\n  enabled: true\n", "toc: false\n"),
}


@pytest.mark.e2e
@pytest.mark.parametrize("name", COMBINATIONS)
def test_every_decision_of_the_plan_is_what_each_writer_wrote(tmp_path, name):
    edition, style, front = COMBINATIONS[name]
    out = publish(tmp_path, edition, style, front)
    plan = planned(tmp_path, edition)
    for fmt, reader in READERS.items():
        seen = reader(out[fmt])
        assert seen.compressed == plan.punctuation.compressed, fmt
        assert seen.emphasis is plan.emphasis, fmt
        assert seen.quotes is plan.quotes_for(fmt), fmt
        assert seen.vertical == plan.vertical, fmt
        assert seen.contents == plan.contents.enabled, fmt
        assert seen.contents_title == (plan.contents.title if plan.contents.enabled else None), fmt
        assert seen.contents_depth == (plan.contents.depth if plan.contents.enabled else None), fmt
    langs = plan.languages
    assert read_pdf(out["pdf"]).langs == (langs.pdf,)
    assert read_docx(out["docx"]).langs == (langs.docx, langs.docx, langs.docx_core)
    epub = read_epub(out["epub"])
    assert epub.langs == (langs.epub, langs.epub)
    assert epub.line_break == {"strict": "strict", "basic": "normal"}[plan.line_break.value]
    # The EPUB's fixed words are the plan's, in the edition's script.
    words = plan.wording
    assert f"<title>{words.cover}</title>" in zip_part(out["epub"], "OEBPS/cover.xhtml").decode()
    title_page = re.sub(r"<[^>]+>", "", zip_part(out["epub"], "OEBPS/title.xhtml").decode())  # upright digits
    assert words.date_text(read_file(tmp_path / "plan.md").meta.date) in title_page
    nav = zip_part(out["epub"], "OEBPS/nav.xhtml").decode()
    assert words.landmarks in nav and words.body in nav and words.cover in nav
    opf = zip_part(out["epub"], "OEBPS/content.opf").decode()
    assert words.summary.format(images="") in opf


# ---------------------------------------------------------------- the plan itself


@pytest.mark.unit
@pytest.mark.parametrize(
    ("setting", "edition", "expected"),
    [
        ("auto", "zh-Hans", Punctuation.GB_COMPRESSED),
        ("auto", "zh-Hant-TW", Punctuation.CENTRED),
        ("auto", "zh-Hant-HK", Punctuation.CENTRED),
        ("centred", "zh-Hans", Punctuation.CENTRED),
        ("gb", "zh-Hant-TW", Punctuation.GB_COMPRESSED),
        ("grid", "zh-Hans", Punctuation.FULL_CELL),
    ],
)
def test_one_punctuation_resolver(setting, edition, expected):
    assert resolve_punctuation(setting, editions.resolve(edition, m.Meta())) is expected


@pytest.mark.unit
def test_fixed_words_are_in_the_editions_script():
    meta = m.Meta()
    style = load_style("default")
    hans = make_plan(style, editions.resolve("zh-Hans", meta), meta)
    tw = make_plan(style, editions.resolve("zh-Hant-TW", meta), meta)
    hk = make_plan(style, editions.resolve("zh-Hant-HK", meta), meta)
    assert (hans.contents.title, tw.contents.title, hk.contents.title) == ("目录", "目錄", "目錄")
    assert (hans.wording.figure, tw.wording.figure) == ("图", "圖")
    assert (hans.wording.attachment, tw.wording.attachment) == ("附件", "附件")
    assert tw.wording.landmarks == "地標" and tw.wording.cover == "封面"
    assert "圖片" in tw.wording.summary_images and "书" not in tw.wording.summary


@pytest.mark.unit
def test_a_vertical_style_makes_every_edition_vertical_with_corner_brackets():
    meta = m.Meta()
    base = load_style("default")
    style = dataclasses.replace(base, direction="vertical")
    for tag in ("zh-Hans", "zh-Hant-TW", "zh-Hant-HK"):
        plan = make_plan(style, editions.resolve(tag, meta), meta)
        assert plan.vertical, tag
        assert [plan.quotes_for(fmt) for fmt in ("pdf", "docx", "epub")] == [Quotes.CORNER] * 3, tag
    assert make_plan(base, editions.resolve("zh-Hant-TW", meta), meta).vertical is False


# ---------------------------------------------------------------- build ↔ writers


def imported_modules(path: Path) -> list[tuple[str, bool]]:
    """(module, at module level?) for every import in ``path``, including those inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, id(node) in top))
            found += [(f"{node.module}.{a.name}", id(node) in top) for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name, id(node) in top) for a in node.names]
    return found


@pytest.mark.unit
def test_writers_never_import_the_build_and_the_build_no_writer():
    for path in (PACKAGE / "writers").rglob("*.py"):
        for module, _ in imported_modules(path):
            assert module != "zhengji_publish.build", f"{path.name} imports the build"
    for module, _ in imported_modules(PACKAGE / "context.py") + imported_modules(PACKAGE / "plan.py"):
        assert not module.startswith(("zhengji_publish.writers", "zhengji_publish.build")), module
    for module, _ in imported_modules(PACKAGE / "build.py"):
        assert not module.startswith("zhengji_publish.writers"), f"build.py imports {module}"
