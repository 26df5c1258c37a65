"""Bulletin-style names substituted into training sentences (``prepare.py --augment``).

The corpora are news, résumés and Weibo: they hold few of the names bulletins are full of —
townships and villages (坪上镇, 李家村), bodies written the way a county writes them (县人社局,
省水利厅, 新邵县自然资源局), companies and co-operatives (景谷县鑫源茶业有限公司), schools and
clinics (坪上镇中心学校, 洪溪村卫生室), the county's media (新邵县融媒体中心). A copy of a training
sentence that has a PLACE or an ORG gets, for each of them, with some probability, a name of the
same type made from the gazetteer (``extractor/data/gazetteer.tsv.gz``; villages from
``shared/gazetteer/villages.csv.gz``, at training time only) and how Chinese names those bodies:
the sentence around it stays as written, so the model learns the names' forms in real contexts.

Seeded: the same corpora give the same copies every run.
"""

from __future__ import annotations

import csv
import gzip
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.gazetteer import gazetteer, short_form  # noqa: E402
from extractor.lexicon import read_jsonl  # noqa: E402

Span = tuple[int, int, str]
VILLAGES = Path("/work/shared/gazetteer/villages.csv.gz")

# How bulletins name a body below the ones of data/org_bodies.jsonl (examples of each kind).
EXTRA_BODIES = ["机关工委", "防汛抗旱指挥部", "防指", "创卫办", "创文办", "自然资源分局", "供销合作社", "供销社",
                "农机中心", "农经站", "林业站", "水利站", "畜牧兽医站", "国土所", "财政所", "司法所", "税务分局",
                "医疗保障局", "社会保险事业管理局", "社保局", "就业服务中心", "公共就业服务中心", "政务服务中心",
                "行政审批局", "信访局", "档案馆", "党校", "团县委", "妇联", "残联", "科协", "工商联", "红十字会",
                "住房公积金管理中心", "乡村振兴局", "巩固脱贫攻坚成果领导小组", "疫情防控指挥部", "安委办", "河长办",
                "网信办", "编办", "人防办", "金融办", "招商局", "文明办", "综治中心", "融媒体中心"]
# 局 of a county is 厅 of a province (水利局 → 省水利厅).
PROVINCE_BODY = re.compile("局$")
TRADE_CHARS = "鑫源华兴盛达恒泰丰隆昌茂祥瑞宏鼎金银绿康福旺润嘉和新发汇通远宇佳禾惠民益农优顺诚信合众联创"
INDUSTRIES = ["茶业", "农业科技", "农业开发", "生态农业", "食品", "建筑工程", "建材", "电子商务", "物流", "医药", "能源",
              "新能源", "水电", "矿业", "纺织", "服饰", "电子", "机械", "置业", "房地产开发", "旅游开发", "文化传媒",
              "养殖", "种植", "果业", "林业", "中药材", "劳务", "人力资源", "环保科技", "水务", "供水", "交通建设投资",
              "城市建设投资", "商贸", "酒业", "米业", "油脂", "牧业", "竹木"]
COMPANY_ENDINGS = ["有限公司", "有限公司", "有限责任公司", "股份有限公司", "集团有限公司", "专业合作社", "种养专业合作社",
                   "农民专业合作社", "家庭农场", "厂"]
INSTITUTIONS = ["中心学校", "中学", "第一中学", "第二中学", "小学", "中心小学", "完全小学", "幼儿园", "中心幼儿园",
                "卫生院", "中心卫生院", "人民医院", "中医医院", "妇幼保健院", "敬老院", "派出所", "供电所", "农商银行",
                "信用社", "文化站", "便民服务中心", "村卫生室", "职业中专", "职业技术学校"]
MEDIA = ["融媒体中心", "日报社", "日报", "电视台", "广播电视台", "新闻网", "报社"]
FEATURES = ["河", "江", "水库", "山", "湖", "岭", "溪", "大桥", "水电站"]


class NameMaker:
    """Random bulletin-style PLACE and ORG names (``place()``, ``org()``)."""

    def __init__(self, rng: random.Random, villages: Path = VILLAGES):
        self.rng = rng
        gaz = gazetteer()
        by_level: dict[str, list[str]] = {}
        for name, places in gaz.by_name.items():
            for p in places:
                by_level.setdefault(p.level, []).append(name)
        self.levels = {k: sorted(set(v)) for k, v in by_level.items()}
        self.shorts = sorted(s for s, places in gaz.by_short.items() if any(p.level != "township" for p in places))
        self.township_shorts = sorted(s for s in (short_form(n) for n in self.levels["township"]) if s)
        self.villages = self._villages(villages)
        bodies = {w for row in read_jsonl("org_bodies.jsonl") for w in [row["full"], *row.get("short", [])]
                  if len(w) >= 2}
        self.bodies = sorted(bodies | set(EXTRA_BODIES))

    @staticmethod
    def _villages(path: Path) -> list[str]:
        """Committee names less their ending: 富勤村村委会 → 富勤村, 后常庄村民委员会 → 后常庄村,
        多福巷社区居委会 → 多福巷社区."""
        if not path.exists():
            return []
        out = set()
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                name = row["name"]
                m = re.fullmatch(r"(.+?)(村民委员会|村委会|居民委员会|居委会)", name)
                if not m or len(m.group(1)) < 2:
                    continue
                stem, ending = m.groups()
                if not stem.endswith(("村", "社区")):
                    stem += "村" if ending.startswith("村") else "社区"
                out.add(stem)
        return sorted(out)

    def _pick(self, items):
        return items[self.rng.randrange(len(items))]

    def place_prefix(self) -> str:
        """Where a body or company is: 市 / 县 / 邵阳市 / 新邵县 / 新邵 / 坪上镇."""
        r = self.rng.random()
        if r < 0.3:
            return self._pick("省市县区县县镇乡")
        if r < 0.55:
            return self._pick(self.levels["county"])
        if r < 0.7:
            return self._pick(self.levels["city"])
        if r < 0.85:
            return self._pick(self.shorts)
        return self._pick(self.levels["township"])

    def place(self) -> str:
        r = self.rng.random()
        if r < 0.3:
            return self._pick(self.levels[self._pick(["county", "county", "city", "province"])])
        if r < 0.55:
            return self._pick(self.levels["township"])
        if r < 0.85 and self.villages:
            return self._pick(self.villages)
        stem = self._pick(self.villages).removesuffix("村").removesuffix("社区") if self.villages else "清水"
        return stem[:3] + self._pick(FEATURES)

    def org(self) -> str:
        r = self.rng.random()
        if r < 0.45:
            prefix = self.place_prefix()
            body = self._pick(self.bodies)
            if prefix == "省" or prefix in self.levels["province"]:
                body = PROVINCE_BODY.sub("厅", body)
            if self.rng.random() < 0.1:
                return f"中共{prefix}委员会" if self.rng.random() < 0.5 else f"{prefix}人民政府"
            return prefix + body
        if r < 0.75:
            prefix = self.place_prefix() if self.rng.random() < 0.7 else ""
            prefix = "" if len(prefix) == 1 else prefix
            trade = "".join(self.rng.sample(TRADE_CHARS, 2))
            return prefix + trade + self._pick(INDUSTRIES) + self._pick(COMPANY_ENDINGS)
        if r < 0.92:
            where = self._pick(self.township_shorts if self.rng.random() < 0.5 else self.levels["county"])
            return where + self._pick(INSTITUTIONS)
        return self._pick(self.levels["county"] + self.levels["city"]) + self._pick(MEDIA)


def substitute(text: str, spans: list[Span], maker: NameMaker, rate: float) -> tuple[str, list[Span]]:
    """``text`` with each PLACE and ORG replaced by a made name with probability ``rate``."""
    out, new_spans, pos = [], [], 0
    for start, end, label in sorted(spans):
        if start < pos:  # overlapping spans in the source: keep the first
            continue
        out.append(text[pos:start])
        at = sum(map(len, out))
        name = text[start:end]
        if label in ("PLACE", "ORG") and maker.rng.random() < rate:
            name = maker.place() if label == "PLACE" else maker.org()
        out.append(name)
        new_spans.append((at, at + len(name), label))
        pos = end
    out.append(text[pos:])
    return "".join(out), new_spans


def augmented(sentences: list[tuple[str, list[Span]]], share: float, rate: float = 0.8,
              seed: int = 0) -> list[tuple[str, list[Span]]]:
    """Copies of ``share`` of the sentences that have a PLACE or an ORG, names substituted."""
    rng = random.Random(seed)
    maker = NameMaker(rng)
    out = []
    for text, spans in sentences:
        if any(lab in ("PLACE", "ORG") for _, _, lab in spans) and rng.random() < share:
            new = substitute(text, spans, maker, rate)
            if new[0] != text:
                out.append(new)
    return out
