"""The store on a real SQLite file: schema and migrations, rows in = rows out, one copy per PDF,
re-extraction replacing rows in one transaction, Chinese full-text search, the filters, keyset
pagination, jobs that survive a restart, and the file opening in the sqlite-utils CLI."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from service import queries
from service.queries import BadParameter
from service import store as store_module
from service.store import Store
from service.synthetic import synthetic_extraction
from tests.conftest import sample_path


@pytest.fixture
def store(database):
    """A fresh store: every test that takes it runs on SQLite and on PostgreSQL."""
    s = Store.open(database)
    yield s
    s.close()


@pytest.fixture
def sqlite_store(tmp_path):
    s = Store.open(tmp_path / "bulletins.db")
    yield s
    s.close()


def _fill(store):
    docs = [synthetic_extraction(n, figures=40, seed=n) for n in (1, 2, 3)]
    for x in docs:
        store.save_extraction(x)
    return store, docs


@pytest.fixture
def filled(store):
    """Three synthetic bulletins (120 figures) stored through the real store (SQLite, PostgreSQL)."""
    return _fill(store)


@pytest.fixture
def sqlite_filled(sqlite_store):
    return _fill(sqlite_store)


def all_figures(docs):
    return [f for x in docs for f in x.figures]


def test_schema_wal_foreign_keys_indexes_and_migrations(sqlite_store):
    store = sqlite_store
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = set(store.db.table_names())
    assert {"documents", "blocks", "doc_tables", "figures", "dates", "entities", "entity_mentions", "pdfs", "jobs",
            "_migrations", "figures_fts", "dates_fts"} <= tables
    for table in ("blocks", "doc_tables", "figures", "dates", "entity_mentions"):
        assert "documents" in {fk.other_table for fk in store.db[table].foreign_keys}
    indexed = {tuple(i.columns) for i in store.db["figures"].indexes}
    for column in ("document_id", "unit", "kind", "place_code", "place", "date", "as_of", "issue_date", "value"):
        assert (column,) in indexed, column
    assert store.db["figures"].detect_fts() == "figures_fts"
    versions = [v for v, _, _ in store_module.MIGRATIONS]
    assert [r["version"] for r in store.db["_migrations"].rows] == versions
    again = Store.open(store.path)
    assert again.migrate() == []
    assert store.db["_migrations"].count == len(versions)
    again.close()


def test_a_database_of_an_older_schema_is_migrated(tmp_path):
    from service import store as store_module

    path = tmp_path / "old.db"
    old = Store(path, migrate=False)
    first = store_module.MIGRATIONS[:1]
    original, store_module.MIGRATIONS = store_module.MIGRATIONS, first
    try:
        assert old.migrate() == [1]
    finally:
        store_module.MIGRATIONS = original
    old.close()
    new = Store.open(path)
    assert [r["version"] for r in new.db["_migrations"].rows] == [v for v, _, _ in store_module.MIGRATIONS]
    assert "error_zh" in new.db["jobs"].columns_dict
    assert "confidence" in new.db["blocks"].columns_dict and "ocr" in new.db["documents"].columns_dict
    new.save_extraction(synthetic_extraction(1, figures=3))
    assert new.counts()["figures"] == 3
    new.close()


def test_synthetic_rows_in_equal_rows_out(filled):
    store, docs = filled
    assert store.counts()["documents"] == 3
    assert store.counts()["figures"] == 120
    assert store.counts()["dates"] == sum(len(x.dates) for x in docs)
    assert store.counts()["entity_mentions"] == sum(len(x.entities) for x in docs)
    first = docs[0].figures[0]
    row = store.conn.execute("SELECT text, value, unit, kind, place, place_code, as_of, page, start, [end], sentence "
                             "FROM figures WHERE document_id = 1 AND figure_index = 0").fetchone()
    assert row == (first.text, first.value, first.unit, first.kind.value, first.place, first.place_code,
                   first.as_of.isoformat(), first.page, first.start, first.end, first.sentence)
    # provenance: every figure's span points at its text in the stored clean text
    for doc_id, text in store.conn.execute("SELECT id, text FROM documents"):
        for t, start, end in store.conn.execute("SELECT text, start, [end] FROM figures WHERE document_id = ?",
                                                (doc_id,)):
            assert text[start:end] == t


def test_real_extraction_round_trip(store, extracted):
    data = sample_path("b").read_bytes()
    x = extracted("b")
    doc_id = store.save_extraction(x, data)
    doc = queries.get_document(store.conn, doc_id)
    assert doc["issuer"] == x.document.metadata.issuer
    assert doc["counts"] == {"blocks": len(x.blocks), "tables": len(x.tables), "figures": len(x.figures),
                             "dates": len(x.dates), "entities": len(x.entities)}
    assert store.conn.execute("SELECT text FROM documents").fetchone()[0] == x.text
    assert store.conn.execute("SELECT count(*) FROM blocks").fetchone()[0] == len(x.blocks)
    assert store.conn.execute("SELECT count(*) FROM figures").fetchone()[0] == len(x.figures)
    rows = json.loads(store.conn.execute("SELECT rows FROM doc_tables").fetchone()[0])
    assert rows == x.tables[0].rows
    assert store.pdf_bytes(x.document.sha256) == data


def test_the_same_pdf_is_stored_once(store, extracted):
    x = extracted("a")
    data = sample_path("a").read_bytes()
    first = store.save_extraction(x, data)
    second = store.save_extraction(x, data)
    assert first == second
    assert store.counts()["documents"] == 1
    assert store.counts()["blocks"] == len(x.blocks)
    assert store.conn.execute("SELECT count(*) FROM pdfs").fetchone()[0] == 1


def test_re_extraction_replaces_the_rows_in_one_transaction(filled):
    store, docs = filled
    old = docs[0]
    new = synthetic_extraction(1, figures=10, seed=99)
    new = new.model_copy(update={"document": old.document})  # same sha256: an upgraded extractor's result
    assert store.save_extraction(new) == 1
    assert store.conn.execute("SELECT count(*) FROM figures WHERE document_id = 1").fetchone()[0] == 10
    assert store.counts()["figures"] == 90
    assert queries.count(store.conn, "figures", {"document": "1", "q": new.figures[0].subject}) >= 1
    # entities no longer mentioned anywhere are gone; none is left without a mention
    assert store.conn.execute("SELECT count(*) FROM entities e WHERE NOT EXISTS "
                              "(SELECT 1 FROM entity_mentions m WHERE m.entity_id = e.id)").fetchone()[0] == 0

    # a failure half-way leaves the old rows as they were
    if store.dialect == "sqlite":
        store.conn.execute("CREATE TRIGGER boom BEFORE INSERT ON dates WHEN new.document_id = 1 "
                           "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END")
        error = sqlite3.IntegrityError
    else:
        store.conn.execute("CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                           "IF new.document_id = 1 THEN RAISE EXCEPTION 'disk trouble'; END IF; RETURN new; END $$")
        store.conn.execute("CREATE TRIGGER boom BEFORE INSERT ON dates FOR EACH ROW EXECUTE FUNCTION boom()")
        import psycopg

        error = psycopg.Error
    failing = synthetic_extraction(1, figures=5, seed=7).model_copy(update={"document": old.document})
    with pytest.raises(error, match="disk trouble"):
        store.save_extraction(failing)
    assert store.conn.execute("SELECT count(*) FROM figures WHERE document_id = 1").fetchone()[0] == 10
    assert queries.count(store.conn, "figures", {"document": "1"}) == 10
    assert not store.conn.in_transaction


@pytest.mark.parametrize("keyword", ["就业", "养老", "资金", "培训", "岳麓区", "新邵县", "中小学校", "适老化改造"])
def test_chinese_full_text_finds_what_the_sentences_hold(filled, keyword):
    store, docs = filled
    expected = sum(keyword in f.sentence or keyword in (f.subject or "") for f in all_figures(docs))
    assert expected > 0
    assert queries.count(store.conn, "figures", {"q": keyword}) == expected


def test_full_text_needs_every_word_and_handles_single_characters(filled):
    store, docs = filled
    both = sum("就业" in f.sentence and "新邵县" in f.sentence for f in all_figures(docs))
    assert queries.count(store.conn, "figures", {"q": "新邵县 就业"}) == both
    assert queries.count(store.conn, "figures", {"q": "就业新邵县"}) == both
    one_char = sum("户" in f.sentence for f in all_figures(docs))
    assert queries.count(store.conn, "figures", {"q": "户"}) == one_char
    assert queries.count(store.conn, "figures", {"q": "“就业”"}) == sum("就业" in f.sentence for f in all_figures(docs))


@pytest.mark.parametrize("q", ['"就业', "就业*", "养老 NEAR 服务", "就业 OR 养老", "NEAR(就业 养老)", "figures_fts:x",
                               "就业 AND", "(就业)", "^就业"])
def test_search_syntax_in_q_is_refused_with_a_message(filled, q):
    store, _ = filled
    with pytest.raises(BadParameter, match="^q: "):
        queries.search(store.conn, "figures", {"q": q})


def test_place_includes_everything_under_a_city_or_county(filled):
    store, docs = filled
    figures = all_figures(docs)
    under_city = sum(f.place_code.startswith("4305") for f in figures)
    under_county = sum(f.place_code.startswith("430522") for f in figures)
    assert under_county > sum(f.place == "新邵县" for f in figures) > 0  # 坪上镇 counts for 新邵县
    for value in ("邵阳市", "4305", "430500", "邵阳"):
        assert queries.count(store.conn, "figures", {"place": value}) == under_city, value
    for value in ("新邵县", "430522", "新邵"):
        assert queries.count(store.conn, "figures", {"place": value}) == under_county, value
    assert queries.count(store.conn, "figures", {"place": "430522106"}) == sum(f.place == "坪上镇" for f in figures)
    assert queries.count(store.conn, "entities", {"place": "邵阳市", "type": "PLACE"}) == len(
        {f.place for f in figures if f.place_code.startswith("4305")})


def test_filters_narrow_exactly(filled):
    store, docs = filled
    figures = all_figures(docs)
    issue = {f.sentence: x.document.metadata.issue_date for x in docs for f in x.figures}
    checks = {
        "unit=人": ({"unit": "人"}, lambda f: f.unit == "人"),
        "unit=人,户": ({"unit": "人,户"}, lambda f: f.unit in ("人", "户")),
        "kind": ({"kind": "money"}, lambda f: f.kind.value == "money"),
        "value range": ({"min_value": "1000", "max_value": "50000"}, lambda f: 1000 <= f.value <= 50000),
        "date range": ({"date_from": "2022-03", "date_to": "2022-06"},
                       lambda f: "2022-03-01" <= f.as_of.isoformat() <= "2022-06-30"),
        "as-of day": ({"as_of_from": "2022-02-10", "as_of_to": "2022-02-10"}, lambda f: f.as_of.isoformat() == "2022-02-10"),
        "is_total": ({"is_total": "true"}, lambda f: f.is_total),
        "keyword+county+unit": ({"q": "就业", "place": "新邵县", "unit": "人"},
                                lambda f: "就业" in f.sentence and f.place_code.startswith("430522") and f.unit == "人"),
    }
    for name, (params, keep) in checks.items():
        assert queries.count(store.conn, "figures", params) == sum(map(keep, figures)), name
    assert queries.count(store.conn, "figures", {"document": "2"}) == 40
    assert queries.count(store.conn, "figures", {"document": "1,3"}) == 80
    assert queries.count(store.conn, "figures", {"issuer": "工作专班"}) == 120
    assert queries.count(store.conn, "figures", {"issuer": "别的单位"}) == 0
    year = docs[0].document.metadata.issue_date.year
    assert queries.count(store.conn, "figures", {"issued_from": str(year), "issued_to": str(year)}) == sum(
        issue[f.sentence].year == year for f in figures)


def test_keyset_pagination_visits_every_row_once_in_order(filled):
    store, _ = filled
    for sort in ("id", "-id", "value", "-value", "date", "-issue_date"):
        seen, token, pages = [], None, 0
        while True:
            params = {"sort": sort, "limit": "17", "place": "邵阳市"}
            if token:
                params["next"] = token
            page = queries.search(store.conn, "figures", params)
            seen.extend(page.items)
            pages += 1
            token = page.next
            if not token:
                break
        assert len(seen) == len({r["id"] for r in seen}) == page.count
        key = {"id": "id", "value": "value", "date": "as_of", "issue_date": "issue_date"}[sort.lstrip("-")]
        values = [r[key] for r in seen]
        assert values == sorted(values, reverse=sort.startswith("-")), sort
    with pytest.raises(BadParameter, match="same sort"):
        queries.search(store.conn, "figures", {"sort": "value", "next": queries.search(
            store.conn, "figures", {"limit": "5"}).next})


@pytest.mark.parametrize("params, message", [
    ({"limit": "0"}, "limit"), ({"limit": "5000"}, "cap"), ({"min_value": "lots"}, "min_value"),
    ({"date_from": "2023-13-01"}, "date_from"), ({"kind": "money,apples"}, "apples"), ({"sort": "colour"}, "sort"),
    ({"next": "garbage!"}, "next"), ({"document": "one"}, "document"), ({"place": "12345"}, "place"),
    ({"q": "   "}, "q"), ({"is_total": "maybe"}, "is_total"), ({"facets": "colour"}, "facets"),
    ({"date_from": "2023-06", "date_to": "2023-01"}, "after"),
])
def test_malformed_filters_say_what_is_wrong(filled, params, message):
    store, _ = filled
    with pytest.raises(BadParameter, match=message):
        queries.search(store.conn, "figures", params)


def test_facets_count_the_filtered_rows(filled):
    store, docs = filled
    page = queries.search(store.conn, "figures", {"place": "邵阳市", "facets": "kind,unit,place,month"})
    for facet in ("kind", "unit", "place", "month"):
        assert sum(v["count"] for v in page.facets[facet]) == page.count
    units = {v["value"]: v["count"] for v in page.facets["unit"]}
    assert units["人"] == queries.count(store.conn, "figures", {"place": "邵阳市", "unit": "人"})


def test_entities_across_documents_and_deleting_a_document(filled):
    store, docs = filled
    page = queries.search(store.conn, "entities", {"type": "PERSON", "sort": "-mentions"})
    people = {e.normalized for x in docs for e in x.entities if e.type.value == "PERSON"}
    assert {r["name"] for r in page.items} == people
    top = page.items[0]
    entity = queries.get_entity(store.conn, top["id"])
    assert len(entity["mentions"]) == top["mention_count"]
    assert {m["document_id"] for m in entity["mentions"]} == {1, 2, 3}
    assert all(m["text"] == top["name"] for m in entity["mentions"])

    store.delete_document(2)
    assert store.counts()["figures"] == 80
    assert store.conn.execute("SELECT count(*) FROM entity_mentions WHERE document_id = 2").fetchone()[0] == 0
    assert queries.count(store.conn, "figures", {"q": "就业"}) == sum(
        "就业" in f.sentence for x in (docs[0], docs[2]) for f in x.figures)
    if store.dialect == "sqlite":  # PostgreSQL checks its foreign keys on every write
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_jobs_survive_a_restart_and_are_run_again_once(database):
    db = database
    with Store.open(db) as store:
        job, created = store.submit_job(kind="upload", sha256="ab" * 32, file_name="x.pdf", pdf=b"%PDF-1.7 ...")
        assert created and job["status"] == "queued"
        again, created = store.submit_job(kind="upload", sha256="ab" * 32, file_name="x.pdf", pdf=b"%PDF-1.7 ...")
        assert not created and again["id"] == job["id"]
        assert store.claim_job()["status"] == "running"
    with Store.open(db) as store:  # "restart"
        assert store.recover_jobs(max_attempts=2) == {"requeued": 1, "failed": 0}
        assert store.job(job["id"])["status"] == "queued"
        assert store.claim_job()["attempts"] == 2
    with Store.open(db) as store:
        assert store.recover_jobs(max_attempts=2) == {"requeued": 0, "failed": 1}
        failed = store.job(job["id"])
        assert failed["status"] == "failed" and "stopped during extraction" in failed["error"]


def test_the_file_opens_in_the_sqlite_utils_cli(sqlite_filled):
    store, docs = sqlite_filled
    cli = Path(sys.executable).with_name("sqlite-utils")
    run = subprocess.run([str(cli), "tables", str(store.path), "--counts"], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    counts = {t["table"]: t["count"] for t in json.loads(run.stdout)}
    assert counts["figures"] == 120
    # sqlite-utils finds the full-text index by itself (as Datasette does): a segmented word matches
    run = subprocess.run([str(cli), "search", str(store.path), "figures", "就业", "-c", "sentence"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert len(json.loads(run.stdout)) == sum("就业" in f.sentence for f in all_figures(docs))


def test_filters_with_index_tokens_agree_with_the_rows(filled):
    store, docs = filled
    figures = all_figures(docs)
    cases = [
        ({"unit": "户"}, lambda f: f.unit == "户"),
        ({"kind": "money,percent", "place": "邵阳市"}, lambda f: f.kind.value in ("money", "percent")
         and f.place_code.startswith("4305")),
        ({"date_from": "2022-02", "date_to": "2022-07"}, lambda f: "2022-02" <= f.as_of.isoformat()[:7] <= "2022-07"),
        ({"q": "完成", "date_from": "2022", "date_to": "2022", "is_total": "true"},
         lambda f: "完成" in f.sentence and f.as_of.year == 2022 and f.is_total),
        ({"q": "就业", "place": "坪上镇", "min_value": "100"},
         lambda f: "就业" in f.sentence and f.place == "坪上镇" and f.value >= 100),
    ]
    for params, keep in cases:
        expected = [f for f in figures if keep(f)]
        page = queries.search(store.conn, "figures", {**params, "limit": "1000"})
        assert page.count == len(page.items) == len(expected), params
        assert [r["text"] for r in page.items] == [f.text for f in expected], params  # in id (= stored) order


def test_counts_are_exact_up_to_the_cap(filled):
    store, _ = filled
    words = {"place": "邵阳市", "q": "推进"}  # words: counted over the rows, up to the cap
    capped = queries.search(store.conn, "figures", {**words, "limit": "5"}, count_cap=20)
    exact = queries.search(store.conn, "figures", {**words, "count": "exact"}, count_cap=20)
    assert capped.count == 20 and capped.count_exact is False
    assert exact.count_exact is True and exact.count == queries.count(store.conn, "figures", words) > 20
    assert queries.search(store.conn, "figures", {"count": "false"}).count is None


def test_a_count_the_planner_expects_far_past_the_cap_is_not_made_on_postgresql(filled, monkeypatch):
    """On PostgreSQL a capped count of words the planner expects ESTIMATE_MARGIN times past the cap
    is the cap, not exact ("10,000+"), as a counted one would be; SQLite counts (its index stops at
    the cap). A first page that holds every match, and count=exact, are always counted."""
    store, _ = filled
    words = {"place": "邵阳市", "q": "推进"}
    made = []
    count = queries._count
    monkeypatch.setattr(queries, "_count", lambda *a, **k: made.append(1) or count(*a, **k))
    monkeypatch.setattr(queries, "ESTIMATE_MARGIN", 0)
    capped = queries.search(store.conn, "figures", {**words, "limit": "5"}, count_cap=20)
    assert capped.count == 20 and capped.count_exact is False
    assert bool(made) == (store.dialect == "sqlite")
    exact = queries.search(store.conn, "figures", {**words, "count": "exact"}, count_cap=20)
    assert exact.count_exact and exact.count == queries.count(store.conn, "figures", words) > 20
    whole = queries.search(store.conn, "figures", {**words, "limit": "1000"}, count_cap=100)
    assert whole.count == len(whole.items) == exact.count and whole.count_exact
    monkeypatch.setattr(queries, "ESTIMATE_MARGIN", 10 ** 9)
    made.clear()
    assert queries.search(store.conn, "figures", {**words, "limit": "5"}, count_cap=20).count == 20 and made


def test_counts_and_facets_from_the_kept_counts_are_exact_past_the_cap(filled):
    store, docs = filled
    params = {"place": "邵阳市", "unit": "人", "facets": "kind,unit,place,month", "limit": "5"}
    page = queries.search(store.conn, "figures", params, count_cap=5)
    rows = list(queries.iter_rows(store.conn, "figures", params))
    assert page.count == len(rows) > 5 and page.count_exact and page.facets_exact
    months: dict = {}
    for r in rows:
        months[(r["as_of"] or r["issue_date"])[:7]] = months.get((r["as_of"] or r["issue_date"])[:7], 0) + 1
    assert {f["value"]: f["count"] for f in page.facets["month"]} == dict(sorted(
        months.items(), key=lambda kv: (-kv[1], kv[0]))[:queries.FACET_SIZE])
    # words: the facets are counted over the first count_cap matches and say so
    worded = queries.search(store.conn, "figures", {**params, "q": "推进"}, count_cap=5)
    assert not worded.facets_exact and sum(f["count"] for f in worded.facets["unit"]) == 5
    # deleting a document takes its figures out of the kept counts
    before = queries.count(store.conn, "figures", {"place": "邵阳市"})
    gone = sum(1 for f in docs[0].figures if (f.place_code or "").startswith("4305") or f.place == "邵阳市")
    store.delete_document(1)
    assert queries.count(store.conn, "figures", {"place": "邵阳市"}) == before - gone


@pytest.mark.parametrize("cap", [1000, 7])
@pytest.mark.parametrize("scan_cost", [queries.SCAN_COST, 0])
def test_facets_with_words_are_the_matches_own_counts_under_the_cap_on_both_stores(filled, monkeypatch, cap,
                                                                                   scan_cost):
    """Facets with words count the first ``cap`` matches (PostgreSQL: the GIN bitmap's rows as
    stored, or with SCAN_COST 0 a scan of the table, in one pass with the count). Under the cap:
    exact, the matches' own counts, the same on both stores; past it: the count is the cap (not
    exact), the facets a sample of cap rows."""
    store, _ = filled
    monkeypatch.setattr(queries, "SCAN_COST", scan_cost)
    words = {"q": "推进", "place": "邵阳市"}
    rows = list(queries.iter_rows(store.conn, "figures", words))
    made = []
    count = queries._count
    monkeypatch.setattr(queries, "_count", lambda *a, **k: made.append(1) or count(*a, **k))
    page = queries.search(store.conn, "figures", {**words, "facets": "kind,unit,place,month", "limit": "3"},
                          count_cap=cap)
    full = {"kind": [r["kind"] for r in rows], "unit": [r["unit"] for r in rows],
            "place": [r["place"] for r in rows], "month": [(r["as_of"] or r["issue_date"])[:7] for r in rows]}
    counted = {name: {f["value"]: f["count"] for f in page.facets[name]} for name in full}
    assert not made or store.dialect == "sqlite"  # PostgreSQL: the count is the facets' pass
    if store.dialect == "postgresql":  # the planner settings of the facets' statement are undone
        assert [store.conn.execute(f"SHOW {name}").fetchone()[0] for name in
                ("enable_indexscan", "enable_seqscan", "enable_bitmapscan")] == ["on", "on", "on"]
    if cap >= len(rows):
        assert page.count == len(rows) > 3 and page.count_exact and page.facets_exact
        for name, values in full.items():
            assert page.facets[name] == queries._facet_list(dict(Counter(values)))
    else:
        assert page.count == cap and not page.count_exact and not page.facets_exact
        for name, values in full.items():
            assert sum(counted[name].values()) == cap
            assert all(n <= Counter(values)[v] for v, n in counted[name].items())


def test_the_file_opens_in_datasette_with_its_full_text_search(sqlite_filled):
    store, docs = sqlite_filled
    datasette = pytest.importorskip("datasette.app")
    import asyncio

    async def ask():
        ds = datasette.Datasette([str(store.path)])
        await ds.invoke_startup()
        tables = (await ds.client.get(f"/{store.path.stem}.json")).json()["tables"]
        found = (await ds.client.get(f"/{store.path.stem}/figures.json?_search=就业&_shape=array&_col=sentence"
                                     "&_size=max")).json()
        return {t["name"]: t["fts_table"] for t in tables}, found

    fts, found = asyncio.run(ask())
    assert fts["figures"] == "figures_fts" and fts["dates"] == "dates_fts"
    assert len(found) == sum("就业" in f.sentence for f in all_figures(docs))


@pytest.fixture
def filled_with_gaps(filled):
    """The three bulletins and a fourth whose figures miss a value (every third) or an as-of date
    (every fourth: dated by the bulletin's issue date)."""
    store, docs = filled
    x = synthetic_extraction(4, figures=40, seed=4)
    x = x.model_copy(update={"figures": [f.model_copy(update={"value": None} if i % 3 == 0 else {"as_of": None}
                                                      if i % 4 == 1 else {}) for i, f in enumerate(x.figures)]})
    store.save_extraction(x)
    return store, [*docs, x]


def _every_page(store, params: dict) -> list[dict]:
    rows, token = [], None
    while True:
        page = queries.search(store.conn, "figures", {**params, "limit": "7", **({"next": token} if token else {})})
        rows.extend(page.items)
        token = page.next
        if not token:
            return rows


@pytest.mark.parametrize("params, keep", [
    ({"q": "推进", "sort": "-value"}, lambda f: "推进" in f.sentence),
    ({"q": "推进", "sort": "value"}, lambda f: "推进" in f.sentence),
    ({"q": "就业", "unit": "人", "min_value": "100", "max_value": "50000", "sort": "-value"},
     lambda f: "就业" in f.sentence and f.unit == "人" and f.value is not None and 100 <= f.value <= 50000),
    ({"q": "完成", "place": "邵阳市", "sort": "value"},
     lambda f: "完成" in f.sentence and (f.place_code or "").startswith("4305")),
])
def test_words_sorted_by_value_are_the_same_pages_walked_or_sorted(filled_with_gaps, monkeypatch, params, keep):
    """Common words walk the value index (WALK_SHARE 0), with a budget that fills every page (2,000
    rows) or few of them (9 rows: the others fall back); rare words have their matches sorted
    (WALK_SHARE 2): the same rows, pages and order, rows without a value last either way."""
    store, docs = filled_with_gaps
    expected = [f for x in docs for f in x.figures if keep(f)]
    walk, walked_pages = queries._value_walk, []

    def counted(*a, **k):
        rows = walk(*a, **k)
        walked_pages.append(rows is not None)
        return rows
    monkeypatch.setattr(queries, "_value_walk", counted)
    monkeypatch.setattr(queries, "WALK_SHARE", 2.0)
    sorted_rows = _every_page(store, params)
    assert not any(walked_pages)
    for budget in (2000, 9):
        walked_pages.clear()
        monkeypatch.setattr(queries, "WALK_SHARE", 0.0)
        monkeypatch.setattr(queries, "WALK_BUDGET", budget)
        assert _every_page(store, params) == sorted_rows, budget
        if budget == 2000:
            assert any(walked_pages)  # every page but the last walked
        else:
            assert not all(walked_pages)  # a budget too small for a page: that page is sorted
    walked = sorted_rows
    assert len(walked) == len({r["id"] for r in walked}) == len(expected) > 7
    desc = params["sort"].startswith("-")
    with_value = [r for r in walked if r["value"] is not None]
    assert walked[:len(with_value)] == with_value  # the rows without a value come last
    key = [(r["value"], r["id"]) for r in with_value]
    assert key == sorted(key, reverse=desc)
    if "min_value" not in params:
        assert len(with_value) < len(walked)


@pytest.mark.parametrize("as_of, keep", [
    (("2022", "2022"), lambda d: d is not None and d.year == 2022),
    (("2022-03", "2022-05"), lambda d: d is not None and "2022-03" <= d.isoformat()[:7] <= "2022-05"),
    (("2022-03-10", "2022-04-20"), lambda d: d is not None and "2022-03-10" <= d.isoformat() <= "2022-04-20"),
])
def test_words_and_as_of_dates_narrowed_by_the_date_tokens_are_exact(filled_with_gaps, as_of, keep):
    """Whole years or months of as-of dates are asked of the index as date tokens, and the column
    decides: a figure dated by its bulletin's issue date in the year is not an as-of match."""
    store, docs = filled_with_gaps
    params = {"q": "推进", "as_of_from": as_of[0], "as_of_to": as_of[1], "limit": "1000"}
    expected = [f for x in docs for f in x.figures if "推进" in f.sentence and keep(f.as_of)]
    page = queries.search(store.conn, "figures", params)
    assert page.count == len(page.items) == len(expected) > 0
    assert [r["text"] for r in page.items] == [f.text for f in expected]


@pytest.mark.parametrize("params", [
    {"q": "就业", "unit": "人", "min_value": "100", "max_value": "50000", "sort": "-value"},
    {"q": "完成", "unit": "人,户", "min_value": "10", "sort": "value"},
])
def test_a_walk_past_its_budget_goes_on_through_the_value_range_when_that_is_cheaper(filled_with_gaps, monkeypatch,
                                                                                       params):
    """A walk that spent its budget (9 rows) walks the rest of the unit's value range when that
    costs less than sorting the matches (WALK_COST 0: always): every page walked, the same pages."""
    store, _ = filled_with_gaps
    monkeypatch.setattr(queries, "WALK_SHARE", 2.0)
    sorted_rows = _every_page(store, params)
    walk, walked_pages = queries._value_walk, []
    monkeypatch.setattr(queries, "_value_walk", lambda *a, **k: walked_pages.append(walk(*a, **k)) or walked_pages[-1])
    monkeypatch.setattr(queries, "WALK_SHARE", 0.0)
    monkeypatch.setattr(queries, "WALK_BUDGET", 9)
    monkeypatch.setattr(queries, "WALK_COST", 0)
    assert _every_page(store, params) == sorted_rows and len(sorted_rows) > 14
    assert all(p is not None for p in walked_pages[:-1])  # every full page walked (the last is short)
    monkeypatch.setattr(queries, "RANGE_LIMIT", 3)  # a range too long to count: sorted
    walked_pages.clear()
    assert _every_page(store, params) == sorted_rows
    assert not all(p is not None for p in walked_pages[:-1])


def test_a_count_that_reads_rows_stops_at_a_bound_and_says_so(filled, monkeypatch):
    """Words with a value range: SQLite reads at most COUNT_READS matches to count; fewer passing
    than the cap with more matches left is a lower bound (count_exact false). PostgreSQL counts."""
    store, docs = filled
    params = {"q": "推进", "min_value": "1000", "limit": "3"}
    matches = [f for x in docs for f in x.figures if "推进" in f.sentence]
    passing = [f for f in matches if f.value is not None and f.value >= 1000]
    assert len(passing) > 3
    exact = queries.search(store.conn, "figures", params)
    assert exact.count == len(passing) and exact.count_exact
    monkeypatch.setattr(queries, "COUNT_READS", 30)
    bounded = queries.search(store.conn, "figures", params)
    if store.dialect == "sqlite":
        in_first = sum(1 for f in matches[:30] if f.value is not None and f.value >= 1000)
        assert bounded.count == in_first < len(passing) and bounded.count_exact is False
    else:
        assert bounded.count == len(passing) and bounded.count_exact
    monkeypatch.setattr(queries, "COUNT_READS", len(matches))  # every match read: exact
    assert queries.search(store.conn, "figures", params).count_exact


@pytest.mark.parametrize("params", [
    {"date_from": "2022-03", "date_to": "2022-05"}, {"date_from": "2022-03-10", "date_to": "2023-01-20", "sort": "-date"},
    {"q": "推进", "as_of_from": "2023", "as_of_to": "2023", "sort": "-id"}, {"date_from": "1990", "date_to": "1990"},
    {"date_from": "2022-06-15"}, {"q": "推进", "as_of_to": "2022-09"},
])
def test_date_ranges_read_within_their_id_band_are_every_row(filled_with_gaps, params):
    """On PostgreSQL a date range's page is read between the smallest and largest id of the range:
    every page, in order, the same rows as the columns say (an empty range: none)."""
    store, docs = filled_with_gaps
    lo = queries._date_bound(params, "date_from", False) or queries._date_bound(params, "as_of_from", False)
    hi = queries._date_bound(params, "date_to", True) or queries._date_bound(params, "as_of_to", True)
    def date(r):  # a figure's date: its as-of date, else its bulletin's issue date
        return r["as_of"] if "as_of_from" in params else r["as_of"] or r["issue_date"]
    rows = [r for r in queries.iter_rows(store.conn, "figures", {})
            if date(r) and (not lo or lo <= date(r)) and (not hi or date(r) < hi) and ("q" not in params or params["q"] in r["sentence"])]
    got = _every_page(store, params)
    assert sorted(r["id"] for r in got) == sorted(r["id"] for r in rows)
    key = (lambda r: (date(r), r["id"])) if params.get("sort") == "-date" else (lambda r: r["id"])
    assert got == sorted(got, key=key, reverse=params.get("sort", "").startswith("-"))
    assert (queries.search(store.conn, "figures", params).count or 0) == len(rows)
