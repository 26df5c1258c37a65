"""Every date filter takes a date as people type it — 2023年, 2023年5月, 2023-05, 2023-05-16,
2023年5月16日, 2023/5/16 (and 2023.5.16, full-width digits) — and finds exactly what the ISO form
finds; a date that is not one, or does not exist, is a 400 that says which forms are accepted."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from service.api.main import create_app
from service.queries import BadParameter, _date_bound, parse_date
from service.settings import Settings
from service.synthetic import fill_store
from service.worker import InlinePool

# typed → the ISO form it means
TYPED = {
    "2022年": "2022",
    "2022年5月": "2022-05",
    "2022年05月": "2022-05",
    "2022-05": "2022-05",
    "2022-5": "2022-05",
    "2022/5": "2022-05",
    "2022-05-16": "2022-05-16",
    "2022年5月16日": "2022-05-16",
    "2022年5月16号": "2022-05-16",
    "2022/5/16": "2022-05-16",
    "2022.5.16": "2022-05-16",
    "２０２２年５月": "2022-05",
    " 2022 年 5 月 ": "2022-05",
}


@pytest.mark.parametrize("typed, iso", TYPED.items())
def test_each_typed_form_is_the_iso_bound(typed, iso):
    for upper in (False, True):
        assert _date_bound({"d": typed}, "d", upper) == _date_bound({"d": iso}, "d", upper)


def test_bounds_cover_the_whole_year_month_or_day():
    assert parse_date("2023年") == (dt.date(2023, 1, 1), "year")
    assert _date_bound({"d": "2023年"}, "d", True) == "2024-01-01"
    assert _date_bound({"d": "2023年12月"}, "d", True) == "2024-01-01"
    assert _date_bound({"d": "2024年2月29日"}, "d", True) == "2024-03-01"
    assert _date_bound({"d": "9999年12月"}, "d", True) > "9999-12-31"


@pytest.mark.parametrize("bad", ["去年", "2023年13月", "2023-02-30", "23年5月", "2023-05/16", "2023年5", "5月16日"])
def test_what_is_not_a_date_is_refused(bad):
    with pytest.raises(BadParameter) as e:
        _date_bound({"date_from": bad}, "date_from", False)
    assert "date_from" in str(e.value) and "起始日期" in e.value.zh and "2023年5月" in e.value.zh


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("dates") / "bulletins.db"
    fill_store(db, documents=4, figures=80)
    app = create_app(Settings(db=db, api_token="t"), pool=InlinePool(), announce=False)
    with TestClient(app) as c:
        yield c


def count(client, resource: str, params: dict) -> int:
    r = client.get(f"/api/v1/{resource}", params={**params, "count": "exact"})
    assert r.status_code == 200, r.text
    return r.json()["count"]


FILTERS = {
    "figures": ["date", "as_of", "issued"],
    "dates": ["date", "issued"],
    "entities": ["issued"],
}


@pytest.mark.parametrize("resource, name", [(r, n) for r, names in FILTERS.items() for n in names])
@pytest.mark.parametrize("typed_from, typed_to", [
    ("2022年", "2022年"),
    ("2022年3月", "2022年6月"),
    ("2022-03", "2022/6/30"),
    ("2022年3月1日", "2022年10月3日"),
])
def test_every_date_filter_of_the_api_takes_the_typed_forms(client, resource, name, typed_from, typed_to):
    typed = {f"{name}_from": typed_from, f"{name}_to": typed_to}
    last_day = dt.date.fromisoformat(_date_bound({"v": typed_to}, "v", True)) - dt.timedelta(days=1)
    iso = {f"{name}_from": _date_bound({"v": typed_from}, "v", False), f"{name}_to": last_day.isoformat()}
    assert count(client, resource, typed) == count(client, resource, iso)
    if resource == "figures" and name in ("date", "issued"):
        assert count(client, resource, typed) > 0  # the synthetic bulletins are of 2022: something is found


def test_exports_take_them_too(client):
    r = client.get("/api/v1/export/figures.csv", params={"date_from": "2022年3月", "date_to": "2022年6月"})
    iso = client.get("/api/v1/export/figures.csv", params={"date_from": "2022-03-01", "date_to": "2022-06-30"})
    assert r.status_code == 200 and r.content == iso.content and r.headers["x-row-count"] != "0"
