"""The package installs like a library: the wheel, installed into a fresh virtual environment and
run from a folder outside the repository, lists the shipped styles and builds the seed.

The virtual environment sees the system's site packages, so the dependencies already installed
are not downloaded again (about 10 s in all); ``.ci/run`` does the same in an environment
without them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SEED

pytestmark = pytest.mark.e2e

SHIPPED = ["a4-report", "book-16k", "book-32k-vertical", "default", "ebook", "ebook-vertical", "gongwen"]
OUTPUTS = sorted(f"zhengji.{e}.{f}" for e in ("zh-Hans", "zh-Hant-TW") for f in ("pdf", "docx", "epub"))


def _run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _backend_installed() -> bool:
    """Whether this Python can build the wheel itself (setuptools ≥ 68 and wheel), without a download."""
    try:
        import setuptools
        import wheel  # noqa: F401
    except ImportError:
        return False
    return int(setuptools.__version__.split(".")[0]) >= 68


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """The ``bin`` folder of a fresh virtual environment with the wheel installed, and the
    environment to run it in (no PYTHONPATH: only what the wheel installed is imported)."""
    tmp = tmp_path_factory.mktemp("install")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    # Build from a copy of the project's files, so the build leaves nothing in the working tree.
    project = tmp / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    isolation = [] if not _backend_installed() else ["--no-build-isolation"]
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _run([*pip, "wheel", "--no-deps", *isolation, "-w", tmp / "dist", project], tmp, env)
    wheel = next((tmp / "dist").glob("zhengji_publish-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        shipped = sorted(n for n in z.namelist() if n.startswith("zhengji_publish/styles/"))
    assert shipped == sorted(f"zhengji_publish/styles/{s}.yaml" for s in SHIPPED)

    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", venv], tmp, env)
    python = venv / "bin" / "python"
    _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel], tmp, env)
    where = _run([python, "-c", "import zhengji_publish; print(zhengji_publish.__file__)"], tmp, env)
    assert Path(where.strip()).is_relative_to(venv), f"imported from {where}, not from the installed wheel"
    return venv / "bin", env


@pytest.fixture()
def elsewhere(tmp_path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    assert not folder.resolve().is_relative_to(ROOT)
    return folder


def test_the_installed_wheel_lists_the_shipped_styles(installed, elsewhere):
    bin_dir, env = installed
    out = _run([bin_dir / "zhengji-publish", "styles", "list"], elsewhere, env)
    rows = [line.split()[:2] for line in out.splitlines()]
    assert rows == [[name, "shipped"] for name in SHIPPED]


def test_the_installed_wheel_builds_the_seed_from_another_folder(installed, elsewhere):
    bin_dir, env = installed
    _run([bin_dir / "zhengji-publish", "build", SEED, "-o", "out"], elsewhere, env)
    outputs = sorted((elsewhere / "out").iterdir())
    assert [p.name for p in outputs] == OUTPUTS
    for path in outputs:
        head = path.read_bytes()[:4]
        assert head == (b"%PDF" if path.suffix == ".pdf" else b"PK\x03\x04"), path
    with zipfile.ZipFile(elsewhere / "out" / "zhengji.zh-Hans.epub") as z:
        assert z.read("mimetype") == b"application/epub+zip"
