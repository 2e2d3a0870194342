"""What a file is, from its content: one answer for ``build`` (which reads Markdown) and ``import``
(which reads text, Word documents and web pages).

Decided from the file's first bytes (its "magic number") and, for ZIP containers, the parts it
holds (OOXML ``word/document.xml``, ODF and EPUB ``mimetype``, MS-OFFCRYPTO's ``EncryptedPackage``),
never from its name: a ``.txt`` that is really a Word document is one.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file (Word 97–2003, sealed OOXML)
IMAGE_MAGIC = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image"}

KINDS = (
    "empty",  # nothing but white space
    "docx",  # a Word document (OOXML)
    "odt",  # an OpenDocument text
    "epub",  # an EPUB e-book
    "office",  # an Excel or PowerPoint file
    "zip",  # any other ZIP archive
    "encrypted",  # an OOXML file sealed with a password (MS-OFFCRYPTO 2.3.4.4)
    "ole",  # a Word 97–2003 document or another old Office file
    "pdf",
    "rtf",
    "image",  # PNG, JPEG or GIF: :func:`image_name` says which
    "html",  # a web page
    "utf16",  # text with a UTF-16 byte-order mark
    "binary",  # anything else that is not text
    "text",  # text in UTF-8 or a legacy encoding (GB 18030, Big5): the caller decodes it
)


def file_kind(data: bytes) -> str:
    """One of :data:`KINDS` for the content ``data`` of a file."""
    head = data[:8]
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(OLE_MAGIC):
        return "encrypted" if "EncryptedPackage".encode("utf-16-le") in data else "ole"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if image_name(data):
        return "image"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    start = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<article")):
        return "html"
    if start.startswith((b"<?xml", b"<!--", b"<!doctype")) and re.search(rb"<(html|body)[\s>]", data[:8192].lower()):
        return "html"
    if _binary(data[:8192]):
        return "binary"
    return "text"


# What a file named as a Word document holds instead, for the contents that would otherwise be read
# as text (and a file of bytes that is no ZIP package), with the suffix it would then be named with
# ("" when no other name makes it readable). Any other content is refused as what it is already.
_NOT_WORD = {
    "text": ("plain text", ""),  # the caller's: .md for a build, .txt for an import
    "html": ("an HTML page", ".html"),
    "utf16": ("UTF-16 text", ".txt"),
    "empty": ("an empty file", ""),
    "binary": ("a binary file", ""),
}


def not_word(data: bytes, path: Path, text_suffix: str) -> tuple[str, str] | None:
    """``(what is wrong, what to do)`` for a file named as a Word document (``.docx``, any case)
    whose content ``data`` is not a ZIP package (ECMA-376 Part 2, Open Packaging Conventions: an
    OOXML document is one) but
    text, a web page or other bytes, which would otherwise be read as text whatever its name said;
    ``None`` for any other file. ``text_suffix`` is the name plain text would be read under
    (``.md`` by ``build``, ``.txt`` by ``import``). A damaged ZIP named ``.docx``, a PDF, an image
    or a ZIP of another kind are not this: each is refused as what it is."""
    if path.suffix.lower() != ".docx":
        return None
    what, suffix = _NOT_WORD.get(file_kind(data), ("", ""))
    if not what:
        return None
    suffix = suffix or (text_suffix if what == "plain text" else "")
    rename = f"if it is {what}, rename it to {path.with_suffix(suffix)}; " if suffix else ""
    return (
        f"not a Word document (it is {what}, not a .docx ZIP package)",
        f"{rename}if it should be a Word document, open the original in Word or LibreOffice and save it again as .docx",
    )


def image_name(data: bytes) -> str:
    """``"a PNG image"``, ``"a JPEG image"`` or ``"a GIF image"`` for such a file; else ``""``."""
    return next((what for magic, what in IMAGE_MAGIC.items() if data.startswith(magic)), "")


def _zip_kind(data: bytes) -> str:
    """Which office or e-book format a ZIP archive is, from the parts it holds."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        # A damaged archive: still a Word document when its directory names the main part.
        return "docx" if b"word/document.xml" in data else "zip"
    if any(name.startswith("word/") for name in names):
        return "docx"  # without word/document.xml too: the Word importer reports it as damaged
    if mimetype == "application/epub+zip":
        return "epub"
    if mimetype.startswith("application/vnd.oasis.opendocument.text"):
        return "odt"
    if "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
        return "office"
    return "zip"


def _binary(sample: bytes) -> bool:
    """Whether the first bytes of a file are not text: many NUL bytes, or bytes that are not UTF-8
    with NULs or other control bytes among them (text in a legacy encoding has neither). A stray
    control character in UTF-8 text is not this: the reader reports it where it stands."""
    if not sample:
        return False
    nuls = sample.count(0)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)  # a character cut at the end is fine
    except UnicodeDecodeError:
        controls = sum(1 for b in sample if b < 0x20 and b not in b"\t\n\r\f\x1b" or b == 0x7F)
        return nuls > 0 or controls * 20 >= len(sample)
    return nuls >= 16 or (nuls >= 2 and nuls * 10 >= len(sample))
