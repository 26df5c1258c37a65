"""What a flowing document (DOCX, a web page) is read into: paragraphs and tables in reading order.

There are no pages or boxes: an item's place is its index (``page`` in the Extraction is the
1-based index of the item it came from: the n-th paragraph or table of the document or article).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class FlowParagraph:
    text: str
    size: float | None = None  # font size in points, when the format says it
    lead: int = 0  # how many characters at the start are bold (a bold lead opens an article)
    bold: bool = False  # the whole paragraph is bold
    heading: bool = False  # set as a heading (a heading style, <h2>)


@dataclass
class FlowTable:
    rows: list[list[str]]


@dataclass
class FlowDocument:
    items: list[FlowParagraph | FlowTable]
    # Stated outside the text (a web page's <title> and info line): used where the masthead is silent.
    title: str | None = None
    issuer: str | None = None
    issue_date: dt.date | None = None
    furniture: list[str] = field(default_factory=list)
