"""GSUB and GPOS for the EPUB subsets: the features reading systems apply, cut down to a glyph set.

A browser shapes Chinese text with the font's default features (ccmp, locl, liga, kern, mark…), in
vertical writing with vert/vrt2/vkrn, and for CSS ``text-spacing-trim`` with halt/vhal/chws/vchw.
The lookups CJK faces use for these are almost all single substitutions (vertical punctuation,
regional forms), ligatures (the two-em dash ——, Latin fi), single adjustments (half-width
punctuation) and pair adjustments (Latin kerning): those are subset here from the font's binary
tables, fast. Any other lookup that could act on the text (a contextual rule whose glyphs all
occur, mark attachment, lookup flags that need GDEF) raises ``Unsupported``, and the caller falls
back to fontTools' subsetter, which handles everything.

Glyphs are source glyph ids until ``compile`` maps them to the subset's ids.
"""

from __future__ import annotations

import struct
from bisect import bisect_right

from zhengji_publish.fontbinary import _u16
from zhengji_publish.fontfile import FontFile, Unsupported

FEATURES = {
    "GSUB": ("ccmp", "locl", "rlig", "liga", "clig", "calt", "vert", "vrt2"),
    "GPOS": ("kern", "mark", "mkmk", "vkrn", "vert", "halt", "vhal", "chws", "vchw"),
}
# OpenType language systems of the editions' languages: what browsers pick for zh-CN, zh-Hant-TW
# and zh-Hant-HK text (a face without the first falls back to its default language system).
LANGSYS = {"SC": ("ZHS ",), "TC": ("ZHT ", "ZHTM"), "HK": ("ZHH ", "ZHTM", "ZHT ")}
_EXTENSION = {"GSUB": 7, "GPOS": 9}


def _coverage(data: bytes, pos: int) -> list[int]:
    """The glyphs of a Coverage table, in coverage index order."""
    fmt, count = struct.unpack_from(">HH", data, pos)
    if fmt == 1:
        return list(struct.unpack_from(f">{count}H", data, pos + 4))
    if fmt == 2:
        out: list[int] = []
        ranges = struct.unpack_from(f">{3 * count}H", data, pos + 4)
        for i in range(0, 3 * count, 3):
            out.extend(range(ranges[i], ranges[i + 1] + 1))
        return out
    raise Unsupported(f"coverage format {fmt}")


def _class_def(data: bytes, pos: int, glyphs: set[int]) -> dict[int, int]:
    """Classes of the glyphs in ``glyphs`` (class 0 left out)."""
    fmt = _u16(data, pos)
    out: dict[int, int] = {}
    if fmt == 1:
        start, count = struct.unpack_from(">HH", data, pos + 2)
        classes = struct.unpack_from(f">{count}H", data, pos + 6)
        for g in glyphs:
            if start <= g < start + count and classes[g - start]:
                out[g] = classes[g - start]
    elif fmt == 2:
        count = _u16(data, pos + 2)
        ranges = struct.unpack_from(f">{3 * count}H", data, pos + 4)
        starts = ranges[0::3]
        for g in glyphs:
            i = bisect_right(starts, g) - 1
            if i >= 0 and g <= ranges[3 * i + 1] and ranges[3 * i + 2]:
                out[g] = ranges[3 * i + 2]
    else:
        raise Unsupported(f"class definition format {fmt}")
    return out


def _value_size(fmt: int) -> int:
    if fmt & 0xFFF0:  # device or variation tables: offsets this subsetter does not carry over
        raise Unsupported("device tables")
    return 2 * bin(fmt).count("1")


class _Lookup:
    __slots__ = ("type", "flag", "subtables")

    def __init__(self, type_: int, flag: int, subtables: list[int]) -> None:
        self.type, self.flag, self.subtables = type_, flag, subtables


class LayoutTable:
    """One GSUB or GPOS table of a face, with the wanted features of the wanted language systems."""

    def __init__(self, data: bytes, tag: str, languages: tuple[str, ...] | None) -> None:
        self.data, self.tag = data, tag
        scripts_at, features_at, lookups_at = struct.unpack_from(">HHH", data, 4)
        wanted = FEATURES[tag]
        # features
        count = _u16(data, features_at)
        self.features: list[tuple[str, list[int]]] = []
        keep: dict[int, int] = {}
        for i in range(count):
            rec = features_at + 2 + 6 * i
            ftag = data[rec : rec + 4].decode("latin-1")
            if ftag not in wanted:
                continue
            at = features_at + _u16(data, rec + 4)
            n = _u16(data, at + 2)
            keep[i] = len(self.features)
            self.features.append((ftag, list(struct.unpack_from(f">{n}H", data, at + 4))))
        # scripts and their language systems → indices into self.features
        self.scripts: list[tuple[str, tuple[int, list[int]] | None, list[tuple[str, tuple[int, list[int]]]]]] = []
        for i in range(_u16(data, scripts_at)):
            rec = scripts_at + 2 + 6 * i
            stag = data[rec : rec + 4].decode("latin-1")
            at = scripts_at + _u16(data, rec + 4)
            default_at = _u16(data, at)
            default = self._langsys(at + default_at, keep) if default_at else None
            langs = []
            for j in range(_u16(data, at + 2)):
                lrec = at + 4 + 6 * j
                ltag = data[lrec : lrec + 4].decode("latin-1")
                if languages is None or ltag in languages:
                    langs.append((ltag, self._langsys(at + _u16(data, lrec + 4), keep)))
            self.scripts.append((stag, default, langs))
        # only the features a kept language system uses
        referenced = {
            i
            for _s, default, langs in self.scripts
            for ls in ([default] if default else []) + [ls for _t, ls in langs]
            for i in [ls[0], *ls[1]]
            if i != 0xFFFF
        }
        self.features = [f if i in referenced else (f[0], []) for i, f in enumerate(self.features)]
        used = {i for f in self.features for i in f[1]}
        # lookups the features use; extension subtables resolved to the real ones
        self.lookups: dict[int, _Lookup] = {}
        count = _u16(data, lookups_at)
        for i in sorted(used):
            if i >= count:
                raise Unsupported("lookup index")
            at = lookups_at + _u16(data, lookups_at + 2 + 2 * i)
            type_, flag, n = struct.unpack_from(">HHH", data, at)
            subtables = [at + off for off in struct.unpack_from(f">{n}H", data, at + 6)]
            if type_ == _EXTENSION[tag]:
                real = None
                resolved = []
                for st in subtables:
                    ext_type = _u16(data, st + 2)
                    if real not in (None, ext_type):
                        raise Unsupported("mixed extension types")
                    real = ext_type
                    resolved.append(st + struct.unpack_from(">L", data, st + 4)[0])
                type_, subtables = real or 0, resolved
            self.lookups[i] = _Lookup(type_, flag, subtables)

    def _langsys(self, at: int, keep: dict[int, int]) -> tuple[int, list[int]]:
        req, n = struct.unpack_from(">HH", self.data, at + 2)
        indices = struct.unpack_from(f">{n}H", self.data, at + 6)
        return keep.get(req, 0xFFFF), [keep[i] for i in indices if i in keep]

    # what the lookups do to a glyph set

    def _simple(self, lookup: _Lookup) -> bool:
        """Lookups subset here: single and ligature substitutions, single and pair adjustments.

        Only with no lookup flags: skipping marks and the like needs the GDEF glyph classes.
        """
        if lookup.flag & 0xFFFE:
            return False
        return (self.tag, lookup.type) in (("GSUB", 1), ("GSUB", 4), ("GPOS", 1), ("GPOS", 2))

    def single_substitutions(self, lookup: _Lookup) -> list[dict[int, int]]:
        """Each subtable's substitutions, glyph → glyph."""
        data, out = self.data, []
        for st in lookup.subtables:
            fmt, cov = struct.unpack_from(">HH", data, st)
            glyphs = _coverage(data, st + cov)
            if fmt == 1:
                delta = _u16(data, st + 4)
                out.append({g: (g + delta) & 0xFFFF for g in glyphs})
            elif fmt == 2:
                n = _u16(data, st + 4)
                out.append(dict(zip(glyphs, struct.unpack_from(f">{n}H", data, st + 6), strict=False)))
            else:
                raise Unsupported(f"single substitution format {fmt}")
        return out

    def ligatures(self, lookup: _Lookup, glyphs: set[int]) -> list[list[tuple[int, list[tuple[tuple, int]]]]]:
        """Each subtable's ligatures starting with a glyph of ``glyphs``: [(first, [(rest, ligature)])]."""
        data, out = self.data, []
        for st in lookup.subtables:
            fmt, cov, count = struct.unpack_from(">HHH", data, st)
            if fmt != 1:
                raise Unsupported(f"ligature substitution format {fmt}")
            sets = []
            for i, first in enumerate(_coverage(data, st + cov)[:count]):
                if first not in glyphs:
                    continue
                at = st + _u16(data, st + 6 + 2 * i)
                ligs = []
                for j in range(_u16(data, at)):
                    lig_at = at + _u16(data, at + 2 + 2 * j)
                    lig, n = struct.unpack_from(">HH", data, lig_at)
                    ligs.append((struct.unpack_from(f">{n - 1}H", data, lig_at + 4), lig))
                sets.append((first, ligs))
            out.append(sets)
        return out

    def closure(self, glyphs: set[int]) -> set[int]:
        """``glyphs`` with every glyph the kept substitutions can make of them."""
        glyphs = set(glyphs)
        if self.tag != "GSUB":
            return glyphs
        maps = [m for lk in self.lookups.values() if lk.type == 1 for m in self.single_substitutions(lk)]
        ligature_lookups = [lk for lk in self.lookups.values() if lk.type == 4]
        todo = set(glyphs)
        while todo:
            new = {m[g] for m in maps for g in todo if g in m}
            for lk in ligature_lookups:
                new.update(
                    lig
                    for sets in self.ligatures(lk, glyphs)
                    for _first, ligs in sets
                    for rest, lig in ligs
                    if glyphs.issuperset(rest)
                )
            todo = new - glyphs
            glyphs |= todo
        return glyphs

    def check(self, glyphs: set[int]) -> None:
        """Raise ``Unsupported`` if a lookup this module cannot subset could act on ``glyphs``."""
        for lookup in self.lookups.values():
            if self._simple(lookup):
                continue
            for st in lookup.subtables:
                if self._touches(lookup.type, st, glyphs):
                    raise Unsupported(f"{self.tag} lookup type {lookup.type} acts on the text")

    def _touches(self, type_: int, st: int, glyphs: set[int]) -> bool:
        data = self.data
        if (self.tag, type_) in (("GSUB", 5), ("GSUB", 6), ("GPOS", 7), ("GPOS", 8)):
            return self._context_live(type_ in (6, 8), st, glyphs)
        if not glyphs.isdisjoint(_coverage(data, st + _u16(data, st + 2))):
            if self.tag == "GPOS" and type_ in (4, 5, 6):  # a mark needs something to attach to
                return not glyphs.isdisjoint(_coverage(data, st + _u16(data, st + 4)))
            return True
        return False

    def _context_live(self, chained: bool, st: int, glyphs: set[int]) -> bool:
        """Whether a rule of a (chained) contextual subtable can match a text made of ``glyphs``."""
        data = self.data
        fmt = _u16(data, st)
        if fmt == 3:  # one rule of coverages: it matches only if each of them can
            if not chained:
                offsets = struct.unpack_from(f">{_u16(data, st + 2)}H", data, st + 6)
            else:
                offsets, at = (), st + 2
                for _part in range(3):
                    n = _u16(data, at)
                    offsets += struct.unpack_from(f">{n}H", data, at + 2)
                    at += 2 + 2 * n
            return all(not glyphs.isdisjoint(_coverage(data, st + off)) for off in offsets)

        def rules(set_at: int):
            """Each rule of a rule set as [backtrack, input after the first, lookahead] sequences."""
            for i in range(_u16(data, set_at)):
                at = set_at + _u16(data, set_at + 2 + 2 * i)
                if not chained:
                    n = _u16(data, at)
                    yield [(), struct.unpack_from(f">{n - 1}H", data, at + 4), ()]
                    continue
                parts = []
                for part in range(3):
                    n = _u16(data, at) - (part == 1)
                    parts.append(struct.unpack_from(f">{n}H", data, at + 2))
                    at += 2 + 2 * n
                yield parts

        first = _coverage(data, st + _u16(data, st + 2))
        if fmt == 1:  # rules of glyphs, a rule set for each covered first glyph
            count = _u16(data, st + 4)
            for i, g in enumerate(first[:count]):
                off = _u16(data, st + 6 + 2 * i)
                if g in glyphs and off and any(all(glyphs.issuperset(seq) for seq in rule) for rule in rules(st + off)):
                    return True
            return False
        if fmt == 2:  # rules of classes, a rule set for each class of the first glyph
            defs = [_u16(data, st + 4 + 2 * i) for i in range(3 if chained else 1)]
            classes = [_class_def(data, st + off, glyphs) if off else {} for off in defs]
            # classes the text has (class 0: a glyph the definition leaves out)
            present = [set(c.values()) | ({0} if len(c) < len(glyphs) else set()) for c in classes]
            if not chained:
                present = [set(), present[0], set()]
            input_classes = classes[1] if chained else classes[0]
            at = st + 4 + 2 * len(defs)
            count = _u16(data, at)
            for c in {input_classes.get(g, 0) for g in first if g in glyphs}:
                off = _u16(data, at + 2 + 2 * c) if c < count else 0
                if off and any(
                    all(have.issuperset(seq) for have, seq in zip(present, rule, strict=True))
                    for rule in rules(st + off)
                ):
                    return True
            return False
        raise Unsupported(f"contextual format {fmt}")

    # the subset table

    def compile(self, new_id: dict[int, int]) -> bytes | None:
        """The table for the subset whose glyph ids are ``new_id[source id]`` (None: nothing left)."""
        glyphs = set(new_id)
        lookups: dict[int, bytes] = {}
        for index, lookup in sorted(self.lookups.items()):
            if not self._simple(lookup):
                continue  # check() made sure it does nothing to these glyphs
            subtables = [s for s in self._subset_subtables(lookup, glyphs, new_id) if s]
            if subtables:
                lookups[index] = _lookup(lookup.type, lookup.flag, subtables)
        lookup_index = {old: new for new, old in enumerate(sorted(lookups))}
        features: list[tuple[str, list[int]]] = []
        feature_index: dict[int, int] = {}
        for i, (ftag, indices) in enumerate(self.features):
            kept = [lookup_index[j] for j in indices if j in lookup_index]
            if kept:
                feature_index[i] = len(features)
                features.append((ftag, kept))
        if not features:
            return None
        return _layout_table(self.scripts, features, feature_index, [lookups[i] for i in sorted(lookups)])

    def _subset_subtables(self, lookup: _Lookup, glyphs: set[int], new_id: dict[int, int]) -> list[bytes]:
        if lookup.type == 1 and self.tag == "GSUB":
            return [
                _single_subst({new_id[g]: new_id[s] for g, s in m.items() if g in glyphs and s in glyphs})
                for m in self.single_substitutions(lookup)
            ]
        if lookup.type == 4 and self.tag == "GSUB":
            return [
                _ligature_subst(
                    [
                        (
                            new_id[first],
                            [
                                ([new_id[g] for g in rest], new_id[lig])
                                for rest, lig in ligs
                                if glyphs.issuperset(rest) and lig in glyphs
                            ],
                        )
                        for first, ligs in sets
                    ]
                )
                for sets in self.ligatures(lookup, glyphs)
            ]
        if lookup.type == 1:
            return [self._single_pos(st, glyphs, new_id) for st in lookup.subtables]
        return [self._pair_pos(st, glyphs, new_id) for st in lookup.subtables]

    def _single_pos(self, st: int, glyphs: set[int], new_id: dict[int, int]) -> bytes:
        data = self.data
        fmt, cov, vf = struct.unpack_from(">HHH", data, st)
        size = _value_size(vf)
        if fmt not in (1, 2):
            raise Unsupported(f"single adjustment format {fmt}")
        values: dict[int, bytes] = {}
        for i, g in enumerate(_coverage(data, st + cov)):
            if g in glyphs:
                at = st + 6 if fmt == 1 else st + 8 + i * size
                values[new_id[g]] = data[at : at + size]
        if not values:
            return b""
        order = sorted(values)
        if len(set(values.values())) == 1:
            head = struct.pack(">HHH", 1, 6 + size, vf) + values[order[0]]
        else:
            head = struct.pack(">HHHH", 2, 8 + size * len(order), vf, len(order)) + b"".join(values[g] for g in order)
        return head + _coverage_table(order)

    def _pair_pos(self, st: int, glyphs: set[int], new_id: dict[int, int]) -> bytes:
        data = self.data
        fmt, cov, vf1, vf2 = struct.unpack_from(">HHHH", data, st)
        s1, s2 = _value_size(vf1), _value_size(vf2)
        firsts = _coverage(data, st + cov)
        if fmt == 1:
            count = _u16(data, st + 8)
            sets: dict[int, list[tuple[int, bytes]]] = {}
            for i, g in enumerate(firsts[:count]):
                if g not in glyphs:
                    continue
                at = st + _u16(data, st + 10 + 2 * i)
                rec = 2 + s1 + s2
                pairs = []
                for j in range(_u16(data, at)):
                    p = at + 2 + j * rec
                    second = _u16(data, p)
                    if second in glyphs:
                        pairs.append((new_id[second], data[p + 2 : p + rec]))
                if pairs:
                    sets[new_id[g]] = sorted(pairs)
            if not sets:
                return b""
            order = sorted(sets)
            head_size = 10 + 2 * len(order)
            blobs = [
                struct.pack(">H", len(sets[g])) + b"".join(struct.pack(">H", s) + v for s, v in sets[g]) for g in order
            ]
            offsets, at = [], head_size
            for blob in blobs:
                offsets.append(at)
                at += len(blob)
            return (
                struct.pack(f">HHHHH{len(order)}H", 1, at, vf1, vf2, len(order), *offsets)
                + b"".join(blobs)
                + _coverage_table(order)
            )
        if fmt == 2:
            cd1, cd2, n1, n2 = struct.unpack_from(">HHHH", data, st + 8)
            kept_firsts = [g for g in firsts if g in glyphs]
            if not kept_firsts:
                return b""
            class1 = _class_def(data, st + cd1, set(kept_firsts))
            class2 = _class_def(data, st + cd2, glyphs)
            rows = sorted({class1.get(g, 0) for g in kept_firsts})
            cols = [0] + sorted(set(class2.values()))
            if max(rows) >= n1 or cols[-1] >= n2:
                raise Unsupported("pair adjustment classes")
            row_of = {c: i for i, c in enumerate(rows)}
            col_of = {c: i for i, c in enumerate(cols)}
            rec = s1 + s2
            # kept even when all zero: a matching subtable ends the lookup for its first glyph
            matrix = b"".join(
                data[st + 16 + (r * n2 + c) * rec : st + 16 + (r * n2 + c + 1) * rec] for r in rows for c in cols
            )
            cover = sorted(new_id[g] for g in kept_firsts)
            cd1_table = _class_def_table({new_id[g]: row_of[c] for g, c in class1.items() if row_of[c]})
            cd2_table = _class_def_table({new_id[g]: col_of[c] for g, c in class2.items()})
            at_cov = 16 + len(matrix)
            at_cd1 = at_cov + 4 + 2 * len(cover)
            at_cd2 = at_cd1 + len(cd1_table)
            return (
                struct.pack(">HHHHHHHH", 2, at_cov, vf1, vf2, at_cd1, at_cd2, len(rows), len(cols))
                + matrix
                + _coverage_table(cover)
                + cd1_table
                + cd2_table
            )
        raise Unsupported(f"pair adjustment format {fmt}")


def _coverage_table(glyphs: list[int]) -> bytes:
    return struct.pack(f">HH{len(glyphs)}H", 1, len(glyphs), *glyphs)


def _class_def_table(classes: dict[int, int]) -> bytes:
    ranges: list[list[int]] = []
    for g in sorted(classes):
        c = classes[g]
        if ranges and ranges[-1][1] == g - 1 and ranges[-1][2] == c:
            ranges[-1][1] = g
        else:
            ranges.append([g, g, c])
    return struct.pack(f">HH{3 * len(ranges)}H", 2, len(ranges), *[v for r in ranges for v in r])


def _single_subst(mapping: dict[int, int]) -> bytes:
    if not mapping:
        return b""
    order = sorted(mapping)
    return struct.pack(
        f">HHH{len(order)}H", 2, 6 + 2 * len(order), len(order), *[mapping[g] for g in order]
    ) + _coverage_table(order)


def _ligature_subst(sets: list[tuple[int, list[tuple[list[int], int]]]]) -> bytes:
    """A ligature substitution subtable: (first glyph, [(other components, ligature)]), order kept."""
    sets = sorted((first, ligs) for first, ligs in sets if ligs)
    if not sets:
        return b""
    blobs = []
    for _first, ligs in sets:
        head = 2 + 2 * len(ligs)
        parts: list[bytes] = []
        offsets: list[int] = []
        for rest, lig in ligs:
            offsets.append(head + sum(len(p) for p in parts))
            parts.append(struct.pack(f">HH{len(rest)}H", lig, len(rest) + 1, *rest))
        blobs.append(struct.pack(f">H{len(ligs)}H", len(ligs), *offsets) + b"".join(parts))
    at = 6 + 2 * len(sets)
    offsets = []
    for blob in blobs:
        offsets.append(at)
        at += len(blob)
    return (
        struct.pack(f">HHH{len(sets)}H", 1, at, len(sets), *offsets)
        + b"".join(blobs)
        + _coverage_table([first for first, _ligs in sets])
    )


def _lookup(type_: int, flag: int, subtables: list[bytes]) -> bytes:
    head = 6 + 2 * len(subtables)
    offsets, at = [], head
    for s in subtables:
        offsets.append(at)
        at += len(s)
    if at > 0xFFFF:
        raise Unsupported("lookup too large")
    return struct.pack(f">HHH{len(subtables)}H", type_, flag, len(subtables), *offsets) + b"".join(subtables)


def _list(records: list[tuple[bytes, bytes]]) -> bytes:
    """A list of tagged records with 16-bit offsets to the items that follow it."""
    at = 2 + 6 * len(records)
    head, body = [struct.pack(">H", len(records))], []
    for tag, item in records:
        head.append(tag + struct.pack(">H", at))
        body.append(item)
        at += len(item)
    if at > 0xFFFF:
        raise Unsupported("list too large")
    return b"".join(head) + b"".join(body)


def _langsys_table(ls: tuple[int, list[int]], feature_index: dict[int, int]) -> bytes:
    req, indices = ls
    kept = [feature_index[i] for i in indices if i in feature_index]
    return struct.pack(f">HHH{len(kept)}H", 0, feature_index.get(req, 0xFFFF), len(kept), *kept)


def _layout_table(
    scripts, features: list[tuple[str, list[int]]], feature_index: dict[int, int], lookups: list[bytes]
) -> bytes:
    script_records = []
    for stag, default, langs in scripts:
        default_blob = _langsys_table(default, feature_index) if default else b""
        lang_blobs = [(ltag.encode("latin-1"), _langsys_table(ls, feature_index)) for ltag, ls in langs]
        at = 4 + 6 * len(lang_blobs)
        head = [struct.pack(">HH", at if default else 0, len(lang_blobs))]
        body = [default_blob]
        at += len(default_blob)
        for ltag, blob in lang_blobs:
            head.append(ltag + struct.pack(">H", at))
            body.append(blob)
            at += len(blob)
        script_records.append((stag.encode("latin-1"), b"".join(head) + b"".join(body)))
    script_list = _list(script_records)
    feature_list = _list(
        [(ftag.encode("latin-1"), struct.pack(f">HH{len(ix)}H", 0, len(ix), *ix)) for ftag, ix in features]
    )
    at = 2 + 2 * len(lookups)
    offsets = []
    for lk in lookups:
        offsets.append(at)
        at += len(lk)
    if at > 0xFFFF:
        raise Unsupported("lookup list too large")
    lookup_list = struct.pack(f">H{len(lookups)}H", len(lookups), *offsets) + b"".join(lookups)
    scripts_at = 10
    features_at = scripts_at + len(script_list)
    lookups_at = features_at + len(feature_list)
    if lookups_at > 0xFFFF:
        raise Unsupported("layout table too large")
    return (
        struct.pack(">LHHH", 0x00010000, scripts_at, features_at, lookups_at) + script_list + feature_list + lookup_list
    )


def layout_tables(ff: FontFile, languages: tuple[str, ...] | None) -> list[LayoutTable]:
    """The face's GSUB and GPOS for text in ``languages`` (None: all), read once per process."""
    cache = ff.cache.setdefault("layout", {})
    if languages not in cache:
        cache[languages] = [LayoutTable(ff.table(tag), tag, languages) for tag in ("GSUB", "GPOS") if tag in ff]
    return cache[languages]
