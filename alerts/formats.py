"""Message formats: the standard payload as each platform's incoming-webhook message.

Chat formats are rendered at send time from the stored standard payload, in
two steps: `summarize` reads the payload into a `Message` (a title, bullet
lines, a link, a footer), and one renderer per platform writes that message in
the platform's schema:

- ``standard``: the Standard Webhooks payload itself.
- ``slack``: ``{"text", "blocks": [header, section (mrkdwn), context]}``
  (Slack incoming webhooks, Block Kit; header ≤ 150 chars, section ≤ 3000).
- ``dingtalk``: ``{"msgtype": "markdown", "markdown": {"title", "text"}}``.
- ``feishu``: ``{"msg_type": "interactive", "card": {...}}`` (header, lark_md div,
  note, button); signing adds ``timestamp`` and ``sign`` (`alerts.outgoing`).
- ``wecom``: ``{"msgtype": "markdown", "markdown": {"content"}}`` (≤ 4096 bytes).

`FORMATS` is the registry; each renderer's docstring is its documentation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

MAX_LINES = 20
QUALIFIERS = {
    "exact": "",
    "more_than": "more than ",
    "about": "about ",
    "nearly": "nearly ",
    "at_least": "at least ",
    "up_to": "up to ",
    "vague": "roughly ",
}


@dataclass(frozen=True)
class Message:
    """What a chat message says, before any platform's markup."""

    title: str
    lines: list[str] = field(default_factory=list)
    url: str | None = None
    footer: str = ""


def format_value(value: Any) -> str:
    try:
        dec = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    if dec == dec.to_integral_value():
        return f"{int(dec):,}"
    return f"{dec:,.6f}".rstrip("0").rstrip(".")


def describe_figure(figure: Mapping[str, Any]) -> str:
    qualifier = QUALIFIERS.get(str(figure.get("qualifier") or ""), "")
    unit = figure.get("unit") or ""
    return f"{figure.get('metric')}: {qualifier}{format_value(figure.get('value'))} {unit}".rstrip()


def _one_line(text: Any) -> str:
    return " ".join(str(text or "").split())


def _figure_lines(data: Mapping[str, Any]) -> list[str]:
    previous = {p.get("metric"): p for p in data.get("previous") or ()}
    lines = []
    for fig in data.get("figures") or ():
        line = f"{_one_line(fig.get('text'))} — {describe_figure(fig)}"
        earlier = previous.get(fig.get("metric"))
        if earlier is not None:
            when = str(earlier.get("published_at") or "")[:10]
            line += f" (previously {format_value(earlier.get('value'))}"
            line += f" {earlier.get('unit') or ''}".rstrip()
            line += f", {when})" if when else ")"
        lines.append(line)
    return lines


def _change_lines(changes: list[Mapping[str, Any]]) -> list[str]:
    lines = []
    for change in changes:
        old, new = change.get("old"), change.get("new")
        if change.get("change") == "changed" and old and new:
            lines.append(
                f"changed {change.get('metric')}: {format_value(old.get('value'))} → "
                f"{format_value(new.get('value'))} {change.get('unit') or ''}".rstrip()
                + f" ({_one_line(new.get('text'))})"
            )
        elif change.get("change") == "added" and new:
            lines.append(f"added: {_one_line(new.get('text'))} — {describe_figure(new)}")
        elif old:
            lines.append(f"removed: {_one_line(old.get('text'))} — {describe_figure(old)}")
    return lines


def _cap(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    return [*lines[: MAX_LINES - 1], f"… and {len(lines) - MAX_LINES + 1} more"]


def summarize(payload: Mapping[str, Any]) -> Message:
    """Read a standard payload (any event type) into a `Message`."""
    event = str(payload.get("type") or "event")
    data: Mapping[str, Any] = payload.get("data") or {}
    document = data.get("document")
    if isinstance(document, Mapping) and "figures" in data:
        title = _one_line(document.get("title")) or "New figures"
        changes = data.get("changes")
        if event == "bulletin.test":
            title = f"[test] {title}"
            lines = [_one_line(data.get("message")), *_figure_lines(data)]
        elif changes is not None:
            title = f"Revised: {title}"
            lines = _change_lines(list(changes))
        else:
            lines = _figure_lines(data)
        footer = " · ".join(
            str(part)
            for part in (
                document.get("source"),
                str(document.get("published_at") or "")[:10],
                document.get("topic"),
            )
            if part
        )
        url = document.get("url")
        return Message(title, _cap(lines), str(url) if url else None, footer)
    lines = [
        f"{key}: {_one_line(value)}"
        for key, value in data.items()
        if isinstance(value, str | int | float | bool) or value is None
    ]
    url = data.get("url")
    return Message(event, _cap(lines), str(url) if isinstance(url, str) else None, event)


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _truncate_bytes(text: str, limit: int) -> str:
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", errors="ignore") + "…"


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_url(url: str) -> str:
    return url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")


def render_standard(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The Standard Webhooks payload as stored, signed with ``webhook-*`` headers."""
    return dict(payload)


def render_slack(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A Slack incoming-webhook message: fallback `text` and Block Kit `blocks`."""
    msg = summarize(payload)
    body = "\n".join(f"• {_slack_escape(line)}" for line in msg.lines) or "_(no details)_"
    context = _slack_escape(msg.footer)
    if msg.url:
        context = f"{context} · <{_slack_url(msg.url)}|Open the release>".lstrip(" ·")
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _truncate(msg.title, 150)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _truncate(body, 3000)}},
    ]
    if context:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": context}]})
    return {"text": _truncate(msg.title, 3000), "blocks": blocks}


def _markdown(msg: Message, *, bullet: str = "- ") -> str:
    parts = [f"### {msg.title}", ""]
    parts.extend(f"{bullet}{line}" for line in msg.lines)
    if msg.footer:
        parts += ["", f"> {msg.footer}"]
    if msg.url:
        parts += ["", f"[Open the release]({msg.url})"]
    return "\n".join(parts)


def render_dingtalk(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A DingTalk custom-robot markdown message; signing adds `timestamp`/`sign` to the URL."""
    msg = summarize(payload)
    return {
        "msgtype": "markdown",
        "markdown": {"title": _truncate(msg.title, 100), "text": _truncate(_markdown(msg), 5000)},
    }


def render_feishu(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A Feishu custom-bot interactive card; signing adds `timestamp`/`sign` to the body."""
    msg = summarize(payload)
    elements: list[dict[str, Any]] = [
        {
            "tag": "div",
            "text": {
                "tag": "lark_md",
                "content": _truncate("\n".join(f"• {line}" for line in msg.lines), 8000),
            },
        }
    ]
    if msg.footer:
        elements.append({"tag": "note", "elements": [{"tag": "plain_text", "content": msg.footer}]})
    if msg.url:
        elements.append(
            {
                "tag": "action",
                "actions": [
                    {
                        "tag": "button",
                        "text": {"tag": "plain_text", "content": "Open the release"},
                        "type": "primary",
                        "url": msg.url,
                    }
                ],
            }
        )
    return {
        "msg_type": "interactive",
        "card": {
            "config": {"wide_screen_mode": True},
            "header": {
                "template": "blue",
                "title": {"tag": "plain_text", "content": _truncate(msg.title, 200)},
            },
            "elements": elements,
        },
    }


def render_wecom(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A WeCom group-robot markdown message (content at most 4096 bytes of UTF-8)."""
    msg = summarize(payload)
    return {
        "msgtype": "markdown",
        "markdown": {"content": _truncate_bytes(_markdown(msg, bullet="· "), 4096)},
    }


Renderer = Callable[[Mapping[str, Any]], dict[str, Any]]

FORMATS: dict[str, Renderer] = {
    "standard": render_standard,
    "slack": render_slack,
    "dingtalk": render_dingtalk,
    "feishu": render_feishu,
    "wecom": render_wecom,
}


def render(fmt: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The body of `payload` in format `fmt` (one of `FORMATS`)."""
    return FORMATS[fmt](payload)
