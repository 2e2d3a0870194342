"""Where a line may end inside a Latin word, and how willingly.

Between Han characters a line may end almost anywhere (clreq LINE_START_END), so a justified
Chinese line is filled and its slack is a fraction of an em spread over many gaps. A Latin word,
an identifier or a path in inline code is one unit, though, and in a narrow measure (an ebook, a
table cell) a long one leaves the line before it short by several ems, which justification then
spreads between the few Han characters on it (``编      辑``, ``改   为   3   ，``) — or, when
the word is wider than the line itself, it runs past the measure.

So each word is given places it may be cut, in tiers a line takes in turn (:func:`choose`):

0. the breaks the text has anyway: between Han characters, at spaces, after the pieces of a URL
   or a path (:func:`rules.tokens`; LibreOffice, told where by the DOCX, takes them as the PDF
   does) — in ragged text the pieces are tier 1, in a code block none —, and in code where
   LibreOffice breaks it itself (:func:`rules.code_break`: ``kube-`` | ``system``);
1. in a word of inline code of :data:`LONG_WORD` or more characters (an identifier, an option),
   and in any word wider than the line: the cuts of :func:`rules.overlong_cuts` (after
   ``/ . _ = : ,``, before ``-``), each leaving :data:`MIN_PIECE` letters or digits or more on
   either side and none inside a number (none in a URL or a path: its pieces are its cuts);
2. in such a word of inline code, and inside a URL's or path's piece: between any two
   characters, leaving :data:`MIN_PIECE` letters or digits or more on either side and never
   inside a number (a word of prose is never cut so: it would want a hyphen, and it stays whole
   and kerned; a path's piece too long for what is left of a line in an ebook spread the line
   before it by several ems a gap, ``运维位于D:\\Tools\\`` | ``LogCollector\\``);
3. in a word (or a URL's piece) wider than the line: the same (CSS Text 3 ``overflow-wrap:
   anywhere``).

A justified line ends at the last tier-0 break that fits unless justifying it would add more
than :data:`LOOSENESS` em to each of its gaps; then at the last tier-1 cut that would not; else
at the furthest cut that fits, a tier-2 one only where the lower tiers would spread the line
more than :data:`MIDWORD_LOOSENESS` times as much. Ragged text (a code block) is never spread:
it takes the last tier-0 break, as LibreOffice breaks a code line, and cuts a word only when it
must — a code block's word at the last character that fits (:func:`_code_cuts`).

The pieces of a cut word are :func:`~zhengji_publish.typeset.boxes.split_word` boxes of kind
``piece``: a justified line puts no space between them, and the DOCX marks the cut the line took
for LibreOffice (:mod:`~zhengji_publish.writers.docx.compression`).
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from zhengji_publish.typeset import rules
from zhengji_publish.typeset.boxes import CJK_KINDS, Box, split_word

#: A word of inline code of this many characters or more may be cut at its marks (tier 1) when the
#: line before it would otherwise be loose: ``replication.`` | ``factor``, never ``v3.`` | ``4.0``.
LONG_WORD = 10
#: Letters or digits a cut leaves on each side of it, at least.
MIN_PIECE = 3
#: How much space (em of the text) justifying a line may add to each of its gaps before a cut of a
#: higher tier, filling the line better, is taken instead. A line with no gap to spread (a URL
#: alone) is left short, never spread: it takes the lowest tier that fits.
LOOSENESS = 0.5

#: How many times :data:`LOOSENESS` a line may be spread before a word that fits a line is cut
#: between two of its characters instead (``replicat`` | ``ion``): only a line much looser
#: than the marks would leave it.
MIDWORD_LOOSENESS = 2.0

EPS = 0.01


def _words(boxes: list[Box]) -> list[tuple[int, int]]:
    """The words of ``boxes`` as index ranges [s, e): runs of Latin boxes (not CJK, not upright in
    vertical text) set next to each other with no glue and no hard break between."""
    out: list[tuple[int, int]] = []
    s = -1
    for i, b in enumerate(boxes):
        latin = b.kind not in CJK_KINDS and not b.upright
        joined = latin and s >= 0 and not b.glue and not b.forced
        if s >= 0 and not joined:
            out.append((s, i))
            s = -1
        if latin and s < 0:
            s = i
    if s >= 0:
        out.append((s, len(boxes)))
    return out


def cut_words(
    boxes: list[Box], measure: float, first_indent: float, ragged: bool = False
) -> tuple[list[Box], dict[int, int]]:
    """``boxes`` with their long words in pieces, and the tier (1 to 3) of each cut inside a word by
    the index of the box after it (see the module's docstring; tier-0 breaks are not listed).
    ``measure`` and ``first_indent`` in pt. ``boxes`` itself is not changed; when no word is long,
    it is returned as it is. ``ragged``: the text is not justified, so a URL's or a path's pieces
    are tier-1 cuts: the line breaks at a space first where a line of justified text would be
    left loose; in a code block (ragged code) they are no breaks at all, as LibreOffice finds none
    there (:func:`_code_cuts`)."""
    out: list[Box] = []
    tiers: dict[int, int] = {}
    done = 0
    for s, e in _words(boxes):
        line = measure - (first_indent if s == 0 else 0.0)
        code = ragged and all(b.style.code for b in boxes[s:e])
        cuts = _code_cuts(boxes, s, e, line) if code else _cuts(boxes, s, e, line)
        pieces = ragged and any(b.can_break for b in boxes[s + 1 : e])
        if not cuts and not pieces:
            continue
        out += boxes[done:s]
        at = 0  # characters of the word before the box
        for i in range(s, e):
            b = boxes[i]
            first = len(out)
            inner = [c - at for c in range(at + 1, at + len(b.text)) if c in cuts]
            out += split_word(b, inner) if inner else [_copy(b)]
            cut = at  # characters of the word before box k
            own = i > s and _code_break(boxes[i - 1], b)  # where LibreOffice breaks code: tier 0
            for k in range(first, len(out)):
                if k > first:
                    cut += len(out[k - 1].text)
                if k == first and (i == s or own or (b.can_break and not code)):
                    if i > s and ragged and not own:  # a URL's or path's piece
                        tiers[k] = 1
                    continue  # the word's start, or a break the text has inside it (a URL's piece)
                a, z = out[k - 1].text[-1], out[k].text[0]
                allowed = (
                    cut in cuts
                    and not out[k].style.sup
                    # a code block's word is cut where it must, a line starting with ``.`` too (``v2`` |
                    # ``.3.1``), as LibreOffice cuts it; Chinese marks keep their rules
                    and ((code and a.isascii() and z.isascii()) or rules.may_break_between(a, z, "strict"))
                )
                out[k].can_break = allowed
                if allowed:
                    tiers[k] = cuts[cut]
            at += len(b.text)
        done = e
    if not done:
        return boxes, {}
    out += boxes[done:]
    return out, tiers


def _code_cuts(boxes: list[Box], s: int, e: int, line: float) -> dict[int, int]:
    """The cuts of a word of a code block, ``boxes[s:e]``, wider than ``line`` (pt): between any
    two of its characters, tier 3, taken only where no break of the line's fits, at the last
    character that fits, as LibreOffice and a browser's ``pre-wrap`` cut a line of code (none
    after a URL's ``/``: a code block's text carries no hint of where the PDF broke it, copied
    it must run as typed). ``{}`` for a word that fits a line."""
    if sum(b.width for b in boxes[s:e]) <= line + EPS:
        return {}
    return dict.fromkeys(range(1, sum(len(b.text) for b in boxes[s:e])), 3)


def _code_break(before: Box, box: Box) -> bool:
    """Whether a line of code may end between ``before`` and ``box`` where LibreOffice ends one
    (:func:`rules.code_break`): a break of tier 0 in ragged text too, as a space is."""
    return before.style.code and box.style.code and rules.code_break(before.text, box.text)


def _cuts(boxes: list[Box], s: int, e: int, line: float) -> dict[int, int]:
    """The cuts of the word ``boxes[s:e]`` and their tiers, by the number of the word's characters
    before each; ``line``: the measure of a line, pt. A URL or a path, which has breaks of its own
    (its pieces), is cut between two characters only inside a piece wider than the line."""
    # (no glue inside a word: _words)
    starts = [i for i in range(s + 1, e) if boxes[i].can_break]
    pieces = [boxes[a:z] for a, z in zip([s, *starts], [*starts, e], strict=True)]
    wide = [sum(b.width for b in piece) > line + EPS for piece in pieces]
    code = all(b.style.code for b in boxes[s:e]) and sum(len(b.text) for b in boxes[s:e]) >= LONG_WORD
    if not (code or starts or any(wide)):
        return {}
    text = "".join(b.text for b in boxes[s:e])
    cuts: dict[int, int] = {}
    if not starts and code:
        cuts = {c: 2 for c in range(1, len(text)) if _inside(c, text) and not rules.in_number(c, text)}
    if not starts or code:  # code's own breaks (rules.code_break) are no URL's pieces: it has marks too
        cuts |= {c: 1 for c in rules.overlong_cuts(text, code) if _inside(c, text) and not rules.in_number(c, text)}
    at = 0
    for piece, too_wide in zip(pieces, wide, strict=True):
        chars = "".join(b.text for b in piece)
        # a piece wider than the line and too short to leave MIN_PIECE letters on each side of a
        # cut (``day10`` in a narrow table column) is cut anywhere rather than run past the measure,
        # as LibreOffice cuts it and CSS's ``overflow-wrap: anywhere`` does (``day1`` | ``0``)
        anywhere = too_wide and not any(_inside(c, chars) for c in range(1, len(chars)))
        for c in range(1, len(chars)):
            if too_wide and (anywhere or _inside(c, chars)) and cuts.get(at + c) != 1:
                cuts[at + c] = 3
            elif starts and _inside(c, chars) and not rules.in_number(c, chars):
                cuts.setdefault(at + c, 2)  # inside a URL's or path's piece, or a part of code
        at += len(chars)
    return cuts


def _inside(cut: int, word: str) -> bool:
    """Whether a cut ``cut`` characters into ``word`` leaves :data:`MIN_PIECE` letters or digits
    or more on each side (``…Sessio`` | ``n()`` leaves one)."""
    return sum(ch.isalnum() for ch in word[:cut]) >= MIN_PIECE and sum(ch.isalnum() for ch in word[cut:]) >= MIN_PIECE


def _copy(box: Box) -> Box:
    """An uncut box of a cut word, as a piece (its break may change; the DOCX marks a cut only
    between pieces)."""
    piece = copy.copy(box)
    piece.kind = "piece"
    return piece


def choose(
    boxes: list[Box],
    tiers: dict[int, int],
    s: int,
    end: int,
    loose: Callable[[int], tuple[float, bool]],
    looseness: float,
    hidden: frozenset[int] = frozenset(),
) -> int:
    """Where a line starting at box ``s`` ends, given ``end``, the last break that fits (a cut of
    ``tiers``): the last tier-0 break, else the last tier-1 cut, whose line justified adds no more
    than ``looseness`` em to each of its gaps; else ``end``, the furthest. A line of one word's
    pieces alone, which is never spread, ends at a tier-0 break or a tier-1 cut rather than
    between two characters (a URL alone on a line is left short, cut at a ``/``; an option of
    code after its hyphen, ``output-directory-for-`` | ``intermediate…``, not ``…for-int`` |
    ``ermediate``). ``loose(j)``: for the line [s, j), what justifying it adds to each gap in pt,
    and whether it is a word alone. ``hidden``: breaks the line may not end at
    (:func:`~zhengji_publish.typeset.linebreak._hidden_by_a_slash`)."""
    best: dict[int, int] = {}
    for j in range(end, s, -1):
        if j < len(boxes) and (not boxes[j].can_break or j in hidden):
            continue
        tier = tiers.get(j, 0)
        best.setdefault(tier, j)
        if tier == 0:
            break
    for tier in (0, 1):
        j = best.get(tier, -1)
        if j > s:
            spread, alone = loose(j)
            if spread <= looseness * boxes[j - 1].size + EPS or (alone and tiers.get(end, 0) > 1):
                return j
    lower = best.get(1, best.get(0, -1))  # the last break of a lower tier, too loose
    if tiers.get(end) == 2 and lower > s and loose(lower)[0] <= MIDWORD_LOOSENESS * looseness * boxes[lower - 1].size:
        return lower  # not loose enough to cut a word between two letters
    return end
