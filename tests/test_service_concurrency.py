"""A real server on 127.0.0.1 under load: 20 concurrent uploads of distinct PDFs while 200 searches
run at once; every request succeeds, no "database is locked", nothing lost."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from service.synthetic import distinct_pdf, fill_store
from service.testing import ServerProcess, wait_for_job
from tests.conftest import sample_path

TOKEN = "concurrency-token"
SEARCHES = [{"q": "就业"}, {"place": "邵阳市", "unit": "人"}, {"q": "养老", "place": "新邵县"},
            {"date_from": "2022-03", "date_to": "2022-08", "sort": "-value"}, {"facets": "kind,unit,place,month"},
            {"q": "资金", "limit": "5"}]


@pytest.mark.slow
def test_20_concurrent_uploads_and_200_concurrent_searches(tmp_path, extracted, database):
    db = database  # on SQLite and on PostgreSQL
    fill_store(db, documents=2, figures=50)
    base = sample_path("a").read_bytes()
    pdfs = [distinct_pdf(base, n) for n in range(20)]
    assert len({hash(p) for p in pdfs}) == 20
    x = extracted("a")
    rng = random.Random(5)
    with ServerProcess(db, token=TOKEN, workers=2, log=tmp_path / "server.log") as server, \
            httpx.Client(base_url=server.url, timeout=120, headers=server.headers) as http, \
            ThreadPoolExecutor(max_workers=48) as pool:
        uploads = [pool.submit(http.post, "/api/v1/documents",
                               files={"file": (f"copy-{n}.pdf", data, "application/pdf")})
                   for n, data in enumerate(pdfs)]
        searches = [pool.submit(http.get, "/api/v1/figures", params=rng.choice(SEARCHES)) for _ in range(200)]
        upload_results = [f.result() for f in uploads]
        search_results = [f.result() for f in searches]
        assert [r.status_code for r in upload_results] == [202] * 20, [r.text for r in upload_results if r.status_code != 202]
        assert all(r.status_code == 200 and r.json()["ok"] for r in search_results), \
            [r.text for r in search_results if r.status_code != 200][:3]
        jobs = [wait_for_job(http, r.json()["job"]["id"], timeout=600) for r in upload_results]
        assert [j["status"] for j in jobs] == ["done"] * 20, [j["error"] for j in jobs if j["status"] != "done"]
        assert len({j["document_id"] for j in jobs}) == 20
        health = http.get("/api/v1/health").json()["counts"]
        assert health["documents"] == 22
        assert health["blocks"] == 2 * 52 + 20 * len(x.blocks)
        assert health["figures"] == 100 + 20 * len(x.figures)
        for job in jobs[:3]:
            doc = http.get(f"/api/v1/documents/{job['document_id']}").json()
            assert doc["counts"]["blocks"] == len(x.blocks) and doc["issuer"] == x.document.metadata.issuer
        # and 200 more searches once everything is in
        with ThreadPoolExecutor(max_workers=48) as more:
            results = list(more.map(lambda p: http.get("/api/v1/figures", params=p),
                                    [rng.choice(SEARCHES) for _ in range(200)]))
        assert all(r.status_code == 200 for r in results)
    log = server.log()
    assert "database is locked" not in log and "Traceback" not in log, log[-3000:]
