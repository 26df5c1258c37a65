"""Dates narrowed by their periods' month and year tokens, and entities' mention counts kept by
month (migration 5), on SQLite and PostgreSQL: the same rows as the columns say, kept in step
through writes, re-extraction and deletes, and the same after migrating an older store."""

from __future__ import annotations

import datetime as dt

import pytest

from models import DatePrecision
from service import queries
from service import store as store_module
from service.store import Store, period_tokens
from service.synthetic import synthetic_extraction

# (precision, start, end): a day, a month, a year, a season across the new year, a period past
# MAX_PERIOD_MONTHS (2021—2025年), a period that ends before it starts, a date with no start
PERIODS = [
    (DatePrecision.day, dt.date(2023, 5, 16), dt.date(2023, 5, 16)),
    (DatePrecision.month, dt.date(2023, 5, 1), dt.date(2023, 5, 31)),
    (DatePrecision.year, dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
    (DatePrecision.month, dt.date(2022, 11, 1), dt.date(2023, 2, 28)),
    (DatePrecision.year, dt.date(2021, 1, 1), dt.date(2025, 12, 31)),
    (DatePrecision.day, dt.date(2023, 6, 2), dt.date(2023, 4, 1)),
    (DatePrecision.day, None, None),
]


def _with_periods(doc_no: int):
    """A synthetic bulletin whose dates cycle through PERIODS (their sentences unchanged)."""
    x = synthetic_extraction(doc_no, figures=40, seed=doc_no)
    dates = [d.model_copy(update={"precision": p, "start_date": s, "end_date": e})
             for d, (p, s, e) in zip(x.dates, PERIODS * len(x.dates))]
    return x.model_copy(update={"dates": dates})


@pytest.fixture
def store(database):
    s = Store.open(database)
    docs = [_with_periods(n) for n in (1, 2, 3)]
    for x in docs:
        s.save_extraction(x)
    yield s, docs
    s.close()


def test_period_tokens_cover_every_month_and_year_a_period_overlaps():
    assert period_tokens("2023-05-16", "2023-05-16") == " zzm202305 zzy2023"
    assert period_tokens("2022-11-01", "2023-02-28") == " zzm202211 zzm202212 zzm202301 zzm202302 zzy2022 zzy2023"
    assert period_tokens("2023-01-01", "2023-12-31").count(" zzm2023") == 12
    assert period_tokens("2021-01-01", "2025-12-31") == " zzmlong"
    assert period_tokens("2023-06-02", "2023-04-01") == " zzm202306 zzy2023"  # an end before the start: the start
    assert period_tokens("2023-06-02", None) == " zzm202306 zzy2023"
    assert period_tokens(None, None) == ""


@pytest.mark.parametrize("date_from, date_to", [
    ("2023-05", "2023-05"), ("2023", "2023"), ("2022-12", "2023-01"), ("2023-02", "2023-06"),
    ("2024", "2024"), ("2021-03", "2021-03"), ("2023-05-10", "2023-05-20"), ("2020", "2026"),
])
@pytest.mark.parametrize("q", [None, "推进", "就业"])
def test_dates_of_whole_months_narrowed_by_the_period_tokens_are_exact(store, date_from, date_to, q):
    """Whole months or years of dates are asked of the index as the period tokens, and the columns
    decide: the same rows as the overlap of the periods with the range, in id order."""
    s, docs = store
    lo, hi = queries._date_bound({"f": date_from}, "f", False), queries._date_bound({"t": date_to}, "t", True)
    expected = [d for x in docs for d in x.dates if d.start_date and (not q or q in d.sentence)
                and (d.end_date or d.start_date).isoformat() >= lo and d.start_date.isoformat() < hi]
    params = {"date_from": date_from, "date_to": date_to, "limit": "1000", **({"q": q} if q else {})}
    page = queries.search(s.conn, "dates", params)
    assert page.count == len(page.items) == len(expected) > 0
    assert [(r["document_id"], r["date_index"]) for r in page.items] == [
        (n, i) for n, x in enumerate(docs, 1) for i, d in enumerate(x.dates) if d in expected]


def _mentions(s, entity_id: int) -> tuple[int, int]:
    return tuple(s.conn.execute("SELECT count(*), count(DISTINCT document_id) FROM entity_mentions WHERE entity_id = ?",
                                (entity_id,)).fetchone())


def _entities_agree_with_their_mentions(s) -> None:
    page = queries.search(s.conn, "entities", {"limit": "1000", "sort": "-mentions"})
    assert page.items
    for row in page.items:
        assert (row["mention_count"], row["document_count"]) == _mentions(s, row["id"])
    assert [r["mention_count"] for r in page.items] == sorted((r["mention_count"] for r in page.items), reverse=True)
    kept = s.conn.execute("SELECT count(*) FROM entity_months WHERE mentions <= 0 OR documents <= 0").fetchone()[0]
    assert kept == 0


def test_entity_counts_are_kept_in_step_through_writes_re_extraction_and_deletes(store):
    s, docs = store
    _entities_agree_with_their_mentions(s)
    fewer = docs[1].model_copy(update={"entities": docs[1].entities[:7]})  # the same PDF extracted again
    s.save_extraction(fewer)
    _entities_agree_with_their_mentions(s)
    s.delete_document(3)
    _entities_agree_with_their_mentions(s)
    assert s.conn.execute("SELECT count(*) FROM entity_months c WHERE NOT EXISTS (SELECT 1 FROM entities e "
                          "WHERE e.id = c.entity_id)").fetchone()[0] == 0


@pytest.mark.parametrize("params", [
    {"issued_from": "2023", "issued_to": "2023"}, {"issued_from": "2022-06", "issued_to": "2023-03"},
    {"issued_from": "2023"}, {"issued_to": "2022-12"}, {"issued_from": "2022-03-05", "issued_to": "2023-07-20"},
    {"issued_from": "2022", "issued_to": "2024", "document": "2"}, {"min_mentions": "20"},
])
@pytest.mark.parametrize("entity_type", [None, "PERSON", "ORG"])
def test_entities_issued_in_whole_months_from_the_kept_counts_are_exact(store, params, entity_type):
    """The kept counts by month answer whole months of issue dates; any other filter of the
    mentions (a day, a document) reads the mentions: the same entities as the mentions say."""
    s, docs = store
    lo = queries._date_bound(params, "issued_from", False) or ""
    hi = queries._date_bound(params, "issued_to", True) or "9999"
    ids = set()
    for row in s.conn.execute("SELECT m.entity_id, m.document_id, m.issue_date, e.type FROM entity_mentions m "
                              "JOIN entities e ON e.id = m.entity_id").fetchall():
        if lo <= row[2] < hi and (entity_type in (None, row[3])) and str(row[1]) in params.get("document", str(row[1])):
            ids.add(row[0])
    if "min_mentions" in params:
        ids = {i for i in ids if _mentions(s, i)[0] >= int(params["min_mentions"])}
    page = queries.search(s.conn, "entities", {**params, "limit": "1000", **({"type": entity_type} if entity_type
                                                                              else {})})
    assert {r["id"] for r in page.items} == ids
    assert page.count == len(ids)


def test_migration_5_gives_an_older_store_the_rows_a_new_one_writes(store):
    """A store of version 4 (dates without period tokens, no kept entity counts) migrated: the same
    search text and counts as written fresh."""
    s, _ = store
    fresh_text = s.conn.execute("SELECT id, search_text FROM dates ORDER BY id").fetchall()
    fresh_counts = s.conn.execute("SELECT * FROM entity_months ORDER BY entity_id, month").fetchall()
    with s.write() as c:
        for row_id, text in fresh_text:
            c.execute("UPDATE dates SET search_text = ? WHERE id = ?", (text.split(" zz")[0], row_id))
        c.execute("DROP TABLE entity_months")
        c.execute("DELETE FROM _migrations WHERE version = 5")
        if s.dialect == "postgresql":
            c.execute("DROP FUNCTION period_tokens")
    assert s.migrate() == [5]
    assert s.conn.execute("SELECT id, search_text FROM dates ORDER BY id").fetchall() == fresh_text
    assert s.conn.execute("SELECT * FROM entity_months ORDER BY entity_id, month").fetchall() == fresh_counts
    page = queries.search(s.conn, "dates", {"q": "推进", "date_from": "2023", "date_to": "2023"})
    assert page.count > 0


def test_postgresql_period_tokens_are_the_stores_own(pg_server):
    """The PostgreSQL function the migration and the benchmark use writes the same tokens."""
    from service.store_postgres import PostgresStore

    pg = PostgresStore(pg_server.create_database("tperiods"))
    try:
        cases = [(None, None), ("2023-05-16", None), ("2023-06-02", "2023-04-01"), ("0999-12-01", "1000-01-31")]
        day = dt.date(2019, 1, 1)
        for n in range(0, 60 * 31, 17):
            start = day + dt.timedelta(days=n * 3)
            cases.append((start.isoformat(), (start + dt.timedelta(days=n)).isoformat()))
        for start, end in cases:
            got = pg.conn.execute("SELECT period_tokens(?, ?)", (start, end)).fetchone()[0]
            assert got == period_tokens(start, end), (start, end)
        assert any(period_tokens(*c) == " zzmlong" for c in cases)
    finally:
        pg.close()
