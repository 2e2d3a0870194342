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


def is_east_asian(ch: str) -> bool:
    """Whether ``ch`` is set in a run's East Asian face rather than its Latin one: what OOXML's
    ``w:rFonts`` gives to ``w:eastAsia`` in text whose East Asian language is Chinese (ECMA-376
    Part 1 §17.3.2.26): :func:`is_cjk` characters, CJK radicals, strokes and compatibility forms,
    enclosed CJK letters and the full-width and half-width forms (Ｆｕｌｌ－ｗｉｄｔｈ letters and
    digits too). Latin letters, digits, their punctuation and spaces are not.

    This is the one rule of a face that sets only East Asian text, such as 楷体 emphasis
    (:class:`zhengji_publish.plan.Emphasis`): the PDF and the EPUB split runs by it, the DOCX names
    the face in ``w:eastAsia`` alone and the word processor splits them the same way.
    """
    if is_cjk(ch):
        return True
    cp = ord(ch)
    return (
        0x2E80 <= cp <= 0x2FFF  # CJK and Kangxi radicals, ideographic description characters
        or 0x31C0 <= cp <= 0x31EF  # CJK strokes
        or 0x3190 <= cp <= 0x319F  # kanbun
        or 0x31A0 <= cp <= 0x31BF  # bopomofo extended
        or 0x3200 <= cp <= 0x33FF  # enclosed CJK letters, CJK compatibility
        or 0xFE10 <= cp <= 0xFE1F  # vertical forms
        or 0xFE30 <= cp <= 0xFE4F  # CJK compatibility forms
        or 0xFF00 <= cp <= 0xFFEF  # half-width and full-width forms
    )


def is_numeral_form(ch: str) -> bool:
    """Whether ``ch`` is a Roman numeral or an enclosed number of the kind Chinese documents number
    with (``Ⅰ—Ⅲ类``, ``ⅱ``, ``①``, ``⑴``, ``⒈``: Unicode's Number Forms, U+2150–U+218F, and
    Enclosed Alphanumerics, U+2460–U+24FF). The CJK faces draw them a full em wide, and
    LibreOffice takes them for East Asian text after Han characters (no script of their own: they
    take the one before them): set as Han characters, with no Han–Latin gap beside them and a
    full-em 连接号 after them (measured: ``面Ⅰ类`` with no gap, ``和①—③项`` with a 1-em dash)."""
    return 0x2150 <= ord(ch) <= 0x218F or 0x2460 <= ord(ch) <= 0x24FF


def takes_script_before(ch: str) -> bool:
    """Whether ``ch`` has no script of its own in LibreOffice's script runs and takes the one of
    the text before it (its "weak" characters of U+2000–U+2BFF: general punctuation, letterlike
    symbols such as ``℃`` and ``№``, number forms, arrows, mathematical and technical symbols,
    enclosed alphanumerics, shapes and dingbats, ``‰`` ``′`` ``★`` ``→``), unless it is East
    Asian (:func:`is_east_asian`). Latin-1's ``§ × ± °`` are Latin."""
    return 0x2000 <= ord(ch) <= 0x2BFF and not is_east_asian(ch)


# The characters ``is_forbidden_control`` refuses, as one pattern: a whole source is checked at once.
FORBIDDEN_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def is_forbidden_control(ch: str) -> bool:
    """Control characters that have no place in a manuscript (tab, newline and CR are fine)."""
    if ch in "\t\n\r":
        return False
    cat = unicodedata.category(ch)
    return cat == "Cc" or ch in "\u2028\u2029" or (cat == "Cs")


def is_variation_selector(ch: str) -> bool:
    """Whether ``ch`` is a variation selector (Unicode §23.4: VS1–VS16, U+FE00–U+FE0F, and the
    ideographic variation selectors VS17–VS256, U+E0100–U+E01EF): it picks a glyph for the
    character before it (``葛󠄀``, an Ideographic Variation Sequence of the IVD; ``❤️``) and is drawn
    as nothing of its own."""
    cp = ord(ch)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF
