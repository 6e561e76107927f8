"""The words right around an English number: qualifier before it ("more than"), currency
sign before it (US$), and after it a unit word (percent, times, yuan), "-plus" or a range.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from .numerals_en import EN_SCALES
from .patterns import trie_regex
from .vocabulary import EN_CURRENCY_AFTER, EN_CURRENCY_BEFORE, EN_PARTICLE_VERBS, EN_QUALIFIERS

_SCALES = r"hundred|thousand|million|billion|trillion|bn|mn"
_DIGITS = r"(?:\d{1,3}(?:[\u00a0\u2009\u202f]\d{3})+(?!\d)|\d+(?:,\d{3}(?!\d))*(?:\.\d+)?)"
_CURRENCY_AFTER_RE = re.compile(rf"\s*(?P<c>{trie_regex(EN_CURRENCY_AFTER)})(?![\w$])")
_PERCENT_RE = re.compile(r"\s*-?\s*(?:%|percent\b|per\s*cent\b|pct\b)")
_POINTS_RE = re.compile(r"\s*percentage\s+points?\b")
_PLUS_RE = re.compile(r"\+|-plus\b|\s+or\s+more\b|-odd\b")
_RANGE_RE = re.compile(rf"\s*(?:-|–|—|to|and)\s*(?P<hi>{_DIGITS})(?:\s*(?P<scale>{_SCALES})\b)?")
_CURRENCY_LAST_CHARS = frozenset(sign[-1] for sign in EN_CURRENCY_BEFORE)
_CURRENCY_FIRST_CHARS = frozenset(word[0] for word in EN_CURRENCY_AFTER)
_AFTER_NUMBER_WORDS = ("or ", "to ", "and ")
_SCALE_VALUES = {**EN_SCALES, "hundred": 100}
_GROUPING_RE = re.compile(r"[,\u00a0\u2009\u202f]")
_QUALIFIER_WORDS = 3  # the longest qualifier, "no less than"
_QUALIFIER_LAST_WORDS = frozenset(phrase.split()[-1] for phrase in EN_QUALIFIERS)
# A multiple, not occurrences: "three times that of", "2.5 times as many", "fourfold".
_MULTIPLE_RE = re.compile(
    r"-?\s*fold\b|\s*times\b(?=\s+(?:as|that|those|the|more|higher|larger|greater|bigger|than"
    r"|over|compared|what)\b)"
)


class Candidate(NamedTuple):
    start: int
    end: int
    form: str  # digits | word | vague
    text: str
    scale: str


def digits_value(text: str, scale: str) -> Decimal:
    """What parse_number gives for "1,578" or "13.89 million", without its generality."""
    if not text.isdigit():
        text = text.replace(",", "")  # the common grouping; the others are not ASCII
        if not text.isascii():
            text = _GROUPING_RE.sub("", text)
    value = Decimal(text)
    if scale:
        value *= _SCALE_VALUES[scale]
    return value


class AroundReader:
    lower: str

    @staticmethod
    def _currency_before(before: str) -> tuple[str, int] | None:
        """A currency sign or code ending `before` (RMB 5 million, US$12 million)."""
        stripped = before.rstrip()
        if stripped[-1:] not in _CURRENCY_LAST_CHARS:
            return None
        for sign, code in EN_CURRENCY_BEFORE.items():
            if stripped.endswith(sign) and not stripped[-len(sign) - 1 : -len(sign)].isalpha():
                return code, len(stripped) - len(sign)
        return None

    def _plus_or_range(
        self, cand: Candidate, value: Decimal, before: str, e: int
    ) -> tuple[Decimal, str | None, int]:
        """"300-plus", "300 or more", "10-20", "between 10 and 20", "2 to 3 million":
        (value, qualifier, new end).  A range counts at least its lower bound."""
        lower = self.lower
        qualifier = None
        ahead = lower[e : e + 6].lstrip()
        if not (ahead[:1] in "+-–—" and ahead) and not ahead.startswith(_AFTER_NUMBER_WORDS):
            return value, None, e
        plus = _PLUS_RE.match(lower, e)
        if plus:
            qualifier, e = "more_than", plus.end()
        rng = _RANGE_RE.match(lower, e)
        if rng and (rng.group().lstrip()[:3] != "and" or before.rstrip().endswith("between")):
            upper = digits_value(rng.group("hi"), rng.group("scale") or "")
            if rng.group("scale") and not cand.scale and cand.form == "digits":
                value = digits_value(cand.text, rng.group("scale"))
            if upper >= value:
                qualifier, e = qualifier or "at_least", rng.end()
        return value, qualifier, e

    def _unit_word(self, e: int) -> tuple[str | None, int]:
        """A unit written right after the number: percent, percentage points, a currency."""
        lower = self.lower
        first = lower[e : e + 4].lstrip()[:1]  # patterns are tried only where they may match
        if first in "p%-":
            if points := _POINTS_RE.match(lower, e):
                return "percentage_point", points.end()
            if percent := _PERCENT_RE.match(lower, e):
                return "percent", percent.end()
        if first in "tf-" and (multiple := _MULTIPLE_RE.match(lower, e)):
            return "multiple", multiple.end()
        if first in _CURRENCY_FIRST_CHARS and (money := _CURRENCY_AFTER_RE.match(lower, e)):
            return EN_CURRENCY_AFTER[" ".join(money.group("c").split())], money.end()
        return None, e

    @staticmethod
    def _qualifier(before: str) -> tuple[str, int] | None:
        """The qualifier ending `before` (lowercased), with its offset in `before`."""
        if not before[-1:].isspace():
            return None
        text = before.rstrip()
        if text[max(text.rfind(" "), text.rfind("\n")) + 1 :].lstrip("(\"“‘'[") not in (
            _QUALIFIER_LAST_WORDS
        ):
            return None
        # The last words only: the longest qualifier has _QUALIFIER_WORDS.
        last = before.rsplit(None, _QUALIFIER_WORDS)[-_QUALIFIER_WORDS:]
        tokens = [t.lstrip("(\"“‘'[") for t in last]
        for size in range(min(_QUALIFIER_WORDS, len(tokens)), 0, -1):
            phrase = " ".join(tokens[-size:])
            if phrase in EN_QUALIFIERS:
                if phrase == "over" and len(tokens) > 1 and tokens[-2] in EN_PARTICLE_VERBS:
                    return None  # handed over 300 suspects
                pos = len(before)
                for token in reversed(tokens[-size:]):
                    pos = before.rfind(token, 0, pos)
                return EN_QUALIFIERS[phrase], pos
        return None

