"""The web page on a phone (390×844) and on a laptop (1366×768), in Debian's Chromium driven by Playwright
against a real server: on every page nothing is wider than the screen (wide tables scroll inside their
own box), the header's links are readable (each on one line, inside the screen, not covering the title),
and tapping a figure shows its source where the reader is. Every page is saved as a screenshot at both
sizes in screenshots/ (git-ignored) to be looked at."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from service.store import Store
from service.synthetic import synthetic_extraction
from service.testing import ServerProcess
from tests.conftest import sample_path
from tests.test_chart import JUNE, MAY, bulletin
from tests.test_web_browser import ARGS, CHROMIUM, SCREENSHOTS, browser  # noqa: F401 - the browser fixture

TOKEN = "phone-test-token"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory, extracted):
    db = tmp_path_factory.mktemp("phone") / "bulletins.db"
    with Store.open(db) as store:
        doc_a = store.save_extraction(extracted("a"), sample_path("a").read_bytes())
        store.save_extraction(synthetic_extraction(2, figures=30, seed=2))
        store.save_extraction(bulletin(MAY, dt.date(2023, 6, 5), 5))
        store.save_extraction(bulletin(JUNE, dt.date(2023, 7, 5), 6))
        figure = store.conn.execute("SELECT id FROM figures WHERE document_id = ? AND table_index IS NULL "
                                    "ORDER BY id LIMIT 1", (doc_a,)).fetchone()[0]
        person = store.conn.execute("SELECT id FROM entities WHERE type = 'PERSON' ORDER BY id LIMIT 1").fetchone()[0]
        store.submit_job(kind="upload", sha256="1" * 64, file_name="坏文件.pdf", pdf=b"%PDF-1.4 broken")
        job = store.conn.execute("SELECT id FROM jobs WHERE file_name = '坏文件.pdf'").fetchone()[0]
        store.claim_job()
        store.fail_job(job, "the PDF is corrupt: no pages")
    with ServerProcess(db, token=TOKEN, workers=1) as server:
        yield server, doc_a, figure, person


def pages(doc_a: int, figure: int, person: int) -> list[tuple[str, str]]:
    return [
        ("upload", "/"),
        ("documents", "/documents"),
        ("document", f"/documents/{doc_a}"),
        ("figures", "/figures?q=筛查"),
        ("figures-none", "/figures?q=没有这样的词语组合"),
        ("figure", f"/figures/{figure}"),
        ("chart-counties", "/chart?q=投资&unit=元"),
        ("chart-time", "/chart?q=投资&unit=元&mode=time&place=隆回县"),
        ("entities", "/entities"),
        ("places", "/entities?type=PLACE"),
        ("entity", f"/entities/{person}"),
        ("error", "/entities/abc"),
    ]


def check_fits(pg, width: int, name: str) -> None:
    scroll_width = pg.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{name}: the page is {scroll_width} px wide on a {width} px screen"
    links = pg.locator("header.top a")
    assert links.count() == 7
    title = pg.locator("main h1, main .crumbs").first.bounding_box()
    for i in range(links.count()):
        link = links.nth(i)
        box = link.bounding_box()
        text = link.inner_text().strip()
        size = float(pg.evaluate("e => parseFloat(getComputedStyle(e).fontSize)", link.element_handle()))
        assert size >= 14, f"{name}: header link {text} is {size} px"
        assert 0 <= box["x"] and box["x"] + box["width"] <= width, f"{name}: header link {text} is off the screen"
        lines = pg.evaluate("e => { const s = getComputedStyle(e); return (e.getBoundingClientRect().height - "
                            "parseFloat(s.paddingTop) - parseFloat(s.paddingBottom)) / parseFloat(s.lineHeight); }",
                            link.element_handle())
        assert lines < 1.5, f"{name}: header link {text} breaks over {lines:.1f} lines"
        ems = sum(1 if ord(c) > 0x2E80 else 0.5 for c in text)  # a Chinese character is 1 em wide
        assert box["width"] >= 0.9 * size * ems, f"{name}: header link {text} is squeezed"
        if title:
            assert box["y"] + box["height"] <= title["y"] + 1, f"{name}: the header covers the title"


@pytest.mark.parametrize("size_name,viewport", [("phone", PHONE), ("laptop", LAPTOP)])
def test_every_page_fits_the_screen(browser, site, size_name, viewport):  # noqa: F811
    server, doc_a, figure, person = site
    context = browser.new_context(viewport=viewport, locale="zh-CN", device_scale_factor=1,
                                  is_mobile=size_name == "phone", has_touch=size_name == "phone")
    errors: list[str] = []
    missing: list[str] = []
    try:
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.on("response", lambda r: missing.append(r.url) if r.status == 404 and "/entities/abc" not in r.url else None)
        SCREENSHOTS.mkdir(exist_ok=True)
        for name, path in pages(doc_a, figure, person):
            pg.goto(server.url + path)
            pg.wait_for_load_state("load")
            if name.startswith("chart"):
                pg.wait_for_selector("#chart svg")
            if name == "figure":
                pg.wait_for_function("() => { const i = document.getElementById('page-image'); "
                                     "return i && i.complete && i.naturalWidth > 800; }", timeout=60_000)
            check_fits(pg, viewport["width"], name)
            if name == "figures-none":  # no empty facet box, and the table takes the whole width
                assert pg.locator("aside.facets").count() == 0
                table, main = (pg.locator(s).bounding_box()["width"] for s in ("#figures-table", "main"))
                assert table >= main - 60, f"the empty results table is {table} px in a {main} px page"
            pg.screenshot(path=str(SCREENSHOTS / f"{size_name}-{name}.png"))
            if name in ("figures", "chart-counties", "upload"):  # the whole page too, to look at the tables
                pg.screenshot(path=str(SCREENSHOTS / f"{size_name}-{name}-full.png"), full_page=True)
        assert errors == [] and missing == []  # no script errors, no favicon 404
    finally:
        context.close()


def test_tapping_a_figure_on_a_phone_shows_its_source_in_view(browser, site):  # noqa: F811
    server, doc_a, _, _ = site
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    try:
        pg = context.new_page()
        pg.goto(f"{server.url}/documents/{doc_a}")
        mark = pg.locator("#doc-text mark[data-figure]").nth(5)
        mark.scroll_into_view_if_needed()
        text = mark.inner_text()
        mark.tap()
        body = pg.locator("#source-body")
        body.wait_for(state="visible")
        pg.wait_for_function("() => { const i = document.getElementById('src-image'); "
                             "return i && i.complete && i.naturalWidth > 800; }", timeout=60_000)
        box = pg.locator("#src-text").bounding_box()
        assert pg.locator("#src-text").inner_text() == text
        assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"], "the source is off the screen"
        figure_box = mark.bounding_box()
        assert 0 <= figure_box["y"] < pg.locator("#source").bounding_box()["y"], "the panel hides the figure"
        # the page image is shown at its rendered size (readable), not squeezed into the panel
        shown = pg.evaluate("document.getElementById('src-image').clientWidth")
        assert shown >= 800, f"the PDF page is {shown} px wide"
        assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        pg.screenshot(path=str(SCREENSHOTS / "phone-document-source.png"))
        pg.click("#source-close")
        assert not body.is_visible()
    finally:
        context.close()


def test_dropping_a_file_without_the_token_says_how_to_get_it(browser, site):  # noqa: F811
    server = site[0]
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        pg = context.new_page()
        pg.goto(server.url + "/")
        pg.evaluate("""() => {
            const dt = new DataTransfer();
            dt.items.add(new File([new Uint8Array([37, 80, 68, 70])], 'a.pdf', {type: 'application/pdf'}));
            document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
        }""")
        message = pg.locator("#drop-message")
        assert message.is_visible()
        said = message.inner_text()
        assert "令牌" in said and "?token=" in said and "没有上传" in said
        assert re.search(r"[\u4e00-\u9fff]", said)
        pg.screenshot(path=str(SCREENSHOTS / "phone-upload-no-token.png"))
    finally:
        context.close()
