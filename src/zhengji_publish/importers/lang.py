"""Whether an imported text is written in simplified or traditional characters.

The front matter's ``lang`` decides which OpenCC conversion makes each edition (README,
"Editions"): a traditional text marked ``zh-CN`` would be "converted" to traditional again and its
simplified edition never made. The script is told by which direction of OpenCC changes the text:
simplified text changes under ``s2t`` and hardly under ``t2s``, traditional text the other way.
"""

from __future__ import annotations

from zhengji_publish.importers.report import Note

SAMPLE = 4000  # characters: enough to tell, cheap on a book


def guess_lang(text: str) -> tuple[str, Note | None]:
    """``("zh-CN", None)`` for simplified (or undecided) text; ``("zh-TW", note)`` for traditional."""
    from zhengji_publish.conversion import opencc_converter

    sample = text[:SAMPLE]
    to_simplified = opencc_converter("t2s").convert(sample)
    to_traditional = opencc_converter("s2t").convert(sample)
    traditional = sum(a != b for a, b in zip(sample, to_simplified, strict=False))
    simplified = sum(a != b for a, b in zip(sample, to_traditional, strict=False))
    if traditional >= 5 and traditional > 3 * simplified:
        return "zh-TW", Note(
            "the text is in traditional characters",
            "the front matter says lang: zh-TW (Taiwan); write zh-HK for Hong Kong",
            ("lang",),
        )
    return "zh-CN", None
