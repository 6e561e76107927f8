"""Listed URLs that redirect: a listing links to one URL, the document is stored at
another. The listed URL is remembered per source, so it counts as known and is not
fetched (and archived) again on every crawl."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.inserts import insert_ignore
from storage.models import ListedUrl, utcnow


def listed_urls(session: Session, source_id: str) -> set[str]:
    rows = session.execute(select(ListedUrl.url).where(ListedUrl.source_id == source_id))
    return {url for (url,) in rows}


def remember_listed_url(
    session: Session, *, source_id: str, url: str, final_url: str, document_id: int
) -> None:
    """`url`, as a listing of the source links it, led to `document_id` at `final_url`."""

    values = {
        "source_id": source_id,
        "url": url,
        "final_url": final_url,
        "document_id": document_id,
        "first_seen": utcnow(),
    }
    table = ListedUrl.__table__
    if not insert_ignore(session, table, values, ["source_id", "url"]):  # type: ignore[arg-type]
        session.execute(
            update(ListedUrl)
            .where(ListedUrl.source_id == source_id, ListedUrl.url == url)
            .values(final_url=final_url, document_id=document_id)
        )
