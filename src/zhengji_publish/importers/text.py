"""Plain text as editors receive it (agency wires, copy pasted from web pages) → a document tree.

Such text has one line per paragraph and no markup; its structure is in the shape of the lines.
Every rule below is a guess, and every guess becomes a :class:`Note` the editor can review:

- A paragraph **hard-wrapped** at a fixed width (a number of characters, or of display columns)
  is one again: :func:`wrap_of` finds the width, :func:`continues` which line breaks lie inside a
  paragraph, :func:`join_space` whether a space stood there (none inside Chinese text or a number).
- A **heading** is a short line (at most :data:`HEADING_MAX` characters) that does not end like
  a sentence (。！？；：，、… possibly followed by a closing quote or bracket) and holds no 。！？
  (nor, unnumbered and :data:`CLAUSES_LONG` characters or more, two commas).
  Numbered headings take their level from their pattern, in the order of :data:`LEVELS`
  (第X编 > 第X章 > 第X节 > 第X条, and 一、 > （一） > 1. > （1）, as in GB/T 9704-2012 7.3.3 for
  official documents); unnumbered section heads are level 2 under their article's headline. A
  公文's closing formula (特此通知, 此复) is a paragraph typed without its stop, not a heading.
- An **office document** (公文) is a text that opens with its title and is divided only by
  headings numbered 一、 （一） 1. （1） (GB/T 9704-2012 §7.3.3), with no report's byline: its title
  goes to the front matter and its sections start at level 1 (一、 is ``#``), as the gongwen style
  numbers and sets them; a text without such headings is one when a 发文字号 or a 主送机关
  stands by its title (a 函). The elements its lines carry go to the front matter's ``公文``
  block (:func:`office_elements`): a line above the title that names an issuing body
  (××市人民政府文件, ××市人民政府办公室) is its 发文机关标志 (§7.2.4); the 发文字号 and 签发人, the
  主送机关, the 附件说明, a signature of one issuer (发文机关署名, 成文日期) and the 附注 after it.
- A **subtitle** starts with a dash (——, as GB/T 15834-2011 4.1.9 sets a subtitle).
- An **article** starts at a headline followed by a subtitle or by a paragraph that opens with a
  dateline (新华社北京3月16日电, 本报讯), or at a heading right after a byline;
  each article's headline is a level-1 heading, and a short line before the first one is the
  collection's title (front matter). Several articles pasted together become the chapters of one
  source.
- A **byline or dateline** is a short line such as 新华社记者（新华社北京3月16日电）, （记者 张三）,
  来源：新华网 or 作者：张三.
- A **notice** is the short text after the last byline, when it opens with a heading.
- A **signature** (落款: 发文机关署名 and 成文日期, GB/T 9704-2012 §7.3.5) closes the text: a date
  alone on a line (2026年2月15日, 二〇二六年二月十五日), after it at most a bracketed note (附注,
  （此件公开发布）), and before it up to three short lines without end punctuation that name the
  issuer, typed pushed right or ending like an organisation (政府, 委员会, 办公厅 …). It becomes a
  byline (an office document's one issuer and date become its 公文 block's instead), and its date
  the document's: the date a notice is signed, not the first date its text mentions.
- A paragraph **split by an extraction defect** is one line that ends without punctuation, then a
  block of headings or a subtitle, then text that resumes the sentence: the two halves are joined
  and the inserted block is moved to where it belongs (a headline/subtitle pair to the start of its
  article, after the previous byline; any other heading before the joined paragraph).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhengji_publish import model as m
from zhengji_publish.diagnostics import error
from zhengji_publish.importers.report import Note, TreeImport
from zhengji_publish.text import FORBIDDEN_CONTROL, is_cjk, is_cjk_punct
from zhengji_publish.typeset.rules import NO_START_BASIC

HEADING_MAX = 40  # characters: longer lines are paragraphs, whatever they end with
CLAUSES_LONG = 30  # characters: an unnumbered line this long with two commas is a sentence, not a heading
NOTICE_MAX = 300  # characters after the last byline that may still be a notice rather than an article
SENTENCE_END = "。！？!?…；;：:，,、"
CLOSERS = "”’」』）)】》〉\"'"
NUMERAL = "一二三四五六七八九十百千零〇两"
_N = f"[{NUMERAL}\\d]+"

# Numbered heading patterns, highest level first (statutes; then GB/T 9704 official documents).
LEVELS: list[tuple[str, re.Pattern[str]]] = [
    ("编", re.compile(f"^第{_N}编(?:\\s|$)")),
    ("分编", re.compile(f"^第{_N}分编(?:\\s|$)")),
    ("章", re.compile(f"^第{_N}章(?:\\s|$)")),
    ("节", re.compile(f"^第{_N}节(?:\\s|$)")),
    ("条", re.compile(f"^第{_N}条(?:\\s|$)")),
    ("一、", re.compile(f"^[{NUMERAL}]+、")),
    ("（一）", re.compile(f"^[（(][{NUMERAL}]+[）)]")),
    ("1.", re.compile(r"^\d{1,2}[.．、](?!\d)")),
    ("（1）", re.compile(r"^[（(]\d{1,2}[）)]")),
]

# The levels of an office document's structure, GB/T 9704-2012 §7.3.3 (keys of LEVELS)
OFFICE_LEVELS = ("一、", "（一）", "1.", "（1）")
# The closing formula of an office document's text (结束语), a sentence typed without its stop:
# 特此通知, 特此报告, 此复, 妥否，请批示
CLOSING = re.compile(r"^(?:特此[\u4e00-\u9fff]{2}|此复|妥否[，,]?请(?:批示|指示|审批))$")

# Who employs a reporter, before 记者 in a byline: 本报, 新华社, 人民日报, 央视, 中国青年报 …
AGENCY = r"(?:本报|[\u4e00-\u9fff]{1,6}(?:社|报|台|网|视))"

BYLINES = [
    # 新华社记者（新华社北京3月16日电）, 本报记者 张三（本报北京3月16日电）
    re.compile(r"^[^（）()。]{0,30}(?:记者|通讯员)[^（）()。]{0,30}[（(][^（）()]{0,40}电[）)]$"),
    # （记者 张三 李四）, （通讯员 王五）, （作者单位：…）, （新华社记者 李明）, （人民日报记者 王五）
    re.compile(rf"^[（(]\s*(?:{AGENCY}?(?:记者|通讯员|实习生)|作者|采写)[^（）()]{{0,40}}[）)]$"),
    # 新华社北京3月16日电 alone on its line
    re.compile(r"^[（(]?[^。，]{0,20}(?:社|报|网|台)[^。，]{0,20}\d{1,2}月\d{1,2}日电[）)]?$"),
    # 来源：新华网, 作者：张三, 责任编辑：李四, 文/图：王五
    re.compile(
        r"^[（(【\[]?(?:来源|稿件来源|文章来源|信息来源|作者|记者|文|图|文/图|文／图|摄影|编辑|责任编辑|责编|审核|校对)"
        r"\s*[：:／/]\s*\S.{0,40}$"
    ),
    # 本报记者 张三, 新华社记者 张三 李四
    re.compile(
        r"^(?:本报|新华社|中新社|人民日报)?(?:记者|通讯员|实习生)\s*[^\s，。；、]{2,4}(?:[\s、，]+[^\s，。；、]{2,4}){0,5}$"
    ),
    # 《 人民日报 》（ 2026年03月16日 第 01 版）, 原标题：…
    re.compile(r"^《\s*[^》]{2,20}》\s*[（(][^（）()]{0,40}[）)]$"),
    re.compile(r"^原标题\s*[：:]"),
    # 新华社北京3月16日电（记者 张三）alone on its line
    re.compile(r"^[^。，]{0,30}\d{1,2}月\d{1,2}日电\s*[（(][^（）()]*(?:记者|通讯员)[^（）()]*[）)]$"),
    # 发布时间：2026-03-16 10:20　来源：新华网 (a web page's line under the headline)
    re.compile(r"^(?:发布时间|时间|日期|发布日期|发稿时间)\s*[：:]\s*\S.{0,50}$"),
    re.compile(r"^\d{4}\s*[年/.-]\s*\d{1,2}\s*[月/.-]\s*\d{1,2}\s*日?[^。]{0,40}$"),
    re.compile(r"^[^。，]{0,40}来源\s*[：:]\s*\S.{0,40}$"),
    # 新华社记者 张三 摄 (a photo credit)
    re.compile(r"^[^。，]{2,30}\s摄$"),
    re.compile(r"^[（(]完[）)]$"),
]
# What opens the first paragraph of a wire or newspaper report: 新华社北京3月16日电, 本报讯.
DATELINE = re.compile(r"^(?:[^。，：]{2,20}\d{1,2}月\d{1,2}日(?:讯|电)|本报讯|本报[^。，]{2,10}\d{1,2}月\d{1,2}日讯)")
# A web page's buttons and labels copied with the text: dropped, with a note.
CHROME = re.compile(
    r"^[【\[]?(?:打印|关闭|关闭窗口|打印本页|字号|字体|分享到|分享|收藏|纠错|返回顶部|扫一扫|点击进入|相关阅读|相关新闻|"
    r"上一篇|下一篇)(?:[：:】\]].{0,30}|[】\]]?\s*)$"
)
RULE = re.compile(r"^[-—_*=＝~～·•\s]{3,}$")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(\d{4})-(\d{2})-(\d{2})")
# 成文日期 alone on its line, in Arabic or Chinese numerals (GB/T 9704-2012 §7.3.5.1 writes Arabic)
_HAN_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_HAN_DIGITS = "".join(_HAN_DIGIT)
_SIGNED = re.compile(
    rf"^(\d{{4}}|[{_HAN_DIGITS}]{{4}})\s*年\s*(\d{{1,2}}|[一二三四五六七八九十]{{1,2}})\s*月"
    rf"\s*(\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*日$"
)
# how the name of an issuing body ends (发文机关署名)
_ISSUER = re.compile(
    r"(?:政府|委员会|人大常委会|常委会|办公厅|办公室|厅|局|部|委|院|署|处|科|会|中心|公司|集团|协会|学会|联合会|"
    r"党委|党组|支部|总支|工委|学校|大学|学院|医院|所|站|社|队|团|政协|法院|检察院)$"
)
# 发文字号 as typed (GB/T 9704-2012 §7.2.5): 代字, the year in brackets (〔〕, or what a keyboard
# gives for them), 序号号; then perhaps the 签发人 on the same line (§7.2.6)
_DOC_NUMBER = re.compile(
    r"^(\S*?)\s*[〔［\[【(（]\s*([12]\d{3})\s*[〕］\]】)）]\s*(\d{1,5})\s*号"
    r"(?:[\s\u3000]*签\s*发\s*人\s*[：:][\s\u3000]*(\S.*))?$"
)
_SIGNER = re.compile(r"^签\s*发\s*人\s*[：:][\s\u3000]*(\S.*)$")
# 主送机关 (§7.3.2): a line without a sentence in it, ending with a colon
_ADDRESSEES = re.compile(r"^([^。！？!?：:]{2,200})[：:]$")
# how the name of a body the text is sent to ends: an issuer's ending (_ISSUER), or a group of bodies
_BODY_NAME = re.compile(_ISSUER.pattern.removesuffix("$")[:-1] + r"|机构|部门|单位|企业|组织|系统)$")
# 附件说明 (§7.3.4): 附件：名称, or 附件：1．名称 then 2．名称 …
_ATTACHMENT = re.compile(r"^附\s*件\s*[：:][\s\u3000]*(.*)$")
_ATTACHMENT_ITEM = re.compile(r"^(\d{1,2})\s*[.．、]\s*(\S.*)$")
SIGNATURE_PUSHED = 8  # columns of leading space that push a line to the right margin (a full-width space is 2)
SIGNATURE_LINES = 3  # issuer lines at most (a joint document's several bodies)
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_TOC = ("目录", "目次")
INDENT = " \t\u3000\u00a0"


@dataclass
class Unit:
    """One paragraph-to-be: its text, the input line it came from, and what it was taken for."""

    text: str
    line: int
    kind: str = "para"  # para | heading | subtitle | byline | paren | rule
    level: str = ""  # the numbered pattern of a heading (a key of LEVELS), "" for none
    probe: str = ""  # the text the rules read: in simplified characters (a traditional text converted)
    indent: int = 0  # the columns of space its first line was typed with (a full-width space is 2)


# ---------------------------------------------------------------- decoding


def decode(data: bytes, path: Path) -> tuple[str, list[Note]]:
    """Bytes of a text file → text with ``\\n`` line ends, and a note when it was not UTF-8.

    UTF-8 with or without a BOM is read as is; anything else is identified with charset-normalizer
    and accepted when it is GB 18030 (or its subsets GBK and GB 2312, decoded as GB 18030) or Big5.
    Raises :class:`UserError` for another or an unknown encoding (at the first byte that is not
    UTF-8) and for control characters (at the first one).
    """
    notes: list[Note] = []
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
            notes.append(Note("the encoding UTF-16", "the file was converted from UTF-16, as its byte-order mark says"))
        else:
            text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = _legacy(data, path, exc)
        encoding = "GB 18030" if "gb" in _detected(data) else "Big5"
        notes.append(
            Note(
                f"the encoding {encoding}",
                "the file is not UTF-8 and was converted from "
                f"{encoding}; check that the characters read right (the new source is UTF-8)",
            )
        )
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    bad = FORBIDDEN_CONTROL.search(text.replace("\x0c", "\n"))
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise error(
            f"control character U+{ord(bad.group()):04X} in the text; nothing was written",
            "delete it, or check that the file is text at all",
            path,
            line,
            col,
        )
    return text, notes


def _detected(data: bytes) -> str:
    """charset-normalizer's best guess for ``data`` (a Python codec name, ``""`` when none fits)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return (best.encoding if best is not None else "").lower()


def _legacy(data: bytes, path: Path, exc: UnicodeDecodeError) -> str:
    line = data[: exc.start].count(b"\n") + 1
    col = len(data[data.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace")) + 1
    found = _detected(data)
    codec = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs", "big5hkscs": "big5hkscs"}
    if found in codec:
        try:
            return data.decode(codec[found])
        except UnicodeDecodeError:
            pass
    what = f"(it looks like {found}, which is not Chinese text)" if found else "(no known encoding fits)"
    raise error(
        f"the text is not UTF-8, GB 18030 or Big5 {what}: byte 0x{data[exc.start]:02x} cannot be read; "
        "nothing was written",
        "save the file as UTF-8 (in most editors: Save As… → Encoding: UTF-8) and import it again",
        path,
        line,
        col,
    )


# ---------------------------------------------------------------- lines to units


def units_of(text: str) -> tuple[list[Unit], list[Note]]:
    """Non-empty lines as units (indentation removed); hard-wrapped lines of one paragraph joined
    (:func:`wrap_of` finds the width, :func:`continues` and :func:`join_space` read each line break)."""
    notes: list[Note] = []
    lines = text.split("\n")
    indented = 0
    raw: list[tuple[str, int]] = []
    pushed: dict[int, int] = {}  # line number → the columns of space it starts with
    for number, line in enumerate(lines, 1):
        stripped = line.strip(INDENT)
        if line.rstrip() != line.rstrip().lstrip(INDENT):
            indented += 1
            lead = line[: len(line) - len(line.lstrip(INDENT))]
            pushed[number] = sum(2 if ch == "\u3000" else 4 if ch == "\t" else 1 for ch in lead)
        raw.append((re.sub(r"[ \t\u00a0]{2,}", " ", stripped), number))
    if indented:
        notes.append(
            Note(
                f"paragraph indentation was typing ({indented} lines started with spaces)",
                "the spaces were removed: the style indents paragraphs",
            )
        )
    units: list[Unit] = []
    wrap = wrap_of(lines)
    words = Counter(re.findall(f"[{_LETTERS}]+", text))  # the text's runs of Latin letters, line by line
    joined = 0
    guessed: list[int] = []  # lines whose break inside a Latin word run was read as a space
    previous = -1  # the index of the line before in ``lines``, -1 after an empty line
    dropped: list[int] = []
    for (text_, number), line in zip(raw, lines, strict=True):
        if not text_:
            previous = -1
            continue
        if CHROME.match(text_):
            dropped.append(number)
            previous = -1
            continue
        last = units[-1] if units else None
        if last is not None and previous >= 0 and continues(lines[previous], line, wrap):
            space, sure = join_space(lines[previous], line, wrap, words)
            if not sure:
                guessed.append(previous + 1)
            last.text += space + text_
            joined += 1
        else:
            units.append(Unit(text_, number, indent=pushed.get(number, 0)))
        previous = number - 1
    if dropped:
        lines_ = ", ".join(map(str, dropped[:6])) + ("…" if len(dropped) > 6 else "")
        notes.append(
            Note(
                f"{len(dropped)} line(s) were a web page's buttons or labels (lines {lines_} of the text)",
                "they were left out (打印, 关闭, 分享到 …); copy them back if they belong to the text",
            )
        )
    if joined:
        at = f" at {wrap.describe()}" if wrap else ""
        notes.append(
            Note(
                f"that the text was hard-wrapped{at} and rejoined its lines ({joined} line breaks removed)",
                "a line that fills the width (or that the next line's first word would not fit on), that ends "
                "inside a sentence, or that the next line continues with closing punctuation was joined with "
                "the next into one paragraph, with no space unless the break stood between two words in Latin "
                "letters; put an empty line between two paragraphs that were wrongly joined",
            )
        )
    if guessed:
        at = ", ".join(map(str, guessed[:6])) + ("…" if len(guessed) > 6 else "")
        notes.append(
            Note(
                f"a space between two words in Latin letters where a full line ended "
                f"(line{'s' if len(guessed) > 1 else ''} {at} of the text)",
                "the lines were joined with a space between the words; delete it where the wrap cut a word in two",
            )
        )
    return units, notes


def _width(text: str) -> int:
    """Columns the text takes in a fixed-width editor: two for a wide character, one otherwise."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# the closing marks no line starts with (clreq LINE_START_END), but the interpuncts a list item may open with
_CONTINUATION = NO_START_BASIC - frozenset(".·・")
_LETTERS = "A-Za-z\u00c0-\u024f"  # Latin letters: Basic Latin, Latin-1 Supplement and Latin Extended-A and -B
_LATIN = re.compile(f"[{_LETTERS}]")
_WORD = re.compile(r"^[^\s\u3000]+")  # the first word of a line (a Latin one when it is not CJK)


@dataclass(frozen=True)
class Wrap:
    """The fixed width a text was hard-wrapped at: ``limit`` characters, or ``limit`` columns
    (``columns``: a wide character takes two, :func:`_width`); a line ``slack`` short of it still
    filled it (a wide character that did not fit in the last column, or one a wrapper carried to the
    next line so that it would not start with punctuation).

    ``indents``: the text marks its paragraphs by indenting their first lines, so an indented line
    starts one even after a full line. ``cuts_words``: its wrapper is a cutter, which ends a full
    line inside a word: it cut a number in two (``2`` | ``026年``, which no word wrapper does), or it
    kept the space it cut at in Latin text (a full line ends with one, or the next starts with one),
    so a break in Latin text without a space fell inside a word (:func:`join_space`). ``blanks``:
    it puts an empty line after its paragraphs (four in five of the lines short of the width have
    one after them), so the lines of one block are one paragraph.
    """

    limit: int
    columns: bool
    slack: int
    indents: bool = False
    cuts_words: bool = False
    blanks: bool = False

    def size(self, line: str) -> int:
        """The characters or columns ``line`` takes as the wrapper counted them: its indentation
        included, and any space it ends with as one (a wrapper that cuts keeps the space it cut at)."""
        body = line.rstrip()
        size = _width(body) if self.columns else len(body)
        return size + (1 if len(body) < len(line.rstrip("\n")) else 0)

    def describe(self) -> str:
        """``30 characters a line`` or ``70 columns a line (35 Chinese characters)``."""
        if self.columns:
            return f"{self.limit} columns a line ({self.limit // 2} Chinese characters)"
        return f"{self.limit} characters a line"


def wrap_of(lines: list[str]) -> Wrap | None:
    """The width ``lines`` were hard-wrapped at, or None when they were not.

    The lines that another line follows (not an empty one) are measured twice, in characters and in
    columns (:class:`Wrap`): a text cut at a fixed number of characters (an agency's system) has most
    of them the same length, one wrapped at a fixed display width (an editor's hard wrap, a terminal
    at 80 columns) the same width. A measure is the width when its most common size is long enough
    for text (20 characters, 40 columns: headings and verse are shorter), at least three lines and
    two in five lie within one character (two columns) under it, at most one in ten runs past it by
    more (the width is the most a line holds: one paragraph a line runs to any length), and fewer
    than half of those that fill it end a sentence (lines of verse each end one); the measure that
    fits more lines wins, characters on a tie (they are exact: 29 characters do not fill 30). The
    slack is the shortfall that at least one line in thirty (and two) shows: none for a text cut
    exactly, one character or two columns for a wrapper that keeps a wide character or a closing
    mark from the line's end.
    """
    followed = [a for a, b in zip(lines, lines[1:], strict=False) if a.strip(INDENT) and b.strip(INDENT)]
    best: tuple[float, Wrap] | None = None
    for columns, least, unit in ((False, 20, 1), (True, 40, 2)):
        probe = Wrap(0, columns, 0)
        sizes = [probe.size(line) for line in followed]
        if len(sizes) < 3:
            return None
        mode, _ = Counter(sizes).most_common(1)[0]
        near = [(s, a) for s, a in zip(sizes, followed, strict=True) if mode - unit <= s <= mode]
        ended = sum(1 for _, a in near if a.rstrip().rstrip(CLOSERS)[-1:] in "。！？!?")
        over = sum(1 for s in sizes if s > mode + unit)
        if mode < least or len(near) < 3 or len(near) * 5 < len(sizes) * 2 or over * 10 > len(sizes):
            continue  # too short for running text, too few lines fill it, or too many run past it
        if ended * 2 >= len(near):
            continue  # lines of verse
        short = Counter(mode - s for s, _ in near)
        slack = max((d for d in short if short[d] >= max(2, len(near) / 30)), default=0)
        fit = len(near) / len(sizes)
        if best is None or fit > best[0]:  # characters come first: they win a tie
            best = (fit, Wrap(mode, columns, slack))
    if best is None:
        return None
    wrap = best[1]
    starts = indented_starts = after_full = indented_after_full = ends = spaced = 0
    cuts = False
    for before, line, after in zip(["", *lines[:-1]], lines, [*lines[1:], ""], strict=True):
        if not line.strip(INDENT):
            continue
        indented = line[:1] in INDENT
        if wrap.size(line) < wrap.limit - wrap.slack:
            ends += 1
            spaced += not after.strip(INDENT)
        if before.strip(INDENT) and wrap.size(before) >= wrap.limit - wrap.slack:
            after_full += 1
            indented_after_full += indented
            body, rest = before.rstrip(), line.strip(INDENT)
            shown = len(body) < len(before) or (line[:1] == " " and line[1:2] not in INDENT)
            number = body[-1].isascii() and body[-1].isdigit() and rest[0].isascii() and rest[0].isdigit()
            cuts = cuts or number or (shown and not is_cjk(body[-1]) and not is_cjk(rest[0]))
        else:
            starts += 1
            indented_starts += indented
    indents = indented_starts >= 2 and indented_starts * 2 >= starts and indented_after_full * 2 < after_full
    blanks = ends >= 3 and spaced * 5 >= ends * 4
    return Wrap(wrap.limit, wrap.columns, wrap.slack, indents, cuts, blanks)


def continues(line: str, after: str, wrap: Wrap | None) -> bool:
    """Whether the non-empty line ``after`` carries on the paragraph of ``line`` (both as typed).

    It does when it starts with a closing mark no line may start with (clreq LINE_START_END: 。，、；
    ：？！ and the closing quotes and brackets), whatever the width; and in a wrapped text when
    ``line`` filled the width (within the wrap's slack) — unless it ended a sentence and ``after``
    is a short line that reads as a heading (the last line of a paragraph ends with punctuation) —
    or when ``after`` starts a word in Latin letters or digits that would not have fit on ``line``
    (after a space when ``line`` ends in Latin letters or digits): a word wrapper's break; after a
    sentence's end only in a text with empty lines between paragraphs, where that is no paragraph's
    end (in another a paragraph that opens with 2023年 would join the one before). Whatever the
    width, a ``line`` that holds a clause (a comma: no table row or list item) but ends inside a
    sentence (:func:`_ends_open`) and reads as a paragraph (not a heading, subtitle, byline or rule:
    :func:`classify`) is continued by an ``after`` that reads as one too: a paragraph ends with
    punctuation. An indented ``after`` starts a paragraph
    when indentation marks the text's paragraphs (:attr:`Wrap.indents`).
    """
    body, rest = line.strip(INDENT), after.strip(INDENT)
    if rest[0] in _CONTINUATION:
        return True
    if wrap is not None and after[:1] in INDENT and wrap.indents:
        return False
    ended = body.rstrip(CLOSERS)[-1:] in "。！？!?"
    if wrap is not None and wrap.size(line) >= wrap.limit - wrap.slack:
        return not (ended and wrap.size(after) < wrap.limit - wrap.slack and _is_heading(rest)[0])
    word = _WORD.match(rest)
    if wrap is not None and word is not None and not is_cjk(word.group()[0]) and (wrap.blanks or not ended):
        gap = 0 if is_cjk(body[-1]) else 1
        if wrap.size(line) + gap + wrap.size(word.group()) > wrap.limit:
            return True
    clause = any(ch in body for ch in "，、；,;")  # a sentence's, not a table row's or a list item's
    return clause and _ends_open(body) and _kind(body) == "para" and _kind(rest) == "para"


def _kind(text: str) -> str:
    """What :func:`classify` takes a line for: ``para``, ``heading``, ``subtitle``, ``byline`` …"""
    unit = Unit(text, 0)
    classify(unit)
    return unit.kind


def join_space(line: str, after: str, wrap: Wrap | None, words: Counter[str] | None = None) -> tuple[str, bool]:
    """What stands between ``line`` and the line ``after`` it when they are joined: ``" "`` or
    ``""``, and whether that is sure (False: a guess the import notes list).

    The rule is that the copy was cut at a fixed width (:class:`Wrap`), by one of two kinds of tool.
    A cutter ends each line where the width is full, inside a word or a number alike, and keeps
    every character: a space it cut at stays at the end of the line or the start of the next. A
    word wrapper ends a line before the word that would not fit, and drops the space there; Chinese
    text it breaks between any two characters. So, in order:

    - a space the lines show (``line`` ends with one, ``after`` starts with one) stays, unless
      Chinese punctuation stands beside it;
    - next to a CJK character (Han, kana, Chinese punctuation) nothing: Chinese text has no spaces
      between words, and the typesetter spaces Han from Latin itself (clreq MIXED_TEXT);
    - between two other characters, a space when the next character would have fit on ``line``
      (a word wrapper stopped short there: it broke at a space it dropped);
    - otherwise the break filled the line: inside a number (``设计时速35`` | ``0公里``), a version
      (``2.`` | ``0``), a code that mixes letters and digits (``C`` | ``919``), or after a hyphen or
      a slash, nothing — no wrapper breaks these where they had a space, so a cutter cut them;
    - between two Latin letters (or after ``.,;:!?`` and a closing bracket or quote, before one) a
      space — the break of a word wrapper, which never cuts a word without a hyphen — unless the text
      shows the word was cut: it spells the two halves as one word elsewhere, or its wrapper cuts
      words (:attr:`Wrap.cuts_words`), so a break without a space fell inside one. That space is a
      guess when ``line`` was full and neither half stands alone elsewhere in the text: ``words``
      counts its runs of Latin letters, each line's apart (so a half counts once where it is cut).
    """
    body, rest = line.rstrip(), after.strip(INDENT)
    a, b = body[-1], rest[0]
    shown = len(body) < len(line) or (after[:1] == " " and after[1:2] not in INDENT)
    if shown and not is_cjk_punct(a) and not is_cjk_punct(b):
        return " ", True
    if is_cjk(a) or is_cjk(b):
        return "", True
    full = wrap is not None and wrap.size(line) + wrap.size(b) > wrap.limit
    if wrap is not None and not full and rest[1:2] not in _CONTINUATION:
        return " ", True
    if not _LATIN.match(b) or not (_LATIN.match(a) or a in ".,;:!?)]\"'"):
        return "", True
    left = re.search(f"[{_LETTERS}]*$", body)
    right = re.match(f"[{_LETTERS}]*", rest)
    assert left is not None and right is not None  # both patterns match the empty string

    seen = words or Counter()
    if _LATIN.match(a) and (seen[left.group() + right.group()] or (wrap is not None and wrap.cuts_words)):
        return "", True
    return " ", not full or seen[left.group()] > 1 or seen[right.group()] > 1


# ---------------------------------------------------------------- classifying


def _squeeze(text: str) -> str:
    """``text`` without any white space (目　　录 is 目录)."""
    return re.sub(r"[\s\u3000]+", "", text)


def reads_as_title(text: str) -> bool:
    """Whether ``text`` is short enough for a heading (:data:`HEADING_MAX`) and neither ends nor
    contains a sentence: the test a bold centred paragraph of a Word document or a bold line of a
    web page passes before it is taken for a heading made by hand."""
    return (
        bool(text)
        and len(text) <= HEADING_MAX
        and text[-1] not in SENTENCE_END
        and not any(c in text for c in "。！？")
    )


def _is_heading(text: str) -> tuple[bool, str]:
    """(whether ``text`` reads as a heading, its numbered pattern or "")."""
    level = next((name for name, pattern in LEVELS if pattern.match(text)), "")
    if len(text) > HEADING_MAX or text.startswith(("——", "--", "—")):
        return False, level
    if any(ch in text for ch in "。！？!?；;"):
        return False, level
    if not level and len(text) >= CLAUSES_LONG and sum(text.count(ch) for ch in "，,") >= 2:
        return False, level  # the clauses of a sentence (or a line cut from one)
    if sum(1 for ch in text if ch.isalpha()) < 2:  # a number, a date, a row of symbols
        return False, level
    core = text.rstrip(CLOSERS)
    if not core or core[-1] in SENTENCE_END:
        return False, level
    if text[0] in "（(" and text[-1] in "）)" and _balanced(text[1:-1]):
        return False, level  # a line in brackets is a remark, not a heading
    if CLOSING.match(_squeeze(text)):
        return False, level
    return True, level


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += ch in "（("
        depth -= ch in "）)"
        if depth < 0:
            return False
    return depth == 0


def classify(unit: Unit) -> None:
    """Set ``unit.kind`` (and ``level``) from the rules of the module docstring."""
    text = unit.probe or unit.text
    if RULE.match(text):
        unit.kind = "rule"
    elif text.startswith(("——", "--", "—")) and len(text) <= 80:
        unit.kind = "subtitle"
    elif len(text) <= 60 and any(p.match(text) for p in BYLINES):
        unit.kind = "byline"
    else:
        heading, level = _is_heading(text)
        unit.level = level
        if heading:
            unit.kind = "heading"
        elif text[0] in "（(" and text[-1] in "）)" and _balanced(text[1:-1]) and len(text) <= 400:
            unit.kind = "paren"


def _ends_open(text: str) -> bool:
    """A line cut in the middle of a sentence: it ends with a character, not punctuation."""
    last = text.rstrip()[-1:]
    return bool(last) and (last.isalnum() or last in "“‘「『（(《")


# ---------------------------------------------------------------- structure


@dataclass
class _Repair:
    joined: Unit
    moved: list[Unit]
    first_line: int
    second_line: int


def repair_splits(units: list[Unit]) -> tuple[list[Unit], list[_Repair]]:
    """Join paragraphs split around an inserted block of headings (an extraction defect).

    A paragraph longer than a heading that ends without punctuation, followed by one to three
    headings or subtitles, followed by a paragraph: the two paragraphs are one. The inserted block
    moves to where it belongs: a headline with its subtitle (an article's start) goes after the
    last byline before the split paragraph (the end of the previous article), when there is one
    since the previous article start; any other block goes before the joined paragraph.
    """
    repairs: list[_Repair] = []
    out: list[Unit] = []
    i = 0
    while i < len(units):
        unit = units[i]
        j = i + 1
        while j < len(units) and j - i <= 3 and units[j].kind in ("heading", "subtitle"):
            j += 1
        if (
            unit.kind == "para"
            and len(unit.text) > HEADING_MAX
            and _ends_open(unit.text)
            and j > i + 1
            and j < len(units)
            and units[j].kind == "para"
        ):
            moved = units[i + 1 : j]
            space, _ = join_space(unit.text, units[j].text, None)
            joined = Unit(unit.text + space + units[j].text, unit.line)
            repairs.append(_Repair(joined, moved, unit.line, units[j].line))
            if any(u.kind == "subtitle" for u in moved):
                at = len(out)
                for k in range(len(out) - 1, -1, -1):
                    if out[k].kind == "byline":
                        at = k + 1
                        break
                    if out[k].kind == "subtitle":  # the previous article's start: no byline since
                        break
                out[at:at] = moved
                out.append(joined)
            else:
                out += [*moved, joined]
            i = j + 1
            continue
        out.append(unit)
        i += 1
    return out, repairs


def _article_starts(units: list[Unit]) -> set[int]:
    """Indexes of the units that open an article (its headline)."""
    starts: set[int] = set()
    tail = _notice_start(units)
    for k, unit in enumerate(units):
        if unit.kind != "heading" or unit.level:
            continue
        if k + 1 < len(units) and units[k + 1].kind == "subtitle":
            starts.add(k)
        elif k + 1 < len(units) and DATELINE.match(units[k + 1].probe or units[k + 1].text):
            starts.add(k)  # the next paragraph opens with a dateline: a new report
        elif k > 0 and units[k - 1].kind == "byline" and (tail is None or k < tail) and k + 1 < len(units):
            starts.add(k)
    return starts


def issuer_mark(text: str) -> bool:
    """Whether a short line standing above a document's title reads as its 发文机关标志 (GB/T
    9704-2012 §7.2.4): an issuing body's full name, alone or followed by 文件 (××市人民政府文件,
    ××市人民政府办公室), without punctuation."""
    name = text.strip().removesuffix("文件")
    return 2 <= len(name) <= HEADING_MAX and reads_as_title(text.strip()) and bool(_ISSUER.search(name))


def _office_document(
    units: list[Unit], first: int, starts: set[int], signature: list[int]
) -> tuple[int | None, int] | None:
    """(the 发文机关标志's index or None, the title's index) of an office document (公文): a text
    that opens with its title (a heading without a number, under a 发文机关标志 when
    :func:`issuer_mark` reads one, or under its 发文字号 alone), has no byline of a report and no
    other article, and is divided by headings numbered only as GB/T 9704-2012 §7.3.3 numbers them
    (一、（一）1.（1）), or by none when a 发文字号 or a 主送机关 stands by its title
    (:func:`office_elements`). None for any other text."""
    if not units or units[first].kind != "heading" or units[first].level:
        return None
    mark, title = None, first
    if issuer_mark(units[first].text):
        for at in (first + 1, first + 2):  # the title, under the 发文字号 when it is typed between them
            after = units[at] if at < len(units) else None
            if after is not None and after.kind == "heading" and not after.level and not doc_number(after.text):
                if at == first + 1 or doc_number(units[first + 1].text):
                    mark, title = first, at
                    break
    elif doc_number(units[first].text):  # a 发文字号 over the title, without a 发文机关标志 line
        after = units[first + 1] if first + 1 < len(units) else None
        if after is not None and after.kind == "heading" and not after.level and not doc_number(after.text):
            title = first + 1
    patterns = {u.level for u in units[title + 1 :] if u.kind == "heading" and u.level}
    bylines = any(u.kind == "byline" for k, u in enumerate(units) if k not in signature)
    if bylines or starts - {first, title} or not patterns <= set(OFFICE_LEVELS):
        return None
    if not patterns and not {"发文字号", "主送机关"} & {e.key for e in office_elements(units, title)}:
        return None  # no sections: a 公文 when it carries its 发文字号 or 主送机关 under the title
    return mark, title


@dataclass
class OfficeElement:
    """An element of a 公文 read from its lines: ``key`` names it as the front matter's ``公文``
    block does (:data:`zhengji_publish.gongwen.KEYS`), ``value`` is what the block takes, ``units``
    the indices of the lines it was read from, ``why`` the rule that read it."""

    key: str
    value: Any
    units: list[int]
    why: str


def doc_number(text: str) -> tuple[str, list[str], bool] | None:
    """(发文字号 in the standard's form, the 签发人 typed on its line, whether its brackets were
    retyped as 〔〕) of a line that is a 发文字号 (GB/T 9704-2012 §7.2.5), or None."""
    found = _DOC_NUMBER.match(text.strip(INDENT))
    if found is None:
        return None
    code, year, number, signers = found.groups()
    fixed = f"{code}〔{year}〕{int(number)}号"
    typed = re.sub(r"\s", "", text.strip(INDENT)[: found.end(3)]) + "号"
    return fixed, _names(signers or ""), typed != fixed


def _names(text: str) -> list[str]:
    """Names typed in one line, apart by spaces, 、 or commas."""
    return [n for n in re.split(r"[\s\u3000、，,]+", text) if n]


def addressees(text: str) -> bool:
    """Whether a line reads as the 主送机关 (GB/T 9704-2012 §7.3.2): bodies named, apart by 、 ， or
    ；, the last ending like a body (政府, 部门, 各直属机构 …), and a full-width colon closing it."""
    found = _ADDRESSEES.match(text)
    if found is None:
        return False
    last = re.split(r"[，,、；;]", found.group(1))[-1].strip()
    return bool(_BODY_NAME.search(last))


def office_elements(units: list[Unit], title: int) -> list[OfficeElement]:
    """The elements of the 公文 whose title is ``units[title]`` (classified units, in order) that its
    lines carry, GB/T 9704-2012 §7, in the order of the block:

    - 发文字号 (§7.2.5): the line just above the title (under the 发文机关标志) or just below it,
      代字〔年份〕序号号 (brackets typed as [] 【】 （） are retyped 〔〕), with the 签发人 (§7.2.6) typed
      after it on its line or on the next (``签发人：张三``);
    - 主送机关 (§7.3.2): the next line, when :func:`addressees` reads it so;
    - 附件说明 (§7.3.4): the lines just above the signature (or the end), ``附件：名称`` or
      ``附件：1．名称`` followed by ``2．名称`` …: the names, without their numbers and closing
      punctuation;
    - 发文机关署名 and 成文日期 (§7.3.5): the signature that closes the text (:func:`_signature`)
      when one issuer's line stands over its date;
    - 附注 (§7.3.6): the bracketed lines after that date, without their brackets (joined with ；).
    """
    found: list[OfficeElement] = []
    n = title + 1
    for at in (title - 1, title + 1):
        number = doc_number(units[at].text) if 0 <= at < len(units) else None
        if number is None:
            continue
        fixed, signers, retyped = number
        why = "a line 代字〔年份〕序号号 by the title (GB/T 9704-2012 §7.2.5), set above the red separator"
        if retyped:
            why += f"; typed “{units[at].text}”, written in the standard's form"
        found.append(OfficeElement("发文字号", fixed, [at], why))
        if signers:
            found.append(OfficeElement("签发人", signers, [at], "签发人： on the 发文字号's line (§7.2.6)"))
        n = max(n, at + 1)
        if not signers and n < len(units) and (signer := _SIGNER.match(units[n].text)):
            found.append(
                OfficeElement("签发人", _names(signer.group(1)), [n], "a line 签发人：… under the 发文字号 (§7.2.6)")
            )
            n += 1
        break
    if n < len(units) and addressees(units[n].text):
        why = "the line under the title that names bodies and ends with a colon (§7.3.2), set flush left"
        found.append(OfficeElement("主送机关", units[n].text, [n], why))
    signed = _signature(units)
    end = signed[0][0] if signed else len(units)
    while end > n and units[end - 1].kind == "paren" and end > len(units) - 2:
        end -= 1  # a 附注 after a date that signs nothing
    items: list[tuple[int, str]] = []
    k = end
    while k - 1 > n and (item := _ATTACHMENT_ITEM.match(units[k - 1].text)):
        items.insert(0, (k - 1, item.group(2)))
        k -= 1
    head = _ATTACHMENT.match(units[k - 1].text) if k - 1 > n else None
    if head is not None:
        first = _ATTACHMENT_ITEM.match(head.group(1))
        names = [first.group(2) if first else head.group(1), *(name for _, name in items)]
        if names[0] and (first or not items):
            names = [name.rstrip("。；;，,.．") for name in names]
            why = "the lines 附件：… above the signature (§7.3.4), their numbers and end punctuation left out"
            found.append(OfficeElement("附件说明", names, [k - 1, *(i for i, _ in items)], why))
    if signed and len(signed[0]) <= 2:  # several issuers' lines (a joint document) stay a byline
        *issuer, date = signed[0]
        if issuer:
            why = "the issuer's name over the date that closes the text (§7.3.5), set right with the date under it"
            found.append(OfficeElement("发文机关署名", units[issuer[0]].text, issuer, why))
        found.append(OfficeElement("成文日期", signed[1], [date], f"the date “{units[date].text}” that signs the text"))
        notes = [k for k in range(date + 1, len(units)) if units[k].kind == "paren"]
        if notes and notes[-1] == len(units) - 1:
            value = "；".join(units[k].text[1:-1].strip() for k in notes)
            why = "the bracketed line after the date (§7.3.6), set in brackets under it"
            found.append(OfficeElement("附注", value, notes, why))
    return found


def office_block(elements: list[OfficeElement], general: list[Note]) -> dict[str, Any]:
    """The front matter's ``公文`` block of ``elements``, and a note on each key (in ``general``)."""
    block: dict[str, Any] = {}
    for element in elements:
        block[element.key] = element.value
        shown = "、".join(element.value) if isinstance(element.value, list) else str(element.value)
        why = element.why + "; the gongwen style sets it (-s gongwen): correct it there, or delete it"
        general.append(Note(f"the {element.key} “{shown}”", why, ("公文", element.key)))
    return block


def _notice_start(units: list[Unit]) -> int | None:
    """Index of the heading that opens a notice after the last byline, if the rest is that short."""
    last = max((k for k, u in enumerate(units) if u.kind == "byline"), default=None)
    if last is None or last + 1 >= len(units):
        return None
    rest = units[last + 1 :]
    if rest[0].kind == "heading" and len(rest) <= 6 and sum(len(u.text) for u in rest) <= NOTICE_MAX:
        return last + 1
    return None


def _signature(units: list[Unit]) -> tuple[list[int], dt.date] | None:
    """The units of the signature closing the text (module docstring: issuer lines, then the date)
    and its date; None when the text does not end with one."""
    end = len(units)
    while end > 0 and units[end - 1].kind == "paren" and end > len(units) - 2:  # 附注 after the date
        end -= 1
    if end == 0:
        return None
    date = _signed_date(units[end - 1].probe or units[end - 1].text)
    if date is None:
        return None
    start = end - 1
    while start > 0 and end - 1 - start < SIGNATURE_LINES:
        unit = units[start - 1]
        text = unit.probe or unit.text
        plain = len(text) <= 30 and text[-1] not in SENTENCE_END + CLOSERS and "。" not in text and not unit.level
        if not plain or not (unit.indent >= SIGNATURE_PUSHED or _ISSUER.search(text)):
            break
        start -= 1
    return list(range(start, end)), date


def signature_of(lines: list[tuple[str, bool]]) -> tuple[range, dt.date] | None:
    """The signature closing a text of other shape (a Word document's paragraphs): ``lines`` are
    its paragraphs, (text, set against the right margin) each; returns the indices of the
    signature's lines (a 附注 after the date is not one) and its date, or None (the rules of
    :func:`_signature`)."""
    units = [Unit(text, n, indent=SIGNATURE_PUSHED if pushed else 0) for n, (text, pushed) in enumerate(lines) if text]
    for unit in units:
        classify(unit)
    found = _signature(units)
    if found is None:
        return None
    indices, date = found
    return range(units[indices[0]].line, units[indices[-1]].line + 1), date


def numbered_heading(text: str) -> str:
    """The numbered pattern (a key of :data:`LEVELS`: ``一、``, ``（一）`` …) of a paragraph that
    reads as a numbered heading (``一、检查范围``: short, no end punctuation), "" for any other."""
    heading, level = _is_heading(text)
    return level if heading else ""


def _signed_date(text: str) -> dt.date | None:
    """The date of a line that is a date alone (2026年2月15日, 二〇二六年二月十五日), or None."""
    found = _SIGNED.match(text.replace(" ", ""))
    if found is None:
        return None
    year, month, day = (int(g) if g.isdigit() else _han_number(g) for g in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _han_number(text: str) -> int:
    """Chinese numerals as a date writes them: digit by digit (二〇二六) or with 十 (十五, 二十一)."""
    if "十" not in text:
        return int("".join(str(_HAN_DIGIT[ch]) for ch in text))
    tens, _, units = text.partition("十")
    return 10 * (_HAN_DIGIT[tens] if tens else 1) + (_HAN_DIGIT[units] if units else 0)


def _inlines(text: str, line: int) -> list[m.Inline]:
    """Text with ``**bold**`` kept as bold (as copy from our own and many web editors carries it)."""
    out: list[m.Inline] = []
    pos = 0
    for match in _STRONG.finditer(text):
        if match.start() > pos:
            out.append(m.Text(text[pos : match.start()], line))
        out.append(m.Strong([m.Text(match.group(1), line)], line))
        pos = match.end()
    if pos < len(text):
        out.append(m.Text(text[pos:], line))
    return out


def _byline_meta(byline: str, meta: dict[str, Any], original: str = "") -> str:
    """Fill ``author`` and ``publisher`` (when not yet set) from a byline; returns what was taken.

    ``byline`` is read by the rules (in simplified characters); the values are cut from
    ``original`` (the text as written) when the two are as long.
    """
    written = original if len(original) == len(byline) else byline

    def cut(match: re.Match[str]) -> str:
        return written[match.start(1) : match.end(1)]

    taken: list[str] = []
    source = re.search(r"(?:来源|稿件来源|文章来源|信息来源)\s*[：:]\s*([^\s（）()]+)", byline)
    if source and "publisher" not in meta:
        meta["publisher"] = cut(source)
        taken.append(f"publisher {cut(source)}")
    # An agency dateline, （新华社北京3月16日电）, or one opening a paragraph (新华社北京3月16日电,
    # 人民日报北京3月16日电, 中新网上海3月16日电): the agency that filed the copy publishes it.
    agency_line = re.search(
        r"[（(]\s*([^（）()\s\d]{2,8}?(?:社|网|报|台))[^（）()]{0,12}?\d{1,2}月\d{1,2}日电\s*[）)]", byline
    ) or re.match(r"\s*([^（）()\s\d，。]{2,8}?(?:社|网|报|台))[^（）()，。]{0,12}?\d{1,2}月\d{1,2}日电", byline)
    if agency_line and "publisher" not in meta:
        meta["publisher"] = cut(agency_line)
        taken.append(f"publisher {cut(agency_line)}")
    if "author" in meta or byline.rstrip().endswith("摄") or "编辑" in byline:
        return "; ".join(taken)
    names: list[str] = []
    agency = re.match(r"^([^（(\s]{2,30}?记者)\s*[（(][^（）()]*电[）)]$", byline)
    reporter = re.search(rf"[（(]\s*{AGENCY}?(?:记者|通讯员|实习生)\s*([^（）()]+?)\s*[）)]", byline)
    person = re.match(r"^(?:作者|记者|文|文/图|文／图|撰文)\s*[：:／/]\s*(.+)$", byline)
    bare = re.match(r"^(?:本报|新华社|中新社|人民日报)?(?:记者|通讯员)\s*([^（(：:]+)$", byline)
    if agency:
        names = [cut(agency)]
    elif reporter or person or bare:
        found = cut(reporter or person or bare)  # type: ignore[arg-type]
        names = [n for n in re.split(r"[\s、，,]+", found.strip()) if n]
    if names:
        meta["author"] = names[0] if len(names) == 1 else names
        taken.append("author " + "、".join(names))
    return "; ".join(taken)


def structure(units: list[Unit], general: list[Note]) -> TreeImport:
    """Classify the units and build the tree: front matter, articles, headings, divs."""
    from zhengji_publish.importers.lang import guess_lang

    lang, lang_note = guess_lang("".join(u.text for u in units[:200]))
    if lang != "zh-CN":  # the rules are written in simplified characters: read a converted copy
        import opencc

        t2s = opencc.OpenCC("t2s")
        for unit in units:
            unit.probe = t2s.convert(unit.text)
    for unit in units:
        classify(unit)
    units, repairs = repair_splits(units)
    notes: list[tuple[object, Note]] = []
    meta: dict[str, Any] = {}
    blocks: list[m.Block] = []

    # The table of contents some statutes carry: dropped when its entries come again as headings.
    toc_drop: set[int] = set()
    for k, unit in enumerate(units):
        if _squeeze(unit.probe or unit.text) in _TOC:
            entries = []
            n = k + 1
            while n < len(units) and units[n].kind == "heading" and _squeeze(units[n].text) not in entries:
                entries.append(_squeeze(units[n].text))
                n += 1
            later = {_squeeze(u.text) for u in units[n:] if u.kind == "heading"}
            if entries and sum(e in later for e in entries) * 2 >= len(entries):
                toc_drop = set(range(k, n))
                meta["toc"] = True
                general.append(
                    Note(
                        f"the lines {unit.line}–{units[n - 1].line} of the text were a table of contents",
                        "they were left out and 'toc: true' asks the build for its own; "
                        "remove it from the front matter if you want none",
                        ("toc",),
                    )
                )
            break

    starts = _article_starts(units)
    notice = _notice_start(units)
    signed = _signature(units)
    signature = signed[0] if signed else []
    first = next((k for k, u in enumerate(units) if k not in toc_drop), 0)
    title_index = None
    mark_index = None
    in_block: set[int] = set()  # the units that became elements of the 公文 block
    # Heading levels: a numbered pattern takes the rank of its kind among those present.
    base = 2  # under the article's headline
    office = _office_document(units, first, starts, signature)
    if office is not None:
        mark_index, title_index = office
        meta["title"] = units[title_index].text.replace("**", "")
        elements = office_elements(units, title_index)
        if mark_index is not None:
            why = "the issuer's name above the title (GB/T 9704-2012 §7.2.4), set in red over the title"
            elements.insert(0, OfficeElement("发文机关标志", units[mark_index].text.replace("**", ""), [], why))
        meta["公文"] = office_block(elements, general)
        in_block = {k for element in elements for k in element.units}
        if any(e.key == "成文日期" for e in elements):
            signature = []  # the signature is the block's, no byline
        base = 1  # the title is the front matter's: the sections start at '#'
    elif units and units[first].kind == "heading" and not units[first].level:
        later_start = first + 1 < len(units) and units[first + 1].kind == "heading" and (first + 1) in starts
        if later_start or (starts and min(starts) > first and len(starts) >= 2 and first not in starts):
            title_index = first
            meta["title"] = units[first].text.replace("**", "")
        else:
            starts.add(first)

    levels = {u.level for k, u in enumerate(units) if u.kind == "heading" and k not in in_block}
    present = [name for name, _ in LEVELS if name in levels]  # an attachment's 1. is none
    rank = {name: base + n for n, name in enumerate(present)}

    joined_notes: dict[int, Note] = {}
    for repair in repairs:
        moved = "、".join(f"“{u.text}”" for u in repair.moved)
        joined_notes[id(repair.joined)] = Note(
            "that the text around an inserted block was one paragraph",
            f"line {repair.first_line} of the text ended without punctuation and line "
            f"{repair.second_line} resumed it after {moved}; they were joined and the inserted block moved "
            "to the start of its article — check the sentence, and split it again if it was two",
        )

    bylines_seen = 0
    current: list[m.Block] = blocks
    article = 0
    previous: Unit | None = None
    for k, unit in enumerate(units):
        if k in toc_drop or k in (title_index, mark_index) or k in signature[1:] or k in in_block:
            continue
        ln = unit.line
        block: m.Block
        if signature and k == signature[0]:
            lines = [units[n] for n in signature]
            block = m.Div("byline", [m.Paragraph(_inlines(u.text, u.line), u.line) for u in lines], ln)
            what = "the signature (落款)" if len(lines) > 1 else "the date that signs the text (成文日期)"
            why = "the text ends with a date alone on its line" + (
                ", under the issuer's name" if len(lines) > 1 else ""
            )
            notes.append((block, Note(what, why + "; it was set as a byline, right-aligned")))
            current.append(block)
            for unit_ in lines:  # a bracketed 附注 after it is no subtitle of a date read as a heading
                unit_.kind = "byline"
            previous = lines[-1]
            continue
        if notice is not None and k == notice:
            div = m.Div("notice", [], ln)
            blocks.append(div)
            current = div.children
            heading = m.Heading(1, _inlines(unit.text, ln), "", ln)
            current.append(heading)
            notes.append(
                (
                    div,
                    Note(
                        f"a notice “{unit.text}”",
                        "the short text after the last byline, opening with a heading, was set as a boxed notice; "
                        "remove the ::: notice lines to set it as ordinary text",
                    ),
                )
            )
            previous = unit
            continue
        if unit.kind == "heading" and k in starts:
            article += 1
            block = m.Heading(1, _inlines(unit.text, ln), "", ln)
            after = units[k + 1] if k + 1 < len(units) else None
            if after is not None and after.kind == "subtitle":
                why = "a short line without end punctuation followed by a —— subtitle"
            elif after is not None and DATELINE.match(after.probe or after.text):
                why = "a short line without end punctuation followed by a paragraph opening with a dateline"
            elif article == 1:
                why = "the first short line without end punctuation"
            else:
                why = "a short line without end punctuation after a byline"
            if any(unit in r.moved for r in repairs):
                why += f", moved here from line {unit.line} of the text, where it split a paragraph"
            notes.append((block, Note(f"the headline of article {article}", why + "; make it '##' if it is a section")))
        elif unit.kind == "heading" and current is blocks:
            level = rank.get(unit.level, base)
            block = m.Heading(level, _inlines(unit.text, ln), "", ln)
            why = (
                f"it is numbered like {unit.level}, level {level}"
                if unit.level
                else "a short line without end punctuation"
            )
            if any(unit in r.moved for r in repairs):
                why += f", moved from line {unit.line} of the text, where it split a paragraph"
            notes.append(
                (block, Note("a section heading", why + "; if it is a sentence, remove the #s and add its punctuation"))
            )
        elif unit.kind == "subtitle" and previous is not None and previous.kind == "heading" and current is blocks:
            block = m.Div("subtitle", [m.Paragraph(_inlines(unit.text, ln), ln)], ln)
            notes.append((block, Note("a subtitle", "a line starting with —— under a headline")))
        elif unit.kind == "paren" and previous is not None and previous.kind == "heading" and current is blocks:
            block = m.Div("subtitle", [m.Paragraph(_inlines(unit.text, ln), ln)], ln)
            notes.append((block, Note("a subtitle", "a remark in brackets under a headline")))
        elif unit.kind == "byline" and current is blocks:
            bylines_seen += 1
            block = m.Div("byline", [m.Paragraph(_inlines(unit.text, ln), ln)], ln)
            taken = _byline_meta(unit.probe or unit.text, meta, unit.text)
            why = "a short line naming a reporter, a source or a dateline"
            if taken:
                why += f"; the front matter takes its {taken}"
            notes.append((block, Note("a byline", why)))
        elif unit.kind == "rule":
            block = m.ThematicBreak(ln)
        elif unit.kind == "para" and "author" not in meta and (dateline := DATELINE.match(unit.probe or unit.text)):
            block = m.Paragraph(_inlines(unit.text, ln), ln)
            probe = unit.probe or unit.text
            close = next((n for n, ch in enumerate(probe[:60]) if ch in "）)"), -1)
            end = close + 1 if close > 0 else dateline.end()
            taken = _byline_meta(probe[:end], meta, unit.text[:end])
            if taken:
                notes.append((block, Note(f"the {taken}", "the dateline that opens this paragraph names them")))
        else:
            block = m.Paragraph(_inlines(unit.text, ln), ln)
        if id(unit) in joined_notes:
            notes.append((block, joined_notes[id(unit)]))
        current.append(block)
        previous = unit

    if signed:
        meta["date"] = signed[1]
        written = units[signed[0][-1]].text
        general.append(Note(f"the date {meta['date']}", f"the date “{written}” that signs the text", ("date",)))
    for unit in units[:8]:
        found = _DATE.search(unit.text)
        if found and "date" not in meta:
            y, mo, d = (int(g) for g in (found.groups()[:3] if found.group(1) else found.groups()[3:]))
            try:
                meta["date"] = dt.date(y, mo, d)
            except ValueError:
                continue
            why = f"the first full date in the text, “{found.group()}”"
            general.append(Note(f"the date {meta['date']}", why, ("date",)))
    meta["lang"] = lang
    if lang_note:
        general.append(lang_note)
    order = ["title", "author", "publisher", "date", "lang", "toc", "公文"]
    meta = {key: meta[key] for key in order if key in meta}
    if office is not None:
        why = "the short line opening a text whose sections are numbered 一、（一）1.（1） (GB/T 9704-2012 §7.3.3)"
        general.append(Note(f"the title “{meta['title']}”", why + "; its sections start at '#'", ("title",)))
    elif "title" in meta:
        general.append(Note(f"the title “{meta['title']}”", "the short line above the first headline", ("title",)))
    return TreeImport(meta, blocks, [], notes, general)


def import_text(data: bytes, path: Path) -> TreeImport:
    """Plain text bytes → front matter, blocks and notes (see the module's rules).

    Raises :class:`UserError` for text that cannot be decoded or holds no text at all.
    """
    text, general = decode(data, path)
    units, notes = units_of(text)
    if not units:
        raise error("the file holds no text; nothing was written", "import a file with some text in it", path, 1, 1)
    return structure(units, general + notes)
