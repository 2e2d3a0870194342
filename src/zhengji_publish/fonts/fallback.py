"""Fallback: the installed face that best draws a character no face of the style has.

fontconfig knows which installed faces cover a code point (``fc-list ':charset=…'``, its own cached
coverage index); :func:`best_face` ranks them for the character's script and the edition's region.
"""

from __future__ import annotations

import subprocess
from functools import lru_cache

from zhengji_publish.text import is_han

# Families of colour emoji faces, preferred for emoji in this order (Debian: fonts-noto-color-emoji).
COLOR_EMOJI_FAMILIES = ("Noto Color Emoji",)
# Family words that name another region's CJK face: a Han character prefers its edition's region.
_OTHER_REGIONS = {"JP", "KR", "SC", "TC", "HK", "CN", "TW", "GB"}


@lru_cache(maxsize=4096)
def fontconfig_faces(cp: int) -> tuple[tuple[str, int, str, str, int], ...]:
    """Installed faces that have a glyph for the code point ``cp``, as fontconfig lists them.

    Runs ``fc-list ':charset=HEX'`` (fontconfig's own coverage index, so no font file is read):
    (file, face index, first family name, style, fontconfig weight: 80 regular, 200 bold) tuples,
    sorted. Empty when fontconfig is not installed. Cached per process.
    """
    try:
        out = subprocess.run(
            ["fc-list", "-f", "%{file}\t%{index}\t%{family}\t%{style}\t%{weight}\n", f":charset={cp:x}"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    found = set()
    for row in out.splitlines():
        parts = row.split("\t")
        if len(parts) != 5 or not parts[1].isdigit():
            continue
        path, index, family, style, weight = parts
        try:
            w = int(float(weight.split(",")[0] or 80))
        except ValueError:
            w = 80
        found.add((path, int(index), family.split(",")[0].strip(), style.split(",")[0].strip(), w))
    return tuple(sorted(found))


def is_emoji(ch: str) -> bool:
    """Whether ``ch`` is an emoji shown as a picture by default (Unicode ``Emoji_Presentation``)."""
    import regex

    return regex.match(r"\p{Emoji_Presentation}", ch) is not None


Entry = tuple[str, int, str, str, int]  # as fontconfig_faces lists a face: file, index, family, style, weight


def best_face(found: tuple[Entry, ...], ch: str, role: str, bold: bool, regional: tuple[str, ...]) -> Entry | None:
    """The face of ``found`` (:func:`fontconfig_faces`) that best draws ``ch`` in ``role``; None if none.

    An emoji prefers a colour emoji face (:data:`COLOR_EMOJI_FAMILIES`), then any face whose family
    says "Emoji", and other characters avoid emoji faces; a Han character prefers the edition's
    regional face of a CJK collection (``regional``: the region's family suffixes in order of
    preference, SC/CN/GB, TC/TW or HK/TC/TW) over a face of no region, and that over another
    region's (JP, KR…); then an upright face of the role's kind (serif, sans, mono) and the weight
    nearest regular (or bold) wins; ties go to the first file and face index.
    """
    if not found:
        return None
    kind = {"sans": "sans", "mono": "mono"}.get(role, "serif")
    emoji, han = is_emoji(ch), is_han(ch)

    def score(entry: Entry) -> tuple[int, int, int, int, int, str, int]:
        path, index, family, style, weight = entry
        words = family.replace("-", " ").split()
        lower = family.lower()
        if emoji:
            emoji_rank = 0 if family in COLOR_EMOJI_FAMILIES else 1 if "emoji" in lower else 2
        else:
            emoji_rank = int("emoji" in lower)
        region_rank = 0
        if han:
            hits = [w for w in words if w in _OTHER_REGIONS]
            ranks = [regional.index(w) for w in hits if w in regional]
            region_rank = min(ranks) if ranks else len(regional) + bool(hits)
        same_kind = (kind == "mono") == ("mono" in lower) and (kind == "sans") == ("sans" in lower)
        italic = int("italic" in style.lower() or "oblique" in style.lower())
        return (emoji_rank, region_rank, italic, int(not same_kind), abs(weight - (200 if bold else 80)), path, index)

    return min(found, key=score)
