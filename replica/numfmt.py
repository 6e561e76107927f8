"""Write numbers the way bulletins do: 1578人, 1.6万余名, 三百余个, 约2.7亿元, "more than 8,800".

Every function takes the ``random.Random`` that chooses the style, so a bulletin
is the same each time its generator is seeded the same.
"""

from __future__ import annotations

import random

_DIGITS = "零一二三四五六七八九"
_ZH_PREFIX = ("约", "近", "超过")
_ZH_SUFFIX = ("余", "多")


def zh_numeral(n: int) -> str:
    """A number below 10000 in Chinese numerals: 300 -> 三百, 2000 -> 两千, 45 -> 四十五."""
    if not 0 < n < 10000:
        raise ValueError(f"zh_numeral takes 1..9999, not {n}")
    parts: list[str] = []
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if zero:
                parts.append("零")
                zero = False
            word = "两" if digit == 2 and unit in ("千", "百") else _DIGITS[digit]
            parts.append(word + unit)
        elif parts:
            zero = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def _wan(n: int) -> str:
    """13_600 -> 1.36万, 120_000 -> 12万."""
    value = round(n / 10_000, 2 if n < 100_000 else 1)
    return f"{value:g}万"


def _round(n: int, digits: int = 2) -> int:
    """`n` kept to its first `digits` significant digits: 1732 -> 1700."""
    scale = 10 ** max(0, len(str(n)) - digits)
    return n // scale * scale


def zh_count(rng: random.Random, low: int, high: int, unit: str) -> str:
    """A count with its measure word, in one of the styles bulletins use."""
    n = rng.randint(low, high)
    style = rng.random()
    if n >= 100 and style < 0.1 and _round(n, 1) < 10000:
        return f"{zh_numeral(_round(n, 1))}余{unit}"  # 三百余名
    if n >= 20_000 and style >= 0.3:
        if rng.random() < 0.5:
            return f"{rng.choice(_ZH_PREFIX)}{_wan(n)}{unit}"  # 约1.6万名
        return f"{_wan(n)}{rng.choice(('', '余'))}{unit}"  # 1.6万余名
    if n < 20 or style < 0.7:
        return f"{n}{unit}"
    if rng.random() < 0.5:
        return f"{rng.choice(_ZH_PREFIX)}{_round(n)}{unit}"  # 近1700名
    return f"{_round(n)}{rng.choice(_ZH_SUFFIX)}{unit}"  # 1700余名


def zh_money(rng: random.Random, low_wan: int, high_wan: int) -> str:
    """A sum of yuan given in 万 (10^4): 860万元, 约2.7亿元, 1.2亿余元."""
    wan = rng.randint(low_wan, high_wan)
    prefix = rng.choice(("", "", "约", "近", "超过"))
    suffix = "余" if not prefix and rng.random() < 0.4 else ""
    if wan >= 10_000:
        yi = round(wan / 10_000, 1 if wan < 100_000 else 0)
        return f"{prefix}{yi:g}亿{suffix}元"
    return f"{prefix}{wan}万{suffix}元"


def zh_percent(rng: random.Random, low: float, high: float) -> str:
    return f"{round(rng.uniform(low, high), 1):g}%"


_EN_QUALIFIERS = ("", "", "more than ", "about ", "nearly ", "over ", "around ")


def en_count(rng: random.Random, low: int, high: int) -> str:
    """1,578 / more than 8,800 / about 1.3 million."""
    n = rng.randint(low, high)
    qualifier = rng.choice(_EN_QUALIFIERS) if n >= 20 else ""
    if n >= 1_000_000 and rng.random() < 0.7:
        return f"{qualifier}{round(n / 1_000_000, 1):g} million"
    if qualifier:
        n = _round(n)
    return f"{qualifier}{n:,}"


def en_money(rng: random.Random, low_wan: int, high_wan: int) -> str:
    """A sum of yuan given in 万: "about 2.7 billion yuan", "86.5 million yuan"."""
    yuan = rng.randint(low_wan, high_wan) * 10_000
    qualifier = rng.choice(_EN_QUALIFIERS)
    if yuan >= 1_000_000_000:
        return f"{qualifier}{round(yuan / 1e9, 1):g} billion yuan"
    return f"{qualifier}{round(yuan / 1e6, 1):g} million yuan"
