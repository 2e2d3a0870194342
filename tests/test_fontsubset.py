"""Font reading and subsetting: fontfile and fontlayout give what fontTools gives, faster.

The reader is checked against fontTools glyph by glyph (code points, advances, ink bounds,
converted outlines), the subsets against what reportlab and fontTools read back from them, and
the EPUB layout tables against fontTools' own subsetter, feature by feature.
"""

from __future__ import annotations

import io
import random

import pytest
from fontTools import subset
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from reportlab.pdfbase.ttfonts import TTFont as ReportlabFont

from zhengji_publish.fontfile import FontFile, Unsupported, opened
from zhengji_publish.fontlayout import FEATURES, LANGSYS, layout_tables
from zhengji_publish.fonts import FontBook
from zhengji_publish.fonts.metrics import INK_CHARS
from zhengji_publish.fonts.truetype import Subset
from zhengji_publish.style import load_style
from zhengji_publish.writers.epub import subset as epub_subset
from zhengji_publish.writers.pdf.subset import truetype_subset

pytestmark = pytest.mark.unit

TEXT = "政绩观学习教育，“为民造福”——立行立改……《实施方案》（试行）：12351 AV To fi。"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHENGJI_CACHE_DIR", str(tmp_path))


def _faces():
    book = FontBook(load_style("default"), "SC")
    return {"serif": book.primary("serif"), "kai": book.primary("kai"), "sans": book.primary("sans", bold=True)}


FACES = _faces()


@pytest.mark.parametrize("role", sorted(FACES))
def test_reader_matches_fonttools(role):
    face = FACES[role]
    ff = FontFile(face.path, face.index)
    font = TTFont(face.path, fontNumber=face.index, lazy=True)
    best = font.getBestCmap()
    assert ff.cmap == {cp: font.getGlyphID(name) for cp, name in best.items()}
    order = font.getGlyphOrder()
    hmtx = font["hmtx"]
    assert list(ff.hmetrics[0]) == [hmtx[name][0] for name in order]
    if "vmtx" in font:
        vmtx = font["vmtx"]
        assert list(zip(*ff.vmetrics, strict=True)) == [vmtx[name] for name in order]
    glyphs = font.getGlyphSet()
    sample = [ff.cmap[ord(c)] for c in INK_CHARS + TEXT if ord(c) in ff.cmap]
    sample += random.Random(7).sample(range(1, len(order)), 60)
    for gid in sample:
        pen = BoundsPen(glyphs)
        glyphs[order[gid]].draw(pen)
        assert ff.ink(gid) == pen.bounds, order[gid]
        tt = TTGlyphPen(None)
        recording = DecomposingRecordingPen(glyphs)
        glyphs[order[gid]].draw(recording)
        recording.replay(Cu2QuPen(tt, max_err=1.0, reverse_direction=True) if ff.cff else tt)
        ref = tt.glyph()
        mine = ff.quad(gid)
        if ref.numberOfContours <= 0:
            assert mine.ends == []
            continue
        assert mine.ends == list(ref.endPtsOfContours), order[gid]
        assert mine.points == [(int(x), int(y)) for x, y in ref.coordinates], order[gid]
        assert list(mine.flags) == [f & 1 for f in ref.flags], order[gid]


@pytest.mark.parametrize("role", sorted(FACES))
def test_pdf_subset_loads_in_reportlab_with_the_source_advances(role):
    face = FACES[role]
    path = truetype_subset(face, TEXT)
    font = ReportlabFont("subset-" + role, str(path))
    source = opened(face)
    for ch in set(TEXT):
        gid = source.cmap.get(ord(ch))
        if gid is None:
            continue
        assert font.face.charToGlyph[ord(ch)]
        assert font.stringWidth(ch, 1000) == pytest.approx(source.hmetrics[0][gid] * 1000 / source.upem, abs=0.5)
    sub = TTFont(str(path))
    sub.saveXML(io.StringIO())  # every table decompiles
    assert sub["maxp"].numGlyphs == len(sub.getGlyphOrder())
    for name in sub.getGlyphOrder():  # lsb is the new outline's left edge
        glyph = sub["glyf"][name]
        assert sub["hmtx"][name][1] == (glyph.xMin if glyph.numberOfContours else 0)


def _effects(font: TTFont, to_source: dict[str, int], langsys: str) -> dict:
    """What each feature of the hani script (the text's language system) does, on source glyph ids."""
    out: dict = {}
    for tag in ("GSUB", "GPOS"):
        if tag not in font:
            continue
        table = font[tag].table
        script = next((r.Script for r in table.ScriptList.ScriptRecord if r.ScriptTag == "hani"), None)
        if script is None:  # fontTools drops a table left without lookups
            continue
        ls = next((r.LangSys for r in script.LangSysRecord if r.LangSysTag == langsys), script.DefaultLangSys)
        for index in ls.FeatureIndex:
            record = table.FeatureList.FeatureRecord[index]
            effect = out.setdefault(record.FeatureTag, set())
            for li in record.Feature.LookupListIndex:
                lookup = table.LookupList.Lookup[li]
                for st in lookup.SubTable:
                    st = getattr(st, "ExtSubTable", st)
                    if hasattr(st, "mapping"):
                        effect |= {("sub", to_source[a], to_source[b]) for a, b in st.mapping.items()}
                    elif hasattr(st, "ligatures"):
                        effect |= {
                            ("lig", to_source[a], *(to_source[c] for c in lig.Component), to_source[lig.LigGlyph])
                            for a, ligs in st.ligatures.items()
                            for lig in ligs
                        }
                    elif type(st).__name__ == "SinglePos":
                        values = [st.Value] * len(st.Coverage.glyphs) if st.Format == 1 else st.Value
                        effect |= {
                            ("pos", to_source[g], str(vars(v))) for g, v in zip(st.Coverage.glyphs, values, strict=True)
                        }
                    elif type(st).__name__ == "PairPos" and st.Format == 1:
                        effect |= {
                            ("pair", to_source[g], to_source[r.SecondGlyph], str(vars(r.Value1 or {})))
                            for g, ps in zip(st.Coverage.glyphs, st.PairSet, strict=True)
                            for r in ps.PairValueRecord
                        }
                    elif type(st).__name__ == "PairPos":
                        for g in st.Coverage.glyphs:
                            row = st.Class1Record[st.ClassDef1.classDefs.get(g, 0)]
                            for h in font.getGlyphOrder():
                                value = row.Class2Record[st.ClassDef2.classDefs.get(h, 0)].Value1
                                if value is not None and any(vars(value).values()):
                                    effect.add(("pair", to_source[g], to_source[h], str(vars(value))))
    return out


@pytest.mark.parametrize("role", sorted(FACES))
def test_epub_layout_does_what_fonttools_subset_does(role):
    face = FACES[role]
    ff = opened(face)
    data = epub_subset.woff2_subset(face, TEXT, LANGSYS["SC"])
    ours = TTFont(io.BytesIO(data))
    ours.saveXML(io.StringIO())
    glyphs = {0} | {ff.cmap[ord(c)] for c in TEXT if ord(c) in ff.cmap}
    for table in layout_tables(ff, LANGSYS["SC"]):
        glyphs = table.closure(glyphs)
    order = Subset(ff, TEXT, glyphs).order
    assert len(ours.getGlyphOrder()) == len(order)
    mine = _effects(ours, dict(zip(ours.getGlyphOrder(), order, strict=True)), "ZHS ")

    ref = TTFont(face.path, fontNumber=face.index)
    source_id = {name: i for i, name in enumerate(ref.getGlyphOrder())}
    options = subset.Options()
    options.layout_features = [*FEATURES["GSUB"], *FEATURES["GPOS"]]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in TEXT])
    subsetter.subset(ref)
    theirs = _effects(ref, {name: source_id[name] for name in ref.getGlyphOrder()}, "ZHS ")
    for tag in set(mine) | set(theirs):  # fontTools keeps other languages' glyphs too: compare on ours
        expected = {e for e in theirs.get(tag, set()) if all(g in glyphs for g in e[1:] if isinstance(g, int))}
        assert mine.get(tag, set()) == expected, tag
    if role == "serif":
        assert any(e[0] == "lig" for e in mine["ccmp"])  # —— is one glyph
        assert mine["vert"] and mine["halt"] and mine["vhal"]


def test_vertical_origins_survive_the_conversion():
    face = FACES["serif"]
    ff = opened(face)
    text = "，。「」（）中"
    font = TTFont(io.BytesIO(epub_subset.woff2_subset(face, text, LANGSYS["SC"])))
    assert "VORG" not in font and "CFF " not in font
    for ch in text:
        name = font.getBestCmap()[ord(ch)]
        glyph = font["glyf"][name]
        _height, tsb = font["vmtx"][name]
        assert tsb + glyph.yMax == ff.vert_origin(ff.cmap[ord(ch)])


def test_a_contextual_rule_on_the_text_falls_back_to_fonttools():
    face = FACES["sans"]
    text = "한국어 문장"  # Noto CJK spaces Hangul with a contextual rule: fontTools subsets it
    with pytest.raises(Unsupported):
        epub_subset._woff2_tables(face, text, LANGSYS["SC"])
    font = TTFont(io.BytesIO(epub_subset.woff2_subset(face, text, LANGSYS["SC"])))
    assert "calt" in {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}


def test_faces_of_a_collection_share_converted_outlines():
    book = FontBook(load_style("default"), "TC")
    sc, tc = FACES["serif"], book.primary("serif")
    assert sc.path == tc.path and sc.index != tc.index
    a, b = opened(sc), opened(tc)
    assert a.shared is b.shared
    gid = a.cmap[ord("中")]
    assert b.cmap[ord("中")] == gid and a.quad(gid) is b.quad(gid)
