"""The PostgreSQL store: the same commands give the same rows as on SQLite (``bulletin ingest`` and
``bulletin search`` on the samples), the same migrations, one SQL spelled for both, and a clear
error for a database the project cannot serve. (The store, API, export, batch-write and concurrency
tests run on both stores through the ``database`` fixtures of tests/conftest.py.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from service import store as sqlite_store
from service import store_postgres
from service.store import StoreError, check_db, open_store
from tests.conftest import ROOT, sample_path

SEARCHES = [
    ["就业"], ["--place", "邵阳市"], ["--unit", "人", "--sort", "-value"], ["资金", "--sort", "-value"],
    ["--date-from", "2023-01", "--date-to", "2023-12"], ["--min-value", "1000", "--sort", "value"],
    ["--resource", "dates", "截至"], ["--resource", "entities", "--type", "PLACE"],
]


def bulletin(*args: str, db) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service.cli", *args, "--db", str(db)], capture_output=True,
                          text=True, cwd=ROOT, timeout=900)


def test_ingest_and_search_give_the_same_rows_on_postgresql_as_on_sqlite(tmp_path, pg_server):
    files = [str(sample_path("a")), str(sample_path("b"))]
    stores = {"sqlite": tmp_path / "bulletins.db", "postgresql": pg_server.create_database("cli_same_rows")}
    for db in stores.values():
        done = bulletin("ingest", *files, "--workers", "1", "--format", "json", db=db)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["items"][0]["stored"] == 2
    for search in SEARCHES:
        pages = {}
        for name, db in stores.items():
            done = bulletin("search", *search, "--limit", "1000", "--format", "json", db=db)
            assert done.returncode == 0, (search, name, done.stderr)
            pages[name] = json.loads(done.stdout)
        assert pages["sqlite"]["items"], search
        assert pages["postgresql"] == pages["sqlite"], search


def test_the_migrations_are_the_same_versions_on_both_stores(database):
    store = open_store(database)
    versions = [r[0] for r in store.conn.execute("SELECT version FROM _migrations ORDER BY version")]
    assert versions == [v for v, _, _ in sqlite_store.MIGRATIONS]
    assert [v for v, _, _ in store_postgres.MIGRATIONS] == versions, \
        "a migration of service/store.py needs its PostgreSQL counterpart in service/store_postgres.py"
    assert open_store(database).migrate() == []
    store.close()


def test_the_shared_sql_is_spelled_for_postgresql():
    assert store_postgres.translate("SELECT f.[end], ifnull(a, 0) FROM t WHERE instr(s, ?) > 0 AND x LIKE '5%'") == (
        'SELECT f."end", coalesce(a, 0) FROM t WHERE strpos(s, %s) > 0 AND x LIKE \'5%%\'')


@pytest.mark.parametrize("url", ["mysql://user@host/db", "sqlite+pysqlite:///x.db", "http://example.org/db"])
def test_a_database_url_the_project_cannot_serve_is_refused(tmp_path, url):
    with pytest.raises(StoreError, match="not one this project can serve"):
        check_db(url)
    done = subprocess.run([sys.executable, "-m", "service.cli", "search", "就业", "--db", url], capture_output=True,
                          text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 1 and "not one this project can serve" in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []  # no folder named after the scheme


def test_a_postgresql_server_that_does_not_answer_is_a_clear_error(tmp_path):
    url = "postgresql://nobody@127.0.0.1:1/bulletins"
    with pytest.raises(StoreError, match="cannot connect to the PostgreSQL database"):
        open_store(url)
    done = subprocess.run([sys.executable, "-m", "service.cli", "search", "就业", "--db", url], capture_output=True,
                          text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 1 and "cannot connect" in done.stderr and "Traceback" not in done.stderr
    assert not Path(tmp_path / "postgresql:").exists()


def test_postgresql_full_text_is_the_same_jieba_words(pg_server):
    from service import queries
    from service.synthetic import synthetic_extraction

    with open_store(pg_server.create_database("fts_words")) as store:
        x = synthetic_extraction(1, figures=60, seed=3)
        store.save_extraction(x)
        for word in ("就业", "农村劳动力", "新邵", "养老服务", "GDP"):
            found = queries.search(store.conn, "figures", {"q": word, "limit": "1000"})
            assert found.count == sum(word.lower() in (f.sentence + (f.subject or "")).lower() for f in x.figures), word
        # quotes and backslashes are words, not tsquery syntax
        assert queries.search(store.conn, "figures", {"q": "it's \\ 就业"}).count == 0
