"""Bad requests get a 4xx in one JSON shape with a message, and the server keeps serving: no or a
wrong token, a 60 MB upload, a non-PDF, broken and encrypted PDFs, too many pages, malformed
filters, search syntax in q; reads that need the token when configured so."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from service.api.main import create_app
from service.settings import Settings
from service.synthetic import fill_store
from service.worker import InlinePool
from tests.conftest import ROOT, sample_path

TOKEN = "errors-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("errors") / "bulletins.db"
    fill_store(db, documents=1, figures=20)
    app = create_app(Settings(db=db, api_token=TOKEN, max_pages=50), pool=InlinePool(), announce=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def assert_error(r, status: int, *words: str) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["ok"] is False and body["status"] == status and isinstance(body["error"], str)
    assert re.search(r"[\u4e00-\u9fff]", body["error_zh"]), body  # every error in Chinese too, for the page
    for word in words:
        assert word in body["error"], body["error"]


def post_pdf(client, data: bytes, headers=AUTH, name="x.pdf"):
    return client.post("/api/v1/documents", files={"file": (name, data, "application/pdf")}, headers=headers)


@pytest.fixture(autouse=True)
def still_serving(client):
    yield
    assert client.get("/api/v1/health").status_code == 200


def test_writes_need_the_token(client):
    data = sample_path("a").read_bytes()
    assert_error(post_pdf(client, data, headers={}), 401, "token")
    assert_error(post_pdf(client, data, headers={"Authorization": "Bearer wrong"}), 403, "wrong")
    assert_error(post_pdf(client, data, headers={"Authorization": "Basic abc"}), 401)
    assert_error(client.delete("/api/v1/documents/1"), 401)
    assert_error(client.delete("/api/v1/documents/1", headers={"Authorization": "Bearer x"}), 403)
    assert_error(client.post("/api/v1/documents/1/reextract"), 401)
    assert client.get("/api/v1/figures").status_code == 200  # reads are open by default


def test_a_60_mb_upload_is_refused(client):
    big = b"%PDF-1.7\n" + b"0" * (60 * 1024 * 1024) + b"\n%%EOF\n"
    assert_error(post_pdf(client, big), 413, "50 MB")


def test_a_60_mb_upload_without_content_length_is_refused(client):
    def chunks():
        yield b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\n"
        yield b"Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
        for _ in range(60):
            yield b"0" * (1024 * 1024)
        yield b"\r\n--b--\r\n"

    r = client.post("/api/v1/documents", content=chunks(),
                    headers={**AUTH, "Content-Type": "multipart/form-data; boundary=b"})
    assert_error(r, 413, "limit")


@pytest.mark.parametrize("name, data, status, words", [
    ("not a PDF", b"PK\x03\x04 this is a zip file", 415, ["not a PDF"]),
    ("empty", b"", 422, ["empty"]),
    ("truncated", "TRUNCATED", 422, ["truncated"]),
    ("broken", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage garbage\n%%EOF\n", 422, ["corrupt"]),
    ("encrypted", "ENCRYPTED", 422, ["encrypted"]),
    ("too many pages", "PAGES", 413, ["100 pages", "limit of 50"]),
])
def test_bad_pdfs_are_refused_with_the_reason(client, name, data, status, words):
    if data == "TRUNCATED":
        full = sample_path("a").read_bytes()
        data = full[: len(full) // 2]
    elif data == "ENCRYPTED":
        data = (ROOT / "tests" / "data" / "encrypted.pdf").read_bytes()
    elif data == "PAGES":
        data = sample_path("d").read_bytes()
    assert_error(post_pdf(client, data), status, *words)


def test_an_upload_without_a_file(client):
    assert_error(client.post("/api/v1/documents", headers=AUTH, data={"x": "1"}), 400, "file")


@pytest.mark.parametrize("path, params, word", [
    ("/api/v1/figures", {"limit": "abc"}, "limit"),
    ("/api/v1/figures", {"limit": "100000"}, "cap"),
    ("/api/v1/figures", {"min_value": "lots"}, "min_value"),
    ("/api/v1/figures", {"max_value": "nan"}, "max_value"),
    ("/api/v1/figures", {"date_from": "2023-13-45"}, "date_from"),
    ("/api/v1/figures", {"as_of_to": "yesterday"}, "as_of_to"),
    ("/api/v1/figures", {"kind": "bananas"}, "kind"),
    ("/api/v1/figures", {"sort": "-colour"}, "sort"),
    ("/api/v1/figures", {"next": "bm90IGEgdG9rZW4"}, "next"),
    ("/api/v1/figures", {"document": "first"}, "document"),
    ("/api/v1/figures", {"place": "12345"}, "place"),
    ("/api/v1/figures", {"facets": "colour"}, "facets"),
    ("/api/v1/figures", {"is_total": "perhaps"}, "is_total"),
    ("/api/v1/figures", {"q": ""}, "q"),
    ("/api/v1/entities", {"type": "ANIMAL"}, "type"),
    ("/api/v1/entities", {"min_mentions": "x"}, "min_mentions"),
    ("/api/v1/dates", {"precision": "week"}, "precision"),
    ("/api/v1/documents", {"issued_from": "2023-02-30"}, "issued_from"),
    ("/api/v1/export/figures.xlsx", {"unit": "人", "date_to": "June"}, "date_to"),
])
def test_malformed_filters_are_a_400_with_a_message(client, path, params, word):
    assert_error(client.get(path, params=params), 400, word)


@pytest.mark.parametrize("q", ['"', '就业"', '"就业" OR "养老"', "就业*", "*", "NEAR(就业 养老)", "就业 NEAR 养老",
                               "就业 OR 养老", "NOT 就业", "sentence:就业", "(就业", "^养老", "a AND"])
def test_search_syntax_injection_in_q_is_a_400(client, q):
    assert_error(client.get("/api/v1/figures", params={"q": q}), 400, "q:")
    assert_error(client.get("/api/v1/export/figures.csv", params={"q": q}), 400, "q:")


def test_words_with_quotes_of_chinese_text_still_search(client):
    r = client.get("/api/v1/figures", params={"q": "“就业” 《养老》 near or and"})
    assert r.status_code == 200  # lower-case words and Chinese punctuation are plain text


def test_unknown_things_in_the_same_shape(client):
    assert_error(client.get("/api/v1/nowhere"), 404, "no such endpoint")
    assert_error(client.get("/api/v1/documents/12345"), 404, "12345")
    assert_error(client.get("/api/v1/documents/abc"), 400, "doc_id")
    assert_error(client.get("/api/v1/jobs/nope"), 404, "nope")
    assert_error(client.put("/api/v1/figures", headers=AUTH), 405, "PUT")


def test_reads_can_be_made_to_need_the_token(tmp_path):
    app = create_app(Settings(db=tmp_path / "b.db", api_token=TOKEN, protect_reads=True), pool=InlinePool(),
                     announce=False)
    with TestClient(app) as c:
        assert_error(c.get("/api/v1/figures"), 401, "token")
        assert_error(c.get("/api/v1/figures", headers={"Authorization": "Bearer nope"}), 403)
        assert c.get("/api/v1/figures", headers=AUTH).status_code == 200
        # the printed URL carries the token; opening it leaves a cookie good for reads only
        assert c.get("/api/v1/health", params={"token": TOKEN}).status_code == 200
        assert c.get("/api/v1/figures").status_code == 200
        assert_error(post_pdf(c, sample_path("a").read_bytes(), headers={}), 401)
        assert c.get("/docs").status_code == 200


def test_a_generated_token_when_none_is_configured(tmp_path, capsys):
    app = create_app(Settings(db=tmp_path / "c.db", api_token=None), pool=InlinePool())
    token = app.state.settings.api_token
    assert token and len(token) >= 24
    with TestClient(app) as c:
        assert c.get("/api/v1/health").status_code == 200
    assert f"/docs?token={token}" in capsys.readouterr().err
