"""Reading the sample bulletins: furniture out, paragraphs whole, text clean, metadata exact, tables exact."""

from __future__ import annotations

import re

import pytest

from extractor.layout import PAGE_NUMBER
from models import BlockKind, DocumentStatus
from tests.conftest import sample_path

TEXT_SAMPLES = ["a", "b"]


def comparable(text: str) -> str:
    """What a paragraph must read, whatever the layout spaces: no whitespace, 臵 as 置."""
    return re.sub(r"\s+", "", text).replace("臵", "置")


@pytest.mark.parametrize("name", TEXT_SAMPLES)
def test_no_page_number_left_in_any_block(extracted, truth, name):
    result = extracted(name)
    footers = {f["text"] for f in truth(name)["footers"]}
    for block in result.blocks:
        assert not PAGE_NUMBER.match(block.text), block.text
        for footer in footers:
            assert footer not in block.text
    assert {f.text for f in result.furniture} >= footers


@pytest.mark.parametrize("name", TEXT_SAMPLES)
def test_every_paragraph_is_exactly_one_block(extracted, truth, name):
    blocks = [b for b in extracted(name).blocks if b.kind == BlockKind.paragraph]
    want = truth(name)["paragraphs"]
    assert [comparable(b.text) for b in blocks] == [comparable(p["text"]) for p in want]
    assert [(b.page_start, b.page_end) for b in blocks] == [(p["page_start"], p["page_end"]) for p in want]
    assert [b.section for b in blocks] == [p["section"] for p in want]


@pytest.mark.parametrize("name", TEXT_SAMPLES)
def test_text_is_clean(extracted, name):
    text = extracted(name).text
    assert "臵" not in text and "置" in text
    assert "1200家" in text and "1200 家" not in text  # the layout space between Chinese and digits
    assert "4月27日" in text


@pytest.mark.parametrize("name", TEXT_SAMPLES)
def test_metadata_is_exact(extracted, truth, name):
    meta = extracted(name).document.metadata
    want = truth(name)["metadata"]
    assert meta.issuer == want["issuer"] == "邵阳市打好重点民生保障仗工作专班"
    assert meta.issue_date.isoformat() == want["issue_date"] == "2023-05-24"
    assert meta.title == want["title"]
    assert meta.issue_number == want["issue_number"]
    assert [s.title for s in meta.sections] == [s["title"] for s in want["sections"]] == ["重要新闻", "部门动态", "区县动态", "工作简讯"]
    assert [[a.title for a in s.articles] for s in meta.sections] == [s["articles"] for s in want["sections"]]
    assert meta.report_to == want["report_to"]
    assert meta.send_to == want["send_to"]
    assert meta.phone == want["phone"] == "0739-5026059"
    assert meta.email == want["email"] == "syszdms@163.com"


@pytest.mark.parametrize("name", TEXT_SAMPLES)
def test_offsets_point_into_the_clean_text(extracted, name):
    result = extracted(name)
    for block in result.blocks:
        assert result.text[block.start:block.end] == block.text
        assert block.prov and block.prov[0].page == block.page_start and block.prov[-1].page == block.page_end
        for prov in block.prov:
            assert result.pages[prov.page - 1].start <= prov.start <= prov.end <= result.pages[prov.page - 1].end


def test_table_cells_are_exact_and_out_of_the_text(extracted, truth):
    result = extracted("b")
    want = truth("b")["tables"]
    assert len(result.tables) == len(want) == 1
    table, expected = result.tables[0], want[0]
    assert table.page == expected["page"]
    assert table.rows == expected["rows"]
    assert table.caption == expected["caption"].replace("  ", " ") or comparable(table.caption) == comparable(expected["caption"])
    assert table.section == "区县动态"
    # The cells stay out of the running text.
    first_county_row = expected["rows"][1]
    assert "".join(first_county_row[1:]) not in result.text.replace("\n", "")


def test_scanned_copy_is_reported_as_needing_ocr(truth, monkeypatch):
    # Without the OCR extra (rapidocr); tests/test_ocr.py reads the scan with it.
    from extractor import extract, ocr

    monkeypatch.setattr(ocr, "load_engine", lambda: None)
    result = extract(sample_path("c").read_bytes())
    assert result.document.status == DocumentStatus.needs_ocr
    assert result.document.page_count == truth("c")["pages"]
    assert result.blocks == [] and result.text == ""
    assert not any(p.has_text for p in result.pages)


@pytest.mark.parametrize("name", ["a", "b", "d"])  # c (OCR'd when rapidocr is installed): tests/test_ocr.py
def test_page_count(extracted, truth, name):
    assert extracted(name).document.page_count == truth(name)["pages"]
