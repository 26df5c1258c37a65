"""Precision, recall and F1 per entity type of the trained recogniser on the held-out test split.

    .venv/bin/python training/evaluate.py [--model extractor/ner_model] [--test training/corpus/test.spacy]

The test split (10% of the corpora by a hash of each sentence, see prepare.py) is never seen in
training nor used to pick the best model. Scores are exact-span matches, as spaCy's scorer.
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
    from spacy.training import Example

    import extractor.greedy_ner  # noqa: F401  (registers bulletin_ner)
    import extractor.ner_features  # noqa: F401  (registers jieba_word_features)

    nlp = spacy.load(args.model)
    gold = list(DocBin().from_disk(args.test).get_docs(nlp.vocab))
    started = time.perf_counter()
    predicted = list(nlp.pipe(nlp.make_doc(d.text) for d in gold))
    seconds = time.perf_counter() - started
    examples = [Example(p, g) for p, g in zip(predicted, gold)]
    from spacy.scorer import Scorer

    scores = Scorer.score_spans(examples, "ents")
    chars = sum(len(d.text) for d in gold)
    print(f"held-out test: {len(gold)} sentences, {chars} characters, {chars / seconds:,.0f} chars/s")
    print(f"{'type':8s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    for label, row in sorted(scores["ents_per_type"].items()):
        print(f"{label:8s} {row['p']:6.3f} {row['r']:6.3f} {row['f']:6.3f}")
    print(f"{'all':8s} {scores['ents_p']:6.3f} {scores['ents_r']:6.3f} {scores['ents_f']:6.3f}")
    corpus_of = corpora_of(gold)
    print_by_corpus(examples, corpus_of)
    if args.pipeline:
        from spacy.tokens import Span

        from extractor.entities import tag_lines

        examples = []
        for g, row in zip(gold, tag_lines(d.text for d in gold)):
            doc = nlp.make_doc(g.text)
            spans = [doc.char_span(s, e, label=lab, alignment_mode="expand") for s, e, lab in row["entities"]]
            doc.ents = spacy.util.filter_spans([s for s in spans if isinstance(s, Span)])
            examples.append(Example(doc, g))
        scores = Scorer.score_spans(examples, "ents")
        print("whole entity pipeline (rules + fitting model spans):")
        for label, row in sorted(scores["ents_per_type"].items()):
            print(f"{label:8s} {row['p']:6.3f} {row['r']:6.3f} {row['f']:6.3f}")
        print(f"{'all':8s} {scores['ents_p']:6.3f} {scores['ents_r']:6.3f} {scores['ents_f']:6.3f}")
        print_by_corpus(examples, corpus_of)


def corpora_of(gold) -> list[str]:
    """Which corpus each held-out sentence comes from (news: msra, peoples_daily; resume; weibo)."""
    from prepare import CORPORA, clean, read_corpora

    source: dict[str, str] = {}
    for name, sentences in read_corpora(CORPORA).items():
        for raw, spans in sentences:
            source.setdefault(clean(raw, spans)[0], name)
    return [source.get(d.text, "?") for d in gold]


def print_by_corpus(examples, corpus_of: list[str]) -> None:
    """F1 per corpus: the news parts are the kind of text the standard news test sets hold."""
    from spacy.scorer import Scorer

    parts = []
    for name in sorted(set(corpus_of)):
        chosen = [e for e, c in zip(examples, corpus_of) if c == name]
        f = Scorer.score_spans(chosen, "ents")["ents_f"]
        parts.append(f"{name} {f:.3f} ({sum(len(e.reference.ents) for e in chosen)} entities)")
    print("by corpus: " + ", ".join(parts))


if __name__ == "__main__":
    main()
