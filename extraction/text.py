"""Text plumbing shared by the finders: a same-length normal form, language, clauses.

Every offset the finders compute on the normal form is an offset in the original
text, because normalization maps one character to one character.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from .negatives import digit_negative, negative_mask

_FULLWIDTH = {0xFF10 + i: 0x30 + i for i in range(10)}
_FULLWIDTH.update({0xFF21 + i: 0x41 + i for i in range(26)})
_FULLWIDTH.update({0xFF41 + i: 0x61 + i for i in range(26)})
_FULLWIDTH.update({ord("％"): ord("%"), ord("．"): ord("."), ord("－"): ord("-"),
                   ord("＄"): ord("$"), ord("\u3000"): ord(" ")})  # fmt: skip

_FULLWIDTH_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FULLWIDTH)) + "]+")
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
    """Full-width digits and letters to ASCII, keeping every offset."""
    if _FULLWIDTH_RE.search(text) is None:
        return text
    return _FULLWIDTH_RE.sub(lambda m: m.group().translate(_FULLWIDTH), text)


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

    def sentence(self, pos: int) -> tuple[int, int]:
        return self._bounds(self.sentences, pos)

    def clause(self, pos: int) -> tuple[int, int]:
        return self._bounds(self.clauses, pos)

    def item(self, pos: int) -> tuple[int, int]:
        return self._bounds(self.items, pos)


class Doc:
    """One document as the finders see it: text, normal form, layout, negative mask."""

    def __init__(self, text: str, language: str | None, topic: str) -> None:
        self.text = text
        self.norm = normalize(text)
        self.lower = lower_ascii(self.norm)  # for English words
        self.layout = Layout(self.norm, language)
        self.mask = negative_mask(self.norm)
        self.topic = topic

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

    def between(self, lo: int, hi: int) -> list[tuple[int, int, str]]:
        """Matches lying wholly inside [lo, hi), in order; [lo, hi) is within one sentence."""
        if hi <= lo:
            return []
        start, end = self.doc.layout.sentence(lo)
        entry = self.cache.get(start)
        if entry is None:
            # A leading space lets a word pattern match at the sentence's first word.
            shift = start - 1
            found = [(m.start("w") + shift, m.end("w") + shift, m.group("w"))
                     for m in self.pattern.finditer(" " + self.text[start:end])]
            entry = ([f[0] for f in found], found)
            self.cache[start] = entry
        starts, found = entry
        i = bisect_left(starts, lo)
        j = bisect_left(starts, hi)
        return [f for f in found[i:j] if f[1] <= hi]
