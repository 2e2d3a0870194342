"""Inline text → boxes: the units a Chinese line is made of, measured with the real fonts.

A box is one Han character, one punctuation mark, one Latin word or number, or one unbreakable
run (——, ……). Spaces are not boxes: they become the glue before the next box. Each box knows
the face that has its glyphs, its natural width, the blank half a full-width mark may give up
(mainland compression), the glue before it and whether a line may break before it.

In vertical text (``BoxMaker.vertical``) a line is a column: CJK boxes are measured by their
vertical advances and carry their glyphs' upright placement (``Box.upright``), short numbers
become one upright cell (縱中橫), and Latin words keep their horizontal advances, to be drawn
turned with the column.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from zhengji_publish.fonts import Face, FontBook
from zhengji_publish.fonts.metrics import metrics
from zhengji_publish.text import (
    is_cjk,
    is_cjk_punct,
    is_east_asian,
    is_numeral_form,
    is_variation_selector,
    takes_script_before,
)
from zhengji_publish.typeset import rules
from zhengji_publish.typeset.shaping import (
    DASHES,
    LANGUAGES,
    LATIN,
    Glyph,
    has_vertical_punctuation,
    joins_dashes,
    nominal_glyph,
    shape,
    shape_vertical,
)

#: A lone EM DASH: the 一字线 of a 连接号 (GB/T 15834-2011 §4.13.3, ``2024年—2025年``), one
#: character wide after Chinese text, as the face's Chinese forms (``locl``/``fwid``) give it and
#: LibreOffice and browsers set it; after a digit or a Latin letter (``16—24``, ``GDP—CPI``) the
#: face's own proportional dash (0.889 em in Noto Serif CJK), as LibreOffice sets it there.
CONNECTOR = "\u2014"


def full_connector(before: str) -> bool:
    """Whether a lone :data:`CONNECTOR` after the text ``before`` ("" at a paragraph's start or
    after a space) is the full-em 一字线 of Chinese text: after an East Asian character, or after
    symbols and numeral forms (:func:`~zhengji_publish.text.takes_script_before`: ``Ⅰ—Ⅲ类``,
    ``①—③``, ``25℃—30℃``) that follow one, as LibreOffice sets it in the East Asian face there
    (GB/T 15834-2011 §4.13). After a Latin letter or digit it is the Latin dash."""
    for ch in reversed(before):
        if not takes_script_before(ch):
            return is_east_asian(ch)
    return False


CJK_KINDS = frozenset(("han", "open", "close", "mark", "dash"))  # boxes set on the ideographic grid
PUNCT_KINDS = frozenset(("open", "close", "mark", "dash"))
# Vertical text: where a horizontal run set upright in one cell (縱中橫) has its baseline, down from
# the cell's top, in em (the ideographic em box's ascent, as the PDF's ASCENT).
UPRIGHT_BASELINE = 0.88
#: Marks that may start a line when they open code after a Han character (a path's ``./``, a
#: variable's ``%``): LibreOffice breaks at the space the DOCX puts in the gap before the code.
_CODE_OPENERS = frozenset(".%")
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
        elif is_cjk(ch) or is_numeral_form(ch):  # ``Ⅰ`` ``①``: a full em, as Han text (text.is_numeral_form)
            kind = "han"
        else:
            kind = "latin"
        _KINDS[ch] = kind
    return kind


def dash_face(fonts: FontBook, role: str, bold: bool = False) -> Face | None:
    """The body text's face, when ``role``'s face does not join the dashes — ⸺ into one unbroken
    rule (:func:`joins_dashes`, a kai face; GB/T 15834-2011 §4.9) and the body face does: the face
    a 破折号 in ``role`` is drawn in. None when ``role``'s own face draws it (it joins them, or
    the body face does not either)."""
    own = fonts.draw_face("\u2014", role, bold) or fonts.primary(role, bold)
    if joins_dashes(own):
        return None
    borrowed = fonts.draw_face("\u2014", fonts.style.block("body").font, bold)
    return borrowed if borrowed is not None and joins_dashes(borrowed) else None


@dataclass(frozen=True)
class InlineStyle:
    """How a run of text is set; shared by all boxes of the run."""

    role: str = "serif"
    # The role East Asian characters (text.is_east_asian) are set in when it is not ``role``: 楷体
    # emphasis sets them in "kai", its Latin letters and digits staying in ``role`` (plan.Emphasis).
    east_asian_role: str = ""
    bold: bool = False
    size: float = 10.5
    color: str = "#000000"
    href: str = ""  # an external URL, or "#id" for a place in the document
    dots: bool = False  # emphasis dots under Han characters
    strike: bool = False
    code: bool = False  # monospace, no CJK spacing
    sup: bool = False  # superscript (footnote references)
    anchor: str = ""  # a link target id placed at this run
    label: bool = False  # a note's number opening the note: the space after it always stands


def role_of(ch: str, style: InlineStyle) -> str:
    """The font role ``ch`` of a run in ``style`` is set in: ``style.east_asian_role`` for an East
    Asian character (:func:`zhengji_publish.text.is_east_asian`) when the style has one, else ``style.role``."""
    return style.east_asian_role if style.east_asian_role and is_east_asian(ch) else style.role


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
    # Vertical text: the glyphs drawn upright in the column, each as (characters, its horizontal
    # origin's distance down from the box's start and right of the column's centre line in pt,
    # horizontal scale). Empty: the box is a horizontal run, turned 90° clockwise with the column.
    upright: tuple[tuple[str, float, float, float], ...] = ()
    gap: bool = False  # the glue is the Han–Latin gap (rules.HAN_LATIN_GAP), typed or not


def split_word(box: Box, cuts: Iterable[int]) -> list[Box]:
    """``box``, a run of Latin text set as one box (a word, a number, a piece of code), cut at the
    character offsets ``cuts`` into boxes of kind ``piece`` a line may break between, each measured
    with the box's face at its own advances (pt; a cut drops the kerning and ligatures across it:
    the pieces are set apart). The first piece keeps the glue and break before ``box``."""
    fm = metrics(box.face)
    out: list[Box] = []
    at = 0
    for end in [*sorted(c for c in cuts if 0 < c < len(box.text)), len(box.text)]:
        text = box.text[at:end]
        width = sum(fm.advance(c) for c in text) * box.size
        piece = Box(text, box.face, box.size, width, "piece", box.style, glyphs=width, can_break=True)
        out.append(piece)
        at = end
    head = out[0]
    head.glue, head.glue_min, head.glue_max = box.glue, box.glue_min, box.glue_max
    head.space, head.can_break, head.forced, head.gap = box.space, box.can_break, box.forced, box.gap
    return out


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
    vertical: bool = False  # vertical writing: boxes measure down the column, CJK glyphs stand upright
    upright_digits: int = 2  # vertical writing: numbers of up to this many digits stand upright in one cell
    used: dict[Face, set[str]] = field(default_factory=dict)
    # Shaped glyphs with no code point of their own (a 2-em dash ligature, a full-width form): each
    # gets a private-use character per face, which the PDF subset maps to the glyph.
    alternates: dict[Face, dict[int, str]] = field(default_factory=dict)
    shaped_text: dict[tuple[Face, str], str] = field(default_factory=dict)  # (face, that character) → source text
    _faces: dict[tuple[str, str, bool], Face] = field(default_factory=dict)
    _spaces: dict[tuple[str, bool], float] = field(default_factory=dict)  # (role, bold) → word space, em
    # style → character → (kind, face, size, width, glyphs, blank left, blank right): a long text
    # repeats a few thousand characters, so each is measured once per style.
    _chars: dict[InlineStyle, dict[str, tuple]] = field(default_factory=dict)

    def face(self, ch: str, style: InlineStyle) -> Face:
        key = (ch, role_of(ch, style), style.bold)
        face = self._faces.get(key)
        if face is None:
            face = self._faces[key] = self._find_face(ch, style)
            self.used.setdefault(face, set()).add(ch)
        return face

    def _find_face(self, ch: str, style: InlineStyle) -> Face:
        role = role_of(ch, style)
        face = self.fonts.draw_face(ch, role, style.bold)
        if face is None:  # the coverage check has already stopped any build that reaches here
            face = self.fonts.primary(role, style.bold)
        if self._unfit_mark(ch, face):
            body = self.fonts.style.block("body").font
            borrowed = self.fonts.draw_face(ch, body, style.bold)
            if borrowed is not None and not self._unfit_mark(ch, borrowed):
                return borrowed
        return face

    def _unfit_mark(self, ch: str, face: Face) -> bool:
        """Whether punctuation mark ``ch`` is drawn in the body text's face rather than ``face``
        (a kai face; :meth:`_find_face` borrows it when the body face has what ``face`` lacks):

        - in vertical text, any mark, when ``face`` has no vertical punctuation
          (:func:`has_vertical_punctuation`). The body face's marks take their vertical forms for
          the edition's region (``locl``: ，。 in the upper right of the cell in mainland text,
          centred in Taiwan and Hong Kong text; —— and brackets turned to run down the column;
          clreq "Vertical writing mode");
        - the dashes — and ⸺ (:data:`DASHES`), when ``face`` does not join them into one unbroken
          rule (:func:`joins_dashes`; GB/T 15834-2011 §4.9: the 破折号 is one 2-em rule).

        Borrowing the marks is chosen over turning, moving or stretching the face's own glyphs
        by hand: the font's own forms know each mark's place, and a mark's ink is plain enough
        that another face's design does not stand out among kai characters."""
        if self.vertical and char_kind(ch) in PUNCT_KINDS and not has_vertical_punctuation(face):
            return True
        return ch in DASHES and not joins_dashes(face)

    def _box(self, text: str, kind: str, style: InlineStyle, western: bool = False) -> list[Box]:
        """The boxes of ``text``, a unit of :func:`rules.tokens` of ``kind``; ``western``: a Latin
        word set as Latin text (:meth:`_western`)."""
        size = style.size * (0.7 if style.sup else 1.0)
        face = self.face(text[0], style)
        if len(text) > 1 and any(self._own_face(c, kind, style) not in (face, None) for c in text):
            out = []  # the word's letters live in different faces: one box per letter, no breaks
            for i, ch in enumerate(text):
                out += self._box(ch, kind, style, western)
                if i:
                    out[-1].kind = "latin-cont"
            return out
        for ch in text[1:]:
            self.used[face].add(ch)
        if self.vertical and kind in CJK_KINDS:
            return [self._upright(text, kind, style, face, size)]
        if not style.code and (
            kind in ("dash", "piece") or text in rules.MIDDLE_DOTS or (kind == "latin" and (len(text) > 1 or western))
        ):
            shaped = self._shaped(text, kind, style, face, size, western)
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

    def _own_face(self, ch: str, kind: str, style: InlineStyle) -> Face | None:
        """The face ``ch`` of a run of ``kind`` is drawn in when it stands alone: the role's own
        face, or a mark's borrowed face (:meth:`_unfit_mark`)."""
        if (self.vertical and kind in PUNCT_KINDS) or ch in DASHES:
            return self.face(ch, style)
        return self.fonts.face_for(ch, role_of(ch, style), style.bold)

    def _shaped(self, text: str, kind: str, style: InlineStyle, face: Face, size: float, western: bool) -> Box | None:
        """The box of a run whose glyphs come from shaping (:mod:`shaping`): a dash run in the face's
        full-width forms (one 2-em dash for ``——``), a middle dot full-width and set at its regional
        width (:data:`rules.MIDDLE_DOT_WIDTH`, centred), a Latin word kerned and with its ligatures,
        in :data:`LATIN` when ``western`` (:meth:`_western`). A piece of a URL or path
        (:func:`rules.tokens`), a place a line may break after, is shaped unkerned: no piece is
        kerned to the next, so none is kerned at all (the DOCX sets URLs without kerning, ``w:kern``
        0). None when shaping leaves the text as it is (each character's own glyph at its own
        advance).
        """
        language = LATIN if western else LANGUAGES.get(self.fonts.region, "")
        features = {"latin": (), "piece": ("-kern",)}.get(kind, ("fwid",))
        glyphs: tuple[Glyph, ...] = ()
        start = 0
        for end in [*(rules.word_joins(text) if kind == "latin" else []), len(text)]:
            # no kerning across the place the DOCX joins a word (rules.join_words): LibreOffice
            # kerns no pair across its word joiner (``Wan-Tai`` was 0.53 pt wider there at 12 pt)
            part = shape(face, text[start:end], language, features)
            glyphs += tuple(g._replace(cluster=g.cluster + start) for g in part)
            start = end
        if not glyphs:
            return None
        draw: list[tuple[str, float, float]] = []
        x = 0.0
        ends = [g.cluster for g in glyphs[1:]] + [len(text)]
        for g, end in zip(glyphs, ends, strict=True):
            chars = self._glyph_chars(face, g.gid, text[g.cluster : max(end, g.cluster + 1)])
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

    def _glyph_chars(self, face: Face, gid: int, chars: str) -> str:
        """What draws glyph ``gid`` for source ``chars``: the character itself when it is the face's
        own glyph for it, else the glyph's private-use character (see ``alternates``)."""
        if len(chars) == 1 and nominal_glyph(face, chars) == gid:
            return chars
        known = self.alternates.setdefault(face, {})
        pua = known.setdefault(gid, chr(PRIVATE_USE + len(known)))
        self.shaped_text.setdefault((face, pua), chars)
        return pua

    def _upright(self, text: str, kind: str, style: InlineStyle, face: Face, size: float) -> Box:
        """The box of CJK text in vertical writing: shaped top to bottom (:func:`shape_vertical`:
        the face's vertical forms, advances and origins), each glyph drawn upright. Dashes and
        middle dots take their full-width forms as in horizontal text. In the GB style an opening
        or closing mark may give up the blank above or below its ink (clreq "Punctuation
        Adjustment", turned)."""
        language = LANGUAGES.get(self.fonts.region, "")
        features = ("fwid",) if kind == "dash" or text in rules.MIDDLE_DOTS else ()
        glyphs = shape_vertical(face, text, language, features)
        ends = [g.cluster for g in glyphs[1:]] + [len(text)]
        upright = tuple(
            (
                self._glyph_chars(face, g.gid, text[g.cluster : max(end, g.cluster + 1)]),
                g.down * size,
                g.across * size,
                1.0,
            )
            for g, end in zip(glyphs, ends, strict=True)
        )
        advance = sum(g.advance for g in glyphs)
        width = advance * size + self.tracking * size * len(text)
        box = Box(text, face, size, width, kind, style, glyphs=advance * size, upright=upright)
        if rules.compresses(self.punctuation) and kind in ("open", "close") and glyphs:
            top, bottom = min(g.ink[0] for g in glyphs), max(g.ink[1] for g in glyphs)
            blank_top, blank_bottom = rules.removable_blank(kind, top, bottom, advance)
            box.blank_left, box.blank_right = blank_top * size, blank_bottom * size
        return box

    def _upright_number(self, text: str, style: InlineStyle) -> Box:
        """A short number set upright across one cell of a vertical column (縱中橫, tate-chu-yoko;
        clreq "Vertical writing mode": numbers of one or two digits stand upright): its half-width
        forms (``hwid``) side by side, squeezed horizontally when wider than the em."""
        size = style.size * (0.7 if style.sup else 1.0)
        face = self.face(text[0], style)
        for ch in text[1:]:
            self.used[face].add(ch)
        glyphs = shape(face, text, LANGUAGES.get(self.fonts.region, ""), ("hwid",))
        wide = sum(g.advance for g in glyphs)
        scale = min(1.0, 1.0 / wide) if wide else 1.0
        x = -wide * scale / 2
        ends = [g.cluster for g in glyphs[1:]] + [len(text)]
        upright = []
        for g, end in zip(glyphs, ends, strict=True):
            chars = self._glyph_chars(face, g.gid, text[g.cluster : max(end, g.cluster + 1)])
            upright.append((chars, UPRIGHT_BASELINE * size, (x + g.offset * scale) * size, scale))
            x += g.advance * scale
        width = size + self.tracking * size
        return Box(text, face, size, width, "han", style, glyphs=size, upright=tuple(upright))

    def _char_box(self, ch: str, style: InlineStyle, known: dict[str, tuple]) -> Box:
        """One character's box, measured once per style (``known``: this style's characters)."""
        m = known.get(ch)
        if m is None:
            kind = char_kind(ch)
            b = self._box(ch, kind, style)[0]
            # the glyphs to draw, made once here and shared by every box of the character
            draw = b.draw or ((ch, 0.0, None),)
            m = known[ch] = (kind, b.face, b.size, b.width, b.glyphs, b.blank_left, b.blank_right, draw, b.upright)
        kind, face, size, width, glyphs, blank_left, blank_right, draw, upright = m
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
            upright,
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
            for kind, piece in rules.tokens(rules.drop_invisible(run.text), style.code):
                if kind == "space":
                    pending_space += piece
                    continue
                if kind == "chars":  # single characters: Han, punctuation, symbols
                    for ch in piece:
                        if is_variation_selector(ch):  # picks the glyph of the character before it
                            if out and not pending_space and not pending_hard:
                                out[-1] = self._selected(out[-1], ch)
                            continue
                        box = self._char_box(ch, style, known)
                        if out:
                            prev = out[-1]
                            if (
                                not pending_space
                                and not pending_hard
                                and box.kind in CJK_KINDS
                                and prev.kind in CJK_KINDS
                                and not (prev.style.code and style.code)
                                and not style.sup
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
                    before = "".join(b.text for b in out[-4:]) if not pending_space else ""
                    if piece == CONNECTOR and full_connector(before):
                        kind = "dash"  # 一字线 after Chinese text: a full em (GB/T 15834-2011 §4.13)
                elif kind in ("word", "piece"):
                    kind = "latin" if kind == "word" else "piece"
                if self.vertical and kind == "latin" and self._stands_upright(piece, style):
                    new = [self._upright_number(piece, style)]
                else:
                    new = self._box(piece, kind, style, self._western(piece, out))
                if out:
                    self._join(out[-1], new[0], pending_space, pending_hard)
                out += new
                pending_space, pending_hard = "", False
        return out

    def _selected(self, box: Box, selector: str) -> Box:
        """``box`` with ``selector`` (a variation selector, Unicode §23.4) after its character: the
        glyph its face's cmap gives the sequence (format 14; an Ideographic Variation Sequence
        such as ``葛󠄀``), drawn in place of the character's own (by its private-use stand-in,
        :meth:`_glyph_chars`), else the character's own glyph (a face without the variant, as a
        browser shows it). The selector stays in the box's text: copied text keeps the sequence."""
        text = box.text + selector
        if box.upright or len(box.text) != 1:
            return replace(box, text=text)
        glyphs = shape(box.face, text, LANGUAGES.get(self.fonts.region, ""))
        gid = next((g.gid for g in glyphs if g.cluster == 0), None)
        if gid is None or gid == 0 or gid == nominal_glyph(box.face, box.text):
            return replace(box, text=text)
        return replace(box, text=text, draw=((self._glyph_chars(box.face, gid, text), 0.0, None),))

    @staticmethod
    def _western(word: str, before: list[Box]) -> bool:
        """Whether a Latin word (a :func:`rules.tokens` word or piece) is set as Latin text
        (:data:`LATIN`): whether its digits are. Digits and signs belong to no script (UAX #24
        Common) and take the one of the last letter or CJK character before them, as LibreOffice's
        script runs do: ``3.12`` in ``Python 3.12`` or ``v2.3.1`` is Latin, in ``共3.12`` or
        ``5G`` after Han text Chinese (the ``G`` is the same glyph either way). Chinese
        punctuation is Common too and is passed over: ``（IMF）10月``'s digits are Latin, as
        LibreOffice sets them (0.7 pt wider at 10.5 pt than the Chinese forms the PDF took: a
        line the PDF filled exactly lost its last character in LibreOffice). A word without
        digits is Latin when it holds a letter. With no letter or CJK character before it (a
        paragraph's or a table cell's start), a word whose digits come first takes the script of
        its first letter: ``1hour`` is Latin (LibreOffice's 4.9 pt ``1`` at 小五 against the
        Chinese form's 4.2: a narrow cell broke ``1hou`` | ``r`` there), ``2026`` before ``年``
        Chinese."""
        first = next((i for i, ch in enumerate(word) if ch.isdigit()), None)
        if first is None:
            return any(ch.isalpha() for ch in word)
        if any(ch.isalpha() for ch in word[:first]):
            return True
        for box in reversed(before):
            for ch in reversed(box.text):
                if is_cjk_punct(ch):
                    continue
                if is_east_asian(ch):
                    return False
                if ch.isalpha():
                    return True
        # nothing before decides (a paragraph's or a cell's start): the first letter after the
        # digits does, as LibreOffice gives leading weak characters the script that follows them
        return any(ch.isalpha() for ch in word[first:])

    def _stands_upright(self, piece: str, style: InlineStyle) -> bool:
        """Whether a word of vertical text is a number short enough to stand upright in one cell."""
        return not style.code and piece.isascii() and piece.isdigit() and len(piece) <= self.upright_digits

    def _join(self, prev: Box, box: Box, spaces: str, hard: bool) -> None:
        """Glue and break permission between two neighbouring boxes."""
        em = box.size
        space = bool(spaces)
        if prev.style.code and box.style.code and not hard:
            # Code keeps its spaces exactly and takes no CJK spacing but the word processors' gap
            # between Han and Latin text (rules.WORD_PROCESSOR_GAP). It breaks at its spaces,
            # between a URL's or path's pieces, where LibreOffice breaks code (rules.code_break:
            # ``kube-`` | ``system``) and beside a Han character as Chinese text does (a comment
            # ``# 导入构建函数``; UAX #14 ID, as LibreOffice breaks a code line)
            width = metrics(box.face).advance(" ") * em * len(spaces.expandtabs(4))
            a, b = prev.text[-1], box.text[0]
            if not space and rules.han_latin_gap(a, b):
                # Word and LibreOffice set their own gap here, which the DOCX cannot take away
                # from code: the PDF sets it too (measured: ``第3步`` 1.8 pt a side at 9 pt)
                width = rules.WORD_PROCESSOR_GAP * em
            box.glue = box.glue_min = box.glue_max = width
            box.space = space
            han = (
                (prev.kind in CJK_KINDS or box.kind in CJK_KINDS)
                and rules.may_break_between(a, b, self.level)
                and rules.code_break_beside_han(a, b)
            )
            pieces = prev.kind == box.kind == "piece"
            box.can_break = space or pieces or han or rules.code_break(prev.text, box.text)
            return
        prev_cjk = prev.kind in CJK_KINDS
        box_cjk = box.kind in CJK_KINDS
        prev_punct = prev.kind in PUNCT_KINDS or prev.text[-1] in rules.NO_START_BASIC
        box_punct = box.kind in PUNCT_KINDS or box.text[0] in rules.NO_START_BASIC
        if hard:
            box.forced = box.can_break = True
            return
        if (
            prev_cjk != box_cjk
            and not (box.style.sup or prev.style.sup)  # a note reference sits on its character: 造¹
            and (
                rules.han_latin_gap(prev.text[-1], box.text[0])
                or (prev.style.code and box.kind == "han")
                or (box.style.code and prev.kind == "han")
            )
        ):
            # Han next to Latin letters, digits or code: a quarter-em gap, whether or not a space was typed.
            n, lo, hi = rules.HAN_LATIN_GAP
            box.glue, box.glue_min, box.glue_max = n * em, lo * em, hi * em
            box.space, box.gap = space, True
        elif space and (prev.style.label or not (prev_punct and prev_cjk) and not (box_punct and box_cjk)):
            # the style's own word space, not that of the face drawing the next character: a face
            # taken for one character (an emoji face's space is 1.25 em) sets no spacing. A space
            # typed in running text before inline code is the text's, not the code's (monospace,
            # half an em): as wide as the one after the code
            spaced = prev.style if box.style.code else box.style
            sp = self._word_space(spaced) * em or rules.WORD_SPACE_FALLBACK * em
            box.glue, box.glue_min, box.glue_max = sp, sp * rules.WORD_SPACE_SHRINK, sp * rules.WORD_SPACE_STRETCH
            box.space = True
        box.can_break = self._may_break(prev, box, space)

    def _word_space(self, style: InlineStyle) -> float:
        """The advance (em) of the space of the style's face for spaces (the first of its role
        that has one)."""
        key = (style.role, style.bold)
        if key not in self._spaces:  # not through face(): the glue draws no glyph to subset
            self._spaces[key] = metrics(self._find_face(" ", style)).advance(" ")
        return self._spaces[key]

    def _may_break(self, prev: Box, box: Box, space: bool) -> bool:
        if box.style.sup:
            # A superscript (a footnote reference) belongs to the character before it: a line
            # never starts with one, so the marks after it (。 in 造¹。) cannot start a line either.
            return False
        if box.style.code and prev.kind == "han" and box.text[0] in _CODE_OPENERS:
            return True  # ``目录的`` | ``./scripts/…``: a path's ``.``, not a 句号 (the DOCX's gap is a space)
        if not rules.may_break_between(prev.text[-1], box.text[0], self.level):
            return False
        if box.text[0] in rules.HYPHENS and not space and not prev.kind == box.kind == "piece":
            return False  # UAX #14 LB21; a URL's or path's pieces break before a hyphen (rules.split_url)
        if box.kind == "latin-cont":
            return False
        if prev.kind in ("latin", "piece", "latin-cont") and box.kind in ("latin", "latin-cont"):
            return space
        return True
