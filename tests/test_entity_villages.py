"""Villages (extractor/entities/villages.py): names from the national list, resolved within the
counties a text is about, and the items of a list of villages. Sentences written for the test."""

from __future__ import annotations

import pytest

from extractor.entities import find_entities, tag_lines
from extractor.gazetteer import villages


def places(text, **kw):
    return {e.text: e for e in find_entities(text, **kw) if e.type.value == "PLACE"}


@pytest.mark.parametrize("text, name, code, township", [
    # written with 村, after its county and township
    ("子长市瓦窑堡镇石家川村开展土地整治。", "石家川村", "610681001216", "瓦窑堡街道"),
    # written without 村 (three characters or more), the county named earlier in the paragraph
    ("子长市推进史家畔湫峪沟养猪小区建设。", "史家畔", "610681101218", "杨家园则镇"),
    ("调研组来到子长市凉水湾灾后重建安置点。", "凉水湾", "610681108220", "余家坪镇"),
    # the county a document is about, given by its issuer
    ("热寺湾安置点建成投用。", "热寺湾", "610681101211", "杨家园则镇"),
])
def test_a_village_of_a_county_in_context_gets_its_code(text, name, code, township):
    found = places(text, county="子长市" if not text.startswith("子长") else None)
    assert found[name].code == code
    assert found[name].parents[0] == township


@pytest.mark.parametrize("text, items", [
    ("王庄、刘营、张湾等村完成改厕。", ["王庄", "刘营", "张湾"]),
    ("东岗、西岗等3个村通了自来水。", ["东岗", "西岗"]),
    ("对下庄村、柑园村、柳坪村开展帮扶。", ["下庄村", "柑园村", "柳坪村"]),
])
def test_every_item_of_a_list_of_villages_is_a_place(text, items):
    found = places(text)
    assert set(items) <= set(found)
    assert [x for x, _, t in next(tag_lines([text]))["entities"] if t == "PLACE"] == [text.index(i) for i in items]


@pytest.mark.parametrize("text, not_a_place", [
    ("全村、各村都要建立台账。", "全村"),
    ("贫困村、示范村建设稳步推进。", "贫困村"),
    # 幸福 and 和平 name hundreds of villages, but alone they are words
    ("子长市群众的幸福感明显提升，和平发展。", "幸福"),
])
def test_words_that_are_no_village(text, not_a_place):
    assert not_a_place not in places(text)


def test_a_village_name_is_not_looked_for_outside_the_counties_in_context():
    # 石家川 is a village of 子长市 only; a text about elsewhere does not get it.
    assert "石家川" not in places("新邵县坪上镇石家川沟道治理。")


def test_the_village_list_is_read_per_county():
    county = villages().in_county("610681")
    assert [v.code for v in county["热寺湾村"]] == ["610681101211"]
    assert 100 < len(county) < 1000


def test_a_village_made_a_community_is_found_by_its_old_name():
    # 赤水市天台镇's 铁匠炉村 is 铁匠炉社区 in the national list now
    found = places("赤水市天台镇实施铁匠炉村等7个点的安全饮水工程。")
    assert found["铁匠炉村"].code.startswith("520381100")


def test_the_first_item_of_a_village_list_begins_after_its_township():
    found = places("石门县三江口镇白云村、青山村等4个村实施了饮水工程。")
    assert {"白云村", "青山村", "三江口镇"} <= set(found)


# A village or township of the document's county named by two characters jieba does not know
# (隆德县: 联财镇, 温堡乡, 神林乡, 张楼村); not a dictionary word (新民), not inside a name.
@pytest.mark.parametrize("text, names", [
    ("在联财、温堡、神林等乡镇建设蔬菜基地。", {"联财", "温堡", "神林"}),
    ("联财、温堡两地蔬菜基地已建成。", {"联财", "温堡"}),  # listed beside a place: no person
    ("张楼蔬菜标准园已销售蔬菜。", {"张楼"}),
])
def test_a_two_character_village_or_township_of_the_county(text, names):
    assert names <= set(places(text, county="隆德县"))


@pytest.mark.parametrize("text, county, not_a_place", [
    ("新民蔬菜基地已建成。", "隆德县", "新民"),  # 新民村, but a dictionary word
    ("张楼蔬菜标准园已销售蔬菜。", None, "张楼"),  # no county in context
    ("来源：星沙时报", "长沙县", "星沙"),  # 星沙街道's name inside a newspaper's
])
def test_no_two_character_village_where_the_evidence_is_missing(text, county, not_a_place):
    assert not_a_place not in places(text, county=county)
