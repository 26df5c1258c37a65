"""Search latency on a big store: keyword + filter queries over ≥ 1,000,000 synthetic figures.

    python bench/bench_store.py [--figures 1000000] [--db /tmp/bulletin-bench/store.db] [--runs 200]

The database is built once and kept at --db for the next run: 100 synthetic bulletins of 200
figures each go through the real store (``Store.save_extraction`` of ``Extraction``s shaped like
real ones: places under 邵阳市 and 长沙市 with their codes, units, kinds, as-of dates, jieba-segmented
full text), then copies of them are made in SQL (through the same FTS triggers and indexes), each
copy's dates shifted by 13 more days, until there are --figures figures. Then each query shape runs --runs
times with varied keywords and filters, as the API runs it (the first page of 50 and the total
count), and p50/p95 are printed per shape and overall; then the same through HTTP (TestClient).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service import queries  # noqa: E402
from service.store import Store  # noqa: E402
from service.synthetic import synthetic_extraction  # noqa: E402

PER_DOC = 200
KEYWORDS = ["就业", "养老", "资金", "培训", "农田", "住房", "医保", "儿童", "道路", "学校"]
COUNTIES = ["新邵县", "邵阳县", "隆回县", "武冈市", "北塔区", "430522", "430524", "浏阳市"]
CITIES = ["邵阳市", "长沙市", "4305"]
UNITS = ["人", "元", "户", "个", "%", "公里", "亩", "套"]


SEED_DOCS = 100
FIGURE_COPY_COLUMNS = ["figure_index", "text", "value", "unit", "kind", "qualifier", "low", "high", "subject", "place",
                       "place_code", "is_total", "table_index", "table_row", "table_col", "page", "start", "end",
                       "sentence"]


def build(db: Path, figures: int) -> float:
    """SEED_DOCS synthetic bulletins through the real store (segmentation, FTS, indexes), then copies
    of them made in SQL, each copy's dates shifted, until there are ``figures`` figures."""
    store = Store.open(db)
    started = time.perf_counter()
    docs = store.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    for n in range(docs, SEED_DOCS):
        store.save_extraction(synthetic_extraction(n, figures=PER_DOC, seed=n, mentions=False))
    have = store.conn.execute("SELECT count(*) FROM figures").fetchone()[0]
    copy = store.conn.execute("SELECT count(*) FROM documents").fetchone()[0] // SEED_DOCS
    cols = ", ".join(f"[{c}]" for c in FIGURE_COPY_COLUMNS)
    src = ", ".join(f"f.[{c}]" for c in FIGURE_COPY_COLUMNS)
    while have < figures:
        shift = f"'+{copy * 13} days'"
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
            c.execute(f"INSERT INTO figures (document_id, {cols}, as_of, issue_date, date, search_text)"
                      f" SELECT f.document_id + {copy * SEED_DOCS}, {src}, date(f.as_of, {shift}),"
                      f" date(f.issue_date, {shift}), {new_date}, {search} FROM figures f"
                      f" WHERE f.document_id <= {SEED_DOCS} ORDER BY f.id")
        have += SEED_DOCS * PER_DOC
        copy += 1
        if copy % 10 == 0:
            print(f"  built {have:,} figures", file=sys.stderr, flush=True)
    store.conn.execute("ANALYZE")
    store.close()
    return time.perf_counter() - started


def shapes(rng: random.Random) -> dict[str, dict]:
    """Keyword + filter queries; the last one has a value range (read from the rows, not the index)."""
    year = rng.choice(["2022", "2023", "2024"])
    start = rng.randint(1, 9)
    return {
        "keyword+county": {"q": rng.choice(KEYWORDS), "place": rng.choice(COUNTIES)},
        "keyword+city+unit": {"q": rng.choice(KEYWORDS), "place": rng.choice(CITIES), "unit": rng.choice(UNITS)},
        "keyword+months": {"q": rng.choice(KEYWORDS), "date_from": f"{year}-{start:02d}",
                           "date_to": f"{year}-{start + 3:02d}"},
        "2 keywords+county+year": {"q": f"{rng.choice(KEYWORDS)} {rng.choice(['新增', '完成', '开展'])}",
                                   "place": rng.choice(COUNTIES), "date_from": year, "date_to": year},
        "keyword+county, page 3 by id": {"q": rng.choice(KEYWORDS), "place": rng.choice(COUNTIES), "_pages": 3},
        "keyword+value range, by value": {"q": rng.choice(KEYWORDS), "place": rng.choice(CITIES),
                                          "min_value": "1000", "max_value": "100000", "sort": "-value"},
    }


ROW_LEVEL = {"keyword+value range, by value"}


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def bench_library(db: Path, runs: int) -> dict[str, list[float]]:
    store = Store(db, migrate=False)
    rng = random.Random(7)
    times: dict[str, list[float]] = {}
    counts: dict[str, list[int]] = {}
    def run(params: dict):
        """The request timed: for "_pages": n, the n-th page's, with the token of the page before."""
        params = dict(params)
        pages = params.pop("_pages", 1)
        for _ in range(pages - 1):
            page = queries.search(store.conn, "figures", params)
            if page.next:
                params["next"] = page.next
        t = time.perf_counter()
        page = queries.search(store.conn, "figures", params)
        return page, (time.perf_counter() - t) * 1000

    for _ in range(3):  # warm the page cache
        for params in shapes(rng).values():
            run(params)
    for _ in range(runs):
        for name, params in shapes(rng).items():
            page, ms = run(params)
            times.setdefault(name, []).append(ms)
            counts.setdefault(name, []).append(page.count or 0)
    for name in times:
        print(f"  {name:32s} p50 {percentile(times[name], 50):6.1f} ms  p95 {percentile(times[name], 95):6.1f} ms"
              f"  (matches: median {int(statistics.median(counts[name])):,})")
    facet_times = []
    for _ in range(max(10, runs // 10)):
        params = {**shapes(rng)["keyword+county"], "facets": "kind,unit,place,month"}
        t = time.perf_counter()
        queries.search(store.conn, "figures", params)
        facet_times.append((time.perf_counter() - t) * 1000)
    print(f"  {'keyword+county with 4 facets':32s} p50 {percentile(facet_times, 50):6.1f} ms  "
          f"p95 {percentile(facet_times, 95):6.1f} ms")
    store.close()
    return times


def bench_http(db: Path, runs: int) -> list[float]:
    from fastapi.testclient import TestClient

    from service.api.main import create_app
    from service.settings import Settings
    from service.worker import InlinePool

    app = create_app(Settings(db=db, api_token="bench"), pool=InlinePool(), announce=False)
    rng = random.Random(11)
    times = []
    with TestClient(app) as client:
        for params in shapes(rng).values():
            client.get("/api/v1/figures", params=params)
        for _ in range(runs):
            choices = [v for k, v in shapes(rng).items() if k not in ROW_LEVEL]
            params = {k: v for k, v in rng.choice(choices).items() if k != "_pages"}
            t = time.perf_counter()
            r = client.get("/api/v1/figures", params=params)
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.text
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--figures", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/bulletin-bench/store.db"))
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    seconds = build(args.db, args.figures)
    with Store.open(args.db) as store:
        total = store.conn.execute("SELECT count(*) FROM figures").fetchone()[0]
    size = sum(p.stat().st_size for p in args.db.parent.glob(args.db.name + "*"))
    print(f"store: {total:,} figures, {size / 1e6:,.0f} MB" + (f" (built in {seconds:.0f} s)" if seconds > 5 else ""))
    print(f"search through the library (first page of 50 + total count), {args.runs} runs per shape:")
    times = bench_library(args.db, args.runs)
    everything = [t for name, ts in times.items() if name not in ROW_LEVEL for t in ts]
    print(f"  {'all of the index-answered shapes':32s} p50 {percentile(everything, 50):6.1f} ms  "
          f"p95 {percentile(everything, 95):6.1f} ms")
    http = bench_http(args.db, args.runs)
    print(f"search through HTTP (GET /api/v1/figures, TestClient; the index-answered shapes), {args.runs} requests: "
          f"p50 {percentile(http, 50):.1f} ms  p95 {percentile(http, 95):.1f} ms")


if __name__ == "__main__":
    main()
