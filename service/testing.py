"""A real server in a child process, for the tests and benchmarks that need real HTTP:

    with ServerProcess(db_path, token="t") as server:
        httpx.get(server.url + "/api/v1/health")
        server.kill()            # SIGKILL, as a crash
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """``bulletin serve`` on 127.0.0.1 and a free port, in its own process group."""

    def __init__(self, db: Path, *, token: str | None = "test-token", workers: int = 2, env: dict | None = None,
                 log: Path | None = None):
        self.db = db if str(db).startswith("postgresql://") else Path(db)
        self.token = token
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.env = env or {}
        self.log_path = log or Path(self.db).with_suffix(".server.log")
        self.proc: subprocess.Popen | None = None

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def start(self, timeout: float = 60) -> "ServerProcess":
        env = {**os.environ, "BULLETIN_DB": str(self.db), "BULLETIN_WORKERS": str(self.workers), **self.env}
        env.pop("BULLETIN_API_TOKEN", None)
        if self.token:
            env["BULLETIN_API_TOKEN"] = self.token
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(self.port)],
                                     cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}: {self.log()}")
            try:
                if httpx.get(self.url + "/api/v1/health", headers=self.headers, timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer within {timeout} s: {self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the server and its worker processes (the whole group), as a crash would."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # any worker left behind
            except ProcessLookupError:
                pass
        if getattr(self, "_log", None):
            self._log.close()

    def __enter__(self) -> "ServerProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def wait_for_job(client, job_id: str, *, timeout: float = 120, headers: dict | None = None) -> dict:
    """Poll ``/jobs/{id}`` (client: httpx.Client or TestClient) until done or failed."""
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/api/v1/jobs/{job_id}", headers=headers or {}).json()
        if job.get("status") in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.1)
