"""Speed and peak memory: the reading step and the whole `bulletin extract`, beside pdfplumber's extract_text().

    python bench/bench_read.py [PDF] [--runs N]

The reading step is text, blocks, tables and metadata (`extractor.read_document`); then reading
with figures and dates; the whole extraction adds entities (the pipelines load once, in the warm-up).
Each side runs in its own child process (so peak memory, ru_maxrss, is its own):
N timed runs over the whole file after one warm-up; the median per page is printed,
then the ratio. Default file: samples/bulletin-d.pdf (100 pages).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PDF = ROOT / "samples" / "bulletin-d.pdf"


def run_read(data: bytes) -> int:
    from extractor import read_document

    return read_document(data).extraction.document.page_count


def run_figures_dates(data: bytes) -> int:
    """Reading, figures and dates (issue 3's measure), without the entity recogniser."""
    from extractor import _home_area, read_document
    from extractor.items import extract_items

    parsed = read_document(data)
    result = parsed.extraction
    meta = result.document.metadata
    extract_items(result.text, issue_date=meta.issue_date, page_of=parsed.text_map.page_of, tables=result.tables,
                  city=_home_area(meta)[0], blocks=result.blocks)
    return result.document.page_count


def run_extract(data: bytes) -> int:
    from extractor import extract

    return extract(data).document.page_count


def run_pdfplumber(data: bytes) -> int:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        n = 0
        for page in pdf.pages:
            page.extract_text()
            page.close()  # without it pdfplumber keeps every page's objects
            n += 1
    return n


SIDES = {"reading alone": run_read, "reading+figures+dates": run_figures_dates, "bulletin extract": run_extract, "pdfplumber extract_text()": run_pdfplumber}


def child(side: str, path: Path, runs: int) -> None:
    data = path.read_bytes()
    fn = SIDES[side]
    t0 = time.perf_counter()
    pages = fn(data)  # warm-up: imports, first-use caches
    first = time.perf_counter() - t0
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - t0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"pages": pages, "median_s": statistics.median(times), "first_s": first, "peak_mb": peak_mb}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=DEFAULT_PDF)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.pdf, args.runs)
        return
    results = {}
    for side in SIDES:
        out = subprocess.run([sys.executable, __file__, str(args.pdf), "--runs", str(args.runs), "--child", side],
                             check=True, capture_output=True, text=True, cwd=ROOT).stdout
        results[side] = json.loads(out.strip().splitlines()[-1])
    print(f"file: {args.pdf.name}, {results['bulletin extract']['pages']} pages, median of {args.runs} runs")
    for side, r in results.items():
        per_page = 1000 * r["median_s"] / r["pages"]
        print(f"  {side:28s} {per_page:7.2f} ms/page  {r['pages'] / r['median_s']:7.1f} pages/s  "
              f"first run {r['first_s']:.2f} s  peak memory {r['peak_mb']:.0f} MB")
    theirs = results["pdfplumber extract_text()"]["median_s"]
    for side in ("reading alone", "reading+figures+dates", "bulletin extract"):
        print(f"  ratio: {side} is {theirs / results[side]['median_s']:.1f}x as fast as extract_text() per page")


if __name__ == "__main__":
    main()
