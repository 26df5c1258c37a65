"""Organisations (``bulletin_organisations``): government bodies with their level or place,
institutions by their ending, numbered schools and task forces."""

from __future__ import annotations

import re
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import ner_features
from extractor.entities.central_bodies import central_body_spans
from extractor.entities.places import area_stem_ending_at, township_stem
from extractor.entities.spans import HAN, alternation, area_of, doc_text, doc_words, is_han, make_span
from extractor.entities.wordlists import HEAD_KINDS, company_suffixes, generic_words, org_bodies, org_suffixes
from extractor.gazetteer import gazetteer


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
# A verb or preposition before a level that leaves it the name's: 到县人民医院, 在市第一中学 (not 全县学校).
BEFORE_LEVEL = set("到在赴至从对向与和及由经据为是的")
# Heads that name a body only after a place's name: 塘渡口镇党委, 星沙街道党工委.
NAMED_PLACE_HEADS = {"gov.party_committee"}
# Characters that join two names in a list: 县中医院和县妇幼保健院.
JOINING_CHARS = set("和及与")
MAX_ORG_LENGTH = 24
# What joins items of a list (、) and what ends the first item on its left: punctuation, and words
# that are not part of a name: prepositions, conjunctions, particles, adverbs, pronouns, numerals,
# measure words, time and direction words (已建成|国隆…有限公司、…).
LIST_SEPARATORS = set("、和及与")
LIST_HEAD_STOP_POS = set("pcudrmqfy")
FUNCTION_CHARS = set("了的地得在是把被将对向从于和与及为已")
# Words before an institution that are not part of its name: holding an office (现任, 曾任, 2004年任)
# and 原 (former): 原宁夏发电集团有限责任公司 is 宁夏发电集团有限责任公司.
OFFICE_VERBS = {"任", "现任", "曾任", "历任", "原任", "兼任", "出任", "担任", "调任", "升任", "起任", "年任", "后任",
                "先后任", "原"}
# An institution's own name before its ending is short: 楚怡中职, 综合智慧养老服务.
MAX_CORE_LENGTH = 8
COMMON_PAIR_FREQ = 1000
# 来源：红网, 稿源：永州日报: a source line's name, and the endings that make it an organisation.
SOURCE_LINE = re.compile(rf"(?:来源|稿源)[：:]\s*(?P<name>[{HAN}]{{2,20}})")
SOURCE_NAME_ENDINGS = set("网报台社局办委部院府心站所会厅")


def is_generic_word(piece: str, generic: frozenset[str]) -> bool:
    """重点, 龙头企业 (龙头 + 企业): a generic word or two run together."""
    return piece in generic or any(piece[:k] in generic and piece[k:] in generic for k in range(1, len(piece)))


def _begins_name(piece: str, pos: str) -> bool:
    """A jieba word that can begin a company's name: a proper name or a word jieba does not know
    (鑫源), a single character of a brand it cut (国|隆中), a rare word it tags as time (隆中)."""
    return pos in PROPER_POS or len(piece) == 1 or pos == "t"


@cache
def body_pattern() -> re.Pattern:
    bodies = org_bodies()
    heads = [f for f, b in bodies.items() if b.kind in HEAD_KINDS]
    rest = [f for f, b in bodies.items() if b.kind not in HEAD_KINDS]
    # A head with or without a body (市委, 市委办公室), or a body alone (人社局); never empty.
    # 市委第三巡察组, 县政府第二督查组: a numbered group of a head.
    return re.compile(rf"(?P<head>{alternation(heads)})(?:(?:第[一二三四五六七八九十]{{1,3}})?(?P<body>{alternation(rest)}))?"
                      rf"|(?P<body_only>{alternation(rest)})")


@cache
def suffix_pattern() -> re.Pattern:
    return re.compile(alternation(org_suffixes()))


@Language.factory("bulletin_organisations")
def make_organisations(nlp: Language, name: str):
    return OrganisationRules()


class OrganisationRules:
    """Government bodies, institutions and task forces into ``doc.spans["rule_orgs"]``."""

    def __call__(self, doc: Doc) -> Doc:
        places = {s.end_char: s for s in doc.spans.get("rule_places", [])}
        spans = self._bodies(doc, places)
        endings = list(suffix_pattern().finditer(doc_text(doc)))  # one scan for both rules below
        spans += self._institutions(doc, places, spans, endings)
        spans += self._company_lists(doc, endings)
        spans += self._numeral_schools(doc, places)
        spans += self._source_lines(doc)
        spans += central_body_spans(doc)
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
        text = doc_text(doc)
        bodies = org_bodies()
        inside_word = {i for a, b, _ in doc_words(doc) for i in range(a + 1, b)}
        words = ner_features.feature_segmenter()

        def cuts_word(i: int) -> bool:
            """Whether position ``i`` falls inside a word: jieba's, or a common pair of its own
            dictionary across it (部分 in 组织部分人员; our words keep 委组织部 whole)."""
            pair = text[i - 1:i + 1]
            return i in inside_word or (len(pair) == 2 and words.frequency(pair) >= COMMON_PAIR_FREQ
                                        and words.tag(pair)[:2] not in ("ns", "nt"))

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
            if body and (cuts_word(end) or text[end:end + 1] == "长"):
                # The body's end cuts a word: 组织部|分人员 (部分), 宣传部|长 (a title): only the head stands.
                if not head or cuts_word(m.end("head")):
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
                           and len(body) >= 2 and (m.start() == 0 or not is_han(text[m.start() - 1])
                                                   or text[m.start() - 1] in "、和及与的"))
                if not bare_ok:
                    continue
            if head and not body and any(after.startswith(w) for w in TITLE_AFTER_HEAD):
                continue
            if head == "委" and not body and not prefix:
                continue
            head_body = bodies.get(head) if head else None
            body_body = bodies.get(body) if body else None
            if head_body and head_body.id in NAMED_PLACE_HEADS and not body and not any(k == "place" for k, _ in prefix):
                continue  # 塘渡口镇党委 is a body; 各县（市区）党委, 镇党委 speak of every one

            span = make_span(doc, start, end, "ORG", rule="government_body", prefix=prefix,
                         head=head_body.id if head_body else None, body=body_body.id if body_body else None)
            if span is not None:
                out.append(span)
        return out

    def _institutions(self, doc: Doc, places: dict[int, Span], taken_spans: list[Span], endings: list[re.Match]) -> list[Span]:
        text = doc_text(doc)
        words = doc_words(doc)
        word_starting = {}
        for w in words:
            word_starting[w[0]] = w
        ends = {w[1]: w for w in words}
        area = area_of(doc)
        keep = org_suffixes()
        generic = generic_words()
        out = []
        for m in endings:
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
                stem_start = area_stem_ending_at(text, pos, area, levels=("township",))
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
                if not all(is_han(c) for c in piece):
                    break
                if piece[0] in JOINING_CHARS and any(
                        before.end() == ws for before in suffix_pattern().finditer(text, max(0, ws - 6), ws)):
                    # 县中医院和县妇幼保健院: 和 joins two names (jieba reads 和县 as a county); the
                    # level after it is this name's.
                    if piece[1:] in ("省", "市", "县", "区"):
                        pieces.insert(0, (ws + 1, we, "level"))
                    break
                if pos_tag == "x" and len(piece) > 2 and piece[0] in FUNCTION_CHARS:
                    # 引进了鑫源农业…有限公司: jieba took the particle into a word it does not know.
                    pieces.insert(0, (ws + 1, we, "name"))
                    break
                if re.fullmatch(r"第?[一二三四五六七八九十百零〇]+", piece):
                    pieces.insert(0, (ws, we, "numeral"))
                    pos = ws
                    continue
                if pos_tag not in NAME_POS and piece not in generic:
                    break
                if any(k == "name" for _, _, k in pieces) and piece not in generic and is_generic_word(piece, generic):
                    # 当地龙头企业|鑫源农业有限公司: two generic words jieba runs together name a kind
                    # before the name (中国人民|公安大学, 蔡家坡中医|眼科医院 keep their one generic word).
                    break
                if s_start - ws > MAX_CORE_LENGTH and not any(k == "place" for _, _, k in pieces):
                    break
                if piece.startswith(("我", "本", "该", "全", "各")) and len(piece) <= 3:
                    break  # 我县, 本市, 全区: the writer's own area, not part of a name
                if piece in OFFICE_VERBS or (len(piece) == 2 and piece[1] == "是"):
                    break  # 现任深圳市通产集团有限公司, 一是旅行者集团: the name starts after them
                if township_stem(piece, area):
                    pieces.insert(0, (ws, we, "place"))
                else:
                    pieces.insert(0, (ws, we, "name" if pos_tag in PROPER_POS and piece not in generic else "word"))
                pos = ws
            # 县人民医院: a level before the name belongs to it (not after 全, 各: 全县学校).
            first = pieces[0][0] if pieces else s_start
            if (first > 0 and text[first - 1] in "省市县区" and (first == 1 or not is_han(text[first - 2])
                                                                 or text[first - 2] in BEFORE_LEVEL)
                    and suffix not in TEAM_SUFFIXES):
                pieces.insert(0, (first - 1, first, "level"))
            span = self._institution_span(doc, pieces, s_start, s_end, suffix, keep.get(suffix, False), generic)
            if span is not None:
                out.append(span)
        return out

    def _company_lists(self, doc: Doc, endings: list[re.Match]) -> list[Span]:
        """国隆中药材科技有限公司、六盘山中药材资源开发有限公司、葆易圣中药材科技有限公司等企业: in a
        list of companies every item after the first is a name from the separator to its ending,
        whatever words a brand makes (葆|易|圣); the first runs left to the verb it is the object of
        (已建成|国隆…), where a noun before a verb keeps the verb in the name (资源开发有限公司)."""
        text = doc_text(doc)
        if "、" not in text and "和" not in text and "及" not in text:
            return []
        companies = company_suffixes()
        ends = [m for m in endings if m.group() in companies]
        out = []
        first_done = -1
        for a, b in zip(ends, ends[1:]):
            sep = a.end()
            item = text[sep + 1:b.start()]
            if (text[sep:sep + 1] not in LIST_SEPARATORS or not 2 <= len(item) <= MAX_ORG_LENGTH - len(b.group())
                    or not all(map(is_han, item)) or self._generic_core(doc, sep + 1, b.start())):
                continue
            if first_done < a.start():  # the first item of this list
                start = self._list_head_start(doc, a.start())
                if start is not None and a.start() - start >= 2 and not self._generic_core(doc, start, a.start()):
                    span = make_span(doc, start, a.end(), "ORG", rule="company_list", suffix=a.group())
                    if span is not None:
                        out.append(span)
            start = sep + 1
            if self._begins_clause(doc, start):
                # 、并成立县文旅集团: a clause, not a name, follows the separator; its object is named
                # as a list's first item is.
                start = self._list_head_start(doc, b.start())
                if start is None or start <= sep or b.start() - start < 2:
                    continue
            span = make_span(doc, start, b.end(), "ORG", rule="company_list", suffix=b.group())
            if span is not None:
                out.append(span)
            first_done = b.start()
        return out

    def _begins_clause(self, doc: Doc, pos: int) -> bool:
        """Whether the jieba word at ``pos`` opens a clause: a conjunction, adverb, preposition, a
        verb (并|成立, 积极|对接; 葆 is a verb's morpheme only, 开发 a noun's verb)."""
        word = next((w for w in doc_words(doc) if w[0] == pos), None)
        return word is not None and (word[2][:1] in LIST_HEAD_STOP_POS or word[2] in ("v", "ad"))

    def _generic_core(self, doc: Doc, start: int, end: int) -> bool:
        """Whether start…end is made of generic words only (民营|企业, 相关|企业): no name."""
        generic = generic_words()
        text = doc_text(doc)
        pieces = [text[max(a, start):min(b, end)] for a, b, _ in doc_words(doc) if a < end and start < b]
        return all(is_generic_word(p, generic) or re.fullmatch(r"[一二三四五六七八九十百零〇第]+", p) for p in pieces)

    def _list_head_start(self, doc: Doc, end: int) -> int | None:
        """Where the first item of a list of companies begins. Left over jieba words to the verb,
        preposition, adverb, pronoun, punctuation or generic word before it (已建成|国隆中药材科技,
        当地龙头企业|鑫源农业), then from the first word that can begin a name: a proper name, a
        word jieba does not know, a single character of a brand (国|隆中…); 组织县内|湘源农业."""
        text = doc_text(doc)
        words = [w for w in doc_words(doc) if w[1] <= end]
        generic = generic_words()
        i = len(words) - 1
        pieces: list[tuple[int, str, str]] = []
        start = end
        while i >= 0 and end - words[i][0] <= MAX_ORG_LENGTH:
            ws, we, pos = words[i]
            piece = text[ws:we]
            if we != start:
                break
            if not all(map(is_han, piece)) or pos[:1] in LIST_HEAD_STOP_POS or piece in OFFICE_VERBS:
                break
            if pos == "t" and ner_features.feature_segmenter().frequency(piece) >= COMMON_PAIR_FREQ:
                break  # 今年, 目前 (time words); 隆中 is a name jieba also tags so
            if pos[:1] == "v" and pos != "vn":
                # 资源开发有限公司: a verb after a noun is the name's; after anything else it governs the list.
                before = words[i - 1] if i else None
                if before is None or before[1] != ws or before[2][:1] not in ("n", "j") or before[2] == "nr":
                    break
            if piece.startswith(("我", "本", "该", "全", "各")) and len(piece) <= 3:
                break  # 全县, 本市
            if any(_begins_name(p, q) for _, p, q in pieces) and (
                    is_generic_word(piece, generic) or len(piece) == 2 and piece[1] in "内外里"):
                break  # before a name: 龙头企业 (generic words), 县内 (a place's inside); 综合服务 after one stays
            if pos == "x" and piece[0] in FUNCTION_CHARS:
                pieces.append((ws + 1, piece[1:], "x"))  # 引进了鑫源…: jieba took the particle in
                break
            pieces.append((ws, piece, pos))
            start = ws
            i -= 1
        for ws, piece, pos in reversed(pieces):
            if _begins_name(piece, pos):
                return ws
        return None

    def _institution_span(self, doc, pieces, s_start, s_end, suffix, keep_place, generic) -> Span | None:
        text = doc_text(doc)
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
            # 县扶贫开发领导小组办公室: the office of a leading group is named after it.
            office = re.match("办公室|办", text[s_end:])
            end = s_end + office.end() if office and not re.match("办[理法好成事]", text[s_end:]) else s_end
            return make_span(doc, c_start, end, "ORG", rule="task_force", suffix=suffix)
        if keep_place or is_generic:
            if not places:
                if is_generic or len(core_text) < 2:
                    return None
                return make_span(doc, core[0][0], s_end, "ORG", rule="institution", suffix=suffix)
            start = places[-1][0]
            return make_span(doc, start, s_end, "ORG", rule="institution", suffix=suffix)
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
        return make_span(doc, start, s_end, "ORG", rule="institution", suffix=suffix)

    def _source_lines(self, doc: Doc) -> list[Span]:
        """来源：红网, 信息来源：杜集区民生办: what a source line names is an organisation (a media
        outlet or a body) where it ends like one."""
        text = doc_text(doc)
        out = []
        for m in SOURCE_LINE.finditer(text) if "来源" in text or "稿源" in text else ():
            name = m.group("name")
            if name[-1] in SOURCE_NAME_ENDINGS and not name.endswith(("记者", "通讯员")):
                span = make_span(doc, m.start("name"), m.end("name"), "ORG", rule="source_line")
                if span is not None:
                    out.append(span)
        return out

    def _numeral_schools(self, doc: Doc, places: dict[int, Span]) -> list[Span]:
        """铁门一中, 石寺二中: a place or a name word, then a numeral and 中."""
        text = doc_text(doc)
        out = []
        words = doc_words(doc)
        ends = {w[1]: w for w in words}
        area = area_of(doc)
        for m in NUMERAL_SCHOOL.finditer(text):
            s = m.start()
            if s in places:
                start = places[s].start_char
            elif area_stem_ending_at(text, s, area) is not None:  # 五头 (五头镇) in 五头三中
                start = area_stem_ending_at(text, s, area)
            else:
                w = ends.get(s)
                if not w or w[1] - w[0] < 2 or not all(is_han(c) for c in text[w[0]:w[1]]) or w[2] not in NAME_POS:
                    continue
                start = w[0]
            span = make_span(doc, start, m.end(), "ORG", rule="numeral_school")
            if span is not None:
                out.append(span)
        return out
