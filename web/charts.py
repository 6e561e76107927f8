"""Vega-Lite specs of a series, drawn in the browser (vega-embed) and on the
server (vl-convert) from the same spec, with a CJK font that ships in the package.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlencode

from web import labels
from web.query.dates import period_iso_bounds
from web.query.series import SeriesResult

FONTS = Path(__file__).parent / "static" / "fonts"
FONT_FAMILY = "Noto Sans CJK SC"
FONT = f'"{FONT_FAMILY}", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
#: Vega-Lite of vl-convert-python that matches the vendored vega-lite.min.js.
VEGA_LITE_VERSION = "6.4"
#: Above this many series, one small chart each instead of one shared chart.
SHARED_CHART_MAX = 6
TIME_UNITS = {"month": "utcyearmonth", "quarter": "utcyearquarter", "year": "utcyear"}
FORMATS = {"month": "%Y-%m", "quarter": "%Y Q%q", "year": "%Y"}

_fonts_lock = threading.Lock()
_fonts_registered = False


def series_name(region: str, unit: str, units: int) -> str:
    name = labels.region(region)
    return f"{name}（{labels.unit(unit)}）" if units > 1 else name


def chart_rows(result: SeriesResult) -> list[dict[str, Any]]:
    """One row per point; gaps keep a row with a null sum so lines break there."""
    units = len({s.unit for s in result.series})
    rows = []
    for series in result.series:
        name = series_name(series.region, series.unit, units)
        region_param = quote_plus(series.region)
        for point in series.points:
            start, end = period_iso_bounds(point.period, result.interval)
            rows.append(
                {
                    "series": name,
                    "region": series.region,
                    "region_param": region_param,  # for the link; Vega cannot encode URLs
                    "period": point.period,
                    "start": start,
                    "end": end,
                    "sum": point.sum,
                    "releases": point.releases,
                    "figures": point.figures,
                }
            )
    return rows


def _link(result: SeriesResult, link_params: dict[str, Any]) -> str:
    """A Vega expression for the figures behind a point (built in the browser, so
    the page does not carry a URL per point)."""
    query = urlencode({**link_params, "metric": result.metric}, doseq=True)
    return (
        f"'/figures?{query}&region=' + datum.region_param"
        " + '&since=' + datum.start + '&until=' + datum.end + '#table'"
    )


def series_spec(
    result: SeriesResult,
    *,
    link_params: dict[str, Any] | None = None,
    width: int | str = "container",
    height: int = 320,
    links: bool = True,
) -> dict[str, Any]:
    """The chart of `result`: one line per region (and unit) with a point per period
    that has figures; `links` makes each point open the figures behind it (the
    browser's chart; an image has nowhere to link to)."""
    rows = chart_rows(result)
    names = list(dict.fromkeys(r["series"] for r in rows))
    title = labels.metric(result.metric)
    x = {
        "field": "start",
        "type": "temporal",
        "timeUnit": TIME_UNITS[result.interval],
        "scale": {"type": "utc"},
        "title": None,
        "axis": {"format": FORMATS[result.interval], "labelAngle": -30},
    }
    y = {"field": "sum", "type": "quantitative", "title": title, "axis": {"format": "~s"}}
    color = {"field": "series", "type": "nominal", "title": "地区", "sort": names}
    tooltip = [
        {"field": "series", "title": "地区"},
        {"field": "period", "title": "时期"},
        {"field": "sum", "title": "合计", "format": ","},
        {"field": "releases", "title": "发布数"},
        {"field": "figures", "title": "数字数"},
    ]
    points: dict[str, Any] = {
        "transform": [{"filter": "datum.sum !== null"}],
        "mark": {"type": "point", "filled": True, "size": 60},
        "encoding": {"tooltip": tooltip},
    }
    if links:
        points["transform"].append({"calculate": _link(result, link_params or {}), "as": "href"})
        points["encoding"]["href"] = {"field": "href"}
        points["mark"]["cursor"] = "pointer"
    # Nulls break the line: a gap is drawn as a gap.
    layers = [{"mark": {"type": "line", "invalid": "break-paths-show-domains"}}, points]
    spec: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": f"{title}: per region and {result.interval}",
        "data": {"values": rows},
        "config": {
            "font": FONT,
            "axis": {"labelFontSize": 11, "titleFontSize": 12},
            "legend": {"labelFontSize": 12, "orient": "bottom", "columns": 4},
            "view": {"stroke": None},
        },
        "usermeta": {"points": sum(1 for r in rows if r["sum"] is not None)},
    }
    if len(names) <= SHARED_CHART_MAX:
        spec.update(
            width=width,
            height=height,
            encoding={"x": x, "y": y, "color": color},
            layer=layers,
        )
    else:
        spec.update(
            facet={"field": "series", "type": "nominal", "title": None, "sort": names},
            columns=3,
            spec={
                "width": 220 if width == "container" else max(120, int(width) // 3 - 30),
                "height": 120,
                "encoding": {"x": x, "y": {**y, "title": None}, "color": {**color, "legend": None}},
                "layer": layers,
            },
            resolve={"scale": {"y": "independent"}},
        )
    return spec


def _register_fonts() -> None:
    global _fonts_registered
    with _fonts_lock:
        if not _fonts_registered:
            import vl_convert

            vl_convert.register_font_directory(str(FONTS))
            _fonts_registered = True


def render(spec: dict[str, Any], image: str, scale: float = 2.0) -> bytes:
    """The spec drawn on the server: 'svg' or 'png'."""
    import vl_convert

    _register_fonts()
    if image == "svg":
        svg: str = vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION)
        return svg.encode()
    png: bytes = vl_convert.vegalite_to_png(spec, vl_version=VEGA_LITE_VERSION, scale=scale)
    return png
