"""People, places and organisations: search, and one entity with its mentions across documents."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from service import queries
from service.api.deps import entity_params, get_settings, get_store, page_body, require_read
from service.settings import Settings
from service.store import NotFound, Store

router = APIRouter(tags=["entities"])


@router.get("/entities", dependencies=[Depends(require_read)], summary="Search the people, places and organisations")
def search_entities(request: Request, params: dict = Depends(entity_params), store: Store = Depends(get_store),
                    settings: Settings = Depends(get_settings)) -> JSONResponse:
    page = queries.search(store.conn, "entities", params, default_limit=settings.page_size,
                          max_limit=settings.max_page_size)
    return page_body(request, page)


@router.get("/entities/{entity_id}", dependencies=[Depends(require_read)],
            summary="One entity with its mentions across documents")
def get_entity(entity_id: int, store: Store = Depends(get_store)) -> dict:
    entity = queries.get_entity(store.conn, entity_id)
    if entity is None:
        raise NotFound(f"entity {entity_id} does not exist (see /api/v1/entities)",
                       zh=f"编号为 {entity_id} 的实体不存在")
    return {"ok": True, **entity}
