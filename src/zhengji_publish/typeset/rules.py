"""The rules of Chinese line layout (W3C clreq, GB/T 15834-2011), in one place.

Which marks may not start or end a line, which are opening or closing brackets (for compression),
and which runs must never be split.
"""

from __future__ import annotations

import re

# Never at line start (basic level), full-width and half-width.
NO_START_BASIC = set("。．，、；：？！‼⁇）］｝〕〗】〉》」』”’·・～%‰℃" + ")]},.;:?!")
# Strict level also keeps dashes and ellipses (and the iteration marks) off the line start.
NO_START_STRICT = NO_START_BASIC | set("—⸺…々〻ー")
# Never at line end.
NO_END = set("（［｛〔〖【〈《「『“‘" + "([{")

# Full-width marks whose blank half may be removed (mainland style): closing marks carry their
# blank on the right, opening marks on the left.
CLOSING = set("，。、；：？！）］｝〕〗】〉》」』”’")
OPENING = set("（［｛〔〖【〈《「『“‘")

# Runs that are one unit: ——, ……, ⸺, Latin words and numbers (3.14, 50%, 12351, 1,000, v2.3.1).
_UNIT = re.compile(
    r"(?P<dash>[—⸺]{2,}|…{2,}|⋯{2,})"
    r"|(?P<word>[0-9A-Za-z\u00C0-\u024F](?:[0-9A-Za-z\u00C0-\u024F'’\-_.,:/%+#&@=?~]*[0-9A-Za-z\u00C0-\u024F%/])?%?)"
    r"|(?P<space>[ \t\u00A0]+)"
    r"|(?P<chars>[^0-9A-Za-z\u00C0-\u024F \t\u00A0—⸺…⋯]+)"  # a run of single characters (Han text)
    r"|(?P<char>.)",
    re.S,
)
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)", re.I)
_URL_BREAK_AFTER = set("/.?&=-_#")


def no_start(level: str) -> set[str]:
    return NO_START_STRICT if level == "strict" else NO_START_BASIC


def tokens(text: str):
    """Split text into (kind, piece): 'dash', 'word', 'url', 'space', 'char', or 'chars' (a run of
    characters each of which is a unit of its own, such as Han text)."""
    for m in _UNIT.finditer(text):
        kind = m.lastgroup or "char"
        piece = m.group(kind)
        if kind == "word" and _URL.match(piece):
            yield from (("url", p) for p in split_url(piece))
        elif kind == "word" and piece[-1] in ".,:" and len(piece) > 1:  # sentence punctuation after a word
            yield "word", piece[:-1]
            yield "char", piece[-1]
        else:
            yield kind, piece


def split_url(url: str) -> list[str]:
    """A URL in pieces that may be broken between: after / . ? & = - _ # (never inside a name)."""
    out, cur = [], ""
    for ch in url:
        cur += ch
        if ch in _URL_BREAK_AFTER:
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out
