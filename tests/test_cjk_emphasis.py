"""Emphasis next to Chinese punctuation (the CJK-friendly amendment), and Western text exactly as CommonMark.

The parser tests compare markdown-it with and without the amendment; the output tests read the bold
and emphasised characters back from the PDF (their fonts), the DOCX (Strong/Emphasis runs) and the
EPUB (<strong>/<em>).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from zhengji_publish import model as m
from zhengji_publish.cjk_emphasis import cjk_friendly_plugin, is_cjk_character, scan_delims
from zhengji_publish.reader import _MD, read_text

# The three sentences of real manuscripts CommonMark leaves with literal asterisks, and what is bold in each.
EXAMPLES = [
    ("新到的**《园艺入门》**很快被借走了。", "《园艺入门》"),
    ("**经过三年筹备，**展览终于开幕。", "经过三年筹备，"),
    ("他喊了一声**“开门”**就走了。", "“开门”"),
]


def parser(cjk: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    return md.use(cjk_friendly_plugin) if cjk else md


CJK, PLAIN = parser(True), parser(False)


def inline_html(text: str, md: MarkdownIt = CJK) -> str:
    return md.render(text).strip().removeprefix("<p>").removesuffix("</p>")


# ---------------------------------------------------------------- the parser


@pytest.mark.unit
@pytest.mark.parametrize("text, bold", EXAMPLES)
def test_strong_and_emphasis_open_and_close_next_to_chinese_punctuation(text, bold):
    assert f"<strong>{bold}</strong>" in inline_html(text)
    assert "*" not in inline_html(text)
    single = text.replace("**", "*")
    assert f"<em>{bold}</em>" in inline_html(single) and "*" not in inline_html(single)
    assert "**" in inline_html(text, PLAIN)  # what CommonMark alone does with them


@pytest.mark.unit
@pytest.mark.parametrize(
    "text, html",
    [
        ("他说~~《书》~~了", "他说<s>《书》</s>了"),  # strikethrough scans its runs the same way
        ("**推荐几个框架：**React、Vue等前端框架。", "<strong>推荐几个框架：</strong>React、Vue等前端框架。"),
        ("Git**（注：不是GitHub）**", "Git<strong>（注：不是GitHub）</strong>"),
        ("税込**¥10,000**で入手できます。", "税込<strong>¥10,000</strong>で入手できます。"),
        ("**真，**她", "<strong>真，</strong>她"),
        ("真**（她**", "真<strong>（她</strong>"),
        ("**真】**她", "<strong>真】</strong>她"),
        ("**스크립트(script)**라고", "<strong>스크립트(script)</strong>라고"),
        ("a**🈂**a", "a<strong>🈂</strong>a"),  # a CJK symbol that is not a default-presentation emoji
        ("a**😀**a", "a**😀**a"),  # an emoji is not CJK: CommonMark's rule
        ("禰\U000e0100**(正式表記)**豆子", "禰\U000e0100<strong>(正式表記)</strong>豆子"),  # ideographic VS
        ("大塚\ufe00**(U+585A U+FE00)**", "大塚\ufe00<strong>(U+585A U+FE00)</strong>"),  # CJK + variation selector
        ("**“\ufe01Git”\ufe01**Hub", "<strong>“\ufe01Git”\ufe01</strong>Hub"),  # full-width form of “ ”
        ("中文_强调_中文", "中文_强调_中文"),  # intraword underscores stay literal, as in CommonMark
        ("中文，_强调_。", "中文，<em>强调</em>。"),
    ],
)
def test_cjk_friendly_cases(text, html):
    assert inline_html(text) == html


@pytest.mark.unit
def test_cjk_characters_follow_east_asian_width_not_emoji():
    assert all(is_cjk_character(ch) for ch in "汉字，。《》（）【】「」：；！？、ｱ한")
    assert not any(is_cjk_character(ch) for ch in "a1\"'(“”‘’—…😀")
    assert is_cjk_character("\U000323b0")  # CJK Extension J (Unicode 17), newer than Python's unicodedata


@pytest.mark.unit
def test_scan_reports_both_sides_and_the_run_length():
    src = "的**《书》**很"
    opening = scan_delims(src, 1, len(src), True)
    closing = scan_delims(src, 6, len(src), True)
    assert (opening.can_open, opening.length) == (True, 2) and (closing.can_close, closing.length) == (True, 2)


# Western text: examples of CommonMark 0.31.2 §6.2 (Emphasis and strong emphasis) with the HTML the spec
# gives; each must come out the same with the amendment as without it.
COMMONMARK = [
    ("*foo bar*", "<em>foo bar</em>"),
    ("a * foo bar*", "a * foo bar*"),
    ('a*"foo"*', "a*&quot;foo&quot;*"),
    ("foo*bar*", "foo<em>bar</em>"),
    ("5*6*78", "5<em>6</em>78"),
    ("_foo bar_", "<em>foo bar</em>"),
    ("_ foo bar_", "_ foo bar_"),
    ('a_"foo"_', "a_&quot;foo&quot;_"),
    ("foo_bar_", "foo_bar_"),
    ("5_6_78", "5_6_78"),
    ("пристаням_стремятся_", "пристаням_стремятся_"),
    ('aa_"bb"_cc', "aa_&quot;bb&quot;_cc"),
    ("foo-_(bar)_", "foo-<em>(bar)</em>"),
    ("_foo*", "_foo*"),
    ("*foo bar *", "*foo bar *"),
    ("*(*foo)", "*(*foo)"),
    ("*(*foo*)*", "<em>(<em>foo</em>)</em>"),
    ("*foo*bar", "<em>foo</em>bar"),
    ("_foo bar _", "_foo bar _"),
    ("_(_foo)", "_(_foo)"),
    ("_(_foo_)_", "<em>(<em>foo</em>)</em>"),
    ("_foo_bar", "_foo_bar"),
    ("_foo_bar_baz_", "<em>foo_bar_baz</em>"),
    ("_(bar)_.", "<em>(bar)</em>."),
    ("**foo bar**", "<strong>foo bar</strong>"),
    ("** foo bar**", "** foo bar**"),
    ('a**"foo"**', "a**&quot;foo&quot;**"),
    ("foo**bar**", "foo<strong>bar</strong>"),
    ("__foo bar__", "<strong>foo bar</strong>"),
    ("foo__bar__", "foo__bar__"),
    ("**foo bar **", "**foo bar **"),
    ("**(**foo)", "**(**foo)"),
    ("*(**foo**)*", "<em>(<strong>foo</strong>)</em>"),
    ('**foo "*bar*" foo**', "<strong>foo &quot;<em>bar</em>&quot; foo</strong>"),
    ("**foo**bar", "<strong>foo</strong>bar"),
    ("__(__foo)", "__(__foo)"),
    ("_(__foo__)_", "<em>(<strong>foo</strong>)</em>"),
    ("__foo__bar", "__foo__bar"),
    ("__foo, __bar__, baz__", "<strong>foo, <strong>bar</strong>, baz</strong>"),
    ("foo-__(bar)__", "foo-<strong>(bar)</strong>"),
    ("***foo***", "<em><strong>foo</strong></em>"),
    ("foo***bar***baz", "foo<em><strong>bar</strong></em>baz"),
    ("foo******bar*********baz", "foo<strong><strong><strong>bar</strong></strong></strong>***baz"),
    ("*foo**bar**baz*", "<em>foo<strong>bar</strong>baz</em>"),
    ("*foo**bar*", "<em>foo**bar</em>"),
    ("**foo*", "*<em>foo</em>"),
    ("*foo**", "<em>foo</em>*"),
    ("*$*alpha.", "*$*alpha."),
    ("*£*bravo.", "*£*bravo."),
    ("*€*charlie.", "*€*charlie."),
    ("*a `*`*", "<em>a <code>*</code></em>"),
    ('a**"b"**c', "a**&quot;b&quot;**c"),
    ("a**“b”**c", "a**“b”**c"),  # curly quotes are not CJK (East Asian Width: ambiguous)
]


@pytest.mark.unit
@pytest.mark.parametrize("text, html", COMMONMARK)
def test_western_emphasis_is_exactly_commonmark(text, html):
    assert inline_html(text, PLAIN) == html
    assert inline_html(text, CJK) == html
    assert _MD.render(text) == PLAIN.render(text)  # the reader's own parser


WESTERN = st.text(alphabet="ab1 *_~\"'().,!?-\\`[]<>é«»∇“”—\n", max_size=40)


@pytest.mark.unit
@settings(max_examples=400, deadline=None)
@given(WESTERN)
def test_any_western_text_parses_as_without_the_amendment(text):
    assert CJK.render(text) == PLAIN.render(text)


@pytest.mark.unit
def test_the_reader_makes_strong_and_emph_nodes(tmp_path):
    doc = read_text("\n\n".join(t for t, _ in EXAMPLES) + "\n\n他喊了一声*“开门”*就走了。\n", tmp_path / "x.md")
    strong = [m.plain_text(n.children) for b in doc.blocks for n in b.children if isinstance(n, m.Strong)]
    emph = [m.plain_text(n.children) for b in doc.blocks for n in b.children if isinstance(n, m.Emph)]
    assert strong == [bold for _, bold in EXAMPLES] and emph == ["“开门”"]


# ---------------------------------------------------------------- the outputs

SOURCE = "---\ntitle: 强调\n---\n\n" + "\n\n".join(
    t for t, _ in EXAMPLES + [(t.replace("**", "*"), b) for t, b in EXAMPLES]
)


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("emphasis") / "cjk_emphasis.md"
    path.write_text(SOURCE + "\n", encoding="utf-8")
    return path


def _styled_pdf_runs(pdf_path: Path) -> tuple[list[str], list[str]]:
    """The bold and the 楷体 (the default style's emphasis) character runs of the body, in order."""
    bold: list[str] = []
    kai: list[str] = []
    with pdfplumber.open(pdf_path) as pdf:
        chars = [c for page in pdf.pages for c in page.chars if c["size"] < 14]  # body text, not folios
    previous = ""
    for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        font = c["fontname"]
        kind = "bold" if "Bold" in font else "kai" if "Kai" in font else ""
        if kind and kind == previous:
            (bold if kind == "bold" else kai)[-1] += c["text"]
        elif kind:
            (bold if kind == "bold" else kai).append(c["text"])
        previous = kind
    return bold, kai


@pytest.mark.e2e
def test_pdf_sets_the_bold_and_emphasised_characters_in_their_faces(built, source):
    bold, kai = _styled_pdf_runs(built(source, "pdf", "zh-Hans"))
    expected = [b for _, b in EXAMPLES]
    assert bold == expected and kai == expected
    text = "".join(p.extract_text() for p in pdfplumber.open(built(source, "pdf", "zh-Hans")).pages)
    assert "*" not in text


@pytest.mark.e2e
def test_docx_has_strong_and_emphasis_runs(built, source):
    document = docx.Document(str(built(source, "docx", "zh-Hans")))
    strong = [r.text for p in document.paragraphs for r in p.runs if r.style is not None and r.style.name == "Strong"]
    emph = [r.text for p in document.paragraphs for r in p.runs if r.style is not None and r.style.name == "Emphasis"]
    expected = [b for _, b in EXAMPLES]
    assert strong == expected and emph == expected
    assert not any("*" in p.text for p in document.paragraphs)


@pytest.mark.e2e
@pytest.mark.parametrize(
    "edition, expected",
    [("zh-Hans", [b for _, b in EXAMPLES]), ("zh-Hant-TW", ["《園藝入門》", "經過三年籌備，", "「開門」"])],
)
def test_epub_has_strong_and_em(built, source, edition, expected):
    with zipfile.ZipFile(built(source, "epub", edition)) as book:
        html = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml") and "chapter" in n)
    assert re.findall(r"<strong>(.*?)</strong>", html) == expected
    # 楷体 emphasis marks its East Asian runs (<span class="ea">): the text inside is the same
    assert [re.sub(r"<[^>]+>", "", em) for em in re.findall(r"<em>(.*?)</em>", html)] == expected
    assert "*" not in re.sub(r"<[^>]+>", "", html)
