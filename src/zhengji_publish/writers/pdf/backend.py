"""Everything the PDF writer takes from reportlab beyond its public platypus API.

The layout (:mod:`.layout`) and the drawing (:mod:`.draw`) use reportlab's public flowables,
page templates and canvas methods, and this module for the rest: reportlab's private attributes
(the canvas's PDF document and operator list, the frame's geometry, the document's time stamp, the
contents of ``KeepTogether`` groups and tables, a registered font's face name) and its global
configuration. Those are not promised to stay, so the versions they were checked against are
named here (:data:`MIN_VERSION`, :data:`BELOW_VERSION`), pinned in ``pyproject.toml``, and checked
when this module is imported: another version stops the build with a message, not a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import reportlab
from packaging.version import InvalidVersion, Version

from zhengji_publish.diagnostics import UserError, error

MIN_VERSION = "4.2"  # the oldest reportlab this module was checked against
BELOW_VERSION = "5.2"  # the first reportlab it was not checked against


def supported(version: str) -> bool:
    """Whether ``version`` (a reportlab version string such as ``"5.1.0"``) is in the supported range."""
    try:
        v = Version(version)
    except InvalidVersion:
        return False
    return Version(MIN_VERSION) <= v < Version(BELOW_VERSION)


def version_error(version: str) -> UserError:
    """The user's message for an unsupported reportlab, with the range to install."""
    return error(
        f"reportlab {version} is not supported",
        f"install reportlab>={MIN_VERSION},<{BELOW_VERSION}",
    )


def check_version(version: str | None = None) -> None:
    """Raise :class:`UserError` unless ``version`` (default: the installed ``reportlab.Version``) is supported."""
    version = reportlab.Version if version is None else version
    if not supported(version):
        raise version_error(version)


check_version()

# The rest of reportlab is imported only once its version is known to be one this module fits.
from reportlab import rl_config  # noqa: E402
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, Table, frames  # noqa: E402
from reportlab.platypus.doctemplate import LayoutError  # noqa: E402

# Compressed page streams are written as binary, not also ASCII85-encoded: smaller files, and
# encoding them in Python took a fifth of a long document's build.
rl_config.useA85 = 0

# -- Documents ---------------------------------------------------------------------------------------


def reproducible_canvas(stamp: dt.datetime) -> type[Canvas]:
    """A canvas class whose PDF creation and modification dates are ``stamp`` (UTC), not the clock."""

    class _Canvas(Canvas):
        def __init__(self, *a: Any, **kw: Any) -> None:
            super().__init__(*a, **kw)
            ts = self._doc._timeStamp
            ts.t = stamp.timestamp()
            ts.lt = stamp.utctimetuple()
            ts.YMDhms = tuple(ts.lt)[:6]
            ts.tzname = "+00'00'"
            ts.dhh = ts.dmm = 0

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            super().showPage()
            _compress_now(self._doc.Pages.pages[-1])

    return _Canvas


class DraftCanvas(Canvas):
    """The canvas of a pass that only lays the document out (where each heading and page break
    falls): its pages are drawn, as the layout's flowables record what they place while drawing,
    but neither compressed nor written: :meth:`save` writes nothing (no font subset, no file)."""

    def save(self) -> None:
        """Nothing to write: the pass's result is what its flowables recorded."""


def _compress_now(page: pdfdoc.PDFPage) -> None:
    """Compress a finished page's content stream at once, as reportlab would when writing the file
    (the same Flate filter, the same bytes), so a book's pages are held compressed, not as text."""
    if page.Contents or not page.stream or not page.compression:
        return
    stream = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Filter": pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])}))
    stream.content = pdfdoc.PDFZCompress.encode(page.stream)
    stream.__Comment__ = "page stream"
    page.Contents, page.stream = stream, None


class DocTemplate(BaseDocTemplate):
    """A reproducible document: fixed time stamp, no random file identifier.

    ``too_large(flowable)`` makes the exception raised when a flowable cannot be split to fit any
    frame (reportlab's ``LayoutError``; ``flowable`` is the one that did not fit, or None);
    ``placed(flowable, page)`` is told the 1-based page of every top-level flowable set.
    """

    def __init__(
        self,
        dest: str | io.BytesIO,
        *,
        timestamp: dt.datetime,
        too_large: Callable[[Flowable | None], Exception],
        placed: Callable[[Flowable, int], None],
        **kw: Any,
    ) -> None:
        super().__init__(dest, invariant=1, **kw)
        self._stamp = timestamp
        self._too_large = too_large
        self._placed = placed

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        make_due(flowables)
        if not flowables:  # the last chapter made nothing
            return
        first = flowables[0]  # reportlab takes it off the list
        try:
            super().handle_flowable(flowables)
        except LayoutError:
            raise self._too_large(first) from None
        make_due(flowables)  # reportlab's build loop looks at the next flowable before handing it here

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab's hook name)
        self._placed(flowable, self.page)

    def build_reproducibly(self, flowables: list[Flowable], draft: bool = False) -> None:
        """Set ``flowables`` (consumed) and write the file, dated by the time stamp; a ``draft``
        lays them out and writes nothing (:class:`DraftCanvas`)."""
        self.build(flowables, canvasmaker=DraftCanvas if draft else reproducible_canvas(self._stamp))


class Deferred(Flowable):
    """Flowables made only when the build reaches them: ``make()`` gives them (a book's chapter).

    A story of deferred chapters holds one chapter's flowables at a time, not the whole book's
    (reportlab drops each flowable from the list once it is set). Never drawn: the document
    template puts what ``make()`` gives in its place (:func:`make_due`) before reportlab looks at it.
    """

    def __init__(self, make: Callable[[], list[Flowable]]) -> None:
        super().__init__()
        self.make = make

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        raise RuntimeError("a deferred flowable was set without being made")


def make_due(flowables: list[Flowable]) -> None:
    """Make, in place, each :class:`Deferred` reportlab may look at next: the first flowable and
    those after a run that keeps with the next (``handle_keepWithNext`` groups them)."""
    i = 0
    while i < len(flowables):
        here = flowables[i]
        if isinstance(here, Deferred):
            flowables[i : i + 1] = here.make()
        elif here.getKeepWithNext():
            i += 1
        else:
            return


def make_all(flowables: list[Flowable]) -> bool:
    """Make every :class:`Deferred` of ``flowables`` and drop what it gives (so that every face the
    story uses is known); whether there was any. ``flowables`` is spent: make the story again."""
    deferred = [f for f in flowables if isinstance(f, Deferred)]
    for f in deferred:
        f.make()
    return bool(deferred)


# -- Fonts and glyphs --------------------------------------------------------------------------------


# PostScript name of a registered subset → its private-use characters → the text each glyph stands for.
_SHAPED_TEXT: dict[str, dict[int, str]] = {}


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap (ISO 32000-1 §9.10.3) of one 256-glyph part of a font, written
    as UTF-16BE: a character beyond the BMP (Extension B Han, emoji) as its surrogate pair, where
    reportlab writes five hex digits no reader takes, and a shaped glyph's private-use character
    as the text it draws (``——`` for the 2-em dash, ``ffi`` for the ligature)."""
    texts = _SHAPED_TEXT.get(fontname.split("+", 1)[-1], {})
    pairs = [f"<{i:02X}> <{texts.get(v, chr(v)).encode('utf-16-be').hex().upper()}>" for i, v in enumerate(subset)]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *pairs,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def register_subset(name: str, path: Path, tag: str, shaped: dict[str, str] | None = None) -> None:
    """Register the TrueType font at ``path`` as ``name``, its PostScript name suffixed with ``-tag``.

    reportlab embeds each font under its face's PostScript name; two subsets of one face must
    not share one, or a reader may draw one subset's glyphs with the other's. Registering a name
    twice is a no-op. ``shaped``: private-use character → the source text its glyph draws, written
    into the font's ToUnicode map so that text extraction gives back the source.
    """
    if name in pdfmetrics.getRegisteredFontNames():
        return
    font = TTFont(name, str(path))
    font.face.name = font.face.name + b"-" + tag.encode("ascii")
    if shaped:
        key = (font.face.name + font.face.subfontNameX).decode("latin-1")
        _SHAPED_TEXT[key] = {ord(pua): text for pua, text in shaped.items()}
    pdfmetrics.registerFont(font)


def document_cache(canvas: Canvas) -> dict[Any, Any]:
    """A dictionary that lives as long as the canvas's PDF document (per-document glyph encodings)."""
    doc = canvas._doc
    try:
        return doc._zhengji_cache
    except AttributeError:
        doc._zhengji_cache = {}
        return doc._zhengji_cache


def encode(canvas: Canvas, font_name: str, text: str) -> list[tuple[str, str, float | None]]:
    """``text`` in the registered font ``font_name`` as (PDF font resource, ``<hex>`` codes, advance)
    chunks, one per 256-glyph subset reportlab splits the font into. The advance is per point of
    size, or None when the whole text is one chunk (the caller knows its width). reportlab numbers
    a font's glyphs anew for each document, so a result is valid for this canvas's document only.
    """
    doc = canvas._doc
    font = pdfmetrics.getFont(font_name)
    parts = font.splitString(text, doc)
    out: list[tuple[str, str, float | None]] = []
    done = 0
    for subset, data in parts:
        chunk = text[done : done + len(data)]
        done += len(data)
        advance = None if len(parts) == 1 else font.stringWidth(chunk, 1.0)
        out.append((font.getSubsetInternalName(subset, doc), f"<{data.hex()}>", advance))
    return out


def draw_image(canvas: Canvas, image: Any, x: float, y: float, width: float, height: float) -> None:
    """Place a Pillow ``image`` (transparency kept) with its lower left corner at (x, y), in points.

    reportlab names an image by a digest of its pixels, so a picture drawn many times is stored once.
    """
    from reportlab.lib.utils import ImageReader

    canvas.drawImage(ImageReader(image), x, y, width, height, mask="auto")


def append_operators(canvas: Canvas, operators: str) -> None:
    """Append raw PDF content-stream operators to the canvas's current page."""
    canvas._code.append(operators)


# -- Flowables ---------------------------------------------------------------------------------------


def grouped(flowable: Flowable) -> list[Flowable]:
    """The flowables a group holds (``KeepTogether`` and other containers); [] for anything else."""
    return list(getattr(flowable, "_content", None) or [])


def table_cells(flowable: Flowable) -> list[Flowable]:
    """Every flowable in a table's cells, row by row; [] for anything that is not a table.

    A table that has been wrapped holds each cell's flowables in a tuple (``_ExpandedCellTuple``).
    """
    rows = getattr(flowable, "_cellvalues", None) or []
    return [x for row in rows for c in row for x in (c if isinstance(c, (list, tuple)) else [c])]


class FrameAction(Flowable):
    """A flowable of no size that acts on the frame it reaches (:meth:`act`) instead of being drawn."""

    _ZEROSIZE = True
    width = height = 0

    def frameAction(self, frame: Frame) -> None:  # noqa: N802 (reportlab's hook name)
        self.act(frame)

    def act(self, frame: Frame) -> None:
        """What to do with ``frame``; the default does nothing."""


class FootFrame(Frame):
    """A frame that can keep room at its foot, page by page, for what the flowables it holds bring.

    Before a flowable is added or split, :meth:`claim` says how much room it brings to the foot;
    the frame's usable bottom is raised by that much, and if the flowable is placed, :meth:`commit`
    is told. At each new page the bottom goes back to the frame's own and :meth:`page_started` may
    raise it again (:meth:`raise_floor`). Lengths are in points.
    """

    _y1p: float  # reportlab's usable bottom, raised and lowered here

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._floor = self._y1p  # reportlab's reset does not restore a raised bottom

    def _reset(self) -> None:  # also called by Frame.__init__, before our own attributes exist
        super()._reset()
        if not hasattr(self, "_floor"):
            return
        self._y1p = self._floor
        self.page_started()

    # hooks
    def page_started(self) -> None:
        """Called at the top of each page after the first, with the bottom back where it was."""

    def claim(self, flowable: Flowable) -> tuple[float, Any]:
        """(height the flowable brings to the foot, a token handed to :meth:`commit` if it is placed)."""
        return 0.0, None

    def commit(self, token: Any) -> None:
        """The flowable :meth:`claim` returned ``token`` for has been placed on this page."""

    # geometry
    @property
    def inner_width(self) -> float:
        """The width flowables are set to."""
        return float(self._aW)

    @property
    def inner_height(self) -> float:
        """The height of an empty page's frame, inside its padding."""
        return float(self._aH)

    @property
    def room(self) -> float:
        """The height left between the current position and the (raised) bottom."""
        return float(self._y - self._y1p)

    @property
    def foot(self) -> tuple[float, float]:
        """(x, y) of the frame's bottom-left corner inside its padding."""
        return self._x1 + self._leftPadding, self._y1 + self._bottomPadding

    def raise_floor(self, height: float) -> None:
        """Keep ``height`` more points at the foot of this page."""
        self._y1p += height

    def _add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int:  # noqa: N803 (reportlab's name)
        height, token = self._claim(flowable, canv)
        self._y1p += height
        placed: int = super()._add(flowable, canv, trySplit)
        if placed:
            self.commit(token)
        else:
            self._y1p -= height
        return placed

    add = _add

    def split(self, flowable: Flowable, canv: Canvas) -> list[Flowable]:
        """The largest head of ``flowable`` that fits on this page with what *it* brings to the foot.

        The head is asked for in the room left, then in less while it and its own claim do not fit
        together: what the tail brings goes with the tail to the next page. A word processor fills
        a page so (body lines first, a footnote under the line that references it). A flowable
        that does not split into a head and a tail of its own kind (a group kept together, whose
        parts come one by one) is split in the room its whole claim leaves."""
        before = space_before(self, flowable)
        reserve = 0.0
        for _ in range(MAX_SPLIT_TRIES):
            parts = self._split_keeping(flowable, canv, reserve)
            if not parts:
                return parts
            whole = parts == [flowable]
            if not whole and not (len(parts) == 2 and all(type(p) is type(flowable) for p in parts)):
                return self._split_keeping(flowable, canv, self._claim(flowable, canv)[0])
            body = parts[0].wrap(self.inner_width, 1e9)[1] + before
            if not whole and body + self._claim(parts[0], canv)[0] <= self.room + FUZZ:
                return parts
            reserve = self.room - body + 0.5  # a head shorter by a line at least
        return []

    def _claim(self, flowable: Flowable, canv: Canvas) -> tuple[float, Any]:
        """:meth:`claim` with ``flowable`` on ``canv``, as reportlab puts it there to wrap it (a group
        kept together wraps its content on its canvas)."""
        bare = not hasattr(flowable, "canv")
        if bare:
            flowable.canv = canv
        try:
            return self.claim(flowable)
        finally:
            if bare:
                del flowable.canv

    def _split_keeping(self, flowable: Flowable, canv: Canvas, reserve: float) -> list[Flowable]:
        """reportlab's split of ``flowable`` with ``reserve`` pt more kept at the foot."""
        self._y1p += reserve
        try:
            parts: list[Flowable] = super().split(flowable, canv)
            return parts
        finally:
            self._y1p -= reserve


# How many ever shorter heads :meth:`FootFrame.split` tries before sending a flowable on whole.
MAX_SPLIT_TRIES: int = 200

# How far (pt) reportlab lets a flowable reach below a frame's bottom (``frames._FUZZ``, 1e-6): a
# part split off to fit the room left must fit within it by no more than this, or reportlab
# refuses the part it asked for ("Splitting error").
FUZZ: float = frames._FUZZ


def at_top(frame: Frame) -> bool:
    """Whether nothing has been set in ``frame`` on this page yet (reportlab's ``_atTop``)."""
    return bool(getattr(frame, "_atTop", False))


def head_rows_height(table: Table, rows: int, width: float) -> float:
    """The height (pt) of the first ``rows`` rows of ``table`` (all of them when it has fewer) set
    ``width`` pt wide: reportlab's row heights (``Table._rowHeights``), known once it is wrapped."""
    table.wrap(width, 1e9)
    return float(sum(table._rowHeights[:rows]))


def space_before(frame: Frame, flowable: Flowable) -> float:
    """The space (pt) ``frame`` puts above ``flowable`` where it sets it next, as reportlab's
    ``Frame.split`` and ``Frame._add`` reckon it: none at the top of a page, and otherwise its
    ``spaceBefore`` less the ``spaceAfter`` of the flowable above it (``overlapAttachedSpace``:
    the larger of the two is the room between them)."""
    if at_top(frame):
        return 0.0
    space = float(flowable.getSpaceBefore())
    if getattr(frame, "_oASpace", False):
        space = max(space - float(getattr(frame, "_prevASpace", 0.0)), 0.0)
    return space


def page_is_empty(doc: BaseDocTemplate) -> bool:
    """Whether no flowable has been set on the page ``doc`` is finishing (a page left blank on
    purpose: a verso before a right-hand opening). Read in ``onPageEnd``."""
    return not getattr(doc, "_curPageFlowableCount", 1)
