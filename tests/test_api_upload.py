"""Uploading through the API (real worker processes, a real SQLite file): a PDF becomes a job,
the job ends done, and the document, its text, its PDF and its rows are there; the same PDF is
stored once; re-extraction and deletion."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.api.main import create_app
from service.queries import FTS_SYNTAX
from service.settings import Settings
from service.testing import wait_for_job
from tests.conftest import sample_path

TOKEN = "upload-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("upload") / "bulletins.db"
    app = create_app(Settings(db=db, api_token=TOKEN, workers=2), announce=False)
    with TestClient(app) as c:
        yield c


def upload(client, name: str, data: bytes | None = None):
    data = data if data is not None else sample_path(name).read_bytes()
    return client.post("/api/v1/documents", files={"file": (f"bulletin-{name}.pdf", data, "application/pdf")},
                       headers=AUTH)


@pytest.fixture(scope="module")
def doc_a(client):
    r = upload(client, "a")
    assert r.status_code == 202, r.text
    job = wait_for_job(client, r.json()["job"]["id"])
    assert job["status"] == "done", job
    return job["document_id"]


def test_upload_becomes_a_job_that_ends_done(client, doc_a, extracted):
    x = extracted("a")
    doc = client.get(f"/api/v1/documents/{doc_a}").json()
    assert doc["ok"] is True
    assert doc["issuer"] == x.document.metadata.issuer
    assert doc["issue_date"] == x.document.metadata.issue_date.isoformat()
    assert [s["title"] for s in doc["sections"]] == [s.title for s in x.document.metadata.sections]
    assert doc["counts"] == {"blocks": len(x.blocks), "tables": len(x.tables), "figures": len(x.figures),
                             "dates": len(x.dates), "entities": len(x.entities)}
    assert client.get(f"/api/v1/documents/{doc_a}/text").text == x.text
    pdf = client.get(f"/api/v1/documents/{doc_a}/pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content == sample_path("a").read_bytes()
    listed = client.get("/api/v1/documents").json()
    assert doc_a in [d["id"] for d in listed["items"]]


def test_the_uploaded_rows_are_searchable_whatever_the_extractor_returns(client, doc_a, extracted):
    x = extracted("a")
    for resource, items in (("figures", x.figures), ("dates", x.dates)):
        page = client.get(f"/api/v1/{resource}", params={"document": doc_a, "limit": 1000}).json()
        assert page["count"] == len(items), resource
        assert [r["text"] for r in page["items"]] == [i.text for i in items]
        csv_rows = client.get(f"/api/v1/export/{resource}.csv", params={"document": doc_a}).text.splitlines()
        assert len(csv_rows) - 1 == page["count"]  # plus the header (sentences hold no newlines)
    searchable = [f for f in x.figures if f.subject and not FTS_SYNTAX.search(f.subject)]
    if searchable:  # once the extractor finds figures: each found by its subject's words
        for figure in searchable[:5]:
            page = client.get("/api/v1/figures", params={"q": figure.subject, "document": doc_a,
                                                         "limit": 1000}).json()
            assert (figure.start, figure.text) in [(r["start"], r["text"]) for r in page["items"]], figure.subject
    mentions = client.get("/api/v1/entities", params={"document": doc_a, "limit": 1000}).json()
    assert mentions["count"] == len({(e.type.value, e.code or e.normalized or e.text) for e in x.entities})


def test_the_same_pdf_is_stored_once(client, doc_a):
    r = upload(client, "a")
    assert r.status_code == 202
    body = r.json()
    assert body["duplicate"] is True and body["job"]["status"] == "done"
    assert body["job"]["document_id"] == doc_a
    assert client.get("/api/v1/documents", params={"limit": 1000}).json()["count"] == 1


def test_re_extraction_replaces_the_rows_and_keeps_the_id(client, extracted):
    job = wait_for_job(client, upload(client, "b").json()["job"]["id"])
    doc_id = job["document_id"]
    before = client.get(f"/api/v1/documents/{doc_id}").json()
    r = client.post(f"/api/v1/documents/{doc_id}/reextract", headers=AUTH)
    assert r.status_code == 202 and r.json()["job"]["kind"] == "reextract"
    again = wait_for_job(client, r.json()["job"]["id"])
    assert again["status"] == "done" and again["document_id"] == doc_id
    after = client.get(f"/api/v1/documents/{doc_id}").json()
    assert after["counts"] == before["counts"]
    assert after["counts"]["tables"] == len(extracted("b").tables) == 1
    assert client.post(f"/api/v1/documents/{doc_id}/reextract").status_code == 401


def test_delete_removes_the_document_and_its_rows(client):
    job = wait_for_job(client, upload(client, "d").json()["job"]["id"])
    doc_id = job["document_id"]
    assert client.get("/api/v1/health").json()["counts"]["blocks"] > 0
    r = client.delete(f"/api/v1/documents/{doc_id}", headers=AUTH)
    assert r.status_code == 200 and r.json() == {"ok": True, "deleted": doc_id}
    gone = client.get(f"/api/v1/documents/{doc_id}")
    assert gone.status_code == 404 and gone.json()["ok"] is False
    assert client.get("/api/v1/figures", params={"document": doc_id}).json()["count"] == 0
    assert client.delete(f"/api/v1/documents/{doc_id}", headers=AUTH).status_code == 404


def test_an_extraction_over_the_time_limit_fails_with_the_reason(tmp_path):
    app = create_app(Settings(db=tmp_path / "slow.db", api_token=TOKEN, workers=1, extraction_timeout=0.05),
                     announce=False)
    with TestClient(app) as c:
        job = wait_for_job(c, upload(c, "d").json()["job"]["id"])
        assert job["status"] == "failed"
        assert "longer than the limit of 0.05 s" in job["error"] and "BULLETIN_EXTRACTION_TIMEOUT" in job["error"]
        assert c.get("/api/v1/documents").json()["count"] == 0
        assert c.get("/api/v1/health").status_code == 200


def test_the_uploaded_figures_by_county_city_unit_and_dates(client, doc_a, extracted):
    """Whatever figures the extractor finds in sample a, the filters select exactly the right ones."""
    from service.queries import code_prefix

    figures = extracted("a").figures
    issue = extracted("a").document.metadata.issue_date

    def api(**params) -> int:
        return client.get("/api/v1/figures", params={"document": doc_a, **params}).json()["count"]

    for code in list(dict.fromkeys(f.place_code for f in figures if f.place_code))[:4]:
        prefix = code_prefix(code)
        assert api(place=code) == sum(bool(f.place_code) and f.place_code.startswith(prefix) for f in figures), code
    if any((f.place_code or "").startswith("4305") for f in figures):  # a city: its counties included
        assert api(place="邵阳市") == sum((f.place_code or "").startswith("4305") for f in figures)
    for unit in list(dict.fromkeys(f.unit for f in figures))[:3]:
        assert api(unit=unit) == sum(f.unit == unit for f in figures), unit
    if issue:
        month = issue.isoformat()[:7]
        assert api(date_from=month, date_to=month) == sum(
            (f.as_of or issue).isoformat()[:7] == month for f in figures)
        assert api(issued_from=month, issued_to=month) == len(figures)
