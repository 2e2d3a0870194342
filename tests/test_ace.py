"""Accessibility of the EPUB per Ace by DAISY: no serious or critical violation in any book.

Ace (``@daisy/ace-cli``, installed into ``tools/node/`` by ``scripts/setup``) checks the package
metadata and runs axe-core on every spine document in a headless Chromium (Debian's ``chromium``).
The four books are checked in parallel; violations of lower impact are printed, not failed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import CONSTRUCTS, ROOT, SEED

from zhengji_publish.cli import main

pytestmark = [pytest.mark.e2e, pytest.mark.external]

ACE = ROOT / "tools" / "node" / "node_modules" / ".bin" / "ace-cli"
SETUP_HINT = "run `bash scripts/setup` to install it"
FAILING = {"serious", "critical"}
A11Y_METADATA = [
    "schema:accessMode",
    "schema:accessModeSufficient",
    "schema:accessibilityFeature",
    "schema:accessibilityHazard",
    "schema:accessibilitySummary",
]
# label → (source, edition, extra style lines or None)
BOOKS = {
    "zhengji-zh-Hans": (SEED, "zh-Hans", None),
    "zhengji-zh-Hant-TW": (SEED, "zh-Hant-TW", None),
    "zhengji-zh-Hant-TW-vertical": (SEED, "zh-Hant-TW", "epub:\n  vertical: true\n"),
    "constructs-zh-Hans": (CONSTRUCTS, "zh-Hans", None),
}


def _tools() -> tuple[str, str]:
    """Ace and the browser, or a failure saying how to install them."""
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.fail(f"Chromium is missing (Debian package 'chromium'): {SETUP_HINT}")
    if not shutil.which("node"):
        pytest.fail(f"Node.js is missing: {SETUP_HINT}")
    if not ACE.exists():
        pytest.fail(f"Ace by DAISY is missing ({ACE.relative_to(ROOT)}): {SETUP_HINT}")
    return str(ACE), chromium


def _build(label: str, work: Path) -> Path:
    source, edition, style_extra = BOOKS[label]
    out = work / label
    args = ["build", str(source), "-f", "epub", "-e", edition, "-o", str(out)]
    if style_extra:
        style = work / f"{label}.yaml"
        style.write_text("extends: default\n" + style_extra, encoding="utf-8")
        args += ["-s", str(style)]
    assert main(args) == 0
    return out / f"{source.stem}.{edition}.epub"


def _ace(ace: str, chromium: str, epub: Path, out: Path) -> dict:
    """Run Ace on one book and return its report (the JSON it writes next to the HTML one)."""
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium, "PUPPETEER_SKIP_DOWNLOAD": "true"}
    proc = subprocess.run(
        [ace, "-f", "-s", "-E", "-o", str(out), str(epub)], env=env, capture_output=True, text=True, timeout=600
    )
    report = out / "report.json"
    # -E: exit 2 when Ace found any violation, whatever its impact; anything else is Ace failing.
    assert proc.returncode in (0, 2) and report.exists(), (
        f"Ace failed on {epub.name} (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    )
    return json.loads(report.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, dict]:
    ace, chromium = _tools()
    work = tmp_path_factory.mktemp("ace")
    epubs = {label: _build(label, work) for label in BOOKS}
    with ThreadPoolExecutor(len(epubs)) as pool:
        futures = {
            label: pool.submit(_ace, ace, chromium, epub, work / f"report-{label}") for label, epub in epubs.items()
        }
        return {label: f.result() for label, f in futures.items()}


def _violations(report: dict) -> list[tuple[str, str, str, str]]:
    """(impact, document, rule, what and where) for every violation in an Ace report."""
    found = []
    for doc in report.get("assertions", []):
        for a in doc.get("assertions", []):
            test, result = a["earl:test"], a.get("earl:result", {})
            where = " ".join(str(result.get("html", "")).split())[:160]
            found.append(
                (
                    test.get("earl:impact", "?"),
                    doc["earl:testSubject"]["url"],
                    test["dct:title"],
                    f"{result.get('dct:description', '')} — {where}",
                )
            )
    return found


@pytest.mark.parametrize("label", list(BOOKS))
def test_ace_no_serious_violations(reports, label):
    report = reports[label]
    found = _violations(report)
    for impact, doc, rule, detail in found:
        if impact not in FAILING:
            print(f"{label}: {impact} {doc} {rule}: {detail}")
    bad = [f"{impact} {doc} {rule}: {detail}" for impact, doc, rule, detail in found if impact in FAILING]
    assert not bad, f"Ace by DAISY, {label}:\n" + "\n".join(bad)
    present = report.get("a11y-metadata", {}).get("present", [])
    assert set(A11Y_METADATA) <= set(present), f"missing accessibility metadata: {set(A11Y_METADATA) - set(present)}"
