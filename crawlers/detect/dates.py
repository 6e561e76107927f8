"""Dates as listing items show them, normalized to ``YYYY-MM-DD``.

Full dates in any form `crawlers.dates.parse_date` knows (``2024-01-15``,
``2024/01/15``, ``2024年1月15日``, ``Sep 8, 2023`` …), a date split over two elements
(``<span>15</span><span>2024-01</span>``), and a day without its year (``01-15``),
whose year is taken from the page: the latest date its links carry (``/202609/``,
``t20260903_``), so that a page saved in September 2026 reads ``08-10`` as 2026-08-10.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from crawlers.dates import parse_date

_MONTH_DAY = re.compile(r"^[\[(（【]?\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*[\])）】]?$")
_YEAR_MONTH = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*月?(?![\d/.-])")
_DAY_ONLY = re.compile(r"^[\[(（【]?\s*(\d{1,2})\s*日?\s*[\])）】]?$")
_URL_DATES = (
    re.compile(r"(?<!\d)((?:19|20)\d{2})([01]\d)([0-3]\d)(?!\d)"),
    re.compile(r"/((?:19|20)\d{2})[/-]([01]?\d)[/-]([0-3]?\d)/"),
    re.compile(r"/((?:19|20)\d{2})([01]\d)/"),
)
_MONTH_NAMES = re.compile(
    r"(?i)jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_SIX_DIGITS = re.compile(r"\d{6}")
_BRACKETS = "[]()（）【】〔〕<>《》"


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def reference_date(urls: Iterable[str], today: date | None = None) -> date:
    """The latest date the page's links carry (not after today), else today."""
    today = today or date.today()
    best: date | None = None
    for url in urls:
        if not _SIX_DIGITS.search(url) and "/20" not in url and "/19" not in url:
            continue
        for pattern in _URL_DATES:
            for match in pattern.finditer(url):
                groups = match.groups()
                found = _valid(int(groups[0]), int(groups[1]), int(groups[2]) if len(groups) > 2
                               else 1)
                if found and found <= today + timedelta(days=1) and (best is None or found > best):
                    best = found
    return best or today


def full_date(text: str) -> date | None:
    """A date with its year anywhere in `text`."""
    found = parse_date(text)
    return found.date() if found else None


def chunk_date(chunks: list[str], reference: date) -> date | None:
    """The date shown by an item's text chunks (each the text of one element or node).

    A full date anywhere wins; then a year-month with a separate day; then a
    month-day chunk on its own, dated in the year of `reference`.
    """
    joined = " ".join(chunks)
    found = full_date(joined)
    if found:
        return found
    year_month = _YEAR_MONTH.search(joined)
    if year_month:
        for chunk in chunks:
            day = _DAY_ONLY.match(chunk.strip())
            if day:
                found = _valid(int(year_month.group(1)), int(year_month.group(2)),
                               int(day.group(1)))
                if found:
                    return found
    for chunk in chunks:
        match = _MONTH_DAY.match(chunk.strip())
        if match:
            month, day_number = int(match.group(1)), int(match.group(2))
            found = _valid(reference.year, month, day_number)
            if found and found > reference + timedelta(days=1):
                found = _valid(reference.year - 1, month, day_number)
            if found:
                return found
    return None


def is_date_text(text: str) -> bool:
    """Whether `text` is nothing but a date (a list's date cell or span)."""
    value = text.strip().strip(_BRACKETS).strip()
    if not value or len(value) > 24:
        return False
    if _MONTH_DAY.match(value) or _DAY_ONLY.match(value):
        return True
    if full_date(value) is None and not _YEAR_MONTH.search(value):
        return False
    rest = _MONTH_NAMES.sub("", re.sub(r"[\d\s:./,年月日时分秒-]", "", value))
    return not rest or rest.lower() in ("updated", "published", "updated:", "published:")
