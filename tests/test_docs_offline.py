"""The API docs work on an intranet with no internet: /docs (Swagger UI) and /redoc (ReDoc) load their
scripts and styles from the server (the fastapi-offline package), so they render in Debian's Chromium
with every request outside the server blocked. ``bulletin serve`` prints the web page's URL first and
the docs' second, both with the token."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.api.main import create_app
from service.settings import Settings
from service.testing import ServerProcess
from service.worker import InlinePool

CHROMIUM = os.environ.get("BULLETIN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
TOKEN = "docs-test-token"


def test_the_docs_pages_name_no_outside_address(tmp_path):
    app = create_app(Settings(db=tmp_path / "d.db", api_token=TOKEN), pool=InlinePool(), announce=False)
    with TestClient(app) as c:
        for path in ("/docs", "/redoc"):
            html = c.get(path).text
            assets = re.findall(r"""(?:src|href)=["']([^"']+)["']|url:\s*['"]([^'"]+)['"]""", html)
            urls = [a or b for a, b in assets]
            assert urls and all(u.startswith("/") for u in urls), (path, urls)
            for url in urls:
                assert c.get(url).status_code == 200, url
        assert "cdn" not in c.get("/docs").text.lower()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("docs") / "bulletins.db"
    with ServerProcess(db, token=TOKEN, workers=1) as s:
        yield s


@pytest.mark.slow
def test_serve_prints_the_web_page_first_and_the_docs_second(server):
    log = server.log()
    page = log.find(f"{server.url}/?token={TOKEN}")
    docs = log.find(f"{server.url}/docs?token={TOKEN}")
    assert 0 <= page < docs, log


@pytest.mark.slow
@pytest.mark.parametrize("path, rendered", [
    ("/docs", ".swagger-ui .information-container .title"),
    ("/redoc", "h1"),
])
def test_docs_render_in_chromium_with_the_internet_blocked(server, path, rendered):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk (scripts/run.sh test does it)")
    from playwright.sync_api import sync_playwright

    outside: list[str] = []

    def only_the_server(route):
        url = route.request.url
        if url.startswith(server.url + "/") or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort("internetdisconnected")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            context.route("**/*", only_the_server)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{server.url}{path}?token={TOKEN}")
            title = page.wait_for_selector(rendered, timeout=30_000)
            assert "bulletin-extract" in title.inner_text()
            if path == "/docs":  # the operations are listed: the OpenAPI document was loaded and drawn
                page.wait_for_selector(".opblock", timeout=30_000)
                assert page.locator(".opblock").count() >= 10
                assert page.locator(".opblock-summary-path", has_text="/api/v1/figures").count() >= 1
            else:
                page.get_by_text("/api/v1/figures", exact=True).first.wait_for(timeout=30_000)
            assert not errors, errors
        finally:
            browser.close()
    assert outside == [], f"the docs asked for outside addresses: {outside}"
