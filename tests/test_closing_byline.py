"""An article's closing byline (记者, 电头 under the last paragraph) never stands alone at the top of
a page: the paragraph's last lines go with it, in our PDF and in LibreOffice's layout of the DOCX."""

from __future__ import annotations

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

from zhengji_publish.cli import main

BYLINE = "新华社记者王小明（新华社北京3月16日电）"
TITLE = "以实干实绩检验学习教育成效"
SENTENCE = "各地区各部门要把学习教育同推动高质量发展结合起来，以实际行动检验学习成效，确保各项任务落到实处。"


def _source(tmp_path, paragraphs: int, last_sentences: int):
    body = "\n\n".join(SENTENCE * 3 for _ in range(paragraphs))
    text = f"---\ntitle: {TITLE}\n---\n\n{body}\n\n{SENTENCE * last_sentences}\n\n::: byline\n{BYLINE}\n:::\n"
    source = tmp_path / f"article-{paragraphs}-{last_sentences}.md"
    source.write_text(text, encoding="utf-8")
    return source


def _lines_above_byline(pdf_path) -> tuple[int, int]:
    """(the byline's page, the number of text lines above it on that page, running head and folio
    left out)."""
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            lines = [ln["text"].replace(" ", "") for ln in page.extract_text_lines()]
            if any(BYLINE in ln for ln in lines):
                at = next(i for i, ln in enumerate(lines) if BYLINE in ln)
                above = [ln for ln in lines[:at] if ln != TITLE and not ln.isdigit()]
                return number, len(above)
    raise AssertionError("no byline found")


@pytest.mark.e2e
@pytest.mark.parametrize(("paragraphs", "last"), [(7, 6), (8, 6), (19, 2), (20, 2), (24, 6), (25, 6)])
def test_a_closing_byline_keeps_the_last_lines_of_its_paragraph_in_the_pdf(tmp_path, paragraphs, last):
    """Wherever the text ends on the page, the byline's page carries at least two lines of the last
    paragraph (six sentences: about five lines, so it may split; two: two lines, kept whole). Set
    without this rule, (8, 6), (20, 2) and (24, 6) put the byline alone at the top of a page."""
    source = _source(tmp_path, paragraphs, last)
    assert main(["build", str(source), "-o", str(tmp_path), "-e", "zh-Hans", "-f", "pdf"]) == 0
    _page, above = _lines_above_byline(tmp_path / f"{source.stem}.zh-Hans.pdf")
    assert above >= 2


def _last_line_bottom(pdf_path, page: int) -> float:
    """The bottom of the last text line (folio left out) on page ``page`` (1-based)."""
    with pdfplumber.open(pdf_path) as pdf:
        return max(ln["bottom"] for ln in pdf.pages[page - 1].extract_text_lines() if "—" not in ln["text"])


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize(
    ("paragraphs", "last"), [(8, 6), (20, 2), (24, 6), (6, 12), (7, 12), (8, 12), (9, 12), (5, 18), (7, 18)]
)
def test_libreoffice_keeps_the_closing_byline_with_text_as_the_pdf_does(tmp_path, soffice_pdf, paragraphs, last):
    """The DOCX keeps the byline with the last paragraph's last lines (w:keepNext on the paragraph
    holding them): LibreOffice puts the byline on the PDF's page, under as many lines as the PDF,
    and fills the page before as far as the PDF does. A last paragraph of 10 to 15 lines (12 and 18
    sentences) kept whole with its byline left the page before it empty under the paragraph above
    (LibreOffice moves a kept paragraph whole)."""
    source = _source(tmp_path, paragraphs, last)
    assert main(["build", str(source), "-o", str(tmp_path), "-e", "zh-Hans", "-f", "pdf", "-f", "docx"]) == 0
    paragraphs_xml = docx.Document(str(tmp_path / f"{source.stem}.zh-Hans.docx")).element.body.findall(qn("w:p"))
    at = next(i for i, p in enumerate(paragraphs_xml) if BYLINE in "".join(p.itertext()))
    assert paragraphs_xml[at - 1].find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
    pdf = tmp_path / f"{source.stem}.zh-Hans.pdf"
    lo = soffice_pdf(tmp_path / f"{source.stem}.zh-Hans.docx")
    ours, theirs = _lines_above_byline(pdf), _lines_above_byline(lo)
    assert theirs[1] >= 2
    assert theirs == ours
    if ours[0] > 1:
        assert _last_line_bottom(lo, ours[0] - 1) == pytest.approx(_last_line_bottom(pdf, ours[0] - 1), abs=2)
