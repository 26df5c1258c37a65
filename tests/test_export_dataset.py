"""`bulletin export --format parquet --partition-by issuer,year DIR`: the whole dataset (documents,
figures, dates, entity mentions) as Hive-partitioned Parquet with a schema file, read back with
pyarrow's dataset reader (as DuckDB, Spark and pandas read it) to the database's counts."""

from __future__ import annotations

import json
import sqlite3

import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from service.synthetic import fill_store
from tests.test_service_cli import run_cli


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("dataset") / "d.db"
    fill_store(path, documents=6, figures=25)
    conn = sqlite3.connect(path)  # a document without an issue date and one of another issuer
    conn.execute("UPDATE documents SET issue_date = NULL WHERE id = 5")
    conn.execute("UPDATE documents SET issuer = '新邵县人民政府办公室' WHERE id = 6")
    conn.commit()
    conn.close()
    return path


def db_counts(path) -> dict:
    conn = sqlite3.connect(path)
    try:
        return {"documents": conn.execute("SELECT count(*) FROM documents").fetchone()[0],
                "figures": conn.execute("SELECT count(*) FROM figures").fetchone()[0],
                "dates": conn.execute("SELECT count(*) FROM dates").fetchone()[0],
                "entities": conn.execute("SELECT count(*) FROM entity_mentions").fetchone()[0]}
    finally:
        conn.close()


def test_partitioned_parquet_reads_back_to_the_database(db, tmp_path):
    out = tmp_path / "dataset"
    run = run_cli("export", "--format", "parquet", "--partition-by", "issuer,year", str(out), db=db)
    assert run.returncode == 0, run.stderr
    schema = json.loads((out / "schema.json").read_text(encoding="utf-8"))
    assert [k["name"] for k in schema["partitioning"]["keys"]] == ["issuer", "year"]
    expected = db_counts(db)
    for table, count in expected.items():
        assert schema["tables"][table]["rows"] == count
        data = ds.dataset(out / table, format="parquet", partitioning="hive").to_table()
        assert data.num_rows == count, table
        columns = {c["name"] for c in schema["tables"][table]["columns"]}
        assert columns | {"issuer", "year"} == set(data.schema.names)
    figures = ds.dataset(out / "figures", format="parquet", partitioning="hive").to_table()
    assert str(figures.schema.field("as_of").type) == "date32[day]"
    assert str(figures.schema.field("value").type) == "double"
    assert (out / "figures" / "issuer=新邵县人民政府办公室").is_dir()
    assert (out / "documents" / "issuer=邵阳市打好重点民生保障仗工作专班" / "year=__HIVE_DEFAULT_PARTITION__").is_dir()
    years = {p.name for p in (out / "figures" / "issuer=邵阳市打好重点民生保障仗工作专班").iterdir()}
    assert len(years) >= 2 and all(y.startswith("year=20") or y.endswith("PARTITION__") for y in years)
    entities = ds.dataset(out / "entities", format="parquet", partitioning="hive").to_table()
    parents = entities.schema.field("parents").type
    assert pa.types.is_list(parents) and pa.types.is_string(parents.value_type)


def test_unpartitioned_and_bad_requests(db, tmp_path):
    out = tmp_path / "flat"
    run = run_cli("export", "--format", "parquet", "--partition-by", "", str(out), db=db)
    assert run.returncode == 0, run.stderr
    assert (out / "figures" / "part-0.parquet").exists()
    again = run_cli("export", "--format", "parquet", "--partition-by", "issuer", str(out), db=db)
    assert again.returncode == 1 and "not an empty folder" in again.stderr
    for args, words in ((["--partition-by", "colour", str(tmp_path / "x")], "issuer, year, month"),
                        (["--format", "csv", "--partition-by", "year", str(tmp_path / "y")], "as Parquet"),
                        (["somewhere"], "export figures, entities, dates or database"),
                        (["figures"], "-o FILE")):
        run = run_cli("export", *args, db=db)
        assert run.returncode == 1 and words in run.stderr and "Traceback" not in run.stderr, (args, run.stderr)
