"""Foreign names written in transliteration characters (wordlists.transliteration_chars):

- a person's given and family names joined by ·: 萨尔瓦多·阿卡多, 亚历山大·曼尼科夫 (the whole name,
  where the model often stops at the dot or a character short);
- a foreign place with a place ending: 巴达赫尚省, 斯特拉斯堡市, 阿尔萨斯大区, 普沃茨克省.

Chinese places are the gazetteer's (taken first); a run must be a transliteration by
``is_transliterated`` (three characters or more, no common word of jieba's dictionary).
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Doc, Span

from extractor.entities.spans import doc_text, make_span
from extractor.entities.wordlists import is_transliterated, transliteration_chars

FOREIGN_PLACE_ENDINGS = ("省", "州", "市", "大区", "地区", "群岛", "岛", "半岛", "港", "湾", "海峡", "山脉")


@cache
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    chars = re.escape("".join(sorted(transliteration_chars() - {"·"})))
    person = re.compile(rf"(?<![{chars}·])[{chars}]{{2,}}(?:·[{chars}]+)+(?![{chars}·])")
    endings = "|".join(sorted(FOREIGN_PLACE_ENDINGS, key=len, reverse=True))
    place = re.compile(rf"(?<![{chars}])([{chars}]{{3,}}?)(?:{endings})")
    return person, place


def foreign_person_spans(doc: Doc) -> list[Span]:
    text = doc_text(doc)
    if "·" not in text:
        return []
    person, _ = _patterns()
    out = []
    for m in person.finditer(text):
        if text.startswith(FOREIGN_PLACE_ENDINGS, m.end()):
            continue
        span = make_span(doc, m.start(), m.end(), "PERSON", rule="foreign_name")
        if span is not None:
            out.append(span)
    return out


def foreign_place_spans(doc: Doc, taken: list[bool]) -> list[Span]:
    _, place = _patterns()
    out = []
    for m in place.finditer(doc_text(doc)):
        if any(taken[m.start():m.end()]) or not is_transliterated(m.group(1)):
            continue
        span = make_span(doc, m.start(), m.end(), "PLACE", rule="foreign_place")
        if span is not None:
            out.append(span)
    return out
