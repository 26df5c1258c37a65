"""Synthetic bulletins shaped like real ones, built with the shared models, for the store's tests
and benchmarks: real ``Extraction`` objects whose figures, dates and entities point into their text
(offsets, pages and sentences as the extractor gives them), with places coded as in the gazetteer.

    x = synthetic_extraction(7, figures=200, seed=1)     # document 7, 200 figures
    distinct_pdf(pdf_bytes, 3)                           # the same PDF with another sha256
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from models import (Block, BlockKind, DateMention, DatePrecision, Document, DocumentStatus, Entity, EntityType,
                    Extraction, Figure, FigureKind, Metadata, PageInfo, Section)

# (name, code): a city and its counties, a town, and another city for contrast.
PLACES = [
    ("邵阳市", "4305"), ("新邵县", "430522"), ("邵阳县", "430523"), ("隆回县", "430524"), ("武冈市", "430581"),
    ("北塔区", "430511"), ("大祥区", "430503"), ("城步苗族自治县", "430529"), ("坪上镇", "430522106"),
    ("长沙市", "4301"), ("浏阳市", "430181"), ("岳麓区", "430104"),
]
# (subject, unit, kind, low, high, verb)
MEASURES = [
    ("城镇新增就业", "人", "people", 100, 50_000, "实现"),
    ("农村劳动力转移就业", "人", "people", 100, 30_000, "新增"),
    ("职业技能培训", "人次", "people", 50, 20_000, "开展"),
    ("民生实事项目资金", "元", "money", 1e5, 5e9, "下达"),
    ("困难老年人适老化改造", "户", "count", 10, 5_000, "完成"),
    ("中小学校安全建设项目", "个", "count", 1, 300, "开工"),
    ("养老服务设施建设任务完成率", "%", "percent", 10, 100, "达"),
    ("农村道路提质改造", "公里", "length", 1, 800, "完成"),
    ("两癌免费检查", "人", "people", 100, 60_000, "完成"),
    ("困境儿童基本生活保障金", "元", "money", 1e4, 5e7, "发放"),
    ("城乡居民医保参保率", "%", "percent", 80, 100, "达"),
    ("保障性租赁住房", "套", "count", 10, 10_000, "筹集"),
    ("高标准农田建设", "亩", "area", 100, 200_000, "建成"),
]
QUALIFIERS = [None, None, None, "累计", "约", "超过", "同比增长"]
PEOPLE = [("王永红", "市委常委、常务副市长"), ("蒋伟", "副市长"), ("李明", "县长")]
ORGS = ["市人社局", "市民政局", "市教育局", "市卫生健康委", "市住房城乡建设局"]


def _format_value(value: float, unit: str) -> str:
    if unit in ("%",):
        return f"{value:.1f}"
    if value >= 1e8:
        return f"{value / 1e8:.2f}亿"
    if value >= 1e4:
        return f"{value / 1e4:.2f}万"
    return f"{int(value)}"


def synthetic_extraction(doc_no: int, *, figures: int = 50, seed: int | None = None,
                         issue_date: dt.date | None = None, pages: int = 10, mentions: bool | float = True) -> Extraction:
    """A bulletin with ``figures`` figures (one sentence each), and (``mentions``) their dates and entities;
    ``mentions`` a share (0.2): that share of the figures, chosen at random, has them."""
    rng = random.Random(seed if seed is not None else doc_no)
    issue_date = issue_date or dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(0, 3 * 365))
    parts: list[str] = []
    blocks: list[Block] = []
    figure_rows: list[Figure] = []
    date_rows: list[DateMention] = []
    entity_rows: list[Entity] = []
    offset = 0
    per_page = max(1, -(-figures // pages))

    def add(text: str, kind: BlockKind, page: int) -> int:
        nonlocal offset
        if parts:
            parts.append("\n")
            offset += 1
        start = offset
        parts.append(text)
        offset += len(text)
        blocks.append(Block(id=len(blocks), kind=kind, section="区县动态", text=text, page_start=page, page_end=page,
                            start=start, end=offset))
        return start

    add("重点民生实事工作简报", BlockKind.masthead, 1)
    add("【区县动态】", BlockKind.section_heading, 1)
    for i in range(figures):
        page = min(pages, 1 + i // per_page)
        place, code = rng.choice(PLACES)
        subject, unit, kind, lo, hi, verb = rng.choice(MEASURES)
        value = round(rng.uniform(lo, hi), 1 if unit == "%" else 0)
        qualifier = rng.choice(QUALIFIERS)
        month = rng.randint(1, issue_date.month)
        as_of = dt.date(issue_date.year, month, 1) + dt.timedelta(days=rng.randrange(0, 28))
        date_text = f"截至{as_of.month}月{as_of.day}日"
        number_text = f"{qualifier or ''}{_format_value(value, unit)}{unit}"
        org = rng.choice(ORGS)
        person, title = rng.choice(PEOPLE)
        lead = f"{date_text}，{place}{subject}{verb}"
        sentence = f"{lead}{number_text}，{org}{title}{person}表示将持续推进。"
        start = add(sentence, BlockKind.paragraph, page)
        fig_start = start + len(lead) + len(qualifier or "")
        fig_end = start + len(lead) + len(number_text)
        figure_rows.append(Figure(
            text=sentence[fig_start - start:fig_end - start], page=page, start=fig_start, end=fig_end,
            sentence=sentence, value=value, unit=unit, kind=FigureKind(kind), qualifier=qualifier,
            subject=subject, place=place, place_code=code, as_of=as_of, is_total=rng.random() < 0.1))
        if not mentions or (mentions is not True and rng.random() >= mentions):
            continue
        date_rows.append(DateMention(
            text=date_text[2:], page=page, start=start + 2, end=start + len(date_text), sentence=sentence,
            value=as_of.isoformat(), precision=DatePrecision.day, start_date=as_of, end_date=as_of,
            year_inferred=True))
        p_start = start + len(date_text) + 1
        entity_rows.append(Entity(text=place, page=page, start=p_start, end=p_start + len(place), sentence=sentence,
                                  type=EntityType.PLACE, normalized=place, code=code))
        o_start = start + sentence.index(org)
        entity_rows.append(Entity(text=org, page=page, start=o_start, end=o_start + len(org), sentence=sentence,
                                  type=EntityType.ORG, normalized=org))
        n_start = start + sentence.index(person)
        entity_rows.append(Entity(text=person, page=page, start=n_start, end=n_start + len(person),
                                  sentence=sentence, type=EntityType.PERSON, normalized=person, title=title))
    text = "".join(parts)
    sha = hashlib.sha256(f"synthetic-{doc_no}-{seed}".encode()).hexdigest()
    meta = Metadata(title="重点民生实事工作简报", issue_number=doc_no, issuer="邵阳市打好重点民生保障仗工作专班",
                    issue_date=issue_date, sections=[Section(title="区县动态", page=1, start=0, end=len(text))])
    page_infos = [PageInfo(page=p, width=595.0, height=842.0, start=0, end=len(text), has_text=True)
                  for p in range(1, pages + 1)]
    return Extraction(document=Document(sha256=sha, file_name=f"synthetic-{doc_no}.pdf", page_count=pages,
                                        status=DocumentStatus.ok, metadata=meta, extractor_version="synthetic"),
                      pages=page_infos, text=text, blocks=blocks, tables=[], furniture=[], figures=figure_rows,
                      dates=date_rows, entities=entity_rows)


def distinct_pdf(data: bytes, n: int) -> bytes:
    """The same PDF with a different sha256: a comment and a repeated end marker appended (what an
    incremental save leaves), which PDF readers ignore."""
    return data.rstrip(b"\r\n") + f"\n% copy {n}\n%%EOF\n".encode()


def fill_store(db, documents: int = 3, figures: int = 40) -> list[Extraction]:
    """Store ``documents`` synthetic bulletins (seeds 1…n) in the database file ``db``; returns them."""
    from service.store import Store

    docs = [synthetic_extraction(n, figures=figures, seed=n) for n in range(1, documents + 1)]
    with Store.open(db) as store:
        for x in docs:
            store.save_extraction(x)
    return docs
