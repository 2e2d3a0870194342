"""The PDF's punctuation compression, carried into the DOCX as narrower marks.

In the GB-compressed punctuation style (:func:`~zhengji_publish.typeset.rules.compresses`) the PDF
sets full-width marks narrower than an em in three places (clreq "Punctuation Adjustment"):

- of two adjacent marks, one gives up its blank half (:func:`~zhengji_publish.typeset.rules.pair_compression`):
  ``。”`` takes 1.5 em;
- a closing mark at a line's end and an opening mark at its start give up their blank halves;
- a line a little too long is pushed in: its marks' blanks are squeezed until it fits
  (:mod:`~zhengji_publish.typeset.linebreak`), which is what lets it hold a character more.

Word's only switch for this, ``w:characterSpacingControl`` (ECMA-376 Part 1 §17.15.1.18), names no
amounts and no rule ("compress punctuation"), and LibreOffice 7.4 does not read it: it sets every
mark a full em, so a line the PDF pushes in loses its last character and the paragraph may take a
line more. The DOCX therefore carries what decides the line breaks. Each running-text paragraph
(:func:`carries`) is broken into lines with the PDF's boxes, line breaker and measure; on a line
longer than its measure at natural width (one the PDF could only set by pushing in), every mark
gives up the same share of its blank, enough for the line to fit at its natural width. A mark
gives it up as a narrower glyph: its run is scaled (``w:w``, ECMA-376 Part 1 §17.3.2.43, "the
amount by which each character shall be expanded or compressed when rendered", percent) by the
*Punctuation Compression* character style (标点挤压, 50 %: the whole blank half) or one of its
60–90 % siblings, the scale rounded down to the step so the line still fits. Word and LibreOffice
both scale the glyph, so they find the line as wide as the PDF found it and break the paragraph
where the PDF does. Lines that fit at natural width carry nothing: their marks keep their shape,
and the adjacent pairs the PDF compresses there are left to the application — except the marks
at the line's edges, which LibreOffice 7.4 sets a full em. An opening mark starting a line (the
text after it half an em right of the PDF's): starting a paragraph, the paragraph's first line is
indented that much less (:meth:`Compression.first_line`), so the mark stands where the PDF draws
it; starting a later line, the mark is scaled to give up its blank half. A closing mark ending a
line the PDF justifies (or fills with it) is scaled to give up its blank half, as the PDF sets
it: left full, its ink ended half an em short of the measure, the right edge ragged at every line
ending in ``，`` or ``”``.

Negative character spacing (``w:spacing``, §17.3.2.35) would keep the glyph's shape, but
LibreOffice 7.4 applies at most about a sixth of an em of it between CJK characters of a run and
none after a run's last character (measured), so a mark in a run of its own would not get narrower.
LibreOffice 7.4 also ignores ``w:autoSpaceDE``/``w:autoSpaceDN`` set off (measured): its own
Han–Latin gap (about 0.2 em, where no space was typed) cannot be replaced by spacing carried in the
runs. A typed space between Han and Latin text is the gap itself (the *Gap Space* character style,
:func:`~zhengji_publish.writers.docx.styles.gap_space`), and the PDF shrinks it on a pushed-in line
as it squeezes the marks there (:data:`~zhengji_publish.typeset.rules.HAN_LATIN_GAP`, down to half).
So the room a pushed-in line needs is shared as the PDF's line breaker shares it: the marks' blanks
and the typed gaps' shrink give up the same share, each gap space taking a narrower Gap Space style
(*Gap Space 50%* … *90%*, ``w:w`` the Gap Space's times the step) rounded down as the marks are
(:attr:`Cuts.gaps`). The gap spaces are narrowed in every horizontal edition, the traditional ones
too, whose centred marks are not compressed: there the gaps alone make the room. Where no space
was typed, the PDF shrinks its own gap as much, and the DOCX sets that gap itself on such a line
(:func:`untyped_gap`: LibreOffice's own gap does not shrink).

With the compression carried, the settings say ``doNotCompress``
(:func:`~zhengji_publish.writers.docx.document.settings`): an application told
``compressPunctuation`` would take blanks off the scaled marks a second time and fit more on a
line than the PDF.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field, replace
from itertools import accumulate, pairwise

from zhengji_publish import model as m
from zhengji_publish.context import BuildContext
from zhengji_publish.diagnostics import Reporter
from zhengji_publish.style import BlockStyle
from zhengji_publish.typeset import rules
from zhengji_publish.typeset.boxes import CJK_KINDS, Box, BoxMaker
from zhengji_publish.typeset.linebreak import DISPLAY_ALIGNS, EPS, Placed, break_lines, han_count
from zhengji_publish.typeset.shaping import LATIN, shape
from zhengji_publish.writers.docx.xml import twips
from zhengji_publish.writers.pdf.draw import FontNames
from zhengji_publish.writers.pdf.layout import _Story, geometry

STYLE_ID = "PunctuationCompression"
STYLE_NAME = "Punctuation Compression"
# The styles' width scales (w:w, percent): half width (a mark that gives up its blank half,
# rules.BLANK_MAX) and steps of a tenth up to nine tenths, for a line squeezed part of the way.
SCALES = (50, 60, 70, 80, 90)
MARKS = rules.CLOSING | rules.OPENING  # the marks that have a blank half to give up
GAP_STYLE_ID = "GapSpace"  # the typed Han–Latin gap space (writers.docx.styles.gap_space)
GAP_STYLE_NAME = "Gap Space"
# What of a mixed line's justification space the DOCX leaves to the application (em; :func:`justification`)
JUSTIFICATION_LEFT = 0.15
# ... and at most this much (em) for each typed space of a line that has some (:func:`justification`)
SPACE_LEFT = 0.03
# LibreOffice 7.4's own Han–Latin gap where no space was typed (em)
APPLICATION_GAP = rules.WORD_PROCESSOR_GAP
# What a gap the DOCX sets on a line the PDF pushes in gives up besides (pt, a twip): such a line
# is full to the hair, and LibreOffice's rounding of its glyphs overflowed it by less than a twip
# (a Hong Kong edition's ``佔60.1%。`` went to the next line, its gaps spread to 0.33 em)
GAP_MARGIN = 0.05
WORD_STYLE_ID = "WordSpace"  # a typed space between words squeezed on a line pushed in
WORD_STYLE_NAME = "Word Space"


@dataclass
class Cuts:
    """What one paragraph's marks and typed gap spaces give up, in the order they come in its
    running text.

    ``marks[k]`` is the k-th mark of :data:`MARKS` outside code: (the mark, its width and what it
    gives up, in pt).
    """

    marks: list[tuple[str, float, float]]
    lines: int = 0  # the lines the PDF sets the paragraph in
    # the characters (whitespace left out) before each line, the first line's 0
    starts: list[int] = field(default_factory=list)
    chars: int = 0  # the characters (whitespace left out) of the whole paragraph
    # the blank (pt) an opening mark starting the paragraph gives up: its first line starts that
    # much further left (the PDF draws the mark's ink at the indent)
    lead: float = 0.0
    # the blank (pt) a closing mark ending a paragraph of one line gives up when the right indent
    # takes it (``edges_by_indent``): the line ends that much further right
    tail: float = 0.0
    # ``gaps[k]``: the k-th typed Han–Latin gap space (:func:`gap_space`) of the running text: the
    # characters before and after it and the Gap Space width scale it takes (:func:`scale`, 100:
    # the whole quarter em)
    gaps: list[tuple[str, str, int]] = field(default_factory=list)
    # ``spaces[k]``: the same for the k-th typed word space (:func:`word_space`), its scale that of
    # the face's space (:func:`scale`; 100: its natural width)
    spaces: list[tuple[str, str, int]] = field(default_factory=list)
    # the lines (as :attr:`starts` counts them) the PDF starts where LibreOffice finds no break:
    # inside a URL (:func:`~zhengji_publish.typeset.rules.tokens`' pieces), or after a Chinese mark
    # before a Latin letter or digit (:func:`~zhengji_publish.typeset.rules.hidden_break`); the
    # DOCX offers a break there (:data:`~zhengji_publish.typeset.rules.WORD_BREAK`)
    word_breaks: list[int] = field(default_factory=list)
    # the first character (as :attr:`starts` counts them) of a short last line, or of one holding
    # no more Han characters than the PDF leaves there at least (``达到100%。``), None for none: the
    # PDF never leaves one Han character alone on a paragraph's last line and carries one down
    # from the line before (:func:`~zhengji_publish.typeset.linebreak.break_lines`, at least
    # :data:`~zhengji_publish.typeset.rules.MIN_LAST_LINE_HAN`); the DOCX holds the last line's
    # characters together (:func:`~zhengji_publish.writers.docx.body.kept_whole`), so LibreOffice,
    # which would take the carried character back up, breaks where the PDF does
    kept: int | None = None
    # the justification space (pt) the PDF adds after a character of a line mixing Han and Latin
    # text, less :data:`JUSTIFICATION_LEFT`: (the character's index as :attr:`starts` counts, pt)
    spacing: list[tuple[int, float]] = field(default_factory=list)
    # the Han–Latin gaps no space was typed in (:func:`untyped_gap`) on the lines the PDF pushes
    # in, which the DOCX sets itself (:attr:`Compression.untyped`): (the index, as :attr:`starts`
    # counts, of the character before the gap, the gap's width in pt as the PDF shrinks it)
    gap_after: list[tuple[int, float]] = field(default_factory=list)
    # a footnote's first paragraph: where (pt from the line's start) its text starts after the
    # label the PDF opens it with (Compression.cuts' ``note``); None for another paragraph
    label: float | None = None


class Compression:
    """Lays paragraphs out as the PDF does and reports their marks' compression (:class:`Cuts`)."""

    def __init__(self, ctx: BuildContext) -> None:
        plan = ctx.plan
        self.enabled = carried(ctx)
        self.laid_out = not plan.vertical  # the paragraphs are broken into lines (Cuts.lines) here
        geo = geometry(ctx.style)
        self.measure = geo.measure
        self.tracking = geo.tracking
        self.untyped = sets_gaps(ctx)  # the DOCX sets the untyped gaps of a pushed-in line (Cuts.gap_after)
        maker = BoxMaker(
            ctx.fonts,
            punctuation=plan.punctuation.value,
            level=plan.line_break.value,
            tracking=geo.tracking,
        )
        # the PDF writer's own inline → run mapping (one place for it); it reports a link to nowhere,
        # which laid out here a second time says nothing
        quiet = replace(ctx, reporter=Reporter(stream=io.StringIO()))
        self.story = _Story(quiet, maker, FontNames())
        self.maker = maker

    def cuts(
        self,
        nodes: list[m.Inline],
        block: BlockStyle,
        inset: float = 0.0,
        indent: bool = True,
        note: m.Footnote | None = None,
        lead_by_indent: bool = True,
        edges_by_indent: bool = False,
    ) -> Cuts:
        """The compression of a paragraph of ``nodes`` in ``block``'s style, ``inset`` pt narrower
        than the block's measure (a list item's text), with the block's first-line indent or none;
        the first paragraph of footnote ``note`` after its label, as the PDF opens it
        (:meth:`~zhengji_publish.writers.pdf.layout._Story.note_label`; the characters counted
        are the text's, the label's left out, and :attr:`Cuts.label` says where the text starts);
        without compression carried (:func:`carried`) its lines and gap spaces only, and in
        vertical text nothing. ``lead_by_indent``: the blank an opening mark gives up at the first
        line's start is taken off the first-line indent (:meth:`first_line`); else (a heading, a
        title: no indent written) off the mark, as on the lines after. ``edges_by_indent``: in a
        paragraph of one line (a title, a heading), the blanks the marks at its ends give up are taken off its left and
        right indents (:attr:`Cuts.lead`, :attr:`Cuts.tail`), not off the marks: a centred title
        keeps its marks' shapes and stands where the PDF centres it."""
        if not self.laid_out:
            return Cuts([])
        base = self.story.base(block)
        label = self.story.note_label(note, base) if note is not None else []
        boxes = self.maker.boxes([*label, *self.story.runs(nodes, base)])
        skip = len(visible("".join(run.text for run in label)))  # the label's characters
        counts = accumulate(len(visible(b.text)) for b in boxes)
        heads = sum(1 for _ in itertools.takewhile(lambda n: n <= skip, counts)) if skip else 0  # the label's boxes
        measure = self.measure - block.margin_left - block.margin_right - inset
        first = block.indent * block.size * (1 + self.tracking) if indent else 0.0
        out = Cuts([])
        if measure <= 0:
            return out
        seen = 0
        before: Box | None = None  # the box before the line's first
        for n, line in enumerate(break_lines(boxes, measure, first, block.align)):
            items = line.items
            if n == 0 and label and len(items) > heads:
                out.label = items[heads].left
            out.starts.append(seen)
            head = items[0].box
            if (
                before is not None
                and not head.space
                and (before.kind == head.kind == "piece" or rules.hidden_break(before.text[-1], head.text[0]))
            ):
                out.word_breaks.append(seen)
            seen += sum(len(visible(p.box.text)) for p in items)
            marks = [p.box for p in items if p.box.kind in ("open", "close") and not p.box.style.code]
            marks = [b for b in marks if len(b.text) == 1]
            # an opening mark starting the line gives up its blank half there (linebreak._set_line)
            b0 = marks[0] if marks and marks[0] is items[0].box and marks[0].kind == "open" else None
            lead = b0.blank_left if self.enabled and b0 is not None else 0.0
            # the typed gap spaces before each box (the first's ends the line before: it keeps its width)
            prevs = [before, *(p.box for p in items[:-1])]
            spaces = [(i, a, p.box) for i, (a, p) in enumerate(zip(prevs, items, strict=True)) if n or i > heads]
            gaps = [(i, a, b) for i, a, b in spaces if gap_space(a, b)]
            words = [(i, a, b) for i, a, b in spaces if word_space(a, b)]
            untyped = [(i, a, b) for i, a, b in spaces if i and self.untyped and untyped_gap(a, b)]
            before = items[-1].box
            # what the line takes uncompressed, and past the room it has: what its marks and gaps give up
            natural = sum(p.box.width for p in items) + sum(p.box.glue for p in items[1:]) - lead
            room_here = measure - (first if n == 0 else 0.0)
            # a closing mark ending the line gives up its blank half there, as the PDF sets it
            # (linebreak: the line's edge trim), on every line the PDF justifies or fills with it
            bn = marks[-1] if marks and marks[-1] is items[-1].box and marks[-1].kind == "close" else None
            tail = bn.blank_right if self.enabled and bn is not None else 0.0
            if line.last and natural <= room_here + EPS and block.align not in DISPLAY_ALIGNS:
                # a paragraph's short last line: the blank is room nobody sees; a centred or
                # right-aligned line is set by its width without it, as the PDF sets it (a title's
                # ``（2026年第3期）`` stood 6.5 pt right of the PDF's)
                tail = 0.0
            natural -= tail
            over = natural - room_here
            blanks = sum(b.blank_left + b.blank_right for b in marks) - lead - tail if self.enabled else 0.0
            room = blanks + sum(b.glue - b.glue_min for i, _a, b in gaps + words + untyped if i)
            share = min(1.0, over / room) if over > EPS and room > 0 else 0.0
            out.gaps += shrunk(gaps, share)
            out.spaces += shrunk(words, share)
            if untyped and share > 0:  # each after the last character of the box before it
                ends = [out.starts[-1] + k - 1 for k in accumulate(len(visible(p.box.text)) for p in items)]
                out.gap_after += [
                    (ends[i - 1], max(0.0, b.glue - share * (b.glue - b.glue_min) + last_kerning(a) - GAP_MARGIN))
                    for i, a, b in untyped
                ]
            if self.enabled:
                cuts = [share * (b.blank_left + b.blank_right) for b in marks]
                if tail:
                    by_right = edges_by_indent and n == 0 and line.last  # one line: the right indent
                    out.tail = tail if by_right else 0.0
                    cuts[-1] = (0.0 if by_right else tail) + share * bn.blank_left if bn is not None else cuts[-1]
                if b0 is not None and lead:  # the first line's by a narrower first-line indent, another's by the mark
                    by_indent = n == 0 and (lead_by_indent or (edges_by_indent and line.last))
                    cuts[0] = share * b0.blank_right + (0.0 if by_indent else lead)
                    out.lead = lead if by_indent else out.lead
                out.marks += [(b.text, b.width, cut) for b, cut in zip(marks, cuts, strict=True)]
            if not line.last and block.align == "justify":
                out.spacing += justification(line.items, out.starts[-1], block.size, tail)
            out.lines, out.chars = n + 1, seen
        out.spacing += middle_dots(boxes, set(out.starts))
        # a short last line, or one the PDF may have filled by carrying Han characters down
        # (``达到`` | ``100%。``: at least MIN_LAST_LINE_HAN of them), stays whole
        if out.lines > 1 and (
            out.chars - out.starts[-1] <= rules.MIN_LAST_LINE_HAN + 2
            or han_count([p.box for p in items]) <= rules.MIN_LAST_LINE_HAN  # the last line's items
        ):
            out.kept = out.starts[-1]
            if untyped and share == 0:
                # the joiners that hold the line keep LibreOffice from setting its Han–Latin gaps
                # (``达⁠到⁠100%``: none where the PDF has a quarter em): the DOCX sets them, as spacing
                # after the character before each (no zero-width space: the line is not to break)
                ends = [out.starts[-1] + k - 1 for k in accumulate(len(visible(p.box.text)) for p in items)]
                out.spacing += [(ends[i - 1], b.glue + last_kerning(a)) for i, a, b in untyped]
        return _without_label(out, skip) if skip else out

    def first_line(self, block: BlockStyle, lead: float, indented: bool = True) -> dict[str, object]:
        """The first-line indent (``w:ind``, ECMA-376 §17.3.1.12: ``firstLine`` or ``hanging`` in
        twips, with ``firstLineChars`` or ``hangingChars`` in hundredths of a character, which Word
        reads first) of a paragraph in ``block``'s style, first line indented or not, whose opening
        mark gives up ``lead`` pt at the line's start (:attr:`Cuts.lead`): that much less, so the
        mark stands where the PDF draws it (clreq ADJUSTMENT_SPACE: an opening mark at a line's
        start is set without its blank half)."""
        cell = block.size * (1 + self.tracking)
        first = (block.indent * cell if indented else 0.0) - lead
        if first >= 0:
            return {"firstLine": twips(first), "firstLineChars": round(100 * first / cell)}
        return {
            "firstLine": 0,
            "firstLineChars": 0,
            "hanging": twips(-first),
            "hangingChars": round(-100 * first / cell),
        }


def _without_label(cuts: Cuts, skip: int) -> Cuts:
    """``cuts`` counting the characters after the first ``skip`` (a footnote's label), whose
    justification space goes (the DOCX's tab stop takes its place)."""
    return replace(
        cuts,
        starts=[max(0, s - skip) for s in cuts.starts],
        chars=cuts.chars - skip,
        word_breaks=[w - skip for w in cuts.word_breaks if w > skip],
        kept=None if cuts.kept is None else cuts.kept - skip,
        spacing=[(i - skip, pt) for i, pt in cuts.spacing if i >= skip],
        gap_after=[(i - skip, pt) for i, pt in cuts.gap_after if i >= skip],
    )


def visible(text: str) -> str:
    """``text`` without its whitespace and invisible characters (:data:`~zhengji_publish.typeset.rules.INVISIBLE`):
    the characters both the PDF's boxes and the DOCX's runs hold, whatever spaces and joiners each adds."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in rules.INVISIBLE)


def index_after(text: str, count: int) -> int:
    """The index in ``text`` of its visible character (:func:`visible`) after the first ``count``
    (``len(text)`` when there is none): the place to cut ``text`` after ``count`` characters as
    :attr:`Cuts.starts` counts them, whitespace and invisible characters after them going with them."""
    seen = accumulate(len(visible(ch)) for ch in text)
    return next((i for i, n in enumerate(seen) if n > count), len(text))


def carries(role: str, changed: bool) -> bool:
    """Whether the paragraphs of a paragraph style made from block ``role`` (its fields ``changed``
    or not) carry the PDF's compression: running text, in the body's or a block quote's style (the
    Normal, Block Text and List Paragraph styles, and those of the user's fenced divs), a
    footnote's (footnote text) or a notice's (its paragraphs, in its box)."""
    return (role in ("body", "blockquote", "footnote") and not changed) or role == "notice"


def carried(ctx: BuildContext) -> bool:
    """Whether the DOCX carries the edition's compression in its runs: GB-compressed punctuation in
    horizontal text (the vertical PDF's columns are not laid out here)."""
    return rules.compresses(ctx.plan.punctuation.value) and not ctx.plan.vertical


def sets_gaps(ctx: BuildContext) -> bool:
    """Whether the DOCX's running text sets its Han–Latin gaps where no space was typed itself
    (:func:`untyped_gap`): in horizontal text, a tracked style's too (the 公文 grid: the
    character before the gap keeps its tracking, :func:`~zhengji_publish.writers.docx.body.spaced`)."""
    return not ctx.plan.vertical


def scale(width: float, cut: float) -> int:
    """The width scale (``w:w``, percent) of the character style that takes at least ``cut`` pt off
    a mark or a gap space ``width`` pt wide: :data:`SCALES` rounded down to the next step, so a line
    squeezed to fit still fits; 100 when nothing is cut. A gap gives up at most half its width
    (:data:`~zhengji_publish.typeset.rules.HAN_LATIN_GAP`), so it never goes below the 50 % step."""
    wanted = 100 * (width - cut) / width
    return next((s for s in reversed(SCALES) if s <= wanted + 1e-6), SCALES[0]) if cut > 1e-6 else 100


def gap_space(before: Box | None, box: Box) -> bool:
    """Whether the glue before ``box`` (after ``before``) is a typed space the DOCX writes as a Gap
    Space (:func:`~zhengji_publish.typeset.rules.gap_spaces`): a Han–Latin gap
    (:data:`~zhengji_publish.typeset.rules.HAN_LATIN_GAP`, between Han text and Latin text or
    inline code) where a space was typed: the box says so (``Box.gap``), not the glue's width (a
    bold serif face's word space is a quarter em too: ``建议: **双击**``'s space was taken for a
    gap, and the PDF's squeezed word spaces were no longer carried into the DOCX's paragraph)."""
    return before is not None and box.space and box.gap and box.glue_min < box.glue


def justification(items: list[Placed], start: int, size: float, tail: float = 0.0) -> list[tuple[int, float]]:
    """The space the PDF's justification adds after each character of a line set in ``items``
    (its first character the ``start``-th of the paragraph), as (character index, pt): on a line
    mixing Han and Latin text only, less the blanks of marks the PDF compresses there and the DOCX
    does not (``tail``: the blank, pt, the DOCX too takes off the closing mark ending the line),
    and less :data:`JUSTIFICATION_LEFT` ems left to the application.

    The PDF spreads a line's slack between Han characters and across word spaces, never into a
    Han–Latin gap (:func:`~zhengji_publish.typeset.linebreak.break_lines`, clreq §3.2.2: a quarter
    em). LibreOffice 7.4 spreads it over every character and space alike, the gap's too: a line the
    PDF sets with a quarter-em gap and its Han characters a tenth of an em apart came out with 0.35
    em gaps, 0.69 em on a looser line. Carried as character spacing (``w:spacing``, ECMA-376 Part 1
    §17.3.2.35, after each character of the run; Word and LibreOffice both add it), the line is all
    but full at natural width and the application has next to nothing left to spread. The little
    left over covers the applications' rounding: a line a hair too long would lose its last
    character to the next line. On a line with typed spaces it is at most :data:`SPACE_LEFT` a
    space: LibreOffice spreads what is left over the spaces alone (a space beside inline code came
    out 0.305 em); and the gaps where no space was typed, which LibreOffice sets at
    :data:`APPLICATION_GAP` against the PDF's quarter em, are room the line has there."""
    if all(p.box.kind in CJK_KINDS for p in items) or not any(p.box.kind in CJK_KINDS for p in items):
        return []
    extras = [(k, b.left - (a.left + a.advance) - b.box.glue) for k, (a, b) in enumerate(pairwise(items), start=1)]
    total = sum(e for _k, e in extras if e > EPS)
    # the blanks the PDF takes off marks there (a pair's, the line end's), which the DOCX leaves
    # to the application and LibreOffice does not take: its line is that much longer. (An opening
    # mark starting the line gives its blank up in the DOCX too: Compression.first_line.)
    kept = sum(p.box.width - p.advance for p in items[1:]) + items[0].box.width - items[0].advance
    kept -= items[0].left - items[0].x + tail
    # the gaps no space was typed in, which LibreOffice sets narrower than the PDF: its line is
    # that much shorter
    kept -= sum(b.box.glue - APPLICATION_GAP * b.box.size for a, b in pairwise(items) if untyped_gap(a.box, b.box))
    spaces = sum(1 for p in items[1:] if p.box.space)
    left = min(JUSTIFICATION_LEFT, SPACE_LEFT * spaces) if spaces else JUSTIFICATION_LEFT
    keep = max(0.0, total - kept - left * size)
    if keep <= EPS:
        return []
    # the index of each box's last character
    ends = [start + n - 1 for n in accumulate(len(visible(p.box.text)) for p in items)]
    return [(ends[k - 1], extra * keep / total) for k, extra in extras if extra > EPS]


def middle_dots(boxes: list[Box], starts: set[int]) -> list[tuple[int, float]]:
    """The character spacing (character index as :attr:`Cuts.starts` counts, pt) that sets each
    middle dot of ``boxes`` (间隔号, GB/T 15834-2011 §4.14: ``达·芬奇``) as wide as the PDF does,
    centred: half of what it lacks after the character before it, half after the dot itself. A
    dot ending a line (the next character one of ``starts``) has it all before it: LibreOffice
    drops the spacing after a line's last character, and spread that much over the line.

    The PDF sets the dot in its full-width form at its region's width
    (:data:`~zhengji_publish.typeset.rules.MIDDLE_DOT_WIDTH`, one em); LibreOffice 7.4 and Word draw
    the face's own U+00B7, which Noto Serif CJK makes a third of an em wide, and no run property
    asks for the full-width form: a line holding ``列奥纳多·达·芬奇`` held a character more in
    LibreOffice than in the PDF. Carried as spacing (``w:spacing``, ECMA-376 Part 1 §17.3.2.35),
    the text stays the typed U+00B7."""
    out: list[tuple[int, float]] = []
    seen = 0
    for box in boxes:
        if box.text in rules.MIDDLE_DOTS and seen and box.draw:
            own = sum(g.nominal for g in shape(box.face, box.text, "")) * box.size
            extra = box.glyphs - own
            if extra > EPS:
                ends = seen + 1 in starts
                out += [(seen - 1, extra if ends else extra / 2)] + ([] if ends else [(seen, extra / 2)])
        seen += len(visible(box.text))
    return out


def untyped_gap(before: Box | None, box: Box) -> bool:
    """Whether the glue before ``box`` (after ``before``) is a Han–Latin gap where no space was
    typed (:data:`~zhengji_publish.typeset.rules.HAN_LATIN_GAP`, clreq §3.2.2: a quarter em, down
    to an eighth on a line pushed in), beside inline code too (``把`chunk_max`调小``).

    On a line the PDF pushes in, the DOCX sets such a gap itself, as narrow as the PDF sets it
    (:attr:`Cuts.gap_after`): a zero-width space after the character before the gap, and that
    character's spacing (``w:spacing``, ECMA-376 Part 1 §17.3.2.35) the gap's width
    (:func:`~zhengji_publish.writers.docx.body.spaced`). LibreOffice 7.4 sets a gap of its own
    between Han and Latin text (0.20 em; ``w:autoSpaceDE`` set off is not read), but not beside a
    zero-width space, and no negative spacing narrows it (measured): the room the PDF finds in
    these gaps could not be had, and in a text full of numbers about half the paragraphs broke a
    character earlier than the PDF's (a news article: 27 of its 97 lines differed in zh-Hans, 20 of
    100 in zh-Hant-TW). Elsewhere the applications' own gap stands: LibreOffice's is within a
    twentieth of an em of the PDF's quarter em, and no zero-width space is put in the text (a
    search for ``2026年`` finds it). The importer takes these spaces out
    (:func:`~zhengji_publish.typeset.rules.unjoin_units`, and beside code
    :func:`~zhengji_publish.importers.docx._merge`). Beside code, the gap after it takes the code's
    last character's spacing; left to LibreOffice, the line ``把`chunk_max`调小到16KiB`` the PDF
    pushes in broke before ``16KiB`` and spread its gaps to 0.32 em."""
    if before is None or not box.gap or not box.glue_min < box.glue == rules.HAN_LATIN_GAP.natural * box.size:
        return False
    return not box.space


def last_kerning(word: Box | None) -> float:
    """The kerning (pt, negative: closer) the PDF sets between the last two letters of Latin word
    ``word`` (:func:`~zhengji_publish.typeset.shaping.shape`), 0 for none. An untyped gap after
    the word puts its last letter in a run of its own (:func:`untyped_gap`), and LibreOffice 7.4
    kerns no pair across two runs (nor reads a negative spacing of a run of one letter: measured):
    the gap the DOCX sets is narrower by that much, so the line is as wide as the PDF's. Before,
    ``CPI`` before ``部`` was 0.1 pt wider there (``P``–``I``), ``GDP`` 0.3 pt, ``To`` 0.75 pt, and a
    line the PDF fills exactly broke a character earlier."""
    if word is None or word.kind != "latin" or len(word.text) < 2 or not word.text.isascii():
        return 0.0
    glyphs = shape(word.face, word.text[-2:], LATIN)
    if len(glyphs) != 2:  # a ligature
        return 0.0
    return (glyphs[0].advance - glyphs[0].nominal) * word.size


def word_space(before: Box | None, box: Box) -> bool:
    """Whether the glue before ``box`` (after ``before``) is a typed space between words that the
    PDF may squeeze (:data:`~zhengji_publish.typeset.rules.WORD_SPACE_SHRINK`) and is not a Gap
    Space: a Latin word space, one beside a symbol (``clreq/ 育``) or between running text and
    inline code (``/ `RestApi```), as the DOCX's running text holds them. Code keeps its own
    spaces (their glue does not shrink)."""
    return before is not None and box.space and box.glue_min < box.glue and not gap_space(before, box)


def shrunk(spaces: list[tuple[int, Box | None, Box]], share: float) -> list[tuple[str, str, int]]:
    """(the characters before and after, width scale) of a line's typed spaces — (index on the
    line, box before, box after) each — that give up ``share`` of what they may: the first box's
    (a space the line ends before) keeps its width."""
    return [
        (a.text[-1], b.text[0], scale(b.glue, share * (b.glue - b.glue_min) if i else 0.0))
        for i, a, b in spaces
        if a is not None
    ]


def word_style_id(percent: int) -> str:
    """The character style of a word space scaled to ``percent`` of its width ("" at 100 %: none)."""
    return "" if percent >= 100 else f"{WORD_STYLE_ID}{percent}"


def word_styles() -> dict[str, tuple[str, int]]:
    """The Word Space character styles: style id → (name, ``w:w`` percent)."""
    return {word_style_id(s): (f"{WORD_STYLE_NAME} {s}%", s) for s in SCALES}


def gap_style_id(percent: int) -> str:
    """The character style of a gap space scaled to ``percent`` of the quarter em: Gap Space itself
    at 100 %."""
    return GAP_STYLE_ID if percent >= 100 else f"{GAP_STYLE_ID}{percent}"


def gap_styles() -> dict[str, tuple[str, int]]:
    """The narrower Gap Space character styles: style id → (name, percent of the whole gap)."""
    return {gap_style_id(s): (f"{GAP_STYLE_NAME} {s}%", s) for s in SCALES}


def style_id(percent: int) -> str:
    """The character style of a mark scaled to ``percent``: :data:`STYLE_ID` at half width."""
    return STYLE_ID if percent == SCALES[0] else f"{STYLE_ID}{percent}"


def styles() -> dict[str, tuple[str, int]]:
    """The Punctuation Compression character styles: style id → (name, ``w:w`` percent)."""
    return {style_id(s): (STYLE_NAME if s == SCALES[0] else f"{STYLE_NAME} {s}%", s) for s in SCALES}
