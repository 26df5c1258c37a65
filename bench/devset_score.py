"""Score ``extract_items`` on the development set: one line per text, then the totals.

    .venv/bin/python bench/devset_score.py [--show] [--devset /work/shared/devset]

Each .txt is turned into clean text the way the PDF reader does it (roughly): page footers
(— 5 —) and blank lines dropped, a paragraph's hard-wrapped lines joined, each paragraph
normalised, paragraphs joined by "\\n". The result goes to score.py beside the devset.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractor.items import extract_items  # noqa: E402
from extractor.normalize import normalize_text  # noqa: E402

FOOTER = re.compile(r"^\s*[—-]\s*\d+\s*[—-]\s*$")
# A wrapped line ends mid-sentence; a paragraph ends with 。！？ or a closing quote/bracket, or is short.
PARAGRAPH_END = re.compile(r"[。！？!?：:]\s*$|[”）)]\s*$")


def clean_text(raw: str) -> str:
    paragraphs, current = [], ""
    lines = [line.rstrip() for line in raw.splitlines() if line.strip() and not FOOTER.match(line)]
    for line in lines:
        # An indented line or one starting a lead begins a paragraph in these texts.
        starts_new = line.startswith((" ", "\u3000")) and current and PARAGRAPH_END.search(current)
        if starts_new:
            paragraphs.append(current)
            current = ""
        current += line.strip()
        if PARAGRAPH_END.search(line) and len(line.strip()) < 28:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n".join(normalize_text(p) for p in paragraphs)


def issue_date_of(txt: Path, gold: dict) -> dt.date | None:
    meta = txt.with_suffix(".meta.json")
    value = json.loads(meta.read_text(encoding="utf-8")).get("publication_date") if meta.exists() else None
    value = value or gold.get("metadata", {}).get("issue_date")
    return dt.date.fromisoformat(value) if value else None


def city_of(txt: Path) -> str | None:
    return "邵阳市" if txt.name.startswith("shaoyang") else None


def score(txt: Path, show: bool) -> dict:
    gold_path = txt.with_suffix(".gold.json")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = clean_text(txt.read_text(encoding="utf-8"))
    figures, dates = extract_items(text, issue_date=issue_date_of(txt, gold), city=city_of(txt))
    result = {"figures": [f.model_dump(mode="json") for f in figures],
              "dates": [d.model_dump(mode="json") for d in dates], "entities": []}
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as f:
        json.dump(result, f, ensure_ascii=False)
    args = [sys.executable, str(txt.parent.parent / "score.py" if txt.parent.name == "more" else txt.parent / "score.py"),
            f.name, str(gold_path)] + (["--show"] if show else [])
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    counts = dict(re.findall(r"(figures|dates)=(\d+,\d+,\d+)", out))
    # A forbidden number (a year, a phone number) reported as a figure, unless the same value and
    # unit is also a wanted figure elsewhere (the day 11 of a date vs 11个 农家书屋).
    wanted = {(g["value"], g["unit"]) for part in ("required", "optional") for g in gold["figures"].get(part, [])}
    forbidden = {(g["value"], g.get("unit")) for g in gold["figures"].get("forbidden", [])}
    hit = [f for f in figures if (f.value, f.unit) not in wanted
           and any(f.value == v and (u is None or u == f.unit) for v, u in forbidden)]
    return {"name": txt.stem, "counts": {k: tuple(map(int, v.split(","))) for k, v in counts.items()},
            "details": out if show else "", "forbidden": hit}


def prf(tp: int, npred: int, ngold: int) -> str:
    p = tp / npred if npred else 1.0
    r = tp / ngold if ngold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P={p:.3f} R={r:.3f} F1={f:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devset", default="/work/shared/devset")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    root = Path(args.devset)
    texts = sorted(root.glob("*.txt")) + sorted((root / "more").glob("*.txt"))
    totals = {"figures": [0, 0, 0], "dates": [0, 0, 0]}
    for txt in texts:
        row = score(txt, args.show)
        parts = []
        for kind in ("figures", "dates"):
            c = row["counts"][kind]
            totals[kind] = [a + b for a, b in zip(totals[kind], c)]
            parts.append(f"{kind} {prf(*c)}")
        forbidden = f"  FORBIDDEN: {[f.text for f in row['forbidden']]}" if row["forbidden"] else ""
        print(f"{row['name'][:40]:40s} " + "  ".join(parts) + forbidden)
        if args.show:
            print("    " + row["details"].replace("\n", "\n    "))
    print(f"{'TOTAL':40s} " + "  ".join(f"{k} {prf(*v)}" for k, v in totals.items()))


if __name__ == "__main__":
    main()
