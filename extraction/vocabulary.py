"""Word tables: counters, nouns, verbs and qualifiers, in Chinese and English.

Rules elsewhere read only these tables, so a new bulletin wording is usually one
more entry here.  Each noun maps to a (unit, kind): the unit is what `Figure.unit`
reports, the kind is the coarser class the metric table below is keyed on.
"""

from __future__ import annotations

from decimal import Decimal

# ---------------------------------------------------------------- units and kinds

# Mass is reported in kilograms; these convert the counted unit.
MASS_FACTORS: dict[str, Decimal] = {
    "kg": Decimal(1), "g": Decimal("0.001"), "t": Decimal(1000),
}  # fmt: skip

# Kinds that are enforcement outcomes; a number written as a word ("three", 三)
# is kept only when it counts one of these, since rhetoric ("two departments",
# 三个方面) is full of small word numbers.
ENFORCEMENT_KINDS = frozenset({
    "person", "gambler", "fugitive", "case", "group", "platform", "den", "website",
    "account", "card", "money", "message", "call", "clue", "item", "drug", "mass",
})  # fmt: skip

# ---------------------------------------------------------------- Chinese

# Counter word -> unit.  "" means the noun decides (see ZH_GENERIC_DEFAULT).
ZH_COUNTERS: dict[str, str] = {
    "人": "person", "名": "person", "位": "person", "人次": "person_time",
    "起": "case", "宗": "case", "件": "",
    "元": "CNY", "元人民币": "CNY", "人民币": "CNY", "美元": "USD", "港元": "HKD",
    "港币": "HKD", "欧元": "EUR", "澳门元": "MOP", "澳门币": "MOP", "澳币": "MOP",
    "新台币": "TWD", "台币": "TWD", "日元": "JPY", "英镑": "GBP",
    "%": "percent", "个百分点": "percentage_point", "成": "percent", "倍": "multiple",
    "公斤": "kg", "千克": "kg", "kg": "kg", "KG": "kg", "Kg": "kg", "克": "g", "g": "g",
    "吨": "t",
    "次": "time", "场": "event", "批": "batch",
    "个": "", "家": "", "户": "", "张": "", "条": "", "部": "", "台": "", "辆": "",
    "艘": "", "支": "", "枚": "", "发": "", "把": "", "处": "", "只": "", "头": "",
    "箱": "", "套": "", "份": "", "本": "", "间": "", "所": "", "座": "",
}  # fmt: skip

# Generic counter -> unit when no noun around says better.  None: drop the
# number (个 with an unknown noun is too often rhetoric, 三个方面).
ZH_GENERIC_DEFAULT: dict[str, str | None] = {
    "个": None, "件": "case", "家": "organization", "户": "account", "张": "card",
    "条": "item", "部": "phone", "台": "device", "辆": "vehicle", "艘": "vessel",
    "支": "firearm", "枚": "piece", "发": "round", "把": "piece", "处": "place",
    "只": "piece", "头": "head", "箱": "box", "套": "set", "份": "copy", "本": "copy",
    "间": "room", "所": "organization", "座": "building",
}  # fmt: skip

# Words after a number that make it a date, time, age, size or rank: not a figure.
ZH_REJECT_COUNTERS = frozenset({
    "年", "年度", "个月", "个多月", "个小时", "个工作日", "个星期", "个方面", "个阶段",
    "月", "日", "天", "号", "时", "小时", "点", "分钟", "分", "秒", "周", "周年", "星期",
    "岁", "周岁", "届", "期", "季度", "世纪", "代", "楼", "层", "版", "页", "章", "节",
    "级", "类", "种", "米", "公里", "千米", "里", "平方米", "平方公里", "亩", "度",
    "项", "轮", "道", "步", "句", "字", "遍", "方",
})  # fmt: skip
# 成 counts tenths (六成 is 60 percent) unless it begins a word: 3成员, 五成熟.
ZH_WORD_AFTER_CHENG = frozenset("员为功立本果交熟长绩效型品都年人分就像套批")
# A currency named before the amount: 新臺幣38億元, 澳门币130万元 (元 alone is CNY).
ZH_CURRENCY_PREFIXES: dict[str, str] = {
    "新台币": "TWD", "台币": "TWD", "澳门币": "MOP", "澳门元": "MOP", "澳币": "MOP",
    "港币": "HKD", "港元": "HKD", "美元": "USD", "欧元": "EUR", "日元": "JPY", "英镑": "GBP",
}  # fmt: skip

# Noun -> (unit, kind).  Longest match wins, so 参赌人员 beats 人员.
ZH_NOUNS: dict[str, tuple[str, str]] = {}


def _zh(unit: str, kind: str, *words: str) -> None:
    for word in words:
        ZH_NOUNS[word] = (unit, kind)


_zh("person", "person", "犯罪嫌疑人", "嫌疑人", "嫌犯", "违法犯罪人员", "违法人员", "涉案人员",
    "人员", "成员", "骨干", "头目", "主犯", "从犯", "群众", "民警", "代理", "被害人", "受害人",
    "涉诈人员", "偷渡人员", "外籍人员", "务工人员", "人数", "组织者", "吸毒人员", "被告人",
    "罪犯", "居民", "公民", "学生", "老人", "妇女", "儿童", "未成年人", "人口", "人士", "车手",
    "入境者", "非法入境者", "偷渡者", "嫌犯人", "疑犯", "青少年", "市民", "旅客")
_zh("person", "gambler", "参赌人员", "涉赌人员", "赌客", "赌民", "赌徒", "参赌群众")
_zh("person", "fugitive", "逃犯", "在逃人员", "网上逃犯", "在逃犯罪嫌疑人", "网逃", "潜逃人员")
_zh("case", "case", "案件", "案子", "刑事案件", "积案", "命案", "大案", "要案", "专案",
    "卷宗", "罪案", "案例", "发案数", "立案数", "破案数")
_zh("group", "group", "团伙", "犯罪团伙", "集团", "犯罪集团", "涉黑组织", "犯罪组织",
    "黑社会性质组织", "恶势力", "恶势力集团", "团队", "工作室")
_zh("platform", "platform", "平台", "赌博平台", "网络平台", "赌场", "网络赌场", "赌博网站平台")
_zh("app", "platform", "APP", "App", "app", "应用程序", "软件")
_zh("den", "den", "窝点", "据点", "制毒工厂", "工厂", "作坊", "加工点", "赌博窝点")
_zh("website", "website", "网站", "网址", "网页", "URL")
_zh("domain", "website", "域名")
_zh("link", "website", "链接", "连结")
_zh("account", "account", "账户", "帐户", "账号", "帐号", "银行账户", "支付账户", "微信号",
    "QQ号", "对公账户")
_zh("merchant", "account", "商户", "特约商户")
_zh("household", "other", "家庭", "农户", "住户")
_zh("card", "card", "银行卡", "电话卡", "手机卡", "物联网卡", "卡")
_zh("CNY", "money", "资金", "金额", "赌资", "赃款", "流水", "款项", "现金", "资产", "损失",
    "经济损失", "货值", "案值", "交易额", "赃物")
_zh("message", "message", "短信", "信息", "短消息", "彩信", "消息")
_zh("call", "call", "电话", "诈骗电话", "来电")
_zh("clue", "clue", "线索")
_zh("phone", "item", "手机")
_zh("computer", "item", "电脑", "计算机", "服务器")
_zh("firearm", "item", "枪支", "枪", "仿真枪")
_zh("round", "item", "子弹", "弹药", "枪弹")
_zh("vehicle", "item", "车辆", "汽车", "摩托车")
_zh("vessel", "item", "船只", "船舶", "渔船")
_zh("cigarette", "item", "卷烟", "香烟")
_zh("item", "item", "物品", "作案工具", "工具", "冻品", "成品油", "文物", "设备", "证件", "资料",
    "宣传品", "材料", "书籍", "光盘", "假币", "伪钞")
_zh("component", "item", "零部件", "配件", "部件")
_zh("drug", "drug", "毒品", "冰毒", "海洛因", "可卡因", "大麻", "氯胺酮", "摇头丸", "麻古",
    "吗啡", "鸦片", "芬太尼", "易制毒化学品", "制毒物品", "制毒原料")
_zh("organization", "organization", "单位", "媒体", "企业", "公司", "机构", "部门", "银行",
    "学校", "医院", "金融机构")
_zh("area", "other", "地区", "省份", "城市", "社区", "村庄", "乡镇", "县区")
_zh("country", "other", "国家")
_zh("video", "other", "视频", "短片")
_zh("article", "other", "文章", "帖文", "帖子")
_zh("view", "view", "点击量", "浏览量", "播放量", "阅读量", "访问量")

# A bare number (no counter) is a figure only after one of these nouns: 资金达300亿.
ZH_COUNTERLESS_KINDS = frozenset({"money", "view"})
ZH_COUNTERLESS_NOUNS = frozenset({"人数"})

# Verb -> class.  Classes are matched to kinds in METRICS.
ZH_VERBS: dict[str, str] = {}


def _zv(cls: str, *words: str) -> None:
    for word in words:
        ZH_VERBS[word] = cls


_zv("file", "立案", "立案侦查", "刑事立案", "开立", "共立", "立刑事")
_zv("report", "发案", "接报", "受理", "报案", "接警", "录得")
_zv("investigate", "侦办", "侦破", "破获", "破案", "办理", "查办", "侦查", "办结", "侦结")
_zv("prosecute", "起诉", "提起公诉", "移送起诉", "审查起诉", "公诉")
_zv("sentence", "判决", "判处", "宣判", "审结")
_zv("arrest", "逮捕", "批捕", "批准逮捕", "拘捕", "被捕")
_zv("detain", "抓获", "抓捕", "刑事拘留", "刑拘", "拘留", "采取刑事强制措施", "采取强制措施",
    "缉拿", "捕获", "擒获", "控制", "缉捕", "查缉")
_zv("dismantle", "打掉", "摧毁", "捣毁", "端掉", "铲除", "打垮", "瓦解", "取缔", "打击整治")
_zv("seize", "查扣", "冻结", "扣押", "收缴", "查封", "缴获", "查获", "没收", "止付",
    "紧急止付", "扣留", "查缴", "起获", "查没", "收缴扣押", "检获", "搜获", "搜出", "起出")
_zv("intercept", "截获", "截查", "截停", "堵获")
_zv("recover", "追回", "挽回", "返还", "追赃挽损", "挽损", "追缴")
_zv("block", "封堵", "拦截", "屏蔽", "阻断", "封禁", "封停", "堵截", "拦阻", "阻止")
_zv("handle", "处置", "清理", "关闭", "注销", "关停", "处理", "查处", "整治", "下架", "删除",
    "清理整顿", "整改", "核处")
_zv("punish", "处罚", "行政处罚", "治安处罚", "惩戒", "打击处理", "行政拘留", "罚没", "罚款")
_zv("screen", "排查", "筛查", "核查", "检查", "清查", "摸排", "查验", "盘查", "核验")
_zv("identify", "梳理出", "排查出", "发现", "查明", "甄别", "认定", "识别", "梳理", "摸排出",
    "筛查出")
_zv("dissuade", "劝阻", "劝返", "见面劝阻", "劝导", "预警劝阻")
_zv("handover", "移交", "押解", "接收", "接返")
_zv("repatriate", "遣返", "遣送出境", "驱逐出境")
_zv("rescue", "解救")
_zv("involve", "涉及")
_zv("avoid", "避免", "防止")  # no metric: only stops an enumeration's verb from carrying over

# Words before the number.  Longest first is applied by the reader.
ZH_QUALIFIER_PREFIXES: dict[str, str] = {
    "约": "about", "大约": "about", "大概": "about", "约为": "about", "约值": "about",
    "近": "nearly", "将近": "nearly", "接近": "nearly", "逼近": "nearly",
    "逾": "more_than", "超过": "more_than", "超": "more_than", "突破": "more_than",
    "多于": "more_than", "高于": "more_than",
    "至少": "at_least", "不少于": "at_least", "不低于": "at_least", "不下": "at_least",
    "不超过": "up_to", "最多": "up_to", "不到": "up_to", "不足": "up_to", "低于": "up_to",
    "多达": "exact", "达": "exact", "高达": "exact", "共计": "exact",
}  # fmt: skip
# These qualify only a bare scale word (上千万, 数百, 过万): 上3个 is not Chinese.
ZH_SCALE_PREFIXES: dict[str, str] = {
    "上": "more_than", "过": "more_than", "数": "vague", "几": "vague", "成": "vague",
}  # fmt: skip
ZH_QUALIFIER_SUFFIXES: dict[str, str] = {
    "左右": "about", "上下": "about", "以上": "more_than", "有余": "more_than",
    "以下": "up_to", "以内": "up_to",
}  # fmt: skip
# Money with one of these nearby is money involved, not money seized.
ZH_INVOLVED_MARKERS = (
    "涉案", "涉及", "流水", "涉赌", "涉诈", "赌资", "案值", "交易额", "涉嫌", "非法吸收", "集资",
)  # fmt: skip

# Money with one of these before it is what goods are worth, no enforcement outcome.
ZH_VALUE_MARKERS = ("价值", "市值", "估值", "货值约", "约值", "总值", "值约")

# Leading words trimmed off a figure's text: they add nothing to what is counted.
ZH_SPAN_FILLERS = (
    "其中", "累计", "共计", "总计", "合计", "另有", "共有", "以及", "同时", "此外", "现场", "当场",
    "全省", "全市", "全区", "全国", "全年", "依法", "已经", "先后", "分别", "共", "另", "并",
    "及", "和", "还", "已", "又", "再", "均", "对", "的", "了", "有",  # before the number only
)  # fmt: skip

# Idioms and slogans that hold numerals but count nothing.
ZH_SLOGANS = (
    "百万警进千万家", "十赌九输", "十赌十输", "十赌十骗", "十赌九骗", "一人吸毒全家受害",
    "三番五次", "千家万户", "千方百计", "万无一失", "一网打尽", "一查到底", "三令五申",
    "四面八方", "五花八门", "七嘴八舌", "九死一生", "十万火急", "千军万马", "万众一心",
    "一心一意", "三心二意", "接二连三", "一举两得", "独一无二", "一清二楚", "三天两头",
    "千辛万苦", "万家灯火", "百家争鸣", "一五一十", "两个维护", "四个意识", "四个自信",
    "三个一", "一案双查", "一案一策", "一人一档", "一户一档", "七上八下", "百姓",
)  # fmt: skip

# ---------------------------------------------------------------- English

# Singular noun -> (unit, kind).  Plurals are added below.
EN_NOUNS: dict[str, tuple[str, str]] = {}
# Plural forms, and nouns that count without one (people, yuan): a count above one
# has a plural head, which is how the head is told from its modifiers
# ("firearm components", "gambling platforms").
EN_PLURALS: set[str] = {
    "people", "personnel", "persons", "police", "staff", "yuan", "rmb", "renminbi", "kg",
    "kgs", "sms", "mms", "cattle", "livestock", "sheep", "fish", "aircraft",
}  # fmt: skip


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def _en(unit: str, kind: str, *words: str) -> None:
    for word in words:
        EN_NOUNS[word] = (unit, kind)
        if word not in EN_PLURALS:
            EN_NOUNS[_plural(word)] = (unit, kind)
            EN_PLURALS.add(_plural(word))


_en("person", "person", "suspect", "person", "individual", "national", "citizen", "resident",
    "participant", "member", "criminal", "offender", "victim", "migrant", "worker", "employee",
    "leader", "backbone", "financier", "defendant", "stowaway", "smuggler", "trafficker",
    "dealer", "user", "addict", "agent", "ringleader", "culprit", "passenger", "traveler",
    "traveller", "foreigner", "youth", "teenager", "minor", "student", "operator", "recruiter",
    "organizer", "organiser", "scammer", "fraudster", "perpetrator", "inhabitant", "villager",
    "crosser", "entrant", "immigrant", "emigrant", "refugee", "officer", "policeman",
    "policewoman", "investigator", "official", "civilian", "mule", "courier", "accomplice",
    "youngster", "juvenile", "adult", "detainee", "inmate", "prisoner", "abductee", "hostage")
_en("person", "person", "people", "personnel", "persons", "police", "staff")
EN_NOUNS.update(dict.fromkeys(("woman", "women", "man", "men", "child", "children"),
                              ("person", "person")))
EN_PLURALS.update(("women", "men", "children"))
_en("person", "gambler", "gambler", "bettor")
_en("person", "fugitive", "fugitive", "escapee")
_en("case", "case", "case", "crime", "offence", "offense")
_en("group", "group", "gang", "team", "group", "ring", "syndicate", "network", "cell", "mafia")
_en("platform", "platform", "platform", "casino")
_en("app", "platform", "app", "application")
_en("den", "den", "den", "hideout", "workshop", "lab", "laboratory", "factory")
_en("website", "website", "website", "webpage", "url", "site")
_en("domain", "website", "domain")
_en("link", "website", "link")
_en("account", "account", "account")
_en("merchant", "account", "merchant")
_en("card", "card", "card")
_en("CNY", "money", "yuan", "rmb", "renminbi")
_en("USD", "money", "dollar")
_en("message", "message", "message", "sms", "text", "mms")
_en("call", "call", "call")
_en("clue", "clue", "clue", "lead", "tip", "tip-off")
_en("phone", "item", "phone", "handset")
_en("computer", "item", "computer", "server", "laptop")
_en("firearm", "item", "firearm", "gun", "rifle", "pistol", "weapon")
_en("round", "item", "bullet", "cartridge", "round")
_en("component", "item", "component", "part")
_en("vehicle", "item", "vehicle", "car", "truck")
_en("vessel", "item", "vessel", "ship", "boat")
_en("cigarette", "item", "cigarette")
_en("item", "item", "item", "piece", "device", "tool", "document", "passport")
_en("drug", "drug", "drug", "narcotic")
_en("kg", "mass", "kilogram", "kilo", "kg")
_en("g", "mass", "gram")
_en("t", "mass", "ton", "tonne")
_en("inspection", "inspection", "inspection", "check")
_en("penalty", "penalty", "penalty", "fine")
_en("time", "time", "time")
_en("batch", "other", "batch")
_en("organization", "organization", "enterprise", "company", "institution", "unit", "agency",
    "department", "bank", "firm", "organization", "organisation", "outlet", "school")
_en("area", "other", "area", "region", "province", "city", "county", "village", "port",
    "location", "place", "country")
_en("view", "other", "view", "click")
EN_NOUNS["kg"] = ("kg", "mass")
EN_NOUNS["kgs"] = ("kg", "mass")
# Plural-looking words that are not plural nouns, and so never a head.
EN_NOT_PLURAL = frozenset({
    "overseas", "news", "status", "series", "species", "gas", "bias", "thus", "plus", "minus",
    "chaos", "analysis", "basis", "crisis", "always", "perhaps", "whereas", "besides",
    "nationwide", "various", "numerous", "serious",
})  # fmt: skip
# An "organization" with one of these before it is a criminal group.
EN_GROUP_MODIFIERS = frozenset({
    "underworld", "criminal", "crime", "mafia", "mafia-style", "gang", "gangland", "evil",
    "triad", "terrorist", "illegal", "gang-related", "smuggling", "fraud", "gambling",
    "drug-trafficking", "trafficking",
})  # fmt: skip
# Drug names only tell the kind of a mass ("kilograms of heroin").
EN_DRUG_WORDS = frozenset({
    "drug", "drugs", "narcotics", "heroin", "methamphetamine", "meth", "cocaine", "ketamine",
    "cannabis", "marijuana", "opium", "fentanyl", "ecstasy", "precursor", "precursors",
})  # fmt: skip

# Two-word heads that the last word alone would get wrong.
EN_BIGRAMS: dict[str, tuple[str, str]] = {
    "domain name": ("domain", "website"), "domain names": ("domain", "website"),
    "bank card": ("card", "card"), "bank cards": ("card", "card"),
    "sim card": ("card", "card"), "sim cards": ("card", "card"),
    "metric ton": ("t", "mass"), "metric tons": ("t", "mass"),
    "phone call": ("call", "call"), "phone calls": ("call", "call"),
    "text message": ("message", "message"), "text messages": ("message", "message"),
    "criminal organization": ("group", "group"), "criminal organizations": ("group", "group"),
    "underground bank": ("platform", "platform"), "underground banks": ("platform", "platform"),
    "media outlet": ("organization", "organization"),
    "media outlets": ("organization", "organization"),
}  # fmt: skip

# Words after a number that make it a duration, age or clock time.
EN_TIME_WORDS = frozenset({
    "year", "years", "month", "months", "day", "days", "week", "weeks", "hour", "hours",
    "minute", "minutes", "second", "seconds", "decade", "decades", "century", "centuries",
    "am", "pm", "o'clock", "km", "kilometers", "kilometres",
    "meters", "metres", "miles", "square",
})  # fmt: skip

# Words that end the noun phrase after a number.
EN_STOP_WORDS = frozenset({
    "of", "to", "in", "on", "at", "for", "from", "with", "by", "that", "which", "who", "whom",
    "whose", "were", "was", "have", "has", "had", "are", "is", "be", "been", "being", "will",
    "would", "can", "could", "should", "may", "might", "must", "and", "or", "but", "as", "than",
    "including", "involved", "involving", "suspected", "across", "during", "since", "per",
    "each", "while", "after", "before", "through", "via", "under", "into", "among", "between",
    "where", "when", "respectively", "this", "these", "those", "its", "their", "his", "her",
    "the", "a", "an", "it", "they", "we", "according", "said", "says", "also", "nationwide",
    "so", "far", "last", "alone", "only", "all", "both", "such", "like",
})  # fmt: skip

# Verb (any inflection written out) -> class.
EN_VERBS: dict[str, str] = {}


def _ev(cls: str, *phrases: str) -> None:
    for phrase in phrases:
        EN_VERBS[phrase] = cls


_ev("file", "established", "establish", "establishing", "filed", "file", "filing",
    "registered", "put on file", "opened")
_ev("report", "reported", "recorded", "logged", "received reports of")
_ev("investigate", "investigated", "investigate", "investigating", "solved", "solve",
    "solving", "cracked", "crack", "cracking", "probed", "uncovered")
_ev("arrest", "arrested", "arrest", "arresting")
_ev("detain", "detained", "detain", "detaining", "captured", "capture", "capturing",
    "apprehended", "apprehend", "apprehending", "caught", "nabbed", "rounded up",
    "took into custody", "taken into custody", "coercive measures", "compulsory measures")
_ev("dismantle", "eliminated", "eliminate", "eliminating", "destroyed", "destroy",
    "destroying", "dismantled", "dismantle", "dismantling", "smashed", "smash", "smashing",
    "busted", "bust", "broke up", "broken up", "taken down", "took down", "knocked out",
    "knocking out", "crushed", "uprooted", "wiped out", "raided", "disbanded")
_ev("seize", "seized", "seize", "seizing", "froze", "frozen", "freeze", "freezing",
    "confiscated", "confiscate", "confiscating", "impounded")
_ev("recover", "recovered", "recover", "recovering", "retrieved", "clawed back")
_ev("block", "blocked", "block", "blocking", "intercepted", "intercept", "intercepting",
    "prevented", "prevent", "preventing", "stopped", "barred", "turned back", "refused entry")
_ev("handle", "handled", "handle", "handling", "dealt with", "dealing with", "disposed",
    "disposing", "dispose", "cleaned up", "cleaning up", "closed", "closing", "shut down",
    "shutting down", "removed", "removing", "deleted", "deleting", "cracked down on",
    "cracking down on", "crack down on", "cracked down", "rectified", "processed")
_ev("punish", "punished", "punish", "punishing", "penalized", "penalised", "fined",
    "sanctioned")
_ev("screen", "checked", "check", "checking", "screened", "screening", "inspected",
    "verified", "verifying", "examined", "reviewed")
_ev("identify", "identified", "identify", "identifying", "found", "discovered", "sorted out")
_ev("dissuade", "dissuaded", "dissuade", "dissuading", "persuaded", "discouraged", "warned")
_ev("handover", "handed over", "handing over", "turned over", "extradited", "transferred")
_ev("repatriate", "repatriated", "repatriating", "deported", "deporting", "expelled")
_ev("prosecute", "prosecuted", "indicted", "charged")
_ev("sentence", "sentenced", "convicted")
_ev("rescue", "rescued")

EN_QUALIFIERS: dict[str, str] = {
    "more than": "more_than", "over": "more_than", "in excess of": "more_than",
    "upwards of": "more_than", "above": "more_than", "exceeding": "more_than",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly", "nearly to": "nearly",
    "about": "about", "around": "about", "approximately": "about", "approx.": "about",
    "roughly": "about", "some": "about", "an estimated": "about", "estimated": "about",
    "at least": "at_least", "no less than": "at_least", "not less than": "at_least",
    "no fewer than": "at_least", "not fewer than": "at_least",
    "up to": "up_to", "no more than": "up_to", "not more than": "up_to", "at most": "up_to",
    "less than": "up_to", "fewer than": "up_to", "under": "up_to",
    "as many as": "exact", "a total of": "exact", "total of": "exact",
}  # fmt: skip
# "over" right after these is a particle, not a qualifier (handed over 300 suspects).
EN_PARTICLE_VERBS = frozenset({"handed", "handing", "hand", "turned", "turning", "took", "taken"})

# Plural scale words standing for an unknown amount; value is the magnitude.
EN_VAGUE: dict[str, int] = {
    "tens of thousands": 10**4, "hundreds of thousands": 10**5, "tens of millions": 10**7,
    "hundreds of millions": 10**8, "tens of billions": 10**10, "hundreds of billions": 10**11,
    "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000, "millions": 10**6,
    "billions": 10**9, "trillions": 10**12,
}  # fmt: skip

EN_CURRENCY_AFTER: dict[str, str] = {
    "yuan": "CNY", "rmb": "CNY", "cny": "CNY", "renminbi": "CNY", "u.s. dollars": "USD",
    "us dollars": "USD", "u.s. dollar": "USD", "us dollar": "USD", "dollars": "USD",
    "usd": "USD", "hong kong dollars": "HKD", "hk dollars": "HKD", "hkd": "HKD",
    "euros": "EUR", "euro": "EUR", "eur": "EUR",
}  # fmt: skip
# Longest first: "us$" before "$".
EN_CURRENCY_BEFORE: dict[str, str] = {
    "us$": "USD", "hk$": "HKD", "rmb": "CNY", "cny": "CNY", "usd": "USD", "hkd": "HKD",
    "eur": "EUR", "¥": "CNY", "￥": "CNY", "$": "USD", "€": "EUR",
}  # fmt: skip
EN_INVOLVED_MARKERS = ("involv", "turnover", "amounted to", "amount to", "worth")
# Nouns that name what changed ("losses fell 12 percent", "the amount of money
# intercepted was three times ...") without being counted themselves.
EN_SUBJECT_NOUNS: dict[str, tuple[str, str]] = {
    word: ("CNY", "money")
    for word in ("money", "funds", "fund", "cash", "losses", "loss", "proceeds", "assets")
}

# ---------------------------------------------------------------- metrics

# (verb class, kind) -> metric.
METRICS: dict[tuple[str, str], str] = {}


def _m(metric: str, classes: str, kinds: str) -> None:
    for cls in classes.split():
        for kind in kinds.split():
            METRICS[(cls, kind)] = metric


_m("cases_filed", "file", "case")
_m("cases_reported", "report", "case")
_m("cases_investigated", "investigate handle dismantle", "case")
_m("cases_prosecuted", "prosecute", "case")
_m("suspects_arrested", "arrest", "person gambler")
_m("suspects_detained", "detain seize", "person gambler")
_m("fugitives_captured", "arrest detain seize handover", "fugitive")
_m("suspects_handed_over", "handover", "person gambler")
_m("persons_punished", "punish handle", "person")
_m("gamblers_punished", "punish handle investigate", "gambler")
_m("persons_identified", "identify", "person gambler fugitive")
_m("persons_screened", "screen", "person gambler fugitive")
_m("persons_intercepted", "block intercept", "person gambler fugitive")
_m("people_dissuaded", "dissuade", "person gambler")
_m("persons_prosecuted", "prosecute", "person gambler fugitive")
_m("persons_sentenced", "sentence", "person gambler fugitive")
_m("persons_rescued", "rescue", "person")
_m("persons_repatriated", "repatriate", "person gambler fugitive")
_m("gangs_dismantled", "dismantle investigate handle detain", "group")
_m("platforms_dismantled", "dismantle handle block investigate seize", "platform")
_m("dens_dismantled", "dismantle handle seize investigate", "den")
_m("websites_blocked", "block", "website")
_m("websites_handled", "handle dismantle investigate screen identify", "website")
_m("accounts_handled", "handle seize block punish", "account")
_m("accounts_screened", "screen identify", "account card")
_m("accounts_handled", "handle block", "card")
_m("items_seized", "seize detain intercept", "card item mass")
_m("drugs_seized", "seize detain intercept", "drug")
_m("funds_seized_frozen", "seize block intercept", "money")
_m("funds_recovered", "recover", "money")
_m("funds_involved", "involve", "money")
_m("fines_imposed", "punish", "money")
_m("messages_blocked", "block intercept", "message")
_m("messages_handled", "handle", "message")
_m("calls_blocked", "block intercept", "call")
_m("leads_handled", "handle investigate screen identify", "clue")

# Kinds that name their own metric whatever the verb.
KIND_METRICS: dict[str, str] = {
    "inspection": "inspections_conducted", "penalty": "penalties_imposed",
}  # fmt: skip
