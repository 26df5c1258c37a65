"""Reading a PDF: characters with positions, grouped into line segments per page.

pypdfium2 gives every character with its box, font size and weight at about a
millisecond a page; pdfplumber (30× slower) is opened only for the pages that
carry ruled lines, to find tables. Coordinates are PDF points with the origin
at the page's top-left corner, as pdfplumber has them.
"""

from __future__ import annotations

import ctypes
import io
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractor.errors import CorruptPDF, EmptyFile, EncryptedPDF, NotAPDF

# A gap wider than this many font sizes splits a row into segments: the masthead's
# "…工作专班          2023年5月24日", or the two columns of a two-column page
# (whose gutter is often just two characters wide).
SEGMENT_GAP = 1.5
# A row that splits into this many segments, all this short, is one line set with
# wide letter spacing (a masthead's "政 务 督 查"), not columns.
SPACED_OUT_PARTS = 3
SPACED_OUT_CHARS = 2
# Baselines closer than this share a row (in font sizes).
ROW_TOLERANCE = 0.35
# A complete PDF ends with %%EOF within this many bytes (some writers append a little after it).
TAIL = 4096
# A horizontal rule is a path at most this tall and at least this share of the page wide.
RULE_HEIGHT = 4.0
RULE_WIDTH = 0.4
# A run of this many spaces in the text layer is a gap too (typed alignment).
SPACE_RUN_GAP = 3


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    weight: int
    confidence: float | None = None  # the OCR engine's score of the character's line; None from a text layer


@dataclass(slots=True)
class Segment:
    """A run of characters on one baseline with no wide gap: a line, or a column's line."""

    page: int
    chars: list[Char]
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0
    text: str = ""

    def __post_init__(self) -> None:
        ink = [c for c in self.chars if not c.text.isspace()] or self.chars
        self.x0 = min(c.x0 for c in ink)
        self.x1 = max(c.x1 for c in ink)
        self.top = min(c.top for c in ink)
        self.bottom = max(c.bottom for c in ink)
        sizes = sorted(c.size for c in ink)
        self.size = sizes[len(sizes) // 2]
        self.text = "".join(c.text for c in self.chars)


@dataclass(slots=True)
class Rule:
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    segments: list[Segment] = field(default_factory=list)
    has_images: bool = False
    path_count: int = 0
    rules: list[Rule] = field(default_factory=list)  # long horizontal lines: the masthead's red rule
    has_text: bool = False  # as read, before furniture and tables are taken out


def check_pdf_bytes(data: bytes) -> None:
    """Refuse what is not a PDF before any parser sees it."""
    if not data:
        raise EmptyFile("the file is empty (0 bytes)")
    head = data[:1024]
    if b"%PDF-" not in head:
        sample = data[:16].decode("utf-8", "replace").strip()
        raise NotAPDF(f"not a PDF: it does not start with %PDF- (starts with {sample!r})")
    if b"%%EOF" not in data[-TAIL:]:
        # pdfium would quietly repair a cut-off file and read what is left: say so instead.
        raise CorruptPDF("the PDF is truncated: it has no end-of-file marker (%%EOF)")


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    check_pdf_bytes(data)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if e.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedPDF("the PDF is encrypted and needs a password to open") from None
        if e.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedPDF("the PDF uses an unsupported security handler") from None
        raise CorruptPDF("the PDF is corrupt or truncated and cannot be read") from None
    if len(pdf) == 0:
        pdf.close()
        raise CorruptPDF("the PDF has no pages (it may be truncated)")
    return pdf


def read_pages(pdf: pdfium.PdfDocument) -> list[Page]:
    pages = []
    for index in range(len(pdf)):
        try:
            page = pdf[index]
        except pdfium.PdfiumError:
            raise CorruptPDF(f"page {index + 1} cannot be read (the PDF is corrupt or truncated)") from None
        try:
            pages.append(_read_page(page, index + 1))
        finally:
            page.close()
    return pages


def _read_page(page: pdfium.PdfPage, number: int) -> Page:
    width, height = page.get_size()
    result = Page(number=number, width=width, height=height)
    # The raw API: a page typeset character by character has tens of thousands of objects,
    # and wrapping each in a PdfObject costs more than reading the text.
    raw_page = page.raw
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for i in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
        obj = pdfium_c.FPDFPage_GetObject(raw_page, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            result.has_images = True
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            result.path_count += 1
            if pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                if top.value - bottom.value <= RULE_HEIGHT and right.value - left.value >= RULE_WIDTH * width:
                    result.rules.append(Rule(left.value, height - top.value, right.value, height - bottom.value))
    textpage = page.get_textpage()
    try:
        chars = _page_chars(textpage, height)
    finally:
        textpage.close()
    result.segments = _segments(chars, number)
    result.has_text = bool(result.segments)
    return result


def _page_chars(textpage: pdfium.PdfTextPage, height: float) -> list[Char]:
    raw = textpage.raw
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    rect = pdfium_c.FS_RECTF()
    chars = []
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        if pdfium_c.FPDFText_IsGenerated(raw, i):
            continue  # pdfium's own spaces and line breaks: we group by position
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code in (0, 0xFFFE, 0xFFFF) or code in (10, 13):
            continue
        text = chr(code)
        if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
            if not pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top):
                continue
            rect.left, rect.right, rect.bottom, rect.top = left.value, right.value, bottom.value, top.value
        chars.append(Char(
            text=text, x0=rect.left, top=height - rect.top, x1=rect.right, bottom=height - rect.bottom,
            size=round(pdfium_c.FPDFText_GetFontSize(raw, i), 2),
            weight=pdfium_c.FPDFText_GetFontWeight(raw, i),
        ))
    return chars


def _segments(chars: list[Char], page: int) -> list[Segment]:
    """Group characters into rows by their vertical centre, then split rows at wide gaps."""
    if not chars:
        return []
    ordered = sorted(chars, key=lambda c: ((c.top + c.bottom) / 2, c.x0))
    rows: list[list[Char]] = []
    row_mid = None
    for c in ordered:
        mid = (c.top + c.bottom) / 2
        if row_mid is not None and abs(mid - row_mid) <= ROW_TOLERANCE * max(c.size, 1.0):
            rows[-1].append(c)
        else:
            rows.append([c])
            row_mid = mid
    segments = []
    for row in rows:
        row.sort(key=lambda c: c.x0)
        first = len(segments)
        current: list[Char] = []
        spaces = 0
        last_ink_x1 = None
        for c in row:
            if c.text.isspace():
                spaces += 1
                current.append(c)
                continue
            gap_too_wide = last_ink_x1 is not None and c.x0 - last_ink_x1 > SEGMENT_GAP * max(c.size, 1.0)
            if current and (gap_too_wide or spaces >= SPACE_RUN_GAP):
                _flush(current, page, segments)
                current = []
            spaces = 0
            current.append(c)
            last_ink_x1 = c.x1
        _flush(current, page, segments)
        parts = segments[first:]
        if len(parts) >= SPACED_OUT_PARTS and all(len(p.text.replace(" ", "")) <= SPACED_OUT_CHARS for p in parts):
            segments[first:] = [Segment(page=page, chars=[c for p in parts for c in p.chars])]
    return segments


def _flush(chars: list[Char], page: int, out: list[Segment]) -> None:
    while chars and chars[-1].text.isspace():
        chars.pop()
    while chars and chars[0].text.isspace():
        chars.pop(0)
    if chars:
        out.append(Segment(page=page, chars=chars))


def find_ruled_tables(data: bytes, page_numbers: list[int]) -> dict[int, list[tuple[tuple[float, float, float, float], list[list[str | None]], list]]]:
    """Ruled tables on the given pages, by pdfplumber's line strategy.

    Returns, per page number, a list of (bbox, rows of cell texts, rows of cell boxes).
    """
    if not page_numbers:
        return {}
    import pdfplumber  # only when a page has rules: it is the slow part

    found: dict[int, list] = {}
    settings = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
    with pdfplumber.open(io.BytesIO(data)) as doc:
        for number in page_numbers:
            page = doc.pages[number - 1]
            tables = []
            for table in page.find_tables(settings):
                rows = table.extract()
                if len(rows) < 2 or max(len(r) for r in rows) < 2:
                    continue  # a box around a paragraph, not a table
                boxes = [[cell for cell in row.cells] for row in table.rows]
                tables.append((table.bbox, rows, boxes))
            if tables:
                found[number] = tables
            page.close()
    return found
