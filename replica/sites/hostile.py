"""The hostile site: pages that attack the crawler, under ``/hostile/``.

They are the hostile pages of the 2026-12 probe (``probe-2026-12.md``, appendix A),
kept here so they stay tested. Every listing has ``ul.list li`` items (``a`` +
``span``) and may have an ``a.next`` link; articles have ``h1``, ``span.date`` and
``div.body``. :func:`hostile_source` gives the source entry for one scenario.

"The other host" is a second listener of the replica (``other_host``, by default
``127.0.0.2``: still loopback, never a real private address). A crawler that keeps
to its source's host and refuses private addresses never connects to it; the
replica counts every connection it accepts there.

Scenarios (``/hostile/<scenario>/index.html``):

- ``next-file``, ``next-data``, ``next-zero``, ``next-ftp``, ``next-gopher``: the next
  page is ``file://`` (a local listing that links the other host), ``data:`` (a
  listing inline), ``file:///dev/zero``, ``ftp://`` and ``gopher://`` on the other host
- ``next-other``: the next page is on the other host
- ``offsite``: links to the other host (scheme-relative, and the same address spelled
  as a decimal number, in hex and as IPv4-mapped IPv6) and to ``localhost``
- ``by-name``: a link to this server under the name ``localhost``
- ``redirects``: articles that redirect (301/302/303/307/308, meta refresh) to
  ``file:``, ``data:``, ``ftp:``, the other host and ``localhost``
- ``moved``: five links that each 301 to an article on the site
- ``shared-a`` and ``shared-b``: two listings with the same three articles
- ``converge``: an article linked directly and through two redirects to it
- ``moved-broken``: links that redirect to an article without a body and to a
  missing page
- ``charset``: pages whose bytes are not in the charset they declare (GBK and Big5
  declared as UTF-8, GBK whose header and meta disagree, UTF-8 declared as GBK) and
  one whose bytes are in no charset at all
"""

from __future__ import annotations

import ipaddress
import random
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from replica.sites.base import Page

PREFIX = "/hostile/"
OTHER_HOST = "127.0.0.2"
#: Where a page marked internal lives; only ever served from loopback.
SECRET_PATH = f"{PREFIX}secret/internal.html"
SECRET_MARK = "SECRET-TOKEN-42"
LOCAL_LISTING = "local-listing.html"

SCENARIOS = (
    "next-file",
    "next-data",
    "next-zero",
    "next-ftp",
    "next-gopher",
    "next-other",
    "offsite",
    "by-name",
    "redirects",
    "moved",
    "shared-a",
    "shared-b",
    "converge",
    "moved-broken",
    "charset",
)
#: Articles behind the ``moved`` listing's redirects (``/hostile/go/N`` -> ``a/N.html``).
MOVED = tuple(range(11, 16))
#: Articles listed by both ``shared-a`` and ``shared-b``.
SHARED = (21, 22, 23)
#: The ``converge`` listing: the article, then two links that redirect to it.
CONVERGE = (f"{PREFIX}a/16.html", f"{PREFIX}via/16-301", f"{PREFIX}via/16-302")
#: The ``moved-broken`` listing: listed URL -> the broken page it redirects to.
MOVED_BROKEN = {
    f"{PREFIX}via/no-body": f"{PREFIX}broken/no-body.html",
    f"{PREFIX}via/missing": f"{PREFIX}broken/missing.html",  # 404
}
#: Charset pages: path -> (what it is, whether a crawler can read it).
CHARSET_PAGES = {
    f"{PREFIX}charset/gbk-as-utf8.html": ("GBK, declared UTF-8 in the header", True),
    f"{PREFIX}charset/meta-gbk.html": ("GBK, header UTF-8, meta GBK", True),
    f"{PREFIX}charset/big5-as-utf8.html": ("Big5, declared UTF-8", True),
    f"{PREFIX}charset/utf8-as-gbk.html": ("UTF-8, declared GBK", True),
    f"{PREFIX}charset/garbage.html": ("bytes in no charset, declared UTF-8", False),
}
#: The Chinese titles of the readable charset pages, by path.
CHARSET_TITLES = {
    f"{PREFIX}charset/gbk-as-utf8.html": "错字集",
    f"{PREFIX}charset/meta-gbk.html": "公安通报元数据",
    f"{PREFIX}charset/big5-as-utf8.html": "警察機關通報",
    f"{PREFIX}charset/utf8-as-gbk.html": "反诈中心通报",
}

_ARTICLE = (
    "<html><head>{meta}<title>{title}</title></head><body><h1>{title}</h1>"
    "<span class=date>2026-11-{day:02d}</span><div class=body><p>{text}</p></div></body></html>"
)
_TEXT = (
    "公安机关共破获电信网络诈骗案件{n}起，抓获犯罪嫌疑人{m}名，冻结涉案资金约{k}亿元。"
    "本次行动编号{n}。"
)
_TEXT_TW = "警察機關共破獲電信網路詐騙案件{n}起，逮捕犯罪嫌疑人{m}名，凍結涉案資金約{k}億元。"
_UTF8 = "text/html; charset=utf-8"


@dataclass(frozen=True)
class HostileUrls:
    """Where the hostile pages point: this server, the other host, a local directory."""

    own: str  # http://127.0.0.1:PORT
    other: str  # http://127.0.0.2:PORT (nothing may listen there)
    local_dir: Path  # holds the local listing a ``file://`` next page points at


def article(n: int, title: str | None = None, text: str | None = None, meta: str = "") -> str:
    return _ARTICLE.format(
        meta=meta,
        title=title or f"通报{n}",
        day=1 + n % 28,
        text=text or _TEXT.format(n=n, m=n + 3, k=n + 1),
    )


def listing(links: list[str], next_href: str | None = None) -> str:
    items = "".join(
        f'<li><a href="{escape(href)}">title {i}</a><span>2026-11-20</span></li>'
        for i, href in enumerate(links)
    )
    more = f'<a class="next" href="{escape(next_href)}">next</a>' if next_href else ""
    return f"<html><body><ul class=list>{items}</ul>{more}</body></html>"


def _html(text: str, content_type: str = _UTF8, encoding: str = "utf-8") -> Page:
    return Page(text.encode(encoding), content_type)


def _redirect(location: str, status: int = 302) -> Page:
    return Page(b"", status=status, headers=(("Location", location),))


def other_spellings(other: str) -> list[str]:
    """The other host's base URL with its address spelled as a number, in hex and as
    IPv4-mapped IPv6 (what a crawler must see through)."""
    parts = urlsplit(other)
    address = ipaddress.ip_address(parts.hostname or "")
    if not isinstance(address, ipaddress.IPv4Address):
        return []
    a, b, c, d = address.packed
    port = f":{parts.port}" if parts.port else ""
    return [
        f"http://{int(address)}{port}",
        f"http://0x{a:x}.{b}.{c}.0x{d:x}{port}",
        f"http://[::ffff:{address}]{port}",
    ]


def write_local_listing(urls: HostileUrls) -> Path:
    """The local file the ``next-file`` listing points at: it links the other host."""
    path = urls.local_dir / LOCAL_LISTING
    links = [urls.other + SECRET_PATH, urls.own + f"{PREFIX}a/30.html"]
    path.write_text(listing(links), "utf-8")
    return path


def hostile_pages(urls: HostileUrls) -> dict[str, Page]:
    """Every page of the hostile site, by path (served on both listeners)."""
    own_port = urlsplit(urls.own).port
    other = urlsplit(urls.other)
    other_hostport = other.netloc
    localhost = f"http://localhost:{own_port}"
    pages: dict[str, Page] = {f"{PREFIX}a/{n}.html": _html(article(n)) for n in range(1, 41)}
    secret = article(
        42,
        title="INTERNAL ADMIN PAGE",
        text=f"内部管理页面 令牌 {SECRET_MARK}，抓获犯罪嫌疑人12名。这是只应在内网可见的数据。",
    )
    pages[SECRET_PATH] = _html(secret)

    def index(scenario: str, links: list[str], next_href: str | None = None) -> None:
        pages[f"{PREFIX}{scenario}/index.html"] = _html(listing(links, next_href))

    local = (urls.local_dir / LOCAL_LISTING).as_uri()
    inline = listing([urls.other + SECRET_PATH, urls.own + f"{PREFIX}a/33.html"])
    index("next-file", [f"{PREFIX}a/1.html"], local)
    index("next-data", [f"{PREFIX}a/2.html"], "data:text/html," + quote(inline))
    index("next-zero", [f"{PREFIX}a/3.html"], "file:///dev/zero")
    index("next-ftp", [f"{PREFIX}a/4.html"], f"ftp://{other_hostport}/listing.html")
    index("next-gopher", [f"{PREFIX}a/5.html"], f"gopher://{other_hostport}/1")
    index("next-other", [f"{PREFIX}a/6.html"], urls.other + f"{PREFIX}next-other/page2.html")
    pages[f"{PREFIX}next-other/page2.html"] = _html(listing([urls.other + SECRET_PATH]))

    spelled = [base + SECRET_PATH for base in other_spellings(urls.other)]
    index(
        "offsite",
        [
            f"{PREFIX}a/7.html",
            f"//{other_hostport}{SECRET_PATH}",
            *spelled,
            f"{localhost}{PREFIX}a/31.html",
        ],
    )

    index("by-name", [f"{PREFIX}a/9.html", f"{localhost}{PREFIX}a/35.html"])

    redirects = {
        "to-file": _redirect("file:///etc/hostname"),
        "to-data": _redirect("data:text/html," + quote(article(34))),
        "to-ftp": _redirect(f"ftp://{other_hostport}/x"),
        "to-other": _redirect(urls.other + SECRET_PATH),
        "to-other-303": _redirect(urls.other + SECRET_PATH + "?via=303", 303),
        "to-other-308": _redirect(urls.other + SECRET_PATH + "?via=308", 308),
        "to-localhost": _redirect(f"{localhost}{PREFIX}a/32.html", 307),
        "meta-file": _html(
            '<html><head><meta http-equiv="refresh" content="0;url=file:///etc/hostname">'
            "</head><body></body></html>"
        ),
        "meta-other": _html(
            '<html><head><meta http-equiv="refresh" '
            f'content="0;url={urls.other}{SECRET_PATH}?via=meta">'
            "</head><body></body></html>"
        ),
    }
    for name, page in redirects.items():
        pages[f"{PREFIX}r/{name}"] = page
    index("redirects", [f"{PREFIX}a/8.html", *(f"{PREFIX}r/{name}" for name in redirects)])

    for n in MOVED:
        pages[f"{PREFIX}go/{n}"] = _redirect(f"{PREFIX}a/{n}.html", 301)
    index("moved", [f"{PREFIX}go/{n}" for n in MOVED])
    pages[CONVERGE[1]] = _redirect(CONVERGE[0], 301)
    pages[CONVERGE[2]] = _redirect(CONVERGE[0], 302)
    index("converge", list(CONVERGE))
    for listed, broken in MOVED_BROKEN.items():
        pages[listed] = _redirect(broken, 301)
    pages[f"{PREFIX}broken/no-body.html"] = _html(
        "<html><head><title>empty</title></head><body><h1>empty</h1></body></html>"
    )
    index("moved-broken", list(MOVED_BROKEN))
    index("shared-a", [f"{PREFIX}a/{n}.html" for n in SHARED])
    index("shared-b", [f"{PREFIX}a/{n}.html" for n in reversed(SHARED)])

    pages.update(_charset_pages())
    index("charset", list(CHARSET_PAGES))
    return pages


def _charset_pages() -> dict[str, Page]:
    titles = CHARSET_TITLES
    gbk = article(77, titles[f"{PREFIX}charset/gbk-as-utf8.html"]).encode("gbk")
    meta_gbk = article(
        78, titles[f"{PREFIX}charset/meta-gbk.html"], meta='<meta charset="gbk">'
    ).encode("gbk")
    big5 = article(
        79,
        titles[f"{PREFIX}charset/big5-as-utf8.html"],
        _TEXT_TW.format(n=79, m=82, k=80) * 2,
    ).encode("big5")
    utf8 = article(80, titles[f"{PREFIX}charset/utf8-as-gbk.html"]).encode("utf-8")
    rng = random.Random("hostile-garbage")
    junk = bytes(rng.randrange(0x80, 0x100) for _ in range(600))
    garbage = (
        b"<html><head><title>garbage</title></head><body><h1>garbage</h1>"
        b"<div class=body><p>" + junk + b"</p></div></body></html>"
    )
    return {
        f"{PREFIX}charset/gbk-as-utf8.html": Page(gbk, _UTF8),
        f"{PREFIX}charset/meta-gbk.html": Page(meta_gbk, _UTF8),
        f"{PREFIX}charset/big5-as-utf8.html": Page(big5, _UTF8),
        f"{PREFIX}charset/utf8-as-gbk.html": Page(utf8, "text/html; charset=gbk"),
        f"{PREFIX}charset/garbage.html": Page(garbage, _UTF8),
    }


def hostile_source(scenario: str, base_url: str, **overrides: Any) -> dict[str, Any]:
    """The source entry (id ``hostile-<scenario>``) that crawls one scenario."""
    if scenario not in SCENARIOS:
        raise KeyError(f"unknown hostile scenario {scenario!r} (known: {', '.join(SCENARIOS)})")
    source: dict[str, Any] = {
        "id": f"hostile-{scenario}",
        "name": f"hostile {scenario}",
        "language": "zh",
        "render": "never",
        "start_urls": [f"{base_url.rstrip('/')}{PREFIX}{scenario}/index.html"],
        "list": {
            "item": "ul.list li",
            "link": "a::attr(href)",
            "title": "a::text",
            "date": "span::text",
            "next_page": "a.next::attr(href)",
            "min_pages": 1,
            "max_pages": 5,
        },
        "article": {"body": "div.body"},
    }
    source.update(overrides)
    return source
