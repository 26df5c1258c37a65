"""Exports of search results: CSV (optionally with a BOM for Excel), JSON Lines, XLSX and Parquet,
and the whole database file. CSV and JSONL are produced row by row (streamed); XLSX and Parquet are
written to a file first (both formats are written whole), then sent.

    for chunk in csv_chunks(rows, columns, bom=True): out.write(chunk)
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from service.queries import BadParameter

FORMATS = ("csv", "jsonl", "xlsx", "parquet")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
XLSX_MAX_ROWS = 1_048_575  # a sheet's rows, less the header
INT_COLUMNS = {"id", "document_id", "figure_index", "date_index", "table_index", "table_row", "table_col", "page",
               "start", "end", "mention_count", "document_count"}
FLOAT_COLUMNS = {"value", "low", "high"}
BOOL_COLUMNS = {"is_total", "year_inferred", "year_unknown"}


def _cell(value):
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


def csv_chunks(rows: Iterable[dict], columns: list[str], *, bom: bool = False, batch: int = 500) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    prefix = "\ufeff" if bom else ""
    n = 0
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
        n += 1
        if n % batch == 0:
            yield (prefix + buffer.getvalue()).encode("utf-8")
            prefix = ""
            buffer.seek(0)
            buffer.truncate()
    yield (prefix + buffer.getvalue()).encode("utf-8")


def jsonl_chunks(rows: Iterable[dict], columns: list[str], *, batch: int = 500) -> Iterator[bytes]:
    lines: list[str] = []
    for row in rows:
        lines.append(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False))
        if len(lines) >= batch:
            yield ("\n".join(lines) + "\n").encode("utf-8")
            lines = []
    if lines:
        yield ("\n".join(lines) + "\n").encode("utf-8")


def write_xlsx(rows: Iterable[dict], columns: list[str], path: Path, *, sheet: str = "data") -> int:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(columns)
    n = 0
    for row in rows:
        n += 1
        if n > XLSX_MAX_ROWS:
            raise BadParameter(f"more than {XLSX_MAX_ROWS} rows do not fit an Excel sheet: narrow the filters or "
                               "export CSV or Parquet")
        ws.append([_cell(row.get(c)) for c in columns])
    wb.save(path)
    return n


def _arrow_type(column: str):
    import pyarrow as pa

    if column in INT_COLUMNS:
        return pa.int64()
    if column in FLOAT_COLUMNS:
        return pa.float64()
    if column in BOOL_COLUMNS:
        return pa.bool_()
    if column == "parents":
        return pa.list_(pa.string())
    return pa.string()


def write_parquet(rows: Iterable[dict], columns: list[str], path: Path, *, batch: int = 50_000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, _arrow_type(c)) for c in columns])
    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        chunk: list[dict] = []

        def flush():
            if chunk:
                writer.write_table(pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in chunk], schema=schema))
                chunk.clear()

        for row in rows:
            chunk.append(row)
            n += 1
            if len(chunk) >= batch:
                flush()
        flush()
    return n


def write_rows(rows: Iterable[dict], columns: list[str], fmt: str, path: Path, *, bom: bool = False) -> int | None:
    """Write rows to a file in any of the formats; returns the row count where known."""
    if fmt == "xlsx":
        return write_xlsx(rows, columns, path)
    if fmt == "parquet":
        return write_parquet(rows, columns, path)
    chunks = csv_chunks(rows, columns, bom=bom) if fmt == "csv" else jsonl_chunks(rows, columns)
    with open(path, "wb") as f:
        for chunk in chunks:
            f.write(chunk)
    return None


def backup_database(db_path: Path, target: Path) -> None:
    """A consistent copy of the whole database (SQLite's online backup), safe while it is written."""
    source = sqlite3.connect(str(db_path), timeout=60)
    dest = sqlite3.connect(str(target))
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
