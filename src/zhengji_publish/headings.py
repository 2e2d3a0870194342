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
from zhengji_publish.diagnostics import Reporter

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


# Forms typed for the same mark: a hand-numbered （一） is often typed (一), 1. as 1．
_LOOSE = {"（": "[（(]", "(": "[（(]", "）": "[）)]", ")": "[）)]", ".": "[.．]", "．": "[.．]"}


def _number_form(pattern: str) -> re.Pattern[str]:
    """What a heading numbered by hand in a style's pattern starts with: ``{一}、`` → 一、 十二、 …,
    ``（{1}）`` → （1） (3) …"""
    out = r"\s*"
    for part in re.split(r"(\{一\}|\{1\})", pattern):
        if part == "{一}":
            out += f"[{_NUMERALS}]+"
        elif part == "{1}":
            out += "[0-9]+"
        else:
            out += "".join(_LOOSE.get(ch, re.escape(ch)) for ch in part)
    return re.compile(out)


def check_levels(doc: m.Document, patterns: Sequence[str], reporter: Reporter) -> None:
    """Warn at the first top-level heading numbered by hand in the pattern of another level than its
    own (``## 一、…`` where ``patterns`` give level 1 ``{一}、``, as GB/T 9704-2012 §7.3.3 does),
    counting the others: such a heading is set in its own level's face, not its number's.
    ``patterns`` are a style's, one per level 1–6; the heading that names the document (no
    front-matter title) is not checked."""
    forms = [(n + 1, _number_form(p)) for n, p in enumerate(patterns) if p]
    if not forms:
        return
    title = m.title_heading(doc.blocks) if doc.meta.title_derived else None
    off: list[tuple[m.Heading, str, int]] = []
    for block in doc.blocks:
        if isinstance(block, m.Heading) and block is not title:
            text = m.plain_text(block.children).strip()
            said = [level for level, form in forms if form.match(text)]
            if said and block.level not in said:
                off.append((block, text, said[0]))
    if not off:
        return
    heading, text, level = off[0]
    more = f" ({len(off) - 1} more headings likewise)" if len(off) > 1 else ""
    reporter.warn(
        f"the heading '{text}' is numbered as level {level} but is a level-{heading.level} heading, "
        f"so it is set as level {heading.level}{more}",
        f"write it '{'#' * level} {text}'; a title written as the first heading goes into the front "
        "matter's 'title:' (the style numbers its levels " + " ".join(format_number(p, 1) for p in patterns if p) + ")",
        doc.source,
        heading.line,
        1,
    )


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
