"""The Markdown reader, construct by construct, and its error messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CONSTRUCTS, SEED

from zhengji_publish import model as m
from zhengji_publish.diagnostics import Reporter, UserError
from zhengji_publish.reader import read_file, read_text

pytestmark = pytest.mark.unit


def parse(text: str, tmp_path: Path, reporter: Reporter | None = None) -> m.Document:
    src = tmp_path / "doc.md"
    src.write_text(text, encoding="utf-8")
    return read_file(src, reporter)


def test_constructs_become_typed_blocks():
    doc = read_file(CONSTRUCTS)
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == [
        "Heading",
        "Paragraph",
        "Paragraph",
        "Heading",
        "ListBlock",
        "ListBlock",
        "Heading",
        "BlockQuote",
        "CodeBlock",
        "ThematicBreak",
        "Heading",
        "Table",
        "Figure",
        "Div",
        "Div",
    ]
    assert doc.meta.title == "构件测试文档" and doc.meta.authors == ["测试编辑部", "张三"]
    para = doc.blocks[1]
    assert [type(n).__name__ for n in para.children][:6] == ["Text", "Strong", "Text", "Emph", "Text", "Code"]
    link = next(n for n in para.children if isinstance(n, m.Link))
    assert link.href == "https://example.org/path?q=1" and m.plain_text(link.children) == "链接"
    bullets, ordered = doc.blocks[4], doc.blocks[5]
    assert not bullets.ordered and ordered.ordered and len(bullets.items) == 3
    nested = bullets.items[1].children[1]
    assert isinstance(nested, m.ListBlock) and len(nested.items) == 2
    code = doc.blocks[8]
    assert code.lang == "python" and code.text.splitlines()[1] == '    return f"你好，{名字}"'
    table = doc.blocks[11]
    assert table.aligns == ["left", "right", "center"] and len(table.rows) == 2
    assert m.plain_text(table.rows[1][2].children) == "明确分工、压实责任"
    fig = doc.blocks[12]
    assert fig.image.path == CONSTRUCTS.parent / "figure.png" and m.plain_text(fig.caption) == "图1 示意图"
    assert [d.cls for d in doc.blocks[13:]] == ["byline", "notice"]
    assert doc.footnotes[0].number == 1 and m.plain_text(doc.footnotes[0].children[0].children) == "脚注内容，含强调。"


def test_soft_break_between_han_adds_no_space_but_latin_keeps_one():
    doc = read_file(CONSTRUCTS)
    text = m.plain_text(doc.blocks[1].children)
    assert "软换行在两个汉字之间不加空格" in text
    assert "English words keep their space." in text


def test_hard_break_and_footnote_reference():
    para = read_file(CONSTRUCTS).blocks[2]
    assert any(isinstance(n, m.LineBreak) for n in para.children)
    assert any(isinstance(n, m.FootnoteRef) and n.number == 1 for n in para.children)


def test_nodes_remember_source_lines():
    doc = read_file(CONSTRUCTS)
    lines = CONSTRUCTS.read_text(encoding="utf-8").split("\n")
    for block in m.iter_blocks(doc.blocks):
        if isinstance(block, m.Heading):
            assert lines[block.line - 1].lstrip("# ") == m.plain_text(block.children)


def test_seed_structure():
    doc = read_file(SEED)
    assert doc.meta.title == "树立和践行正确政绩观" and str(doc.meta.date) == "2026-03-16"
    assert doc.meta.editions == ["zh-Hans", "zh-Hant-TW"] and doc.meta.lang == "zh-CN"
    h1 = [m.plain_text(b.children) for b in doc.blocks if isinstance(b, m.Heading) and b.level == 1]
    assert h1 == ["凝心铸魂强根基 以民为本出实绩", "厚植为民情怀 砥砺实干担当"]
    h2 = [b for b in doc.blocks if isinstance(b, m.Heading) and b.level == 2]
    assert len(h2) == 6
    divs = [b.cls for b in doc.blocks if isinstance(b, m.Div)]
    assert divs == ["subtitle", "byline", "subtitle", "byline", "notice"]
    rejoined = [b for b in doc.blocks if isinstance(b, m.Paragraph) and "获悉" in m.plain_text(b.children)]
    assert len(rejoined) == 1
    notice = doc.blocks[-1]
    strong = [
        m.plain_text(n.children)
        for p in notice.children
        if isinstance(p, m.Paragraph)
        for n in p.children
        if isinstance(n, m.Strong)
    ]
    assert strong == ["12119", "119"]


def test_seed_rejoined_paragraph_and_notice_text():
    doc = read_file(SEED)
    ours = "".join(
        m.plain_text(b.children) for b in m.iter_blocks(doc.blocks) if isinstance(b, (m.Heading, m.Paragraph))
    )
    for piece in [
        "赤水市政府走访企业时，获悉一重点豆制品加工项目",
        "森林火险报警电话：12119 或 119。",
        "——各地扎实开展树立和践行正确政绩观学习教育",
    ]:
        assert piece in ours or piece in "".join(
            m.plain_text(p.children)
            for b in doc.blocks
            if isinstance(b, m.Div)
            for p in b.children
            if isinstance(p, m.Paragraph)
        )


def test_title_falls_back_to_first_heading(tmp_path):
    doc = parse("前言\n\n# 第一章 总则\n\n正文。\n", tmp_path)
    assert doc.meta.title == "第一章 总则"


@pytest.mark.parametrize(
    ("front", "heading"),
    [
        ("title: 树立和践行正确政绩观", "# 树立和践行正确政绩观"),
        ("title: '*新*时代的实践'", "# 新时代的*实践*"),  # the same text, whatever the marks
        ("title: 政绩观  学习", "#   政绩观 学习"),
        ("title: 学习读本", "## 学习读本"),
    ],
)
def test_a_first_heading_repeating_the_title_is_not_set_again(tmp_path, front, heading):
    doc = parse(f"---\n{front}\n---\n\n{heading}\n\n正文。\n\n## 第一节\n\n正文。\n", tmp_path)
    assert not doc.meta.title_derived  # set as the title, where a title goes
    assert [m.plain_text(h.children) for h in m.headings(doc)] == ["第一节"]
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Heading", "Paragraph"]


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: 通知\n---\n\n# 关于开展工作的通知\n\n正文。\n",  # another heading
        "---\ntitle: 通知\n---\n\n# 前言\n\n正文。\n\n# 通知\n",  # not the first heading
        "---\ntitle: 通知\n---\n\n::: notice\n# 通知\n:::\n",  # not the text's own heading
    ],
)
def test_a_heading_that_is_not_the_titles_repeat_stays(tmp_path, text):
    before = parse(text.replace("title: 通知\n", "author: 张三\n"), tmp_path)
    assert m.headings(parse(text, tmp_path)) == m.headings(before)


def test_raw_html_keeps_its_text_and_warns_of_the_tags_it_drops(tmp_path, capsys):
    rep = Reporter()
    text = "# 标题\n\n段落<span>文字</span>。\n\n<div>块</div>\n\n<video src=a.mp4>\n浏览器不支持\n</video>\n"
    doc = parse(text, tmp_path, rep)
    assert [m.plain_text(b.children) for b in doc.blocks[1:]] == ["段落文字。", "块"]
    msgs = [d.format() for d in rep.warnings]
    assert [s.split(": warning: ")[0].split(".md")[1] for s in msgs] == [":3:3", ":7:1"], msgs
    assert "raw HTML '<span>' dropped" in msgs[0] and "raw HTML <video> dropped" in msgs[1]


def test_raw_html_warnings_point_at_the_tags_lt(tmp_path):
    """Each dropped tag's warning at its own line and the column of its ``<`` (characters from 1),
    in a paragraph's later lines, a list item, a quote, a table cell, a heading and a link's text;
    once for each tag, none for a closing tag (its text is kept) or a tag the reader sets itself."""
    lines = [
        "正文<kbd>键</kbd>文字。",
        "第二行 <u>线</u>",
        "",
        "  <div>",
        "块",
        "</div>",
        "",
        "- 列表 <span>行</span>",
        "",
        "> 引用<br>文字<mark>亮</mark>",
        "",
        "| 甲 | 乙<sup>2</sup> |",
        "|---|---|",
        "| <em>丙</em> | 丁<kbd>又</kbd> |",
        "",
        "# 标题<small>小</small>",
        "",
        "[链接<sub>x</sub>](https://example.org)",
    ]
    rep = Reporter()
    parse("---\ntitle: 测试\n---\n\n" + "\n".join(lines) + "\n", tmp_path, rep)
    places = {}
    for d in rep.warnings:
        tag = d.message.split("'")[1]
        places.setdefault(tag, []).append((d.line, d.col))
        assert lines[(d.line or 0) - 5][(d.col or 0) - 1 :].startswith(tag), d.format()
    assert places == {
        "<kbd>": [(5, 3)],
        "<u>": [(6, 5)],
        "<span>": [(12, 6)],
        "<mark>": [(14, 11)],
        "<sup>": [(16, 8)],
        "<small>": [(20, 5)],
        "<sub>": [(22, 4)],
    }


def test_strict_turns_warnings_into_errors(tmp_path):
    with pytest.raises(UserError, match="raw HTML"):
        parse("# 标题\n\n<iframe src=https://example.org/v></iframe>\n", tmp_path, Reporter(strict=True))


@pytest.mark.parametrize(
    "text, where, what",
    [
        ("---\ntitle: [unclosed\n---\n# x\n", ":2:17:", "front matter is not valid YAML"),
        (
            "---\ntitle: 一\ndate: 2026-01-01\ntitle: 二\n---\n# x\n",
            ":4:1:",
            "'title' is given twice (first at line 2)",
        ),
        ("---\n公文:\n  份号: '01'\n  份号: '02'\n---\n# x\n", ":4:3:", "'份号' is given twice (first at line 3)"),
        ("---\ntitle: 标题\ncolour: red\n---\n# x\n", ":3:1:", "unknown front-matter key 'colour'"),
        ("---\neditions: [zh-Hant-XX]\n---\n# x\n", ":2:12:", "unknown edition 'zh-Hant-XX'"),
        ("---\ndate: someday\n---\n# x\n", ":2:7:", "'date: someday' is not a date"),
        ("---\nopencc: {zh-Hant-TW: s2xx}\n---\n# x\n", ":2:22:", "unknown OpenCC config 's2xx'"),
        ("# 标题\n\n正文\x07。\n", ":3:3:", "control character U+0007"),
        ("   \n\n", ":1:1:", "the source is empty"),
        ("# 标题\n\n![图](missing.png)\n", ":3:1:", "image 'missing.png' not found"),
        ("# 标题\n\n![图](https://example.org/x.png)\n", ":3:1:", "remote image"),
    ],
)
def test_bad_input_is_one_located_message(tmp_path, text, where, what):
    with pytest.raises(UserError) as info:
        parse(text, tmp_path, Reporter(strict=True))  # a remote image is a warning, an error only when strict
    message = str(info.value)
    assert where in message and what in message and " — " in message


@pytest.mark.parametrize(
    "value, message",
    [
        (
            "2026-02-30",  # YAML takes it for a timestamp and fails: read again as text, checked here
            "'date: 2026-02-30' is a day that does not exist: February 2026 has 28 days — write a day from 01 "
            "to 28, e.g. 2026-02-28",
        ),
        ("'2026-02-30'", "'date: 2026-02-30' is a day that does not exist: February 2026 has 28 days"),
        ("2028-02-30", "'date: 2028-02-30' is a day that does not exist: February 2028 has 29 days"),
        ("2026-04-31", "'date: 2026-04-31' is a day that does not exist: April 2026 has 30 days"),
        ("2026-13-01", "'date: 2026-13-01' is not a date: there is no month 13 (months run from 01 to 12) — "),
        ("2026-00-10", "there is no month 0"),
        ("2026-2-3", "'date: 2026-2-3' is not in the form YYYY-MM-DD (two digits each for month and day, "),
        ("2026-2-3", "— write it 2026-02-03"),
        ('"2026/03/16"', "'date: 2026/03/16' is not in the form YYYY-MM-DD"),
        ("20260316", "'date: 20260316' is not in the form YYYY-MM-DD (two digits each for month and day, joined"),
        ("2026", "'date: 2026' is a year, not a date — write the whole date as year-month-day, e.g. 2026-03-16"),
        ("2026年2月29日", "'date: 2026年2月29日' is a day that does not exist: February 2026 has 28 days"),
        ("2026-03-16T25:00", "'date: 2026-03-16T25:00' has a time that is not one — write the date alone, 2026-03-16"),
        ("下周一", "'date: 下周一' is not a date — write it as year-month-day, e.g. 2026-03-16"),
        ("", "'date' is empty — write a date as year-month-day"),
    ],
)
def test_a_date_that_is_none_says_why_at_its_value(tmp_path, value, message):
    with pytest.raises(UserError) as info:
        parse(f"---\ntitle: 标题\ndate: {value}\n---\n\n正文。\n", tmp_path)
    assert str(info.value).startswith(f"{tmp_path / 'doc.md'}:3:{7 if value else 6}: error: ")
    assert message in str(info.value) and len(info.value.diagnostics) == 1


@pytest.mark.parametrize(
    "value, date",
    [
        ("2026-03-16", (2026, 3, 16)),
        ("'2026-03-16'", (2026, 3, 16)),  # a string, not a YAML date
        ("2024-02-29", (2024, 2, 29)),
        ("2026年3月6日", (2026, 3, 6)),
        ("2026-03-16 09:30:00", (2026, 3, 16)),
        ("2026-03-16T09:30:00+08:00", (2026, 3, 16)),
    ],
)
def test_a_date_is_read_as_written(tmp_path, value, date):
    import datetime as dt

    assert parse(f"---\ntitle: 标题\ndate: {value}\n---\n\n正文。\n", tmp_path).meta.date == dt.date(*date)


def test_invalid_utf8_names_line_and_column(tmp_path):
    src = tmp_path / "bad.md"
    src.write_bytes("# 标题\n\n正文".encode() + b"\xff\xfe" + "。\n".encode())
    with pytest.raises(UserError, match=r"bad\.md:3:3: error: invalid UTF-8 byte 0xff"):
        read_file(src)


def test_unsupported_image_format(tmp_path):
    (tmp_path / "pic.bmp").write_bytes(b"BM")
    with pytest.raises(UserError, match="image .pic.bmp. is not a readable PNG, JPEG or GIF file"):
        parse("![图](pic.bmp)\n", tmp_path)


def test_div_class_forms(tmp_path):
    doc = read_text("::: {.byline}\n甲\n:::\n\n::: notice\n乙\n:::\n", tmp_path / "x.md")
    assert [b.cls for b in doc.blocks] == ["byline", "notice"]


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: x\n\n# 标题\n\n正文。\n\n---\n\n更多。\n",
        "---\ntitle: 文章\nauthor: 张三\n\n## 第一节\n\n这是正文，说明情况。\n\n---\n",
        "---\ntitle: x\n\n正文第一段。\n\n第二段。\n---\n\n尾声。\n",
    ],
)
def test_a_front_matter_running_on_to_a_later_rule_is_reported_unclosed(tmp_path, text):
    """The block between the first '---' and a later rule holds Markdown (headings, paragraphs
    after blank lines): one message at 1:1 saying it looks unclosed, not a YAML syntax error."""
    with pytest.raises(UserError) as info:
        parse(text, tmp_path)
    assert str(info.value).endswith(
        "doc.md:1:1: error: the front matter opened by '---' here looks never closed: it runs on into the "
        "text (headings, paragraphs) up to a later '---' — end it with a line '---' after its last key"
    )
    assert "not valid YAML" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        # a key without its ':' — the offending line, not the next one
        ("---\ntitle: x\nfoo\nbar: y\n---\n# x\n", ":3:1:"),
        ("---\ntitle: x\nfoo\n\n---\n# x\n", ":3:1:"),
        # a bracket never closed: at the bracket, whether or not a key follows
        ("---\nauthor: [甲\nfoo: b\n---\n# x\n", ":2:9:"),
        ("---\ntitle: x\nkeywords: [a, b\n\n---\n# x\n", ":3:11:"),
        # an error where PyYAML stands is kept there
        ("---\ntitle: x\n  bad: y\n---\n# x\n", ":3:6:"),
        ("---\ntitle: x\n- a\n---\n# x\n", ":3:1:"),
    ],
)
def test_a_yaml_syntax_error_is_located_at_its_line(tmp_path, text, where):
    with pytest.raises(UserError) as info:
        parse(text, tmp_path)
    message = str(info.value)
    assert f"doc.md{where} error: front matter is not valid YAML" in message, message


@pytest.mark.parametrize(
    ("text", "where", "quote"),
    [
        # nothing closes it: PyYAML reads on to the end ("found unexpected end of stream")
        ('---\ntitle: "政绩观\nauthor: 张三\ndate: 2026-03-16\n---\n\n# 标题\n', ":2:8:", '"'),
        ("---\ntitle: '政绩观\nauthor: 张三\n---\n\n# 标题\n", ":2:8:", "'"),
        ('---\ntitle: 标题\nkeywords: ["甲, 乙]\nlang: zh-CN\n---\n\n# 标题\n', ":3:12:", '"'),
        # a later value's quote closes it, and the parser fails on that line instead
        ('---\ntitle: "政绩观\nauthor: "张三"\n---\n\n# 标题\n', ":2:8:", '"'),
        ('---\ntitle: 标题\nkeywords:\n  - "甲\n  - "乙"\n---\n\n# 标题\n', ":4:5:", '"'),
    ],
)
def test_an_unclosed_quote_is_our_message_at_the_quote(tmp_path, text, where, quote):
    with pytest.raises(UserError) as info:
        parse(text, tmp_path)
    assert str(info.value).endswith(
        f"doc.md{where} error: unclosed quote: the {quote} opened here is never closed, so the lines after it "
        f"are read as part of this value — close it with {quote} where the value ends"
    )
    assert len(info.value.diagnostics) == 1 and "stream" not in str(info.value)


def test_a_quoted_value_over_several_lines_is_no_unclosed_quote(tmp_path):
    doc = parse('---\ntitle: "政绩观\n  学习读本"\n---\n\n正文。\n', tmp_path)
    assert doc.meta.title == "政绩观 学习读本"


def test_every_independent_fault_of_a_source_is_reported_in_one_run(tmp_path):
    """The front matter's keys, a footnote, an image of each block, a div never closed (and an image
    inside it): each at its line and column, in line order, as a compiler reports them."""
    text = (
        "---\ntitle: 测试\ndate: 2026-02-30\ncolour: red\n---\n\n# 标题\n\n正文[^x]。\n\n![图](gone.png)\n\n"
        "::: notice\n未闭合\n\n![图2](gone2.png)\n"
    )
    with pytest.raises(UserError) as info:
        parse(text, tmp_path)
    got = [(d.line, d.col, d.message.split(" — ")[0]) for d in info.value.diagnostics]
    assert got == [
        (3, 7, "'date: 2026-02-30' is a day that does not exist: February 2026 has 28 days"),
        (4, 1, "unknown front-matter key 'colour'"),
        (9, 3, "footnote [^x] is not defined"),
        (11, 1, "image 'gone.png' not found"),
        (13, 1, "the fenced div '::: notice' opened here is never closed"),
        (16, 1, "image 'gone2.png' not found"),
    ]


def test_front_matter_value_errors_point_at_the_value(tmp_path):
    """Every problem of the front matter at its value's column, the editions' at the tag."""
    text = "---\ntitle: x\neditions: [zh-Hans, zh-Hant-XX]\nopencc: {zh-Hant-TW: s2xx}\nlang: xx\ntoc: 是\n---\n# x\n"
    with pytest.raises(UserError) as info:
        parse(text, tmp_path)
    lines = [line.split(" error: ")[0].rsplit("doc.md", 1)[1] for line in str(info.value).splitlines()]
    assert lines == [":3:21:", ":4:22:", ":5:7:", ":6:6:"]  # the editions' and the keys' own, in one run


def test_table_cells_a_row_drops_are_warned_about_at_the_first_dropped(tmp_path):
    """GFM drops a row's cells past its header's (§4.10): their text would be lost without a word.
    A pipe in a code span splits a cell too (escape it: ``\\|``); a short row is padded (no loss)."""
    rep = Reporter()
    text = (
        "# 表\n\n| 甲 | 乙 | 丙 |\n|:--|:-:|--:|\n| 1 | 2 | 3 | 4 | 5 |\n| 5 |\n| a \\| b | c | d |\n"
        "| `x|y` | 2 | 3 |\n\n- 项\n\n  | 一 | 二 |\n  |---|---|\n  | 1 | 2 | 3 |\n"
    )
    doc = parse(text, tmp_path, rep)
    assert [len(r) for t in m.query(doc, m.Table, lambda t: t) for r in t.rows] == [3, 3, 3, 3, 2]
    msgs = [d.format() for d in rep.warnings]
    assert len(msgs) == 3, msgs
    assert ":5:14: warning: this table row has 5 cells, its header 3: the last 2 are dropped" in msgs[0]
    assert ":8:14: warning: this table row has 4 cells, its header 3: the last 1 are dropped" in msgs[1]
    assert ":14:12: warning: this table row has 3 cells, its header 2" in msgs[2]


def test_a_table_whose_rule_row_has_another_count_of_cells_is_warned_about(tmp_path):
    """A header over a ``---`` row of another width is no table (GFM §4.10): its pipes would be
    printed as text without a word."""
    rep = Reporter()
    doc = parse("# 表\n\n| 甲 | 乙 | 丙 |\n|---|---|\n| 1 | 2 | 3 |\n\n| 甲 | 乙 |\n|---|---|\n", tmp_path, rep)
    assert isinstance(doc.blocks[1], m.Paragraph) and isinstance(doc.blocks[2], m.Table)
    msgs = [d.format() for d in rep.warnings]
    assert len(msgs) == 1, msgs
    assert ":4:2: warning: not a table: its header row has 3 cells, the row of '---' under it 2" in msgs[0]


@pytest.mark.parametrize(
    ("mark", "title"),
    [("NOTE", "说明"), ("TIP", "提示"), ("IMPORTANT", "重要"), ("WARNING", "警告"), ("caution", "注意")],
)
def test_a_github_alert_is_a_notice_titled_in_chinese(tmp_path, mark, title):
    """GitHub's ``> [!NOTE]`` quote is a notice: its kind the title, its text the notice's."""
    doc = parse(f"# 标题\n\n> [!{mark}]\n> 快传 2.0 已发布，\n> 新增**断点续传**。\n>\n> 第二段。\n", tmp_path)
    notice = doc.blocks[1]
    assert isinstance(notice, m.Div) and notice.cls == "notice"
    heading, first, second = notice.children
    assert isinstance(heading, m.Heading) and m.plain_text(heading.children) == title
    assert m.plain_text(first.children) == "快传 2.0 已发布，新增断点续传。"  # type: ignore[union-attr]
    assert m.plain_text(second.children) == "第二段。"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text", ["> [!NOTE] 同一行的文字\n> 引用。\n", "> 引用。\n> [!NOTE]\n", "> [!NOTES]\n> 引用。\n"]
)
def test_a_quote_that_is_no_alert_stays_a_quote(tmp_path, text):
    doc = parse("# 标题\n\n" + text, tmp_path)
    assert isinstance(doc.blocks[1], m.BlockQuote)
    assert "[!NOTE" in m.plain_text(doc.blocks[1].children[0].children)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "::: notice\n外层。\n\n::: byline\n记者 张三\n:::\n\n正文。\n:::\n",  # pandoc: a bare ':::' closes the inner
        ":::: notice\n外层。\n\n::: byline\n记者 张三\n:::\n\n正文。\n::::\n",  # already nested
        "::: notice\n外层。\n\n::::: byline\n记者 张三\n:::\n\n正文。\n:::\n",  # the inner one longer
    ],
)
def test_fenced_divs_nest_as_pandoc_nests_them(tmp_path, text):
    """An opening fence has a class, a closing one is colons alone and closes the innermost div,
    whatever the lengths (pandoc's fenced_divs)."""
    doc = parse("# 标题\n\n" + text + "\n结尾。\n", tmp_path)
    notice, end = doc.blocks[1:]
    assert isinstance(notice, m.Div) and notice.cls == "notice"
    assert [type(b).__name__ for b in notice.children] == ["Paragraph", "Div", "Paragraph"]
    assert notice.children[1].cls == "byline"  # type: ignore[union-attr]
    assert m.plain_text(end.children) == "结尾。"  # type: ignore[union-attr]


def test_a_colon_line_in_code_does_not_close_the_div_around_it(tmp_path):
    """pandoc reads a code block whole: its ':::' line is code, not the div's end."""
    doc = parse("# 标题\n\n::: notice\n```\n:::\n```\n:::\n\n结尾。\n", tmp_path)
    notice = doc.blocks[1]
    assert isinstance(notice, m.Div) and [type(b).__name__ for b in notice.children] == ["CodeBlock"]
    assert notice.children[0].text == ":::"  # type: ignore[union-attr]
