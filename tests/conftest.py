"""Shared fixtures: build a source once per test session and hand the outputs to every test.

Builds go through the real command-line entry point, so what the tests read is exactly what a
user gets. Each (source, formats, editions, style) combination is built once and cached.

Every test says what kind it is (the markers are described in pyproject.toml): exactly one of
``unit`` and ``e2e``, and ``external`` besides when it runs a program outside Python. Collection
fails for a test that does not, and a test not marked ``external`` that starts an outside program
fails, so ``pytest -m unit`` stays the seconds-long inner loop and ``pytest -m "not external"`` runs
on a machine with nothing but Python and the fonts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from zhengji_publish.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "source" / "zhengji.md"
DATA = Path(__file__).resolve().parent / "data"
CONSTRUCTS = DATA / "constructs.md"

KINDS = ("unit", "e2e")
# Programs a test not marked external may start: Python (our command line in a child process), the
# installed command itself, and GNU time, which only measures the child it runs.
OWN_PROGRAMS = ("zhengji-publish", "time")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Fail collection, naming each test, when a test is not exactly one of unit and e2e, or is unit and external."""
    wrong = []
    for item in items:
        names = {mark.name for mark in item.iter_markers()}
        kinds = [kind for kind in KINDS if kind in names]
        if len(kinds) != 1:
            wrong.append(f"  {item.nodeid}: marked {' and '.join(kinds) or 'neither unit nor e2e'}")
        elif "unit" in names and "external" in names:
            wrong.append(f"  {item.nodeid}: marked unit and external (a unit test runs no outside program)")
    if wrong:
        raise pytest.UsageError(
            "every test is marked exactly one of @pytest.mark.unit and @pytest.mark.e2e (plus "
            "@pytest.mark.external when it runs an outside program; see tests/conftest.py):\n" + "\n".join(wrong)
        )


def _program(args: str | bytes | os.PathLike[str] | Sequence[str | bytes | os.PathLike[str]]) -> str:
    """The name of the program a ``subprocess.Popen(args, …)`` starts."""
    if isinstance(args, str | bytes):
        return Path(os.fsdecode(args).split()[0]).name
    first = args if isinstance(args, os.PathLike) else args[0]
    return Path(os.fsdecode(first)).name


@pytest.fixture(autouse=True)
def _outside_programs_are_marked_external(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test not marked ``external`` that starts a program other than Python or ours fails, naming it."""
    if request.node.get_closest_marker("external"):
        yield
        return
    nodeid = request.node.nodeid

    class Guarded(subprocess.Popen[Any]):
        def __init__(self, args: Any, *rest: Any, **kwargs: Any) -> None:
            program = _program(args)
            if not (program in OWN_PROGRAMS or program.startswith("python") or program == Path(sys.executable).name):
                raise AssertionError(f"{nodeid} runs '{program}': mark it @pytest.mark.external")
            super().__init__(args, *rest, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(subprocess, "Popen", Guarded)
        yield


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("build")


@pytest.fixture(scope="session")
def built(build_dir):
    """``built(source, fmt, edition, style=None)`` → path of that output, built once per session."""
    done: dict[tuple, Path] = {}

    def get(source: Path, fmt: str, edition: str, style: str | None = None) -> Path:
        key = (Path(source), fmt, edition, style)
        if key not in done:
            out = build_dir / f"{Path(source).stem}-{style or 'auto'}"
            args = ["build", str(source), "-o", str(out), "-f", fmt, "-e", edition]
            if style:
                args += ["-s", style]
            assert main(args) == 0
            done[key] = out / f"{Path(source).stem}.{edition}.{fmt}"
        return done[key]

    return get


@pytest.fixture(scope="session")
def soffice_pdf(tmp_path_factory):
    """``soffice_pdf(docx, keep_blank=False)`` → the PDF LibreOffice makes of it (cached); with
    ``keep_blank`` the blank pages it inserts (before an odd-page section) are kept
    (``IsSkipEmptyPages`` false), so its pages are the document's pages."""
    cache: dict[tuple[Path, bool], Path] = {}
    profile = tmp_path_factory.mktemp("lo-profile")

    def convert(docx: Path, keep_blank: bool = False) -> Path:
        if (docx, keep_blank) not in cache:
            out = tmp_path_factory.mktemp("lo")
            soffice = shutil.which("soffice") or shutil.which("libreoffice")
            assert soffice, "LibreOffice (soffice) is required: apt-get install libreoffice-writer-nogui"
            target = "pdf"
            if keep_blank:
                target = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    target,
                    "--outdir",
                    str(out),
                    str(docx),
                ],
                check=True,
                capture_output=True,
                timeout=180,
            )
            cache[docx, keep_blank] = out / (docx.stem + ".pdf")
        return cache[docx, keep_blank]

    return convert


def run(*cmd: str) -> str:
    """Run a command-line client and return its standard output."""
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
