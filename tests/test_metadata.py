"""Masthead metadata from plain text lines, table-driven: issuers, bulletin names, issue numbers.

The functions take (text, font size) lines, so any input format (PDF, Word, HTML) can use them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from extractor.metadata import (before_attachments, correct_bulletin_name, issuer_name, parse_full_date,
                                read_labelled_issuer, read_masthead, read_signature)

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


@pytest.mark.parametrize("line, date", [
    ("2023年5月24日", dt.date(2023, 5, 24)),
    ("二〇二三年五月二十四日", dt.date(2023, 5, 24)),
    ("发布时间:2016-05-30来源:星沙时报", dt.date(2016, 5, 30)),
    ("27.11.2014 14:38", dt.date(2014, 11, 27)),  # day first (a web page's date line)
    ("14.08.2015  14:05", dt.date(2015, 8, 14)),
])
def test_full_date(line, date):
    assert parse_full_date(line)[0] == date


def test_signature_before_attachments():
    """The signature stands before the attachments (附件1 and its table), not at the very end."""
    lines = ["重点工作任务中，137项任务均正常推进。", "附件：1.经济社会发展10项预期目标任务进展情况表",
             "2.区级重点民生实事任务进展情况表", "重庆市沙坪坝区人民政府督查办", "2021年4月8日",
             "附件1", "经济社会发展10项预期目标任务进展情况表", "| 1 | 地区生产总值增长6%以上 |"]
    assert read_signature(before_attachments(lines)[-4:]) == ("重庆市沙坪坝区人民政府督查办", dt.date(2021, 4, 8))
    assert before_attachments(lines[:5]) == lines[:5]
    # the signature run into the line above it, as a layout may join them
    joined = ["附件：1.经济社会发展10项预期目标任务进展情况表",
              "2.区级重点民生实事任务进展情况表重庆市沙坪坝区人民政府督查办2021年4月8日"]
    assert read_signature(joined) == ("重庆市沙坪坝区人民政府督查办", dt.date(2021, 4, 8))
    assert read_signature(["截至2021年4月8日"]) == (None, dt.date(2021, 4, 8))


@pytest.mark.parametrize("lines, issuer", [
    (["文件名称 | 2022年第八次县政府常务会议确定事项落实情况的通报 |", "公开责任部门 | 紫阳县政府办公室 | 公开形式: | 主动公开 |"],
     "紫阳县政府办公室"),
    (["2020年文昌市政府工作报告解读", "来源:侨乡文昌报 发布日期:2020-05-14 17:30 责任编辑:史英杰"], "侨乡文昌报"),
    (["作者: 杜集区民生办   信息来源: 杜集区民生办发布时间:2010-11-23"], "杜集区民生办"),
    (["来源:红网 作者:谢万波", "主办单位：道县人民政府办公室"], "道县人民政府办公室"),  # a government body first
    (["资金来源：县财政投入300万元"], None),  # a label inside a sentence
])
def test_labelled_issuer(lines, issuer):
    assert read_labelled_issuer(lines) == issuer
