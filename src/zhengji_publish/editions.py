"""Editions: a BCP 47 tag, the OpenCC configs that make it, and the transform of the tree.

An edition is made once per build, on a copy of the tree, before any writer runs: every text a
reader sees (body, headings, captions, alt text, footnotes, metadata) is converted; code, URLs and
image paths are not. Writers receive the converted tree and the :class:`Edition` record.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from zhengji_publish import model as m
from zhengji_publish.diagnostics import Diagnostic, UserError


@dataclass(frozen=True)
class Edition:
    """What an edition is: its tag and the facts every writer needs about its language."""

    tag: str  # BCP 47 edition tag, used in file names: zh-Hans, zh-Hant-TW, zh-Hant-HK
    lang: str  # language tag written into EPUB/PDF metadata: zh-CN, zh-Hant-TW, zh-Hant-HK
    word_lang: str  # w:lang w:eastAsia for DOCX: zh-CN, zh-TW, zh-HK
    region: str  # face of a CJK collection: SC, TC or HK
    traditional: bool
    configs: tuple[str, ...] = ()  # OpenCC configs applied in order (empty: text as written)

    @property
    def punctuation(self) -> str:
        """Punctuation layout: 'gb' (mainland, compressed) or 'centred' (Taiwan/Hong Kong)."""
        return "centred" if self.traditional else "gb"


# Edition tag → (metadata lang, Word lang, font region, traditional?)
EDITIONS: dict[str, tuple[str, str, str, bool]] = {
    "zh-Hans": ("zh-CN", "zh-CN", "SC", False),
    "zh-Hant-TW": ("zh-Hant-TW", "zh-TW", "TC", True),
    "zh-Hant-HK": ("zh-Hant-HK", "zh-HK", "HK", True),
}

# The script a source is written in, from its front-matter ``lang``.
_SOURCE_SCRIPT = {
    "zh": "hans", "zh-cn": "hans", "zh-hans": "hans", "zh-sg": "hans", "zh-hans-cn": "hans",
    "zh-hans-sg": "hans", "zh-my": "hans",
    "zh-tw": "tw", "zh-hant-tw": "tw",
    "zh-hk": "hk", "zh-hant-hk": "hk", "zh-mo": "hk", "zh-hant-mo": "hk",
    "zh-hant": "hant",
}

# Default OpenCC configs: (source script, edition) → configs. s2tw/s2hk change character forms
# only; vocabulary conversion (s2twp) is opt-in through the front matter's ``opencc`` key.
_DEFAULT_CONFIGS: dict[tuple[str, str], tuple[str, ...]] = {
    ("hans", "zh-Hans"): (),
    ("hans", "zh-Hant-TW"): ("s2tw",),
    ("hans", "zh-Hant-HK"): ("s2hk",),
    ("hant", "zh-Hans"): ("t2s",),
    ("hant", "zh-Hant-TW"): ("t2tw",),
    ("hant", "zh-Hant-HK"): ("t2hk",),
    ("tw", "zh-Hans"): ("tw2s",),
    ("tw", "zh-Hant-TW"): (),
    ("tw", "zh-Hant-HK"): ("tw2t", "t2hk"),
    ("hk", "zh-Hans"): ("hk2s",),
    ("hk", "zh-Hant-TW"): ("hk2t", "t2tw"),
    ("hk", "zh-Hant-HK"): (),
}

_OPENCC_CONFIGS = {
    "s2t", "s2tw", "s2twp", "s2hk", "t2s", "t2tw", "t2hk", "tw2s", "tw2sp", "tw2t", "hk2s", "hk2t",
    "s2hkp", "hk2sp", "t2jp", "jp2t",
}


def source_script(lang: str) -> str | None:
    return _SOURCE_SCRIPT.get(lang.lower())


def own_edition(lang: str) -> str:
    """The edition a source is already in (used when the front matter names none)."""
    return {"hans": "zh-Hans", "tw": "zh-Hant-TW", "hk": "zh-Hant-HK", "hant": "zh-Hant-TW"}.get(
        source_script(lang) or "hans", "zh-Hans")


def check_edition_tags(meta: m.Meta, path: Path, line_of: Callable[[str], int]) -> None:
    """Front-matter checks that need edition knowledge: lang, editions and opencc overrides."""
    problems = []
    if source_script(meta.lang) is None:
        problems.append(Diagnostic(f"unsupported source language '{meta.lang}'",
                                   "use zh-CN, zh-Hans, zh-TW, zh-HK or zh-Hant", path, line_of("lang"), 1))
    for tag in meta.editions:
        if tag not in EDITIONS:
            problems.append(Diagnostic(f"unknown edition '{tag}'", "editions are " + ", ".join(EDITIONS),
                                       path, line_of("editions"), 1))
    for tag, config in meta.opencc.items():
        if tag not in EDITIONS:
            problems.append(Diagnostic(f"'opencc' names unknown edition '{tag}'",
                                       "editions are " + ", ".join(EDITIONS), path, line_of("opencc"), 1))
        for name in config.split("+"):
            if name.removesuffix(".json") not in _OPENCC_CONFIGS:
                problems.append(Diagnostic(f"unknown OpenCC config '{name}'",
                                           "use one of " + ", ".join(sorted(_OPENCC_CONFIGS)),
                                           path, line_of("opencc"), 1))
    if problems:
        raise UserError(problems)


def resolve(tag: str, meta: m.Meta) -> Edition:
    """The :class:`Edition` for ``tag`` given the source's language and its ``opencc`` overrides."""
    if tag not in EDITIONS:
        raise UserError(Diagnostic(f"unknown edition '{tag}'", "editions are " + ", ".join(EDITIONS)),
                        exit_code=2)
    lang, word_lang, region, traditional = EDITIONS[tag]
    script = source_script(meta.lang) or "hans"
    if tag in meta.opencc:
        configs = tuple(c.removesuffix(".json") for c in meta.opencc[tag].split("+"))
    else:
        configs = _DEFAULT_CONFIGS[(script, tag)]
    if tag == "zh-Hans" and script == "hans":
        lang = meta.lang if meta.lang.lower() not in ("zh", "zh-hans") else "zh-CN"
    return Edition(tag, lang, word_lang, region, traditional, configs)


@functools.cache
def _converter(config: str):
    import opencc  # imported only when an edition needs it

    return opencc.OpenCC(config)


def convert_text(text: str, configs: tuple[str, ...]) -> str:
    for config in configs:
        text = _converter(config).convert(text)
    return text


class _Collector:
    """Gathers every convertible string slot in the tree so OpenCC runs once over all of them."""

    def __init__(self) -> None:
        self.slots: list[tuple[object, str]] = []

    def add(self, obj: object, attr: str) -> None:
        if getattr(obj, attr):
            self.slots.append((obj, attr))

    def inlines(self, nodes: list[m.Inline]) -> None:
        for n in nodes:
            if isinstance(n, m.Text):
                self.add(n, "text")
            elif isinstance(n, m.INLINE_CONTAINERS):
                self.inlines(n.children)
            elif isinstance(n, m.Image):
                self.add(n, "alt")
                self.add(n, "title")

    def blocks(self, blocks: list[m.Block]) -> None:
        for b in blocks:
            if isinstance(b, (m.Heading, m.Paragraph)):
                self.inlines(b.children)
            elif isinstance(b, m.Figure):
                self.inlines([b.image])
                self.inlines(b.caption)
            elif isinstance(b, (m.BlockQuote, m.Div)):
                self.blocks(b.children)
            elif isinstance(b, m.ListBlock):
                for item in b.items:
                    self.blocks(item.children)
            elif isinstance(b, m.Table):
                for cell in b.header + [c for row in b.rows for c in row]:
                    self.inlines(cell.children)


def apply(doc: m.Document, edition: Edition) -> m.Document:
    """A converted copy of ``doc`` for ``edition`` (the original is left untouched)."""
    out = copy.deepcopy(doc)
    out.edition = edition.tag
    out.meta.lang = edition.lang
    if not edition.configs:
        return out
    col = _Collector()
    for attr in ("title", "subtitle", "publisher", "subject", "description", "rights"):
        col.add(out.meta, attr)
    col.blocks(out.blocks)
    for fn in out.footnotes:
        col.blocks(fn.children)
    strings = [getattr(o, a) for o, a in col.slots] + out.meta.authors + out.meta.keywords
    converted = _convert_many(strings, edition.configs)
    for (obj, attr), value in zip(col.slots, converted[: len(col.slots)], strict=True):
        setattr(obj, attr, value)
    n = len(col.slots)
    out.meta.authors = converted[n:n + len(out.meta.authors)]
    out.meta.keywords = converted[n + len(out.meta.authors):]
    return out


_SEP = "\n"


def _convert_many(strings: list[str], configs: tuple[str, ...]) -> list[str]:
    """Convert many strings with one OpenCC call per config (newline never joins a phrase)."""
    if not strings:
        return []
    if any(_SEP in s for s in strings):
        return [convert_text(s, configs) for s in strings]
    joined = convert_text(_SEP.join(strings), configs)
    parts = joined.split(_SEP)
    if len(parts) != len(strings):  # cannot happen with OpenCC, but never misalign text
        return [convert_text(s, configs) for s in strings]
    return parts
