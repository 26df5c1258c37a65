"""The web page end to end in a real browser: Playwright driving Debian's Chromium (headless) against a
real server. It drops sample a on the upload area, waits for its extraction, opens the document and a
figure's source, searches a Chinese keyword in one county, downloads the CSV and checks its rows are
the rows on the screen, draws a chart and lists the people. Each page is saved as a 1366×768
screenshot in screenshots/ (git-ignored; see the README).

Chromium is not downloaded (``playwright install`` cannot run here): the test uses /usr/bin/chromium,
which scripts/run.sh installs with apt-get (packages chromium and fonts-noto-cjk)."""

from __future__ import annotations

import base64
import csv
import io
import os
import re
from pathlib import Path

import pytest

from service.store import Store
from service.synthetic import synthetic_extraction
from service.testing import ServerProcess
from tests.conftest import ROOT, sample_path

CHROMIUM = os.environ.get("BULLETIN_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "screenshots"
TOKEN = "browser-test-token"
VIEWPORT = {"width": 1366, "height": 768}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
KEYWORD, COUNTY = "筛查", "城步苗族自治县"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser test needs Debian's Chromium and a CJK font "
                    "(apt-get install chromium fonts-noto-cjk; scripts/run.sh test does it when run as root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install -e '.[test]' (scripts/run.sh test does it)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "bulletins.db"
    # a second, synthetic bulletin (no PDF) with people, places and organisations for the entity pages
    with Store.open(db) as store:
        store.save_extraction(synthetic_extraction(2, figures=30, seed=2))
    with ServerProcess(db, token=TOKEN, workers=1) as s:
        yield s


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors
    yield pg
    context.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def image_loaded(page, selector: str) -> None:
    page.wait_for_function(f"() => {{ const i = document.querySelector('{selector}'); "
                           "return i && i.complete && i.naturalWidth > 800; }", timeout=60_000)


def test_upload_follow_search_check_and_export(page, server, tmp_path):
    url = server.url
    # the printed URL's token is kept by the page, and taken out of the address bar
    page.goto(f"{url}/?token={TOKEN}")
    assert page.locator("#token-ok").is_visible() and not page.locator("#token-missing").is_visible()
    assert "token=" not in page.url
    assert page.evaluate("localStorage.getItem('bulletin_token')") == TOKEN

    # drag and drop sample a; a broken "PDF" chosen with the file picker fails with its reason
    data = base64.b64encode(sample_path("a").read_bytes()).decode()
    page.evaluate("""([name, b64]) => {
        const bin = atob(b64), bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], name, {type: 'application/pdf'}));
        document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
    }""", ["bulletin-a.pdf", data])
    page.set_input_files("#files", files=[{"name": "损坏的文件.pdf", "mimeType": "application/pdf",
                                           "buffer": b"%PDF-1.4\nnot really a PDF"}])
    done = page.locator("#jobs tr[data-status='done']", has_text="bulletin-a.pdf")
    done.wait_for(timeout=120_000)
    failed = page.locator("#jobs tr[data-status='failed']", has_text="损坏的文件.pdf")
    failed.wait_for()
    assert failed.locator(".reason").inner_text().strip()
    assert done.locator("progress").get_attribute("value") == "100"
    shot(page, "1-upload")
    # after a reload both rows are still there (the refused upload kept by the browser, with its reason),
    # and every time is in one form
    page.reload()
    kept = page.locator("#jobs tr[data-status='failed']", has_text="损坏的文件.pdf")
    assert kept.count() == 1 and kept.locator(".reason").inner_text().strip()
    assert done.count() == 1
    times = page.locator("#jobs time").all_inner_texts()
    assert times and all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", t) for t in times), times

    # the document: metadata, sections, the text with its figures marked; a figure's source in the panel
    done.get_by_role("link", name="查看文件").click()
    page.wait_for_selector("#doc-text mark[data-figure]")
    assert page.locator(".doc-meta").get_by_text("邵阳市打好重点民生保障仗工作专班").count() >= 1
    assert page.locator(".sections").get_by_text("区县动态").count() == 1
    mark = page.locator("#doc-text mark[data-figure]").first
    figure_text = mark.inner_text()
    mark.click()
    assert page.locator("#src-text").inner_text() == figure_text
    assert figure_text in page.locator("#src-sentence").inner_text()
    image_loaded(page, "#src-image")
    shot(page, "2-document")

    page.goto(f"{url}/documents")
    assert page.locator("table.grid tbody tr").count() == 2
    shot(page, "3-documents")

    # search a Chinese keyword, filter by county
    page.get_by_role("link", name="数据检索").click()
    page.fill("input[name=q]", KEYWORD)
    page.fill("input[name=place]", COUNTY)
    page.get_by_role("button", name="检索").click()
    page.wait_for_url("**/figures?*")
    table_rows = page.locator("#figures-table tbody tr[data-id]")
    shown = [(r.get_attribute("data-id"), r.locator(".c-text").inner_text().strip(),
              r.locator(".c-place").inner_text().strip(), r.locator(".c-sentence").inner_text().strip())
             for r in table_rows.all()]
    count = int(page.locator("#result-count").get_attribute("data-count"))
    assert 3 <= len(shown) == count
    assert all(place == COUNTY and KEYWORD in sentence for _, _, place, sentence in shown)
    shot(page, "4-figures")

    # the CSV for Excel holds exactly the rows on the screen
    with page.expect_download() as info:
        page.click("#export-csv")
    path = tmp_path / "figures.csv"
    info.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    # the page's CSV has Chinese column headers (headers=zh): matched by values, whatever the names
    exported = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))[1:]
    assert len(exported) == len(shown)
    for row, (fid, text, place, sentence) in zip(exported, shown):
        assert fid in row and text in row and place in row and sentence in row, (row, text)

    # a figure's source: its sentence and the PDF page with the figure boxed
    first_id, first_text = shown[0][0], shown[0][1]
    table_rows.first.get_by_role("link", name="来源").click()
    page.wait_for_url(f"**/figures/{first_id}")
    assert page.locator("#figure-sentence mark").inner_text() == first_text
    image_loaded(page, "#page-image")
    shot(page, "5-figure-source")

    # a chart: one subject and unit across the counties, and over time
    page.get_by_role("link", name="图表").click()
    page.fill("input[name=q]", "就业")
    page.select_option("select[name=unit]", "人")
    page.get_by_role("button", name="画图").click()
    page.wait_for_selector("#chart svg rect.bar")
    assert page.locator("#chart svg rect.bar").count() >= 2
    shot(page, "6-chart-counties")
    page.select_option("select[name=mode]", "time")
    page.get_by_role("button", name="画图").click()
    page.wait_for_selector("#chart svg circle.dot")
    shot(page, "7-chart-time")

    # people with their titles, and one person's documents and figures
    page.get_by_role("link", name="实体").click()
    assert page.locator("table.grid tbody tr").count() >= 2
    shot(page, "8-entities")
    page.get_by_role("link", name="王永红").click()
    page.wait_for_selector("text=提到它的文件")
    assert page.locator("table.figures tbody tr").count() >= 1
    shot(page, "9-entity")

    assert page.errors == []  # no JavaScript errors on any page


def test_without_a_token_the_upload_area_says_how_to_get_one(browser, server):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    try:
        pg = context.new_page()
        pg.goto(server.url + "/")
        notice = pg.locator("#token-missing")
        assert notice.is_visible() and "?token=" in notice.inner_text()
        assert pg.locator("#files").is_disabled()
        shot(pg, "0-upload-no-token")
        pg.fill("#token-input", TOKEN)
        pg.click("#token-form button")
        assert pg.locator("#token-ok").is_visible() and pg.locator("#files").is_enabled()
    finally:
        context.close()
