"""National bodies by name (extractor/entities/central_bodies.py, data/central_bodies.jsonl).
Sentences written for the test."""

from __future__ import annotations

import pytest

from extractor.entities import tag_lines
from extractor.entities.central_bodies import central_body_names


def orgs(sentence: str) -> list[str]:
    row = next(iter(tag_lines([sentence])))
    return [sentence[a:b] for a, b, label in row["entities"] if label == "ORG"]


@pytest.mark.parametrize("sentence, expected", [
    ("国家防总、水利部派出工作组赶赴灾区。", ["国家防总", "水利部"]),
    ("财政部、农业农村部联合印发通知。", ["财政部", "农业农村部"]),
    ("国家乡村振兴局督导组来我县调研。", ["国家乡村振兴局"]),
    ("中科院的专家参加了论证会。", ["中科院"]),
    ("他曾在铁道部工作多年。", ["铁道部"]),
])
def test_a_national_body_is_found_by_its_name(sentence, expected):
    assert orgs(sentence) == expected


@pytest.mark.parametrize("sentence, piece", [
    ("教育部门要加强校园安全管理。", "教育部"),  # 部门: the name would cut a word
    ("公安部署了专项整治行动。", "公安部"),  # 部署
    ("他任船舶工业总公司人事部副处长。", "人事部"),  # a company's own department
])
def test_a_name_inside_another_word_is_not_taken(sentence, piece):
    assert piece not in orgs(sentence)


def test_short_forms_lead_to_the_full_name():
    names = central_body_names()
    assert names["国家发改委"] == "国家发展和改革委员会"
    assert names["中科院"] == "中国科学院"
