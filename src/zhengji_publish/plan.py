"""The publication plan: every policy decision of one edition, made once before any writer runs.

Style, edition and front matter each have a say in how a document is published: the style asks
for ``punctuation: auto``, the edition is traditional, the front matter turns contents on. Those
are resolved here, once per edition, into typed values with no ``auto`` left; the PDF, DOCX and
EPUB writers only render the :class:`Plan` they are given, so the same decision reaches all three.

What the plan decides, and where each rule comes from:

- punctuation style (:class:`Punctuation`) — clreq §3.1 "Line Composition Rules for Punctuation
  Marks" and "Punctuation Adjustment" (https://www.w3.org/TR/clreq/#punctuation_adjustment);
- emphasis (:class:`Emphasis`) — clreq "Emphasis" (着重号), GB/T 15834-2011 §4.12;
- quotation marks per format (:class:`Quotes`) — GB/T 15834-2011 §4.8 and clreq "Quotation marks":
  curly quotes in horizontal mainland text, corner brackets in Taiwan, Hong Kong and vertical text;
- line-break level (:class:`LineBreak`) — clreq "Prohibition Rules for Line Start and Line End";
- vertical writing (直排) in every format — clreq "Vertical writing mode";
- the contents (:class:`Contents`), every fixed word a writer prints (:class:`Wording`) in the
  edition's script, and the language tag each format writes (:class:`Languages`).

Block typography (sizes, fonts, margins) is layout, not policy: it stays on :class:`~zhengji_publish.style.Style`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from zhengji_publish import editions
from zhengji_publish import model as m
from zhengji_publish import quotes as quote_marks
from zhengji_publish.conversion import convert_text
from zhengji_publish.diagnostics import Reporter
from zhengji_publish.style import Style
from zhengji_publish.typeset import rules

__all__ = [
    "FORMATS",
    "Contents",
    "Emphasis",
    "Format",
    "Languages",
    "LineBreak",
    "Plan",
    "Punctuation",
    "Quotes",
    "Wording",
    "localize",
    "make_plan",
    "resolve_punctuation",
]

Format = Literal["pdf", "docx", "epub"]
FORMATS: tuple[Format, ...] = ("pdf", "docx", "epub")


class Punctuation(str, Enum):
    """How full-width punctuation sits in its character frame and whether it is compressed.

    The three styles clreq names (§3.1, https://www.w3.org/TR/clreq/#punctuation_adjustment):

    - ``GB_COMPRESSED`` (``gb``): mainland China. Marks sit in the corner of the frame nearest the
      preceding text, and two marks in a row (：“ 。」) are compressed to one and a half em, as
      are marks at a line's start or end (标点挤压, clreq "Punctuation Adjustment").
    - ``CENTRED`` (``centred``): Taiwan and Hong Kong. Marks are centred in the frame and every mark
      keeps its full em: nothing is compressed.
    - ``FULL_CELL`` (``grid``): a strict character grid (稿纸/公文 layout). Every mark takes one
      full cell as written, and nothing is compressed.
    """

    GB_COMPRESSED = "gb"
    CENTRED = "centred"
    FULL_CELL = "grid"

    @property
    def compressed(self) -> bool:
        """Whether adjacent and line-edge punctuation is compressed (DOCX: the PDF's compression
        carried in the runs, :mod:`~zhengji_publish.writers.docx.compression`, or
        ``compressPunctuation`` in vertical text; CSS ``text-spacing-trim: space-first``); only the
        GB style compresses."""
        return rules.compresses(self.value)


class Emphasis(str, Enum):
    """How ``*emphasis*`` is set: Chinese has no italics (clreq "Emphasis"; GB/T 15834-2011 §4.12).

    ``KAI`` sets its East Asian characters in 楷体 and leaves Latin letters and digits in the face of
    the text around it (:func:`zhengji_publish.text.is_east_asian`; the DOCX's ``Emphasis`` style
    names 楷体 in ``w:eastAsia`` only), ``DOTS`` puts emphasis dots (着重号) under each character,
    ``BOLD`` sets it bold.
    """

    KAI = "kai"
    DOTS = "dots"
    BOLD = "bold"


class Quotes(str, Enum):
    """The quotation marks one output carries; never ``auto``.

    ``AS_WRITTEN`` (``keep``) keeps the source's marks: “ ” and ‘ ’ as in mainland horizontal text
    (GB/T 15834-2011 §4.8). ``CORNER`` (``corner``) turns them into 「」 outside and 『』 inside, paired
    across a whole paragraph by :func:`zhengji_publish.quotes.corner_quotes`: the marks of Taiwan
    and Hong Kong, and of vertical text everywhere (clreq "Quotation marks": curly quotes are for
    horizontal text, corner brackets for vertical).
    """

    AS_WRITTEN = "keep"
    CORNER = "corner"


class LineBreak(str, Enum):
    """Which prohibition rules (禁则) line breaking applies: clreq "Prohibition Rules for Line
    Start and Line End" (sets in :mod:`zhengji_publish.typeset.rules`). ``BASIC`` keeps closing
    marks and pauses off a line's start and opening marks off its end; ``STRICT`` also keeps dashes,
    ellipses and iteration marks off a line's start. The EPUB writes them as CSS ``line-break:
    normal`` and ``strict``."""

    BASIC = "basic"
    STRICT = "strict"


@dataclass(frozen=True)
class Contents:
    """The table of contents: whether there is one, the heading levels it lists and its title.

    ``enabled`` is the front matter's ``toc`` when it says true or false, else the style's
    ``toc.enabled``; ``depth`` lists headings of levels 1 to ``depth``; ``title`` is the style's
    ``toc.title`` already in the edition's script (目录 → 目錄).
    """

    enabled: bool
    depth: int
    title: str


@dataclass(frozen=True)
class Wording:
    """Every fixed word a writer prints, in the edition's script (written simplified, converted
    with OpenCC's regional config for traditional editions). The contents title is
    :attr:`Contents.title`.

    ``cover_alt`` and ``date`` are ``str.format`` templates (``{title}``; ``{year}``, ``{month}``,
    ``{day}``); :meth:`date_text` fills the latter.
    """

    cover: str = "封面"  # the EPUB cover page's title and landmark
    cover_alt: str = "封面：{title}"  # the cover image's alternative text
    body: str = "正文"  # the EPUB landmark of the text, and the title of an untitled chapter
    landmarks: str = "地标"  # the EPUB nav's landmarks heading
    summary: str = "本书以文字为主，提供结构化导航、目录和符合逻辑的阅读顺序{images}。"  # schema:accessibilitySummary
    summary_images: str = "，图片均附有替代文字"  # the summary's clause when the book has images
    attachment: str = "附件"  # 公文 attachment label (GB/T 9704)
    # a 公文's other printed labels (GB/T 9704-2012 §7.2.6 签发人, §7.3.4 附件说明, §7.4.2 抄送机关,
    # §7.4.3 印发机关和印发日期, §10.3 纪要's 出席/请假/列席)
    signer: str = "签发人："
    attachments: str = "附件："
    copies_to: str = "抄送："
    printed: str = "印发"
    present: str = "出席"
    absent: str = "请假"
    attending: str = "列席"
    figure: str = "图"  # figure label
    table: str = "表"  # table label
    note: str = "注"  # note label
    date: str = "{year}年{month}月{day}日"  # a date as printed on the title page and the cover

    def date_text(self, date: dt.date | None) -> str:
        """``date`` as printed (2026年3月16日), or '' when there is none."""
        return self.date.format(year=date.year, month=date.month, day=date.day) if date else ""


@dataclass(frozen=True)
class Languages:
    """The language tag each format writes for the edition (BCP 47 unless said otherwise).

    ``pdf``: the document catalog's ``/Lang`` (ISO 32000-1 §14.9.2). ``docx``: ``w:lang/@w:eastAsia``
    and ``w:themeFontLang/@w:eastAsia`` (ECMA-376 §17.3.2.20, Word's own region tags zh-CN, zh-TW,
    zh-HK). ``docx_core``: ``dc:language`` of the core properties. ``epub``: the OPF's
    ``dc:language`` and every content document's ``xml:lang``. ``docx_kinsoku``: the language of
    Word's custom line-break lists (``w:noLineBreaksBefore/@w:lang``, ECMA-376 §17.15.1.58): Word
    keeps one list for Simplified and one for Traditional Chinese, so Hong Kong uses zh-TW.
    ``docx_dots``: ``w:lang/@w:eastAsia`` of the runs holding a 省略号 ``……`` (zh-Hans, zh-Hant:
    the language and its script, no region; see :func:`~zhengji_publish.writers.docx.styles.ellipsis`
    for why).
    """

    pdf: str
    docx: str
    docx_core: str
    epub: str
    docx_kinsoku: str
    docx_dots: str


@dataclass(frozen=True)
class Plan:
    """Every policy decision for one edition, resolved before any writer runs.

    ``quotes`` maps each format to its quotation marks (vertical text takes corner brackets, see
    :class:`Quotes`). ``vertical`` says whether the edition is set top to bottom in columns right to
    left (clreq "Vertical writing mode"), in every format. ``heading_numbers`` are the number
    patterns of heading levels 1–6 (``""``: not numbered; GB/T 9704-2012 §7.3.3 for 公文), applied
    by :func:`zhengji_publish.headings.number_headings` to the tree all writers share.
    ``straight_quotes`` says whether straight ASCII quotes in Chinese text are paired into curly
    ones before the marks above are applied (style ``text.quotes`` other than ``keep``; GB/T
    15834-2011 §4.8: Chinese text takes full-width quotation marks).
    """

    edition: str  # the edition's BCP 47 tag (zh-Hans, zh-Hant-TW …)
    punctuation: Punctuation
    emphasis: Emphasis
    line_break: LineBreak
    quotes: tuple[tuple[Format, Quotes], ...]
    vertical: bool
    contents: Contents
    wording: Wording
    languages: Languages
    straight_quotes: bool = True
    heading_numbers: tuple[str, ...] = ("",) * 6

    def quotes_for(self, fmt: str) -> Quotes:
        """The quotation marks of ``fmt``'s output (pdf, docx, epub). Raises KeyError for another format."""
        for name, quotes in self.quotes:
            if name == fmt:
                return quotes
        raise KeyError(fmt)


def resolve_punctuation(setting: str, edition: editions.Edition) -> Punctuation:
    """The style's ``text.punctuation`` for ``edition``: ``auto`` is GB compressed for simplified
    editions and centred for traditional ones (clreq §3.1); ``gb``, ``centred`` and ``grid`` are
    taken as they are. Raises ValueError for any other value (the style loader admits none)."""
    if setting == "auto":
        return Punctuation.CENTRED if edition.traditional else Punctuation.GB_COMPRESSED
    return Punctuation(setting)


def localize(text: str, edition: editions.Edition) -> str:
    """Simplified-Chinese wording in ``edition``'s script: OpenCC ``s2tw`` (Taiwan and generic
    traditional) or ``s2hk`` (Hong Kong) for traditional editions, unchanged for zh-Hans."""
    if not edition.traditional:
        return text
    return convert_text(text, editions.configs_from_simplified(edition.tag))


def _wording(edition: editions.Edition) -> Wording:
    base = Wording()
    return Wording(**{name: localize(getattr(base, name), edition) for name in base.__dataclass_fields__})


def make_plan(
    style: Style,
    edition: editions.Edition,
    meta: m.Meta,
    formats: Iterable[str] = FORMATS,
    reporter: Reporter | None = None,
) -> Plan:
    """Resolve style + edition + front matter into the :class:`Plan` of one edition.

    - punctuation: the style's ``text.punctuation``, ``auto`` by edition (:func:`resolve_punctuation`);
    - quotes: ``text.quotes`` ``auto`` is corner brackets for traditional editions and the marks as
      written for zh-Hans, ``keep`` and ``corner`` are taken as they are; a vertical edition always
      gets corner brackets, also with ``keep``, because curly quotes are horizontal marks (clreq
      "Quotation marks": 弯引号用于横排、直角引号用于直排);
    - heading numbers: the style's ``h1``…``h6`` ``number`` patterns;
    - straight quotes: paired into curly ones unless ``text.quotes`` is ``keep``;
    - vertical: the style's ``text.direction`` (``epub.vertical: true`` is its older spelling), in
      every edition: a simplified vertical edition takes the mainland's vertical forms (，。 in the
      upper right of their cell, GB/T 15834-2011 §5.2 for vertical text), a traditional one those
      of its region;
    - contents: on when the front matter says ``toc: true``, off with ``toc: false``, else the
      style's ``toc.enabled``; its depth the style's ``toc.depth``, below a book's parts and
      chapters (:attr:`~zhengji_publish.model.Meta.book_levels`) when there are parts; its title and
      every fixed word in the edition's script (:func:`localize`).

    ``formats`` and ``reporter`` are kept for callers (every format follows the direction). Raises
    ValueError for a style value
    the style loader would have refused.
    """
    vertical = style.direction == "vertical"
    horizontal = Quotes.CORNER if quote_marks.wanted(style.quotes, edition.traditional) else Quotes.AS_WRITTEN
    quotes = tuple((fmt, Quotes.CORNER if vertical else horizontal) for fmt in FORMATS)
    return Plan(
        edition=edition.tag,
        punctuation=resolve_punctuation(style.punctuation, edition),
        emphasis=Emphasis(style.emphasis),
        line_break=LineBreak(style.line_break),
        quotes=quotes,
        straight_quotes=quote_marks.pairs_straight_quotes(style.quotes),
        heading_numbers=style.heading_numbers,
        vertical=vertical,
        contents=Contents(
            enabled=meta.toc if meta.toc is not None else style.toc,
            depth=min(6, style.toc_depth + max(meta.book_levels - 1, 0)),
            title=localize(style.toc_title, edition),
        ),
        wording=_wording(edition),
        languages=Languages(
            pdf=edition.lang,
            docx=edition.word_lang,
            docx_core=edition.lang,
            epub=edition.lang,
            docx_kinsoku="zh-TW" if edition.traditional else "zh-CN",
            docx_dots="zh-Hant" if edition.traditional else "zh-Hans",
        ),
    )
