"""Where the numbers of an English text are: digits, number words ("twenty-one", "a
dozen") and vague numbers ("tens of thousands of"), found at C speed on the scan form
(extraction/wordscan.py) and matched with the real patterns only there.
"""

from __future__ import annotations

import re

from .english_around import Candidate
from .numerals_en import EN_SMALL
from .patterns import WORD_PREFIX, trie_regex
from .vocabulary import EN_VAGUE
from .wordscan import WordPattern, digit_led_matches

_SCALES = r"hundred|thousand|million|billion|trillion|bn|mn"
_UNITS = "|".join(w for w, v in EN_SMALL.items() if v < 20)
_TENS = "|".join(w for w, v in EN_SMALL.items() if v >= 20)
# The first word as a trie (one branch per character), the rest as an alternation.
_FIRST_WORD = trie_regex(["a dozen", *EN_SMALL])
_WORD_NUMBER = (
    rf"(?:{_FIRST_WORD})(?:-(?:{_UNITS}))?"
    rf"(?:\s+(?:and\s+)?(?:hundred|thousand|million|billion|dozen|(?:{_TENS})(?:-(?:{_UNITS}))?"
    rf"|{_UNITS}))*"
)
_DIGITS = r"(?:\d{1,3}(?:[\u00a0\u2009\u202f]\d{3})+(?!\d)|\d+(?:,\d{3}(?!\d))*(?:\.\d+)?)"
# All run on the lowercased text.  Each kind of number has its own pattern: one
# alternation would defeat the engine's skip-ahead on the first character.
# _DIGITS again, led by one digit (for the skip-ahead) that follows no digit or mark.
_DIGIT_RE = re.compile(
    r"(?P<n>[0-9](?<![\d.,]\d)(?:\d{0,2}(?:[\u00a0\u2009\u202f]\d{3})+(?!\d)"
    r"|\d*(?:,\d{3}(?!\d))*(?:\.\d+)?))"
    rf"(?:\s*(?P<scale>{_SCALES})\b)?"
)
# "a dozen" is the only first word holding a space, and "dozen" opens no number.
_WORD = WordPattern(rf"(?P<n>{_WORD_NUMBER})(?![a-z-])", _FIRST_WORD)
_VAGUE_HEADS = tuple({phrase.split()[0] for phrase in EN_VAGUE})
# The first word of a vague number ends in "s" and is followed by whitespace and "of"
# (in the scan form, spaces and "of").
_VAGUE_BY_LAST_LETTERS: dict[str, list[str]] = {}
for _head in _VAGUE_HEADS:
    if not _head.endswith("s"):
        raise ValueError(f"{_head!r}: _vague_matches finds only vague words ending in s")
    _VAGUE_BY_LAST_LETTERS.setdefault(_head[-3:], []).append(_head)
_VAGUE_RE = re.compile(rf"{WORD_PREFIX}(?P<n>{trie_regex(EN_VAGUE)})\s+of(?![a-z])")
_VAGUE_AT_START_RE = re.compile(rf"(?P<n>{trie_regex(EN_VAGUE)})\s+of(?![a-z])")


def candidates(lower: str, scan: bytes) -> list[Candidate]:
    """Every number of the lowercased text, in order: digits, number words, vague numbers."""
    # Groups by number, not name (1: "n", 2: "scale"): this runs for every number.
    new = Candidate._make
    found = [
        new((m.start(1), m.end(), "digits", m.group(1), m.group(2) or ""))
        for m in digit_led_matches(_DIGIT_RE, lower, scan)
    ]
    words = _WORD.finditer(lower, scan)
    first = _WORD.bare.match(lower)
    found += [new((*m.span(1), "word", m.group(1), "")) for m in words]
    if first:
        found.append(Candidate(0, first.end(), "word", first.group("n"), ""))
    vague = _vague_matches(lower, scan)
    if (at_start := _VAGUE_AT_START_RE.match(lower)) is not None:
        vague.insert(0, at_start)
    found += [
        Candidate(m.start("n"), m.end(), "vague", " ".join(m.group("n").split()), "")
        for m in vague
    ]
    found.sort()
    return found


def _vague_matches(lower: str, scan: bytes) -> list[re.Match[str]]:
    """The matches of _VAGUE_RE.finditer(lower), tried only just before a vague word
    ("thousands") followed by "of", which bytes.find locates far faster than the engine
    tries every space; `scan` is scan_form(lower)."""
    find = scan.find
    word_ends = []  # where a word ending in "s" is followed by whitespace and "of"
    at = find(b"s of")
    while at >= 0:
        word_ends.append(at + 1)
        at = find(b"s of", at + 1)
    at = find(b"  of")  # two spaces or more (a needle ending in a space would be slow)
    while at >= 0:
        end = at
        while end and scan[end - 1] == 32:
            end -= 1
        word_ends.append(end)
        at = find(b"  of", at + 1)
    starts = []
    for end in word_ends:
        for word in _VAGUE_BY_LAST_LETTERS.get(lower[end - 3 : end], ()):
            pos = end - len(word)
            if pos >= 1 and lower.startswith(word, pos):
                starts.append(pos - 1)  # the space or mark before the word
    found = []
    end = 0
    for pos in sorted(starts):
        if pos >= end and (m := _VAGUE_RE.match(lower, pos)) is not None:
            found.append(m)
            end = m.end()  # as finditer, the next match starts after this one
    return found
