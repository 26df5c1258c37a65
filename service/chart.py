"""What a chart point is: figure rows in, points out, nothing added up.

A bulletin reports a total and its parts (累计完成投资12.6亿元，其中工业投资5.2亿元…), a year's target
(全年目标投资30亿元), a month's figure beside the cumulative one (5月当月完成投资2.4亿元), growth rates
(同比增长12.5%) and averages (平均每月1.22亿元). Adding them up draws a number no bulletin says. So a
point here is always ONE figure of the text, chosen by a rule the page states (``RULE``):

1. figures of another nature are never drawn: targets and plans (目标, 计划, 力争…), increases and
   decreases (同比增长, 比上年增加…); averages (平均, 人均) are drawn only as their own 口径;
2. cumulative figures (累计, 截至5月底, 1至5月) and a period's figures (5月当月) are not mixed: the chart
   draws one 口径, the one most figures have unless the reader picks another;
3. per place and month, one figure per document: its total where it has one (a table's 合计 row, 共/合计,
   a figure followed by 其中), otherwise the latest as-of, otherwise the largest amount (a whole is never
   smaller than its parts) or, for rates and percentages, the first one written;
4. of several documents, the latest issued one; across counties, each county's latest month.

Every other candidate is returned with the reason it was left out, so the page can list it.
``rows`` are the figure search's rows (``service.queries.iter_rows(conn, "figures", …)``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# ---------------------------------------------------------------- what a figure is

BASES = {"cumulative": "累计数", "period": "当期数", "change": "增减量", "average": "平均数"}
BASIS_ORDER = ("cumulative", "period", "change", "average")  # a tie goes to the first

# Only these clause-splitting marks: a colon keeps 全年目标：投资30亿元 in one clause.
CLAUSE_SPLIT = re.compile(r"[，,；;。！？!?]")
# 目标 / 计划 / 力争 …, unless the figure is a share of the target: 完成年度目标的42%, 目标任务完成率达85%,
# 占年度投资目标20.2% are achievements.
TARGET = re.compile(r"目标|计划|力争|预计|预期|确保|拟|任务数")  # not 争取: 争取省统筹资金8182万元 was obtained
TARGET_SHARE = re.compile(r"[的率比占]")
# 累计培训4030人次, 截至5月底, 1至5月, 前5个月, 今年以来; a period's own figure: 5月当月, 本月
CUMULATIVE = re.compile(r"累计|截至|截止|以来|至今|[1一][至到~—-][0-9一二三四五六七八九十]+月|前[0-9一二三四五六七八九十]+个?月")
PERIOD = re.compile(r"当月|本月|单月|当季|本季度|当周|本周|当日|当天")
CHANGE_QUALIFIERS = {"同比增长", "同比下降", "同比增加", "同比减少", "环比增长", "环比下降", "增长", "下降", "增加",
                     "减少", "提高"}
CHANGE = re.compile(r"同比|环比|比上年|比去年|较上年|较去年|比上月|较上月|(?:增长|增加|下降|减少|提高|降低|上升|回落|增|降)"
                    r"(?:了|达|为|到)?$")
# 已超出原计划完成人数19%: how far past the plan, a change rather than a target; 增速比全省平均水平高0.5个百分点,
# 高于全市…0.5个百分点: a difference (but 超过10万人 is a level: nothing stands between the word and the figure)
PAST_TARGET = re.compile(r"(?:超出|超过|高出|多出|低于)[^，。；]*(?:目标|计划|任务)")
DIFFERENCE = re.compile(r"(?:比|较)[^，,。；;]*(?:高|低|多|少|快|慢)了?$|(?:高于|低于|超过|超出|多于|少于)[^，,。；;\d]+$")
AVERAGE = re.compile(r"平均|人均|户均|均价|年均|月均|日均")
TOTAL_QUALIFIERS = {"共", "共计", "合计", "总计"}
RATE_KINDS = {"percent", "percentage_point"}


@dataclass
class Figure:
    """A figure row with what the chart needs to know about it."""

    row: Mapping
    nature: str  # target | cumulative | period | change | average
    total: bool
    rate: bool

    @property
    def id(self) -> int:
        return self.row["id"]


def _clause_before(row: Mapping) -> tuple[str, str, str]:
    """The sentence up to the figure, its last clause, and the text right after the figure."""
    sentence = row.get("sentence") or ""
    text = row.get("text") or ""
    i = sentence.find(text) if text else -1
    if i < 0:
        return sentence, sentence, ""
    before = sentence[:i]
    return before, CLAUSE_SPLIT.split(before)[-1], sentence[i + len(text):]


def classify(row: Mapping) -> Figure:
    """What kind of figure a row is: 全年目标投资30亿元 → target; 累计完成投资12.6亿元，其中… → cumulative
    total; 同比增长12.5% → change; 平均每月投资1.22亿元 → average; 5月当月完成投资2.4亿元 → period."""
    before, clause, after = _clause_before(row)
    subject = row.get("subject") or ""
    qualifier = row.get("qualifier") or ""
    nature = "period"
    target = TARGET.search(clause) or TARGET.search(subject)
    if target:
        source = clause if TARGET.search(clause) else subject
        last = list(TARGET.finditer(source))[-1]
        if TARGET_SHARE.search(source[last.end():]) or "占" in source[:last.start()]:  # 占年度投资目标20.2%
            target = None
    if PAST_TARGET.search(clause) or DIFFERENCE.search(clause.strip()):
        nature = "change"
    elif target:
        nature = "target"
    elif qualifier in CHANGE_QUALIFIERS or CHANGE.search(clause.strip()):
        nature = "change"
    elif AVERAGE.search(clause) or AVERAGE.search(subject):
        nature = "average"
    elif PERIOD.search(clause):
        nature = "period"
    elif qualifier == "累计" or CUMULATIVE.search(before):
        nature = "cumulative"
    total = bool(row.get("is_total")) or qualifier in TOTAL_QUALIFIERS or after.lstrip("，,：: ").startswith("其中")
    unit = row.get("unit") or ""
    rate = (row.get("kind") in RATE_KINDS or "/" in unit or "率" in subject or nature in ("change", "average"))
    return Figure(row, nature, total, rate)


# ---------------------------------------------------------------- places and periods

def county_of(row: Mapping) -> tuple[str, str] | None | str:
    """(code, name) of the county a row is about when it is about a county itself; "below" for a
    township or village; None for a city, a province or no code."""
    code = row.get("place_code") or ""
    if len(code) < 6:
        return None
    from extractor.gazetteer import gazetteer

    g = gazetteer()
    county = g.by_code.get(code[:6])
    is_county = county.level == "county" if county else code[4:6] != "00"
    if not is_county:
        return None
    if len(code) > 6:
        return "below"
    return code[:6], (county.name if county else row.get("place") or "")


def place_name(code: str | None, fallback: str | None) -> str:
    """A place's name, never its code: 430524 → 隆回县."""
    if fallback and not fallback.isdigit():
        return fallback
    if code:
        from extractor.gazetteer import gazetteer

        p = gazetteer().by_code.get(code)
        if p:
            return p.name
    return fallback or "未注明地点"


CN_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11,
             "十二": 12}
MONTH_IN_CLAUSE = re.compile(r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月(?:份)?(?:当月|单月|份|，|完成|新增|$)")


def period_of(row: Mapping) -> str | None:
    """The month a figure holds for (YYYY-MM): its as-of date; else a month its clause names
    (隆回县5月当月完成投资2.4亿元 in a bulletin of 2023-06-05 → 2023-05); else its bulletin's issue date."""
    if row.get("as_of"):
        return str(row["as_of"])[:7]
    issued = str(row.get("issue_date") or "")
    if not issued:
        return None
    m = MONTH_IN_CLAUSE.search(_clause_before(row)[1])
    if m:
        month = int(m[1]) if m[1].isdigit() else CN_MONTHS[m[1]]
        year = int(issued[:4]) - (month > int(issued[5:7]))  # 12月 in a January bulletin: last year
        return f"{year:04d}-{month:02d}"
    return issued[:7]


# ---------------------------------------------------------------- the points

REASONS = {
    "target": "目标、计划数，不是完成数",
    "change": "增减量或增长率，不是总量",
    "average": "平均数，不与总量同画",
    "basis": "口径不同（本图画{basis}）",
    "kind": "类别不同",
    "no_value": "没有数值",
    "no_period": "没有日期",
    "no_county": "不是县级地点（市、省或未注明）",
    "below": "乡镇、村的数字，不代表全县",
    "other_place": "不是本图的地点",
    "no_place": "未注明地点",
    "same_doc": "同一份简报已取 {chosen}",
    "older_doc": "有更新一期简报的数字 {chosen}",
    "older_period": "已画更近月份的数字 {chosen}",
}


@dataclass
class Chart:
    points: list[dict] = field(default_factory=list)
    left_out: list[dict] = field(default_factory=list)  # the row with "reason" (Chinese)
    basis: str = "cumulative"
    bases: dict[str, int] = field(default_factory=dict)  # 口径 → how many candidates have it
    place: str | None = None  # time mode: the place drawn
    used: int = 0


def _pick_in_document(figures: list[Figure]) -> Figure:
    """A document's one figure for a place and month: its total, else the latest as-of, else the
    largest amount (a whole is never smaller than its parts) or the first rate written."""
    def key(f: Figure):
        as_of = str(f.row.get("as_of") or "")
        tiebreak = (-(f.row.get("figure_index") or f.id)) if f.rate else (f.row.get("value") or 0)
        return (f.total, as_of, tiebreak)

    return max(figures, key=key)


def _doc_order(f: Figure):
    return (str(f.row.get("issue_date") or ""), str(f.row.get("as_of") or ""), f.row.get("document_id") or 0)


def _point_row(f: Figure, key: str, label: str, period: str | None) -> dict:
    r = f.row
    return {"key": key, "label": label, "value": r["value"], "period": period,
            "figure": {k: r.get(k) for k in ("id", "text", "value", "unit", "subject", "place", "as_of", "issue_date",
                                            "document_id", "file_name", "issuer", "page", "sentence", "qualifier")}}


def chart_points(rows: Iterable[Mapping], mode: str = "county", *, basis: str | None = None,
                 place: str | None = None) -> Chart:
    """The points of a chart of ``rows`` (one unit; the search's rows): ``county`` — one bar per
    county, its latest month; ``time`` — one point per month for one place (``place``, a name or a code;
    else the place with the most figures). ``basis`` (cumulative | period | change | average) picks the
    口径; by default the one most candidates have."""
    chart = Chart()
    left: list[tuple[Mapping, str, dict]] = []
    figures = [classify(r) for r in rows]
    kinds = Counter(f.row.get("kind") for f in figures if f.row.get("value") is not None)
    main_kind = kinds.most_common(1)[0][0] if kinds else None
    candidates: list[tuple[Figure, str, str, str]] = []  # (figure, place key, label, period)
    for f in figures:
        r = f.row
        if r.get("value") is None:
            left.append((r, "no_value", {}))
        elif f.nature == "target":
            left.append((r, "target", {}))
        elif r.get("kind") != main_kind:
            left.append((r, "kind", {}))
        elif period_of(r) is None:
            left.append((r, "no_period", {}))
        elif mode == "county":
            county = county_of(r)
            if county is None:
                left.append((r, "no_county", {}))
            elif county == "below":
                left.append((r, "below", {}))
            else:
                candidates.append((f, county[0], place_name(county[0], county[1]), period_of(r)))
        else:
            key = r.get("place_code") or r.get("place") or ""
            if not key:
                left.append((r, "no_place", {}))
                continue
            candidates.append((f, key, place_name(r.get("place_code"), r.get("place")), period_of(r)))

    if mode == "time":
        counts = Counter(k for _, k, _, _ in candidates)
        names = {k: lab for _, k, lab, _ in candidates}
        # the place asked for (its name, short name or code), else the place with the most figures; a tie
        # goes to the higher level (the shorter code)
        wanted = [k for k in counts if place and place in (k, names[k])] or \
                 [k for k in counts if place and names[k].startswith(place)] or list(counts)
        chosen_place = min(wanted, key=lambda k: (-counts[k], len(k), k)) if wanted else None
        kept = []
        for c in candidates:
            if c[1] == chosen_place:
                kept.append(c)
            else:
                left.append((c[0].row, "other_place", {}))
        candidates = kept
        chart.place = next((lab for _, k, lab, _ in candidates), None)

    chart.bases = dict(Counter(f.nature for f, *_ in candidates))
    if basis not in BASES:
        basis = max(BASIS_ORDER, key=lambda b: (chart.bases.get(b, 0), -BASIS_ORDER.index(b)))
    chart.basis = basis
    groups: dict[tuple[str, str], dict[int, list[Figure]]] = defaultdict(lambda: defaultdict(list))
    labels: dict[str, str] = {}
    for f, key, label, period in candidates:
        if f.nature != basis:
            left.append((f.row, f.nature if f.nature in ("change", "average") and basis in ("cumulative", "period")
                         else "basis", {"basis": BASES[basis]}))
            continue
        groups[(key, period)][f.row.get("document_id") or 0].append(f)
        labels[key] = label

    chosen: dict[tuple[str, str], Figure] = {}
    for group_key, by_doc in groups.items():
        per_doc = []
        for doc_figures in by_doc.values():
            pick = _pick_in_document(doc_figures)
            per_doc.append(pick)
            left.extend((f.row, "same_doc", {"chosen": pick.row.get("text")}) for f in doc_figures if f is not pick)
        best = max(per_doc, key=_doc_order)
        left.extend((f.row, "older_doc", {"chosen": best.row.get("text")}) for f in per_doc if f is not best)
        chosen[group_key] = best

    if mode == "county":
        latest: dict[str, tuple[str, Figure]] = {}
        for (key, period), f in sorted(chosen.items(), key=lambda kv: kv[0][1]):
            if key in latest:
                left.append((latest[key][1].row, "older_period", {"chosen": f.row.get("text")}))
            latest[key] = (period, f)
        chart.points = [_point_row(f, key, labels[key], period) for key, (period, f) in latest.items()]
        chart.points.sort(key=lambda p: (-p["value"], p["label"]))
    else:
        chart.points = [_point_row(f, period, period, period) for (key, period), f in chosen.items()]
        chart.points.sort(key=lambda p: p["key"])
    chart.used = len(chart.points)
    chart.left_out = [{**dict(r), "reason": REASONS[reason].format(**extra)} for r, reason, extra in left]
    chart.left_out.sort(key=lambda r: r.get("id") or 0)
    return chart


def rule(mode: str, place: str | None = None) -> str:
    """The rule, in one line, as the page states it."""
    where = "每个县市区取最近月份" if mode == "county" else f"{place or '所选地点'}每月取"
    mark = "柱" if mode == "county" else "点"
    return (f"每个{mark}是原文中的一个数字，不做相加：{where}最新一期简报中的一个数字（有合计取合计，否则取截至日期最晚的）；"
            "目标、计划和增减量不画，累计数与当期数不混画，百分比和平均数不相加；其余数字列在下方。")
