"""The build: read each source once, make each edition once, hand it to the writers.

Outputs are written to a temporary file beside the target and renamed into place only when
complete, so a failed or interrupted build never leaves a damaged or half-written file, and an
earlier good output stays as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from zhengji_publish import editions, model
from zhengji_publish.diagnostics import Reporter, UserError, error
from zhengji_publish.fonts import FontBook
from zhengji_publish.style import Style, load_style

FORMATS = ("pdf", "docx", "epub")


@dataclass
class BuildContext:
    """Everything a writer needs for one edition; writers only read it."""

    doc: model.Document  # already converted for ``edition``
    edition: editions.Edition
    style: Style
    fonts: FontBook
    reporter: Reporter
    timestamp: dt.datetime  # creation/modification time written into the outputs (UTC)
    identifier: str = ""

    @property
    def meta(self) -> model.Meta:
        return self.doc.meta


@dataclass
class BuildOptions:
    out_dir: Path = Path("build")
    formats: tuple[str, ...] = FORMATS
    editions: tuple[str, ...] = ()  # empty: from the front matter, else the source's own
    style: str = ""  # empty: from the front matter, else "default"
    strict: bool = False
    progress: Callable[[str], None] | None = None
    font_dirs: tuple[Path, ...] = field(default_factory=tuple)
    allow_outside: Path | None = None  # a folder images may come from besides the source's own


def build_timestamp(meta: model.Meta) -> dt.datetime:
    """SOURCE_DATE_EPOCH if set, else the front matter's date, else a fixed epoch: never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise error(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds",
                        "set it to an integer such as 1773619200", exit_code=2) from None
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
    """Heavy libraries are imported only for the formats asked for."""
    if fmt == "pdf":
        from zhengji_publish.writers.pdf import write
    elif fmt == "docx":
        from zhengji_publish.writers.docx import write
    elif fmt == "epub":
        from zhengji_publish.writers.epub import write
    else:
        raise error(f"unknown format '{fmt}'", "use pdf, docx or epub", exit_code=2)
    return write


def _remove_stale_parts(dest: Path) -> None:
    """Temporary files an earlier build left when it was killed outright (kill -9, power loss)."""
    for stale in dest.parent.glob(f".{dest.name}.*.part"):
        try:
            stale.unlink()
        except OSError:
            pass


def write_atomic_with(dest: Path, produce: Callable[[Path], None]) -> None:
    """Run ``produce(tmp)`` and rename the result to ``dest`` only if it completes."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_parts(dest)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        produce(tmp)
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise RuntimeError(f"writer produced no output for {dest.name}")
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            tmp.unlink()


def plan(doc: model.Document, opts: BuildOptions) -> list[str]:
    """The editions to build for ``doc``."""
    tags = list(opts.editions) or list(doc.meta.editions) or [editions.own_edition(doc.meta.lang)]
    seen: list[str] = []
    for t in tags:
        if t not in seen:
            seen.append(t)
    return seen


def build_source(source: Path, opts: BuildOptions, reporter: Reporter) -> list[Path]:
    """Build every requested edition and format of one source; returns the files written."""
    from zhengji_publish.coverage import check_coverage
    from zhengji_publish.reader import read_file

    doc = read_file(source, reporter, opts.allow_outside)
    style = load_style(opts.style or doc.meta.style or "default", source.parent)
    stamp = build_timestamp(doc.meta)
    writers = [(fmt, writer_for(fmt)) for fmt in opts.formats]
    written: list[Path] = []
    for tag in plan(doc, opts):
        edition = editions.resolve(tag, doc.meta)
        ed_doc = editions.apply(doc, edition)
        book = FontBook(style, edition.region, reporter, opts.font_dirs)
        check_coverage(ed_doc, book)
        ctx = BuildContext(ed_doc, edition, style, book, reporter, stamp, identifier(doc.meta, tag))
        for fmt, write in writers:
            dest = opts.out_dir / f"{source.stem}.{tag}.{fmt}"
            if opts.progress:
                opts.progress(f"{dest}")
            write_atomic_with(dest, lambda tmp, write=write, ctx=ctx: write(ctx, tmp))
            written.append(dest)
    return written


def build(sources: Iterable[Path], opts: BuildOptions) -> list[Path]:
    reporter = Reporter(strict=opts.strict)
    written: list[Path] = []
    for src in sources:
        written += build_source(Path(src), opts, reporter)
    if not written:
        raise UserError([], exit_code=2)
    return written
