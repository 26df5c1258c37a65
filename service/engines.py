"""Extraction engines: where the pure ``extractor.extract`` runs. ``local`` is the process pool of
service/worker.py (the default); ``ray`` is a pool of Ray actors on a Ray cluster (``pip install
'bulletin-extract[ray]'``), for collections that outgrow one machine. The store keeps one writer:
results stream back to the driver (``bulletin ingest``) or to the server's job runner, which write
them.

    pool = make_pool(settings)                    # BULLETIN_ENGINE=local|ray, BULLETIN_RAY_ADDRESS
    report = ingest_ray([Path("samples")], db=Path("data/bulletins.db"), address=None, workers=2)

A Ray actor loads the pipeline once (gazetteer, jieba, spaCy) and then extracts PDF after PDF,
sent as bytes or, on a filesystem every node shares, by path. A worker that dies (the process
killed, its node lost) is replaced by a new actor and its documents are sent again, up to
``max_attempts`` times each; a PDF that fails is reported with its reason and never stops the
rest. ``ingest_ray`` writes the results in batched transactions (a batch that cannot be stored
whole is stored document by document, so one bad document does not take its batch with it), skips
PDFs already stored (by sha256), so running the same batch again stores nothing twice.
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import ExtractionError
from service.ingest import IngestReport, pdf_files
from service.store import Store, is_postgres
from service.worker import ExtractionTimeout, JobLimits, ProcessWorkerPool, describe_error

log = logging.getLogger("bulletin.engines")

ENGINES = ("local", "ray")


class EngineError(Exception):
    """The engine cannot start (Ray missing, the cluster unreachable); the message says what to do."""


class RemoteExtractionError(ExtractionError):
    """An extraction that failed on a Ray worker, with the worker's one-line reason (a Message: its Chinese too)."""

    reason_zh = "集群无法完成这次提取"


class WorkerDied(ExtractionError):
    """The worker process died every time it was given this PDF."""

    reason_zh = "提取进程在处理这个 PDF 时多次崩溃（文件可能让阅读器崩溃，或节点内存不足；详见 Ray 日志）"


# ---------------------------------------------------------------- choosing an engine

def make_pool(settings, *, workers: int | None = None):
    """The server's pool for ``settings.engine``: a ProcessWorkerPool, or a RayExtractorPool on the
    cluster at ``settings.ray_address`` (a local one of ``workers`` CPUs when unset)."""
    engine = getattr(settings, "engine", "local")
    if engine == "ray":
        # On a cluster: an actor per CPU it has (unless ``workers``); else a local Ray of BULLETIN_WORKERS CPUs.
        return RayExtractorPool(workers, address=settings.ray_address, max_pages=settings.max_pages,
                                local_cpus=settings.workers)
    if engine != "local":
        raise EngineError(f"unknown engine {engine!r} (BULLETIN_ENGINE takes: {', '.join(ENGINES)})")
    return ProcessWorkerPool(workers or settings.workers, JobLimits.from_settings(settings))


def ray_module():
    try:
        import ray
    except ImportError:
        raise EngineError("the ray engine needs Ray: pip install 'bulletin-extract[ray]' "
                          "(or use the default local engine)") from None
    return ray


def connect(address: str | None, cpus: int | None = None) -> bool:
    """Join the Ray cluster at ``address`` ('auto', 'host:6379' or 'ray://host:10001'), or start a
    local one of ``cpus`` CPUs when there is none. Returns True when this call connected (the caller
    then disconnects with ``ray.shutdown()``), False when Ray was already initialised."""
    ray = ray_module()
    if ray.is_initialized():
        return False
    quiet = {"log_to_driver": False, "logging_level": logging.WARNING}
    try:
        if address:
            ray.init(address=address, **quiet)
        else:
            ray.init(num_cpus=cpus or os.cpu_count() or 1, include_dashboard=False,
                     object_store_memory=LOCAL_OBJECT_STORE_BYTES, **quiet)
    except ConnectionError as e:
        raise EngineError(f"cannot reach the Ray cluster at {address}: {e} (check --address / "
                          "BULLETIN_RAY_ADDRESS and that 'ray start --head' runs there)") from None
    return True


# A local cluster's shared-memory object store: PDFs and extractions in flight, not a cache.
LOCAL_OBJECT_STORE_BYTES = 512 * 1024 * 1024


# ---------------------------------------------------------------- the actor (runs on a Ray worker)

WARM_TEXT = "截至2023年5月底，邵阳市城镇新增就业1.2万人，完成年度任务的58.3%。"


def warm_pipeline() -> None:
    """Load what every extraction needs, once per process: the gazetteer, jieba, the spaCy pipeline
    of figures and dates, and the entity recogniser."""
    import datetime as dt

    from extractor.gazetteer import gazetteer
    from extractor.items import extract_items

    try:
        gazetteer()
        extract_items(WARM_TEXT, issue_date=dt.date(2023, 6, 1))
        from extractor.entities import find_entities

        find_entities(WARM_TEXT, issue_date=dt.date(2023, 6, 1))
    except Exception:  # noqa: BLE001 - warming is best effort; the first PDF will say more
        log.exception("warming the pipeline failed")


class Extractor:
    """A Ray actor (made remote in ``_actor_class``): the pipeline loaded once, then PDF after PDF."""

    def __init__(self):
        warm_pipeline()

    def ping(self) -> int:
        return os.getpid()

    def extract(self, source: bytes | str, file_name: str | None, timeout: float | None, max_pages: int):
        """('ok', Extraction) or ('error', one-line reason); never raises for a bad PDF."""
        from service.worker import check_pdf, extract_pdf

        try:
            data = source if isinstance(source, bytes) else Path(source).read_bytes()
            check_pdf(data, max_pages)
            return "ok", extract_pdf(data, file_name, timeout)
        except OSError as e:
            return "error", f"cannot read the file on the worker: {e.strerror or e} (is the path on a shared filesystem?)"
        except Exception as e:  # noqa: BLE001 - reported per document
            return "error", describe_error(e)


_remote_class = None


def _actor_class():
    global _remote_class
    if _remote_class is None:
        ray = ray_module()
        # Replacement and retries are the pool's (so it can count attempts and say why a PDF failed).
        _remote_class = ray.remote(num_cpus=1, max_restarts=0, max_task_retries=0)(Extractor)
    return _remote_class


# ---------------------------------------------------------------- the pool (runs on the driver)

@dataclass
class _Task:
    source: bytes | str
    file_name: str | None
    timeout: float | None
    future: Future
    attempts: int = 0
    slot: int = -1
    actor: object = None
    seq: int = 0
    running_since: float | None = None  # when it became the oldest on its actor (actors run in order)


class RayExtractorPool:
    """A pool of Ray actors with the WorkerPool interface (``submit`` → a Future of an Extraction).

    One dispatcher thread makes every Ray call: it keeps at most ``per_actor`` documents queued on
    each actor (the least loaded gets the next), collects results as they finish, and replaces an
    actor that died, sending its documents again. ``stats`` counts what happened."""

    def __init__(self, workers: int | None = None, *, address: str | None = None, max_pages: int = 1000,
                 max_attempts: int = 3, per_actor: int = 2, local_cpus: int | None = None):
        self._ray = ray_module()
        self._owns_ray = connect(address, workers or local_cpus)
        if workers is None:
            workers = max(1, int(self._ray.cluster_resources().get("CPU", 1)))
        self._size = workers
        self.max_pages = max_pages
        self.max_attempts = max_attempts
        self.per_actor = per_actor
        self.stats: Counter = Counter()
        self._actors: list = []
        self._pid_refs: list = []
        self._load = [0] * workers
        self._backlog: deque[_Task] = deque()
        self._inbox: queue.SimpleQueue[_Task] = queue.SimpleQueue()
        self._inflight: dict = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._seq = 0
        for _ in range(workers):
            self._actors.append(None)
            self._pid_refs.append(None)
            self._spawn(len(self._actors) - 1)
        self._thread = threading.Thread(target=self._loop, name="bulletin-ray", daemon=True)
        self._thread.start()

    # -- the WorkerPool interface

    @property
    def size(self) -> int:
        return self._size

    def submit(self, data: bytes | os.PathLike, file_name: str | None, timeout: float | None) -> Future:
        """Extract ``data`` (bytes, or the path of a file every worker can read) on the cluster."""
        future: Future = Future()
        if self._stop.is_set():
            future.set_exception(RuntimeError("the Ray pool is shut down"))
            return future
        source = data if isinstance(data, bytes) else str(Path(data).resolve())
        self._inbox.put(_Task(source, file_name, timeout, future))
        return future

    def warm_up(self) -> None:
        """Wait until every actor has loaded the pipeline."""
        try:
            self.actor_pids()
        except Exception:  # noqa: BLE001 - a pool shut down meanwhile; the first job will say more
            pass

    def actor_pids(self, busy_only: bool = False) -> list[int]:
        """The worker processes' ids (of the actors with documents in hand when ``busy_only``)."""
        with self._lock:
            refs = [(r, load) for r, load in zip(self._pid_refs, self._load)]
        return [self._ray.get(r) for r, load in refs if load or not busy_only]

    def shutdown(self) -> None:
        """Stop now: documents not done are cancelled, the actors ended (and a Ray this pool started)."""
        self._stop.set()
        self._thread.join(10)
        pending = list(self._inflight.values()) + list(self._backlog)
        while True:
            try:
                pending.append(self._inbox.get_nowait())
            except queue.Empty:
                break
        for task in pending:
            task.future.cancel() or task.future.done() or task.future.set_exception(
                RuntimeError("the Ray pool was shut down"))
        for actor in self._actors:
            try:
                self._ray.kill(actor, no_restart=True)
            except Exception:  # noqa: BLE001 - already gone
                pass
        if self._owns_ray:
            self._ray.shutdown()

    # -- the dispatcher thread

    def _spawn(self, slot: int) -> None:
        actor = _actor_class().remote()
        with self._lock:
            self._actors[slot] = actor
            self._pid_refs[slot] = actor.ping.remote()

    def _loop(self) -> None:
        ray = self._ray
        while not self._stop.is_set():
            try:
                self._drain_inbox()
                self._dispatch()
                if not self._inflight:
                    try:
                        self._backlog.append(self._inbox.get(timeout=0.1))
                    except queue.Empty:
                        pass
                    continue
                ready, _ = ray.wait(list(self._inflight), num_returns=1, timeout=0.05)
                for ref in ready:
                    self._finish(ref)
                self._check_deadlines()
            except Exception:  # noqa: BLE001 - the dispatcher must outlive any one failure
                log.exception("Ray dispatcher error; going on")
                time.sleep(0.5)

    def _drain_inbox(self) -> None:
        while True:
            try:
                self._backlog.append(self._inbox.get_nowait())
            except queue.Empty:
                return

    def _dispatch(self) -> None:
        while self._backlog:
            slot = min(range(self._size), key=lambda i: self._load[i])
            if self._load[slot] >= self.per_actor:
                return
            task = self._backlog.popleft()
            if task.future.cancelled():
                continue
            task.slot, task.actor = slot, self._actors[slot]
            self._seq += 1
            task.seq = self._seq
            ref = task.actor.extract.remote(task.source, task.file_name, task.timeout, self.max_pages)
            with self._lock:
                self._load[slot] += 1
            self._inflight[ref] = task

    def _finish(self, ref) -> None:
        from ray.exceptions import RayActorError

        task = self._inflight.pop(ref)
        with self._lock:
            self._load[task.slot] -= 1
        try:
            status, payload = self._ray.get(ref)
        except RayActorError:
            self._worker_died(task)
            return
        except Exception as e:  # noqa: BLE001 - the cluster's own failures (object lost, …), per document
            first = str(e).strip().splitlines()[0] if str(e).strip() else ""
            task.future.set_exception(RemoteExtractionError(
                f"the Ray cluster could not run this extraction: {type(e).__name__}: {first}"))
            return
        self.stats["done"] += 1
        if status == "ok":
            task.future.set_result(payload)
        else:
            task.future.set_exception(RemoteExtractionError(payload))

    def _check_deadlines(self) -> None:
        """The time limit, from outside: an actor whose oldest document has run longer than its
        ``timeout`` is killed and replaced (it may be deep in C code, where no signal reaches); that
        document fails with the reason, those queued behind it are sent again."""
        now = time.monotonic()
        oldest: dict[int, tuple[object, _Task]] = {}
        for ref, t in self._inflight.items():
            if t.actor is self._actors[t.slot] and (t.slot not in oldest or t.seq < oldest[t.slot][1].seq):
                oldest[t.slot] = (ref, t)
        for slot, (ref, task) in oldest.items():
            if task.running_since is None:
                task.running_since = now
            elif task.timeout and now - task.running_since > task.timeout:
                del self._inflight[ref]
                with self._lock:
                    self._load[slot] -= 1
                self.stats["timeouts"] += 1
                queued = self._replace_actor(task.actor, slot)
                self.stats["retried"] += len(queued)
                self._backlog.extendleft(reversed(queued))
                task.future.set_exception(ExtractionTimeout(
                    f"the extraction took longer than the limit of {task.timeout:g} s and was stopped",
                    f"提取超过了 {task.timeout:g} 秒的时限，已被终止"))

    def _replace_actor(self, dead, slot: int) -> list[_Task]:
        """Kill ``dead`` and start a new actor in its slot (once); returns the other documents that
        were queued on it, in the order they were sent, taken out of flight."""
        if self._actors[slot] is dead:
            try:
                self._ray.kill(dead, no_restart=True)
            except Exception:  # noqa: BLE001 - already gone
                pass
            self._spawn(slot)
            self.stats["replaced"] += 1
        queued = [(ref, t) for ref, t in self._inflight.items() if t.actor is dead]
        for ref, t in queued:
            del self._inflight[ref]
            t.running_since = None
        with self._lock:
            self._load[slot] -= len(queued)
        return sorted((t for _, t in queued), key=lambda t: t.seq)

    def _worker_died(self, task: _Task) -> None:
        """Replace the dead actor and send its documents again. Only the one it was extracting (the
        oldest sent to it) has an attempt counted; those queued behind it are simply sent again."""
        dead = task.actor
        if self._actors[task.slot] is dead:  # the first of its documents to report it
            self.stats["worker_deaths"] += 1
            log.warning("a Ray worker died; replaced it and sending its documents again")
        task.running_since = None
        lost = sorted([task] + self._replace_actor(dead, task.slot), key=lambda t: t.seq)
        lost[0].attempts += 1
        if lost[0].attempts >= self.max_attempts:
            self.stats["failed_after_deaths"] += 1
            lost[0].future.set_exception(WorkerDied(
                f"the extraction worker died {lost[0].attempts} times while extracting this PDF "
                "(it may crash the PDF reader, or the node ran out of memory; see the Ray logs)"))
            lost = lost[1:]
        self.stats["retried"] += len(lost)
        self._backlog.extendleft(reversed(lost))


# ---------------------------------------------------------------- batched writes

class BatchWrites:
    """A Store whose ``batch()`` groups many ``save_extraction`` calls in one transaction (no
    savepoint per document: SQLite's statement journal for savepoints cost more than the batching
    saved, bench/bench_scaling.py). An error inside rolls the whole batch back; ``save_batch``
    then stores its documents one by one, so only the one that cannot be stored fails. On
    PostgreSQL the rows of each table go in one ``executemany``, which psycopg pipelines."""

    _batch_conn = None

    @contextmanager
    def write(self):
        if self._batch_conn is None:
            with super().write() as c:
                yield c
            return
        yield self._batch_conn

    @contextmanager
    def batch(self):
        with super().write() as conn:
            self._batch_conn = conn
            try:
                yield conn
            finally:
                self._batch_conn = None

    def save_batch(self, items: list[tuple[object, bytes | None]]) -> list[str | None]:
        """Store (extraction, pdf) pairs in one transaction; the error of each (None: stored)."""
        try:
            with self.batch():
                for extraction, pdf in items:
                    self.save_extraction(extraction, pdf)
            return [None] * len(items)
        except Exception:  # noqa: BLE001 - find the one that fails: each in its own transaction
            log.warning("a batch could not be stored whole; storing its documents one by one")
        errors: list[str | None] = []
        for extraction, pdf in items:
            try:
                self.save_extraction(extraction, pdf)
                errors.append(None)
            except Exception as e:  # noqa: BLE001 - reported for this document
                errors.append(f"the extraction could not be stored: {e}")
        return errors


class BatchStore(BatchWrites, Store):
    """Batched writes on the store ``BULLETIN_DB`` names (SQLite or PostgreSQL)."""

    @classmethod
    def open(cls, path) -> "BatchStore":
        if is_postgres(path):
            from service.store_postgres import PostgresStore

            class PostgresBatchStore(BatchWrites, PostgresStore):
                pass

            return PostgresBatchStore(str(path))
        return cls(path)


@dataclass
class RayIngestReport(IngestReport):
    engine: str = "ray"
    workers: int = 0
    batches: int = 0
    worker_deaths: int = 0
    retried: int = 0

    def as_dict(self) -> dict:
        out = super().as_dict()
        errors = out.pop("errors")
        out.update({"engine": self.engine, "workers": self.workers, "batches": self.batches,
                    "worker_deaths": self.worker_deaths, "retried": self.retried, "errors": errors})
        return out


def ingest_ray(paths: list[Path], *, db: Path, workers: int | None = None, address: str | None = None,
               timeout: float | None = 300, max_pages: int = 1000, reextract: bool = False,
               progress: Callable[[Path, str], None] | None = None, ship: str = "auto", batch_size: int = 64,
               batch_seconds: float = 2.0, pool: RayExtractorPool | None = None,
               max_attempts: int = 3) -> RayIngestReport:
    """``service.ingest.ingest`` on a Ray cluster: the same report and outcomes per file ('stored',
    'skipped', 'failed'), the results written in batches of up to ``batch_size`` documents (or
    every ``batch_seconds``). ``ship``: 'bytes' sends each PDF through Ray's object store, 'path'
    sends its path (every node must see the same files), 'auto' is 'path' on a local cluster."""
    if ship not in ("auto", "bytes", "path"):
        raise ValueError("ship takes auto, bytes or path")
    files = pdf_files(paths)
    report = RayIngestReport(files=len(files))
    started = time.perf_counter()
    done_cb = progress or (lambda path, outcome: None)
    own_pool = pool is None
    pool = pool or RayExtractorPool(workers, address=address, max_pages=max_pages, max_attempts=max_attempts,
                                    local_cpus=workers)
    by_path = ship == "path" or (ship == "auto" and not address)
    report.workers = pool.size
    store = BatchStore.open(db)
    pending: dict[Future, tuple[Path, bytes]] = {}
    buffer: list[tuple[Path, bytes, object]] = []
    seen: set[str] = set()
    last_flush = time.monotonic()

    def flush() -> None:
        nonlocal last_flush
        last_flush = time.monotonic()
        if not buffer:
            return
        errors = store.save_batch([(extraction, data) for _, data, extraction in buffer])
        outcomes = [(path, extraction, error) for (path, _, extraction), error in zip(buffer, errors)]
        buffer.clear()
        report.batches += 1
        for path, extraction, error in outcomes:
            if error:
                report.failed.append((str(path), error))
                done_cb(path, "failed")
            else:
                report.stored += 1
                report.pages += extraction.document.page_count
                report.figures += len(extraction.figures)
                done_cb(path, "stored")

    def collect(block: bool) -> None:
        if pending:
            done, _ = wait(list(pending), timeout=(1.0 if block else 0), return_when=FIRST_COMPLETED)
            for future in done:
                path, data = pending.pop(future)
                try:
                    buffer.append((path, data, future.result()))
                except BaseException as e:  # noqa: BLE001 - reported per file
                    report.failed.append((str(path), describe_error(e)))
                    done_cb(path, "failed")
        if len(buffer) >= batch_size or (buffer and time.monotonic() - last_flush >= batch_seconds):
            flush()

    try:
        for path in files:
            try:
                data = path.read_bytes()
            except OSError as e:
                report.failed.append((str(path), e.strerror or str(e)))
                done_cb(path, "failed")
                continue
            sha = hashlib.sha256(data).hexdigest()
            if sha in seen or (not reextract and store.document_id(sha) is not None):
                report.skipped += 1
                done_cb(path, "skipped")
                continue
            seen.add(sha)
            while len(pending) >= 2 * pool.size:
                collect(block=True)
            pending[pool.submit(path if by_path else data, path.name, timeout)] = (path, data)
            collect(block=False)
        while pending:
            collect(block=True)
        flush()
    finally:
        report.worker_deaths = pool.stats["worker_deaths"]
        report.retried = pool.stats["retried"]
        if own_pool:
            pool.shutdown()
        store.close()
    report.seconds = time.perf_counter() - started
    return report


__all__ = ["ENGINES", "EngineError", "RayExtractorPool", "BatchStore", "RayIngestReport", "ingest_ray",
           "make_pool", "connect", "warm_pipeline"]
