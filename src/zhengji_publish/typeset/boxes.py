"""Inline text → boxes: the units a Chinese line is made of, measured with the real fonts.

A box is one Han character, one punctuation mark, one Latin word or number, or one unbreakable
run (——, ……). Spaces are not boxes: they become the glue before the next box. Each box knows
the face that has its glyphs, its natural width, the blank half a full-width mark may give up
(mainland compression), the glue before it and whether a line may break before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from zhengji_publish.fonts import Face, FontBook
from zhengji_publish.fonts.metrics import metrics
from zhengji_publish.text import is_cjk, is_cjk_punct
from zhengji_publish.typeset import rules
from zhengji_publish.typeset.shaping import LANGUAGES, nominal_glyph, shape

CJK_KINDS = frozenset(("han", "open", "close", "mark", "dash"))  # boxes set on the ideographic grid
PUNCT_KINDS = frozenset(("open", "close", "mark", "dash"))
PRIVATE_USE = 0xF0000  # first code point of Supplementary Private Use Area-A: shaped glyphs' characters
_KINDS: dict[str, str] = {}  # character → box kind, filled as characters are met


def char_kind(ch: str) -> str:
    """The box kind of one character: close, open, mark (other CJK punctuation), han or latin."""
    kind = _KINDS.get(ch)
    if kind is None:
        if ch in rules.CLOSING:
            kind = "close"
        elif ch in rules.OPENING:
            kind = "open"
        elif is_cjk_punct(ch):
            kind = "mark"
        elif is_cjk(ch):
            kind = "han"
        else:
            kind = "latin"
        _KINDS[ch] = kind
    return kind


@dataclass(frozen=True)
class InlineStyle:
    """How a run of text is set; shared by all boxes of the run."""

    role: str = "serif"
    bold: bool = False
    size: float = 10.5
    color: str = "#000000"
    href: str = ""  # an external URL, or "#id" for a place in the document
    dots: bool = False  # emphasis dots under Han characters
    strike: bool = False
    code: bool = False  # monospace, no CJK spacing
    sup: bool = False  # superscript (footnote references)
    anchor: str = ""  # a link target id placed at this run


@dataclass(slots=True)
class Box:
    text: str
    face: Face
    size: float
    width: float  # the box's advance on the line (glyph advances plus any grid tracking)
    kind: str  # han | open | close | mark | dash | latin
    style: InlineStyle
    blank_left: float = 0.0
    blank_right: float = 0.0
    glyphs: float = 0.0  # the glyphs' own advance (what a PDF viewer moves by after drawing them)
    glue: float = 0.0  # natural space before this box
    glue_min: float = 0.0
    glue_max: float = 0.0
    space: bool = False  # the glue comes from a typed space (copy/paste keeps it)
    can_break: bool = False  # a line may break before this box
    forced: bool = False  # a hard line break comes before this box
    # The glyphs to draw: (characters — a private-use one for a shaped glyph without a code point,
    # see BoxMaker.alternates —, x from the box's start and their own advance in pt, or None for the
    # box's ``glyphs``). Empty: the text at the box's start.
    draw: tuple[tuple[str, float, float | None], ...] = ()


@dataclass
class Run:
    """A piece of inline text with its style; ``text == "\\n"`` with ``hard`` is a hard break."""

    text: str
    style: InlineStyle
    hard: bool = False


@dataclass
class BoxMaker:
    """Turns runs into boxes for one edition (fonts, punctuation style, line-break level)."""

    fonts: FontBook
    punctuation: str = "gb"  # gb: full-width marks have removable blank halves; centred, grid: none
    level: str = "strict"  # line-break level: basic | strict (rules.no_start)
    tracking: float = 0.0  # extra advance of each CJK character, in em (a character grid's pitch)
    used: dict[Face, set[str]] = field(default_factory=dict)
    # Shaped glyphs with no code point of their own (a 2-em dash ligature, a full-width form): each
    # gets a private-use character per face, which the PDF subset maps to the glyph.
    alternates: dict[Face, dict[int, str]] = field(default_factory=dict)
    shaped_text: dict[tuple[Face, str], str] = field(default_factory=dict)  # (face, that character) → source text
    _faces: dict[tuple[str, str, bool], Face] = field(default_factory=dict)
    # style → character → (kind, face, size, width, glyphs, blank left, blank right): a long text
    # repeats a few thousand characters, so each is measured once per style.
    _chars: dict[InlineStyle, dict[str, tuple]] = field(default_factory=dict)

    def face(self, ch: str, style: InlineStyle) -> Face:
        key = (ch, style.role, style.bold)
        face = self._faces.get(key)
        if face is None:
            face = self._faces[key] = self._find_face(ch, style)
            self.used.setdefault(face, set()).add(ch)
        return face

    def _find_face(self, ch: str, style: InlineStyle) -> Face:
        face = self.fonts.draw_face(ch, style.role, style.bold)
        if face is None:  # the coverage check has already stopped any build that reaches here
            face = self.fonts.primary(style.role, style.bold)
        return face

    def _box(self, text: str, kind: str, style: InlineStyle) -> list[Box]:
        size = style.size * (0.7 if style.sup else 1.0)
        face = self.face(text[0], style)
        if len(text) > 1 and any(self.fonts.face_for(c, style.role, style.bold) not in (face, None) for c in text):
            out = []  # the word's letters live in different faces: one box per letter, no breaks
            for i, ch in enumerate(text):
                out += self._box(ch, kind, style)
                if i:
                    out[-1].kind = "latin-cont"
            return out
        for ch in text[1:]:
            self.used[face].add(ch)
        if not style.code and (kind == "dash" or text in rules.MIDDLE_DOTS or (kind == "latin" and len(text) > 1)):
            shaped = self._shaped(text, kind, style, face, size)
            if shaped is not None:
                return [shaped]
        fm = metrics(face)
        glyphs = width = sum(fm.advance(c) for c in text) * size
        if self.tracking and kind in CJK_KINDS:
            width += self.tracking * size * len(text)
        box = Box(text, face, size, width, kind, style, glyphs=glyphs)
        if rules.compresses(self.punctuation) and kind in ("open", "close") and not style.code:
            left, right = fm.ink(text)
            blank_left, blank_right = rules.removable_blank(kind, left, right, fm.advance(text))
            box.blank_left, box.blank_right = blank_left * size, blank_right * size
        return [box]

    def _shaped(self, text: str, kind: str, style: InlineStyle, face: Face, size: float) -> Box | None:
        """The box of a run whose glyphs come from shaping (:mod:`shaping`): a dash run in the face's
        full-width forms (one 2-em dash for ``——``), a middle dot full-width and set at its regional
        width (:data:`rules.MIDDLE_DOT_WIDTH`, centred), a Latin word kerned and with its ligatures.
        None when shaping leaves the text as it is (each character's own glyph at its own advance).
        """
        glyphs = shape(face, text, LANGUAGES.get(self.fonts.region, ""), () if kind == "latin" else ("fwid",))
        if not glyphs:
            return None
        draw: list[tuple[str, float, float]] = []
        x = 0.0
        ends = [g.cluster for g in glyphs[1:]] + [len(text)]
        for g, end in zip(glyphs, ends, strict=True):
            chars = text[g.cluster : max(end, g.cluster + 1)]
            if len(chars) != 1 or nominal_glyph(face, chars) != g.gid:
                known = self.alternates.setdefault(face, {})
                pua = known.setdefault(g.gid, chr(PRIVATE_USE + len(known)))
                self.shaped_text.setdefault((face, pua), chars)
                chars = pua
            at = (x + g.offset) * size
            if draw and abs(draw[-1][1] + draw[-1][2] - at) < 1e-6:
                draw[-1] = (draw[-1][0] + chars, draw[-1][1], draw[-1][2] + g.nominal * size)
            else:
                draw.append((chars, at, g.nominal * size))
            x += g.advance
        width = x
        if text in rules.MIDDLE_DOTS:
            width = rules.MIDDLE_DOT_WIDTH.get(self.fonts.region, x)
            shift = (width - x) / 2 * size
            draw = [(chars, at + shift, adv) for chars, at, adv in draw]
        if len(draw) == 1 and draw[0][0] == text and draw[0][1] == 0 and abs(draw[0][2] - width * size) < 1e-6:
            return None
        box = Box(text, face, size, width * size, kind, style, glyphs=width * size, draw=tuple(draw))
        if self.tracking and kind in CJK_KINDS:
            box.width += self.tracking * size * len(text)
        return box

    def _char_box(self, ch: str, style: InlineStyle, known: dict[str, tuple]) -> Box:
        """One character's box, measured once per style (``known``: this style's characters)."""
        m = known.get(ch)
        if m is None:
            kind = char_kind(ch)
            b = self._box(ch, kind, style)[0]
            # the glyphs to draw, made once here and shared by every box of the character
            draw = b.draw or ((ch, 0.0, None),)
            m = known[ch] = (kind, b.face, b.size, b.width, b.glyphs, b.blank_left, b.blank_right, draw)
        kind, face, size, width, glyphs, blank_left, blank_right, draw = m
        # positional: a Box is made for every character of the text, and keywords cost more
        return Box(
            ch,
            face,
            size,
            width,
            kind,
            style,
            blank_left,
            blank_right,
            glyphs,
            0.0,
            0.0,
            0.0,
            False,
            False,
            False,
            draw,
        )

    def boxes(self, runs: Iterable[Run]) -> list[Box]:
        out: list[Box] = []
        pending_space = ""
        pending_hard = False
        no_start = rules.no_start(self.level)
        no_end = rules.no_end(self.level)
        for run in runs:
            if run.hard:
                pending_hard, pending_space = True, ""
                continue
            style = run.style
            known = self._chars.setdefault(style, {})
            for kind, piece in rules.tokens(rules.drop_invisible(run.text)):
                if kind == "space":
                    pending_space += piece
                    continue
                if kind == "chars":  # single characters: Han, punctuation, symbols
                    for ch in piece:
                        box = self._char_box(ch, style, known)
                        if out:
                            prev = out[-1]
                            if (
                                not pending_space
                                and not pending_hard
                                and box.kind in CJK_KINDS
                                and prev.kind in CJK_KINDS
                                and not (prev.style.code and style.code)
                            ):
                                # The common case, two CJK characters: no glue; the kinsoku rules
                                # alone decide the break (as _join would).
                                box.can_break = ch not in no_start and prev.text[-1] not in no_end
                            else:
                                self._join(prev, box, pending_space, pending_hard)
                        pending_space, pending_hard = "", False
                        out.append(box)
                    continue
                if kind == "char":
                    kind = char_kind(piece)
                elif kind in ("word", "url"):
                    kind = "latin" if kind == "word" else "url"
                new = self._box(piece, kind, style)
                if out:
                    self._join(out[-1], new[0], pending_space, pending_hard)
                out += new
                pending_space, pending_hard = "", False
        return out

    def _join(self, prev: Box, box: Box, spaces: str, hard: bool) -> None:
        """Glue and break permission between two neighbouring boxes."""
        em = box.size
        space = bool(spaces)
        if prev.style.code and box.style.code and not hard:
            # Code keeps its spaces exactly and takes no CJK spacing.
            width = metrics(box.face).advance(" ") * em * len(spaces.expandtabs(4))
            box.glue = box.glue_min = box.glue_max = width
            box.space = space
            box.can_break = space or prev.kind == "url"
            return
        prev_cjk = prev.kind in CJK_KINDS
        box_cjk = box.kind in CJK_KINDS
        prev_punct = prev.kind in PUNCT_KINDS or prev.text[-1] in rules.NO_START_BASIC
        box_punct = box.kind in PUNCT_KINDS or box.text[0] in rules.NO_START_BASIC
        if hard:
            box.forced = box.can_break = True
            return
        if prev_cjk != box_cjk and (
            rules.han_latin_gap(prev.text[-1], box.text[0])
            or (prev.style.code and box.kind == "han")
            or (box.style.code and prev.kind == "han")
        ):
            # Han next to Latin letters, digits or code: a quarter-em gap, whether or not a space was typed.
            n, lo, hi = rules.HAN_LATIN_GAP
            box.glue, box.glue_min, box.glue_max = n * em, lo * em, hi * em
            box.space = space
        elif space and not (prev_punct and prev_cjk) and not (box_punct and box_cjk):
            sp = metrics(box.face).advance(" ") * em or rules.WORD_SPACE_FALLBACK * em
            box.glue, box.glue_min, box.glue_max = sp, sp * rules.WORD_SPACE_SHRINK, sp * rules.WORD_SPACE_STRETCH
            box.space = True
        box.can_break = self._may_break(prev, box, space)

    def _may_break(self, prev: Box, box: Box, space: bool) -> bool:
        if not rules.may_break_between(prev.text[-1], box.text[0], self.level):
            return False
        if box.kind == "latin-cont":
            return False
        if prev.kind in ("latin", "url", "latin-cont") and box.kind in ("latin", "latin-cont"):
            return space
        return True
