"""The spaCy Chinese pipeline: jieba segmentation with a user dictionary, then the date and figure grammars.

    nlp = load_pipeline()
    doc = nlp.make_doc(text)   # or make_doc(nlp, text): jieba on the figures' clauses only (fast)
    doc._.issue_date = date(2023, 5, 24)
    for _, component in nlp.pipeline: doc = component(doc)
    doc._.dates, doc._.figures          # DateMatch / FigureMatch lists (offsets into doc.text)
    doc.spans["dates"], doc.spans["figures"]   # the same as token-aligned spans

jieba's full dictionary (350,000 words) takes 1.5–2 s to load; the pipeline uses the words with
a frequency of at least ``MIN_WORD_FREQUENCY`` (≈ 137,000, ≈ 0.5 s), written once to a temp
directory together with jieba's cache. Measure words and units go in as user words so that
万元, 人次, 平方米 stay one token. Note: jieba's tokenizer is process-global; this sets it up.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import tempfile
from functools import cache
from pathlib import Path

import jieba
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extractor.dates import find_dates
from extractor.figures import MULTIPLIERS, figure_regex, find_figures
from extractor.lexicon import measure_words, qualifier_texts

MIN_WORD_FREQUENCY = 5
JIEBA_DIR = Path(tempfile.gettempdir()) / "bulletin-extract-jieba"

for name in ("issue_date", "dates", "figures"):
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=None)


def _write_atomic(path: Path, lines: list[str]) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text("".join(lines), encoding="utf-8")
    tmp.replace(path)


def _trimmed_dictionary() -> tuple[Path, Path]:
    """jieba's dictionary without its rare words, and its words' part-of-speech tags ("word tag"
    lines, read instead of running the slow jieba.posseg); built once per jieba version."""
    source = Path(jieba.__file__).with_name("dict.txt")
    key = f"{source.stat().st_size}-{int(source.stat().st_mtime)}-{MIN_WORD_FREQUENCY}"
    dictionary, tags = JIEBA_DIR / f"dict-{key}.txt", JIEBA_DIR / f"tags-{key}.txt"
    if not (dictionary.exists() and tags.exists()):
        JIEBA_DIR.mkdir(parents=True, exist_ok=True)
        kept, tag_lines = [], []
        with open(source, encoding="utf-8") as f:
            for line in f:
                word, freq, tag = (line.split() + ["", ""])[:3]
                if freq.isdigit() and int(freq) >= MIN_WORD_FREQUENCY:
                    kept.append(line)
                    tag_lines.append(f"{word} {tag}\n")
        _write_atomic(dictionary, kept)
        _write_atomic(tags, tag_lines)
    return dictionary, tags


def _user_words() -> list[str]:
    """Units with their multipliers (万元, 亿元, 万人次) and the longer qualifiers (同比增长)."""
    units = {w for w in measure_words() if len(w) > 1 or w in "元人亩"}
    words = set(units) | {m + u for m in MULTIPLIERS for u in units if u in "元人亩吨" or u in ("人次", "平方米")}
    words |= {q for pos in ("before", "after", "clause") for q in qualifier_texts(pos) if len(q) > 1}
    return sorted(w for w in words if len(w) > 1)


@cache
def _setup_jieba() -> Path:
    """Point jieba at the trimmed dictionary and its cache, load it, add the user words (once)."""
    jieba.setLogLevel(logging.WARNING)
    dictionary, tags = _trimmed_dictionary()
    jieba.dt.tmp_dir = str(JIEBA_DIR)
    jieba.set_dictionary(str(dictionary))
    gc.disable()  # building 500,000 dict entries triggers many useless collections
    try:
        jieba.initialize()
    finally:
        gc.enable()
    for word in _user_words():
        jieba.add_word(word, freq=100_000)
    return tags


@cache
def jieba_tags() -> dict[str, str]:
    """jieba's part-of-speech tags by word (n noun, v verb, vn verbal noun: 建设 …), which find a
    figure's subject; loaded on first use, not with the pipeline."""
    pairs = (line.split(" ", 1) for line in _setup_jieba().read_text(encoding="utf-8").splitlines())
    return {word: tag for word, tag in pairs}


@Language.factory("bulletin_dates")
def make_dates_component(nlp: Language, name: str):
    """Dates resolved against ``doc._.issue_date`` → ``doc._.dates`` and ``doc.spans["dates"]``."""
    def component(doc: Doc) -> Doc:
        doc._.dates = find_dates(doc.text, doc._.issue_date)
        doc.spans["dates"] = _spans(doc, [(d.start, d.end, d.precision) for d in doc._.dates])
        return doc
    return component


@Language.factory("bulletin_figures")
def make_figures_component(nlp: Language, name: str):
    """Figures outside the dates → ``doc._.figures`` and ``doc.spans["figures"]``."""
    def component(doc: Doc) -> Doc:
        taken = [(d.start, d.end) for d in doc._.dates or []]
        doc._.figures = find_figures(doc.text, taken)
        doc.spans["figures"] = _spans(doc, [(f.start, f.end, f.kind) for f in doc._.figures])
        return doc
    return component


CLAUSE = re.compile(r"[^，,。；;：:！？!?\n]+[，,。；;：:！？!?\n]*|[，,。；;：:！？!?\n]+")


def make_doc(nlp: Language, text: str) -> Doc:
    """A Doc of ``text`` in which only the clauses holding a figure are segmented by jieba; every
    other clause is one token. jieba (≈ 100,000 characters/s here) would otherwise dominate the
    extraction, and the grammars read ``doc.text``: tokens serve only a figure's context."""
    words: list[str] = []
    segmented: list[tuple[int, str]] = []  # (offset, word) of the segmented clauses, kept in user_data
    has_figure = figure_regex().search
    for m in CLAUSE.finditer(text):
        clause = m.group(0)
        if has_figure(clause):
            offset = m.start()
            for w in jieba.cut(clause):  # as spaCy's jieba segmenter does
                if w:
                    words.append(w)
                    segmented.append((offset, w))
                    offset += len(w)
        else:
            words.append(clause)
    doc = Doc(nlp.vocab, words=words, spaces=[False] * len(words))
    doc.user_data["segmented"] = segmented
    return doc


def _spans(doc: Doc, items: list[tuple[int, int, str]]):
    spans = (doc.char_span(s, e, label=label, alignment_mode="expand") for s, e, label in items)
    return [s for s in spans if s is not None]


@cache
def load_pipeline() -> Language:
    _setup_jieba()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.max_length = 10_000_000
    nlp.add_pipe("bulletin_dates")
    nlp.add_pipe("bulletin_figures")
    return nlp
