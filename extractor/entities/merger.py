"""Rule spans and model spans into one list (``bulletin_entity_merger``)."""

from __future__ import annotations

import re
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import ner_features
from extractor.entities.persons import ADDRESS_TITLES, is_surname_start
from extractor.entities.spans import doc_text, is_han, make_span
from extractor.entities.wordlists import (industry_words, is_transliterated, org_bodies, org_suffixes, person_titles,
                                         province_abbreviations)
from extractor.gazetteer import gazetteer


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
# How a body's name can end, wider than ORG_ENDING_CHARS: 美国国会, 中国共产党, 北京大学, 日本女队, 北约军.
ORG_NAME_END_CHARS = ORG_ENDING_CHARS | set("会党学军盟台报组团委系科")
LEVEL_WORD_CHARS = set("省市县区乡镇村组社街州")
# A name does not end like a place or a country: 郭家庄, 卢两国.
NOT_NAME_END = set("庄村乡镇县国省市区")
PLACE_ENDINGS = set("省市县区州旗盟镇乡村湾沟川畔岔堡屯寨坪岭山河湖江海岛峪垭坝塘洼庄店营铺")


def model_span_veto(span: Span) -> str | None:
    """The reason a model span is not kept, or None. Each veto is in ``VETOES`` because it was
    measured to remove more wrong spans than right ones on both bulletins and the held-out news
    sentences (README, "How entities are found"); a form that is merely unusual (联合国 without
    a listed ending, 邓小平 without a title, 中 in 中美关系) is no reason."""
    for name in VETOES:
        if VETO_CHECKS[name](span):
            return name
    return None


def model_span_fits(span: Span) -> bool:
    """Whether a model span is kept (no veto applies)."""
    return model_span_veto(span) is None


def _not_an_entity(span: Span) -> bool:
    """全市, 我县, 乡镇, 政府: words for the writer's own area or a kind of body, never a name."""
    return span.text in NOT_ENTITIES


def _levels_only(span: Span) -> bool:
    """镇村, 县乡, 省市: two levels, not a place."""
    return span.label_ == "PLACE" and len(span.text) == 2 and all(c in LEVEL_WORD_CHARS for c in span.text)


def _person_reference(span: Span) -> bool:
    """王县长, 朱副主(任): a surname and title, linked (or not) to the full name later."""
    if span.label_ != "PERSON":
        return False
    s = is_surname_start(span.text)
    full = doc_text(span.doc)
    return bool(s) and (span.text[s:].endswith(ADDRESS_TITLES) or full[span.start_char + s:].startswith(ADDRESS_TITLES))


def _person_body_short_form(span: Span) -> bool:
    """卫健 (卫健局), 人社 in a list of departments: 妇联、卫健、乡镇."""
    return span.label_ == "PERSON" and span.text in body_form_prefixes()


@cache
def body_form_prefixes() -> frozenset[str]:
    """Every proper beginning of a body's written form: 卫健 (卫健局), 人社 (人社局)."""
    return frozenset(f[:i] for f in org_bodies() for i in range(1, len(f)))


def _person_title_word(span: Span) -> bool:
    """书记, 主任: a title taken for a name."""
    return span.label_ == "PERSON" and span.text in person_titles()


def _person_place_end(span: Span) -> bool:
    """郭家庄, 卢两国: a name does not end like a place or a country; but 建国, 卫国, 振国 are
    given names (刘建国): 国 ends a name unless a count or a kind of countries comes before it."""
    text = span.text
    if span.label_ != "PERSON" or len(text) < 2 or text[-1] not in NOT_NAME_END or is_transliterated(text):
        return False
    return text[-1] != "国" or len(text) == 2 or text[-2] in COUNTRIES_BEFORE


COUNTRIES_BEFORE = set("两三四五六七八九十几各诸多本我该全外邻大小强友盟")


def _org_odd_characters(span: Span) -> bool:
    """杜集区民生办 信息来源, 120元, 佳丽2019-07-12: a space, a digit or a clause's punctuation."""
    # A number that names the institution is no odd character: 北京市171中学, 301医院, 第7319工厂.
    return span.label_ == "ORG" and ODD_IN_ORG.search(NUMBERED_INSTITUTION.sub("", span.text)) is not None


def _org_ends_in_verb(span: Span) -> bool:
    """海南自由贸易试验区（港）建设, 绥宁竹木加工: a body's name ends in a noun, not a verb."""
    if span.label_ != "ORG":
        return False
    last = [w for w in span.doc.user_data.get("jieba_words") or () if w[1] == span.end_char and w[0] >= span.start_char]
    # …nor in a conjunction, a particle or a preposition: 斯特拉斯堡市和, 北京西单路口的. A body's
    # ending character is none of them, whatever jieba tags it (湖南省园艺|所: c; 广东经济学|会: v).
    return bool(last) and last[0][3][:1] in ("v", "c", "u", "p") and span.text[-1] not in ORG_NAME_END_CHARS


def _numbered_session(span: Span) -> bool:
    """二十大, 三中 (全会), 四县: a numeral and a level or session, not a place."""
    return span.label_ == "PLACE" and NUMBERED_SESSION.fullmatch(span.text) is not None


def _person_place_name(span: Span) -> bool:
    """邵阳 (邵阳样本), 龙凤 (龙凤茶叶): a province's, city's or county's name or short form."""
    return span.label_ == "PERSON" and any(p.level in ("province", "city", "county") for p in gazetteer().lookup(span.text))


def _org_is_place_or_role(span: Span) -> bool:
    """新邵县酿溪镇柏树社区 (a residents' community is a place), 美发师, 家政服务员 (a trade)."""
    return span.label_ == "ORG" and span.text.endswith(NOT_ORG_ENDINGS)


def _place_with_name_dot(span: Span) -> bool:
    """维克多·佩罗塔: given name · family name is a person's, never a place's."""
    return span.label_ == "PLACE" and "·" in span.text


def _org_cut_from_title(span: Span) -> bool:
    """宣传部 from 宣传部长, 教育局 from 教育局长: the body's name is part of a title."""
    full = doc_text(span.doc)
    return span.label_ == "ORG" and span.text[-1:] in "部局厅处科" and full[span.end_char:span.end_char + 1] == "长"


def _event(span: Span) -> bool:
    """环青海湖拉力赛, 桃花节: an event is neither a place nor a person."""
    return span.label_ in ("PLACE", "PERSON") and span.text.endswith(EVENT_ENDINGS)


def _person_water_end(span: Span) -> bool:
    """清水河, 红石水库: a river or a reservoir taken for a person; 杨河水 of 杨河水库, cut before 库."""
    full = doc_text(span.doc)
    return span.label_ == "PERSON" and (span.text[-1] in "河湖库渠溪"
                                        or full[span.end_char - 1:span.end_char + 1] in ("水库", "水渠"))


def _place_with_common_tail(span: Span) -> bool:
    """武冈市财政, 隆德县大力发展 (PLACE), 新宁县脐橙, 万州区重点民生实事 (ORG): a place the rules know,
    then words that make neither a place nor a body. The place alone stays (a rule span); a tail that
    ends like a place (辽宁省丹东市) or a body (北京市电影公司, 日本女队, 美国国会) keeps the whole."""
    if span.label_ not in ("PLACE", "ORG"):
        return False
    lead = _leading_place_end(span)
    if lead is None:
        return False
    tail = doc_text(span.doc)[lead:span.end_char]
    if span.label_ == "PLACE":
        # A tail that is the lead's own short form is no second place: 景谷傣族彝族自治县|景谷(茶业有限公司).
        lead_text = doc_text(span.doc)[span.start_char:lead]
        return tail[-1] not in PLACE_ENDINGS and (not gazetteer().lookup(tail) or lead_text.startswith(tail))
    return not (tail[-1] in ORG_NAME_END_CHARS or tail.endswith(body_name_endings()))


@cache
def body_name_endings() -> tuple[str, ...]:
    """Every institution ending and body word (…有限公司, 人社局), and the trade a company's short
    name ends in (山西信托, 山东航空): a tail ending so names a body."""
    return tuple(org_suffixes()) + tuple(org_bodies()) + industry_words()


def _leading_place_end(span: Span) -> int | None:
    """Where the longest rule place that starts the span (and is shorter than it) ends: 武冈市 of 武冈市财政."""
    return max((p.end_char for p in span.doc.spans.get("rule_places", ())
                if p.start_char == span.start_char and p.end_char < span.end_char), default=None)


def _person_province_pair(span: Span) -> bool:
    """苏陕, 闽宁, 沪滇: two provinces' one-character names (a pairing programme), not a person."""
    return (span.label_ == "PERSON" and len(span.text) == 2 and span.text[0] != span.text[1]
            and all(c in province_abbreviations() for c in span.text))


# Prepositions that open a clause (以城镇化发展为契机, 从…): never inside a body's name; 与, 和 are (经济与管理学院).
CLAUSE_PREPOSITIONS = ("为", "以", "从", "在", "对", "把", "被", "将", "向", "于", "由", "按照", "根据", "通过")


def _org_holds_preposition(span: Span) -> bool:
    """城镇化发展为契机 (from 以城镇化发展为契机): a clause's preposition inside is no body's name."""
    if span.label_ != "ORG":
        return False
    words = span.doc.user_data.get("jieba_words") or ()
    return any(w[3] == "p" and w[2] in CLAUSE_PREPOSITIONS
               for w in words if span.start_char < w[0] and w[1] < span.end_char)


def _org_meeting(span: Span) -> bool:
    """推进会, 协商会, 座谈会, 省委经济工作会议: a meeting, not a body (中国人民政治协商会议 is one)."""
    return span.label_ == "ORG" and span.text.endswith(MEETING_ENDINGS) and not span.text.endswith("政治协商会议")


def _person_verb_given_name(span: Span) -> bool:
    """康发展 (健|康发展): a "surname" that ends the word before it (健康), or that begins a line
    cut from it (a title wrapped in a typeset PDF), then a common verb, is no name; 李胜利, 王建设
    after a comma are names."""
    if span.label_ != "PERSON" or len(span.text) != 3:
        return False
    words = ner_features.feature_segmenter()
    given = span.text[1:]
    before = doc_text(span.doc)[span.start_char - 1:span.start_char + 1] if span.start_char else ""
    return (words.is_word(given) and words.tag(given) in ("v", "vn") and words.frequency(given) >= COMMON_VERB_FREQ
            and (not before or words.is_word(before) and words.frequency(before) >= COMMON_VERB_FREQ))


COMMON_VERB_FREQ = 300


def _org_generic_facility(span: Span) -> bool:
    """加工厂, 养殖场, 卫生室, 服务站: an activity and a facility's ending name a kind of place of
    work, no body of its own (国隆中药材加工厂 has a name; 外交部, 国务院 end in a body's word)."""
    text = span.text
    if span.label_ != "ORG" or not 2 <= len(text) <= 4 or text[-1] not in FACILITY_ENDINGS:
        return False
    words = ner_features.feature_segmenter()
    stem = text[:-1]
    # The stem is an activity (加工, 养殖, 服务, 卫生), not a product (水泥厂, 钢丝厂 name a works).
    return (len(stem) >= 2 and words.is_word(stem) and words.frequency(stem) >= GENERIC_STEM_FREQ
            and words.tag(stem) in ("v", "vn", "an"))


FACILITY_ENDINGS = set("厂场室站所店")


def _place_before_its_ending(span: Span) -> bool:
    """江城江镇江 (…江村各美其美): a place stops before a level's character that begins no word
    (北京市|市长 is a place and a title; a place that goes on would have taken its ending)."""
    full = doc_text(span.doc)
    end = span.end_char
    if span.label_ != "PLACE" or len(span.text) < 2 or end >= len(full) or full[end] not in "村乡镇县区市省州旗":
        return False
    words = ner_features.feature_segmenter()
    return not words.is_word(full[end:end + 2]) and not words.is_word(full[end:end + 3])


def _place_reduplicated(span: Span) -> bool:
    """美美 (美美与共), 安安: a character written twice is a word of manner or a pet name, no place."""
    return span.label_ == "PLACE" and len(span.text) == 2 and span.text[0] == span.text[1]
GENERIC_STEM_FREQ = 100


def _person_too_long(span: Span) -> bool:
    """红岩村村委会, 郭庄煤业公司: five characters or more, not a foreign name, is no Chinese name."""
    return span.label_ == "PERSON" and len(span.text) >= 5 and "·" not in span.text and not is_transliterated(span.text)


# The vetoes in force, in order; the measurements behind each are in README.
VETO_CHECKS = {
    "not_an_entity": _not_an_entity,
    "levels_only": _levels_only,
    "person_reference": _person_reference,
    "person_body_short_form": _person_body_short_form,
    "person_title_word": _person_title_word,
    "person_place_end": _person_place_end,
    "org_meeting": _org_meeting,
    "org_odd_characters": _org_odd_characters,
    "org_ends_in_verb": _org_ends_in_verb,
    "numbered_session": _numbered_session,
    "person_place_name": _person_place_name,
    "org_is_place_or_role": _org_is_place_or_role,
    "place_with_name_dot": _place_with_name_dot,
    "org_cut_from_title": _org_cut_from_title,
    "event": _event,
    "person_water_end": _person_water_end,
    "place_with_common_tail": _place_with_common_tail,
    "person_province_pair": _person_province_pair,
    "org_holds_preposition": _org_holds_preposition,
    "person_too_long": _person_too_long,
    "org_generic_facility": _org_generic_facility,
    "place_before_its_ending": _place_before_its_ending,
    "place_reduplicated": _place_reduplicated,
    "person_verb_given_name": _person_verb_given_name,
}
EVENT_ENDINGS = ("赛", "节", "运动会", "博览会", "交易会", "展销会", "马拉松", "音乐会", "演唱会")
NOT_ORG_ENDINGS = ("社区", "村", "师", "员")
ODD_IN_ORG = re.compile(r"[\s0-9%/:：，,。；;、]")
NUMBERED_INSTITUTION = re.compile(r"(?<![0-9])[0-9]{1,5}(?=中学|小学|医院|工厂|厂|研究所|所|部队)")
NUMBERED_SESSION = re.compile(r"[一二三四五六七八九十]+[县市区中大乡镇村省]")
VETOES = tuple(VETO_CHECKS)
MEETING_ENDINGS = ("推进会", "协商会", "座谈会", "部署会", "调度会", "推介会", "现场会", "培训会", "动员会", "观摩会",
                   "汇报会", "总结会", "研讨会", "发布会", "见面会", "交流会", "联席会", "全会", "党代会", "会议")

# Rules that know more than the model where they disagree on the same characters: a title before
# a name (副市长蒋伟), a list under one title, a credit line, a government body with its level
# (县人社局), a task force. Other rules (an institution's ending, a gazetteer name, a county's
# short form) give way to an overlapping model span unless they contain it and it is no
# organisation of its own (景谷 in 景谷…茶业有限公司).
RULE_EXTENDS_ORG = True
ENDING_ONLY_RULES = {"natural_feature"}
RULE_SPLITS_MODEL = "abbreviation_pair"
STRONG_RULES = {"foreign_name", "title_name", "leader_list", "byline", "comrades_list", "credit_line", "government_body",
                "body_in_title", "task_force", "source_line", "headed_name"}


@Language.factory("bulletin_entity_merger")
def make_merger(nlp: Language, name: str):
    return EntityMerger()


def _rule_wins(rule: Span, model: Span) -> bool:
    """Whether a rule span wins over a model span it overlaps."""
    r0, r1, m0, m1 = rule.start_char, rule.end_char, model.start_char, model.end_char
    strong = (rule._.entity_info or {}).get("rule") in STRONG_RULES
    if (r0, r1) == (m0, m1):
        # The same span: the rule's, with what it knows (code, title), unless the rule read it by
        # its ending only and the model as a person (杨春山 is a person, not a mountain; 大龙潭水库
        # is a reservoir, not an organisation).
        return (rule.label_ == model.label_ or model.label_ == "ORG"
                or (rule._.entity_info or {}).get("rule") not in ENDING_ONLY_RULES)
    if r0 <= m0 and m1 <= r1:  # the rule's span holds the model's: 邵阳市 in 邵阳市人社局
        # An organisation the model cut short of its ending (邵阳市楚怡中职|学校) is the rule's; one
        # the rule ran too far left into (第四大银行|美洲银行) is the model's.
        # A level or a place the rule adds before the same name is the name's (县|农业发展银行).
        return (strong or model.label_ != "ORG" or (r0 == m0 and RULE_EXTENDS_ORG)
                or (r1 == m1 and _place_or_level(rule.text[:m0 - r0])))
    if m0 <= r0 and r1 <= m1:  # the model's holds the rule's: 普里马 in 普里马科夫, 北京市 in 北京市电影公司
        if (rule._.entity_info or {}).get("rule") == RULE_SPLITS_MODEL:  # 中 and 韩 of the model's 中韩 (中韩建交)
            return True
        # The same institution named from its nearest place, with the higher places before it
        # (水城区|发耳镇中心幼儿园): the rule's, as a bulletin names it; the higher places stay apart.
        # A rule span that does not start with a place (燕岗中学 of 河南省西峡县五里桥乡燕岗中学) loses.
        if (rule.label_ == model.label_ == "ORG" and r1 == m1 and r0 > m0 and _leading_place_end(rule) is not None
                and _places_only(model.doc, m0, r0)):
            return True
        # A name after a title is the rule's (蒋伟 of 副市长蒋伟参加), a foreign one the model's.
        # A foreign name the model reads longer is the model's: 帕特里斯·马涅埃 (涅 is no listed character).
        foreign = model.label_ == "PERSON" and (is_transliterated(model.text) or "·" in model.text)
        return strong and rule.label_ == "PERSON" and not foreign
    # Crossing. A model organisation that runs from another word across 与, 和 into a name the rule
    # carried to its ending is cut wrong (景谷县茶农与景谷|傣家茶业有限公司).
    joined = any(c in "与和及、" for c in doc_text(rule.doc)[m0:r0])
    return strong or (joined and m0 < r0 < m1 < r1 and model.label_ == "ORG"
                      and (rule._.entity_info or {}).get("rule") == "institution")


def _holds_two_institutions(model: Span, over: list[Span]) -> bool:
    """中粮集团|下属|中粮糖业有限公司: two names the rules carried to their endings, words between them."""
    inside = sorted((r for r in over if (r._.entity_info or {}).get("rule") == "institution"
                     and model.start_char <= r.start_char and r.end_char <= model.end_char), key=lambda r: r.start_char)
    return any(b.start_char > a.end_char for a, b in zip(inside, inside[1:]))


def _institution_label(span: Span) -> Span:
    """青龙湾实验学校, 湖南省交通规划勘察设计院有限公司: a name with an institution's ending is an
    organisation, whatever label the model gave it."""
    if span.label_ != "ORG" and span.text.endswith(institution_endings()) and len(span.text) > 2:
        relabelled = span.doc.char_span(span.start_char, span.end_char, label="ORG")
        if relabelled is not None:
            return relabelled
    return span


@cache
def institution_endings() -> tuple[str, ...]:
    """Institution endings (data/org_suffixes.jsonl) but 中心, which also ends places (市民中心)."""
    return tuple(t for t in org_suffixes() if t != "中心")


def _place_or_level(text: str) -> bool:
    """县, 邵阳市, 湖南省: a level or a division's name (full or short) before a name."""
    return text in ("省", "市", "县", "区") or bool(gazetteer().lookup(text))


def _places_only(doc: Doc, start: int, end: int) -> bool:
    """Whether rule places cover start…end end to end: 水城区发耳镇 in 水城区发耳镇中心幼儿园."""
    ends = {p.start_char: p.end_char for p in doc.spans.get("rule_places", ())}
    while start < end and start in ends:
        start = max(ends[start], start + 1) if ends[start] <= end else end + 1
    return start == end


# A township's or a village's name after a known place: 罗镇乡 of 利津县罗镇乡 (not 苗族自治县).
TOWNSHIP_AFTER_PLACE = re.compile(r"[\u4e00-\u9fff]{1,4}(?:乡|镇|街道|村)")


def _places_apart(span: Span) -> list[Span]:
    """利津县罗镇乡 → 利津县, 罗镇乡; 山东省淄博市 → 山东省, 淄博市: a model place that begins with a
    place the rules know and goes on with another place is two places, as the news corpora and the
    bulletins' keys count them."""
    lead = _leading_place_end(span) if span.label_ == "PLACE" else None
    if lead is None:
        return [span]
    rest = doc_text(span.doc)[lead:span.end_char]
    if "族" in rest or not (_places_only(span.doc, lead, span.end_char) or TOWNSHIP_AFTER_PLACE.fullmatch(rest)):
        return [span]
    return [span.doc.char_span(span.start_char, lead, label="PLACE"),
            *_places_apart(span.doc.char_span(lead, span.end_char, label="PLACE"))]


# Words for people after an organisation that the model took with it: 邵阳电视台记者, 县医院负责人.
ROLE_WORDS = ("记者", "通讯员", "负责人", "工作人员", "干部职工", "干部", "职工", "代表", "党员")


def _without_role(span: Span) -> Span:
    """邵阳电视台记者 → 邵阳电视台: the organisation without the people after it."""
    if span.label_ == "ORG" and span.text.endswith(ROLE_WORDS):
        role = next(w for w in ROLE_WORDS if span.text.endswith(w))
        if len(span.text) - len(role) >= 2:
            trimmed = span.doc.char_span(span.start_char, span.end_char - len(role), label="ORG")
            if trimmed is not None:
                return trimmed
    return span


# Verbs a person's full name stands right before: 王家明受聘为…, 张建国当选为….
NAME_THEN_VERB = ("受聘", "当选", "荣获", "获评", "被评为", "被授予", "同志")


def _name_to_verb(span: Span) -> Span:
    """王 or 张建 of 王家明受聘, 张建国受聘 → the three characters before the verb: the model stopped
    short of the name's end (a single surname and two characters make the common full name)."""
    if span.label_ != "PERSON" or len(span.text) > 2 or is_surname_start(span.text) != 1:
        return span
    full = doc_text(span.doc)
    end = span.start_char + 3
    if full.startswith(NAME_THEN_VERB, end) and all(map(is_han, full[span.end_char:end])):
        return make_span(span.doc, span.start_char, end, "PERSON") or span
    return span


def _bare_short_name(span: Span) -> bool:
    """星沙 (星沙街道) in 星沙时报: a township's or village's two characters written bare are a
    place where they stand alone, inside an organisation's name they are the name's."""
    info = span._.entity_info or {}
    return info.get("rule") == "township_short_form" or bool(info.get("bare"))


class EntityMerger:
    """Rule spans and model spans into ``doc.spans["entities"]``.

    The model's spans are kept unless a veto applies (``VETOES``). Rule spans add what the model
    missed and bring what they know (a code, a title, a normalised name) where they agree with
    it; where they disagree on the same characters, ``_rule_wins`` decides. Organisations and
    persons do not overlap; a place may lie inside an organisation (发耳镇 in 发耳镇中心幼儿园 is
    a place of its own).
    """

    def __call__(self, doc: Doc) -> Doc:
        main = spacy.util.filter_spans(list(doc.spans.get("rule_orgs", [])) + list(doc.spans.get("rule_persons", [])))
        covered_by = {}
        for s in main:
            for i in range(s.start_char, s.end_char):
                covered_by[i] = s
        rules = list(main)
        for p in doc.spans.get("rule_places", []):
            host = {covered_by.get(i) for i in range(p.start_char, p.end_char)}
            if host == {None}:
                rules.append(p)
            elif len(host) == 1 and None not in host:
                h = next(iter(host))
                if h.label_ == "ORG" and not _bare_short_name(p):
                    rules.append(p)
        dropped: set[int] = set()  # ids of rule spans a model span won over
        result = []
        for e in (piece for span in doc.ents for piece in _places_apart(span)):
            e = _name_to_verb(_without_role(e))
            e = _institution_label(e)
            if model_span_veto(e) is not None:
                continue
            over = [r for r in rules if r.start_char < e.end_char and e.start_char < r.end_char]
            if not over:
                result.append(make_span(doc, e.start_char, e.end_char, e.label_, rule="model"))
                continue
            if any(_rule_wins(r, e) for r in over):
                continue
            if _holds_two_institutions(e, over):
                continue
            for r in over:
                # A place inside an organisation the model found stays beside it (北京市 in 北京市电影公司).
                if not (e.label_ == "ORG" and r.label_ == "PLACE" and e.start_char <= r.start_char and r.end_char <= e.end_char
                        and not _bare_short_name(r)):
                    dropped.add(id(r))
            result.append(make_span(doc, e.start_char, e.end_char, e.label_, rule="model"))
        result = [s for s in result if s is not None] + [r for r in rules if id(r) not in dropped]
        doc.spans["entities"] = sorted(result, key=lambda s: (s.start_char, -s.end_char))
        return doc
