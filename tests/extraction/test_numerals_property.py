"""Property: a numeral built from valid parts parses to the value built from them, or to
nothing; never to another value.  Canonical forms must parse (right, not silent)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.numbers import parse_number

DIGITS = "零一二三四五六七八九"
FINANCIAL = "零壹贰叁肆伍陆柒捌玖"
TRADITIONAL = "零壹貳參肆伍陸柒捌玖"
SMALL = {"plain": "十百千", "financial": "拾佰仟", "traditional": "拾佰仟"}
BIG = {"plain": ("万", "亿"), "financial": ("万", "亿"), "traditional": ("萬", "億")}
SETS = {"plain": DIGITS, "financial": FINANCIAL, "traditional": TRADITIONAL}


def zh_section(n: int, style: str, liang: bool, short_ten: bool) -> str:
    """0 < n < 10000 in Chinese, with 零 for every gap (两千零五, 一千零一十)."""
    digits, units = SETS[style], SMALL[style]
    out = []
    gap = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // power % 10
        if d == 0:
            gap = bool(out)
            continue
        if gap:
            out.append(digits[0])
            gap = False
        ch = digits[d]
        if d == 2 and liang and power >= 100 and style == "plain":
            ch = "两"
        out.append(ch + unit)
    text = "".join(out)
    if short_ten and 10 <= n < 20 and text.startswith(digits[1] + units[0]):
        text = text[1:]  # 十五 for 一十五
    return text


def zh_number(n: int, style: str, liang: bool, arabic_head: bool, spaced: bool) -> str:
    """Any 0 < n < 10^16: what stands above 亿 is one number below 10^8 (一万二千亿)."""
    wan, yi = BIG[style]
    zero = SETS[style][0]
    first = [True]

    def section(m: int) -> str:
        if arabic_head and first[0]:
            first[0] = False
            return str(m)
        text = zh_section(m, style, liang, first[0])
        first[0] = False
        return text

    def below_yi(m: int) -> str:
        high, low = divmod(m, 10**4)
        text = section(high) + wan if high else ""
        if low:
            text += (zero if high and low < 1000 else "") + section(low)
        return text

    high, low = divmod(n, 10**8)
    text = below_yi(high) + yi if high else ""
    if low:
        text += (zero if high and low < 10**7 else "") + below_yi(low)
    return " ".join(text) if spaced else text


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=10**16 - 1),
    style=st.sampled_from(["plain", "financial", "traditional"]),
    liang=st.booleans(),
    arabic_head=st.booleans(),
    spaced=st.booleans(),
)
def test_chinese_numerals(n: int, style: str, liang: bool, arabic_head: bool, spaced: bool) -> None:
    text = zh_number(n, style, liang, arabic_head, spaced)
    value = parse_number(text)
    assert value in (None, Decimal(n)), text
    if not arabic_head and not spaced:
        assert value == Decimal(n), text  # the canonical form must be read


ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SCALES = [(10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand")]


def en_below_thousand(n: int, hyphen: bool, british: bool) -> str:
    words = []
    if n >= 100:
        words += [ONES[n // 100], "hundred"]
        n %= 100
        if n and british:
            words.append("and")
    if n >= 20:
        words.append(TENS[n // 10] + ("-" + ONES[n % 10] if hyphen and n % 10 else ""))
        if n % 10 and not hyphen:
            words.append(ONES[n % 10])
    elif n:
        words.append(ONES[n])
    return " ".join(words)


def en_number(n: int, hyphen: bool, british: bool, commas: bool) -> str:
    parts = []
    for size, name in SCALES:
        if n >= size:
            parts.append(en_below_thousand(n // size, hyphen, british) + " " + name)
            n %= size
    if n:
        below = en_below_thousand(n, hyphen, british)
        if parts and n < 100 and british:
            below = "and " + below
        parts.append(below)
    return (", " if commas else " ").join(parts)


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=10**15 - 1),
    hyphen=st.booleans(),
    british=st.booleans(),
    commas=st.booleans(),
    upper=st.booleans(),
)
def test_english_numerals(n: int, hyphen: bool, british: bool, commas: bool, upper: bool) -> None:
    text = en_number(n, hyphen, british, commas)
    if upper:
        text = text.title()
    assert parse_number(text) == Decimal(n), text


SCALE_WORDS = {
    10**3: ["k", "K", "thousand"],
    10**6: ["m", "M", "mn", "MM", "mil", "mln", "million"],
    10**9: ["b", "bn", "bln", "billion"],
}


@settings(max_examples=300, deadline=None)
@given(
    whole=st.integers(min_value=0, max_value=999),
    tenths=st.integers(min_value=0, max_value=99),
    scale=st.sampled_from(sorted(SCALE_WORDS)),
    pick=st.integers(min_value=0, max_value=6),
    space=st.booleans(),
    zh_scale=st.booleans(),
)
def test_digits_with_a_scale(
    whole: int, tenths: int, scale: int, pick: int, space: bool, zh_scale: bool
) -> None:
    number = f"{whole}.{tenths:02d}" if tenths else str(whole)
    expected = Decimal(number) * scale
    if zh_scale and scale != 10**3:
        word = {10**6: "百万", 10**9: "十亿"}[scale]
    else:
        words = SCALE_WORDS[scale]
        word = words[pick % len(words)]
    text = number + (" " if space else "") + word
    if expected == 0:
        return
    assert parse_number(text) == expected, text


PARTS = [
    "一", "二", "两", "三", "五", "九", "十", "百", "千", "万", "亿", "零", "点", "余", "多", "几",
    "1", "23", "4.5", ",", " ", "-", "负", "百分之", "分之", "半", "打", "one", "hundred", "and",
    "a", "half", "million", "k", "%", "twenty", "-", "dozen", "point",
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(parts=st.lists(st.sampled_from(PARTS), min_size=1, max_size=8))
def test_any_concatenation_is_a_number_or_none(parts: list[str]) -> None:
    """Random concatenations of parts never raise, and a value that comes out reads the
    same from the Traditional form (the character map changes no value)."""
    text = "".join(parts)
    value = parse_number(text)
    assert value is None or isinstance(value, Decimal)
    traditional = text.translate(str.maketrans("万亿两余", "萬億兩餘"))
    assert parse_number(traditional) == value
