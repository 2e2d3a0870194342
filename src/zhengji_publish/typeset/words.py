"""Where a display line (a centred title) may break: between words, never inside one.

GB/T 9704-2012 §7.3.1 asks a title broken over lines to keep the sense of its words whole (回行时，
要做到词意完整) and to stand symmetric; body text breaks between any two Han characters, as clreq
allows, but a title broken as ``关于做好2026`` / ``年暑期…`` reads wrong. Words are jieba's (the
segmenter the traditional editions use, dictionary only); a number and the unit or classifier after
it (``2026年``, ``3个``, ``第3号``) count as one word. jieba's dictionary is
simplified Chinese, so a traditional edition's title is segmented as its simplified form, character
for character (OpenCC ``t2s`` on each character, so every offset stays where it was): ``總體平穩``
breaks as ``总体/平稳`` does.
"""

from __future__ import annotations

from zhengji_publish.segmenter import segment, sub_words, tag_of

_NUMERALS = frozenset("0123456789０１２３４５６７８９〇零一二三四五六七八九十百千万亿两")


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _one_word(previous: str, word: str) -> bool:
    """Whether ``word`` stays on the line of the ``previous`` word: a number and its unit or
    classifier (``2026年``, ``3号令``, ``30元``, ``二十届``, ``2026年度``: a Han word of one or two
    characters after a number, whatever jieba tags it), and ``第`` with the number after it."""
    if not previous or not word:
        return False
    if previous.endswith("第") and word[0] in _NUMERALS:
        return True
    number = all(ch in _NUMERALS for ch in previous) and (previous[-1].isdigit() or tag_of(previous) == "m")
    return number and _is_han(word[0]) and len(word) <= 2


# The parts of speech (jieba's dictionary tags) of a proper name: a place (ns), a person or a place
# named after one (nr, nrt: ``张家界``), an organisation (nt)
_NAME_TAGS = frozenset(("ns", "nr", "nrt", "nt"))
# The tags of the nouns a proper name is made of with the words after it (nouns, proper ones,
# distinguishing words such as ``国家级``, descriptive ones such as ``湿地``, place words such as ``北麓``)
_NOUN_TAGS = frozenset(("n", "ns", "nr", "nrt", "nt", "nz", "ng", "b", "z", "f", "j"))
# The last characters of a word that ends the name of a place or a body: an administrative unit
# (``市``, ``县``, ``区``), a natural or built feature (``山``, ``湖``, ``公园``), an office (``局``, ``处``)
_NAME_ENDS = frozenset(
    "市县区省州盟旗镇乡村街路巷"  # places
    "山岭河江湖海港湾岛园林峡谷带道桥"  # features
    "场馆局厅处科室所站院校委会部办司社队团府厂矿库坝渠"  # bodies, works
)


def _named(words: list[str]) -> set[int]:
    """Indices of ``words`` that stay on the line of the word before as part of a proper name: a
    name (:data:`_NAME_TAGS`) and the nouns after it (:data:`_NOUN_TAGS`) up to the last that ends
    the name of a place or a body (an organisation's or a place's tag, or :data:`_NAME_ENDS`):
    ``北山/国家森林公园``, ``西溪/国家/湿地/公园``, ``北山/市/林业局``, ``青海湖/国家级/自然保护区/管理局``
    are one word each (GB/T 9704-2012 §7.3.1: 词意完整; jieba cuts them)."""
    out: set[int] = set()
    k = 0
    while k < len(words):
        end = None
        if tag_of(words[k]) in _NAME_TAGS:
            for j in range(k + 1, len(words)):
                tag = tag_of(words[j])
                if tag not in _NOUN_TAGS:
                    break
                if tag in ("ns", "nt") or words[j][-1] in _NAME_ENDS:
                    end = j
        if end is None:
            k += 1
            continue
        out |= set(range(k + 1, end + 1))
        k = end + 1
    return out


def word_starts(text: str, within: bool = False) -> set[int]:
    """Offsets (characters into ``text``) where a word starts, so where a title may break; the
    offsets 0 and ``len(text)`` are in it. A proper name jieba cuts into words is one word
    (:func:`_named`: ``北山国家森林公园``). With ``within``, also where the words a long word is
    made of start (``全国人民代表大会常务委员会`` → ``全国/人民代表大会/常务委员会``, jieba's cut of
    the word without itself, :func:`~zhengji_publish.segmenter.sub_words`, again on each part of
    four characters or more; a proper name's words): the breaks for a word longer than the measure."""
    starts = {0, len(text)}
    at = 0
    previous = ""
    words = segment([_simplified(text)])[0] if text else []
    named = _named(words)
    for k, word in enumerate(words):
        if not _one_word(previous, word) and (within or k not in named):
            starts.add(at)
        if within:
            starts |= {at + i for i in _inner_starts(word)}
        at += len(word)
        previous = word
    return starts


def _inner_starts(word: str) -> set[int]:
    """Offsets into ``word`` where the words it is made of start (0 left out)."""
    if len(word) < 4 or not _is_han(word[0]):
        return set()
    parts = sub_words(word)
    if len(parts) < 2:
        return set()
    out, at = set(), 0
    for part in parts:
        if at:
            out.add(at)
        out |= {at + i for i in _inner_starts(part)}
        at += len(part)
    return out


def _simplified(text: str) -> str:
    """``text`` with each traditional character replaced by its simplified form (OpenCC ``t2s``,
    one character at a time, kept when its form is not one character), so it has the same length.
    Text within GB 2312 (simplified Chinese) is returned as it is, without loading OpenCC."""
    try:
        text.encode("gb2312")
        return text
    except UnicodeEncodeError:
        pass
    from zhengji_publish.conversion import opencc_converter

    convert = opencc_converter("t2s").convert
    return "".join(s if len(s := convert(c)) == 1 else c for c in text)
