"""The ``bulletin`` command line: a thin click layer over the extractor.

    bulletin extract FILE                     the Extraction as JSON (PDF, DOCX, OFD, HTML, JPEG, PNG, TIFF)
    bulletin extract FILE.pdf --format text   the clean text, section by section
    bulletin summarize PATH…                  one line per document: pages, sections, counts
    bulletin schema                           the JSON Schema of an Extraction
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from extractor.errors import ExtractionError
from models import BlockKind, Extraction
from service.commands import ServiceError  # one clear line on stderr and exit code 1, for every command


def reports_errors(func):
    """Turn the domain's exceptions (and unreadable files) into one clear message."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ExtractionError as e:
            raise ServiceError(f"{kwargs.get('path') or ''}: {e}".lstrip(": ")) from None
        except OSError as e:
            raise ServiceError(f"{e.filename or ''}: {e.strerror or e}".lstrip(": ")) from None

    return wrapper


def read_pdf(path: Path) -> bytes:
    if path.is_dir():
        raise ServiceError(f"{path}: is a folder, not a file (use 'bulletin summarize {path}')")
    return path.read_bytes()


def dump_json(data, indent: int | None) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bulletin-extract")
def cli() -> None:
    """Extract figures, dates, people, places and organisations from Chinese government work bulletins."""


@cli.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=True, exists=False))
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True,
              help="json: the whole Extraction; text: the clean text by section.")
@click.option("--indent", type=int, default=1, show_default=True, help="JSON indentation (0 for one line).")
@click.option("--progress", is_flag=True, help="Show a page progress bar on stderr (OCR of scanned pages is slow).")
@reports_errors
def extract(path: Path, fmt: str, indent: int, progress: bool = False) -> None:
    """Extract one bulletin (PDF, Word .docx, OFD, a saved web page, a JPEG, PNG or TIFF image) and print the result.

    The kind is told from the file's content, never its name."""
    from service.settings import Settings
    from service.worker import JobLimits, extract_limited

    if not path.exists():
        raise ServiceError(f"{path}: no such file")
    # In a worker process under the server's limits (BULLETIN_JOB_*): a hostile file is stopped, not waited on.
    limits = JobLimits.from_settings(Settings())
    if progress:
        with click.progressbar(length=1, label=path.name, file=sys.stderr, show_pos=True) as bar:
            def advance(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            result = extract_limited(read_pdf(path), path.name, limits, progress=advance)
    else:
        result = extract_limited(read_pdf(path), path.name, limits)
    if fmt == "text":
        click.echo(as_text(result))
    else:
        click.echo(dump_json(result.model_dump(mode="json"), indent or None))


def as_text(result: Extraction) -> str:
    """The clean text section by section, with the masthead and the end block apart."""
    lines: list[str] = []
    for block in result.blocks:
        if block.kind == BlockKind.section_heading:
            lines.extend(["", f"【{block.section}】"])
        elif block.kind == BlockKind.heading:
            lines.extend(["", block.text])
        elif block.kind in (BlockKind.recipients, BlockKind.contact) and lines and not lines[-1].startswith(("报", "发", "电话", "抄")):
            lines.extend(["", block.text])
        else:
            lines.append(block.text)
    if result.document.status.value == "needs_ocr":
        lines.append(f"[{result.document.page_count} pages without a text layer: OCR needed]")
    return "\n".join(lines).strip()


def pdf_paths(paths: tuple[Path, ...]) -> list[Path]:
    from service.ingest import pdf_files

    try:
        return pdf_files(list(paths))
    except FileNotFoundError as e:
        raise ServiceError(f"{e.filename}: no such file or folder") from None


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def summarize(paths: tuple[Path, ...]) -> None:
    """Extract every document under PATHS and print one line each: pages, sections, counts."""
    from extractor import extract as run

    files = pdf_paths(paths)
    if not files:
        raise ServiceError("no documents found (PDF, DOCX, OFD, HTML, JPEG, PNG or TIFF)")
    totals = {"documents": 0, "pages": 0, "blocks": 0, "tables": 0, "figures": 0, "dates": 0, "entities": 0}
    failed = 0
    for path in files:
        try:
            r = run(path.read_bytes(), file_name=path.name)
        except (ExtractionError, OSError) as e:
            failed += 1
            click.echo(f"{path.name}: failed: {e}", err=True)
            continue
        meta = r.document.metadata
        titles = list(dict.fromkeys(s.title for s in meta.sections))
        sections = f"{len(meta.sections)} sections ({'、'.join(titles)})" if titles else "no sections"
        click.echo(f"{path.name}: {r.document.status.value}, {r.document.page_count} pages, "
                   f"{meta.issuer or '-'} {meta.issue_date or '-'}, {sections}; "
                   f"{len(r.blocks)} blocks, {len(r.tables)} tables, {len(r.figures)} figures, "
                   f"{len(r.dates)} dates, {len(r.entities)} entities")
        totals["documents"] += 1
        totals["pages"] += r.document.page_count
        for key in ("blocks", "tables", "figures", "dates", "entities"):
            totals[key] += len(getattr(r, key))
    click.echo("total: " + ", ".join(f"{v} {k}" for k, v in totals.items()) + (f", {failed} failed" if failed else ""))
    if failed:
        sys.exit(1)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of an Extraction (the committed models/extraction.schema.json)."""
    from models.schema import extraction_schema

    click.echo(dump_json(extraction_schema(), 2))


def _add_service_commands() -> None:
    """serve, ingest, search, export: the store and the API (service/commands.py)."""
    from service.commands import COMMANDS

    for command in COMMANDS:
        cli.add_command(command)


_add_service_commands()


@cli.command("tag-entities")
def tag_entities() -> None:
    """Tag persons, places and organisations: one sentence per line on stdin, one JSON object per
    line on stdout: {"entities": [[start, end, "PERSON|PLACE|ORG"], ...]}."""
    from extractor.entities import tag_stream

    tag_stream(sys.stdin, sys.stdout)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
