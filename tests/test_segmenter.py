"""jieba's words from the dictionary read per text: the same cut as jieba with its whole dictionary."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import jieba
import pytest
from conftest import DATA, ROOT, SEED

from zhengji_publish import segmenter


@pytest.fixture(scope="module")
def whole() -> jieba.Tokenizer:
    """jieba as it starts by itself: the whole dictionary in memory."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def _lines() -> list[str]:
    """The corpus's sentences and the lines of four documents (article, statute, README, news)."""
    corpus = DATA / "traditional-corpus.tsv"
    rows = [line.split("\t") for line in corpus.read_text(encoding="utf-8").splitlines()]
    lines = [row[1] for row in rows if len(row) > 2 and not row[0].startswith("#")]
    for path in [SEED, DATA / "statute.txt", DATA / "readme_zh.md", DATA / "newspaper.txt"]:
        lines += path.read_text(encoding="utf-8").splitlines()
    return lines


@pytest.mark.unit
def test_every_text_is_cut_as_jieba_cuts_it_with_its_whole_dictionary(whole):
    lines = _lines()
    assert len(lines) > 2500
    for line, words in zip(lines, segmenter.segment(lines), strict=True):
        assert words == list(whole.cut(line, HMM=False)), line


@pytest.mark.unit
def test_sub_words_and_tags_are_the_whole_dictionarys(whole):
    tags: dict[str, str] = {}
    with whole.get_dict_file() as fh:
        for raw in fh:
            parts = raw.decode("utf-8").split()
            tags[parts[0]] = parts[2]
    for word in ["电视频道", "出租车辆", "笔记本电脑", "吸水性", "干", "后", "2026", "年", "个", "蘑菇"]:
        assert segmenter.tag_of(word) == ("m" if word.isdigit() else tags.get(word, "x")), word
    assert segmenter.sub_words("电视频道") == ["电视", "频道"]
    assert segmenter.sub_words("干") == ["干"]
    for word in ["中华人民共和国", "出租车", "自然保护区"]:
        dag = whole.get_DAG(word)
        dag[0] = [x for x in dag[0] if x != len(word) - 1] or [0]
        route: dict[int, tuple[float, int]] = {}
        whole.calc(word, dag, route)
        cut, i = [], 0
        while i < len(word):
            cut.append(word[i : route[i][1] + 1])
            i = route[i][1] + 1
        assert segmenter.sub_words(word) == cut, word


@pytest.mark.unit
def test_crossing_finds_two_words_read_across_a_span():
    # 会计划分为: 会计 ends inside 计划 and 划分 starts there (交集型歧义); the longest right word first
    assert segmenter.crossing("会计划分为三类", 1, 3) == (0, 2, 4)
    assert segmenter.crossing("老公布置了房间", 1, 3) == (0, 2, 4)  # 老公/布置 across 公布
    assert segmenter.crossing("这棵人参数年后", 3, 5) == (2, 4, 6)  # 人参/数年 across 参数
    assert segmenter.crossing("大部分布置", 2, 4) == (0, 3, 5)  # the longest left word: 大部分
    # one side only is no crossing: 研究/计划/分为 (no word ends at 计), 他的/计划
    assert segmenter.crossing("研究计划分为两部分", 2, 4) is None
    assert segmenter.crossing("他的计划很好", 2, 4) is None
    # 划在 is in jieba's dictionary, counted 3 times: below the floor, so 会/计划/在 is not crossed
    assert segmenter.crossing("我们会计划在明年", 3, 5) is None


@pytest.mark.e2e
def test_the_dictionary_is_made_once_in_our_cache_again_when_damaged_and_in_memory_without_one(tmp_path):
    """The first build writes the dictionary's SQLite file and the next reads it; a damaged file is
    made again; a cache that cannot be written is no error (the dictionary is made in memory).
    The conversion is the same each time."""
    src = tmp_path / "a.md"
    src.write_text("他只能在旁边干看着。头发干了。\n", encoding="utf-8")
    cache = tmp_path / "cache"
    name = f"dict-{jieba.__version__}-2.sqlite"
    env = dict(os.environ, ZHENGJI_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT / "src"))
    outputs = []
    for step in ("make", "read", "damaged", "unwritable"):
        if step == "damaged":
            (cache / "jieba" / name).write_bytes(b"not a database")
        if step == "unwritable":  # a file where the folder should be: no folder can be made there
            shutil.rmtree(cache / "jieba")
            (cache / "jieba").write_text("", encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "zhengji_publish", "check", str(src), "-e", "zh-Hant-TW"],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert done.returncode == 0 and done.stderr == "", (step, done.stderr)
        outputs.append(done.stdout)
        if step != "unwritable":
            assert [p.name for p in (cache / "jieba").iterdir()] == [name], step
            assert (cache / "jieba" / name).read_bytes().startswith(b"SQLite format 3"), step
    assert "干 → 乾" in outputs[0] and len(set(outputs)) == 1
