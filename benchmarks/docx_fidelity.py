"""How closely LibreOffice's layout of our DOCX follows our own PDF of the same edition and style.

For each text the tool builds the PDF and the DOCX, has LibreOffice lay out the DOCX
(``soffice --headless --convert-to pdf`` with a private profile), reads both PDFs' glyph positions
with pdfplumber and prints, side by side:

- pages of each;
- lines in the type area of each, and their difference in percent;
- first-line indent of body paragraphs (mm from the text block's left edge; largest difference);
- kinsoku violations in LibreOffice's layout (a line starting with a mark of
  :func:`zhengji_publish.typeset.rules.no_start` or ending with one of ``NO_END``);
- the widest gap beside a digit or Latin letter next to a Han character (em of the text size);
- the share of paragraphs that break into the same number of lines in both.

Usage::

    python benchmarks/docx_fidelity.py                 # seed (default and gongwen), statute, README, clreq,
                                                       # the example book in both editions
    python benchmarks/docx_fidelity.py --quick         # the seed only
    python benchmarks/docx_fidelity.py --quick --book my/book.yaml   # the seed and a book of one's own
    python benchmarks/docx_fidelity.py --json out.json

The clreq text (tests/data/clreq-examples.md) is made of the cases of W3C's Requirements for
Chinese Text Layout: marks side by side, marks at a line's ends, ellipses and dashes, book-title
marks, interpuncts, connectors, both kinds of quotes and Han–Latin mixing.

A book (a YAML manifest, README "Books") is also compared page by page
(:func:`compare_book`): LibreOffice's PDF keeps the blank versos it inserts before right-hand
openings, and for every page where a part, chapter or front-matter page opens (the pages with text
but no running head) the tool prints its page in both, the pages up to the next opening, and how
far (pt) LibreOffice sets its title's first line and its first line of body text from ours.

The functions are also what the DOCX layout tests measure with (tests/test_docx_layout.py).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from pathlib import Path

import docx
import pdfplumber

from zhengji_publish.cli import main as cli_main
from zhengji_publish.style import load_style
from zhengji_publish.typeset import rules

MM = 72 / 25.4
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Line:
    page: int
    text: str  # visible characters, no spaces
    x0: float
    size: float
    chars: list = field(repr=False)


@dataclass
class Figures:
    """One text's comparison of our PDF (``pdf_…``) and LibreOffice's layout of the DOCX (``lo_…``)."""

    name: str
    pdf_pages: int
    lo_pages: int
    pdf_lines: int
    lo_lines: int
    lines_diff_pct: float
    indent_pdf_mm: float  # the most common first-line indent of body paragraphs
    indent_lo_mm: float
    indent_max_diff_mm: float  # largest difference over paragraphs found in both
    kinsoku_violations: list[str]
    widest_latin_gap_em_pdf: float
    widest_latin_gap_em_lo: float
    wide_gaps_lo: list[str]  # LibreOffice's gaps wider than 0.3 em, with their context
    wide_gaps_pdf: list[str]  # the same in our PDF (justified lines stretch the gap up to 1/3 em)
    paragraphs: int  # paragraphs found in both layouts
    same_line_count: int

    @property
    def same_fraction(self) -> float:
        return self.same_line_count / self.paragraphs if self.paragraphs else 0.0


def type_area_lines(pdf_path: Path, top: float, bottom: float) -> list[Line]:
    """Lines of glyphs between ``top`` and ``bottom`` (points from the page's top): the running
    header and the folio, set in the margins, are left out."""
    out: list[Line] = []
    with pdfplumber.open(str(pdf_path)) as pdf:
        for pno, page in enumerate(pdf.pages, 1):
            chars = [
                c
                for c in page.chars
                if c["text"].strip() and c["top"] >= top - 0.3 * c["size"] and c["bottom"] <= bottom + 0.3 * c["size"]
            ]
            chars.sort(key=lambda c: (c["top"] + c["bottom"]) / 2)
            rows: list[list] = []
            centre = 0.0
            for c in chars:
                mid = (c["top"] + c["bottom"]) / 2
                if not rows or abs(mid - centre) > 0.4 * c["size"]:
                    rows.append([])
                    centre = mid
                rows[-1].append(c)
            for row in rows:
                row.sort(key=lambda c: c["x0"])
                size = Counter(round(c["size"], 1) for c in row).most_common(1)[0][0]
                out.append(Line(pno, "".join(c["text"] for c in row), row[0]["x0"], size, row))
    return out


def pages(pdf_path: Path) -> int:
    with pdfplumber.open(str(pdf_path)) as pdf:
        return len(pdf.pages)


CONTENTS_LEADER = re.compile(r"[.·…]{4,}")  # the dot leaders of a contents entry's line (LibreOffice's)
SUPERSCRIPT = 0.8  # a character smaller than this share of its line's size is raised: a note's number
LOOKAHEAD = 200  # characters a paragraph may start after the end of the one found before it
MATCHED = 0.9  # the share of a paragraph's characters found in order where it is set
EXTRA = 8  # characters a layout may show between two of a paragraph's that its text lacks


def running_text(lines: list[Line]) -> tuple[str, list[int]]:
    """The characters of ``lines`` in order, and the index of each one's line: a contents entry's
    dot leader (LibreOffice sets it as characters) and the raised numbers of note references
    (smaller than :data:`SUPERSCRIPT` of the line's size; the DOCX's paragraph text has no number
    for its ``w:footnoteReference``) left out."""
    flat: list[str] = []
    owner: list[int] = []
    for i, line in enumerate(lines):
        for c in line.chars:
            if c["size"] < SUPERSCRIPT * line.size:
                continue
            flat.append(c["text"])
            owner += [i] * len(c["text"])
    text = "".join(flat)
    kept = [k for k, _ch in enumerate(text)]
    for leader in reversed(list(CONTENTS_LEADER.finditer(text))):
        del kept[leader.start() : leader.end()]
    return "".join(text[k] for k in kept), [owner[k] for k in kept]


def find_paragraph(flat: str, text: str, cursor: int, sizes: list[float] | None = None) -> tuple[int, int] | None:
    """Where ``text`` is set in ``flat`` from ``cursor`` on: (first, after last) character, or None.
    It starts at most :data:`LOOKAHEAD` characters after ``cursor``; when not found whole there
    (a layout shows what the other's text lacks: a list's number, a note's number in its own size,
    or lacks what it has: a note's custom mark), its characters are aligned with that stretch: the
    longest run found, widened by the runs before and after it with at most :data:`EXTRA`
    characters of the layout's between them, must hold :data:`MATCHED` of them. With ``sizes``
    (each character's line's size), characters of another size than the line before them are not
    counted: the notes at a page's foot between the lines of a paragraph that runs on overleaf."""
    if not text:
        return None
    at = flat.find(text, cursor, cursor + LOOKAHEAD + len(text))
    if at >= 0:
        return at, at + len(text)
    window = flat[cursor : cursor + LOOKAHEAD + 2 * len(text)]
    blocks = [b for b in difflib.SequenceMatcher(None, window, text, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return None

    def close(left: difflib.Match, right: difflib.Match) -> bool:  # at most EXTRA characters shown between
        between = range(cursor + left.a + left.size, cursor + right.a)
        if sizes is not None:
            size = sizes[cursor + left.a + left.size - 1]
            between = [k for k in between if sizes[k] == size]
        return len(between) - (right.b - left.b - left.size) <= EXTRA

    first = last = max(range(len(blocks)), key=lambda k: blocks[k].size)
    while first > 0 and close(blocks[first - 1], blocks[first]):
        first -= 1
    while last + 1 < len(blocks) and close(blocks[last], blocks[last + 1]):
        last += 1
    if sum(b.size for b in blocks[first : last + 1]) < MATCHED * len(text):
        return None
    return cursor + blocks[first].a, cursor + blocks[last].a + blocks[last].size


def paragraph_spans(lines: list[Line], paragraphs: list[str]) -> list[tuple[int, int] | None]:
    """For each paragraph text (spaces removed), the range of line indexes it is set on, found in
    order (:func:`find_paragraph` in :func:`running_text`); None for a paragraph not found."""
    flat, owner = running_text(lines)
    sizes = [lines[i].size for i in owner]
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for text in paragraphs:
        found = find_paragraph(flat, text, cursor, sizes)
        if found is None:
            spans.append(None)
            continue
        spans.append((owner[found[0]], owner[found[1] - 1]))
        cursor = found[1]
    return spans


def latin_gaps(lines: list[Line], skipped: set[int] = frozenset()) -> list[tuple[float, str]]:
    """Every gap between a Han character and a digit or Latin letter (em, context) in running
    text: the lines whose indices are in ``skipped`` (code and table rows: :func:`set_lines`) are
    left out."""
    gaps = []
    for index, line in enumerate(lines):
        if index in skipped:
            continue
        for a, b in pairwise(line.chars):
            # a superscript note mark (the note's own, before a tab in the DOCX) is no digit of the text
            if rules.han_latin_gap(a["text"][-1], b["text"][0]) and min(a["size"], b["size"]) > 0.8 * line.size:
                gap = (b["x0"] - a["x1"]) / min(a["size"], b["size"])
                gaps.append((gap, a["text"] + b["text"] + " in " + line.text[:30]))
    return gaps


def kinsoku_violations(lines: list[Line], level: str, starts: set[int]) -> list[str]:
    """Lines inside a paragraph (not its first, whose index is in ``starts``) that start with a mark
    no line may start with, or whose previous line ends with an opening mark."""
    bad = []
    start, end = rules.no_start(level), rules.no_end(level)
    for i, (a, b) in enumerate(pairwise(lines), 1):
        if i not in starts and a.text and b.text and (b.text[0] in start or a.text[-1] in end):
            bad.append(f"p{a.page}: …{a.text[-8:]} | {b.text[:8]}…")
    return bad


TABLE_ROW = "Table Row"


def body_paragraphs(docx_path: Path) -> list[tuple[str, str]]:
    """(style name, text without spaces) of the document's paragraphs in order, the contents'
    entries among them (styles :func:`contents`); a table row is one entry (style :data:`TABLE_ROW`,
    its cells' texts joined), as its cells stand side by side on the row's lines: a cell's first
    character starts a paragraph, not a line inside one."""
    document = docx.Document(str(docx_path))
    out = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                text = rules.drop_invisible("".join("".join(c.text.split()) for c in row.cells))
                if text:
                    out.append((TABLE_ROW, text))
            continue
        text = rules.drop_invisible("".join(block.text.split()))
        if text:
            out.append((block.style.name, text))
    return out


def contents(style: str) -> bool:
    """A paragraph style of the contents (``TOC Heading``, ``toc 1`` …, ECMA-376 Part 1 §17.16.5.68):
    an entry's title, its page number at a tab stop with a dot leader that our PDF draws as a
    graphic, so the two stand apart on the line as no running text does."""
    return style.lower().startswith("toc")


def compare(name: str, ours: Path, lo: Path, docx_path: Path, style_name: str, level: str = "strict") -> Figures:
    """The figures of one text: our PDF ``ours`` against LibreOffice's ``lo`` of ``docx_path``."""
    style = load_style(style_name)
    page = style.page
    top, bottom = page.top, page.height - page.bottom
    a, b = type_area_lines(ours, top, bottom), type_area_lines(lo, top, bottom)
    paras = body_paragraphs(docx_path)
    spans_a = paragraph_spans(a, [t for _s, t in paras])
    spans_b = paragraph_spans(b, [t for _s, t in paras])
    both = [
        (s, sa, sb) for (s, _t), sa, sb in zip(paras, spans_a, spans_b, strict=True) if sa and sb and not contents(s)
    ]
    same = sum(1 for _s, sa, sb in both if sa[1] - sa[0] == sb[1] - sb[0])

    def left_edge(lines: list[Line]) -> float:
        return Counter(round(ln.x0, 1) for ln in lines).most_common(1)[0][0]

    la, lb = left_edge(a), left_edge(b)
    indents = [
        ((a[sa[0]].x0 - la) / MM, (b[sb[0]].x0 - lb) / MM) for s, sa, sb in both if s == "Normal" and sa[1] > sa[0]
    ]
    gaps_a, gaps_b = latin_gaps(a, set_lines(paras, spans_a)), latin_gaps(b, set_lines(paras, spans_b))
    starts_b = {sb[0] for sb in spans_b if sb}
    return Figures(
        name=name,
        pdf_pages=pages(ours),
        lo_pages=pages(lo),
        pdf_lines=len(a),
        lo_lines=len(b),
        lines_diff_pct=round(100 * (len(b) - len(a)) / max(len(a), 1), 2),
        indent_pdf_mm=round(statistics.mode(i for i, _ in indents), 2) if indents else 0.0,
        indent_lo_mm=round(statistics.mode(j for _, j in indents), 2) if indents else 0.0,
        indent_max_diff_mm=round(max((abs(i - j) for i, j in indents), default=0.0), 2),
        kinsoku_violations=kinsoku_violations(b, level, starts_b | set_lines(paras, spans_b, CODE)),
        widest_latin_gap_em_pdf=round(max((g for g, _ in gaps_a), default=0.0), 3),
        widest_latin_gap_em_lo=round(max((g for g, _ in gaps_b), default=0.0), 3),
        wide_gaps_lo=[f"{g:.2f} em {c}" for g, c in gaps_b if g > 0.3],
        wide_gaps_pdf=[f"{g:.2f} em {c}" for g, c in gaps_a if g > 0.3],
        paragraphs=len(both),
        same_line_count=same,
    )


CODE = "Source Code"


def set_lines(
    paras: list[tuple[str, str]], spans: list[tuple[int, int] | None], styles: tuple[str, ...] = (CODE, TABLE_ROW)
) -> set[int]:
    """The indices of the lines of the paragraphs in ``styles``, and of the contents' entries
    (:func:`contents`): by default those not set as running text. A code block's line is typed as
    it is (``./gradlew …``, ``# 1. …``): no line-breaking rule governs it, and its spaces are the
    monospace face's half em, in the PDF as in the DOCX. A table row's cells stand side by side on
    its lines: the room between a cell's last character and the next cell's first is the columns'
    space, not a gap in a text; nor is the leader's room before a contents entry's page number."""
    return {
        i
        for (style, _t), span in zip(paras, spans, strict=True)
        if span and (style in styles or contents(style))
        for i in range(span[0], span[1] + 1)
    }


@dataclass
class Opening:
    """A page where a part, chapter or front-matter page opens (the title page too), in our PDF
    (``pdf_…``) and LibreOffice's (``lo_…``): its physical page, the pages up to the next opening
    (blank versos included), the top (pt from the page's top) of its first line and of its first
    line in the body's size below that (None: none, as on a part's page)."""

    title: str
    pdf_page: int
    lo_page: int
    pdf_span: int
    lo_span: int
    pdf_title_top: float
    lo_title_top: float
    pdf_first_top: float | None
    lo_first_top: float | None

    @property
    def title_offset(self) -> float:
        """How much lower (pt) LibreOffice sets the title than our PDF."""
        return round(self.lo_title_top - self.pdf_title_top, 2)

    @property
    def first_offset(self) -> float | None:
        """How much lower (pt) LibreOffice sets the first line of body text than our PDF."""
        if self.pdf_first_top is None or self.lo_first_top is None:
            return None
        return round(self.lo_first_top - self.pdf_first_top, 2)


@dataclass
class BookFigures:
    """A book's pages in our PDF and LibreOffice's (blank pages kept): page counts, each opening,
    and the pages whose running head or folio differ (page, ours, LibreOffice's)."""

    name: str
    pdf_pages: int
    lo_pages: int
    openings: list[Opening]
    furniture_differs: list[tuple[int, str, str]]


def opening_pages(pdf_path: Path, style_name: str) -> tuple[list[tuple[int, str, float, float | None]], list[str]]:
    """The openings of a book's PDF — (page, first line's text, its top, the top of the first
    line in the body's size after it) of every page with text in the type area and none above it
    — and each page's running head and folio (the text above and below the type area, spaces
    removed), in order."""
    style = load_style(style_name)
    page, body = style.page, style.block("body").size
    top, bottom = page.top, page.height - page.bottom
    lines = type_area_lines(pdf_path, top, bottom)
    openings, furniture = [], []
    with pdfplumber.open(str(pdf_path)) as pdf:
        for number, leaf in enumerate(pdf.pages, 1):
            head = "".join(c["text"] for c in leaf.chars if c["bottom"] < top and c["text"].strip())
            folio = "".join(c["text"] for c in leaf.chars if c["top"] > bottom and c["text"].strip())
            furniture.append(f"{head}|{folio}")
            on_page = [ln for ln in lines if ln.page == number]
            if on_page and not head:
                first = next((ln.chars[0]["top"] for ln in on_page[1:] if abs(ln.size - body) < 0.05), None)
                openings.append((number, on_page[0].text, on_page[0].chars[0]["top"], first))
    return openings, furniture


def compare_book(name: str, ours: Path, lo: Path, style_name: str) -> BookFigures:
    """A book's figures: our PDF ``ours`` against LibreOffice's ``lo`` (its blank pages kept),
    openings matched in order."""
    a, heads_a = opening_pages(ours, style_name)
    b, heads_b = opening_pages(lo, style_name)

    def spans(openings: list, total: int) -> list[int]:
        starts = [o[0] for o in openings] + [total + 1]
        return [nxt - this for this, nxt in pairwise(starts)]

    opened = [
        Opening(x[1], x[0], y[0], sa, sb, round(x[2], 2), round(y[2], 2), x[3], y[3])
        for x, y, sa, sb in zip(a, b, spans(a, len(heads_a)), spans(b, len(heads_b)), strict=False)
    ]
    differs = [(i, x, y) for i, (x, y) in enumerate(zip(heads_a, heads_b, strict=False), 1) if x != y]
    return BookFigures(name, len(heads_a), len(heads_b), opened, differs)


def libreoffice_pdf(docx_path: Path, outdir: Path, profile: Path, keep_blank: bool = False) -> Path:
    """LibreOffice's PDF of ``docx_path`` (headless, a private profile); with ``keep_blank`` the
    blank pages it inserts before an odd-page section are kept (``IsSkipEmptyPages`` false), so
    its pages are the document's pages."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("LibreOffice (soffice) is required")
    target = "pdf"
    if keep_blank:
        target = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return outdir / (docx_path.stem + ".pdf")


def measure_text(name: str, source: Path, edition: str, style: str, work: Path) -> Figures:
    return _measure(name, source, edition, style, work)[0]


def measure_book(name: str, manifest: Path, edition: str, style: str, work: Path) -> tuple[Figures, BookFigures]:
    """A book's figures: those of any text, and its pages (:func:`compare_book`), LibreOffice's
    PDF with its blank pages kept."""
    figures, ours, lo = _measure(name, manifest, edition, style, work, keep_blank=True)
    return figures, compare_book(name, ours, lo, style)


def _measure(
    name: str, source: Path, edition: str, style: str, work: Path, keep_blank: bool = False
) -> tuple[Figures, Path, Path]:
    out = work / name
    args = ["build", str(source), "-o", str(out), "-f", "pdf", "-f", "docx", "-e", edition, "-s", style]
    if cli_main(args) != 0:
        raise SystemExit(f"building {source} failed")
    stem = f"{source.stem}.{edition}"
    lo = libreoffice_pdf(out / f"{stem}.docx", out / "lo", work / "lo-profile", keep_blank)
    level = load_style(style).line_break
    ours = out / f"{stem}.pdf"
    return compare(name, ours, lo, out / f"{stem}.docx", style, level), ours, lo


def texts(work: Path, quick: bool) -> list[tuple[str, Path, str, str]]:
    """(name, source, edition, style) of the texts measured."""
    seed = ROOT / "source" / "zhengji.md"
    out = [("seed", seed, "zh-Hans", "default"), ("seed-gongwen", seed, "zh-Hans", "gongwen")]
    if quick:
        return out
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import make_law

    law = work / "law.md"
    law.write_text(make_law(200), encoding="utf-8")
    readme = ROOT / "tests" / "data" / "readme_zh.md"
    clreq = ROOT / "tests" / "data" / "clreq-examples.md"
    news = ROOT / "tests" / "data" / "news_zh.md"
    return out + [
        ("statute", law, "zh-Hans", "default"),
        ("news", news, "zh-Hans", "default"),
        ("news-hk", news, "zh-Hant-HK", "default"),
        ("readme", readme, "zh-Hans", "default"),
        ("readme-tw", readme, "zh-Hant-TW", "default"),
        ("clreq", clreq, "zh-Hans", "default"),
        ("clreq-tw", clreq, "zh-Hant-TW", "default"),
    ]


BOOK = ROOT / "tests" / "data" / "book" / "book.yaml"


def books(quick: bool, extra: list[Path]) -> list[tuple[str, Path, str, str]]:
    """(name, manifest, edition, style) of the books measured: the example book (README "Books")
    in both editions, and any given with ``--book`` (book-16k)."""
    out = [] if quick else [("book", BOOK, "zh-Hans", "book-16k"), ("book-tw", BOOK, "zh-Hant-TW", "book-16k")]
    return out + [(path.stem, path, "zh-Hans", "book-16k") for path in extra]


def print_book(f: BookFigures) -> None:
    """One book's pages: the openings side by side, then any page whose furniture differs."""
    print(f"{f.name}: pages {f.pdf_pages}/{f.lo_pages}")
    print("   opening: page pdf/lo, pages to the next pdf/lo, LibreOffice's offset (pt): title, first line")
    for o in f.openings:
        first = "-" if o.first_offset is None else f"{o.first_offset:+.1f}"
        print(f"   {o.title[:16]:<16} p{o.pdf_page}/{o.lo_page} {o.pdf_span}/{o.lo_span} {o.title_offset:+.1f} {first}")
    for page, a, b in f.furniture_differs[:8]:
        print(f"   p{page} running head|folio: {a} ≠ {b}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the seed only")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON")
    parser.add_argument("--book", type=Path, action="append", default=[], help="also measure this book manifest")
    args = parser.parse_args(argv)
    results, book_results = [], []
    with tempfile.TemporaryDirectory(prefix="docx-fidelity-") as tmp:
        work = Path(tmp)
        for name, source, edition, style in texts(work, args.quick):
            results.append(measure_text(name, source, edition, style, work))
        for name, manifest, edition, style in books(args.quick, args.book):
            figures, pages_figures = measure_book(name, manifest, edition, style, work)
            results.append(figures)
            book_results.append(pages_figures)
    head = "text pages(pdf/lo) lines(pdf/lo) Δ% indent-mm(pdf/lo,maxΔ) kinsoku gap-em(pdf/lo) same-lines"
    print(head)
    for f in results:
        print(
            f"{f.name} {f.pdf_pages}/{f.lo_pages} {f.pdf_lines}/{f.lo_lines} {f.lines_diff_pct:+.2f} "
            f"{f.indent_pdf_mm}/{f.indent_lo_mm},{f.indent_max_diff_mm} {len(f.kinsoku_violations)} "
            f"{f.widest_latin_gap_em_pdf}/{f.widest_latin_gap_em_lo} "
            f"{f.same_line_count}/{f.paragraphs}={f.same_fraction:.0%}"
        )
        for v in f.kinsoku_violations[:5]:
            print("   kinsoku:", v)
        for g in f.wide_gaps_lo[:5]:
            print("   gap:", g)
    for book in book_results:
        print_book(book)
    if args.json:
        every = [asdict(f) for f in results] + [asdict(f) for f in book_results]
        args.json.write_text(json.dumps(every, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
