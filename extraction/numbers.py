"""One numeral expression -> its value: Arabic, Chinese (万/亿, 三百二十一, 壹佰) and English.

    >>> parse_number("13.6万"), parse_number("两千零五"), parse_number("13.89 million")
    (Decimal('136000'), Decimal('2005'), Decimal('13890000'))
    >>> parse_numeral("500余万")
    Numeral(value=Decimal('5000000'), qualifier='more_than')

Right or silent: a string that is not one number (十一十二, "one fifty", 10.1万零100,
"a third") gives None, never a guess.  Qualifiers inside a numeral (500余万, 上百万,
数百, "more than 300") are read into `Numeral.qualifier`; the value is the bound the
qualifier refers to (500余万 -> 5000000, more_than), a vague amount its magnitude
(数百 -> 100, vague).  A percentage or a fraction is a plain number here (5% and
百分之五 -> 0.05, 四分之三 -> 0.75); the figure finders report percentages in percent.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from . import numerals_en, numerals_zh
from .charmap import normalize_numeral
from .numeral import EXACT, Numeral, parse_arabic, tidy

__all__ = ["EXACT", "Numeral", "parse_arabic", "parse_number", "parse_numeral", "tidy"]

_CJK_RE = re.compile(r"[\u3007\u3400-\u9fff\uf900-\ufaff]")
_SIGN_RE = re.compile(r"(?:(?P<minus>-|minus\s+|negative\s+|负)|\+|plus\s+)\s*", re.I)
_PERCENT_RE = re.compile(r"\s*(?:(?P<pct>%|percent|per\s*cent|pct)|(?P<permille>‰))$", re.I)


@lru_cache(maxsize=8192)
def parse_numeral(text: str) -> Numeral | None:
    """One numeral expression, with the qualifier it holds; None when it is not one.

    Cached: the same numerals (两, 三十, 1.2万) recur in every bulletin, and the result
    is immutable."""
    s = normalize_numeral(text).strip()
    if not s:
        return None
    sign = 1
    m = _SIGN_RE.match(s)
    if m and m.end() < len(s):
        sign = -1 if m.group("minus") else 1
        s = s[m.end() :]
    scale = Decimal(1)
    pm = _PERCENT_RE.search(s)
    if pm and pm.start() > 0:
        scale = Decimal("0.01") if pm.group("pct") else Decimal("0.001")
        s = s[: pm.start()]
    numeral = _dispatch(s.strip())
    if numeral is None:
        return None
    return Numeral(tidy(numeral.value * scale * sign), numeral.qualifier)


def _dispatch(s: str) -> Numeral | None:
    if not s or s[0] in "+-":
        return None  # a second sign
    value = parse_arabic(s)
    if value is not None:
        return Numeral(value)
    if _CJK_RE.search(s):
        return numerals_zh.parse(s)
    return numerals_en.parse(s)


def parse_number(text: str) -> Decimal | None:
    """The value of one numeral expression, or None when `text` is not one.

    >>> parse_number("10万万"), parse_number("1.2b"), parse_number("negative 5")
    (Decimal('1000000000'), Decimal('1200000000'), Decimal('-5'))
    """
    numeral = parse_numeral(text)
    return None if numeral is None else numeral.value
