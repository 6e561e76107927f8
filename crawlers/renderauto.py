"""``render: auto``: when a host's pages go over plain HTTP and when through the browser.

One state machine per host, used by the crawl (`crawlers.middlewares.
BrowserRenderMiddleware`) and by ``bulletins sources check`` (`crawlers.check`), so
both decide alike::

    plain --(a page is a challenge)--> browser
    browser --(the browser passed; its cookies handed to plain HTTP)--> cookies
    cookies --(a plain request carrying them is challenged again)--> browser-only

``browser-only`` lasts for the rest of the crawl. A host in ``browser`` whose browser
gave no cookies stays with the browser. The callers word what happened; this module
only keeps the state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from crawlers.challenges import Challenge

__all__ = ["Challenged", "HostMode", "HostState", "RenderAuto"]


class HostMode(StrEnum):
    PLAIN = "plain"
    BROWSER = "browser"
    COOKIES = "cookies"
    BROWSER_ONLY = "browser-only"


class Challenged(StrEnum):
    """What a challenge on a plain request did to its host."""

    FIRST = "first"  # plain -> browser: the host's first challenge
    AGAIN = "again"  # cookies -> browser-only: the browser's cookies did not carry
    STALE = "stale"  # sent before the latest hand-off, or while already with the browser


@dataclass
class HostState:
    mode: HostMode = HostMode.PLAIN
    generation: int = 0  # cookie hand-offs so far
    challenge: Challenge | None = None

    @property
    def via_browser(self) -> bool:
        return self.mode in (HostMode.BROWSER, HostMode.BROWSER_ONLY)


@dataclass
class RenderAuto:
    """The ``render: auto`` state of every host of one source (or one check)."""

    hosts: dict[str, HostState] = field(default_factory=dict)

    def state(self, host: str) -> HostState | None:
        return self.hosts.get(host)

    def via_browser(self, host: str) -> bool:
        """Whether the next request to `host` goes through the browser."""
        state = self.hosts.get(host)
        return state is not None and state.via_browser

    def generation(self, host: str) -> int:
        """The hand-off a plain request to `host` carries the cookies of (stamp it)."""
        state = self.hosts.get(host)
        return state.generation if state else 0

    def challenged(self, host: str, challenge: Challenge, sent_generation: int) -> Challenged:
        """A plain request to `host`, stamped `sent_generation`, met `challenge`."""
        state = self.hosts.setdefault(host, HostState())
        if state.mode is HostMode.PLAIN:
            state.mode, state.challenge = HostMode.BROWSER, challenge
            return Challenged.FIRST
        if state.mode is HostMode.COOKIES and sent_generation >= state.generation:
            state.mode = HostMode.BROWSER_ONLY
            return Challenged.AGAIN
        return Challenged.STALE

    def may_hand_off(self, host: str) -> bool:
        """Whether the browser's cookies for `host` should go to plain HTTP now."""
        state = self.hosts.get(host)
        return state is not None and state.mode is HostMode.BROWSER

    def handed_off(self, host: str) -> None:
        """The browser's cookies for `host` are in the plain-HTTP jar: plain HTTP resumes."""
        state = self.hosts.setdefault(host, HostState())
        state.mode = HostMode.COOKIES
        state.generation += 1
