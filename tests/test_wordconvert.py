"""Conversion by words: the context rules file, its errors, the decisions (jieba's dictionary cache:
tests/test_segmenter.py)."""

from __future__ import annotations

import pytest

from zhengji_publish.conversion import convert_text, regional_usage
from zhengji_publish.diagnostics import UserError
from zhengji_publish.wordconvert import (
    DOUBT_DEFAULT,
    DOUBT_RULE,
    context_rules,
    one_to_many,
    parse_rules,
    word_converter,
)


@pytest.mark.unit
def test_shipped_rules_each_have_a_reason_and_a_known_form():
    rules = context_rules()
    for char in "干后面只发台系余范制准松斗历钟冲卷谷表征获汇蒙伙须郁致御志游":
        assert char in rules, char
    for char, found in rules.items():
        for rule in found:
            assert rule.why and rule.form in one_to_many()[char], rule


@pytest.mark.unit
def test_bad_rule_lines_are_located_errors():
    text = "干\t乾\talone\t# fine\n干\t乾\talone\n干\t乾\tbeside=看\t# unknown\n干乾\t乾\talone\t# two\n干\t乾\n"
    with pytest.raises(UserError) as exc:
        parse_rules(text, "rules.txt")
    message = str(exc.value)
    assert "rules.txt:2:10: error: rule has no reason" in message
    assert "rules.txt:3:5: error: unknown condition 'beside=看'" in message
    assert "rules.txt:4:1: error: a rule maps one character to one character" in message
    assert "rules.txt:5:4: error: rule has no conditions field" in message
    assert "rules.txt:1:" not in message


@pytest.mark.unit
def test_decisions_say_how_each_form_was_chosen():
    found = dict(word_converter(("s2tw",)).decisions("广泛听民意、汇民智，他只能干看着头发"))
    lone = found[6]
    assert (lone.char, lone.chosen, lone.doubt) == ("汇", "匯", DOUBT_DEFAULT)
    rule = found[13]
    assert (rule.char, rule.chosen, rule.doubt) == ("干", "乾", DOUBT_RULE) and "context-rules.txt:" in rule.how
    hair = found[17]
    assert (hair.char, hair.chosen, hair.how) == ("发", "髮", "OpenCC word 头发 → 頭髮")


@pytest.mark.unit
def test_a_vocabulary_phrase_across_the_sub_words_of_a_long_word_is_undone():
    convert = word_converter(("s2twp",)).convert
    assert convert("电视频道") == "電視頻道"  # 电视/频道, not 視頻 → 影片 across them
    assert convert("笔记本电脑") == "筆記型電腦"  # a phrase of the whole word is kept
    assert convert("程序员") == "程式設計師"
    assert convert("数据库") == "資料庫"


@pytest.mark.unit
def test_a_phrase_of_two_whole_words_before_a_lone_character_decides_it():
    assert word_converter(("s2tw",)).convert("大病初愈") == "大病初癒"  # 大病/初/愈


@pytest.mark.unit
def test_earlier_looks_back_through_the_sentence_only():
    convert = word_converter(("s2tw",)).convert
    # the same clause, with and without the rain before it in its sentence (one cache, two keys)
    assert convert("外套淋了雨，到晚上还没干") == "外套淋了雨，到晚上還沒乾"
    assert convert("到晚上还没干") == "到晚上還沒幹"
    assert convert("到晚上还没干，外套淋了雨") == "到晚上還沒幹，外套淋了雨"  # the rain comes after
    assert convert("外套淋了雨。到晚上还没干") == "外套淋了雨。到晚上還沒幹"  # in the sentence before
    assert convert("外套淋了雨\n到晚上还没干") == "外套淋了雨\n到晚上還沒幹"  # in the paragraph before
    # the rest of the clause: 没干过/没干完 go on, so they are done, not dry
    assert convert("外套淋了雨，他从来没干过") == "外套淋了雨，他從來沒幹過"
    assert convert("外套淋了雨，还没干完") == "外套淋了雨，還沒幹完"


@pytest.mark.unit
def test_earlier_and_rest_conditions_parse():
    rules = parse_rules("干\t乾\talone earlier=雨|湿 rest=|了\t# dry\n", "rules.txt")["干"]
    conds = {c.key: c.values for c in rules[0].conditions}
    assert conds["earlier"] == {"雨", "湿"} and conds["rest"] == {"", "了"}
    with pytest.raises(UserError) as exc:
        parse_rules("干\t乾\trest=\t# empty\n", "rules.txt")
    assert "rules.txt:1:5: error: unknown condition 'rest='" in str(exc.value)


@pytest.mark.unit
def test_taiwan_usage_is_taiwans_only_and_every_entry_changes_opencc():
    table = regional_usage("t2tw")
    assert table["发布"] == "發布" and table["计划"] == "計畫"
    assert regional_usage("t2hk") == {} and regional_usage("") == {}
    for simplified, form in table.items():  # under s2tw, or s2twp's vocabulary (参数: 引數)
        assert form != convert_text(simplified, ("s2tw",)) or form != convert_text(simplified, ("s2twp",)), simplified
    taiwan, hong_kong = word_converter(("s2tw",)).convert, word_converter(("s2hk",)).convert
    assert taiwan("新闻发布会公布了五年计划") == "新聞發布會公布了五年計畫"
    assert hong_kong("新闻发布会公布了五年计划") == "新聞發佈會公佈了五年計劃"
    assert word_converter(("s2twp",)).convert("新闻发布会") == "新聞發布會"  # not s2twp's 釋出會
    # inside a word only: 研发/布局, 头发/布满, 统计/划算 touch the words but are not them
    assert taiwan("研发布局，头发布满，统计划算") == "研發佈局，頭髮佈滿，統計划算"


@pytest.mark.unit
def test_taiwan_usage_is_not_applied_where_two_words_cross_it():
    taiwan = word_converter(("s2tw",))
    # jieba cuts 会/计划/分为 and 一共/计划/着; the text also reads 会计/划分 and 共计/划着: OpenCC's 計劃
    assert taiwan.convert("会计划分为两类") == "會計劃分為兩類"
    assert taiwan.convert("他们一共计划着三件事") == "他們一共計劃著三件事"
    assert taiwan.convert("他的计划，研究计划分为两部分") == "他的計畫，研究計畫分為兩部分"
    found = dict(taiwan.decisions("会计划分为两类"))
    assert found[2].chosen == "劃" and found[2].doubt == 0  # 劃 is 划's usual form: nothing to check
    found = dict(taiwan.decisions("主公布下天罗地网"))
    assert found[2].chosen == "佈"
    assert found[2].how == "Taiwan usage not applied to 公布, read across as 主公/布下: 公佈"
    found = dict(taiwan.decisions("他的计划"))
    assert found[3].how == "Taiwan usage word 计划 → 計畫"
    # with the vocabulary step, OpenCC's 參數 without it: 人参/数年, not s2twp's 引數
    assert word_converter(("s2twp",)).convert("这棵人参数年后才成熟") == "這棵人參數年後才成熟"
