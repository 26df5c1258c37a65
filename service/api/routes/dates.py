"""Dates mentioned in the bulletins: search with filters and keyset pagination."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from service import queries
from service.api.deps import date_params, get_settings, get_store, page_body, require_read
from service.settings import Settings
from service.store import Store

router = APIRouter(tags=["dates"])


@router.get("/dates", dependencies=[Depends(require_read)], summary="Search the dates")
def search_dates(request: Request, params: dict = Depends(date_params), store: Store = Depends(get_store),
                 settings: Settings = Depends(get_settings)) -> JSONResponse:
    page = queries.search(store.conn, "dates", params, default_limit=settings.page_size,
                          max_limit=settings.max_page_size)
    return page_body(request, page)
