"""Hostile PDFs for the job limits (tests/test_job_limits.py): small files that make the PDF readers
spend minutes or gigabytes. Written with zlib alone, so what they hold is plain to see:

    python tests/data/make_bombs.py OUT_DIR      # writes bomb-*.pdf into OUT_DIR (nothing is committed)

A PDF's content stream may be Flate-compressed, and Deflate packs a repeated run about 1000:1, so
a 2 MB file can carry a 2 GB page description. Each reader then has to inflate and interpret it:

- ``content_bomb``: one page whose content stream repeats a drawing operator millions of times;
  pdfium makes a page object of each (``FPDFPage_CountObjects``), pdfplumber parses them in Python.
- ``text_bomb``: one page whose content stream shows a long string millions of times; every glyph
  becomes a character in pdfium's text page (memory grows by gigabytes).
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

# A real line of text and four ruled lines first, so the page looks like a bulletin page with a table
# to every reader (it has text; pdfplumber is opened on pages with ruled lines).
HEAD = (b"BT /F1 14 Tf 72 780 Td (Work bulletin No. 1) Tj ET\n"
        b"72 700 m 520 700 l S\n72 680 m 520 680 l S\n72 660 m 520 660 l S\n72 640 m 520 640 l S\n")


def deflated(head: bytes, unit: bytes, size: int, level: int = 9) -> bytes:
    """``head`` then ``unit`` repeated to about ``size`` bytes, Flate-compressed without ever holding
    the whole of it in memory."""
    z = zlib.compressobj(level)
    parts = [z.compress(head)]
    chunk = unit * max(1, (1 << 22) // len(unit))
    written = len(head)
    while written < size:
        parts.append(z.compress(chunk))
        written += len(chunk)
    parts.append(z.flush())
    return b"".join(parts)


def pdf_with_content(stream: bytes, *, width: int = 595, height: int = 842) -> bytes:
    """A one-page PDF (Helvetica as F1) whose content is the Flate ``stream``, with a correct xref."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R "
         b"/Resources << /Font << /F1 5 0 R >> >> >>" % (width, height)),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def content_bomb(inflated_mb: int = 1800, unit: bytes = b"0 0 m 1 1 l S\n") -> bytes:
    return pdf_with_content(deflated(HEAD, unit, inflated_mb << 20))


def text_bomb(inflated_mb: int = 1800) -> bytes:
    return pdf_with_content(deflated(HEAD + b"BT /F1 1 Tf 10 10 Td\n", b"(" + b"A" * 4000 + b") Tj\n",
                                     inflated_mb << 20))


BOMBS = {"content": content_bomb, "text": text_bomb}


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, make in BOMBS.items():
        data = make()
        (out / f"bomb-{name}.pdf").write_bytes(data)
        print(f"bomb-{name}.pdf: {len(data) / 1e6:.2f} MB")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
