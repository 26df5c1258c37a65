"""The pages of the web interface (Chinese), rendered on the server from ``service.queries``."""

from __future__ import annotations

import hmac
import urllib.parse

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from service import chart as chart_rules
from service import queries
from service.api.deps import TOKEN_COOKIE, get_settings, get_store
from service.settings import Settings
from service.store import Store
from service.web import HERE, data, render

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=HERE / "templates")
# The page's exports have Chinese column headers and readable values (headers=zh); JSON Lines keeps the
# API's machine names for programs.
EXPORT_FORMATS = (("csv", "CSV（Excel 可打开）", {"bom": "true", "headers": "zh"}), ("xlsx", "Excel", {"headers": "zh"}),
                  ("jsonl", "JSON Lines", {}))
PAGE_SIZES = (20, 50, 100, 200)
WEB_PAGE_SIZE = 50


def _num(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


templates.env.filters["num"] = _num
templates.env.filters["mark"] = data.mark_in_sentence
templates.env.filters["short_time"] = data.short_time
templates.env.globals.update(KIND_LABELS=data.KIND_LABELS, ENTITY_LABELS=data.ENTITY_LABELS,
                             JOB_LABELS=data.JOB_LABELS, STATUS_LABELS=data.STATUS_LABELS)


def _valid(token: str | None, settings: Settings) -> bool:
    return bool(token) and hmac.compare_digest(token.encode(), (settings.api_token or "").encode())


def ui_token(request: Request, settings: Settings) -> str | None:
    """The token for the page's uploads when the browser has shown it (the printed URL's ?token=, or
    the cookie that URL set); the page keeps it in localStorage and sends it as a Bearer header."""
    for token in (request.query_params.get("token"), request.cookies.get(TOKEN_COOKIE)):
        if _valid(token, settings):
            return token
    return None


def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    context.setdefault("nav", name.split(".")[0])
    return templates.TemplateResponse(request, name, {"token": ui_token(request, settings), **context},
                                      status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return page(request, "error.html", status=status, message=message, nav="")


def can_read(request: Request, settings: Settings = Depends(get_settings)) -> bool:
    """Reads are open unless BULLETIN_PROTECT_READS; then the page needs the token (header, ?token=
    or the cookie the printed URL sets)."""
    if not settings.protect_reads:
        return True
    auth = request.headers.get("authorization", "")
    bearer = auth[7:] if auth.lower().startswith("bearer ") else None
    return any(_valid(t, settings) for t in (bearer, request.query_params.get("token"),
                                              request.cookies.get(TOKEN_COOKIE)))


LOCKED = "这里的数据需要令牌才能查看：请打开服务器启动时打印的网址（以 ?token=… 结尾）。"


def _query(params: dict, **changes) -> str:
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return urllib.parse.urlencode(merged)


# ---------------------------------------------------------------- upload

@router.get("/favicon.ico")
def favicon():
    return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml",
                        headers={"Cache-Control": "public, max-age=86400"})


@router.get("/", response_class=HTMLResponse)
def upload_page(request: Request, store: Store = Depends(get_store), readable: bool = Depends(can_read),
                settings: Settings = Depends(get_settings)):
    if not readable:
        return error_page(request, 401, LOCKED)
    return page(request, "upload.html", jobs=data.recent_jobs(store.conn), max_mb=settings.max_upload_mb)


# ---------------------------------------------------------------- documents

@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, store: Store = Depends(get_store), readable: bool = Depends(can_read)):
    if not readable:
        return error_page(request, 401, LOCKED)
    params = {k: v for k, v in request.query_params.items() if k in ("issuer", "status", "issued_from",
                                                                       "issued_to", "next")}
    try:
        result = queries.list_documents(store.conn, params, default_limit=WEB_PAGE_SIZE, max_limit=WEB_PAGE_SIZE)
    except queries.BadParameter as e:
        return error_page(request, 400, str(e))
    return page(request, "documents.html", result=result, params=params,
                next_query=_query(params, next=result.next) if result.next else None)


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, store: Store = Depends(get_store),
                  readable: bool = Depends(can_read)):
    if not readable:
        return error_page(request, 401, LOCKED)
    if not doc_id.isdigit():
        return error_page(request, 404, f"“{doc_id}”不是文件编号（应为数字），请从文件列表中打开。")
    doc_id = int(doc_id)
    doc = queries.get_document(store.conn, doc_id)
    if doc is None:
        return error_page(request, 404, f"没有编号为 {doc_id} 的文件。")
    body, figures = data.document_body(store.conn, doc_id)
    return page(request, "document.html", nav="documents", doc=doc, body=body, figures=figures,
                has_pdf=data.has_pdf(store.conn, doc_id))


@router.get("/documents/{doc_id}/pages/{page_no}.png")
def page_image(request: Request, doc_id: int, page_no: int, start: int | None = None, end: int | None = None,
               store: Store = Depends(get_store), readable: bool = Depends(can_read)):
    if not readable:
        return Response(LOCKED, status_code=401, media_type="text/plain; charset=utf-8")
    found = data.document_pdf(store.conn, doc_id)
    if found is None or found[1] is None:
        return Response(f"文件 {doc_id} 不存在或没有保存PDF", status_code=404, media_type="text/plain; charset=utf-8")
    sha256, pdf = found
    try:
        boxes = render.boxes_for(doc_id, sha256, pdf, page_no, start, end)
        png, width, height = render.render_page(pdf, page_no, boxes)
    except IndexError as e:
        return Response(f"第{page_no}页不存在：{e}", status_code=404, media_type="text/plain; charset=utf-8")
    headers = {"Cache-Control": "private, max-age=3600", "X-Highlight-Boxes": str(len(boxes))}
    if boxes:  # where the highlight is, as a share of the page's height: the page scrolls it into view
        headers["X-Highlight-Top"] = f"{min(b.top for b in boxes) / height:.4f}"
        headers["X-Highlight-Left"] = f"{min(b.x0 for b in boxes) / width:.4f}"
    return Response(png, media_type="image/png", headers=headers)


# ---------------------------------------------------------------- figures

def _figure_params(request: Request) -> dict:
    return {k: v.strip() for k, v in request.query_params.items()
            if k in queries.FILTERS["figures"] and v.strip()}


@router.get("/figures", response_class=HTMLResponse)
def figures_page(request: Request, store: Store = Depends(get_store), readable: bool = Depends(can_read)):
    if not readable:
        return error_page(request, 401, LOCKED)
    params = _figure_params(request)
    limit = request.query_params.get("limit") or str(WEB_PAGE_SIZE)
    if not limit.isdigit() or int(limit) not in PAGE_SIZES:
        limit = str(WEB_PAGE_SIZE)
    nxt = request.query_params.get("next")
    error = None
    result = None
    try:
        result = queries.search(store.conn, "figures", {**params, "limit": limit, "facets": "kind,unit,place,month",
                                                        **({"next": nxt} if nxt else {})},
                                max_limit=max(PAGE_SIZES))
    except queries.BadParameter as e:
        error = str(e)
    export_query = _query(params)
    exports = [(fmt, label, f"/api/v1/export/figures.{fmt}?{_query(params, **extra)}")
               for fmt, label, extra in EXPORT_FORMATS]
    page_params = {**params, "limit": limit if limit != str(WEB_PAGE_SIZE) else None}
    facets = {name: [v for v in values if v.get("value") not in (None, "")]
              for name, values in (result.facets.items() if result else ())}
    return page(request, "figures.html", params=params, result=result, facets=facets, error=error, exports=exports,
                export_query=export_query, limit=int(limit), page_sizes=PAGE_SIZES, paged=bool(nxt),
                next_query=_query(page_params, next=result.next) if result and result.next else None,
                first_query=_query(page_params), facet_query=lambda changes: _query(page_params, next=None, **changes),
                units=data.distinct(store.conn, "unit", 100), places=data.distinct(store.conn, "place", 300),
                subjects=data.distinct(store.conn, "subject", 200))


@router.get("/figures/{figure_id}", response_class=HTMLResponse)
def figure_page(request: Request, figure_id: str, store: Store = Depends(get_store),
                readable: bool = Depends(can_read)):
    if not readable:
        return error_page(request, 401, LOCKED)
    if not figure_id.isdigit():
        return error_page(request, 404, f"“{figure_id}”不是数字的编号（应为数字），请从数据检索中打开。")
    f = data.figure(store.conn, int(figure_id))
    if f is None:
        return error_page(request, 404, f"没有编号为 {figure_id} 的数字。")
    return page(request, "figure.html", nav="figures", f=f, has_pdf=data.has_pdf(store.conn, f["document_id"]),
                sentence=data.mark_in_sentence(f["sentence"], f["text"]))


# ---------------------------------------------------------------- chart

@router.get("/chart", response_class=HTMLResponse)
def chart_page(request: Request, store: Store = Depends(get_store), readable: bool = Depends(can_read)):
    if not readable:
        return error_page(request, 401, LOCKED)
    params = _figure_params(request)
    mode = request.query_params.get("mode") if request.query_params.get("mode") in ("time", "county") else "county"
    basis = request.query_params.get("basis") if request.query_params.get("basis") in chart_rules.BASES else None
    units = data.distinct(store.conn, "unit", 100)
    error = None
    result = None
    if params.get("q") and not params.get("unit"):
        try:  # the unit the subject is most often counted in
            top = queries.search(store.conn, "figures", {**params, "limit": "1", "facets": "unit"}).facets["unit"]
            if top:
                params["unit"] = top[0]["value"]
        except queries.BadParameter as e:
            error = str(e)
    if params.get("unit") and not error:
        try:
            result = data.chart(store.conn, params, mode, basis)
        except queries.BadParameter as e:
            error = str(e)
    return page(request, "chart.html", params=params, mode=mode, basis=basis, bases=chart_rules.BASES, units=units,
                subjects=data.distinct(store.conn, "subject", 200), chart=result, error=error,
                rule=chart_rules.rule(mode, result.place if result else None), search_query=_query(params))


# ---------------------------------------------------------------- entities

@router.get("/entities", response_class=HTMLResponse)
def entities_page(request: Request, store: Store = Depends(get_store), readable: bool = Depends(can_read)):
    if not readable:
        return error_page(request, 401, LOCKED)
    etype = request.query_params.get("type") or "PERSON"
    if etype not in data.ENTITY_LABELS:
        etype = "PERSON"
    q = (request.query_params.get("q") or "").strip()
    params = {"type": etype, "sort": "-mentions", "limit": str(WEB_PAGE_SIZE), **({"q": q} if q else {})}
    nxt = request.query_params.get("next")
    try:
        result = queries.search(store.conn, "entities", {**params, **({"next": nxt} if nxt else {})},
                                max_limit=WEB_PAGE_SIZE)
    except queries.BadParameter as e:
        return error_page(request, 400, str(e))
    titles = data.person_titles(store.conn, [e["id"] for e in result.items]) if etype == "PERSON" else {}
    counts = {t: queries.count(store.conn, "entities", {"type": t}) for t in data.ENTITY_LABELS}
    base = {"type": etype, "q": q}
    return page(request, "entities.html", etype=etype, q=q, result=result, titles=titles, counts=counts,
                next_query=_query(base, next=result.next) if result.next else None, paged=bool(nxt))


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str, store: Store = Depends(get_store),
                readable: bool = Depends(can_read)):
    if not readable:
        return error_page(request, 401, LOCKED)
    if not entity_id.isdigit():
        return error_page(request, 404, f"“{entity_id}”不是实体编号（应为数字），请从实体列表中打开。")
    entity = queries.get_entity(store.conn, int(entity_id))
    if entity is None:
        return error_page(request, 404, f"没有编号为 {entity_id} 的实体。")
    documents: dict[int, dict] = {}
    for m in entity["mentions"]:
        d = documents.setdefault(m["document_id"], {"id": m["document_id"], "file_name": m["file_name"],
                                                    "issuer": m["issuer"], "issue_date": m["issue_date"],
                                                    "mentions": []})
        d["mentions"].append(m)
    titles = sorted({m["title"] for m in entity["mentions"] if m.get("title")})
    return page(request, "entity.html", nav="entities", entity=entity, documents=list(documents.values()),
                titles=titles, figures=data.entity_figures(store.conn, entity))
