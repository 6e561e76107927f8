"""Article pages in the templates of Chinese government CMSs, with their true parts.

Each has what real article pages carry around the text: site header and navigation,
breadcrumb, a title (sometimes also in ``meta ArticleTitle``, sometimes only in
``<title>`` with the site's name after it), a date/source line with its label, font
size and print/share controls, the body, an attachment list, a QR-code box,
"related" links and a footer with other sites' links.
"""

from __future__ import annotations

from dataclasses import dataclass

PARAGRAPHS = (
    "近日，全省公安机关集中开展打击电信网络诈骗犯罪专项行动，共破获案件1286起，抓获犯罪嫌疑人2043名，"
    "冻结涉案资金约3.6亿元，有力维护了人民群众财产安全。",
    "行动中，各地公安机关坚持打防管控一体推进，会同通信管理、金融监管等部门，深入开展源头治理，"
    "累计劝阻潜在受害群众4.2万人次，紧急止付涉诈资金1.1亿元。",
    "省公安厅有关负责人表示，下一步将持续保持高压严打态势，进一步完善预警劝阻机制，"
    "切实提升人民群众的获得感、幸福感、安全感。",
)
EN_PARAGRAPHS = (
    "Police across the country solved 12,860 telecom fraud cases in the first half of the year and "
    "detained 20,430 suspects, the Ministry of Public Security said on Tuesday.",
    "Anti-fraud centers intercepted 3.6 billion yuan and warned 42,000 people who were about to "
    "transfer money to fraudsters, according to the ministry.",
    "The ministry said it would keep up the pressure on fraud rings and step up international "
    "cooperation to pursue suspects hiding abroad.",
)
TITLE = "全省公安机关打击电信网络诈骗犯罪专项行动取得显著成效"
EN_TITLE = "Police solve over 12,000 telecom fraud cases in six months"


@dataclass
class ArticleCase:
    name: str
    url: str
    html: str
    title: str
    date: str  # YYYY-MM-DD
    body_starts: str
    body_ends: str


HEAD = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{meta}</head>
<body><div class="top"><div class="logo"><h1><a href="/">某省公安厅</a></h1></div>
<div class="date">今天是2026年09月03日 星期四</div></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/jwzx/">警务资讯</a></li>
<li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/jwzx/">警务资讯</a></div>
"""
FOOT = """<div class="xglj"><h3>相关链接</h3><ul><li><a href="/jwzx/202608/t20260801_1.html">
警方提示：谨防冒充公检法诈骗</a></li><li><a href="/jwzx/202607/t20260720_2.html">
全省公安机关召开视频会议</a></li></ul></div>
<div class="footer"><ul><li><a href="http://www.mps.gov.cn/">公安部</a></li>
<li><a href="http://www.gov.cn/">中国政府网</a></li></ul>
<p>版权所有：某省公安厅 网站标识码：0000000001 ICP备05000001号</p></div></body></html>"""


def paragraphs(tag: str = "p", indent: str = "　　") -> str:
    return "".join(f"<{tag}>{indent}{p}</{tag}>" for p in PARAGRAPHS)


def cases() -> list[ArticleCase]:
    start, end = "近日，全省公安机关集中开展", "切实提升人民群众的获得感、幸福感、安全感。"
    out = [
        ArticleCase(
            "trs_meta_and_label",
            "https://gat.example.gov.cn/jwzx/jwdt/202608/t20260828_4512345.html",
            HEAD.format(title=f"{TITLE}_某省公安厅", meta=(
                f'<meta name="ArticleTitle" content="{TITLE}">'
                '<meta name="PubDate" content="2026-08-28 16:05">'))
            + f'<div class="article"><h2 class="title">{TITLE}</h2><div class="info">'
            "<span>发布时间：2026-08-28 16:05</span><span>来源：省公安厅</span>"
            '<span class="zihao">字号：[<a>大</a>][<a>中</a>][<a>小</a>]</span></div>'
            f'<div class="TRS_Editor"><style>.TRS_Editor P{{line-height:2}}</style>{paragraphs()}'
            '</div><div class="fj"><p>附件：<a href="/uploads/a.pdf">1.汇总表.pdf</a></p></div>'
            '<div class="print">【<a href="javascript:window.print()">打印本页</a>】'
            '【<a href="javascript:window.close()">关闭窗口</a>】</div></div>' + FOOT,
            TITLE, "2026-08-28", start, end,
        ),
        ArticleCase(
            "gansu_generation_stamp",
            "https://gat.gansu.gov.cn/gat/c106200/202508/174512345.shtml",
            HEAD.format(title=TITLE, meta=(
                f'<meta name="ArticleTitle" content="{TITLE}">'
                '<meta name="PubDate" content="2026-09-02 09:36:38">'
                '<meta name="others" content="页面生成时间 2026-09-02 09:36:38">'))
            + f'<div class="main"><h1>{TITLE[:12]}<br>{TITLE[12:]}</h1><div class="info zcinfos">'
            '<p>日期：2026-08-12 11:54 来源：</p><div class="m-share"><span>分享：</span></div>'
            '<p class="changeSize" id="changeSize">字号：[<span>大</span>][<span>中</span>]'
            '[<span>小</span>]</p></div><div class="detailContent" id="detailContent">'
            f'{paragraphs()}<p><img src="x.gif"><a href="files/b.pdf">《附件名称》</a></p>'
            '<div id="div_div"><div id="qr_container">扫一扫在手机打开当前页</div></div>'
            "</div></div>"
            + FOOT,
            TITLE, "2026-08-12", start, end,
        ),
        ArticleCase(
            "f1_mps_meta_line",
            "https://www.mps.gov.cn/n2253534/n2253535/c10578351/content.html",
            HEAD.format(title=f"{TITLE}-中华人民共和国公安部", meta="")
            + f'<div class="bTitle w915"><p>{TITLE}</p></div>'
            '<div class="arcTool relative">来源：公安部网站　2026年08月10日　【字号：<a>大</a> '
            '<a>中</a> <a>小</a>】　<a href="javascript:window.print()">打印本页</a></div>'
            f'<div class="wordContent w915"><div id="ztdx">{paragraphs()}</div></div>' + FOOT,
            TITLE, "2026-08-10", start, end,
        ),
        ArticleCase(
            "hanweb_zoom_no_meta",
            "https://gat.jiangsu.gov.cn/art/2026/8/12/art_6372_11821965.html",
            HEAD.format(title=f"{TITLE} - 江苏省公安厅", meta="")
            + f'<div class="con"><p class="con-title">{TITLE}</p><div class="small-title">'
            "<span>发布日期：2026-08-12</span><span>浏览次数：123</span><span>信息来源：省公安厅</span>"
            f'</div><div class="main-txt" id="zoom">{paragraphs()}</div>'
            '<div class="main-word"><span class="printer">打印</span>'
            '<span class="close">关闭</span>'
            "</div></div>" + FOOT,
            TITLE, "2026-08-12", start, end,
        ),
        ArticleCase(
            "jiangxi_publishtime",
            "https://gat.jiangxi.gov.cn/jxsgat/col/col14590/content/content_2098331399481798656.html",
            HEAD.format(title=f"{TITLE}_江西省公安厅", meta="")
            + "<publishtime>2026-08-28 16:28:00</publishtime>"
            + f"<div class='article-title'>{TITLE}</div>"
            f'<div class="article-content">{paragraphs()}</div>' + FOOT,
            TITLE, "2026-08-28", start, end,
        ),
        ArticleCase(
            "gdga_two_editors",
            "https://gdga.gd.gov.cn/jwzx/jwyw/content/post_4512345.html",
            HEAD.format(title=f"{TITLE} - 广东省公安厅网站", meta="")
            + f'<div class="top"><h2>{TITLE}</h2></div><div class="info">时间 : 2026-08-20 10:30'
            '</div><div class="TRS_Editor"><p>相关稿件</p></div>'
            f'<div class="zw"><div class="TRS_Editor">{paragraphs()}</div></div>' + FOOT,
            TITLE, "2026-08-20", start, end,
        ),
        ArticleCase(
            "govcn_firstpublished",
            "https://www.gov.cn/lianbo/bumen/202608/content_7012345.htm",
            HEAD.format(title=f"{TITLE}_部门政务_中国政府网", meta=(
                '<meta name="firstpublishedtime" content="2026-08-21-18:30:00">'))
            + f'<div class="article"><h1 id="ti">{TITLE}</h1><div class="pages-date">'
            '2026-08-21 18:30　来源：公安部网站　<span class="font">【字体：<a>大</a> <a>中</a> '
            f'<a>小</a>】</span></div><div id="UCAP-CONTENT" class="pages_content">{paragraphs()}'
            '</div><div class="share">分享到：<a>微信</a><a>微博</a></div></div>' + FOOT,
            TITLE, "2026-08-21", start, end,
        ),
        ArticleCase(
            "plain_divs_trafilatura",
            "https://gaj.example.gov.cn/news/20260815/8f3a2b1c.html",
            HEAD.format(title=f"{TITLE}|某市公安局", meta="")
            + f'<div class="wrap"><div class="lft"><div class="hd"><h3>{TITLE}</h3>'
            '<div class="sub">作者：宣传处　　发布于：2026年08月15日 09:20</div></div>'
            f'<div class="bd">{paragraphs("div", "")}</div></div><div class="rgt"><ul>'
            '<li><a href="/news/20260801/1.html">警方提示：暑期安全</a></li></ul></div></div>'
            + FOOT,
            TITLE, "2026-08-15", start, end,
        ),
        ArticleCase(
            "english_chinadaily",
            "https://english.example.gov.cn/a/202608/19/WS66c2a1b2a31060630b9212d1.html",
            '<!DOCTYPE html><html><head><meta charset="utf-8">'
            f"<title>{EN_TITLE} - Ministry (Example)</title>"
            f'<meta property="og:title" content="{EN_TITLE}"></head><body>'
            '<div class="nav"><a href="/">Home</a> <a href="/news/">News</a></div>'
            f'<div class="lft_art"><h1>{EN_TITLE}</h1><div class="info"><span class="info_l">'
            "By Staff Writer | Updated: 2026-08-19 07:32</span></div><div id=\"Content\">"
            + "".join(f"<p>{p}</p>" for p in EN_PARAGRAPHS)
            + '</div></div><div class="footer"><p>Copyright Example. All rights reserved.</p></div>'
            "</body></html>",
            EN_TITLE, "2026-08-19", "Police across the country solved",
            "cooperation to pursue suspects hiding abroad.",
        ),
    ]
    return out
