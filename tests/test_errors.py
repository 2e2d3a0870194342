"""Every kind of user error through the command line: one located message, the exit code, no
traceback, and the outputs of the last good build left exactly as they were."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA

pytestmark = pytest.mark.e2e

GOOD = "---\ntitle: 正文\nstyle: mine.yaml\n---\n# 标题\n\n正文。\n\n![图](figure.png)\n"
STYLE = "extends: default\n"

# (what to break, replacement source or style, exit code, expected message piece)
CASES = {
    "malformed YAML": ("source", "---\ntitle: [正文\n---\n# 标题\n", 1, ":2:"),
    "unknown front-matter key": (
        "source",
        "---\ntitel: 正文\n---\n# 标题\n",
        1,
        ":2:1: error: unknown front-matter key",
    ),
    "unknown edition": ("source", "---\neditions: [zh-XX]\n---\n# 标题\n", 1, ":2:12: error: unknown edition 'zh-XX'"),
    "unknown style": ("source", "---\nstyle: nope\n---\n# 标题\n", 1, "doc.md:2:8: error: unknown style 'nope'"),
    "unknown style key": (
        "style",
        "extends: default\nbody:\n  colour: red\n",
        1,
        "mine.yaml:3:3: error: unknown style key 'body.colour'",
    ),
    "missing image": ("source", "# 标题\n\n![图](gone.png)\n", 1, ":3:1: error: image 'gone.png' not found"),
    "unsupported image": ("source", "# 标题\n\n![图](figure.bmp)\n", 1, ":3:1: error: image 'figure.bmp' is not"),
    "missing image inside a paragraph": (
        "source",
        "# 标题\n\n第一行，\n第二行见![示意图](图%20片.png)。\n",
        1,
        ":4:5: error: image '图 片.png' not found",
    ),
    "image named as Chinese text": (
        "source",
        "# 标题\n\n见![图](<插图 1.png>)和![图](插图2.png)。\n",
        1,
        ":3:2: error: image '插图 1.png' not found",
    ),
    "character no font has": ("source", "# 标题\n\n正文\U0010fffd。\n", 1, ":3:3: error: no font has the character"),
    "missing font": (
        "style",
        "extends: default\nfonts:\n  serif: [No Such Serif]\n  sans: [No Such Sans]\n",
        1,
        "error: no font of role",
    ),
    "control character": ("source", "# 标题\n\n正文\x0b。\n", 1, ":3:3: error: control character U+000B"),
    "empty source": ("source", "\n\n", 1, ":1:1: error: the source is empty"),
}


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def build(src: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zhengji_publish", "build", str(src), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def good_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("good")
    shutil.copy(DATA / "figure.png", folder / "figure.png")
    (folder / "figure.bmp").write_bytes(b"BM not an image")
    (folder / "doc.md").write_text(GOOD, encoding="utf-8")
    (folder / "mine.yaml").write_text(STYLE, encoding="utf-8")
    assert build(folder / "doc.md", folder / "out").returncode == 0
    return folder


@pytest.mark.parametrize("case", CASES)
def test_user_error_is_one_clean_message_and_outputs_stay(good_build, tmp_path, case):
    work = tmp_path / "w"
    shutil.copytree(good_build, work)
    before = digests(work / "out")
    assert len(before) == 3
    target, text, code, message = CASES[case]
    (work / ("doc.md" if target == "source" else "mine.yaml")).write_text(text, encoding="utf-8")
    result = build(work / "doc.md", work / "out")
    assert result.returncode == code, result.stderr
    assert message in result.stderr and " — " in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert digests(work / "out") == before  # same files, same bytes: nothing half-written


def test_invalid_utf8_through_the_command_line(good_build, tmp_path):
    work = tmp_path / "w"
    shutil.copytree(good_build, work)
    before = digests(work / "out")
    (work / "doc.md").write_bytes("# 标题\n\n正文".encode() + b"\xff" + "。\n".encode())
    result = build(work / "doc.md", work / "out")
    assert result.returncode == 1 and "doc.md:3:3: error: invalid UTF-8 byte 0xff" in result.stderr
    assert digests(work / "out") == before


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_sources_problems_are_told_in_one_run(tmp_path, jobs):
    """Three sources built together, two with a problem each (a missing image, a note never
    defined): both are told, in the sources' order, nothing is written and the exit status is 1.
    The build stopped at the first source's problem and never read the third."""
    (tmp_path / "ok.md").write_text("---\ntitle: 好\n---\n\n正文。\n", encoding="utf-8")
    (tmp_path / "img.md").write_text("---\ntitle: 图\n---\n\n![图](missing.png)\n", encoding="utf-8")
    (tmp_path / "fn.md").write_text("---\ntitle: 注\n---\n\n正文[^x]。\n", encoding="utf-8")
    sources = [str(tmp_path / n) for n in ("ok.md", "img.md", "fn.md")]
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "zhengji_publish", "build", *sources, "-o", str(out), "-j", jobs],
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = result.stderr.splitlines()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert [ln.split(": error: ")[0] for ln in lines] == [f"{tmp_path / 'img.md'}:5:1", f"{tmp_path / 'fn.md'}:5:3"]
    assert not out.exists() or not list(out.iterdir())


def test_a_source_that_cannot_be_read_is_told_with_the_cause_in_words(tmp_path, monkeypatch):
    """An OS error reading a source (a disk error: ``/proc/self/mem``) names the cause in words and
    what to do about that cause, not "check its permissions" whatever the cause."""
    import errno

    from zhengji_publish import limits
    from zhengji_publish.diagnostics import UserError

    source = tmp_path / "a.md"

    def failing(path: Path) -> bytes:
        raise OSError(errno.EIO, "Input/output error", str(path))

    monkeypatch.setattr(limits, "read_limited", failing)
    with pytest.raises(UserError) as caught:
        limits.read_input(source, "source", "a .md file")
    assert str(caught.value) == f"{source}: error: cannot read the source: input/output error — check the disk"
