"""A running head longer than its measure: cut where a line may break and ended with a 省略号 ……
inside the type area in the PDF, and the DOCX's header the same text. Read from the outputs of
books and an article whose titles do not fit (pdfplumber's characters, python-docx's headers)."""

from __future__ import annotations

from pathlib import Path

import docx
import pdfplumber
import pytest

from zhengji_publish.cli import main
from zhengji_publish.style import load_style

PARAGRAPH = "这是一段用来撑满版面的正文，说明情况，讲清道理，文字足够长，好让本章跨过好几页。" * 3
BODY = "\n\n".join([PARAGRAPH] * 40)
LONG = (
    "关于进一步加强和改进新时代树立和践行正确政绩观学习教育工作的若干意见"
    + "以及配套实施办法和具体工作安排的通知（征求意见稿）"
)
# the cut of the head falls right after 《 — it may not end the text before the 省略号
BRACKET = (
    "关于进一步加强和改进新时代树立和践行正确政绩观学习教育工作的若干意见" + "以及配套实施办《法和具体工作安排的通知》"
)


def pdf_heads(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    """(head text, its left, its right, the type area's left, its right) of each page with a head;
    the type area is where the body's lines of the whole document reach."""
    heads, body = [], []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            body += [c for c in page.chars if c["top"] > 100]
            head = [c for c in page.chars if c["top"] < 60]
            if head:
                heads.append(("".join(c["text"] for c in head), min(c["x0"] for c in head), max(c["x1"] for c in head)))
    left, right = min(c["x0"] for c in body), max(c["x1"] for c in body)
    return [(text, x0, x1, left, right) for text, x0, x1 in heads]


def docx_heads(path: Path) -> set[str]:
    document = docx.Document(str(path))
    heads = set()
    for section in document.sections:
        for story in (section.header, section.even_page_header):
            heads.update(p.text for p in story.paragraphs if p.text)
    return heads


def build(folder: Path, source: str, *args: str) -> dict[str, Path]:
    assert main(["build", str(folder / source), "-o", str(folder / "out"), "-f", "pdf", "-f", "docx", *args]) == 0
    stem = Path(source).stem
    return {fmt: folder / "out" / f"{stem}.zh-Hans.{fmt}" for fmt in ("pdf", "docx")}


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("book_title", "chapter_title", "cut"),
    [
        ("书", LONG, "chapter"),  # a chapter's head on rectos
        (LONG, "第一章", "book"),  # the book's head on versos
        ("书", BRACKET, "chapter"),
    ],
)
def test_a_long_running_head_ends_with_an_ellipsis_in_the_measure(tmp_path, book_title, chapter_title, cut):
    (tmp_path / "book.yaml").write_text(f"title: {book_title}\nchapters: [a.md]\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(f"---\ntitle: {chapter_title}\n---\n\n{BODY}\n", encoding="utf-8")
    out = build(tmp_path, "book.yaml", "-s", "book-16k")
    long = LONG if cut == "book" else chapter_title
    heads = [h for h in pdf_heads(out["pdf"]) if h[0] != (book_title if cut == "chapter" else chapter_title)]
    assert heads, pdf_heads(out["pdf"])
    texts = {h[0] for h in heads}
    assert len(texts) == 1
    text = texts.pop()
    assert text.endswith("……") and not text.endswith("………") and long.startswith(text[:-2])
    assert text[-3] not in "《（“，、" and len(text) > 20
    for _, left, right, body_left, body_right in heads:
        assert left >= body_left - 2 and right <= body_right + 2  # inside the type area
    assert text in docx_heads(out["docx"])  # the DOCX's header reads the same
    assert long not in docx_heads(out["docx"])


@pytest.mark.e2e
def test_a_head_that_fits_is_not_cut(tmp_path):
    (tmp_path / "book.yaml").write_text("title: 书\nchapters: [a.md]\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(f"---\ntitle: 第一章 总则\n---\n\n{BODY}\n", encoding="utf-8")
    out = build(tmp_path, "book.yaml", "-s", "book-16k")
    assert {h[0] for h in pdf_heads(out["pdf"])} == {"书", "第一章总则"}  # pdfplumber reads no glue as a space
    assert {"书", "第一章 总则"} <= docx_heads(out["docx"])


# four-character idioms: a cut between two Han characters falls inside a word three times in four
IDIOMS = [
    "坚持",
    "实事求是",
    "与时俱进",
    "一丝不苟",
    "精益求精",
    "脚踏实地",
    "兢兢业业",
    "全心全意",
    "艰苦奋斗",
    "自力更生",
]


@pytest.mark.e2e
@pytest.mark.parametrize("lead", ["", "一", "一二", "一二三"])
def test_a_long_running_head_is_cut_between_words(tmp_path, lead):
    """The head keeps its last word whole (``——来……`` read as a cut word): with the title shifted
    by one to three characters, the cut still falls after a whole idiom."""
    title = lead + "".join(IDIOMS) * 2
    (tmp_path / "book.yaml").write_text("title: 书\nchapters: [a.md]\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(f"---\ntitle: {title}\n---\n\n{BODY}\n", encoding="utf-8")
    out = build(tmp_path, "book.yaml", "-s", "book-16k")
    heads = {h[0] for h in pdf_heads(out["pdf"])} - {"书"}
    assert len(heads) == 1
    head = heads.pop()
    assert head.endswith("……") and len(head) > 12
    ends = {len(lead) + len("".join((IDIOMS * 2)[:k])) for k in range(1, 2 * len(IDIOMS) + 1)}
    assert len(head) - 2 in ends, head
    assert head in docx_heads(out["docx"])


@pytest.mark.e2e
def test_a_vertical_running_head_is_cut_to_its_column(tmp_path):
    """A vertical page's head stands in one column in the outer margin: a title longer than the
    column is cut between words with a 省略号, as across a horizontal page (it was cut off at the
    column's end, with no mark), and the DOCX's header reads the same."""
    title = "".join(IDIOMS) * 2
    (tmp_path / "book.yaml").write_text("title: 书\nchapters: [a.md]\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(f"---\ntitle: {title}\n---\n\n{BODY}\n", encoding="utf-8")
    out = build(tmp_path, "book.yaml", "-s", "book-32k-vertical")
    page = load_style("book-32k-vertical").page
    heads = set()
    with pdfplumber.open(out["pdf"]) as pdf:
        for p in pdf.pages:
            margin = [c for c in p.chars if c["x0"] < page.left or c["x1"] > page.width - page.right]
            # the head from the column's top; the folio (Chinese numerals) stands at its foot
            text = "".join(c["text"] for c in sorted(margin, key=lambda c: c["top"])).rstrip("〇一二三四五六七八九十百")
            if len(text) > 4:
                heads.add(text)
    assert len(heads) == 1
    head = heads.pop()
    assert head.endswith("……") and title.startswith(head[:-2]) and len(head) > 12
    ends = {len("".join((IDIOMS * 2)[:k])) for k in range(1, 2 * len(IDIOMS) + 1)}
    assert len(head) - 2 in ends, head
    assert head in docx_heads(out["docx"])
