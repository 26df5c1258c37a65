"""China's administrative divisions down to townships, for naming and coding places.

    >>> gazetteer().lookup("新邵")[0].name, gazetteer().lookup("新邵")[0].code
    ('新邵县', '430522')

``lookup`` takes full names (邵阳市, 坪上镇) and short forms (新邵 → 新邵县, 城步 → 城步苗族自治县);
``find_in`` finds full names in running text. The data is ``data/gazetteer.tsv.gz``
(code, name, level, parent code, short form), built by ``data/build_gazetteer.py``.
"""

from __future__ import annotations

import gzip
import re
from collections import defaultdict
from functools import cache
from typing import NamedTuple

from extractor.lexicon import DATA_DIR

LEVELS = ("province", "city", "county", "township")
# The generic part of a name, longest first: 城步苗族自治县 → 城步, 六枝特区 → 六枝, 坪上镇 → 坪上.
ETHNIC = (r"(?:蒙古|土家|布依|哈尼|傈僳|仡佬|拉祜|纳西|毛南|仫佬|朝鲜|哈萨克|柯尔克孜|塔吉克|锡伯|达斡尔|鄂温克"
          r"|鄂伦春|裕固|保安|东乡|撒拉|独龙|普米|景颇|阿昌|德昂|基诺|门巴|珞巴|维吾尔|黎|苗|侗|瑶|壮|回|藏|彝|白"
          r"|傣|畲|水|羌|土|满|怒|佤|京|各)族")
GENERIC_SUFFIX = re.compile(
    rf"(?:(?:{ETHNIC})+(?:自治区|自治州|自治县|自治旗|民族乡|乡)|特别行政区|自治区|自治州|地区|特区|林区|街道|苏木|省|市|区|县|旗|盟|镇|乡)$")
# Characters a division's full name ends with, where ``find_in`` looks for names.
NAME_ENDING = re.compile("[省市区县旗盟州镇乡道木]")
MIN_FREE_TEXT_NAME = 3  # 2-character names (和县, 城区) are too often parts of other words


class Place(NamedTuple):  # a tuple: 45,000 of them are made at load
    code: str
    name: str
    level: str
    parent_code: str


def short_form(name: str) -> str | None:
    stem = GENERIC_SUFFIX.sub("", name)
    return stem if 2 <= len(stem) < len(name) else None


class Gazetteer:
    def __init__(self, places: list[Place], shorts: list[str]):
        """``shorts``: each place's short form ("" for none), as the data file has them."""
        self.by_code = {p.code: p for p in places}
        self.by_name: dict[str, list[Place]] = defaultdict(list)
        self.by_short: dict[str, list[Place]] = defaultdict(list)
        for p, short in zip(places, shorts):
            self.by_name[p.name].append(p)
            if short:
                self.by_short[short].append(p)
        self.longest = max(len(n) for n in self.by_name)

    def lookup(self, name: str, within: str | None = None) -> list[Place]:
        """Places called ``name`` (full name first, else short form), higher levels first;
        ``within`` (a code: 4305) keeps those under that division when any are."""
        found = self.by_name.get(name) or self.by_short.get(name) or []
        if within:
            inside = [p for p in found if p.code.startswith(within)]
            found = inside or found
        return sorted(found, key=lambda p: (LEVELS.index(p.level), p.code))

    def parents(self, place: Place) -> list[Place]:
        """From the nearest up: 坪上镇 → [新邵县, 邵阳市, 湖南省]."""
        out = []
        code = place.parent_code
        while code in self.by_code:
            parent = self.by_code[code]
            out.append(parent)
            code = parent.parent_code
        return out

    def find_in(self, text: str) -> list[tuple[int, int, str]]:
        """Full names in ``text`` as (start, end, name), the longest name ending at each place."""
        out: list[tuple[int, int, str]] = []
        for m in NAME_ENDING.finditer(text):
            end = m.end()
            floor = out[-1][1] if out else 0
            for length in range(min(self.longest, end - floor), MIN_FREE_TEXT_NAME - 1, -1):
                if text[end - length:end] in self.by_name:
                    out.append((end - length, end, text[end - length:end]))
                    break
        return out


@cache
def gazetteer() -> Gazetteer:
    # One read and split: a gzip file read line by line costs twice as much.
    rows = [line.split("\t") for line in gzip.decompress((DATA_DIR / "gazetteer.tsv.gz").read_bytes()).decode("utf-8").splitlines()]
    return Gazetteer(list(map(Place._make, (row[:4] for row in rows))), [row[4] for row in rows])


class Village(NamedTuple):
    code: str  # 12 digits: the township's 9 and three of its own
    name: str  # as bulletins write it: 石家川村, 多福巷社区


class Villages:
    """China's village-level names by township (``data/villages.tsv.gz``), read on first use.

    A name repeats across the country (和平村, 团结村 each name hundreds), so villages are only
    looked up within a county the text is about: ``in_county("610681")`` → {name: [Village…]}.
    The file's lines are in code order: a county's lines are found by binary search in the
    decompressed bytes, and only they are decoded and unpacked, when asked for (an index of every
    county, or decoding the 10 MB, would cost the first sentence with a village 0.06 s).
    """

    def __init__(self, data: bytes):
        self._data = data
        self._counties: dict[str, dict[str, list[Village]]] = {}

    def in_county(self, county: str) -> dict[str, list[Village]]:
        found = self._counties.get(county)
        if found is None:
            found = self._counties[county] = defaultdict(list)
            key = county.encode("utf-8")
            if not (len(key) == 6 and key.isdigit()):  # a county's code has six digits
                return found
            lines = self._data[self._first_line(key):self._first_line(key + b"\xff")].decode("utf-8")
            for line in filter(None, lines.split("\n")):
                township, packed = line.split("\t", 1)
                for v in _unpack(township, packed):
                    found[v.name].append(v)
        return found

    def _first_line(self, key: bytes) -> int:
        """Offset of the first line that does not sort before ``key`` (the end if none)."""
        data = self._data
        lo, hi = 0, len(data)  # lines starting before lo sort before key; from hi on they don't
        while lo < hi:
            mid = (lo + hi) // 2
            line = data.rfind(b"\n", lo, mid) + 1 or lo  # the start of the line holding mid
            if data[line:line + len(key)] < key:
                end = data.find(b"\n", mid)
                lo = end + 1 if end >= 0 else len(data)
            else:
                hi = line
        return lo


def _unpack(township: str, packed: str) -> list[Village]:
    """``211热寺湾村,史家畔村`` → 热寺湾村 (…211), 史家畔村 (…212): a number only where the codes jump."""
    out, number = [], 0
    for item in packed.split(","):
        digits = len(item) - len(item.lstrip("0123456789"))
        number = int(item[:digits]) if digits else number + 1
        out.append(Village(f"{township}{number:03d}", item[digits:]))
    return out


@cache
def villages() -> Villages:
    return Villages(gzip.decompress((DATA_DIR / "villages.tsv.gz").read_bytes()))
