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
from collections.abc import Iterator
from typing import NamedTuple

from .changes import ZH_RATE_WORDS, zh_direction
from .chinese_numbers import (
    NUMBER_RE,
    PERCENT_PREFIX,
    only_scale_chars,
    prefix_qualifier,
    read_number,
)
from .chinese_units import NOUN_WINDOW, SUFFIX_RE, UnitReader
from .metrics import choose_metric
from .model import Figure, new_figure
from .numbers import tidy
from .numerals_zh import ZH_DIGITS
from .patterns import literal_regex
from .sentence_marks import SentenceMarks
from .text import LOOK_BACK, Doc
from .vocabulary import (
    ENFORCEMENT_KINDS,
    ZH_INVOLVED_MARKERS,
    ZH_NOUNS,
    ZH_QUALIFIER_SUFFIXES,
    ZH_REJECT_COUNTERS,
    ZH_SPAN_FILLERS,
    ZH_VALUE_MARKERS,
    ZH_VERBS,
)

_NOUN_RE = literal_regex(ZH_NOUNS)
_VERB_RE = literal_regex(ZH_VERBS)
_BREAK_CHARS = "的被把将"
_CONVERSION_PREFIXES = frozenset({"约合", "折合"})
_SHARE_KINDS = frozenset({"percent", "multiple"})
# The fillers by their first character, each list in the order of ZH_SPAN_FILLERS.
_FILLERS_BY_FIRST = {
    first: [filler for filler in ZH_SPAN_FILLERS if filler[0] == first]
    for first in dict.fromkeys(filler[0] for filler in ZH_SPAN_FILLERS)
}
_VERB_WINDOW = 18  # a verb this close before the number starts the figure's text
_VERBS_TRIED = 4  # the verbs nearest a number, on each side, that may give its metric


class _Previous(NamedTuple):
    metric: str
    end: int
    sentence: int
    unit: str
    direction: str | None


_RESPECTIVE = "分别"
_RATE_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|个百分点|倍)|百分之")


class ChineseFinder(UnitReader):
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.norm = doc.norm
        # Nouns are words (no clause mark inside) and are looked for around a number
        # within its clause only: a clause is read, not the whole sentence.
        self.nouns = SentenceMarks(_NOUN_RE, doc, by_clause=True)
        self.verbs = SentenceMarks(_VERB_RE, doc)
        self.last_end = 0
        self.previous: list[_Previous] = []  # the figures of the current sentence
        self.counters: dict[int, re.Match[str] | None] = {}  # see _counter

    def find(self) -> Iterator[Figure]:
        layout = self.doc.layout
        # A number stays on its line: the Chinese paragraphs are searched one by one.
        spans = layout.spans("zh")
        for m in (m for lo, hi in spans for m in NUMBER_RE.finditer(self.norm, lo, hi)):
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
        num = m.group(1)  # "num"
        chinese_only = not num[0].isdigit()
        # Cheap rejections first: most numeral characters in Chinese text are words.
        counter = self._counter(m.end())
        word = counter.group(1) if counter is not None else None
        if word in ZH_REJECT_COUNTERS:
            return None  # 2020年, 14日, 3个月, 18岁, 十分
        at = m.start()
        pct = at >= 3 and norm.startswith(PERCENT_PREFIX, at - 3)
        share = word == "成" or word == "倍"
        if chinese_only and not (pct or share) and (counter is None or ZH_DIGITS.get(num, 2) <= 1):
            return None  # 一是, 统一, 三亚: a Chinese numeral counts only with a counter
        s = m.start() - 3 if pct else m.start()
        if doc.masked(m.start("num"), m.end("num")) or self._glued(m):
            return None
        if norm[s - 2 if s > 2 else 0 : s] in _CONVERSION_PREFIXES:
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
        suffix = SUFFIX_RE.match(norm, end)
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
        return new_figure(
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
        own = self.verbs.last(clause_start, qs, _VERBS_TRIED)
        own += self.verbs.between(end, clause_end)[:_VERBS_TRIED]
        # The verbs of earlier clauses count only when the number's own clause has none.
        carried = (
            [] if own
            else self.verbs.last(self.doc.layout.sentence(qs)[0], clause_start, _VERBS_TRIED)
        )  # fmt: skip
        if kind == "money" and any(w in self.norm[clause_start:end] for w in ZH_VALUE_MARKERS):
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
        return after.isascii() and after.isalpha() and not self._counter(end)

    # ------------------------------------------------------------------ text span

    def _span_start(self, qs: int, floor: int) -> int:
        """Start at a verb just before the number, else at the noun phrase before it."""
        verbs = self.verbs.between(max(floor, qs - _VERB_WINDOW), qs)
        if verbs:
            return verbs[0][0]
        start = max(floor, qs - NOUN_WINDOW)
        segment = self.norm[start:qs]
        cut = max(map(segment.rfind, _BREAK_CHARS))
        if cut >= 0:
            start += cut + 1
        stripped = True
        while stripped and start < qs and self.norm[start] in _FILLERS_BY_FIRST:
            stripped = False
            for filler in _FILLERS_BY_FIRST[self.norm[start]]:
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

