"""An article's closing byline (记者, 电头 under the last paragraph) never stands alone at the top of
a page: the paragraph's last lines go with it, in our PDF and in LibreOffice's layout of the DOCX."""

from __future__ import annotations

import docx
import opencc
import pdfplumber
import pytest
from docx.oxml.ns import qn

from zhengji_publish.cli import main
from zhengji_publish.typeset import rules

BYLINE = "新华社记者王小明（新华社北京3月16日电）"
TITLE = "以实干实绩检验学习教育成效"
SENTENCE = "各地区各部门要把学习教育同推动高质量发展结合起来，以实际行动检验学习成效，确保各项任务落到实处。"


def _source(tmp_path, paragraphs: int, last_sentences: int):
    body = "\n\n".join(SENTENCE * 3 for _ in range(paragraphs))
    text = f"---\ntitle: {TITLE}\n---\n\n{body}\n\n{SENTENCE * last_sentences}\n\n::: byline\n{BYLINE}\n:::\n"
    source = tmp_path / f"article-{paragraphs}-{last_sentences}.md"
    source.write_text(text, encoding="utf-8")
    return source


def _lines_above_byline(pdf_path, byline: str = BYLINE, title: str = TITLE) -> tuple[int, int]:
    """(the byline's page, the number of text lines above it on that page, running head and folio
    left out)."""
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            lines = [ln["text"].replace(" ", "") for ln in page.extract_text_lines()]
            if any(byline in ln for ln in lines):
                at = next(i for i, ln in enumerate(lines) if byline in ln)
                above = [ln for ln in lines[:at] if ln != title and not ln.isdigit()]
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


# A last paragraph whose lines may start inside a word: a place name and an office (管理处, which
# jieba reads as one word), numbers with units, Latin text, 省略号 and 破折号
MIXED = "北山国家森林公园管理处2024年接待游客120.5万人次……其中来自Hong Kong的旅客——占一成以上，同比增长3.5%。"
WHOLE = ["北山国家森林公园", "管理处", "2024年", "接待", "游客", "120.5万", "人次", "……", "旅客", "——", "一成", "以上"]
WHOLE += ["同比", "增长", "3.5%", "Hong", "Kong"]
EDITION = {"zh-Hans": "", "zh-Hant-TW": "s2tw"}


def _mixed_source(tmp_path, paragraphs: int):
    body = "\n\n".join(SENTENCE * 3 for _ in range(paragraphs))
    text = f"---\ntitle: {TITLE}\n---\n\n{body}\n\n{MIXED * 6}\n\n::: byline\n{BYLINE}\n:::\n"
    source = tmp_path / f"mixed-{paragraphs}.md"
    source.write_text(text, encoding="utf-8")
    return source


def _converted(text: str, edition: str) -> str:
    return opencc.OpenCC(EDITION[edition]).convert(text) if EDITION[edition] else text


def _pages_text(pdf_path, title: str) -> list[list[str]]:
    """Each page's text lines, spaces, running head and folio left out."""
    with pdfplumber.open(pdf_path) as pdf:
        pages = [[ln["text"].replace(" ", "") for ln in page.extract_text_lines()] for page in pdf.pages]
    return [[ln for ln in lines if ln != title and "—" not in ln[:1] + ln[-1:] and not ln.isdigit()] for lines in pages]


def _docx_texts(docx_path) -> list[tuple[str, bool]]:
    """Each paragraph's text (spaces and joiners left out) and whether it has no first-line indent."""
    out = []
    for p in docx.Document(str(docx_path)).element.body.findall(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        ind = p.find(f"{qn('w:pPr')}/{qn('w:ind')}")
        out.append((rules.unjoin_units(text).replace(" ", ""), ind is not None and ind.get(qn("w:firstLine")) == "0"))
    return out


@pytest.mark.e2e
def test_a_closing_byline_that_fits_leaves_the_paragraph_whole_in_the_docx(tmp_path):
    """The last paragraph (five lines) and the byline fit on the first page, in the PDF: the DOCX
    keeps the paragraph one paragraph (it was split in two all the same, its last two lines a
    paragraph of their own)."""
    source = _source(tmp_path, 1, 6)
    assert main(["build", str(source), "-o", str(tmp_path), "-e", "zh-Hans", "-f", "pdf", "-f", "docx"]) == 0
    assert _lines_above_byline(tmp_path / f"{source.stem}.zh-Hans.pdf")[0] == 1
    texts = [t for t, _flush in _docx_texts(tmp_path / f"{source.stem}.zh-Hans.docx")]
    at = next(i for i, t in enumerate(texts) if BYLINE in t)
    assert texts[at - 1] == SENTENCE * 6


@pytest.mark.e2e
@pytest.mark.parametrize("edition", list(EDITION))
@pytest.mark.parametrize("paragraphs", range(5, 10))
def test_the_page_break_above_a_byline_falls_between_words_and_the_docx_splits_there(tmp_path, edition, paragraphs):
    """Wherever the PDF breaks the last paragraph over the page above the byline, the break falls
    between words (never inside 管理处, 2024年, 120.5万, ……, ——, a Latin word); the DOCX splits the
    paragraph exactly there (the second part the byline page's lines above the byline), and only
    there: a paragraph set whole on the byline's page stays one paragraph."""
    source = _mixed_source(tmp_path, paragraphs)
    assert main(["build", str(source), "-o", str(tmp_path), "-e", edition, "-f", "pdf", "-f", "docx"]) == 0
    byline, last = _converted(BYLINE, edition), _converted(MIXED * 6, edition).replace(" ", "")
    pages = _pages_text(tmp_path / f"{source.stem}.{edition}.pdf", _converted(TITLE, edition))
    n = next(i for i, lines in enumerate(pages) if any(byline in ln for ln in lines))
    above = "".join(pages[n][: next(i for i, ln in enumerate(pages[n]) if byline in ln)])
    texts = _docx_texts(tmp_path / f"{source.stem}.{edition}.docx")
    at = next(i for i, (t, _flush) in enumerate(texts) if byline in t)
    if above.endswith(last):  # set whole on the byline's page: one paragraph
        assert texts[at - 1] == (last, False)
        return
    assert last.endswith(above)  # the paragraph's last lines
    cut = len(last) - len(above)
    for word in (_converted(w, edition).replace(" ", "") for w in WHOLE):
        assert not any(s < cut < s + len(word) for s in range(len(last)) if last.startswith(word, s)), word
    assert texts[at - 1] == (above, True)
    assert texts[at - 2][0] == last[:cut]


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize(("edition", "paragraphs"), [("zh-Hans", 5), ("zh-Hans", 8), ("zh-Hans", 9), ("zh-Hant-TW", 8)])
def test_libreoffice_breaks_the_page_above_the_byline_where_the_pdf_does(tmp_path, soffice_pdf, edition, paragraphs):
    """LibreOffice's layout of the DOCX puts the byline on the PDF's page under the PDF's lines, the
    page break between words as in the PDF, whether the paragraph was set whole above the byline
    (zh-Hans, 5) or broken over the page."""
    source = _mixed_source(tmp_path, paragraphs)
    assert main(["build", str(source), "-o", str(tmp_path), "-e", edition, "-f", "pdf", "-f", "docx"]) == 0
    byline, title = _converted(BYLINE, edition), _converted(TITLE, edition)
    last = _converted(MIXED * 6, edition).replace(" ", "")
    pdf = tmp_path / f"{source.stem}.{edition}.pdf"
    lo = soffice_pdf(tmp_path / f"{source.stem}.{edition}.docx")
    ours, theirs = _pages_text(pdf, title), _pages_text(lo, title)
    n = next(i for i, lines in enumerate(ours) if any(byline in ln for ln in lines))
    assert any(byline in ln for ln in theirs[n])
    above = "".join(theirs[n][: next(i for i, ln in enumerate(theirs[n]) if byline in ln)])
    assert above == "".join(ours[n][: next(i for i, ln in enumerate(ours[n]) if byline in ln)])
    cut = len(last) - len(above) if last.endswith(above) else 0
    for word in (_converted(w, edition).replace(" ", "") for w in WHOLE):
        assert not any(s < cut < s + len(word) for s in range(len(last)) if last.startswith(word, s)), word


@pytest.mark.e2e
@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant-TW"])
def test_a_closing_byline_holding_a_figure_is_set_under_the_text(tmp_path, edition):
    """A figure in the closing byline (a photo credit's picture) is measured and drawn with it:
    reportlab's KeepTogether, which holds a figure and its caption, neither measures nor draws."""
    import shutil
    from pathlib import Path

    shutil.copy(Path(__file__).parent / "data" / "figure.png", tmp_path / "figure.png")
    src = tmp_path / "doc.md"
    src.write_text("政绩观\n::: byline\n![示意图](figure.png)\n:::\n", encoding="utf-8")
    assert main(["build", str(src), "-o", str(tmp_path / "out"), "-f", "pdf", "-e", edition]) == 0
    with pdfplumber.open(tmp_path / "out" / f"doc.{edition}.pdf") as pdf:
        page = pdf.pages[0]
        assert len(pdf.pages) == 1 and len(page.images) == 1
        text = next(c for c in page.chars if c["text"] in "政")
        assert page.images[0]["top"] > text["bottom"]  # under the text, on its page
