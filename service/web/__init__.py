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

``install(app)`` adds the pages and ``/static``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

HERE = Path(__file__).resolve().parent


def install(app: FastAPI) -> None:
    from service.web.routes import router

    app.include_router(router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
