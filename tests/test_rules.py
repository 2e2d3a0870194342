"""One set of typographic rules (``typeset.rules``) read by every output: PDF layout, EPUB CSS and
cover, DOCX kinsoku settings. Each test reads what a writer actually produced."""

from __future__ import annotations

import itertools
import re
import subprocess
import zipfile

import pytest
from conftest import SEED
from lxml import etree
from PIL import ImageFont

from zhengji_publish.cli import main
from zhengji_publish.fonts import FontBook
from zhengji_publish.style import load_style
from zhengji_publish.typeset import rules
from zhengji_publish.typeset.boxes import BoxMaker, InlineStyle, Run
from zhengji_publish.writers.epub.cover import wrap

W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
WQ = "{" + W["w"] + "}"


def kinsoku_settings(docx) -> tuple[etree._Element, etree._Element, list[str]]:
    """(w:noLineBreaksBefore, w:noLineBreaksAfter, the settings' child tags in order)."""
    with zipfile.ZipFile(docx) as z:
        root = etree.fromstring(z.read("word/settings.xml"))
    tags = [etree.QName(c).localname for c in root]
    return root.find("w:noLineBreaksBefore", W), root.find("w:noLineBreaksAfter", W), tags


@pytest.fixture(scope="module")
def basic_style(tmp_path_factory):
    path = tmp_path_factory.mktemp("style") / "basic.yaml"
    path.write_text("extends: default\ntext:\n  line-break: basic\n", encoding="utf-8")
    return str(path)


# ---------------------------------------------------------------- the rules themselves


@pytest.mark.unit
def test_levels_nest_and_carry_clreq_links():
    assert rules.NO_START_BASIC < rules.NO_START_STRICT
    assert set("—…") <= rules.NO_START_STRICT - rules.NO_START_BASIC  # clreq: strict adds dashes, ellipses
    assert not rules.NO_START_STRICT & rules.NO_END
    assert rules.CLOSING <= rules.NO_START_BASIC and rules.OPENING <= rules.NO_END
    for link in (rules.LINE_START_END, rules.ADJACENT_PUNCTUATION, rules.MIXED_TEXT, rules.ORPHANS_AND_WIDOWS):
        assert link.startswith("https://www.w3.org/TR/clreq/#")
    assert rules.HAN_LATIN_GAP.natural == 0.25 and rules.MIN_LAST_LINE_HAN == 2


# ---------------------------------------------------------------- PDF layout


@pytest.mark.unit
@pytest.mark.parametrize("level", rules.LEVELS)
def test_pdf_boxes_break_exactly_where_the_rules_allow(level):
    maker = BoxMaker(FontBook(load_style("default"), "SC"), punctuation="gb", level=level)
    st = InlineStyle(size=10.5)
    for ch in sorted(rules.NO_START_STRICT | rules.NO_END):
        boxes = maker.boxes([Run(f"中{ch}文", st)])
        i = next(k for k, b in enumerate(boxes) if ch in b.text)
        if i:  # a break before the mark
            assert boxes[i].can_break == (ch not in rules.no_start(level)), (level, ch)
        if i + 1 < len(boxes):  # a break after it
            assert boxes[i + 1].can_break == (ch not in rules.no_end(level)), (level, ch)


@pytest.mark.e2e
@pytest.mark.external
def test_every_output_follows_the_rules_module(monkeypatch, tmp_path, built):
    """Add a Han character to the strict line-start class: the PDF, the DOCX and the cover obey it."""
    plain = subprocess.run(["pdftotext", str(built(SEED, "pdf", "zh-Hans")), "-"], capture_output=True, text=True)
    starts = [line for line in plain.stdout.splitlines() if line.startswith("在")]
    monkeypatch.setattr(rules, "NO_START_STRICT", rules.NO_START_STRICT | {"在"})
    out = tmp_path / "out"
    args = ["build", str(SEED), "-o", str(out), "-e", "zh-Hans", "-f", "pdf", "-f", "docx", "-j", "1"]
    assert main(args) == 0
    text = subprocess.run(["pdftotext", str(out / "zhengji.zh-Hans.pdf"), "-"], capture_output=True, text=True)
    lines = [line for line in text.stdout.splitlines() if line.strip()]
    # Only paragraphs that begin with 在 still do: no line break comes before it any more.
    left = [line for line in lines if line.startswith("在")]
    assert len(lines) > 100 and len(left) < len(starts) and all(line in starts for line in left)
    assert all(line in plain.stdout for line in left)
    before, _, _ = kinsoku_settings(out / "zhengji.zh-Hans.docx")
    assert "在" in before.get(WQ + "val")
    face = FontBook(load_style("default"), "SC").primary("sans")
    font = ImageFont.truetype(face.path, 100, index=face.index)
    for width in range(500, 1400, 50):
        assert not any(line.startswith("在") for line in wrap("学习教育在基层走深走实在一线见行见效", font, width))


# ---------------------------------------------------------------- DOCX


@pytest.mark.e2e
@pytest.mark.parametrize("edition, lang", [("zh-Hans", "zh-CN"), ("zh-Hant-TW", "zh-TW")])
def test_docx_kinsoku_lists_are_the_rules_sets(built, edition, lang):
    before, after, tags = kinsoku_settings(built(SEED, "docx", edition))
    assert set(before.get(WQ + "val")) == rules.NO_START_STRICT  # the default style is strict
    assert set(after.get(WQ + "val")) == rules.NO_END
    assert before.get(WQ + "lang") == after.get(WQ + "lang") == lang
    # CT_Settings order: characterSpacingControl, …, noLineBreaksAfter, noLineBreaksBefore, …
    i = tags.index("characterSpacingControl")
    assert tags[i + 1 : i + 3] == ["noLineBreaksAfter", "noLineBreaksBefore"]


@pytest.mark.e2e
def test_docx_kinsoku_follows_the_styles_level(built, basic_style):
    before, after, _ = kinsoku_settings(built(SEED, "docx", "zh-Hant-HK", basic_style))
    assert set(before.get(WQ + "val")) == rules.NO_START_BASIC
    assert set(after.get(WQ + "val")) == rules.NO_END
    assert before.get(WQ + "lang") == "zh-TW"  # Word keeps Hong Kong text under the Traditional list


# ---------------------------------------------------------------- EPUB


@pytest.mark.e2e
def test_epub_css_line_break_follows_the_styles_level(built, basic_style):
    with zipfile.ZipFile(built(SEED, "epub", "zh-Hans", basic_style)) as z:
        css = z.read("OEBPS/style.css").decode()
    assert rules.css_line_break("basic") == "normal"
    assert re.search(r"[^-]line-break: normal;", css) and "-webkit-line-break: normal;" in css
    assert "text-spacing-trim: space-first" in css


TITLES = [
    "树立和践行正确政绩观学习教育，走深走实。",
    "关于“十四五”规划——纲要……的说明（草案）",
    "《中华人民共和国民法典》解读：第一编「总则」",
    "拾字（ShiZi）使用说明：v2.3.1版本发布",
]


@pytest.mark.unit
@pytest.mark.parametrize("level", rules.LEVELS)
def test_cover_lines_follow_the_rules(level):
    face = FontBook(load_style("default"), "SC").primary("sans")
    font = ImageFont.truetype(face.path, 100, index=face.index)
    for title in TITLES:
        for width in range(300, 1500, 40):
            lines = wrap(title, font, width, level)
            assert "".join(lines) == title, (title, width, lines)
            for line in lines:
                assert line[0] not in rules.no_start(level), (title, width, lines)
                assert line[-1] not in rules.no_end(level), (title, width, lines)
            for unit in ("——", "……", "ShiZi", "v2.3.1"):
                if unit in title:
                    assert any(unit in line for line in lines), (unit, width, lines)


@pytest.mark.unit
def test_cover_dash_may_start_a_line_only_at_the_basic_level():
    face = FontBook(load_style("default"), "SC").primary("sans")
    font = ImageFont.truetype(face.path, 100, index=face.index)
    title = "规划纲要——说明"
    width = int(font.getlength("规划纲要")) + 1
    assert wrap(title, font, width, "basic")[1].startswith("——")
    assert not any(line.startswith("—") for line in wrap(title, font, width, "strict"))


@pytest.mark.unit
def test_gap_spaces_are_the_spaces_between_han_and_latin():
    text = "中文 English 与 2026 年 and more words"
    spans = rules.gap_spaces(text)
    assert [text[a - 1 : b + 1] for a, b in spans] == ["文 E", "h 与", "与 2", "6 年", "年 a"]
    assert rules.gap_spaces("English words only") == []
    assert rules.gap_spaces("， English") == []  # next to punctuation: no gap
    # a space at the edge of the text, judged with the neighbouring inlines' characters
    assert rules.gap_spaces(" 或 ", "9", "1") == [(0, 1), (2, 3)]
    assert rules.gap_spaces(" 或 ", "", "") == []
    # inline code beside Han text is set off by the gap whatever it starts or ends with (由 `--x` 决定)
    assert rules.gap_spaces("由 ", "", "-") == []
    assert rules.gap_spaces("由 ", "", "-", code_after=True) == [(1, 2)]
    assert rules.gap_spaces(" 决定", ")", "", code_before=True) == [(0, 1)]
    assert rules.gap_spaces("， ", "", "-", code_after=True) == []  # punctuation: no gap
    assert rules.gap_spaces("由 和 ", "", "-", code_after=True) == [(3, 4)]  # only the space beside the code


@pytest.mark.unit
def test_join_units_keeps_dashes_and_ellipses_together():
    """A word joiner inside ……; none inside —— (LibreOffice would draw it broken), one after it
    before a mark that may not start a line."""
    text = "内容……在——中央…单——”，⋯⋯"
    joined = rules.join_units(text)
    assert joined == "内容…\u2060…在——中央…单——\u2060”，⋯\u2060⋯"
    assert rules.unjoin_units("在—\u2060—中") == "在——中"  # a DOCX written before reads back too
    assert rules.drop_invisible(joined) == rules.unjoin_units(joined) == text


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "room", "expected"),
    [
        ("短标题", 3, "短标题"),  # a text that fits is left as it is
        ("一二三四五六七八九十", 6, "一二三四……"),  # cut, the 省略号 two … counted in
        ("一二三，四五六七八九", 6, "一二三……"),  # a pause mark before the cut is dropped, not "，……"
        ("一二三四五《六七八》九十", 8, "一二三四五……"),  # an opening mark never ends the cut text
        ("一二三四。五六七八", 6, "一二三四……"),  # no cut before 。 (it may not start a line)
        ("一二——三四五六", 5, "一……"),  # a dash is one unit: never split, never started on
        ("第一章 Introduction to Typesetting", 18, "第一章 Introduction……"),  # words kept whole
        ("一二三", 2, "……"),
        ("一二三", 1, ""),
    ],
)
def test_a_shortened_text_ends_with_an_ellipsis_where_a_line_may_break(text, room, expected):
    """``rules.shortened``, with a measure of ``room`` characters (one each, the 省略号 two)."""
    got = rules.shortened(text, lambda s: len(s) <= room, "strict")
    assert got == expected
    assert len(got) <= room or got == text


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        # a path's leading marks are its first piece's: a line never ends on ``查/`` before ``var/``
        ("应检查/var/log/app.log中", ["/var/", "log/", "app.", "log"]),
        ("见/etc/hosts文件", ["/etc/", "hosts"]),
        ("配置见./config/gateway/up.yaml文件", ["./config/", "gateway/", "up.", "yaml"]),
        ("在~/.config/zhengji/config.yaml中", ["~/.config/", "zhengji/", "config.", "yaml"]),
        ("见../lib/a/b.py", ["../lib/", "a/", "b.", "py"]),
        # before a hyphen, never after it (pdftotext reads ``fastgate-`` | ``server`` as ``fastgateserver``)
        ("见/var/fastgate-server/x", ["/var/", "fastgate", "-server/", "x"]),
        # never inside a number, never between two marks, never a piece without a letter or digit
        ("见/srv/alerts-2026-11.log", ["/srv/", "alerts", "-2026-11.", "log"]),
        ("https://git.example.com/ops/alert-rules/-/blob/v1.2.3/x", None),
        # an e-mail address breaks as a URL does, after its @ too
        ("电子邮箱：jiance@example.gov.cn。", ["jiance@", "example.", "gov.", "cn"]),
        # a host name of three labels or more, a dot-file's folder, Windows paths
        ("服务器app-prod-01.dc1.example.net（", ["app", "-prod", "-01.", "dc1.", "example.", "net"]),
        ("默认值为kafka-01.dc1.example.net:9092。", ["kafka", "-01.", "dc1.", "example.", "net:9092"]),
        ("配置位于.github/workflows/ci.yml，", [".github/", "workflows/", "ci.", "yml"]),
        ("位于D:\\Tools\\conf\\collector.ini。", ["D:\\", "Tools\\", "conf\\", "collector.", "ini"]),
        ("上传至\\\\fileserver01\\share\\logs。", ["\\\\fileserver01\\", "share\\", "logs"]),
        ("日志位于%APPDATA%\\App\\logs\\a.log。", ["%APPDATA%\\", "App\\", "logs\\", "a.", "log"]),
    ],
)
def test_url_and_path_pieces(text, pieces):
    """A URL's or path's pieces (``rules.tokens``, ``rules.split_url``): a line may break between
    two of them only."""
    got = [p for kind, p in rules.tokens(text) if kind == "piece"]
    assert "".join(got) in text
    if pieces is not None:
        assert got == pieces
    for p in got:
        assert any(ch.isalnum() for ch in p), got
        assert not p.endswith("-"), got
    for a, b in itertools.pairwise(got):
        assert not (a[-1].isdigit() and b.lstrip("-.")[:1].isdigit()), (a, b)  # inside a number
        assert not (a[-1] in "/:" and b[0] in "/-"), (a, b)  # ``://``, ``/-/``


@pytest.mark.unit
@pytest.mark.parametrize(
    "text", ["价格为元/kg", "GB/T 9704", "和/或", "TCP/IP协议", "使用.NET框架", "e.g. U.S.A.", "v1.2.3", "a.com"]
)
def test_a_slash_that_opens_no_path_is_left_as_it_was(text):
    """A unit after ``/`` (``元/kg``), ``GB/T``, ``TCP/IP``, ``.NET``, abbreviations, a version, a
    name of two labels: no path, no address, no pieces."""
    assert all(kind != "piece" for kind, _p in rules.tokens(text))


@pytest.mark.unit
def test_the_docx_joins_what_libreoffice_would_break_inside_a_path():
    """After a path's leading marks and after a hyphen inside a piece, a word joiner: LibreOffice
    broke ``应检查/`` | ``var/log`` and ``fastgate-`` | ``server`` where the PDF breaks
    ``应检查`` | ``/var/log`` and ``fastgate`` | ``-server``. Read back, the text is as written."""
    text = "应检查/var/log/fastgate-server/a.log中，见https://a.example.com/x-y，氨氮NH₃-N，m²/s。"
    joined = rules.join_words(text)
    wj = rules.WORD_JOINER
    assert f"NH₃-{wj}N" in joined and f"m²/{wj}s" in joined
    assert f"查/{wj}var" in joined and f"fastgate-{wj}server" in joined and f"x-{wj}y" in joined
    assert rules.unjoin_units(joined) == text
    broken = joined.replace("应检查", "应检查" + rules.WORD_BREAK).replace("fastgate", "fastgate" + rules.WORD_BREAK)
    assert rules.unjoin_units(broken) == text  # the hints the DOCX writer puts there go on import


@pytest.mark.unit
@pytest.mark.parametrize("word", ["a\\b", "TCP/IP", "COVID-19"])
def test_the_docx_joins_a_word_where_the_pdf_stops_kerning(word: str) -> None:
    """One rule for both: the DOCX puts a word joiner at each place :func:`rules.word_joins` names
    (where the PDF's shaping stops kerning, as LibreOffice kerns no pair across a joiner), also in
    a text holding no other hyphen or slash (``a\\b`` alone had none)."""
    joined = rules.join_words(f"见{word}处")
    joins = rules.word_joins(word)
    assert joins
    assert [i for i, ch in enumerate(joined[1:-1]) if ch == rules.WORD_JOINER] == [at + n for n, at in enumerate(joins)]


# Where LibreOffice 7.4 broke a line of a code block typed with no space, measured: a line of
# 14 letters, the marks, then 40 letters or digits, set in the ebook's code block.
LIBREOFFICE_CODE_BREAKS = [
    ("--max-retries=5", [2, 6]),
    ("kube-system", [5]),
    ("2026-11", [5]),
    ("a-(b", [2]),
    ("a->b", [2]),
    ("a-_b", [2]),
    ("a!=b", [2]),
    ("x=?y", [3]),
    ("x|grep", [2]),
    ("x||y", [3]),
    ("C:\\Tools\\bin", [3, 9]),
    ("1\\a", [2]),
    ("7\\\\7", []),
    ("a%b", [1]),
    ("5%x", []),
    ('a-"b', []),
    ("a-/b", []),
    ("a-.b", []),
    ("a::b", []),
    ("a,b", []),
    ("x=>y", []),
    ("a/b/c", []),
    ("a.b_c&d#e@f", []),
    ("a(b)c", []),
    ("a+b*c~d$e", []),
    ("a'b]c}d<e", []),
    ("${HOST}", [1]),
    ("$(1)", []),
    ("f(x)(y)", [4]),
    ("a}{b", [2]),
    ("a](b", [2]),
    ("x%(y", [1, 2]),
    ("x%(7", [1]),
    ('"text":{"c"', [7]),
    ("a,[b", [2]),
    ("a;(b", [2]),
    ("a.(b", [2]),
    ("x:(1", [2]),
    ("1,[2", [2]),
]


@pytest.mark.unit
@pytest.mark.parametrize(("word", "breaks"), LIBREOFFICE_CODE_BREAKS)
def test_code_breaks_where_libreoffice_breaks_a_code_line(word: str, breaks: list[int]) -> None:
    """A line of code ends inside a word where LibreOffice ends one (after ``- ! ? | \\``, before
    ``%`` after a letter, never inside a number), and nowhere else."""
    assert rules.code_breaks(word) == breaks


@pytest.mark.unit
def test_code_breaks_a_paths_pieces_after_a_hyphen():
    """In code a URL's or path's pieces end after a hyphen, as UAX #14 and LibreOffice break code
    (the DOCX puts no joiner into code: copied, it must run as typed)."""
    word = "--output-dir=build/tmp/intermediate"
    assert rules.split_url(word, code=True)[:2] == ["--output-", "dir="]
    assert rules.split_url(word)[:2] == ["--output", "-dir="]
