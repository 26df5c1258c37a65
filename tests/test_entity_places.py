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


# Issue 12, second round. Province short forms (data/provinces.jsonl, all 34).
@pytest.mark.parametrize("text, name, code", [
    ("紧紧围绕海南自由贸易试验区建设的总要求。", "海南", "46"),  # inside a name the model finds
    ("调研组赴新疆、西藏考察。", "新疆", "65"),
    ("调研组赴新疆、西藏考察。", "西藏", "54"),
])
def test_a_province_named_without_its_ending(text, name, code):
    assert places(text)[name].code == code


@pytest.mark.parametrize("text, word", [("他把东西藏起来了。", "西藏"), ("我们江西部的同事。", "江西")])
def test_no_province_inside_other_words(text, word):
    assert word not in places(text)


def test_a_place_under_its_parent_is_one_place_and_two():
    found = places("镇安县加强与南京市浦口区联系合作，浦口区派出干部。")
    assert {"南京市浦口区", "南京市", "浦口区"} <= set(found)
    assert found["南京市浦口区"].code == found["浦口区"].code == "320111"


@pytest.mark.parametrize("text, chain", [
    ("重庆市万州区发展和改革委员会印发通知。", "重庆市万州区"),  # inside an organisation's name
    ("新邵县坪上镇推进产业发展。", "新邵县坪上镇"),  # a county and its township stay two
])
def test_no_chain_inside_a_name_or_down_to_a_township(text, chain):
    assert chain not in places(text)


def test_china_in_a_set_political_phrase_is_no_place_in_a_bulletin():
    assert "中国" not in places("坚持以习近平新时代中国特色社会主义思想为指导。")
    assert "中国" in places("代表团回到中国。")


@pytest.mark.parametrize("text, name, full", [
    ("湘西州花垣县推进乡村振兴。", "湘西州", "湘西土家族苗族自治州"),
    ("黔东南州开展督查。", "黔东南州", "黔东南苗族侗族自治州"),
])
def test_an_autonomous_prefecture_by_its_short_form(text, name, full):
    assert places(text)[name].normalized == full


def test_a_three_character_feature_name_and_a_reservoir_is_no_organisation():
    entities = find_entities("大龙潭水库、小龙潭水库蓄水充足。")
    assert {"大龙潭水库", "小龙潭水库"} <= set(places("大龙潭水库、小龙潭水库蓄水充足。"))
    assert not any(e.type.value == "ORG" for e in entities)


def test_a_chain_the_model_finds_whole_gives_its_places_too():
    found = places("广东省佛山市、浙江省杭州市的企业来考察。")
    assert {"广东省佛山市", "广东省", "佛山市", "浙江省", "杭州市"} <= set(found)
    assert found["佛山市"].code == "4406"


@pytest.mark.parametrize("text, expected, not_expected", [
    # a chain down to a village is its places only, as the answer keys write them
    ("在曲尺乡柑园村，村党支部书记介绍了情况。", {"曲尺乡", "柑园村"}, {"曲尺乡柑园村"}),
])
def test_a_chain_down_to_a_village_is_its_places(text, expected, not_expected):
    found = set(places(text))
    assert expected <= found and not (not_expected & found)


def test_an_organisation_made_of_places_only_is_those_places():
    entities = find_entities("永州市道县梅花镇贵头村入选。")
    assert not any(e.type.value == "ORG" for e in entities)
    assert {"永州市", "道县", "梅花镇"} <= {e.text for e in entities}


@pytest.mark.parametrize("text, expected", [
    ("长沙经济技术开发区、望城经开区、宁乡高新区签约项目。", {"长沙经济技术开发区", "望城经开区", "宁乡高新区"}),
])
def test_zones_named_after_a_division(text, expected):
    found = set(places(text))
    assert expected <= found
    assert not {"经济技术开发区", "高新区"} & found  # the bare zone word is no place of its own here


def test_a_longer_run_of_places_is_its_places_only():
    found = set(places("湖南省邵阳市新邵县坪上镇开展评比。"))
    assert {"湖南省", "邵阳市", "新邵县", "坪上镇"} <= found
    assert not {"湖南省邵阳市", "邵阳市新邵县"} & found


# A township's name read across words is no place: its ending makes a common word with the next
# character (宜居乡|村), or its first character ends a word jieba reads (畅|通城乡 of 畅通城乡).
@pytest.mark.parametrize("text, county, not_a_place", [
    ("累计创建美丽宜居乡村42个。", None, "宜居乡"),
    ("畅通城乡要素流动。", "巫山县", "通城乡"),  # 通城镇 is a township of the same province
])
def test_no_township_across_words(text, county, not_a_place):
    assert not_a_place not in places(text, county=county)


@pytest.mark.parametrize("text, name", [
    ("宜居乡党委召开会议。", "宜居乡"),  # the township itself
    ("宜居乡村民代表参加。", "宜居乡"),  # 村民 goes on from 村: the ending is the township's
])
def test_a_township_before_words_stays(text, name):
    assert name in places(text)


# A dateline's place: the longest province, city or county name or short form before the day.
@pytest.mark.parametrize("text, name", [
    ("县融媒体中心永州7月12日讯 近日，", "永州"),
    ("本报保定五月十五日电 记者报道，", "保定"),
    ("新华社长沙3月5日电 会议召开。", "长沙"),
])
def test_the_place_of_a_dateline(text, name):
    assert name in places(text)
