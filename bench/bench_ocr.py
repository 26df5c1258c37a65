"""OCR speed and peak memory: reading the scanned sample (bulletin-c.pdf) page by page.

    python bench/bench_ocr.py [PDF] [--pages N] [--threads T]

Runs in a child process (so peak memory, ru_maxrss, is the OCR's own): loads the engine once
(timed), then renders and OCRs the first N image-only pages (default: all), timing each. Prints
the model load time, seconds per page (median and worst, wall and CPU), pages per second and the
child's peak memory. Targets: under 10 s per A4 page on 2 cores, peak under 1.5 GB.
--threads sets onnxruntime's intra-op threads (BULLETIN_OCR_THREADS; default: all cores).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PDF = ROOT / "samples" / "bulletin-c.pdf"


def child(path: Path, pages: int | None) -> None:
    sys.path.insert(0, str(ROOT))
    t = time.perf_counter()
    from extractor import ocr
    from extractor.pdf import open_pdf, read_pages

    engine = ocr.load_engine()
    load = time.perf_counter() - t
    if engine is None:
        print(json.dumps({"error": "rapidocr is not installed: pip install -e '.[ocr]'"}))
        return
    pdf = open_pdf(path.read_bytes())
    try:
        todo = [p.number for p in read_pages(pdf) if ocr.needs_ocr(p)][:pages]
        walls, cpus = [], []
        for number in todo:
            page = pdf[number - 1]
            w, c = time.perf_counter(), time.process_time()
            ocr.read_page(engine, page, number)
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
            page.close()
    finally:
        pdf.close()
    print(json.dumps({"load": load, "walls": walls, "cpus": cpus,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=DEFAULT_PDF)
    parser.add_argument("--pages", type=int, default=None, help="OCR only the first N image-only pages")
    parser.add_argument("--threads", type=int, default=None, help="onnxruntime intra-op threads")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.pdf, args.pages)
        return
    env = dict(os.environ)
    if args.threads:
        env["BULLETIN_OCR_THREADS"] = str(args.threads)
    cmd = [sys.executable, __file__, str(args.pdf), "--child"] + (["--pages", str(args.pages)] if args.pages else [])
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout.strip().splitlines()[-1]
    r = json.loads(out)
    if "error" in r:
        sys.exit(r["error"])
    walls, cpus = r["walls"], r["cpus"]
    print(f"{args.pdf.name}: {len(walls)} image-only pages, {os.cpu_count()} cores, "
          f"onnxruntime threads {args.threads or 'default'}")
    print(f"  engine and models loaded once: {r['load']:.2f} s")
    if walls:
        print(f"  per page: median {statistics.median(walls):.2f} s, worst {max(walls):.2f} s wall; "
              f"median {statistics.median(cpus):.2f} s CPU")
        print(f"  {len(walls) / sum(walls):.3f} pages/s")
    print(f"  peak memory (child ru_maxrss): {r['peak_mb']:.0f} MB")
    print(f"  targets: < 10 s/page {'met' if walls and max(walls) < 10 else 'NOT met'}, "
          f"< 1.5 GB {'met' if r['peak_mb'] < 1536 else 'NOT met'}")


if __name__ == "__main__":
    main()
