"""Every input kind made from the same seed text (samples/make_samples.py) gives what the PDF gives.

OFD, Word, the saved web page and the photographed and scanned pages are compared with the PDF of the
same text: the same figures (text, value, unit, kind) and dates, the same metadata. Where a kind
cannot carry something the difference is asserted and said:
- the web page republishes the article: its masthead date (2023年5月24日, one date of the PDF's) is not
  in the article's text; the info line (发布时间：2023-05-24) gives the issue date instead;
- OCR cannot see bold, so photographed and scanned pages have no article titles (bold leads);
- the photo is page 1 only and the TIFF pages 1–3: compared with the PDF's items on those pages.
"""

from __future__ import annotations

import io
from collections import Counter

import pytest

from extractor import extract
from extractor.sniff import kind_of
from tests.conftest import SAMPLES

META = ("title", "issue_number", "issuer", "issue_date", "report_to", "send_to", "phone", "email")


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture(scope="module")
def read():
    cache: dict = {}

    def get(name: str):
        if name not in cache:
            # A misleading file name: the kind is told from the content.
            cache[name] = extract(sample(name), file_name="bulletin.pdf")
        return cache[name]

    return get


def figures(x, pages=None) -> Counter:
    return Counter((f.text, f.value, f.unit, f.kind.value) for f in x.figures if pages is None or f.page in pages)


def dates(x, pages=None) -> Counter:
    return Counter((d.text, str(d.value)) for d in x.dates if pages is None or d.page in pages)


def meta(x, keys=META) -> dict:
    m = x.document.metadata
    return {k: getattr(m, k) for k in keys}


def sections(x) -> list:
    return [(s.title, [a.title for a in s.articles]) for s in x.document.metadata.sections]


@pytest.mark.parametrize("name, kind", [("bulletin-a.pdf", "pdf"), ("bulletin-a.ofd", "ofd"), ("bulletin-b.docx", "docx"),
                                        ("bulletin-a.html", "html"), ("bulletin-a.jpg", "jpeg"), ("bulletin-a.tif", "tiff")])
def test_kind_is_told_from_content(name, kind):
    assert kind_of(sample(name)) == kind


def test_ofd_gives_the_pdfs_figures_dates_metadata_pages_and_boxes(read, extracted):
    pdf, ofd = extracted("a"), read("bulletin-a.ofd")
    assert ofd.document.kind == "ofd" and ofd.document.page_count == pdf.document.page_count == 10
    assert figures(ofd) == figures(pdf) and len(ofd.figures) >= 20
    assert dates(ofd) == dates(pdf)
    assert meta(ofd) == meta(pdf) and sections(ofd) == sections(pdf)
    assert [f.page for f in ofd.figures] == [f.page for f in pdf.figures]
    assert [p.text for p in ofd.furniture] == [p.text for p in pdf.furniture]  # — 2 — … page numbers set apart
    # Boxes in points from the page's top-left, as the PDF's: the same lines, within a point or two.
    for a, b in zip(pdf.blocks, ofd.blocks):
        assert a.text == b.text
        for pa, pb in zip(a.prov, b.prov):
            assert pa.page == pb.page and pb.bbox is not None
            assert abs(pa.bbox.x0 - pb.bbox.x0) < 3 and abs(pa.bbox.top - pb.bbox.top) < 3


def test_docx_gives_the_pdfs_figures_dates_metadata_and_table(read, extracted):
    pdf, docx = extracted("b"), read("bulletin-b.docx")
    assert docx.document.kind == "docx"
    assert figures(docx) == figures(pdf) and sum(f.table is not None for f in docx.figures) >= 30
    assert dates(docx) == dates(pdf)
    assert meta(docx) == meta(pdf) and sections(docx) == sections(pdf)
    assert len(docx.tables) == len(pdf.tables) == 1
    assert docx.tables[0].rows == pdf.tables[0].rows
    assert docx.tables[0].caption == pdf.tables[0].caption and docx.tables[0].section == "区县动态"
    # page = the index of the paragraph (or table) an item came from; no boxes.
    assert docx.document.page_count == len(docx.pages)
    for f in docx.figures:
        if f.table is None:
            block = next(b for b in docx.blocks if b.start <= f.start < b.end)
            assert block.page_start == f.page and block.prov[0].bbox is None
        else:
            assert f.page == docx.tables[f.table.table].page


def test_web_page_gives_the_article_and_nothing_of_its_chrome(read, extracted):
    pdf, page = extracted("a"), read("bulletin-a.html")
    assert page.document.kind == "html"
    assert figures(page) == figures(pdf)
    # The masthead's date line is not in the republished article; the info line gives the issue date.
    assert dates(pdf) - dates(page) == Counter({("2023年5月24日", "2023-05-24"): 1}) and not dates(page) - dates(pdf)
    assert meta(page) == meta(pdf) and sections(page) == sections(pdf)
    chrome = ["首页", "当前位置", "分享到", "相关链接", "0739-5300123", "湘ICP备", "公网安备", "网站标识码", "宝庆东路",
              "浏览次数", "字号", "打印本页", "访问量", "邵阳市政务服务和大数据中心", "1.2万人", "3500万元", "1366"]
    for text in chrome:
        assert text not in page.text, text
    assert not {"2023-04-20", "2023-04-12", "2023-03-30", "2023-03-21"} & {str(d.value) for d in page.dates}
    assert {e.text for e in page.entities} <= {e.text for e in pdf.entities}
    assert page.document.metadata.phone == "0739-5026059"  # the bulletin's, not the site's


def test_photo_of_page_one_gives_its_masthead_and_dates(read, extracted):
    pdf, photo = extracted("a"), read("bulletin-a.jpg")
    assert photo.document.kind == "jpeg" and photo.document.ocr and photo.document.page_count == 1
    assert meta(photo, ("title", "issue_number", "issuer", "issue_date")) == meta(pdf, ("title", "issue_number", "issuer", "issue_date"))
    assert figures(photo) == figures(pdf, {1}) and dates(photo) == dates(pdf, {1})
    assert photo.pages[0].ocr_confidence > 0.9
    assert all(p.bbox is not None for b in photo.blocks for p in b.prov)


def test_scanned_tiff_gives_the_pdfs_items_on_its_pages(read, extracted):
    pdf, tiff = extracted("a"), read("bulletin-a.tif")
    pages = set(range(1, tiff.document.page_count + 1))
    assert tiff.document.kind == "tiff" and pages == {1, 2, 3}
    assert figures(tiff) == figures(pdf, pages) and sum(figures(tiff).values()) >= 4
    assert dates(tiff) == dates(pdf, pages)
    # The end block (报/发, phone, e-mail) is on page 10, not scanned; no bold leads under OCR: no article titles.
    assert meta(tiff, ("title", "issue_number", "issuer", "issue_date")) == meta(pdf, ("title", "issue_number", "issuer", "issue_date"))
    assert [s.title for s in tiff.document.metadata.sections] == [s.title for s in pdf.document.metadata.sections
                                                                  if s.page in pages]


def test_png_reads_as_the_jpeg_does(read):
    from PIL import Image

    buf = io.BytesIO()
    Image.open(io.BytesIO(sample("bulletin-a.jpg"))).save(buf, "PNG")
    png = extract(buf.getvalue())
    assert png.document.kind == "png"
    assert png.text == read("bulletin-a.jpg").text


def test_docx_masthead_in_a_text_box_and_a_one_row_table(extracted):
    """As Word bulletin templates set it: the red name in a text box (with its VML fallback copy), the issuer
    and the date in the two cells of a borderless one-row table."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(sample("bulletin-b.docx")))
    xml = src.read("word/document.xml").decode()
    ns = ('xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:v="urn:schemas-microsoft-com:vml"')
    box = ('<w:txbxContent><w:p><w:r><w:rPr><w:b/><w:color w:val="D90000"/><w:sz w:val="68"/></w:rPr>'
           '<w:t>重点民生实事工作简报</w:t></w:r></w:p></w:txbxContent>')
    title = (f'<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>{box}'
             f'</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}'
             '</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>')
    issue = '<w:p><w:r><w:t>第 5 期</w:t></w:r></w:p>'
    line = ('<w:tbl><w:tr><w:tc><w:p><w:r><w:t>邵阳市打好重点民生保障仗工作专班</w:t></w:r></w:p></w:tc>'
            '<w:tc><w:p><w:r><w:t>2023年5月24日</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')
    paragraphs = re.findall(r"<w:p>.*?</w:p>", xml)
    masthead = "".join(paragraphs[:3])
    xml = xml.replace("<w:document ", f"<w:document {ns} ", 1).replace(masthead, title + issue + line, 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            zf.writestr(info, xml if info.filename == "word/document.xml" else src.read(info))
    docx = extract(out.getvalue())
    assert meta(docx) == meta(extracted("b"))
    assert docx.text.count("重点民生实事工作简报") == 1  # the fallback copy is not read twice
    assert figures(docx) == figures(extracted("b"))


def test_scanned_ofd_is_read_by_ocr_as_the_photo_is(read):
    """A scanned OFD: each page one ImageObject (the photo, as DocumentRes MultiMedia) and no text."""
    import zipfile

    from PIL import Image

    ns = "http://www.ofdspec.org/2016"
    photo = sample("bulletin-a.jpg")
    w, h = Image.open(io.BytesIO(photo)).size
    page_h = round(210 * h / w, 3)
    parts = {
        "OFD.xml": f'<ofd:OFD xmlns:ofd="{ns}" Version="1.1" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml'
                   "</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'<ofd:Document xmlns:ofd="{ns}"><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 '
                              f"{page_h}</ofd:PhysicalBox></ofd:PageArea><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>"
                              '</ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>'
                              "</ofd:Document>",
        "Doc_0/DocumentRes.xml": f'<ofd:Res xmlns:ofd="{ns}" BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="7" '
                                 'Type="Image" Format="JPEG"><ofd:MediaFile>scan-1.jpg</ofd:MediaFile></ofd:MultiMedia>'
                                 "</ofd:MultiMedias></ofd:Res>",
        "Doc_0/Pages/Page_0/Content.xml": f'<ofd:Page xmlns:ofd="{ns}"><ofd:Content><ofd:Layer ID="2"><ofd:ImageObject '
                                          f'ID="3" ResourceID="7" Boundary="0 0 210 {page_h}" CTM="210 0 0 {page_h} 0 0"/>'
                                          "</ofd:Layer></ofd:Content></ofd:Page>",
        "Doc_0/Res/scan-1.jpg": photo,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    scanned = extract(out.getvalue())
    assert scanned.document.kind == "ofd" and scanned.document.ocr
    assert meta(scanned) == meta(read("bulletin-a.jpg"))
    assert dates(scanned) == dates(read("bulletin-a.jpg"))
