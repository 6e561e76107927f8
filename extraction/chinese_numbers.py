"""Numbers in running Chinese text: where one starts and ends, its value and qualifier.

    [qualifier] NUMERAL [余/多/几] [至 NUMERAL]
    约          27亿
                500余万, 二十几, 1萬2,345, 38亿6千万
                3           至 5万          (a range: its lower bound, at_least)

The numeral itself is read by `parse_numeral`; this module finds its extent (with
the patterns shaped so the engine skips ahead fast), the qualifier words before it
and ranges.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from .numbers import parse_number, parse_numeral
from .numerals_zh import ZH_DIGITS, ZH_NUMERAL_CHARS, ZH_SCALE_CHARS
from .vocabulary import ZH_QUALIFIER_PREFIXES, ZH_SCALE_PREFIXES

_SCALE = f"[{ZH_SCALE_CHARS}]+"
_AR = r"(?:\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?!\d)|\d+(?:[,，]\d{3}(?!\d))*)(?:\.\d+)?"
_NUM = rf"(?:{_AR}(?:{_SCALE})?|[{ZH_NUMERAL_CHARS}]+)"
# The same as _NUM, written to start with one character class (so that the engine
# skips ahead fast) followed by the rest of an Arabic or of a Chinese numeral.
_NUM_FIRST = (
    rf"[0-9{ZH_NUMERAL_CHARS}](?<![\d.].)"
    rf"(?:(?<=\d)(?:\d{{0,2}}(?:[ \u00a0\u2009\u202f]\d{{3}})+(?!\d)|\d*(?:[,，]\d{{3}}(?!\d))*)"
    rf"(?:\.\d+)?(?:{_SCALE})?|(?<!\d)[{ZH_NUMERAL_CHARS}]*)"
)
# After an Arabic 万 or 亿, Arabic digits go on: 1萬2,345, 38亿6千万.
_TAIL = rf"(?:(?<=[万亿])零?\d+(?:[,，]\d{{3}}(?!\d))*(?:{_SCALE})?)*"
NUMBER_RE = re.compile(
    rf"(?P<num>(?P<head>{_NUM_FIRST})(?:[余多几](?={_SCALE}){_SCALE})?{_TAIL})(?P<post>[余多几])?"
    rf"(?:(?P<sep>至|到|~|-|—|–)(?P<num2>{_NUM})(?P<post2>[余多])?)?"
)
PERCENT_PREFIX = "百分之"
_SCALE_ONLY = frozenset(ZH_SCALE_CHARS)


class Number(NamedTuple):
    value: Decimal
    qualifier: str | None  # from inside the numeral (500余万) or a range
    end: int  # where the numeral (or range) ends
    bare: bool  # a scale word alone (百万, 千万): a number only with a qualifier


_BIG = {"万": Decimal(10**4), "亿": Decimal(10**8)}
_PLAIN_RE = re.compile(r"\d+(?:\.\d+)?")


def _plain_value(num: str) -> Decimal | None:
    """The common forms without the general parser: 336, 13.3万, 2.5亿."""
    if (num.isdigit() and num.isascii()) or _PLAIN_RE.fullmatch(num):
        return Decimal(num)
    if num[-1] in _BIG and _PLAIN_RE.fullmatch(num, 0, len(num) - 1):
        return Decimal(num[:-1]) * _BIG[num[-1]]
    return None


def read_number(m: re.Match[str]) -> Number | None:
    """The value of a match of NUMBER_RE, or None when it is no number."""
    num, post = m.group("num"), m.group("post") or ""
    if not post and not m.group("num2"):
        plain = _plain_value(num)
        if plain is not None:
            return Number(plain, None, m.end("num"), False)
    numeral = parse_numeral(num + post)
    end = m.end("post") if post else m.end("num")
    if numeral is None and m.group("head") != num:
        numeral = parse_numeral(m.group("head"))  # 5万3起: the tail was not the number's
        end, post = m.end("head"), ""
        if numeral is not None:
            return Number(numeral.value, _qualifier(numeral.qualifier), end, False)
    if numeral is None:
        return None
    value, qualifier = numeral.value, _qualifier(numeral.qualifier)
    if m.group("num2") and end == m.start("sep"):
        value, end, is_range = _range(m, value)
        if is_range:
            qualifier = qualifier or "at_least"  # a range counts at least its lower bound
    return Number(value, qualifier, end, is_bare_scale(num) and not post)


def _qualifier(q: str) -> str | None:
    return None if q == "exact" else q


_QUALIFIER_LAST_CHARS = frozenset(w[-1] for w in (*ZH_QUALIFIER_PREFIXES, *ZH_SCALE_PREFIXES))


def prefix_qualifier(norm: str, pos: int, bare: bool) -> tuple[str | None, int]:
    """The qualifier word ending at `pos` (约, 近, 超过 ... and, before a bare scale word,
    上 数 几 过), and where it starts."""
    if norm[pos - 1 : pos] not in _QUALIFIER_LAST_CHARS:
        return None, pos  # the common case, settled without a loop
    for size in (3, 2, 1):
        word = norm[max(0, pos - size) : pos]
        if len(word) == size:
            if word in ZH_QUALIFIER_PREFIXES:
                return ZH_QUALIFIER_PREFIXES[word], pos - size
            if bare and word in ZH_SCALE_PREFIXES:
                return ZH_SCALE_PREFIXES[word], pos - size
    return None, pos


def _split_scale(num: str) -> tuple[str, str]:
    """"5万" -> ("5", "万"); a trailing thousand-or-more scale only (五十 keeps its 十)."""
    head = num.rstrip("千万亿仟")
    if head and head != num and (head[-1].isdigit() or head[-1] in ZH_DIGITS):
        return head, num[len(head) :]
    return num, ""


def _range(m: re.Match[str], value: Decimal) -> tuple[Decimal, int, bool]:
    """For "10至20人" or "3至5万元": (lower bound, end, whether it is a range at all)."""
    num, num2 = m.group("num"), m.group("num2")
    upper = parse_number(num2)
    # 3至5万元 is 30000 to 50000: the upper bound's scale applies to both.
    lead, scale = _split_scale(num2)
    if scale and not _split_scale(num)[1] and not any(c in _SCALE_ONLY for c in num):
        lead_value = parse_number(lead) if lead else None
        scaled = parse_number(num + scale)
        if lead_value is not None and value <= lead_value and scaled is not None:
            value = scaled
    if upper is None or upper < value:
        return value, m.start("sep"), False
    return value, m.end(), True


def is_bare_scale(num: str) -> bool:
    return not num.strip(ZH_SCALE_CHARS) and num[0] not in "十拾"


def only_scale_chars(num: str) -> bool:
    return not num.strip(ZH_SCALE_CHARS)  # every character a scale character
