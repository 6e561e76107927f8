"""Changes, shares and multiples: what is a figure of its own and how it is expressed.

- A share or rate (六成多, 百分之九十, 占比17%, "49.6 percent of") is a figure with unit
  `percent`, value in percent (六成 -> 60), metric `other`.
- A change against an earlier period (同比下降12.5%, 减少15宗, "up 35%", "rose by 1,930
  cases") is a figure with `direction` up or down and its value the size of the change,
  in percent for a rate of change, else in the figure's own unit.  Its metric is that
  of the quantity that changed: the noun and verb of its clause (发案数同比下降 ->
  cases_reported), else the figure just before it in the sentence (立案8.6万起，同比
  下降12.5% -> cases_filed), else `other`.
- A multiple (增长2倍, 近3倍, "nearly three times") has unit `multiple` and the factor as
  its value, with a direction when a change word stands before it; its metric is found
  as for a change.
- A change in percentage points has unit `percentage_point`.
"""

from __future__ import annotations

import re

UP = "up"
DOWN = "down"

_ZH_WORDS: dict[str, str] = {
    **dict.fromkeys(("上升", "增长", "增加", "提高", "提升", "上涨", "攀升", "增多", "回升",
                     "增幅", "升幅", "涨幅", "多出", "高出", "反弹", "递增", "猛增", "激增"), UP),
    **dict.fromkeys(("下降", "减少", "降低", "下跌", "回落", "下滑", "降幅", "跌幅", "减幅",
                     "缩减", "下调", "递减", "锐减", "骤降", "少了"), DOWN),
}  # fmt: skip
# Between the word and the number: 下降了12%, 增幅为8%, 降幅达30%.  Not 至 or 到:
# 下降至3.2万起 gives the new level, not the change.
_ZH_FILLERS = ("达到", "了", "为", "达", "")
assert all(len(w) == 2 for w in _ZH_WORDS)  # read by their last two characters
_ZH_LAST_CHARS = frozenset(w[-1] for w in (*_ZH_WORDS, *_ZH_FILLERS) if w)

_EN_WORDS: dict[str, str] = {
    **dict.fromkeys(("up", "rose", "rise", "rises", "rising", "risen", "increased", "increase",
                     "increases", "increasing", "grew", "grow", "grows", "growing", "grown",
                     "climbed", "climbing", "jumped", "jumping", "surged", "surging", "soared",
                     "gained", "improved", "higher", "growth", "jump", "surge"), UP),
    **dict.fromkeys(("down", "fell", "fall", "falls", "falling", "fallen", "dropped", "drop",
                     "drops", "dropping", "declined", "decline", "declines", "declining",
                     "decreased", "decrease", "decreases", "decreasing", "reduced",
                     "reduction", "slid", "slipped", "plunged", "plummeted", "lower", "shrank",
                     "dipped", "dip", "cut"), DOWN),
}  # fmt: skip
# "rose by", "a rise of", "an increase of", "down by"; "year on year" may stand between.
_WORD_RE = re.compile(r"[a-z]+(?:-[a-z]+)*")
_EN_AFTER_WORDS = frozenset({"by", "of", "year", "annually", "year-on-year"})
# Words that make the percentage before them a rate, not a change of a count.
ZH_RATE_WORDS = ("率", "占比", "比例", "比重", "占")
EN_RATE_WORDS = ("rate", "ratio", "share", "proportion")


def zh_direction(before: str) -> tuple[str, int] | None:
    """The direction of a change word ending `before` (the text up to the number or
    its qualifier), and where the word starts in `before`."""
    text = before.rstrip()
    if text[-1:] not in _ZH_LAST_CHARS:
        return None  # the common case, settled without a loop
    for filler in _ZH_FILLERS:
        if text.endswith(filler):
            end = len(text) - len(filler)
            word = text[end - 2 : end]
            if word in _ZH_WORDS:
                return _ZH_WORDS[word], end - 2
    return None


def en_direction(before: str) -> tuple[str, int] | None:
    """The same for lowercased English: "fell", "rose by", "an increase of", "up"."""
    text = before.rstrip()
    last = text[text.rfind(" ") + 1 :]
    if last not in _EN_WORDS and last not in _EN_AFTER_WORDS:
        return None
    offset = max(0, len(before) - 48)
    words = list(_WORD_RE.finditer(before, offset))
    texts = [w.group() for w in words]
    i = len(words) - 1
    while i >= 0 and texts[i] in ("by", "of"):
        i -= 1
    if i >= 2 and texts[i - 2 : i + 1] in (["year", "on", "year"], ["on", "the", "year"]):
        i -= 3
    elif i >= 0 and texts[i] in ("annually", "year-on-year"):
        i -= 1
    if i < 0 or texts[i] not in _EN_WORDS or before[words[-1].end() :].strip():
        return None
    return _EN_WORDS[texts[i]], words[i].start()
