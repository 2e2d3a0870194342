"""Bad font files in the user's font folders: one message naming the file, its cause and what to do,
exit status 1, no traceback, and no output written.

The fonts are made here from an installed Noto CJK collection: random bytes named ``.otf``, the
collection cut short, and the collection with its CFF table overwritten (the name table intact, so
the face is found and chosen, then HarfBuzz draws nothing and its subsetter fails).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
SOURCE = "---\ntitle: 字体\n---\n\n# 标题\n\n正文汉字，测试。Latin 2026.\n"
HINT = "— remove it from its fonts folder, or replace it with a whole copy of the face or another face"


def build(src: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zhengji_publish", "build", str(src), "-o", str(out), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "fonts").mkdir()
    (tmp_path / "doc.md").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def assert_one_clean_error(result: subprocess.CompletedProcess, font: Path, cause: str, out: Path) -> None:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{font}: error: cannot use this font file: {cause}"), result.stderr
    assert lines[0].endswith(HINT)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not out.exists() or not any(out.iterdir())  # nothing written, not even a part file


def damaged_cff(dest: Path) -> Path:
    """A copy of the Noto collection with 2 MB of its first face's CFF table overwritten."""
    from fontTools.ttLib import TTFont

    shutil.copy(NOTO, dest)
    offset = TTFont(NOTO, fontNumber=0, lazy=True).reader.tables["CFF "].offset
    with open(dest, "r+b") as fh:
        fh.seek(offset + 200)
        fh.write(b"\xff" * 2_000_000)
    return dest


@pytest.mark.e2e
def test_random_bytes_named_otf_beside_the_source(folder):
    font = folder / "fonts" / "Mystery.otf"
    font.write_bytes(os.urandom(4096).replace(b"OTTO", b"xxxx"))
    result = build(folder / "doc.md", folder / "out")
    assert_one_clean_error(result, font, "it is not a TrueType or OpenType font (its first bytes are", folder / "out")


@pytest.mark.e2e
def test_an_opentype_header_over_garbage_is_told_without_its_bytes_raw(folder):
    """A table tag of control bytes (a newline, an escape) is shown as hex: the message stays one
    line, and a terminal is sent nothing it would obey."""
    import struct

    font = folder / "fonts" / "Crafted.otf"
    directory = b"OTTO" + struct.pack(">HHHH", 1, 16, 0, 0) + b"a\nb\x1b" + struct.pack(">III", 0, 28, 99)
    font.write_bytes(directory + b"x" * 100)
    result = build(folder / "doc.md", folder / "out")
    assert_one_clean_error(
        result, font, "its table directory is damaged (a table named by the bytes 61 0A 62 1B)", folder / "out"
    )
    assert "\x1b" not in result.stderr


@pytest.mark.e2e
def test_a_collection_cut_short_in_a_fonts_folder(tmp_path, folder):
    extra = tmp_path / "more-fonts"
    extra.mkdir()
    font = extra / "NotoSerifCJK-Regular.ttc"
    with open(NOTO, "rb") as fh:
        font.write_bytes(fh.read(300_000))
    result = build(folder / "doc.md", folder / "out", "--fonts", str(extra), "-f", "pdf")
    assert_one_clean_error(result, font, "it is cut short: its 'CFF' table ends at byte", folder / "out")


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("fmt", "cause"),
    [
        ("pdf", "its face Noto Serif CJK SC Regular cannot be converted to TrueType: HarfBuzz draws no outline for"),
        ("epub", "HarfBuzz cannot subset its face Noto Serif CJK SC Regular (RuntimeError"),
        # the DOCX only names its faces, but is not written over a damaged one either
        ("docx", "HarfBuzz draws no outline for 'A' (U+0041) in its face Noto Serif CJK SC Regular"),
    ],
)
def test_a_face_with_a_damaged_outline_table(folder, fmt, cause):
    font = damaged_cff(folder / "fonts" / "NotoSerifCJK-Regular.ttc")
    result = build(folder / "doc.md", folder / "out", "-f", fmt, "-e", "zh-Hans")
    assert_one_clean_error(result, font, cause, folder / "out")


@pytest.mark.unit
def test_a_bad_font_file_in_the_system_folders_is_skipped(tmp_path, folder, monkeypatch):
    """Only the user's folders are checked: a bad file among the system's fonts does not stop a
    build (a stand-in system folder here, added to the search order's own list)."""
    from zhengji_publish.fonts import families
    from zhengji_publish.style import load_style

    system = tmp_path / "system"
    system.mkdir()
    (system / "Broken.ttf").write_bytes(b"\0\1\0\0" + bytes(8))
    monkeypatch.setattr(families, "SYSTEM_FONT_DIRS", [*families.SYSTEM_FONT_DIRS, system])
    families.installed_faces.cache_clear()
    try:
        book = families.FontBook(load_style("default"), "SC", source_dir=folder)
        assert book.primary("serif").family == "Noto Serif CJK SC"
        assert "it has no tables" in families.UNREADABLE[str(system / "Broken.ttf")]
        (folder / "fonts" / "Broken.ttf").write_bytes(b"\0\1\0\0" + bytes(8))
        families.installed_faces.cache_clear()
        with pytest.raises(families.UserError, match="Broken.ttf: error: cannot use this font file: it has no tables"):
            families.FontBook(load_style("default"), "SC", source_dir=folder)
    finally:
        families.installed_faces.cache_clear()
