"""Exports through the API honour the search's filters: the CSV's rows equal the search's count
(with or without a BOM for Excel), JSONL, XLSX (opened with openpyxl), Parquet (pyarrow), and the
whole database file."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from fastapi.testclient import TestClient

from service.api.main import create_app
from service.settings import Settings
from service.synthetic import fill_store
from service.worker import InlinePool

FILTERS = [
    {},
    {"q": "就业"},
    {"place": "邵阳市", "unit": "人"},
    {"q": "资金", "date_from": "2022-01", "date_to": "2022-12", "sort": "-value"},
]


@pytest.fixture(scope="module")
def client(module_database):
    db = module_database  # every test here runs on SQLite and on PostgreSQL
    fill_store(db, documents=3, figures=60)
    app = create_app(Settings(db=db, api_token="t"), pool=InlinePool(), announce=False)
    with TestClient(app) as c:
        yield c


def search_count(client, resource, params) -> int:
    return client.get(f"/api/v1/{resource}", params=params).json()["count"]


@pytest.mark.parametrize("params", FILTERS)
def test_csv_rows_equal_the_search_count(client, params):
    r = client.get("/api/v1/export/figures.csv", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"))))
    count = search_count(client, "figures", params)
    assert len(rows) == count == int(r.headers["x-row-count"])
    page = client.get("/api/v1/figures", params={**params, "limit": 1000}).json()
    assert [int(row["id"]) for row in rows] == [item["id"] for item in page["items"]]  # same order too


def test_csv_with_a_bom_for_excel(client):
    r = client.get("/api/v1/export/figures.csv", params={"bom": "true", "q": "养老"})
    assert r.content.startswith("\ufeff".encode("utf-8"))
    assert r.content.count("\ufeff".encode("utf-8")) == 1
    text = r.content.decode("utf-8-sig")
    assert text.startswith("id,document_id") and "养老" in text
    assert not client.get("/api/v1/export/figures.csv").content.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("resource", ["figures", "entities", "dates"])
def test_jsonl_rows_equal_the_search_count(client, resource):
    params = {"figures": {"unit": "人"}, "entities": {"type": "PLACE"}, "dates": {"date_from": "2022-04"}}[resource]
    r = client.get(f"/api/v1/export/{resource}.jsonl", params=params)
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert len(rows) == search_count(client, resource, params) > 0


def test_xlsx_opens_with_openpyxl(client):
    from openpyxl import load_workbook

    params = {"place": "新邵县"}
    r = client.get("/api/v1/export/figures.xlsx", params=params)
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "document_id", "figure_index")
    assert len(rows) - 1 == search_count(client, "figures", params) > 0
    places = {row[rows[0].index("place")] for row in rows[1:]}
    assert places <= {"新邵县", "坪上镇"}
    entities = load_workbook(io.BytesIO(client.get("/api/v1/export/entities.xlsx").content), read_only=True).active
    assert len(list(entities.iter_rows())) - 1 == search_count(client, "entities", {})


def test_parquet_has_the_rows_and_types(client):
    import pyarrow.parquet as pq

    params = {"q": "就业", "place": "邵阳市"}
    r = client.get("/api/v1/export/figures.parquet", params=params)
    table = pq.read_table(io.BytesIO(r.content))
    assert table.num_rows == search_count(client, "figures", params) > 0
    assert str(table.schema.field("value").type) == "double"
    assert str(table.schema.field("is_total").type) == "bool"
    assert all("就业" in s for s in table.column("sentence").to_pylist())


def test_the_whole_database_file(client, tmp_path, module_database):
    r = client.get("/api/v1/export/database")
    if str(module_database).startswith("postgresql://"):  # no file to send: a clear error that says what to use
        assert r.status_code == 400 and "pg_dump" in r.json()["error"]
        return
    assert r.status_code == 200
    path = tmp_path / "copy.db"
    path.write_bytes(r.content)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM figures").fetchone()[0] == search_count(client, "figures", {})
    conn.close()


def test_an_export_with_a_bad_filter_is_a_400_before_anything_is_sent(client):
    r = client.get("/api/v1/export/figures.csv", params={"min_value": "many"})
    body = r.json()
    assert r.status_code == 400 and body == {"ok": False, "error": body["error"], "error_zh": body["error_zh"],
                                             "status": 400}
    assert "min_value" in body["error"] and "最小数值" in body["error_zh"]
