"""The office fonts a 公文's DOCX names, drawn on this machine with the faces our PDF drew with.

A style with ``docx.fonts: named`` (gongwen) names in its DOCX the families an office's Word has —
FangSong_GB2312, FZXiaoBiaoSong-B05, SimHei, KaiTi_GB2312 (GB/T 9704-2012 §5.2.2, §7) — where
the PDF, on a machine without them, draws with the next installed family the style lists for the
role (:meth:`~zhengji_publish.fonts.families.FontBook.stand_ins`: a 仿宋 by Noto Serif CJK SC).
LibreOffice opening that DOCX here asks fontconfig for the named family, which knows nothing of the
style and answers with its own default: Noto Sans CJK JP for the Han characters and DejaVu Sans
for the digits, 1.25 pt wider each at 三号 than the PDF's, so a line of dates and numbers held a
character fewer than the PDF's (a notice: 9 of 40 paragraphs broke elsewhere, the lines 5 %
more). The DOCX cannot say what to use instead: LibreOffice 7.4 reads no ``w:altName`` (ECMA-376
Part 1 §17.8.3.1; measured).

This module writes a fontconfig file (fonts-conf(5)) of ``<alias binding="same">`` rules, one per
named family this machine lacks, that *accepts* the style's stand-in after it: a machine that has
the office font still draws with it, one without draws with what the PDF drew with. It changes
how other applications here resolve those names only (the file names no other family).

Run ``python3 -m zhengji_publish.fonts.aliases`` (``scripts/setup`` does): it writes
``$XDG_CONFIG_HOME/fontconfig/conf.d/65-zhengji-publish.conf`` (``~/.config`` when the variable is
unset), or the path given, atomically. An OS error is one line naming the path and its cause, exit 1.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from zhengji_publish.cache import write_atomic
from zhengji_publish.diagnostics import Reporter
from zhengji_publish.fonts.families import FontBook
from zhengji_publish.style import list_styles, load_style

FILE_NAME = "65-zhengji-publish.conf"


def stand_ins(region: str = "SC") -> dict[str, str]:
    """Each family a shipped style with ``docx.fonts: named`` names and this machine lacks → the
    installed family its PDF draws that role with, for an edition of ``region`` (SC, TC, HK)."""
    out: dict[str, str] = {}
    for name in list_styles():
        style = load_style(name)
        if style.docx_named_fonts:
            book = FontBook(style, region, Reporter(stream=io.StringIO()))  # its warnings are the build's
            for family, used in book.stand_ins().items():
                out.setdefault(family, used)
    return out


def fontconfig_aliases(found: dict[str, str]) -> str:
    """The fontconfig file (fonts-conf(5)) of ``found`` (family → stand-in): for each, an alias of
    binding ``same`` that accepts the stand-in after the family itself."""
    rules = [
        '  <alias binding="same">'
        f"<family>{escape(family)}</family><accept><family>{escape(used)}</family></accept></alias>"
        for family, used in sorted(found.items())
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<!-- Written by zhengji-publish (python3 -m zhengji_publish.fonts.aliases): the office fonts its\n"
        "     公文 DOCX names, drawn where they are missing with the faces its PDF draws with. -->\n"
        "<fontconfig>\n" + "\n".join(rules) + ("\n" if rules else "") + "</fontconfig>\n"
    )


def default_path() -> Path:
    """``$XDG_CONFIG_HOME/fontconfig/conf.d/`` :data:`FILE_NAME` (``~/.config`` when unset)."""
    root = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(root) / "fontconfig" / "conf.d" / FILE_NAME


def main(argv: list[str] | None = None) -> int:
    """Write the aliases file to ``argv[0]`` or :func:`default_path`; 0, or 1 with a message."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else default_path()
    try:
        write_atomic(path, fontconfig_aliases(stand_ins()).encode("utf-8"), readable=True)
    except OSError as e:
        print(
            f"{path}: error: cannot write the font aliases: {e.strerror or e} — check the folder's permissions",
            file=sys.stderr,
        )
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
