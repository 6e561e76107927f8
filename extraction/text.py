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
from functools import cached_property

from .charmap import normal_form, normalize_text
from .negatives import digit_negative, negative_mask
from .occurrences import occurrences
from .topic import detect_topic
from .wordscan import scan_form

Spans = list[tuple[int, int]] | None

LOOK_BACK = 300  # characters of a clause or sentence before a number that count
LOOK_AHEAD = 150  # and after it
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_NOT_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())
_NOT_LETTERS_OR_LINE_BREAK = _NOT_LETTERS.replace(b"\n", b"")
# Lines holding non-ASCII characters closer than this are searched as one span.
_SPAN_GAP = 200

# Sentence ends (。！？!? and a line break; a period only before whitespace and not after
# an abbreviation or an initial: U.S., No., Sept.) and clause ends (；;：: and commas, but
# not one grouping thousands, 1,578).  Parentheses are not clause ends: Chinese bulletins
# use them inline, 妨害国（边）境.
_ABBREVIATIONS = ("No", "Sept", "Sep", "Jan", "Feb", "Aug", "Oct", "Nov", "Dec", "Mr", "Dr", "St")
# A space between two Chinese characters separates phrases, as in titles.  Each pattern
# opens with a literal, the space or the tab (rare in Chinese text, so the engine skips
# ahead to it at C speed), and looks behind for the character; opening with the
# character, or with a class of the two, would test every character.
_CJK_SPACE_RES = [
    re.compile(rf"{blank}(?<=[\u4e00-\u9fff]{blank})[ \t]*(?=[\u4e00-\u9fff])")
    for blank in (" ", "\t")
]


def normalize(text: str) -> str:
    """Full-width digits and letters to ASCII, Traditional to Simplified, keeping every offset."""
    return normalize_text(text)


def lower_ascii(text: str) -> str:
    """ASCII letters lowercased, keeping every offset."""
    lowered = text.lower()
    # Some letters (İ) lowercase to two characters; then only ASCII is lowered.
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


def letter_counts(text: str) -> tuple[int, int]:
    """(non-ASCII characters, ASCII letters), counted at C speed, no regex."""
    if text.isascii():
        return 0, len(text.encode("ascii").translate(None, _NOT_LETTERS))
    ascii_bytes = text.encode("ascii", "ignore")
    return len(text) - len(ascii_bytes), len(ascii_bytes.translate(None, _NOT_LETTERS))


def _language(others: int, latin: int, default: str) -> str:
    if others == 0:
        return "en" if latin else default
    return "zh" if others * 4 >= others + latin else "en"


def detect_language(text: str, default: str = "en") -> str:
    """"zh" when non-ASCII characters (CJK, in practice) are at least a quarter of
    the letters, "en" when there are letters, else `default` ("(0)", "1.")."""
    return _language(*letter_counts(text), default)


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


def _sentence_marks(
    norm: str, spans: Spans = None, line_starts: list[int] | None = None
) -> list[int]:
    """line_starts: where each line starts, if known (the line breaks are marks)."""
    if line_starts is None:
        marks = occurrences(norm, "。！？!?\n", spans)
    else:
        marks = occurrences(norm, "。！？!?", spans) + [pos - 1 for pos in line_starts[1:]]
    end = len(norm)
    for pos in occurrences(norm, "."):
        if pos + 1 < end and not norm[pos + 1].isspace():
            continue  # 3.5, U.S.A: a period ends a sentence only before a space
        before = norm[pos - 5 if pos > 5 else 0 : pos]
        if before.islower():  # no capital: neither an initial nor an abbreviation
            marks.append(pos)
            continue
        words = before.split()
        token = words[-1].rsplit(".", 1)[-1] if words else ""
        if (len(token) == 1 and token.isupper()) or token in _ABBREVIATIONS:
            continue  # U.S. dollars, No. 5, Sept. 8
        marks.append(pos)
    marks.sort()
    return marks


def _clause_marks(norm: str, cjk: bool, spans: Spans = None) -> list[int]:
    marks = occurrences(norm, "；;：:", spans)
    for pos in occurrences(norm, ",，", spans):
        # A comma between a digit and exactly three digits groups thousands (1,578).
        if not (
            pos
            and norm[pos - 1].isdigit()  # most commas follow a word: settled here
            and norm[pos + 1 : pos + 4].isdigit()
            and len(norm[pos + 1 : pos + 4]) == 3
            and not norm[pos + 4 : pos + 5].isdigit()
        ):
            marks.append(pos)
    if cjk:  # the characters and the space are on one line, which holds non-ASCII
        for start, end in [(0, len(norm))] if spans is None else spans:
            for pattern in _CJK_SPACE_RES:
                marks += [m.start() for m in pattern.finditer(norm, start, end)]
    return marks


def _non_ascii_spans(
    starts: list[int], lines: list[str], others: list[int]
) -> list[tuple[int, int]]:
    """(start, end) spans covering every line with non-ASCII characters (others > 0), lines
    less than _SPAN_GAP apart in one span."""
    spans: list[tuple[int, int]] = []
    for start, line, count in zip(starts, lines, others, strict=True):
        if count:
            end = start + len(line)
            if spans and start - spans[-1][1] < _SPAN_GAP:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans


class Layout:
    """Paragraph languages and sentence / clause / item bounds of one document."""

    def __init__(self, norm: str, language: str | None, cjk: bool = True) -> None:
        self.length = len(norm)
        lines = norm.split("\n")
        self.paragraph_starts: list[int] = []
        pos = 0
        for line in lines:
            self.paragraph_starts.append(pos)
            pos += len(line) + 1
        # Spans holding every non-ASCII character (None: not known, the whole text).
        self.non_ascii: Spans = [] if norm.isascii() else None
        if language is not None or norm.isascii():  # ASCII text is English
            self.paragraph_langs = [language or "en"] * len(lines)
        else:
            # (non-ASCII characters, ASCII letters) of each line, as letter_counts gives
            # them, counted for all the lines at once.
            ascii_bytes = norm.encode("ascii", "ignore")
            ascii_lines = ascii_bytes.split(b"\n")
            letters = ascii_bytes.translate(None, _NOT_LETTERS_OR_LINE_BREAK).split(b"\n")
            others = [len(a) - len(b) for a, b in zip(lines, ascii_lines, strict=True)]
            latin = [len(b) for b in letters]
            # A line without letters ("(0)", "1.") takes the language of the whole text.
            whole = _language(sum(others), sum(latin), "en")
            self.paragraph_langs = [
                _language(o, n, whole) for o, n in zip(others, latin, strict=True)
            ]
            self.non_ascii = _non_ascii_spans(self.paragraph_starts, lines, others)
        langs = set(self.paragraph_langs)
        self.only_language = langs.pop() if len(langs) == 1 else None
        self._norm = norm
        self._cjk = cjk

    # The marks are found when first asked for: many documents have no number that
    # gets that far (a page of dates and page furniture).
    @cached_property
    def sentences(self) -> list[int]:
        return _sentence_marks(self._norm, self.non_ascii, self.paragraph_starts)

    @cached_property
    def clauses(self) -> list[int]:
        return sorted(self.sentences + _clause_marks(self._norm, self._cjk, self.non_ascii))

    @cached_property
    def items(self) -> list[int]:
        if not self._cjk:
            return self.clauses
        return sorted(self.clauses + occurrences(self._norm, "、", self.non_ascii))

    def spans(self, language: str) -> list[tuple[int, int]]:
        """(start, end) of each run of consecutive paragraphs in `language`, in order."""
        if self.only_language is not None:
            return [(0, self.length)] if self.only_language == language else []
        found: list[tuple[int, int]] = []
        starts = self.paragraph_starts
        for i, lang in enumerate(self.paragraph_langs):
            if lang == language:
                end = starts[i + 1] if i + 1 < len(starts) else self.length
                if found and found[-1][1] == starts[i]:
                    found[-1] = (found[-1][0], end)
                else:
                    found.append((starts[i], end))
        return found

    def language_at(self, pos: int) -> str:
        if self.only_language is not None:
            return self.only_language
        return self.paragraph_langs[bisect_right(self.paragraph_starts, pos) - 1]

    def _bounds(self, marks: list[int], pos: int) -> tuple[int, int]:
        i = bisect_left(marks, pos)
        start = marks[i - 1] + 1 if i > 0 else 0
        end = marks[i] if i < len(marks) else self.length
        return start, end

    def _window(self, marks: list[int], pos: int) -> tuple[int, int]:
        i = bisect_left(marks, pos)
        start = marks[i - 1] + 1 if i > 0 else 0
        end = marks[i] if i < len(marks) else self.length
        lo, hi = pos - LOOK_BACK, pos + LOOK_AHEAD
        return (start if start > lo else lo), (end if end < hi else hi)

    def whole_sentence(self, pos: int) -> tuple[int, int]:
        """The sentence around `pos`, however long."""
        return self._bounds(self.sentences, pos)

    def whole_clause(self, pos: int) -> tuple[int, int]:
        """The clause around `pos`, however long."""
        return self._bounds(self.clauses, pos)

    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence around `pos`, within LOOK_BACK / LOOK_AHEAD of it."""
        return self._window(self.sentences, pos)

    def clause(self, pos: int) -> tuple[int, int]:
        return self._window(self.clauses, pos)

    def item(self, pos: int) -> tuple[int, int]:
        return self._window(self.items, pos)


# What may follow the digits of a date, code, phone or ID (see negatives._DIGIT_LED),
# right after them and after a space: 2020-12-16, 2020 - 12 - 16, 2019 to 2021, 3 · 31,
# "1 view0 comments".
_DIGIT_RUN_RE = re.compile(r"\d*")
_SPACE_RUN_RE = re.compile(r"\s*")
_NEGATIVE_FOLLOWERS = frozenset("-/.年·•・–—”\"」’'专行战工vV")
_NEGATIVE_AFTER_SPACE = frozenset("-/.年·•・–—tvV")


def _may_be_digit_negative(norm: str, start: int) -> bool:
    """A cheap test before the anchored pattern: most numbers are followed by a word."""
    end = _DIGIT_RUN_RE.match(norm, start).end()  # type: ignore[union-attr]
    if end - start >= 11 or norm[start] == "0" or (start and norm[start - 1] == "+"):
        return True
    after = norm[end : end + 1]
    if after.isspace():
        after = norm[end + 1 : end + 2]  # commonly one space, then a word
        if after.isspace():
            end = _SPACE_RUN_RE.match(norm, end).end()  # type: ignore[union-attr]
            after = norm[end : end + 1]
        return after in _NEGATIVE_AFTER_SPACE
    return after in _NEGATIVE_FOLLOWERS


class Doc:
    """One document as the finders see it: text, normal form, layout, negative mask."""

    def __init__(self, text: str, language: str | None, topic: str | None = None) -> None:
        """topic: the document's topic; None detects it, when a figure first needs it."""
        self.text = text
        self.norm, self.cjk = normal_form(text)  # cjk: whether the text holds CJK at all
        self.lower = lower_ascii(self.norm)  # for English words
        self.layout = Layout(self.norm, language, self.cjk)
        layout = self.layout
        self.mask = negative_mask(self.norm, self.cjk, layout.non_ascii, layout.paragraph_starts)
        self._topic = topic
        self._scan: bytes | None = None
        # Matches handed out by SentenceMarks: the work done around numbers, which
        # grows with the text's length, never with its square (tests count it).
        self.lookups = 0

    @property
    def topic(self) -> str:
        """The topic of the document, on its normal form (賭博 is read as 赌博), detected
        once and only if a figure is found (most pages of a site have none)."""
        if self._topic is None:
            spans = self.layout.non_ascii
            self._topic = detect_topic(self.lower, True, self.cjk, self._scan, spans)
        return self._topic

    @property
    def scan(self) -> bytes:
        """scan_form of the lowercased text, made once and only if an English finder needs it."""
        if self._scan is None:
            self._scan = scan_form(self.lower)
        return self._scan

    def masked(self, start: int, end: int) -> bool:
        """Whether norm[start:end] lies in a non-figure (date, code, slogan ...).

        Call in document order: a date found at its first number also masks the
        numbers after it (the 16 of 2020-12-16)."""
        norm = self.norm
        if norm[start].isdigit() and _may_be_digit_negative(norm, start):
            span = digit_negative(norm, start)
            if span is not None:
                self.mask[span[0] : span[1]] = b"\x01" * (span[1] - span[0])
        return self.mask.find(1, start, end) >= 0
