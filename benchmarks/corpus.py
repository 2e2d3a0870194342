"""Deterministic long Chinese test texts for the benchmarks.

The seed source is a few pages; a publishing tool that is fast on it can still be slow on a long
book (a line breaker or a table of contents that is quadratic in the text only shows up there).
``make_law`` writes a statute-like Markdown document of any size, with the deep heading structure
(编 → 章 → 节 → 条) and the dense punctuation of legal Chinese, so that every code path that a real
long text takes is exercised: numbered articles, enumerated items, quoted terms, book titles,
parentheses, enumeration commas, semicolons, colons, money amounts, time limits and percentages.

The text is composed from a fixed vocabulary with a seeded ``random.Random``, so it is identical on
every run and every machine, and a smaller document is the beginning of a larger one (the scale test
compares like with like). It is generated on demand and never stored in the repository.

Usage::

    python benchmarks/corpus.py law OUT.md [--kb 200]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

SEED = 20260316
TITLE = "城乡公共服务促进法（示例文本）"

FRONT_MATTER = f"""---
title: {TITLE}
author: 示例起草组
date: 2026-03-16
lang: zh-CN
editions: [zh-Hans, zh-Hant-TW]
description: 为测试长文档排版而自动生成的法律条文式示例文本，不具有任何法律效力。
---
"""

PREAMBLE = (
    "（2026年3月16日示例文本第一次审议稿。本文本由程序依固定规则生成，仅用于排版与性能测试，不具有任何法律效力。）"
)

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 103 → 一百零三, 110 → 一百一十, 1005 → 一千零五.

    Statutes number their parts, chapters and articles in words, and the rules for 零 and for a
    leading 一十 are easy to get wrong; a mistake here would make the test text look unlike a real one.
    """
    if not 0 < n < 10000:
        raise ValueError(f"numeral out of range: {n}")
    out: list[str] = []
    rest = n
    pending_zero = False
    for value, unit in _UNITS:
        digit, rest = divmod(rest, value)
        if digit:
            if pending_zero:
                out.append("零")
                pending_zero = False
            if not (value == 10 and digit == 1 and not out):  # 十一, not 一十一, at the start
                out.append(_DIGITS[digit])
            out.append(unit)
        elif out:
            pending_zero = True
    if rest:
        if pending_zero:
            out.append("零")
        out.append(_DIGITS[rest])
    return "".join(out)


# ---------------------------------------------------------------------------------------------------
# Vocabulary. Slots in braces are filled from the lists below or with numbers.

ORGS = [
    "国务院有关部门",
    "县级以上人民政府",
    "县级以上地方人民政府有关部门",
    "省、自治区、直辖市人民政府",
    "设区的市级人民政府",
    "乡镇人民政府和街道办事处",
    "公共服务主管部门",
    "市场监督管理部门",
    "财政部门",
    "审计机关",
    "价格主管部门",
    "卫生健康主管部门",
    "住房城乡建设主管部门",
]
SUBJECTS = [
    "公共服务机构",
    "服务提供者",
    "经营者",
    "设施运营单位",
    "用人单位",
    "受委托的社会组织",
    "村民委员会、居民委员会",
    "行业协会",
    "第三方评估机构",
    "项目建设单位",
]
ACTS = [
    "提供基本公共服务",
    "建设、改造公共服务设施",
    "收取服务费用",
    "开展服务质量评估",
    "处理个人信息",
    "发布服务标准",
    "组织应急保障",
    "实施政府购买服务项目",
    "管理专项资金",
    "公开服务信息",
    "受理群众投诉",
    "开展志愿服务",
]
OBJECTS = [
    "服务对象的合法权益",
    "公共服务设施的安全",
    "服务信息的真实、准确、完整",
    "专项资金的使用效益",
    "老年人、残疾人等特殊群体的需求",
    "城乡之间服务水平的均衡",
    "服务过程中形成的档案资料",
    "服务价格的公开透明",
]
# Kinds of service: each must read well in "X工作", "X资金", "X规划", "X评估" and "本法所称“X”".
TERMS = [
    "基本公共服务",
    "社区服务",
    "养老服务",
    "托育服务",
    "公共文化服务",
    "公共就业服务",
    "基层医疗卫生服务",
    "政府购买服务",
    "应急保障服务",
    "数字公共服务",
    "兜底保障服务",
    "公共体育服务",
]
PLATFORMS = ["一网通办", "政务服务平台", "社区服务小程序", "12345热线", "自助服务终端"]
BOOKS = [
    "中华人民共和国行政处罚法",
    "中华人民共和国行政许可法",
    "中华人民共和国预算法",
    "中华人民共和国个人信息保护法",
    "中华人民共和国政府采购法",
    "公共服务设施建设标准",
    "基本公共服务标准体系建设指南",
    "政府信息公开条例",
]
SECTION_TOPICS = [
    "一般规定",
    "规划与建设",
    "服务提供",
    "服务标准",
    "资金保障",
    "信息公开",
    "质量评估",
    "权益保护",
    "应急保障",
    "数字化服务",
    "社会参与",
    "监督检查",
    "考核评价",
    "投诉处理",
]
CHAPTER_TOPICS = [
    "总则",
    "规划布局",
    "设施建设与管理",
    "服务供给",
    "保障措施",
    "监督管理",
    "城乡统筹",
    "特殊群体服务",
    "服务质量",
    "数据与信息",
    "社会力量参与",
    "法律责任",
]
PART_TOPICS = ["总则", "服务与设施", "保障与监督", "城乡统筹发展", "责任与附则", "专项服务"]

# Whole-sentence clause templates. Each returns one sentence ending in 。 (or ； inside a list).
CLAUSES = [
    "{org}应当将{term0}纳入国民经济和社会发展规划，所需经费列入本级预算。",
    "{subj}应当依照本法规定{act}，保障{obj}。",
    "{subj}不得以任何理由拒绝或者拖延{act}。",
    "任何单位和个人不得侵占、损毁或者擅自改变{term0}的用途。",
    "{org}负责本行政区域内的{term0}工作；{org2}在各自职责范围内负责有关工作。",
    "本法所称“{term0}”，是指由政府主导、社会参与，保障全体公民生存和发展基本需要的服务及其配套设施。",
    "国家鼓励和支持社会力量参与{act}，依法保护其合法权益。",
    "{subj}应当建立健全内部管理制度，明确岗位职责，定期开展培训。",
    "{subj}{act}，应当遵守法律、法规和《{book}》的规定，不得损害社会公共利益。",
    "{org}应当自收到申请之日起{days}日内作出决定；不予批准的，应当书面说明理由。",
    "因特殊情况不能按期作出决定的，经本机关负责人批准，可以延长{days2}日，并应当将延长期限的理由告知申请人。",
    "{subj}应当于每年{month}月{day}日前向{org}报送上一年度的服务情况报告。",
    "{org}应当每{years}年组织一次{term0}评估，评估结果向社会公布。",
    "对在{term0}工作中作出显著成绩的单位和个人，按照国家有关规定给予表彰、奖励。",
    "{subj}收取费用的，应当执行政府定价或者政府指导价，并在服务场所显著位置公示收费项目和标准。",
    "上一年度服务对象满意度低于{lowpct}%的，{org}应当约谈{subj}的主要负责人。",
    "专项资金应当专款专用，任何单位和个人不得截留、挤占、挪用。",
    "{subj}应当对服务过程中知悉的个人信息予以保密，不得非法收集、使用、加工、传输、提供或者公开。",
    "有关档案资料的保存期限不得少于{years}年；法律、行政法规另有规定的，从其规定。",
    "{org}应当建立投诉举报制度，公开投诉举报方式，并在{days}日内将处理结果告知投诉人。",
    "{org}及其工作人员对在监督检查中知悉的商业秘密，负有保密义务。",
    "发生突发事件时，{subj}应当立即启动应急预案，采取必要措施，并及时向{org}报告。",
    "{org}可以采取下列措施：进入现场检查；查阅、复制有关资料；询问有关人员；对可能被转移、隐匿的资料予以封存。",
    "新建居住区应当按照每百户不少于{area}平方米的标准配套建设社区服务用房。",
    "配套设施应当与住宅同步规划、同步建设、同步验收、同步交付使用。",
    "{org}应当统筹城乡{term0}资源，推动优质服务向农村地区、边远地区延伸。",
    "服务标准应当明确服务对象、服务内容、服务流程和质量要求，并根据经济社会发展水平适时调整。",
    "地方标准不得低于国家标准；国家标准未作规定的，省、自治区、直辖市人民政府可以制定地方标准。",
    "{subj}应当为老年人、残疾人、孕产妇等提供便利，保留人工服务等传统服务方式。",
    "依托“{platform}”提供的服务，不得设置不合理的使用条件，不得强制服务对象下载、注册应用程序。",
    "政府购买服务合同的履行期限一般不超过{years}年；确需延长的，应当经{org}批准。",
    "合同金额在{money}万元以上的，应当依照《{book}》的规定采用公开招标方式。",
    "{subj}的财务收支情况应当接受{org}的审计监督，审计结果依法向社会公开。",
    "对连续{years}年考核不合格的{subj}，{org}应当终止其服务资格。",
    "{org}应当将{subj}的信用信息记入信用档案，并依法向社会公示。",
    "公民、法人和其他组织认为具体行政行为侵犯其合法权益的，可以依法申请行政复议或者提起行政诉讼。",
    "法律、行政法规对{term0}另有规定的，依照其规定。",
    "民族自治地方的人民代表大会可以依照本法的原则，结合当地实际制定变通规定或者补充规定。",
    "本法所称“以上”“以下”“以内”，包括本数；所称“不满”“超过”，不包括本数。",
    "{org}应当按照不低于上一年度财政支出{share}%的比例安排{term0}资金，并逐步提高。",
    "服务价格的调整幅度一般不超过上一年度的{pct}%；超过的，应当举行听证。",
    "{subj}应当在服务场所公开服务项目、服务时间、收费标准和投诉电话（监督电话）等信息。",
    "各级人民政府应当加强{term0}队伍建设，合理确定人员配备标准，保障其工资待遇。",
    "{org}应当会同有关部门制定{term0}目录，明确服务项目、服务对象和支出责任。",
    "公共服务设施因城市建设确需拆除或者改变用途的，应当按照“先建后拆”的原则予以补建。",
    "补建的设施面积不得少于原有面积，位置应当便于服务对象使用。",
    "{subj}委托他人{act}的，应当签订书面合同，约定双方的权利义务，并对受托方的服务行为承担责任。",
    "数据共享应当遵循“最小必要”原则，不得超出履行法定职责所必需的范围和限度。",
    "国家建立{term0}统计调查制度，统计数据依法向社会公布。",
    "{org}在作出行政处罚决定之前，应当告知当事人作出行政处罚决定的事实、理由及依据，并告知当事人依法享有的权利。",
    "当事人要求听证的，应当在被告知后{days3}日内提出。",
    "罚款、没收违法所得的款项，必须全部上缴国库。",
    "{subj}提供虚假材料骗取补贴的，应当退回已取得的补贴；情节严重的，{years}年内不得申请补贴。",
    "国家机关工作人员在{term0}工作中滥用职权、玩忽职守、徇私舞弊的，依法给予处分。",
    "违反本法规定，构成违反治安管理行为的，依法给予治安管理处罚；构成犯罪的，依法追究刑事责任。",
    "违反本法规定，造成他人人身、财产损害的，依法承担民事责任。",
    "{subj}应当按照《{book}》的要求建立台账，如实记录服务时间、服务内容和服务人员等信息。",
    "服务人员应当具备相应的专业知识和技能；从事需要资格的岗位的，应当取得相应资格。",
    "{org}应当为{subj}提供政策咨询、业务指导和培训等服务，帮助其提高服务能力和水平。",
    "鼓励高等学校、职业学校开设与{term0}相关的专业和课程，培养专门人才。",
    "每年{month}月为{term0}宣传月，各级人民政府及其有关部门应当组织开展宣传活动。",
    "{subj}停止服务的，应当提前{days}日向{org}报告，并妥善安置服务对象。",
]

PENALTIES = [
    "违反本法第{ref}条规定，{subj}{act_bad}的，由{org}责令改正，给予警告；拒不改正的，处{m1}元以上{m2}元以下罚款。",
    "违反本法规定，{subj}{act_bad}的，由{org}责令限期改正，没收违法所得，并处违法所得{x1}倍以上{x2}倍以下罚款；"
    "没有违法所得或者违法所得不足{m1}元的，处{m1}元以上{m2}元以下罚款。",
    "{subj}有下列行为之一的，由{org}责令改正，对直接负责的主管人员和其他直接责任人员依法给予处分：",
    "违反本法第{ref}条规定，{subj}{act_bad}，情节严重的，由{org}责令停业整顿，并处{m1}元以上{m2}元以下罚款。",
]
BAD_ACTS = [
    "未按照规定公开服务信息",
    "擅自提高收费标准",
    "拒绝或者拖延提供服务",
    "挪用专项资金",
    "泄露服务对象个人信息",
    "未建立台账或者台账记录不实",
    "擅自改变设施用途",
    "未按照规定报送报告",
    "以欺骗、贿赂等不正当手段取得服务资格",
    "未按照规定配备服务人员",
]
# Enumerating articles: a lead sentence ending in ： and the pool its items are drawn from, so that
# the items fit the lead (duties after 职责, conditions after 条件, and so on).
ITEM_GROUPS: list[tuple[str, list[str]]] = [
    (
        "{subj}应当遵守下列规定：",
        [
            "制定并公布服务标准和服务流程",
            "按照规定配备专业服务人员",
            "建立健全安全管理制度",
            "定期对设施设备进行检查、维护",
            "如实记录服务情况，保存有关资料不少于{years}年",
            "依法保护服务对象的个人信息",
            "按照规定报送统计数据",
            "接受{org}的监督检查",
            "不得以“会员费”“预付费”等名义变相收取费用",
            "其他应当遵守的规定",
        ],
    ),
    (
        "{org}应当履行下列职责：",
        [
            "组织编制并实施{term0}规划",
            "制定{term0}标准和服务规范（试行）",
            "统筹安排{term0}资金",
            "指导、监督{subj}的服务活动",
            "组织开展服务质量评估，并公布评估结果",
            "受理并处理投诉、举报",
            "建立{term0}信息公开制度",
            "法律、法规规定的其他职责",
        ],
    ),
    (
        "有下列情形之一的，{org}应当责令{subj}限期整改：",
        [
            "服务对象满意度连续两年低于{lowpct}%",
            "发生重大安全事故",
            "未按照“先建后拆”的原则补建设施",
            "擅自停止服务超过{days}日",
            "收费项目未公示或者公示内容与实际不符",
            "拒绝、阻碍监督检查",
            "法律、行政法规规定的其他情形",
        ],
    ),
    (
        "申请从事{term0}，应当具备下列条件：",
        [
            "有固定的服务场所，场所面积不少于{area}平方米",
            "有与服务规模相适应的资金，注册资金不少于{money}万元",
            "有符合条件的负责人和专业技术人员",
            "有健全的管理制度和安全保障措施",
            "近{years}年内无不良信用记录",
            "符合《{book}》规定的其他条件",
        ],
    ),
    (
        "{org}编制{term0}规划，应当包括下列内容：",
        [
            "规划目标和主要任务",
            "设施布局和用地保障",
            "资金投入和保障措施",
            "实施步骤和责任分工",
            "城乡、区域之间的统筹安排",
            "监测评估和调整机制",
        ],
    ),
    (
        "{term0}资金主要用于下列事项：",
        [
            "公共服务设施的建设、改造和维护",
            "政府购买服务",
            "服务人员的培训和补贴",
            "对困难群体的兜底保障（含临时救助）",
            "信息化建设和数据共享",
            "经批准的其他支出",
        ],
    ),
]
CLOSING = [
    "本法自{year}年{month}月{day}日起施行。",
    "国务院根据本法制定实施条例。",
    "省、自治区、直辖市人民代表大会及其常务委员会可以根据本法和本地区实际制定实施办法。",
]


def _fill(rng: random.Random, template: str, article_no: int) -> str:
    """Fill every slot of ``template``; numbers are drawn so that the text mixes all their forms."""
    org, org2 = rng.sample(ORGS, 2)
    term0 = rng.choice(TERMS)
    m1 = rng.choice((500, 1000, 2000, 5000, 10000, 20000))
    values = {
        "org": org,
        "org2": org2,
        "subj": rng.choice(SUBJECTS),
        "act": rng.choice(ACTS),
        "obj": rng.choice(OBJECTS),
        "term0": term0,
        "book": rng.choice(BOOKS),
        "act_bad": rng.choice(BAD_ACTS),
        "days": rng.choice((5, 7, 10, 15, 20, 30, 60, 90)),
        "days2": rng.choice((10, 15, 30)),
        "days3": rng.choice((3, 5, 7)),
        "years": rng.choice((2, 3, 5, 10)),
        "month": rng.randint(1, 12),
        "day": rng.randint(1, 28),
        "year": 2026,
        "pct": rng.choice(("3.5", "5", "8", "10", "15")),
        "lowpct": rng.choice(("60", "70", "75.5", "80")),
        "share": rng.choice(("0.5", "1.5", "2", "3.5", "5")),
        "platform": rng.choice(PLATFORMS),
        "money": rng.choice((10, 50, 100, 200, 400)),
        "area": rng.choice((20, 30, 50, 200, 1000)),
        "m1": m1,
        "m2": m1 * rng.choice((5, 10, 20)),
        "x1": 1,
        "x2": rng.choice((3, 5, 10)),
        "ref": chinese_numeral(max(1, rng.randint(max(1, article_no - 40), max(1, article_no - 1)))),
    }
    return template.format(**values)


def _article(rng: random.Random, no: int, last_chapter: bool) -> list[str]:
    """One 条: its opening paragraph and, for some, the enumerated items as separate paragraphs."""
    head = f"**第{chinese_numeral(no)}条**　"
    if last_chapter and rng.random() < 0.6:
        kind = "penalty"
    else:
        kind = rng.choices(("plain", "items", "penalty"), weights=(70, 20, 10))[0]
    if kind == "penalty":
        template = rng.choice(PENALTIES)
        text = _fill(rng, template, no)
        if text.endswith("："):
            return [head + text] + _items(rng, no, rng.sample(BAD_ACTS, rng.randint(2, 5)))
        extra = _fill(rng, rng.choice(CLAUSES), no)
        return [head + text + (extra if rng.random() < 0.3 else "")]
    if kind == "items":
        lead_template, pool = rng.choice(ITEM_GROUPS)
        lead = _fill(rng, lead_template, no)
        pre = _fill(rng, rng.choice(CLAUSES), no) if rng.random() < 0.3 else ""
        picked = sorted(rng.sample(range(len(pool)), rng.randint(3, min(6, len(pool)))))
        items = [_fill(rng, pool[k], no) for k in picked]  # pool order: catch-all items stay last
        paras = [head + pre + lead] + _items(rng, no, items)
        if rng.random() < 0.4:
            paras.append(_fill(rng, rng.choice(CLAUSES), no))
        return paras
    sentences = [_fill(rng, t, no) for t in rng.sample(CLAUSES, rng.randint(1, 4))]
    paras = [head + "".join(sentences[:2])]
    if len(sentences) > 2:  # a second 款 (paragraph) of the same article
        paras.append("".join(sentences[2:]))
    return paras


def _items(rng: random.Random, no: int, items: list[str]) -> list[str]:
    """（一）…；（二）…；…（N）…。 — each item its own paragraph, as statutes are typeset."""
    out = []
    for i, item in enumerate(items, 1):
        end = "。" if i == len(items) else "；"
        out.append(f"（{chinese_numeral(i)}）{item}{end}")
    return out


def make_law(kb: int = 200) -> str:
    """A statute-like Markdown document of about ``kb`` KiB (UTF-8), identical on every run.

    Articles are numbered continuously through the whole text, as in a real code; the text stops
    after the article that reaches the target (then come the closing provisions), so the size
    overshoots by about one article and a 10× larger target gives very nearly 10× the text.
    """
    if kb <= 0:
        raise ValueError("kb must be positive")
    target = kb * 1024
    rng = random.Random(SEED)
    parts: list[str] = [FRONT_MATTER, PREAMBLE]
    size = sum(len(p.encode("utf-8")) + 2 for p in parts)
    article = 0
    part_no = chapter_no = 0
    done = False
    while not done:
        part_no += 1
        parts.append(f"# 第{chinese_numeral(part_no)}编　{PART_TOPICS[(part_no - 1) % len(PART_TOPICS)]}")
        size += len(parts[-1].encode("utf-8")) + 2
        for chapter_no in range(1, rng.randint(3, 5) + 1):
            topic = CHAPTER_TOPICS[(part_no * 3 + chapter_no - 1) % len(CHAPTER_TOPICS)]
            last_chapter = topic == "法律责任"
            parts.append(f"## 第{chinese_numeral(chapter_no)}章　{topic}")
            size += len(parts[-1].encode("utf-8")) + 2
            for section_no in range(1, rng.randint(2, 4) + 1):
                stopic = SECTION_TOPICS[(chapter_no * 5 + section_no + part_no) % len(SECTION_TOPICS)]
                parts.append(f"### 第{chinese_numeral(section_no)}节　{stopic}")
                size += len(parts[-1].encode("utf-8")) + 2
                for _ in range(rng.randint(3, 8)):
                    article += 1
                    new = _article(rng, article, last_chapter)
                    parts.extend(new)
                    size += sum(len(p.encode("utf-8")) + 2 for p in new)
                    if size >= target:
                        done = True
                        break
                if done:
                    break
            if done:
                break
    parts.append(f"## 第{chinese_numeral(chapter_no + 1)}章　附则")
    for template in CLOSING:
        article += 1
        parts.append(f"**第{chinese_numeral(article)}条**　" + _fill(rng, template, article))
    return "\n\n".join(parts) + "\n"


def make_book(folder: Path, chapters: int = 200, kb: int = 10) -> tuple[Path, Path]:
    """A book of ``chapters`` statute-like chapters of about ``kb`` KiB each, and the same text as one file.

    Writes ``folder/book.yaml`` with ``folder/chapters/NNN.md`` (each chapter titled in its front
    matter, its headings as written) and ``folder/onefile.md`` (each chapter a level-1 heading,
    its headings one level down, as the book sets them). Returns (manifest, one file).
    """
    body = make_law(kb).split("---\n", 2)[2]  # the text without its front matter
    (folder / "chapters").mkdir(parents=True, exist_ok=True)
    names, whole = [], ["---\ntitle: 长文本文集\ntoc: false\n---\n"]
    for n in range(1, chapters + 1):
        title = f"第{chinese_numeral(n)}篇　{PART_TOPICS[(n - 1) % len(PART_TOPICS)]}"
        name = f"chapters/{n:03d}.md"
        (folder / name).write_text(f"---\ntitle: {title}\n---\n\n{body}", encoding="utf-8")
        names.append(name)
        whole.append(f"# {title}\n\n" + body.replace("\n#", "\n##"))
    manifest = folder / "book.yaml"
    manifest.write_text(
        "title: 长文本文集\ntoc: false\nchapters:\n" + "".join(f"  - {name}\n" for name in names), encoding="utf-8"
    )
    onefile = folder / "onefile.md"
    onefile.write_text("\n".join(whole), encoding="utf-8")
    return manifest, onefile


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Write a deterministic long Chinese test text.")
    sub = p.add_subparsers(dest="kind", required=True)
    law = sub.add_parser("law", help="a statute-like document (编 → 章 → 节 → 条)")
    law.add_argument("out", type=Path, help="Markdown file to write")
    law.add_argument("--kb", type=int, default=200, help="approximate size in KiB (default: 200)")
    args = p.parse_args(argv)
    text = make_law(args.kb)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {len(text.encode('utf-8')) / 1024:.0f} KiB, {text.count('条**')} articles", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
