"""Safe reading of a zip (DOCX, OFD): members are read into memory, never written to disk, with caps.

A zip bomb declares a small member that inflates to gigabytes, or lies about its size: each member
is read in chunks and refused past ``MEMBER_LIMIT`` whatever it declares, and the whole archive past
``TOTAL_LIMIT``. Member names are only looked up (``../../etc/passwd`` cannot go anywhere).
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from extractor.errors import CorruptDocument, EncryptedDocument, UnsafeDocument

# One XML part of a bulletin is well under a few MB; an embedded picture may be larger.
MEMBER_LIMIT = 64 * 1024 * 1024
TOTAL_LIMIT = 256 * 1024 * 1024
MAX_MEMBERS = 20_000
CHUNK = 1024 * 1024


class Archive:
    def __init__(self, data: bytes, what: str):
        self.what = what
        self.read_total = 0
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, ValueError, EOFError, OSError):
            raise CorruptDocument(f"the {what} file is a damaged zip archive") from None
        if len(infos) > MAX_MEMBERS:
            raise UnsafeDocument(f"the {what} file holds {len(infos)} parts, more than the limit of {MAX_MEMBERS}")
        # Names as written, and normalised (no leading slash, forward slashes) for lookup.
        self.infos = {}
        for info in infos:
            self.infos.setdefault(normalise(info.filename), info)

    def __contains__(self, name: str) -> bool:
        return normalise(name) in self.infos

    def names(self) -> list[str]:
        return list(self.infos)

    def read(self, name: str, limit: int = MEMBER_LIMIT) -> bytes:
        info = self.infos.get(normalise(name))
        if info is None:
            raise CorruptDocument(f"the {self.what} file has no part {name!r}")
        if info.flag_bits & 0x1:
            raise EncryptedDocument(f"the {self.what} file is encrypted")
        if info.file_size > limit:
            raise UnsafeDocument(f"the {self.what} part {name!r} declares {info.file_size / 2**20:,.0f} MiB "
                                 f"uncompressed, more than the limit of {limit / 2**20:.0f} MiB (a zip bomb?)")
        out = bytearray()
        try:
            with self.zf.open(info) as member:
                while chunk := member.read(CHUNK):
                    out += chunk
                    if len(out) > limit or self.read_total + len(out) > TOTAL_LIMIT:
                        raise UnsafeDocument(f"the {self.what} part {name!r} inflates past "
                                             f"{min(limit, TOTAL_LIMIT) / 2**20:.0f} MiB (a zip bomb?)")
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as e:
            raise CorruptDocument(f"the {self.what} part {name!r} cannot be read ({e})") from None
        except RuntimeError as e:  # zipfile: "File … is encrypted, password required"
            raise EncryptedDocument(f"the {self.what} file is encrypted ({e})") from None
        self.read_total += len(out)
        return bytes(out)


def normalise(name: str) -> str:
    return name.replace("\\", "/").lstrip("/")


def resolve(base: str, ref: str) -> str:
    """An OFD reference (absolute from the package root, or relative to the referring part's folder)."""
    ref = ref.strip().replace("\\", "/")
    if ref.startswith("/"):
        return posixpath.normpath(ref).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), ref)).lstrip("/")
