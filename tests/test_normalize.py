"""Text normalisation, one construction per row, and the offset map back to the raw text."""

import pytest

from extractor.normalize import normalize, normalize_text

CASES = [
    ("variant glyph from an old font", "各地充分利用废旧村室、学校等闲臵资源", "各地充分利用废旧村室、学校等闲置资源"),
    ("space between Chinese and digits", "全市建设就业帮扶车间 1200 家，吸纳", "全市建设就业帮扶车间1200家，吸纳"),
    ("decimal with multiplier", "4.7 万人就业，其中脱贫人口就业 1.31 万人", "4.7万人就业，其中脱贫人口就业1.31万人"),
    ("date with layout spaces", "2023年 5月 24日", "2023年5月24日"),
    ("date after 截至", "截至 4 月 27 日，全县共筛查适龄妇女 7800 人", "截至4月27日，全县共筛查适龄妇女7800人"),
    ("full-width digits and letters", "发放宣传册页５０００份，ＱＱ群", "发放宣传册页5000份，QQ群"),
    ("half-width comma beside Chinese", "2010年,县委、县政府经过认真调研", "2010年，县委、县政府经过认真调研"),
    ("half-width colon and brackets", "目标任务:对8所中小学校(含幼儿园)", "目标任务：对8所中小学校（含幼儿园）"),
    ("thousands separator stays", "投资1,234.5万元", "投资1,234.5万元"),
    ("Latin words keep their space", "通过微信、QQ 等平台和 Word 2010 文档", "通过微信、QQ等平台和Word 2010文档"),
    ("title separator between Chinese kept", "压实责任 强化调度 切实把民生", "压实责任 强化调度 切实把民生"),
    ("ideographic space", "邵阳市\u3000\u3000工作专班", "邵阳市 工作专班"),
    ("spaces at the ends", "  副市长蒋伟参加。 ", "副市长蒋伟参加。"),
    ("e-mail untouched", "邮箱：syszdms@163.com", "邮箱：syszdms@163.com"),
    ("percent", "完成率达 79.1％", "完成率达79.1%"),
]


@pytest.mark.parametrize("name,raw,clean", CASES, ids=[c[0] for c in CASES])
def test_normalize(name, raw, clean):
    assert normalize_text(raw) == clean


@pytest.mark.parametrize("name,raw,clean", CASES, ids=[c[0] for c in CASES])
def test_offset_map_points_at_the_source_character(name, raw, clean):
    text, index = normalize(raw)
    assert len(index) == len(text)
    assert index == sorted(index)
    for ch, i in zip(text, index):
        source = raw[i]
        assert ch == source or normalize_text("一" + source + "一")[1:-1] == ch  # the same rule in a Chinese context
