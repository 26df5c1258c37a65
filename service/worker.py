"""Background extraction: a pool of worker processes that run the pure ``extractor.extract``, and the
job runner that feeds it from the ``jobs`` table and writes each result as the single writer.

    pool = ProcessWorkerPool(workers=2)          # or any WorkerPool (service/engines.py: RayExtractorPool)
    runner = JobRunner(db_path, pool, settings); runner.start(); …; runner.stop()

The jobs live in the database, so they survive a restart: at start the runner queues again a job
that was left ``running`` (once; a job interrupted twice is failed with the reason).
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from extractor.errors import CorruptPDF, ExtractionError
from models import Extraction

log = logging.getLogger("bulletin.worker")


class ExtractionTimeout(ExtractionError):
    hint = "split the PDF or raise BULLETIN_EXTRACTION_TIMEOUT"


class TooManyPages(ExtractionError):
    hint = "split the PDF or raise BULLETIN_MAX_PAGES"


# ---------------------------------------------------------------- the task (runs in a worker process)

@contextmanager
def time_limit(seconds: float | None):
    """Raise ExtractionTimeout after ``seconds`` (in a process's main thread; elsewhere no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise ExtractionTimeout(f"the extraction took longer than the limit of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def extract_pdf(data: bytes, file_name: str | None = None, timeout: float | None = None) -> Extraction:
    """The worker's task: ``extractor.extract`` under a time limit. Pure: bytes in, Extraction out."""
    from extractor import extract

    with time_limit(timeout):
        return extract(data, file_name=file_name)


_pdfium_lock = threading.Lock()  # pdfium is not thread-safe


def check_pdf(data: bytes, max_pages: int) -> int:
    """Check an upload before it is queued: a PDF by its magic bytes, opens, within the page limit.
    Returns its page count; raises an ExtractionError that says what is wrong."""
    from extractor.pdf import check_pdf_bytes, open_pdf

    check_pdf_bytes(data)
    with _pdfium_lock:
        pdf = open_pdf(data)
        try:
            pages = len(pdf)
        finally:
            pdf.close()
    if pages > max_pages:
        raise TooManyPages(f"the PDF has {pages} pages, more than the limit of {max_pages}")
    if pages < 1:
        raise CorruptPDF("the PDF has no pages")
    return pages


# ---------------------------------------------------------------- pools

class WorkerPool(Protocol):
    """Where extractions run. ``submit`` returns a Future of an Extraction."""

    def submit(self, data: bytes, file_name: str | None, timeout: float | None) -> Future: ...

    def shutdown(self) -> None: ...

    @property
    def size(self) -> int: ...


class ProcessWorkerPool:
    """The embedded default: worker processes of the server (spawned, so no thread state is forked)."""

    def __init__(self, workers: int = 2):
        self._size = workers
        self._executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self._size, mp_context=multiprocessing.get_context("spawn"))

    @property
    def size(self) -> int:
        return self._size

    def submit(self, data: bytes, file_name: str | None, timeout: float | None) -> Future:
        try:
            return self._executor.submit(extract_pdf, data, file_name, timeout)
        except BrokenProcessPool:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = self._new()
            return self._executor.submit(extract_pdf, data, file_name, timeout)

    def warm_up(self) -> None:
        """Start the processes and import the extractor in each now, not on the first upload."""
        futures = [self._executor.submit(_warm) for _ in range(self._size)]
        for f in futures:
            try:
                f.result()
            except Exception:  # noqa: BLE001 - a pool shut down meanwhile; the first job will say more
                return

    def shutdown(self) -> None:
        """Stop now: queued work is cancelled and running extractions are ended (their jobs go back
        to the queue, see JobRunner)."""
        processes = list(getattr(self._executor, "_processes", {}).values())
        self._executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(5)


def _warm() -> None:
    import extractor

    try:  # the extractor's biggest table, loaded on first use
        extractor.gazetteer()
    except Exception:  # noqa: BLE001 - warming is best effort
        pass
    time.sleep(0.05)


class InlinePool:
    """Runs each extraction at once in the calling thread (for one-process use)."""

    size = 1

    def submit(self, data: bytes, file_name: str | None, timeout: float | None) -> Future:
        future: Future = Future()
        try:
            future.set_result(extract_pdf(data, file_name, timeout))
        except BaseException as e:  # noqa: BLE001 - handed to the caller through the future
            future.set_exception(e)
        return future

    def shutdown(self) -> None:
        pass


# ---------------------------------------------------------------- the job runner

def describe_error(e: BaseException) -> str:
    if isinstance(e, ExtractionError):
        return str(e)
    if isinstance(e, BrokenProcessPool):
        return "the extraction process crashed on this PDF (it may be malformed in a way the reader cannot handle)"
    return f"extraction failed unexpectedly: {type(e).__name__}: {e}"


class JobRunner:
    """Claims queued jobs, runs them on the pool, writes each result (one thread: the single writer)."""

    def __init__(self, db_path: str | Path, pool: WorkerPool, *, timeout: float | None = None, max_attempts: int = 2):
        self.db_path = db_path if str(db_path).startswith(("postgresql://", "postgres://")) else Path(db_path)
        self.pool = pool
        self.timeout = timeout
        self.max_attempts = max_attempts
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.recovered: dict[str, int] = {}

    def start(self) -> None:
        from service.store import Store

        with Store.open(self.db_path) as store:
            self.recovered = store.recover_jobs(self.max_attempts)
        self._thread = threading.Thread(target=self._run, name="bulletin-jobs", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)

    def _run(self) -> None:
        from service.store import Store

        store = Store.open(self.db_path)
        running: dict[Future, dict] = {}
        try:
            while not self._stop.is_set():
                try:
                    self._fill(store, running)
                    if running:
                        done, _ = wait(list(running), timeout=0.5, return_when=FIRST_COMPLETED)
                        for future in done:
                            self._finish(store, running.pop(future), future)
                    else:
                        self._wake.wait(1.0)
                        self._wake.clear()
                except Exception:  # noqa: BLE001 - the runner must outlive any one failure
                    log.exception("job runner error; going on")
                    time.sleep(0.5)
        finally:
            for job in running.values():  # a stop, not a crash: back to the queue, no attempt spent
                try:
                    store.requeue_job(job["id"])
                except Exception:  # noqa: BLE001
                    log.exception("could not queue job %s again", job["id"])
            store.close()

    def _fill(self, store, running: dict) -> None:
        while len(running) < self.pool.size and not self._stop.is_set():
            job = store.claim_job()
            if job is None:
                return
            data = store.pdf_bytes(job["sha256"])
            if data is None:
                store.fail_job(job["id"], "the uploaded PDF is no longer stored (upload it again)")
                continue
            running[self.pool.submit(data, job["file_name"], self.timeout)] = job

    def _finish(self, store, job: dict, future: Future) -> None:
        try:
            extraction = future.result()
        except BaseException as e:  # noqa: BLE001
            store.fail_job(job["id"], describe_error(e))
            return
        try:
            store.save_extraction(extraction, job_id=job["id"])
        except Exception as e:  # noqa: BLE001
            log.exception("storing job %s failed", job["id"])
            store.fail_job(job["id"], f"the extraction could not be stored: {e}")
