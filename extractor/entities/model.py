"""Loading the spaCy pipeline: the trained recogniser (``ner_model/``) and the rule components after it."""

from __future__ import annotations

import gc
import re
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import NumpyOps
from threadpoolctl import threadpool_limits

# Importing the stages registers their factories; greedy_ner registers bulletin_ner, the model's ner.
from extractor import greedy_ner, ner_features  # noqa: F401
from extractor.entities import merger, organisations, persons, places  # noqa: F401
from extractor.entities.organisations import body_pattern, suffix_pattern
from extractor.entities.persons import credit_line_pattern, national_leaders, title_pattern

MODEL_DIR = Path(__file__).resolve().parent.parent / "ner_model"


def load_jieba_user_dictionary(tokenizer=None) -> None:
    """Add our place and organisation words to jieba (its global tokenizer by default), so that
    other code's segmentation keeps 坪上镇 and 人社局 whole. Idempotent; call it once at start."""
    ner_features.load_entity_words(tokenizer)


@cache
def entity_pipeline() -> Language:
    """The trained ner (when shipped) with the rule components after it."""
    gc.disable()  # building the gazetteer's 45,000 places and the words would set off many useless collections
    try:
        return _entity_pipeline()
    finally:
        gc.enable()


def _entity_pipeline() -> Language:
    if (MODEL_DIR / "config.cfg").exists():
        nlp = spacy.load(MODEL_DIR)
        use_numpy_matmul(nlp)
    else:  # no trained model: rules only, still with the word features they use
        nlp = spacy.blank("zh")
        nlp.add_pipe("jieba_word_features")
    if getattr(nlp.tokenizer, "segmenter", None) == "char":
        nlp.tokenizer = CharacterTokenizer(nlp.tokenizer)
    for name in ("bulletin_places", "bulletin_organisations", "bulletin_persons", "bulletin_entity_merger"):
        nlp.add_pipe(name)
    # Load now what the first call would: jieba with our words (and rjieba's HMM, loaded on its
    # first unknown word), the gazetteer, the patterns.
    ner_features.jieba_words("王永红赴坪上镇")
    title_pattern(), body_pattern(), suffix_pattern(), credit_line_pattern(), national_leaders()
    return nlp


def use_numpy_matmul(nlp: Language) -> None:
    """The trained layers multiply their matrices with numpy's BLAS (OpenBLAS) instead of thinc's
    default, blis: on the tok2vec's shapes (thousands of characters × 64–256) OpenBLAS does
    2.5–3× the floating-point operations a second on one core (bench/bench_entities.py), and the
    tok2vec is half the pipeline's time. The products round differently in the last bits; the
    entities are the same (bench/entities_output.py).

    OpenBLAS would start a thread a core for them where blis used one: the process's BLAS is set
    to one thread, as a worker is one core (with its default threads, on this 2-core machine under
    load, it took a third more CPU time for no less wall time)."""
    threadpool_limits(limits=1, user_api="blas")
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops


WHITESPACE = re.compile(r"\s")  # the characters str.isspace() and str.split() know: the same table


class CharacterTokenizer:
    """spaCy's Chinese tokenizer in "char" mode (one token a character), its Doc made directly
    where the text has no whitespace, as most sentences: it aligns the characters with the text
    again (``get_words_and_spaces``), which costs as much as the Doc itself. Text with whitespace
    goes to spaCy's, which makes a run of spaces one token or a token's trailing space."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab

    def __call__(self, text: str) -> Doc:
        if WHITESPACE.search(text) is None:
            return Doc(self.vocab, words=list(text), spaces=[False] * len(text))
        return self.tokenizer(text)

    def __getattr__(self, name):  # to_disk, segmenter, pkuseg_update …: spaCy's
        if name == "tokenizer":  # not set yet (a copy being made)
            raise AttributeError(name)
        return getattr(self.tokenizer, name)
