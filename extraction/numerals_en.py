"""English numerals: "four hundred and forty-two", "1.2 million", "1.2b", "10 bln", "2mil",
"1MM", "a dozen", "two and a half", "half a million", "point five".

A number is read word by word with the grammar of English numerals: a word may follow
only the words it can follow ("twenty one", "one hundred five", "twelve hundred"), and
scales fall ("two million three thousand").  "one fifty", "nineteen eighty-four", "a
third" (no finite decimal) and ordinals (first, 21st) are not one number: None.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .numeral import Numeral, parse_arabic

EN_SMALL: dict[str, int] = {
    "zero": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_MISSPELLED = {"fourty": "forty", "ninty": "ninety", "twelf": "twelve", "eightty": "eighty"}
EN_SCALES: dict[str, int] = {
    "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
    "k": 10**3, "mn": 10**6, "m": 10**6, "bn": 10**9,
}  # fmt: skip
# Abbreviated scales, written after digits with or without a space: 10k, 2mil, 1MM, 10 bln.
_SUFFIX_SCALES: dict[str, int] = {
    "k": 10**3, "K": 10**3, "thou": 10**3, "grand": 10**3,
    "m": 10**6, "M": 10**6, "mm": 10**6, "MM": 10**6, "mn": 10**6, "mln": 10**6, "mil": 10**6,
    "mio": 10**6, "b": 10**9, "B": 10**9, "bn": 10**9, "bln": 10**9, "bil": 10**9,
    "tn": 10**12, "trn": 10**12, "trillion": 10**12,
    "lakh": 10**5, "lakhs": 10**5, "lac": 10**5, "crore": 10**7, "crores": 10**7,
}  # fmt: skip
_WORD_SCALES: dict[str, int] = {
    "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
    "lakh": 10**5, "crore": 10**7, **{k.lower(): v for k, v in _SUFFIX_SCALES.items()},
}  # fmt: skip
# Fractions with a finite decimal; "third", "sixth" ... are not.
_FRACTIONS: dict[str, Decimal] = {
    "half": Decimal("0.5"), "halves": Decimal("0.5"), "quarter": Decimal("0.25"),
    "quarters": Decimal("0.25"), "fourth": Decimal("0.25"), "fourths": Decimal("0.25"),
    "fifth": Decimal("0.2"), "fifths": Decimal("0.2"), "eighth": Decimal("0.125"),
    "eighths": Decimal("0.125"), "tenth": Decimal("0.1"), "tenths": Decimal("0.1"),
    "sixteenth": Decimal("0.0625"), "sixteenths": Decimal("0.0625"),
    "twentieth": Decimal("0.05"), "twentieths": Decimal("0.05"),
    "hundredth": Decimal("0.01"), "hundredths": Decimal("0.01"),
    "thousandth": Decimal("0.001"), "thousandths": Decimal("0.001"),
}  # fmt: skip
_MULTIPLIERS: dict[str, int] = {"hundred": 100, "dozen": 12, "score": 20, **_WORD_SCALES}
_NON_TERMINATING = frozenset({"third", "thirds", "sixth", "sixths", "seventh", "sevenths",
                              "ninth", "ninths", "eleventh", "elevenths", "twelfth", "twelfths"})
_PREFIXES: dict[str, str] = {
    "more than": "more_than", "over": "more_than", "upwards of": "more_than",
    "in excess of": "more_than", "nearly": "nearly", "almost": "nearly", "close to": "nearly",
    "about": "about", "around": "about", "approximately": "about", "roughly": "about",
    "some": "about", "at least": "at_least", "no less than": "at_least",
    "no fewer than": "at_least", "up to": "up_to", "at most": "up_to", "less than": "up_to",
    "fewer than": "up_to", "under": "up_to",
}  # fmt: skip
_SUFFIXES: dict[str, str] = {"or more": "more_than", "plus": "more_than", "+": "more_than",
                             "-plus": "more_than", "odd": "more_than", "-odd": "more_than"}

_DIGITS_SCALE_RE = re.compile(
    r"(?P<n>\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)\s*(?P<s>[a-zA-Z]+)\.?"
)
_WORD_COMMA_RE = re.compile(r",(?!\d{3}(?!\d))")
_WORD_RE = re.compile(r"[a-z]+|\d+(?:,\d{3})*(?:\.\d+)?|\.\d+")
_GLUED_RE = re.compile(
    "(" + "|".join(w for w, v in EN_SMALL.items() if v >= 20) + ")("
    + "|".join(w for w, v in EN_SMALL.items() if 0 < v < 10) + ")"
)


def parse(text: str) -> Numeral | None:
    s = " ".join(text.split())
    m = _DIGITS_SCALE_RE.fullmatch(s)
    if m is not None:  # 1.2b, 10 bln, 2mil, 1MM, 10K
        numeral = _digits_with_scale(m.group("n"), m.group("s"))
        if numeral is not None:
            return numeral
    lower = s.lower()
    qualifier = "exact"
    for phrase, q in _PREFIXES.items():
        if lower.startswith(phrase + " "):
            qualifier, lower = q, lower[len(phrase) + 1 :]
            break
    for phrase, q in _SUFFIXES.items():
        if lower.endswith(phrase) and len(lower) > len(phrase):
            qualifier, lower = q, lower[: -len(phrase)].rstrip(" -")
            break
    value = _words(lower)
    return None if value is None else Numeral(value, qualifier)


def _digits_with_scale(number: str, scale: str) -> Numeral | None:
    factor = _SUFFIX_SCALES.get(scale) or _WORD_SCALES.get(scale.lower())
    value = parse_arabic(number)
    if factor is None or value is None:
        return None
    return Numeral(value * factor)


def _split_words(lower: str) -> list[str] | None:
    words: list[str] = []
    for raw in _WORD_RE.findall(_WORD_COMMA_RE.sub(" , ", lower.replace("-", " "))):
        word = _MISSPELLED.get(raw, raw)
        glued = _GLUED_RE.fullmatch(word)
        if glued:  # twentyone
            words += [glued.group(1), glued.group(2)]
        else:
            words.append(word)
    leftover = _WORD_RE.sub("", lower.replace("-", " ")).replace(",", "").strip()
    return None if leftover else words


class _Reader:
    """The running value: `total` holds completed scales, `group` the part below the
    last scale, `hundreds` / `tens` what the group may still take."""

    def __init__(self) -> None:
        self.total = Decimal(0)
        self.group: Decimal | None = None
        self.last_scale: int | None = None
        self.last = ""  # kind of the last word: unit, teen, tens, hundred, scale, dozen


def _words(lower: str) -> Decimal | None:
    words = _split_words(lower)
    if not words:
        return None
    if words[0] in ("a", "an") and len(words) > 1:
        words = ["one", *words[1:]]
    if "point" in words:
        i = words.index("point")
        return _point(words[:i], words[i + 1 :])
    # "two and a half", "one and three quarters", "one and a half million"
    for i in range(1, len(words) - 1):
        if words[i] == "and" and (words[i + 1] in ("a", "an") or words[i + 1] in EN_SMALL):
            frac = _fraction(words[i + 1 :])
            if frac is not None:
                whole = _cardinal(words[:i])
                if whole is None or whole != whole.to_integral_value():
                    return None
                # "a million and a half" is 1.5 million, "a dozen and a half" 18:
                # the fraction is of the last scale word; "two and a half" is 2.5.
                return whole + frac * _MULTIPLIERS.get(words[i - 1], 1)
            scaled = _fraction_scaled(words[:i], words[i + 1 :])
            if scaled is not None:
                return scaled
    frac = _fraction(words)
    if frac is not None:
        return frac
    if words[0] == "half" and len(words) >= 3 and words[1] in ("a", "an"):
        rest = _cardinal(["one", *words[2:]])  # half a million, half a dozen
        return None if rest is None else rest / 2
    return _cardinal(words)


def _fraction(words: list[str]) -> Decimal | None:
    """"a half", "three quarters", "one eighth", "half": a fraction alone."""
    if words == ["half"]:
        return Decimal("0.5")
    if len(words) < 2 or words[-1] not in _FRACTIONS:
        return None
    numerator = _cardinal(["one" if w in ("a", "an") else w for w in words[:-1]])
    if numerator is None or numerator == 0:
        return None
    return numerator * _FRACTIONS[words[-1]]


def _fraction_scaled(whole: list[str], rest: list[str]) -> Decimal | None:
    """"one and a half million": the fraction's scale applies to the whole."""
    if len(rest) < 3 or rest[-1] not in _WORD_SCALES:
        return None
    frac = _fraction(rest[:-1])
    base = _cardinal(whole)
    if frac is None or base is None or base >= 1000:
        return None
    return (base + frac) * _WORD_SCALES[rest[-1]]


def _point(whole: list[str], decimals: list[str]) -> Decimal | None:
    """"two point five six", "point five"; a scale may follow: "one point two million"."""
    scale = 1
    if decimals and decimals[-1] in _WORD_SCALES:
        scale = _WORD_SCALES[decimals.pop()]
    if not decimals or any(w not in EN_SMALL or EN_SMALL[w] > 9 for w in decimals):
        return None
    head = _cardinal(whole) if whole else Decimal(0)
    if head is None or head != head.to_integral_value():
        return None
    digits = "".join(str(EN_SMALL[w]) for w in decimals)
    return (head + Decimal("0." + digits)) * scale


def _cardinal(words: list[str]) -> Decimal | None:
    if any(w in _NON_TERMINATING for w in words):
        return None
    r = _Reader()
    for i, word in enumerate(words):
        if word == "and":
            if r.last not in ("hundred", "scale") or i + 1 >= len(words):
                return None
            continue
        if word == ",":
            if r.last != "scale":
                return None
            continue
        if not _step(r, word, words[i + 1] if i + 1 < len(words) else ""):
            return None
    if r.last == "":
        return None
    return r.total + (r.group or 0)


def _step(r: _Reader, word: str, following: str) -> bool:
    if word in ("a", "an"):
        if following not in ("hundred", "dozen", "score", *_WORD_SCALES) or r.last:
            return False
        r.group, r.last = Decimal(1), "unit"
        return True
    if word[0].isdigit() or word[0] == ".":
        value = parse_arabic(word)
        if value is None or r.last not in ("", "scale"):
            return False  # "5 hundred", "1.5 million"; not "twenty 5"
        r.group, r.last = value, "digits"
        return True
    if word in EN_SMALL:
        small = EN_SMALL[word]
        kind = "unit" if small < 10 else "teen" if small < 20 else "tens"
        if r.group is None or r.last == "scale":
            r.group = Decimal(small)
        elif r.last == "hundred" and r.group % 100 == 0:
            r.group += small  # one hundred five, one hundred twenty
        elif r.last == "tens" and kind == "unit" and small > 0:
            r.group += small  # twenty one
        else:
            return False  # one fifty, five six, nineteen eighty
        r.last = kind
        return True
    if word == "hundred":
        if r.group is None or r.last == "scale":
            r.group = Decimal(1)
        elif r.last == "hundred" or r.group >= 100 or r.group != r.group.to_integral_value():
            return False
        r.group *= 100  # twelve hundred, nineteen hundred
        r.last = "hundred"
        return True
    if word in ("dozen", "score"):
        if r.group is None or r.last == "scale":
            r.group = Decimal(1)
        elif r.last not in ("unit", "teen", "tens", "digits"):
            return False
        r.group *= 12 if word == "dozen" else 20
        r.last = "dozen"
        return True
    if word in ("dozens", "scores") or word not in _WORD_SCALES:
        return False
    scale = _WORD_SCALES[word]
    if r.group is None or r.last == "scale" or (r.last_scale is not None and scale >= r.last_scale):
        return False  # "million", "thousand thousand"
    r.total += r.group * scale
    r.group, r.last, r.last_scale = None, "scale", scale
    return True
