"""The topic of a bulletin, from the words it uses most (its title counts triple).

Words are counted in the title and the first HEAD_CHARS characters: a release says what
it is about from the start, and the rest of a long page (a flattened table, an appendix)
only costs time.
"""

from __future__ import annotations

import re

from .patterns import WORD_PREFIX, literal_regex, trie_regex
from .wordscan import WordPattern

TOPICS = ("gambling", "fraud", "drugs", "smuggling", "organized_crime", "border", "other")

_KEYWORDS: dict[str, tuple[str, ...]] = {
    "gambling": ("赌", "博彩", "gambl", "casino", "betting", "lotter"),
    "fraud": ("诈骗", "电诈", "反诈", "涉诈", "骗局", "fraud", "scam", "swindl", "phishing"),
    "drugs": ("毒品", "禁毒", "贩毒", "吸毒", "制毒", "冰毒", "海洛因", "缉毒", "drug", "narcotic",
              "heroin", "methamphetamine", "cocaine", "fentanyl"),
    "smuggling": ("走私", "smuggl", "contraband"),
    "organized_crime": ("涉黑", "黑恶", "扫黑", "黑社会", "恶势力", "underworld", "gangster",
                        "mafia", "organized crime", "organised crime", "evil forces", "triad"),
    # English words are matched at a word start, so "cross-border" does not count:
    # 跨境 (cross-border) crime is not border policing.
    "border": ("出入境", "边境", "边检", "边防", "口岸", "移民管理", "偷渡", "border",
               "immigration", "inbound", "outbound", "entry and exit", "stowaway"),
}  # fmt: skip
_TOPIC_OF = {word: topic for topic, words in _KEYWORDS.items() for word in words}
_ZH_RE = literal_regex(w for w in _TOPIC_OF if not w.isascii())
# English keywords are word starts ("gambl" matches gambling, gamblers).
_EN_TRIE = trie_regex(w for w in _TOPIC_OF if w.isascii())
_EN_RE = re.compile(f"{WORD_PREFIX}(?P<w>{_EN_TRIE})")
# The same on the scan form, where the engine skips from space to space instead of
# testing WORD_PREFIX at every character: twice as fast on English text, slower on
# Chinese (whose characters are all spaces in the scan form).
_EN_WORDS = WordPattern(f"(?P<w>{_EN_TRIE})", _EN_TRIE)
_CJK_RE = re.compile("[\u3400-\u9fff]")
HEAD_CHARS = 4000
_TITLE_WEIGHT = 3
_MIN_SCORE = 2


def _count(text: str, scores: dict[str, int], weight: int, cjk: bool) -> None:
    chinese = cjk and not text.isascii() and _CJK_RE.search(text) is not None
    patterns = (_ZH_RE, _EN_RE) if chinese else (_EN_RE,)
    for pattern in patterns:
        _add(pattern.findall(text), scores, weight)


def _add(words: list[str], scores: dict[str, int], weight: int) -> None:
    for word in words:
        topic = _TOPIC_OF.get(word) or _TOPIC_OF[" ".join(word.split())]
        scores[topic] += weight


def _count_scan(
    text: str,
    scan: bytes,
    span: tuple[int, int],
    scores: dict[str, int],
    weight: int,
    cjk: bool,
    non_ascii: list[tuple[int, int]] | None,
) -> None:
    """_count of " " + text[start:end], with the English keywords found on the scan form."""
    start, end = span
    if cjk:
        # Only where the text holds non-ASCII characters (`non_ascii`: (start, end) spans
        # of whole lines), where every match of a Chinese keyword lies.
        parts = [(max(a, start), min(b, end)) for a, b in non_ascii or [(start, end)]]
        if any(_CJK_RE.search(text, a, b) for a, b in parts if a < b):
            for a, b in parts:
                if a < b:
                    _add(_ZH_RE.findall(text, a, b), scores, weight)
    found = _EN_WORDS.finditer_opening(text, scan, start, end)
    _add([m.group(1) for m in found], scores, weight)


def detect_topic(
    text: str,
    lowered_already: bool = False,
    cjk: bool = True,
    scan: bytes | None = None,
    non_ascii: list[tuple[int, int]] | None = None,
) -> str:
    """One of TOPICS: the topic whose keywords occur most, "other" when none stands out.

    lowered_already: `text` is in lowercase (ASCII letters at least) already.
    cjk: False when `text` is known to hold no CJK character (it is not searched for one).
    scan: scan_form(text) of a lowercased text, if at hand (the English keywords are
    then found on it).
    non_ascii: (start, end) of the only lines of `text` holding non-ASCII characters, if
    known (with `scan`, Chinese keywords are looked for there only).
    """
    end = len(text)
    if end > HEAD_CHARS:
        cut = text.find("\n", HEAD_CHARS, HEAD_CHARS + 500)
        end = cut if cut > 0 else HEAD_CHARS
    if scan is not None and lowered_already:
        scores = dict.fromkeys(_KEYWORDS, 0)
        title_start = end - len(text[:end].lstrip())
        title_end = text.find("\n", title_start, end)
        _count_scan(text, scan, (0, end), scores, 1, cjk, non_ascii)
        first_line = (title_start, end if title_end < 0 else title_end)
        _count_scan(text, scan, first_line, scores, _TITLE_WEIGHT - 1, cjk, non_ascii)
        return _best(scores)
    text = text[:end]
    lowered = " " + (text if lowered_already else text.lower())  # the space lets an
    # English keyword open the text
    stripped = lowered.lstrip()
    title_end = stripped.find("\n")
    title = " " + (stripped if title_end < 0 else stripped[:title_end])
    scores = dict.fromkeys(_KEYWORDS, 0)
    _count(lowered, scores, 1, cjk)
    _count(title, scores, _TITLE_WEIGHT - 1, cjk)
    return _best(scores)


def _best(scores: dict[str, int]) -> str:
    best = max(scores, key=lambda t: scores[t])
    return best if scores[best] >= _MIN_SCORE else "other"
