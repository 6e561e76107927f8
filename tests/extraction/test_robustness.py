"""Whatever the text, extraction does not fail and its spans are exact."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from extraction import extract_figures

EVAL = Path(__file__).resolve().parents[1] / "fixtures" / "eval"
QUALIFIERS = {"exact", "more_than", "about", "nearly", "at_least", "up_to", "vague"}
ALPHABET = (
    "0123456789１２３一二两三十百千万亿余多约近超至-.,，、。；: 起人名个元%kg年月日第“”\"()（）\n"
    "abc suspects cases more than about million"
)


def _check(text: str) -> None:
    for fig in extract_figures(text):
        assert text[fig.start : fig.end] == fig.text
        assert fig.value > 0
        assert fig.qualifier in QUALIFIERS


@pytest.mark.parametrize("seed", sorted(EVAL.glob("*.txt")), ids=lambda p: p.name[:3])
def test_slices_of_seeds(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    for start in range(0, len(text), 11):
        for width in (7, 40, 120):
            _check(text[start : start + width])


def test_random_strings() -> None:
    rng = random.Random(20240101)
    for _ in range(3000):
        _check("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40))))


@pytest.mark.parametrize(
    "numeral",
    ["亿" * 800, "万" * 2000, "十" * 3000, "1亿" * 500, "零" * 5000, "一" + "万亿" * 400],
    ids=["yi", "wan", "shi", "1yi", "ling", "wan-yi"],
)
def test_long_runs_of_numeral_characters_are_no_number_and_no_crash(numeral: str) -> None:
    """Probe: 800 consecutive 亿 recursed once per 亿 and raised RecursionError."""
    text = f"冻结资金{numeral}元。抓获犯罪嫌疑人12名。"
    figures = extract_figures(text)
    _check(text)
    assert [f.value for f in figures if f.metric == "suspects_detained"] == [12]
