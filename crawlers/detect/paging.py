"""The next page of a listing.

In order: the TRS pager script ``createPageHTML(count, current, "index", "html")``
(its arguments also as ``var countPage = …``); a link named 下一页 / 下页 / Next / ›;
numbered pager links after the current page; ``index_N`` / ``?page=N`` pages where
a page count (``totalPage``, ``pageCount``, ``maxPageNum``) says there are more; the
F1 fragment pages ``index_{comp}_{N}.html``, counted down from ``maxPageNum``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawlers.detect.links import usable_href
from crawlers.detect.text import squash, visible_text

CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*([\w'\"]+)\s*,\s*([\w'\"]+)\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]"
)
JS_NUMBER = r"\s*[=:]\s*['\"]?(\d+)"
NEXT_TEXT = re.compile(
    r"^(?:下一页|下页|下一頁|后一页|后页|next(?:\s*page)?|›|»|>|>>|＞)\s*[>»›]*$", re.I
)
PAGE_COUNT = re.compile(r"\b(?:totalPage|totalPages|pageCount|countPage|page_count|maxPageNum|"
                        r"pageTotal|totalpage|allPage)" + JS_NUMBER)
CURRENT_CLASS = re.compile(r"\b(?:cur|current|active|on|selected|now)\b", re.I)
PAGE_PARAMS = ("page", "pageNo", "pageNum", "pageIndex", "pageindex", "pageno", "pagenum", "p",
               "curpage", "currentPage", "cpage", "PageIndex")
INDEX_N = re.compile(r"^(.*?/?)(index|list|default)(?:_(\d+))?\.(s?html?|jsp|php|aspx?)$", re.I)
F1_COMP = re.compile(r"comp_(\d+)")


def _js_value(script: str, token: str) -> int | None:
    token = token.strip("'\"")
    if token.isdigit():
        return int(token)
    match = re.search(rf"\b{re.escape(token)}{JS_NUMBER}", script)
    return int(match.group(1)) if match else None


def trs_next(html: str, url: str) -> str | bool | None:
    """The next page by the TRS pager; False on the last page; None without a pager."""
    for match in CREATE_PAGE.finditer(html):
        total = _js_value(html, match.group(1))
        current = _js_value(html, match.group(2))
        if total is None or current is None:
            continue
        if current + 1 >= total:
            return False
        return urljoin(url, f"{match.group(3)}_{current + 1}.{match.group(4)}")
    return None


def _link_next(root: Any, url: str, resolve: Callable[[str], str | None]) -> str | None:
    for anchor in root.iter("a"):
        text = squash(visible_text(anchor) or anchor.get("title") or "")
        if not NEXT_TEXT.match(text):
            continue
        href = anchor.get("href")
        if not usable_href(href):
            continue
        target = resolve(href)
        if target and target.split("#")[0] != url.split("#")[0]:
            return target
    return None


def _numbered_next(root: Any, url: str, resolve: Callable[[str], str | None]) -> str | None:
    """In a pager of numbered links, the link numbered one past the current page."""
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        text = squash(node.text)
        marked = bool(CURRENT_CLASS.search(node.get("class") or ""))
        current = marked if node.tag == "a" else (
            node.tag in ("span", "b", "strong", "em", "font") or marked
        )
        if not (current and text.isdigit() and len(text) < 4):
            continue
        parent = node.getparent()
        if parent is not None and parent.tag == "li":
            parent = parent.getparent()
        if parent is None:
            continue
        want = str(int(text) + 1)
        for anchor in parent.iter("a"):
            if squash(visible_text(anchor)) == want and usable_href(anchor.get("href")):
                target = resolve(anchor.get("href"))
                if target and target != url:
                    return target
    return None


def _counted_next(html: str, url: str) -> str | None:
    """``?page=N`` or ``index_N`` when a page count in the page says there is more."""
    count = PAGE_COUNT.search(html)
    if not count:
        return None
    total = int(count.group(1))
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    for index, (key, value) in enumerate(query):
        if key in PAGE_PARAMS and value.isdigit():
            if int(value) >= total:
                return None
            query[index] = (key, str(int(value) + 1))
            return urlunsplit(parts._replace(query=urlencode(query)))
    return None


def _f1_next(html: str, url: str, container: Any) -> str | None:
    match = re.search(r"maxPageNum" + JS_NUMBER, html)
    if not match or container is None:
        return None
    node = container
    while node is not None:
        comp = F1_COMP.match(node.get("id") or "")
        if comp:
            total = int(match.group(1))
            return urljoin(url, f"index_{comp.group(1)}_{total - 1}.html") if total > 1 else None
        node = node.getparent()
    return None


def next_page(
    root: Any, html: str, url: str, resolve: Callable[[str], str | None], container: Any = None
) -> str | None:
    """The URL of the next listing page, or None on the last (or only) page."""
    trs = trs_next(html, url)
    if trs is False:
        return None
    if isinstance(trs, str):
        return trs
    for found in (
        _link_next(root, url, resolve),
        _f1_next(html, url, container),
        _numbered_next(root, url, resolve),
        _counted_next(html, url),
    ):
        if found:
            return found
    return None


def _number_run(root: Any) -> Any:
    """An element holding links numbered 2, 3, 4 … (a numbered pager), or None."""
    numbered: dict[Any, list[int]] = {}
    for anchor in root.iter("a"):
        text = (anchor.text or "").strip()
        if text.isdigit() and len(text) < 4 and len(anchor) == 0:
            holder = anchor.getparent()
            if holder is not None and holder.tag == "li":
                holder = holder.getparent()
            if holder is not None:
                numbered.setdefault(holder, []).append(int(text))
    for holder, digits in numbered.items():
        if len(digits) >= 2 and any(b == a + 1 for a, b in itertools.pairwise(digits)):
            return holder
    return None


def has_pager(root: Any, html: str, url: str, resolve: Callable[[str], str | None]) -> bool:
    """Whether the page pages (a column), whatever its current position."""
    if CREATE_PAGE.search(html) or PAGE_COUNT.search(html):
        return True
    if _number_run(root) is not None:
        return True
    for anchor in root.iter("a"):
        text = squash(visible_text(anchor))
        if text in ("尾页", "末页", "上一页", "下一页", "下页", "Last", "Next", "Previous") and (
            anchor.getparent() is not None and len(squash(visible_text(anchor.getparent()))) < 200
        ):
            return True
    return False


def pager_anchor(root: Any, html: str) -> Any:
    """An element of the page's pager (its script or one of its links), or None."""
    for script in root.iter("script"):
        text = script.text or ""
        if CREATE_PAGE.search(text) or PAGE_COUNT.search(text):
            return script
    for anchor in root.iter("a"):
        text = squash(visible_text(anchor))
        if text in ("尾页", "末页", "上一页", "下一页", "下页", "Last", "Next", "Previous") or (
            NEXT_TEXT.match(text) and usable_href(anchor.get("href"))
        ):
            return anchor
    return _number_run(root)
