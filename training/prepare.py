"""Turn the public NER corpora into spaCy DocBins: train, dev (for spaCy's model selection) and test
(held out, for ``evaluate.py`` only).

    .venv/bin/python training/prepare.py [--corpora /work/shared/ner-corpora] [--out training/corpus]

Corpora and label mapping (shared/ner-corpora/README.md) — our three types only:

| corpus | PERSON | PLACE | ORG |
|---|---|---|---|
| People's Daily 1998 dev | PER | LOC | ORG |
| MSRA held-out | PER | LOC | ORG |
| Resume (train+dev+test) | NAME | LOC | ORG |
| Weibo (train+dev+test) | PER.NAM | LOC.NAM, GPE.NAM | ORG.NAM |

Other labels (Resume's TITLE, EDU…; Weibo's nominal .NOM mentions such as 朋友) become "no entity":
they are labelled, so they really are not persons, places or organisations.

Resume does not annotate places in our sense (``UNANNOTATED``): its LOC is a native place
(陕西咸阳人, 浙江省绍兴县人) and is put on titles and degrees too (会计师, 监事会主席, 硕士 are LOC
in its files), while the places elsewhere in a résumé are unlabelled (芜湖市 in
芜湖市突出贡献的创新型人才, 浙江省 in 浙江省劳动模范). So ``evaluate.py`` does not score PLACE on
it. Training keeps its LOC as PLACE: marking Resume's LOC spans and jieba's place words as missing
annotation instead (``--resume-places missing``) was measured worse, twice (held-out pipeline 0.741
and 0.749 against 0.762, organisations' precision lower).

CLUENER 2020 is left out: shared/notes/ner.md measured it hurting when mapped (its conventions
differ — 北京市人民政府 is a "government" span where the others split 北京市 / 人民政府 — and
dropping its other types leaves real mentions taught as negatives), and marking them as missing
only drew level with not using it.

Each sentence goes to train / dev / test by a hash of its text (80 / 10 / 10), so the split is
stable across runs and a sentence repeated in two corpora lands in one split. Texts are cleaned
with ``extractor.normalize.normalize`` (full-width digits to ASCII, as the bulletins' clean text)
and entity spans follow the cleaning through its offset map.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import spacy
from spacy.tokens import DocBin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.normalize import normalize  # noqa: E402

LABELS = {
    "PER": "PERSON", "NAME": "PERSON", "PER.NAM": "PERSON",
    "LOC": "PLACE", "GPE": "PLACE", "LOC.NAM": "PLACE", "GPE.NAM": "PLACE",
    "ORG": "ORG", "ORG.NAM": "ORG",
}
Span = tuple[int, int, str]
# corpus → the type it does not annotate as we mean it (see the module's docstring)
UNANNOTATED = {"resume": "PLACE"}


def spans_from_tags(chars: list[str], tags: list[str]) -> list[Span]:
    """BIO or BMES character tags → (start, end, label) over the joined characters."""
    spans: list[Span] = []
    start = label = None
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, name = tag.partition("-")
        if label is not None and (prefix in ("B", "S", "O", "") or name != label):
            spans.append((start, i, label))
            start = label = None
        if prefix in ("B", "S") or (prefix in ("I", "M", "E") and label is None and name):
            start, label = i, name
        if prefix in ("E", "S") and label is not None:
            spans.append((start, i + 1, label))
            start = label = None
    return spans


def read_char_tag_file(path: Path, strip_digit: bool = False) -> list[tuple[str, list[Span]]]:
    """Files of ``char tag`` lines with blank lines between sentences (PD, Resume, Weibo)."""
    out = []
    chars: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if chars:
                out.append(("".join(chars), spans_from_tags(chars, tags)))
            chars, tags = [], []
            continue
        parts = line.split()
        if len(parts) == 1:
            # A tag without a character: the character was a space.
            char, tag = " ", parts[0]
        else:
            char, tag = parts[0], parts[1]
        if strip_digit and len(char) > 1 and char[-1].isdigit():
            char = char[:-1]
        chars.append(char[:1])
        tags.append(tag)
    return out


def read_msra(folder: Path) -> list[tuple[str, list[Span]]]:
    sentences = (folder / "train_heldout_sentences.txt").read_text(encoding="utf-8").splitlines()
    tag_lines = (folder / "train_heldout_tags.txt").read_text(encoding="utf-8").splitlines()
    out = []
    for sent, tags in zip(sentences, tag_lines):
        chars, tags_ = sent.split(), tags.split()
        if chars and len(chars) == len(tags_):
            out.append(("".join(chars), spans_from_tags(chars, tags_)))
    return out


def read_corpora(root: Path) -> dict[str, list[tuple[str, list[Span]]]]:
    return {
        "peoples_daily": read_char_tag_file(root / "peoples_daily_1998/dev.bio"),
        "msra": read_msra(root / "msra"),
        "resume": [s for part in ("train", "dev", "test")
                   for s in read_char_tag_file(root / f"resume/{part}.char.bmes")],
        "weibo": [s for part in ("train", "dev", "test")
                  for s in read_char_tag_file(root / f"weibo/weiboNER_2nd_conll.{part}", strip_digit=True)],
    }


def clean(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """Normalise the text as the bulletins' clean text is; carry the spans over; map the labels."""
    clean_text, index = normalize(text)
    out = []
    for start, end, label in spans:
        mapped = LABELS.get(label)
        if not mapped:
            continue
        inside = [i for i, raw in enumerate(index) if start <= raw < end]
        if inside:
            out.append((inside[0], inside[-1] + 1, mapped))
    return clean_text, out


CORPORA = Path("/work/shared/ner-corpora")


def unannotated_spans(doc, ents: list, label: str) -> tuple[list, list]:
    """Split off the spans of a type the corpus does not annotate: its own spans of that type, and
    jieba's place words (``ns``: 芜湖市, 浙江省) outside the other spans, become missing annotation."""
    import jieba.posseg

    kept = [e for e in ents if e.label_ != label]
    taken = {i for e in kept for i in range(e.start, e.end)}
    missing = [e for e in ents if e.label_ == label and not taken & set(range(e.start, e.end))]
    at = 0
    for word, pos in jieba.posseg.cut(doc.text):
        span = doc.char_span(at, at + len(word))
        at += len(word)
        if pos == "ns" and span is not None and not taken & set(range(span.start, span.end)):
            missing.append(span)
    return kept, spacy.util.filter_spans(missing)


def split_of(text: str) -> str:
    h = int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16) % 10
    return "test" if h == 0 else "dev" if h == 1 else "train"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    parser.add_argument("--out", type=Path, default=ROOT / "training/corpus")
    parser.add_argument("--augment", type=float, default=0.0, metavar="SHARE",
                        help="add copies of this share of the train sentences with a PLACE or ORG, "
                             "bulletin-style names substituted (training/augment.py); dev and test stay as they are")
    parser.add_argument("--resume-places", choices=("place", "missing"), default="place",
                        help="Resume's LOC as PLACE (the shipped model) or as missing annotation (measured worse)")
    args = parser.parse_args(argv)

    nlp = spacy.blank("zh")  # the "char" segmenter: one token per character
    bins = {name: DocBin(store_user_data=False) for name in ("train", "dev", "test")}
    counts: dict[str, dict[str, int]] = {}
    seen: set[str] = set()
    corpora = {name: [clean(raw, raw_spans) for raw, raw_spans in sentences]
               for name, sentences in read_corpora(args.corpora).items()}
    if args.augment:
        from augment import augmented

        train = [(t, s) for sentences in corpora.values() for t, s in sentences if t and split_of(t) == "train"]
        corpora["augmented"] = [(t, s) for t, s in augmented(train, args.augment) if split_of(t) == "train"]
    for corpus, sentences in corpora.items():
        for text, spans in sentences:
            if not text or text in seen:
                continue
            seen.add(text)
            doc = nlp.make_doc(text)
            ents = [doc.char_span(s, e, label=lab, alignment_mode="expand") for s, e, lab in spans]
            ents = [e for e in ents if e is not None]
            missing = []
            if args.resume_places == "missing" and corpus in UNANNOTATED:
                ents, missing = unannotated_spans(doc, ents, UNANNOTATED[corpus])
            try:
                doc.set_ents(ents, missing=missing)
            except ValueError:  # overlapping spans in the source: keep the sentence without them
                doc.set_ents(spacy.util.filter_spans(ents), missing=missing)
            split = split_of(text)
            bins[split].add(doc)
            row = counts.setdefault(f"{corpus}/{split}", {"sentences": 0, "PERSON": 0, "PLACE": 0, "ORG": 0})
            row["sentences"] += 1
            for e in doc.ents:
                row[e.label_] += 1
    args.out.mkdir(parents=True, exist_ok=True)
    for name, db in bins.items():
        db.to_disk(args.out / f"{name}.spacy")
    (args.out / "counts.json").write_text(json.dumps(counts, ensure_ascii=False, indent=1), encoding="utf-8")
    for key, row in sorted(counts.items()):
        print(f"{key:24s} {row}")


if __name__ == "__main__":
    main()
