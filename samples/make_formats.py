"""The other input kinds made from the same seed text as the sample PDFs (called by make_samples.py).

  bulletin-a.ofd    sample (a) as OFD (GB/T 33190, namespace http://www.ofdspec.org/2016): the same
                    pages, every line a TextObject with its glyph advances (DeltaX), the red rule a
                    PathObject; fonts named, not embedded.
  bulletin-b.docx   sample (b)'s text as a Word file: masthead paragraphs, 【】 headings, bold leads,
                    the per-county table as a Word table, the 报/发 block.
  bulletin-a.html   sample (a)'s text republished on a city government's site, saved from the browser:
                    navigation, breadcrumbs, share buttons, related links, a footer with phone and 备案号.
  bulletin-a.jpg    a phone photo of sample (a)'s first page: grey paper, slightly turned, JPEG.
  bulletin-a.tif    sample (a)'s first three pages scanned at 200 dpi, bilevel, CCITT G4, one TIFF (three
                    pages, not ten: OCR costs seconds a page and the tests read it).

All deterministic (fixed zip dates, seeded noise): running twice gives identical bytes.
"""

from __future__ import annotations

import html
import io
import random
import zipfile
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

PT_TO_MM = 25.4 / 72
ZIP_DATE = (2023, 5, 24, 0, 0, 0)
OFD_NS = "http://www.ofdspec.org/2016"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _zip(path: Path, members: list[tuple[str, str | bytes]]) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, content.encode("utf-8") if isinstance(content, str) else content)
    path.write_bytes(buf.getvalue())


def _mm(v: float) -> str:
    return f"{v * PT_TO_MM:.3f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------- OFD
def write_ofd(flow, path: Path, *, page_w: float, page_h: float, text_op, rule_op, width, fonts: dict,
              footer, footer_size: float, footer_baseline: float, left: float, right: float) -> None:
    """``flow.pages``: per page, TextOps (x, baseline y from the bottom, size, runs of (text, font),
    char_space, color, stroke) and RuleOps, in points; written in millimetres from the top-left."""
    font_ids = {name: i for i, name in enumerate(fonts, start=2)}
    next_id = [100]

    def new_id() -> int:
        next_id[0] += 1
        return next_id[0]

    members: list[tuple[str, str]] = []
    page_refs = []
    for n, ops in enumerate(flow.pages, start=1):
        ops = list(ops)
        if n > 1:  # the page footer, as render() draws it
            text = footer(n)
            w = width(text, next(iter(fonts)), footer_size)
            x = right - w if n % 2 else left
            ops.append(text_op(x, footer_baseline, footer_size, [(text, next(iter(fonts)))]))
        objects = []
        for o in ops:
            if isinstance(o, rule_op):
                top = page_h - max(o.y0, o.y1) - o.w / 2
                color = " ".join(str(round(c * 255)) for c in o.color)
                objects.append(
                    f'<ofd:PathObject ID="{new_id()}" Boundary="{_mm(o.x0)} {_mm(top)} {_mm(o.x1 - o.x0)} {_mm(o.w)}" '
                    f'LineWidth="{_mm(o.w)}" Fill="true" Stroke="false"><ofd:FillColor Value="{color}"/>'
                    f'<ofd:AbbreviatedData>M 0 0 L {_mm(o.x1 - o.x0)} 0 L {_mm(o.x1 - o.x0)} {_mm(o.w)} L 0 {_mm(o.w)} C'
                    f'</ofd:AbbreviatedData></ofd:PathObject>')
                continue
            x = o.x
            color = " ".join(str(round(c * 255)) for c in o.color)
            for text, font in o.runs:
                if not text:
                    continue
                advances = [width(ch, font, o.size) + o.char_space for ch in text]
                run_w = sum(advances)
                top = page_h - o.y - 0.88 * o.size
                weight = ' Weight="700"' if font != next(iter(fonts)) or o.stroke else ""
                deltas = " ".join(_mm(a) for a in advances[:-1])
                objects.append(
                    f'<ofd:TextObject ID="{new_id()}" Boundary="{_mm(x)} {_mm(top)} {_mm(run_w)} {_mm(o.size)}" '
                    f'Font="{font_ids[font]}" Size="{_mm(o.size)}"{weight}><ofd:FillColor Value="{color}"/>'
                    f'<ofd:TextCode X="0" Y="{_mm(0.88 * o.size)}" DeltaX="{deltas}">{html.escape(text, quote=False)}'
                    f'</ofd:TextCode></ofd:TextObject>')
                x += run_w
        content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
                   f'<ofd:Layer ID="{new_id()}">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>\n')
        members.append((f"Doc_0/Pages/Page_{n - 1}/Content.xml", content))
        page_refs.append(f'<ofd:Page ID="{n}" BaseLoc="Pages/Page_{n - 1}/Content.xml"/>')
    font_xml = "".join(f'<ofd:Font ID="{i}" FontName="{name}" FamilyName="{fonts[name]}"/>' for name, i in font_ids.items())
    document = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
                f'<ofd:MaxUnitID>{next_id[0]}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {_mm(page_w)} {_mm(page_h)}'
                f'</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>'
                f'<ofd:Pages>{"".join(page_refs)}</ofd:Pages></ofd:Document>\n')
    public_res = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res">'
                  f'<ofd:Fonts>{font_xml}</ofd:Fonts></ofd:Res>\n')
    ofd = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.1" DocType="OFD">'
           f'<ofd:DocBody><ofd:DocInfo><ofd:DocID>{path.stem}</ofd:DocID><ofd:Title>{path.stem}</ofd:Title>'
           f'<ofd:CreationDate>2023-05-24</ofd:CreationDate></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
           f'</ofd:DocBody></ofd:OFD>\n')
    _zip(path, [("OFD.xml", ofd), ("Doc_0/Document.xml", document), ("Doc_0/PublicRes.xml", public_res)] + members)


# ---------------------------------------------------------------- DOCX
def _run(text: str, *, bold=False, size: float | None = None, color: str | None = None, font="宋体") -> str:
    props = f'<w:rFonts w:ascii="{font}" w:eastAsia="{font}" w:hAnsi="{font}"/>'
    if bold:
        props += "<w:b/>"
    if color:
        props += f'<w:color w:val="{color}"/>'
    if size:
        props += f'<w:sz w:val="{round(size * 2)}"/>'
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{html.escape(text, quote=False)}</w:t></w:r>'


def _para(runs: str, *, center=False, indent=True, style: str | None = None) -> str:
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if center:
        ppr += '<w:jc w:val="center"/>'
    elif indent:
        ppr += '<w:ind w:firstLineChars="200" w:firstLine="640"/>'
    return f"<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>"


def write_docx(b, body: list, path: Path, *, title: str, issue_label: str, table_section: str,
               table_caption: str, table_rows: list[list[str]]) -> None:
    parts = [
        _para(_run(title, bold=True, size=34, color="D90000", font="方正小标宋简体"), center=True),
        _para(_run(issue_label, size=16), center=True),
        _para(_run(b.issuer, size=15) + "<w:r><w:tab/></w:r>" + _run(b.date_text, size=15), indent=False),
    ]
    for i, (kind, item) in enumerate(body):
        if kind == "heading":
            parts.append(_para(_run(f"【{item}】", bold=True, font="黑体"), indent=False, style="Heading2"))
            continue
        p = item
        if p.lead and p.text.startswith(p.lead):
            parts.append(_para(_run(p.lead, bold=True, font="黑体") + _run(p.text[len(p.lead):])))
        else:
            parts.append(_para(_run(p.text)))
        nxt = body[i + 1] if i + 1 < len(body) else None
        if p.section == table_section and (nxt is None or nxt[0] == "heading"):
            parts.append(_para(_run(table_caption, bold=True, size=14, font="黑体"), center=True))
            cells = lambda row, bold: "".join(
                f'<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr>{_para(_run(c, bold=bold, size=12), center=True)}</w:tc>'
                for c in row)
            rows = "".join(f"<w:tr>{cells(row, r == 0)}</w:tr>" for r, row in enumerate(table_rows))
            parts.append('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/><w:tblBorders>'
                         + "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                                   for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
                         + f"</w:tblBorders></w:tblPr>{rows}</w:tbl>")
    parts.append(_para(_run("报：" + b.report_to, size=14), indent=False))
    parts.append(_para(_run("发：" + b.send_to, size=14), indent=False))
    parts.append(_para(_run(b.phone_text + "    " + b.email_text, size=14), indent=False))
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}"><w:body>'
                + "".join(parts) + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>')
    styles = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W_NS}"><w:docDefaults>'
              '<w:rPrDefault><w:rPr><w:rFonts w:eastAsia="宋体"/><w:sz w:val="32"/></w:rPr></w:rPrDefault></w:docDefaults>'
              '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>'
              '<w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>'
              '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/></w:style></w:styles>')
    content_types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                     'wordprocessingml.document.main+xml"/>'
                     '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                     'wordprocessingml.styles+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>')
    doc_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'styles" Target="styles.xml"/></Relationships>')
    _zip(path, [("[Content_Types].xml", content_types), ("_rels/.rels", rels), ("word/document.xml", document),
                ("word/_rels/document.xml.rels", doc_rels), ("word/styles.xml", styles)])


# ---------------------------------------------------------------- HTML
CHROME_HEAD = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}_工作动态_邵阳市人民政府门户网站</title>
<meta name="keywords" content="邵阳市人民政府,工作动态">
<link rel="stylesheet" href="./index_files/style.css">
<script src="./index_files/jquery-1.12.4.min.js"></script>
<script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); hm.src = "https://hm.baidu.com/hm.js?8a3d0c1f"; }})();</script>
</head>
<body>
<div class="top-bar"><div class="w1200"><span>欢迎访问邵阳市人民政府门户网站！</span><span id="today">2023年11月16日 星期四</span>
<a href="#">无障碍浏览</a> <a href="#">长者模式</a> <a href="#">English</a> <a href="#">手机版</a></div></div>
<div class="header"><div class="logo"><img src="./index_files/logo.png" alt="邵阳市人民政府"></div>
<div class="search"><input type="text" placeholder="请输入关键字"><button>搜索</button></div></div>
<div class="nav"><ul><li><a href="#">首页</a></li><li><a href="#">要闻动态</a></li><li><a href="#">政务公开</a></li>
<li><a href="#">政务服务</a></li><li><a href="#">互动交流</a></li><li><a href="#">走进邵阳</a></li><li><a href="#">数据开放</a></li></ul></div>
<div class="w1200 main">
<div class="breadcrumb">当前位置：<a href="#">首页</a> &gt; <a href="#">要闻动态</a> &gt; <a href="#">工作动态</a></div>
<div class="article">
<h1 class="title">{title}</h1>
<div class="info"><span>发布时间：{date} 16:30</span><span>来源：{issuer}</span><span>浏览次数：1286</span>
<span class="font-size">字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></span></div>
<div class="share">分享到：<a href="#" class="wx">微信</a><a href="#" class="wb">微博</a><a href="#" class="qq">QQ空间</a></div>
<div class="content" id="zoom">
"""
CHROME_TAIL = """</div>
<div class="article-tools"><a href="#">【打印本页】</a> <a href="#">【关闭窗口】</a> <a href="#">【收藏】</a></div>
</div>
<div class="related"><h3>相关链接</h3><ul>
<li><a href="#">邵阳市2023年一季度经济运行情况新闻发布会召开</a><span>2023-04-20</span></li>
<li><a href="#">我市新增城镇就业1.2万人 完成年度任务的35%</a><span>2023-04-12</span></li>
<li><a href="#">市人民政府召开第18次常务会议 研究部署8项重点工作</a><span>2023-03-30</span></li>
<li><a href="#">洞口县投入3500万元改造农村公路126公里</a><span>2023-03-21</span></li>
</ul></div>
</div>
<div class="footer"><div class="w1200">
<p><a href="#">网站地图</a> | <a href="#">联系我们</a> | <a href="#">使用帮助</a> | <a href="#">隐私声明</a></p>
<p>主办：邵阳市人民政府办公室　承办：邵阳市政务服务和大数据中心</p>
<p>地址：湖南省邵阳市双清区宝庆东路888号　邮编：422000　联系电话：0739-5300123</p>
<p>网站标识码：4305000012　<a href="#">湘ICP备05002633号-1</a>　<a href="#">湘公网安备 43050202000188号</a></p>
<p>建议使用1366×768分辨率　IE10以上版本浏览器　访问量：23456789</p>
</div></div>
<script src="./index_files/common.js"></script>
</body>
</html>
"""


def write_html(b, body: list, path: Path, *, title: str) -> None:
    out = [CHROME_HEAD.format(title=html.escape(title), date=b.issue_date, issuer=html.escape(b.issuer))]
    for kind, item in body:
        if kind == "heading":
            out.append(f'<p style="text-align:center"><strong>【{html.escape(item)}】</strong></p>\n')
            continue
        p = item
        if p.lead and p.text.startswith(p.lead):
            out.append(f'<p style="text-indent:2em"><strong>{html.escape(p.lead)}</strong>'
                       f'{html.escape(p.text[len(p.lead):])}</p>\n')
        else:
            out.append(f'<p style="text-indent:2em">{html.escape(p.text)}</p>\n')
    out.append(f"<p>报：{html.escape(b.report_to)}</p>\n<p>发：{html.escape(b.send_to)}</p>\n"
               f"<p>{html.escape(b.phone_text)}　{html.escape(b.email_text)}</p>\n")
    out.append(CHROME_TAIL)
    path.write_text("".join(out), encoding="utf-8")


# ---------------------------------------------------------------- images
PHOTO_SEED = 20231116
PHOTO_WIDTH = 1400  # pixels across the page: a phone photo, shrunk by the messaging app
TIFF_DPI = 200
TIFF_PAGES = 3


def write_photo(pdf_path: Path, path: Path) -> None:
    """Page 1 photographed: a little larger than the page, grey-white paper on a darker desk, turned ~1°."""
    rng = np.random.default_rng(PHOTO_SEED)
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        page = pdf[0]
        scale = PHOTO_WIDTH / page.get_width()
        img = page.render(scale=scale, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()
    a = np.asarray(img, dtype=np.float32)
    a = 236 - (255.0 - a) * (236 - 40) / 255.0  # paper and ink grey
    h, w = a.shape
    yy = np.linspace(0, 1, h)[:, None]
    a -= 18 * yy  # uneven light: darker towards the bottom
    a += rng.normal(0, 3.0, a.shape)
    page_img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")
    desk = Image.new("L", (w + 80, h + 80), 90)
    desk.paste(page_img, (40, 40))
    angle = random.Random(PHOTO_SEED).uniform(0.6, 1.1)
    photo = desk.rotate(angle, resample=Image.BICUBIC, fillcolor=90).convert("RGB")
    photo.save(path, "JPEG", quality=72, optimize=True)


def write_tiff(pdf_path: Path, path: Path) -> None:
    pdf = pdfium.PdfDocument(str(pdf_path))
    frames = []
    try:
        for i in range(min(TIFF_PAGES, len(pdf))):
            img = pdf[i].render(scale=TIFF_DPI / 72, grayscale=True).to_pil().convert("L")
            frames.append(img.point(lambda v: 255 if v > 150 else 0).convert("1"))
    finally:
        pdf.close()
    frames[0].save(path, "TIFF", save_all=True, append_images=frames[1:], compression="group4",
                   dpi=(TIFF_DPI, TIFF_DPI))
