"""parse_number and parse_numeral on every form of issue 14: right or silent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extraction.numbers import parse_number, parse_numeral

D = Decimal

RIGHT = [
    # The wrong values of the old parser: 万万 and 亿亿 multiply.
    ("10万万", 10**9),
    ("四万万", 4 * 10**8),
    ("亿亿", 10**16),
    ("一万万", 10**8),
    ("1.2万亿", 12 * 10**11),
    ("一万三千亿", 13 * 10**11),
    # Traditional characters
    ("四萬萬", 4 * 10**8),
    ("38億6千萬", 3_860_000_000),
    ("1萬2,345", 12345),
    ("2.9萬", 29000),
    ("兩千零五", 2005),
    ("貳仟零伍", 2005),
    ("陸佰", 600),
    # Negatives
    ("负一百", -100),
    ("負十一", -11),
    ("-10.1万", -101000),
    ("−3", -3),
    ("-5", -5),
    ("minus five", -5),
    ("negative 5", -5),
    ("Minus 2.5 million", -2_500_000),
    ("负零点一零", D("-0.1")),
    # Financial capitals, 兩, 倆, 〇, 零
    ("壹佰贰拾万", 1_200_000),
    ("壹拾壹元整", 11),
    ("伍亿柒仟万拾柒", 570_000_017),
    ("拾万零壹", 100001),
    ("倆", 2),
    ("〇", 0),
    ("二〇二三", 2023),
    ("一七二零", 1720),
    ("一千零一亿一千零一万一千零一", 100_110_011_001),
    ("一十一万一千一百一十一", 111111),
    ("廿二", 22),
    # Spaced numerals
    ("7 万 5 千 4 百", 75400),
    ("3 万", 30000),
    # 打 and dozen, 半百
    ("一打", 12),
    ("三打", 36),
    ("半打", 6),
    ("半百", 50),
    ("a dozen", 12),
    ("two dozen", 24),
    ("half a dozen", 6),
    ("dozen", 12),
    # Decimals, 点
    ("三点五", D("3.5")),
    ("三点五万", 35000),
    ("一百点123", D("100.123")),
    ("零点零一", D("0.01")),
    ("一七二零点一", D("1720.1")),
    # Arabic mixed with Chinese
    ("100万三千", 1_003_000),
    ("200亿零四千230", 20_000_004_230),
    ("300十万", 30_000_000),
    ("3.1千万", 31_000_000),
    # Colloquial abbreviations
    ("三万五", 35000),
    ("两千六", 2600),
    ("一百二", 120),
    # Percentages and fractions are plain numbers here
    ("百分之五", D("0.05")),
    ("百分之三点五", D("0.035")),
    ("千分之五", D("0.005")),
    ("四分之三", D("0.75")),
    ("5%", D("0.05")),
    ("12.5 percent", D("0.125")),
    # English shorthand
    (".08", D("0.08")),
    ("1.2b", 1_200_000_000),
    ("10 bln", 10**10),
    ("2mil", 2_000_000),
    ("1MM", 1_000_000),
    ("1e10", 10**10),
    ("2.5E-3", D("0.0025")),
    ("10K", 10000),
    ("3.4k", 3400),
    ("1.5M", 1_500_000),
    ("2 lakh", 200_000),
    ("1.5 crore", 15_000_000),
    ("21050,000", 21_050_000),
    # English words
    ("forty two", 42),
    ("forty-two", 42),
    ("fourty two", 42),
    ("twentyone", 21),
    ("four hundred and forty two", 442),
    ("nine hundred and ninety nine", 999),
    ("twelve hundred", 1200),
    ("one thousand two hundred", 1200),
    ("seventy four thousand and two", 74002),
    ("ninety nine thousand nine hundred ninety nine", 99999),
    ("one million two hundred fifty thousand and seven", 1_250_007),
    ("twentyone-thousand-four-hundred-and-seventy-three", 21473),
    ("one billion and one", 1_000_000_001),
    ("two million, three hundred thousand", 2_300_000),
    ("5 hundred", 500),
    ("100 thousand", 100_000),
    ("5 million 300 thousand", 5_300_000),
    ("a hundred", 100),
    ("a million", 1_000_000),
    ("two and a half", D("2.5")),
    ("two and three eighths", D("2.375")),
    ("one and a quarter", D("1.25")),
    ("three quarters", D("0.75")),
    ("one half", D("0.5")),
    ("half a million", 500_000),
    ("one and a half million", 1_500_000),
    ("a million and a half", 1_500_000),
    ("a dozen and a half", 18),
    ("two and a half thousand", 2500),
    ("two point five", D("2.5")),
    ("point five", D("0.5")),
    ("one point two million", 1_200_000),
    ("zero", 0),
]

# Value plus the qualifier held inside the numeral.
QUALIFIED = [
    ("500余万", 5_000_000, "more_than"),
    ("一千多万", 10_000_000, "more_than"),
    ("二十几万", 200_000, "more_than"),
    ("十余万", 100_000, "more_than"),
    ("上百万", 1_000_000, "more_than"),
    ("過萬", 10_000, "more_than"),
    ("1700餘", 1700, "more_than"),
    ("十几", 10, "more_than"),
    ("十来", 10, "about"),
    ("数百", 100, "vague"),
    ("几十万", 100_000, "vague"),
    ("約27億", 2_700_000_000, "about"),
    ("近13.6万", 136_000, "nearly"),
    ("100万左右", 1_000_000, "about"),
    ("3000以上", 3000, "more_than"),
    ("more than 300", 300, "more_than"),
    ("about 1.2 million", 1_200_000, "about"),
    ("300-plus", 300, "more_than"),
    ("nearly 5,000", 5000, "nearly"),
]

SILENT = [
    "十一十二",  # two numbers
    "十七十八",
    "负十一十二",
    "百十一",
    "三四十",  # a range
    "10.1万零100",  # a decimal ends the numeral
    "1.5千三百",
    "10..1万",
    "零点",
    "点零",
    "点一",
    "零点点",
    "零点零大",
    "一亿万",
    "万一",  # a word: in case
    "千一",  # 1100 or 1001?
    "1万23",  # 12300 or 10023?
    "三分之一",  # no finite decimal
    "约500余万",  # two qualifiers
    "one fifty",
    "nineteen eighty four",
    "five six",
    "a third",
    "two thirds",
    "first",
    "twenty-first",
    "21st",
    "dozens",
    "thousand thousand",
    "million",
    "1,2",
    "12,34",
    "1.000.000",
    "1/2",
    "5t",
    "--5",
    "- -5",
    "$5",
    "多",
    "几",
    "余",
]


@pytest.mark.parametrize(("text", "expected"), RIGHT)
def test_right(text: str, expected: int | Decimal) -> None:
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize(("text", "value", "qualifier"), QUALIFIED)
def test_qualifier_inside_numeral(text: str, value: int, qualifier: str) -> None:
    numeral = parse_numeral(text)
    assert numeral is not None
    assert (numeral.value, numeral.qualifier) == (Decimal(value), qualifier)
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", SILENT)
def test_silent(text: str) -> None:
    assert parse_number(text) is None


def test_old_wrong_values_are_gone() -> None:
    # The examples: 10万万 was 1,000,010,000 and 四万万 400,010,000.
    assert parse_number("10万万") != Decimal(1_000_010_000)
    assert parse_number("四万万") != Decimal(400_010_000)
