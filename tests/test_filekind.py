"""What a file is, told from its content for both ``build`` and ``import``."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from zhengji_publish.filekind import file_kind, not_word


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.unit
@pytest.mark.parametrize(
    "data, kind",
    [
        (b" \n\t\xef\xbb\xbf", "empty"),
        (_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), "docx"),
        (_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}), "odt"),
        (_zip({"mimetype": b"application/epub+zip", "META-INF/container.xml": b"<x/>"}), "epub"),
        (_zip({"xl/workbook.xml": b"<x/>"}), "office"),
        (_zip({"notes.txt": b"hello"}), "zip"),
        (bytes.fromhex("d0cf11e0a1b11ae1") + "EncryptedPackage".encode("utf-16-le"), "encrypted"),
        (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(64), "ole"),
        (b"%PDF-1.7\n", "pdf"),
        (b"{\\rtf1\\ansi", "rtf"),
        (b"\x89PNG\r\n\x1a\n", "image"),
        ("# 标题\n".encode("utf-16"), "utf16"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html><body>x</body></html>", "html"),
        (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "html"),
        (bytes(range(256)) * 8, "binary"),
        ("# 标题\n\n正文。\n".encode(), "text"),
        ("# 标题\n\n正文内容。\n".encode("gb18030"), "text"),  # legacy encodings are text: decoded later
        ("標題\n\n正文內容。\n".encode("big5"), "text"),
    ],
)
def test_file_kind_from_content(data, kind):
    assert file_kind(data) == kind


@pytest.mark.unit
def test_only_a_docx_name_over_content_read_as_text_is_refused():
    word = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
    assert not_word(word, Path("a.docx"), ".md") is None
    assert not_word(word[:-10], Path("a.docx"), ".md") is None  # damaged: the Word importer says so
    assert not_word(b"%PDF-1.7\n", Path("a.docx"), ".md") is None  # refused as a PDF already
    assert not_word(_zip({"notes.txt": b"x"}), Path("a.docx"), ".md") is None  # refused as a ZIP already
    assert not_word(b"text", Path("a.txt"), ".md") is None
    found = not_word(b"text", Path("in/a.DOCX"), ".txt")
    assert found is not None and found[0] == "not a Word document (it is plain text, not a .docx ZIP package)"
    assert found[1].startswith("if it is plain text, rename it to in/a.txt; ")
