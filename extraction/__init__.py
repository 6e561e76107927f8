"""Statistical figures in bulletins: the number, what it counts, what it measures.

    >>> [f.to_dict()["value"] for f in extract_figures("抓获犯罪嫌疑人18名，冻结资金350万元。")]
    [18, 3500000]

Modules: numbers, numerals_zh, numerals_en (numerals -> Decimal), charmap and
traditional (one-to-one normal form), vocabulary (word tables), negatives (what is
never a figure), text (layout, clauses, bounded windows), sentence_marks (vocabulary
matches sentence by sentence), patterns (fast regexes
from word lists), chinese, chinese_numbers, chinese_units, english, english_around,
english_heads (the finders),
changes and english_changes (shares, changes, multiples), metrics (verb x noun ->
metric; the vocabulary of docs/metrics.md), topic, model (Figure), figures
(extract_figures).

Conventions where bulletins are ambiguous:

- A range (10至20人, 10-20 suspects, between 10 and 20) is its lower bound with
  qualifier at_least; the text spans the whole range.
- Dates, clock times, durations and ages (年/月/日/岁, years, months, 25-year-old)
  are never figures, ranges included (判处有期徒刑3至5年).
- 上千万, 上百万, 过万 are more_than the scale word; 数百, 几十, "thousands of",
  "trillions of" are vague with the magnitude as value (数百 -> 100).
  以上 is more_than; 以下, 以内, 不到, "less than" are up_to.
- A lone 一 or "one" is not counted (it is nearly always an article or a word),
  and a number written in Chinese characters or English words counts only an
  enforcement noun (三名嫌疑人, five suspects; not 两个部门, two departments).
- A currency conversion in parentheses (约合5300万美元, about 46.3 billion U.S.
  dollars) restates the figure before it and is dropped.
- A statement repeated in the same release (a title restating the lead) gives one
  figure per occurrence, each with its own span.
- Money is in its currency's unit (CNY for 元, 万元 and 亿元 normalized to yuan),
  mass in kg (吨, tons x 1000), percentages in percent and percentage points apart.
- Shares (六成 -> 60 percent), changes (同比下降12.5%: 12.5 percent, direction down)
  and multiples (近3倍: 3, unit multiple) are figures; see docs/metrics.md.
- Traditional characters are read like Simplified ones (萬 億 餘 個), through a
  one-to-one character map, so spans point at the original text.
"""

from .figures import MAX_TEXT_CHARS, extract_figures
from .metrics import METRIC_NAMES
from .model import Figure
from .numbers import Numeral, parse_number, parse_numeral
from .topic import detect_topic

# Bump when the rules change, so that stored documents are re-extracted.
# 2: Traditional characters, shares, changes (direction), multiples, numerals in words,
#    the documented metric vocabulary, parse_number right or silent.
EXTRACTOR_VERSION: int = 2

__all__ = [
    "EXTRACTOR_VERSION", "MAX_TEXT_CHARS", "METRIC_NAMES", "Figure", "Numeral", "detect_topic",
    "extract_figures", "parse_number", "parse_numeral",
]  # fmt: skip
