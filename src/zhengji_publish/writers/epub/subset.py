"""The EPUB's font subsets: WOFF2 fonts holding the characters a book shows, with the layout
features reading systems apply for its language.

The glyphs and metrics come from :mod:`zhengji_publish.fonts.truetype` (vertical metrics included),
the GSUB/GPOS features from :mod:`zhengji_publish.fontlayout` (vertical punctuation, regional forms,
half-width punctuation for ``text-spacing-trim``, kerning). When the text needs something fontlayout
does not subset (a contextual rule or mark attachment acting on it), fontTools' subsetter makes the
font instead. Subsets are cached on disk, keyed by the font file, the face, the character set and
the book's language.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterable

from zhengji_publish.cache import cache_dir, write_atomic
from zhengji_publish.fontfile import Unsupported, opened
from zhengji_publish.fonts.faces import Face
from zhengji_publish.fonts.truetype import Subset, base_is_portable, cache_key, sfnt


class _Brotli:
    """brotli as fontTools' WOFF2 writer calls it, at quality 6 instead of the default 11.

    For the seed's four traditional subsets that takes 0.01 s instead of 0.9 s (0.08 s at 9) for
    files 4.5 % larger (1.3 % larger than at 9); fontTools has no option for it, so the writer is
    handed this module for one save.
    """

    def __init__(self) -> None:
        import brotli

        self._brotli = brotli

    def __getattr__(self, name: str):
        return getattr(self._brotli, name)

    def compress(self, data: bytes, **options) -> bytes:
        return self._brotli.compress(data, **{"quality": 6, **options})


def _woff2(font, transform: bool) -> bytes:
    """``font`` (a fontTools TTFont) saved as WOFF2; glyf/loca sent as they are unless ``transform``."""
    from fontTools.ttLib import woff2

    font.flavor = "woff2"
    if not transform:
        font.flavorData = woff2.WOFF2FlavorData(transformedTables=())
    buf = io.BytesIO()
    saved, woff2.brotli = woff2.brotli, _Brotli()
    try:
        font.save(buf, reorderTables=False)
    finally:
        woff2.brotli = saved
    return buf.getvalue()


def _woff2_tables(face: Face, text: str, languages: tuple[str, ...] | None) -> bytes:
    """The EPUB font from the shared outlines, with subset layout tables (Unsupported: use fontTools)."""
    from fontTools.ttLib import TTFont

    from zhengji_publish.fontlayout import layout_tables

    ff = opened(face)
    layouts = layout_tables(ff, languages)
    glyphs = {0} | set(ff.nominal(text).values())
    for table in layouts:
        glyphs = table.closure(glyphs)
    for table in layouts:
        table.check(glyphs)
    subset = Subset(ff, text, glyphs)
    tables = subset.tables()
    tables.update(subset.vertical())
    for table in layouts:
        data = table.compile(subset.new_id)
        if data:
            tables[table.tag] = data
    if "BASE" in ff and base_is_portable(ff.table("BASE")):
        tables["BASE"] = ff.table("BASE")
    # glyf goes untransformed: WOFF2's glyf transform in Python costs more than the build saves
    return _woff2(TTFont(io.BytesIO(sfnt(tables)), recalcBBoxes=False, recalcTimestamp=False), False)


def _fonttools_woff2(face: Face, text: str) -> bytes:
    """The EPUB font made by fontTools' subsetter (CFF outlines kept), for faces fontlayout cannot do."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from zhengji_publish.fontlayout import FEATURES

    font = TTFont(face.path, fontNumber=face.index, lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    options = subset.Options()
    options.hinting = False  # CJK outlines render well unhinted; hints are a third of the size
    options.desubroutinize = True
    options.drop_tables += ["FFTM"]  # a FontForge build stamp the subsetter cannot subset
    options.layout_features = [*FEATURES["GSUB"], *FEATURES["GPOS"]]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=[ord(c) for c in text])
    sub.subset(font)
    return _woff2(font, True)


def woff2_subset(face: Face, chars: Iterable[str], languages: tuple[str, ...] | None = None) -> bytes:
    """A WOFF2 subset of ``face`` holding ``chars``, with the layout features browsers use (cached).

    ``languages`` are the OpenType language systems of the book's text (``ZHS `` for zh-CN): the
    regional forms of other languages are left out. None keeps every language system.
    """
    text = "".join(sorted(set(chars)))
    flavor = f"woff2|{','.join(languages) if languages is not None else '*'}"
    path = cache_dir() / "woff2" / f"{cache_key(face, text, flavor)}.woff2"
    if path.exists():
        return path.read_bytes()
    try:
        data = _woff2_tables(face, text, languages)
    except (Unsupported, struct.error, IndexError):  # unusual layout tables, or ones this reader misreads
        data = _fonttools_woff2(face, text)
    write_atomic(path, data)
    return data
