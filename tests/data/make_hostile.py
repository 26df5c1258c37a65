"""Hostile files of every kind but PDF, made at test time (nothing committed): each must end with one
clear error, in seconds, in bounded memory. ``python tests/data/make_hostile.py DIR`` writes them all.

    docx-zip-bomb.docx      word/document.xml inflates to 2 GiB (declared honestly)
    docx-lying-bomb.docx    the same member declaring 1 KB: reading stops at the declared size, CRC fails
    docx-laughs.docx        billion laughs (nested entities) in word/document.xml
    ofd-zip-bomb.ofd        a page's Content.xml inflates to 2 GiB
    ofd-laughs.ofd          billion laughs in OFD.xml
    ofd-climbing.ofd        DocRoot ../../../../etc/passwd: members are looked up, never written
    ofd-encrypted.ofd       an Encryptions entry: refused, not read as garbage
    ofd-many-pages.ofd      a page list of 100,000 pages
    png-60000.png           IHDR declaring 60,000 × 60,000 pixels
    jpeg-60000.jpg          SOF declaring 60,000 × 60,000 pixels
    tiff-60000.tif          a TIFF frame declaring 60,000 × 60,000 pixels
    html-scripts.html       a page of scripts and no text
    html-laughs.html        an internal DTD with nested entities in a web page: read, entities not expanded
                            (not an error: the test checks the text stays short)
    legacy.doc              an OLE2 compound file (.doc/.wps)
    truncated.docx          sample (b)'s .docx cut in half
    docx-climbing.docx      sample (b)'s .docx plus members named ../../../../tmp/… and /etc/…: read fine,
                            nothing written (not an error: the test checks no file appears)
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GIB = 1024 ** 3
OFD_NS = "http://www.ofdspec.org/2016"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + ']>\n')
ERRORS = {  # file → what its one line must say
    "docx-zip-bomb.docx": "zip bomb", "docx-lying-bomb.docx": "cannot be read", "docx-laughs.docx": "DTD",
    "ofd-zip-bomb.ofd": "zip bomb", "ofd-laughs.ofd": "DTD", "ofd-climbing.ofd": "no ../../../../etc/passwd",
    "ofd-encrypted.ofd": "encrypted", "ofd-many-pages.ofd": "more than the limit",
    "png-60000.png": "3,600 million pixels", "jpeg-60000.jpg": "3,600 million pixels",
    "tiff-60000.tif": "3,600 million pixels", "html-scripts.html": "no article text",
    "legacy.doc": "legacy Word or WPS", "truncated.docx": "zip archive that cannot be opened",
}


def _bomb_member(zf: zipfile.ZipFile, name: str, head: bytes, size: int = 2 * GIB) -> None:
    """A member of ``size`` bytes: ``head`` then spaces, deflated on the fly (≈ 2 MB for 2 GiB)."""
    chunk = b" " * (16 * 1024 * 1024)
    info = zipfile.ZipInfo(name, (2023, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = 1  # fastest: 2 GiB of spaces still deflate to ~8 MB
    with zf.open(info, "w", force_zip64=True) as out:
        out.write(head)
        left = size - len(head)
        while left > 0:
            out.write(chunk[:left])
            left -= len(chunk)


def _zip(members: list[tuple[str, str | bytes]], bomb: tuple[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(zipfile.ZipInfo(name, (2023, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
        if bomb:
            _bomb_member(zf, *bomb)
    return buf.getvalue()


def _ofd_members(doc_root: str = "Doc_0/Document.xml", pages: int = 1, extra_body: str = "") -> list:
    ofd = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.1" DocType="OFD">'
           f'<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo><ofd:DocRoot>{doc_root}</ofd:DocRoot>'
           f'{extra_body}</ofd:DocBody></ofd:OFD>')
    refs = "".join(f'<ofd:Page ID="{i}" BaseLoc="Pages/Page_0/Content.xml"/>' for i in range(pages))
    document = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
                f'<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>'
                f'<ofd:Pages>{refs}</ofd:Pages></ofd:Document>')
    return [("OFD.xml", ofd), ("Doc_0/Document.xml", document)]


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b"")


def _jpeg(width: int, height: int) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (8, 8), 255).save(buf, "JPEG")
    data = bytearray(buf.getvalue())
    i = data.index(b"\xff\xc0")  # SOF0: length, precision, height, width
    data[i + 5:i + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _tiff(width: int, height: int) -> bytes:
    # Little-endian, one IFD: width, height, 8 bits, no compression, grey, one strip at offset 8.
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
               (273, 4, 1, 8), (278, 4, 1, height), (279, 4, 1, 16)]
    ifd_at = 8 + 16
    ifd = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", *e) for e in entries) + struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", ifd_at) + b"\x00" * 16 + ifd


def make(out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    docx = (ROOT / "samples" / "bulletin-b.docx").read_bytes()
    doc_head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'.encode()
    files = {
        "docx-zip-bomb.docx": _zip([("[Content_Types].xml", CONTENT_TYPES)], ("word/document.xml", doc_head)),
        "docx-laughs.docx": _zip([("[Content_Types].xml", CONTENT_TYPES), ("word/document.xml", LAUGHS +
                                  f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
                                  "</w:body></w:document>")]),
        "ofd-zip-bomb.ofd": _zip(_ofd_members(), ("Doc_0/Pages/Page_0/Content.xml",
                                                  f'<?xml version="1.0"?><ofd:Page xmlns:ofd="{OFD_NS}">'.encode())),
        "ofd-laughs.ofd": _zip([("OFD.xml", LAUGHS + f'<ofd:OFD xmlns:ofd="{OFD_NS}"><ofd:DocBody><ofd:DocRoot>'
                                 "&lol9;</ofd:DocRoot></ofd:DocBody></ofd:OFD>")]),
        "ofd-climbing.ofd": _zip(_ofd_members(doc_root="../../../../etc/passwd")),
        "ofd-encrypted.ofd": _zip(_ofd_members(extra_body="<ofd:Encryptions>Encrypt.xml</ofd:Encryptions>")),
        "ofd-many-pages.ofd": _zip(_ofd_members(pages=100_000)),
        "png-60000.png": _png(60_000, 60_000),
        "jpeg-60000.jpg": _jpeg(60_000, 60_000),
        "tiff-60000.tif": _tiff(60_000, 60_000),
        "html-scripts.html": ("<!DOCTYPE html><html><head><title>加载中</title></head><body>"
                              + "<script>var a = '" + "x" * 200_000 + "';</script>" * 50
                              + "<noscript></noscript><div id='app'></div></body></html>").encode(),
        "html-laughs.html": (LAUGHS.replace("lolz", "html") + "<html><body><p>&lol9;</p></body></html>").encode(),
        "legacy.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4088,
        "truncated.docx": docx[: len(docx) // 2],
        "docx-climbing.docx": _zip([(i.filename, zipfile.ZipFile(io.BytesIO(docx)).read(i))
                                    for i in zipfile.ZipFile(io.BytesIO(docx)).infolist()]
                                   + [("../../../../tmp/bulletin-climbed.txt", "climbed"), ("/etc/bulletin-climbed", "x")]),
    }
    lying = bytearray(files["docx-zip-bomb.docx"])
    files["docx-lying-bomb.docx"] = _lie_about_sizes(lying, "word/document.xml", 1024)
    paths = {}
    for name, data in files.items():
        (out / name).write_bytes(data)
        paths[name] = out / name
    return paths


def _lie_about_sizes(data: bytearray, name: str, size: int) -> bytes:
    """Rewrite a zip64 member's uncompressed size to ``size`` in its central directory entry."""
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = zf.getinfo(name)
    zf.close()
    # The zip64 extra field of the central entry holds the real sizes; the member then declares ``size``.
    cd = data.rindex(b"PK\x01\x02" + data[data.rindex(b"PK\x01\x02") + 4:data.rindex(b"PK\x01\x02") + 6])
    name_b = name.encode()
    at = data.index(b"PK\x01\x02", 0)
    while True:
        n_len, x_len, c_len = struct.unpack("<HHH", data[at + 28:at + 34])
        if data[at + 46:at + 46 + n_len] == name_b:
            break
        at = data.index(b"PK\x01\x02", at + 46 + n_len + x_len + c_len)
    extra = at + 46 + n_len
    end = extra + x_len
    i = extra
    while i < end:
        tag, length = struct.unpack("<HH", data[i:i + 4])
        if tag == 1:
            data[i + 4:i + 12] = struct.pack("<Q", size)  # uncompressed size first in the zip64 field
            break
        i += 4 + length
    del cd, info
    return bytes(data)


if __name__ == "__main__":
    for name, path in make(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")).items():
        print(f"{path}: {path.stat().st_size / 1024:.0f} KiB")
