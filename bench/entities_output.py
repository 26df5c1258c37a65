"""The entity pipeline's output, written down to be compared across versions (a speed change must
not change what users get).

    .venv/bin/python bench/entities_output.py --out /tmp/entities.new.jsonl [--reference /tmp/entities.ref.jsonl]

One JSON line per input, over:

- ``test``, ``dev``, ``train``: the news sentences of ``training/corpus`` (``test`` is the held-out
  split ``training/evaluate.py`` scores; the other two only add text to compare on; make them with
  ``training/prepare.py --out training/corpus``), through ``tag_lines`` as ``bulletin tag-entities``
  runs them;
- ``sentence``: every sentence of the seventeen development texts (shared/devset and more/, the
  sentences ``bench/bench_entities.py`` times), through ``tag_lines``;
- ``document``: each of the seventeen texts whole, through ``find_entities`` (the document's area,
  villages, names linked across the document), every field of every entity.

With ``--reference`` (a file written by the unchanged code) it prints each line that differs and
exits 1 if any does. Inputs the reference lacks or has extra are counted as differences too.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def corpus_sentences(path: Path) -> list[str]:
    if not path.exists():
        sys.exit(f"{path} is missing: make it with .venv/bin/python training/prepare.py --out training/corpus")
    import spacy
    from spacy.tokens import DocBin

    return [d.text for d in DocBin().from_disk(path).get_docs(spacy.blank("xx").vocab)]


def rows(devset: Path, corpus: Path, splits: list[str]):
    from devset_entities import clean_text, texts

    from extractor.entities import find_entities, tag_lines

    for split in splits:
        lines = corpus_sentences(corpus / f"{split}.spacy")
        for i, row in enumerate(tag_lines(lines)):
            yield {"kind": split, "id": i, "text": lines[i], "entities": row["entities"]}
    documents = [(name, clean_text(txt.read_text(encoding="utf-8")), date) for name, txt, _, date in texts(devset)]
    for name, text, _ in documents:
        sentences = [s for p in text.split("\n") for s in re.split(r"(?<=[。！？；])", p) if len(s.strip()) > 1]
        for i, row in enumerate(tag_lines(sentences)):
            yield {"kind": "sentence", "id": f"{name}:{i}", "text": sentences[i], "entities": row["entities"]}
    for name, text, date in documents:
        entities = find_entities(text, issue_date=date)
        yield {"kind": "document", "id": name,
               "entities": [e.model_dump(mode="json") for e in entities]}


def compare(new: Path, reference: Path, show: int) -> int:
    def load(path: Path) -> dict:
        out = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            out[(row["kind"], str(row["id"]))] = row
        return out

    a, b = load(reference), load(new)
    differ = [k for k in a.keys() | b.keys() if a.get(k, {}).get("entities") != b.get(k, {}).get("entities")]
    by_kind: dict[str, int] = {}
    for k in a:
        by_kind[k[0]] = by_kind.get(k[0], 0) + 1
    print("compared: " + ", ".join(f"{n} {kind}" for kind, n in sorted(by_kind.items()))
          + f"; {len(differ)} differ")
    for k in sorted(differ)[:show]:
        old, now = a.get(k, {}), b.get(k, {})
        print(f"--- {k[0]} {k[1]}: {old.get('text', '')}")
        old_e = {json.dumps(e, ensure_ascii=False, sort_keys=True) for e in old.get("entities", [])}
        new_e = {json.dumps(e, ensure_ascii=False, sort_keys=True) for e in now.get("entities", [])}
        for e in sorted(old_e - new_e):
            print(f"  - {e}")
        for e in sorted(new_e - old_e):
            print(f"  + {e}")
    return 1 if differ else 0


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="where to write the JSON lines")
    parser.add_argument("--reference", type=Path, help="JSON lines of the unchanged code to compare with")
    parser.add_argument("--devset", type=Path, default=Path("/work/shared/devset"))
    parser.add_argument("--corpus", type=Path, default=ROOT / "training/corpus")
    parser.add_argument("--splits", default="test,dev,train", help="of --corpus, comma-separated")
    parser.add_argument("--show", type=int, default=30, help="differences to print")
    args = parser.parse_args(argv)
    with args.out.open("w", encoding="utf-8") as f:
        for row in rows(args.devset, args.corpus, args.splits.split(",")):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    if args.reference:
        sys.exit(compare(args.out, args.reference, args.show))


if __name__ == "__main__":
    main()
