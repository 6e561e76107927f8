"""Figures in Chinese text: a numeral, its counter word, and the noun and verb around it.

    [verb] [noun] [qualifier] NUMBER [余/多] [scale] COUNTER [左右] [noun]
    侦办    跨境赌博案件          336               起
    冻结    涉案资金      约     27          亿     元
                                 158.3       万     户          存量单位银行账户

The counter decides whether the number is a figure at all (年, 月, 岁 make it a
date or an age) and, with the nearest noun, the unit.  The metric comes from the
nearest verb of the clause, else from the verb that governs an enumeration of
earlier clauses in the sentence (打掉团伙261个，采取刑事强制措施1578人).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from .metrics import choose_metric
from .model import Figure
from .numbers import parse_number, tidy
from .numerals_zh import ZH_DIGITS, ZH_NUMERAL_CHARS, ZH_SCALE_CHARS
from .patterns import literal_regex
from .text import Doc, SentenceMarks
from .vocabulary import (
    ENFORCEMENT_KINDS,
    MASS_FACTORS,
    ZH_COUNTERLESS_KINDS,
    ZH_COUNTERLESS_NOUNS,
    ZH_COUNTERS,
    ZH_GENERIC_DEFAULT,
    ZH_INVOLVED_MARKERS,
    ZH_NOUNS,
    ZH_QUALIFIER_PREFIXES,
    ZH_QUALIFIER_SUFFIXES,
    ZH_REJECT_COUNTERS,
    ZH_SCALE_PREFIXES,
    ZH_SPAN_FILLERS,
    ZH_VERBS,
)

_SCALE = f"[{ZH_SCALE_CHARS}]+"
_AR = r"(?:\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?!\d)|\d+(?:[,，]\d{3}(?!\d))*)(?:\.\d+)?"
_NUM = rf"(?:{_AR}(?:{_SCALE})?|[{ZH_NUMERAL_CHARS}]+)"
# The same as _NUM, written to start with one character class (so that the engine
# skips ahead fast) followed by the rest of an Arabic or of a Chinese numeral.
_NUM_FIRST = (
    rf"[\d{ZH_NUMERAL_CHARS}](?<![\d.].)"
    rf"(?:(?<=\d)(?:\d{{0,2}}(?:[ \u00a0\u2009\u202f]\d{{3}})+(?!\d)|\d*(?:[,，]\d{{3}}(?!\d))*)"
    rf"(?:\.\d+)?(?:{_SCALE})?|(?<!\d)[{ZH_NUMERAL_CHARS}]*)"
)
_NUMBER_RE = re.compile(
    rf"(?P<num>{_NUM_FIRST})(?P<mid>余|多)?(?P<scale>{_SCALE})?(?P<post>余|多)?"
    rf"(?:(?P<sep>至|到|~|～|-|—|–)(?P<num2>{_NUM})(?P<mid2>余|多)?(?P<scale2>{_SCALE})?)?"
)
_PERCENT_PREFIX = "百分之"


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_COUNTER_RE = re.compile(
    r"[ \t]*(?P<c>" + _alternation(set(ZH_COUNTERS) | ZH_REJECT_COUNTERS) + ")"
)
_SUFFIX_RE = re.compile("(?:" + _alternation(ZH_QUALIFIER_SUFFIXES) + ")")
_NOUN_RE = literal_regex(ZH_NOUNS)
_VERB_RE = literal_regex(ZH_VERBS)
# The trailing noun phrase (6名团伙骨干) ends at punctuation, a digit or one of these.
_TRAIL_STOP_RE = re.compile(
    r"[\s，,。；;：:、！？!?（）()“”\"\d的进被已并均都将从于后中在是为与和及或等]"
)
_BREAK_CHARS = "的被把将"
_CONVERSION_PREFIXES = frozenset({"约合", "折合"})
_SCALE_ONLY = frozenset(ZH_SCALE_CHARS)
_UNIT_KINDS: dict[str, str] = {
    "CNY": "money", "USD": "money", "HKD": "money", "EUR": "money", "percent": "percent",
    "percentage_point": "percent", "kg": "mass", "g": "mass", "t": "mass", "time": "time",
    "case": "case", "person": "person", "person_time": "person", "organization": "organization",
    "account": "account", "card": "card", "phone": "item", "device": "item", "vehicle": "item",
    "vessel": "item", "firearm": "item", "round": "item", "piece": "item", "head": "item",
    "box": "item", "set": "item", "item": "item",
}  # fmt: skip
_VERB_WINDOW = 18  # a verb this close before the number starts the figure's text
_NOUN_WINDOW = 12
_VERBS_TRIED = 4  # the verbs nearest a number, on each side, that may give its metric


def _prefix_qualifier(norm: str, pos: int, bare: bool) -> tuple[str | None, int]:
    for size in (3, 2, 1):
        word = norm[max(0, pos - size) : pos]
        if len(word) == size:
            if word in ZH_QUALIFIER_PREFIXES:
                return ZH_QUALIFIER_PREFIXES[word], pos - size
            if bare and word in ZH_SCALE_PREFIXES:
                return ZH_SCALE_PREFIXES[word], pos - size
    return None, pos


def _value(num: str, scale: str | None) -> Decimal | None:
    value = parse_number(num)
    if value is not None and scale:
        factor = parse_number(scale)
        value = value * factor if factor is not None else None
    return value


def _split_scale(num: str, scale: str | None) -> tuple[str, str]:
    """"5万" -> ("5", "万"); a trailing thousand-or-more scale only (五十 keeps its 十)."""
    head = num.rstrip("千万亿仟萬億")
    if head and head != num and (head[-1].isdigit() or head[-1] in ZH_DIGITS):
        return head, num[len(head) :] + (scale or "")
    return num, scale or ""


def _range(m: re.Match[str], value: Decimal) -> tuple[Decimal, int, bool]:
    """For "10至20人" or "3至5万元": (lower bound, end, whether it is a range at all)."""
    num = m.group("num")
    upper = _value(m.group("num2"), m.group("scale2"))
    # 3至5万元 is 30000 to 50000: the upper bound's scale applies to both.
    lead, scale = _split_scale(m.group("num2"), m.group("scale2"))
    if scale and not m.group("scale") and not _split_scale(num, None)[1]:
        lead_value = parse_number(lead) if lead else None
        if lead_value is not None and value <= lead_value:
            value = _value(num, scale) or value
    if upper is None or upper < value:
        return value, m.start("sep"), False
    return value, m.end(), True


def _is_bare_scale(num: str) -> bool:
    return all(c in _SCALE_ONLY for c in num) and num[0] not in "十拾"


class ChineseFinder:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.norm = doc.norm
        self.nouns = SentenceMarks(_NOUN_RE, doc)
        self.verbs = SentenceMarks(_VERB_RE, doc)
        self.last_end = 0

    def find(self) -> Iterator[Figure]:
        layout = self.doc.layout
        for m in _NUMBER_RE.finditer(self.norm):
            if layout.language_at(m.start()) != "zh":
                continue
            figure = self._figure(m)
            if figure is not None:
                self.last_end = figure.end
                yield figure

    # ------------------------------------------------------------------ one number

    def _figure(self, m: re.Match[str]) -> Figure | None:
        norm, doc = self.norm, self.doc
        num = m.group("num")
        chinese_only = not num[0].isdigit()
        # Cheap rejections first: most numeral characters in Chinese text are words.
        counter = _COUNTER_RE.match(norm, m.end())
        if counter is not None and counter.group("c") in ZH_REJECT_COUNTERS:
            return None  # 2020年, 14日, 3个月, 18岁, 十分
        pct = m.start() >= 3 and norm.startswith(_PERCENT_PREFIX, m.start() - 3)
        if chinese_only and not pct and (counter is None or ZH_DIGITS.get(num, 2) <= 1):
            return None  # 一是, 统一, 三亚: a Chinese numeral counts only with a counter
        s = m.start() - 3 if pct else m.start()
        if doc.masked(m.start("num"), m.end("num")) or self._glued(m):
            return None
        if norm[max(0, s - 2) : s] in _CONVERSION_PREFIXES:
            return None  # （约合3800万美元） restates the amount before it
        # 数百, 几十, 上千万: vague and scale prefixes go with bare scale words only.
        qualifier, qs = _prefix_qualifier(norm, s, all(c in _SCALE_ONLY for c in num))
        if qualifier == "exact":
            qualifier = None  # 达, 共计: keep their place in the text, let 余 still count
        elif qualifier is None and _is_bare_scale(num) and not (m.group("mid") or m.group("post")):
            return None  # 百万警, 千万家, 万凯: a scale word alone is not a number
        value = _value(num, m.group("scale"))
        if value is None or value == 0:
            return None
        if m.group("mid") or m.group("post"):
            qualifier = qualifier or "more_than"
        end = m.end()
        if m.group("num2"):
            value, end, is_range = _range(m, value)
            if is_range:
                qualifier = qualifier or "at_least"  # a range counts at least its lower bound

        clause_start, clause_end = doc.layout.clause(s)
        floor = max(doc.layout.item(s)[0], self.last_end if self.last_end > clause_start else 0)
        unit_info = self._unit(m, end, s, floor, clause_end, pct)
        if unit_info is None:
            return None
        unit, kind, end, factor, trail_end = unit_info
        if chinese_only and kind not in ENFORCEMENT_KINDS and not pct:
            return None  # 两个部门, 三家媒体: rhetoric more often than statistics
        suffix = _SUFFIX_RE.match(norm, end)
        if suffix:
            qualifier = qualifier or ZH_QUALIFIER_SUFFIXES[suffix.group()]
            end = suffix.end()
        else:
            end = trail_end
        start = self._span_start(qs, floor)
        return Figure(
            text=doc.text[start:end],
            start=start,
            end=end,
            value=tidy(value * factor),
            unit=unit,
            qualifier=qualifier or "exact",
            metric=self._metric(kind, qs, end, clause_start, clause_end),
            topic=doc.topic,
        )

    def _metric(self, kind: str, qs: int, end: int, clause_start: int, clause_end: int) -> str:
        """Verbs of the clause (nearest before the number first, then after it: 对…进行
        排查), else the verbs of earlier clauses of the sentence."""
        sentence_start = self.doc.layout.sentence(qs)[0]
        own = self.verbs.last(clause_start, qs, _VERBS_TRIED)
        own += self.verbs.between(end, clause_end)[:_VERBS_TRIED]
        carried = self.verbs.last(sentence_start, clause_start, _VERBS_TRIED)
        involved = kind == "money" and any(
            w in self.norm[clause_start:end] for w in ZH_INVOLVED_MARKERS
        )
        return choose_metric(
            kind, [ZH_VERBS[v[2]] for v in own], [ZH_VERBS[v[2]] for v in carried], involved
        )

    def _glued(self, m: re.Match[str]) -> bool:
        """Digits fused with Latin letters are codes or model names: G20, 5G, COVID-19."""
        norm, s = self.norm, m.start("num")
        if not m.group("num")[0].isdigit():
            return False
        before = norm[s - 1] if s else ""
        if before.isascii() and before.isalpha():
            return True
        if before == "-" and s >= 2 and norm[s - 2].isascii() and norm[s - 2].isalpha():
            return True
        after = norm[m.end()] if m.end() < len(norm) else ""
        return after.isascii() and after.isalpha() and not _COUNTER_RE.match(norm, m.end())

    # ------------------------------------------------------------------ unit

    def _unit(
        self, m: re.Match[str], end: int, s: int, floor: int, clause_end: int, pct: bool
    ) -> tuple[str, str, int, Decimal, int] | None:
        """(unit, kind, end of the counter, value factor, end of the noun phrase after
        the counter), or None when the number is not a figure."""
        norm = self.norm
        left = self._left_noun(max(floor, s - _NOUN_WINDOW), s)
        if pct:
            return "percent", "percent", end, Decimal(1), end
        cm = _COUNTER_RE.match(norm, end)
        if cm is None:
            # 涉案流水资金达300亿: a bare amount after a money noun.
            tail = norm[end : end + 1]
            counterless = left is not None and (
                ZH_NOUNS[left][1] in ZH_COUNTERLESS_KINDS or left in ZH_COUNTERLESS_NOUNS
            )
            ends_here = not ("\u4e00" <= tail <= "\u9fff") or _SUFFIX_RE.match(norm, end)
            if left is not None and counterless and ends_here:
                unit, kind = ZH_NOUNS[left]
                return unit, kind, end, Decimal(1), end
            return None
        counter = cm.group("c")
        if counter in ZH_REJECT_COUNTERS:
            return None
        end = cm.end()
        trail_end, trail_noun = self._trailing_noun_end(end, clause_end)
        noun = trail_noun or left
        unit = ZH_COUNTERS[counter]
        if not unit:
            if noun and not (counter == "件" and ZH_NOUNS[noun][1] == "person"):
                unit, kind = ZH_NOUNS[noun]
                return unit, kind, end, Decimal(1), trail_end
            default = ZH_GENERIC_DEFAULT[counter]
            if default is None:
                return None
            return default, _UNIT_KINDS.get(default, "other"), end, Decimal(1), trail_end
        kind = _UNIT_KINDS.get(unit, "other")
        factor = Decimal(1)
        if unit in MASS_FACTORS:
            factor, unit = MASS_FACTORS[unit], "kg"
            if self._has_kind(floor, trail_end, "drug"):
                kind = "drug"
        elif kind == "person" and noun and ZH_NOUNS[noun][1] in ("gambler", "fugitive"):
            kind = ZH_NOUNS[noun][1]
        elif kind == "time":
            clause_start = self.doc.layout.clause(s)[0]
            for k in ("message", "call"):
                if self._has_kind(clause_start, s, k):
                    kind = k
                    break
        return unit, kind, end, factor, trail_end

    def _left_noun(self, lo: int, hi: int) -> str | None:
        found = self.nouns.between(lo, hi)
        return found[-1][2] if found else None

    def _has_kind(self, lo: int, hi: int, kind: str) -> bool:
        return any(ZH_NOUNS[n[2]][1] == kind for n in self.nouns.between(lo, hi))

    def _trailing_noun_end(self, end: int, clause_end: int) -> tuple[int, str | None]:
        """End of a noun phrase right after the counter (6名团伙骨干), and its head noun."""
        limit = min(clause_end, end + _NOUN_WINDOW + 2)
        stop = _TRAIL_STOP_RE.search(self.norm, end, limit)
        if stop is not None:
            limit = stop.start()
        verbs = self.verbs.between(end, limit)
        if verbs:
            limit = verbs[0][0]  # a verb begins the next phrase: 18名打掉团伙3个
        found = self.nouns.between(end, limit)
        if not found:
            return end, None
        return found[-1][1], found[-1][2]

    # ------------------------------------------------------------------ text span

    def _span_start(self, qs: int, floor: int) -> int:
        """Start at a verb just before the number, else at the noun phrase before it."""
        verbs = self.verbs.between(max(floor, qs - _VERB_WINDOW), qs)
        if verbs:
            return verbs[0][0]
        start = max(floor, qs - _NOUN_WINDOW)
        segment = self.norm[start:qs]
        cut = max(segment.rfind(c) for c in _BREAK_CHARS)
        if cut >= 0:
            start += cut + 1
        stripped = True
        while stripped and start < qs:
            stripped = False
            for filler in ZH_SPAN_FILLERS:
                after = start + len(filler)
                if not self.norm.startswith(filler, start) or after > qs:
                    continue
                # A one-character filler (对, 的) goes only right before the number:
                # elsewhere it may begin a word (对象, 有关人员).
                if len(filler) > 1 or after == qs:
                    start = after
                    stripped = True
                    break
        return start


def find_figures(doc: Doc) -> list[Figure]:
    """All figures in the Chinese paragraphs of `doc`."""
    return list(ChineseFinder(doc).find())

