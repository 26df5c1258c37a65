"""The `bulletin` command, run as a real process: output, and bad input met with one clear line."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, sample_path

BULLETIN = Path(sys.executable).with_name("bulletin")


def bulletin(*args: str) -> subprocess.CompletedProcess:
    command = [str(BULLETIN)] if BULLETIN.exists() else [sys.executable, "-m", "service.cli"]
    return subprocess.run(command + list(args), capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_extract_prints_the_extraction_as_utf8_json():
    run = bulletin("extract", str(sample_path("a")))
    assert run.returncode == 0, run.stderr
    assert "邵阳市" in run.stdout  # not \\u-escaped
    result = json.loads(run.stdout)
    for key in ("document", "blocks", "tables", "figures", "dates", "entities"):
        assert key in result
    assert result["document"]["metadata"]["issue_date"] == "2023-05-24"


def test_extract_text_format_prints_sections():
    run = bulletin("extract", str(sample_path("a")), "--format", "text")
    assert run.returncode == 0, run.stderr
    for title in ("【重要新闻】", "【部门动态】", "【区县动态】", "【工作简讯】"):
        assert title in run.stdout
    assert "— 5 —" not in run.stdout and "臵" not in run.stdout


def test_summarize_lists_every_pdf_in_a_folder(tmp_path):
    for name in ("a", "b"):
        (tmp_path / f"bulletin-{name}.pdf").write_bytes(sample_path(name).read_bytes())
    (tmp_path / "notes.txt").write_text("not a PDF, not listed")
    run = bulletin("summarize", str(tmp_path))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("bulletin-a.pdf: ok, 10 pages, 邵阳市打好重点民生保障仗工作专班 2023-05-24")
    assert lines[1].startswith("bulletin-b.pdf: ok, 11 pages") and "1 tables" in lines[1]
    assert lines[-1].startswith("total: 2 documents, 21 pages")


def _truncated(tmp_path: Path) -> Path:
    data = sample_path("a").read_bytes()
    return _write(tmp_path / "truncated.pdf", data[: len(data) // 3])


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


BAD_INPUTS = {
    "empty file": (lambda d: _write(d / "empty.pdf", b""), "the file is empty"),
    "random bytes": (lambda d: _write(d / "random.pdf", random.Random(7).randbytes(4096)), "not a PDF"),
    "text named .pdf": (lambda d: _write(d / "notes.pdf", "这不是PDF文件\n".encode()), "not a PDF"),
    "truncated PDF": (_truncated, "truncated"),
    "corrupt PDF": (lambda d: _write(d / "corrupt.pdf", b"%PDF-1.7\n" + random.Random(3).randbytes(2000) + b"\n%%EOF\n"),
                    "corrupt"),
    "encrypted PDF": (lambda d: ROOT / "tests" / "data" / "encrypted.pdf", "encrypted"),
    "missing file": (lambda d: d / "nowhere.pdf", "no such file"),
    "folder": (lambda d: d, "is a folder"),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_gets_one_clear_line_and_exit_1(tmp_path, case):
    make, message = BAD_INPUTS[case]
    run = bulletin("extract", str(make(tmp_path)))
    assert run.returncode == 1
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), run.stderr
    assert message in lines[0]


def test_summarize_reports_a_bad_file_and_goes_on(tmp_path):
    (tmp_path / "bad.pdf").write_bytes(b"not a pdf")
    (tmp_path / "good.pdf").write_bytes(sample_path("a").read_bytes())
    run = bulletin("summarize", str(tmp_path))
    assert run.returncode == 1
    assert "bad.pdf: failed: not a PDF" in run.stderr
    assert "good.pdf: ok" in run.stdout
