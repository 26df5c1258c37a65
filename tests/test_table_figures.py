"""Sample (b)'s ruled table: every numeric cell a figure with the right unit, subject, place and date."""

from __future__ import annotations

import datetime as dt

UNITS = {"帮扶车间（家）": ("家", 1, "帮扶车间"), "吸纳就业（人）": ("人", 1, "吸纳就业"),
         "扶持资金（万元）": ("元", 10_000, "扶持资金"), "完成率（%）": ("%", 1, "完成率")}


def test_every_numeric_cell_is_a_figure(extracted, truth):
    result = extracted("b")
    rows = truth("b")["tables"][0]["rows"]
    header = rows[0]
    by_cell = {(f.table.row, f.table.col): f for f in result.figures if f.table is not None}
    assert len(by_cell) == (len(rows) - 1) * (len(header) - 1)
    for r, row in enumerate(rows[1:], start=1):
        for c, cell in enumerate(row[1:], start=1):
            figure = by_cell[(r, c)]
            unit, multiplier, subject = UNITS[header[c]]
            assert figure.unit == unit
            assert figure.value == round(float(cell) * multiplier, 4)
            assert figure.subject == subject
            assert figure.as_of == dt.date(2023, 4, 30)  # from the caption: （截至2023年4月30日）
            assert figure.page == truth("b")["tables"][0]["page"]
            if row[0] == "合计":
                assert figure.is_total and figure.place == "邵阳市"
            else:
                assert not figure.is_total and figure.place == row[0]
                assert figure.place_code.startswith("4305")  # a county of 邵阳市


def test_table_figures_point_at_the_table(extracted):
    result = extracted("b")
    table = result.tables[0]
    for figure in (f for f in result.figures if f.table is not None):
        assert figure.table.table == table.id
        assert figure.start == figure.end == table.anchor
        assert figure.text == table.rows[figure.table.row][figure.table.col]
