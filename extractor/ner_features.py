"""Word features for the character-level entity recogniser, and the entity words jieba should know.

The trained ``ner`` (``extractor/ner_model``) reads one token per character, because jieba's
word edges often cut entities (新邵县坪上镇洪溪中学 → 坪上 / 镇洪溪 / 中学). What a character
model lacks — which word a character belongs to and what kind of word that is — it gets as
features: the component ``jieba_word_features`` sets, on every character token,

- ``lemma_`` = the jieba word that contains it (洪 → 洪溪),
- ``tag_``   = its position in that word and the word's part of speech from jieba's dictionary
  (洪 → ``B-x``: x for a word jieba's HMM made up, as most names), ``ns`` for the gazetteer's
  places and ``nt`` for organisation words,

and the tok2vec embeds ``NORM``, ``LEMMA``, ``TAG`` and ``SHAPE`` (shared/notes/ner.md, best row).

The segmenter is a private ``jieba.Tokenizer`` that also knows the gazetteer's place names (tag
``ns``) and the organisation words of ``data/org_bodies.jsonl`` (tag ``nt``). It is private so
that training and use see the same features whatever other code adds to jieba's global
dictionary; ``load_entity_words`` adds the same words to any other jieba tokenizer (the figure
pipeline's), so that 坪上镇 and 人社局 are single words there too.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from functools import cache
from pathlib import Path

import jieba
import numpy
from spacy.attrs import IDX, LEMMA, TAG
from spacy.language import Language
from spacy.tokens import Doc

jieba.setLogLevel(logging.WARNING)

# Frequency given to our words: high enough that jieba keeps 坪上镇 whole rather than 坪上 / 镇.
ENTITY_WORD_FREQ = 2000
# Place names shorter than this stay out of the dictionary: 城区, 和县 are parts of other words.
MIN_PLACE_WORD = 3


@cache
def entity_words() -> tuple[tuple[str, str], ...]:
    """(word, POS) pairs for jieba: gazetteer names (ns) and organisation words (nt)."""
    from extractor.gazetteer import gazetteer
    from extractor.lexicon import read_jsonl

    words: dict[str, str] = {}
    for name in gazetteer().by_name:
        if len(name) >= MIN_PLACE_WORD:
            words[name] = "ns"
    for row in read_jsonl("org_bodies.jsonl"):
        for word in [row["full"], *row.get("short", [])]:
            if len(word) >= 2:
                words.setdefault(word, "nt")
    return tuple(sorted(words.items()))


def load_entity_words(tokenizer: jieba.Tokenizer | None = None) -> None:
    """Add the gazetteer's place names and the organisation words to a jieba tokenizer
    (jieba's global one by default). Idempotent; about 0.3 s the first time."""
    tokenizer = tokenizer or jieba.dt
    if getattr(tokenizer, "_bulletin_entity_words", False):
        return
    for word, tag in entity_words():
        tokenizer.add_word(word, ENTITY_WORD_FREQ, tag)
    tokenizer._bulletin_entity_words = True


@cache
def feature_segmenter() -> tuple[jieba.Tokenizer, dict[str, str]]:
    """The private segmenter (jieba's dictionary and ours) and a word → POS table.

    The segmenter reads one dictionary file, jieba's and our words together, written once to the
    temp folder: jieba keeps a parsed copy of a dictionary in its cache there, so after the first
    run loading costs what jieba's own start does, not 36,000 ``add_word`` calls."""
    from jieba import posseg

    words = entity_words()
    key = hashlib.sha1(repr((jieba.__version__, words)).encode("utf-8")).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"bulletin-jieba-{key}.dict.txt"
    if not path.exists():
        with jieba.get_dict_file() as f:
            base = f.read().decode("utf-8")
        extra = "".join(f"{word} {ENTITY_WORD_FREQ} {tag}\n" for word, tag in words)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(base.rstrip("\n") + "\n" + extra, encoding="utf-8")
        os.replace(tmp, path)
    tokenizer = jieba.Tokenizer(dictionary=str(path))
    tokenizer.initialize()
    tokenizer._bulletin_entity_words = True
    tags = dict(posseg.dt.word_tag_tab)  # a copy: posseg's own table stays as jieba has it
    tags.update(words)  # 坪上镇 → ns, 人社局 → nt
    return tokenizer, tags


def jieba_words(text: str) -> list[tuple[int, int, str, str]]:
    """The jieba words of ``text`` as (start, end, word, POS), e.g. (7, 9, '洪溪', 'x')."""
    tokenizer, tags = feature_segmenter()
    out = []
    pos = 0
    for word in tokenizer.cut(text):
        out.append((pos, pos + len(word), word, tags.get(word, "x")))
        pos += len(word)
    return out


def word_features(text: str) -> list[tuple[str, str]]:
    """For each character of ``text``: (the word containing it, position-POS), e.g. ('洪溪', 'B-ns')."""
    out: list[tuple[str, str]] = []
    for _, _, word, pos in jieba_words(text):
        if len(word) == 1:
            out.append((word, "S-" + pos))
            continue
        out.append((word, "B-" + pos))
        out.extend((word, "I-" + pos) for _ in range(len(word) - 2))
        out.append((word, "E-" + pos))
    return out


@Language.factory("jieba_word_features")
def make_jieba_word_features(nlp: Language, name: str):
    return JiebaWordFeatures()


class JiebaWordFeatures:
    """Sets lemma_ (the containing jieba word) and tag_ (B/I/E/S + POS) on character tokens, and
    keeps the words in ``doc.user_data["jieba_words"]`` for the rule components."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        doc.user_data["text"] = text
        words = jieba_words(text)
        doc.user_data["jieba_words"] = words
        strings = doc.vocab.strings
        # Per character: the hashes of its word and of its position-POS tag (set in one array
        # write: setting token.lemma_ one token at a time costs more than the model).
        lemma_of = [0] * len(text)
        tag_of = [0] * len(text)
        for start, end, word, pos in words:
            w = strings.add(word)
            if end - start == 1:
                lemma_of[start], tag_of[start] = w, strings.add("S-" + pos)
                continue
            b, i, e = strings.add("B-" + pos), strings.add("I-" + pos), strings.add("E-" + pos)
            for k in range(start, end):
                lemma_of[k] = w
                tag_of[k] = b if k == start else e if k == end - 1 else i
        idx = doc.to_array([IDX])
        n = len(lemma_of)
        array = numpy.array([[lemma_of[k], tag_of[k]] if k < n else [0, 0] for k in idx.tolist()],
                            dtype="uint64").reshape(len(doc), 2)
        doc.from_array([LEMMA, TAG], array)
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)
