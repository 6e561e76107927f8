"""Anti-bot challenges: recognise one in a response, and say what it is in plain words.

Only recognition lives here. A challenge is passed by running the page in a real
browser, the way a visitor's browser passes it (see `crawlers.browser`); its code
is never reimplemented or brute-forced here.

What counts as a challenge (SITES.md §5):

- HTTP 412 or 521 answered with a script (瑞数 / Rivers and 加速乐 / Jiasule);
- a page with next to no visible text that carries a challenge marker
  (``__jsl_clearance``, ``$_ts``, ``r="m"`` scripts, ``acw_sc__v2`` ...) or sets a
  known challenge cookie (``__jsluid_s``; a 瑞数 cookie whose name ends in ``S``);
- a page that is only script (no visible text at all).

A bulletin page that merely sets ``__jsluid_s`` while showing its content is no
challenge: 加速乐 sets that cookie on ordinary pages too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse

from crawlers.text import visible_text_length

__all__ = [
    "CHALLENGE_STATUS",
    "Challenge",
    "ChallengeBlocked",
    "challenge_cookies",
    "detect",
    "response_challenge",
    "set_cookie_names",
]

CHALLENGE_STATUS = (412, 521)
SCAN = 30_000  # characters of a page looked at

_RIVERS_COOKIE = re.compile(r"^[0-9A-Za-z]{8,24}[S]$")


@dataclass(frozen=True)
class Challenge:
    """A recognised challenge: its family, the HTTP status it came with, and the evidence."""

    kind: str  # jiasule | rivers | aliyun | wzws | yunsuo | script
    status: int
    evidence: str

    @property
    def label(self) -> str:
        """``a JavaScript cookie challenge (HTTP 521, Jiasule-style)`` and the like."""
        family = {
            "jiasule": "Jiasule-style",
            "rivers": "Rivers/瑞数-style",
            "aliyun": "Alibaba Cloud WAF-style",
            "wzws": "WZWS-style",
            "yunsuo": "Yunsuo-style",
        }.get(self.kind)
        if family is None:
            return f"a page that is only script (HTTP {self.status})"
        return f"a JavaScript cookie challenge (HTTP {self.status}, {family})"

    def blocked_message(self) -> str:
        """The error of a ``render: never`` source that met this challenge."""
        return f"the site answered with {self.label}; set `render: auto` for this source"


def challenge_cookies(names: Iterable[str]) -> list[str]:
    """The names among `names` that challenge systems set before their script runs."""
    found = []
    for name in names:
        jiasule = name.startswith(("__jsluid", "__jsl_clearance"))
        others = name in ("acw_sc__v2", "wzws_cid", "yunsuo_session_verify")
        if jiasule or others or _RIVERS_COOKIE.match(name):
            found.append(name)
    return found


_MARKERS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    # the cookie name is often cut into pieces: ('_')+('_')+('jsl_clearance_s=')
    (re.compile(r"jsl_clearance|__jsluid"), "jiasule", "__jsl_clearance script"),
    (re.compile(r";\s*go\(\s*\{[^}]*\"bts\""), "jiasule", "go({bts, ct, ha}) script"),
    (re.compile(r"\$_ts\s*=|\$_ts\["), "rivers", "$_ts script"),
    (re.compile(r"<(?:meta|script)\b[^>]*\sr=['\"]m['\"]", re.I), "rivers", 'r="m" script'),
    (re.compile(r"acw_sc__v2"), "aliyun", "acw_sc__v2 script"),
    (re.compile(r"wzwschallenge|wzws_cid"), "wzws", "wzws_cid"),
    (re.compile(r"yunsuo_session_verify"), "yunsuo", "yunsuo_session_verify"),
)


def _by_cookie(names: list[str]) -> tuple[str, str] | None:
    for name in names:
        if name.startswith("__jsl"):
            return "jiasule", f"cookie {name}"
        if _RIVERS_COOKIE.match(name):
            return "rivers", f"cookie {name} (the S of an S/T pair)"
        if name == "acw_sc__v2":
            return "aliyun", f"cookie {name}"
        if name == "wzws_cid":
            return "wzws", f"cookie {name}"
        if name == "yunsuo_session_verify":
            return "yunsuo", f"cookie {name}"
    return None


def detect(status: int, text: str, cookie_names: Iterable[str] = ()) -> Challenge | None:
    """The challenge a response is, if it is one.

    `text` is the decoded body; `cookie_names` the names the response sets.
    """
    if status == 304:
        return None
    head = text[:SCAN]
    lowered = head.lower()
    scripted = "<script" in lowered
    visible = visible_text_length(head)
    marker = next(((kind, what) for pattern, kind, what in _MARKERS if pattern.search(head)), None)
    cookies = challenge_cookies(cookie_names)
    by_cookie = _by_cookie(cookies)
    if status in CHALLENGE_STATUS and scripted:
        kind, what = marker or by_cookie or ("jiasule" if status == 521 else "rivers", "script")
        return Challenge(kind, status, what)
    found = marker or (by_cookie if scripted else None)
    if visible < 200 and found:
        return Challenge(found[0], status, found[1])
    if status == 200 and scripted and visible < 20 and len(text) < 100_000:
        return Challenge("script", status, "no visible text, only script")
    return None


def set_cookie_names(response: Response) -> list[str]:
    """The names of the cookies a response sets."""
    return [
        value.split(b"=", 1)[0].strip().decode("latin-1")
        for value in response.headers.getlist("Set-Cookie")
    ]


def response_challenge(response: Response) -> Challenge | None:
    """The challenge a Scrapy response is, if it is one (only text can be one)."""
    if not isinstance(response, TextResponse):
        return None
    return detect(response.status, response.text, set_cookie_names(response))


class ChallengeBlocked(IgnoreRequest):
    """A request that met a challenge it may not (or cannot) pass; the message says which."""

    code = "challenge"  # storage.status.ErrorCode.CHALLENGE
