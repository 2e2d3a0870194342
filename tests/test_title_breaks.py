"""Centred titles break between words (GB/T 9704-2012 §7.3.1: 词意完整, 排列对称), in every edition.

Each title below names the words that must stay whole on one line (written out by hand, not taken
from the segmenter): a number with its unit (``2026年``, ``15%``, ``3号``), a Latin word, a quoted
phrase's words, an emphasised word, words of titles of three and four lines, and the same titles in
the traditional editions (OpenCC's own conversion). A space the writer typed is the break taken.
The lines are read from our PDF (pdfplumber), from the DOCX (python-docx: the ``w:br`` in the
title's paragraph) and from LibreOffice's PDF of the DOCX. Subtitle and caption divs, centred too,
are checked the same way.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import opencc
import pdfplumber
import pytest
from docx.oxml.ns import qn

from zhengji_publish.cli import main
from zhengji_publish.fonts import FontBook
from zhengji_publish.style import load_style
from zhengji_publish.typeset import rules
from zhengji_publish.typeset.boxes import BoxMaker, InlineStyle, Run
from zhengji_publish.typeset.linebreak import break_lines

SIZE = 10.0

# (title, words that must not be split over two lines)
TITLES = [
    (
        "滨江市教育局关于申请2026年校舍维修专项资金的请示",
        ["滨江", "教育局", "申请", "2026年", "校舍", "维修", "专项资金", "请示"],
    ),
    ("某县教育局关于做好2026年暑期学生安全工作的通知", ["教育局", "2026年", "暑期", "学生", "安全", "工作", "通知"]),
    (
        "关于2026年3月15日消费者权益保护日活动安排的通知",
        ["2026年", "3月", "15日", "消费者", "权益", "保护", "活动", "安排"],
    ),
    (
        "全市一季度规模以上工业增加值同比增长6.5%创三年新高",
        ["一季度", "规模", "以上", "工业", "增加值", "同比", "增长", "6.5%", "三年"],
    ),
    ("市人民政府关于印发2026年第3号令实施细则的通知", ["人民政府", "印发", "2026年", "3号", "实施细则", "通知"]),
    (
        "关于推广使用Python和WPS办公软件开展数字化培训的通知",
        ["推广", "使用", "Python", "WPS", "办公", "软件", "数字化", "培训"],
    ),
    (
        "从“最多跑一次”到“一次都不跑”：数字政府建设如何重塑基层公共服务的流程与面貌——来自东部沿海三个县市的调查报告",
        [
            "最多",
            "一次",
            "数字",
            "政府",
            "建设",
            "如何",
            "重塑",
            "基层",
            "公共服务",
            "流程",
            "面貌",
            "东部",
            "沿海",
            "县市",
            "调查",
            "报告",
        ],
    ),
    (
        "关于印发《全省第三次全国土壤普查工作方案》的通知",
        ["印发", "全省", "第三次", "全国", "土壤", "普查", "工作", "方案", "通知"],
    ),
    (
        "国务院关于进一步优化营商环境更好服务市场主体的实施意见",
        ["国务院", "进一步", "优化", "营商", "环境", "服务", "市场主体", "实施", "意见"],
    ),
    ("一季度经济运行总体平稳消费市场回暖明显", ["一季度", "经济运行", "总体", "平稳", "消费市场", "回暖", "明显"]),
    (
        "关于加强新时代高校思想政治工作体系建设推动立德树人根本任务落实落地的若干措施",
        [
            "加强",
            "新时代",
            "高校",
            "思想",
            "政治",
            "工作",
            "体系",
            "建设",
            "推动",
            "根本",
            "任务",
            "落实",
            "若干",
            "措施",
        ],
    ),
    (
        "2025年全省城乡居民人均可支配收入达到45000元同比增长5.2%",
        ["2025年", "全省", "城乡", "居民", "人均", "可支配", "收入", "达到", "45000元", "增长", "5.2%"],
    ),
    (
        "关于开展“人工智能+”行动推动AI大模型在政务服务中应用的实施方案",
        ["开展", "人工智能", "行动", "推动", "AI", "模型", "政务", "服务", "应用", "实施", "方案"],
    ),
    (
        "深入学习贯彻党的二十届三中全会精神奋力谱写中国式现代化建设新篇章",
        ["深入", "学习", "贯彻", "二十届", "三中全会", "精神", "奋力", "谱写", "中国式", "现代化", "建设", "新篇章"],
    ),
    (
        "关于做好12月31日前完成年度财政预算执行情况审计工作的紧急通知",
        ["12月", "31日", "完成", "年度", "财政", "预算", "执行", "情况", "审计", "紧急", "通知"],
    ),
    (
        "全国人民代表大会常务委员会关于修改《中华人民共和国教育法》等五部法律的决定",
        ["全国", "人民代表大会", "常务委员会", "修改", "中华人民共和国", "教育法", "五部", "法律", "决定"],
    ),
    (
        "住房城乡建设部等部门关于加快推进城镇老旧小区改造工作的指导意见",
        ["住房", "城乡建设", "部门", "加快", "推进", "城镇", "老旧", "小区", "改造", "工作", "指导", "意见"],
    ),
    (
        "关于表彰2026年度全市优秀共产党员和先进基层党组织的决定",
        ["表彰", "2026年", "全市", "优秀", "共产党员", "先进", "基层", "党组织", "决定"],
    ),
    (
        "关于调整城乡居民基本医疗保险财政补助标准每人每年增加30元的通知",
        ["调整", "城乡", "居民", "基本", "医疗保险", "财政", "补助", "标准", "增加", "30元", "通知"],
    ),
    (
        "省科技厅关于组织申报2027年度国家重点研发计划“智能制造”专项项目的通知",
        ["科技厅", "组织", "申报", "2027年", "国家", "重点", "研发", "计划", "智能", "制造", "专项", "项目"],
    ),
    (
        "××县人民政府关于申请北山国家森林公园基础设施建设专项资金的请示",
        ["人民政府", "申请", "北山国家森林公园", "基础设施", "建设", "专项资金", "请示"],
    ),
    (
        "北山市林业局关于北山国家森林公园2026年春季森林防火工作的通知",
        ["北山市", "林业局", "北山国家森林公园", "2026年", "春季", "森林", "防火", "工作", "通知"],
    ),
    (
        "西湖区人民政府关于申请西溪国家湿地公园保护专项资金的请示",
        ["西湖区", "人民政府", "申请", "西溪国家湿地公园", "保护", "专项资金", "请示"],
    ),
    (
        "北山市人民政府关于同意北山国家森林公园总体规划（2026—2035年）修编方案的批复",
        ["人民政府", "同意", "北山国家森林公园", "总体", "规划", "2026", "2035年", "修编", "方案", "批复"],
    ),
    (
        "关于加强九寨沟风景名胜区地质灾害防治工作的请示",
        ["加强", "九寨沟风景名胜区", "地质灾害", "防治", "工作", "请示"],
    ),
    (
        "面向2035年的城市更新行动：老城区功能完善与历史文化保护协同推进的路径研究",
        [
            "面向",
            "2035年",
            "城市",
            "更新",
            "行动",
            "老城区",
            "功能",
            "完善",
            "历史",
            "文化",
            "保护",
            "协同",
            "推进",
            "路径",
            "研究",
        ],
    ),
]


@pytest.fixture(scope="module")
def maker():
    return BoxMaker(FontBook(load_style("default"), "SC"), punctuation="gb", level="strict")


def split_words(lines: list[str], words: list[str]) -> list[str]:
    """The words of ``words`` that some line boundary of ``lines`` falls inside."""
    text = "".join(lines)
    ends, at = set(), 0
    for line in lines[:-1]:
        at += len(line)
        ends.add(at)
    out = []
    for word in words:
        for found in re.finditer(re.escape(word), text):
            if any(found.start() < e < found.end() for e in ends):
                out.append(word)
    return out


def centred(maker, text: str, chars: int) -> tuple[list[str], int]:
    lines = break_lines(maker.boxes([Run(text, InlineStyle(size=SIZE))]), chars * SIZE, 0.0, "center")
    greedy = break_lines(maker.boxes([Run(text, InlineStyle(size=SIZE))]), chars * SIZE, 0.0, "left")
    return ["".join(p.box.text for p in line.items) for line in lines], len(greedy)


@pytest.mark.unit
@pytest.mark.parametrize("config", ["", "s2tw", "s2hk"])
@pytest.mark.parametrize(("title", "words"), TITLES, ids=[t[:12] for t, _ in TITLES])
def test_titles_break_between_words_at_every_measure(maker, title, words, config):
    """At every measure from 9 to 30 characters, in the simplified text and in the Taiwan and Hong
    Kong editions' text, no line boundary falls inside a word (a number with its unit is one word);
    the title takes at most one line more than filled lines would where its words need it (two in
    a measure of fewer than 12 characters)."""
    if config:
        convert = opencc.OpenCC(config).convert
        title, words = convert(title), [convert(w) for w in words]
    for chars in range(9, 31):
        lines, fewest = centred(maker, title, chars)
        assert "".join(lines) == title
        assert fewest <= len(lines) <= fewest + (2 if chars < 12 else 1), (chars, lines)
        assert not split_words(lines, words), (chars, lines)


@pytest.mark.unit
@pytest.mark.parametrize("config", ["", "s2tw", "s2hk"])
def test_a_typed_space_is_the_break(maker, config):
    """The editor's space between the headline's two halves is where it breaks, in every edition."""
    title = "一季度经济运行总体平稳 消费市场回暖明显"
    if config:
        title = opencc.OpenCC(config).convert(title)
    for chars in range(12, 19):
        boxes = maker.boxes([Run(title, InlineStyle(size=SIZE))])
        lines = break_lines(boxes, chars * SIZE, 0.0, "center")
        assert ["".join(p.box.text for p in line.items) for line in lines] == title.split(" "), chars


@pytest.mark.unit
def test_a_space_after_a_short_label_keeps_the_lines_even(maker):
    """A space that would leave a short label over a long line is not taken: ``第三章 …`` in two lines
    of even length, still between words."""
    title = "第三章 数字政府建设如何重塑基层公共服务的流程与面貌"
    lines, _ = centred(maker, title, 16)
    assert len(lines) == 2 and lines[0] != "第三章", lines
    assert not split_words(lines, ["数字", "政府", "建设", "如何", "重塑", "基层", "公共服务", "流程", "面貌"])


# ------------------------------------------------------------------ outputs


def pdf_title_lines(pdf: Path, title: str) -> list[str]:
    """The consecutive text lines of the PDF (pdfplumber) that make up ``title`` (spaces left out)."""
    want = title.replace(" ", "")
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            lines = [line.replace(" ", "") for line in (page.extract_text() or "").splitlines()]
            for i in range(len(lines)):
                run, j = "", i
                while j < len(lines) and want.startswith(run + lines[j]) and lines[j]:
                    run += lines[j]
                    j += 1
                    if run == want:
                        return lines[i:j]
    raise AssertionError(f"{title!r} not found in {pdf}")


def docx_lines(path: Path, style: str, title: str) -> list[str]:
    """The lines (split at ``w:br``) of the paragraph in ``style`` whose text is ``title``, without
    the word joiners the DOCX keeps 破折号 and 省略号 whole with (:func:`rules.unjoin_units`)."""
    for p in docx.Document(str(path)).paragraphs:
        if p.style.style_id != style:
            continue
        lines = [""]
        for node in p._p.iter(qn("w:t"), qn("w:br")):
            if node.tag == qn("w:br"):
                lines.append("")
            else:
                lines[-1] += node.text or ""
        lines = [rules.unjoin_units(line) for line in lines]
        if "".join(lines).replace(" ", "") == title.replace(" ", ""):
            return [line.replace(" ", "") for line in lines]
    raise AssertionError(f"no {style} paragraph {title!r} in {path}")


QINGSHI = "滨江市教育局关于申请2026年校舍维修专项资金的请示"
CHAPTER = "从“最多跑一次”到“一次都不跑”：*数字政府*建设如何重塑基层公共服务的流程与面貌——来自东部沿海三个县市的调查报告"
CHAPTER_WORDS = [
    "最多",
    "一次",
    "数字",
    "政府",
    "建设",
    "重塑",
    "基层",
    "公共服务",
    "流程",
    "面貌",
    "沿海",
    "调查",
    "报告",
]
HEADLINE = "一季度经济运行总体平稳 消费市场回暖明显"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    """A 请示 in the 公文 style, a book whose chapters are the long emphasised title and the headline,
    and a document titled by the headline, built in all three editions, PDF and DOCX."""
    root = tmp_path_factory.mktemp("titles")
    qingshi = (Path(__file__).parent / "data" / "gongwen" / "qingshi.md").read_text(encoding="utf-8")
    (root / "q.md").write_text(re.sub(r"(?m)^title: .*$", f"title: {QINGSHI}", qingshi), encoding="utf-8")
    (root / "book.yaml").write_text(
        "title: 调查报告选编\nstyle: book-16k\nchapters: [c1.md, c2.md]\n", encoding="utf-8"
    )
    (root / "c1.md").write_text(f"---\ntitle: '{CHAPTER}'\n---\n\n正文一段。\n", encoding="utf-8")
    (root / "c2.md").write_text(f"---\ntitle: {HEADLINE}\n---\n\n正文。\n", encoding="utf-8")
    (root / "h.md").write_text(f"---\ntitle: {HEADLINE}\n---\n\n正文。\n", encoding="utf-8")
    for source in ("q.md", "book.yaml", "h.md"):
        args = ["build", str(root / source), "-o", str(root / "out"), "-f", "pdf", "-f", "docx"]
        for edition in ("zh-Hans", "zh-Hant-TW", "zh-Hant-HK"):
            args += ["-e", edition]
        assert main(args) == 0
    return root / "out"


CONFIG = {"zh-Hans": "", "zh-Hant-TW": "s2tw", "zh-Hant-HK": "s2hk"}


def edition_text(text: str, edition: str) -> str:
    """``text`` as the edition prints it: OpenCC's forms, and corner brackets for quotation marks."""
    config = CONFIG[edition]
    if not config:
        return text
    return opencc.OpenCC(config).convert(text).translate(str.maketrans("“”‘’", "「」『』"))


@pytest.mark.e2e
def test_the_qingshi_title_keeps_2026年_whole(outputs):
    lines = pdf_title_lines(outputs / "q.zh-Hans.pdf", QINGSHI)
    assert len(lines) == 2
    assert not split_words(lines, ["2026年", "申请", "校舍", "专项资金", "请示"]), lines
    assert docx_lines(outputs / "q.zh-Hans.docx", "Title", QINGSHI) == lines


@pytest.mark.e2e
@pytest.mark.parametrize("edition", list(CONFIG))
def test_a_three_line_emphasised_chapter_title(outputs, edition):
    """The chapter title with an emphasised 数字政府 is set in three lines between words, and the DOCX's
    heading has the same lines; its contents entry is one line (no ``w:br``)."""
    title = edition_text(CHAPTER.replace("*", ""), edition)
    words = [edition_text(w, edition) for w in CHAPTER_WORDS]
    lines = pdf_title_lines(outputs / f"book.{edition}.pdf", title)
    assert len(lines) == 3, lines
    assert not split_words(lines, words), lines
    path = outputs / f"book.{edition}.docx"
    assert docx_lines(path, "Heading1", title) == lines
    entries = [p for p in docx.Document(str(path)).paragraphs if p.style.style_id.startswith("TOC")]
    entry = next(p for p in entries if title in "".join(t.text or "" for t in p._p.iter(qn("w:t"))))
    assert entry._p.find(".//" + qn("w:br")) is None
    instr = "".join(t.text or "" for t in docx.Document(str(path)).element.body.iter(qn("w:instrText")))
    assert "TOC" in instr and "\\x" not in instr  # §17.16.5.68: \x would keep a heading's line breaks


@pytest.mark.e2e
@pytest.mark.parametrize("edition", list(CONFIG))
def test_the_headline_breaks_at_its_space(outputs, edition):
    """The headline breaks at the space typed between its halves, as the document's title (default
    style) and as a book's chapter title, in the PDF and the DOCX of every edition."""
    title = edition_text(HEADLINE, edition)
    halves = title.split(" ")
    assert pdf_title_lines(outputs / f"h.{edition}.pdf", title) == halves
    assert docx_lines(outputs / f"h.{edition}.docx", "Title", title) == halves


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize("source", ["q", "h"])
def test_libreoffice_sets_the_docx_title_in_the_pdf_lines(outputs, soffice_pdf, source):
    """LibreOffice's PDF of the DOCX shows the title in the PDF's lines (no orphan character)."""
    title = QINGSHI if source == "q" else HEADLINE
    ours = pdf_title_lines(outputs / f"{source}.zh-Hans.pdf", title)
    assert pdf_title_lines(soffice_pdf(outputs / f"{source}.zh-Hans.docx"), title) == ours


@pytest.mark.e2e
@pytest.mark.parametrize("name", ["h.zh-Hans.docx", "book.zh-Hans.docx"])
def test_a_broken_title_imports_back_as_one_line(outputs, name):
    """The line breaks the DOCX's titles and headings carry are the PDF's, not the source's: the DOCX
    imports back with each title and heading on one line."""
    from zhengji_publish.importers import import_bytes

    path = outputs / name
    source = import_bytes(path.read_bytes(), path, "img").markdown
    assert HEADLINE in source
    if name.startswith("book"):
        assert "“一次都不跑”：*数字政府*建设如何重塑" in source or "“一次都不跑”：数字政府建设如何重塑" in source
    assert "\\\n" not in source and "<br" not in source


# ------------------------------------------------------------------ centred blocks: subtitle, caption

SUBTITLE = "——中央和国家机关、人民团体扎实开展树立和践行正确政绩观学习教育"
SUBTITLE_WORDS = ["中央", "国家机关", "人民团体", "扎实", "开展", "树立", "践行", "正确", "政绩观", "学习教育"]
LATIN_SUBTITLE = "——记2026年全省中小学推广使用Python和WPS Office开展数字化教学的15个优秀案例"
LATIN_WORDS = ["2026年", "中小学", "推广", "使用", "Python", "WPS", "Office", "数字化", "教学", "15个", "优秀", "案例"]
CAPTION = "图3 2025年全省城乡居民人均可支配收入达到45000元、同比增长5.2%的各地区构成与城乡对比情况示意"
CAPTION_WORDS = ["2025年", "城乡", "居民", "人均", "可支配", "收入", "45000元", "同比", "增长", "5.2%", "地区", "构成"]
TWO_LINES = ("第一行副标题", "第二行副标题也在这里")  # written with a line break of its own between them
CENTRED = [
    ("Subtitle", SUBTITLE, SUBTITLE_WORDS),
    ("Subtitle", LATIN_SUBTITLE, LATIN_WORDS),
    ("Caption", CAPTION, CAPTION_WORDS),
]


@pytest.fixture(scope="module")
def centred_blocks(tmp_path_factory) -> Path:
    """A document with two ``subtitle`` divs under its title (the seed's 政绩观 one, and one with Latin
    words and numbers), a ``caption`` div and a subtitle whose source breaks its line, built
    in the simplified and the Taiwan editions, PDF and DOCX."""
    root = tmp_path_factory.mktemp("centred")
    text = (
        f"# 标题\n\n::: subtitle\n{SUBTITLE}\n:::\n\n::: subtitle\n{LATIN_SUBTITLE}\n:::\n\n正文。\n\n"
        f"::: caption\n{CAPTION}\n:::\n\n::: subtitle\n{TWO_LINES[0]}\\\n{TWO_LINES[1]}\n:::\n"
    )
    (root / "s.md").write_text(text, encoding="utf-8")
    args = ["build", str(root / "s.md"), "-o", str(root / "out"), "-f", "pdf", "-f", "docx"]
    assert main([*args, "-e", "zh-Hans", "-e", "zh-Hant-TW"]) == 0
    return root / "out"


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant-TW"])
@pytest.mark.parametrize(("style", "text", "words"), CENTRED, ids=["subtitle", "latin-subtitle", "caption"])
def test_libreoffice_sets_a_centred_div_in_the_pdf_lines(centred_blocks, soffice_pdf, edition, style, text, words):
    """A subtitle or caption div is set in two lines broken between words in our PDF; the DOCX's
    paragraph breaks (``w:br``) where they start, and LibreOffice's PDF of the DOCX shows the same
    lines (without the breaks it sets the seed's subtitle ``…扎实开展树立和践行正确`` / ``政绩观学习教育``)."""
    text, words = edition_text(text, edition), [edition_text(w, edition) for w in words]
    lines = pdf_title_lines(centred_blocks / f"s.{edition}.pdf", text)
    assert len(lines) == 2 and not split_words(lines, words), lines
    docx_path = centred_blocks / f"s.{edition}.docx"
    assert docx_lines(docx_path, style, text) == lines
    assert pdf_title_lines(soffice_pdf(docx_path), text) == lines


@pytest.mark.e2e
def test_a_subtitle_broken_in_the_source_takes_one_break(centred_blocks):
    """A subtitle whose source breaks its line keeps that one break in the DOCX, no second one where
    the PDF's line starts."""
    assert pdf_title_lines(centred_blocks / "s.zh-Hans.pdf", "".join(TWO_LINES)) == list(TWO_LINES)
    assert docx_lines(centred_blocks / "s.zh-Hans.docx", "Subtitle", "".join(TWO_LINES)) == list(TWO_LINES)


@pytest.mark.e2e
@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant-TW"])
def test_a_broken_subtitle_imports_back_as_its_source(centred_blocks, edition):
    """The DOCX imports back with each subtitle div and the caption on one line, as written."""
    from zhengji_publish.importers import import_bytes

    path = centred_blocks / f"s.{edition}.docx"
    source = import_bytes(path.read_bytes(), path, "img").markdown
    for text in (SUBTITLE, LATIN_SUBTITLE):
        assert f"::: subtitle\n{edition_text(text, edition)}\n:::" in source, source
    assert f"\n{edition_text(CAPTION, edition)}\n" in source, source


NAMES = [
    "张晓明",
    "李华强",
    "王建国",
    "赵雪梅",
    "陈志远",
    "刘德华",
    "孙丽娟",
    "周国平",
    "吴晓燕",
    "郑海涛",
    "黄宏伟",
    "欧阳文静",
]


def bylines() -> list[str]:
    """Bylines of 6 to 12 names, between spaces or 、, so the line's end meets every place in a name."""
    out = []
    for n in range(6, len(NAMES) + 1):
        out.append("（记者 " + " ".join(NAMES[:n]) + "）")
        out.append("本报记者" + "、".join(NAMES[:n]))
    return out


@pytest.fixture(scope="module")
def byline_outputs(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("bylines")
    blocks = [f"正文第{k}段，说明情况。\n\n::: byline\n{b}\n:::" for k, b in enumerate(bylines())]
    (tmp / "b.md").write_text("---\ntitle: 标题\n---\n\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")
    assert main(["build", str(tmp / "b.md"), "-o", str(tmp), "-e", "zh-Hans", "-f", "pdf", "-f", "docx"]) == 0
    return tmp


@pytest.mark.e2e
def test_a_long_byline_breaks_between_names(byline_outputs):
    """A byline (right-aligned) breaks between names, never inside one (``周国`` | ``平``)."""
    broken = 0
    for byline in bylines():
        lines = pdf_title_lines(byline_outputs / "b.zh-Hans.pdf", byline)
        broken += len(lines) > 1
        assert split_words(lines, NAMES) == [], lines
    assert broken >= 8


@pytest.mark.e2e
@pytest.mark.external
def test_libreoffice_sets_a_byline_in_the_pdf_lines(byline_outputs, soffice_pdf):
    ours = byline_outputs / "b.zh-Hans.pdf"
    theirs = soffice_pdf(byline_outputs / "b.zh-Hans.docx")
    for byline in bylines():
        assert pdf_title_lines(theirs, byline) == pdf_title_lines(ours, byline)


@pytest.mark.e2e
def test_a_broken_byline_imports_back_as_one_line(byline_outputs, tmp_path):
    target = tmp_path / "back.md"
    assert main(["import", str(byline_outputs / "b.zh-Hans.docx"), "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    for byline in bylines():
        assert f"::: byline\n{byline}\n:::" in text


IDIOMS = ["实事求是", "与时俱进", "一丝不苟", "精益求精", "脚踏实地", "兢兢业业", "全心全意", "艰苦奋斗", "自力更生"]


def contents_headings() -> list[str]:
    """Headings of four-character idioms after a lead of 1 to 3 characters: a contents entry's
    line end meets every place in a word."""
    return [lead + "".join(IDIOMS[k:] + IDIOMS[:k]) for k, lead in enumerate(["坚", "坚持", "坚持了", "要坚持"] * 2)]


@pytest.mark.e2e
@pytest.mark.parametrize("style", ["default", "book-16k"])
def test_contents_entries_break_between_words(tmp_path, style):
    """A contents entry too long for its line fills the line and ends it between words (it broke
    inside any word: ``学习`` | ``教育`` read ``…学习教`` | ``育…``)."""
    heads = contents_headings()
    body = "正文段落，说明情况。" * 20
    source = "---\ntitle: 目录\ntoc: true\n---\n\n" + "\n\n".join(f"# {h}\n\n{body}" for h in heads)
    (tmp_path / "t.md").write_text(source, encoding="utf-8")
    assert main(["build", str(tmp_path / "t.md"), "-o", str(tmp_path), "-e", "zh-Hans", "-f", "pdf", "-s", style]) == 0
    with pdfplumber.open(tmp_path / "t.zh-Hans.pdf") as pdf:
        # each entry's last line ends with its page number, in the contents pages
        lines = [
            re.sub(r"\d+$", "", ln.replace(" ", ""))
            for page in pdf.pages[:3]
            for ln in (page.extract_text() or "").splitlines()
        ]
    broken = 0
    for head in heads:
        first = next(i for i, ln in enumerate(lines) if ln and head.startswith(ln) and len(ln) > 4)
        entry = [lines[first]]
        while len("".join(entry)) < len(head):
            entry.append(lines[first + len(entry)])
        assert "".join(entry) == head
        broken += len(entry) > 1
        assert split_words(entry, IDIOMS) == [], entry
    assert broken >= 4


PLACE_TITLE = "××县人民政府关于申请北山国家森林公园基础设施建设专项资金的请示"
PLACE_WORDS = ["人民政府", "申请", "北山国家森林公园", "基础设施", "专项资金", "请示"]


@pytest.fixture(scope="module")
def place_title(tmp_path_factory) -> Path:
    """A 请示 in the 公文 style titled with a place name jieba cuts in two (``北山/国家森林公园``),
    in the simplified and the Taiwan edition, PDF and DOCX."""
    root = tmp_path_factory.mktemp("place")
    qingshi = (Path(__file__).parent / "data" / "gongwen" / "qingshi.md").read_text(encoding="utf-8")
    (root / "p.md").write_text(re.sub(r"(?m)^title: .*$", f"title: {PLACE_TITLE}", qingshi), encoding="utf-8")
    args = ["build", str(root / "p.md"), "-o", str(root / "out"), "-f", "pdf", "-f", "docx"]
    assert main([*args, "-e", "zh-Hans", "-e", "zh-Hant-TW"]) == 0
    return root / "out"


@pytest.mark.e2e
@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant-TW"])
def test_a_gongwen_title_keeps_a_place_name_whole(place_title, edition):
    """GB/T 9704-2012 §7.3.1 (词意完整): the 标题 breaks between words and never inside the park's
    name, in two lines of near length (no line more than the name's eight characters longer than
    the other), and the DOCX's title has the PDF's lines."""
    title = edition_text(PLACE_TITLE, edition)
    lines = pdf_title_lines(place_title / f"p.{edition}.pdf", title)
    assert len(lines) == 2
    assert not split_words(lines, [edition_text(w, edition) for w in PLACE_WORDS]), lines
    assert abs(len(lines[0]) - len(lines[1])) <= 8, lines
    assert docx_lines(place_title / f"p.{edition}.docx", "Title", title) == lines


@pytest.mark.e2e
@pytest.mark.external
def test_libreoffice_sets_the_place_name_title_in_the_pdf_lines(place_title, soffice_pdf):
    """LibreOffice's PDF of the DOCX shows the title in the PDF's lines, the park's name whole."""
    theirs = pdf_title_lines(soffice_pdf(place_title / "p.zh-Hans.docx"), PLACE_TITLE)
    assert not split_words(theirs, PLACE_WORDS), theirs
    assert theirs == pdf_title_lines(place_title / "p.zh-Hans.pdf", PLACE_TITLE)
