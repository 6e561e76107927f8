"""English bulletin templates, in the style of a ministry's English news column."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime

from replica.content import Bulletin
from replica.numfmt import en_count, en_money

PROVINCES = (
    "Yunnan",
    "Guangxi",
    "Fujian",
    "Zhejiang",
    "Jiangxi",
    "Sichuan",
    "Hunan",
    "Guangdong",
    "Shandong",
    "Henan",
    "Hubei",
    "Jiangsu",
)

_CLOSINGS = (
    "The ministry said it would keep up the pressure and work with other departments to cut "
    "the chains of interest behind such crimes.",
    "Police urged the public to stay alert and to report any clues to the local public security "
    "authorities.",
    "The ministry vowed to step up international law enforcement cooperation and to pursue the "
    "ringleaders hiding abroad.",
)


def _day(when: datetime) -> str:
    return f"on {when:%A}"


def fraud(rng: random.Random, province: str, when: datetime) -> Bulletin:
    return Bulletin(
        rng.choice(
            (
                f"Police step up fight against telecom and online fraud in {province}",
                f"{province} police crack down on telecom fraud gangs",
            )
        ),
        (
            f"Police in {province} province have solved {en_count(rng, 800, 12_000)} cases of "
            f"telecom and online fraud so far this year and apprehended "
            f"{en_count(rng, 500, 9000)} suspects, the Ministry of Public Security said "
            f"{_day(when)}.",
            f"Anti-fraud centers intercepted {en_money(rng, 2000, 400_000)} in funds and dissuaded "
            f"{en_count(rng, 20_000, 2_500_000)} people from transferring money to fraudsters, "
            "according to the ministry.",
            "Fraudsters posing as customer service staff, fake investment platforms and "
            "order-brushing schemes remain the most common types of fraud, police said.",
            rng.choice(_CLOSINGS),
        ),
        "en",
    )


def gambling(rng: random.Random, province: str, when: datetime) -> Bulletin:
    return Bulletin(
        rng.choice(
            (
                "Ministry reports results of campaign against cross-border gambling",
                f"Cross-border gambling gangs dismantled, {province} underground bank broken up",
            )
        ),
        (
            f"Public security organs have dismantled {en_count(rng, 30, 900)} "
            f"cross-border gambling gangs and {en_count(rng, 40, 1700)} online gambling "
            f"platforms since the start of the campaign, the Ministry of Public Security said "
            f"{_day(when)}.",
            f"Police froze {en_money(rng, 10_000, 2_000_000)} involved in the cases and handled "
            f"{en_count(rng, 1000, 30_000)} bank accounts suspected of settling payments for "
            "gambling platforms.",
            f"In {province}, police broke up an underground bank that had moved gambling money "
            "abroad for several overseas operators.",
            rng.choice(_CLOSINGS),
        ),
        "en",
    )


def cyber(rng: random.Random, province: str, when: datetime) -> Bulletin:
    return Bulletin(
        rng.choice(
            (
                "Clean cyberspace campaign removes illegal information and websites",
                "Cybersecurity police shut down illegal websites",
            )
        ),
        (
            f"Cybersecurity police removed {en_count(rng, 100_000, 9_000_000)} pieces of illegal "
            f"and harmful information and shut down {en_count(rng, 200, 9000)} illegal websites "
            f"during the campaign, the ministry said {_day(when)}.",
            f"They also blocked {en_count(rng, 5000, 400_000)} gambling and fraud websites and "
            f"handled {en_count(rng, 3000, 200_000)} accounts that violated regulations.",
            f"A case in {province} involving the sale of personal information led to the arrest of "
            f"{en_count(rng, 10, 300)} suspects.",
            rng.choice(_CLOSINGS),
        ),
        "en",
    )


def border(rng: random.Random, province: str, when: datetime) -> Bulletin:
    return Bulletin(
        rng.choice(
            (
                "Border inspection intercepts people attempting illegal exit",
                f"Border patrols stepped up along the {province} frontier",
            )
        ),
        (
            f"Border inspection authorities intercepted {en_count(rng, 1000, 30_000)} people "
            f"attempting to leave the country illegally over the past three months, the National "
            f"Immigration Administration said {_day(when)}.",
            f"They captured {en_count(rng, 50, 4000)} suspects involved in smuggling people across "
            f"the border and seized {round(rng.uniform(20, 2000), 1):,} kilograms of drugs.",
            f"Patrols along the border with {province} have been strengthened, the administration "
            "said.",
            rng.choice(_CLOSINGS),
        ),
        "en",
    )


def fugitives(rng: random.Random, province: str, when: datetime) -> Bulletin:
    return Bulletin(
        rng.choice(
            (
                "Fugitives brought back to face justice",
                f"Fugitives returned from overseas via {province}",
            )
        ),
        (
            f"Police have captured {en_count(rng, 200, 6000)} fugitives this year, including "
            f"{en_count(rng, 5, 150)} who had been on the run for more than a decade, the Ministry "
            f"of Public Security said {_day(when)}.",
            f"Through international cooperation, {en_count(rng, 10, 400)} suspects were returned "
            f"from overseas, several of them handed over at a port in {province}.",
            rng.choice(_CLOSINGS),
        ),
        "en",
    )


def elderly_fraud(rng: random.Random, province: str, when: datetime) -> Bulletin:
    return Bulletin(
        rng.choice(
            (
                "Campaign against fraud targeting the elderly recovers losses",
                "Police recover losses for elderly fraud victims",
            )
        ),
        (
            f"Police nationwide have solved {en_count(rng, 1000, 40_000)} cases of fraud targeting "
            f"elderly people and recovered {en_money(rng, 5000, 3_000_000)} in losses, the "
            f"ministry said {_day(when)}.",
            f"In {province}, police broke up {en_count(rng, 3, 90)} gangs selling fake health "
            "products to older residents.",
            rng.choice(_CLOSINGS),
        ),
        "en",
    )


def meeting(rng: random.Random, province: str, when: datetime) -> Bulletin:
    return Bulletin(
        rng.choice(
            (
                "Ministry holds meeting on public security work for the holiday season",
                "Police told to ensure safety during the holidays",
            )
        ),
        (
            f"The Ministry of Public Security held a video conference {_day(when)} to arrange "
            "public security work for the coming holiday season.",
            "Police were asked to strengthen patrols in crowded places, ensure traffic safety on "
            "major roads and respond quickly to calls for help.",
            f"Officials from {province} and other provinces shared their experience at the "
            "meeting.",
        ),
        "en",
    )


def visitors(rng: random.Random, province: str, when: datetime) -> Bulletin:
    return Bulletin(
        rng.choice(
            (
                "Police to improve services for foreign visitors",
                f"Immigration service halls in {province} to offer more services",
            )
        ),
        (
            f"The National Immigration Administration said {_day(when)} that it would further "
            "simplify procedures for foreigners visiting China for business, study and tourism.",
            f"Entry and exit service halls in {province} and elsewhere will offer more services in "
            "foreign languages, and online appointments will be available.",
            "The administration said it welcomed suggestions from foreign visitors.",
        ),
        "en",
    )


def delegation(rng: random.Random, province: str, when: datetime) -> Bulletin:
    return Bulletin(
        rng.choice(
            (
                "Ministry hosts visiting police delegation",
                "Ministry officials meet foreign police delegation",
            )
        ),
        (
            f"Senior officials of the Ministry of Public Security met a visiting police delegation "
            f"in Beijing {_day(when)}.",
            "The two sides exchanged views on combating transnational crime, including telecom "
            "fraud, drug trafficking and human smuggling, and agreed to deepen cooperation.",
            f"The delegation is also scheduled to visit {province}.",
        ),
        "en",
    )


Template = Callable[[random.Random, str, datetime], Bulletin]

#: The templates, with figures first; the last three carry no figure.
TEMPLATES: tuple[Template, ...] = (
    fraud,
    gambling,
    cyber,
    border,
    fugitives,
    elderly_fraud,
    meeting,
    visitors,
    delegation,
)


def generate(rng: random.Random, when: datetime) -> Bulletin:
    """A new English bulletin dated `when` (mostly with figures, sometimes without)."""
    template = rng.choice(TEMPLATES[:6] * 2 + TEMPLATES[6:])
    return template(rng, rng.choice(PROVINCES), when)
