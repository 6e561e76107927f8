from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crawlers.dates import date_from_url, parse_date

CST = timezone(timedelta(hours=8))

CASES = [
    ("2023-11-20", datetime(2023, 11, 20, tzinfo=CST)),
    ("2023年11月20日", datetime(2023, 11, 20, tzinfo=CST)),
    ("2023/11/20 10:32", datetime(2023, 11, 20, 10, 32, tzinfo=CST)),
    ("发布时间：2023-11-20 09:30:00", datetime(2023, 11, 20, 9, 30, tzinfo=CST)),
    ("来源：公安部  发布时间:2025-05-18 10:19", datetime(2025, 5, 18, 10, 19, tzinfo=CST)),
    ("Updated: Sep 8, 2023 By YANG ZEKUN", datetime(2023, 9, 8, tzinfo=CST)),
    ("September 8 2023", datetime(2023, 9, 8, tzinfo=CST)),
    ("8 September 2023", datetime(2023, 9, 8, tzinfo=CST)),
    ("2023-09-08T10:00:00+08:00", datetime(2023, 9, 8, 10, tzinfo=CST)),
    ("2023-09-08T02:00:00Z", datetime(2023, 9, 8, 10, tzinfo=CST)),
    ("2026-09-28-21:50:00", datetime(2026, 9, 28, 21, 50, tzinfo=CST)),
    ("(2019-01-02)", datetime(2019, 1, 2, tzinfo=CST)),
    ("[2019-01-02]", datetime(2019, 1, 2, tzinfo=CST)),
    ("2019年01月02日 10时30分", datetime(2019, 1, 2, 10, 30, tzinfo=CST)),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_dates_in_the_forms_sites_print_them(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "no date here", "第2023号", "13.6万", "2023-13-45"])
def test_what_is_not_a_date(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://gat.shaanxi.gov.cn/sy/dtyw/202601/t20260115_3605253.html", (2026, 1, 15)),
        ("https://gat.sc.gov.cn/scgat/c103388/2024/9/14/abcdef.shtml", (2024, 9, 14)),
        ("https://gaj.sh.gov.cn/shga/20250301/abc.html", (2025, 3, 1)),
        ("https://www.mps.gov.cn/n2254314/n2254409/c6263180/content.html", None),
    ],
)
def test_dates_taken_from_urls(url: str, expected: tuple[int, int, int] | None) -> None:
    found = date_from_url(url)
    assert (found.year, found.month, found.day) == expected if found else expected is None


def test_naive_times_are_in_the_site_time_zone() -> None:
    value = parse_date("2023-11-20 08:00", "UTC")
    assert value is not None and value.utcoffset() == timedelta(0)
