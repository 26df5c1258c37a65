"""The entity pipeline's fast paths find what the slow ways they replace find (issue 12, speed):
the word alternation as a tree, one token a character made directly, numpy's matrix product
instead of blis, the word features in lists, a county's villages by binary search.
Sentences written for the test; the whole check over 12,000 sentences is bench/entities_output.py."""

from __future__ import annotations

import gzip
import re

import pytest
import spacy

from extractor.entities import MODEL_DIR, entity_pipeline, tag_lines
from extractor.entities.spans import alternation
from extractor.gazetteer import DATA_DIR, villages
from extractor.lexicon import read_jsonl

SENTENCES = [
    "市委常委、常务副市长王永红率队赴新邵县坪上镇洪溪中学调研。",
    "县人大常委会副主任张某某、县政协主席李某参加会议，县人社局、县医保局负责人汇报。",
    "子长市瓦窑堡镇石家川村、史家畔村开展土地整治，王庄、刘营、张湾等村完成改厕。",
    "序号  项目名称   新邵县人民政府办公室\t\t责任单位",  # runs of spaces and tabs
    "  李伯钊同志  ", "审核：王建军  责任编辑：张 强", "", "王", "邵阳市人力资源和社会保障局" * 3,
    "ABC公司2023年投资1.5亿元，普里马科夫会见华盛顿代表团。",
]


def flat(words) -> str:
    """The alternation as it was written before: every word, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@pytest.mark.parametrize("words, text, pattern", [
    (["长", "长官", "长官们"], "长官们和长官、长", "{}"),
    (["人社局", "人社", "局", "发改委"], "县人社局长和发改委局", "{}"),
    # backtracking: the longest word leaves nothing for what follows, a shorter one does
    (["市委", "市委办", "市"], "市委办公室", "(?:{})办公"),
    (["a.b", "a", "a+"], "a.b a+ ab", "{}"),  # characters that mean something to re
    (["书记", "副书记", "党委书记"], "党委副书记王某", r"(?P<t>{})(?P<n>王\w)"),
    ([], "任何", "x(?:{})y"),
])
def test_the_word_tree_matches_what_the_flat_alternation_matched(words, text, pattern):
    tree = re.compile(pattern.format(alternation(words)))
    old = re.compile(pattern.format(flat(words)))
    assert [(m.span(), m.groups()) for m in tree.finditer(text)] == [(m.span(), m.groups()) for m in old.finditer(text)]


@pytest.mark.parametrize("data", ["person_titles.jsonl", "credit_lines.jsonl", "natural_features.jsonl",
                                  "org_suffixes.jsonl"])
def test_the_word_tree_of_each_word_list_matches_the_same(data):
    words = [r["text"] for r in read_jsonl(data)]
    text = "".join(SENTENCES) + "".join(words) + "".join(w[:-1] for w in words)
    assert ([m.span() for m in re.finditer(alternation(words), text)]
            == [m.span() for m in re.finditer(flat(words), text)])


def test_one_token_a_character_as_spacys_tokenizer_makes_it():
    nlp = entity_pipeline()
    theirs = spacy.blank("zh").tokenizer  # spaCy's, "char" segmenter
    for text in SENTENCES + ["a b\u3000c", "\n王永红\n", "x\u2028y"]:
        ours = nlp.make_doc(text)
        assert [(t.text, t.whitespace_) for t in ours] == [(t.text, t.whitespace_) for t in theirs(text)]
        assert ours.text == text


def test_the_word_features_are_each_characters_word_and_its_place_in_it():
    nlp = entity_pipeline()
    doc = nlp.get_pipe("jieba_word_features")(nlp.make_doc("赴新邵县坪上镇洪溪中学"))
    words = {w[2]: w[3] for w in doc.user_data["jieba_words"]}
    assert words["坪上镇"] == "ns"
    assert [(t.text, t.lemma_, t.tag_) for t in doc[4:7]] == [("坪", "坪上镇", "B-ns"), ("上", "坪上镇", "I-ns"),
                                                              ("镇", "坪上镇", "E-ns")]
    for text in SENTENCES:  # with whitespace a token is not a character: 王, "  ", 永, 红
        doc = nlp.get_pipe("jieba_word_features")(nlp.make_doc(text))
        for t in doc:
            a, b, word, pos = next(w for w in doc.user_data["jieba_words"] if w[0] <= t.idx < w[1])
            place = "S" if b - a == 1 else "B" if t.idx == a else "E" if t.idx == b - 1 else "I"
            assert (t.lemma_, t.tag_) == (word, f"{place}-{pos}")


@pytest.mark.skipif(not (MODEL_DIR / "config.cfg").exists(), reason="no trained model shipped")
def test_numpy_matrix_products_find_the_entities_blis_finds():
    ours = list(tag_lines(SENTENCES))
    nlp = entity_pipeline()
    layers = [node for _, c in nlp.pipeline if hasattr(getattr(c, "model", None), "walk") for node in c.model.walk()]
    assert layers and all(not node.ops.use_blis for node in layers)
    saved = [node.ops for node in layers]
    from thinc.api import NumpyOps

    blis = NumpyOps(use_blis=True)
    try:
        for node in layers:
            node.ops = blis
        theirs = list(tag_lines(SENTENCES))
    finally:
        for node, ops in zip(layers, saved):
            node.ops = ops
    assert sum(len(r["entities"]) for r in theirs) > 10  # the comparison is about something
    assert ours == theirs


def test_a_countys_villages_are_its_lines_of_the_national_list():
    text = gzip.decompress((DATA_DIR / "villages.tsv.gz").read_bytes()).decode("utf-8")
    lines = text.splitlines()
    first, last = lines[0][:6], lines[-1][:6]
    for county in (first, last, "610681", "430522"):
        townships = [line.split("\t")[0] for line in lines if line.startswith(county)]
        found = villages().in_county(county)
        assert townships and {v.code[:9] for vs in found.values() for v in vs} == set(townships)
    assert not villages().in_county("999999") and not villages().in_county("") and not villages().in_county("6106")
