"""Persons (extractor/entities/persons.py): credit lines, names typeset with a space, national
leaders without a title, boundaries, and the wrong ones. Sentences written for the test."""

from __future__ import annotations

import pytest

from extractor.entities import find_entities, tag_lines


def persons(text, **kw):
    return {e.text: e for e in find_entities(text, **kw) if e.type.value == "PERSON"}


@pytest.mark.parametrize("text, name, cue", [
    ("审核：王建军", "王建军", "审核"),
    ("终审：刘晓东", "刘晓东", "终审"),
    ("责任编辑：周小红", "周小红", "责任编辑"),
    ("编辑：于佳丽2019-07-12 15:33", "于佳丽", "编辑"),  # 于 is a surname here, after a cue
    ("校对：陈明", "陈明", "校对"),
    ("供稿：吴晓燕", "吴晓燕", "供稿"),
    ("撰稿：李红梅", "李红梅", "撰稿"),
    ("联系人：赵小兵，电话：12345678", "赵小兵", "联系人"),
    ("作者：孙丽", "孙丽", "作者"),
])
def test_a_name_in_a_credit_line(text, name, cue):
    found = persons(text)
    assert found[name].title == cue


def test_several_credit_lines_on_one_line():
    text = "审核：王建军 终审：刘晓东 校对：陈明、张华"
    assert {"王建军", "刘晓东", "陈明", "张华"} <= set(persons(text))


@pytest.mark.parametrize("text, names", [
    # names separated by spaces, up to the next cue
    ("作者：王立波 赵国强 刘晓天 蒋杰 编辑：于小丽", {"王立波", "赵国强", "刘晓天", "蒋杰", "于小丽"}),
    # a reporter's cue after the outlet, a space instead of a colon
    ("（县站记者 王立波 通讯员 赵国强 蒋杰）", {"王立波", "赵国强", "蒋杰"}),
    ("新华社记者 张 强", {"张 强"}),
])
def test_names_separated_by_spaces_in_a_credit_line(text, names):
    assert names <= set(persons(text))


@pytest.mark.parametrize("text, not_a_person", [
    ("作者：张三 来源：县政府办", "来源"),  # the next cue, before its colon
    ("记者 报道，今年以来全县经济平稳。", "报道"),
])
def test_a_cue_after_a_credit_line_is_no_name(text, not_a_person):
    assert not_a_person not in persons(text)


def test_a_name_typeset_with_a_space():
    found = persons("责任编辑：李 强")
    assert found["李 强"].normalized == "李强"


def test_a_body_in_a_credit_line_is_no_person():
    found = find_entities("供稿：邵阳市人社局")
    assert not [e for e in found if e.type.value == "PERSON"]
    assert "邵阳市人社局" in {e.text for e in found if e.type.value == "ORG"}


@pytest.mark.parametrize("text, expected", [
    ("深入学习贯彻习近平新时代中国特色社会主义思想。", {"习近平"}),
    ("习近平、李强、赵乐际等出席会议。", {"习近平", "李强", "赵乐际"}),
])
def test_national_leaders_without_a_title(text, expected):
    assert expected <= set(persons(text))


@pytest.mark.parametrize("text, word", [
    ("汪洋大海般的群众。", "汪洋"),  # a two-character leader's name inside a word is none
    ("李强调研时的讲话。", "李强调"),
])
def test_a_two_character_leader_s_name_needs_what_stands_around_it(text, word):
    assert word not in persons(text)


def test_a_three_character_name_before_shoupin_keeps_its_last_character():
    assert "张大伟" in persons("张大伟受聘为县产业发展顾问。")


@pytest.mark.parametrize("text, not_a_person", [
    ("对科长、分局长全面实行竞争上岗。", "全面"),  # 全 is a surname, 全面 a common word, no name
    ("反对派可在政府中拥有三个部长席位。", "席位"),
    ("环青海湖拉力赛今天开幕。", "青海湖拉力赛"),
    ("沿桃溪河两岸开展整治。", "桃溪河"),
])
def test_no_person_where_there_is_none(text, not_a_person):
    assert not_a_person not in persons(text)
    assert [s for s, e, t in next(tag_lines([text]))["entities"] if t == "PERSON"] == []


@pytest.mark.parametrize("text, name", [
    ("编辑室副主任严平认为，要加强管理。", "严平"),  # 认为 begins after the name
    ("副市长王永红强调，要加快进度。", "王永红"),
])
def test_a_name_after_a_title_ends_where_a_common_word_begins(text, name):
    assert name in persons(text)


# Issue 12, second round: where a name ends when its last character also begins common words.
@pytest.mark.parametrize("text, name", [
    ("市委书记刘志强深入大坪乡调研。", "刘志强"),  # 强 ends names; 强深 is no word
    ("县长刘志强调，要抓好落实。", "刘志"),  # 强调 is a word: the name ends before it
    ("副县长陈红陪同调研。", "陈红"),
    ("副市长蒋伟参加会议。", "蒋伟"),
])
def test_a_name_s_last_character(text, name):
    assert name in {e.text for e in find_entities(text) if e.type.value == "PERSON"}


def test_a_village_committee_is_no_person():
    persons = {e.text for e in find_entities("红岩村村委会主任黄伟民表示，今年将扩大种植面积。") if e.type.value == "PERSON"}
    assert persons == {"黄伟民"}


@pytest.mark.parametrize("text, name, normalized", [
    ("区委常委、组织部部长李 强讲话。", "李 强", "李强"),  # a two-character name padded to three
    ("村党委书记王 芳介绍经验。", "王 芳", "王芳"),
])
def test_a_spaced_name_after_a_title(text, name, normalized):
    found = {e.text: e for e in find_entities(text) if e.type.value == "PERSON"}
    assert found[name].normalized == normalized


def test_deng_before_tongzhi_is_not_the_last_name_s():
    persons = {e.text for e in find_entities("张三、李四、王五等同志受到表彰。") if e.type.value == "PERSON"}
    assert {"张三", "李四", "王五"} <= persons and "王五等" not in persons


@pytest.mark.parametrize("text, name", [
    ("王丽梅女士，1968年出生，大学学历。", "王丽梅"),
    ("黄金陵先生，毕业于香港理工大学。", "黄金陵"),
    ("唐国平：男，汉族，1962年生。", "唐国平"),  # an appointment notice's header
    ("拟任人选：刘建华，男，1975年8月生。", "刘建华"),
])
def test_a_name_before_an_address_or_a_gender(text, name):
    assert name in persons(text)


@pytest.mark.parametrize("text", ["诸位先生，请入座。", "各位女士、先生：", "1970年生，男，汉族。"])
def test_no_name_from_a_common_word_before_an_address(text):
    assert not persons(text)
