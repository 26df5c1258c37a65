"""Dates, table-driven: each case a real sentence of the devset, its issue date and the date values."""

from __future__ import annotations

import datetime as dt

import pytest

from extractor.dates import find_dates
from extractor.normalize import normalize_text
from extractor.sentences import sentence_spans

SHAOYANG = dt.date(2023, 5, 24)


def values(text: str, issue: dt.date | None = SHAOYANG) -> list[str]:
    return [d.value for d in find_dates(normalize_text(text), issue)]


@pytest.mark.parametrize("sentence, issue, expected", [
    # full dates in any common form
    ("邵阳市打好重点民生保障仗工作专班          2023年 5月 24日", SHAOYANG, ["2023-05-24"]),
    ("日期:2025-04-11 来源:重庆市万州区发展和改革委员会", dt.date(2025, 4, 11), ["2025-04-11"]),
    ("成文日期: | 2022年09月14日 |", dt.date(2022, 9, 15), ["2022-09-14"]),
    ("2023.5.24 与 2023/5/24", SHAOYANG, ["2023-05-24", "2023-05-24"]),
    ("二〇二三年五月二十四日", SHAOYANG, ["2023-05-24"]),
    ("扶点扶强 辐射带动 27.11.2014 14:38", None, ["2014-11-27"]),  # day first, as some web pages write it
    # month-day: the year from the issue date
    ("王永红率队调研我市重点民生实事项目。5月16日，市委常委", SHAOYANG, ["2023-05-16"]),
    ("本报讯(马强)11月7日,市委副县级组织员", dt.date(2013, 11, 15), ["2013-11-07"]),
    ("截至 4 月 27 日，全县共筛查适龄妇女", SHAOYANG, ["2023-04-27"]),
    # a month after the issue month reported as past is last year's; a deadline stays this year
    ("11月7日召开了会议", dt.date(2023, 4, 15), ["2022-11-07"]),
    # month ends, deadlines
    ("规定到 6月底，上线服务事项 700 项；到 8 月底", SHAOYANG, ["2023-06-30", "2023-08-31"]),
    ("力争本月底全部“交卷”", dt.date(2010, 11, 23), ["2010-11-30"]),
    # months, 以来
    ("今年 2月以来，城步苗族自治县加强组织引领", SHAOYANG, ["2023-02"]),
    ("3月份完成", SHAOYANG, ["2023-03"]),
    # ranges are valued by their end
    ("就1—9月份目标任务完成情况进行了督查考核", dt.date(2013, 11, 15), ["2013-09"]),
    ("2010年1-4月份民生建设十件实事", dt.date(2010, 5, 5), ["2010-04"]),
    ("六盘水市2023 年 1—3 月“十件民生实事”进展情况", dt.date(2023, 4, 15), ["2023-03"]),
    ("月度进展情况(1-3月)", dt.date(2025, 4, 11), ["2025-03"]),
    # years, relative expressions
    ("该乡以做好 2023年的民生实事项目为工作抓手", SHAOYANG, ["2023"]),
    ("确保上半年“时间过半、任务过半”", SHAOYANG, ["2023-H1"]),
    ("2025年全区重点民生实事1季度推进情况", dt.date(2025, 4, 11), ["2025", "2025-Q1"]),
    ("截至目前，全市已累计发放", SHAOYANG, ["2023-05-24"]),
    ("武冈市：年初将民生实事工作纳入", SHAOYANG, ["2023-01"]),
    ("11月中旬", SHAOYANG, ["2023-11"]),
])
def test_dates(sentence, issue, expected):
    assert values(sentence, issue) == expected


REVIEW_ISSUE = dt.date(2014, 1, 20)  # a year-end review issued the January after


@pytest.mark.parametrize("sentence, issue, expected", [
    # the report's own as-of date lies in the year before: 全年/今年/年底 mean that year
    ("截至2013年12月底，全县完成固定资产投资12亿元，完成全年目标的109.4%", REVIEW_ISSUE,
     ["2013-12-31", "2013"]),
    ("截至上年12月底，今年累计发放贷款3亿元，年底前全部到位", REVIEW_ISSUE, ["2013-12-31", "2013", "2013-12-31"]),
    ("截至12月底，全市完成全年任务的105%，四季度增长8%", REVIEW_ISSUE, ["2013-12-31", "2013", "2013-Q4"]),
    ("截至去年底，全年新增就业2000人，上半年完成六成", dt.date(2014, 2, 10), ["2013-12-31", "2013", "2013-H1"]),
    ("截至2013年12月31日，全年共接待游客50万人次", dt.date(2014, 3, 5), ["2013-12-31", "2013"]),
    ("1—12月，全县完成固定资产投资50亿元，占全年目标的102%", REVIEW_ISSUE, ["2013-12", "2013"]),
    # 去年/明年 still count from the issue date; 本月 and 目前 are the issue's
    ("截至2013年12月底，全年增长9%，较去年同期提高1个百分点，截至目前", REVIEW_ISSUE,
     ["2013-12-31", "2013", "2013", "2014-01-20"]),
    # not a review: an as-of date in the new year, or a report issued later in the year
    ("截至2014年1月15日，全年目标完成5%", REVIEW_ISSUE, ["2014-01-15", "2014"]),
    ("今年1月5日召开动员会，全年目标已分解", REVIEW_ISSUE, ["2014-01-05", "2014"]),
    ("截至2013年12月底，全年目标", dt.date(2014, 6, 20), ["2013-12-31", "2014"]),
    ("截至2013年6月底，全年目标", REVIEW_ISSUE, ["2013-06-30", "2014"]),  # mid-year figures prove no review
    ("今年1月，全县完成投资3亿元，占全年目标的8%", dt.date(2014, 2, 10), ["2014-01", "2014"]),
    # a stock as of last year's end quoted in a report on the new year's first months
    ("截至2013年底，全县共有企业500家。今年1-2月，新增企业30家，全年力争新增200家", dt.date(2014, 3, 10),
     ["2013-12-31", "2014-02", "2014"]),
])
def test_year_end_review(sentence, issue, expected):
    assert values(sentence, issue) == expected


@pytest.mark.parametrize("sentence", [
    "索引号 | zyxzfzyxzfbgs/2022-4992 |",  # an index number's year
    "根据邵政发〔2024〕115号文件",  # a document number's year
    "对连续 2 个月开展工作综合情况排名",  # a duration
    "做实 35-64 岁城乡适龄妇女",
    "上午10时召开，9:30签到",
    "电话：0739-5026059",
    "近年来，市人社局以巩固拓展脱贫攻坚成果",  # too vague to date
])
def test_not_dates(sentence):
    assert values(sentence) == []


def test_range_dates_and_precision():
    (d,) = find_dates("今年1—9月份,我县", dt.date(2013, 11, 15))
    assert (d.value, d.precision, d.start_date, d.end_date) == ("2013-09", "month", dt.date(2013, 1, 1), dt.date(2013, 9, 30))


def test_no_issue_date_gives_year_unknown():
    (d,) = find_dates("5月16日，市委常委", None)
    assert (d.value, d.year_unknown) == ("--05-16", True)
    assert find_dates("今年来，截至目前", None) == []


def test_sentence_spans():
    text = "他说：“好。”然后走了。提出“早建设；早见效”的要求。\n新的一行"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["他说：“好。”", "然后走了。", "提出“早建设；早见效”的要求。", "新的一行"]
