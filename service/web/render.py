"""Page images for the web page: a stored PDF's page rendered with pypdfium2, with the boxes of a
span of the clean text drawn on it (``read_document(pdf).text_map.bboxes(start, end)``), so a figure
can be checked against its source. The parsed documents are kept in a small LRU per document."""

from __future__ import annotations

import io
import threading
from collections import OrderedDict

from service import worker

# pdfium is not thread-safe: share the lock the upload check uses.
_pdfium_lock: threading.Lock = getattr(worker, "_pdfium_lock", None) or threading.Lock()

SCALE = 1.5  # 72 dpi points → 108 dpi pixels: an A4 page is 893 × 1263
HIGHLIGHT = (255, 196, 0)
OUTLINE = (214, 69, 0)
PAD = 2.0  # points around a box


class ParsedCache:
    """The last ``size`` parsed documents (their text maps), keyed by document id and sha256 (a
    re-extracted document keeps its id and PDF, so its boxes stay valid)."""

    def __init__(self, size: int = 8):
        self.size = size
        self._items: OrderedDict[tuple[int, str], object] = OrderedDict()
        self._lock = threading.Lock()
        self._parse_locks: dict[tuple[int, str], threading.Lock] = {}

    def get(self, doc_id: int, sha256: str, pdf: bytes):
        key = (doc_id, sha256)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            parse_lock = self._parse_locks.setdefault(key, threading.Lock())
        with parse_lock:  # one parse per document at a time, however many page requests wait for it
            with self._lock:
                if key in self._items:
                    return self._items[key]
            from extractor import read_document

            with _pdfium_lock:
                parsed = read_document(pdf)
            with self._lock:
                self._items[key] = parsed.text_map
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
                self._parse_locks.pop(key, None)
            return parsed.text_map


cache = ParsedCache()


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    with _pdfium_lock:
        doc = pdfium.PdfDocument(pdf)
        try:
            return len(doc)
        finally:
            doc.close()


def boxes_for(doc_id: int, sha256: str, pdf: bytes, page: int, start: int | None, end: int | None) -> list:
    """The span's boxes on ``page`` (PDF points, origin top-left)."""
    if start is None or end is None or end <= start:
        return []
    text_map = cache.get(doc_id, sha256, pdf)
    return [box for p, box in text_map.bboxes(start, end) if p == page]


def render_page(pdf: bytes, page: int, boxes: list, scale: float = SCALE) -> tuple[bytes, float, float]:
    """The page as a PNG with the boxes highlighted (a translucent marker and an outline), and the
    page's width and height in points."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    with _pdfium_lock:
        doc = pdfium.PdfDocument(pdf)
        try:
            if not 1 <= page <= len(doc):
                raise IndexError(f"page {page} is not in the PDF (it has {len(doc)} pages)")
            image = doc[page - 1].render(scale=scale).to_pil().convert("RGB")
        finally:
            doc.close()
    if boxes:
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        for box in boxes:
            rect = [(box.x0 - PAD) * scale, (box.top - PAD) * scale, (box.x1 + PAD) * scale,
                    (box.bottom + PAD) * scale]
            draw.rectangle(rect, fill=(*HIGHLIGHT, 90), outline=(*OUTLINE, 255), width=3)
        image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=3)
    return out.getvalue(), image.size[0] / scale, image.size[1] / scale
