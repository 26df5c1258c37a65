"""spaCy's trained ``ner``, with its greedy decoding done in numpy for a whole batch at once.

spaCy 3.8's decoding loop (``Parser._parseC``, built with Cython 3) takes and releases the GIL
for every state at every step (in ``TransitionSystem.set_valid``): here that was ≈ 20 µs per
character, as much as the whole tok2vec. Yet NER's transitions (BILUO) each consume one token, so
at step t every document of a batch is at its token t, and the decoding is a left-to-right scan
that numpy does for all the batch's documents together: the same features (the token, the open
entity's first token, the previous token), the same hidden and output layers, the same validity
rules, the same argmax.

``GreedyEntityRecognizer`` is spaCy's ``EntityRecognizer`` with that decoding in ``predict``;
training (``update``), beam search and models it does not know fall back to spaCy's own code.
``tests/test_greedy_ner.py`` checks that both give the same entities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from spacy.attrs import ENT_IOB, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.pipeline.factories import register_factories
from spacy.tokens import Doc, Span

# Move types in class names: B-ORG, I-ORG, L-ORG, U-ORG, U- (a preset blocked token), O.
BEGIN, IN, LAST, UNIT, OUT = "BILUO"


@dataclass
class GreedyParse:
    """The entities found in a batch: for each document, (start, end, label) in tokens."""
    entities: list[list[tuple[int, int, int]]]


class GreedyEntityRecognizer(EntityRecognizer):
    def predict(self, docs):
        if isinstance(docs, Doc):
            docs = [docs]
        plan = Plan.of(self)  # each call: the weights and labels of now (training changes them)
        # spaCy's decoding where this one does not apply: an unknown model, empty docs, or
        # entities already set (spaCy's moves keep preset entities; this decoder does not).
        if plan is None or not any(len(doc) for doc in docs) or any(doc.to_array(ENT_IOB).any() for doc in docs):
            return super().predict(docs)
        return GreedyParse(decode(plan, docs))

    def set_annotations(self, docs, predictions):
        if not isinstance(predictions, GreedyParse):
            return super().set_annotations(docs, predictions)
        for doc, found in zip(docs, predictions.entities):
            # As spaCy's BiluoPushDown.set_annotations: the entities found, every other token O.
            doc.set_ents([Span(doc, s, e, label=label) for s, e, label in found], default="outside")
            for hook in self.postprocesses:
                hook(doc)


@dataclass
class Plan:
    """The model's layers and weights, and the moves as arrays: move type and label per class."""
    tok2vec: object
    lower: object
    upper_W: numpy.ndarray | None
    upper_b: numpy.ndarray | None
    feature_bias: numpy.ndarray
    kinds: numpy.ndarray           # move type per class ("B", "I", "L", "U", "O")
    labels: numpy.ndarray          # label hash per class (0: none)

    def scores(self, unmaxed: numpy.ndarray) -> numpy.ndarray:
        """Move scores from the summed features (…, hidden, pieces): maxout, then the output layer."""
        hidden = unmaxed[..., 0]
        for piece in range(1, unmaxed.shape[-1]):  # faster than .max(axis=-1) over 2 or 3 pieces
            hidden = numpy.maximum(hidden, unmaxed[..., piece])
        return hidden @ self.upper_W.T + self.upper_b if self.upper_W is not None else hidden

    @classmethod
    def of(cls, ner: EntityRecognizer) -> "Plan | None":
        if ner.cfg.get("beam_width", 1) != 1 or ner.moves.n_moves == 0:
            return None
        model = ner.model
        try:
            lower = model.get_ref("lower")
            if lower.get_dim("nF") != 3:  # NER's features: B(0), E(0), B(0) - 1
                return None
            upper = model.get_ref("upper") if model.attrs["has_upper"] else None
        except (KeyError, ValueError):
            return None
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        kinds, labels = [], []
        for name in names:
            kind, _, label = name.partition("-")
            if kind not in (BEGIN, IN, LAST, UNIT, OUT):
                return None  # a move this decoder does not know
            kinds.append(kind)
            labels.append(ner.vocab.strings[label] if label else 0)
        if model.attrs.get("unseen_classes"):
            return None  # spaCy gives them the batch's lowest score, which depends on the batch
        return cls(
            tok2vec=model.get_ref("tok2vec"), lower=lower,
            upper_W=upper.get_param("W") if upper is not None else None,
            upper_b=upper.get_param("b") if upper is not None else None,
            feature_bias=lower.get_param("b"),
            kinds=numpy.array(kinds), labels=numpy.array(labels, dtype="uint64"))


def decode(plan: Plan, docs: list[Doc]) -> list[list[tuple[int, int, int]]]:
    """Each document's entities as (start, end, label) in tokens, as spaCy's greedy parse finds them.

    Outside an entity the features of a token do not depend on what came before (the entity
    features are absent), so the best move there — O, B-X or U-X — is computed for every token of
    the batch at once. Inside an entity (after B-X, until L-X) it goes a token at a time, for all
    the candidate beginnings together. The sums run in spaCy's order, so the scores are the same floats."""
    lengths = [len(doc) for doc in docs]
    tokvecs = plan.tok2vec.predict(docs)
    # (tokens, 3 features, hidden, pieces) and the padding that stands for an absent feature.
    features = plan.lower.predict(tokvecs)
    pad, token_f, start_f, prev_f = features[0], features[1:, 0], features[1:, 1], features[1:, 2]
    bias = plan.feature_bias
    flags = numpy.concatenate([doc.to_array([IS_SPACE, SENT_START]).reshape(-1, 2) for doc in docs]).astype("int64")
    n = len(token_f)
    last = numpy.zeros(n, dtype=bool)              # the last token of its document
    last[numpy.cumsum(lengths)[numpy.array(lengths) > 0] - 1] = True
    # An entity cannot go on past a document's last token nor into a new sentence.
    blocked = last | numpy.append(flags[1:, 1] == 1, True)
    space = flags[:, 0] == 1

    kinds, labels = plan.kinds, plan.labels
    labelled = labels != 0
    closed_ok = ((kinds == OUT)[None, :]
                 | ((kinds == BEGIN) & labelled)[None, :] & ~blocked[:, None] & ~space[:, None]
                 | ((kinds == UNIT) & labelled)[None, :] & ~space[:, None])
    closed_scores = plan.scores(((token_f + pad[1]) + pad[2]) + bias)
    move = numpy.where(closed_ok, closed_scores, -numpy.inf).argmax(axis=1)

    # Where an entity begins (B-X) it goes on token by token until L-X, and where it ends depends
    # only on where it began: find the end of every candidate beginning at once, a token a round.
    begins = numpy.flatnonzero(kinds[move] == BEGIN)
    ends = numpy.zeros(n, dtype=int)
    open_at, label_of_open = begins, labels[move[begins]]
    t = begins + 1
    while len(open_at):
        same = labels[None, :] == label_of_open[:, None]
        ok = same & ((kinds == LAST)[None, :] | ((kinds == IN)[None, :] & ~blocked[t][:, None]))
        scores = plan.scores(((token_f[t] + start_f[open_at]) + prev_f[t - 1]) + bias)
        closing = kinds[numpy.where(ok, scores, -numpy.inf).argmax(axis=1)] == LAST
        ends[open_at[closing]] = t[closing] + 1
        open_at, label_of_open, t = open_at[~closing], label_of_open[~closing], t[~closing] + 1

    # The scan itself: a move at each token outside an entity, a jump to its end after B-X or U-X.
    doc_of = numpy.repeat(numpy.arange(len(docs)), lengths).tolist()
    doc_start = numpy.concatenate([[0], numpy.cumsum(lengths)[:-1]]).astype(int).tolist()
    found: list[list[tuple[int, int, int]]] = [[] for _ in docs]
    is_begin = (kinds[move] == BEGIN).tolist()
    label_of = labels[move].tolist()
    ends = ends.tolist()
    free = 0  # the first token not yet inside a found entity
    for b in numpy.flatnonzero(kinds[move] != OUT).tolist():
        if b < free:
            continue
        free = ends[b] if is_begin[b] else b + 1
        d = doc_of[b]
        found[d].append((b - doc_start[d], free - doc_start[d], label_of[b]))
    return found


register_factories()  # spaCy registers its own factories lazily; ours copies ner's settings


@Language.factory(
    "bulletin_ner",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config=Language.get_factory_meta("ner").default_config,
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_bulletin_ner(nlp: Language, name: str, model, moves, update_with_oracle_cut_size: int,
                      incorrect_spans_key, scorer):
    """spaCy's ``ner`` (same model, same training) decoded by ``decode``."""
    return GreedyEntityRecognizer(nlp.vocab, model, name=name, moves=moves,
                                  update_with_oracle_cut_size=update_with_oracle_cut_size,
                                  incorrect_spans_key=incorrect_spans_key, scorer=scorer)
