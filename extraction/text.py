"""Text plumbing shared by the finders: a same-length normal form, language, clauses.

Every offset the finders compute on the normal form is an offset in the original
text, because normalization maps one character to one character (charmap).

Every look-up around a number is bounded: a clause or sentence reaches at most
LOOK_BACK characters before the number and LOOK_AHEAD after it, and the verbs of a
clause are taken a few at a time, so a text without full stops (a flattened table, a
run-on page) costs time in proportion to its length, not to its length squared.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from .charmap import normalize_text
from .negatives import digit_negative, negative_mask

LOOK_BACK = 300  # characters of a clause or sentence before a number that count
LOOK_AHEAD = 150  # and after it
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_NOT_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())

# Sentence ends; a period counts only before whitespace and not after an
# abbreviation or an initial (U.S., No., Sept.), checked in _sentence_marks.
# Single character classes here and below: they let the engine skip ahead.
_SENTENCE_RE = re.compile(r"[。！？!?\n.](?:(?<!\.)|(?=\s|$))")
_ABBREVIATIONS = ("No", "Sept", "Sep", "Jan", "Feb", "Aug", "Oct", "Nov", "Dec", "Mr", "Dr", "St")
# Parentheses are not clause ends: Chinese bulletins use them inline, 妨害国（边）境.
_CLAUSE_RE = re.compile(r"[；;：:]")
# A comma between a digit and exactly three digits groups thousands (1,578).
_COMMA_RE = re.compile(r"[,，](?:(?!\d{3}(?!\d))|(?<!\d[,，]))")
# A space between two Chinese characters separates phrases, as in titles.
_CJK_SPACE_RE = re.compile(r"[\u4e00-\u9fff][ \t]+(?=[\u4e00-\u9fff])")
_ITEM_RE = re.compile(r"、")


def normalize(text: str) -> str:
    """Full-width digits and letters to ASCII, Traditional to Simplified, keeping every offset."""
    return normalize_text(text)


def lower_ascii(text: str) -> str:
    """ASCII letters lowercased, keeping every offset."""
    lowered = text.lower()
    # Some letters (İ) lowercase to two characters; then only ASCII is lowered.
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


def detect_language(text: str, default: str = "en") -> str:
    """"zh" when non-ASCII characters (CJK, in practice) are at least a quarter of
    the letters, "en" when there are letters, else `default` ("(0)", "1.")."""
    ascii_bytes = text.encode("ascii", "ignore")
    others = len(text) - len(ascii_bytes)  # byte counting at C speed, no regex
    latin = len(ascii_bytes.translate(None, _NOT_LETTERS))
    if others == 0:
        return "en" if latin else default
    return "zh" if others * 4 >= others + latin else "en"


def language_code(language: str | None) -> str | None:
    """"zh-CN", "ZH", "chinese" -> "zh"; "en-US" -> "en"; anything else -> None (detect)."""
    if not language:
        return None
    code = language.strip().lower()
    if code.startswith(("zh", "chi", "cn")):
        return "zh"
    if code.startswith("en"):
        return "en"
    return None


def _sentence_marks(norm: str) -> list[int]:
    marks = []
    for m in _SENTENCE_RE.finditer(norm):
        pos = m.start()
        if norm[pos] == ".":
            words = norm[max(0, pos - 5) : pos].split()
            token = words[-1].rsplit(".", 1)[-1] if words else ""
            if (len(token) == 1 and token.isupper()) or token in _ABBREVIATIONS:
                continue  # U.S. dollars, No. 5, Sept. 8
        marks.append(pos)
    return marks


def _clause_marks(norm: str) -> list[int]:
    marks = [m.start() for m in _CLAUSE_RE.finditer(norm)]
    marks += [m.start() for m in _COMMA_RE.finditer(norm)]
    marks += [m.start() + 1 for m in _CJK_SPACE_RE.finditer(norm)]
    return marks


class Layout:
    """Paragraph languages and sentence / clause / item bounds of one document."""

    def __init__(self, norm: str, language: str | None) -> None:
        self.length = len(norm)
        self.paragraph_starts: list[int] = []
        self.paragraph_langs: list[str] = []
        pos = 0
        whole = language or detect_language(norm)
        for line in norm.split("\n"):
            self.paragraph_starts.append(pos)
            self.paragraph_langs.append(language or detect_language(line, whole))
            pos += len(line) + 1
        self.sentences = _sentence_marks(norm)
        self.clauses = sorted(self.sentences + _clause_marks(norm))
        self.items = sorted(self.clauses + [m.start() for m in _ITEM_RE.finditer(norm)])

    def language_at(self, pos: int) -> str:
        return self.paragraph_langs[bisect_right(self.paragraph_starts, pos) - 1]

    def _bounds(self, marks: list[int], pos: int) -> tuple[int, int]:
        i = bisect_left(marks, pos)
        start = marks[i - 1] + 1 if i > 0 else 0
        end = marks[i] if i < len(marks) else self.length
        return start, end

    def _window(self, marks: list[int], pos: int) -> tuple[int, int]:
        start, end = self._bounds(marks, pos)
        return max(start, pos - LOOK_BACK), min(end, pos + LOOK_AHEAD)

    def whole_sentence(self, pos: int) -> tuple[int, int]:
        """The sentence around `pos`, however long."""
        return self._bounds(self.sentences, pos)

    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence around `pos`, within LOOK_BACK / LOOK_AHEAD of it."""
        return self._window(self.sentences, pos)

    def clause(self, pos: int) -> tuple[int, int]:
        return self._window(self.clauses, pos)

    def item(self, pos: int) -> tuple[int, int]:
        return self._window(self.items, pos)


class Doc:
    """One document as the finders see it: text, normal form, layout, negative mask."""

    def __init__(self, text: str, language: str | None, topic: str) -> None:
        self.text = text
        self.norm = normalize(text)
        self.lower = lower_ascii(self.norm)  # for English words
        self.layout = Layout(self.norm, language)
        self.mask = negative_mask(self.norm)
        self.topic = topic
        # Matches handed out by SentenceMarks: the work done around numbers, which
        # grows with the text's length, never with its square (tests count it).
        self.lookups = 0

    def masked(self, start: int, end: int) -> bool:
        """Whether norm[start:end] lies in a non-figure (date, code, slogan ...).

        Call in document order: a date found at its first number also masks the
        numbers after it (the 16 of 2020-12-16)."""
        if self.norm[start].isdigit():
            span = digit_negative(self.norm, start)
            if span is not None:
                self.mask[span[0] : span[1]] = b"\x01" * (span[1] - span[0])
        return any(self.mask[start:end])


class SentenceMarks:
    """Matches of one vocabulary pattern (its group "w"), found sentence by sentence
    on demand.

    Queries never cross a sentence, and most sentences hold no number, so matching
    only the sentences asked about keeps the cost proportional to the figures.
    """

    def __init__(self, pattern: re.Pattern[str], doc: Doc, lowered: bool = False) -> None:
        self.pattern = pattern
        self.doc = doc
        self.text = doc.lower if lowered else doc.norm
        self.cache: dict[int, tuple[list[int], list[tuple[int, int, str]]]] = {}

    def _range(self, lo: int, hi: int) -> tuple[list[tuple[int, int, str]], int, int]:
        start, end = self.doc.layout.whole_sentence(lo)
        entry = self.cache.get(start)
        if entry is None:
            # A leading space lets a word pattern match at the sentence's first word.
            shift = start - 1
            found = [(m.start("w") + shift, m.end("w") + shift, m.group("w"))
                     for m in self.pattern.finditer(" " + self.text[start:end])]
            entry = ([f[0] for f in found], found)
            self.cache[start] = entry
        starts, found = entry
        return found, bisect_left(starts, lo), bisect_left(starts, hi)

    def between(self, lo: int, hi: int) -> list[tuple[int, int, str]]:
        """Matches lying wholly inside [lo, hi), in order; [lo, hi) is within one sentence
        and, as every window of Layout, bounded in length."""
        if hi <= lo:
            return []
        found, i, j = self._range(lo, hi)
        self.doc.lookups += j - i
        return [f for f in found[i:j] if f[1] <= hi]

    def last(self, lo: int, hi: int, count: int) -> list[tuple[int, int, str]]:
        """The last `count` matches inside [lo, hi), nearest to `hi` first."""
        if hi <= lo:
            return []
        found, i, j = self._range(lo, hi)
        picked = [f for f in found[max(i, j - count - 1) : j] if f[1] <= hi][-count:]
        self.doc.lookups += len(picked)
        return picked[::-1]
