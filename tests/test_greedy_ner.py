"""The numpy decoding of the trained ner (extractor/greedy_ner.py) finds what spaCy's own finds."""

from __future__ import annotations

import re

import pytest
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Span

from extractor.entities import MODEL_DIR, entity_pipeline
from extractor.greedy_ner import GreedyEntityRecognizer, GreedyParse, Plan

pytestmark = pytest.mark.skipif(not (MODEL_DIR / "config.cfg").exists(), reason="no trained model shipped")

ODD = ["", "王", "市委常委、常务副市长王永红率队赴新邵县坪上镇洪溪中学调研。",
       "序号  项目名称   新邵县人民政府办公室\t\t责任单位",  # runs of spaces: whitespace tokens
       "邵阳市人力资源和社会保障局" * 3, "  李伯钊同志  "]


@pytest.fixture(scope="module")
def nlp():
    return entity_pipeline()


def _prepared(nlp, texts):
    """Docs through the components before the ner (features, tok2vec)."""
    docs = [nlp.make_doc(t) for t in texts]
    for name, component in nlp.pipeline:
        if name == "ner":
            break
        docs = list(component.pipe(docs))
    return docs


def _ents(docs):
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]


def _both(nlp, texts):
    ner = nlp.get_pipe("ner")
    ours, theirs = _prepared(nlp, texts), _prepared(nlp, texts)
    found = ner.predict(ours)
    assert isinstance(found, GreedyParse)
    ner.set_annotations(ours, found)
    EntityRecognizer.set_annotations(ner, theirs, EntityRecognizer.predict(ner, theirs))  # spaCy's own loop
    return _ents(ours), _ents(theirs)


def test_the_shipped_model_is_decoded_by_numpy(nlp):
    assert isinstance(nlp.get_pipe("ner"), GreedyEntityRecognizer)
    assert Plan.of(nlp.get_pipe("ner")) is not None


def test_same_entities_as_spacy_on_the_sample_sentences(nlp, extracted):
    text = extracted("a").text + "\n" + extracted("b").text
    sentences = [s for s in re.split(r"(?<=[。！？；\n])", text) if s.strip()]
    ours, theirs = _both(nlp, sentences + ODD)
    assert sum(map(len, theirs)) > 50  # the comparison is about something
    assert ours == theirs


def test_same_entities_on_whole_paragraphs_and_one_long_text(nlp, extracted):
    text = extracted("a").text
    paragraphs = [p for p in text.split("\n") if p.strip()]
    ours, theirs = _both(nlp, paragraphs + [text.replace("\n", "")])
    assert ours == theirs


def test_preset_entities_are_left_to_spacy_which_keeps_them(nlp):
    ner = nlp.get_pipe("ner")
    docs = _prepared(nlp, ["王永红率队赴新邵县调研。"])
    docs[0].ents = [Span(docs[0], 0, 3, label="PERSON")]
    found = ner.predict(docs)
    assert not isinstance(found, GreedyParse)
    ner.set_annotations(docs, found)
    assert ("王永红", "PERSON") in [(e.text, e.label_) for e in docs[0].ents]
