"""Quotation marks for Taiwan and Hong Kong: “” → 「」 and ‘’ → 『』, nesting kept.

Mainland text nests “ ‘ ’ ”; Taiwan and Hong Kong nest 「 『 』 」 (OpenCC never touches
punctuation). A quotation often opens in one text node and closes in another — inside **bold**,
a link or emphasis — so the marks of one paragraph are read as one stream, in order, across all
its inline nodes, with a stack of open quotes: the outermost level becomes 「」, the next 『』,
then 「」 again. Code is part of the stream only as context and is never changed.

What stays as written:

- an English apostrophe: ’ between two Latin letters (it’s, don’t), ’ after a Latin letter and
  s (students’) unless a ‘ is open and waiting for it, and any ’ with no ‘ open (’90s);
- a quotation in Latin text: one whose content has no Han character and which has no Chinese
  text right before it or right after it (it’s the students’ “book”).

A quotation left open at the end of the paragraph (a quote running over several paragraphs
repeats only its opening mark) is converted by the same rule.

Straight ASCII quotes (``"`` and ``'``, as pandoc's import and text pasted from the web give them)
are first paired into curly ones by :func:`curl_straight_quotes`, with the same rules: a pair is
curled when it holds Han text or has Chinese text right before or after it; apostrophes (it's,
students'), code and addresses shown as link text stay as written. The curly marks then follow
the edition (“” in mainland text, 「」 where corner brackets are wanted), as if typed curly.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from zhengji_publish import model as m
from zhengji_publish.text import is_cjk

_OPENERS = {"“": "double", "‘": "single"}
_CLOSERS = {"”": "double", "’": "single"}
_CORNERS = (("「", "」"), ("『", "』"))  # by nesting level, alternating
_MARKS = re.compile("[“”‘’]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _chinese(ch: str) -> bool:
    """Chinese text around a mark (curly quotes themselves say nothing about the language)."""
    return bool(ch) and ch not in "“”‘’" and is_cjk(ch)


@dataclass
class _Open:
    kind: str  # 'double' or 'single'
    pos: int  # offset in the paragraph's text
    chinese_before: bool
    has_han: bool = False


class _Paragraph:
    """The text of one paragraph's inline nodes laid end to end, and the marks to replace."""

    def __init__(self, nodes: list[m.Inline]) -> None:
        # every text and code node in reading order; code (no node to edit) is context only
        self.pieces: list[tuple[m.Text | None, str]] = [
            (node, node.text) if isinstance(node, m.Text) else (None, node.text)
            for node in m.nodes(nodes)
            if isinstance(node, (m.Text, m.Code))
        ]
        self.starts: list[int] = []
        offset = 0
        for _, text in self.pieces:
            self.starts.append(offset)
            offset += len(text)
        self.text = "".join(text for _, text in self.pieces)
        self.edits: dict[int, str] = {}

    def editable(self, pos: int) -> bool:
        """Whether ``pos`` lies in a text node (not in code)."""
        return self.pieces[bisect.bisect_right(self.starts, pos) - 1][0] is not None

    def before(self, pos: int) -> str:
        """The nearest non-space character before ``pos`` ('' at the start)."""
        i = pos - 1
        while i >= 0 and self.text[i] == " ":
            i -= 1
        return self.text[i] if i >= 0 else ""

    def after(self, pos: int) -> str:
        i = pos + 1
        while i < len(self.text) and self.text[i] == " ":
            i += 1
        return self.text[i] if i < len(self.text) else ""

    def apply(self) -> None:
        by_piece: dict[int, list[tuple[int, str]]] = {}
        for pos, mark in self.edits.items():
            index = bisect.bisect_right(self.starts, pos) - 1
            by_piece.setdefault(index, []).append((pos - self.starts[index], mark))
        for index, hits in by_piece.items():
            node, text = self.pieces[index]
            if node is None:
                continue
            chars = list(text)
            for i, mark in hits:
                chars[i] = mark
            node.text = "".join(chars)


def _is_apostrophe(para: _Paragraph, pos: int, stack: list[_Open]) -> bool:
    text = para.text
    prev = text[pos - 1] if pos > 0 else ""
    nxt = text[pos + 1] if pos + 1 < len(text) else ""
    if _latin(prev) and _latin(nxt):
        return True
    if not any(o.kind == "single" for o in stack):
        return True
    return prev in "sS" and pos >= 2 and _latin(text[pos - 2]) and stack[-1].kind != "single"


def corner_quotes(nodes: list[m.Inline]) -> None:
    """Replace the curly quotes of one paragraph's inline nodes by corner brackets, in place."""
    para = _Paragraph(nodes)
    if not _MARKS.search(para.text):
        return
    stack: list[_Open] = []
    last = 0

    def close(entry: _Open, level: int, end: int | None) -> None:
        parent_chinese = level > 0 and stack[level - 1].chinese_before
        after = para.after(end) if end is not None else ""
        if entry.chinese_before or entry.has_han or _chinese(after) or parent_chinese:
            opening, closing = _CORNERS[level % 2]
            para.edits[entry.pos] = opening
            if end is not None:
                para.edits[end] = closing
        if level > 0 and entry.has_han:
            stack[level - 1].has_han = True

    for match in _MARKS.finditer(para.text):
        pos, mark = match.start(), match.group()
        if stack and not stack[-1].has_han and _HAN.search(para.text, last, pos):
            stack[-1].has_han = True
        last = pos + 1
        if not para.editable(pos):
            continue
        if mark in _OPENERS:
            stack.append(_Open(_OPENERS[mark], pos, _chinese(para.before(pos))))
            continue
        kind = _CLOSERS[mark]
        if kind == "single" and _is_apostrophe(para, pos, stack):
            continue
        depth = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].kind == kind), None)
        if depth is None:  # a closing mark with nothing open: convert it only inside Chinese text
            if _chinese(para.before(pos)):
                para.edits[pos] = _CORNERS[0 if kind == "double" else 1][1]
            continue
        while len(stack) > depth + 1:  # quotes opened inside and never closed
            inner = stack.pop()
            close(inner, len(stack), None)
        entry = stack.pop()
        close(entry, len(stack), pos)
    if stack and _HAN.search(para.text, last):
        stack[-1].has_han = True
    while stack:
        entry = stack.pop()
        close(entry, len(stack), None)
    para.apply()


_STRAIGHT = re.compile("[\"']")
_CURLY = {"double": ("“", "”"), "single": ("‘", "’")}


def _straight_apostrophe(para: _Paragraph, pos: int, single_open: bool) -> bool:
    """Whether the ASCII ``'`` at ``pos`` is an apostrophe: between two Latin letters or digits
    (it's, rock'n'roll), or after a Latin word's s with no single quote open (students')."""
    text = para.text
    prev = text[pos - 1] if pos > 0 else ""
    nxt = text[pos + 1] if pos + 1 < len(text) else ""
    if (prev.isascii() and prev.isalnum()) and (nxt.isascii() and nxt.isalnum()):
        return True
    return not single_open and prev in "sS" and pos >= 2 and _latin(text[pos - 2])


def curl_straight_quotes(nodes: list[m.Inline], fixed: set[int] | None = None) -> None:
    """Pair the straight ASCII quotes of one paragraph's inline nodes into curly ones, in place.

    ``"`` pairs into “ ”, ``'`` into ‘ ’, each kind alternating opening and closing across all the
    paragraph's text nodes in reading order (a quote may open in plain text and close in bold).
    A pair becomes curly when its content holds a Han character or Chinese text stands right
    before its opening or right after its closing mark (GB/T 15834-2011 §4.8: Chinese text takes
    full-width quotation marks); a quote in Latin text (``say "hi"``), an apostrophe, a mark in
    code, and a mark in a text node whose ``id`` is in ``fixed`` (an address shown as link text)
    stay as written. A mark left open at the paragraph's end (a quotation running on into the next
    paragraph) is curled when Chinese text stands right before or after it.
    """
    para = _Paragraph(nodes)
    if not _STRAIGHT.search(para.text):
        return
    skip = fixed or set()
    open_at: dict[str, int | None] = {"double": None, "single": None}

    def curl(kind: str, start: int, end: int) -> None:
        if _HAN.search(para.text, start + 1, end) or _chinese(para.before(start)) or _chinese(para.after(end)):
            para.edits[start], para.edits[end] = _CURLY[kind]

    for match in _STRAIGHT.finditer(para.text):
        pos = match.start()
        index = bisect.bisect_right(para.starts, pos) - 1
        node = para.pieces[index][0]
        if node is None or id(node) in skip:
            continue
        kind = "double" if match.group() == '"' else "single"
        start = open_at[kind]
        if kind == "single" and _straight_apostrophe(para, pos, start is not None):
            continue
        if start is None:
            open_at[kind] = pos
        else:
            curl(kind, start, pos)
            open_at[kind] = None
    for kind, start in open_at.items():  # left open: curled only when Chinese text touches it
        if start is not None and (_chinese(para.after(start)) or _chinese(para.before(start))):
            para.edits[start] = _CURLY[kind][0]
    para.apply()


def pairs_straight_quotes(mode: str) -> bool:
    """Whether straight ASCII quotes are paired into curly ones: style ``text.quotes`` ``auto`` and
    ``corner`` do (then the edition's marks follow), ``keep`` keeps every mark as written."""
    if mode not in ("auto", "keep", "corner"):
        raise ValueError(f"quotes mode must be auto, keep or corner, not {mode!r}")
    return mode != "keep"


def curl_straight_quotes_in(text: str) -> str:
    """:func:`curl_straight_quotes` for a lone string (a title, an alt text, a keyword)."""
    node = m.Text(text)
    curl_straight_quotes([node])
    return node.text


def corner_quotes_in(text: str) -> str:
    """The same for a lone string (a title, a caption given as alt text, a keyword)."""
    node = m.Text(text)
    corner_quotes([node])
    return node.text


def wanted(mode: str, traditional: bool) -> bool:
    """Whether an edition gets corner brackets: style ``text.quotes`` auto | keep | corner."""
    if mode not in ("auto", "keep", "corner"):
        raise ValueError(f"quotes mode must be auto, keep or corner, not {mode!r}")
    return mode == "corner" or (mode == "auto" and traditional)
