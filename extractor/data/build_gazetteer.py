"""Build ``gazetteer.tsv.gz`` from the administrative-division CSVs (modood/Administrative-divisions-of-China, WTFPL).

    .venv/bin/python extractor/data/build_gazetteer.py [../shared/gazetteer]

One row per division: code, name, level (province, city, county, township), parent code, and
the short form (新邵县 → 新邵; empty where there is none), computed here so that loading need
not run ``short_form``'s regular expression 45,000 times.
Placeholder rows (市辖区 under a municipality, 省直辖县级行政区划) carry no name a text
would use; they are dropped and their children hang from the province instead.
"""

from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from extractor.gazetteer import short_form  # noqa: E402

PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
OUT = Path(__file__).with_name("gazetteer.tsv.gz")


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def build(source: Path) -> list[tuple[str, str, str, str]]:
    rows = [(r["code"], r["name"], "province", "") for r in read(source / "provinces.csv")]
    dropped = {}
    for r in read(source / "cities.csv"):
        if r["name"] in PLACEHOLDERS:
            dropped[r["code"]] = r["provinceCode"]
        else:
            rows.append((r["code"], r["name"], "city", r["provinceCode"]))
    for r in read(source / "areas.csv"):
        rows.append((r["code"], r["name"], "county", dropped.get(r["cityCode"], r["cityCode"])))
    for r in read(source / "streets.csv"):
        rows.append((r["code"], r["name"], "township", r["areaCode"]))
    return rows


def main(argv: list[str]) -> None:
    source = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[3] / "shared" / "gazetteer"
    rows = build(source)
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as f:
        f.writelines("\t".join([*r, short_form(r[1]) or ""]) + "\n" for r in rows)
    print(f"{OUT}: {len(rows)} divisions, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv)
