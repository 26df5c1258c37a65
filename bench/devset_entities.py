"""Entities of the seven development bulletins, scored with shared/devset/score.py.

    .venv/bin/python bench/devset_entities.py [--devset /work/shared/devset] [--show]

Each text is cleaned as the extractor's clean text would be: hard-wrapped lines joined into
paragraphs (in the PDF text layer a paragraph's last line ends with a space), page footers
("— 5 —") dropped, ``normalize_text`` per paragraph. The issue date comes from the meta file.
Prints entities P/R/F1 per text and overall (micro), for the seven development texts (shaoyang
and 51–56, which rules were written against) and apart for the other ten (60–69), and that group's
halves: 60–64 (whose misses issue 12's second round read) and 65–69 (read by its third round). No
text here is unseen any more: the held-out news split (training/evaluate.py --pipeline) is the
check on text no rule was written on.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.entities import find_entities  # noqa: E402
from extractor.normalize import normalize_text  # noqa: E402

FOOTER = re.compile(r"^\s*[—–-]\s*\d+\s*[—–-]\s*$")


def clean_text(raw: str) -> str:
    """Join hard-wrapped lines. In a PDF's text layer (the shaoyang text) a line that ends a
    paragraph ends with a space, a wrapped one does not; the web texts have one paragraph a line."""
    lines = [line for line in raw.splitlines() if not FOOTER.match(line)]
    wrapped = sum(1 for line in lines if line.strip() and not line.endswith(" ")) > 0.5 * sum(
        1 for line in lines if line.strip()) and any(line.endswith(" ") for line in lines)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if not wrapped and current:
                paragraphs.append(current)
                current = ""
            continue
        current += stripped
        if not wrapped or line.endswith(" "):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n".join(normalize_text(p) for p in paragraphs)


def texts(devset: Path) -> list[tuple[str, Path, Path, dt.date | None]]:
    out = [("shaoyang", devset / "shaoyang-2023-05-24.txt", devset / "shaoyang-2023-05-24.gold.json",
            dt.date(2023, 5, 24))]
    for txt in sorted((devset / "more").glob("[0-9]*.txt")):
        meta = json.loads(txt.with_name(txt.stem + ".meta.json").read_text(encoding="utf-8"))
        date = dt.date.fromisoformat(meta["publication_date"]) if meta.get("publication_date") else None
        out.append((txt.stem, txt, txt.with_name(txt.stem + ".gold.json"), date))
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, default=Path("/work/shared/devset"))
    parser.add_argument("--show", action="store_true", help="list misses and wrong entities")
    args = parser.parse_args(argv)
    totals = {"development": [0, 0, 0], "other": [0, 0, 0], "60–64": [0, 0, 0], "65–69": [0, 0, 0]}
    for name, txt, gold, date in texts(args.devset):
        group = "other" if name[:1] == "6" else "development"
        text = clean_text(txt.read_text(encoding="utf-8"))
        entities = find_entities(text, issue_date=date)
        result = {"figures": [], "dates": [], "entities": [e.model_dump(mode="json") for e in entities]}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False)
        cmd = [sys.executable, str(args.devset / "score.py"), f.name, str(gold)] + (["--show"] if args.show else [])
        out = subprocess.run(cmd, capture_output=True, text=True).stdout
        Path(f.name).unlink()
        lines = out.splitlines()
        row = next(line for line in lines if line.startswith("entities"))
        counts = next(line for line in lines if line.startswith("counts"))
        tp, npred, ngold = map(int, re.search(r"entities=(\d+),(\d+),(\d+)", counts).groups())
        for g in (group, *(["60–64" if name[:2] <= "64" else "65–69"] if group == "other" else [])):
            totals[g] = [totals[g][0] + tp, totals[g][1] + npred, totals[g][2] + ngold]
        print(f"{name:42s} {row}")
        if args.show:
            i = lines.index(row)
            print("    " + lines[i + 1].strip())
            print("    " + lines[i + 2].strip())
    for group, (tp, npred, ngold) in totals.items():
        p = tp / npred if npred else 0.0
        r = tp / ngold if ngold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        label = f"overall, {group} texts (micro)"
        print(f"{label:42s} entities  P={p:.3f} R={r:.3f} F1={f1:.3f}  (found {tp}/{ngold}, {npred - tp} wrong)")


if __name__ == "__main__":
    main()
