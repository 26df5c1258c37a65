"""The entity rules' word lists (``extractor/data/*.jsonl``, one object a line, stable ids)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from extractor import ner_features
from extractor.lexicon import read_jsonl


@dataclass(frozen=True)
class OrgBody:
    id: str
    full: str
    short: tuple[str, ...]
    kind: str
    normalized: str | None


@cache
def org_bodies() -> dict[str, OrgBody]:
    """Every written form (full and short) → its body."""
    out: dict[str, OrgBody] = {}
    for row in read_jsonl("org_bodies.jsonl"):
        body = OrgBody(row["id"], row["full"], tuple(row.get("short", [])), row["kind"], row.get("normalized"))
        for form in (body.full, *body.short):
            out.setdefault(form, body)
            # A bureau's branch is named the same way: 自然资源局 → 自然资源分局, 公安局 → 公安分局.
            if body.kind == "department" and form.endswith("局") and len(form) >= 3:
                out.setdefault(form[:-1] + "分局", body)
    return out


HEAD_KINDS = {"party", "government", "congress", "cppcc", "discipline"}


@cache
def surnames() -> tuple[frozenset[str], tuple[str, ...]]:
    single: set[str] = set()
    compound: list[str] = []
    for row in read_jsonl("surnames.jsonl"):
        single.update(row.get("single", ""))
        compound.extend(row.get("compound", []))
    return frozenset(single), tuple(compound)


@cache
def person_titles() -> tuple[str, ...]:
    return tuple(sorted((r["text"] for r in read_jsonl("person_titles.jsonl")), key=len, reverse=True))


@cache
def person_ranks() -> tuple[str, ...]:
    return tuple(sorted((r["text"] for r in read_jsonl("person_ranks.jsonl")), key=len, reverse=True))


@cache
def org_suffixes() -> dict[str, bool]:
    """Institution endings → whether the place stays in the name (keep_place)."""
    return {r["text"]: r["keep_place"] for r in read_jsonl("org_suffixes.jsonl")}


@cache
def company_suffixes() -> frozenset[str]:
    """The endings of a company's or co-operative's registered name (…有限公司, …集团, …合作社)."""
    return frozenset(r["text"] for r in read_jsonl("org_suffixes.jsonl") if r["id"].startswith("suffix.company."))


@cache
def generic_words() -> frozenset[str]:
    return frozenset(r["text"] for r in read_jsonl("generic_words.jsonl"))


@cache
def province_abbreviations() -> frozenset[str]:
    """The one-character names of the 34 province-level divisions (苏 江苏, 陕 陕西, 琼 海南)."""
    return frozenset(c for r in read_jsonl("provinces.jsonl") for c in r["abbreviation"])


@cache
def transliteration_chars() -> frozenset[str]:
    return frozenset(read_jsonl("transliteration.jsonl")[0]["chars"])


def is_transliterated(text: str) -> bool:
    """A foreign name (克林顿, 俄罗斯, 迈克尔·托马肖): three characters or more, all of the
    transliteration set, and no word of jieba's dictionary unless a name (nr*, ns*: jieba tags
    foreign names either way, 伊拉克 nrt, 莫斯科 nr)."""
    chars = transliteration_chars()
    if len(text) < 3 or not all(c in chars for c in text):
        return False
    words = ner_features.feature_segmenter()
    return not words.is_word(text) or words.tag(text)[:2] in ("nr", "ns")


@cache
def industry_words() -> tuple[str, ...]:
    """The trade a company's short name ends in: 信托 (山西信托), 航空 (山东航空)."""
    return tuple(r["text"] for r in read_jsonl("industry_words.jsonl"))
