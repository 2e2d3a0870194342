"""Every file a source names stays inside the source's folder unless --allow-outside widens it.

For each kind of referenced file (an image, the ``overrides`` phrase file, a ``style`` given by
path) a reference by ``..``, by an absolute path and through a symbolic link is refused with the
source's line, before the file is opened; ``--allow-outside DIR`` lets each of them in.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA

from zhengji_publish.cli import main
from zhengji_publish.diagnostics import UserError
from zhengji_publish.paths import Confinement, confine

OVERRIDES = "头发\t頭髮\n"
STYLE = "extends: default\ndescription: mine\n"


def _layout(tmp_path: Path) -> tuple[Path, Path]:
    """``book/`` (the source's folder, with links to the files outside) and ``elsewhere/`` (the files)."""
    inner, outer = tmp_path / "book", tmp_path / "elsewhere"
    inner.mkdir()
    outer.mkdir()
    (outer / "pic.png").write_bytes((DATA / "figure.png").read_bytes())
    (outer / "phrases.txt").write_text(OVERRIDES, encoding="utf-8")
    (outer / "mine.yaml").write_text(STYLE, encoding="utf-8")
    for name in ("pic.png", "phrases.txt", "mine.yaml"):
        (inner / f"link-{name}").symlink_to(outer / name)
    return inner, outer


# kind → (the source with a reference REF, the reference's line and column, the message's start)
KINDS = {
    "image": ("# 标题\n\n![图](REF)\n", "3:1", "image"),
    "overrides": ("---\ntitle: 书\noverrides: REF\n---\n# 标题\n\n头发。\n", "3:12", "overrides file"),
    "style": ("---\nstyle: REF\n---\n# 标题\n\n正文。\n", "2:8", "style file"),
}
FILES = {"image": "pic.png", "overrides": "phrases.txt", "style": "mine.yaml"}


def _references(kind: str, outer: Path) -> dict[str, str]:
    name = FILES[kind]
    return {"dotdot": f"../elsewhere/{name}", "absolute": str(outer / name), "symlink": f"link-{name}"}


@pytest.mark.e2e
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink"])
def test_a_referenced_file_outside_the_source_folder_is_refused(tmp_path, capsys, kind, how):
    inner, outer = _layout(tmp_path)
    text, line, what = KINDS[kind]
    ref = _references(kind, outer)[how]
    src = inner / "doc.md"
    src.write_text(text.replace("REF", ref), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(src), "-f", "epub", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{src}:{line}: error: {what} '{ref}' lies outside {inner}" in err, err
    assert f"(it is {outer / FILES[kind]})" in err and "--allow-outside" in err
    assert not out.exists()
    # the same reference is accepted once the folder is allowed
    assert main(["build", str(src), "-f", "epub", "-o", str(out), "--allow-outside", str(outer)]) == 0, (
        capsys.readouterr().err
    )


@pytest.mark.e2e
def test_an_overrides_file_outside_is_never_read(tmp_path, capsys):
    """The attack: ``overrides: ../../etc/passwd`` used to be parsed, its lines reported in errors."""
    inner, outer = _layout(tmp_path)
    secret = outer / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    src = inner / "doc.md"
    src.write_text("---\noverrides: ../elsewhere/secret.txt\n---\n# 标题\n", encoding="utf-8")
    assert main(["build", str(src), "-f", "epub", "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "lies outside" in err and "root:x" not in err and "secret.txt:1" not in err


@pytest.mark.e2e
def test_allowed_folders_widen_rather_than_replace_the_source_folder(tmp_path, capsys):
    inner, outer = _layout(tmp_path)
    (inner / "own.png").write_bytes((DATA / "figure.png").read_bytes())
    src = inner / "doc.md"
    src.write_text("# 标题\n\n![图](own.png)\n\n![图](../elsewhere/pic.png)\n", encoding="utf-8")
    assert main(["build", str(src), "-f", "epub", "-o", str(tmp_path / "out"), "--allow-outside", str(outer)]) == 0


@pytest.mark.e2e
def test_a_style_named_on_the_command_line_is_the_users_own_choice(tmp_path, capsys):
    """Confinement guards what a source names; a style the user types with -s may be anywhere."""
    inner, outer = _layout(tmp_path)
    src = inner / "doc.md"
    src.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    assert main(["build", str(src), "-f", "epub", "-o", str(tmp_path / "out"), "-s", str(outer / "mine.yaml")]) == 0


@pytest.mark.unit
def test_confine_resolves_links_before_checking(tmp_path):
    inside, outside = tmp_path / "in", tmp_path / "out"
    inside.mkdir()
    outside.mkdir()
    (inside / "sub").mkdir()
    (inside / "hop").symlink_to(outside)
    where = inside / "doc.md"
    assert confine("sub/../a.png", inside, "image 'a'", where, 1) == (inside / "a.png").resolve()
    for name in ("hop/a.png", "../out/a.png", str(outside / "a.png"), "sub/../../out/a.png"):
        with pytest.raises(UserError, match="lies outside"):
            confine(name, inside, "image 'a'", where, 1)
    assert Confinement([outside]).check("hop/a.png", inside, "image 'a'", where, 1) == (outside / "a.png").resolve()


@pytest.mark.unit
def test_a_link_loop_is_a_located_error(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(UserError) as caught:
        confine("a", tmp_path, "image 'a'", tmp_path / "doc.md", 4)
    assert "doc.md:4:1: error: image 'a'" in str(caught.value)


@pytest.mark.e2e
@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink"])
def test_a_style_the_source_names_cannot_extend_a_file_outside(tmp_path, capsys, how):
    inner, outer = _layout(tmp_path)
    (outer / "base.yaml").write_text("extends: default\n", encoding="utf-8")
    (inner / "link-base.yaml").symlink_to(outer / "base.yaml")
    ref = {"dotdot": "../elsewhere/base.yaml", "absolute": str(outer / "base.yaml"), "symlink": "link-base.yaml"}[how]
    (inner / "s.yaml").write_text(f"description: mine\nextends: {ref}\n", encoding="utf-8")
    src = inner / "doc.md"
    src.write_text("---\nstyle: s.yaml\n---\n# 标题\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(src), "-f", "epub", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{inner / 's.yaml'}:2:10: error: style file '{ref}' lies outside {inner}" in err, err
    assert main(["build", str(src), "-f", "epub", "-o", str(out), "--allow-outside", str(outer)]) == 0
    # the same style chosen on the command line is the user's own: not confined
    assert main(["build", str(src), "-f", "epub", "-o", str(out), "-s", str(inner / "s.yaml")]) == 0


@pytest.mark.e2e
@pytest.mark.parametrize("name, what", [("missing.txt", "not found"), ("sub", "is a folder, not a file")])
def test_a_missing_overrides_file_is_located_at_its_front_matter_line(tmp_path, capsys, name, what):
    (tmp_path / "sub").mkdir()
    src = tmp_path / "doc.md"
    src.write_text(f"---\ntitle: 书\noverrides: {name}\n---\n# 标题\n", encoding="utf-8")
    assert main(["build", str(src), "-f", "epub", "-o", str(tmp_path / "out")]) == 1
    assert f"{src}:3:12: error: overrides file '{name}' {what}" in capsys.readouterr().err
