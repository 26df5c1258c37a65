"""Villages (``bulletin_places`` calls it): village-level names of the counties a paragraph is
about, from the national list (``data/villages.tsv.gz``), and the items of a list of villages.

A village's name repeats across the country (和平村, 团结村: hundreds each), so a name counts only
within a county the text is about, as townships are resolved: the document's county, and the
counties of the places the paragraph names (子长市瓦窑堡镇 → 子长市's villages).

- 石家川村, and 石家川 without 村 where it has three characters or more and is no common word
  (凉水湾, 史家畔; not 新村 alone, not 幸福 alone);
- every item of a list that ends with 等村 or 等N个村 (王庄、刘营、张湾等村), or whose every item
  ends with 村 (下庄村、柑园村、柳坪村), found in the county's list or not;
- in the document's own county, a village or township by its two characters where jieba's
  dictionary does not know them (联财、温堡、神林永久性蔬菜基地, 张楼蔬菜标准园).
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Doc, Span

from extractor import ner_features
from extractor.entities.area import Area
from extractor.entities.spans import HAN, doc_text, doc_words, make_span
from extractor.gazetteer import Gazetteer, Village, gazetteer, short_form, villages

# A name written without its 村 is read as a village only from three characters on.
MIN_BARE_NAME = 3
FORM_KEY = min(MIN_BARE_NAME, 3)  # every form is this long at least (a bare name; two characters and 村)
# jieba's frequency above which a word is common (新农村, 幸福社区 are words before they are villages).
COMMON_WORD_FREQ = 1000
# 王庄、刘营、张湾等村, 王庄、刘营等3个村, 王庄、刘营等行政村.
VILLAGE_LIST = re.compile(rf"((?:[{HAN}]{{2,4}}、)+[{HAN}]{{2,4}})等(?:[0-9一二三四五六七八九十]+个)?(?:行政|自然)?村")
# 下庄村、柑园村、柳坪村: a list of 2 or more whose every item ends with 村.
VILLAGE_ITEMS = re.compile(rf"(?<![{HAN}])[{HAN}]{{2,4}}村(?:、[{HAN}]{{2,4}}村)+")
# A word before a list that the first item takes with it: 对下庄村、柑园村, 在下庄村、….
LEADING_WORDS = set("对在到和与及把向从为由将经赴至")
# Words that start an item but no village's name: 全村, 各村, 贫困村, 示范村.
NOT_VILLAGE_START = ("全", "各", "每", "本", "该", "我", "贫困", "行政", "自然", "示范", "重点", "相关", "周边", "试点",
                     "美丽", "文明", "先进", "集体", "易地", "搬迁", "边缘", "脱贫", "空心", "中心", "农村", "乡村")


def counties_in_scope(text: str, area: Area, gaz: Gazetteer, place_spans: list[Span]) -> list[str]:
    """The document's county and the counties of the places the paragraph names, in that order."""
    out = [area.county] if area.county else []
    for span in place_spans:
        found = gaz.lookup(span.text)
        if len(found) != 1:
            continue
        place = found[0]
        county = place.code if place.level == "county" else (place.parent_code if place.level == "township" else None)
        if county and county not in out:
            out.append(county)
    return out


@cache
def county_forms(county: str) -> tuple[dict[str, list[Village]], dict[str, tuple[int, ...]]]:
    """The written forms of a county's villages (石家川村 and 石家川) and what each names, and by
    their first three characters (every form has three or more) the lengths of the forms that
    begin so, longest first: one dict lookup a position finds where a form may start (compiling
    300 names into one regular expression per county cost more than the lookups)."""
    forms: dict[str, list[Village]] = {}
    words = ner_features.feature_segmenter()
    for name, found in villages().in_county(county).items():
        forms_of_name = {name, name[:-1] if name.endswith("村") else name}
        if name.endswith("社区") and len(name) >= 5:
            forms_of_name.add(name[:-2] + "村")  # a village made a community keeps its old name: 铁匠炉村 (铁匠炉社区)
        for form in forms_of_name:
            long_enough = len(form) >= (MIN_BARE_NAME if form != name else 3)
            common = words.frequency(form) >= COMMON_WORD_FREQ and words.tag(form) != "ns"
            if long_enough and not common:
                forms.setdefault(form, []).extend(found)
    lengths: dict[str, set[int]] = {}
    for form in forms:
        lengths.setdefault(form[:FORM_KEY], set()).add(len(form))
    return forms, {key: tuple(sorted(n, reverse=True)) for key, n in lengths.items()}


def village_spans(doc: Doc, area: Area, taken: list[bool], place_spans: list[Span]) -> list[Span]:
    gaz = gazetteer()
    text = doc_text(doc)
    out: list[Span] = []

    def add(start: int, end: int, **info) -> None:
        if any(taken[start:end]):
            return
        span = make_span(doc, start, end, "PLACE", **info)
        if span is not None:
            out.append(span)
            for i in range(start, end):
                taken[i] = True

    for county in counties_in_scope(text, area, gaz, place_spans):
        forms, lengths = county_forms(county)
        # Where a form may start (its first characters begin one), left to right; a found
        # village's characters are passed over.
        starts = [s for s in range(len(text) - FORM_KEY + 1) if text[s:s + FORM_KEY] in lengths]
        free = 0
        for s in starts:
            if s < free or taken[s]:
                continue
            form = next((text[s:s + n] for n in lengths[text[s:s + FORM_KEY]] if text[s:s + n] in forms), None)
            if form is None:
                continue
            e = s + len(form)
            # 石家川 written bare takes the 村 that follows it: 石家川村.
            if not form.endswith("村") and text[e:e + 1] == "村":
                e += 1
            found = forms[form]
            village = _nearest(found, text[:s], gaz) if len(found) > 1 else found[0]
            add(s, e, rule="village", village_code=village.code if village else None,
                village_name=village.name if village else None)
            free = e
    out.extend(_two_character_names(doc, area, taken, model_persons={
        i for e in doc.ents if e.label_ == "PERSON" for i in range(e.start_char, e.end_char)}))
    for m in VILLAGE_LIST.finditer(text):
        pos = m.start(1)
        items = m.group(1).split("、")
        # 三江口镇白云村、青山村等村: the first item begins after the township found before it.
        while pos < m.end(1) and taken[pos] and len(items[0]) > 2:
            items[0], pos = items[0][1:], pos + 1
        for item in items:
            if not item.startswith(NOT_VILLAGE_START):
                add(pos, pos + len(item), rule="village_list")
            pos += len(item) + 1
    for m in VILLAGE_ITEMS.finditer(text):
        pos = m.start()
        items = m.group().split("、")
        if len(items[0]) > 3 and items[0][0] in LEADING_WORDS:
            items[0], pos = items[0][1:], pos + 1  # 对下庄村 → 下庄村
        for item in items:
            if not item.startswith(NOT_VILLAGE_START):
                add(pos, pos + len(item), rule="village_list")
            pos += len(item) + 1
    return out


@cache
def two_character_forms(county: str) -> dict[str, tuple[str, str]]:
    """The two-character names of a county's villages and townships written bare (联财 for 联财村
    and 联财镇, 张楼 for 张楼村) that jieba's dictionary does not hold (和平, 新民, 前进 are words
    before they are villages), each with its code and full name, the township's first."""
    gaz = gazetteer()
    words = ner_features.feature_segmenter()
    out: dict[str, tuple[str, str]] = {}
    for p in gaz.by_code.values():
        if p.level == "township" and p.parent_code == county:
            short = short_form(p.name)
            if short and len(short) == 2 and not words.is_word(short):
                out.setdefault(short, (p.code, p.name))
    for name, found in villages().in_county(county).items():
        if len(name) == 3 and name.endswith("村") and not words.is_word(name[:2]) and len(found) == 1:
            out.setdefault(name[:2], (found[0].code, found[0].name))
    return out


def _two_character_names(doc: Doc, area: Area, taken: list[bool], model_persons: set[int]) -> list[Span]:
    """联财、温堡、神林永久性蔬菜基地, 张楼蔬菜标准园: a village or township of the document's own
    county named by its two characters, before what it has, where jieba reads them as one word it
    does not know and the model reads no person there (杨莉 of a 杨莉村 stays a person)."""
    if not area.county:
        return []
    forms = two_character_forms(area.county)
    if not forms:
        return []
    text = doc_text(doc)
    candidates = [(a, b) for a, b, _ in doc_words(doc)
                  if b - a == 2 and text[a:b] in forms and not any(taken[a:b]) and text[b:b + 1] not in "村镇乡"]
    # A name the model reads as a person stays a place where it is listed beside one (联财、温堡).
    places = {a for a, _ in candidates if a not in model_persons}
    listed = {a for a, b in candidates if a in model_persons
              and (b + 1 in places and text[b] == "、" or a - 3 in places and text[a - 1] == "、")}
    out = []
    for a, b in candidates:
        if a not in places and a not in listed:
            continue
        code, name = forms[text[a:b]]
        if len(code) == 9:  # a township: its code resolves it as the gazetteer's places are
            span = make_span(doc, a, b, "PLACE", rule="township_short_form", code=code, name=name)
        else:
            span = make_span(doc, a, b, "PLACE", rule="village", village_code=code, village_name=name, bare=True)
        if span is not None:
            out.append(span)
            taken[a:b] = [True] * (b - a)
    return out


def _nearest(found: list[Village], before: str, gaz: Gazetteer) -> Village | None:
    """Of villages with one name in a county, the one whose township is named before it."""
    named = [v for v in found if (t := gaz.by_code.get(v.code[:9])) and t.name in before[-40:]]
    return named[0] if len(named) == 1 else None
