"""English figures: head nouns, verbs (active, passive, carried), qualifiers, units."""

from __future__ import annotations

import pytest

from .helpers import Row, rows

CASES: list[tuple[str, list[Row]]] = [
    ("Police arrested more than 60,000 suspects.", [
        (60000, "person", "more_than", "suspects_arrested"),
    ]),
    ("The organs had established more than 8,800 cross-border gambling cases.", [
        (8800, "case", "more_than", "cases_filed"),
    ]),
    ("The police have handled 9,150 cases hindering border management.", [
        (9150, "case", "exact", "cases_investigated"),
    ]),
    ("They detained 6,700 suspects, including 215 organizers.", [
        (6700, "person", "exact", "suspects_detained"),
        (215, "person", "exact", "suspects_detained"),
    ]),
    ("Through Interpol, 26 fugitives have been successfully apprehended.", [
        (26, "person", "exact", "fugitives_captured"),
    ]),
    # one verb governs a comma list, and the head noun picks each metric
    ("Police eliminated 1,700 gambling platforms, 730 illegal technical teams and 820"
     " promotion platforms.", [
        (1700, "platform", "exact", "platforms_dismantled"),
        (730, "group", "exact", "gangs_dismantled"),
        (820, "platform", "exact", "platforms_dismantled"),
    ]),
    ("Police dismantled 3,644 underworld organizations.", [
        (3644, "group", "exact", "gangs_dismantled"),
    ]),
    # passive verbs after the number, over a whole enumeration
    ("A total of 392 firearms, about 1,190 kilograms of various types of drugs and 50 metric"
     " tons of drug production materials were seized.", [
        (392, "firearm", "exact", "items_seized"),
        (1190, "kg", "about", "drugs_seized"),
        (50000, "kg", "exact", "drugs_seized"),
    ]),
    ("Border police seized 1.6 tonnes of drugs and 85 guns.", [
        (1600, "kg", "exact", "drugs_seized"),
        (85, "firearm", "exact", "items_seized"),
    ]),
    # money
    ("Police froze 2.7 billion yuan of illegal funds.", [
        (2700000000, "CNY", "exact", "funds_seized_frozen"),
    ]),
    ("The funds involved amounted to 300 billion yuan.", [
        (300000000000, "CNY", "exact", "funds_involved"),
    ]),
    ("RMB 5 million was recovered for victims.", [(5000000, "CNY", "exact", "funds_recovered")]),
    ("328.8 billion yuan of funds involved in the case were urgently intercepted.", [
        (328800000000, "CNY", "exact", "funds_seized_frozen"),
    ]),
    ("It found that the funds involved amounted to trillions of yuan.", [
        (1000000000000, "CNY", "vague", "funds_involved"),
    ]),
    ("Assets worth $12 million were frozen.", [(12000000, "USD", "exact", "funds_seized_frozen")]),
    ("Police froze 328.8 billion yuan (about 46.3 billion U.S. dollars) of funds.", [
        (328800000000, "CNY", "exact", "funds_seized_frozen"),
    ]),
    # websites, accounts, messages, clues, people
    ("The authorities blocked 35,000 harmful websites.", [
        (35000, "website", "exact", "websites_blocked"),
    ]),
    ("More than 28,000 suspicious accounts have been dealt with.", [
        (28000, "account", "more_than", "accounts_handled"),
    ]),
    ("They checked and handled more than 8,000 clues to bank accounts.", [
        (8000, "clue", "more_than", "leads_handled"),
    ]),
    ("blocking harmful short messages more than 73 million times", [
        (73000000, "time", "more_than", "messages_blocked"),
    ]),
    ("More than 11,500 gambling participants have been handled according to law.", [
        (11500, "person", "more_than", "gamblers_punished"),
    ]),
    ("Police have met and dissuaded a total of 13.89 million people.", [
        (13890000, "person", "exact", "people_dissuaded"),
    ]),
    ("They prevented 21,000 individuals from leaving the country.", [
        (21000, "person", "exact", "persons_intercepted"),
    ]),
    ("The NIA repatriated 12,000 foreign nationals.", [
        (12000, "person", "exact", "persons_repatriated"),
    ]),
    ("Prosecutors indicted 230,000 people.", [(230000, "person", "exact", "persons_prosecuted")]),
    ("Agencies conducted about 97 million inspections of travellers.", [
        (97000000, "inspection", "about", "inspections_conducted"),
    ]),
    ("Police handed over 300 suspects to the court.", [
        (300, "person", "exact", "suspects_handed_over"),
    ]),
    # a passive verb before a number belongs to the phrase before it
    ("The MPS said 4,000 people were rescued and 5,000 victims received help.", [
        (4000, "person", "exact", "persons_rescued"),
        (5000, "person", "exact", "other"),
    ]),
    # irregular plurals, and a mass noun after "of"
    ("Police rescued 1,200 women and children.", [(1200, "person", "exact", "persons_rescued")]),
    ("Police seized 3.4 tons of methamphetamine.", [(3400, "kg", "exact", "drugs_seized")]),
    ("The gangs laundered money involving 2.5 billion yuan.", [
        (2500000000, "CNY", "exact", "funds_involved"),
    ]),
    # number words
    ("A dozen suspects were arrested.", [(12, "person", "exact", "suspects_arrested")]),
    ("Police detained five suspects.", [(5, "person", "exact", "suspects_detained")]),
    ("Twelve gangs were dismantled.", [(12, "group", "exact", "gangs_dismantled")]),
    ("Police cracked twenty-six cases.", [(26, "case", "exact", "cases_investigated")]),
    # percentages and unknown plural nouns
    ("Cases rose 18.7 percent year on year.", [(18.7, "percent", "exact", "other")]),
    ("The clearance rate reached 95%.", [(95, "percent", "exact", "other")]),
    ("Some 580 million inbound and outbound trips were made.", [
        (580000000, "trip", "about", "other"),
    ]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:24] for c in CASES])
def test_english_figures(text: str, expected: list[Row]) -> None:
    assert rows(text) == expected


QUALIFIERS = [
    ("Police arrested more than 300 suspects.", 300, "more_than"),
    ("Police arrested over 3,000 suspects.", 3000, "more_than"),
    ("Police arrested 300-plus suspects.", 300, "more_than"),
    ("Police arrested 300 or more suspects.", 300, "more_than"),
    ("Police arrested nearly 300 suspects.", 300, "nearly"),
    ("Police arrested almost 300 suspects.", 300, "nearly"),
    ("Police arrested about 300 suspects.", 300, "about"),
    ("Police arrested around 300 suspects.", 300, "about"),
    ("Police arrested approximately 300 suspects.", 300, "about"),
    ("Police arrested at least 300 suspects.", 300, "at_least"),
    ("Police arrested no fewer than 300 suspects.", 300, "at_least"),
    ("Police arrested up to 300 suspects.", 300, "up_to"),
    ("Police arrested thousands of suspects.", 1000, "vague"),
    ("Police arrested tens of thousands of suspects.", 10000, "vague"),
    ("Police arrested a total of 300 suspects.", 300, "exact"),
    # ranges: the lower bound, at least
    ("Police arrested 10-20 suspects.", 10, "at_least"),
    ("Police arrested 10 to 20 suspects.", 10, "at_least"),
    ("Police arrested between 10 and 20 suspects.", 10, "at_least"),
    ("Police froze 2 to 3 million yuan.", 2000000, "at_least"),
]


@pytest.mark.parametrize(("text", "value", "qualifier"), QUALIFIERS)
def test_english_qualifiers(text: str, value: int, qualifier: str) -> None:
    [(got_value, _, got_qualifier, _)] = rows(text)
    assert (got_value, got_qualifier) == (value, qualifier)
