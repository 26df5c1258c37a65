"""The grammar of dates, resolved against the bulletin's issue date.

Values (``DateMatch.value``) are ISO strings at the precision the text gives:
    2023年5月24日 / 2023-05-24 / 2023.5.24 / 二〇二三年五月二十四日 → 2023-05-24 (day)
    27.11.2014 (a web page's day-first date line)                       → 2014-11-27 (day)
    5月16日 (issue 2023-05-24)          → 2023-05-16, the year taken from the issue date
    3月份 / 2月以来                      → 2023-03 / 2023-02 (month; 以来 ends at the issue date)
    6月底 / 本月底                       → 2023-06-30 / the issue month's last day (month_part)
    11月中旬                             → 2023-11 with the 11th–20th as start/end (month_part)
    1—9月份 / 1-4月份                    → 2013-09: a range is valued by its END, as the answer
                                           keys do (截至 the end of September), with start/end dates
    2023年 / 今年 / 全年                 → 2023 (year);  年初 → 2023-01;  年底 → 2023-12-31
    上半年 / 一季度 / 前三季度           → 2023-H1 / 2023-Q1 / 2023-Q3 (Q1–Q3 as start/end)
    目前 / 截至目前                      → the issue date
A year-end review issued early in the next year (issued 2014-01-20: 截至2013年12月底 / 截至上年12月底
… 完成全年目标的109.4%) is about the year before: there 全年/今年/年底 mean 2013 (``report_year``).
A month-day or month without a year and no issue date gets the ISO 8601 year-less form
(--05-16, --05) and ``year_unknown``; relative expressions (今年, 目前) then give nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from extractor.lexicon import read_jsonl
from extractor.numbers import parse_chinese_integer

YEAR = r"(?:1[89]\d\d|20\d\d)"
CN_YEAR = r"[〇零一二三四五六七八九]{4}"
MONTH = r"(?:1[0-2]|0?[1-9])"
DAY = r"(?:3[01]|[12]\d|0?[1-9])"
CN_MONTH = r"(?:十[一二]?|[一二三四五六七八九])"
CN_DAY = r"(?:三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
RANGE_SEP = r"[-—–~～至到]"
# An explicit or relative year in front of a month, quarter or half: 2023年 / 今年 / 去年.
YEAR_PREFIX = rf"(?:(?P<year>{YEAR}|{CN_YEAR})年|(?P<rel_year>今年|去年|上年|明年|本年|当年))?"
# Words before a month that make it a deadline (到6月底, 力争10月), so a month after the issue
# month stays in the issue year rather than going back to the year before.
FUTURE_MARKERS = ("到", "至", "于", "前", "力争", "计划", "预计", "将", "确保", "争取", "要", "在", "截至", "截止")
# Not a date when glued to what is before: 2个月 (个), 第3月, 13月 (a digit), a/2023-4992 (index numbers).
NOT_BEFORE = r"(?<![0-9A-Za-z/.\-个第])"
# A report issued in the first months of a year may review the year before (年度总结, 12月底 figures).
EARLY_MONTHS = 3
AS_OF_WORDS = ("截至", "截止")
# The report's own date lines (成文, 发布, 印发) lie within days of the issue date: they say nothing of its subject.
OWN_DATE_SPAN = dt.timedelta(days=10)


@dataclass
class DateMatch:
    start: int
    end: int
    text: str
    value: str
    precision: str
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    year_inferred: bool = False
    year_unknown: bool = False
    as_of: bool = False  # introduced by 截至/截止 or the issue date itself (目前): figures hold at this date


def _int(text: str) -> int:
    return int(text) if text.isdigit() else parse_chinese_integer(text)


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _month_start(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _last_day(year, month))


@cache
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """(name, regex) pairs; every match is a candidate and the longest candidates win."""
    rel = sorted((t for row in read_jsonl("relative_dates.jsonl") for t in row["texts"]), key=len, reverse=True)
    day_sep = r"[-./]"
    return (
        # 2023-05-24, 2023.5.24, 2023/5/24 (the same separator twice)
        ("numeric", re.compile(rf"{NOT_BEFORE}(?P<year>{YEAR})(?P<sep>{day_sep})(?P<month>{MONTH})(?P=sep)(?P<day>{DAY})(?![0-9])")),
        # 27.11.2014: day first, as some web pages date themselves (dots only: 11/27/2014 is not read)
        ("numeric_dmy", re.compile(rf"{NOT_BEFORE}(?P<day>{DAY})\.(?P<month>{MONTH})\.(?P<year>{YEAR})(?![0-9])")),
        # 2023年5月24日, 5月16日, 二〇二三年五月二十四日
        ("day", re.compile(rf"{NOT_BEFORE}{YEAR_PREFIX}(?P<month>{MONTH}|{CN_MONTH})月(?P<day>{DAY}|{CN_DAY})[日号]")),
        # 1—9月份, 2023年1-4月份, 1月至5月
        ("month_range", re.compile(
            rf"{NOT_BEFORE}{YEAR_PREFIX}(?P<month>{MONTH})月?{RANGE_SEP}(?P<month2>{MONTH})月份?(?![0-9])")),
        # 3月份, 2023年5月, 6月底, 11月中旬, 2月以来 (Chinese months only after a year: 二〇二三年五月)
        ("month", re.compile(
            rf"{NOT_BEFORE}{YEAR_PREFIX}(?P<month>{MONTH}|(?<=年){CN_MONTH})月份?"
            rf"(?P<part>底|末|初|上旬|中旬|下旬)?(?P<since>以来)?(?![0-9日号])")),
        # 一季度, 第一季度, 1季度, 前三季度, 2023年一季度
        ("quarter", re.compile(rf"{YEAR_PREFIX}(?P<first>前|第|一至)?(?P<quarter>[一二三四1-4])季度")),
        ("half", re.compile(rf"{YEAR_PREFIX}(?P<half>上|下)半年")),
        # 2023年, 2023年底, 2023年初, 2021—2025年 (a year of a document number has no 年: 〔2024〕)
        ("year", re.compile(
            rf"{NOT_BEFORE}(?:(?P<year0>{YEAR}){RANGE_SEP})?(?P<year>{YEAR}|{CN_YEAR})年(?P<part>底|末|初)?")),
        ("relative", re.compile("|".join(re.escape(t) for t in rel))),
    )


@cache
def _relative_rules() -> dict[str, dict]:
    return {t: row for row in read_jsonl("relative_dates.jsonl") for t in row["texts"]}


class _Resolver:
    """Turns one regex match into a ``DateMatch``, given the text and the issue date."""

    def __init__(self, text: str, issue: dt.date | None, report_year: int | None = None):
        self.text = text
        self.issue = issue
        # The year 今年/全年/年底 mean: the issue year, or the year before in a year-end review.
        self.report_year = report_year or (issue.year if issue else None)
        self.reviews_past_year = issue is not None and self.report_year < issue.year

    def year_of(self, m: re.Match, month: int | None = None) -> tuple[int | None, bool]:
        """(year, inferred). The text's year, a relative one, or the issue year — the year
        before when a month later than the issue month is reported as past (issue 2023-04:
        11月7日 → 2022-11-07), unless a deadline word stands before it (到10月底)."""
        groups = m.groupdict()
        if groups.get("year"):
            return _int(groups["year"]), False
        if self.issue is None:
            return None, True
        if groups.get("rel_year"):
            offset = {"去年": -1, "上年": -1, "明年": 1}.get(groups["rel_year"], 0)
            # 去年/明年 count from the issue date; 今年/当年 is the year reported on
            return (self.issue.year + offset if offset else self.report_year), False
        if month is not None and month > self.issue.month:
            before = self.text[max(0, m.start() - 6):m.start()]
            if self.reviews_past_year:
                # a year-end review: 截至12月底 is last December; only a deadline (到6月底) is ahead
                for word in AS_OF_WORDS:
                    before = before.replace(word, "")
                if not any(w in before for w in FUTURE_MARKERS):
                    return self.issue.year - 1, True
            elif not any(w in before for w in FUTURE_MARKERS) and not groups.get("part"):
                return self.issue.year - 1, True
        if month is None:
            return self.report_year, True  # 四季度 in a year-end review: the year reviewed
        return self.issue.year, True

    def make(self, m: re.Match, value: str, precision: str, start=None, end=None, inferred=False,
             unknown=False) -> DateMatch:
        before = self.text[max(0, m.start() - 3):m.start()]
        as_of = any(w in before for w in ("截至", "截止", "截止到", "至")) or precision == "day" and (
            self.issue is not None and value == self.issue.isoformat())
        return DateMatch(m.start(), m.end(), m.group(0), value, precision, start, end, inferred, unknown, as_of)

    def numeric(self, m):
        return self.day(m)

    def numeric_dmy(self, m):
        return self.day(m)

    def day(self, m):
        month, day = _int(m.group("month")), _int(m.group("day"))
        year, inferred = self.year_of(m, month)
        if year is None:
            return self.make(m, f"--{month:02d}-{day:02d}", "day", inferred=True, unknown=True)
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None
        return self.make(m, date.isoformat(), "day", date, date, inferred)

    def month_range(self, m):
        first, last = int(m.group("month")), int(m.group("month2"))
        if first >= last:
            return None
        year, inferred = self.year_of(m, last)
        if year is None:
            return self.make(m, f"--{last:02d}", "month", inferred=True, unknown=True)
        return self.make(m, f"{year}-{last:02d}", "month", _month_start(year, first), _month_end(year, last), inferred)

    def month(self, m):
        month = _int(m.group("month"))
        part = m.group("part")
        year, inferred = self.year_of(m, month)
        if year is None:
            return self.make(m, f"--{month:02d}", "month_part" if part else "month", inferred=True, unknown=True)
        start, end = _month_start(year, month), _month_end(year, month)
        if part in ("底", "末"):
            return self.make(m, end.isoformat(), "month_part", end.replace(day=21), end, inferred)
        if part:
            first_day = {"初": 1, "上旬": 1, "中旬": 11, "下旬": 21}[part]
            last_day = {"初": 10, "上旬": 10, "中旬": 20, "下旬": end.day}[part]
            return self.make(m, f"{year}-{month:02d}", "month_part", start.replace(day=first_day),
                             start.replace(day=last_day), inferred)
        if m.group("since") and self.issue is not None:
            end = self.issue
        return self.make(m, f"{year}-{month:02d}", "month", start, end, inferred)

    def quarter(self, m):
        year, _ = self.year_of(m)
        if year is None:
            return None
        q = _int(m.group("quarter"))
        if not 1 <= q <= 4:
            return None
        first_q = 1 if m.group("first") in ("前", "一至") else q
        return self.make(m, f"{year}-Q{q}", "quarter", _month_start(year, 3 * first_q - 2), _month_end(year, 3 * q))

    def half(self, m):
        year, _ = self.year_of(m)
        if year is None:
            return None
        h = 1 if m.group("half") == "上" else 2
        return self.make(m, f"{year}-H{h}", "half_year", _month_start(year, 6 * h - 5), _month_end(year, 6 * h))

    def year(self, m):
        year = _int(m.group("year"))
        part = m.group("part")
        if part == "初":
            return self.make(m, f"{year}-01", "month_part", dt.date(year, 1, 1), dt.date(year, 1, 10))
        if part:
            return self.make(m, f"{year}-12-31", "month_part", dt.date(year, 12, 21), dt.date(year, 12, 31))
        first = int(m.group("year0")) if m.group("year0") else year
        if first > year:
            return None
        return self.make(m, str(year), "year", dt.date(first, 1, 1), dt.date(year, 12, 31))

    def relative(self, m):
        if self.issue is None:
            return None  # 今年, 目前 … mean nothing without the issue date
        rule = _relative_rules()[m.group(0)]
        issue, offset = self.issue, rule["offset"]
        # 今年/全年/年底/上半年 are the year reported on; 去年/明年 count from the issue date; 本月 is the issue's
        if rule["resolve"].startswith("year"):
            year = (self.report_year if offset == 0 else issue.year) + offset
        else:
            year = self.report_year if rule["resolve"] == "half" else issue.year
        match rule["resolve"]:
            case "year":
                return self.make(m, str(year), "year", dt.date(year, 1, 1), dt.date(year, 12, 31))
            case "year_start":
                return self.make(m, f"{year}-01", "month_part", dt.date(year, 1, 1), dt.date(year, 1, 10))
            case "year_end":
                return self.make(m, f"{year}-12-31", "month_part", dt.date(year, 12, 21), dt.date(year, 12, 31))
            case "half":
                return self.make(m, f"{year}-H{offset}", "half_year", _month_start(year, 6 * offset - 5),
                                 _month_end(year, 6 * offset))
            case "month" | "month_end":
                first = _month_start(year, issue.month)
                if offset:
                    first = (first - dt.timedelta(days=1)).replace(day=1)
                end = _month_end(first.year, first.month)
                if rule["resolve"] == "month_end":
                    return self.make(m, end.isoformat(), "month_part", end.replace(day=21), end)
                return self.make(m, f"{first.year}-{first.month:02d}", "month", first, end)
            case "issue_date":
                date = self.make(m, issue.isoformat(), "day", issue, issue)
                date.as_of = True
                return date
            case "recent":
                return self.make(m, f"{year}-{issue.month:02d}", "month", issue.replace(day=1), issue)
        return None


def find_dates(text: str, issue_date: dt.date | None = None) -> list[DateMatch]:
    """The dates of ``text``, the longest reading winning where readings overlap; in a year-end
    review issued early in the next year, the relative years (今年, 全年, 年底) of the year reviewed."""
    dates = _find_dates(text, _Resolver(text, issue_date))
    year = reviewed_year(dates, issue_date)
    if year is not None:
        dates = _find_dates(text, _Resolver(text, issue_date, report_year=year))
    return dates


def reviewed_year(dates: list[DateMatch], issue: dt.date | None) -> int | None:
    """The year before the issue year when a report issued in its first months states figures as
    of that year's last quarter (截至2013年12月底, 截至上年12月底, 截至12月底 in a January issue)
    or over its months up to then (1—12月, 2013年1-11月)."""
    if issue is None or issue.month > EARLY_MONTHS:
        return None
    relative = _relative_rules()
    for d in dates:
        # a month or day of the new year before the issue (今年1-2月, 2月15日) means the report is
        # about the new year, even if it quotes a stock as of last year's end (截至2023年底，共有…)
        if (d.start_date and issue.year == d.start_date.year and d.start_date <= issue - OWN_DATE_SPAN
                and d.text not in relative and d.precision in ("day", "month", "month_part", "quarter")):
            return None
    for d in dates:
        end = d.end_date or d.start_date
        cumulative = d.precision == "month" and d.start_date is not None and d.start_date.month == 1 and end != d.start_date
        if not (d.as_of or cumulative) or end is None or end.month < 10 or d.precision == "year":
            continue
        if end.year == issue.year - 1 or (d.year_inferred and end.year == issue.year and end > issue):
            return issue.year - 1
    return None


def _find_dates(text: str, resolver: _Resolver) -> list[DateMatch]:
    candidates = []
    for name, rx in _patterns():
        for m in rx.finditer(text):
            if m.end() > m.start():
                candidates.append((m, name))
    candidates.sort(key=lambda c: (-(c[0].end() - c[0].start()), c[0].start()))
    taken = bytearray(len(text) + 1)  # 1 where a date already stands
    out: list[DateMatch] = []
    for m, name in candidates:
        if taken.find(1, m.start(), m.end()) >= 0:
            continue
        date = getattr(resolver, name)(m)
        if date is not None:
            taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
            out.append(date)
    return sorted(out, key=lambda d: d.start)
