"""Word features for the character-level entity recogniser, and the entity words jieba should know.

The trained ``ner`` (``extractor/ner_model``) reads one token per character, because jieba's
word edges often cut entities (新邵县坪上镇洪溪中学 → 坪上 / 镇洪溪 / 中学). What a character
model lacks — which word a character belongs to and what kind of word that is — it gets as
features: the component ``jieba_word_features`` sets, on every character token,

- ``lemma_`` = the jieba word that contains it (洪 → 洪溪),
- ``tag_``   = its position in that word and the word's part of speech in jieba's dictionary
  (洪 → ``B-x``: x for a word the dictionary does not hold, as most names), ``ns`` for the
  gazetteer's places and ``nt`` for organisation words,

- ``dep_``   = only with ``lexicon = true`` (a measured option, not the shipped model:
  training/README.md), the kind of lexicon match the character is in and its place in it
  (坪 of 新邵县坪上镇 → ``PN-B``; see ``LexiconMatcher``): what the gazetteer and the word lists
  know (沛县, 城步, 人社局, 有限公司). There is no parser, so ``dep_`` is a free slot.

and the shipped tok2vec embeds ``NORM``, ``LEMMA``, ``TAG`` and ``SHAPE`` (shared/notes/ner.md, best
row); a model trained with the lexicon embeds ``DEP`` too.

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
import re
from functools import cache

import numpy
import rjieba
from spacy.attrs import DEP, IDX, LEMMA, TAG
from spacy.language import Language
from spacy.strings import get_string_id
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


@Language.factory("jieba_word_features", default_config={"lexicon": False})
def make_jieba_word_features(nlp: Language, name: str, lexicon: bool):
    return JiebaWordFeatures(lexicon=lexicon, strings=nlp.vocab.strings)


class JiebaWordFeatures:
    """Sets lemma_ (the containing jieba word) and tag_ (B/I/E/S + POS) on character tokens, and
    keeps the words in ``doc.user_data["jieba_words"]`` for the rule components; with ``lexicon``
    also dep_ (the lexicon match, ``LexiconMatcher``)."""

    def __init__(self, lexicon: bool = False, strings=None):
        self.lexicon = lexicon_matcher() if lexicon else None
        if self.lexicon is not None and strings is not None:  # so that dep_ reads PN-B, not a number
            for label in self.lexicon.labels:
                strings.add(label)
        self._runs: dict[tuple[str, int], list[int]] = {}  # (POS, length) → the words' tag hashes
        self._runs_strings = None  # the StringStore they were added to

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        words = jieba_words(text)
        doc.user_data["jieba_words"] = words
        if not words:
            return doc
        add = doc.vocab.strings.add
        if self._runs_strings is not doc.vocab.strings:
            self._runs, self._runs_strings = {}, doc.vocab.strings
        runs = self._runs
        # Per character, the hash of its word and of its position + POS (洪 → 洪溪, B-x), in two
        # lists and set in one array write: token by token costs more than the model, and numpy's
        # per-call cost, for sentences of 30 words, more than these lists.
        lemma: list[int] = []
        tag: list[int] = []
        for start, end, word, pos in words:
            n = end - start
            run = runs.get((pos, n))
            if run is None:
                run = runs[pos, n] = ([add("S-" + pos)] if n == 1 else
                                      [add("B-" + pos)] + [add("I-" + pos)] * (n - 2) + [add("E-" + pos)])
            lemma += [add(word)] * n
            tag += run
        columns = [lemma, tag] if self.lexicon is None else [lemma, tag, self.lexicon.hashes(text, words)]
        array = numpy.array(columns, dtype="uint64").T
        if len(doc) != len(text):  # whitespace: a token is not a character (a run of spaces is one)
            array = array[doc.to_array([IDX]).astype(numpy.int64)]
        doc.from_array([LEMMA, TAG] if self.lexicon is None else [LEMMA, TAG, DEP], array)
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)


# ---------------------------------------------------------------------------------------------
# Lexicon matches as a feature


class LexiconMatcher:
    """What the project's word lists say of each character, as one label per character:
    the kind of the match it is in and its place there (B, I, E; S for one character),
    ``-`` outside every match. Kinds, in order of precedence (a later match fills only
    characters no earlier one took):

    - ``PN`` a gazetteer name, two characters or more, wherever it stands (沛县, 新邵县, 坪上镇);
    - ``OG`` an organisation word: a body and its short forms (人力资源和社会保障局, 人社局,
      发改委), an institution ending (有限公司, 卫生院, 工作专班), a government-body ending
      (…局, …厅, …委员会 after a place's level: 省水利厅 → 水利厅);
    - ``PS`` a jieba word that is the short form of a province, city or county (湖南, 邵阳, 新邵);
    - ``TT`` a person's title (常务副市长, 书记);
    - ``SN`` a jieba word jieba does not know, of two or three characters, that starts with a
      surname (王永红, 欧阳明): a name's likely shape;
    - ``TR`` three or more characters of the transliteration set (普里马科夫, 华盛顿).

    Built from ``extractor/gazetteer.py`` and ``extractor/data`` (read only) in ≈ 0.1 s; about
    1 µs a character."""

    KINDS = ("PN", "OG", "PS", "TT", "SN", "TR")

    def __init__(self):
        from extractor.gazetteer import LEVELS, gazetteer, short_form
        from extractor.lexicon import read_jsonl

        gaz = gazetteer()
        # The divisions' names and, for provinces, cities and counties, short forms (沛县; 新邵 of
        # 新邵县): by level, so that names of other kinds added to the gazetteer don't change the
        # feature the model was trained on.
        divisions = [p for p in gaz.by_code.values() if p.level in LEVELS]
        self.names = {p.name for p in divisions}
        self.longest = max(map(len, self.names))
        # The last two characters of every name: most places where a name cannot end are passed by
        # one set lookup; the last characters (县, 镇, 乡, 场 …) say where to look at all.
        self.name_ends = {n[-2:] for n in self.names}
        self.shorts = {s for p in divisions if p.level != "township" for s in [short_form(p.name)] if s}
        org_words = set()
        for row in read_jsonl("org_bodies.jsonl"):
            org_words.update(w for w in [row["full"], *row.get("short", [])] if len(w) >= 2)
        org_words.update(r["text"] for r in read_jsonl("org_suffixes.jsonl") if len(r["text"]) >= 2)
        # A body named by its field and its level's ending after the level (省水利厅, 县医保局,
        # 区创卫办, 市委组织部): up to four characters of field, then 厅 局 委 办 处 署 院.
        self.org_words = re.compile(_alternation(org_words))
        self.org_bodies = re.compile(r"(?<=[省市县区州旗镇乡])[^\W\d委常副、]{1,4}?(?:委员会|管理局|厅|局|委|办|署)")
        self.name_end = re.compile(f"[{re.escape(''.join(sorted({e[-1] for e in self.name_ends})))}]")
        self.titles = re.compile(_alternation(r["text"] for r in read_jsonl("person_titles.jsonl")
                                              if len(r["text"]) >= 2))
        single, compound = set(), []
        for row in read_jsonl("surnames.jsonl"):
            single.update(row.get("single", ""))
            compound.extend(row.get("compound", []))
        self.single_surnames, self.compound_surnames = frozenset(single), tuple(compound)
        chars = read_jsonl("transliteration.jsonl")[0]["chars"]
        self.transliterated = re.compile(f"[{re.escape(chars)}]{{3,}}")
        self.labels = ["-"] + [f"{k}-{p}" for k in self.KINDS for p in "SBIE"]
        self.label_hashes = numpy.array([get_string_id(label) for label in self.labels], dtype="uint64")

    def spans(self, text: str, words: list[tuple[int, int, str, str]]) -> list[tuple[int, int, int]]:
        """(start, end, kind's index in KINDS) of every match, in order of precedence."""
        out: list[tuple[int, int, int]] = []
        names, name_ends, longest = self.names, self.name_ends, self.longest
        # From the end, the longest name ending at each place; no overlaps. Only where a name's
        # last character stands (县, 镇, 乡 …) can one end.
        limit = len(text)
        for end in reversed([m.end() for m in self.name_end.finditer(text)]):
            if end > limit or end < 2:
                continue
            if text[end - 2:end] not in name_ends:
                continue
            for length in range(min(longest, end), 1, -1):
                if text[end - length:end] in names:
                    out.append((end - length, end, 0))
                    limit = end - length
                    break
        # Organisation words, then body endings where no word starts first (one regex with both
        # branches finds the same, 20× slower: it loses the words' literal-prefix search).
        words_re, bodies_re = self.org_words, self.org_bodies
        pos = 0
        while True:
            w, b = words_re.search(text, pos), bodies_re.search(text, pos)
            m = w if w is not None and (b is None or w.start() <= b.start()) else b
            if m is None:
                break
            out.append((m.start(), m.end(), 1))
            pos = m.end()
        shorts, single, compound = self.shorts, self.single_surnames, self.compound_surnames
        surname_led = []
        for start, stop, word, tag in words:
            if word in shorts:
                out.append((start, stop, 2))
            elif tag == "x" and 2 <= stop - start <= 3 and (word[0] in single or word.startswith(compound)):
                surname_led.append((start, stop, 4))
        out.extend((m.start(), m.end(), 3) for m in self.titles.finditer(text))
        out.extend(surname_led)
        out.extend((m.start(), m.end(), 5) for m in self.transliterated.finditer(text))
        return out

    def label_ids(self, text: str, words: list[tuple[int, int, str, str]]) -> list[int]:
        """One label a character, as its index in ``self.labels`` (0: no match)."""
        out = [0] * len(text)
        for start, end, kind in self.spans(text, words):
            if any(out[start:end]):
                continue
            base = 1 + 4 * kind
            if end - start == 1:
                out[start] = base
            else:
                out[start:end] = [base + 1] + [base + 2] * (end - start - 2) + [base + 3]
        return out

    def labels_of(self, text: str, words: list[tuple[int, int, str, str]]) -> list[str]:
        """One label a character: ``PN-B``, ``OG-E``, ``-`` …"""
        return [self.labels[i] for i in self.label_ids(text, words)]

    def hashes(self, text: str, words) -> numpy.ndarray:
        """The labels' string hashes (``self.labels`` are added to the vocab's strings by the
        component), one a character of ``text``."""
        return self.label_hashes[self.label_ids(text, words)]


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def lexicon_matcher() -> LexiconMatcher:
    return LexiconMatcher()
