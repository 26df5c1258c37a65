"""From line segments to the document's structure: furniture, reading order, blocks.

The steps, in order:
1. page furniture is set apart: page numbers (— 5 —, 第5页, 5/12, a bare number at
   the page's edge) and running headers or footers that repeat across pages;
2. each page's segments are put in reading order, a two-column stretch column by column;
3. segments are joined into blocks (paragraphs, headings), across pages where a
   paragraph runs on; a new block starts at an indented line, a heading (【…】, 一、,
   （一）), a bold lead, a change of font size, a blank line, or after a line that
   stops short of the right margin;
4. each block's text is normalised, keeping for every clean character its page and box.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from extractor.normalize import normalize
from extractor.pdf import Char, Page, Segment
from models import BBox, BlockKind, Furniture, FurnitureKind

# Page furniture lives in this share of the page height at the top and at the bottom.
EDGE_ZONE = 0.12
PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－~～·•\s]*\d{1,4}[—–\-－~～·•\s]*"  # — 5 —, - 5 -, 5
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"  # 第5页, 第 5 页 共 12 页
    r"|\d{1,4}\s*/\s*\d{1,4})$"  # 5/12
)
# A running header or footer repeats (digits aside) on at least this share of pages.
RUNNING_SHARE = 0.4

SECTION_HEADING = re.compile(r"^[【\[]\s*([^】\]]{1,20}?)\s*[】\]]$")
# Headings that open a new block at the start of a line: 一、 （一） 1. 一是 第一，
LIST_MARKER = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、是]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]{1,3}[，、,])")
RECIPIENTS = re.compile(r"^(?:报|发|送|抄送|抄报|报送|分送|主送)\s*[:：]")
CONTACT = re.compile(r"^(?:电话|联系电话|联系人|传真|邮箱|电子邮箱|E-?mail|地址|邮编|通讯地址)\s*[:：]", re.I)
CAPTION = re.compile(r"^(?:附)?表\s*[\d一二三四五六七八九十]+")
SENTENCE_END = "。！？；：…!?;:"
CLOSING = "”’）》」』】)"

# A line is indented when it starts this many font sizes right of its column's edge.
INDENT = 0.9
# A line stops short when it ends this many font sizes left of its column's right edge.
SHORT = 1.6
# A vertical gap of this many line heights is a blank line.
BLANK_LINE = 1.9


@dataclass
class RawBlock:
    kind: BlockKind
    segments: list[Segment]
    section: str | None = None


@dataclass
class Column:
    left: float
    right: float


@dataclass
class TextBlock:
    """A block's clean text and where each of its characters came from."""

    kind: BlockKind
    section: str | None
    text: str
    chars: list[Char | None]  # the source character of each clean character (None: joiner)
    pages: list[int]  # the page of each clean character
    lead: str | None = None
    segments: list[Segment] = field(default_factory=list)


def split_furniture(pages: list[Page]) -> list[Furniture]:
    """Remove page numbers and running headers/footers from the pages' segments."""
    furniture: list[Furniture] = []
    edge_texts: Counter[str] = Counter()
    text_pages = [p for p in pages if p.segments]
    for page in text_pages:
        seen = set()
        for seg in page.segments:
            if _in_edge_zone(seg, page):
                key = _running_key(seg.text)
                if key not in seen:
                    edge_texts[key] += 1
                    seen.add(key)
    min_repeats = max(3, int(RUNNING_SHARE * len(text_pages) + 0.999))
    running = {key for key, n in edge_texts.items() if n >= min_repeats}
    for page in text_pages:
        body = []
        for seg in page.segments:
            kind = None
            if _in_edge_zone(seg, page):
                if PAGE_NUMBER.match(seg.text.strip()):
                    kind = FurnitureKind.page_number
                elif _running_key(seg.text) in running:
                    kind = FurnitureKind.header if seg.bottom < page.height / 2 else FurnitureKind.footer
            if kind is None:
                body.append(seg)
            else:
                furniture.append(Furniture(kind=kind, text=seg.text.strip(), page=page.number, bbox=_bbox(seg)))
        page.segments = body
    return furniture


def _in_edge_zone(seg: Segment, page: Page) -> bool:
    return seg.bottom < EDGE_ZONE * page.height or seg.top > (1 - EDGE_ZONE) * page.height


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _bbox(seg: Segment) -> BBox:
    return BBox(x0=round(seg.x0, 2), top=round(seg.top, 2), x1=round(seg.x1, 2), bottom=round(seg.bottom, 2))


def body_size(pages: list[Page]) -> float:
    """The body text's font size: the size most characters have."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for seg in page.segments:
            sizes[round(seg.size)] += len(seg.chars)
    return float(sizes.most_common(1)[0][0]) if sizes else 12.0


def body_weight(pages: list[Page], size: float) -> int:
    weights: Counter[int] = Counter()
    for page in pages:
        for seg in page.segments:
            if abs(seg.size - size) <= 0.5:
                for c in seg.chars:
                    weights[c.weight] += 1
    return weights.most_common(1)[0][0] if weights else 400


def reading_order(page: Page, size: float) -> list[tuple[Segment, Column]]:
    """The page's segments in reading order, each with the column it flows in.

    A stretch of lines that lie wholly left or wholly right of the page's middle, with
    at least two on each side, is a two-column stretch: its left column is read first.
    """
    segs = sorted(page.segments, key=lambda s: (round(s.top, 1), s.x0))
    if not segs:
        return []
    full = _page_column(segs, size)
    mid = (full.left + full.right) / 2
    out: list[tuple[Segment, Column]] = []
    run: list[Segment] = []

    def flush_run() -> None:
        left = [s for s in run if s.x1 < mid]
        right = [s for s in run if s.x0 > mid]
        if len(left) >= 2 and len(right) >= 2:
            lcol = Column(min(s.x0 for s in left), max(s.x1 for s in left))
            rcol = Column(min(s.x0 for s in right), max(s.x1 for s in right))
            out.extend((s, lcol) for s in left)
            out.extend((s, rcol) for s in right)
        else:
            out.extend((s, full) for s in run)
        run.clear()

    for seg in segs:
        if seg.x1 < mid or seg.x0 > mid:
            run.append(seg)
        else:
            flush_run()
            out.append((seg, full))
    flush_run()
    return out


def _page_column(segs: list[Segment], size: float) -> Column:
    """The page's text column: where most body lines start, and where the longest end."""
    body = [s for s in segs if abs(s.size - size) <= 0.5] or segs
    starts = Counter(round(s.x0) for s in body)
    left = min(x for x, n in starts.items() if n == max(starts.values()))
    # Lines starting at the left edge start there unless indented: take the leftmost
    # frequent start, so an indented first line does not set the edge.
    frequent = [x for x, n in starts.items() if n >= max(2, max(starts.values()) // 3)]
    if frequent:
        left = min(frequent)
    ends = sorted(s.x1 for s in body)
    right = ends[int(0.9 * (len(ends) - 1))]
    return Column(left, max(right, left + size))


def group_blocks(pages: list[Page], size: float, weight: int) -> list[RawBlock]:
    """Join the segments of all pages, in reading order, into blocks."""
    blocks: list[RawBlock] = []
    section: str | None = None
    prev: Segment | None = None
    prev_col: Column | None = None
    pitch = size * 1.75  # refined from the first page's line spacing below
    for page in pages:
        ordered = reading_order(page, size)
        pitch = _line_pitch(ordered) or pitch
        for seg, col in ordered:
            text = seg.text.strip()
            heading = SECTION_HEADING.match(text)
            current = blocks[-1] if blocks else None
            if heading:
                section = heading.group(1).strip()
                blocks.append(RawBlock(BlockKind.section_heading, [seg], section))
            elif current is None or _starts_block(prev, prev_col, seg, col, current, size, weight, pitch):
                blocks.append(RawBlock(_kind_of(text, seg, size), [seg], section))
            else:
                current.segments.append(seg)
            prev, prev_col = seg, col
    return blocks


def _line_pitch(ordered: list[tuple[Segment, Column]]) -> float | None:
    gaps = Counter()
    for (a, _), (b, _) in zip(ordered, ordered[1:]):
        d = round(b.top - a.top)
        if 0 < d < 4 * a.size and abs(a.size - b.size) < 0.5:
            gaps[d] += 1
    return float(gaps.most_common(1)[0][0]) if gaps else None


def _kind_of(text: str, seg: Segment, size: float) -> BlockKind:
    if RECIPIENTS.match(text):
        return BlockKind.recipients
    if CONTACT.match(text):
        return BlockKind.contact
    if CAPTION.match(text) and len(text) < 60:
        return BlockKind.caption
    return BlockKind.paragraph


def _starts_block(prev: Segment, prev_col: Column, seg: Segment, col: Column,
                  current: RawBlock, size: float, weight: int, pitch: float) -> bool:
    text = seg.text.strip()
    prev_text = prev.text.rstrip()
    if current.kind in (BlockKind.section_heading, BlockKind.caption, BlockKind.contact):
        return True
    if RECIPIENTS.match(text) or CONTACT.match(text) or CAPTION.match(text):
        return True
    if abs(seg.size - prev.size) > 0.15 * max(seg.size, prev.size):
        return True
    same_flow = seg.page == prev.page and col is prev_col
    if same_flow and seg.top - prev.top > BLANK_LINE * pitch:
        return True
    if current.kind == BlockKind.recipients:
        # 报：… continues on lines with a hanging indent until the next key or a gap.
        return False
    ends_sentence = bool(prev_text) and (prev_text[-1] in SENTENCE_END or
                                         (prev_text[-1] in CLOSING and len(prev_text) > 1 and prev_text[-2] in SENTENCE_END))
    if seg.x0 - col.left > INDENT * seg.size:
        return True
    if prev_col.right - prev.x1 > SHORT * prev.size:
        return True  # the line before stopped short: its paragraph ended there
    if ends_sentence and LIST_MARKER.match(text):
        return True
    if ends_sentence and _lead_length(seg, weight) >= 2:
        return True  # a bold lead opens an article
    return False


def _lead_length(seg: Segment, weight: int) -> int:
    """How many characters at the start of the segment are set in a heavier font (a bold lead)."""
    n = 0
    for c in seg.chars:
        if c.weight >= weight + 100 or (c.text.isspace() and n):
            n += 1
        else:
            break
    return n


def text_blocks(raw_blocks: list[RawBlock], weight: int) -> list[TextBlock]:
    """Each block's segments joined and normalised, with the source of every clean character."""
    out = []
    for block in raw_blocks:
        chars: list[Char | None] = []
        pages: list[int] = []
        for seg in block.segments:
            if chars and chars[-1] is not None and _needs_space(chars[-1].text, seg.chars[0].text):
                chars.append(None)  # a space between wrapped Latin words
                pages.append(seg.page)
            chars.extend(seg.chars)
            pages.extend(seg.page for _ in seg.chars)
        raw = "".join(c.text if c is not None else " " for c in chars)
        clean, index = normalize(raw)
        if not clean:
            continue
        kept = [chars[i] for i in index]
        text_block = TextBlock(kind=block.kind, section=block.section, text=clean, chars=kept,
                               pages=[pages[i] for i in index], segments=block.segments)
        if block.kind == BlockKind.paragraph:
            text_block.lead = _lead_text(kept, clean, weight)
        out.append(text_block)
    return out


def _needs_space(a: str, b: str) -> bool:
    """Latin words wrapped over two lines keep a space; digits of a wrapped number do not (97|20)."""
    return a.isascii() and a.isalpha() and b.isascii() and b.isalpha()


def _lead_text(chars: list[Char | None], text: str, weight: int) -> str | None:
    n = 0
    for c in chars:
        if c is not None and (c.weight >= weight + 100 or (c.text.isspace() and n)):
            n += 1
        else:
            break
    lead = text[:n].strip()
    return lead if len(lead) >= 2 else None
