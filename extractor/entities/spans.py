"""What every stage shares: spans with what a rule knows of them, the doc's text and jieba words."""

from __future__ import annotations

import re
from typing import Iterable

from spacy.tokens import Doc, Span

from extractor import ner_features
from extractor.entities.area import Area

HAN = r"\u4e00-\u9fff"
SENTENCE_END = "。！？!?；;\n"

if not Span.has_extension("entity_info"):
    # What a rule knows about its span: {"code": …, "normalized": …, "title": …, "rule": …}.
    Span.set_extension("entity_info", default=None)


def alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


doc_text = ner_features.doc_text


def doc_words(doc: Doc) -> list[tuple[int, int, str]]:
    """The jieba words of a doc (set by jieba_word_features): (start char, end char, POS)."""
    words = doc.user_data.get("jieba_words")
    if words is None:
        words = ner_features.jieba_words(doc_text(doc))
    return [(a, b, pos) for a, b, _, pos in words]


def make_span(doc: Doc, start: int, end: int, label: str, **info) -> Span | None:
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None:
        return None
    span._.entity_info = info
    return span


def area_of(doc: Doc) -> Area:
    return doc.user_data.get("bulletin_area") or Area()


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"
