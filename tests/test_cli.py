"""The command line as a user runs it: outputs, help, errors and their exit codes."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEED

pytestmark = pytest.mark.e2e

FORMATS = ("pdf", "docx", "epub")


def cli(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zhengji_publish", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def default_build(tmp_path_factory):
    """`zhengji-publish build source/zhengji.md` with every default, in a folder of its own."""
    work = tmp_path_factory.mktemp("cli")
    shutil.copytree(ROOT / "source", work / "source")
    result = subprocess.run(
        ["zhengji-publish", "build", "source/zhengji.md"], cwd=work, capture_output=True, text=True, timeout=600
    )
    return work, result


def test_defaults_build_six_publications(default_build):
    work, result = default_build
    assert result.returncode == 0, result.stderr
    expected = {f"zhengji.{e}.{f}" for e in ("zh-Hans", "zh-Hant-TW") for f in FORMATS}
    assert {p.name for p in (work / "build").iterdir()} == expected
    assert all((work / "build" / name).stat().st_size > 10_000 for name in expected)
    assert result.stderr == ""  # quiet when not on a terminal: no progress, no warnings
    assert sorted(result.stdout.split()) == sorted(f"build/{n}" for n in expected)


def test_help_and_version():
    out = cli("--help").stdout
    assert "build" in out and "styles" in out
    build_help = cli("build", "--help").stdout
    for word in ("--output", "--format", "--edition", "--style", "zh-Hant-TW", "examples"):
        assert word in build_help
    assert cli("--version").stdout.startswith("zhengji-publish ")


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["build", "nope.md"], 2, "nope.md: error: no such file — check the path of the source"),
        (["build", str(SEED), "-e", "zh-Hant-XX"], 2, "error: unknown edition 'zh-Hant-XX' — editions are"),
        (["build", str(SEED), "-s", "nope"], 2, "error: unknown style 'nope' — available:"),
        (["build", str(SEED), "-s", "my/house.yaml"], 2, "error: no such style file 'my/house.yaml' — check the path"),
        (["build", str(SEED), "-f", "odt"], 2, "invalid choice: 'odt'"),
    ],
)
def test_usage_errors(tmp_path, args, code, message):
    result = cli(*args, "-o", str(tmp_path))
    assert result.returncode == code and message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["build", str(SEED), "-f", "pdfx"],
            "zhengji-publish build: error: argument -f/--format: invalid choice: 'pdfx' (choose from 'pdf', "
            "'docx', 'epub') — did you mean 'pdf'? (see 'zhengji-publish build --help')",
        ),
        (
            ["bild", str(SEED)],
            "zhengji-publish: error: argument COMMAND: invalid choice: 'bild' (choose from 'build', 'check', "
            "'import', 'styles') — did you mean 'build'? (see 'zhengji-publish --help')",
        ),
        (
            ["build"],
            "zhengji-publish build: error: the following arguments are required: SOURCE — "
            "see 'zhengji-publish build --help'",
        ),
        (
            ["build", str(SEED), "-j", "many"],
            "zhengji-publish build: error: argument -j/--jobs: 'many' is not a whole number — "
            "see 'zhengji-publish build --help'",
        ),
        (["build", str(SEED), "--bogus"], "zhengji-publish build: error: unrecognized arguments: --bogus — see"),
        (
            ["build", str(SEED), "--stirct"],
            "zhengji-publish build: error: unrecognized arguments: --stirct — did you mean '--strict'? "
            "(see 'zhengji-publish build --help')",
        ),
        (
            ["build", str(SEED), "--outptu", "x"],
            "zhengji-publish build: error: unrecognized arguments: --outptu x — did you mean '--output'?",
        ),
        (
            ["import", str(SEED), "--froce"],
            "zhengji-publish import: error: unrecognized arguments: --froce — did you mean '--force'? "
            "(see 'zhengji-publish import --help')",
        ),
        (["--verison"], "zhengji-publish: error: unrecognized arguments: --verison — did you mean '--version'?"),
    ],
)
def test_a_usage_error_is_one_line_saying_what_to_do(tmp_path, args, message):
    """argparse's mistakes are told as every other error is: one line, no usage block, exit 2."""
    result = cli(*args)
    assert result.returncode == 2 and result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1 and "usage:" not in result.stderr and result.stdout == ""


def test_a_format_is_read_in_any_case(tmp_path):
    src = tmp_path / "doc.md"
    src.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    result = cli("build", str(src), "-o", str(tmp_path / "o"), "-f", "PDF")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["doc.zh-Hans.pdf"]


def test_failed_build_leaves_earlier_outputs_and_no_temporary_files(tmp_path):
    src = tmp_path / "doc.md"
    src.write_text("# 标题\n\n第一版正文。\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli("build", str(src), "-o", str(out)).returncode == 0
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()}
    assert len(before) == 3
    src.write_text("# 标题\n\n第二版正文\U0010fffd。\n", encoding="utf-8")
    result = cli("build", str(src), "-o", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{src}:3:6: error: no font has the character" in result.stderr
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()}
    assert after == before  # same files, same bytes, nothing left half-written


def test_no_front_matter_builds_the_source_edition(tmp_path):
    src = tmp_path / "plain.md"
    src.write_text("# 说明\n\n没有前言的文件也能构建。\n", encoding="utf-8")
    result = cli("build", str(src), "-o", str(tmp_path / "o"), "-f", "pdf")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["plain.zh-Hans.pdf"]
