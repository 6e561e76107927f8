"""Fetching one page for `sources probe`: http(s) only, time and size limits, an
honest User-Agent, and text decoded whatever the page's charset claims."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from crawlers.detect.decode import decode_html

MAX_BYTES = 8 * 1024 * 1024
DEFAULT_USER_AGENT = "BulletinWatch/0.1 (+https://github.com/bulletin-watch; sources probe)"


class FetchError(Exception):
    """The page could not be fetched; the message names the URL and the cause."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    text: str
    encoding: str


def fetch_page(
    url: str,
    *,
    timeout: float = 20.0,
    max_bytes: int = MAX_BYTES,
    user_agent: str | None = None,
) -> Fetched:
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http:// and https:// addresses can be probed")
    headers = {
        "User-Agent": user_agent or DEFAULT_USER_AGENT,
        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
        "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.6",
    }
    limits = httpx.Timeout(timeout, connect=min(timeout, 10.0))
    try:
        with httpx.Client(
            timeout=limits, follow_redirects=True, max_redirects=5, headers=headers
        ) as client, client.stream("GET", url) as response:
            final = str(response.url)
            if urlsplit(final).scheme not in ("http", "https"):
                raise FetchError(f"{url}: redirected to a non-http address {final}")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"{url}: the page is {declared} bytes, over the {max_bytes} limit")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url}: the page is over the {max_bytes}-byte limit")
                chunks.append(chunk)
            body = b"".join(chunks)
            status = response.status_code
            content_type = response.headers.get("Content-Type")
    except httpx.TimeoutException as exc:
        raise FetchError(f"{url}: timed out after {timeout:g} s ({type(exc).__name__})") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from None
    text, encoding = decode_html(body, content_type)
    from crawlers.challenges import detect as detect_challenge

    challenge = detect_challenge(status, text)
    if challenge is not None:
        raise FetchError(
            f"{url}: {challenge.label}; open the page in a browser, save it, "
            "and probe the saved file with --file PATH"
        )
    if status >= 400:
        raise FetchError(f"{url}: HTTP {status}")
    return Fetched(final, status, text, encoding)
