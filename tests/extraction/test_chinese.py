"""Chinese figures: counters, nouns, verbs, qualifiers, units, enumerations."""

from __future__ import annotations

import pytest

from extraction import extract_figures
from extraction.vocabulary import ZH_NOUNS

from .helpers import Row, rows

CASES: list[tuple[str, list[Row]]] = [
    # verb + noun + number + counter -> metric
    ("全省累计侦办跨境赌博案件336起。", [(336, "case", "exact", "cases_investigated")]),
    ("立案侦查电信网络诈骗案件1200起。", [(1200, "case", "exact", "cases_filed")]),
    ("专案组抓获犯罪嫌疑人18名。", [(18, "person", "exact", "suspects_detained")]),
    ("依法逮捕犯罪嫌疑人56人。", [(56, "person", "exact", "suspects_arrested")]),
    ("采取刑事强制措施1578人。", [(1578, "person", "exact", "suspects_detained")]),
    ("抓获网上逃犯1531名。", [(1531, "person", "exact", "fugitives_captured")]),
    ("打掉涉案团伙261个。", [(261, "group", "exact", "gangs_dismantled")]),
    ("打掉实体赌场和网络平台55个。", [(55, "platform", "exact", "platforms_dismantled")]),
    ("捣毁制毒窝点9个。", [(9, "den", "exact", "dens_dismantled")]),
    ("封堵境外涉赌网站13.3万个。", [(133000, "website", "exact", "websites_blocked")]),
    ("注销和关闭违法违规网站共计430个。", [(430, "website", "exact", "websites_handled")]),
    ("处置涉诈域名网址603.6万个。", [(6036000, "website", "exact", "websites_handled")]),
    ("梳理出有关人员近13.6万人。", [(136000, "person", "nearly", "persons_identified")]),
    ("查处参赌人员1.15万人。", [(11500, "person", "exact", "gamblers_punished")]),
    ("见面劝阻群众1389万人次。", [(13890000, "person_time", "exact", "people_dissuaded")]),
    ("缅北地区移交电诈犯罪嫌疑人3.1万名。", [(31000, "person", "exact", "suspects_handed_over")]),
    # money
    ("查扣、冻结涉案资金约27亿元。", [(2700000000, "CNY", "about", "funds_seized_frozen")]),
    ("涉案流水资金达300亿。", [(30000000000, "CNY", "exact", "funds_involved")]),
    ("冻结违法犯罪资金2.1亿余元。", [(210000000, "CNY", "more_than", "funds_seized_frozen")]),
    ("涉案金额3000余万元。", [(30000000, "CNY", "more_than", "funds_involved")]),
    ("紧急止付涉案资金3288亿元。", [(328800000000, "CNY", "exact", "funds_seized_frozen")]),
    ("为群众挽回经济损失1.2亿元。", [(120000000, "CNY", "exact", "funds_recovered")]),
    ("涉案金额1.58万亿元。", [(1580000000000, "CNY", "exact", "funds_involved")]),
    # messages, calls, times
    ("拦截诈骗电话27.5亿次、短信22.8亿条。", [
        (2750000000, "time", "exact", "calls_blocked"),
        (2280000000, "message", "exact", "messages_blocked"),
    ]),
    # mass, normalized to kg
    ("缴获冰毒12.5公斤。", [(12.5, "kg", "exact", "drugs_seized")]),
    ("缴获海洛因500克。", [(0.5, "kg", "exact", "drugs_seized")]),
    ("查获走私冻品7.2万吨。", [(72000000, "kg", "exact", "items_seized")]),
    # percentages
    ("排查覆盖率达100%。", [(100, "percent", "exact", "other")]),
    ("发案数同比下降百分之三十。", [(30, "percent", "exact", "cases_reported")]),
    # Chinese numerals and full-width digits
    ("抓获犯罪嫌疑人三百二十一名。", [(321, "person", "exact", "suspects_detained")]),
    ("破获案件两千零五起。", [(2005, "case", "exact", "cases_investigated")]),
    ("抓获犯罪嫌疑人十五名。", [(15, "person", "exact", "suspects_detained")]),
    ("抓获犯罪嫌疑人１８名。", [(18, "person", "exact", "suspects_detained")]),
    ("查获涉案资金一万二千元。", [(12000, "CNY", "exact", "funds_seized_frozen")]),
    # counters and the nouns that refine them
    ("扣押手机35部、电脑12台。", [
        (35, "phone", "exact", "items_seized"),
        (12, "computer", "exact", "items_seized"),
    ]),
    ("查获涉毒车辆47辆。", [(47, "vehicle", "exact", "items_seized")]),
    ("缴获枪支12支、子弹500发。", [
        (12, "firearm", "exact", "items_seized"),
        (500, "round", "exact", "items_seized"),
    ]),
    ("核查可疑线索1200条。", [(1200, "clue", "exact", "leads_handled")]),
    ("发现不良信息链接2627个。", [(2627, "link", "exact", "websites_handled")]),
    ("对158.3万户存量单位银行账户、187.9万个存量特约商户进行了排查。", [
        (1583000, "account", "exact", "accounts_screened"),
        (1879000, "merchant", "exact", "accounts_screened"),
    ]),
    ("21家中央和省内主流媒体参加发布会。", [(21, "organization", "exact", "other")]),
    # the governing verb carried over an enumeration
    ("全省侦办案件336起，其中部督案件14起、省督案件29起。", [
        (336, "case", "exact", "cases_investigated"),
        (14, "case", "exact", "cases_investigated"),
        (29, "case", "exact", "cases_investigated"),
    ]),
    ("当场收缴扣押涉案资金350万元，作案银行卡400张。", [
        (3500000, "CNY", "exact", "funds_seized_frozen"),
        (400, "card", "exact", "items_seized"),
    ]),
    ("打掉团伙261个，采取刑事强制措施1578人；打掉平台55个。", [
        (261, "group", "exact", "gangs_dismantled"),
        (1578, "person", "exact", "suspects_detained"),
        (55, "platform", "exact", "platforms_dismantled"),
    ]),
    # but a noun that names its own measure beats the carried verb
    ("查获团伙成员200余人，涉案流水资金达300亿。", [
        (200, "person", "more_than", "suspects_detained"),
        (30000000000, "CNY", "exact", "funds_involved"),
    ]),
    # each clause's own verb wins over the enumeration's
    ("共抓获违法犯罪嫌疑人3456名，其中刑事拘留1234人，逮捕567人。", [
        (3456, "person", "exact", "suspects_detained"),
        (1234, "person", "exact", "suspects_detained"),
        (567, "person", "exact", "suspects_arrested"),
    ]),
    # a clause with a verb of its own does not take the enumeration's verb
    ("见面劝阻1389万人次，避免2.4亿人次群众受骗。", [
        (13890000, "person_time", "exact", "people_dissuaded"),
        (240000000, "person_time", "exact", "other"),
    ]),
    # a currency conversion restates the amount before it
    ("冻结资金3.8亿元（约合5300万美元）。", [(380000000, "CNY", "exact", "funds_seized_frozen")]),
    ("同比下降12.3个百分点。", [(12.3, "percentage_point", "exact", "other")]),
    # a space between Chinese phrases ends a clause (titles)
    ("破获特大跨国贩毒案 缴获毒品1.2吨", [(1200, "kg", "exact", "drugs_seized")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:12] for c in CASES])
def test_chinese_figures(text: str, expected: list[Row]) -> None:
    assert rows(text) == expected


QUALIFIERS = [
    ("抓获犯罪嫌疑人约100人。", 100, "about"),
    ("抓获犯罪嫌疑人100人左右。", 100, "about"),
    ("抓获犯罪嫌疑人大约100名。", 100, "about"),
    ("抓获犯罪嫌疑人近万人。", 10000, "nearly"),
    ("抓获犯罪嫌疑人将近300名。", 300, "nearly"),
    ("破获案件超过500起。", 500, "more_than"),
    ("抓获犯罪嫌疑人逾千人。", 1000, "more_than"),
    ("抓获犯罪嫌疑人200余人。", 200, "more_than"),
    ("抓获犯罪嫌疑人十多人。", 10, "more_than"),
    ("抓获犯罪嫌疑人万余人。", 10000, "more_than"),
    ("抓获犯罪嫌疑人1000人以上。", 1000, "more_than"),
    ("涉案资金3000余万元。", 30000000, "more_than"),
    ("涉案金额达3000余万元。", 30000000, "more_than"),
    ("抓获犯罪嫌疑人共计200余人。", 200, "more_than"),
    ("播放点击量突破100万。", 1000000, "more_than"),
    ("涉及赌资上千万元。", 10000000, "more_than"),
    ("发展赌民上百万人。", 1000000, "more_than"),
    ("抓获犯罪嫌疑人至少30人。", 30, "at_least"),
    ("抓获犯罪嫌疑人不少于50名。", 50, "at_least"),
    ("抓获犯罪嫌疑人不超过20人。", 20, "up_to"),
    ("涉及代理数百人。", 100, "vague"),
    ("涉及代理几十人。", 10, "vague"),
    # ranges count their lower bound, at least
    ("抓获犯罪嫌疑人10至20人。", 10, "at_least"),
    ("抓获犯罪嫌疑人10-20人。", 10, "at_least"),
    ("罚款3至5万元。", 30000, "at_least"),
]


@pytest.mark.parametrize(("text", "value", "qualifier"), QUALIFIERS)
def test_chinese_qualifiers(text: str, value: int, qualifier: str) -> None:
    [(got_value, _, got_qualifier, _)] = rows(text)
    assert (got_value, got_qualifier) == (value, qualifier)


def test_nouns_hold_no_clause_mark() -> None:
    """The finder reads nouns clause by clause (extraction/chinese.py): that finds what a
    whole-sentence search finds only while no noun holds a clause or sentence mark."""
    marks = set("。！？!?.；;：:,，")
    assert not [w for w in ZH_NOUNS if marks & set(w) or any(c.isspace() for c in w)]


def test_nouns_of_an_enumeration_read_clause_by_clause() -> None:
    text = "冻结涉案资金约27亿元，查扣涉案车辆12辆，抓获犯罪嫌疑人18名。"
    assert [(f.value, f.unit) for f in extract_figures(text)] == [
        (2700000000, "CNY"), (12, "vehicle"), (18, "person"),
    ]  # fmt: skip
