"""Lengths, font sizes and page sizes as a Chinese typesetter writes them.

``五号`` is 10.5 pt, ``A5`` is 148×210 mm, ``2em`` is two body characters. Everything is returned
in PostScript points, the unit all three writers share.
"""

from __future__ import annotations

import re

MM = 72 / 25.4

# GB/T 40070-2021 / ctex "word" scale.
CHINESE_SIZES = {
    "初号": 42,
    "小初": 36,
    "一号": 26,
    "小一": 24,
    "二号": 22,
    "小二": 18,
    "三号": 16,
    "小三": 15,
    "四号": 14,
    "小四": 12,
    "五号": 10.5,
    "小五": 9,
    "六号": 7.5,
    "小六": 6.5,
    "七号": 5.5,
    "八号": 5,
}

PAGE_SIZES_MM = {
    "A3": (297, 420),
    "A4": (210, 297),
    "A5": (148, 210),
    "A6": (105, 148),
    "B5": (176, 250),
    "16开": (185, 260),
    "大16开": (210, 285),
    "32开": (130, 184),
    "大32开": (140, 203),
    "Letter": (215.9, 279.4),
}

_UNIT = {"pt": 1.0, "mm": MM, "cm": 10 * MM, "in": 72.0, "px": 0.75}
_NUM = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*([a-z]*)\s*$")


class UnitError(ValueError):
    """A value that is not a length/size; the message says what is allowed."""


def font_size(value: object) -> float:
    """``五号`` / ``10.5pt`` / ``10.5`` / ``4mm`` → points."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        size = float(value)
    elif isinstance(value, str) and value.strip() in CHINESE_SIZES:
        return float(CHINESE_SIZES[value.strip()])
    else:
        size = length(value, em=None)
    if not 3 <= size <= 200:
        raise UnitError(f"font size {value!r} is outside 3–200 pt")
    return size


def length(value: object, em: float | None) -> float:
    """``20mm`` / ``12pt`` / ``1.5cm`` / ``2em`` (× ``em``) / a bare number (points) → points."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        if value.strip() in CHINESE_SIZES:
            return float(CHINESE_SIZES[value.strip()])
        match = _NUM.match(value)
        if match:
            number, unit = float(match.group(1)), match.group(2) or "pt"
            if unit == "em":
                if em is None:
                    raise UnitError(f"{value!r}: 'em' is not allowed here")
                return number * em
            if unit in _UNIT:
                return number * _UNIT[unit]
    raise UnitError(f"{value!r} is not a length (write e.g. 20mm, 12pt, 1.5cm or 2em)")


def page_size(value: object) -> tuple[float, float]:
    """``A5`` / ``16开`` / ``[185mm, 260mm]`` → (width, height) in points."""
    if isinstance(value, str) and value.strip() in PAGE_SIZES_MM:
        w, h = PAGE_SIZES_MM[value.strip()]
        return w * MM, h * MM
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return length(value[0], None), length(value[1], None)
    raise UnitError(f"page size {value!r} is unknown (use {', '.join(PAGE_SIZES_MM)} or [width, height])")
