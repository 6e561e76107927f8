"""Make the CJK font the web app ships (web/static/fonts/), from Noto Sans CJK.

The charts drawn on the server (vl-convert) and the pages both need a font with
Chinese glyphs that comes with the install. The full Noto Sans CJK is 19 MB;
this keeps what bulletins and charts print: ASCII and Latin-1, general and CJK
punctuation, full-width forms and the 6,763 hanzi of GB 2312 (every province,
city and word of the metric labels). Rarer characters fall back to the
reader's own fonts in the browser.

Source: Debian's fonts-noto-cjk (SIL Open Font License 1.1; Noto declares no
Reserved Font Name, so a subset may keep its name):

    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb x
    pip install fonttools
    python scripts/subset-font.py x/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

FACE = "Noto Sans CJK SC"
OUT = Path(__file__).resolve().parents[1] / "web" / "static" / "fonts" / "NotoSansCJKsc-subset.otf"


def gb2312_hanzi() -> list[int]:
    chars = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def codepoints() -> list[int]:
    ranges = [
        (0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x214F), (0x2190, 0x21FF),
        (0x2460, 0x24FF), (0x25A0, 0x25FF), (0x3000, 0x303F), (0xFF00, 0xFFEF),
    ]  # fmt: skip
    points = [cp for lo, hi in ranges for cp in range(lo, hi + 1)]
    return sorted(set(points + gb2312_hanzi()))


def main(source: str) -> None:
    collection = TTCollection(source)
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == FACE)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints())
    subsetter.subset(font)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(OUT))
    print(f"{OUT}: {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
