"""A hard limit for every job: a time budget that grows with the pages (more for scanned ones) and a
memory ceiling, enforced from outside by killing the worker process. PDF decompression bombs (made by
tests/data/make_bombs.py) end with a clear reason; the other jobs, the stored documents and the
server carry on."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import httpx
import pytest

from service.testing import ServerProcess, wait_for_job
from service.worker import (ExtractionMemoryLimit, ExtractionTimeout, JobLimits, ProcessWorkerPool, WorkerCrashed,
                            resident_bytes)
from tests.conftest import ROOT, sample_path
from tests.data.make_bombs import content_bomb, text_bomb

TOKEN = "limits-token"
# How the bomb ends with the default limits, whichever it passes first: one page's time budget
# (20 + 1 s), or the memory ceiling of 1280 MB.
STOPPED = ("the extraction took longer than the limit of 21 s for 1 page and was stopped",
           "the extraction needed more than the memory limit of 1280 MB")


def stopped(message: str) -> bool:
    return any(reason in message for reason in STOPPED)


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("bombs")
    # 200 MB of drawing operators in a 0.4 MB file: pdfium alone takes minutes and gigabytes on it
    out = {"content": folder / "bomb-content.pdf", "text": folder / "bomb-text.pdf"}
    out["content"].write_bytes(content_bomb(200))
    out["text"].write_bytes(text_bomb(50))
    return out


def test_the_budget_grows_with_the_pages_and_more_with_scanned_ones():
    limits = JobLimits(seconds=20, seconds_per_page=1, seconds_per_ocr_page=30, max_seconds=600)
    assert limits.budget() == 21  # pages not read yet: one page's worth
    assert limits.budget(100) == 120
    assert limits.budget(2, ocr_pages=2) == 82
    assert limits.budget(1000, ocr_pages=500) == 600  # the cap, BULLETIN_EXTRACTION_TIMEOUT
    assert limits.budget(100, cap=5) == 5  # a caller's own timeout caps it too


def test_a_bomb_past_its_time_budget_is_killed_and_the_jobs_beside_it_finish(bombs):
    # 6 s for the bomb's one page: on a quiet machine it passes 4 GB after ≈ 12 s, so the time budget,
    # not the memory ceiling, is what stops it here
    limits = JobLimits(seconds=5, seconds_per_page=1, memory_mb=4096)
    pool = ProcessWorkerPool(2, limits)
    try:
        started = time.monotonic()
        bomb = pool.submit(bombs["content"].read_bytes(), "bomb-content.pdf")
        good = pool.submit(sample_path("a").read_bytes(), "a.pdf")
        with pytest.raises(ExtractionTimeout) as failed:
            bomb.result(timeout=180)
        assert time.monotonic() - started < 120
        assert "longer than the limit of 6 s for 1 page and was stopped" in str(failed.value)
        assert "BULLETIN_JOB_SECONDS_PER_PAGE" in str(failed.value) and "时限" in failed.value.zh
        assert good.result(timeout=300).figures  # the job on the other worker is not lost
        assert pool.stats["timeouts"] == 1 and pool.stats["replaced"] == 1
        # the replacement worker takes the next job
        assert pool.submit(sample_path("b").read_bytes(), "b.pdf").result(timeout=300).figures
    finally:
        pool.shutdown()


def test_a_worker_past_the_memory_ceiling_is_killed_and_reported(bombs):
    pool = ProcessWorkerPool(1, JobLimits(seconds=600, memory_mb=900))
    try:
        pid = pool.pids()[0]
        started = time.monotonic()
        with pytest.raises(ExtractionMemoryLimit) as failed:
            pool.submit(bombs["text"].read_bytes(), "bomb-text.pdf").result(timeout=600)
        assert "more than the memory limit of 900 MB" in str(failed.value)
        assert "BULLETIN_JOB_MEMORY_MB" in str(failed.value) and "内存" in failed.value.zh
        assert pool.stats["memory"] == 1
        assert resident_bytes(pid) is None  # that process is gone
        assert pool.pids()[0] != pid
        print(f"memory bomb stopped after {time.monotonic() - started:.1f} s")
        assert pool.submit(sample_path("a").read_bytes(), "a.pdf").result(timeout=300).figures
    finally:
        pool.shutdown()


def test_a_worker_that_dies_fails_its_job_only(bombs):
    """A worker killed from outside (the kernel's OOM killer, a crash in C code): its job fails with
    the reason, the other worker's job finishes."""
    pool = ProcessWorkerPool(2, JobLimits(seconds=600, memory_mb=4096))
    try:
        doomed = pool.submit(bombs["content"].read_bytes(), "bomb-content.pdf")
        good = pool.submit(sample_path("d").read_bytes(), "d.pdf")
        deadline = time.monotonic() + 120
        while not (busy := [s.process.pid for s in pool._slots if s.job and s.job.file_name == "bomb-content.pdf"]):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        os.kill(busy[0], signal.SIGKILL)
        with pytest.raises(WorkerCrashed, match=r"crashed on this file \(signal 9\)"):
            doomed.result(timeout=60)
        assert good.result(timeout=600).document.page_count == 100
    finally:
        pool.shutdown()


def test_bulletin_extract_stops_a_bomb_within_a_minute(bombs):
    started = time.monotonic()
    run = subprocess.Popen([sys.executable, "-m", "service.cli", "extract", str(bombs["content"])], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while run.poll() is None and time.monotonic() - started < 300:
        peak = max(peak, _tree_rss(run.pid))
        time.sleep(0.05)
    out, err = run.communicate(timeout=30)
    done = subprocess.CompletedProcess(run.args, run.returncode, out, err)
    seconds = time.monotonic() - started
    print(f"bulletin extract on the bomb: exit {done.returncode} after {seconds:.1f} s, peak {peak / 2**20:.0f} MB")
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert peak < 1536 * 2**20, peak  # the ceiling and the command's own process stay under 1.5 GB
    # whichever it passes first: the time budget of one page, or the memory ceiling
    assert done.stderr.startswith(f"Error: {bombs['content']}: the extraction "), done.stderr
    assert stopped(done.stderr), done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert seconds < 60, seconds


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and its children."""
    total = resident_bytes(pid) or 0
    try:
        children = open(f"/proc/{pid}/task/{pid}/children").read().split()
    except OSError:
        return total
    return total + sum(_tree_rss(int(c)) for c in children)


@pytest.mark.slow
def test_a_bomb_uploaded_to_the_server_fails_within_a_minute_and_nothing_else_is_lost(tmp_path, bombs):
    db = tmp_path / "bulletins.db"
    with ServerProcess(db, token=TOKEN, workers=2) as server, \
            httpx.Client(base_url=server.url, timeout=60, headers=server.headers) as http:

        def upload(name: str, data: bytes) -> str:
            r = http.post("/api/v1/documents", files={"file": (name, data, "application/pdf")})
            assert r.status_code == 202, r.text
            return r.json()["job"]["id"]

        stored = wait_for_job(http, upload("a.pdf", sample_path("a").read_bytes()), timeout=300)
        assert stored["status"] == "done"
        figures_before = http.get("/api/v1/figures", params={"limit": 1}).json()["count"]
        rss_before = _tree_rss(server.proc.pid)

        started = time.monotonic()
        bomb = upload("bomb-content.pdf", bombs["content"].read_bytes())
        others = [upload("b.pdf", sample_path("b").read_bytes()), upload("d.pdf", sample_path("d").read_bytes())]
        peak = rss_before
        while (job := http.get(f"/api/v1/jobs/{bomb}").json())["status"] not in ("done", "failed"):
            assert time.monotonic() - started < 90, job
            peak = max(peak, _tree_rss(server.proc.pid))
            time.sleep(0.2)
        seconds = time.monotonic() - started
        assert job["status"] == "failed"
        assert stopped(job["error"]), job
        assert seconds < 60, seconds
        print(f"bomb job failed after {seconds:.1f} s; server processes {rss_before / 1e6:.0f} MB before, "
              f"{peak / 1e6:.0f} MB at the peak")

        # the jobs beside it finish, the document stored before is whole, and the server keeps serving
        assert [(j := wait_for_job(http, job_id, timeout=600))["status"] == "done" or j for job_id in others] \
            == [True, True]
        docs = http.get("/api/v1/documents").json()
        assert docs["count"] == 3
        assert stored["document_id"] in {d["id"] for d in docs["items"]}
        assert http.get("/api/v1/figures", params={"document": stored["document_id"], "limit": 1}).json()["count"] \
            == figures_before
        assert http.get("/api/v1/figures", params={"q": "就业"}).status_code == 200
        assert http.get("/api/v1/health").status_code == 200
        # uploading it again fails the same way
        again = wait_for_job(http, upload("bomb-content.pdf", bombs["content"].read_bytes()), timeout=120)
        assert again["status"] == "failed" and stopped(again["error"])
    # nothing half-written, and the bomb's bytes are not kept
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM pdfs").fetchone()[0] == 3
        assert {r[0] for r in conn.execute("SELECT sha256 FROM documents")} == \
            {r[0] for r in conn.execute("SELECT sha256 FROM jobs WHERE status = 'done'")}
    finally:
        conn.close()
