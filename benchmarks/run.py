"""Benchmark zhengji-publish against pandoc (DOCX, EPUB) and Typst (PDF) in one run.

What is measured, and why this way:

* Wall time and peak memory of one command, each in a fresh child process, so that the peak is that
  command's own (``os.wait4`` returns the child's ``ru_maxrss``; nothing accumulates across runs).
  Each command runs once untimed first (so disk and font caches are warm and a broken command is
  found at once), then ``--repeat`` times; the median is reported.
* The seed text (``source/zhengji.md``), per format, and "all six outputs" (3 formats × 2 editions)
  in one zhengji-publish command against the sum of the six peer commands that make the same files.
* A long statute-like text (about 200 KiB, made by ``corpus.py`` in a temporary folder), per format,
  where costs that grow faster than the text would show.
* Our font cache cold (``ZHENGJI_CACHE_DIR`` pointing at an empty folder, new for every run) against
  warm, and a scale test: the same long text at 20 KiB and at 200 KiB.
* With ``--before``, three states of the cache: ``first`` (nothing cached: a new machine), ``cold``
  (no fonts cached: font index, subsets; the word dictionary's index, made once per jieba version
  and independent of the fonts, kept) and ``warm`` (everything cached).
* With ``--before REV``: this tree against the sources of git revision ``REV`` (extracted into the
  temporary folder and put first on ``PYTHONPATH``, as this tree's ``src`` is for ours), cold and
  warm, for the seed's six outputs and the long text's six, side by side in the same run; the two
  trees take turns run by run, so that load from elsewhere on the machine falls on both alike.
* With ``--book [N]``: a book manifest of N chapters (200 by default, about 10 KiB each, made by
  ``corpus.py``) against the same text as one Markdown file, per format, in the same run; and
  against a book of N/4 of the same chapters, whose memory ratio shows whether memory grows with
  the book or is bounded by its largest chapter.

The peers get the simplified text as it is and the traditional edition converted by OpenCC (s2tw)
beforehand; Typst gets a Typst source made by ``md2typst.py`` beforehand. Neither preparation is timed,
so the peers are, if anything, favoured. A command that fails is reported as FAILED with the last line
of its error output, and the run goes on.

Usage::

    python benchmarks/run.py [--repeat 3] [--quick] [--json results.json] [--before REV [--before-only]]
                             [--book [N] [--book-only]]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import corpus
import md2typst

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "zhengji.md"
NOTO_DIR = "/usr/share/fonts/opentype/noto"
FORMATS = ("pdf", "docx", "epub")
EDITIONS = ("zh-Hans", "zh-Hant-TW")
EDITION_LANG = {"zh-Hans": "zh-CN", "zh-Hant-TW": "zh-TW"}
LONG_KB = 200
SHORT_KB = 20
BOOK_CHAPTER_KB = 10  # a --book chapter: 200 of them make about 2 MiB

# Typst is driven through its Python binding (the PyPI package has no command line of its own); the
# interpreter's start-up is part of the peer's time, as ours is part of ours.
TYPST_SNIPPET = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]])"


@dataclass
class Measurement:
    """One command measured ``repeat`` times; ``error`` is set (and the lists may be short) if it failed."""

    label: str
    command: list[str]
    seconds: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)
    error: str | None = None
    output_bytes: int = 0  # what the last run wrote: a command that "succeeds" writing nothing shows here
    cpu_seconds: list[float] = field(default_factory=list)  # user + system time of the command and its workers

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.seconds)

    @property
    def time(self) -> float:
        return statistics.median(self.seconds)

    @property
    def mem_mib(self) -> float:
        return statistics.median(self.peak_kib) / 1024


# Runs each measured command and reports its wall time and peak memory. It is a small process of its
# own because Linux carries a process's peak RSS across fork and exec: a command started by this
# script (which has OpenCC and the corpus loaded) would inherit this script's RSS as a floor.
LAUNCHER = r"""
import json, os, subprocess, sys, tempfile, threading, time
for line in sys.stdin:
    req = json.loads(line)
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(req["cmd"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=err, env=req["env"], cwd=req["cwd"])
        except OSError as exc:
            print(json.dumps({"error": exc.strerror or str(exc)}), flush=True)
            continue
        killer = threading.Timer(req["timeout"], proc.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        seconds = time.perf_counter() - start
        err.seek(0)
        lines = [ln.strip() for ln in err.read().decode("utf-8", "replace").splitlines() if ln.strip()]
    print(json.dumps({"seconds": seconds, "peak_kib": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime,
                      "code": os.waitstatus_to_exitcode(status), "tail": lines[-1] if lines else ""}), flush=True)
"""


class Launcher:
    """The small process that starts every measured command (see LAUNCHER)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.last_cpu = 0.0  # user + system seconds of the last command, its waited-for workers included

    def run(self, cmd: list[str], env: dict[str, str], cwd: Path, timeout: float) -> tuple[float, int, int, str]:
        """Run ``cmd`` once: (wall seconds, peak RSS in KiB, exit code, last line of stderr)."""
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps({"cmd": cmd, "env": env, "cwd": str(cwd), "timeout": timeout}) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        if "error" in answer:
            raise OSError(answer["error"])
        seconds, code, tail = answer["seconds"], answer["code"], answer["tail"]
        if code < 0:
            tail = f"killed by signal {-code}" + (f" after {timeout:.0f} s" if seconds >= timeout else "")
        self.last_cpu = float(answer.get("cpu", 0.0))
        return seconds, answer["peak_kib"], code, tail

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait()


class Bench:
    """Runs and remembers measurements; every command gets its own clean output folder."""

    def __init__(self, work: Path, repeat: int, timeout: float, cache_dir: Path, launcher: Launcher) -> None:
        self.work = work
        self.launcher = launcher
        self.repeat = repeat
        self.timeout = timeout
        # Every program runs as installed: Python may write its bytecode cache on the untimed first run
        # (pip compiles installed packages; an editable install compiles ours on first use), so a
        # PYTHONDONTWRITEBYTECODE left in the caller's environment does not make ours recompile each run.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env = dict(env, ZHENGJI_CACHE_DIR=str(cache_dir))
        self.results: dict[str, Measurement] = {}

    def measure(
        self,
        key: str,
        label: str,
        cmd: list[str],
        *,
        out_dir: Path | None = None,
        env: dict[str, str] | None = None,
        warmup: bool = True,
        before: Callable[[], None] | None = None,
    ) -> Measurement:
        m = Measurement(label, cmd)
        self.results[key] = m
        env = env or self.env
        print(f"  {label} ...", end="", file=sys.stderr, flush=True)
        for i in range(self.repeat + (1 if warmup else 0)):
            if out_dir is not None:
                shutil.rmtree(out_dir, ignore_errors=True)
                out_dir.mkdir(parents=True)
            if before is not None:
                before()
            try:
                seconds, peak, code, tail = self.launcher.run(cmd, env, self.work, self.timeout)
            except OSError as exc:  # the program is missing or not executable
                m.error = f"cannot run {cmd[0]}: {exc.strerror or exc}"
                break
            if code != 0:
                m.error = f"exit {code}: {tail}" if tail else f"exit {code}"
                break
            if warmup and i == 0:
                continue
            m.seconds.append(seconds)
            m.peak_kib.append(peak)
        if out_dir is not None and out_dir.exists():
            m.output_bytes = sum(f.stat().st_size for f in out_dir.rglob("*") if f.is_file())
        if m.error:
            print(f" FAILED ({m.error})", file=sys.stderr)
        else:
            print(f" {m.time:.2f} s, {m.mem_mib:.0f} MiB, wrote {m.output_bytes / 1024:.0f} KiB", file=sys.stderr)
        return m

    def measure_alternating(self, runs: list[tuple[str, str, Path, dict[str, str], Path]], cache: str) -> None:
        """Measure several builds of six outputs in turn, one run of each per round, so that a burst of
        load on a shared machine falls on all of them alike. ``runs``: (key, label, source, environment,
        cache folder). ``cache`` says what the cache folder holds at each run: ``first`` nothing (a
        first build on a new machine), ``cold`` no fonts (the folder is emptied but for the word
        dictionary's index, ``jieba/``, which depends on no font), ``warm`` everything; the
        untimed first round of ``cold`` and ``warm`` fills it."""
        warm = cache == "warm"
        untimed = cache != "first"
        out = self.work / "out"
        ms = {key: Measurement(label, ours(src, out / key, FORMATS, EDITIONS)) for key, label, src, _e, _c in runs}
        self.results.update(ms)
        for i in range(self.repeat + (1 if untimed else 0)):
            for key, _label, _source, env, cache_dir in runs:
                m = ms[key]
                if m.error:
                    continue
                shutil.rmtree(out / key, ignore_errors=True)
                (out / key).mkdir(parents=True)
                if not warm:
                    cache_dir.mkdir(exist_ok=True)
                    for entry in cache_dir.iterdir():
                        if not (cache == "cold" and entry.name == "jieba"):
                            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
                try:
                    seconds, peak, code, tail = self.launcher.run(m.command, env, self.work, self.timeout)
                except OSError as exc:
                    m.error = f"cannot run {m.command[0]}: {exc.strerror or exc}"
                    continue
                if code != 0:
                    m.error = f"exit {code}: {tail}" if tail else f"exit {code}"
                elif not (untimed and i == 0):
                    m.seconds.append(seconds)
                    m.peak_kib.append(peak)
                    m.cpu_seconds.append(self.launcher.last_cpu)
        for key, m in ms.items():
            m.output_bytes = sum(f.stat().st_size for f in (out / key).rglob("*") if f.is_file())
            cpu = statistics.median(m.cpu_seconds) if m.cpu_seconds else 0.0
            result = f"FAILED ({m.error})" if m.error else f"{m.time:.2f} s, {cpu:.2f} s CPU, {m.mem_mib:.0f} MiB"
            print(f"  {m.label}: {result}", file=sys.stderr)


# --- commands ---------------------------------------------------------------------------------------


def ours(source: Path, out: Path, formats: tuple[str, ...], editions: tuple[str, ...]) -> list[str]:
    cmd = [sys.executable, "-m", "zhengji_publish", "build", str(source), "-o", str(out)]
    for fmt in formats:
        cmd += ["-f", fmt]
    for ed in editions:
        cmd += ["-e", ed]
    return cmd


def pandoc(source: Path, out: Path, edition: str) -> list[str]:
    cmd = ["pandoc", str(source), "-o", str(out)]
    if out.suffix == ".epub":
        cmd += ["--metadata", f"lang={EDITION_LANG[edition]}"]
    return cmd


def typst(source: Path, out: Path) -> list[str]:
    if importlib.util.find_spec("typst") is None and shutil.which("typst"):
        return ["typst", "compile", "--font-path", NOTO_DIR, str(source), str(out)]
    return [sys.executable, "-c", TYPST_SNIPPET, str(source), str(out), NOTO_DIR]


def peer(fmt: str, md: Path, typ: Path, out_dir: Path, edition: str) -> list[str]:
    out = out_dir / f"{md.stem}.{fmt}"
    return typst(typ, out) if fmt == "pdf" else pandoc(md, out, edition)


PEER_NAME = {"pdf": "Typst", "docx": "pandoc", "epub": "pandoc"}


# --- inputs -----------------------------------------------------------------------------------------


def to_traditional(text: str) -> str:
    """The peers have no edition step, so they get the text already converted (untimed)."""
    try:
        import opencc
    except ImportError:
        print(
            "warning: opencc is not installed; the peers' traditional edition uses the simplified text", file=sys.stderr
        )
        return text
    return opencc.OpenCC("s2tw").convert(text)


def prepare_inputs(work: Path, quick: bool) -> dict[str, Path]:
    """Markdown and Typst inputs for every case, written into the temporary work folder."""
    paths: dict[str, Path] = {}
    seed_text = SEED.read_text(encoding="utf-8")
    texts = {f"seed.{ed}": seed_text if ed == "zh-Hans" else to_traditional(seed_text) for ed in EDITIONS}
    if not quick:
        texts[f"law{LONG_KB}.zh-Hans"] = corpus.make_law(LONG_KB)
        texts[f"law{SHORT_KB}.zh-Hans"] = corpus.make_law(SHORT_KB)
    for name, text in texts.items():
        edition = name.split(".", 1)[1]
        md = work / "in" / f"{name}.md"
        md.parent.mkdir(parents=True, exist_ok=True)
        md.write_text(text, encoding="utf-8")
        typ = md.with_suffix(".typ")
        typ.write_text(md2typst.md_to_typst(text, edition), encoding="utf-8")
        paths[name] = md
    return paths


# --- machine ----------------------------------------------------------------------------------------


def _version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "not installed"
    return out.splitlines()[0] if out else "unknown"


def _package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    """What the numbers depend on, printed with them so that results from two machines are not mixed."""
    cpu = "unknown"
    mem = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "zhengji-publish": _package_version("zhengji-publish"),
        "pandoc": _version(["pandoc", "--version"]).removeprefix("pandoc "),
        "typst": (_package_version("typst") + " (Python binding)")
        if importlib.util.find_spec("typst")
        else _version(["typst", "--version"]),
    }


# --- the run ----------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the result table: ours against a reference, with the target ratio."""

    section: str
    case: str
    ours: list[str]
    ref: list[str]
    ref_name: str
    target: float | None
    note: str = ""


def extract_sources(rev: str, dest: Path) -> Path:
    """The ``src`` folder of git revision ``rev`` of this repository, written under ``dest``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev, "src"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest / "src"


def before_after(args: argparse.Namespace, bench: Bench, inputs: dict[str, Path], work: Path) -> list[Row]:
    """This tree against revision ``args.before``: first, cold and warm builds of six outputs each."""
    trees = {"before": extract_sources(args.before, work / "before"), "after": ROOT / "src"}
    cases = {"seed": SEED}
    if not args.quick:
        cases["law"] = inputs[f"law{LONG_KB}.zh-Hans"]
    section = f"before → after: {args.before} → this tree, six outputs each"
    rows: list[Row] = []
    print(f"{section}:", file=sys.stderr)
    for case, source in cases.items():
        for cache in ("first", "cold", "warm"):
            runs = []
            for side, src in trees.items():
                key = f"{side}.{case}.{cache}"
                cache_dir = work / f"cache-{side}-{cache}"
                env = dict(bench.env, PYTHONPATH=str(src), ZHENGJI_CACHE_DIR=str(cache_dir))
                runs.append((key, f"{side} {case} six outputs, {cache} cache", source, env, cache_dir))
            bench.measure_alternating(runs, cache)
            name = "seed" if case == "seed" else f"long text {source.stat().st_size / 1024:.0f} KiB"
            rows.append(
                Row(section, f"{name}, {cache}", [f"after.{case}.{cache}"], [f"before.{case}.{cache}"], "before", 1.0)
            )
    return rows


def book_rows(args: argparse.Namespace, bench: Bench, work: Path) -> list[Row]:
    """A book of ``--book`` chapters (about 10 KiB each) against the same text as one file, per format:
    time and peak memory of the manifest's build over the one file's (zh-Hans), side by side. Then
    the same book against one of a quarter of its chapters (the same chapters, so the same largest
    one): a memory ratio near 1 is memory bounded by the largest chapter, near 4 memory that grows
    with the book."""
    manifest, onefile = corpus.make_book(work / "book", args.book, BOOK_CHAPTER_KB)
    quarter = max(1, args.book // 4)
    small, _ = corpus.make_book(work / "book-quarter", quarter, BOOK_CHAPTER_KB)
    mib = onefile.stat().st_size / 1024 / 1024
    print(f"book ({args.book} chapters, {mib:.1f} MiB) and the same text as one file:", file=sys.stderr)
    out = work / "out"
    rows, growth = [], []
    for fmt in FORMATS:
        bkey, okey, qkey = f"ours.book.{fmt}", f"ours.onefile.{fmt}", f"ours.book{quarter}.{fmt}"
        bench.measure(bkey, f"ours book {fmt}", ours(manifest, out / bkey, (fmt,), ("zh-Hans",)), out_dir=out / bkey)
        bench.measure(okey, f"ours one file {fmt}", ours(onefile, out / okey, (fmt,), ("zh-Hans",)), out_dir=out / okey)
        bench.measure(
            qkey,
            f"ours book of {quarter} chapters {fmt}",
            ours(small, out / qkey, (fmt,), ("zh-Hans",)),
            out_dir=out / qkey,
        )
        rows.append(Row(f"book, {args.book} chapters ({mib:.1f} MiB)", fmt.upper(), [bkey], [okey], "one file", None))
        section = f"book, {args.book} chapters against {quarter} (×{args.book / quarter:g} the text, same chapters)"
        growth.append(Row(section, fmt.upper(), [bkey], [qkey], f"{quarter} chapters", None))
    return rows + growth


def traditional_edition(bench: Bench, work: Path) -> list[Row]:
    """The zh-Hant-TW edition of a 2 MiB text by words and context rules (jieba, then OpenCC per
    word, then the rules) against OpenCC alone over the same text slots, each a whole process
    (start-up, reading, OpenCC's and jieba's dictionaries included); target: at most 3×."""
    source = work / "law2048.md"
    source.write_text(corpus.make_law(2048), encoding="utf-8")
    script = str(ROOT / "benchmarks" / "convert_speed.py")
    kib = source.stat().st_size / 1024
    print(f"traditional edition ({kib:.0f} KiB):", file=sys.stderr)
    for how in ("opencc", "words"):
        bench.measure(
            f"edition.{how}",
            f"zh-Hant-TW edition, {how}",
            [sys.executable, script, "--edition", how, "--source", str(source)],
        )
    section = f"traditional edition, {kib:.0f} KiB"
    return [Row(section, "zh-Hant-TW by words", ["edition.words"], ["edition.opencc"], "OpenCC alone", 3.0)]


def run(args: argparse.Namespace, work: Path, launcher: Launcher) -> tuple[list[Row], Bench]:
    warm_cache = work / "cache-warm"
    bench = Bench(work, args.repeat, args.timeout, warm_cache, launcher)
    inputs = prepare_inputs(work, args.quick)
    out = work / "out"
    rows: list[Row] = []
    if args.before:
        rows += before_after(args, bench, inputs, work)
        if args.before_only:
            return rows, bench
    if args.book:
        rows += book_rows(args, bench, work)
        if args.book_only:
            return rows, bench

    print("seed text:", file=sys.stderr)
    seed = {ed: inputs[f"seed.{ed}"] for ed in EDITIONS}
    for ed in EDITIONS:
        for fmt in FORMATS:
            key = f"peer.seed.{fmt}.{ed}"
            bench.measure(
                key,
                f"{PEER_NAME[fmt]} seed {fmt} {ed}",
                peer(fmt, seed[ed], seed[ed].with_suffix(".typ"), out / key, ed),
                out_dir=out / key,
            )
    for fmt in FORMATS:
        key = f"ours.seed.{fmt}"
        bench.measure(key, f"ours seed {fmt} zh-Hans", ours(SEED, out / key, (fmt,), ("zh-Hans",)), out_dir=out / key)
        rows.append(Row("seed", f"{fmt.upper()} zh-Hans", [key], [f"peer.seed.{fmt}.zh-Hans"], PEER_NAME[fmt], None))
    bench.measure(
        "ours.seed.all",
        "ours seed 3 formats × 2 editions",
        ours(SEED, out / "all", FORMATS, EDITIONS),
        out_dir=out / "all",
    )
    rows.append(
        Row(
            "seed",
            "all six outputs",
            ["ours.seed.all"],
            [f"peer.seed.{fmt}.{ed}" for ed in EDITIONS for fmt in FORMATS],
            "sum of 6 peers",
            1.0,
            "one command against six; peer memory is the largest of the six",
        )
    )

    print("font cache:", file=sys.stderr)
    cold_cache = work / "cache-cold"

    def empty_cache() -> None:
        shutil.rmtree(cold_cache, ignore_errors=True)
        cold_cache.mkdir()

    bench.measure(
        "ours.seed.all.cold",
        "ours seed six outputs, cold cache",
        ours(SEED, out / "cold", FORMATS, EDITIONS),
        out_dir=out / "cold",
        env=dict(bench.env, ZHENGJI_CACHE_DIR=str(cold_cache)),
        warmup=False,
        before=empty_cache,
    )
    rows.append(
        Row("font cache", "seed six outputs: cold / warm", ["ours.seed.all.cold"], ["ours.seed.all"], "ours warm", 3.0)
    )

    if not args.quick:
        law = inputs[f"law{LONG_KB}.zh-Hans"]
        short = inputs[f"law{SHORT_KB}.zh-Hans"]
        kib_long = law.stat().st_size / 1024
        kib_short = short.stat().st_size / 1024
        print(f"long text ({kib_long:.0f} KiB) and scale ({kib_short:.0f} KiB):", file=sys.stderr)
        for fmt in FORMATS:
            pkey, okey, skey = f"peer.law.{fmt}", f"ours.law.{fmt}", f"ours.law{SHORT_KB}.{fmt}"
            bench.measure(
                pkey,
                f"{PEER_NAME[fmt]} law {fmt}",
                peer(fmt, law, law.with_suffix(".typ"), out / pkey, "zh-Hans"),
                out_dir=out / pkey,
            )
            bench.measure(okey, f"ours law {fmt}", ours(law, out / okey, (fmt,), ("zh-Hans",)), out_dir=out / okey)
            bench.measure(
                skey,
                f"ours law {SHORT_KB} KiB {fmt}",
                ours(short, out / skey, (fmt,), ("zh-Hans",)),
                out_dir=out / skey,
            )
            rows.append(
                Row(
                    f"long text, {kib_long:.0f} KiB",
                    fmt.upper(),
                    [okey],
                    [pkey],
                    PEER_NAME[fmt],
                    2.0 if fmt == "pdf" else 3.0,
                )
            )
        rows += traditional_edition(bench, work)
        ratio = kib_long / kib_short
        for fmt in FORMATS:
            rows.append(
                Row(
                    f"scale, {kib_short:.0f} → {kib_long:.0f} KiB (text ×{ratio:.1f})",
                    fmt.upper(),
                    [f"ours.law.{fmt}"],
                    [f"ours.law{SHORT_KB}.{fmt}"],
                    f"ours {kib_short:.0f} KiB",
                    round(ratio, 1),
                )
            )
    return rows, bench


def _cells(bench: Bench, keys: list[str]) -> tuple[float | None, float | None, str | None]:
    """Total time and largest peak of ``keys``, or the first error among them."""
    ms = [bench.results[k] for k in keys]
    for m in ms:
        if not m.ok:
            return None, None, f"{m.label}: {m.error}"
    return sum(m.time for m in ms), max(m.mem_mib for m in ms), None


def render(rows: list[Row], bench: Bench, info: dict[str, str]) -> tuple[str, list[dict[str, object]]]:
    """The readable table and the same rows as data for ``--json``."""
    header = ("case", "ours s", "ours MiB", "reference", "ref s", "ref MiB", "time ×", "mem ×", "target", "")
    table: list[tuple[str, ...]] = []
    data: list[dict[str, object]] = []
    failures = [f"{m.label}: {m.error}" for m in bench.results.values() if m.error]
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            table.append((f"[{section}]",) + ("",) * (len(header) - 1))
        o_t, o_m, o_err = _cells(bench, row.ours)
        r_t, r_m, r_err = _cells(bench, row.ref)
        t_ratio = o_t / r_t if o_t is not None and r_t else None
        m_ratio = o_m / r_m if o_m is not None and r_m else None
        verdict = "" if t_ratio is None or row.target is None else ("ok" if t_ratio <= row.target else "MISS")
        table.append(
            (
                "  " + row.case,
                f"{o_t:.2f}" if o_t is not None else "FAILED",
                f"{o_m:.0f}" if o_m is not None else "-",
                row.ref_name,
                f"{r_t:.2f}" if r_t is not None else "FAILED",
                f"{r_m:.0f}" if r_m is not None else "-",
                f"{t_ratio:.2f}" if t_ratio is not None else "-",
                f"{m_ratio:.2f}" if m_ratio is not None else "-",
                f"≤ {row.target:g}×" if row.target is not None else "",
                verdict,
            )
        )
        data.append(
            {
                "section": row.section,
                "case": row.case,
                "ours_s": o_t,
                "ours_mib": o_m,
                "reference": row.ref_name,
                "ref_s": r_t,
                "ref_mib": r_m,
                "time_ratio": t_ratio,
                "mem_ratio": m_ratio,
                "target": row.target,
                "verdict": verdict or None,
                "note": row.note,
                "errors": [e for e in (o_err, r_err) if e],
            }
        )
    widths = [max(len(r[i]) for r in (header, *table)) for i in range(len(header))]
    lines = [
        "machine: " + "; ".join(f"{k} {v}" for k, v in info.items()),
        f"median of {bench.repeat} runs after one untimed run; peak = max RSS of the one child process",
        "",
    ]
    for r in (header, *table):
        cells = zip(r, widths, strict=True)
        lines.append("  ".join(c.ljust(w) if i in (0, 3) else c.rjust(w) for i, (c, w) in enumerate(cells)).rstrip())
    timed = [m for m in bench.results.values() if m.cpu_seconds]
    if timed:  # the before → after runs: CPU time too, which load from elsewhere on the machine hardly moves
        lines += ["", "median CPU time (user + system, workers included):"]
        lines += [f"  {m.label:<44} {statistics.median(m.cpu_seconds):6.2f} s" for m in timed]
    if failures:
        lines += ["", "failed:"] + [f"  {f}" for f in failures]
    return "\n".join(lines), data


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Time and peak memory of zhengji-publish against pandoc and Typst.")
    p.add_argument("--repeat", type=int, default=3, metavar="N", help="timed runs per command; the median is used")
    p.add_argument("--quick", action="store_true", help="the seed text only (no long text, no scale test)")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write every measurement to FILE")
    p.add_argument("--timeout", type=float, default=900, metavar="S", help="kill a command after S seconds")
    p.add_argument("--before", metavar="REV", help="also compare this tree with git revision REV, cold and warm")
    p.add_argument("--before-only", action="store_true", help="with --before: only that comparison, no peers")
    p.add_argument(
        "--book",
        type=int,
        nargs="?",
        const=200,
        default=0,
        metavar="N",
        help="also build a book of N chapters (default 200, about 2 MiB) against the same text as one file",
    )
    p.add_argument("--book-only", action="store_true", help="with --book: only that comparison, no peers")
    args = p.parse_args(argv)
    if args.book_only and not args.book:
        p.error("--book-only needs --book")
    if args.before_only and not args.before:
        p.error("--before-only needs --before REV")
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    if shutil.which("pandoc") is None:
        print("warning: pandoc is not on PATH; its rows will show FAILED", file=sys.stderr)

    launcher = Launcher()  # first, while this process is still small
    info = machine()
    try:
        with tempfile.TemporaryDirectory(prefix="zhengji-bench-") as tmp:
            rows, bench = run(args, Path(tmp), launcher)
    finally:
        launcher.close()
    text, data = render(rows, bench, info)
    print(text)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": info,
                    "repeat": args.repeat,
                    "rows": data,
                    "measurements": {
                        k: asdict(m) | {"median_s": m.time if m.ok else None, "median_mib": m.mem_mib if m.ok else None}
                        for k, m in bench.results.items()
                    },
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
