"""Editions: a BCP 47 tag, the OpenCC configs that make it, and the transform of the tree.

An edition is made once per build, on a copy of the tree, before any writer runs: every text a
reader sees (body, headings, captions, alt text, table cells, footnotes, metadata) is converted;
code, URLs and image paths are not. Writers receive the converted tree and the :class:`Edition`
record, so the running header, the EPUB navigation and the DOCX properties are converted too.

Editions and their default OpenCC configs for a simplified source (a front-matter
``opencc: {zh-Hant-TW: s2twp}`` replaces the default of one edition; vocabulary conversion such
as ``s2twp`` is never a default):

- ``zh-Hant-TW``: ``s2tw``, Taiwan character forms (為, 裡, 著, 臺), no vocabulary change; the
  words Taiwan writes otherwise than OpenCC's phrases (發布, 公布, 計畫: ``data/taiwan-usage.txt``,
  see :func:`conversion.regional_usage`) in Taiwan's form.
- ``zh-Hant-HK``: ``s2hk``, Hong Kong character forms (為, 裏, 着, 台).
- ``zh-Hant``: generic traditional Chinese, also ``s2tw`` with Taiwan's usage. OpenCC's ``s2t`` writes OpenCC's own
  standard forms (爲, 裏, 着), which no region prints; the Taiwan forms are the most widely read
  traditional forms in print and on screen, so a reader anywhere sees familiar characters. It is
  tagged ``zh-Hant`` (no region) in EPUB/PDF metadata, ``zh-TW`` for Word, with the TC faces.
- ``zh-Hans``: the text as written; from a traditional source ``tw2s``, ``hk2s`` or ``t2s``.

台 and 臺: Taiwan's official standard form is 臺 (臺灣, 臺北), which ``s2tw`` writes; 台 is common
in everyday Taiwan print, so a publisher who wants it lists ``台湾<TAB>台灣`` (and 台北 …) in the
overrides file. Hong Kong keeps 台 (``s2hk``). The typhoon is 颱風 everywhere.

Quotation marks become corner brackets 「『』」 in the traditional editions (see :mod:`quotes`),
phrase corrections and user overrides win over OpenCC's segmentation (see :mod:`conversion`), and
the rest of a simplified text is converted by words and context rules (see :mod:`wordconvert`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from zhengji_publish import model as m
from zhengji_publish import quotes as quote_marks
from zhengji_publish.conversion import Converter, direction, load_overrides, phrase_tables
from zhengji_publish.diagnostics import Diagnostic, UserError
from zhengji_publish.suggest import did_you_mean

__all__ = [
    "EDITIONS",
    "Edition",
    "apply",
    "canonical_edition",
    "load_overrides",
    "overrides_for",
    "resolve",
    "text_slots",
]


@dataclass(frozen=True)
class Edition:
    """What an edition is: its tag and the facts every writer needs about its language."""

    tag: str  # BCP 47 edition tag, used in file names: zh-Hans, zh-Hant-TW, zh-Hant-HK
    lang: str  # language tag written into EPUB/PDF metadata: zh-CN, zh-Hant-TW, zh-Hant-HK
    word_lang: str  # w:lang w:eastAsia for DOCX: zh-CN, zh-TW, zh-HK
    region: str  # face of a CJK collection: SC, TC or HK
    traditional: bool
    configs: tuple[str, ...] = ()  # OpenCC configs applied in order (empty: text as written)


# Edition tag → (metadata lang, Word lang, font region, traditional?)
EDITIONS: dict[str, tuple[str, str, str, bool]] = {
    "zh-Hans": ("zh-CN", "zh-CN", "SC", False),
    "zh-Hant-TW": ("zh-Hant-TW", "zh-TW", "TC", True),
    "zh-Hant-HK": ("zh-Hant-HK", "zh-HK", "HK", True),
    "zh-Hant": ("zh-Hant", "zh-TW", "TC", True),
}

# The script a source is written in, from its front-matter ``lang``.
_SOURCE_SCRIPT = {
    "zh": "hans",
    "zh-cn": "hans",
    "zh-hans": "hans",
    "zh-sg": "hans",
    "zh-hans-cn": "hans",
    "zh-hans-sg": "hans",
    "zh-my": "hans",
    "zh-tw": "tw",
    "zh-hant-tw": "tw",
    "zh-hk": "hk",
    "zh-hant-hk": "hk",
    "zh-mo": "hk",
    "zh-hant-mo": "hk",
    "zh-hant": "hant",
}

# Default OpenCC configs: (source script, edition) → configs. s2tw/s2hk change character forms
# only; vocabulary conversion (s2twp) is opt-in through the front matter's ``opencc`` key. The
# generic zh-Hant edition uses the Taiwan forms (see the module docstring); a source already in
# traditional characters is its own zh-Hant edition, as written.
_DEFAULT_CONFIGS: dict[tuple[str, str], tuple[str, ...]] = {
    ("hans", "zh-Hans"): (),
    ("hans", "zh-Hant-TW"): ("s2tw",),
    ("hans", "zh-Hant-HK"): ("s2hk",),
    ("hans", "zh-Hant"): ("s2tw",),
    ("hant", "zh-Hans"): ("t2s",),
    ("hant", "zh-Hant-TW"): ("t2tw",),
    ("hant", "zh-Hant-HK"): ("t2hk",),
    ("hant", "zh-Hant"): (),
    ("tw", "zh-Hans"): ("tw2s",),
    ("tw", "zh-Hant-TW"): (),
    ("tw", "zh-Hant-HK"): ("tw2t", "t2hk"),
    ("tw", "zh-Hant"): (),
    ("hk", "zh-Hans"): ("hk2s",),
    ("hk", "zh-Hant-TW"): ("hk2t", "t2tw"),
    ("hk", "zh-Hant-HK"): (),
    ("hk", "zh-Hant"): ("hk2t", "t2tw"),
}

_OPENCC_CONFIGS = {
    "s2t",
    "s2tw",
    "s2twp",
    "s2hk",
    "t2s",
    "t2tw",
    "t2hk",
    "tw2s",
    "tw2sp",
    "tw2t",
    "hk2s",
    "hk2t",
    "s2hkp",
    "hk2sp",
    "t2jp",
    "jp2t",
}


# Language tags people write for an edition, and the edition each one means. BCP 47 tags are
# case-insensitive (RFC 5646 §2.1.1), so every edition is also found whatever its case.
EDITION_ALIASES: dict[str, str] = {
    "zh-tw": "zh-Hant-TW",
    "zh-hk": "zh-Hant-HK",
    "zh-cn": "zh-Hans",
    "zh-sg": "zh-Hans",
    "zh-hans-cn": "zh-Hans",
    "zh-hans-sg": "zh-Hans",
}


def canonical_edition(tag: str) -> str | None:
    """The edition ``tag`` names: itself, the same edition in another case (``zh-hant-tw``), or the
    edition of a region tag (``zh-TW`` → ``zh-Hant-TW``, ``zh-CN`` → ``zh-Hans``); ``None`` if none."""
    if tag in EDITIONS:
        return tag
    folded = tag.strip().lower()
    for edition in EDITIONS:
        if edition.lower() == folded:
            return edition
    return EDITION_ALIASES.get(folded)


def edition_alias_note(tag: str, edition: str) -> str:
    """The note printed when a region tag is taken for an edition (the output names show the edition)."""
    return f"edition '{tag}' is built as {edition}"


def unknown_edition_hint(tag: str) -> str:
    """The list of editions, and the nearest one to ``tag`` when one is near (difflib)."""
    suggestion = did_you_mean(tag.strip(), EDITIONS, fold_case=True)
    return "editions are " + ", ".join(EDITIONS) + (f"; {suggestion}" if suggestion else "")


def source_script(lang: str) -> str | None:
    return _SOURCE_SCRIPT.get(lang.lower())


def configs_from_simplified(tag: str) -> tuple[str, ...]:
    """The OpenCC configs that put simplified text into edition ``tag``'s script (``s2tw`` for
    zh-Hant-TW and zh-Hant, ``s2hk`` for zh-Hant-HK, none for zh-Hans): the project's own wording,
    written in simplified Chinese, follows the same forms as a simplified source's edition."""
    return _DEFAULT_CONFIGS[("hans", tag)]


def own_edition(lang: str) -> str:
    """The edition a source is already in (used when the front matter names none)."""
    return {"hans": "zh-Hans", "tw": "zh-Hant-TW", "hk": "zh-Hant-HK", "hant": "zh-Hant"}.get(
        source_script(lang) or "hans", "zh-Hans"
    )


def check_edition_tags(
    meta: m.Meta, path: Path, where: Callable[[str, str | None], tuple[int, int]]
) -> list[Diagnostic]:
    """Front-matter checks that need edition knowledge: lang, editions and opencc overrides.

    ``where(key, item)`` is the 1-based ``(line, column)`` of the value of front-matter ``key``, or
    of ``item`` inside it (:meth:`zhengji_publish.reader.KeyMarks.value`): each message points at
    the tag or config name it is about.

    A region tag for an edition (``zh-TW``) is replaced by the edition it names in ``meta``; the
    notes saying so are returned. Unknown names raise :class:`UserError` with a did-you-mean.
    """
    problems = []
    notes = []
    for i, tag in enumerate(meta.editions):
        edition = canonical_edition(tag)
        if edition and edition != tag:
            meta.editions[i] = edition
            if edition.lower() != tag.strip().lower():
                notes.append(
                    Diagnostic(
                        edition_alias_note(tag, edition),
                        f"its outputs are named *.{edition}.*",
                        path,
                        *where("editions", tag),
                        severity="note",
                    )
                )
    for tag in list(meta.opencc):
        edition = canonical_edition(tag)
        if edition and edition != tag:
            meta.opencc[edition] = meta.opencc.pop(tag)
    if source_script(meta.lang) is None:
        problems.append(
            Diagnostic(
                f"unsupported source language '{meta.lang}'",
                "use zh-CN, zh-Hans, zh-TW, zh-HK or zh-Hant",
                path,
                *where("lang", None),
            )
        )
    for tag in meta.editions:
        if tag not in EDITIONS:
            problems.append(
                Diagnostic(f"unknown edition '{tag}'", unknown_edition_hint(tag), path, *where("editions", tag))
            )
    for tag, config in meta.opencc.items():
        if tag not in EDITIONS:
            problems.append(
                Diagnostic(
                    f"'opencc' names unknown edition '{tag}'",
                    unknown_edition_hint(tag),
                    path,
                    *where("opencc", tag),
                )
            )
        for name in config.split("+"):
            if name.removesuffix(".json") not in _OPENCC_CONFIGS:
                problems.append(
                    Diagnostic(
                        f"unknown OpenCC config '{name}'",
                        "use one of " + ", ".join(sorted(_OPENCC_CONFIGS)),
                        path,
                        *where("opencc", name),
                    )
                )
    if problems:  # in the order of their places in the file
        raise UserError(sorted(problems, key=lambda d: (d.line or 0, d.col or 0)))
    return notes


def resolve(tag: str, meta: m.Meta) -> Edition:
    """The :class:`Edition` for ``tag`` given the source's language and its ``opencc`` overrides."""
    if tag not in EDITIONS:
        raise UserError(Diagnostic(f"unknown edition '{tag}'", unknown_edition_hint(tag)), exit_code=2)
    lang, word_lang, region, traditional = EDITIONS[tag]
    script = source_script(meta.lang) or "hans"
    if tag in meta.opencc:
        configs = tuple(c.removesuffix(".json") for c in meta.opencc[tag].split("+"))
    else:
        configs = _DEFAULT_CONFIGS[(script, tag)]
    if tag == "zh-Hans" and script == "hans":
        lang = meta.lang if meta.lang.lower() not in ("zh", "zh-hans") else "zh-CN"
    return Edition(tag, lang, word_lang, region, traditional, configs)


# ---------------------------------------------------------------- where the reader's text is


@dataclass
class Slot:
    """One string a reader sees: ``holder[key]`` (a list) or ``holder.key`` (a node or the metadata).

    ``unit`` numbers the run of text it belongs to (one paragraph's inline nodes, one metadata
    value, one alt text), ``line`` that run's source line (0 for front matter): the ambiguity
    report finds columns by reading a unit's source from its line onwards.
    """

    holder: object
    key: str | int
    unit: int
    line: int

    def get(self) -> str:
        if isinstance(self.holder, list):
            return str(self.holder[int(self.key)])
        return str(getattr(self.holder, str(self.key)))

    def set(self, value: str) -> None:
        if isinstance(self.holder, list):
            self.holder[int(self.key)] = value
        else:
            setattr(self.holder, str(self.key), value)


@dataclass
class TextSlots:
    """Every convertible string of a tree, and the inline runs quotation marks are read across."""

    slots: list[Slot] = field(default_factory=list)
    runs: list[list[m.Inline]] = field(default_factory=list)  # one paragraph, heading, caption, cell
    loose: list[Slot] = field(default_factory=list)  # strings outside any run: metadata, alt, title
    fixed: set[int] = field(default_factory=set)  # ids of text nodes kept as written (addresses)
    _units: int = 0

    def _unit(self) -> int:
        self._units += 1
        return self._units

    def _add(self, holder: object, key: str | int, unit: int, line: int, loose: bool) -> None:
        slot = Slot(holder, key, unit, line)
        if slot.get():
            self.slots.append(slot)
            if loose:
                self.loose.append(slot)

    def meta(self, meta: m.Meta) -> None:
        for attr in ("title", "subtitle", "publisher", "subject", "description", "rights"):
            self._add(meta, attr, self._unit(), 0, True)
        for nodes in (meta.title_nodes, meta.subtitle_nodes):  # the title as set: one run each
            if nodes:
                self.runs.append(nodes)
                unit = self._unit()
                for node in m.nodes(nodes):
                    if isinstance(node, m.Text):
                        self._add(node, "text", unit, 0, False)
        for values in (meta.authors, meta.editors, meta.keywords):
            for i in range(len(values)):
                self._add(values, i, self._unit(), 0, True)
        g = meta.gongwen
        if g is not None:  # the elements of a 公文 (GB/T 9704-2012) are text the reader sees too
            for attr in g.TEXTS:
                self._add(g, attr, self._unit(), 0, True)
            for values in (g.signers, g.attachments, g.copies_to):
                for i in range(len(values)):
                    self._add(values, i, self._unit(), 0, True)

    def tree(self, doc: m.Document) -> None:
        """The body in document order, then the footnotes: each text block's inlines form one run."""
        unit, line = 0, 0  # of the text block visited last, which holds every text and image after it
        for visit in m.visit(doc):
            node = visit.node
            if isinstance(node, m.TEXT_BLOCKS):  # a heading, paragraph, figure caption or table cell
                self.runs.append(m.inline_run(node))
                unit, line = self._unit(), visit.line
            elif isinstance(node, m.Text):
                if shows_address(node.text, visit.enclosing(m.Link)):
                    self.fixed.add(id(node))
                else:
                    self._add(node, "text", unit, line, False)
            elif isinstance(node, m.Image):  # alt and title get units of their own
                self._add(node, "alt", self._unit(), node.line or line, True)
                self._add(node, "title", self._unit(), node.line or line, True)


_ADDRESS = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*://|mailto:|www\.)\S*\s*$", re.I)


def shows_address(text: str, link: m.Link | None) -> bool:
    """Whether ``text``, inside ``link``, shows an address rather than prose: the link's own target
    (an autolink ``<https://…>`` or ``<a@b.cn>``), or a URL or ``mailto:`` written as the link's text.

    Such text is kept as written in every edition, like code: converting it would show an address
    that differs from the one the link goes to (``https://example.com/发展`` → ``發展``).
    """
    if link is None:
        return False
    stripped = text.strip()
    return stripped == link.href or stripped == link.href.removeprefix("mailto:") or bool(_ADDRESS.match(text))


def text_slots(doc: m.Document) -> TextSlots:
    """Where the reader's text is in ``doc``: metadata, then the body in order, then footnotes.

    The one place that decides what is converted: code (inline and blocks), link targets, an
    address shown as a link's text (:func:`shows_address`) and image paths are not slots.
    """
    found = TextSlots()
    found.meta(doc.meta)
    found.tree(doc)
    return found


def overrides_for(doc: m.Document) -> dict[str, str]:
    """The user's phrase overrides: the front matter's ``overrides`` file, relative to the source."""
    name = getattr(doc.meta, "overrides", "") or ""
    if not name:
        return {}
    base = doc.source.parent if doc.source else Path.cwd()
    return load_overrides(base / name)


def converter(edition: Edition, overrides: Mapping[str, str] | None = None) -> Converter:
    """The converter for ``edition``: its OpenCC configs, the shipped corrections, the user's overrides;
    from simplified to traditional by words and context rules (:mod:`wordconvert`)."""
    base = None
    if direction(edition.configs) == "s2t":
        from zhengji_publish.wordconvert import word_converter

        base = word_converter(edition.configs).convert
    return Converter(edition.configs, phrase_tables(edition.configs, overrides), base)


def _has_straight_quotes(doc: m.Document) -> bool:
    """Whether any text a reader sees may hold a straight ASCII quote (checked before copying the tree)."""
    meta = doc.meta
    strings = [meta.title, meta.subtitle, meta.publisher, meta.subject, meta.description, meta.rights]
    strings += meta.authors + meta.editors + meta.keywords
    strings += [node.text for node in m.nodes(doc) if isinstance(node, m.Text)]
    strings += [text for node in m.nodes(doc) if isinstance(node, m.Image) for text in (node.alt, node.title)]
    return any('"' in text or "'" in text for text in strings)


def apply(
    doc: m.Document,
    edition: Edition,
    quotes: str = "auto",
    overrides: Mapping[str, str] | None = None,
    straight: bool = False,
) -> m.Document:
    """A converted copy of ``doc`` for ``edition`` (the original is left untouched).

    ``quotes`` is the style's ``text.quotes``: ``auto`` (corner brackets for traditional editions,
    marks as written for zh-Hans), ``keep`` or ``corner``. ``overrides`` maps simplified phrases
    to their traditional form and wins over OpenCC and the shipped corrections. With ``straight``
    (the plan's :attr:`~zhengji_publish.plan.Plan.straight_quotes`), straight ASCII quotes in
    Chinese text are first paired into curly ones (:func:`quotes.curl_straight_quotes`), so they
    become corner brackets wherever curly ones do.
    """
    corner = quote_marks.wanted(quotes, edition.traditional)
    straight = straight and _has_straight_quotes(doc)
    if not edition.configs and not corner and not straight:
        # Nothing to convert: the edition shares the original's blocks (writers only read them).
        out = copy.copy(doc)
        out.meta = copy.copy(doc.meta)
        out.edition = edition.tag
        out.meta.lang = edition.lang
        return out
    out = copy.deepcopy(doc)
    out.edition = edition.tag
    out.meta.lang = edition.lang
    found = text_slots(out)
    if edition.configs:
        strings = [slot.get() for slot in found.slots]
        for slot, value in zip(found.slots, converter(edition, overrides).convert_many(strings), strict=True):
            slot.set(value)
    if straight:
        for run in found.runs:
            quote_marks.curl_straight_quotes(run, found.fixed)
        for slot in found.loose:
            slot.set(quote_marks.curl_straight_quotes_in(slot.get()))
    if corner:
        for run in found.runs:
            quote_marks.corner_quotes(run)
        for slot in found.loose:
            slot.set(quote_marks.corner_quotes_in(slot.get()))
    return out
