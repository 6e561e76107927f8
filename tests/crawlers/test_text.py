from __future__ import annotations

from crawlers.text import (
    content_hash,
    html_fragments_text,
    main_text_auto,
    normalize_for_hash,
)

ARTICLE = """<html><head><title>公安机关通报 - 某省公安厅</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/jwzx/">警务资讯</a>
<a href="/gk/">政务公开</a></div>
<div class="sidebar"><h3>相关新闻</h3><ul><li><a href="/a">另一条新闻标题</a></li></ul></div>
<div class="article"><h1>全省公安机关打击跨境赌博取得阶段性成效</h1>
<p>据统计，全省累计侦办跨境赌博案件336起，打掉涉案团伙261个，采取刑事强制措施1578人。</p>
<p>查扣、冻结涉案资金约27亿元，有力震慑了境外赌博集团。朱镕基同志曾指出要依法严厉打击。</p>
<p>下一步，全省公安机关将持续保持严打高压态势，坚决遏制跨境赌博违法犯罪活动。</p>
</div>
<div class="footer">版权所有：某省公安厅 京ICP备12345678号 地址：某市某路1号</div>
</body></html>"""


def test_hash_ignores_whitespace_and_width() -> None:
    a = "全省侦办案件３３６起，\n  打掉团伙261个"
    b = "全省侦办案件336起,  打掉团伙261个"
    assert normalize_for_hash(a) == normalize_for_hash(b)
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash(a + "。")


def test_gbk_and_utf8_bytes_of_one_text_hash_the_same() -> None:
    text = "朱镕基同志指出，全省侦办跨境赌博案件336起。"
    assert "镕".encode("gb18030") != "镕".encode()
    from_gbk = text.encode("gb18030").decode("gb18030")
    from_utf8 = text.encode("utf-8").decode("utf-8")
    assert content_hash(from_gbk) == content_hash(from_utf8)


def test_selector_text_keeps_paragraphs_and_drops_scripts() -> None:
    html = (
        '<div class="TRS_Editor"><p>第一段。</p><script>var x=1;</script>'
        "<p>第二段 <b>加粗</b>。</p></div>"
    )
    assert html_fragments_text([html]) == "第一段。\n第二段 加粗。"


def test_longest_of_repeated_body_divs_wins() -> None:
    short = '<div class="TRS_Editor"><p>摘要</p></div>'
    long = '<div class="TRS_Editor"><p>正文很长的一段文字，包含案件数字。</p></div>'
    assert html_fragments_text([long, short]) == "正文很长的一段文字，包含案件数字。"


def test_main_text_found_without_a_selector_leaves_out_nav_and_footer() -> None:
    text = main_text_auto(ARTICLE)
    assert "侦办跨境赌博案件336起" in text
    assert "冻结涉案资金约27亿元" in text
    assert "首页" not in text
    assert "ICP备" not in text
    assert "另一条新闻标题" not in text
