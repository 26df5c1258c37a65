"""What the web pages show, read with the API's own library (``service.queries``): the few things
the API has no query for — a figure by id, a document's blocks and highlighted spans, the recent
jobs, a chart's series — are small reads over the same tables."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Mapping

from markupsafe import Markup, escape

from service import chart as chart_rules
from service import queries

KIND_LABELS = {"money": "金额", "people": "人数", "count": "数量", "percent": "百分比", "percentage_point": "百分点",
               "area": "面积", "length": "长度", "weight": "重量", "duration": "时长", "other": "其他"}
ENTITY_LABELS = {"PERSON": "人物", "PLACE": "地点", "ORG": "机构"}
JOB_LABELS = {"queued": "排队中", "running": "提取中", "done": "完成", "failed": "失败"}
STATUS_LABELS = {"ok": "已提取", "needs_ocr": "需要OCR（扫描件）"}


def figure(conn: sqlite3.Connection, figure_id: int) -> dict | None:
    """One figure with its document's issuer and file name (the search's row shape)."""
    r = queries.RESOURCES["figures"]
    cur = conn.execute(f"SELECT {r.select}, d.title AS doc_title, d.issue_number FROM {r.table} {r.alias} {r.join} "
                       f"WHERE {r.alias}.id = ?", (figure_id,))
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    if row is None:
        return None
    out = dict(zip(names, row))
    out["is_total"] = bool(out["is_total"])
    return out


def document_pdf(conn: sqlite3.Connection, doc_id: int) -> tuple[str, bytes | None] | None:
    row = conn.execute("SELECT d.sha256, p.data FROM documents d LEFT JOIN pdfs p ON p.sha256 = d.sha256 "
                       "WHERE d.id = ?", (doc_id,)).fetchone()
    return (row[0], row[1]) if row else None


def has_pdf(conn: sqlite3.Connection, doc_id: int) -> bool:
    """Whether the document's PDF is stored, without reading it (it may be megabytes). Another kind's original
    (DOCX, OFD, an image: issue 15) has no PDF page to show: %PDF- within its first 1024 bytes tells."""
    return conn.execute("SELECT 1 FROM documents d JOIN pdfs p ON p.sha256 = d.sha256 "
                        "WHERE d.id = ? AND instr(substr(p.data, 1, 1024), X'255044462D') > 0",
                        (doc_id,)).fetchone() is not None


# ---------------------------------------------------------------- a document's text with highlights

def document_body(conn: sqlite3.Connection, doc_id: int) -> tuple[list[dict], dict]:
    """The document's blocks (and tables where they stand) as HTML with its figures, dates and entity
    mentions marked; and the figures by id (for the side panel)."""
    text_row = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
    text = (text_row[0] if text_row else "") or ""
    blocks = [dict(zip(("kind", "section", "lead", "start", "end", "page"), r)) for r in conn.execute(
        "SELECT kind, section, lead, start, [end], page_start FROM blocks WHERE document_id = ? ORDER BY block_index",
        (doc_id,))]
    tables = [{"rows": json.loads(r[0]), "caption": r[1], "anchor": r[2] or 0, "page": r[3]} for r in conn.execute(
        "SELECT rows, caption, anchor, page FROM doc_tables WHERE document_id = ? ORDER BY table_index", (doc_id,))]
    figures = list(queries.iter_rows(conn, "figures", {"document": str(doc_id)}))
    dates = list(queries.iter_rows(conn, "dates", {"document": str(doc_id)}))
    mentions = conn.execute(
        "SELECT m.start, m.[end], e.id, e.type, e.name, m.title FROM entity_mentions m JOIN entities e ON e.id = "
        "m.entity_id WHERE m.document_id = ? ORDER BY m.start", (doc_id,)).fetchall()
    spans = []  # (start, end, priority, html attributes); figures win over dates, dates over entities
    for f in figures:
        if f["table_index"] is None:
            spans.append((f["start"], f["end"], 0, f'class="hl hl-figure" tabindex="0" role="button" '
                                                  f'data-figure="{f["id"]}" title="{escape(_figure_title(f))}"'))
    for d in dates:
        spans.append((d["start"], d["end"], 1, f'class="hl hl-date" title="日期：{escape(d["value"] or "")}"'))
    for start, end, eid, etype, name, title in mentions:
        label = ENTITY_LABELS.get(etype, etype) + "：" + name + (f"（{title}）" if title else "")
        spans.append((start, end, 2, f'class="hl hl-{etype.lower()}" data-entity="{eid}" title="{escape(label)}"'))
    chosen = []
    taken: list[tuple[int, int]] = []
    for start, end, _, attrs in sorted(spans, key=lambda s: (s[2], s[0])):
        if start is None or end is None or end <= start or any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        chosen.append((start, end, attrs))
    chosen.sort()
    out = []
    table_queue = sorted(tables, key=lambda t: t["anchor"])
    for block in blocks:
        while table_queue and table_queue[0]["anchor"] <= block["start"]:
            out.append({"table": table_queue.pop(0)})
        html = _marked(text, block["start"], block["end"], chosen)
        out.append({**block, "html": html})
    out.extend({"table": t} for t in table_queue)
    by_id = {f["id"]: {k: f[k] for k in ("id", "text", "value", "unit", "kind", "subject", "place", "as_of",
                                          "issue_date", "page", "start", "end", "sentence", "qualifier",
                                          "table_index")} for f in figures}
    return out, by_id


def _figure_title(f: Mapping) -> str:
    parts = [f.get("subject") or "", f"{f.get('text')}", f.get("place") or ""]
    return " · ".join(p for p in parts if p)


def _marked(text: str, start: int, end: int, spans: list[tuple[int, int, str]]) -> Markup:
    pieces = []
    at = start
    for s, e, attrs in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        if s < at:
            continue
        pieces.append(str(escape(text[at:s])))
        pieces.append(f"<mark {attrs}>{escape(text[s:e])}</mark>")
        at = e
    pieces.append(str(escape(text[at:end])))
    return Markup("".join(pieces).replace("\n", "<br>"))


def mark_in_sentence(sentence: str, needle: str | None) -> Markup:
    """The sentence with the first occurrence of ``needle`` marked."""
    sentence = sentence or ""
    i = sentence.find(needle) if needle else -1
    if i < 0:
        return Markup(escape(sentence))
    return Markup(f"{escape(sentence[:i])}<mark class=\"hl hl-figure\">{escape(needle)}</mark>"
                  f"{escape(sentence[i + len(needle):])}")


# ---------------------------------------------------------------- jobs, lists for the forms

def recent_jobs(conn: sqlite3.Connection, limit: int = 20) -> list[dict]:
    """The latest jobs, failed ones included, with their Chinese reason (error_zh) where the store keeps one."""
    cur = conn.execute("SELECT * FROM jobs ORDER BY created_at DESC, id DESC LIMIT ?", (limit,))
    names = [d[0] for d in cur.description]
    jobs = [dict(zip(names, r)) for r in cur]
    for job in jobs:
        job.pop("pdf", None)
        job["when"] = job.get("finished_at") or job.get("created_at")
    return jobs


def short_time(iso: str | None) -> str:
    """One readable form for every time on the page: 2026-12-04 10:11 (the page's script shows it in
    the reader's own time zone; the server writes UTC)."""
    return (iso or "")[:16].replace("T", " ")


def distinct(conn: sqlite3.Connection, column: str, limit: int = 200) -> list[str]:
    """The most frequent values of a figures column (units, places, subjects), for the forms' lists."""
    assert column in ("unit", "place", "subject")
    return [r[0] for r in conn.execute(
        f"SELECT {column}, count(*) AS n FROM figures WHERE {column} IS NOT NULL AND {column} != '' "
        f"GROUP BY {column} ORDER BY n DESC, {column} LIMIT ?", (limit,))]


# ---------------------------------------------------------------- the chart

def chart(conn: sqlite3.Connection, params: Mapping, mode: str, basis: str | None = None,
          max_rows: int = 20_000) -> chart_rules.Chart:
    """The chart of the figures the filters select (the search's own rows; the rule that turns them
    into points is ``service.chart``)."""
    rows = itertools.islice(queries.iter_rows(conn, "figures", params), max_rows)
    return chart_rules.chart_points(rows, mode, basis=basis, place=params.get("place"))


# ---------------------------------------------------------------- entities

def person_titles(conn: sqlite3.Connection, entity_ids: list[int]) -> dict[int, list[str]]:
    if not entity_ids:
        return {}
    out: dict[int, list[str]] = {}
    for eid, title in conn.execute(
            "SELECT DISTINCT entity_id, title FROM entity_mentions WHERE title IS NOT NULL AND title != '' AND "
            f"entity_id IN ({', '.join('?' * len(entity_ids))}) ORDER BY entity_id, title", entity_ids):
        out.setdefault(eid, []).append(title)
    return out


def entity_figures(conn: sqlite3.Connection, entity: dict, limit: int = 200) -> list[dict]:
    """Figures about an entity: for a place, the figures under it (the search's place filter); for a
    person or an organisation, the figures in the sentences that mention them."""
    if entity["type"] == "PLACE":
        place = entity.get("code") or entity["name"]
        try:
            return queries.search(conn, "figures", {"place": place, "limit": str(limit), "count": "false"},
                                  max_limit=limit).items
        except queries.BadParameter:
            return queries.search(conn, "figures", {"place": entity["name"], "limit": str(limit), "count": "false"},
                                  max_limit=limit).items
    r = queries.RESOURCES["figures"]
    cur = conn.execute(
        f"SELECT {r.select} FROM {r.table} {r.alias} {r.join} WHERE EXISTS (SELECT 1 FROM entity_mentions m WHERE "
        f"m.entity_id = ? AND m.document_id = f.document_id AND m.sentence = f.sentence) ORDER BY f.id LIMIT ?",
        (entity["id"], limit))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur]
