"""Traditional editions: OpenCC configs, corrections, overrides, quotation marks, the check report.

Golden sentences: each known wrong conversion of stock OpenCC 1.4.2 with its correct form, the
conversions stock OpenCC already gets right (which a correction must not break), and the text a
correction key could cut across by mistake.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import DATA, ROOT, SEED

from zhengji_publish import editions
from zhengji_publish import model as m
from zhengji_publish.ambiguity import choices, one_to_many
from zhengji_publish.cli import main
from zhengji_publish.conversion import Converter, convert_text, load_overrides, phrase_tables, shipped_corrections
from zhengji_publish.diagnostics import UserError
from zhengji_publish.reader import read_file, read_text

pytestmark = pytest.mark.unit


def convert(
    text: str, tag: str, source_lang: str = "zh-CN", quotes: str = "auto", overrides: dict[str, str] | None = None
) -> str:
    """One paragraph of ``text`` through edition ``tag``, as the reader sees it."""
    doc = read_text(f"---\nlang: {source_lang}\n---\n{text}\n", Path("x.md"))
    out = editions.apply(doc, editions.resolve(tag, doc.meta), quotes=quotes, overrides=overrides)
    return m.plain_text(out.blocks[0].children)


# ---------------------------------------------------------------- words

# (simplified, Taiwan, Hong Kong)
KNOWN_ERRORS = [
    ("他的头发干了。", "他的頭髮乾了。", "他的頭髮乾了。"),
    ("电话被发明于1876年。", "電話被發明於1876年。", "電話被發明於1876年。"),
    ("视频展示了如何包饺子。", "視頻展示了如何包餃子。", "視頻展示了如何包餃子。"),
    ("他们参与制造飞机，积极参与制造业。", "他們參與製造飛機，積極參與製造業。", "他們參與製造飛機，積極參與製造業。"),
    ("可是只有他来了。", "可是只有他來了。", "可是只有他來了。"),
    ("余秋雨的散文", "余秋雨的散文", "余秋雨的散文"),
    ("范长龙同志", "范長龍同志", "范長龍同志"),
    ("衣服干得快，油漆干了，嗓子干。", "衣服乾得快，油漆乾了，嗓子乾。", "衣服乾得快，油漆乾了，嗓子乾。"),
    ("吃干抹净", "吃乾抹淨", "吃乾抹淨"),
    ("文件被发布后被发送给他。", "文件被發布後被發送給他。", "文件被發佈後被發送給他。"),
    ("他介绍了如何参与制作。", "他介紹了如何參與製作。", "他介紹了如何參與製作。"),
    ("他总是只能等。", "他總是只能等。", "他總是只能等。"),
    ("一场大台风", "一場大颱風", "一場大颱風"),
    ("着手制定党组读书班", "著手制定黨組讀書班", "着手制定黨組讀書班"),
    ("折合每年约二百三十万石。", "折合每年約二百三十萬石。", "折合每年約二百三十萬石。"),
    ("临清钞关征银八万两，各县征粮。", "臨清鈔關徵銀八萬兩，各縣徵糧。", "臨清鈔關徵銀八萬兩，各縣徵糧。"),
    ("首席执行官纪尧姆·傅里表示", "首席執行官紀堯姆·傅里表示", "首席執行官紀堯姆·傅里表示"),
    ("对玩忽职守的人员依法给予处分。", "對玩忽職守的人員依法給予處分。", "對玩忽職守的人員依法給予處分。"),
]

# What stock OpenCC already converts right: a correction must leave it right.
ALREADY_RIGHT = [
    ("皇后后来", "皇后後來", "皇后後來"),
    ("面对一碗面条", "面對一碗麵條", "面對一碗麪條"),
    ("干预干部", "干預幹部", "干預幹部"),
    ("联系关系", "聯繫關係", "聯繫關係"),
    ("发明头发干燥", "發明頭髮乾燥", "發明頭髮乾燥"),
    ("制作制品", "製作製品", "製作製品"),
    ("一只猫只有一个", "一隻貓只有一個", "一隻貓只有一個"),
    ("台风过境", "颱風過境", "颱風過境"),
    ("于是只有他", "於是只有他", "於是只有他"),
    ("这是只猫", "這是隻貓", "這是隻貓"),
    ("这里着急", "這裡著急", "這裏着急"),
]

# Text a correction key could cut across: 变干 / 余华 / 范长江 are deliberately not keys.
NEIGHBOURS = [
    ("转变干部作风", "轉變幹部作風", "轉變幹部作風"),
    ("其余华侨", "其餘華僑", "其餘華僑"),
    ("规范长江航运", "規範長江航運", "規範長江航運"),
    ("舞台风格", "舞臺風格", "舞台風格"),
    ("被发现", "被發現", "被發現"),
]


@pytest.mark.parametrize("simp, tw, hk", KNOWN_ERRORS + ALREADY_RIGHT + NEIGHBOURS)
def test_words_in_taiwan_and_hong_kong_editions(simp, tw, hk):
    assert convert(simp, "zh-Hant-TW") == tw
    assert convert(simp, "zh-Hant-HK") == hk


@pytest.mark.parametrize("simp, tw, hk", KNOWN_ERRORS[:7])
def test_stock_opencc_gets_the_known_errors_wrong(simp, tw, hk):
    """The corrections are needed: stock s2tw/s2hk give something else."""
    assert convert_text(simp, ("s2tw",)) != tw and convert_text(simp, ("s2hk",)) != hk


def test_every_shipped_correction_changes_stock_output():
    """Only entries where stock OpenCC is wrong are shipped (each key alone shows it)."""
    table = shipped_corrections()
    assert len(table) >= 37 and "头发干了" in table and "范长龙" in table
    unchanged = set(table)
    for config in ("s2tw", "s2hk"):
        fixed = Converter((config,), phrase_tables((config,)))
        unchanged &= {k for k in table if fixed.convert(k) == convert_text(k, (config,))}
    assert unchanged == set(), f"stock OpenCC is already right for {unchanged}"


def test_taiwan_uses_the_official_tai_hong_kong_keeps_tai():
    """Policy: Taiwan 臺 (official standard form), Hong Kong 台; the overrides file can choose 台."""
    assert convert("台湾台北，台湾的台中市", "zh-Hant-TW") == "臺灣臺北，臺灣的臺中市"
    assert convert("台湾台北，台湾的台中市", "zh-Hant") == "臺灣臺北，臺灣的臺中市"
    assert convert("台湾台北，台湾的台中市", "zh-Hant-HK") == "台灣台北，台灣的台中市"
    assert convert("台湾台北", "zh-Hant-TW", overrides={"台湾": "台灣", "台北": "台北"}) == "台灣台北"


def test_generic_traditional_edition():
    meta = read_text("x\n", Path("x.md")).meta
    ed = editions.resolve("zh-Hant", meta)
    assert (ed.configs, ed.lang, ed.word_lang, ed.region, ed.traditional) == (("s2tw",), "zh-Hant", "zh-TW", "TC", True)
    assert convert("这里着为", "zh-Hant") == "這裡著為"  # not OpenCC's own 這裏着爲
    trad = read_text("---\nlang: zh-Hant\n---\n這裏\n", Path("x.md")).meta
    assert editions.own_edition("zh-Hant") == "zh-Hant" and editions.resolve("zh-Hant", trad).configs == ()
    assert convert("這裏", "zh-Hans", source_lang="zh-Hant") == "这里"
    own = read_text("---\nopencc: {zh-Hant: s2t}\neditions: [zh-Hant]\n---\n这里\n", Path("x.md"))
    assert m.plain_text(editions.apply(own, editions.resolve("zh-Hant", own.meta)).blocks[0].children) == "這裏"


def test_vocabulary_conversion_is_never_a_default():
    meta = read_text("x\n", Path("x.md")).meta
    for tag in editions.EDITIONS:
        assert not any(c.endswith("p") for c in editions.resolve(tag, meta).configs)
    assert convert("软件", "zh-Hant-TW") == "軟件"


# ---------------------------------------------------------------- what is converted


def test_everything_a_reader_sees_is_converted_code_and_urls_are_not():
    src = """---
title: “十五五”规划
subtitle: 发展
author: [范长龙, 新华社记者]
publisher: 新华社
subject: 头发
description: 台风
keywords: [干部, “关键词”]
rights: 版权所有
---
# 标题里的头发

::: notice
通知里的干部[^1]
:::

![图里的头发](figure.png "标题的台风")

| 表头干部 | 列 |
|---|---|
| 单元格“发展” | `代码发展` |

- 列表里的头发

> 引用里的后来

链接[联系我们](https://x.org/联系) 和 `内联代码“发”` 与 ![小图发](figure.png)。

```
代码块里的头发 “引号”
```

[^1]: 脚注里的头发
"""
    doc = read_text(src, DATA / "x.md")
    tw = editions.apply(doc, editions.resolve("zh-Hant-TW", doc.meta))
    meta = tw.meta
    assert (meta.title, meta.subtitle, meta.publisher) == ("「十五五」規劃", "發展", "新華社")
    assert meta.authors == ["范長龍", "新華社記者"] and meta.keywords == ["幹部", "「關鍵詞」"]
    assert (meta.subject, meta.description, meta.rights) == ("頭髮", "颱風", "版權所有")
    heading, notice, figure, table, lst, quote, para, code = tw.blocks
    assert m.plain_text(heading.children) == "標題裡的頭髮" and m.headings(tw)[0] is heading
    assert m.plain_text(notice.children[0].children) == "通知裡的幹部"
    assert (figure.image.alt, figure.image.title, figure.image.src) == ("圖裡的頭髮", "標題的颱風", "figure.png")
    assert m.plain_text(figure.caption) == "標題的颱風"
    assert [m.plain_text(c.children) for c in table.header] == ["表頭幹部", "列"]
    assert [m.plain_text(c.children) for c in table.rows[0]] == ["單元格「發展」", "代码发展"]
    assert m.plain_text(lst.items[0].children[0].children) == "列表裡的頭髮"
    assert m.plain_text(quote.children[0].children) == "引用裡的後來"
    link = next(n for n in para.children if isinstance(n, m.Link))
    assert m.plain_text(link.children) == "聯繫我們" and link.href == doc.blocks[6].children[1].href
    assert next(n for n in para.children if isinstance(n, m.Code)).text == "内联代码“发”"
    image = next(n for n in para.children if isinstance(n, m.Image))
    assert image.alt == "小圖發" and image.src == "figure.png"
    assert code.text == "代码块里的头发 “引号”"
    assert m.plain_text(tw.footnotes[0].children[0].children) == "腳註裡的頭髮"


def test_seed_headings_and_title_are_converted_for_every_traditional_edition():
    doc = read_file(SEED)
    for tag, first in (
        ("zh-Hant-TW", "凝心鑄魂強根基 以民為本出實績"),
        ("zh-Hant-HK", "凝心鑄魂強根基 以民為本出實績"),
        ("zh-Hant", "凝心鑄魂強根基 以民為本出實績"),
    ):
        ed = editions.apply(doc, editions.resolve(tag, doc.meta))
        assert m.plain_text(m.headings(ed)[0].children) == first and ed.meta.title == "樹立和踐行正確政績觀"
        assert "「十五五」" in "".join(m.plain_text(b.children) for b in ed.blocks if isinstance(b, m.Paragraph))


# ---------------------------------------------------------------- quotation marks


def test_quotes_nest_across_markup():
    # The tree of 他说：“这是**‘重要’**的。” (CommonMark reads those ** literally: a delimiter
    # next to punctuation must have space or punctuation on its other side).
    doc = m.Document(m.Meta(), [m.Paragraph([m.Text("他说：“这是"), m.Strong([m.Text("‘重要’")]), m.Text("的。”")])])
    para = editions.apply(doc, editions.resolve("zh-Hant-TW", doc.meta)).blocks[0].children
    assert [type(n) for n in para] == [m.Text, m.Strong, m.Text]
    assert (para[0].text, para[1].children[0].text, para[2].text) == ("他說：「這是", "『重要』", "的。」")
    # The same across Markdown that parses: opened in plain text, nested in bold, closed after it.
    doc = read_text("“他说：**这是‘重要’的**。”\n", Path("x.md"))
    para = editions.apply(doc, editions.resolve("zh-Hant-HK", doc.meta)).blocks[0].children
    assert isinstance(para[1], m.Strong) and m.plain_text(para[1].children) == "這是『重要』的"
    assert m.plain_text(para) == "「他説：這是『重要』的。」"


@pytest.mark.parametrize(
    "simp, tw",
    [
        ("it’s the students’ “book”", "it’s the students’ “book”"),
        ("他说：“don’t 和 students’ 是英文。”", "他說：「don’t 和 students’ 是英文。」"),
        ("他说：“OK”", "他說：「OK」"),
        ("他说：“甲说‘乙说“丙”’”", "他說：「甲說『乙說「丙」』」"),
        ("[他说“去](https://x.org/“a”)吧”", "他說「去吧」"),
        ("他说：“`print(“x”)`”", "他說：「print(“x”)」"),
        ("“第一段没有结束", "「第一段沒有結束"),
        ("’90s rock’n’roll", "’90s rock’n’roll"),
    ],
)
def test_quotes_in_taiwan_edition(simp, tw):
    assert convert(simp, "zh-Hant-TW") == tw
    assert convert(simp, "zh-Hant-HK") == convert_text(tw, ("t2hk",))


def test_quote_modes():
    assert convert("他说“好”", "zh-Hans") == "他说“好”"
    assert convert("他说“好”", "zh-Hans", quotes="corner") == "他说「好」"
    assert convert("他说“好”", "zh-Hant-TW", quotes="keep") == "他說“好”"
    with pytest.raises(ValueError, match="auto, keep or corner"):
        convert("x", "zh-Hant-TW", quotes="vertical")


def test_link_href_keeps_its_quotes():
    doc = read_text("他说“[这里](https://x.org/“a”)”\n", Path("x.md"))
    link = editions.apply(doc, editions.resolve("zh-Hant-TW", doc.meta)).blocks[0].children[1]
    assert link.href == doc.blocks[0].children[1].href and m.plain_text(link.children) == "這裡"


# ---------------------------------------------------------------- overrides


def test_overrides_win_over_opencc_segmentation():
    # Stock OpenCC segments 是只 first and writes 是隻會; an override 只会 starts inside that segment.
    assert convert_text("他总是只会说", ("s2tw",)) == "他總是隻會說"
    assert convert("他总是只会说", "zh-Hant-TW", overrides={"只会": "只會"}) == "他總是只會說"
    # A user override wins over a shipped correction with the same key.
    assert convert("头发干了", "zh-Hant-TW", overrides={"头发干了": "頭髮干了"}) == "頭髮干了"
    # Longest match wins; the neighbours convert as usual.
    assert convert("后来范伟演得好", "zh-Hant-TW", overrides={"范伟": "范偉", "范": "範"}) == "後來范偉演得好"


def test_text_holding_the_placeholder_characters_is_converted_around_them():
    text = "头发干了\ue000干部\U0010fffd只会\uf8ff\U000f0000"
    out = Converter(("s2tw",), phrase_tables(("s2tw",), {"只会": "只會"})).convert(text)
    assert out == "頭髮乾了\ue000幹部\U0010fffd只會\uf8ff\U000f0000"


def test_overrides_are_read_backwards_for_a_simplified_edition_of_a_traditional_source():
    assert convert("范偉", "zh-Hans", source_lang="zh-TW") == "范伟"
    assert convert("我瞭解", "zh-Hans", source_lang="zh-TW", overrides={"了解": "瞭解"}) == "我了解"


def test_load_overrides_reports_bad_lines(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("# comment\n\n台湾\t台灣\n只会\t只會\n", encoding="utf-8")
    assert load_overrides(good) == {"台湾": "台灣", "只会": "只會"}
    bad = tmp_path / "bad.txt"
    bad.write_text("台湾 台灣\n只会\t只會\t多\n\t空\n只会\t隻會\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_overrides(bad)
    text = str(info.value)
    assert f"{bad}:1:1: error: phrase line has no TAB between the two forms" in text
    assert f"{bad}:2:6: error: phrase line has more than one TAB" in text
    assert f"{bad}:3:1: error: phrase line has an empty side" in text
    assert f"{bad}:4:1: error: '只会' is given twice with different forms — line 2" not in text  # line 2 was bad
    with pytest.raises(UserError, match="overrides file not found"):
        load_overrides(tmp_path / "none.txt")
    dup = tmp_path / "dup.txt"
    dup.write_text("只会\t只會\n只会\t隻會\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"dup.txt:2:1: error: '只会' is given twice .* line 1 already maps it"):
        load_overrides(dup)


def test_overrides_file_named_in_the_front_matter(tmp_path, monkeypatch):
    (tmp_path / "overrides.txt").write_text("只会\t只會\n", encoding="utf-8")
    doc = read_text("他总是只会说\n", tmp_path / "x.md")
    monkeypatch.setattr(doc.meta, "overrides", "overrides.txt", raising=False)
    out = editions.apply(doc, editions.resolve("zh-Hant-TW", doc.meta), overrides=editions.overrides_for(doc))
    assert m.plain_text(out.blocks[0].children) == "他總是只會說"


def test_no_temporary_files_are_left(tmp_path, monkeypatch):
    temp, cache = tmp_path / "tmp", tmp_path / "cache"
    temp.mkdir()
    cache.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setenv("ZHENGJI_CACHE_DIR", str(cache))
    before = set(Path(tempfile.gettempdir()).iterdir())
    assert convert("他总是只会说，头发干了", "zh-Hant-HK", overrides={"只会": "只會"}) == "他總是只會説，頭髮乾了"
    assert set(Path(tempfile.gettempdir()).iterdir()) == before == set()
    assert list(cache.iterdir()) == []


# ---------------------------------------------------------------- the check report


def test_check_report(tmp_path, capsys):
    src = tmp_path / "a.md"
    src.write_text(
        "---\ntitle: 干部\n---\n# 标题\n\n他的头发干了，在党员干部中营造氛围。\n\n联系**面条**和`干部`。\n",
        encoding="utf-8",
    )
    assert main(["check", str(src), "-e", "zh-Hant-TW", "--all"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{src}:2:8: 干 → 幹 in “干部”",
        f"{src}:6:4: 发 → 髮 in “他的头发干了，在党员…”",
        f"{src}:6:5: 干 → 乾 in “他的头发干了，在党员干…”",
        f"{src}:6:6: 了 → 了 in “他的头发干了，在党员干部…”",
        f"{src}:6:9: 党 → 黨 in “…头发干了，在党员干部中营造…”",
        f"{src}:6:11: 干 → 幹 in “…干了，在党员干部中营造氛围…”",
        f"{src}:8:2: 系 → 繫 in “联系”",
        f"{src}:8:5: 面 → 麵 in “面条”",
        f"{src}: zh-Hant-TW (s2tw): 8 characters with several traditional forms",
        "  干 ×3: 幹 2, 乾 1",
        "  了 ×1: 了 1",
        "  党 ×1: 黨 1",
        "  发 ×1: 髮 1",
        "  系 ×1: 繫 1",
        "  面 ×1: 麵 1",
    ]


def test_check_report_follows_a_vocabulary_change_that_resizes_the_text(tmp_path):
    src = tmp_path / "b.md"
    text = "---\nopencc: {zh-Hant-TW: s2twp}\n---\n方便面里的头发\n"
    src.write_text(text, encoding="utf-8")
    doc = read_file(src)
    found = choices(doc, editions.resolve("zh-Hant-TW", doc.meta), text)
    assert convert_text("方便面里的头发", ("s2twp",)) == "泡麵裡的頭髮"  # three characters became two
    assert [(c.line, c.col, c.char, c.chosen) for c in found] == [
        (4, 3, "面", "泡麵"),
        (4, 4, "里", "裡"),
        (4, 7, "发", "髮"),
    ]


def test_check_report_points_at_each_character_of_the_seed(capsys):
    assert main(["check", str(SEED), "-e", "zh-Hant-HK", "-e", "zh-Hans", "--all"]) == 0
    out = capsys.readouterr().out.splitlines()
    lines = SEED.read_text(encoding="utf-8").split("\n")
    places = [line for line in out if re.match(rf"{re.escape(str(SEED))}:\d+:\d+: ", line)]
    assert len(places) > 100
    keys = []
    for place in places:
        _, line, col, rest = place.split(":", 3)
        char = rest.strip()[0]
        assert lines[int(line) - 1][int(col) - 1] == char, place
        assert char in one_to_many()
        keys.append((int(line), int(col)))
    assert keys == sorted(keys)
    assert f"{SEED}: zh-Hans (no conversion): no simplified → traditional conversion to check" in out
    assert any(line.startswith("  干 ×") for line in out)


def test_one_to_many_set_is_opencc_data():
    table = one_to_many()
    assert table["干"] == ("幹", "乾", "干", "榦") and table["台"] == ("臺", "檯", "颱", "台")
    assert {
        "发",
        "后",
        "里",
        "面",
        "只",
        "系",
        "余",
        "范",
        "制",
        "采",
        "云",
        "冲",
        "松",
        "斗",
        "历",
        "复",
        "获",
        "尽",
        "汇",
        "舍",
        "谷",
        "征",
        "准",
        "仆",
        "卜",
        "丑",
        "致",
        "郁",
    } <= set(table)
    assert all(len(v) > 1 for v in table.values())


# ---------------------------------------------------------------- speed


def test_two_megabyte_manuscript_timing(capsys):
    """Printed, not asserted: a timing assertion fails on a slow machine, not on slow code."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import make_law

    doc = read_text(make_law(2048), Path("law.md"))
    edition = editions.resolve("zh-Hant-TW", doc.meta)
    editions.apply(doc, edition)  # OpenCC loads its dictionaries once
    start = time.perf_counter()
    out = editions.apply(doc, edition)
    seconds = time.perf_counter() - start
    # OpenCC alone over the same slots (the converter without its word step), for the ratio
    plain = Converter(edition.configs, phrase_tables(edition.configs))
    strings = [slot.get() for slot in editions.text_slots(doc).slots]
    start = time.perf_counter()
    plain.convert_many(strings)
    alone = time.perf_counter() - start
    with capsys.disabled():
        print(f"\n2 MB manuscript → zh-Hant-TW edition in {seconds:.2f} s (OpenCC alone converts it in {alone:.2f} s)")
    assert m.plain_text(m.headings(out)[0].children) != m.plain_text(m.headings(doc)[0].children)
