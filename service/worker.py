"""Background extraction: a supervised pool of worker processes that run the pure ``extractor.extract``,
and the job runner that feeds it from the ``jobs`` table and writes each result as the single writer.

    pool = ProcessWorkerPool(workers=2, limits=JobLimits.from_settings(settings))   # or any WorkerPool
    runner = JobRunner(db_path, pool, timeout=600); runner.start(); …; runner.stop()

Every job has a time budget that grows with its pages (more for a scanned page, which is OCR'd) and a
memory ceiling, enforced from outside the work: a supervisor thread watches each worker process's
clock and resident memory (/proc), and a worker that passes either is killed (SIGKILL — it may be
deep in pdfium's or onnxruntime's C code, where no signal handler of its own would run) and replaced;
its job fails with the reason, and the jobs on the other workers go on. RLIMIT_AS is a backstop for
memory allocated faster than the supervisor looks.

The jobs live in the database, so they survive a restart: at start the runner queues again a job
that was left ``running`` (once; a job interrupted twice is failed with the reason).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_ready
from pathlib import Path
from typing import Protocol

from extractor.errors import CorruptPDF, ExtractionError, Message
from models import Extraction

log = logging.getLogger("bulletin.worker")


class JobLimitError(ExtractionError):
    """A job stopped by a limit; the raise gives its figures in both languages: ``JobLimitError(en, zh)``."""

    reason_zh = "提取超出限制，已被终止"

    def __init__(self, message: str = "", zh: str | None = None):
        super().__init__(message, zh=zh)


class ExtractionTimeout(JobLimitError):
    """The job passed its time budget and its worker was stopped."""

    hint = ("the file may be malformed or too heavy: split it, or raise BULLETIN_JOB_SECONDS_PER_PAGE, "
            "BULLETIN_JOB_SECONDS_PER_OCR_PAGE or BULLETIN_EXTRACTION_TIMEOUT")
    reason_zh = "提取超过时限，已被终止"
    hint_zh = "文件可能有问题或过大：请拆分后再试，或调高 BULLETIN_JOB_SECONDS_PER_PAGE、BULLETIN_EXTRACTION_TIMEOUT 等时限"


class ExtractionMemoryLimit(JobLimitError):
    """The job's worker passed the memory ceiling and was stopped."""

    hint = "the file may be a decompression bomb or too large: split it, or raise BULLETIN_JOB_MEMORY_MB"
    reason_zh = "提取所需内存超过上限，已被终止"
    hint_zh = "文件可能是解压缩炸弹或过大：请拆分后再试，或调高 BULLETIN_JOB_MEMORY_MB"


class WorkerCrashed(ExtractionError):
    """The worker process died while extracting (a crash in the reader's C code, the kernel's OOM killer)."""

    hint = "the file may be malformed in a way the reader cannot handle: save or print it to a new PDF and try again"
    reason_zh = "提取进程在处理此文件时崩溃"
    hint_zh = "文件可能已损坏：请另存为新的 PDF 后再试"


class WorkerCannotStart(ExtractionError):
    """The worker processes exit as they start (an install problem, a limit too low to load the pipeline)."""

    hint = "see the server's log; check the installation and BULLETIN_JOB_MEMORY_MB"
    reason_zh = "提取进程无法启动"
    hint_zh = "请查看服务器日志，检查安装与 BULLETIN_JOB_MEMORY_MB 设置"


class TooManyPages(ExtractionError):
    hint = "split the PDF or raise BULLETIN_MAX_PAGES"
    reason_zh = "PDF 页数超过上限"
    hint_zh = "请拆分 PDF，或调高 BULLETIN_MAX_PAGES"


# ---------------------------------------------------------------- limits

@dataclass(frozen=True)
class JobLimits:
    """One job's budget: ``seconds + seconds_per_page × pages + seconds_per_ocr_page × scanned pages``
    of wall time, capped at ``max_seconds``, and ``memory_mb`` of resident memory for its worker.

    The worker counts the pages in the page tree first (milliseconds, even for a bomb): each counts as
    a text page; the scanned ones add their OCR seconds once the pages are read and it reports which
    have no text (a bomb may never get that far). The defaults are generous: a text page takes
    ≈ 0.05 s and a scanned page ≈ 10 s (docs/scaling.md); a worker holds ≈ 300 MB with the pipeline
    loaded and up to ≈ 1 GB while OCR runs (sample c, measured in this pool)."""

    seconds: float = 20.0
    seconds_per_page: float = 1.0
    seconds_per_ocr_page: float = 30.0
    max_seconds: float = 600.0
    memory_mb: float = 1280.0

    @classmethod
    def from_settings(cls, settings) -> "JobLimits":
        return cls(seconds=settings.job_seconds, seconds_per_page=settings.job_seconds_per_page,
                   seconds_per_ocr_page=settings.job_seconds_per_ocr_page,
                   max_seconds=settings.extraction_timeout, memory_mb=settings.job_memory_mb)

    def budget(self, pages: int | None = None, ocr_pages: int = 0, cap: float | None = None) -> float:
        """The seconds a job of ``pages`` pages (``ocr_pages`` of them scanned) may take."""
        seconds = (self.seconds + self.seconds_per_page * max(pages or 1, 1)
                   + self.seconds_per_ocr_page * max(ocr_pages, 0))
        return min(seconds, self.max_seconds if cap is None else min(cap, self.max_seconds))

    @property
    def memory_bytes(self) -> int:
        return int(self.memory_mb * 1024 * 1024)

    @property
    def address_space_bytes(self) -> int:
        """RLIMIT_AS of a worker, the backstop: virtual memory runs well above resident memory (thread
        stacks, malloc arenas, onnxruntime's pools), so it is set far above the ceiling."""
        return int(max(4 * self.memory_bytes, self.memory_bytes + (4 << 30)))


def resident_bytes(pid: int) -> int | None:
    """A process's resident memory from /proc (None when it is gone or /proc is missing)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * PAGE_BYTES
    except (OSError, IndexError, ValueError):
        return None


PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _pages_text(pages: int | None, ocr_pages: int) -> str:
    if not pages:
        return "before its pages were counted"
    text = f"{pages} page{'s' if pages != 1 else ''}"
    if ocr_pages:
        text += f", {ocr_pages} of them scanned" if pages > 1 else ", scanned"
    return "for " + text


# ---------------------------------------------------------------- the task (runs in a worker process)

@contextmanager
def time_limit(seconds: float | None):
    """Raise ExtractionTimeout after ``seconds`` (in a process's main thread; elsewhere no limit). Only
    for extractions run in-process (InlinePool, a Ray actor): a signal handler cannot interrupt C code,
    so the worker pool enforces its limits from outside instead."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise ExtractionTimeout(f"the extraction took longer than the limit of {seconds:g} s",
                                f"提取超过了 {seconds:g} 秒的时限")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def extract_pdf(data: bytes, file_name: str | None = None, timeout: float | None = None,
                progress: Callable[[int, int], None] | None = None) -> Extraction:
    """The worker's task: ``extractor.extract`` (under a time limit in-process). Pure: bytes in,
    Extraction out."""
    from extractor import extract

    with time_limit(timeout):
        return extract(data, file_name=file_name, progress=progress)


_pdfium_lock = threading.Lock()  # pdfium is not thread-safe


def check_pdf(data: bytes, max_pages: int) -> int:
    """Check an upload before it is queued: a kind we read (PDF, DOCX, OFD, HTML, JPEG, PNG, TIFF, by its
    content), opens, within the page limit. Returns its page count; raises an ExtractionError that says what is wrong."""
    from extractor.document import page_count

    with _pdfium_lock:
        kind, pages = page_count(data)
    if pages > max_pages:
        unit = "paragraphs and tables" if kind == "docx" else "pages"
        raise TooManyPages(f"the {kind.upper()} has {pages} {unit}, more than the limit of {max_pages}")
    if pages < 1:
        raise CorruptPDF(f"the {kind.upper()} has no pages")
    return pages


def _page_count(data: bytes) -> int | None:
    """The pages of a PDF as its page tree says (pdfium reads no page for it: milliseconds even for a
    bomb), so that the budget counts them from the start; None when it cannot tell."""
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            return len(pdf)
        finally:
            pdf.close()
    except Exception:  # noqa: BLE001 - not a PDF, or a broken one: the extraction will say
        return None


def _worker_main(conn: Connection, address_space: int, warm: bool) -> None:
    """A worker process: task after task from ``conn``; sends ('progress', done, total) while it reads
    and then ('ok', Extraction) or ('error', exception)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends us
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > address_space:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    except (ValueError, OSError):  # not permitted here: the supervisor's ceiling still holds
        pass
    if warm:
        _warm()
    conn.send(("ready",))  # the job's clock starts when it is sent, not while this process starts

    def progress(done: int, total: int) -> None:
        conn.send(("progress", done, total))

    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        data, file_name = task
        try:
            conn.send(("pages", _page_count(data)))
            result = ("ok", extract_pdf(data, file_name, None, progress))
        except MemoryError:
            result = ("error", ExtractionMemoryLimit("the extraction ran out of memory",
                                                     "提取时内存不足"))
        except BaseException as e:  # noqa: BLE001 - handed to the parent
            result = ("error", e)
        del data, task
        try:
            conn.send(result)
        except Exception as e:  # noqa: BLE001 - an exception that does not pickle: its text
            conn.send(("error", RuntimeError(f"{type(result[1]).__name__}: {result[1]}" if result[0] == "error"
                                             else f"the result could not be sent: {e}")))


# ---------------------------------------------------------------- pools

class WorkerPool(Protocol):
    """Where extractions run. ``submit`` returns a Future of an Extraction."""

    def submit(self, data: bytes, file_name: str | None, timeout: float | None) -> Future: ...

    def shutdown(self) -> None: ...

    @property
    def size(self) -> int: ...


@dataclass(eq=False)
class _Job:
    data: bytes
    file_name: str | None
    cap: float | None
    future: Future
    progress: Callable[[int, int], None] | None = None
    started: float = 0.0
    pages: int | None = None  # as read (the first progress report)
    pages_declared: int | None = None  # as the page tree says, before they are read
    ocr_pages: int = 0
    budget: float = 0.0


class _Slot:
    """One worker process, its end of the pipe and the job it has in hand."""

    def __init__(self, context, limits: JobLimits, warm: bool):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, limits.address_space_bytes, warm),
                                       name="bulletin-worker", daemon=True)
        self.process.start()
        child.close()
        self.job: _Job | None = None
        self.ready = False

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class ProcessWorkerPool:
    """The embedded default: worker processes of the server (spawned, so no thread state is forked),
    each with one job at a time, under a supervisor thread that enforces ``limits`` (see the module's
    docstring). ``stats`` counts the workers killed and replaced."""

    POLL = 0.1  # seconds between looks at the clocks and /proc

    def __init__(self, workers: int = 2, limits: JobLimits | None = None, *, warm: bool = True):
        if limits is None:
            from service.settings import Settings

            limits = JobLimits.from_settings(Settings())
        self._size = workers
        self.limits = limits
        self._warm = warm
        self._context = multiprocessing.get_context("spawn")
        self._queue: deque[_Job] = deque()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake_r, self._wake_w = os.pipe()
        self.stats = {"timeouts": 0, "memory": 0, "crashes": 0, "replaced": 0}
        self._start_failures = 0
        self._slots = [_Slot(self._context, limits, warm) for _ in range(workers)]
        self._thread = threading.Thread(target=self._supervise, name="bulletin-supervisor", daemon=True)
        self._thread.start()

    @property
    def size(self) -> int:
        return self._size

    def submit(self, data: bytes, file_name: str | None, timeout: float | None = None, *,
               progress: Callable[[int, int], None] | None = None) -> Future:
        """Queue one extraction; ``timeout`` caps its budget; ``progress(done, total)`` is called (on the
        supervisor's thread) as its pages are read."""
        future: Future = Future()
        if self._stop.is_set():
            future.set_exception(RuntimeError("the worker pool is shut down"))
            return future
        with self._lock:
            self._queue.append(_Job(data, file_name, timeout, future, progress))
        self._poke()
        return future

    def pids(self) -> list[int]:
        return [slot.process.pid for slot in self._slots]

    def warm_up(self) -> None:
        """The processes load the extractor as they start (``warm``); nothing to wait for."""

    def shutdown(self) -> None:
        """Stop now: queued work is cancelled and running extractions are ended (their jobs go back
        to the queue, see JobRunner). A second call does nothing: closing the wake-up pipe twice
        would close whatever file has since been given its numbers (another thread's socket)."""
        with self._lock:
            if self._stop.is_set():
                return
            self._stop.set()
        self._poke()
        self._thread.join(10)
        with self._lock:
            jobs = list(self._queue) + [s.job for s in self._slots if s.job]
            self._queue.clear()
        for job in jobs:
            if not job.future.done() and not job.future.cancel():
                job.future.set_exception(RuntimeError("the worker pool was shut down"))
        for slot in self._slots:
            slot.kill()
        if self._thread.is_alive():
            return  # the supervisor still waits on the pipe: leave it open rather than close it under it
        fds, self._wake_r, self._wake_w = (self._wake_r, self._wake_w), -1, -1
        for fd in fds:
            try:
                os.close(fd)
            except OSError:
                pass

    # -- the supervisor thread

    def _poke(self) -> None:
        if self._wake_w < 0:  # shut down: the number may belong to another file now
            return
        try:
            os.write(self._wake_w, b"x")
        except OSError:  # shut down
            pass

    def _supervise(self) -> None:
        while not self._stop.is_set():
            try:
                self._dispatch()
                waiting = {s.conn: s for s in self._slots} | {s.process.sentinel: s for s in self._slots}
                ready = wait_ready([*waiting, self._wake_r], timeout=self.POLL)
                for item in ready:
                    if item == self._wake_r:
                        os.read(self._wake_r, 4096)
                    elif isinstance(item, Connection):
                        self._receive(waiting[item])
                for item in ready:  # a dead process, after any last message it sent
                    if isinstance(item, int) and item != self._wake_r and not waiting[item].process.is_alive():
                        self._died(waiting[item])
                self._check_limits()
            except Exception:  # noqa: BLE001 - the supervisor must outlive any one failure
                log.exception("worker supervisor error; going on")
                time.sleep(self.POLL)

    def _dispatch(self) -> None:
        for slot in self._slots:
            if slot.job is not None or not slot.ready:
                continue
            with self._lock:
                job = None
                while self._queue and job is None:
                    candidate = self._queue.popleft()
                    if candidate.future.set_running_or_notify_cancel():
                        job = candidate
            if job is None:
                return
            job.started = time.monotonic()
            job.budget = self.limits.budget(None, 0, job.cap)
            slot.job = job
            try:
                slot.conn.send((job.data, job.file_name))
            except (OSError, ValueError):  # the process died before it took the job
                self._died(slot)

    def _receive(self, slot: _Slot) -> None:
        try:
            message = slot.conn.recv()
        except (EOFError, OSError):
            return  # the process is gone: its sentinel says so
        if message[0] == "ready":
            slot.ready = True
            self._start_failures = 0
            return
        job = slot.job
        if job is None:
            return
        if message[0] == "pages":  # the page tree's count: the budget of that many text pages
            if message[1] and job.pages is None:
                job.budget = self.limits.budget(message[1], 0, job.cap)
                job.pages_declared = message[1]
            return
        if message[0] == "progress":
            done, total = message[1], message[2]
            if job.pages is None:  # the first report: the pages are read, the scanned ones not yet OCR'd
                job.pages, job.ocr_pages = total, max(total - done, 0)
                job.budget = self.limits.budget(job.pages, job.ocr_pages, job.cap)
            if job.progress:
                try:
                    job.progress(done, total)
                except Exception:  # noqa: BLE001 - a display callback must not end the job
                    log.exception("progress callback failed")
            return
        slot.job = None
        if message[0] == "ok":
            job.future.set_result(message[1])
        else:
            job.future.set_exception(message[1])

    def _check_limits(self) -> None:
        now = time.monotonic()
        for slot in self._slots:
            job = slot.job
            if job is None:
                continue
            elapsed = now - job.started
            what = _pages_text(job.pages or job.pages_declared, job.ocr_pages)
            if elapsed > job.budget:
                self.stats["timeouts"] += 1
                self._replace(slot, ExtractionTimeout(
                    f"the extraction took longer than the limit of {job.budget:g} s {what} and was stopped",
                    f"提取超过了 {job.budget:g} 秒的时限，已被终止"))
                continue
            rss = resident_bytes(slot.process.pid)
            if rss is not None and rss > self.limits.memory_bytes:
                self.stats["memory"] += 1
                self._replace(slot, ExtractionMemoryLimit(
                    f"the extraction needed more than the memory limit of {self.limits.memory_mb:g} MB "
                    f"({rss / 1048576:.0f} MB after {elapsed:.1f} s) and was stopped",
                    f"提取所需内存超过上限 {self.limits.memory_mb:g} MB，已被终止"))

    def _died(self, slot: _Slot) -> None:
        job = slot.job
        code = slot.process.exitcode
        if job is not None:
            self.stats["crashes"] += 1
            how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            log.info("a worker process died (%s) extracting %s; replacing it", how, job.file_name)
            self._replace(slot, WorkerCrashed(f"the extraction process crashed on this file ({how})"))
        elif not slot.ready:  # it died starting: say so, and do not respawn in a hot loop
            self._start_failures += 1
            log.error("a worker process exited while starting (exit code %s); starting another", code)
            if self._start_failures >= 3:  # it will not start: fail what waits rather than hold it
                with self._lock:
                    waiting, self._queue = list(self._queue), deque()
                for job in waiting:
                    if job.future.set_running_or_notify_cancel():
                        job.future.set_exception(WorkerCannotStart(
                            f"the extraction process exits as it starts (exit code {code})"))
            time.sleep(min(self._start_failures, 5))
            self._replace(slot, None)
        else:
            self._replace(slot, None)

    def _replace(self, slot: _Slot, error: BaseException | None) -> None:
        """Kill the slot's process (if alive), fail its job with ``error``, start a new process."""
        job, slot.job = slot.job, None
        slot.kill()
        if not self._stop.is_set():
            self._slots[self._slots.index(slot)] = _Slot(self._context, self.limits, self._warm)
            self.stats["replaced"] += 1
        if job is not None and error is not None and not job.future.done():
            log.info("job %s: %s", job.file_name, error)
            job.future.set_exception(error)


def extract_limited(data: bytes, file_name: str | None = None, limits: JobLimits | None = None, *,
                    progress: Callable[[int, int], None] | None = None) -> Extraction:
    """One extraction in a worker process under ``limits`` (the command line's ``bulletin extract``):
    returns its Extraction or raises its ExtractionError (ExtractionTimeout, ExtractionMemoryLimit …)."""
    pool = ProcessWorkerPool(1, limits)
    try:
        return pool.submit(data, file_name, progress=progress).result()
    finally:
        pool.shutdown()


def _warm() -> None:
    """Load the pipeline (gazetteer, jieba, spaCy, the entity recogniser) before the first job's clock
    starts."""
    from service.engines import warm_pipeline

    warm_pipeline()


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

def describe_error(e: BaseException) -> Message:
    """Why an extraction failed, in one line: a ``Message`` (a str, the English) whose ``.zh`` is the
    Chinese the web page shows."""
    if isinstance(e, ExtractionError):
        return e.message()
    if isinstance(e, BrokenProcessPool):
        return Message("the extraction process crashed on this PDF (it may be malformed in a way the reader cannot "
                       "handle)", "提取进程在处理这个 PDF 时崩溃了（文件可能有阅读器无法处理的损坏；请另存或重新导出 PDF 后再试）")
    return Message(f"extraction failed unexpectedly: {type(e).__name__}: {e}",
                   f"提取意外失败（{type(e).__name__}: {e}）；服务器日志中有详细信息")


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
                store.fail_job(job["id"], Message("the uploaded PDF is no longer stored (upload it again)",
                                                  "上传的 PDF 已不在库中（请重新上传）"))
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
            store.fail_job(job["id"], Message(f"the extraction could not be stored: {e}", f"提取结果无法存入数据库：{e}"))
