"""The web page (service/web) over HTTP: each page answers 200 in Chinese with what it should show,
from a store holding sample a (with its PDF) and a synthetic bulletin (people, places, organisations);
the page image endpoint returns a PNG with the figure's boxes drawn; the upload token reaches the page."""

from __future__ import annotations

import io
import json
import re
from concurrent.futures import Future

import pytest
from fastapi.testclient import TestClient

from service.api.main import create_app
from service.settings import Settings
from service.store import Store
from service.synthetic import synthetic_extraction
from tests.conftest import sample_path

TOKEN = "web-test-token"


class NoPool:
    """No extraction processes: these tests store their documents directly."""

    size = 1

    def submit(self, data, file_name, timeout) -> Future:  # pragma: no cover - no uploads here
        raise RuntimeError("no extractions in these tests")

    def shutdown(self) -> None:
        pass


@pytest.fixture(scope="module")
def stored(tmp_path_factory, extracted):
    db = tmp_path_factory.mktemp("web") / "bulletins.db"
    with Store.open(db) as store:
        doc_a = store.save_extraction(extracted("a"), sample_path("a").read_bytes())
        doc_s = store.save_extraction(synthetic_extraction(2, figures=30, seed=2))
    return db, doc_a, doc_s


@pytest.fixture(scope="module")
def client(stored):
    app = create_app(Settings(db=stored[0], api_token=TOKEN, workers=1), pool=NoPool(), announce=False)
    with TestClient(app) as c:
        yield c


def rows(html: str) -> list[str]:
    return re.findall(r'<tr data-id="(\d+)"', html)


def test_the_upload_page_and_the_token(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    for text in ("上传简报", "把 PDF 文件拖到这里", "上传需要令牌", 'href="/documents"', 'href="/figures"', 'href="/chart"',
                 'href="/entities"', "/static/style.css", "/static/app.js"):
        assert text in html, text
    assert 'data-token=""' in html  # no token without the printed URL
    # the printed URL's ?token= gives the page the token (and the cookie); the cookie alone does too
    opened = client.get("/", params={"token": TOKEN})
    assert f'data-token="{TOKEN}"' in opened.text and opened.cookies.get("bulletin_token") == TOKEN
    assert f'data-token="{TOKEN}"' in client.get("/documents").text
    client.cookies.clear()
    assert 'data-token=""' in client.get("/", params={"token": "wrong"}).text
    client.cookies.clear()


def test_the_jobs_are_listed_with_their_status(client, stored):
    db, doc_a, _ = stored
    with Store.open(db) as store:
        store.submit_job(kind="upload", sha256="0" * 64, file_name="坏文件.pdf", pdf=b"%PDF-1.4 broken")
        job = store.conn.execute("SELECT id FROM jobs WHERE file_name = '坏文件.pdf'").fetchone()[0]
        store.claim_job()
        store.fail_job(job, "the PDF is corrupt: no pages")
    html = client.get("/").text
    assert "坏文件.pdf" in html and "失败" in html and "the PDF is corrupt: no pages" in html


def test_the_documents_list_and_a_document(client, stored, extracted):
    _, doc_a, _ = stored
    x = extracted("a")
    listed = client.get("/documents")
    assert listed.status_code == 200
    assert x.document.metadata.issuer in listed.text and f'href="/documents/{doc_a}"' in listed.text
    assert "共 2 份" in listed.text
    page = client.get(f"/documents/{doc_a}")
    assert page.status_code == 200
    html = page.text
    for s in x.document.metadata.sections:
        assert f'href="#at-{s.start}">{s.title}</a>' in html
    marks = re.findall(r'data-figure="(\d+)"', html)
    assert len(marks) == len([f for f in x.figures if f.table is None])
    assert html.count('class="hl hl-date"') >= len(x.dates) - 2  # a date inside a figure stays a figure
    figures = json.loads(re.search(r'<script type="application/json" id="figures-data">(.*?)</script>', html,
                                   re.S).group(1))
    assert len(figures) == len(x.figures)
    first = x.figures[0]
    assert f">{first.text}</mark>" in html
    assert client.get("/documents/9999").status_code == 404


def test_the_figure_search_its_facets_pages_and_exports(client, stored):
    _, doc_a, _ = stored
    params = {"q": "筛查", "place": "城步苗族自治县"}
    html = client.get("/figures", params=params).text
    api = client.get("/api/v1/figures", params={**params, "limit": 1000}).json()
    assert api["count"] >= 3
    assert rows(html) == [str(f["id"]) for f in api["items"]]
    assert f'data-count="{api["count"]}"' in html
    for fmt in ("csv", "xlsx", "jsonl"):
        link = re.search(rf'id="export-{fmt}" href="([^"]+)"', html).group(1).replace("&amp;", "&")
        exported = client.get(link)
        assert exported.status_code == 200 and exported.headers["x-row-count"] == str(api["count"]), fmt
    csv_link = re.search(r'id="export-csv" href="([^"]+)"', html).group(1)
    assert "bom=true" in csv_link
    for facet in ("地点", "单位", "类别", "月份"):
        assert f"<h3>{facet}</h3>" in html
    # pages: 20 a page over everything, the second page continues where the first stopped
    everything = client.get("/api/v1/figures", params={"limit": 1000}).json()
    first = client.get("/figures", params={"limit": 20}).text
    assert rows(first) == [str(f["id"]) for f in everything["items"][:20]]
    nxt = re.search(r'href="/figures\?([^"]+)" id="next-page"', first).group(1).replace("&amp;", "&")
    second = client.get("/figures?" + nxt).text
    assert rows(second) == [str(f["id"]) for f in everything["items"][20:40]]
    # a bad filter is said on the page, in Chinese, with the API's reason
    bad = client.get("/figures", params={"min_value": "很多"})
    assert bad.status_code == 200 and "检索条件有误" in bad.text and "min_value" in bad.text


def test_a_figure_with_its_sentence_and_page_image(client, stored, extracted):
    _, doc_a, _ = stored
    x = extracted("a")
    api = client.get("/api/v1/figures", params={"document": doc_a, "q": "筛查"}).json()["items"][0]
    html = client.get(f"/figures/{api['id']}").text
    assert f'<mark class="hl hl-figure">{api["text"]}</mark>' in html
    src = f'/documents/{doc_a}/pages/{api["page"]}.png?start={api["start"]}&amp;end={api["end"]}'
    assert src in html and f'/api/v1/documents/{doc_a}/pdf#page={api["page"]}' in html
    assert client.get("/figures/999999").status_code == 404


def test_the_page_image_has_the_figure_boxed(client, stored, extracted):
    from PIL import Image, ImageChops

    _, doc_a, doc_s = stored
    f = extracted("a").figures[0]
    plain = client.get(f"/documents/{doc_a}/pages/{f.page}.png")
    marked = client.get(f"/documents/{doc_a}/pages/{f.page}.png", params={"start": f.start, "end": f.end})
    assert plain.status_code == marked.status_code == 200
    assert marked.headers["content-type"] == "image/png" and marked.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert int(marked.headers["x-highlight-boxes"]) >= 1 and plain.headers["x-highlight-boxes"] == "0"
    a, b = Image.open(io.BytesIO(plain.content)), Image.open(io.BytesIO(marked.content))
    assert a.size == b.size and a.size[0] > 800
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox()
    assert diff is not None
    # the changed area is around the figure's box (points × the scale of 1.5)
    box = [bb for p, bb in __import__("extractor").read_document(sample_path("a").read_bytes()).text_map.bboxes(
        f.start, f.end) if p == f.page][0]
    assert abs(diff[0] - box.x0 * 1.5) < 12 and abs(diff[1] - box.top * 1.5) < 12
    assert client.get(f"/documents/{doc_a}/pages/99.png").status_code == 404
    assert client.get(f"/documents/{doc_s}/pages/1.png").status_code == 404  # stored without a PDF


def test_the_chart_across_counties_and_over_time(client):
    """Each point is one figure of the search (service/chart.py; tests/test_chart.py checks the rule on
    a bulletin written for it): named counties, each point's figure listed under the chart."""
    html = client.get("/chart", params={"q": "城镇新增就业", "unit": "人", "mode": "county"}).text
    points = json.loads(re.search(r'id="chart-data">(.*?)</script>', html, re.S).group(1))
    assert points and not any(re.fullmatch(r"\d+", p["label"]) for p in points)
    assert [p["value"] for p in points] == sorted((p["value"] for p in points), reverse=True)
    assert "/static/chart.js" in html and "MiniChart.bars" in html and 'id="chart-rule"' in html
    api = client.get("/api/v1/figures", params={"q": "城镇新增就业", "unit": "人", "limit": 1000}).json()["items"]
    values = {f["id"]: f["value"] for f in api}
    for p in points:
        assert values[p["figure"]["id"]] == p["value"]  # a figure the search found, as it is
    assert len({p["key"] for p in points}) == len(points)  # one bar a county
    over_time = client.get("/chart", params={"q": "城镇新增就业", "mode": "time"}).text
    months = json.loads(re.search(r'id="chart-data">(.*?)</script>', over_time, re.S).group(1))
    assert [p["key"] for p in months] == sorted(p["key"] for p in months) and months
    assert len({p["key"] for p in months}) == len(months)
    assert 'selected>人</option>' in over_time  # the subject's most frequent unit was chosen
    assert "选择一个主题" in client.get("/chart").text
    assert client.get("/static/chart.js").status_code == 200


def test_people_places_and_organisations(client):
    people = client.get("/entities").text
    assert "王永红" in people and "市委常委、常务副市长" in people
    places = client.get("/entities", params={"type": "PLACE"}).text
    assert "城步苗族自治县" in places and "430529" in places
    orgs = client.get("/entities", params={"type": "ORG", "q": "人社"}).text
    assert "市人社局" in orgs and "市民政局" not in orgs
    person_id = re.search(r'href="/entities/(\d+)">王永红<', people).group(1)
    person = client.get(f"/entities/{person_id}").text
    assert "提到它的文件" in person and "synthetic-2.pdf" in person and 'href="/figures/' in person
    place_id = re.search(r'href="/entities/(\d+)">城步苗族自治县<', places).group(1)
    place = client.get(f"/entities/{place_id}").text
    assert "该地及下辖地区的数字" in place and "筛查" in place  # sample a's figures in 城步 too
    assert client.get("/entities/999999").status_code == 404


def test_protected_reads_need_the_token_on_the_pages_too(stored):
    app = create_app(Settings(db=stored[0], api_token=TOKEN, workers=1, protect_reads=True), pool=NoPool(),
                     announce=False)
    with TestClient(app) as c:
        for path in ("/", "/documents", "/figures", "/chart", "/entities", f"/documents/{stored[1]}"):
            r = c.get(path)
            assert r.status_code == 401 and "令牌" in r.text, path
        assert c.get("/figures", params={"token": TOKEN}).status_code == 200
        assert c.get("/documents").status_code == 200  # the cookie the URL set


def test_wrong_addresses_get_a_chinese_page_not_json(client):
    html = {"accept": "text/html,application/xhtml+xml"}
    for path, says in (("/entities/abc", "不是实体编号"), ("/documents/abc", "不是文件编号"), ("/figures/x1", "不是数字的编号"),
                       ("/no-such-page", "没有这个页面"), ("/documents/9999", "没有编号为 9999 的文件")):
        r = client.get(path, headers=html)
        assert r.status_code in (400, 404, 422) and r.headers["content-type"].startswith("text/html"), path
        assert says in r.text and "出错了" in r.text and '"error"' not in r.text, path
    api = client.get("/api/v1/entities/abc", headers=html)  # the API keeps its JSON
    assert api.headers["content-type"].startswith("application/json") and api.json()["ok"] is False
    assert client.get("/no-such-page").headers["content-type"].startswith("application/json")  # a program


def test_the_favicon_ships_with_the_page(client):
    for path in ("/favicon.ico", "/static/favicon.svg"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml") and b"<svg" in r.content
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/").text


def test_exports_from_the_page_have_chinese_headers_and_no_empty_facets(client):
    html = client.get("/figures", params={"q": "筛查"}).text
    csv_link = re.search(r'id="export-csv" href="([^"]+)"', html).group(1)
    xlsx_link = re.search(r'id="export-xlsx" href="([^"]+)"', html).group(1)
    assert "headers=zh" in csv_link and "bom=true" in csv_link and "headers=zh" in xlsx_link
    assert '<aside class="facets">' in html
    nothing = client.get("/figures", params={"q": "没有这样的词语组合"}).text
    assert "没有符合条件的数字" in nothing and '<aside class="facets">' not in nothing and "no-facets" in nothing


def test_the_source_panel_hint_only_when_there_are_figures(client, stored):
    _, doc_a, _ = stored
    assert "点击正文中" in client.get(f"/documents/{doc_a}").text
    db = stored[0]
    x = synthetic_extraction(9, figures=1, seed=9)
    x.figures = []
    with Store.open(db) as store:
        doc = store.save_extraction(x)
    html = client.get(f"/documents/{doc}").text
    assert "点击正文中" not in html and "没有提取到数字" in html


def test_job_times_have_one_form(client):
    html = client.get("/").text
    times = re.findall(r'<time datetime="[^"]*">([^<]*)</time>', html)
    assert times and all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", t) for t in times)
