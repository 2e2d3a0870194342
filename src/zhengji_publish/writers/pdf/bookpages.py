"""A book's pages in the PDF: openings on a new (right-hand) page, blank versos, folios, running heads.

A book (:mod:`zhengji_publish.book`) is one tree whose parts, chapters and front-matter pages are
opening divs. Each opening starts with an :class:`Opening` flowable: it ends the page (none on a
page still empty) and, where the style's ``book.recto`` asks, one more, so the opening falls on an
odd, right-hand page; the verso left blank carries neither running head nor folio. The
:class:`BookPages` it reports to know, page by page, what the furniture shows:

- folios: the pages before the first part or chapter (title, contents, preface) are numbered as
  the style's ``book.front-folio`` says (``roman`` i ii iii, ``chinese`` 〔一〕〔二〕, ``arabic``
  on with the physical page); the body is numbered from 1 on its first page, without a break, in
  the style's ``running.numerals`` (1 2 3, or 一 二 三);
- running heads: the book's title on even (verso) pages, the title of the chapter in force on odd
  (recto) pages; none on the title page, on an opening page or on a blank page;
- neither running head nor folio on the cover page, the title page or a blank verso.

:meth:`BookPages.furniture` decides this for horizontal and vertical pages alike: the horizontal
furniture (:mod:`.layout`) and the vertical one (:mod:`.vertical`) only draw what it gives. A
vertical book is bound on the right, so its odd pages are its left-hand pages, but they are still
its rectos (the first page of each leaf): its openings fall on odd pages too.
"""

from __future__ import annotations

import bisect

from reportlab.platypus import PageBreak
from reportlab.platypus.doctemplate import FrameActionFlowable

from zhengji_publish.headings import chinese_numeral
from zhengji_publish.writers.pdf import backend
from zhengji_publish.writers.pdf.vertical import page_number

# Characters the front-matter folios may use (added to the footer's font subset).
FOLIO_CHARS = "ivxlcdm〔〕〇一二三四五六七八九十百"


def roman(n: int) -> str:
    """Lower-case Roman numeral of ``n`` ≥ 1 (``4`` → ``iv``)."""
    out = []
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


class BookPages:
    """Where the openings of a book land, and what each page's folio and running head are.

    ``recto``: openings start on odd pages; ``front_folio``: ``roman`` | ``chinese`` | ``arabic``;
    ``title``: the book's title, the running head of versos; ``numerals``: the body's folios,
    ``arabic`` | ``chinese`` (style ``running.numerals``); ``title_page``: the title page's page
    (2 after a cover page). Pages are 1-based physical pages.
    """

    def __init__(
        self, recto: bool, front_folio: str, title: str, numerals: str = "arabic", title_page: int = 1
    ) -> None:
        self.recto, self.front_folio, self.title = recto, front_folio, title
        self.numerals, self.title_page = numerals, title_page
        self.reset()

    def reset(self) -> None:
        """Forget the last layout (called before each pass)."""
        self.body_start: int | None = None
        self.starts: list[int] = []  # pages an opening lands on, in order
        self.titles: list[str] = []  # the title of each opening, as ``starts``

    def opened(self, page: int, kind: str, title: str) -> None:
        """An opening of class ``kind`` (part, chapter, front) landed on ``page``."""
        if kind != "front" and self.body_start is None:
            self.body_start = page
        self.starts.append(page)
        self.titles.append(title)

    def folio(self, page: int) -> str:
        """The folio of physical ``page``: body pages count from 1, front matter as the style says
        (``arabic``: the physical page), both in the style's numerals."""
        if self.body_start is not None and page >= self.body_start:
            return page_number(page - self.body_start + 1, self.numerals)
        if self.front_folio == "roman":
            return roman(page)
        if self.front_folio == "chinese":
            return f"〔{chinese_numeral(page)}〕"
        return page_number(page, self.numerals)

    def is_opening(self, page: int) -> bool:
        """Whether an opening lands on ``page``."""
        i = bisect.bisect_left(self.starts, page)
        return i < len(self.starts) and self.starts[i] == page

    def running_head(self, page: int) -> str:
        """The running head of ``page``: "" on the cover and title pages and opening pages, else the
        book's title on even pages and the title of the chapter in force on odd ones."""
        if page <= self.title_page or self.is_opening(page):
            return ""
        if page % 2 == 0:
            return self.title
        i = bisect.bisect_right(self.starts, page) - 1
        return self.titles[i] if i >= 0 else self.title

    def furniture(self, page: int, blank: bool) -> tuple[str, str] | None:
        """(running head, folio) of ``page``, the head "" where there is none; None for a page that
        carries neither: the cover and title pages and a ``blank`` page (a verso left blank before
        a right-hand opening)."""
        if blank or page <= self.title_page:
            return None
        return self.running_head(page), self.folio(page)


class Opening(FrameActionFlowable):
    """Starts a part, chapter or front-matter page: on a new page, a right-hand one if ``recto``.

    Acts when the frame reaches it (no size of its own): a page break unless the page is still
    empty, one more when that would leave the opening on an even page; then it reports where the
    opening landed to ``pages``.
    """

    _ZEROSIZE = True
    width = height = 0
    locChanger = 1  # it may change the page

    def __init__(self, pages: BookPages, kind: str, title: str) -> None:
        self.pages, self.kind, self.title = pages, kind, title

    def frameAction(self, frame) -> None:  # noqa: N802 (reportlab's hook name)
        page = self.canv.getPageNumber()
        top = backend.at_top(frame)
        landing = page if top else page + 1
        breaks = 0 if top else 1
        if self.pages.recto and landing % 2 == 0:
            breaks += 1
            landing += 1
        frame.add_generated_content(*[PageBreak() for _ in range(breaks)], _Landed(self))


class _Landed(FrameActionFlowable):
    """Tells the book where its opening landed, once the breaks before it are done."""

    _ZEROSIZE = True
    width = height = 0

    def __init__(self, opening: Opening) -> None:
        self.opening = opening

    def frameAction(self, frame) -> None:  # noqa: N802 (reportlab's hook name)
        o = self.opening
        o.pages.opened(self.canv.getPageNumber(), o.kind, o.title)
