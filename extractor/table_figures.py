"""Figures from table cells: every numeric cell, its unit and multiplier from the cell or its column header.

    | 县市区 | 帮扶车间（家） | 扶持资金（万元） | 完成率（%） |
    | 隆回县 | 120            | 1275.25          | 79.1        |
        → 120 家 (place 隆回县), 12752500 元, 79.1 %; subject = the header without its unit
"""

from __future__ import annotations

import re
from decimal import Decimal

from extractor.context import Context
from extractor.dates import find_dates
from extractor.figures import MULTIPLIERS, to_float, find_figures, parse_number
from extractor.lexicon import measure_words
from models import Figure, FigureKind, Table, TableRef

HEADER_UNIT = re.compile(r"[（(](?P<mult>百万|千万|万|亿|千)?(?P<unit>[^（）()]{0,6}?)[）)]?$")
BARE_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
TOTAL_LABELS = ("合计", "总计", "小计", "全市", "全县", "全区", "总体", "汇总")
INDEX_HEADERS = ("序号", "编号", "排名", "名次")


def _is_numeric(cell: str) -> bool:
    return bool(BARE_NUMBER.fullmatch(cell.strip().rstrip("%％")))


def _header_rows(table: Table) -> int:
    """Leading rows without a numeric cell are headers."""
    n = 0
    for row in table.rows:
        if any(_is_numeric(c) for c in row):
            break
        n += 1
    return n


def _column_headers(table: Table, n_header: int) -> list[str]:
    width = max((len(r) for r in table.rows), default=0)
    headers = [""] * width
    for row in table.rows[:n_header]:
        last = ""
        for col in range(width):
            cell = (row[col] if col < len(row) else "").strip()
            cell = cell or (last if row is table.rows[0] else "")  # a merged top cell spans the columns under it
            last = cell
            if cell and cell not in headers[col]:
                headers[col] += cell
    return headers


def split_header(header: str) -> tuple[str, str, int]:
    """(subject, unit, multiplier): 扶持资金（万元） → (扶持资金, 元, 10000); 完成率（%） → (完成率, %, 1);
    道路（千米） → (道路, 公里, 1)."""
    header = re.sub(r"\s+", "", header)
    m = HEADER_UNIT.search(header)
    words = measure_words()
    if m and m.group("mult") and m.group("mult") + m.group("unit") in words:  # 长度（千米）: 千 begins the unit
        return header[:m.start()], words[m.group("mult") + m.group("unit")].unit, 1
    word = words.get(m.group("unit")) if m else None
    if m and (word or m.group("mult")):
        return header[:m.start()], word.unit if word else "", MULTIPLIERS.get(m.group("mult"), 1)
    return header, "", 1


def table_figures(table: Table, context: Context) -> list[Figure]:
    n_header = _header_rows(table)
    headers = _column_headers(table, n_header)
    skip_cols = {i for i, h in enumerate(headers) if h.strip() in INDEX_HEADERS}
    as_of = _table_as_of(table, context)
    words = measure_words()
    out = []
    for r, row in enumerate(table.rows[n_header:], start=n_header):
        label_col = next((c for c, cell in enumerate(row) if c not in skip_cols and cell.strip()
                          and not _is_numeric(cell)), None)
        label = row[label_col].strip() if label_col is not None else ""
        is_total = label.startswith(TOTAL_LABELS)
        # A totals row (合计) covers the whole area the table reports on: the bulletin's city.
        place = context.main_city if is_total else context.resolve(label) if label else None
        for c, cell in enumerate(row):
            if c in skip_cols or c == label_col or not cell.strip():
                continue
            subject, unit, mult = split_header(headers[c] if c < len(headers) else "")
            found = find_figures(cell.strip())
            if found and found[0].start == 0 and found[0].end == len(cell.strip()):
                fig = found[0]
                value, unit, kind, qualifier = fig.value, fig.unit, fig.kind, fig.qualifier
            elif _is_numeric(cell):
                number = cell.strip()
                if number.endswith(("%", "％")):
                    unit, number = "%", number[:-1]
                value = to_float(parse_number(number.replace(",", "")) * Decimal(mult))
                kind, qualifier = (words[unit].kind if unit in words else FigureKind.other.value), None
            else:
                continue
            out.append(Figure(
                text=cell.strip(), page=table.page, start=table.anchor, end=table.anchor, sentence=table.caption or "",
                value=value, unit=unit, kind=FigureKind(kind), qualifier=qualifier,
                subject=(subject if place or is_total or not label else f"{label} {subject}".strip()) or None,
                place=place.name if place else None, place_code=place.code if place else None, as_of=as_of,
                is_total=is_total, table=TableRef(table=table.id, row=r, col=c)))
    return out


def _table_as_of(table: Table, context: Context):
    """（截至2023年4月30日） in the caption, else a 截至 date in the text before the table."""
    if table.caption:
        dates = find_dates(table.caption, context.issue_date)
        marked = [d for d in dates if d.as_of] or [d for d in dates if d.precision == "day"]
        if marked:
            return marked[-1].end_date
    earlier = [d for d in context.dates if d.end <= table.anchor and d.as_of]
    return (earlier[-1].end_date or earlier[-1].start_date) if earlier else None
