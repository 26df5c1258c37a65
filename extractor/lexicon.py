"""The figure grammar's word lists, read from ``extractor/data/*.jsonl`` (one object a line, stable ids).

- ``measure_words.jsonl``: units and measure words with the kind of figure they make
  (人 → people, 万元's 元 → money, 平方米 → area); ``as`` maps a variant to its canonical unit
  (千米 → 公里), ``chinese_numeral: false`` marks measure words that after a Chinese numeral are
  mostly part of a name (五头三中, 五台山), ``duration_context`` marks 年, a duration only in
  context (连续3年, 3年以上) since 2023年 is a year.
- ``qualifiers.jsonl``: words that qualify a figure without changing its value (近, 余, 以上, 累计),
  with where they stand: ``before`` the number, ``between`` number and unit, ``after`` the unit,
  or anywhere earlier in the ``clause`` as a whole word (累计培训4030人次).
- ``not_figures.jsonl``: rules for numbers that are not figures (phrases, regexes, and named
  structural checks implemented in ``figures.py``).
- ``subject_words.jsonl``: words that frame a figure's subject without being part of it
  (目前, 全市, 已) and bulletin verbs jieba's dictionary does not tag as verbs (上线, 办理).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def read_jsonl(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@dataclass(frozen=True)
class MeasureWord:
    id: str
    text: str  # as written: 千米
    unit: str  # canonical: 公里
    kind: str
    chinese_numeral: bool = True
    duration_context: bool = False


@dataclass(frozen=True)
class Qualifier:
    id: str
    text: str
    position: str  # before | between | after | clause


@cache
def measure_words() -> dict[str, MeasureWord]:
    """Measure words by their written form."""
    words = {}
    for row in read_jsonl("measure_words.jsonl"):
        words[row["unit"]] = MeasureWord(
            id=row["id"], text=row["unit"], unit=row.get("as", row["unit"]), kind=row["kind"],
            chinese_numeral=row.get("chinese_numeral", True), duration_context=row.get("duration_context", False))
    return words


@cache
def qualifiers() -> tuple[Qualifier, ...]:
    return tuple(Qualifier(row["id"], row["text"], row["position"]) for row in read_jsonl("qualifiers.jsonl"))


@cache
def qualifier_texts(position: str) -> tuple[str, ...]:
    """The qualifiers of one position, longest first so that 同比增长 wins over 增长."""
    return tuple(sorted({q.text for q in qualifiers() if q.position == position}, key=len, reverse=True))


@cache
def not_figure_rules() -> tuple[dict, ...]:
    return tuple(read_jsonl("not_figures.jsonl"))


@cache
def subject_words(kind: str) -> frozenset[str]:
    """``frame`` words (目前, 全市, 已) or extra ``verb``s (上线, 办理)."""
    return frozenset(w for row in read_jsonl("subject_words.jsonl") if row["kind"] == kind for w in row["words"])
