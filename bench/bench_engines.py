"""Documents per second of `bulletin ingest` with the local process pool and with 1 and 2 Ray
workers, on the same files.

    python bench/bench_engines.py [--copies 3] [--workers 2]

The files: --copies distinct copies (another sha256 each) of the text-layer samples a, b and d
(10, 11 and 100 pages). Each engine ingests all of them into a fresh database:
  local    service.ingest.ingest(workers=--workers): its process pool is started by the call
  ray N    service.engines.ingest_ray on a local Ray cluster of --workers CPUs (started once,
           timed apart), with a pool of N actors made and warmed before the clock starts
For each: the wall time, documents and pages per second, and the start-up time apart (the local
pool's processes with their imports; the Ray cluster, and the actors loading the pipeline), so
the steady rate can be compared. Token auth is off and the Ray session lives in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.ingest import ingest  # noqa: E402
from service.synthetic import distinct_pdf  # noqa: E402
from service.worker import ProcessWorkerPool  # noqa: E402

SAMPLES = {"a": 10, "b": 11, "d": 100}


def line(label: str, docs: int, pages: int, seconds: float, startup: float) -> str:
    return (f"{label:10s} {docs} docs, {pages} pages in {seconds:6.1f} s: {docs / seconds:5.2f} docs/s, "
            f"{pages / seconds:5.1f} pages/s  (start-up apart: {startup:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-engines-"))
    try:
        folder = tmp / "pdfs"
        folder.mkdir()
        for name in SAMPLES:
            data = (ROOT / "samples" / f"bulletin-{name}.pdf").read_bytes()
            for n in range(args.copies):
                (folder / f"{name}-{n}.pdf").write_bytes(distinct_pdf(data, n))
        docs, pages = len(SAMPLES) * args.copies, sum(SAMPLES.values()) * args.copies
        print(f"{docs} documents, {pages} pages; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")

        t = time.perf_counter()
        pool = ProcessWorkerPool(args.workers)
        pool.warm_up()
        local_startup = time.perf_counter() - t
        pool.shutdown()
        report = ingest([folder], db=tmp / "local.db", workers=args.workers)
        assert report.stored == docs, report.failed
        print(line(f"local {args.workers}", docs, pages, report.seconds, local_startup) +
              f"; steady (less start-up): {docs / (report.seconds - local_startup):.2f} docs/s")

        os.environ.setdefault("RAY_AUTH_MODE", "disabled")
        os.environ["RAY_TMPDIR"] = str(tmp)
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        import logging

        import ray

        from service.engines import RayExtractorPool, ingest_ray

        t = time.perf_counter()
        ray.init(num_cpus=args.workers, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING,
                 object_store_memory=256 * 1024 * 1024)
        print(f"Ray cluster of {args.workers} CPUs started in {time.perf_counter() - t:.1f} s")
        try:
            for n in sorted({1, args.workers}):
                t = time.perf_counter()
                pool = RayExtractorPool(n)
                pool.warm_up()
                startup = time.perf_counter() - t
                try:
                    report = ingest_ray([folder], db=tmp / f"ray{n}.db", pool=pool)
                finally:
                    pool.shutdown()
                assert report.stored == docs, report.failed
                print(line(f"ray {n}", docs, pages, report.seconds, startup) + f"; {report.batches} write batches")
                time.sleep(1)  # the actors' CPUs back to the cluster
        finally:
            ray.shutdown()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
