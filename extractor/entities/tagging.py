"""``bulletin tag-entities``: one sentence a line in, its entities as JSON out."""

from __future__ import annotations

import json
import sys
from typing import Iterable

from spacy.tokens import Span

from extractor.entities.area import Area
from extractor.entities.model import entity_pipeline


def tag_lines(lines: Iterable[str], *, city: str | None = None, county: str | None = None) -> Iterable[dict]:
    """For each input line (one sentence), {"entities": [[start, end, type], …]} with offsets into
    the line. Lines are tagged one at a time, each on its own (no document context). The output is
    flat, as the standard NER corpora it is measured on: a place inside an organisation's name
    (深圳市 in 深圳市特尔佳科技股份有限公司) is left out here, where ``find_entities`` keeps it."""
    nlp = entity_pipeline()

    def docs():
        for line in lines:
            line = line.rstrip("\n")
            doc = nlp.make_doc(line)
            doc.user_data["text"] = line
            doc.user_data["bulletin_area"] = Area()
            yield doc

    for doc in nlp.pipe(docs(), batch_size=256):
        flat: list[Span] = []
        for span in doc.spans["entities"]:  # sorted by start, the longest first: an outer span comes first
            if not flat or span.start_char >= flat[-1].end_char:
                flat.append(span)
        yield {"entities": [[s.start_char, s.end_char, s.label_] for s in flat]}


def tag_stream(stdin=None, stdout=None) -> int:
    """Read sentences from stdin, write one JSON object per line to stdout; returns the line count."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    n = 0
    for row in tag_lines(stdin):
        stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    stdout.flush()
    return n
