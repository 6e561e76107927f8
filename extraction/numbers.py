"""One numeral expression -> Decimal: Arabic, Chinese (万/亿, 三百二十一) and English words.

`parse_number` takes only the numeral, without qualifiers (约, more than) or units
(元, people); finding those around a number is the job of the figure finders.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

ZH_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
ZH_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
ZH_BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
ZH_SCALE_CHARS = "".join(ZH_SMALL_UNITS) + "".join(ZH_BIG_UNITS)
ZH_NUMERAL_CHARS = "".join(ZH_DIGITS) + ZH_SCALE_CHARS

EN_SMALL: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
EN_SCALES: dict[str, int] = {
    "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
    "k": 10**3, "mn": 10**6, "m": 10**6, "bn": 10**9,
}  # fmt: skip

_ARABIC_RE = re.compile(r"\d+(?:[, \u00a0\u2009\u202f]\d{3})*(?:\.\d+)?")
_ZH_TOKEN_RE = re.compile(r"\d+(?:\.\d+)?|.", re.S)
_EN_SPLIT_RE = re.compile(r"[\s\-]+")
_GLUED_SCALE_RE = re.compile(r"(?<=\d)(?=[a-z])")  # 2.5bn
_GROUP_COMMA_RE = re.compile(r",(?=\d{3}(?!\d))")


def tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros: 13.6万 is 136000 (not 136000.0), 500克 is 0.5 kg (not 0.500)."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def _parse_arabic(text: str) -> Decimal | None:
    if not _ARABIC_RE.fullmatch(text):
        return None
    try:
        return Decimal(re.sub(r"[, \u00a0\u2009\u202f]", "", text))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None


def _parse_english(text: str) -> Decimal | None:
    words = [w for w in _EN_SPLIT_RE.split(text) if w and w != "and"]
    if not words:
        return None
    total = Decimal(0)
    current: Decimal | None = None
    for i, word in enumerate(words):
        if word in EN_SMALL:
            current = (current or Decimal(0)) + EN_SMALL[word]
        elif word == "a":
            if i + 1 >= len(words) or words[i + 1] not in ("dozen", "hundred", *EN_SCALES):
                return None
            current = Decimal(1)
        elif word == "hundred":
            current = (current if current is not None else Decimal(1)) * 100
        elif word == "dozen":
            current = (current if current is not None else Decimal(1)) * 12
        elif word in EN_SCALES:
            if current is None:
                return None
            total += current * EN_SCALES[word]
            current = None
        else:
            value = _parse_arabic(word)
            if value is None or current is not None:
                return None
            current = value
    return total + (current or Decimal(0))


def _parse_chinese(text: str) -> Decimal | None:
    tokens = _ZH_TOKEN_RE.findall(_GROUP_COMMA_RE.sub("", text))
    if not tokens:
        return None
    # 二〇二〇: digits only, read one by one.
    if len(tokens) > 1 and all(t in ZH_DIGITS for t in tokens):
        return Decimal("".join(str(ZH_DIGITS[t]) for t in tokens))
    yi = Decimal(0)  # everything already multiplied by 亿
    wan = Decimal(0)  # everything already multiplied by 万 (below 亿)
    section = Decimal(0)  # below 万
    number: Decimal | None = None
    last_unit = 1  # the unit just applied; a bare trailing digit is a tenth of it (一万二)
    for tok in tokens:
        if tok[0].isdigit():
            if number is not None:
                return None
            number = Decimal(tok)
        elif tok in ("零", "〇", "○"):
            if number is not None:
                return None
            last_unit = 10  # 两千零五: the digit after 零 counts as itself
        elif tok in ZH_DIGITS:
            if number is not None:
                return None
            number = Decimal(ZH_DIGITS[tok])
        elif tok in ZH_SMALL_UNITS:
            unit = ZH_SMALL_UNITS[tok]
            section += (number if number is not None else Decimal(1)) * unit
            number, last_unit = None, unit
        elif tok in ZH_BIG_UNITS:
            unit = ZH_BIG_UNITS[tok]
            if unit == 10**4:
                x = section + (number or 0)
                wan = (wan + (x if x else Decimal(1))) * unit
            else:
                x = wan + section + (number or 0)
                yi = (yi + (x if x else Decimal(1))) * unit
                wan = Decimal(0)
            section, number, last_unit = Decimal(0), None, unit
        else:
            return None
    if number is not None:
        section += number * (last_unit // 10 if last_unit >= 100 else 1)
    return yi + wan + section


def parse_number(text: str) -> Decimal | None:
    """Normalize one numeral expression, or None when `text` is not one.

    >>> parse_number("13.6万"), parse_number("两千零五"), parse_number("13.89 million")
    (Decimal('136000'), Decimal('2005'), Decimal('13890000'))
    """
    s = unicodedata.normalize("NFKC", text).strip()
    if not s:
        return None
    value = _parse_arabic(s)
    if value is None:
        lowered = s.lower()
        if re.fullmatch(r"[a-z0-9.,\s\-]+", lowered) and re.search(r"[a-z]", lowered):
            value = _parse_english(_GLUED_SCALE_RE.sub(" ", lowered))
        elif all(c.isdigit() or c in ".," or c in ZH_NUMERAL_CHARS for c in s):
            value = _parse_chinese(s)
    return None if value is None else tidy(value)
