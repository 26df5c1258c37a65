"""The app factory: ``create_app(settings)``; ``uvicorn --factory service.api.main:create_app`` or
``bulletin serve`` run it.

At start the app opens (and migrates) the database, re-queues jobs a previous run left running,
starts the extraction worker pool and the job runner, and prints the URLs to open with the token (as
Jupyter does): the web page first, the API docs second. The docs (/docs, /redoc) load Swagger UI and
ReDoc from the fastapi-offline package, so they work on an intranet with no internet.
"""

from __future__ import annotations

import hmac
import logging
import sys
import threading
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse
from fastapi_offline import FastAPIOffline

from extractor.errors import Message
from service import web
from service.api import errors
from service.api.deps import TOKEN_COOKIE, StorePool, get_store, require_read
from service.api.routes import dates, documents, entities, export, figures, jobs
from service.engines import make_pool
from service.settings import Settings
from service.store import Store, segment
from service.worker import JobRunner, WorkerPool

log = logging.getLogger("bulletin.api")
API = "/api/v1"


class UploadLimit:
    """Refuse an upload larger than the limit before reading it: by its Content-Length, or by
    counting the bytes of a body sent without one."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT"):
            return await self.app(scope, receive, send)
        message = Message(f"the upload is larger than the limit of {self.max_bytes / 1024 / 1024:g} MB "
                          "(BULLETIN_MAX_UPLOAD_MB)",
                          f"文件超过了 {self.max_bytes / 1024 / 1024:g} MB 的上限（BULLETIN_MAX_UPLOAD_MB）")
        length = dict(scope["headers"]).get(b"content-length")
        limit = self.max_bytes + 64 * 1024  # room for the multipart envelope
        if length is not None and length.isdigit() and int(length) > limit:
            response = errors.error_response(413, message)
            return await response(scope, receive, send)
        seen = 0

        async def counted():
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:
                    from fastapi import HTTPException

                    raise HTTPException(413, message)
            return msg

        return await self.app(scope, counted, send)


def open_url(settings: Settings, host: str | None = None, port: int | None = None, path: str = "/") -> str:
    """The URL to open, with the token: the web page (``/``) or the API docs (``/docs``)."""
    host = host or settings.host
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://{shown}:{port or settings.port}{path}?token={settings.api_token}"


def announcement(settings: Settings, generated: bool) -> str:
    """What ``bulletin serve`` prints at start: the web page's URL first, then the API docs'."""
    lines = [f"bulletin: database {settings.db}",
             f"  网页 web page:   {open_url(settings)}",
             f"  API 文档 docs:   {open_url(settings, path='/docs')}"]
    if generated:
        lines.append("  (the token was made for this run; set BULLETIN_API_TOKEN to keep one)")
    return "\n".join(lines)


DOCS_ASSETS = "/static-offline-docs"  # Swagger UI's and ReDoc's files, from the fastapi-offline package


def _install_redoc(app: FastAPI) -> None:
    """/redoc from the package's ReDoc, as fastapi-offline serves it, less the one thing ReDoc fetches
    from its CDN (the logo of its credit line, which it drops when it cannot load): the page may load
    images from this server only, so a browser on an intranet never tries the internet."""

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_redoc_html(openapi_url=f"{root}{app.openapi_url}", title=f"{app.title} - ReDoc",
                              redoc_js_url=f"{root}{DOCS_ASSETS}/redoc.standalone.js", with_google_fonts=False,
                              redoc_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png")
        return HTMLResponse(page.body, headers={"Content-Security-Policy": "img-src 'self' data:"})


def create_app(settings: Settings | None = None, *, pool: WorkerPool | None = None,
               announce: bool = True) -> FastAPI:
    settings = settings or Settings()
    settings, generated = settings.with_token()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        Store.open(settings.db).close()  # creates and migrates the file
        worker_pool = pool or make_pool(settings)
        runner = JobRunner(settings.db, worker_pool, timeout=settings.extraction_timeout,
                           max_attempts=settings.max_attempts)
        runner.start()
        app.state.runner = runner
        app.state.stores = StorePool(settings.db)
        threading.Thread(target=segment, args=("预热分词",), daemon=True).start()  # load jieba's dictionary now
        if hasattr(worker_pool, "warm_up"):  # start the worker processes now, not at the first upload
            threading.Thread(target=worker_pool.warm_up, daemon=True).start()
        if runner.recovered.get("requeued") or runner.recovered.get("failed"):
            log.warning("jobs interrupted by the last stop: %s", runner.recovered)
        if announce:
            print(announcement(settings, generated), file=sys.stderr, flush=True)
        try:
            yield
        finally:
            runner.stop()  # jobs still running go back to the queue
            worker_pool.shutdown()  # and their extractions are ended
            app.state.stores.close()

    app = FastAPIOffline(title="bulletin-extract", version="1", redoc_url=None, static_url=DOCS_ASSETS,
                  description="Upload Chinese government work bulletins (PDF), search the figures, dates, people, "
                              "places and organisations extracted from them, and export datasets. Writes need the "
                              "bearer token; errors are "
                              "`{\"ok\": false, \"error\": …, \"error_zh\": …, \"status\": N}` "
                              "(error_zh: the message in Chinese). The web page is at `/`.",
                  lifespan=lifespan)
    app.state.settings = settings
    _install_redoc(app)
    errors.install(app)
    app.add_middleware(UploadLimit, max_bytes=settings.max_upload_bytes)

    @app.middleware("http")
    async def token_cookie(request: Request, call_next):
        """Opening the printed URL (…?token=…) keeps the token in a cookie for reads in the browser."""
        response = await call_next(request)
        token = request.query_params.get("token")
        if token and hmac.compare_digest(token.encode(), (settings.api_token or "").encode()):
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response

    api = APIRouter(prefix=API)
    for module in (documents, jobs, figures, entities, dates, export):
        api.include_router(module.router)

    @api.get("/health", tags=["service"], summary="Liveness and the row counts")
    def health(store: Store = Depends(get_store), _=Depends(require_read)) -> dict:
        return {"ok": True, "counts": store.counts()}

    app.include_router(api)
    web.install(app)  # the web page at / (service/web): upload, documents, search, chart, entities

    return app
