"""Chinese numerals: 三千二百四十二 → 3242, 十五 → 15, 两 → 2, 二〇二三 → 2023, 1.31万 → 13100."""

from __future__ import annotations

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
LARGE_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(LARGE_UNITS)


def parse_chinese_integer(text: str) -> int | None:
    """The value of a Chinese numeral, or None when it is not one.

    Positional digit strings read digit by digit (二〇二三 → 2023); otherwise units
    multiply (三千二百四十二 → 3242, 十五 → 15, 一万二千 → 12000, 两百 → 200).
    """
    if not text or any(c not in NUMERAL_CHARS for c in text):
        return None
    if all(c in DIGITS for c in text):
        if len(text) == 1:
            return DIGITS[text]
        return int("".join(str(DIGITS[c]) for c in text))
    total = 0  # completed 亿/万 groups
    section = 0  # the group below the current large unit
    digit = None
    largest = 1  # the largest 万/亿 seen so far: 一万亿 multiplies what came before
    for c in text:
        if c in DIGITS:
            digit = DIGITS[c]
        elif c in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[c]
            digit = None
        else:
            section += digit or 0
            if section == 0 and total == 0:
                return None  # 万 alone is not a number
            unit = LARGE_UNITS[c]
            if unit > largest:
                total, largest = (total + section) * unit, unit
            else:
                total += section * unit
            section, digit = 0, None
    return total + section + (digit or 0)
