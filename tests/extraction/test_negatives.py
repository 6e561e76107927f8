"""Numbers that are not figures: dates, years, times, code names, list numbers,
slogans, registration and phone numbers, law articles, ordinals, ages, durations."""

from __future__ import annotations

import pytest

from extraction import extract_figures

NOT_FIGURES = [
    # dates and years
    "1月14日，省公安厅召开新闻发布会。",
    "2020年1月以来，全省公安机关扎实开展专项行动。",
    "截止到2020年12月16日，案件已审结。",
    "二〇二〇年十二月，专项行动结束。",
    "相关措施自2024-01-01起施行。",
    "Beijing, October 21, reporter Deng Xinjian reported.",
    "As of the end of September 2020, the work continued.",
    "In 2023, the ministry issued a notice.",
    "Updated: Sep 8, 2023 By YANG ZEKUN",
    "The 21 October 2020 meeting was held.",
    "Copyright©2024 China Daily. All rights reserved.",
    "between 2019 and 2021 the campaign ran",
    # clock times and durations, ages
    "上午9时30分，行动开始。",
    "The operation began at 10:30 am.",
    "判处有期徒刑3至5年。",
    "历时两年时间研判侦查。",
    "年满18岁的人员。",
    "during the past two months",
    "a one-and-a-half-year special campaign",
    "a 25-year-old man from Yunnan",
    "the 100-day campaign",
    # case code names
    "成功侦办了萍乡“3·31”、南昌“3·06”等一系列大案要案。",
    "1.南昌“1228”专案",
    "抚州309专案告破。",
    "Police cracked the 3·31 case.",
    "Operation 1228 was launched in Nanchang.",
    # section and list numbers
    "01坚持统筹谋划，强力推进打击治理工作",
    "一是全力以赴做好情报信息分析研判工作。二是全力以赴做好大案要案侦办工作。",
    "（一）加强组织领导。",
    "(0)",
    "其三，加强宣传。",
    # slogans and idioms
    "结合“百万警进千万家”活动，部署全省民警推进禁赌宣传。",
    "教育引导群众认清“十赌九输”的严重危害。",
    "百万警进千万家，十赌九输。",
    "recognize the hazards of gambling, ten gambling, ten losses, and resist it",
    "“ten gambling, ten frauds,” and “ten gambling, ten losses”",
    "实行“每月一考核，每月一通报”。",
    # registration and phone numbers
    "京公网安备 11010502032503号",
    "京ICP备12345678号",
    "禁毒举报电话：0871-63061234。",
    "举报热线12345。",
    "接到96110预警劝阻电话请及时接听。",
    "Call 110 or the hotline 12367 for help.",
    "Tel: 010-66262114",
    # law articles, ordinals, references
    "违反刑法第二百八十七条的规定。",
    "第3批次行动将于10月启动。",
    "第四方支付平台",
    "under Article 294 of the Criminal Law",
    "the 2nd batch of inspections",
    "Document No. 5 was issued.",
    # codes glued to letters, rhetoric, names
    "G20峰会期间加强安保。",
    "推进5G网络建设。",
    "the COVID-19 epidemic",
    "the G20 summit",
    "副厅长万凯出席并通报有关情况。",
    "危害十分严重。",
    "从三个方面加强工作。",
    "两个部门联合发文。",
    "Two departments and five ministries issued the guideline.",
    "One, destroyed the networks.",
    # page furniture
    "1 view0 comments",
    "相关推荐（0）",
]


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_not_a_figure(text: str) -> None:
    assert [f.text for f in extract_figures(text)] == []


MIXED = [
    # the figure survives next to its date or code name
    ("1月14日，全省抓获犯罪嫌疑人18名。", [18]),
    ("萍乡“3·31”专案抓获犯罪嫌疑人18名。", [18]),
    ("In 2023, police arrested 2,000 suspects.", [2000]),
    ("Police arrested 2023 suspects in 2023.", [2023]),
    ("From December 1, 2022 to December 1, 2023, police conducted 500 raids.", [500]),
]


@pytest.mark.parametrize(("text", "values"), MIXED)
def test_figure_beside_a_negative(text: str, values: list[int]) -> None:
    assert [f.to_dict()["value"] for f in extract_figures(text)] == values
