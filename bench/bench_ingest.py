"""Ingest throughput and the server's memory: text-layer sample bulletins uploaded to a real server
(`bulletin serve` on 127.0.0.1, its worker pool, its single writer) until all their jobs are done.

    python bench/bench_ingest.py [--copies 4] [--workers 2]

Uploads --copies distinct copies (another sha256 each) of samples a, b and d (10, 11 and 100
pages, text layer) at once, then prints pages per second from the first upload to the last job
done, and the peak resident memory (sampled every 20 ms from /proc) of the server process alone
and of the server with its worker processes. Then the same files through `bulletin ingest`.
The scanned sample (c) is left out: it goes through OCR, a different cost.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.synthetic import distinct_pdf  # noqa: E402
from service.testing import ServerProcess, wait_for_job  # noqa: E402

SAMPLES = {"a": 10, "b": 11, "d": 100}


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


class PeakMemory(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.server = 0.0
        self.total = 0.0
        self._stop_event = threading.Event()

    def run(self) -> None:
        children, found = [], 0.0
        while not self._stop_event.is_set():
            if time.monotonic() - found > 1.0:  # the process list is read once a second
                children, found = descendants(self.pid), time.monotonic()
            own = rss_mb(self.pid)
            self.server = max(self.server, own)
            self.total = max(self.total, own + sum(rss_mb(c) for c in children))
            time.sleep(0.02)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    files = [(f"{name}-{n}.pdf", distinct_pdf((ROOT / "samples" / f"bulletin-{name}.pdf").read_bytes(), n), pages)
             for n in range(args.copies) for name, pages in SAMPLES.items()]
    pages = sum(p for _, _, p in files)
    with tempfile.TemporaryDirectory(prefix="bulletin-bench-") as tmp:
        tmp = Path(tmp)
        with ServerProcess(tmp / "server.db", token="bench", workers=args.workers) as server, \
                httpx.Client(base_url=server.url, headers=server.headers, timeout=300) as http:
            time.sleep(1.0)  # let the worker processes finish starting
            idle = rss_mb(server.proc.pid)
            memory = PeakMemory(server.proc.pid)
            memory.start()
            started = time.perf_counter()
            with ThreadPoolExecutor(8) as pool:
                uploads = list(pool.map(lambda f: http.post("/api/v1/documents",
                                                            files={"file": (f[0], f[1], "application/pdf")}), files))
            jobs = [wait_for_job(http, r.json()["job"]["id"], timeout=1800) for r in uploads]
            seconds = time.perf_counter() - started
            memory.stop()
            failed = [j for j in jobs if j["status"] != "done"]
            counts = http.get("/api/v1/health").json()["counts"]
        print(f"server ingest: {len(files)} PDFs, {pages} pages in {seconds:.1f} s = {pages / seconds:.1f} pages/s "
              f"({args.workers} worker processes; {counts['figures']} figures, {counts['dates']} dates stored"
              f"{'; FAILED: ' + str(len(failed)) if failed else ''})")
        print(f"server memory: {idle:.0f} MB idle, peak {memory.server:.0f} MB during ingest "
              f"(the server process); peak {memory.total:.0f} MB with its worker processes")

        folder = tmp / "pdfs"
        folder.mkdir()
        for name, data, _ in files:
            (folder / name).write_bytes(data)
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "service.cli", "ingest", str(folder), "--db",
                              str(tmp / "cli.db"), "--workers", str(args.workers), "--quiet"],
                             cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        status = "" if run.returncode == 0 else f" (exit {run.returncode}: {run.stderr.strip()[-300:]})"
        print(f"bulletin ingest: {pages} pages in {seconds:.1f} s = {pages / seconds:.1f} pages/s, "
              f"process start-up included{status}")


if __name__ == "__main__":
    main()
