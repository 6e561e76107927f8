"""The web app: pages and the JSON API over one query layer, read-only.

    app = create_app(Database(url, read_only=True), timezone="Asia/Shanghai")

JavaScript, styles and the CJK font are served from the package (/static); the
pages fetch nothing from anywhere else, which the Content-Security-Policy says
to the browser too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from storage.db import Database
from web import api, pages
from web.query.sources import SourceStatusProvider
from web.state import WebState

STATIC = Path(__file__).parent / "static"

# Vega compiles its expressions with Function(), hence 'unsafe-eval'; vega-embed
# and the tooltips set inline styles.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(
    db: Database,
    *,
    timezone: str = "Asia/Shanghai",
    source_status: SourceStatusProvider | None = None,
) -> FastAPI:
    """The app over `db` (best opened read-only). `source_status` supplies what only
    the scheduler knows of each configured source (see web.query.sources)."""
    app = FastAPI(
        title="Bulletin Watch",
        summary="Releases of official bulletins, their statistical figures, and source health.",
        version="1",
        docs_url=None,  # the interactive docs load from a CDN; /openapi.json is the contract
        redoc_url=None,
    )
    app.state.web = WebState(db=db, timezone=timezone, source_status=source_status)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    pages.install_error_pages(app)

    @app.middleware("http")
    async def headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "public, max-age=86400")
        return response

    return app
