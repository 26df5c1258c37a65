"""Precision, recall and F1 per entity type of the trained recogniser on the held-out test split.

    .venv/bin/python training/evaluate.py [--model extractor/ner_model] [--test training/corpus/test.spacy]

The test split (10% of the corpora by a hash of each sentence, see prepare.py) is never seen in
training nor used to pick the best model. Scores are exact-span matches, as spaCy's scorer, except
that a type a corpus does not annotate as we mean it (prepare.UNANNOTATED: PLACE in Resume) is not
scored on that corpus, neither its labels nor what is predicted.
``--pipeline`` also scores the whole entity pipeline of extractor/entities.py (rules, then the
model where its spans fit), as ``bulletin tag-entities`` runs it, on the same sentences.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=ROOT / "extractor/ner_model")
    parser.add_argument("--test", type=Path, default=ROOT / "training/corpus/test.spacy")
    parser.add_argument("--pipeline", action="store_true", help="also score extractor.entities' whole pipeline")
    args = parser.parse_args(argv)

    import spacy
    from spacy.tokens import DocBin

    import extractor.greedy_ner  # noqa: F401  (registers bulletin_ner)
    import extractor.ner_features  # noqa: F401  (registers jieba_word_features)

    nlp = spacy.load(args.model)
    gold = list(DocBin().from_disk(args.test).get_docs(nlp.vocab))
    started = time.perf_counter()
    predicted = list(nlp.pipe(nlp.make_doc(d.text) for d in gold))
    seconds = time.perf_counter() - started
    chars = sum(len(d.text) for d in gold)
    print(f"held-out test: {len(gold)} sentences, {chars} characters, {chars / seconds:,.0f} chars/s")
    corpus_of = corpora_of(gold)
    print("the model alone:")
    report([spans_of(d) for d in predicted], gold, corpus_of)
    if args.pipeline:
        from extractor.entities import tag_lines

        print("whole entity pipeline (rules + fitting model spans):")
        report([set(map(tuple, row["entities"])) for row in tag_lines(d.text for d in gold)], gold, corpus_of)


def spans_of(doc) -> set[tuple[int, int, str]]:
    return {(e.start_char, e.end_char, e.label_) for e in doc.ents}


def report(predicted: list[set], gold, corpus_of: list[str]) -> None:
    """P, R, F1 per type and overall; F1 per corpus."""
    from prepare import UNANNOTATED

    pairs = []
    for p, g, corpus in zip(predicted, gold, corpus_of):
        g = spans_of(g)
        skip = UNANNOTATED.get(corpus)
        pairs.append(({s for s in p if s[2] != skip}, {s for s in g if s[2] != skip}, corpus))
    print(f"{'type':8s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    for label in ("ORG", "PERSON", "PLACE"):
        p, r, f = prf([({s for s in x if s[2] == label}, {s for s in y if s[2] == label}) for x, y, _ in pairs])
        print(f"{label:8s} {p:6.3f} {r:6.3f} {f:6.3f}")
    p, r, f = prf([(x, y) for x, y, _ in pairs])
    print(f"{'all':8s} {p:6.3f} {r:6.3f} {f:6.3f}")
    parts = []
    for name in sorted(set(corpus_of)):
        chosen = [(x, y) for x, y, c in pairs if c == name]
        parts.append(f"{name} {prf(chosen)[2]:.3f} ({sum(len(y) for _, y in chosen)} entities)")
    print("by corpus: " + ", ".join(parts))


def prf(pairs) -> tuple[float, float, float]:
    found = sum(len(p & g) for p, g in pairs)
    p = found / max(1, sum(len(p) for p, _ in pairs))
    r = found / max(1, sum(len(g) for _, g in pairs))
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def corpora_of(gold) -> list[str]:
    """Which corpus each held-out sentence comes from (news: msra, peoples_daily; resume; weibo)."""
    from prepare import CORPORA, clean, read_corpora

    source: dict[str, str] = {}
    for name, sentences in read_corpora(CORPORA).items():
        for raw, spans in sentences:
            source.setdefault(clean(raw, spans)[0], name)
    return [source.get(d.text, "?") for d in gold]


if __name__ == "__main__":
    main()
