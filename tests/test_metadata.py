"""Masthead metadata from plain text lines, table-driven: issuers, bulletin names, issue numbers.

The functions take (text, font size) lines, so any input format (PDF, Word, HTML) can use them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from extractor.metadata import correct_bulletin_name, issuer_name, read_masthead

BIG, BODY = 30.0, 16.0


@pytest.mark.parametrize("lines, issuer", [
    # government bodies, the issue's new endings among them
    (["政务信息", "第5期", "喀什地区行政公署办公室          2023年5月24日"], "喀什地区行政公署办公室"),
    (["工作动态", "第12期", "大兴安岭地区行政公署          2023年5月24日"], "大兴安岭地区行政公署"),
    (["工作简报", "第3期", "长沙经济技术开发区管委会          2023年6月1日"], "长沙经济技术开发区管委会"),
    (["情况通报", "第3期", "城关街道办事处    2023年6月1日"], "城关街道办事处"),
    (["要情快报", "第7期", "主办：高新区党工委办公室", "2023年6月1日"], "高新区党工委办公室"),
    (["政务督查", "第9期", "新安县人民政府办公室2010年5月5日"], "新安县人民政府办公室"),
    # a newspaper, website or media centre when no government body is named
    (["商洛日报", "2019年7月5日", "2031期/第3版"], "商洛日报"),
    (["巫山县融媒体中心", "2023年2月6日"], "巫山县融媒体中心"),
    (["湖南省重点项目调研组深入道县调研", "来源:红网 作者:谢万波 2019-07-12"], "红网"),
    (["长沙县一季度累计完成固投约180亿元", "发布时间:2016-05-30来源:星沙时报"], "星沙时报"),
    # a government body wins over the media that carried it
    (["工作简报", "来源:侨乡文昌报", "文昌市人民政府办公室    2020年5月14日"], "文昌市人民政府办公室"),
])
def test_masthead_issuer(lines, issuer):
    found = read_masthead([(line, BIG if i == 0 else BODY) for i, line in enumerate(lines)])
    assert found["issuer"] == issuer


@pytest.mark.parametrize("line", [
    "工作简报", "督查通报", "要情快报", "国家电网", "全面接入互联网", "第5期", "2023年5月24日",
])
def test_not_an_issuer(line):
    assert issuer_name(line) is None


@pytest.mark.parametrize("lines, number", [
    (["工作简报", "第5期"], 5),
    (["督查通报", "第十七期"], 17),
    (["工作简报", "第5期（总第125期）"], 5),
    (["商洛日报", "2031期/第3版"], 2031),
])
def test_issue_number(lines, number):
    found = read_masthead([(line, BIG if i == 0 else BODY) for i, line in enumerate(lines)])
    assert found["issue_number"] == number
    assert found["title"] is None or "期" not in found["title"] and "版" not in found["title"]


@pytest.mark.parametrize("title, corrected", [
    ("政务信言息", "政务信息"),  # an insertion
    ("政务信", "政务信息"),  # a deletion
    ("政务倍息", "政务信息"),  # a substitution
    ("邵阳市政务信言息", "邵阳市政务信息"),  # at the end of a longer title
    ("情况通抿", "情况通报"),
    ("督查通扳", "督查通报"),
    # names of the list stay as they are, even one character from another (督察/督查)
    ("督察通报", "督察通报"),
    ("工作简讯", "工作简讯"),
    ("民生工作简报", "民生工作简报"),
    # two names one edit away (工作简报, 工作简讯): no guess; far from every name: unchanged
    ("工作简振", "工作简振"),
    ("要情怏报", "要情怏报"),  # 要情快报 or 要情专报
    ("扶贫攻坚专刊", "扶贫攻坚专刊"),
])
def test_bulletin_name_correction(title, corrected):
    assert correct_bulletin_name(title) == corrected


def test_masthead_corrects_an_ocr_name():
    found = read_masthead([("政务信言息", BIG), ("第9期", BODY), ("新安县人民政府办公室    2010年5月5日", BODY)])
    assert (found["title"], found["issue_number"], found["issuer"], found["issue_date"]) == (
        "政务信息", 9, "新安县人民政府办公室", dt.date(2010, 5, 5))
