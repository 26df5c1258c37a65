"""The one shared data model of bulletin-extract (pydantic v2).

A parsed bulletin is a flat set of typed lists in the docling style: ``blocks``
(the running text, one per paragraph or heading), ``tables``, ``furniture``
(page numbers and running headers/footers, kept apart from the body), and the
items found in the text (``figures``, ``dates``, ``entities``). Every item
points into ``Extraction.text``, the document's clean text, by ``start``/``end``
character offsets, and carries its ``page`` (1-based) and its sentence.

This package imports nothing else of ours, so every layer can depend on it.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BBox(_Model):
    """A box on a page in PDF points, origin at the top-left corner (as pdfplumber)."""

    x0: float
    top: float
    x1: float
    bottom: float


class ProvenanceItem(_Model):
    """Where part of an item lies: its page, its box there, its span in the clean text."""

    page: int = Field(ge=1)
    bbox: BBox | None = None
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class DocumentStatus(str, Enum):
    ok = "ok"
    needs_ocr = "needs_ocr"  # image-only pages: no text layer to read


class Article(_Model):
    title: str
    page: int
    start: int
    end: int


class Section(_Model):
    """A 【…】 section of the bulletin and the article titles under it."""

    title: str
    page: int
    start: int
    end: int
    articles: list[Article] = []


class Metadata(_Model):
    title: str | None = Field(None, description="the bulletin's name, e.g. 重点民生实事工作简报")
    issue_number: int | None = Field(None, description="第N期 → N")
    issuer: str | None = Field(None, description="the issuing body, e.g. …工作专班")
    issue_date: dt.date | None = None
    sections: list[Section] = []
    report_to: list[str] = Field([], description="the 报： recipients")
    send_to: list[str] = Field([], description="the 发： recipients")
    phone: str | None = None
    email: str | None = None


class PageInfo(_Model):
    page: int = Field(ge=1)
    width: float
    height: float
    start: int = Field(description="first offset of this page's text in the clean text")
    end: int
    has_text: bool
    ocr_confidence: float | None = Field(
        None, description="the page had no text layer and was OCR'd: the mean of the OCR engine's line scores (0–1); "
                          "None for a text-layer page")


class Document(_Model):
    sha256: str
    file_name: str | None = None
    page_count: int
    status: DocumentStatus
    metadata: Metadata
    extractor_version: str
    ocr: bool = Field(False, description="some pages had no text layer and their text was read by OCR")
    kind: str = Field("pdf", description="the input's kind, told from its content: pdf, ofd, jpeg, png, tiff (page = "
                                         "a page, boxes in points) or docx, html (page = the paragraph's or table's "
                                         "1-based index, no boxes)")


class BlockKind(str, Enum):
    masthead = "masthead"  # bulletin name, issue number, issuer and date lines
    section_heading = "section_heading"  # 【重要新闻】
    heading = "heading"  # a title line of its own: 一、…, （一）…, a centred title
    paragraph = "paragraph"
    caption = "caption"  # 表1 …, the line over a table
    recipients = "recipients"  # 报：… / 发：…
    contact = "contact"  # 电话：… 邮箱：…


class Block(_Model):
    id: int
    kind: BlockKind
    section: str | None = Field(None, description="title of the enclosing 【】 section")
    lead: str | None = Field(None, description="a bold lead that titles the paragraph (an article title)")
    text: str
    page_start: int
    page_end: int
    start: int
    end: int
    prov: list[ProvenanceItem] = []
    confidence: float | None = Field(
        None, description="OCR'd text: the mean of the OCR engine's scores of the block's lines (0–1); None for a text layer")


class FurnitureKind(str, Enum):
    page_number = "page_number"
    header = "header"
    footer = "footer"


class Furniture(_Model):
    kind: FurnitureKind
    text: str
    page: int
    bbox: BBox


class TableCell(_Model):
    row: int
    col: int
    text: str
    bbox: BBox | None = None


class Table(_Model):
    id: int
    page: int
    bbox: BBox
    section: str | None = None
    caption: str | None = None
    rows: list[list[str]] = Field(description="cell texts row by row; merged cells repeat as empty strings")
    cells: list[TableCell] = []
    anchor: int = Field(0, description="offset in the clean text where the table stands (it is not part of the text)")


class TableRef(_Model):
    """Provenance of a value that came from a table cell."""

    table: int
    row: int
    col: int


class FigureKind(str, Enum):
    money = "money"
    people = "people"
    count = "count"
    percent = "percent"
    percentage_point = "percentage_point"
    area = "area"
    length = "length"
    weight = "weight"
    duration = "duration"
    other = "other"


class _Mention(_Model):
    text: str
    page: int
    start: int
    end: int
    sentence: str


class Figure(_Mention):
    value: float | None = Field(description="the number with its multiplier applied: 4.7万人 → 47000")
    unit: str = Field(description="the unit or measure word without the multiplier: 人, 元, %")
    kind: FigureKind
    qualifier: str | None = Field(None, description="近, 约, 余, 超过, 以上, 累计, 同比增长 … kept apart from the value")
    low: float | None = None
    high: float | None = None
    subject: str | None = Field(None, description="the phrase the figure measures")
    place: str | None = Field(None, description="the administrative area it belongs to")
    place_code: str | None = None
    as_of: dt.date | None = Field(None, description="the date the figure holds for")
    is_total: bool = False
    table: TableRef | None = None


class DatePrecision(str, Enum):
    day = "day"
    month = "month"
    year = "year"
    quarter = "quarter"
    half_year = "half_year"
    month_part = "month_part"  # 上旬, 中旬, 下旬


class DateMention(_Mention):
    value: str = Field(description="ISO: YYYY-MM-DD, YYYY-MM or YYYY")
    precision: DatePrecision
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    year_inferred: bool = Field(False, description="the year came from the issue date, not the text")
    year_unknown: bool = Field(False, description="no year in the text and no issue date to take it from")


class EntityType(str, Enum):
    PERSON = "PERSON"
    PLACE = "PLACE"
    ORG = "ORG"


class Entity(_Mention):
    type: EntityType
    normalized: str | None = Field(None, description="full name; the official code for places")
    title: str | None = Field(None, description="a person's title: 市委常委、常务副市长")
    code: str | None = None
    parents: list[str] = []


class DistinctEntity(_Model):
    """One entity of the document (by type and normalized name) with how often it is mentioned."""

    type: EntityType
    text: str = Field(description="as first written")
    normalized: str
    code: str | None = None
    parents: list[str] = []
    title: str | None = None
    mentions: int = Field(ge=1)
    forms: list[str] = Field([], description="the texts it is written as: 王永红, 王市长")
    pages: list[int] = []


class Extraction(_Model):
    """Everything extracted from one PDF. ``text`` is the clean text all offsets point into."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    document: Document
    pages: list[PageInfo]
    text: str
    blocks: list[Block]
    tables: list[Table]
    furniture: list[Furniture]
    figures: list[Figure] = []
    dates: list[DateMention] = []
    entities: list[Entity] = []
    distinct_entities: list[DistinctEntity] = []


__all__ = [
    "Article", "BBox", "Block", "BlockKind", "DateMention", "DatePrecision", "DistinctEntity", "Document",
    "DocumentStatus", "Entity", "EntityType", "Extraction", "Figure", "FigureKind", "Furniture",
    "FurnitureKind", "Metadata", "PageInfo", "ProvenanceItem", "Section", "Table", "TableCell",
    "TableRef", "SCHEMA_VERSION",
]
