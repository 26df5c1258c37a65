"""Searching through the API on a real store: figures by a Chinese keyword, by county (a city's
counties included), by unit, by date range, with facets and keyset pages; entities with their
mentions across documents; dates."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.api.main import create_app
from service.settings import Settings
from service.synthetic import fill_store
from service.worker import InlinePool


@pytest.fixture(scope="module")
def setup(module_database):
    db = module_database  # every test here runs on SQLite and on PostgreSQL
    docs = fill_store(db, documents=4, figures=50)
    app = create_app(Settings(db=db, api_token="t"), pool=InlinePool(), announce=False)
    with TestClient(app) as client:
        yield client, docs


def figures(docs):
    return [f for x in docs for f in x.figures]


def get(client, path, **params):
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_figures_by_chinese_keyword(setup):
    client, docs = setup
    body = get(client, "/api/v1/figures", q="就业")
    expected = [f for f in figures(docs) if "就业" in f.sentence]
    assert body["ok"] is True and body["count"] == len(expected) > 0
    assert all("就业" in r["sentence"] for r in body["items"])
    row = body["items"][0]
    for key in ("document_id", "page", "start", "end", "sentence", "text", "value", "unit", "place_code"):
        assert key in row  # provenance with every row


def test_figures_by_county_and_by_a_city_including_its_counties(setup):
    client, docs = setup
    city = get(client, "/api/v1/figures", place="邵阳市", limit=1000)
    assert city["count"] == sum(f.place_code.startswith("4305") for f in figures(docs))
    assert {"新邵县", "坪上镇", "隆回县", "邵阳市"} <= {r["place"] for r in city["items"]}
    assert "长沙市" not in {r["place"] for r in city["items"]}
    county = get(client, "/api/v1/figures", place="新邵县", limit=1000)
    assert {r["place"] for r in county["items"]} == {"新邵县", "坪上镇"}
    assert get(client, "/api/v1/figures", place="430522")["count"] == county["count"]
    assert get(client, "/api/v1/figures", place="430500")["count"] == city["count"]


def test_figures_by_unit_and_by_date_range(setup):
    client, docs = setup
    assert get(client, "/api/v1/figures", unit="人")["count"] == sum(f.unit == "人" for f in figures(docs))
    body = get(client, "/api/v1/figures", date_from="2022-02-01", date_to="2022-05-31", limit=1000)
    expected = sum("2022-02-01" <= f.as_of.isoformat() <= "2022-05-31" for f in figures(docs))
    assert body["count"] == expected > 0
    assert all("2022-02-01" <= r["as_of"] <= "2022-05-31" for r in body["items"])
    both = get(client, "/api/v1/figures", q="就业", place="邵阳市", unit="人", date_from="2022")
    assert both["count"] == sum("就业" in f.sentence and f.place_code.startswith("4305") and f.unit == "人"
                                and f.as_of.year >= 2022 for f in figures(docs))


def test_keyset_pages_with_next_url_and_facets(setup):
    client, docs = setup
    first = get(client, "/api/v1/figures", sort="-value", limit=30, facets="kind,unit,place,month")
    assert first["count"] == 200 and len(first["items"]) == 30 and first["next"]
    assert sum(f["count"] for f in first["facets"]["unit"]) == 200
    seen = list(first["items"])
    url = first["next_url"]
    while url:
        page = client.get(url).json()
        seen.extend(page["items"])
        url = page["next_url"]
    assert len({r["id"] for r in seen}) == 200
    values = [r["value"] for r in seen]
    assert values == sorted(values, reverse=True)


def test_entities_and_their_mentions_across_documents(setup):
    client, docs = setup
    people = get(client, "/api/v1/entities", type="PERSON", sort="-mentions")
    assert people["count"] == len({e.normalized for x in docs for e in x.entities if e.type.value == "PERSON"})
    top = people["items"][0]
    one = get(client, f"/api/v1/entities/{top['id']}")
    assert one["name"] == top["name"] and len(one["mentions"]) == top["mention_count"]
    assert len({m["document_id"] for m in one["mentions"]}) == top["document_count"] == 4
    places = get(client, "/api/v1/entities", type="PLACE", place="新邵县")
    assert {r["name"] for r in places["items"]} == {"新邵县", "坪上镇"}
    assert get(client, "/api/v1/entities", q="人社")["items"][0]["name"] == "市人社局"
    assert client.get("/api/v1/entities/99999").status_code == 404


def test_dates_with_filters(setup):
    client, docs = setup
    all_dates = [d for x in docs for d in x.dates]
    body = get(client, "/api/v1/dates", date_from="2022-03", date_to="2022-03")
    assert body["count"] == sum(d.start_date.isoformat().startswith("2022-03") for d in all_dates) > 0
    assert get(client, "/api/v1/dates", q="养老")["count"] == sum("养老" in d.sentence for d in all_dates)
    assert get(client, "/api/v1/dates", document=2)["count"] == len(docs[1].dates)
