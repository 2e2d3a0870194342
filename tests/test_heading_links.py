"""Links to headings as READMEs and pandoc manuscripts write them reach the heading in every format.

GitHub names a heading by its text (``#安装``, ``#12-快速开始-quick-start``), pandoc by its own rule
(``#快速开始-quick-start``) or by an id the author gives (``## 安装 {#install}``); the reader points
each such link at the heading's own id, so the PDF's link goes to the heading's page, the DOCX's to
its bookmark and the EPUB's to its element.
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

from zhengji_publish import model as m
from zhengji_publish.anchors import heading_names, pandoc_identifier, take_attributes
from zhengji_publish.diagnostics import Reporter
from zhengji_publish.reader import read_text

README = """\
---
title: 工具手册
---

## 目录

- [安装](#安装)
- [快速开始](#12-快速开始-quick-start)
- [Quick start, pandoc's name](#快速开始-quick-start)
- [配置（高级）](#配置高级)
- [第二个用法](#用法-1)
- [Install](#install)

## 安装 {#install .unnumbered}

见[用法](#用法)。

## 1.2 快速开始 Quick Start!

正文。

## 用法

:::pagebreak
:::

## 配置（高级）

正文。

## 用法

第二个用法[^1]。

[^1]: 注里的链接[回到安装](#%E5%AE%89%E8%A3%85)。
"""

# link text → the heading it names
TARGETS = {
    "安装": "安装",
    "快速开始": "1.2 快速开始 Quick Start!",
    "Quick start, pandoc's name": "1.2 快速开始 Quick Start!",
    "配置（高级）": "配置（高级）",
    "第二个用法": "用法#2",
    "Install": "安装",
    "用法": "用法#1",
    "回到安装": "安装",
}


def _doc(text: str, reporter: Reporter | None = None) -> m.Document:
    return read_text(text, Path("readme.md"), reporter or Reporter(stream=open("/dev/null", "w")))


def _heading_ids(doc: m.Document) -> dict[str, str]:
    """heading text (``用法#2`` for the second of that text) → ident"""
    seen: dict[str, int] = {}
    named: dict[str, str] = {}
    for h in m.headings(doc):
        text = m.plain_text(h.children)
        seen[text] = seen.get(text, 0) + 1
        named[f"{text}#{seen[text]}" if text == "用法" else text] = h.ident
    return named


@pytest.mark.unit
def test_github_and_pandoc_names_and_given_ids_point_at_the_heading():
    doc = _doc(README)
    ids = _heading_ids(doc)
    links = {m.plain_text(n.children): n.href for n in m.nodes(doc) if isinstance(n, m.Link)}
    assert {text: links[text] for text in TARGETS} == {text: "#" + ids[h] for text, h in TARGETS.items()}


@pytest.mark.unit
def test_a_given_id_is_taken_off_the_headings_text():
    doc = _doc(README)
    texts = [m.plain_text(h.children) for h in m.headings(doc)]
    assert "安装" in texts and not any("{" in t or "install" in t for t in texts)
    assert take_attributes([m.Text('安装 {#install .unnumbered key="a b"}')]) == ([m.Text("安装")], "install")
    assert take_attributes([m.Text("公式 {x}")]) == ([m.Text("公式 {x}")], "")  # not an attribute block
    assert take_attributes([m.Text("无编号 {-}")]) == ([m.Text("无编号")], "")


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "github", "pandoc"),
    [
        ("安装", "安装", "安装"),
        ("1.2 快速开始 Quick Start!", "12-快速开始-quick-start", "快速开始-quick-start"),
        ("配置（高级）：说明", "配置高级说明", "配置高级说明"),
        ("API 参考 v2.0", "api-参考-v20", "api-参考-v2.0"),
        ("2026", "2026", "section"),
    ],
)
def test_heading_names_follow_github_and_pandoc(text, github, pandoc):
    heading = m.Heading(2, [m.Text(text)], "sec-1")
    names = heading_names([heading])
    assert names[github] == "sec-1" and names[pandoc] == "sec-1" and names[text] == "sec-1"
    assert pandoc_identifier(text) == pandoc


@pytest.mark.unit
def test_a_link_naming_no_heading_is_warned_about_at_its_target():
    reporter = Reporter(stream=open("/dev/null", "w"))
    _doc("# 甲\n\n正文，见[别处](#没有这节)。\n\n另见[乙](#sec-1)。\n", reporter)
    assert [d.format() for d in reporter.warnings] == [
        "readme.md:3:10: warning: link target '#没有这节' is no heading's name — link to a heading by its "
        "text as GitHub or pandoc names it ('#安装', '#quick-start'), or give the heading an id: "
        "'## 安装 {#install}'"
    ]


@pytest.mark.unit
def test_a_link_to_a_local_file_is_warned_about_once_at_its_target():
    """No format holds the file a README links beside it (``docs/指南.md``, ``LICENSE``), and an EPUB
    cannot link outside itself: said once, where the link is written, in Markdown or HTML."""
    reporter = Reporter(stream=open("/dev/null", "w"))
    _doc(
        "# 甲\n\n见[指南](docs/指南.md)和[信](mailto:a@b.cn)、[网](https://example.org)。\n\n"
        '<p>许可：<a href="LICENSE">LICENSE</a></p>\n',
        reporter,
    )
    assert [(d.line, d.col, d.message.split("'")[1]) for d in reporter.warnings] == [
        (3, 7, "docs/指南.md"),
        (5, 16, "LICENSE"),
    ]
    assert "use a full URL (https://…)" in reporter.warnings[0].format()


@pytest.mark.e2e
def test_heading_links_reach_the_heading_in_the_pdf_the_docx_and_the_epub(tmp_path):
    source = tmp_path / "readme.md"
    source.write_text(README, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "zhengji_publish", "build", str(source), "-o", str(tmp_path / "out"), "-e", "zh-Hans"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0 and "link target" not in result.stderr, result.stderr
    out = tmp_path / "out"

    # PDF: each link's destination is the page and height of the heading it names
    def flat(text: str) -> str:
        return re.sub(r"\s", "", text)

    with pdfplumber.open(out / "readme.zh-Hans.pdf") as pdf:
        page_of = {page.page_obj.pageid: page for page in pdf.pages}
        headings: dict[str, list[tuple[int, float]]] = {}
        for page in pdf.pages:
            for line in page.extract_text_lines():
                headings.setdefault(flat(line["text"]), []).append((page.page_number, line["top"]))
        reached = set()
        for page in pdf.pages:
            for annot in page.annots:
                dest = annot["data"].get("Dest")
                inside = [
                    c["text"]
                    for c in page.chars
                    if annot["x0"] <= (c["x0"] + c["x1"]) / 2 <= annot["x1"]
                    and annot["top"] <= c["top"] < annot["bottom"]
                ]
                name = next((t for t in TARGETS if flat(t) == "".join(inside)), None)
                if not dest or name is None:
                    continue
                heading, _, nth = TARGETS[name].partition("#")
                number, top = headings[flat(heading)][int(nth or 1) - 1]
                target = page_of[dest[0].objid]
                assert target.page_number == number, name
                assert 0 <= top - (target.height - dest[3]) < 12, name  # the view opens at the heading
                reached.add(name)
        assert reached == set(TARGETS)
        assert "{#install" not in "".join(page.extract_text() for page in pdf.pages)

    # DOCX: each hyperlink's anchor is a bookmark at the heading it names
    docx = DocxDocument(str(out / "readme.zh-Hans.docx"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    marks: dict[str, list[str]] = {}
    for p in docx.element.body.iter(f"{w}p"):
        for mark in p.iter(f"{w}bookmarkStart"):
            marks.setdefault(mark.get(f"{w}name"), []).append("".join(t.text or "" for t in p.iter(f"{w}t")))
    anchors = {}
    notes = [etree.fromstring(rel.target_part.blob) for rel in docx.part.rels.values() if "footnotes" in rel.reltype]
    for part in [docx.element, *notes]:
        for link in part.iter(f"{w}hyperlink"):
            text = "".join(t.text or "" for t in link.iter(f"{w}t"))
            if link.get(f"{w}anchor") and text in TARGETS:
                anchors[text] = marks[link.get(f"{w}anchor")][0]
    assert set(anchors) == set(TARGETS)
    for text, heading in TARGETS.items():
        assert anchors[text] == heading.split("#")[0], text

    # EPUB: each link's file and fragment name an element holding the heading
    with zipfile.ZipFile(out / "readme.zh-Hans.epub") as epub:
        pages = {
            Path(name).name: etree.fromstring(epub.read(name))
            for name in epub.namelist()
            if name.endswith(".xhtml") and "nav" not in name
        }
    hrefs = {}
    for home, tree in pages.items():
        for a in tree.iter("{http://www.w3.org/1999/xhtml}a"):
            text = "".join(a.itertext())
            if text in TARGETS:
                file, _, frag = (a.get("href") or "").partition("#")
                element = next(iter(pages[file or home].xpath(f"//*[@id='{frag}']")))
                hrefs[text] = "".join(element.itertext()).strip()
    assert set(hrefs) == set(TARGETS)
    for text, heading in TARGETS.items():
        assert hrefs[text] == heading.split("#")[0], text
