"""training/prepare.py: a corpus that does not annotate a type as we mean it teaches nothing about it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "training"))
from prepare import spans_from_tags, unannotated_spans  # noqa: E402


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("zh")  # one token per character, as prepare.py makes them


def _missing(doc) -> list[str]:
    """The runs of characters whose annotation is missing (ent_iob 0)."""
    runs, run = [], ""
    for token in doc:
        if token.ent_iob == 0:
            run += token.text
        elif run:
            runs, run = runs + [run], ""
    return runs + [run] if run else runs


@pytest.mark.parametrize("text, spans, entities, missing", [
    # Résumé LOC is a native place; it becomes missing, not a PLACE.
    ("1966年2月出生，陕西咸阳人，工程师。", [(10, 15, "PLACE")], [], ["陕西咸阳人"]),
    # A place Resume leaves unlabelled (jieba: 芜湖市/ns) is missing too, not "no entity".
    ("2010年被评为芜湖市突出贡献人才。", [], [], ["芜湖市"]),
    # Inside a labelled organisation the place stays part of it.
    ("现任江苏国泰国际集团有限公司董事。", [(2, 14, "ORG")], [("江苏国泰国际集团有限公司", "ORG")], []),
    # Persons and organisations are kept as labelled.
    ("易睿先生任浙江大学教授。", [(0, 2, "PERSON"), (5, 9, "ORG")], [("易睿", "PERSON"), ("浙江大学", "ORG")], []),
])
def test_unannotated_place(nlp, text, spans, entities, missing):
    doc = nlp.make_doc(text)
    ents = [doc.char_span(s, e, label=lab) for s, e, lab in spans]
    kept, gaps = unannotated_spans(doc, ents, "PLACE")
    doc.set_ents(kept, missing=gaps)
    assert [(e.text, e.label_) for e in doc.ents] == entities
    assert _missing(doc) == missing


def test_bmes_tags_to_spans():
    chars = list("陕西咸阳人会计师")
    tags = ["B-LOC", "M-LOC", "M-LOC", "M-LOC", "E-LOC", "B-TITLE", "M-TITLE", "E-TITLE"]
    assert spans_from_tags(chars, tags) == [(0, 5, "LOC"), (5, 8, "TITLE")]
