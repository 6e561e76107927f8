"""Where strings occur in a text, found with str.find (C speed) rather than a regex
character class (which, with non-ASCII members, is tested character by character)."""

from __future__ import annotations

from collections.abc import Iterable


def occurrences(
    text: str, needles: Iterable[str], spans: list[tuple[int, int]] | None = None
) -> list[int]:
    """The start of every occurrence of each of `needles`, needle by needle.

    spans: (start, end) of the only parts of `text` that hold non-ASCII characters, or
    None (anywhere); a non-ASCII needle is looked for there only."""
    out: list[int] = []
    find = text.find
    whole = [(0, len(text))]
    for needle in needles:
        for start, end in whole if spans is None or needle.isascii() else spans:
            pos = find(needle, start, end)
            while pos >= 0:
                out.append(pos)
                pos = find(needle, pos + 1, end)
    return out
