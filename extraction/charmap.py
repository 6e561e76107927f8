"""One-character-to-one normal form: full-width forms to ASCII, Traditional to Simplified.

Every rule downstream is written once, in Simplified characters and ASCII; a text is
mapped character by character, so an offset in the normal form is an offset in the
original text and every span points at what the document really says.
"""

from __future__ import annotations

import re

from .traditional import SIMPLIFIED, TRADITIONAL

_FULLWIDTH: dict[int, int] = {0xFF10 + i: 0x30 + i for i in range(10)}
_FULLWIDTH.update({0xFF21 + i: 0x41 + i for i in range(26)})
_FULLWIDTH.update({0xFF41 + i: 0x61 + i for i in range(26)})
_FULLWIDTH.update(
    {ord(a): ord(b) for a, b in zip("％．－＄，：；（）～＋", "%.-$,:;()~+", strict=True)}
)
_FULLWIDTH.update({0x3000: 0x20, 0x2212: 0x2D})  # ideographic space, minus sign
# Full-width comma, colon, semicolon and parentheses keep their Chinese form in the
# finders' patterns, so only the ones that never mark a clause are mapped for them.
_CLAUSE_MARKS = {ord(c) for c in "，：；（）"}
_FULLWIDTH_TEXT = {k: v for k, v in _FULLWIDTH.items() if k not in _CLAUSE_MARKS}

_TO_SIMPLIFIED: dict[int, int] = {
    ord(t): ord(s) for t, s in zip(TRADITIONAL, SIMPLIFIED, strict=True)
}
_TEXT_TABLE = {**_TO_SIMPLIFIED, **_FULLWIDTH_TEXT}
_NUMERAL_TABLE = {**_TO_SIMPLIFIED, **_FULLWIDTH}

_FULLWIDTH_CLASS = "[" + "".join(re.escape(chr(c)) for c in sorted(_FULLWIDTH_TEXT)) + "]"
# "[...][...]*", not "[...]+": a pattern opening with a repeat is tried at every
# position, one opening with a character class skips ahead to the next candidate.
_FULLWIDTH_RE = re.compile(_FULLWIDTH_CLASS + _FULLWIDTH_CLASS + "*")
# Characters that (almost) every text in Traditional characters holds and no text in
# Simplified does: a few substring tests find such a text far faster than a scan with
# the whole table, which only then runs.
_TRADITIONAL_SENTINELS = "個萬億餘們這國為與於機關會發對時從後來過進將當數點經說"
_TRADITIONAL_RE = re.compile("[" + re.escape(TRADITIONAL) + "]")
_SAMPLE = 4000
_SHORT = 2000


_CJK_RE = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
# The high bytes (UTF-16) of the blocks below the first character that is CJK or
# mapped (U+2212, the minus sign, in block 0x22); of the blocks other than _CJK_RE's.
_HIGH_BYTES_BELOW = bytes(range(min(0x3400, *_TEXT_TABLE) >> 8))
_HIGH_BYTES_NOT_CJK = bytes(b for b in range(256) if not (0x34 <= b <= 0x9F or 0xF9 <= b <= 0xFA))
# The full-width forms mapped in a text: block 0xFF, and two lone characters.
_FULLWIDTH_LONE = ("\u3000", "\u2212")
assert all(k >> 8 == 0xFF or chr(k) in _FULLWIDTH_LONE for k in _FULLWIDTH_TEXT)


def has_cjk(text: str) -> bool:
    return not text.isascii() and _CJK_RE.search(text) is not None


def looks_traditional(text: str) -> bool:
    """Whether `text` holds Traditional characters.

    A few substring tests on its head settle a long text: one in Traditional characters
    always has some of the commonest (個 們 這 國 為 ...).  A short text may have none of
    them (繳獲毒品約1.7噸), so it is searched for any character of the table."""
    head = text[:_SAMPLE]
    if any(ch in head for ch in _TRADITIONAL_SENTINELS):
        return True
    return len(text) <= _SHORT and _TRADITIONAL_RE.search(text) is not None


def normalize_text(text: str) -> str:
    """Full-width digits, letters and signs to ASCII, Traditional to Simplified; same length."""
    return normal_form(text)[0]


def normal_form(text: str) -> tuple[str, bool]:
    """(normalize_text(text), has_cjk of it), the text searched for CJK only once.

    Which characters a text holds is read at C speed from the high bytes of its UTF-16
    form (the 256-character block of each), where a pattern would test each character
    slowly."""
    if text.isascii():
        return text, False
    high = text.encode("utf-16-le")[1::2]
    if not high.translate(None, _HIGH_BYTES_BELOW):
        return text, False  # neither CJK nor a full-width form (English with “quotes”)
    cjk = bool(high.translate(None, _HIGH_BYTES_NOT_CJK))  # has_cjk(text)
    if cjk and looks_traditional(text):
        norm = text.translate(_TEXT_TABLE)
        return norm, has_cjk(norm)  # a few rare characters map outside the CJK blocks
    # Full-width forms map to ASCII: the normal form holds CJK where the text does.
    if b"\xff" not in high and not any(ch in text for ch in _FULLWIDTH_LONE):
        return text, cjk
    if _FULLWIDTH_RE.search(text) is None:
        return text, cjk
    return _FULLWIDTH_RE.sub(lambda m: m.group().translate(_FULLWIDTH_TEXT), text), cjk


def normalize_numeral(text: str) -> str:
    """The same for one numeral, where full-width punctuation also becomes ASCII."""
    return text if text.isascii() else text.translate(_NUMERAL_TABLE)
