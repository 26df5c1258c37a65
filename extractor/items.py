"""Figures and dates of a bulletin's clean text, as ``models.Figure`` and ``models.DateMention``.

    figures, dates = extract_items(text, issue_date=date(2023, 5, 24), page_of=text_map.page_of,
                                   tables=tables, city="邵阳市", blocks=blocks)
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Sequence

from extractor.context import Context, Token
from extractor.gazetteer import gazetteer
from extractor.pipeline import jieba_tags, load_pipeline, make_doc
from extractor.sentences import sentence_spans
from extractor.table_figures import table_figures
from models import Block, DateMention, DatePrecision, Figure, FigureKind, Table


def _sentence_of(spans: list[tuple[int, int]], starts: list[int], offset: int, text: str) -> tuple[int, int]:
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and spans[i][0] <= offset < spans[i][1]:
        return spans[i]
    return offset, offset + 1 if offset < len(text) else offset


def extract_items(text: str, issue_date: dt.date | None = None, page_of: Callable[[int], int] = lambda _: 1,
                  tables: Sequence[Table] = (), city: str | None = None,
                  blocks: Sequence[Block] = ()) -> tuple[list[Figure], list[DateMention]]:
    nlp = load_pipeline()
    doc = make_doc(nlp, text)
    doc._.issue_date = issue_date
    for _, component in nlp.pipeline:
        doc = component(doc)

    tokens = [Token(start, start + len(word), word) for start, word in doc.user_data["segmented"]]
    leads = [(b.start, b.lead) for b in blocks if b.lead]
    context = Context(text, tokens, jieba_tags(), gazetteer(), issue_date, city, doc._.dates, leads)
    spans = sentence_spans(text)
    starts = [s for s, _ in spans]

    def sentence(offset: int) -> tuple[int, int]:
        return _sentence_of(spans, starts, offset, text)

    dates = [DateMention(text=d.text, page=page_of(d.start), start=d.start, end=d.end,
                         sentence=text[slice(*sentence(d.start))], value=d.value,
                         precision=DatePrecision(d.precision), start_date=d.start_date, end_date=d.end_date,
                         year_inferred=d.year_inferred, year_unknown=d.year_unknown)
             for d in doc._.dates]

    figures = []
    previous, subject = None, None
    for f in doc._.figures:
        span = sentence(f.start)
        place, place_code = context.place_of(f.start, span)
        subject = context.subject(f, previous, subject)
        previous = f
        figures.append(Figure(
            text=f.text, page=page_of(f.start), start=f.start, end=f.end, sentence=text[slice(*span)],
            value=f.value, unit=f.unit, kind=FigureKind(f.kind), qualifier=context.qualifier(f), low=f.low,
            high=f.high, subject=subject, place=place, place_code=place_code, as_of=context.as_of(f.start, span)))
    for table in tables:
        figures.extend(table_figures(table, context))
    return figures, dates
