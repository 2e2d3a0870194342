"""Raw HTML in a README is set for what it shows, in the PDF, the DOCX and the EPUB.

A README's header, folded sections and contributor table are HTML; what a reader of the project's
page sees of them (the name, the logo, the summary, the table, the links) is in every format, the
tags the model cannot set are named in one warning each, and comments are no content at all.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as DocxDocument
from lxml import etree
from PIL import Image

from zhengji_publish import model as m
from zhengji_publish.diagnostics import Reporter
from zhengji_publish.reader import read_text

README = """\
<p align="center">
  <img src="docs/logo.png" width="120" alt="快刀标志">
</p>
<h1 align="center">快刀 KuaiDao</h1>
<p align="center">
  <a href="https://example.org/ci"><img src="https://img.shields.io/badge/ci-passing-green" alt="CI"></a>
</p>

<!-- INFO START
多行注释，不显示
-->

## 安装

按 <kbd>Ctrl</kbd>+<kbd>C</kbd> 退出。第一行<br>第二行，<b>加粗</b>，<a href="#用法">见用法</a>。

<details>
<summary>展开 Linux 说明</summary>

在 Linux 上运行 `make`。

</details>

## 用法

<table>
  <tr><th>贡献者</th><th>提交</th></tr>
  <tr><td><a href="https://example.org/zhang">张三</a></td><td>120</td></tr>
</table>

<iframe src="https://player.example.org/v/1"></iframe>

<div align="center">

**居中的 Markdown**

</div>
"""


def _write(folder: Path) -> Path:
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (240, 120), (200, 40, 40)).save(folder / "docs" / "logo.png")
    source = folder / "README.md"
    source.write_text(README, encoding="utf-8")
    return source


@pytest.mark.unit
def test_html_blocks_are_read_into_the_tree_at_their_lines(tmp_path):
    reporter = Reporter(stream=open("/dev/null", "w"))
    doc = read_text(README, _write(tmp_path), reporter)
    assert doc.meta.title == "快刀 KuaiDao"  # the centred <h1> names the README, as its # would
    figure = doc.blocks[0]
    assert isinstance(figure, m.Figure) and figure.image.path == tmp_path / "docs" / "logo.png"
    assert (figure.image.line, figure.image.size) == (2, (240, 120))
    headings = {m.plain_text(h.children): h for h in m.headings(doc)}
    assert headings["快刀 KuaiDao"].line == 4 and headings["快刀 KuaiDao"].ident
    texts = [m.plain_text(b.children) for b in doc.blocks if isinstance(b, m.Paragraph)]
    assert "展开 Linux 说明" in texts and "在 Linux 上运行 make。" in texts
    assert not any("注释" in t or "INFO" in t for t in texts)
    install = next(b for b in doc.blocks if isinstance(b, m.Paragraph) and "退出" in m.plain_text(b.children))
    kinds = [type(n).__name__ for n in install.children]
    assert kinds.count("LineBreak") == 1 and "Strong" in kinds
    link = next(n for n in m.nodes(install) if isinstance(n, m.Link))
    assert link.href == "#" + headings["用法"].ident
    table = next(b for b in doc.blocks if isinstance(b, m.Table))
    assert [m.plain_text(c.children) for c in table.header] == ["贡献者", "提交"]
    assert table.rows[0][0].children[0].line == 28  # type: ignore[union-attr]
    told = [(d.line, d.col, d.message.split(" dropped")[0].split(" is not included")[0]) for d in reporter.warnings]
    assert told == [
        (6, 36, "remote image https://img.shields.io/badge/ci-passing-green"),
        (15, 3, "raw HTML '<kbd>'"),
        (31, 1, "raw HTML <iframe>"),
    ]


@pytest.mark.e2e
def test_a_readmes_html_is_set_in_the_pdf_the_docx_and_the_epub(tmp_path):
    source = _write(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "zhengji_publish", "build", str(source), "-o", str(tmp_path / "out"), "-e", "zh-Hans"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("warning:") == 3, result.stderr  # the badge, <kbd>, <iframe>
    out = tmp_path / "out"
    shown = [
        "快刀 KuaiDao",
        "快刀标志",
        "展开 Linux 说明",
        "在 Linux 上运行",
        "贡献者",
        "张三",
        "居中的 Markdown",
        "加粗",
    ]

    with pdfplumber.open(out / "README.zh-Hans.pdf") as pdf:
        text = re.sub(r"\s", "", "".join(page.extract_text() for page in pdf.pages))
        for words in shown:
            assert re.sub(r"\s", "", words) in text, words
        assert not re.search("注释|INFO|<|>", text)
        assert len(pdf.pages[0].images) == 1  # the logo
        uris = {link.get("uri") for page in pdf.pages for link in page.hyperlinks}
        assert "https://example.org/zhang" in uris
        bold = [c for page in pdf.pages for c in page.chars if c["text"] in "加粗"]
        assert bold and all("Bold" in c["fontname"] or "Heavy" in c["fontname"] for c in bold), bold[:1]
        first_line, second_line = (
            next(line for page in pdf.pages for line in page.extract_text_lines() if marker in line["text"])
            for marker in ("第一行", "第二行")
        )
        assert second_line["top"] > first_line["top"]  # <br> broke the line

    docx = DocxDocument(str(out / "README.zh-Hans.docx"))
    paragraphs = "".join(p.text for p in docx.paragraphs)
    cells = "".join(c.text for t in docx.tables for row in t.rows for c in row.cells)
    for words in shown:
        assert words.replace(" ", "") in (paragraphs + cells).replace(" ", ""), words
    assert any(shape for shape in docx.inline_shapes)

    with zipfile.ZipFile(out / "README.zh-Hans.epub") as epub:
        xhtml = [etree.fromstring(epub.read(n)) for n in epub.namelist() if n.endswith(".xhtml") and "nav" not in n]
        images = [n for n in epub.namelist() if n.endswith(".png")]
    words = "".join("".join(tree.itertext()) for tree in xhtml)
    for text in shown:
        assert text.replace(" ", "") in words.replace(" ", ""), text
    assert images and any(tree.iter("{http://www.w3.org/1999/xhtml}table") for tree in xhtml)
