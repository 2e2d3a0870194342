"""The rules of Chinese line layout (W3C clreq, GB/T 15834-2011), in one place.

Every output reads its typographic rules here and nowhere else:

- the PDF layout (:mod:`zhengji_publish.typeset.boxes`, :mod:`zhengji_publish.typeset.linebreak` and
  the page breaking of :mod:`zhengji_publish.writers.pdf.draw`) applies them itself;
- the EPUB style sheet hands the line-break level and the punctuation compression to the reading
  system (:func:`css_line_break`, :func:`css_text_spacing_trim`);
- the EPUB cover wraps its title with :func:`may_break_between`;
- the DOCX writes the prohibited classes as Word's custom kinsoku lists (:func:`kinsoku_lists`),
  and lays running text out with the PDF's line breaker to carry the punctuation compression its
  lines need (:mod:`zhengji_publish.writers.docx.compression`).

Each rule names the section of *Requirements for Chinese Text Layout* (clreq, :data:`CLREQ`) it
implements, and the clause of GB/T 15834-2011 《标点符号用法》 where one applies. Lengths are in em
of the text's own size; character classes are frozen sets of one-character strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Literal, NamedTuple

from zhengji_publish.text import is_cjk, is_cjk_punct, is_numeral_form

CLREQ = "https://www.w3.org/TR/clreq/"
LINE_START_END = CLREQ + "#prohibition_rules_for_line_start_end"
UNBREAKABLE = CLREQ + "#prohibition_rules_for_unbreakable_marks"
ADJUSTMENT_SPACE = CLREQ + "#h-punctuation_adjustment_space"
ADJACENT_PUNCTUATION = CLREQ + "#h-adjustment_of_adjacent_punctuation_marks"
SPACING_REDUCTION = CLREQ + "#procedures_for_inter-character_spacing_reduction"
MIXED_TEXT = CLREQ + "#mixed_text_composition_in_horizontal_writing_mode"
ORPHANS_AND_WIDOWS = CLREQ + "#adjustments_of_orphans_and_widows"

LineBreakLevel = Literal["basic", "strict"]
LEVELS: tuple[LineBreakLevel, ...] = ("basic", "strict")
Punctuation = Literal["gb", "centred", "grid"]

# -- Line start and line end (clreq LINE_START_END) -------------------------------------------------

# Basic level: pause and stop marks, closing quotes and brackets, connector marks and interpuncts
# never start a line (full-width and half-width forms), nor do the unit signs that follow a number.
NO_START_BASIC: frozenset[str] = frozenset("。．，、；：？！‼⁇）］｝〕〗】〉》」』”’·・～%‰℃" + ")]},.;:?!")
#: Hyphens and the en dash, which no line breaks before unless a space stands before them (UAX #14
#: LB21: no break before HY and BA): ``基拉`` | ``-霍尔姆斯`` was a break LibreOffice does not make.
#: A line a space ends may start with one (an option ``--output`` or ``-i`` typed after a space).
HYPHENS: frozenset[str] = frozenset("-‐‑–")
# Strict level: also dashes and ellipses, the ellipsis as U+2026 … or the midline U+22EF ⋯ (clreq:
# "two-em dashes and ellipses should not appear at the line start"), and the iteration marks.
NO_START_STRICT: frozenset[str] = NO_START_BASIC | frozenset("—⸺…⋯々〻ー")
# Opening quotes and brackets never end a line, at either level.
NO_END: frozenset[str] = frozenset("（［｛〔〖【〈《「『“‘" + "([{")

# -- Punctuation widths and compression (clreq ADJUSTMENT_SPACE, SPACING_REDUCTION) -----------------

# Full-width brackets and pause/stop marks whose blank half may be removed in GB style: closing
# marks carry their blank on the right, opening marks on the left.
CLOSING: frozenset[str] = frozenset("，。、；：？！）］｝〕〗】〉》」』”’")
OPENING: frozenset[str] = frozenset("（［｛〔〖【〈《「『“‘")
# A full-width mark is compressed to no less than half an em (GB/T 15834-2011 5.1.10 for line ends).
BLANK_MAX = 0.5
# A mark's glyph is set to one side (GB style, so its other half is blank) when its ink ends within
# the first 56 % of its advance (closing marks) or starts after the first 44 % (opening marks); a
# centred glyph (Taiwan and Hong Kong fonts) has no removable half.
CLOSING_INK_MAX = 0.56
OPENING_INK_MIN = 0.44


def compresses(punctuation: str) -> bool:
    """Whether a punctuation style removes the blank halves of full-width marks.

    ``gb`` (mainland, marks set to one side of their cell) compresses at line ends and between
    adjacent marks (clreq ADJUSTMENT_SPACE, GB/T 15834-2011 5.1.10); ``centred`` (Taiwan and Hong
    Kong) and ``grid`` (every mark a full cell) do not.
    """
    return punctuation == "gb"


def removable_blank(kind: str, ink_left: float, ink_right: float, advance: float) -> tuple[float, float]:
    """The blank (left, right) a full-width mark may give up, in the units of its advance.

    ``kind`` is ``"open"`` or ``"close"`` (anything else gives ``(0, 0)``); ``ink_left`` and
    ``ink_right`` are where the glyph's ink starts and ends. At most :data:`BLANK_MAX` of the advance
    is removed (clreq SPACING_REDUCTION: "space can be reduced until the bracket is 1/2 em").
    """
    if kind == "close" and ink_right <= CLOSING_INK_MAX * advance:
        return 0.0, min(advance - ink_right, BLANK_MAX * advance)
    if kind == "open" and ink_left >= OPENING_INK_MIN * advance:
        return min(ink_left, BLANK_MAX * advance), 0.0
    return 0.0, 0.0


# Adjacent marks (clreq ADJACENT_PUNCTUATION): of two adjacent full-width brackets or pause/stop
# marks, the first gives up its blank right half, or (if it has none) the second its blank left half,
# so the pair takes 1.5 em instead of 2.
PAIR_KINDS: frozenset[str] = frozenset(("open", "close"))


def pair_compression(first_blank_right: float, second_blank_left: float) -> tuple[float, float]:
    """What two adjacent marks give up: (from the first's right, from the second's left)."""
    if first_blank_right:
        return first_blank_right, 0.0
    if second_blank_left:
        return 0.0, second_blank_left
    return 0.0, 0.0


# -- Han and Latin (clreq MIXED_TEXT) ---------------------------------------------------------------


class Glue(NamedTuple):
    """A stretchable gap, in em: its natural width and how far it may shrink and stretch."""

    natural: float
    min: float
    max: float


# A quarter em between a Han character and a Latin letter or digit, typed space or not (clreq
# §3.2.2, Mixed Text Composition in Horizontal Writing Mode: "up to one quarter of a Han character
# width"). It shrinks to an eighth in a line pushed in (JLREQ §3.8, Line Adjustment) and never
# stretches past the quarter: a justified line's slack goes to the spaces between its characters
# instead (typeset.linebreak._spread).
HAN_LATIN_GAP = Glue(0.25, 0.125, 0.25)
#: The gap (em) Word and LibreOffice set themselves between Han text and Latin letters or digits
#: where the DOCX gives none (``w:autoSpaceDE``/``w:autoSpaceDN``: on by default; LibreOffice 7.4
#: reads them off in no place, measured: 0.195–0.205 em). Inside code the DOCX can neither set the
#: PDF's gap nor take theirs away, so the PDF sets this one there (``导入`` ``numpy`` ``库``).
WORD_PROCESSOR_GAP = 0.2


def han_latin_gap(before: str, after: str) -> bool:
    """Whether the quarter-em gap (:data:`HAN_LATIN_GAP`) goes between the characters ``before`` and
    ``after``: only between a Han character (or kana, hangul) and a Western letter or digit, either
    way round (clreq MIXED_TEXT: "Chinese characters and Western letters or numerals"). Not next
    to punctuation of either script (ASCII ``(`` ``"`` included), nor around symbols or
    :data:`INVISIBLE` characters.
    """
    return (_han(before) and _western(after)) or (_western(before) and _han(after))


def _han(ch: str) -> bool:
    return bool(ch) and is_cjk(ch) and not is_cjk_punct(ch)


def _western(ch: str) -> bool:
    return bool(ch) and ch.isalnum() and not is_cjk(ch) and not is_numeral_form(ch)


_GAP_SPACE = re.compile(r"(?<=\S)[ \t]+(?=\S)")


def gap_spaces(
    text: str, before: str = "", after: str = "", code_before: bool = False, code_after: bool = False
) -> list[tuple[int, int]]:
    """Where ``text`` has typed spaces that the Han–Latin gap takes the place of (clreq MIXED_TEXT:
    the gap is the same whether or not a space was typed): (start, end) of each. A format that
    cannot leave the gap to its renderer sets these spaces at the gap's width. Spaces between
    Latin words are not among them. ``before`` and ``after`` are the characters just outside
    ``text`` (the neighbouring inlines'), so a space at its edge is judged too; ``code_before`` and
    ``code_after`` say that neighbour is inline code, which is set off from Han text by the gap
    whatever it starts or ends with (``由 `--quote-style` 决定``), as the PDF's boxes set it.
    """
    if " " not in text and "\t" not in text:
        return []
    whole = before[-1:] + text + after[:1]
    shift = len(before[-1:])
    out = []
    for m in _GAP_SPACE.finditer(whole):
        a, b = whole[m.start() - 1], whole[m.end()]
        code = (code_before and m.start() == shift and _han(b)) or (
            code_after and m.end() == len(whole) - len(after[:1]) and _han(a)
        )
        if code or han_latin_gap(a, b):
            out.append((m.start() - shift, m.end() - shift))
    return out


# Format characters a reader never sees (Unicode general category Cf, and the soft hyphen): the
# zero-width space, the zero-width non-joiner and joiner, the word joiner, the BOM (zero-width
# no-break space) and the soft hyphen. They are set with no width and no gap (clreq MIXED_TEXT);
# pasted text carries them between Han characters.
INVISIBLE: frozenset[str] = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_INVISIBLE = re.compile("[" + "".join(sorted(INVISIBLE)) + "]")


def drop_invisible(text: str) -> str:
    """``text`` without its :data:`INVISIBLE` characters: what the PDF sets of it."""
    return _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text


# A typed space between Latin words: the font's space, shrinking to 3/4 and stretching to twice it;
# a quarter em where the font has none.
WORD_SPACE_SHRINK = 0.75
WORD_SPACE_STRETCH = 2
WORD_SPACE_FALLBACK = 0.25

# -- Paragraphs and pages (clreq ORPHANS_AND_WIDOWS) ------------------------------------------------

# A paragraph's last line holds at least two Han characters ("孤字不成行").
MIN_LAST_LINE_HAN = 2
# A page never ends with a paragraph's lone first line nor starts with its lone last line.
MIN_LINES_AT_PAGE_BREAK = 2

# -- Unbreakable units (clreq UNBREAKABLE) ----------------------------------------------------------

# Runs that are one unit: ——, ……, ⸺, Latin words and numbers (3.14, 50%, 12351, 1,000, v2.3.1).
_UNIT = re.compile(
    r"(?P<dash>[—⸺]{2,}|…{2,}|⋯{2,})"
    r"|(?P<word>[0-9A-Za-z\u00C0-\u024F](?:[0-9A-Za-z\u00C0-\u024F'’\-_.,:/\\%+#&@=?~]*[0-9A-Za-z\u00C0-\u024F%/\\])?%?)"
    r"|(?P<space>[ \t\u00A0]+)"
    r"|(?P<chars>[^0-9A-Za-z\u00C0-\u024F \t\u00A0—⸺…⋯]+)"  # a run of single characters (Han text)
    r"|(?P<char>.)",
    re.S,
)
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)", re.I)
#: An e-mail address, broken as a URL is (:func:`tokens`).
_EMAIL = re.compile(r"[0-9A-Za-z._%+-]+@[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)+")
#: A URL's, path's or e-mail address's pieces (:func:`split_url`) end after these characters…
_URL_BREAK_AFTER = frozenset("/\\.?&=_#@")
#: …and before these.
_URL_BREAK_BEFORE = frozenset("-")
#: What stands before a path's first name and is part of the path (``/var``, ``./config``,
#: ``../lib``, ``~/.config``): a line never breaks after it.
_PATH_HEAD = re.compile(r"(?:~/\.?|\.{1,2}/|/|\.|\\\\|%)$")
#: …of which these start a path by themselves; the others (``/``, ``.``, ``\\``, ``%``) only a
#: word that is a path (:func:`_address`: ``/etc/hosts``, ``.github/workflows/ci.yml``,
#: ``\\server\share\logs``, ``%APPDATA%\App\logs``; not ``元/kg`` or ``.NET``).
_PATH_OPENERS = frozenset({"./", "../", "~/", "~/."})
#: A host name of three labels or more (``app-prod-01.dc1.example.net``), with its port or not
#: (``kafka-01.dc1.example.net:9092``), broken as a URL is.
_HOST = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]+(?:\.[0-9A-Za-z][0-9A-Za-z-]+){2,}(?::[0-9]+)?")
#: A Windows path: a drive (``D:\``) or two backslashes or more.
_DRIVE = re.compile(r"[A-Za-z]:\\")


def no_start(level: str) -> frozenset[str]:
    """Marks that may not start a line at ``level`` (``"basic"`` or ``"strict"``; clreq LINE_START_END)."""
    return NO_START_STRICT if level == "strict" else NO_START_BASIC


def no_end(level: str) -> frozenset[str]:
    """Marks that may not end a line at ``level``: the opening marks, at both levels (clreq LINE_START_END)."""
    return NO_END


def may_break_between(before: str, after: str, level: str) -> bool:
    """Whether a line may break between the characters ``before`` and ``after`` (kinsoku only).

    Units (:func:`tokens`) are the caller's concern; this answers for the prohibited classes alone.
    """
    return after not in no_start(level) and before not in no_end(level)


def tokens(text: str, code: bool = False) -> Iterator[tuple[str, str]]:
    """Split text into (kind, piece): 'dash', 'word', 'piece', 'space', 'char', or 'chars' (a run
    of characters each of which is a unit of its own, such as Han text). clreq UNBREAKABLE.

    A 'piece' is part of a URL, an e-mail address, a host name or a path (:func:`_address`: two
    ``/`` or ``\\`` or more, counting the marks it starts with, or a drive: ``/var/log/app.log``,
    ``~/.config/zhengji``, ``D:\\Tools``; ``GB/T`` stays whole), a line may break after
    (:func:`split_url`). The marks a path starts with belong to its first piece: a line never
    ends on ``应检查/`` with ``var/`` starting the next. (Not after a hyphen in other words:
    pdftotext and other extractors join a line ending in ``-`` to the next without it,
    ``python-`` | ``docx`` reading back as ``pythondocx``.)
    ``code``: the text is code, whose URLs and paths break after a hyphen (:func:`split_url`),
    and whose words are given out in the parts :func:`code_breaks` cuts them into, a line may end
    between (``kube-`` | ``system``), as LibreOffice ends a line of code there.
    """
    held = ""  # the last 'chars' token, given out once the word after it is known
    for m in _UNIT.finditer(text):
        kind = m.lastgroup or "char"
        piece = m.group(kind)
        head = _PATH_HEAD.search(held) if kind == "word" and held else None
        if head is not None and (head.group() in _PATH_OPENERS or _address(head.group() + piece)):
            held, piece = held[: head.start()], head.group() + piece
        if held:
            yield "chars", held
            held = ""
        if kind == "chars":
            held = piece
        elif kind == "word" and _address(piece):
            parts = split_url(piece, code)
            yield from (
                ("piece", p) for p in (_split(piece, _ends(parts) | set(code_breaks(piece))) if code else parts)
            )
        elif kind == "word" and code:
            yield from (("word", p) for p in _split(piece, set(code_breaks(piece))))
        elif kind == "word" and piece[-1] in ".,:" and len(piece) > 1:  # sentence punctuation after a word
            yield "word", piece[:-1]
            yield "char", piece[-1]
        else:
            yield kind, piece
    if held:
        yield "chars", held


def _ends(parts: list[str]) -> set[int]:
    """The offsets in the text ``parts`` were cut from where each part but the last ends."""
    ends, at = set(), 0
    for part in parts[:-1]:
        at += len(part)
        ends.add(at)
    return ends


def _split(text: str, cuts: set[int]) -> list[str]:
    """``text`` cut at the offsets ``cuts``."""
    bounds = [0, *sorted(cuts), len(text)]
    return [text[a:z] for a, z in zip(bounds, bounds[1:], strict=False) if z > a]


def _address(word: str) -> bool:
    """Whether ``word`` is a URL, a path (two ``/`` or ``\\`` or more, or a drive), an e-mail
    address or a host name: a word broken at its pieces (:func:`split_url`)."""
    if _URL.match(word) or word.count("/") >= 2 or word.count("\\") >= 2 or _DRIVE.match(word):
        return True
    if _EMAIL.fullmatch(word):
        return True
    return bool(_HOST.fullmatch(word)) and word.split(":")[0].rsplit(".", 1)[-1].isalpha()


ELLIPSIS = "……"  # 省略号: two U+2026 HORIZONTAL ELLIPSIS, six dots in two ems (GB/T 15834-2011 §4.11)
# Marks and spaces a shortened text does not end on before its 省略号 (，…… or 《……).
_BEFORE_ELLIPSIS = frozenset(" \t\u3000，、；：。．,;:") | NO_END


def shortened(text: str, fits: Callable[[str], bool], level: str, words: set[int] | None = None) -> str:
    """``text`` when ``fits(text)``; else the longest beginning of it that, followed by a 省略号 ……
    (:data:`ELLIPSIS`), fits: cut where a line may break (a whole unit of :func:`tokens`, a word or
    a dash kept whole, clreq UNBREAKABLE; :func:`may_break_between` at ``level``, clreq
    LINE_START_END), without the spaces, pause marks and opening marks it would end on; the
    ellipsis alone when no beginning fits, "" when even that does not. ``fits`` says whether a
    string fits the measure (the caller measures with its own faces). ``words``: the offsets where
    the text's words start (:func:`~zhengji_publish.typeset.words.word_starts`); a cut there is
    taken first, so a word is not left half (``——来……``), unless no such cut keeps a beginning.
    """
    if fits(text):
        return text
    cuts: list[int] = []
    at = 0
    for _kind, piece in tokens(text):
        units = list(piece) if _kind == "chars" else [piece]
        for unit in units:
            at += len(unit)
            if at < len(text) and may_break_between(text[at - 1], text[at], level):
                cuts.append(at)
    firsts = [c for c in cuts if words is not None and c in words]
    for cut in [*reversed(firsts), *reversed(cuts)]:
        head = text[:cut]
        while head and head[-1] in _BEFORE_ELLIPSIS:
            head = head[:-1]
        if head and fits(head + ELLIPSIS):
            return head + ELLIPSIS
    return ELLIPSIS if fits(ELLIPSIS) else ""


WORD_JOINER = "\u2060"
_NO_START = "".join(sorted(NO_START_BASIC)).replace("]", "\\]").replace("-", "\\-").replace("^", "\\^")
_DASH_UNIT = re.compile(r"[—⸺]{2,}(?=[" + _NO_START + "])")
_DOTS_UNIT = re.compile(r"…{2,}|⋯{2,}")
#: A unit never set on two lines as :func:`join_units` leaves it: a 省略号, two or more … (or ⋯)
#: with a word joiner between each two, or a 破折号, two or more — (or ⸺) with the joiner after it.
JOINED_UNITS = re.compile("…(?:" + WORD_JOINER + "?…)+|⋯(?:" + WORD_JOINER + "?⋯)+|[—⸺]{2,}" + WORD_JOINER + "?")


#: Where a line breaker may break inside a word the PDF sets whole (UAX #14 lets LibreOffice 7.4
#: break after a hyphen or a slash: ``0731-`` | ``84562200``).
_JOINED_MARKS = "-/\\"
_WORD_INNER_BREAK = re.compile(r"(?<=[0-9A-Za-z])[" + re.escape(_JOINED_MARKS) + r"](?=[0-9A-Za-z])")


def word_joins(word: str) -> list[int]:
    """The offsets inside ``word`` (a :func:`tokens` ``word``) after which :func:`join_words` puts a
    word joiner: after each hyphen, slash or backslash between two letters or digits (``Wan-`` |
    ``Tai``). The PDF's shaping kerns no pair across these offsets, as LibreOffice kerns none across
    the joiner."""
    return [m.end() for m in _WORD_INNER_BREAK.finditer(word)]


def join_words(text: str) -> str:
    """``text`` with a word joiner (:data:`WORD_JOINER`) after each hyphen or slash inside a Latin
    word or number (:func:`tokens`' ``word``: ``0731-84562200``, ``COVID-19``, ``TCP/IP``) or
    after a subscript or superscript (``NH₃-N``, ``m²/s``), which the PDF never breaks; after each
    hyphen of a URL's, path's or address's pieces (``piece``), which it breaks before a hyphen,
    not after (:func:`split_url`); and after the ``/`` a path starts with. For the DOCX:
    LibreOffice broke ``拨打0731-`` | ``84562200`` where the PDF carried the whole number down,
    ``氨氮NH₃-`` | ``N`` and ``应检查/`` | ``var/log``, and would break ``fastgate-`` | ``server``
    where the PDF breaks ``fastgate`` | ``-server``. :func:`unjoin_units` takes the joiners out
    again."""
    if not any(mark in text for mark in _JOINED_MARKS):
        return text
    joined = "".join(
        _WORD_INNER_BREAK.sub(lambda m: m.group() + WORD_JOINER, piece)
        if kind == "word"
        else _PIECE_INNER_BREAK.sub(lambda m: m.group() + WORD_JOINER, piece)
        if kind == "piece"
        else piece
        for kind, piece in tokens(text)
    )
    return _SCRIPT_INNER_BREAK.sub(lambda m: m.group() + WORD_JOINER, joined)


#: A hyphen or slash after a subscript or superscript before a Latin letter or digit (``NH₃-N``,
#: ``m²/s``), which the PDF sets as one word and LibreOffice broke after (``氨氮NH₃-`` | ``N``).
_SCRIPT_INNER_BREAK = re.compile(r"(?<=[\u00B2\u00B3\u00B9\u2070-\u209F])[-/](?=[0-9A-Za-z\u00C0-\u024F])")
#: A hyphen inside a URL's or path's piece, and the ``/`` a path starts with (LibreOffice broke
#: ``应检查/`` | ``var/log``) (:func:`join_words`). (After Han text LibreOffice 7.4 breaks
#: ``~`` | ``/.config``, ``见.`` | ``/config`` and ``上传至\\`` | ``fileserver01\\`` whatever joins
#: them, the PDF ``查`` | ``~/.config``, ``配置`` | ``见./config`` and ``上传至`` |
#: ``\\fileserver01\\``: measured, not mended.)
_PIECE_INNER_BREAK = re.compile(r"-(?=[0-9A-Za-z])|^/(?=[0-9A-Za-z])")


def join_units(text: str) -> str:
    """``text`` with ``——`` and ``……`` (clreq UNBREAKABLE) marked unbreakable with WORD JOINERs
    (U+2060, UAX #14 class WJ: no break on either side; invisible, with no width), for renderers
    whose line breakers would split them:

    - ``……``, ``⋯⋯``: a joiner between the marks (Word keeps them together). LibreOffice 7.4 splits
      them all the same wherever a line is full after the first mark: its CJK line breaker ignores
      joiners; the language of their run keeps them together there
      (:func:`zhengji_publish.writers.docx.styles.ellipsis`).
    - ``——``, ``⸺⸺``: nothing between the marks — a joiner there keeps LibreOffice 7.4 from
      shaping the two as the font's one unbroken rule (it draws two dashes with a gap) and does not
      stop it splitting them — and a joiner after them when a mark that may not start a line
      follows (:data:`NO_START_BASIC`): keeping that mark off the next line's start, LibreOffice
      otherwise breaks between the dashes. Measured at every place on a line, LibreOffice's PDF
      of a DOCX: with this it never splits them.

    :func:`unjoin_units` takes the joiners out again.
    """
    if "—" in text or "⸺" in text:
        text = _DASH_UNIT.sub(lambda m: m.group() + WORD_JOINER, text)
    if "…" in text or "⋯" in text:
        text = _DOTS_UNIT.sub(lambda m: WORD_JOINER.join(m.group()), text)
    return text


def unjoin_units(text: str) -> str:
    """``text`` without the word joiners :func:`join_units` put into ``……`` and after ``——``, the
    DOCX writer before ``——`` (and earlier versions between the marks of ``——``) and between the
    characters of a short last line (:func:`~zhengji_publish.writers.docx.body.kept_whole`), and
    the zero-width spaces the DOCX writer puts where the PDF breaks a line LibreOffice would not
    (:data:`WORD_BREAK`) and in a Han–Latin gap it sets itself (:func:`han_latin_gap`;
    :func:`~zhengji_publish.writers.docx.compression.untyped_gap`): a DOCX read back gives the
    text as written. (Every word joiner goes: the PDF sets none, and a source has no use for one.)"""
    if WORD_BREAK in text:
        text = _WORD_BREAK_MADE.sub("", text)
        text = _WORD_BREAK_GAP.sub(lambda m: "" if han_latin_gap(*m.groups()) else m.group(), text)
    return text.replace(WORD_JOINER, "")


#: The break opportunity the DOCX writer puts where the PDF breaks a line and LibreOffice 7.4
#: finds no break (measured): inside a URL, between :func:`tokens`' pieces (UAX #14 finds none
#: inside a URL's name either: LB29, no break between ``.`` and a letter), after a Chinese
#: closing or pause mark before a Latin letter or digit, and before an opening quotation mark
#: (:func:`hidden_break`: ``地址，|0.8%``, ``增长7.6%。|“以旧换新”``). Without it LibreOffice ends
#: the line before the whole word and spreads the line out. ZERO WIDTH SPACE (U+200B, UAX #14
#: class ZW: a break is allowed after it; no width).
WORD_BREAK = "\u200b"
#: The opening quotation marks LibreOffice 7.4 keeps to what stands before them when that is Latin
#: text, a number or a mark after one (UAX #14 LB19: no break before a quotation mark, class QU):
#: ``7.6%。“``, ``GDP“``, ``》“`` after ``GB/T 9704``; after Han text it breaks there.
_QUOTES_OPENING = "“‘"
_WORD_BREAK_GAP = re.compile("(?<=(.))" + WORD_BREAK + "(?=(.))")
_WORD_BREAK_MADE = re.compile(
    "(?<=["
    + re.escape("".join(sorted(_URL_BREAK_AFTER | CLOSING)))
    + "])"
    + WORD_BREAK
    + "(?=[!-~])|"
    + WORD_BREAK
    + "(?=["
    + _QUOTES_OPENING
    + "/])|(?<=[0-9A-Za-z])"
    + WORD_BREAK
    + "(?=-)|(?<=[0-9A-Za-z])"
    + WORD_BREAK
    + "(?=["
    + re.escape("".join(sorted(OPENING)))
    + "])"
)


def hidden_break(before: str, after: str) -> bool:
    """Whether a line break between the characters ``before`` and ``after`` is one LibreOffice 7.4
    may not find and the DOCX marks (:data:`WORD_BREAK`): after a Chinese closing or pause mark
    (:data:`CLOSING`) before a Latin letter or digit, after a Latin letter or digit before a
    Chinese opening bracket (:data:`OPENING`: ``280 EFLOPS`` | ``（FP16）``, ``config.toml`` |
    ``（Windows）``, which LibreOffice keeps together), and before an opening quotation mark
    (:data:`_QUOTES_OPENING`; marked whatever stands before it, as a break there is the PDF's),
    and before the ``/`` a path starts with (UAX #14 LB13: no break before ``/``, class SY:
    LibreOffice broke ``应检`` | ``查/var/log/…`` where the PDF broke ``应检查`` | ``/var/log/…``)."""
    latin = before.isascii() and before.isalnum()
    return (
        (before in CLOSING and after.isascii() and after.isalnum())
        or (latin and after in OPENING)
        or after in _QUOTES_OPENING
        or after in _PATH_STARTS
    )


#: What a path's first piece may start with (:data:`_PATH_HEAD`) that LibreOffice breaks no line before.
_PATH_STARTS = "/"


def split_url(url: str, code: bool = False) -> list[str]:
    """A URL, a path, a host name or an e-mail address in the pieces a line may break between:
    after ``/ \\ . ? & = _ # @``, before ``-`` (a line ending in ``-`` reads back as a hyphenated
    word, :func:`overlong_cuts`), never
    between two such marks (``://``, ``/-/`` stay whole), never inside a number (``2026-11``,
    ``v1.2``: :func:`in_number`) and never leaving a piece without a letter or digit (``/`` |
    ``var`` is one piece, ``/var/``). The Chicago Manual of Style (17th ed., §6.17) breaks a URL
    so, without adding a hyphen. In ``code`` after a hyphen, as UAX #14 and LibreOffice break it:
    the DOCX puts no joiner into code (copied, it must run as typed) to keep LibreOffice from it."""
    out: list[str] = []
    start = 0
    after, before = _URL_BREAK_AFTER, _URL_BREAK_BEFORE
    if code:
        after, before = after | before, frozenset()
    for cut in _cuts(url, after, before):
        if in_number(cut, url) or not any(ch.isalnum() for ch in url[start:cut]):
            continue
        out.append(url[start:cut])
        start = cut
    if out and not any(ch.isalnum() for ch in url[start:]):
        out[-1] += url[start:]
    else:
        out.append(url[start:])
    return out


#: Where LibreOffice 7.4 breaks a line of code between two characters typed with no space
#: (:func:`code_break`): after a hyphen (UAX #14 class HY), ``!`` or ``?`` (EX), ``|`` (BA) or
#: ``\\`` (SY in LibreOffice's own rules, ``i18npool/source/breakiterator/data/line.txt``; ``/``,
#: also SY there, was never broken after in a measurement)…
CODE_BREAK_AFTER = frozenset("-!?|\\")
_CODE_QUOTES = frozenset("\"'")  # UAX #14 QU: no break on either side (LB19)
_CODE_OPENING = frozenset("([{")  # OP: no break after (LB14)
_CODE_CLOSING = frozenset(")]}")  # CL: no break before (LB13)
_CODE_SEPARATORS = frozenset(".,:;")  # IS: no break before (LB13), a break after before OP (LB31)
#: …unless the next is one of these (LB13 × CL EX IS SY, LB19 × QU, LB21 × HY BA).
_CODE_NO_BREAK_BEFORE = frozenset("-|/\\.,:;!?") | _CODE_QUOTES | _CODE_CLOSING


def code_break(before: str, after: str) -> bool:
    """Whether a line of code may end between ``before`` (the text before the break; its last
    characters count) and ``after`` (the text after it; its first two count), neither a space,
    where LibreOffice 7.4 ends one: after ``- ! ? | \\`` (``--max-`` | ``retries``, ``kube-`` |
    ``system``, ``2026-`` | ``11``, ``!`` | ``=``, ``|`` | ``grep``) unless a closing bracket, a
    quote, ``- | / \\ . , : ; ! ?`` or a Chinese closing or pause mark comes next (UAX #14 LB13,
    LB19, LB21), or ``\\`` stands inside a number (``7\\\\2``, LB25); before ``%`` but in a number
    or after an opening bracket or a quote (``set PATH=`` | ``%PATH%``, ``date +`` | ``%F``); and
    before an opening bracket after a closing one, ``. , : ;``, ``$``, ``+`` or ``%`` (``$`` |
    ``{HOST}``, ``groupby("星期")`` | ``["日"]``, ``"text":`` | ``{"content"``) unless a number
    opens in it after ``$ + %`` (``$(1``, LB25). Measured with
    LibreOffice's layout of a code block, 48 pairs of marks before letters and digits. The DOCX
    puts nothing into code to keep LibreOffice from them (copied, code must run as typed), so the
    PDF breaks code there too."""
    if not before or not after:
        return False
    a, b = before[-1], after[0]
    if a in CODE_BREAK_AFTER:
        if b in _CODE_NO_BREAK_BEFORE or b.isspace() or (b in NO_START_BASIC and not b.isascii()):
            return False
        return not (a == "\\" and b.isdigit() and before.rstrip("\\/.,:;")[-1:].isdigit())
    if b in _CODE_OPENING:  # after a closing bracket, ``. , : ;`` (IS), ``$`` ``+`` (PR) or ``%``
        # (PO), but a number's
        return a in _CODE_CLOSING or a in _CODE_SEPARATORS or (a in "$+%" and not after[1:2].isdigit())
    if b == "%":  # PO: not inside a number (``5%``, ``1.5%``, LB25) nor after an opening or a quote
        number = a.isdigit() or (a in "/\\.,:;" and before[-2:-1].isdigit())
        return not number and a.isascii() and a not in _CODE_OPENING | _CODE_QUOTES
    return False


#: What no line of code ends after beside a Han character (UAX #14 LB19 QU ×, LB14 OP ×, LB24 PR
#: × ID): LibreOffice broke ``parse_dates=["日`` | ``期"]``, never after ``["`` nor before ``"]``.
_CODE_NO_BREAK_AFTER = _CODE_QUOTES | _CODE_OPENING | {"$", "+"}


def code_break_beside_han(before: str, after: str) -> bool:
    """Whether a line of code may end between the characters ``before`` and ``after``, one of them
    a Han character or a Chinese mark, as LibreOffice ends one (UAX #14 ID breaks on either side;
    ``行，`` | ``{df.shape[1]}``): not after a quote, an opening bracket, ``$`` or ``+``, nor
    before a quote, a closing bracket, ``- | / \\ . , : ; ! ?`` or ``%`` (LB13, LB19, LB21, LB23);
    the clreq rules for Chinese marks apply as well (:func:`may_break_between`)."""
    return before not in _CODE_NO_BREAK_AFTER and after not in _CODE_NO_BREAK_BEFORE and after != "%"


def code_breaks(word: str) -> list[int]:
    """The offsets inside ``word`` (code with no space in it) where :func:`code_break` lets a line
    end."""
    return [i for i in range(1, len(word)) if code_break(word[max(0, i - 8) : i], word[i : i + 2])]


def _cuts(word: str, after: frozenset[str], before: frozenset[str]) -> list[int]:
    """The offsets inside ``word`` after a character of ``after`` or before one of ``before``,
    never between two of either."""
    marks = after | before
    return [
        i
        for i in range(1, len(word))
        if (word[i - 1] in after or word[i] in before) and not (word[i - 1] in marks and word[i] in marks)
    ]


def in_number(cut: int, word: str) -> bool:
    """Whether a cut ``cut`` characters into ``word`` falls inside a number: between two digits,
    or at a mark between two (``3.`` | ``4.0``, ``03:15:`` | ``00``, ``2024-`` | ``09``)."""
    before, after = word[:cut].rstrip("./:-_,"), word[cut:].lstrip("./:-_,")
    gap = len(word) - len(before) - len(after)
    return gap <= 1 and before[-1:].isdigit() and after[:1].isdigit()


#: Where a word too long for a line is cut (:func:`overlong_cuts`): after these characters…
_OVERLONG_CUT_AFTER = frozenset("/.?&=_#:,;")
#: …and before these (a line ending in a hyphen reads as a hyphenated word: text extraction joins
#: the next line to it and drops the hyphen, ``--output-`` | ``dir`` reading ``--outputdir``).
_OVERLONG_CUT_BEFORE = frozenset("-~")


def overlong_cuts(word: str, code: bool = False) -> list[int]:
    """The offsets inside ``word`` (a Latin word, number, identifier or path) where a line may be
    cut when the word is wider than the line itself: after ``/ . ? & = _ # : , ;``, before ``-``
    and ``~``, never next to another of them (``://``, ``--`` stay whole), as the Chicago Manual of
    Style (17th ed., §6.17, §14.18) breaks a URL or an identifier with no hyphen added; CSS Text 3
    ``overflow-wrap: anywhere`` breaks any word that overflows the line. A cut there is taken
    before any other place inside the word; ``[]`` when the word has none. In ``code`` none
    before a hyphen: a line of code may end after one anyway (:func:`code_break`)."""
    return _cuts(word, _OVERLONG_CUT_AFTER, _OVERLONG_CUT_BEFORE - {"-"} if code else _OVERLONG_CUT_BEFORE)


# -- The same rules in the other formats' terms -----------------------------------------------------

# CSS Text 3 ``line-break``: ``strict`` keeps small kana, iteration marks, dashes and ellipses off
# the line start as clreq's strict level does; ``normal`` is the basic level.
_CSS_LINE_BREAK: dict[str, str] = {"strict": "strict", "basic": "normal"}


def css_line_break(level: str) -> str:
    """The CSS ``line-break`` value of a line-break level (clreq LINE_START_END)."""
    return _CSS_LINE_BREAK[level]


def css_text_spacing_trim(punctuation: str) -> str:
    """The CSS Text 4 ``text-spacing-trim`` value of a punctuation style.

    ``space-first`` trims the blank halves of adjacent and line-start marks (GB style, clreq
    ADJACENT_PUNCTUATION); ``space-all`` keeps every mark a full em (centred and grid styles).
    """
    return "space-first" if compresses(punctuation) else "space-all"


def kinsoku_lists(level: str) -> tuple[str, str]:
    """The prohibited classes as Word's custom kinsoku strings: (not at line start, not at line end).

    They are the values of ``w:noLineBreaksBefore`` and ``w:noLineBreaksAfter`` (ECMA-376 Part 1
    §17.15.1.59 and §17.15.1.58), in code point order so the same rules give the same bytes. Word
    reads at most 100 characters of the first (MS-OI29500 2.1.410); :class:`ValueError` if a list
    grows past that.
    """
    before = "".join(sorted(no_start(level)))
    after = "".join(sorted(no_end(level)))
    if len(before) > 100 or len(after) > 100:
        raise ValueError("a kinsoku list is longer than Word reads (100 characters)")
    return before, after


# The middle dot between the parts of a transliterated name (间隔号, GB/T 15834-2011 §4.14: 让·雅克)
# and the width it takes, centred, per region: a character's place in all three (the mainland's
# fonts draw U+00B7 one em wide in Chinese text; Taiwan and Hong Kong centre their marks in the em).
MIDDLE_DOTS: frozenset[str] = frozenset("·‧")
MIDDLE_DOT_WIDTH: dict[str, float] = {"SC": 1.0, "TC": 1.0, "HK": 1.0}

# -- Vertical writing (clreq "Vertical writing mode") -----------------------------------------------

VERTICAL_WRITING = CLREQ + "#vertical_writing_mode"


def upright_numbers(digits: int) -> re.Pattern[str]:
    """Numbers of 1 to ``digits`` digits standing alone (not part of a longer number, a decimal, a
    percentage or a Latin word): in vertical text each is set upright in one em (縱中橫,
    tate-chu-yoko, clreq VERTICAL_WRITING); longer runs lie turned with the Latin text. The number
    is the pattern's group 1."""
    return re.compile(rf"(?<![0-9A-Za-z.,])([0-9]{{1,{max(1, digits)}}})(?![0-9A-Za-z.,%])")
