"""Word features for the character-level entity recogniser, and the entity words jieba should know.

The trained ``ner`` (``extractor/ner_model``) reads one token per character, because jieba's
word edges often cut entities (新邵县坪上镇洪溪中学 → 坪上 / 镇洪溪 / 中学). What a character
model lacks — which word a character belongs to and what kind of word that is — it gets as
features: the component ``jieba_word_features`` sets, on every character token,

- ``lemma_`` = the jieba word that contains it (洪 → 洪溪),
- ``tag_``   = its position in that word and the word's part of speech in jieba's dictionary
  (洪 → ``B-x``: x for a word the dictionary does not hold, as most names), ``ns`` for the
  gazetteer's places and ``nt`` for organisation words,

and the tok2vec embeds ``NORM``, ``LEMMA``, ``TAG`` and ``SHAPE`` (shared/notes/ner.md, best row).

The segmenter is rjieba (jieba's dictionary, DAG and HMM in Rust: the same words as jieba
but for runs of digits and latin, ≈ 20× faster, and its dictionary loads in a quarter of a
second where jieba's takes two) with the gazetteer's place names (tag ``ns``) and the
organisation words of ``data/org_bodies.jsonl`` (tag ``nt``) added. It is private, so training
and use see the same features whatever other code adds to a jieba dictionary;
``load_entity_words`` adds the same words to a Python jieba tokenizer (for code that segments
with jieba itself), so that 坪上镇 and 人社局 are single words there too.
"""

from __future__ import annotations

import logging
from functools import cache

import numpy
import rjieba
from spacy.attrs import IDX, LEMMA, TAG
from spacy.language import Language
from spacy.tokens import Doc

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
    return tuple(words.items())  # in the gazetteer's order, then the bodies': the same every run


def load_entity_words(tokenizer=None) -> None:
    """Add the gazetteer's place names and the organisation words to a Python jieba tokenizer
    (jieba's global one by default). Idempotent; about 0.3 s the first time."""
    import jieba  # only here: importing it costs 0.15 s the entity pipeline need not pay

    jieba.setLogLevel(logging.WARNING)
    tokenizer = tokenizer or jieba.dt
    if getattr(tokenizer, "_bulletin_entity_words", False):
        return
    for word, tag in entity_words():
        tokenizer.add_word(word, ENTITY_WORD_FREQ, tag)
    tokenizer._bulletin_entity_words = True


class Segmenter:
    """jieba's dictionary with our words: segmentation, and what the dictionary says of a word.

    It is rjieba's default instance (the module's functions), which importing rjieba loads
    anyway: a second ``rjieba.Jieba()`` would cost another 0.2 s. Our words are added to it."""

    def __init__(self):
        self.jieba = rjieba
        self.our_tags = dict(entity_words())
        for word, tag in self.our_tags.items():
            self.jieba.add_word(word, ENTITY_WORD_FREQ, tag)

    def words(self, text: str) -> list[tuple[int, int, str, str]]:
        """The words of ``text`` as (start, end, word, POS), e.g. (7, 9, '洪溪', 'x')."""
        out = []
        pos = 0
        our_tags, is_word = self.our_tags, self.jieba.has_word
        for word, tag in self.jieba.tag(text):
            # A word the dictionary does not hold is x (rjieba guesses a POS for it: 威箐 g, 2025 m):
            # that it is unknown is what says "a name" (威箐幼儿园, 王永红).
            out.append((pos, pos + len(word), word, our_tags.get(word) or (tag if is_word(word) else "x")))
            pos += len(word)
        if pos != len(text):  # never seen; a character a word rather than misplaced features
            return [(i, i + 1, ch, "x") for i, ch in enumerate(text)]
        return out

    def is_word(self, word: str) -> bool:
        """In jieba's dictionary or ours (施工图, 坪上镇), not made up by its HMM."""
        return self.jieba.has_word(word)

    def frequency(self, word: str) -> int:
        """The word's count in jieba's dictionary (0 if not a word). rjieba tells it only through
        ``suggest_freq``, which for a word jieba keeps whole is its count (± 1)."""
        return self.jieba.suggest_freq(word) if self.jieba.has_word(word) else 0

    def tag(self, word: str) -> str:
        """The word's part of speech: ours (ns, nt), else jieba's dictionary's (nr 人名, n, v …),
        else x (as for a word jieba's dictionary does not hold, or splits)."""
        if word in self.our_tags:
            return self.our_tags[word]
        if not self.jieba.has_word(word):
            return "x"
        tagged = self.jieba.tag(word)
        return tagged[0][1] if len(tagged) == 1 else "x"


@cache
def feature_segmenter() -> Segmenter:
    """The segmenter the features (and the rules) use, built once: ≈ 0.3 s."""
    return Segmenter()


def jieba_words(text: str) -> list[tuple[int, int, str, str]]:
    """The jieba words of ``text`` as (start, end, word, POS), e.g. (7, 9, '洪溪', 'x')."""
    return feature_segmenter().words(text)


def doc_text(doc: Doc) -> str:
    """The doc's text, kept in ``user_data["text"]`` (callers that make the doc may set it):
    spaCy's Doc.text joins every token's text on each call."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


@Language.factory("jieba_word_features")
def make_jieba_word_features(nlp: Language, name: str):
    return JiebaWordFeatures()


class JiebaWordFeatures:
    """Sets lemma_ (the containing jieba word) and tag_ (B/I/E/S + POS) on character tokens, and
    keeps the words in ``doc.user_data["jieba_words"]`` for the rule components."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        words = jieba_words(text)
        doc.user_data["jieba_words"] = words
        if not words:
            return doc
        strings = doc.vocab.strings
        # Per character, the hashes of its word and of its position + POS (洪 → 洪溪, B-x), built
        # with numpy and set in one array write: token by token costs more than the model.
        starts = numpy.fromiter((w[0] for w in words), dtype=numpy.int64, count=len(words))
        lengths = numpy.fromiter((w[1] - w[0] for w in words), dtype=numpy.int64, count=len(words))
        pos_ids: dict[str, int] = {}
        word_pos = numpy.fromiter((pos_ids.setdefault(w[3], len(pos_ids)) for w in words),
                                  dtype=numpy.int64, count=len(words))
        tag_table = numpy.array([[strings.add(p + pos) for p in ("S-", "B-", "I-", "E-")] for pos in pos_ids],
                                dtype="uint64")
        word_hash = numpy.fromiter((strings.add(w[2]) for w in words), dtype="uint64", count=len(words))
        length = numpy.repeat(lengths, lengths)
        offset = numpy.arange(len(text)) - numpy.repeat(starts, lengths)
        place = numpy.where(length == 1, 0, numpy.where(offset == 0, 1, numpy.where(offset == length - 1, 3, 2)))
        idx = doc.to_array([IDX]).astype(numpy.int64)
        array = numpy.empty((len(doc), 2), dtype="uint64")
        array[:, 0] = numpy.repeat(word_hash, lengths)[idx]
        array[:, 1] = tag_table[numpy.repeat(word_pos, lengths), place][idx]
        doc.from_array([LEMMA, TAG], array)
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)
