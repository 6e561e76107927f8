"""parse_number: one numeral expression -> Decimal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extraction import parse_number

CASES = [
    # Arabic, with thousands separators and decimals
    ("1578", 1578),
    ("1,578", 1578),
    ("1，578", 1578),
    ("1 578", 1578),
    ("1\u00a0578\u00a0000", 1578000),
    ("13.6", Decimal("13.6")),
    ("0.5", Decimal("0.5")),
    ("21050,000", 21050000),  # a noisy translation's grouping, still unambiguous
    # full-width digits
    ("１２３", 123),
    ("１，５７８", 1578),
    ("１３．６万", 136000),
    # 万 / 亿 and their mixtures
    ("13.6万", 136000),
    ("2.1亿", 210000000),
    ("1.58万亿", 1580000000000),
    ("3千", 3000),
    ("3千万", 30000000),
    ("5百万", 5000000),
    ("300亿", 30000000000),
    ("3万5千", 35000),
    ("千万", 10000000),
    ("万", 10000),
    # Chinese numerals
    ("三百二十一", 321),
    ("两千零五", 2005),
    ("一万二", 12000),
    ("三千五", 3500),
    ("一亿二", 120000000),
    ("十五", 15),
    ("二十", 20),
    ("一百零五万", 1050000),
    ("一亿二千三百万", 123000000),
    ("三亿五千万", 350000000),
    ("两", 2),
    ("〇", 0),
    ("零", 0),
    ("二〇二〇", 2020),
    ("壹佰贰拾", 120),
    # English scale words and small number words
    ("13.89 million", 13890000),
    ("328.8 billion", 328800000000),
    ("1.2 trillion", 1200000000000),
    ("5 thousand", 5000),
    ("2.5bn", 2500000000),
    ("five", 5),
    ("twelve", 12),
    ("Twelve", 12),
    ("a dozen", 12),
    ("two dozen", 24),
    ("twenty-six", 26),
    ("one hundred and five", 105),
    ("three hundred thousand", 300000),
    ("five million", 5000000),
]

NOT_NUMBERS = [
    "",
    "   ",
    "abc",
    "suspects",
    "多",
    "三四十",  # "thirty or forty": a range, not one number
    "2,3",
    "1.2.3",
    "a",
    "million",
    "13.6万人",  # a numeral with its counter is not a bare numeral
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse_number(text: str, expected: int | Decimal) -> None:
    value = parse_number(text)
    assert value == Decimal(expected)
    assert isinstance(value, Decimal)


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_not_a_number(text: str) -> None:
    assert parse_number(text) is None


def test_integral_values_have_no_fraction() -> None:
    assert str(parse_number("13.6万")) == "136000"
    assert str(parse_number("13.89 million")) == "13890000"
