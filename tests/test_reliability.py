"""Bad input, interrupted builds and reproducibility: outputs are never damaged."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, SEED

from zhengji_publish.cli import main

pytestmark = pytest.mark.e2e


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_every_format_and_edition_is_byte_identical_when_rebuilt(tmp_path):
    for n in ("a", "b"):
        assert main(["build", str(SEED), "-o", str(tmp_path / n)]) == 0
    first, second = digests(tmp_path / "a"), digests(tmp_path / "b")
    assert len(first) == 6 and first == second


@pytest.mark.external
def test_source_date_epoch_sets_the_date(tmp_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1773619200"}  # 2026-03-16T00:00:00Z
    subprocess.run(
        [
            sys.executable,
            "-m",
            "zhengji_publish",
            "build",
            str(SEED),
            "-f",
            "pdf",
            "-e",
            "zh-Hans",
            "-o",
            str(tmp_path),
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    info = subprocess.run(
        ["pdfinfo", "-isodates", str(tmp_path / "zhengji.zh-Hans.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "2026-03-16T00:00:00" in info


# The build to interrupt, in a child process: once the PDF's temporary file exists it says so on
# stdout and waits there (build.after_part_created, a test seam) until the test's signal arrives, so
# the signal always lands mid-build, however fast the machine. The sleep only waits; the loop never
# ends by itself.
INTERRUPTED_BUILD = """
import sys
import time

from zhengji_publish import build
from zhengji_publish.cli import main


def wait_for_the_signal(tmp):
    print(tmp.name, flush=True)
    while True:
        time.sleep(1)


build.after_part_created = wait_for_the_signal
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_interrupted_build_keeps_earlier_outputs_and_leaves_no_temporary_files(tmp_path, sig):
    src = tmp_path / "law.md"
    src.write_text("# 总则\n\n第一条 为了规范出版活动，制定本法。\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / "law.zh-Hans.pdf"
    earlier.write_bytes(b"%PDF-1.4 yesterday's good output\n")
    proc = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED_BUILD, "build", str(src), "-f", "pdf", "-e", "zh-Hans", "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    part = proc.stdout.readline().strip()  # the build is waiting now, its temporary file beside the output
    assert part.startswith(".law.zh-Hans.pdf.") and part.endswith(".part"), proc.communicate(timeout=60)
    assert (out / part).exists() and proc.poll() is None
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert earlier.read_bytes() == b"%PDF-1.4 yesterday's good output\n"
    assert [p.name for p in out.iterdir()] == ["law.zh-Hans.pdf"]


def test_a_killed_build_leaves_nothing_the_next_build_does_not_clean(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".doc.zh-Hans.pdf.k3j2h1.part").write_bytes(b"half a PDF")
    src = tmp_path / "doc.md"
    src.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    assert main(["build", str(src), "-f", "pdf", "-e", "zh-Hans", "-o", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["doc.zh-Hans.pdf"]


def test_images_may_not_leave_the_source_folder(tmp_path, capsys):
    inner, outer = tmp_path / "book", tmp_path / "elsewhere"
    inner.mkdir()
    outer.mkdir()
    (outer / "pic.png").write_bytes((DATA / "figure.png").read_bytes())
    (inner / "link.png").symlink_to(outer / "pic.png")
    for ref in ("../elsewhere/pic.png", str(outer / "pic.png"), "link.png", "../../../../etc/passwd"):
        src = inner / "doc.md"
        src.write_text(f"# 标题\n\n![图]({ref})\n", encoding="utf-8")
        assert main(["build", str(src), "-f", "pdf", "-o", str(tmp_path / "out")]) == 1
        err = capsys.readouterr().err
        assert f"{src}:3:1: error: image" in err and "outside" in err and "--allow-outside" in err
    src.write_text("# 标题\n\n![图](../elsewhere/pic.png)\n", encoding="utf-8")
    assert main(["build", str(src), "-f", "pdf", "-o", str(tmp_path / "out"), "--allow-outside", str(tmp_path)]) == 0


def test_a_damaged_image_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "pic.png").write_bytes(b"not really a png")
    src = tmp_path / "doc.md"
    src.write_text("# 标题\n\n![图](pic.png)\n", encoding="utf-8")
    assert main(["build", str(src), "-o", str(tmp_path / "out")]) == 1
    assert "doc.md:3:1: error: image 'pic.png' is not a readable PNG, JPEG or GIF file" in capsys.readouterr().err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_yaml_is_loaded_safely(tmp_path, capsys):
    src = tmp_path / "doc.md"
    src.write_text("---\ntitle: !!python/object/apply:os.system ['echo pwned']\n---\n# x\n", encoding="utf-8")
    assert main(["build", str(src), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "doc.md:2:" in err and "front matter is not valid YAML" in err and "pwned" not in err


def test_parallel_build_of_many_sources_matches_a_serial_one(tmp_path):
    sources = [SEED, DATA / "constructs.md", DATA / "readme_zh.md"]
    args = ["build", *map(str, sources), "-f", "pdf", "-f", "docx", "-f", "epub"]
    assert main([*args, "-o", str(tmp_path / "serial"), "--jobs", "1"]) == 0
    assert main([*args, "-o", str(tmp_path / "parallel"), "--jobs", "3"]) == 0
    serial = digests(tmp_path / "serial")
    assert len(serial) == 2 * 3 + 3 * 3 + 2 * 3 and serial == digests(tmp_path / "parallel")


def test_an_error_in_a_parallel_build_is_reported_like_a_serial_one(tmp_path, capsys):
    src = tmp_path / "doc.md"
    src.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    bad_style = tmp_path / "s.yaml"
    bad_style.write_text("extends: default\nfonts:\n  mono: [No Such Mono]\n", encoding="utf-8")
    src.write_text("# 标题\n\n正文`code`。\n", encoding="utf-8")
    code = main(["build", str(src), "-s", str(bad_style), "-o", str(tmp_path / "out"), "-j", "2"])
    err = capsys.readouterr().err
    assert code == 1 and "no font of role 'mono' is installed" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob(".*.part"))


@pytest.mark.parametrize("jobs", ["1", "3"])
def test_a_build_that_fails_changes_no_output(tmp_path, capsys, jobs):
    """The PDFs fail (the table is too wide) after the DOCX and EPUB are written (-j 1) or while they
    are (-j 3): none is put in place, the earlier files stay as they were, no temporary file is left."""
    src = tmp_path / "doc.md"
    src.write_text(
        "# 标题\n\n正文。\n\n" + "|a" * 40 + "|\n" + "|-" * 40 + "|\n" + "|中" * 40 + "|\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    out.mkdir()
    earlier = {
        f"doc.{ed}.{fmt}": f"earlier {ed} {fmt}".encode()
        for ed in ("zh-Hans", "zh-Hant-TW")
        for fmt in ("pdf", "docx", "epub")
    }
    for name, data in earlier.items():
        (out / name).write_bytes(data)
    code = main(
        [
            "build",
            str(src),
            "-o",
            str(out),
            "-e",
            "zh-Hans",
            "-e",
            "zh-Hant-TW",
            "-j",
            jobs,
            "-f",
            "docx",
            "-f",
            "epub",
            "-f",
            "pdf",
        ]
    )
    assert code == 1 and "too many for the page's width" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier


SMALL = "---\ntitle: 小样\n---\n\n正文一段。\n"


@pytest.mark.parametrize("jobs", ["1", "3"])
def test_an_output_that_cannot_be_put_in_place_leaves_every_output_as_it_was(tmp_path, capsys, monkeypatch, jobs):
    """One output's name is a folder: the build fails naming that output (not its temporary file),
    and the outputs written before it keep their old files; nothing of the build is left. Paths
    are relative, as a user types them."""
    monkeypatch.chdir(tmp_path)
    src, out = Path("d.md"), Path("out")
    src.write_text(SMALL, encoding="utf-8")
    assert main(["build", str(src), "-o", str(out), "-e", "zh-Hans", "-f", "pdf", "-f", "epub"]) == 0
    before = digests(out)
    (out / "d.zh-Hans.docx").mkdir()
    src.write_text(SMALL + "\n又一段。\n", encoding="utf-8")
    code = main(["build", str(src), "-o", str(out), "-e", "zh-Hans", "-j", jobs])
    err = capsys.readouterr().err
    assert code == 1 and "d.zh-Hans.docx: error: cannot put the output in place: is a folder" in err
    assert ".part" not in err and "Traceback" not in err
    (out / "d.zh-Hans.docx").rmdir()
    assert digests(out) == before
    assert not list(out.glob(".*"))  # checked with the folder gone: no temporary file or lock


def test_a_rename_that_fails_half_way_puts_the_replaced_outputs_back(tmp_path, monkeypatch):
    """The second rename of three fails (a disk error): the first output gets its old file back, a
    new one is removed, and the error names the output whose rename failed."""
    from zhengji_publish import build as build_module
    from zhengji_publish.diagnostics import UserError

    old, new = tmp_path / "old.pdf", tmp_path / "new.epub"
    old.write_bytes(b"old")
    third = tmp_path / "third.docx"
    third.write_bytes(b"third, old")
    temps = []
    for n in range(3):
        t = tmp_path / f".t{n}.part"
        t.write_bytes(f"fresh {n}".encode())
        temps.append(t)
    real, calls = os.replace, []

    def failing(a, b):
        calls.append(b)
        if len(calls) == 2:
            raise OSError(5, "Input/output error", str(a))
        real(a, b)

    monkeypatch.setattr(build_module.os, "replace", failing)
    with pytest.raises(UserError) as caught:
        build_module.put_in_place([(temps[0], old), (temps[1], new), (temps[2], third)])
    monkeypatch.setattr(build_module.os, "replace", real)
    told = caught.value.diagnostics[0]
    assert told.path == new and told.message.startswith("cannot put the output in place: input/output error")
    assert old.read_bytes() == b"old" and not new.exists() and third.read_bytes() == b"third, old"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".t")) == ["old.pdf", "third.docx"]
