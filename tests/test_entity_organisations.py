"""Organisations (extractor/entities/organisations.py, persons.py for a body in a title): body
short forms built from how bodies are named, province departments, media and source lines,
companies, and the wrong ones. Sentences written for the test."""

from __future__ import annotations

import pytest

from extractor.entities import find_entities


def orgs(text, **kw):
    return {e.text: e for e in find_entities(text, **kw) if e.type.value == "ORG"}


@pytest.mark.parametrize("text, expected", [
    ("县商务局、县医保局负责人参加。", {"县商务局", "县医保局"}),
    ("县机关工委、县防指、区创卫办联合部署。", {"县机关工委", "县防指", "区创卫办"}),
    # a branch is named as its bureau is: 自然资源局 → 自然资源分局
    ("县自然资源分局、区公安分局参加。", {"县自然资源分局", "区公安分局"}),
    # a province's departments keep the province's level, not only the province
    ("省教育厅、省水利厅联合发文。", {"省教育厅", "省水利厅"}),
    ("市编办、县科协、县工商联参加。", {"市编办", "县科协", "县工商联"}),
])
def test_body_short_forms(text, expected):
    assert expected <= set(orgs(text))


def test_a_short_form_is_expanded_with_the_document_s_place():
    found = orgs("县医保局召开会议。", county="新安县")
    assert found["县医保局"].normalized == "新安县医疗保障局"


@pytest.mark.parametrize("text, body, title", [
    ("县人大常委会副主任张建国出席。", "县人大常委会", "县人大常委会副主任"),
    ("县政协主席李明华讲话。", "县政协", "县政协主席"),
    ("市人社局局长周卫东介绍情况。", "市人社局", "市人社局局长"),
])
def test_the_body_in_a_person_s_title_is_an_organisation_too(text, body, title):
    entities = find_entities(text)
    assert body in {e.text for e in entities if e.type.value == "ORG"}
    assert next(e for e in entities if e.type.value == "PERSON").title == title


def test_a_party_committee_member_is_a_title_not_a_body():
    assert not orgs("市委常委、常务副市长王永红率队。")


@pytest.mark.parametrize("text, expected", [
    ("来源：红网", {"红网"}),
    ("信息来源：杜集区民生办", {"杜集区民生办"}),
    ("湖南日报社、邵阳电视台记者现场采访。", {"湖南日报社", "邵阳电视台"}),
    ("县融媒体中心记者报道。", {"县融媒体中心"}),
    ("据永州新闻网报道。", {"永州新闻网"}),
])
def test_media_organisations(text, expected):
    assert expected <= set(orgs(text))


@pytest.mark.parametrize("text, expected", [
    # the place before a company is part of its registered name
    ("景谷县山韵茶业有限公司参加签约。", "景谷县山韵茶业有限公司"),
    # a group's name stays whole
    ("中粮集团福临门食品有限公司捐赠物资。", "中粮集团福临门食品有限公司"),
    # a role word before it is not part of it
    ("企业代表佛山市顺德区美的电器有限公司发言。", "佛山市顺德区美的电器有限公司"),
])
def test_companies_keep_their_place_and_their_group(text, expected):
    assert expected in orgs(text)


@pytest.mark.parametrize("text, not_an_org", [
    ("群众可在乡便民服务中心办理。", "便民服务中心"),
    ("村卫生室全部达标。", "村卫生室"),
    ("县委宣传部长王强讲话。", "县委宣传部"),  # a title word: 宣传部长
    ("县委宣传部长王强讲话。", "宣传部"),
    ("县委组织部分人员参加。", "县委组织部"),  # 组织部|分人员 cuts the word 部分
    ("培训育婴员、美发师、家政服务员。", "美发师"),
])
def test_no_organisation_where_there_is_none(text, not_an_org):
    assert not_an_org not in orgs(text)


# Issue 12, second round: kinds read from how bodies are named, with sentences written here.
@pytest.mark.parametrize("text, expected", [
    # committees named 委 (the four municipalities and some cities): 经济和信息化委员会 → 经济信息委
    ("区经济信息委、区教委、区商务委联合检查。", {"区经济信息委", "区教委", "区商务委"}),
    ("市农业农村委、市民族宗教委、市城管委参加。", {"市农业农村委", "市民族宗教委", "市城管委"}),
    # a government's supervision office, short and with its full place
    ("区政府督查办对推进情况进行了汇总。", {"区政府督查办"}),
    ("重庆市沙坪坝区人民政府督查办印发通报。", {"重庆市沙坪坝区人民政府督查办"}),
    # offices of committees and leading groups
    ("县文明办、县安委办、县巡察办、县老龄办参加。", {"县文明办", "县安委办", "县巡察办", "县老龄办"}),
    ("县扶贫开发领导小组办公室印发通知。", {"县扶贫开发领导小组办公室"}),
    # older names still in the bulletins of their years
    ("县国土资源局、县安监局、县工商局联合执法。", {"县国土资源局", "县安监局", "县工商局"}),
    ("区城管执法局、县林草局开展巡查。", {"区城管执法局", "县林草局"}),
    # a development zone's administrative committee
    ("县经开区管委会、湘江新区管委会负责同志参加。", {"县经开区管委会", "湘江新区管委会"}),
])
def test_committees_offices_and_zones(text, expected):
    assert expected <= set(orgs(text))


@pytest.mark.parametrize("text, expected", [
    ("农村饮水安全工程由大学城水务公司实施。", {"大学城水务公司"}),
    ("县燃气公司、市城投公司完成管网改造。", {"县燃气公司", "市城投公司"}),
])
def test_utilities_named_by_their_trade(text, expected):
    assert expected <= set(orgs(text))


@pytest.mark.parametrize("text", ["一家燃气公司表示，该水务公司正在整改。"])
def test_a_trade_company_needs_a_name_or_a_place(text):
    assert not {t for t in orgs(text) if t.endswith("公司")}


def test_two_institutions_joined_by_he_stay_two():
    found = set(orgs("县第二人民医院、县中医院和县妇幼保健院联合开展义诊。"))
    assert {"县中医院", "县妇幼保健院"} <= found
    assert not any("和" in t for t in found)


@pytest.mark.parametrize("text, expected", [
    # a level after a verb or preposition is the name's
    ("专家团队到县人民医院坐诊。", {"县人民医院"}),
    # vocational schools
    ("县第一中学、县职业中专、县技校参加比赛。", {"县第一中学", "县职业中专", "县技校"}),
    # a level before a name the model found without it: the rule's whole name
    ("县农商银行、县农业发展银行累计发放贷款。", {"县农商银行", "县农业发展银行"}),
])
def test_levels_and_schools(text, expected):
    assert expected <= set(orgs(text))


@pytest.mark.parametrize("text", ["全县学校开展安全检查，山区学校完成改造。", "会上传达了省委经济工作会议精神。"])
def test_no_organisation_in_a_kind_of_area_or_a_meeting(text):
    assert not {t for t in orgs(text) if t.endswith(("学校", "会议"))}


@pytest.mark.parametrize("text, expected", [
    ("县河长制办公室组织巡河，县河长办督办。", {"县河长制办公室", "县河长办"}),
    # two names the rules carried to their endings stay two across the words between them
    ("中粮集团下属中粮糖业有限公司投资建设。", {"中粮集团", "中粮糖业有限公司"}),
    # a name with an institution's ending is an organisation whatever the model labelled it
    ("湖南省交通规划勘察设计院有限公司完成设计。", {"湖南省交通规划勘察设计院有限公司"}),
])
def test_offices_groups_and_endings(text, expected):
    assert expected <= set(orgs(text))


@pytest.mark.parametrize("text, expected", [
    ("县城投集团、县交投公司负责棚改项目。", {"县城投集团", "县交投公司"}),
    ("由中建五局承建的县体育中心项目主体完工。", {"县体育中心"}),
    ("星沙街道办事处完成拆迁任务。", {"星沙街道办事处"}),
])
def test_platform_companies_centres_and_street_offices(text, expected):
    assert expected <= set(orgs(text))


@pytest.mark.parametrize("text, expected", [
    ("塘渡口镇党委高度重视。", {"塘渡口镇党委"}),  # a township's party committee, after its name
    ("市委第三巡察组进驻县教育局，县委第二督查组随行。", {"市委第三巡察组", "县委第二督查组"}),  # numbered groups
    ("县公安局交警大队、县消防救援大队开展联合检查。", {"县公安局交警大队", "县消防救援大队"}),
    ("中国人民银行新邵县支行、湖南省农业科学院参加。", {"中国人民银行新邵县支行", "湖南省农业科学院"}),
])
def test_party_committees_numbered_groups_brigades_branches(text, expected):
    assert expected <= set(orgs(text))


def test_a_party_committee_without_a_place_s_name_is_every_one():
    assert not {t for t in orgs("各县（市区）党委、镇党委要高度重视。") if t.endswith("党委")}


def test_a_company_keeps_its_place_where_the_model_ran_across_yu():
    found = set(orgs("景谷县茶农与景谷傣家茶业有限公司签订收购协议。"))
    assert "景谷傣家茶业有限公司" in found
    assert not any("与" in t for t in found)


# A list of companies: every item after the first from the separator to its ending, whatever
# characters a brand is made of; the first from the verb it is the object of.
@pytest.mark.parametrize("text, expected", [
    ("已建成丰隆果业科技有限公司、太白山药材资源开发有限公司、葆易圣茶业有限公司等企业。",
     {"丰隆果业科技有限公司", "太白山药材资源开发有限公司", "葆易圣茶业有限公司"}),
    ("引进了鑫源农业发展有限公司和禾丰种业有限责任公司。", {"鑫源农业发展有限公司", "禾丰种业有限责任公司"}),
    ("今年扶持红星蔬菜专业合作社、绿源养殖专业合作社发展。", {"红星蔬菜专业合作社", "绿源养殖专业合作社"}),
    # the first item from the first word that can begin a name: not 县内, not 龙头企业
    ("组织县内湘源农业开发有限公司、丰源食品有限公司等企业参加。", {"湘源农业开发有限公司", "丰源食品有限公司"}),
    ("当地龙头企业鑫源农业有限公司、禾丰种业有限公司带动农户增收。", {"鑫源农业有限公司", "禾丰种业有限公司"}),
    ("当地龙头企业鑫源农业有限公司带动农户增收。", {"鑫源农业有限公司"}),  # one alone, too
    ("已建成国隆综合服务有限公司、禾丰种业有限公司。", {"国隆综合服务有限公司", "禾丰种业有限公司"}),  # generic words after a name stay
])
def test_every_company_of_a_list(text, expected):
    assert expected <= set(orgs(text))


@pytest.mark.parametrize("text, not_an_org", [
    ("今年鑫源农业发展有限公司、禾丰种业有限公司投产。", "今年鑫源农业发展有限公司"),  # a time word is no name's
    ("帮助民营企业有限公司、国有企业有限公司改制。", "国有企业有限公司"),  # generic words only
    ("组织农民专业合作社、红星蔬菜专业合作社参加。", "农民专业合作社"),  # no word that begins a name
    ("引进宏大农业发展有限公司、成立村级合作社。", "成立村级合作社"),  # a clause after the separator
    ("签约湖南华菱钢铁集团、积极对接中国建材集团。", "积极对接中国建材集团"),
])
def test_what_a_company_list_leaves_out(text, not_an_org):
    assert not_an_org not in orgs(text)
