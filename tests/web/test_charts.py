"""Vega-Lite specs and their drawing on the server, with the CJK font of the package."""

from __future__ import annotations

import struct
import subprocess
import sys
import zlib
from datetime import date
from pathlib import Path

from web import charts
from web.query.series import Point, Series, SeriesResult

GLYPHS = "抓获犯罪嫌疑人广东浙江"


def dark_pixels(png: bytes) -> int:
    """Pixels darker than mid-grey in an 8-bit RGB(A) PNG (stdlib only)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, width = 8, b"", 0
    channels = 4
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, body = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            width, _height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6)
            channels = 4 if color == 6 else 3
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    raw, stride = zlib.decompress(idat), width * channels
    previous, dark = bytearray(stride), 0
    for row_start in range(0, len(raw), stride + 1):
        kind, line = raw[row_start], bytearray(raw[row_start + 1 : row_start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                guess = min(
                    (abs(p - left), 0, left), (abs(p - up), 1, up), (abs(p - corner), 2, corner)
                )
                line[i] = (line[i] + guess[2]) & 0xFF
        for i in range(0, stride, channels):
            alpha = line[i + 3] if channels == 4 else 255
            if alpha > 128 and sum(line[i : i + 3]) < 3 * 128:
                dark += 1
        previous = line
    return dark


def text_spec() -> dict[str, object]:
    return {
        "data": {"values": [{"t": GLYPHS}]},
        "mark": {"type": "text", "fontSize": 40, "font": charts.FONT_FAMILY},
        "encoding": {"text": {"field": "t"}},
        "width": 500,
        "height": 60,
        "background": "white",
    }


def test_chinese_is_drawn_with_the_packaged_font() -> None:
    with_font = charts.render(text_spec(), "png", scale=1)
    # The same text in a process that has not registered the package's font.
    script = (
        "import sys, json, vl_convert; from tests.web.test_charts import text_spec; "
        "sys.stdout.buffer.write(vl_convert.vegalite_to_png(text_spec(), scale=1))"
    )
    root = Path(__file__).resolve().parents[2]
    without = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, check=True, cwd=root
    ).stdout
    inked, bare = dark_pixels(with_font), dark_pixels(without)
    # Ten CJK glyphs at 40 px leave thousands of dark pixels; missing glyphs
    # (boxes or nothing) far fewer.
    assert inked > 3000, inked
    assert without != with_font and inked > 1.5 * bare, (inked, bare)


def _result(regions: int) -> SeriesResult:
    series = [
        Series(
            f"Region {n}",
            "person",
            [
                Point("2024-01", date(2024, 1, 1), date(2024, 1, 31), n + 1, 1, 1),
                Point("2024-02", date(2024, 2, 1), date(2024, 2, 29), None, 0, 0),
                Point("2024-03", date(2024, 3, 1), date(2024, 3, 31), n + 2, 1, 1),
            ],
        )
        for n in range(regions)
    ]
    return SeriesResult("suspects_detained", "month", series, 0)


def test_few_regions_share_a_chart_and_gaps_break_lines() -> None:
    spec = charts.series_spec(_result(3))
    assert "layer" in spec and "facet" not in spec
    assert spec["usermeta"]["points"] == 6
    line = spec["layer"][0]["mark"]
    assert line["type"] == "line" and line["invalid"] == "break-paths-show-domains"
    nulls = [row for row in spec["data"]["values"] if row["sum"] is None]
    assert len(nulls) == 3 and all(row["period"] == "2024-02" for row in nulls)


def test_many_regions_get_small_multiples() -> None:
    spec = charts.series_spec(_result(charts.SHARED_CHART_MAX + 2))
    assert spec["facet"]["field"] == "series" and spec["columns"] == 3
    assert "layer" in spec["spec"]


def test_server_svg_has_one_symbol_per_point_and_no_links() -> None:
    spec = charts.series_spec(_result(2), width=600, links=False)
    svg = charts.render(spec, "svg").decode()
    assert svg.count('aria-roledescription="point"') == 4
    assert "href" not in svg
