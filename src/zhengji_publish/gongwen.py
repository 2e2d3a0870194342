"""The elements of a 公文 (official document), GB/T 9704-2012 §7, read from the front matter's ``公文`` block.

An office writes the elements under the standard's own names::

    公文:
      份号: "000012"
      密级和保密期限: 秘密★1年
      紧急程度: 特急
      发文机关标志: ××市人民政府办公室文件
      发文字号: ××政办发〔2026〕12号
      签发人: 王××
      主送机关: 各区县人民政府，市政府各部门：
      附件说明: [名称一, 名称二]
      发文机关署名: ××市人民政府办公室
      成文日期: 2026-03-16
      印章: seal.png
      附注: 此件公开发布
      抄送机关: [市委办公室, 市人大常委会办公室]
      印发机关: ××市人民政府办公室
      印发日期: 2026-03-16

``格式`` chooses one of the standard's formats: ``文件`` (the general format of §7, the default),
``信函`` (§10.1), ``命令`` (§10.2) or ``纪要`` (§10.3); a 纪要 also takes ``出席``, ``请假`` and
``列席`` (§10.3). This module checks the block and holds every measure the writers share; the PDF
writer draws it (:mod:`zhengji_publish.writers.pdf.gongwen`), the DOCX writer writes it
(:mod:`zhengji_publish.writers.docx.gongwen`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeGuard

import yaml

from zhengji_publish import model as m
from zhengji_publish.dates import DateError, parse_date
from zhengji_publish.diagnostics import Diagnostic, Reporter, UserError
from zhengji_publish.suggest import did_you_mean
from zhengji_publish.units import MM

# Each key of the block, with its clause of GB/T 9704-2012 and the forms it takes (for messages).
KEYS: dict[str, str] = {
    "格式": "文件 (§7, the default), 信函 (§10.1), 命令 (§10.2) or 纪要 (§10.3)",
    "份号": 'six Arabic digits in quotes, e.g. "000012" (§7.2.1)',
    "密级和保密期限": "a string such as 秘密★1年 (§7.2.2)",
    "紧急程度": "特急 or 加急 (§7.2.3)",
    "发文机关标志": "the issuing office's name, often ending in 文件, e.g. ××市人民政府办公室文件 (§7.2.4)",
    "发文字号": "代字〔年份〕序号号, e.g. ××政办发〔2026〕12号 (§7.2.5); a 命令's 令号 such as 第12号",
    "签发人": "a name or a list of names (§7.2.6); it needs a 发文字号",
    "主送机关": "a string ending in a full-width colon, e.g. 各区县人民政府： (§7.3.2)",
    "附件说明": "an attachment name or a list of names (§7.3.4)",
    "发文机关署名": "the issuing office's name (§7.3.5)",
    "成文日期": "a date such as 2026-03-16 or 2026年3月16日 (§7.3.5.4)",
    "印章": "a PNG image of the seal beside the source (§7.3.5.1); without it the unsealed layout of §7.3.5.2",
    "附注": "a string, set in parentheses (§7.3.6)",
    "抄送机关": "an office or a list of offices (§7.4.2)",
    "印发机关": "the office that prints the document (§7.4.3)",
    "印发日期": "a date such as 2026-03-16 or 2026年3月16日 (§7.4.3)",
    "出席": "the attendees of a 纪要 (§10.3): names joined with 、, or a list of names",
    "请假": "those absent from a 纪要's meeting (§10.3): names joined with 、, or a list of names",
    "列席": "those attending a 纪要's meeting without a vote (§10.3): names joined with 、, or a list of names",
}
FORMATS = ("文件", "信函", "命令", "纪要")
URGENCIES = ("特急", "加急")
# 发文字号: 代字, the year in full in 六角括号, the number without 第 and with no leading zero, 号 (§7.2.5)
DOC_NUMBER = re.compile(r"^\S*〔[12][0-9]{3}〕[1-9][0-9]*号$")
ORDER_NUMBER = re.compile(r"^第[1-9][0-9]*号$")  # a 命令's 令号 (§10.2)

# Measures of §7, in points.
MARK_TOP = 35 * MM  # §7.2.4: 发文机关标志's top edge below the type area's top
ORDER_MARK_TOP = 20 * MM  # §10.2: 发令机关标志's top edge below the type area's top
LETTER_MARK_TOP = 30 * MM  # §10.1: the letter's 发文机关标志, top edge below the page's top edge
SEPARATOR_GAP = 4 * MM  # §7.2.7: the red separator 4 mm below the 发文字号
# §7.2.7 gives the separator's width (the type area's) but not its weight: 1 pt, about 0.35 mm, the
# weight §7.4.1 recommends for the heavy 版记 rules, is taken.
SEPARATOR_WEIGHT = 0.35 * MM
RECORD_HEAVY = 0.35 * MM  # §7.4.1: first and last rules of the 版记
RECORD_LIGHT = 0.25 * MM  # §7.4.1: the rules between them
LETTER_RULE = 170 * MM  # §10.1: the letter's red double rules, 170 mm long, centred
LETTER_FOOT = 20 * MM  # §10.1: the second double rule 20 mm above the page's bottom edge


def letter_rule(page_width: float, measure: float) -> float:
    """The length (pt) of a letter's red double rules (§10.1): :data:`LETTER_RULE`, 20 mm in from
    each edge of an A4 page, and as far in on a narrower page (an A5 style's: 108 mm), where the
    rules and the head on them ran off the page and LibreOffice moved the head's table aside; never
    shorter than the type area's ``measure`` (pt) they stand over."""
    return min(LETTER_RULE, max(page_width - 40 * MM, measure))


# The seal's diameter: GB/T 9704 leaves it to the seal; 42 mm is the common 公章 of an office.
SEAL_DIAMETER = 42 * MM
RED = "#E60012"  # §5.2.4 names red for the 版头; this is the red of the standard's 式样
# The largest size of the 发文机关标志: §7.2.4 names no size; 初号 is taken, smaller when the
# name is wider than the type area (no character scaling).
MARK_SIZE = 42.0


@dataclass
class Gongwen:
    """The checked ``公文`` block. Strings are stripped; lists keep their order; dates are dates."""

    format: str = "文件"
    copy_number: str = ""  # 份号
    secrecy: str = ""  # 密级和保密期限
    urgency: str = ""  # 紧急程度
    issuer_mark: str = ""  # 发文机关标志
    doc_number: str = ""  # 发文字号 (a 命令's 令号)
    signers: list[str] = field(default_factory=list)  # 签发人
    addressees: str = ""  # 主送机关
    attachments: list[str] = field(default_factory=list)  # 附件说明
    issuer: str = ""  # 发文机关署名
    date: dt.date | None = None  # 成文日期
    seal: str = ""  # 印章: the image file as written, resolved by the reader
    seal_data: bytes | None = None
    note: str = ""  # 附注
    copies_to: list[str] = field(default_factory=list)  # 抄送机关
    printer: str = ""  # 印发机关
    print_date: dt.date | None = None  # 印发日期
    present: str = ""  # 出席 (纪要)
    absent: str = ""  # 请假 (纪要)
    attending: str = ""  # 列席 (纪要)
    seal_mark: tuple[int, int] = (0, 1)  # the source line and column of 印章, for messages about the file

    # the elements set as text, converted with the body for a traditional edition (lists apart)
    TEXTS: ClassVar[tuple[str, ...]] = (
        *("secrecy", "urgency", "issuer_mark", "doc_number", "addressees", "issuer", "note", "printer"),
        *("present", "absent", "attending"),
    )

    @property
    def upward(self) -> bool:
        """A 上行文: it names 签发人 (§7.2.6), so its 发文字号 sits left, not centred (§7.2.5)."""
        return bool(self.signers)

    @property
    def folio_on_first_page(self) -> bool:
        """§10.1: a letter shows no folio on its first page; every other format does (§7.5)."""
        return self.format != "信函"

    @property
    def has_record(self) -> bool:
        """Whether there is a 版记 (§7.4): 抄送机关 or 印发机关 given."""
        return bool(self.copies_to or self.printer)


def date_text(date: dt.date) -> str:
    """A date as §7.3.5.4 writes it: Arabic numerals, the year in full, no leading zeros (2026年3月16日)."""
    return f"{date.year}年{date.month}月{date.day}日"


def attachment_lines(names: list[str]) -> list[tuple[str, str, str]]:
    """附件说明 as (label, number, name) triples (§7.3.4): ``("附件：", "", "名称")`` for one
    attachment; ``("附件：", "1.", "名称一"), ("", "2.", "名称二")`` for several. A name carried on to
    another line aligns under its first character; its closing punctuation is dropped
    (附件名称后不加标点符号)."""
    clean = [n.rstrip("。；;，,.") for n in names]
    if len(clean) == 1:
        return [("附件：", "", clean[0])]
    return [("附件：" if i == 0 else "", f"{i + 1}.", name) for i, name in enumerate(clean)]


def copies_text(names: list[str]) -> str:
    """The 抄送机关 list as §7.4.2 sets it: names joined by 、 (or ，), ending in 。."""
    return "、".join(n.rstrip("。，、") for n in names) + "。"


def printing_on_one_line(printer: float, date: float, measure: float, em: float) -> bool:
    """Whether the 印发机关 and the 印发日期 (§7.4.3: the office one character in from the left, the
    date one character in from the right, on one line) fit on one line of ``measure``, with a
    character at least between them; widths in pt, ``em`` the 四号 they are set in. When they do
    not (a long office's name in a style narrower than the 公文's 156 mm), the date goes on the
    next line, still one character in from the right: before, the PDF drew the two over each
    other, and LibreOffice cut the date at the type area's edge."""
    return beside(printer, date + 2 * em, measure, em)


def beside(left: float, right: float, measure: float, em: float) -> bool:
    """Whether texts ``left`` and ``right`` pt wide, set flush left and flush right on one line of
    ``measure`` (a letter's 份号 and 发文字号, §10.1), keep a character ``em`` at least between them;
    when they do not (on an ebook's page), the right one goes on the line below the left ones: the
    PDF drew the two over each other."""
    return left + right + em <= measure + 0.01


def mark_size(text: str, measure: float) -> float:
    """The 发文机关标志's size (pt): :data:`MARK_SIZE`, or less so the name fits ``measure``, in
    whole half points (the unit of a DOCX's ``w:sz``, ECMA-376 Part 1 §17.3.2.38), rounded down:
    the PDF and the DOCX set the same size, and a mark that fits one fits the other (rounded to the
    nearest, a 12-character mark at 25.375 pt became 25.5 pt in the DOCX and broke its last
    character onto a line of its own)."""
    fitted = measure / max(len(text), 1)
    return MARK_SIZE if fitted >= MARK_SIZE else math.floor(fitted * 2) / 2


def is_attachment(block: m.Block) -> TypeGuard[m.Div]:
    """A 附件 of the 公文 (§7.3.7): a ``::: attachment`` div at the top level."""
    return isinstance(block, m.Div) and block.cls == "attachment"


def parts(doc: m.Document) -> tuple[str, list[m.Block], list[m.Div]]:
    """The 标题, the text and the 附件 of a 公文, as both writers set them: without a title in the
    front matter, the first heading names the document and is its 标题 (§7.3.1), not part of the
    text; the attachment divs follow the 版记's text in their own pages (§7.3.7)."""
    blocks = list(doc.blocks)
    title = doc.meta.title
    if doc.meta.title_derived:
        first = m.title_heading(blocks)
        if first is not None:
            blocks.remove(first)
            title = m.plain_text(first.children)
    attachments = [b for b in blocks if is_attachment(b)]
    return title, [b for b in blocks if not is_attachment(b)], attachments


def check_attachments(g: Gongwen, blocks: list[m.Block], path: Path, reporter: Reporter) -> None:
    """Warn where the 附件 (``::: attachment`` divs) disagree with the 附件说明: §7.3.7 wants each
    附件's number and title as the 附件说明 gives them. ``blocks`` are the document's top-level
    blocks; the warning names the div's line."""
    divs = [b for b in blocks if is_attachment(b)]
    names = [name for _label, _number, name in attachment_lines(g.attachments)] if g.attachments else []
    if divs and not names:
        reporter.warn(
            f"{len(divs)} 附件 but no 附件说明",
            "list their titles under 公文: 附件说明 (GB/T 9704-2012 §7.3.4)",
            path,
            divs[0].line,
            1,
        )
        return
    for i, div in enumerate(divs):
        head = div.children[0] if div.children else None
        title = m.plain_text(head.children).strip() if isinstance(head, m.Heading) else ""
        if i >= len(names):
            reporter.warn(
                f"附件{i + 1} is not in the 附件说明", "add its title to 附件说明 (§7.3.7)", path, div.line, 1
            )
        elif title != names[i]:
            reporter.warn(
                f"附件{i + 1}'s title '{title}' differs from the 附件说明's '{names[i]}'",
                "give both the same wording (GB/T 9704-2012 §7.3.7)",
                path,
                div.line,
                1,
            )


# ---------------------------------------------------------------- reading the block


def key_marks(front_matter: str) -> dict[str, tuple[int, int]]:
    """(line, column), 1-based within the YAML, of each key inside the top-level ``公文`` mapping;
    ``""`` maps to the ``公文`` key itself."""
    try:
        from zhengji_publish import yamlload

        root = yamlload.compose(front_matter)
    except yaml.YAMLError:
        return {}
    if not isinstance(root, yaml.MappingNode):
        return {}
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "公文":
            marks = {"": (key.start_mark.line + 1, key.start_mark.column + 1)}
            if isinstance(value, yaml.MappingNode):
                for k, _ in value.value:
                    if isinstance(k, yaml.ScalarNode):
                        marks[k.value] = (k.start_mark.line + 1, k.start_mark.column + 1)
            return marks
    return {}


def parse(value: Any, path: Path, marks: dict[str, tuple[int, int]], offset: int) -> Gongwen:
    """Check the ``公文`` block and return it typed.

    ``marks`` are :func:`key_marks`, ``offset`` the file line before the YAML's first line. Every
    problem is a :class:`Diagnostic` at its key: a key the standard does not name (with the nearest
    one), a value of the wrong kind, a date that is not a date, a 发文字号 without its year in 〔〕
    (§7.2.5), a 签发人 without a 发文字号 (§7.2.6); all are raised together as one :class:`UserError`.
    """
    problems: list[Diagnostic] = []

    def at(key: str) -> tuple[int, int]:
        line, col = marks.get(key, marks.get("", (1, 1)))
        return line + offset, col

    def bad(key: str, what: str, hint: str = "") -> None:
        problems.append(Diagnostic(what, hint or f"'{key}' takes {KEYS.get(key, '')}", path, *at(key)))

    if not isinstance(value, dict):
        line, col = at("")
        raise UserError(
            Diagnostic(
                "'公文' is not a mapping of element names to values",
                "write one element per line under it, e.g. '  发文字号: ××政办发〔2026〕12号'",
                path,
                line,
                col,
            )
        )
    gw = Gongwen()

    def text(key: str, v: Any) -> str:
        if isinstance(v, (str, int)) and not isinstance(v, bool):
            return str(v).strip()
        bad(key, f"'{key}' is not a string")
        return ""

    def texts(key: str, v: Any) -> list[str]:
        if isinstance(v, (str, int)) and not isinstance(v, bool):
            return [str(v).strip()]
        if isinstance(v, list) and v and all(isinstance(x, (str, int)) for x in v):
            return [str(x).strip() for x in v]
        bad(key, f"'{key}' is neither a string nor a list of strings")
        return []

    def date(key: str, v: Any) -> dt.date | None:
        try:
            return parse_date(v)
        except DateError as exc:
            bad(key, exc.message(key, v), exc.hint)
            return None

    for key, v in value.items():
        key = str(key)
        if key not in KEYS:
            problems.append(
                Diagnostic(
                    f"'{key}' is not an element of GB/T 9704-2012 the '公文' block knows",
                    did_you_mean(key, KEYS) or "the elements are " + "、".join(KEYS),
                    path,
                    *at(key),
                )
            )
            continue
        if key == "格式":
            gw.format = text(key, v)
            if gw.format and gw.format not in FORMATS:
                bad(key, f"unknown 公文 format '{gw.format}'", did_you_mean(gw.format, FORMATS) or KEYS[key])
        elif key == "份号":
            if isinstance(v, int) and not isinstance(v, bool):  # YAML reads 000012 as a number (octal 10)
                bad(key, f"'份号' {v!r} is a number, not six digits", 'write it in quotes, e.g. 份号: "000012"')
                continue
            gw.copy_number = text(key, v)
            if gw.copy_number and not re.fullmatch(r"[0-9]{6}", gw.copy_number):
                bad(key, f"'份号' is not six digits: {gw.copy_number!r}")
        elif key == "紧急程度":
            gw.urgency = text(key, v)
            if gw.urgency and gw.urgency not in URGENCIES:
                bad(key, f"'紧急程度' is '{gw.urgency}'", KEYS[key])
        elif key == "签发人":
            gw.signers = texts(key, v)
        elif key == "附件说明":
            gw.attachments = texts(key, v)
        elif key == "抄送机关":
            gw.copies_to = texts(key, v)
        elif key in ("成文日期", "印发日期"):
            setattr(gw, "date" if key == "成文日期" else "print_date", date(key, v))
        else:
            attr = {
                "密级和保密期限": "secrecy",
                "发文机关标志": "issuer_mark",
                "发文字号": "doc_number",
                "主送机关": "addressees",
                "发文机关署名": "issuer",
                "印章": "seal",
                "附注": "note",
                "印发机关": "printer",
            }.get(key)
            if attr is None:  # 出席, 请假, 列席 of a 纪要: one name, or several (joined with 、, §10.3)
                attr = {"出席": "present", "请假": "absent", "列席": "attending"}[key]
                setattr(gw, attr, "、".join(texts(key, v)))
            else:
                setattr(gw, attr, text(key, v))
    if gw.doc_number:
        form = ORDER_NUMBER if gw.format == "命令" else DOC_NUMBER
        if not form.match(gw.doc_number):
            bad(
                "发文字号",
                f"'发文字号' {gw.doc_number!r} is not in the standard's form",
                "a 命令's 令号 is written 第12号 (§10.2)"
                if gw.format == "命令"
                else "write 代字〔年份〕序号号 with the year in full in 〔〕 and no leading zero, "
                "e.g. ××政办发〔2026〕12号 (GB/T 9704-2012 §7.2.5)",
            )
    if gw.signers and not gw.doc_number:
        bad(
            "签发人",
            "'签发人' is given without a '发文字号'",
            "a 上行文 names its 发文字号 beside its 签发人 (§7.2.5, §7.2.6)",
        )
    if gw.format != "纪要":
        for key in ("出席", "请假", "列席"):
            if key in value:
                bad(key, f"'{key}' belongs to a 纪要", "add '格式: 纪要' or remove it (GB/T 9704-2012 §10.3)")
    if gw.format == "纪要" and not gw.issuer_mark:
        bad(
            "格式",
            "a 纪要 has no '发文机关标志'",
            "add its 纪要标志, e.g. '发文机关标志: ××市森林防火指挥部会议纪要' (GB/T 9704-2012 §10.3)",
        )
    if gw.seal:
        gw.seal_mark = at("印章")
    if problems:
        raise UserError(problems)
    return gw
