"""Text normalisation with an offset map.

``normalize(raw)`` returns the clean text and, for every clean character, the
index of the raw character it came from, so that provenance survives the
clean-up: a figure found at ``clean[i:j]`` lies at ``raw[index[i]:index[j-1]+1]``.

What changes, and why:
- variant glyphs that old fonts map wrongly: 闲臵 → 闲置 (table ``VARIANTS``);
- full-width digits and Latin letters to ASCII (１２００ → 1200), while Chinese
  punctuation stays full-width, and a half-width , : ; ( ) ? ! that touches a
  Chinese character becomes full-width (2010年,县委 → 2010年，县委), so that one
  grammar serves texts typed either way;
- layout spaces between Chinese and digits or Latin letters are dropped
  (1200 家 → 1200家, 2023年 5月 24日 → 2023年5月24日, 微信、QQ 等 → 微信、QQ等);
  a space between two Chinese characters is kept as one space (a title's
  separator: 压实责任 强化调度);
- runs of spaces become one space; spaces at the ends are dropped.
"""

from __future__ import annotations

import re

# Characters that old fonts' ToUnicode tables give for a different, intended one.
# 臵 (U+81F5) is extracted where 置 is printed; the others are the usual
# compatibility or radical forms that PDF text layers yield.
VARIANTS = {
    "臵": "置",
    "⼀": "一", "⼆": "二", "⼈": "人", "⼊": "入", "⼋": "八", "⼏": "几", "⼒": "力",
    "⼗": "十", "⼝": "口", "⼟": "土", "⼤": "大", "⼥": "女", "⼦": "子", "⼩": "小",
    "⼭": "山", "⼯": "工", "⼴": "广", "⼼": "心", "⽂": "文", "⽅": "方", "⽇": "日",
    "⽉": "月", "⽊": "木", "⽔": "水", "⽕": "火", "⽣": "生", "⽤": "用", "⽥": "田",
    "⽬": "目", "⾏": "行", "⾦": "金", "⻓": "长", "⻔": "门", "⻄": "西", "⻢": "马",
    "〇": "〇", "\u3000": " ", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ",
}

HALF_TO_FULL_PUNCT = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}


def is_cjk(ch: str) -> bool:
    """A Chinese character or Chinese (full-width) punctuation."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x3000 <= o <= 0x303F
        or 0xFF00 <= o <= 0xFF0F or 0xFF1A <= o <= 0xFF20 or 0x2010 <= o <= 0x206F
        or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FA1F
    )


def is_han(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FA1F


def _char_map(ch: str) -> str:
    if ch in VARIANTS:
        return VARIANTS[ch]
    o = ord(ch)
    # Full-width digits and Latin letters (０-９ Ａ-Ｚ ａ-ｚ) and ．％ to ASCII.
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return chr(o - 0xFEE0)
    if ch in "．％＋－":
        return chr(o - 0xFEE0)
    if ch in "\t\r\x0b\x0c":
        return " "
    return ch


def normalize(raw: str) -> tuple[str, list[int]]:
    """Clean ``raw`` (one paragraph or line: newlines are kept as they are) and map offsets back."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(raw):
        chars.append(_char_map(ch))
        index.append(i)

    out: list[str] = []
    out_index: list[int] = []
    n = len(chars)
    i = 0
    while i < n:
        ch = chars[i]
        if ch == " ":
            j = i
            while j < n and chars[j] == " ":
                j += 1
            prev = out[-1] if out else ""
            nxt = chars[j] if j < n else ""
            # Keep one space only between two Latin/digit tokens (Word 2010) or two Chinese
            # characters (a title's separator); drop it at the ends and between Chinese
            # and digits/Latin (1200 家 → 1200家), and next to punctuation or a line end.
            keep = prev and nxt and prev != "\n" and nxt != "\n" and (
                (prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum())
                or (is_han(prev) and is_han(nxt))
                or (prev in "”’）》" and is_han(nxt))
            )
            if keep:
                out.append(" ")
                out_index.append(index[i])
            i = j
            continue
        if ch in HALF_TO_FULL_PUNCT:
            prev = out[-1] if out else ""
            nxt = chars[i + 1] if i + 1 < n else ""
            if (prev and is_cjk(prev)) or (nxt and is_cjk(nxt)):
                ch = HALF_TO_FULL_PUNCT[ch]
        out.append(ch)
        out_index.append(index[i])
        i += 1
    return "".join(out), out_index


_SPACE_RUN = re.compile(r" +")


def normalize_text(raw: str) -> str:
    """``normalize`` without the offset map."""
    return normalize(raw)[0]
