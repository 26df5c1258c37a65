"""Entities of the development bulletins, the trained recogniser alone and the whole pipeline,
scored as shared/devset/score.py scores them (distinct type + text pairs, micro over the texts).

    .venv/bin/python training/evaluate_bulletins.py [--model extractor/ner_model] [--devset /work/shared/devset]

Two groups: the seven development texts (shaoyang, 51–56: the ones ``bench/devset_entities.py``
scores and the rules were developed on) and the other ten (60–69), which no rule was written on.
The model alone runs over each paragraph (``--model``, any trained model directory); the
pipeline is ``find_entities`` with the shipped model. What the corpora's held-out split
(``evaluate.py``) cannot say: how the model does on bulletins.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=ROOT / "extractor/ner_model")
    parser.add_argument("--devset", type=Path, default=Path("/work/shared/devset"))
    parser.add_argument("--no-pipeline", action="store_true", help="the model alone only")
    args = parser.parse_args(argv)

    import json

    import spacy

    import extractor.greedy_ner  # noqa: F401  (registers bulletin_ner)
    import extractor.ner_features  # noqa: F401  (registers jieba_word_features)
    from devset_entities import clean_text
    from extractor.entities import find_entities

    spec = importlib.util.spec_from_file_location("devset_score", args.devset / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    nlp = spacy.load(args.model)

    files = [args.devset / "shaoyang-2023-05-24.txt"] + sorted((args.devset / "more").glob("*.txt"))
    groups = {"seven development texts": [f for f in files if not f.name.startswith("6")],
              "ten other texts (60-69)": [f for f in files if f.name.startswith("6")]}
    for group, paths in groups.items():
        totals = {"model alone": [0, 0, 0], "whole pipeline": [0, 0, 0]}
        for path in paths:
            gold = json.loads(path.with_name(path.name.replace(".txt", ".gold.json")).read_text(encoding="utf-8"))
            text = clean_text(path.read_text(encoding="utf-8"))
            model = [{"type": e.label_, "text": e.text} for doc in nlp.pipe(text.split("\n")) for e in doc.ents]
            systems = {"model alone": model}
            if not args.no_pipeline:
                systems["whole pipeline"] = [e.model_dump(mode="json") for e in find_entities(text)]
            for system, found in systems.items():
                tp, npred, ngold, _, _ = score.score_entities(found, gold["entities"])
                row = totals[system]
                row[0], row[1], row[2] = row[0] + tp, row[1] + npred, row[2] + ngold
        for system, (tp, npred, ngold) in totals.items():
            if not npred and not tp:
                continue
            p, r, f = score.prf(tp, npred, ngold)
            print(f"{group:26s} {system:15s} P {p:.3f} R {r:.3f} F1 {f:.3f}  ({tp}/{ngold} found, {npred - tp} wrong)")


if __name__ == "__main__":
    main()
