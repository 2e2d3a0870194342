"""The PDF read back with poppler and pdfplumber: fonts, text fidelity, layout rules, outline."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys

import pdfplumber
import pytest
from conftest import CONSTRUCTS, ROOT, SEED, run
from pdfcheck import flat_text, measure

from zhengji_publish import editions
from zhengji_publish import model as m
from zhengji_publish.cli import main
from zhengji_publish.reader import read_file
from zhengji_publish.style import load_style

pytestmark = pytest.mark.e2e

EDITIONS = [("zh-Hans", "sc"), ("zh-Hant-TW", "tc")]


def source_paragraphs(path, edition):
    doc = read_file(path)
    doc = editions.apply(doc, editions.resolve(edition, doc.meta))
    out = []
    for b in m.iter_blocks(doc.blocks):
        if isinstance(b, (m.Paragraph, m.Heading)) and not any(
            isinstance(n, (m.LineBreak, m.FootnoteRef)) for n in b.children
        ):
            out.append(m.plain_text(b.children))
    return doc, out


@pytest.mark.external
@pytest.mark.parametrize("edition, region", EDITIONS)
def test_only_embedded_subset_faces_of_the_edition(built, edition, region):
    pdf = built(SEED, "pdf", edition)
    rows = run("pdffonts", str(pdf)).splitlines()[2:]
    assert rows
    for row in rows:
        name, emb, sub = row.split()[0], row.split()[-5], row.split()[-4]
        assert emb == "yes" and sub == "yes", row
        assert re.search(rf"CJK{region}-|UKai", name), row


@pytest.mark.external
def test_a_table_names_no_unembedded_font(built, tmp_path):
    """reportlab sets a cell font (Helvetica by default) before each table cell: the PDF of a
    document with a table, one broken over pages too, still names only embedded faces (preflight
    rejects the standard 14)."""
    long_table = tmp_path / "long.md"
    cells = "\n".join(f"| {i} | 第{i}项 |" for i in range(150))
    long_table.write_text(f"# 表\n\n| 序号 | 内容 |\n|---|---|\n{cells}\n", encoding="utf-8")
    assert main(["build", str(long_table), "-o", str(tmp_path), "-e", "zh-Hans", "-f", "pdf"]) == 0
    for pdf in (built(CONSTRUCTS, "pdf", "zh-Hans"), tmp_path / "long.zh-Hans.pdf"):
        rows = run("pdffonts", str(pdf)).splitlines()[2:]
        assert rows
        assert all(row.split()[-5] == "yes" for row in rows), rows


@pytest.mark.external
@pytest.mark.parametrize("edition, region", EDITIONS)
def test_pdftotext_gives_back_each_paragraph_exactly(built, edition, region):
    pdf = built(SEED, "pdf", edition)
    doc, paragraphs = source_paragraphs(SEED, edition)
    flat = flat_text(pdf, doc.meta.title)
    assert doc.meta.title in flat
    for para in paragraphs:
        assert para in flat, para


@pytest.mark.external
def test_pdftotext_fidelity_on_every_construct(built):
    pdf = built(CONSTRUCTS, "pdf", "zh-Hans")
    doc, paragraphs = source_paragraphs(CONSTRUCTS, "zh-Hans")
    flat = flat_text(pdf, doc.meta.title)
    for para in paragraphs:
        assert para in flat, para
    # the code's own indentation: four monospace cells between ``def`` and ``return`` (pdftotext
    # -layout gives leading spaces relative to the page's other text, so positions are read)
    with pdfplumber.open(str(pdf)) as doc:
        lines = [line for page in doc.pages for line in page.extract_text_lines()]
    define = next(line for line in lines if line["text"].startswith("def 问候"))
    body = next(line for line in lines if line["text"].startswith('return f"你好'))
    cell = define["chars"][1]["x0"] - define["chars"][0]["x0"]  # a monospace character's advance
    assert abs(body["x0"] - define["x0"] - 4 * cell) < 0.3, (define["x0"], body["x0"], cell)


@pytest.mark.parametrize("edition, region", EDITIONS)
def test_layout_rules_on_glyph_positions(built, edition, region):
    rep = measure(built(SEED, "pdf", edition))
    assert not rep.start_violations and not rep.end_violations
    assert rep.full_lines > 40 and rep.flush_lines == rep.full_lines
    assert rep.pairs > 5 and rep.compressed_pairs == (rep.pairs if edition == "zh-Hans" else 0)


@pytest.mark.external
def test_outline_metadata_and_language(built):
    pdf = built(SEED, "pdf", "zh-Hant-TW")
    info = run("pdfinfo", str(pdf))
    assert "Title:           樹立和踐行正確政績觀" in info and "Author:          新華社記者" in info
    with pdfplumber.open(pdf) as doc:
        assert doc.doc.catalog["Lang"].decode() == "zh-Hant-TW"
        outline = [(level, title) for level, title, *_ in doc.doc.get_outlines()]
    titles = [t for _, t in outline]
    assert titles[0] == "凝心鑄魂強根基 以民為本出實績" and "森林防火 人人有責" in titles
    assert [lvl for lvl, _ in outline[:3]] == [1, 2, 2]


def test_reproducible_bytes(tmp_path):
    digests = []
    for n in (1, 2):
        assert main(["build", str(SEED), "-f", "pdf", "-e", "zh-Hans", "-o", str(tmp_path / str(n))]) == 0
        digests.append(hashlib.sha256((tmp_path / str(n) / "zhengji.zh-Hans.pdf").read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_a_document_built_after_others_in_one_process_is_the_same_as_built_alone(tmp_path):
    """Builds share a process (--jobs workers, library callers): none may reuse another's font subsets.

    reportlab keys fonts by PostScript name, so a second document could draw with the first one's
    subset and show empty boxes; builds are reproducible, so the bytes must equal a lone build's.
    """
    readme = CONSTRUCTS.parent / "readme_zh.md"
    for src in (SEED, CONSTRUCTS, readme):
        assert main(["build", str(src), "-f", "pdf", "-e", "zh-Hans", "-o", str(tmp_path / "together")]) == 0
    subprocess.run(
        [
            sys.executable,
            "-m",
            "zhengji_publish",
            "build",
            str(readme),
            "-f",
            "pdf",
            "-e",
            "zh-Hans",
            "-o",
            str(tmp_path / "alone"),
        ],
        check=True,
        capture_output=True,
    )
    together = (tmp_path / "together" / "readme_zh.zh-Hans.pdf").read_bytes()
    assert together == (tmp_path / "alone" / "readme_zh.zh-Hans.pdf").read_bytes()


@pytest.mark.external
def test_a_footnote_longer_than_the_room_left_continues_on_the_next_pages(tmp_path):
    note = "".join(f"注文第{i}句，说明条款的来历。" for i in range(1, 181))  # about three pages of note
    paras = "\n\n".join(f"第{i}段正文，" + "其余内容照常排印。" * 12 for i in range(1, 13))
    src = tmp_path / "long.md"
    src.write_text(f"# 长脚注\n\n开篇一段，引出长注[^a]。\n\n{paras}\n\n[^a]: {note}\n", encoding="utf-8")
    assert main(["build", str(src), "-f", "pdf", "-e", "zh-Hans", "-o", str(tmp_path)]) == 0
    pdf = tmp_path / "long.zh-Hans.pdf"
    feet = []  # what each page shows under its footnote rule
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            # the footnote rule: a quarter of the measure (the header's rule spans all of it)
            rules = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.1 and ln["width"] < page.width / 3]
            if not rules:
                feet.append("")
                continue
            rule = max(ln["top"] for ln in rules)
            above = [c for c in page.chars if c["bottom"] <= rule and c["top"] > 60]  # body, not the header
            assert not any("说" == c["text"] for c in above)  # nothing of the note above its rule
            below = sorted((c for c in page.chars if c["top"] > rule), key=lambda c: (round(c["top"]), c["x0"]))
            feet.append(re.sub(r"— ?\d+ ?—$", "", "".join(c["text"] for c in below).replace(" ", "")))
    pages = [n for n, text in enumerate(feet) if text]
    assert len(pages) >= 3 and pages == list(range(pages[0], pages[0] + len(pages)))  # on consecutive pages
    assert "".join(feet).removeprefix("1") == note  # the whole note, in order, nothing lost or repeated
    text = run("pdftotext", "-enc", "UTF-8", str(pdf), "-").split("\f")
    assert "引出长注" in re.sub(r"\s+", "", text[pages[0]])  # it begins on its reference's page


@pytest.mark.external
def test_each_footnote_stands_at_the_foot_of_the_page_of_its_reference(tmp_path):
    paras = "\n\n".join(f"第{i}段正文，记载甲{i}号事项[^n{i}]，" + "其余内容照常排印。" * 6 for i in range(1, 41))
    notes = "\n\n".join(f"[^n{i}]: 注{i}说明。" for i in range(1, 41))
    src = tmp_path / "notes.md"
    src.write_text(f"# 脚注测试\n\n{paras}\n\n{notes}\n", encoding="utf-8")
    assert main(["build", str(src), "-f", "pdf", "-e", "zh-Hans", "-o", str(tmp_path)]) == 0
    pdf = tmp_path / "notes.zh-Hans.pdf"
    pages = run("pdftotext", "-enc", "UTF-8", str(pdf), "-").split("\f")
    assert len(pages) > 3
    for i in range(1, 41):
        ref = next(n for n, text in enumerate(pages) if f"甲{i}号" in text)
        note = next(n for n, text in enumerate(pages) if f"注{i}说明" in text)
        assert ref == note, i
    with pdfplumber.open(pdf) as doc:  # notes sit below every line of body text
        page = doc.pages[0]
        note_top = min(c["top"] for c in page.chars if c["text"] == "说")  # only the notes say 说明
        body_bottom = max(c["bottom"] for c in page.chars if c["text"] == "段")
        assert note_top > body_bottom


@pytest.mark.parametrize(("text", "style"), [("statute", "default"), ("seed", "gongwen")])
def test_han_latin_gaps_stay_a_quarter_em(built, tmp_path_factory, text, style):
    """clreq §3.2.2: up to a quarter em between a Han character and a Latin letter or digit; a
    justified line widens the spaces between its characters, not this gap (read with pdfplumber:
    every such gap of the type area, 0.3 em at most). The 公文 grid's lines stretched it to 0.304 em
    while it could grow to a third."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import docx_fidelity as fidelity
    from corpus import make_law

    source = SEED
    if text == "statute":
        source = tmp_path_factory.mktemp("law-pdf") / "law.md"
        source.write_text(make_law(200), encoding="utf-8")
    pdf = built(source, "pdf", "zh-Hans", style)
    page = load_style(style).page
    gaps = fidelity.latin_gaps(fidelity.type_area_lines(pdf, page.top, page.height - page.bottom))
    assert len(gaps) > 20
    assert max(g for g, _ in gaps) <= 0.3, sorted(gaps, reverse=True)[:5]
