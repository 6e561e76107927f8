"""Recognising challenges (crawlers.challenges): what switches `render: auto` to the browser."""

from __future__ import annotations

import pytest

from crawlers.challenges import Challenge, detect

JSL_STAGE_ONE = (
    "<script>document.cookie=('_')+('_')+('jsl_clearance_s=')+('17180')+('00000.1')"
    "+('23|0|abc')+(';max-age=3600;path=/');location.href=location.pathname+location.search"
    "</script>"
)
JSL_STAGE_TWO = (
    '<script>function go(o){};go({"bts":["1718000000.123|-1|","xyz%3D"],"chars":"abc",'
    '"ct":"00ff","ha":"sha256","tn":"__jsl_clearance_s","vt":"3600","wt":"1500"})</script>'
)
RIVERS = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    '<meta id="abc" r="m" content="Zx9q…"><script type="text/javascript" r="m">'
    '$_ts=window[\'$_ts\'];if(!$_ts)$_ts={};$_ts.nsd=58431;$_ts.cd="qEcr";</script>'
    '<script type="text/javascript" charset="utf-8" src="/4QbVtADbnLVI/c.FxJzG50F.js" r="m">'
    "</script></head><body></body></html>"
)
ARTICLE = (
    "<html><head><title>通报</title><script>var _hmt = [];</script></head><body>"
    + "<p>" + "全省公安机关持续开展专项行动，取得明显成效。" * 20 + "</p></body></html>"
)


@pytest.mark.parametrize(
    ("status", "body", "cookies", "kind", "label"),
    [
        (521, JSL_STAGE_ONE, ["__jsluid_s"], "jiasule", "(HTTP 521, Jiasule-style)"),
        (521, JSL_STAGE_TWO, [], "jiasule", "(HTTP 521, Jiasule-style)"),
        (412, RIVERS, ["FSSBBIl1UgzbN7N80S"], "rivers", "(HTTP 412, Rivers/瑞数-style)"),
        (200, RIVERS, [], "rivers", "(HTTP 200, Rivers/瑞数-style)"),
        (202, "<html><script>x()</script></html>", ["4hP44ZykCTt5S"], "rivers", "Rivers"),
        (200, "<html><body><script>location.replace('/a')</script></body></html>", [],
         "script", "a page that is only script"),
    ],
    ids=["jsl stage 1", "jsl stage 2", "rivers 412", "rivers markers", "S cookie", "script only"],
)
def test_challenges_are_recognised(
    status: int, body: str, cookies: list[str], kind: str, label: str
) -> None:
    found = detect(status, body, cookies)
    assert found is not None
    assert found.kind == kind
    assert label in found.label


def test_the_message_of_a_render_never_source_names_the_challenge_and_the_fix() -> None:
    found = detect(521, JSL_STAGE_ONE, ["__jsluid_s"])
    assert found is not None
    assert found.blocked_message() == (
        "the site answered with a JavaScript cookie challenge (HTTP 521, Jiasule-style); "
        "set `render: auto` for this source"
    )


@pytest.mark.parametrize(
    ("status", "body", "cookies"),
    [
        (200, ARTICLE, ["__jsluid_s"]),  # 加速乐 sets the cookie on real pages too
        (200, ARTICLE.replace("<body>", "<body><!-- __jsluid_s -->"), []),
        (412, "<html><body>Precondition Failed</body></html>", []),  # no script: no challenge
        (304, "", ["__jsluid_s"]),
        (200, "<html><body><p>短</p></body></html>", ["SESSIONS"]),  # no script
    ],
    ids=["cookie on a real page", "marker in a real page", "plain 412", "304", "no script"],
)
def test_ordinary_answers_are_no_challenge(status: int, body: str, cookies: list[str]) -> None:
    assert detect(status, body, cookies) is None


def test_a_label_for_each_family() -> None:
    assert Challenge("aliyun", 200, "").label.endswith("Alibaba Cloud WAF-style)")
    assert Challenge("script", 200, "").label == "a page that is only script (HTTP 200)"
