"""Breaking boxes into justified lines, in the order clreq prescribes.

For each line we take the longest run of boxes that fits the measure when every squeezable blank
is squeezed ("push in": compress punctuation, shrink Han–Latin gaps), ending where a break is
allowed; where the next mark may not start a line and squeezing cannot pull it back, the break
moves earlier ("push out"). The line is then set: squeezed just enough if it is over, or justified
by spreading the slack evenly between all its boxes. A paragraph's last line keeps its natural
width and must hold at least two Han characters (no orphan).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

from zhengji_publish.typeset import rules, wordcuts
from zhengji_publish.typeset.boxes import CJK_KINDS, Box

EPS = 0.01


@dataclass(slots=True)
class Placed:
    box: Box
    x: float  # where the glyphs are drawn (may sit left of the slot when a blank half is removed)
    left: float  # left edge of the box's slot on the line
    advance: float  # the slot's width


@dataclass
class Line:
    items: list[Placed]
    width: float  # width the line occupies
    last: bool  # last line of the paragraph (or before a hard break): natural width
    space_after: bool = False  # the line broke at a typed space (copied text keeps it)


class _Prefix:
    """Prefix sums over boxes so the width of any line [s, e) is O(1)."""

    def __init__(self, boxes: list[Box], tiers: dict[int, int] | None = None) -> None:
        n = len(boxes)
        self.boxes = boxes
        self.tiers = tiers or {}  # cuts inside words and their tiers (wordcuts.cut_words)
        self.looseness = wordcuts.LOOSENESS  # em a line may fall short before a higher tier is taken
        # Pair compression (rules.pair_compression): two adjacent full-width marks take 1.5 em.
        self.pair_r = pair_r = [0.0] * n
        self.pair_l = pair_l = [0.0] * n
        pair_kinds = rules.PAIR_KINDS
        for i in range(n - 1):
            a, b = boxes[i], boxes[i + 1]
            if a.kind in pair_kinds and b.kind in pair_kinds and b.glue == 0 and not b.forced:
                pair_r[i], pair_l[i + 1] = rules.pair_compression(a.blank_right, b.blank_left)
        w = self.w = [0.0] * (n + 1)
        g = self.g = [0.0] * (n + 1)
        shrink = self.shrink = [0.0] * (n + 1)
        # tight[i]: w[i] + g[i] - shrink[i], so the width of boxes [s, e) squeezed as far as they
        # go is tight[e] - (w[s] - shrink[s] + g[s + 1] - box s's glue shrink). It never decreases
        # with e (a box squeezed keeps at least its ink and its glue's minimum), so the longest
        # line that fits is found by bisection.
        tight = self.tight = [0.0] * (n + 1)
        ws = gs = ss = 0.0
        for i, b in enumerate(boxes):
            pr, pl = pair_r[i], pair_l[i]
            ws += b.width - pr - pl
            gs += b.glue
            ss += (b.blank_right - pr) + (b.blank_left - pl) + (b.glue - b.glue_min)
            w[i + 1], g[i + 1], shrink[i + 1] = ws, gs, ss
            tight[i + 1] = ws + gs - ss

    def edge_trim(self, s: int, e: int) -> tuple[float, float]:
        """Extra blank removed at the line's start (opening mark) and end (closing mark)."""
        b0, b1 = self.boxes[s], self.boxes[e - 1]
        return b0.blank_left - self.pair_l[s], b1.blank_right - self.pair_r[e - 1]

    def fits(self, s: int, e: int, width: float) -> bool:
        """Whether the boxes [s, e) fit ``width`` pt when squeezed as far as they may."""
        b0 = self.boxes[s]
        base = self.w[s] - self.shrink[s] + self.g[s + 1] - (b0.glue - b0.glue_min)
        return self.tight[e] - base <= width + EPS

    def natural(self, s: int, e: int) -> float:
        lt, rt = self.edge_trim(s, e)
        return (self.w[e] - self.w[s]) + (self.g[e] - self.g[s + 1]) - lt - rt

    def squeezable(self, s: int, e: int) -> float:
        lt, rt = self.edge_trim(s, e)
        b0 = self.boxes[s]
        return (self.shrink[e] - self.shrink[s]) - (b0.glue - b0.glue_min) - lt - rt


def break_lines(
    boxes: list[Box],
    measure: float,
    first_indent: float = 0.0,
    align: str = "justify",
    min_last_han: int = rules.MIN_LAST_LINE_HAN,
    words: bool = False,
) -> list[Line]:
    """Lines of ``boxes`` set to ``measure`` points (the first line starts ``first_indent`` in).

    Centred text of several lines (a title, a subtitle) is balanced: broken at the narrowest measure
    that needs no more lines, so the lines are of even length and the block is symmetric (GB/T 9704
    asks titles to be arranged symmetrically), then each line is centred on the full measure.
    Right-aligned text (a byline) is broken so too, between words, a typed space first. With
    ``words``, other text (a contents entry) fills its lines but ends them between words too, and
    inside a word only where no word ends on the line.
    """
    if not boxes:
        return []
    boxes, tiers = wordcuts.cut_words(boxes, measure, first_indent, ragged=align != "justify")
    pre = _Prefix(boxes, tiers)
    if align != "justify":  # a ragged line is never spread: it ends at its last tier-0 break
        pre.looseness = math.inf
    n = len(boxes)
    forced = [i for i, b in enumerate(boxes) if b.forced]  # hard breaks: a line ends before each
    if words and align not in DISPLAY_ALIGNS:
        _between_words(pre, measure, first_indent)
    breaks = _breaks(pre, measure, first_indent, forced)
    if align in DISPLAY_ALIGNS and len(breaks) > 1 and not forced:
        breaks = _centred(pre, boxes, measure, first_indent, len(breaks))
    _avoid_orphan(pre, breaks, min_last_han, measure, first_indent)
    lines: list[Line] = []
    s = 0
    for e in breaks:
        last = e == n or boxes[e].forced
        indent = first_indent if s == 0 else 0.0
        line = _set_line(pre, s, e, measure - indent, indent, align, last)
        line.space_after = e < n and boxes[e].space and not boxes[e].forced
        lines.append(line)
        s = e
    return lines


def _breaks(pre: _Prefix, measure: float, first_indent: float, forced: list[int]) -> list[int]:
    """The end index of each line: every line as long as fits when squeezed (first fit)."""
    boxes, tight = pre.boxes, pre.tight
    n = len(boxes)
    breaks: list[int] = []
    s = 0
    while s < n:
        width = measure - (first_indent if s == 0 else 0.0)
        b0 = boxes[s]
        base = pre.w[s] - pre.shrink[s] + pre.g[s + 1] - (b0.glue - b0.glue_min)
        # The longest run [s, e) that fits when squeezed (at least one box), and no further than
        # the next hard break.
        limit = n
        k = bisect_right(forced, s)
        if k < len(forced):
            limit = forced[k]
        fit = bisect_right(tight, width + EPS + base, s + 1, limit + 1) - 1
        fit = max(fit, s + 1)
        room = width + EPS + base - tight[fit] if fit < n else 0.0  # for box ``fit``, which does not fit
        hidden = _hidden_by_a_slash(boxes, s, fit, room)
        end = fit
        while end > s and not (end == n or (boxes[end].can_break and end not in hidden)):
            end -= 1  # back to the last place a line may end
        if end in pre.tiers:  # a cut inside a word: taken only if a break before it leaves the line loose

            def loose(j: int, s: int = s, width: float = width) -> tuple[float, bool]:
                spread, gaps = _spread_per_gap(pre, s, j, width)
                return spread, not gaps and boxes[s].kind not in CJK_KINDS  # a word alone: never spread

            end = wordcuts.choose(boxes, pre.tiers, s, end, loose, pre.looseness, hidden)
        if end <= s:  # no place to end the line: it ends where it is full, but never before a
            # mark that may not start a line (the line is over-full either way)
            end = fit
            while end < limit and boxes[end].text[:1] in rules.NO_START_BASIC:
                end += 1
        breaks.append(end)
        s = breaks[-1]
    return breaks


def _hidden_by_a_slash(boxes: list[Box], s: int, fit: int, room: float) -> frozenset[int]:
    """The breaks inside the word of code the line [s, …) is full in that LibreOffice does not
    find: those after a hyphen, ``!``, ``?``, ``|`` or ``\\`` (:func:`rules.code_break`) before a
    ``/`` of the word that stands on the line with a character after it. LibreOffice 7.4 breaks
    such a line before the word (measured: ``aa-`` | ``endpoint/aaaa…`` is broken before ``aa-``
    whenever the line is full past the ``/``, after it when full before; ``--`` |
    ``endpoint=https://…`` likewise), or, the word starting the line, cuts it at its last
    character that fits; the DOCX's line would hold less than the PDF's. ``fit``: the first box
    that does not fit; ``room``: what the line has left for it (pt; code is monospaced, so its
    characters share the box's width evenly)."""
    n = len(boxes)
    last = fit if fit < n and not boxes[fit].glue else fit - 1  # the word's last box on the line
    if last < s or not boxes[last].style.code:
        return frozenset()
    first = last
    while first > s and not boxes[first].glue and boxes[first - 1].style.code:
        first -= 1
    text = "".join(b.text for b in boxes[first:fit])
    if last == fit and boxes[fit].width > 0:
        text += boxes[fit].text[: int(room / (boxes[fit].width / len(boxes[fit].text)))]
    slash = text[:-1].rfind("/")  # (a ``/`` the line ends on hides nothing)
    hidden: set[int] = set()
    at = len(boxes[first].text)
    for j in range(first + 1, fit + 1):
        if at > slash:
            break
        before, after = boxes[j - 1].text, boxes[j].text
        if before[-1] in rules.CODE_BREAK_AFTER and boxes[j].style.code and rules.code_break(before, after):
            hidden.add(j)  # (``$`` | ``{HOST}/a/b`` LibreOffice finds)
        at += len(after)
    return frozenset(hidden)


def _balanced(pre: _Prefix, measure: float, first_indent: float, count: int) -> list[int]:
    """Breaks at the narrowest measure that needs no more than ``count`` lines."""
    lo, hi = 0.0, measure
    for _ in range(16):  # to 1/65,000 of the measure
        mid = (lo + hi) / 2
        if len(_breaks(pre, mid, first_indent, [])) <= count:
            hi = mid
        else:
            lo = mid
    return _breaks(pre, hi, first_indent, [])


def _even(
    pre: _Prefix, measure: float, first_indent: float, count: int, ends: list[int], spaces: bool
) -> list[int] | None:
    """The breaks, chosen among ``ends`` (box indices a line may end before), that set the boxes in
    exactly ``count`` lines each fitting the measure when squeezed, with the smallest sum of the
    squares of the lines' natural widths: lines as even as can be. With ``spaces``, a break at a
    typed space or after a pause mark (:func:`_preferred`) wins first (fewest breaks elsewhere).
    ``None`` when no such breaks exist."""
    boxes = pre.boxes
    n = len(boxes)
    points = [0, *ends, n]

    def fits(s: int, e: int) -> bool:
        return pre.fits(s, e, measure - (first_indent if s == 0 else 0.0))

    # best[k][j]: (breaks not at a typed space, sum of squares, previous point) for k lines to points[j]
    inf = (math.inf, math.inf, -1)
    best = [[inf] * len(points) for _ in range(count + 1)]
    best[0][0] = (0, 0.0, -1)
    for k in range(1, count + 1):
        for j in range(1, len(points)):
            e = points[j]
            for i in range(j):
                prev = best[k - 1][i]
                s = points[i]
                if prev[0] == math.inf or not fits(s, e):
                    continue
                width = pre.natural(s, e)
                elsewhere = int(spaces and e < n and not _preferred(boxes, e))
                cand = (prev[0] + elsewhere, prev[1] + width * width, i)
                if cand[:2] < best[k][j][:2]:
                    best[k][j] = cand
    if best[count][-1][0] == math.inf:
        return None
    out, j, k = [], len(points) - 1, count
    while k:
        out.append(points[j])
        j = int(best[k][j][2])
        k -= 1
    return out[::-1]


def _unevenness(pre: _Prefix, breaks: list[int]) -> float:
    """The difference (pt) between the longest and the shortest line's natural width."""
    widths = [pre.natural(s, e) for s, e in zip([0, *breaks], breaks, strict=False)]
    return max(widths) - min(widths)


# Blocks set as display lines, broken between words and balanced (:func:`_centred`): centred ones
# (titles, subtitles, captions) and right-aligned ones (a byline's names: ``周国`` | ``平`` read as
# two names)
DISPLAY_ALIGNS = frozenset(("center", "right"))


def _centred(pre: _Prefix, boxes: list[Box], measure: float, first_indent: float, count: int) -> list[int]:
    """A centred or right-aligned block's breaks (a title, a byline) in ``count`` lines (the fewest
    it can take): between words (:mod:`~zhengji_publish.typeset.words`), so each line keeps its
    words whole, and balanced, so its lines are of even length and the block stands symmetric
    (GB/T 9704-2012 §7.3.1: 词意完整, 排列对称). A space the writer typed, or a pause mark's end,
    is the preferred break (:func:`_preferred`), unless breaking there leaves the lines a third of
    the measure or more apart (``第三章 …`` keeps its lines even). A title that cannot be set in
    ``count`` lines between words takes a line or two more (words before fewer lines:
    ``…申请2026年`` / ``校舍…`` never ``…申请2026`` / ``年校舍…``); only one that cannot be set
    between words in that either breaks between the words a long word is made of
    (``全国/人民代表大会/常务委员会``) where that word is wider than the measure, and only then
    anywhere."""
    from zhengji_publish.typeset.words import word_starts  # jieba is loaded only for such a block

    text, offsets = _text(boxes)
    starts, inner = word_starts(text), word_starts(text, within=True)
    allowed = [i for i in range(1, len(boxes)) if boxes[i].can_break]
    worded = [i for i in allowed if offsets[i] in starts]
    # inside a word only where the word is wider than the measure
    edges = sorted(starts)
    wide = set()
    for left, right in zip(edges, edges[1:], strict=False):
        inside = [i for i, o in enumerate(offsets) if left <= o < right]
        if inside and pre.natural(inside[0], inside[-1] + 1) > measure - first_indent:
            wide |= {o for o in inner if left < o < right}
    parts = [i for i in allowed if offsets[i] in starts or offsets[i] in wide]
    tiers = [(worded, count), (worded, count + 1), (worded, count + 2), (parts, count), (parts, count + 1)]
    for ends, lines in [*tiers, (allowed, count)]:
        chosen = None
        if any(_preferred(boxes, i) for i in ends):
            chosen = _even(pre, measure, first_indent, lines, ends, True)
            if chosen is not None and _unevenness(pre, chosen) >= measure / 3:
                chosen = None
        chosen = chosen or _even(pre, measure, first_indent, lines, ends, False)
        if chosen is not None:
            for i in set(allowed) - set(ends):
                boxes[i].can_break = False  # _avoid_orphan keeps to the same places
            return chosen
    return _balanced(pre, measure, first_indent, count)


def _text(boxes: list[Box]) -> tuple[str, list[int]]:
    """The text of ``boxes`` (a space where one was typed) and where each box starts in it."""
    text, offsets = "", []
    for i, b in enumerate(boxes):
        text += " " if i and b.space else ""
        offsets.append(len(text))
        text += b.text
    return text, offsets


def _between_words(pre: _Prefix, measure: float, first_indent: float) -> None:
    """Keep the breaks of ``pre``'s boxes to the starts of words (:mod:`~zhengji_publish.typeset.words`)
    where a line, filled, can end at one: a break inside a word stays allowed only on a line no
    word ends on."""
    from zhengji_publish.typeset.words import word_starts  # jieba is loaded only for such text

    boxes = pre.boxes
    text, offsets = _text(boxes)
    starts = word_starts(text)
    inside = {i for i in range(1, len(boxes)) if boxes[i].can_break and offsets[i] not in starts}
    for i in inside:
        boxes[i].can_break = False
    while True:  # a line that can end at no word's start gets its breaks inside words back
        breaks = _breaks(pre, measure, first_indent, [])
        lost = [(s, e) for s, e in zip([0, *breaks], breaks, strict=False) if e < len(boxes) and not boxes[e].can_break]
        back = {i for s, e in lost for i in inside if s < i <= e}
        if not back:
            return
        for i in back:
            boxes[i].can_break = True
        inside -= back


def word_starts_at(boxes: list[Box]) -> set[int]:
    """Indices of ``boxes`` a line or a page may start at between words: where a word starts
    (:func:`~zhengji_publish.typeset.words.word_starts`: jieba's words, a number with its unit one
    word), never inside a Latin word, a number or a path broken into pieces (:func:`_joint`), and
    only where a line may break at all (``Box.can_break``). Index 0 is left out."""
    from zhengji_publish.typeset.words import word_starts  # jieba is loaded only for such text

    text, offsets = _text(boxes)
    starts = word_starts(text)
    return {
        i
        for i in range(1, len(boxes))
        if offsets[i] in starts and boxes[i].can_break and not _joint(boxes[i - 1], boxes[i])
    }


PAUSES = frozenset("、，；：")  # pause marks (GB/T 15834-2011 §4.2–4.5) a display line prefers to end on


def _preferred(boxes: list[Box], i: int) -> bool:
    """Whether a break before ``boxes[i]`` is where a display line breaks first: at a typed space,
    or after a pause mark (``王建国、`` | ``赵雪梅``)."""
    return boxes[i].space or (i > 0 and boxes[i - 1].text[-1:] in PAUSES)


def han_count(boxes: list[Box], s: int = 0, e: int | None = None) -> int:
    """The Han characters of ``boxes[s:e]`` (one box each), as a paragraph's last line counts them
    (:data:`~zhengji_publish.typeset.rules.MIN_LAST_LINE_HAN`)."""
    return sum(1 for b in boxes[s:e] if b.kind == "han")


def _spread_per_gap(pre: _Prefix, s: int, e: int, width: float) -> tuple[float, int]:
    """What justifying the line of boxes [s, e) to ``width`` pt adds to each of its gaps (pt), and
    how many gaps it has (the joint of two pieces of one word is none)."""
    boxes = pre.boxes
    gaps = sum(1 for i in range(s + 1, e) if not _joint(boxes[i - 1], boxes[i]))
    return (width - pre.natural(s, e)) / max(1, gaps), gaps


def _avoid_orphan(pre: _Prefix, breaks: list[int], min_han: int, measure: float, first_indent: float) -> None:
    """Carry characters down so the last line holds at least ``min_han`` Han characters, where the
    last line then still fits (a URL ending the paragraph stays broken where it fits) and the line
    before is spread by no more than :data:`~zhengji_publish.typeset.wordcuts.LOOSENESS` em a gap
    (``媒体垂询请联系press@`` | ``yuanhang-tech.com。`` was carried to ``体垂询请`` spread 4.3 em a
    gap over the line, the address on the next), and none when the line before is full at a typed
    space or an ideographic space (U+3000), where LibreOffice ends it whatever the DOCX joins."""
    boxes = pre.boxes
    if len(breaks) < 2 or min_han <= 0 or all(b.style.code for b in boxes):
        return  # (a code block's line holds its characters as typed: none is carried down)
    start = breaks[-2]
    if boxes[start].forced or han_count(boxes, start, breaks[-1]) >= min_han:
        return
    if boxes[start].space or boxes[start].text[:1] == "\u3000":
        # the line before is full at a blank: LibreOffice ends a line at the blank it is full at
        # whatever joins the text round it (``通常不超过`` | ``0.25 em。``, ``年　　月`` | ``日``),
        # so a last line carried down over one would be the PDF's alone
        return
    if han_count(boxes, 0, breaks[-1]) < min_han + 4:
        return
    prev_start = breaks[-3] if len(breaks) >= 3 else 0
    for cut in range(start - 1, max(prev_start + 2, start - 4) - 1, -1):
        if boxes[cut].can_break and not boxes[cut].forced and han_count(boxes, cut, breaks[-1]) >= min_han:
            before = measure - (first_indent if prev_start == 0 else 0.0)
            spread, _gaps = _spread_per_gap(pre, prev_start, cut, before)
            fits = pre.fits(cut, breaks[-1], measure - (first_indent if cut == 0 else 0.0))
            if fits and spread <= wordcuts.LOOSENESS * boxes[cut - 1].size + EPS:
                breaks[-2] = cut
            return


def _spread(line: list[Box], slack: float) -> list[float]:
    """Share a line's slack between its gaps: evenly, but a glue gap (Han–Latin, a typed space)
    grows only to its maximum (Han–Latin: not past its quarter em, clreq §3.2.2); what it cannot
    take goes to the others. Only if every gap is full does the rest spread evenly past the maxima."""
    gaps = list(range(1, len(line)))
    # A gap without a maximum (between Han characters) takes any share: its room is unbounded. The
    # joint of two pieces of one word (a URL broken after / or .) takes none: spread, it reads as
    # spaces in the URL (``https:/ / example. org``).
    joints = {i for i in gaps if _joint(line[i - 1], line[i])}
    room = {
        i: 0.0 if i in joints else (line[i].glue_max - line[i].glue) if line[i].glue_max else math.inf for i in gaps
    }
    extra = [0.0] * len(line)
    open_gaps = gaps
    while open_gaps and slack > EPS:
        share = slack / len(open_gaps)
        full = [i for i in open_gaps if room[i] - extra[i] < share]
        if not full:
            for i in open_gaps:
                extra[i] += share
            return extra
        for i in full:
            slack -= room[i] - extra[i]
            extra[i] = room[i]
        open_gaps = [i for i in open_gaps if i not in full]
    spread = [i for i in gaps if i not in joints]  # a line of one URL or path alone is left short
    if slack > EPS and spread:
        for i in spread:
            extra[i] += slack / len(spread)
    return extra


def _joint(before: Box, box: Box) -> bool:
    """Whether ``before`` and ``box`` are pieces of one word, no space between them."""
    return box.glue == 0 and before.kind not in CJK_KINDS and box.kind not in CJK_KINDS


def _set_line(pre: _Prefix, s: int, e: int, measure: float, x0: float, align: str, last: bool) -> Line:
    boxes = pre.boxes
    lt, rt = pre.edge_trim(s, e)
    natural = pre.natural(s, e)
    squeeze_ratio = 0.0
    extra = [0.0] * (e - s)  # justification space added before each box of the line
    if natural > measure + EPS:
        avail = pre.squeezable(s, e)
        squeeze_ratio = min(1.0, (natural - measure) / avail) if avail > 0 else 0.0
    elif align == "justify" and not last and e - s > 1:
        extra = _spread(boxes[s:e], measure - natural)
    used = natural - squeeze_ratio * pre.squeezable(s, e) + sum(extra)
    if align == "center":
        x0 += max(0.0, (measure - used) / 2)
    elif align == "right":
        x0 += max(0.0, measure - used)
    items: list[Placed] = []
    append = items.append
    pair_l, pair_r = pre.pair_l, pre.pair_r
    x = x0
    for i in range(s, e):
        b = boxes[i]
        left_cut = pair_l[i]
        right_cut = pair_r[i]
        if i == s:
            left_cut += lt
        else:
            x += b.glue - squeeze_ratio * (b.glue - b.glue_min) + extra[i - s]
        if i == e - 1:
            right_cut += rt
        if squeeze_ratio:
            left_cut += squeeze_ratio * (b.blank_left - left_cut)
            right_cut += squeeze_ratio * (b.blank_right - right_cut)
        advance = b.width - left_cut - right_cut
        append(Placed(b, x - left_cut, x, advance))
        x += advance
    return Line(items, x - x0, last)
