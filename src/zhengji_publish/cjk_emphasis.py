"""Emphasis next to Chinese: the CJK-friendly amendment to CommonMark's delimiter-run rules.

CommonMark (0.31.2, §6.2) decides whether a run of ``*``, ``_`` or ``~`` may open or close
emphasis from the characters on either side of it: a run followed by punctuation must be preceded
by whitespace or punctuation to open, and a run preceded by punctuation must be followed by
whitespace or punctuation to close. Chinese puts no space between words, so the rule leaves the
markers of ``新到的**《园艺入门》**很快`` or ``**经过三年筹备，**展览`` as literal asterisks.

This module implements the amendment of the *CommonMark CJK-friendly Amendments Specification*
(github.com/tats-u/markdown-cjk-friendly, ``specification.md``), the rule of markdown-it's
``markdown-it-cjk-friendly`` plugin, whose ``scanDelims`` this follows step by step:

- a **CJK character** is one whose East Asian Width (UAX #11) is W, F or H and that is not a
  default emoji presentation character (UTS #51), or one of the Hangul script (UAX #24);
- a delimiter run next to a CJK character (CJK punctuation included) on either side may both open
  and close, as a run between two letters may; punctuation that is not CJK (ASCII ``"``, ``(``,
  and the East-Asian-ambiguous “ ” ‘ ’) keeps its CommonMark meaning;
- a non-emoji variation selector (U+FE00–U+FE0E) before the run is looked through to the
  character it modifies, and an ideographic variation selector (U+E0100–U+E01EF) counts as CJK.

Text with no CJK character next to a delimiter run is parsed exactly as CommonMark says: the
amendment only adds cases in which a run can open or close, and only next to CJK characters.
``_`` is unchanged (intraword underscores stay literal, as the amendment keeps them).

The character properties come from the ``regex`` module's Unicode database, which follows the
current Unicode version (CJK extensions added after Python's own ``unicodedata`` are included).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from types import MethodType

import regex
from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Scanned

__all__ = ["cjk_friendly_plugin", "is_cjk_character", "scan_delims"]

# UAX #11 classes, UTS #51 default emoji presentation and the Hangul script, from ``regex``.
_WIDE = regex.compile(r"[\p{East_Asian_Width=Wide}\p{East_Asian_Width=Fullwidth}\p{East_Asian_Width=Halfwidth}]")
_AMBIGUOUS = regex.compile(r"\p{East_Asian_Width=Ambiguous}")
_EMOJI_PRESENTATION = regex.compile(r"\p{Emoji_Presentation}")
_HANGUL = regex.compile(r"\p{Script=Hangul}")
_SPACE_SEPARATOR = regex.compile(r"\p{Zs}")

# The inline rules that scan delimiter runs: markdown-it's emphasis (``*``, ``_``) and GFM strikethrough (``~~``).
DELIMITER_RULES = ("emphasis", "strikethrough")


@lru_cache(maxsize=4096)
def _cjk_base(ch: str) -> bool | None:
    """Whether ``ch`` is a CJK character; ``None`` when its East Asian Width is ambiguous (A).

    The spec's definition (§2.1): East Asian Width W, F or H and not a default emoji presentation
    character, or the Hangul script. An ambiguous character is decided by what stands next to it.
    """
    if ord(ch) < 0x1100:  # nothing below U+1100 is wide or Hangul
        return False
    if _WIDE.match(ch):
        return not _EMOJI_PRESENTATION.match(ch)
    if _AMBIGUOUS.match(ch):
        return None
    return bool(_HANGUL.match(ch))


def is_cjk_character(ch: str) -> bool:
    """A *CJK character* of the amendment (§2.1): wide, full-width or half-width and not an emoji, or Hangul.

    ``ch`` is one code point. Han characters, kana, Hangul and the full-width punctuation of Chinese
    text (，。、；：？！《》（）【】「」…) are; the ambiguous-width “ ” ‘ ’ and ASCII are not.
    """
    return _cjk_base(ch) is True


def _is_variation_selector(ch: str) -> bool:
    """A non-emoji general-use variation selector, U+FE00–U+FE0E (U+FE0F asks for emoji presentation)."""
    return "\ufe00" <= ch <= "\ufe0e"


def _is_previous_cjk(ch: str) -> bool:
    """Whether the character before a run makes it CJK-adjacent: a CJK character or an ideographic VS."""
    base = _cjk_base(ch)
    return base if base is not None else "\U000e0100" <= ch <= "\U000e01ef"


def _is_two_previous_cjk(ch: str, selector: str) -> bool:
    """``ch`` followed by the variation selector ``selector`` before a run: a CJK sequence, or a
    quotation mark with U+FE01, the full-width form of StandardizedVariants.txt (a *CJK ambiguous
    punctuation sequence*)."""
    base = _cjk_base(ch)
    return base if base is not None else selector == "\ufe01" and ch in "‘’“”"


def scan_delims(src: str, start: int, maximum: int, can_split_word: bool) -> Scanned:
    """Whether the run of ``src[start]`` markers at ``start`` can open and/or close emphasis.

    ``maximum`` is the end of the inline text (``StateInline.posMax``); ``can_split_word`` is true for
    ``*`` and ``~`` and false for ``_``, as in markdown-it's ``StateInline.scanDelims``, whose result
    (``Scanned(can_open, can_close, length)``) this returns. The rule is CommonMark's left- and
    right-flanking rule (§6.2) with the CJK-friendly amendment (module docstring); the beginning
    and end of the text count as whitespace.
    """
    marker = src[start]
    last = src[start - 1] if start > 0 else " "
    last_main = last
    two_previous: str | None = None
    if _is_variation_selector(last):
        two_previous = src[start - 2] if start > 1 else " "
        if not _SPACE_SEPARATOR.match(two_previous):
            last_main = two_previous

    pos = start
    while pos < maximum and src[pos] == marker:
        pos += 1
    count = pos - start
    nxt = src[pos] if pos < maximum else " "

    last_white = isWhiteSpace(ord(last_main))
    next_white = isWhiteSpace(ord(nxt))
    if last_white or next_white:  # next to whitespace CJK makes no difference
        return Scanned(not next_white, not last_white, count)

    last_punct = isMdAsciiPunct(ord(last_main)) or isPunctChar(last_main)
    next_punct = isMdAsciiPunct(ord(nxt)) or isPunctChar(nxt)
    # For ``_`` (no intraword emphasis) CommonMark reduces to: opens after punctuation, closes before it.
    left_flanking = last_punct
    right_flanking = next_punct
    if can_split_word:
        either_cjk = is_cjk_character(nxt) or (
            _is_two_previous_cjk(two_previous, last) if two_previous is not None else _is_previous_cjk(last)
        )
        left_flanking = left_flanking or either_cjk or not next_punct
        right_flanking = right_flanking or either_cjk or not last_punct
    return Scanned(left_flanking, right_flanking, count)


def _scan_delims_method(self: StateInline, start: int, canSplitWord: bool) -> Scanned:  # noqa: N803 (markdown-it's name)
    return scan_delims(self.src, start, self.posMax, canSplitWord)


def cjk_friendly_plugin(md: MarkdownIt) -> None:
    """Make ``md``'s emphasis and strikethrough rules scan delimiter runs the CJK-friendly way.

    markdown-it-py builds a fresh ``StateInline`` for every inline text and offers no hook to replace
    its class (markdown-it in JavaScript does, and its plugin overrides ``scanDelims`` there). So the
    tokenizer rules that call ``scanDelims`` are wrapped: before each runs, the state's
    ``scanDelims`` is bound to :func:`scan_delims`. Every other rule, and the pairing of delimiters
    that follows (``balance_pairs``, emphasis post-processing), is markdown-it's own. Rules not
    enabled on ``md`` are left alone.
    """
    for name in DELIMITER_RULES:
        index = md.inline.ruler.__find__(name)
        if index >= 0:
            rule = md.inline.ruler.__rules__[index]
            md.inline.ruler.at(name, _with_cjk_scan(rule.fn), {"alt": list(rule.alt)})


def _with_cjk_scan(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """``rule`` run with the state's ``scanDelims`` bound to :func:`scan_delims` (an instance attribute)."""

    def tokenize(state: StateInline, silent: bool) -> bool:
        if "scanDelims" not in vars(state):
            state.scanDelims = MethodType(_scan_delims_method, state)  # type: ignore[method-assign]
        return rule(state, silent)

    return tokenize
