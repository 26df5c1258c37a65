"""Figures: search with filters, facets and keyset pagination."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from service import queries
from service.api.deps import figure_params, get_settings, get_store, page_body, require_read
from service.settings import Settings
from service.store import Store

router = APIRouter(tags=["figures"])


@router.get("/figures", dependencies=[Depends(require_read)], summary="Search the figures")
def search_figures(request: Request, params: dict = Depends(figure_params), store: Store = Depends(get_store),
                   settings: Settings = Depends(get_settings)) -> JSONResponse:
    page = queries.search(store.conn, "figures", params, default_limit=settings.page_size,
                          max_limit=settings.max_page_size)
    return page_body(request, page)
