"""Places: gazetteer names, townships written with another ending, county short forms
(``bulletin_places``), and the resolution of an ambiguous name by the area around it."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import ner_features
from extractor.entities.abbreviations import abbreviation_spans
from extractor.entities.area import Area
from extractor.entities.foreign_names import foreign_place_spans
from extractor.entities.spans import alternation, area_of, doc_text, doc_words, is_han, make_span
from extractor.entities.villages import village_spans
from extractor.gazetteer import Gazetteer, Place, gazetteer, short_form
from extractor.lexicon import read_jsonl


# A township's written ending may differ from the gazetteer's: 野钟乡 (野钟苗族彝族布依族乡),
# 瓦窑堡镇 (now 瓦窑堡街道).
TOWNSHIP_ENDINGS = ("街道", "镇", "乡")
# Characters before a county short form that make it part of a word, not a place: 新宁 in 更新宁静.
# Characters after a short form that continue the place name: 新邵县 is matched whole elsewhere.
PLACE_CONTINUES = set("县市区镇乡州旗")
# A two-character stem is too common a word to be a township anywhere in China (安定, 长安):
# it counts only within the document's area; three characters (瓦窑堡) count anywhere.
MIN_STEM_ANYWHERE = 3
# 沛县, 丰县, 滑县, 和县: counties named with one character (the gazetteer's free-text search skips
# two-character names) and the characters that may stand before them: 在沛县, 赴滑县.
TWO_CHARACTER_COUNTY = re.compile(r"[\u4e00-\u9fff]县")
BEFORE_TWO_CHARACTER_COUNTY = set("在到赴至从对于与及经据向")
# A dateline: the outlet and place, then the day and 讯 or 电 (红网时刻永州7月12日讯).
DATELINE = re.compile(r"(?P<run>[\u4e00-\u9fff]{2,16})\s?(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})月(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})日(?:讯|电)")


def resolve_place(name: str, doc_text: str, start: int, area: Area, mentioned: Counter | None = None) -> Place | None:
    """The gazetteer place a name most likely means here.

    坪上镇 is five townships; after 新邵县 (新邵县坪上镇) it is 新邵县's; otherwise the one in the
    document's county, then city, then the one under the counties the document names most.
    """
    gaz = gazetteer()
    found = gaz.lookup(name)
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    before = doc_text[max(0, start - 12):start]
    for p in found:
        parents = gaz.parents(p)
        if any(par.name and before.endswith(par.name) for par in parents):
            return p
    for code in area.codes:
        inside = [p for p in found if p.code.startswith(code)]
        if len(inside) == 1:
            return inside[0]
        if inside:
            found = inside
            break
    if mentioned:
        scored = sorted(found, key=lambda p: -sum(mentioned.get(par.code, 0) for par in gaz.parents(p)))
        best = sum(mentioned.get(par.code, 0) for par in gaz.parents(scored[0]))
        second = sum(mentioned.get(par.code, 0) for par in gaz.parents(scored[1])) if len(scored) > 1 else 0
        if best > second:
            return scored[0]
    return None


@Language.factory("bulletin_places")
def make_places(nlp: Language, name: str):
    return PlaceRules()


class PlaceRules:
    """Gazetteer places into ``doc.spans["rule_places"]``; their code is resolved later, per document."""

    def __call__(self, doc: Doc) -> Doc:
        gaz = gazetteer()
        area = area_of(doc)
        text = doc_text(doc)
        spans: list[Span] = []
        taken = [False] * len(text)
        for start, end, name in gaz.find_in(text):
            if name[-1] in "乡镇" and self._township_crosses_words(doc, start, end):
                continue
            span = make_span(doc, start, end, "PLACE", rule="gazetteer", name=name)
            if span is not None:
                spans.append(span)
                for i in range(start, end):
                    taken[i] = True
        spans.extend(self._province_short_forms(doc, taken))
        spans.extend(self._two_character_counties(doc, gaz, taken, spans))
        spans.extend(self._county_variants(doc, gaz, taken))
        spans.extend(self._township_variants(doc, gaz, area, taken))
        spans.extend(self._county_short_forms(doc, gaz, area, taken))
        spans.extend(village_spans(doc, area, taken, spans))
        spans.extend(self._natural_features(doc, taken))
        spans.extend(self._dateline(doc, gaz, taken))
        spans.extend(abbreviation_spans(doc, taken))
        spans.extend(foreign_place_spans(doc, taken))
        zones = self._zones(doc, gaz, spans)
        if zones:  # 高新区 alone (a gazetteer name) inside 宁乡高新区 is no place of its own
            ends = {z.end_char: z.start_char for z in zones}
            spans = [s for s in spans if not (ends.get(s.end_char, s.start_char) < s.start_char
                                              and zone_pattern().fullmatch(s.text))] + zones
        doc.spans["rule_places"] = spans
        return doc

    def _province_short_forms(self, doc: Doc, taken: list[bool]) -> list[Span]:
        """海南 (海南自由贸易试验区), 新疆, 香港: a province-level division named without 省 or
        自治区 (data/provinces.jsonl), where jieba's words begin and end with it (not 东西藏起来)."""
        text = doc_text(doc)
        pattern, codes = province_short_pattern()
        if not pattern.search(text):
            return []
        words = doc_words(doc)
        starts, ends = {a for a, _, _ in words}, {b for _, b, _ in words}
        model = [(ent.start_char, ent.end_char) for ent in doc.ents]
        out = []
        for m in pattern.finditer(text):
            s, e = m.span()
            if s not in starts or e not in ends or any(taken[s:e]):
                continue
            # Inside a name the model found (海南 in 海南自由贸易试验区), or standing alone (赴海南。,
            # 新疆、西藏); not the start of a name the model missed (云南红塔队, （福建）有限公司).
            inside_model = any(a <= s and e <= b for a, b in model)
            alone = (e == len(text) or not is_han(text[e])) and text[s - 1:s] not in ("（", "(")
            if not (inside_model or alone):
                continue
            span = make_span(doc, s, e, "PLACE", rule="province_short_form", name=m.group(), code=codes[m.group()])
            if span is not None:
                out.append(span)
                taken[s:e] = [True] * (e - s)
        return out

    def _township_crosses_words(self, doc: Doc, start: int, end: int) -> bool:
        """宜居乡 in 美丽宜居乡村, 通城乡 in 畅通城乡: a township's name read across words — its
        ending makes a common word with the character after it, no word going on from that
        character (宜居乡村 but 白沙乡|村民, 坪上镇|镇长), or its first character ends a dictionary
        word that jieba reads (畅通|城乡)."""
        text = doc_text(doc)
        words = ner_features.feature_segmenter()
        pair = text[end - 1:end + 1]
        if (len(pair) == 2 and words.frequency(pair) >= COMMON_WORD_FREQ
                and not words.is_word(text[end:end + 2]) and not words.is_word(text[end:end + 3])):
            return True
        return any(a < start < b and words.is_word(text[a:b]) for a, b, _ in doc_words(doc) if a < start)

    def _township_variants(self, doc: Doc, gaz: Gazetteer, area: Area, taken: list[bool]) -> list[Span]:
        out = []
        text = doc_text(doc)
        for m in re.finditer("|".join(TOWNSHIP_ENDINGS), text):
            end = m.end()
            if taken[m.start()]:
                continue
            for length in (4, 3, 2):
                s = m.start() - length
                if s < 0 or any(taken[s:m.start()]):
                    continue
                stem = text[s:m.start()]
                if not all(is_han(c) for c in stem):
                    continue
                places = [p for p in gaz.by_short.get(stem, []) if p.level == "township"]
                if length < MIN_STEM_ANYWHERE:
                    places = [p for p in places if area.contains(p.code)]
                if places and self._township_crosses_words(doc, s, end):
                    break
                if places:
                    span = make_span(doc, s, end, "PLACE", rule="township_variant", name=stem + m.group(),
                                 candidates=[p.code for p in places])
                    if span is not None:
                        out.append(span)
                        for i in range(s, end):
                            taken[i] = True
                    break
        return out

    def _natural_features(self, doc: Doc, taken: list[bool]) -> list[Span]:
        """清水河, 红石水库, 青龙山: a two-character name that jieba reads as a word of its own (a
        noun or a name) and a feature's ending (data/natural_features.jsonl); not a word of the
        dictionary as a whole (母亲河, 江山) and not where the name starts inside another word.
        A three-character name counts where jieba reads it as one word (小龙潭|水库)."""
        text = doc_text(doc)
        words = ner_features.feature_segmenter()
        jieba_words = {a: (b, pos) for a, b, pos in doc_words(doc)}
        word_ending = {b: (a, pos) for a, b, pos in doc_words(doc)}
        out = []
        for m in feature_pattern().finditer(text):
            s, e = m.start() - 2, m.end()
            before = word_ending.get(m.start())
            three = before is not None and m.start() - before[0] == 3 and before[1] in FEATURE_NAME_POS
            if three:
                s = before[0]
            if s < 0 or any(taken[s:e]):
                continue
            stem = text[s:m.start()]
            w = jieba_words.get(s)
            whole = text[s:e]
            one_word = w is not None and w[0] == e and w[1][:2] in ("ns", "nz", "x")  # 青龙山 as one word
            if not (three or one_word) and (w is None or w[0] != m.start() or w[1] not in FEATURE_NAME_POS):
                continue
            if not all(is_han(c) for c in stem) or stem[0] in NOT_FEATURE_START or text[e:e + 1] in PLACE_CONTINUES | {"村"}:
                continue  # 这座山, 两座山; 古都河村 is a village
            if words.is_word(whole) and words.tag(whole)[:2] != "ns":
                continue
            span = make_span(doc, s, e, "PLACE", rule="natural_feature", name=whole)
            if span is not None:
                out.append(span)
                taken[s:e] = [True] * (e - s)
        return out

    def _dateline(self, doc: Doc, gaz: Gazetteer, taken: list[bool]) -> list[Span]:
        """红网时刻永州7月12日讯, 新华社北京3月5日电: a dateline's place, the longest province, city
        or county name or short form that ends the words before the date."""
        text = doc_text(doc)
        if "日讯" not in text and "日电" not in text:
            return []
        out = []
        for m in DATELINE.finditer(text):
            run_start, end = m.span("run")
            for s in range(max(run_start, end - 8), end - 1):
                if any(taken[s:end]):
                    continue
                found = [p for p in gaz.lookup(text[s:end]) if p.level in ("province", "city", "county")]
                if found:
                    span = make_span(doc, s, end, "PLACE", rule="dateline", name=text[s:end],
                                     **({"code": found[0].code} if len(found) == 1 else {"candidates": [p.code for p in found]}))
                    if span is not None:
                        out.append(span)
                        taken[s:end] = [True] * (end - s)
                    break
        return out

    def _zones(self, doc: Doc, gaz: Gazetteer, found: list[Span]) -> list[Span]:
        """长沙经济技术开发区, 望城经开区, 赤水市经开区: a zone (data/zones.jsonl) named after a
        division, written in full or short; the division stays a place of its own."""
        text = doc_text(doc)
        if "区" not in text and "园" not in text:
            return []
        place_at_end = {s.end_char: s.start_char for s in found if (s._.entity_info or {}).get("rule") != "natural_feature"}
        out = []
        for m in zone_pattern().finditer(text):
            start = place_at_end.get(m.start())
            if start is None:
                start = next((m.start() - n for n in (3, 2) if m.start() >= n and any(
                    p.level in ("province", "city", "county") for p in gaz.by_short.get(text[m.start() - n:m.start()], []))), None)
            if start is not None:
                span = make_span(doc, start, m.end(), "PLACE", rule="zone", name=text[start:m.end()])
                if span is not None:
                    out.append(span)
        return out

    def _two_character_counties(self, doc: Doc, gaz: Gazetteer, taken: list[bool], found: list[Span]) -> list[Span]:
        """沛县, 丰县, 滑县: a county named with one character, where no word runs into it: at the
        start of a clause, after a city (徐州市沛县) or a preposition (在沛县); not 市和县 (和县)."""
        text = doc_text(doc)
        place_ends = {s.end_char for s in found}
        out = []
        for m in TWO_CHARACTER_COUNTY.finditer(text):
            s, e = m.span()
            places = [p for p in gaz.by_name.get(m.group(), []) if p.level == "county"]
            if not places or any(taken[s:e]):
                continue
            before = text[s - 1] if s else ""
            if before and is_han(before) and before not in BEFORE_TWO_CHARACTER_COUNTY and s not in place_ends:
                continue
            span = make_span(doc, s, e, "PLACE", rule="gazetteer", name=m.group(),
                             **({"code": places[0].code} if len(places) == 1 else {"candidates": [p.code for p in places]}))
            if span is not None:
                out.append(span)
                taken[s:e] = [True] * (e - s)
        return out

    def _county_variants(self, doc: Doc, gaz: Gazetteer, taken: list[bool]) -> list[Span]:
        """城步县 for 城步苗族自治县, 围场县 for 围场满族蒙古族自治县: a county's short form and 县;
        湘西州 for 湘西土家族苗族自治州, 黔东南州: an autonomous prefecture's and 州."""
        text = doc_text(doc)
        out = []
        for m in re.finditer("[县旗州]", text):
            e = m.end()
            level = "city" if m.group() == "州" else "county"
            for length in (4, 3, 2):
                s = m.start() - length
                if s < 0 or any(taken[s:e]):
                    continue
                places = [p for p in gaz.by_short.get(text[s:m.start()], []) if p.level == level
                          and (level == "county" or p.name.endswith("自治州"))]
                if places:
                    span = make_span(doc, s, e, "PLACE", rule="county_variant", name=text[s:e],
                                     candidates=[p.code for p in places])
                    if span is not None:
                        out.append(span)
                        taken[s:e] = [True] * (e - s)
                    break
        return out

    def _county_short_forms(self, doc: Doc, gaz: Gazetteer, area: Area, taken: list[bool]) -> list[Span]:
        """新邵 → 新邵县, only for counties of the document's city (武冈卤菜, 洞口古楼龙凤茶叶)."""
        if not area.city:
            return []
        shorts = short_forms_in(area.city)
        if not shorts:
            return []
        out = []
        text = doc_text(doc)
        for m in re.finditer(alternation(shorts), text):
            s, e = m.span()
            if any(taken[s:e]) or (e < len(text) and text[e] in PLACE_CONTINUES):
                continue
            place = shorts[m.group()]
            span = make_span(doc, s, e, "PLACE", rule="county_short_form", name=place.name, code=place.code)
            if span is not None:
                out.append(span)
        return out


# What a feature's name may be to jieba: a noun, a place or other name, a distinguishing word.
NOT_FEATURE_START = set("这那此该每各某本全整一二三四五六七八九十几两座")
FEATURE_NAME_POS = {"n", "nz", "ns", "nr", "b", "x", "j", "ng", "nrt"}


@cache
def province_short_pattern() -> tuple[re.Pattern, dict[str, str]]:
    codes = {r["short"]: r["code"] for r in read_jsonl("provinces.jsonl")}
    return re.compile(alternation(codes)), codes


@cache
def zone_pattern() -> re.Pattern:
    return re.compile(alternation(r["text"] for r in read_jsonl("zones.jsonl")))


@cache
def feature_pattern() -> re.Pattern:
    return re.compile(alternation(r["text"] for r in read_jsonl("natural_features.jsonl")))


@cache
def short_forms_in(city_code: str) -> dict[str, Place]:
    """Short forms of the counties of a city that name one county only: 新邵 → 新邵县."""
    gaz = gazetteer()
    out: dict[str, Place] = {}
    city_short = short_form(gaz.by_code[city_code].name) if city_code in gaz.by_code else None
    for place in gaz.by_code.values():
        if place.level == "county" and place.parent_code == city_code:
            short = short_form(place.name)
            # 邵阳 names the city first (邵阳样本), not 邵阳县.
            if short and len(short) >= 2 and short != city_short:
                out[short] = place
    return out


COMMON_WORD_FREQ = 1000


def area_stem_ending_at(text: str, pos: int, area: Area, levels=("township", "county")) -> int | None:
    """Start of a township or county short form of the document's area that ends at ``pos``
    (南李村 in 南李村江村小学, 五头 in 五头三中), else None."""
    if not area.codes:
        return None
    for length in (4, 3, 2):
        if pos - length >= 0 and township_stem(text[pos - length:pos], area, levels):
            return pos - length
    return None


def township_stem(word: str, area: Area, levels=("township", "county")) -> bool:
    """A township's short form in the document's area: 正村 (正村镇) in 正村中岳小学."""
    if len(word) < 2 or not area.codes:
        return False
    # A frequent common word is not read as a place: 人民 (人民街道) in 县人民医院.
    words = ner_features.feature_segmenter()
    if words.frequency(word) >= COMMON_WORD_FREQ and words.tag(word) != "ns":
        return False
    return any(p.level in levels and area.contains(p.code) for p in gazetteer().by_short.get(word, []))
