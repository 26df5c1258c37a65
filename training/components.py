"""Registers our spaCy factories for ``spacy train --code``: jieba_word_features."""

import extractor.ner_features  # noqa: F401  (the @Language.factory registration)
