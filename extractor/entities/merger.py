"""Rule spans and model spans into one list (``bulletin_entity_merger``)."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import ner_features
from extractor.entities.persons import ADDRESS_TITLES, is_surname_start
from extractor.entities.spans import doc_text, is_han, make_span
from extractor.entities.wordlists import org_bodies, org_suffixes, person_titles
from extractor.gazetteer import gazetteer
from extractor.lexicon import read_jsonl


# Model spans that are never entities in a bulletin, whatever the model says.
NOT_ENTITIES = {"全市", "全县", "全区", "全省", "全国", "我市", "我县", "我区", "本市", "本县", "各地", "当地", "乡镇",
                "城乡", "农村", "城区", "党委", "政府", "人大", "政协", "市委", "县委", "中心"}
# What stands around a person's name: 由张三负责, 张三同志, 张三表示.
PERSON_BEFORE = ("、", "（", "(", "由", "和", "与", "及", "同志", "是", "为")
PERSON_AFTER = ("同志", "表示", "指出", "强调", "说", "介绍", "带队", "率队", "参加", "出席", "主持", "调研", "要求",
                "陪同", "、", "）", ")", "等", "书记", "市长", "县长", "主任", "局长", "部长")
# The last character of an organisation's name the model found: 国务院, 财政部, 新华社.
# Not 会: in bulletins 协商会, 推进会, 部署会 are meetings.
ORG_ENDING_CHARS = set("院部社厅署所局委办处站队团校馆行司厂")
LEVEL_WORD_CHARS = set("省市县区乡镇村组社街州")
# A name does not end like a place or a country: 郭家庄, 卢两国.
NOT_NAME_END = set("庄村乡镇县国省市区")
PLACE_ENDINGS = set("省市县区州旗盟镇乡村湾沟川畔岔堡屯寨坪岭山河湖江海岛峪垭坝塘洼庄店营铺")


@cache
def transliteration_chars() -> frozenset[str]:
    return frozenset(read_jsonl("transliteration.jsonl")[0]["chars"])


def is_transliterated(text: str) -> bool:
    """A foreign name (克林顿, 俄罗斯, 迈克尔·托马肖): three characters or more, all of the
    transliteration set, and no word of jieba's dictionary unless a name (nr*, ns*: jieba tags
    foreign names either way, 伊拉克 nrt, 莫斯科 nr)."""
    chars = transliteration_chars()
    if len(text) < 3 or not all(c in chars for c in text):
        return False
    words = ner_features.feature_segmenter()
    return not words.is_word(text) or words.tag(text)[:2] in ("nr", "ns")


def model_span_fits(span: Span) -> bool:
    """Whether a model span has the form of its type (the model alone is less precise)."""
    text = span.text
    if text in NOT_ENTITIES:
        return False
    # A given name · family name (维克多·佩罗塔) is a person's, whatever the model says.
    if (span.label_ == "PERSON" or span.label_ == "PLACE" and "·" not in text) and is_transliterated(text):
        return True
    if not all(is_han(c) for c in text) or len(text) < 2:
        return False
    words = ner_features.feature_segmenter()
    if span.label_ == "PERSON":
        s = is_surname_start(text)
        # A common word that starts with a surname is no name (江村); a word of jieba's dictionary
        # is one only where something around it speaks of a person (施工图审查 is none: jieba
        # lists 施工图 as a name). Names jieba does not know (王永红, 李伯钊) need no such cue.
        in_dictionary = words.is_word(text)
        if in_dictionary and words.tag(text)[:2] != "nr":
            return False
        if not s or not 2 <= len(text) <= s + 2 or text in person_titles() or text[-1] in NOT_NAME_END:
            return False
        if text[s:].endswith(ADDRESS_TITLES) or doc_text(span.doc)[span.start_char + s:].startswith(ADDRESS_TITLES):
            return False  # 王县长, 朱副主(任): a reference, linked (or not) to the full name later
        if any(form.startswith(text) for form in org_bodies() if len(form) > len(text)):
            return False  # 卫健 (卫健局), 人社 in a list of departments: 妇联、卫健、乡镇
        full = doc_text(span.doc)
        before = full[max(0, span.start_char - 8):span.start_char]
        after = full[span.end_char:span.end_char + 2]
        return (not in_dictionary or before.endswith(PERSON_BEFORE) or any(before.endswith(t) for t in person_titles())
                or after.startswith(PERSON_AFTER))
    if span.label_ == "ORG":
        endings = [e for e in list(org_suffixes()) + list(org_bodies()) if len(e) >= 2]
        # Two characters of name at least before the ending: 协商会 is no 商会.
        return (any(text.endswith(e) and len(text) - len(e) >= 2 for e in endings)
                or (len(text) >= 3 and text[-1] in ORG_ENDING_CHARS))
    if span.label_ == "PLACE":
        if len(text) == 2:
            # 北京, 湖南 (a province's or city's short form) and the model's countries (中国, 日本);
            # not a county's or township's short form, too often a word (安定, 长安).
            if all(c in LEVEL_WORD_CHARS for c in text):
                return False  # 镇村, 县乡, 省市: levels, not a place
            found = gazetteer().lookup(text)
            return not found or any(p.level in ("province", "city") for p in found)
        return text[-1] in PLACE_ENDINGS or bool(gazetteer().lookup(text))
    return False


@Language.factory("bulletin_entity_merger")
def make_merger(nlp: Language, name: str):
    return EntityMerger()


class EntityMerger:
    """Rule spans and fitting model spans into ``doc.spans["entities"]``.

    Organisations and persons do not overlap (the longest wins); a place may lie inside an
    organisation (发耳镇 in 发耳镇中心幼儿园 is a place of its own); a model span is kept only
    where no rule span lies.
    """

    def __call__(self, doc: Doc) -> Doc:
        main = spacy.util.filter_spans(list(doc.spans.get("rule_orgs", [])) + list(doc.spans.get("rule_persons", [])))
        covered_by = {}
        for s in main:
            for i in range(s.start_char, s.end_char):
                covered_by[i] = s
        result = list(main)
        for p in doc.spans.get("rule_places", []):
            host = {covered_by.get(i) for i in range(p.start_char, p.end_char)}
            if host == {None}:
                result.append(p)
            elif len(host) == 1 and None not in host:
                h = next(iter(host))
                if h.label_ == "ORG":
                    result.append(p)
        occupied = set()
        for s in result:
            occupied.update(range(s.start_char, s.end_char))
        for e in doc.ents:
            if occupied.isdisjoint(range(e.start_char, e.end_char)) and model_span_fits(e):
                span = make_span(doc, e.start_char, e.end_char, e.label_, rule="model")
                if span is not None:
                    result.append(span)
        doc.spans["entities"] = sorted(result, key=lambda s: (s.start_char, -s.end_char))
        return doc
