"""OCR of image-only (scanned) pages with rapidocr, into the same ``Segment``s a text layer gives.

Optional: ``pip install 'bulletin-extract[ocr]'`` (rapidocr 3.x, which ships its Chinese
PP-OCR models in the wheel and runs offline, and onnxruntime, which it does not depend on).
Without it ``load_engine()`` returns None and a scanned PDF keeps the status ``needs_ocr``.

Per image-only page:

1. the page is rendered with pdfium at ``RENDER_DPI`` (so coordinates are the page's, whatever
   the embedded image's resolution or placement);
2. rapidocr finds the text lines (detection on the page shrunk to ``DET_SIDE`` px, which reads
   an A4 page in well under a second) and reads them, with a box for every character (the
   recogniser's CTC columns);
3. the page's skew is estimated from the line boxes' angles (the median over long lines) and
   the boxes are rotated back around the page centre — the recogniser already reads each line
   from its own rotated crop, so the image is not rotated and read again;
4. characters become ``pdf.Char``s in PDF points with the top-left origin: x from the character
   boxes, top and bottom from the line box, font size from the line height (``SIZE_PER_HEIGHT``,
   then snapped to the document's body size so the ±5 % jitter of OCR boxes does not look like a
   change of type), weight 400 (OCR cannot tell bold, so bold leads are not found on OCR'd pages)
   and ``confidence`` = the engine's line score. They are grouped into lines and split at wide
   gaps by the same code as a text layer (``pdf._segments``);
5. long horizontal and vertical rules are found in the deskewed image: the masthead's rule (which
   ``extract_document`` uses to find the masthead) and the grid of ruled tables, whose cells are
   filled from the OCR'd characters and returned in ``pdf.find_ruled_tables``' format.

The engine is created once per process (``load_engine`` is cached) and reused for every page.
"""

from __future__ import annotations

import functools
import math
import os
import re
import statistics
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pypdfium2 as pdfium

from extractor.pdf import Char, Page, Rule, _segments

# Pages are rendered at this resolution for OCR (150 dpi: an A4 page is 1241 × 1754 px).
RENDER_DPI = 150
# Detection runs on the page shrunk so its longer side is this many pixels.
DET_SIDE = 960
DET_BOX_THRESH = 0.3
# Font size ≈ this × the OCR line box's height (the box has a margin around the glyphs;
# measured on the samples: a 16 pt body line gives a 20.2 pt box).
SIZE_PER_HEIGHT = 0.79
# Font size ≈ the glyphs' ink height / this (CJK ideographs fill about 0.9 of the em; measured
# on the samples: a 16 pt body line has 14.9 pt of ink at 150 dpi).
INK_PER_EM = 0.93
# Pixels darker than this are ink when measuring a line's glyph height; a row of the line's box
# is inked when at least this share of its pixels are (dust specks are not).
LINE_INK = 140
INK_ROW_SHARE = 0.01
# Line sizes within this share of the document's body size are the body size.
SIZE_SNAP = 0.12
# Lines this much longer than tall vote for the page's skew angle.
SKEW_MIN_ASPECT = 5.0
# A horizontal rule spans at least this share of the page width; a table's vertical rule
# at least this many pixels (at RENDER_DPI).
RULE_WIDTH = 0.4
VRULE_MIN_PX = 30
# Ink darker than this (0–255) counts for rules.
RULE_INK = 128
# A page number between dashes, which OCR reads with 一 for the dash: 一 9 一, -9一.
DASHED_NUMBER = re.compile(r"^[—–\-－一~～·•\s]*\d{1,4}[—–\-－一~～·•\s]*$")
# Half-width dots that, beside no Latin letter or digit, are dust on the scan.
SPECKS = ".'`"
# Weight given to OCR'd characters (a regular face: OCR cannot see bold).
WEIGHT = 400


@dataclass
class OcrLine:
    text: str
    score: float
    quad: np.ndarray  # 4 × 2, pixels: top-left, top-right, bottom-right, bottom-left
    chars: list[tuple[str, np.ndarray]] = field(default_factory=list)  # (character, its quad)


@dataclass
class OcrPage:
    """What OCR read on one page, in PDF points (top-left origin), before font sizes are snapped."""

    number: int
    chars: list[Char]
    rules: list[Rule]
    tables: list  # as pdf.find_ruled_tables: (bbox, rows of cell texts, rows of cell boxes)
    confidence: float | None
    skew: float  # degrees, as measured (the page's lines rise to the right when negative)


@functools.cache
def load_engine():
    """The rapidocr engine, created once per process; None when rapidocr is not installed."""
    try:
        from rapidocr import RapidOCR
        import onnxruntime  # noqa: F401  rapidocr needs it but does not depend on it
    except ImportError:
        return None
    params = {
        "Global.log_level": "warning",
        "Global.use_cls": False,  # pages are rendered upright: no 180° line classifier
        "Det.limit_type": "max",
        "Det.limit_side_len": DET_SIDE,
        # A lone page number (— 2 —) on the shrunk page scores 0.3–0.5 as a text region; the
        # recogniser's own score (Global.text_score, 0.5) still drops what is not text.
        "Det.box_thresh": DET_BOX_THRESH,
    }
    threads = os.environ.get("BULLETIN_OCR_THREADS")
    if threads:
        params["EngineConfig.onnxruntime.intra_op_num_threads"] = int(threads)
    engine = RapidOCR(params=params)
    # rapidocr 3 loads its models on first use: load them now, once, so the first page is not slower.
    for name in ("_load_det_model", "_load_rec_model"):
        getattr(engine, name, lambda: None)()
    return engine


def available() -> bool:
    return load_engine() is not None


def needs_ocr(page: Page) -> bool:
    return not page.has_text and page.has_images


def recognize(pdf: pdfium.PdfDocument, pages: list[Page],
              progress: Callable[[int, int], None] | None = None, done: int = 0) -> dict[int, OcrPage]:
    """OCR the image-only pages in place: fill their segments and rules. Returns what each page gave.

    Does nothing (returns {}) when rapidocr is not installed. ``progress(done, total)`` is
    called after each page, counting from ``done``.
    """
    def render(page: Page) -> tuple[np.ndarray, float]:
        pdf_page = pdf[page.number - 1]
        try:
            return render_page(pdf_page), RENDER_DPI / 72
        finally:
            pdf_page.close()

    return recognize_images([p for p in pages if needs_ocr(p)], render, len(pages), progress, done)


def recognize_images(todo: list[Page], image_of: Callable[[Page], tuple[np.ndarray, float]], total: int,
                     progress: Callable[[int, int], None] | None = None, done: int = 0) -> dict[int, OcrPage]:
    """OCR pages given as images: ``image_of(page)`` → (grey image, pixels per point). Fills the
    pages' segments and rules in place (sizes snapped to the body size over all of them)."""
    engine = load_engine() if todo else None
    if engine is None:
        return {}
    results: dict[int, OcrPage] = {}
    for page in todo:
        image, scale = image_of(page)
        results[page.number] = read_image(engine, image, page.number, scale)
        done += 1
        if progress:
            progress(done, total)
    sizes = [c.size for r in results.values() for c in r.chars]
    body = _body_size(sizes)
    for page in todo:
        result = results[page.number]
        for c in result.chars:
            c.size = _snap(c.size, body)
        page.segments = _segments(result.chars, page.number)
        page.rules = result.rules
    return results


def render_page(pdf_page: pdfium.PdfPage, dpi: float = RENDER_DPI) -> np.ndarray:
    image = pdf_page.render(scale=dpi / 72, grayscale=True).to_numpy()
    return image[..., 0] if image.ndim == 3 else image


def read_page(engine, pdf_page: pdfium.PdfPage, number: int, dpi: float = RENDER_DPI) -> OcrPage:
    return read_image(engine, render_page(pdf_page, dpi), number, dpi / 72)


def read_image(engine, image: np.ndarray, number: int, scale: float) -> OcrPage:
    """OCR one page image (grey, ``scale`` pixels per point) into characters in points."""
    lines = run_engine(engine, image)
    h, w = image.shape[:2]
    angle = skew_angle(lines)
    rotate = _rotator(angle, w / 2, h / 2)
    straight = _deskew_image(image, angle)
    chars: list[Char] = []
    for line in lines:
        chars.extend(_line_chars(line, rotate, scale, straight))
    hrules, vrules = find_rules(straight)
    rules = [Rule(x0 / scale, y / scale, x1 / scale, y / scale) for y, x0, x1 in hrules]
    tables, chars = _grid_tables(hrules, vrules, chars, scale)
    scores = [ln.score for ln in lines]
    confidence = round(sum(scores) / len(scores), 4) if scores else None
    return OcrPage(number, chars, rules, tables, confidence, math.degrees(angle))


def run_engine(engine, image: np.ndarray) -> list[OcrLine]:
    out = engine(image, return_word_box=True, return_single_char_box=True)
    if out.boxes is None or out.txts is None or not len(out.txts):
        return []
    words = list(out.word_results) if out.word_results else []
    lines = []
    for i, (quad, text, score) in enumerate(zip(out.boxes, out.txts, out.scores)):
        if DASHED_NUMBER.match(text):
            text = text.replace("一", "—")  # — 9 — read as 一9一
        line = OcrLine(text=text, score=float(score), quad=np.asarray(quad, dtype=np.float64))
        if len(words) == len(out.txts):
            line.chars = [(t, np.asarray(q, dtype=np.float64)) for t, _, q in words[i] if q is not None]
        lines.append(line)
    return lines


def skew_angle(lines: list[OcrLine]) -> float:
    """The page's skew in radians: the median angle of the long lines' top and bottom edges."""
    angles = []
    for line in lines:
        q = line.quad
        width = np.linalg.norm(q[1] - q[0])
        height = np.linalg.norm(q[3] - q[0])
        if height <= 0 or width < SKEW_MIN_ASPECT * height:
            continue
        top = math.atan2(q[1][1] - q[0][1], q[1][0] - q[0][0])
        bottom = math.atan2(q[2][1] - q[3][1], q[2][0] - q[3][0])
        angles.append((top + bottom) / 2)
    return statistics.median(angles) if angles else 0.0


def _rotator(angle: float, cx: float, cy: float) -> Callable[[np.ndarray], np.ndarray]:
    """Rotate points (n × 2, pixels) by -angle around (cx, cy): skewed lines become level."""
    cos, sin = math.cos(angle), math.sin(angle)

    def rotate(points: np.ndarray) -> np.ndarray:
        dx, dy = points[..., 0] - cx, points[..., 1] - cy
        return np.stack([cx + cos * dx + sin * dy, cy - sin * dx + cos * dy], axis=-1)

    return rotate


def _line_chars(line: OcrLine, rotate, scale: float, straight: np.ndarray) -> list[Char]:
    quad = rotate(line.quad)
    top = (quad[0][1] + quad[1][1]) / 2 / scale
    bottom = (quad[2][1] + quad[3][1]) / 2 / scale
    x0 = (quad[0][0] + quad[3][0]) / 2 / scale
    x1 = (quad[1][0] + quad[2][0]) / 2 / scale
    if bottom <= top or x1 <= x0:
        return []
    ink = _ink_rows(straight, top * scale, bottom * scale, x0 * scale, x1 * scale)
    if ink is not None:
        # The glyphs' own extent: the detector's box margin varies by ±10 % from line to line.
        top, bottom = ink[0] / scale, ink[1] / scale
        size = round((bottom - top) / INK_PER_EM, 2)
    else:
        size = round((bottom - top) * SIZE_PER_HEIGHT, 2)
    text = line.text.strip()
    ink = [ch for ch in text if not ch.isspace()]
    boxes = _char_boxes(line, rotate, scale, ink)
    if boxes is None:
        boxes = _proportional_boxes(ink, x0, x1)
    chars = []
    boxes_iter = iter(boxes)
    for ch in text:
        if ch.isspace():
            # Keep the engine's spaces (between Latin words): placed where the next character starts.
            chars.append(("space", ch))
            continue
        chars.append(("ink", (ch, next(boxes_iter))))
    out: list[Char] = []
    for i, (kind, item) in enumerate(chars):
        if kind == "space":
            prev_x1 = out[-1].x1 if out else x0
            out.append(Char(text=" ", x0=prev_x1, top=top, x1=prev_x1, bottom=bottom, size=size, weight=WEIGHT,
                            confidence=line.score))
            continue
        ch, (cx0, cx1) = item
        out.append(Char(text=ch, x0=cx0, top=top, x1=cx1, bottom=bottom, size=size, weight=WEIGHT,
                        confidence=line.score))
    return [c for i, c in enumerate(out) if not _speck(out, i)]


def _speck(chars: list[Char], i: int) -> bool:
    """A dot read from dust: a half-width dot with no Latin letter or digit beside it (79.1 and
    163.com keep theirs; Chinese text ends its sentences with 。)."""
    if chars[i].text not in SPECKS:
        return False
    beside = [chars[j].text for j in (i - 1, i + 1) if 0 <= j < len(chars)]
    return not any(t.isascii() and t.isalnum() for t in beside)


def _ink_rows(image: np.ndarray, top: float, bottom: float, x0: float, x1: float) -> tuple[int, int] | None:
    """The first and last pixel rows (page coordinates) with ink in the line's box of the deskewed page."""
    h, w = image.shape[:2]
    t, b = max(int(top), 0), min(int(math.ceil(bottom)), h)
    left, right = max(int(x0), 0), min(int(math.ceil(x1)), w)
    if b - t < 3 or right - left < 3:
        return None
    crop = image[t:b, left:right] < LINE_INK
    rows = np.flatnonzero(crop.mean(axis=1) >= INK_ROW_SHARE)
    if len(rows) < 2:
        return None
    return t + int(rows[0]), t + int(rows[-1]) + 1


def _char_boxes(line: OcrLine, rotate, scale: float, ink: list[str]) -> list[tuple[float, float]] | None:
    """The engine's per-character x ranges (points), when they match the line's characters one to one."""
    if not line.chars:
        return None
    texts = [t for t, _ in line.chars]
    if "".join(texts).replace(" ", "") != "".join(ink) or len(texts) != len(ink):
        return None
    boxes = []
    for _, q in line.chars:
        r = rotate(q)
        boxes.append((float(r[:, 0].min()) / scale, float(r[:, 0].max()) / scale))
    boxes.sort()
    return boxes


def _proportional_boxes(ink: list[str], x0: float, x1: float) -> list[tuple[float, float]]:
    """Split the line's width over its characters: full-width 1, half-width ½."""
    widths = [0.5 if unicodedata.east_asian_width(ch) in ("Na", "H") else 1.0 for ch in ink]
    unit = (x1 - x0) / (sum(widths) or 1)
    boxes, x = [], x0
    for wd in widths:
        boxes.append((x, x + wd * unit))
        x += wd * unit
    return boxes


def _body_size(sizes: list[float]) -> float | None:
    if not sizes:
        return None
    rounded = [round(s) for s in sizes]
    return float(statistics.mode(rounded))


def _snap(size: float, body: float | None) -> float:
    if body and abs(size - body) <= SIZE_SNAP * body:
        return body
    return round(size * 2) / 2


def _deskew_image(image: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < 1e-4:
        return image
    from PIL import Image

    # PIL rotates counter-clockwise for positive angles with y pointing down, i.e. by -angle
    # in image coordinates: the inverse of the skew, about the centre (as _rotator).
    return np.asarray(Image.fromarray(image).rotate(math.degrees(angle), resample=Image.BILINEAR, fillcolor=255))


def find_rules(image: np.ndarray) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Long horizontal rules (y, x0, x1) and vertical rules (x, y0, y1) in pixels."""
    import cv2

    h, w = image.shape[:2]
    ink = (image < RULE_INK).astype(np.uint8)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(int(RULE_WIDTH * w * 0.5), 20)), np.uint8))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((VRULE_MIN_PX, 1), np.uint8))
    hrules = []
    for y0, y1, a, b in _runs(horizontal, axis=0):
        if b - a >= RULE_WIDTH * w:
            hrules.append(((y0 + y1) / 2, a, b))
    vrules = [((x0 + x1) / 2, a, b) for x0, x1, a, b in _runs(vertical, axis=1)]
    return hrules, vrules


def _runs(mask: np.ndarray, axis: int) -> list[tuple[int, int, int, int]]:
    """Bands of consecutive rows (axis 0) or columns (axis 1) holding ink: (start, end, extent from, to)."""
    profile = mask.any(axis=1 - axis)
    out = []
    i, n = 0, len(profile)
    while i < n:
        if not profile[i]:
            i += 1
            continue
        j = i
        while j < n and profile[j]:
            j += 1
        band = mask[i:j, :] if axis == 0 else mask[:, i:j]
        along = np.flatnonzero(band.any(axis=axis))
        out.append((i, j, int(along[0]), int(along[-1]) + 1))
        i = j
    return out


def _grid_tables(hrules, vrules, chars: list[Char], scale: float):
    """Ruled tables: a grid of ≥ 3 horizontal rules crossed by ≥ 3 vertical ones. Their characters
    go into cells (by their centre) and out of the running text."""
    tables = []
    if len(hrules) < 3 or len(vrules) < 3:
        return tables, chars
    # Vertical rules group the horizontal ones they cross into tables.
    ys = sorted(hrules)
    groups: list[list[tuple[float, float, float]]] = []
    for rule in ys:
        crossing = [v for v in vrules if v[1] - 3 <= rule[0] <= v[2] + 3 and rule[1] - 3 <= v[0] <= rule[2] + 3]
        if not crossing:
            continue
        if groups and any(v[1] - 3 <= groups[-1][-1][0] <= v[2] + 3 for v in crossing):
            groups[-1].append(rule)
        else:
            groups.append([rule])
    left = list(chars)
    for rows in groups:
        if len(rows) < 3:
            continue
        top, bottom = rows[0][0], rows[-1][0]
        x0 = min(r[1] for r in rows)
        x1 = max(r[2] for r in rows)
        cols = sorted({round(v[0]) for v in vrules if v[1] <= top + 5 and v[2] >= bottom - 5 and x0 - 5 <= v[0] <= x1 + 5})
        merged: list[float] = []
        for x in cols:
            if merged and x - merged[-1] < 5:
                continue
            merged.append(x)
        if len(merged) < 3:
            continue
        row_edges = [r[0] / scale for r in rows]
        col_edges = [x / scale for x in merged]
        cells_text = [["" for _ in col_edges[:-1]] for _ in row_edges[:-1]]
        inside = []
        for c in left:
            cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
            if not (col_edges[0] <= cx <= col_edges[-1] and row_edges[0] <= cy <= row_edges[-1]):
                continue
            inside.append(c)
            r = max(i for i, e in enumerate(row_edges[:-1]) if cy >= e)
            k = max(i for i, e in enumerate(col_edges[:-1]) if cx >= e)
            cells_text[r][k] += c.text
        if not inside:
            continue
        ids = {id(c) for c in inside}
        left = [c for c in left if id(c) not in ids]
        cell_boxes = [[(col_edges[k], row_edges[r], col_edges[k + 1], row_edges[r + 1]) for k in range(len(col_edges) - 1)]
                      for r in range(len(row_edges) - 1)]
        bbox = (col_edges[0], row_edges[0], col_edges[-1], row_edges[-1])
        tables.append((bbox, [[t.strip() for t in row] for row in cells_text], cell_boxes))
    return tables, left
