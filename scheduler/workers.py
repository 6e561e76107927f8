"""The ``workers:`` section of the config: the warm crawl pool's size and recycling."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class WorkersSettings(BaseModel):
    """How many crawl worker processes, and when one is replaced by a fresh one.

    A worker runs many crawls in one reactor (up to `concurrency` at once); it is
    drained and replaced after `crawls_per_worker` crawls (a new one costs ~4 CPU-s
    of start-up) or once its resident memory passes `max_rss_mb`. A worker that has
    not closed a crawl `stop_grace` seconds after its time limit is killed.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    processes: int = Field(default=1, ge=1, le=64)
    crawls_per_worker: int = Field(default=2000, ge=1)
    max_rss_mb: float = Field(default=250.0, ge=50)
    concurrency: int = Field(default=16, ge=1, le=256)
    stop_grace: float = Field(default=45.0, gt=0)
