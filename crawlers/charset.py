"""Reading a page in the charset its bytes are in, not only the one it declares.

A page may declare one charset (HTTP header, BOM, ``<meta charset>``) and be written
in another: GBK served as UTF-8 happens on older government sites. Decoded as
declared, the text turns into U+FFFD replacement characters; stored, it is mojibake
that yields no figures and is never fetched again. So the decoded text is checked:

- bytes that are valid UTF-8 with non-ASCII text are UTF-8, whatever is declared
  (UTF-8 declared as GBK decodes without an error, into the wrong characters);
- a charset that decodes any byte (ISO-8859-1, the default of many servers) shows no
  errors whatever the page is in: the page's meta charset, or for a Chinese source the
  guess among the Chinese charsets, is preferred to it when it decodes cleanly;
- replacement characters beyond a couple, or beyond 2% of the non-ASCII text, mean the
  declaration is wrong: the page's own meta charset is tried, then charset-normalizer's
  guess (for a Chinese source among the Chinese charsets: GB18030, Big5, UTF-8), and
  the first that decodes cleanly is used;
- when none does, the page is :class:`Undecodable` (code ``undecodable``): a failed
  page, its bytes kept for inspection, never stored as text.
"""

from __future__ import annotations

import codecs
import functools
from dataclasses import dataclass

from charset_normalizer import from_bytes
from scrapy.http import TextResponse
from w3lib.encoding import html_body_declared_encoding

UNDECODABLE = "undecodable"
#: Replacement characters a page may have whatever its size (a stray byte or two).
TOLERATED_BAD = 2
#: ... or this share of its non-ASCII characters.
TOLERATED_SHARE = 0.02
#: Where charset-normalizer looks for a source's pages, by language (None: anywhere).
GUESS_AMONG: dict[str, list[str] | None] = {"zh": ["gb18030", "big5", "utf_8"]}


class Undecodable(Exception):
    """No charset reads the page's bytes."""

    code = UNDECODABLE

    def __init__(self, declared: str, damage: Damage, tried: list[str]) -> None:
        self.declared = declared
        self.damage = damage
        self.tried = tried
        also = f"; {', '.join(tried)} do not read it either" if tried else ""
        super().__init__(
            f"{UNDECODABLE}: the page is declared {declared}, but {damage.bad} of its "
            f"{damage.non_ascii} non-ASCII characters do not decode{also}"
        )


@dataclass(frozen=True)
class Damage:
    """Replacement characters in a decoded text, against its non-ASCII characters."""

    bad: int
    non_ascii: int

    @property
    def tolerable(self) -> bool:
        return self.bad <= TOLERATED_BAD or self.bad <= TOLERATED_SHARE * self.non_ascii


def canonical(encoding: str) -> str:
    """The codec's own name (``UTF8`` -> ``utf-8``), or the name as given if unknown."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding.lower()


def damage_of(text: str, body: bytes, encoding: str) -> Damage:
    bad = text.count("\ufffd")
    if bad and canonical(encoding) == "utf-8":
        bad -= body.count("\ufffd".encode())  # written on the page, not a decoding error
    if bad <= TOLERATED_BAD:
        return Damage(max(bad, 0), -1)  # tolerable whatever the rest (-1: not counted)
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return Damage(bad, non_ascii)


def decode_damage(body: bytes, encoding: str) -> Damage | None:
    """How `body` fares decoded as `encoding` (None: no such codec)."""
    try:
        text = body.decode(encoding, errors="replace")
    except LookupError:
        return None
    return damage_of(text, body, encoding)


def is_utf8_text(body: bytes) -> bool:
    """Valid UTF-8 with at least one non-ASCII character."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def guess(body: bytes, language: str | None = None) -> str | None:
    """charset-normalizer's guess, among the charsets usual for `language`."""
    match = from_bytes(body, cp_isolation=GUESS_AMONG.get(language or "")).best()
    return match.encoding if match is not None else None


@functools.lru_cache(maxsize=64)
def lenient(encoding: str) -> bool:
    """Whether `encoding` decodes (nearly) any byte: ISO-8859-1, windows-1252, ... A page
    declared so never shows replacement characters, whatever it is in."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return sum(_decodes(bytes([byte]), encoding) for byte in range(0x80, 0x100)) >= 120


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def readable(
    response: TextResponse, encoding: str | None = None, language: str | None = None
) -> TextResponse:
    """`response`, decoded in the charset its bytes are in.

    `encoding` is the source's own setting (``auto``/None: what the page declares);
    raises :class:`Undecodable` when no charset reads the page.
    """
    if encoding and encoding != "auto" and canonical(encoding) != canonical(response.encoding):
        response = response.replace(encoding=encoding)
    body = response.body
    declared = canonical(response.encoding)
    if body.isascii():
        return response
    if declared != "utf-8" and is_utf8_text(body):
        return response.replace(encoding="utf-8")
    damage = damage_of(response.text, body, declared)
    # A lenient charset shows no damage: there the page's meta, or for a language with
    # charsets of its own (Chinese) the guess among those, is the better word.
    suspect = lenient(declared)
    if damage.tolerable and not suspect:
        return response
    candidates = [html_body_declared_encoding(body)]
    if not suspect or GUESS_AMONG.get(language or ""):
        candidates.append(guess(body, language))
    seen = {declared}
    tried = []
    for candidate in candidates:
        if not candidate or canonical(candidate) in seen:
            continue
        seen.add(canonical(candidate))
        tried.append(candidate)
        if suspect and lenient(candidate):
            continue  # one lenient charset is no better than another
        fits = decode_damage(body, candidate)
        if fits is not None and fits.tolerable:
            return response.replace(encoding=candidate)
    if damage.tolerable:
        return response
    raise Undecodable(declared, damage, tried)
