"""Every message a person reads on the web page exists in Chinese: an upload refused (not a PDF,
empty, encrypted, truncated), a bad filter, a failed job (GET /jobs/{id} carries ``error`` and
``error_zh``), an unknown address or a missing token; and the pattern new error classes follow
(extractor/errors.py) holds for every class there is."""

from __future__ import annotations

import pickle
import re

import pytest
from fastapi.testclient import TestClient

from extractor.errors import ExtractionError, Message, NotAPDF
from service.api.main import create_app
from service.settings import Settings
from service.store import Store
from service.synthetic import fill_store
from service.testing import wait_for_job
from service.worker import InlinePool, ProcessWorkerPool, TooManyPages, describe_error
from tests.conftest import ROOT, sample_path

TOKEN = "zh-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("zh") / "bulletins.db"
    fill_store(db, documents=1, figures=20)
    app = create_app(Settings(db=db, api_token=TOKEN, max_pages=50), pool=InlinePool(), announce=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def error_zh(r, status: int) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["ok"] is False and body["status"] == status
    assert body["error"][:1].isascii() and body["error"] != body["error_zh"], body  # the English stays English
    assert CJK.search(body["error_zh"]), body
    return body["error_zh"]


def post(client, data: bytes, name: str = "x.pdf", headers=AUTH):
    return client.post("/api/v1/documents", files={"file": (name, data, "application/pdf")}, headers=headers)


# ---------------------------------------------------------------- uploads refused

def test_a_legacy_word_file_uploaded_is_refused_in_chinese(client):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)  # an OLE compound file: .doc, .wps
    zh = error_zh(post(client, ole, name="简报.doc"), 415)
    assert "旧版 Word/WPS" in zh and "另存为 .docx 或 PDF" in zh


def test_a_file_of_no_kind_we_read_is_refused_in_chinese_naming_the_kinds(client):
    zh = error_zh(post(client, b"PK\x03\x04word/document.xml", name="简报.docx"), 415)
    assert "不支持的文件类型" in zh and all(kind in zh for kind in ("PDF", ".docx", "OFD", "JPEG"))


@pytest.mark.parametrize("data, words", [
    (b"", "空"),
    ((ROOT / "tests" / "data" / "encrypted.pdf").read_bytes(), "加密"),
    (sample_path("a").read_bytes()[:5000], "损坏"),
])
def test_other_bad_uploads_say_why_in_chinese(client, data, words):
    zh = error_zh(post(client, data), 422)
    assert words in zh


def test_too_many_pages_and_too_large_in_chinese(tmp_path):
    app = create_app(Settings(db=tmp_path / "p.db", api_token=TOKEN, max_pages=1, max_upload_mb=1),
                     pool=InlinePool(), announce=False)
    with TestClient(app) as c:
        assert "页数超过上限" in error_zh(post(c, sample_path("a").read_bytes()), 413)
        assert "文件超过了 1 MB 的上限" in error_zh(post(c, b"%PDF-" + b"0" * 2_000_000), 413)


# ---------------------------------------------------------------- filters, addresses, tokens

@pytest.mark.parametrize("path, params, words", [
    ("figures", {"kind": "apples"}, "类别"),
    ("figures", {"min_value": "many"}, "最小数值"),
    ("figures", {"date_from": "去年"}, "2023年5月"),
    ("figures", {"date_from": "2023-02-30"}, "不存在"),
    ("figures", {"date_from": "2023-06", "date_to": "2023-01"}, "晚于"),
    ("figures", {"q": "就业 OR 养老"}, "检索语法"),
    ("figures", {"place": "12345"}, "行政区划代码"),
    ("figures", {"is_total": "maybe"}, "是"),
    ("figures", {"sort": "size"}, "排序"),
    ("figures", {"limit": "0"}, "每页条数"),
    ("figures", {"next": "garbage"}, "翻页"),
    ("dates", {"precision": "week"}, "日期精度"),
    ("entities", {"type": "ANIMAL"}, "实体类型"),
    ("entities", {"issued_from": "2023年13月"}, "发布日期"),
])
def test_a_bad_filter_says_what_is_accepted_in_chinese(client, path, params, words):
    zh = error_zh(client.get(f"/api/v1/{path}", params=params), 400)
    assert words in zh, zh


def test_addresses_ids_and_tokens_in_chinese(client):
    assert "实体编号" in error_zh(client.get("/api/v1/entities/abc"), 400)
    assert "不存在" in error_zh(client.get("/api/v1/entities/999999"), 404)
    assert "不存在" in error_zh(client.get("/api/v1/documents/999999"), 404)
    assert "不存在" in error_zh(client.get("/api/v1/jobs/nope"), 404)
    assert "没有这个地址" in error_zh(client.get("/api/v1/nothing"), 404)
    assert "不接受" in error_zh(client.put("/api/v1/figures"), 405)
    assert "令牌" in error_zh(post(client, b"%PDF-", headers={}), 401)
    assert "令牌不对" in error_zh(post(client, b"%PDF-", headers={"Authorization": "Bearer nope"}), 403)
    assert "上传的文件" in error_zh(client.post("/api/v1/documents", headers=AUTH), 400)


# ---------------------------------------------------------------- a failed job

def test_a_failed_job_carries_its_reason_in_english_and_chinese(tmp_path):
    """A real extraction in a worker process that runs out of time: the job fails with both reasons."""
    app = create_app(Settings(db=tmp_path / "j.db", api_token=TOKEN, extraction_timeout=0.01),
                     pool=ProcessWorkerPool(workers=1), announce=False)
    with TestClient(app) as c:
        r = post(c, sample_path("a").read_bytes(), name="bulletin-a.pdf")
        assert r.status_code == 202
        job = wait_for_job(c, r.json()["job"]["id"], timeout=120)
    assert job["status"] == "failed", job
    assert "longer than the limit" in job["error"] and "BULLETIN_EXTRACTION_TIMEOUT" in job["error"]
    assert job["error_zh"].startswith("提取超过") and "时限" in job["error_zh"] and "BULLETIN_EXTRACTION_TIMEOUT" in job["error_zh"]


def test_jobs_failed_by_the_store_have_chinese_too(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        job, _ = store.submit_job(kind="upload", sha256="ab" * 32, file_name="a.pdf", pdf=b"%PDF-1.4")
        store.claim_job()
        assert store.recover_jobs(max_attempts=1) == {"requeued": 0, "failed": 1}
        failed = store.job(job["id"])
        assert failed["status"] == "failed" and "stopped during extraction" in failed["error"]
        assert "服务器停止" in failed["error_zh"]
        other, _ = store.submit_job(kind="upload", sha256="cd" * 32, file_name="b.pdf", pdf=b"%PDF-1.4")
        store.fail_job(other["id"], "something only English")  # a caller that gave no Chinese
        assert store.job(other["id"])["error_zh"] == "提取失败（原因：something only English）"


def test_an_older_database_gets_chinese_for_its_failed_jobs(tmp_path):
    from service import store as store_module

    path = tmp_path / "old.db"
    old = Store(path, migrate=False)
    original, store_module.MIGRATIONS = store_module.MIGRATIONS, store_module.MIGRATIONS[:2]
    try:
        old.migrate()
        old.conn.execute("INSERT INTO jobs (id, kind, sha256, status, error, attempts, created_at) VALUES "
                         "('j1', 'upload', 'x', 'failed', 'the PDF is corrupt', 1, '2026-01-01')")
        old.conn.commit()
    finally:
        store_module.MIGRATIONS = original
    old.close()
    with Store.open(path) as new:
        assert new.job("j1")["error_zh"] == "提取失败（原因：the PDF is corrupt）"


# ---------------------------------------------------------------- the pattern of the error classes

def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_every_extraction_error_class_says_what_is_wrong_and_what_to_do_in_chinese():
    import service.engines  # noqa: F401 - its error classes too

    classes = list(_all_subclasses(ExtractionError))
    assert len(classes) >= 6
    for cls in classes:
        assert "reason_zh" in vars(cls) and CJK.search(cls.reason_zh), f"{cls.__name__} needs reason_zh"
        if cls.hint:
            assert CJK.search(cls.hint_zh), f"{cls.__name__} has a hint but no hint_zh"
        e = cls("an English detail")
        assert str(e).startswith("an English detail") and CJK.search(e.zh)


def test_the_chinese_survives_a_trip_to_a_worker_process():
    e = TooManyPages("the PDF has 1200 pages, more than the limit of 1000", zh="PDF 有 1200 页，超过上限 1000 页")
    back = pickle.loads(pickle.dumps(e))
    assert str(back) == str(e) and back.zh == "PDF 有 1200 页，超过上限 1000 页（请拆分 PDF，或调高 BULLETIN_MAX_PAGES）"
    message = pickle.loads(pickle.dumps(describe_error(NotAPDF("not a PDF"))))
    assert isinstance(message, Message) and message.startswith("not a PDF") and "不是 PDF" in message.zh
    assert "提取意外失败" in describe_error(KeyError("x")).zh
    # an error made from a worker's Message keeps its Chinese (Ray sends the reason back as a string)
    assert ExtractionError(message).zh == message.zh
