"""One bulletin from PDF bytes to an ``Extraction``: reading (``read_document``), then what it
reports (``find_items``); ``extract`` does both. Imported as ``extractor``'s public names."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from extractor import layout, metadata, ocr
from extractor.gazetteer import gazetteer
from extractor.entities import distinct_entities, find_entities
from extractor.items import extract_items
from extractor import sniff
from extractor.errors import CorruptPDF, EmptyFile, EncryptedPDF, ExtractionError, NotAPDF, NoText  # noqa: F401  (extractor's names)
from extractor.layout import TextBlock
from extractor.normalize import normalize_text
from extractor.pdf import Char, Page, Segment, find_ruled_tables, open_pdf, read_pages
from models import (Article, BBox, Block, BlockKind, DistinctEntity, Document, DocumentStatus, Extraction, PageInfo,
                    ProvenanceItem, Section, Table, TableCell)

from extractor import __version__


@dataclass
class TextMap:
    """For every character of the clean text, its page and box (None for joiners and newlines)."""

    pages: list[int]
    boxes: list[tuple[float, float, float, float] | None]

    def page_of(self, offset: int) -> int:
        if not self.pages:
            return 1
        return self.pages[min(max(offset, 0), len(self.pages) - 1)]

    def bboxes(self, start: int, end: int) -> list[tuple[int, BBox]]:
        """The boxes of a span, one per page and line, for highlighting it on the page."""
        out: list[tuple[int, BBox]] = []
        for i in range(start, min(end, len(self.boxes))):
            box = self.boxes[i]
            if box is None:
                continue
            page = self.pages[i]
            if out and out[-1][0] == page and abs(out[-1][1].top - box[1]) < 2:
                last = out[-1][1]
                out[-1] = (page, BBox(x0=min(last.x0, box[0]), top=min(last.top, box[1]),
                                      x1=max(last.x1, box[2]), bottom=max(last.bottom, box[3])))
            else:
                out.append((page, BBox(x0=round(box[0], 2), top=round(box[1], 2), x1=round(box[2], 2),
                                       bottom=round(box[3], 2))))
        return out


@dataclass
class ParsedDocument:
    extraction: Extraction
    text_map: TextMap


def extract(data: bytes, file_name: str | None = None,
            progress: Callable[[int, int], None] | None = None) -> Extraction:
    """Extract one bulletin PDF. Raises ``ExtractionError`` (with a clear message) for bad input."""
    return extract_document(data, file_name, progress=progress).extraction


def extract_document(data: bytes, file_name: str | None = None,
                     progress: Callable[[int, int], None] | None = None) -> ParsedDocument:
    """Read the document, then find what it reports: figures and dates."""
    parsed = read_document(data, file_name, progress)
    if parsed.extraction.document.status == DocumentStatus.ok:
        find_items(parsed)
    return parsed


def page_count(data: bytes) -> tuple[str, int]:
    """The kind and the page count of a document, cheaply, to check it before a job is queued:
    a PDF's, OFD's or TIFF's pages, a DOCX's paragraphs and tables (its ``page``s), 1 for a web page.
    Raises the ``ExtractionError`` extraction would (not a kind we read, damaged, unsafe)."""
    kind = sniff.kind_of(data)
    if kind == "pdf":
        pdf = open_pdf(data)
        try:
            return kind, len(pdf)
        finally:
            pdf.close()
    if kind == "ofd":
        from extractor.readers import ofd
        return kind, ofd.page_count(data)
    if kind == "docx":
        from extractor.readers import docx
        return kind, docx.page_count(data)
    if kind == "html":
        from extractor.readers import html
        return kind, html.page_count(data)
    from extractor.readers import image
    return kind, image.page_count(data)


def find_items(parsed: ParsedDocument) -> None:
    """Fill the figures, dates and entities of a read document (in place)."""
    result = parsed.extraction
    meta = result.document.metadata
    city, county = _home_area(meta)
    result.figures, result.dates = extract_items(
        result.text, issue_date=meta.issue_date, page_of=parsed.text_map.page_of, tables=result.tables,
        city=city, blocks=result.blocks)
    result.entities = find_entities(result.text, issue_date=meta.issue_date, city=city, county=county,
                                    page_of=parsed.text_map.page_of, blocks=result.blocks)
    result.distinct_entities = [DistinctEntity(**row) for row in distinct_entities(result.entities)]


def read_document(data: bytes, file_name: str | None = None,
                  progress: Callable[[int, int], None] | None = None) -> ParsedDocument:
    """The reading step alone: text, blocks, tables, furniture and metadata.

    The kind is told from the content (``sniff.kind_of``): PDF, OFD and images are read page by page
    into line segments and laid out by the same code; DOCX and web pages paragraph by paragraph.
    ``progress(pages_done, total)`` is called as pages are read (OCR takes seconds a page).
    """
    kind = sniff.kind_of(data)
    sha256 = hashlib.sha256(data).hexdigest()
    if kind == "docx":
        from extractor.readers import docx
        return _read_flow(docx.read(data), kind, sha256, file_name)
    if kind == "html":
        from extractor.readers import html
        return _read_flow(html.read(data), kind, sha256, file_name)
    if kind == "ofd":
        from extractor.readers import ofd
        pages, raw_tables, ocr_pages = ofd.read_pages(data, progress)
    elif kind == "pdf":
        pages, raw_tables, ocr_pages = _read_pdf(data, progress)
    else:
        from extractor.readers import image
        pages, ocr_pages = image.read_pages(data, progress)
        if ocr_pages and not any(p.segments for p in pages):
            raise NoText("OCR found no text in the image (a photo of something other than a page of text?)")
        raw_tables = {}
    raw_tables.update({n: r.tables for n, r in ocr_pages.items() if r.tables})
    return _read_pages(pages, raw_tables, ocr_pages, kind, sha256, file_name, progress)


def _read_pdf(data: bytes, progress: Callable[[int, int], None] | None):
    pdf = open_pdf(data)
    try:
        pages = read_pages(pdf)
        # Image-only pages are OCR'd when rapidocr is installed (extractor/ocr.py); else left empty.
        done = sum(not ocr.needs_ocr(p) for p in pages)
        if progress:
            progress(done, len(pages))
        ocr_pages = ocr.recognize(pdf, pages, progress, done)
    finally:
        pdf.close()
    raw_tables = find_ruled_tables(data, [p.number for p in pages if p.path_count >= 4 and p.has_text])
    return pages, raw_tables, ocr_pages


def _read_pages(pages: list[Page], raw_tables: dict, ocr_pages: dict, kind: str, sha256: str,
                file_name: str | None, progress: Callable[[int, int], None] | None) -> ParsedDocument:
    """From the pages' line segments (a PDF's, an OFD's or OCR's) to the Extraction's text and structure."""
    page_count = len(pages)
    if not any(p.segments for p in pages):
        # An image-only (scanned) PDF: report it rather than return it empty.
        document = Document(sha256=sha256, file_name=file_name, page_count=page_count, kind=kind,
                            status=DocumentStatus.needs_ocr, metadata=metadata.build_metadata({}, [], [], [], None, None),
                            extractor_version=__version__)
        infos = [PageInfo(page=p.number, width=round(p.width, 2), height=round(p.height, 2), start=0, end=0,
                          has_text=False) for p in pages]
        return ParsedDocument(Extraction(document=document, pages=infos, text="", blocks=[], tables=[],
                                         furniture=[]), TextMap([], []))

    furniture = layout.split_furniture(pages)
    _remove_table_text(pages, raw_tables)
    size = layout.body_size(pages)
    weight = layout.body_weight(pages, size)
    masthead_segments = _masthead_segments(pages, size)
    for page in pages[:1]:
        page.segments = [s for s in page.segments if id(s) not in masthead_segments]
    raw_blocks = layout.group_blocks(pages, size, weight)
    masthead_blocks = [layout.RawBlock(BlockKind.masthead, [s]) for s in
                       sorted((s for s in masthead_segments.values()), key=lambda s: (round(s.top), s.x0))]
    text_blocks = layout.text_blocks(masthead_blocks + raw_blocks, weight)
    _refine_kinds(text_blocks, size, weight)

    text, text_map, blocks = _assemble(text_blocks)
    tables = _tables(raw_tables, text_blocks, blocks)
    masthead = metadata.read_masthead([(tb.text, max(s.size for s in tb.segments)) for tb in text_blocks
                                       if tb.kind == BlockKind.masthead])
    meta = _metadata(masthead, blocks, text)
    infos = _page_infos(pages, text_map, len(text), {n: r.confidence for n, r in ocr_pages.items()})
    document = Document(sha256=sha256, file_name=file_name, page_count=page_count, status=DocumentStatus.ok,
                        metadata=meta, extractor_version=__version__, ocr=bool(ocr_pages), kind=kind)
    if progress:
        progress(page_count, page_count)
    extraction = Extraction(document=document, pages=infos, text=text, blocks=blocks, tables=tables,
                            furniture=furniture)
    return ParsedDocument(extraction, text_map)


def _read_flow(flow, kind: str, sha256: str, file_name: str | None) -> ParsedDocument:
    """A flowing document (DOCX, a web page's article): blocks from its paragraphs, ``page`` = the
    1-based index of the paragraph or table each came from, no boxes."""
    from extractor.normalize import normalize
    from extractor.readers.flow import FlowParagraph

    items = flow.items
    if not any(isinstance(item, FlowParagraph) and item.text.strip() for item in items):
        raise NoText(f"the {KIND_NAMES.get(kind, kind)} holds no text")
    sizes: Counter[float] = Counter()
    for item in items:
        if isinstance(item, FlowParagraph) and item.size:
            sizes[round(item.size)] += len(item.text)
    body = float(sizes.most_common(1)[0][0]) if sizes else None
    masthead_items = _flow_masthead(items, body) if kind == "docx" else set()
    text_blocks: list[TextBlock] = []
    raw_tables: list[tuple[int, int, object]] = []  # (blocks before it, item number, table)
    section: str | None = None
    for number, item in enumerate(items, start=1):
        if not isinstance(item, FlowParagraph):
            raw_tables.append((len(text_blocks), number, item))
            continue
        clean, index = normalize(item.text)
        if not clean.strip():
            continue
        stripped = clean.strip()
        heading = layout.SECTION_HEADING.match(stripped)
        lead = None
        if number in masthead_items:
            block_kind = BlockKind.masthead
        elif heading:
            section = heading.group(1).strip()
            block_kind = BlockKind.section_heading
        else:
            block_kind = layout._kind_of(stripped, None, 0)
            standalone = len(stripped) <= HEADING_MAX and stripped[-1] not in "。！？；，、"
            larger = bool(body and item.size and item.size > body * 1.1)
            if block_kind == BlockKind.paragraph and standalone and (
                    item.heading or item.bold or larger or layout.LIST_MARKER.match(stripped)):
                block_kind = BlockKind.heading
            elif block_kind == BlockKind.paragraph and item.lead:
                n = sum(1 for i in index if i < item.lead)
                lead = clean[:n].strip() if len(clean[:n].strip()) >= 2 else None
        text_blocks.append(TextBlock(kind=block_kind, section=section if block_kind != BlockKind.masthead else None,
                                     text=clean, chars=[None] * len(clean), pages=[number] * len(clean), lead=lead))
    text, text_map, blocks = _assemble(text_blocks)
    tables = []
    for before, number, table in raw_tables:
        clean_rows = [[normalize_text((cell or "").replace("\n", "")) for cell in row] for row in table.rows]
        prev = blocks[before - 1] if before else None
        tables.append(Table(id=len(tables), page=number, bbox=BBox(x0=0, top=0, x1=0, bottom=0),
                            section=prev.section if prev else None,
                            caption=prev.text if prev and prev.kind == BlockKind.caption else None,
                            rows=clean_rows, anchor=prev.end if prev else 0,
                            cells=[TableCell(row=r, col=c, text=t) for r, row in enumerate(clean_rows)
                                   for c, t in enumerate(row)]))
    masthead = metadata.read_masthead([(tb.text, items[tb.pages[0] - 1].size or 0.0) for tb in text_blocks
                                       if tb.kind == BlockKind.masthead])
    if flow.title:
        stated = metadata.read_masthead([(flow.title, 1.0)])
        masthead["title"] = masthead["title"] or stated["title"]
        masthead["issue_number"] = masthead["issue_number"] or stated["issue_number"]
    masthead["issuer"] = masthead["issuer"] or flow.issuer
    masthead["issue_date"] = masthead["issue_date"] or flow.issue_date
    meta = _metadata(masthead, blocks, text)
    pages = [Page(number=n, width=0.0, height=0.0, has_text=isinstance(item, FlowParagraph))
             for n, item in enumerate(items, start=1)]
    infos = _page_infos(pages, text_map, len(text), {})
    document = Document(sha256=sha256, file_name=file_name, page_count=len(items), status=DocumentStatus.ok,
                        metadata=meta, extractor_version=__version__, kind=kind)
    extraction = Extraction(document=document, pages=infos, text=text, blocks=blocks, tables=tables, furniture=[])
    return ParsedDocument(extraction, text_map)


KIND_NAMES = {"docx": "Word document", "html": "web page", "ofd": "OFD document"}


def _flow_masthead(items, body: float | None) -> set[int]:
    """The leading paragraphs of a Word bulletin that are its masthead: short, up to the last that
    looks like one (large type, 第N期, a full date): 重点民生实事工作简报 / 第5期 / …专班  2023年5月24日."""
    from extractor.readers.flow import FlowParagraph

    leading: list[int] = []
    for number, item in enumerate(items[:MASTHEAD_LINES], start=1):
        if not isinstance(item, FlowParagraph):
            break
        text = item.text.strip()
        if layout.SECTION_HEADING.match(text) or len(text) > MASTHEAD_CHARS:
            break
        leading.append(number)
    last = max((i for i, n in enumerate(leading) if (body and (items[n - 1].size or 0) > body * 1.15)
                or metadata.ISSUE_NUMBER.search(items[n - 1].text) or metadata.parse_full_date(items[n - 1].text)),
               default=-1)
    return set(leading[:last + 1])


def _home_area(meta) -> tuple[str | None, str | None]:
    """The bulletin's own city and county, which 全市 and 全县 mean, from its issuer or title:
    邵阳市打好重点民生保障仗工作专班 → (邵阳市, None); 新安县人民政府办公室 → (洛阳市, 新安县)."""
    places = gazetteer()
    for text in (meta.issuer, meta.title):
        for _, _, name in places.find_in(text or ""):
            for place in places.lookup(name)[:1]:
                if place.level == "city":
                    return place.name, None
                city = next((p for p in places.parents(place) if p.level == "city"), None)
                county = place if place.level == "county" else next(
                    (p for p in places.parents(place) if p.level == "county"), None)
                if city:
                    return city.name, county.name if county else None
    return None, None


def _masthead_segments(pages: list[Page], size: float) -> dict[int, Segment]:
    """Page 1's lines above the masthead rule; without a rule, the lines above the body.

    The masthead is the bulletin's name (large type), 第N期, and the issuer and the date.
    """
    if not pages or not pages[0].segments:
        return {}
    segs = sorted(pages[0].segments, key=lambda s: s.top)
    top_rules = [r.top for r in pages[0].rules if r.top < 0.5 * pages[0].height and any(s.bottom < r.top for s in segs)]
    if top_rules:
        limit = min(top_rules)
        return {id(s): s for s in segs if s.bottom <= limit + 1}
    # No rule: the leading short lines, up to the last one that looks like a masthead's
    # (large type, 第N期, a full date): 政务督查 / 第9期 / 新安县人民政府办公室2010年5月5日.
    leading = []
    for seg in segs[:MASTHEAD_LINES]:
        text = seg.text.strip()
        if layout.SECTION_HEADING.match(text) or len(text) > MASTHEAD_CHARS:
            break
        leading.append(seg)
    last = max((i for i, seg in enumerate(leading) if seg.size > size * 1.15
                or metadata.ISSUE_NUMBER.search(seg.text) or metadata.parse_full_date(seg.text)), default=-1)
    return {id(seg): seg for seg in leading[:last + 1]}


# Without a masthead rule, the masthead is among page 1's first lines, and they are short.
MASTHEAD_LINES = 8
MASTHEAD_CHARS = 40


def _remove_table_text(pages: list[Page], raw_tables: dict[int, list]) -> None:
    for number, tables in raw_tables.items():
        page = pages[number - 1]
        boxes = [t[0] for t in tables]
        page.segments = [s for s in page.segments if not any(_inside(s, b) for b in boxes)]


def _inside(seg: Segment, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    cx, cy = (seg.x0 + seg.x1) / 2, (seg.top + seg.bottom) / 2
    return x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1


# A standalone line this short, without a sentence's end, is a heading: 一、中小学校安全建设项目.
HEADING_MAX = 30


def _refine_kinds(blocks: list[TextBlock], size: float, weight: int) -> None:
    for block in blocks:
        if block.kind != BlockKind.paragraph or len(block.segments) != 1:
            continue
        text = block.text
        seg = block.segments[0]
        standalone = len(text) <= HEADING_MAX and text[-1] not in "。！？；，、"
        if standalone and (seg.size > size * 1.1 or layout.LIST_MARKER.match(text) or block.lead == text.strip()
                           or _heavy(seg, weight)):
            block.kind = BlockKind.heading
            block.lead = None


def _heavy(seg: Segment, weight: int) -> bool:
    ink = [c for c in seg.chars if not c.text.isspace()]
    return bool(ink) and sum(c.weight >= weight + 100 for c in ink) > len(ink) / 2


def _assemble(text_blocks: list[TextBlock]) -> tuple[str, TextMap, list[Block]]:
    """Join the blocks' clean texts with newlines; one offset map for the whole text."""
    parts: list[str] = []
    pages: list[int] = []
    boxes: list[tuple[float, float, float, float] | None] = []
    blocks: list[Block] = []
    offset = 0
    for i, tb in enumerate(text_blocks):
        if i:
            parts.append("\n")
            pages.append(pages[-1])
            boxes.append(None)
            offset += 1
        start = offset
        parts.append(tb.text)
        pages.extend(tb.pages)
        boxes.extend(_box(c) for c in tb.chars)
        offset += len(tb.text)
        blocks.append(Block(id=len(blocks), kind=tb.kind, section=tb.section, lead=tb.lead, text=tb.text,
                            page_start=tb.pages[0], page_end=tb.pages[-1], start=start, end=offset,
                            prov=_provenance(tb, start), confidence=_confidence(tb)))
    return "".join(parts), TextMap(pages, boxes), blocks


def _confidence(tb: TextBlock) -> float | None:
    """The mean of the OCR engine's scores of the block's lines; None for text-layer lines."""
    scores = [next((c.confidence for c in s.chars if c.confidence is not None), None) for s in tb.segments]
    scores = [x for x in scores if x is not None]
    return round(sum(scores) / len(scores), 4) if scores else None


def _box(c: Char | None) -> tuple[float, float, float, float] | None:
    return None if c is None else (c.x0, c.top, c.x1, c.bottom)


def _provenance(tb: TextBlock, start: int) -> list[ProvenanceItem]:
    out: list[ProvenanceItem] = []
    i = 0
    n = len(tb.pages)
    while i < n:
        page = tb.pages[i]
        j = i
        while j < n and tb.pages[j] == page:
            j += 1
        segs = [s for s in tb.segments if s.page == page]
        bbox = BBox(x0=round(min(s.x0 for s in segs), 2), top=round(min(s.top for s in segs), 2),
                    x1=round(max(s.x1 for s in segs), 2), bottom=round(max(s.bottom for s in segs), 2)) if segs else None
        out.append(ProvenanceItem(page=page, bbox=bbox, start=start + i, end=start + j))
        i = j
    return out


def _tables(raw_tables: dict[int, list], text_blocks: list[TextBlock], blocks: list[Block]) -> list[Table]:
    tables: list[Table] = []
    for page, found in sorted(raw_tables.items()):
        for bbox, rows, cell_boxes in found:
            x0, top, x1, bottom = bbox
            # The table stands after the last block that starts above it on its page (or before).
            before = [b for tb, b in zip(text_blocks, blocks)
                      if (tb.segments[0].page, tb.segments[0].top) < (page, top)]
            anchor = before[-1].end if before else 0
            caption_block = before[-1] if before and before[-1].kind == BlockKind.caption else None
            clean_rows = [[normalize_text((cell or "").replace("\n", "")) for cell in row] for row in rows]
            cells = [TableCell(row=r, col=c, text=text,
                               bbox=_cell_bbox(cell_boxes, r, c))
                     for r, row in enumerate(clean_rows) for c, text in enumerate(row)]
            tables.append(Table(id=len(tables), page=page,
                                bbox=BBox(x0=round(x0, 2), top=round(top, 2), x1=round(x1, 2), bottom=round(bottom, 2)),
                                section=before[-1].section if before else None,
                                caption=caption_block.text if caption_block else None,
                                rows=clean_rows, cells=cells, anchor=anchor))
    return tables


def _cell_bbox(cell_boxes: list, r: int, c: int) -> BBox | None:
    try:
        box = cell_boxes[r][c]
    except IndexError:
        return None
    if box is None:
        return None
    return BBox(x0=round(box[0], 2), top=round(box[1], 2), x1=round(box[2], 2), bottom=round(box[3], 2))


def _metadata(masthead: dict, blocks: list[Block], text: str):
    if masthead["issue_date"] is None:
        opening = [b.text for b in blocks[:HEADER_BLOCKS]]
        masthead["issue_date"] = metadata.read_labelled_date(opening)
    if masthead["issue_date"] is None:
        body = [b.text for b in blocks if b.kind in (BlockKind.paragraph, BlockKind.heading)]
        closing = metadata.before_attachments(body)[-SIGNATURE_BLOCKS:]
        issuer, date = metadata.read_signature(closing)
        masthead["issue_date"] = date
        masthead["issuer"] = masthead["issuer"] or issuer
    masthead["issuer"] = masthead["issuer"] or metadata.read_labelled_issuer([b.text for b in blocks[:HEADER_BLOCKS]])
    end_of_body = next((b.start for b in blocks if b.kind in (BlockKind.recipients, BlockKind.contact)), len(text))
    sections: list[Section] = []
    for b in blocks:
        if b.kind == BlockKind.section_heading:
            if sections:
                sections[-1].end = b.start
            sections.append(Section(title=b.section or b.text, page=b.page_start, start=b.start, end=end_of_body))
        elif sections and b.start < end_of_body:
            title = b.lead if b.kind == BlockKind.paragraph else b.text if b.kind == BlockKind.heading else None
            if title:
                sections[-1].articles.append(Article(title=metadata.article_title(title), page=b.page_start,
                                                     start=b.start, end=b.end))
    report_to: list[str] = []
    send_to: list[str] = []
    phone = email = None
    for b in blocks:
        if b.kind == BlockKind.recipients:
            target = report_to if b.text.lstrip().startswith(("报", "主送")) else send_to
            target.extend(metadata.split_recipients(b.text))
        elif b.kind == BlockKind.contact:
            p, e = metadata.read_contact(b.text)
            phone, email = phone or p, email or e
    return metadata.build_metadata(masthead, sections, report_to, send_to, phone, email)


# A web page's header (日期: 2025-04-11 来源: …) stands among the first blocks.
HEADER_BLOCKS = 10
# A signature (落款) stands among the body's last blocks.
SIGNATURE_BLOCKS = 4


def _page_infos(pages: list[Page], text_map: TextMap, length: int,
                confidence: dict[int, float | None]) -> list[PageInfo]:
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for offset, page in enumerate(text_map.pages):
        first.setdefault(page, offset)
        last[page] = offset + 1
    infos = []
    cursor = 0
    for p in pages:
        start = first.get(p.number, cursor)
        end = last.get(p.number, start)
        cursor = end
        infos.append(PageInfo(page=p.number, width=round(p.width, 2), height=round(p.height, 2), start=start,
                              end=end, has_text=p.has_text, ocr_confidence=confidence.get(p.number)))
    return infos
