"""What kind of document a file is, told from its content (magic bytes, a zip's members), never its name.

    kind_of(data) → "pdf" | "docx" | "ofd" | "html" | "jpeg" | "png" | "tiff"

Anything else raises ``UnsupportedFile`` naming the kinds accepted; a legacy Word or WPS file
(an OLE2 compound file: .doc, .wps, .et) raises ``LegacyOfficeFile``, which says to save it as .docx.
"""

from __future__ import annotations

import io
import re
import zipfile

from extractor.errors import EmptyFile, LegacyOfficeFile, UnsupportedFile

KINDS = ("pdf", "docx", "ofd", "html", "jpeg", "png", "tiff")
# The kinds read page by page from fixed positions; the others are read paragraph by paragraph.
FIXED_LAYOUT = ("pdf", "ofd", "jpeg", "png", "tiff")
MEDIA_TYPES = {
    "pdf": "application/pdf", "ofd": "application/ofd",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8", "jpeg": "image/jpeg", "png": "image/png", "tiff": "image/tiff",
}
EXTENSIONS = {"pdf": ".pdf", "ofd": ".ofd", "docx": ".docx", "html": ".html", "jpeg": ".jpg", "png": ".png",
              "tiff": ".tif"}
# Suffixes a folder's files of these kinds usually have (ingest still reads the content to decide).
HEAD = 4096
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An HTML document's first tag (after a BOM, whitespace, comments and an XML declaration).
_HTML_START = re.compile(rb"^(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
                         re.I | re.S)
_HTML_ANYWHERE = re.compile(rb"<(?:html|body)\b[^>]*>", re.I)


def kind_of(data: bytes) -> str:
    """The document kind of ``data``. Raises ``EmptyFile``, ``LegacyOfficeFile`` or ``UnsupportedFile``."""
    if not data:
        raise EmptyFile("the file is empty (0 bytes)")
    head = data[:HEAD]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return zip_kind(io.BytesIO(data))
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith(_OLE2):
        raise LegacyOfficeFile("a legacy Word or WPS file (.doc/.wps, an OLE2 compound file) cannot be read")
    if _is_html(head):
        return "html"
    sample = data[:16].decode("utf-8", "replace").strip()
    raise UnsupportedFile(f"not a PDF, nor any other kind we read (it starts with {sample!r})")


def _is_html(head: bytes) -> bool:
    for bom, codec in ((b"\xef\xbb\xbf", None), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom):]
            if codec:
                head = head.decode(codec, "ignore").encode("utf-8")
            break
    return bool(_HTML_START.match(head) or _HTML_ANYWHERE.search(head))


def zip_kind(file) -> str:
    """A zip's kind from its member names (read from its central directory, at its end)."""
    try:
        with zipfile.ZipFile(file) as zf:
            names = {n.replace("\\", "/").lstrip("/") for n in zf.namelist()}
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        raise UnsupportedFile("not a PDF: a zip archive that cannot be opened (a .docx or .ofd that was cut off?)") from None
    if "OFD.xml" in names:
        return "ofd"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        raise UnsupportedFile("an Excel workbook (.xlsx) is not a bulletin we read")
    if "ppt/presentation.xml" in names:
        raise UnsupportedFile("a PowerPoint file (.pptx) is not a bulletin we read")
    raise UnsupportedFile("a zip archive that is neither a Word (.docx) nor an OFD document")
