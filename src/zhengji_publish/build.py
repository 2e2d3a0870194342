"""The build: read each source once, make each edition once, hand it to the writers.

Each output is written to a temporary file beside its target, and the files are renamed into place
only when every output of the build is complete: a failed or interrupted build changes no file,
never leaves a damaged or half-written one, and a parallel build ends exactly as a serial one.

Two sources that would write the same file are refused before any work (:func:`check_unique`).
Builds running at the same time on the same outputs take turns: a build holds a lock on each
output it writes (the ``filelock`` library; ``.NAME.lock`` beside the output, removed when the build
ends) from before its first temporary file until its files are in place. Temporary files are named
after their owner (``.NAME.HOST~PID.RANDOM.part``), so a build removes only what a build that is no
longer running left behind. An OS error on the way (no space, no permission, a file where a folder
should be) is a located :class:`UserError` naming the output and the cause.
"""

from __future__ import annotations

import datetime as dt
import errno
import importlib
import os
import re
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from zhengji_publish import editions, model
from zhengji_publish.context import BuildContext
from zhengji_publish.diagnostics import Diagnostic, Reporter, UserError, error
from zhengji_publish.fonts import FontBook
from zhengji_publish.headings import check_levels, number_headings
from zhengji_publish.images import DEFAULT_LIMITS, ImageLimits
from zhengji_publish.paths import os_error
from zhengji_publish.plan import FORMATS, Plan, make_plan
from zhengji_publish.style import Style, load_style

_In = TypeVar("_In")
_Out = TypeVar("_Out")

if TYPE_CHECKING:
    from filelock import BaseFileLock

__all__ = ["FORMATS", "WRITERS", "BuildContext", "BuildOptions", "build", "check_unique", "output_path", "writer_for"]

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
    allow_outside: tuple[Path, ...] | Path | None = None  # folders referenced files may come from besides the source's
    jobs: int = 1  # worker processes writing outputs in parallel
    keep_paths: bool = False  # mirror each source's folder (relative to the current one) under out_dir
    image_limits: ImageLimits = DEFAULT_LIMITS
    reading: Callable[[int, int, Path], None] | None = None  # a book's chapters: (read so far, total, chapter)


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


def _host() -> str:
    """This machine's name as it may stand in a file name (letters, digits and hyphens)."""
    return re.sub(r"[^A-Za-z0-9-]+", "-", socket.gethostname()) or "host"


def owner_tag() -> str:
    """``HOST~PID`` of this build: the owner written into the names of its temporary files."""
    return f"{_host()}~{os.getpid()}"


def _running(pid: int) -> bool:
    """Whether a process ``pid`` exists on this machine (signal 0 checks without sending anything)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, under another user
        return True
    return True


def _remove_stale_parts(dest: Path) -> None:
    """Remove the temporary files of ``dest`` that a build no longer running left (killed with -9, a
    power loss): those of this machine whose owner process is gone, and unowned ones from versions
    that did not name the owner. Called with the lock of ``dest`` held, so no running build of this
    version can be writing one; another machine's files (a shared folder) are left alone."""
    prefix, host = f".{dest.name}.", _host()
    for stale in dest.parent.glob(f".{dest.name}.*.part"):
        middle = stale.name[len(prefix) : -len(".part")]
        owner = middle.rsplit(".", 1)[0] if "." in middle else ""
        if "~" in owner:
            owner_host, _, pid = owner.rpartition("~")
            if owner_host != host or not pid.isdigit() or _running(int(pid)):
                continue
        try:
            stale.unlink()
        except OSError:
            pass


# A test seam, None in every real build: called with the temporary file's path once the file exists,
# before the writer runs and inside the clean-up that removes the file. The interruption test sets it
# in the build it signals, to wait there for the signal: no race with how fast the build is.
after_part_created: Callable[[Path], None] | None = None


def write_part(dest: Path, produce: Callable[[Path], None], owner: str = "") -> Path:
    """Run ``produce(tmp)`` into a temporary file beside ``dest``; its path, not yet in place.

    ``owner`` (``HOST~PID`` of the build, :func:`owner_tag` by default) goes into the file's name.
    The caller holds the lock of ``dest`` (:class:`OutputLocks`). An OS error (no space, no
    permission …) is a :class:`UserError` naming ``dest``; the temporary file is removed on any error.
    """
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_parts(dest)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.{owner or owner_tag()}.", suffix=".part", dir=dest.parent)
        os.close(fd)
    except OSError as exc:
        raise os_error(exc, "write the output", dest) from None
    tmp = Path(tmp_name)
    try:
        if after_part_created is not None:
            after_part_created(tmp)
        produce(tmp)
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise RuntimeError(f"writer produced no output for {dest.name}")
        os.chmod(tmp, 0o644)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise os_error(exc, "write the output", dest) from None
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
    owner: str = ""  # HOST~PID of the build (its workers write the parts on its behalf)

    def run(self) -> Path:
        """Write the output to a temporary file beside ``dest`` and return that file's path."""
        write = writer_for(self.fmt)
        return write_part(self.dest, lambda tmp: write(self.ctx, tmp), self.owner)


def output_path(source: Path, tag: str, fmt: str, opts: BuildOptions) -> Path:
    """Where ``source``'s ``tag`` edition in ``fmt`` goes: ``OUT/NAME.EDITION.FORMAT``; with
    ``keep_paths``, ``OUT/FOLDER/NAME.EDITION.FORMAT``, FOLDER being the source's folder relative to
    the current one. Raises :class:`UserError` (exit status 2) with ``keep_paths`` for a source
    outside the current folder, whose folder could not be mirrored inside ``OUT``."""
    name = f"{source.stem}.{tag}.{fmt}"
    if not opts.keep_paths:
        return opts.out_dir / name
    try:
        folder = source.parent.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        raise error(
            "--keep-paths mirrors a source's folder relative to the current folder, and this source is outside it",
            "run the build from a folder that holds every source",
            source,
            exit_code=2,
        ) from None
    return opts.out_dir / folder / name


def read_source(source: Path, opts: BuildOptions, reporter: Reporter) -> model.Document:
    """Read ``source`` with the build's confinement and image limits (errors are :class:`UserError`);
    a book manifest (``.yaml``) is read with its chapters into one document (:mod:`zhengji_publish.book`)."""
    from zhengji_publish.manifest import is_manifest
    from zhengji_publish.reader import read_file

    # the style the source names is looked up with its other problems, unless -s names the build's
    style_dirs = None if opts.style else tuple(Path(d) for d in opts.style_dirs)
    if is_manifest(source):
        from zhengji_publish.book import read_book

        return read_book(source, reporter, opts.allow_outside, opts.image_limits, opts.reading, style_dirs)
    return read_file(source, reporter, opts.allow_outside, opts.image_limits, style_dirs)


def check_unique(outputs: Iterable[tuple[Path, Path]]) -> None:
    """Refuse a build in which two sources would write the same file: ``outputs`` are (source, output).

    Raises :class:`UserError` (exit status 2) naming both sources and the output, with the ways out
    (``--keep-paths``, or separate ``-o`` folders). Outputs are compared by absolute path.
    """
    seen: dict[Path, Path] = {}
    for source, dest in outputs:
        key = Path(os.path.abspath(dest))
        first = seen.setdefault(key, source)
        if first != source:
            raise error(
                f"{first} and {source} would both be written to {dest}",
                "pass --keep-paths to put each source's outputs in a copy of its folder under -o, "
                "or build them one at a time into different -o folders",
                exit_code=2,
            )


def _confined(doc: model.Document, opts: BuildOptions) -> tuple[Path, ...] | None:
    """For a style the source names by path (the reader has confined it): the folders besides the
    style's and the source's own that its ``extends`` paths may lead to. None for any other style."""
    from zhengji_publish.paths import Confinement
    from zhengji_publish.style import STYLE_SUFFIXES

    named = doc.meta.style
    if opts.style or not named or not (named.endswith(STYLE_SUFFIXES) or "/" in named):
        return None
    return Confinement(opts.allow_outside).allowed


def source_style(doc: model.Document, source: Path, opts: BuildOptions) -> Style:
    """The style ``source`` is built with: ``-s`` (``opts.style``), else the front matter's ``style``,
    else ``default``; a style the front matter names is an error at its line when it is not found."""
    named_here = (source, *doc.meta.style_at) if doc.meta.style and not opts.style else None
    return load_style(
        opts.style or doc.meta.style or "default",
        source.parent,
        opts.style_dirs,
        where=named_here,
        confined_to=_confined(doc, opts),
    )


def make_edition(
    doc: model.Document,
    edition: editions.Edition,
    publication: Plan,
    fmt: str,
    overrides: Mapping[str, str] | None = None,
) -> model.Document:
    """The tree ``fmt``'s writer (pdf, docx, epub) receives for ``edition`` of ``doc``: a copy with
    its text converted and its quotation marks as ``publication`` says for ``fmt``
    (:func:`editions.apply`: OpenCC, the shipped corrections, Taiwan usage words, ``overrides``;
    straight quotes paired, corner brackets), then its headings numbered by the style's patterns
    (:func:`headings.number_headings`). ``doc`` is left untouched. Raises KeyError for an unknown
    ``fmt``.

    The one place an edition's text is made: the build's writers and the proofreading page of
    ``check --html`` (:mod:`checkpage`) both read what this returns, so the page shows the text the
    publications print.
    """
    quotes = publication.quotes_for(fmt)
    ed_doc = editions.apply(
        doc, edition, quotes=quotes.value, overrides=overrides, straight=publication.straight_quotes
    )
    return number_headings(ed_doc, publication.heading_numbers)


def prepare_source(
    source: Path, opts: BuildOptions, reporter: Reporter, doc: model.Document | None = None
) -> list[Task]:
    """Read a source once (unless ``doc`` is it, already read) and make each of its editions once;
    the writers' tasks share them."""
    from zhengji_publish.fonts.coverage import check_coverage

    if doc is None:
        doc = read_source(source, opts, reporter)
    style = source_style(doc, source, opts)
    check_levels(doc, style.heading_numbers, reporter)
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
                ed_doc = make_edition(doc, edition, publication, fmt, overrides)
                check_coverage(ed_doc, book)
                contexts[quotes.value] = BuildContext(
                    ed_doc, edition, style, book, reporter, stamp, publication, identifier(doc.meta, tag)
                )
            tasks.append(Task(contexts[quotes.value], fmt, output_path(source, tag, fmt, opts), owner_tag()))
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


def _lock_path(dest: Path) -> Path:
    return dest.parent / f".{dest.name}.lock"


class OutputLocks:
    """Exclusive locks on a build's outputs, taken in a fixed order (no two builds can deadlock).

    Each lock is a ``filelock.FileLock`` on ``.NAME.lock`` beside the output NAME (``flock`` on
    POSIX). A build that finds an output locked says so on stderr and waits for it. On leaving,
    each lock file is removed while still held, then released: filelock's acquire checks that the
    file it locked is still linked, so a build waiting on a removed file tries again on a new one.
    """

    def __init__(self, dests: Iterable[Path]) -> None:
        self.dests = sorted({Path(os.path.abspath(d)) for d in dests})
        self.held: list[tuple[Path, BaseFileLock]] = []

    def __enter__(self) -> OutputLocks:
        from filelock import FileLock, Timeout

        try:
            for dest in self.dests:
                try:
                    dest.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise os_error(exc, "create the output folder", dest.parent) from None
                try:
                    lock = FileLock(_lock_path(dest), is_singleton=False)
                    try:
                        lock.acquire(timeout=0)
                    except Timeout:
                        note = Diagnostic(
                            "another build is writing this file", "waiting for it to finish", dest, severity="note"
                        )
                        print(note.format(), file=sys.stderr, flush=True)
                        lock.acquire()
                except OSError as exc:
                    raise os_error(exc, "write the output", dest) from None
                self.held.append((dest, lock))
        except BaseException:
            self.release()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        """Remove each lock file (while held) and release it; errors here change no output."""
        while self.held:
            dest, lock = self.held.pop()
            try:
                _lock_path(dest).unlink(missing_ok=True)
            except OSError:
                pass
            lock.release()


def check_out_dir(out_dir: Path) -> None:
    """Refuse, before any work, an output folder that names a file or cannot be made: the nearest
    existing folder on its path must be a folder (raises :class:`UserError`, exit status 1)."""
    import errno

    path = Path(os.path.abspath(out_dir))
    for here in (path, *path.parents):
        if here.exists():
            if not here.is_dir():
                cause = errno.EEXIST if here == path else errno.ENOTDIR
                exc = OSError(cause, os.strerror(cause), str(here))
                raise os_error(exc, "use the output folder", out_dir)
            return


def build(sources: Iterable[Path], opts: BuildOptions) -> list[Path]:
    """Build every source; with ``jobs`` > 1 the outputs are written by parallel processes.

    Nothing is put in place until every output is written, so an error leaves all files as they were.
    Sources named twice are built once. Raises :class:`UserError` for any problem the user can fix:
    two sources writing one output (before any work), an output folder that is a file, an OS error
    while reading or writing (naming the path and the cause).
    """
    reporter = Reporter(strict=opts.strict)
    check_out_dir(opts.out_dir)
    unique: dict[Path, Path] = {}
    for src in sources:
        unique.setdefault(Path(os.path.abspath(src)), Path(src))
    docs = each_source(list(unique.values()), lambda src: (src, read_source(src, opts, reporter)))
    check_unique(
        (src, output_path(src, tag, fmt, opts)) for src, doc in docs for tag in plan(doc, opts) for fmt in opts.formats
    )
    tasks: list[Task] = [
        task for made in each_source(docs, lambda sd: prepare_source(sd[0], opts, reporter, sd[1])) for task in made
    ]
    if not tasks:
        raise UserError([], exit_code=2)
    with OutputLocks(t.dest for t in tasks):
        return _write(tasks, opts)


def each_source(items: list[_In], work: Callable[[_In], _Out]) -> list[_Out]:
    """``work`` done for each of a build's sources (``items``), in order; a source's problems do
    not stop the others': the :class:`UserError` raised holds every source's diagnostics, in the
    sources' order (with the highest exit status), so one run tells what to mend in all of them."""
    done: list[_Out] = []
    failed: list[UserError] = []
    for item in items:
        try:
            done.append(work(item))
        except UserError as exc:
            failed.append(exc)
    if failed:
        raise UserError([d for exc in failed for d in exc.diagnostics], max(exc.exit_code for exc in failed))
    return done


def _write(tasks: list[Task], opts: BuildOptions) -> list[Path]:
    """Write every task's output and put them all in place (the caller holds their locks)."""
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
        put_in_place([(tmp, task.dest) for tmp, task in zip(parts, tasks, strict=True)])
    finally:
        _discard(parts)  # those not moved (a failed rename) are removed
    return [t.dest for t in tasks]


def put_in_place(moves: list[tuple[Path, Path]]) -> None:
    """Rename each finished temporary file onto its output, all of them or none.

    An output in the way of a rename (a folder of that name) is found before any file is renamed.
    Each output replaced keeps a copy of what it was (a hard link beside it, else a copy) until all
    are in place; when a rename fails or the build is interrupted on the way, the outputs already
    replaced get their old files back and new ones are removed, so a build never leaves outputs of
    two versions side by side. Raises :class:`UserError` naming the output and the cause.
    """
    for _tmp, dest in moves:
        if dest.is_dir():
            folder = IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(dest))
            raise os_error(folder, "put the output in place", dest)
    done: list[tuple[Path, Path | None]] = []  # (output, its old file kept aside; None: it is new)
    try:
        for tmp, dest in moves:
            kept = _keep_old(dest)
            try:
                os.replace(tmp, dest)
            except OSError as exc:
                if kept is not None:
                    kept.unlink(missing_ok=True)
                raise os_error(exc, "put the output in place", dest) from None
            done.append((dest, kept))
    except BaseException:
        for dest, kept in reversed(done):
            try:
                if kept is not None:
                    os.replace(kept, dest)
                else:
                    dest.unlink()
            except OSError:
                pass
        raise
    finally:
        for _dest, kept in done:
            if kept is not None:
                kept.unlink(missing_ok=True)


def _keep_old(dest: Path) -> Path | None:
    """A copy of the file at ``dest`` beside it (a hard link, else a copy), named as a temporary
    file of this build (so a build killed before removing it leaves nothing another build keeps);
    None when there is no file at ``dest``."""
    if not dest.is_file():
        return None
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.{owner_tag()}.", suffix=".part", dir=dest.parent)
    os.close(fd)
    kept = Path(name)
    try:
        kept.unlink()
        os.link(dest, kept)
    except OSError:
        try:
            shutil.copy2(dest, kept)
        except OSError as exc:
            kept.unlink(missing_ok=True)
            raise os_error(exc, "keep the old output until the new ones are in place", dest) from None
    return kept
