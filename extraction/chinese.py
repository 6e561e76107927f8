"""Figures in Chinese text: a numeral, its counter word, and the noun and verb around it.

    [verb] [noun] [qualifier] NUMBER [余/多] [scale] COUNTER [左右] [noun]
    侦办    跨境赌博案件          336               起
    冻结    涉案资金      约     27          亿     元
                                 158.3       万     户          存量单位银行账户

The counter decides whether the number is a figure at all (年, 月, 岁 make it a
date or an age) and, with the nearest noun, the unit.  The metric comes from the
nearest verb of the clause, else from the verb that governs an enumeration of
earlier clauses in the sentence (打掉团伙261个，采取刑事强制措施1578人).  Shares (六成,
百分之九十), changes (同比下降12.5%) and multiples (近3倍) follow extraction/changes.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import NamedTuple

from .changes import ZH_RATE_WORDS, zh_direction
from .chinese_numbers import (
    NUMBER_RE,
    PERCENT_PREFIX,
    only_scale_chars,
    prefix_qualifier,
    read_number,
)
from .metrics import choose_metric
from .model import Figure
from .numbers import tidy
from .numerals_zh import ZH_DIGITS
from .patterns import literal_regex
from .text import LOOK_BACK, Doc, SentenceMarks
from .vocabulary import (
    ENFORCEMENT_KINDS,
    MASS_FACTORS,
    ZH_COUNTERLESS_KINDS,
    ZH_COUNTERLESS_NOUNS,
    ZH_COUNTERS,
    ZH_CURRENCY_PREFIXES,
    ZH_GENERIC_DEFAULT,
    ZH_INVOLVED_MARKERS,
    ZH_NOUNS,
    ZH_QUALIFIER_SUFFIXES,
    ZH_REJECT_COUNTERS,
    ZH_SPAN_FILLERS,
    ZH_VALUE_MARKERS,
    ZH_VERBS,
    ZH_WORD_AFTER_CHENG,
)


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
_UNIT_KINDS: dict[str, str] = {
    **dict.fromkeys(("CNY", "USD", "HKD", "EUR", "TWD", "MOP", "JPY", "GBP", "AUD"), "money"),
    "percent": "percent", "percentage_point": "percent", "multiple": "multiple",
    "kg": "mass", "g": "mass", "t": "mass", "time": "time",
    "case": "case", "person": "person", "person_time": "person", "organization": "organization",
    "account": "account", "card": "card", "phone": "item", "device": "item", "vehicle": "item",
    "vessel": "item", "firearm": "item", "round": "item", "piece": "item", "head": "item",
    "box": "item", "set": "item", "item": "item", "copy": "item",
}  # fmt: skip
_SHARE_KINDS = frozenset({"percent", "multiple"})
_VERB_WINDOW = 18  # a verb this close before the number starts the figure's text
_NOUN_WINDOW = 12
_VERBS_TRIED = 4  # the verbs nearest a number, on each side, that may give its metric


class _Previous(NamedTuple):
    metric: str
    end: int
    sentence: int
    unit: str
    direction: str | None


_RESPECTIVE = "分别"
_RATE_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|个百分点|倍)|百分之")


class ChineseFinder:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.norm = doc.norm
        self.nouns = SentenceMarks(_NOUN_RE, doc)
        self.verbs = SentenceMarks(_VERB_RE, doc)
        self.last_end = 0
        self.previous: list[_Previous] = []  # the figures of the current sentence

    def find(self) -> Iterator[Figure]:
        layout = self.doc.layout
        for m in NUMBER_RE.finditer(self.norm):
            if layout.language_at(m.start()) != "zh":
                continue
            figure = self._figure(m)
            if figure is not None:
                self.last_end = figure.end
                sentence = layout.whole_sentence(figure.start)[0]
                if self.previous and self.previous[-1].sentence != sentence:
                    self.previous = []
                self.previous.append(
                    _Previous(figure.metric, figure.end, sentence, figure.unit, figure.direction)
                )
                del self.previous[:-8]
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
        pct = m.start() >= 3 and norm.startswith(PERCENT_PREFIX, m.start() - 3)
        share = counter is not None and counter.group("c") in ("成", "倍")
        if chinese_only and not (pct or share) and (counter is None or ZH_DIGITS.get(num, 2) <= 1):
            return None  # 一是, 统一, 三亚: a Chinese numeral counts only with a counter
        s = m.start() - 3 if pct else m.start()
        if doc.masked(m.start("num"), m.end("num")) or self._glued(m):
            return None
        if norm[max(0, s - 2) : s] in _CONVERSION_PREFIXES:
            return None  # （约合3800万美元） restates the amount before it
        number = read_number(m)
        if number is None or number.value == 0:
            return None
        # 数百, 几十, 上千万: vague and scale prefixes go with bare scale words only.
        # A qualifier may stand before a currency or 占: 约澳门币130万元, 约占六成.
        gap = len(self._currency_word_before(s))
        gap += 1 if norm[s - gap - 1 : s - gap] == "占" else 0
        qualifier, qs = prefix_qualifier(norm, s - gap, only_scale_chars(num))
        if qualifier is None:
            qs = s
        if qualifier == "exact":
            qualifier = None  # 达, 共计: keep their place in the text, let 余 still count
        elif qualifier is None and number.bare:
            return None  # 百万警, 千万家, 万凯: a scale word alone is not a number
        qualifier = qualifier or number.qualifier

        clause_start, clause_end = doc.layout.clause(s)
        floor = max(doc.layout.item(s)[0], self.last_end if self.last_end > clause_start else 0)
        unit_info = self._unit(number.end, s, qs, floor, clause_end, pct)
        if unit_info is None:
            return None
        unit, kind, end, factor, trail_end = unit_info
        if chinese_only and kind not in ENFORCEMENT_KINDS and kind not in _SHARE_KINDS:
            return None  # 两个部门, 三家媒体: rhetoric more often than statistics
        if factor == 10 and number.value > 10:
            return None  # 十成 is all; 20成 is no share
        suffix = _SUFFIX_RE.match(norm, end)
        if suffix:
            qualifier = qualifier or ZH_QUALIFIER_SUFFIXES[suffix.group()]
            end = suffix.end()
        elif kind in _SHARE_KINDS and norm[end : end + 1] in ("多", "余"):
            qualifier, end = qualifier or "more_than", end + 1  # 一成多, 三倍多
        else:
            end = trail_end
        found = zh_direction(norm[max(clause_start, qs - 8) : qs])
        direction = found[0] if found else self._listed_direction(qs, unit)
        start = self._span_start(qs, floor)
        if found and kind in ("percent", "multiple"):
            start = min(start, max(clause_start, qs - 8) + found[1])
        metric = self._metric(kind, qs, end, clause_start, clause_end, direction)
        return Figure(
            text=doc.text[start:end],
            start=start,
            end=end,
            value=tidy(number.value * factor),
            unit=unit,
            qualifier=qualifier or "exact",
            metric=metric,
            topic=doc.topic,
            direction=direction,
        )

    def _metric(
        self,
        kind: str,
        qs: int,
        end: int,
        clause_start: int,
        clause_end: int,
        direction: str | None,
    ) -> str:
        """Verbs of the clause (nearest before the number first, then after it: 对…进行
        排查), else the verbs of earlier clauses of the sentence; for shares, changes and
        multiples, see extraction/changes.py."""
        if kind in _SHARE_KINDS or direction:
            return self._change_metric(kind, qs, end, clause_start, direction)
        sentence_start = self.doc.layout.sentence(qs)[0]
        own = self.verbs.last(clause_start, qs, _VERBS_TRIED)
        own += self.verbs.between(end, clause_end)[:_VERBS_TRIED]
        carried = self.verbs.last(sentence_start, clause_start, _VERBS_TRIED)
        if kind == "money" and any(w in self.norm[clause_start:qs] for w in ZH_VALUE_MARKERS):
            return "other"  # 市值约130万元: what seized goods are worth
        involved = kind == "money" and any(
            w in self.norm[clause_start:end] for w in ZH_INVOLVED_MARKERS
        )
        return choose_metric(
            kind, [ZH_VERBS[v[2]] for v in own], [ZH_VERBS[v[2]] for v in carried], involved
        )

    def _change_metric(
        self, kind: str, qs: int, end: int, clause_start: int, direction: str | None
    ) -> str:
        before = self.norm[clause_start:qs]
        if kind == "percent" and not direction:
            return "other"  # a share or a rate: 六成多, 占比17%
        if any(w in before for w in ZH_RATE_WORDS):
            return "other"  # 破案率提高3.1个百分点
        nouns = self.nouns.last(clause_start, qs, 1)
        verbs = self.verbs.last(clause_start, qs, _VERBS_TRIED)
        if not nouns and not verbs:
            inherited = self._inherited_metric(qs, clause_start)
            if inherited:
                return inherited  # 立刑事案件8.6万起，同比下降12.5%
        subject = ZH_NOUNS[nouns[0][2]][1] if nouns else None
        if kind in _SHARE_KINDS:
            if subject is None:
                return "other"
            kind = subject
        involved = kind == "money" and any(w in before for w in ZH_INVOLVED_MARKERS)
        return choose_metric(kind, [ZH_VERBS[v[2]] for v in verbs], [], involved)

    def _listed_direction(self, qs: int, unit: str) -> str | None:
        """同比分别上升52.3%、64.4%: the second of a list takes the first's direction."""
        if not self.previous or self.norm[qs - 1 : qs] != "、":
            return None
        last = self.previous[-1]
        return last.direction if last.end == qs - 1 and last.unit == unit else None

    def _inherited_metric(self, qs: int, clause_start: int) -> str | None:
        """The metric of the figure a change refers to: the one just before it in the
        sentence, or with 分别 (respectively) the k-th of the figures listed before."""
        sentence = self.doc.layout.whole_sentence(qs)[0]
        previous = [p for p in self.previous if p.sentence == sentence and qs - p.end < LOOK_BACK]
        if not previous:
            return None
        respective = self.norm.find(_RESPECTIVE, clause_start, qs)
        if respective >= 0:
            clause_end = self.doc.layout.clause(qs)[1]
            listed = _RATE_NUMBER_RE.findall(self.norm, respective, clause_end)
            before = _RATE_NUMBER_RE.findall(self.norm, respective, qs)
            referred = [p for p in previous if p.end <= respective]
            if 1 < len(listed) <= len(referred):
                return referred[len(referred) - len(listed) + len(before)].metric
        return previous[-1].metric

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
        end = m.end("num")
        after = norm[end] if end < len(norm) else ""
        return after.isascii() and after.isalpha() and not _COUNTER_RE.match(norm, end)

    # ------------------------------------------------------------------ unit

    def _unit(
        self, end: int, s: int, qs: int, floor: int, clause_end: int, pct: bool
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
        if counter == "成":
            if norm[end : end + 1] in ZH_WORD_AFTER_CHENG:
                return None  # 3成员, 五成熟: 成 begins a word
            return "percent", "percent", end, Decimal(10), end  # 六成 is 60 percent
        if counter == "倍":
            return "multiple", "multiple", end, Decimal(1), end
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
        if unit == "CNY":  # 新臺幣38億元, 澳门币130万元, 新臺幣逾4億元
            word = self._currency_word_before(s) or self._currency_word_before(qs)
            unit = ZH_CURRENCY_PREFIXES.get(word, unit)
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

    def _currency_word_before(self, pos: int) -> str:
        before = self.norm[max(0, pos - 4) : pos]
        for word in ZH_CURRENCY_PREFIXES:
            if before.endswith(word):
                return word
        return ""

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

