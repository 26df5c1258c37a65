"""Persons (``bulletin_persons``): a name after a title, names listed after 领导 or before 同志,
a reporter's name after 本报讯."""

from __future__ import annotations

import re
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import ner_features
from extractor.entities.foreign_names import foreign_person_spans
from extractor.entities.spans import HAN, alternation, doc_text, is_han, make_span
from extractor.entities.wordlists import is_transliterated, org_bodies, person_ranks, person_titles, surnames
from extractor.lexicon import read_jsonl


# A character after which a name cannot go on: 副市长蒋伟参加 is 蒋伟, not 蒋伟参.
NAME_STOP = set("参率带在主调强指出等到同和及与对为是说表要代作陪也就来赴深先会讲宣介汇听检视慰看致提并向从把被将已于副书市县区任局委的了等、，。；：！？,.;:!?（）()")
# 张 强, 李 红梅: a name typeset with a space between surname and given name (a credit line).
CREDIT_NAME_SPACED = re.compile(r"[\u4e00-\u9fff][ \u3000][\u4e00-\u9fff]{1,2}(?![\u4e00-\u9fff])")
# Of those, characters that also end names (刘志强, 王先, 李宣): they end a name only where they
# begin a word (刘志|强调 but 刘志强|深入; 陈红|陪同).
NAME_STOP_IF_WORD = set("参主调强指出同表要代作陪深先会讲宣介汇听检视慰看致提书市县区局委")
WORD_AFTER_NAME_FREQ = 50


def ends_name_at(text: str, i: int) -> bool:
    """Whether a name cannot go on with ``text[i]``: 蒋伟|参加, 刘志|强调, but 刘志强|深入."""
    ch = text[i]
    if not is_han(ch) or ch not in NAME_STOP:
        return not is_han(ch)
    if ch not in NAME_STOP_IF_WORD:
        return True
    pair = text[i:i + 2]
    return len(pair) < 2 or ner_features.feature_segmenter().frequency(pair) >= WORD_AFTER_NAME_FREQ


# 王丽梅女士，… / 唐国平：男，汉族 / 贝政新，男，1962年生: a name before 先生 or 女士, or before the
# gender that opens a résumé or an appointment notice (任前公示), bounded on its left by no character.
HEADED_NAME = re.compile(rf"(?<![{HAN}])(?P<name>[{HAN}]{{2,3}})(?:先生|女士|[，,：:]\s?[男女](?=[，,、。；;（(]))")
# …unless the run is a common word: 诸位先生, 各位女士.
HEADED_NAME_MAX_FREQ = 500

# Surnames that are far more often function words right after a title: 领导和支持.
NOT_NAME_START = set("和及与的在对向从于将把被为由")


@cache
def title_pattern() -> re.Pattern:
    heads = "委|人大常委会|人大|政协|人民政府|政府|纪委监委|纪委"
    # The body a title belongs to: 市委常委, 县人社局局长, 区委宣传部部长.
    departments = alternation(f for f, b in org_bodies().items()
                              if b.kind in ("department", "party_department", "office", "people_org") and len(f) >= 2)
    org = rf"(?:中共)?(?:[省市县区乡镇](?:{heads})?)?(?:{departments})?"
    rank = f"(?:{alternation(person_ranks())})?"
    titles = alternation(person_titles())
    one = f"{org}{rank}(?:{titles})"
    single, compound = surnames()
    surname = f"(?:{alternation(compound)}|[{''.join(sorted(single))}])"
    # 部长李 强: a two-character name padded with a space to three characters' width.
    return re.compile(rf"(?P<title>{one}(?:、{one})*)[：:]?\s?(?P<name>{surname}(?:[ \u3000][{HAN}]|[{HAN}]{{1,2}}))")


def title_body(title: str) -> str:
    """The body of a title's first part: 县人大常委会副主任 → 县人大常委会, 市人社局局长 → 市人社局
    (the title word and rank taken off its end; no second copy of the pattern to compile)."""
    first = title.split("、")[0]
    for word in person_titles():  # longest first
        if first.endswith(word):
            first = first[:-len(word)]
            break
    for rank in person_ranks():
        if first.endswith(rank):
            return first[:-len(rank)]
    return first


# The body in a person's title is an organisation of its own where it is more than a party
# committee (市委常委 is a title; 县人大常委会副主任, 县政协主席, 市人社局局长 hold a body).
TITLE_BODY = re.compile(r"(?:中共)?[省市县区乡镇].+")
PARTY_COMMITTEE_ONLY = re.compile(r"(?:中共)?[省市县区乡镇]委")


@cache
def credit_line_pattern() -> re.Pattern:
    """审核：王建军, 责任编辑：张 强, 联系人：赵小兵 — the cue words are data (credit_lines.jsonl)."""
    cues = alternation(r["text"] for r in read_jsonl("credit_lines.jsonl"))
    # A reporter's cue also stands after the outlet's name and before a space, without a colon:
    # （道县站记者 谢万波 通讯员 何国好 蒋杰）, 新华社记者 张 强.
    spaced = alternation(SPACED_CUES)
    return re.compile(rf"(?<![{HAN}])(?P<cue>{cues})\s?[：:]\s*|(?P<spaced_cue>{spaced})[ \u3000]+(?=[{HAN}])")


SPACED_CUES = ("记者", "通讯员")
# Names in a credit line separated by spaces (作者：谢万波 何国好 蒋杰): the next run is a name
# where it is two or three characters from a surname and no cue (蒋杰 编辑：于佳丽).
# A run before a colon is the next cue (来源：, 电话：), not a name.
NEXT_SPACED_NAME = re.compile(rf"[ \u3000]+(?=([{HAN}]{{2,3}})(?![{HAN}])(?!\s?[：:]))")


@cache
def national_leaders() -> re.Pattern:
    return re.compile(alternation(r["text"] for r in read_jsonl("national_leaders.jsonl")))


# Around a two-character leader's name (李强, 蔡奇), what shows it is the name: 李强总理, 李强在….
LEADER_AFTER = set("、，,。；;：:（(）)同总主在指出强调出席会见主持说等和与及")
LEADER_BEFORE = set("、，,。；;：:（(“‘和与及同志席理记长")


def is_surname_start(text: str) -> int:
    """Length of the surname ``text`` starts with (2 for 欧阳), else 0."""
    single, compound = surnames()
    if any(text.startswith(c) for c in compound):
        return 2
    return 1 if text[:1] in single else 0


def name_at(text: str, start: int, model_ends: dict[int, int], any_surname: bool = False) -> int | None:
    """End of the name starting at ``start`` (after a title): the model's reading if it has one,
    else surname + two characters unless the third cannot be part of a name (蒋伟参加 → 蒋伟)."""
    s = is_surname_start(text[start:])
    if not s or text[start] in NOT_NAME_START and not any_surname:
        return None
    model_end = model_ends.get(start)
    if not model_end and s == 1 and is_common_non_name(text[start:start + 2], COMMON_NON_NAME_FREQ):
        return None  # 总书记强调, 分局长全面实行: 强, 全 are surnames, but 强调, 全面 are common words, no name the model saw
    if model_end and s + 1 <= model_end - start <= s + 2 and not any(ends_name_at(text, i) for i in range(start + s, model_end)):
        return model_end
    if model_end and model_end - start > s + 2 and is_transliterated(text[start:model_end]):
        return model_end  # 主席普里马科夫: a foreign name is as long as the model reads it
    end = start + s + 1
    if end > len(text) or not all(is_han(c) for c in text[start:end]):
        return None
    if end < len(text) and not ends_name_at(text, end) and not _starts_common_word(text, end):
        end += 1
    return end


def _starts_common_word(text: str, pos: int) -> bool:
    """严平认为: 认 begins a common word (认为), so the name ends before it."""
    pair = text[pos:pos + 2]
    words = ner_features.feature_segmenter()
    return len(pair) == 2 and words.frequency(pair) >= COMMON_WORD_AFTER_NAME and words.tag(pair)[:1] in ("v", "d", "p", "c")


COMMON_WORD_AFTER_NAME = 1000


def is_common_non_name(word: str, min_freq: int) -> bool:
    """全面, 席位, 诸位: a word of two characters or more, common in jieba's dictionary and not tagged
    as a name there (高峰, 文明 are nr: names too)."""
    words = ner_features.feature_segmenter()
    return len(word) >= 2 and words.frequency(word) >= min_freq and not words.tag(word).startswith("nr")


# After a title (分局长全面实行, 部长席位); the frequency of 席位 is 364. It also covers every common
# verb, adverb, preposition and conjunction _starts_common_word stops at (frequency ≥ 1,000).
COMMON_NON_NAME_FREQ = 300


@Language.factory("bulletin_persons")
def make_persons(nlp: Language, name: str):
    return PersonRules()


class PersonRules:
    """Names after titles, in lists after 领导 and before 同志, after 本报讯 / 联系人."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        model_ends = {e.start_char: e.end_char for e in doc.ents if e.label_ == "PERSON"}
        out: list[Span] = []
        for m in title_pattern().finditer(text):
            name_start = m.start("name")
            spaced = m.group("name")[1:2] in (" ", "\u3000")
            end = name_start + 3 if spaced else name_at(text, name_start, model_ends)
            if end is None:
                continue
            title = m.group("title").rstrip("：:")
            span = make_span(doc, name_start, end, "PERSON", rule="title_name", title=title,
                             **({"normalized": m.group("name")[0] + m.group("name")[2]} if spaced else {}))
            if span is None:
                continue
            out.append(span)
            # 县领导孔德余、王蕾、谢涛; 副县长张晓红、刘伟: more names under the same title.
            out.extend(self._list_after(doc, end, model_ends, title))
            org = title_body(m.group("title"))
            if org and TITLE_BODY.fullmatch(org) and not PARTY_COMMITTEE_ONLY.fullmatch(org):
                body = make_span(doc, m.start("title"), m.start("title") + len(org), "ORG", rule="body_in_title")
                if body is not None:
                    out.append(body)
        out.extend(self._credit_lines(doc, model_ends))
        out.extend(self._headed_names(doc))
        out.extend(self._national_leaders(doc))
        out.extend(foreign_person_spans(doc))
        # 本报讯（马强）, a reporter's name in brackets.
        for m in re.finditer(rf"本报讯[（(](?:记者|通讯员)?\s?([{HAN}]{{2,4}})[）)]", text) if "本报讯" in text else ():
            if is_surname_start(m.group(1)):
                span = make_span(doc, m.start(1), m.end(1), "PERSON", rule="byline", title="通讯员")
                if span is not None:
                    out.append(span)
        # 严华、学健、…、蒋伟同志: everyone in a list that ends with 同志 is a person.
        # 张三、李四、王五等同志: 等 is not the last name's.
        for m in re.finditer(rf"(?<![{HAN}])((?:[{HAN}]{{2,3}}、)+[{HAN}]{{2,3}}?)等?同志", text) if "同志" in text else ():
            pos = m.start(1)
            for item in m.group(1).split("、"):
                span = make_span(doc, pos, pos + len(item), "PERSON", rule="comrades_list")
                if span is not None:
                    out.append(span)
                pos += len(item) + 1
        doc.spans["rule_persons"] = spacy.util.filter_spans(out)
        return doc

    def _credit_lines(self, doc: Doc, model_ends: dict[int, int]) -> list[Span]:
        """审核：王建军 终审：刘晓东, 编辑：于佳丽, 责任编辑：张 强 (a name typeset with a space)."""
        text = doc_text(doc)
        place_starts = {s.start_char for s in doc.spans.get("rule_places", [])}
        out = []
        for m in credit_line_pattern().finditer(text):
            pos = m.end()
            cue = m.group("cue") or m.group("spaced_cue")
            while pos < len(text):
                spaced = CREDIT_NAME_SPACED.match(text, pos)
                if spaced and is_surname_start(spaced.group()):
                    end = spaced.end()
                else:
                    run = re.match(rf"[{HAN}]+", text[pos:])
                    if not run or pos in place_starts or not is_surname_start(run.group()):
                        break
                    end = pos + len(run.group()) if 2 <= len(run.group()) <= 3 else name_at(text, pos, model_ends, any_surname=True)
                    if end is None:
                        break
                span = make_span(doc, pos, end, "PERSON", rule="credit_line", title=cue,
                                 normalized=re.sub(r"\s", "", text[pos:end]))
                if span is None:
                    break
                out.append(span)
                nxt = re.match(r"[、，,]\s*", text[end:])
                if not nxt:
                    nxt = NEXT_SPACED_NAME.match(text, end)
                    if (not nxt or not is_surname_start(nxt.group(1)) or credit_line_pattern().match(text, nxt.end())
                            or nxt.end() in place_starts):
                        break
                    pos = nxt.end()
                    continue
                pos = end + nxt.end()
        return out

    def _headed_names(self, doc: Doc) -> list[Span]:
        """黄金陵先生，…; 唐国平：男，汉族 — see HEADED_NAME."""
        text = doc_text(doc)
        if not ("先生" in text or "男" in text or "女" in text):
            return []
        out = []
        for m in HEADED_NAME.finditer(text):
            name = m.group("name")
            if not is_surname_start(name) or is_common_non_name(name, HEADED_NAME_MAX_FREQ):
                continue
            span = make_span(doc, m.start("name"), m.end("name"), "PERSON", rule="headed_name")
            if span is not None:
                out.append(span)
        return out

    def _national_leaders(self, doc: Doc) -> list[Span]:
        """习近平, 李强: national leaders, often named without a title; a two-character name only
        where what stands around it shows it (李强总理, 、李强、), not inside 李强调研."""
        text = doc_text(doc)
        out = []
        for m in national_leaders().finditer(text):
            s, e = m.span()
            if len(m.group()) == 2 and not ((e == len(text) or text[e] in LEADER_AFTER)
                                            and (s == 0 or text[s - 1] in LEADER_BEFORE)):
                continue
            if s > 0 and is_han(text[s - 1]) and text[s - 1] not in LEADER_BEFORE and len(m.group()) == 2:
                continue
            span = make_span(doc, s, e, "PERSON", rule="national_leader")
            if span is not None:
                out.append(span)
        return out

    def _list_after(self, doc: Doc, pos: int, model_ends: dict[int, int], title: str) -> list[Span]:
        """县领导孔德余、王蕾、谢涛: names go on while a 、 is followed by another name."""
        text = doc_text(doc)
        out = []
        while pos < len(text) and text[pos] == "、":
            end = name_at(text, pos + 1, model_ends)
            if end is None:
                break
            span = make_span(doc, pos + 1, end, "PERSON", rule="leader_list", title=title)
            if span is None:
                break
            out.append(span)
            pos = end
        return out


ADDRESS_TITLES = ("常务副市长", "副市长", "市长", "副县长", "县长", "副区长", "区长", "副书记", "书记", "副主任", "主任",
                  "副局长", "局长", "副部长", "部长", "镇长", "乡长", "主席", "秘书长")
