"""Speed of ``extract_items`` (figures + dates) and of loading the pipeline.

    .venv/bin/python bench/bench_items.py

Prints the pipeline load time (in this fresh process, ``import spacy`` apart) and chars/s and
pages/s (800 characters a page) over the shaoyang devset text repeated ×10.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

CHARS_PER_PAGE = 800
TEXT = Path("/work/shared/devset/shaoyang-2023-05-24.txt")


def main() -> None:
    t0 = time.perf_counter()
    from extractor.pipeline import load_pipeline  # noqa: PLC0415 (the import is measured)
    from extractor.items import extract_items  # noqa: PLC0415
    t1 = time.perf_counter()
    load_pipeline()
    t2 = time.perf_counter()
    from devset_score import clean_text  # noqa: PLC0415
    text = "\n".join([clean_text(TEXT.read_text(encoding="utf-8"))] * 10)
    t3 = time.perf_counter()
    figures, dates = extract_items(text, issue_date=dt.date(2023, 5, 24), city="邵阳市")  # first call loads the gazetteer
    t4 = time.perf_counter()
    runs = 3
    for _ in range(runs):
        extract_items(text, issue_date=dt.date(2023, 5, 24), city="邵阳市")
    t5 = time.perf_counter()
    per_run = (t5 - t4) / runs
    print(f"imports            {t1 - t0:6.2f} s (spaCy, jieba)")
    print(f"pipeline load      {t2 - t1:6.2f} s")
    print(f"first extraction   {t4 - t3:6.2f} s (with the gazetteer load)")
    print(f"text               {len(text)} chars ({len(text) / CHARS_PER_PAGE:.0f} pages), "
          f"{len(figures)} figures, {len(dates)} dates")
    print(f"extract_items      {len(text) / per_run:,.0f} chars/s = {len(text) / per_run / CHARS_PER_PAGE:,.0f} pages/s")


if __name__ == "__main__":
    main()
