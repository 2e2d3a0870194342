"""``zhengji-publish check``: the ranked list of doubtful places, its TSV/JSON forms and the HTML page."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from zhengji_publish.cli import main

SOURCE = (
    "---\ntitle: 干部\n---\n# 标题\n\n他的头发干了，在党员干部中营造氛围。他只能在旁边干看着，晚饭点了松脆饼干。\n\n"
    "大家出来了。广泛听民意、汇民智。\n"
)


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(SOURCE, encoding="utf-8")
    return path


@pytest.mark.unit
@pytest.mark.parametrize("given", ["front matter", "option"])
def test_check_refuses_a_style_build_would_refuse(tmp_path, capsys, given):
    """``check`` looks the style up as ``build`` does: a misspelt name is the same error, located
    at the front matter's value or told of ``-s``, with the nearest name, and no report."""
    src = tmp_path / "a.md"
    if given == "front matter":
        src.write_text(SOURCE.replace("title: 干部\n", "title: 干部\nstyle: defualt\n"), encoding="utf-8")
        args = ["check", str(src), "-e", "zh-Hant-TW"]
    else:
        src.write_text(SOURCE, encoding="utf-8")
        args = ["check", str(src), "-s", "nosuch", "-e", "zh-Hant-TW"]
    assert main(args) != 0
    out, err = capsys.readouterr()
    where = f"{src}:3:8: " if given == "front matter" else "zhengji-publish: "
    assert out == "" and err.startswith(f"{where}error: unknown style '") and err.count("\n") == 1


@pytest.mark.unit
def test_ranked_places_most_doubtful_first(source, capsys):
    assert main(["check", str(source), "-e", "zh-Hant-TW"]) == 0
    out = capsys.readouterr().out.splitlines()
    # a lone 汇 no rule decided, then the rules' choices, then the forms of dictionary words
    assert out[0].startswith(f"{source}:8:13: 汇 → 匯 (not 彙/滙) in “…广泛听民意、汇民智。”")
    assert "no rule matched" in out[0]
    assert out[1].startswith(f"{source}:6:5: 干 → 乾 (not 幹/干/榦)") and "context-rules.txt:" in out[1]
    assert out[2].startswith(f"{source}:6:25: 干 → 乾") and "in vain" in out[2]
    assert out[-1] == f"{source}: zh-Hant-TW (s2tw): {len(out) - 1} places where the form depended on the context"
    # nothing was decided for 了, 党, 出 (their usual forms): they are not listed, but --all lists them
    assert not any(" 了 → " in line or " 党 → " in line for line in out)
    assert main(["check", str(source), "-e", "zh-Hant-TW", "--all"]) == 0
    every = capsys.readouterr().out.splitlines()
    assert any(" 了 → 了 in" in line for line in every) and any(" 党 → 黨 in" in line for line in every)
    assert len(every) > len(out) + 4


@pytest.mark.unit
def test_tsv_and_json(source, capsys):
    assert main(["check", str(source), "-e", "zh-Hant-HK", "--format", "tsv"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert rows[0] == [
        "source",
        "edition",
        "line",
        "column",
        "char",
        "chosen",
        "alternatives",
        "doubt",
        "context",
        "rule",
    ]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert [first[k] for k in ("line", "column", "char", "chosen", "doubt")] == ["8", "13", "汇", "匯", "3"]
    assert main(["check", str(source), "-e", "zh-Hant-TW", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    places = data[0]["places"]
    assert data[0]["edition"] == "zh-Hant-TW" and places[0]["doubt"] >= places[-1]["doubt"]
    dry = [p for p in places if p["line"] == 6 and p["column"] == 5][0]
    assert dry["chosen"] == "乾" and dry["alternatives"] == ["幹", "干", "榦"] and "context-rules.txt" in dry["rule"]


@pytest.mark.unit
def test_bad_flags_are_friendly(source, capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["check", str(source), "--format", "xml"])
    assert exc.value.code == 2
    assert "argument --format: invalid choice: 'xml'" in capsys.readouterr().err
    other = tmp_path / "b.md"
    other.write_text("干\n", encoding="utf-8")
    assert main(["check", str(source), str(other), "--html", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert "error: --html writes the page of one source or one book" in err and "Traceback" not in err
    assert not (tmp_path / "r.html").exists()


@pytest.mark.e2e
@pytest.mark.external
def test_html_page_in_chromium(source, tmp_path, capsys):
    page = tmp_path / "report.html"
    assert main(["check", str(source), "-e", "zh-Hant-TW", "--html", str(page)]) == 0
    listed = [
        line for line in capsys.readouterr().out.splitlines() if re.match(rf"{re.escape(str(source))}:\d+:\d+:", line)
    ]
    base = _chromium(tmp_path)
    dom = _dom(base, page)
    marks = re.findall(r'<mark class="doubt-(\d)" title="([^"]*)" tabindex="0" data-note="[^"]*">([^<]*)</mark>', dom)
    assert len(marks) == len(listed)  # one highlight per doubtful place
    assert ("3", "汇 → 匯；其他：彙、滙；no rule matched: OpenCC's usual form of a lone 汇", "匯") in marks
    assert any(title.startswith("干 → 乾；其他：幹、干、榦；context-rules.txt:") for _, title, _ in marks)
    assert "他的頭" in dom and "在黨員" in dom  # the converted text around the highlights
    assert f'href="{source.name}#L6"' in dom  # beside the page: the two can move together
    assert page.stat().st_mode & 0o777 == 0o644  # readable as the build's outputs, not a temporary file's 0600
    shot = tmp_path / "report.png"
    subprocess.run(
        [*base, f"--screenshot={shot}", "--window-size=900,500", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.stat().st_size > 5000


def _chromium(tmp_path) -> list[str]:
    """The headless Chromium command, with a profile of its own under ``tmp_path``."""
    chromium = shutil.which("chromium")
    assert chromium, "Chromium is missing (Debian package 'chromium')"
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}"]


def _dom(base: list[str], page) -> str:
    """The page's DOM as Chromium built it."""
    return subprocess.run(
        [*base, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120, check=True
    ).stdout


@pytest.mark.e2e
@pytest.mark.external
def test_html_page_of_a_book(tmp_path, capsys):
    """A book manifest's page: each chapter in the book's order, converted as the book says (its
    editions), each doubtful place the text report lists highlighted in its chapter's section."""
    (tmp_path / "a.md").write_text("---\ntitle: 一\n---\n\n他的头发干了，广泛听民意、汇民智。\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: 二\n---\n\n衣服还没干，他只能在旁边干看着。\n", encoding="utf-8")
    book = tmp_path / "book.yaml"
    book.write_text("title: 书\neditions: [zh-Hans, zh-Hant-TW]\nchapters:\n  - b.md\n  - a.md\n", encoding="utf-8")
    page = tmp_path / "report.html"
    assert main(["check", str(book), "--html", str(page)]) == 0
    listed = re.findall(r"^(\S+\.md):\d+:\d+: (\S) → (\S)", capsys.readouterr().out, re.M)
    dom = _dom(_chromium(tmp_path), page)
    chapters = re.findall(
        r'<section class="chapter" id="(c\d)"><h2>([^<]*)</h2>(.*?)</ol></section></section>', dom, re.S
    )
    assert [(k, Path(name).name) for k, name, _ in chapters] == [("c1", "b.md"), ("c2", "a.md")]
    for (k, name, body), source in zip(chapters, ("b.md", "a.md"), strict=True):
        assert f'id="{k}-zh-Hant-TW-L5"' in body and f'href="{source}#L5"' in body
        assert "不需轉換" in body.split("zh-Hant-TW")[0]  # zh-Hans, the book's first edition: nothing converted
        marks = re.findall(r'<mark class="doubt-\d" title="(\S) → (\S)', body)
        assert sorted(marks) == sorted((c, f) for s, c, f in listed if Path(s).name == source), name
    text = re.sub(r"<[^>]+>", "", dom)
    assert "衣服還沒乾" in text and "他的頭髮乾了" in text  # the converted text, highlights and all


@pytest.mark.unit
def test_seed_article_lists_only_real_doubts(capsys):
    """The 11 KB seed article: every character with several forms is in --all, a handful is ranked."""
    from conftest import SEED

    assert main(["check", str(SEED), "-e", "zh-Hant-TW", "--all"]) == 0
    every = [line for line in capsys.readouterr().out.splitlines() if line.startswith(f"{SEED}:") and " → " in line]
    assert main(["check", str(SEED), "-e", "zh-Hant-TW"]) == 0
    ranked = [line for line in capsys.readouterr().out.splitlines() if line.startswith(f"{SEED}:") and " → " in line]
    assert len(every) > 200 and 0 < len(ranked) < 30
    # nothing is listed whose form is the character's usual one inside a dictionary word (发展 → 發展)
    assert not any("发展" in line.split(": ", 1)[1] and "发 → 發" in line for line in ranked)
    assert all(
        ("no rule matched" in line) or ("context-rules.txt" in line) or ("OpenCC" in line) or ("Taiwan usage" in line)
        for line in ranked
    )
    # Taiwan's 計畫 (not OpenCC's 計劃) says where it comes from
    assert any("划 → 畫" in line and "Taiwan usage word 计划 → 計畫" in line for line in ranked)


@pytest.mark.unit
def test_the_page_links_its_source_relative_to_where_it_is_written(source, tmp_path):
    from zhengji_publish.checkpage import page

    (tmp_path / "reports").mkdir()
    html = page(source, ["zh-Hant-TW"], folder=tmp_path / "reports")
    assert f'href="../{source.name}#L' in html and "file:" not in html


QUOTED = """---
title: 关于“发展”的说明
editions: [zh-Hans, zh-Hant-TW, zh-Hant-HK]
---

# 他说“计划要‘发布’了”

他说：“我们的‘软件’计划已经发布，请大家‘支持’。”这是头
发干了的时候说的。

- 列表里的“引号‘嵌套’测试”项目
- 另一项"直引号"测试

她问："你看过'那本书'吗？"[^1]

| 表头“甲” | 表头乙 |
|---|---|
| 单元格“内容‘嵌套’” | 信息 |

[^1]: 脚注里的“引文‘内层’”说明。

参见[“网站”](https://example.com/发展)和 <https://example.com/发布>。
"""

# Written by hand from Taiwan's and Hong Kong's print: corner brackets, 『』 inside 「」; Taiwan's
# 計畫 and 發布 (data/taiwan-usage.txt), Hong Kong's 計劃 and 發佈; a word wrapped over two source
# lines is one word (頭髮); an address shown as written.
PRINTED = {
    "zh-Hans": ["他说“计划要‘发布’了”", "另一项“直引号”测试", "她问：“你看过‘那本书’吗？”", "https://example.com/发布"],
    "zh-Hant-TW": [
        "關於「發展」的說明",
        "他說「計畫要『發布』了」",
        "他說：「我們的『軟件』計畫已經發布，請大家『支持』。」這是頭髮乾了的時候說的。",
        "列表裡的「引號『嵌套』測試」項目",
        "另一項「直引號」測試",
        "她問：「你看過『那本書』嗎？」",
        "單元格「內容『嵌套』」",
        "腳註裡的「引文『內層』」說明。",
        "參見「網站」和 https://example.com/发布。",
    ],
    "zh-Hant-HK": [
        "關於「發展」的説明",
        "他説「計劃要『發佈』了」",
        "他説：「我們的『軟件』計劃已經發佈，請大家『支持』。」這是頭髮乾了的時候説的。",
        "列表裏的「引號『嵌套』測試」項目",
        "腳註裏的「引文『內層』」説明。",
        "參見「網站」和 https://example.com/发布。",
    ],
}
_QUOTE_MARKS = "“”‘’「」『』\"'"
_HAN = re.compile(r"[\u3400-\u9fff“”‘’「」『』]")


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _rendered(tmp_path: Path, page: Path) -> str:
    """The page's text as Chromium lays it out: printed to PDF, read back by pdftotext."""
    rendered = tmp_path / f"{page.stem}.pdf"
    subprocess.run(
        [*_chromium(tmp_path), "--no-pdf-header-footer", f"--print-to-pdf={rendered}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return _pdftotext(rendered)


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant-TW", "zh-Hant-HK"])
def test_page_prints_the_publications_text(tmp_path, capsys, edition):
    """The page's text of each edition, as Chromium renders it, is the text of the edition's PDF:
    the same quotation marks in the same order (「『』」 nested in Taiwan and Hong Kong), the same
    words (Taiwan usage, a word wrapped over two lines), addresses as written."""
    source = tmp_path / "q.md"
    source.write_text(QUOTED, encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path / "out"), "-f", "pdf", "-e", edition]) == 0
    printed = _pdftotext(tmp_path / "out" / f"q.{edition}.pdf")
    page = tmp_path / "report.html"
    assert main(["check", str(source), "-e", edition, "--html", str(page)]) == 0
    capsys.readouterr()
    shown = _rendered(tmp_path, page).split(f"{edition} (", 1)[1].split("\n", 1)[1]  # below the edition's heading
    flat_printed, flat_shown = re.sub(r"\s+", "", printed), re.sub(r"\s+", "", shown)
    for text in PRINTED[edition]:
        assert re.sub(r"\s+", "", text) in flat_printed, text
        assert re.sub(r"\s+", "", text) in flat_shown, text
    assert [c for c in shown if c in _QUOTE_MARKS] == [c for c in printed if c in _QUOTE_MARKS]
    assert "".join(_HAN.findall(shown)) == "".join(_HAN.findall(printed))


@pytest.mark.unit
def test_page_numbers_headings_and_changes_words_as_the_edition(tmp_path):
    """The style's heading numbers (gongwen: 一、（一）) and a vocabulary conversion (s2twp: 方便面 →
    泡麵) are on the page as in the edition, each highlight on the form the edition prints."""
    from zhengji_publish.ambiguity import gather
    from zhengji_publish.checkpage import page

    source = tmp_path / "g.md"
    source.write_text(
        "---\ntitle: 关于“计划”的通知\nstyle: gongwen\neditions: [zh-Hant-TW]\nopencc: {zh-Hant-TW: s2twp}\n---\n\n"
        "# 总体“要求”\n\n他在网络上买了方便面，头发干了。\n\n## 具体“措施”\n\n正文里的“引号”。\n",
        encoding="utf-8",
    )
    shown = page(source, [])
    text = re.sub(r"<[^>]+>", "", shown)
    assert "一、總體「要求」" in text and "（一）具體「措施」" in text and "關於「計畫」的通知" in text
    assert "他在網路上買了泡麵，頭髮乾了。" in text and "正文裡的「引號」。" in text
    marks = re.findall(r'<mark class="doubt-\d" title="(\S) → ([^；]+)；[^"]*"[^>]*>([^<]*)</mark>', shown)
    _, _, reports = gather(source, [], False)
    assert sorted(marks) == sorted((c.char, c.chosen, c.chosen) for c in reports[0].found)
    assert ("面", "泡麵", "泡麵") in marks and ("发", "髮", "髮") in marks


@pytest.mark.e2e
@pytest.mark.external
def test_page_follows_the_style_named_as_the_build_does(tmp_path, capsys):
    """``check -s STYLE --html`` makes the text with STYLE, as ``build -s STYLE``: a style keeping the
    marks as written (``text.quotes: keep``) prints “‘’” in the Taiwan edition, in the PDF and on the page."""
    source = tmp_path / "k.md"
    source.write_text("---\neditions: [zh-Hant-TW]\n---\n\n他说“计划要‘发布’了”。\n", encoding="utf-8")
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "keep.yaml").write_text("extends: default\ntext:\n  quotes: keep\n", encoding="utf-8")
    styled = ["-s", "keep", "--styles", str(tmp_path / "styles")]
    assert main(["build", str(source), "-o", str(tmp_path / "out"), "-f", "pdf", *styled]) == 0
    assert "他說“計畫要‘發布’了”。" in _pdftotext(tmp_path / "out" / "k.zh-Hant-TW.pdf")
    page = tmp_path / "report.html"
    assert main(["check", str(source), "--html", str(page), *styled]) == 0
    assert "他說“計畫要‘發布’了”。" in _rendered(tmp_path, page)
    assert main(["check", str(source), "--html", str(page)]) == 0  # the front matter's style: default
    capsys.readouterr()
    assert "他說「計畫要『發布』了」。" in _rendered(tmp_path, page)


@pytest.mark.unit
def test_page_prints_list_labels_as_the_publications(tmp_path):
    """An item's label (``3.``, ``•``, nested lists too) opens its text on the page, as the PDF and
    the DOCX print it (writers.lists.label); the page left the labels out."""
    from zhengji_publish.checkpage import page

    source = tmp_path / "l.md"
    source.write_text(
        "---\ntitle: 清单\neditions: [zh-Hant-TW]\n---\n\n"
        "3. 第一项发展\n4. 第二项\n\n   - 子项甲\n   - 子项乙\n\n正文。\n",
        encoding="utf-8",
    )
    text = re.sub(r"<[^>]+>", "", page(source, []))
    assert re.search(r"3\. 第一項發展.*4\. 第二項.*• 子項甲.*• 子項乙", text, re.S), text


@pytest.mark.unit
def test_a_report_that_cannot_be_written_is_told_with_its_cause(tmp_path, capsys):
    """``--html`` into a path under a file: one message naming the report, the cause in words and
    the file in the way, exit 1 as for the build's outputs (it said "(File exists)", exit 2)."""
    source = tmp_path / "a.md"
    source.write_text(SOURCE, encoding="utf-8")
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    page = tmp_path / "afile" / "r.html"
    assert main(["check", str(source), "--html", str(page)]) == 1
    assert capsys.readouterr().err == (
        f"{page}: error: cannot write the report: exists and is not a folder ({tmp_path / 'afile'}) — "
        "name a folder, or move the file away\n"
    )


@pytest.mark.unit
def test_check_tells_a_misspelt_style_with_the_sources_other_problems(tmp_path, capsys):
    """A source with a misspelt style and a missing image: ``check`` tells both, in line order,
    as ``build`` does (it told the image alone)."""
    src = tmp_path / "a.md"
    src.write_text("---\ntitle: 样\nstyle: defualt\n---\n\n![图](nofile.png)\n", encoding="utf-8")
    assert main(["check", str(src)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": error: ")[0] for line in err] == [f"{src}:3:8", f"{src}:6:1"], err
