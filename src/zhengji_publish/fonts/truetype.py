"""The TrueType writer: a face cut down to a set of glyphs, as a small TrueType font.

reportlab embeds only TrueType (``glyf``) outlines, but the CJK faces Debian ships (Noto CJK,
Source Han) have PostScript (CFF) outlines. A subset is written here as a small TrueType font
from the glyphs of the face (:mod:`zhengji_publish.fontfile`: CFF outlines drawn by HarfBuzz, cubic
curves converted to quadratics within one font unit, components decomposed, hints dropped), with
the face's metrics, names and OS/2 values, and, for the EPUB, its vertical metrics (vhea/vmtx).
The PDF's subset (``writers/pdf/subset.py``) and the EPUB's (``writers/epub/subset.py``) are made
from it; both are cached on disk under :func:`cache_key`.
"""

from __future__ import annotations

import hashlib
import struct
import sys
from array import array
from collections.abc import Iterable

from zhengji_publish.cache import file_stamp
from zhengji_publish.fontfile import FontFile, QuadGlyph, Unsupported
from zhengji_publish.fonts.faces import Face

__all__ = ["Subset", "Unsupported", "cache_key", "sfnt", "base_is_portable"]

SUBSET_VERSION = 3
NAME_IDS = frozenset({0, 1, 2, 3, 4, 5, 6, 13, 14})  # copyright, names, version, licence


def cache_key(face: Face, chars: str, flavor: str) -> str:
    """The on-disk cache key of a subset of ``face`` holding ``chars``, made as ``flavor`` says."""
    raw = f"{SUBSET_VERSION}|{flavor}|{file_stamp(face.path)}|{face.index}|{chars}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


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


def _delta(d: int, out: bytearray, short: int, same: int) -> int:
    """Store one coordinate delta in ``out`` as compactly as glyf allows; the flag bits that say
    how (``short``: one byte, ``same`` then its sign is +; ``same`` alone: no change)."""
    if d == 0:
        return same
    if -256 < d < 0:
        out.append(-d)
        return short
    if 0 < d < 256:
        out.append(d)
        return short | same
    out += struct.pack(">h", d)
    return 0


def _encode_glyph(glyph: QuadGlyph) -> bytes:
    """A simple glyf record (no instructions), flags run-length coded, padded to 2 bytes."""
    if not glyph.ends:
        return b""
    flags = bytearray()
    xs = bytearray()
    ys = bytearray()
    px = py = 0
    for (x, y), on in zip(glyph.points, glyph.flags, strict=True):
        flags.append(on | _delta(x - px, xs, 0x02, 0x10) | _delta(y - py, ys, 0x04, 0x20))
        px, py = x, y
    packed = bytearray()
    i, n = 0, len(flags)
    while i < n:
        f = flags[i]
        j = i + 1
        while j < n and flags[j] == f and j - i < 256:
            j += 1
        if j - i > 2:
            packed += bytes((f | 0x08, j - i - 1))
        else:
            packed += flags[i:j]
        i = j
    ncont = len(glyph.ends)
    record = struct.pack(f">hhhhh{ncont}HH", ncont, *glyph.bounds, *glyph.ends, 0) + packed + xs + ys
    return record + b"\0" * (len(record) % 2)


def _encoded(ff: FontFile, gid: int) -> bytes:
    cache = ff.shared.setdefault("glyf", {})
    record = cache.get(gid)
    if record is None:
        record = cache[gid] = _encode_glyph(ff.quad(gid))
    return record


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
    """hmtx/vmtx data and its number of long metrics (a trailing run of equal advances is shortened)."""
    n = len(advances)
    while n > 1 and advances[n - 1] == advances[n - 2]:
        n -= 1
    longs = [v for pair in zip(advances[:n], bearings[:n], strict=True) for v in pair]
    data = struct.pack(f">{2 * n}H", *[v & 0xFFFF for v in longs]) + struct.pack(
        f">{len(bearings) - n}h", *bearings[n:]
    )
    return data, n


def _name(ff: FontFile) -> bytes:
    """The face's name records for NAME_IDS (all platforms and languages), as a format 0 table."""
    data = ff.table("name")
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


def base_is_portable(data: bytes) -> bool:
    """The BASE table names no glyph (BaseCoord format 2), so it can be copied into a subset."""
    try:

        def coord(at: int) -> bool:
            return struct.unpack_from(">H", data, at)[0] in (1, 3)

        def minmax(at: int) -> bool:
            lo, hi, n = struct.unpack_from(">HHH", data, at)
            offs = [lo, hi] + [v for i in range(n) for v in struct.unpack_from(">HH", data, at + 10 + 8 * i)]
            return all(coord(at + o) for o in offs if o)

        for axis_off in struct.unpack_from(">HH", data, 4):
            if not axis_off:
                continue
            scripts = axis_off + struct.unpack_from(">H", data, axis_off + 2)[0]
            for i in range(struct.unpack_from(">H", data, scripts)[0]):
                script = scripts + struct.unpack_from(">H", data, scripts + 6 + 6 * i)[0]
                values, default, nlang = struct.unpack_from(">HHH", data, script)
                if values:
                    at = script + values
                    n = struct.unpack_from(">H", data, at + 2)[0]
                    if not all(coord(at + o) for o in struct.unpack_from(f">{n}H", data, at + 4)):
                        return False
                if default and not minmax(script + default):
                    return False
                for j in range(nlang):
                    off = struct.unpack_from(">H", data, script + 6 + 6 * j + 4)[0]
                    if off and not minmax(script + off):
                        return False
        return True
    except struct.error:
        return False


class Subset:
    """The glyphs of a subset: source glyph ids in the subset's order, and its character map."""

    def __init__(self, ff: FontFile, text: str, extra: Iterable[int] = ()) -> None:
        self.ff = ff
        self.chars = ff.nominal(text)
        order, seen = [0], {0}
        for cp in sorted(self.chars):  # glyphs in code point order keep the cmap's segments long
            gid = self.chars[cp]
            if gid not in seen:
                seen.add(gid)
                order.append(gid)
        order += sorted(set(extra) - seen)
        self.order = order
        self.new_id = {gid: i for i, gid in enumerate(order)}

    def tables(self) -> dict[str, bytes]:
        """The tables of a plain TrueType font holding the subset's glyphs."""
        ff = self.ff
        glyphs = [ff.quad(g) for g in self.order]
        records = [_encoded(ff, g) for g in self.order]
        offsets = [0]
        for record in records:
            offsets.append(offsets[-1] + len(record))
        long_loca = offsets[-1] > 0x1FFFE
        loca = (
            struct.pack(f">{len(offsets)}L", *offsets)
            if long_loca
            else struct.pack(f">{len(offsets)}H", *[o // 2 for o in offsets])
        )
        source_advances = ff.hmetrics[0]
        advances = [source_advances[g] for g in self.order]
        # left side bearings of the new outlines: TrueType renderers place a glyph by its bearing
        hmtx, long_metrics = _metrics_table(advances, [q.bounds[0] for q in glyphs])
        inked = [(a, q.bounds) for a, q in zip(advances, glyphs, strict=True) if q.ends]
        head = bytearray(ff.table("head")[:54])
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
        hhea = bytearray(ff.table("hhea")[:36])
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
        post = ff.table("post") if "post" in ff else bytes(32)
        tables = {
            "head": bytes(head),
            "hhea": bytes(hhea),
            "maxp": maxp,
            "hmtx": hmtx,
            "loca": loca,
            "glyf": b"".join(records),
            "cmap": _cmap(mapping),
            "name": _name(ff),
            "post": struct.pack(">L", 0x00030000) + post[4:16] + bytes(16),
        }  # no glyph names
        if "OS/2" in ff:
            os2 = bytearray(ff.table("OS/2"))
            if len(os2) >= 68 and mapping:  # usFirstCharIndex, usLastCharIndex
                struct.pack_into(">HH", os2, 64, min(min(mapping), 0xFFFF), min(max(mapping), 0xFFFF))
            tables["OS/2"] = bytes(os2)
        return tables

    def vertical(self) -> dict[str, bytes]:
        """vhea/vmtx; a face's VORG origins become top side bearings over the new outlines."""
        ff = self.ff
        if ff.vmetrics is None:
            return {}
        source_heights, source_tsb = ff.vmetrics
        glyphs = [ff.quad(g) for g in self.order]
        heights = [source_heights[g] for g in self.order]
        tsbs = []
        for gid, q in zip(self.order, glyphs, strict=True):
            origin = ff.vert_origin(gid)
            tsbs.append(source_tsb[gid] if origin is None else origin - q.bounds[3])
        vmtx, long_metrics = _metrics_table(heights, tsbs)
        inked = [(h, t, q.bounds[3] - q.bounds[1]) for h, t, q in zip(heights, tsbs, glyphs, strict=True) if q.ends]
        vhea = bytearray(ff.table("vhea")[:36])
        struct.pack_into(
            ">Hhhh",
            vhea,
            10,
            max(heights),
            min((t for _h, t, _e in inked), default=0),
            min((h - t - e for h, t, e in inked), default=0),
            max((t + e for _h, t, e in inked), default=0),
        )
        struct.pack_into(">H", vhea, 34, long_metrics)
        return {"vhea": bytes(vhea), "vmtx": vmtx}
