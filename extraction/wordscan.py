"""English word patterns (a WORD_PREFIX character, then words) matched at C speed.

A pattern opening with WORD_PREFIX, a character class, makes the engine test the class
at every character of the text (several nanoseconds each: the most of its time).  The
same search on the scan form, where each prefix character is a space, opens with a
literal, which the engine finds at the speed of str.find.  The scan form only says
where a match may start: each such place is then matched with the real pattern on the
real text, so the matches are exactly those of `finditer` on the text.
"""

from __future__ import annotations

import re

from .patterns import WORD_PREFIX

# The ASCII characters of WORD_PREFIX, and "?", which stands for every non-ASCII
# character once encoded (some of them are in WORD_PREFIX), become spaces; every
# ASCII digit becomes "0", so that digits too are found by a literal.
_PREFIX_ASCII = bytes(c for c in range(128) if re.fullmatch(WORD_PREFIX, chr(c)))
_SCAN_TABLE = bytes.maketrans(
    _PREFIX_ASCII + b"?123456789", b" " * (len(_PREFIX_ASCII) + 1) + b"0" * 9
)
_DIGIT_RUN_RE = re.compile(b"00*")  # not 0+: a literal first lets the engine skip ahead


def scan_form(lower: str) -> bytes:
    """One byte per character of `lower`: a space where a WORD_PREFIX character may
    stand (for any non-ASCII one), "0" for an ASCII digit, the character itself elsewhere."""
    return lower.encode("ascii", "replace").translate(_SCAN_TABLE)


def digit_led_matches(regex: re.Pattern[str], text: str, scan: bytes) -> list[re.Match[str]]:
    """The matches of regex.finditer(text) for a regex that matches only at an ASCII
    digit following none; `scan` is scan_form(text)."""
    found = []
    end = 0
    match = regex.match
    for run in _DIGIT_RUN_RE.finditer(scan):
        at = run.start()
        if at >= end and (m := match(text, at)) is not None:
            found.append(m)
            end = m.end()
    return found


class WordPattern:
    """re.compile(WORD_PREFIX + body), matched where the scan form allows.

    body: ASCII, read the same on the scan form as on the text wherever the text
    matches (letters, "-", \\s and lookaheads for letters do; digits do not).
    opening: the same for what every match of the body opens with, if known, where no
    match can start (its spaces open no match): the probe then matches it plainly,
    which costs the engine less at each space than a lookahead for the whole body."""

    def __init__(self, body: str, opening: str = "") -> None:
        if any(c.isdigit() for c in body):
            raise ValueError("a word pattern holds no digit: digits are 0 in the scan form")
        self.regex = re.compile(WORD_PREFIX + body)
        self.bare = re.compile(body)  # for a text whose first word has no prefix
        probe = f"(?:{opening})" if opening else f"(?={body})"
        self.probe = re.compile(b" " + probe.encode("ascii"))

    def finditer(
        self, text: str, scan: bytes, pos: int = 0, endpos: int | None = None
    ) -> list[re.Match[str]]:
        """The matches of self.regex.finditer(text, pos, endpos); `scan` is scan_form(text)."""
        if endpos is None:
            endpos = len(text)
        found = []
        end = pos
        match = self.regex.match
        for probe in self.probe.finditer(scan, pos, endpos):
            at = probe.start()
            if at >= end and (m := match(text, at, endpos)) is not None:
                found.append(m)
                end = m.end()  # the prefix character at least: never empty
        return found

    def finditer_opening(
        self, text: str, scan: bytes, start: int, end: int
    ) -> list[re.Match[str]]:
        """finditer(text, scan, start, end), where a word at `start` also counts, as if a
        space stood before it (a sentence's or a text's first word)."""
        first = self.bare.match(text, start, end)
        if first is None:
            return self.finditer(text, scan, start, end)
        return [first, *self.finditer(text, scan, first.end(), end)]

    def findall(self, text: str) -> list[str]:
        """self.regex.findall(text) for a body with one group."""
        return [m.group(1) for m in self.finditer(text, scan_form(text))]
