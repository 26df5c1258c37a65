"""Foreign names in transliteration characters (extractor/entities/foreign_names.py).
Sentences written for the test."""

from __future__ import annotations

import pytest

import spacy

from extractor.entities import tag_lines
from extractor.entities.foreign_names import foreign_place_spans


def entities(sentence: str) -> list[tuple[str, str]]:
    row = next(iter(tag_lines([sentence])))
    return [(sentence[a:b], label) for a, b, label in row["entities"]]


@pytest.mark.parametrize("sentence, expected", [
    ("菲律宾总统府发言人萨尔瓦多·阿卡多说。", ("萨尔瓦多·阿卡多", "PERSON")),  # the whole name, past the dot
    ("阿富汗北部巴达赫尚省发生地震。", ("巴达赫尚省", "PLACE")),
    ("代表团访问了阿尔萨斯大区。", ("阿尔萨斯大区", "PLACE")),
    ("亚历山大港是埃及第二大城市。", ("亚历山大港", "PLACE")),
])
def test_a_foreign_name_is_found_whole(sentence, expected):
    assert expected in entities(sentence)


def _doc(text: str):
    doc = spacy.blank("zh").make_doc(text)
    doc.user_data["text"] = text
    return doc


@pytest.mark.parametrize("text, taken_piece, expected", [
    ("他访问了巴达赫尚省。", None, ["巴达赫尚省"]),
    ("他访问了西安市。", "西安市", []),  # a gazetteer place is taken first
])
def test_the_foreign_place_rule(text, taken_piece, expected):
    doc = _doc(text)
    taken = [False] * len(text)
    if taken_piece:
        start = text.index(taken_piece)
        taken[start:start + len(taken_piece)] = [True] * len(taken_piece)
    assert [s.text for s in foreign_place_spans(doc, taken)] == expected
