"""The words a crawl run is recorded in: its status, and a stable code per failure.

A run's errors and a source's failed pages carry an `ErrorCode`; the health
watch, `sources check` and the run summaries read the code, never the message,
which is free text for people. `classify` turns an exception into its code
without importing the libraries that raise it (storage sits below them): by an
explicit ``code`` attribute first (the crawl's own exceptions carry one), then by
the exception's class and the classes it derives from.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class RunStatus(StrEnum):
    RUNNING = "running"
    OK = "ok"
    PARTIAL = "partial"  # some pages failed, the rest was stored
    FAILED = "failed"
    KILLED = "killed"  # the process ended without finishing (a crash, the daemon's shutdown)

    @property
    def failed(self) -> bool:
        return self in (RunStatus.FAILED, RunStatus.KILLED)


#: Runs that say something about the source (a killed run says nothing about it).
DECISIVE = (RunStatus.OK, RunStatus.PARTIAL, RunStatus.FAILED)
#: Runs that stored what they found.
SUCCESSFUL = (RunStatus.OK, RunStatus.PARTIAL)


class ErrorCode(StrEnum):
    PARSE_ERROR = "parse_error"  # reading a fetched page raised
    DEPENDENCY_MISSING = "dependency_missing"  # an import failed: the install is incomplete
    TIMEOUT = "timeout"
    CONNECTION_ERROR = "connection_error"  # refused, reset, DNS, lost mid-response
    EMPTY_BODY = "empty_body"  # an article page without main text
    NO_ITEMS = "no_items"  # a listing page without article links
    NOT_HTML = "not_html"  # a file, not a page: its declared type, else its bytes
    CHALLENGE = "challenge"  # an anti-bot challenge the crawl could not pass
    STORE_ERROR = "store_error"  # writing to the database failed
    EXTRACTION_ERROR = "extraction_error"  # the release was stored, its figures not
    TOO_LARGE = "too_large"  # larger than the download size limit
    UNDECODABLE = "undecodable"  # bytes in no charset
    BLOCKED_SCHEME = "blocked_scheme"  # not http(s)
    BLOCKED_PRIVATE_ADDRESS = "blocked_private_address"  # another host at a private address
    ROBOTS_DISALLOWED = "robots_disallowed"  # the site's robots.txt forbids the page
    ERROR = "error"  # anything else: the message says what


#: Codes of pages that were fetched but held nothing to store: the site's layout,
#: not the network or the install.
EMPTY_CODES = frozenset({ErrorCode.EMPTY_BODY, ErrorCode.NO_ITEMS})
HTTP_PREFIX = "http_"


def http_code(status: int) -> str:
    """``http_404``: the code of a page answered with an HTTP error status."""
    return f"{HTTP_PREFIX}{int(status)}"


def is_http(code: str) -> bool:
    return code.startswith(HTTP_PREFIX) and code[len(HTTP_PREFIX) :].isdigit()


def is_known(code: str) -> bool:
    return is_http(code) or code in ErrorCode.__members__.values()


_TIMEOUTS = frozenset(
    {
        "TimeoutError",
        "TimeoutException",  # httpx
        "DownloadTimeoutError",
        "UserTimeoutError",
        "TCPTimedOutError",
    }
)
_CONNECTION = frozenset(
    {
        "ConnectionError",
        "ConnectError",
        "DNSLookupError",
        "CannotResolveHostError",
        "DownloadConnectionRefusedError",
        "DownloadFailedError",
        "ResponseDataLossError",
        "ResponseFailed",
        "ResponseNeverReceived",
        "ConnectionLost",
        "ConnectionDone",
        "TunnelError",
        "NetworkError",  # httpx
        "RemoteProtocolError",
    }
)


def classify(exc: BaseException) -> str:
    """The code of a failure, from the exception alone."""
    own = getattr(exc, "code", None)
    if isinstance(own, str) and is_known(own):
        return own
    response = getattr(exc, "response", None)
    status = getattr(response, "status", None)
    if isinstance(status, int) and status >= 400:
        return http_code(status)
    names = {cls.__name__ for cls in type(exc).__mro__}
    if isinstance(exc, ImportError):
        return ErrorCode.DEPENDENCY_MISSING
    if names & _TIMEOUTS:
        return ErrorCode.TIMEOUT
    if "DownloadCancelledError" in names:  # Scrapy cancels a download over DOWNLOAD_MAXSIZE
        return ErrorCode.TOO_LARGE
    if names & _CONNECTION:
        return ErrorCode.CONNECTION_ERROR
    if "SQLAlchemyError" in names or "DBAPIError" in names:
        return ErrorCode.STORE_ERROR
    return ErrorCode.ERROR


def describe(exc: BaseException) -> str:
    """The message of a failure: the exception's own words, or its class when it has none."""
    text = str(exc).strip()
    return text if text else type(exc).__name__


def page_error(url: str, code: str, message: str, kind: str) -> dict[str, Any]:
    """One entry of a run's ``errors``: which page, its code, its message, listing or article."""
    return {"url": url, "code": str(code), "error": message, "kind": kind}


def error_code(entry: Any) -> str:
    """The code of a run's error entry (entries recorded before codes existed: ``error``)."""
    code = entry.get("code") if isinstance(entry, dict) else None
    return str(code) if code else ErrorCode.ERROR
