"""A saved web page (.html) into a ``FlowDocument``: the article alone, its title, date and source.

A government site's article page is mostly chrome: navigation, breadcrumbs, share buttons,
related links, a footer with the site's phone number and 备案号. trafilatura (a maintained
boilerplate remover) takes the article's paragraphs, headings and tables; nothing else of the
page is read, so no figure, date or entity comes from the chrome (measured in docs/formats.md).

The info line under the title (发布时间：2023-11-16 10:30  来源：邵阳市人民政府办公室) gives the
issue date and the issuer; the page's <h1> (or trafilatura's title, or <title> less the site's
name) gives the title. The info line is dropped from the article's text.

The bytes are decoded by their BOM, their declared charset (GB2312 and GBK read as GB18030, their
superset), else UTF-8, else GB18030. A page with no article text (a page of scripts) is ``NoText``.
"""

from __future__ import annotations

import re

from extractor import metadata
from extractor.errors import CorruptDocument, NoText
from extractor.readers.flow import FlowDocument, FlowParagraph, FlowTable

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# 发布时间：2023-11-16 10:30   来源：邵阳市人民政府办公室   (字号：大 中 小)
INFO_LINE = re.compile(r"(?:发布时间|发布日期|日期|时间)\s*[:：]")
# 来源：X, up to a space or the next label (信息来源: 杜集区民生办发布时间:2010-11-23 → 杜集区民生办).
SOURCE = re.compile(r"(?:来源|信息来源|发布机构|发布单位)\s*[:：]\s*(?P<name>[^\s|｜【]+?)"
                    r"(?=[\s|｜【]|发布时间|发布日期|日期|时间|作者|浏览|点击|字号|$)")
# The site's name after the article's in <title>: 标题_邵阳市人民政府, 标题 - 某某网
TITLE_SITE = re.compile(r"\s*[-_|｜—–]+\s*[^-_|｜—–]*$")
MAX_INFO_CHARS = 120
# A data table's cells are short (县市区, 1200, 85.3); a longer cell is a page's layout.
DATA_CELL_CHARS = 60


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        if name in ("gb2312", "gbk", "gb18030", "x-gbk", "cp936"):
            name = "gb18030"
        try:
            return data.decode(name, "replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace")


def page_count(data: bytes) -> int:
    return 1  # the article's paragraphs are only known after reading it: the job's size is its bytes


def read(data: bytes) -> FlowDocument:
    import lxml.html
    import trafilatura
    from lxml import etree

    html = decode(data)
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError) as e:
        raise CorruptDocument(f"the web page cannot be parsed ({e})") from None
    xml = trafilatura.extract(tree, output_format="xml", include_tables=True, include_formatting=True,
                              include_comments=False, include_images=False, include_links=False,
                              favor_precision=True, with_metadata=False, deduplicate=False)
    if not xml:
        raise NoText("the web page has no article text (only navigation, scripts or pictures)")
    article = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    main = article.find("main")
    main = main if main is not None else article
    # An older site lays its page out in tables (nav, article, footer in cells): trafilatura keeps them as
    # tables. A layout table's one cell read is the one whose paragraphs hold the most text: the article.
    layout_cells = [c for t in main.iter("table") if not _is_data_table(t) for c in t.iter("cell")]
    article_cell = max(layout_cells, key=_paragraph_chars, default=None)
    if article_cell is not None and _paragraph_chars(article_cell) == 0:
        article_cell = None
    items: list[FlowParagraph | FlowTable] = []
    info = _read_items(main, article_cell, items)
    if not items:
        raise NoText("the web page has no article text (only navigation, scripts or pictures)")
    info = info or _info_line(tree)
    date = metadata.parse_full_date(info[INFO_LINE.search(info).end():]) if info else None
    source = SOURCE.search(info) if info else None
    return FlowDocument(items, title=_title(tree), issuer=source.group("name") if source else None,
                        issue_date=date[0] if date else None)


def _read_items(container, article_cell, items: list) -> str | None:
    """The paragraphs, headings, lists and data tables under ``container`` in order, into ``items``;
    of a layout table only ``article_cell``. Returns the info line if trafilatura kept it."""
    info = None
    for el in container:
        if el.tag == "table":
            if _is_data_table(el):
                rows = [[" ".join("".join(c.itertext()).split()) for c in row.findall("cell")] for row in el.iter("row")]
                if any(any(c for c in r) for r in rows):
                    items.append(FlowTable(rows))
            elif article_cell is not None and any(c is article_cell for c in el.iter("cell")):
                info = _read_items(article_cell, None, items) or info
            continue
        if el.tag not in ("p", "head", "list", "quote", "div", "cell"):
            continue
        texts = ["".join(i.itertext()).strip() for i in el.iter("item")] if el.tag == "list" else ["".join(el.itertext()).strip()]
        for text in texts:
            if not text:
                continue
            if info is None and len(text) <= MAX_INFO_CHARS and INFO_LINE.search(text) and metadata.parse_full_date(text):
                info = text  # the byline, if trafilatura kept it: metadata, not article text
                continue
            items.append(_paragraph(el, text))
    return info


def _is_data_table(table) -> bool:
    """A table of figures (rows × columns of short cells), not a page laid out in a table."""
    rows = [row.findall("cell") for row in table.iter("row")]
    cells = [c for row in rows for c in row]
    return (len(rows) >= 2 and max(map(len, rows), default=0) >= 2 and all(c.find(".//p") is None for c in cells)
            and all(len("".join(c.itertext()).strip()) <= DATA_CELL_CHARS for c in cells))


def _paragraph_chars(cell) -> int:
    return sum(len("".join(p.itertext()).strip()) for p in cell.iter("p"))


def _paragraph(el, text: str) -> FlowParagraph:
    bold = [hi for hi in el.iter("hi") if (hi.get("rend") or "") in ("#b", "#strong")]
    lead = 0
    if bold and (el.text or "").strip() == "" and el[0] is bold[0]:
        lead = len("".join(bold[0].itertext()).strip())
    heading = el.tag == "head"
    whole = lead >= len(text)
    return FlowParagraph(text=text, lead=0 if whole else lead, bold=whole or heading, heading=heading)


def _info_line(tree) -> str | None:
    """The shortest element text on the page with a labelled date: the article's byline."""
    best = None
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "title"):
            continue
        if len(el.text_content()) > 4 * MAX_INFO_CHARS:
            continue  # a container of the page (its text counted in C, not joined here)
        text = _text(el)
        found = INFO_LINE.search(text) if len(text) <= MAX_INFO_CHARS else None
        if found and metadata.parse_full_date(text[found.end():]) and (best is None or len(text) < len(best[0])):
            best = (text, el)
    if best is None:
        return None
    # The date may stand in a <span> of its own: the line is its container (with 来源：…).
    el = best[1]
    while el.getparent() is not None and len(_text(el.getparent())) <= MAX_INFO_CHARS:
        el = el.getparent()
    return _text(el)


def _text(el) -> str:
    return " ".join(" ".join(t for t in el.itertext() if t).split())


def _title(tree) -> str | None:
    for h1 in tree.iter("h1"):
        text = " ".join(" ".join(h1.itertext()).split())
        if 4 <= len(text) <= 80:
            return text
    title = tree.findtext(".//title")
    if title and title.strip():
        return TITLE_SITE.sub("", title.strip()) or title.strip()
    return None
