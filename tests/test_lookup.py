"""Where styles and fonts are found: the shipped styles inside the package, then the user's folders.

The order (README "Where styles and fonts are found"): a style name is looked up in each
``--styles`` folder, beside the source (its folder, then its ``styles/``), in ``./styles``, then
among the shipped styles; fonts in each ``--fonts`` folder, ``fonts/`` beside the source,
``./fonts``, then the system's.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pdfplumber
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

import zhengji_publish
from zhengji_publish import style as style_module
from zhengji_publish.cli import main
from zhengji_publish.diagnostics import UserError
from zhengji_publish.fonts import SYSTEM_FONT_DIRS, FontBook, font_folders, installed_faces
from zhengji_publish.style import StyleSearch, find_style, list_styles, load_style, shipped_styles_dir

SHIPPED = ["a4-report", "book-16k", "book-32k-vertical", "default", "ebook", "ebook-vertical", "gongwen"]


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path, monkeypatch):
    """Each test runs in an empty folder of its own, with its own font index and cache."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("ZHENGJI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ZHENGJI_FONT_DIRS", raising=False)


def write_style(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def make_font(path: Path, family: str) -> Path:
    """A small TrueType font of family ``family``: a box for each printable ASCII character."""
    chars = [chr(c) for c in range(0x20, 0x7F)]
    names = [".notdef"] + [f"u{ord(c):04X}" for c in chars]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"u{ord(c):04X}" for c in chars})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        if name != "u0020":
            pen.moveTo((100, 0))
            pen.lineTo((100, 700))
            pen.lineTo((500, 700))
            pen.lineTo((500, 0))
            pen.closePath()
        glyphs[name] = pen.glyph()
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (600, 0 if n == "u0020" else 100) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": family, "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    fb.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    fb.save(str(path))
    return path


# ---------------------------------------------------------------- shipped styles


@pytest.mark.unit
def test_the_shipped_styles_are_read_from_inside_the_package():
    package = Path(zhengji_publish.__file__).resolve().parent
    assert shipped_styles_dir().resolve() == package / "styles"
    assert list_styles() == SHIPPED
    report = load_style("a4-report")
    assert report.path == package / "styles" / "a4-report.yaml"
    # a shipped style's extends: still reaches the shipped default
    assert report.fonts == load_style("default").fonts and report.page.width == pytest.approx(595.28, abs=0.1)


@pytest.mark.unit
def test_styles_of_a_zipped_package_are_copied_out_once(tmp_path, monkeypatch):
    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("zhengji_publish/styles/default.yaml", "name: zipped\n")
        z.writestr("zhengji_publish/styles/notes.txt", "not a style\n")
    monkeypatch.setattr(style_module, "_EXTRACTED", {})
    monkeypatch.setattr(
        style_module.resources, "files", lambda _pkg: zipfile.Path(zipfile.ZipFile(archive), "zhengji_publish/")
    )
    folder = shipped_styles_dir()
    assert sorted(p.name for p in folder.iterdir()) == ["default.yaml"]
    assert (folder / "default.yaml").read_text() == "name: zipped\n"
    assert shipped_styles_dir() == folder


# ---------------------------------------------------------------- style lookup order


@pytest.mark.unit
def test_a_style_beside_the_source_wins_over_a_shipped_one_of_the_same_name(tmp_path):
    source_dir = tmp_path / "book"
    mine = write_style(source_dir, "default", "extends: default\nbody:\n  leading: 1.9\n")
    s = load_style("default", source_dir)
    assert s.path == mine.resolve() and s.block("body").leading == 1.9
    # extending its own name reaches the shipped default: everything else is the shipped one's
    shipped = load_style("default")
    assert shipped.block("body").leading == 1.65 and s.page == shipped.page and s.fonts == shipped.fonts


@pytest.mark.unit
def test_the_source_folder_comes_before_its_styles_folder_which_comes_before_dot_styles(tmp_path):
    source_dir = tmp_path / "book"
    dot = write_style(Path.cwd() / "styles", "house", "extends: default\nbody:\n  leading: 1.7\n")
    assert find_style("house", source_dir) == dot.resolve()
    sub = write_style(source_dir / "styles", "house", "extends: default\nbody:\n  leading: 1.8\n")
    assert find_style("house", source_dir) == sub.resolve()
    beside = write_style(source_dir, "house", "extends: default\nbody:\n  leading: 1.9\n")
    assert find_style("house", source_dir) == beside.resolve()
    assert load_style("house", source_dir).block("body").leading == 1.9


@pytest.mark.unit
def test_styles_folders_come_first_in_the_order_given(tmp_path):
    source_dir = tmp_path / "book"
    write_style(source_dir, "default", "extends: default\nbody:\n  leading: 1.9\n")
    first = write_style(tmp_path / "first", "default", "extends: default\nbody:\n  leading: 1.7\n")
    second = write_style(tmp_path / "second", "default", "extends: default\nbody:\n  leading: 1.8\n")
    assert find_style("default", source_dir, [tmp_path / "first", tmp_path / "second"]) == first.resolve()
    assert find_style("default", source_dir, [tmp_path / "second", tmp_path / "first"]) == second.resolve()
    s = load_style("default", source_dir, [tmp_path / "first"])
    assert s.block("body").leading == 1.7  # its extends: default skips itself, then --styles, beside, shipped


@pytest.mark.unit
def test_extends_looks_beside_the_extending_file_first(tmp_path):
    lib = tmp_path / "lib"
    write_style(lib, "base", "extends: default\nbody:\n  leading: 1.75\n")
    write_style(lib, "house", "extends: base\n")
    write_style(tmp_path / "book", "base", "extends: default\nbody:\n  leading: 1.95\n")
    assert load_style("house", tmp_path / "book", [lib]).block("body").leading == 1.75


@pytest.mark.unit
def test_a_style_path_is_taken_from_the_source_folder_then_the_current_folder(tmp_path):
    source_dir = tmp_path / "book"
    in_cwd = write_style(Path.cwd() / "looks", "x", "extends: default\n")
    assert find_style("looks/x.yaml", source_dir) == in_cwd.resolve()
    in_source = write_style(source_dir / "looks", "x", "extends: default\n")
    assert find_style("looks/x.yaml", source_dir) == in_source.resolve()


@pytest.mark.unit
def test_a_name_found_nowhere_names_the_folders_searched_and_the_styles_available(tmp_path):
    source_dir = tmp_path / "book"
    write_style(source_dir / "styles", "mine", "extends: default\n")
    with pytest.raises(UserError) as info:
        load_style("nope", source_dir, [tmp_path / "extra"])
    assert info.value.exit_code == 2
    message = str(info.value)
    assert message.startswith("zhengji-publish: error: unknown style 'nope' — available: a4-report, book-16k, ")
    assert "default, ebook, ebook-vertical, gongwen, mine;" in message
    for folder in (tmp_path / "extra", source_dir, source_dir / "styles", Path.cwd() / "styles"):
        assert str(folder) in message
    assert "the shipped styles" in message


@pytest.mark.unit
def test_an_unknown_parent_is_reported_at_the_extends_line(tmp_path):
    path = write_style(tmp_path, "child", "# a comment\nname: child\nextends: nowhere\n")
    with pytest.raises(UserError, match=r"child\.yaml:3:10: error: unknown style 'nowhere' — available: .*default"):
        load_style(str(path))


@pytest.mark.unit
def test_styles_list_shows_shipped_and_own_styles_with_where_they_come_from(tmp_path, capsys):
    write_style(Path.cwd() / "styles", "default", "description: my default\nextends: default\n")
    write_style(Path.cwd() / "styles", "house", "description: the house style\nextends: gongwen\n")
    write_style(tmp_path / "more", "report", "extends: a4-report\n")
    (Path.cwd() / "notes.yaml").write_text("todo: [a, b]\n", encoding="utf-8")  # not a style: not listed
    assert main(["styles", "list", "--styles", str(tmp_path / "more")]) == 0
    rows = {line.split()[0]: line.split(None, 2)[1:] for line in capsys.readouterr().out.splitlines()}
    assert sorted(rows) == sorted([*SHIPPED, "house", "report"])
    assert rows["gongwen"][0] == "shipped" and rows["house"] == ["./styles", "the house style"]
    assert rows["default"] == ["./styles", "my default (instead of the shipped one)"]
    assert rows["report"] == [str(tmp_path / "more")]
    assert main(["styles", "show", "house"]) == 0
    assert "description: the house style" in capsys.readouterr().out


@pytest.mark.unit
def test_the_same_search_lists_what_it_finds():
    search = StyleSearch()
    assert [s.name for s in search.available()] == SHIPPED
    assert all(s.folder.origin == "shipped" for s in search.available())


# ---------------------------------------------------------------- font lookup order


@pytest.mark.unit
def test_font_folders_in_order(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHENGJI_FONT_DIRS", f"{tmp_path / 'env1'}:{tmp_path / 'env2'}")
    cwd = Path.cwd()
    assert font_folders([Path("mine"), tmp_path / "more"], tmp_path / "book") == [
        cwd / "mine",
        tmp_path / "more",
        tmp_path / "book" / "fonts",
        cwd / "fonts",
        tmp_path / "env1",
        tmp_path / "env2",
        *[d.expanduser().absolute() for d in SYSTEM_FONT_DIRS],
    ]
    # the source in the current folder: its fonts/ is ./fonts, listed once
    assert font_folders([], cwd).count(cwd / "fonts") == 1


def _book_with_test_serif(tmp_path: Path, **folders: object) -> FontBook:
    installed_faces.cache_clear()  # fonts were added to folders scanned before in this process
    style = load_style(
        str(write_style(tmp_path / "st", "s", "extends: default\nfonts:\n  serif: [Zhengji Test Serif]\n"))
    )
    return FontBook(style, "SC", **folders)  # type: ignore[arg-type]


@pytest.mark.unit
def test_a_fonts_folder_given_first_wins_whatever_its_path(tmp_path):
    # "z…" sorts after "a…": the order of the folders decides, not the file paths
    first = make_font(tmp_path / "z-first" / "t.ttf", "Zhengji Test Serif")
    make_font(tmp_path / "a-second" / "t.ttf", "Zhengji Test Serif")
    book = _book_with_test_serif(tmp_path, extra_dirs=[tmp_path / "z-first", tmp_path / "a-second"])
    assert book.primary("serif").path == str(first)


@pytest.mark.unit
def test_fonts_beside_the_source_come_before_dot_fonts(tmp_path):
    source_dir = tmp_path / "book"
    in_cwd = make_font(Path.cwd() / "fonts" / "t.ttf", "Zhengji Test Serif")
    assert _book_with_test_serif(tmp_path, source_dir=source_dir).primary("serif").path == str(in_cwd)
    beside = make_font(source_dir / "fonts" / "z.ttf", "Zhengji Test Serif")
    assert _book_with_test_serif(tmp_path, source_dir=source_dir).primary("serif").path == str(beside)
    given = make_font(tmp_path / "given" / "z.ttf", "Zhengji Test Serif")
    book = _book_with_test_serif(tmp_path, source_dir=source_dir, extra_dirs=[tmp_path / "given"])
    assert book.primary("serif").path == str(given)


@pytest.mark.e2e
def test_build_uses_a_style_from_styles_and_a_face_from_fonts(tmp_path):
    """Through the command line: --styles finds the style, whose mono role names a family that
    only the --fonts folder has; the PDF's code is set in that face."""
    source = tmp_path / "book" / "a.md"
    source.parent.mkdir()
    source.write_text("---\ntitle: 测试\n---\n\n# 标题\n\n正文。\n\n```\nprint(1)\n```\n", encoding="utf-8")
    write_style(
        tmp_path / "looks", "house", "extends: default\nfonts:\n  mono: [Zhengji Test Mono, Noto Sans Mono CJK]\n"
    )
    make_font(tmp_path / "faces" / "mono.ttf", "Zhengji Test Mono")

    def fonts_in_pdf(*extra: str) -> set[str]:
        out = tmp_path / f"out{len(extra)}"
        args = ["build", str(source), "-s", "house", "--styles", str(tmp_path / "looks"), "-f", "pdf"]
        assert main([*args, "-e", "zh-Hans", "-o", str(out), *extra]) == 0
        with pdfplumber.open(out / "a.zh-Hans.pdf") as pdf:
            return {c["fontname"].split("+")[-1] for page in pdf.pages for c in page.chars if c["text"] in "print"}

    assert any("Zhengji-Test-Mono" in name for name in fonts_in_pdf("--fonts", str(tmp_path / "faces")))
    assert not any("Zhengji" in name for name in fonts_in_pdf())
    # the same face from fonts/ beside the source, with no option
    (tmp_path / "faces").rename(source.parent / "fonts")
    installed_faces.cache_clear()  # the folders were scanned before in this process
    assert any("Zhengji-Test-Mono" in name for name in fonts_in_pdf("-j", "1"))
