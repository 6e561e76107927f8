"""Each chat format's body against the platform's documented incoming-webhook schema."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from alerts.formats import FORMATS, render, summarize
from alerts.payloads import sample_payload

FIGURES_PAYLOAD: dict[str, Any] = {
    "type": "bulletin.figures",
    "timestamp": "2024-05-02T08:00:00Z",
    "data": {
        "kind": "new",
        "document": {
            "id": 7,
            "source": "jx-gat",
            "title": "江西公安打击跨境赌博 <战果> & 通报",
            "url": "https://example.gov.cn/news/7.html",
            "published_at": "2024-05-02T00:00:00Z",
            "language": "zh",
            "topic": "gambling",
        },
        "figures": [
            {
                "id": 1,
                "text": "冻结涉案资金约27亿元",
                "start": 312,
                "end": 323,
                "value": 2700000000,
                "unit": "CNY",
                "qualifier": "about",
                "metric": "funds_seized_frozen",
                "topic": "gambling",
            }
        ],
        "previous": [
            {
                "metric": "funds_seized_frozen",
                "value": 1500000000,
                "unit": "CNY",
                "qualifier": "exact",
                "text": "冻结资金15亿元",
                "document_id": 3,
                "title": "上月通报",
                "url": "https://example.gov.cn/news/3.html",
                "published_at": "2024-04-01T00:00:00Z",
            }
        ],
        "revision_of": None,
        "changes": None,
    },
}

REVISED = json.loads(json.dumps(FIGURES_PAYLOAD))
REVISED["data"]["kind"] = "revised"
REVISED["data"]["changes"] = [
    {
        "change": "changed",
        "metric": "funds_seized_frozen",
        "unit": "CNY",
        "old": {**FIGURES_PAYLOAD["data"]["figures"][0], "value": 2600000000},
        "new": FIGURES_PAYLOAD["data"]["figures"][0],
    }
]
EVENT = {
    "type": "source.health",
    "timestamp": "2024-05-02T08:00:00Z",
    "data": {"source": "jx-gat", "healthy": False, "reason": "3 failed crawls in a row"},
}
PAYLOADS = [FIGURES_PAYLOAD, REVISED, EVENT, sample_payload("x", datetime(2024, 5, 2, tzinfo=UTC))]


def _texts(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False)


def test_every_format_is_documented() -> None:
    for renderer in FORMATS.values():
        assert renderer.__doc__ and len(renderer.__doc__) > 20


@pytest.mark.parametrize("payload", PAYLOADS)
def test_slack_blocks(payload: dict[str, Any]) -> None:
    body = render("slack", payload)
    assert isinstance(body["text"], str) and body["text"]
    blocks = body["blocks"]
    assert isinstance(blocks, list) and 1 <= len(blocks) <= 50
    header = blocks[0]
    assert header["type"] == "header"
    assert header["text"]["type"] == "plain_text" and len(header["text"]["text"]) <= 150
    section = blocks[1]
    assert section["type"] == "section" and section["text"]["type"] == "mrkdwn"
    assert isinstance(section["text"]["text"], str) and len(section["text"]["text"]) <= 3000
    for block in blocks[2:]:
        assert block["type"] == "context"
        assert all(e["type"] in ("mrkdwn", "plain_text") for e in block["elements"])


def test_slack_escapes_and_links() -> None:
    body = render("slack", FIGURES_PAYLOAD)
    context = body["blocks"][2]["elements"][0]["text"]
    assert "<https://example.gov.cn/news/7.html|Open the release>" in context
    section = body["blocks"][1]["text"]["text"]
    assert "about 2,700,000,000 CNY" in section and "previously 1,500,000,000 CNY" in section
    header = body["blocks"][0]["text"]["text"]
    assert header.startswith("江西公安打击跨境赌博 <战果> & 通报")  # plain_text: no escaping


@pytest.mark.parametrize("payload", PAYLOADS)
def test_dingtalk_markdown(payload: dict[str, Any]) -> None:
    body = render("dingtalk", payload)
    assert set(body) == {"msgtype", "markdown"}
    assert body["msgtype"] == "markdown"
    assert set(body["markdown"]) == {"title", "text"}
    assert all(isinstance(v, str) and v for v in body["markdown"].values())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_feishu_card(payload: dict[str, Any]) -> None:
    body = render("feishu", payload)
    assert body["msg_type"] == "interactive"
    card = body["card"]
    title = card["header"]["title"]
    assert title["tag"] == "plain_text" and isinstance(title["content"], str)
    assert isinstance(card["elements"], list) and card["elements"]
    div = card["elements"][0]
    assert div["tag"] == "div" and div["text"]["tag"] == "lark_md"
    assert isinstance(div["text"]["content"], str)
    for element in card["elements"][1:]:
        assert element["tag"] in ("note", "action", "hr")
        if element["tag"] == "action":
            button = element["actions"][0]
            assert button["tag"] == "button" and button["text"]["tag"] == "plain_text"
            assert button["url"].startswith("https://")
    assert len(json.dumps(body, ensure_ascii=False).encode()) < 30_000


@pytest.mark.parametrize("payload", PAYLOADS)
def test_wecom_markdown(payload: dict[str, Any]) -> None:
    body = render("wecom", payload)
    assert body == {"msgtype": "markdown", "markdown": {"content": body["markdown"]["content"]}}
    assert isinstance(body["markdown"]["content"], str)
    assert len(body["markdown"]["content"].encode()) <= 4096


def test_wecom_truncates_long_messages_by_bytes() -> None:
    payload = json.loads(json.dumps(FIGURES_PAYLOAD))
    payload["data"]["figures"] = [
        {**payload["data"]["figures"][0], "text": "冻结涉案资金" * 60, "metric": f"m{i}"}
        for i in range(40)
    ]
    content = render("wecom", payload)["markdown"]["content"]
    assert len(content.encode()) <= 4096
    content.encode().decode()  # still valid UTF-8


def test_revised_release_shows_old_and_new_values() -> None:
    msg = summarize(REVISED)
    assert msg.title.startswith("Revised: ")
    assert any("2,600,000,000 → 2,700,000,000 CNY" in line for line in msg.lines)


def test_events_render_their_fields() -> None:
    msg = summarize(EVENT)
    assert msg.title == "source.health"
    assert "reason: 3 failed crawls in a row" in msg.lines


def test_standard_format_is_the_payload() -> None:
    assert render("standard", FIGURES_PAYLOAD) == FIGURES_PAYLOAD
    assert _texts(render("standard", FIGURES_PAYLOAD)) == _texts(FIGURES_PAYLOAD)
