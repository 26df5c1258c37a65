"""The server SIGKILLed in the middle of an ingest, then restarted: the database is consistent,
nothing half-written is visible, the interrupted job runs again (and a job interrupted twice is
failed with the reason)."""

from __future__ import annotations

import sqlite3
import time

import httpx
import pytest

from service.synthetic import distinct_pdf
from service.testing import ServerProcess, wait_for_job
from tests.conftest import sample_path

TOKEN = "crash-token"


def check_consistent(db) -> dict[str, str]:
    """The file as a reader finds it: intact, every document whole. Returns job id → status."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for doc_id, blocks, figures, dates in conn.execute(
                "SELECT id, block_count, figure_count, date_count FROM documents"):
            assert conn.execute("SELECT count(*) FROM blocks WHERE document_id = ?", (doc_id,)).fetchone()[0] == blocks
            assert conn.execute("SELECT count(*) FROM figures WHERE document_id = ?", (doc_id,)).fetchone()[0] == figures
            assert conn.execute("SELECT count(*) FROM dates WHERE document_id = ?", (doc_id,)).fetchone()[0] == dates
        # a document exists exactly when its job is done
        done = {r[0] for r in conn.execute("SELECT sha256 FROM jobs WHERE status = 'done'")}
        assert {r[0] for r in conn.execute("SELECT sha256 FROM documents")} == done
        # the full-text index holds exactly the stored figures
        assert conn.execute("SELECT count(*) FROM figures_fts").fetchone()[0] == \
            conn.execute("SELECT count(*) FROM figures").fetchone()[0]
        return dict(conn.execute("SELECT id, status FROM jobs"))
    finally:
        conn.close()


def wait_running(http, job_id: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if http.get(f"/api/v1/jobs/{job_id}").json()["status"] == "running":
            return
        time.sleep(0.03)
    raise AssertionError(f"job {job_id} never ran")


@pytest.mark.slow
def test_sigkill_during_ingest_then_restart(tmp_path):
    db = tmp_path / "bulletins.db"
    heavy = sample_path("d").read_bytes()  # 100 pages: seconds of extraction to be killed in
    pdfs = [distinct_pdf(heavy, n) for n in range(3)]

    server = ServerProcess(db, token=TOKEN, workers=1).start()
    try:
        with httpx.Client(base_url=server.url, timeout=60, headers=server.headers) as http:
            jobs = [http.post("/api/v1/documents", files={"file": (f"d{n}.pdf", p, "application/pdf")}
                              ).json()["job"]["id"] for n, p in enumerate(pdfs)]
            first = jobs[0]
            wait_running(http, first)
            time.sleep(0.5)
            server.kill()  # SIGKILL, the worker process with it
    finally:
        server.stop()
    statuses = check_consistent(db)
    assert statuses[first] == "running"  # as the dead server left it
    assert all(statuses[j] in ("queued", "running", "done") for j in jobs)

    # restart: the interrupted job is queued again and, when it runs again, killed once more
    server = ServerProcess(db, token=TOKEN, workers=1).start()
    try:
        with httpx.Client(base_url=server.url, timeout=60, headers=server.headers) as http:
            if http.get(f"/api/v1/jobs/{first}").json()["status"] != "done":
                wait_running(http, first)
                assert http.get(f"/api/v1/jobs/{first}").json()["attempts"] == 2
                server.kill()
    finally:
        server.stop()
    check_consistent(db)

    with ServerProcess(db, token=TOKEN, workers=1) as server, \
            httpx.Client(base_url=server.url, timeout=60, headers=server.headers) as http:
        final = [wait_for_job(http, j, timeout=600) for j in jobs]
        interrupted = final[0]
        if interrupted["status"] == "failed":
            assert "stopped during extraction 2 times" in interrupted["error"]
        else:  # it finished before the second kill could catch it
            assert interrupted["status"] == "done"
        assert [j["status"] for j in final[1:]] == ["done", "done"]
        done = [j for j in final if j["status"] == "done"]
        docs = http.get("/api/v1/documents").json()
        assert docs["count"] == len(done) == len({j["document_id"] for j in done})
        for job in done:
            doc = http.get(f"/api/v1/documents/{job['document_id']}").json()
            assert doc["page_count"] == 100 and doc["counts"]["blocks"] > 0
        assert http.get("/api/v1/figures", params={"q": "民生"}).status_code == 200
    check_consistent(db)


@pytest.mark.slow
def test_a_graceful_stop_queues_the_running_job_again_without_spending_an_attempt(tmp_path):
    db = tmp_path / "bulletins.db"
    with ServerProcess(db, token=TOKEN, workers=1) as server, \
            httpx.Client(base_url=server.url, timeout=60, headers=server.headers) as http:
        job = http.post("/api/v1/documents", files={"file": ("d.pdf", sample_path("d").read_bytes(),
                                                             "application/pdf")}).json()["job"]["id"]
        wait_running(http, job)
        server.stop()  # SIGINT: uvicorn's graceful shutdown
    statuses = check_consistent(db)
    conn = sqlite3.connect(db)
    status, attempts = conn.execute("SELECT status, attempts FROM jobs WHERE id = ?", (job,)).fetchone()
    conn.close()
    assert (status, attempts) in (("queued", 0), ("done", 1)), statuses
    with ServerProcess(db, token=TOKEN, workers=1) as server, \
            httpx.Client(base_url=server.url, timeout=60, headers=server.headers) as http:
        assert wait_for_job(http, job, timeout=600)["status"] == "done"
