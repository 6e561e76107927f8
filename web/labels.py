"""Chinese-first labels for what the data calls by English codes.

Presentation only: a metric, unit or region without a label here is shown by
its code, and the metric names themselves come from the extractor
(web.vocabulary), not from this table.
"""

from __future__ import annotations

METRICS = {
    "cases_filed": "立案数", "cases_investigated": "侦办/破获案件",
    "cases_prosecuted": "起诉案件",
    "suspects_arrested": "逮捕嫌疑人", "suspects_detained": "抓获嫌疑人",
    "fugitives_captured": "抓获逃犯", "suspects_handed_over": "移交嫌疑人",
    "persons_punished": "处罚人员", "gamblers_punished": "处罚参赌人员",
    "persons_identified": "查明人员", "persons_screened": "排查人员",
    "persons_intercepted": "拦截人员", "people_dissuaded": "劝阻群众",
    "persons_prosecuted": "起诉人员", "persons_sentenced": "判处人员",
    "persons_rescued": "解救人员",
    "persons_repatriated": "遣返人员", "gangs_dismantled": "打掉团伙",
    "platforms_dismantled": "摧毁平台", "dens_dismantled": "捣毁窝点",
    "websites_blocked": "封堵网站", "websites_handled": "处置网站", "accounts_handled": "处置账户",
    "accounts_screened": "排查账户", "items_seized": "查扣物品", "drugs_seized": "缴获毒品",
    "funds_seized_frozen": "查扣冻结资金", "funds_recovered": "挽回资金",
    "funds_involved": "涉案资金",
    "fines_imposed": "罚没金额", "messages_blocked": "拦截短信", "messages_handled": "处置信息",
    "calls_blocked": "拦截电话", "leads_handled": "核查线索", "inspections_conducted": "开展检查",
    "penalties_imposed": "作出处罚", "other": "其他",
}  # fmt: skip

UNITS = {
    "person": "人", "person_time": "人次", "case": "起", "group": "个团伙", "platform": "个平台",
    "website": "个网站", "account": "个账户", "CNY": "元", "USD": "美元", "HKD": "港元",
    "EUR": "欧元", "percent": "%", "percentage_point": "个百分点", "kg": "公斤", "time": "次",
    "den": "个窝点", "card": "张", "app": "个App", "domain": "个域名", "link": "条链接",
    "message": "条", "call": "个电话", "clue": "条线索", "item": "件", "drug": "毒品",
}  # fmt: skip

QUALIFIERS = {
    "exact": "确数", "more_than": "余/超过", "about": "约", "nearly": "近", "at_least": "至少",
    "up_to": "不超过", "vague": "概数",
}  # fmt: skip

REGIONS = {
    "China": "全国", "Beijing": "北京", "Tianjin": "天津", "Hebei": "河北", "Shanxi": "山西",
    "Inner Mongolia": "内蒙古", "Liaoning": "辽宁", "Jilin": "吉林", "Heilongjiang": "黑龙江",
    "Shanghai": "上海", "Jiangsu": "江苏", "Zhejiang": "浙江", "Anhui": "安徽", "Fujian": "福建",
    "Jiangxi": "江西", "Shandong": "山东", "Henan": "河南", "Hubei": "湖北", "Hunan": "湖南",
    "Guangdong": "广东", "Guangxi": "广西", "Hainan": "海南", "Chongqing": "重庆",
    "Sichuan": "四川", "Guizhou": "贵州", "Yunnan": "云南", "Tibet": "西藏", "Shaanxi": "陕西",
    "Gansu": "甘肃", "Qinghai": "青海", "Ningxia": "宁夏", "Xinjiang": "新疆",
    "Xinjiang Production and Construction Corps": "新疆生产建设兵团", "Hong Kong": "香港",
    "Macau": "澳门", "Macao": "澳门", "Taiwan": "台湾",
}  # fmt: skip

RUN_RESULTS = {
    "ok": "成功", "partial": "部分失败", "failed": "失败", "killed": "中断", "running": "运行中",
}  # fmt: skip

TOPICS = {
    "fraud": "电信网络诈骗", "gambling": "赌博", "drugs": "毒品", "smuggling": "走私",
    "organized_crime": "涉黑涉恶", "border": "出入境与边境", "other": "其他",
}  # fmt: skip


def metric(name: str | None) -> str:
    return METRICS.get(name or "", name or "")


def unit(name: str | None) -> str:
    return UNITS.get(name or "", name or "")


def qualifier(name: str | None) -> str:
    return QUALIFIERS.get(name or "", name or "")


def region(name: str | None) -> str:
    if not name:
        return "未知地区"
    return REGIONS.get(name, name)


def run_result(name: str | None) -> str:
    return RUN_RESULTS.get(name or "", name or "从未运行")


def topic(name: str | None) -> str:
    return TOPICS.get(name or "", name or "")
