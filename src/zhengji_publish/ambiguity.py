"""The ambiguity report: where a character with several traditional forms was converted, and how.

A simplified character such as 干 (幹 乾 干 榦) or 发 (發 髮) has more than one traditional form;
OpenCC picks one from the phrase around it, and a wrong pick reads as a typo. ``zhengji-publish
check SOURCE -e zh-Hant-TW`` lists every such place with its source line and column, the text
around it and the form chosen, so an editor can read the list instead of the whole edition and
fix a wrong pick in the overrides file. The characters come from OpenCC's own data
(``data/one-to-many.txt``: the entries of STCharacters with more than one candidate).

The conversion is the edition's own (corrections and overrides included), done on the same text
slots as :func:`editions.apply`, so the report shows exactly what the edition prints.

By default only the places where the form depended on the context are listed, most doubtful first
(see :mod:`wordconvert`: a character with context rules that no rule decided, then a rule's
choice, then a form a dictionary word gave); a character printed in its usual form with nothing
to decide (家 → 家, 了 → 了) is left out. ``--all`` lists every place in source order.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from zhengji_publish import editions, wordconvert
from zhengji_publish import model as m
from zhengji_publish.conversion import convert_text, direction
from zhengji_publish.wordconvert import one_to_many, word_converter

__all__ = ["Choice", "choices", "one_to_many", "report", "summary"]

CONTEXT = 6  # characters shown on each side
_SEARCH_LINES = 60  # how far past a block's first line its text is looked for


@dataclass(frozen=True)
class Choice:
    """One converted one-to-many character: where, which form, and the source text around it."""

    line: int
    col: int
    char: str
    chosen: str
    before: str
    after: str
    cut_before: bool  # the context was cut short on that side
    cut_after: bool
    doubt: int = 0  # wordconvert.DOUBT_*: 0 nothing was decided, higher is more doubtful
    how: str = ""  # the rule that chose, or how OpenCC did
    alternatives: tuple[str, ...] = ()  # the character's other forms in the edition
    slot: int = -1  # the index of its string in editions.text_slots(doc).slots
    tail: int = 0  # how far before that string's converted end its chosen form starts

    @property
    def context(self) -> str:
        return ("…" if self.cut_before else "") + self.before + self.char + self.after + ("…" if self.cut_after else "")

    def format(self, path: str) -> str:
        return f"{path}:{self.line}:{self.col}: {self.char} → {self.chosen} in “{self.context}”"

    def format_ranked(self, path: str) -> str:
        others = "/".join(self.alternatives) or "none"
        where = f"{path}:{self.line}:{self.col}"
        return f"{where}: {self.char} → {self.chosen} (not {others}) in “{self.context}”: {self.how}"


@functools.cache
def _pattern() -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in one_to_many()) + "]")


class _Locator:
    """Finds each character's column in the source, reading each text run forward from its line."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.cursor: dict[int, tuple[int, int]] = {}

    def find(self, unit: int, first_line: int, text: str, i: int) -> tuple[int, int]:
        start = self.cursor.get(unit, (max(first_line - 1, 0), 0))
        for needle in (text[i : i + 3], text[i]):
            row, col = start
            while row < len(self.lines) and row <= start[0] + _SEARCH_LINES:
                k = self.lines[row].find(needle, col)
                if k >= 0:
                    self.cursor[unit] = (row, k + 1)
                    return row + 1, k + 1
                row, col = row + 1, 0
        return max(first_line, 1), 1


def _spans(source: str, converted: str, configs: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where each source character's converted form lies in ``converted``: ``(start, end)`` offsets.

    Character forms keep the length; a vocabulary change (``s2twp``: 方便面 → 泡麵) does not, and
    then the changed run is matched from both ends character by character as far as a character's
    own conversion allows, and each character left is given the whole phrase it became.
    """
    if len(source) == len(converted):
        return [(i, i + 1) for i in range(len(source))]

    def same(a: str, b: str) -> bool:
        return b == a or b in one_to_many().get(a, ()) or convert_text(a, configs) == b

    out = [(0, 0)] * len(source)
    for _op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, source, converted, autojunk=False).get_opcodes():
        if a2 - a1 == b2 - b1:
            out[a1:a2] = [(b1 + k, b1 + k + 1) for k in range(a2 - a1)]
            continue
        while a1 < a2 and b1 < b2 and same(source[a1], converted[b1]):
            out[a1], a1, b1 = (b1, b1 + 1), a1 + 1, b1 + 1
        while a1 < a2 and b1 < b2 and same(source[a2 - 1], converted[b2 - 1]):
            out[a2 - 1], a2, b2 = (b2 - 1, b2), a2 - 1, b2 - 1
        for k in range(a1, a2):
            out[k] = (b1, b2)
    return out


def choices(
    doc: m.Document,
    edition: editions.Edition,
    source_text: str,
    overrides: Mapping[str, str] | None = None,
    everything: bool = True,
) -> list[Choice]:
    """The one-to-many characters the edition converts, sorted by source position: every one, or
    with ``everything`` false only those whose form depended on the context."""
    if direction(edition.configs) != "s2t":
        return []
    found = editions.text_slots(doc)
    sources = [slot.get() for slot in found.slots]
    converted = editions.converter(edition, overrides).convert_many(sources)
    locator = _Locator(source_text.split("\n"))
    pattern = _pattern()
    words = word_converter(edition.configs)
    seen: dict[tuple[int, int, str], Choice] = {}
    for index, (slot, src, out) in enumerate(zip(found.slots, sources, converted, strict=True)):
        spans: list[tuple[int, int]] | None = None
        decided: dict[int, wordconvert.Decision] | None = None
        for match in pattern.finditer(src):
            i = match.start()
            if spans is None or decided is None:
                spans = _spans(src, out, edition.configs)
                decided = dict(words.decisions(src))
            start, end = spans[i]
            chosen = out[start:end]
            decision = decided.get(i)
            doubt, how = (decision.doubt, decision.how) if decision else (0, "")
            if decision and chosen != decision.chosen:  # a correction or the user's override won
                doubt, how = wordconvert.DOUBT_WORD, "a phrase of the corrections or of the overrides file"
            if not everything and doubt == 0:
                continue
            line, col = locator.find(slot.unit, slot.line, src, i)
            choice = Choice(
                line,
                col,
                src[i],
                chosen,
                src[max(0, i - CONTEXT) : i],
                src[i + 1 : i + 1 + CONTEXT],
                i > CONTEXT,
                len(src) - i - 1 > CONTEXT,
                doubt,
                how,
                tuple(words.alternatives(src[i], chosen)),
                index,
                len(out) - start,
            )
            seen.setdefault((line, col, src[i]), choice)
    return sorted(seen.values(), key=lambda c: (c.line, c.col))


def summary(found: list[Choice]) -> list[str]:
    """One line per character, most frequent first: 干 ×12: 幹 10, 乾 2."""
    per_char = Counter(c.char for c in found)
    forms: dict[str, Counter[str]] = {}
    for c in found:
        forms.setdefault(c.char, Counter())[c.chosen] += 1
    return [
        f"  {char} ×{count}: " + ", ".join(f"{form} {n}" for form, n in forms[char].most_common())
        for char, count in sorted(per_char.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def ranked(found: list[Choice]) -> list[Choice]:
    """The doubtful places, most doubtful first, then in source order."""
    return sorted(found, key=lambda c: (-c.doubt, c.line, c.col))


@dataclass
class EditionReport:
    """One edition's check: its tag, its configs and the places found."""

    tag: str
    configs: str
    found: list[Choice]
    converts: bool  # False: no simplified → traditional conversion to check


def gather(
    path: Path, tags: list[str], everything: bool, book: m.Document | None = None
) -> tuple[m.Document, str, list[EditionReport]]:
    """The source read, its text, and the check of each edition (``tags``, else the front matter's).

    ``book`` is the book (its metadata, editions, OpenCC configs and overrides) whose chapter
    ``path`` is, when it is one (:mod:`zhengji_publish.manifest`)."""
    from zhengji_publish.reader import decode_source, read_file

    doc = read_file(path)
    text = decode_source(path.read_bytes(), path)
    settings = book or doc
    overrides = editions.overrides_for(settings)
    out = []
    for tag in tags or list(settings.meta.editions) or [editions.own_edition(settings.meta.lang)]:
        edition = editions.resolve(tag, settings.meta)
        configs = "+".join(edition.configs) or "no conversion"
        if direction(edition.configs) != "s2t":
            out.append(EditionReport(tag, configs, [], False))
            continue
        found = choices(doc, edition, text, overrides, everything)
        out.append(EditionReport(tag, configs, found if everything else ranked(found), True))
    return doc, text, out


def report(
    path: Path, tags: list[str], everything: bool = False, form: str = "text", book: m.Document | None = None
) -> str:
    """The text of ``zhengji-publish check``: per edition, the doubtful places most doubtful first
    (``everything``: every place in source order, then a count per character); ``form`` is
    ``text``, ``tsv`` (one header line, then one place a line) or ``json`` (a list of editions)."""
    _, _, reports = gather(path, tags, everything, book)
    if form == "json":
        import json

        data = [
            {
                "source": str(path),
                "edition": r.tag,
                "configs": r.configs,
                "places": [
                    {
                        "line": c.line,
                        "column": c.col,
                        "char": c.char,
                        "chosen": c.chosen,
                        "alternatives": list(c.alternatives),
                        "context": c.context,
                        "doubt": c.doubt,
                        "rule": c.how,
                    }
                    for c in r.found
                ],
            }
            for r in reports
        ]
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if form == "tsv":
        rows = ["source\tedition\tline\tcolumn\tchar\tchosen\talternatives\tdoubt\tcontext\trule"]
        for r in reports:
            for c in r.found:
                fields = [str(path), r.tag, str(c.line), str(c.col), c.char, c.chosen, " ".join(c.alternatives)]
                fields += [str(c.doubt), c.context, c.how]
                rows.append("\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields))
        return "\n".join(rows) + "\n"
    lines: list[str] = []
    for r in reports:
        if not r.converts:
            lines.append(f"{path}: {r.tag} ({r.configs}): no simplified → traditional conversion to check")
        elif everything:
            lines += [c.format(str(path)) for c in r.found]
            lines.append(f"{path}: {r.tag} ({r.configs}): {len(r.found)} characters with several traditional forms")
            lines += summary(r.found)
        else:
            lines += [c.format_ranked(str(path)) for c in r.found]
            lines.append(f"{path}: {r.tag} ({r.configs}): {len(r.found)} places where the form depended on the context")
    return "\n".join(lines) + "\n"
