"""The human form of `sources check`: one block per source and a tally."""

from __future__ import annotations

from collections.abc import Sequence

from crawlers.check.results import LABELS, PageCheck, SourceCheck

__all__ = ["summary_lines"]


def summary_lines(results: Sequence[SourceCheck]) -> list[str]:
    lines: list[str] = []
    width = max((len(r.source_id) for r in results), default=10)
    for r in results:
        browser = f"  [needs the browser: {r.browser_reason or 'render: always'}]"
        browser = browser if r.needs_browser else ""
        code = f"[{r.code}] " if r.code else ""
        lines.append(
            f"{r.source_id:<{width}}  {LABELS[r.verdict]:<23}  {code}{r.reason}{browser}"
        )
        for page in r.listing:
            lines.append(f"  listing  {_page_line(page)}")
        lines.extend(_detection_lines(r))
        if r.first_link:
            first = " | ".join(x for x in (r.first_title, r.first_date) if x)
            lines.append(f"           {r.items} item(s); first: {first or '(no title)'}")
            lines.append(f"           {r.first_link}")
        if r.article:
            lines.append(f"  article  {_page_line(r.article)}")
            if r.article_title or r.body_chars:
                date = r.article_date or "no date"
                lines.append(
                    f"           title: {r.article_title or '(none)'} | {date} | "
                    f"body {r.body_chars} chars"
                )
    counts: dict[str, int] = {}
    for r in results:
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
    tally = ", ".join(f"{n} {LABELS[v]}" for v, n in counts.items())
    lines.append(f"{len(results)} source(s) checked: {tally}")
    return lines


def _detection_lines(r: SourceCheck) -> list[str]:
    found = r.detection
    if found is None:
        return [f"           {r.detection_error}"] if r.detection_error else []
    lines = [f"           {found.line()}"]
    if found.warning:
        lines.append(f"           warning: {found.warning}")
    if found.column_url:
        lines.append(
            f"           column: {found.column_heading} is {found.column_url} "
            "(start the source there)"
        )
    return lines


def _page_line(page: PageCheck) -> str:
    parts = [page.url if page.method == "GET" else f"{page.method} {page.url}"]
    if page.status is not None:
        parts.append(f"HTTP {page.status}")
    if page.encoding:
        parts.append(page.encoding)
    if page.challenge:
        parts.append(f"challenge: {page.challenge}")
    if page.error:
        parts.append(page.error)
    if page.browser:
        parts.append("via the browser")
    parts.append(f"{page.seconds:.1f} s")
    return "  ".join(parts)
