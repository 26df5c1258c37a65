"""Speed of ``bulletin tag-entities`` on one core, and the entity pipeline's load time.

    python bench/bench_entities.py [--chars 200000] [--runs 3] [--baseline /tmp/old93890c7]

Targets (issue 12): ≥ 30,000 characters a second, load < 2 s. Each measure runs in a fresh child process
with OMP_NUM_THREADS=1 (one core):

- load: ``import spacy``, ``import extractor.entities`` and ``entity_pipeline()`` (the trained
  model, rjieba with our words, the gazetteer, the rule components), then the first sentence tagged;
- speed: ``tag_lines`` over the development bulletins' sentences, repeated to ``--chars``
  characters, after five warm-up sentences; the median of ``--runs`` runs, in characters a second
  of the process's CPU time (what one core does, whatever else the machine runs) and of wall time;
- with ``--baseline DIR`` (another version's tree, e.g. ``git archive 93890c7 | tar -x -C DIR``):
  that version's load and speed measured the same way on the same sentences, each run alternating
  with one of this version, and the median of the runs' ratios (the machine's load changes less
  between two neighbouring runs than over the whole measure);
- where the time goes: CPU µs a character of making the docs and of each component, warm (every
  county's villages read), over the same sentences;
- the ner's decoding alone, ours (numpy, extractor/greedy_ner.py) against spaCy's own loop, on
  the same prepared docs in one process: µs a character and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVSET = Path("/work/shared/devset")
FALLBACK_SENTENCES = ["市委常委、常务副市长王永红率队赴新邵县坪上镇洪溪中学调研。",
                      "市人社局以巩固拓展脱贫攻坚成果为工作抓手，全市建设就业帮扶车间1200家。"]

CHILD_LOAD = """
import time, json
t0 = time.perf_counter()
import spacy
ts = time.perf_counter()
from extractor.entities import entity_pipeline, tag_lines
entity_pipeline()
t1 = time.perf_counter()
list(tag_lines(["市委常委、常务副市长王永红率队赴新邵县坪上镇洪溪中学调研。"]))
t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "spacy": ts - t0, "first": t2 - t1}))
"""

CHILD_SPEED = """
import sys, time, json
from extractor.entities import tag_lines
lines = json.load(open(sys.argv[1], encoding="utf-8"))
list(tag_lines(lines[:5]))
t0, c0 = time.perf_counter(), time.process_time()
n = sum(len(r["entities"]) for r in tag_lines(lines))
t1, c1 = time.perf_counter(), time.process_time()
print(json.dumps({"seconds": t1 - t0, "cpu": c1 - c0, "chars": sum(map(len, lines)), "lines": len(lines),
                  "entities": n}))
"""

# CPU time of each stage, warm: the docs, then each component over them in batches as nlp.pipe runs it.
CHILD_STAGES = """
import sys, time, json
from extractor.entities import entity_pipeline, tag_lines
from extractor.entities.area import Area
lines = json.load(open(sys.argv[1], encoding="utf-8"))
nlp = entity_pipeline()
list(tag_lines(lines[:2000]))
stages = {}
t = time.process_time()
docs = []
for line in lines:
    doc = nlp.make_doc(line)
    doc.user_data["text"] = line
    doc.user_data["bulletin_area"] = Area()
    docs.append(doc)
stages["make_doc"] = time.process_time() - t
for name, component in nlp.pipeline:
    t = time.process_time()
    if hasattr(component, "pipe"):
        docs = [d for i in range(0, len(docs), 256) for d in component.pipe(docs[i:i + 256])]
    else:
        docs = [component(d) for d in docs]
    stages[name] = time.process_time() - t
print(json.dumps({"stages": stages, "chars": sum(map(len, lines))}))
"""

# The ner's decoding alone, spaCy's own loop against ours (extractor/greedy_ner.py), on the same docs.
CHILD_DECODE = """
import sys, time, json
from spacy.pipeline import EntityRecognizer
from extractor.entities import entity_pipeline
lines = json.load(open(sys.argv[1], encoding="utf-8"))
nlp = entity_pipeline()
ner = nlp.get_pipe("ner")
def prepared():  # fresh docs through the components before the ner (a doc with entities is left to spaCy)
    docs = [nlp.make_doc(line) for line in lines]
    for name, component in nlp.pipeline:
        if name == "ner":
            return docs
        docs = list(component.pipe(docs))
def run(predict):
    docs = prepared()
    t0 = time.perf_counter()
    for i in range(0, len(docs), 256):
        batch = docs[i:i + 256]
        ner.set_annotations(batch, predict(batch))
    return time.perf_counter() - t0
spacy_s = run(lambda b: EntityRecognizer.predict(ner, b))
ours_s = run(ner.predict)
print(json.dumps({"spacy": spacy_s, "ours": ours_s, "chars": sum(map(len, lines))}))
"""


def sentences() -> list[str]:
    if not DEVSET.exists():
        return FALLBACK_SENTENCES
    sys.path.insert(0, str(ROOT / "bench"))
    from devset_entities import clean_text, texts

    out = []
    for _, txt, _, _ in texts(DEVSET):
        for paragraph in clean_text(txt.read_text(encoding="utf-8")).split("\n"):
            out.extend(s for s in re.split(r"(?<=[。！？；])", paragraph) if len(s.strip()) > 1)
    return out


def child(code: str, *args: str, cwd: Path = ROOT) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another version's tree, measured alternately on the same sentences")
    args = parser.parse_args(argv)
    versions = {"this": ROOT} | ({"baseline": args.baseline.resolve()} if args.baseline else {})

    loads: dict[str, list[dict]] = {name: [] for name in versions}
    for _ in range(args.runs):
        for name, tree in versions.items():
            loads[name].append(child(CHILD_LOAD, cwd=tree))
    for name, rows in loads.items():
        load = statistics.median(r["load"] for r in rows)
        first = statistics.median(r["first"] for r in rows)
        spacy_import = statistics.median(r["spacy"] for r in rows)
        print(f"{name + ' load:':15s} {load:.2f} s (import spaCy {spacy_import:.2f} s, then ours "
              f"{load - spacy_import:.2f} s), first sentence {first * 1000:.0f} ms  (target < 2 s)")

    base = sentences()
    lines: list[str] = []
    while sum(map(len, lines)) < args.chars:
        lines.extend(base)
    path = ROOT / "bench" / ".bench_entities_input.json"
    path.write_text(json.dumps(lines, ensure_ascii=False), encoding="utf-8")
    runs: dict[str, list[dict]] = {name: [] for name in versions}
    try:
        for _ in range(args.runs):
            for name, tree in versions.items():
                runs[name].append(child(CHILD_SPEED, str(path), cwd=tree))
        decode = child(CHILD_DECODE, str(path)) if (ROOT / "extractor" / "ner_model").exists() else None
        stages = child(CHILD_STAGES, str(path))
    finally:
        path.unlink(missing_ok=True)
    for name, rows in runs.items():
        cpu = statistics.median(r["chars"] / r["cpu"] for r in rows)
        wall = statistics.median(r["chars"] / r["seconds"] for r in rows)
        r = rows[0]
        print(f"{name + ' tag-entities:':23s} {cpu:,.0f} chars/s of CPU time on one core, {wall:,.0f} of wall time "
              f"({r['lines']} sentences, {r['chars']:,} chars, {r['entities']} entities; target ≥ 30,000)")
    if args.baseline:
        ratios = sorted(b["cpu"] / a["cpu"] for a, b in zip(runs["this"], runs["baseline"]))
        print(f"this / baseline speed: {statistics.median(ratios):.3f} (median of {len(ratios)} alternated pairs, "
              f"CPU time; range {ratios[0]:.3f}–{ratios[-1]:.3f})")
    per_char = {k: v / stages["chars"] * 1e6 for k, v in stages["stages"].items()}
    print(f"where the time goes (CPU µs a character, warm; {sum(per_char.values()):.1f} in all): "
          + ", ".join(f"{k} {v:.2f}" for k, v in per_char.items()))
    if decode:
        per_char = {k: decode[k] / decode["chars"] * 1e6 for k in ("spacy", "ours")}
        print(f"ner decoding: {per_char['ours']:.1f} µs a character in numpy against {per_char['spacy']:.1f} in spaCy's "
              f"own loop, {decode['spacy'] / decode['ours']:.1f}× faster (the same entities: tests/test_greedy_ner.py)")
    model = ROOT / "extractor" / "ner_model"
    if model.exists():
        size = sum(p.stat().st_size for p in model.rglob("*") if p.is_file())
        print(f"model: {size / 1e6:.1f} MB  (target < 30 MB)")


if __name__ == "__main__":
    main()
