"""Statistical figures in bulletins: the number, what it counts, what it measures.

    >>> [f.to_dict()["value"] for f in extract_figures("抓获犯罪嫌疑人18名，冻结资金350万元。")]
    [18, 3500000]

Modules: numbers (numerals -> Decimal), vocabulary (word tables), negatives (what
is never a figure), text (normal form, language, clauses), patterns (fast regexes
from word lists), chinese and english (the finders), metrics (verb x noun ->
metric), topic, model (Figure), figures (extract_figures).

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
"""

from .figures import extract_figures
from .model import Figure
from .numbers import parse_number
from .topic import detect_topic

# Bump when the rules change, so that stored documents are re-extracted.
EXTRACTOR_VERSION: int = 1

__all__ = ["EXTRACTOR_VERSION", "Figure", "detect_topic", "extract_figures", "parse_number"]
