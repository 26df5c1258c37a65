"""One-character abbreviations of countries and provinces in a pair or a chain before a word of
relation (extractor/entities/abbreviations.py): each character a PLACE. Sentences written for the test."""

from __future__ import annotations

import pytest

from extractor.entities import tag_lines
from extractor.entities.abbreviations import abbreviation_pattern


def places(sentence: str) -> list[str]:
    row = next(iter(tag_lines([sentence])))
    return [sentence[a:b] for a, b, label in row["entities"] if label == "PLACE"]


@pytest.mark.parametrize("sentence, expected", [
    ("中韩建交以来，两国贸易增长很快。", ["中", "韩"]),
    ("印巴双方都表示愿意对话。", ["印", "巴"]),
    ("中日韩三国外长举行会谈。", ["中", "日", "韩"]),
    ("中蒙边界全长四千多公里。", ["中", "蒙"]),
    ("京津合作项目签约。", ["京", "津"]),
])
def test_each_abbreviation_before_a_relation_is_a_place(sentence, expected):
    assert places(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "全县中小学校舍改造全部完工。",  # 中小学: 小 is no abbreviation
    "建设美丽乡村示范点12个。",  # one character, no relation word
    "中美洲国家之间的合作。",  # 中美洲: a longer name, no relation right after the pair
    "中华人民共和国成立。",
])
def test_the_rule_needs_a_pair_and_a_relation_word(sentence):
    assert abbreviation_pattern().search(sentence) is None
