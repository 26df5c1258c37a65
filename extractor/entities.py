"""Persons, places and organisations in a bulletin's clean text.

    from extractor.entities import find_entities, distinct_entities
    entities = find_entities(extraction.text, issue_date=..., page_of=text_map.page_of)

Rules first, the trained recogniser (``ner_model/``, see training/) fills the gaps. A spaCy
pipeline runs over each paragraph:

1. ``jieba_word_features`` (ner_features.py): the jieba word and POS of every character
   (rjieba, with the gazetteer's names and the organisation words added);
2. ``ner``: the trained character model (PERSON, PLACE, ORG), decoded by greedy_ner.py;
3. ``bulletin_places``: gazetteer names (坪上镇), township names written with another ending
   (野钟乡 for 野钟苗族彝族布依族乡), county short forms of the document's city (新邵 → 新邵县);
4. ``bulletin_organisations``: government bodies with their level or place (市人社局, 县政府办,
   重庆市万州区发展和改革委员会), institutions by their ending (洪溪中学, 林场幼儿园, …有限公司),
   task forces (邵阳市打好重点民生保障仗工作专班);
5. ``bulletin_persons``: a name after a title (副市长蒋伟), names listed after 领导 or before 同志;
6. ``bulletin_entity_merger``: rule spans win; a model span is kept where no rule span lies and
   its form fits its type (a person starts with a surname, an organisation ends like one).

Then, over the whole document: names found once are found everywhere (王永红强调), surname+title
references are linked to the full name (王市长 → 王永红), ambiguous townships get the code of
the county that precedes them or of the document's area, and short forms are expanded
(市人社局 → 邵阳市人力资源和社会保障局). The word lists are data: ``data/org_bodies.jsonl``,
``org_suffixes.jsonl``, ``person_titles.jsonl``, ``person_ranks.jsonl``, ``surnames.jsonl``,
``generic_words.jsonl``.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import greedy_ner, ner_features  # noqa: F401  (greedy_ner registers bulletin_ner, the model's ner)
from extractor.gazetteer import Gazetteer, Place, gazetteer, short_form
from extractor.lexicon import read_jsonl

MODEL_DIR = Path(__file__).parent / "ner_model"
HAN = r"\u4e00-\u9fff"
SENTENCE_END = "。！？!?；;\n"

if TYPE_CHECKING:
    from models import Entity

if not Span.has_extension("entity_info"):
    # What a rule knows about its span: {"code": …, "normalized": …, "title": …, "rule": …}.
    Span.set_extension("entity_info", default=None)


def load_jieba_user_dictionary(tokenizer=None) -> None:
    """Add our place and organisation words to jieba (its global tokenizer by default), so that
    other code's segmentation keeps 坪上镇 and 人社局 whole. Idempotent; call it once at start."""
    ner_features.load_entity_words(tokenizer)


# ---------------------------------------------------------------------------------------------
# Word lists (data/*.jsonl)


@dataclass(frozen=True)
class OrgBody:
    id: str
    full: str
    short: tuple[str, ...]
    kind: str
    normalized: str | None


@cache
def org_bodies() -> dict[str, OrgBody]:
    """Every written form (full and short) → its body."""
    out: dict[str, OrgBody] = {}
    for row in read_jsonl("org_bodies.jsonl"):
        body = OrgBody(row["id"], row["full"], tuple(row.get("short", [])), row["kind"], row.get("normalized"))
        for form in (body.full, *body.short):
            out.setdefault(form, body)
    return out


HEAD_KINDS = {"party", "government", "congress", "cppcc", "discipline"}


@cache
def surnames() -> tuple[frozenset[str], tuple[str, ...]]:
    single: set[str] = set()
    compound: list[str] = []
    for row in read_jsonl("surnames.jsonl"):
        single.update(row.get("single", ""))
        compound.extend(row.get("compound", []))
    return frozenset(single), tuple(compound)


@cache
def person_titles() -> tuple[str, ...]:
    return tuple(sorted((r["text"] for r in read_jsonl("person_titles.jsonl")), key=len, reverse=True))


@cache
def person_ranks() -> tuple[str, ...]:
    return tuple(sorted((r["text"] for r in read_jsonl("person_ranks.jsonl")), key=len, reverse=True))


@cache
def org_suffixes() -> dict[str, bool]:
    """Institution endings → whether the place stays in the name (keep_place)."""
    return {r["text"]: r["keep_place"] for r in read_jsonl("org_suffixes.jsonl")}


@cache
def generic_words() -> frozenset[str]:
    return frozenset(r["text"] for r in read_jsonl("generic_words.jsonl"))


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# ---------------------------------------------------------------------------------------------
# The document's area: which city and county the bulletin is about


@dataclass
class Area:
    """Codes of the document's province, city and county (any may be None) and the votes behind them."""

    province: str | None = None
    city: str | None = None
    county: str | None = None
    votes: Counter = field(default_factory=Counter)

    @property
    def codes(self) -> list[str]:
        return [c for c in (self.county, self.city, self.province) if c]

    def contains(self, code: str) -> bool:
        return any(code.startswith(c) for c in self.codes)


def _place_by_name(name: str | None, level_hint: str | None = None) -> Place | None:
    if not name:
        return None
    found = gazetteer().lookup(name)
    if level_hint:
        found = [p for p in found if p.level == level_hint] or found
    return found[0] if len(found) == 1 or (found and level_hint) else None


def document_area(text: str, city: str | None = None, county: str | None = None) -> Area:
    """The area a bulletin is about: the caller's city/county, else the places its text names most.

    Every unambiguous gazetteer name votes for its county, city and province codes
    (新邵县 → 430522, 4305, 43); a city or county is the document's when it has most votes.
    """
    gaz = gazetteer()
    votes: Counter = Counter()
    for _, _, name in gaz.find_in(text):
        found = gaz.lookup(name)
        if len(found) != 1:
            continue
        place = found[0]
        chain = [place, *gaz.parents(place)]
        for p in chain:
            votes[p.code] += 1
    area = Area(votes=votes)
    given_county = _place_by_name(county, "county")
    given_city = _place_by_name(city, "city")
    if given_county:
        area.county = given_county.code
        parent = gaz.by_code.get(given_county.parent_code)
        area.city = parent.code if parent and parent.level == "city" else None
    if given_city:
        area.city = given_city.code
    by_level: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for code, n in votes.items():
        p = gaz.by_code.get(code)
        if p and p.level in ("province", "city", "county"):
            by_level[p.level].append((n, code))
    if not area.city and by_level["city"]:
        ranked = sorted(by_level["city"], reverse=True)
        if len(ranked) == 1 or ranked[0][0] > ranked[1][0]:
            area.city = ranked[0][1]
    if not area.county and by_level["county"]:
        ranked = sorted(by_level["county"], reverse=True)
        # One county that most mentions are about (a county bulletin), not a city's many counties.
        inside = [r for r in ranked if not area.city or r[1].startswith(area.city)]
        if inside and (len(inside) == 1 or inside[0][0] >= 2 * inside[1][0]):
            area.county = inside[0][1]
    if area.city or area.county:
        code = area.county or area.city
        place = gaz.by_code[code]
        area.province = next((p.code for p in gaz.parents(place) if p.level == "province"), None)
        if not area.city and area.county:
            area.city = next((p.code for p in gaz.parents(place) if p.level == "city"), None)
    return area


# ---------------------------------------------------------------------------------------------
# Helpers on docs


_text = ner_features.doc_text


def _words(doc: Doc) -> list[tuple[int, int, str]]:
    """The jieba words of a doc (set by jieba_word_features): (start char, end char, POS)."""
    words = doc.user_data.get("jieba_words")
    if words is None:
        words = ner_features.jieba_words(_text(doc))
    return [(a, b, pos) for a, b, _, pos in words]


def _span(doc: Doc, start: int, end: int, label: str, **info) -> Span | None:
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None:
        return None
    span._.entity_info = info
    return span


def _area_of(doc: Doc) -> Area:
    return doc.user_data.get("bulletin_area") or Area()


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


# ---------------------------------------------------------------------------------------------
# Places


# A township's written ending may differ from the gazetteer's: 野钟乡 (野钟苗族彝族布依族乡),
# 瓦窑堡镇 (now 瓦窑堡街道).
TOWNSHIP_ENDINGS = ("街道", "镇", "乡")
# Characters before a county short form that make it part of a word, not a place: 新宁 in 更新宁静.
# Characters after a short form that continue the place name: 新邵县 is matched whole elsewhere.
PLACE_CONTINUES = set("县市区镇乡州旗")
# A two-character stem is too common a word to be a township anywhere in China (安定, 长安):
# it counts only within the document's area; three characters (瓦窑堡) count anywhere.
MIN_STEM_ANYWHERE = 3


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
        area = _area_of(doc)
        text = _text(doc)
        spans: list[Span] = []
        taken = [False] * len(text)
        for start, end, name in gaz.find_in(text):
            span = _span(doc, start, end, "PLACE", rule="gazetteer", name=name)
            if span is not None:
                spans.append(span)
                for i in range(start, end):
                    taken[i] = True
        spans.extend(self._township_variants(doc, gaz, area, taken))
        spans.extend(self._county_short_forms(doc, gaz, area, taken))
        doc.spans["rule_places"] = spans
        return doc

    def _township_variants(self, doc: Doc, gaz: Gazetteer, area: Area, taken: list[bool]) -> list[Span]:
        out = []
        text = _text(doc)
        for m in re.finditer("|".join(TOWNSHIP_ENDINGS), text):
            end = m.end()
            if taken[m.start()]:
                continue
            for length in (4, 3, 2):
                s = m.start() - length
                if s < 0 or any(taken[s:m.start()]):
                    continue
                stem = text[s:m.start()]
                if not all(_is_han(c) for c in stem):
                    continue
                places = [p for p in gaz.by_short.get(stem, []) if p.level == "township"]
                if length < MIN_STEM_ANYWHERE:
                    places = [p for p in places if area.contains(p.code)]
                if places:
                    span = _span(doc, s, end, "PLACE", rule="township_variant", name=stem + m.group(),
                                 candidates=[p.code for p in places])
                    if span is not None:
                        out.append(span)
                        for i in range(s, end):
                            taken[i] = True
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
        text = _text(doc)
        for m in re.finditer(_alternation(shorts), text):
            s, e = m.span()
            if any(taken[s:e]) or (e < len(text) and text[e] in PLACE_CONTINUES):
                continue
            place = shorts[m.group()]
            span = _span(doc, s, e, "PLACE", rule="county_short_form", name=place.name, code=place.code)
            if span is not None:
                out.append(span)
        return out


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


# ---------------------------------------------------------------------------------------------
# Organisations


# A level written before a body: 市人社局, 县委办公室. Not after a character that makes the level
# part of a word: 全市, 城区, 本县, 各县.
LEVEL_CHARS = "省市县区州旗乡镇"
LEVEL_LIST = re.compile(r"各?[省市县区乡镇]+（[省市县区乡镇、]+）$")
NOT_BEFORE_LEVEL = set("全本该我各城都超两跨外省市县区乡镇村社街园矿郊地")
# Words after a head (市委, 县政府) that make it part of a person's title, not an organisation:
# 市委常委、常务副市长; and 成员单位 after a body names its members, not the body.
TITLE_AFTER_HEAD = ("常委", "书记", "副书记", "委员", "主任", "副主任", "主席", "副主席", "秘书长", "常务")
NOT_AFTER_ORG = ("成员单位",)
# Single-character short forms (办 for 办公室) only where no word continues: 县政府办 but not 县政府办理.
SINGLE_CHAR_FOLLOWERS = set("理法好成事公结实件学案到过")
# POS of jieba words an institution's name may contain (nouns, names, place names, abbreviations,
# distinguishing words); a verb, preposition or conjunction ends it on the left.
NAME_POS = {"n", "nr", "ns", "nt", "nz", "nrt", "nrfg", "j", "b", "x", "l", "s", "vn", "an", "ng", "eng", "a", "i"}
# POS of words that name (jieba's person, place, organisation and other proper names, abbreviations,
# and words it does not know): 楚怡 (nr), 洪溪 (x).
PROPER_POS = {"nr", "ns", "nt", "nz", "nrt", "nrfg", "j", "x", "eng"}
NUMERAL_SCHOOL = re.compile(r"[一二三四五六七八九十]{1,2}中(?![心央国职小华共文型部间期央]|学(?!生))")
TEAM_SUFFIXES = ("工作专班", "领导小组", "指挥部")
MAX_ORG_LENGTH = 24
# Words before an institution that are not part of its name: holding an office (现任, 曾任, 2004年任)
# and 原 (former): 原宁夏发电集团有限责任公司 is 宁夏发电集团有限责任公司.
OFFICE_VERBS = {"任", "现任", "曾任", "历任", "原任", "兼任", "出任", "担任", "调任", "升任", "起任", "年任", "后任",
                "先后任", "原"}
# An institution's own name before its ending is short: 楚怡中职, 综合智慧养老服务.
MAX_CORE_LENGTH = 8


@cache
def body_pattern() -> re.Pattern:
    bodies = org_bodies()
    heads = [f for f, b in bodies.items() if b.kind in HEAD_KINDS]
    rest = [f for f, b in bodies.items() if b.kind not in HEAD_KINDS]
    # A head with or without a body (市委, 市委办公室), or a body alone (人社局); never empty.
    return re.compile(rf"(?P<head>{_alternation(heads)})(?P<body>{_alternation(rest)})?|(?P<body_only>{_alternation(rest)})")


@cache
def suffix_pattern() -> re.Pattern:
    return re.compile(_alternation(org_suffixes()))


@Language.factory("bulletin_organisations")
def make_organisations(nlp: Language, name: str):
    return OrganisationRules()


class OrganisationRules:
    """Government bodies, institutions and task forces into ``doc.spans["rule_orgs"]``."""

    def __call__(self, doc: Doc) -> Doc:
        places = {s.end_char: s for s in doc.spans.get("rule_places", [])}
        spans = self._bodies(doc, places)
        spans += self._institutions(doc, places, spans)
        spans += self._numeral_schools(doc, places)
        doc.spans["rule_orgs"] = spacy.util.filter_spans(spans)
        return doc

    def _prefix(self, text: str, start: int, places: dict[int, Span]) -> tuple[int, list[tuple[str, str]]]:
        """Walk left from a body over its place names or level: (new start, [(kind, text)…])."""
        parts: list[tuple[str, str]] = []
        pos = start
        while pos in places:
            span = places[pos]
            parts.insert(0, ("place", span.text))
            pos = span.start_char
        if not parts and pos > 0 and text[pos - 1] in LEVEL_CHARS:
            before = text[pos - 2] if pos >= 2 else ""
            if before not in NOT_BEFORE_LEVEL:
                parts.insert(0, ("level", text[pos - 1]))
                pos -= 1
        if not parts:
            # 各县（市区）人力资源和社会保障局: the bodies of every county, city and district.
            m = LEVEL_LIST.search(text[max(0, pos - 12):pos])
            if m:
                parts.insert(0, ("levels", m.group()))
                pos -= len(m.group())
        if parts and text[max(0, pos - 2):pos] == "中共":
            pos -= 2
        return pos, parts

    def _bodies(self, doc: Doc, places: dict[int, Span]) -> list[Span]:
        text = _text(doc)
        bodies = org_bodies()
        out = []
        for m in body_pattern().finditer(text):
            if m.end() == m.start():
                continue
            head, body = m.group("head"), m.group("body") or m.group("body_only")
            end = m.end()
            if body and len(body) == 1 and end < len(text) and text[end] in SINGLE_CHAR_FOLLOWERS:
                if not head:
                    continue
                body, end = None, m.end("head")
            after = text[end:end + 4]
            if any(after.startswith(w) for w in NOT_AFTER_ORG):
                continue
            start, prefix = self._prefix(text, m.start(), places)
            if not prefix:
                # A bare department is an organisation (财政局, 乡村振兴局); a bare head or office is not
                # (政府, 办公室). A character before it that continues a word makes it part of it.
                b = bodies.get(body or "")
                bare_ok = (not head and b is not None and b.kind in ("department", "people_org")
                           and len(body) >= 2 and (m.start() == 0 or not _is_han(text[m.start() - 1])
                                                   or text[m.start() - 1] in "、和及与的"))
                if not bare_ok:
                    continue
            if head and not body and any(after.startswith(w) for w in TITLE_AFTER_HEAD):
                continue
            if head == "委" and not body and not prefix:
                continue
            head_body = bodies.get(head) if head else None
            body_body = bodies.get(body) if body else None
            span = _span(doc, start, end, "ORG", rule="government_body", prefix=prefix,
                         head=head_body.id if head_body else None, body=body_body.id if body_body else None)
            if span is not None:
                out.append(span)
        return out

    def _institutions(self, doc: Doc, places: dict[int, Span], taken_spans: list[Span]) -> list[Span]:
        text = _text(doc)
        words = _words(doc)
        word_starting = {}
        for w in words:
            word_starting[w[0]] = w
        ends = {w[1]: w for w in words}
        area = _area_of(doc)
        keep = org_suffixes()
        generic = generic_words()
        out = []
        for m in suffix_pattern().finditer(text):
            suffix = m.group()
            s_start, s_end = m.span()
            if any(text[s_end:].startswith(w) for w in NOT_AFTER_ORG):
                continue
            # 中心社区, 中心城区 are no centres; 二中学生宿舍 is 二中's students' dormitory.
            if s_end < len(text) and suffix in ("中心", "学校") and text[s_end:s_end + 1] in "校城区组社镇村":
                continue
            if suffix == "中学" and text[s_end:s_end + 1] == "生" and s_start and text[s_start - 1] in "一二三四五六七八九十":
                continue
            # Walk left over jieba words that may belong to a name.
            pieces: list[tuple[int, int, str]] = []  # (start, end, kind: place|word|numeral)
            pos = s_start
            while pos > 0 and s_end - pos < MAX_ORG_LENGTH:
                if pos in places:
                    p = places[pos]
                    pieces.insert(0, (p.start_char, pos, "place"))
                    pos = p.start_char
                    continue
                stem_start = _area_stem_ending_at(text, pos, area, levels=("township",))
                if stem_start is not None:
                    pieces.insert(0, (stem_start, pos, "place"))
                    pos = stem_start
                    continue
                w = ends.get(pos)
                if w is None:
                    # The suffix begins inside a jieba word (林场幼儿园 as one word): take its left part.
                    w = next((x for x in words if x[0] < pos < x[1]), None)
                    if w is None:
                        break
                    left = text[w[0]:pos]
                    if pos == s_start and w[2] != "x" and not (w[1] == s_end and (left in generic or len(left) >= 2)):
                        # The ending is inside a known word: 协商会, 中小学 are no 商会, 小学; but
                        # 中心小学, 中医医院 are a word and the ending.
                        break
                    w = (w[0], pos, w[2])
                ws, we, pos_tag = w
                piece = text[ws:we]
                if not all(_is_han(c) for c in piece):
                    break
                if re.fullmatch(r"第?[一二三四五六七八九十百零〇]+", piece):
                    pieces.insert(0, (ws, we, "numeral"))
                    pos = ws
                    continue
                if pos_tag not in NAME_POS and piece not in generic:
                    break
                if s_start - ws > MAX_CORE_LENGTH and not any(k == "place" for _, _, k in pieces):
                    break
                if piece.startswith(("我", "本", "该", "全", "各")) and len(piece) <= 3:
                    break  # 我县, 本市, 全区: the writer's own area, not part of a name
                if piece in OFFICE_VERBS or (len(piece) == 2 and piece[1] == "是"):
                    break  # 现任深圳市通产集团有限公司, 一是旅行者集团: the name starts after them
                if _township_stem(piece, area):
                    pieces.insert(0, (ws, we, "place"))
                else:
                    pieces.insert(0, (ws, we, "name" if pos_tag in PROPER_POS and piece not in generic else "word"))
                pos = ws
            # 县人民医院: a level before the name belongs to it (not after 全, 各: 全县学校).
            first = pieces[0][0] if pieces else s_start
            if (first > 0 and text[first - 1] in "省市县区" and (first == 1 or not _is_han(text[first - 2]))
                    and suffix not in TEAM_SUFFIXES):
                pieces.insert(0, (first - 1, first, "level"))
            span = self._institution_span(doc, pieces, s_start, s_end, suffix, keep.get(suffix, False), generic)
            if span is not None:
                out.append(span)
        return out

    def _institution_span(self, doc, pieces, s_start, s_end, suffix, keep_place, generic) -> Span | None:
        text = _text(doc)
        # Split the leading places from the core: 新邵县 坪上镇 | 洪溪 | 中学.
        lead = 0
        while lead < len(pieces) and pieces[lead][2] in ("place", "level"):
            lead += 1
        places, core = pieces[:lead], pieces[lead:]
        core_text = "".join(text[a:b] for a, b, _ in core)
        is_generic = not core or all(k == "numeral" or text[a:b] in generic for a, b, k in core)
        team = suffix in TEAM_SUFFIXES
        if team:
            # A task force is named from its place or level at the start of the clause:
            # 邵阳市打好重点民生保障仗工作专班, 省打好重点民生保障仗工作专班 — never 成立工作专班.
            clause = re.search(rf"[{HAN}]*$", text[:s_start])
            c_start = clause.start() if clause else s_start
            if s_end - c_start > MAX_ORG_LENGTH or s_start - c_start < 2:
                return None
            first = text[c_start]
            place_here = any(a == c_start for a, _, k in pieces if k == "place") or c_start in {
                s.start_char for s in doc.spans.get("rule_places", [])}
            if not (place_here or (first in "省市县区乡镇" and text[c_start + 1] not in "场")):
                return None
            return _span(doc, c_start, s_end, "ORG", rule="task_force", suffix=suffix)
        if keep_place or is_generic:
            if not places:
                if is_generic or len(core_text) < 2:
                    return None
                return _span(doc, core[0][0], s_end, "ORG", rule="institution", suffix=suffix)
            start = places[-1][0]
            return _span(doc, start, s_end, "ORG", rule="institution", suffix=suffix)
        if not places and not any(k == "name" for _, _, k in core):
            # Without a place or level, a name needs a proper-name word (楚怡, 洪溪): 未成年人学校,
            # 人民医院 and 义务教育公办强校项目学校 are common words only.
            return None
        # A proper name: a county or township before it is where it is, not part of its name
        # (新邵县坪上镇洪溪中学 → 洪溪中学); a city right before it is part of it (邵阳市楚怡中职学校).
        start = core[0][0]
        gaz = gazetteer()
        for a, b, kind in reversed(places):
            found = gaz.lookup(text[a:b])  # full names and short forms: 内蒙古平庄能源股份有限公司
            if kind == "level" or found and all(p.level in ("city", "province") for p in found):
                start = a
            else:
                break
        return _span(doc, start, s_end, "ORG", rule="institution", suffix=suffix)

    def _numeral_schools(self, doc: Doc, places: dict[int, Span]) -> list[Span]:
        """铁门一中, 石寺二中: a place or a name word, then a numeral and 中."""
        text = _text(doc)
        out = []
        words = _words(doc)
        ends = {w[1]: w for w in words}
        area = _area_of(doc)
        for m in NUMERAL_SCHOOL.finditer(text):
            s = m.start()
            if s in places:
                start = places[s].start_char
            elif _area_stem_ending_at(text, s, area) is not None:  # 五头 (五头镇) in 五头三中
                start = _area_stem_ending_at(text, s, area)
            else:
                w = ends.get(s)
                if not w or w[1] - w[0] < 2 or not all(_is_han(c) for c in text[w[0]:w[1]]) or w[2] not in NAME_POS:
                    continue
                start = w[0]
            span = _span(doc, start, m.end(), "ORG", rule="numeral_school")
            if span is not None:
                out.append(span)
        return out


COMMON_WORD_FREQ = 1000


def _area_stem_ending_at(text: str, pos: int, area: Area, levels=("township", "county")) -> int | None:
    """Start of a township or county short form of the document's area that ends at ``pos``
    (南李村 in 南李村江村小学, 五头 in 五头三中), else None."""
    if not area.codes:
        return None
    for length in (4, 3, 2):
        if pos - length >= 0 and _township_stem(text[pos - length:pos], area, levels):
            return pos - length
    return None


def _township_stem(word: str, area: Area, levels=("township", "county")) -> bool:
    """A township's short form in the document's area: 正村 (正村镇) in 正村中岳小学."""
    if len(word) < 2 or not area.codes:
        return False
    # A frequent common word is not read as a place: 人民 (人民街道) in 县人民医院.
    words = ner_features.feature_segmenter()
    if words.frequency(word) >= COMMON_WORD_FREQ and words.tag(word) != "ns":
        return False
    return any(p.level in levels and area.contains(p.code) for p in gazetteer().by_short.get(word, []))


# ---------------------------------------------------------------------------------------------
# Persons


# A character after which a name cannot go on: 副市长蒋伟参加 is 蒋伟, not 蒋伟参.
NAME_STOP = set("参率带在主调强指出等到同和及与对为是说表要代作陪也就来赴深先会讲宣介汇听检视慰看致提并向从把被将已于副书市县区任局委的了等、，。；：！？,.;:!?（）()")
# Surnames that are far more often function words right after a title: 领导和支持.
NOT_NAME_START = set("和及与的在对向从于将把被为由")


@cache
def title_pattern() -> re.Pattern:
    heads = "委|人大常委会|人大|政协|人民政府|政府|纪委监委|纪委"
    # The body a title belongs to: 市委常委, 县人社局局长, 区委宣传部部长.
    departments = _alternation(f for f, b in org_bodies().items()
                               if b.kind in ("department", "party_department", "office", "people_org") and len(f) >= 2)
    org = rf"(?:中共)?(?:[省市县区乡镇](?:{heads})?)?(?:{departments})?"
    rank = f"(?:{_alternation(person_ranks())})?"
    one = f"{org}{rank}(?:{_alternation(person_titles())})"
    single, compound = surnames()
    surname = f"(?:{_alternation(compound)}|[{''.join(sorted(single))}])"
    return re.compile(rf"(?P<title>{one}(?:、{one})*)[：:]?\s?(?P<name>{surname}[{HAN}]{{1,2}})")


def is_surname_start(text: str) -> int:
    """Length of the surname ``text`` starts with (2 for 欧阳), else 0."""
    single, compound = surnames()
    if any(text.startswith(c) for c in compound):
        return 2
    return 1 if text[:1] in single else 0


def name_at(text: str, start: int, model_ends: dict[int, int]) -> int | None:
    """End of the name starting at ``start`` (after a title): the model's reading if it has one,
    else surname + two characters unless the third cannot be part of a name (蒋伟参加 → 蒋伟)."""
    s = is_surname_start(text[start:])
    if not s or text[start] in NOT_NAME_START:
        return None
    model_end = model_ends.get(start)
    if model_end and s + 1 <= model_end - start <= s + 2 and not NAME_STOP.intersection(text[start + s:model_end]):
        return model_end
    end = start + s + 1
    if end > len(text) or not all(_is_han(c) for c in text[start:end]):
        return None
    if end < len(text) and _is_han(text[end]) and text[end] not in NAME_STOP:
        end += 1
    return end


@Language.factory("bulletin_persons")
def make_persons(nlp: Language, name: str):
    return PersonRules()


class PersonRules:
    """Names after titles, in lists after 领导 and before 同志, after 本报讯 / 联系人."""

    def __call__(self, doc: Doc) -> Doc:
        text = _text(doc)
        model_ends = {e.start_char: e.end_char for e in doc.ents if e.label_ == "PERSON"}
        out: list[Span] = []
        for m in title_pattern().finditer(text):
            name_start = m.start("name")
            end = name_at(text, name_start, model_ends)
            if end is None:
                continue
            title = m.group("title").rstrip("：:")
            span = _span(doc, name_start, end, "PERSON", rule="title_name", title=title)
            if span is None:
                continue
            out.append(span)
            # 县领导孔德余、王蕾、谢涛; 副县长张晓红、刘伟: more names under the same title.
            out.extend(self._list_after(doc, end, model_ends, title))
        # 本报讯（马强）, a reporter's name in brackets.
        for m in re.finditer(rf"本报讯[（(](?:记者|通讯员)?\s?([{HAN}]{{2,4}})[）)]", text) if "本报讯" in text else ():
            if is_surname_start(m.group(1)):
                span = _span(doc, m.start(1), m.end(1), "PERSON", rule="byline", title="通讯员")
                if span is not None:
                    out.append(span)
        # 严华、学健、…、蒋伟同志: everyone in a list that ends with 同志 is a person.
        for m in re.finditer(rf"(?<![{HAN}])((?:[{HAN}]{{2,3}}、)+[{HAN}]{{2,3}})同志", text) if "同志" in text else ():
            pos = m.start(1)
            for item in m.group(1).split("、"):
                span = _span(doc, pos, pos + len(item), "PERSON", rule="comrades_list")
                if span is not None:
                    out.append(span)
                pos += len(item) + 1
        doc.spans["rule_persons"] = spacy.util.filter_spans(out)
        return doc

    def _list_after(self, doc: Doc, pos: int, model_ends: dict[int, int], title: str) -> list[Span]:
        """县领导孔德余、王蕾、谢涛: names go on while a 、 is followed by another name."""
        text = _text(doc)
        out = []
        while pos < len(text) and text[pos] == "、":
            end = name_at(text, pos + 1, model_ends)
            if end is None:
                break
            span = _span(doc, pos + 1, end, "PERSON", rule="leader_list", title=title)
            if span is None:
                break
            out.append(span)
            pos = end
        return out


# ---------------------------------------------------------------------------------------------
# Merging rules and model


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
    if not all(_is_han(c) for c in text) or len(text) < 2:
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
        if text[s:].endswith(ADDRESS_TITLES) or _text(span.doc)[span.start_char + s:].startswith(ADDRESS_TITLES):
            return False  # 王县长, 朱副主(任): a reference, linked (or not) to the full name later
        if any(form.startswith(text) for form in org_bodies() if len(form) > len(text)):
            return False  # 卫健 (卫健局), 人社 in a list of departments: 妇联、卫健、乡镇
        doc_text = _text(span.doc)
        before = doc_text[max(0, span.start_char - 8):span.start_char]
        after = doc_text[span.end_char:span.end_char + 2]
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
                span = _span(doc, e.start_char, e.end_char, e.label_, rule="model")
                if span is not None:
                    result.append(span)
        doc.spans["entities"] = sorted(result, key=lambda s: (s.start_char, -s.end_char))
        return doc


# ---------------------------------------------------------------------------------------------
# The pipeline


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
    else:  # no trained model: rules only, still with the word features they use
        nlp = spacy.blank("zh")
        nlp.add_pipe("jieba_word_features")
    for name in ("bulletin_places", "bulletin_organisations", "bulletin_persons", "bulletin_entity_merger"):
        nlp.add_pipe(name)
    # Load now what the first call would: jieba with our words (and rjieba's HMM, loaded on its
    # first unknown word), the gazetteer, the patterns.
    ner_features.jieba_words("王永红赴坪上镇")
    title_pattern(), body_pattern(), suffix_pattern()
    return nlp


def _paragraphs(text: str, blocks=None) -> list[tuple[int, int]]:
    if blocks:
        return [(b.start, b.end) for b in blocks if b.end > b.start]
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _sentence(text: str, start: int, end: int) -> str:
    s = start
    while s > 0 and text[s - 1] not in SENTENCE_END:
        s -= 1
    e = end
    while e < len(text) and text[e] not in SENTENCE_END:
        e += 1
    if e < len(text) and text[e] != "\n":
        e += 1
    return text[s:e].strip()


@dataclass
class _Found:
    type: str
    start: int
    end: int
    text: str
    info: dict


def _run(text: str, area: Area, blocks=None) -> list[_Found]:
    nlp = entity_pipeline()
    spans = _paragraphs(text, blocks)
    docs = []
    for a, b in spans:
        doc = nlp.make_doc(text[a:b])
        doc.user_data["text"] = text[a:b]
        doc.user_data["bulletin_area"] = area
        docs.append(doc)
    found: list[_Found] = []
    for (a, _), doc in zip(spans, nlp.pipe(docs, batch_size=64)):
        for s in doc.spans["entities"]:
            found.append(_Found(s.label_, a + s.start_char, a + s.end_char, s.text, dict(s._.entity_info or {})))
    return found


def find_entities(text: str, *, issue_date: dt.date | None = None, city: str | None = None,
                  county: str | None = None, page_of: Callable[[int], int] = lambda o: 1,
                  blocks=None) -> list[Entity]:
    """Persons, places and organisations in a bulletin's clean text, one Entity per mention.

    ``city``/``county`` name the bulletin's area when known (from its issuer); otherwise it is
    inferred from the places the text names. ``blocks`` (the Extraction's) give the paragraphs;
    without them the text is split at newlines. ``issue_date`` is accepted for a uniform call with
    the other finders (names of divisions are not dated here).
    """
    if not text.strip():
        return []
    area = document_area(text, city, county)
    found = _run(text, area, blocks)
    found = _propagate_names(text, found)
    found += _surname_title_references(text, found)
    mentioned = Counter()
    gaz = gazetteer()
    for f in found:
        if f.type == "PLACE" and f.info.get("rule") == "gazetteer":
            places = gaz.lookup(f.text)
            if len(places) == 1:
                for p in [places[0], *gaz.parents(places[0])]:
                    mentioned[p.code] += 1
    # A person's title found once goes with every mention of the name (王永红强调 after 常务副市长王永红).
    titles: dict[str, str] = {}
    for f in found:
        if f.type == "PERSON" and f.info.get("title") and f.info.get("rule") != "surname_title":
            titles.setdefault(f.text, f.info["title"])
    for f in found:
        if f.type == "PERSON" and not f.info.get("title") and f.text in titles:
            f.info["title"] = titles[f.text]
    entities = []
    for f in sorted(found, key=lambda f: (f.start, -f.end)):
        entities.append(_entity(text, f, area, mentioned, page_of))
    return entities


def _propagate_names(text: str, found: list[_Found]) -> list[_Found]:
    """A person's or model-found place's name found once is that entity wherever else it stands
    (王永红率队… then 王永红强调); a title found once goes with every mention."""
    out = list(found)
    occupied = [False] * len(text)
    for f in found:
        if f.type != "PLACE" or f.info.get("rule") == "model":
            for i in range(f.start, f.end):
                occupied[i] = True
    names: dict[str, _Found] = {}
    for f in found:
        if f.type == "PERSON" and len(f.text) >= 2 and is_surname_start(f.text) and f.info.get("rule") != "comrades_list":
            if f.text not in names or (f.info.get("title") and not names[f.text].info.get("title")):
                names[f.text] = f
        elif f.type == "PLACE" and f.info.get("rule") == "model":
            names.setdefault(f.text, f)
    if not names:
        return out
    have = {(f.start, f.end) for f in found}
    pattern = re.compile(_alternation(names))
    for m in pattern.finditer(text):
        s, e = m.span()
        if (s, e) in have or any(occupied[s:e]):
            continue
        # Not inside a longer name: 王永红 in 王永红梅 is someone else.
        if e < len(text) and _is_han(text[e]) and names[m.group()].type == "PERSON" and text[e] not in NAME_STOP:
            continue
        src = names[m.group()]
        out.append(_Found(src.type, s, e, m.group(), {"rule": "same_name", "title": src.info.get("title")}))
    return out


ADDRESS_TITLES = ("常务副市长", "副市长", "市长", "副县长", "县长", "副区长", "区长", "副书记", "书记", "副主任", "主任",
                  "副局长", "局长", "副部长", "部长", "镇长", "乡长", "主席", "秘书长")


def _surname_title_references(text: str, found: list[_Found]) -> list[_Found]:
    """朱副主任, 王市长: linked to the one person of the document with that surname and title."""
    persons = {}
    for f in found:
        if f.type == "PERSON" and f.info.get("title") and len(f.text) >= 2:
            persons.setdefault(f.text, f.info["title"])
    if not persons:
        return []
    occupied = set()
    for f in found:
        occupied.update(range(f.start, f.end))
    out = []
    single, _ = surnames()
    for m in re.finditer(rf"([{''.join(sorted(single))}])({_alternation(ADDRESS_TITLES)})", text):
        s, e = m.span()
        if s > 0 and _is_han(text[s - 1]) and text[s - 1] not in "由请向与和及对经据、":
            continue
        if not occupied.isdisjoint(range(s, e)):
            continue
        surname, title = m.groups()
        # 王市长 is a person whose title ends with 市长 (副市长 for 王副市长): take the exact title word.
        matches = [n for n, t in persons.items() if n.startswith(surname)
                   and any(part.endswith(title) and not part.endswith("副" + title) or part.endswith(title) and title.startswith("副")
                           for part in re.split("[、，]", t))]
        if len(matches) == 1:
            out.append(_Found("PERSON", s, e, m.group(), {"rule": "surname_title", "title": title,
                                                          "normalized": matches[0]}))
    return out


def _entity(text: str, f: _Found, area: Area, mentioned: Counter, page_of) -> Entity:
    gaz = gazetteer()
    info = f.info
    normalized = info.get("normalized")
    code = None
    parents: list[str] = []
    title = info.get("title")
    if f.type == "PLACE":
        place = None
        if info.get("code"):
            place = gaz.by_code.get(info["code"])
        elif info.get("candidates"):
            cands = [gaz.by_code[c] for c in info["candidates"] if c in gaz.by_code]
            place = cands[0] if len(cands) == 1 else resolve_among(cands, text, f.start, area, mentioned)
        else:
            place = resolve_place(f.text, text, f.start, area, mentioned)
        if place:
            code = place.code
            normalized = place.name
            parents = [p.name for p in gaz.parents(place)]
        else:
            normalized = f.text
    elif f.type == "ORG":
        normalized = expand_organisation(f.text, info, area) or f.text
    elif f.type == "PERSON":
        normalized = normalized or f.text
    from models import Entity, EntityType  # here: tag-entities need not load the data model (0.04 s)

    return Entity(type=EntityType(f.type), text=f.text, normalized=normalized, title=title, code=code,
                  parents=parents, page=page_of(f.start), start=f.start, end=f.end,
                  sentence=_sentence(text, f.start, f.end))


def resolve_among(cands: list[Place], text: str, start: int, area: Area, mentioned: Counter) -> Place | None:
    for code in area.codes:
        inside = [p for p in cands if p.code.startswith(code)]
        if len(inside) == 1:
            return inside[0]
    gaz = gazetteer()
    if mentioned:
        scored = sorted(cands, key=lambda p: -sum(mentioned.get(par.code, 0) for par in gaz.parents(p)))
        if sum(mentioned.get(par.code, 0) for par in gaz.parents(scored[0])) > 0:
            return scored[0]
    return None


def expand_organisation(text: str, info: dict, area: Area) -> str | None:
    """市人社局 → 邵阳市人力资源和社会保障局 where the city is known; 县政府办 → 新安县人民政府办公室."""
    if info.get("rule") != "government_body":
        return None
    gaz = gazetteer()
    bodies_by_id = {b.id: b for b in org_bodies().values()}
    head = bodies_by_id.get(info.get("head")) if info.get("head") else None
    body = bodies_by_id.get(info.get("body")) if info.get("body") else None
    prefix = info.get("prefix") or []
    place = ""
    if prefix and prefix[0][0] == "level":
        level = prefix[0][1]
        code = None
        if level == "市":
            code = area.city
        elif level in "县区旗" and area.county:
            code = area.county
        elif level == "省":
            code = area.province
        if code is None:
            return None
        place = gaz.by_code[code].name
    elif prefix:
        place = "".join(t for _, t in prefix)
    if head and not body:
        return (head.normalized or "{place}" + head.full).format(place=place)
    if head and head.kind == "party":
        # 市委办公室 → 中共邵阳市委办公室: the party committee's bodies keep the short 委.
        return f"中共{place}委" + (body.full if body else "")
    return place + (head.full if head else "") + (body.full if body else "")


def distinct_entities(entities: list[Entity]) -> list[dict]:
    """One row per distinct entity (type and normalized name), with its mention count and the
    texts it was written as, in order of first mention."""
    rows: dict[tuple[str, str], dict] = {}
    for e in entities:
        key = (e.type.value, e.normalized or e.text)
        row = rows.get(key)
        if row is None:
            row = rows[key] = {"type": e.type.value, "text": e.text, "normalized": e.normalized or e.text,
                               "code": e.code, "parents": list(e.parents), "title": e.title, "mentions": 0,
                               "forms": [], "pages": []}
        row["mentions"] += 1
        if e.text not in row["forms"]:
            row["forms"].append(e.text)
        if e.page not in row["pages"]:
            row["pages"].append(e.page)
        row["title"] = row["title"] or e.title
        row["code"] = row["code"] or e.code
    return list(rows.values())


# ---------------------------------------------------------------------------------------------
# bulletin tag-entities


def tag_lines(lines: Iterable[str], *, city: str | None = None, county: str | None = None) -> Iterable[dict]:
    """For each input line (one sentence), {"entities": [[start, end, type], …]} with offsets into
    the line. Lines are tagged one at a time, each on its own (no document context). The output is
    flat, as the standard NER corpora it is measured on: a place inside an organisation's name
    (深圳市 in 深圳市特尔佳科技股份有限公司) is left out here, where ``find_entities`` keeps it."""
    nlp = entity_pipeline()

    def docs():
        for line in lines:
            line = line.rstrip("\n")
            doc = nlp.make_doc(line)
            doc.user_data["text"] = line
            doc.user_data["bulletin_area"] = Area()
            yield doc

    for doc in nlp.pipe(docs(), batch_size=256):
        flat: list[Span] = []
        for span in doc.spans["entities"]:  # sorted by start, the longest first: an outer span comes first
            if not flat or span.start_char >= flat[-1].end_char:
                flat.append(span)
        yield {"entities": [[s.start_char, s.end_char, s.label_] for s in flat]}


def tag_stream(stdin=None, stdout=None) -> int:
    """Read sentences from stdin, write one JSON object per line to stdout; returns the line count."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    n = 0
    for row in tag_lines(stdin):
        stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    stdout.flush()
    return n
