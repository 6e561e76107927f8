"""Figures in English text: a number, the noun phrase it counts, and the governing verb.

    [verb]      [qualifier]   NUMBER [scale]  [modifiers] HEAD-NOUN
    arrested    more than     60,000                      suspects
    eliminated  more than     1,700           gambling    platforms
                about         1,190                       kilograms of drugs

The head noun decides whether the number is a figure (years, months and days make
it a duration) and its unit.  The metric comes from the nearest verb before the
number in its clause, else from a passive verb after it (26 fugitives have been
apprehended), else from the verb governing a comma list in the sentence.
Machine-translated bulletins glue numbers to words ("criminal suspects780,000");
such a number takes the noun before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from .english_around import AroundReader, Candidate, digits_value
from .english_changes import SHARE_KINDS, ChangeReader, Previous, verb_class
from .english_heads import EN_TOKEN_RE, Head, HeadReader
from .english_numbers import candidates
from .metrics import choose_metric, verb_metric
from .model import Figure, new_figure
from .negatives import in_negative_context
from .numbers import parse_number, tidy
from .numerals_en import EN_SMALL
from .patterns import trie_regex
from .sentence_marks import SentenceMarks
from .text import Doc
from .vocabulary import (
    EN_BIGRAMS,
    EN_DRUG_WORDS,
    EN_GROUP_MODIFIERS,
    EN_INVOLVED_MARKERS,
    EN_NOUNS,
    EN_VAGUE,
    EN_VERBS,
    ENFORCEMENT_KINDS,
    MASS_FACTORS,
)
from .wordscan import WordPattern

# Every verb opens with one of these words (letters only: no match starts inside one).
_VERB_FIRST_WORDS = {verb.split()[0] for verb in EN_VERBS}
_VERB = WordPattern(
    rf"(?P<w>{trie_regex(EN_VERBS)})(?![a-z])", rf"{trie_regex(_VERB_FIRST_WORDS)}(?![a-z])"
)

# A currency conversion in parentheses restates the amount before it.
_CONVERSION_RE = re.compile(
    r"(?:yuan|rmb|dollars?|euros?|\d)\s*\(\s*(?:about|around|approximately|roughly|some|or|"
    r"equivalent\s+to|approx\.)?\s*(?:us\$|hk\$|\$|€|¥|rmb|usd)?\s*$"
)
_AUXILIARIES = frozenset({"were", "was", "are", "is", "been", "being", "be"})
_AUXILIARY_RE = re.compile(r"[\s,](?:were|was|are|is|been|being|be)\b")
_PASSIVE_GAP = 30  # "have been successfully apprehended"
_MESSAGE_RE = re.compile(r"\b(?:messages?|sms|texts?|mms)\b")
_CALL_RE = re.compile(r"\bcalls?\b")
_YEAR_RE = re.compile(r"(?:19|20)\d{2}")
_VERB_GAP = 20  # a verb this close before the number starts the figure's text
_VERBS_TRIED = 4  # the verbs nearest a number, on each side, that may give its metric


class EnglishFinder(HeadReader, ChangeReader, AroundReader):
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.norm = doc.norm
        self.lower = doc.lower
        self.verbs = SentenceMarks(_VERB, doc)
        self.last_end = 0
        self.previous: list[Previous] = []  # figures of the current sentence
        self.passive_at: dict[int, bool] = {}  # _passive of the verb at a position

    def find(self) -> Iterator[Figure]:
        layout = self.doc.layout
        mixed = layout.only_language != "en"  # else every number is in an English paragraph
        for cand in candidates(self.lower, self.doc.scan):
            if cand.start < self.last_end or (mixed and layout.language_at(cand.start) != "en"):
                continue
            found = self._figure(cand)
            if found is not None:
                figure, kind = found
                self.last_end = figure.end
                sentence = layout.whole_sentence(figure.start)[0]
                if self.previous and self.previous[-1].sentence != sentence:
                    self.previous = self.previous[-1:]  # "eight of them" may look back one
                self.previous.append(Previous(
                    figure.metric, figure.unit, kind, figure.end, sentence, figure.direction
                ))
                del self.previous[:-8]
                yield figure

    # ------------------------------------------------------------------ one number

    def _figure(self, cand: Candidate) -> tuple[Figure, str] | None:
        norm, lower, doc = self.norm, self.lower, self.doc
        s, e = cand.start, cand.end
        value = self._value(cand)  # first: it drops "one", the commonest word number
        if value is None:
            return None
        if doc.masked(s, e) or in_negative_context(norm, s, e) or self._glued_code(s, e):
            return None
        before = lower[s - 30 if s > 30 else 0 : s]
        if "(" in before and _CONVERSION_RE.search(before):
            return None  # 328.8 billion yuan (about 46.3 billion U.S. dollars)
        qualifier: str | None = "vague" if cand.form == "vague" else None
        qs = s  # where the qualifier (or currency sign) starts
        found = self._qualifier(before)
        if found and qualifier is None:
            qualifier, qs = found[0], s - len(before) + found[1]
        unit: str | None = None
        kind = ""
        if cand.form == "digits":
            currency = self._currency_before(before)
            if currency:
                unit, kind = currency[0], "money"
                qs = min(qs, s - len(before) + currency[1])
        if cand.form != "vague":
            value, more, e = self._plus_or_range(cand, value, before, e)
            qualifier = qualifier or more
        if unit is None:
            unit, e = self._unit_word(e)
            kind = "percent" if unit in ("percent", "percentage_point") else "money" if unit else ""
            if unit == "multiple":
                kind = "multiple"

        clause_start = doc.layout.clause(s)[0]
        sentence_start, sentence_end = doc.layout.sentence(s)
        inherited: Previous | None = None
        head = None
        if unit is None:
            antecedent = self._antecedent(s, e)
            of_the = None if antecedent else self._of_the(e)
            if antecedent:
                inherited, e = antecedent  # "eight of them"
                unit, kind = inherited.unit, inherited.kind
            else:
                head = self._head(of_the or e, sentence_end, single=value == 1)
                if head is None and cand.form == "digits":
                    inherited = self._level_after_change(s)  # "rose by 1,930 cases to 19,850"
                    if inherited:
                        unit, kind = inherited.unit, inherited.kind
        if unit is None:
            if head is None:
                head = self._glued_noun(s, clause_start)
                if head is None:
                    return None
            elif cand.form == "word" and (not head.known or head.kind not in ENFORCEMENT_KINDS):
                return None  # "two departments": word numbers count only enforcement nouns
            if cand.form == "digits" and not cand.scale and _YEAR_RE.fullmatch(cand.text) and (
                not head.known
            ):
                return None  # a year: "2023 saw ..."
            unit, kind, e = head.unit, head.kind, max(e, head.end)
            if unit in MASS_FACTORS:
                value, unit = value * MASS_FACTORS[unit], "kg"
        elif head is not None and kind == "money":
            e = max(e, head.end)  # "yuan of funds involved"
        unit, kind = self._refine(unit, kind, head, clause_start, s)
        found_direction = self._direction(qs, clause_start, kind in SHARE_KINDS)
        direction = found_direction[0] if found_direction else None

        floor = clause_start if clause_start > self.last_end else self.last_end
        # A passive verb before the number closes the previous phrase: "4,000 people
        # were rescued and 5,000 victims received help".
        left = [v for v in self.verbs.last(floor, qs, _VERBS_TRIED) if not self._passive(v[0])]
        start = qs
        if left and qs - left[0][1] <= _VERB_GAP and not any(
            c.isdigit() for c in norm[left[0][1] : qs]
        ):
            start = left[0][0]  # "arrested more than 60,000 suspects"
        if found_direction:
            start = min(start, found_direction[1])  # "fell 21.7 percent"
        if kind in SHARE_KINDS or direction:
            metric = self._change_metric(kind, qs, clause_start, direction)
        else:
            sentence = (sentence_start, sentence_end)
            metric = self._verb_metric(kind, left, e, clause_start, floor, sentence, inherited)
        figure = new_figure(
            text=doc.text[start:e],
            start=start,
            end=e,
            value=tidy(value),
            unit=unit,
            qualifier=qualifier or "exact",
            metric=metric,
            topic=doc.topic,
            direction=direction,
        )
        return figure, kind

    def _verb_metric(
        self,
        kind: str,
        left: list[tuple[int, int, str]],
        e: int,
        clause_start: int,
        floor: int,
        sentence: tuple[int, int],
        inherited: Previous | None,
    ) -> str:
        """The metric from the verbs before the number (`left`, nearest first), else
        from a passive after it, else the metric of the figure it refers to, else from
        the verbs of the earlier clauses of `sentence`."""
        own = [verb_class(v[2]) for v in left]
        metric = verb_metric(kind, own)  # what choose_metric takes first: no passive needed
        if metric is not None:
            return metric
        own += [verb_class(v[2]) for v in self._passive_after(e, sentence[1])]
        if inherited is not None and not own:
            return inherited.metric
        involved = kind == "money" and any(
            w in self.lower[clause_start : min(sentence[1], e + 40)] for w in EN_INVOLVED_MARKERS
        )
        # The verbs of earlier clauses count only when the number's own clause has none.
        carried = [] if own else [
            verb_class(v[2]) for v in self.verbs.last(sentence[0], floor, _VERBS_TRIED)
        ]
        return choose_metric(kind, own, carried, involved)

    @staticmethod
    def _value(cand: Candidate) -> Decimal | None:
        if cand.form == "vague":
            return Decimal(EN_VAGUE[cand.text])
        value: Decimal | None
        if cand.form == "digits":
            value = digits_value(cand.text, cand.scale)
        else:
            small = EN_SMALL.get(cand.text)  # the common case: one word, "six"
            value = Decimal(small) if small is not None else parse_number(cand.text)
            if value is not None and value < 2:
                return None  # "one" is an article more often than a count
        return None if value is None or value == 0 else value

    def _glued_code(self, s: int, e: int) -> bool:
        """Digits fused to a capital or a hyphenated word are codes: G20, COVID-19, 5G."""
        norm = self.norm
        if not norm[s].isdigit():
            return False
        before = norm[s - 1] if s else ""
        if before.isupper() and before.isascii():
            return True
        if before == "-" and s >= 2 and norm[s - 2].isalpha():
            return True
        after = norm[e] if e < len(norm) else ""
        if after.isascii() and after.isalpha():
            token = EN_TOKEN_RE.match(self.lower, e)
            word = token.group() if token else ""
            return word not in EN_NOUNS and word not in ("percent", "bn", "mn")
        return False

    def _glued_noun(self, s: int, clause_start: int) -> Head | None:
        """For "criminal suspects780,000" or "the domain name ...**60360,000": the first
        noun after the clause's verb, when the number is fused to the text before it."""
        if s == 0 or not (self.norm[s - 1].isalpha() or self.norm[s - 1] == "*"):
            return None
        verbs = self.verbs.between(clause_start, s)
        lo = verbs[-1][1] if verbs else clause_start
        # Each word is tried as it comes (with the word after it, as a bigram): the
        # rest of the clause need not be read once the noun is found.
        words: list[str] = []
        for t in EN_TOKEN_RE.finditer(self.lower, lo, s):
            word = t.group()
            if word[0].isalpha():
                words.append(word)
                if len(words) >= 2:
                    i = len(words) - 2
                    found = EN_BIGRAMS.get(f"{words[i]} {word}") or EN_NOUNS.get(words[i])
                    if found:
                        return Head(found[0], found[1], s, words[:i], True)
        if words:  # the last word, alone
            found = EN_BIGRAMS.get(words[-1]) or EN_NOUNS.get(words[-1])
            if found:
                return Head(found[0], found[1], s, words[:-1], True)
        return None

    def _refine(
        self, unit: str, kind: str, head: Head | None, clause_start: int, s: int
    ) -> tuple[str, str]:
        """Sharpen the kind with the head's modifiers: gambling participants, underworld
        organizations, kilograms of drugs, blocking messages ... N times."""
        modifiers = head.modifiers if head else []
        if kind == "person" and any(w.startswith("gambl") for w in modifiers):
            return unit, "gambler"
        if kind == "person" and any(w.startswith("fugitive") for w in modifiers):
            return unit, "fugitive"
        if kind == "organization" and any(w in EN_GROUP_MODIFIERS for w in modifiers):
            return "group", "group"
        if kind == "mass" and any(w in EN_DRUG_WORDS for w in modifiers):
            return unit, "drug"
        if kind == "time":
            left = self.lower[clause_start:s]
            if _MESSAGE_RE.search(left):
                return unit, "message"
            if _CALL_RE.search(left):
                return unit, "call"
        return unit, kind

    def _passive_after(self, e: int, limit: int) -> list[tuple[int, int, str]]:
        """The verb of the first passive after the number: "392 firearms, ... and 50 tons
        of materials were seized"; "suspects are still being sought" has none we know."""
        aux = _AUXILIARY_RE.search(self.lower, e, limit)
        if aux is None:
            return []
        verbs = self.verbs.between(aux.start(), min(limit, aux.end() + _PASSIVE_GAP))
        return [v for v in verbs[:1] if self._passive(v[0])]

    def _passive(self, pos: int) -> bool:
        """Whether the verb at `pos` is passive: "were seized", "have been urgently frozen"."""
        passive = self.passive_at.get(pos)  # the verbs of a sentence serve all its numbers
        if passive is None:
            words = self.lower[max(0, pos - 30) : pos].split()
            if words and words[-1].endswith("ly"):
                words.pop()
            passive = self.passive_at[pos] = bool(words) and words[-1] in _AUXILIARIES
        return passive


def find_figures(doc: Doc) -> list[Figure]:
    """All figures in the English paragraphs of `doc`."""
    return list(EnglishFinder(doc).find())
