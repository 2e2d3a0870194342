"""Font resolution per edition, the missing-glyph error, and edition conversion."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SEED

from zhengji_publish import editions, fonts
from zhengji_publish import model as m
from zhengji_publish.diagnostics import UserError
from zhengji_publish.fonts import FontBook, installed_faces
from zhengji_publish.fonts.coverage import check_coverage
from zhengji_publish.reader import read_file, read_text
from zhengji_publish.style import load_style

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("region, suffix", [("SC", "SC"), ("TC", "TC"), ("HK", "HK")])
def test_edition_picks_the_regional_face(region, suffix):
    book = FontBook(load_style("default"), region)
    assert book.primary("serif").family == f"Noto Serif CJK {suffix}"
    assert book.primary("sans").family == f"Noto Sans CJK {suffix}"
    bold = book.primary("serif", bold=True)
    assert bold.family == f"Noto Serif CJK {suffix}" and bold.weight >= 700


def test_fonts_folder_wins(tmp_path):
    src = next(
        f
        for f in installed_faces(tuple(FontBook(load_style("default"), "SC").faces and [Path("/usr/share/fonts")]))
        if f.path.endswith("ukai.ttc")
    )
    shutil.copy(src.path, tmp_path / "mykai.ttc")
    book = FontBook(load_style("default"), "SC", extra_dirs=[tmp_path])
    assert Path(book.primary("kai").path).parent == tmp_path


def test_a_character_no_font_has_is_an_error_with_its_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts.families, "fontconfig_faces", lambda cp: ())  # no installed face either (no fc-list run)
    src = tmp_path / "x.md"
    src.write_text("# 标题\n\n甲\U0010fffd乙\n\n丙\U0010fffd\n", encoding="utf-8")
    doc = read_file(src)
    with pytest.raises(UserError) as info:
        check_coverage(doc, FontBook(load_style("default"), "SC"))
    text = str(info.value)
    assert "x.md:3:2: error: no font has the character" in text and "U+10FFFD" in text
    assert "also on lines 5" in text and "fonts/" in text


def test_missing_font_role_family_is_an_error(tmp_path):
    (tmp_path / "s.yaml").write_text("extends: default\nfonts:\n  serif: [No Such Family]\n", encoding="utf-8")
    book = FontBook(load_style(str(tmp_path / "s.yaml")), "SC")
    with pytest.raises(UserError, match="no font of role 'serif' is installed"):
        book.chain("serif")


def test_traditional_edition_converts_text_and_metadata_not_code():
    doc = read_text(
        "---\ntitle: 树立和践行\nauthor: 新华社记者\n---\n# 头发\n\n干部`发展()`和[联系](https://x.org/发)\n",
        Path("x.md"),
    )
    ed = editions.resolve("zh-Hant-TW", doc.meta)
    assert ed.configs == ("s2tw",) and ed.lang == "zh-Hant-TW" and ed.word_lang == "zh-TW" and ed.region == "TC"
    out = editions.apply(doc, ed)
    assert out.meta.title == "樹立和踐行" and out.meta.authors == ["新華社記者"]
    para = out.blocks[1].children
    assert para[0].text == "幹部" and para[1].text == "发展()"  # code untouched
    assert para[3].href == "https://x.org/%E5%8F%91" and m.plain_text(para[3].children) == "聯繫"
    assert m.plain_text(doc.blocks[1].children).startswith("干部")  # the original tree is unchanged


def test_edition_defaults_and_overrides():
    simp = read_text("---\nlang: zh-CN\nopencc: {zh-Hant-TW: s2twp}\n---\n软件\n", Path("x.md")).meta
    assert editions.resolve("zh-Hant-HK", simp).configs == ("s2hk",)
    tw = editions.resolve("zh-Hant-TW", simp)
    assert tw.configs == ("s2twp",)
    doc = read_text("---\nlang: zh-CN\nopencc: {zh-Hant-TW: s2twp}\n---\n软件\n", Path("x.md"))
    assert m.plain_text(editions.apply(doc, tw).blocks[0].children) == "軟體"
    trad = read_text("---\nlang: zh-Hant\n---\n頭髮\n", Path("x.md"))
    hans = editions.resolve("zh-Hans", trad.meta)
    assert hans.configs == ("t2s",)
    assert m.plain_text(editions.apply(trad, hans).blocks[0].children) == "头发"


def test_seed_tw_edition():
    doc = read_file(SEED)
    tw = editions.apply(doc, editions.resolve("zh-Hant-TW", doc.meta))
    heads = [m.plain_text(b.children) for b in tw.blocks if isinstance(b, m.Heading)]
    assert heads[0] == "凝心鑄魂強根基 以民為本出實績" and tw.meta.title == "樹立和踐行正確政績觀"


def test_a_character_only_the_kai_face_has_is_the_styles(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts.families, "fontconfig_faces", lambda cp: ())  # no installed face to fall back to
    (tmp_path / "s.yaml").write_text(
        "extends: default\nfonts:\n  serif: [DejaVu Sans Mono]\n  sans: [DejaVu Sans Mono]\n"
        "  mono: [DejaVu Sans Mono]\n  kai: [AR PL UKai]\n  fangsong: [AR PL UKai]\n",
        encoding="utf-8",
    )
    src = tmp_path / "x.md"
    src.write_text("# 标题\n\n正文里的汉字。\n", encoding="utf-8")
    book = FontBook(load_style(str(tmp_path / "s.yaml")), "SC")
    check_coverage(read_file(src), book)  # the body is serif, but the style's 楷体 has every character
    assert not book.reporter.warnings
