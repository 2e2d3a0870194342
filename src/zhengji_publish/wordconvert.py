"""Simplified → traditional conversion by words and context.

OpenCC cuts text by longest forward match on its phrase tables, so a phrase can be matched across
two words: 少数组织 is cut 少/数组/织 (数组 "array"; ``s2twp`` writes 陣列), 解封后 is cut 解/封后
("crowned queen", 后 kept). Here the text is first segmented into words by jieba (its dictionary,
HMM off, so the words are the dictionary's own), each word is converted by OpenCC on its own, so
OpenCC's phrases match only inside a word, and then each character whose traditional form depends
on its sense (干 幹/乾/干, 后 後/后, 只 只/隻 …) is decided by the context rules of
``data/context-rules.txt``: conditions over the word holding it, the text and words around it and
the neighbours' part of speech (the tags of jieba's dictionary), and what came before it in its
sentence (外套淋了雨，到晚上还没干: the rain of the clause before makes 干 "dry"). A character
that is a word by itself and that no rule decides takes the form of an OpenCC phrase made of it
and the whole word before or after it (吃/面 → 吃麵), never of a phrase that cuts into a word
(解封/后: 封后 starts inside 解封); any other keeps the form OpenCC gave its word.

For the Taiwan forms (``s2tw``, ``s2twp``), each word is then brought to Taiwan's own usage where it
differs from OpenCC's phrases (发布 → 發布, not 發佈; 计划 → 計畫: ``data/taiwan-usage.txt``),
inside the word only, so 研发/布局 keeps its 佈局. Not where the text can also be read as two
words crossing the usage word, one ending inside it and the next starting there and running past it
(the overlapping ambiguity of segmentation, 交集型歧义; :func:`segmenter.crossing`): jieba cuts
会计划分为 as 会/计划/分为, and 計畫 would print 會計畫分為 where 会计/划分 is meant. There the
usage word keeps OpenCC's own form of it, without the vocabulary step (計劃, 發佈, 公佈, 參數; not
s2twp's 引數 in 人参/数年), which is accepted Taiwan usage too (計劃: 國語辭典 同「計畫」; 佈 and
布 interchangeable as verbs) and right in most crossing readings (會計/劃分, 老公/佈置, 主公/佈下):
a crossing that is not meant (公司会计划分配, 一共计划着) costs the preferred form only. The
crossing words' own forms are not taken: they differ from it only where the reading is in doubt
(伙计/划着 "row" and 一共/计划着 "plan" give 划 and 劃), and there OpenCC's form is the one the
edition printed before the usage step.

The text is cut into runs of Han characters, Latin letters and digits (punctuation and spaces are
never inside a phrase); each run is segmented, converted and decided once per process and config
chain (and per set of ``earlier`` clues before it in its sentence, for a run holding a character
with such rules), so a run repeated through a book costs one dictionary look-up.

Every one-to-many character (``data/one-to-many.txt``) gets a :class:`Decision` saying how its form
was chosen, which ``zhengji-publish check`` ranks: a character with rules that stood alone and no
rule matched is the most doubtful, then a rule's choice (or an OpenCC phrase made of whole words
around a lone character), then a form other than the character's usual one given by a dictionary
word (头发 → 頭髮). The usual form inside a word (发展 → 發展) decided nothing and is not doubtful.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from zhengji_publish.conversion import VARIANT_STEP, convert_text, regional_usage
from zhengji_publish.diagnostics import Diagnostic, UserError
from zhengji_publish.segmenter import crossing, segment, sub_words, tag_of

RULES_FILE = "context-rules.txt"

# How doubtful a decision is (higher first in the check report).
DOUBT_DEFAULT = 3  # a character with rules, alone as a word, no rule matched: OpenCC's default form
DOUBT_RULE = 2  # a context rule chose
DOUBT_WORD = 1  # the form came from a dictionary word holding the character


_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134fA-Za-z0-9]+")
_PROBE_WORD = 4  # longest neighbouring word a lone character is looked up with
_CONDITION_KEYS = (
    "word",
    "pos",
    "prev",
    "next",
    "prevword",
    "nextword",
    "prevpos",
    "nextpos",
    "near",
    "earlier",
    "rest",
    "alone",
    "start",
)
# What ends a sentence for the ``earlier`` condition: a full stop, a question or exclamation mark
# (full width or not) and a line break (the converter joins paragraphs and slots with one).
_SENTENCE_END = re.compile(r"[。！？!?\n]")


# ---------------------------------------------------------------- data


@functools.cache
def one_to_many() -> dict[str, tuple[str, ...]]:
    """Simplified character → its traditional candidates, OpenCC's default first."""
    text = (resources.files("zhengji_publish") / "data" / "one-to-many.txt").read_text(encoding="utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            char, candidates = line.split("\t")
            table[char] = tuple(candidates.split())
    return table


@dataclass(frozen=True)
class Condition:
    key: str
    values: frozenset[str]
    negated: bool


@dataclass(frozen=True)
class Rule:
    """One line of the context rules: ``char`` becomes ``form`` where every condition holds."""

    char: str
    form: str  # in OpenCC's standard traditional forms; the edition's variant step follows
    conditions: tuple[Condition, ...]
    why: str
    line: int

    @property
    def name(self) -> str:
        return f"{RULES_FILE}:{self.line}"


def parse_rules(text: str, path: str | Path) -> dict[str, tuple[Rule, ...]]:
    """``char<TAB>form<TAB>conditions<TAB># why`` lines → rules per character, in file order.

    Conditions are separated by spaces, each ``key=v1|v2`` (or ``alone``), ``!`` before one
    negates it. Every bad line is a located error: a rule without its reason is one too.
    """
    rules: dict[str, list[Rule]] = {}
    problems: list[Diagnostic] = []
    hint = "write: character, TAB, form, TAB, conditions, TAB, # why"
    for lineno, line in enumerate(text.removeprefix("\ufeff").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        head, tab, why = line.partition("\t#")
        fields = head.split("\t", 2)
        if len(fields) != 3:
            problems.append(Diagnostic("rule has no conditions field", hint, path, lineno, len(head) + 1))
            continue
        char, form, conds = fields
        if len(char) != 1 or len(form) != 1:
            problems.append(Diagnostic("a rule maps one character to one character", hint, path, lineno, 1))
            continue
        if not tab or not why.strip():
            reason = "end it with a TAB and '# why'"
            problems.append(Diagnostic("rule has no reason", reason, path, lineno, len(head) + 1))
            continue
        parsed = []
        col = len(char) + len(form) + 3
        for word in conds.replace("\t", " ").split():
            negated = word.startswith("!")
            key, _, values = word.removeprefix("!").partition("=")
            if key not in _CONDITION_KEYS or (key in ("alone", "start")) == bool(values):
                problems.append(
                    Diagnostic(
                        f"unknown condition '{word}'",
                        "use alone, start or one of " + ", ".join(k + "=A|B" for k in _CONDITION_KEYS[:-2]),
                        path,
                        lineno,
                        col,
                    )
                )
            parsed.append(Condition(key, frozenset(values.split("|")) if values else frozenset(), negated))
            col += len(word) + 1
        rules.setdefault(char, []).append(Rule(char, form, tuple(parsed), why.strip(), lineno))
    if problems:
        raise UserError(problems)
    return {char: tuple(found) for char, found in rules.items()}


@functools.cache
def context_rules() -> dict[str, tuple[Rule, ...]]:
    """The shipped context rules (``data/context-rules.txt``), per character."""
    ref = resources.files("zhengji_publish") / "data" / RULES_FILE
    return parse_rules(ref.read_text(encoding="utf-8"), f"zhengji_publish/data/{RULES_FILE}")


# ---------------------------------------------------------------- deciding


@dataclass(frozen=True)
class Decision:
    """How the form of one one-to-many character of a run was chosen."""

    offset: int  # in the run
    char: str
    chosen: str  # the form printed (a whole phrase when a vocabulary change resized the word)
    word: str  # the segmenter's word holding it
    doubt: int  # DOUBT_* (0: the character's usual form, nothing to check)
    how: str  # the rule's name and reason, or how OpenCC chose


def _holds(cond: Condition, run: str, words: list[str], k: int, start: int, i: int, clues: frozenset[str]) -> bool:
    key, values = cond.key, cond.values
    if key == "word":
        ok = words[k] in values
    elif key == "pos":
        ok = any(tag_of(words[k]).startswith(v) for v in values)
    elif key == "alone":
        ok = len(words[k]) == 1
    elif key == "start":
        ok = i == start
    elif key == "prev":
        ok = any(run.endswith(v, 0, i) for v in values)
    elif key == "next":
        ok = any(run.startswith(v, i + 1) for v in values)
    elif key == "prevword":
        ok = k > 0 and words[k - 1] in values
    elif key == "nextword":
        ok = k + 1 < len(words) and words[k + 1] in values
    elif key == "prevpos":
        ok = k > 0 and any(tag_of(words[k - 1]).startswith(v) for v in values)
    elif key == "nextpos":
        ok = k + 1 < len(words) and any(tag_of(words[k + 1]).startswith(v) for v in values)
    elif key == "earlier":
        ok = any(v in clues or v in run[:i] for v in values)
    elif key == "rest":
        ok = run[i + 1 :] in values
    else:  # near
        ok = any(v in run for v in values)
    return ok != cond.negated


def decide(run: str, words: list[str], k: int, start: int, i: int, clues: frozenset[str] = frozenset()) -> Rule | None:
    """The first rule for ``run[i]`` (in word ``words[k]`` starting at ``start``) whose conditions hold;
    ``clues`` are the values of ``earlier`` conditions found in the sentence before the run."""
    for rule in context_rules().get(run[i], ()):
        if all(_holds(c, run, words, k, start, i, clues) for c in rule.conditions):
            return rule
    return None


@functools.cache
def _earlier_values() -> dict[str, frozenset[str]]:
    """Per character, every value of its rules' ``earlier`` conditions: what is looked for in the
    sentence before a run holding it."""
    found: dict[str, set[str]] = {}
    for char, rules in context_rules().items():
        for rule in rules:
            for cond in rule.conditions:
                if cond.key == "earlier":
                    found.setdefault(char, set()).update(cond.values)
    return {char: frozenset(values) for char, values in found.items()}


# The key of the converter's cache: what the conversion of a run depends on. The run itself, and
# after it, each behind a NUL (never inside a run), the ``earlier`` values of its characters' rules
# found before it in its sentence.
_CLUE = "\0"


class WordConverter:
    """Converts simplified text for one OpenCC config chain by words and context rules."""

    def __init__(self, configs: tuple[str, ...]) -> None:
        self.configs = configs
        self.vocabulary = any(c.endswith("p") for c in configs)
        self._convert = functools.partial(convert_text, configs=configs)
        # the same chain without the vocabulary step (s2twp → s2tw): what a word's characters become
        self._forms = functools.partial(convert_text, configs=tuple(c.removesuffix("p") for c in configs))
        self._cache: dict[str, tuple[str, tuple[Decision, ...]]] = {}
        self._regional: dict[str, str] = {}
        self._multi = one_to_many()
        self._defaults = dict(zip(self._multi, self._convert("\n".join(self._multi)).split("\n"), strict=True))
        self._earlier = _earlier_values()
        self._earlier_chars = re.compile(f"[{re.escape(''.join(self._earlier))}]") if self._earlier else None
        # the region's usage (data/taiwan-usage.txt for s2tw, s2twp), and OpenCC's own forms of its words
        self._usage = regional_usage(VARIANT_STEP.get(configs[0], ""))
        self._opencc_forms = {
            word: {self._convert(word), self._forms(word)} - {form} for word, form in self._usage.items()
        }
        self._plain = {word: self._forms(word) for word in self._usage}  # 计划 → 計劃, 参数 → 參數
        self._usage_re = re.compile("|".join(sorted(map(re.escape, self._usage), key=len, reverse=True)))

    def _in_usage(self, word: str, out: str, crossed: Collection[int] = ()) -> str:
        """``out``, OpenCC's conversion of ``word``, with each word of the region's usage inside
        ``word`` (发布 in 新闻发布会) in the region's form (發布). Where a vocabulary phrase resized
        the word, OpenCC's own forms of the usage word in ``out`` are replaced instead.

        ``crossed`` holds the starts in ``word`` of the usage words the text also reads across (see
        the module's notes): those keep OpenCC's form of the usage word without the vocabulary step
        (when the word kept its length), and the usage is not applied."""
        if not self._usage:
            return out
        for match in self._usage_re.finditer(word):
            simplified = match.group()
            form = self._usage[simplified]
            if match.start() in crossed:
                if len(out) == len(word):
                    out = out[: match.start()] + self._plain[simplified] + out[match.end() :]
            elif len(out) == len(word):
                out = out[: match.start()] + form + out[match.end() :]
            else:
                for opencc_form in self._opencc_forms[simplified]:
                    out = out.replace(opencc_form, form)
        return out

    def regional(self, form: str) -> str:
        """A standard traditional ``form`` in the edition's regional forms (臺 → 台 for Hong Kong)."""
        if form not in self._regional:
            step = VARIANT_STEP.get(self.configs[0], "")
            out = convert_text(form, ((step,) if step else ()) + self.configs[1:])
            self._regional[form] = out
        return self._regional[form]

    def alternatives(self, char: str, chosen: str) -> list[str]:
        """The other forms of ``char`` in the edition's regional forms."""
        out: list[str] = []
        for form in self._multi.get(char, ()):
            form = self.regional(form)
            if form != chosen and form not in out:
                out.append(form)
        return out

    def _needs_words(self, run: str) -> bool:
        return self.vocabulary or any(c in self._multi for c in run)

    def _keys(self, text: str) -> list[str]:
        """The cache key of each run of ``text`` in order: the run, and for a run holding a
        character with ``earlier`` rules, the values of those conditions found before it in its
        sentence (see ``_CLUE``)."""
        earlier = self._earlier_chars
        if earlier is None or not earlier.search(text):
            return _RUN.findall(text)
        keys: list[str] = []
        ends: list[int] = [m.end() for m in _SENTENCE_END.finditer(text)]
        for match in _RUN.finditer(text):
            run = match.group()
            if earlier.search(run):
                at = bisect.bisect_right(ends, match.start())
                before = text[ends[at - 1] if at else 0 : match.start()]
                clues = {v for c in set(earlier.findall(run)) for v in self._earlier[c] if v in before}
                run = _CLUE.join([run, *sorted(clues)])
            keys.append(run)
        return keys

    def _fill(self, keys: Iterable[str]) -> None:
        """Convert the runs not yet in the cache, with one jieba and one OpenCC call for all."""
        todo = [key for key in dict.fromkeys(keys) if key not in self._cache]
        if not todo:
            return
        if len(self._cache) > 200_000:
            self._cache.clear()
        split = [key.split(_CLUE) for key in todo]
        worded = [(key, parts[0], frozenset(parts[1:])) for key, parts in zip(todo, split, strict=True)]
        plain = [key for key, run, _ in worded if not self._needs_words(run)]
        worded = [item for item in worded if self._needs_words(item[1])]
        if plain:
            for key, out in zip(plain, self._convert("\n".join(plain)).split("\n"), strict=True):
                self._cache[key] = (out, ())
        if not worded:
            return
        segmented = segment([run for _, run, _ in worded])
        flat = [w for words in segmented for w in words]
        probes = sorted({p for words in segmented for p in self._probes(words)})
        converted = iter(self._convert("\n".join(flat + probes)).split("\n"))
        word_outs = [[next(converted) for _ in words] for words in segmented]
        probed = {p: self._in_usage(p, out) for p, out in zip(probes, converted, strict=True)}
        if self.vocabulary:
            word_outs = self._inside_words(segmented, word_outs)
        usage_how: list[dict[int, str]] = [{} for _ in segmented]
        if self._usage:
            crossings = self._crossings(segmented)
            for r, (words, row) in enumerate(zip(segmented, word_outs, strict=True)):
                for n, (word, out) in enumerate(zip(words, row, strict=True)):
                    crossed = crossings.get((r, n), {})
                    row[n] = self._in_usage(word, out, crossed)
                    if crossed:
                        across = ", ".join(crossed.values())
                        usage_how[r][n] = f"Taiwan usage not applied to {word}, read across as {across}: {row[n]}"
                    elif row[n] != out:
                        usage_how[r][n] = f"Taiwan usage word {word} → {row[n]}"
        for (key, run, clues), words, outs, how in zip(worded, segmented, word_outs, usage_how, strict=True):
            self._cache[key] = self._decide(run, clues, words, outs, probed, how)

    def _crossings(self, segmented: list[list[str]]) -> dict[tuple[int, int], dict[int, str]]:
        """For each usage word inside a word of ``segmented`` that its run can also be read across
        (:func:`segmenter.crossing`): (run index, word index) → {its start in the word: the
        crossing reading, 会计/划分}."""
        found: dict[tuple[int, int], dict[int, str]] = {}
        for r, words in enumerate(segmented):
            run, start = "".join(words), 0
            for n, word in enumerate(words):
                for match in self._usage_re.finditer(word):
                    cut = crossing(run, start + match.start(), start + match.end())
                    if cut is not None:
                        a, p, b = cut
                        found.setdefault((r, n), {})[match.start()] = f"{run[a:p]}/{run[p:b]}"
                start += len(word)
        return found

    def _inside_words(self, segmented: list[list[str]], word_outs: list[list[str]]) -> list[list[str]]:
        """Undo a vocabulary phrase that cuts across the words a long word is made of.

        jieba keeps 电视频道 as one word, and OpenCC's longest match inside it finds 视频 → 影片
        (電影片道). When the part of a word of three or more characters that the vocabulary step
        changed converts the same on its own and straddles a boundary of the word's own sub-words
        (电视/频道), the sub-words are converted one by one instead. A change made by a phrase
        of the whole word (笔记本电脑 → 筆記型電腦, 程序员 → 程式設計師) is kept: its changed
        part does not convert so on its own.
        """
        outs = {w: o for words, row in zip(segmented, word_outs, strict=True) for w, o in zip(words, row, strict=True)}
        long_words = sorted(w for w in outs if len(w) >= 3 and outs[w] != w)
        if not long_words:
            return word_outs
        forms = dict(zip(long_words, self._forms("\n".join(long_words)).split("\n"), strict=True))
        suspects: dict[str, tuple[str, str, list[str]]] = {}
        for word in long_words:
            out, plain = outs[word], forms[word]
            if out == plain or len(plain) != len(word):
                continue
            head = 0
            while head < min(len(out), len(plain)) and out[head] == plain[head]:
                head += 1
            tail = 0
            while tail < min(len(out), len(plain)) - head and out[-1 - tail] == plain[-1 - tail]:
                tail += 1
            end = len(word) - tail
            parts = sub_words(word)
            cuts = [sum(len(p) for p in parts[:n]) for n in range(1, len(parts))]
            if any(head < cut < end for cut in cuts):
                suspects[word] = (word[head:end], out[head : len(out) - tail], parts)
        if not suspects:
            return word_outs
        asked = sorted({span for span, _, _ in suspects.values()} | {p for _, _, ps in suspects.values() for p in ps})
        answer = dict(zip(asked, self._convert("\n".join(asked)).split("\n"), strict=True))
        fixed = {
            word: "".join(answer[p] for p in parts)
            for word, (span, changed, parts) in suspects.items()
            if answer[span] == changed
        }
        return [
            [fixed.get(w, o) for w, o in zip(words, row, strict=True)]
            for words, row in zip(segmented, word_outs, strict=True)
        ]

    @staticmethod
    def _contexts(words: list[str], k: int) -> tuple[list[str], list[str]]:
        """The whole words before and after the lone ``words[k]`` a phrase may take with it: the
        next word, and the next two words together, each at most ``_PROBE_WORD`` characters."""
        before: list[str] = []
        after: list[str] = []
        if k > 0 and len(words[k - 1]) <= _PROBE_WORD:
            before.append(words[k - 1])
            if k > 1 and len(words[k - 2]) + len(words[k - 1]) <= _PROBE_WORD:
                before.append(words[k - 2] + words[k - 1])
        if k + 1 < len(words) and len(words[k + 1]) <= _PROBE_WORD:
            after.append(words[k + 1])
            if k + 2 < len(words) and len(words[k + 1]) + len(words[k + 2]) <= _PROBE_WORD:
                after.append(words[k + 1] + words[k + 2])
        return before, after

    def _probes(self, words: list[str]) -> Iterable[str]:
        """What OpenCC is asked about a lone one-to-many character: itself with the whole words
        before (after) it, and with each shorter end of them (see :meth:`_across`)."""
        for k, word in enumerate(words):
            if len(word) != 1 or word not in self._multi:
                continue
            before, after = self._contexts(words, k)
            for prev in before:
                yield from (prev[j:] + word for j in range(len(prev)))
            for nxt in after:
                yield from (word + nxt[: j + 1] for j in range(len(nxt)))

    def _across(self, words: list[str], k: int, usual: str, probed: dict[str, str]) -> tuple[str, str] | None:
        """The form an OpenCC phrase made of whole words gives the lone character ``words[k]``
        with the word or two words before or after it (大病/初/愈 → 大病初癒), and that phrase;
        ``None`` if no such phrase changes it.

        A phrase that starts inside the word before (封后 in 解封/后) or ends inside the word after
        (钟声 in 钟/声响) cuts across a word and is not taken: a shorter end of the neighbours
        giving the same form shows it.
        """
        char = words[k]
        before, after = self._contexts(words, k)
        for prev in before:
            whole = probed.get(prev + char, "")
            if len(whole) == len(prev) + 1 and whole[-1] != usual:
                if all(probed.get(prev[j:] + char, "")[-1:] != whole[-1] for j in range(1, len(prev))):
                    return whole[-1], prev + char
        for nxt in after:
            whole = probed.get(char + nxt, "")
            if len(whole) == len(nxt) + 1 and whole[0] != usual:
                if all(probed.get(char + nxt[:j], "")[:1] != whole[0] for j in range(1, len(nxt))):
                    return whole[0], char + nxt
        return None

    def _decide(
        self,
        run: str,
        clues: frozenset[str],
        words: list[str],
        outs: list[str],
        probed: dict[str, str],
        usage_how: dict[int, str],
    ) -> tuple[str, tuple[Decision, ...]]:
        """The run's conversion and its decisions; ``usage_how`` says, per word index, how the
        region's usage changed the word (or why it did not)."""
        rules = context_rules()
        pieces: list[str] = []
        decisions: list[Decision] = []
        start = 0
        for k, (word, out) in enumerate(zip(words, outs, strict=True)):
            chars = list(out) if len(out) == len(word) else None
            for j, char in enumerate(word):
                if char not in self._multi:
                    continue
                i = start + j
                if chars is None:  # a vocabulary change resized the word: the phrase decided
                    decisions.append(Decision(i, char, out, word, DOUBT_WORD, f"OpenCC phrase {word} → {out}"))
                    continue
                rule = decide(run, words, k, start, i, clues) if char in rules else None
                across = self._across(words, k, chars[j], probed) if rule is None and len(word) == 1 else None
                if rule is not None:
                    chars[j] = self.regional(rule.form)
                    decisions.append(Decision(i, char, chars[j], word, DOUBT_RULE, f"{rule.name}: {rule.why}"))
                elif across is not None:
                    chars[j], phrase = across
                    how = f"OpenCC phrase {phrase} made of whole words"
                    decisions.append(Decision(i, char, chars[j], word, DOUBT_RULE, how))
                elif char in rules and len(word) == 1:
                    how = f"no rule matched: OpenCC's usual form of a lone {char}"
                    decisions.append(Decision(i, char, chars[j], word, DOUBT_DEFAULT, how))
                elif chars[j] != self._defaults[char]:
                    how = usage_how.get(k) or f"OpenCC word {word} → {out}"
                    decisions.append(Decision(i, char, chars[j], word, DOUBT_WORD, how))
                else:
                    decisions.append(Decision(i, char, chars[j], word, 0, f"the usual form of {char}"))
            pieces.append("".join(chars) if chars is not None else out)
            start += len(word)
        return "".join(pieces), tuple(decisions)

    def convert(self, text: str) -> str:
        """``text`` converted: its runs by words and rules, everything between them as written."""
        keys = self._keys(text)
        self._fill(keys)
        found = iter(keys)
        return _RUN.sub(lambda _: self._cache[next(found)][0], text)

    def decisions(self, text: str) -> list[tuple[int, Decision]]:
        """Each one-to-many character of ``text`` with its offset in ``text`` and its decision."""
        keys = self._keys(text)
        self._fill(keys)
        return [
            (match.start() + d.offset, d)
            for match, key in zip(_RUN.finditer(text), keys, strict=True)
            for d in self._cache[key][1]
        ]


@functools.cache
def word_converter(configs: tuple[str, ...]) -> WordConverter:
    """One :class:`WordConverter` per config chain for the whole process (its cache is kept)."""
    return WordConverter(configs)
