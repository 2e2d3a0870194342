"""Huge and deeply nested sources: a located message and exit 1, or a build in bounded memory.

Each case runs the command line in a child process with a timeout, so a hang fails the test
rather than the suite, and the child's peak memory is measured.
"""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pdfcheck import flat_text

from zhengji_publish import limits

pytestmark = pytest.mark.e2e

TIMEOUT = 120
MEMORY_BOUND_KB = 2 * 1024 * 1024  # 2 GB
EARLIER = b"%PDF-1.4 yesterday's good output\n"
DIAGNOSTIC = re.compile(r"^.+:\d+:\d+: (error|warning): .+ — .+$")


def build(src: Path, out: Path, *args: str) -> tuple[int, str, int]:
    """Exit status, stderr and peak memory (KB) of ``zhengji-publish build`` in a child process."""
    cmd = [sys.executable, "-m", "zhengji_publish", "build", str(src), "-o", str(out), *args]
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    report = out.parent / f"{src.stem}.time"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if timer:
        cmd = [timer, "-f", "%M", "-o", str(report), *cmd]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    if timer and report.exists() and report.read_text().strip().splitlines():
        peak = int(report.read_text().strip().splitlines()[-1])
    else:
        peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return proc.returncode, proc.stderr, peak


def expect_error(tmp_path: Path, text: str | bytes, message: str) -> None:
    """The build stops with exactly ``message``, no traceback, and leaves an earlier output alone."""
    src = tmp_path / "doc.md"
    if isinstance(text, str):
        text = text.encode("utf-8")
    src.write_bytes(text)
    out = tmp_path / "out"
    out.mkdir()
    (out / "doc.zh-Hans.pdf").write_bytes(EARLIER)
    code, err, peak = build(src, out, "-e", "zh-Hans")
    assert code == 1, err
    assert err.splitlines() == [f"{src}:{message}"], err
    assert all(DIAGNOSTIC.match(line) for line in err.splitlines())
    assert "Traceback" not in err and "internal error" not in err
    assert [p.name for p in out.iterdir()] == ["doc.zh-Hans.pdf"]
    assert (out / "doc.zh-Hans.pdf").read_bytes() == EARLIER
    assert peak < MEMORY_BOUND_KB


def expect_built(
    tmp_path: Path,
    text: str,
    formats: tuple[str, ...] = ("pdf", "docx", "epub"),
    editions: tuple[str, ...] = ("zh-Hans",),
) -> Path:
    src = tmp_path / "doc.md"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    args = [a for f in formats for a in ("-f", f)] + [a for e in editions for a in ("-e", e)]
    code, err, peak = build(src, out, *args)
    assert code == 0, err
    assert "Traceback" not in err
    for fmt in formats:
        for ed in editions:
            assert (out / f"doc.{ed}.{fmt}").stat().st_size > 0
    assert peak < MEMORY_BOUND_KB, f"peak memory {peak / 1024:.0f} MB"
    return out


NEST = (
    f"are nested more than {limits.MAX_BLOCK_DEPTH} levels deep — at most {limits.MAX_BLOCK_DEPTH} levels "
    "are supported; flatten the structure"
)
INLINE = (
    f"are nested more than {limits.MAX_INLINE_DEPTH} levels deep — at most {limits.MAX_INLINE_DEPTH} "
    "levels are supported; flatten the structure"
)
TOO_DEEP_LINE = 3 + limits.MAX_BLOCK_DEPTH  # the first level past the limit, after "# 标题" and a blank


def test_a_50_mb_source_is_refused_up_front(tmp_path):
    line = "这是一个用于测试的很长的段落，包含中文标点符号和English words。\n\n".encode()
    text = b"# \xe6\xa0\x87\xe9\xa2\x98\n\n" + line * (50 * 1024 * 1024 // len(line))
    text += b"x" * (50 * 1024 * 1024 - len(text))
    expect_error(
        tmp_path,
        text,
        f"1:1: error: the source is 50.0 MB — sources up to {limits.MAX_SOURCE_MB} MB "
        "are supported; split it into several files",
    )


def test_1000_nested_lists(tmp_path):
    body = "".join("  " * i + f"- 第{i}层\n" for i in range(1000))
    expect_error(tmp_path, "# 标题\n\n" + body, f"{TOO_DEEP_LINE}:1: error: lists, block quotes and divs {NEST}")


def test_1000_nested_block_quotes_on_one_line(tmp_path):
    expect_error(tmp_path, "# 标题\n\n" + ">" * 1000 + " 引文\n", f"3:1: error: lists, block quotes and divs {NEST}")


def test_1000_nested_block_quotes_one_level_a_line(tmp_path):
    body = "".join(">" * (i + 1) + f" 第{i}层\n" for i in range(1000))
    expect_error(tmp_path, "# 标题\n\n" + body, f"{TOO_DEEP_LINE}:1: error: lists, block quotes and divs {NEST}")


def test_1000_nested_divs(tmp_path):
    body = "".join(":" * (1003 - i) + " notice\n" for i in range(1000)) + "内容\n"
    body += "".join(":" * (4 + i) + "\n" for i in range(1000))
    expect_error(tmp_path, "# 标题\n\n" + body, f"{TOO_DEEP_LINE}:1: error: lists, block quotes and divs {NEST}")


@pytest.mark.parametrize("mark", ["*", "**", "~~"])
def test_1000_nested_emphasis(tmp_path, mark):
    body = "".join(f"{mark}强调{i} " for i in range(1000)) + "中" + "".join(f" 尾{i}{mark}" for i in range(1000))
    expect_error(tmp_path, "# 标题\n\n" + body + "\n", f"3:1: error: emphasis, links and images {INLINE}")


def test_a_paragraph_of_a_million_characters(tmp_path):
    body = "这是一个没有空行分段的很长的段落。" * 60_000
    expect_error(
        tmp_path,
        "# 标题\n\n" + body + "\n",
        f"3:1: error: a paragraph of {len(body):,} characters — paragraphs up to "
        f"{limits.MAX_PARAGRAPH_CHARS:,} characters are supported; separate paragraphs with a blank line",
    )


@pytest.mark.external
def test_1000_nested_brackets_are_text(tmp_path):
    out = expect_built(tmp_path, "# 标题\n\n" + "[" * 1000 + "链接" + "]" * 1000 + "(https://example.org)\n")
    text = subprocess.run(["pdftotext", str(out / "doc.zh-Hans.pdf"), "-"], capture_output=True, text=True).stdout
    assert "[[[[链接]]]]" in text.replace("\n", "")


@pytest.mark.external
def test_the_deepest_nesting_allowed_builds_completely(tmp_path):
    """Lists, then quotes, to the block limit, holding emphasis to the inline limit: nothing is lost."""
    half = limits.MAX_BLOCK_DEPTH // 2
    lines, indent, quote = ["# 标题", ""], "", ""
    for i in range(half):
        lines.append(f"{indent}- 第{i}层“引号”")
        indent += "  "
    for i in range(limits.MAX_BLOCK_DEPTH - half):
        quote += "> "
        lines += [f"{indent}{quote}第{half + i}层‘单引’", indent + quote.rstrip()]
    depth = limits.MAX_INLINE_DEPTH - 1
    lines.append(
        indent
        + quote
        + "".join(f"*强{i} " for i in range(depth))
        + "[最深“处”](https://example.org)[^a]"
        + "".join(f" 尾{i}*" for i in range(depth))
    )
    lines += ["", "[^a]: 脚注“内容”", ""]
    out = expect_built(tmp_path, "\n".join(lines), editions=("zh-Hans", "zh-Hant-TW"))
    text = subprocess.run(
        ["pdftotext", str(out / "doc.zh-Hant-TW.pdf"), "-"], capture_output=True, text=True
    ).stdout.replace("\n", "")
    assert text.count("層") == limits.MAX_BLOCK_DEPTH and "最深「處」" in text


def test_100000_list_items_build_in_bounded_memory(tmp_path):
    """The DOCX and the EPUB; the PDF of it takes over a minute (about 0.7 GB), too long for the suite."""
    body = "".join(f"- 第{i}项内容，测试。\n" for i in range(100_000))
    expect_built(tmp_path, "# 标题\n\n" + body, formats=("docx", "epub"))


@pytest.mark.external
def test_blocks_longer_than_a_page_continue_on_the_next(tmp_path):
    """A 300-line code block and a notice of many pages used to stop the PDF with a layout error."""
    para = "这是一个用于测试的很长的段落，包含中文标点符号和English words。" * 5
    code = "```\n" + "\n".join(f"line {i} 代码" for i in range(300)) + "\n```\n"
    notice = "::: notice\n" + "\n\n".join(para for _ in range(40)) + "\n:::\n"
    out = expect_built(tmp_path, "# 标题\n\n" + code + "\n" + notice, formats=("pdf", "docx"))
    text = flat_text(out / "doc.zh-Hans.pdf", "标题")  # running header and folio taken out
    assert text.count("代码") == 300 and text.count("很长的段落") == 40 * 5


def test_a_table_row_taller_than_a_page(tmp_path):
    cell = "这是一个用于测试的很长的段落，包含中文标点符号和English words。" * 300
    expect_error(
        tmp_path,
        f"# 标题\n\n| a | b |\n|---|---|\n| {cell} | x |\n",
        "3:1: error: this block is too large to fit on one page — shorten it or break it up "
        "(a table row, a figure or a notice must fit on a page)",
    )


def test_a_table_too_wide_for_the_page(tmp_path):
    expect_error(
        tmp_path,
        "# 标题\n\n" + "|a" * 300 + "|\n" + "|-" * 300 + "|\n" + "|中" * 300 + "|\n",
        "3:1: error: the table has 300 columns, too many for the page's width — they need 5160 pt at the "
        "least (3 characters each, a column of shorter text its own width) and the text is 304 pt wide; "
        "split the table or turn it into a list",
    )


@pytest.mark.e2e
@pytest.mark.parametrize("style", ["ebook", "default"])
def test_a_table_of_many_short_columns_fits_a_narrow_page(tmp_path, style):
    """Six columns of numbers and a name (a README's model table) fit an e-book page: a column of
    short text needs only its own width, not three characters; only the wide columns wrap."""
    rows = [
        "| 模型 | 参数量 | 大小 | PKU F1 | MSR F1 | 下载 |",
        "|---|---:|---:|---:|---:|---|",
        "| `wenxin-tiny` | 4M | 16 MB | 95.8 | 97.1 | [链](https://example.org/t) |",
        "| `wenxin-classical` | 22M | 88 MB | — | — | [链](https://example.org/c) |",
    ]
    src = tmp_path / "doc.md"
    src.write_text("# 模型库\n\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "zhengji_publish", "build", str(src), "-o", str(out), "-f", "pdf", "-s", style],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    import pdfplumber

    with pdfplumber.open(out / "doc.zh-Hans.pdf") as pdf:
        page = pdf.pages[0]
        text = "".join(page.extract_text().split())
        for cell in ("95.8", "97.1", "4M", "22M", "——", "wenxin-"):
            assert cell in text, cell
        left = min(c["x0"] for c in page.chars)  # the text's left edge: the margins are even
        assert max(c["x1"] for c in page.chars) <= page.width - left + 0.5
