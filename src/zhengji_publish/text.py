"""Character classes shared by the reader, the edition transforms and the writers.

One place for the question "is this a Han character / CJK punctuation / Latin?", so that the soft
line-break rule, OpenCC's scope and the PDF line breaker all agree.
"""

from __future__ import annotations

import re
import unicodedata


def is_han(ch: str) -> bool:
    """Han ideographs (CJK Unified Ideographs, Extensions A–I, compatibility ideographs and their
    supplement), the iteration mark 々 and the ideographic zero 〇."""
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x323AF
        or 0xF900 <= cp <= 0xFAFF
        or cp in (0x3007, 0x3005)
    )


def is_cjk_punct(ch: str) -> bool:
    """Full-width punctuation of Chinese text (CJK Symbols, full-width forms, curly quotes, dashes)."""
    cp = ord(ch)
    return (
        0x3000 <= cp <= 0x303F
        or 0xFF00 <= cp <= 0xFF0F
        or 0xFF1A <= cp <= 0xFF20
        or 0xFF3B <= cp <= 0xFF40
        or 0xFF5B <= cp <= 0xFF65
        or ch in "“”‘’—…·・"
    )


def is_cjk(ch: str) -> bool:
    """Han characters, kana, hangul, bopomofo and CJK punctuation: text set on the ideographic grid."""
    if is_han(ch) or is_cjk_punct(ch):
        return True
    cp = ord(ch)
    return 0x3040 <= cp <= 0x30FF or 0x3100 <= cp <= 0x312F or 0xAC00 <= cp <= 0xD7AF


# The characters ``is_forbidden_control`` refuses, as one pattern: a whole source is checked at once.
FORBIDDEN_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def is_forbidden_control(ch: str) -> bool:
    """Control characters that have no place in a manuscript (tab, newline and CR are fine)."""
    if ch in "\t\n\r":
        return False
    cat = unicodedata.category(ch)
    return cat == "Cc" or ch in "\u2028\u2029" or (cat == "Cs")
