"""The service's commands of the ``bulletin`` CLI (a thin click layer over store, queries, ingest,
export and the API):

    bulletin serve [--host H] [--port P]           the API, with its URL (and token) printed
    bulletin ingest PATH… [--workers N]           bulletins (PDF, DOCX, OFD, HTML, images) from files and folders into the database
    bulletin ingest PATH… --engine ray [--address A]   … extracted on a Ray cluster (docs/scaling.md)
    bulletin search [Q] [--place 邵阳市 --unit 人 …] [--format table|json|csv]
    bulletin export figures|entities|dates|database -o FILE [filters]
    bulletin export --format parquet --partition-by issuer,year DIR    the whole dataset, partitioned

Every command takes ``--db`` (default ``BULLETIN_DB``, else ./data/bulletins.db).
"""

from __future__ import annotations

import csv
import functools
import json
import sys
from pathlib import Path

import click

from service.settings import Settings


class ServiceError(click.ClickException):
    """One clear line on stderr and exit code 1."""

    def show(self, file=None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


def reports_service_errors(func):
    """The service's domain errors as one message with what to do."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from service.queries import BadParameter
        from service.store import StoreError

        try:
            return func(*args, **kwargs)
        except BadParameter as e:
            raise ServiceError(f"{e} (see 'bulletin {func.__name__} --help')") from None
        except StoreError as e:
            raise ServiceError(str(e)) from None
        except FileNotFoundError as e:
            raise ServiceError(f"{e.filename}: {e.strerror}") from None
        except PermissionError as e:
            raise ServiceError(f"{e.filename}: permission denied (choose another --db or output file)") from None

    return wrapper


def db_option(func):
    return click.option("--db", default=None,
                        help="the database file, or a PostgreSQL URL postgresql://user@host/db "
                             "[default: $BULLETIN_DB or data/bulletins.db]")(func)


def output_options(func):
    """The same output options on every command that prints rows."""
    func = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                        show_default=True, help="table for people, json or csv for programs")(func)
    return func


def emit(rows: list[dict], fmt: str, columns: list[str], extra: dict | None = None) -> None:
    if fmt == "json":
        click.echo(json.dumps({**(extra or {}), "items": rows}, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c) for c in columns])
    else:
        click.echo(table(rows, columns))
        if extra:
            click.echo(" ".join(f"{k}: {v}" for k, v in extra.items() if v is not None), err=True)


def table(rows: list[dict], columns: list[str], max_width: int = 40) -> str:
    def cell(value) -> str:
        text = "" if value is None else str(value).replace("\n", " ")
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    def width(text: str) -> int:  # CJK characters take two columns
        return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)

    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([width(c)] + [width(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c + " " * (w - width(c)) for c, w in zip(columns, widths))]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(v + " " * (w - width(v)) for v, w in zip(row, widths)))
    return "\n".join(lines)


def settings_for(db: Path | None, **overrides) -> Settings:
    values = {k: v for k, v in overrides.items() if v is not None}
    if db is not None:
        values["db"] = db
    settings = Settings(**values)
    from service.store import StoreError, check_db

    try:
        check_db(settings.db)
    except StoreError as e:
        raise ServiceError(str(e)) from None
    return settings


def no_database(settings: Settings) -> bool:
    """A SQLite file not made yet (a PostgreSQL database is checked when it is opened)."""
    return isinstance(settings.db, Path) and not settings.db.exists()


def filter_options(func):
    """The API's filters as options: --unit 人 --place 邵阳市 --date-from 2023-05 …"""
    options = [
        ("--unit", "unit(s), comma-separated (figures)"),
        ("--kind", "figure kind(s): money, people, count, percent, …"),
        ("--type", "entity type(s): PERSON, PLACE, ORG"),
        ("--precision", "date precision(s): day, month, year, …"),
        ("--place", "a place name or code, including everything under it"),
        ("--date-from", "the figure's (or mentioned) date from: YYYY[-MM[-DD]]"),
        ("--date-to", "… to (inclusive)"),
        ("--as-of-from", "as-of date from (figures)"),
        ("--as-of-to", "as-of date to (figures)"),
        ("--issued-from", "the bulletin's issue date from"),
        ("--issued-to", "the bulletin's issue date to"),
        ("--min-value", "smallest value (figures)"),
        ("--max-value", "largest value (figures)"),
        ("--document", "document id(s), comma-separated"),
        ("--issuer", "a part of the issuing body's name"),
        ("--is-total", "true: only totals (figures)"),
        ("--min-mentions", "at least this many mentions (entities)"),
        ("--sort", "sort order: id, value, date, …; '-' in front for descending"),
    ]
    for name, text in reversed(options):
        func = click.option(name, default=None, help=text)(func)
    return func


def collect_filters(resource: str, options: dict) -> dict:
    from service.queries import FILTERS, BadParameter

    given = {k: v for k, v in options.items() if v is not None}
    wrong = [k for k in given if k not in FILTERS[resource]]
    if wrong:
        raise BadParameter(f"--{wrong[0].replace('_', '-')} does not apply to {resource} "
                           f"(they take: {', '.join('--' + f.replace('_', '-') for f in FILTERS[resource])})")
    return given


# ---------------------------------------------------------------- commands

@click.command()
@click.option("--host", default=None, help="address to listen on [default: 127.0.0.1]")
@click.option("--port", type=int, default=None, help="port [default: 8000]")
@click.option("--workers", type=int, default=None, help="extraction processes [default: 2]")
@click.option("--token", default=None, help="the API token [default: $BULLETIN_API_TOKEN, else one made now]")
@db_option
def serve(host: str | None, port: int | None, workers: int | None, token: str | None, db: Path | None) -> None:
    """Run the API server (OpenAPI at /docs); prints the URL to open, with the token."""
    import uvicorn

    from service.api.main import create_app

    settings = settings_for(db, host=host, port=port, workers=workers, api_token=token)
    pool = None
    if settings.engine != "local":  # BULLETIN_ENGINE=ray: the jobs run on the Ray cluster
        from service.engines import EngineError, make_pool

        try:
            pool = make_pool(settings)
        except EngineError as e:
            raise ServiceError(str(e)) from None
    app = create_app(settings, pool=pool)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--workers", type=int, default=None, help="extraction processes [default: 2]")
@click.option("--reextract", is_flag=True, help="extract PDFs already stored again (after an extractor upgrade)")
@click.option("--quiet", is_flag=True, help="no progress bar")
@click.option("--engine", type=click.Choice(["local", "ray"]), default=None,
              help="local processes, or a Ray cluster (pip install 'bulletin-extract[ray]') [default: $BULLETIN_ENGINE "
                   "or local]")
@click.option("--address", default=None, help="ray: the cluster to join (ray://host:10001, host:6379, auto) "
                                              "[default: $BULLETIN_RAY_ADDRESS, else a local Ray of --workers CPUs]")
@click.option("--ship", type=click.Choice(["auto", "bytes", "path"]), default="auto", show_default=True,
              help="ray: send each PDF as bytes, or its path (a filesystem all nodes share); auto: path on a local Ray")
@db_option
@output_options
@reports_service_errors
def ingest(paths: tuple[Path, ...], workers: int | None, reextract: bool, quiet: bool, engine: str | None,
           address: str | None, ship: str, db: Path | None, fmt: str) -> None:
    """Extract the bulletins in PATHS (files or folders: PDF, DOCX, OFD, HTML, JPEG, PNG, TIFF, told by their content)
    into the database, in several processes or on Ray."""
    from service.ingest import ingest as run
    from service.ingest import pdf_files

    settings = settings_for(db, workers=workers, engine=engine, ray_address=address)
    if settings.engine == "ray":
        from service.engines import EngineError, ingest_ray

        def run(files, *, workers, **options):  # on a cluster, an actor per CPU it has unless --workers is given
            n = workers if (workers_given or not settings.ray_address) else None
            try:
                return ingest_ray(files, workers=n, address=settings.ray_address, ship=ship, **options)
            except EngineError as e:
                raise ServiceError(str(e)) from None

        workers_given = workers is not None
    files = pdf_files(list(paths))
    if not files:
        raise ServiceError("no documents found (give PDF, DOCX, OFD, HTML, JPEG, PNG or TIFF files, or folders that hold them)")
    with click.progressbar(length=len(files), label="ingesting", file=sys.stderr,
                           hidden=quiet or not sys.stderr.isatty()) as bar:
        report = run(files, db=settings.db, workers=settings.workers, timeout=settings.extraction_timeout,
                     max_pages=settings.max_pages, reextract=reextract, progress=lambda path, outcome: bar.update(1))
    summary = report.as_dict()
    errors = summary.pop("errors")
    emit([summary], fmt, list(summary), {"database": str(settings.db)} if fmt == "json" else None)
    for error in errors:
        click.echo(f"{error['file']}: failed: {error['error']}", err=True)
    if report.failed:
        sys.exit(1)


@click.command()
@click.argument("q", required=False)
@click.option("-r", "--resource", type=click.Choice(["figures", "dates", "entities"]), default="figures",
              show_default=True, help="what to search")
@filter_options
@click.option("--limit", type=int, default=20, show_default=True, help="rows per page")
@click.option("--next", "next_token", default=None, help="the next token a previous search printed")
@db_option
@output_options
@reports_service_errors
def search(q: str | None, resource: str, limit: int, next_token: str | None, db: Path | None, fmt: str,
           **filters) -> None:
    """Search the figures (or dates, entities) with the API's filters: bulletin search 就业 --place 邵阳市."""
    from service import queries
    from service.store import Store

    settings = settings_for(db)
    if no_database(settings):
        raise ServiceError(f"{settings.db}: no database yet (run 'bulletin ingest samples/' first)")
    params = collect_filters(resource, {"q": q, **filters})
    params.update({"limit": str(limit), **({"next": next_token} if next_token else {})})
    with Store.open(settings.db) as store:
        page = queries.search(store.conn, resource, params, max_limit=settings.max_page_size)
    columns = {"figures": ["id", "document_id", "page", "text", "value", "unit", "kind", "place", "date", "subject"],
               "dates": ["id", "document_id", "page", "text", "value", "precision", "sentence"],
               "entities": ["id", "type", "name", "code", "mention_count", "document_count"]}[resource]
    if fmt != "table":
        columns = queries.RESOURCES[resource].columns
    for row in page.items:
        row.setdefault("date", row.get("as_of") or row.get("issue_date"))
    emit(page.items, fmt, columns, {"count": page.count, "count_exact": page.count_exact, "next": page.next})


EXPORT_WHAT = ["figures", "entities", "dates", "database"]


@click.command()
@click.argument("what", metavar="WHAT|DIR")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="the file to write; its extension picks the format unless --format is given")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "xlsx", "parquet"]), default=None,
              help="csv, jsonl, xlsx or parquet [default: from the extension]")
@click.option("--partition-by", default=None,
              help="the whole dataset as Parquet in the folder DIR, partitioned by issuer, year and/or month "
                   "(comma-separated; '' for none): bulletin export --format parquet --partition-by issuer,year DIR")
@click.option("--bom", is_flag=True, help="csv: start with a UTF-8 BOM so Excel reads the Chinese")
@click.option("--q", default=None, help="words that must all occur")
@filter_options
@db_option
@reports_service_errors
def export(what: str, output: Path | None, fmt: str | None, partition_by: str | None, bom: bool, q: str | None,
           db: Path | None, **filters) -> None:
    """Export figures, entities or dates (with the search's filters), or the whole database file (WHAT
    with -o FILE); or the whole dataset as partitioned Parquet files (DIR with --partition-by)."""
    from service import export as exporting
    from service import queries
    from service.store import Store

    settings = settings_for(db)
    if no_database(settings):
        raise ServiceError(f"{settings.db}: no database yet (run 'bulletin ingest samples/' first)")
    if partition_by is not None or (fmt == "parquet" and what not in EXPORT_WHAT and output is None):
        if fmt not in (None, "parquet") or output is not None or q or any(v is not None for v in filters.values()):
            raise ServiceError("a dataset export (DIR, --partition-by) is the whole database as Parquet: "
                               "it takes no -o, filters or other --format")
        if not isinstance(settings.db, Path):
            raise ServiceError("a dataset export reads a SQLite file; on PostgreSQL export figures, entities or "
                               "dates with -o FILE (or use pg_dump / COPY)")
        keys = [k.strip() for k in (partition_by or "").split(",") if k.strip()]
        info = exporting.write_dataset(settings.db, Path(what), partition_by=keys)
        counts = ", ".join(f"{t['rows']} {name}" for name, t in info["tables"].items())
        click.echo(f"{what}: {counts}; schema in {Path(what) / 'schema.json'}", err=True)
        return
    if what not in EXPORT_WHAT:
        raise ServiceError(f"{what}: export figures, entities, dates or database (-o FILE), or a dataset to a "
                           "folder (DIR --partition-by issuer,year)")
    if output is None:
        raise ServiceError("give the file to write with -o FILE")
    if what == "database" and not isinstance(settings.db, Path):
        raise ServiceError("the database is on a PostgreSQL server, not in one file: back it up with pg_dump")
    if what == "database":
        exporting.backup_database(settings.db, output)
        click.echo(f"{output}: the whole database", err=True)
        return
    fmt = fmt or output.suffix.lstrip(".").lower()
    if fmt not in exporting.FORMATS:
        raise ServiceError(f"{output}: cannot tell the format from the extension: give --format "
                           f"({', '.join(exporting.FORMATS)})")
    params = collect_filters(what, {"q": q, **filters})
    with Store.open(settings.db) as store:
        total = queries.count(store.conn, what, params)
        exporting.write_rows(queries.iter_rows(store.conn, what, params), queries.RESOURCES[what].columns, fmt,
                             output, bom=bom)
    click.echo(f"{output}: {total} {what}", err=True)


COMMANDS = [serve, ingest, search, export]
