"""The noun phrase after an English number: its head noun, unit and kind.

A count above one has a plural head ("firearm components", "gambling platforms"),
which is how the head is told from its modifiers; measures take their object ("1,190
kilograms of drugs"), and "N of them" / "N of the suspects" count what was named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .vocabulary import (
    EN_BIGRAMS,
    EN_NOT_PLURAL,
    EN_NOUNS,
    EN_PLURALS,
    EN_STOP_WORDS,
    EN_TIME_WORDS,
)

EN_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*|[\"“”'‘’*]|\S")
_QUOTES = frozenset("\"“”'‘’*")
_OF_RE = re.compile(r"\s+of\s+")
_HEAD_WORDS = 7
_BIGRAM_SECONDS = frozenset(bigram.split()[1] for bigram in EN_BIGRAMS)
# "rounds" counts ammunition only: "300 rounds of ammunition", not "two rounds of talks".
_ROUNDS_OF_RE = re.compile(r"\s+of\s+(?:live\s+)?(?:ammunition|bullets|cartridges|shells)\b")


@dataclass
class Head:
    """The noun phrase after a number: its head's unit and kind, and where it ends."""

    unit: str
    kind: str
    end: int
    modifiers: list[str]
    known: bool  # the head is in the vocabulary (not just some plural noun)


def lookup(words: list[str], i: int) -> tuple[str, str] | None:
    if i > 0 and words[i] in _BIGRAM_SECONDS:
        found = EN_BIGRAMS.get(f"{words[i - 1]} {words[i]}")
        if found:
            return found
    return EN_NOUNS.get(words[i])


def _singular(word: str) -> str | None:
    """A plain singular for an unknown plural noun, or None when it is not one."""
    if len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is", "'s")):
        return None
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


class HeadReader:
    """Head-noun reading over a document's lowercased text (`self.lower`)."""

    lower: str

    def _head(self, pos: int, limit: int, single: bool = False) -> Head | None:
        """The noun phrase starting at `pos`, None when no noun follows.

        A count above one has a plural head ("firearm components"), so the head is
        the first known plural noun, else the first unknown plural; `single` (the
        number is 1) takes the first known noun instead.
        """
        words: list[str] = []
        ends: list[int] = []
        head = unknown = -1
        for t in EN_TOKEN_RE.finditer(self.lower, pos, limit):
            low = t.group()
            if "’" in low:
                low = low.replace("’", "'")
            if low in _QUOTES:
                continue
            if not low[0].isalpha():
                break
            if low in EN_STOP_WORDS:
                if low in ("and", "or") and unknown < 0:
                    continue  # inbound and outbound people
                break
            if low in EN_TIME_WORDS:
                return None  # two months, 5 consecutive years: a duration
            if unknown >= 0 and (low.endswith(("ing", "ed")) or len(words) - unknown > 3):
                break  # past the head: "officers took part", "crossers attempting"
            words.append(low)
            ends.append(t.end())
            i = len(words) - 1
            # lookup(words, i), inlined: this runs for every word after every number.
            noun = (
                EN_BIGRAMS.get(f"{words[i - 1]} {low}") if i and low in _BIGRAM_SECONDS else None
            ) or EN_NOUNS.get(low)
            if noun and (
                single or low in EN_PLURALS or (i and f"{words[i - 1]} {low}" in EN_BIGRAMS)
            ):
                head = i
                break
            if unknown < 0 and "-" not in low and low not in EN_NOT_PLURAL and _singular(low):
                unknown = i
            if len(words) >= _HEAD_WORDS:
                break
        if head < 0:
            if unknown >= 0:
                singular = _singular(words[unknown]) or words[unknown]
                return Head(singular, "other", ends[unknown], words[:unknown], False)
            known = [i for i in range(len(words)) if lookup(words, i)]
            if not known:
                return None
            head = known[-1]  # "50 kg", "3,000 yuan": units without a plural
        unit, kind = lookup(words, head) or ("", "")
        if words[head] in ("round", "rounds"):
            m = _ROUNDS_OF_RE.match(self.lower, ends[head])
            if m is None:
                return None
            return Head(unit, kind, m.end(), words[:head], True)
        return self._extend_of(Head(unit, kind, ends[head], words[:head], True), limit)

    def _extend_of(self, head: Head, limit: int) -> Head:
        """Measures take their object: "1,190 kilograms of drugs", "yuan of funds"."""
        if head.kind not in ("mass", "money"):
            return head
        pos = head.end
        for _ in range(2):  # "kilograms of various types of drugs"
            m = _OF_RE.match(self.lower, pos)
            if m is None:
                break
            obj = self._head(m.end(), limit)
            if obj is None:
                # "3.4 tons of methamphetamine": a mass noun, no plural head
                words = self.lower[m.end() : min(limit, m.end() + 40)].split()[:3]
                head.modifiers = [*head.modifiers, *(w.strip(",.;") for w in words)]
                break
            head.end = pos = obj.end
            head.modifiers = [*head.modifiers, *obj.modifiers, obj.unit]
            if obj.known:
                break
        return head

