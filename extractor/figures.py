"""The grammar of figures: a number, its multiplier, its measure word and its qualifiers.

    吸纳4.7万人就业          → 47000 人 (people)
    发放…资金8427万元        → 84270000 元 (money)
    完成率达79.1%            → 79.1 % (percent), qualifier 达
    十余家 / 300多人         → 10 家 / 300 人, qualifier 余 / 多
    2360余万元 / 3千余万元   → 23600000 元 / 30000000 元, qualifier 余 (between number and multiplier)
    道路12.8千米             → 12.8 公里 (千 begins the measure word 千米, it multiplies nothing)
    35-64岁 / 5至10个        → a range: value = low, with low and high
    百分之四十 / 提高2个百分点 → 40 % / 2 个百分点 (percentage_point)

The grammar runs as one compiled regex over the clean text; what it finds is then checked
against the rules of ``data/not_figures.jsonl`` (ordinals, phone numbers, slogans …).
Dates are found first (``dates.py``) and a number inside a date is never a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from extractor.lexicon import MeasureWord, measure_words, not_figure_rules, qualifier_texts
from extractor.numbers import parse_chinese_integer

ARABIC = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# A Chinese numeral starts with a digit or 十 (十八项); 百/千/万 alone start words (百姓, 千方百计).
CHINESE = r"[一二两三四五六七八九十][〇零一二两三四五六七八九十百千万亿]*"
MULTIPLIER = r"百万|千万|万亿|万|亿|千|百"
MULTIPLIERS = {"百": 100, "千": 1000, "万": 10_000, "百万": 1_000_000, "千万": 10_000_000,
               "亿": 100_000_000, "万亿": 1_000_000_000_000}
RANGE_SEP = r"[-—–~～至到]"
# 以上/以下/左右/以内 after the unit; 多 after the unit (1万元多) is rare but written.
AFTER = r"以上|以下|左右|以内|之内|多"


# A list marker run into the number after it (3. 137项 → 3.137项) at a line's start.
LIST_MARKER_DECIMAL = re.compile(r"(?:(?<=^)|(?<=[\n。；：:]))\d{1,2}\.(?=\d+(?:[^.\d]|$))", re.M)

# Two neighbouring digits are an estimate, not one number: 三四个 is 3–4, 一二百人 100–200, 七八十 70–80.
APPROXIMATE = re.compile(r"(一(?=[二两])|两(?=三)|二(?=三)|三(?=四)|四(?=五)|五(?=六)|六(?=七)|七(?=八)|八(?=九))"
                         r"([二两三四五六七八九])([十百千万]*)")
DIGIT_VALUES = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass
class FigureMatch:
    start: int
    end: int
    text: str
    value: float
    unit: str
    kind: str
    unit_id: str
    qualifier: str | None = None
    low: float | None = None
    high: float | None = None
    chinese: bool = False  # written in Chinese numerals (十八项), which style guides keep for set phrases


def parse_number(text: str) -> Decimal | None:
    """The value of an Arabic, Chinese or mixed number: 1,234.5 → 1234.5, 4.7万 → 47000, 三千二百四十二 → 3242."""
    m = re.fullmatch(rf"({ARABIC})({MULTIPLIER})?", text)
    if m:
        value = Decimal(m.group(1).replace(",", ""))
        return value * MULTIPLIERS[m.group(2)] if m.group(2) else value
    n = parse_chinese_integer(text)
    return Decimal(n) if n is not None else None


def _number_group(name: str) -> str:
    return rf"(?P<{name}>(?<![0-9A-Za-z.]){ARABIC}(?:{MULTIPLIER})?(?![0-9])|{CHINESE})"


@cache
def figure_regex() -> re.Pattern:
    units = sorted(measure_words(), key=len, reverse=True)
    unit_alt = "|".join(re.escape(u) for u in units)
    between = "|".join(qualifier_texts("between"))
    return re.compile(
        rf"(?:百分之(?P<pct>{ARABIC}|{CHINESE})"
        rf"|{_number_group('num')}(?:{RANGE_SEP}{_number_group('num2')})?"
        rf"(?:(?P<between>{between})(?P<mult2>{MULTIPLIER})?)?(?P<unit>{unit_alt}))"
        rf"(?P<after>{AFTER})?")


# 年 is a duration only in context: 连续3年, 近5年, 3年以上, 2年内 (2023年 is a year).
# …期 names a period (收益期25年, 建设期3年, 为期2年).
DURATION_BEFORE = ("连续", "近", "满", "历时", "期", "用", "超过", "长达", "每")
DURATION_AFTER = ("以上", "以内", "之内", "内", "来", "时间", "期限", "左右")


def _is_duration(text: str, m: re.Match) -> bool:
    before = text[max(0, m.start() - 2):m.start()]
    after = text[m.end("unit"):m.end("unit") + 2]
    number = parse_number(m.group("num"))
    return (number is not None and number < 100 and not re.fullmatch(r"\d{4}", m.group("num"))
            and (before.endswith(DURATION_BEFORE) or after.startswith(DURATION_AFTER)))


def to_float(value: Decimal) -> float:
    return float(value.normalize()) if value == value.to_integral() else float(value)


def scan_figures(text: str) -> list[FigureMatch]:
    """Every number + measure word the grammar accepts, before the not-figure rules."""
    words = measure_words()
    out: list[FigureMatch] = []
    for m in figure_regex().finditer(text):
        if m.group("pct"):
            value = parse_number(m.group("pct"))
            if value is None:
                continue
            word = words["%"]
            out.append(FigureMatch(m.start(), m.end(), m.group(0), to_float(value), "%", word.kind, word.id,
                                   chinese=not m.group("pct")[0].isdigit(), qualifier=m.group("after")))
            continue
        number_text, unit_text = m.group("num"), m.group("unit")
        joined = number_text[-1] + unit_text
        if not m.group("between") and joined in words and len(number_text) > 1 and parse_number(number_text[:-1]):
            number_text, unit_text = number_text[:-1], joined  # 12.8千米: 千 begins the measure word
        word: MeasureWord = words[unit_text]
        chinese = not number_text[0].isdigit()
        if chinese and not word.chinese_numeral:
            continue
        if word.duration_context and not _is_duration(text, m):
            continue
        approximate = APPROXIMATE.fullmatch(number_text)
        value = parse_number(number_text) if not approximate else None
        if approximate:  # 三四个, 一二百人: 3–4, 100–200
            place_value = parse_chinese_integer("一" + approximate.group(3)) if approximate.group(3) else 1
            value = Decimal(DIGIT_VALUES[approximate.group(1)] * place_value)
        if value is None:
            continue
        # 2360余万元, 300多万元: a multiplier after the qualifier multiplies the number before it
        scale = MULTIPLIERS[m.group("mult2")] if m.group("mult2") else 1
        value *= scale
        low = high = None
        if approximate:
            low = to_float(value)
            high = to_float(Decimal(DIGIT_VALUES[approximate.group(2)] * place_value) * scale)
        if m.group("num2"):
            high_value = parse_number(m.group("num2"))
            if high_value is not None:
                high_value *= scale
                # 2-3万元, 5至10亿元: the multiplier written once serves both ends
                multiplier = re.search(f"(?:{MULTIPLIER})$", m.group("num2"))
                if multiplier and number_text[-1].isdigit() and m.group("num")[-1].isdigit():
                    value *= MULTIPLIERS[multiplier.group(0)]
            if high_value is None or high_value <= value:
                continue
            low, high = to_float(value), to_float(high_value)
        quals = [q for q in (m.group("between"), m.group("after")) if q]
        start = m.start()
        marker = LIST_MARKER_DECIMAL.match(text, start)
        if (marker and word.kind in ("count", "people") and re.fullmatch(r"\d+\.\d+", number_text)
                and not m.group("num2") and not m.group("mult2")):
            # 3.137项 at a line's start: the list marker 3. before 137项 (a count has no fraction)
            start = marker.end()
            value = parse_number(number_text[marker.end() - m.start():]) * scale
        out.append(FigureMatch(start, m.end(), text[start:m.end()], to_float(value), word.unit, word.kind, word.id,
                               qualifier="、".join(quals) or None, low=low, high=high, chinese=chinese))
    return out


# ---- numbers that are not figures ---------------------------------------------------------------

@cache
def _blocking_regexes() -> tuple[re.Pattern, ...]:
    """Regex and phrase rules: any figure whose number starts inside one of their matches is dropped."""
    patterns = []
    for rule in not_figure_rules():
        if rule["type"] == "regex":
            patterns.append(re.compile(rule["pattern"], re.M))
        elif rule["type"] == "phrase":
            patterns.append(re.compile("|".join(re.escape(t) for t in sorted(rule["texts"], key=len, reverse=True))))
        elif rule["type"] == "numeral_slogan":
            # 六位一体, 四个全面, 两学一做: any Chinese numeral before a slogan's stem
            stems = "|".join(re.escape(t) for t in sorted(rule["stems"], key=len, reverse=True))
            patterns.append(re.compile(rf"{CHINESE}(?:{stems})"))
    return tuple(patterns)


def blocked_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for rx in _blocking_regexes() for m in rx.finditer(text) if m.end() > m.start()]


def _rule(rule_type: str) -> dict | None:
    return next((r for r in not_figure_rules() if r["type"] == rule_type), None)


def _in_short_quote(text: str, start: int, max_length: int) -> bool:
    """“四张清单”, “三个一”: the number lies inside a short “…” quote."""
    open_at = text.rfind("“", max(0, start - max_length), start)
    if open_at < 0 or "”" in text[open_at:start]:
        return False
    close_at = text.find("”", start, start + max_length)
    return close_at >= 0 and close_at - open_at <= max_length + 1


CLAUSE_BREAK = re.compile(r"[，,。；;：:！？\n（）()]")


def _counts_preceding_list(text: str, fig: FigureMatch) -> bool:
    """对接、调度、考核三个机制: the numeral equals the number of 、-items just before it."""
    head = text[max(0, fig.start - 80):fig.start]
    breaks = list(CLAUSE_BREAK.finditer(head))
    clause = head[breaks[-1].end():] if breaks else head
    clause = clause.strip("“”\"").removesuffix("等")
    items = [i for i in clause.split("、") if i.strip("“”\"")]
    return len(items) >= 2 and len(items) == fig.value


def _covered(mask: bytearray, start: int, end: int) -> bool:
    return mask.find(1, start, end) >= 0


def _mask(length: int, spans) -> bytearray:
    """One byte per character of the text, 1 inside any of ``spans``."""
    mask = bytearray(length + 1)
    for s, e in spans:
        mask[s:e] = b"\x01" * (e - s)
    return mask


# Before a counted 一: a noun's last character, not a word that makes 一 an article (这一次, 的一天).
NOT_BEFORE_COUNTED_ONE = set("的这那此每前后同某第是了有一各仅只少多最任哪又再其之")


def _counts_one(text: str, fig: FigureMatch) -> bool:
    """重点项目一个，: 一 + a counting measure word after a noun, closing its clause, is the figure 1."""
    before = text[fig.start - 1:fig.start]
    return (fig.kind == "count" and CLAUSE_BREAK.match(text, fig.end) is not None
            and "\u4e00" <= before <= "\u9fff" and before not in NOT_BEFORE_COUNTED_ONE)


def is_not_figure(text: str, fig: FigureMatch, blocked: bytearray) -> bool:
    if blocked[fig.start]:
        return True
    if not fig.chinese:
        return False
    number = text[fig.start:fig.end].removeprefix("百分之")
    if _rule("lone_one") and number.startswith("一") and not re.match(r"一[十百千万亿〇零二两]", number) \
            and not _counts_one(text, fig):
        return True  # 一个监督小组, 一次评估: the article, not 1
    quoted = _rule("quoted_chinese_numeral")
    if quoted and _in_short_quote(text, fig.start, quoted["max_quote_length"]):
        return True
    return bool(_rule("list_summary")) and _counts_preceding_list(text, fig)


# A bare number joined to a figure shares its unit: 分别高0.3和0.4个百分点 → 0.3 个百分点 too.
SHARED_UNIT = re.compile(rf"(?<![0-9A-Za-z.]){ARABIC}(?P<mult>{MULTIPLIER})?(?:和|与|及|或|、)$")


def _sharing_unit(text: str, fig: FigureMatch, blocked: bytearray) -> list[FigureMatch]:
    """The bare numbers before ``fig`` that share its unit (1、2和3个 → 1 个, 2 个), nearest last."""
    out = []
    own = re.match(rf"(?:{ARABIC})(?P<mult>{MULTIPLIER})?", fig.text)
    while own and fig.low is None:
        m = SHARED_UNIT.search(text, max(0, fig.start - 20), fig.start)
        if not m or blocked[m.start()]:
            break
        if m.group(0).endswith("、") and (m.start() == 0 or text[m.start() - 1] in "\n。；;：:"):
            break  # 2、24岁的…: a list marker, not a number sharing 岁
        number = m.group(0)[:-1]
        value = parse_number(number)
        if value is None:
            break
        if not m.group("mult") and own.group("mult"):
            value *= MULTIPLIERS[own.group("mult")]  # 3和5万元: 万 serves both
        fig = FigureMatch(m.start(), m.start() + len(number), number, to_float(value), fig.unit, fig.kind, fig.unit_id)
        out.insert(0, fig)
    return out


def find_figures(text: str, taken: list[tuple[int, int]] = ()) -> list[FigureMatch]:
    """The figures of ``text``, leaving out numbers inside the ``taken`` spans (the dates)."""
    blocked = _mask(len(text), blocked_spans(text) + list(taken))
    dates = _mask(len(text), taken)
    found = []
    for f in scan_figures(text):
        if not _covered(dates, f.start, f.end) and not is_not_figure(text, f, blocked):
            found.extend(_sharing_unit(text, f, blocked))
            found.append(f)
    return found
