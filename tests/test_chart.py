"""What a chart point is (service/chart.py), on bulletins written for it and read by the real extractor
(``extractor.items.extract_items``): a county's total with its parts, a year's target, a plan, a month's
figure beside the cumulative one, growth rates, averages and percentages. No point may exceed the largest
figure behind it, no target is drawn, percentages are never summed; and the /chart page says its rule,
names its places and lists each point's figure with its sentence."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

import pytest
from fastapi.testclient import TestClient

from models import Block, BlockKind, Document, DocumentStatus, Extraction, Metadata, PageInfo
from service import queries
from service.api.main import create_app
from service.chart import chart_points, classify
from service.settings import Settings
from service.store import Store
from tests.test_web import NoPool

MAY = """【项目建设】
截至2023年5月底，隆回县累计完成固定资产投资12.6亿元，其中工业投资5.2亿元、基础设施投资4.1亿元、民生项目投资3.3亿元。隆回县全年目标投资30亿元，隆回县5月当月完成投资2.4亿元，同比增长12.5%，完成年度目标的42%。
截至5月底，新宁县累计完成固定资产投资9.8亿元，其中工业投资4.5亿元、基础设施投资5.3亿元；新宁县计划全年完成投资25亿元，力争完成投资28亿元，完成率39.2%。
城步苗族自治县1至5月完成固定资产投资6.1亿元，平均每月投资1.22亿元。
【就业】
隆回县城镇调查失业率为5.1%，就业困难人员就业率为96.2%，新宁县城镇调查失业率为4.8%。"""
JUNE = """【项目建设】
截至2023年6月底，隆回县累计完成固定资产投资15.1亿元，其中工业投资6.0亿元、基础设施投资5.0亿元。隆回县6月当月完成投资2.5亿元。"""
# the same May figures again in a later issue (a correction): the later issue is drawn, not both added
MAY_AGAIN = """【项目建设】
截至2023年5月底，隆回县累计完成固定资产投资12.8亿元，其中工业投资5.2亿元。"""
YI = 100_000_000


def yi(v: float) -> float:
    """亿元 → 元, as the extractor computes it (12.6亿 → 1260000000.0)."""
    return round(v * YI)


def bulletin(text: str, issue_date: dt.date, number: int) -> Extraction:
    from extractor.items import extract_items

    lines = text.split("\n")
    blocks, at = [], 0
    for i, line in enumerate(lines):
        kind = BlockKind.section_heading if line.startswith("【") else BlockKind.paragraph
        blocks.append(Block(id=i, kind=kind, section="项目建设", text=line, page_start=1, page_end=1,
                            start=at, end=at + len(line)))
        at += len(line) + 1
    figures, dates = extract_items(text, issue_date=issue_date, city="邵阳市", blocks=blocks)
    meta = Metadata(title="重点项目建设简报", issue_number=number, issuer="邵阳市重点项目建设指挥部", issue_date=issue_date)
    return Extraction(
        document=Document(sha256=hashlib.sha256(text.encode()).hexdigest(), file_name=f"项目简报第{number}期.pdf",
                          page_count=1, status=DocumentStatus.ok, metadata=meta, extractor_version="test"),
        pages=[PageInfo(page=1, width=595.0, height=842.0, start=0, end=len(text), has_text=True)],
        text=text, blocks=blocks, tables=[], furniture=[], figures=figures, dates=dates)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("chart") / "bulletins.db"
    with Store.open(path) as store:
        store.save_extraction(bulletin(MAY, dt.date(2023, 6, 5), 5))
        store.save_extraction(bulletin(JUNE, dt.date(2023, 7, 5), 6))
        store.save_extraction(bulletin(MAY_AGAIN, dt.date(2023, 6, 20), 7))
    return path


def rows(db, **params) -> list[dict]:
    with Store.open(db) as store:
        return list(queries.iter_rows(store.conn, "figures", params))


def by_value(rs: list[dict]) -> dict[float, dict]:
    return {round(r["value"] / YI, 2) if r["unit"] == "元" else r["value"]: r for r in rs}


def test_the_extractor_gives_the_chart_what_it_needs(db):
    """The bulletin is read as written: a total with its parts at the county, the target too (so that
    adding them up, as the old chart did, is possible and would be wrong)."""
    may = [r for r in rows(db, unit="元", place="隆回县") if r["issue_date"] == "2023-06-05"]
    values = by_value(may)
    assert {12.6, 5.2, 4.1, 3.3, 30.0, 2.4} <= set(values)
    assert sum(r["value"] for r in may) > 2.5 * yi(12.6)  # what a 合计 of the county's figures drew


def test_each_figure_is_classified(db):
    values = by_value(rows(db, unit="元") + rows(db, unit="%"))
    nature = {v: classify(r).nature for v, r in values.items()}
    assert nature[30.0] == nature[25.0] == nature[28.0] == "target"  # 目标, 计划, 力争
    assert nature[12.6] == nature[9.8] == nature[6.1] == nature[5.2] == "cumulative"  # 累计, 截至, 1至5月
    assert nature[2.4] == nature[2.5] == "period"  # 5月当月
    assert nature[12.5] == "change" and nature[1.22] == "average"
    assert nature[42.0] != "target"  # 完成年度目标的42% is an achievement, not a target
    assert classify({"text": "19%", "sentence": "全县共筛查7800人，已超出原计划完成人数19%。"}).nature == "change"
    # from bulletins the rules were not written on (devset/more 53, sample a)
    assert classify({"text": "20.2%", "sentence": "完成投资1.17亿元，占年度投资目标20.2%。"}).nature != "target"
    assert classify({"text": "100个", "sentence": "目标任务:建设村级文化大院100个。"}).nature == "target"
    assert classify({"text": "8182万元", "sentence": "争取省统筹协作资金8182万元,累计达1.506亿元。"}).nature != "target"
    assert classify({"text": "0.5个百分点", "sentence": "增长5.8%,增速比全省平均水平高0.5个百分点。"}).nature == "change"
    assert classify({"text": "10万人", "sentence": "参观人数超过10万人。"}).nature == "period"
    assert classify(values[12.6]).total and classify(values[9.8]).total  # …亿元，其中…
    assert not classify(values[5.2]).total


def test_no_point_exceeds_the_largest_figure_behind_it(db):
    money = rows(db, unit="元")
    chart = chart_points(money, "county")
    assert chart.basis == "cumulative" and chart.points
    points = {p["label"]: p for p in chart.points}
    assert set(points) == {"隆回县", "新宁县", "城步苗族自治县"}  # names, never 430524
    for label, p in points.items():
        behind = [r["value"] for r in money if r["place"] == label]
        assert p["value"] <= max(behind), label
        assert p["value"] in behind  # a point is a figure the bulletin says
        assert p["figure"]["id"] in {r["id"] for r in money}
    # 隆回县: the latest month's cumulative total (June, 15.1亿), not May's parts, targets or the sum
    assert points["隆回县"]["value"] == yi(15.1) and points["隆回县"]["period"] == "2023-06"
    assert points["新宁县"]["value"] == yi(9.8)  # the total, not 4.5 + 5.3, not the 25亿 plan
    assert points["城步苗族自治县"]["value"] == yi(6.1)
    drawn = {p["figure"]["id"] for p in chart.points}
    left = {r["id"] for r in chart.left_out}
    assert drawn | left == {r["id"] for r in money} and not drawn & left  # every figure accounted for
    reasons = {round(r["value"] / YI, 2): r["reason"] for r in chart.left_out}
    assert "目标" in reasons[30.0] and "目标" in reasons[25.0] and "目标" in reasons[28.0]
    assert "同一份简报已取 12.6亿元" in {r["reason"] for r in chart.left_out if r["value"] == yi(4.1)}  # a part


def test_percentages_are_never_summed(db):
    pct = rows(db, unit="%")
    chart = chart_points(pct, "county")
    assert chart.points
    for p in chart.points:
        behind = [r["value"] for r in pct if r["place"] == p["label"]]
        assert p["value"] in behind and p["value"] <= max(behind) <= 100
    # 失业率 alone: one figure a county, as written
    unemployment = chart_points(rows(db, unit="%", q="失业率"), "county")
    assert {p["label"]: p["value"] for p in unemployment.points} == {"隆回县": 5.1, "新宁县": 4.8}
    assert all(p["value"] != 12.5 for p in chart.points)  # a growth rate is not a level


def test_over_time_one_place_one_figure_a_month_the_latest_issue(db):
    chart = chart_points(rows(db, unit="元"), "time", place="隆回")
    assert chart.place == "隆回县" and chart.basis == "cumulative"
    assert [(p["key"], p["value"]) for p in chart.points] == [("2023-05", yi(12.8)), ("2023-06", yi(15.1))]
    # May was reported twice (issues 5 and 7): the later issue's 12.8亿 is drawn, 12.6亿 is listed
    assert any(r["value"] == yi(12.6) and "12.8亿元" in r["reason"] for r in chart.left_out)
    period = chart_points(rows(db, unit="元"), "time", place="隆回县", basis="period")
    assert [(p["key"], p["value"]) for p in period.points] == [("2023-05", yi(2.4)), ("2023-06", yi(2.5))]


def test_the_chart_page_states_its_rule_and_lists_the_figures_behind_each_point(db):
    app = create_app(Settings(db=db, api_token="t", workers=1), pool=NoPool(), announce=False)
    with TestClient(app) as client:
        html = client.get("/chart", params={"q": "投资", "unit": "元"}).text
        rule = re.search(r'<p class="rule" id="chart-rule">(.*?)</p>', html).group(1)
        assert "不做相加" in rule and "目标" in rule and "百分比" in rule and "\n" not in rule
        points = json.loads(re.search(r'id="chart-data">(.*?)</script>', html, re.S).group(1))
        assert points and not any(re.fullmatch(r"\d{6}", p["label"]) for p in points)
        table = re.search(r'<table class="grid chart-table[^"]*" id="chart-table">(.*?)</table>', html, re.S).group(1)
        ids = re.findall(r'<tr data-id="(\d+)">', table)
        assert ids == [str(p["figure"]["id"]) for p in points]
        for p in points:
            assert f'href="/figures/{p["figure"]["id"]}"' in table
            assert f'<mark class="hl hl-figure">{p["figure"]["text"]}</mark>' in table  # its sentence
        assert "未画入的数字" in html and "目标、计划数" in html
        for bad in ("agg=sum", "合计</option>"):
            assert bad not in html
        over_time = client.get("/chart", params={"q": "投资", "unit": "元", "mode": "time", "place": "隆回县"}).text
        months = json.loads(re.search(r'id="chart-data">(.*?)</script>', over_time, re.S).group(1))
        assert [p["key"] for p in months] == ["2023-05", "2023-06"] and "隆回县每月取" in over_time
