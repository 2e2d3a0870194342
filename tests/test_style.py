"""Styles: units, inheritance, validation messages, and the `styles` command."""

from __future__ import annotations

import pytest

from zhengji_publish.cli import main
from zhengji_publish.diagnostics import UserError
from zhengji_publish.style import list_styles, load_style
from zhengji_publish.units import MM, font_size, length, page_size

pytestmark = pytest.mark.unit


def test_chinese_sizes_and_units():
    assert font_size("五号") == 10.5 and font_size("三号") == 16 and font_size("小四") == 12
    assert length("20mm", None) == pytest.approx(20 * MM) and length("2em", 10.5) == 21
    assert page_size("A5") == pytest.approx((148 * MM, 210 * MM))
    assert page_size("16开") == pytest.approx((185 * MM, 260 * MM))


def test_default_style_resolves():
    s = load_style("default")
    assert s.page.width == pytest.approx(148 * MM) and s.page.chars_per_line == 29
    body = s.block("body")
    assert body.size == 10.5 and body.indent == 2 and body.align == "justify" and body.font == "serif"
    assert s.heading(1).indent == 0 and s.heading(1).align == "center" and s.heading(1).font == "sans"
    assert s.block("byline").font == "kai" and s.block("byline").align == "right"
    assert s.heading(2).space_before == pytest.approx(12.0)  # 1em of 小四
    assert "default" in list_styles()


def test_extends_changes_one_thing(tmp_path):
    (tmp_path / "mine.yaml").write_text("extends: default\nbody:\n  leading: 1.8\n", encoding="utf-8")
    base, mine = load_style("default"), load_style(str(tmp_path / "mine.yaml"))
    assert mine.block("body").leading == 1.8 and base.block("body").leading == 1.65
    assert mine.page == base.page and mine.fonts == base.fonts and mine.heading(1) == base.heading(1)


@pytest.mark.parametrize(
    "yaml_text, line, what",
    [
        ("extends: default\nbody:\n  colour: red\n", 3, "unknown style key 'body.colour'"),
        ("extends: default\nmargins: 3\n", 2, "unknown style key 'margins'"),
        ("extends: default\nbody:\n  size: 900pt\n", 3, "bad value for 'body.size'"),
        ("extends: default\npage:\n  margin-left: 100mm\n  margin-right: 100mm\n", 2, "type area"),
        ("extends: default\npage:\n  chars-per-line: 60\n", 3, "do not fit"),
        ("extends: default\nfonts:\n  serif: []\n", 3, "not a list of font family names"),
        ("extends: default\nbody:\n  align: middle\n", 3, "not one of left, center, right, justify"),
        ("extends: default\nbody: [1\n", 2, "not valid YAML"),
        ("extends: default\npage:\n  size: A5\n  size: A4\n", 4, "'size' is given twice (first at line 3)"),
    ],
)
def test_style_errors_name_file_line_key_and_fix(tmp_path, yaml_text, line, what):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_style(str(path))
    message = str(info.value)
    assert f"bad.yaml:{line}:" in message and what in message and " — " in message


def test_error_in_an_inherited_value_names_where_it_was_set(tmp_path):
    (tmp_path / "big.yaml").write_text("extends: default\nbody:\n  size: 小四\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"big\.yaml:3:3: error: 29 characters of 12 pt do not fit .*default\.yaml:\d+"):
        load_style(str(tmp_path / "big.yaml"))


def test_circular_extends(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a\n", encoding="utf-8")
    with pytest.raises(UserError, match="in a circle"):
        load_style(str(tmp_path / "a.yaml"))


def test_unknown_style_lists_the_available_ones():
    with pytest.raises(UserError, match="unknown style 'nope' — available: .*default"):
        load_style("nope")


def test_styles_commands(capsys):
    assert main(["styles", "list"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert any(row.startswith("default ") for row in rows)
    assert len({row.index(" shipped ") for row in rows}) == 1  # one column, long names included
    assert main(["styles", "show", "default"]) == 0
    out = capsys.readouterr().out
    assert "size: 五号" in out and "name: default" in out


@pytest.mark.parametrize(
    ("yaml_text", "where", "what"),
    [
        ("extends: default\nbody:\n  size: 900pt\n", ":3:9:", "bad value for 'body.size'"),
        ("extends: default\nbody:\n    colour: red\n", ":3:5:", "unknown style key 'body.colour'"),
        ("extends: default\n  margins: 3\n", ":2:10:", "not valid YAML"),
        ("extends: default\nbody:\n  size: [1\nh1:\n  size: 2\n", ":3:9:", "not valid YAML"),
        ("extends: default\nbody:\n  align: 'left\n", ":3:10:", "unclosed quote: the ' opened here is never closed"),
        ('extends: default\ndescription: "x\nbody:\n  size: 五号\n', ":2:14:", 'close it with " where the value ends'),
        ("extends: [a, b]\n", ":1:10:", "'extends' must name one style"),
    ],
)
def test_style_errors_name_the_column(tmp_path, yaml_text, where, what):
    """A style's problem at the column of its key, of its value for a bad value, of the construct
    left open for a YAML error (not the line after it)."""
    path = tmp_path / "bad.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_style(str(path))
    message = str(info.value)
    assert f"bad.yaml{where} error: " in message and what in message, message


@pytest.mark.parametrize(
    ("change", "told", "elsewhere"),
    [
        ("body:\n  size: 小四\n", "29 characters of 12 pt do not fit", "page.chars-per-line is set at"),
        ("page:\n  chars-per-line: 40\n", "40 characters of 10.5 pt do not fit", "body.size is set at"),
        ("page:\n  lines-per-page: 60\n", "60 lines of 10.5 pt do not fit", "body.size is set at"),
    ],
)
def test_a_clash_is_told_at_the_value_the_users_style_changed(tmp_path, change, told, elsewhere):
    """A style that extends a shipped one and changes one value that no longer goes with the
    others (a larger body on the same 29 characters a line) is told at its own line, naming where
    the other value is set; it was told at the shipped default.yaml's line, which the user never
    wrote."""
    mine = tmp_path / "mine.yaml"
    mine.write_text("extends: default\n" + change, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_style(str(mine))
    d = caught.value.diagnostics[0]
    assert (d.path, d.line, d.col) == (mine, 3, 3), d
    assert d.message.startswith(told) and elsewhere in d.message and "default.yaml:" in d.message
