"""The build: read each source once, make each edition once, hand it to the writers.

Each output is written to a temporary file beside its target, and the files are renamed into place
only when every output of the build is complete: a failed or interrupted build changes no file,
never leaves a damaged or half-written one, and a parallel build ends exactly as a serial one.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from zhengji_publish import editions, model
from zhengji_publish.context import BuildContext
from zhengji_publish.diagnostics import Reporter, UserError, error
from zhengji_publish.fonts import FontBook
from zhengji_publish.headings import number_headings
from zhengji_publish.plan import make_plan
from zhengji_publish.style import load_style

__all__ = ["FORMATS", "WRITERS", "BuildContext", "BuildOptions", "build", "writer_for"]

FORMATS = ("pdf", "docx", "epub")
# Format → the module whose ``write(ctx, dest)`` makes it. Imported only when that format is built,
# so the build imports no writer (and no heavy library) at module level, and no writer imports the build.
WRITERS: dict[str, str] = {
    "pdf": "zhengji_publish.writers.pdf",
    "docx": "zhengji_publish.writers.docx",
    "epub": "zhengji_publish.writers.epub",
}


@dataclass
class BuildOptions:
    out_dir: Path = Path("build")
    formats: tuple[str, ...] = FORMATS
    editions: tuple[str, ...] = ()  # empty: from the front matter, else the source's own
    style: str = ""  # empty: from the front matter, else "default"
    strict: bool = False
    progress: Callable[[str], None] | None = None
    font_dirs: tuple[Path, ...] = field(default_factory=tuple)
    style_dirs: tuple[Path, ...] = field(default_factory=tuple)  # --styles folders, searched first
    allow_outside: Path | None = None  # a folder images may come from besides the source's own
    jobs: int = 1  # worker processes writing outputs in parallel


def build_timestamp(meta: model.Meta) -> dt.datetime:
    """SOURCE_DATE_EPOCH if set, else the front matter's date, else a fixed epoch: never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise error(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds",
                "set it to an integer such as 1773619200",
                exit_code=2,
            ) from None
    if meta.date:
        return dt.datetime(meta.date.year, meta.date.month, meta.date.day, tzinfo=dt.timezone.utc)
    return dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def identifier(meta: model.Meta, edition: str) -> str:
    """A stable identifier per edition: the front matter's, else derived from title and date."""
    import hashlib
    import uuid

    base = meta.identifier or f"{meta.title}|{meta.date}|{'|'.join(meta.authors)}"
    return f"urn:uuid:{uuid.UUID(hashlib.sha1(f'{base}|{edition}'.encode()).hexdigest()[:32])}"


def writer_for(fmt: str) -> Callable[[BuildContext, Path], None]:
    """The ``write(ctx, dest)`` function of ``fmt``'s writer, found through :data:`WRITERS` and
    imported on first use. Raises UserError (exit code 2) for an unknown format."""
    if fmt not in WRITERS:
        raise error(f"unknown format '{fmt}'", "use " + ", ".join(WRITERS), exit_code=2)
    write: Callable[[BuildContext, Path], None] = importlib.import_module(WRITERS[fmt]).write
    return write


def _remove_stale_parts(dest: Path) -> None:
    """Temporary files an earlier build left when it was killed outright (kill -9, power loss)."""
    for stale in dest.parent.glob(f".{dest.name}.*.part"):
        try:
            stale.unlink()
        except OSError:
            pass


# A test seam, None in every real build: called with the temporary file's path once the file exists,
# before the writer runs and inside the clean-up that removes the file. The interruption test sets it
# in the build it signals, to wait there for the signal: no race with how fast the build is.
after_part_created: Callable[[Path], None] | None = None


def write_part(dest: Path, produce: Callable[[Path], None]) -> Path:
    """Run ``produce(tmp)`` into a temporary file beside ``dest``; its path, not yet in place."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_parts(dest)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if after_part_created is not None:
            after_part_created(tmp)
        produce(tmp)
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise RuntimeError(f"writer produced no output for {dest.name}")
        os.chmod(tmp, 0o644)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _discard(parts: Iterable[Path]) -> None:
    for tmp in parts:
        tmp.unlink(missing_ok=True)


def plan(doc: model.Document, opts: BuildOptions) -> list[str]:
    """The editions to build for ``doc``."""
    tags = list(opts.editions) or list(doc.meta.editions) or [editions.own_edition(doc.meta.lang)]
    seen: list[str] = []
    for t in tags:
        if t not in seen:
            seen.append(t)
    return seen


@dataclass
class Task:
    """One output to write: a prepared edition, a format and the file it goes to."""

    ctx: BuildContext
    fmt: str
    dest: Path

    def run(self) -> Path:
        """Write the output to a temporary file beside ``dest`` and return that file's path."""
        write = writer_for(self.fmt)
        return write_part(self.dest, lambda tmp: write(self.ctx, tmp))


def prepare_source(source: Path, opts: BuildOptions, reporter: Reporter) -> list[Task]:
    """Read a source once and make each of its editions once; the writers' tasks share them."""
    from zhengji_publish.fonts.coverage import check_coverage
    from zhengji_publish.reader import read_file

    doc = read_file(source, reporter, opts.allow_outside)
    named_here = (source, doc.meta.style_line) if doc.meta.style and not opts.style else None
    style = load_style(opts.style or doc.meta.style or "default", source.parent, opts.style_dirs, named_here)
    stamp = build_timestamp(doc.meta)
    for fmt in opts.formats:
        writer_for(fmt)  # an unknown format stops the build before any work
    overrides = editions.overrides_for(doc)
    tasks: list[Task] = []
    for tag in plan(doc, opts):
        edition = editions.resolve(tag, doc.meta)
        publication = make_plan(style, edition, doc.meta, opts.formats, reporter)
        book = FontBook(style, edition.region, reporter, opts.font_dirs, source.parent)
        # Quotation marks are paired per paragraph while the edition is made: formats whose plan
        # asks for the same marks (all of them, unless the EPUB is vertical) share one converted tree.
        contexts: dict[str, BuildContext] = {}
        for fmt in opts.formats:
            quotes = publication.quotes_for(fmt)
            if quotes.value not in contexts:
                ed_doc = editions.apply(
                    doc, edition, quotes=quotes.value, overrides=overrides, straight=publication.straight_quotes
                )
                ed_doc = number_headings(ed_doc, publication.heading_numbers)
                check_coverage(ed_doc, book)
                contexts[quotes.value] = BuildContext(
                    ed_doc, edition, style, book, reporter, stamp, publication, identifier(doc.meta, tag)
                )
            tasks.append(Task(contexts[quotes.value], fmt, opts.out_dir / f"{source.stem}.{tag}.{fmt}"))
    return tasks


_TASKS: list[Task] = []  # the tasks of a parallel build, inherited by the forked workers
_WEIGHT = {"pdf": 3, "epub": 2, "docx": 1}  # rough relative cost of writing each format


def _run_task(index: int) -> Path:
    return _TASKS[index].run()


def _run_parallel(tasks: list[Task], jobs: int, progress: Callable[[str], None] | None) -> list[Path]:
    """Run tasks in forked worker processes (they inherit the prepared editions, nothing is pickled);
    the temporary files, in the order of ``tasks``. On an error every file made is removed."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    global _TASKS
    _TASKS = tasks
    # Longest first (a PDF takes several times a DOCX), so no worker is left alone with a PDF at the end.
    order = sorted(range(len(tasks)), key=lambda i: _WEIGHT.get(tasks[i].fmt, 0), reverse=True)
    parts: dict[int, Path] = {}
    try:
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(tasks)), mp_context=multiprocessing.get_context("fork")
        ) as pool:
            futures = {pool.submit(_run_task, i): i for i in order}
            try:
                for future in as_completed(futures):
                    parts[futures[future]] = future.result()  # a worker's UserError is raised here
                    if progress:
                        progress(str(tasks[futures[future]].dest))
            except BaseException:
                for future in futures:
                    future.cancel()
                pool.shutdown(wait=True)  # the tasks already running finish: their files go too
                _discard(f.result() for f in futures if f.done() and not f.cancelled() and f.exception() is None)
                raise
    finally:
        _TASKS = []
    return [parts[i] for i in range(len(tasks))]


def build(sources: Iterable[Path], opts: BuildOptions) -> list[Path]:
    """Build every source; with ``jobs`` > 1 the outputs are written by parallel processes.

    Nothing is put in place until every output is written, so an error leaves all files as they were.
    """
    reporter = Reporter(strict=opts.strict)
    tasks: list[Task] = []
    for src in sources:
        tasks += prepare_source(Path(src), opts, reporter)
    if not tasks:
        raise UserError([], exit_code=2)
    if opts.jobs > 1 and len(tasks) > 1:
        parts = _run_parallel(tasks, opts.jobs, opts.progress)
    else:
        parts = []
        try:
            for task in tasks:
                if opts.progress:
                    opts.progress(str(task.dest))
                parts.append(task.run())
        except BaseException:
            _discard(parts)
            raise
    try:
        for tmp, task in zip(parts, tasks, strict=True):
            os.replace(tmp, task.dest)
    finally:
        _discard(parts)  # those not moved (a failed rename) are removed
    return [t.dest for t in tasks]
