"""Vertical pages (直排): the horizontal layout turned a quarter turn, Han characters set upright.

Vertical writing is horizontal writing turned (clreq "Vertical writing mode"): a column is a line
running top to bottom, and columns follow each other right to left. So the page is laid out by the
same machinery as a horizontal one — line breaking, justification, prohibitions, page breaks,
footnotes — on a *turned page* whose width is the page's height, and the canvas is turned a
quarter turn clockwise while it is drawn: the turned page's x runs down the real page, its y runs
right to left. Boxes measure CJK text by its vertical advances and draw each CJK glyph upright in
its cell in its vertical form (:meth:`zhengji_publish.typeset.boxes.BoxMaker._upright`); Latin
words and long numbers are drawn as they are, so they come out turned 90° clockwise, as vertical
books set them. Footnotes gather at the turned page's foot, the left end of the page.

The book is bound on the right and read right to left: the PDF says so to viewers with
``/ViewerPreferences /Direction /R2L`` (ISO 32000-1 §12.2, table 150). Odd pages are left-hand
pages, so the outer margin — where the running head (at the top) and the folio (at the foot) stand
as short columns — is on the left of odd pages and on the right of even ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from zhengji_publish.context import BuildContext
from zhengji_publish.style import BlockStyle, Style
from zhengji_publish.typeset.boxes import Box, BoxMaker, InlineStyle, Run
from zhengji_publish.typeset.linebreak import break_lines
from zhengji_publish.writers.pdf import backend
from zhengji_publish.writers.pdf.draw import ASCENT, FontNames, draw_cover, draw_line
from zhengji_publish.writers.pdf.heads import running_head

if TYPE_CHECKING:
    from zhengji_publish.writers.pdf.bookpages import BookPages

_CHINESE_DIGITS = "〇一二三四五六七八九"
_CHINESE_UNITS = "千百十"
NUMERALS = {"arabic": "0123456789", "chinese": _CHINESE_DIGITS + "十百千万零"}  # every character a number takes


def _counting(n: int) -> str:
    """``n`` (≥ 1) in the Chinese counting system: 十一, 一百零五, 一百一十, 一千零五."""
    if n >= 10000:
        high, low = divmod(n, 10000)
        return _counting(high) + "万" + ("零" if 0 < low < 1000 else "") + (_counting(low) if low else "")
    out, zero = "", False
    for digit, unit in zip(f"{n:04d}", (*_CHINESE_UNITS, ""), strict=True):
        if digit == "0":
            zero = bool(out)
            continue
        out += ("零" if zero else "") + _CHINESE_DIGITS[int(digit)] + unit
        zero = False
    return out[1:] if 10 <= n < 20 else out  # 十一, not 一十一


def page_number(n: int, numerals: str) -> str:
    """A folio or contents page number: ``arabic`` 105, or ``chinese`` 一百零五 in the Chinese
    counting system (〇 for 0), the form Word and LibreOffice give a page number of the format
    ``chineseCounting`` (ECMA-376 Part 1 §17.18.59 ST_NumberFormat), so the DOCX's folios and
    contents read as the PDF's."""
    if numerals == "chinese":
        return _counting(n) if n > 0 else _CHINESE_DIGITS[0]
    return str(n)


def turned_size(style: Style) -> tuple[float, float]:
    """Width and height (pt) of the turned page the layout works on: the page's height and width."""
    return style.page.height, style.page.width


def turn(canvas, style: Style) -> None:
    """Turn ``canvas`` so the turned page's (x, y) lands at the page's (y, height − x): the turned
    page's lines become columns top to bottom, its line order right to left. Saves the graphics
    state (:func:`unturn` restores it)."""
    canvas.saveState()
    canvas.translate(0, style.page.height)
    canvas.rotate(-90)


def unturn(canvas) -> None:
    """Undo :func:`turn`."""
    canvas.restoreState()


def frame_origin(style: Style, left: float) -> tuple[float, float]:
    """Lower left corner of the body frame on the turned page: the type area starts ``left`` from
    the page's top, and its turned bottom is the page's left margin."""
    return left, style.page.left


class Furniture:
    """Running head and folio of a vertical page, each a short column in the outer margin (left
    on odd pages, right on even ones): the head from the type area's top, the folio ending at its
    foot. Folios are in the style's numerals (``running.numerals``). In a book, which page carries
    which head and folio is :meth:`BookPages.furniture`'s to say, as on horizontal pages."""

    def __init__(self, ctx: BuildContext, maker: BoxMaker, fonts: FontNames, left: float, measure: float) -> None:
        style = ctx.style
        self.style, self.maker, self.fonts = style, maker, fonts
        self.left, self.measure = left, measure
        self.header_bs, self.footer_bs = style.block("header"), style.block("footer")
        self.header = self.head_boxes(style.header_text.replace("{title}", ctx.meta.title))
        self.folio_chars(NUMERALS[style.numerals])
        for digit in NUMERALS[style.numerals] + NUMERALS["arabic"]:  # contents page numbers, upright digits
            maker.boxes([Run(digit, self._style(style.block("body")))])
        self.notes: dict[int, Flowable] = {}  # footnotes by number, set at the foot of their page
        self.book: BookPages | None = None  # a book's folios and running heads
        self.heads: dict[str, list[Box]] = {}  # a book's running heads: the boxes of each opening's title
        cover = ctx.meta.cover if style.book_cover_page else None
        self.cover = cover if cover is not None and cover.data is not None else None

    def folio_chars(self, chars: str) -> None:
        """Make the folio glyphs of ``chars`` now, before the faces are subset: upright digits and
        vertical dashes are shaped glyphs the subset must hold (the folios are set page by page)."""
        for char in chars:
            self.maker.boxes([Run(self.style.folio.replace("{page}", char), self._style(self.footer_bs))])

    def head_boxes(self, title: str) -> list[Box]:
        """The boxes of a running head reading ``title``, shortened to the column
        (:func:`~zhengji_publish.writers.pdf.heads.running_head`): the head is one column, and a
        title longer than it lost its end with no mark of the cut."""
        style = self._style(self.header_bs)
        text = running_head(self.maker, style, self.measure, title) if title else ""
        return self.maker.boxes([Run(text, style)]) if text else []

    @staticmethod
    def _style(bs: BlockStyle) -> InlineStyle:
        return InlineStyle(role=bs.font, bold=bs.bold, size=bs.size, color=bs.color)

    def _column(self, canvas, boxes: list[Box], size: float, align: str, centre_x: float) -> None:
        """One short column of ``boxes`` with its em box centred on the page's ``centre_x``."""
        lines = break_lines(boxes, self.measure, 0.0, align)
        if lines:
            draw_line(canvas, lines[0], self.left, centre_x - (ASCENT - 0.5) * size, self.fonts)

    def start(self, canvas) -> None:
        """Begin a page: the reading direction and the cover picture on the first, then turn the
        canvas for the page's body and furniture (the page's end unturns it)."""
        page = self.style.page
        if canvas.getPageNumber() == 1:
            canvas.setViewerPreference("Direction", "R2L")
            if self.cover is not None:
                draw_cover(canvas, self.cover, page.width, page.height)
        turn(canvas, self.style)

    def draw(self, canvas, doc) -> None:
        """Draw the page's running head and folio on the turned canvas (:meth:`start`)."""
        style, page = self.style, self.style.page
        pno = canvas.getPageNumber()
        header, form = self.header if pno > 1 else [], page_number(pno, style.numerals)
        if pno == 1 and self.cover is not None:  # the cover page: the picture alone
            return
        if self.book is not None:
            shown = self.book.furniture(pno, backend.page_is_empty(doc))
            if shown is None:  # the title page, a blank verso
                return
            head, form = shown
            if self.header:  # the style's running head, the chapter's title on rectos
                header = self.header if head == self.book.title else self.heads.get(head, [])
        outer_left = pno % 2 == 1
        hs, fs = self.header_bs, self.footer_bs
        if header:
            x = page.left - 1.6 * hs.size if outer_left else page.width - page.right + 1.6 * hs.size
            self._column(canvas, header, hs.size, "left", x)
        form = style.folio.replace("{page}", form).strip()
        if form:
            folio = self.maker.boxes([Run(form, self._style(fs))])
            x = page.left - 1.6 * fs.size if outer_left else page.width - page.right + 1.6 * fs.size
            self._column(canvas, folio, fs.size, "right", x)


class UprightImage(Flowable):
    """A picture on a turned page, drawn upright: ``width`` × ``height`` pt on the real page, so
    it takes ``height`` along the column and ``width`` across the columns."""

    def __init__(self, source, width: float, height: float) -> None:
        super().__init__()
        self.source, self.image_width, self.image_height = source, width, height
        self.hAlign = "CENTER"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self.image_height, self.image_width
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.translate(self.image_height, 0)
        canvas.rotate(90)
        canvas.drawImage(ImageReader(self.source), 0, 0, self.image_width, self.image_height, mask="auto")
        canvas.restoreState()
