"""Import: from what editors receive (plain text, Word documents, saved web pages) to a source.

:func:`import_file` reads a file, tells its kind from its content (not its name: a ``.txt`` that
is really a Word document is read as one), builds the document tree with the matching importer
and writes it as Markdown with :mod:`zhengji_publish.importers.markdown`. Each importer returns its
guesses as :class:`~zhengji_publish.importers.report.Note` objects tied to the nodes they are
about, so every note names its line in the new source.

Nothing is written for input that cannot be imported (empty, binary, a password-protected or
corrupt Word document, a ``.docx`` that is text, an encoding that is not UTF-8, GB 18030 or Big5): one
:class:`~zhengji_publish.diagnostics.UserError` located in the input says why.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhengji_publish import limits
from zhengji_publish.diagnostics import error
from zhengji_publish.filekind import file_kind, not_word
from zhengji_publish.importers.markdown import emit
from zhengji_publish.importers.report import Note
from zhengji_publish.paths import os_error


@dataclass
class Imported:
    """A source ready to write: its Markdown, its notes, and the images to put beside it.

    ``images`` maps a path relative to the source's folder (as the Markdown names it) to its bytes.
    """

    kind: str  # text | docx | html
    markdown: str
    notes: list[Note]
    images: dict[str, bytes] = field(default_factory=dict)


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
    "odt": (
        "this is an OpenDocument text (.odt), not a Word document; nothing was written",
        "save it as .docx in LibreOffice (File → Save As → Word 2007–365) and import that",
    ),
    "epub": ("this is an EPUB e-book; nothing was written", "import the chapters' .xhtml files one by one"),
    "office": (
        "this is an Excel or PowerPoint file, not a Word document; nothing was written",
        "copy its text into a .txt file and import that",
    ),
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
    misnamed = not_word(data, path, ".txt")  # a .docx that is text: not imported as text
    if misnamed:
        raise error(f"{misnamed[0]}; nothing was written", misnamed[1], path, 1, 1)
    kind = file_kind(data)  # UTF-16 and legacy-encoded text are decoded by the text importer
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
    the shipped sample source does. A guess like the others, reported at the source's ``editions:``."""
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
            ("editions",),
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
    for target in [output, *targets]:
        if target.is_dir():  # --force would not help: a folder is never replaced
            raise error(
                "is a folder, not a file; nothing was written",
                "name the source's file with -o (-o article.md), or move the folder away",
                target,
                exit_code=2,
            )
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
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blob)
        except OSError as exc:
            raise os_error(exc, "write the image", target) from None
        written.append(target)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent)
    except OSError as exc:  # the folder: named as the source it was to hold, not a temporary file
        raise os_error(exc, "write the imported source", output) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(imported.markdown)
        os.chmod(tmp, 0o644)  # readable as the build's outputs, not the temporary file's private mode
        os.replace(tmp, output)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise os_error(exc, "write the imported source", output) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    written.append(output)
    return written
