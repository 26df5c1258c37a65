"""Places written as one-character abbreviations in a pair or a chain before a word of relation
between them: 中美关系, 印巴双方, 中日韩三国, 京津合作 (each character a PLACE).

A one-character abbreviation alone is too ambiguous to find by rule (中 in 中小学, 美 in 美丽); two or
three of them joined and followed by 两国, 关系, 建交, 边界… are places whatever the model says.
The characters and the relation words are data: ``data/place_abbreviations.jsonl``.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Doc, Span

from extractor.entities.spans import alternation, doc_text, make_span
from extractor.lexicon import read_jsonl

RULE = "abbreviation_pair"


@cache
def abbreviation_pattern() -> re.Pattern:
    rows = {r["id"]: r for r in read_jsonl("place_abbreviations.jsonl")}
    chars = re.escape(rows["abbreviation.countries"]["chars"] + rows["abbreviation.regions"]["chars"])
    relation = alternation(rows["relation.words"]["words"])
    # Two or three abbreviations, not part of a longer run of them, then the relation word.
    return re.compile(rf"(?<![{chars}])[{chars}]{{2,3}}(?![{chars}])(?={relation})")


def abbreviation_spans(doc: Doc, taken: list[bool]) -> list[Span]:
    """One PLACE per character of each pair or chain not already inside a rule place."""
    out: list[Span] = []
    for m in abbreviation_pattern().finditer(doc_text(doc)):
        if any(taken[m.start():m.end()]):
            continue
        for i in range(m.start(), m.end()):
            span = make_span(doc, i, i + 1, "PLACE", rule=RULE)
            if span is not None:
                out.append(span)
    return out
