"""Command line: ``zhengji-publish build``, ``check``, ``import`` and ``styles``.

Errors the user can fix are printed as ``path:line:col: error: … — …`` with exit status 1 (build
errors) or 2 (usage errors) and no traceback; ``--debug`` shows the traceback of anything else.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from zhengji_publish import __version__
from zhengji_publish.diagnostics import Diagnostic, UserError
from zhengji_publish.images import DEFAULT_LIMITS as DEFAULT_IMAGE_LIMITS
from zhengji_publish.images import ImageLimits
from zhengji_publish.suggest import did_you_mean, nearest

if TYPE_CHECKING:
    from zhengji_publish.style import StyleFolder

DESCRIPTION = """\
Publish one structured Chinese Markdown source as a PDF, a Word document (DOCX) and an EPUB 3
e-book, in simplified Chinese and in traditional-Chinese editions for Taiwan and Hong Kong."""

BUILD_EPILOG = """\
examples:
  zhengji-publish build source/zhengji.md
      every format and every edition named in the front matter, into build/
  zhengji-publish build source/zhengji.md -f pdf -e zh-Hant-HK -s default
      only the Hong Kong PDF, with the default style
  zhengji-publish build a.md b.md -o out/

editions: zh-Hans (as written), zh-Hant-TW (OpenCC s2tw: Taiwan forms), zh-Hant-HK (s2hk: Hong Kong
forms), zh-Hant (s2tw forms, generic traditional). Traditional editions use 「」『』 quotes.
outputs are named DIR/{source name}.{edition}.{format}, e.g. build/zhengji.zh-Hant-TW.epub; with
--keep-paths, DIR/{source folder}/{source name}.{edition}.{format}. Two sources that would write the
same file are an error. Builds of the same outputs running at once take turns."""


def _positive(text: str) -> int:
    """A whole number above zero, for argparse (its error names the option)."""
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not above zero")
    return value


IMPORT_EPILOG = """\
examples:
  zhengji-publish import article.txt -o source/article.md
  zhengji-publish build source/article.md"""


def _styles_option(parser: argparse.ArgumentParser) -> None:
    """``--styles DIR``: the folders a style name is looked up in first (build's, check's and styles')."""
    parser.add_argument(
        "--styles",
        action="append",
        type=Path,
        default=[],
        dest="style_dirs",
        metavar="DIR",
        help="look up style names in DIR first; repeat for several",
    )


class _Parser(argparse.ArgumentParser):
    """argparse's parser, its usage errors said as the tool's other errors are: one line,
    ``zhengji-publish build: error: what — what to do``, exit status 2, without the usage block
    (``--help`` shows it). A mistyped choice is answered with the nearest one."""

    commands: Mapping[str, argparse.ArgumentParser] = {}  # the parsers of the subcommands, by name

    def error(self, message: str, close: str = "") -> NoReturn:
        hint = f"see '{self.prog} --help'"
        wrong = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        close = close or (did_you_mean(wrong.group(1), re.findall(r"'([^']*)'", wrong.group(2))) if wrong else "")
        self.exit(2, f"{self.prog}: error: {message} — {close + ' (' + hint + ')' if close else hint}\n")

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        """argparse's, with an option no command has told by the command it was given to (``build
        --stirct``: ``zhengji-publish build: error: …``) and answered with that command's nearest
        option (``did you mean '--strict'?``)."""
        parsed, extra = self.parse_known_args(args, namespace)
        if extra:
            command = self.commands.get(getattr(parsed, "command", None) or "", self)
            options = re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", command.format_help())
            typed = next((a.split("=")[0] for a in extra if a.startswith("-")), "")
            # compared without their dashes, which every option shares (``--bogus`` is not ``--jobs``)
            bare = {o.lstrip("-"): o for o in options if o.startswith(typed[:2])}
            near = nearest(typed.lstrip("-"), bare) if typed else None
            close = f"did you mean '{bare[near]}'?" if near else ""
            if isinstance(command, _Parser):
                command.error(f"unrecognized arguments: {' '.join(extra)}", close)
            self.error(f"unrecognized arguments: {' '.join(extra)}", close)
        return parsed


def _parser() -> _Parser:
    p = _Parser(prog="zhengji-publish", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"zhengji-publish {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser(
        "build",
        help="build publications from Markdown sources",
        description="Build PDF, DOCX and EPUB publications from Markdown sources.",
        epilog=BUILD_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    b.add_argument("sources", nargs="+", metavar="SOURCE", type=Path, help="Markdown file(s) to build")
    b.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        type=Path,
        default=Path("build"),
        help="folder for the outputs (default: build/)",
    )
    b.add_argument(
        "-f",
        "--format",
        action="append",
        type=str.lower,  # -f PDF as -f pdf
        choices=("pdf", "docx", "epub"),
        dest="formats",
        help="format to build; repeat for several (default: all three)",
    )
    b.add_argument(
        "-e",
        "--edition",
        action="append",
        dest="editions",
        metavar="EDITION",
        help="edition to build: zh-Hans, zh-Hant-TW, zh-Hant-HK or zh-Hant; repeat for several "
        "(default: the front matter's 'editions', else the source's own)",
    )
    b.add_argument(
        "-s",
        "--style",
        default="",
        metavar="STYLE",
        help="style name or a path to a .yaml file (default: the front matter's 'style', else 'default'); "
        "names are looked up in --styles folders, beside the source, in ./styles, then among the shipped styles",
    )
    _styles_option(b)
    b.add_argument(
        "--fonts",
        action="append",
        type=Path,
        default=[],
        dest="font_dirs",
        metavar="DIR",
        help="look up fonts in DIR first (before fonts/ beside the source, ./fonts and the system's); "
        "repeat for several",
    )
    b.add_argument(
        "--keep-paths",
        action="store_true",
        help="put each source's outputs under DIR in a copy of the source's folder (relative to the current "
        "folder): a/index.md and b/index.md are built into DIR/a/ and DIR/b/",
    )
    b.add_argument(
        "--allow-outside",
        metavar="DIR",
        type=Path,
        action="append",
        default=[],
        help="let the files a source names (images, overrides, a style given by path) come from DIR too "
        "(by default only from the source's own folder, symbolic links resolved); repeat for several",
    )
    b.add_argument(
        "--max-image-pixels",
        type=_positive,
        default=DEFAULT_IMAGE_LIMITS.max_pixels,
        metavar="N",
        help=f"refuse images of more than N pixels, width × height (default: {DEFAULT_IMAGE_LIMITS.max_pixels:,})",
    )
    b.add_argument(
        "--max-image-side",
        type=_positive,
        default=DEFAULT_IMAGE_LIMITS.max_side,
        metavar="N",
        help=f"refuse images wider or taller than N pixels (default: {DEFAULT_IMAGE_LIMITS.max_side:,})",
    )
    b.add_argument(
        "--max-image-mb",
        type=_positive,
        default=DEFAULT_IMAGE_LIMITS.max_bytes // (1024 * 1024),
        metavar="MB",
        help=f"refuse image files larger than MB megabytes (default: {DEFAULT_IMAGE_LIMITS.max_bytes // 1024**2})",
    )
    b.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        default=0,
        metavar="N",
        help="write outputs with N parallel processes, N ≥ 1 (default: one per processor core); "
        "the files are the same as with -j 1",
    )
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--debug", action="store_true", help="show a traceback for internal errors")

    c = sub.add_parser(
        "check",
        help="list where the traditional form of a character depended on its context",
        description="List the places where a simplified character with more than one "
        "traditional form (干 → 幹/乾, 发 → 發/髮 …) was converted by its context, most doubtful "
        "first, with line, column, the words around it, the form chosen, the alternatives and the "
        "rule that chose. --all lists every such character in source order with a count per character.",
    )
    c.add_argument("sources", nargs="+", metavar="SOURCE", type=Path, help="Markdown file(s) to check")
    c.add_argument(
        "-e",
        "--edition",
        action="append",
        dest="editions",
        metavar="EDITION",
        help="edition to check, e.g. zh-Hant-TW; repeat for several "
        "(default: the front matter's 'editions', else the source's own)",
    )
    c.add_argument(
        "--all",
        action="store_true",
        dest="everything",
        help="list every character with several traditional forms, in source order, then a count per character",
    )
    c.add_argument(
        "--format", choices=("text", "tsv", "json"), default="text", help="how to print the places (default: text)"
    )
    c.add_argument(
        "--html",
        metavar="REPORT.html",
        type=Path,
        help="also write a page with the converted text and each doubtful choice highlighted "
        "(of one source, or of each chapter of a book)",
    )
    c.add_argument(
        "-s",
        "--style",
        default="",
        metavar="STYLE",
        help="with --html: the style the page's text is made with, as build's -s (its quotation marks and "
        "heading numbers; default: the front matter's 'style', else 'default')",
    )
    _styles_option(c)
    c.add_argument("--debug", action="store_true", help="show a traceback for internal errors")

    i = sub.add_parser(
        "import",
        help="make a source from a text file, a Word document or a saved web page",
        description="Make a Markdown source from plain text (UTF-8, GB 18030 or Big5), a Word document (.docx)\n"
        "or a saved web page (.html), told apart by their content. Every guess (a heading, a byline,\n"
        "a rejoined paragraph, a front-matter value…) is printed as 'SOURCE.md:LINE:COL: note: guessed … — …'\n"
        "at its place in the source, to review it there.",
        epilog=IMPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    i.add_argument("file", metavar="FILE", type=Path, help="the file to import")
    i.add_argument(
        "-o",
        "--output",
        metavar="SOURCE.md",
        type=Path,
        default=None,
        help="the source to write (default: FILE with the suffix .md); its images go to a folder beside it",
    )
    i.add_argument("--force", action="store_true", help="replace SOURCE.md (and its images) if they exist")
    i.add_argument("--debug", action="store_true", help="show a traceback for internal errors")

    s = sub.add_parser(
        "styles",
        help="list the styles found or show one resolved",
        description="List the styles found (the shipped ones and your own, looked up as a build of a "
        "source in the current folder would: --styles folders, ./ and ./styles, then the shipped styles) "
        "or print one fully resolved.",
    )
    s.add_argument("action", choices=("list", "show"))
    s.add_argument("name", nargs="?", default="default", help="style name or path (for 'show')")
    _styles_option(s)
    s.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    p.commands = sub.choices
    return p


class _Progress:
    """One updating line on a terminal; silent otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.count = 0
        self.start = time.monotonic()

    def __call__(self, what: str) -> None:
        self.count += 1
        if self.tty:
            sys.stderr.write(f"\r\033[K[{self.count}] writing {what}")
            sys.stderr.flush()

    def reading(self, done: int, total: int, chapter: Path) -> None:
        """A book's chapters: a bar of how many are read, and the one being read."""
        if self.tty and total:
            filled = 20 * done // total
            bar = "#" * filled + "." * (20 - filled)
            what = f"reading {chapter.name}" if done < total else "read"
            sys.stderr.write(f"\r\033[K[{bar}] {done}/{total} chapters {what}")
            sys.stderr.flush()

    def done(self, written: list[Path]) -> None:
        if self.tty:
            sys.stderr.write(f"\r\033[Kbuilt {len(written)} files in {time.monotonic() - self.start:.1f} s\n")


def _cores() -> int:
    """Processor cores this process may run on."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _editions(tags: list[str] | None) -> tuple[str, ...]:
    """The editions named by ``-e``: a region tag (``zh-TW``) is taken for its edition, with a note;
    an unknown name is left for the build to report with a did-you-mean."""
    from zhengji_publish.editions import canonical_edition, edition_alias_note

    out = []
    for tag in tags or ():
        edition = canonical_edition(tag) or tag
        if edition.lower() != tag.lower():
            note = Diagnostic(edition_alias_note(tag, edition), f"its outputs are named *.{edition}.*", severity="note")
            print(note.format(), file=sys.stderr)
        out.append(edition)
    return tuple(out)


def _build(args: argparse.Namespace) -> int:
    from zhengji_publish.build import FORMATS, BuildOptions, build

    progress = _Progress()
    formats = tuple(dict.fromkeys(args.formats)) if args.formats else FORMATS
    opts = BuildOptions(
        out_dir=args.output,
        formats=formats,
        editions=_editions(args.editions),
        style=args.style,
        strict=args.strict,
        progress=progress,
        reading=progress.reading,
        allow_outside=tuple(args.allow_outside),
        keep_paths=args.keep_paths,
        image_limits=ImageLimits(
            max_bytes=args.max_image_mb * 1024 * 1024, max_pixels=args.max_image_pixels, max_side=args.max_image_side
        ),
        jobs=args.jobs if args.jobs > 0 else _cores(),
        font_dirs=tuple(args.font_dirs),
        style_dirs=tuple(args.style_dirs),
    )
    written = build(args.sources, opts)
    progress.done(written)
    for path in written:
        print(path)
    return 0


def _styles(args: argparse.Namespace) -> int:
    """``styles list``: one line per style found, ``NAME  FROM  DESCRIPTION``, where FROM is
    ``shipped`` or the folder the style file is in; ``styles show NAME``: the style resolved."""
    from zhengji_publish.style import StyleSearch, dump, load_style

    if args.action == "list":
        cwd = Path.cwd()
        rows = []
        for found in StyleSearch(tuple(args.style_dirs), cwd).available():
            where = "shipped" if found.folder.origin == "shipped" else _relative(found.path.parent, cwd)
            note = f" (instead of the {_from(found.replaces, cwd)} one)" if found.replaces else ""
            rows.append((found.name, where, f"{found.description}{note}"))
        name_width = max([12, *(len(name) for name, _, _ in rows)])  # columns in line for long names
        where_width = max([10, *(len(where) for _, where, _ in rows)])
        for name, where, description in rows:
            print(f"{name:{name_width}} {where:{where_width}} {description}")
    else:
        print(dump(load_style(args.name, Path.cwd(), args.style_dirs)), end="")
    return 0


def _relative(folder: Path, cwd: Path) -> str:
    """A folder as the user would type it from ``cwd``: ``./styles``, ``.``, else its absolute path."""
    try:
        rel = folder.resolve().relative_to(cwd.resolve())
    except ValueError:
        return str(folder)
    return "." if rel == Path() else f"./{rel}"


def _from(folder: StyleFolder, cwd: Path) -> str:
    """How ``styles list`` names the folder of a style another one hides."""
    return "shipped" if folder.origin == "shipped" else _relative(folder.path, cwd)


def _check(args: argparse.Namespace) -> int:
    from zhengji_publish.ambiguity import report
    from zhengji_publish.manifest import is_manifest, read_manifest
    from zhengji_publish.model import Document

    tags = list(_editions(args.editions))
    if args.html is not None:
        from zhengji_publish.checkpage import write_page

        if len(args.sources) != 1:
            raise UserError(
                Diagnostic(
                    "--html writes the page of one source or one book",
                    "check one source (or book manifest) at a time with --html",
                ),
                exit_code=2,
            )
        write_page(args.sources[0], tags, args.html, args.everything, args.style, tuple(args.style_dirs))
    for source in args.sources:
        _check_style(source, args)
    for source in args.sources:
        if is_manifest(source):  # a book: each chapter, converted as the book says
            book = read_manifest(source)
            for entry in book.entries:
                print(
                    report(entry.shown, tags, args.everything, args.format, Document(book.meta, [], source=source)),
                    end="",
                )
        else:
            print(report(source, tags, args.everything, args.format), end="")
    return 0


def _check_style(source: Path, args: argparse.Namespace) -> None:
    """The style ``check`` is asked for (``-s``, else the front matter's or the book's), looked up
    as ``build`` looks it up, so a name that a build would refuse is refused here too (its
    quotation marks and heading numbers are the text's, though the report shows neither)."""
    from zhengji_publish.build import BuildOptions, source_style
    from zhengji_publish.manifest import is_manifest
    from zhengji_publish.reader import read_file
    from zhengji_publish.style import load_style

    dirs = tuple(args.style_dirs)
    if is_manifest(source):
        if args.style:
            load_style(args.style, source.parent, dirs)
        return
    # the front matter's style is looked up with the source's other problems, as the build does
    doc = read_file(source, style_dirs=None if args.style else dirs)
    source_style(doc, source, BuildOptions(style=args.style, style_dirs=dirs))


def _import(args: argparse.Namespace) -> int:
    """``import FILE [-o SOURCE.md]``: write the source, print its notes on stderr and its path."""
    from zhengji_publish.importers import import_file, write

    output = args.output or args.file.with_suffix(".md")
    if output.resolve() == args.file.resolve():
        raise UserError(
            Diagnostic("the source would replace the file imported", "name another source with -o", output),
            exit_code=2,
        )
    imported = import_file(args.file, f"{output.stem}-images")
    written = write(imported, output, args.force)
    for note in imported.notes:
        print(note.format(output), file=sys.stderr)
    for path in written:
        print(path)
    return 0


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM (kill) unwinds like Ctrl-C, so temporary files are removed and outputs stay intact."""
    raise KeyboardInterrupt


def _stdout_closed() -> int:
    """The reader of stdout went away (``zhengji-publish … | head -1``): end quietly, status 1.

    As the Python documentation advises (library/signal, "Note on SIGPIPE"): stdout is pointed at
    the null device so that the interpreter's final flush cannot fail again, and no message is
    printed. The outputs of a build are already in place when its file names are printed.
    """
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout replaced by an object without a file descriptor
        pass
    return 1


def main(argv: list[str] | None = None) -> int:
    import gc
    import signal

    # A build makes hundreds of thousands of small objects (a box per character, a position per
    # glyph) that hold no reference cycles; at the default threshold the collector would walk them
    # again every 700 allocations. Collect rarely instead (a process, not a library caller's choice).
    gc.set_threshold(100_000, 50, 100)
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        code = {"build": _build, "check": _check, "import": _import, "styles": _styles}[args.command](args)
        sys.stdout.flush()  # a closed stdout is found here, not when the interpreter exits
        return code
    except BrokenPipeError:
        return _stdout_closed()
    except UserError as exc:
        if sys.stderr.isatty():
            sys.stderr.write("\r\033[K")
        for diag in exc.diagnostics:
            print(diag.format(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("\nzhengji-publish: interrupted — no output was changed", file=sys.stderr)
        return 130
    except OSError as exc:  # an OS error no reader or writer turned into a message of its own
        if getattr(args, "debug", False):
            raise
        from zhengji_publish.paths import os_error

        if sys.stderr.isatty():
            sys.stderr.write("\r\033[K")
        for diag in os_error(exc, "read or write a file").diagnostics:
            print(diag.format(), file=sys.stderr)
        return 1
    except Exception as exc:  # an internal error: say so plainly, traceback only with --debug
        if getattr(args, "debug", False):
            raise
        diag = Diagnostic(
            f"internal error: {type(exc).__name__}: {exc}", "run again with --debug and report the traceback"
        )
        print(diag.format(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
