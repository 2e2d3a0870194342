"""Shared fixtures: build a source once per test session and hand the outputs to every test.

Builds go through the real command-line entry point, so what the tests read is exactly what a
user gets. Each (source, formats, editions, style) combination is built once and cached.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from zhengji_publish.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "source" / "zhengji.md"
DATA = Path(__file__).resolve().parent / "data"
CONSTRUCTS = DATA / "constructs.md"


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
    """``soffice_pdf(docx)`` → the PDF LibreOffice makes of it (cached)."""
    cache: dict[Path, Path] = {}
    profile = tmp_path_factory.mktemp("lo-profile")

    def convert(docx: Path) -> Path:
        if docx not in cache:
            out = tmp_path_factory.mktemp("lo")
            soffice = shutil.which("soffice") or shutil.which("libreoffice")
            assert soffice, "LibreOffice (soffice) is required: apt-get install libreoffice-writer-nogui"
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(out),
                    str(docx),
                ],
                check=True,
                capture_output=True,
                timeout=180,
            )
            cache[docx] = out / (docx.stem + ".pdf")
        return cache[docx]

    return convert


def run(*cmd: str) -> str:
    """Run a command-line client and return its standard output."""
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
