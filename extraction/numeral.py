"""The value object of a parsed numeral, and the Arabic numbers every parser shares."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

EXACT = "exact"


@dataclass(frozen=True)
class Numeral:
    value: Decimal
    qualifier: str = EXACT


def tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros: 13.6万 is 136000 (not 136000.0), 500克 is 0.5 kg (not 0.500)."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


# 1,234,567.8 | 1 234 567 | 1234.5 | .08, optionally with an exponent (1e10, 2.5E-3).
_ARABIC_RE = re.compile(
    r"(?:\d+(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+|\d+)(?:\.\d+)?"
    r"|\.\d+"
    r"|\d+(?:\.\d+)?[eE][+-]?\d{1,3}"
)
_GROUPING_RE = re.compile(r"[, \u00a0\u2009\u202f]")


def parse_arabic(text: str) -> Decimal | None:
    """Digits with optional grouping, decimals and exponent: "1,578", "1 000", ".08", "1e10"."""
    if not _ARABIC_RE.fullmatch(text):
        return None
    try:
        return Decimal(_GROUPING_RE.sub("", text))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
