"""The regression corpus of the traditional editions (``tests/data/traditional-corpus.tsv``).

Each sentence is converted as one paragraph of a source through the Taiwan and Hong Kong
editions; the expected forms were written by hand. The summary test prints OpenCC's own errors
on the corpus beside ours, so a change in either shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA

from zhengji_publish import editions
from zhengji_publish import model as m
from zhengji_publish.conversion import convert_text
from zhengji_publish.reader import read_text

pytestmark = pytest.mark.unit

CORPUS = DATA / "traditional-corpus.tsv"


def rows() -> list[tuple[str, str, str, str, str]]:
    out = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            mode, simp, tw, hk, note = line.split("\t")
            out.append((mode, simp, tw, hk, note))
    return out


def convert(text: str, tag: str, vocabulary: bool = False) -> str:
    """One paragraph through edition ``tag`` (Taiwan with ``s2twp`` when ``vocabulary``)."""
    front = "opencc: {zh-Hant-TW: s2twp}\n" if vocabulary else ""
    doc = read_text(f"---\nlang: zh-CN\n{front}---\n{text}\n", Path("x.md"))
    out = editions.apply(doc, editions.resolve(tag, doc.meta), quotes="keep")
    return m.plain_text(out.blocks[0].children)


def test_corpus_is_broad():
    found = rows()
    assert len(found) >= 2650
    text = "".join(simp for _, simp, _, _, _ in found)
    for char in "干后面只发台系余范制准松斗历钟复尽冲卷谷表征获汇蒙伙须郁致御志游":
        senses = {tw[i] for _, simp, tw, _, _ in found if len(simp) == len(tw) for i, c in enumerate(simp) if c == char}
        assert text.count(char) >= 5 and len(senses) >= 2, char
    assert sum(mode == "vocabulary" for mode, *_ in found) >= 80


@pytest.mark.parametrize("mode, simp, tw, hk, note", rows(), ids=lambda v: v if len(v) < 20 else None)
def test_sentence(mode, simp, tw, hk, note):
    assert convert(simp, "zh-Hant-TW", vocabulary=mode == "vocabulary") == tw, note
    assert convert(simp, "zh-Hant-HK") == hk, note


def test_errors_of_opencc_and_ours(capsys):
    """OpenCC alone against our conversion on the whole corpus; ours must make no error."""
    opencc_errors = ours = 0
    wrong = []
    for mode, simp, tw, hk, _ in rows():
        for expected, configs, tag, vocabulary in (
            (tw, ("s2twp",) if mode == "vocabulary" else ("s2tw",), "zh-Hant-TW", mode == "vocabulary"),
            (hk, ("s2hk",), "zh-Hant-HK", False),
        ):
            opencc_errors += convert_text(simp, configs) != expected
            got = convert(simp, tag, vocabulary)
            if got != expected:
                ours += 1
                wrong.append(f"{simp} → {got} (expected {expected})")
    with capsys.disabled():
        print(f"\ncorpus of {len(rows())} sentences × 2 editions: OpenCC {opencc_errors} errors, ours {ours}")
    assert opencc_errors > 500  # the corpus tests what OpenCC alone gets wrong
    assert wrong == []
