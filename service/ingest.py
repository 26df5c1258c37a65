"""Ingest PDFs from files and folders into the store: extraction in several processes, the results
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


def pdf_files(paths: list[Path]) -> list[Path]:
    """The PDFs among ``paths`` and under the folders among them, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(2, "no such file or folder", str(path))
    return list(dict.fromkeys(found))


def ingest(paths: list[Path], *, db: Path, workers: int = 2, timeout: float | None = 300, max_pages: int = 1000,
           reextract: bool = False, progress: Callable[[Path, str], None] | None = None) -> IngestReport:
    """Extract and store every PDF under ``paths``. ``progress(path, outcome)`` is called once per file
    with outcome 'stored', 'skipped' or 'failed'."""
    files = pdf_files(paths)
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


__all__ = ["IngestReport", "ingest", "pdf_files"]
