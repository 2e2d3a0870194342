"""公文 (GB/T 9704-2012) from the front matter's ``公文`` block: every element where the standard puts it.

Positions are measured with pdfplumber in our PDF and in LibreOffice's PDF of our DOCX, on a 通知
with every element (tests/data/gongwen/tongzhi.md), a 上行文 请示 with 签发人 (qingshi.md) and a
纪要 (jiyao.md). Distances are millimetres from the page's top and left edges; a line's "top" is
its em box's top: the baseline less 0.88 em.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import shutil
from pathlib import Path

import docx
import pdfplumber
import pytest
from conftest import DATA
from docx.oxml.ns import qn

from zhengji_publish import gongwen
from zhengji_publish.cli import main
from zhengji_publish.diagnostics import Reporter, UserError
from zhengji_publish.reader import read_text
from zhengji_publish.units import MM

SAMPLES = DATA / "gongwen"
TOP, LEFT, WIDTH, HEIGHT = 37.0, 28.0, 156.0, 225.0  # the type area (mm), GB/T 9704-2012 §5.2.1
PITCH = int(HEIGHT * MM / 22 * 20) / 20 / MM  # one grid line (mm), §5.2.3, in whole twips as a DOCX grid
CELL = WIDTH / 28  # one character of the grid's line (mm), §5.2.3: the unit of 空二字
RED = (0.902, 0.0, 0.071)


def rows(page) -> list[dict]:
    """Text lines: em-box top (mm), left and right edge (mm), size (pt), text, colour, face names."""

    def top(c) -> float:
        return (page.height - c["matrix"][5]) / MM - 0.88 * c["size"] / MM

    lines: dict[tuple[float, float], list] = {}  # one line: characters of one size within 1.5 mm
    for c in sorted((c for c in page.chars if c["text"].strip()), key=top):
        key = next((k for k in lines if k[1] == round(c["size"]) and abs(k[0] - top(c)) < 1.5), None)
        lines.setdefault(key or (top(c), round(c["size"])), []).append(c)
    out = []
    for chars in lines.values():
        chars.sort(key=lambda c: c["x0"])
        out.append(
            {
                "top": (page.height - chars[0]["matrix"][5]) / MM - 0.88 * chars[0]["size"] / MM,
                "x0": chars[0]["x0"] / MM,
                "x1": chars[-1]["x1"] / MM,
                "size": chars[0]["size"],
                "text": "".join(c["text"] for c in chars),
                "color": tuple(round(v, 3) for v in (chars[0]["non_stroking_color"] or (0,))),
                "fonts": {c["fontname"].split("+")[-1] for c in chars},
            }
        )
    return sorted(out, key=lambda r: (r["top"], r["x0"]))


def find(page, text: str) -> dict:
    """The line whose text starts with ``text``."""
    found = [r for r in rows(page) if r["text"].startswith(text)]
    assert found, f"{text!r} not on the page: {[r['text'] for r in rows(page)]}"
    return found[0]


def rules(page) -> list[dict]:
    """Horizontal rules: y (mm), x0, x1 (mm), weight (mm), colour."""
    out = []
    for line in page.lines:
        if abs(line["top"] - line["bottom"]) < 0.5:
            out.append(
                {
                    "y": line["top"] / MM,
                    "x0": line["x0"] / MM,
                    "x1": line["x1"] / MM,
                    "weight": line["linewidth"] / MM,
                    "color": tuple(round(v, 3) for v in line["stroking_color"]),
                }
            )
    unique = {(round(r["y"], 2), round(r["x0"], 1)): r for r in out}  # LibreOffice strokes some twice
    return sorted(unique.values(), key=lambda r: r["y"])


def slot_top(slot: int) -> float:
    """The em top of a 三号 line on grid line ``slot`` (0 = the first) of the type area (mm)."""
    return TOP + slot * PITCH + (PITCH - 16 / MM) / 2


def red(color: tuple) -> bool:
    return len(color) == 3 and color[0] > 0.85 and color[1] < 0.1 and color[2] < 0.15


# ---------------------------------------------------------------- the 公文 block


def read(front: str, tmp_path: Path):
    source = tmp_path / "doc.md"
    text = f"---\n{front}\n---\n\n正文。\n"
    source.write_text(text, encoding="utf-8")
    return read_text(text, source)


@pytest.mark.unit
def test_the_block_is_read_into_typed_elements(tmp_path):
    doc = read(
        '公文:\n  份号: "000012"\n  发文字号: ××政办发〔2026〕12号\n  签发人: [王××, 李××]\n'
        "  成文日期: 2026-03-16\n  印发日期: 2026年3月6日\n  附件说明: 清单\n  抄送机关: 市委办公室",
        tmp_path,
    )
    g = doc.meta.gongwen
    assert g is not None
    assert (g.copy_number, g.doc_number, g.signers) == ("000012", "××政办发〔2026〕12号", ["王××", "李××"])
    assert g.date == dt.date(2026, 3, 16) and g.print_date == dt.date(2026, 3, 6) and g.upward
    assert g.attachments == ["清单"] and g.copies_to == ["市委办公室"] and g.has_record


@pytest.mark.unit
@pytest.mark.parametrize(
    ("front", "where", "message"),
    [
        (
            "公文:\n  发文字: ××〔2026〕1号",
            "3:3",
            r"'发文字' is not an element of GB/T 9704-2012.* did you mean '发文字号'\?",
        ),
        (
            "公文:\n  成文日期: 2026-13-40",
            "3:3",
            r"'成文日期: 2026-13-40' is not a date: there is no month 13 \(months run from 01 to 12\) — .*2026-03-16",
        ),
        ("公文:\n  印发日期: 下周一", "3:3", r"'印发日期: 下周一' is not a date — write it as year-month-day"),
        (
            "公文:\n  印发日期: 2026年2月30日",
            "3:3",
            r"'印发日期: 2026年2月30日' is a day that does not exist: February 2026 has 28 days — write a day from 01",
        ),
        ("公文:\n  发文字号: ××政办发(2026)12号", "3:3", r".*is not in the standard's form — .*〔〕.*§7\.2\.5"),
        ("公文:\n  发文字号: ××政办发〔26〕012号", "3:3", r".*is not in the standard's form"),
        (
            "title: 请示\n公文:\n  主送机关: 省人民政府：\n  签发人: 王××",
            "5:3",
            r"'签发人' is given without a '发文字号'",
        ),
        ("公文:\n  紧急程度: 很急", "3:3", r"'紧急程度' is '很急' — 特急 or 加急"),
        ("公文:\n  格式: 纪要书", "3:3", r"unknown 公文 format '纪要书' — did you mean '纪要'\?"),
        ("公文:\n  出席: 张××", "3:3", r"'出席' belongs to a 纪要"),
        ("公文:\n  格式: 纪要\n  出席: 张××", "3:3", r"a 纪要 has no '发文机关标志' — add its 纪要标志"),
        ("公文:\n  印章: nowhere.png", "3:3", r"seal image 'nowhere.png' not found"),
        ("公文: 通知", "2:1", r"'公文' is not a mapping"),
        ("公文:\n  份号: 000012", "3:3", r"'份号' 10 is a number, not six digits — write it in quotes"),
    ],
)
def test_bad_elements_are_located_errors_with_the_allowed_forms(tmp_path, front, where, message):
    with pytest.raises(UserError) as caught:
        read(front, tmp_path)
    text = str(caught.value)
    assert re.search(rf"doc\.md:{where}: error: {message}", text), text


@pytest.mark.unit
def test_every_problem_of_the_block_is_told_in_the_order_of_its_lines(tmp_path):
    with pytest.raises(UserError) as caught:
        read("公文:\n  发文字: ××〔2026〕1号\n  成文日期: 2026-13-40\n  紧急程度: 很急", tmp_path)
    assert [(d.line, d.col) for d in caught.value.diagnostics] == [(3, 3), (4, 3), (5, 3)]


@pytest.mark.unit
def test_a_minutes_names_its_attendees_as_a_list_or_one_string(tmp_path):
    front = "公文:\n  格式: 纪要\n  发文机关标志: ××会议纪要\n  出席: [张××, 李××]\n  请假: 王××"
    g = read(front, tmp_path).meta.gongwen
    assert g is not None and (g.present, g.absent) == ("张××、李××", "王××")


@pytest.mark.unit
def test_attachments_that_differ_from_the_list_are_warned_about(tmp_path):
    source = tmp_path / "doc.md"
    front = "---\n公文:\n  附件说明: [台账, 清单]\n---\n\n正文。\n\n"
    text = front + "::: attachment\n# 台账\n:::\n\n::: attachment\n# 名单\n:::\n"
    reporter = Reporter(stream=io.StringIO())
    read_text(text, source, reporter)
    (warning,) = reporter.warnings
    assert warning.format() == (
        f"{source}:12:1: warning: 附件2's title '名单' differs from the 附件说明's '清单' — "
        "give both the same wording (GB/T 9704-2012 §7.3.7)"
    )


@pytest.mark.unit
def test_contents_asked_of_a_gongwen_are_warned_about(tmp_path):
    """``toc: true`` beside a ``公文`` block: a 公文 is set without contents (GB/T 9704-2012 has
    none), and the front matter's request is not passed over in silence, as it was: a warning at
    the key says so and what to do. The style's own contents setting (a4-report's) says nothing."""
    source = tmp_path / "doc.md"
    reporter = Reporter(stream=io.StringIO())
    read_text("---\ntitle: 报告\ntoc: true\n公文:\n  主送机关: 各位代表：\n---\n\n正文。\n", source, reporter)
    (warning,) = reporter.warnings
    assert warning.format().startswith(f"{source}:3:6: warning: 'toc: true' is not used: a 公文 is set without")
    assert "remove 'toc'" in warning.format()
    quiet = Reporter(stream=io.StringIO())
    read_text("---\ntitle: 报告\n公文:\n  主送机关: 各位代表：\n---\n\n正文。\n", source, quiet)
    assert not quiet.warnings


@pytest.mark.unit
def test_dates_and_attachment_lines_follow_the_standard():
    assert gongwen.date_text(dt.date(2026, 3, 6)) == "2026年3月6日"  # §7.3.5.4: no leading zeros
    assert gongwen.attachment_lines(["清单。"]) == [("附件：", "", "清单")]  # §7.3.4: no closing mark
    assert gongwen.attachment_lines(["甲", "乙"]) == [("附件：", "1.", "甲"), ("", "2.", "乙")]
    assert gongwen.copies_text(["市委办公室", "市政协办公室"]) == "市委办公室、市政协办公室。"


@pytest.mark.e2e
def test_a_bad_block_stops_the_build_with_one_message_and_no_output(tmp_path, capsys):
    source = tmp_path / "bad.md"
    source.write_text("---\nstyle: gongwen\n公文:\n  签发人: 王××\n---\n\n正文。\n", encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"{source}:4:3: error: '签发人' is given without a '发文字号' — "
        "a 上行文 names its 发文字号 beside its 签发人 (§7.2.5, §7.2.6)"
    ]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.e2e
def test_a_heading_numbered_for_another_level_is_warned_about_at_its_line(tmp_path, capsys):
    """A 公文 whose title is its first '#' heading and whose 一、 sections are '##' sets 一、 as level 2
    (楷体, §7.3.3 wants 黑体): the build says so at the first such heading, counting the others; the
    sample, whose levels agree with its numbers, builds without it."""
    source = tmp_path / "notice.md"
    source.write_text(
        "# 关于开展安全生产大检查的通知\n\n各区县人民政府：\n\n## 一、检查范围\n\n全市各单位。\n\n"
        "### （一）重点行业\n\n矿山。\n\n## 二、工作要求\n\n认真组织。\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["build", str(source), "-s", "gongwen", "-e", "zh-Hans", "-f", "pdf", "-o", str(tmp_path)]) == 0
    warned = [ln for ln in capsys.readouterr().err.splitlines() if "is numbered as level" in ln]
    assert warned == [
        f"{source}:5:1: warning: the heading '一、检查范围' is numbered as level 1 but is a level-2 heading, "
        "so it is set as level 2 (2 more headings likewise) — write it '# 一、检查范围'; a title written as "
        "the first heading goes into the front matter's 'title:' (the style numbers its levels 一、 （一） 1. （1）)"
    ]
    source.write_text(source.read_text(encoding="utf-8").replace("## ", "# "), encoding="utf-8")  # ### → ##
    assert main(["build", str(source), "-s", "gongwen", "-e", "zh-Hans", "-f", "pdf", "-o", str(tmp_path)]) == 0
    assert "is numbered as level" not in capsys.readouterr().err
    assert main(["build", str(SAMPLES / "tongzhi.md"), "-e", "zh-Hans", "-f", "pdf", "-o", str(tmp_path)]) == 0
    assert "is numbered as level" not in capsys.readouterr().err


# ---------------------------------------------------------------- the PDF


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    out = tmp_path_factory.mktemp("gongwen")
    for name in ("tongzhi", "qingshi", "jiyao"):
        assert (
            main(["build", str(SAMPLES / f"{name}.md"), "-e", "zh-Hans", "-f", "pdf", "-f", "docx", "-o", str(out)])
            == 0
        )
    return out


@pytest.mark.e2e
def test_the_banner_of_a_notice(pdfs):
    with pdfplumber.open(pdfs / "tongzhi.zh-Hans.pdf") as pdf:
        page = pdf.pages[0]
        # §7.2.1–§7.2.3: 份号, 密级和保密期限, 紧急程度 flush left on the first three lines, in that order
        for slot, text in enumerate(("000012", "秘密★1年", "特急")):
            line = find(page, text)
            assert line["top"] == pytest.approx(slot_top(slot), abs=0.1)
            assert line["x0"] == pytest.approx(LEFT, abs=0.1)
        # §7.2.4: the mark centred, red, its top 35 mm below the type area's top, within the type area
        mark = find(page, "××市人民政府办公室文件")
        assert mark["top"] == pytest.approx(TOP + 35, abs=0.1)
        assert red(mark["color"]) and mark["size"] > 30
        assert (mark["x0"] + mark["x1"]) / 2 == pytest.approx(LEFT + WIDTH / 2, abs=0.5)
        assert mark["x0"] >= LEFT - 0.1 and mark["x1"] <= LEFT + WIDTH + 0.1
        # §7.2.5: the 发文字号 centred, two empty lines below the mark
        number = find(page, "××政办发〔2026〕12号")
        mark_bottom = mark["top"] + mark["size"] / MM
        blank = number["top"] - (PITCH - 16 / MM) / 2 - mark_bottom
        assert 2 * PITCH <= blank + 0.1 < 3 * PITCH
        assert (number["x0"] + number["x1"]) / 2 == pytest.approx(LEFT + WIDTH / 2, abs=0.5)
        # §7.2.7: a red separator as wide as the type area, 4 mm below the 发文字号
        (separator,) = rules(page)
        assert red(separator["color"])
        assert separator["y"] == pytest.approx(number["top"] + 16 / MM + 4, abs=0.1)
        assert (separator["x0"], separator["x1"]) == (
            pytest.approx(LEFT, abs=0.1),
            pytest.approx(LEFT + WIDTH, abs=0.1),
        )
        # §7.3.1: the title 二号, centred, on the grid two empty lines below the separator
        title = [r for r in rows(page) if r["size"] == pytest.approx(22)]
        assert "".join(r["text"] for r in title) == "××市人民政府办公室关于开展2026年春季森林防火专项检查的通知"
        first = round((title[0]["top"] - TOP) / PITCH - 0.5)
        assert title[0]["top"] == pytest.approx(TOP + first * PITCH + (PITCH - 22 / MM) / 2, abs=0.1)
        assert TOP + (first - 2) * PITCH >= separator["y"] > TOP + (first - 3) * PITCH
        # §7.3.2: 主送机关 flush left one empty line below the title; the text on the next line
        to = find(page, "各区县人民政府")
        assert to["x0"] == pytest.approx(LEFT, abs=0.1)
        assert to["top"] == pytest.approx(slot_top(first + len(title) + 1), abs=0.1)
        assert find(page, "为切实做好")["top"] == pytest.approx(to["top"] + PITCH, abs=0.1)


@pytest.mark.e2e
def test_the_closing_elements_of_a_sealed_notice(pdfs):
    with pdfplumber.open(pdfs / "tongzhi.zh-Hans.pdf") as pdf:
        page = next(p for p in pdf.pages if "附件：" in (p.extract_text() or ""))
        (text_end,) = [r for r in rows(page) if r["text"].endswith("防火指挥部办公室。")]  # the text's last line
        # §7.3.4: one empty line below the text, two characters in; the second name under the first
        first = find(page, "附件：1.2026年春季")
        second = find(page, "2.森林防火重点部位清单")
        assert first["top"] == pytest.approx(text_end["top"] + 2 * PITCH, abs=0.1)
        assert first["x0"] == pytest.approx(LEFT + 2 * CELL, abs=0.1)
        label = [c for c in page.chars if c["text"] == "1" and abs(c["x0"] / MM - second["x0"]) < 0.3]
        assert label, "the second attachment's number stands under the first's"
        # §7.3.5.1: the date four characters from the right, the 署名 centred over it, the seal on both
        issuer, date = find(page, "××市人民政府办公室"), find(page, "2026年3月16日")
        assert date["top"] == pytest.approx(issuer["top"] + PITCH, abs=0.1)
        assert date["x1"] == pytest.approx(LEFT + WIDTH - 4 * CELL, abs=0.3)
        assert (issuer["x0"] + issuer["x1"]) / 2 == pytest.approx((date["x0"] + date["x1"]) / 2, abs=0.3)
        (seal,) = page.images
        # pressed on the text as ink: multiplied with it, so the 署名 shows through the red
        assert b"/BM /Multiply" in (pdfs / "tongzhi.zh-Hans.pdf").read_bytes()
        centre_x, centre_y = (seal["x0"] + seal["x1"]) / 2 / MM, (seal["top"] + seal["bottom"]) / 2 / MM
        assert (seal["x1"] - seal["x0"]) / MM == pytest.approx(42, abs=0.1)
        assert centre_x == pytest.approx((date["x0"] + date["x1"]) / 2, abs=0.3)
        assert issuer["top"] > centre_y - 4 and date["top"] > centre_y  # both below the seal's centre (偏下)
        assert 0 <= seal["top"] / MM - (second["top"] + 16 / MM) <= PITCH  # its top within one line of the text
        # §7.3.6: 附注 in parentheses, two characters in, on the line below the date
        note = find(page, "（此件公开发布）")
        assert note["top"] == pytest.approx(date["top"] + PITCH, abs=0.1)
        assert note["x0"] == pytest.approx(LEFT + 2 * CELL, abs=0.1)


@pytest.mark.e2e
def test_attachments_record_and_folios(pdfs):
    with pdfplumber.open(pdfs / "tongzhi.zh-Hans.pdf") as pdf:
        pages = pdf.pages
        # §7.3.7: each 附件 on a new page, 附件N in 黑体 on the first line, its title on the third
        for number, title in ((1, "2026年春季森林防火专项检查工作台账"), (2, "森林防火重点部位清单")):
            page = next(p for p in pages if any(r["text"] == f"附件{number}" for r in rows(p)))
            label = find(page, f"附件{number}")
            assert label["top"] == pytest.approx(slot_top(0), abs=0.1) and label["x0"] == pytest.approx(LEFT, abs=0.1)
            assert any("Sans" in f or "Hei" in f for f in label["fonts"])
            heading = find(page, title)
            assert heading["size"] == pytest.approx(22)
            assert heading["top"] == pytest.approx(TOP + 2 * PITCH + (PITCH - 22 / MM) / 2, abs=0.1)
        # §7.4: the 版记 on the last page, 四号, its last rule on the type area's bottom edge
        last = pages[-1]
        copies = find(last, "抄送：市委办公室、市人大常委会办公室、市政协办公室。")
        printer = find(last, "××市人民政府办公室2026年3月16日印发")
        assert copies["size"] == pytest.approx(14) and printer["size"] == pytest.approx(14)
        assert copies["x0"] == pytest.approx(LEFT + 14 / MM, abs=0.1)  # one character in
        assert printer["x1"] == pytest.approx(LEFT + WIDTH - 14 / MM, abs=0.3)
        lines = rules(last)
        assert [round(r["weight"], 2) for r in lines] == [0.35, 0.25, 0.35]  # §7.4.1
        assert all(
            r["x0"] == pytest.approx(LEFT, abs=0.1) and r["x1"] == pytest.approx(LEFT + WIDTH, abs=0.1) for r in lines
        )
        assert lines[-1]["y"] == pytest.approx(TOP + HEIGHT, abs=0.1)
        assert lines[0]["y"] < copies["top"] < lines[1]["y"] < printer["top"] < lines[2]["y"]
        # §7.5: 四号 folios, 7 mm below the type area, right on odd pages and left on even ones
        for number, page in enumerate(pages, 1):
            folio = [r for r in rows(page) if r["text"] == f"—{number}—"]
            assert len(folio) == 1 and folio[0]["top"] == pytest.approx(TOP + HEIGHT + 7, abs=0.1)
            edge = folio[0]["x1"] if number % 2 else folio[0]["x0"]
            assert edge == pytest.approx(LEFT + WIDTH - 16 / MM if number % 2 else LEFT + 16 / MM, abs=0.3)


@pytest.mark.e2e
def test_every_heading_takes_one_grid_line(pdfs):
    """Headings of every level (一、黑体, （一）楷体, 1. and （1）仿宋, numbered for the source) sit on the
    22-line grid like the text, one line each: a page's lines fill consecutive grid lines from the top."""
    with pdfplumber.open(pdfs / "tongzhi.zh-Hans.pdf") as pdf:
        seen = set()
        first, second = ([r for r in rows(page) if r["size"] == pytest.approx(16)] for page in pdf.pages[:2])
        # the rest, if any, is kept for a heading with its first lines, or (here) for the last heading
        # and paragraph, which go with the 署名 and date (no page of those without text)
        assert len(second) >= 19
        for slot, line in enumerate(second):
            assert line["top"] == pytest.approx(slot_top(slot), abs=0.1), line["text"]
        body = first[next(i for i, r in enumerate(first) if r["text"].startswith("各区县人民政府")) :]
        for line in body:  # under the 版头 and the title, the first page's text keeps the grid too
            assert line["top"] == pytest.approx(slot_top(round((line["top"] - TOP) / PITCH)), abs=0.1), line["text"]
        for line in body + second:
            seen |= {p for p in ("一、", "（一）", "1.", "（1）") if line["text"].startswith(p)}
        assert seen == {"一、", "（一）", "1.", "（1）"}


@pytest.mark.e2e
def test_an_upward_request_with_its_signer_and_no_seal(pdfs):
    with pdfplumber.open(pdfs / "qingshi.zh-Hans.pdf") as pdf:
        page = pdf.pages[0]
        number = find(page, "××政〔2026〕8号")
        signer = [c for c in page.chars if c["text"] == "王"]
        # §7.2.5, §7.2.6: 发文字号 one character in from the left, 签发人 one from the right, one line
        assert number["x0"] == pytest.approx(LEFT + 16 / MM, abs=0.3)
        assert number["text"].endswith("签发人：王××")
        assert number["x1"] == pytest.approx(LEFT + WIDTH - 16 / MM, abs=0.3)
        assert any("Kai" in c["fontname"] for c in signer)  # the name in 楷体
        second = pdf.pages[-1]
        # §7.3.5.2: 署名 one empty line below the text, two characters from the right; the date on the
        # next line, two characters right of the 署名's first character
        issuer, date = find(second, "××市人民政府"), find(second, "2026年3月2日")
        assert issuer["top"] == pytest.approx(find(second, "妥否，请批示。")["top"] + 2 * PITCH, abs=0.1)
        assert date["top"] == pytest.approx(issuer["top"] + PITCH, abs=0.1)
        assert date["x0"] == pytest.approx(issuer["x0"] + 2 * CELL, abs=0.1)
        assert max(issuer["x1"], date["x1"]) == pytest.approx(LEFT + WIDTH - 2 * CELL, abs=0.3)
        assert not second.images
        lines = rules(second)
        assert [round(r["weight"], 2) for r in lines] == [0.35, 0.35] and lines[-1]["y"] == pytest.approx(
            TOP + HEIGHT, abs=0.1
        )


@pytest.mark.e2e
def test_a_minutes_document(pdfs):
    with pdfplumber.open(pdfs / "jiyao.zh-Hans.pdf") as pdf:
        mark = find(pdf.pages[0], "××市森林防火指挥部会议纪要")
        assert mark["top"] == pytest.approx(TOP + 35, abs=0.1) and red(mark["color"])  # §10.3
        page = pdf.pages[-1]
        present = find(page, "出席：")
        carried = find(page, "××、周××")
        # §10.3: 出席 in 黑体 two characters in, names carried on under the first after the colon
        assert present["x0"] == pytest.approx(LEFT + 2 * CELL, abs=0.1)
        colon_end = next(c for c in page.chars if c["text"] == "：" and abs(c["top"] / MM - present["top"]) < 3)
        assert carried["x0"] == pytest.approx(colon_end["x1"] / MM, abs=0.3)
        assert find(page, "请假：")["top"] == pytest.approx(carried["top"] + PITCH, abs=0.1)
        assert find(page, "列席：")["top"] == pytest.approx(carried["top"] + 2 * PITCH, abs=0.1)


# ---------------------------------------------------------------- the DOCX


@pytest.mark.e2e
def test_the_docx_is_made_of_real_word_structures(pdfs):
    d = docx.Document(str(pdfs / "tongzhi.zh-Hans.docx"))
    xml = d.element.xml
    assert "txbxContent" not in xml and "framePr" not in xml  # no text box, no frame
    # the two 附件, and the 版记's: the text ends on page 5, the 版记 goes to the even page after it
    assert xml.count("<w:pageBreakBefore/>") == 3
    assert len(d.tables) == 2  # the 附件's table and the 版记
    record = d.tables[-1]
    # the 版记 floats at the foot of the type area (w:tblpPr), anchored in the empty last paragraph
    position = record._tbl.find(qn("w:tblPr")).find(qn("w:tblpPr"))
    assert (position.get(qn("w:vertAnchor")), position.get(qn("w:tblpYSpec"))) == ("margin", "bottom")
    anchor = d.paragraphs[-1]
    assert record._tbl.getnext() is anchor._p and not anchor.text and anchor.paragraph_format.page_break_before
    assert [c.text for r in record.rows for c in r.cells] == [
        "抄送：市委办公室、市人大常委会办公室、市政协办公室。",
        "××市人民政府办公室\t2026年3月16日印发",
    ]
    texts = [p.text for p in d.paragraphs]
    assert texts[:5] == ["000012", "秘密★1年", "特急", "××市人民政府办公室文件", ""]
    assert "××政办发〔2026〕12号" in texts and "（此件公开发布）" in texts
    assert 'w:color w:val="E60012"' in xml  # the red mark and separator
    assert xml.count("<wp:anchor") == 1  # the seal, the one anchored picture
    # the faces an office's Word has, as the style lists them first (the PDF used installed ones)
    fonts = set(re.findall(r'w:eastAsia="([^"]+)"', xml + d.styles.element.xml))
    assert {"FangSong_GB2312", "FZXiaoBiaoSong-B05", "SimHei", "KaiTi_GB2312"} <= fonts
    assert not fonts & {"Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN"}


# Elements compared between the two renderings: (text the line starts with, compare its left edge)
ELEMENTS = {
    "tongzhi": [
        ("000012", False),
        ("秘密★1年", False),
        ("特急", False),
        ("××市人民政府办公室文件", False),
        ("××政办发〔2026〕12号", False),
        ("××市人民政府办公室关于开展", False),
        ("2026年春季森林防火专项检查的通知", False),
        ("各区县人民政府", False),
        ("附件：1.", True),
        ("2.森林防火重点部位清单", True),
        ("××市人民政府办公室", True),
        ("2026年3月16日", True),
        ("（此件公开发布）", True),
        ("附件1", False),
    ],
    "qingshi": [
        ("加急", False),
        ("××市人民政府文件", False),
        ("××政〔2026〕8号", True),
        ("××市人民政府关于申请", False),
        ("省人民政府：", False),
        ("××市人民政府", True),
        ("2026年3月2日", True),
        ("（联系人", True),
    ],
    "jiyao": [
        ("××市森林防火指挥部会议纪要", False),
        ("××森防纪〔2026〕1号", False),
        ("市森林防火指挥部2026", False),
        ("出席：", True),
        ("请假：", True),
        ("列席：", True),
    ],
}


def first_line(pdf, text: str) -> dict:
    """The first line that reads ``text`` (or, failing that, starts with it), not in the 版记."""
    for exact in (True, False):
        for page in pdf.pages:
            found = [
                r
                for r in rows(page)
                if (r["text"] == text if exact else r["text"].startswith(text)) and r["size"] != pytest.approx(14)
            ]
            if found:
                return found[0]
    raise AssertionError(f"{text!r} not found")


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize("name", list(ELEMENTS))
def test_libreoffice_sets_the_docx_where_the_pdf_sets_it(pdfs, soffice_pdf, name):
    """The 版头, title, 主送机关 and the closing elements within 0.5 mm of the PDF's; the separator red
    and as wide as the type area; the 版记's rules as wide and its last rule on the type area's foot."""
    with (
        pdfplumber.open(pdfs / f"{name}.zh-Hans.pdf") as ours,
        pdfplumber.open(soffice_pdf(pdfs / f"{name}.zh-Hans.docx")) as theirs,
    ):
        for text, by_left in ELEMENTS[name]:
            want, got = first_line(ours, text), first_line(theirs, text)
            assert got["top"] == pytest.approx(want["top"], abs=0.5), text
            if by_left:  # placed by an indent or a tab: its left edge too
                assert got["x0"] == pytest.approx(want["x0"], abs=0.5), text
        (separator,) = rules(theirs.pages[0])
        assert red(separator["color"]) and separator["y"] == pytest.approx(rules(ours.pages[0])[0]["y"], abs=0.5)
        assert (separator["x0"], separator["x1"]) == (
            pytest.approx(LEFT, abs=0.3),
            pytest.approx(LEFT + WIDTH, abs=0.3),
        )
        # the 版记's lines (四号, not the folio) on the PDF's lines, one character in
        mine = [r for r in rows(ours.pages[-1]) if r["size"] == pytest.approx(14) and not r["text"].startswith("—")]
        got = [r for r in rows(theirs.pages[-1]) if r["size"] == pytest.approx(14) and not r["text"].startswith("—")]
        assert len(got) == len(mine) > 0
        for want, line in zip(mine, got, strict=True):
            assert line["top"] == pytest.approx(want["top"], abs=0.5), line["text"]
            assert line["x0"] == pytest.approx(LEFT + 14 / MM, abs=0.5)
        record = rules(theirs.pages[-1])
        assert len(record) == len(rules(ours.pages[-1]))
        assert record[-1]["y"] == pytest.approx(TOP + HEIGHT, abs=0.5)
        for r in record:
            assert (r["x0"], r["x1"]) == (pytest.approx(LEFT, abs=0.3), pytest.approx(LEFT + WIDTH, abs=0.3))


def attachment_names(pdf) -> list[tuple[str, float]]:
    """The 附件说明's lines (§7.3.4): (the line's text, the left edge (pt) of the name after its
    number), from the line that opens with 附件： to the last numbered one after it."""
    out: list[tuple[str, float]] = []
    for page in pdf.pages:
        lines: list[list[dict]] = []
        for c in sorted((c for c in page.chars if c["text"].strip()), key=lambda c: (round(c["bottom"]), c["x0"])):
            if lines and abs(c["bottom"] - lines[-1][0]["bottom"]) < 3:
                lines[-1].append(c)
            else:
                lines.append([c])
        for chars in lines:
            chars.sort(key=lambda c: c["x0"])
            text = "".join(c["text"] for c in chars)
            numbered = re.match(r"(附件：)?\d+\.", text)
            if numbered and (numbered.group(1) or out):
                out.append((text, chars[numbered.end()]["x0"]))
            elif out:
                return out
    return out


@pytest.mark.e2e
@pytest.mark.external
def test_libreoffice_sets_the_attachment_names_where_the_pdf_does(pdfs, soffice_pdf):
    """附件说明 (§7.3.4): each attachment's name straight after its number, where the PDF sets it.
    LibreOffice draws the absent 仿宋 with the PDF's face (fonts.aliases); before, with fontconfig's
    own choice, whose digits are wider: a name stood up to 3 pt further right; and before that a
    tab after the number carried the name on to the next default tab stop, 16.4 pt from the PDF's."""
    with (
        pdfplumber.open(pdfs / "tongzhi.zh-Hans.pdf") as ours,
        pdfplumber.open(soffice_pdf(pdfs / "tongzhi.zh-Hans.docx")) as theirs,
    ):
        mine, got = attachment_names(ours), attachment_names(theirs)
    assert [t for t, _x in mine] == ["附件：1.2026年春季森林防火专项检查工作台账", "2.森林防火重点部位清单"]
    assert [t for t, _x in got] == [t for t, _x in mine]
    assert all(abs(b - a) <= 0.5 for (_t, a), (_u, b) in zip(mine, got, strict=True)), (mine, got)


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize(("more", "pages", "blank"), [(6, 2, False), (7, 4, True)])
def test_the_record_on_the_last_even_page(tmp_path, soffice_pdf, more, pages, blank):
    """§7.4.1, §7.5, §8.2: the 版记 at the foot of the last face of a sheet printed on both sides (an
    even page), under the text when it fits (6 more two-line paragraphs and a one-line one end the
    附注 on the grid line above it); else (7 more) an odd page left blank before it, and neither page
    has a folio. In the PDF and in LibreOffice's PDF of the DOCX alike, each rule and line within
    0.5 mm."""
    added = "各区县已完成项目前期工作，具备开工条件，资金到位后即可组织实施，年底前完成全部建设任务。"
    source = tmp_path / "qingshi.md"
    text = (SAMPLES / "qingshi.md").read_text(encoding="utf-8")
    tail = [added] * more + (["请予审定。"] if more == 6 else []) + ["妥否，请批示。"]
    source.write_text(text.replace("妥否，请批示。", "\n\n".join(tail)), encoding="utf-8")
    assert main(["build", str(source), "-e", "zh-Hans", "-f", "pdf", "-f", "docx", "-o", str(tmp_path)]) == 0
    with (
        pdfplumber.open(tmp_path / "qingshi.zh-Hans.pdf") as ours,
        pdfplumber.open(soffice_pdf(tmp_path / "qingshi.zh-Hans.docx")) as theirs,
    ):
        for pdf in (ours, theirs):
            assert len(pdf.pages) == pages
            last = pdf.pages[-1]
            assert any(r["text"].startswith("（联系人") for r in rows(last)) is not blank
            if pdf is ours and not blank:  # the text's last line on the grid line just above the 版记
                assert find(last, "（联系人")["top"] == pytest.approx(slot_top(20), abs=0.1)
            record = rules(last)
            assert len(record) == 2 and record[-1]["y"] == pytest.approx(TOP + HEIGHT, abs=0.5)
            folios = [[r for r in rows(page) if r["text"].startswith("—")] for page in pdf.pages]
            if blank:  # §7.5: no folio on the blank page nor on the 版记's page after it
                assert not pdf.pages[-2].chars and folios[-2:] == [[], []]
                assert [f[0]["text"] for f in folios[:-2]] == ["—1—", "—2—"]
            else:
                assert [f[0]["text"] for f in folios] == ["—1—", "—2—"]
        for want, got in zip(rows(ours.pages[-1]), rows(theirs.pages[-1]), strict=True):
            assert got["top"] == pytest.approx(want["top"], abs=0.5), got["text"]
        for want, got in zip(rules(ours.pages[-1]), rules(theirs.pages[-1]), strict=True):
            assert got["y"] == pytest.approx(want["y"], abs=0.5)


@pytest.mark.e2e
def test_an_order_and_a_letter(tmp_path):
    for name in ("mingling", "xinhan"):
        assert main(["build", str(SAMPLES / f"{name}.md"), "-e", "zh-Hans", "-f", "pdf", "-o", str(tmp_path)]) == 0
    with pdfplumber.open(tmp_path / "mingling.zh-Hans.pdf") as pdf:
        page = pdf.pages[0]
        mark = find(page, "××市人民政府令")
        assert mark["top"] == pytest.approx(TOP + 20, abs=0.1) and red(mark["color"])  # §10.2
        number = find(page, "第12号")
        assert (number["x0"] + number["x1"]) / 2 == pytest.approx(LEFT + WIDTH / 2, abs=0.5)
        assert not [r for r in rules(page) if red(r["color"])]  # no separator in a 命令
        assert find(page, "2026年3月16日")["x1"] == pytest.approx(LEFT + WIDTH - 4 * CELL, abs=0.3)
    with pdfplumber.open(tmp_path / "xinhan.zh-Hans.pdf") as pdf:
        page = pdf.pages[0]
        mark = find(page, "××市人民政府办公室")
        assert mark["top"] == pytest.approx(30, abs=0.1) and red(mark["color"])  # §10.1: from the page's top
        double = [r for r in rules(page) if red(r["color"])]
        assert len(double) == 4  # two red double rules
        for r in double:
            assert r["x1"] - r["x0"] == pytest.approx(170, abs=0.1)
        assert double[-1]["y"] == pytest.approx(297 - 20, abs=1)
        line = find(page, "000003")  # 份号 flush left, 发文字号 flush right, under the first rule
        assert line["text"] == "000003××政办函〔2026〕5号"
        assert line["x0"] == pytest.approx(LEFT, abs=0.1) and line["x1"] == pytest.approx(LEFT + WIDTH, abs=0.3)
        assert line["top"] == pytest.approx(double[0]["y"] + 0.4 + 0.5 + 0.3 + 16 / MM * 7 / 8, abs=0.1)
        assert not [r for r in rows(page) if r["text"] == "—1—"]  # no folio on the first page


@pytest.mark.e2e
@pytest.mark.external
def test_libreoffice_sets_the_letter_head_of_the_docx_where_the_pdf_sets_it(tmp_path, soffice_pdf):
    """§10.1 in the DOCX: the mark above the type area, 30 mm from the page's top, the red double
    rules (4 mm under the mark; 20 mm above the page's foot), 份号 and 发文字号 under the first, the
    title on its grid line: each within 0.5 mm of the PDF's in LibreOffice's PDF; no folio on the
    first page. The head is a floating table, the foot's rules line shapes anchored to the page."""
    assert (
        main(["build", str(SAMPLES / "xinhan.md"), "-e", "zh-Hans", "-f", "pdf", "-f", "docx", "-o", str(tmp_path)])
        == 0
    )
    d = docx.Document(str(tmp_path / "xinhan.zh-Hans.docx"))
    xml = d.element.xml
    assert "txbxContent" not in xml and "framePr" not in xml
    head = d.tables[0]._tbl.find(qn("w:tblPr")).find(qn("w:tblpPr"))
    assert head.get(qn("w:vertAnchor")) == "page"
    assert xml.count('prst="line"') == 2
    with (
        pdfplumber.open(tmp_path / "xinhan.zh-Hans.pdf") as ours,
        pdfplumber.open(soffice_pdf(tmp_path / "xinhan.zh-Hans.docx")) as theirs,
    ):
        mine, got = ours.pages[0], theirs.pages[0]
        for text in ("××市人民政府办公室", "000003", "××市人民政府办公室关于", "××省林业局：", "为做好"):
            want, line = find(mine, text), find(got, text)
            assert line["top"] == pytest.approx(want["top"], abs=0.5), text
            if text.startswith("××市"):  # centred: the faces differ, the centre does not
                assert line["x0"] + line["x1"] == pytest.approx(want["x0"] + want["x1"], abs=1.0), text
            else:
                assert line["x0"] == pytest.approx(want["x0"], abs=0.5), text
        assert red(find(got, "××市人民政府办公室")["color"])
        number = find(got, "000003")
        assert number["x1"] == pytest.approx(find(mine, "000003")["x1"], abs=0.5)  # the 发文字号 flush right
        double = [r for r in rules(got) if red(r["color"])]
        assert len(double) == 4
        for want, rule in zip([r for r in rules(mine) if red(r["color"])], double, strict=True):
            assert rule["y"] == pytest.approx(want["y"], abs=0.5)
            assert (rule["x0"], rule["x1"]) == (pytest.approx(want["x0"], abs=0.3), pytest.approx(want["x1"], abs=0.3))
            assert rule["weight"] == pytest.approx(want["weight"], abs=0.1)
        assert not [r for r in rows(got) if r["text"].startswith("—")]  # §10.1: no folio on the first page
        assert [r["text"] for r in rows(theirs.pages[-1]) if r["text"].startswith("—")] == ["—2—"]


@pytest.mark.e2e
@pytest.mark.external
def test_libreoffice_keeps_the_grid_headings_and_folios_of_the_docx(pdfs, soffice_pdf):
    """A page of text and headings (黑体, 楷体, bold 仿宋) on the same grid lines as the PDF's,
    within 0.5 mm; the folio 7 mm below the type area, on the outside one character in."""
    with (
        pdfplumber.open(pdfs / "tongzhi.zh-Hans.pdf") as ours,
        pdfplumber.open(soffice_pdf(pdfs / "tongzhi.zh-Hans.docx")) as theirs,
    ):
        mine = [r for r in rows(ours.pages[1]) if r["size"] == pytest.approx(16)]
        got = [r for r in rows(theirs.pages[1]) if r["size"] == pytest.approx(16)]
        assert len(got) == len(mine) >= 19  # the rest: the last heading and paragraph go with the 署名
        for want, line in zip(mine, got, strict=True):
            assert line["top"] == pytest.approx(want["top"], abs=0.5), line["text"]
        for number, page in enumerate(theirs.pages, 1):
            (folio,) = [r for r in rows(page) if r["text"] == f"—{number}—"]
            assert folio["top"] == pytest.approx(TOP + HEIGHT + 7, abs=0.5)
            edge = folio["x1"] if number % 2 else folio["x0"]
            assert edge == pytest.approx(LEFT + WIDTH - 16 / MM if number % 2 else LEFT + 16 / MM, abs=0.5)


@pytest.mark.e2e
def test_a_traditional_edition_converts_the_elements(tmp_path):
    assert main(["build", str(SAMPLES / "tongzhi.md"), "-e", "zh-Hant-TW", "-f", "pdf", "-o", str(tmp_path)]) == 0
    with pdfplumber.open(tmp_path / "tongzhi.zh-Hant-TW.pdf") as pdf:
        assert find(pdf.pages[0], "××市人民政府辦公室文件")["top"] == pytest.approx(TOP + 35, abs=0.1)
        assert find(pdf.pages[0], "××政辦發〔2026〕12號")
        assert find(pdf.pages[-1], "抄送：市委辦公室、市人大常委會辦公室、市政協辦公室。")


@pytest.mark.e2e
@pytest.mark.parametrize("edition", ["zh-Hant-TW", "zh-Hant-HK"])
def test_a_traditional_edition_prints_its_labels_in_its_script(tmp_path, edition):
    """The labels the writers print themselves (签发人, 附件, 抄送, 印发, 出席/请假/列席) are in the
    edition's script in the PDF and the DOCX, as the text is (they stayed simplified)."""
    labels = {
        "簽發人": "签发人",
        "請假": "请假",
        "印發": "印发",
        "附件": None,
        "抄送": None,
        "出席": None,
        "列席": None,
    }
    pdf_text, docx_text = "", ""
    for name in ("tongzhi", "qingshi", "jiyao"):
        args = ["build", str(SAMPLES / f"{name}.md"), "-e", edition, "-f", "pdf", "-f", "docx", "-o", str(tmp_path)]
        assert main(args) == 0
        with pdfplumber.open(tmp_path / f"{name}.{edition}.pdf") as pdf:
            pdf_text += "".join(page.extract_text() or "" for page in pdf.pages).replace(" ", "")
        document = docx.Document(str(tmp_path / f"{name}.{edition}.docx"))
        docx_text += "".join(p.text for p in document.paragraphs)
        docx_text += "".join(p.text for t in document.tables for c in t._cells for p in c.paragraphs)
    for label, simplified in labels.items():
        assert label in pdf_text and label in docx_text, label
        assert simplified is None or (simplified not in pdf_text and simplified not in docx_text), simplified


@pytest.mark.e2e
def test_several_signers_two_a_line(tmp_path):
    source = tmp_path / "qingshi.md"
    text = (SAMPLES / "qingshi.md").read_text(encoding="utf-8").replace("签发人: 王××", "签发人: [王××, 李××, 赵××]")
    source.write_text(text, encoding="utf-8")
    assert main(["build", str(source), "-e", "zh-Hans", "-f", "pdf", "-o", str(tmp_path)]) == 0
    with pdfplumber.open(tmp_path / "qingshi.zh-Hans.pdf") as pdf:
        page = pdf.pages[0]
        first, last = find(page, "签发人：王××李××"), find(page, "××政〔2026〕8号")  # the space is drawn, not a glyph
        # §7.2.6: two names a line, carried on under the first name; the 发文字号 on the last line
        assert last["text"] == "××政〔2026〕8号赵××"
        assert last["top"] == pytest.approx(first["top"] + PITCH, abs=0.1)
        assert first["x1"] == pytest.approx(LEFT + WIDTH - 16 / MM, abs=0.3)
        wang = next(c for c in page.chars if c["text"] == "王")
        zhao = next(c for c in page.chars if c["text"] == "赵")
        assert zhao["x0"] == pytest.approx(wang["x0"], abs=0.1)
        (separator,) = rules(page)
        assert separator["y"] == pytest.approx(last["top"] + 16 / MM + 4, abs=0.1)


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize("names", [["王××", "李××", "赵××"], ["王建国", "李卫东", "赵小明"]])
def test_libreoffice_keeps_three_signers_on_the_pdfs_lines(tmp_path, soffice_pdf, names):
    """§7.2.6 with three 签发人: LibreOffice's layout of the DOCX, which sets 楷体_GB2312 and
    仿宋_GB2312 in faces of its own (``×`` wider than the PDF's), keeps ``签发人：`` and the first two
    names on one line ending where the PDF's ends, and the third name with the 发文字号 on the next
    grid line, as the PDF does (the line wrapped, pushing the 发文字号 and the title a line down).
    Names in Han characters stand where the PDF puts them, the third under the first."""
    source = tmp_path / "qingshi.md"
    text = (SAMPLES / "qingshi.md").read_text(encoding="utf-8").replace("签发人: 王××", f"签发人: [{', '.join(names)}]")
    source.write_text(text, encoding="utf-8")
    assert main(["build", str(source), "-e", "zh-Hans", "-f", "pdf", "-f", "docx", "-o", str(tmp_path)]) == 0
    first_two = "".join(names[:2])
    with (
        pdfplumber.open(tmp_path / "qingshi.zh-Hans.pdf") as ours,
        pdfplumber.open(soffice_pdf(tmp_path / "qingshi.zh-Hans.docx")) as theirs,
    ):
        mine, got = ours.pages[0], theirs.pages[0]
        want_first = find(mine, "签发人：")
        assert want_first["text"].replace("　", "") == f"签发人：{first_two}"  # the PDF's line, for reference
        first = find(got, "签发人：")
        assert first["text"].replace("　", "") == f"签发人：{first_two}"
        assert first["top"] == pytest.approx(want_first["top"], abs=0.5)
        assert first["x1"] == pytest.approx(want_first["x1"], abs=0.5)
        number = find(got, "××政〔2026〕8号")
        assert number["text"] == f"××政〔2026〕8号{names[2]}"
        assert number["top"] == pytest.approx(find(mine, "××政〔2026〕8号")["top"], abs=0.5)
        title = "××市人民政府关于申请"
        assert find(got, title)["top"] == pytest.approx(find(mine, title)["top"], abs=0.5)
        if "×" not in first_two:
            for ch in (names[0][0], names[2][0]):
                x_ours = next(c["x0"] for c in mine.chars if c["text"] == ch) / MM
                assert next(c["x0"] for c in got.chars if c["text"] == ch) / MM == pytest.approx(x_ours, abs=0.5)


def _build_notice(tmp_path, body: str) -> None:
    """notice.zh-Hans.pdf and .docx in ``tmp_path``: a 通知 in the gongwen style with ``body``."""
    source = tmp_path / "notice.md"
    source.write_text(
        "---\nstyle: gongwen\ntitle: 关于做好2027年汛期安全防范工作的通知\n公文:\n  发文机关标志: ××省应急管理厅文件\n"
        f"  发文字号: ×应急〔2027〕3号\n  发文机关署名: ××省应急管理厅\n  成文日期: 2027-05-10\n---\n\n{body}\n",
        encoding="utf-8",
    )
    assert main(["build", str(source), "-o", str(tmp_path), "-e", "zh-Hans", "-f", "pdf", "-f", "docx"]) == 0


@pytest.mark.e2e
@pytest.mark.parametrize("paragraphs", range(14, 22))
def test_the_closing_elements_never_stand_on_a_page_without_text(tmp_path, paragraphs):
    """§7.3.5.4 (此页无正文): wherever the text ends, the page with the 署名 and date also carries
    the text's last lines, and no heading ends a page; the DOCX keeps them with w:keepNext."""
    body = "\n\n".join(
        f"第{n}项工作要扎实推进，各单位要结合实际认真落实，确保各项措施落到实处。" for n in range(paragraphs)
    )
    _build_notice(tmp_path, body)
    with pdfplumber.open(tmp_path / "notice.zh-Hans.pdf") as pdf:
        (page,) = [p for p in pdf.pages if "××省应急管理厅" in (p.extract_text() or "").replace(" ", "")[-40:]]
        issuer = find(page, "××省应急管理厅")
        above = [r for r in rows(page) if r["top"] < issuer["top"] - 1 and r["size"] == pytest.approx(16)]
        assert len(above) >= 2, [r["text"] for r in rows(page)]  # the text's last lines, at least two
    paragraphs_xml = docx.Document(str(tmp_path / "notice.zh-Hans.docx")).element.body.findall(qn("w:p"))
    last_text = [p for p in paragraphs_xml if "确保各项措施落到实处" in "".join(p.itertext())][-1]
    assert last_text.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None


def _issuer_page(pdf_path) -> tuple[int, list[str], int]:
    """The page of the 署名 (1-based), the text lines above it there and the number of text lines
    (folio left out) on the page before."""
    with pdfplumber.open(pdf_path) as pdf:
        pages = [[ln["text"].replace(" ", "") for ln in p.extract_text_lines()] for p in pdf.pages]
    n = max(i for i, lines in enumerate(pages) if "××省应急管理厅" in lines)
    before = [ln for ln in pages[n - 1] if "—" not in ln] if n else []
    return n + 1, pages[n][: pages[n].index("××省应急管理厅")], len(before)


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize(("paragraphs", "last"), [(10, 12), (13, 12), (14, 12), (10, 20), (12, 20)])
def test_libreoffice_keeps_the_closing_elements_with_the_last_lines_as_the_pdf_does(
    tmp_path, soffice_pdf, paragraphs, last
):
    """§7.3.5.4 with a long last paragraph (8 to 13 lines) that does not end on the page the 署名
    fits on: the PDF takes its last lines to the next page with the 署名; LibreOffice's layout of the
    DOCX does the same, on the same page under the same lines, and leaves the page before as full
    as the PDF's (it moved the whole paragraph, a kept one, leaving that page half empty)."""
    sentence = "各单位要结合实际认真落实，确保各项措施落到实处。"
    body = "\n\n".join(f"第{n}项工作要扎实推进，{sentence}" for n in range(paragraphs)) + "\n\n" + sentence * last
    _build_notice(tmp_path, body)
    ours = _issuer_page(tmp_path / "notice.zh-Hans.pdf")
    theirs = _issuer_page(soffice_pdf(tmp_path / "notice.zh-Hans.docx"))
    assert len([ln for ln in ours[1] if sentence[:4] in ln or "实处" in ln]) >= 2  # the PDF: text above
    assert theirs == ours


@pytest.mark.e2e
@pytest.mark.external
def test_a_notice_in_another_style_sets_its_elements_as_the_pdf(tmp_path, soffice_pdf):
    """A 公文 block built in the default style (A5, 10.5 pt text): LibreOffice sets the
    发文机关标志, the 主送机关 and the 附注 in the PDF's sizes and lines. Before, the mark was
    fitted to the page's measure (306.1 pt) where the text takes whole characters (304.5 pt) and
    rounded up to a half point: 25.5 pt against the PDF's 25.375, and its last character went to a
    line of its own; the 主送机关 and the 附注 were 三号 (16 pt) in the DOCX, the text's size in the
    PDF."""
    text = (SAMPLES / "tongzhi.md").read_text(encoding="utf-8")
    text = text.replace("××市人民政府办公室文件", "南江市人民政府办公室文件").replace("style: gongwen\n", "")
    addressees = "各区人民政府，南江高新区管委会，市政府各委、办、局，各有关单位："
    text = text.replace("各区县人民政府，市政府各部门：", addressees)
    copies = "[市委办公室, 市人大常委会办公室, 市政协办公室, 市中级人民法院, 市人民检察院, 南江警备区]"
    text = text.replace("[市委办公室, 市人大常委会办公室, 市政协办公室]", copies)
    text = text.replace("[2026年春季森林防火专项检查工作台账", "[2026—2027年度春季森林防火专项检查工作台账及整改清单")
    (tmp_path / "n.md").write_text(text, encoding="utf-8")
    shutil.copy(SAMPLES / "seal.png", tmp_path)
    args = ["build", str(tmp_path / "n.md"), "-e", "zh-Hans", "-s", "default", "-o", str(tmp_path)]
    assert main([*args, "-f", "pdf", "-f", "docx"]) == 0
    with (
        pdfplumber.open(tmp_path / "n.zh-Hans.pdf") as ours,
        pdfplumber.open(soffice_pdf(tmp_path / "n.zh-Hans.docx")) as theirs,
    ):

        def lines(pdf) -> list[tuple[str, float]]:  # every page's lines: text and size
            return [(r["text"], round(r["size"], 1)) for page in pdf.pages for r in rows(page)]

        mine, got = lines(ours), lines(theirs)
    assert ("南江市人民政府办公室文件", 25.0) in mine
    for want in [m for m in mine if m[0].startswith(("南江市人民政府办公室文件", "各区人民政府", "（此件"))]:
        assert want in got
    assert any(t.startswith("各区人民政府") and s == 10.5 for t, s in got)
    # every line of it the PDF's, the 附件说明's names and the 版记's 抄送机关 carried on alike (their
    # marks compressed as the PDF's: before, ``市中级人`` | ``民法院`` against ``市中级`` | ``人民法院``)
    assert sum(1 for t, _s in mine if t.startswith(("附件：", "抄送："))) == 2
    assert sorted(got) == sorted(mine)


@pytest.mark.e2e
@pytest.mark.external
def test_libreoffice_sets_a_minutes_attendees_in_the_pdfs_lines(tmp_path, soffice_pdf):
    """A 纪要's 出席 list of names carried on over three lines: LibreOffice's lines are the PDF's.
    The DOCX set the names as one plain run, left-aligned: LibreOffice's lines held a character
    more and broke inside a name (``吴×`` | ``×``)."""
    text = (SAMPLES / "jiyao.md").read_text(encoding="utf-8")
    names = "、".join(f"{s}××" for s in "刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹")
    text = re.sub(r"(?m)^  出席: .*$", f"  出席: {names}", text)
    assert names in text
    (tmp_path / "j.md").write_text(text, encoding="utf-8")
    for extra in SAMPLES.glob("*.png"):
        shutil.copy(extra, tmp_path)
    args = ["build", str(tmp_path / "j.md"), "-e", "zh-Hans", "-o", str(tmp_path), "-f", "pdf", "-f", "docx"]
    assert main(args) == 0
    with (
        pdfplumber.open(tmp_path / "j.zh-Hans.pdf") as ours,
        pdfplumber.open(soffice_pdf(tmp_path / "j.zh-Hans.docx")) as theirs,
    ):

        def attendees(pdf) -> list[str]:  # the lines from 出席： on, as long as they hold names
            lines = [r["text"] for page in pdf.pages for r in rows(page)]
            at = next(i for i, t in enumerate(lines) if t.startswith("出席："))
            return list(itertools.takewhile(lambda t: "××" in t, lines[at:]))

        mine, got = attendees(ours), attendees(theirs)
    assert len(mine) >= 3
    assert got == mine


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize(
    "office", ["南岭市地质灾害防治工作领导小组办公室", "××市森林防火和地质灾害防治工作领导小组办公室"]
)
def test_a_minutes_in_another_style_sets_its_names_and_printing_as_the_pdf(tmp_path, soffice_pdf, office):
    """A 纪要 built in the default style (a measure of 304.5 pt where the 公文's is 442 pt): its 出席,
    请假 and 列席 lists of real names, each ending a line at a different place, stand in the PDF's
    lines in LibreOffice's layout of the DOCX; an 印发机关 too long to share a line with the
    印发日期 has the date on the line below, one character in from the right, and one too long for
    a line goes on to the next, in both. Before, the DOCX's ``出席：`` was 8 pt wider than the
    PDF's (its colon not compressed) and LibreOffice broke a name (``赵卫`` | ``东、``); the PDF
    drew the office and the date over each other, and LibreOffice cut the date off at the type
    area's edge."""
    text = (SAMPLES / "jiyao.md").read_text(encoding="utf-8").replace("style: gongwen\n", "")
    lists = {
        "出席": "张建国、李晓明、王丽华、赵卫东、钱学文、欧阳明远、孙立",
        "请假": "周海涛、吴敏、郑国强、冯晓、陈志远、司马光明",
        "列席": "蒋文、沈丽娟、韩卫国、杨帆、朱建华、秦怡然、许诺",
    }
    for word, names in lists.items():
        text = re.sub(rf"(?m)^  {word}: .*$", f"  {word}: {names}", text)
    text = text.replace("印发机关: ××市森林防火指挥部办公室", f"印发机关: {office}")
    (tmp_path / "j.md").write_text(text, encoding="utf-8")
    args = ["build", str(tmp_path / "j.md"), "-e", "zh-Hans", "-s", "default", "-o", str(tmp_path)]
    assert main([*args, "-f", "pdf", "-f", "docx"]) == 0
    with (
        pdfplumber.open(tmp_path / "j.zh-Hans.pdf") as ours,
        pdfplumber.open(soffice_pdf(tmp_path / "j.zh-Hans.docx")) as theirs,
    ):
        laid, tops = [], []
        for pdf in (ours, theirs):
            lines = [r["text"] for page in pdf.pages for r in rows(page)]
            at = next(i for i, t in enumerate(lines) if t.startswith("出席："))
            names = list(itertools.takewhile(lambda t: not t.startswith(office[:4]), lines[at:]))
            printing = lines[at + len(names) : -1]  # to the folio
            assert "".join(printing) == office + "2026年3月10日印发"  # nothing drawn over anything
            assert len(printing) >= 2
            laid.append(names + printing)
            tops.append([r["top"] for r in rows(pdf.pages[-1]) if r["text"] in printing])
    assert len(laid[0]) >= 8
    assert laid[1] == laid[0]
    # the 版记's rows at the PDF's pitch (the body's line here): they were a 22nd of the type area apart
    assert max(abs(a - b) for a, b in zip(*tops, strict=True)) <= 0.7


@pytest.mark.e2e
@pytest.mark.external
def test_libreoffice_spreads_the_carried_on_lines_as_the_pdf(tmp_path, soffice_pdf):
    """The 抄送机关 (§7.4.2) and the 附件说明's names (§7.3.4) carried on over lines: the PDF justifies
    each line but the last, and in LibreOffice's layout of the DOCX each such line ends where the
    PDF's does (within 1 mm). The DOCX breaks them where the PDF does (w:br), and neither
    application justifies a line ending in a break: the first 抄送 line ended 15 pt short."""
    text = (SAMPLES / "tongzhi.md").read_text(encoding="utf-8")
    copies = "[市委办公室, 市人大常委会办公室, 市政协办公室, 市中级人民法院, 市人民检察院, 南岭军分区, 省自然资源厅]"
    text = re.sub(r"(?m)^  抄送机关: .*$", f"  抄送机关: {copies}", text)
    assert copies in text
    (tmp_path / "t.md").write_text(text, encoding="utf-8")
    for extra in SAMPLES.glob("*.png"):
        shutil.copy(extra, tmp_path)
    assert main(["build", str(tmp_path / "t.md"), "-e", "zh-Hans", "-o", str(tmp_path), "-f", "pdf", "-f", "docx"]) == 0
    with (
        pdfplumber.open(tmp_path / "t.zh-Hans.pdf") as ours,
        pdfplumber.open(soffice_pdf(tmp_path / "t.zh-Hans.docx")) as theirs,
    ):

        def carried(pdf) -> list[tuple[str, float]]:  # the 抄送 lines but the last, and their right ends
            lines = rows(pdf.pages[-1])
            at = next(i for i, r in enumerate(lines) if r["text"].startswith("抄送："))
            block = list(itertools.takewhile(lambda r: not r["text"].endswith("。"), lines[at:]))
            return [(r["text"], r["x1"]) for r in block]

        mine, got = carried(ours), carried(theirs)
    assert len(mine) >= 1
    assert [t for t, _x in got] == [t for t, _x in mine]
    assert max(abs(a - b) for (_t, a), (_s, b) in zip(mine, got, strict=True)) <= 1.0


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize("style", ["default", "ebook"])
def test_a_letter_in_a_smaller_page_keeps_its_head_on_the_page(tmp_path, soffice_pdf, style):
    """A 信函 (§10.1) built in a style with an A5 or smaller page: its red double rules are as long
    as the page allows (20 mm in from each edge, as on A4), the head stands on the page and the
    title under it, and the first page has no folio — in the PDF and in LibreOffice's layout of
    the DOCX alike, each line within 3 pt of the PDF's. Before, the rules were 170 mm on a 148 mm
    page: LibreOffice moved the head's table aside (the mark ran off the page, the 发文字号 was cut
    after ``〔2026〕``), drew the title over it, and printed a folio on page 1."""
    text = (SAMPLES / "xinhan.md").read_text(encoding="utf-8").replace("style: gongwen\n", "")
    (tmp_path / "x.md").write_text(text, encoding="utf-8")
    args = ["build", str(tmp_path / "x.md"), "-e", "zh-Hans", "-s", style, "-o", str(tmp_path)]
    assert main([*args, "-f", "pdf", "-f", "docx"]) == 0
    with (
        pdfplumber.open(tmp_path / "x.zh-Hans.pdf") as ours,
        pdfplumber.open(soffice_pdf(tmp_path / "x.zh-Hans.docx")) as theirs,
    ):
        laid, rules_of = [], []
        for pdf in (ours, theirs):
            page = pdf.pages[0]
            found = rows(page)
            assert all(0 <= r["x0"] and r["x1"] <= page.width / MM for r in found), found
            red = sorted({(round(r["top"]), round(r["x0"]), round(r["x1"])) for r in page.lines + page.rects})
            assert len(red) >= 4 and all(0 < x0 < x1 < page.width for _y, x0, x1 in red), red
            assert not any(r["text"].replace(" ", "") in ("—1—", "-1-") for r in found)  # no folio
            laid.append([(r["text"], r["top"]) for r in found])
            rules_of.append(red)
    mine, got = laid
    assert max(abs(a - b) for p, q in zip(*rules_of, strict=True) for a, b in zip(p, q, strict=True)) <= 1.5
    assert [t for t, _y in got] == [t for t, _y in mine]
    assert max(abs(a - b) for (_t, a), (_s, b) in zip(mine, got, strict=True)) <= 3 / MM  # mm
