"""Font subsets: the PDF's TrueType writer and the EPUB's HarfBuzz subsets give what fontTools gives.

Every glyph of a PDF subset is checked against the face as fontTools draws it (outlines converted
as fontTools' cu2qu pen converts them, advances, side bearings), the subsets against what
reportlab and fontTools read back from them, and the EPUB layout tables against fontTools' own
subsetter, feature by feature.
"""

from __future__ import annotations

import io
import random

import pytest
from fontTools import subset
from fontTools.pens.basePen import BasePen
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from reportlab.pdfbase.ttfonts import TTFont as ReportlabFont

from zhengji_publish.fonts import FontBook, hb_font
from zhengji_publish.fonts.metrics import INK_CHARS
from zhengji_publish.style import load_style
from zhengji_publish.writers.epub import subset as epub_subset
from zhengji_publish.writers.pdf.subset import truetype_subset
from zhengji_publish.writers.pdf.truetype import outlines

pytestmark = pytest.mark.unit

TEXT = "政绩观学习教育，“为民造福”——立行立改……《实施方案》（试行）：12351 AV To fi。"
FEATURES, LANGSYS = epub_subset.FEATURES, epub_subset.LANGSYS


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHENGJI_CACHE_DIR", str(tmp_path))


def _faces():
    book = FontBook(load_style("default"), "SC")
    return {"serif": book.primary("serif"), "kai": book.primary("kai"), "sans": book.primary("sans", bold=True)}


FACES = _faces()


class _Segments(BasePen):
    """The segments a glyph draws, each (kind, start, control points…, end), implied on-curve
    points made explicit: two outlines with the same segments draw the same shape."""

    def __init__(self, glyphs) -> None:
        super().__init__(glyphs)
        self.segments: set[tuple] = set()
        self._start = self._here = (0.0, 0.0)

    def _moveTo(self, p):  # noqa: N802 (the pen protocol's names)
        self._start = self._here = p

    def _lineTo(self, p):  # noqa: N802
        if p != self._here:
            self.segments.add(("line", self._here, p))
        self._here = p

    def _qCurveToOne(self, c, p):  # noqa: N802
        self.segments.add(("quad", self._here, c, p))
        self._here = p

    def _curveToOne(self, c1, c2, p):  # noqa: N802
        self.segments.add(("cubic", self._here, c1, c2, p))
        self._here = p

    def _closePath(self):  # noqa: N802
        self._lineTo(self._start)


def _sample(face) -> tuple[str, list[int]]:
    """The test text the face has, and 60 more of its glyphs picked at random."""
    font = hb_font(face)[0]
    text = "".join(c for c in INK_CHARS + TEXT if font.get_nominal_glyph(ord(c)) is not None)
    return text, random.Random(7).sample(range(1, font.face.glyph_count), 60)


@pytest.mark.parametrize("role", [*sorted(FACES), "serif TC"])
def test_pdf_subset_matches_fonttools_glyph_by_glyph(role):
    # the TC face of the collection after the SC one: drawn from the outlines they share
    face = FACES[role] if role in FACES else FontBook(load_style("default"), "TC").primary("serif")
    outlines(FACES["serif"])
    text, extra = _sample(face)
    pua = {chr(0xF0000 + i): gid for i, gid in enumerate(extra)}
    sub = TTFont(str(truetype_subset(face, text, pua)))
    sub.saveXML(io.StringIO())  # every table decompiles
    ref = TTFont(face.path, fontNumber=face.index, lazy=True)
    cff = "CFF " in ref
    ref_glyphs, ref_order = ref.getGlyphSet(), ref.getGlyphOrder()
    ref_cmap, sub_cmap = ref.getBestCmap(), sub.getBestCmap()
    pairs = [(sub_cmap[ord(c)], ref_cmap[ord(c)]) for c in text]
    pairs += [(sub_cmap[ord(ch)], ref_order[gid]) for ch, gid in pua.items()]
    assert len(sub.getGlyphOrder()) == len({p[1] for p in pairs}) + 1  # and .notdef
    for mine, theirs in pairs:
        glyph = sub["glyf"][mine]
        assert sub["hmtx"][mine] == (ref["hmtx"][theirs][0], glyph.xMin if glyph.numberOfContours else 0), theirs
        if cff:  # as fontTools converts the PostScript outline: the very same points
            tt = TTGlyphPen(None)
            ref_glyphs[theirs].draw(Cu2QuPen(tt, max_err=1.0, reverse_direction=True))
            expected = tt.glyph()
            if expected.numberOfContours <= 0:
                assert glyph.numberOfContours == 0, theirs
                continue
            assert list(glyph.endPtsOfContours) == list(expected.endPtsOfContours), theirs
            assert list(glyph.coordinates) == list(expected.coordinates), theirs
            assert [f & 1 for f in glyph.flags] == [f & 1 for f in expected.flags], theirs
        else:  # the same quadratic segments, components decomposed
            drawn = _Segments(None)
            sub.getGlyphSet()[mine].draw(drawn)
            expected_pen = _Segments(ref_glyphs)
            recording = DecomposingRecordingPen(ref_glyphs)
            ref_glyphs[theirs].draw(recording)
            recording.replay(expected_pen)
            assert drawn.segments == expected_pen.segments, theirs


@pytest.mark.parametrize("role", sorted(FACES))
def test_pdf_subset_loads_in_reportlab_with_the_source_advances(role):
    face = FACES[role]
    path = truetype_subset(face, TEXT)
    font = ReportlabFont("subset-" + role, str(path))
    ref = TTFont(face.path, fontNumber=face.index, lazy=True)
    cmap, upem = ref.getBestCmap(), ref["head"].unitsPerEm
    for ch in set(TEXT):
        if ord(ch) not in cmap:
            continue
        assert font.face.charToGlyph[ord(ch)]
        assert font.stringWidth(ch, 1000) == pytest.approx(ref["hmtx"][cmap[ord(ch)]][0] * 1000 / upem, abs=0.5)


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
    data = epub_subset.woff2_subset(face, TEXT, LANGSYS["SC"])
    ours = TTFont(io.BytesIO(data))
    ours.saveXML(io.StringIO())
    _sfnt, order = epub_subset.subset_sfnt(face, "".join(sorted(set(TEXT))), LANGSYS["SC"])
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
    glyphs = set(order)
    for tag in set(mine) | set(theirs):  # fontTools keeps other languages' glyphs too: compare on ours
        expected = {e for e in theirs.get(tag, set()) if all(g in glyphs for g in e[1:] if isinstance(g, int))}
        assert mine.get(tag, set()) == expected, tag
    if role == "serif":
        assert any(e[0] == "lig" for e in mine["ccmp"])  # —— is one glyph
        assert mine["vert"] and mine["halt"] and mine["vhal"]
        assert len(order) < len(ref.getGlyphOrder())  # the Japanese and Korean forms are left out


def test_the_epub_subset_keeps_the_vertical_metrics():
    face = FACES["serif"]
    text = "，。「」（）中"
    font = TTFont(io.BytesIO(epub_subset.woff2_subset(face, text, LANGSYS["SC"])))
    ref = TTFont(face.path, fontNumber=face.index, lazy=True)
    assert "CFF " in font
    _sfnt, order = epub_subset.subset_sfnt(face, "".join(sorted(set(text))), LANGSYS["SC"])
    names, ref_names = font.getGlyphOrder(), ref.getGlyphOrder()
    for i, gid in enumerate(order):
        assert font["vmtx"][names[i]] == ref["vmtx"][ref_names[gid]]
        assert font["VORG"][names[i]] == ref["VORG"][ref_names[gid]]


def test_only_the_books_language_systems_are_kept():
    face = FACES["serif"]
    gsub = hb_font(face)[0].face.reference_table("GSUB").data
    kept = TTFont(face.path, fontNumber=face.index, lazy=True)
    table = newTable("GSUB")
    table.decompile(epub_subset.only_languages(gsub, LANGSYS["TC"]), kept)
    whole = newTable("GSUB")
    whole.decompile(gsub, kept)
    for before, after in zip(whole.table.ScriptList.ScriptRecord, table.table.ScriptList.ScriptRecord, strict=True):
        tags = [r.LangSysTag for r in before.Script.LangSysRecord]
        assert [r.LangSysTag for r in after.Script.LangSysRecord] == [t for t in tags if t in LANGSYS["TC"]]
        for r in after.Script.LangSysRecord:
            same = next(b for b in before.Script.LangSysRecord if b.LangSysTag == r.LangSysTag)
            assert r.LangSys.FeatureIndex == same.LangSys.FeatureIndex
    assert any("ZHT " in [r.LangSysTag for r in s.Script.LangSysRecord] for s in table.table.ScriptList.ScriptRecord)


def test_a_contextual_rule_on_the_text_is_kept():
    face = FACES["sans"]
    text = "한국어 문장"  # Noto CJK spaces Hangul with a contextual rule
    font = TTFont(io.BytesIO(epub_subset.woff2_subset(face, text, LANGSYS["SC"])))
    assert "calt" in {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}


def test_faces_of_a_collection_share_converted_outlines():
    book = FontBook(load_style("default"), "TC")
    sc, tc = FACES["serif"], book.primary("serif")
    assert sc.path == tc.path and sc.index != tc.index
    a, b = outlines(sc), outlines(tc)
    # one object for both faces (hb_font's own cache may have dropped and remade its entry since)
    assert a is b
    gid = a.font.get_nominal_glyph(ord("中"))
    assert hb_font(tc)[0].get_nominal_glyph(ord("中")) == gid


def test_a_collections_other_face_keeps_its_own_forms_and_names():
    book = FontBook(load_style("default"), "TC")
    sc, tc = FACES["serif"], book.primary("serif")
    gid_sc, gid_tc = (hb_font(f)[0].get_nominal_glyph(ord("骨")) for f in (sc, tc))
    assert gid_sc != gid_tc  # 骨 has a regional form
    pdf_sc, pdf_tc = (TTFont(str(truetype_subset(f, "骨"))) for f in (sc, tc))
    shared = outlines(tc)
    for font, gid in ((pdf_sc, gid_sc), (pdf_tc, gid_tc)):
        glyph = font["glyf"][font.getBestCmap()[ord("骨")]]
        assert glyph.getCoordinates(font["glyf"])[0].array.tolist() == [c for p in shared.quad(gid).points for c in p]
    assert "TC" in pdf_tc["name"].getDebugName(4) and "SC" in pdf_sc["name"].getDebugName(4)
