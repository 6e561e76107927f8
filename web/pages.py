"""The pages: latest releases and search (/), one release (/documents/{id}), the
metric explorer (/figures) and source health (/sources). Rendered on the server;
htmx swaps the results in place and keeps the state in the URL."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from storage.models import Source
from web import charts
from web.params import ParamError, make_filters, parse_day, parse_limit
from web.query.cursor import CursorError
from web.query.dates import INTERVALS
from web.query.detail import get_document
from web.query.documents import list_documents
from web.query.figures import list_figures
from web.query.search import QueryError, parse_query
from web.query.series import build_series
from web.query.sources import source_health
from web.render import make_templates
from web.state import SessionDep, StateDep, WebState, get_state

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=8)
def templates_for(tz: str) -> Jinja2Templates:
    return make_templates(tz)


def page(
    request: Request, state: WebState, name: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    return templates_for(state.timezone).TemplateResponse(
        request, name, {"path": request.url.path, **context}, status_code=status
    )


def _choices(session: Session, state: WebState) -> dict[str, Any]:
    sources = session.execute(select(Source.id, Source.name, Source.region).order_by(Source.id))
    rows = list(sources)
    return {
        "all_sources": rows,
        "all_regions": sorted({r.region for r in rows if r.region}),
        "all_metrics": state.catalog.choices(session),
    }


def _form(request: Request) -> dict[str, Any]:
    qp = request.query_params
    keys = ("q", "source", "metric", "topic", "since", "until", "limit", "cursor", "interval")
    form: dict[str, Any] = {k: qp.get(k, "") for k in keys}
    form["region"] = [r for r in qp.getlist("region") if r]
    return form


def _filters(session: Session, state: WebState, form: dict[str, Any], **kw: Any) -> Any:
    return make_filters(
        session,
        state.catalog,
        source=form["source"],
        regions=form["region"],
        metric=form["metric"],
        topic=form["topic"],
        since=parse_day("since", form["since"]),
        until=parse_day("until", form["until"]),
        **kw,
    )


Deps = tuple[Session, WebState]


def deps(session: SessionDep, state: StateDep) -> Deps:
    return session, state


DepsDep = Annotated[Deps, Depends(deps)]


@router.get("/", response_class=HTMLResponse)
def index(request: Request, d: DepsDep) -> HTMLResponse:
    session, state = d
    form = _form(request)
    context: dict[str, Any] = {
        "form": form,
        "error": None,
        "result": None,
        **_choices(session, state),
    }
    try:
        filters = _filters(session, state, form)
        search = parse_query(form["q"])
        context["search"] = search
        context["result"] = list_documents(
            session,
            filters,
            search=search,
            limit=parse_limit(form["limit"]),
            cursor=form["cursor"] or None,
            tz=state.timezone,
        )
    except (ParamError, QueryError, CursorError) as exc:
        context["error"] = _message(exc)
        return page(request, state, "index.html", context, status=422)
    return page(request, state, "index.html", context)


def _message(exc: Exception) -> str:
    if isinstance(exc, ParamError):
        return f"{exc.field}：{exc.message}"
    if isinstance(exc, QueryError):
        return f"搜索词：{exc}"
    return f"翻页参数无效：{exc}"


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(document_id: int, request: Request, d: DepsDep) -> HTMLResponse:
    session, state = d
    valid = 0 < document_id < 2**31
    detail = get_document(session, document_id, state.timezone) if valid else None
    if detail is None:
        raise HTTPException(404, detail=f"没有编号为 {document_id} 的发布")
    return page(request, state, "document.html", {"doc": detail})


@router.get("/figures", response_class=HTMLResponse)
def figures_page(request: Request, d: DepsDep) -> Response:
    session, state = d
    form = _form(request)
    choices = _choices(session, state)
    if not form["metric"]:
        # The metric with the most figures (counted once, then cached) is the default.
        counts = state.catalog.counts(session)
        ranked = sorted(counts, key=lambda name: (name == "other", -counts[name], name))
        if ranked:
            params = [(k, v) for k, v in request.query_params.multi_items() if k != "metric"]
            params.append(("metric", ranked[0]))
            from urllib.parse import urlencode

            return RedirectResponse("/figures?" + urlencode(params), status_code=302)
    form["interval"] = form["interval"] or "month"
    context: dict[str, Any] = {"form": form, "error": None, "table": None, "spec": None, **choices}
    try:
        if form["interval"] not in INTERVALS:
            raise ParamError("interval", f"one of {', '.join(INTERVALS)}, not {form['interval']!r}")
        if form["metric"]:
            filters = _filters(session, state, form)
            limit = parse_limit(form["limit"])
            context["limit"] = limit
            context["table"] = list_figures(
                session, filters, limit=limit, cursor=form["cursor"] or None, tz=state.timezone
            )
            result = build_series(session, filters, form["interval"], state.timezone)
            link = {k: form[k] for k in ("interval", "source", "topic") if form[k]}
            spec = charts.series_spec(result, link_params=link)
            context["series"] = result
            spec_json = json.dumps(spec, ensure_ascii=False, separators=(",", ":"))
            context["spec"] = spec_json.replace("</", "<\\/")
            context["points"] = spec["usermeta"]["points"]
    except (ParamError, CursorError) as exc:
        context["error"] = _message(exc)
        return page(request, state, "figures.html", context, status=422)
    return page(request, state, "figures.html", context)


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, d: DepsDep) -> HTMLResponse:
    session, state = d
    rows = source_health(session, state.source_status)
    return page(request, state, "sources.html", {"sources": rows})


def install_error_pages(app: FastAPI) -> None:
    """Errors of pages as pages; errors of /api stay JSON."""

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if request.url.path.startswith("/api") or request.url.path.startswith("/static"):
            return await http_exception_handler(request, exc)
        state = get_state(request)
        context = {"status": exc.status_code, "message": exc.detail}
        return page(request, state, "error.html", context, status=exc.status_code)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if request.url.path.startswith("/api"):
            return await request_validation_exception_handler(request, exc)
        state = get_state(request)
        context = {"status": 422, "message": "; ".join(str(e.get("msg")) for e in exc.errors())}
        return page(request, state, "error.html", context, status=422)

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
