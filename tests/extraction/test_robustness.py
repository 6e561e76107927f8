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
