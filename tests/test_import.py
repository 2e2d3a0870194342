"""``zhengji-publish import``: text, Word documents and web pages to a source that builds.

The seed text (``tests/data/seed.txt``, the agency copy ``source/zhengji.md`` was made from by hand)
must import to the same headings, subtitles, bylines, notice and paragraphs as that source; a Word
document typed the way authors type them, our own DOCX, a saved web page and GB 18030 text are
imported and read back through the real reader (and built); bad input writes nothing.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest
import yaml
from conftest import CONSTRUCTS, DATA, SEED
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from zhengji_publish import model as m
from zhengji_publish.cli import main
from zhengji_publish.importers import import_bytes
from zhengji_publish.importers.markdown import emit
from zhengji_publish.reader import read_file, read_text

SEED_TEXT = DATA / "seed.txt"
NOTE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): note: guessed (?P<what>.+?) — (?P<why>.+)$")
ERROR = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): error: .+ — .+$")


def signature(blocks: list[m.Block]) -> list[tuple[Any, ...]]:
    """What a reader sees of each block: its kind, level or class, and its text (nested blocks too)."""
    out: list[tuple[Any, ...]] = []
    for block in blocks:
        if isinstance(block, m.Heading):
            out.append(("heading", block.level, m.plain_text(block.children)))
        elif isinstance(block, m.Paragraph):
            out.append(("paragraph", m.plain_text(block.children)))
        elif isinstance(block, m.Div):
            out.append(("div", block.cls, tuple(signature(block.children))))
        elif isinstance(block, m.BlockQuote):
            out.append(("quote", tuple(signature(block.children))))
        elif isinstance(block, m.ListBlock):
            items = tuple(tuple(signature(item.children)) for item in block.items)
            out.append(("list", block.ordered, block.start, items))
        elif isinstance(block, m.Table):
            cells = [[m.plain_text(c.children) for c in row] for row in [block.header, *block.rows]]
            out.append(("table", tuple(map(tuple, cells)), tuple(block.aligns)))
        elif isinstance(block, m.Figure):
            out.append(("figure", m.plain_text(block.caption), block.image.alt))
        elif isinstance(block, m.CodeBlock):
            out.append(("code", block.text))
        else:
            out.append((type(block).__name__,))
    return out


def run_import(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], list[str]]:
    capsys.readouterr()
    code = main(["import", *args])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def notes_of(err: list[str], source: Path) -> list[re.Match[str]]:
    matches = [NOTE.match(line) for line in err]
    assert all(matches), f"not notes: {[text for text, mt in zip(err, matches, strict=True) if not mt]}"
    found = [mt for mt in matches if mt]
    lines = source.read_text(encoding="utf-8").split("\n")
    for note in found:
        assert note["path"] == str(source)
        assert 1 <= int(note["line"]) <= len(lines)
    return found


# ---------------------------------------------------------------- the seed text


@pytest.mark.e2e
def test_the_seed_text_imports_to_the_hand_made_source(tmp_path, capsys):
    out = tmp_path / "zhengji.md"
    code, printed, err = run_import(capsys, str(SEED_TEXT), "-o", str(out))
    assert code == 0
    assert printed == [str(out)]
    imported, hand = read_file(out), read_file(SEED)
    assert signature(imported.blocks) == signature(hand.blocks)
    assert imported.meta.title == hand.meta.title == "树立和践行正确政绩观"
    assert imported.meta.authors == hand.meta.authors
    # The hand-made source's editions, and the agency of the dateline （新华社北京3月16日电） as publisher.
    assert imported.meta.editions == hand.meta.editions == ["zh-Hans", "zh-Hant-TW"]
    assert imported.meta.publisher == "新华社"

    notes = notes_of(err, out)
    lines = out.read_text(encoding="utf-8").split("\n")
    editions = [int(n["line"]) for n in notes if n["what"] == "the editions zh-Hans and zh-Hant-TW"]
    assert [lines[n - 1] for n in editions] == ["editions:"]  # the note stands at the key it set
    repaired = [n for n in notes if "one paragraph" in n["what"]]
    assert len(repaired) == 1
    line = lines[int(repaired[0]["line"]) - 1]
    assert "企业时，获悉一重点豆制品加工项目" in line  # the two halves, joined where the note says
    assert "line 61 of the text" in repaired[0]["why"] and "厚植为民情怀 砥砺实干担当" in repaired[0]["why"]
    # Every heading, subtitle, byline and the notice was a guess: each has its note on its own line.
    for kind, marker in (("headline", "# "), ("section heading", "## "), ("subtitle", "::: subtitle")):
        for note in (n for n in notes if kind in n["what"]):
            assert lines[int(note["line"]) - 1].startswith(marker), (note.group(), lines[int(note["line"]) - 1])
    assert len([n for n in notes if "section heading" in n["what"]]) == 6
    assert len([n for n in notes if "byline" in n["what"]]) == 2
    assert [lines[int(n["line"]) - 1] for n in notes if "notice" in n["what"]] == ["::: notice"]


@pytest.mark.e2e
def test_the_imported_seed_builds_in_every_format(tmp_path, capsys):
    source = tmp_path / "seed.md"
    assert run_import(capsys, str(SEED_TEXT), "-o", str(source))[0] == 0
    out = tmp_path / "out"
    assert main(["build", str(source), "-o", str(out), "-e", "zh-Hans"]) == 0
    with pdfplumber.open(out / "seed.zh-Hans.pdf") as pdf:
        text = "".join((page.extract_text() or "") for page in pdf.pages).replace("\n", "")
    assert "厚植为民情怀" in text and "获悉一重点豆制品加工项目" in text
    styles = [p.style.name for p in docx.Document(str(out / "seed.zh-Hans.docx")).paragraphs]
    assert styles.count("Heading 1") == 2 and styles.count("Subtitle") == 2 and "Byline" in styles
    with zipfile.ZipFile(out / "seed.zh-Hans.epub") as epub:
        xhtml = "".join(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml"))
    assert "森林防火 人人有责" in xhtml


@pytest.mark.unit
def test_bom_crlf_and_full_width_indentation_import_like_plain_lines():
    plain = SEED_TEXT.read_bytes()
    messy = b"\xef\xbb\xbf" + b"\r\n".join(
        ("\u3000\u3000" + line).encode() if len(line) > 40 else line.encode()
        for line in plain.decode("utf-8").split("\n")
    )
    clean = import_bytes(plain, SEED_TEXT, "img")
    dirty = import_bytes(messy, SEED_TEXT, "img")
    assert dirty.markdown == clean.markdown
    assert any("indentation" in n.what for n in dirty.notes)


@pytest.mark.e2e
def test_gb18030_text_is_converted_with_a_note(tmp_path, capsys):
    legacy = tmp_path / "gbk.txt"
    legacy.write_bytes(SEED_TEXT.read_text(encoding="utf-8").encode("gb18030"))
    out = tmp_path / "gbk.md"
    code, _, err = run_import(capsys, str(legacy), "-o", str(out))
    assert code == 0
    notes = notes_of(err, out)
    assert any("GB 18030" in n["what"] for n in notes)
    assert signature(read_file(out).blocks) == signature(read_file(SEED).blocks)


# ---------------------------------------------------------------- other texts


@pytest.mark.unit
def test_a_statute_gets_levels_from_its_numbering_and_loses_its_table_of_contents():
    result = import_bytes((DATA / "statute.txt").read_bytes(), DATA / "statute.txt", "img")
    doc = read_text(result.markdown, DATA / "statute.md")
    headings = [(b.level, m.plain_text(b.children)) for b in doc.blocks if isinstance(b, m.Heading)]
    assert headings[0] == (1, "中华人民共和国民法典")
    levels = {text.split("\u3000")[0]: level for level, text in headings[1:]}
    assert levels == {"第一编": 2, "第一章": 3, "第二章": 3, "第一节": 4}
    assert len(headings) == 5  # the table of contents' entries are not headings
    assert doc.meta.toc is True
    paragraphs = [m.plain_text(b.children) for b in doc.blocks if isinstance(b, m.Paragraph)]
    assert paragraphs[0].startswith("第一条\u3000为了保护民事主体的合法权益")  # indentation gone, article kept
    assert len(paragraphs) == 6
    subtitle = next(b for b in doc.blocks if isinstance(b, m.Div))
    assert subtitle.cls == "subtitle" and "第三次会议通过" in m.plain_text(subtitle.children[0].children)


@pytest.mark.unit
def test_articles_pasted_together_become_chapters_with_their_bylines():
    result = import_bytes((DATA / "articles.txt").read_bytes(), DATA / "articles.txt", "img")
    doc = read_text(result.markdown, DATA / "articles.md")
    sig = signature(doc.blocks)
    assert [s for s in sig if s[0] == "heading"] == [
        ("heading", 1, "春耕时节农事忙"),
        ("heading", 2, "科技助力春管"),
        ("heading", 1, "城市更新惠民生"),
    ]
    bylines = [s[2] for s in sig if s[:2] == ("div", "byline")]
    assert bylines == [(("paragraph", "（记者 张三 李四）"),), (("paragraph", "来源：某市日报"),)]
    assert doc.meta.authors == ["张三", "李四"]
    assert sig[1][1].startswith("新华社郑州3月16日电（记者 张三 李四）眼下")  # a dateline opening a paragraph stays


@pytest.mark.unit
@pytest.mark.parametrize(
    ("closing", "names"),
    [
        ("（新华社记者 李明）", ["李明"]),
        ("（人民日报记者 王五 赵六）", ["王五", "赵六"]),
        ("（中国青年报记者 周九）", ["周九"]),
        ("（本报记者 张三）", ["张三"]),
        ("（记者 孙七）", ["孙七"]),
    ],
)
def test_a_closing_byline_naming_its_agency_is_a_byline(closing, names):
    """An agency's name before 记者 in a closing byline (``（新华社记者 李明）``) still makes it a
    byline, its reporters the authors; only ``（记者 …）`` and ``（本报记者 …）`` did."""
    text = f"一季度经济运行总体平稳\n\n一季度国内生产总值同比增长5.3%，经济运行开局良好。\n\n{closing}\n"
    result = import_bytes(text.encode(), DATA / "wire.txt", "img")
    doc = read_text(result.markdown, DATA / "wire.md")
    assert ("div", "byline", (("paragraph", closing),)) in signature(doc.blocks)
    assert doc.meta.authors == names


@pytest.mark.unit
def test_hard_wrapped_text_is_rejoined_into_paragraphs():
    sentence = "这是一段从电子邮件里复制出来的新闻稿件正文，每行在固定宽度处被硬换行，需要重新拼接成完整段落。" * 3
    wrapped = "\n".join(sentence[i : i + 30] for i in range(0, len(sentence), 30))
    text = f"标题在这里\n\n{wrapped}\n\n{wrapped}\n"
    result = import_bytes(text.encode(), Path("wrapped.txt"), "img")
    doc = read_text(result.markdown, Path("wrapped.md"))
    assert signature(doc.blocks) == [("heading", 1, "标题在这里"), ("paragraph", sentence), ("paragraph", sentence)]
    assert any("wrapped" in n.what for n in result.notes)


# ---------------------------------------------------------------- hard-wrapped copy

BRIDGE = DATA / "bridge.txt"  # an agency story, one paragraph a line, an empty line after each


def columns_of(text: str) -> int:
    """Columns in a fixed-width editor: two for an East Asian wide or full-width character."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cut(paragraph: str, limit: int, measure: Any = len) -> list[str]:
    """What a cutter makes of a paragraph: as many characters a line as ``limit`` holds, cut
    anywhere (inside a number or a word too), every character kept."""
    lines = [""]
    for ch in paragraph:
        if lines[-1] and measure(lines[-1] + ch) > limit:
            lines.append("")
        lines[-1] += ch
    return lines


def word_wrap(paragraph: str, limit: int) -> list[str]:
    """What a word wrapper makes of a paragraph at ``limit`` columns: a break between any two CJK
    characters, or at a space before a word of Latin letters or digits (the space dropped)."""
    words = re.findall(r"[A-Za-z0-9.,%'’]+|\s|.", paragraph)
    lines = [""]
    for word in words:
        if lines[-1] and columns_of(lines[-1] + word) > limit:
            lines[-1] = lines[-1].rstrip(" ")
            lines.append("")
            if word == " ":
                continue
        lines[-1] += word
    return lines


def wrapped(text: str, wrap: Any, separator: str, newline: str = "\n") -> str:
    """``text`` (one paragraph a line) hard-wrapped by ``wrap``; paragraphs set off by an empty
    line ("blank"), by two full-width spaces before the first line of each ("indent") or not ("none")."""
    out: list[str] = []
    for paragraph in (line for line in text.split("\n") if line.strip()):
        if separator == "indent" and len(paragraph) > 40:  # the paragraphs, not the headings
            paragraph = "\u3000\u3000" + paragraph
        out += wrap(paragraph)
        if separator == "blank":
            out.append("")
    return newline.join(out) + newline


WRAPS = {
    "30 characters": lambda p: cut(p, 30),
    "35 characters": lambda p: cut(p, 35),
    "40 characters": lambda p: cut(p, 40),
    "60 columns": lambda p: cut(p, 60, columns_of),
    "70 columns": lambda p: cut(p, 70, columns_of),
    "72 columns": lambda p: cut(p, 72, columns_of),
    "80 columns": lambda p: cut(p, 80, columns_of),
    "64 columns by words": lambda p: word_wrap(p, 64),
    "72 columns by words": lambda p: word_wrap(p, 72),
}


@pytest.mark.unit
@pytest.mark.parametrize(
    ("wrap", "separator", "newline"),
    [(w, s, n) for w in WRAPS for s in ("blank", "indent") for n in ("\n", "\r\n")]
    # without a mark between paragraphs: the widths at which no paragraph of the story ends on a full
    # line (where one does, nothing tells its end from a wrap, and the note says what to do)
    + [("30 characters", "none", "\n"), ("40 characters", "none", "\r\n"), ("72 columns", "none", "\n")],
)
def test_hard_wrapped_copy_imports_as_the_same_story_unwrapped(wrap, separator, newline):
    story = BRIDGE.read_text(encoding="utf-8")
    text = wrapped(story, WRAPS[wrap], separator, newline)
    if separator == "none":  # no paragraph's last line fills the width, nor one character short of it
        width = int(wrap.split()[0])
        measure, short = (columns_of, 2) if "columns" in wrap else (len, 1)
        for paragraph in (line for line in story.split("\n") if line.strip()):
            assert measure(WRAPS[wrap](paragraph)[-1]) < width - short
    unwrapped = import_bytes(story.encode(), BRIDGE, "img")
    imported = import_bytes(text.encode(), BRIDGE, "img")
    assert imported.markdown == unwrapped.markdown
    blocks = signature(read_text(imported.markdown, Path("bridge.md")).blocks)
    assert ("heading", 2, "攻克海上施工难题") in blocks and ("heading", 2, "外国专家点赞") in blocks
    paragraphs = [b[1] for b in blocks if b[0] == "paragraph"]
    assert len(paragraphs) == 16 and any("设计时速350公里" in p for p in paragraphs)
    assert any("Martin Fischer" in p for p in paragraphs) and any(
        "remarkable piece of engineering" in p for p in paragraphs
    )
    notes = [n.what for n in imported.notes if "hard-wrapped" in n.what]
    limit = wrap.split(" by")[0]
    assert len(notes) == 1 and f"hard-wrapped at {limit} a line" in notes[0] and "rejoined its lines" in notes[0]
    assert not any("hard-wrapped" in n.what for n in unwrapped.notes)


@pytest.mark.unit
def test_a_number_a_version_and_a_word_cut_by_the_wrap_are_rejoined_as_written():
    # Each paragraph is cut at 30 characters, inside what its key names (| is the cut); the cutter
    # keeps the space it cuts at, at the end of the line or the start of the next.
    paragraphs = {
        "设计时速35|0公里": "大桥全长14.7公里，其中海上段长10.8公里，设计时速350公里，每年有效作业天数不足200天。",
        "系统2.|0": "项目部去年建立了海上气象预警系统，今年六月升级为预警系统2.0版，可提前72小时预报风速和浪高。",
        "C|919": "这座大桥建成的消息传来，许多人都说它的意义与我国国产大飞机C919的首飞一样重大，成为热门话题。",
        "Martin |Fischer": "国际桥梁与结构工程协会前主席、德国桥梁专家教授Martin Fischer考察了大桥的施工现场。",
        "Fis|cher": "专家们在工地上一待就是三天，他们的领队是来自德国的专家Fischer，他说这是他见过最难建的桥。",
        "Ingrid| Larsen": "来自挪威的女海洋工程专家、海洋防腐领域的知名权威Ingrid Larsen也对大桥的防腐设计给予好评。",
    }
    for pair, paragraph in paragraphs.items():
        left, right = pair.split("|")
        lines = cut(paragraph, 30)
        assert lines[0].endswith(left) and lines[1].startswith(right), pair  # where the test means the cut
    text = "\n\n".join("\n".join(cut(p, 30)) for p in paragraphs.values()) + "\n"
    doc = read_text(import_bytes(text.encode(), Path("cuts.txt"), "img").markdown, Path("cuts.md"))
    assert signature(doc.blocks) == [("paragraph", p) for p in paragraphs.values()]


@pytest.mark.unit
def test_a_space_put_between_latin_letters_at_a_full_line_is_a_guess_the_notes_name():
    # Nothing in this text tells whether its wrapper cuts words (no number cut, no space kept at a
    # cut, and "remarkable" nowhere whole): the join takes a word wrapper's space, and says so.
    paragraphs = [
        "专家们在工地上一待就是三天，他们说这是一座remarkable的大桥，值得所有的工程师们学习和借鉴。",
        "他们的领队在座谈会上发表了讲话，介绍了各国跨海桥梁建设的经验，大家都认真地做了笔记和记录。",
        "会后，工程师们陪同专家参观了大桥的施工现场，专家们对大桥的质量给予了很高的评价和充分肯定。",
    ]
    assert cut(paragraphs[0], 30)[0].endswith("remarkabl")
    text = "\n\n".join("\n".join(cut(p, 30)) for p in paragraphs) + "\n"
    result = import_bytes(text.encode(), Path("latin.txt"), "img")
    guesses = [n for n in result.notes if "a space between two words in Latin letters" in n.what]
    assert len(guesses) == 1 and "(line 1 of the text)" in guesses[0].what


@pytest.mark.unit
def test_two_lines_cut_in_a_number_are_one_paragraph_not_two_headings():
    first, second = (
        "湄洲湾跨海大桥全长14.7公里，其中海上段长10.8公里，设计时速35",
        "0公里，每年有效作业天数不足200天，建设者们克服了重重困难完成了",
    )
    text = f"{first}\n{second}\n"
    doc = read_text(import_bytes(text.encode(), Path("w.txt"), "img").markdown, Path("w.md"))
    assert signature(doc.blocks) == [("paragraph", first + second)]


@pytest.mark.unit
def test_short_headings_stay_headings_in_wrapped_copy_and_a_closing_quote_line_joins_its_sentence():
    story = BRIDGE.read_text(encoding="utf-8")
    text = wrapped(story, WRAPS["35 characters"], "none")
    assert "\n”\n" in text  # a line of a closing quote alone, as the cut leaves it
    doc = read_text(import_bytes(text.encode(), BRIDGE, "img").markdown, Path("bridge.md"))
    blocks = signature(doc.blocks)
    assert [b[2] for b in blocks if b[0] == "heading"] == [
        "湄洲湾跨海大桥合龙 福厦高铁全线贯通在即",
        "攻克海上施工难题",
        "智能建造显身手",
        "外国专家点赞",
    ]
    assert not any(b[0] == "paragraph" and b[1].startswith("”") for b in blocks)
    assert any(b[0] == "paragraph" and b[1].endswith("我们在海上干了整整7年。”") for b in blocks)


@pytest.mark.e2e
@pytest.mark.external
def test_wrapped_copy_builds_with_no_number_split_by_a_space(tmp_path, capsys):
    from conftest import run

    text = wrapped(BRIDGE.read_text(encoding="utf-8"), WRAPS["60 columns"], "blank", "\r\n")
    assert "设计时速35\r\n0公里" in text  # the cut inside 350, as the agency's copy had it
    copy = tmp_path / "bridge.txt"
    copy.write_bytes(text.encode())
    source = tmp_path / "bridge.md"
    code, _, err = run_import(capsys, str(copy), "-o", str(source))
    assert code == 0
    out = tmp_path / "out"
    assert main(["build", str(source), "-o", str(out), "-e", "zh-Hans", "-f", "pdf"]) == 0
    lines = run("pdftotext", "-enc", "UTF-8", str(out / "bridge.zh-Hans.pdf"), "-").split("\n")
    assert not [line for line in lines if re.search(r"\d\s+\d", line)]  # 时速35 0公里 was the fault
    body = "".join(lines)
    assert "设计时速350公里" in body and "2026年12月底" in body and "1864根" in body
    notes = notes_of(err, source)
    assert any(n["what"].startswith("that the text was hard-wrapped at 60 columns a line") for n in notes)


@pytest.mark.unit
def test_the_emitter_escapes_text_that_would_read_as_markup():
    texts = [
        "# 不是标题",
        "1. 不是列表",
        "- 也不是",
        "> 不是引文",
        "a*b*c 与 _x_",
        "<b>标签</b> [链接](x) `代码`",
        "::: notice",
    ]
    blocks: list[m.Block] = [m.Paragraph([m.Text(t)]) for t in texts]
    doc = read_text(emit({"lang": "zh-CN"}, blocks).text, Path("escape.md"))
    assert signature(doc.blocks) == [("paragraph", t) for t in texts]


# ---------------------------------------------------------------- Word documents


FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote>"
    '<w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
    '<w:r><w:t xml:space="preserve"> 数据来自县统计局2025年年报。</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def author_docx(path: Path) -> Path:
    """A Word document as an author makes one with python-docx: headings by direct formatting
    (short, bold, centred), a numbered list, a table, a footnote (the XML part: python-docx has no
    footnote API) and a picture."""
    d = docx.Document()
    d.core_properties.author = "县委调研组"

    def heading(text: str, size: int) -> None:
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold = True
        run.font.size = Pt(size)

    heading("乡村振兴调研报告", 18)
    p = d.add_paragraph("调研组于三月走访了五个村庄，")
    p.add_run("重点了解").bold = True
    p.add_run("产业发展和")
    p.add_run("人才回流").italic = True
    p.add_run("情况。")
    note = p.add_run()
    note._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="1"/>'))
    heading("一、主要做法", 14)
    for item in ("发展特色种植产业。", "建设农村电商服务站。", "开展职业技能培训。"):
        d.add_paragraph(item, style="List Number")
    heading("二、基本数据", 14)
    table = d.add_table(rows=3, cols=2)
    for r, row in enumerate((("村庄", "人口"), ("东村", "1200"), ("西村", "980"))):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_picture(str(DATA / "figure.png"))
    d.add_paragraph("下一步将继续跟踪调研，形成长效机制。")
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, FOOTNOTES_XML.encode(), d.part.package)
    d.part.relate_to(part, RT.FOOTNOTES)
    d.save(str(path))
    return path


@pytest.mark.e2e
def test_an_author_docx_imports_and_builds_in_all_three_formats(tmp_path, capsys):
    source = tmp_path / "report.md"
    code, printed, err = run_import(capsys, str(author_docx(tmp_path / "report.docx")), "-o", str(source))
    assert code == 0
    image = tmp_path / "report-images" / "image1.png"
    assert printed == [str(image), str(source)] and image.read_bytes() == (DATA / "figure.png").read_bytes()
    doc = read_file(source)
    sig = signature(doc.blocks)
    assert [s for s in sig if s[0] == "heading"] == [
        ("heading", 1, "乡村振兴调研报告"),
        ("heading", 2, "一、主要做法"),
        ("heading", 2, "二、基本数据"),
    ]
    items = ("发展特色种植产业。", "建设农村电商服务站。", "开展职业技能培训。")
    assert ("list", True, 1, tuple((("paragraph", t),) for t in items)) in sig
    assert ("table", (("村庄", "人口"), ("东村", "1200"), ("西村", "980")), ("", "")) in sig
    assert any(s[0] == "figure" for s in sig)
    first = next(b for b in doc.blocks if isinstance(b, m.Paragraph))
    assert [type(n).__name__ for n in first.children] == ["Text", "Strong", "Text", "Emph", "Text", "FootnoteRef"]
    assert [m.plain_text(b.children) for f in doc.footnotes for b in f.children] == ["数据来自县统计局2025年年报。"]
    assert doc.meta.authors == ["县委调研组"]
    notes = notes_of(err, source)
    assert len([n for n in notes if "heading" in n["what"]]) == 3

    out = tmp_path / "out"
    assert main(["build", str(source), "-o", str(out), "-e", "zh-Hans"]) == 0
    with pdfplumber.open(out / "report.zh-Hans.pdf") as pdf:
        text = "".join((page.extract_text() or "") for page in pdf.pages).replace("\n", "")
        assert any(page.images for page in pdf.pages)
    assert "乡村振兴调研报告" in text and "建设农村电商服务站" in text and "数据来自县统计局" in text
    built = docx.Document(str(out / "report.zh-Hans.docx"))
    assert [p.text for p in built.paragraphs if p.style.name == "Heading 2"] == ["一、主要做法", "二、基本数据"]
    assert built.tables[0].cell(1, 0).text == "东村"
    with zipfile.ZipFile(out / "report.zh-Hans.epub") as epub:
        names = epub.namelist()
        xhtml = "".join(epub.read(n).decode("utf-8") for n in names if n.endswith(".xhtml"))
    assert "<ol" in xhtml and "<table" in xhtml and any(n.endswith(".png") for n in names)


@pytest.mark.e2e
@pytest.mark.parametrize("source", [SEED, CONSTRUCTS], ids=["seed", "constructs"])
def test_our_own_docx_imports_back_to_the_same_document(source, built, tmp_path, capsys):
    docx_path = built(source, "docx", "zh-Hans")
    out = tmp_path / f"{source.stem}.md"
    assert run_import(capsys, str(docx_path), "-o", str(out))[0] == 0
    original, imported = read_file(source), read_file(out)
    assert signature(imported.blocks) == signature(original.blocks)
    assert imported.meta.title == original.meta.title
    assert imported.meta.authors == original.meta.authors
    assert imported.meta.date == original.meta.date
    notes = [[m.plain_text(b.children) for b in f.children if isinstance(b, m.Paragraph)] for f in imported.footnotes]
    assert notes == [[m.plain_text(b.children) for b in f.children] for f in original.footnotes]


@pytest.mark.e2e
def test_heading_links_survive_a_docx_round_trip(tmp_path, capsys):
    """Links to headings, written GitHub's way, pandoc's way and to a ``{#id}``, point at their
    headings' bookmarks in the DOCX; imported back, each is a link to its heading by GitHub's name
    (``#二方法``, a repeat ``#数据-1``) that the reader resolves to the same heading, with no
    warning. Before, they came back as ``<#sec_3>`` and warned "is no heading's name" and went
    dead when the imported source was built."""
    source = tmp_path / "links.md"
    source.write_text(
        "---\ntitle: 链接\n---\n\n# 一、背景\n\n参见[方法](#二方法)、[第二份数据](#数据-1)和[结语](#end)。\n\n"
        "## 数据\n\n一段。\n\n# 二、方法\n\n又见[背景](#一背景)。\n\n## 数据\n\n两段。\n\n# 三、结语 {#end}\n\n完。\n",
        encoding="utf-8",
    )
    assert main(["build", str(source), "-o", str(tmp_path / "o"), "-e", "zh-Hans", "-f", "docx"]) == 0
    out = tmp_path / "back.md"
    assert run_import(capsys, str(tmp_path / "o/links.zh-Hans.docx"), "-o", str(out))[0] == 0
    text = out.read_text(encoding="utf-8")
    assert all(f"(<#{name}>)" in text for name in ("二方法", "数据-1", "三结语", "一背景")), text
    original, back = read_file(source), read_file(out)
    err = capsys.readouterr().err
    assert "link target" not in err

    def targets(doc: m.Document) -> list[tuple[str, str]]:
        by_ident = {h.ident: m.plain_text(h.children) for h in m.headings(doc)}
        return [(m.plain_text(link.children), by_ident[link.href[1:]]) for link in m.query(doc, m.Link, lambda x: x)]

    assert targets(back) == targets(original) and len(targets(back)) == 4


# ---------------------------------------------------------------- web pages


@pytest.mark.e2e
def test_a_web_page_imports_to_its_article_only(tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_bytes((DATA / "article.html").read_bytes())
    (tmp_path / "figure.png").write_bytes((DATA / "figure.png").read_bytes())
    out = tmp_path / "article.md"
    code, printed, err = run_import(capsys, str(page), "-o", str(out))
    assert code == 0
    assert (tmp_path / "article-images" / "figure.png").is_file()
    doc = read_file(out)
    text = out.read_text(encoding="utf-8")
    for chrome in ("首页", "登录注册", "热门推荐", "广告", "网友评论", "版权所有", "tracker"):
        assert chrome not in text
    sig = signature(doc.blocks)
    assert sig[0] == ("heading", 1, "河南安阳开设“支书课堂” 聚焦急难愁盼")
    assert ("heading", 2, "以实干实绩把为民造福落到实处") in sig
    assert ("div", "byline", (("paragraph", "2026年03月16日 08:00 来源：新华网"),)) in sig
    assert len([s for s in sig if s[0] == "paragraph"]) == 4
    links = m.query(doc, m.Link, lambda link: link.href)
    assert links == ["https://www.example.org/report"]
    assert doc.meta.authors == ["新华社记者"] and str(doc.meta.date) == "2026-03-16"
    notes_of(err, out)


@pytest.mark.e2e
@pytest.mark.parametrize(
    "page",
    [
        "<html><body><nav>首页</nav></body></html>",
        "<html><head><title>标题</title></head><body><nav>首页 新闻</nav>"
        "<footer>版权所有 © 2026 某某网 京ICP备12345678号</footer></body></html>",
        "<html><body><header><nav><a href='/'>首页</a> <a href='/n'>新闻</a></nav></header>"
        "<aside>热门推荐：某某某</aside></body></html>",
    ],
)
def test_a_web_page_without_an_article_is_refused(tmp_path, capsys, page):
    """A page holding only navigation, an aside or a footer has no article: the import stops with
    the documented error and writes nothing. Readability gives such a page's furniture as its
    article, and its menu or its copyright line was imported as the text, titled ``[no-title]``."""
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    out = tmp_path / "p.md"
    code, printed, err = run_import(capsys, str(tmp_path / "p.html"), "-o", str(out))
    assert code == 1 and not printed and not out.exists()
    assert (
        len(err) == 1 and "p.html:1:1: error: no article text was found on the web page; nothing was written" in err[0]
    )


# ---------------------------------------------------------------- bad input


@pytest.mark.e2e
@pytest.mark.parametrize("force", [False, True])
def test_an_import_into_a_folder_is_refused_with_or_without_force(tmp_path, capsys, force):
    """``-o`` naming a folder: one message saying so (not "the file exists — pass --force", after
    which --force failed naming a temporary file), exit 2, the folder as it was."""
    (tmp_path / "a.txt").write_text("标题\n\n正文一段。\n", encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    code, printed, err = run_import(capsys, str(tmp_path / "a.txt"), "-o", str(folder), *(["--force"] if force else []))
    assert code == 2 and not printed and list(folder.iterdir()) == []
    assert err == [
        f"{folder}: error: is a folder, not a file; nothing was written — name the source's file with -o "
        "(-o article.md), or move the folder away"
    ]


def encrypted_docx() -> bytes:
    """The start of an OOXML file sealed with a password: an OLE compound file whose directory names
    the ``EncryptedPackage`` stream (MS-OFFCRYPTO 2.3.4.4), as Word writes it."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entry = "EncryptedPackage".encode("utf-16-le") + bytes(2)
    return header + entry.ljust(128, b"\0") + bytes(4096)


def blank_docx() -> bytes:
    import io

    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def corrupt_docx() -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document><w:body><w:p>cut off")
    return out.getvalue()[:-30]


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("empty.txt", b"\n  \n", "empty"),
        ("blob.txt", bytes(range(256)) * 8, "binary"),
        ("locked.docx", encrypted_docx(), "password"),
        ("broken.docx", corrupt_docx(), "damaged"),
        ("blank.docx", blank_docx(), "holds no text"),
        ("latin.txt", "Grüße aus Köln, ça va très bien.\n".encode("cp1252") * 5, "not UTF-8, GB 18030 or Big5"),
    ],
    ids=["empty", "binary", "password", "corrupt-docx", "blank-docx", "unknown-encoding"],
)
def test_bad_input_gets_one_located_message_and_nothing_is_written(tmp_path, capsys, name, data, says):
    bad = tmp_path / name
    bad.write_bytes(data)
    out = tmp_path / "out.md"
    code, printed, err = run_import(capsys, str(bad), "-o", str(out))
    assert code != 0 and printed == []
    assert len(err) == 1 and ERROR.match(err[0]) and err[0].startswith(f"{bad}:"), err
    assert says in err[0] and "nothing was written" in err[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.e2e
@pytest.mark.parametrize(
    "data, what, rename",
    [
        (b"this is not a zip", "plain text", "fake.txt"),
        ("第一段。\n\n第二段。\n".encode("gb18030"), "plain text", "fake.txt"),
        (b"\n", "an empty file", ""),
        (b"<html><body><p>x</p></body></html>", "an HTML page", "fake.html"),
        ("正文\n".encode("utf-16"), "UTF-16 text", "fake.txt"),
    ],
    ids=["text", "gb18030", "empty", "html", "utf16"],
)
def test_a_docx_that_is_no_word_document_is_not_imported_as_text(tmp_path, capsys, data, what, rename):
    """Before, a .docx holding text was imported as plain text, exit 0."""
    fake = tmp_path / "fake.docx"
    fake.write_bytes(data)
    out = tmp_path / "out.md"
    code, printed, err = run_import(capsys, str(fake), "-o", str(out))
    assert code == 1 and printed == []
    renamed = f"if it is {what}, rename it to {tmp_path / rename}; " if rename else ""
    assert err == [
        f"{fake}:1:1: error: not a Word document (it is {what}, not a .docx ZIP package); nothing was written — "
        f"{renamed}if it should be a Word document, open the original in Word or LibreOffice and save it again "
        "as .docx"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fake.docx"]


@pytest.mark.e2e
def test_an_existing_source_is_kept_unless_forced(tmp_path, capsys):
    out = tmp_path / "seed.md"
    out.write_text("# 编辑改过的稿子\n", encoding="utf-8")
    code, printed, err = run_import(capsys, str(SEED_TEXT), "-o", str(out))
    assert code == 2 and printed == []
    assert err == [f"{out}: error: the file exists; nothing was written — pass --force to replace it, or choose "
                   "another name with -o"]  # fmt: skip
    assert out.read_text(encoding="utf-8") == "# 编辑改过的稿子\n"
    assert run_import(capsys, str(SEED_TEXT), "-o", str(out), "--force")[0] == 0
    assert "# 凝心铸魂强根基 以民为本出实绩" in out.read_text(encoding="utf-8")


@pytest.mark.unit
def test_a_word_notice_sized_on_its_text_gives_its_gongwen_elements(tmp_path):
    """A Word notice whose Normal style is Word's 11 pt and whose text is set 三号 (16 pt) run by
    run: its text's size is 16 pt, not the style's, so no 16 pt line reads as larger than the text
    (a heading): the same 公文 block as from the 16 pt Normal. Before, no 公文 block and no title
    (the 发文字号 a ``###`` heading)."""
    result = import_bytes(tz_docx(tmp_path / "tz.docx", normal=11).read_bytes(), tmp_path / "tz.docx", "img")
    meta = yaml.load(result.markdown.split("---\n")[1], Loader=yaml.BaseLoader)
    assert meta["公文"] == TZ_BLOCK
    assert meta["title"] == "关于做好2027年元旦春节期间有关工作的通知"


@pytest.mark.e2e
def test_a_folder_that_cannot_be_written_is_named_with_the_cause(tmp_path, capsys, monkeypatch):
    """The folder refuses the temporary file the source is written to first: the message names
    the source that was to be written and the cause, not the temporary file
    (``.x.md.dl_sguro: error: cannot read or write a file``), and nothing is left there."""
    import tempfile

    def refused(*_args, prefix: str = "", suffix: str = "", dir: str = "", **_kw):  # noqa: A002 (mkstemp's)
        raise PermissionError(1, "Operation not permitted", str(Path(dir) / f"{prefix}dl_sguro{suffix}"))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    out = tmp_path / "x.md"
    code, printed, err = run_import(capsys, str(SEED_TEXT), "-o", str(out))
    assert code == 1 and printed == []
    assert err == [f"{out}: error: cannot write the imported source: operation not permitted — check the "
                   "permissions of the file and its folders"]  # fmt: skip
    assert list(tmp_path.iterdir()) == []


@pytest.mark.e2e
def test_the_default_output_is_the_file_with_the_suffix_md(tmp_path, capsys):
    copy = tmp_path / "wire.txt"
    copy.write_bytes(SEED_TEXT.read_bytes())
    code, printed, _ = run_import(capsys, str(copy))
    assert code == 0 and printed == [str(tmp_path / "wire.md")]


@pytest.mark.unit
def test_text_copied_from_a_web_page_loses_its_buttons_and_keeps_its_bylines():
    result = import_bytes((DATA / "webcopy.txt").read_bytes(), DATA / "webcopy.txt", "img")
    doc = read_text(result.markdown, DATA / "webcopy.md")
    sig = signature(doc.blocks)
    assert sig[0] == ("heading", 1, "国务院常务会议研究部署稳就业举措")
    assert [s[2][0][1] for s in sig if s[:2] == ("div", "byline")] == [
        "2026-03-16 10:20:33\u3000来源：新华网",
        "新华社北京3月16日电（记者 王五）",
        "新华社记者 赵六 摄",
        "责任编辑：钱七",
    ]
    assert "打印本页" not in result.markdown and ("ThematicBreak",) in sig
    assert (doc.meta.authors, doc.meta.publisher, str(doc.meta.date)) == (["王五"], "新华网", "2026-03-16")
    assert any("buttons" in n.what and "lines 5 of the text" in n.what for n in result.notes)


@pytest.mark.unit
def test_traditional_text_is_marked_zh_tw_and_read_by_the_same_rules():
    import opencc

    text = opencc.OpenCC("s2tw").convert((DATA / "articles.txt").read_text(encoding="utf-8"))
    result = import_bytes(text.encode("utf-16"), Path("articles.txt"), "img")
    doc = read_text(result.markdown, Path("articles.md"))
    assert doc.meta.lang == "zh-TW" and doc.meta.authors == ["張三", "李四"]
    headings = [(b.level, m.plain_text(b.children)) for b in doc.blocks if isinstance(b, m.Heading)]
    assert headings == [(1, "春耕時節農事忙"), (2, "科技助力春管"), (1, "城市更新惠民生")]
    assert {n.what for n in result.notes} >= {"the encoding UTF-16", "the text is in traditional characters"}


@pytest.mark.unit
def test_a_newspaper_article_gets_its_numbered_sections_and_bylines():
    result = import_bytes((DATA / "newspaper.txt").read_bytes(), DATA / "newspaper.txt", "img")
    doc = read_text(result.markdown, DATA / "newspaper.md")
    headings = [(b.level, m.plain_text(b.children)) for b in doc.blocks if isinstance(b, m.Heading)]
    assert headings == [
        (1, "坚持以人民为中心的发展思想"),
        (2, "一、稳就业"),
        (2, "二、保民生"),
        (3, "（一）加强社会保障"),
        (3, "（二）提升公共服务"),
    ]
    bylines = [m.plain_text(b.children[0].children) for b in doc.blocks if isinstance(b, m.Div)]
    assert bylines[1] == "《 人民日报 》（ 2026年03月16日 第 01 版）" and bylines[-1] == "（责任编辑：王五）"
    assert doc.meta.authors == ["张三", "李四"] and str(doc.meta.date) == "2026-03-16"


@pytest.mark.unit
def test_paragraphs_numbered_by_hand_in_word_become_a_numbered_list():
    import io

    d = docx.Document()
    for text in ("调研发现三个问题：", "1. 产业链条短", "2．人才流失", "3、资金不足", "正文继续。"):
        d.add_paragraph(text)
    data = io.BytesIO()
    d.save(data)
    result = import_bytes(data.getvalue(), Path("typed.docx"), "img")
    sig = signature(read_text(result.markdown, Path("typed.md")).blocks)
    items = tuple((("paragraph", t),) for t in ("产业链条短", "人才流失", "资金不足"))
    assert sig == [("paragraph", "调研发现三个问题："), ("list", True, 1, items), ("paragraph", "正文继续。")]
    assert [n.what for n in result.notes if not n.what.startswith("the editions")] == ["a numbered list"]


@pytest.mark.unit
def test_a_regulation_without_a_title_keeps_its_chapters_at_one_level():
    text = "第一章　总则\n\n第一条　为了规范管理，制定本办法。\n\n第二章　附则\n\n第二条　本办法自公布之日起施行。\n"
    doc = read_text(import_bytes(text.encode(), Path("rules.txt"), "img").markdown, Path("rules.md"))
    assert [s for s in signature(doc.blocks) if s[0] == "heading"] == [
        ("heading", 2, "第一章\u3000总则"),
        ("heading", 2, "第二章\u3000附则"),
    ]


@pytest.mark.unit
def test_the_kind_of_file_is_told_by_its_content_not_its_name(tmp_path):
    page = (DATA / "article.html").read_bytes()
    word = author_docx(tmp_path / "report.docx").read_bytes()
    text = SEED_TEXT.read_bytes()
    kinds = [import_bytes(data, tmp_path / name, "img").kind for data, name in
             ((page, "page.txt"), (word, "report.txt"), (text, "seed.html"))]  # fmt: skip
    assert kinds == ["html", "docx", "text"]


@pytest.mark.unit
def test_reports_pasted_without_bylines_are_told_apart_by_their_datelines():
    text = (
        "春耕时节农事忙\n\n新华社郑州3月16日电（记者 张三 李四）眼下正值春耕备耕关键时期，河南各地农民抢抓农时。\n\n"
        "科技助力春管\n\n当地农业部门组织技术人员深入田间，指导农民科学施肥。\n\n"
        "城市更新惠民生\n\n本报讯 近年来，某市持续推进老旧小区改造，累计完成改造项目300余个。\n"
    )
    result = import_bytes(text.encode(), Path("reports.txt"), "img")
    doc = read_text(result.markdown, Path("reports.md"))
    assert [s for s in signature(doc.blocks) if s[0] == "heading"] == [
        ("heading", 1, "春耕时节农事忙"),
        ("heading", 2, "科技助力春管"),
        ("heading", 1, "城市更新惠民生"),
    ]
    assert doc.meta.authors == ["张三", "李四"] and doc.meta.publisher == "新华社"
    lines = result.markdown.split("\n")
    note = next(n for n in result.notes if n.what == "the publisher 新华社; author 张三、李四")
    assert lines[note.line - 1].startswith("新华社郑州3月16日电")


@pytest.mark.e2e
@pytest.mark.external
def test_a_docx_written_by_pandoc_imports_with_its_title_block_and_structure(tmp_path, capsys):
    import shutil
    import subprocess

    pandoc = shutil.which("pandoc")
    assert pandoc, "pandoc is required: apt-get install pandoc"
    word = tmp_path / "pandoc.docx"
    subprocess.run([pandoc, str(CONSTRUCTS), "-o", str(word)], check=True, cwd=DATA, capture_output=True)
    out = tmp_path / "pandoc.md"
    assert run_import(capsys, str(word), "-o", str(out))[0] == 0
    original, imported = read_file(CONSTRUCTS), read_file(out)
    assert (imported.meta.title, imported.meta.authors, imported.meta.date) == (
        original.meta.title,
        original.meta.authors,
        original.meta.date,
    )

    def kept(doc: m.Document) -> list[tuple[Any, ...]]:
        return [s for s in signature(doc.blocks) if s[0] in ("heading", "list", "table", "quote", "code")]

    # pandoc writes a fenced div's blocks without their class: the notice's heading stands alone
    assert kept(imported) == [*kept(original), ("heading", 1, "公告标题")]


@pytest.mark.unit
def test_a_web_page_with_bold_section_heads_and_a_menu_imports_to_its_article():
    page = DATA / "bold-sections.html"
    result = import_bytes(page.read_bytes(), page, "img")
    doc = read_text(result.markdown, DATA / "bold-sections.md")
    sig = signature(doc.blocks)
    assert [s for s in sig if s[0] == "heading"] == [
        ("heading", 1, "某地推进乡村振兴"),  # the <title> without the site's name
        ("heading", 2, "产业兴旺 农民增收"),
        ("heading", 2, "生态宜居 环境改善"),
    ]
    paragraphs = [s[1] for s in sig if s[0] == "paragraph"]
    assert len(paragraphs) == 4 and all(not p.startswith("\u3000") for p in paragraphs)
    assert "首页" not in result.markdown and "版权所有" not in result.markdown


@pytest.mark.unit
def test_a_div_inside_a_div_reads_back_nested():
    inner = m.Div("byline", [m.Paragraph([m.Text("新华社记者")])])
    blocks: list[m.Block] = [m.Div("notice", [m.Heading(1, [m.Text("公告")]), inner]), m.Paragraph([m.Text("正文")])]
    doc = read_text(emit({}, blocks).text, Path("nested.md"))
    assert signature(doc.blocks) == [
        ("div", "notice", (("heading", 1, "公告"), ("div", "byline", (("paragraph", "新华社记者"),)))),
        ("paragraph", "正文"),
    ]


@pytest.mark.e2e
def test_a_web_page_imports_only_images_inside_its_folder_and_keeps_two_of_one_name(tmp_path, capsys):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "b").mkdir()
    figure = (DATA / "figure.png").read_bytes()
    (site / "a" / "x.png").write_bytes(figure)
    (site / "b" / "x.png").write_bytes(figure + b"\0")  # another picture of the same name
    (tmp_path / "secret.png").write_bytes(figure)  # beside the page's folder, not in it
    (site / "fake.png").write_text("not a picture", encoding="utf-8")
    page = site / "page.html"
    page.write_text(
        "<html><head><title>图片</title></head><body><article><h1>图片</h1>"
        + "".join(
            f'<p>第{i}段正文，内容足够长，可以被识别为文章的一部分。<img src="{src}" alt="图{i}"></p>'
            for i, src in enumerate(["a/x.png", "b/x.png", "../secret.png", "fake.png"], 1)
        )
        + "</article></body></html>",
        encoding="utf-8",
    )
    out = tmp_path / "out" / "page.md"
    code, _, err = run_import(capsys, str(page), "-o", str(out))
    assert code == 0, err
    copied = sorted(p.name for p in (out.parent / "page-images").iterdir())
    assert copied == ["x-2.png", "x.png"]
    assert (out.parent / "page-images" / "x-2.png").read_bytes() == figure + b"\0"
    assert "secret" not in out.read_text(encoding="utf-8")
    assert any("2 image(s) on the web, missing, or outside the page's folder were not copied" in line for line in err)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("opening", "publisher", "author"),
    [
        ("新华社北京4月16日电 国家统计局16日发布数据显示", "新华社", None),
        ("新华社北京4月16日电（记者王希）国家统计局16日发布数据显示", "新华社", ["王希"]),
        ("人民日报北京4月16日电 记者从国家统计局获悉", "人民日报", None),
        ("中新网上海4月16日电（记者 李明）上海市统计局16日发布", "中新网", ["李明"]),
        ("本报北京4月16日讯 国家统计局16日发布", None, None),
    ],
)
def test_a_paragraph_opening_with_a_dateline_names_the_publisher(opening, publisher, author):
    """The agency of a dateline opening the first paragraph (新华社北京4月16日电) publishes the copy,
    as that of a dateline line in brackets does; a paper's own 本报讯 names none."""
    text = f"一季度经济运行总体平稳\n\n{opening}，一季度国内生产总值同比增长5.3%。\n\n经济运行开局良好。\n"
    result = import_bytes(text.encode(), DATA / "wire.txt", "img")
    doc = read_text(result.markdown, DATA / "wire.md")
    assert (doc.meta.publisher or None) == publisher
    assert (doc.meta.authors or None) == author
    assert opening in result.markdown  # the dateline stays in the text


@pytest.mark.unit
@pytest.mark.parametrize(
    ("ending", "issuer", "note", "byline", "date"),
    [
        # the issuer pushed right by typed spaces, the date under it (GB/T 9704-2012 §7.3.5)
        ("{pad}北山市人民政府\n{pad}2026年2月15日\n", "北山市人民政府", "", [], "2026-02-15"),
        # a joint document: two issuers, named like bodies, not pushed; Chinese numerals: a byline
        (
            "北山市教育局\n北山市财政局\n二〇二六年三月一日\n",
            "",
            "",
            [["北山市教育局", "北山市财政局", "二〇二六年三月一日"]],
            "2026-03-01",
        ),
        # a 附注 in brackets after the date
        (
            "{pad}北山市应急管理局办公室\n{pad}2025年12月31日\n（此件公开发布）\n",
            "北山市应急管理局办公室",
            "此件公开发布",
            [],
            "2025-12-31",
        ),
        # a date alone after the last sentence: the date signs, nothing above it is the issuer
        ("2026年4月2日\n", "", "", [], "2026-04-02"),
        # Chinese numerals, then a 附注: the date is no heading and the 附注 no subtitle under it
        (
            "西河市人民政府办公室\n二〇二七年五月一日\n（联系人：王五，电话：12345678）\n",
            "西河市人民政府办公室",
            "联系人：王五，电话：12345678",
            [],
            "2027-05-01",
        ),
    ],
)
def test_a_signature_closing_a_notice_gives_its_issuer_date_and_note(ending, issuer, note, byline, date):
    """落款 (发文机关署名 and 成文日期) closing an office text: the 公文 block's 发文机关署名,
    成文日期 and 附注 (without its brackets), set by the gongwen style; a joint document's several
    issuers stay one right-aligned byline. The document's date is the date it was signed, not the
    first date its text mentions."""
    pad = "\u3000" * 12
    text = (
        "关于开展2026年度安全生产大检查的通知\n\n各区县人民政府：\n\n"
        "    为贯彻落实2025年12月20日会议精神，决定于2026年3月1日起开展大检查。\n\n"
        "    一、检查范围\n\n    全市各类生产经营单位。\n\n" + ending.format(pad=pad)
    )
    result = import_bytes(text.encode("gb18030"), Path("notice.txt"), "img")
    doc = read_text(result.markdown, Path("notice.md"))
    assert str(doc.meta.date) == date
    gw = doc.meta.gongwen
    assert gw is not None and gw.addressees == "各区县人民政府："
    assert (gw.issuer, gw.note, str(gw.date) if gw.date else date) == (issuer, note, date)
    assert bool(gw.date) == (not byline)
    bylines = [b for b in doc.blocks if isinstance(b, m.Div) and b.cls == "byline"]
    assert [[m.plain_text(p.children) for p in b.children] for b in bylines] == byline
    assert doc.meta.title == "关于开展2026年度安全生产大检查的通知"  # the front matter's: the sections start at '#'
    assert [s[1:] for s in signature(doc.blocks) if s[0] == "heading"] == [(1, "一、检查范围")]
    assert not [b for b in doc.blocks if isinstance(b, m.Div) and b.cls == "subtitle"]
    if not byline:  # the text ends with its last sentence: nothing of the signature is left in it
        assert signature(doc.blocks)[-1] == ("paragraph", "全市各类生产经营单位。")


@pytest.mark.unit
def test_a_last_line_that_is_not_a_signature_stays_text():
    """A short last line that is neither pushed right nor named like a body, above a date, is not
    taken into the signature; a date inside a sentence signs nothing."""
    text = "春耕时节\n\n新华社郑州3月16日电 眼下正值春耕。\n\n大家都很忙\n\n2026年3月16日\n"
    doc = read_text(import_bytes(text.encode(), Path("a.txt"), "img").markdown, Path("a.md"))
    bylines = [b for b in doc.blocks if isinstance(b, m.Div) and b.cls == "byline"]
    assert [[m.plain_text(p.children) for p in b.children] for b in bylines] == [["2026年3月16日"]]
    text = "春耕时节\n\n新华社郑州3月16日电 眼下正值春耕，2026年3月16日起各地开始播种。\n"
    doc = read_text(import_bytes(text.encode(), Path("b.txt"), "img").markdown, Path("b.md"))
    assert not [b for b in doc.blocks if isinstance(b, m.Div) and b.cls == "byline"]
    assert str(doc.meta.date) == "2026-03-16"  # the first full date, as before


@pytest.mark.unit
def test_an_office_word_document_made_by_direct_formatting_gets_its_structure(tmp_path):
    """A notice typed in Word without heading styles, as offices make them: the title centred in a
    larger size (小标宋 二号, not bold), sections numbered 一、 and （一） by hand, typed numbers,
    and the signature (issuer and 成文日期) right-aligned with a 附注 under it (GB/T 9704-2012
    §7.3)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    d.styles["Normal"].font.size = Pt(16)
    title = d.add_paragraph()
    title.add_run("关于开展2026年度安全生产大检查的通知").font.size = Pt(22)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in (
        "各区县人民政府：",
        "为贯彻落实2025年12月20日会议精神，决定于2026年3月1日起开展大检查。",
        "一、检查范围",
        "（一）生产经营单位",
        "全市各类生产经营单位。",
        "1. 按时报送。",
        "2. 认真整改。",
    ):
        d.add_paragraph(text)
        if text == "全市各类生产经营单位。":
            d.add_paragraph().add_run("二、工作要求").bold = True  # typed bold, as offices set it in 黑体
    for text in ("北山市人民政府", "2026年2月15日"):
        d.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.add_paragraph("（此件公开发布）")
    d.save(str(tmp_path / "notice.docx"))
    result = import_bytes((tmp_path / "notice.docx").read_bytes(), tmp_path / "notice.docx", "img")
    doc = read_text(result.markdown, tmp_path / "notice.md")
    assert str(doc.meta.date) == "2026-02-15"  # the signed date, not the first one the text names
    assert doc.meta.title == "关于开展2026年度安全生产大检查的通知" and not doc.meta.title_derived
    assert signature(doc.blocks) == [
        ("paragraph", "为贯彻落实2025年12月20日会议精神，决定于2026年3月1日起开展大检查。"),
        ("heading", 1, "一、检查范围"),
        ("heading", 2, "（一）生产经营单位"),
        ("paragraph", "全市各类生产经营单位。"),
        ("heading", 1, "二、工作要求"),
        ("list", True, 1, ((("paragraph", "按时报送。"),), (("paragraph", "认真整改。"),))),
    ]
    gw = doc.meta.gongwen  # the 主送机关, the 落款 and the 附注 are the 公文 block's (§7.3.2, §7.3.5, §7.3.6)
    assert gw is not None and (gw.addressees, gw.issuer, str(gw.date), gw.note) == (
        "各区县人民政府：",
        "北山市人民政府",
        "2026-02-15",
        "此件公开发布",
    )
    assert "**" not in result.markdown  # a heading's bold said it was one: the heading is not bold text


@pytest.mark.e2e
def test_our_own_book_docx_imports_without_a_note_on_indentation(tmp_path, capsys):
    """The invisible paragraphs that end a book opening's section in our DOCX are not typed
    indentation: importing the book's DOCX back says nothing about indentation."""
    assert main(["build", str(DATA / "book" / "book.yaml"), "-o", str(tmp_path), "-f", "docx", "-e", "zh-Hans"]) == 0
    assert main(["import", str(tmp_path / "book.zh-Hans.docx"), "-o", str(tmp_path / "back.md")]) == 0
    err = capsys.readouterr().err
    assert "note: guessed" in err and "indentation" not in err


# ---------------------------------------------------------------- office documents (公文)

NOTICE_TITLE = "北山市人民政府办公室关于开展安全生产大检查的通知"
# (heading, its body paragraph) by depth: 一、 （一） 1. （1）, GB/T 9704-2012 §7.3.3
NOTICE_SECTIONS = [
    ("一、检查范围", "全市各类生产经营单位，重点是矿山、危险化学品和建筑施工企业。"),
    ("（一）重点行业", "矿山、危险化学品、烟花爆竹等行业领域。"),
    ("1.矿山企业", "重点检查安全生产责任制落实情况。"),
    ("（1）地下矿山", "重点检查通风、排水和提升系统。"),
]


def notice_lines(depth: int, mark: str = "") -> list[str]:
    """A 通知 as an office types it: the 发文机关标志 (if any), the title, the 主送机关, sections
    numbered by hand to ``depth`` levels, a second 一、 section, the closing formula and the 落款."""
    lines = [mark] if mark else []
    lines += [NOTICE_TITLE, "各区县人民政府，市政府各部门：", "为切实做好今年安全生产工作，决定开展大检查。"]
    for heading, text in NOTICE_SECTIONS[:depth]:
        lines += [heading, text]
    closing = ["二、工作要求", "各单位要高度重视，确保检查取得实效。", "特此通知"]
    return lines + closing + ["北山市人民政府办公室", "2026年3月16日"]


def notice_docx(path: Path, depth: int, mark: str = "", mark_size: int = 22) -> Path:
    """The notice in Word, formatted by hand as offices do (GB/T 9704-2012 §7.3): the issuer's name
    red and centred, the title centred in 小标宋 二号 (not bold), the text in 仿宋 三号, headings
    numbered by hand in 黑体 and 楷体, the closing formula, the 落款 right-aligned."""
    from docx.shared import RGBColor

    d = docx.Document()
    d.styles["Normal"].font.size = Pt(16)

    def paragraph(text: str, face: str, size: int = 16, align: Any = None, color: str = "") -> None:
        p = d.add_paragraph()
        run = p.add_run(text)
        run.font.name, run.font.size = face, Pt(size)
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)
        if color:
            run.font.color.rgb = RGBColor.from_string(color)
        p.alignment = align

    lines = notice_lines(depth, mark)
    for n, text in enumerate(lines):
        if mark and n == 0:
            paragraph(text, "方正小标宋简体", mark_size, WD_ALIGN_PARAGRAPH.CENTER, "FF0000")
            d.add_paragraph()
        elif text == NOTICE_TITLE:
            paragraph(text, "方正小标宋简体", 22, WD_ALIGN_PARAGRAPH.CENTER)
        elif n >= len(lines) - 2:
            paragraph(text, "仿宋_GB2312", align=WD_ALIGN_PARAGRAPH.RIGHT)
        elif text.startswith(("一、", "二、")):
            paragraph(text, "黑体")
        elif text.startswith("（一）"):
            paragraph(text, "楷体_GB2312")
        else:
            paragraph(text, "仿宋_GB2312")
    d.save(str(path))
    return path


def page_lines(page: Any) -> list[list[dict[str, Any]]]:
    """The visible characters of a pdfplumber page, in lines (by their top, rounded), top to
    bottom, each left to right."""
    lines: dict[int, list[dict[str, Any]]] = {}
    for c in page.chars:
        if c["text"].strip():
            lines.setdefault(round(c["top"]), []).append(c)
    return [sorted(lines[top], key=lambda c: c["x0"]) for top in sorted(lines)]


def pdf_lines(path: Path) -> list[tuple[str, float, set[str], tuple[float, ...]]]:
    """Each text line of the PDF: (text, size in pt, face names without the subset tag, colour)."""
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for chars in page_lines(page):
                color = tuple(round(v, 2) for v in (chars[0]["non_stroking_color"] or (0,)))
                faces = {c["fontname"].split("+")[-1] for c in chars}
                out.append(("".join(c["text"] for c in chars), chars[0]["size"], faces, color))
    return out


def line_of(lines: list[tuple[str, float, set[str], tuple[float, ...]]], start: str) -> tuple[Any, ...]:
    found = [line for line in lines if line[0].startswith(start)]
    assert found, f"{start!r} not in {[line[0] for line in lines]}"
    return found[0]


def title_lines(lines: list[tuple[str, float, set[str], tuple[float, ...]]]) -> list[tuple[Any, ...]]:
    """The consecutive lines the notice's title is set in (a centred title breaks into several)."""
    for n in range(len(lines)):
        for k in (1, 2, 3):
            if "".join(line[0] for line in lines[n : n + k]) == NOTICE_TITLE:
                return lines[n : n + k]
    raise AssertionError(f"the title is not in {[line[0] for line in lines]}")


def family(face: str) -> str:
    """A face's family: NotoSerifCJKsc-Bold and NotoSerifCJKsc-Regular are one 宋/仿宋 family."""
    return face.split("-")[0]


def check_imported_notice(capsys, tmp_path: Path, source: Path, depth: int, mark: str) -> m.Document:
    """The imported notice ``source``: its title in the front matter, its sections from '#' (then
    the closing section 二、工作要求), ``mark`` its 发文机关标志; built with gongwen, its heading
    levels and numbers agree and the PDF draws them in the faces of GB/T 9704
    (:func:`check_gongwen_levels`). Returns the source's tree."""
    doc = read_file(source)
    assert doc.meta.title == NOTICE_TITLE and not doc.meta.title_derived
    headings = [s[1:] for s in signature(doc.blocks) if s[0] == "heading"]
    assert headings == [(n + 1, h) for n, (h, _) in enumerate(NOTICE_SECTIONS[:depth])] + [(1, "二、工作要求")]
    assert (doc.meta.gongwen.issuer_mark if doc.meta.gongwen else "") == mark
    out = tmp_path / "out"
    assert main(["build", str(source), "-s", "gongwen", "-o", str(out), "-f", "pdf", "-e", "zh-Hans"]) == 0
    assert "is numbered as level" not in capsys.readouterr().err  # levels and numbers agree
    check_gongwen_levels(out / "notice.zh-Hans.pdf", depth, mark)
    return doc


def check_gongwen_levels(pdf: Path, depth: int, mark: str) -> None:
    """The headings of the built 公文 in the faces of GB/T 9704-2012 §7.3.3 — 一、黑体, （一）楷体,
    1. and （1）仿宋 (the text's face) — the title in the display face at 二号 (§7.3.1), the
    发文机关标志 red above it (§7.2.4), the closing formula a paragraph in the text's face."""
    lines = pdf_lines(pdf)
    body = line_of(lines, "各区县人民政府")
    text_face = {family(f) for f in body[2]}
    first = line_of(lines, "一、")
    assert all("Sans" in f or "Hei" in f for f in first[2]), first  # 黑体
    assert line_of(lines, "二、")[2] == first[2]
    if depth >= 2:
        second = line_of(lines, "（一）")
        assert all("Kai" in f for f in second[2]), second  # 楷体
    for start in ("1.", "（1）")[: max(depth - 2, 0)]:
        assert {family(f) for f in line_of(lines, start)[2]} == text_face  # 仿宋, the text's face
    title = title_lines(lines)
    assert all(line[1] == pytest.approx(22) for line in title)  # 二号, not a 三号 heading
    assert not any("Sans" in f or "Kai" in f for line in title for f in line[2])
    assert {family(f) for f in line_of(lines, "特此通知")[2]} == text_face
    drawn = [line[0] for line in lines]
    assert drawn.count("北山市人民政府办公室") == 1 + (mark == "北山市人民政府办公室")  # the 署名 (and mark)
    assert not mark or drawn.count(mark) == 1 + (mark == "北山市人民政府办公室")  # never a heading too
    if mark:
        drawn = line_of(lines, mark)
        assert drawn[0] == mark and drawn[3][0] > 0.85 and drawn[3][1] < 0.1  # red, GB/T 9704-2012 §7.2.4
        assert lines.index(drawn) < lines.index(title[0])


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("depth", "mark"),
    [(4, ""), (2, "北山市人民政府办公室文件"), (1, "北山市人民政府办公室")],
    ids=["four-levels", "two-levels-issuer-mark", "one-level-issuer"],
)
def test_an_imported_text_notice_builds_with_the_levels_of_gb_t_9704(tmp_path, capsys, depth, mark):
    """A 通知 typed as plain text, imported and built with the gongwen style: its title is the front
    matter's, its sections start at '#' so that 一、 is the style's level 1 (黑体) and （一） its level
    2 (楷体), and an issuer's name above the title is the 发文机关标志, not a heading."""
    text = tmp_path / "notice.txt"
    text.write_text("\n\n".join(notice_lines(depth, mark)) + "\n", encoding="utf-8")
    source = tmp_path / "notice.md"
    assert run_import(capsys, str(text), "-o", str(source))[0] == 0
    doc = check_imported_notice(capsys, tmp_path, source, depth, mark)
    assert ("paragraph", "特此通知") in signature(doc.blocks)


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("depth", "mark", "size"),
    [(2, "", 22), (2, "北山市人民政府办公室", 18), (1, "北山市人民政府文件", 22)],
    ids=["no-issuer", "issuer-smaller-than-title", "issuer-as-large-as-title"],
)
def test_an_imported_word_notice_builds_with_the_levels_of_gb_t_9704(tmp_path, capsys, depth, mark, size):
    """A 通知 formatted by hand in Word: the title centred in 二号 goes to the front matter, the
    sections numbered 一、 （一） start at '#', and the red centred issuer's name above the title
    (smaller than the title, or as large) is the 发文机关标志 — neither a heading over the title
    nor under it."""
    source = tmp_path / "notice.md"
    word = notice_docx(tmp_path / "notice.docx", depth, mark, size)
    assert run_import(capsys, str(word), "-o", str(source))[0] == 0
    check_imported_notice(capsys, tmp_path, source, depth, mark)


@pytest.mark.e2e
def test_an_imported_notice_built_with_the_default_style_reads_title_then_sections(tmp_path, capsys):
    """The same import built with the default style: the title set as a title (二号, centred),
    above 一、 sections set larger than their （一） subsections, each larger than the text."""
    text = tmp_path / "notice.txt"
    text.write_text("\n".join(notice_lines(2)) + "\n", encoding="utf-8")
    source = tmp_path / "notice.md"
    assert run_import(capsys, str(text), "-o", str(source))[0] == 0
    out = tmp_path / "out"
    assert main(["build", str(source), "-o", str(out), "-f", "pdf", "-e", "zh-Hans"]) == 0
    lines = pdf_lines(out / "notice.zh-Hans.pdf")
    title = title_lines(lines)
    assert all(line[1] == pytest.approx(22) for line in title)
    first, second, body = (line_of(lines, s) for s in ("一、", "（一）", "全市各类"))
    assert title[0][1] > first[1] > second[1] >= body[1]
    assert lines.index(title[-1]) < lines.index(line_of(lines, "各区县")) < lines.index(first)


# ---------------------------------------------------------------- a 公文's elements from its lines

TZ_LINES = [
    "国务院办公厅",
    "关于做好2027年元旦春节期间有关工作的通知",
    "国办发〔2026〕45号",
    "",
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
    "\u3000\u30002027年元旦、春节即将到来。为切实做好节日期间各项工作，经国务院同意，现就有关事项通知如下：",
    "\u3000\u3000一、做好困难群众帮扶工作",
    "\u3000\u3000各地区要及时足额发放各类救助补助资金，确保困难群众基本生活。",
    "\u3000\u3000（一）加强排查。要全面排查低保对象、特困人员等群体的生活状况。",
    "\u3000\u3000二、保障市场供应和价格稳定",
    "\u3000\u3000各地区要加强粮油肉蛋奶果蔬等重要民生商品的生产调运。",
    "\u3000\u3000特此通知。",
    "",
    "\u3000\u3000附件：1．重点工作任务分工表",
    "\u3000\u3000\u3000\u3000\u30002．联系人名单",
    "",
    "国务院办公厅",
    "2026年12月1日",
    "（此件公开发布）",
]
# What GB/T 9704-2012 §7 makes of those lines: the front matter's 公文 block
TZ_BLOCK = {
    "发文机关标志": "国务院办公厅",
    "发文字号": "国办发〔2026〕45号",
    "主送机关": "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
    "附件说明": ["重点工作任务分工表", "联系人名单"],
    "发文机关署名": "国务院办公厅",
    "成文日期": "2026-12-01",
    "附注": "此件公开发布",
}


def tz_docx(path: Path, normal: float = 16) -> Path:
    """The same notice as Word offices type it: the issuer's name and the title centred and larger
    (二号), the 发文字号 centred, the text in 三号, the 落款 right-aligned, the rest as typed; the
    Normal style ``normal`` pt (Word's own 11 pt: the sizes are the text's alone)."""
    d = docx.Document()
    d.styles["Normal"].font.size = Pt(normal)
    for n, line in enumerate(TZ_LINES):
        if not line:
            continue
        p = d.add_paragraph()
        p.add_run(line).font.size = Pt(22 if n < 2 else 16)
        if n < 3:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif line in ("国务院办公厅", "2026年12月1日"):
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.save(str(path))
    return path


def front_matter(source: Path) -> tuple[dict[str, Any], list[str]]:
    """The source's front matter as YAML data (dates as text), and its lines."""
    lines = source.read_text(encoding="utf-8").split("\n")
    end = lines.index("---", 1)
    return yaml.load("\n".join(lines[1:end]), Loader=yaml.BaseLoader), lines


def pdf_rows(path: Path) -> tuple[list[tuple[int, float, float, float, str]], tuple[float, float, float]]:
    """Each text line of the PDF as (page, top, x0, x1, text), and the red separator of the first
    page as (x0, x1, top), all in pt."""
    rows = []
    with pdfplumber.open(path) as pdf:
        red = [
            (ln["x0"], ln["x1"], ln["top"])
            for ln in pdf.pages[0].lines
            if ln["stroking_color"] and ln["stroking_color"][0] > 0.85 and ln["stroking_color"][1] < 0.1
        ]
        for n, page in enumerate(pdf.pages):
            for chars in page_lines(page):
                rows.append((n, chars[0]["top"], chars[0]["x0"], chars[-1]["x1"], "".join(c["text"] for c in chars)))
    assert len(red) == 1, red
    return rows, red[0]


@pytest.mark.e2e
@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_an_imported_notice_gives_its_gongwen_elements_set_where_gb_t_9704_puts_them(tmp_path, capsys, kind):
    """A 通知 as text or Word: its 发文字号, 主送机关, 附件说明, 发文机关署名, 成文日期 and 附注 go to
    the front matter's 公文 block (not headings, paragraphs or a byline), each with a note on its
    own key's line; built with gongwen, the 发文字号 is centred above the red separator (§7.2.5), the
    主送机关 flush left on the type area's edge (§7.3.2), the 署名 right with the date under it
    (§7.3.5.2), the 附注 in brackets under the date (§7.3.6)."""
    if kind == "txt":
        given = tmp_path / "tz.txt"
        given.write_text("\n".join(TZ_LINES) + "\n", encoding="utf-8")
    else:
        given = tz_docx(tmp_path / "tz.docx")
    source = tmp_path / "tz.md"
    code, _, err = run_import(capsys, str(given), "-o", str(source))
    assert code == 0
    meta, lines = front_matter(source)
    assert meta["公文"] == TZ_BLOCK
    assert meta["title"] == "关于做好2027年元旦春节期间有关工作的通知" and meta["date"] == "2026-12-01"
    doc = read_file(source)
    assert signature(doc.blocks) == [
        ("paragraph", "2027年元旦、春节即将到来。为切实做好节日期间各项工作，经国务院同意，现就有关事项通知如下："),
        ("heading", 1, "一、做好困难群众帮扶工作"),
        ("paragraph", "各地区要及时足额发放各类救助补助资金，确保困难群众基本生活。"),
        ("paragraph", "（一）加强排查。要全面排查低保对象、特困人员等群体的生活状况。"),
        ("heading", 1, "二、保障市场供应和价格稳定"),
        ("paragraph", "各地区要加强粮油肉蛋奶果蔬等重要民生商品的生产调运。"),
        ("paragraph", "特此通知。"),
    ]
    # every guess stands at the place that holds it: a front-matter value at its key
    notes = {n["what"]: n for n in notes_of(err, source)}
    for key, value in TZ_BLOCK.items():
        shown = "、".join(value) if isinstance(value, list) else value
        note = notes[f"the {key} “{shown}”"]
        assert lines[int(note["line"]) - 1] == "  " + key + ":" + ("" if isinstance(value, list) else f" {value}")
        assert note["col"] == "3"
    for key in ("title", "date", "editions"):
        at = [int(n["line"]) for what, n in notes.items() if what.startswith(f"the {key} ")]
        assert [lines[n - 1].split(":")[0] for n in at] == [key]

    out = tmp_path / "out"
    assert main(["build", str(source), "-s", "gongwen", "-o", str(out), "-f", "pdf", "-e", "zh-Hans"]) == 0
    rows, (left, right, rule) = pdf_rows(out / "tz.zh-Hans.pdf")
    text = [r[4] for r in rows]
    em = 16.0  # 三号

    def row(start: str) -> tuple[int, float, float, float, str]:
        found = [r for r in rows if r[4].startswith(start)]
        assert len(found) == 1, (start, text)
        return found[0]

    number = row("国办发〔2026〕45号")
    assert number[0] == 0 and number[1] + em < rule  # above the red separator …
    assert abs((number[2] + number[3]) / 2 - (left + right) / 2) < 1  # … centred on the type area
    addressees = row("各省、自治区")
    assert abs(addressees[2] - left) < 0.5  # flush left: no indent
    assert row("2027年元旦")[2] - left == pytest.approx(2 * em, abs=1)  # the text's paragraphs are indented
    assert text.count("国务院办公厅") == 2  # the 发文机关标志 and the 署名, nothing else
    issuer = [r for r in rows if r[4] == "国务院办公厅"][-1]
    date = row("2026年12月1日")
    assert issuer[2] > (left + right) / 2 and date[3] > issuer[3] and right - date[3] < 3 * em  # set right
    assert date[0] == issuer[0] and 0 < date[1] - issuer[1] < 2 * em  # the date on the next line
    note = row("（此件公开发布）")
    assert note[0] == date[0] and 0 < note[1] - date[1] < 2 * em  # under the date, in brackets
    attached = row("附件：")
    assert attached[4] == "附件：1.重点工作任务分工表" and row("2.联系人名单")[1] > attached[1]
    assert attached[1] < issuer[1]


OWN_NOTICES = {
    # a 请示 (上行文) with its 签发人 on the 发文字号's line, brackets typed [] and a number with a 0
    "qingshi": (
        "北山市教育局\n关于申请追加校舍维修经费的请示\n北教发[2026]08号　　　　签发人：王小明\n"
        "北山市人民政府：\n　　今年汛期，我市部分学校校舍受损，亟需维修。\n　　一、受损情况\n"
        "　　全市共有12所学校校舍受损。\n　　二、资金需求\n　　共需维修资金360万元。\n"
        "　　妥否，请批示。\n\n　　附件：校舍受损情况统计表\n\n"
        "　　　　　　　　　　　　北山市教育局\n　　　　　　　　　　　　2026年7月20日\n"
        "（联系人：李四，电话：12345678）\n",
        {
            "发文机关标志": "北山市教育局",
            "发文字号": "北教发〔2026〕8号",
            "签发人": ["王小明"],
            "主送机关": "北山市人民政府：",
            "附件说明": ["校舍受损情况统计表"],
            "发文机关署名": "北山市教育局",
            "成文日期": "2026-07-20",
            "附注": "联系人：李四，电话：12345678",
        },
        [("heading", 1, "一、受损情况"), ("heading", 1, "二、资金需求")],
    ),
    # a 函 without sections: a 公文 for its 发文字号 and 主送机关; the 签发人 on a line of its own
    "han": (
        "北山市人民政府办公室\n关于商请支持老旧小区改造资金的函\n北政办函〔2026〕31号\n签发人：赵六\n"
        "北山市财政局：\n为加快推进老旧小区改造，现商请贵局在年度预算中予以支持。\n请予研究为盼。\n\n"
        "北山市人民政府办公室\n2026年5月8日\n",
        {
            "发文机关标志": "北山市人民政府办公室",
            "发文字号": "北政办函〔2026〕31号",
            "签发人": ["赵六"],
            "主送机关": "北山市财政局：",
            "发文机关署名": "北山市人民政府办公室",
            "成文日期": "2026-05-08",
        },
        [],
    ),
    # a notice without 附件 or 附注, its 发文字号 between the 发文机关标志 and the title
    "tongzhi": (
        "西河县人民政府文件\n西政发〔2027〕3号\n西河县人民政府关于做好春季防火工作的通知\n"
        "各乡镇人民政府，县政府各部门：\n　　为做好春季防火工作，现通知如下：\n　　一、加强巡查\n"
        "　　各乡镇要加强重点区域巡查。\n　　二、严格管控\n　　严禁野外用火。\n"
        "　　　　　　　　　　西河县人民政府\n　　　　　　　　　　2027年2月10日\n",
        {
            "发文机关标志": "西河县人民政府文件",
            "发文字号": "西政发〔2027〕3号",
            "主送机关": "各乡镇人民政府，县政府各部门：",
            "发文机关署名": "西河县人民政府",
            "成文日期": "2027-02-10",
        },
        [("heading", 1, "一、加强巡查"), ("heading", 1, "二、严格管控")],
    ),
    # a notice opening with its 发文字号, with no 发文机关标志 line over it (the 发文字号 was taken
    # for the title, the title for a section)
    "number-first": (
        "京政办发〔2026〕7号\n\n北京市人民政府办公厅关于做好2026年冬季供暖保障工作的通知\n\n"
        "各区人民政府，市政府各委、办、局：\n　　为做好今冬供暖保障工作，现就有关事项通知如下：\n"
        "　　一、总体要求\n　　各区要落实属地责任，确保居民温暖过冬。\n　　二、工作措施\n"
        "　　各供热单位要做好设备检修。\n　　特此通知。\n\n北京市人民政府办公厅\n2026年11月30日\n",
        {
            "发文字号": "京政办发〔2026〕7号",
            "主送机关": "各区人民政府，市政府各委、办、局：",
            "发文机关署名": "北京市人民政府办公厅",
            "成文日期": "2026-11-30",
        },
        [("heading", 1, "一、总体要求"), ("heading", 1, "二、工作措施")],
    ),
}


@pytest.mark.unit
@pytest.mark.parametrize("name", list(OWN_NOTICES))
def test_a_request_a_letter_and_a_notice_give_their_gongwen_elements(name):
    """Three more 公文 as typed: a 请示 with its 签发人 (§7.2.6) and a 附件 without a number, a 函
    with no sections, a 通知 with its 发文字号 above the title; each element is the block's and
    the block reads back through the gongwen checks (the 发文字号 in the standard's form)."""
    text, block, headings = OWN_NOTICES[name]
    result = import_bytes(text.encode(), Path(f"{name}.txt"), "img")
    source = Path(f"{name}.md")
    meta = yaml.load(result.markdown.split("---\n")[1], Loader=yaml.BaseLoader)
    assert meta["公文"] == block
    doc = read_text(result.markdown, source)  # the gongwen block is checked as it is read
    assert doc.meta.gongwen is not None and doc.meta.gongwen.doc_number == block["发文字号"]
    assert [s for s in signature(doc.blocks) if s[0] == "heading"] == headings
    assert not [b for b in doc.blocks if isinstance(b, m.Div)]  # no byline: the 落款 is the block's
    assert all(block_text not in result.markdown.split("---\n", 2)[2] for block_text in ("签发人", "附件", "（联系人"))


@pytest.mark.unit
def test_a_news_article_keeps_its_byline_and_its_notes_stand_at_the_front_matter_keys(capsys, tmp_path):
    """A news report that ends with a reporter's name and a date is no 公文: no 公文 block, its
    closing lines stay a byline as before; the date's and the title's notes name their keys'
    lines, not line 1."""
    text = tmp_path / "news.txt"
    text.write_text(
        "春耕时节\n\n田间地头备耕忙\n\n——来自河南的报道\n\n新华社郑州3月16日电 眼下正值春耕，各地农民抢抓农时。\n\n"
        "农机手们一大早就来到田间。\n\n（记者 张三）\n\n2026年3月16日\n",
        encoding="utf-8",
    )
    source = tmp_path / "news.md"
    code, _, err = run_import(capsys, str(text), "-o", str(source))
    assert code == 0
    meta, lines = front_matter(source)
    assert "公文" not in meta and meta["date"] == "2026-03-16"
    doc = read_file(source)
    bylines = [[m.plain_text(p.children) for p in b.children] for b in doc.blocks if isinstance(b, m.Div)]
    assert ["（记者 张三）"] in bylines and ["2026年3月16日"] in bylines
    notes = notes_of(err, source)
    dated = [int(n["line"]) for n in notes if n["what"] == "the date 2026-03-16"]
    assert [lines[n - 1] for n in dated] == ["date: 2026-03-16"]
    titled = [int(n["line"]) for n in notes if n["what"] == "the title “春耕时节”"]
    assert [lines[n - 1] for n in titled] == ["title: 春耕时节"]


@pytest.mark.unit
def test_the_numbers_of_a_notices_attachments_rank_no_heading():
    """The 附件说明's 1．2． are the 公文 block's, no heading pattern: a （1） heading under 一、 is
    level 2 as it would be without attachments, not level 3 under an absent 1. level."""
    text = (
        "北山市人民政府办公室\n关于开展检查的通知\n各区县人民政府：\n　　为做好工作，现通知如下。\n"
        "　　一、检查范围\n　　全市各类单位。\n　　（1）地下矿山\n　　重点检查通风。\n"
        "　　附件：1．检查表\n　　　　　2．名单\n"
        "　　　　　　　　　　北山市人民政府办公室\n　　　　　　　　　　2026年3月1日\n"
    )
    doc = read_text(import_bytes(text.encode(), Path("lv.txt"), "img").markdown, Path("lv.md"))
    assert [s for s in signature(doc.blocks) if s[0] == "heading"] == [
        ("heading", 1, "一、检查范围"),
        ("heading", 2, "（1）地下矿山"),
    ]
    assert doc.meta.gongwen is not None and doc.meta.gongwen.attachments == ["检查表", "名单"]


@pytest.mark.e2e
def test_an_imported_source_is_readable_as_the_builds_outputs(tmp_path):
    """The Markdown an import writes is rw-r--r--, as the built publications are, not the private
    mode of the temporary file it is written through (it was rw-------: a colleague sharing the
    folder could not open it)."""
    source, built = tmp_path / "seed.md", tmp_path / "out"
    assert main(["import", str(SEED), "-o", str(source)]) == 0
    assert main(["build", str(source), "-o", str(built), "-f", "epub", "-e", "zh-Hans"]) == 0
    outputs = [p.stat().st_mode & 0o777 for p in built.iterdir() if p.is_file()]
    assert outputs and set(outputs) == {0o644}
    assert source.stat().st_mode & 0o777 == 0o644
