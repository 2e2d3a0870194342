"""Typography measured on a PDF's glyph positions (pdfplumber): what a reader's eye checks.

Body lines are those set in the page's most common face and size. A line followed by a
continuation line (starting at the text block's left edge, one line pitch below) is a full line
and must be flush with the measure.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

import pdfplumber

from zhengji_publish.typeset import rules


@dataclass
class Report:
    lines: int = 0
    full_lines: int = 0
    flush_lines: int = 0
    start_violations: list[str] = field(default_factory=list)
    end_violations: list[str] = field(default_factory=list)
    pairs: int = 0
    compressed_pairs: int = 0


def _face(c) -> tuple[str, float]:
    return c["fontname"].split("+")[-1], round(c["size"], 1)


def measure(path) -> Report:
    rep = Report()
    with pdfplumber.open(path) as pdf:
        pages = []
        for page in pdf.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            if not chars:
                continue
            body = Counter(_face(c) for c in chars).most_common(1)[0][0]
            rows: dict[int, list] = {}
            for c in chars:
                rows.setdefault(round(c["top"]), []).append(c)
            lines = [sorted(r, key=lambda c: c["x0"]) for _, r in sorted(rows.items())]
            lines = [ln for ln in lines if Counter(_face(c) for c in ln).most_common(1)[0][0] == body and len(ln) > 3]
            pages.append(lines)
    all_lines = [ln for lines in pages for ln in lines]
    if not all_lines:
        return rep
    right = Counter(round(ln[-1]["x1"], 1) for ln in all_lines).most_common(1)[0][0]
    left = Counter(round(ln[0]["x0"], 1) for ln in all_lines).most_common(1)[0][0]
    for lines in pages:
        for i, line in enumerate(lines):
            rep.lines += 1
            text = "".join(c["text"] for c in line)
            if text[0] in rules.NO_START_STRICT:
                rep.start_violations.append(text)
            if text[-1] in rules.NO_END:
                rep.end_violations.append(text)
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            pitch = line[0]["size"] * 2.5
            em = line[0]["size"]
            if (
                nxt
                and abs(nxt[0]["x0"] - left) < 0.6 * em
                and 0 < nxt[0]["top"] - line[0]["top"] < pitch
                and abs(line[0]["x0"] - left) < 3 * em
            ):
                rep.full_lines += 1
                rep.flush_lines += abs(line[-1]["x1"] - right) <= 0.5 or line[-1]["text"] in rules.CLOSING
            for a, b in pairwise(line):
                marks = rules.CLOSING | rules.OPENING
                if a["text"] in marks and b["text"] in marks:
                    rep.pairs += 1
                    rep.compressed_pairs += b["x0"] - a["x0"] < 0.8 * a["size"]
    return rep


def flat_text(pdf, title: str) -> str:
    """pdftotext of the whole PDF, running header and folio removed, lines joined."""
    pages = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    kept = []
    for page in pages:
        lines = [ln for ln in page.split("\n") if ln.strip()]
        if kept and lines and lines[0] == title:
            lines = lines[1:]
        if lines and re.fullmatch(r"— \d+ —", lines[-1]):
            lines = lines[:-1]
        kept.append("".join(lines))
    return "".join(kept)
