"""The store: one SQLite file (WAL) through sqlite-utils, holding documents and everything extracted
from them, the uploaded PDFs, and the jobs that extract them.

    store = Store.open("data/bulletins.db")       # creates the file and runs the migrations
    doc_id = store.save_extraction(extraction, pdf_bytes)

Tables (all with foreign keys to ``documents`` and an index for every search filter):
``documents``, ``blocks``, ``doc_tables``, ``figures``, ``dates``, ``entities`` (one row per distinct
person, place or organisation) and ``entity_mentions``, ``pdfs`` (the uploaded files by sha256),
``jobs`` and ``_migrations``. ``figures_fts`` and ``dates_fts`` are FTS5 indexes over a jieba-segmented
column (``search_text``) in the form sqlite-utils and Datasette recognise.

Writes go through ``Store.write()``: one ``BEGIN IMMEDIATE`` transaction, serialised by a lock per
file within a process and by SQLite's lock (with a busy timeout) across processes, so a document's
rows appear all at once or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import sqlite_utils

from models import Extraction

BUSY_TIMEOUT_S = 60.0
_write_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


class StoreError(Exception):
    """A domain error of the store; the message says what is wrong and what to do (``zh``: in Chinese)."""

    def __init__(self, message: str, *, zh: str | None = None):
        super().__init__(message)
        self.zh = zh or message


class NotFound(StoreError):
    pass


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


# ---------------------------------------------------------------- segmentation for full-text search

_jieba_lock = threading.Lock()
_tokenizer = None


def _jieba():
    """The store's own jieba tokenizer with jieba's stock dictionary: private, so that words other
    code adds to jieba's global dictionary never change how the index or a query is cut (the two
    must be cut alike, in every process, today and after a restart)."""
    global _tokenizer
    if _tokenizer is None:
        with _jieba_lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(60)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                _tokenizer = tokenizer
    return _tokenizer


@lru_cache(maxsize=20_000)
def segment(text: str) -> str:
    """Text as space-separated words for the FTS5 index: jieba's search mode, which emits both the
    words and the shorter words inside them (新邵县 → 新邵 新邵县), so either finds it."""
    if not text:
        return ""
    return " ".join(w for w in _jieba().cut_for_search(text) if w.strip())


# Filter tokens: a figure's unit, kind, place (every level of its code), month and year are also
# written into its full-text column as tokens FTS5 keeps whole (letters and digits only), so that a
# keyword search with filters is answered, and counted, by the full-text index alone. No Chinese
# text holds them. The month and year tokens come last, in a fixed width (see date_tokens).


def unit_token(unit: str) -> str:
    return f"zzu{unit.encode('utf-8').hex()}"


def kind_token(kind: str) -> str:
    return f"zzk{kind.replace('_', '')}"


def place_code_token(prefix: str) -> str:
    return f"zzp{prefix}"


def place_name_token(name: str) -> str:
    return f"zzn{name.encode('utf-8').hex()}"


def total_token() -> str:
    return "zzt1"


def month_token(year: int, month: int) -> str:
    return f"zzm{year:04d}{month:02d}"


def year_token(year: int) -> str:
    return f"zzy{year:04d}"


def date_tokens(iso_date: str | None) -> str:
    """' zzmYYYYMM zzyYYYY' (18 characters) for a date, '' without one."""
    if not iso_date:
        return ""
    year, month = int(iso_date[:4]), int(iso_date[5:7])
    return f" {month_token(year, month)} {year_token(year)}"


# A mentioned date's period (start to end) carries the same tokens: one per month and one per year it
# overlaps (2023年5月 → zzm202305 zzy2023; 2023年 → zzm202301 … zzm202312 zzy2023), so a search of the
# dates of a month or year is narrowed by the full-text index. A period longer than
# MAX_PERIOD_MONTHS (2021—2025年) carries one token instead, which every such search also asks for.
MAX_PERIOD_MONTHS = 36


def long_period_token() -> str:
    return "zzmlong"


def period_tokens(start: str | None, end: str | None) -> str:
    """' zzmYYYYMM … zzyYYYY …' for the months and years a period overlaps, ' zzmlong' past
    MAX_PERIOD_MONTHS, '' without a start. Months counted as numbers (y × 12 + m − 1), no
    calendar: the PostgreSQL store's function of the same name (service/store_postgres.py) does
    the same arithmetic in SQL, and a test holds the two to the same text."""
    if not start or len(start) < 7:
        return ""
    first = int(start[:4]) * 12 + int(start[5:7]) - 1
    last = int(end[:4]) * 12 + int(end[5:7]) - 1 if end and len(end) >= 7 else first
    last = max(first, last)
    if last - first + 1 > MAX_PERIOD_MONTHS:
        return f" {long_period_token()}"
    months = "".join(f" {month_token(i // 12, i % 12 + 1)}" for i in range(first, last + 1))
    return months + "".join(f" {year_token(y)}" for y in range(first // 12, last // 12 + 1))


def code_prefixes(code: str) -> list[str]:
    """Every level of an administrative code: 430522106 → 43, 4305, 430522, 430522106
    (430500 is 4305: the trailing zeros of a 6-digit code are its higher levels)."""
    code = code.strip()
    if len(code) == 12 and code.endswith("000"):
        code = code[:9]
    if len(code) == 9 and code.endswith("000"):
        code = code[:6]
    if len(code) == 6:
        while len(code) > 2 and code.endswith("00"):
            code = code[:-2]
    if not code.isdigit():
        return []
    cuts = [n for n in (2, 4, 6, 9, 12) if n <= len(code)]
    return [code[:n] for n in cuts] + ([code] if len(code) not in cuts else [])


def figure_tokens(unit: str, kind: str, place: str | None, place_code: str | None, is_total: bool,
                  date: str | None) -> str:
    tokens = [unit_token(unit), kind_token(kind)]
    if place_code:
        tokens.extend(place_code_token(p) for p in code_prefixes(place_code))
    if place:
        tokens.append(place_name_token(place))
    if is_total:
        tokens.append(total_token())
    return " ".join(tokens) + date_tokens(date)


def query_words(text: str) -> list[str]:
    """A query cut the way the index was (jieba's precise mode; each word is in the index)."""
    return [w for w in _jieba().cut(text) if w.strip()]


# ---------------------------------------------------------------- schema

def _migration_1(db: sqlite_utils.Database) -> None:
    """The first schema: documents and everything extracted from them, PDFs and jobs."""
    db.create_table("documents", {
        "id": int, "sha256": str, "file_name": str, "page_count": int, "status": str,
        "title": str, "issue_number": int, "issuer": str, "issue_date": str,
        "extractor_version": str, "schema_version": str, "metadata": str, "pages": str, "text": str,
        "block_count": int, "table_count": int, "figure_count": int, "date_count": int,
        "entity_count": int, "created_at": str, "updated_at": str,
    }, pk="id", not_null={"sha256", "status"})
    db.create_table("pdfs", {"sha256": str, "size": int, "data": bytes, "received_at": str}, pk="sha256")
    doc_fk = [("document_id", "documents", "id")]
    db.create_table("blocks", {
        "id": int, "document_id": int, "block_index": int, "kind": str, "section": str, "lead": str,
        "text": str, "page_start": int, "page_end": int, "start": int, "end": int, "prov": str,
    }, pk="id", foreign_keys=doc_fk, not_null={"document_id"})
    db.create_table("doc_tables", {
        "id": int, "document_id": int, "table_index": int, "page": int, "section": str, "caption": str,
        "rows": str, "bbox": str, "anchor": int,
    }, pk="id", foreign_keys=doc_fk, not_null={"document_id"})
    db.create_table("figures", {
        "id": int, "document_id": int, "figure_index": int, "text": str, "value": float, "unit": str,
        "kind": str, "qualifier": str, "low": float, "high": float, "subject": str, "place": str,
        "place_code": str, "as_of": str, "is_total": int, "table_index": int, "table_row": int,
        "table_col": int, "page": int, "start": int, "end": int, "sentence": str,
        "issue_date": str, "date": str, "search_text": str,
    }, pk="id", foreign_keys=doc_fk, not_null={"document_id"})
    db.create_table("dates", {
        "id": int, "document_id": int, "date_index": int, "text": str, "value": str, "precision": str,
        "start_date": str, "end_date": str, "year_inferred": int, "year_unknown": int,
        "page": int, "start": int, "end": int, "sentence": str, "issue_date": str, "search_text": str,
    }, pk="id", foreign_keys=doc_fk, not_null={"document_id"})
    db.create_table("entities", {
        "id": int, "key": str, "type": str, "name": str, "normalized": str, "code": str, "parents": str,
    }, pk="id", not_null={"key", "type", "name"})
    db.create_table("entity_mentions", {
        "id": int, "entity_id": int, "document_id": int, "mention_index": int, "text": str, "title": str,
        "page": int, "start": int, "end": int, "sentence": str, "issue_date": str,
    }, pk="id", foreign_keys=[("entity_id", "entities", "id"), ("document_id", "documents", "id")],
        not_null={"entity_id", "document_id"})
    db.create_table("jobs", {
        "id": str, "kind": str, "sha256": str, "file_name": str, "document_id": int, "status": str,
        "error": str, "attempts": int, "created_at": str, "started_at": str, "finished_at": str,
    }, pk="id", not_null={"kind", "sha256", "status"})

    indexes = {
        "documents": [["sha256"], ["issue_date"], ["issuer"], ["status"]],
        "blocks": [["document_id", "block_index"]],
        "doc_tables": [["document_id"]],
        "figures": [["document_id"], ["unit"], ["kind"], ["place_code"], ["place"], ["date"], ["as_of"],
                    ["issue_date"], ["value"]],
        "dates": [["document_id"], ["start_date"], ["end_date"], ["precision"], ["issue_date"]],
        "entities": [["key"], ["type", "name"], ["code"]],
        "entity_mentions": [["entity_id"], ["document_id"], ["issue_date"]],
        "jobs": [["status", "created_at"], ["sha256"]],
    }
    for table, cols in indexes.items():
        for columns in cols:
            unique = (table, columns) in (("documents", ["sha256"]), ("entities", ["key"]))
            db[table].create_index(columns, unique=unique)
    for table in ("figures", "dates"):
        _create_fts(db, table)


def _create_fts(db: sqlite_utils.Database, table: str) -> None:
    """An external-content FTS5 index over ``search_text`` kept up to date by triggers, written the
    way ``sqlite-utils enable-fts --create-triggers`` writes it, so Datasette finds it."""
    db.execute(f"CREATE VIRTUAL TABLE [{table}_fts] USING FTS5 ([search_text], content=[{table}])")
    for sql in _fts_triggers(table):
        db.execute(sql)


def _fts_triggers(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        f"CREATE TRIGGER [{table}_ai] AFTER INSERT ON [{table}] BEGIN "
        f"INSERT INTO [{fts}] (rowid, [search_text]) VALUES (new.rowid, new.[search_text]); END",
        f"CREATE TRIGGER [{table}_ad] AFTER DELETE ON [{table}] BEGIN "
        f"INSERT INTO [{fts}] ([{fts}], rowid, [search_text]) VALUES('delete', old.rowid, old.[search_text]); END",
        f"CREATE TRIGGER [{table}_au] AFTER UPDATE ON [{table}] BEGIN "
        f"INSERT INTO [{fts}] ([{fts}], rowid, [search_text]) VALUES('delete', old.rowid, old.[search_text]); "
        f"INSERT INTO [{fts}] (rowid, [search_text]) VALUES (new.rowid, new.[search_text]); END",
    ]


def _migration_2(db: sqlite_utils.Database) -> None:
    """What the model gained with OCR: a document read by OCR, a block's OCR confidence; and the
    page furniture (page numbers, running headers and footers) kept with the document."""
    db["documents"].add_column("ocr", int)
    db["documents"].add_column("furniture", str)
    db["blocks"].add_column("confidence", float)


def _migration_3(db: sqlite_utils.Database) -> None:
    """A failed job's reason in Chinese too (``error_zh``), for the web page; older failures say in
    Chinese that the reason is in English."""
    db["jobs"].add_column("error_zh", str)
    db.execute("UPDATE jobs SET error_zh = '提取失败（原因：' || error || '）' WHERE error IS NOT NULL")


# Indexes chosen from the query plans of bench/bench_store.py's shapes (EXPLAIN QUERY PLAN): a unit's
# figures in value order (a value range sorted by value reads only the page it shows), and a place's
# figures in date order.
SEARCH_INDEXES_SQL = [
    "CREATE INDEX IF NOT EXISTS figures_unit_value ON figures (unit, value)",
    "CREATE INDEX IF NOT EXISTS figures_place_code_date ON figures (place_code, date)",
    # an entity's mention and document counts, and "mentioned in a year", from the index alone
    "CREATE INDEX IF NOT EXISTS entity_mentions_entity_document ON entity_mentions (entity_id, document_id)",
    "CREATE INDEX IF NOT EXISTS entity_mentions_entity_issued ON entity_mentions (entity_id, issue_date)",
]

# Facet counts kept as counts: how many figures there are per place, unit, kind, month of the date
# and total flag, updated in the transaction that writes or deletes a document's figures. A facet
# (or a count) whose filters are only those columns is summed from here (a few thousand rows)
# instead of counted over millions of figures. '' stands for "none" (a key column cannot be NULL).
FACET_KEYS = ["place_code", "place", "unit", "kind", "month", "is_total"]
FACET_TABLE_SQL = (
    "CREATE TABLE figure_facets (place_code TEXT NOT NULL, place TEXT NOT NULL, unit TEXT NOT NULL, "
    "kind TEXT NOT NULL, month TEXT NOT NULL, is_total INTEGER NOT NULL, n INTEGER NOT NULL, "
    "PRIMARY KEY (place_code, place, unit, kind, month, is_total))")
FACET_SELECT = ("SELECT ifnull(place_code, ''), ifnull(place, ''), ifnull(unit, ''), ifnull(kind, ''), "
                "ifnull(substr(date, 1, 7), ''), ifnull(is_total, 0), {sign}count(*) FROM figures WHERE {where} "
                "GROUP BY 1, 2, 3, 4, 5, 6")
FACET_FILL_SQL = (f"INSERT INTO figure_facets ({', '.join(FACET_KEYS)}, n) "
                  + FACET_SELECT.format(sign="", where="true"))
FACET_ADD_SQL = (f"INSERT INTO figure_facets ({', '.join(FACET_KEYS)}, n) "
                 + FACET_SELECT.format(sign="{sign}", where="document_id = ?")
                 + f" ON CONFLICT ({', '.join(FACET_KEYS)}) DO UPDATE SET n = figure_facets.n + excluded.n")


def _migration_4(db: sqlite_utils.Database) -> None:
    """Indexes for the value and date sorts, and the facet counts table (filled from the figures)."""
    for sql in SEARCH_INDEXES_SQL:
        db.execute(sql)
    db.execute(FACET_TABLE_SQL)
    db.execute(FACET_FILL_SQL)


# Mention counts kept as counts: how many mentions (and documents) each entity has in each month of
# the issue dates ('' for none), updated in the transaction that writes or deletes a document's
# mentions. An entity's mention and document counts, the sort by mentions and "issued in a year" (or
# any whole months) are read from here: the entity's few hundred rows, not its 10⁵ mentions. A
# document's mentions share its issue date, so its documents fall in one month and add up.
ENTITY_MONTHS_SQL = ("CREATE TABLE entity_months (entity_id INTEGER NOT NULL, month TEXT NOT NULL, "
                     "mentions INTEGER NOT NULL, documents INTEGER NOT NULL, PRIMARY KEY (entity_id, month))")
ENTITY_MONTHS_SELECT = ("SELECT entity_id, ifnull(substr(issue_date, 1, 7), ''), {sign}count(*), "
                        "{sign}count(DISTINCT document_id) FROM entity_mentions WHERE {where} GROUP BY 1, 2")
ENTITY_MONTHS_FILL_SQL = ("INSERT INTO entity_months (entity_id, month, mentions, documents) "
                          + ENTITY_MONTHS_SELECT.format(sign="", where="true"))
ENTITY_MONTHS_ADD_SQL = ("INSERT INTO entity_months (entity_id, month, mentions, documents) "
                         + ENTITY_MONTHS_SELECT.format(sign="{sign}", where="document_id = ?")
                         + " ON CONFLICT (entity_id, month) DO UPDATE SET mentions = entity_months.mentions + "
                           "excluded.mentions, documents = entity_months.documents + excluded.documents")


def _migration_5(db: sqlite_utils.Database) -> None:
    """The dates' search text gains their periods' month and year tokens (the full-text index made
    again once, not row by row through the update trigger), and the entities' kept mention counts."""
    conn = db.conn
    conn.create_function("period_tokens", 2, period_tokens, deterministic=True)
    conn.execute("DROP TRIGGER IF EXISTS [dates_au]")
    conn.execute("UPDATE dates SET search_text = ifnull(search_text, '') || period_tokens(start_date, end_date) "
                 "WHERE start_date IS NOT NULL")
    conn.execute(_fts_triggers("dates")[2])
    conn.execute("INSERT INTO [dates_fts] ([dates_fts]) VALUES ('rebuild')")
    conn.execute(ENTITY_MONTHS_SQL)
    conn.execute(ENTITY_MONTHS_FILL_SQL)


def _migration_6(db: sqlite_utils.Database) -> None:
    """Nothing on SQLite: its (date) and (as_of) indexes end with the rowid already. PostgreSQL gets
    (date, id) and (as_of, id), from which a date range's id band is read (service/queries.py)."""


MIGRATIONS = [
    (1, "documents, extracted rows, full-text indexes, pdfs, jobs", _migration_1),
    (2, "documents.ocr, documents.furniture, blocks.confidence", _migration_2),
    (3, "jobs.error_zh", _migration_3),
    (4, "search indexes for value and date sorts and entity counts; figure_facets counts", _migration_4),
    (5, "dates' search text with their periods' month and year tokens; entity_months counts", _migration_5),
    (6, "figures (date, id) and (as_of, id) indexes (PostgreSQL)", _migration_6),
]


# ---------------------------------------------------------------- rows of an Extraction

def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def entity_key(type_: str, text: str, normalized: str | None, code: str | None) -> str:
    """One entity per type and identity: a place by its code, anything else by its full name."""
    ident = code or normalized or text
    return f"{type_}:{ident}"


def extraction_rows(x: Extraction) -> dict:
    """The rows an Extraction becomes (a pure function; search text segmented here)."""
    meta = x.document.metadata
    issue_date = _iso(meta.issue_date)
    doc = {
        "sha256": x.document.sha256, "file_name": x.document.file_name, "page_count": x.document.page_count,
        "status": x.document.status.value, "title": meta.title, "issue_number": meta.issue_number,
        "issuer": meta.issuer, "issue_date": issue_date, "extractor_version": x.document.extractor_version,
        "schema_version": x.schema_version, "metadata": meta.model_dump_json(),
        "pages": _json([p.model_dump(mode="json") for p in x.pages]), "text": x.text,
        "block_count": len(x.blocks), "table_count": len(x.tables), "figure_count": len(x.figures),
        "date_count": len(x.dates), "entity_count": len(x.entities),
        "ocr": int(bool(getattr(x.document, "ocr", False))),
        "furniture": _json([f.model_dump(mode="json") for f in x.furniture]),
    }
    blocks = [(i, b.kind.value, b.section, b.lead, b.text, b.page_start, b.page_end, b.start, b.end,
               _json([p.model_dump(mode="json") for p in b.prov]), getattr(b, "confidence", None))
              for i, b in enumerate(x.blocks)]
    tables = [(t.id, t.page, t.section, t.caption, _json(t.rows), t.bbox.model_dump_json(), t.anchor)
              for t in x.tables]
    figures = []
    for i, f in enumerate(x.figures):
        as_of = _iso(f.as_of)
        words = " ".join(s for s in (segment(f.sentence), segment(f.subject or "")) if s)
        search = f"{words} {figure_tokens(f.unit, f.kind.value, f.place, f.place_code, f.is_total, as_of or issue_date)}"
        figures.append((i, f.text, f.value, f.unit, f.kind.value, f.qualifier, f.low, f.high, f.subject,
                        f.place, f.place_code, as_of, int(f.is_total),
                        f.table.table if f.table else None, f.table.row if f.table else None,
                        f.table.col if f.table else None, f.page, f.start, f.end, f.sentence,
                        issue_date, as_of or issue_date, search))
    dates = [(i, d.text, d.value, d.precision.value, _iso(d.start_date), _iso(d.end_date), int(d.year_inferred),
              int(d.year_unknown), d.page, d.start, d.end, d.sentence, issue_date,
              segment(d.sentence) + period_tokens(_iso(d.start_date), _iso(d.end_date)))
             for i, d in enumerate(x.dates)]
    entities = {}
    mentions = []
    for i, e in enumerate(x.entities):
        key = entity_key(e.type.value, e.text, e.normalized, e.code)
        name = e.normalized if e.normalized and not e.normalized.isdigit() else e.text
        entities.setdefault(key, (key, e.type.value, name, e.normalized, e.code, _json(e.parents)))
        mentions.append((key, i, e.text, e.title, e.page, e.start, e.end, e.sentence, issue_date))
    return {"document": doc, "blocks": blocks, "tables": tables, "figures": figures, "dates": dates,
            "entities": list(entities.values()), "mentions": mentions}


INSERTS = {
    "blocks": "INSERT INTO blocks (document_id, block_index, kind, section, lead, text, page_start, page_end,"
              " start, [end], prov, confidence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
    "tables": "INSERT INTO doc_tables (document_id, table_index, page, section, caption, rows, bbox, anchor)"
              " VALUES (?,?,?,?,?,?,?,?)",
    "figures": "INSERT INTO figures (document_id, figure_index, text, value, unit, kind, qualifier, low, high,"
               " subject, place, place_code, as_of, is_total, table_index, table_row, table_col, page, start,"
               " [end], sentence, issue_date, date, search_text)"
               " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "dates": "INSERT INTO dates (document_id, date_index, text, value, precision, start_date, end_date,"
             " year_inferred, year_unknown, page, start, [end], sentence, issue_date, search_text)"
             " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
}
CHILD_TABLES = ("blocks", "doc_tables", "figures", "dates", "entity_mentions")


# ---------------------------------------------------------------- the store

class Store:
    """One connection to the database file. Not shared between threads: open one per thread
    (``Store.open`` is cheap once the file exists). The SQLite store; ``PostgresStore``
    (service/store_postgres.py) is the same class on PostgreSQL: the SQL here is shared."""

    dialect = "sqlite"

    def __init__(self, path: str | Path, *, migrate: bool = True):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # safe in WAL: a crash loses no committed consistency
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MB page cache
        conn.execute("PRAGMA mmap_size = 268435456")
        conn.execute("PRAGMA temp_store = MEMORY")
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        key = str(self.path.resolve())
        with _locks_guard:
            self._lock = _write_locks.setdefault(key, threading.Lock())
        if migrate:
            self.migrate()

    @classmethod
    def open(cls, path: str | Path) -> "Store":
        """The store at ``path``: a SQLite file, or a PostgreSQL server for a postgresql:// URL."""
        if cls is Store:
            return open_store(path)
        return cls(path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- transactions

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on any error)."""
        with self._lock:
            self._begin_write()
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def _begin_write(self) -> None:
        """Start a write transaction holding the database's one write lock (SQLite: the file's)."""
        self.conn.execute("BEGIN IMMEDIATE")

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same state of the database."""
        self.conn.execute("BEGIN")
        try:
            yield self.conn
        finally:
            self.conn.execute("COMMIT")

    # -- migrations

    def migrate(self) -> list[int]:
        """Apply the migrations not yet recorded in ``_migrations``; returns the versions applied."""
        applied: list[int] = []
        migrations = self._migrations()
        if self._current_versions() >= {v for v, _, _ in migrations}:
            return applied
        with self.write():
            self.conn.execute("CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY, "
                              "name TEXT, applied_at TEXT)")
            done = {r[0] for r in self.conn.execute("SELECT version FROM _migrations")}
            for version, name, apply in migrations:
                if version in done:
                    continue
                self._apply(apply)
                self.conn.execute("INSERT INTO _migrations VALUES (?, ?, ?)", (version, name, now()))
                applied.append(version)
        return applied

    def _migrations(self) -> list:
        return MIGRATIONS

    def _apply(self, migration) -> None:
        migration(self.db)

    def _current_versions(self) -> set[int]:
        try:
            return {r[0] for r in self.conn.execute("SELECT version FROM _migrations")}
        except sqlite3.OperationalError:
            return set()

    # -- documents

    def document_id(self, sha256: str) -> int | None:
        row = self.conn.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    def save_extraction(self, x: Extraction, pdf: bytes | None = None, *, job_id: str | None = None) -> int:
        """Store an Extraction (and its PDF) in one transaction; a document with the same sha256 has
        all its rows replaced and keeps its id. Marks ``job_id`` done in the same transaction."""
        rows = extraction_rows(x)
        doc = rows["document"]
        stamp = now()
        with self.write() as c:
            if pdf is not None:
                c.execute("INSERT INTO pdfs (sha256, size, data, received_at) VALUES (?,?,?,?) "
                          "ON CONFLICT DO NOTHING", (doc["sha256"], len(pdf), pdf, stamp))
            doc_id = self.document_id(doc["sha256"])
            old_entities: list[int] = []
            if doc_id is None:
                cols = list(doc) + ["created_at", "updated_at"]
                doc_id = c.execute(f"INSERT INTO documents ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
                                   " RETURNING id", [*doc.values(), stamp, stamp]).fetchone()[0]
            else:
                old_entities = [r[0] for r in c.execute(
                    "SELECT DISTINCT entity_id FROM entity_mentions WHERE document_id = ?", (doc_id,))]
                self._delete_children(doc_id)
                c.execute(f"UPDATE documents SET {', '.join(f'{k} = ?' for k in doc)}, updated_at = ? WHERE id = ?",
                          [*doc.values(), stamp, doc_id])
            for name in ("blocks", "tables", "figures", "dates"):
                if rows[name]:
                    c.executemany(INSERTS[name], [(doc_id, *r) for r in rows[name]])
            if rows["figures"]:
                c.execute(FACET_ADD_SQL.format(sign=""), (doc_id,))
            if rows["entities"]:
                c.executemany("INSERT INTO entities (key, type, name, normalized, code, parents) "
                              "VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING", rows["entities"])
                keys = [e[0] for e in rows["entities"]]
                ids = {}
                for part in _chunks(keys):
                    ids.update(c.execute(f"SELECT key, id FROM entities WHERE key IN ({', '.join('?' * len(part))})",
                                         part).fetchall())
                c.executemany("INSERT INTO entity_mentions (entity_id, document_id, mention_index, text, title,"
                              " page, start, [end], sentence, issue_date) VALUES (?,?,?,?,?,?,?,?,?,?)",
                              [(ids[m[0]], doc_id, *m[1:]) for m in rows["mentions"]])
                c.execute(ENTITY_MONTHS_ADD_SQL.format(sign=""), (doc_id,))
            self._delete_orphans(old_entities)
            if job_id:
                c.execute("UPDATE jobs SET status = 'done', error = NULL, error_zh = NULL, document_id = ?, "
                          "finished_at = ? WHERE id = ?", (doc_id, stamp, job_id))
        return doc_id

    def _delete_children(self, doc_id: int) -> None:
        self.conn.execute(FACET_ADD_SQL.format(sign="-"), (doc_id,))
        self.conn.execute("DELETE FROM figure_facets WHERE n = 0")
        self.conn.execute(ENTITY_MONTHS_ADD_SQL.format(sign="-"), (doc_id,))
        self.conn.execute("DELETE FROM entity_months WHERE mentions = 0")
        for table in CHILD_TABLES:
            self.conn.execute(f"DELETE FROM [{table}] WHERE document_id = ?", (doc_id,))

    def _delete_orphans(self, entity_ids: list[int]) -> None:
        for part in _chunks(entity_ids):
            self.conn.execute(f"DELETE FROM entities WHERE id IN ({', '.join('?' * len(part))}) AND NOT EXISTS "
                              "(SELECT 1 FROM entity_mentions m WHERE m.entity_id = entities.id)", part)

    def delete_document(self, doc_id: int) -> None:
        with self.write() as c:
            row = c.execute("SELECT sha256 FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                raise NotFound(f"document {doc_id} does not exist", zh=f"编号为 {doc_id} 的文件不存在")
            old_entities = [r[0] for r in c.execute(
                "SELECT DISTINCT entity_id FROM entity_mentions WHERE document_id = ?", (doc_id,))]
            self._delete_children(doc_id)
            self._delete_orphans(old_entities)
            c.execute("UPDATE jobs SET document_id = NULL WHERE document_id = ?", (doc_id,))
            c.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            c.execute("DELETE FROM pdfs WHERE sha256 = ? AND NOT EXISTS (SELECT 1 FROM jobs WHERE sha256 = ? "
                      "AND status IN ('queued', 'running'))", (row[0], row[0]))

    def pdf_bytes(self, sha256: str) -> bytes | None:
        row = self.conn.execute("SELECT data FROM pdfs WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    # -- jobs

    def submit_job(self, *, kind: str, sha256: str, file_name: str | None, pdf: bytes | None = None,
                   document_id: int | None = None) -> tuple[dict, bool]:
        """A job to extract the PDF ``sha256`` (stored with it). Returns (job, created): an upload of
        a PDF already stored or already queued gets the existing document's or job's answer."""
        stamp = now()
        with self.write() as c:
            if kind == "upload":
                pending = c.execute("SELECT id FROM jobs WHERE sha256 = ? AND status IN ('queued', 'running') "
                                    "ORDER BY created_at LIMIT 1", (sha256,)).fetchone()
                if pending:
                    return self.job(pending[0]), False
                existing = self.document_id(sha256)
                if existing is not None:
                    job_id = uuid.uuid4().hex
                    c.execute("INSERT INTO jobs (id, kind, sha256, file_name, document_id, status, attempts,"
                              " created_at, finished_at) VALUES (?,?,?,?,?,'done',0,?,?)",
                              (job_id, kind, sha256, file_name, existing, stamp, stamp))
                    return self.job(job_id), False
            if pdf is not None:
                c.execute("INSERT INTO pdfs (sha256, size, data, received_at) VALUES (?,?,?,?) "
                          "ON CONFLICT DO NOTHING", (sha256, len(pdf), pdf, stamp))
            elif c.execute("SELECT 1 FROM pdfs WHERE sha256 = ?", (sha256,)).fetchone() is None:
                raise StoreError(f"the PDF {sha256[:12]}… is not stored, so it cannot be extracted again "
                                 "(upload it again)", zh=f"PDF {sha256[:12]}… 已不在库中，无法重新提取（请重新上传）")
            job_id = uuid.uuid4().hex
            c.execute("INSERT INTO jobs (id, kind, sha256, file_name, document_id, status, attempts, created_at)"
                      " VALUES (?,?,?,?,?,'queued',0,?)", (job_id, kind, sha256, file_name, document_id, stamp))
        return self.job(job_id), True

    def job(self, job_id: str) -> dict:
        row = self.conn.execute("SELECT id, kind, sha256, file_name, document_id, status, error, error_zh, attempts,"
                                " created_at, started_at, finished_at FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise NotFound(f"job {job_id} does not exist", zh=f"任务 {job_id} 不存在")
        keys = ("id", "kind", "sha256", "file_name", "document_id", "status", "error", "error_zh", "attempts",
                "created_at", "started_at", "finished_at")
        return dict(zip(keys, row))

    def claim_job(self) -> dict | None:
        """The oldest queued job, marked running (its attempts counted), or None."""
        with self.write() as c:
            row = c.execute("SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at, rowid LIMIT 1"
                            ).fetchone()
            if row is None:
                return None
            c.execute("UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = ? WHERE id = ?",
                      (now(), row[0]))
        return self.job(row[0])

    def fail_job(self, job_id: str, error: str, error_zh: str | None = None) -> None:
        """``error`` in English; in Chinese ``error_zh``, else the ``zh`` of a Message (extractor/errors.py)."""
        error_zh = error_zh or getattr(error, "zh", None) or f"提取失败（原因：{error}）"
        with self.write() as c:
            c.execute("UPDATE jobs SET status = 'failed', error = ?, error_zh = ?, finished_at = ? WHERE id = ?",
                      (str(error), error_zh, now(), job_id))
            sha = c.execute("SELECT sha256, kind FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if sha and sha[1] == "upload":  # keep no PDF that became no document
                c.execute("DELETE FROM pdfs WHERE sha256 = ? AND NOT EXISTS (SELECT 1 FROM documents WHERE "
                          "sha256 = ?) AND NOT EXISTS (SELECT 1 FROM jobs WHERE sha256 = ? AND status IN "
                          "('queued', 'running'))", (sha[0], sha[0], sha[0]))

    def requeue_job(self, job_id: str) -> None:
        """A running job whose server is stopping: queued again, the attempt not counted."""
        with self.write() as c:
            c.execute("UPDATE jobs SET status = 'queued', started_at = NULL, attempts = CASE WHEN attempts > 0 "
                      "THEN attempts - 1 ELSE 0 END "
                      "WHERE id = ? AND status = 'running'", (job_id,))

    def recover_jobs(self, max_attempts: int = 2) -> dict[str, int]:
        """At start-up: jobs left 'running' by a process that died are queued again while they have
        been started fewer than ``max_attempts`` times, else failed with the reason."""
        with self.write() as c:
            requeued = c.execute("UPDATE jobs SET status = 'queued', started_at = NULL WHERE status = 'running' "
                                 "AND attempts < ?", (max_attempts,)).rowcount
            failed = c.execute("UPDATE jobs SET status = 'failed', finished_at = ?, error = ?, error_zh = ? WHERE "
                               "status = 'running'", (now(), f"the server stopped during extraction {max_attempts} "
                                                      "times; the PDF may be too heavy (try a smaller file or raise "
                                                      "the limits)", f"提取过程中服务器停止了 {max_attempts} 次，"
                                                      "PDF 可能过大（请换较小的文件或调高限制）")).rowcount
        return {"requeued": requeued, "failed": failed}

    def finish_bulk_load(self) -> None:
        """After loading many rows outside save_extraction (the benchmark): the kept counts made
        again from the rows, and fresh planner statistics."""
        self.rebuild_facet_counts()
        self.conn.execute("ANALYZE")

    def rebuild_facet_counts(self) -> None:
        with self.write() as c:
            c.execute("DELETE FROM figure_facets")
            c.execute(FACET_FILL_SQL)
            c.execute("DELETE FROM entity_months")
            c.execute(ENTITY_MONTHS_FILL_SQL)

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*"))

    def counts(self) -> dict[str, int]:
        return {t: self.conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
                for t in ("documents", "blocks", "doc_tables", "figures", "dates", "entities", "entity_mentions",
                          "jobs")}


def _chunks(values: list, size: int = 500) -> Iterator[list]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


SCHEMES = ("postgresql://", "postgres://")


def check_db(db) -> str | Path:
    """A ``BULLETIN_DB`` / ``--db`` value: a postgresql:// URL as it is, else a SQLite file path; any
    other URL is refused with what is accepted (it must not become a folder named 'mysql:')."""
    text = str(db)
    if text.startswith(SCHEMES):
        return text
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text) and not re.match(r"^[A-Za-z]:[\\/]", text):
        scheme = text.split(":", 1)[0]
        raise StoreError(f"the database '{text}' is not one this project can serve ({scheme}:): give a SQLite file "
                         "path (data/bulletins.db) or a PostgreSQL URL (postgresql://user@host:5432/dbname)")
    return Path(db)


def open_store(db, *, migrate: bool = True) -> Store:
    """The store a ``BULLETIN_DB`` / ``--db`` value names: a SQLite file, or a PostgreSQL server
    for a postgresql:// URL."""
    target = check_db(db)
    if isinstance(target, str):
        from service.store_postgres import PostgresStore

        return PostgresStore(target, migrate=migrate)
    return Store(target, migrate=migrate)


def is_postgres(db) -> bool:
    return str(db).startswith(SCHEMES)
