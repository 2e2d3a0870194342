"""The on-disk cache (font index, converted font subsets), shared across builds.

``ZHENGJI_CACHE_DIR`` overrides the location; the default follows XDG. Cache writes are atomic so
two builds running at once never read a half-written entry.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def cache_dir() -> Path:
    root = os.environ.get("ZHENGJI_CACHE_DIR")
    if root:
        path = Path(root)
    else:
        path = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "zhengji-publish"
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_atomic(path: Path, data: bytes, readable: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.
    ``readable``: a file for the user (rw-r--r--, as the build's outputs), not the temporary
    file's private mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if readable:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def file_stamp(path: str | Path, st: os.stat_result | None = None) -> str:
    """What identifies a file's version in a cache key: its path, size and modification time
    (``st``: the file's ``os.stat`` result when the caller has it already). Raises ``OSError``."""
    if st is None:
        st = os.stat(path)
    return f"{path}|{st.st_size}|{int(st.st_mtime)}"


def cached_bytes(kind: str, key: str, produce: Callable[[], bytes]) -> bytes:
    """``produce()``'s result, kept in the folder ``kind`` under a hash of ``key``.

    ``key`` must name everything the result depends on (inputs, file stamps, a format version).
    """
    path = cache_dir() / kind / hashlib.sha1(key.encode("utf-8")).hexdigest()
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = produce()
    write_atomic(path, data)
    return data
