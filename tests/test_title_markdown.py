"""Inline Markdown in a title (``*强调*``, ``**粗体**``, `` `code` ``): set as emphasis, bold and code
where a title is shown (title pages, chapter and part headings) and as plain text, without its
markers, where it is named (running heads, contents, the EPUB's navigation and metadata, the
DOCX's properties). Read from a book and an article built in every format."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest

from zhengji_publish.cli import main

MARKERS = re.compile(r"[*`]")
PARAGRAPH = "这是一段用来撑满版面的正文，说明情况，讲清道理，文字足够长，好让本章跨过好几页。" * 3


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("titles")
    (folder / "book.yaml").write_text(
        "title: 书名*强调*\nsubtitle: 副题**粗体**\nparts:\n  - title: 第一部分 *重要*\n    chapters: [a.md, b.md]\n",
        encoding="utf-8",
    )
    body = "\n\n".join([PARAGRAPH] * 40)
    (folder / "a.md").write_text(f"---\ntitle: 第一章 *强调* 与 **粗体** 和 `code`\n---\n\n{body}\n", encoding="utf-8")
    (folder / "b.md").write_text("---\ntitle: 第二章\n---\n\n正文二。\n", encoding="utf-8")
    args = ["build", str(folder / "book.yaml"), "-o", str(folder / "out"), "-s", "book-16k"]
    assert main(args) == 0
    return {fmt: folder / "out" / f"book.zh-Hans.{fmt}" for fmt in ("pdf", "docx", "epub")}


@pytest.mark.e2e
def test_the_pdf_sets_a_titles_markdown_and_names_it_plain(book):
    with pdfplumber.open(book["pdf"]) as pdf:
        pages = [re.sub(r"[ \t]", "", page.extract_text() or "") for page in pdf.pages]  # spaces are glue, not glyphs
    assert not MARKERS.search("".join(pages)), [line for line in "".join(pages).splitlines() if MARKERS.search(line)]
    heads = [page.strip().splitlines()[0].strip() for page in pages if page.strip()]
    assert "第一章强调与粗体和code" in heads[6:]  # a running head of the chapter's later pages
    assert any(line.strip().startswith("第一部分重要") for page in pages[1:3] for line in page.splitlines())
    with pdfplumber.open(book["pdf"]) as pdf:
        title = pdf.pages[0].chars
        assert {c["fontname"].split("+")[-1].split("-")[0] for c in title if c["text"] in "强调"} == {"UKaiCN"}
        opening = next(
            p for p in pdf.pages if "第一章" in (p.extract_text() or "") and "code" in (p.extract_text() or "")
        )
        faces = {c["text"]: c["fontname"] for c in opening.chars}
        assert "UKai" in faces["强"] and "UKai" not in faces["粗"] and "Mono" in faces["c"]


@pytest.mark.e2e
def test_the_docx_sets_a_titles_markdown_in_its_character_styles_and_heads_it_plain(book):
    document = docx.Document(str(book["docx"]))
    styled = {
        (p.text, tuple((r.text, r.style.name) for r in p.runs if r.style is not None)) for p in document.paragraphs
    }
    assert ("书名强调", (("强调", "Emphasis"),)) in styled
    assert ("副题粗体", (("粗体", "Strong"),)) in styled
    assert ("第一部分 重要", (("重要", "Emphasis"),)) in styled
    chapter = next(p for p in document.paragraphs if p.text.startswith("第一章") and p.style.name.startswith("Heading"))
    assert chapter.text == "第一章 强调 与 粗体 和 code"
    assert [(r.text, r.style.name) for r in chapter.runs if r.style is not None and r.style.name != "Gap Space"] == [
        ("强调", "Emphasis"),
        ("粗体", "Strong"),
        ("code", "Verbatim Char"),
    ]
    heads = {p.text for s in document.sections for p in s.header.paragraphs}
    assert "第一章 强调 与 粗体 和 code" in heads and not any(MARKERS.search(h) for h in heads)
    assert document.core_properties.title == "书名强调"


@pytest.mark.e2e
def test_the_epub_sets_a_titles_markdown_and_names_it_plain(book):
    with zipfile.ZipFile(book["epub"]) as epub:
        files = {n: epub.read(n).decode() for n in epub.namelist() if n.endswith((".xhtml", ".opf", ".ncx"))}
    text = "".join(re.sub(r"<[^>]+>", "", t) for t in files.values())
    assert not MARKERS.search(text)
    xhtml = "".join(t for n, t in files.items() if n.endswith(".xhtml"))
    assert re.search(r'<h1 class="title">书名<em><span class="ea">强调</span></em></h1>', xhtml)
    assert re.search(r'<p class="subtitle">副题<strong>粗体</strong></p>', xhtml)
    assert re.search(
        r"<h2[^>]*>第一章 <em><span class=\"ea\">强调</span></em> 与 <strong>粗体</strong> 和 <code>code</code></h2>",
        xhtml,
    )
    nav = next(t for n, t in files.items() if "nav" in n)
    assert "第一章 强调 与 粗体 和 code" in nav and "第一部分 重要" in nav
    opf = next(t for n, t in files.items() if n.endswith(".opf"))
    assert '<dc:title id="title">书名强调</dc:title>' in opf


@pytest.mark.e2e
def test_an_articles_title_and_subtitle_are_set_with_their_markdown(tmp_path):
    source = tmp_path / "doc.md"
    source.write_text(
        "---\ntitle: 关于*试点* `v2` 的通知\nsubtitle: '**征求意见稿**'\n---\n\n正文。\n", encoding="utf-8"
    )
    assert main(["build", str(source), "-o", str(tmp_path / "out")]) == 0
    with pdfplumber.open(tmp_path / "out" / "doc.zh-Hans.pdf") as pdf:
        pdf_text = re.sub(r"[ \t]", "", pdf.pages[0].extract_text())
    assert "关于试点v2的通知" in pdf_text and "征求意见稿" in pdf_text and not MARKERS.search(pdf_text)
    document = docx.Document(str(tmp_path / "out" / "doc.zh-Hans.docx"))
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert title.text == "关于试点 v2 的通知" and ("试点", "Emphasis") in [
        (r.text, r.style.name) for r in title.runs if r.style
    ]
    assert document.core_properties.title == "关于试点 v2 的通知"
    with zipfile.ZipFile(tmp_path / "out" / "doc.zh-Hans.epub") as epub:
        opf = next(epub.read(n).decode() for n in epub.namelist() if n.endswith(".opf"))
    assert '<dc:title id="title">关于试点 v2 的通知</dc:title>' in opf


@pytest.mark.e2e
@pytest.mark.parametrize("style", ["default", "gongwen"])
def test_a_heading_repeating_the_title_is_set_once_in_every_format(tmp_path, style):
    """``title: X`` and a first heading ``# X``: X once, as the title, in the PDF (its text), the
    DOCX (a Title paragraph, no Heading 1) and the EPUB (the title page's heading, none in the
    text); the heading after it is kept (in the 公文 numbered 一、 as the text's first)."""
    title = "关于开展春季森林防火专项检查的通知"
    source = tmp_path / "doc.md"
    source.write_text(
        f"---\ntitle: {title}\nstyle: {style}\n---\n\n# {title}\n\n正文。\n\n# 总体要求\n\n正文。\n",
        encoding="utf-8",
    )
    assert main(["build", str(source), "-o", str(tmp_path / "out")]) == 0
    with pdfplumber.open(tmp_path / "out" / "doc.zh-Hans.pdf") as pdf:
        pdf_text = "".join(re.sub(r"\s", "", page.extract_text() or "") for page in pdf.pages)
    assert pdf_text.count(title) == 1 and "总体要求" in pdf_text, pdf_text
    document = docx.Document(str(tmp_path / "out" / "doc.zh-Hans.docx"))
    lines = [(p.style.name, re.sub(r"\s", "", p.text)) for p in document.paragraphs]  # a title's line breaks
    assert [line for line in lines if title in line[1]] == [("Title", title)]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["一、总体要求" if style == "gongwen" else "总体要求"]
    with zipfile.ZipFile(tmp_path / "out" / "doc.zh-Hans.epub") as epub:
        bodies = {
            n: re.sub(r"<[^>]+>", "", epub.read(n).decode().split("<body", 1)[1])
            for n in epub.namelist()
            if n.endswith(".xhtml") and not n.endswith(("nav.xhtml", "cover.xhtml"))
        }
    assert [n for n, text in bodies.items() if title in text] == ["OEBPS/title.xhtml"]
    assert sum(text.count(title) for text in bodies.values()) == 1


@pytest.mark.unit
def test_a_title_starting_with_a_marker_must_be_quoted_and_the_message_says_so(tmp_path, capsys):
    """``title: *强调*`` is a YAML alias: the error says to quote a value that starts with '*'."""
    source = tmp_path / "doc.md"
    source.write_text("---\ntitle: *强调*标题\n---\n\n正文。\n", encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "doc.md:2:" in err and "front matter is not valid YAML" in err and "start with '*'" in err
    source.write_text("---\ntitle: '*强调*标题'\n---\n\n正文。\n", encoding="utf-8")
    from zhengji_publish.reader import read_file

    doc = read_file(source)
    assert doc.meta.title == "强调标题" and [type(n).__name__ for n in doc.meta.title_nodes] == ["Emph", "Text"]
