"""Where a display line (a centred title) may break: between words, never inside one.

GB/T 9704-2012 §7.3.1 asks a title broken over lines to keep the sense of its words whole (回行时，
要做到词意完整) and to stand symmetric; body text breaks between any two Han characters, as clreq
allows, but a title broken as ``关于做好2026`` / ``年暑期…`` reads wrong. Words are jieba's (the
segmenter the traditional editions use, dictionary only); a number and the unit or classifier after
it (``2026年``, ``3个``: jieba's ``m`` and ``q`` words) count as one word.
"""

from __future__ import annotations

from zhengji_publish.segmenter import segment, tag_of

_UNIT_TAGS = ("m", "q")  # numerals, units of time (年, 月, 日) and classifiers (个, 次)


def word_starts(text: str) -> set[int]:
    """Offsets (characters into ``text``) where a word starts, so where a title may break; the
    offsets 0 and ``len(text)`` are in it."""
    starts = {0, len(text)}
    at = 0
    previous = ""
    for word in segment([text])[0] if text else []:
        number_then_unit = previous[-1:].isdigit() and tag_of(word) in _UNIT_TAGS
        if not number_then_unit:
            starts.add(at)
        at += len(word)
        previous = word
    return starts
