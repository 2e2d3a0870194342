"""What the font-table readers share: the big-endian number they read most, the contour shape a CFF
outline is drawn as, and the exception that hands a case to fontTools.

It sits below ``fontfile`` (the sfnt tables) and ``fontlayout`` (the layout tables), so neither
imports the other to get these.
"""

from __future__ import annotations

from typing import Protocol

Contour = list  # [(x, y) start, then (x, y) lines and (x1, y1, x2, y2, x3, y3) cubic curves]


class Unsupported(Exception):
    """Something this reader does not handle; fontTools does it instead."""


class ByteBuffer(Protocol):
    """Anything indexed by byte position that gives the byte's value: bytes, memoryview, mmap."""

    def __getitem__(self, index: int, /) -> int: ...


def _u16(buf: ByteBuffer, pos: int) -> int:
    """The unsigned 16-bit big-endian number (OpenType ``uint16``/``Offset16``) at byte ``pos`` of ``buf``."""
    return (buf[pos] << 8) | buf[pos + 1]
