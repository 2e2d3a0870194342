"""OpenCC conversion with phrase tables that win over OpenCC's own segmentation.

OpenCC cuts text into phrases by longest forward match on its dictionaries, so a context such as
头发干了 is cut 头发/干了 and 干 becomes 幹, and 参与制造 is cut 参与制/造. A phrase table fixes
such contexts: before OpenCC runs, every phrase of the table is found leftmost-longest (one
regular expression over the whole text, linear in its length) and replaced by a private-use
placeholder that OpenCC passes through untouched; after OpenCC, each placeholder is replaced by
the phrase's traditional form. The placeholder is a segment boundary for OpenCC, exactly where
the phrase's own boundary is, so the text around it converts as it would next to that phrase.
No OpenCC configuration is written, so no temporary files exist.

Two tables feed it: the corrections shipped in ``data/corrections.txt`` (for every simplified →
traditional edition) and the user's own overrides file named in the front matter, which wins over
the shipped corrections. The text between the phrases goes through the converter's ``base``: for a
simplified → traditional edition the conversion by words and context rules of :mod:`wordconvert`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path

from zhengji_publish.diagnostics import Diagnostic, UserError
from zhengji_publish.paths import os_error

# OpenCC step that brings OpenCC's standard traditional forms to an edition's regional forms; the
# shipped corrections are written in standard forms and pass through it.
VARIANT_STEP = {"s2tw": "t2tw", "s2twp": "t2tw", "s2hk": "t2hk", "s2hkp": "t2hk", "s2t": ""}

# Placeholder candidates: private-use characters, the first one absent from the text is used.
_PLACEHOLDERS = (chr(0xE000), chr(0xF8FF), chr(0xF0000), chr(0x10FFFD))


@functools.cache
def opencc_converter(config: str):
    """One OpenCC converter per config for the whole process (building one reads its dictionaries)."""
    import opencc  # imported only when an edition needs it

    return opencc.OpenCC(config)


def convert_text(text: str, configs: tuple[str, ...]) -> str:
    """``text`` through each OpenCC config in turn (no phrase table)."""
    for config in configs:
        text = opencc_converter(config).convert(text)
    return text


def direction(configs: tuple[str, ...]) -> str:
    """'s2t', 't2s' or '' (traditional → traditional, or nothing to do) for a config chain."""
    if not configs:
        return ""
    if configs[0].startswith("s2"):
        return "s2t"
    if configs[-1].endswith(("2s", "2sp")):
        return "t2s"
    return ""


# ---------------------------------------------------------------- phrase files


def parse_phrases(text: str, path: str | Path) -> dict[str, str]:
    """``simplified<TAB>traditional`` lines → mapping; every bad line is a located error.

    Blank lines and lines starting with ``#`` are skipped. A line without exactly one TAB, an
    empty side, a side with spaces at its ends or a key given twice with different values is an
    error naming the line and column, so a typo never silently changes the text.
    """
    phrases: dict[str, str] = {}
    first_line: dict[str, int] = {}
    problems: list[Diagnostic] = []
    hint = "write one phrase a line: simplified text, a TAB, traditional text"
    for lineno, line in enumerate(text.removeprefix("\ufeff").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 2:
            col = len(fields[0]) + len(fields[1]) + 2 if len(fields) > 2 else 1
            what = "more than one TAB" if len(fields) > 2 else "no TAB between the two forms"
            problems.append(Diagnostic(f"phrase line has {what}", hint, path, lineno, col))
            continue
        key, value = fields
        if not key or not value:
            problems.append(
                Diagnostic("phrase line has an empty side", hint, path, lineno, 1 if not key else len(key) + 2)
            )
        elif key != key.strip() or value != value.strip():
            col = 1 if key != key.strip() else len(key) + 2
            problems.append(
                Diagnostic(
                    "phrase has spaces at its start or end",
                    "remove them: spaces would be matched literally",
                    path,
                    lineno,
                    col,
                )
            )
        elif key in phrases and phrases[key] != value:
            problems.append(
                Diagnostic(
                    f"'{key}' is given twice with different forms",
                    f"line {first_line[key]} already maps it to '{phrases[key]}'; keep one",
                    path,
                    lineno,
                    1,
                )
            )
        else:
            phrases[key] = value
            first_line.setdefault(key, lineno)
    if problems:
        raise UserError(problems)
    return phrases


def load_overrides(path: str | Path) -> dict[str, str]:
    """The user's phrase overrides file (``overrides:`` in the front matter), checked line by line."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(
            Diagnostic(
                "overrides file not found",
                "create it beside the source, or correct 'overrides' in the front matter",
                path,
            )
        ) from None
    except OSError as exc:
        raise os_error(exc, "read the overrides file", path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserError(Diagnostic("overrides file is not UTF-8", "save it as UTF-8", path, line, 1)) from None
    return parse_phrases(text, path)


@functools.cache
def shipped_corrections() -> dict[str, str]:
    """The curated corrections in OpenCC's standard traditional forms (``data/corrections.txt``)."""
    ref = resources.files("zhengji_publish") / "data" / "corrections.txt"
    return parse_phrases(ref.read_text(encoding="utf-8"), "zhengji_publish/data/corrections.txt")


# A region's own usage where it differs from OpenCC's phrase choices, by the variant step of its
# editions: simplified word → the region's form (see the file's comments for the sources).
_USAGE_FILES = {"t2tw": "taiwan-usage.txt"}


@functools.cache
def regional_usage(step: str) -> dict[str, str]:
    """The region's usage for the editions whose variant step is ``step`` (``t2tw``: Taiwan and the
    generic zh-Hant, ``data/taiwan-usage.txt``); empty for any other step (Hong Kong keeps OpenCC's
    phrases). Raises :class:`UserError` naming the line of a bad entry."""
    name = _USAGE_FILES.get(step)
    if not name:
        return {}
    ref = resources.files("zhengji_publish") / "data" / name
    return parse_phrases(ref.read_text(encoding="utf-8"), f"zhengji_publish/data/{name}")


def usage_in_traditional(text: str, step: str) -> str:
    """``text``, traditional in the forms of variant ``step``, with each word of the region's usage
    that OpenCC wrote its own way (發佈) in the region's form (發布): for hand-written phrases only,
    since the match is not bounded by words."""
    for simplified, form in regional_usage(step).items():
        text = text.replace(convert_text(simplified, ("s2t", step)), form)
    return text


@functools.cache
def _regional_corrections(step: str) -> tuple[tuple[str, str], ...]:
    """The shipped corrections through OpenCC's ``step`` (t2tw, t2hk) and the region's usage, kept
    in the cache: loading that OpenCC dictionary costs more than converting a short article."""
    import json

    import opencc

    from zhengji_publish.cache import cached_bytes

    items = shipped_corrections().items()
    if not step:
        return tuple(items)
    usage = "|".join(f"{k}\t{v}" for k, v in regional_usage(step).items())
    key = f"corrections|{step}|opencc {getattr(opencc, '__version__', '?')}|usage {usage}|" + "|".join(
        f"{k}\t{v}" for k, v in items
    )
    data = cached_bytes(
        "corrections",
        key,
        lambda: json.dumps(
            [(k, usage_in_traditional(convert_text(v, (step,)), step)) for k, v in items], ensure_ascii=False
        ).encode("utf-8"),
    )
    return tuple((k, v) for k, v in json.loads(data))


def phrase_tables(configs: tuple[str, ...], overrides: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """The phrase tables that win over OpenCC for a config chain, the strongest first.

    Simplified → traditional: the user's overrides, then the shipped corrections in the chain's
    regional forms. Traditional → simplified: the user's overrides read backwards (traditional →
    simplified). Anything else: none.
    """
    overrides = dict(overrides or {})
    way = direction(configs)
    if way == "s2t":
        return [overrides, dict(_regional_corrections(VARIANT_STEP.get(configs[0], "")))]
    if way == "t2s":
        return [{trad: simp for simp, trad in overrides.items()}]
    return []


# ---------------------------------------------------------------- conversion


class Converter:
    """Converts text for one config chain with phrase tables protected from OpenCC.

    The tables are applied strongest first: a phrase of a later table is looked for only in the
    text no earlier table claimed, so a user's override always beats a shipped correction, even
    a longer one that overlaps it.
    """

    def __init__(
        self,
        configs: tuple[str, ...],
        tables: Sequence[Mapping[str, str]] | None = None,
        base: Callable[[str], str] | None = None,
    ) -> None:
        self.configs = configs
        self.base = base  # converts the text between the phrases (by words: wordconvert)
        self.tables = [dict(t) for t in tables or () if t]
        # Leftmost match; among phrases starting there, the first alternative, so the longest first.
        self._patterns = [re.compile("|".join(map(re.escape, sorted(t, key=len, reverse=True)))) for t in self.tables]

    def convert(self, text: str) -> str:
        if not self.configs:
            return text
        if not self.tables:
            return self._base(text)
        marks = [c for c in _PLACEHOLDERS if c not in text][: len(self.tables)]
        if len(marks) < len(self.tables):  # the text holds the placeholders: convert it around them
            return "".join(
                part if part in _PLACEHOLDERS else self.convert(part)
                for part in re.split(f"([{''.join(_PLACEHOLDERS)}])", text)
            )
        held: dict[str, list[str]] = {}
        for table, pattern, mark in zip(self.tables, self._patterns, marks, strict=False):
            text, held[mark] = _hold(text, pattern, table, mark)
        converted = self._base(text)
        queues = {mark: iter(values) for mark, values in held.items()}
        out = re.sub(f"[{''.join(marks)}]", lambda match: next(queues[match.group()]), converted)
        if any(next(q, None) is not None for q in queues.values()):  # OpenCC never drops a placeholder
            raise RuntimeError("OpenCC changed a phrase placeholder")
        return out

    def _base(self, text: str) -> str:
        """The conversion of ``text`` outside the phrases: ``base`` if given, else OpenCC's."""
        if self.base is not None:
            return self.base(text)
        return convert_text(text, self.configs)

    def convert_many(self, strings: list[str]) -> list[str]:
        """Many strings with one OpenCC call per config (a newline never joins a phrase)."""
        if not strings or not self.configs:
            return list(strings)
        if any("\n" in s for s in strings):
            return [self.convert(s) for s in strings]
        parts = self.convert("\n".join(strings)).split("\n")
        if len(parts) != len(strings):  # cannot happen with OpenCC, but never misalign text
            return [self.convert(s) for s in strings]
        return parts


def _hold(text: str, pattern: re.Pattern[str], table: Mapping[str, str], mark: str) -> tuple[str, list[str]]:
    """``text`` with every phrase of ``table`` replaced by ``mark``, and their forms in order."""
    found: list[str] = []

    def replace(match: re.Match[str]) -> str:
        found.append(table[match.group()])
        return mark

    return pattern.sub(replace, text), found
