"""Chinese bulletin templates: plausible releases of a provincial public security department.

Each template fills its figures (cases, suspects, gangs, money frozen, websites
closed ...) from the given ``random.Random``; a few templates carry no figure at
all, as routine releases (meetings, notices, open days) do.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime

from replica.content import Bulletin
from replica.numfmt import zh_count, zh_money, zh_percent

CITIES = (
    "南州",
    "东平",
    "青川",
    "安陵",
    "云溪",
    "临江",
    "北固",
    "西陵",
    "白沙",
    "石门",
    "洛川",
    "平阳",
)

_CLOSINGS = (
    "下一步，全省公安机关将保持高压严打态势，持续深化打击整治，坚决维护人民群众生命财产安全。",
    "公安机关提醒广大群众，提高防范意识，发现相关违法犯罪线索，请及时拨打110报警或向当地公安机关举报。",
    "下一步，公安机关将会同有关部门持续推进源头治理、综合治理，全力营造安全稳定的社会环境。",
    "公安机关将坚持打防管控一体推进，坚决斩断违法犯罪利益链条，切实增强人民群众的获得感、幸福感、安全感。",
)


def _md(when: datetime) -> str:
    return f"{when.month}月{when.day}日"


def _season(when: datetime) -> str:
    return ("冬季", "春季", "夏季", "秋季")[when.month % 12 // 3]


def _code(rng: random.Random) -> str:
    return f"“{rng.randint(1, 12)}·{rng.randint(1, 28)}”"


def gambling(rng: random.Random, city: str, when: datetime) -> Bulletin:
    return Bulletin(
        rng.choice(
            (
                f"{city}市公安机关打击治理跨境赌博取得阶段性成效",
                f"{city}警方通报打击跨境赌博犯罪工作情况",
                f"{city}公安破获一批跨境赌博案件",
            )
        ),
        (
            f"{_md(when)}，{city}市公安局召开新闻发布会，通报今年以来打击治理跨境赌博工作情况。",
            f"今年以来，{city}市公安机关共侦办跨境赌博案件{zh_count(rng, 40, 600, '起')}，"
            f"打掉涉赌犯罪团伙{zh_count(rng, 8, 120, '个')}，"
            f"抓获犯罪嫌疑人{zh_count(rng, 60, 2400, '名')}，"
            f"查扣冻结涉案资金{zh_money(rng, 300, 90_000)}。",
            f"其中，成功侦办{city}{_code(rng)}专案，打掉为境外赌博平台提供支付结算服务的地下钱庄"
            f"{zh_count(rng, 2, 30, '个')}，涉案流水{zh_money(rng, 5_000, 900_000)}。",
            rng.choice(_CLOSINGS),
        ),
        "zh",
    )


def fraud(rng: random.Random, city: str, when: datetime) -> Bulletin:
    return Bulletin(
        rng.choice(
            (
                f"{city}警方开展打击电信网络诈骗犯罪集中收网行动",
                f"{city}公安打掉一批电信网络诈骗犯罪团伙",
                f"{city}市公安局通报反诈工作成效",
            )
        ),
        (
            f"{_md(when)}凌晨，{city}市公安局组织警力{rng.randint(2, 15) * 100}余名"
            "开展集中收网行动，"
            f"一举打掉电信网络诈骗犯罪团伙{zh_count(rng, 3, 60, '个')}，抓获犯罪嫌疑人"
            f"{zh_count(rng, 20, 900, '名')}，破获案件{zh_count(rng, 50, 1800, '起')}，"
            f"冻结涉案资金{zh_money(rng, 80, 50_000)}。",
            f"今年以来，全市公安机关累计劝阻潜在受害群众{zh_count(rng, 3000, 180_000, '人次')}，"
            f"拦截诈骗电话{zh_count(rng, 10_000, 900_000, '个')}，紧急止付涉案资金"
            f"{zh_money(rng, 500, 60_000)}。",
            "警方提示：凡是自称“客服”要求转账的，凡是让下载陌生软件开启屏幕共享的，凡是“刷单返利”的，"
            "都是诈骗。",
            rng.choice(_CLOSINGS),
        ),
        "zh",
    )


def cyber(rng: random.Random, city: str, when: datetime) -> Bulletin:
    return Bulletin(
        rng.choice(
            (
                "省公安厅通报“净网”专项行动工作成果",
                f"{city}网警通报“净网”专项行动战果",
                f"{city}公安侦破一批侵犯公民个人信息案件",
            )
        ),
        (
            f"{_md(when)}，记者从省公安厅获悉，“净网”专项行动开展以来，"
            f"全省公安机关共侦破网络违法犯罪案件{zh_count(rng, 300, 5000, '起')}，"
            f"抓获犯罪嫌疑人{zh_count(rng, 200, 6000, '名')}。",
            f"全省网安部门累计清理网上违法有害信息{zh_count(rng, 20_000, 900_000, '条')}，"
            f"关停违法违规网站{zh_count(rng, 50, 3000, '个')}，"
            f"处置违规账号{zh_count(rng, 1000, 90_000, '个')}，"
            f"封堵涉赌涉诈网站{zh_count(rng, 5000, 200_000, '个')}。",
            f"其中，{city}市公安局网安支队侦破的{_code(rng)}侵犯公民个人信息案，查获公民个人信息"
            f"{zh_count(rng, 100_000, 90_000_000, '条')}。",
            rng.choice(_CLOSINGS),
        ),
        "zh",
    )


def elderly_fraud(rng: random.Random, city: str, when: datetime) -> Bulletin:
    return Bulletin(
        rng.choice(
            (f"{city}市公安局通报打击整治养老诈骗专项行动进展", f"{city}警方为老年群众追回被骗资金")
        ),
        (
            f"{_md(when)}，{city}市公安局通报打击整治养老诈骗专项行动进展情况。",
            f"专项行动开展以来，全市公安机关共破获养老诈骗案件{zh_count(rng, 20, 400, '起')}，"
            f"打掉犯罪团伙{zh_count(rng, 3, 40, '个')}，"
            f"抓获犯罪嫌疑人{zh_count(rng, 30, 700, '名')}，"
            f"为老年群众追赃挽损{zh_money(rng, 60, 30_000)}。",
            "公安机关提醒广大老年朋友，对以“高额回报”“免费体检”“以房养老”为名的推销要多留心眼，"
            "遇到可疑情况及时告知家人或报警。",
        ),
        "zh",
    )


def drugs(rng: random.Random, city: str, when: datetime) -> Bulletin:
    kg = round(rng.uniform(5, 900), 1)
    return Bulletin(
        rng.choice(
            (f"{city}公安禁毒部门破获一批毒品犯罪案件", f"{city}市公安局召开禁毒工作新闻通报会")
        ),
        (
            f"{_md(when)}，{city}市公安局召开禁毒工作新闻通报会。",
            f"今年以来，全市公安机关共破获毒品犯罪案件{zh_count(rng, 30, 900, '起')}，"
            f"抓获毒品犯罪嫌疑人{zh_count(rng, 40, 1200, '名')}，缴获各类毒品{kg:g}公斤，"
            f"查处吸毒人员{zh_count(rng, 100, 3000, '人次')}。",
            f"全市现有吸毒人员数同比下降{zh_percent(rng, 3, 25)}，毒品治理工作成效持续巩固。",
            rng.choice(_CLOSINGS),
        ),
        "zh",
    )


def fugitives(rng: random.Random, city: str, when: datetime) -> Bulletin:
    return Bulletin(
        rng.choice(
            ("全省公安机关“清零”追逃专项行动战果显著", f"{city}警方抓获一名潜逃多年的命案逃犯")
        ),
        (
            f"{_md(when)}，省公安厅通报“清零”追逃专项行动战果。行动开展以来，全省公安机关共抓获"
            f"网上在逃人员{zh_count(rng, 150, 3000, '名')}，"
            f"其中命案逃犯{zh_count(rng, 2, 40, '名')}，"
            f"潜逃10年以上的{zh_count(rng, 5, 120, '名')}。",
            f"{city}市公安局民警历时数月，辗转多地，"
            f"成功抓获潜逃{rng.randint(11, 29)}年的命案逃犯张某。",
            rng.choice(_CLOSINGS),
        ),
        "zh",
    )


def traffic(rng: random.Random, city: str, when: datetime) -> Bulletin:
    return Bulletin(
        f"{city}交警开展{_season(when)}道路交通安全集中整治",
        (
            f"{_md(when)}，{city}市公安局交通警察支队通报{_season(when)}道路交通安全集中整治情况。",
            f"整治期间，全市共查处各类交通违法行为{zh_count(rng, 8000, 300_000, '起')}，"
            f"其中酒驾醉驾{zh_count(rng, 100, 4000, '起')}，"
            f"全市道路交通事故起数同比下降{zh_percent(rng, 2, 30)}。",
            "交警部门提醒，驾驶人要自觉遵守交通法规，做到“开车不喝酒，喝酒不开车”。",
        ),
        "zh",
    )


def meeting(rng: random.Random, city: str, when: datetime) -> Bulletin:
    topic = rng.choice(("平安建设", "执法规范化建设", "基层基础", "科技兴警"))
    return Bulletin(
        f"省公安厅召开全省公安机关{topic}工作推进会",
        (
            f"{_md(when)}，省公安厅在{city}市召开全省公安机关{topic}工作推进会，"
            "总结前一阶段工作，分析当前形势，部署下一步任务。",
            "会议强调，各级公安机关要坚持问题导向、目标导向，压实工作责任，强化督导检查，"
            "确保各项工作部署落地见效。",
            "各市公安局主要负责同志、厅机关各部门负责同志参加会议。",
        ),
        "zh",
    )


def open_day(rng: random.Random, city: str, when: datetime) -> Bulletin:
    return Bulletin(
        f"{city}市公安局开展“警营开放日”活动",
        (
            f"{_md(when)}，{city}市公安局开展“警营开放日”活动，邀请人大代表、政协委员、"
            "学生和社区群众走进警营，零距离感受公安工作。",
            rng.choice(
                (
                    "活动中，民警向参观群众展示了警用装备，讲解了防范电信网络诈骗知识。",
                    "参观群众观看了警犬技能表演，体验了模拟办理户籍、出入境业务流程。",
                )
            ),
            "大家纷纷表示，通过活动更加了解公安工作，也学到了实用的安全防范知识。",
        ),
        "zh",
    )


def notice(rng: random.Random, city: str, when: datetime) -> Bulletin:
    service = rng.choice(("出入境证件", "户籍业务", "机动车驾驶证"))
    return Bulletin(
        f"关于优化{service}办理服务的公告",
        (
            f"为进一步方便群众办事，省公安厅决定自即日起优化{service}办理服务，现将有关事项公告如下。",
            f"群众可通过省公安厅政务服务平台在线预约，就近选择{city}等地的办事窗口办理。",
            "办理过程中如有疑问，可咨询当地公安机关窗口工作人员。",
            "特此公告。",
        ),
        "zh",
    )


Template = Callable[[random.Random, str, datetime], Bulletin]

#: The templates, with figures first; the last three carry no figure.
TEMPLATES: tuple[Template, ...] = (
    gambling,
    fraud,
    cyber,
    elderly_fraud,
    drugs,
    fugitives,
    traffic,
    meeting,
    open_day,
    notice,
)


def generate(rng: random.Random, when: datetime) -> Bulletin:
    """A new Chinese bulletin dated `when` (mostly with figures, sometimes without)."""
    template = rng.choice(TEMPLATES[:7] * 2 + TEMPLATES[7:])
    return template(rng, rng.choice(CITIES), when)
