"""Reading font files directly: what layout and the font subsets need, without a full parse.

fontTools reads a 65,000-glyph CJK face in tenths of a second before it can say anything about a
glyph (glyph names, the whole cmap and hmtx as Python objects, the CFF charset). A build needs the
advances of the code points and the outlines of a few hundred glyphs, so this module reads the
tables it needs from the memory-mapped file by glyph id: cmap (formats 4 and 12), hmtx/vmtx, VORG,
and outlines: CFF and CFF2 ones as HarfBuzz draws them (uharfbuzz), glyf ones from the table
(components decomposed). A face is opened once per process and keeps what was read from it;
outlines are converted to TrueType quadratics once, for both the PDF and the EPUB subset.

Anything unusual (other cmap formats, deep component nesting) goes through fontTools instead, glyph
by glyph, with the same results.
"""

from __future__ import annotations

import mmap
import os
import struct
import sys
from array import array
from functools import lru_cache
from itertools import chain
from math import floor
from operator import add, le, lt, sub
from typing import Any

from zhengji_publish.fontbinary import Contour, _u16
from zhengji_publish.fontbinary import Unsupported as Unsupported
from zhengji_publish.fonts.faces import Face

CMAP_PREFERENCES = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))  # as fontTools
MAX_ERR = 1.0  # cubic → quadratic tolerance, in font units

# What is derived from an outline table, shared by the faces of a collection that use the same one
# (the SC and TC faces of a Noto CJK collection share their CFF table): converted glyphs, encoded
# glyf records, the parsed CFF index.
_SHARED: dict[tuple, dict] = {}


class QuadGlyph:
    """A TrueType outline: rounded points, on-curve flags and contour ends (no hinting)."""

    __slots__ = ("points", "flags", "ends", "bounds")

    def __init__(self, points: list[tuple[int, int]], flags: bytes, ends: list[int]) -> None:
        self.points = points
        self.flags = flags
        self.ends = ends
        if points:
            xs = [p[0] for p in points]
            ys = [p[1] for p in points]
            self.bounds = (min(xs), min(ys), max(xs), max(ys))
        else:
            self.bounds = (0, 0, 0, 0)


def _u32(buf, pos: int) -> int:
    return (buf[pos] << 24) | (buf[pos + 1] << 16) | (buf[pos + 2] << 8) | buf[pos + 3]


_OFF = [[0] * n + [1] for n in range(128)]  # flags of n off-curve points and the on-curve end


def _metrics(data: bytes, count: int, num_glyphs: int) -> tuple[array, array]:
    """Advances and side bearings by glyph id from an hmtx/vmtx table."""
    longs = array("H", data[: 4 * count])
    bearings = array("h", data[: 4 * count])
    if sys.byteorder == "little":
        longs.byteswap()
        bearings.byteswap()
    advances = longs[0::2]
    side = bearings[1::2]
    rest = num_glyphs - count
    if rest > 0:
        advances.extend([advances[-1] if advances else 0] * rest)
        extra = array("h", data[4 * count : 4 * count + 2 * rest])
        if sys.byteorder == "little":
            extra.byteswap()
        side.extend(extra)
        side.extend([0] * (num_glyphs - len(side)))
    return advances, side


class FontFile:
    """One face of a font file, memory-mapped; tables are read as they are asked for."""

    def __init__(self, path: str, index: int = 0) -> None:
        self.path, self.index = path, index
        with open(path, "rb") as fh:
            self._mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            st = os.fstat(fh.fileno())
        mm = self._mm
        base = _u32(mm, 12 + 4 * index) if mm[:4] == b"ttcf" else 0
        self.tables: dict[str, tuple[int, int]] = {}
        for i in range(_u16(mm, base + 4)):
            rec = base + 12 + 16 * i
            self.tables[mm[rec : rec + 4].decode("latin-1")] = (_u32(mm, rec + 8), _u32(mm, rec + 12))
        head = self.table("head")
        self.upem = _u16(head, 18)
        self.long_loca = _u16(head, 50) == 1
        self.num_glyphs = _u16(self.table("maxp"), 4)
        self.cff = "CFF " in self.tables or "CFF2" in self.tables
        self._cmap: dict[int, int] | None = None
        self._hmtx: tuple[array, array] | None = None
        self._vmtx: tuple[array, array] | None = None
        self._vorg: tuple[int, dict[int, int]] | None = None
        self._ttfont = None
        self._hb: Any = None
        self.cache: dict[str, dict] = {}  # what the subsetters derive from this face (layout tables)
        outlines = next((t for t in ("CFF ", "CFF2", "glyf") if t in self.tables), "")
        key = (
            path,
            st.st_size,
            st.st_mtime_ns,
            outlines,
            self.tables.get(outlines, (0, 0))[0],
            self.tables.get("loca", (0, 0))[0],
            self.long_loca,
            self.num_glyphs,
        )
        self.shared: dict = _SHARED.setdefault(key, {})  # what faces with these outlines share
        self._quads: dict[int, QuadGlyph] = self.shared.setdefault("quad", {})

    def __contains__(self, tag: str) -> bool:
        return tag in self.tables

    def table(self, tag: str) -> bytes:
        offset, length = self.tables[tag]
        return self._mm[offset : offset + length]

    def ttfont(self):
        """The face as a lazy fontTools TTFont, for what this reader leaves to fontTools."""
        if self._ttfont is None:
            from fontTools.ttLib import TTFont

            self._ttfont = TTFont(
                self.path, fontNumber=self.index, lazy=True, recalcBBoxes=False, recalcTimestamp=False
            )
        return self._ttfont

    # character map and metrics

    def nominal(self, text: str) -> dict[int, int]:
        """Code point → glyph id of the characters of ``text`` the face has, looked up by HarfBuzz in
        the cmap subtable it prefers (the one fontTools' getBestCmap chooses), without reading the
        whole cmap."""
        font = self._hb
        if font is None:
            import uharfbuzz as hb

            font = self._hb = hb.Font(hb.Face(hb.Blob.from_file_path(self.path), self.index))
        out: dict[int, int] = {}
        for ch in text:
            gid = font.get_nominal_glyph(ord(ch))
            if gid is not None:
                out[ord(ch)] = gid
        return out

    @property
    def cmap(self) -> dict[int, int]:
        """Code point → glyph id, from the subtable fontTools' getBestCmap would choose."""
        if self._cmap is None:
            try:
                self._cmap = self._read_cmap()
            except Unsupported:
                font = self.ttfont()
                best = font.getBestCmap() or {}
                self._cmap = {cp: font.getGlyphID(name) for cp, name in best.items()}
        return self._cmap

    def _read_cmap(self) -> dict[int, int]:
        if "cmap" not in self.tables:
            return {}
        data = self.table("cmap")
        subtables: dict[tuple[int, int], int] = {}
        for i in range(_u16(data, 2)):
            rec = 4 + 8 * i
            subtables.setdefault((_u16(data, rec), _u16(data, rec + 2)), _u32(data, rec + 4))
        for key in CMAP_PREFERENCES:
            if key in subtables:
                off = subtables[key]
                fmt = _u16(data, off)
                if fmt == 4:
                    return self._cmap4(data, off)
                if fmt == 12:
                    return self._cmap12(data, off)
                raise Unsupported(f"cmap format {fmt}")
        return {}

    def _cmap4(self, data: bytes, off: int) -> dict[int, int]:
        segs = _u16(data, off + 6) // 2
        ends = struct.unpack_from(f">{segs}H", data, off + 14)
        starts = struct.unpack_from(f">{segs}H", data, off + 16 + 2 * segs)
        deltas = struct.unpack_from(f">{segs}h", data, off + 16 + 4 * segs)
        ro_pos = off + 16 + 6 * segs
        range_offsets = struct.unpack_from(f">{segs}H", data, ro_pos)
        n = self.num_glyphs
        out: dict[int, int] = {}
        for i in range(segs):
            start, end, delta, ro = starts[i], ends[i], deltas[i], range_offsets[i]
            if start > end:
                continue
            if ro == 0:
                for cp in range(start, end + 1):
                    gid = (cp + delta) & 0xFFFF
                    if gid and gid < n:
                        out[cp] = gid
            else:
                addr = ro_pos + 2 * i + ro
                for cp in range(start, end + 1):
                    p = addr + 2 * (cp - start)
                    if p + 1 >= len(data):
                        break
                    gid = _u16(data, p)
                    if gid:
                        gid = (gid + delta) & 0xFFFF
                        if gid and gid < n:
                            out[cp] = gid
        return out

    def _cmap12(self, data: bytes, off: int) -> dict[int, int]:
        groups = _u32(data, off + 12)
        values = struct.unpack_from(f">{3 * groups}L", data, off + 16)
        starts, ends, gids = values[0::3], values[1::3], values[2::3]
        n = self.num_glyphs
        if (
            groups
            and all(map(le, starts, ends))
            and all(map(lt, ends[:-1], starts[1:]))
            and ends[-1] <= 0x10FFFF
            and min(gids) > 0
            and max(map(add, gids, map(sub, ends, starts))) < n
        ):
            # well-formed, as fonts are: every group expanded at once, in C
            stops = [e + 1 for e in ends]
            codes = chain.from_iterable(map(range, starts, stops))
            glyphs = chain.from_iterable(map(range, gids, map(add, gids, map(sub, stops, starts))))
            return dict(zip(codes, glyphs, strict=True))
        out: dict[int, int] = {}
        last_end = 0
        for start, end, gid in zip(starts, ends, gids, strict=True):  # as fontTools reads odd subtables
            end = min(end, 0x10FFFF)
            if start > end or start < last_end:
                continue
            last_end = end
            if gid + end - start >= n:
                end = start + n - 1 - gid
                if end < start:
                    continue
            if gid == 0:  # code points mapped to .notdef have no glyph
                start, gid = start + 1, 1
            out.update(zip(range(start, end + 1), range(gid, gid + end - start + 1), strict=True))
        return out

    @property
    def hmetrics(self) -> tuple[array, array]:
        """Advance widths and left side bearings by glyph id."""
        if self._hmtx is None:
            count = _u16(self.table("hhea"), 34)
            self._hmtx = _metrics(self.table("hmtx"), count, self.num_glyphs)
        return self._hmtx

    @property
    def vmetrics(self) -> tuple[array, array] | None:
        """Advance heights and top side bearings by glyph id (None without vhea/vmtx)."""
        if self._vmtx is None and "vhea" in self.tables and "vmtx" in self.tables:
            count = _u16(self.table("vhea"), 34)
            self._vmtx = _metrics(self.table("vmtx"), count, self.num_glyphs)
        return self._vmtx

    def vert_origin(self, gid: int) -> int | None:
        """The y of the glyph's vertical origin from VORG (None: the face has no VORG)."""
        if self._vorg is None:
            if "VORG" not in self.tables:
                return None
            data = self.table("VORG")
            count = _u16(data, 6)
            recs = struct.unpack_from(f">{2 * count}H", data, 8)
            self._vorg = (
                struct.unpack_from(">h", data, 4)[0],
                {
                    recs[i]: recs[i + 1] - 0x10000 if recs[i + 1] > 0x7FFF else recs[i + 1]
                    for i in range(0, 2 * count, 2)
                },
            )
        default, table = self._vorg
        return table.get(gid, default)

    # outlines

    def quad(self, gid: int) -> QuadGlyph:
        """The glyph as a TrueType outline (cubic curves converted within MAX_ERR), cached."""
        glyph = self._quads.get(gid)
        if glyph is None:
            try:
                glyph = self._quad_cff(gid) if self.cff else self._quad_glyf(gid)
            except Unsupported:
                glyph = self._quad_fonttools(gid)
            self._quads[gid] = glyph
        return glyph

    def ink(self, gid: int) -> tuple[float, float, float, float] | None:
        """Exact bounds of the glyph's outline (as fontTools' BoundsPen gives them); None when empty."""
        try:
            if self.cff:
                return _bounds(self._cubic(gid))
            bounds = _quad_bounds(self._glyf_contours(gid))
            data = self._glyf_data(gid)
            if bounds and data and struct.unpack_from(">h", data, 0)[0] >= 0:
                # fontTools draws a simple glyph moved so that its xMin is the hmtx left side bearing
                shift = self.hmetrics[1][gid] - struct.unpack_from(">h", data, 2)[0]
                bounds = (bounds[0] + shift, bounds[1], bounds[2] + shift, bounds[3])
            return bounds
        except Unsupported:
            from fontTools.pens.boundsPen import BoundsPen

            font = self.ttfont()
            glyphs = font.getGlyphSet()
            pen = BoundsPen(glyphs)
            glyphs[font.getGlyphName(gid)].draw(pen)
            return pen.bounds

    def _cubic(self, gid: int) -> list[Contour]:
        """The glyph's contours as HarfBuzz draws them from the CFF/CFF2 table, in font units."""
        if gid >= self.num_glyphs:
            raise Unsupported("glyph id")
        drawn = self.shared.get("hb")
        if drawn is None:
            import uharfbuzz as hb

            # One pen per font: uharfbuzz keeps drawing into the pen a font was first drawn with.
            font = hb.Font(hb.Face(hb.Blob.from_file_path(self.path), self.index))
            drawn = self.shared["hb"] = (font, _ContourPen())
        font, pen = drawn
        pen.contours = []
        font.draw_glyph_with_pen(gid, pen)
        return pen.contours

    def _quad_cff(self, gid: int) -> QuadGlyph:
        from fontTools.cu2qu import curve_to_quadratic

        points: list[tuple[int, int]] = []
        flags = bytearray()
        ends: list[int] = []
        for contour in self._cubic(gid):
            if len(contour) < 2:
                continue  # a lone moveto draws nothing
            pts = [contour[0]]
            on = [1]
            px, py = contour[0]
            for seg in contour[1:]:
                if len(seg) == 2:
                    pts.append(seg)
                    on.append(1)
                    px, py = seg
                else:
                    end = seg[4:]
                    spline = curve_to_quadratic(((px, py), seg[:2], seg[2:4], end), MAX_ERR)
                    spline[-1] = end  # the end point exactly as the charstring has it
                    pts += spline[1:]
                    on += _OFF[len(spline) - 2]
                    px, py = end
            if len(pts) > 1 and pts[-1] == pts[0]:
                pts.pop()
                on.pop()
            if len(pts) < 2:
                continue
            # PostScript contours run counter-clockwise, TrueType ones clockwise: reverse, same start.
            pts[1:] = pts[:0:-1]
            on[1:] = on[:0:-1]
            points += [(floor(x + 0.5), floor(y + 0.5)) for x, y in pts]  # halves up, as fontTools' otRound
            flags += bytes(on)
            ends.append(len(points) - 1)
        return QuadGlyph(points, bytes(flags), ends)

    def _glyf_contours(self, gid: int, depth: int = 0) -> list[list[tuple[float, float, int]]]:
        """Contours of a glyf glyph as (x, y, on-curve) points, components decomposed."""
        if depth > 16:
            raise Unsupported("component nesting")
        data = self._glyf_data(gid)
        if not data:
            return []
        ncont = struct.unpack_from(">h", data, 0)[0]
        if ncont >= 0:
            return _simple_glyph(data, ncont)
        return self._composite(data, depth)

    def _glyf_data(self, gid: int) -> bytes:
        """The glyf record of a glyph (empty for a blank glyph)."""
        if "glyf" not in self.tables or "loca" not in self.tables:
            raise Unsupported("no outlines")
        if gid >= self.num_glyphs:
            raise Unsupported("glyph id")
        loca_off, _ = self.tables["loca"]
        glyf_off, glyf_len = self.tables["glyf"]
        mm = self._mm
        if self.long_loca:
            start, end = _u32(mm, loca_off + 4 * gid), _u32(mm, loca_off + 4 * gid + 4)
        else:
            start, end = 2 * _u16(mm, loca_off + 2 * gid), 2 * _u16(mm, loca_off + 2 * gid + 2)
        if end <= start or end > glyf_len:
            return b""
        return mm[glyf_off + start : glyf_off + end]

    def _composite(self, data: bytes, depth: int) -> list[list[tuple[float, float, int]]]:
        out: list[list[tuple[float, float, int]]] = []
        pos = 10
        while True:
            flags, gid = struct.unpack_from(">HH", data, pos)
            pos += 4
            if flags & 0x0001:  # ARG_1_AND_2_ARE_WORDS
                a1, a2 = struct.unpack_from(">hh" if flags & 0x0002 else ">HH", data, pos)
                pos += 4
            else:
                a1, a2 = struct.unpack_from(">bb" if flags & 0x0002 else ">BB", data, pos)
                pos += 2
            xx, xy, yx, yy = 1.0, 0.0, 0.0, 1.0
            if flags & 0x0008:  # WE_HAVE_A_SCALE
                xx = yy = struct.unpack_from(">h", data, pos)[0] / 16384
                pos += 2
            elif flags & 0x0040:  # WE_HAVE_AN_X_AND_Y_SCALE
                xx, yy = (v / 16384 for v in struct.unpack_from(">hh", data, pos))
                pos += 4
            elif flags & 0x0080:  # WE_HAVE_A_TWO_BY_TWO
                xx, xy, yx, yy = (v / 16384 for v in struct.unpack_from(">hhhh", data, pos))
                pos += 8
            child = self._glyf_contours(gid, depth + 1)
            moved = [[(x * xx + y * yx, x * xy + y * yy, on) for x, y, on in c] for c in child]
            if flags & 0x0002:  # ARGS_ARE_XY_VALUES
                dx, dy = a1, a2
                if flags & 0x0800 and not flags & 0x1000:  # SCALED_COMPONENT_OFFSET
                    dx, dy = dx * xx + dy * yx, dx * xy + dy * yy
            else:  # the component's point a2 lands on the glyph's point a1 so far
                parent = [p for c in out for p in c]
                mine = [p for c in moved for p in c]
                if a1 >= len(parent) or a2 >= len(mine):
                    raise Unsupported("component anchor")
                dx, dy = parent[a1][0] - mine[a2][0], parent[a1][1] - mine[a2][1]
            if dx or dy:
                moved = [[(x + dx, y + dy, on) for x, y, on in c] for c in moved]
            out.extend(moved)
            if not flags & 0x0020:  # MORE_COMPONENTS
                return out

    def _quad_glyf(self, gid: int) -> QuadGlyph:
        points: list[tuple[int, int]] = []
        flags = bytearray()
        ends: list[int] = []
        for contour in self._glyf_contours(gid):
            pts = [(floor(x + 0.5), floor(y + 0.5)) for x, y, _on in contour]
            on = [p[2] for p in contour]
            if len(pts) > 1 and pts[-1] == pts[0] and on[-1] and on[0]:
                pts.pop()  # a closing point on the start point is implied
                on.pop()
            if len(pts) < 2:
                continue
            points.extend(pts)
            flags.extend(on)
            ends.append(len(points) - 1)
        return QuadGlyph(points, bytes(flags), ends)

    def _quad_fonttools(self, gid: int) -> QuadGlyph:
        """fontTools draws the glyph (CFF2, seac, charstring arithmetic, glyf anchors…)."""
        from fontTools.pens.cu2quPen import Cu2QuPen
        from fontTools.pens.recordingPen import DecomposingRecordingPen
        from fontTools.pens.ttGlyphPen import TTGlyphPen

        font = self.ttfont()
        glyphs = font.getGlyphSet()
        pen = TTGlyphPen(None)
        recording = DecomposingRecordingPen(glyphs)
        glyphs[font.getGlyphName(gid)].draw(recording)
        recording.replay(Cu2QuPen(pen, max_err=MAX_ERR, reverse_direction=True) if self.cff else pen)
        glyph = pen.glyph()
        if glyph.numberOfContours <= 0:
            return QuadGlyph([], b"", [])
        return QuadGlyph(
            [(int(x), int(y)) for x, y in glyph.coordinates],
            bytes(f & 1 for f in glyph.flags),
            list(glyph.endPtsOfContours),
        )


def _coordinates(data: bytes, pos: int, flags: bytearray, short: int, same: int) -> tuple[list[int], int]:
    """One axis of a simple glyph's points, and the position after them. Per point, flag ``short``
    means a one-byte delta whose sign is flag ``same``; without it, ``same`` means no change, else a
    two-byte delta follows (x uses bits 0x02/0x10, y 0x04/0x20)."""
    out = []
    v = 0
    for f in flags:
        if f & short:
            d = data[pos]
            pos += 1
            v += d if f & same else -d
        elif not f & same:
            v += struct.unpack_from(">h", data, pos)[0]
            pos += 2
        out.append(v)
    return out, pos


def _simple_glyph(data: bytes, ncont: int) -> list[list[tuple[float, float, int]]]:
    """Decode a simple glyf glyph into contours of (x, y, on-curve)."""
    if ncont == 0:
        return []
    ends = struct.unpack_from(f">{ncont}H", data, 10)
    npts = ends[-1] + 1
    pos = 10 + 2 * ncont
    pos += 2 + _u16(data, pos)  # skip the instructions
    flags = bytearray()
    while len(flags) < npts:
        f = data[pos]
        pos += 1
        if f & 0x08:
            flags.extend([f] * (data[pos] + 1))
            pos += 1
        else:
            flags.append(f)
    del flags[npts:]
    xs, pos = _coordinates(data, pos, flags, 0x02, 0x10)
    ys, pos = _coordinates(data, pos, flags, 0x04, 0x20)
    out: list[list[tuple[float, float, int]]] = []
    begin = 0
    for end in ends:
        out.append([(xs[i], ys[i], flags[i] & 1) for i in range(begin, end + 1)])
        begin = end + 1
    return out


def _bounds(contours: list[Contour]) -> tuple[float, float, float, float] | None:
    """Exact bounds of cubic contours (start points count, as in fontTools' BoundsPen)."""
    from fontTools.misc.bezierTools import calcCubicBounds

    xmin = ymin = float("inf")
    xmax = ymax = float("-inf")
    for contour in contours:
        px, py = contour[0]
        xmin, xmax, ymin, ymax = min(xmin, px), max(xmax, px), min(ymin, py), max(ymax, py)
        for seg in contour[1:]:
            if len(seg) == 2:
                px, py = seg
                xmin, xmax, ymin, ymax = min(xmin, px), max(xmax, px), min(ymin, py), max(ymax, py)
            else:
                x3, y3 = seg[4], seg[5]
                xmin, xmax, ymin, ymax = min(xmin, x3), max(xmax, x3), min(ymin, y3), max(ymax, y3)
                if not (
                    xmin <= seg[0] <= xmax
                    and xmin <= seg[2] <= xmax
                    and ymin <= seg[1] <= ymax
                    and ymin <= seg[3] <= ymax
                ):
                    b = calcCubicBounds((px, py), (seg[0], seg[1]), (seg[2], seg[3]), (x3, y3))
                    xmin, ymin, xmax, ymax = min(xmin, b[0]), min(ymin, b[1]), max(xmax, b[2]), max(ymax, b[3])
                px, py = x3, y3
    return None if xmin == float("inf") else (xmin, ymin, xmax, ymax)


def _quad_bounds(contours: list[list[tuple[float, float, int]]]) -> tuple[float, float, float, float] | None:
    """Exact bounds of TrueType contours (an on-curve point is implied between two off-curve ones)."""
    from fontTools.misc.bezierTools import calcQuadraticBounds

    box = [float("inf"), float("inf"), float("-inf"), float("-inf")]

    def add(x: float, y: float) -> None:
        box[:] = min(box[0], x), min(box[1], y), max(box[2], x), max(box[3], y)

    def curve(start: tuple, ctrl: tuple, end: tuple) -> None:  # as BoundsPen._qCurveToOne
        add(*end)
        if not (box[0] <= ctrl[0] <= box[2] and box[1] <= ctrl[1] <= box[3]):
            b = calcQuadraticBounds(start, ctrl, end)
            box[:] = min(box[0], b[0]), min(box[1], b[1]), max(box[2], b[2]), max(box[3], b[3])

    for contour in contours:
        if not contour:
            continue
        first_on = next((i for i, p in enumerate(contour) if p[2]), None)
        if first_on is None:  # all off-curve: it starts halfway between the last point and the first
            (ax, ay, _a), (bx, by, _b) = contour[-1], contour[0]
            start = (0.5 * (ax + bx), 0.5 * (ay + by))
            rest = [*contour, (*start, 1)]
        else:
            start = contour[first_on][:2]
            rest = contour[first_on + 1 :] + contour[: first_on + 1]
        add(*start)
        if len(contour) == 1:
            continue
        here, ctrl = start, None
        for x, y, on in rest:
            if on:
                if ctrl is None:
                    add(x, y)
                else:
                    curve(here, ctrl, (x, y))
                    ctrl = None
                here = (x, y)
            else:
                if ctrl is not None:  # two off-curve points: an on-curve one lies halfway
                    mid = (0.5 * (ctrl[0] + x), 0.5 * (ctrl[1] + y))
                    curve(here, ctrl, mid)
                    here = mid
                ctrl = (x, y)
    return None if box[0] == float("inf") else (box[0], box[1], box[2], box[3])


class _ContourPen:
    """Collects what HarfBuzz draws as :data:`Contour` lists (lines and cubic curves)."""

    def __init__(self) -> None:
        self.contours: list[Contour] = []

    def moveTo(self, p: tuple[float, float]) -> None:  # noqa: N802 (the pen protocol's names)
        self.contours.append([p])

    def lineTo(self, p: tuple[float, float]) -> None:  # noqa: N802
        self.contours[-1].append(p)

    def curveTo(self, c1: tuple[float, float], c2: tuple[float, float], p: tuple[float, float]) -> None:  # noqa: N802
        self.contours[-1].append((*c1, *c2, *p))

    def qCurveTo(self, c: tuple[float, float], p: tuple[float, float]) -> None:  # noqa: N802
        raise Unsupported("quadratic curves in a CFF face")

    def closePath(self) -> None:  # noqa: N802
        pass


@lru_cache(maxsize=32)
def opened(face: Face) -> FontFile:
    """The face's file, opened once per process (layout, the PDF and the EPUB subsets share it)."""
    return FontFile(face.path, face.index)
