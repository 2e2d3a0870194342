"""How long one edition takes to make from a long manuscript (target: under 1 s for 2 MB).

Making an edition is a deep copy of the tree, OpenCC over every text slot with the phrase
corrections protected, and the quotation-mark pass; all three must stay linear in the text. The
check report is timed too, since an editor runs it on the whole book.

Usage::

    python benchmarks/convert_speed.py [--kb 2048]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import make_law  # noqa: E402

from zhengji_publish import ambiguity, editions  # noqa: E402
from zhengji_publish.reader import read_file  # noqa: E402


def measure(kb: int) -> list[tuple[str, float]]:
    """Seconds per step for a generated text of about ``kb`` KiB (quotes added to every paragraph)."""
    text = make_law(kb).replace("。", "，他说：“这是**‘重要’**的。”", 1)
    text = "\n\n".join(
        p if p.startswith(("#", "---", "title", "author")) or not p else p + "他说：“干部‘头发干了’。”"
        for p in text.split("\n\n")
    )
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "law.md"
        src.write_text(text, encoding="utf-8")
        size = src.stat().st_size
        t0 = time.perf_counter()
        doc = read_file(src)
        times = [(f"read {size / 1e6:.2f} MB", time.perf_counter() - t0)]
        editions.apply(doc, editions.resolve("zh-Hant-TW", doc.meta))  # load OpenCC's dictionaries once
        for tag in ("zh-Hant-TW", "zh-Hant-HK", "zh-Hant"):
            edition = editions.resolve(tag, doc.meta)
            t0 = time.perf_counter()
            editions.apply(doc, edition)
            times.append((f"edition {tag}", time.perf_counter() - t0))
        # Conversion by words and context rules against OpenCC alone over the same strings (OpenCC's
        # dictionaries already loaded; the word converter's cache emptied, so every run is segmented).
        from zhengji_publish.conversion import convert_text
        from zhengji_publish.wordconvert import WordConverter

        strings = [slot.get() for slot in editions.text_slots(doc).slots]
        t0 = time.perf_counter()
        convert_text("\n".join(strings), ("s2hk",))
        plain = time.perf_counter() - t0
        words = WordConverter(("s2hk",))
        t0 = time.perf_counter()
        words.convert("\n".join(strings))
        worded = time.perf_counter() - t0
        times.append(("OpenCC alone, s2hk", plain))
        times.append((f"by words, s2hk, cold (×{worded / plain:.1f})", worded))
        t0 = time.perf_counter()
        found = ambiguity.choices(doc, editions.resolve("zh-Hant-TW", doc.meta), text)
        times.append((f"check zh-Hant-TW ({len(found)} places)", time.perf_counter() - t0))
    return times


def one_edition(source: Path, how: str) -> None:
    """Make the zh-Hant-TW edition of ``source`` once, by words (``words``) or by OpenCC alone
    (``opencc``: the converter without the word step, as editions were made before it): the
    command ``run.py`` times in a child process for its "traditional edition" section."""
    from zhengji_publish import conversion

    doc = read_file(source)
    edition = editions.resolve("zh-Hant-TW", doc.meta)
    if how == "opencc":
        editions.converter = lambda ed, overrides=None: conversion.Converter(  # type: ignore[assignment]
            ed.configs, conversion.phrase_tables(ed.configs, overrides)
        )
    editions.apply(doc, edition)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kb", type=int, default=2048, help="size of the generated text in KiB (default 2048)")
    p.add_argument("--edition", choices=("words", "opencc"), help="only make the zh-Hant-TW edition of --source")
    p.add_argument("--source", type=Path, help="the source of --edition")
    args = p.parse_args(argv)
    if args.edition:
        one_edition(args.source, args.edition)
        return 0
    for what, seconds in measure(args.kb):
        print(f"{what:40} {seconds:6.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
