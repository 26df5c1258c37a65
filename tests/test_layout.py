"""Layout rules on hand-built pages: furniture, reading order, paragraph breaks."""

from __future__ import annotations

import pytest

from extractor import layout
from extractor.pdf import Char, Page, Segment
from models import BlockKind, FurnitureKind

W, H = 595.0, 842.0
LEFT, SIZE = 72.0, 16.0


def seg(page: int, text: str, x0: float = LEFT, top: float = 100.0, size: float = SIZE, weight: int = 400) -> Segment:
    chars, x = [], x0
    for ch in text:
        width = size / 2 if ch.isascii() else size
        chars.append(Char(ch, x, top, x + width, top + size, size, weight))
        x += width
    return Segment(page=page, chars=chars)


def full_line(page: int, top: float, indent: int = 0, n: int = 28, char: str = "文") -> Segment:
    return seg(page, char * (n - indent), x0=LEFT + indent * SIZE, top=top)


@pytest.mark.parametrize("footer", ["— 5 —", "- 5 -", "5", "第5页", "第 5 页 共 12 页", "5/12", "·5·"])
def test_page_numbers_at_the_edge_are_furniture(footer):
    page = Page(1, W, H, [full_line(1, 100), seg(1, footer, x0=300, top=790)])
    furniture = layout.split_furniture([page])
    assert [f.kind for f in furniture] == [FurnitureKind.page_number]
    assert [s.text for s in page.segments] == ["文" * 28]


def test_a_number_in_the_body_is_not_furniture():
    page = Page(1, W, H, [full_line(1, 100), seg(1, "5", x0=300, top=400)])
    assert layout.split_furniture([page]) == []
    assert len(page.segments) == 2


def test_running_header_repeated_across_pages_is_furniture():
    pages = [Page(n, W, H, [seg(n, f"邵阳市重点民生工作简报（第{n}页）", top=40), full_line(n, 120)]) for n in range(1, 6)]
    furniture = layout.split_furniture(pages)
    assert {f.kind for f in furniture} == {FurnitureKind.header}
    assert all(len(p.segments) == 1 for p in pages)


def test_two_columns_are_read_left_column_first():
    left = [seg(1, f"左栏第{i}行文字内容", x0=LEFT, top=100 + 28 * i) for i in range(4)]
    right = [seg(1, f"右栏第{i}行文字内容", x0=320, top=100 + 28 * i) for i in range(4)]
    page = Page(1, W, H, [full_line(1, 60)] + [s for pair in zip(left, right) for s in pair])
    order = [s.text for s, _ in layout.reading_order(page, SIZE)]
    assert order == ["文" * 28] + [s.text for s in left] + [s.text for s in right]


def _blocks(pages):
    raw = layout.group_blocks(pages, SIZE, 400)
    return [(b.kind, "".join(s.text for s in b.segments)) for b in raw]


def test_paragraph_breaks_at_indent_and_short_line_and_runs_on_across_pages():
    page1 = Page(1, W, H, [
        seg(1, "【重要新闻】", top=60),
        full_line(1, 100, indent=2, char="甲"), full_line(1, 128, char="甲"), seg(1, "甲甲。", top=156),
        full_line(1, 184, indent=2, char="乙"), full_line(1, 212, char="乙"),
    ])
    page2 = Page(2, W, H, [full_line(2, 100, char="乙"), seg(2, "乙。", top=128), seg(2, "一、丙丙", top=156)])
    blocks = _blocks([page1, page2])
    assert [k for k, _ in blocks] == [BlockKind.section_heading, BlockKind.paragraph, BlockKind.paragraph, BlockKind.paragraph]
    assert blocks[1][1] == "甲" * 26 + "甲" * 28 + "甲甲。"
    assert blocks[2][1] == "乙" * 26 + "乙" * 28 + "乙" * 28 + "乙。"  # continued on page 2
    assert blocks[3][1] == "一、丙丙"


def test_bold_lead_after_a_sentence_end_opens_a_paragraph():
    lead = seg(1, "北塔区：关爱困境儿童。", top=128, weight=700)
    body = seg(1, "近年来" * 5 + "北", x0=lead.x1, top=128)
    page = Page(1, W, H, [seg(1, "文" * 27 + "。", top=100), Segment(1, lead.chars + body.chars)])
    blocks = _blocks([page])
    assert len(blocks) == 2 and blocks[1][1].startswith("北塔区：")


def test_recipients_continue_over_a_hanging_indent():
    page = Page(1, W, H, [seg(1, "报：省工作专班，市委、市人大、市人民政府、市政协、市纪委", top=600),
                          seg(1, "监委，市委办公室。", x0=LEFT + 2 * SIZE, top=628),
                          seg(1, "发：各县（市区）党委、政府", top=656)])
    blocks = _blocks([page])
    assert [k for k, _ in blocks] == [BlockKind.recipients, BlockKind.recipients]
    assert blocks[0][1].endswith("监委，市委办公室。")
