"""Publication dates in the forms Chinese and English bulletin sites print them.

Naive times are taken in the site's time zone (Asia/Shanghai by default) and
returned as aware datetimes; a date without a time is midnight there.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month_name>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = r"(?:[ T日]*(?P<hour>\d{1,2})[:：时](?P<minute>\d{2})(?:[:：分](?P<second>\d{2}))?)?"
_ZONE = r"(?P<zone>Z|[+-]\d{2}:?\d{2})?"

PATTERNS = [
    # 2023-11-20, 2023/11/20 10:32, 2023.11.20, 2026-09-28-21:50:00, ISO 8601 with zone
    re.compile(
        r"(?<!\d)(?P<year>(?:19|20)\d{2})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)"
        r"(?:-?" + _TIME.removeprefix("(?:") + _ZONE
    ),
    # 2023年11月20日 10:32
    re.compile(
        r"(?P<year>(?:19|20)\d{2})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日" + _TIME
    ),
    # Sep 8, 2023 / September 8 2023 10:32
    re.compile(
        r"(?i)\b"
        + _MONTH
        + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})"
        + r"(?:,?\s+"
        + _TIME.removeprefix("(?:").removeprefix("[ T日]*")
    ),
    # 8 September 2023
    re.compile(r"(?i)\b(?P<day>\d{1,2})\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d{2})\b"),
]

URL_PATTERNS = [
    re.compile(r"/t(?P<year>20\d{2})(?P<month>\d{2})(?P<day>\d{2})_"),
    re.compile(r"/(?P<year>20\d{2})/(?P<month>\d{1,2})[/-](?P<day>\d{1,2})/"),
    re.compile(r"/(?P<year>20\d{2})(?P<month>\d{2})(?P<day>\d{2})/"),
]


def _zone(text: str | None, default: ZoneInfo) -> timezone | ZoneInfo:
    if not text:
        return default
    if text == "Z":
        return UTC
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _build(match: re.Match[str], tz: ZoneInfo) -> datetime | None:
    groups = match.groupdict()
    month = (
        MONTHS[groups["month_name"].lower()] if groups.get("month_name") else int(groups["month"])
    )
    try:
        return datetime(
            int(groups["year"]),
            month,
            int(groups["day"]),
            int(groups.get("hour") or 0),
            int(groups.get("minute") or 0),
            int(groups.get("second") or 0),
            tzinfo=_zone(groups.get("zone"), tz),
        )
    except ValueError:
        return None


def parse_date(text: str | None, tz: str | ZoneInfo = "Asia/Shanghai") -> datetime | None:
    """The first date (with its time, if given) found in `text`, or None."""
    if not text:
        return None
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    found: list[tuple[int, datetime]] = []
    for pattern in PATTERNS:
        match = pattern.search(text)
        if match:
            value = _build(match, zone)
            if value is not None:
                found.append((match.start(), value))
    if not found:
        return None
    return min(found, key=lambda pair: pair[0])[1]


def date_from_url(url: str, tz: str | ZoneInfo = "Asia/Shanghai") -> datetime | None:
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    for pattern in URL_PATTERNS:
        match = pattern.search(url)
        if match:
            value = _build(match, zone)
            if value is not None:
                return value
    return None
