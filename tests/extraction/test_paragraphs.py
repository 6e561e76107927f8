"""Realistic bulletin paragraphs written for these tests (not from the gold files):
every figure, in order, with its unit, qualifier and metric."""

# ruff: noqa: E501  (the paragraphs are bulletin text, one line per paragraph)

from __future__ import annotations

import pytest

from extraction import detect_topic

from .helpers import Row, rows

ZH_DRUG = """\
云南警方破获特大跨国贩毒案 缴获毒品1.2吨

2023年6月以来，云南省公安厅禁毒总队组织开展“雷霆2023”专项行动，共破获毒品犯罪案件1,236起，抓获犯罪嫌疑人1528名，其中外籍犯罪嫌疑人86名；缴获各类毒品3.56吨，其中冰毒2.1吨、海洛因860余公斤，缴获制毒物品12.5吨，查获涉毒车辆47辆，捣毁制毒窝点9个，打掉贩毒团伙63个，冻结涉毒资产约4800万元。
据介绍，今年1至9月，全省共查处吸毒人员2.3万人次，强制隔离戒毒5600余人，同比上升12.5%。
禁毒举报电话：0871-63061234。举报热线12345。
"""

ZH_FRAUD = """\
公安部：今年以来全国共破获电信网络诈骗案件43.7万起

记者从公安部获悉，今年1月至11月，全国公安机关共破获电信网络诈骗案件43.7万起，抓获犯罪嫌疑人7.9万名，同比分别上升52.3%、64.4%。公安机关会同有关部门累计拦截诈骗电话27.5亿次、短信22.8亿条，处置涉诈域名网址603.6万个，紧急止付涉案资金3288亿元，见面劝阻1389万人次，避免2.4亿人次群众受骗。
其中，打掉为诈骗团伙提供引流推广、洗钱等服务的黑产团伙2.3万个，缅北地区累计移交我方电诈犯罪嫌疑人3.1万名，其中幕后“金主”、组织头目和骨干63名、网上在逃人员1531名。
国家反诈中心提醒：接到96110预警劝阻电话请及时接听。
"""

ZH_IMMIG = """\
国家移民管理局：上半年查处妨害国（边）境管理犯罪案件9150起

7月18日，国家移民管理局召开新闻发布会。今年上半年，全国移民管理机构共查处妨害国（边）境管理犯罪案件9150起，抓获犯罪嫌疑人1.6万名，打掉偷渡犯罪团伙210个，遣返非法入境外国人1.2万人次。边检机关累计检查出入境人员2.87亿人次、交通运输工具1546.4万架（列、艘、辆）次，同比分别上升52.3%、44.1%。
移民管理警察在边境一线堵截涉赌涉诈人员2.1万余名，缴获枪支392支、枪支零部件2.67万件，查获毒品1190余公斤。
据介绍，国家移民管理局12367服务热线24小时提供服务，上半年共受理群众来电160余万个。
"""

EN_IMMIG = """\
Immigration authorities intercept 3,200 illegal border crossers in first half of 2024

Beijing, July 16 (Xinhua) -- China's immigration authorities intercepted more than 3,200 people attempting to cross the border illegally in the first half of 2024, the National Immigration Administration (NIA) said on Tuesday.

The NIA handled 4,860 cases involving illegal immigration and smuggling of migrants, up 18.7 percent year on year, and detained 6,700 suspects, including 215 organizers. Border police seized 1.6 tonnes of drugs and 85 guns, and repatriated 12,000 foreign nationals who had entered illegally.

Some 580 million inbound and outbound trips were made during the period, averaging 3.2 million per day. The 24-hour hotline 12367 is available for inquiries. About 1,100 officers took part in the 100-day campaign launched in March 2024.
"""

EN_FRAUD = """\
China's police solve 437,000 telecom fraud cases in 2023

BEIJING, Jan. 10 (Xinhua) -- Chinese public security organs solved 437,000 cases of telecom and online fraud in 2023, the Ministry of Public Security (MPS) said Wednesday.

A total of 79,000 suspects were captured, and the police intercepted 2.75 billion fraudulent calls and 2.28 billion fraudulent text messages, according to the ministry. Police also froze 328.8 billion yuan (about 46.3 billion U.S. dollars) of funds involved and persuaded 13.89 million people not to transfer money to fraudsters.

Since the start of the year, more than 31,000 telecom fraud suspects, including 63 ringleaders, have been handed over to Chinese police from northern Myanmar. The MPS said the number of cases has fallen for five consecutive months. Call 110 to report fraud. Photo taken on Jan 9, 2024 shows a police officer in Beijing.
"""

EN_ORG = """\
Anti-gang campaign results: Since the launch of the special campaign in 2018, police nationwide have dismantled 3,644 underworld organizations and 11,675 criminal gangs, solved 246,000 criminal cases, and seized assets worth 586.4 billion yuan. Prosecutors indicted 230,000 people. Nearly 90 percent of the fugitives, or about 5,700 people, have been captured. Two departments and five ministries jointly issued the guideline, which took effect on Jan 1, 2024 under Article 294 of the Criminal Law.
"""

EXPECTED: dict[str, tuple[str, str, list[Row]]] = {
    "zh_drug": (ZH_DRUG, "drugs", [
        (1200, "kg", "exact", "drugs_seized"),  # 缴获毒品1.2吨
        (1236, "case", "exact", "cases_investigated"),  # 破获毒品犯罪案件1,236起
        (1528, "person", "exact", "suspects_detained"),  # 抓获犯罪嫌疑人1528名
        (86, "person", "exact", "suspects_detained"),  # 外籍犯罪嫌疑人86名
        (3560, "kg", "exact", "drugs_seized"),  # 缴获各类毒品3.56吨
        (2100, "kg", "exact", "drugs_seized"),  # 冰毒2.1吨
        (860, "kg", "more_than", "drugs_seized"),  # 海洛因860余公斤
        (12500, "kg", "exact", "drugs_seized"),  # 缴获制毒物品12.5吨
        (47, "vehicle", "exact", "items_seized"),  # 查获涉毒车辆47辆
        (9, "den", "exact", "dens_dismantled"),  # 捣毁制毒窝点9个
        (63, "group", "exact", "gangs_dismantled"),  # 打掉贩毒团伙63个
        (48000000, "CNY", "about", "funds_seized_frozen"),  # 冻结涉毒资产约4800万元
        (23000, "person_time", "exact", "persons_punished"),  # 查处吸毒人员2.3万人次
        (5600, "person", "more_than", "persons_punished"),  # 强制隔离戒毒5600余人
        (12.5, "percent", "exact", "persons_punished"),  # 同比上升12.5%: the change of 5600
    ]),
    "zh_fraud": (ZH_FRAUD, "fraud", [
        (437000, "case", "exact", "cases_investigated"),  # 破获电信网络诈骗案件43.7万起
        (437000, "case", "exact", "cases_investigated"),  # 破获电信网络诈骗案件43.7万起
        (79000, "person", "exact", "suspects_detained"),  # 抓获犯罪嫌疑人7.9万名
        (52.3, "percent", "exact", "cases_investigated"),  # 同比分别上升52.3%: of the cases
        (64.4, "percent", "exact", "suspects_detained"),  # 64.4%: of the suspects
        (2750000000, "time", "exact", "calls_blocked"),  # 拦截诈骗电话27.5亿次
        (2280000000, "message", "exact", "messages_blocked"),  # 短信22.8亿条
        (6036000, "website", "exact", "websites_handled"),  # 处置涉诈域名网址603.6万个
        (328800000000, "CNY", "exact", "funds_seized_frozen"),  # 紧急止付涉案资金3288亿元
        (13890000, "person_time", "exact", "people_dissuaded"),  # 见面劝阻1389万人次
        (240000000, "person_time", "exact", "other"),  # 避免2.4亿人次群众
        (23000, "group", "exact", "gangs_dismantled"),  # 黑产团伙2.3万个
        (31000, "person", "exact", "suspects_handed_over"),  # 移交我方电诈犯罪嫌疑人3.1万名
        (63, "person", "exact", "suspects_handed_over"),  # 组织头目和骨干63名
        (1531, "person", "exact", "fugitives_captured"),  # 网上在逃人员1531名
    ]),
    "zh_immig": (ZH_IMMIG, "border", [
        (9150, "case", "exact", "cases_investigated"),  # 查处妨害国（边）境管理犯罪案件9150起
        (9150, "case", "exact", "cases_investigated"),  # 查处妨害国（边）境管理犯罪案件9150起
        (16000, "person", "exact", "suspects_detained"),  # 抓获犯罪嫌疑人1.6万名
        (210, "group", "exact", "gangs_dismantled"),  # 打掉偷渡犯罪团伙210个
        (12000, "person_time", "exact", "persons_repatriated"),  # 遣返非法入境外国人1.2万人次
        (287000000, "person_time", "exact", "persons_screened"),  # 检查出入境人员2.87亿人次
        (52.3, "percent", "exact", "persons_screened"),  # 同比分别上升52.3%
        (44.1, "percent", "exact", "persons_screened"),  # 44.1% (of vehicles, not a figure)
        (21000, "person", "more_than", "persons_intercepted"),  # 堵截涉赌涉诈人员2.1万余名
        (392, "firearm", "exact", "items_seized"),  # 缴获枪支392支
        (26700, "component", "exact", "items_seized"),  # 枪支零部件2.67万件
        (1190, "kg", "more_than", "drugs_seized"),  # 查获毒品1190余公斤
        (1600000, "call", "more_than", "other"),  # 上半年共受理群众来电160余万个
    ]),
    "en_immig": (EN_IMMIG, "border", [
        (3200, "person", "exact", "persons_intercepted"),  # intercept 3,200 illegal border crossers
        (3200, "person", "more_than", "persons_intercepted"),  # intercepted more than 3,200 people
        (4860, "case", "exact", "cases_investigated"),  # handled 4,860 cases
        (18.7, "percent", "exact", "cases_investigated"),  # 18.7 percent: the change of the cases
        (6700, "person", "exact", "suspects_detained"),  # detained 6,700 suspects
        (215, "person", "exact", "suspects_detained"),  # 215 organizers
        (1600, "kg", "exact", "drugs_seized"),  # seized 1.6 tonnes of drugs
        (85, "firearm", "exact", "items_seized"),  # 85 guns
        (12000, "person", "exact", "persons_repatriated"),  # repatriated 12,000 foreign nationals
        (580000000, "trip", "about", "other"),  # Some 580 million inbound and outbound trips
        (1100, "person", "about", "other"),  # About 1,100 officers
    ]),
    "en_fraud": (EN_FRAUD, "fraud", [
        (437000, "case", "exact", "cases_investigated"),  # solve 437,000 telecom fraud cases
        (437000, "case", "exact", "cases_investigated"),  # solved 437,000 cases
        (79000, "person", "exact", "suspects_detained"),  # A total of 79,000 suspects
        (2750000000, "call", "exact", "calls_blocked"),  # intercepted 2.75 billion fraudulent calls
        (2280000000, "message", "exact", "messages_blocked"),  # 2.28 billion fraudulent text messages
        (328800000000, "CNY", "exact", "funds_seized_frozen"),  # froze 328.8 billion yuan
        (13890000, "person", "exact", "people_dissuaded"),  # persuaded 13.89 million people
        (31000, "person", "more_than", "suspects_handed_over"),  # more than 31,000 telecom fraud suspects
        (63, "person", "exact", "suspects_handed_over"),  # 63 ringleaders
    ]),
    "en_org": (EN_ORG, "organized_crime", [
        (3644, "group", "exact", "gangs_dismantled"),  # dismantled 3,644 underworld organizations
        (11675, "group", "exact", "gangs_dismantled"),  # 11,675 criminal gangs
        (246000, "case", "exact", "cases_investigated"),  # solved 246,000 criminal cases
        (586400000000, "CNY", "exact", "funds_seized_frozen"),  # seized assets worth 586.4 billion yuan
        (230000, "person", "exact", "persons_prosecuted"),  # indicted 230,000 people
        (90, "percent", "nearly", "other"),  # Nearly 90 percent
        (5700, "person", "about", "suspects_detained"),  # about 5,700 people
    ]),
}



@pytest.mark.parametrize("name", EXPECTED)
def test_paragraph(name: str) -> None:
    text, topic, expected = EXPECTED[name]
    assert detect_topic(text) == topic
    assert rows(text) == expected
