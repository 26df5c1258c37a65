"""The Ray engine on a local Ray cluster (2 CPUs, one per module): `bulletin ingest --engine ray`
stores the same rows as the local engine, a failing PDF is reported without stopping the batch,
running the batch again stores nothing twice, a Ray worker killed in the middle of a batch is
replaced and every document is stored exactly once, and the server's jobs run on Ray
(BULLETIN_ENGINE=ray) with the same job states."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import tempfile
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from service.engines import RayExtractorPool, ingest_ray, make_pool  # noqa: E402
from service.ingest import ingest  # noqa: E402
from service.settings import Settings  # noqa: E402
from service.synthetic import distinct_pdf  # noqa: E402
from tests.conftest import sample_path  # noqa: E402
from tests.test_service_cli import run_cli  # noqa: E402

TEXT_SAMPLES = ("a", "b", "d")  # c is the scanned one: OCR is slow and tested elsewhere
TABLES = ("documents", "blocks", "doc_tables", "figures", "dates", "entities", "entity_mentions", "pdfs")


@pytest.fixture(scope="module")
def ray_cluster(tmp_path_factory):
    """A local Ray of 2 CPUs for this module: token auth off, its session files under a temporary
    folder (short: Ray's socket paths must stay under 108 bytes), shut down and removed after."""
    base = tmp_path_factory.mktemp("ray")
    folder = base if len(str(base)) <= 40 else Path(tempfile.mkdtemp(prefix="ray-"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RAY_AUTH_MODE", "disabled")
        mp.setenv("RAY_TMPDIR", str(folder))
        mp.setenv("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, object_store_memory=256 * 1024 * 1024)
        try:
            yield folder
        finally:
            ray.shutdown()
            shutil.rmtree(folder, ignore_errors=True)


def figures_checksum(db: Path) -> str:
    """The figures table, ordered by document (its sha256: ids follow the order of arrival) and offset."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT d.sha256, f.start, f.[end], f.figure_index, f.text, f.value, f.unit, f.kind, f.qualifier, f.low,"
            " f.high, f.subject, f.place, f.place_code, f.as_of, f.is_total, f.table_index, f.table_row,"
            " f.table_col, f.page, f.sentence, f.issue_date, f.date, f.search_text"
            " FROM figures f JOIN documents d ON d.id = f.document_id ORDER BY d.sha256, f.start, f.[end],"
            " f.figure_index").fetchall()
    finally:
        conn.close()
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ray-pdfs")
    for name in TEXT_SAMPLES:
        shutil.copy(sample_path(name), folder / f"bulletin-{name}.pdf")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage \n%%EOF\n")
    return folder


def test_ray_ingest_stores_the_same_rows_as_the_local_engine(ray_cluster, folder, tmp_path):
    local_db, ray_db = tmp_path / "local.db", tmp_path / "ray.db"
    local = ingest([folder], db=local_db, workers=2)
    run = run_cli("ingest", str(folder), "--engine", "ray", "--workers", "2", "--format", "json", db=ray_db)
    assert run.returncode == 1, run.stderr  # the broken PDF
    summary = json.loads(run.stdout)["items"][0]
    assert summary["engine"] == "ray" and summary["workers"] == 2
    assert (summary["stored"], summary["failed"], summary["pages"]) == (3, 1, local.pages) == (local.stored, 1, 121)
    assert summary["figures"] == local.figures
    assert "broken.pdf: failed: " + local.failed[0][1] in run.stderr  # the same reason, one line
    assert counts(ray_db) == counts(local_db)
    assert counts(ray_db)["figures"] > 0
    assert figures_checksum(ray_db) == figures_checksum(local_db)

    again = run_cli("ingest", str(folder), "--engine", "ray", "--format", "json", db=ray_db)
    summary = json.loads(again.stdout)["items"][0]
    assert (summary["stored"], summary["skipped"], summary["failed"]) == (0, 3, 1)
    assert counts(ray_db) == counts(local_db)


def test_a_killed_worker_is_replaced_and_every_document_stored_once(ray_cluster, extracted, tmp_path):
    pdfs = tmp_path / "copies"
    pdfs.mkdir()
    plan = {"a": 4, "b": 4, "d": 1}
    for name, copies in plan.items():
        for n in range(copies):
            (pdfs / f"{name}-{n}.pdf").write_bytes(distinct_pdf(sample_path(name).read_bytes(), n))
    pool = RayExtractorPool(2)
    killed: list[int] = []

    def progress(path, outcome):
        if not killed:  # the first batch is stored: kill a worker that has documents in hand
            busy = pool.actor_pids(busy_only=True)
            assert busy, "no worker is busy: the batch ended too soon for the test"
            os.kill(busy[0], signal.SIGKILL)
            killed.append(busy[0])

    try:
        report = ingest_ray([pdfs], db=tmp_path / "k.db", pool=pool, progress=progress, batch_size=2)
        assert killed
        assert pool.actor_pids()  # both slots answer again (a new actor in the killed one's)
        assert killed[0] not in pool.actor_pids()
    finally:
        pool.shutdown()
    assert report.failed == [] and report.stored == sum(plan.values())
    assert report.worker_deaths >= 1 and report.retried >= 1
    conn = sqlite3.connect(tmp_path / "k.db")
    try:
        assert conn.execute("SELECT count(*), count(DISTINCT sha256) FROM documents").fetchone() == (9, 9)
        expected = sum(len(extracted(name).figures) * copies for name, copies in plan.items())
        assert conn.execute("SELECT count(*) FROM figures").fetchone()[0] == expected
        assert conn.execute("SELECT count(*) FROM (SELECT 1 FROM figures GROUP BY document_id, figure_index "
                            "HAVING count(*) > 1)").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_document_past_its_time_limit_ends_its_actor_and_the_one_behind_it_is_sent_again(ray_cluster, tmp_path):
    """The time limit is enforced from outside on Ray too: the actor is killed (the bomb keeps pdfium
    busy in C code), the document fails with the reason, the one queued behind it is extracted."""
    from service.worker import ExtractionTimeout
    from tests.data.make_bombs import content_bomb

    pool = RayExtractorPool(1)
    try:
        pid = pool.actor_pids()[0]
        bomb = pool.submit(content_bomb(200), "bomb.pdf", 8)
        behind = pool.submit(sample_path("a").read_bytes(), "a.pdf", 300)
        with pytest.raises(ExtractionTimeout, match="longer than the limit of 8 s"):
            bomb.result(timeout=120)
        assert behind.result(timeout=300).figures
        assert pool.stats["timeouts"] == 1 and pool.actor_pids()[0] != pid
    finally:
        pool.shutdown()


def test_the_server_runs_its_jobs_on_ray(ray_cluster, tmp_path, extracted):
    from fastapi.testclient import TestClient

    from service.api.main import create_app
    from service.testing import wait_for_job

    settings = Settings(db=tmp_path / "server.db", api_token="t", engine="ray", workers=2)
    pool = make_pool(settings)
    assert isinstance(pool, RayExtractorPool) and pool.size == 2
    auth = {"Authorization": "Bearer t"}
    with TestClient(create_app(settings, pool=pool, announce=False)) as client:
        r = client.post("/api/v1/documents", headers=auth,
                        files={"file": ("bulletin-a.pdf", sample_path("a").read_bytes(), "application/pdf")})
        assert r.status_code == 202, r.text
        assert r.json()["job"]["status"] in ("queued", "running")
        job = wait_for_job(client, r.json()["job"]["id"])
        assert job["status"] == "done", job
        doc = client.get(f"/api/v1/documents/{job['document_id']}").json()
        assert doc["counts"]["figures"] == len(extracted("a").figures)
        again = client.post(f"/api/v1/documents/{job['document_id']}/reextract", headers=auth)
        assert again.status_code == 202, again.text
        assert wait_for_job(client, again.json()["job"]["id"])["status"] == "done"
    assert pool.stats["done"] == 2
