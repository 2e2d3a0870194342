"""Real manuscripts, continued: page breaks, addresses shown as link text, pasted straight quotes and
invisible characters, headings at every level, classes a style does not know, plain-text sources.
Each case is built through the command line and read back from the PDF, DOCX and EPUB it makes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest

from zhengji_publish.cli import main


def build(tmp_path: Path, text: str, *args: str, name: str = "doc.md") -> Path:
    """Write ``text`` as a source in ``tmp_path``, build it into ``tmp_path/out`` and return that folder."""
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(src), "-o", str(out), *args]) == 0
    return out


def epub_file(epub: Path, name: str) -> str:
    with zipfile.ZipFile(epub) as z:
        return z.read(f"OEBPS/{name}").decode("utf-8")


def epub_names(epub: Path) -> list[str]:
    with zipfile.ZipFile(epub) as z:
        return z.namelist()


# ---------------------------------------------------------------- page breaks

PAGES = (
    "# 标题\n\n第一页。\n\n\\newpage\n\n第二页。\n\n::: pagebreak\n:::\n\n"
    "第三页。\n\n> 引文\n>\n> ::: pagebreak\n> :::\n>\n> 第四页\n"
)


@pytest.fixture(scope="module")
def paged(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("pages"), PAGES)


@pytest.mark.e2e
def test_a_page_break_starts_a_new_pdf_page(paged):
    with pdfplumber.open(paged / "doc.zh-Hans.pdf") as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    assert len(texts) == 4
    for n, word in enumerate(("第一页", "第二页", "第三页", "第四页")):
        assert word in texts[n] and all(word not in other for other in texts[:n] + texts[n + 1 :])
    assert "newpage" not in "".join(texts)


@pytest.mark.e2e
def test_a_page_break_is_a_page_break_in_word(paged):
    body = docx.Document(str(paged / "doc.zh-Hans.docx")).element.body
    texts = []
    for p in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
        brs = p.findall(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}br")
        if any(b.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}type") == "page" for b in brs):
            texts.append("<break>")
        else:
            texts.append("".join(t.text or "" for t in p.iter() if t.tag.endswith("}t")))
    shown = [t for t in texts if t]
    assert shown == ["标题", "第一页。", "<break>", "第二页。", "<break>", "第三页。", "引文", "<break>", "第四页"]


@pytest.mark.e2e
def test_a_page_break_opens_a_new_epub_document_or_breaks_by_css(paged):
    epub = paged / "doc.zh-Hans.epub"
    chapters = sorted(n for n in epub_names(epub) if n.startswith("OEBPS/chapter-"))
    assert len(chapters) == 3
    assert "第一页" in epub_file(epub, "chapter-01.xhtml") and "第二页" not in epub_file(epub, "chapter-01.xhtml")
    assert "第二页" in epub_file(epub, "chapter-02.xhtml")
    third = epub_file(epub, "chapter-03.xhtml")
    assert '<div class="pagebreak">' in third and third.index("引文") < third.index("pagebreak") < third.index("第四页")
    assert ".pagebreak { break-before: page;" in epub_file(epub, "style.css")
    assert "newpage" not in "".join(epub_file(epub, c.removeprefix("OEBPS/")) for c in chapters)


# ---------------------------------------------------------------- addresses shown as link text


@pytest.mark.e2e
def test_an_address_shown_as_link_text_is_not_converted(tmp_path):
    out = build(
        tmp_path,
        "# 报告\n\n见 <https://example.com/发展>、[https://example.com/发展](https://example.com/发展)"
        "和[发展报告](https://example.com/)。\n",
        "-e",
        "zh-Hant-TW",
    )
    for text in (
        epub_file(out / "doc.zh-Hant-TW.epub", "chapter-01.xhtml"),
        "".join(p.text for p in docx.Document(str(out / "doc.zh-Hant-TW.docx")).paragraphs),
    ):
        assert text.count("https://example.com/发展") == 2 and "發展" not in text.replace("發展報告", "")
        assert "發展報告" in text and "見" in text
    with pdfplumber.open(out / "doc.zh-Hant-TW.pdf") as pdf:
        pdf_text = "".join(page.extract_text() for page in pdf.pages).replace("\n", "")
    assert pdf_text.count("https://example.com/发展") == 2 and "發展報告" in pdf_text
