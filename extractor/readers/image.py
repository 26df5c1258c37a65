"""Photographed or scanned pages (JPEG, PNG, multi-page TIFF) through the OCR path (extractor/ocr.py).

Each image (each TIFF frame) is a page. Its size in points comes from the resolution it declares
when that is a scanner's (100–600 dpi); a photo's declared dpi means nothing, so the page is taken
to be as wide as A4 (595 pt). The page is resampled to ``ocr.RENDER_DPI`` (what the OCR's
thresholds were measured at) and read by ``ocr.recognize_images``: the same characters, lines,
rules and ruled tables a scanned PDF page gives, with boxes in points from the image's top-left.

Safety: the declared size is checked before any pixel is decoded (``MAX_PIXELS``: a file that
declares 60,000 × 60,000 pixels is refused at once, as is a TIFF of more than ``MAX_PAGES`` frames);
Pillow's own decompression-bomb check stays on.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable

import numpy as np

from extractor import ocr
from extractor.errors import CorruptDocument, UnsafeDocument
from extractor.pdf import Page

# 60 M pixels: an A3 page scanned at 600 dpi (7016 × 9921 = 70 M) is refused, A4 at 600 dpi passes.
MAX_PIXELS = 60_000_000
MAX_PAGES = 1000
A4_WIDTH_PT = 595.0
SCANNER_DPI = (100, 600)


def _open(data: bytes):
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        # Pillow refuses at open, from the header alone: "Image size (3600000000 pixels) exceeds limit …"
        found = re.search(r"\((\d+) pixels\)", str(e))
        declared = f"{int(found.group(1)) / 1e6:,.0f} million" if found else "too many"
        raise UnsafeDocument(f"the image declares {declared} pixels, more than the limit of "
                             f"{MAX_PIXELS / 1e6:.0f} million (an image bomb, or a scan at too high a resolution)") from None
    except (OSError, ValueError, SyntaxError) as e:
        raise CorruptDocument(f"the image cannot be read ({e})") from None
    return image


def _check_size(image, number: int) -> None:
    w, h = image.size
    if w <= 0 or h <= 0:
        raise CorruptDocument(f"image page {number} has no pixels ({w} × {h})")
    if w * h > MAX_PIXELS:
        raise UnsafeDocument(f"image page {number} declares {w:,} × {h:,} pixels, more than the limit of "
                             f"{MAX_PIXELS / 1e6:.0f} million (an image bomb, or a scan at too high a resolution)")


def _frames(image):
    """Each frame of the image, its size checked before it is decoded; at most ``MAX_PAGES``."""
    n = 0
    while True:
        n += 1
        if n > MAX_PAGES:
            raise UnsafeDocument(f"the image has more than {MAX_PAGES} pages")
        _check_size(image, n)
        yield n, image
        try:
            image.seek(n)
        except EOFError:
            return
        except (OSError, ValueError) as e:
            raise CorruptDocument(f"image page {n + 1} cannot be read ({e})") from None


def page_count(data: bytes) -> int:
    image = _open(data)
    return sum(1 for _ in _frames(image))


def _page_size(image) -> tuple[float, float]:
    """The page's width and height in points."""
    w, h = image.size
    dpi = image.info.get("dpi")
    try:
        x_dpi = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        x_dpi = 0.0
    if SCANNER_DPI[0] <= x_dpi <= SCANNER_DPI[1]:
        return w * 72 / x_dpi, h * 72 / x_dpi
    return A4_WIDTH_PT, h * A4_WIDTH_PT / w


def _grey(image) -> np.ndarray:
    from PIL import Image, ImageOps

    try:
        image = ImageOps.exif_transpose(image)  # a phone photo taken sideways
        image.load()
    except (OSError, ValueError, SyntaxError) as e:
        raise CorruptDocument(f"the image cannot be decoded ({e})") from None
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image)
    return image.convert("L")


def read_pages(data: bytes, progress: Callable[[int, int], None] | None = None) -> tuple[list[Page], dict]:
    """The pages, OCR'd (empty pages when rapidocr is not installed), and what OCR gave per page."""
    from PIL import Image

    source = _open(data)
    sizes = [(n, _page_size(frame)) for n, frame in _frames(source)]
    pages = [Page(number=n, width=w, height=h, has_images=True) for n, (w, h) in sizes]
    scale = ocr.RENDER_DPI / 72

    def image_of(page: Page) -> tuple[np.ndarray, float]:
        source.seek(page.number - 1)
        grey = _grey(source)
        target = (max(1, round(page.width * scale)), max(1, round(page.height * scale)))
        if grey.size != target:
            grey = grey.resize(target, Image.BILINEAR, reducing_gap=2.0)
        return np.asarray(grey), scale

    # has_text stays False, as for a scanned PDF's pages: their text is OCR's (PageInfo.ocr_confidence).
    return pages, ocr.recognize_images(pages, image_of, len(pages), progress)
