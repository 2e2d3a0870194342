"""Shaped text in the PDF: the 2-em dash, the ellipsis, the middle dot and kerned Latin, read back."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageOps

from zhengji_publish.cli import main
from zhengji_publish.fonts import FontBook
from zhengji_publish.style import load_style
from zhengji_publish.typeset.boxes import BoxMaker, InlineStyle, Run
from zhengji_publish.typeset.shaping import shape

SAMPLE = "他说——让·雅克……中AVA Wafer office。"
EDITIONS = {"zh-Hans": "SC", "zh-Hant-TW": "TC"}


def _boxes(region: str, text: str = SAMPLE):
    return BoxMaker(FontBook(load_style("default"), region)).boxes([Run(text, InlineStyle(size=10.0))])


@pytest.mark.unit
@pytest.mark.parametrize("region", ["SC", "TC", "HK"])
def test_two_em_dash_is_one_glyph_two_ems_wide(region):
    [dash] = [b for b in _boxes(region) if b.text == "——"]
    assert dash.width == pytest.approx(20.0) and dash.glyphs == pytest.approx(20.0)
    [(chars, x, advance)] = dash.draw  # one glyph, which has no code point: a private-use character
    assert len(chars) == 1 and ord(chars) >= 0xF0000 and x == 0 and advance == pytest.approx(20.0)


@pytest.mark.unit
@pytest.mark.parametrize("region", ["SC", "TC", "HK"])
def test_middle_dot_takes_a_full_em_and_ellipsis_two(region):
    boxes = {b.text: b for b in _boxes(region)}
    assert boxes["·"].width == pytest.approx(10.0)
    assert boxes["……"].width == pytest.approx(20.0) and boxes["……"].draw == ()  # the face's own centred glyphs


@pytest.mark.unit
def test_latin_words_are_kerned_and_ligated():
    boxes = {b.text: b for b in _boxes("SC")}
    book = FontBook(load_style("default"), "SC")
    face = book.primary("serif")
    plain = sum(g.nominal for g in shape(face, "AVA", "", ("-kern",)))
    assert boxes["AVA"].width < plain * 10.0 - 0.5  # A–V pairs drawn closer than their advances
    assert len(shape(face, "office", "zh-Hans")) == 4  # o, ffi, c, e
    assert any(ord(c) >= 0xF0000 for chars, _x, _a in boxes["office"].draw for c in chars)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("shaping")
    src = root / "s.md"
    src.write_text(f"---\ntitle: 标题\n---\n\n{SAMPLE}\n", encoding="utf-8")
    args = ["build", str(src), "-o", str(root), "-f", "pdf", "-j", "1"]
    for edition in EDITIONS:
        args += ["-e", edition]
    assert main(args) == 0
    return {edition: root / f"s.{edition}.pdf" for edition in EDITIONS}


def _line(pdf: Path) -> list[dict]:
    with pdfplumber.open(pdf) as doc:
        chars = [c for c in doc.pages[0].chars if c["text"].strip()]
    ya = next(c for c in chars if c["text"] == "雅")  # the sample's line
    return sorted((c for c in chars if abs(c["top"] - ya["top"]) < 1), key=lambda c: c["x0"])


@pytest.mark.e2e
@pytest.mark.parametrize("edition", EDITIONS)
def test_pdf_widths_read_back(pdfs, edition):
    line = _line(pdfs[edition])
    em = line[0]["size"]
    texts = [c["text"] for c in line]
    assert "".join(texts).startswith(("他说——让·雅克……中", "他說——讓·雅克……中"))
    dash = texts.index("——")  # one glyph copying as both dashes
    assert line[dash]["x1"] - line[dash]["x0"] == pytest.approx(2 * em, abs=0.01)
    assert line[dash + 1]["x0"] - line[dash - 1]["x1"] == pytest.approx(2 * em, abs=0.01)  # no gap, no overlap
    dot = texts.index("·")
    assert line[dot]["x1"] - line[dot]["x0"] == pytest.approx(em, abs=0.01)
    assert line[dot + 1]["x0"] - line[dot - 1]["x1"] == pytest.approx(em, abs=0.01)
    dots = [c for c in line if c["text"] == "…"]
    assert len(dots) == 2 and all(c["x1"] - c["x0"] == pytest.approx(em, abs=0.01) for c in dots)
    a, v = line[texts.index("A")], line[texts.index("V")]
    assert v["x0"] < a["x1"] - 0.05 * em  # kerned: the V starts inside the A's advance
    assert "ffi" in texts  # the ligature copies as its three letters


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize("edition", EDITIONS)
def test_pdf_text_copies_as_written_and_dots_sit_on_the_centre_line(pdfs, edition, tmp_path):
    pdf = pdfs[edition]
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    line = next(ln for ln in text.splitlines() if "雅克" in ln)
    assert line in (SAMPLE, SAMPLE.replace("说", "說").replace("让", "讓"))
    chars = _line(pdf)
    dpi = 600
    page_args = ["-r", str(dpi), "-gray", "-f", "1", "-l", "1"]
    subprocess.run(["pdftoppm", *page_args, str(pdf), str(tmp_path / "p")], check=True)
    page = Image.open(next(tmp_path.glob("p*.pgm")))
    scale = dpi / 72

    def ink_centre(c: dict) -> float:
        """Vertical centre of the dark pixels inside a glyph's box, in pt from the page top."""
        box = (round(c["x0"] * scale), round(c["top"] * scale), round(c["x1"] * scale), round(c["bottom"] * scale))
        crop = page.crop(box)
        rows = [y for y in range(crop.height) if crop.crop((0, y, crop.width, y + 1)).getextrema()[0] < 128]
        return (box[1] + (rows[0] + rows[-1]) / 2) / scale

    han = next(c for c in chars if c["text"] == "中")
    centre = ink_centre(han)
    em = han["size"]
    for mark in ("…", "·", "——"):
        glyph = next(c for c in chars if c["text"] == mark)
        assert abs(ink_centre(glyph) - centre) < 0.1 * em, mark
    # the 2-em dash is one unbroken bar: its darkest row is inked across the glyph without a gap
    dash = next(c for c in chars if c["text"] == "——")
    crop = page.crop(
        (
            round(dash["x0"] * scale),
            round(dash["top"] * scale),
            round(dash["x1"] * scale),
            round(dash["bottom"] * scale),
        )
    )
    row = max(range(crop.height), key=lambda y: sum(crop.getpixel((x, y)) < 128 for x in range(crop.width)))
    inked = [x for x in range(crop.width) if crop.getpixel((x, row)) < 128]
    assert inked[-1] - inked[0] > 0.9 * 2 * em * scale
    assert len(inked) == inked[-1] - inked[0] + 1  # no gap between two bars


def _ink(image: Image.Image) -> bytes:
    """A glyph's ink, cropped to its bounding box and scaled to 64 × 64 grey pixels."""
    ink = ImageOps.invert(image.convert("L"))
    box = ink.point(lambda v: 255 if v > 128 else 0).getbbox()
    return ink.crop(box).resize((64, 64)).tobytes()


def _unlike(a: bytes, b: bytes) -> float:
    """The mean difference of two inks (:func:`_ink`), 0–255 a pixel."""
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


JP_SERIF = "extends: default\nfonts:\n  serif: [Noto Serif CJK JP]\n"


@pytest.mark.e2e
@pytest.mark.external
def test_an_ideographic_variation_sequence_is_drawn_with_its_variant_and_copied_whole(tmp_path):
    """``葛󠄀`` (葛 + VS17, U+E0100, an Ideographic Variation Sequence the Adobe-Japan1 collection
    registers): the build goes on (no face needs a glyph for the selector; it stopped with "no font
    has the character"), the PDF draws the face's variant (format 14 cmap), unlike the plain 葛
    beside it, and pdftotext copies the sequence whole. A selector a face has no variant for (VS18)
    draws the character's own glyph. The DOCX and EPUB keep the sequence for their readers."""
    (tmp_path / "jp.yaml").write_text(JP_SERIF, encoding="utf-8")
    src = tmp_path / "ivs.md"
    src.write_text("---\ntitle: 异体\n---\n\n葛\U000e0100葛葛\U000e0101。\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(src), "-o", str(out), "-s", str(tmp_path / "jp.yaml")]) == 0
    text = subprocess.run(["pdftotext", str(out / "ivs.zh-Hans.pdf"), "-"], capture_output=True, text=True).stdout
    assert "葛\U000e0100葛葛\U000e0101。" in text
    with pdfplumber.open(out / "ivs.zh-Hans.pdf") as pdf:
        page = pdf.pages[0]
        glyphs = [c for c in page.chars if c["text"].startswith("葛")]
        assert len(glyphs) == 3
        boxes = [(c["x0"] - 1, c["top"] - 1, c["x1"] + 1, c["bottom"] + 1) for c in glyphs]
        inks = [_ink(page.crop(box).to_image(resolution=400).original) for box in boxes]
    # the same glyph drawn at another fraction of a pixel differs by about 17 of 255 a pixel
    assert _unlike(inks[1], inks[2]) < 30 and _unlike(inks[0], inks[1]) > 35 and _unlike(inks[0], inks[2]) > 35
    for fmt in ("docx", "epub"):
        with zipfile.ZipFile(out / f"ivs.zh-Hans.{fmt}") as z:
            body = "".join(z.read(n).decode() for n in z.namelist() if n.endswith((".xml", ".xhtml")))
        assert "葛\U000e0100" in body
