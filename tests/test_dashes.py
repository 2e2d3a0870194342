"""The 破折号 —— (GB/T 15834-2011 §4.9: one unbroken 2-em rule) in 楷体 text: AR PL UKai's em
dashes do not join, so a dash run is drawn in the body face, in the PDF and in the DOCX."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest
from conftest import run
from PIL import Image

from zhengji_publish.cli import main
from zhengji_publish.fonts.faces import Face
from zhengji_publish.typeset.shaping import joins_dashes

UKAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")
NOTO = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
SOURCE = """# 经济运行总体平稳

::: subtitle
——国家统计局发布2026年3月主要经济数据
:::

正文里的破折号——应当连成一线，*楷体强调——也应连成一线*。
"""


def _face(path: Path, family: str) -> Face:
    return Face(family, "Regular", str(path), 0, 400, path.suffix == ".otf")


@pytest.mark.unit
def test_joins_dashes_measures_the_face():
    assert not joins_dashes(_face(UKAI, "AR PL UKai CN"))
    assert joins_dashes(_face(NOTO, "Noto Serif CJK JP"))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dashes")
    source = out / "dashes.md"
    source.write_text(SOURCE, encoding="utf-8")
    for fmt in ("pdf", "docx"):
        assert main(["build", str(source), "-o", str(out), "-f", fmt, "-e", "zh-Hans"]) == 0
    return out


def _dashes(pdf: Path) -> list[tuple[str, str, float, float, float]]:
    """(text, font, x0, x1, top) of the dash glyphs on the first page, above the folio."""
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        return [
            (c["text"], c["fontname"], c["x0"], c["x1"], c["top"])
            for c in page.chars
            if "—" in c["text"] and c["top"] < page.height * 0.8
        ]


def _unbroken(pdf: Path, dashes: list[tuple[str, str, float, float, float]], tmp: Path) -> None:
    """Rendered at 600 dpi (pdftoppm), every —— is one stroke: along the darkest pixel row of its
    box no light pixel lies between the first dark one and the last (AR PL UKai's two dashes left
    a 0.14 em gap, 14 px at 12 pt)."""
    scale = 600 / 72
    pairs = [d for d in dashes if d[0] == "——"] + [
        (a[0] + b[0], a[1], a[2], b[3], a[4]) for a, b in zip(dashes[::2], dashes[1::2], strict=False) if a[0] == "—"
    ]
    assert pairs
    for n, (_text, _font, x0, x1, top) in enumerate(pairs):
        left, width = int(x0 * scale), int((x1 - x0) * scale)
        stem = tmp / f"dash{n}"
        run(
            "pdftoppm",
            "-r",
            "600",
            "-gray",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            "-x",
            str(left),
            "-y",
            str(int(top * scale)),
            "-W",
            str(width),
            "-H",
            str(int(14 * scale)),
            str(pdf),
            str(stem),
        )
        with Image.open(f"{stem}.pgm") as image:
            rows = [[image.getpixel((x, y)) < 128 for x in range(image.width)] for y in range(image.height)]
        row = max(rows, key=sum)
        dark = [x for x, on in enumerate(row) if on]
        assert sum(row) >= 0.8 * width, (pairs[n], sum(row), width)
        assert dark[-1] - dark[0] + 1 == len(dark), (pairs[n], "gap in the dash")


def _touch(dashes: list[tuple[str, str, float, float, float]]) -> None:
    """Every —— is one glyph of two dashes, or two dashes whose boxes touch (±0.3 pt)."""
    assert len(dashes) >= 3  # the subtitle's, the body's and the emphasis's
    i = 0
    while i < len(dashes):
        text, font, x0, x1, _top = dashes[i]
        assert "Serif" in font and "Kai" not in font, dashes[i]
        if text == "——":
            i += 1
            continue
        nxt = dashes[i + 1]
        assert abs(nxt[2] - x1) <= 0.3, (dashes[i], nxt)
        i += 2


@pytest.mark.e2e
def test_pdf_draws_subtitle_dashes_in_body_face(outputs):
    dashes = _dashes(outputs / "dashes.zh-Hans.pdf")
    subtitle_top = min(d[4] for d in dashes)
    assert [d[0] for d in dashes if d[4] == subtitle_top] == ["——"]
    _touch(dashes)


@pytest.mark.e2e
@pytest.mark.external
def test_pdf_dashes_render_unbroken(outputs):
    pdf = outputs / "dashes.zh-Hans.pdf"
    _unbroken(pdf, _dashes(pdf), outputs)


@pytest.mark.e2e
def test_docx_dash_runs_name_the_body_face(outputs):
    document = docx.Document(str(outputs / "dashes.zh-Hans.docx"))
    dash_runs = [r for p in document.paragraphs for r in p.runs if "——" in r.text]
    assert len(dash_runs) == 3
    assert all(r.style.name == "Dash" for r in dash_runs)
    fonts = document.styles["Dash"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia").startswith(
        "Noto Serif CJK"
    )


@pytest.mark.e2e
@pytest.mark.external
def test_libreoffice_draws_subtitle_dashes_whole(outputs, soffice_pdf):
    pdf = soffice_pdf(outputs / "dashes.zh-Hans.docx")
    _touch(_dashes(pdf))
    _unbroken(pdf, _dashes(pdf), outputs)


@pytest.mark.e2e
def test_epub_sets_kai_dashes_in_body_stack(tmp_path):
    source = tmp_path / "dashes.md"
    source.write_text(SOURCE, encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path), "-f", "epub", "-e", "zh-Hans"]) == 0
    with zipfile.ZipFile(tmp_path / "dashes.zh-Hans.epub") as book:
        chapter = book.read("OEBPS/chapter-01.xhtml").decode()
        css = book.read("OEBPS/style.css").decode()
    # the subtitle's and the 楷体 emphasis's dashes in spans; the body text's own face joins them
    assert '<p><span class="dash">——</span>国家统计局' in chapter
    assert '<span class="ea">楷体强调</span><span class="dash">——</span>' in chapter
    assert "破折号——应当" in chapter
    rule = re.search(r"^\.dash \{ font-family: ([^;]*);", css, re.M)
    assert rule is not None and rule.group(1).startswith('"Noto Serif CJK SC"')
