"""The browser's cookies for plain HTTP: a Playwright cookie as a Scrapy jar cookie."""

from __future__ import annotations

from collections.abc import Mapping
from http.cookiejar import Cookie
from typing import Any

__all__ = ["jar_cookie"]


def jar_cookie(cookie: Mapping[str, Any]) -> Cookie:
    """A Playwright cookie as an http.cookiejar cookie (for Scrapy's cookie jar)."""
    domain = str(cookie["domain"])
    expires = cookie.get("expires")
    session = expires is None or float(expires) <= 0
    return Cookie(
        version=0,
        name=str(cookie["name"]),
        value=str(cookie["value"]),
        port=None,
        port_specified=False,
        domain=domain,
        domain_specified=domain.startswith("."),
        domain_initial_dot=domain.startswith("."),
        path=str(cookie.get("path") or "/"),
        path_specified=True,
        secure=bool(cookie.get("secure")),
        expires=None if session else int(float(expires)),  # type: ignore[arg-type]
        discard=session,
        comment=None,
        comment_url=None,
        rest={"HttpOnly": ""} if cookie.get("httpOnly") else {},
    )
