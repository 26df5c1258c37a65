"""Generate the sample bulletin PDFs and their truth files.

Typesets the text layer of a real 工作简报 (a Chinese government work bulletin,
default ``../shared/devset/shaoyang-2023-05-24.txt`` relative to the repo root)
into four PDFs in ``samples/``, each with a ``*.truth.json`` answer key:

  bulletin-a.pdf  text-layer bulletin: red masthead, 【】 sections, bold (黑体)
                  article leads, page footers, 报/发 end block.
  bulletin-b.pdf  as (a) plus a ruled per-county table at the end of 区县动态
                  and the 工作简讯 section set in two columns.
  bulletin-c.pdf  image-only "scan" of (b): grey, slightly rotated, noisy JPEG
                  pages, no text layer.
  bulletin-d.pdf  100-page bulletin for benchmarks (the body cycled).

All output is deterministic: running the script twice gives identical bytes.

The source text keeps the quirks of a real PDF text layer and so do the
samples: spaces between Chinese and digits ("1200 家") are typeset as they
are, and 臵 (U+81F5) is typeset with a copy of the Song font whose cmap maps
U+81F5 to the glyph of 置, so the page *shows* 置 while the text layer (via
reportlab's ToUnicode CMap) yields 臵 -- as in the real bulletin.

Run from the repo root:

    python samples/make_samples.py [SOURCE.txt]

Needs:
    apt-get install fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-wqy-zenhei
    pip install reportlab fonttools pillow numpy pypdfium2
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import re
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from fontTools.ttLib import TTFont as FTFont
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_formats  # noqa: E402  (beside this script)

# --------------------------------------------------------------------------
# Paths and fixed bulletin facts
# --------------------------------------------------------------------------
REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = REPO_ROOT / "samples"
DEFAULT_SOURCE = REPO_ROOT / ".." / "shared" / "devset" / "shaoyang-2023-05-24.txt"

# The bulletin name and issue number are not in the text layer (they are
# artwork in the real masthead), so they are constants here.
BULLETIN_TITLE = "重点民生实事工作简报"
ISSUE_NUMBER = 5
ISSUE_LABEL = f"第 {ISSUE_NUMBER} 期"

SONG_TTF = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
HEI_TTC = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
HEI_TTC_INDEX = 0  # "WenQuanYi Zen Hei" (proportional Latin)
SONG = "Song"  # reportlab name of the patched Song copy (臵 -> glyph of 置)
HEI = "Hei"
VARIANT_CHAR = 0x81F5  # 臵, what the real text layer has
TARGET_CHAR = 0x7F6E  # 置, what the real page shows

# --------------------------------------------------------------------------
# Page geometry (points).  Modelled on GB/T 9704 党政机关公文格式: 3号 (16 pt)
# body on a 28-character x 22-line grid, 37 mm top margin.
# --------------------------------------------------------------------------
PAGE_W, PAGE_H = A4  # 595.27 x 841.89
BODY_SIZE = 16.0
CHARS_PER_LINE = 28
TEXT_W = CHARS_PER_LINE * BODY_SIZE  # 448
LEFT = (PAGE_W - TEXT_W) / 2  # 73.64, text block centred
RIGHT = LEFT + TEXT_W  # 521.64
LINE_PITCH = 28.9
LINES_PER_PAGE = 22
FIRST_BASELINE = 722.0  # 37 mm top margin + ascent of the first line
LAST_BASELINE = FIRST_BASELINE - (LINES_PER_PAGE - 1) * LINE_PITCH  # 115.1
INDENT_CHARS = 2  # first-line indent of every paragraph
HEADING_SPACE = 0.5 * LINE_PITCH  # extra space above a 【】 heading
ASCENT = 0.88  # fraction of the size above the baseline (CJK glyph box)
DESCENT = 0.12
EPS = 1e-6

# Page footer "— N —": 4号 (14 pt) Song, odd pages flush right, even pages
# flush left, no footer on the masthead page.
FOOTER_SIZE = 14.0
FOOTER_BASELINE = 56.7  # 20 mm above the bottom edge

# Masthead (page 1 only)
RED = (0.85, 0.0, 0.0)
MAST_TITLE_SIZE = 34.0
MAST_TITLE_BASELINE = 700.0
MAST_TITLE_STROKE = 0.7  # fill+stroke thickens thin Song like 小标宋
MAST_ISSUE_SIZE = 16.0
MAST_ISSUE_BASELINE = 660.0
MAST_LINE_SIZE = 15.0  # issuer (left) and date (right)
MAST_LINE_BASELINE = 622.0
MAST_RULE_Y = 612.0
MAST_RULE_W = 1.5
MAST_BODY_GAP = 0.5 * LINE_PITCH  # min. gap between red rule and first text top

# End block (报/发/电话) at the bottom of the last page
END_SIZE = 14.0
END_PITCH = 24.0
END_RULE_W = 0.75
END_RULE_GAP = 6.0  # rule to neighbouring text
END_BLOCK_GAP = LINE_PITCH  # min. space between body and the end block

# Two-column 工作简讯 (sample b)
COL_CHARS = 13
COL_W = COL_CHARS * BODY_SIZE  # 208
COL_GUTTER = TEXT_W - 2 * COL_W  # 32

# Table (sample b)
TABLE_CAPTION = "表1  各县市区重点民生实事推进情况（截至2023年4月30日）"
TABLE_CAPTION_SIZE = 14.0
TABLE_CAPTION_PITCH = 26.0
TABLE_SIZE = 12.0
TABLE_ROW_H = 22.0
TABLE_MIN_PAD = 3.0  # min. horizontal cell padding each side
TABLE_RULE_W = 0.75
TABLE_OUTER_RULE_W = 1.2
TABLE_SECTION = "区县动态"
TABLE_HEADER = ["县市区", "帮扶车间（家）", "吸纳就业（人）", "扶持资金（万元）", "完成率（%）"]
# Plausible figures; chosen so the columns add up to what the text says for
# the whole city (1200 家 车间, 4.7 万人 就业, 8427 万元 资金) and 武冈市's
# 1160 万元 matches its article.
TABLE_DATA = [
    ("双清区", 38, 1420, "236.50", "82.4"),
    ("大祥区", 45, 1736, "281.75", "76.8"),
    ("北塔区", 31, 1187, "198.40", "88.1"),
    ("邵东市", 186, 7395, "1275.25", "91.3"),
    ("新邵县", 127, 4968, "862.30", "85.7"),
    ("邵阳县", 105, 4102, "703.15", "73.6"),
    ("隆回县", 142, 5573, "948.60", "80.2"),
    ("洞口县", 118, 4615, "781.45", "77.9"),
    ("绥宁县", 96, 3694, "612.80", "83.5"),
    ("新宁县", 112, 4381, "942.35", "71.4"),
    ("城步苗族自治县", 64, 2467, "424.45", "79.1"),
    ("武冈市", 136, 5462, "1160.00", "86.6"),
]
TWO_COLUMN_SECTION = "工作简讯"

# Scan simulation (sample c)
SCAN_DPI = 150
SCAN_SEED = 20230524
SCAN_ANGLE_RANGE = (0.3, 1.2)  # degrees, sign random
SCAN_PAPER = 244  # grey level of the paper
SCAN_INK = 28  # grey level of solid ink
SCAN_NOISE_SIGMA = 2.5
SCAN_SPECKS = (6, 14)  # min/max specks per page
SCAN_JPEG_QUALITY = 55

# Benchmark sample (d)
BENCH_PAGES = 100

# Line-breaking classes (避头尾): may not start / may not end a line.
NO_LINE_START = set("。，、；：？！”’）》」』】…%·") | {" "}
NO_LINE_END = set("“‘（《「『【")

FOOTER_RE = re.compile(r"^—\s*\d+\s*—$")
HEADING_RE = re.compile(r"^【(.+)】$")
# "X：title。" -- X a short name, title without "，" and at most 30 chars.
LEAD_RE = re.compile(r"([^\s，。、；：“”（）]{2,12})：([^，。：；]{1,30}?)。")
PARA_END_RE = re.compile(r"[。！？：；”]\s+$")
DATE_RE = re.compile(r"(\d{4})年\s*(\d{1,2})月\s*(\d{1,2})日")


# --------------------------------------------------------------------------
# Source parsing
# --------------------------------------------------------------------------
@dataclass
class Paragraph:
    section: str
    text: str
    lead: str | None  # bold lead sentence incl. its 。, or None


@dataclass
class Section:
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class Bulletin:
    issuer: str
    date_text: str
    issue_date: str  # ISO
    sections: list[Section]
    report_to: str  # text after 报：
    send_to: str  # text after 发：
    phone_text: str  # "电话：…"
    email_text: str  # "邮箱：…"


def find_lead(text: str, first_news: bool) -> str | None:
    m = LEAD_RE.match(text)
    if m:
        return m.group(0)
    if first_news:
        # 重要新闻 opens with a plain headline sentence "王永红率队调研…项目。"
        end = text.find("。")
        if 0 < end <= 30 and "，" not in text[:end]:
            return text[: end + 1]
    return None


def split_briefs(text: str) -> list[str]:
    """Split a run-on 工作简讯 paragraph before every "X：title。" sentence."""
    starts = [0]
    for i, ch in enumerate(text[:-1]):
        if ch == "。" and LEAD_RE.match(text, i + 1):
            starts.append(i + 1)
    starts.append(len(text))
    return [text[a:b] for a, b in zip(starts, starts[1:]) if text[a:b]]


def parse_source(raw: str) -> Bulletin:
    lines = raw.split("\n")
    head_idx = next(i for i, l in enumerate(lines) if l.strip())
    issuer, date_text = re.split(r"\s{2,}", lines[head_idx].strip())
    y, mo, d = DATE_RE.search(date_text).groups()
    issue_date = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"

    sections: list[Section] = []
    buf: list[str] = []
    end_parts: dict[str, list[str]] = {}
    end_key: str | None = None

    def flush():
        if buf and sections:
            sections[-1].paragraphs.append(Paragraph(sections[-1].title, "".join(buf), None))
        buf.clear()

    for line in lines[head_idx + 1 :]:
        stripped = line.strip()
        if not stripped or FOOTER_RE.match(stripped):
            continue  # blank separator lines and page footers
        m = HEADING_RE.match(stripped)
        if m:
            flush()
            sections.append(Section(m.group(1)))
            continue
        if stripped.startswith(("报：", "发：", "电话：")):
            flush()
            end_key = stripped.split("：", 1)[0]
            end_parts[end_key] = [stripped]
            continue
        if end_key:  # continuation line of the 报/发 block
            end_parts[end_key].append(stripped)
            continue
        # A page-start line has one leading space; trailing whitespace after
        # closing punctuation marks the end of a paragraph.
        content = line[1:] if line.startswith(" ") else line
        buf.append(content.rstrip())
        if PARA_END_RE.search(line):
            flush()
    flush()

    for sec in sections:
        paras: list[Paragraph] = []
        for p in sec.paragraphs:
            texts = split_briefs(p.text) if sec.title == TWO_COLUMN_SECTION else [p.text]
            paras += [Paragraph(sec.title, t, None) for t in texts]
        for i, p in enumerate(paras):
            p.lead = find_lead(p.text, first_news=(i == 0 and sec.title == "重要新闻"))
        sec.paragraphs = paras

    report = "".join(end_parts["报"])[2:]
    send = "".join(end_parts["发"])[2:]
    phone_text, email_text = re.split(r"\s{2,}", " ".join(end_parts["电话"]).strip())
    return Bulletin(issuer, date_text, issue_date, sections, report, send, phone_text, email_text)


def split_recipients(text: str) -> list[str]:
    return [t for t in re.split(r"[，、]", text.rstrip("。")) if t]


# --------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------
def register_fonts(tmpdir: Path) -> None:
    """Register Hei and a patched copy of Song in reportlab.

    The copy maps U+81F5 (臵) to the glyph of 置 in every Unicode cmap
    subtable.  reportlab's ToUnicode CMap records the code point we *typeset*
    (臵) while the drawn glyph is 置: exactly the real bulletin's quirk.
    """
    # recalcTimestamp=False: fontTools would otherwise stamp head.modified
    # with the current time and the embedded subsets would differ per run.
    font = FTFont(SONG_TTF, recalcTimestamp=False)
    for sub in font["cmap"].tables:
        if sub.isUnicode() and TARGET_CHAR in sub.cmap:
            sub.cmap[VARIANT_CHAR] = sub.cmap[TARGET_CHAR]
    patched = tmpdir / "song-zhi-variant.ttf"
    font.save(str(patched))
    pdfmetrics.registerFont(TTFont(SONG, str(patched)))
    pdfmetrics.registerFont(TTFont(HEI, HEI_TTC, subfontIndex=HEI_TTC_INDEX))


def check_glyphs(text: str, font: str) -> None:
    cmap = pdfmetrics.getFont(font).face.charToGlyph
    missing = sorted({c for c in text if ord(c) not in cmap})
    if missing:
        raise SystemExit(f"font {font} lacks glyphs for {missing}")


def width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


# --------------------------------------------------------------------------
# Line breaking
# --------------------------------------------------------------------------
@dataclass
class Token:
    text: str
    font: str
    w: float


@dataclass
class Line:
    tokens: list[Token]
    indent: float
    avail: float  # width available after the indent
    last: bool = False  # last line of its paragraph (not justified)

    @property
    def text(self) -> str:
        return "".join(t.text for t in self.tokens)

    def runs(self) -> list[tuple[str, str]]:
        runs: list[tuple[str, str]] = []
        for t in self.tokens:
            if runs and runs[-1][1] == t.font:
                runs[-1] = (runs[-1][0] + t.text, t.font)
            else:
                runs.append((t.text, t.font))
        return runs

    def char_space(self, size: float = BODY_SIZE) -> float:
        """Tc that justifies the line to the full measure (CJK style)."""
        n = len(self.text)
        used = sum(t.w for t in self.tokens)
        slack = self.avail - used
        # The last line of a paragraph stays ragged; a very loose line (never
        # seen with this text) would look worse justified than ragged.
        if self.last or n < 2 or slack <= EPS or slack > 3 * size:
            return 0.0
        return slack / (n - 1)


def tokenize(runs: list[tuple[str, str]], size: float) -> list[Token]:
    """ASCII words (numbers, e-mail) stay unbroken; CJK breaks anywhere."""
    toks = []
    for text, font in runs:
        for m in re.finditer(r"[!-~]+|.", text, re.S):
            toks.append(Token(m.group(0), font, width(m.group(0), font, size)))
    return toks


def break_lines(runs, size, measure, first_indent=0.0, rest_indent=0.0) -> list[Line]:
    """Greedy fill with the usual 避头尾 rules.

    A closing mark (or a space) never starts a line: the preceding character
    is carried over with it.  An opening mark never ends a line.
    """
    lines: list[Line] = []
    cur: list[Token] = []
    used = 0.0
    indent = first_indent
    for tok in tokenize(runs, size):
        if not cur or used + tok.w <= measure - indent + EPS:
            cur.append(tok)
            used += tok.w
            continue
        carry: list[Token] = []
        head = tok
        while len(cur) > 1 and head.text[0] in NO_LINE_START:
            head = cur.pop()
            carry.insert(0, head)
        while len(cur) > 1 and cur[-1].text[-1] in NO_LINE_END:
            carry.insert(0, cur.pop())
        lines.append(Line(cur, indent, measure - indent))
        indent = rest_indent
        cur = carry + [tok]
        used = sum(t.w for t in cur)
    if cur:
        lines.append(Line(cur, indent, measure - indent, last=True))
    for ln in lines:
        assert sum(t.w for t in ln.tokens) <= ln.avail + EPS, ln.text
    return lines


def paragraph_lines(p: Paragraph, measure: float) -> list[Line]:
    runs = [(p.lead, HEI), (p.text[len(p.lead) :], SONG)] if p.lead else [(p.text, SONG)]
    runs = [r for r in runs if r[0]]
    lines = break_lines(runs, BODY_SIZE, measure, INDENT_CHARS * BODY_SIZE, 0.0)
    assert "".join(l.text for l in lines) == p.text
    return lines


# --------------------------------------------------------------------------
# Layout: a dry run producing per-page drawing operations
# --------------------------------------------------------------------------
@dataclass
class TextOp:
    x: float
    y: float
    size: float
    runs: list[tuple[str, str]]
    char_space: float = 0.0
    color: tuple = (0, 0, 0)
    stroke: float = 0.0  # >0: fill+stroke (faux bold)


@dataclass
class RuleOp:
    x0: float
    y0: float
    x1: float
    y1: float
    w: float
    color: tuple = (0, 0, 0)


@dataclass
class PlacedPara:
    para: Paragraph
    pages: list[int]


class Flow:
    """Places lines top to bottom on the body grid, page after page."""

    def __init__(self):
        self.pages: list[list] = []
        self.placed: list[PlacedPara] = []
        self.tables: list[dict] = []
        self.sections: list[dict] = []  # one per heading occurrence, with its articles
        self.two_column_pages: set[int] = set()
        self.new_page()

    @property
    def page(self) -> int:
        return len(self.pages)

    def new_page(self):
        self.pages.append([])
        self.y = FIRST_BASELINE  # baseline of the next line
        self.at_top = True
        self.ink_bottom = FIRST_BASELINE + BODY_SIZE  # lowest ink so far

    def op(self, op):
        self.pages[-1].append(op)
        bottom = op.y - DESCENT * op.size if isinstance(op, TextOp) else min(op.y0, op.y1)
        self.ink_bottom = min(self.ink_bottom, bottom)

    def rows_left(self) -> int:
        if self.y < LAST_BASELINE - EPS:
            return 0
        return int((self.y - LAST_BASELINE) / LINE_PITCH + EPS) + 1

    def line(self, x, runs, char_space=0.0, size=BODY_SIZE) -> int:
        if self.rows_left() == 0:
            self.new_page()
        self.op(TextOp(x, self.y, size, runs, char_space))
        self.y -= LINE_PITCH
        self.at_top = False
        return self.page

    # -- masthead ---------------------------------------------------------
    def masthead(self, b: Bulletin):
        assert self.page == 1
        tw = width(BULLETIN_TITLE, SONG, MAST_TITLE_SIZE)
        self.op(TextOp((PAGE_W - tw) / 2, MAST_TITLE_BASELINE, MAST_TITLE_SIZE,
                       [(BULLETIN_TITLE, SONG)], color=RED, stroke=MAST_TITLE_STROKE))
        iw = width(ISSUE_LABEL, SONG, MAST_ISSUE_SIZE)
        self.op(TextOp((PAGE_W - iw) / 2, MAST_ISSUE_BASELINE, MAST_ISSUE_SIZE,
                       [(ISSUE_LABEL, SONG)]))
        self.op(TextOp(LEFT, MAST_LINE_BASELINE, MAST_LINE_SIZE, [(b.issuer, SONG)]))
        dw = width(b.date_text, SONG, MAST_LINE_SIZE)
        self.op(TextOp(RIGHT - dw, MAST_LINE_BASELINE, MAST_LINE_SIZE, [(b.date_text, SONG)]))
        self.op(RuleOp(LEFT, MAST_RULE_Y, RIGHT, MAST_RULE_Y, MAST_RULE_W, RED))
        # The body continues on the regular grid, first line below the rule.
        while self.y + ASCENT * BODY_SIZE > MAST_RULE_Y - MAST_BODY_GAP:
            self.y -= LINE_PITCH
        self.at_top = True

    # -- body ---------------------------------------------------------------
    def heading(self, title: str):
        if not self.at_top:
            self.y -= HEADING_SPACE
        if self.rows_left() < 2:  # keep the heading with the next line
            self.new_page()
        self.line(LEFT, [(f"【{title}】", HEI)])
        self.sections.append({"title": title, "articles": []})

    def _placed(self, p: Paragraph, pages: list[int]):
        self.placed.append(PlacedPara(p, pages))
        if p.lead:  # article titles are the leads without their 。
            self.sections[-1]["articles"].append(p.lead.rstrip("。"))

    def paragraph(self, p: Paragraph, lines: list[Line]):
        pages = [self.line(LEFT + l.indent, l.runs(), l.char_space()) for l in lines]
        self._placed(p, pages)

    def two_columns(self, paras: list[Paragraph]):
        """Left column first, then right; the last page's columns balanced."""
        slots = []  # (paragraph index, line)
        for i, p in enumerate(paras):
            slots += [(i, l) for l in paragraph_lines(p, COL_W)]
        pages: list[list[int]] = [[] for _ in paras]
        k = 0
        while k < len(slots):
            rows = self.rows_left()
            if rows == 0:
                self.new_page()
                continue
            remaining = len(slots) - k
            if remaining <= 2 * rows:
                n_left = math.ceil(remaining / 2)
                n_right = remaining - n_left
            else:
                n_left = n_right = rows
            y0 = self.y
            for col, n in ((0, n_left), (1, n_right)):
                x = LEFT + col * (COL_W + COL_GUTTER)
                for r in range(n):
                    i, l = slots[k]
                    self.op(TextOp(x + l.indent, y0 - r * LINE_PITCH, BODY_SIZE,
                                   l.runs(), l.char_space()))
                    pages[i].append(self.page)
                    k += 1
            self.two_column_pages.add(self.page)
            self.at_top = False
            if k < len(slots):
                self.new_page()
            else:
                self.y = y0 - n_left * LINE_PITCH
        for p, pg in zip(paras, pages):
            self._placed(p, pg)

    def table(self, caption: str, rows: list[list[str]], widths: list[float]):
        """Caption + fully ruled grid; never split: moved to a new page."""
        height = HEADING_SPACE + TABLE_CAPTION_PITCH + len(rows) * TABLE_ROW_H
        top = self.y + ASCENT * BODY_SIZE  # top of the next line's box
        if top - height < LAST_BASELINE - DESCENT * BODY_SIZE:
            self.new_page()
            top = self.y + ASCENT * BODY_SIZE
        elif not self.at_top:
            top -= HEADING_SPACE
        cap_base = top - ASCENT * TABLE_CAPTION_SIZE
        cw = width(caption, HEI, TABLE_CAPTION_SIZE)
        self.op(TextOp((PAGE_W - cw) / 2, cap_base, TABLE_CAPTION_SIZE, [(caption, HEI)]))
        t_top = top - TABLE_CAPTION_PITCH
        t_bot = t_top - len(rows) * TABLE_ROW_H
        xs = [LEFT]
        for w in widths:
            xs.append(xs[-1] + w)
        for r, row in enumerate(rows):
            mid = t_top - (r + 0.5) * TABLE_ROW_H
            base = mid - (ASCENT - DESCENT) / 2 * TABLE_SIZE  # optical centre
            font = HEI if r == 0 else SONG
            for c, cell in enumerate(row):
                w = width(cell, font, TABLE_SIZE)
                assert w <= widths[c] - 2 * TABLE_MIN_PAD + EPS, cell
                self.op(TextOp(xs[c] + (widths[c] - w) / 2, base, TABLE_SIZE, [(cell, font)]))
        for r in range(len(rows) + 1):  # horizontal rules
            y = t_top - r * TABLE_ROW_H
            outer = r in (0, len(rows))
            self.op(RuleOp(LEFT, y, RIGHT, y, TABLE_OUTER_RULE_W if outer else TABLE_RULE_W))
        for c, x in enumerate(xs):  # vertical rules
            outer = c in (0, len(xs) - 1)
            self.op(RuleOp(x, t_top, x, t_bot, TABLE_OUTER_RULE_W if outer else TABLE_RULE_W))
        self.tables.append({"page": self.page, "caption": caption, "rows": rows})
        # Continue on the grid below the table.
        while self.y + ASCENT * BODY_SIZE > t_bot - HEADING_SPACE:
            self.y -= LINE_PITCH
        self.at_top = False

    # -- end block ------------------------------------------------------------
    def end_block_ops(self, b: Bulletin) -> list:
        """The 报/发/电话 block laid out upwards from the last grid line."""
        label_w = width("报：", SONG, END_SIZE)
        rep = break_lines([("报：" + b.report_to, SONG)], END_SIZE, TEXT_W, 0.0, label_w)
        snd = break_lines([("发：" + b.send_to, SONG)], END_SIZE, TEXT_W, 0.0, label_w)
        ops = []
        y_phone = LAST_BASELINE
        ops.append(TextOp(LEFT, y_phone, END_SIZE, [(b.phone_text, SONG)]))
        ew = width(b.email_text, SONG, END_SIZE)
        ops.append(TextOp(RIGHT - ew, y_phone, END_SIZE, [(b.email_text, SONG)]))
        rule2 = y_phone + ASCENT * END_SIZE + END_RULE_GAP
        ops.append(RuleOp(LEFT, rule2, RIGHT, rule2, END_RULE_W))
        y = rule2 + DESCENT * END_SIZE + END_RULE_GAP
        for ln in reversed(rep + snd):
            ops.append(TextOp(LEFT + ln.indent, y, END_SIZE, ln.runs(), ln.char_space(END_SIZE)))
            y += END_PITCH
        rule1 = y - END_PITCH + ASCENT * END_SIZE + END_RULE_GAP
        ops.append(RuleOp(LEFT, rule1, RIGHT, rule1, END_RULE_W))
        return ops

    def end_block_fits(self, b: Bulletin) -> bool:
        top = max(o.y0 for o in self.end_block_ops(b) if isinstance(o, RuleOp))
        return self.ink_bottom - END_BLOCK_GAP >= top

    def end_block(self, b: Bulletin):
        if not self.end_block_fits(b):
            self.new_page()
        for o in self.end_block_ops(b):
            self.op(o)


# --------------------------------------------------------------------------
# Building the samples
# --------------------------------------------------------------------------
def table_rows() -> tuple[list[list[str]], list[float]]:
    rows = [list(TABLE_HEADER)]
    for name, shops, jobs, money, rate in TABLE_DATA:
        rows.append([name, str(shops), str(jobs), money, rate])
    mean = sum(Decimal(r[4]) for r in TABLE_DATA) / len(TABLE_DATA)
    rows.append([
        "合计",
        str(sum(r[1] for r in TABLE_DATA)),
        str(sum(r[2] for r in TABLE_DATA)),
        str(sum(Decimal(r[3]) for r in TABLE_DATA)),
        str(mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)),
    ])
    # Column widths: the widest cell plus padding, slack shared out evenly.
    # The five headers at 12 pt nearly fill the 448 pt measure (a dense table
    # as in real bulletins), hence the small minimum padding.
    need = [max(width(r[c], HEI if i == 0 else SONG, TABLE_SIZE) for i, r in enumerate(rows))
            + 2 * TABLE_MIN_PAD for c in range(len(TABLE_HEADER))]
    extra = (TEXT_W - sum(need)) / len(need)
    assert extra >= 0, need
    return rows, [w + extra for w in need]


def layout(b: Bulletin, body: list, with_table=False, two_columns=False) -> Flow:
    """body: list of ("heading", title) / ("para", Paragraph) items."""
    f = Flow()
    f.masthead(b)
    cache: dict[int, list[Line]] = {}
    i = 0
    while i < len(body):
        kind, item = body[i]
        if kind == "heading":
            f.heading(item)
            i += 1
            if two_columns and item == TWO_COLUMN_SECTION:
                j = i
                while j < len(body) and body[j][0] == "para":
                    j += 1
                f.two_columns([p for _, p in body[i:j]])
                i = j
            continue
        f.paragraph(item, cache.setdefault(id(item), paragraph_lines(item, TEXT_W)))
        i += 1
        nxt = body[i] if i < len(body) else None
        if with_table and item.section == TABLE_SECTION and (nxt is None or nxt[0] == "heading"):
            f.table(TABLE_CAPTION, *table_rows())
    f.end_block(b)
    return f


def body_items(b: Bulletin) -> list:
    items = []
    for sec in b.sections:
        items.append(("heading", sec.title))
        items += [("para", p) for p in sec.paragraphs]
    return items


def bench_items(b: Bulletin, pages: int) -> list:
    """Cycle the body until the bulletin (with its end block) is `pages` long."""
    once = body_items(b)
    f = Flow()
    f.masthead(b)
    best = None
    n = 0
    while f.page <= pages:
        kind, item = once[n % len(once)]
        if kind == "heading":
            f.heading(item)
        else:
            f.paragraph(item, paragraph_lines(item, TEXT_W))
            total = f.page + (0 if f.end_block_fits(b) else 1)
            if total == pages:
                best = n + 1
        n += 1
    if best is None:
        raise SystemExit(f"cannot fill exactly {pages} pages")
    return [once[k % len(once)] for k in range(best)]


def render(f: Flow, path: Path) -> None:
    c = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(path.stem)
    c.setAuthor("")
    c.setSubject("")
    for n, ops in enumerate(f.pages, start=1):
        for o in ops:
            if isinstance(o, RuleOp):
                c.setStrokeColorRGB(*o.color)
                c.setLineWidth(o.w)
                c.line(o.x0, o.y0, o.x1, o.y1)
                continue
            # Text render mode and colours are graphics state that outlives
            # BT/ET, so each text line is drawn inside save/restore.
            c.saveState()
            c.setFillColorRGB(*o.color)
            t = c.beginText(o.x, o.y)
            if o.stroke:
                c.setStrokeColorRGB(*o.color)
                c.setLineWidth(o.stroke)
                t.setTextRenderMode(2)  # fill + stroke
            t.setCharSpace(o.char_space)
            for text, font in o.runs:
                t.setFont(font, o.size)
                t.textOut(text)
            c.drawText(t)
            c.restoreState()
        if n > 1:
            text = footer_text(n)
            c.setFillColorRGB(0, 0, 0)
            c.setFont(SONG, FOOTER_SIZE)
            if n % 2:
                c.drawRightString(RIGHT, FOOTER_BASELINE, text)
            else:
                c.drawString(LEFT, FOOTER_BASELINE, text)
        c.showPage()
    c.save()


def footer_text(n: int) -> str:
    return f"— {n} —"


def truth(b: Bulletin, f: Flow, name: str, scanned=False) -> dict:
    doc = {
        "file": name,
        "pages": f.page,
        "scanned": scanned,
        "metadata": {
            "title": BULLETIN_TITLE,
            "issue_number": ISSUE_NUMBER,
            "issuer": b.issuer,
            "issue_date": b.issue_date,
            "sections": f.sections,
            "report_to": split_recipients(b.report_to),
            "send_to": split_recipients(b.send_to),
            "phone": b.phone_text.split("：", 1)[1],
            "email": b.email_text.split("：", 1)[1],
        },
        "paragraphs": [
            {"section": pp.para.section, "text": pp.para.text, "lead": pp.para.lead,
             "page_start": min(pp.pages), "page_end": max(pp.pages)}
            for pp in f.placed
        ],
        "footers": [{"page": n, "text": footer_text(n)} for n in range(2, f.page + 1)],
    }
    if f.tables:
        doc["tables"] = f.tables
    if f.two_column_pages:
        doc["two_column_pages"] = sorted(f.two_column_pages)
    return doc


# --------------------------------------------------------------------------
# Scanned copy (sample c)
# --------------------------------------------------------------------------
def scan_pdf(src: Path, dst: Path) -> None:
    """Render `src`, make each page look scanned, write an image-only PDF."""
    rng = np.random.default_rng(SCAN_SEED)
    angles = random.Random(SCAN_SEED)
    pdf = pdfium.PdfDocument(str(src))
    c = Canvas(str(dst), pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(dst.stem)
    c.setAuthor("")
    c.setSubject("")
    try:
        for i in range(len(pdf)):
            img = pdf[i].render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
            angle = angles.uniform(*SCAN_ANGLE_RANGE) * angles.choice((-1, 1))
            img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
            a = np.asarray(img, dtype=np.float32)
            # Map white->paper grey and black->ink grey, then sensor noise.
            a = SCAN_PAPER - (255.0 - a) * (SCAN_PAPER - SCAN_INK) / 255.0
            a += rng.normal(0.0, SCAN_NOISE_SIGMA, a.shape)
            h, w = a.shape
            yy, xx = np.ogrid[:h, :w]
            for _ in range(int(rng.integers(SCAN_SPECKS[0], SCAN_SPECKS[1] + 1))):
                cy, cx = int(rng.integers(0, h)), int(rng.integers(0, w))
                r = rng.uniform(0.8, 2.5)  # dust: small round dark dots
                a[(yy - cy) ** 2 + (xx - cx) ** 2 <= r * r] = rng.uniform(40, 140)
            out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")
            buf = io.BytesIO()
            out.save(buf, "JPEG", quality=SCAN_JPEG_QUALITY, optimize=True)
            buf.seek(0)
            # A JPEG ImageReader is embedded as-is (DCTDecode), not re-encoded.
            c.drawImage(ImageReader(buf), 0, 0, PAGE_W, PAGE_H)
            c.showPage()
    finally:
        pdf.close()
    c.save()


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------
def write_truth(doc: dict, path: Path) -> None:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def check_text_layer(path: Path, doc: dict) -> None:
    """Sanity check: page count, and every typeset line is in the text layer."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        assert len(pdf) == doc["pages"], (path, len(pdf), doc["pages"])
        # Drop each page's footer so paragraphs running across pages join up.
        text = "".join(re.sub(r"—\s*\d+\s*—\s*$", "", pdf[i].get_textpage().get_text_range())
                       for i in range(len(pdf)))
    finally:
        pdf.close()
    flat = re.sub(r"\s+", "", text)
    for p in doc["paragraphs"]:
        assert re.sub(r"\s+", "", p["text"]) in flat, p["text"][:30]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", nargs="?", default=str(DEFAULT_SOURCE),
                    help="text layer of the bulletin (default: %(default)s)")
    args = ap.parse_args(argv)
    b = parse_source(Path(args.source).read_text(encoding="utf-8"))

    with tempfile.TemporaryDirectory() as tmp:
        register_fonts(Path(tmp))
        # Fail loudly rather than typeset .notdef boxes (tofu).
        paras = [p for s in b.sections for p in s.paragraphs]
        check_glyphs("".join(p.text for p in paras) + b.report_to + b.send_to + b.issuer
                     + b.date_text + b.phone_text + b.email_text + BULLETIN_TITLE
                     + ISSUE_LABEL + footer_text(1234567890)
                     + "".join(sum(table_rows()[0], [])), SONG)
        check_glyphs("".join(p.lead or "" for p in paras) + "".join(s.title for s in b.sections)
                     + "【】" + TABLE_CAPTION + "".join(TABLE_HEADER), HEI)

        body = body_items(b)
        samples = {
            "a": layout(b, body),
            "b": layout(b, body, with_table=True, two_columns=True),
            "d": layout(b, bench_items(b, BENCH_PAGES)),
        }
        assert samples["d"].page == BENCH_PAGES
        for key, flow in samples.items():
            pdf_path = SAMPLES_DIR / f"bulletin-{key}.pdf"
            render(flow, pdf_path)
            doc = truth(b, flow, pdf_path.name)
            check_text_layer(pdf_path, doc)
            write_truth(doc, SAMPLES_DIR / f"bulletin-{key}.truth.json")
            if key == "b":
                scan_pdf(pdf_path, SAMPLES_DIR / "bulletin-c.pdf")
                doc_c = dict(doc, file="bulletin-c.pdf", scanned=True)
                write_truth(doc_c, SAMPLES_DIR / "bulletin-c.truth.json")
        make_formats.write_ofd(samples["a"], SAMPLES_DIR / "bulletin-a.ofd", page_w=PAGE_W, page_h=PAGE_H,
                               text_op=TextOp, rule_op=RuleOp, width=width, fonts={SONG: "宋体", HEI: "黑体"},
                               footer=footer_text, footer_size=FOOTER_SIZE, footer_baseline=FOOTER_BASELINE,
                               left=LEFT, right=RIGHT)
    make_formats.write_docx(b, body, SAMPLES_DIR / "bulletin-b.docx", title=BULLETIN_TITLE, issue_label=ISSUE_LABEL,
                            table_section=TABLE_SECTION, table_caption=TABLE_CAPTION, table_rows=table_rows()[0])
    make_formats.write_html(b, body, SAMPLES_DIR / "bulletin-a.html", title=f"{BULLETIN_TITLE}（{ISSUE_LABEL.replace(' ', '')}）")
    make_formats.write_photo(SAMPLES_DIR / "bulletin-a.pdf", SAMPLES_DIR / "bulletin-a.jpg")
    make_formats.write_tiff(SAMPLES_DIR / "bulletin-a.pdf", SAMPLES_DIR / "bulletin-a.tif")
    for path in sorted(SAMPLES_DIR.glob("bulletin-*.*")):
        if not path.name.endswith(".json"):
            print(f"{path.relative_to(REPO_ROOT)}: {path.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main(sys.argv[1:])
