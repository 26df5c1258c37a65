"""The service's commands as real processes: ingest (files and folders, several processes, skipping
what is stored), search and export with the API's filters, and serve printing its URL with a token
it made."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from service.testing import ServerProcess
from tests.conftest import ROOT, sample_path

BULLETIN = Path(sys.executable).with_name("bulletin")


def bulletin(*args: str, db: Path) -> subprocess.CompletedProcess:
    """The command as its own process (for ingest's worker processes)."""
    command = [str(BULLETIN)] if BULLETIN.exists() else [sys.executable, "-m", "service.cli"]
    return subprocess.run(command + list(args) + ["--db", str(db)], capture_output=True, text=True, cwd=ROOT,
                          timeout=600)


def run_cli(*args: str, db: Path):
    """The same command line in this process (click's runner: the real commands, quicker)."""
    from click.testing import CliRunner

    from service.cli import cli

    result = CliRunner().invoke(cli, list(args) + ["--db", str(db)], catch_exceptions=False)
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, extracted):
    folder = tmp_path_factory.mktemp("pdfs")
    for name in ("a", "b"):
        shutil.copy(sample_path(name), folder / f"bulletin-{name}.pdf")
    (folder / "notes.txt").write_text("not a bulletin")
    db = folder.parent / "cli.db"
    run = bulletin("ingest", str(folder), "--workers", "2", "--format", "json", db=db)
    assert run.returncode == 0, run.stderr
    return db, json.loads(run.stdout), folder


def test_ingest_a_folder(ingested, extracted):
    db, report, folder = ingested
    summary = report["items"][0]
    assert summary["stored"] == 2 and summary["failed"] == 0
    assert summary["pages"] == 21
    assert summary["figures"] == len(extracted("a").figures) + len(extracted("b").figures)
    again = bulletin("ingest", str(folder / "bulletin-a.pdf"), str(folder), "--format", "json", db=db)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["items"][0]["skipped"] == 2


def test_ingest_reports_bad_files_and_exits_1(ingested, tmp_path):
    db, _, _ = ingested
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage \n%%EOF\n")
    run = bulletin("ingest", str(bad), db=db)
    assert run.returncode == 1
    assert "broken.pdf: failed:" in run.stderr and "Traceback" not in run.stderr
    missing = run_cli("ingest", str(tmp_path / "nowhere"), db=db)
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_search_and_export_with_the_same_filters(ingested, extracted, tmp_path):
    db, _, _ = ingested
    figures = extracted("a").figures + extracted("b").figures
    unit = figures[0].unit if figures else "人"
    run = run_cli("search", "--unit", unit, "--format", "json", "--limit", "1000", db=db)
    assert run.returncode == 0, run.stderr
    body = json.loads(run.stdout)
    assert body["count"] == sum(f.unit == unit for f in figures) == len(body["items"])
    out = tmp_path / "figures.csv"
    export = run_cli("export", "figures", "-o", str(out), "--unit", unit, "--bom", db=db)
    assert export.returncode == 0, export.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == body["count"]
    table = run_cli("search", "--place", "邵阳市", db=db)
    assert table.returncode == 0 and table.stdout.splitlines()[0].startswith("id")
    xlsx = tmp_path / "entities.xlsx"
    assert run_cli("export", "entities", "-o", str(xlsx), db=db).returncode == 0
    from openpyxl import load_workbook

    assert next(load_workbook(xlsx, read_only=True).active.iter_rows(values_only=True))[:3] == ("id", "type", "name")
    copy = tmp_path / "copy.db"
    assert run_cli("export", "database", "-o", str(copy), db=db).returncode == 0
    assert copy.stat().st_size > 0


def test_bad_filters_get_one_line_and_exit_1(ingested, tmp_path):
    db, _, _ = ingested
    for args, words in ((["search", "--kind", "apples"], "apples"), (["search", "--min-value", "x"], "min_value"),
                        (["search", "-r", "entities", "--unit", "人"], "does not apply"),
                        (["search", "就业 OR 养老"], "search syntax"),
                        (["export", "figures", "-o", str(tmp_path / "x.txt")], "format")):
        run = run_cli(*args, db=db)
        assert run.returncode == 1, (args, run.stdout)
        assert run.stderr.startswith("Error: ") and words in run.stderr and "Traceback" not in run.stderr
    run = run_cli("search", "就业", db=tmp_path / "none.db")
    assert run.returncode == 1 and "no database yet" in run.stderr


@pytest.mark.slow
def test_serve_prints_a_url_with_the_token_it_made(tmp_path):
    with ServerProcess(tmp_path / "s.db", token=None, workers=1) as server:
        match = re.search(r"(http://127\.0\.0\.1:\d+)/docs\?token=([\w-]+)", server.log())
        assert match, server.log()
        url, token = match.groups()
        assert url == server.url
        pdf = {"file": ("a.pdf", sample_path("a").read_bytes(), "application/pdf")}
        assert httpx.post(url + "/api/v1/documents", files=pdf).status_code == 401
        r = httpx.post(url + "/api/v1/documents", files=pdf, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 202
        assert httpx.get(f"{url}/docs?token={token}").status_code == 200
