"""Places (extractor/entities/places.py): one-character counties, older or variant county names,
natural features. Villages have their own file (test_entity_villages.py). Sentences written for
the test."""

from __future__ import annotations

import pytest

from extractor.entities import find_entities


def places(text, **kw):
    return {e.text: e for e in find_entities(text, **kw) if e.type.value == "PLACE"}


@pytest.mark.parametrize("text, name, code", [
    ("沛县召开项目推进会。", "沛县", "320322"),
    ("徐州市丰县开展督查。", "丰县", "320321"),
    ("调研组赴滑县调研。", "滑县", "410526"),
])
def test_a_one_character_county(text, name, code):
    assert places(text)[name].code == code


def test_a_county_s_government_is_never_cut_from_its_name():
    entities = find_entities("沛县人民政府印发通知。")
    assert "沛县人民政府" in {e.text for e in entities if e.type.value == "ORG"}
    assert "县人民政府" not in {e.text for e in entities}


@pytest.mark.parametrize("text", ["市和县两级财政共同承担。", "全县上下齐心协力。"])
def test_no_one_character_county_inside_words(text):
    assert not {"和县", "全县"} & set(places(text))


@pytest.mark.parametrize("text, name, full, code", [
    ("城步县推进产业发展。", "城步县", "城步苗族自治县", "430529"),
    ("景谷县茶产业提质增效。", "景谷县", "景谷傣族彝族自治县", "530824"),
])
def test_a_county_written_without_its_ethnic_name(text, name, full, code):
    found = places(text)[name]
    assert (found.normalized, found.code) == (full, code)


@pytest.mark.parametrize("text, expected", [
    ("清水河、红石水库、青龙山景区完成治理。", {"清水河", "红石水库", "青龙山"}),
])
def test_natural_features(text, expected):
    assert expected <= set(places(text))


@pytest.mark.parametrize("text", ["保护母亲河，守护绿水青山。", "唯独这座山没有开发。", "古都河村过去是个穷村。"])
def test_no_natural_feature_in_common_words(text):
    assert not {"母亲河", "这座山", "古都河"} & set(places(text))
