"""The TrueType writer: a face cut down to a set of glyphs, as the small TrueType font reportlab embeds.

reportlab embeds only TrueType (``glyf``) outlines, but the CJK faces Debian ships (Noto CJK,
Source Han) have PostScript (CFF) outlines. The glyphs are drawn by HarfBuzz (``hb_font_draw_glyph``
through uharfbuzz, components decomposed, hints dropped); cubic curves become quadratics within
one font unit (fontTools' cu2qu), quadratic ones keep their points. Advances come from HarfBuzz,
names and OS/2 values from the face's own tables. Outlines are converted once per process and
shared by the faces of a collection that use one outline table (the SC and TC faces of a Noto CJK
collection share their CFF table).
"""

from __future__ import annotations

import re
import struct
import sys
import unicodedata
from array import array
from collections.abc import Iterable
from functools import lru_cache
from math import floor
from operator import or_

from zhengji_publish.cache import file_stamp
from zhengji_publish.fonts.faces import Face, hb_font

__all__ = ["Outlines", "QuadGlyph", "Subset", "outlines", "sfnt"]

NAME_IDS = frozenset({0, 1, 2, 3, 4, 5, 6, 13, 14})  # copyright, names, version, licence
MAX_ERR = 1.0  # cubic → quadratic tolerance, in font units

Contour = list  # [(x, y) start, then (x, y) lines, (cx, cy, x, y) quadratic and (x1, y1, x2, y2, x3, y3) cubic curves]


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


class _ContourPen:
    """Collects what HarfBuzz draws as :data:`Contour` lists."""

    def __init__(self) -> None:
        self.contours: list[Contour] = []

    def moveTo(self, p: tuple[float, float]) -> None:  # noqa: N802 (the pen protocol's names)
        self.contours.append([p])

    def lineTo(self, p: tuple[float, float]) -> None:  # noqa: N802
        self.contours[-1].append(p)

    def curveTo(self, c1: tuple[float, float], c2: tuple[float, float], p: tuple[float, float]) -> None:  # noqa: N802
        self.contours[-1].append((*c1, *c2, *p))

    def qCurveTo(self, c: tuple[float, float], p: tuple[float, float]) -> None:  # noqa: N802
        self.contours[-1].append((*c, *p))

    def closePath(self) -> None:  # noqa: N802
        pass


_OFF = [[0] * n + [1] for n in range(128)]  # flags of n off-curve points and the on-curve end


def _from_cubic(contours: list[Contour]) -> QuadGlyph:
    """A PostScript outline as TrueType: curves through cu2qu, contours turned clockwise."""
    from fontTools.cu2qu import curve_to_quadratic

    points: list[tuple[int, int]] = []
    flags = bytearray()
    ends: list[int] = []
    for contour in contours:
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
                end = seg[-2:]
                if len(seg) == 4:  # a quadratic curve in a CFF2 face
                    spline = [(px, py), seg[:2], end]
                else:
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


def _from_quadratic(contours: list[Contour]) -> QuadGlyph:
    """A TrueType outline as HarfBuzz drew it, with the on-curve points it made explicit between
    two off-curve ones implied again."""
    points: list[tuple[int, int]] = []
    flags = bytearray()
    ends: list[int] = []
    for contour in contours:
        pts = [contour[0]]
        on = [1]
        ctrl = None  # the previous segment's off-curve point, if it was a curve
        for seg in contour[1:]:
            if len(seg) == 4:
                cx, cy, x, y = seg
                if ctrl is not None and 2 * pts[-1][0] == ctrl[0] + cx and 2 * pts[-1][1] == ctrl[1] + cy:
                    pts.pop()  # the on-curve point halfway between two off-curve ones is implied
                    on.pop()
                pts.append((cx, cy))
                on.append(0)
                ctrl = (cx, cy)
                pts.append((x, y))
            else:
                ctrl = None
                pts.append(seg)
            on.append(1)
        if len(pts) > 1 and pts[-1] == pts[0]:
            pts.pop()  # a closing point on the start point is implied
            on.pop()
        n = len(pts)
        if n < 2:
            continue
        if n > 2 and not on[-1] and not on[1] and 2 * pts[0][0] == pts[-1][0] + pts[1][0]:
            if 2 * pts[0][1] == pts[-1][1] + pts[1][1]:  # the start point too
                del pts[0], on[0]
        points += [(floor(x + 0.5), floor(y + 0.5)) for x, y in pts]
        flags += bytes(on)
        ends.append(len(points) - 1)
    return QuadGlyph(points, bytes(flags), ends)


class Outlines:
    """The glyphs of a face as TrueType outlines, converted when first asked for and kept."""

    def __init__(self, face: Face) -> None:
        self.font, self.upem = hb_font(face)
        tags = set(self.font.face.table_tags)
        self.cubic = bool(tags & {"CFF ", "CFF2"})
        self._quads: dict[int, QuadGlyph] = {}
        self.records: dict[int, bytes] = {}  # encoded glyf records
        self._pen = _ContourPen()

    def contours(self, gid: int) -> list[Contour]:
        """The glyph's contours as HarfBuzz draws them, in font units."""
        pen = self._pen
        pen.contours = []
        self.font.draw_glyph_with_pen(gid, pen)
        return pen.contours

    def quad(self, gid: int) -> QuadGlyph:
        """The glyph as a TrueType outline (cubic curves converted within MAX_ERR), cached."""
        glyph = self._quads.get(gid)
        if glyph is None:
            contours = self.contours(gid)
            glyph = self._quads[gid] = _from_cubic(contours) if self.cubic else _from_quadratic(contours)
        return glyph

    def record(self, gid: int) -> bytes:
        """The glyph's glyf record, cached."""
        data = self.records.get(gid)
        if data is None:
            data = self.records[gid] = _encode_glyph(self.quad(gid))
        return data


def _outline_tables(face: Face) -> tuple[tuple[bytes, int, int], ...]:
    """Tag, offset and length in the file of the face's outline tables (CFF, CFF2, or glyf and its
    loca), from the sfnt table directory: faces of a collection that name the same ones draw the
    same glyphs."""
    with open(face.path, "rb") as fh:
        head = fh.read(12 + 4 * (face.index + 1))
        base = struct.unpack_from(">L", head, 12 + 4 * face.index)[0] if head[:4] == b"ttcf" else 0
        fh.seek(base)
        count = struct.unpack(">H", fh.read(12)[4:6])[0]
        directory = fh.read(16 * count)
    found = []
    for i in range(count):
        tag, _sum, offset, length = struct.unpack_from(">4sLLL", directory, 16 * i)
        if tag in (b"CFF ", b"CFF2", b"glyf", b"loca"):
            found.append((tag, offset, length))
    return tuple(found)


_SHARED: dict[tuple, Outlines] = {}


@lru_cache(maxsize=64)
def outlines(face: Face) -> Outlines:
    """The face's outlines, one object per outline table and process (the faces of a collection
    that share their CFF table share it)."""
    try:
        key: tuple = (face.path, file_stamp(face.path), _outline_tables(face) or face.index)
    except (OSError, struct.error):
        key = (face.path, face.index)
    found = _SHARED.get(key)
    if found is None:
        found = _SHARED[key] = Outlines(face)
    return found


def _checksum(data: bytes) -> int:
    if len(data) % 4:
        data += b"\0" * (4 - len(data) % 4)
    words = array("I", data)
    if sys.byteorder == "little":
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


def sfnt(tables: dict[str, bytes]) -> bytes:
    """A TrueType font file of ``tables`` (head's checkSumAdjustment filled in)."""
    tags = sorted(tables)
    n = len(tags)
    power = 1 << (n.bit_length() - 1)
    header = struct.pack(">LHHHH", 0x00010000, n, power * 16, power.bit_length() - 1, n * 16 - power * 16)
    offset = 12 + 16 * n
    records, body = [], []
    for tag in tags:
        data = tables[tag]
        records.append(struct.pack(">4sLLL", tag.encode("latin-1"), _checksum(data), offset, len(data)))
        padded = data + b"\0" * (-len(data) % 4)
        body.append(padded)
        offset += len(padded)
    font = bytearray(header + b"".join(records) + b"".join(body))
    if "head" in tables:
        at = 12 + 16 * n + sum(len(b) for b in body[: tags.index("head")])
        struct.pack_into(">L", font, at + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)


def _axis(values: list[int], short: int, same: int) -> tuple[list[int], bytearray]:
    """One axis of a simple glyph's points as glyf stores it: per point the flag bits that say how
    (``short``: a one-byte delta, ``same`` then its sign is +; ``same`` alone: no change; neither:
    a two-byte delta), and the deltas."""
    flags: list[int] = []
    out = bytearray()
    flag, put = flags.append, out.append
    both = short | same
    prev = 0
    for v in values:
        d = v - prev
        prev = v
        if d == 0:
            flag(same)
        elif 0 < d < 256:
            put(d)
            flag(both)
        elif -256 < d < 0:
            put(-d)
            flag(short)
        else:
            out += struct.pack(">h", d)
            flag(0)
    return flags, out


_REPEATS = re.compile(rb"(.)\1{2,255}", re.DOTALL)


def _encode_glyph(glyph: QuadGlyph) -> bytes:
    """A simple glyf record (no instructions), flags run-length coded, padded to 2 bytes."""
    if not glyph.ends:
        return b""
    fx, xs = _axis([p[0] for p in glyph.points], 0x02, 0x10)
    fy, ys = _axis([p[1] for p in glyph.points], 0x04, 0x20)
    flags = bytes(map(or_, map(or_, glyph.flags, fx), fy))
    packed = _REPEATS.sub(lambda m: bytes((m[0][0] | 0x08, len(m[0]) - 1)), flags)  # runs of 3 to 256
    ncont = len(glyph.ends)
    record = struct.pack(f">hhhhh{ncont}HH", ncont, *glyph.bounds, *glyph.ends, 0) + packed + xs + ys
    return record + b"\0" * (len(record) % 2)


def _runs(pairs: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(first code point, last code point, first glyph) for runs where both go up by one."""
    runs: list[list[int]] = []
    for cp, gid in pairs:
        if runs and runs[-1][1] == cp - 1 and runs[-1][2] + cp - runs[-1][0] == gid:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp, gid])
    return [(r[0], r[1], r[2]) for r in runs]


def _cmap(mapping: dict[int, int]) -> bytes:
    """cmap with a format 4 subtable for the BMP and, when needed, a format 12 one for all."""
    pairs = sorted(mapping.items())
    subtables: list[tuple[int, int, bytes]] = []
    segments = [(a, b, (g - a) & 0xFFFF) for a, b, g in _runs([p for p in pairs if p[0] < 0xFFFF])]
    segments.append((0xFFFF, 0xFFFF, 1))
    n = len(segments)
    if 16 + 8 * n <= 0xFFFF:
        power = 1 << (n.bit_length() - 1)
        sub4 = (
            struct.pack(">HHHHHHH", 4, 16 + 8 * n, 0, 2 * n, 2 * power, power.bit_length() - 1, 2 * n - 2 * power)
            + struct.pack(f">{n}H", *[s[1] for s in segments])
            + b"\0\0"
            + struct.pack(f">{n}H", *[s[0] for s in segments])
            + struct.pack(f">{n}H", *[s[2] for s in segments])
            + b"\0\0" * n
        )
        subtables.append((3, 1, sub4))
    if not subtables or (pairs and pairs[-1][0] > 0xFFFF):
        groups = _runs(pairs)
        sub12 = struct.pack(">HHLLL", 12, 0, 16 + 12 * len(groups), 0, len(groups)) + b"".join(
            struct.pack(">LLL", *g) for g in groups
        )
        subtables.append((3, 10, sub12))
    out = [struct.pack(">HH", 0, len(subtables))]
    at = 4 + 8 * len(subtables)
    for pid, eid, data in subtables:
        out.append(struct.pack(">HHL", pid, eid, at))
        at += len(data)
    return b"".join(out) + b"".join(s[2] for s in subtables)


def _metrics_table(advances: list[int], bearings: list[int]) -> tuple[bytes, int]:
    """hmtx data and its number of long metrics (a trailing run of equal advances is shortened)."""
    n = len(advances)
    while n > 1 and advances[n - 1] == advances[n - 2]:
        n -= 1
    longs = [v for pair in zip(advances[:n], bearings[:n], strict=True) for v in pair]
    data = struct.pack(f">{2 * n}H", *[v & 0xFFFF for v in longs]) + struct.pack(
        f">{len(bearings) - n}h", *bearings[n:]
    )
    return data, n


def _name(data: bytes) -> bytes:
    """The name records for NAME_IDS of the face's name table ``data`` (all platforms and
    languages), as a format 0 table."""
    count, strings = struct.unpack_from(">HH", data, 2)
    records, pool, seen = [], bytearray(), {}
    for i in range(count):
        pid, eid, lang, nid, length, off = struct.unpack_from(">HHHHHH", data, 6 + 12 * i)
        if nid not in NAME_IDS or lang >= 0x8000:  # (language tags exist only in format 1 tables)
            continue
        text = data[strings + off : strings + off + length]
        if text not in seen:
            seen[text] = len(pool)
            pool += text
        records.append(struct.pack(">HHHHHH", pid, eid, lang, nid, length, seen[text]))
    return struct.pack(">HHH", 0, len(records), 6 + 12 * len(records)) + b"".join(records) + bytes(pool)


class Subset:
    """The glyphs of a subset: source glyph ids in the subset's order, and its character map."""

    def __init__(self, face: Face, text: str, extra: Iterable[int] = ()) -> None:
        self.outlines = outlines(face)  # perhaps another face's of the collection, drawing the same glyphs
        font = self.font = hb_font(face)[0]  # the cmap, metrics and names of this face
        self.face = font.face
        self.chars: dict[int, int] = {}
        for ch in text:
            gid = font.get_nominal_glyph(ord(ch))
            if gid is not None:
                self.chars[ord(ch)] = gid
        order, seen = [0], {0}
        for cp in sorted(self.chars):  # glyphs in code point order keep the cmap's segments long
            gid = self.chars[cp]
            if gid not in seen:
                seen.add(gid)
                order.append(gid)
        order += sorted(set(extra) - seen)
        self.order = order
        self.new_id = {gid: i for i, gid in enumerate(order)}

    def _table(self, tag: str) -> bytes:
        return self.face.reference_table(tag).data

    def tables(self) -> dict[str, bytes]:
        """The tables of a plain TrueType font holding the subset's glyphs.

        Raises ``ValueError`` when a letter or digit of the subset draws no outline (a damaged CFF or
        glyf table draws nothing rather than failing)."""
        source = self.outlines
        glyphs = [source.quad(g) for g in self.order]
        for cp, gid in sorted(self.chars.items()):
            if unicodedata.category(chr(cp))[0] in "LN" and not glyphs[self.new_id[gid]].ends:
                what = f"HarfBuzz draws no outline for {chr(cp)!r} (U+{cp:04X})"
                raise ValueError(f"{what}: its outline table is damaged")
        records = [source.record(g) for g in self.order]
        offsets = [0]
        for record in records:
            offsets.append(offsets[-1] + len(record))
        long_loca = offsets[-1] > 0x1FFFE
        loca = (
            struct.pack(f">{len(offsets)}L", *offsets)
            if long_loca
            else struct.pack(f">{len(offsets)}H", *[o // 2 for o in offsets])
        )
        advance = self.font.get_glyph_h_advance
        advances = [advance(g) for g in self.order]
        # left side bearings of the new outlines: TrueType renderers place a glyph by its bearing
        hmtx, long_metrics = _metrics_table(advances, [q.bounds[0] for q in glyphs])
        inked = [(a, q.bounds) for a, q in zip(advances, glyphs, strict=True) if q.ends]
        head = bytearray(self._table("head")[:54])
        struct.pack_into(">L", head, 8, 0)  # checkSumAdjustment, set when the file is put together
        if inked:
            struct.pack_into(
                ">hhhh",
                head,
                36,
                min(b[0] for _a, b in inked),
                min(b[1] for _a, b in inked),
                max(b[2] for _a, b in inked),
                max(b[3] for _a, b in inked),
            )
        struct.pack_into(">hh", head, 50, 1 if long_loca else 0, 0)
        hhea = bytearray(self._table("hhea")[:36])
        struct.pack_into(
            ">Hhhh",
            hhea,
            10,
            max(advances),
            min((b[0] for _a, b in inked), default=0),
            min((a - b[2] for a, b in inked), default=0),
            max((b[2] for _a, b in inked), default=0),
        )
        struct.pack_into(">H", hhea, 34, long_metrics)
        maxp = struct.pack(
            ">LHHHHHHHHHHHHHH",
            0x00010000,
            len(self.order),
            max(len(q.points) for q in glyphs),
            max(len(q.ends) for q in glyphs),
            0,
            0,
            1,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
        )  # no composites, no instructions
        mapping = {cp: self.new_id[g] for cp, g in self.chars.items()}
        post = self._table("post") or bytes(32)
        tables = {
            "head": bytes(head),
            "hhea": bytes(hhea),
            "maxp": maxp,
            "hmtx": hmtx,
            "loca": loca,
            "glyf": b"".join(records),
            "cmap": _cmap(mapping),
            "name": _name(self._table("name")),
            "post": struct.pack(">L", 0x00030000) + post[4:16] + bytes(16),
        }  # no glyph names
        os2 = bytearray(self._table("OS/2"))
        if os2:
            if len(os2) >= 68 and mapping:  # usFirstCharIndex, usLastCharIndex
                struct.pack_into(">HH", os2, 64, min(min(mapping), 0xFFFF), min(max(mapping), 0xFFFF))
            tables["OS/2"] = bytes(os2)
        return tables
