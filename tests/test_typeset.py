"""The Chinese line breaker on real font metrics: kinsoku, units, compression, gaps, justification."""

from __future__ import annotations

import itertools
from itertools import pairwise

import pytest

from zhengji_publish.fonts import FontBook
from zhengji_publish.style import load_style
from zhengji_publish.typeset import rules
from zhengji_publish.typeset.boxes import BoxMaker, InlineStyle, Run
from zhengji_publish.typeset.linebreak import break_lines

pytestmark = pytest.mark.unit

SIZE = 10.0
TEXT = (
    "近日，一位农民工通过12351工会服务职工热线反映欠薪问题后，工会迅速响应，“烦薪事”得到解决。"
    "召开党建工作领导小组（扩大）会议部署启动学习教育。对理论学习作出计划安排：举行读书班……"
    "以“第一议题”集中学习《习近平关于树立和践行正确政绩观论述摘编》等，圆周率3.14，占比50%。"
    "一名青年干警表示：“在职业生涯起步阶段，要以实干实绩诠释担当。”详见https://example.org/a/b?q=1。"
)


@pytest.fixture(scope="module")
def maker():
    return BoxMaker(FontBook(load_style("default"), "SC"), punctuation="gb", level="strict")


def lines_of(maker, text, chars, indent=2):
    boxes = maker.boxes([Run(text, InlineStyle(size=SIZE))])
    return break_lines(boxes, chars * SIZE, indent * SIZE)


@pytest.mark.parametrize("chars", range(12, 36))
def test_no_forbidden_mark_at_line_start_or_end(maker, chars):
    for line in lines_of(maker, TEXT, chars):
        assert line.items[0].box.text[0] not in rules.NO_START_STRICT, [p.box.text for p in line.items]
        assert line.items[-1].box.text[-1] not in rules.NO_END


@pytest.mark.parametrize("chars", range(12, 36))
def test_full_lines_are_flush_and_units_whole(maker, chars):
    measure = chars * SIZE
    lines = lines_of(maker, TEXT, chars)
    for i, line in enumerate(lines[:-1]):
        start = 2 * SIZE if i == 0 else 0.0
        right = line.items[-1].left + line.items[-1].advance
        if all(p.box.kind == "piece" for p in line.items):
            # a line of a URL alone is left short: spread, its pieces read as spaced (``https:/ / a.``)
            assert right <= measure + 0.01 and all(
                b.left == pytest.approx(a.left + a.advance) for a, b in pairwise(line.items)
            )
            continue
        assert abs(right - measure) <= 0.5 and abs(line.items[0].left - start) < 0.01
    texts = ["".join(p.box.text for p in line.items) for line in lines]
    joined = "\n".join(texts)
    for unit in ("12351", "3.14", "50%", "……"):
        assert unit in joined.replace("\n", "") and all(
            unit not in a + b or unit in a or unit in b for a, b in pairwise(texts)
        )
    assert "".join(texts) == TEXT.replace(" ", "")


@pytest.mark.parametrize("dots", ["……", "⋯⋯"])
@pytest.mark.parametrize("chars", range(12, 30))
def test_an_ellipsis_never_starts_a_line_in_either_form(maker, dots, chars):
    """省略号 (GB/T 15834-2011 §4.11) set with U+2026 or the midline U+22EF: never split, never at
    a line's start (clreq 行首禁则, strict)."""
    text = "".join(f"{'说明情况'[: n % 4 + 1]}{dots}再说" for n in range(12)) + "。"
    for line in lines_of(maker, text, chars):
        assert line.items[0].box.text[0] not in "…⋯", [p.box.text for p in line.items]
        assert line.items[-1].box.text[-1] != "…" or line.items[-1].box.text.endswith(dots[0] * 2)


def test_url_breaks_only_after_separators(maker):
    """A URL breaks after its separators; between two other characters only where it is wider
    than the line and the line before the cut, with text to spread, would otherwise be spread by
    more than half an em a gap (``wordcuts.LOOSENESS``); a line of the URL alone, not spread,
    always ends at a separator."""
    url = "https://example.org/path/to/item?q=1"
    width = sum(b.width for b in maker.boxes([Run(url, InlineStyle(size=SIZE))]))
    for chars in range(8, 20):
        for line in lines_of(maker, "见" + url, chars, 0)[:-1]:
            last = line.items[-1].box.text
            if all(p.box.kind == "piece" for p in line.items) or chars * SIZE >= width:
                assert last[-1] in "/.?&=-_#见" or last == "https://", [p.box.text for p in line.items]


LONG_WORDS = [
    ("调用", "zhengji_publish.typeset.linebreak.break_lines", "函数即可得到各行。"),
    ("运行命令时加上", "--output-directory-for-intermediate-files=build/tmp", "选项。"),
    ("配置项", "HTTP_PROXY_AUTHENTICATION_CREDENTIALS_FILE", "指定凭据文件的路径。"),
    ("见", "PneumonoultramicroscopicsilicovolcanoconiosisAndMore", "一词。"),
]


@pytest.mark.parametrize("code", [True, False])
@pytest.mark.parametrize(("before", "word", "after"), LONG_WORDS)
def test_a_word_wider_than_the_line_is_cut_and_fills_the_line_before_it(maker, before, word, after, code):
    """A word (an identifier, an option, a path in inline code) wider than the measure: no line
    runs past the measure; the word starts on the line the text before it ends on (CSS Text 3
    ``overflow-wrap: anywhere``); every cut leaves three characters of the word or more on each
    side, or falls where LibreOffice breaks code itself (``--`` | ``output-``,
    ``rules.code_breaks``); a line of the word alone ends at ``/ . _ = , :``, before ``-`` (in
    code after it) wherever one is on it, as it is not spread. Before, the word went
    whole to the next line and ran past the measure, and the line before it was spread thin
    (``调      用``)."""
    plain = InlineStyle(size=SIZE)
    style = InlineStyle(size=SIZE, code=code, role="mono" if code else "serif")
    boxes = maker.boxes([Run(before, plain), Run(word, style), Run(after, plain)])
    own = set(rules.code_breaks(word)) if code else set()  # where LibreOffice breaks code itself
    marks = set(rules.overlong_cuts(word, code)) | own
    for chars in (12, 15, 18, 22):
        measure = chars * SIZE
        if sum(b.width for b in boxes if b.text in word) <= measure:
            continue
        lines = break_lines(boxes, measure, 2 * SIZE)
        texts = ["".join(p.box.text for p in line.items) for line in lines]
        assert "".join(texts) == before + word + after
        for line in lines:
            assert line.items[-1].left + line.items[-1].advance <= measure + 0.01, texts
        assert texts[0].startswith(before + word[: min(own | {3})]), texts
        at = -len(before)  # characters of the word before each line's end
        for text in texts[:-1]:
            start, at = at, at + len(text)
            if 0 < at < len(word):
                assert at in own or 3 <= at <= len(word) - 3, texts
                inside = [c for c in marks if max(start, 0) + 3 <= c < at and 3 <= c <= len(word) - 3]
                if start >= 0 and inside:  # the word alone on the line: cut at its last mark
                    assert at in marks, (texts, at)


@pytest.mark.parametrize("word", ["day10", "1hour", "abcd", "x86"])
def test_a_short_word_wider_than_a_narrow_column_is_cut_anywhere(maker, word):
    """A word too short to leave three characters on each side of a cut, in a table column
    narrower than it (a course table's ``day10``, ``1hour`` in a 20 pt cell): cut where it must
    be, so no line runs past the column, as LibreOffice cuts it and CSS's ``overflow-wrap:
    anywhere`` does. Before, it was set whole, 5.5 pt into the cell's padding, and LibreOffice
    broke the DOCX's cell elsewhere (``1hou`` | ``r``): 80 lines of a tutorial's e-book differed."""
    boxes = maker.boxes([Run(word, InlineStyle(size=9.0))])
    measure = sum(b.width for b in boxes) - 2.0
    lines = break_lines(boxes, measure, 0.0, align="left")
    texts = ["".join(p.box.text for p in line.items) for line in lines]
    assert "".join(texts) == word and len(texts) > 1
    for line in lines:
        assert line.items[-1].left + line.items[-1].advance <= measure + 0.01, texts


def test_a_long_identifier_is_cut_at_its_marks_rather_than_leave_the_line_before_it_spread(maker):
    """``replication.factor`` (narrower than the line) after a few characters: the line is not
    spread by more than half an em a gap while a cut at the word's ``.`` fills it better; a short
    word (``v3.4.0``) is never cut."""
    plain = InlineStyle(size=SIZE)
    code = InlineStyle(size=SIZE, code=True, role="mono")
    runs = [Run("把其中的", plain), Run("replication.factor", code), Run("改为3，版本", plain), Run("v3.4.0", code)]
    boxes = maker.boxes([*runs, Run("不变。", plain)])
    for chars in range(10, 16):
        lines = break_lines(boxes, chars * SIZE, 0.0)
        texts = ["".join(p.box.text for p in line.items) for line in lines]
        assert "v3.4.0" in "|".join(texts), texts
        first = lines[0]
        gaps = len(first.items) - 1
        spread = (chars * SIZE - sum(p.advance for p in first.items)) / max(1, gaps)
        if texts[0] == "把其中的":
            assert spread > 0.5 * SIZE, texts  # the cut would not have filled it either
        elif "replication" in texts[0] and "replication.factor" not in texts[0]:
            assert texts[0].endswith("replication."), texts


def test_punctuation_pairs_take_one_and_a_half_em(maker):
    boxes = maker.boxes([Run("解决。”这是（“扩大”）。", InlineStyle(size=SIZE))])
    (line,) = break_lines(boxes, 40 * SIZE, 0, align="left")
    adv = {i: p.advance for i, p in enumerate(line.items)}
    texts = [p.box.text for p in line.items]
    i = texts.index("。")
    assert adv[i] + adv[i + 1] == pytest.approx(1.5 * SIZE, abs=0.05)  # 。”
    j = texts.index("（")
    assert adv[j] + adv[j + 1] == pytest.approx(1.5 * SIZE, abs=0.05)  # （“
    k = texts.index("”", j)
    assert adv[k] + adv[k + 1] + adv[k + 2] == pytest.approx(1.5 * SIZE, abs=0.05)  # ”）。 at line end


def test_opening_bracket_at_line_start_loses_its_blank_half(maker):
    boxes = maker.boxes([Run("（扩大）会议", InlineStyle(size=SIZE))])
    (line,) = break_lines(boxes, 40 * SIZE, 2 * SIZE, align="left")
    first = line.items[0]
    assert first.left == pytest.approx(2 * SIZE) and first.advance == pytest.approx(0.5 * SIZE, abs=0.05)
    assert first.x == pytest.approx(1.5 * SIZE, abs=0.05)  # glyph drawn half an em left of its slot


def test_han_latin_gap_is_a_quarter_em_and_typed_space_is_not_doubled(maker):
    for text in ("通过12351工会", "通过 12351 工会"):
        boxes = maker.boxes([Run(text, InlineStyle(size=SIZE))])
        (line,) = break_lines(boxes, 40 * SIZE, 0, align="left")
        it = line.items
        assert it[2].left - (it[1].left + it[1].advance) == pytest.approx(0.25 * SIZE)
        assert it[3].left - (it[2].left + it[2].advance) == pytest.approx(0.25 * SIZE)
    boxes = maker.boxes([Run("第12351号，", InlineStyle(size=SIZE))])
    (line,) = break_lines(boxes, 40 * SIZE, 0, align="left")
    it = line.items
    assert it[3].left == pytest.approx(it[2].left + it[2].advance)  # none next to punctuation


def test_last_line_holds_at_least_two_han(maker):
    for chars in range(10, 30):
        text = "学习教育开展以来，各地区坚持学查改一体推进，将发现问题、解决问题作为关键抓手了。"
        lines = lines_of(maker, text, chars)
        if len(lines) > 1:
            assert sum(p.box.kind == "han" for p in lines[-1].items) >= 2


def test_centred_punctuation_is_not_compressed():
    tw = BoxMaker(FontBook(load_style("default"), "TC"), punctuation="centred")
    boxes = tw.boxes([Run("解決。」這是", InlineStyle(size=SIZE))])
    (line,) = break_lines(boxes, 40 * SIZE, 0, align="left")
    assert all(p.advance == pytest.approx(SIZE) for p in line.items)


def test_han_latin_gap_stays_within_a_quarter_em_when_justifying(maker):
    """clreq §3.2.2: up to a quarter em between Han and Latin text; justification spreads the Han
    characters instead (the gap shrinks to an eighth on a line pushed in)."""
    text = "在2026年的第1次会议上通过了第12351号决定和第7项安排并且公布"
    for chars in range(10, 20):
        lines = lines_of(maker, text, chars, 0)
        for line in lines[:-1]:
            for a, b in pairwise(line.items):
                if (a.box.kind == "han") != (b.box.kind == "han") and "latin" in (a.box.kind, b.box.kind):
                    gap = b.left - (a.left + a.advance)
                    assert 0.125 * SIZE - 0.01 <= gap <= SIZE / 4 + 0.01


@pytest.mark.parametrize("chars", range(10, 30))
def test_centred_lines_are_balanced_and_centred(maker, chars):
    """A centred block of several lines breaks into lines of even length (a title's lines differ by
    at most a character or two, never a long line over a short tail), each centred on the measure."""
    text = "——中央和国家机关、人民团体扎实开展树立和践行正确政绩观学习教育"
    boxes = maker.boxes([Run(text, InlineStyle(size=SIZE))])
    measure = chars * SIZE
    greedy = break_lines(boxes, measure, 0.0, "left")
    lines = break_lines(boxes, measure, 0.0, "center")
    assert len(lines) == len(greedy)
    assert "".join(p.box.text for line in lines for p in line.items) == text
    widths = [line.width for line in lines]
    if len(lines) > 1:
        assert max(widths) - min(widths) <= 2.5 * SIZE, widths
    for line in lines:
        left = line.items[0].left
        right = line.items[-1].left + line.items[-1].advance
        assert abs(left - (measure - right)) <= 0.5  # as much room on each side


@pytest.mark.parametrize(
    "title",
    [
        "某县教育局关于做好2026年暑期学生安全工作的通知",
        "××市人民政府办公室关于开展2026年春季森林防火专项检查的通知",
        "国务院关于进一步优化营商环境更好服务市场主体的实施意见",
        "关于印发《全省第三次全国土壤普查工作方案》的通知",
    ],
)
@pytest.mark.parametrize("chars", range(14, 24))
def test_a_centred_title_breaks_between_words(maker, title, chars):
    """GB/T 9704-2012 §7.3.1 (回行时词意完整): a title's lines end at word boundaries, a number with its
    unit (2026年) counted as one word (at these measures that takes no more lines)."""
    from zhengji_publish.typeset.words import word_starts

    boxes = maker.boxes([Run(title, InlineStyle(size=SIZE))])
    greedy = break_lines(maker.boxes([Run(title, InlineStyle(size=SIZE))]), chars * SIZE, 0.0, "left")
    lines = break_lines(boxes, chars * SIZE, 0.0, "center")
    assert len(lines) == len(greedy)
    texts = ["".join(p.box.text for p in line.items) for line in lines]
    assert "".join(texts) == title
    starts, at = word_starts(title), 0
    for text in texts[:-1]:
        at += len(text)
        assert at in starts, texts


def test_a_short_column_keeps_its_width_beside_a_long_one():
    """An automatic table layout: the year and the number keep their natural widths (never
    ``2001`` / ``年``), the long description takes what is left, and the table fills the measure."""
    from zhengji_publish.writers.pdf.layout import b_pad, share_measure

    size, measure = 10.0, 300.0
    content = [32.5, 55.0, 25.0, 600.0]  # 2001年, 第1项指标, 137.5, a long description
    widths = share_measure(content, measure, size)
    assert widths[:3] == [w + b_pad(size) for w in content[:3]]
    assert sum(widths) == pytest.approx(measure)
    even = share_measure([400.0, 400.0], measure, size)  # two long columns share evenly
    assert even == [pytest.approx(150.0), pytest.approx(150.0)]


def test_a_long_word_of_code_is_not_cut_inside_a_number_nor_next_to_its_ends(maker):
    """Cuts of a long word of inline code leave three letters or digits or more on each side
    (never ``…Sessio`` | ``n()``) and never fall inside a number (``3.`` | ``4.0``, ``03:15:`` |
    ``00``, ``0000`` | ``0C3``), unless the word is wider than the line or the line ends where
    LibreOffice ends a line of code itself (after a hyphen: ``2024-`` | ``09``)."""
    plain = InlineStyle(size=SIZE)
    code = InlineStyle(size=SIZE, code=True, role="mono")
    head = "客户端库中最常用的方法"
    words = [
        "release-v3.4.0-final",
        "'2024-09-01T03:15:00+08'",
        "createMultipartUploadSession()",
        "seg_0000002A000000C3",
    ]
    for word in words:
        for chars in range(8, 16):
            boxes = maker.boxes([Run(head, plain), Run(word, code), Run("返回结果。", plain)])
            texts = ["".join(p.box.text for p in line.items) for line in break_lines(boxes, chars * SIZE, 0.0)]
            ends = itertools.accumulate(len(t) for t in texts[:-1])
            for cut in (end - len(head) for end in ends):
                if not 0 < cut < len(word) or sum(b.width for b in maker.boxes([Run(word, code)])) > chars * SIZE:
                    continue  # not inside the word, or the word is wider than the line: cut where it must
                if cut in rules.code_breaks(word):
                    continue  # after a hyphen, where LibreOffice breaks code (``2024-`` | ``09-01``) itself
                left, right = word[:cut], word[cut:]
                assert sum(map(str.isalnum, left)) >= 3 and sum(map(str.isalnum, right)) >= 3, texts
                assert not (left.rstrip(".:-_")[-1:].isdigit() and right.lstrip(".:-_")[:1].isdigit()), texts


@pytest.mark.unit
def test_digits_take_the_script_of_the_last_letter_or_han_character_past_marks(maker):
    """Digits have no script (UAX #24 Common) and take the one of the last letter or Han
    character before them, Chinese punctuation passed over as LibreOffice's script runs pass it:
    ``（IMF）10月``'s are Latin, ``（甲）10月``'s Chinese. Before, the PDF took the Chinese forms
    after ``）`` and LibreOffice the Latin ones, 0.7 pt wider: a line the PDF filled exactly lost
    its last character in LibreOffice."""

    def width(text: str) -> float:
        return next(b.width for b in maker.boxes([Run(text, InlineStyle(size=SIZE))]) if b.text == "10")

    latin, chinese = width("IMF 10"), width("于10月")
    assert latin != chinese
    assert width("组织（IMF）10月") == latin
    assert width("组织“AI”10月") == latin
    assert width("组织（甲）10月") == chinese
    # nothing before: the letter after the digits decides, as LibreOffice gives leading weak
    # characters the script that follows them (a table cell ``10hours``)

    def word(text: str) -> float:
        return next(b.width for b in maker.boxes([Run(text, InlineStyle(size=SIZE))]) if b.text == "10hours")

    assert word("IMF 10hours") != word("于10hours")
    assert word("10hours") == word("（10hours") == word("IMF 10hours")
    assert width("10月") == chinese


@pytest.mark.unit
@pytest.mark.parametrize("numeral", ["Ⅰ", "Ⅻ", "ⅱ", "①", "⑳", "⑴", "⒈"])
def test_roman_and_enclosed_numerals_are_set_as_han_characters(maker, numeral):
    """``Ⅰ—Ⅲ类``, ``①项``: the CJK faces draw Roman and enclosed numerals a full em wide and
    LibreOffice sets them as East Asian text after Han characters, so no Han–Latin gap goes beside
    them and a 连接号 after them is the full-em one (GB/T 15834-2011 §4.13). Before, the PDF set a
    quarter em on each side and a 0.89 em Latin dash after them, where LibreOffice set neither: a
    government report's ``国控断面Ⅰ—Ⅲ类`` line held a character more in the PDF."""
    boxes = maker.boxes([Run(f"断面{numeral}—{numeral}类", InlineStyle(size=SIZE))])
    assert [b.text for b in boxes] == ["断", "面", numeral, "—", numeral, "类"]
    assert all(b.glue == 0 for b in boxes[1:]), [(b.text, b.glue) for b in boxes]
    assert boxes[3].width == pytest.approx(SIZE)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "full"),
    [
        ("温度25℃—30℃", False),  # after a digit: Latin
        ("气温高于℃—", True),  # a symbol after Han text takes its script
        ("增长‰—", True),
        ("向右→—", True),
        ("第①—", True),
        ("第I—", False),  # a Latin letter
        ("第§—", False),  # Latin-1 symbols are Latin
        ("Ⅰ—", False),  # nothing strong before: LibreOffice's Latin dash
    ],
)
def test_a_connector_after_symbols_takes_the_script_before_them(maker, text, full):
    """A lone 连接号 is the full-em dash after Han text, the symbols and numeral forms after it
    passed over (``面℃—``, ``和①—③``), as LibreOffice's script runs pass over characters of no
    script; after a Latin letter, a digit or a Latin-1 symbol it is the Latin dash (measured in
    LibreOffice 7.4: 10.5 pt against 9.3 pt at 五号)."""
    boxes = maker.boxes([Run(text, InlineStyle(size=SIZE))])
    dash = next(b for b in boxes if b.text == "—")
    assert (dash.width == pytest.approx(SIZE)) is full, (text, dash.width, dash.kind)
