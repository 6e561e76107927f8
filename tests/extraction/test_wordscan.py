"""The fast paths (scan form, C-speed prefilters) find exactly what the patterns find."""

from __future__ import annotations

import random
import re

import pytest

from extraction import charmap
from extraction.english import _VERB
from extraction.english_numbers import _DIGIT_RE, _VAGUE_RE, _WORD, _vague_matches
from extraction.wordscan import WordPattern, digit_led_matches, scan_form

TEXTS = [
    "police arrested twenty-one suspects and seized a dozen guns",
    "\u3000one\xa0hundred “ten” (two) [three] *four* /five\u2009six,seven.eight;nine:ten",
    "a\u3000dozen a\n dozen a,dozen someone often attention tent",
    "Ｔｈｅ ２７ 名嫌疑人 一百 ten名 ٣5 1,578.5 million 3.5 v1.2.3 ,12 .5 ¥30",
    "arrested\u2028seized\x1cdetained\x85frozen\u205fcaptured",
    # A verb phrase whose last word is a verb too, cut short or after a non-prefix letter.
    "put on filed 中put on file x put on file cracked down on dealt  with\nwith",
    "",
    "one",
    "1",
]


def _words(rng: random.Random) -> str:
    pieces = ["one", "ten", "a", "dozen", "twenty", "-", "1", "2,000", ".", ",", " ", "\xa0",
              "\u3000", "“", "名", "seized", "arrested", "and", "\n", "٣", "x", "e"]  # fmt: skip
    return "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 40)))


def _cases() -> list[str]:
    rng = random.Random(14)
    return TEXTS + [_words(rng) for _ in range(2000)]


@pytest.mark.parametrize("pattern", [_WORD, _VERB], ids=["numbers", "verbs"])
def test_word_pattern_finds_what_the_regex_finds(pattern: WordPattern) -> None:
    for text in _cases():
        lower = text.lower()
        expected = [m.span() for m in pattern.regex.finditer(lower)]
        assert [m.span() for m in pattern.finditer(lower, scan_form(lower))] == expected, text
        # and within bounds, as SentenceMarks asks
        lo, hi = len(lower) // 3, 2 * len(lower) // 3 + 1
        expected = [m.span() for m in pattern.regex.finditer(lower, lo, hi)]
        found = pattern.finditer(lower, scan_form(lower), lo, hi)
        assert [m.span() for m in found] == expected, text


def test_digit_led_matches_are_those_of_finditer() -> None:
    for text in _cases():
        lower = text.lower()
        expected = [m.span() for m in _DIGIT_RE.finditer(lower)]
        assert [m.span() for m in digit_led_matches(_DIGIT_RE, lower, scan_form(lower))] == (
            expected
        ), text


def test_vague_matches_are_those_of_finditer() -> None:
    rng = random.Random(14)
    pieces = ["tens", "of", "thousands", "dozens", "hundreds", "millions", "scores", "at", " ",
              "  ", "\n", "\xa0", "\u3000", "“", "名", "s", "-", ",", "x", "attens"]  # fmt: skip
    cases = TEXTS + [
        "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 30))) for _ in range(3000)
    ]
    for text in cases:
        lower = text.lower()
        expected = [m.span() for m in _VAGUE_RE.finditer(lower)]
        assert [m.span() for m in _vague_matches(lower, scan_form(lower))] == expected, text


def test_scan_form_keeps_every_offset() -> None:
    for text in TEXTS:
        assert len(scan_form(text)) == len(text)


def test_a_word_pattern_holds_no_digit() -> None:
    with pytest.raises(ValueError):
        WordPattern(r"(?P<w>covid-19)")
    assert re.fullmatch(_WORD.regex, " twenty-one")


def test_normal_form_skips_only_texts_with_nothing_to_map() -> None:
    # Around the first mapped character (U+2212) and the CJK blocks; one beyond the BMP.
    for ch in "é“\u21ff\u2200\u2211\u2212\u3000\u33ff\u3400中\uff10\uff41\U0001f600":
        text = f"police “arrested” 27{ch}suspects"
        expected = charmap._FULLWIDTH_RE.sub(
            lambda m: m.group().translate(charmap._FULLWIDTH_TEXT), text
        )
        assert charmap.normal_form(text) == (expected, charmap.has_cjk(text)), ch
