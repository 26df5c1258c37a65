"""What a figure measures, where and when: its subject, qualifier, place and as-of date.

    目前，全市建设就业帮扶车间1200家，吸纳4.7万人就业
        1200家  → subject 就业帮扶车间, place 邵阳市 (全市 = the bulletin's city), as_of the issue date
        4.7万人 → subject 吸纳就业
    隆回县：…截至目前，隆回县已经开展补贴性职业技能培训3242人次
        → subject 补贴性职业技能培训, place 隆回县, as_of the issue date
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from extractor.dates import DateMatch
from extractor.figures import FigureMatch
from extractor.gazetteer import Gazetteer, Place
from extractor.lexicon import qualifier_texts, subject_words

CLAUSE_BREAKS = "，,。；;：:！？!?\n"
# A lead names the item a paragraph reports on: 隆回县：… / 邵阳县河伯乡：… (at a line or sentence start).
LEAD = re.compile(r"(?:^|(?<=[。！？\n]))[ 　]*(?P<lead>[^，。；：:、“”（）\n\s]{2,16})：", re.M)
AREA_WORDS = {"全市": "city", "我市": "city", "本市": "city", "全县": "county", "我县": "county", "本县": "county",
              "全区": "county", "我区": "county", "全旗": "county"}
CLAUSE_REACH = 60  # a clause longer than this is cut: its far end says little about a figure
CLAUSE_QUALIFIER_REACH = 20  # 全市已累计发放就业帮扶车间政策扶持资金8427万元: 累计 is 16 characters before
PUNCT = set("，,。；;：:！？!?、（）()“”\"《》【】 \n.．")


@cache
def _last_break(breaks: str) -> re.Pattern:
    """The last of ``breaks`` in a window: what starts a clause."""
    chars = re.escape(breaks)
    return re.compile(f"[{chars}][^{chars}]*$")


@dataclass
class Token:
    start: int
    end: int
    text: str


@dataclass
class Lead:
    start: int
    place: Place | None  # None for a lead that is no place (市人社局：): it ends the item before


class Context:
    """Everything about one text that the figures' context needs, computed once."""

    def __init__(self, text: str, tokens: list[Token], tags: dict[str, str], gazetteer: Gazetteer,
                 issue_date: dt.date | None, city: str | None, dates: list[DateMatch], lead_starts: list[tuple[int, str]]):
        self.text = text
        self.tokens = tokens
        self.token_starts = [t.start for t in tokens]
        self.tags = tags
        self.extra_verbs = subject_words("verb")
        self.frames = subject_words("frame")
        self.adverbs = subject_words("adverb")
        self.gazetteer = gazetteer
        self.issue_date = issue_date
        self.city = gazetteer.lookup(city)[0] if city and gazetteer.lookup(city) else None
        self.dates = dates
        self.places = gazetteer.find_in(text)
        self.place_ends = [e for _, e, _ in self.places]
        self.place_names = {name for _, _, name in self.places}
        self.date_mask = bytearray(len(text) + 1)
        for d in dates:
            self.date_mask[d.start:d.end] = b"\x01" * (d.end - d.start)
        self.strip_words = self.frames | self.adverbs | set(qualifier_texts("before")) | set(qualifier_texts("clause")) | self.place_names
        self.anchors = self._anchor_codes()
        self.leads = self._leads(lead_starts)
        self.main_city = self.city or self._most_named("city")
        self.main_county = self._most_named("county")

    # ---- places ---------------------------------------------------------------------------------

    def _anchor_codes(self) -> list[str]:
        """Codes of the places the text names that are unambiguous (and the city's): they tell which
        of China's many 安定镇 the text means."""
        codes = [self.city.code] if self.city else []
        for name in {n for _, _, n in self.places}:
            found = self.gazetteer.lookup(name)
            if len(found) == 1:
                codes.append(found[0].code)
        return codes

    def resolve(self, name: str) -> Place | None:
        """The division ``name`` most likely means here: the one nearest (by code) to the places
        the text names unambiguously, inside the bulletin's city when it can be; None when unsure."""
        found = self.gazetteer.lookup(name)
        if len(found) <= 1:
            return found[0] if found else None
        for digits in (6, 4, 2):  # same county, same city, same province
            near = [p for p in found if any(p.code[:digits] == a[:digits] for a in self.anchors if len(a) >= digits)]
            if len(near) == 1:
                return near[0]
            if near:
                found = near
        return None

    def _leads(self, extra: list[tuple[int, str]]) -> list[Lead]:
        found = [(m.start("lead"), m.group("lead")) for m in LEAD.finditer(self.text)] + extra
        leads = []
        for start, label in sorted(set(found)):
            names = [n for _, _, n in self.gazetteer.find_in(label)] or [label]
            place = self.resolve(names[-1]) if names[-1] else None  # 邵阳县河伯乡 → the most specific, 河伯乡
            leads.append(Lead(start, place))
        return leads

    def _most_named(self, level: str) -> Place | None:
        """What 全市/全县 means with no city given and no lead: the city or county named most often."""
        counts: dict[str, int] = {}
        for _, _, name in self.places:
            counts[name] = counts.get(name, 0) + 1
        for name, _ in sorted(counts.items(), key=lambda kv: -kv[1]):
            place = self.resolve(name)
            if place and place.level == level:
                return place
        return None

    def lead_at(self, offset: int) -> Lead | None:
        i = bisect.bisect_right([lead.start for lead in self.leads], offset) - 1
        return self.leads[i] if i >= 0 else None

    def place_of(self, start: int, sentence: tuple[int, int]) -> tuple[str | None, str | None]:
        """(name, code): a place named before the figure in its sentence, else 全市/全县 there,
        else the item's lead (every figure in a 隆回县：… item belongs to 隆回县)."""
        last = bisect.bisect_right(self.place_ends, start)
        named = [(s, name) for s, _, name in self.places[max(0, last - 3):last] if sentence[0] <= s]
        head = self.text[sentence[0]:start]
        area = max(((head.rfind(w), kind) for w, kind in AREA_WORDS.items() if w in head), default=None)
        lead = self.lead_at(start)
        lead_place = lead.place if lead else None
        if named and (area is None or named[-1][0] - sentence[0] > area[0]):
            place = self.resolve(named[-1][1])
            return named[-1][1], place.code if place else None
        if area:
            county = lead_place if lead_place and lead_place.level == "county" else self.main_county
            place = self.main_city if area[1] == "city" else county
            if place:
                return place.name, place.code
        if lead_place:
            return lead_place.name, lead_place.code
        return None, None

    # ---- dates ----------------------------------------------------------------------------------

    def as_of(self, start: int, sentence: tuple[int, int]) -> dt.date | None:
        """The date the figure holds for: 截至4月27日 / 目前 / 今年1—9月份 before it in its sentence."""
        best = None
        for d in self.dates:
            if d.end > start:
                break
            is_range = d.precision == "month" and d.start_date and d.end_date and d.start_date.month != d.end_date.month
            if d.start >= sentence[0] and (d.as_of or is_range):
                best = d
        if best is None:
            return None
        return best.end_date or best.start_date

    # ---- subject and qualifier ------------------------------------------------------------------

    def _tokens_between(self, start: int, end: int) -> list[Token]:
        """The tokens of text[start:end], those across an edge cut at it (4万人 → 万|人 at 万)."""
        i = max(0, bisect.bisect_right(self.token_starts, start) - 1)
        out = []
        while i < len(self.tokens) and self.tokens[i].start < end:
            t = self.tokens[i]
            s, e = max(t.start, start), min(t.end, end)
            if s < e:
                out.append(t if (s, e) == (t.start, t.end) else Token(s, e, self.text[s:e]))
            i += 1
        return out

    def _clause_start(self, offset: int, breaks: str) -> int:
        floor = max(0, offset - CLAUSE_REACH)
        m = _last_break(breaks).search(self.text, floor, offset)
        return m.start() + 1 if m else floor

    def _clause_end(self, offset: int) -> int:
        ceiling = min(len(self.text), offset + CLAUSE_REACH)
        ends = [i for i in (self.text.find(ch, offset, ceiling) for ch in CLAUSE_BREAKS + "、") if i >= 0]
        return min(ends, default=ceiling)

    def qualifier(self, fig: FigureMatch) -> str | None:
        """Qualifiers of the figure: its own (余, 以上), one just before it (近, 达, 同比增长)
        and whole-word ones earlier in its clause (累计, 共)."""
        found = []
        before = self.text[max(0, fig.start - 6):fig.start]
        adjacent = next((q for q in qualifier_texts("before") if before.endswith(q)), None)
        clause = self._tokens_between(max(self._clause_start(fig.start, CLAUSE_BREAKS), fig.start - CLAUSE_QUALIFIER_REACH),
                                      fig.start)
        clause_words = set(qualifier_texts("clause"))
        found += [t.text for t in clause if t.text in clause_words and t.text != adjacent]
        if adjacent:
            found.append(adjacent)
        if fig.qualifier:
            found.append(fig.qualifier)
        return "、".join(dict.fromkeys(found)) or None

    def _is_content(self, token: Token) -> bool:
        return not (token.text in self.frames or token.text in PUNCT or token.text[0].isdigit())

    def _is_verb(self, word: str) -> bool:
        return self.tags.get(word) in ("v", "vn") or word in self.extra_verbs

    def _is_noun(self, word: str) -> bool:
        """A noun, a verbal noun (补贴) or a word jieba does not know (册页): part of a noun phrase;
        not an adverb jieba tags a noun (全力, 大力: 拿出1160万元全力支持)."""
        tag = self.tags.get(word)
        return word not in self.adverbs and (tag is None or tag.startswith("n") or tag in ("vn", "an", "b"))

    def _is_adverb(self, word: str) -> bool:
        """连续, 全力, 积极: how or how long, never what a figure measures."""
        return word in self.adverbs or self.tags.get(word) in ("d", "ad", "vd", "p", "c", "u") or not self._is_content(Token(0, 0, word))

    def _noun_phrase(self, words: list[str], object_of_verb: bool = False) -> str | None:
        """``words`` as a subject if they hold a noun (or, as a verb's object, a verb used as one:
        完成投资 → 投资), else None: never a lone verb or adverb (连续2个月 → None)."""
        if not any((self._is_noun(w) or object_of_verb and self._is_verb(w)) and not w[0].isdigit() for w in words):
            return None
        return "".join(words)

    def _strip(self, tokens: list[Token]) -> list[Token]:
        """Drop frame words, qualifiers, places and dates from both ends: 全市已累计发放… → 发放…"""
        def framing(t: Token) -> bool:
            return t.text in self.strip_words or not self._is_content(t) or self.date_mask[t.start] == 1
        while tokens and framing(tokens[0]):
            tokens = tokens[1:]
        while tokens and framing(tokens[-1]):
            tokens = tokens[:-1]
        return tokens

    def subject(self, fig: FigureMatch, previous: FigureMatch | None, previous_subject: str | None) -> str | None:
        """The phrase the figure measures, from the jieba tokens of its clause.

        - a noun phrase right after the figure is what it counts: 到13个乡镇场所进行宣传 → 乡镇场所;
        - a clause that starts with a verb has its object measured: 累计发放…扶持资金8427万元 → …扶持资金;
        - a lone verb before it takes the words after it: 吸纳4.7万人就业 → 吸纳就业;
        - a clause that starts with a noun is the subject whole: 其中脱贫人口就业1.31万人 → 脱贫人口就业;
        - a figure right after 、 shares the subject of the one before: 小区67个、153万平方米;
        - nothing rather than a verb or an adverb: 连续2个月 → None, 拿出1160万元全力支持 → not 全力.
        """
        clause_start = self._clause_start(fig.start, CLAUSE_BREAKS + "、")
        if previous and previous.end > clause_start:
            clause_start = previous.end  # 3224户城乡居民…就地房屋重建的1187户: not across the figure before
        before = self._strip(self._tokens_between(clause_start, fig.start))
        after = self._tokens_between(fig.end, self._clause_end(fig.end))
        if after and after[0].text == "的":
            after = after[1:]
        noun_after = []
        for t in after:
            if not (self._is_content(t) and self._is_noun(t.text)):
                break
            noun_after.append(t.text)
        if noun_after:
            return "".join(noun_after)
        if not before:
            return previous_subject if self.text[fig.start - 1:fig.start] == "、" else None
        words = [t.text for t in before]
        if self._is_verb(words[0]) and len(words) > 1:
            return self._noun_phrase(words[1:], object_of_verb=True)
        if len(words) == 1 and self._is_verb(words[0]) and after and not self._is_adverb(after[0].text):
            return words[0] + "".join(t.text for t in after[:2] if self._is_content(t))
        return self._noun_phrase(words)
