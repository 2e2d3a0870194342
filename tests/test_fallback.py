"""A face for every character: installed faces found with fontconfig, emoji in colour, warnings."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as DocxDocument

from zhengji_publish.build import BuildOptions, build
from zhengji_publish.cli import main
from zhengji_publish.diagnostics import UserError
from zhengji_publish.fonts import FontBook, fontconfig_faces
from zhengji_publish.style import load_style

EMOJI, EXT_B, EXT_A, EXT_C = "\U0001f30d", "\U00020bb7", "\u4dae", "\U0002a700"  # 🌍 𠮷 䶮 𪜀
README = f"# {EMOJI} 地球\n\n名字里有{EXT_B}和{EXT_A}两个字，还有{EXT_C}。\n\n```\ncode {EXT_C}\n```\n"


def _families(cp: int) -> set[str]:
    return {family for _path, _index, family, _style, _weight in fontconfig_faces(cp)}


@pytest.fixture
def fallback_faces_installed() -> None:
    """The faces these tests fall back to: a missing one is a setup fault, reported, never skipped."""
    assert "Noto Color Emoji" in _families(ord(EMOJI)) and "HanaMinB" in _families(ord(EXT_C)), (
        "needs fonts-noto-color-emoji and fonts-hanazono: run scripts/setup"
    )


needs_faces = pytest.mark.usefixtures("fallback_faces_installed")


@pytest.fixture
def kai_only(tmp_path: Path) -> Path:
    """A style whose every role is AR PL UKai (no Extension B) or DejaVu Sans Mono."""
    path = tmp_path / "kai-only.yaml"
    path.write_text(
        "extends: default\nfonts:\n  serif: [AR PL UKai]\n  sans: [AR PL UKai]\n  kai: [AR PL UKai]\n"
        "  fangsong: [AR PL UKai]\n  mono: [DejaVu Sans Mono]\n  display: [AR PL UKai]\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.e2e
@pytest.mark.external
@needs_faces
@pytest.mark.parametrize("region", ["SC", "TC", "HK"])
def test_fallback_prefers_the_editions_regional_face_of_the_roles_kind(kai_only, region):
    book = FontBook(load_style(str(kai_only)), region)
    assert book.style_face(EXT_B, "serif") is None
    serif = book.fallback(EXT_B, "serif")
    sans = book.fallback(EXT_B, "sans")
    assert serif is not None and serif.family == f"Noto Serif CJK {region}"
    assert sans is not None and sans.family == f"Noto Sans CJK {region}"
    emoji = book.fallback(EMOJI)
    assert emoji is not None and emoji.family == "Noto Color Emoji"
    ext_c = book.fallback(EXT_C)
    assert ext_c is not None and ext_c.family == "HanaMinB"
    assert book.fallback("\U0010fffd") is None


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """Every format of both editions of README, and the warnings the build printed."""
    root = tmp_path_factory.mktemp("fallback")
    src = root / "README.md"
    src.write_text(README, encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["build", str(src), "-o", str(root / "out"), "-e", "zh-Hans", "-e", "zh-Hant-TW", "-j", "1"]) == 0
    return root / "out", [ln for ln in err.getvalue().splitlines() if "no font of the style" in ln]


@pytest.mark.e2e
@pytest.mark.external
@needs_faces
def test_each_substituted_character_is_reported_once_with_its_lines_and_face(outputs):
    _out, warnings = outputs
    assert len(warnings) == 2, warnings  # 🌍 and 𪜀: both editions, one warning each
    emoji = next(w for w in warnings if "U+1F30D" in w)
    assert "README.md:1:3: warning:" in emoji and EMOJI in emoji and "Noto Color Emoji" in emoji
    ext_c = next(w for w in warnings if "U+2A700" in w)
    assert "README.md:3:14:" in ext_c and "lines 3, 6" in ext_c and "HanaMinB" in ext_c


@pytest.mark.e2e
@pytest.mark.external
@needs_faces
@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant-TW"])
def test_pdf_draws_emoji_as_a_picture_and_copies_the_source_text(outputs, edition):
    out, _w = outputs
    pdf = out / f"README.{edition}.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert lines[0] == f"{EMOJI} 地球"
    assert EXT_B in lines[1] and EXT_C in lines[1] and lines[2] == f"code {EXT_C}"
    if edition == "zh-Hans":
        assert lines[1] == f"名字里有{EXT_B}和{EXT_A}两个字，还有{EXT_C}。"
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "HanaMinB" in fonts and "Emoji" not in fonts
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        [image] = page.images
        title = [c for c in page.chars if c["text"] == "地"][0]
        # the picture sits on the title's line, before its first character, about one em high
        assert image["x1"] <= title["x0"] + 0.5
        assert abs((image["bottom"] + image["top"]) / 2 - (title["bottom"] + title["top"]) / 2) < 0.3 * title["size"]
        assert 0.9 * title["size"] < image["height"] < 1.4 * title["size"]


@pytest.mark.e2e
@pytest.mark.external
@needs_faces
def test_a_space_beside_an_emoji_is_the_texts_word_space(tmp_path):
    """The emoji face's own space is 1.25 em: the space typed before an emoji is the style's."""
    src = tmp_path / "e.md"
    src.write_text(f"---\ntitle: t\n---\n\n甲乙 {EMOJI} 丙丁\n\n甲乙{EMOJI}丙丁\n", encoding="utf-8")
    assert main(["build", str(src), "-o", str(tmp_path), "-f", "pdf", "-e", "zh-Hans"]) == 0
    with pdfplumber.open(tmp_path / "e.zh-Hans.pdf") as doc:
        chars = doc.pages[0].chars
        [spaced, tight] = [
            next(c["x0"] for c in chars if c["text"] == "丙" and abs(c["top"] - y["top"]) < 1) - y["x1"]
            for y in [c for c in chars if c["text"] == "乙"]
        ]
        size = next(c["size"] for c in chars if c["text"] == "乙")
    # the emoji alone, then the emoji with two word spaces of the body face (a quarter em each, or so)
    assert tight == pytest.approx(1.25 * size, abs=0.1 * size)
    assert 0.3 * size < spaced - tight < 0.7 * size


@pytest.mark.e2e
@pytest.mark.external
@needs_faces
@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant-TW"])
def test_docx_names_the_emoji_face_and_the_fallback_face(outputs, edition):
    out, _w = outputs
    doc = DocxDocument(str(out / f"README.{edition}.docx"))
    runs = {}
    for p in doc.paragraphs:
        for r in p.runs:
            fonts = r._r.rPr.rFonts if r._r.rPr is not None else None
            runs[r.text] = (
                fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
                if fonts is not None
                else None
            )
    assert runs[EMOJI] == "Noto Color Emoji"
    assert runs[EXT_C] == "HanaMinB"
    assert all(EXT_C not in t and EMOJI not in t for t in runs if len(t) > 1)  # each in a run of its own


@pytest.mark.e2e
@pytest.mark.external
@needs_faces
@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant-TW"])
def test_epub_embeds_the_fallback_face_and_names_the_emoji_face(outputs, edition):
    out, _w = outputs
    with zipfile.ZipFile(out / f"README.{edition}.epub") as z:
        names = z.namelist()
        css = z.read("OEBPS/style.css").decode()
        xhtml = "".join(z.read(n).decode() for n in names if n.endswith(".xhtml"))
    assert "OEBPS/fonts/HanaMinB-Regular.woff2" in names
    assert not any("Emoji" in n for n in names)  # the reading system's own colour face draws it
    body = re.search(r"\nbody \{ font-family: ([^;]+);", css)
    assert body and '"HanaMinB"' in body.group(1) and '"Noto Color Emoji"' in body.group(1)
    assert EMOJI in xhtml and EXT_C in xhtml and EXT_B in xhtml


@pytest.mark.e2e
@pytest.mark.external
@needs_faces
def test_strict_makes_a_substituted_character_an_error(tmp_path, capsys):
    src = tmp_path / "README.md"
    src.write_text(README, encoding="utf-8")
    assert main(["build", str(src), "-o", str(tmp_path / "out"), "-f", "docx", "--strict"]) == 1
    err = capsys.readouterr().err
    assert "error: no font of the style has the character" in err and "U+1F30D" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.e2e
@pytest.mark.external
def test_a_character_no_installed_face_has_still_stops_the_build(tmp_path):
    src = tmp_path / "x.md"
    src.write_text("甲\U0010fffd乙\n", encoding="utf-8")
    with pytest.raises(UserError, match="no font has the character"):
        build([src], BuildOptions(out_dir=tmp_path / "out", formats=("docx",)))


def _glyph_faces(pdf: Path, chars: str) -> list[tuple[str, str]]:
    """(character, font without its subset prefix) of each of ``chars`` drawn in ``pdf``, in order."""
    with pdfplumber.open(pdf) as doc:
        return [
            (c["text"], c["fontname"].split("+")[-1].split("-")[0])
            for page in doc.pages
            for c in page.chars
            if c["text"] in chars
        ]


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize("style", ["default", "a4-report"])
def test_libreoffice_draws_a_character_the_first_face_lacks_in_the_pdfs_face(tmp_path, soffice_pdf, style):
    """``►`` is in no Noto CJK face: the PDF draws it in the next face of the role's list that has
    it (DejaVu Sans Mono in code, DejaVu Serif or Sans in the text). The DOCX names that face, so
    LibreOffice does not pick one of its own (it drew DejaVu Sans in code and text alike)."""
    src = tmp_path / "arrows.md"
    src.write_text(
        "---\ntitle: 箭头\n---\n\n菜单 ► 设置 ◄ 返回。\n\n```\n菜单 ► 设置 ◄ 返回\n```\n\n> 引文 ► 与 ◄ 之间。\n",
        encoding="utf-8",
    )
    assert main(["build", str(src), "-o", str(tmp_path / "out"), "-s", style, "-f", "pdf", "-f", "docx"]) == 0
    ours = _glyph_faces(tmp_path / "out/arrows.zh-Hans.pdf", "►◄")
    theirs = _glyph_faces(soffice_pdf(tmp_path / "out/arrows.zh-Hans.docx"), "►◄")
    assert len(ours) == 6 and any("Mono" in face for _c, face in ours)
    assert theirs == ours
