"""Chinese words: jieba's segmenter, with its dictionary read only for the text at hand.

jieba (dictionary only, no HMM) decides the words the traditional editions are converted by
(:mod:`zhengji_publish.wordconvert`) and where a centred title may break
(:mod:`zhengji_publish.typeset.words`). Started the usual way, jieba loads its whole dictionary,
349,000 words and every prefix of them, from a marshal cache (about 0.45 s and 110 MiB in every
build), and the part of speech of its words needs a second pass over its ``dict.txt`` (0.2 s): more
than laying out and writing the seed's six publications.

A segmentation only ever asks the dictionary about substrings of the text, and every dictionary
word found in a text starts with one of the text's characters (a word of one character) or with one
of its pairs of adjacent characters. So the dictionary is kept once in an SQLite file in our cache
folder (built from jieba's own ``dict.txt`` the first time, atomically), indexed by a word's first
two characters, and each text loads just the words beginning with its characters and pairs, with
the prefixes jieba's look-up walks through (as its ``gen_pfdict`` makes them). The tokenizer gets
the same frequencies and the same total as from the whole dictionary, so it cuts every text exactly
as jieba alone does (``tests/test_segmenter.py`` compares both on the corpus and the seed).
"""

from __future__ import annotations

import functools
import gc
import os
import sqlite3
import tempfile
from pathlib import Path

# Bump when the table's layout changes: the name of the file holds it.
_LAYOUT = 2
# Heads are sent to SQLite in batches below its limit of bound parameters.
_BATCH = 500
# The least count of a dictionary word that can cross another (see ``crossing``): jieba's dict.txt
# counts 200,000 of its 349,000 entries 2 or 3 times, most of them machine-joined pairs (划在, 划到,
# 会分, 不分); the words a reader sees across a word (会计, 划分, 老公, 布置) are counted far more.
CROSSING_FLOOR = 4
# The longest word looked for on either side of a crossing, in characters.
_CROSSING_SPAN = 8


@functools.cache
def _jieba():  # -> the jieba module
    """jieba, imported without setuptools' ``pkg_resources``.

    jieba 0.42 imports ``pkg_resources`` (deprecated, about 0.07 s: three quarters of jieba's own
    import) only to open its ``dict.txt``, and opens the file by its path when that import fails;
    the import is made to fail while jieba is imported, so the path is used. Nothing else changes.
    """
    import sys

    hidden = "pkg_resources" not in sys.modules
    if hidden:
        sys.modules["pkg_resources"] = None  # makes the import fail
    try:
        import jieba
    finally:
        if hidden:
            del sys.modules["pkg_resources"]
    return jieba


def _dictionary_rows() -> tuple[list[tuple[str, str, int, str]], int]:
    """jieba's ``dict.txt`` as rows (head, word, frequency, part of speech), sorted, and the sum of
    all lines' frequencies, which is jieba's total. A word given twice keeps its last line, as in
    jieba. Raises ``ValueError`` naming a line that is not ``word freq [tag]``, as jieba does."""
    jieba = _jieba()

    with jieba.Tokenizer().get_dict_file() as fh:  # jieba's dict.txt, in binary mode
        text = fh.read().decode("utf-8")
    rows: dict[str, tuple[str, str, int, str]] = {}
    total = 0
    gc.disable()  # 349,000 new tuples: the collector would walk them again and again, for nothing
    try:
        for lineno, line in enumerate(text.splitlines(), 1):
            parts = line.split()
            if not parts:
                continue
            try:
                word, freq = parts[0], int(parts[1])
            except (IndexError, ValueError):
                raise ValueError(f"invalid dictionary entry in jieba's dict.txt at line {lineno}") from None
            rows[word] = (word[:2], word, freq, parts[2] if len(parts) > 2 else "x")
            total += freq
    finally:
        gc.enable()
    return sorted(rows.values()), total


def _fill(db: sqlite3.Connection) -> None:
    """Write jieba's dictionary into ``db``: one row per word, kept in the order of its first two
    characters (the table's key), and the total."""
    rows, total = _dictionary_rows()
    db.execute("PRAGMA journal_mode = OFF")  # a new file, renamed into place only when whole
    db.execute("PRAGMA synchronous = OFF")
    db.execute(
        "CREATE TABLE words (head TEXT, word TEXT, freq INTEGER, tag TEXT, PRIMARY KEY (head, word)) WITHOUT ROWID"
    )
    db.execute("CREATE TABLE total (value INTEGER)")
    db.executemany("INSERT INTO words VALUES (?, ?, ?, ?)", rows)
    db.execute("INSERT INTO total VALUES (?)", (total,))
    db.commit()


def _path() -> Path:
    jieba = _jieba()

    from zhengji_publish.cache import cache_dir

    return cache_dir() / "jieba" / f"dict-{jieba.__version__}-{_LAYOUT}.sqlite"


def _open(path: Path) -> sqlite3.Connection:
    """The dictionary file at ``path``, read-only. Raises ``sqlite3.Error`` when it is missing or
    is not a whole dictionary (damaged, or left by a build that was stopped)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    try:
        db.execute("SELECT value FROM total").fetchone()[0]
    except (sqlite3.Error, TypeError):
        db.close()
        raise sqlite3.DatabaseError(f"{path} is not a dictionary") from None
    return db


def _make(path: Path) -> None:
    """Write the dictionary file through a temporary file and a rename, so a build running at the
    same time never reads half of it. Raises ``OSError`` or ``sqlite3.Error``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        made = sqlite3.connect(tmp)
        try:
            _fill(made)
        finally:
            made.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@functools.cache
def _database() -> sqlite3.Connection:
    """The dictionary's SQLite file, made on first use (and made again when damaged); in memory
    when the cache cannot be written, which only costs its making again next time."""
    try:
        path = _path()
        try:
            return _open(path)
        except sqlite3.Error:
            _make(path)
            return _open(path)
    except (OSError, sqlite3.Error):
        db = sqlite3.connect(":memory:", check_same_thread=False)
        _fill(db)
        return db


class _Loaded:
    """The part of the dictionary loaded so far: jieba's ``FREQ`` (words and their prefixes, which
    have frequency 0) and the words' parts of speech. It only grows, so a tokenizer that holds
    ``freq`` sees every word loaded for any text."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.freq: dict[str, int] = {}
        self.tags: dict[str, str] = {}
        self.heads: set[str] = set()
        self.total: int = db.execute("SELECT value FROM total").fetchone()[0]

    def load(self, text: str) -> None:
        """Load every word that can occur in ``text``: those beginning with one of its characters
        or pairs of adjacent characters."""
        heads = set(text)
        heads.update(text[i : i + 2] for i in range(len(text) - 1))
        heads -= self.heads
        if not heads:
            return
        self.heads |= heads
        freq, tags = self.freq, self.tags
        todo = sorted(heads)
        for at in range(0, len(todo), _BATCH):
            batch = todo[at : at + _BATCH]
            marks = ",".join("?" * len(batch))
            for word, count, tag in self.db.execute(
                f"SELECT word, freq, tag FROM words WHERE head IN ({marks})", batch
            ):
                freq[word] = count
                tags[word] = tag
                for end in range(1, len(word)):
                    freq.setdefault(word[:end], 0)


@functools.cache
def _loaded() -> _Loaded:
    return _Loaded(_database())


@functools.cache
def _tokenizer():  # -> jieba.Tokenizer
    """A jieba tokenizer reading :class:`_Loaded`'s words; jieba's own start-up never runs."""
    jieba = _jieba()

    tokenizer = jieba.Tokenizer()
    loaded = _loaded()
    tokenizer.FREQ = loaded.freq
    tokenizer.total = loaded.total
    tokenizer.initialized = True
    return tokenizer


def segment(runs: list[str]) -> list[list[str]]:
    """The words of each run (jieba, dictionary only: ``cut(HMM=False)``), with one call for all."""
    if not runs:
        return []
    text = "\n".join(runs)
    _loaded().load(text)
    out: list[list[str]] = [[]]
    for token in _tokenizer().cut(text, HMM=False):
        if token == "\n":
            out.append([])
        else:
            out[-1].append(token)
    return out


def tag_of(word: str) -> str:
    """The part of speech of ``word``: the tag of jieba's dictionary (n, v, a, m, q, f, t …), ``m``
    for a number written in digits, ``x`` for a word the dictionary does not have."""
    if word.isdigit():
        return "m"
    loaded = _loaded()
    loaded.load(word[:2])
    return loaded.tags.get(word, "x")


def sub_words(word: str) -> list[str]:
    """``word`` cut into the dictionary words jieba would choose if ``word`` itself were not one
    (电视频道 → 电视/频道); ``[word]`` when it has no other cut."""
    _loaded().load(word)
    tokenizer = _tokenizer()
    dag = tokenizer.get_DAG(word)
    dag[0] = [x for x in dag[0] if x != len(word) - 1] or [0]
    route: dict[int, tuple[float, int]] = {}
    tokenizer.calc(word, dag, route)
    out, i = [], 0
    while i < len(word):
        j = route[i][1] + 1
        out.append(word[i:j])
        i = j
    return out


def crossing(text: str, start: int, end: int) -> tuple[int, int, int] | None:
    """Where ``text[start:end]`` can also be read as two words crossing it: ``(a, p, b)`` with
    ``text[a:p]`` and ``text[p:b]`` both words of jieba's dictionary counted at least
    ``CROSSING_FLOOR`` times and ``a < start < p < end < b`` (one word ends inside the span, the
    next starts there and runs past it); ``None`` when it cannot.

    This is the overlapping ambiguity of Chinese segmentation (交集型歧义): 会计划分为 is 会/计划/
    分为 to jieba and 会计/划分/为 to a reader. The longest left word is given first, then the
    longest right one. Offsets are indices of ``text``.
    """
    loaded = _loaded()
    loaded.load(text[max(0, start - _CROSSING_SPAN) : end + _CROSSING_SPAN])
    freq = loaded.freq
    for p in range(start + 1, end):
        for a in range(max(0, p - _CROSSING_SPAN), start):
            if freq.get(text[a:p], 0) < CROSSING_FLOOR:
                continue
            for b in range(min(len(text), p + _CROSSING_SPAN), end, -1):
                if freq.get(text[p:b], 0) >= CROSSING_FLOOR:
                    return a, p, b
    return None
