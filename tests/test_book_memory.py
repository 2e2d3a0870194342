"""A book's memory is bounded by its largest chapter where the format allows, not by the whole book.

Each test builds a book of N chapters and one of 4N of the same chapters in this process and
compares what the writer holds: a ratio near 1 is memory bounded by the largest chapter, near 4
memory that grows with the book. Both measures count objects (tracemalloc's count of the bytes
Python allocates, live flowables), never time or RSS, so load from elsewhere on the machine does
not move them. The document tree of the whole book is held by every build (see the README's
benchmark section) and is made before the writer runs, so it is not part of what is measured.
"""

from __future__ import annotations

import gc
import tracemalloc
import weakref
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from zhengji_publish.build import BuildOptions, Task, prepare_source
from zhengji_publish.diagnostics import Reporter
from zhengji_publish.writers.pdf import draw

CHAPTERS = 10  # the small book; the large one has 4 × as many
SENTENCES = (
    "坚持以人民为中心的发展思想，把握新发展阶段，贯彻新发展理念，构建新发展格局。",
    "各级领导干部要树立和践行正确政绩观，既要做让群众看得见、摸得着的实事，",
    "也要做打基础、利长远的好事，不搞急功近利、劳民伤财的“政绩工程”。",
    "调查研究是谋事之基、成事之道，没有调查就没有发言权，更没有决策权。",
)


def _chapter(n: int, sections: int) -> str:
    """A title and ``sections`` sections of six paragraphs (2 KiB a section), a footnote in each."""
    out = [f"---\ntitle: 第{n}篇\n---\n"]
    for section in range(1, sections + 1):
        out.append(f"## 第{section}节\n")
        for p in range(6):
            text = "".join(SENTENCES[(p + k) % len(SENTENCES)] for k in range(4))
            out.append(text + (f"[^{section}]" if p == 1 else "") + "\n")
    out += [f"[^{section}]: 见《关于新时代政绩观的学习材料》第{section}章。\n" for section in range(1, sections + 1)]
    return "\n".join(out)


def _book(folder: Path, chapters: int, sections: int = 5) -> Path:
    folder.mkdir(parents=True)
    names = []
    for n in range(1, chapters + 1):
        (folder / f"{n:03d}.md").write_text(_chapter(n, sections), encoding="utf-8")
        names.append(f"{n:03d}.md")
    manifest = folder / "book.yaml"
    manifest.write_text("title: 文集\ntoc: false\nchapters: [" + ", ".join(names) + "]\n", encoding="utf-8")
    return manifest


def _task(manifest: Path, fmt: str, out: Path) -> Task:
    opts = BuildOptions(out_dir=out, formats=(fmt,), editions=("zh-Hans",))
    [task] = prepare_source(manifest, opts, Reporter())
    return task


def _epub_peak(manifest: Path, out: Path) -> int:
    """Bytes the EPUB writer allocates at its peak, beyond the edition already made."""
    task = _task(manifest, "epub", out)
    gc.collect()
    tracemalloc.start()
    try:
        task.run().unlink()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.unit
def test_the_epub_writer_holds_one_chapter_not_the_book(tmp_path):
    small, large = _book(tmp_path / "small", CHAPTERS), _book(tmp_path / "large", 4 * CHAPTERS)
    _task(small, "epub", tmp_path).run().unlink()  # imports and font caches are not the book's
    ratio = _epub_peak(large, tmp_path) / _epub_peak(small, tmp_path)
    # The chapters' XHTML held whole, with ebooklib's zip in memory, made this 2.2; what remains
    # grows with the headings and files (nav, NCX, package document), not with the text.
    assert ratio < 1.5, f"the EPUB writer's peak grew {ratio:.2f}× for 4× the chapters"


def _most_flowables(manifest: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """The most text blocks alive at the end of any page of the PDF."""
    task = _task(manifest, "pdf", out)
    alive: weakref.WeakSet[draw.TextBlock] = weakref.WeakSet()
    most = [0]
    made = draw.TextBlock.__init__
    show = Canvas.showPage

    def init(self, *args, **kw) -> None:
        made(self, *args, **kw)
        alive.add(self)

    def page(self) -> None:  # a text block set and dropped is freed at once (no cycle holds it)
        most[0] = max(most[0], len(alive))
        show(self)

    with monkeypatch.context() as patch:
        patch.setattr(draw.TextBlock, "__init__", init)
        patch.setattr(Canvas, "showPage", page)
        task.run().unlink()
    return most[0]


@pytest.mark.unit
def test_the_pdf_holds_the_flowables_of_one_chapter_not_the_book(tmp_path, monkeypatch):
    small = _book(tmp_path / "small", CHAPTERS // 2, sections=2)
    large = _book(tmp_path / "large", 2 * CHAPTERS, sections=2)
    ratio = _most_flowables(large, tmp_path, monkeypatch) / _most_flowables(small, tmp_path, monkeypatch)
    # The whole story made before the build held every chapter's text blocks and every footnote's
    # (and their boxes, a few hundred bytes a character) to the last page: 4× here.
    assert ratio < 1.5, f"the PDF held {ratio:.2f}× the text blocks for 4× the chapters"
