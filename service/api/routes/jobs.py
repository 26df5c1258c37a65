"""Jobs: the state of an upload's or a re-extraction's background work."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from service.api.deps import get_store, require_read
from service.store import Store

router = APIRouter(tags=["jobs"])


@router.get("/jobs/{job_id}", dependencies=[Depends(require_read)],
            summary="queued, running, done (with the document id) or failed (with the reason)")
def get_job(job_id: str, store: Store = Depends(get_store)) -> dict:
    job = store.job(job_id)
    if job["document_id"] is not None:
        job["document_url"] = f"/api/v1/documents/{job['document_id']}"
    return {"ok": True, **job}
