"""Dependencies shared by the routers: settings, a database connection per request, the token
checks, and the filter parameters of each resource (declared once, so the search and its export
take exactly the same filters)."""

from __future__ import annotations

import hmac
import queue
from collections.abc import Iterator

from fastapi import Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from extractor.errors import Message
from service.settings import Settings
from service.store import Store, open_store

TOKEN_COOKIE = "bulletin_token"
bearer = HTTPBearer(auto_error=False, description="the API token (BULLETIN_API_TOKEN, or the one printed at start)")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


class StorePool:
    """Connections to the database, one per request at a time (a connection is not shared between
    threads, on SQLite or on PostgreSQL)."""

    def __init__(self, path, size: int = 64):
        self.path = path
        self._free: queue.LifoQueue[Store] = queue.LifoQueue()
        self.size = size

    def get(self) -> Store:
        try:
            return self._free.get_nowait()
        except queue.Empty:
            return open_store(self.path, migrate=False)

    def put(self, store: Store) -> None:
        if store.conn.in_transaction:
            store.conn.execute("ROLLBACK")
        if self._free.qsize() < self.size:
            self._free.put(store)
        else:
            store.close()

    def close(self) -> None:
        while True:
            try:
                self._free.get_nowait().close()
            except queue.Empty:
                return


def get_store(request: Request) -> Iterator[Store]:
    pool: StorePool = request.app.state.stores
    store = pool.get()
    try:
        yield store
    finally:
        pool.put(store)


def _check(token: str | None, settings: Settings) -> None:
    if not token:
        raise HTTPException(401, Message("this needs the API token: send 'Authorization: Bearer <token>' "
                                         "(the token is BULLETIN_API_TOKEN, or the one printed when the server "
                                         "started)", "需要访问令牌：请打开服务器启动时显示的网址（带 ?token=），"
                                                     "或设置 BULLETIN_API_TOKEN"),
                            headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(token.encode(), (settings.api_token or "").encode()):
        raise HTTPException(403, Message("the API token is wrong (check BULLETIN_API_TOKEN or the URL printed at "
                                         "start)",
                                         "访问令牌不对（请核对 BULLETIN_API_TOKEN 或服务器启动时显示的网址）"))


def _given_token(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str | None:
    if credentials is not None:
        return credentials.credentials
    return request.query_params.get("token")


def require_write(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
                  settings: Settings = Depends(get_settings)) -> None:
    """Writes need the token in the Authorization header (or ?token=); never from a cookie."""
    _check(_given_token(request, credentials), settings)


def require_read(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
                 settings: Settings = Depends(get_settings)) -> None:
    """Reads are open unless BULLETIN_PROTECT_READS; then the header, ?token= or the cookie set by
    opening the printed URL will do."""
    if not settings.protect_reads:
        return
    _check(_given_token(request, credentials) or request.cookies.get(TOKEN_COOKIE), settings)


# ---------------------------------------------------------------- filter parameters

def _q(description: str, example: str | None = None):
    return Query(None, description=description, examples=[example] if example else None)


PAGING = {
    "sort": "sort order: a column, '-' in front for descending",
    "limit": "rows per page (capped; see BULLETIN_MAX_PAGE_SIZE)",
    "next": "the 'next' token of the previous page",
    "count": "the count is exact up to 10,000 (count_exact); 'exact' counts past that, 'false' skips it",
}


def figure_params(
    q: str | None = _q("words that must all occur in the sentence or subject (Chinese is segmented)", "就业"),
    unit: str | None = _q("unit(s), comma-separated: 人, 元, %", "人"),
    kind: str | None = _q("kind(s): money, people, count, percent, percentage_point, area, length, weight, "
                          "duration, other"),
    place: str | None = _q("a place name or administrative code; includes everything under it", "邵阳市"),
    date_from: str | None = _q("the figure's date (as-of, else the issue date) from: YYYY[-MM[-DD]]"),
    date_to: str | None = _q("… to (inclusive)"),
    as_of_from: str | None = _q("as-of date from"),
    as_of_to: str | None = _q("as-of date to (inclusive)"),
    issued_from: str | None = _q("the bulletin's issue date from"),
    issued_to: str | None = _q("the bulletin's issue date to (inclusive)"),
    min_value: str | None = _q("smallest value"),
    max_value: str | None = _q("largest value"),
    document: str | None = _q("document id(s), comma-separated"),
    issuer: str | None = _q("a part of the issuing body's name"),
    is_total: str | None = _q("true: only totals"),
    sort: str | None = _q("id, value, date, issue_date; '-' in front for descending"),
    limit: str | None = _q(PAGING["limit"]),
    next: str | None = _q(PAGING["next"]),
    count: str | None = _q(PAGING["count"]),
    facets: str | None = _q("facets to count: kind, unit, place, month (comma-separated)"),
) -> dict:
    return {k: v for k, v in locals().items() if v is not None}


def date_params(
    q: str | None = _q("words that must all occur in the sentence", "完成"),
    precision: str | None = _q("day, month, year, quarter, half_year, month_part"),
    date_from: str | None = _q("the mentioned period overlaps from: YYYY[-MM[-DD]]"),
    date_to: str | None = _q("… to (inclusive)"),
    issued_from: str | None = _q("the bulletin's issue date from"),
    issued_to: str | None = _q("the bulletin's issue date to (inclusive)"),
    year_inferred: str | None = _q("true: only dates whose year came from the issue date"),
    document: str | None = _q("document id(s), comma-separated"),
    issuer: str | None = _q("a part of the issuing body's name"),
    sort: str | None = _q("id, start_date, issue_date; '-' in front for descending"),
    limit: str | None = _q(PAGING["limit"]),
    next: str | None = _q(PAGING["next"]),
    count: str | None = _q(PAGING["count"]),
) -> dict:
    return {k: v for k, v in locals().items() if v is not None}


def entity_params(
    q: str | None = _q("a part of the name", "邵阳"),
    type: str | None = _q("PERSON, PLACE, ORG (comma-separated)"),
    place: str | None = _q("places under a place name or code"),
    issued_from: str | None = _q("mentioned in bulletins issued from"),
    issued_to: str | None = _q("… to (inclusive)"),
    document: str | None = _q("mentioned in document id(s)"),
    issuer: str | None = _q("mentioned in bulletins of an issuer (part of its name)"),
    min_mentions: str | None = _q("at least this many mentions"),
    sort: str | None = _q("id, name, mentions; '-' in front for descending"),
    limit: str | None = _q(PAGING["limit"]),
    next: str | None = _q(PAGING["next"]),
    count: str | None = _q(PAGING["count"]),
) -> dict:
    return {k: v for k, v in locals().items() if v is not None}


PARAMS = {"figures": figure_params, "dates": date_params, "entities": entity_params}


def page_body(request: Request, page) -> JSONResponse:
    """A page of results in the API's shape, with the URL of the next page (sent as it is: the rows
    are plain JSON values already, so FastAPI's encoder is skipped)."""
    body = {"ok": True, "count": page.count, "count_exact": page.count_exact, "limit": page.limit, "next": page.next,
            "next_url": str(request.url.include_query_params(next=page.next)) if page.next else None,
            "items": page.items}
    if page.facets:
        body["facets"] = page.facets
        body["facets_exact"] = page.facets_exact
    return JSONResponse(body)
