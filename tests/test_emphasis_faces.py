"""楷体 emphasis sets only East Asian characters in 楷体: Latin letters and digits inside ``*…*`` keep
the face of the text around them, in the PDF, the EPUB and (through ``w:eastAsia`` alone) the DOCX
as LibreOffice draws it. Read from the outputs: pdfplumber's font of each character, the EPUB's
markup, style sheet and embedded subsets, LibreOffice's PDF of the DOCX."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from fontTools.ttLib import TTFont

from zhengji_publish.cli import main

SOURCE = (
    "# 标题\n\n"
    "正文 Body 1999 在前，*中文 English 2026 强调* 在后。\n\n"
    "## 小节 *Title 甲乙*\n\n"
    "**粗体 *Bold 强调 2026***。\n\n"
    "*全角ＡＢ１２与《书名》、“引号”*。\n"
)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("emph")
    (folder / "doc.md").write_text(SOURCE, encoding="utf-8")
    assert main(["build", str(folder / "doc.md"), "-o", str(folder / "out")]) == 0
    return {fmt: folder / "out" / f"doc.zh-Hans.{fmt}" for fmt in ("pdf", "docx", "epub")}


def faces(pdf: Path) -> list[tuple[str, str]]:
    """(character, base font name without its subset tag) of every character drawn on page 1,
    spaces left out (LibreOffice draws them, our PDF does not)."""
    with pdfplumber.open(pdf) as doc:
        return [(c["text"], c["fontname"].split("+", 1)[-1]) for c in doc.pages[0].chars if c["text"].strip()]


def face_of(chars: list[tuple[str, str]], text: str, after: str = "") -> list[str]:
    """The faces of the characters of ``text`` where it first stands after ``after``."""
    line = "".join(c for c, _ in chars)
    start = line.index(text, line.index(after) + len(after) if after else 0)
    return [name for _, name in chars[start : start + len(text)]]


@pytest.mark.e2e
def test_the_pdf_sets_latin_and_digits_in_emphasis_in_the_surrounding_face(outputs):
    chars = faces(outputs["pdf"])
    body = set(face_of(chars, "Body1999"))
    assert len(body) == 1 and "Kai" not in next(iter(body))
    assert set(face_of(chars, "English2026", "中文")) == body
    assert all("UKai" in name for name in face_of(chars, "中文")) and all(
        "UKai" in name for name in face_of(chars, "强调")
    )
    # in a heading, the heading's face; in bold text, the bold face
    heading = set(face_of(chars, "小节"))
    assert set(face_of(chars, "Title")) == heading and "Sans" in next(iter(heading))
    assert all("UKai" in name for name in face_of(chars, "甲乙"))
    bold = set(face_of(chars, "粗体"))
    assert set(face_of(chars, "Bold")) == bold and set(face_of(chars, "2026", "Bold")) == bold
    # full-width letters and digits, book-title marks and quotes are East Asian: 楷体
    assert all("UKai" in name for name in face_of(chars, "全角ＡＢ１２与《书名》、“引号”"))


@pytest.mark.e2e
def test_the_epub_marks_east_asian_runs_and_subsets_latin_in_the_body_face(outputs):
    with zipfile.ZipFile(outputs["epub"]) as book:
        page = next(
            book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml") and "中文" in book.read(n).decode()
        )
        css = next(book.read(n).decode() for n in book.namelist() if n.endswith(".css"))
        fonts = {n: TTFont(io.BytesIO(book.read(n))) for n in book.namelist() if n.endswith(".woff2")}
    assert '<em><span class="ea">中文</span> English 2026 <span class="ea">强调</span></em>' in page
    assert '<em>Title <span class="ea">甲乙</span></em>' in page
    assert re.search(r"^em \{ font-style: normal; \}$", css, re.M)
    rule = re.search(r"^em \.ea \{ font-family: ([^;]*); \}$", css, re.M)
    assert rule and rule.group(1).startswith('"AR PL UKai CN"')
    kai = [f for name, f in fonts.items() if "UKai" in name]
    assert len(kai) == 1
    drawn = {chr(cp) for cp in kai[0].getBestCmap()}
    assert set("中文强调甲乙") <= drawn and not drawn & set("EnglishTitleBold2026")


@pytest.mark.e2e
@pytest.mark.external
def test_libreoffice_sets_the_docx_emphasis_latin_in_the_body_face(outputs, soffice_pdf):
    chars = faces(soffice_pdf(outputs["docx"]))
    body = set(face_of(chars, "Body1999"))
    assert len(body) == 1 and "Kai" not in next(iter(body))
    assert set(face_of(chars, "English2026", "中文")) == body
    assert all("UKai" in name for name in face_of(chars, "中文")) and all(
        "UKai" in name for name in face_of(chars, "强调")
    )
