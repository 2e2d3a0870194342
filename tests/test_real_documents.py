"""Real documents a new user brings: a 200 KB statute and a Chinese README, in every format."""

from __future__ import annotations

import sys
import zipfile

import docx
import pytest
from conftest import DATA, ROOT
from pdfcheck import measure

from zhengji_publish.cli import main

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import make_law  # noqa: E402

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def law(tmp_path_factory):
    folder = tmp_path_factory.mktemp("law")
    src = folder / "law.md"
    src.write_text(make_law(200), encoding="utf-8")
    assert main(["build", str(src), "-o", str(folder / "out"), "-e", "zh-Hans"]) == 0
    return folder / "out"


def test_law_text_pdf_follows_the_rules(law):
    rep = measure(law / "law.zh-Hans.pdf")
    assert rep.lines > 2000
    assert rep.start_violations == [] and rep.end_violations == []
    assert rep.full_lines > 1000 and rep.flush_lines == rep.full_lines
    assert rep.pairs > 50 and rep.compressed_pairs == rep.pairs


def test_law_text_docx_and_epub_are_whole(law):
    d = docx.Document(str(law / "law.zh-Hans.docx"))
    styles = {p.style.name for p in d.paragraphs}
    assert {"Heading 1", "Heading 2", "Heading 3"} <= styles
    assert sum(1 for p in d.paragraphs if p.text.startswith("第") and "条" in p.text[:8]) > 500
    with zipfile.ZipFile(law / "law.zh-Hans.epub") as z:
        assert z.testzip() is None and len([n for n in z.namelist() if n.endswith(".xhtml")]) > 3


def test_chinese_readme_builds_in_every_format_and_edition(tmp_path):
    assert main(["build", str(DATA / "readme_zh.md"), "-o", str(tmp_path)]) == 0
    built = sorted(p.name for p in tmp_path.iterdir())
    assert built == sorted(f"readme_zh.{e}.{f}" for e in ("zh-Hans", "zh-Hant-TW") for f in ("docx", "epub", "pdf"))
    rep = measure(tmp_path / "readme_zh.zh-Hans.pdf")
    assert rep.start_violations == [] and rep.end_violations == []


def test_no_page_ends_with_a_heading(law):
    """Headings are set in the sans face, body text in the serif face: no page's last line is sans."""
    import pdfplumber

    headings_seen = 0
    with pdfplumber.open(law / "law.zh-Hans.pdf") as pdf:
        for page in pdf.pages[:-1]:
            chars = [c for c in page.chars if c["text"].strip() and c["top"] < page.height * 0.85]
            headings_seen += sum(1 for c in chars if "Sans" in c["fontname"])
            last_top = max(c["top"] for c in chars)
            last = [c for c in chars if abs(c["top"] - last_top) < 2]
            assert not all("Sans" in c["fontname"] for c in last), "".join(c["text"] for c in last)
    assert headings_seen > 500  # the check had headings to look at
