"""Run statuses, error codes and the verdict of a finished run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from sqlalchemy.exc import IntegrityError

from crawlers.challenges import ChallengeBlocked
from crawlers.charset import Damage, Undecodable
from crawlers.failures import callback_code
from crawlers.netguard import RequestRefused
from crawlers.robots import RobotsDisallowed
from storage.runs import CrawlResult, verdict
from storage.status import ErrorCode, RunStatus, classify, http_code, page_error


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (ModuleNotFoundError("No module named 'lxml.html.clean'"), "dependency_missing"),
        (ImportError("cannot import name 'x'"), "dependency_missing"),
        (HttpError(Response("http://127.0.0.1/x", status=404), "Ignoring"), "http_404"),
        (HttpError(Response("http://127.0.0.1/x", status=503), "Ignoring"), "http_503"),
        (DownloadTimeoutError("took longer than 3 seconds"), "timeout"),
        (TimeoutError(), "timeout"),
        (DownloadConnectionRefusedError("refused"), "connection_error"),
        (CannotResolveHostError("no such host"), "connection_error"),
        (ConnectionResetError(), "connection_error"),
        (DownloadCancelledError("larger than download max size"), "too_large"),
        (ChallengeBlocked("the site answered with a challenge"), "challenge"),
        (RequestRefused("blocked_scheme", "file:///x", "not http(s)"), "blocked_scheme"),
        (
            RequestRefused("blocked_private_address", "http://10.0.0.1/", "private"),
            "blocked_private_address",
        ),
        (Undecodable("utf-8", Damage(9, 10), []), "undecodable"),
        (RobotsDisallowed("http://127.0.0.1/private/1.html"), "robots_disallowed"),
        (IgnoreRequest("max redirections reached"), "error"),
        (IntegrityError("INSERT", {}, Exception("FOREIGN KEY")), "store_error"),
        (ValueError("odd"), "error"),
    ],
)
def test_classify(exc: BaseException, code: str) -> None:
    assert classify(exc) == code


def test_an_unknown_exception_while_reading_a_page_is_a_parse_error() -> None:
    assert callback_code(ValueError("odd")) == ErrorCode.PARSE_ERROR
    assert callback_code(ImportError("x")) == ErrorCode.DEPENDENCY_MISSING


def test_http_code() -> None:
    assert http_code(404) == "http_404"
    assert RunStatus.KILLED.failed and not RunStatus.PARTIAL.failed


def article(code: str, message: str = "m") -> dict[str, str]:
    return page_error("http://127.0.0.1/a", code, message, "article")


def test_verdict() -> None:
    assert verdict(CrawlResult(listing_ok=1, stored=3)) == (RunStatus.OK, None)
    missing = [article("dependency_missing", "No module named 'lxml.html.clean'")] * 2
    assert verdict(CrawlResult(errors=missing, listing_ok=1, stored=0)) == (
        RunStatus.FAILED,
        "every article failed: dependency_missing ×2 (No module named 'lxml.html.clean')",
    )
    some = [article("http_404", "HTTP 404"), article("timeout")]
    status, reason = verdict(CrawlResult(errors=some, listing_ok=1, stored=5))
    assert status == RunStatus.PARTIAL
    assert reason == "2 page(s) failed: http_404 (HTTP 404), timeout"
    listing = [page_error("http://127.0.0.1/", "challenge", "a challenge", "listing")]
    status, reason = verdict(CrawlResult(errors=listing))
    assert status == RunStatus.FAILED and reason == (
        "no listing page could be read: challenge at http://127.0.0.1/ (a challenge)"
    )
    assert verdict(CrawlResult(listing_ok=1, stopped="time limit"))[0] == RunStatus.FAILED


def test_the_readme_explains_every_code() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    head = "| code | what it means | what to do |"
    rows = readme[readme.index(head) :].split("\n\n", 1)[0].splitlines()[2:]
    explained: dict[str, list[str]] = {}
    for row in rows:
        named, meaning, fix = (cell.strip() for cell in row.strip("|").split(" | "))
        assert meaning and fix, row
        for code in re.findall(r"`([a-z0-9_]+)`", named):
            explained[code] = [meaning, fix]
    assert set(ErrorCode) <= set(explained), sorted(set(ErrorCode) - set(explained))
    assert set(explained) - set(ErrorCode) == {"http_404", "http_503"}
