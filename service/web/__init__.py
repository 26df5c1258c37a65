"""The web page for people who do not use the API: server-rendered pages (Jinja2) at ``/`` with a
little JavaScript, served by the API's own app.

    上传 /            drag and drop PDFs, upload progress, each job until done or failed
    文件 /documents   the bulletins; /documents/{id}: metadata, sections, the text with its figures,
                      dates and entities marked; /documents/{id}/pages/{n}.png?start=…&end=…: a page
                      image with a span highlighted
    数据检索 /figures  the figure search with the API's filters, facets, pages and exports;
                      /figures/{id}: a figure with its sentence and the page it came from
    图表 /chart       a figure over time or across counties (static/chart.js, SVG, no CDN)
    实体 /entities    people (titles), places (parents), organisations; /entities/{id}

``install(app)`` adds the pages and ``/static``, and answers a browser that opens a wrong address (a
page that does not exist, /entities/abc) with a Chinese error page rather than the API's JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

HERE = Path(__file__).resolve().parent

# What a browser is told when the API's error has no Chinese message (error_zh) of its own.
STATUS_MESSAGES = {400: "网址中的参数有误。", 401: "这里需要令牌：请打开服务器启动时打印的网址（以 ?token=… 结尾）。",
                   403: "令牌不对：请重新打开服务器启动时打印的网址。", 404: "没有这个页面：网址可能输错了，或者内容已被删除。",
                   405: "这个网址不能这样打开。", 422: "网址中的参数有误。"}
NOT_PAGES = ("/api/", "/static/", "/docs", "/redoc", "/openapi")


def wants_page(request: Request) -> bool:
    """A browser opening an address of the web page (not the API, its docs or a file)."""
    path = request.url.path
    return (request.method == "GET" and "text/html" in request.headers.get("accept", "")
            and not path.startswith(NOT_PAGES))


def install(app: FastAPI) -> None:
    from service.web.routes import error_page, router

    app.include_router(router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def html_instead(json_handler):
        async def handler(request: Request, exc: Exception):
            response = await json_handler(request, exc)
            if not wants_page(request):
                return response
            try:
                body = json.loads(bytes(response.body))
            except (ValueError, AttributeError):
                body = {}
            if isinstance(exc, StarletteHTTPException) and exc.status_code == 404 and exc.detail == "Not Found":
                # no route at all: the API's "no such address (see /docs)" is for programs, not readers
                message = STATUS_MESSAGES[404]
            else:
                message = body.get("error_zh") or STATUS_MESSAGES.get(response.status_code, "出错了，请返回首页重试。")
            return error_page(request, response.status_code, message)
        return handler

    for exc_class in (StarletteHTTPException, RequestValidationError):
        if exc_class in app.exception_handlers:
            app.exception_handlers[exc_class] = html_instead(app.exception_handlers[exc_class])
