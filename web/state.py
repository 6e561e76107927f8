"""What every request of the web app shares: the database, the site's zone,
the metric catalog and the source-status provider."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from storage.db import Database
from web.query.metrics import MetricCatalog
from web.query.sources import SourceStatusProvider


@dataclass
class WebState:
    db: Database
    timezone: str = "Asia/Shanghai"
    source_status: SourceStatusProvider | None = None
    catalog: MetricCatalog = field(default_factory=MetricCatalog)


def get_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def get_session(request: Request) -> Iterator[Session]:
    with get_state(request).db.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
StateDep = Annotated[WebState, Depends(get_state)]
