"""Chinese numerals: 三百二十一, 两千零五, 13.6万, 38亿6千万, 10万万, 壹佰贰拾, 一七二零点一.

Reads text already in Simplified characters (the character map turns 萬 億 貳 陸 into
万 亿 贰 陆).  A number is split at its highest big unit (兆 > 亿 > 万): what stands
before the unit's last occurrence is multiplied by it (so 10万万 is 10 x 10^4 x 10^4),
what follows must be smaller than the unit.  Below 万, units must fall (千 > 百 > 十).
Anything else (十一十二, 百十一, 一亿万, 10.1万零100) is not one number: None.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .numeral import Numeral, parse_arabic
from .vocabulary import ZH_QUALIFIER_PREFIXES, ZH_QUALIFIER_SUFFIXES

ZH_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "幺": 1, "二": 2, "贰": 2, "两": 2, "俩": 2,
    "三": 3, "叁": 3, "参": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7,
    "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
ZH_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
ZH_BIG_UNITS: dict[str, int] = {"万": 10**4, "亿": 10**8, "兆": 10**12}
ZH_SCALE_CHARS = "十拾百佰千仟万亿"
# The characters the figure finders take as numerals in running text: not 参 (参赌),
# 俩, 幺 or 兆, which are numerals only in a string known to be one.
ZH_NUMERAL_CHARS = "零〇○一二两三四五六七八九壹贰叁肆伍陆柒捌玖" + ZH_SCALE_CHARS
_ZEROS = frozenset("零〇○")
_TENS = {"廿": "二十", "卅": "三十", "卌": "四十"}

# Qualifiers inside a numeral: 500余万, 一千多万, 二十几万, 十来个; before a bare unit:
# 上百万, 数百, 几十.
_INNER = {"余": "more_than", "多": "more_than", "几": "more_than", "来": "about"}
_BARE_PREFIXES = {"上": "more_than", "过": "more_than", "数": "vague", "几": "vague"}
_PREFIXES = {w: q for w, q in ZH_QUALIFIER_PREFIXES.items() if q != "exact"}
_SUFFIXES = dict(ZH_QUALIFIER_SUFFIXES)
_FINANCIAL_SUFFIXES = ("元整", "圆整", "整")

_SPACE_RE = re.compile(r"\s*([^\x00-\x7f])\s*")
_TOKEN_RE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|.", re.S)
_FRACTION_RE = re.compile(r"(?P<den>.+?)分之(?P<num>.+)")
# The most big units one number can hold (1兆2千亿3千万 has three, 10万万 two): more is a
# run of characters, not a number, and would recurse once per unit.
_MAX_BIG_UNITS = 6

# (kind, value, text); kinds: num (Arabic), digit, zero, small, big, point, inner.
Token = tuple[str, Decimal, str]


def parse(text: str) -> Numeral | None:
    s = _SPACE_RE.sub(r"\1", text).strip()
    qualifier = "exact"
    for size in (3, 2, 1):
        if s[:size] in _PREFIXES and len(s) > size:
            qualifier, s = _PREFIXES[s[:size]], s[size:]
            break
    for suffix, q in _SUFFIXES.items():
        if s.endswith(suffix) and len(s) > len(suffix):
            qualifier, s = q, s[: -len(suffix)]
            break
    numeral = _parse_body(s)
    if numeral is None:
        return None
    if qualifier != "exact" and numeral.qualifier != "exact" and qualifier != numeral.qualifier:
        return None  # 约500余万: two qualifiers that disagree
    return Numeral(numeral.value, numeral.qualifier if qualifier == "exact" else qualifier)


def _parse_body(s: str) -> Numeral | None:
    for suffix in _FINANCIAL_SUFFIXES:
        if s.endswith(suffix) and len(s) > len(suffix):
            s = s[: -len(suffix)]
            break
    if s == "半百":
        return Numeral(Decimal(50))
    for short, full in _TENS.items():
        s = s.replace(short, full)
    if s.startswith(("百分之", "千分之", "万分之")):
        rest = _parse_body(s[3:])
        scale = {"百": Decimal("0.01"), "千": Decimal("0.001"), "万": Decimal("0.0001")}[s[0]]
        return None if rest is None else Numeral(rest.value * scale, rest.qualifier)
    if "分之" in s:
        return _fraction(s)
    if s.endswith("打"):  # dozens: 一打, 三打, 半打
        count = Decimal("0.5") if s == "半打" else _plain(s[:-1])
        return None if count is None else Numeral(count * 12)
    qualifier = "exact"
    if s[:1] in _BARE_PREFIXES and len(s) > 1 and s[1] in ZH_SCALE_CHARS:
        qualifier, s = _BARE_PREFIXES[s[0]], s[1:]  # 上百万, 数十, 几千
        if not all(c in ZH_SCALE_CHARS for c in s):
            return None
    tokens = _tokens(s)
    if tokens is None or sum(t[0] == "big" for t in tokens) > _MAX_BIG_UNITS:
        return None
    inner = [i for i, t in enumerate(tokens) if t[0] == "inner"]
    if inner:
        if qualifier != "exact" or len(inner) > 1:
            return None
        i = inner[0]
        following = tokens[i + 1 : i + 2]
        if i == 0 or (following and following[0][0] != "big"):
            return None  # 余 only after a number and before 万/亿 or at the end
        qualifier = _INNER[tokens[i][2]]
        tokens = tokens[:i] + tokens[i + 1 :]
    value = _value(tokens)
    return None if value is None else Numeral(value, qualifier)


def _plain(s: str) -> Decimal | None:
    numeral = _parse_body(s)
    return numeral.value if numeral is not None and numeral.qualifier == "exact" else None


def _fraction(s: str) -> Numeral | None:
    """四分之三 -> 0.75; a fraction with no finite decimal (三分之一) is None."""
    m = _FRACTION_RE.fullmatch(s)
    if m is None:
        return None
    den, num = _plain(m.group("den")), _plain(m.group("num"))
    if not den or num is None or den != den.to_integral_value():
        return None
    d = int(den)
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    return Numeral(num / den) if d == 1 else None


def _tokens(s: str) -> list[Token] | None:
    """Tokens of a numeral, or None at a character that cannot be in one."""
    out: list[Token] = []
    for piece in _TOKEN_RE.findall(s):
        if piece[0].isdigit():
            value = parse_arabic(piece)
            if value is None:
                return None
            out.append(("num", value, piece))
        elif piece in _ZEROS:
            out.append(("zero", Decimal(0), piece))
        elif piece in ZH_DIGITS:
            out.append(("digit", Decimal(ZH_DIGITS[piece]), piece))
        elif piece in ZH_SMALL_UNITS:
            out.append(("small", Decimal(ZH_SMALL_UNITS[piece]), piece))
        elif piece in ZH_BIG_UNITS:
            out.append(("big", Decimal(ZH_BIG_UNITS[piece]), piece))
        elif piece == "点":
            out.append(("point", Decimal(0), piece))
        elif piece in _INNER:
            out.append(("inner", Decimal(0), piece))
        else:
            return None
    return out or None


def _value(tokens: list[Token]) -> Decimal | None:
    points = [i for i, t in enumerate(tokens) if t[0] == "point"]
    if points:
        return _decimal(tokens, points)
    if all(t[0] in ("digit", "zero") for t in tokens):
        # 二〇二三, 一七二零: digits read one by one (a lone 零 is 0).
        return Decimal("".join(str(int(t[1])) for t in tokens))
    return _integer(tokens)


def _decimal(tokens: list[Token], points: list[int]) -> Decimal | None:
    """三点五, 一百点123, 一七二零点一, 三点五万 (a big unit may follow the decimals)."""
    if len(points) > 1:
        return None
    p = points[0]
    head, tail = tokens[:p], tokens[p + 1 :]
    units = Decimal(1)
    while tail and tail[-1][0] == "big":
        units *= tail.pop()[1]
    if not head or not tail:
        return None
    whole = _value(head)
    if whole is None or whole != whole.to_integral_value():
        return None
    if all(t[0] in ("digit", "zero") for t in tail):
        digits = "".join(str(int(t[1])) for t in tail)
    elif len(tail) == 1 and tail[0][0] == "num" and tail[0][2].isdigit():
        digits = tail[0][2]
    else:
        return None
    return (whole + Decimal("0." + digits)) * units


def _integer(tokens: list[Token]) -> Decimal | None:
    for unit in (Decimal(10**12), Decimal(10**8), Decimal(10**4)):
        at = [i for i, t in enumerate(tokens) if t[0] == "big" and t[1] == unit]
        if at:
            return _split(tokens, at[-1], unit)
    return _section(tokens)


def _split(tokens: list[Token], i: int, unit: Decimal) -> Decimal | None:
    left, right = tokens[:i], tokens[i + 1 :]
    if right and right[0][0] == "big":
        return None  # 一亿万
    head = _integer(left) if left else Decimal(1)
    if head is None or head == 0:
        return None
    if not right:
        return head * unit
    if head != head.to_integral_value():
        return None  # 10.1万零100: a decimal ends the numeral
    zero = right[0][0] == "zero"
    while right and right[0][0] == "zero":
        right = right[1:]
    if not right:
        return None
    rest: Decimal | None
    if not zero and len(right) == 1 and right[0][0] == "digit":
        if not left:
            return None  # 万一 is a word ("in case"), not 11000
        rest = right[0][1] * unit / 10  # 三万五, 一亿二
    elif not zero and len(right) == 1 and right[0][0] == "num":
        digits = right[0][2].replace(",", "")
        if not digits.isdigit() or len(digits) != len(str(int(unit))) - 1:
            return None  # 1万2,345 is 12345; 1万23 is not a number
        rest = right[0][1]
    else:
        rest = _integer(right)
    if rest is None or rest >= unit:
        return None
    return head * unit + rest


def _section(tokens: list[Token]) -> Decimal | None:
    """A number below 万: 三百二十一, 两千零五, 一百二, 四千230, 300十 (Arabic before one unit)."""
    total = Decimal(0)
    last_unit: Decimal | None = None
    pending: Token | None = None
    zero = fraction = implicit = False
    for tok in tokens:
        if fraction:
            return None  # 1.5千三百: a decimal ends the numeral
        kind, value = tok[0], tok[1]
        if kind == "zero":
            if pending is not None or last_unit is None:
                return None
            zero = True
        elif kind in ("digit", "num"):
            if pending is not None:
                return None
            pending = tok
        elif kind == "small":
            if last_unit is not None and value >= last_unit:
                return None  # 百十一, 十一十二
            if pending is None:
                if total or zero or last_unit is not None:
                    return None  # 一千百
                count = Decimal(1)  # 十一, 百
                implicit = True
            else:
                count = pending[1]
                if last_unit is not None and count >= 10:
                    return None  # a second unit takes one Chinese digit: 一千二百
                fraction = count != count.to_integral_value()  # 1.5千 ends there
            total += count * value
            last_unit, pending, zero = value, None, False
        else:
            return None
    if pending is None:
        return total if last_unit is not None else None
    count = pending[1]
    if last_unit is None:
        return count
    if zero:
        return total + count if count < last_unit / 10 else None  # 两千零五, 一千零23
    if pending[0] == "digit":
        if last_unit == 10:
            return total + count  # 二十一
        if implicit:
            return None  # 百一, 千二: 110 or 101?
        return total + count * last_unit / 10  # 一百二, 两千六
    digits = pending[2].replace(",", "")
    if digits.isdigit() and len(digits) == len(str(int(last_unit))) - 1:
        return total + count  # 四千230
    return None
