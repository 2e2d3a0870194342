"""reportlab behind one wall: only ``writers/pdf/backend.py`` touches reportlab's internals, and it
refuses, with a message, a reportlab version it was not written for."""

from __future__ import annotations

import ast
import re
import sys

import pytest
import reportlab
import tomllib
from conftest import ROOT, SEED

from zhengji_publish.cli import main
from zhengji_publish.diagnostics import UserError
from zhengji_publish.writers.pdf import backend

PDF = ROOT / "src" / "zhengji_publish" / "writers" / "pdf"
PUBLIC_MODULES = {"reportlab.platypus", "reportlab.lib.colors"}


@pytest.mark.unit
def test_installed_reportlab_is_supported():
    assert backend.supported(reportlab.Version)


@pytest.mark.parametrize(
    "version, ok",
    [("4.1.0", False), (backend.MIN_VERSION, True), ("4.4.3", True), ("5.1.0", True), (backend.BELOW_VERSION, False)],
)
@pytest.mark.unit
def test_supported_range(version, ok):
    assert backend.supported(version) == ok
    if not ok:
        with pytest.raises(UserError, match=f"reportlab {re.escape(version)} is not supported"):
            backend.check_version(version)


@pytest.mark.unit
def test_pyproject_pins_the_backends_range():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = [d for d in dependencies if re.match(r"reportlab\b", d)]
    assert pins == [f"reportlab>={backend.MIN_VERSION},<{backend.BELOW_VERSION}"]


@pytest.mark.e2e
def test_unsupported_reportlab_stops_the_build_with_a_message(monkeypatch, tmp_path, capsys):
    """The check runs when the PDF writer is imported: a fresh import with another version fails."""
    monkeypatch.setattr(reportlab, "Version", "3.6.13")
    for name in [n for n in sys.modules if n.startswith("zhengji_publish.writers.pdf")]:
        monkeypatch.delitem(sys.modules, name)
    code = main(["build", str(SEED), "-o", str(tmp_path), "-f", "pdf", "-e", "zh-Hans", "-j", "1"])
    err = capsys.readouterr().err
    pin = f"reportlab>={backend.MIN_VERSION},<{backend.BELOW_VERSION}"
    want = f"zhengji-publish: error: reportlab 3.6.13 is not supported — install {pin}"
    assert code == 1 and want in err, err
    assert "Traceback" not in err and "internal error" not in err
    assert not list(tmp_path.iterdir())


def _own_names(tree: ast.Module) -> set[str]:
    """Names a module defines itself: its functions, classes, methods and attributes set on self."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            if isinstance(node.value, ast.Name) and node.value.id == "self":
                names.add(node.attr)
    return names


@pytest.mark.unit
@pytest.mark.parametrize("module", ["layout.py", "draw.py"])
def test_layout_and_draw_use_only_reportlabs_public_api(module):
    tree = ast.parse((PDF / module).read_text(encoding="utf-8"))
    own = _own_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportlab"):
            assert node.module in PUBLIC_MODULES, f"{module}:{node.lineno} imports {node.module}"
            assert not any(a.name.startswith("_") for a in node.names), f"{module}:{node.lineno}"
        elif isinstance(node, ast.Import):
            assert not any(a.name.startswith("reportlab") for a in node.names), f"{module}:{node.lineno}"
        elif isinstance(node, ast.Attribute):
            private = node.attr.startswith("_") and not node.attr.startswith("__")
            assert not private or node.attr in own, f"{module}:{node.lineno} reads reportlab's .{node.attr}"
        elif isinstance(node, ast.Name):
            assert node.id != "rl_config", f"{module}:{node.lineno}"
