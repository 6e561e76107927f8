"""Matches of one vocabulary pattern (verbs, nouns) in a document, found sentence by
sentence, and only in the sentences asked about."""

from __future__ import annotations

import re
from bisect import bisect_left

from .text import Doc
from .wordscan import WordPattern


class SentenceMarks:
    """Matches of one vocabulary pattern (its group "w"), found sentence by sentence
    on demand.

    Queries never cross a sentence, and most sentences hold no number, so matching
    only the sentences asked about keeps the cost proportional to the figures.

    by_clause: match clause by clause instead, for a pattern no match of which holds a
    clause mark and queries that never cross a clause (fewer characters are read).
    """

    def __init__(
        self, pattern: re.Pattern[str] | WordPattern, doc: Doc, by_clause: bool = False
    ) -> None:
        """pattern: a WordPattern runs on the lowercased text, a plain pattern on the
        normal form."""
        self.pattern = pattern
        self.doc = doc
        layout = doc.layout
        self.unit = layout.whole_clause if by_clause else layout.whole_sentence
        self.cache: dict[int, tuple[list[int], list[tuple[int, int, str]]]] = {}
        self.bounds = (0, 0)  # of the sentence (or clause) last asked about
        self.entry: tuple[list[int], list[tuple[int, int, str]]] = ([], [])  # and its matches

    def _matches(self, start: int, end: int) -> list[re.Match[str]]:
        pattern = self.pattern
        if not isinstance(pattern, WordPattern):
            return list(pattern.finditer(self.doc.norm, start, end))
        return pattern.finditer_opening(self.doc.lower, self.doc.scan, start, end)

    def _entry(self, lo: int) -> tuple[list[int], list[tuple[int, int, str]]]:
        """(starts, matches) of the sentence (or clause) holding `lo`, made the current one."""
        start, end = self.bounds = self.unit(lo)
        entry = self.cache.get(start)
        if entry is None:
            # Group 1 is "w".
            found = [(m.start(1), m.end(1), m.group(1)) for m in self._matches(start, end)]
            entry = self.cache[start] = ([f[0] for f in found], found)
        self.entry = entry
        return entry

    def between(self, lo: int, hi: int) -> list[tuple[int, int, str]]:
        """Matches lying wholly inside [lo, hi), in order; [lo, hi) is within one sentence
        and, as every window of Layout, bounded in length."""
        if hi <= lo:
            return []
        # Most queries are about the sentence of the one before: its entry is at hand,
        # without a call (between and last run several times for every number).
        start, end = self.bounds
        starts, found = self.entry if start <= lo < end else self._entry(lo)
        i, j = bisect_left(starts, lo), bisect_left(starts, hi)
        if i == j:
            return []
        self.doc.lookups += j - i
        inside = found[i:j]
        if inside[-1][1] > hi:  # the matches are ordered and disjoint: only the last may
            del inside[-1]  # run past hi
        return inside

    def last(self, lo: int, hi: int, count: int) -> list[tuple[int, int, str]]:
        """The last `count` matches inside [lo, hi), nearest to `hi` first."""
        if hi <= lo:
            return []
        start, end = self.bounds  # as in between
        starts, found = self.entry if start <= lo < end else self._entry(lo)
        i, j = bisect_left(starts, lo), bisect_left(starts, hi)
        if i == j:
            return []
        if found[j - 1][1] > hi:  # as in between
            j -= 1
        picked = found[max(i, j - count) : j]
        picked.reverse()
        self.doc.lookups += len(picked)
        return picked
