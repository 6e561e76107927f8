"""What a Chinese number counts: its counter word (起, 名, 元, 吨, 成, 倍), else the noun
before it (资金达300亿), refined by the noun phrase after it (6名团伙骨干)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from .sentence_marks import SentenceMarks
from .text import Doc
from .vocabulary import (
    MASS_FACTORS,
    ZH_COUNTERLESS_KINDS,
    ZH_COUNTERLESS_NOUNS,
    ZH_COUNTERS,
    ZH_CURRENCY_PREFIXES,
    ZH_GENERIC_DEFAULT,
    ZH_NOUNS,
    ZH_QUALIFIER_SUFFIXES,
    ZH_REJECT_COUNTERS,
    ZH_WORD_AFTER_CHENG,
)

UNIT_KINDS: dict[str, str] = {
    **dict.fromkeys(("CNY", "USD", "HKD", "EUR", "TWD", "MOP", "JPY", "GBP", "AUD"), "money"),
    "percent": "percent", "percentage_point": "percent", "multiple": "multiple",
    "kg": "mass", "g": "mass", "t": "mass", "time": "time",
    "case": "case", "person": "person", "person_time": "person", "organization": "organization",
    "account": "account", "card": "card", "phone": "item", "device": "item", "vehicle": "item",
    "vessel": "item", "firearm": "item", "round": "item", "piece": "item", "head": "item",
    "box": "item", "set": "item", "item": "item", "copy": "item",
}  # fmt: skip
# The trailing noun phrase (6名团伙骨干) ends at punctuation, a digit or one of these.
_TRAIL_STOP_RE = re.compile(
    r"[\s，,。；;：:、！？!?（）()“”\"\d的进被已并均都将从于后中在是为与和及或等]"
)
_CURRENCY_LAST_CHARS = frozenset(word[-1] for word in ZH_CURRENCY_PREFIXES)
NOUN_WINDOW = 12


def alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


COUNTER_RE = re.compile(r"[ \t]*(?P<c>" + alternation(set(ZH_COUNTERS) | ZH_REJECT_COUNTERS) + ")")
SUFFIX_RE = re.compile("(?:" + alternation(ZH_QUALIFIER_SUFFIXES) + ")")


class UnitReader:
    doc: Doc
    norm: str
    nouns: SentenceMarks
    verbs: SentenceMarks
    counters: dict[int, re.Match[str] | None]

    def _counter(self, pos: int) -> re.Match[str] | None:
        """COUNTER_RE.match(norm, pos), matched once per position."""
        if pos in self.counters:
            return self.counters[pos]
        found = self.counters[pos] = COUNTER_RE.match(self.norm, pos)
        return found

    def _unit(
        self, end: int, s: int, qs: int, floor: int, clause_end: int, pct: bool
    ) -> tuple[str, str, int, Decimal, int] | None:
        """(unit, kind, end of the counter, value factor, end of the noun phrase after
        the counter), or None when the number is not a figure."""
        norm = self.norm
        left = self._left_noun(max(floor, s - NOUN_WINDOW), s)
        if pct:
            return "percent", "percent", end, Decimal(1), end
        cm = self._counter(end)
        if cm is None:
            # 涉案流水资金达300亿: a bare amount after a money noun.
            tail = norm[end : end + 1]
            counterless = left is not None and (
                ZH_NOUNS[left][1] in ZH_COUNTERLESS_KINDS or left in ZH_COUNTERLESS_NOUNS
            )
            ends_here = not ("\u4e00" <= tail <= "\u9fff") or SUFFIX_RE.match(norm, end)
            if left is not None and counterless and ends_here:
                unit, kind = ZH_NOUNS[left]
                return unit, kind, end, Decimal(1), end
            return None
        counter = cm.group("c")
        if counter in ZH_REJECT_COUNTERS:
            return None
        end = cm.end()
        if counter == "成":
            if norm[end : end + 1] in ZH_WORD_AFTER_CHENG:
                return None  # 3成员, 五成熟: 成 begins a word
            return "percent", "percent", end, Decimal(10), end  # 六成 is 60 percent
        if counter == "倍":
            return "multiple", "multiple", end, Decimal(1), end
        trail_end, trail_noun = self._trailing_noun_end(end, clause_end)
        noun = trail_noun or left
        unit = ZH_COUNTERS[counter]
        if not unit:
            if noun and not (counter == "件" and ZH_NOUNS[noun][1] == "person"):
                unit, kind = ZH_NOUNS[noun]
                return unit, kind, end, Decimal(1), trail_end
            default = ZH_GENERIC_DEFAULT[counter]
            if default is None:
                return None
            return default, UNIT_KINDS.get(default, "other"), end, Decimal(1), trail_end
        kind = UNIT_KINDS.get(unit, "other")
        factor = Decimal(1)
        if unit == "CNY":  # 新臺幣38億元, 澳门币130万元, 新臺幣逾4億元
            word = self._currency_word_before(s) or self._currency_word_before(qs)
            unit = ZH_CURRENCY_PREFIXES.get(word, unit)
        if unit in MASS_FACTORS:
            factor, unit = MASS_FACTORS[unit], "kg"
            if self._has_kind(floor, trail_end, "drug"):
                kind = "drug"
        elif kind == "person" and noun and ZH_NOUNS[noun][1] in ("gambler", "fugitive"):
            kind = ZH_NOUNS[noun][1]
        elif kind == "time":
            clause_start = self.doc.layout.clause(s)[0]
            for k in ("message", "call"):
                if self._has_kind(clause_start, s, k):
                    kind = k
                    break
        return unit, kind, end, factor, trail_end

    def _currency_word_before(self, pos: int) -> str:
        if self.norm[pos - 1 : pos] not in _CURRENCY_LAST_CHARS:
            return ""
        before = self.norm[max(0, pos - 4) : pos]
        for word in ZH_CURRENCY_PREFIXES:
            if before.endswith(word):
                return word
        return ""

    def _left_noun(self, lo: int, hi: int) -> str | None:
        found = self.nouns.between(lo, hi)
        return found[-1][2] if found else None

    def _has_kind(self, lo: int, hi: int, kind: str) -> bool:
        return any(ZH_NOUNS[n[2]][1] == kind for n in self.nouns.between(lo, hi))

    def _trailing_noun_end(self, end: int, clause_end: int) -> tuple[int, str | None]:
        """End of a noun phrase right after the counter (6名团伙骨干), and its head noun."""
        limit = min(clause_end, end + NOUN_WINDOW + 2)
        stop = _TRAIL_STOP_RE.search(self.norm, end, limit)
        if stop is not None:
            limit = stop.start()
        verbs = self.verbs.between(end, limit)
        if verbs:
            limit = verbs[0][0]  # a verb begins the next phrase: 18名打掉团伙3个
        found = self.nouns.between(end, limit)
        if not found:
            return end, None
        return found[-1][1], found[-1][2]

