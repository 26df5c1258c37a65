"""Build ``gazetteer.tsv.gz`` from the administrative-division CSVs (modood/Administrative-divisions-of-China, WTFPL).

    .venv/bin/python extractor/data/build_gazetteer.py [../shared/gazetteer]

One row per division: code, name, level (province, city, county, township), parent code, and
the short form (新邵县 → 新邵; empty where there is none), computed here so that loading need
not run ``short_form``'s regular expression 45,000 times.
Placeholder rows (市辖区 under a municipality, 省直辖县级行政区划) carry no name a text
would use; they are dropped and their children hang from the province instead.

``villages.tsv.gz``: the 620,000 village-level names (villages.csv.gz), as bulletins write them:
the committee's name less its ending (石家川村委会 → 石家川村, 多福巷社区居委会 → 多福巷社区). One
line per township: its code, a tab, then its villages in code order, each as ``NNNname`` where
the last three digits of its code do not follow the previous one's, else as ``name``
(``610681101\t211热寺湾村,218史家畔村,…``): 2.8 MB instead of 12 MB, read only when a document
names a county whose villages are wanted (``extractor/gazetteer.py``, ``villages()``).
"""

from __future__ import annotations

import csv
import gzip
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from extractor.gazetteer import short_form  # noqa: E402

PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
OUT = Path(__file__).with_name("gazetteer.tsv.gz")
VILLAGES_OUT = Path(__file__).with_name("villages.tsv.gz")
# 石家川村委会 → 石家川村, 幸福社区居委会 → 幸福社区, 巴音嘎查委员会 → 巴音嘎查.
VILLAGE_COMMITTEE = re.compile(r"(村民委员会|村委会)$")
RESIDENTS_COMMITTEE = re.compile(r"(居民委员会|居委会|委员会|牧委会)$")
VILLAGE_NAME_ENDINGS = ("村", "社区", "嘎查", "居", "组", "队", "区")


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


def village_name(committee: str) -> str:
    """石家川村委会 → 石家川村; 多福巷社区居委会 → 多福巷社区; 城关村 stays."""
    if VILLAGE_COMMITTEE.search(committee):
        stem = VILLAGE_COMMITTEE.sub("", committee)
        return stem if stem.endswith(VILLAGE_NAME_ENDINGS) else stem + "村"
    return RESIDENTS_COMMITTEE.sub("", committee)


def build_villages(source: Path) -> list[str]:
    by_township: dict[str, list[tuple[int, str]]] = defaultdict(list)
    with gzip.open(source / "villages.csv.gz", "rt", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            name = village_name(r["name"])
            if len(name) >= 2:
                by_township[r["streetCode"]].append((int(r["code"][-3:]), name))
    lines = []
    for township in sorted(by_township):
        items, previous = [], None
        for number, name in sorted(by_township[township]):
            items.append(name if previous is not None and number == previous + 1 else f"{number}{name}")
            previous = number
        lines.append(township + "\t" + ",".join(items))
    return lines


def main(argv: list[str]) -> None:
    source = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[3] / "shared" / "gazetteer"
    rows = build(source)
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as f:
        f.writelines("\t".join([*r, short_form(r[1]) or ""]) + "\n" for r in rows)
    print(f"{OUT}: {len(rows)} divisions, {OUT.stat().st_size} bytes")
    if (source / "villages.csv.gz").exists():
        lines = build_villages(source)
        VILLAGES_OUT.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), 9, mtime=0))
        print(f"{VILLAGES_OUT}: villages of {len(lines)} townships, {VILLAGES_OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv)
