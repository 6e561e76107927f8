"""What kind of page a listing is: a column (one main list) or a home page (many).

A pager, a breadcrumb (当前位置：首页 > …), a ``ColumnName`` meta other than 首页 and
a URL below the site's top directory say column; a site-root address and many
lists of comparable size say home page. A list drawn as several sibling blocks
(gov.cn prints one list as ``<ul>``s of five) is joined back into one.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from crawlers.detect.lists import FoundList, signature
from crawlers.detect.text import squash

CRUMB_CLASS = re.compile(r"position|breadcrumb|crumb|location|dqwz|weizhi|curpos|path|daohang",
                         re.I)
CRUMB_TEXT = re.compile(r"当前位置|您现在的位置|您的位置|所在位置|现在位置|You are here", re.I)
HOME_FILE = re.compile(r"^(?:index|default|main|home)\.\w+$", re.I)


def has_breadcrumb(root: Any) -> bool:
    body = root.find(".//body")
    if body is None:
        return False
    for node in body.iter("div", "p", "ul", "ol", "nav", "span", "td"):
        classes = f"{node.get('class', '')} {node.get('id', '')}"
        if not CRUMB_CLASS.search(classes) and not CRUMB_TEXT.search(squash(node.text)):
            continue
        links = node.findall(".//a")
        if 1 <= len(links) <= 8 and len(squash("".join(node.itertext()))) < 200:
            return True
    return False


def _column_meta(root: Any) -> bool:
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() == "columnname":
            value = squash(meta.get("content"))
            return bool(value) and value not in ("首页", "网站首页", "门户首页", "主页")
    return False


def url_is_home(url: str) -> bool:
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if parts and HOME_FILE.match(parts[-1]):
        parts = parts[:-1]
    return len(parts) == 0 or (len(parts) == 1 and not urlsplit(url).query)


def is_column(root: Any, url: str, lists: list[FoundList], pager: bool) -> bool:
    if pager or len(lists) <= 1:
        return True
    sizes = sorted((len(f.items) for f in lists), reverse=True)
    if sizes[0] >= 8 and sizes[0] >= 2 * sizes[1]:
        return True
    leaning = 0
    leaning += -2 if url_is_home(url) else 1
    leaning += 2 if has_breadcrumb(root) else 0
    leaning += 1 if _column_meta(root) else 0
    leaning -= max(0, len(lists) - 2)
    return leaning >= 2


def merge_split_lists(lists: list[FoundList]) -> list[FoundList]:
    """Join sibling lists of one kind with the same (or no) heading into one."""
    merged: list[FoundList] = []
    for found in lists:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.container.getparent() is found.container.getparent()
            and signature(last.container) == signature(found.container)
            and last.heading == found.heading
            and not last.foreign and not found.foreign
        ):
            seen = {i.url for i in last.items}
            last.items.extend(i for i in found.items if i.url not in seen)
            last.members.extend(found.members)
            last.score += found.score
            continue
        merged.append(found)
    return merged
