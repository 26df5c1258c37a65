"""Sentence spans of the clean text.

A sentence ends after 。！？；… (with any closing quote or bracket that follows: 他说：“好。”)
and at every line end (one block per line). A terminator inside “…” does not end the
sentence (提出“早建设；早见效”的要求), unless the quote never closes on that line.
"""

from __future__ import annotations

import re

# A run of terminators with the closers after it, or a quote mark (to track the quote depth).
BOUNDARY = re.compile(r"[。！？；…!?;]+[”’」』）)》】]*|[“”]")


def _line_spans(line: str, offset: int) -> list[tuple[int, int]]:
    spans, start, depth = [], 0, 0
    for m in BOUNDARY.finditer(line):
        mark = m.group(0)
        if mark == "“":
            depth += 1
        elif mark == "”":
            depth = max(0, depth - 1)
        else:
            closes_quote = "”" in mark
            # Inside a quote, only where it closes right here (好。”) or never closes on the line.
            if depth == 0 or closes_quote or "”" not in line[m.end():]:
                spans.append((start, m.end()))
                start, depth = m.end(), 0
    if start < len(line):
        spans.append((start, len(line)))
    return [(offset + s, offset + e) for s, e in spans if line[s:e].strip()]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, in order, covering no newline."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        spans.extend(_line_spans(line, offset))
        offset += len(line) + 1
    return spans
