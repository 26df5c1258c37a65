"""A bulletin's metadata: masthead (name, 第N期, issuer, date), sections, articles, 报/发, contact.

A 工作简报 opens with a masthead: the bulletin's name in large (often red) type, the
issue number (第5期), and one line with the issuing body and the date
(邵阳市打好重点民生保障仗工作专班          2023年5月24日), over a red rule. It
closes with the recipients (报：…，发：…) and a contact line (电话：… 邮箱：…).

Word lists as data: ``data/issuer_endings.jsonl`` (how an issuing body's name ends: …人民政府办公室,
…地区行政公署, …管委会, …办事处; or a newspaper's, site's, media centre's: …日报, …网, …融媒体中心)
and ``data/bulletin_names.jsonl`` (the closed list an OCR'd name is corrected to: 政务信言息 → 政务信息).
Every function here takes plain text lines, so any input format (PDF, Word, OFD, HTML) can use them.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from extractor.lexicon import read_jsonl
from extractor.numbers import parse_chinese_integer
from models import Metadata, Section

_CN_DIGIT = "〇零一二三四五六七八九十"
# 2023年5月24日, 二〇二三年五月二十四日, 2023-05-24, 2023.5.24, 2023/5/24
FULL_DATE = re.compile(
    rf"(?P<y>\d{{4}}|[{_CN_DIGIT}]{{4}})\s*年\s*(?P<m>\d{{1,2}}|[{_CN_DIGIT}]{{1,3}})\s*月\s*(?P<d>\d{{1,2}}|[{_CN_DIGIT}]{{1,3}})\s*日"
    r"|(?P<y2>\d{4})\s*[-./／]\s*(?P<m2>\d{1,2})\s*[-./／]\s*(?P<d2>\d{1,2})(?!\d)"
    r"|(?<![\d.])(?P<d3>\d{1,2})\.(?P<m3>\d{1,2})\.(?P<y3>\d{4})(?![\d.])"  # 27.11.2014, day first
)
ISSUE_NUMBER = re.compile(r"[（(]?\s*(?:总)?第\s*(?P<n>\d{1,4}|[〇零一二两三四五六七八九十百]{1,6})\s*期\s*[）)]?"
                          r"|(?P<paper>\d{1,5})\s*期(?=\s*[/／|｜]?\s*第?\s*\d{1,3}\s*版)")
# A newspaper's page beside its issue number: 2031期/第3版, 当前版:02版
PAPER_PAGE = re.compile(r"[/／|｜]?\s*(?:当前版\s*[:：]?\s*)?第?\s*\d{1,3}\s*版")
ISSUER_NOISE = re.compile(r"^(?:主办|编印|编发|主编|印发|主办单位|编印单位)\s*[:：]?|(?:编印|编发|主办|印发|编)$")
# A labelled issuer on a web page's byline: 信息来源: 杜集区民生办发布时间:2010-11-23
# or a government site's table of fields: 公开责任部门 | 紫阳县政府办公室 |
ISSUER_LABEL = re.compile(r"(?:来源|发布单位|发布机构|发布机关|主办单位|编印单位|发文机关|公开责任部门|责任部门)"
                          r"\s*[:：|｜]\s*(?P<name>[^\s:：|｜]+)")
# A label that opens a byline field (信息来源:, 本文来源:), not one inside a sentence (资金来源：县财政).
LABEL_START = re.compile(r"(?:^|(?<=[\s|｜]))(?:信息|本文|新闻|文章)?(?=来源|发布|主办|编印|发文|公开责任|责任部门)")
TRAILING_LABEL = re.compile(r"(?:发布时间|发布日期|日期|时间|作者|浏览次数)\s*[:：]?\s*$")
BULLETIN_NAME = re.compile(r"(?:简报|通报|专报|快报|信息|动态|要情|督查|督察|工作|情况|参阅|周报|月报)")
PHONE = re.compile(r"(?<!\d)(?:0\d{2,3}[-－—\s]?)?\d{7,8}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
LIST_SPLIT = re.compile(r"[，、,；;]")


def parse_full_date(text: str) -> tuple[dt.date, re.Match] | None:
    """The first complete date in ``text``: 2023年5月24日 → 2023-05-24."""
    for m in FULL_DATE.finditer(text):
        y, mo, d = next((m.group("y" + k), m.group("m" + k), m.group("d" + k)) for k in ("", "2", "3") if m.group("y" + k))
        try:
            year = int(y) if y.isdigit() else parse_chinese_integer(y)  # 二〇二三 → 2023
            month = int(mo) if mo.isdigit() else parse_chinese_integer(mo)
            day = int(d) if d.isdigit() else parse_chinese_integer(d)
            return dt.date(year, month, day), m
        except (TypeError, ValueError):
            continue
    return None


@cache
def issuer_endings(kind: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(ending, exceptions) of ``data/issuer_endings.jsonl``: ``government`` bodies (…工作专班,
    …人民政府办公室, …地区行政公署, …管委会, …办事处) or ``media`` (…日报, …网, …融媒体中心)."""
    return tuple((ending, tuple(row.get("except", ()))) for row in read_jsonl("issuer_endings.jsonl")
                 if row["kind"] == kind for ending in row["endings"])


def _ends_as(name: str, kind: str) -> bool:
    return any(name.endswith(ending) and len(name) > len(ending) and not name.endswith(exceptions)
               for ending, exceptions in issuer_endings(kind))


@cache
def bulletin_names() -> frozenset[str]:
    """The closed list of bulletin names (工作简报, 政务信息, 督查通报 …) of ``data/bulletin_names.jsonl``."""
    return frozenset(name for row in read_jsonl("bulletin_names.jsonl") for name in row["names"])


def _one_edit_apart(a: str, b: str) -> bool:
    """One insertion, deletion or substitution turns ``a`` into ``b`` (政务信言息 → 政务信息)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))


def correct_bulletin_name(title: str) -> str:
    """An OCR'd bulletin name corrected to the one name of the closed list it is one character away
    from, at the title's end (邵阳市政务信言息 → 邵阳市政务信息); else the title as it is."""
    names = bulletin_names()
    if any(title.endswith(name) for name in names):
        return title
    found = set()
    for name in names:
        for size in (len(name) - 1, len(name), len(name) + 1):
            if 2 <= size <= len(title) and _one_edit_apart(title[-size:], name):
                found.add((title[:-size], name))
    return "".join(found.pop()) if len(found) == 1 else title


def read_masthead(lines: list[tuple[str, float]]) -> dict:
    """Name, issue number, issuer and date from the masthead's lines (text, font size).

    The issuer is a government body when a line names one (…人民政府办公室, …地区行政公署,
    …管委会, …办事处), else the newspaper, website or media centre the masthead names (…日报,
    …网, …融媒体中心). An OCR'd name one character off the closed list is corrected (政务信言息)."""
    found: dict = {"title": None, "issue_number": None, "issuer": None, "issue_date": None}
    rest: list[tuple[str, float]] = []
    for text, size in lines:
        text = text.strip()
        m = ISSUE_NUMBER.search(text)
        if m and found["issue_number"] is None:
            n = m.group("n") or m.group("paper")
            found["issue_number"] = int(n) if n.isdigit() else parse_chinese_integer(n)
            text = (text[:m.start()] + " " + text[m.end():]).strip()
        text = PAPER_PAGE.sub(" ", text).strip()
        date = parse_full_date(text)
        if date and found["issue_date"] is None:
            found["issue_date"] = date[0]
            text = (text[:date[1].start()] + " " + text[date[1].end():]).strip()
        if text:
            rest.append((text, size))
    for kind in ("government", "media"):
        found["issuer"] = found["issuer"] or next((n for t, _ in rest if (n := issuer_name(t, (kind,)))), None)
    titles = [(size, text) for text, size in rest if text != found["issuer"] and BULLETIN_NAME.search(text)]
    if not titles:
        titles = [(size, text) for text, size in rest if text != found["issuer"]]
    if titles:
        found["title"] = correct_bulletin_name(re.sub(r"\s+", "", max(titles, key=lambda t: t[0])[1]))
    return found


def issuer_name(text: str, kinds: tuple[str, ...] = ("government", "media")) -> str | None:
    """The issuing body in a masthead, byline or signature line, if the line names one of ``kinds``:
    新安县人民政府办公室, 来源:星沙时报 → 星沙时报; not a bulletin's name (工作简报)."""
    labelled = ISSUER_LABEL.search(text)
    name = labelled.group("name") if labelled else text
    name = TRAILING_LABEL.sub("", ISSUER_NOISE.sub("", name.strip())).strip()
    if len(name) > 40 or BULLETIN_NAME.search(name[-2:]) or name in bulletin_names():
        return None
    return name if any(_ends_as(name, kind) for kind in kinds) else None


# A web page's labelled dates, the publication date first: 公开日期: | 2022年09月15日
DATE_LABELS = ("公开日期", "发布日期", "发布时间", "印发日期", "日期", "成文日期")
DATE_LABEL = re.compile(rf"(?P<label>{'|'.join(DATE_LABELS)})\s*[:：|]*\s*")


def read_labelled_date(texts: list[str]) -> dt.date | None:
    """The publication date a web page's header states, for bulletins without a masthead date."""
    found: dict[str, dt.date] = {}
    for text in texts:
        for m in DATE_LABEL.finditer(text):
            date = parse_full_date(text[m.end():m.end() + 20])
            if date and date[1].start() == 0:
                found.setdefault(m.group("label"), date[0])
    return next((found[label] for label in DATE_LABELS if label in found), None)


# The attachments (附件1, 附件：) after a signature: 附件1 / 经济社会发展…情况表 / | 1 | …
ATTACHMENT_HEADING = re.compile(r"^\s*附件\s*[0-9一二三四五六七八九十]*\s*[:：]?\s*$")


def before_attachments(texts: list[str]) -> list[str]:
    """The lines before the first attachment heading (附件1 on a line of its own), where a
    bulletin's signature stands when attachments follow it."""
    cut = next((i for i, text in enumerate(texts) if ATTACHMENT_HEADING.match(text)), len(texts))
    return texts[:cut]


def read_labelled_issuer(texts: list[str]) -> str | None:
    """The issuer a web page's header names (来源:星沙时报, 公开责任部门 | 紫阳县政府办公室), a
    government body before a newspaper or site, for bulletins whose masthead names none."""
    for kind in ("government", "media"):
        for text in texts:
            for m in LABEL_START.finditer(text):
                labelled = ISSUER_LABEL.match(text, m.end())
                if labelled and (name := issuer_name(labelled.group(0), (kind,))):
                    return name
    return None


def read_signature(texts: list[str]) -> tuple[str | None, dt.date | None]:
    """Issuer and date from a closing signature (落款), for bulletins without a masthead date:

        万州区发展和改革委员会
        2025年4月11日
    """
    for i in range(len(texts) - 1, -1, -1):
        text = texts[i].strip()
        found = parse_full_date(text)
        if found and len(text) - len(found[1].group(0)) <= 4:
            before = text[:found[1].start()].strip() or (texts[i - 1].strip() if i else "")
            return issuer_name(before) if before else None, found[0]
        if found and found[1].end() == len(text) and (issuer := _signature_at_end(text[:found[1].start()])):
            return issuer, found[0]  # …情况表重庆市沙坪坝区人民政府督查办2021年4月8日: run into the lines above
    return None, None


def _signature_at_end(text: str) -> str | None:
    """The issuing body at the end of ``text`` that begins with a place's name (重庆市沙坪坝区…督查办),
    for a signature run into the lines before it."""
    from extractor.gazetteer import gazetteer  # loaded only for such a signature

    tail = text[-40:]
    tail = tail[max((tail.rfind(c) for c in "。；;！？，,：:|｜"), default=-1) + 1:]
    for start, _, _ in gazetteer().find_in(tail):
        if name := issuer_name(tail[start:], ("government",)):
            return name
    return None


def split_recipients(text: str) -> list[str]:
    """报：省…专班，市委、市人大 → [省…专班, 市委, 市人大]."""
    body = re.sub(r"^[^:：]{1,4}[:：]", "", text.strip())
    items = [item.strip().rstrip("。.").strip() for item in LIST_SPLIT.split(body)]
    return [item for item in items if item]


def read_contact(text: str) -> tuple[str | None, str | None]:
    email = EMAIL.search(text)
    without_email = EMAIL.sub(" ", text)
    phone = PHONE.search(without_email)
    return (phone.group(0).strip() if phone else None, email.group(0) if email else None)


def build_metadata(masthead: dict, sections: list[Section], report_to: list[str], send_to: list[str],
                   phone: str | None, email: str | None) -> Metadata:
    return Metadata(title=masthead.get("title"), issue_number=masthead.get("issue_number"),
                    issuer=masthead.get("issuer"), issue_date=masthead.get("issue_date"),
                    sections=sections, report_to=report_to, send_to=send_to, phone=phone, email=email)


def article_title(lead: str) -> str:
    """An article's title from its bold lead: 市人社局：坚持“三向发力”…。 → without the final 。"""
    return lead.strip().rstrip("。.：:").strip()

