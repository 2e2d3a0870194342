"""Fenced divs nested as pandoc nests them: fences of the same length, an inner div inside an outer.

pandoc's ``fenced_divs`` (its manual, "Divs and Spans") tell an opening fence from a closing one by
its attributes: ``::: notice`` opens, a line of colons alone closes the innermost open div,
whatever the lengths. markdown-it's container rule (mdit-py-plugins) closes a div at the first
line of at least as many colons, so an inner ``:::`` closes the outer div when both are written
with three. :func:`pandoc_nesting` rewrites the fences' lengths before markdown-it reads the text,
outer ones longer than the ones they hold, so that a source written for pandoc means the same
here. Nothing else changes: no line moves, and a source whose fences already nest (outer ones
longer) or do not pair up is returned as it is, for the reader's own messages
(:func:`zhengji_publish.reader._check_fences`).
"""

from __future__ import annotations

import re

__all__ = ["pandoc_nesting"]

_OPEN = re.compile(r"^( {0,3})(:{3,})(\s*\S.*)$")  # ::: notice, ::::{.notice}
_CLOSE = re.compile(r"^( {0,3})(:{3,})\s*$")
_CODE = re.compile(r"^ {0,3}(`{3,}|~{3,})")  # a code fence (CommonMark 0.31.2 §4.5)


def pandoc_nesting(text: str) -> str:
    """``text`` with its fenced divs' colons counted as markdown-it needs them to pair the fences
    as pandoc does: three for a div holding no div, one more than the longest fence of a div
    inside it, and one more than the longest line of colons alone in a code block inside it (which
    would close it in markdown-it, not in pandoc). Fences inside quotes and list items are left
    alone, as is any text whose fences do not pair up, or pair up in markdown-it already."""
    lines = text.split("\n")
    pairs: list[tuple[int, int, int]] = []  # (opening line, closing line, colons the div needs)
    stack: list[list[int]] = []  # open divs: [opening line, colons the div needs so far]
    code = ""
    for index, line in enumerate(lines):
        fence = _CODE.match(line)
        if code:
            if fence and fence.group(1)[0] == code[0] and len(fence.group(1)) >= len(code) and not line.strip(" `~"):
                code = ""
            elif _CLOSE.match(line):  # a line of colons in code would close a div this short
                for div in stack:
                    div[1] = max(div[1], len(line.strip()) + 1)
            continue
        if fence:
            code = fence.group(1)
        elif _OPEN.match(line) and not _CLOSE.match(line):
            stack.append([index, 3])
        elif _CLOSE.match(line):
            if not stack:
                return text  # a ':::' closing nothing: the reader says so
            start, colons = stack.pop()
            pairs.append((start, index, colons))
            if stack:
                stack[-1][1] = max(stack[-1][1], colons + 1)
    if stack or code or _paired(pairs, lines):
        return text  # a div or a code block never closed is the reader's to report
    for start, end, colons in pairs:
        opening = _OPEN.match(lines[start])
        closing = _CLOSE.match(lines[end])
        assert opening is not None and closing is not None
        lines[start] = opening.group(1) + ":" * colons + opening.group(3)
        lines[end] = closing.group(1) + ":" * colons
    return "\n".join(lines)


def _paired(pairs: list[tuple[int, int, int]], lines: list[str]) -> bool:
    """Whether markdown-it pairs the fences as written as pandoc does: each div's fences as long as
    it needs at least, its closing fence no shorter than its opening one."""

    def colons(index: int) -> int:
        return len(lines[index].strip()) - len(lines[index].strip().lstrip(":"))

    return all(colons(start) >= need and colons(end) >= colons(start) for start, end, need in pairs)
