"""Numbers that are never figures: dates, codes, list numbers, slogans, IDs, phones.

Three checks, all cheap: `negative_mask` marks whole spans once per document with
patterns that start with a fixed character (regex engines skip ahead fast on
those), `digit_negative` tries the date / code / ID patterns anchored at one
candidate number, and `in_negative_context` looks at the words around an English
number for what a keyword announces (Article 287, call 110, in 2020, October 21).
Many of these are also rejected by the finders' grammar (a date has no counter
word); the mask keeps the finders free of special cases.
"""

from __future__ import annotations

import re

from .occurrences import occurrences
from .vocabulary import ZH_SLOGANS

_ZH_SMALL = r"[一二三四五六七八九十]{1,3}"
_YEAR = r"(?:19|20)\d{2}"

# Each branch starts with a digit or "+".  Dates with 年月日, clock times, ordinals
# (2nd) and ages (25-year-old) are left to the finders: no counter word or noun
# follows their numbers.
_DIGIT_LED = [
    # Dates: 2020-12-16, 12/16/2020, 2019-2021.
    rf"{_YEAR}\s*[-/.年]\s*\d{{1,2}}\s*[-/.月]\s*\d{{1,2}}\s*[日号]?",
    r"\d{1,2}/\d{1,2}/\d{2,4}",
    rf"{_YEAR}\s*(?:-|–|—|/|to)\s*(?:{_YEAR}|\d{{2}})\b",
    # Case code names: 萍乡"3·31"专案, 1228专案.
    r"\d+\s*[·•・]\s*\d+",
    r"\d+(?=[”\"」’']?(?:专案|专项行动|行动|战役|工程))",
    # IDs and phone numbers: long digit runs, 010-12345678, +86 10 1234 5678.
    r"\d{11,}",
    r"0\d{2,3}-\d{7,8}\b",
    r"\d{3,4}-\d{3,4}-\d{4}\b",
    r"\+\d{1,3}[\s-]\d[\d\s-]{5,}",
    # Version-like dotted numbers.
    r"\d+(?:\.\d+){2,}",
    # Page furniture: "1 view0 comments".
    r"\d+\s*(?i:views?)\s*\d+\s*(?i:comments?)\b",
]

# (triggers, pattern): a pattern runs only on text holding one of its triggers,
# which a substring test finds far faster than the pattern itself.  Every match but
# those of the registration numbers (ICP..., _OPENINGS) begins with a trigger.
_CHAR_LED: list[tuple[tuple[str, ...], str]] = [
    # Short quotes hold slogans and code names ("3·31", “十赌九输”), titles hold law names.
    (("“", "「", "『", "‘"), r"[“「『‘][^”」』’\n]{0,12}[”」』’]"),
    (("\"", "“"), r"[\"“][^\"”\n]{1,40}[\"”]"),
    (("《",), r"《[^》\n]{0,60}》"),
    # Section and list numbers: 01坚持, 1.南昌, (二), 其三.
    (("\n",), rf"^[ \t\u3000]*(?:0\d(?!\d)|(?:\d{{1,2}}|{_ZH_SMALL})[ \t]*[.、．)）](?!\d))"),
    (("(", "（"), rf"[（(][ \t]*(?:\d{{1,2}}|{_ZH_SMALL})[ \t]*[)）]"),
    (("其",), rf"其{_ZH_SMALL}"),
    # Ordinals and article numbers: 第二百八十七条, 第3批.
    (("第",), r"第\s*(?:\d+|[零〇一二两三四五六七八九十百千万]+)"),
    # Registration numbers and phone numbers announced by a keyword.
    (("网安备", "备案", "许可证", "编号"),
     r"(?:ICP|公网安备|网安备|备案号?|许可证号?|证书编号|编号)[^\n\d]{0,8}\d[\d\-]*号?"),
    (("电话", "热线", "拨打", "传真", "手机"),
     r"(?:电话|热线|拨打|传真|手机号码?)(?:号码)?[:：是为\s]*\+?\d{3,}(?:[-\s]\d{2,})*"
     r"(?![\d.万亿千百十])(?!\s*[次个条人名起元件户张])"),
    (("http",), r"https?://\S+"),
    (("www.",), r"www\.\S+"),
    # Idioms and slogans.
    (tuple({w[0] for w in ZH_SLOGANS}), "|".join(sorted(ZH_SLOGANS, key=len, reverse=True))),
]

# An alternation defeats the engine's skip-ahead, so the character-led patterns run
# one by one, and the digit-led group is only tried, anchored, at each candidate
# number (`digit_negative`).
_DIGIT_LED_RE = re.compile("|".join(f"(?:{p})" for p in _DIGIT_LED))
_CHAR_LED_RES = [
    (triggers, re.compile(p, re.M), all(not t.isascii() for t in triggers))
    for triggers, p in _CHAR_LED
]
_LIST_NUMBER_RE = next(pattern for triggers, pattern, _ in _CHAR_LED_RES if triggers == ("\n",))
_LIST_NUMBER_FIRST = frozenset(" \t\u3000一二三四五六七八九十")  # or a digit
# What the matches of the registration numbers begin with: the words of its alternation.
_OPENINGS = {
    pattern: ("ICP", "公网安备", "网安备", "备案", "许可证", "证书编号", "编号")
    for _, pattern, _ in _CHAR_LED_RES
    if pattern.pattern.startswith("(?:ICP|")
}

# The word just before a number that makes it a reference or a phone number.
_REFERENCE_WORDS = frozenset({
    "article", "section", "chapter", "clause", "paragraph", "item", "rule", "order", "decree",
    "phase", "level", "grade", "class", "route", "line", "room", "building", "page", "volume",
    "issue", "operation", "no", "nos", "art", "sec", "vol", "aged", "age", "call", "dial",
    "hotline", "tel", "telephone", "phone", "fax", "license", "licence", "number", "code",
    "tel.", "no.", "nos.", "art.", "sec.", "vol.", "#",
})  # fmt: skip
_MONTHS = frozenset({
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec",
})  # fmt: skip
# The word before a year-like number that makes it a year: "in 2020", "end of 2022".
_YEAR_WORDS = frozenset({
    "in", "since", "from", "until", "till", "by", "during", "before", "after", "year", "fiscal",
    "early", "late", "mid", "of", "between", "through", "copyright",
})  # fmt: skip
_YEAR_RE = re.compile(_YEAR)
_AFTER_RE = re.compile(r"[\w.+-]*@|(?i:\s*(?:years?\s+old|year-old))")
# "ten gambling, ten losses": the same number word opening two parallel phrases.
_SLOGAN_RE = re.compile(
    r"(?i:(?P<w>ten|nine|one|two|three|five)\s+[a-z]+(?:\s+[a-z]+)?,\s*(?P=w)\s+[a-z]+)"
)
_SLOGAN_TAIL_RE = re.compile(
    r"(?i:\b(?P<w>ten|nine|one|two|three|five)\s+[a-z]+(?:\s+[a-z]+)?,\s*$)"
)


def negative_mask(
    norm: str,
    cjk: bool = True,
    non_ascii: list[tuple[int, int]] | None = None,
    line_starts: list[int] | None = None,
) -> bytearray:
    """One byte per character of `norm` (normalized text), 1 inside a negative span
    announced by a character (quotes, 第, list markers, slogans, keywords).

    cjk: whether the text holds Chinese at all; without, the Chinese patterns are skipped.
    non_ascii: (start, end) of the only parts of `norm` holding non-ASCII characters, where
    a non-ASCII trigger is looked for (None: anywhere).
    line_starts: where each line of `norm` starts, if known."""
    mask = bytearray(len(norm))
    spans: list[tuple[int, int]]
    for triggers, pattern, chinese in _CHAR_LED_RES:
        if chinese and not cjk:
            continue
        if pattern is _LIST_NUMBER_RE:
            spans = _list_numbers(norm, line_starts)
        elif pattern not in _OPENINGS:
            spans = _anchored(norm, pattern, triggers, non_ascii)
        elif occurrences(norm, triggers, non_ascii):
            spans = _anchored(norm, pattern, _OPENINGS[pattern], non_ascii)
        else:
            continue
        for start, end in spans:
            mask[start:end] = b"\x01" * (end - start)
    return mask


def _anchored(
    norm: str,
    pattern: re.Pattern[str],
    triggers: tuple[str, ...],
    non_ascii: list[tuple[int, int]] | None = None,
) -> list[tuple[int, int]]:
    """Matches of a pattern that opens with one of `triggers`, tried where str.find puts
    them: far cheaper than the engine testing a character class (or the first characters
    of an alternation) at every position."""
    spans = []
    end = 0
    for pos in sorted(occurrences(norm, triggers, non_ascii)):
        if pos < end:
            continue  # inside the previous match, as finditer would skip it
        m = pattern.match(norm, pos)
        if m:
            spans.append(m.span())
            end = m.end()
    return spans


def _list_numbers(norm: str, line_starts: list[int] | None = None) -> list[tuple[int, int]]:
    """Section numbers at a line start (01坚持, 1.南昌): matched at each line start only."""
    if line_starts is None:
        line_starts = [0]
        pos = norm.find("\n")
        while pos >= 0:
            line_starts.append(pos + 1)
            pos = norm.find("\n", pos + 1)
    spans = []
    for pos in line_starts:
        first = norm[pos : pos + 1]
        # The pattern opens with a space, a digit or a numeral: most lines open otherwise.
        if first in _LIST_NUMBER_FIRST or first.isdecimal():
            m = _LIST_NUMBER_RE.match(norm, pos)
            if m and m.end() > m.start():
                spans.append(m.span())
    return spans


def digit_negative(norm: str, start: int) -> tuple[int, int] | None:
    """The span of a date, code, phone or ID number beginning at `start`, if any."""
    if start and norm[start - 1] == "+":
        start -= 1
    m = _DIGIT_LED_RE.match(norm, start)
    return m.span() if m else None


def in_negative_context(norm: str, start: int, end: int) -> bool:
    """Whether the words around the English number at norm[start:end] make it a date,
    a year, a reference (Article 287, No. 5), a phone number, an age or a slogan."""
    tail = norm[start - 30 if start > 30 else 0 : start]
    words = tail.rsplit(None, 2)  # the last two words are all that is read
    last = words[-1] if words else ""
    if (tail[-1:].isspace() and last) or tail[-1:] in ("#", "."):
        word = last.rstrip(":").lower()
        if word in _REFERENCE_WORDS or word.rstrip(".") in _REFERENCE_WORDS:
            return True
    if last.rstrip(".") in _MONTHS or (
        len(words) >= 2 and words[-2].rstrip(".") in _MONTHS and last.rstrip(",").isdigit()
    ):
        return True  # October 21; Sep 8, 2023; September 2020
    if end - start == 4 and _YEAR_RE.fullmatch(norm, start, end) and (
        tail.endswith("©")
        or (
            last.lower() in _YEAR_WORDS
            and not (last.lower() == "of" and len(words) >= 2 and words[-2].lower() == "total")
        )
    ):
        return True
    ahead = norm[end : end + 12]
    if ("@" in ahead or "year" in ahead) and _AFTER_RE.match(norm, end):
        return True
    if norm[start].isalpha():
        if _SLOGAN_RE.match(norm, start):
            return True
        m = _SLOGAN_TAIL_RE.search(tail) if tail.rstrip().endswith(",") else None
        if m and norm[start:end].lower().startswith(m.group("w").lower()):
            return True
    return False
