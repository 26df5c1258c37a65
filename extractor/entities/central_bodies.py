"""The national bodies by their names: the State Council's ministries and commissions (水利部,
国家发改委), the bodies directly under it (国家统计局), former ministries still met in older texts
(铁道部, 国家计委), and the national bodies of the Party, the legislature, the courts and the
people's organisations (全国人大常委会, 中科院). A complete, closed list: ``data/central_bodies.jsonl``.

Local bodies are named from their level or place (县水利局, 省教育厅: organisations.py); these are
named alone. A name is taken only where it is a whole word (教育部 not in 教育部门) and not the
start of a title (外交部长 is a minister: the body is no entity of its own there).
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Doc, Span

from extractor.entities.spans import alternation, doc_text, doc_words, make_span
from extractor.lexicon import read_jsonl

RULE = "central_body"
# The last character of a body that has departments of its own: 船舶工业总公司|人事部, 宝钢集团|监察部.
OWNER_ENDINGS = set("司团厂行院校所")


@cache
def central_body_names() -> dict[str, str]:
    """Every written form → the full name: 国家发改委 → 国家发展和改革委员会."""
    out: dict[str, str] = {}
    for row in read_jsonl("central_bodies.jsonl"):
        for form in (row["full"], *row["short"]):
            out.setdefault(form, row["full"])
    return out


@cache
def central_body_pattern() -> re.Pattern:
    # Not followed by what makes a longer word of it: 部门, 部分, 部长, 部署, 局长.
    return re.compile(rf"(?:{alternation(central_body_names())})(?![门分长署])")


def central_body_spans(doc: Doc) -> list[Span]:
    text = doc_text(doc)
    if not any(c in text for c in "部委院局署会央行办总"):
        return []
    word_ends = {b for _, b, _ in doc_words(doc)}
    out = []
    for m in central_body_pattern().finditer(text):
        if m.end() not in word_ends:  # the name's end cuts a word: 公安部署 (公安 | 部署)
            continue
        if m.start() and text[m.start() - 1] in OWNER_ENDINGS:  # 总公司人事部: a company's own department
            continue
        span = make_span(doc, m.start(), m.end(), "ORG", rule=RULE, normalized=central_body_names()[m.group()])
        if span is not None:
            out.append(span)
    return out
