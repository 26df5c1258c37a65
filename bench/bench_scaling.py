"""The numbers behind docs/scaling.md: the cost of each pipeline stage per page and per document,
what one document costs to ship back and to store, and the store's write rate one transaction per
document against batched transactions.

    python bench/bench_scaling.py [--runs 3] [--docs 300] [--ocr-pages 2]

Stages, on the text-layer samples a (10 pages), b (11, a table, two columns) and d (100), each
timed --runs times after a warm-up (the median is printed):
  read      extractor.read_document: characters, layout, clean text, tables, metadata
  fig+dates extractor.items.extract_items: figures and dates (spaCy + jieba + the grammars)
  entities  extractor.entities.find_entities: persons, places, organisations (rules + the ner model)
  find_items extractor.find_items: all that extract runs after reading (the two above and the
            document's distinct entities)
  rows      service.store.extraction_rows: the rows and the jieba-segmented search text (the
            writer's CPU per document before SQLite; its segmentation cache cleared each time)
  pickle    the Extraction pickled, as Ray ships it back to the driver (bytes and ms)
OCR per page comes from bench/bench_ocr.py (--ocr-pages of the scanned sample; 0 skips it).
The write rate: --docs copies (each its own sha256) of the three samples' extractions saved into
a fresh database, one transaction per document (Store.save_extraction) and in batches of
--batch-sizes documents (service.engines.BatchStore), with the bytes per document the database
grows by.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import extractor  # noqa: E402
from extractor import find_items, read_document  # noqa: E402
from service.engines import BatchStore  # noqa: E402
from service.store import Store, extraction_rows, segment  # noqa: E402

SAMPLES = ("a", "b", "d")


def timed(fn, runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def stages(runs: int) -> None:
    from extractor.items import extract_items

    try:
        from extractor.entities import find_entities
    except Exception:  # noqa: BLE001 - not there
        find_entities = None
    print(f"{'sample':8s} {'pages':>5s} {'read ms':>8s} {'fig+dates':>9s} {'entities':>9s} {'find_items':>10s} "
          f"{'rows ms':>8s} {'pickle KB':>9s} {'pickle ms':>9s}   (median of {runs})")
    totals = {"pages": 0, "read": 0.0, "items": 0.0, "entities": 0.0, "find": 0.0, "rows": 0.0, "pickle": 0}
    for name in SAMPLES:
        data = (ROOT / "samples" / f"bulletin-{name}.pdf").read_bytes()
        read_s = timed(lambda: read_document(data, f"{name}.pdf"), runs)
        parsed = read_document(data, f"{name}.pdf")
        x = parsed.extraction
        meta = x.document.metadata
        city = extractor._home_area(meta)[0] if hasattr(extractor, "_home_area") else None
        items_s = timed(lambda: extract_items(x.text, issue_date=meta.issue_date, page_of=parsed.text_map.page_of,
                                              tables=x.tables, city=city, blocks=x.blocks), runs)
        ent_s = float("nan")
        if find_entities is not None:
            ent_s = timed(lambda: find_entities(x.text, issue_date=meta.issue_date, city=city,
                                                page_of=parsed.text_map.page_of, blocks=x.blocks), runs)
        find_s = timed(lambda: find_items(parsed), runs)  # what extract runs after reading
        rows_s = timed(lambda: (segment.cache_clear(), extraction_rows(x)), runs)  # segmentation not cached
        blob = pickle.dumps(x, protocol=5)
        pickle_s = timed(lambda: pickle.loads(pickle.dumps(x, protocol=5)), runs)
        pages = x.document.page_count
        print(f"{name:8s} {pages:5d} {read_s * 1000:8.0f} {items_s * 1000:9.0f} {ent_s * 1000:9.0f} "
              f"{find_s * 1000:10.0f} {rows_s * 1000:8.0f} {len(blob) / 1024:9.0f} {pickle_s * 1000:9.1f}")
        for key, value in (("pages", pages), ("read", read_s), ("items", items_s), ("entities", ent_s),
                           ("find", find_s), ("rows", rows_s), ("pickle", len(blob))):
            totals[key] += value
    p = totals["pages"]
    print(f"per page over the three ({p} pages): read {totals['read'] / p * 1000:.1f} ms, figures+dates "
          f"{totals['items'] / p * 1000:.1f} ms, entities {totals['entities'] / p * 1000:.1f} ms, find_items "
          f"{totals['find'] / p * 1000:.1f} ms; extraction (read + find_items) "
          f"{(totals['read'] + totals['find']) / p * 1000:.1f} ms; rows {totals['rows'] / p * 1000:.1f} ms, "
          f"pickle {totals['pickle'] / p / 1024:.1f} KB")


def copies(extractions: list, n: int) -> list:
    out = []
    for i in range(n):
        x = extractions[i % len(extractions)]
        doc = x.document.model_copy(update={"sha256": f"{i:064x}"})
        out.append(x.model_copy(update={"document": doc}))
    return out


def write_rate(extractions: list, docs: int, sizes: list[int]) -> None:
    batch = copies(extractions, docs)
    figures = sum(len(x.figures) for x in batch)
    pages = sum(x.document.page_count for x in batch)
    seen: dict[int, list[float]] = {}
    for size in sizes:
        batched = size > 1
        label = f"batches of {size} (BatchStore)" if batched else "one transaction per document"
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "w.db"
            store = BatchStore.open(db) if batched else Store.open(db)
            for x in batch:  # the copies repeat three documents' sentences: their segmentation is cached,
                extraction_rows(x)  # so this times SQLite's inserts, indexes and full-text index
            t = time.perf_counter()
            if batched:
                for i in range(0, len(batch), size):
                    with store.batch():
                        for x in batch[i:i + size]:
                            store.save_extraction(x)
            else:
                for x in batch:
                    store.save_extraction(x)
            seconds = time.perf_counter() - t
            seen.setdefault(size, []).append(seconds)
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            store.close()
            size = sum(p.stat().st_size for p in Path(tmp).glob("w.db*"))
        print(f"store write, {label}: {docs} documents ({pages} pages, {figures} figures) in {seconds:.2f} s = "
              f"{docs / seconds:.0f} docs/s, {figures / seconds:,.0f} figures/s; database {size / docs / 1024:.0f} KB "
              f"per document without its PDF")
    if any(len(v) > 1 for v in seen.values()):  # sizes given more than once (interleaved): the medians
        print("medians: " + "; ".join(f"{'1 per transaction' if n == 1 else f'batches of {n}'} {statistics.median(v):.2f} s "
                                      f"= {docs / statistics.median(v):.1f} docs/s" for n, v in seen.items()))


def ocr(pages: int) -> None:
    if pages <= 0:
        return
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_ocr.py"), "--pages", str(pages)],
                         capture_output=True, text=True, cwd=ROOT)
    print("OCR (bench/bench_ocr.py):", (run.stdout.strip() or run.stderr.strip()[-500:]).replace("\n", "\n  "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--ocr-pages", type=int, default=2)
    parser.add_argument("--batch-sizes", default="1,8,64", help="documents per transaction to compare")
    parser.add_argument("--skip-stages", action="store_true")
    args = parser.parse_args()
    print(f"extractor {extractor.__version__}; sizes of the PDFs: " + ", ".join(
        f"{n} {(ROOT / 'samples' / f'bulletin-{n}.pdf').stat().st_size / 1024:.0f} KB" for n in SAMPLES))
    found = []
    for name in SAMPLES:  # the whole extraction, for the write rate
        data = (ROOT / "samples" / f"bulletin-{name}.pdf").read_bytes()
        found.append(extractor.extract(data, f"{name}.pdf"))
    if not args.skip_stages:
        stages(args.runs)
    write_rate(found, args.docs, [int(n) for n in args.batch_sizes.split(",")])
    ocr(args.ocr_pages)


if __name__ == "__main__":
    main()
