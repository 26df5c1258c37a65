"""The features the trained recogniser reads: jieba words and lexicon matches (extractor/ner_features.py)."""

from __future__ import annotations

import pytest
import spacy

from extractor.entities import MODEL_DIR
from extractor.ner_features import JiebaWordFeatures, jieba_words, lexicon_matcher


def _labels(text: str) -> str:
    """The lexicon labels of ``text``, space-separated."""
    return " ".join(lexicon_matcher().labels_of(text, jieba_words(text)))


def _match(text: str, part: str) -> list[str]:
    """The labels of the characters of ``part`` (its first occurrence) in ``text``."""
    labels = lexicon_matcher().labels_of(text, jieba_words(text))
    start = text.index(part)
    return labels[start:start + len(part)]


def _span(kind: str, length: int) -> list[str]:
    return [f"{kind}-S"] if length == 1 else [f"{kind}-B"] + [f"{kind}-I"] * (length - 2) + [f"{kind}-E"]


@pytest.mark.parametrize(("text", "part", "kind"), [
    # gazetteer names, whatever their length, wherever they stand
    ("市委常委王永红率队赴新邵县坪上镇调研。", "新邵县", "PN"),
    ("市委常委王永红率队赴新邵县坪上镇调研。", "坪上镇", "PN"),
    ("沛县人民政府召开会议。", "沛县", "PN"),
    # organisation words: bodies, short forms, institution endings, a body after a level
    ("沛县人民政府召开会议。", "人民政府", "OG"),
    ("县人社局组织招聘会。", "人社局", "OG"),
    ("省水利厅派员督导。", "水利厅", "OG"),
    ("区创卫办通报情况。", "创卫办", "OG"),
    ("景谷县鑫源茶业有限公司投产。", "有限公司", "OG"),
    # short forms of provinces, cities and counties, as whole words
    ("湖南邵阳新邵三地联动。", "邵阳", "PS"),
    # titles, and the surname-led word jieba does not know after them
    ("常务副市长王永红出席。", "常务副市长", "TT"),
    ("常务副市长王永红出席。", "王永红", "SN"),
    # transliterations
    ("普里马科夫会见了来访的客人。", "普里马科夫", "TR"),
])
def test_lexicon_match_kinds(text, part, kind):
    assert _match(text, part) == _span(kind, len(part))


@pytest.mark.parametrize("text", [
    "今天天气很好，我们一起去公园散步。",
    "全市建设就业帮扶车间1200家。",
])
def test_plain_words_match_nothing(text):
    assert set(_labels(text).split()) == {"-"}


def test_an_earlier_kind_keeps_its_characters():
    """A gazetteer name wins over a body ending that would cross it (新邵县 stays PN)."""
    text = "新邵县教育局"
    assert _match(text, "新邵县") == _span("PN", 3)
    assert _match(text, "教育局") == _span("OG", 3)


def test_labels_cover_every_character_of_odd_text():
    for text in ["", "王", "  李伯钊同志  ", "序号\t项目名称 2025年", "ＡＢＣ123"]:
        assert len(lexicon_matcher().labels_of(text, jieba_words(text))) == len(text)


def test_the_component_sets_dep_with_lexicon_and_leaves_it_without():
    nlp = spacy.blank("zh")
    with_lexicon = JiebaWordFeatures(lexicon=True, strings=nlp.vocab.strings)
    doc = with_lexicon(nlp.make_doc("赴新邵县调研"))
    assert [t.dep_ for t in doc] == ["-", "PN-B", "PN-I", "PN-E", "-", "-"]
    assert [t.lemma_ for t in doc][1:4] == ["新邵县"] * 3
    doc = JiebaWordFeatures()(nlp.make_doc("赴新邵县调研"))
    assert not doc.has_annotation("DEP")


@pytest.mark.skipif(not (MODEL_DIR / "config.cfg").exists(), reason="no trained model shipped")
def test_the_shipped_model_reads_the_features_its_config_sets():
    """A model trained on the lexicon feature embeds DEP; one without must not (a feature change
    without its retrained model would feed the tok2vec nothing)."""
    config = spacy.util.load_config(MODEL_DIR / "config.cfg")
    lexicon = config["components"]["jieba_word_features"].get("lexicon", False)
    attrs = config["components"]["tok2vec"]["model"]["embed"]["attrs"]
    assert ("DEP" in attrs) == bool(lexicon)
