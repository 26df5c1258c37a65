"""Extraction time per document for each input kind, beside the PDF of the same text; and the readers
we chose beside the libraries we measured against them (docs/formats.md).

    python bench/bench_formats.py [--runs N] [--no-ocr]

1. Whole extraction (``extractor.extract``: reading, figures, dates, entities), the median of N runs
   after one warm-up, in one process, and its ratio to the PDF of the same text: bulletin-a.pdf for
   the OFD and the web page, bulletin-b.pdf for the DOCX. The photo (page 1) and the TIFF (pages 1–3)
   are OCR'd: given per page, beside the OCR of a scanned PDF's page (bulletin-c.pdf) timed just after.
2. The reading step alone for the zip kinds, ours beside the libraries (when installed): DOCX by
   extractor/readers/docx.py, python-docx and docx2python; OFD by extractor/readers/ofd.py and ofdkit.
   Each line says what the reader gives (paragraphs, tables, glyph boxes, bold).
Timings on a shared 2-core machine are noisy: compare the ratios, measured in the same process.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLES = ROOT / "samples"

KINDS = [  # (file, the PDF of the same text, pages compared)
    ("bulletin-a.ofd", "bulletin-a.pdf"),
    ("bulletin-b.docx", "bulletin-b.pdf"),
    ("bulletin-a.html", "bulletin-a.pdf"),
    ("bulletin-a.jpg", "bulletin-a.pdf"),
    ("bulletin-a.tif", "bulletin-a.pdf"),
]
OCR_KINDS = {"bulletin-a.jpg", "bulletin-a.tif"}


def timed(func, runs: int) -> float:
    func()  # warm-up: pipelines and the OCR engine load once
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def scanned_pdf_page(pages: int = 3) -> float:
    """OCR of the scanned PDF's (sample c) first pages, per page: what an image's page is compared with."""
    from extractor import ocr
    from extractor.pdf import open_pdf

    engine = ocr.load_engine()
    pdf = open_pdf((SAMPLES / "bulletin-c.pdf").read_bytes())
    try:
        started = time.perf_counter()
        for i in range(pages):
            page = pdf[i]
            ocr.read_page(engine, page, i + 1)
            page.close()
        return (time.perf_counter() - started) / pages
    finally:
        pdf.close()


def whole(runs: int, ocr: bool) -> None:
    from extractor import extract

    print(f"1. whole extraction, median of {runs} runs (s per document; s per page for OCR'd kinds)")
    pdf_times: dict[str, tuple[float, int]] = {}
    for name, pdf in KINDS:
        if name in OCR_KINDS and not ocr:
            continue
        if pdf not in pdf_times:
            data = (SAMPLES / pdf).read_bytes()
            pages = extract(data).document.page_count
            pdf_times[pdf] = (timed(lambda: extract(data), runs), pages)
            print(f"  {pdf:18} {pdf_times[pdf][0]:7.3f} s  ({pages} pages, {pdf_times[pdf][0] / pages:.3f} s a page)")
        data = (SAMPLES / name).read_bytes()
        result = extract(data)
        seconds = timed(lambda: extract(data), 1 if name in OCR_KINDS else runs)
        base, base_pages = pdf_times[pdf]
        pages = result.document.page_count
        if name in OCR_KINDS:
            per_page = seconds / pages
            scanned = scanned_pdf_page()
            print(f"  {name:18} {seconds:7.3f} s  ({pages} OCR'd pages, {per_page:.2f} s a page = "
                  f"{per_page / scanned:.2f}× a scanned PDF's page (bulletin-c.pdf, OCR alone: {scanned:.2f} s))")
        else:
            print(f"  {name:18} {seconds:7.3f} s  = {seconds / base:.2f}× {pdf}  "
                  f"({len(result.figures)} figures, {len(result.dates)} dates)")


def readers(runs: int) -> None:
    print(f"2. reading step alone, median of {runs} runs (ms)")
    docx = (SAMPLES / "bulletin-b.docx").read_bytes()
    from extractor.readers import docx as our_docx

    flow = our_docx.read(docx)
    ours = timed(lambda: our_docx.read(docx), runs)
    tables = sum(1 for i in flow.items if not hasattr(i, "text"))
    print(f"  DOCX ours (readers/docx.py) {ours * 1000:7.1f} ms  {len(flow.items) - tables} paragraphs, {tables} tables, "
          f"bold leads and sizes; parts read capped, XML without DTD")
    try:
        import docx as python_docx

        def read_python_docx():
            d = python_docx.Document(io.BytesIO(docx))
            return [p.text for p in d.paragraphs], [[[c.text for c in r.cells] for r in t.rows] for t in d.tables]

        paras, tabs = read_python_docx()
        t = timed(read_python_docx, runs)
        print(f"  DOCX python-docx            {t * 1000:7.1f} ms  {len([p for p in paras if p.strip()])} paragraphs, "
              f"{len(tabs)} tables (body order of tables and paragraphs not given together); = {t / ours:.1f}× ours")
    except ImportError:
        print("  DOCX python-docx: not installed")
    try:
        from docx2python import docx2python

        def read_docx2python():
            with docx2python(io.BytesIO(docx)) as d:
                return d.body

        try:
            t = timed(read_docx2python, runs)
            print(f"  DOCX docx2python            {t * 1000:7.1f} ms  nested lists of text (tables and paragraphs alike, "
                  f"no sizes); = {t / ours:.1f}× ours")
        except Exception as e:  # noqa: BLE001 - what the library does with the sample is the measurement
            print(f"  DOCX docx2python            fails on the sample: {type(e).__name__} {e} "
                  "(a valid document that declares no r: namespace)")
    except ImportError:
        print("  DOCX docx2python: not installed")

    ofd = (SAMPLES / "bulletin-a.ofd").read_bytes()
    from extractor.readers import ofd as our_ofd

    pages, _, _ = our_ofd.read_pages(ofd)
    ours = timed(lambda: our_ofd.read_pages(ofd), runs)
    glyphs = sum(len(s.chars) for p in pages for s in p.segments)
    print(f"  OFD ours (readers/ofd.py)   {ours * 1000:7.1f} ms  {len(pages)} pages, {glyphs} glyphs each with its box "
          f"(DeltaX), weight, size; rules")
    try:
        import ofdkit

        def read_ofdkit():
            with ofdkit.open(ofd) as d:
                return [p.runs for p in d.pages]

        runs_ = read_ofdkit()
        t = timed(read_ofdkit, runs)
        print(f"  OFD ofdkit                  {t * 1000:7.1f} ms  {sum(len(r) for r in runs_)} text runs (a run's x, y, "
              f"size; no glyph boxes, no weight, no paths); = {t / ours:.1f}× ours")
    except ImportError:
        print("  OFD ofdkit: not installed")


# A second saved page, of another shape, for text the reader was not written on: an older county site
# (table layout, GBK, the byline in a <td>: 作者: … 信息来源: … 发布时间:2010-11-23), from ../shared/devset/more.
HELD_OUT = ROOT.parent / "shared" / "devset" / "more" / "54_duji_shibaxiang_minshenggongcheng.txt"
OLD_SITE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>{title}-杜集区人民政府</title>
<style>td{{font-size:12px}}</style></head><body><table width="980" align="center"><tr><td><img src="banner.jpg"></td></tr>
<tr><td class="nav"><a href="#">网站首页</a> | <a href="#">今日杜集</a> | <a href="#">政务公开</a> | <a href="#">招商引资</a> |
<a href="#">办事指南</a> | <a href="#">公众参与</a></td></tr></table>
<table width="980" align="center"><tr><td width="220" valign="top"><div class="left"><b>今日杜集</b><ul>
<li><a href="#">我区完成造林面积2.3万亩</a></li><li><a href="#">区政府召开第15次常务会议</a></li>
<li><a href="#">全区招商引资到位资金18.6亿元</a></li></ul><b>热点推荐</b><ul><li><a href="#">2010年度民生工程资金公示</a></li></ul></div></td>
<td valign="top"><table width="100%"><tr><td>您现在的位置：<a href="#">首页</a> &gt;&gt; <a href="#">今日杜集</a></td></tr>
<tr><td align="center"><font size="4"><b>{title}</b></font></td></tr>
<tr><td align="center">{byline}　【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</td></tr>
<tr><td class="content">{body}</td></tr>
<tr><td align="right">【<a href="#">打印本页</a>】【<a href="#">关闭窗口</a>】</td></tr></table></td></tr></table>
<table width="980" align="center"><tr><td align="center">版权所有：淮北市杜集区人民政府　地址：淮北市杜集区政务中心3楼　电话：0561-4860001<br>
皖ICP备05001234号　您是第 1234567 位访问者</td></tr></table></body></html>"""
CHROME = ["网站首页", "2.3万亩", "18.6亿元", "第15次", "资金公示", "您现在的位置", "打印本页", "0561-4860001", "皖ICP备", "1234567"]


def held_out_page() -> tuple[bytes, list[str], str]:
    lines = [ln.strip() for ln in HELD_OUT.read_text(encoding="utf-8").splitlines() if ln.strip()]
    title, byline, paragraphs = lines[0], lines[1], lines[2:]
    body = "".join(f"<p>　　{p}</p>" for p in paragraphs)
    return OLD_SITE.format(title=title, byline=byline, body=body).encode("gb18030"), paragraphs, title


def squeeze(text: str) -> str:
    """Clean text (full-width digits and letters, 臵 → 置) without spaces or line breaks, to compare."""
    from extractor.normalize import normalize_text

    return "".join(normalize_text(text).split())


def densest_block(html: bytes) -> str:
    """The rule we measured trafilatura against: the element whose own <p> children hold the most text."""
    import lxml.html

    from extractor.readers.html import decode

    tree = lxml.html.fromstring(decode(html))
    best, text = 0, ""
    for el in tree.iter():
        ps = [c.text_content() for c in el if getattr(c, "tag", "") == "p"]
        if sum(map(len, ps)) > best:
            best, text = sum(map(len, ps)), "\n".join(ps)
    return text


def web_pages() -> None:
    from extractor import extract

    print("3. saved web pages: the article kept (share of its paragraphs found whole), chrome let in, date and source")
    pages = [("bulletin-a.html (ours, utf-8)", (SAMPLES / "bulletin-a.html").read_bytes(), None, None)]
    if HELD_OUT.exists():
        data, paragraphs, title = held_out_page()
        pages.append(("held-out county page (gb2312, table layout)", data, paragraphs, title))
    truth_a = [p["text"] for p in __import__("json").loads((SAMPLES / "bulletin-a.truth.json").read_text("utf-8"))["paragraphs"]]
    for name, data, paragraphs, _ in pages:
        paragraphs = paragraphs or truth_a
        chrome = CHROME if paragraphs is not truth_a else ["首页", "相关链接", "0739-5300123", "湘ICP备", "1.2万人", "3500万元"]
        started = time.perf_counter()
        x = extract(data)
        seconds = time.perf_counter() - started
        flat = squeeze(x.text)
        kept = sum(squeeze(p) in flat for p in paragraphs)
        leaked = [c for c in chrome if c in x.text]
        m = x.document.metadata
        print(f"  {name}: trafilatura {kept}/{len(paragraphs)} paragraphs, chrome let in {leaked or 'none'}, "
              f"date {m.issue_date}, issuer {m.issuer}, title {m.title}; {len(x.figures)} figures; {seconds:.2f} s")
        dense = squeeze(densest_block(data))
        kept = sum(squeeze(p) in dense for p in paragraphs)
        print(f"  {name}: densest <p> block {kept}/{len(paragraphs)} paragraphs, chrome let in "
              f"{[c for c in chrome if c in dense] or 'none'}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-ocr", action="store_true", help="leave out the photo and the TIFF (OCR: seconds a page)")
    args = ap.parse_args(argv)
    whole(args.runs, not args.no_ocr)
    readers(max(args.runs, 5))
    web_pages()


if __name__ == "__main__":
    main()
