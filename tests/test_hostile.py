"""Hostile files of every kind but PDF (made by tests/data/make_hostile.py at test time): each ends with one
clear line on stderr and exit code 1 from `bulletin extract`, no traceback, in under 60 s and 1.5 GB;
through the API, a 4xx with the reason. (The PDF decompression bomb and the job limits are the server's:
tests of service/worker.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.data.make_hostile import ERRORS, make

SECONDS = 60
PEAK_BYTES = 1.5e9
# Runs the CLI in a process that reports its own peak memory (ru_maxrss, KiB on Linux) at exit.
MEASURED = """
import atexit, os, resource, sys
atexit.register(lambda: open(os.environ["PEAK_FILE"], "w").write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))
sys.argv = ["bulletin"] + sys.argv[1:]
from service.cli import main
main()
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return make(tmp_path_factory.mktemp("hostile"))


def run_measured(*args: str, tmp: Path) -> tuple[subprocess.CompletedProcess, float, float]:
    peak_file = tmp / "peak"
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", MEASURED, *args], capture_output=True, text=True, cwd=ROOT,
                         timeout=SECONDS * 2, env={**os.environ, "PEAK_FILE": str(peak_file)})
    seconds = time.perf_counter() - started
    return run, seconds, int(peak_file.read_text()) * 1024


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_hostile_file_gets_one_clear_line_exit_1_in_bounds(hostile, name, tmp_path):
    run, seconds, peak = run_measured("extract", str(hostile[name]), tmp=tmp_path)
    assert run.returncode == 1, run.stderr
    assert run.stdout == "" and "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and ERRORS[name] in lines[0], run.stderr
    assert seconds < SECONDS and peak < PEAK_BYTES, (seconds, peak)


def test_member_names_that_climb_out_are_never_written(hostile, tmp_path):
    for path in (Path("/tmp/bulletin-climbed.txt"), Path("/etc/bulletin-climbed")):
        path.unlink(missing_ok=True)
    run, seconds, peak = run_measured("extract", str(hostile["docx-climbing.docx"]), "--format", "text", tmp=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "【区县动态】" in run.stdout  # the document itself is read
    assert not Path("/tmp/bulletin-climbed.txt").exists() and not Path("/etc/bulletin-climbed").exists()
    assert seconds < SECONDS and peak < PEAK_BYTES


def test_entities_in_a_web_pages_dtd_are_not_expanded(hostile, tmp_path):
    run, seconds, peak = run_measured("extract", str(hostile["html-laughs.html"]), "--format", "text", tmp=tmp_path)
    assert "lollol" not in run.stdout and len(run.stdout) < 1000
    assert seconds < SECONDS and peak < PEAK_BYTES


def test_the_api_refuses_them_with_a_4xx_and_the_reason(hostile):
    from fastapi.testclient import TestClient

    from service.api.main import create_app
    from service.settings import Settings
    from service.worker import InlinePool

    settings = Settings(db=hostile["legacy.doc"].parent / "api.db", api_token="t")
    with TestClient(create_app(settings, pool=InlinePool(), announce=False)) as client:
        for name in ("docx-zip-bomb.docx", "ofd-laughs.ofd", "png-60000.png", "legacy.doc", "ofd-many-pages.ofd"):
            data = hostile[name].read_bytes()
            r = client.post("/api/v1/documents", files={"file": (name, data, "application/octet-stream")},
                            headers={"Authorization": "Bearer t"})
            assert 400 <= r.status_code < 500 and ERRORS[name] in r.json()["error"], (name, r.text)
