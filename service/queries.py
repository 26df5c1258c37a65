"""Searches over the store, shared by the API, the CLI and the exports.

Every search takes its filters as a mapping of strings (query parameters, CLI options), checks
them (``BadParameter`` with a message that says what is accepted), and builds one SQL ``WHERE``
that the page of results, the total count, the facets and the exports all use, so an export's
row count always equals the search's count for the same filters.

    page = search(conn, "figures", {"q": "就业", "place": "邵阳市", "unit": "人"})
    page.items, page.count, page.next

Pagination is by keyset: the ``next`` token carries the sort value and id of the last row.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache

from models import DatePrecision, EntityType, FigureKind
from service import store as idx
from service.labels import choices_zh, parameter_zh
from service.store import code_prefixes, query_words


class BadParameter(ValueError):
    """A query parameter that cannot be used; the message names it and says what is accepted, in
    English (``str(e)``, the API's ``error``) and in Chinese (``e.zh``, for the web page)."""

    def __init__(self, message: str, *, zh: str | None = None):
        super().__init__(message)
        self.zh = zh or message


@dataclass
class Page:
    items: list[dict]
    count: int | None
    next: str | None
    facets: dict[str, list[dict]] = field(default_factory=dict)
    limit: int = 0
    count_exact: bool = True
    facets_exact: bool = True


def dialect(conn) -> str:
    """'sqlite' for a sqlite3 connection, 'postgresql' for the PostgreSQL store's connection."""
    return getattr(conn, "dialect", "sqlite")


# A search counts its matches exactly up to this many; past it, the count says "at least" (count_exact
# false) unless count=exact is asked for. Exports always count (and send) everything.
COUNT_CAP = 10_000


def _count_mode(params: Mapping) -> str:
    value = _text(params, "count")
    if value is None:
        return "capped"
    if value.lower() == "exact":
        return "exact"
    return "capped" if _bool(params, "count") else "none"


# ---------------------------------------------------------------- parameter parsing

def _text(params: Mapping, name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _list(params: Mapping, name: str) -> list[str]:
    value = _text(params, name)
    return [v.strip() for v in value.split(",") if v.strip()] if value else []


def _choice_list(params: Mapping, name: str, choices: list[str]) -> list[str]:
    values = _list(params, name)
    bad = [v for v in values if v not in choices]
    if bad:
        raise BadParameter(f"{name}: {', '.join(bad)} is not one of {', '.join(choices)}",
                           zh=f"{parameter_zh(name)}：{'、'.join(bad)} 不是可选的值（可选：{choices_zh(name, choices)}）")
    return values


def _number(params: Mapping, name: str) -> float | None:
    value = _text(params, name)
    if value is None:
        return None
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        raise BadParameter(f"{name}: '{value}' is not a number (e.g. {name}=1000)",
                           zh=f"{parameter_zh(name)}：“{value}”不是数字（例如 1000 或 1,000）") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise BadParameter(f"{name}: '{value}' is not a finite number", zh=f"{parameter_zh(name)}：“{value}”不是有限的数字")
    return number


def _int_list(params: Mapping, name: str) -> list[int]:
    out = []
    for v in _list(params, name):
        if not v.isdigit():
            raise BadParameter(f"{name}: '{v}' is not a document id (a whole number; several: 1,2,3)",
                               zh=f"{parameter_zh(name)}：“{v}”不是文件编号（应为整数；多个用逗号分开：1,2,3）")
        out.append(int(v))
    return out


def _bool(params: Mapping, name: str) -> bool | None:
    value = _text(params, name)
    if value is None:
        return None
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise BadParameter(f"{name}: '{value}' is not true or false",
                       zh=f"{parameter_zh(name)}：“{value}”应为 true（是）或 false（否）")


EMPTY_Q_ZH = "关键词为空（请输入要检索的词语，或不填）"

# A date filter as people type it: a year, a month or a day, ISO or Chinese —
# 2023, 2023年, 2023-05, 2023年5月, 2023-05-16, 2023/5/16, 2023.5.16, 2023年5月16日 (full-width digits too).
DATE_FORMS = (
    re.compile(r"(?P<y>\d{4})(?:(?P<sep>[-/.])(?P<m>\d{1,2})(?:(?P=sep)(?P<d>\d{1,2}))?)?"),
    re.compile(r"(?P<y>\d{4})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号]?)?)?"),
)
DATE_HELP = "YYYY-MM-DD, YYYY-MM or YYYY; 2023年5月16日, 2023年5月, 2023年 and 2023/5/16 too"
DATE_HELP_ZH = "可以写 2023年、2023年5月、2023年5月16日、2023-05、2023-05-16 或 2023/5/16"


def parse_date(value: str) -> tuple[dt.date, str] | None:
    """A typed date → (its first day, precision 'year', 'month' or 'day'); None if it is not one.
    Raises ValueError for a date that does not exist (2023-02-30)."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))  # ２０２３年 → 2023年
    for form in DATE_FORMS:
        m = form.fullmatch(text)
        if m:
            month, day = m["m"], m["d"]
            start = dt.date(int(m["y"]), int(month or 1), int(day or 1))
            return start, ("day" if day else "month" if month else "year")
    return None


def _in(column: str, values: list, w: list, args: list) -> None:
    """``column IN (?, ?, …)`` for ``values``: the condition to ``w``, the values to ``args``."""
    w.append(f"{column} IN ({', '.join('?' * len(values))})")
    args.extend(values)


def _date_bound(params: Mapping, name: str, upper: bool) -> str | None:
    """A date, month or year as a bound on ISO date strings: the lower bound inclusive, the upper
    bound exclusive (to=2023-05 or 2023年5月 → before 2023-06-01)."""
    value = _text(params, name)
    if value is None:
        return None
    try:
        parsed = parse_date(value)
    except ValueError:
        raise BadParameter(f"{name}: '{value}' is not a date that exists ({DATE_HELP})",
                           zh=f"{parameter_zh(name)}：“{value}”这个日期不存在（{DATE_HELP_ZH}）") from None
    if parsed is None:
        raise BadParameter(f"{name}: '{value}' is not a date ({DATE_HELP})",
                           zh=f"{parameter_zh(name)}：“{value}”不是日期（{DATE_HELP_ZH}）")
    start, precision = parsed
    if not upper:
        return start.isoformat()
    try:
        if precision == "day":
            end = start + dt.timedelta(days=1)
        elif precision == "month":
            end = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        else:
            end = dt.date(start.year + 1, 1, 1)
    except (ValueError, OverflowError):  # past 9999-12-31: after every date
        return "9999-99-99"
    return end.isoformat()


def _limit(params: Mapping, default: int, cap: int) -> int:
    value = _text(params, "limit")
    if value is None:
        return default
    if not value.isdigit() or int(value) < 1:
        raise BadParameter(f"limit: '{value}' is not a whole number from 1 to {cap}",
                           zh=f"每页条数：“{value}”应为 1 到 {cap} 之间的整数")
    if int(value) > cap:
        raise BadParameter(f"limit: {value} is more than the page-size cap of {cap} (use the next token to "
                           "page on, or an export for everything)",
                           zh=f"每页条数：{value} 超过了上限 {cap}（请翻页查看，或导出全部结果）")
    return int(value)


# ---------------------------------------------------------------- full text

FTS_SYNTAX = re.compile(r'["*()^:{}\[\]+]|(?<![A-Za-z])(?:AND|OR|NOT|NEAR)(?![A-Za-z])')
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
WORD = re.compile(r"\w", re.UNICODE)


def query_terms(q: str) -> tuple[list[list[str]], list[str]]:
    """``q`` as groups of index words (each word a group: all required) and the single Chinese
    characters, which the word index cannot find and are matched in the sentence instead."""
    found = FTS_SYNTAX.search(q)
    if found:
        raise BadParameter(f"q: '{found.group(0)}' is search syntax, which is not supported: give plain words "
                           "(all must occur), e.g. q=就业 培训",
                           zh=f"关键词：不支持检索语法“{found.group(0)}”；请只写词语（都须出现），例如：就业 培训")
    words = [w for w in query_words(q) if WORD.search(w)]
    if not words:
        raise BadParameter("q: no words to search for (give words, e.g. q=就业)",
                           zh="关键词：没有可检索的词语（请输入词语，例如：就业）")
    singles = [w for w in words if len(w) == 1 and CJK.match(w)]
    return [[w] for w in words if w not in singles], singles


def fts_terms(q: str) -> tuple[str | None, list[str]]:
    """``q`` as an FTS5 expression (each word quoted, all required) and the single Chinese characters."""
    groups, singles = query_terms(q)
    return (match_expression(groups, "sqlite") if groups else None), singles


def match_expression(groups: list[list[str]], dialect_name: str) -> str:
    """Words and tokens, every group required, any word of a group: an FTS5 MATCH expression for
    SQLite ("a" AND ("b" OR "c")), a tsquery for PostgreSQL ('a' & ('b' | 'c'))."""
    if dialect_name == "postgresql":
        def lexeme(w: str) -> str:
            return "'" + w.lower().replace("\\", "\\\\").replace("'", "''") + "'"
        parts = [lexeme(g[0]) if len(g) == 1 else "(" + " | ".join(lexeme(w) for w in g) + ")" for g in groups]
        return " & ".join(parts)

    def phrase(w: str) -> str:
        return '"' + w.replace('"', '""') + '"'
    parts = [phrase(g[0]) if len(g) == 1 else "(" + " OR ".join(phrase(w) for w in g) + ")" for g in groups]
    return " AND ".join(parts)


def fts_condition(table: str, alias: str, dialect_name: str) -> str:
    """The full-text condition (its one argument: ``match_expression``)."""
    if dialect_name == "postgresql":
        return f"{alias}.tsv @@ ?::tsquery"
    return f"{alias}.id IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?)"


# ---------------------------------------------------------------- places

@cache
def _gazetteer():
    try:
        from extractor.gazetteer import gazetteer
    except ImportError:
        return None
    try:
        return gazetteer()
    except (OSError, ValueError):
        return None


def code_prefix(code: str) -> str:
    """The prefix every place under an administrative code shares: 430500 (邵阳市) → 4305,
    430000 → 43, 430522 → 430522, 430522106000 → 430522106."""
    prefixes = code_prefixes(code)
    return prefixes[-1] if prefixes else code.strip()


def place_prefixes(value: str) -> tuple[list[str], str | None]:
    """Code prefixes for a place given by code or name (resolved in the gazetteer when there is
    one), and the name to match where a row has no code."""
    value = value.strip()
    if value.isdigit():
        if len(value) not in (2, 4, 6, 9, 12):
            raise BadParameter(f"place: '{value}' is not an administrative code (2, 4, 6, 9 or 12 digits, "
                               "e.g. 430522) nor a place name",
                               zh=f"地区：“{value}”既不是行政区划代码（2、4、6、9 或 12 位数字，例如 430522），"
                                  "也不是地名")
        return [code_prefix(value)], None
    gaz = _gazetteer()
    codes = [p.code for p in gaz.lookup(value)] if gaz else []
    return sorted({code_prefix(c) for c in codes}), value


def _prefix_sql(column: str, prefix: str, args: list) -> str:
    args.extend([prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)])
    return f"({column} >= ? AND {column} < ?)"


def place_sql(value: str, code_col: str, name_col: str, args: list) -> str:
    prefixes, name = place_prefixes(value)
    parts = [_prefix_sql(code_col, p, args) for p in prefixes]
    if name:
        parts.append(f"{name_col} = ?")
        args.append(name)
    return "(" + " OR ".join(parts) + ")" if parts else "1 = 0"


# ---------------------------------------------------------------- resources

@dataclass
class Sort:
    name: str
    expr: str
    desc: bool
    kind: type  # float or str: the sentinel that puts rows without a value last


@dataclass
class Resource:
    name: str
    table: str
    alias: str
    select: str  # columns of a result row
    join: str
    sorts: dict[str, str]
    columns: list[str]  # the export's columns, in order
    default_sort: str = "id"

    def sort(self, value: str | None) -> Sort:
        value = value or self.default_sort
        desc = value.startswith("-")
        name = value.lstrip("-")
        if name not in self.sorts:
            options = ", ".join(f"{s}, -{s}" for s in self.sorts)
            raise BadParameter(f"sort: '{value}' is not one of {options}",
                               zh=f"排序：“{value}”不是可选的值（可选：{options}；前加 - 为降序）")
        kind = float if name in ("value", "mentions") else str
        return Sort(name, self.sorts[name], desc, kind)


FIGURE_COLUMNS = ["id", "document_id", "figure_index", "text", "value", "unit", "kind", "qualifier", "low", "high",
                  "subject", "place", "place_code", "as_of", "is_total", "table_index", "table_row", "table_col",
                  "page", "start", "end", "sentence", "issue_date", "issuer", "file_name"]
DATE_COLUMNS = ["id", "document_id", "date_index", "text", "value", "precision", "start_date", "end_date",
                "year_inferred", "year_unknown", "page", "start", "end", "sentence", "issue_date", "issuer",
                "file_name"]
ENTITY_COLUMNS = ["id", "type", "name", "normalized", "code", "parents", "mention_count", "document_count"]

# An entity's mention and document counts, from its kept counts by month (store.ENTITY_MONTHS_SQL):
# a few hundred rows an entity, however many mentions it has.
ENTITY_MENTIONS = "(SELECT ifnull(sum(c.mentions), 0) FROM entity_months c WHERE c.entity_id = e.id)"
ENTITY_DOCUMENTS = "(SELECT ifnull(sum(c.documents), 0) FROM entity_months c WHERE c.entity_id = e.id)"

RESOURCES = {
    "figures": Resource(
        "figures", "figures", "f",
        select=", ".join(f"f.[{c}]" for c in FIGURE_COLUMNS[:-2]) + ", d.issuer, d.file_name",
        join="LEFT JOIN documents d ON d.id = f.document_id",
        sorts={"id": "f.id", "value": "f.value", "date": "f.date", "issue_date": "f.issue_date"},
        columns=FIGURE_COLUMNS),
    "dates": Resource(
        "dates", "dates", "t",
        select=", ".join(f"t.[{c}]" for c in DATE_COLUMNS[:-2]) + ", d.issuer, d.file_name",
        join="LEFT JOIN documents d ON d.id = t.document_id",
        sorts={"id": "t.id", "start_date": "t.start_date", "issue_date": "t.issue_date"},
        columns=DATE_COLUMNS),
    "entities": Resource(
        "entities", "entities", "e",
        select="e.id, e.type, e.name, e.normalized, e.code, e.parents, "
               f"{ENTITY_MENTIONS} AS mention_count, {ENTITY_DOCUMENTS} AS document_count",
        join="",
        sorts={"id": "e.id", "name": "e.name",
               "mentions": ENTITY_MENTIONS},
        columns=ENTITY_COLUMNS),
}

# The filters each resource takes (the API's query parameters, the CLI's options).
FILTERS = {
    "figures": ["q", "unit", "kind", "place", "date_from", "date_to", "as_of_from", "as_of_to", "issued_from",
                "issued_to", "min_value", "max_value", "document", "issuer", "is_total", "sort"],
    "dates": ["q", "precision", "date_from", "date_to", "issued_from", "issued_to", "year_inferred", "document",
              "issuer", "sort"],
    "entities": ["q", "type", "place", "issued_from", "issued_to", "document", "issuer", "min_mentions", "sort"],
}
FIGURE_FACETS = {"kind": "f.kind", "unit": "f.unit", "place": "f.place", "month": "substr(f.date, 1, 7)"}
FACET_SIZE = 30


MAX_MONTH_TOKENS = 120


def _month_tokens(lo: str | None, hi: str | None) -> list[str] | None:
    """Month tokens for a closed range of whole months (lo inclusive, hi exclusive), else None."""
    if not lo or not hi or lo[8:] != "01" or hi[8:] != "01":
        return None
    y, m = int(lo[:4]), int(lo[5:7])
    end = (int(hi[:4]), int(hi[5:7]))
    tokens = []
    while (y, m) < end:
        tokens.append(idx.month_token(y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        if len(tokens) > MAX_MONTH_TOKENS:
            return None
    return tokens


def _year_or_month_tokens(lo: str | None, hi: str | None) -> list[str] | None:
    """Year tokens for a range of whole years (2023 → zzy2023), else month tokens for whole months,
    else None."""
    if lo and hi and lo[5:] == "01-01" and hi[5:] == "01-01" and 0 < int(hi[:4]) - int(lo[:4]) <= MAX_MONTH_TOKENS:
        return [idx.year_token(y) for y in range(int(lo[:4]), int(hi[:4]))]
    return _month_tokens(lo, hi)


def _where_figures(p: Mapping, args: list, dialect_name: str = "sqlite", *, columns: bool = False) -> list[str]:
    """The filters that have index tokens (unit, kind, place, whole-month date ranges, totals) go into
    the full-text query (with the words of ``q``, if any), so the index alone answers and counts
    them, in id order; the others (value range, issue dates, document, issuer) are read from rows.
    Without words, a value range sorted by value reads its filters from their columns, whose
    (unit, value) index gives the rows in value order (one page read, not every match). With
    ``columns``, every filter is read from its column and the index is asked for the words only
    (the value walk, ``_value_walk``)."""
    w: list[str] = []
    match: list[list[str]] = []
    singles: list[str] = []
    q = _text(p, "q")
    if "q" in p and p["q"] is not None and not q:
        raise BadParameter("q: empty (give words to search for, or leave q out)", zh=EMPTY_Q_ZH)
    if q:
        match, singles = query_terms(q)
    # a value range sorted by value, without words: the (unit, value) index gives the page in order
    by_value_range = (_text(p, "sort") or "").lstrip("-") == "value" and bool(
        _text(p, "min_value") or _text(p, "max_value"))
    # the full-text index answers (and counts) when there are words, or filters it has tokens for
    fts = bool(q) or not by_value_range and (any(_text(p, name) for name in ("unit", "kind", "place")) or _month_tokens(
        _date_bound(p, "date_from", False), _date_bound(p, "date_to", True)) is not None)
    fts = fts and not columns
    units = _list(p, "unit")
    if units and fts:
        match.append([idx.unit_token(u) for u in units])
    elif units:
        _in("f.unit", units, w, args)
    kinds = _choice_list(p, "kind", [k.value for k in FigureKind])
    if kinds and fts:
        match.append([idx.kind_token(k) for k in kinds])
    elif kinds:
        _in("f.kind", kinds, w, args)
    place = _text(p, "place")
    if place and fts:
        prefixes, name = place_prefixes(place)
        tokens = [idx.place_code_token(x) for x in prefixes] + ([idx.place_name_token(name)] if name else [])
        match.append(tokens or ["zznothing"])
    elif place:
        w.append(place_sql(place, "f.place_code", "f.place", args))
    lo, hi = _date_bound(p, "date_from", False), _date_bound(p, "date_to", True)
    months = _month_tokens(lo, hi) if fts else None
    if months is not None:
        if lo >= hi:
            raise BadParameter("date_from is after date_to", zh="起始日期晚于截止日期")
        match.append(months)
    else:
        _range(p, "date", "f.date", w, args)
    # A figure's date is its as-of date when it has one, and the date's year and month are index
    # tokens: the figures of whole years (or months) of as-of dates are among those tokens' rows, so
    # the index narrows (as_of_from=2023&as_of_to=2023 → zzy2023) and the column decides (a figure
    # dated by its issue date in 2023 has the token and no as-of date).
    as_of_tokens = _year_or_month_tokens(_date_bound(p, "as_of_from", False), _date_bound(p, "as_of_to", True)) \
        if fts else None
    if as_of_tokens:
        match.append(as_of_tokens)
    _range(p, "as_of", "f.as_of", w, args)
    _range(p, "issued", "f.issue_date", w, args)
    for name, op in (("min_value", ">="), ("max_value", "<=")):
        number = _number(p, name)
        if number is not None:
            w.append(f"f.value {op} ?")
            args.append(number)
    total = _bool(p, "is_total")
    if total and fts:
        match.append([idx.total_token()])
    elif total is not None:
        w.append("f.is_total = ?")
        args.append(int(total))
    _documents(p, "f", w, args)
    for ch in singles:
        w.append("instr(f.sentence, ?) > 0")
        args.append(ch)
    if match:
        w.insert(0, fts_condition("figures", "f", dialect_name))
        args.insert(0, match_expression(match, dialect_name))
    return w


def _where_dates(p: Mapping, args: list, dialect_name: str = "sqlite") -> list[str]:
    w: list[str] = []
    lo, hi = _date_bound(p, "date_from", False), _date_bound(p, "date_to", True)
    # A date's period has a token for each month and year it overlaps (store.period_tokens): whole
    # months or years of dates go to the full-text index as those tokens (with the long periods'
    # one), so the index narrows and the columns decide.
    periods = _year_or_month_tokens(lo, hi) if lo and hi and lo < hi else None
    _fts(p, "dates", "t", w, args, dialect_name, [[*periods, idx.long_period_token()]] if periods else [],
         words_on_rows=dialect_name == "postgresql")
    precisions = _choice_list(p, "precision", [k.value for k in DatePrecision])
    if precisions:
        _in("t.precision", precisions, w, args)
    if lo:  # the mentioned period overlaps the range
        w.append("ifnull(t.end_date, t.start_date) >= ?")
        args.append(lo)
    if hi:
        w.append("t.start_date < ?")
        args.append(hi)
    _range(p, "issued", "t.issue_date", w, args)
    inferred = _bool(p, "year_inferred")
    if inferred is not None:
        w.append("t.year_inferred = ?")
        args.append(int(inferred))
    _documents(p, "t", w, args)
    return w


def _where_entities(p: Mapping, args: list, dialect_name: str = "sqlite") -> list[str]:
    w: list[str] = []
    q = _text(p, "q")
    if q:
        w.append("(instr(e.name, ?) > 0 OR instr(ifnull(e.normalized, ''), ?) > 0)")
        args.extend([q, q])
    types = _choice_list(p, "type", [t.value for t in EntityType])
    if types:
        _in("e.type", types, w, args)
    place = _text(p, "place")
    if place:
        w.append(place_sql(place, "e.code", "e.name", args))
    mention: list[str] = []
    margs: list = []
    _range(p, "issued", "m.issue_date", mention, margs)
    _documents(p, "m", mention, margs)
    lo, hi = _date_bound(p, "issued_from", False), _date_bound(p, "issued_to", True)
    months = mention and len(mention) == bool(lo) + bool(hi) and all(b is None or b[8:] == "01" for b in (lo, hi))
    if months:  # whole months of issue dates, nothing else of the mentions: the kept counts by month answer
        w.append("EXISTS (SELECT 1 FROM entity_months c WHERE c.entity_id = e.id AND c.month != ''"
                 + "".join(f" AND c.month {op} ?" for b, op in ((lo, ">="), (hi, "<")) if b) + ")")
        args.extend(b[:7] for b in (lo, hi) if b)
    elif mention:
        w.append("EXISTS (SELECT 1 FROM entity_mentions m WHERE m.entity_id = e.id AND " + " AND ".join(mention) + ")")
        args.extend(margs)
    least = _number(p, "min_mentions")
    if least is not None:
        w.append(f"{ENTITY_MENTIONS} >= ?")
        args.append(least)
    return w


WHERE = {"figures": _where_figures, "dates": _where_dates, "entities": _where_entities}


def _fts(p: Mapping, table: str, alias: str, w: list, args: list, dialect_name: str = "sqlite",
         tokens: list[list[str]] | None = None, words_on_rows: bool = False) -> None:
    """The words of ``q`` (and the filter ``tokens``' groups, all required) as the full-text condition.
    With ``words_on_rows`` (PostgreSQL) and tokens, the index is asked for the tokens alone and the
    words are tested on the rows it gives: a GIN index reads (and decodes) the whole list of every
    word it is asked for, and a common word's is long (a word in every date at 10⁷ figures: 2×10⁶
    entries, 200 ms; a month's token and the word tested on its rows: 20 ms)."""
    if "q" in p and p["q"] is not None and not str(p["q"]).strip():
        raise BadParameter("q: empty (give words to search for, or leave q out)", zh=EMPTY_Q_ZH)
    q = _text(p, "q")
    words, singles = query_terms(q) if q else ([], [])
    groups = words + (tokens or [])
    if words and tokens and words_on_rows:
        w.append(fts_condition(table, alias, dialect_name))
        args.append(match_expression(tokens, dialect_name))
        w.append(f"({alias}.tsv || ''::tsvector) @@ ?::tsquery")  # not the index's expression: read on the rows
        args.append(match_expression(words, dialect_name))
    elif groups:
        w.append(fts_condition(table, alias, dialect_name))
        args.append(match_expression(groups, dialect_name))
    for ch in singles:
        w.append(f"instr({alias}.sentence, ?) > 0")
        args.append(ch)


def _range(p: Mapping, name: str, column: str, w: list, args: list) -> None:
    lo, hi = _date_bound(p, f"{name}_from", False), _date_bound(p, f"{name}_to", True)
    if lo and hi and lo >= hi:
        raise BadParameter(f"{name}_from is after {name}_to",
                           zh=f"{parameter_zh(name + '_from')}晚于{parameter_zh(name + '_to')}")
    if lo:
        w.append(f"{column} >= ?")
        args.append(lo)
    if hi:
        w.append(f"{column} < ?")
        args.append(hi)


def _documents(p: Mapping, alias: str, w: list, args: list) -> None:
    docs = _int_list(p, "document")
    if docs:
        _in(f"{alias}.document_id", docs, w, args)
    issuer = _text(p, "issuer")
    if issuer:
        w.append(f"{alias}.document_id IN (SELECT id FROM documents WHERE instr(issuer, ?) > 0)")
        args.append(issuer)


# ---------------------------------------------------------------- keyset tokens

def encode_token(sort: Sort, value, row_id: int) -> str:
    raw = json.dumps([("-" if sort.desc else "") + sort.name, value, row_id], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_token(token: str, sort: Sort) -> tuple:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        name, value, row_id = json.loads(raw)
        if not isinstance(row_id, int) or not isinstance(value, (str, int, float, type(None))):
            raise ValueError
    except (ValueError, TypeError):
        raise BadParameter("next: not a token this API gave (pass the 'next' of the previous page as it is)",
                           zh="翻页标记无效（请原样使用上一页给出的 next）") from None
    if name != ("-" if sort.desc else "") + sort.name:
        raise BadParameter(f"next: the token is for sort={name}; keep the same sort while paging",
                           zh=f"翻页标记属于排序 {name}；翻页时请保持同一排序")
    return value, row_id


def _sort_expr(resource: Resource, sort: Sort, params: Mapping | None = None) -> str:
    if sort.name == "id":
        return sort.expr
    if resource.name == "figures" and sort.name == "value" and params is not None and (
            _text(params, "min_value") or _text(params, "max_value")):
        return sort.expr  # a value range leaves no row without a value: the plain column, whose index sorts
    if sort.kind is float:
        sentinel = "-1e308" if sort.desc else "1e308"
    else:
        sentinel = "''" if sort.desc else "'\uffff'"
    return f"ifnull({sort.expr}, {sentinel})"


# ---------------------------------------------------------------- searching

FTS_CONDITION = "f.id IN (SELECT rowid FROM figures_fts WHERE figures_fts MATCH ?)"


def build(resource_name: str, params: Mapping, dialect_name: str = "sqlite") -> tuple[Resource, list[str], list]:
    if resource_name not in RESOURCES:
        raise BadParameter(f"no such resource: {resource_name}", zh=f"没有这类数据：{resource_name}")
    resource = RESOURCES[resource_name]
    args: list = []
    where = WHERE[resource_name](params, args, dialect_name)
    return resource, where, args


def _source(resource: Resource, where: list[str]) -> tuple[str, list[str], str]:
    """FROM, the conditions and the id column to order by. On SQLite a full-text condition drives
    the query as a join from the index (``figures_fts CROSS JOIN figures``): the index streams its
    matches in id order and a LIMIT stops it, where ``id IN (SELECT rowid …)`` would first collect
    every match (a word in every sentence: 10⁶ ids) before the first row is read."""
    a = resource.alias
    fts = fts_condition(resource.table, a, "sqlite")
    if where and where[0] == fts:
        table = f"{resource.table}_fts"
        return (f"{table} CROSS JOIN {resource.table} {a} ON {a}.id = {table}.rowid",
                [f"{table} MATCH ?", *where[1:]], f"{table}.rowid")
    return f"{resource.table} {a}", where, f"{a}.id"


def _index_only(resource_name: str, where: list[str]) -> bool:
    """True when the full-text index alone answers the filters (no row needs reading to decide)."""
    return resource_name == "figures" and where == [FTS_CONDITION]


def _count(conn, resource: Resource, resource_name: str, where: list[str], args: list,
           cap: int | None = None) -> int:
    """The number of matches; with ``cap``, counting stops at cap + 1."""
    if _index_only(resource_name, where):
        rows = "SELECT rowid FROM figures_fts WHERE figures_fts MATCH ?"
    else:
        source, conditions, _ = _source(resource, where)
        rows = f"SELECT 1 FROM {source} {_where_sql(conditions)}"
    if cap is not None:
        rows += f" LIMIT {int(cap) + 1}"
    return conn.execute(f"SELECT count(*) FROM ({rows}) AS matches", args).fetchone()[0]


# PostgreSQL's GIN index has no order and no early stop: a capped count of a common word first builds
# the bitmap of every match (10⁶ entries at 10⁷ figures, 0.4–2 s). Where the planner's estimate of
# the matches is ESTIMATE_MARGIN times the cap or more, the count is not made: the cap with
# count_exact false ("10,000+"). On the bench's keyword shapes at 10⁶ the real count was 0.47–13
# times the estimate; the margin leaves a 5-fold overestimate still past the cap.
ESTIMATE_MARGIN = 5


def _planner_rows(conn, sql: str, args: list) -> float:
    plan = conn.execute(f"EXPLAIN (FORMAT JSON) {sql}", args).fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]["Plan Rows"]


def _led_by_fts(resource: Resource, where: list[str], dname: str) -> bool:
    """Whether the search's first condition is its full-text match (the words drive the query)."""
    return bool(where) and where[0] == fts_condition(resource.table, resource.alias, dname)


def _surely_past(conn, resource: Resource, where: list[str], args: list, cap: int, dname: str) -> bool:
    """True when, on PostgreSQL, the planner expects ESTIMATE_MARGIN × ``cap`` matches or more of a
    full-text search (SQLite's index counts to the cap and stops: it is always counted)."""
    if dname != "postgresql" or not _led_by_fts(resource, where, dname):
        return False
    source, conditions, _ = _source(resource, where)
    return _planner_rows(conn, f"SELECT 1 FROM {source} {_where_sql(conditions)}", args) >= ESTIMATE_MARGIN * cap


# A capped count of words with a filter the index cannot answer (a value range, an as-of day, a
# document) reads each match's row until COUNT_CAP of them pass. On SQLite it reads at most
# COUNT_READS matches: when fewer passed and the index has more, the count is those that passed, as a
# lower bound (count_exact false, "3,350+"), not a read of every match (a word in one figure in three
# whose value range holds few of them: 3 × 10⁶ rows at 10⁷ figures, seconds).
COUNT_READS = 20_000


def _reads_rows(resource_name: str, where: list[str], dname: str) -> bool:
    resource = RESOURCES[resource_name]
    return (dname == "sqlite" and len(where) > 1 and _led_by_fts(resource, where, dname)
            and not _index_only(resource_name, where))


def _bounded_count(conn, resource: Resource, where: list[str], args: list, cap: int) -> tuple[int, bool]:
    """(matches that pass the row filters among the first COUNT_READS, up to cap + 1; True when that
    is every match)."""
    table, a = f"{resource.table}_fts", resource.alias
    hits = " AND ".join(f"({c})" for c in where[1:])
    passed = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM (SELECT {hits} AS hit FROM {table} CROSS JOIN {resource.table} {a} "
        f"ON {a}.id = {table}.rowid WHERE {table} MATCH ? LIMIT {COUNT_READS}) AS r WHERE hit LIMIT {int(cap) + 1}) "
        "AS matches", [*args[1:], args[0]]).fetchone()[0]
    if passed > cap:
        return passed, False
    read = conn.execute(f"SELECT count(*) FROM (SELECT rowid FROM {table} WHERE {table} MATCH ? "
                        f"LIMIT {COUNT_READS + 1}) AS m", [args[0]]).fetchone()[0]
    return passed, read <= COUNT_READS


# PostgreSQL plans a date range in id order as a walk of the primary key that expects the range's
# rows spread over all the ids; bulletins are stored about in date order, so the rows of a month sit
# together and the walk reads millions of rows before them (3 months of dates at 10⁷ figures: 5 s).
# The range's ids are read first from the (date, id) or (as_of, id) index, without the rows, and
# given to the query as bounds the planner sees: the walk starts where the rows are.
BAND_COLUMNS = (("date", "f.date"), ("as_of", "f.as_of"))


def _id_band(conn, params: Mapping, where: list[str], args: list) -> None:
    """Narrow ``where`` by the smallest and largest id of each date range given (PostgreSQL)."""
    for name, column in BAND_COLUMNS:
        lo, hi = _date_bound(params, f"{name}_from", False), _date_bound(params, f"{name}_to", True)
        if not lo and not hi:
            continue
        w: list[str] = []
        bargs: list = []
        _range(params, name, column, w, bargs)
        # A skip scan of the (column, id) index: each distinct date in the range (a year: 366), its
        # first and last id read from the index, not every row of the range (a year of as-of dates:
        # 3 × 10⁵ index entries at 10⁶ figures, 47 ms; the skip scan 8 ms, and the same at 10⁷).
        within = " AND ".join(w)
        first, last = conn.execute(
            f"WITH RECURSIVE d(v) AS (SELECT min({column}) FROM figures f WHERE {within} "
            f"UNION ALL SELECT (SELECT min({column}) FROM figures f WHERE {column} > d.v AND {within}) "
            "FROM d WHERE d.v IS NOT NULL) "
            f"SELECT min((SELECT f.id FROM figures f WHERE {column} = d.v ORDER BY f.id LIMIT 1)), "
            f"max((SELECT f.id FROM figures f WHERE {column} = d.v ORDER BY f.id DESC LIMIT 1)) "
            "FROM d WHERE d.v IS NOT NULL", [*bargs, *bargs]).fetchone()
        if first is None:
            where.append("1 = 0")
            return
        where.extend(["f.id >= ?", "f.id <= ?"])
        args.extend([first, last])


def search(conn: sqlite3.Connection, resource_name: str, params: Mapping, *, default_limit: int = 50,
           max_limit: int = 1000, count_cap: int = COUNT_CAP) -> Page:
    """One page of results with the count (exact up to ``count_cap``, past it a lower bound with
    ``count_exact`` false; ``count=exact`` always counts, ``count=false`` skips it) and, for figures,
    the facets asked for (``facets=kind,unit,place,month``): summed from the kept facet counts when
    the filters allow (exact), else counted over the first ``count_cap`` matches (``facets_exact``
    false when there were more; ``count=exact`` counts them all)."""
    dname = dialect(conn)
    resource, where, args = build(resource_name, params, dname)
    sort = resource.sort(_text(params, "sort"))
    limit = _limit(params, default_limit, max_limit)
    count_mode = _count_mode(params)
    facets = _choice_list(params, "facets", list(FIGURE_FACETS)) if resource_name == "figures" else []
    if resource_name != "figures" and _text(params, "facets"):
        raise BadParameter(f"facets: {resource_name} have no facets (figures have {', '.join(FIGURE_FACETS)})",
                           zh=f"分类统计：{resource_name} 没有分类统计（数字有：{'、'.join(FIGURE_FACETS)}）")
    # the page and the facets (read in id order) within the date ranges' id band; the count without
    # (a bitmap of the band's ids would only add to it)
    ordered, ordered_args = list(where), list(args)
    if dname == "postgresql" and resource_name == "figures":
        _id_band(conn, params, ordered, ordered_args)
    a = resource.alias
    expr = _sort_expr(resource, sort, params)
    token = _text(params, "next")
    after = decode_token(token, sort) if token else None
    op = "<" if sort.desc else ">"
    direction = "DESC" if sort.desc else "ASC"
    rollup = _rollup_where(params) if resource_name == "figures" else None
    if _index_only(resource_name, where) and sort.name == "id":
        # the index gives the page's ids in order; only those rows are read
        inner = "SELECT rowid AS rid FROM figures_fts WHERE figures_fts MATCH ?"
        inner_args = list(args)
        if after:
            inner += f" AND rowid {op} ?"
            inner_args.append(after[1])
        sql = (f"SELECT {resource.select}, {expr} AS _sort FROM ({inner} ORDER BY rowid {direction} LIMIT ?) x "
               f"JOIN figures f ON f.id = x.rid {resource.join} ORDER BY f.id {direction}")
        page_args = [*inner_args, limit + 1]
    else:
        source, page_where, id_col = _source(resource, list(ordered))
        page_args = list(ordered_args)
        if after:
            if sort.name == "id":
                page_where.append(f"{id_col} {op} ?")
                page_args.append(after[1])
            else:
                page_where.append(f"({expr}, {a}.id) {op} (?, ?)")
                page_args.extend(after)
        order = f"{id_col} {direction}" if sort.name == "id" else f"{expr} {direction}, {a}.id {direction}"
        sql = (f"SELECT {resource.select}, {expr} AS _sort FROM {source} {resource.join} "
               f"{_where_sql(page_where)} ORDER BY {order} LIMIT ?")
        page_args.append(limit + 1)
    with _read(conn):
        walked = _value_walk(conn, params, sort, where, args, after, limit, dname)
        rows = walked if walked is not None else _dicts(conn.execute(sql, page_args))
        total, counted_all = None, True
        facet_values: dict[str, list[dict]] = {}
        facets_exact = True
        # PostgreSQL: the facets' sample of the GIN bitmap also counts to the cap (one read, not two)
        one_pass = (facets and rollup is None and count_mode == "capped" and not after
                    and _bitmap_sample(conn, resource, where))
        if one_pass:
            facet_values, facets_exact, read = _facets(conn, resource, facets, where, args, count_cap)
        if count_mode != "none" and not after and len(rows) <= limit:
            total = len(rows)  # the first page holds every match: that is the count
        elif one_pass:
            total = read
        elif count_mode != "none" and rollup is not None:
            total = _rollup_count(conn, rollup)
        elif count_mode == "capped" and _surely_past(conn, resource, where, args, count_cap, dname):
            total = count_cap + 1
        elif count_mode == "capped" and _reads_rows(resource_name, where, dname):
            total, counted_all = _bounded_count(conn, resource, where, args, count_cap)
        elif count_mode != "none":
            total = _count(conn, resource, resource_name, where, args,
                           count_cap if count_mode == "capped" else None)
        exact = total is None or count_mode == "exact" or total <= count_cap and counted_all or rollup is not None
        if not exact:
            total = min(total, count_cap)
        if facets and not one_pass and rollup is not None:
            facet_values = _rollup_facets(conn, rollup, facets)
        elif facets and not one_pass:
            cap = None if count_mode == "exact" else count_cap
            # a bitmap sample needs no id band (the band is for walks in id order)
            fwhere, fargs = (where, args) if cap is not None and _bitmap_sample(conn, resource, where) else (
                ordered, ordered_args)
            facet_values, facets_exact, _ = _facets(conn, resource, facets, fwhere, fargs, cap,
                                                    total if exact else None)
    next_token = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_token = encode_token(sort, rows[-1]["_sort"], rows[-1]["id"])
    for row in rows:
        row.pop("_sort", None)
        _decode_row(resource_name, row)
    return Page(rows, total, next_token, facet_values, limit, exact, facets_exact)


# ---------------------------------------------------------------- words sorted by value

# Words sorted by value: the full-text index gives a word's matches in id order, so sorting them by
# value reads every match (a word in one figure in three: 3 × 10⁶ rows at 10⁷). When the words are
# common the value index is walked instead, in order, each row's own index words tested for them, and
# the walk stops at the page: a word in one figure in ten fills a page of 50 in about 500 rows. A word
# can be common and still absent from the top of the value order (one that goes with small amounts),
# so a walk reads at most WALK_BUDGET rows; a page it cannot fill in them is read the other way (the
# matches, sorted). Common: each word in at least WALK_SHARE of the figures, by the index (SQLite: its
# share of the latest SHARE_WINDOW figures; PostgreSQL: the planner's estimate from the GIN statistics).
WALK_SHARE = 0.05
WALK_BUDGET = 2_000
WALK_CHUNK = 250
SHARE_WINDOW = 20_000
# The row's index words, as each store's full-text index cuts search_text: FTS5's unicode61 keeps runs
# of letters, digits and private-use characters (Unicode L*, N*, Co); PostgreSQL's tsvector is the
# space-separated words. For words of Chinese characters alone (就业, 邵阳县) both tests are exact.
FTS5_TOKEN = re.compile(r"(?:[^\W_]|[\ue000-\uf8ff])+")
HAN_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _words_share(conn, groups: list[list[str]], dname: str) -> float:
    """The share of figures that hold the rarest word of ``groups`` (an estimate, cheap)."""
    total = conn.execute("SELECT max(id) FROM figures").fetchone()[0] or 0
    if not total:
        return 0.0
    if dname == "postgresql":
        return _planner_rows(conn, "SELECT 1 FROM figures f WHERE f.tsv @@ ?::tsquery",
                             [match_expression(groups, dname)]) / total
    # FTS5 keeps no count of a word's rows (its vocabulary table reads the whole list: 10⁶ entries for
    # a word in every figure): the share is read in the latest SHARE_WINDOW ids, a bounded read.
    since = max(0, total - SHARE_WINDOW)
    least = 1.0
    for group in groups:
        hits = conn.execute("SELECT count(*) FROM figures_fts WHERE figures_fts MATCH ? AND rowid > ?",
                            [match_expression([group], dname), since]).fetchone()[0]
        least = min(least, hits / (total - since))
    return least


# A walk that spent its budget goes on to the end of the value range when that costs less than
# sorting the matches: the rows left in the range (counted up to RANGE_LIMIT) times WALK_COST (a
# walked row is read out of order and its words split in Python: 9 µs a row, against 3 µs for a
# match read in id order and sorted, measured at 10⁶) fewer than the matches of the words.
RANGE_LIMIT = 200_000
WALK_COST = 3
RANGE_KEYS = {"q", "unit", "min_value", "max_value", "sort", "limit", "next", "count", "facets"}


def _range_rows_if_fewer(conn, params: Mapping, match: str, rest, dname: str) -> int:
    """The rows left in the unit's value range (from the walk's position) when walking them costs
    less than sorting the matches of the words, else 0. Only for a unit and a value range (the (unit, value) index
    counts them without reading rows)."""
    given = {k for k in params if _text(params, k) is not None}
    if not given <= RANGE_KEYS or not (_text(params, "min_value") or _text(params, "max_value")):
        return 0
    w: list[str] = []
    wargs: list = []
    units = _list(params, "unit")
    if units:
        _in("f.unit", units, w, wargs)
    for name, op in (("min_value", ">="), ("max_value", "<=")):
        number = _number(params, name)
        if number is not None:
            w.append(f"f.value {op} ?")
            wargs.append(number)
    conditions, cargs = rest(w, wargs)
    left = conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM figures f {_where_sql(conditions)} LIMIT ?) AS r",
                        [*cargs, RANGE_LIMIT]).fetchone()[0]
    if left >= RANGE_LIMIT:
        return 0
    if dname == "postgresql":  # a GIN count has no early stop: the planner's estimate
        matches = _planner_rows(conn, "SELECT 1 FROM figures f WHERE f.tsv @@ ?::tsquery", [match])
    else:
        matches = conn.execute("SELECT count(*) FROM (SELECT rowid FROM figures_fts WHERE figures_fts MATCH ? "
                               "LIMIT ?) AS m", [match, RANGE_LIMIT]).fetchone()[0]
    return left + 1 if left * WALK_COST < matches else 0


def _value_walk(conn, params: Mapping, sort: Sort, where: list[str], args: list, after: tuple | None, limit: int,
                dname: str) -> list[dict] | None:
    """A page of figures with words sorted by value, walked along the value index; None when the
    words are rare (or not Chinese words alone), or the walk did not fill the page within its
    budget: the caller reads the matches and sorts them. The order and the next tokens are the
    search's own."""
    resource = RESOURCES["figures"]
    fts = fts_condition("figures", "f", dname)
    q = _text(params, "q")
    if sort.name != "value" or not where or where[0] != fts or not q:
        return None
    sentinel = -1e308 if sort.desc else 1e308
    if after is not None and after[0] == sentinel:
        return None  # past the rows with a value
    groups, _ = query_terms(q)
    if not groups or not all(HAN_WORD.fullmatch(w) for g in groups for w in g):
        return None
    if _words_share(conn, groups, dname) < WALK_SHARE:
        return None
    wargs: list = []
    wwhere = _where_figures(params, wargs, dname, columns=True)
    if not wwhere or wwhere[0] != fts:
        return None
    split = (lambda text: set(text.split(" "))) if dname == "postgresql" else (
        lambda text: set(FTS5_TOKEN.findall(text)))
    op, direction = ("<", "DESC") if sort.desc else (">", "ASC")
    found: list[int] = []
    walked, position, budget, widened, ended = 0, after, WALK_BUDGET, False, False

    def rest(extra: list[str] = [], extra_args: list = []) -> tuple[list[str], list]:
        conditions, cargs = ["f.value IS NOT NULL", *extra], list(extra_args)
        if position is not None:
            conditions.append(f"f.value {op}= ? AND (f.value {op} ? OR f.id {op} ?)")
            cargs.extend([position[0], position[0], position[1]])
        return conditions, cargs

    while len(found) <= limit and not ended:
        if walked >= budget:
            if widened:
                break
            widened = True
            budget += _range_rows_if_fewer(conn, params, args[0], rest, dname)
            if walked >= budget:
                break
        size = min(WALK_CHUNK if not widened else 10 * WALK_CHUNK, budget - walked)
        conditions, cargs = rest(wwhere[1:], wargs[1:])
        chunk = conn.execute(f"SELECT f.id, f.value, f.search_text FROM figures f {_where_sql(conditions)} "
                             f"ORDER BY f.value {direction}, f.id {direction} LIMIT ?",
                             [*cargs, size]).fetchall()
        for row_id, value, text in chunk:
            words = split(text or "")
            if all(any(w in words for w in g) for g in groups):
                found.append(row_id)
                if len(found) > limit:
                    break
        walked += len(chunk)
        ended = len(chunk) < size  # the index has no more rows
        if chunk:
            position = (chunk[-1][1], chunk[-1][0])
    if len(found) <= limit:
        return None  # not a full page (the budget ran out, or the last page: the rows without a value follow)
    marks = ", ".join("?" * len(found))
    return _dicts(conn.execute(
        f"SELECT {resource.select}, f.value AS _sort FROM figures f {resource.join} WHERE f.id IN ({marks}) "
        f"ORDER BY f.value {direction}, f.id {direction}", found))


# ---------------------------------------------------------------- facets

def _facet_list(counts: dict, limit: int = FACET_SIZE) -> list[dict]:
    """The most frequent values first, ties by value (no value first), the same on every store."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] if kv[0] is not None else ""))
    return [{"value": v, "count": n} for v, n in ordered[:limit]]


# PostgreSQL: the first COUNT_CAP matches in id order are either a walk of the primary key that tests
# every row's tsvector (a county's word: 400,000 rows read for 10,000 matches, 300 ms at 10⁶) or the
# GIN bitmap of every match, each row read, then sorted by id (80,000 rows, 150 ms). The facets of a
# sample need no order: the GIN bitmap read in the table's order (ids are about in insertion order)
# stops at the cap, 10,000 row reads (30–40 ms). The sample is the first matches as stored, not as
# numbered; when every match is counted (facets_exact) it is the same set.


# Both read the matches in the table's order and stop at the cap: the GIN bitmap costs about 1 µs a
# match (every match, 80,000 for a county's word at 10⁶: 25 ms; 231,000 at 10⁷: 260 ms), a scan of
# the table about 1.3 µs a row read (the cap over the matches' share of the rows: 118,000 rows for a
# word in 8 % of them, 160 ms). The bitmap when matches² < SCAN_COST × cap × rows, by the planner's
# estimate of the matches.
SCAN_COST = 1.3


def _sample_scan(conn, sql: str, where: list[str], args: list, cap: int) -> dict[str, str]:
    rows = conn.execute("SELECT max(id) FROM figures").fetchone()[0] or 0
    matches = _planner_rows(conn, f"SELECT 1 FROM figures f {_where_sql(where)}", args)
    if matches * matches < SCAN_COST * cap * rows:
        return {"enable_indexscan": "off", "enable_seqscan": "off"}
    return {"enable_indexscan": "off", "enable_bitmapscan": "off"}


def _bitmap_sample(conn, resource: Resource, where: list[str]) -> bool:
    return dialect(conn) == "postgresql" and _led_by_fts(resource, where, "postgresql")


class _planner:
    """Planner settings for the statements inside (PostgreSQL, within the read transaction), then
    the settings as they were."""

    def __init__(self, conn, **settings: str):
        self.conn, self.settings, self.before = conn, settings, {}

    def __enter__(self):
        for name, value in self.settings.items():
            self.before[name] = self.conn.execute(
                "SELECT current_setting(?), set_config(?, ?, true)", [name, name, value]).fetchone()[0]

    def __exit__(self, *exc):
        for name, value in self.before.items():
            self.conn.execute("SELECT set_config(?, ?, true)", [name, value])


def _facets(conn, resource: Resource, names: list[str], where: list[str], args: list,
            cap: int | None, known_total: int | None = None) -> tuple[dict[str, list[dict]], bool, int | None]:
    """Every facet asked for, from one pass over the matches (the first ``cap`` of them, in id order,
    or on PostgreSQL as stored: exact when there are no more), and on PostgreSQL the matches read
    (up to cap + 1: the capped count, from the same pass), else None."""
    cols = ", ".join(f"{FIGURE_FACETS[n]} AS k{i}" for i, n in enumerate(names))
    keys = ", ".join(f"k{i}" for i in range(len(names)))
    source, conditions, id_col = _source(resource, where)
    if cap is not None and _bitmap_sample(conn, resource, where):
        # one more row than the sample: the count past the cap, as a capped count reads it
        sql = (f"SELECT {keys}, count(*) FILTER (WHERE n <= {int(cap)}), count(*) FROM (SELECT *, row_number() "
               f"OVER () AS n FROM (SELECT {cols} FROM {source} {_where_sql(conditions)} LIMIT {int(cap) + 1}) "
               f"AS r) AS matches GROUP BY {keys}")
        with _planner(conn, **_sample_scan(conn, sql, where, args, cap)):
            groups = conn.execute(sql, args).fetchall()
        read = sum(r[-1] for r in groups)
        groups = [r[:-1] for r in groups if r[-2]]
    else:
        limit = f" ORDER BY {id_col} LIMIT {int(cap)}" if cap is not None else ""
        sql = (f"SELECT {keys}, count(*) FROM (SELECT {cols} FROM {source} {_where_sql(conditions)}{limit}) "
               f"AS matches GROUP BY {keys}")
        groups = conn.execute(sql, args).fetchall()
        read = None
    exact = (cap is None or sum(r[-1] for r in groups) < cap or known_total is not None and known_total <= cap
             or read is not None and read <= cap)
    out = {}
    for i, name in enumerate(names):
        counts: dict = {}
        for r in groups:
            counts[r[i]] = counts.get(r[i], 0) + r[-1]
        out[name] = _facet_list(counts)
    return out, exact, read


# Filters the kept facet counts (store.FACET_KEYS) can answer: no words, no value or as-of range.
ROLLUP_FILTERS = {"unit", "kind", "place", "date_from", "date_to", "is_total"}
NOT_FILTERS = {"sort", "limit", "next", "count", "facets"}


def _rollup_where(p: Mapping) -> tuple[list[str], list] | None:
    """The filters as conditions on ``figure_facets``, or None when a filter is not one of its keys
    (or a date bound is not a whole month)."""
    given = {k for k in p if p[k] is not None and str(p[k]).strip() != "" and k not in NOT_FILTERS}
    if not given <= ROLLUP_FILTERS:
        return None
    w: list[str] = []
    args: list = []
    units = _list(p, "unit")
    if units:
        _in("unit", units, w, args)
    kinds = _choice_list(p, "kind", [k.value for k in FigureKind])
    if kinds:
        _in("kind", kinds, w, args)
    place = _text(p, "place")
    if place:
        w.append(place_sql(place, "place_code", "place", args))
    lo, hi = _date_bound(p, "date_from", False), _date_bound(p, "date_to", True)
    if (lo and lo[8:] != "01") or (hi and hi[8:] != "01"):
        return None
    if lo and hi and lo >= hi:
        raise BadParameter("date_from is after date_to", zh="起始日期晚于截止日期")
    if lo:
        w.append("month != '' AND month >= ?")
        args.append(lo[:7])
    if hi:
        w.append("month != '' AND month < ?")
        args.append(hi[:7])
    total = _bool(p, "is_total")
    if total is not None:
        w.append("is_total = ?")
        args.append(int(total))
    return w, args


def _rollup_count(conn, rollup: tuple[list[str], list]) -> int:
    where, args = rollup
    return int(conn.execute(f"SELECT ifnull(sum(n), 0) FROM figure_facets {_where_sql(where)}", args).fetchone()[0])


def _rollup_facets(conn, rollup: tuple[list[str], list], names: list[str]) -> dict[str, list[dict]]:
    """Every facet asked for from one pass over the kept counts ('' back to None)."""
    where, args = rollup
    keys = ", ".join(names)
    groups = conn.execute(f"SELECT {keys}, sum(n) FROM figure_facets {_where_sql(where)} GROUP BY {keys}",
                          args).fetchall()
    out = {}
    for i, name in enumerate(names):
        counts: dict = {}
        for r in groups:
            value = r[i] if r[i] != "" else None
            counts[value] = counts.get(value, 0) + int(r[-1])
        out[name] = _facet_list({v: n for v, n in counts.items() if n})
    return out


def iter_rows(conn: sqlite3.Connection, resource_name: str, params: Mapping, *, batch: int = 2000) -> Iterator[dict]:
    """Every row the filters select (no paging), in the search's sort order, read in one snapshot."""
    resource, where, args = build(resource_name, params, dialect(conn))
    sort = resource.sort(_text(params, "sort"))
    a = resource.alias
    direction = "DESC" if sort.desc else "ASC"
    expr = _sort_expr(resource, sort, params)
    source, conditions, id_col = _source(resource, where)
    order = f"{id_col} {direction}" if sort.name == "id" else f"{expr} {direction}, {a}.id {direction}"
    sql = f"SELECT {resource.select} FROM {source} {resource.join} {_where_sql(conditions)} ORDER BY {order}"
    with _read(conn):
        cur = conn.execute(sql, args)
        names = [d[0] for d in cur.description]
        while True:
            chunk = cur.fetchmany(batch)
            if not chunk:
                break
            for values in chunk:
                row = dict(zip(names, values))
                _decode_row(resource_name, row)
                yield row


def count(conn: sqlite3.Connection, resource_name: str, params: Mapping) -> int:
    resource, where, args = build(resource_name, params, dialect(conn))
    if resource_name == "figures":
        rollup = _rollup_where(params)
        if rollup is not None:
            return _rollup_count(conn, rollup)
    return _count(conn, resource, resource_name, where, args)


class _read:
    """A read transaction unless one is open already."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.began = False

    def __enter__(self):
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN")
            self.began = True

    def __exit__(self, *exc):
        if self.began and self.conn.in_transaction:
            self.conn.execute("COMMIT")


def _where_sql(where: list[str]) -> str:
    return "WHERE " + " AND ".join(where) if where else ""


def _dicts(cur) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur]


def _decode_row(resource_name: str, row: dict) -> None:
    if resource_name == "figures":
        row["is_total"] = bool(row["is_total"])
    elif resource_name == "dates":
        row["year_inferred"] = bool(row["year_inferred"])
        row["year_unknown"] = bool(row["year_unknown"])
    elif resource_name == "entities" and isinstance(row.get("parents"), str):
        row["parents"] = json.loads(row["parents"])


# ---------------------------------------------------------------- documents and entities

DOCUMENT_LIST_COLUMNS = ("id", "sha256", "file_name", "page_count", "status", "title", "issue_number", "issuer",
                         "issue_date", "extractor_version", "block_count", "table_count", "figure_count",
                         "date_count", "entity_count", "created_at", "updated_at")


def list_documents(conn: sqlite3.Connection, params: Mapping, *, default_limit: int = 50,
                   max_limit: int = 1000) -> Page:
    args: list = []
    where: list[str] = []
    issuer = _text(params, "issuer")
    if issuer:
        where.append("instr(issuer, ?) > 0")
        args.append(issuer)
    status = _choice_list(params, "status", ["ok", "needs_ocr"])
    if status:
        _in("status", status, where, args)
    _range(params, "issued", "issue_date", where, args)
    limit = _limit(params, default_limit, max_limit)
    page_where, page_args = list(where), list(args)
    token = _text(params, "next")
    sort = Sort("id", "id", False, str)
    if token:
        _, row_id = decode_token(token, sort)
        page_where.append("id > ?")
        page_args.append(row_id)
    with _read(conn):
        rows = _dicts(conn.execute(f"SELECT {', '.join(DOCUMENT_LIST_COLUMNS)} FROM documents {_where_sql(page_where)}"
                                   " ORDER BY id LIMIT ?", [*page_args, limit + 1]))
        total = conn.execute(f"SELECT count(*) FROM documents {_where_sql(where)}", args).fetchone()[0]
    next_token = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_token = encode_token(sort, None, rows[-1]["id"])
    return Page(rows, total, next_token, {}, limit)


def get_document(conn: sqlite3.Connection, doc_id: int) -> dict | None:
    cur = conn.execute(f"SELECT {', '.join(DOCUMENT_LIST_COLUMNS)}, metadata FROM documents WHERE id = ?", (doc_id,))
    rows = _dicts(cur)
    if not rows:
        return None
    doc = rows[0]
    doc["metadata"] = json.loads(doc["metadata"]) if doc["metadata"] else None
    doc["sections"] = (doc["metadata"] or {}).get("sections", [])
    doc["counts"] = {plural: doc[f"{one}_count"] for plural, one in
                     (("blocks", "block"), ("tables", "table"), ("figures", "figure"), ("dates", "date"),
                      ("entities", "entity"))}
    return doc


def get_entity(conn: sqlite3.Connection, entity_id: int, *, mention_limit: int = 1000) -> dict | None:
    with _read(conn):
        rows = _dicts(conn.execute(f"SELECT {RESOURCES['entities'].select} FROM entities e WHERE e.id = ?",
                                   (entity_id,)))
        if not rows:
            return None
        entity = rows[0]
        _decode_row("entities", entity)
        entity["mentions"] = _dicts(conn.execute(
            "SELECT m.id, m.document_id, d.file_name, d.issuer, m.issue_date, m.text, m.title, m.page, m.start,"
            " m.[end], m.sentence FROM entity_mentions m JOIN documents d ON d.id = m.document_id"
            " WHERE m.entity_id = ? ORDER BY m.document_id, m.mention_index LIMIT ?", (entity_id, mention_limit)))
    return entity
