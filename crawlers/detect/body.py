"""An article's main text, without selectors.

The body containers of the CMSs Chinese government sites run are tried first
(``#zoom``, ``.TRS_Editor``, ``#UCAP-CONTENT``, ``#detailContent`` …): the one with the
most text outside links wins, and a container inside it that holds nearly all of
that text is preferred (``.article-body > .TRS_Editor``). Without one, trafilatura
finds the main text. Either way the text is cleaned of what is not the article:
the title and the date/source line above it, the 字号 [大][中][小] and print/share
controls, QR-code boxes, and attachment lists made only of file links.
"""

from __future__ import annotations

import re
from typing import Any

from crawlers.detect.links import FILE_EXT
from crawlers.detect.text import squash, visible_text
from crawlers.text import BLOCK_TAGS, SKIP_TAGS, clean_lines

#: Body containers of named CMSs: when one holds text, it is the body.
SPECIFIC_BODIES = (
    "#zoom", "#Zoom", ".TRS_Editor", ".TRS_UEDITOR", ".trs_editor_view", ".Custom_UnionStyle",
    "#UCAP-CONTENT", ".pages_content", "#ztdx", "#detailContent", "#fontzoom", "#mainText",
    ".wzzw-article", "#js_content", "#vsb_content", ".v_news_content", "div.wsfbh_detail_con",
    ".TRS_PreAppend", "#Content", "#zoomcon", "#con_text", "#BodyLabel", "#NewsContent",
)
#: Names many templates give their body: the one with the most text, or a known
#: container inside it that holds nearly all of that.
GENERIC_BODIES = (
    ".article-content", ".article_content", ".articleContent", ".bt-content", ".main-txt",
    "#content", ".news_content", ".news-content", ".newsContent", ".detail-content",
    ".detail_content", ".content_text", "#zhengwen", ".zhengwen", ".article-body", ".article",
    "#article", ".con_main", ".xxgk_content", ".wenzhang", ".zw", "#zw", "#text", ".text",
    ".content", "article",
)
BODY_SELECTORS = SPECIFIC_BODIES + GENERIC_BODIES
NOT_BODY = re.compile(
    r"share|fenxiang|bdshare|jiathis|qrcode|qr_|erweima|ewm|print|dayin|fontsize|zihao|"
    r"changeSize|font-size|zoomfont|close|xglj|related|xgwz|div_div|m-share",
    re.I,
)
LEAD_NOISE = re.compile(
    r"^(?:(?:发布|来源|作者|信息来源|文章来源|编辑|责任编辑|浏览|阅读|点击|访问|字号|字体|"
    r"时间|日期|发布日期|发布时间|分享到?|打印|关闭)[:：]?|【?\s*字[号体]|\[?\s*[大中小]\s*\]|"
    r"(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}|"
    r"(?:Updated|Published|Posted|Source|By|Date|Editor|Author)\b\s*[:：]?)"
)
TAIL_NOISE = re.compile(
    r"^(?:扫一扫|【?打印|【?关闭|分享到?|相关链接|相关阅读|相关文章|附件[:：]?$|"
    r"上一篇|下一篇|【?\s*我要纠错|責任編輯|网站地图|版权所有)"
)
FONT_LINE = re.compile(r"[【\[]\s*[大中小]\s*[】\]]")


def _classes(node: Any) -> str:
    return f"{node.get('class', '')} {node.get('id', '')}"


def _file_links_only(node: Any) -> bool:
    """A block whose text is nothing but links to files (an attachment list)."""
    links = [a for a in node.iter("a") if FILE_EXT.search((a.get("href") or "").split("?")[0])]
    if not links:
        return False
    text = squash(visible_text(node))
    linked = "".join(squash(visible_text(a)) for a in links)
    rest = text
    for a in links:
        rest = rest.replace(squash(visible_text(a)), "")
    rest = re.sub(r"[\s:：、.\d附件下载相关（）()]", "", rest)
    return bool(linked) and len(rest) <= 2


def body_text(element: Any) -> str:
    """The element's text, one block per line, without controls and attachment lists."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in SKIP_TAGS or (tag and node is not element and NOT_BODY.search(_classes(node))):
            if node.tail:
                parts.append(node.tail)
            return
        if tag in ("p", "div", "li", "tr", "td", "span") and node is not element and (
            _file_links_only(node)
        ):
            if node.tail:
                parts.append(node.tail)
            return
        block = tag in BLOCK_TAGS
        if block:
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail and node is not element:
            parts.append(node.tail)

    walk(element)
    return clean_lines("".join(parts).split("\n"))


def _link_text(element: Any) -> int:
    return sum(len(squash(visible_text(a))) for a in element.iter("a"))


def _parse(css: str) -> tuple[str, str, str]:
    """(tag, id, class) of a simple selector: ``#id``, ``.class``, ``tag.class``, ``tag``."""
    if "#" in css:
        tag, _, name = css.partition("#")
        return tag, name, ""
    tag, _, name = css.partition(".")
    return tag, "", name


def _matches(root: Any, selectors: tuple[str, ...]) -> list[tuple[Any, str]]:
    """(element, selector) for each element one of the simple `selectors` matches, in
    one pass over the tree (a CSS union over a large page is ten times slower)."""
    rules = [(_parse(css), css) for css in selectors]
    by_id = {ident: css for (_t, ident, _c), css in rules if ident}
    by_class = {cls: (tag, css) for (tag, ident, cls), css in rules if cls and not ident}
    by_tag = {tag: css for (tag, ident, cls), css in rules if tag and not ident and not cls}
    found = []
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        css = by_id.get(node.get("id") or "") or by_tag.get(node.tag)
        if css is None and node.get("class"):
            for name in node.get("class").split():
                rule = by_class.get(name)
                if rule and (not rule[0] or rule[0] == node.tag):
                    css = rule[1]
                    break
        if css is not None:
            found.append((node, css))
    return found


def _best(
    root: Any, selectors: tuple[str, ...], skip: Any = None
) -> tuple[float, Any, str] | None:
    """The match of `selectors` with the most text outside links."""
    best: tuple[float, Any, str] | None = None
    for node, css in _matches(root, selectors):
        if node is skip:
            continue
        text = len(squash(visible_text(node)))
        links = _link_text(node)
        if text < 40 or links > 0.35 * text:
            continue
        score = float(text - 2 * links)
        if best is None or score > best[0] * 1.05:
            best = (score, node, css)
    return best


def body_element(root: Any) -> tuple[Any, str] | None:
    """The page's body container and the selector that found it."""
    specific = _best(root, SPECIFIC_BODIES)
    if specific is not None:
        return specific[1], specific[2]
    best = _best(root, GENERIC_BODIES)
    if best is None:
        return None
    score, node, css = best
    # a container inside the winner that holds nearly all of its text
    inner = _best(node, GENERIC_BODIES, skip=node)
    if inner is not None and inner[0] >= 0.7 * score:
        return inner[1], inner[2]
    return node, css


def clean_body(text: str, title: str | None) -> str:
    """Drop the title, date/source and font-size lines above the text, and the
    print/close/share/QR lines below it."""
    lines = text.split("\n")
    key = "".join((title or "").split())
    start = 0
    for index, line in enumerate(lines[:8]):
        flat = "".join(line.split())
        if (key and (flat == key or (len(flat) >= 6 and flat in key))) or (
            LEAD_NOISE.match(line.strip()) and len(flat) < 80
        ) or FONT_LINE.search(line):
            start = index + 1
        else:
            break
    end = len(lines)
    while end > start and TAIL_NOISE.match(lines[end - 1].strip()):
        end -= 1
    return "\n".join(lines[start:end])


def main_text(root: Any, html: str, url: str, title: str | None) -> tuple[str, str | None]:
    """(main text, the body selector used or None when trafilatura found it)."""
    found = body_element(root)
    if found is not None:
        element, css = found
        text = clean_body(body_text(element), title)
        if len(text) >= 20:
            return text, css
    from crawlers.text import main_text_auto

    return clean_body(main_text_auto(html, url), title), None
