"""Heading numbers a style asks for: 一、（一）1.（1） in 公文, added to the tree before any writer runs.

A style numbers a heading level with a ``number`` pattern in its ``h1``…``h6`` block
(``number: "{一}、"``): ``{一}`` is the heading's ordinal in Chinese numerals (一 … 九十九), ``{1}`` in
Arabic digits. GB/T 9704-2012 §7.3.3 gives the four levels of an official document's structure as
“一、”, “（一）”, “1.” and “（1）”. The number of a level counts its headings since the last heading of
a higher level. A heading the author has already numbered (一、 （二） 3. 第一章 …) is left as
written, and still counted, so a source numbered by hand is never numbered twice.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import replace

from zhengji_publish import model as m

_DIGITS = "零一二三四五六七八九"
_NUMERALS = "一二三四五六七八九十百千零〇"
# The forms a hand-numbered heading starts with: 一、 （一） 1. 1.2 （1） ① 第一章/节/条 … A. (a)
_NUMBERED = re.compile(
    rf"^\s*(?:[{_NUMERALS}]+\s*[、.．]"
    rf"|[（(]\s*[{_NUMERALS}0-9]+\s*[）)]"
    r"|[0-9]+(?:[.．][0-9]+)*(?:[.．、]|\s)"
    rf"|第\s*[{_NUMERALS}0-9]+\s*[编章节条款项目部篇卷回]"
    r"|[（(]?[A-Za-z][）).]"
    r"|[①-⑳⑴-⒇⒈-⒛])"
)


def chinese_numeral(n: int) -> str:
    """``n`` (1–99) in Chinese numerals as 公文 numbers are written: 一 … 十 十一 … 二十 … 九十九.
    Larger numbers are given in digits. Raises ValueError for ``n < 1``."""
    if n < 1:
        raise ValueError(f"heading numbers start at 1, not {n}")
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, units = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")
    return str(n)


def format_number(pattern: str, n: int) -> str:
    """A heading number from a style's pattern: ``{一}`` → Chinese numerals, ``{1}`` → digits."""
    return pattern.replace("{一}", chinese_numeral(n)).replace("{1}", str(n))


def hand_numbered(heading: m.Heading) -> bool:
    """Whether the heading's text already starts with a number (一、 （一） 1. 第一章 …)."""
    return bool(_NUMBERED.match(m.plain_text(heading.children)))


def number_headings(doc: m.Document, patterns: Sequence[str]) -> m.Document:
    """``doc`` with its top-level headings numbered by ``patterns`` (one per level 1–6, ``""``: none).

    Headings inside divs, quotes, lists and notes (a notice's title) are not numbered, nor is the
    heading that names the publication when the front matter gives no title (the reader takes the
    first heading with text as the title; GB/T 9704-2012 §7.3.3 numbers the levels of the 正文, not
    the 标题 of §7.3.1). The result is a copy that shares every unchanged block with ``doc``; ``doc`` itself is
    never changed. With no pattern at all ``doc`` is returned as it is.
    """
    if not any(patterns):
        return doc
    title = m.title_heading(doc.blocks) if doc.meta.title_derived else None
    counts = [0] * 6
    blocks: list[m.Block] = []
    for block in doc.blocks:
        if isinstance(block, m.Heading) and block is not title:
            level = min(max(block.level, 1), 6)
            counts[level - 1] += 1
            counts[level:] = [0] * (6 - level)
            pattern = patterns[level - 1] if level <= len(patterns) else ""
            if pattern and not hand_numbered(block):
                prefix = format_number(pattern, counts[level - 1])
                first = block.children[0] if block.children else None
                rest = block.children[1:] if isinstance(first, m.Text) else block.children
                text = prefix + first.text if isinstance(first, m.Text) else prefix
                block = replace(block, children=[m.Text(text, block.line), *rest])
        blocks.append(block)
    out = copy.copy(doc)
    out.blocks = blocks
    return out
