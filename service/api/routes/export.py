"""Exports that honour the search filters: ``/export/{figures,entities,dates}.{csv,jsonl,xlsx,parquet}``,
and the whole database file at ``/export/database``. ``headers=zh`` gives Chinese column names and
readable values (the web page's exports); ``headers=en`` (the default) the API's machine names."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from service import export, queries
from service.api.deps import PARAMS, get_settings, get_store, require_read
from service.settings import Settings
from service.store import Store, is_postgres, open_store

router = APIRouter(tags=["export"])
IGNORED = ("limit", "next", "count", "facets")
SHEETS_ZH = {"figures": "数字", "entities": "实体", "dates": "日期"}


def _temp_file(suffix: str) -> Path:
    fd, name = tempfile.mkstemp(prefix="bulletin-export-", suffix=suffix)
    os.close(fd)
    return Path(name)


def _stream_rows(db_path: Path, resource: str, params: dict):
    store = open_store(db_path, migrate=False)
    try:
        yield from queries.iter_rows(store.conn, resource, params)
    finally:
        store.close()


def _make_handler(resource: str, fmt: str):
    columns = queries.RESOURCES[resource].columns

    def handler(request: Request, params: dict = Depends(PARAMS[resource]),
                bom: bool = Query(False, description="csv: start with a UTF-8 BOM so Excel reads the Chinese"),
                headers: str = Query("en", description="en: the API's column names and values (kind=money, "
                                                       "is_total=false); zh: Chinese column names and readable "
                                                       "values (类别=金额, 是否合计=否), for people"),
                store: Store = Depends(get_store), settings: Settings = Depends(get_settings)):
        export.check_headers(headers)
        params = {k: v for k, v in params.items() if k not in IGNORED}
        total = queries.count(store.conn, resource, params)  # checks the filters before anything is sent
        queries.RESOURCES[resource].sort(params.get("sort"))
        name = f"{resource}.{fmt}"
        response_headers = {"Content-Disposition": f'attachment; filename="{name}"', "X-Row-Count": str(total)}
        if fmt in ("csv", "jsonl"):
            rows = _stream_rows(settings.db, resource, params)
            chunks = (export.csv_chunks(rows, columns, bom=bom, headers=headers, resource=resource) if fmt == "csv"
                      else export.jsonl_chunks(rows, columns, headers=headers, resource=resource))
            return StreamingResponse(chunks, media_type=export.MEDIA_TYPES[fmt], headers=response_headers)
        if fmt == "xlsx" and total > export.XLSX_MAX_ROWS:
            raise queries.BadParameter(f"{total} rows do not fit an Excel sheet ({export.XLSX_MAX_ROWS} at most): "
                                       "narrow the filters or export CSV or Parquet",
                                       zh=f"{total} 行放不进一张 Excel 工作表（最多 {export.XLSX_MAX_ROWS} 行）："
                                          "请缩小筛选范围，或导出 CSV 或 Parquet")
        path = _temp_file("." + fmt)
        sheet = SHEETS_ZH[resource] if headers == "zh" else resource
        try:
            export.write_rows(queries.iter_rows(store.conn, resource, params), columns, fmt, path, headers=headers,
                              resource=resource, sheet=sheet)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return FileResponse(path, media_type=export.MEDIA_TYPES[fmt], filename=name,
                            headers={"X-Row-Count": str(total)},
                            background=BackgroundTask(path.unlink, missing_ok=True))

    handler.__name__ = f"export_{resource}_{fmt}"
    return handler


for _resource in ("figures", "entities", "dates"):
    for _fmt in export.FORMATS:
        router.add_api_route(f"/export/{_resource}.{_fmt}", _make_handler(_resource, _fmt), methods=["GET"],
                             dependencies=[Depends(require_read)],
                             summary=f"{_resource.capitalize()} as {_fmt.upper()}, with the search's filters")


@router.get("/export/database", dependencies=[Depends(require_read)],
            summary="The whole SQLite database (opens in Datasette and sqlite-utils)")
def export_database(settings: Settings = Depends(get_settings)) -> FileResponse:
    if is_postgres(settings.db):
        raise queries.BadParameter("the database is on a PostgreSQL server, not in one file: back it up with "
                                   "pg_dump, or export figures, entities and dates (CSV, Parquet) here")
    path = _temp_file(".db")
    export.backup_database(settings.db, path)
    return FileResponse(path, media_type="application/vnd.sqlite3", filename="bulletins.db",
                        background=BackgroundTask(path.unlink, missing_ok=True))
