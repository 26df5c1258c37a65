"""Every kind through the service: uploaded through the API (real worker processes, a real SQLite file),
its original downloaded with its media type; a folder ingested with its files told by content."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.api.main import create_app
from service.settings import Settings
from service.testing import wait_for_job
from tests.conftest import ROOT, SAMPLES

TOKEN = "formats-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BULLETIN = Path(sys.executable).with_name("bulletin")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("formats") / "bulletins.db"
    with TestClient(create_app(Settings(db=db, api_token=TOKEN, workers=2), announce=False)) as c:
        yield c


@pytest.mark.parametrize("name, media_type", [("bulletin-b.docx", "application/vnd.openxmlformats-officedocument."
                                                                  "wordprocessingml.document"),
                                              ("bulletin-a.ofd", "application/ofd"),
                                              ("bulletin-a.html", "text/html; charset=utf-8")])
def test_upload_of_each_kind_is_extracted_and_its_original_kept(client, name, media_type):
    data = (SAMPLES / name).read_bytes()
    # The name and type the browser sends say nothing true: the content decides.
    r = client.post("/api/v1/documents", files={"file": ("upload.bin", data, "application/octet-stream")}, headers=AUTH)
    assert r.status_code == 202, r.text
    job = wait_for_job(client, r.json()["job"]["id"])
    assert job["status"] == "done", job
    doc_id = job["document_id"]
    doc = client.get(f"/api/v1/documents/{doc_id}").json()
    assert doc["issue_date"] == "2023-05-24" and doc["issuer"] == "邵阳市打好重点民生保障仗工作专班"
    assert doc["counts"]["figures"] >= 28
    original = client.get(f"/api/v1/documents/{doc_id}/original")
    assert original.status_code == 200 and original.content == data
    assert original.headers["content-type"] == media_type
    not_pdf = client.get(f"/api/v1/documents/{doc_id}/pdf")
    assert not_pdf.status_code == 404 and "/original" in not_pdf.json()["error"]


def test_an_unsupported_upload_is_a_415_naming_the_kinds(client):
    r = client.post("/api/v1/documents", files={"file": ("notes.pdf", "会议纪要：略".encode(), "application/pdf")},
                    headers=AUTH)
    assert r.status_code == 415
    assert "DOCX" in r.json()["error"] or ".docx" in r.json()["error"]


def test_ingest_finds_every_kind_in_a_folder_by_content(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "bulletin-a.pdf", folder / "a.pdf")
    shutil.copy(SAMPLES / "bulletin-a.ofd", folder / "a-ofd.dat")  # a name that says nothing
    shutil.copy(SAMPLES / "bulletin-b.docx", folder / "b.docx")
    shutil.copy(SAMPLES / "bulletin-a.html", folder / "a.htm")
    (folder / "readme.txt").write_text("说明：不是简报")  # passed over
    command = [str(BULLETIN)] if BULLETIN.exists() else [sys.executable, "-m", "service.cli"]
    run = subprocess.run(command + ["ingest", str(folder), "--db", str(tmp_path / "x.db"), "--workers", "2",
                                    "--format", "json"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert run.returncode == 0, run.stderr
    assert '"files": 4' in run.stdout and '"stored": 4' in run.stdout and '"failed": 0' in run.stdout, run.stdout
