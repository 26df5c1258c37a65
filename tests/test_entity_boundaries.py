"""Where a name begins and ends, through the whole pipeline (``tag_lines``): the cases where the
model and the rules disagree at an edge. Sentences written for the test."""

from __future__ import annotations

import pytest

from extractor.entities import tag_lines


def entities(sentence: str) -> list[tuple[str, str]]:
    row = next(iter(tag_lines([sentence])))
    return [(sentence[a:b], label) for a, b, label in row["entities"]]


@pytest.mark.parametrize("sentence, expected, not_expected", [
    # a three-character name before 受聘 keeps its last characters
    ("王家明受聘为县政协委员。", ("王家明", "PERSON"), ("王", "PERSON")),
    # a name may end in 国 (建国, 爱国); only 两国, 各国 … end no name
    ("张建国受聘为专家。", ("张建国", "PERSON"), None),
    # a verb after a title is no name even if it starts with a surname (强 of 强调)
    ("习近平总书记强调，要巩固脱贫成果。", ("习近平", "PERSON"), ("强调", "PERSON")),
    # a county then its own short form starts a company: the company keeps 景谷, the county stays apart
    ("景谷傣族彝族自治县景谷茶业有限公司投产。", ("景谷茶业有限公司", "ORG"), ("景谷傣族彝族自治县景谷", "PLACE")),
])
def test_name_edges(sentence, expected, not_expected):
    found = entities(sentence)
    assert expected in found
    if not_expected:
        assert not_expected not in found
