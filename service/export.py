"""Exports of search results: CSV (optionally with a BOM for Excel), JSON Lines, XLSX and Parquet,
and the whole database file. CSV and JSONL are produced row by row (streamed); XLSX and Parquet are
written to a file first (both formats are written whole), then sent.

    for chunk in csv_chunks(rows, columns, bom=True): out.write(chunk)
    write_rows(rows, columns, "xlsx", path, headers="zh")   # 编号, 数值, 类别=金额, 是否合计=是 …

``headers="en"`` (the default) keeps the API's machine names (``kind=money``, ``is_total=False``);
``headers="zh"`` is for people: Chinese column names and readable values (金额, 人数, 是/否,
service/labels.py) in CSV, JSON Lines and XLSX; Parquet keeps its types (flags stay booleans) and
takes the Chinese column names and kind names. An XLSX sheet has its header row frozen, column
widths fitted to the first rows, numbers as numbers with thousands separators, percentages shown
with a % (the value stays 12.5, as in the API) and dates as dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from service import labels
from service.queries import BadParameter

FORMATS = ("csv", "jsonl", "xlsx", "parquet")
HEADERS = ("en", "zh")
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


def check_headers(headers: str) -> str:
    if headers not in HEADERS:
        raise BadParameter(f"headers: '{headers}' is not one of en (machine names), zh (Chinese, for people)",
                           zh=f"表头语言：“{headers}”不是可选的值（可选：en 英文字段名、zh 中文表头）")
    return headers


def header_row(columns: list[str], headers: str = "en", resource: str | None = None) -> list[str]:
    """The column names: the API's, or in Chinese (``resource`` names a column where it differs)."""
    if check_headers(headers) == "zh":
        return [labels.column_zh(c, resource) for c in columns]
    return list(columns)


def _reader(columns: list[str], headers: str):
    """A row → its cells, in the export's order: the API's values, or readable ones for zh."""
    if headers == "zh":
        return lambda row: [_cell(labels.value_zh(c, row.get(c))) for c in columns]
    return lambda row: [_cell(row.get(c)) for c in columns]


def csv_chunks(rows: Iterable[dict], columns: list[str], *, bom: bool = False, batch: int = 500,
               headers: str = "en", resource: str | None = None) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header_row(columns, headers, resource))
    cells = _reader(columns, headers)
    prefix = "\ufeff" if bom else ""
    n = 0
    for row in rows:
        writer.writerow(cells(row))
        n += 1
        if n % batch == 0:
            yield (prefix + buffer.getvalue()).encode("utf-8")
            prefix = ""
            buffer.seek(0)
            buffer.truncate()
    yield (prefix + buffer.getvalue()).encode("utf-8")


def jsonl_chunks(rows: Iterable[dict], columns: list[str], *, batch: int = 500, headers: str = "en",
                 resource: str | None = None) -> Iterator[bytes]:
    lines: list[str] = []
    names = header_row(columns, headers, resource)
    zh = headers == "zh"
    for row in rows:
        lines.append(json.dumps({n: labels.value_zh(c, row.get(c)) if zh else row.get(c)
                                 for n, c in zip(names, columns)}, ensure_ascii=False))
        if len(lines) >= batch:
            yield ("\n".join(lines) + "\n").encode("utf-8")
            lines = []
    if lines:
        yield ("\n".join(lines) + "\n").encode("utf-8")


# XLSX cells: how each column is shown
XLSX_DATE_COLUMNS = {"issue_date", "as_of", "start_date", "end_date"}
XLSX_CODE_COLUMNS = {"id", "document_id", "figure_index", "date_index", "table_index", "table_row", "table_col",
                     "page", "start", "end"}  # numbers that are names: no thousands separator
XLSX_WIDTH_ROWS = 200  # column widths are fitted to the header and this many first rows
XLSX_MAX_WIDTH = {"sentence": 80, "text": 30}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _display_width(value) -> int:
    """Columns a value takes in Excel: a Chinese character is two."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _number_format(column: str, value, row: dict) -> str:
    if column in XLSX_CODE_COLUMNS:
        return "0"
    whole = float(value).is_integer()
    if column in FLOAT_COLUMNS and row.get("unit") == "%":  # 12.5 with unit % → shows 12.5%, stays 12.5
        return '#,##0"%"' if whole else '#,##0.0#########"%"'
    return "#,##0" if whole else "#,##0.0#########"


def write_xlsx(rows: Iterable[dict], columns: list[str], path: Path, *, sheet: str = "data",
               headers: str = "en", resource: str | None = None) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    names = header_row(columns, headers, resource)
    zh = headers == "zh"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    bold = Font(bold=True)
    numbers = [c in INT_COLUMNS or c in FLOAT_COLUMNS for c in columns]

    def cells(row: dict) -> list:
        out = []
        for column, is_number in zip(columns, numbers):
            value = row.get(column)
            if value is None:
                out.append(None)
            elif is_number and isinstance(value, (int, float)) and not isinstance(value, bool):
                cell = WriteOnlyCell(ws, value)
                cell.number_format = _number_format(column, value, row)
                out.append(cell)
            elif column in XLSX_DATE_COLUMNS and isinstance(value, str) and ISO_DAY.fullmatch(value):
                cell = WriteOnlyCell(ws, dt.date.fromisoformat(value))
                cell.number_format = "yyyy-mm-dd"
                out.append(cell)
            else:
                out.append(_cell(labels.value_zh(column, value)) if zh else _cell(value))
        return out

    # the first rows are read before anything is written: a write-only sheet takes its widths first
    rows = iter(rows)
    first = []
    for row in rows:
        first.append(row)
        if len(first) >= XLSX_WIDTH_ROWS:
            break
    for i, (column, name) in enumerate(zip(columns, names), start=1):
        shown = [_display_width(name) + 2]
        for row in first:
            value = row.get(column)
            if zh:
                value = labels.value_zh(column, value)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            width = _display_width(_cell(value))
            if numbers[i - 1] and column not in XLSX_CODE_COLUMNS and width > 3:
                width += (width - 1) // 3  # thousands separators
            shown.append(width + 1)
        ws.column_dimensions[get_column_letter(i)].width = min(max(shown), XLSX_MAX_WIDTH.get(column, 40))
    ws.freeze_panes = "A2"
    header = []
    for name in names:
        cell = WriteOnlyCell(ws, name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    n = 0
    for row in itertools.chain(first, rows):
        n += 1
        if n > XLSX_MAX_ROWS:
            raise BadParameter(f"more than {XLSX_MAX_ROWS} rows do not fit an Excel sheet: narrow the filters or "
                               "export CSV or Parquet",
                               zh=f"超过 {XLSX_MAX_ROWS} 行，放不进一张 Excel 工作表：请缩小筛选范围，或导出 CSV 或 Parquet")
        ws.append(cells(row))
    if n:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n + 1}"
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


def write_parquet(rows: Iterable[dict], columns: list[str], path: Path, *, batch: int = 50_000,
                  headers: str = "en", resource: str | None = None) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = header_row(columns, headers, resource)
    schema = pa.schema([(n, _arrow_type(c)) for n, c in zip(names, columns)])
    translate = [c for c in columns if c in labels.VALUES_ZH] if headers == "zh" else []
    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        chunk: list[dict] = []

        def flush():
            if chunk:
                for r in chunk:
                    for c in translate:  # zh: 金额 for money, 地点 for PLACE; flags stay booleans
                        r[c] = labels.value_zh(c, r.get(c))
                writer.write_table(pa.Table.from_pylist([{n: r.get(c) for n, c in zip(names, columns)} for r in chunk],
                                                        schema=schema))
                chunk.clear()

        for row in rows:
            chunk.append(row)
            n += 1
            if len(chunk) >= batch:
                flush()
        flush()
    return n


def write_rows(rows: Iterable[dict], columns: list[str], fmt: str, path: Path, *, bom: bool = False,
               headers: str = "en", resource: str | None = None, sheet: str = "data") -> int | None:
    """Write rows to a file in any of the formats; returns the row count where known. ``resource``
    (figures, dates, entities) names the columns where Chinese differs by resource."""
    if fmt == "xlsx":
        return write_xlsx(rows, columns, path, sheet=sheet, headers=headers, resource=resource)
    if fmt == "parquet":
        return write_parquet(rows, columns, path, headers=headers, resource=resource)
    chunks = (csv_chunks(rows, columns, bom=bom, headers=headers, resource=resource) if fmt == "csv"
              else jsonl_chunks(rows, columns, headers=headers, resource=resource))
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


# ---------------------------------------------------------------- the whole dataset as partitioned Parquet

# For users who go on to DuckDB, Spark or pandas: every table of the dataset as Parquet files in
# Hive-style folders (DIR/figures/issuer=…/year=2023/part-0.parquet), read in one snapshot of the
# database, with DIR/schema.json describing the tables, their columns and the partitioning.
DATASET_PARTITION_KEYS = {  # key → (SQL over the documents row d, Arrow type)
    "issuer": ("d.issuer", "string"),
    "year": ("CAST(substr(d.issue_date, 1, 4) AS INTEGER)", "int32"),
    "month": ("CAST(substr(d.issue_date, 6, 2) AS INTEGER)", "int32"),
}
DATE_COLUMNS = {"issue_date", "as_of", "date", "start_date", "end_date"}
DATASET_TABLES = {  # table → (FROM clause joined to documents d, ORDER BY, [(column, SQL)])
    "documents": ("documents d", "d.id", [
        ("document_id", "d.id"), ("sha256", "d.sha256"), ("file_name", "d.file_name"), ("page_count", "d.page_count"),
        ("status", "d.status"), ("title", "d.title"), ("issue_number", "d.issue_number"), ("issuer", "d.issuer"),
        ("issue_date", "d.issue_date"), ("extractor_version", "d.extractor_version"),
        ("schema_version", "d.schema_version"), ("ocr", "d.ocr"), ("block_count", "d.block_count"),
        ("table_count", "d.table_count"), ("figure_count", "d.figure_count"), ("date_count", "d.date_count"),
        ("entity_count", "d.entity_count"), ("created_at", "d.created_at"), ("updated_at", "d.updated_at"),
        ("metadata", "d.metadata"), ("text", "d.text")]),
    "figures": ("figures f JOIN documents d ON d.id = f.document_id", "f.document_id, f.figure_index",
                [(c, f"f.[{c}]") for c in ("id", "document_id", "figure_index", "text", "value", "unit", "kind",
                                           "qualifier", "low", "high", "subject", "place", "place_code", "as_of",
                                           "is_total", "table_index", "table_row", "table_col", "page", "start",
                                           "end", "sentence", "issue_date", "date")]),
    "dates": ("dates t JOIN documents d ON d.id = t.document_id", "t.document_id, t.date_index",
              [(c, f"t.[{c}]") for c in ("id", "document_id", "date_index", "text", "value", "precision",
                                         "start_date", "end_date", "year_inferred", "year_unknown", "page", "start",
                                         "end", "sentence", "issue_date")]),
    "entities": ("entity_mentions m JOIN entities e ON e.id = m.entity_id JOIN documents d ON d.id = m.document_id",
                 "m.document_id, m.mention_index",
                 [("mention_id", "m.id"), ("entity_id", "m.entity_id"), ("type", "e.type"), ("name", "e.name"),
                  ("normalized", "e.normalized"), ("code", "e.code"), ("parents", "e.parents"),
                  ("document_id", "m.document_id"), ("mention_index", "m.mention_index"), ("text", "m.text"),
                  ("title", "m.title"), ("page", "m.page"), ("start", "m.start"), ("end", "m.[end]"),
                  ("sentence", "m.sentence"), ("issue_date", "m.issue_date")]),
}
DATASET_INT_COLUMNS = INT_COLUMNS | {"issue_number", "block_count", "table_count", "figure_count", "date_count",
                                     "entity_count", "mention_id", "entity_id", "mention_index"}
DATASET_BOOL_COLUMNS = BOOL_COLUMNS | {"ocr"}


def _dataset_type(table: str, column: str):
    import pyarrow as pa

    if table == "dates" and column == "value":  # a date mention's value: 2023-05, 2023-05-24, 2023-Q2, …
        return pa.string()
    if column in DATE_COLUMNS:
        return pa.date32()
    if column in DATASET_INT_COLUMNS or column == "page_count":
        return pa.int64()
    if column in DATASET_BOOL_COLUMNS:
        return pa.bool_()
    return _arrow_type(column)


def _dataset_value(column: str, value):
    import datetime as dt

    if value is None:
        return None
    if column in DATE_COLUMNS:
        try:
            return dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
    if column in DATASET_BOOL_COLUMNS:
        return bool(value)
    if column == "parents":
        return json.loads(value) if isinstance(value, str) else value
    return value


def _dataset_array(column: str, values: list, arrow_type):
    import pyarrow as pa

    if column in DATE_COLUMNS or column == "parents":
        return pa.array([_dataset_value(column, v) for v in values], type=arrow_type)
    if column in DATASET_BOOL_COLUMNS:
        return pa.array(values, type=pa.int64()).cast(pa.bool_())
    return pa.array(values, type=arrow_type)


def _partition_dir(key: str, value) -> str:
    """issuer=邵阳市人社局 (UTF-8, as Spark and DuckDB write it); no value: Hive's default partition."""
    if value is None or value == "":
        return f"{key}=__HIVE_DEFAULT_PARTITION__"
    text = str(value).replace("/", "_").replace("\\", "_").replace("\n", " ").strip() or "_"
    return f"{key}={text}"


def write_dataset(db_path: Path, target: Path, *, partition_by: list[str] | None = None,
                  batch: int = 50_000) -> dict:
    """Write documents, figures, dates and entities (one row per mention, with its entity) as
    Parquet under ``target``, partitioned by ``partition_by`` (issuer, year, month), and
    ``target/schema.json``. Returns the schema file's content (with the row counts)."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    keys = list(partition_by or [])
    bad = [k for k in keys if k not in DATASET_PARTITION_KEYS]
    if bad or len(set(keys)) != len(keys):
        raise BadParameter(f"--partition-by: {', '.join(bad) or 'a key twice'} (it takes a comma-separated list of "
                           f"{', '.join(DATASET_PARTITION_KEYS)})")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BadParameter(f"{target}: exists and is not an empty folder (choose a new folder for the dataset)")
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=60)
    described: dict = {}
    try:
        conn.execute("BEGIN")  # one snapshot: the tables agree with each other while others write
        key_sql = [DATASET_PARTITION_KEYS[k][0] for k in keys]
        groups = [tuple(r) for r in conn.execute(
            f"SELECT DISTINCT {', '.join(key_sql)} FROM documents d ORDER BY {', '.join(key_sql)}")] if keys else [()]
        for table, (source, order, columns) in DATASET_TABLES.items():
            kept = [(c, sql) for c, sql in columns if c not in keys]
            schema = pa.schema([(c, _dataset_type(table, c)) for c, _ in kept])
            rows_written = files = 0
            for group in groups:
                where = " AND ".join(f"{sql} IS ?" for sql in key_sql) or "1"
                cursor = conn.execute(f"SELECT {', '.join(sql for _, sql in kept)} FROM {source} WHERE {where} "
                                      f"ORDER BY {order}", group)
                folder = target.joinpath(table, *(_partition_dir(k, v) for k, v in zip(keys, group)))
                writer = None
                while chunk := cursor.fetchmany(batch):
                    if writer is None:
                        folder.mkdir(parents=True, exist_ok=True)
                        writer = pq.ParquetWriter(folder / "part-0.parquet", schema, compression="zstd")
                        files += 1
                    arrays = [_dataset_array(c, [row[i] for row in chunk], schema.field(c).type)
                              for i, (c, _) in enumerate(kept)]
                    writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
                    rows_written += len(chunk)
                if writer is not None:
                    writer.close()
            if not files:  # an empty table still gets a file, so its schema can be read
                folder = target / table
                folder.mkdir(parents=True, exist_ok=True)
                pq.write_table(schema.empty_table(), folder / "part-0.parquet", compression="zstd")
            described[table] = {"path": table, "rows": rows_written, "files": max(files, 1),
                                "columns": [{"name": f.name, "type": str(f.type)} for f in schema]}
    finally:
        conn.close()
    info = {
        "format": "parquet", "compression": "zstd", "created_at": dt.datetime.now(dt.timezone.utc).isoformat(
            timespec="seconds"), "source": str(db_path),
        "partitioning": {"flavor": "hive", "keys": [{"name": k, "type": DATASET_PARTITION_KEYS[k][1]} for k in keys],
                         "null": "__HIVE_DEFAULT_PARTITION__"},
        "tables": described,
        "read": {"duckdb": "SELECT * FROM read_parquet('DIR/figures/**/*.parquet', hive_partitioning = true)",
                 "pandas": "pandas.read_parquet('DIR/figures')",
                 "spark": "spark.read.parquet('DIR/figures')"},
    }
    target.mkdir(parents=True, exist_ok=True)
    (target / "schema.json").write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return info
