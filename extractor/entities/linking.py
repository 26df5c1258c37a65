"""Over the whole document: paragraphs through the pipeline, then names found once found
everywhere, surname+title references linked, places resolved and short forms expanded."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Callable

from extractor.entities.area import Area, document_area
from extractor.entities.model import entity_pipeline
from extractor.entities.persons import ADDRESS_TITLES, NAME_STOP, is_surname_start
from extractor.entities.places import resolve_place
from extractor.entities.spans import SENTENCE_END, alternation, is_han
from extractor.entities.wordlists import org_bodies, surnames
from extractor.gazetteer import Place, gazetteer
from extractor.lexicon import read_jsonl

if TYPE_CHECKING:
    from models import Entity


def _paragraphs(text: str, blocks=None) -> list[tuple[int, int]]:
    if blocks:
        return [(b.start, b.end) for b in blocks if b.end > b.start]
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _sentence(text: str, start: int, end: int) -> str:
    s = start
    while s > 0 and text[s - 1] not in SENTENCE_END:
        s -= 1
    e = end
    while e < len(text) and text[e] not in SENTENCE_END:
        e += 1
    if e < len(text) and text[e] != "\n":
        e += 1
    return text[s:e].strip()


@dataclass
class _Found:
    type: str
    start: int
    end: int
    text: str
    info: dict


def _run(text: str, area: Area, blocks=None) -> list[_Found]:
    nlp = entity_pipeline()
    spans = _paragraphs(text, blocks)
    docs = []
    for a, b in spans:
        doc = nlp.make_doc(text[a:b])
        doc.user_data["text"] = text[a:b]
        doc.user_data["bulletin_area"] = area
        docs.append(doc)
    found: list[_Found] = []
    for (a, _), doc in zip(spans, nlp.pipe(docs, batch_size=64)):
        for s in doc.spans["entities"]:
            found.append(_Found(s.label_, a + s.start_char, a + s.end_char, s.text, dict(s._.entity_info or {})))
    return found


def find_entities(text: str, *, issue_date: dt.date | None = None, city: str | None = None,
                  county: str | None = None, page_of: Callable[[int], int] = lambda o: 1,
                  blocks=None) -> list[Entity]:
    """Persons, places and organisations in a bulletin's clean text, one Entity per mention.

    ``city``/``county`` name the bulletin's area when known (from its issuer); otherwise it is
    inferred from the places the text names. ``blocks`` (the Extraction's) give the paragraphs;
    without them the text is split at newlines. ``issue_date`` is accepted for a uniform call with
    the other finders (names of divisions are not dated here).
    """
    if not text.strip():
        return []
    area = document_area(text, city, county)
    found = _run(text, area, blocks)
    found = _place_chains(found)
    found = _propagate_names(text, found)
    found += _surname_title_references(text, found)
    found = _without_set_phrase_places(text, found)
    mentioned = Counter()
    gaz = gazetteer()
    for f in found:
        if f.type == "PLACE" and f.info.get("rule") == "gazetteer":
            places = gaz.lookup(f.text)
            if len(places) == 1:
                for p in [places[0], *gaz.parents(places[0])]:
                    mentioned[p.code] += 1
    # A person's title found once goes with every mention of the name (王永红强调 after 常务副市长王永红).
    titles: dict[str, str] = {}
    for f in found:
        if f.type == "PERSON" and f.info.get("title") and f.info.get("rule") != "surname_title":
            titles.setdefault(f.text, f.info["title"])
    for f in found:
        if f.type == "PERSON" and not f.info.get("title") and f.text in titles:
            f.info["title"] = titles[f.text]
    entities = []
    for f in sorted(found, key=lambda f: (f.start, -f.end)):
        entities.append(_entity(text, f, area, mentioned, page_of))
    return entities


@cache
def set_phrases() -> tuple[str, ...]:
    return tuple(r["text"] for r in read_jsonl("set_phrases.jsonl"))


def _without_set_phrase_places(text: str, found: list[_Found]) -> list[_Found]:
    """中国 in 中国特色社会主义, 中国式现代化: a place that begins a set political phrase names no
    place in a bulletin (data/set_phrases.jsonl). News corpora label it; ``tag-entities`` keeps it."""
    phrases = set_phrases()
    return [f for f in found if not (f.type == "PLACE" and text.startswith(phrases, f.start)
                                     and any(p.startswith(f.text) for p in phrases))]


# A place written under its parent is one place as well as two (南京市浦口区, 重庆市沙坪坝区): a
# province or city, then a city or county of it; not a county and its township (新邵县坪上镇).
CHAIN_PARENT_LEVELS = ("province", "city")
CHAIN_CHILD_LEVELS = ("city", "county")


def _place_chains(found: list[_Found]) -> list[_Found]:
    """Chains of places as bulletins' answer keys write them.

    - 南京市浦口区: two places that touch, the second a city or county of the first, are one place
      as well as two; not inside an organisation's name (重庆市万州区发展和改革委员会), not in a
      longer run (湖南省邵阳市新邵县坪上镇);
    - a chain the model found whole gives its places too (广东省佛山市 → 广东省, 佛山市); one that
      goes down to a township or a village is its places only (曲尺乡柑园村 → 曲尺乡, 柑园村);
    - an organisation the model made of places only (永州市道县梅花镇) is those places.
    """
    gaz = gazetteer()
    drop: set[int] = set()
    out = []
    for i, f in enumerate(found):
        if f.info.get("rule") != "model" or f.type == "PERSON" or len(f.text) < 4:
            continue
        inside = sorted((g.start - f.start, g.end - f.start, "gazetteer") for g in found
                        if g.type == "PLACE" and g is not f and f.start <= g.start and g.end <= f.end)
        parts = _chain_parts(f.text, inside)
        if not parts:
            continue
        if f.type == "ORG":
            drop.add(i)  # its places are in ``found`` already: the merger keeps places inside a model ORG
            continue
        out += [_Found("PLACE", f.start + a, f.start + b, f.text[a:b], {"rule": rule}) for a, b, rule in parts[len(inside):]]
        last = f.text[parts[-1][0]:]
        if parts[-1][2] != "gazetteer" or any(p.level == "township" for p in gaz.lookup(last)):
            drop.add(i)
    found = [f for i, f in enumerate(found) if i not in drop] + out
    orgs = [(f.start, f.end) for f in found if f.type == "ORG"]
    places = {f.start: f for f in found if f.type == "PLACE"}
    place_ends = {f.end for f in found if f.type == "PLACE"}
    chains = []
    for first in found:
        second = places.get(first.end) if first.type == "PLACE" else None
        if second is None or any(a <= first.start and second.end <= b for a, b in orgs):
            continue
        if first.start in place_ends or second.end in places:
            continue  # a longer run (湖南省邵阳市新邵县坪上镇) is its places only
        parents = [p for p in gaz.lookup(first.text) if p.level in CHAIN_PARENT_LEVELS]
        children = [c for c in gaz.lookup(second.text) if c.level in CHAIN_CHILD_LEVELS
                    and any(c.code.startswith(p.code) for p in parents)]
        if len(children) == 1 and not any(f.type == "PLACE" and (f.start, f.end) == (first.start, second.end) for f in found):
            chains.append(_Found("PLACE", first.start, second.end, first.text + second.text,
                                 {"rule": "place_chain", "code": children[0].code}))
    return found + chains


# The village at the end of a chain: 曲尺乡柑园村.
CHAIN_VILLAGE = re.compile(r"[\u4e00-\u9fff]{2,4}(?:村|社区)")


def _chain_parts(text: str, inside: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The places ``text`` is made of, end to end ((start, end, rule) each), else []: the places
    found inside it (永州市|道县|梅花镇) or else its gazetteer names (广东省|佛山市), and a village
    after them (曲尺乡|柑园村)."""
    parts = inside or [(a, b, "gazetteer") for a, b, _ in gazetteer().find_in(text)]
    if not parts or parts[0][0] != 0 or any(x[1] != y[0] for x, y in zip(parts, parts[1:])):
        return []
    rest = text[parts[-1][1]:]
    if rest:
        if not CHAIN_VILLAGE.fullmatch(rest):
            return []
        parts.append((parts[-1][1], len(text), "village_list"))
    return parts if len(parts) >= 2 else []


def _propagate_names(text: str, found: list[_Found]) -> list[_Found]:
    """A person's or model-found place's name found once is that entity wherever else it stands
    (王永红率队… then 王永红强调); a title found once goes with every mention."""
    out = list(found)
    occupied = [False] * len(text)
    for f in found:
        if f.type != "PLACE" or f.info.get("rule") == "model":
            for i in range(f.start, f.end):
                occupied[i] = True
    names: dict[str, _Found] = {}
    for f in found:
        if f.type == "PERSON" and len(f.text) >= 2 and is_surname_start(f.text) and f.info.get("rule") != "comrades_list":
            if f.text not in names or (f.info.get("title") and not names[f.text].info.get("title")):
                names[f.text] = f
        elif f.type == "PLACE" and f.info.get("rule") == "model":
            names.setdefault(f.text, f)
    if not names:
        return out
    have = {(f.start, f.end) for f in found}
    pattern = re.compile(alternation(names))
    for m in pattern.finditer(text):
        s, e = m.span()
        if (s, e) in have or any(occupied[s:e]):
            continue
        # Not inside a longer name: 王永红 in 王永红梅 is someone else.
        if e < len(text) and is_han(text[e]) and names[m.group()].type == "PERSON" and text[e] not in NAME_STOP:
            continue
        src = names[m.group()]
        out.append(_Found(src.type, s, e, m.group(), {"rule": "same_name", "title": src.info.get("title")}))
    return out


def _surname_title_references(text: str, found: list[_Found]) -> list[_Found]:
    """朱副主任, 王市长: linked to the one person of the document with that surname and title."""
    persons = {}
    for f in found:
        if f.type == "PERSON" and f.info.get("title") and len(f.text) >= 2:
            persons.setdefault(f.text, f.info["title"])
    if not persons:
        return []
    occupied = set()
    for f in found:
        occupied.update(range(f.start, f.end))
    out = []
    single, _ = surnames()
    for m in re.finditer(rf"([{''.join(sorted(single))}])({alternation(ADDRESS_TITLES)})", text):
        s, e = m.span()
        if s > 0 and is_han(text[s - 1]) and text[s - 1] not in "由请向与和及对经据、":
            continue
        if not occupied.isdisjoint(range(s, e)):
            continue
        surname, title = m.groups()
        # 王市长 is a person whose title ends with 市长 (副市长 for 王副市长): take the exact title word.
        matches = [n for n, t in persons.items() if n.startswith(surname)
                   and any(part.endswith(title) and not part.endswith("副" + title) or part.endswith(title) and title.startswith("副")
                           for part in re.split("[、，]", t))]
        if len(matches) == 1:
            out.append(_Found("PERSON", s, e, m.group(), {"rule": "surname_title", "title": title,
                                                          "normalized": matches[0]}))
    return out


def _entity(text: str, f: _Found, area: Area, mentioned: Counter, page_of) -> Entity:
    gaz = gazetteer()
    info = f.info
    normalized = info.get("normalized")
    code = None
    parents: list[str] = []
    title = info.get("title")
    if f.type == "PLACE" and info.get("rule") in ("village", "village_list"):
        # A village: its own 12-digit code where the county's list has it, under its township.
        township = gaz.by_code.get((info.get("village_code") or "")[:9])
        code = info.get("village_code")
        normalized = info.get("village_name") or f.text
        parents = [p.name for p in [township, *gaz.parents(township)]] if township else []
    elif f.type == "PLACE":
        place = None
        if info.get("code"):
            place = gaz.by_code.get(info["code"])
        elif info.get("candidates"):
            cands = [gaz.by_code[c] for c in info["candidates"] if c in gaz.by_code]
            place = cands[0] if len(cands) == 1 else resolve_among(cands, text, f.start, area, mentioned)
        else:
            place = resolve_place(f.text, text, f.start, area, mentioned)
        if place:
            code = place.code
            normalized = place.name
            parents = [p.name for p in gaz.parents(place)]
        else:
            normalized = f.text
    elif f.type == "ORG":
        normalized = expand_organisation(f.text, info, area) or f.text
    elif f.type == "PERSON":
        normalized = normalized or f.text
    from models import Entity, EntityType  # here: tag-entities need not load the data model (0.04 s)

    return Entity(type=EntityType(f.type), text=f.text, normalized=normalized, title=title, code=code,
                  parents=parents, page=page_of(f.start), start=f.start, end=f.end,
                  sentence=_sentence(text, f.start, f.end))


def resolve_among(cands: list[Place], text: str, start: int, area: Area, mentioned: Counter) -> Place | None:
    for code in area.codes:
        inside = [p for p in cands if p.code.startswith(code)]
        if len(inside) == 1:
            return inside[0]
    gaz = gazetteer()
    if mentioned:
        scored = sorted(cands, key=lambda p: -sum(mentioned.get(par.code, 0) for par in gaz.parents(p)))
        if sum(mentioned.get(par.code, 0) for par in gaz.parents(scored[0])) > 0:
            return scored[0]
    return None


def expand_organisation(text: str, info: dict, area: Area) -> str | None:
    """市人社局 → 邵阳市人力资源和社会保障局 where the city is known; 县政府办 → 新安县人民政府办公室."""
    if info.get("rule") != "government_body":
        return None
    gaz = gazetteer()
    bodies_by_id = {b.id: b for b in org_bodies().values()}
    head = bodies_by_id.get(info.get("head")) if info.get("head") else None
    body = bodies_by_id.get(info.get("body")) if info.get("body") else None
    prefix = info.get("prefix") or []
    place = ""
    if prefix and prefix[0][0] == "level":
        level = prefix[0][1]
        code = None
        if level == "市":
            code = area.city
        elif level in "县区旗" and area.county:
            code = area.county
        elif level == "省":
            code = area.province
        if code is None:
            return None
        place = gaz.by_code[code].name
    elif prefix:
        place = "".join(t for _, t in prefix)
    if head and not body:
        return (head.normalized or "{place}" + head.full).format(place=place)
    if head and head.kind == "party":
        # 市委办公室 → 中共邵阳市委办公室: the party committee's bodies keep the short 委.
        return f"中共{place}委" + (body.full if body else "")
    return place + (head.full if head else "") + (body.full if body else "")


def distinct_entities(entities: list[Entity]) -> list[dict]:
    """One row per distinct entity (type and normalized name), with its mention count and the
    texts it was written as, in order of first mention."""
    rows: dict[tuple[str, str], dict] = {}
    for e in entities:
        key = (e.type.value, e.normalized or e.text)
        row = rows.get(key)
        if row is None:
            row = rows[key] = {"type": e.type.value, "text": e.text, "normalized": e.normalized or e.text,
                               "code": e.code, "parents": list(e.parents), "title": e.title, "mentions": 0,
                               "forms": [], "pages": []}
        row["mentions"] += 1
        if e.text not in row["forms"]:
            row["forms"].append(e.text)
        if e.page not in row["pages"]:
            row["pages"].append(e.page)
        row["title"] = row["title"] or e.title
        row["code"] = row["code"] or e.code
    return list(rows.values())
