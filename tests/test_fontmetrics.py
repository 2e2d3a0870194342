"""Vertical metrics and vertical shaping from HarfBuzz, checked against the face's tables as
fontTools reads them (vmtx, VORG) and against the vertical forms the face's GSUB names."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from zhengji_publish.fonts import FontBook
from zhengji_publish.fonts.metrics import glyph_ink, vertical_advance, vertical_origin
from zhengji_publish.style import load_style
from zhengji_publish.typeset.shaping import shape_vertical

pytestmark = pytest.mark.unit

TEXT = "「中文」，。、——……（）《书》"


def _serif():
    return FontBook(load_style("default"), "SC").primary("serif")


def test_vertical_advance_and_origin_are_the_faces_vmtx_and_vorg():
    face = _serif()
    font = TTFont(face.path, fontNumber=face.index, lazy=True)
    upem = font["head"].unitsPerEm
    cmap = font.getBestCmap()
    order = font.getGlyphOrder()
    for ch in TEXT:
        name = cmap[ord(ch)]
        gid = order.index(name)
        assert vertical_advance(face, gid) == font["vmtx"][name][0] / upem
        x, y = vertical_origin(face, gid)
        assert x == font["hmtx"][name][0] / upem / 2
        vorg = font["VORG"]
        assert y == vorg.VOriginRecords.get(name, vorg.defaultVertOriginY) / upem


def test_vertical_shaping_takes_the_vertical_forms_and_one_two_em_dash():
    face = _serif()
    font = TTFont(face.path, fontNumber=face.index, lazy=True)
    order = font.getGlyphOrder()
    vert = {}
    for record in font["GSUB"].table.FeatureList.FeatureRecord:
        if record.FeatureTag == "vert":
            for index in record.Feature.LookupListIndex:
                for st in font["GSUB"].table.LookupList.Lookup[index].SubTable:
                    vert.update(getattr(st, "ExtSubTable", st).mapping)
    cmap = font.getBestCmap()
    glyphs = shape_vertical(face, "「中」，", "zh-Hans")
    assert [order[g.gid] for g in glyphs] == [vert.get(cmap[ord(c)], cmap[ord(c)]) for c in "「中」，"]
    assert order[glyphs[0].gid] != cmap[ord("「")]  # the bracket is turned
    assert all(g.advance == 1.0 == vertical_advance(face, g.gid) for g in glyphs)
    for pen, g in enumerate(glyphs):  # the pen one em further down for each glyph
        x, y = vertical_origin(face, g.gid)
        assert (g.across, g.down) == (-x, pen + y)
    (dash,) = shape_vertical(face, "——", "zh-Hans")
    assert dash.advance == 2.0 and dash.cluster == 0
    ink = glyph_ink(face, dash.gid)
    assert ink is not None and ink[3] - ink[1] > 1.8  # one bar, nearly two ems tall


def test_the_font_index_names_faces_as_fonttools_reads_them():
    from fontTools.ttLib import TTCollection

    from zhengji_publish.fonts import font_dirs
    from zhengji_publish.fonts.families import FONT_SUFFIXES, _faces_of

    files = [p for d in font_dirs() if d.is_dir() for p in sorted(d.rglob("*")) if p.suffix.lower() in FONT_SUFFIXES]
    assert files
    for path in files[:40]:
        collection = path.suffix.lower() in (".ttc", ".otc")
        fonts = TTCollection(str(path), lazy=True).fonts if collection else [TTFont(str(path), lazy=True)]
        expected = []
        for index, font in enumerate(fonts):
            name = font["name"]
            family = (name.getDebugName(16) or name.getDebugName(1) or "").strip()
            sub = (name.getDebugName(17) or name.getDebugName(2) or "Regular").strip()
            cff = "CFF " in font or "CFF2" in font
            if family and ("glyf" in font or cff):
                expected.append((family, sub, index, font["OS/2"].usWeightClass, cff))
        assert [(f.family, f.subfamily, f.index, f.weight, f.cff) for f in _faces_of(path)] == expected, path
