"""Site 4: a column behind a 加速乐 / Jiasule JavaScript cookie challenge (SITES.md §5 A).

The pages are an ordinary Chinese column (UTF-8):

- listing ``/jsl/xwfb/index.html``, then ``index_2.html`` ... linked by ``a.next``
- items ``ul.list li`` -> ``a`` + ``span`` (``YYYY-MM-DD``)
- articles ``/jsl/xwfb/YYYYMM/tYYYYMMDD_{key}.html``: ``h1``, ``div.info``
  (``发布时间：YYYY-MM-DD HH:MM``), body ``div.article-body``

but every request under ``/jsl/`` passes :class:`JslGate` first, modelled on the
two-stage flow public scrapers record for mps.gov.cn:

1. no valid ``__jsluid_s``/clearance: HTTP 521, ``Set-Cookie: __jsluid_s=…`` and a
   ``<script>`` whose ``document.cookie=('__jsl_clearance_s=')+(…)+…`` sets a first
   clearance, then reloads (``location.href=location.pathname+location.search``);
2. that first clearance: HTTP 521 again, with ``;go({"bts": [...], "chars": ...,
   "ct": ..., "ha": "sha256"})``: the page's own script tries the two missing
   characters until the hash matches ``ct``, sets the final clearance and reloads;
3. the final clearance: the page (HTTP 200).

The clearance is bound to ``__jsluid_s``, which is bound to the User-Agent, and
lasts `ttl` seconds. A plain HTTP client that carries the cookies a browser earned
(with the same User-Agent) gets through, so cookie reuse works. The strict variant
(:class:`JslStrictSite`, ``/jsls/``) also wants what only a browser sends
(``Sec-Fetch-Mode``), standing in for sites that reject non-browser clients whatever
their cookies (SITES.md: fgw.hubei.gov.cn and the TLS fingerprint).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import random
import threading
import time
from collections.abc import Sequence
from datetime import datetime
from email.message import Message
from html import escape
from typing import Any, ClassVar

from replica import templates_zh
from replica.content import CST, Bulletin
from replica.sites.base import Entry, Gate, Page, Site

CHALLENGE_STATUS = 521
JSLUID = "__jsluid_s"
CLEARANCE = "__jsl_clearance_s"
CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

_GO = """function go(o){
  var enc = new TextEncoder();
  var algo = {sha1: 'SHA-1', sha256: 'SHA-256'}[o.ha];
  function hex(buf){
    return Array.prototype.map.call(new Uint8Array(buf), function(b){
      return ('0' + b.toString(16)).slice(-2);
    }).join('');
  }
  var tries = [];
  for (var i = 0; i < o.chars.length; i++)
    for (var j = 0; j < o.chars.length; j++)
      tries.push(o.bts[0] + o.chars[i] + o.chars[j] + o.bts[1]);
  (function next(k){
    if (k >= tries.length) return;
    crypto.subtle.digest(algo, enc.encode(tries[k])).then(function(d){
      if (hex(d) === o.ct) {
        document.cookie = o.tn + '=' + tries[k] + ';max-age=' + o.vt + ';path=' + o.path;
        location.href = location.pathname + location.search;
      } else { next(k + 1); }
    });
  })(0);
}"""


def _cookies(headers: Message) -> dict[str, str]:
    found: dict[str, str] = {}
    for header in headers.get_all("Cookie") or ():
        for part in header.split(";"):
            name, sep, value = part.strip().partition("=")
            if sep:
                found.setdefault(name, value)
    return found


class JslGate(Gate):
    """The two-stage 加速乐 challenge in front of a path prefix (stateless but for a counter)."""

    def __init__(
        self, secret: str, *, path: str = "/", ttl: float = 3600.0, strict: bool = False
    ) -> None:
        self.secret = secret.encode()
        # The real cookies are for path=/; the replica's sites share one host, so each
        # gate scopes them to its own prefix and two gates' cookies never meet.
        self.path = path
        self.ttl = ttl
        self.strict = strict
        self._nonces = itertools.count(1)
        self._lock = threading.Lock()

    # -- the values ------------------------------------------------------------------------

    def _mac(self, *parts: object) -> str:
        message = "|".join(str(p) for p in parts).encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()

    def new_jsluid(self, user_agent: str) -> str:
        with self._lock:
            nonce = f"{next(self._nonces):08x}"
        return nonce + self._mac("jsluid", nonce, user_agent)[:24]

    def jsluid_ok(self, value: str, user_agent: str) -> bool:
        if len(value) != 32:
            return False
        return hmac.compare_digest(value[8:], self._mac("jsluid", value[:8], user_agent)[:24])

    def first_clearance(self, jsluid: str, ts: int) -> str:
        mac = self._mac("s1", jsluid, ts)
        return f"{ts}.{int(mac[:6], 16) % 1000:03d}|0|{mac[6:30]}"

    def puzzle(self, jsluid: str, ts: int) -> dict[str, Any]:
        """The second stage: ``bts``, ``chars``, ``ct`` (and the answer, for tests)."""
        mac = self._mac("s2", jsluid, ts)
        head = f"{ts}.{int(mac[:6], 16) % 1000:03d}|-1|"
        tail = mac[8:30] + "%3D"
        pair = CHARS[int(mac[30:34], 16) % len(CHARS)] + CHARS[int(mac[34:38], 16) % len(CHARS)]
        answer = head + pair + tail
        return {
            "bts": [head, tail],
            "chars": CHARS,
            "ct": hashlib.sha256(answer.encode()).hexdigest(),
            "ha": "sha256",
            "tn": CLEARANCE,
            "vt": str(int(self.ttl)),
            "wt": "1500",
            "path": self.path,
            "answer": answer,
        }

    def final_clearance(self, jsluid: str, ts: int) -> str:
        return str(self.puzzle(jsluid, ts)["answer"])

    # -- answering -------------------------------------------------------------------------

    def check(self, method: str, path: str, headers: Message) -> Page | None:
        user_agent = headers.get("User-Agent", "")
        cookies = _cookies(headers)
        jsluid = cookies.get(JSLUID, "")
        browserish = not self.strict or headers.get("Sec-Fetch-Mode") is not None
        if not self.jsluid_ok(jsluid, user_agent):
            return self._stage_one(self.new_jsluid(user_agent), set_cookie=True)
        clearance = cookies.get(CLEARANCE, "")
        ts = self._fresh_ts(clearance)
        if ts is not None and browserish:
            if hmac.compare_digest(clearance, self.final_clearance(jsluid, ts)):
                return None
            if hmac.compare_digest(clearance, self.first_clearance(jsluid, ts)):
                return self._stage_two(jsluid, ts)
        return self._stage_one(jsluid, set_cookie=False)

    def _fresh_ts(self, clearance: str) -> int | None:
        try:
            ts = int(clearance.split(".", 1)[0])
        except ValueError:
            return None
        return ts if 0 <= time.time() - ts <= self.ttl else None

    def _stage_one(self, jsluid: str, *, set_cookie: bool) -> Page:
        value = self.first_clearance(jsluid, int(time.time()))
        pieces = [CLEARANCE[:1], CLEARANCE[1:2], CLEARANCE[2:] + "="]
        rest = value
        while rest:
            pieces.append(rest[:5])
            rest = rest[5:]
        pieces.append(f";max-age={int(self.ttl)};path={self.path}")
        expression = "+".join(f"('{p}')" for p in pieces)
        body = (
            f"<script>document.cookie={expression};"
            "location.href=location.pathname+location.search</script>"
        )
        headers = [("Cache-Control", "no-store")]
        if set_cookie:
            cookie = f"{JSLUID}={jsluid}; max-age=31536000; path={self.path}; HttpOnly"
            headers.append(("Set-Cookie", cookie))
        return Page(body.encode(), headers=tuple(headers), status=CHALLENGE_STATUS)

    def _stage_two(self, jsluid: str, ts: int) -> Page:
        puzzle = {k: v for k, v in self.puzzle(jsluid, ts).items() if k != "answer"}
        body = f"<script>{_GO};go({json.dumps(puzzle)})</script>"
        return Page(
            body.encode(), headers=(("Cache-Control", "no-store"),), status=CHALLENGE_STATUS
        )


_HEAD = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<meta name="SiteName" content="挑战页公安局（复制站）">
</head>
<body>
<div class="head"><a href="{home}">挑战页公安局</a></div>
<div class="nav"><a href="{home}">首页</a> <a href="{column}index.html">新闻发布</a></div>
"""
_FOOT = """<div class="foot">主办：挑战页公安局（复制站） 备案号：京ICP备00000000号</div>
</body></html>
"""


class JslSite(Site):
    site_id: ClassVar[str] = "jsl"
    source_id: ClassVar[str] = "replica-jsl"
    prefix: ClassVar[str] = "/jsl"
    language = "zh"
    per_page = 12
    articles: ClassVar[int] = 28
    strict: ClassVar[bool] = False
    newest: ClassVar[datetime] = datetime(2024, 3, 27, tzinfo=CST)

    def __init__(self, seen: set[str]) -> None:
        self.gate = JslGate(f"replica-{self.site_id}", path=f"{self.prefix}/", strict=self.strict)
        super().__init__(seen)

    @classmethod
    def column(cls) -> str:
        return f"{cls.prefix}/xwfb/"

    @classmethod
    def source(cls, base_url: str) -> dict[str, Any]:
        return {
            "id": cls.source_id,
            "name": "挑战页公安局 新闻发布" + ("（严格）" if cls.strict else ""),
            "agency": "Replica Public Security Bureau behind a JavaScript challenge",
            "level": "municipal",
            "region": "Replica",
            "language": "zh",
            "schedule": "*/30 * * * *",
            "start_urls": [f"{base_url}{cls.column()}index.html"],
            "list": {
                "item": "ul.list li",
                "link": "a::attr(href)",
                "title": "a::text",
                "date": "span::text",
                "next_page": "a.next::attr(href)",
                "min_pages": 2,
                "max_pages": 5,
            },
            "article": {"title": "h1::text", "date": "div.info::text", "body": "div.article-body"},
            "render": "auto",
            "encoding": "auto",
        }

    def gates(self) -> dict[str, Gate]:
        return {f"{self.prefix}/": self.gate}

    def initial_plan(self) -> tuple[datetime, int, list[tuple[datetime, Bulletin]]]:
        return self.newest, self.articles, []

    def generate(self, rng: random.Random, when: datetime) -> Bulletin:
        return templates_zh.generate(rng, when)

    def article_path(self, key: int, when: datetime) -> str:
        return f"{self.column()}{when:%Y%m}/t{when:%Y%m%d}_{5100 + key}.html"

    def listing_path(self, number: int) -> str:
        name = "index.html" if number == 1 else f"index_{number}.html"
        return f"{self.column()}{name}"

    def render_listing(self, number: int, total: int, entries: Sequence[Entry]) -> Page:
        column = self.column()
        items = "".join(
            f'<li><a href="{entry.path.removeprefix(column)}" target="_blank">'
            f"{escape(entry.title)}</a><span>{entry.published:%Y-%m-%d}</span></li>\n"
            for entry in entries
        )
        pager = f"<span>第{number}页 共{total}页</span>"
        if number < total:
            following = self.listing_path(number + 1).removeprefix(column)
            pager += f' <a class="next" href="{following}">下一页</a>'
        html = (
            _HEAD.format(title="新闻发布", home=f"{self.prefix}/", column=column)
            + f'<div class="main"><h2>新闻发布</h2>\n<ul class="list">\n{items}</ul>\n'
            f'<div class="page">{pager}</div></div>\n' + _FOOT
        )
        return Page(html.encode(), last_modified=self.last_modified)

    def render_article(self, entry: Entry, bulletin: Bulletin) -> Page:
        title = escape(bulletin.title)
        paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in bulletin.paragraphs)
        html = (
            _HEAD.format(title=title, home=f"{self.prefix}/", column=self.column())
            + f'<div class="main"><h1>{title}</h1>\n'
            f'<div class="info">发布时间：{entry.published:%Y-%m-%d %H:%M}　来源：新闻发布</div>\n'
            f'<div class="article-body">\n{paragraphs}\n</div></div>\n' + _FOOT
        )
        return Page(html.encode())

    def extra_pages(self, listing: dict[str, Page]) -> dict[str, Page]:
        return {self.column(): listing[self.listing_path(1)]}


class JslStrictSite(JslSite):
    """The same challenge, but plain HTTP is challenged even with the browser's cookies."""

    site_id = "jsl-strict"
    source_id = "replica-jsl-strict"
    prefix = "/jsls"
    per_page = 6
    articles = 9
    strict = True
    newest = datetime(2024, 3, 25, tzinfo=CST)
