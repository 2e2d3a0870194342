"""The files a build touches: where referenced files may come from, and OS errors as located messages.

A source names other files: images, its phrase overrides, a style given by path, a cover; a book
manifest names its chapters and cover (:mod:`zhengji_publish.manifest`). :func:`confine` is the
one rule all of them pass through: the name is taken relative to the folder of the file that
names it, symbolic links are resolved, and the real file must lie inside that folder or inside a
folder the user allowed with ``--allow-outside DIR``. A source handed to the tool can therefore never make it read
``/etc/passwd`` or ``~/.ssh`` and report their lines in its messages.

:func:`os_error` turns an :class:`OSError` met while reading or writing into a :class:`UserError`
that names the path and says the cause in words (permission, no space left, not a folder …).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from pathlib import Path

from zhengji_publish.diagnostics import UserError, error

__all__ = ["Confinement", "confine", "describe", "os_error"]


class Confinement:
    """The folders referenced files may come from: the naming file's own folder, plus ``allowed``.

    ``allowed`` are the ``--allow-outside`` folders, taken relative to the current folder and
    resolved (symbolic links followed) once, when the confinement is made.
    """

    def __init__(self, allowed: Sequence[Path] | Path | None = None) -> None:
        if allowed is None:
            extra: list[Path] = []
        elif isinstance(allowed, Path | str):
            extra = [Path(allowed)]
        else:
            extra = [Path(p) for p in allowed]
        self.allowed: tuple[Path, ...] = tuple(p.expanduser().resolve() for p in extra)

    def check(self, name: str | Path, base: Path, what: str, where: Path, line: int | None, col: int = 1) -> Path:
        """See :func:`confine`; the allowed folders are this confinement's."""
        return confine(name, base, what, where, line, col, self.allowed)


def confine(
    name: str | Path,
    base: Path,
    what: str,
    where: Path,
    line: int | None,
    col: int = 1,
    allowed: Sequence[Path] = (),
) -> Path:
    """The real path of the file ``name`` names from inside folder ``base``, checked to stay inside.

    ``name`` may be relative (to ``base``) or absolute; ``~`` is not expanded. Symbolic links are
    resolved *before* the check (a link beside the source pointing elsewhere is outside), and the
    result must lie inside ``base`` or one of ``allowed`` (resolved folders). The file need not exist:
    whether it does is for the reader of that file to say, with its own message.

    ``what`` names the kind of file for the message (``image 'a.png'``, ``overrides file 'x.txt'``);
    ``where``/``line``/``col`` locate the reference. Raises :class:`UserError` (exit status 1) for a
    file outside, saying which folders are allowed and that ``--allow-outside DIR`` widens them.
    """
    base = Path(base).resolve()
    try:
        target = (base / name).resolve()  # follows every symbolic link on the way
    except (OSError, RuntimeError, ValueError):  # a symbolic-link loop, a NUL byte in the name
        raise error(f"{what} cannot be resolved to a file", "correct the path", where, line, col) from None
    roots = tuple(dict.fromkeys((base, *allowed)))
    if any(target.is_relative_to(root) for root in roots):
        return target
    shown = " or ".join(str(r) for r in roots)
    raise error(
        f"{what} lies outside {shown} (it is {target})",
        "move it next to the source, or pass --allow-outside DIR to allow a wider folder",
        where,
        line,
        col,
    )


# errno → what the user reads: the cause in words and what to do about it.
_CAUSES: dict[int, tuple[str, str]] = {
    errno.EACCES: ("permission denied", "check the permissions of the file and its folders"),
    errno.EPERM: ("operation not permitted", "check the permissions of the file and its folders"),
    errno.ENOSPC: ("no space left on the device", "free some space, or write to another disk with -o DIR"),
    errno.EDQUOT: ("disk quota exceeded", "free some space, or write to another disk with -o DIR"),
    errno.EROFS: ("read-only file system", "write to a writable folder with -o DIR"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "correct the path"),
    errno.EISDIR: ("is a folder, not a file", "name a file, or move the folder away"),
    errno.EEXIST: ("exists and is not a folder", "name a folder, or move the file away"),
    errno.ENOENT: ("no such file or folder", "correct the path"),
    errno.ENAMETOOLONG: ("the name is too long", "use a shorter path"),
    errno.ELOOP: ("too many symbolic links", "correct the symbolic links on the path"),
    errno.EMFILE: ("too many open files", "raise the limit of open files (ulimit -n)"),
    errno.EIO: ("input/output error", "check the disk"),
}


def describe(exc: OSError) -> tuple[str, str]:
    """(cause, hint) in words for an OS error, from its errno; its own text when the errno is not known."""
    if exc.errno in _CAUSES:
        return _CAUSES[exc.errno]
    return (exc.strerror or str(exc) or type(exc).__name__, "check the path and the disk")


def os_error(exc: OSError, doing: str, path: Path | str | None = None) -> UserError:
    """A located :class:`UserError` (exit status 1) for ``exc``, met while ``doing`` something.

    The path is ``path`` when given (the output a writer was making, rather than its temporary
    file), else the error's own file name. ``doing`` reads as ``cannot {doing}``, e.g. "write the
    output" or "read the image". An error whose file name differs from ``path`` names it too.
    """
    cause, hint = describe(exc)
    own = Path(exc.filename) if isinstance(exc.filename, str | Path) else None
    where = Path(path) if path is not None else own
    if own is not None and where is not None and own != where and not _temporary_of(own, where):
        cause += f" ({own})"
    return error(f"cannot {doing}: {cause}", hint, where)


def _temporary_of(file: Path, output: Path) -> bool:
    """Whether ``file`` is a temporary file of ``output`` (``.NAME.….part`` or ``.tmp`` beside it)."""
    same_folder = os.path.abspath(file.parent) == os.path.abspath(output.parent)
    return same_folder and file.name.startswith(f".{output.name}.") and file.name.endswith((".part", ".tmp"))
