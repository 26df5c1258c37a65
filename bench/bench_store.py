"""Search latency as users see it: every query shape the API and the web page offer, through HTTP,
on a store of 10⁶ (or 10⁷) figures, with queries drawn from the store's own rows.

    python bench/bench_store.py [--figures 1000000] [--db /work/bench-data/store-1m.db] [--runs 60]
    python bench/bench_store.py --figures 10000000 --db /work/bench-data/store-10m.db
    python bench/bench_store.py --db postgresql:///bench?host=/tmp/pg --from /work/bench-data/store-1m.db
    python bench/bench_store.py --figures 10000000 --db postgresql:///bench10m?host=/tmp/pg
        --from /work/bench-data/store-1m.db --same-as /work/bench-data/store-10m.db

The SQLite store is built once and kept at --db for the next run: 100 synthetic bulletins of 200
figures each go through the real store (``Store.save_extraction``: segmentation, full-text index,
indexes), then copies of them are made in SQL, each copy's dates shifted by 13 more days, until
there are --figures figures: without journal, secondary indexes and full-text triggers, which are
made once over all the rows at the end. A PostgreSQL --db is loaded from the SQLite store given by
--from (the same rows, COPY) and grown on the server to --figures by the same copies (same ids and
dates); --same-as compares a sample of its rows with a SQLite store's.

Each query is drawn from a random stored figure (its words, its county, its city, its unit, its
year, its value), so it matches at least that row; the number that came back empty is printed per
shape all the same. Every request goes through a real HTTP server (uvicorn on a free port, httpx
with keep-alive), the first page of 50 with its count, as the web page asks; p50 and p95 per shape.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.store import Store, open_store, period_tokens, query_words  # noqa: E402
from service.synthetic import synthetic_extraction  # noqa: E402

PER_DOC = 200
SEED_DOCS = 100
MENTION_SHARE = 0.2  # one figure in five has its date and entity mentions stored (keeps 10⁷ buildable)
FIGURE_COPY_COLUMNS = ["figure_index", "text", "value", "unit", "kind", "qualifier", "low", "high", "subject", "place",
                       "place_code", "is_total", "table_index", "table_row", "table_col", "page", "start", "end",
                       "sentence"]
DATE_COPY_COLUMNS = ["date_index", "text", "precision", "year_inferred", "year_unknown", "page", "start", "end",
                     "sentence"]
MENTION_COPY_COLUMNS = ["entity_id", "mention_index", "text", "title", "page", "start", "end", "sentence"]
CITY_NAMES = {"4305": "邵阳市", "4301": "长沙市"}
TIMEOUT_S = 60.0


# ---------------------------------------------------------------- building the store

def build(db: Path, figures: int) -> float:
    """SEED_DOCS synthetic bulletins through the real store, then copies made in SQL (documents,
    figures, and their dates and mentions), each copy's dates shifted, until there are ``figures``."""
    store = Store.open(db)
    started = time.perf_counter()
    docs = store.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    for n in range(docs, SEED_DOCS):
        store.save_extraction(synthetic_extraction(n, figures=PER_DOC, seed=n, mentions=MENTION_SHARE))
    have = store.conn.execute("SELECT count(*) FROM figures").fetchone()[0]
    if have >= figures:
        store.close()
        return 0.0
    copy = store.conn.execute("SELECT count(*) FROM documents").fetchone()[0] // SEED_DOCS
    # The copies are test data, not the product path: written with no journal and no fsync, without
    # the secondary indexes and full-text triggers, which are made once over all the rows afterwards
    # (a sort per index instead of 10⁷ B-tree inserts each).
    deferred = _defer_indexes(store)
    store.conn.create_function("period_tokens", 2, period_tokens, deterministic=True)
    # the seed documents' rows come first: a rowid range, not a scan of the copies made so far
    last = {t: store.conn.execute(f"SELECT ifnull(max(id), 0) FROM [{t}] WHERE document_id <= {SEED_DOCS}").fetchone()[0]
            for t in BULK_TABLES}
    fcols, fsrc, dcols, dsrc, mcols, msrc = _copy_columns("[{}]")
    while have < figures:
        shift = f"'+{copy * 13} days'"
        offset = copy * SEED_DOCS
        with store.write() as c:
            c.execute("INSERT INTO documents (sha256, file_name, page_count, status, title, issue_number, issuer,"
                      " issue_date, extractor_version, schema_version, metadata, pages, text, block_count, table_count,"
                      " figure_count, date_count, entity_count, created_at, updated_at)"
                      f" SELECT sha256 || '-{copy}', file_name, page_count, status, title, issue_number, issuer,"
                      f" date(issue_date, {shift}), extractor_version, schema_version, metadata, pages, text,"
                      " block_count, table_count, figure_count, date_count, entity_count, created_at, updated_at"
                      f" FROM documents WHERE id <= {SEED_DOCS} ORDER BY id")
            # the search text ends with the date's month and year tokens (18 characters): shifted too
            new_date = f"date(f.date, {shift})"
            search = (f"CASE WHEN f.date IS NULL THEN f.search_text ELSE substr(f.search_text, 1, "
                      f"length(f.search_text) - 18) || ' zzm' || strftime('%Y%m', {new_date}) || ' zzy' || "
                      f"strftime('%Y', {new_date}) END")
            c.execute(f"INSERT INTO figures (document_id, {fcols}, as_of, issue_date, date, search_text)"
                      f" SELECT f.document_id + {offset}, {fsrc}, date(f.as_of, {shift}),"
                      f" date(f.issue_date, {shift}), {new_date}, {search} FROM figures f"
                      f" WHERE f.id <= {last['figures']} ORDER BY f.id")
            # the dates' search text ends with their periods' tokens (store.period_tokens): made again
            c.execute(f"INSERT INTO dates (document_id, {dcols}, value, start_date, end_date, issue_date, search_text)"
                      f" SELECT t.document_id + {offset}, {dsrc}, date(t.value, {shift}), date(t.start_date, {shift}),"
                      f" date(t.end_date, {shift}), date(t.issue_date, {shift}), substr(t.search_text, 1,"
                      f" length(t.search_text) - length(period_tokens(t.start_date, t.end_date)))"
                      f" || period_tokens(date(t.start_date, {shift}), date(t.end_date, {shift})) FROM dates t"
                      f" WHERE t.id <= {last['dates']} ORDER BY t.id")
            c.execute(f"INSERT INTO entity_mentions (document_id, {mcols}, issue_date)"
                      f" SELECT m.document_id + {offset}, {msrc}, date(m.issue_date, {shift}) FROM entity_mentions m"
                      f" WHERE m.id <= {last['entity_mentions']} ORDER BY m.id")
        have += SEED_DOCS * PER_DOC
        copy += 1
        if copy % 50 == 0:
            print(f"  built {have:,} figures ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    _restore_indexes(store, deferred, started)
    store.finish_bulk_load()
    store.close()
    return time.perf_counter() - started


BULK_TABLES = ("figures", "dates", "entity_mentions")


def _copy_columns(quoted: str) -> list[str]:
    """The copied columns of figures, dates and mentions, each as a target list and as a source list
    (f., t., m.), quoted the dialect's way ("[{}]" or '"{}"')."""
    out = []
    for alias, columns in (("f", FIGURE_COPY_COLUMNS), ("t", DATE_COPY_COLUMNS), ("m", MENTION_COPY_COLUMNS)):
        out.append(", ".join(quoted.format(c) for c in columns))
        out.append(", ".join(f"{alias}." + quoted.format(c) for c in columns))
    return out


def _defer_indexes(store) -> list[str]:
    """Drop the copied tables' secondary indexes and full-text triggers (their SQL is returned, to
    make them again), and turn journal and fsync off for the copies."""
    c = store.conn
    marks = ",".join("?" * len(BULK_TABLES))
    deferred = [r[0] for r in c.execute(
        f"SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY type, name", BULK_TABLES)]
    for kind, name in c.execute(f"SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger') "
                                f"AND sql IS NOT NULL AND tbl_name IN ({marks})", BULK_TABLES).fetchall():
        c.execute(f"DROP {kind.upper()} [{name}]")
    c.execute("PRAGMA journal_mode = OFF")
    c.execute("PRAGMA synchronous = OFF")
    c.execute("PRAGMA foreign_keys = OFF")
    c.execute("PRAGMA cache_size = -1048576")  # 1 GB: the index sorts
    return deferred


def _restore_indexes(store, deferred: list[str], started: float) -> None:
    """The indexes and triggers made again over all the rows, the full-text indexes rebuilt from
    their tables, and the store back to its own journal (WAL) and settings."""
    c = store.conn
    for sql in deferred:
        c.execute(sql)
        print(f"  {sql[:70]}… ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    for table in ("figures", "dates"):
        c.execute(f"INSERT INTO [{table}_fts] ([{table}_fts]) VALUES ('rebuild')")
        print(f"  {table}_fts rebuilt ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    c.execute("PRAGMA journal_mode = WAL")
    c.execute("PRAGMA synchronous = NORMAL")
    c.execute("PRAGMA foreign_keys = ON")


def extend_postgres(url: str, figures: int) -> float:
    """A PostgreSQL store loaded from a SQLite one (``--from``), grown on the server to ``figures``
    by the copies ``build`` makes, in SQL: copy k of the seed rows has ids seed id + k × (seed rows),
    documents and dates shifted by 13 × k days, as SQLite numbers and shifts them, so both stores
    hold the same rows (``same_rows`` checks a sample). No copy goes through Python or COPY: the
    10⁷ load is INSERT … SELECT without the indexes and foreign-key triggers, then the indexes."""
    from service.store_postgres import PostgresStore

    started = time.perf_counter()
    pg = PostgresStore(url, migrate=False)
    c = pg.conn
    have = c.execute("SELECT count(*) FROM figures").fetchone()[0]
    if have >= figures:
        pg.close()
        return 0.0
    copy = c.execute("SELECT count(*) FROM documents").fetchone()[0] // SEED_DOCS
    last = {t: c.execute(f"SELECT max(id) FROM {t} WHERE document_id <= {SEED_DOCS}").fetchone()[0] for t in BULK_TABLES}
    indexes = c.execute("SELECT indexdef, indexname FROM pg_indexes WHERE tablename IN ('figures', 'dates', "
                        "'entity_mentions') AND indexname NOT LIKE '%pkey'").fetchall()
    for _, name in indexes:
        c.execute(f'DROP INDEX "{name}"')

    def shifted(column: str) -> str:
        return f"to_char({column}::date + k * 13, 'YYYY-MM-DD')"

    fcols, fsrc, dcols, dsrc, mcols, msrc = _copy_columns('"{}"')
    new_date = shifted("f.date")
    search = (f"CASE WHEN f.date IS NULL THEN f.search_text ELSE left(f.search_text, length(f.search_text) - 18) "
              f"|| ' zzm' || to_char(f.date::date + k * 13, 'YYYYMM') || ' zzy' || to_char(f.date::date + k * 13, 'YYYY') END")
    batch = 25  # copies (500,000 figures) a transaction
    while have < figures:
        last_copy = copy + min(batch, -(-(figures - have) // (SEED_DOCS * PER_DOC))) - 1
        series = f"generate_series({copy}, {last_copy}) AS k"
        with pg.write():
            c.execute("SET LOCAL session_replication_role = replica")  # no foreign-key triggers: the ids are known
            c.execute("INSERT INTO documents (id, sha256, file_name, page_count, status, title, issue_number, issuer,"
                      " issue_date, extractor_version, schema_version, metadata, pages, text, block_count, table_count,"
                      " figure_count, date_count, entity_count, created_at, updated_at)"
                      f" SELECT id + k * {SEED_DOCS}, sha256 || '-' || k, file_name, page_count, status, title,"
                      f" issue_number, issuer, {shifted('issue_date')}, extractor_version, schema_version, metadata,"
                      " pages, text, block_count, table_count, figure_count, date_count, entity_count, created_at,"
                      f" updated_at FROM documents, {series} WHERE id <= {SEED_DOCS} ORDER BY k, id")
            c.execute(f"INSERT INTO figures (id, document_id, {fcols}, as_of, issue_date, date, search_text)"
                      f" SELECT f.id + k * {last['figures']}, f.document_id + k * {SEED_DOCS}, {fsrc},"
                      f" {shifted('f.as_of')}, {shifted('f.issue_date')}, {new_date}, {search}"
                      f" FROM figures f, {series} WHERE f.id <= {last['figures']} ORDER BY k, f.id")
            c.execute(f"INSERT INTO dates (id, document_id, {dcols}, value, start_date, end_date, issue_date,"
                      f" search_text) SELECT t.id + k * {last['dates']}, t.document_id + k * {SEED_DOCS}, {dsrc},"
                      f" {shifted('t.value')}, {shifted('t.start_date')}, {shifted('t.end_date')},"
                      f" {shifted('t.issue_date')}, left(t.search_text, length(t.search_text) -"
                      f" length(period_tokens(t.start_date, t.end_date)))"
                      f" || period_tokens({shifted('t.start_date')}, {shifted('t.end_date')})"
                      f" FROM dates t, {series} WHERE t.id <= {last['dates']} ORDER BY k, t.id")
            c.execute(f"INSERT INTO entity_mentions (id, document_id, {mcols}, issue_date)"
                      f" SELECT m.id + k * {last['entity_mentions']}, m.document_id + k * {SEED_DOCS}, {msrc},"
                      f" {shifted('m.issue_date')} FROM entity_mentions m, {series}"
                      f" WHERE m.id <= {last['entity_mentions']} ORDER BY k, m.id")
        have += (last_copy - copy + 1) * SEED_DOCS * PER_DOC
        copy = last_copy + 1
        print(f"  built {have:,} figures ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    for table in ("documents", *BULK_TABLES):
        c.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    for definition, name in indexes:
        c.execute(definition)
        print(f"  {name} ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    pg.finish_bulk_load()
    pg.close()
    return time.perf_counter() - started


SAME_COLUMNS = {"figures": ["document_id", "value", "unit", "kind", "place", "place_code", "as_of", "issue_date", "date",
                            "sentence", "search_text"],
                "dates": ["document_id", "value", "start_date", "end_date", "issue_date", "search_text"],
                "entity_mentions": ["document_id", "entity_id", "issue_date", "text"],
                "documents": ["sha256", "issue_date"]}


def same_rows(sqlite_db: Path, url: str, sample: int = 500, seed: int = 3) -> int:
    """How many of ``sample`` random rows of each table differ between the two stores (0: the same)."""
    import sqlite3

    from service.store_postgres import PostgresStore

    rng = random.Random(seed)
    src = sqlite3.connect(str(sqlite_db))
    pg = PostgresStore(url, migrate=False)
    differ = 0
    for table, cols in SAME_COLUMNS.items():
        top = src.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
        assert top == pg.conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0], table
        names = ", ".join(f"[{x}]" for x in cols)
        for _ in range(sample):
            i = rng.randint(1, top)
            a = src.execute(f"SELECT {names} FROM {table} WHERE id = ?", (i,)).fetchone()
            b = pg.conn.execute(f"SELECT {names} FROM {table} WHERE id = ?", (i,)).fetchone()
            differ += (tuple(a) if a else None) != (tuple(b) if b else None)
    src.close()
    pg.close()
    return differ


# ---------------------------------------------------------------- queries drawn from the rows

class Sampler:
    """Random stored rows and the queries a user who had read them would ask."""

    def __init__(self, store, rng: random.Random):
        self.store, self.rng = store, rng
        c = store.conn
        self.max_figure = c.execute("SELECT max(id) FROM figures").fetchone()[0]
        self.max_date = c.execute("SELECT max(id) FROM dates").fetchone()[0] or 0
        self.entities = [tuple(r) for r in c.execute("SELECT id, type, name FROM entities ORDER BY id")]

    def figure(self) -> dict:
        while True:
            row = self.store.conn.execute(
                "SELECT id, sentence, subject, unit, kind, place, place_code, value, as_of, date, issue_date "
                "FROM figures WHERE id = ?", (self.rng.randint(1, self.max_figure),)).fetchone()
            if row is not None:
                keys = ("id", "sentence", "subject", "unit", "kind", "place", "place_code", "value", "as_of", "date",
                        "issue_date")
                return dict(zip(keys, row))

    def word(self, text: str) -> str:
        words = [w for w in query_words(text) if len(w) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in w)]
        return self.rng.choice(words)

    def county_figure(self) -> dict:
        while True:
            f = self.figure()
            if f["place_code"] and len(f["place_code"]) >= 6:
                return f

    def date_row(self) -> dict:
        while True:
            row = self.store.conn.execute("SELECT id, sentence, start_date FROM dates WHERE id = ?",
                                          (self.rng.randint(1, self.max_date),)).fetchone()
            if row is not None and row[2]:
                return {"sentence": row[1], "start_date": row[2]}


def _months(iso: str, before: int, after: int) -> tuple[str, str]:
    y, m = int(iso[:4]), int(iso[5:7])
    lo, hi = y * 12 + m - 1 - before, y * 12 + m - 1 + after
    return f"{lo // 12:04d}-{lo % 12 + 1:02d}", f"{hi // 12:04d}-{hi % 12 + 1:02d}"


def _value_range(value: float) -> tuple[str, str]:
    return f"{value * 0.5:g}", f"{value * 2:g}"


def shape_queries(s: Sampler) -> dict[str, tuple[str, dict]]:
    """One query of every shape (endpoint, parameters), each drawn from a stored row."""
    out: dict[str, tuple[str, dict]] = {}
    f = s.county_figure()
    out["keyword + county"] = ("figures", {"q": s.word(f["sentence"]), "place": f["place"]})
    f = s.county_figure()
    out["keyword + city + unit"] = ("figures", {"q": s.word(f["sentence"]), "place": CITY_NAMES.get(
        f["place_code"][:4], f["place_code"][:4]), "unit": f["unit"]})
    f = s.figure()
    while not f["as_of"]:
        f = s.figure()
    out["keyword + one year of as-of dates"] = ("figures", {"q": s.word(f["sentence"]), "as_of_from": f["as_of"][:4],
                                                            "as_of_to": f["as_of"][:4]})
    f = s.figure()
    lo, hi = _value_range(f["value"])
    out["keyword + unit + value range, by value"] = ("figures", {"q": s.word(f["sentence"]), "unit": f["unit"],
                                                                 "min_value": lo, "max_value": hi, "sort": "-value"})
    f = s.figure()
    lo, hi = _value_range(f["value"])
    out["unit + value range, by value (no keyword)"] = ("figures", {"unit": f["unit"], "min_value": lo,
                                                                    "max_value": hi, "sort": "-value"})
    f = s.county_figure()
    out["keyword + county + 4 facets"] = ("figures", {"q": s.word(f["sentence"]), "place": f["place"],
                                                      "facets": "kind,unit,place,month"})
    f = s.county_figure()
    out["city + 4 facets (no keyword)"] = ("figures", {"place": CITY_NAMES.get(f["place_code"][:4], f["place_code"][:4]),
                                                       "facets": "kind,unit,place,month"})
    f = s.figure()
    lo, hi = _months(f["date"], 1, 1)
    out["3 months of dates (no keyword)"] = ("figures", {"date_from": lo, "date_to": hi})
    f = s.county_figure()
    lo, hi = _months(f["date"], 0, 0)
    out["county + month, by date"] = ("figures", {"place": f["place"], "date_from": lo, "date_to": hi,
                                                  "sort": "-date"})
    f = s.figure()
    out["keyword, by value, page 3"] = ("figures", {"q": s.word(f["sentence"]), "sort": "-value", "_pages": 3})
    d = s.date_row()
    lo, hi = _months(d["start_date"], 0, 0)
    out["dates: keyword + month"] = ("dates", {"q": s.word(d["sentence"]), "date_from": lo, "date_to": hi})
    eid, etype, name = s.rng.choice(s.entities)
    out["entities: name"] = ("entities", {"q": name[: max(2, len(name) - 1)]})
    year = s.figure()["issue_date"][:4]
    out["entities: type + issued in a year"] = ("entities", {"type": etype, "issued_from": year, "issued_to": year,
                                                             "sort": "-mentions"})
    out["entity page (mentions)"] = (f"entities/{eid}", {})
    return out


# ---------------------------------------------------------------- the HTTP server

def serve(db: str):
    """The real API (uvicorn, its own thread) on a free port; returns (base URL, stop)."""
    import uvicorn

    from service.api.main import create_app
    from service.settings import Settings
    from service.worker import InlinePool

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(Settings(db=db, api_token="bench"), pool=InlinePool(), announce=False)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():  # its start-up failed (the error is printed above)
            raise SystemExit(f"the API server did not start on {db}")
        time.sleep(0.05)

    def stop():
        server.should_exit = True
        thread.join(10)

    return f"http://127.0.0.1:{port}/api/v1/", stop


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run_shapes(db: str, runs: int, seed: int = 7, only: list[str] | None = None) -> dict[str, dict]:
    import httpx

    store = open_store(db, migrate=False)
    sampler = Sampler(store, random.Random(seed))
    base, stop = serve(db)
    results: dict[str, dict] = {}
    try:
        with httpx.Client(base_url=base, timeout=TIMEOUT_S) as client:
            def request(path: str, params: dict) -> tuple[dict, float]:
                params = dict(params)
                pages = params.pop("_pages", 1)
                try:
                    for _ in range(pages - 1):  # the pages before, for their next tokens
                        body = client.get(path, params=params).json()
                        if body.get("next"):
                            params["next"] = body["next"]
                    started = time.perf_counter()
                    r = client.get(path, params=params)
                except httpx.TimeoutException:  # counted, at the timeout, and shown as such
                    return {"timeout": True}, TIMEOUT_S * 1000
                ms = (time.perf_counter() - started) * 1000
                if r.status_code != 200:
                    raise SystemExit(f"{path} {params}: HTTP {r.status_code} {r.text[:300]}")
                return r.json(), ms

            for _ in range(3):  # warm the caches
                for name, (path, params) in shape_queries(sampler).items():
                    if not only or any(o in name for o in only):
                        request(path, params)
            for _ in range(runs):
                for name, (path, params) in shape_queries(sampler).items():
                    if only and not any(o in name for o in only):
                        continue  # drawn all the same: each shape gets the queries of a full run
                    body, ms = request(path, params)
                    r = results.setdefault(name, {"ms": [], "empty": 0, "counts": [], "timeouts": 0,
                                                  "example": (path, params)})
                    r["ms"].append(ms)
                    if body.get("timeout"):
                        r["timeouts"] += 1
                        continue
                    n = len(body.get("items", body.get("mentions", [])))
                    r["empty"] += n == 0
                    r["counts"].append(body.get("count") if body.get("count") is not None else n)
    finally:
        stop()
        store.close()
    return results


def print_table(results: dict[str, dict], runs: int) -> None:
    print(f"| shape | p50 | p95 | empty of {runs} | median matches |")
    print("|---|---:|---:|---:|---:|")
    for name, r in results.items():
        late = f" ({r['timeouts']} over {TIMEOUT_S:.0f} s)" if r["timeouts"] else ""
        counts = [c for c in r["counts"] if c is not None] or [0]
        print(f"| {name} | {percentile(r['ms'], 50):,.0f} ms | {percentile(r['ms'], 95):,.0f} ms{late} | {r['empty']} "
              f"| {int(statistics.median(counts)):,} |")
    every = [t for r in results.values() for t in r["ms"]]
    print(f"| **every shape** | {percentile(every, 50):,.0f} ms | {percentile(every, 95):,.0f} ms | "
          f"{sum(r['empty'] for r in results.values())} | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--figures", type=int, default=1_000_000)
    parser.add_argument("--db", default="/work/bench-data/store-1m.db",
                        help="a SQLite file (built when missing or short) or a postgresql:// URL")
    parser.add_argument("--from", dest="source", type=Path,
                        help="for a PostgreSQL --db: the SQLite store to load it from (when it is empty)")
    parser.add_argument("--same-as", type=Path, help="for a PostgreSQL --db: the SQLite store it must equal "
                        "(a sample of rows compared)")
    parser.add_argument("--runs", type=int, default=60, help="queries of each shape")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--shapes", help="only the shapes whose names contain one of these (comma-separated), "
                        "e.g. 'dates:,entities: type'; the queries are the same as in a full run")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.db.startswith("postgresql"):
        from service.store_postgres import load_from_sqlite

        seconds = load_from_sqlite(args.db, args.source) if args.source else 0.0
        seconds += extend_postgres(args.db, args.figures)
        if args.same_as:
            print(f"rows that differ from {args.same_as} (of 500 random rows a table): "
                  f"{same_rows(args.same_as, args.db)}", flush=True)
    else:
        Path(args.db).parent.mkdir(parents=True, exist_ok=True)
        seconds = build(Path(args.db), args.figures)
    with open_store(args.db, migrate=False) as store:
        total = store.conn.execute("SELECT count(*) FROM figures").fetchone()[0]
        size = store.size_bytes()
    print(f"store: {args.db}: {total:,} figures, {size / 1e6:,.0f} MB"
          + (f" (built in {seconds:,.0f} s)" if seconds > 5 else ""), flush=True)
    if args.build_only:
        return
    results = run_shapes(args.db, args.runs, only=args.shapes.split(",") if args.shapes else None)
    print(f"through HTTP (uvicorn + httpx), first page of 50 with its count, {args.runs} queries a shape drawn "
          f"from the store's rows ({time.perf_counter() - started:,.0f} s in all):")
    print_table(results, args.runs)


if __name__ == "__main__":
    main()
