"""A throw-away PostgreSQL server from Debian's ``postgresql`` package, for the tests and the
benchmark: ``initdb`` in a folder of its own (as the unprivileged ``postgres`` user when run as
root: initdb refuses root), trust authentication, a Unix socket in that folder and a free port.

    with PgCluster() as pg:                       # or PgCluster("/work/bench-data/pg") to keep it
        url = pg.create_database("t1")            # postgresql:///t1?host=…&port=…&user=postgres
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

INSTALL = ("PostgreSQL's server programs (initdb, pg_ctl) were not found: install Debian's postgresql package "
           "(apt-get install postgresql; bash scripts/run.sh test does it), or set BULLETIN_PG_BIN to their folder")


class PgClusterError(RuntimeError):
    pass


def pg_bin() -> Path:
    """The folder of initdb and pg_ctl: BULLETIN_PG_BIN, else the newest /usr/lib/postgresql/*/bin."""
    given = os.environ.get("BULLETIN_PG_BIN")
    candidates = [given] if given else sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                              key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0)
    for folder in reversed(candidates):
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise PgClusterError(INSTALL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgCluster:
    def __init__(self, folder: str | Path | None = None, *, settings: dict | None = None):
        self.bin = pg_bin()
        self.keep = folder is not None
        self.folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="bulletin-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.settings = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                         "max_connections": "300", **(settings or {})}
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *cmd: str) -> None:
        done = subprocess.run([*self.as_user, *cmd], capture_output=True, text=True)
        if done.returncode != 0:
            raise PgClusterError(f"{' '.join(cmd[:2])} failed: {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> "PgCluster":
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            # the postgres user must be able to reach and own the folder (mkdtemp makes it 700)
            for parent in [self.folder, *self.folder.parents]:
                if parent == Path("/"):
                    break
                parent.chmod(parent.stat().st_mode | 0o711)
            shutil.chown(self.folder, "postgres", "postgres")
        if not (self.data / "PG_VERSION").exists():
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                      "--no-locale", "-E", "UTF8", "--no-sync")
        options = " ".join([f"-p {self.port}", f"-k {self.folder}", "-c listen_addresses=''",
                            *(f"-c {k}={v}" for k, v in self.settings.items())])
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"),
                  "-w", "-t", "60", "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql:///{database}?host={self.folder}&port={self.port}&user=postgres"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        except PgClusterError:
            pass
        if not self.keep:
            for _ in range(3):
                shutil.rmtree(self.folder, ignore_errors=True)
                if not self.folder.exists():
                    break
                time.sleep(0.2)

    def __enter__(self) -> "PgCluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
