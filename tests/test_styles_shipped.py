"""The shipped styles: every one builds, and gongwen is exact to GB/T 9704-2012."""

from __future__ import annotations

import re
from collections import Counter

import docx
import pdfplumber
import pytest
from conftest import SEED

from zhengji_publish.cli import main
from zhengji_publish.style import list_styles
from zhengji_publish.text import is_cjk
from zhengji_publish.units import MM

SHIPPED = ["default", "a4-report", "book-16k", "book-32k-vertical", "gongwen", "ebook", "ebook-vertical"]


@pytest.mark.unit
def test_the_shipped_styles_are_listed():
    assert sorted(SHIPPED) == list_styles()


@pytest.mark.e2e
@pytest.mark.parametrize("style", [s for s in SHIPPED if s != "default"])
def test_every_style_builds_every_format_and_edition(tmp_path, style, capsys):
    assert main(["build", str(SEED), "-s", style, "-o", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"zhengji.{e}.{f}" for e in ("zh-Hans", "zh-Hant-TW") for f in ("docx", "epub", "pdf"))
    d = docx.Document(str(tmp_path / "zhengji.zh-Hans.docx"))
    assert d.sections[0].page_width.pt == pytest.approx(
        pdfplumber.open(tmp_path / "zhengji.zh-Hans.pdf").pages[0].width, abs=1
    )


def lines_by_baseline(page, size: float):
    """Rows of characters of ``size`` points, keyed by their baseline's distance from the top (mm)."""
    rows: dict[float, list] = {}
    for c in page.chars:
        if c["text"].strip() and abs(c["size"] - size) < 0.3:
            rows.setdefault(round((page.height - c["matrix"][5]) / MM, 1), []).append(c)
    return {y: sorted(r, key=lambda c: c["x0"]) for y, r in sorted(rows.items())}


def full_rows(lines: dict[float, list]) -> list[list]:
    """Lines of a paragraph's inside: starting at the left edge and followed by a line that does too."""
    rows = list(lines.values())
    left = Counter(round(r[0]["x0"], 0) for r in rows).most_common(1)[0][0]
    return [
        r
        for r, nxt in zip(rows, rows[1:], strict=False)
        if abs(r[0]["x0"] - left) < 2 and abs(nxt[0]["x0"] - left) < 2 and all(is_cjk(c["text"]) for c in r)
    ]


@pytest.fixture(scope="module")
def gongwen(tmp_path_factory):
    out = tmp_path_factory.mktemp("gongwen")
    assert main(["build", str(SEED), "-s", "gongwen", "-e", "zh-Hans", "-o", str(out)]) == 0
    return out


@pytest.mark.e2e
def test_gongwen_pdf_type_area_and_grid(gongwen):
    pitch = int(225 * MM / 22 * 20) / 20 / MM  # mm: 22 lines in 225 mm, in whole twips as the DOCX grid
    with pdfplumber.open(gongwen / "zhengji.zh-Hans.pdf") as pdf:
        assert pdf.pages[0].width / MM == pytest.approx(210, abs=0.1)
        assert pdf.pages[0].height / MM == pytest.approx(297, abs=0.1)
        full_pages = 0
        for page in pdf.pages[1:-1]:
            lines = lines_by_baseline(page, 16)
            baselines = list(lines)
            # The em box (0.88 em above the baseline, 0.12 below) is centred in its grid cell.
            half_leading = (pitch - 16 / MM) / 2
            first_top = baselines[0] - 0.88 * 16 / MM
            assert first_top == pytest.approx(37 + half_leading, abs=0.3)
            for a, b in zip(baselines, baselines[1:], strict=False):
                assert (b - a) / pitch == pytest.approx(round((b - a) / pitch), abs=0.02)  # on the grid
            if len(lines) == 22:
                full_pages += 1
                last_bottom = baselines[-1] + 0.12 * 16 / MM
                assert last_bottom == pytest.approx(37 + 22 * pitch - half_leading, abs=0.3)
            starts = Counter(round(r[0]["x0"] / MM, 1) for r in lines.values())
            assert starts.most_common(1)[0][0] == pytest.approx(28, abs=0.3)
            rows = full_rows(lines)
            for row in rows:  # 28 characters, 27 where a mark pushed one down; always flush
                assert len(row) in (27, 28)
                assert row[-1]["x1"] / MM == pytest.approx(28 + 156, abs=0.3)
            assert sum(len(row) == 28 for row in rows) >= 0.7 * len(rows)
        assert full_pages >= 1  # the others end short: no lone line at a page's foot or head, no heading run there


@pytest.mark.e2e
def test_gongwen_folio_position(gongwen):
    with pdfplumber.open(gongwen / "zhengji.zh-Hans.pdf") as pdf:
        for number, page in enumerate(pdf.pages, 1):
            ((baseline, chars),) = lines_by_baseline(page, 14).items()  # 四号
            assert "".join(c["text"] for c in chars) == f"—{number}—"
            assert baseline - 0.88 * 14 / MM == pytest.approx(37 + 225 + 7, abs=0.3)  # 7 mm below the type area
            inset = 16 / MM  # one 三号 character
            if number % 2:
                assert chars[-1]["x1"] / MM == pytest.approx(28 + 156 - inset, abs=0.3)
            else:
                assert chars[0]["x0"] / MM == pytest.approx(28 + inset, abs=0.3)


@pytest.mark.e2e
def test_gongwen_faces_fall_back_and_say_so(tmp_path, capsys):
    assert main(["build", str(SEED), "-s", "gongwen", "-e", "zh-Hans", "-f", "pdf", "-o", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert re.search(
        r"gongwen\.yaml:\d+:\d+: warning: font 'FangSong_GB2312' \(仿宋\) for role 'fangsong' is not installed: "
        r"its text is set in Noto Serif CJK, a 宋体 — ",
        err,
    )
    fonts = {c["fontname"].split("+")[-1] for c in pdfplumber.open(tmp_path / "zhengji.zh-Hans.pdf").pages[1].chars}
    assert any("UKai" in f for f in fonts)  # （一）-level headings in 楷体


@pytest.mark.e2e
@pytest.mark.external
def test_gongwen_docx_in_libreoffice_is_22_by_28(gongwen, soffice_pdf):
    """No page of more than 22 lines nor line of more than 28 characters, and a full page: the
    seed's pages hold the PDF's lines (tests/test_docx_layout.py), of which one of its inner pages
    is a full 22 (the others end short where a paragraph would leave a line alone on either page,
    or a heading goes on with its text)."""
    pdf_path = soffice_pdf(gongwen / "zhengji.zh-Hans.docx")
    full_pages = 0
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages[1:-1]:
            lines = lines_by_baseline(page, 16)
            assert len(lines) <= 22
            full_pages += len(lines) == 22
            rows = full_rows(lines)
            # 28 characters, or 27 where a closing mark could not start the next line and,
            # every mark keeping its full cell, the line carried one character down instead.
            assert rows and all(len(row) in (27, 28) for row in rows)
            assert sum(len(row) == 28 for row in rows) >= 0.7 * len(rows)
    assert full_pages >= 1
