"""Shares, changes and multiples in English (see extraction/changes.py for the rules),
and counts that name their noun elsewhere: "eight of them", "rose by 1,930 cases to
19,850".
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .changes import EN_RATE_WORDS, en_direction
from .english_heads import EN_TOKEN_RE
from .metrics import choose_metric
from .sentence_marks import SentenceMarks
from .text import LOOK_BACK, Doc
from .vocabulary import EN_INVOLVED_MARKERS, EN_NOUNS, EN_SUBJECT_NOUNS, EN_VERBS

SHARE_KINDS = frozenset({"percent", "multiple"})
# Direction words that, before a plain count, may be something else: "rounded up 30
# suspects", "cut 12 cables"; they mark a change of a count only with "by" or "of".
_LOOSE = frozenset({"up", "down", "higher", "lower", "cut", "growth", "jump", "surge", "dip",
                    "drop", "reduction", "increase", "decrease", "decline", "fall", "rise"})
_PRONOUN_RE = re.compile(r"\s+of\s+(?:them|those|these|whom|which)\b")
_OF_THE_RE = re.compile(r"\s+of\s+(?:the|these|those|their|its|our)\s+")
_TO_RE = re.compile(r"\bto\s+(?:about\s+|some\s+|nearly\s+)?$")
_VERBS_TRIED = 4


def verb_class(verb: str) -> str:
    """The class of a verb matched in the text ("dealt  with" is "dealt with")."""
    return EN_VERBS.get(verb) or EN_VERBS[" ".join(verb.split())]


class Previous(NamedTuple):
    """A figure already found in the current sentence."""

    metric: str
    unit: str
    kind: str
    end: int
    sentence: int
    direction: str | None


class ChangeReader:
    doc: Doc
    lower: str
    verbs: SentenceMarks
    previous: list[Previous]

    def _direction(self, qs: int, clause_start: int, share: bool) -> tuple[str, int] | None:
        """up / down from the words before the number (or its qualifier), and where they start."""
        lo = max(clause_start, qs - 40)
        found = en_direction(self.lower[lo:qs])
        if found is None:
            return None
        direction, at = found
        word = self.lower[lo + at :].split(None, 1)[0]
        tail = self.lower[lo + at : qs]
        if not share and word in _LOOSE and " by" not in tail and " of" not in tail:
            return None
        return direction, lo + at

    def _sentence_previous(self, pos: int) -> list[Previous]:
        sentence = self.doc.layout.whole_sentence(pos)[0]
        return [p for p in self.previous if p.sentence == sentence and pos - p.end < LOOK_BACK]

    def _antecedent(self, s: int, e: int) -> tuple[Previous, int] | None:
        """"eight of them": the figure the pronoun refers to, and the end of "of them"."""
        m = _PRONOUN_RE.match(self.lower, e) if self.lower.startswith(" of ", e) else None
        if m is None:
            return None
        previous = self._sentence_previous(s) or [
            p for p in self.previous if s - p.end < LOOK_BACK
        ]
        return (previous[-1], m.end()) if previous else None

    def _of_the(self, e: int) -> int | None:
        """"five of the suspects": where the noun phrase after "of the" starts."""
        if not self.lower.startswith(" of ", e):
            return None
        m = _OF_THE_RE.match(self.lower, e)
        return m.end() if m else None

    def _level_after_change(self, s: int) -> Previous | None:
        """"rose by 1,930 cases to 19,850": the new level counts what the change counted."""
        previous = self._sentence_previous(s)
        if not previous or previous[-1].direction is None:
            return None
        last = previous[-1]
        gap = self.lower[last.end : s]
        return last if len(gap) <= 16 and _TO_RE.search(gap) else None

    def _change_metric(self, kind: str, qs: int, clause_start: int, direction: str | None) -> str:
        before = self.lower[clause_start:qs]
        if kind == "percent" and not direction:
            return "other"  # a share: "49.6 percent of the victims"
        words = [t.group() for t in EN_TOKEN_RE.finditer(before) if t.group()[0].isalpha()]
        if any(w in EN_RATE_WORDS for w in words):
            return "other"  # "the detection rate improved by 2.1 percentage points"
        subject = next((w for w in reversed(words) if w in EN_NOUNS or w in EN_SUBJECT_NOUNS), None)
        verbs = self.verbs.last(clause_start, qs, _VERBS_TRIED)
        if subject is None and not verbs:
            previous = self._sentence_previous(qs)
            if previous:
                return previous[-1].metric  # "seized 1.2 tons of drugs, up 35%"
        if kind in SHARE_KINDS:
            if subject is None:
                return "other"
            kind = (EN_NOUNS.get(subject) or EN_SUBJECT_NOUNS[subject])[1]
        involved = kind == "money" and any(w in before for w in EN_INVOLVED_MARKERS)
        classes = [verb_class(v[2]) for v in verbs]
        return choose_metric(kind, classes, [], involved)
