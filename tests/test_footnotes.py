"""Footnotes through the command line: a reference to a label no definition names and a label
defined twice stop the build at their line and column; a definition no reference names is a
warning and the build goes on; text that only looks like a reference is set as written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pdfplumber
import pytest

from zhengji_publish.cli import main


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, *extra: str) -> tuple[int, list[str], Path]:
    """Build ``text`` as ``doc.md``: the exit status, the stderr lines with the source's path taken
    off their start, and the output folder."""
    src = tmp_path / "doc.md"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code = main(["build", str(src), "-o", str(out), *extra])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, [line.removeprefix(f"{src}:") for line in err.splitlines()], out


def _undefined(label: str, line: int, col: int) -> str:
    return (
        f"{line}:{col}: error: footnote [^{label}] is not defined — add a line '[^{label}]: …' or remove the reference"
    )


def _nothing_written(out: Path) -> bool:
    return not out.exists() or not any(out.iterdir())


UNDEFINED = {
    "in a paragraph": ("# 标题\n\n正文[^x]。\n", [("x", 3, 3)]),
    "digits and Chinese, several on a line": (
        "# 标题\n\n甲[^1]乙[^b2]丙[^注一]。\n",
        [("1", 3, 2), ("b2", 3, 7), ("注一", 3, 13)],
    ),
    "one defined, one not": ("# 标题\n\n甲[^1]乙[^2]。\n\n[^1]: 注。\n", [("2", 3, 7)]),
    "in a list item and its continuation line": ("# 标题\n\n- 项[^a]\n  续[^b]\n", [("a", 3, 4), ("b", 4, 4)]),
    "in a nested block quote": ("# 标题\n\n> 引[^a]\n> > 又 [^b]\n", [("a", 3, 4), ("b", 4, 7)]),
    "in a heading": ("# 标题[^h] #\n\n正文。\n", [("h", 1, 5)]),
    "in table cells of one text, after an escaped pipe": (
        "# 标题\n\n| 甲 | 乙 |\n|---|---|\n| x[^a] | x[^a] |\n| `\\|` \\| y[^b] | z |\n",
        [("a", 5, 4), ("a", 5, 12), ("b", 6, 12)],
    ),
    "in a link's text": ("# 标题\n\n见[说明[^k]](https://example.org)。\n", [("k", 3, 5)]),
    "in a footnote's own text": ("# 标题\n\n正文[^1]。\n\n[^1]: 注，见[^2]。\n", [("2", 5, 10)]),
    "in an inline footnote": ("# 标题\n\n正文^[内联 [^in]]。\n", [("in", 3, 8)]),
}


@pytest.mark.unit
@pytest.mark.parametrize("case", UNDEFINED)
def test_an_undefined_footnote_stops_the_build_at_its_bracket(tmp_path, capsys, case):
    text, expected = UNDEFINED[case]
    code, lines, out = _run(tmp_path, capsys, text)
    assert code == 1
    assert lines == [_undefined(*where) for where in expected]
    assert _nothing_written(out)


@pytest.mark.unit
def test_an_undefined_footnote_in_a_chapter_names_the_chapter_as_given(tmp_path, capsys, monkeypatch):
    (tmp_path / "ch").mkdir()
    (tmp_path / "ch" / "01.md").write_text("# 第一章\n\n正文。[^1]\n\n[^1]: 注。\n", encoding="utf-8")
    (tmp_path / "ch" / "02.md").write_text("# 第二章\n\n正文[^x]。\n", encoding="utf-8")
    (tmp_path / "book.yaml").write_text("title: 书\nchapters: [ch/01.md, ch/02.md]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["build", "book.yaml", "-o", "out"]) == 1
    assert capsys.readouterr().err.splitlines() == ["ch/02.md:" + _undefined("x", 3, 3)]
    assert _nothing_written(tmp_path / "out")


@pytest.mark.unit
def test_a_footnote_defined_twice_stops_the_build_at_the_second(tmp_path, capsys):
    code, lines, out = _run(tmp_path, capsys, "# 标题\n\n正文[^1]。\n\n[^1]: 甲注。\n\n> [^1]: 乙注。\n")
    assert code == 1
    assert lines == [
        "7:3: error: footnote [^1] is defined twice (first on line 5) — keep one of the two definitions, "
        "or give this one a label of its own and reference it"
    ]
    assert _nothing_written(out)


@pytest.mark.unit
def test_every_footnote_error_is_reported_in_line_order(tmp_path, capsys):
    text = "# 标题\n\n[^1]: 甲注。\n\n正文[^1][^x]。\n\n[^1]: 乙注。\n"
    code, lines, out = _run(tmp_path, capsys, text)
    assert code == 1
    assert lines == [
        _undefined("x", 5, 7),
        "7:1: error: footnote [^1] is defined twice (first on line 3) — keep one of the two definitions, "
        "or give this one a label of its own and reference it",
    ]
    assert _nothing_written(out)


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "".join((page.extract_text() or "") for page in pdf.pages).replace("\n", "")


def _epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as epub:
        return "".join(epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml"))


UNREFERENCED = "# 标题\n\n正文[^1]。\n\n[^1]: 引用的注。\n[^2]: 未被引用的注。\n\n- [^注三]: 列表里的注。\n"


@pytest.mark.e2e
def test_an_unreferenced_footnote_is_a_warning_and_the_build_goes_on(tmp_path, capsys):
    code, lines, out = _run(tmp_path, capsys, UNREFERENCED)
    assert code == 0
    assert lines == [
        "6:1: warning: footnote [^2] is defined but never referenced — reference it with [^2] or remove it",
        "8:3: warning: footnote [^注三] is defined but never referenced — reference it with [^注三] or remove it",
    ]
    pdf = _pdf_text(out / "doc.zh-Hans.pdf")
    assert "引用的注。" in pdf and "未被引用的注" not in pdf and "列表里的注" not in pdf
    epub = _epub_text(out / "doc.zh-Hans.epub")
    assert "引用的注。" in epub and "未被引用的注" not in epub


@pytest.mark.unit
def test_strict_makes_an_unreferenced_footnote_an_error(tmp_path, capsys):
    code, lines, out = _run(tmp_path, capsys, UNREFERENCED, "--strict")
    assert code == 1
    assert lines == ["6:1: error: footnote [^2] is defined but never referenced — reference it with [^2] or remove it"]
    assert _nothing_written(out)


@pytest.mark.e2e
def test_text_that_only_looks_like_a_reference_is_set_as_written(tmp_path, capsys):
    text = (
        "# 标题\n\n"
        "代码`[^a]`，转义\\[^b]，链接[^c](https://example.org)，正文[^1]。\n\n"
        "```\n[^d]\n```\n\n"
        "[^1]: 注，代码`[^1]`。\n"
    )
    code, lines, out = _run(tmp_path, capsys, text)
    assert (code, lines) == (0, [])
    pdf = _pdf_text(out / "doc.zh-Hans.pdf")
    for written in ("[^a]", "[^b]", "^c", "[^d]", "注，代码[^1]。"):
        assert written in pdf
    assert "[^c]" not in pdf and "正文[^1]" not in pdf


@pytest.mark.e2e
@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant-TW"])
def test_a_reference_sits_on_the_character_before_it(tmp_path, capsys, edition):
    """A note's reference (a raised number) follows the Han character or the digit before it with
    no gap, as LibreOffice and Word set ``w:footnoteReference``; the quarter-em gap between Han
    and Latin text (clreq §3.2.2) is for running text, not for a mark attached to its word.
    Before, the PDF put a quarter em between ``家`` and ``¹``."""
    text = (
        "# 标题\n\n据统计，全市共有社区养老服务中心120家[^1]，另据民政部门数据[^2]，"
        "老年人口占比上升了3.2个百分点[^3]。一二三四五六七八九十一二三四五六七八九十。\n\n"
        "[^1]: 来源一。\n[^2]: 来源二。\n[^3]: 来源三。\n"
    )
    code, lines, out = _run(tmp_path, capsys, text, "-e", edition, "-f", "pdf")
    assert (code, lines) == (0, [])
    with pdfplumber.open(out / f"doc.{edition}.pdf") as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"].strip()]
    body = max(c["size"] for c in chars if c["text"] == "家")
    refs = [(a, b) for a, b in zip(chars, chars[1:], strict=False) if b["size"] < 0.8 * body and a["size"] == body]
    assert [b["text"] for _a, b in refs] == ["1", "2", "3"]
    for a, b in refs:
        assert abs(b["x0"] - a["x1"]) < 0.05 * body, (a["text"], b["text"], b["x0"] - a["x1"])
