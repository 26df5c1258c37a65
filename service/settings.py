"""The service's configuration: environment variables prefixed ``BULLETIN_`` (or a ``.env`` file),
each with a safe default, and the same names as CLI options (``BULLETIN_DB`` ↔ ``--db``).

    BULLETIN_DB=./data/bulletins.db       the one SQLite file (documents, rows, PDFs, jobs), or a
                                          PostgreSQL database: postgresql://user@host:5432/bulletins
    BULLETIN_API_TOKEN=…                  the bearer token for writes; made at start when unset
    BULLETIN_PROTECT_READS=false          true: reads need the token too
    BULLETIN_WORKERS=2                    extraction processes of the server
    BULLETIN_MAX_UPLOAD_MB=50             upload size limit
    BULLETIN_MAX_PAGES=1000               page count limit
    BULLETIN_EXTRACTION_TIMEOUT=600       seconds one extraction may take, at most (the cap of its budget)
    BULLETIN_JOB_SECONDS=20               a job's time budget: this, plus …
    BULLETIN_JOB_SECONDS_PER_PAGE=1       … this for each page, plus …
    BULLETIN_JOB_SECONDS_PER_OCR_PAGE=30  … this for each scanned page (OCR); a worker past it is killed
    BULLETIN_JOB_MEMORY_MB=1280           resident memory of one extraction process; past it, killed
    BULLETIN_PAGE_SIZE=50 / BULLETIN_MAX_PAGE_SIZE=1000
    BULLETIN_ENGINE=local                 local (worker processes) or ray (a Ray cluster, docs/scaling.md)
    BULLETIN_RAY_ADDRESS=                 the Ray cluster to join (ray://host:10001, host:6379, auto);
                                          unset: a local Ray of BULLETIN_WORKERS CPUs
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BULLETIN_", env_file=".env", extra="ignore")

    db: Path | str = Field(Path("data/bulletins.db"),
                           description="the SQLite database file, or a postgresql:// URL")
    api_token: str | None = Field(None, description="bearer token for writes; generated at start when unset")
    protect_reads: bool = Field(False, description="reads need the token too")
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(2, ge=1, le=64, description="extraction processes")
    max_upload_mb: float = Field(50, gt=0)
    max_pages: int = Field(1000, ge=1)
    extraction_timeout: float = Field(600, gt=0, description="seconds per extraction, at most")
    # A job's budget: job_seconds + job_seconds_per_page × pages + job_seconds_per_ocr_page × scanned
    # pages, capped at extraction_timeout; enforced by killing the worker (service/worker.py).
    job_seconds: float = Field(20, gt=0, description="a job's time budget before its pages count")
    job_seconds_per_page: float = Field(1.0, ge=0, description="seconds added to the budget per page")
    job_seconds_per_ocr_page: float = Field(30, ge=0, description="seconds added per scanned (OCR) page")
    job_memory_mb: float = Field(1280, ge=64, description="resident memory ceiling of one extraction process")
    page_size: int = Field(50, ge=1)
    max_page_size: int = Field(1000, ge=1)
    max_attempts: int = Field(2, ge=1, description="an interrupted job is run again until this many starts")
    engine: Literal["local", "ray"] = Field("local", description="where extractions run: local processes or Ray")
    ray_address: str | None = Field(None, description="the Ray cluster to join; unset: a local Ray")

    @field_validator("db", mode="before")
    @classmethod
    def _database(cls, value):
        """A postgresql:// URL stays a string (a Path would fold its '//'); anything else is a file.
        Other URLs are refused when the store is opened (service.store.check_db)."""
        text = str(value)
        if "://" in text or text.startswith(("postgresql:", "postgres:")):
            return text
        return Path(value)

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    def with_token(self) -> tuple["Settings", bool]:
        """These settings with a token: the configured one, else a new one (True when generated)."""
        if self.api_token:
            return self, False
        return self.model_copy(update={"api_token": secrets.token_urlsafe(24)}), True
