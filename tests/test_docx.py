"""DOCX output: read back with python-docx and as raw XML, and rendered by LibreOffice.

LibreOffice stands in for a word processor: what it embeds in its PDF shows which faces a reader's
Word would pick from the file's styles.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest
from conftest import CONSTRUCTS, SEED, run
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from lxml import etree

from zhengji_publish import editions
from zhengji_publish import model as m
from zhengji_publish.cli import main
from zhengji_publish.fonts import FontBook, aliases
from zhengji_publish.reader import read_file
from zhengji_publish.style import load_style
from zhengji_publish.typeset import rules
from zhengji_publish.writers.pdf.layout import geometry

pytestmark = pytest.mark.e2e

W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
EDITIONS = {"zh-Hans": ("SC", "zh-CN"), "zh-Hant-TW": ("TC", "zh-TW")}
ROLES = ("serif", "sans", "kai", "mono")


def xml(path: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


def attr(node: etree._Element | None, name: str) -> str | None:
    return None if node is None else node.get(qn(f"w:{name}"))


def style_node(styles: etree._Element, style_id: str) -> etree._Element:
    found = styles.find(f"w:style[@w:styleId='{style_id}']", W)
    assert found is not None, f"style {style_id} missing"
    return found


def edition_doc(source: Path, tag: str) -> m.Document:
    doc = read_file(source)
    return editions.apply(doc, editions.resolve(tag, doc.meta))


def paragraphs_of(doc: m.Document) -> list[str]:
    """Plain text of every paragraph and heading a reader sees in the body."""
    return [m.plain_text(b.children) for b in m.iter_blocks(doc.blocks) if isinstance(b, (m.Paragraph, m.Heading))]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------- fonts and language


@pytest.mark.parametrize("tag", EDITIONS)
def test_fonts_and_language_follow_the_edition(built, tag):
    region, word_lang = EDITIONS[tag]
    path = built(SEED, "docx", tag)
    styles = xml(path, "word/styles.xml")
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", W)
    fonts = defaults.find("w:rFonts", W)
    assert attr(fonts, "eastAsia") == attr(fonts, "ascii") == f"Noto Serif CJK {region}"
    assert attr(defaults.find("w:lang", W), "eastAsia") == word_lang
    for style in styles.findall("w:style[@w:type='paragraph']", W):
        rfonts = style.find("w:rPr/w:rFonts", W)
        assert attr(rfonts, "eastAsia") and attr(rfonts, "eastAsia") == attr(rfonts, "hAnsi"), attr(style, "styleId")
        assert attr(rfonts, "eastAsia").endswith((f" {region}", " CN" if region == "SC" else " TW"))
        assert not style.findall(".//w:rFonts[@w:eastAsiaTheme]", W)
    assert attr(style_node(styles, "Heading1").find("w:rPr/w:rFonts", W), "eastAsia") == f"Noto Sans CJK {region}"
    assert (
        attr(style_node(styles, "SourceCode").find("w:rPr/w:rFonts", W), "eastAsia") == f"Noto Sans Mono CJK {region}"
    )
    theme_lang = xml(path, "word/settings.xml").find("w:themeFontLang", W)
    assert attr(theme_lang, "eastAsia") == word_lang
    assert "ja-JP" not in etree.tostring(xml(path, "word/settings.xml")).decode()


def test_every_han_run_resolves_to_an_east_asian_font(built):
    """Runs carry no fonts of their own: each paragraph style (or the defaults) names one."""
    path = built(CONSTRUCTS, "docx", "zh-Hans")
    body = xml(path, "word/document.xml")
    styles = xml(path, "word/styles.xml")
    for p in body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if not re.search(r"[\u4e00-\u9fff]", text):
            continue
        style_id = attr(p.find("w:pPr/w:pStyle", W), "val") or "Normal"
        assert attr(style_node(styles, style_id).find("w:rPr/w:rFonts", W), "eastAsia"), style_id


# ---------------------------------------------------------------- styles


def test_built_in_styles_with_outline_levels(built):
    document = docx.Document(str(built(SEED, "docx", "zh-Hans")))
    names = {s.name for s in document.styles}
    assert {
        "Title",
        "Subtitle",
        "Heading 1",
        "Heading 2",
        "Heading 3",
        "Normal",
        "Byline",
        "Notice",
        "Block Text",
        "Source Code",
        "Caption",
        "footnote text",
    } <= names
    styles = xml(built(SEED, "docx", "zh-Hans"), "word/styles.xml")
    for level in range(1, 7):
        heading = style_node(styles, f"Heading{level}")
        assert attr(heading.find("w:pPr/w:outlineLvl", W), "val") == str(level - 1)
        assert attr(heading.find("w:pPr/w:ind", W), "firstLineChars") == "0"
    assert attr(style_node(styles, "Title").find("w:pPr/w:ind", W), "firstLineChars") == "0"
    used = [p.style.name for p in document.paragraphs]
    assert "Heading 1" in used and "Heading 2" in used and "Subtitle" in used and "Byline" in used


def test_body_style_indents_two_characters_and_justifies(built):
    styles = xml(built(SEED, "docx", "zh-Hans"), "word/styles.xml")
    normal = style_node(styles, "Normal")
    assert attr(normal.find("w:pPr/w:ind", W), "firstLineChars") == "200"
    assert attr(normal.find("w:pPr/w:jc", W), "val") == "both"
    spacing = normal.find("w:pPr/w:spacing", W)
    body = load_style("default").block("body")
    assert attr(spacing, "line") == str(round(body.size * body.leading * 20))
    assert attr(normal.find("w:rPr/w:sz", W), "val") == "21"  # 五号 10.5 pt


def test_no_direct_paragraph_formatting_in_body_text(built):
    """Body paragraphs name a style and nothing else, so editing the style restyles them; only
    pagination may be said of one paragraph (w:keepNext before a closing byline, w:keepLines on a
    paragraph too short to split), which no style would say of all; and the last paragraph before a
    closing byline may be split in two where its last lines go with the byline, the join without
    spacing and the second part without indent; a paragraph opening with an opening mark has its
    first line indented less by the mark's blank half, and a heading or byline of one line ending
    with a closing mark its right indent less by the mark's."""
    body = xml(built(SEED, "docx", "zh-Hans"), "word/document.xml")
    paragraphs = list(body.iter(qn("w:p")))
    for i, p in enumerate(paragraphs):
        ppr = p.find("w:pPr", W)
        assert ppr is not None and ppr[0].tag == qn("w:pStyle")
        style = attr(ppr[0], "val")
        allowed = [qn("w:keepNext"), qn("w:keepLines")]
        later = [attr(q.find("w:pPr/w:pStyle", W), "val") for q in paragraphs[i + 1 : i + 3]]
        if "Byline" in later and style == "Normal":
            allowed += [qn("w:spacing"), qn("w:ind")]
        text = "".join(p.itertext())
        if text[:1] in rules.OPENING:  # the first line in by the mark's blank less
            allowed.append(qn("w:ind"))
        if style != "Normal" and text[-1:] in rules.CLOSING:  # a one-line title's mark: its right indent
            allowed.append(qn("w:ind"))
        if style in ("Normal", "Heading1", "Heading2", "Subtitle", "Byline"):
            assert all(c.tag in allowed for c in ppr[1:]), etree.tostring(ppr)
    # a run names a character style; the only properties said of one run are the PDF's layout
    # carried as character spacing (a Han–Latin gap the PDF shrinks on a line pushed in, after the
    # character before it, with a zero-width space, or its justification of a mixed line) and
    # kerning off in a URL (test_urls_are_not_kerned)
    carried = 0
    for r in body.iter(qn("w:r")):
        rpr = r.find("w:rPr", W)
        said = (qn("w:rStyle"), qn("w:spacing"), qn("w:kern"))
        assert rpr is None or all(c.tag in said for c in rpr), etree.tostring(rpr)
        if rpr is not None and rpr.find("w:spacing", W) is not None:
            carried += 1
            text = "".join(r.itertext())
            assert int(attr(rpr.find("w:spacing", W), "val")) > 0, text
    assert carried < 20


def test_urls_are_not_kerned(built):
    """A URL or path, with the character on each side of it unless a space, is in runs kerned at no
    size (``w:kern`` 0, ECMA-376 Part 1 §17.3.2.19), as the PDF sets it; other text keeps the
    document's kerning (``w:kern`` in the defaults)."""
    readme = Path(__file__).parent / "data" / "readme_zh.md"
    body = xml(built(readme, "docx", "zh-Hans"), "word/document.xml")
    kern = xml(built(readme, "docx", "zh-Hans"), "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:kern", W)
    assert int(attr(kern, "val")) > 0
    unkerned, kerned = [], []
    for r in body.iter(qn("w:r")):
        off = r.find("w:rPr/w:kern", W)
        assert off is None or attr(off, "val") == "0"
        (kerned if off is None else unkerned).append("".join(t.text or "" for t in r.iter(qn("w:t"))))
    urls = [u for t in unkerned for u in re.findall(r"https://\S+", rules.unjoin_units(t))]
    assert "https://git.example.org/shizi/shizi" in urls and len(urls) >= 4, unkerned
    assert not [t for t in kerned if "://" in t]
    assert all(rules.unjoin_units(t).strip("。，（）见見 ") for t in unkerned)


def test_notice_is_a_bordered_shaded_style(built):
    styles = xml(built(SEED, "docx", "zh-Hans"), "word/styles.xml")
    notice = style_node(styles, "Notice")
    assert attr(notice.find("w:pPr/w:pBdr/w:top", W), "color") == "9E1B1B"
    assert attr(notice.find("w:pPr/w:shd", W), "fill") == "FBF3E4"
    assert attr(style_node(styles, "Emphasis").find("w:rPr/w:rFonts", W), "eastAsia") == "AR PL UKai CN"


def test_chinese_line_breaking_defaults(built):
    ppr = xml(built(SEED, "docx", "zh-Hans"), "word/styles.xml").find("w:docDefaults/w:pPrDefault/w:pPr", W)
    assert ppr.find("w:kinsoku", W) is not None
    assert attr(ppr.find("w:overflowPunct", W), "val") == "1"
    assert attr(ppr.find("w:wordWrap", W), "val") == "0"
    assert ppr.find("w:topLinePunct", W) is not None
    assert ppr.find("w:autoSpaceDE", W) is not None and ppr.find("w:autoSpaceDN", W) is not None
    traditional = xml(built(SEED, "docx", "zh-Hant-TW"), "word/styles.xml")
    assert traditional.find("w:docDefaults/w:pPrDefault/w:pPr/w:topLinePunct", W) is None
    control = {
        tag: attr(xml(built(SEED, "docx", tag), "word/settings.xml").find("w:characterSpacingControl", W), "val")
        for tag in EDITIONS
    }
    # the simplified edition's runs carry the PDF's compression (writers/docx/compression.py): no
    # application compresses on top of it
    assert control == {"zh-Hans": "doNotCompress", "zh-Hant-TW": "doNotCompress"}
    styles = xml(built(SEED, "docx", "zh-Hans"), "word/styles.xml")
    squeeze = styles.find("w:style[@w:styleId='PunctuationCompression']/w:rPr/w:w", W)
    assert attr(squeeze, "val") == "50"  # the blank half given up
    assert traditional.find("w:style[@w:styleId='PunctuationCompression']", W) is None
    document = xml(built(SEED, "docx", "zh-Hans"), "word/document.xml")
    marks = [
        "".join(r.itertext())
        for r in document.iter(f"{{{W['w']}}}r")
        if (
            r.find("w:rPr/w:rStyle", W) is not None
            and attr(r.find("w:rPr/w:rStyle", W), "val").startswith("PunctuationCompression")
        )
    ]
    assert marks and set("".join(marks)) <= set("，。、；：？！）》」』”’（《「『“‘")


# ---------------------------------------------------------------- page


def test_page_setup_header_footer_and_grid(built):
    """The PDF's type area (a whole number of characters, centred), no grid in a style without
    lines-per-page, the running header from page 2 on a rule."""
    path = built(SEED, "docx", "zh-Hans")
    style = load_style("default")
    geo = geometry(style)
    section = docx.Document(str(path)).sections[0]
    for got, want in (
        (section.page_width, style.page.width),
        (section.page_height, style.page.height),
        (section.top_margin, style.page.top),
        (section.left_margin, geo.left),
        (section.right_margin, style.page.width - geo.left - geo.measure),
        (section.bottom_margin, style.page.bottom),
    ):
        assert abs(got.pt - want) <= 0.1
    assert section.header.paragraphs[0].text == "树立和践行正确政绩观"
    assert section.different_first_page_header_footer and section.first_page_header.paragraphs[0].text == ""
    styles = xml(path, "word/styles.xml")
    assert style_node(styles, "Header").find("w:pPr/w:pBdr/w:bottom", W) is not None
    for footer_part in (section.footer, section.first_page_footer):
        footer = etree.tostring(footer_part._element, encoding="unicode")
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer)
        assert footer_part.paragraphs[0].style.name == "Footer"
        assert "— " in footer and " —" in footer
    grid = section._sectPr.find(qn("w:docGrid"))
    assert attr(grid, "type") is None  # no grid: Latin words and digits keep their widths


def test_gongwen_has_a_line_grid_and_28_characters_by_spacing(built):
    """GB/T 9704: 22 lines on a line grid; 28 三号 characters in 156 mm by character spacing, never a
    character grid (LibreOffice would give each digit a whole cell)."""
    path = built(SEED, "docx", "zh-Hans", "gongwen")
    style = load_style("gongwen")
    grid = docx.Document(str(path)).sections[0]._sectPr.find(qn("w:docGrid"))
    assert attr(grid, "type") == "lines"
    height = style.page.height - style.page.top - style.page.bottom
    assert int(attr(grid, "linePitch")) == int(height / 22 * 20)
    normal = style_node(xml(path, "word/styles.xml"), "Normal")
    spacing = int(attr(normal.find("w:rPr/w:spacing", W), "val"))
    assert 28 * (16 + spacing / 20) <= style.page.measure < 28 * (16 + (spacing + 1) / 20) + 0.5


@pytest.mark.external
def test_gongwen_names_fonts_an_application_finds(built):
    """The gongwen DOCX names its roles' first families (``docx.fonts: named``); each is one
    fontconfig, which LibreOffice asks, resolves to itself or to the face the PDF draws that role
    with (fonts.aliases, written by scripts/setup): before, inline code was named ``Noto Sans Mono
    CJK``, the style's name for a family no application has, and LibreOffice drew it in DejaVu Sans."""
    path = built(SEED, "docx", "zh-Hans", "gongwen")
    names = {attr(f, "ascii") for f in xml(path, "word/styles.xml").iterfind(".//w:rFonts", W)} - {None}
    assert {"FangSong_GB2312", "Noto Sans Mono CJK SC"} <= names
    stand_ins = aliases.stand_ins()
    for name in names:
        query = name.replace("-", "\\-")  # fc-match reads "name-size"
        got = subprocess.run(["fc-match", "-f", "%{family[0]}", query], capture_output=True, text=True, check=True)
        assert got.stdout == stand_ins.get(name, name), name


def test_toc_field_when_the_front_matter_asks(tmp_path):
    source = tmp_path / "toc.md"
    text = CONSTRUCTS.read_text(encoding="utf-8").replace("lang: zh-CN", "lang: zh-CN\ntoc: true")
    source.write_text(text, encoding="utf-8")
    (tmp_path / "figure.png").write_bytes((CONSTRUCTS.parent / "figure.png").read_bytes())
    assert main(["build", str(source), "-o", str(tmp_path / "out"), "-f", "docx", "-e", "zh-Hans"]) == 0
    path = tmp_path / "out" / "toc.zh-Hans.docx"
    body = etree.tostring(xml(path, "word/document.xml"), encoding="unicode")
    assert 'TOC \\o "1-2" \\h \\z \\u' in body
    assert xml(path, "word/settings.xml").find("w:updateFields", W) is not None


# ---------------------------------------------------------------- blocks


def test_lists_are_word_numbering(built):
    path = built(CONSTRUCTS, "docx", "zh-Hans")
    numbering = xml(path, "word/numbering.xml")
    formats = {attr(f, "val") for f in numbering.findall("w:abstractNum/w:lvl/w:numFmt", W)}
    assert {"bullet", "decimal"} <= formats
    body = xml(path, "word/document.xml")
    items = [p.find("w:pPr/w:numPr", W) for p in body.iter(qn("w:p")) if p.find("w:pPr/w:numPr", W) is not None]
    assert [attr(n.find("w:ilvl", W), "val") for n in items] == ["0"] * 9  # each list counts from level 0
    num_ids = {attr(n, "numId") for n in numbering.findall("w:num", W)}
    used = [attr(n.find("w:numId", W), "val") for n in items]
    assert set(used) <= num_ids and len(set(used)) == 4
    # A nested list is its own instance whose level 0 is drawn as its depth: indented further in.
    abstract_of = {attr(n, "numId"): attr(n.find("w:abstractNumId", W), "val") for n in numbering.findall("w:num", W)}

    def level0(num_id: str):
        node = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract_of[num_id]}']/w:lvl[@w:ilvl='0']", W)
        return int(attr(node.find("w:pPr/w:ind", W), "left")), attr(node.find("w:lvlText", W), "val")

    bullets, nested_bullets, ordered, nested_ordered = (used[0], used[2], used[5], used[7])
    assert level0(nested_bullets)[0] > level0(bullets)[0] and level0(nested_ordered)[0] > level0(ordered)[0]
    # the PDF's labels at every depth (1. and •), right-aligned to end before the item's text
    assert level0(ordered)[1] == level0(nested_ordered)[1] == "%1."
    assert level0(bullets)[1] == level0(nested_bullets)[1] == "•"
    jcs = {attr(j, "val") for j in numbering.findall("w:abstractNum/w:lvl/w:lvlJc", W)}
    assert jcs == {"right"}


def test_table_with_repeating_header_row(built):
    document = docx.Document(str(built(CONSTRUCTS, "docx", "zh-Hans")))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["项目", "数量", "说明"]
    assert [c.text for c in table.rows[2].cells] == ["重点工作", "15", "明确分工、压实责任"]
    assert table.rows[0]._tr.find("w:trPr/w:tblHeader", W) is not None
    assert table.style.name == "Three-Line Table"
    styles = xml(built(CONSTRUCTS, "docx", "zh-Hans"), "word/styles.xml")
    three_line = style_node(styles, "ThreeLineTable")
    borders = three_line.find("w:tblPr/w:tblBorders", W)
    assert [etree.QName(b).localname for b in borders] == ["top", "bottom"]  # no vertical or inner rules
    head_rule = three_line.find("w:tblStylePr[@w:type='firstRow']/w:tcPr/w:tcBorders/w:bottom", W)
    assert int(attr(head_rule, "sz")) < int(attr(borders[0], "sz"))
    # columns as wide as their content, centred: narrower than the measure
    tbl_pr = table._tbl.find("w:tblPr", W)
    assert attr(tbl_pr.find("w:jc", W), "val") == "center"
    assert int(attr(tbl_pr.find("w:tblW", W), "w")) < load_style("default").page.measure * 20 * 0.8


def test_figure_caption_footnote_link_break_and_code(built):
    path = built(CONSTRUCTS, "docx", "zh-Hans")
    document = docx.Document(str(path))
    by_style = {}
    for p in document.paragraphs:
        by_style.setdefault(p.style.name, []).append(p)
    assert by_style["Caption"][0].text == "图1 示意图"
    figure = by_style["Figure"][0]._p
    extent = figure.find(".//{*}extent")
    assert 0 < int(extent.get("cx")) <= round(load_style("default").page.measure * 12700)
    assert figure.find(".//{*}docPr").get("descr") == "示意图：红框与蓝线"
    notes = xml(path, "word/footnotes.xml")
    texts = [
        "".join(t.text for t in n.iter(qn("w:t"))) for n in notes.findall("w:footnote", W) if attr(n, "type") is None
    ]
    assert texts == ["脚注内容，含强调。"]
    body = xml(path, "word/document.xml")
    assert attr(body.find(".//w:footnoteReference", W), "id") == "1"
    link = body.find(".//w:hyperlink", W)
    rel = document.part.rels[link.get(qn("r:id"))]
    assert rel.is_external and rel.target_ref == "https://example.org/path?q=1"
    assert "".join(t.text for t in link.iter(qn("w:t"))) == "链接"
    assert by_style["Source Code"][0].text == 'def 问候(名字: str) -> str:\n    return f"你好，{名字}"'
    assert body.find(".//w:r/w:br", W) is not None
    assert [p.text for p in by_style["Notice"]] == ["预防森林火灾，守护绿色家园。电话：12119。"]
    assert [p.text for p in by_style["Notice Title"]] == ["公告标题"]
    assert "Thematic Break" in by_style


def centred(p) -> bool:
    """Whether paragraph ``p``'s style, or the style it is based on, centres it (``w:jc``)."""
    style = p.style
    while style is not None:
        if style.paragraph_format.alignment is not None:
            return style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
        style = style.base_style
    return False


@pytest.mark.parametrize("source", [SEED, CONSTRUCTS])
def test_paragraph_text_is_the_source_text(built, source):
    """The source text, every space kept; only invisible joiners in and after —— and …… are added
    (:func:`~zhengji_publish.typeset.rules.join_units`), and in a paragraph of a centred style (a
    title, a subtitle) line breaks where the PDF's lines start, which are not the source's (the
    sources have no line break there).
    The paragraph before a closing byline may come as two, the second (its last lines) kept with
    the byline (w:keepNext)."""
    document = docx.Document(str(built(source, "docx", "zh-Hans")))
    texts = [p.text.replace("\n", "") if centred(p) else p.text for p in document.paragraphs]
    pairs = zip(document.paragraphs, document.paragraphs[1:], strict=False)
    texts += [a.text + b.text for a, b in pairs if b._p.find("w:pPr/w:keepNext", W) is not None]
    texts += [p.text for t in document.tables for c in t._cells for p in c.paragraphs]
    if source == SEED:
        assert any("——" in t for t in texts)
    texts = [rules.unjoin_units(t) for t in texts]
    for text in paragraphs_of(edition_doc(source, "zh-Hans")):
        assert text in texts


# ---------------------------------------------------------------- metadata and reproducibility


def test_core_properties(built):
    props = docx.Document(str(built(SEED, "docx", "zh-Hant-TW"))).core_properties
    meta = edition_doc(SEED, "zh-Hant-TW").meta
    assert props.title == meta.title == "樹立和踐行正確政績觀"
    assert props.author == "新華社記者"
    assert props.subject == meta.subject and props.keywords == "; ".join(meta.keywords)
    assert props.language == "zh-Hant-TW"
    assert props.created.isoformat() == props.modified.isoformat() == "2026-03-16T00:00:00+00:00"
    core = zipfile.ZipFile(built(SEED, "docx", "zh-Hant-TW")).read("docProps/core.xml").decode()
    assert core.count("2026-03-16T00:00:00Z") == 2 and "python-docx" not in core


def test_rebuild_is_byte_identical(tmp_path):
    digests = []
    for name in ("a", "b"):
        assert main(["build", str(CONSTRUCTS), "-o", str(tmp_path / name), "-f", "docx", "-e", "zh-Hans"]) == 0
        digests.append(hashlib.sha256((tmp_path / name / "constructs.zh-Hans.docx").read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    with zipfile.ZipFile(tmp_path / "a" / "constructs.zh-Hans.docx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# ---------------------------------------------------------------- rendered by LibreOffice


def font_names(face) -> set[str]:
    """Names a face can carry in a PDF: its PostScript name and, for CID-keyed CFF fonts, the names
    of its font dicts. LibreOffice names Noto CJK subsets after the collection's shared CFF font
    (``NotoSerifCJKjp-Regular-…``) whichever regional face it used."""
    font = TTFont(face.path, fontNumber=face.index, lazy=True)
    names = {font["name"].getDebugName(6)}
    if "CFF " in font:
        top = font["CFF "].cff.topDictIndex[0]
        names |= set(font["CFF "].cff.fontNames)
        names |= {fd.FontName for fd in getattr(top, "FDArray", [])}
    return names


def embedded_fonts(pdf: Path) -> set[str]:
    lines = run("pdffonts", str(pdf)).splitlines()[2:]
    return {line.split()[0].split("+", 1)[-1] for line in lines if line.strip()}


@pytest.mark.external
@pytest.mark.parametrize("tag", EDITIONS)
def test_libreoffice_uses_only_the_editions_faces(built, soffice_pdf, tag):
    region, _lang = EDITIONS[tag]
    book = FontBook(load_style("default"), region)
    allowed = set().union(*(font_names(book.primary(role, bold)) for role in ROLES for bold in (False, True)))
    pdf = soffice_pdf(built(SEED, "docx", tag))
    embedded = embedded_fonts(pdf)
    assert embedded and embedded <= allowed, embedded - allowed
    assert not any(bad in name for name in embedded for bad in ("WenQuanYi", "DejaVu", "Droid", "Liberation"))
    kai = "UKaiCN" if region == "SC" else "UKaiTW"  # AR PL UKai has one file per region
    assert kai in embedded
    assert any(name.startswith("NotoSerifCJK") for name in embedded)
    assert any(name.startswith("NotoSansCJK") and "Bold" in name for name in embedded)


def page_bodies(pdf: Path, header: str) -> str:
    """The text of every page without its running header and folio, pages joined."""
    pages = []
    for page in run("pdftotext", str(pdf), "-").split("\f"):
        lines = [line for line in page.splitlines() if line.strip()]
        if lines and squeeze(lines[0]) == squeeze(header):
            lines = lines[1:]
        if lines and re.fullmatch(r"—\d+—", squeeze(lines[-1])):
            lines = lines[:-1]
        pages.append("".join(lines))
    return squeeze("".join(pages))


def without_punctuation(text: str) -> str:
    return re.sub(r"[\u3000-\u303f\uff00-\uffef\u2010-\u2027]", "", text)


@pytest.mark.external
@pytest.mark.parametrize("tag", EDITIONS)
def test_libreoffice_renders_every_character_of_every_paragraph(built, soffice_pdf, tag):
    doc = edition_doc(SEED, tag)
    text = without_punctuation(page_bodies(soffice_pdf(built(SEED, "docx", tag)), doc.meta.title))
    for paragraph in paragraphs_of(doc):
        assert without_punctuation(squeeze(paragraph)) in text


@pytest.mark.external
@pytest.mark.parametrize("tag", EDITIONS)
def test_libreoffice_renders_every_punctuation_mark(built, soffice_pdf, tag):
    """With w:overflowPunct off, LibreOffice drops a full-width comma meeting the right margin."""
    doc = edition_doc(SEED, tag)
    text = page_bodies(soffice_pdf(built(SEED, "docx", tag)), doc.meta.title)
    for paragraph in paragraphs_of(doc):
        assert squeeze(paragraph) in text


# ---------------------------------------------------------------- the PDF's publication


def test_font_lists_are_split_by_script(tmp_path):
    """A font list that starts with a Latin family: that family for Latin, the first CJK family
    of the list for Chinese, in every style entry (w:ascii/w:hAnsi and w:eastAsia)."""
    style = tmp_path / "latin-first.yaml"
    style.write_text(
        "extends: default\nfonts:\n  serif: [DejaVu Serif, Noto Serif CJK]\n  sans: [DejaVu Sans, Noto Sans CJK]\n",
        encoding="utf-8",
    )
    assert main(["build", str(SEED), "-o", str(tmp_path / "out"), "-f", "docx", "-e", "zh-Hans", "-s", str(style)]) == 0
    styles = xml(tmp_path / "out" / "zhengji.zh-Hans.docx", "word/styles.xml")
    serif = style_node(styles, "Normal").find("w:rPr/w:rFonts", W)
    assert (attr(serif, "ascii"), attr(serif, "hAnsi"), attr(serif, "eastAsia")) == (
        "DejaVu Serif",
        "DejaVu Serif",
        "Noto Serif CJK SC",
    )
    fonts = styles.findall(".//w:rFonts", W)
    assert len(fonts) > 14
    for node in fonts:
        assert not (attr(node, "eastAsia") or "CJK").startswith("DejaVu"), etree.tostring(node)
    heading = style_node(styles, "Heading1").find("w:rPr/w:rFonts", W)
    assert (attr(heading, "ascii"), attr(heading, "eastAsia")) == ("DejaVu Sans", "Noto Sans CJK SC")


def test_contents_carry_the_pdfs_page_numbers(tmp_path):
    """The TOC field's result lists every heading with the page the PDF puts it on, a link to
    the heading, and a page break after it."""
    out = tmp_path / "out"
    assert main(["build", str(SEED), "-o", str(out), "-f", "docx", "-e", "zh-Hans", "-s", "a4-report"]) == 0
    document = docx.Document(str(out / "zhengji.zh-Hans.docx"))
    entries = [p for p in document.paragraphs if p.style.name.startswith("toc ")]
    assert len(entries) >= 8
    pages = []
    for p in entries:
        title, tab, page = p._p.xpath("string(.)"), p._p.find(".//w:tab", W), None
        assert tab is not None and p._p.find("w:hyperlink[@w:anchor]", W) is not None
        page = int(re.search(r"(\d+)$", title).group(1))
        pages.append(page)
    assert pages == sorted(pages) and pages[0] >= 2  # the contents fill page 1
    assert entries[-1]._p.find(".//w:br[@w:type='page']", W) is not None
    styles = xml(out / "zhengji.zh-Hans.docx", "word/styles.xml")
    assert attr(style_node(styles, "TOC1").find("w:pPr/w:tabs/w:tab", W), "leader") == "dot"


def test_caption_div_and_notice_title_look_as_in_the_pdf(tmp_path):
    source = tmp_path / "c.md"
    source.write_text("# 标题\n\n正文。\n\n::: caption\n图 1 示意\n:::\n\n::: notice\n# 公告\n\n内容。\n:::\n", "utf-8")
    assert main(["build", str(source), "-o", str(tmp_path / "out"), "-f", "docx", "-e", "zh-Hans"]) == 0
    path = tmp_path / "out" / "c.zh-Hans.docx"
    by_text = {p.text: p.style.name for p in docx.Document(str(path)).paragraphs}
    assert by_text["图 1 示意"] == "Caption"  # python-docx names the built-in style as Word shows it
    styles = xml(path, "word/styles.xml")
    caption = style_node(styles, "Caption")
    assert attr(caption.find("w:pPr/w:jc", W), "val") == "center"
    assert attr(caption.find("w:rPr/w:rFonts", W), "eastAsia") == "AR PL UKai CN"
    title, heading = style_node(styles, "NoticeTitle"), style_node(styles, "Heading1")
    assert attr(title.find("w:rPr/w:sz", W), "val") == attr(heading.find("w:rPr/w:sz", W), "val")
    notice_border = style_node(styles, "Notice").find("w:pPr/w:pBdr/w:top", W)
    assert attr(title.find("w:pPr/w:pBdr/w:top", W), "color") == attr(notice_border, "color")


def test_contents_without_pages_when_the_pdf_layout_refuses_a_block(tmp_path, capsys):
    """A DOCX-only build of a text the PDF cannot set (a table row taller than a page) still
    writes its contents, without page numbers, and says why."""
    cell = "这是一个用于测试的很长的段落，包含中文标点符号和English words。" * 300
    source = tmp_path / "t.md"
    source.write_text(f"---\ntoc: true\n---\n\n# 标题\n\n| a | b |\n|---|---|\n| {cell} | x |\n", "utf-8")
    assert main(["build", str(source), "-o", str(tmp_path / "out"), "-f", "docx", "-e", "zh-Hans"]) == 0
    assert "the contents are written without page numbers: this block is too large" in capsys.readouterr().err
    entries = [p for p in docx.Document(str(tmp_path / "out" / "t.zh-Hans.docx")).paragraphs if p.style.name == "toc 1"]
    assert [p.text for p in entries] == ["标题\t"]


def test_marks_carry_the_compression_of_a_line_pushed_in(tmp_path):
    """The PDF sets 28 characters, two of them commas, on the first line: 28 em after the 2-em
    indent in the 29-em measure, which fit only with both commas at half width. Both carry the
    Punctuation Compression style; a line that fits as it is carries none (writers/docx/compression.py)."""
    measure = geometry(load_style("default")).measure / load_style("default").block("body").size
    assert measure == 29
    pushed = "甲乙丙丁戊己庚辛壬癸，子丑寅卯辰巳午未申酉，天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏。"
    roomy = "甲乙丙丁，戊己庚辛。"
    source = tmp_path / "pushed.md"
    source.write_text(f"# 标题\n\n{pushed}\n\n{roomy}\n", encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path / "out"), "-f", "docx", "-e", "zh-Hans"]) == 0
    body = xml(tmp_path / "out" / "pushed.zh-Hans.docx", "word/document.xml")
    paragraphs = [p for p in body.iter(qn("w:p")) if "".join(p.itertext()) in (pushed, roomy)]
    assert len(paragraphs) == 2

    def squeezed(p: etree._Element) -> list[tuple[str, str]]:
        runs = [(r.find("w:rPr/w:rStyle", W), "".join(r.itertext())) for r in p.iter(qn("w:r"))]
        return [(attr(s, "val") or "", text) for s, text in runs if s is not None and attr(s, "val") != "TextPortion"]

    assert squeezed(paragraphs[0]) == [("PunctuationCompression", "，"), ("PunctuationCompression", "，")]
    assert squeezed(paragraphs[1]) == []


@pytest.mark.parametrize("tag", ["zh-Hans", "zh-Hant-TW"])
def test_gap_spaces_carry_the_shrinking_of_a_line_pushed_in(tmp_path, tag):
    """Four ``M`` (0.975 em each) with typed spaces around them and 22 Han characters: 27.9 em with
    the eight quarter-em gaps, in the 27 em the first line has after its indent. The PDF fits them by
    shrinking the gaps (to no less than an eighth, 26.9 em at the least), with no mark on the line to
    compress, in the simplified and the traditional edition alike; the DOCX's gap spaces on that
    line take a narrower Gap Space style, those of a paragraph that fits keep the Gap Space."""
    pushed = "甲乙丙丁 M 戊己庚辛 M 壬癸子丑 M 寅卯辰巳 M 午未申酉戌亥天地日月星辰山川。"
    roomy = "甲乙 M 丙丁。"
    source = tmp_path / "gaps.md"
    source.write_text(f"# 标题\n\n{pushed}\n\n{roomy}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(source), "-o", str(out), "-f", "pdf", "-f", "docx", "-e", tag]) == 0
    # the PDF holds the whole run through 亥 on the first line
    with pdfplumber.open(str(out / f"gaps.{tag}.pdf")) as pdf:
        lines = "\n".join(page.extract_text() for page in pdf.pages).splitlines()
    first = next(ln for ln in lines if "甲乙丙丁" in ln)
    assert squeeze(first).endswith("午未申酉戌亥"), first
    body = xml(out / f"gaps.{tag}.docx", "word/document.xml")

    def gap_styles(text: str) -> list[str]:
        (p,) = [p for p in body.iter(qn("w:p")) if "".join(p.itertext()) == text]
        runs = [(r.find("w:rPr/w:rStyle", W), "".join(r.itertext())) for r in p.iter(qn("w:r"))]
        return [attr(s, "val") or "" for s, t in runs if s is not None and t == " "]

    narrower = gap_styles(pushed)
    assert len(narrower) == 8
    assert all(re.fullmatch(r"GapSpace[5-9]0", s) for s in narrower), narrower
    assert gap_styles(roomy) == ["GapSpace", "GapSpace"]
    styles = xml(out / f"gaps.{tag}.docx", "word/styles.xml")
    whole = int(attr(style_node(styles, "GapSpace").find("w:rPr/w:w", W), "val") or 0)
    for sid in set(narrower):
        scaled = int(attr(style_node(styles, sid).find("w:rPr/w:w", W), "val") or 0)
        assert whole * (int(sid[-2:]) - 1) / 100 <= scaled <= whole * int(sid[-2:]) / 100 + 1


@pytest.mark.parametrize(("tag", "lang"), [("zh-Hans", "zh-Hans"), ("zh-Hant-TW", "zh-Hant")])
def test_each_ellipsis_is_one_run_in_the_ellipsis_style(built, tag, lang):
    """Each 省略号 of the text is one run of its own, its two marks joined and joined to the
    character before them (no line starts with it), in the Unbreakable Marks character style: the
    East Asian face and the language with its script alone (what keeps LibreOffice 7.4 from
    setting the marks on two lines: tests/test_docx_ellipsis.py)."""
    path = built(SEED, "docx", tag)
    body, styles = xml(path, "word/document.xml"), xml(path, "word/styles.xml")
    style = style_node(styles, "UnbreakableMarks")
    assert attr(style.find("w:rPr/w:rFonts", W), "hint") == "eastAsia"
    assert attr(style.find("w:rPr/w:lang", W), "eastAsia") == lang
    dotted = [r for r in body.iter(qn("w:r")) if "…" in "".join(r.itertext())]
    assert len(dotted) == 4  # the seed's four 省略号
    for r in dotted:
        assert "".join(r.itertext()) == "\u2060…\u2060…"
        assert attr(r.find("w:rPr/w:rStyle", W), "val") == "UnbreakableMarks"
