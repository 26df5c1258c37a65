"""The document's area: which province, city and county a bulletin is about."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from extractor.gazetteer import Place, gazetteer


@dataclass
class Area:
    """Codes of the document's province, city and county (any may be None) and the votes behind them."""

    province: str | None = None
    city: str | None = None
    county: str | None = None
    votes: Counter = field(default_factory=Counter)

    @property
    def codes(self) -> list[str]:
        return [c for c in (self.county, self.city, self.province) if c]

    def contains(self, code: str) -> bool:
        return any(code.startswith(c) for c in self.codes)


def _place_by_name(name: str | None, level_hint: str | None = None) -> Place | None:
    if not name:
        return None
    found = gazetteer().lookup(name)
    if level_hint:
        found = [p for p in found if p.level == level_hint] or found
    return found[0] if len(found) == 1 or (found and level_hint) else None


def document_area(text: str, city: str | None = None, county: str | None = None) -> Area:
    """The area a bulletin is about: the caller's city/county, else the places its text names most.

    Every unambiguous gazetteer name votes for its county, city and province codes
    (新邵县 → 430522, 4305, 43); a city or county is the document's when it has most votes.
    """
    gaz = gazetteer()
    votes: Counter = Counter()
    for _, _, name in gaz.find_in(text):
        found = gaz.lookup(name)
        if len(found) != 1:
            continue
        place = found[0]
        chain = [place, *gaz.parents(place)]
        for p in chain:
            votes[p.code] += 1
    area = Area(votes=votes)
    given_county = _place_by_name(county, "county")
    given_city = _place_by_name(city, "city")
    if given_county:
        area.county = given_county.code
        parent = gaz.by_code.get(given_county.parent_code)
        area.city = parent.code if parent and parent.level == "city" else None
    if given_city:
        area.city = given_city.code
    by_level: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for code, n in votes.items():
        p = gaz.by_code.get(code)
        if p and p.level in ("province", "city", "county"):
            by_level[p.level].append((n, code))
    if not area.city and by_level["city"]:
        ranked = sorted(by_level["city"], reverse=True)
        if len(ranked) == 1 or ranked[0][0] > ranked[1][0]:
            area.city = ranked[0][1]
    if not area.county and by_level["county"]:
        ranked = sorted(by_level["county"], reverse=True)
        # One county that most mentions are about (a county bulletin), not a city's many counties.
        inside = [r for r in ranked if not area.city or r[1].startswith(area.city)]
        if inside and (len(inside) == 1 or inside[0][0] >= 2 * inside[1][0]):
            area.county = inside[0][1]
    if area.city or area.county:
        code = area.county or area.city
        place = gaz.by_code[code]
        area.province = next((p.code for p in gaz.parents(place) if p.level == "province"), None)
        if not area.city and area.county:
            area.city = next((p.code for p in gaz.parents(place) if p.level == "city"), None)
    return area
