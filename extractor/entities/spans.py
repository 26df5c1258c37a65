"""What every stage shares: spans with what a rule knows of them, the doc's text and jieba words."""

from __future__ import annotations

import re
from functools import lru_cache
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
    """A regular expression for any of ``words`` that tries the longest first where several match,
    as ``长|长官`` sorted longest first would (``长官|长``), written as a tree of their common
    beginnings (``长(?:官)?``): Python's re tries each branch of an alternation in turn at
    every place, which for the 400 body words (人社局, 发改委 …) cost 0.7 µs a character; the
    tree tries one branch a character. A match and its backtracking go through the same words in
    the same order (one word of each length can match at a place: longest first)."""
    return _alternation(frozenset(words))


@lru_cache(maxsize=256)
def _alternation(words: frozenset[str]) -> str:
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    return _branches(tree)


def _branches(node: dict) -> str:
    # Children are tried before the end of a word here (a greedy ?), so longer words come first.
    options = [re.escape(ch) + _branches(child) for ch, child in sorted(node.items()) if ch]
    if not options:
        return ""
    inner = options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"
    if "" not in node:
        return inner
    return ("(?:" + inner + ")" if len(options) == 1 and len(inner) > 1 else inner) + "?"


doc_text = ner_features.doc_text


def doc_words(doc: Doc) -> list[tuple[int, int, str]]:
    """The jieba words of a doc (set by jieba_word_features): (start char, end char, POS).
    Made once a doc (four rules ask); callers do not change it."""
    found = doc.user_data.get("jieba_word_spans")
    if found is None:
        words = doc.user_data.get("jieba_words")
        if words is None:
            words = ner_features.jieba_words(doc_text(doc))
        found = doc.user_data["jieba_word_spans"] = [(a, b, pos) for a, b, _, pos in words]
    return found


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
