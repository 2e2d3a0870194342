"""Real manuscripts, continued: page breaks, addresses shown as link text, pasted straight quotes and
invisible characters, headings at every level, classes a style does not know, plain-text sources.
Each case is built through the command line and read back from the PDF, DOCX and EPUB it makes."""

from __future__ import annotations

import zipfile
from itertools import pairwise
from pathlib import Path

import docx
import pdfplumber
import pytest

from zhengji_publish.cli import main
from zhengji_publish.style import load_style


def build(tmp_path: Path, text: str, *args: str, name: str = "doc.md") -> Path:
    """Write ``text`` as a source in ``tmp_path``, build it into ``tmp_path/out`` and return that folder."""
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(src), "-o", str(out), *args]) == 0
    return out


def epub_file(epub: Path, name: str) -> str:
    with zipfile.ZipFile(epub) as z:
        return z.read(f"OEBPS/{name}").decode("utf-8")


def epub_names(epub: Path) -> list[str]:
    with zipfile.ZipFile(epub) as z:
        return z.namelist()


# ---------------------------------------------------------------- page breaks

PAGES = (
    "# 标题\n\n第一页。\n\n\\newpage\n\n第二页。\n\n::: pagebreak\n:::\n\n"
    "第三页。\n\n> 引文\n>\n> ::: pagebreak\n> :::\n>\n> 第四页\n"
)


@pytest.fixture(scope="module")
def paged(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("pages"), PAGES)


@pytest.mark.e2e
def test_a_page_break_starts_a_new_pdf_page(paged):
    with pdfplumber.open(paged / "doc.zh-Hans.pdf") as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    assert len(texts) == 4
    for n, word in enumerate(("第一页", "第二页", "第三页", "第四页")):
        assert word in texts[n] and all(word not in other for other in texts[:n] + texts[n + 1 :])
    assert "newpage" not in "".join(texts)


@pytest.mark.e2e
def test_a_page_break_is_a_page_break_in_word(paged):
    body = docx.Document(str(paged / "doc.zh-Hans.docx")).element.body
    texts = []
    for p in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
        brs = p.findall(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}br")
        if any(b.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}type") == "page" for b in brs):
            texts.append("<break>")
        else:
            texts.append("".join(t.text or "" for t in p.iter() if t.tag.endswith("}t")))
    shown = [t for t in texts if t]
    assert shown == ["标题", "第一页。", "<break>", "第二页。", "<break>", "第三页。", "引文", "<break>", "第四页"]


@pytest.mark.e2e
def test_a_page_break_opens_a_new_epub_document_or_breaks_by_css(paged):
    epub = paged / "doc.zh-Hans.epub"
    chapters = sorted(n for n in epub_names(epub) if n.startswith("OEBPS/chapter-"))
    assert len(chapters) == 3
    assert "第一页" in epub_file(epub, "chapter-01.xhtml") and "第二页" not in epub_file(epub, "chapter-01.xhtml")
    assert "第二页" in epub_file(epub, "chapter-02.xhtml")
    third = epub_file(epub, "chapter-03.xhtml")
    assert '<div class="pagebreak">' in third and third.index("引文") < third.index("pagebreak") < third.index("第四页")
    assert ".pagebreak { break-before: page;" in epub_file(epub, "style.css")
    assert "newpage" not in "".join(epub_file(epub, c.removeprefix("OEBPS/")) for c in chapters)


# ---------------------------------------------------------------- addresses shown as link text


@pytest.mark.e2e
def test_an_address_shown_as_link_text_is_not_converted(tmp_path):
    out = build(
        tmp_path,
        "# 报告\n\n见 <https://example.com/发展>、[https://example.com/发展](https://example.com/发展)"
        "和[发展报告](https://example.com/)。\n",
        "-e",
        "zh-Hant-TW",
    )
    for text in (
        epub_file(out / "doc.zh-Hant-TW.epub", "chapter-01.xhtml"),
        "".join(p.text for p in docx.Document(str(out / "doc.zh-Hant-TW.docx")).paragraphs),
    ):
        assert text.count("https://example.com/发展") == 2 and "發展" not in text.replace("發展報告", "")
        assert "發展報告" in text and "見" in text
    with pdfplumber.open(out / "doc.zh-Hant-TW.pdf") as pdf:
        pdf_text = "".join(page.extract_text() for page in pdf.pages).replace("\n", "")
    assert pdf_text.count("https://example.com/发展") == 2 and "發展報告" in pdf_text


# ---------------------------------------------------------------- straight quotes

STRAIGHT = (
    '# 学习\n\n对照"立党为公"总要求，他说："我说\'好\'了"。\n\n'
    'It\'s the students\' "book"; 命令 `echo "你好"` 照旧，'
    '链接 <https://example.com/a"b> 也照旧。\n\n**"加粗**里开始"的引文。\n'
)


def all_text(out: Path, edition: str) -> dict[str, str]:
    """The text of each format of one edition, paragraphs joined (the PDF's lines joined)."""
    with pdfplumber.open(out / f"doc.{edition}.pdf") as pdf:
        pdf_text = "".join(page.extract_text() for page in pdf.pages).replace("\n", "")
    word = "\n".join(p.text for p in docx.Document(str(out / f"doc.{edition}.docx")).paragraphs)
    import html
    import re

    xhtml = html.unescape(re.sub(r"<[^>]+>", "", epub_file(out / f"doc.{edition}.epub", "chapter-01.xhtml")))
    return {"pdf": pdf_text, "docx": word, "epub": xhtml}


@pytest.fixture(scope="module")
def straight(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("straight"), STRAIGHT, "-e", "zh-Hans", "-e", "zh-Hant-TW")


@pytest.mark.e2e
@pytest.mark.parametrize("fmt", ["pdf", "docx", "epub"])
def test_straight_quotes_in_chinese_text_pair_like_curly_ones(straight, fmt):
    hans = all_text(straight, "zh-Hans")[fmt]
    assert "对照“立党为公”总要求" in hans and "他说：“我说‘好’了”。" in hans
    assert "“加粗里开始”的引文" in hans
    hant = all_text(straight, "zh-Hant-TW")[fmt]
    assert "對照「立黨為公」總要求" in hant and "他說：「我說『好』了」。" in hant
    assert "「加粗裡開始」的引文" in hant
    for text in (hans, hant):  # English, code and addresses stay as written
        assert "It's the students' \"book\";" in text and 'echo "你好"' in text
        assert 'https://example.com/a"b' in text or "https://example.com/a%22b" in text
        assert "「" not in hans and '"' not in text.split("It's")[0]


@pytest.mark.e2e
def test_quotes_keep_keeps_straight_quotes(tmp_path):
    (tmp_path / "keep.yaml").write_text("extends: default\ntext:\n  quotes: keep\n", encoding="utf-8")
    out = build(tmp_path, STRAIGHT, "-e", "zh-Hans", "-e", "zh-Hant-TW", "-s", str(tmp_path / "keep.yaml"))
    for edition, words in (("zh-Hans", '对照"立党为公"总要求'), ("zh-Hant-TW", '對照"立黨為公"總要求')):
        for text in all_text(out, edition).values():
            assert words in text and "“" not in text and "「" not in text


# ---------------------------------------------------------------- headings at every level

STATUTE = "".join(
    f"{'#' * level} {title}\n\n{article}正文第{level}条文字。\n\n"
    for level, title, article in (
        (1, "第一编 总则", ""),
        (2, "第一章 基本规定", ""),
        (3, "第一节 一般规定", ""),
        (4, "第一目 适用范围", "第一条 "),
        (5, "第一款 条件", "第二条 "),
        (6, "第一项 细则", "第三条 "),
    )
)
SHIPPED = sorted(p.stem for p in (Path(__file__).parents[1] / "src/zhengji_publish/styles").glob("*.yaml"))


def columns(page) -> list[dict]:
    """The columns of a vertical page as lines (text, x0, x1, chars), right to left: a column ends
    where the next character drawn stands higher up."""
    found: list[list[dict]] = []
    for c in page.chars:
        if not found or c["top"] < found[-1][-1]["top"] - 1:
            found.append([])
        found[-1].append(c)
    found.sort(key=lambda col: -max(c["x1"] for c in col))
    return [
        {
            "text": "".join(c["text"] for c in col),
            "x0": min(c["x0"] for c in col),
            "x1": max(c["x1"] for c in col),
            "chars": col,
        }
        for col in found
    ]


@pytest.mark.e2e
@pytest.mark.parametrize("style", SHIPPED)
def test_every_heading_level_is_set_apart_from_the_body(tmp_path, style):
    out = build(tmp_path, STATUTE, "-f", "pdf", "-s", style, "-e", "zh-Hans")
    shape = load_style(style)
    vertical = shape.direction == "vertical"
    lines = []
    with pdfplumber.open(out / "doc.zh-Hans.pdf") as pdf:
        for page in pdf.pages:
            found = page.extract_text_lines()
            if vertical:  # the running head and folio stand in the side margins: only the type area's columns
                inside = (shape.page.left - 1, page.width - shape.page.right + 1)
                found = [col for col in columns(page) if inside[0] <= col["x0"] and col["x1"] <= inside[1]]
            lines += [(line, page.page_number) for line in found]

    def gap(line: dict, before: dict) -> float:
        """Space between a line and the one before it: below it, or left of it in vertical text."""
        return before["x0"] - line["x1"] if vertical else line["top"] - before["bottom"]

    def find(words: str) -> tuple[dict, dict | None]:
        """The line set from ``words`` (the last one: a contents page may list it first) and the line before it."""
        index = max(i for i, (line, _) in enumerate(lines) if line["text"].replace(" ", "") == words.replace(" ", ""))
        line, page = lines[index]
        before = lines[index - 1][0] if index and lines[index - 1][1] == page else None
        return line, before

    def face(line: dict) -> tuple[str, float]:
        return line["chars"][0]["fontname"].split("+")[-1], round(line["chars"][0]["size"], 1)

    body, body_before = find("第一条 正文第4条文字。")
    assert body_before is not None
    body_gap = gap(body, body_before)
    for title in ("第一目 适用范围", "第一款 条件", "第一项 细则", "第一节 一般规定"):
        heading, before = find(title)
        assert face(heading) != face(body), (style, title, face(heading))
        if style != "gongwen" and before is not None:  # 公文 keeps every line on its 22-line grid
            assert gap(heading, before) > body_gap + 2, (style, title)


# ---------------------------------------------------------------- classes a style does not know


@pytest.mark.e2e
def test_an_unknown_class_is_kept_for_the_user_to_style(tmp_path):
    source = "# 标题\n\n第一段正文文字。\n\n::: bylnie\n新华社记者\n:::\n\n第二段正文文字。\n\n::: 按语\n编者按\n:::\n"
    out = build(tmp_path, source)
    document = docx.Document(str(out / "doc.zh-Hans.docx"))
    styles = {p.text: p.style for p in document.paragraphs}
    assert styles["新华社记者"].name == "bylnie" and styles["编者按"].name == "按语"
    assert styles["新华社记者"].type == docx.enum.style.WD_STYLE_TYPE.PARAGRAPH
    assert styles["第二段正文文字。"].name == "Normal" and styles["新华社记者"].base_style.name == "Normal"
    xhtml = epub_file(out / "doc.zh-Hans.epub", "chapter-01.xhtml")
    assert '<div class="bylnie">\n<p>新华社记者</p>' in xhtml and '<div class="按语">' in xhtml
    with pdfplumber.open(out / "doc.zh-Hans.pdf") as pdf:
        starts = {line["text"]: line["x0"] for line in pdf.pages[0].extract_text_lines()}
    assert starts["第二段正文文字。"] == pytest.approx(starts["第一段正文文字。"], abs=0.1)  # still indented
    assert starts["第二段正文文字。"] > 20 / 25.4 * 72 + 2 * 10.5 - 1  # the A5 page's 20 mm margin and two characters


# ---------------------------------------------------------------- misspelt style keys and names


@pytest.mark.e2e
@pytest.mark.parametrize(
    "style, message",
    [
        (
            "extends: default\nbody:\n  colour: red\n",
            ":3:3: error: unknown style key 'body.colour' — did you mean 'color'?",
        ),
        ("extends: default\nbdy:\n  size: 小四\n", ":2:1: error: unknown style key 'bdy' — did you mean 'body'?"),
        (
            "extends: default\nbody:\n  quotes: keep\n",
            ":3:3: error: unknown style key 'body.quotes' — 'quotes' belongs",
        ),
        ("extends: default\nbody:\n  zzz: 1\n", ":3:3: error: unknown style key 'body.zzz' — 'body' takes: font,"),
    ],
)
def test_a_misspelt_style_key_gets_a_suggestion(tmp_path, capsys, style, message):
    (tmp_path / "mine.yaml").write_text(style, encoding="utf-8")
    (tmp_path / "doc.md").write_text("---\nstyle: mine.yaml\n---\n# 标题\n", encoding="utf-8")
    assert main(["build", str(tmp_path / "doc.md"), "-o", str(tmp_path / "out")]) == 1
    assert f"{tmp_path / 'mine.yaml'}{message}" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.e2e
def test_a_bad_style_in_front_matter_names_its_line(tmp_path, capsys):
    (tmp_path / "doc.md").write_text("---\ntitle: 文\nstyle: gongwne\n---\n# 标题\n", encoding="utf-8")
    assert main(["build", str(tmp_path / "doc.md"), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'doc.md'}:3:8: error: unknown style 'gongwne' — did you mean 'gongwen'?" in err


@pytest.mark.e2e
def test_a_misspelt_style_is_reported_with_the_sources_other_problems(tmp_path, capsys):
    """One run names every fault: the style the front matter names with the date, the footnote and
    the div; a manifest's style with its missing chapter and its chapters' faults."""
    doc = tmp_path / "doc.md"
    doc.write_text(
        "---\ntitle: 文\nstyle: defualt\ndate: 2026-13-01\n---\n\n正文[^1]。\n\n::: caption\n图\n",
        encoding="utf-8",
    )
    assert main(["build", str(doc), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": error: ")[0] for line in err] == [f"{doc}:{n}" for n in ("3:8", "4:7", "7:3", "9:1")], err
    assert "unknown style 'defualt' — did you mean 'default'?" in err[0]
    # named on the command line, the build's style is the command line's: the front matter's is not looked up
    assert main(["build", str(doc), "-s", "default", "-o", str(tmp_path / "out")]) == 1
    assert "defualt" not in capsys.readouterr().err
    (tmp_path / "c1.md").write_text("---\ntitle: 一\n---\n\n正文[^x]。\n", encoding="utf-8")
    book = tmp_path / "book.yaml"
    book.write_text("title: 书\nstyle: book16k\nchapters:\n  - c1.md\n  - c2.md\n", encoding="utf-8")
    assert main(["build", str(book), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": error: ")[0] for line in err] == [f"{book}:2:8", f"{book}:5:5", f"{tmp_path / 'c1.md'}:5:3"]
    assert "did you mean 'book-16k'?" in err[0]
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "house.yaml").write_text("extends: default\n", encoding="utf-8")
    doc.write_text("---\ntitle: 文\nstyle: house\n---\n\n正文。\n", encoding="utf-8")
    assert main(["build", str(doc), "-f", "epub", "-o", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "doc.zh-Hans.epub").is_file()


# ---------------------------------------------------------------- plain-text sources


@pytest.mark.e2e
def test_a_plain_text_file_says_what_it_is_and_how_to_make_a_source(tmp_path, capsys):
    out = build(tmp_path, "# 旧稿\n\n正文。\n", "-f", "docx", name="old.md")
    before = (out / "old.zh-Hans.docx").read_bytes()
    (tmp_path / "notes.txt").write_text("第一章\n这是一段纯文本。\n　　第二段。\n", encoding="utf-8")
    assert main(["build", str(tmp_path / "notes.txt"), "-o", str(out), "-f", "docx"]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'notes.txt'}:1:1: error: this is plain text with no Markdown headings" in err
    assert (
        f"— run `zhengji-publish import {tmp_path / 'notes.txt'} -o {tmp_path / 'notes.md'}`" in err
        and "Traceback" not in err
    )
    assert sorted(p.name for p in out.iterdir()) == ["old.zh-Hans.docx"]
    assert (out / "old.zh-Hans.docx").read_bytes() == before


@pytest.mark.e2e
def test_a_text_file_that_is_markdown_builds(tmp_path):
    out = build(tmp_path, "# 第一章\n\n正文。\n", "-f", "docx", name="chapter.txt")
    paragraphs = docx.Document(str(out / "chapter.zh-Hans.docx")).paragraphs
    assert [(p.style.name, p.text) for p in paragraphs] == [("Heading 1", "第一章"), ("Normal", "正文。")]


# ---------------------------------------------------------------- invisible characters, Han-Latin gap

GAPS = (
    "---\ntitle: 测\nstyle: gapless.yaml\n---\n\n"
    "甲乙\u200b丙丁\u200c戊己\u200d庚辛\u2060壬癸\ufeff子丑\u00ad寅卯\n\n"
    "中文(注)中文\n\n"
    '中文"引"中文\n\n'
    "中文ABC中文12中文\n\n"
    "中文\u200bABC\u200b中文\n"
)


@pytest.fixture(scope="module")
def gaps(tmp_path_factory) -> list[tuple[str, list[float]]]:
    """Each body line of GAPS: its text and the gaps between neighbouring glyphs (points)."""
    folder = tmp_path_factory.mktemp("gaps")
    (folder / "gapless.yaml").write_text("extends: default\ntext:\n  quotes: keep\n", encoding="utf-8")
    out = build(folder, GAPS, "-f", "pdf", "-e", "zh-Hans")
    with pdfplumber.open(out / "doc.zh-Hans.pdf") as pdf:
        lines = pdf.pages[0].extract_text_lines()
    return [(line["text"], [b["x0"] - a["x1"] for a, b in pairwise(line["chars"])]) for line in lines]


@pytest.mark.e2e
def test_invisible_characters_add_nothing_in_the_pdf(gaps):
    text, between = next((t, g) for t, g in gaps if t.startswith("甲乙"))
    assert text == "甲乙丙丁戊己庚辛壬癸子丑寅卯"  # nothing drawn for them
    assert max(abs(g) for g in between) < 0.05  # and no gap where they were


@pytest.mark.e2e
def test_no_han_latin_gap_next_to_ascii_punctuation(gaps):
    for start in ("中文(注)", '中文"引"'):
        text, between = next((t, g) for t, g in gaps if t.startswith(start))
        assert max(abs(g) for g in between) < 0.05, text


@pytest.mark.e2e
def test_the_quarter_em_gap_goes_between_han_and_latin_letters_or_digits(gaps):
    quarter = 10.5 / 4
    text, between = next((t, g) for t, g in gaps if t.startswith("中文ABC中文12"))
    assert [i for i, g in enumerate(between) if g > quarter / 2] == [1, 4, 6, 8]
    assert all(g == pytest.approx(quarter, abs=0.5) for g in between if g > quarter / 2)
    text, between = next((t, g) for t, g in gaps if t.startswith("中文ABC中文") and "12" not in t)
    assert [round(g / quarter) for g in between] == [0, 1, 0, 0, 1, 0]  # one gap each side, not two


# ---------------------------------------------------------------- font substitution warnings


@pytest.mark.e2e
def test_font_substitutions_are_reported_once_at_the_line_of_their_role(tmp_path):
    """With the fonts scripts/setup installs: the 仿宋 and the 小标宋 are set in a 宋体, each said
    once for a run of two sources in three editions, all outputs written in parallel; SimSun,
    SimHei and KaiTi_GB2312 are set in faces of their own kind (Noto Serif CJK, Noto Sans CJK, AR
    PL UKai), which is no substitution to warn about."""
    import subprocess
    import sys

    style = Path(__file__).parents[1] / "src/zhengji_publish/styles/gongwen.yaml"
    role_lines = {
        line.split(":")[0].strip(): number
        for number, line in enumerate(style.read_text(encoding="utf-8").splitlines(), 1)
        if line.startswith("  ") and line.split(":")[0].strip() in ("serif", "sans", "kai", "fangsong", "display")
    }
    sources = []
    for name in ("a", "b"):
        src = tmp_path / f"{name}.md"
        src.write_text(
            "---\ntitle: 关于开展工作的通知\neditions: [zh-Hans, zh-Hant-TW, zh-Hant-HK]\n---\n\n"
            "# 一、总体要求\n\n正文。\n\n## （一）工作目标\n\n正文。\n",
            encoding="utf-8",
        )
        sources.append(str(src))
    result = subprocess.run(
        [sys.executable, "-m", "zhengji_publish", "build", *sources, "-o", str(tmp_path / "out"), "-s", "gongwen"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out").iterdir())) == 18
    warnings = [line for line in result.stderr.splitlines() if "is not installed" in line]
    assert warnings == [
        f"{style}:{role_lines['fangsong']}:3: warning: font 'FangSong_GB2312' (仿宋) for role 'fangsong' is not "
        "installed: its text is set in Noto Serif CJK, a 宋体 — no Debian package has a 仿宋: put the font's file "
        "(.ttf, .otf) into fonts/ beside the source or a --fonts folder, or list an installed 仿宋 first in the "
        "style's 'fonts: fangsong' (fc-list : family names the installed ones)",
        f"{style}:{role_lines['display']}:3: warning: font 'FZXiaoBiaoSong-B05' (小标宋) for role 'display' is not "
        "installed: its text is set in Noto Serif CJK, a 宋体 — no Debian package has a 小标宋: put the font's file "
        "(.ttf, .otf) into fonts/ beside the source or a --fonts folder, or list an installed 小标宋 first in the "
        "style's 'fonts: display' (fc-list : family names the installed ones)",
    ], result.stderr


@pytest.mark.unit
def test_a_family_of_unknown_kind_replaced_is_warned_about_with_what_to_do(tmp_path):
    """A family the kinds table does not know (a house font) is always said to be replaced, with
    the installed family named as the style writes it (no edition's SC/TC/HK), once for every
    edition; a replacement of the same kind (a 楷体 for a 楷体) is not."""
    from zhengji_publish.diagnostics import Reporter
    from zhengji_publish.fonts import FontBook
    from zhengji_publish.style import load_style

    style_file = tmp_path / "house.yaml"
    style_file.write_text(
        "extends: default\nfonts:\n  serif: [HouseSerif, Noto Serif CJK]\n  kai: [KaiTi, AR PL UKai]\n"
        "text:\n  emphasis: kai\n",
        encoding="utf-8",
    )
    reporter = Reporter()
    for region in ("SC", "TC", "HK"):
        FontBook(load_style(str(style_file)), region, reporter)
    assert [d.format() for d in reporter.warnings] == [
        f"{style_file}:3:3: warning: font 'HouseSerif' for role 'serif' is not installed: its text is set in "
        "Noto Serif CJK, a 宋体 — install it, or put the font's file (.ttf, .otf) into fonts/ beside the source or "
        "a --fonts folder, or list an installed family first in the style's 'fonts: serif' (fc-list : family "
        "names the installed ones)"
    ]


# ---------------------------------------------------------------- heading numbers

OFFICIAL = (
    "---\ntitle: 关于开展工作的通知\n---\n\n# 总体要求\n\n正文。\n\n## 工作目标\n\n正文。\n\n### 具体任务\n\n正文。\n\n"
    "#### 细则\n\n正文。\n\n#### 细则二\n\n## 三、手写编号\n\n## 保障措施\n\n# 组织实施\n\n## 加强领导\n"
)
NUMBERED = [
    "一、总体要求",
    "（一）工作目标",
    "1.具体任务",
    "（1）细则",
    "（2）细则二",
    "三、手写编号",
    "（三）保障措施",
    "二、组织实施",
    "（一）加强领导",
]


@pytest.mark.unit
def test_chinese_numerals_and_hand_numbered_headings():
    from zhengji_publish import model as m
    from zhengji_publish.headings import chinese_numeral, hand_numbered

    numerals = ["一", "九", "十", "十一", "二十", "二十一", "九十九"]
    assert [chinese_numeral(n) for n in (1, 9, 10, 11, 20, 21, 99)] == numerals
    for text in ("一、总体要求", "（二）目标", "3. 任务", "1.2 范围", "(1)细则", "第一章 总则", "第十二条 规定"):
        assert hand_numbered(m.Heading(1, [m.Text(text)])), text
    for text in ("总体要求", "一带一路建设", "2026年工作要点", "十分重要"):
        assert not hand_numbered(m.Heading(1, [m.Text(text)])), text


@pytest.mark.e2e
def test_gongwen_numbers_its_headings_in_every_format(tmp_path):
    out = build(tmp_path, OFFICIAL, "-s", "gongwen", "-e", "zh-Hans")
    paragraphs = docx.Document(str(out / "doc.zh-Hans.docx")).paragraphs
    assert [p.text for p in paragraphs if p.style.name.startswith("Heading")] == NUMBERED
    xhtml = "".join(epub_file(out / "doc.zh-Hans.epub", f"chapter-0{n}.xhtml") for n in (1, 2))
    import re

    assert re.findall(r"<h[1-6][^>]*>([^<]*)</h[1-6]>", xhtml) == NUMBERED
    with pdfplumber.open(out / "doc.zh-Hans.pdf") as pdf:
        lines = [line["text"].replace(" ", "") for page in pdf.pages for line in page.extract_text_lines()]
    assert [line for line in lines if line in NUMBERED] == NUMBERED


@pytest.mark.e2e
def test_other_styles_do_not_number_headings(tmp_path):
    out = build(tmp_path, OFFICIAL, "-f", "docx", "-e", "zh-Hans")
    headings = [p.text for p in docx.Document(str(out / "doc.zh-Hans.docx")).paragraphs if p.style.name != "Normal"]
    assert headings[:3] == ["关于开展工作的通知", "总体要求", "工作目标"]


# ---------------------------------------------------------------- what the README promises


@pytest.mark.e2e
def test_the_readme_examples_of_conversion_hold(tmp_path):
    out = build(tmp_path, "# 题\n\n他着手制定计划，说‘好’，又说“他说‘好’”。\n", "-e", "zh-Hant-TW", "-f", "docx")
    text = "".join(p.text for p in docx.Document(str(out / "doc.zh-Hant-TW.docx")).paragraphs)
    assert "他著手制定計畫，說「好」，又說「他說『好』」。" in text


@pytest.mark.unit
def test_page_breaks_are_known_blocks(tmp_path):
    from zhengji_publish import model as m
    from zhengji_publish.diagnostics import Reporter
    from zhengji_publish.reader import read_text

    reporter = Reporter()
    source = "甲\n\n::: pagebreak\n:::\n\n\\newpage\n\n  \\clearpage\n\n乙 \\newpage\n"
    doc = read_text(source, tmp_path / "x.md", reporter)
    assert reporter.warnings == []
    kinds = [(type(b).__name__, getattr(b, "cls", "")) for b in doc.blocks]
    assert kinds == [("Paragraph", ""), *[("Div", "pagebreak")] * 3, ("Paragraph", "")]
    assert m.plain_text(doc.blocks[-1].children) == "乙 \\newpage"  # not alone in its paragraph: text


@pytest.mark.e2e
def test_a_page_break_inside_a_notice_is_ignored_with_a_warning(tmp_path, capsys):
    source = (
        "\\newpage\n\n# 标题\n\n甲\n\n\\newpage\n\n\\newpage\n\n乙\n\n"
        ":::: notice\n丙\n\n::: pagebreak\n:::\n\n丁\n::::\n"
    )
    out = build(tmp_path, source, "-f", "pdf", "-f", "docx")
    assert f"{tmp_path / 'doc.md'}:16:1: warning: a page break inside a notice is ignored" in capsys.readouterr().err
    body = docx.Document(str(out / "doc.zh-Hans.docx")).element.body
    assert len(body.findall(".//w:br", body.nsmap)) == 2  # the one before the heading, one for the two in a row
    with pdfplumber.open(out / "doc.zh-Hans.pdf") as pdf:
        pages = [page.extract_text() for page in pdf.pages]
    assert len(pages) == 2  # no empty page for a break at the top of a page
    assert "甲" in pages[0] and all(word in pages[1] for word in "乙丙丁")


@pytest.mark.e2e
def test_the_heading_that_names_an_untitled_document_is_not_numbered(tmp_path):
    """Without a front-matter title the first heading is the 标题, which GB/T 9704 never numbers;
    the body's levels below it are numbered from 一、 on."""
    text = "# 中华人民共和国档案法\n\n## 总则\n\n为了加强档案管理，制定本法。\n\n## 档案机构\n\n正文。\n"
    out = build(tmp_path, text, "-s", "gongwen", "-e", "zh-Hans", "-f", "docx")
    paragraphs = docx.Document(str(out / "doc.zh-Hans.docx")).paragraphs
    headings = [p.text for p in paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["中华人民共和国档案法", "（一）总则", "（二）档案机构"]


@pytest.mark.e2e
def test_a_chapters_own_style_is_said_unused(tmp_path, capsys):
    """In a book a chapter's own ``style:`` is not used (the book's sets every chapter), and the
    build says so."""
    (tmp_path / "c1.md").write_text("---\ntitle: 一\nstyle: gongwen\n---\n\n正文。\n", encoding="utf-8")
    (tmp_path / "c2.md").write_text("---\ntitle: 二\n---\n\n正文二。\n", encoding="utf-8")
    book = tmp_path / "book.yaml"
    book.write_text("title: 书\nchapters:\n  - c1.md\n  - c2.md\n", encoding="utf-8")
    assert main(["build", str(book), "-f", "epub", "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert f"{tmp_path / 'c1.md'}:3:8: warning: a chapter's 'style: gongwen' is not used" in err
    assert main(["build", str(book), "-f", "epub", "--strict", "-o", str(tmp_path / "out2")]) == 1
