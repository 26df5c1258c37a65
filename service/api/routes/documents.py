"""Documents: upload (a job), list, one document, its text, its original file, delete, extract again.

An upload may be any kind the extractor reads (PDF, DOCX, OFD, HTML, JPEG, PNG, TIFF), told from its
content; the original bytes are stored as uploaded (the ``pdfs`` table holds every kind) and their
kind is told again from them when the original is downloaded."""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from extractor.errors import Message
from service import queries
from service.api.deps import get_settings, get_store, page_body, require_read, require_write
from service.settings import Settings
from service.store import NotFound, Store
from service.worker import check_pdf

router = APIRouter(tags=["documents"])


def job_body(job: dict, created: bool) -> dict:
    return {"ok": True, "job": job, "job_url": f"/api/v1/jobs/{job['id']}", "duplicate": not created}


@router.post("/documents", status_code=202, dependencies=[Depends(require_write)],
             summary="Upload a bulletin (PDF, DOCX, OFD, HTML, JPEG, PNG or TIFF); extraction runs in the background "
                     "(poll the job)")
def upload(request: Request, file: UploadFile = File(..., description="the bulletin: PDF, Word .docx, OFD, a saved "
                                                                      "web page, a JPEG, PNG or TIFF image"),
           store: Store = Depends(get_store), settings: Settings = Depends(get_settings)) -> dict:
    data = file.file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise HTTPException(413, Message(f"the upload is larger than the limit of {settings.max_upload_mb:g} MB "
                                         "(BULLETIN_MAX_UPLOAD_MB)",
                                         f"文件超过了 {settings.max_upload_mb:g} MB 的上限（BULLETIN_MAX_UPLOAD_MB）"))
    check_pdf(data, settings.max_pages)
    job, created = store.submit_job(kind="upload", sha256=hashlib.sha256(data).hexdigest(),
                                    file_name=file.filename, pdf=data)
    request.app.state.runner.wake()
    return job_body(job, created)


@router.get("/documents", dependencies=[Depends(require_read)], summary="The stored bulletins")
def list_documents(request: Request, issuer: str | None = None, status: str | None = None,
                   issued_from: str | None = None, issued_to: str | None = None, limit: str | None = None,
                   next: str | None = None, store: Store = Depends(get_store),
                   settings: Settings = Depends(get_settings)) -> JSONResponse:
    params = {k: v for k, v in dict(issuer=issuer, status=status, issued_from=issued_from, issued_to=issued_to,
                                    limit=limit, next=next).items() if v is not None}
    page = queries.list_documents(store.conn, params, default_limit=settings.page_size,
                                  max_limit=settings.max_page_size)
    return page_body(request, page)


def _document(store: Store, doc_id: int) -> dict:
    doc = queries.get_document(store.conn, doc_id)
    if doc is None:
        raise NotFound(f"document {doc_id} does not exist (see /api/v1/documents)", zh=f"编号为 {doc_id} 的文件不存在")
    return doc


@router.get("/documents/{doc_id}", dependencies=[Depends(require_read)],
            summary="One bulletin: metadata, sections, counts")
def get_document(doc_id: int, store: Store = Depends(get_store)) -> dict:
    return {"ok": True, **_document(store, doc_id)}


@router.get("/documents/{doc_id}/text", dependencies=[Depends(require_read)], response_class=PlainTextResponse,
            summary="The clean text every offset points into")
def get_text(doc_id: int, store: Store = Depends(get_store)) -> PlainTextResponse:
    row = store.conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        raise NotFound(f"document {doc_id} does not exist", zh=f"编号为 {doc_id} 的文件不存在")
    return PlainTextResponse(row[0] or "")


def _original(store: Store, doc_id: int) -> tuple[str, str, bytes]:
    """The document's original file: (kind, file name, bytes)."""
    from extractor.sniff import EXTENSIONS, kind_of

    row = store.conn.execute("SELECT d.file_name, p.data FROM documents d LEFT JOIN pdfs p ON p.sha256 = d.sha256 "
                             "WHERE d.id = ?", (doc_id,)).fetchone()
    if row is None:
        raise NotFound(f"document {doc_id} does not exist", zh=f"编号为 {doc_id} 的文件不存在")
    if row[1] is None:
        raise NotFound(f"document {doc_id} has no stored original file (it was stored without one)",
                       zh=f"编号为 {doc_id} 的文件没有保存原件（入库时未带原件）")
    kind = kind_of(row[1])
    name = (row[0] or f"document-{doc_id}{EXTENSIONS[kind]}").encode("ascii", "replace").decode().replace('"', "")
    return kind, name, row[1]


@router.get("/documents/{doc_id}/original", dependencies=[Depends(require_read)],
            summary="The file as uploaded (PDF, DOCX, OFD, HTML, JPEG, PNG or TIFF), with its media type",
            response_class=Response)
def get_original(doc_id: int, store: Store = Depends(get_store)) -> Response:
    from extractor.sniff import MEDIA_TYPES

    kind, name, data = _original(store, doc_id)
    disposition = "inline" if kind in ("pdf", "jpeg", "png") else "attachment"
    return Response(data, media_type=MEDIA_TYPES[kind], headers={"Content-Disposition": f'{disposition}; filename="{name}"'})


@router.get("/documents/{doc_id}/pdf", dependencies=[Depends(require_read)], summary="The PDF as uploaded",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
def get_pdf(doc_id: int, store: Store = Depends(get_store)) -> Response:
    kind, name, data = _original(store, doc_id)
    if kind != "pdf":
        raise NotFound(f"document {doc_id} is {kind.upper()}, not a PDF: its file is at "
                       f"/api/v1/documents/{doc_id}/original",
                       zh=f"编号为 {doc_id} 的文件是 {kind.upper()}，不是 PDF：原件在 /api/v1/documents/{doc_id}/original")
    return Response(data, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.delete("/documents/{doc_id}", dependencies=[Depends(require_write)],
               summary="Delete a bulletin and everything extracted from it")
def delete_document(doc_id: int, store: Store = Depends(get_store)) -> dict:
    store.delete_document(doc_id)
    return {"ok": True, "deleted": doc_id}


@router.post("/documents/{doc_id}/reextract", status_code=202, dependencies=[Depends(require_write)],
             summary="Extract a stored bulletin again (after an extractor upgrade); its rows are replaced at once")
def reextract(request: Request, doc_id: int, store: Store = Depends(get_store)) -> dict:
    doc = _document(store, doc_id)
    job, created = store.submit_job(kind="reextract", sha256=doc["sha256"], file_name=doc["file_name"],
                                    document_id=doc_id)
    request.app.state.runner.wake()
    return job_body(job, created)
