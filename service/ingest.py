"""Ingest bulletins (PDF, DOCX, OFD, HTML, JPEG, PNG, TIFF) from files and folders into the store: extraction in several processes, the results
written by this process alone (the single writer), a PDF already stored skipped by its sha256.

    report = ingest([Path("samples")], db=Path("data/bulletins.db"), workers=2)

Safe to run while the server is running on the same database: SQLite serialises the writers.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path

from extractor.errors import ExtractionError
from service.store import Store
from service.worker import ProcessWorkerPool, check_pdf, describe_error


@dataclass
class IngestReport:
    files: int = 0
    stored: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    pages: int = 0
    figures: int = 0
    seconds: float = 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {"files": self.files, "stored": self.stored, "skipped": self.skipped, "failed": len(self.failed),
                "pages": self.pages, "figures": self.figures, "seconds": round(self.seconds, 2),
                "pages_per_second": round(self.pages_per_second, 1),
                "errors": [{"file": f, "error": e} for f, e in self.failed]}


def document_files(paths: list[Path]) -> list[Path]:
    """The documents among ``paths`` and under the folders among them, in a stable order.

    In a folder a file is taken when its content is a kind we read (``extractor.sniff``: magic bytes,
    a zip's members), whatever its name, or when its name says it is one (a damaged bulletin.pdf is
    reported as failed, not passed over); other files (notes, spreadsheets) are passed over. A file
    named on the command line is always taken, so that it is refused with its reason."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                                and (p.suffix.lower() in SUFFIXES or is_document(p))))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(2, "no such file or folder", str(path))
    return list(dict.fromkeys(found))


pdf_files = document_files  # the name it had when only PDFs were read
SUFFIXES = {".pdf", ".docx", ".ofd", ".html", ".htm", ".jpg", ".jpeg", ".png", ".tif", ".tiff"}


def is_document(path: Path) -> bool:
    """Whether a folder's file is a kind we read, from its first bytes (and a zip's member names)."""
    from extractor.sniff import HEAD, kind_of, zip_kind

    try:
        with path.open("rb") as f:
            head = f.read(HEAD)
            if head.startswith(b"PK"):
                f.seek(0)
                zip_kind(f)  # the member names, from the central directory at the zip's end
            else:
                kind_of(head)
    except (ExtractionError, OSError):
        return False
    return True


def ingest(paths: list[Path], *, db: Path, workers: int = 2, timeout: float | None = 300, max_pages: int = 1000,
           reextract: bool = False, progress: Callable[[Path, str], None] | None = None) -> IngestReport:
    """Extract and store every document under ``paths``. ``progress(path, outcome)`` is called once per file
    with outcome 'stored', 'skipped' or 'failed'."""
    files = document_files(paths)
    report = IngestReport(files=len(files))
    started = time.perf_counter()
    store = Store.open(db)
    pool = ProcessWorkerPool(max(workers, 1))  # even one: a worker process under the job limits, killed if need be
    pending: dict[Future, tuple[Path, bytes]] = {}
    done_cb = progress or (lambda path, outcome: None)

    def collect(block: bool) -> None:
        if not pending:
            return
        done, _ = wait(list(pending), timeout=None if block else 0, return_when=FIRST_COMPLETED)
        for future in done:
            path, data = pending.pop(future)
            try:
                extraction = future.result()
            except BaseException as e:  # noqa: BLE001 - reported per file
                report.failed.append((str(path), describe_error(e)))
                done_cb(path, "failed")
                continue
            store.save_extraction(extraction, data)
            report.stored += 1
            report.pages += extraction.document.page_count
            report.figures += len(extraction.figures)
            done_cb(path, "stored")

    try:
        for path in files:
            try:
                data = path.read_bytes()
                sha = hashlib.sha256(data).hexdigest()
                if not reextract and store.document_id(sha) is not None:
                    report.skipped += 1
                    done_cb(path, "skipped")
                    continue
                check_pdf(data, max_pages)
            except (ExtractionError, OSError) as e:
                report.failed.append((str(path), str(e) if isinstance(e, ExtractionError) else e.strerror or str(e)))
                done_cb(path, "failed")
                continue
            while len(pending) >= 2 * pool.size:
                collect(block=True)
            pending[pool.submit(data, path.name, timeout)] = (path, data)
            collect(block=False)
        while pending:
            collect(block=True)
    finally:
        pool.shutdown()
        store.close()
    report.seconds = time.perf_counter() - started
    return report


__all__ = ["IngestReport", "ingest", "document_files", "pdf_files"]
