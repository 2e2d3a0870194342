"""Every DOCX we write is valid WordprocessingML for Word: the ECMA-376 schemas (each element where
its parent's sequence allows it, each attribute of its type) and the package's references (styles,
numbering, relationships), as the Open XML SDK's validator checks them, by ``openxml-audit``.

LibreOffice opens what Word would repair or refuse (an ``w:rStyle`` after ``w:kern`` in a run's
properties, a style referenced but never defined), so its layout of our DOCX does not show such
faults; this does. A file that breaks both rules is reported, so the check can fail.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import CONSTRUCTS, DATA, SEED
from openxml_audit import OpenXmlValidator
from openxml_audit.errors import ValidationResult

pytestmark = [pytest.mark.e2e]

# (source, edition, style) of the documents checked: every construct, the traditional editions,
# the 公文 layouts, vertical text and a book.
CASES = [
    (SEED, "zh-Hans", None),
    (SEED, "zh-Hant-TW", "gongwen"),
    (SEED, "zh-Hant-HK", "book-32k-vertical"),
    (CONSTRUCTS, "zh-Hans", None),
    (CONSTRUCTS, "zh-Hant-TW", "ebook"),
    (DATA / "readme_zh.md", "zh-Hans", None),
    (DATA / "clreq-examples.md", "zh-Hant-TW", None),
    *(
        (DATA / "gongwen" / f"{name}.md", "zh-Hans", None)
        for name in ("tongzhi", "qingshi", "jiyao", "xinhan", "mingling")
    ),
    (DATA / "book" / "book.yaml", "zh-Hans", None),
]


def audit(path: Path) -> ValidationResult:
    """``openxml-audit``'s schema and semantic checks of ``path`` for Microsoft 365's Word."""
    from openxml_audit import FileFormat

    return OpenXmlValidator(file_format=FileFormat.MICROSOFT_365, max_errors=50).validate(str(path))


@pytest.mark.parametrize(("source", "edition", "style"), CASES, ids=lambda v: getattr(v, "stem", v or "auto"))
def test_docx_is_valid_for_word(built, source, edition, style):
    result = audit(built(source, "docx", edition, style))
    assert result.is_valid, "\n".join(str(e) for e in result.errors)


def test_the_check_reports_what_word_would_repair(built, tmp_path):
    """The validator reads our files: an element out of its schema order and a style never defined,
    put into a copy of the seed's DOCX, are both found."""
    good = built(SEED, "docx", "zh-Hans")
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:rPr>", b'<w:rPr><w:kern w:val="2"/><w:rStyle w:val="Undefined"/>', 1)
            out.writestr(info, data)
    found = [str(e) for e in audit(bad).errors]
    assert any("Unexpected element 'rStyle'" in e for e in found), found
    assert any("'Undefined' referenced but not defined" in e for e in found), found


@pytest.mark.parametrize("book", [False, True])
def test_a_note_referenced_twice_is_valid_for_word(tmp_path, book):
    """A note referenced in two places (its second reference a NOTEREF field to a bookmark around
    the first), in an article (automatic numbers) and in a book's chapter (custom marks)."""
    from zhengji_publish.cli import main

    text = "第一处引用[^a]，正文。第二处引用[^a]，正文。\n\n[^a]: 被引用两次的注释。\n"
    (tmp_path / "ch.md").write_text(f"---\ntitle: 一章\n---\n\n# 一章\n\n{text}", encoding="utf-8")
    source = tmp_path / "ch.md"
    if book:
        source = tmp_path / "book.yaml"
        source.write_text("title: 书\nchapters:\n  - ch.md\n", encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path / "out"), "-e", "zh-Hans", "-f", "docx"]) == 0
    (docx,) = (tmp_path / "out").glob("*.docx")
    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml").decode()
    assert xml.count("NOTEREF") == 1 and xml.count("<w:footnoteReference") == 1
    result = audit(docx)
    assert result.is_valid, "\n".join(str(e) for e in result.errors)
