"""Import: from what editors receive (plain text, Word documents, saved web pages) to a source.

:func:`import_file` reads a file, tells its kind from its content (not its name: a ``.txt`` that
is really a Word document is read as one), builds the document tree with the matching importer
and writes it as Markdown with :mod:`zhengji_publish.importers.markdown`. Each importer returns its
guesses as :class:`~zhengji_publish.importers.report.Note` objects tied to the nodes they are
about, so every note names its line in the new source.

Nothing is written for input that cannot be imported (empty, binary, a password-protected or
corrupt Word document, an encoding that is not UTF-8, GB 18030 or Big5): one
:class:`~zhengji_publish.diagnostics.UserError` located in the input says why.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhengji_publish import limits
from zhengji_publish.diagnostics import error
from zhengji_publish.importers.markdown import emit
from zhengji_publish.importers.report import Note

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGE_MAGIC = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image"}


@dataclass
class Imported:
    """A source ready to write: its Markdown, its notes, and the images to put beside it.

    ``images`` maps a path relative to the source's folder (as the Markdown names it) to its bytes.
    """

    kind: str  # text | docx | html
    markdown: str
    notes: list[Note]
    images: dict[str, bytes] = field(default_factory=dict)


def sniff(data: bytes) -> str:
    """The kind of a file from its first bytes: ``docx``, ``encrypted`` (an OOXML file sealed with a
    password: an OLE compound file holding an ``EncryptedPackage`` stream, MS-OFFCRYPTO 2.3.4.4),
    ``ole`` (Word 97–2003 and other old Office files), ``zip``, ``pdf``, ``rtf``, ``image``,
    ``html``, ``binary``, ``empty`` or ``text``."""
    head = data[:8]
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in data[:65536] or b"word/document.xml" in data else "zip"
    if head.startswith(OLE_MAGIC):
        return "encrypted" if "EncryptedPackage".encode("utf-16-le") in data else "ole"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if any(head.startswith(magic) for magic in IMAGE_MAGIC):
        return "image"
    start = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<article")):
        return "html"
    if start.startswith((b"<?xml", b"<!--", b"<!doctype")) and re.search(rb"<(html|body)[\s>]", data[:8192].lower()):
        return "html"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 with its byte-order mark
    sample = data[:8192]
    nuls = sample.count(0)
    controls = sum(1 for b in sample if b < 0x20 and b not in b"\t\n\r\f\x1b")
    if nuls or controls * 50 > len(sample):
        return "binary"
    return "text"


_REFUSED = {
    "empty": ("the file is empty; nothing was written", "import a file with some text in it"),
    "encrypted": (
        "the Word document is protected with a password; nothing was written",
        "open it in Word or LibreOffice, remove the password (File → Info → Protect Document), "
        "save it and import it again",
    ),
    "ole": (
        "this is a Word 97–2003 document (.doc) or another old Office file; nothing was written",
        "save it as .docx (Word or LibreOffice: Save As) and import that",
    ),
    "zip": ("this is a ZIP archive, not a Word document; nothing was written", "unpack it and import the file inside"),
    "pdf": (
        "this is a PDF file, which keeps no paragraphs or headings; nothing was written",
        "import the Word document it was made from, or its text (`pdftotext` prints it)",
    ),
    "rtf": ("this is an RTF document; nothing was written", "save it as .docx in Word or LibreOffice and import that"),
    "image": ("this is an image, not a text; nothing was written", "import the text; add the image with ![…](file)"),
    "binary": (
        "this is a binary file, not text, a Word document or a web page; nothing was written",
        "import a .txt, .docx or .html file",
    ),
}


def import_bytes(data: bytes, path: Path, images_dir: str) -> Imported:
    """Import ``data`` (the content of ``path``, used for messages and to find a web page's images).

    ``images_dir`` is the folder, relative to the new source, that extracted images go into.
    Raises :class:`UserError` for input that cannot be imported.
    """
    kind = sniff(data)
    if kind in _REFUSED:
        raise error(*_REFUSED[kind], path, 1, 1)
    if kind == "docx":
        from zhengji_publish.importers.docx import import_docx

        result = import_docx(data, path, images_dir)
    elif kind == "html":
        from zhengji_publish.importers.html import import_html

        result = import_html(data, path, images_dir)
    else:
        from zhengji_publish.importers.text import import_text

        result = import_text(data, path)
    _add_editions(result.meta, result.general)
    emitted = emit(result.meta, result.blocks, result.footnotes, result.notes, result.general)
    return Imported(kind, emitted.text, emitted.notes, result.images)


def _add_editions(meta: dict[str, Any], general: list[Note]) -> None:
    """The editions an imported source is made in: its own and, beside it, the other script's main
    one (a simplified text also gets the Taiwan edition, a traditional text the simplified one), as
    the shipped sample source does. A guess like the others, reported on line 1 of the source."""
    from zhengji_publish.editions import own_edition

    if "editions" in meta:
        return
    own = own_edition(str(meta.get("lang", "zh-CN")))
    other = "zh-Hant-TW" if own == "zh-Hans" else "zh-Hans"
    meta["editions"] = [own, other]
    general.append(
        Note(
            f"the editions {own} and {other}",
            "edit the front matter's editions: list (zh-Hant-HK for Hong Kong, or only the original)",
        )
    )


def import_file(path: Path, images_dir: str = "") -> Imported:
    """Read ``path`` and import it (see :func:`import_bytes`); ``images_dir`` defaults to
    ``{stem}-images``. Raises :class:`UserError` when the file cannot be read or imported."""
    path = Path(path)
    data = limits.read_input(path, "file to import", "a .txt, .docx or .html file")
    return import_bytes(data, path, images_dir or f"{path.stem}-images")


def write(imported: Imported, output: Path, force: bool = False) -> list[Path]:
    """Write the source to ``output`` and its images beside it; returns the paths written.

    An existing ``output`` (or image) is an error unless ``force``; the source is written to a
    temporary file and renamed into place, so a failed write leaves nothing half-written.
    """
    output = Path(output)
    targets = [output.parent / name for name in imported.images]
    if not force:
        for target in [output, *targets]:
            if target.exists():
                raise error(
                    "the file exists; nothing was written",
                    "pass --force to replace it, or choose another name with -o",
                    target,
                    exit_code=2,
                )
    written: list[Path] = []
    for target, blob in zip(targets, imported.images.values(), strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob)
        written.append(target)
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(imported.markdown)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    written.append(output)
    return written
