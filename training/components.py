"""Registers our spaCy factories for ``spacy train --code``: jieba_word_features, bulletin_ner."""

import extractor.greedy_ner  # noqa: F401  (the @Language.factory registrations)
import extractor.ner_features  # noqa: F401
