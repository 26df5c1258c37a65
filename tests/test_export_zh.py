"""Exports for people (``headers=zh``, the web page's links): Chinese column headers and readable
values (金额, 人数, 是/否) in CSV (read back with the csv module), JSON Lines and XLSX (read back
with openpyxl: header, frozen pane, column widths, numbers as numbers with thousands separators, %
shown, dates as dates); Parquet with Chinese column names and its types kept. ``headers=en`` (the
default) stays the API's machine names."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from fastapi.testclient import TestClient

from service import labels
from service.api.main import create_app
from service.queries import RESOURCES
from service.settings import Settings
from service.synthetic import fill_store
from service.worker import InlinePool


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("export-zh") / "bulletins.db"
    fill_store(db, documents=3, figures=60)
    app = create_app(Settings(db=db, api_token="t"), pool=InlinePool(), announce=False)
    with TestClient(app) as c:
        yield c


def csv_rows(r) -> list[list[str]]:
    assert r.status_code == 200, r.text
    return list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))


def test_csv_in_chinese_has_chinese_headers_and_readable_values(client):
    rows = csv_rows(client.get("/api/v1/export/figures.csv", params={"headers": "zh", "bom": "true"}))
    header, body = rows[0], rows[1:]
    assert header[:7] == ["编号", "文件编号", "文中序号", "原文", "数值", "单位", "类别"]
    assert {"是否合计", "地区", "所在句子", "发布日期", "发文单位"} <= set(header)
    assert len(body) == len(rows) - 1 == int(client.get("/api/v1/figures").json()["count"])
    kinds = {row[header.index("类别")] for row in body}
    assert {"金额", "人数"} <= kinds and kinds <= set(labels.KINDS_ZH.values())
    assert {row[header.index("是否合计")] for row in body} == {"是", "否"}
    values = [row[header.index("数值")] for row in body]
    assert all(not v.endswith(".0") for v in values)  # 14687, not 14687.0
    en = csv_rows(client.get("/api/v1/export/figures.csv"))
    assert en[0] == RESOURCES["figures"].columns  # machine names stay the default
    assert {row[en[0].index("kind")] for row in en[1:]} <= set(labels.KINDS_ZH)
    assert {row[en[0].index("is_total")] for row in en[1:]} == {"True", "False"}
    # same rows, same order, in either language
    assert [row[0] for row in body] == [row[0] for row in en[1:]]


@pytest.mark.parametrize("resource, expected", [
    ("dates", {"规范日期": None, "精度": set(labels.PRECISIONS_ZH.values()), "年份由发布日期推定": {"是", "否"}}),
    ("entities", {"实体编号": None, "类型": {"人物", "地点", "机构"}, "提及次数": None}),
])
def test_dates_and_entities_in_chinese(client, resource, expected):
    rows = csv_rows(client.get(f"/api/v1/export/{resource}.csv", params={"headers": "zh"}))
    header = rows[0]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in name) for name in header), header
    for name, allowed in expected.items():
        assert name in header
        if allowed:
            assert {row[header.index(name)] for row in rows[1:]} <= allowed


def test_jsonl_and_parquet_in_chinese(client):
    import pyarrow.parquet as pq

    lines = client.get("/api/v1/export/figures.jsonl", params={"headers": "zh"}).text.splitlines()
    first = json.loads(lines[0])
    assert list(first)[:2] == ["编号", "文件编号"] and first["是否合计"] in ("是", "否")
    table = pq.read_table(io.BytesIO(client.get("/api/v1/export/figures.parquet", params={"headers": "zh"}).content))
    assert table.column_names[:2] == ["编号", "文件编号"]
    assert str(table.schema.field("数值").type) == "double" and str(table.schema.field("是否合计").type) == "bool"
    assert set(table.column("类别").to_pylist()) <= set(labels.KINDS_ZH.values())


def test_an_unknown_headers_value_is_a_400_in_both_languages(client):
    r = client.get("/api/v1/export/figures.csv", params={"headers": "fr"})
    assert r.status_code == 400 and "headers" in r.json()["error"] and "表头语言" in r.json()["error_zh"]


@pytest.fixture(scope="module")
def sheet(client):
    from openpyxl import load_workbook

    r = client.get("/api/v1/export/figures.xlsx", params={"headers": "zh"})
    assert r.status_code == 200
    return load_workbook(io.BytesIO(r.content)).active  # not read_only: widths and panes are read too


def test_xlsx_header_frozen_and_widths(sheet):
    from openpyxl.utils import get_column_letter

    header = [c.value for c in sheet[1]]
    assert header[:7] == ["编号", "文件编号", "文中序号", "原文", "数值", "单位", "类别"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.title == "数字" and sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    widths = {name: sheet.column_dimensions[get_column_letter(i)].width for i, name in enumerate(header, start=1)}
    for name, width in widths.items():
        assert width >= 2 * len(name), (name, width)  # a Chinese header fits (two columns a character)
    assert widths["所在句子"] >= 40 and widths["所在句子"] <= 80 and widths["所在句子"] > widths["单位"]


def test_xlsx_numbers_are_numbers_with_formats(sheet):
    header = [c.value for c in sheet[1]]
    col = {name: i for i, name in enumerate(header)}
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == sheet.max_row - 1 > 0
    seen_percent = seen_thousands = False
    for row in rows:
        value, unit = row[col["数值"]], row[col["单位"]].value
        assert isinstance(value.value, (int, float)) and not isinstance(value.value, bool)
        if unit == "%":
            assert value.number_format.endswith('"%"')
            seen_percent = True
        else:
            assert value.number_format.startswith("#,##0")
            seen_thousands |= value.value >= 1000
        assert isinstance(row[col["编号"]].value, int) and row[col["编号"]].number_format == "0"
        assert isinstance(row[col["页码"]].value, int)
        assert isinstance(row[col["发布日期"]].value, dt.datetime) and row[col["发布日期"]].number_format == "yyyy-mm-dd"
        assert row[col["是否合计"]].value in ("是", "否")
        assert row[col["类别"]].value in labels.KINDS_ZH.values()
        assert isinstance(row[col["行政区划代码"]].value, (str, type(None)))  # a code is text, never 4.3e11
    assert seen_percent and seen_thousands


def test_xlsx_in_english_keeps_machine_names_with_the_same_layout(client):
    from openpyxl import load_workbook

    r = client.get("/api/v1/export/dates.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws[1]] == RESOURCES["dates"].columns and ws.freeze_panes == "A2"
    col = [c.value for c in ws[1]].index("year_inferred")
    assert {row[col].value for row in ws.iter_rows(min_row=2)} <= {True, False}
