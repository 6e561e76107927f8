"""The JSON API under /api (read-only), documented at /openapi.json."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Path, Query, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from web import labels
from web.charts import render, series_spec
from web.csvout import figures_csv
from web.params import DEFAULT_LIMIT, MAX_LIMIT, ParamError, make_filters
from web.query.cursor import CursorError
from web.query.dates import period_iso_bounds
from web.query.detail import get_document, plain_number
from web.query.documents import list_documents
from web.query.figures import list_figures
from web.query.search import QueryError, parse_query
from web.query.series import build_series
from web.query.sources import source_health
from web.schemas import (
    DocumentDetailOut,
    DocumentsOut,
    ErrorOut,
    FiguresOut,
    MetricOut,
    SeriesResultOut,
    SourceOut,
)
from web.state import SessionDep, StateDep, WebState

router = APIRouter(prefix="/api", tags=["api"])

Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"rows per page (at most {MAX_LIMIT})")
]
Cursor = Annotated[str | None, Query(max_length=500, description="`next` of the previous page")]
DATE = r"^\d{4}-\d{2}-\d{2}$"
Since = Annotated[
    str | None,
    Query(pattern=DATE, description="published on or after this date (YYYY-MM-DD, the site's)"),
]
Until = Annotated[
    str | None, Query(pattern=DATE, description="published on or before this date (YYYY-MM-DD)")
]
Regions = Annotated[list[str], Query(description="one or more regions (repeat the parameter)")]
Text = Annotated[str | None, Query(max_length=200)]
ERRORS: dict[int | str, dict[str, Any]] = {422: {"model": ErrorOut, "description": "bad parameter"}}


def unprocessable(field: str, message: str) -> HTTPException:
    return HTTPException(
        422, detail=[{"loc": ["query", field], "msg": message, "type": "value_error"}]
    )


def bad_request(exc: Exception) -> HTTPException:
    if isinstance(exc, ParamError):
        return unprocessable(exc.field, exc.message)
    if isinstance(exc, QueryError):
        return unprocessable("q", str(exc))
    return unprocessable("cursor", str(exc))


def local(value: datetime | None, tz: str) -> datetime | None:
    return value.astimezone(ZoneInfo(tz)) if value is not None else None


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def fast_json(content: dict[str, Any]) -> JSONResponse:
    """Listings are built to their documented shape here; checking every one of
    thousands of points again against the response model costs more than the query."""
    return JSONResponse(content)


@router.get("/documents", response_model=DocumentsOut, responses=ERRORS)
def documents(
    session: SessionDep,
    state: StateDep,
    q: Annotated[
        str | None, Query(max_length=200, description="words to find, Chinese or not")
    ] = None,
    source: Text = None,
    region: Regions = [],  # noqa: B006 (FastAPI copies defaults)
    metric: Text = None,
    topic: Text = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> JSONResponse:
    """Releases, newest first; with `q`, those holding every word, title matches first."""
    try:
        filters = make_filters(
            session, state.catalog, source=source, regions=region, metric=metric, topic=topic,
            since=since, until=until,
        )  # fmt: skip
        search = parse_query(q)
        page = list_documents(
            session, filters, search=search, limit=limit, cursor=cursor or None, tz=state.timezone
        )
    except (ParamError, QueryError, CursorError) as exc:
        raise bad_request(exc) from None
    return fast_json(
        {
            "documents": [
                {
                    "id": d.id,
                    "title": d.title,
                    "source": d.source,
                    "source_name": d.source_name,
                    "region": d.region,
                    "published": iso(d.published),
                    "published_at": iso(local(d.published_at, state.timezone)),
                    "urls": list(d.urls),
                    "figures": d.figures,
                    "passage": {"text": d.passage.text, "marks": list(d.passage.marks)}
                    if d.passage
                    else None,
                }
                for d in page.documents
            ],
            "next": page.next,
        }
    )


@router.get(
    "/documents/{document_id}",
    response_model=DocumentDetailOut,
    responses={**ERRORS, 404: {"model": ErrorOut, "description": "no such document"}},
)
def document(
    session: SessionDep, state: StateDep, document_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> dict[str, Any]:
    """One release: text, figures with offsets, sightings, versions and their changes."""
    detail = get_document(session, document_id, state.timezone)
    if detail is None:
        raise HTTPException(404, detail=f"no document {document_id}")
    return {
        **{
            k: getattr(detail, k)
            for k in (
                "id",
                "title",
                "source",
                "source_name",
                "region",
                "published",
                "language",
                "topic",
                "content_hash",
                "stored_at",
                "text",
            )
        },
        "published_at": local(detail.published_at, state.timezone),
        "figures": [
            {
                "id": f.id,
                "text": f.text,
                "start": f.start,
                "end": f.end,
                "value": plain_number(f.value),
                "unit": f.unit,
                "qualifier": f.qualifier,
                "metric": f.metric,
                "topic": f.topic,
            }
            for f in detail.figures
        ],
        "sightings": [
            {
                "url": s.url,
                "source": s.source_id,
                "first_seen": s.first_seen,
                "last_seen": s.last_seen,
                "current": s.current,
            }
            for s in detail.sightings
        ],
        "versions": [v.__dict__ for v in detail.versions],
        "changes": [c.__dict__ for c in detail.changes],
    }


@router.get(
    "/figures",
    response_model=FiguresOut,
    responses={
        **ERRORS,
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "figures"},
    },
)
def figures(
    session: SessionDep,
    state: StateDep,
    metric: Text = None,
    source: Text = None,
    region: Regions = [],  # noqa: B006
    topic: Text = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    format: Annotated[Literal["json", "csv"], Query(description="csv: UTF-8 with BOM")] = "json",
) -> Any:
    """Figures, newest release first; `format=csv` gives the same rows as CSV."""
    try:
        filters = make_filters(
            session, state.catalog, source=source, regions=region, metric=metric, topic=topic,
            since=since, until=until,
        )  # fmt: skip
        page = list_figures(session, filters, limit=limit, cursor=cursor or None, tz=state.timezone)
    except (ParamError, CursorError) as exc:
        raise bad_request(exc) from None
    if format == "csv":
        headers = {"Content-Disposition": 'attachment; filename="figures.csv"'}
        if page.next:
            headers["X-Next-Cursor"] = page.next
        return Response(figures_csv(page.figures), media_type="text/csv; charset=utf-8",
                        headers=headers)  # fmt: skip
    return fast_json({"figures": [f.as_dict() for f in page.figures], "next": page.next})


Interval = Annotated[Literal["month", "quarter", "year"], Query(description="period of a point")]


def _series(
    session: Session, state: WebState, metric: str | None, regions: list[str],
    source: str | None, topic: str | None, since: str | None, until: str | None,
    interval: Literal["month", "quarter", "year"],
) -> Any:  # fmt: skip
    try:
        filters = make_filters(
            session, state.catalog, source=source, regions=regions, metric=metric, topic=topic,
            since=since, until=until, require_metric=True,
        )  # fmt: skip
    except ParamError as exc:
        raise bad_request(exc) from None
    return build_series(session, filters, interval, state.timezone)


@router.get("/series", response_model=SeriesResultOut, responses=ERRORS)
def series(
    session: SessionDep,
    state: StateDep,
    metric: Annotated[str, Query(max_length=200, description="a metric name (/api/metrics)")],
    region: Regions = [],  # noqa: B006
    interval: Interval = "month",
    source: Text = None,
    topic: Text = None,
    since: Since = None,
    until: Until = None,
) -> JSONResponse:
    """A time series per region: the sum of the metric's figures in each period, with
    the releases behind each point; periods without figures are gaps (null)."""
    result = _series(session, state, metric, region, source, topic, since, until, interval)
    narrowed = {"metric": result.metric, "source": source, "topic": topic}

    def figures_url(region: str) -> str:
        query = {k: v for k, v in {**narrowed, "region": region}.items() if v}
        return "/api/figures?" + urlencode(query)

    return fast_json(
        {
            "metric": result.metric,
            "interval": result.interval,
            "undated": result.undated,
            "series": [
                {
                    "region": s.region,
                    "unit": s.unit,
                    "figures_url": figures_url(s.region),
                    "points": [
                        {
                            "period": p.period,
                            "start": start,
                            "end": end,
                            "sum": p.sum,
                            "figures": p.figures,
                            "releases": p.releases,
                        }
                        for p in s.points
                        for start, end in (period_iso_bounds(p.period, result.interval),)
                    ],
                }
                for s in result.series
            ],
        }
    )


def _image_route(image: Literal["png", "svg"]) -> Any:
    media = "image/png" if image == "png" else "image/svg+xml"

    def chart(
        session: SessionDep,
        state: StateDep,
        metric: Annotated[str, Query(max_length=200)],
        region: Regions = [],  # noqa: B006
        interval: Interval = "month",
        source: Text = None,
        topic: Text = None,
        since: Since = None,
        until: Until = None,
        width: Annotated[int, Query(ge=200, le=2000)] = 720,
    ) -> Response:
        result = _series(session, state, metric, region, source, topic, since, until, interval)
        spec = series_spec(result, width=width, links=False)
        return Response(render(spec, image), media_type=media)

    chart.__doc__ = f"The series chart drawn on the server ({image.upper()}), e.g. for chat alerts."
    return chart


router.add_api_route(
    "/series.png", _image_route("png"), methods=["GET"], response_class=Response,
    responses={**ERRORS, 200: {"content": {"image/png": {}}, "description": "chart"}},
)  # fmt: skip
router.add_api_route(
    "/series.svg", _image_route("svg"), methods=["GET"], response_class=Response,
    responses={**ERRORS, 200: {"content": {"image/svg+xml": {}}, "description": "chart"}},
)  # fmt: skip


@router.get("/sources", response_model=list[SourceOut])
def sources(session: SessionDep, state: StateDep) -> list[dict[str, Any]]:
    """Each source's last run, its result and cause, its health and its next run."""
    return [
        {
            **{
                k: getattr(s, k)
                for k in (
                    "id",
                    "name",
                    "region",
                    "configured",
                    "enabled",
                    "schedule",
                    "cause",
                    "healthy",
                    "health_changed_at",
                    "overdue",
                    "documents",
                )
            },
            "last_run": s.last_run,
            "status": s.result,
            "next_run": s.next_run,
        }
        for s in source_health(session, state.source_status)
    ]


@router.get("/metrics", response_model=list[MetricOut])
def metrics(session: SessionDep, state: StateDep) -> list[dict[str, Any]]:
    """The metric vocabulary and every stored metric, with how many figures each has."""
    return [
        {
            "name": m.name,
            "label": labels.metric(m.name),
            "count": m.count,
            "in_vocabulary": m.in_vocabulary,
        }
        for m in state.catalog.listing(session)
    ]
