"""The DOCX fidelity report's matching of the DOCX's paragraphs with the lines of a PDF
(``benchmarks/docx_fidelity.py``), on lines made by hand."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import docx_fidelity as fidelity  # noqa: E402

pytestmark = pytest.mark.unit

SIZE = 10.5


def line(text: str, raised: str = "", x: float = 57.6, size: float = SIZE) -> fidelity.Line:
    """A line of ``text`` in ``size`` set a character per em from ``x``; the characters in
    ``raised`` (by their place in ``text``: a note's number) in a superscript's size."""
    chars = []
    for k, ch in enumerate(text):
        glyph = 0.6 * size if str(k) in raised.split(",") else size
        chars.append({"text": ch, "size": glyph, "x0": x + k * size, "x1": x + (k + 1) * size})
    return fidelity.Line(1, text, x, size, chars)


@pytest.mark.parametrize("cut", [False, True])
def test_paragraphs_after_a_note_reference_and_a_list_number_are_found_on_their_lines(cut):
    """The PDF prints a note's reference number in the line, which the DOCX's paragraph text
    lacks, and a list item's number before its text: every paragraph after them is still found,
    on its own lines. Before, every paragraph from the one with the note on was lost."""
    first = "增速比全部规模以上工业高5.7个百分点。其中集成电路增长"
    lines = [
        line("数字经济持续发力"),
        line("增速比全部规模以上工业高5.7个百分点1。其中", raised="20"),
        line("集成电路增长"),
        line("1.扩大出口信用保险承保规模"),
        line("和覆盖面；"),
        line("2.加大金融支持；"),
        line("前三季度，社会消费品零售总额"),
        line("同比增长。"),
    ]
    if cut:  # a note at the page's foot between a paragraph's lines, longer than a label
        lines.insert(2, line("1规模以上工业统计范围为年主营业务收入2000万元及以上的工业法人单位。", size=9.0))
    paragraphs = ["数字经济持续发力", first, "扩大出口信用保险承保规模和覆盖面；", "加大金融支持；"]
    paragraphs.append("前三季度，社会消费品零售总额同比增长。")
    shift = 1 if cut else 0
    spans = fidelity.paragraph_spans(lines, paragraphs)
    assert spans == [(0, 0), (1, 2 + shift), (3 + shift, 4 + shift), (5 + shift, 5 + shift), (6 + shift, 7 + shift)]


def test_a_note_mark_in_the_docx_text_matches_no_digit_further_on():
    """A book's note carries its mark as text in the DOCX paragraph (``1``) where the PDF raises
    it: the paragraph ends at its own last character, not at a ``1`` of the next paragraph, so the
    heading and paragraph after it are found where they are set."""
    lines = [
        line("推动学习教育走深走实、见行见效。1", raised="16"),
        line("全面动员部署压实主体责任"),
        line("近日，一位农民工通过12351工会服务"),
        line("职工热线反映欠薪问题。"),
    ]
    paragraphs = ["推动学习教育走深走实、见行见效。1", "全面动员部署压实主体责任"]
    paragraphs.append("近日，一位农民工通过12351工会服务职工热线反映欠薪问题。")
    assert fidelity.paragraph_spans(lines, paragraphs) == [(0, 0), (1, 1), (2, 3)]


def test_a_paragraph_not_set_is_not_found_and_the_next_still_is():
    """A paragraph the layout does not show is reported missing, not matched with a stretch of
    another paragraph's text, and the search goes on after it."""
    lines = [line("第一段正文，各地区各部门要把学习"), line("教育同推动高质量发展结合起来。"), line("第三段正文。")]
    paragraphs = ["第一段正文，各地区各部门要把学习教育同推动高质量发展结合起来。", "第二段从未排出。", "第三段正文。"]
    assert fidelity.paragraph_spans(lines, paragraphs) == [(0, 1), None, (2, 2)]


def test_contents_entries_are_matched_and_their_lines_left_out_of_the_gaps():
    """A contents entry's title and page number stand a leader apart (our PDF draws the dots as a
    graphic, LibreOffice as characters): the entry is matched in both, its lines are no running
    text for the gap figures, and the chapter's heading is then found in the text, not in the
    contents."""
    entry = line("第一章总则1")
    entry.chars[-1]["x0"] += 35 * SIZE  # the page number after the leader's room
    entry.chars[-1]["x1"] += 35 * SIZE
    ours = [line("目录"), entry, line("第一章总则"), line("本章规定了适用范围和基本原则。")]
    theirs = [
        line("目录"),
        line("第一章总则" + "." * 40 + "1"),
        line("第一章总则"),
        line("本章规定了适用范围和基本原则。"),
    ]
    paras = [("TOC Heading", "目录"), ("toc 1", "第一章总则1"), ("Heading 1", "第一章总则")]
    paras.append(("Normal", "本章规定了适用范围和基本原则。"))
    for lines in (ours, theirs):
        spans = fidelity.paragraph_spans(lines, [t for _s, t in paras])
        assert spans == [(0, 0), (1, 1), (2, 2), (3, 3)]
        skipped = fidelity.set_lines(paras, spans)
        assert skipped == {0, 1}
        assert fidelity.latin_gaps(lines, skipped) == []
    assert max(g for g, _c in fidelity.latin_gaps(ours)) > 30  # what was reported before
