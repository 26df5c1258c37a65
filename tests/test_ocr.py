"""OCR of image-only pages (extractor/ocr.py) on sample c, the scanned copy of sample b.

The OCR tests read the whole of bulletin-c.pdf once per session (11 pages, about a minute on two
cores) and skip when rapidocr is not installed; the no-OCR path and the pure helpers always run.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter

import numpy as np
import pytest

from extractor import ocr
from models import BlockKind, DocumentStatus
from tests.conftest import sample_path


def comparable(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("臵", "置")


@pytest.fixture(scope="session")
def scanned():
    """The Extraction of sample c with OCR, and the progress calls it made (computed once)."""
    pytest.importorskip("rapidocr")
    pytest.importorskip("onnxruntime")
    from extractor import extract_document

    calls: list[tuple[int, int]] = []
    path = sample_path("c")
    parsed = extract_document(path.read_bytes(), file_name=path.name, progress=lambda d, t: calls.append((d, t)))
    return parsed.extraction, calls


# ---------------------------------------------------------------- without rapidocr


def test_without_rapidocr_a_scan_still_needs_ocr(monkeypatch):
    from extractor import extract

    monkeypatch.setattr(ocr, "load_engine", lambda: None)  # as when rapidocr is not installed
    result = extract(sample_path("c").read_bytes(), file_name="bulletin-c.pdf")
    assert result.document.status == DocumentStatus.needs_ocr
    assert result.document.ocr is False
    assert result.document.page_count == 11
    assert result.blocks == [] and result.text == ""
    assert all(p.ocr_confidence is None and not p.has_text for p in result.pages)


def test_a_text_pdf_is_not_ocrd(extracted):
    result = extracted("b")
    assert result.document.ocr is False
    assert all(p.ocr_confidence is None and p.has_text for p in result.pages)
    assert all(b.confidence is None for b in result.blocks)


def test_progress_on_a_text_pdf_ends_at_the_page_count():
    from extractor import extract

    calls = []
    extract(sample_path("a").read_bytes(), progress=lambda d, t: calls.append((d, t)))
    assert calls and calls[-1] == (calls[-1][1], calls[-1][1])


def test_cli_progress_flag():
    import json

    from click.testing import CliRunner

    from service.cli import cli

    result = CliRunner().invoke(cli, ["extract", str(sample_path("a")), "--progress", "--indent", "0"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["document"]["status"] == "ok"


# ---------------------------------------------------------------- pure helpers


def _quad(x0, y0, x1, height, angle_deg):
    """A line box of the given width and height, rotated by angle about its top-left corner."""
    a = math.radians(angle_deg)
    w = x1 - x0
    d = np.array([math.cos(a), math.sin(a)])
    n = np.array([-math.sin(a), math.cos(a)])
    p0 = np.array([x0, y0], dtype=float)
    return np.array([p0, p0 + w * d, p0 + w * d + height * n, p0 + height * n])


def test_skew_is_the_median_of_long_lines_and_short_ones_do_not_vote():
    lines = [ocr.OcrLine("x" * 20, 1.0, _quad(100, 100 + 60 * i, 1000, 40, -1.0)) for i in range(5)]
    lines.append(ocr.OcrLine("—2—", 1.0, _quad(100, 900, 160, 40, 20.0)))  # short: no vote
    assert math.degrees(ocr.skew_angle(lines)) == pytest.approx(-1.0, abs=1e-6)
    rotate = ocr._rotator(ocr.skew_angle(lines), 620, 877)
    level = rotate(lines[0].quad)
    assert level[0][1] == pytest.approx(level[1][1], abs=1e-6)  # the top edge is level again


def test_proportional_boxes_give_half_width_characters_half_a_share():
    boxes = ocr._proportional_boxes(list("共7800人"), 0.0, 40.0)
    widths = [round(b - a, 3) for a, b in boxes]
    assert widths == [10.0, 5.0, 5.0, 5.0, 5.0, 10.0]


def test_page_numbers_read_with_a_chinese_one_for_the_dash():
    assert ocr.DASHED_NUMBER.match("一9一") and ocr.DASHED_NUMBER.match("-10—")
    assert not ocr.DASHED_NUMBER.match("一是加强组织引领")


def test_rules_and_a_grid_are_found_in_an_image():
    image = np.full((400, 600), 240, np.uint8)
    image[50:53, 40:560] = 30  # a masthead rule
    for y in (150, 200, 250, 300):
        image[y:y + 2, 100:500] = 30
    for x in (100, 300, 498):
        image[150:302, x:x + 2] = 30
    hrules, vrules = ocr.find_rules(image)
    assert [y for y, _, _ in hrules] == [51.5, 151, 201, 251, 301]  # band centres, pixel edges as 0
    assert len(vrules) == 3


# ---------------------------------------------------------------- OCR of sample c


def test_the_scan_is_read_and_marked(scanned):
    result, _ = scanned
    assert result.document.status == DocumentStatus.ok
    assert result.document.ocr is True
    assert all(not p.has_text and 0.9 < p.ocr_confidence <= 1 for p in result.pages)
    assert all(b.confidence is not None and 0.5 <= b.confidence <= 1 for b in result.blocks)
    assert ocr.load_engine.cache_info().currsize == 1  # one engine for all pages


def test_progress_counts_every_page(scanned):
    _, calls = scanned
    done = [d for d, _ in calls]
    assert done == sorted(done) and done[0] == 0 and calls[-1] == (11, 11)
    assert set(range(1, 12)) <= set(done)


def test_scan_metadata_is_exact(scanned, truth):
    meta = scanned[0].document.metadata
    want = truth("c")["metadata"]
    assert meta.title == want["title"]
    assert meta.issue_number == want["issue_number"]
    assert meta.issuer == want["issuer"] == "邵阳市打好重点民生保障仗工作专班"
    assert meta.issue_date.isoformat() == want["issue_date"] == "2023-05-24"
    assert [s.title for s in meta.sections] == [s["title"] for s in want["sections"]]
    assert meta.report_to == want["report_to"]
    assert meta.send_to == want["send_to"]
    assert meta.phone == want["phone"] and meta.email == want["email"]


def test_scan_paragraphs_match_the_text_pdf(scanned, truth):
    """The same paragraphs as sample b's truth, each nearly letter for letter (OCR errors aside)."""
    blocks = [b for b in scanned[0].blocks if b.kind == BlockKind.paragraph]
    want = truth("c")["paragraphs"]
    assert len(blocks) == len(want)
    assert [b.section for b in blocks] == [p["section"] for p in want]
    assert [(b.page_start, b.page_end) for b in blocks] == [(p["page_start"], p["page_end"]) for p in want]
    ratios = [difflib.SequenceMatcher(None, comparable(p["text"]), comparable(b.text), autojunk=False).ratio()
              for p, b in zip(want, blocks)]
    assert min(ratios) >= 0.98, ratios
    assert sum(ratios) / len(ratios) >= 0.995, ratios


def test_scan_table_is_exact_and_out_of_the_text(scanned, truth):
    result = scanned[0]
    want = truth("c")["tables"]
    assert [t.page for t in result.tables] == [t["page"] for t in want]
    assert [t.rows for t in result.tables] == [t["rows"] for t in want]
    assert "1275.25" not in result.text
    assert result.tables[0].caption and result.tables[0].caption.startswith("表1")


def test_scan_page_numbers_are_furniture(scanned, truth):
    result = scanned[0]
    numbers = {re.sub(r"\D", "", f.text) for f in result.furniture if f.kind.value == "page_number"}
    assert numbers >= {re.sub(r"\D", "", f["text"]) for f in truth("c")["footers"]}
    assert not any(re.fullmatch(r"\W*\d{1,2}\W*", b.text) for b in result.blocks)


def test_scan_boxes_are_where_the_text_pdf_has_them(scanned, extracted):
    """Deskewed, in PDF points from the top-left: each paragraph's first box within 4 pt of sample b's."""
    text_blocks = [b for b in extracted("b").blocks if b.kind == BlockKind.paragraph]
    ocr_blocks = [b for b in scanned[0].blocks if b.kind == BlockKind.paragraph]
    assert len(text_blocks) == len(ocr_blocks)
    for t, o in zip(text_blocks, ocr_blocks):
        tb, ob = t.prov[0].bbox, o.prov[0].bbox
        assert abs(tb.x0 - ob.x0) < 4 and abs(tb.top - ob.top) < 4 and abs(tb.x1 - ob.x1) < 6, (t.text[:20], tb, ob)


def test_scan_items_agree_with_the_text_pdf(scanned, extracted):
    """Figures and dates found in the OCR'd text are those found in sample b's text layer."""
    b, c = extracted("b"), scanned[0]
    if not (b.figures or b.dates):
        pytest.skip("the figure and date extractors are not wired into extract() yet")
    for kind, key in (("figures", lambda x: (x.value, x.unit)), ("dates", lambda x: x.value)):
        want, got = Counter(map(key, getattr(b, kind))), Counter(map(key, getattr(c, kind)))
        common = sum((want & got).values())
        f1 = 2 * common / (sum(want.values()) + sum(got.values())) if want or got else 1.0
        assert f1 >= 0.97, (kind, want - got, got - want)


def test_dust_read_as_a_dot_is_dropped_but_decimal_points_stay():
    from extractor.pdf import Char

    def line(text):
        chars = [Char(t, i * 10.0, 0, i * 10.0 + 9, 10, 10, 400) for i, t in enumerate(text)]
        return "".join(c.text for i, c in enumerate(chars) if not ocr._speck(chars, i))

    assert line("已.超出") == "已超出" and line("完成.") == "完成"
    assert line("79.1%") == "79.1%" and line("syszdms@163.com") == "syszdms@163.com"
