"""CFF outlines read by glyph id: the INDEX and DICT structures, FDSelect, and a Type 2 charstring
interpreter that returns a glyph's contours (hints and widths skipped).

fontTools parses a CID-keyed CFF table of 65,000 glyphs before it can draw one, and draws through a
general interpreter; a build needs a few hundred glyphs. What this reader does not handle (seac,
charstring arithmetic, other FDSelect formats) raises :class:`~zhengji_publish.fontbinary.Unsupported`
and fontTools draws that glyph instead.
"""

from __future__ import annotations

import struct
from bisect import bisect_right

from zhengji_publish.fontbinary import Contour, Unsupported, _u16


class _Index:
    """A CFF INDEX read on demand: item ``i`` is sliced from the mapped file when asked for."""

    __slots__ = ("_mm", "count", "_off_size", "_offsets", "_data", "end", "_cache")

    def __init__(self, mm, pos: int) -> None:
        self._mm = mm
        self.count = _u16(mm, pos)
        self._cache: dict[int, bytes] = {}
        if self.count == 0:
            self.end = pos + 2
            self._off_size = self._offsets = self._data = 0
            return
        self._off_size = mm[pos + 2]
        self._offsets = pos + 3
        self._data = pos + 3 + (self.count + 1) * self._off_size - 1
        self.end = self._data + self._offset(self.count)

    def _offset(self, i: int) -> int:
        p = self._offsets + i * self._off_size
        return int.from_bytes(self._mm[p : p + self._off_size], "big")

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, i: int) -> bytes:
        item = self._cache.get(i)
        if item is None:
            if not 0 <= i < self.count:
                raise Unsupported("index out of range")
            item = self._mm[self._data + self._offset(i) : self._data + self._offset(i + 1)]
            self._cache[i] = item
        return item


def _bias(subrs: _Index | None) -> int:
    n = len(subrs) if subrs is not None else 0
    return 107 if n < 1240 else 1131 if n < 33900 else 32768


def _dict(data: bytes) -> dict[int, list]:
    """A CFF DICT: operator (12 x as 1200 + x) → operands."""
    out: dict[int, list] = {}
    ops: list = []
    pos, n = 0, len(data)
    while pos < n:
        b = data[pos]
        pos += 1
        if b <= 21:
            if b == 12:
                b = 1200 + data[pos]
                pos += 1
            out[b] = ops
            ops = []
        elif 32 <= b <= 246:
            ops.append(b - 139)
        elif 247 <= b <= 250:
            ops.append((b - 247) * 256 + data[pos] + 108)
            pos += 1
        elif 251 <= b <= 254:
            ops.append(-(b - 251) * 256 - data[pos] - 108)
            pos += 1
        elif b == 28:
            ops.append(struct.unpack_from(">h", data, pos)[0])
            pos += 2
        elif b == 29:
            ops.append(struct.unpack_from(">l", data, pos)[0])
            pos += 4
        elif b == 30:  # a real number: skip its nibbles, keep a placeholder
            while pos < n:
                c = data[pos]
                pos += 1
                if (c & 0x0F) == 0x0F or (c >> 4) == 0x0F:
                    break
            ops.append(0.0)
        else:
            raise Unsupported(f"DICT byte {b}")
    return out


class Cff:
    """The charstrings of a CFF table and the subroutines each glyph calls, by glyph id."""

    def __init__(self, mm, offset: int, length: int) -> None:
        self._mm = mm
        hdr_size = mm[offset + 2]
        names = _Index(mm, offset + hdr_size)
        tops = _Index(mm, names.end)
        strings = _Index(mm, tops.end)
        self.gsubrs = _Index(mm, strings.end)
        self.gbias = _bias(self.gsubrs)
        top = _dict(tops[0])
        if 17 not in top:
            raise Unsupported("no CharStrings")
        self.charstrings = _Index(mm, offset + top[17][0])
        self.fd_ranges: list[int] | None = None
        self._fd_of: list[int] = []
        self._fd0: bytes | None = None
        if 1237 in top:  # FDArray: a CID-keyed font, local subroutines per font dict
            fonts = _Index(mm, offset + top[1236][0])
            self.lsubrs = [self._private(offset, _dict(fonts[i])) for i in range(len(fonts))]
            self._fd_select(offset + top[1237][0])
        else:
            self.lsubrs = [self._private(offset, top)]

    def _private(self, offset: int, fdict: dict[int, list]) -> _Index | None:
        if 18 not in fdict:
            return None
        size, where = fdict[18][:2]
        private = _dict(self._mm[offset + where : offset + where + size])
        if 19 not in private:
            return None
        return _Index(self._mm, offset + where + private[19][0])

    def _fd_select(self, pos: int) -> None:
        mm = self._mm
        fmt = mm[pos]
        if fmt == 0:
            self._fd0 = mm[pos + 1 : pos + 1 + len(self.charstrings)]
        elif fmt == 3:
            n = _u16(mm, pos + 1)
            self.fd_ranges = [_u16(mm, pos + 3 + 3 * i) for i in range(n)]
            self._fd_of = [mm[pos + 5 + 3 * i] for i in range(n)]
        else:
            raise Unsupported(f"FDSelect format {fmt}")

    def _fd(self, gid: int) -> int:
        if self._fd0 is not None:
            return self._fd0[gid]
        if self.fd_ranges is None:
            return 0
        return self._fd_of[bisect_right(self.fd_ranges, gid) - 1]

    def contours(self, gid: int) -> list[Contour]:
        if gid >= len(self.charstrings):
            raise Unsupported("glyph id")
        lsubrs = self.lsubrs[self._fd(gid)] if len(self.lsubrs) > 1 else self.lsubrs[0]
        return _t2(self.charstrings[gid], self.gsubrs, self.gbias, lsubrs, _bias(lsubrs))


# Operators that draw: rlineto, hlineto, vlineto, rrcurveto, the escape (its drawing operators are the
# flexes; the others are refused), rcurveline, rlinecurve, vvcurveto, hhcurveto, vhcurveto, hvcurveto.
_DRAWS = frozenset((5, 6, 7, 8, 12, 24, 25, 26, 27, 30, 31))


def _t2(code: bytes, gsubrs: _Index, gbias: int, lsubrs: _Index | None, lbias: int) -> list[Contour]:
    """Run a Type 2 charstring: its contours in absolute coordinates (hints and width skipped).

    Follows fontTools' T2OutlineExtractor operator by operator, so the points are the same numbers.
    """
    stack: list = []
    contours: list[Contour] = []
    cur: Contour | None = None
    x = y = 0
    stems = 0
    mask = 0
    frames: list[tuple[bytes, int]] = []
    pos = 0
    end = len(code)
    while True:
        if pos >= end:
            if not frames:
                break
            code, pos = frames.pop()
            end = len(code)
            continue
        b = code[pos]
        pos += 1
        if b >= 32:
            if b <= 246:
                stack.append(b - 139)
            elif b <= 250:
                stack.append((b - 247) * 256 + code[pos] + 108)
                pos += 1
            elif b <= 254:
                stack.append(-(b - 251) * 256 - code[pos] - 108)
                pos += 1
            else:
                stack.append(int.from_bytes(code[pos : pos + 4], "big", signed=True) / 65536)
                pos += 4
            continue
        if cur is None and b in _DRAWS:  # a line or curve with no moveto before it starts a contour
            cur = [(x, y)]
            contours.append(cur)
        if b == 28:
            stack.append(int.from_bytes(code[pos : pos + 2], "big", signed=True))
            pos += 2
        elif b == 8:  # rrcurveto
            for i in range(0, len(stack) - 5, 6):
                x1 = x + stack[i]
                y1 = y + stack[i + 1]
                x2 = x1 + stack[i + 2]
                y2 = y1 + stack[i + 3]
                x = x2 + stack[i + 4]
                y = y2 + stack[i + 5]
                cur.append((x1, y1, x2, y2, x, y))
            stack.clear()
        elif b == 5:  # rlineto
            for i in range(0, len(stack) - 1, 2):
                x += stack[i]
                y += stack[i + 1]
                cur.append((x, y))
            stack.clear()
        elif b == 6 or b == 7:  # hlineto, vlineto
            horizontal = b == 6
            for v in stack:
                if horizontal:
                    x += v
                else:
                    y += v
                cur.append((x, y))
                horizontal = not horizontal
            stack.clear()
        elif b == 10 or b == 29:  # callsubr, callgsubr
            if b == 10:
                if lsubrs is None:
                    raise Unsupported("no local subroutines")
                sub = lsubrs[stack.pop() + lbias]
            else:
                sub = gsubrs[stack.pop() + gbias]
            if len(frames) > 10:
                raise Unsupported("subroutine nesting")
            frames.append((code, pos))
            code, pos, end = sub, 0, len(sub)
        elif b == 11:  # return
            if not frames:
                break
            code, pos = frames.pop()
            end = len(code)
        elif b == 30 or b == 31:  # vhcurveto, hvcurveto
            args = stack
            vertical = b == 30
            i, n = 0, len(args)
            while n - i >= 4:
                last = args[i + 4] if n - i == 5 else 0
                if vertical:
                    x1, y1 = x, y + args[i]
                    x2, y2 = x1 + args[i + 1], y1 + args[i + 2]
                    x, y = x2 + args[i + 3], y2 + last
                else:
                    x1, y1 = x + args[i], y
                    x2, y2 = x1 + args[i + 1], y1 + args[i + 2]
                    x, y = x2 + last, y2 + args[i + 3]
                cur.append((x1, y1, x2, y2, x, y))
                i += 5 if n - i == 5 else 4
                vertical = not vertical
            stack.clear()
        elif b == 26 or b == 27:  # vvcurveto, hhcurveto
            args = stack
            i = len(args) % 2
            d1 = args[0] if i else 0
            while i + 3 < len(args):
                if b == 26:
                    x1, y1 = x + d1, y + args[i]
                    x2, y2 = x1 + args[i + 1], y1 + args[i + 2]
                    x, y = x2, y2 + args[i + 3]
                else:
                    x1, y1 = x + args[i], y + d1
                    x2, y2 = x1 + args[i + 1], y1 + args[i + 2]
                    x, y = x2 + args[i + 3], y2
                cur.append((x1, y1, x2, y2, x, y))
                d1 = 0
                i += 4
            stack.clear()
        elif b == 24:  # rcurveline
            n = len(stack)
            for i in range(0, n - 2 - 5, 6):
                x1, y1 = x + stack[i], y + stack[i + 1]
                x2, y2 = x1 + stack[i + 2], y1 + stack[i + 3]
                x, y = x2 + stack[i + 4], y2 + stack[i + 5]
                cur.append((x1, y1, x2, y2, x, y))
            x += stack[-2]
            y += stack[-1]
            cur.append((x, y))
            stack.clear()
        elif b == 25:  # rlinecurve
            n = len(stack)
            for i in range(0, n - 6, 2):
                x += stack[i]
                y += stack[i + 1]
                cur.append((x, y))
            x1, y1 = x + stack[-6], y + stack[-5]
            x2, y2 = x1 + stack[-4], y1 + stack[-3]
            x, y = x2 + stack[-2], y2 + stack[-1]
            cur.append((x1, y1, x2, y2, x, y))
            stack.clear()
        elif b == 21 or b == 22 or b == 4:  # rmoveto, hmoveto, vmoveto (a leading width is dropped)
            if b == 21:
                x += stack[-2]
                y += stack[-1]
            elif b == 22:
                x += stack[-1]
            else:
                y += stack[-1]
            cur = [(x, y)]
            contours.append(cur)
            stack.clear()
        elif b == 1 or b == 3 or b == 18 or b == 23:  # hstem, vstem, hstemhm, vstemhm
            stems += len(stack) // 2
            stack.clear()
        elif b == 19 or b == 20:  # hintmask, cntrmask: implicit vstems first, then the mask bytes
            if not mask:
                stems += len(stack) // 2
                mask = (stems + 7) // 8
                stack.clear()
            pos += mask
        elif b == 14:  # endchar
            if len(stack) >= 4:
                raise Unsupported("seac")
            break
        elif b == 12:
            op = code[pos]
            pos += 1
            s = stack
            if op == 35:  # flex
                if len(s) < 13:
                    raise Unsupported("flex")
                d = s[-13:-1]
            elif op == 34:  # hflex
                if len(s) < 7:
                    raise Unsupported("hflex")
                dx1, dx2, dy2, dx3, dx4, dx5, dx6 = s[-7:]
                d = [dx1, 0, dx2, dy2, dx3, 0, dx4, 0, dx5, -dy2, dx6, 0]
            elif op == 36:  # hflex1
                if len(s) < 9:
                    raise Unsupported("hflex1")
                dx1, dy1, dx2, dy2, dx3, dx4, dx5, dy5, dx6 = s[-9:]
                d = [dx1, dy1, dx2, dy2, dx3, 0, dx4, 0, dx5, dy5, dx6, -(dy1 + dy2 + 0 + 0 + dy5)]
            elif op == 37:  # flex1
                if len(s) < 11:
                    raise Unsupported("flex1")
                dx1, dy1, dx2, dy2, dx3, dy3, dx4, dy4, dx5, dy5, d6 = s[-11:]
                dx = dx1 + dx2 + dx3 + dx4 + dx5
                dy = dy1 + dy2 + dy3 + dy4 + dy5
                dx6, dy6 = (d6, -dy) if abs(dx) > abs(dy) else (-dx, d6)
                d = [dx1, dy1, dx2, dy2, dx3, dy3, dx4, dy4, dx5, dy5, dx6, dy6]
            else:
                raise Unsupported(f"charstring operator 12 {op}")
            for i in (0, 6):
                x1, y1 = x + d[i], y + d[i + 1]
                x2, y2 = x1 + d[i + 2], y1 + d[i + 3]
                x, y = x2 + d[i + 4], y2 + d[i + 5]
                cur.append((x1, y1, x2, y2, x, y))
            stack.clear()
        else:
            raise Unsupported(f"charstring operator {b}")
    return contours
