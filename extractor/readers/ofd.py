"""OFD (GB/T 33190, China's fixed-layout document standard) into the ``pdf.Page``s a PDF gives.

An OFD is a zip of XML: ``OFD.xml`` → ``Document.xml`` (page size, fonts, the page list) → each page's
``Content.xml``, whose ``TextObject``s carry a ``Boundary`` (x y w h, millimetres from the page's
top-left corner), a font ``Size``, a ``Weight`` and ``TextCode``s: the text, the first glyph's
position (``X``, ``Y`` = baseline, relative to the Boundary) and the advances to the next glyphs
(``DeltaX``: numbers, with ``g N v`` for N advances of v). Every glyph becomes a ``pdf.Char`` in
points with the top-left origin, grouped into lines by ``pdf._segments`` as a PDF's are; thin
``PathObject``s become rules (the masthead's red rule) and ruled-table grids.

Elements are matched by local name (writers differ in namespace); template pages are read under
the page; an encrypted OFD is refused, and so is one with more pages than ``MAX_PAGES`` (never the
first pages silently). XML is parsed with defusedxml (no DTD), the zip through ``archive``.
"""

from __future__ import annotations

import math
import re

from extractor.errors import CorruptDocument, EncryptedDocument, NoText, UnsafeDocument
from extractor.pdf import Char, Page, Rule, _segments
from extractor.readers.archive import Archive, resolve
from extractor.readers.xml import child, children, descendants, local, parse

PT_PER_MM = 72 / 25.4
A4_MM = (210.0, 297.0)
MAX_PAGES = 5000
# Glyph box around the baseline, in font sizes (as a CJK font's ascent and descent).
ASCENT = 0.88
DESCENT = 0.12
# A path this thin (points) is a rule: horizontal when this share of the page wide, or a table line.
RULE_HEIGHT = 4.0
RULE_WIDTH = 0.4
TABLE_LINE = 2.0
# An image over this share of the page on a page with no text: a scanned page, read by OCR.
SCAN_SHARE = 0.5
# Text whose characters are this share private-use or control codes is not readable text.
UNREADABLE_SHARE = 0.3
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def page_count(data: bytes) -> int:
    archive = Archive(data, "OFD")
    doc_path, document = _document(archive)
    return len(_page_refs(document, doc_path))


def read_pages(data: bytes, progress=None) -> tuple[list[Page], dict[int, list], dict]:
    """The pages (segments and rules), per page number the ruled tables as ``pdf.find_ruled_tables``
    gives them, and what OCR gave for the scanned pages (a page with no text and an image over most
    of it: a scanned OFD, read by ``ocr.recognize_images`` as a scanned PDF page is)."""
    from extractor.ocr import _grid_tables

    archive = Archive(data, "OFD")
    doc_path, document = _document(archive)
    common = child(document, "CommonData")
    default_box = _box_of(child(common, "PageArea") if common is not None else None) or (0, 0, *A4_MM)
    templates = {}
    if common is not None:
        for tpl in children(common, "TemplatePage"):
            if tpl.get("BaseLoc"):
                templates[tpl.get("ID")] = resolve(doc_path, tpl.get("BaseLoc"))
    pages: list[Page] = []
    tables: dict[int, list] = {}
    scans: dict[int, tuple[str, tuple[float, float, float, float]]] = {}  # page → (image part, its box in points)
    media = _media(archive, doc_path, common)
    for number, (page_path, _) in enumerate(_page_refs(document, doc_path), start=1):
        content = parse(archive.read(page_path), f"OFD page {number}")
        box = _box_of(child(content, "Area")) or default_box
        width_mm, height_mm = box[2], box[3]
        page = Page(number=number, width=width_mm * PT_PER_MM, height=height_mm * PT_PER_MM)
        chars: list[Char] = []
        lines: list[tuple[float, float, float, float]] = []
        layers = [content]
        for tpl in children(content, "Template"):
            path = templates.get(tpl.get("TemplateID"))
            if path and path in archive:
                layers.append(parse(archive.read(path), f"OFD template page of page {number}"))
        for layer in layers:
            for obj in layer.iter():
                name = local(obj.tag)
                if name == "TextObject":
                    chars.extend(_text_chars(obj))
                elif name == "PathObject":
                    box_ = _numbers(obj.get("Boundary"))
                    if len(box_) == 4:
                        lines.append(tuple(v * PT_PER_MM for v in box_))
                elif name == "ImageObject":
                    page.has_images = True
                    box_ = _numbers(obj.get("Boundary"))
                    part = media.get(obj.get("ResourceID"))
                    if part and len(box_) == 4 and box_[2] * box_[3] >= SCAN_SHARE * width_mm * height_mm:
                        scans.setdefault(number, (part, tuple(v * PT_PER_MM for v in box_)))
        page.path_count = len(lines)
        hrules = []
        vrules = []
        for x, y, w, h in lines:
            if h <= TABLE_LINE and w > 3 * TABLE_LINE:
                hrules.append((y + h / 2, x, x + w))
                if h <= RULE_HEIGHT and w >= RULE_WIDTH * page.width:
                    page.rules.append(Rule(x, y, x + w, y + h))
            elif w <= TABLE_LINE and h > 3 * TABLE_LINE:
                vrules.append((x + w / 2, y, y + h))
        found, chars = _grid_tables(sorted(hrules), vrules, chars, 1.0)
        if found:
            tables[number] = found
        page.segments = _segments(chars, number)
        page.has_text = bool(page.segments)
        pages.append(page)
    _check_unicode(pages)
    todo = [p for p in pages if not p.has_text and p.number in scans]
    ocr_pages = _ocr_scans(archive, todo, scans, progress, len(pages)) if todo else {}
    return pages, tables, ocr_pages


def _media(archive: Archive, doc_path: str, common) -> dict[str, str]:
    """Image resources by ID → their part's path: MultiMedia in the document's and the public resources."""
    found: dict[str, str] = {}
    if common is None:
        return found
    for name in ("DocumentRes", "PublicRes"):
        for ref in children(common, name):
            res_path = resolve(doc_path, ref.text or "")
            if not ref.text or res_path not in archive:
                continue
            res = parse(archive.read(res_path), res_path)
            base = res.get("BaseLoc") or ""
            for mm in descendants(res, "MultiMedia"):
                file_el = child(mm, "MediaFile")
                if mm.get("ID") and file_el is not None and (file_el.text or "").strip():
                    # MediaFile is relative to the resource file's BaseLoc folder (itself relative to the file).
                    loc = file_el.text.strip()
                    if base and not loc.startswith("/"):
                        loc = base.rstrip("/") + "/" + loc
                    found[mm.get("ID")] = resolve(res_path, loc)
    return found


def _ocr_scans(archive: Archive, todo: list[Page], scans: dict, progress, total: int) -> dict:
    import numpy as np
    from PIL import Image

    from extractor import ocr
    from extractor.readers import image as image_reader

    scale = ocr.RENDER_DPI / 72

    def image_of(page: Page):
        part, (x, y, w, h) = scans[page.number]
        picture = image_reader._open(archive.read(part))
        image_reader._check_size(picture, page.number)
        grey = image_reader._grey(picture).resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.BILINEAR)
        canvas = Image.new("L", (round(page.width * scale), round(page.height * scale)), 255)
        canvas.paste(grey, (round(x * scale), round(y * scale)))
        return np.asarray(canvas), scale

    return ocr.recognize_images(todo, image_of, total, progress)


def _check_unicode(pages: list[Page]) -> None:
    """Text in an embedded subset font's own codes (private-use or control characters, not Unicode) reads as
    garbage: say so rather than extract it."""
    chars = [c.text for p in pages for s in p.segments for c in s.chars if not c.text.isspace()]
    bad = sum(1 for ch in chars if 0xE000 <= ord(ch) <= 0xF8FF or ord(ch) < 0x20)
    if chars and bad > UNREADABLE_SHARE * len(chars):
        raise NoText(f"the OFD's text is in an embedded font's own codes ({bad} of {len(chars)} characters are not "
                     "Unicode), so it cannot be read; print it to PDF and try again")


def _document(archive: Archive):
    if "OFD.xml" not in archive:
        raise CorruptDocument("the OFD file has no OFD.xml (not an OFD package)")
    root = parse(archive.read("OFD.xml"), "OFD.xml")
    body = next(descendants(root, "DocBody"), None)
    doc_root = child(body, "DocRoot") if body is not None else None
    if doc_root is None or not (doc_root.text or "").strip():
        raise CorruptDocument("the OFD file's OFD.xml names no document (DocRoot)")
    if any(True for _ in descendants(root, "Encryptions")) or "Encryptions.xml" in archive:
        raise EncryptedDocument("the OFD document is encrypted")
    doc_path = resolve("OFD.xml", doc_root.text)
    if doc_path not in archive:
        raise CorruptDocument(f"the OFD file has no {doc_path} (named by its DocRoot)")
    return doc_path, parse(archive.read(doc_path), doc_path)


def _page_refs(document, doc_path: str) -> list[tuple[str, str | None]]:
    pages_el = child(document, "Pages")
    refs = [(resolve(doc_path, p.get("BaseLoc")), p.get("ID")) for p in children(pages_el, "Page")
            if p.get("BaseLoc")] if pages_el is not None else []
    if not refs:
        raise CorruptDocument("the OFD document has no pages")
    if len(refs) > MAX_PAGES:
        raise UnsafeDocument(f"the OFD document lists {len(refs)} pages, more than the limit of {MAX_PAGES}")
    return refs


def _box_of(area) -> tuple[float, float, float, float] | None:
    if area is None:
        return None
    for name in ("PhysicalBox", "ApplicationBox"):
        el = child(area, name)
        if el is not None:
            v = _numbers(el.text)
            if len(v) == 4 and v[2] > 0 and v[3] > 0:
                return v[0], v[1], v[2], v[3]
    return None


def _numbers(text: str | None) -> list[float]:
    return [float(x) for x in _NUMBER.findall(text or "")]


def _deltas(text: str | None) -> list[float]:
    """DeltaX/DeltaY: "5.6 5.6 g 3 2.8 5.6" → [5.6, 5.6, 2.8, 2.8, 2.8, 5.6]."""
    out: list[float] = []
    tokens = (text or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                n, v = int(float(tokens[i + 1])), float(tokens[i + 2])
            except ValueError:
                raise CorruptDocument(f"an OFD DeltaX has a bad glyph run {' '.join(tokens[i:i + 3])!r}") from None
            out.extend([v] * min(max(n, 0), 100_000))
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            raise CorruptDocument(f"an OFD DeltaX has a bad number {tokens[i]!r}") from None
        i += 1
    return out


def _text_chars(obj) -> list[Char]:
    boundary = _numbers(obj.get("Boundary"))
    if len(boundary) != 4:
        return []
    bx, by = boundary[0], boundary[1]
    size_mm = float(obj.get("Size") or 0) or 3.5
    ctm = _numbers(obj.get("CTM"))
    a, b, c, d, e, f = ctm if len(ctm) == 6 else (1, 0, 0, 1, 0, 0)
    scale = math.sqrt(abs(a * d - b * c)) or 1.0
    weight = int(float(obj.get("Weight") or 400))
    if (obj.get("Bold") or "").lower() == "true":
        weight = max(weight, 700)
    size = size_mm * scale * PT_PER_MM
    out: list[Char] = []
    x = y = 0.0
    for code in children(obj, "TextCode"):
        text = code.text or ""
        if code.get("X") is not None:
            x = float(code.get("X"))
        if code.get("Y") is not None:
            y = float(code.get("Y"))
        dx = _deltas(code.get("DeltaX"))
        dy = _deltas(code.get("DeltaY"))
        for i, ch in enumerate(text):
            step = dx[i] if i < len(dx) else (dx[-1] if dx else size_mm)
            px, py = a * x + c * y + e, b * x + d * y + f  # the glyph's origin after the CTM
            advance = abs(a * step) or size_mm * scale
            left = (bx + px) * PT_PER_MM
            base = (by + py) * PT_PER_MM
            glyph_w = min(advance, size_mm * scale) * PT_PER_MM
            out.append(Char(text=ch, x0=left, top=base - ASCENT * size, x1=left + glyph_w,
                            bottom=base + DESCENT * size, size=round(size, 2), weight=weight))
            x += step
            if i < len(dy):
                y += dy[i]
    return out
