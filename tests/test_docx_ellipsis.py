"""The 省略号 ``……`` is never set on two lines (GB/T 15834-2011 §4.11; clreq UNBREAKABLE), nor the
破折号 ``——``, which never starts a line either: in our PDF, and in LibreOffice's layout of our
DOCX (``soffice --convert-to pdf``), both read with pdfplumber.

LibreOffice 7.4 split ``…|…`` wherever a line was full after the first mark, with or without a
word joiner between the marks (:meth:`zhengji_publish.writers.docx.body.BodyWriter.unit_runs`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from zhengji_publish.cli import main

pytestmark = [pytest.mark.e2e, pytest.mark.external]

HAN = "各地区各部门要把学习教育同推动高质量发展结合起来以实际行动检验学习成效确保各项任务落到实处" * 2
PUNCTUATED = "各地区、各部门要把学习教育同推动高质量发展结合起来，以实际行动检验学习成效；确保各项任务落到实处。" * 2
# what follows the marks: nothing (Han), marks that may not start a line, Han, a Latin letter
AFTER = ("", "”", "。", "，", "）", "！", "各", "a")


def _paragraphs() -> list[str]:
    """Paragraphs with a 省略号 after every prefix length from 1 to 60 characters, so that it
    meets the end of a paragraph's first line (indented) and of a later one at every place."""
    out = [text[:k] + "……" + after + HAN[:30] for text in (HAN, PUNCTUATED) for k in range(1, 61) for after in AFTER]
    out += [HAN[:k] + "⋯⋯" + after + HAN[:30] for k in range(1, 61) for after in ("", "。")]
    return out


def _lines(pdf_path: Path) -> list[str]:
    """The text lines of the body in order, without spaces and joiners (title, running head and
    folio — ``- 1 -`` in 公文 — left out, so a line at a page's foot meets the next page's first)."""
    with pdfplumber.open(pdf_path) as pdf:
        return [
            "".join(ch for ch in ln["text"] if ch.strip() and ch != "\u2060")
            for page in pdf.pages
            for ln in page.extract_text_lines()
            if "标题" not in ln["text"] and "標題" not in ln["text"] and not re.fullmatch(r"[—\s\d]+", ln["text"])
        ]


def _splits(lines: list[str]) -> list[tuple[str, str]]:
    """Each two lines the first of which ends with … or ⋯ and the next starts with the same mark."""
    return [(a, b) for a, b in zip(lines, lines[1:], strict=False) if a[-1:] in "…⋯" and b[:1] == a[-1:]]


def _both_layouts(
    tmp_path: Path, soffice_pdf, name: str, paragraphs: list[str], edition: str, style: str | None
) -> tuple[list[str], list[str]]:
    """The body lines of our PDF and of LibreOffice's layout of our DOCX of ``paragraphs``."""
    source = tmp_path / f"{name}.md"
    source.write_text("---\ntitle: 标题\n---\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    for fmt in ("pdf", "docx"):
        args = ["build", str(source), "-o", str(tmp_path), "-e", edition, "-f", fmt]
        assert main([*args, "-s", style] if style else args) == 0
    return _lines(tmp_path / f"{name}.{edition}.pdf"), _lines(soffice_pdf(tmp_path / f"{name}.{edition}.docx"))


@pytest.mark.parametrize(("edition", "style"), [("zh-Hans", None), ("zh-Hans", "gongwen"), ("zh-Hant-TW", None)])
def test_no_line_ends_inside_an_ellipsis(tmp_path, soffice_pdf, edition, style):
    paragraphs = _paragraphs()
    ours, theirs = _both_layouts(tmp_path, soffice_pdf, "dots", paragraphs, edition, style)
    for lines in (ours, theirs):
        assert len(lines) > 2 * len(paragraphs)  # the text is there, most paragraphs on three lines
        assert sum(line.count("…") + line.count("⋯") for line in lines) == 2 * len(paragraphs)
        # a 省略号 at a line's end, at the next line's start, and inside lines: every case is met
        assert any(line.endswith(("……", "⋯⋯")) for line in lines)
        assert any(re.search(r"[^…⋯](……|⋯⋯)[^…⋯]", line) for line in lines)
    assert _splits(ours) == []
    assert _splits(theirs) == []


@pytest.mark.parametrize(("edition", "style"), [("zh-Hans", None), ("zh-Hans", "gongwen"), ("zh-Hant-TW", None)])
def test_no_line_starts_with_a_dash_nor_ends_inside_one(tmp_path, soffice_pdf, edition, style):
    """The 破折号 ``——`` (GB/T 15834-2011 §4.9) after every prefix length from 1 to 60 characters:
    never split, and never at a line's start (clreq 行首禁则, strict), in our PDF and in
    LibreOffice's layout of the DOCX. Before the word joiner in front of it, LibreOffice 7.4 started
    9 lines of the zh-Hans text with it (its CJK breaker's forbidden list lacks U+2014)."""
    paragraphs = [
        text[:k] + "——" + after + HAN[:30]
        for text in (HAN, PUNCTUATED)
        for k in range(1, 61)
        for after in ("", "“", "各")
    ]
    ours, theirs = _both_layouts(tmp_path, soffice_pdf, "dashes", paragraphs, edition, style)
    for lines in (ours, theirs):
        assert sum(line.count("—") for line in lines) == 2 * len(paragraphs)
        assert any(line.endswith("——") for line in lines)  # the dash meets the line's end
        assert [line for line in lines if line.startswith("—")] == []
