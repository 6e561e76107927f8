"""Every form of issue 14 in running text, in both languages where it applies:
Traditional characters, shares, changes with a direction, multiples, numbers in words,
qualifiers inside numerals.  Each row: (text, [(value, unit, qualifier, metric, direction)])."""

from __future__ import annotations

import pytest

from extraction import extract_figures

Row = tuple[int | float, str, str, str, str | None]


def rows(text: str) -> list[Row]:
    out = []
    for fig in extract_figures(text):
        assert text[fig.start : fig.end] == fig.text
        d = fig.to_dict()
        out.append((d["value"], d["unit"], d["qualifier"], d["metric"], d["direction"]))
    return out


TRADITIONAL = [
    ("全國共偵破跨境賭博案件1萬餘起。", [(10000, "case", "more_than", "cases_investigated", None)]),
    ("抓獲犯罪嫌疑人2.9萬餘人。", [(29000, "person", "more_than", "suspects_detained", None)]),
    ("押解犯罪嫌疑人1700餘人回國。", [(1700, "person", "more_than", "suspects_handed_over", None)]),
    ("查獲走私成品油104.14萬噸。", [(1041400000, "kg", "exact", "items_seized", None)]),
    ("打掉犯罪團夥38個。", [(38, "group", "exact", "gangs_dismantled", None)]),
    ("繳獲各類毒品約1.7噸。", [(1700, "kg", "about", "drugs_seized", None)]),
    ("凍結將近3000個涉賭帳戶。", [(3000, "account", "nearly", "accounts_handled", None)]),
    ("勸返出境參賭人員數百人。", [(100, "person", "vague", "people_dissuaded", None)]),
    ("拘捕兩名男子。", [(2, "person", "exact", "suspects_arrested", None)]),
    ("凍結涉案資金逾百億元。", [(10000000000, "CNY", "more_than", "funds_seized_frozen", None)]),
    ("受理詐騙案件1萬2,345件。", [(12345, "case", "exact", "cases_reported", None)]),
    ("財產損失新臺幣38億6千萬元。", [(3860000000, "TWD", "exact", "other", None)]),
    ("市值約澳門幣130萬元。", [(1300000, "MOP", "about", "other", None)]),
    # The seed's sentence, Hong Kong and Taiwan forms.
    ("查扣、凍結涉案資金約27億元。", [(2700000000, "CNY", "about", "funds_seized_frozen", None)]),
]

SHARES = [
    ("其中一成多为外省籍人员。", [(10, "percent", "more_than", "other", None)]),
    ("六成多为青年。", [(60, "percent", "more_than", "other", None)]),
    ("近三成有前科。", [(30, "percent", "nearly", "other", None)]),
    ("車手約占六成。", [(60, "percent", "about", "other", None)]),
    ("百分之九十以上的受害人。", [(90, "percent", "more_than", "other", None)]),
    ("受害人中老年人占比达到17%。", [(17, "percent", "exact", "other", None)]),
    ("Nearly 30 percent of the suspects were young.", [(30, "percent", "nearly", "other", None)]),
    ("a 49.6-percent share of the victims", [(49.6, "percent", "exact", "other", None)]),
    ("about 45.6 per cent of all crimes", [(45.6, "percent", "about", "other", None)]),
    ("12% of the accounts were fake", [(12, "percent", "exact", "other", None)]),
]

CHANGES = [
    ("全省共立刑事案件8.6万起，同比下降12.5%。", [
        (86000, "case", "exact", "cases_filed", None),
        (12.5, "percent", "exact", "cases_filed", "down"),
    ]),
    ("发案数同比下降21.7%。", [(21.7, "percent", "exact", "cases_reported", "down")]),
    ("破获案件3.2万起，同比上升8.3%。", [
        (32000, "case", "exact", "cases_investigated", None),
        (8.3, "percent", "exact", "cases_investigated", "up"),
    ]),
    ("缴获毒品较上年增长2倍。", [(2, "multiple", "exact", "drugs_seized", "up")]),
    ("破案率提高3.1个百分点。", [(3.1, "percentage_point", "exact", "other", "up")]),
    ("較去年同期減少15宗。", [(15, "case", "exact", "other", "down")]),
    ("按年上升4.7%。", [(4.7, "percent", "exact", "other", "up")]),
    ("破获案件43.7万起，抓获嫌疑人7.9万名，同比分别上升52.3%、64.4%。", [
        (437000, "case", "exact", "cases_investigated", None),
        (79000, "person", "exact", "suspects_detained", None),
        (52.3, "percent", "exact", "cases_investigated", "up"),
        (64.4, "percent", "exact", "suspects_detained", "up"),
    ]),
    ("The number of fraud cases reported fell 21.7 percent.", [
        (21.7, "percent", "exact", "cases_reported", "down"),
    ]),
    ("Police seized 1.2 tons of drugs, up 35% from a year earlier.", [
        (1200, "kg", "exact", "drugs_seized", None),
        (35, "percent", "exact", "drugs_seized", "up"),
    ]),
    ("Deception cases rose by 1,930 cases to 19,850.", [
        (1930, "case", "exact", "other", "up"),
        (19850, "case", "exact", "other", None),
    ]),
    ("Losses fell by HK$420 million.", [(420000000, "HKD", "exact", "other", "down")]),
    ("the detection rate improved by 2.1 percentage points", [
        (2.1, "percentage_point", "exact", "other", "up"),
    ]),
    ("Police rounded up 150 suspects.", [(150, "person", "exact", "suspects_detained", None)]),
]

MULTIPLES = [
    ("打掉团伙45个，是上年的近3倍。", [
        (45, "group", "exact", "gangs_dismantled", None),
        (3, "multiple", "nearly", "gangs_dismantled", None),
    ]),
    ("是去年的兩倍。", [(2, "multiple", "exact", "other", None)]),
    ("The money intercepted was nearly three times that of last year.", [
        (3, "multiple", "nearly", "funds_seized_frozen", None),
    ]),
    ("seizures grew 3-fold", [(3, "multiple", "exact", "other", "up")]),
    ("intercepted fraud calls 2.75 billion times", [
        (2750000000, "time", "exact", "calls_blocked", None),
    ]),
]

WORDS = [
    ("Police arrested 14 suspects, eight of them foreign nationals.", [
        (14, "person", "exact", "suspects_arrested", None),
        (8, "person", "exact", "suspects_arrested", None),
    ]),
    ("Officers seized six guns and a dozen rifles.", [
        (6, "firearm", "exact", "items_seized", None),
        (12, "firearm", "exact", "items_seized", None),
    ]),
    ("Hundreds of suspects are still being sought.", [(100, "person", "vague", "other", None)]),
    ("Two dozen bank accounts have been frozen.", [
        (24, "account", "exact", "accounts_handled", None),
    ]),
    ("Five of the suspects have been handed over.", [
        (5, "person", "exact", "suspects_handed_over", None),
    ]),
    ("The two departments held three rounds of talks.", []),
    ("more than 300 rounds of ammunition were seized", [
        (300, "round", "more_than", "items_seized", None),
    ]),
]

NUMERALS = [
    ("共立非法集资案件二十几起。", [(20, "case", "more_than", "cases_filed", None)]),
    ("涉案金额一千多万元。", [(10000000, "CNY", "more_than", "funds_involved", None)]),
    ("涉案资金500余万元。", [(5000000, "CNY", "more_than", "funds_involved", None)]),
    ("抓获犯罪嫌疑人十余人。", [(10, "person", "more_than", "suspects_detained", None)]),
    ("涉案金额二十几万元。", [(200000, "CNY", "more_than", "funds_involved", None)]),
    ("吸收资金上百亿元。", [(10000000000, "CNY", "more_than", "other", None)]),
    ("扣押现金人民币壹佰贰拾万元。", [(1200000, "CNY", "exact", "funds_seized_frozen", None)]),
    ("追回被骗资金两千零五万元。", [(20050000, "CNY", "exact", "funds_recovered", None)]),
    ("该团伙头目年过半百，曾被判处有期徒刑三年。", []),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    TRADITIONAL + SHARES + CHANGES + MULTIPLES + WORDS + NUMERALS,
    ids=lambda x: x[:24] if isinstance(x, str) else "",
)
def test_form(text: str, expected: list[Row]) -> None:
    assert rows(text) == expected
