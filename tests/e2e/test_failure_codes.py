"""Issue 10: every failure is recorded with a stable code, against the replica.

Each test crawls in a child process (`bulletins crawl`) and reads what the run
recorded: the failed pages with their codes, the run's status and reason, the
exit status, the failed-page rows, and the health watch's events. Every
`storage.status.ErrorCode` is provoked for real here, or, for ``undecodable``,
``blocked_scheme`` and ``blocked_private_address``, in tests/e2e/test_hostile.py
(`test_every_code_is_provoked_end_to_end` keeps the list whole).
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from crawlers.settings import DOWNLOAD_MAXSIZE
from extraction import EXTRACTOR_VERSION
from replica import GONE_PATH, HANG_PATH, ReplicaServer, sources_config
from replica.sites.hostile import SHARED, article, hostile_source, listing
from storage.db import Database
from storage.models import Alert, CrawlRun, Document, Figure, PageFailure, Source
from storage.status import ErrorCode
from tests.e2e.conftest import run_cli, write_config
from tests.sites import Route, RouteSite

pytestmark = pytest.mark.e2e

WEBHOOK = {"id": "ops", "url": "http://127.0.0.1:9/hook", "allow_private_network": True}


def crawl(
    config: Path, source_id: str, env: dict[str, str] | None = None
) -> tuple[int, dict[str, Any], str]:
    """Exit status, the source's run summary, and stderr."""
    done = run_cli(config, "crawl", "--json", "--no-deliver", source_id, env=env)
    assert done.returncode in (0, 1), done.stderr
    data = json.loads(done.stdout)
    [run] = [r for r in data["runs"] if r["source_id"] == source_id]
    return done.returncode, run, done.stderr


def configure(tmp_path: Path, database: str, *sources: dict[str, Any]) -> Path:
    return write_config(
        tmp_path / "bulletins.yaml", database=database, sources=list(sources), webhooks=[WEBHOOK]
    )


def codes(run: dict[str, Any]) -> list[str]:
    return [e["code"] for e in run["errors"]]


def health_events(database: str, source_id: str) -> list[dict[str, Any]]:
    db = Database(database)
    with db.session() as session:
        rows = session.scalars(
            select(Alert).where(Alert.source_id == source_id, Alert.event_type == "source.health")
        ).all()
        payloads = [dict(a.payload["data"]) for a in rows]
    db.dispose()
    return payloads


def page_failures(database: str, source_id: str) -> dict[str, PageFailure]:
    db = Database(database)
    with db.session() as session:
        rows = session.scalars(select(PageFailure).where(PageFailure.source_id == source_id))
        found = {row.url: row for row in rows}
    db.dispose()
    return found


def child_path(root: Path) -> dict[str, str]:
    """The environment of a crawl whose imports look in `root` first."""
    paths = [str(root), os.environ.get("PYTHONPATH", "")]
    return {"PYTHONPATH": os.pathsep.join(p for p in paths if p)}


def fake_trafilatura(root: Path, init: str) -> dict[str, str]:
    """A `trafilatura` package under `root` that shadows the real one: the environment
    of a crawl that imports it."""
    package = root / "trafilatura"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(init, "utf-8")
    return child_path(root)


def shared_source(replica: ReplicaServer) -> dict[str, Any]:
    """Three hostile-site articles, read without an ``article.body`` (so by trafilatura:
    their ``div.body`` is no container the text finder knows)."""
    return hostile_source("shared-a", replica.url, article={})


# --- dependency_missing ---------------------------------------------------------------


def test_a_missing_dependency_fails_every_article_then_the_next_crawl_stores_them(
    replica: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    source = shared_source(replica)
    config = configure(tmp_path, sqlite_url, source)
    env = fake_trafilatura(
        tmp_path / "broken",
        "raise ModuleNotFoundError(\"No module named 'lxml.html.clean'\", "
        "name='lxml.html.clean')\n",
    )
    code, run, _ = crawl(config, source["id"], env)

    assert code == 1
    assert run["status"] == "failed"
    assert run["reason"].startswith("every article failed: dependency_missing")
    assert "lxml.html.clean" in run["reason"]
    assert codes(run) == ["dependency_missing"] * len(SHARED)
    failures = page_failures(sqlite_url, source["id"])
    assert len(failures) == len(SHARED)
    assert {f.code for f in failures.values()} == {"dependency_missing"}
    [event] = health_events(sqlite_url, source["id"])
    assert "dependency_missing" in event["reason"] and "lxml.html.clean" in event["reason"]

    # With the import working again, the next crawl fetches and stores them all.
    code, run, stderr = crawl(config, source["id"])
    assert code == 0, stderr
    assert run["status"] == "ok" and run["new_documents"] == len(SHARED)
    assert page_failures(sqlite_url, source["id"]) == {}
    db = Database(sqlite_url)
    with db.session() as session:
        row = session.get(Source, source["id"])
        assert row is not None and row.healthy
    db.dispose()


# --- parse_error ------------------------------------------------------------------------


def test_an_exception_while_reading_an_article_is_a_parse_error(
    replica: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    source = shared_source(replica)
    config = configure(tmp_path, sqlite_url, source)
    env = fake_trafilatura(
        tmp_path / "crashing",
        "def extract(*args, **kwargs):\n    raise ValueError('the tree is malformed')\n",
    )
    code, run, _ = crawl(config, source["id"], env)

    assert code == 1 and run["status"] == "failed"
    assert codes(run) == ["parse_error"] * len(SHARED)
    assert all(e["error"] == "the tree is malformed" for e in run["errors"])
    assert run["reason"].startswith("every article failed: parse_error")
    assert {f.code for f in page_failures(sqlite_url, source["id"]).values()} == {"parse_error"}
    [event] = health_events(sqlite_url, source["id"])  # on the first such run
    assert "parse_error" in event["reason"]


# --- http_404 and timeout ---------------------------------------------------------------


def test_a_page_that_is_gone_and_one_that_never_answers(
    replica: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    [source] = [s for s in sources_config(replica.url) if s["id"] == "replica-en"]
    config = configure(tmp_path, sqlite_url, source)
    code, run, _ = crawl(config, source["id"])

    assert code == 0 and run["status"] == "partial" and run["new_documents"] > 0
    by_path = {e["url"].removeprefix(replica.url): e["code"] for e in run["errors"]}
    assert by_path == {GONE_PATH: "http_404", HANG_PATH: "timeout"}
    assert "http_404" in run["reason"] and "timeout" in run["reason"]
    failures = page_failures(sqlite_url, source["id"])
    gone = failures[replica.url + GONE_PATH]
    assert gone.code == "http_404" and gone.permanent
    assert failures[replica.url + HANG_PATH].code == "timeout"
    assert health_events(sqlite_url, source["id"]) == []  # some pages failed: partial


# --- empty_body ---------------------------------------------------------------------


def test_articles_without_a_body_are_empty_body(
    replica: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    [source] = [s for s in sources_config(replica.url) if s["id"] == "replica-en"]
    source["article"] = {**source["article"], "body": "div.no-such-body"}
    config = configure(tmp_path, sqlite_url, source)
    code, run, _ = crawl(config, source["id"])

    assert code == 1 and run["status"] == "failed" and run["new_documents"] == 0
    assert run["reason"].startswith("every article failed: empty_body")
    assert set(codes(run)) == {"empty_body", "http_404", "timeout"}
    [event] = health_events(sqlite_url, source["id"])
    problems = {p["kind"]: p["message"] for p in event["problems"]}
    assert "article_empty" in problems  # distinct pages without a body, read by code
    assert problems["articles_failed"].startswith("every article failed: empty_body")


# --- challenge ----------------------------------------------------------------------


def test_a_challenge_the_source_may_not_pass(
    replica: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    [source] = [s for s in sources_config(replica.url, browser=True) if s["id"] == "replica-jsl"]
    source["render"] = "never"
    config = configure(tmp_path, sqlite_url, source)
    code, run, _ = crawl(config, source["id"])

    assert code == 1 and run["status"] == "failed"
    assert codes(run) == ["challenge"]
    assert run["errors"][0]["kind"] == "listing"
    assert run["reason"].startswith("no listing page could be read: challenge")


# --- connection_error ---------------------------------------------------------------


def test_a_site_that_refuses_connections(tmp_path: Path, sqlite_url: str) -> None:
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = hostile_source("shared-a", f"http://127.0.0.1:{port}", id="refused")
    config = configure(tmp_path, sqlite_url, source)
    code, run, _ = crawl(config, "refused")

    assert code == 1 and run["status"] == "failed"
    assert codes(run) == ["connection_error"]
    assert run["reason"].startswith("no listing page could be read: connection_error")


# --- detection on the run -------------------------------------------------------------


def test_detection_and_its_warnings_are_on_the_run(
    replica: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    [source] = [s for s in sources_config(replica.url) if s["id"] == "replica-en"]
    source["list"] = {**source["list"], "item": "ul.no-such-list li"}
    config = configure(tmp_path, sqlite_url, source)
    code, run, _ = crawl(config, source["id"])

    assert code == 0 and run["new_documents"] > 0
    assert run["listing_detected"] >= 1
    assert run["warnings"] and "matched nothing" in run["warnings"][0]["warning"]
    db = Database(sqlite_url)
    with db.session() as session:
        row = session.get(CrawlRun, run["run_id"])
        assert row is not None and row.listing_detected == run["listing_detected"]
        assert row.warnings == run["warnings"]
    db.dispose()
    status = run_cli(config, "status", source["id"])
    assert status.returncode == 0, status.stderr
    assert "list detected on" in status.stdout and "warning:" in status.stdout


# --- a site of chosen pages -------------------------------------------------------------

LISTING = "/codes/index.html"


@pytest.fixture
def site() -> Iterator[RouteSite]:
    with RouteSite() as server:
        yield server


def release(n: int, text: str | None = None) -> Route:
    """An article page of the hostile site's shape (h1, span.date, div.body)."""
    return Route(article(n, text=text).encode())


def publish(site: RouteSite, pages: dict[str, Route]) -> None:
    """The listing at `LISTING`, linking `pages` (path -> page) in that order."""
    site.add(LISTING, Route(listing(list(pages)).encode()))
    for path, page in pages.items():
        site.add(path, page)


def site_source(site: RouteSite, source_id: str) -> dict[str, Any]:
    """The source that crawls `site`'s listing (``ul.list li``, articles ``div.body``)."""
    return hostile_source(
        "shared-a", site.base, id=source_id, name=source_id, start_urls=[site.base + LISTING]
    )


# --- too_large ------------------------------------------------------------------------


def test_a_page_over_the_download_size_limit_is_too_large(
    site: RouteSite, tmp_path: Path, sqlite_url: str
) -> None:
    # One byte over the limit; Scrapy gives up on its Content-Length, before the body.
    huge = Route(b"<html><body>" + b" " * DOWNLOAD_MAXSIZE + b"</body></html>")
    publish(site, {"/codes/a/1.html": release(1), "/codes/a/huge.html": huge})
    source = site_source(site, "too-large")
    config = configure(tmp_path, sqlite_url, source)
    code, run, stderr = crawl(config, source["id"])

    assert code == 0, stderr
    assert run["status"] == "partial" and run["new_documents"] == 1
    [error] = run["errors"]
    assert error["url"] == site.base + "/codes/a/huge.html"
    assert error["code"] == "too_large" and error["kind"] == "article"
    assert f"larger than download max size ({DOWNLOAD_MAXSIZE})" in error["error"]
    assert run["reason"].startswith("1 page(s) failed: too_large (")
    assert "larger than download max size" in run["reason"]
    failure = page_failures(sqlite_url, source["id"])[error["url"]]
    assert failure.code == "too_large" and not failure.permanent
    assert health_events(sqlite_url, source["id"]) == []  # some pages failed: partial


# --- not_html -------------------------------------------------------------------------

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def test_a_pdf_and_an_image_in_the_listing_are_not_html(
    site: RouteSite, tmp_path: Path, sqlite_url: str
) -> None:
    publish(
        site,
        {
            "/codes/a/1.html": release(1),
            "/codes/files/report.pdf": Route(PDF, "application/pdf"),
            "/codes/files/chart.png": Route(PNG, "image/png"),
        },
    )
    source = site_source(site, "not-html")
    config = configure(tmp_path, sqlite_url, source)
    code, run, stderr = crawl(config, source["id"])

    assert code == 0, stderr
    assert run["status"] == "partial" and run["new_documents"] == 1
    by_path = {e["url"].removeprefix(site.base): e for e in run["errors"]}
    assert set(by_path) == {"/codes/files/report.pdf", "/codes/files/chart.png"}
    assert {e["code"] for e in by_path.values()} == {"not_html"}
    # The PDF's first bytes look like text to Scrapy: its declared type decides.
    assert by_path["/codes/files/report.pdf"]["error"] == (
        "the article is not an HTML page (application/pdf)"
    )
    assert (
        by_path["/codes/files/chart.png"]["error"] == "the article is not an HTML page (image/png)"
    )
    assert run["reason"].startswith("2 page(s) failed: not_html ×2 (the article is not an HTML")
    failures = page_failures(sqlite_url, source["id"])
    assert {url.removeprefix(site.base): f.code for url, f in failures.items()} == {
        "/codes/files/report.pdf": "not_html",
        "/codes/files/chart.png": "not_html",
    }
    # A declared file type will not become HTML: given up at once, like a 404.
    assert all(f.permanent and f.retry_at is None for f in failures.values())
    assert health_events(sqlite_url, source["id"]) == []

    # The next crawl reads the listing and asks for neither file again.
    before = len(site.paths())
    code, run, stderr = crawl(config, source["id"])
    assert code == 0, stderr
    assert run["status"] == "ok" and run["errors"] == []
    assert sorted(site.paths()[before:]) == sorted(["/robots.txt", LISTING])


def test_a_listing_that_is_an_image_is_not_html(
    site: RouteSite, tmp_path: Path, sqlite_url: str
) -> None:
    site.add(LISTING, Route(PNG, "image/png"))
    source = site_source(site, "not-html-listing")
    config = configure(tmp_path, sqlite_url, source)
    code, run, _ = crawl(config, source["id"])

    assert code == 1 and run["status"] == "failed"
    [error] = run["errors"]
    assert error["url"] == site.base + LISTING and error["kind"] == "listing"
    # An image at an address ending in .html: its declared type decides.
    assert error["code"] == "not_html"
    assert error["error"] == "listing page is not text/html (image/png)"
    assert run["reason"] == (
        f"no listing page could be read: not_html at {site.base + LISTING} "
        "(listing page is not text/html (image/png))"
    )


# --- no_items -------------------------------------------------------------------------


def test_a_listing_without_article_links_is_no_items(
    site: RouteSite, tmp_path: Path, sqlite_url: str
) -> None:
    site.add(LISTING, Route("<html><body><p>网站维护中，敬请期待。</p></body></html>".encode()))
    source = site_source(site, "no-items")
    config = configure(tmp_path, sqlite_url, source)
    code, run, _ = crawl(config, source["id"])

    assert code == 1 and run["status"] == "failed" and run["new_documents"] == 0
    [error] = run["errors"]
    assert error["url"] == site.base + LISTING and error["kind"] == "listing"
    assert error["code"] == "no_items"
    assert error["error"] == (
        "the list selector 'ul.list li' matched nothing and detection found no list"
    )
    assert run["reason"].startswith(f"no listing page could be read: no_items at {error['url']}")
    assert "matched nothing" in run["reason"]
    assert page_failures(sqlite_url, source["id"]) == {}  # listing pages are read every crawl


# --- store_error ----------------------------------------------------------------------

REFUSED = "/codes/a/refused.html"


def test_a_release_the_database_refuses_is_a_store_error_then_stored_next_crawl(
    site: RouteSite, tmp_path: Path, sqlite_url: str
) -> None:
    publish(
        site, {"/codes/a/1.html": release(1), REFUSED: release(2), "/codes/a/3.html": release(3)}
    )
    source = site_source(site, "store-error")
    config = configure(tmp_path, sqlite_url, source)
    db = Database(sqlite_url)  # the schema, then a trigger that refuses one release
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TRIGGER refuse_one BEFORE INSERT ON documents "
            f"WHEN NEW.url = '{site.base + REFUSED}' "
            "BEGIN SELECT RAISE(ABORT, 'the test trigger refuses this release'); END"
        )
    code, run, stderr = crawl(config, source["id"])

    assert code == 0, stderr
    assert run["status"] == "partial" and run["new_documents"] == 2
    [error] = run["errors"]
    assert error["url"] == site.base + REFUSED
    assert error["code"] == "store_error" and error["kind"] == "article"
    assert "the test trigger refuses this release" in error["error"]
    assert run["reason"].startswith("1 page(s) failed: store_error (")
    assert "the test trigger refuses this release" in run["reason"]
    failure = page_failures(sqlite_url, source["id"])[site.base + REFUSED]
    assert failure.code == "store_error" and not failure.permanent
    assert health_events(sqlite_url, source["id"]) == []

    # The database takes it again: the next crawl fetches it at once and stores it.
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER refuse_one")
    db.dispose()
    code, run, stderr = crawl(config, source["id"])
    assert code == 0, stderr
    assert run["status"] == "ok" and run["new_documents"] == 1
    assert page_failures(sqlite_url, source["id"]) == {}


# --- extraction_error -----------------------------------------------------------------

TRAP = "TRAP-7"


def broken_extractor(root: Path) -> dict[str, str]:
    """The environment of a crawl whose figure extractor raises on a text holding
    `TRAP` (a `sitecustomize` under `root` wraps `extraction.extract_figures`)."""
    root.mkdir(parents=True)
    (root / "sitecustomize.py").write_text(
        "import extraction\n"
        "_extract = extraction.extract_figures\n"
        "def extract_figures(text, *args, **kwargs):\n"
        f"    if {TRAP!r} in text:\n"
        "        raise ArithmeticError('the figure extractor broke on this release')\n"
        "    return _extract(text, *args, **kwargs)\n"
        "extraction.extract_figures = extract_figures\n",
        "utf-8",
    )
    return child_path(root)


def test_a_release_whose_figures_fail_is_stored_with_an_extraction_error(
    site: RouteSite, tmp_path: Path, sqlite_url: str
) -> None:
    trapped = "/codes/a/trapped.html"
    text = f"公安机关共破获电信网络诈骗案件12起，抓获犯罪嫌疑人15名。编号{TRAP}。"
    publish(site, {"/codes/a/1.html": release(1), trapped: release(2, text=text)})
    source = site_source(site, "extraction-error")
    config = configure(tmp_path, sqlite_url, source)
    code, run, stderr = crawl(config, source["id"], broken_extractor(tmp_path / "broken"))

    assert code == 0, stderr
    assert run["status"] == "partial" and run["new_documents"] == 2  # both stored
    [error] = run["errors"]
    assert error["url"] == site.base + trapped
    assert error["code"] == "extraction_error" and error["kind"] == "article"
    assert error["error"] == "the figure extractor broke on this release"
    assert run["reason"] == (
        "1 page(s) failed: extraction_error (the figure extractor broke on this release)"
    )
    assert page_failures(sqlite_url, source["id"]) == {}  # stored: not fetched again
    assert health_events(sqlite_url, source["id"]) == []

    def versions() -> dict[str, tuple[int | None, int]]:
        """Each stored release's extractor version and figure count, by path."""
        db = Database(sqlite_url)
        with db.session() as session:
            found = {
                doc.url.removeprefix(site.base): (
                    doc.extractor_version,
                    len(session.scalars(select(Figure).where(Figure.document_id == doc.id)).all()),
                )
                for doc in session.scalars(select(Document))
            }
        db.dispose()
        return found

    stored = versions()
    assert stored[trapped] == (None, 0)  # kept without figures, to re-extract
    assert stored["/codes/a/1.html"][0] == EXTRACTOR_VERSION and stored["/codes/a/1.html"][1] > 0

    # The fix: re-extraction with a working extractor gives it its figures.
    done = run_cli(config, "figures", "reextract")
    assert done.returncode == 0, done.stderr
    version, figures = versions()[trapped]
    assert version == EXTRACTOR_VERSION and figures == 2  # 12 cases, 15 suspects


# --- robots_disallowed ----------------------------------------------------------------

PRIVATE = "/codes/private/2.html"


def test_a_page_robots_txt_forbids_is_robots_disallowed_then_fetched_once_allowed(
    site: RouteSite, tmp_path: Path, sqlite_url: str
) -> None:
    publish(site, {"/codes/a/1.html": release(1), PRIVATE: release(2)})
    site.add("/robots.txt", Route(b"User-agent: *\nDisallow: /codes/private/\n", "text/plain"))
    source = site_source(site, "robots")
    config = configure(tmp_path, sqlite_url, source)
    code, run, stderr = crawl(config, source["id"])

    assert code == 0, stderr
    assert run["status"] == "partial" and run["new_documents"] == 1
    [error] = run["errors"]
    assert error["url"] == site.base + PRIVATE
    assert error["code"] == "robots_disallowed" and error["kind"] == "article"
    assert error["error"] == f"forbidden by the site's robots.txt ({site.base}/robots.txt)"
    assert run["reason"] == f"1 page(s) failed: robots_disallowed ({error['error']})"
    assert PRIVATE not in site.paths()  # never asked for
    failure = page_failures(sqlite_url, source["id"])[site.base + PRIVATE]
    assert failure.code == "robots_disallowed" and not failure.permanent
    assert failure.retry_at is not None  # the ordinary schedule: robots.txt may change
    assert health_events(sqlite_url, source["id"]) == []

    # The site allows it now, and its retry is due: the next crawl reads robots.txt
    # anew, fetches the page and stores it.
    site.add("/robots.txt", Route(b"User-agent: *\nDisallow: /nothing/\n", "text/plain"))
    db = Database(sqlite_url)
    with db.session() as session, session.begin():
        row = session.get(PageFailure, (source["id"], site.base + PRIVATE))
        assert row is not None
        row.retry_at = row.failed_at  # an hour on
    db.dispose()
    code, run, stderr = crawl(config, source["id"])
    assert code == 0, stderr
    assert run["status"] == "ok" and run["new_documents"] == 1
    assert PRIVATE in site.paths()
    assert page_failures(sqlite_url, source["id"]) == {}


def test_a_listing_robots_txt_forbids_fails_the_run_naming_the_cause(
    site: RouteSite, tmp_path: Path, sqlite_url: str
) -> None:
    publish(site, {"/codes/a/1.html": release(1)})
    site.add("/robots.txt", Route(b"User-agent: *\nDisallow: /codes/\n", "text/plain"))
    source = site_source(site, "robots-listing")
    config = configure(tmp_path, sqlite_url, source)
    code, run, _ = crawl(config, source["id"])

    assert code == 1 and run["status"] == "failed" and run["new_documents"] == 0
    [error] = run["errors"]
    assert error["url"] == site.base + LISTING and error["kind"] == "listing"
    assert error["code"] == "robots_disallowed"
    assert run["reason"] == (
        f"no listing page could be read: robots_disallowed at {site.base + LISTING} "
        f"(forbidden by the site's robots.txt ({site.base}/robots.txt))"
    )
    assert site.paths() == ["/robots.txt"]  # nothing else asked for
    status = run_cli(config, "status", source["id"])
    assert status.returncode == 0, status.stderr
    assert "robots_disallowed" in status.stdout


# --- error ------------------------------------------------------------------------------


def test_a_redirect_loop_is_an_error_naming_the_cause(
    site: RouteSite, tmp_path: Path, sqlite_url: str
) -> None:
    loop = "/codes/a/loop.html"
    publish(site, {"/codes/a/1.html": release(1), loop: Route(b"", status=302, location=loop)})
    source = site_source(site, "redirect-loop")
    config = configure(tmp_path, sqlite_url, source)
    code, run, stderr = crawl(config, source["id"])

    assert code == 0, stderr
    assert run["status"] == "partial" and run["new_documents"] == 1
    [error] = run["errors"]
    assert error["url"] == site.base + loop
    assert error["code"] == "error" and error["kind"] == "article"
    assert error["error"] == "IgnoreRequest: max redirections reached"
    assert run["reason"] == "1 page(s) failed: error (IgnoreRequest: max redirections reached)"
    failure = page_failures(sqlite_url, source["id"])[site.base + loop]
    assert failure.code == "error" and not failure.permanent and failure.retry_at is not None


# --- every code -------------------------------------------------------------------------

HOSTILE = "tests.e2e.test_hostile"
#: Where each code is provoked for real: a test of this module, or ``module::test``.
PROVOKED = {
    ErrorCode.PARSE_ERROR: "test_an_exception_while_reading_an_article_is_a_parse_error",
    ErrorCode.DEPENDENCY_MISSING: (
        "test_a_missing_dependency_fails_every_article_then_the_next_crawl_stores_them"
    ),
    ErrorCode.TIMEOUT: "test_a_page_that_is_gone_and_one_that_never_answers",
    ErrorCode.CONNECTION_ERROR: "test_a_site_that_refuses_connections",
    ErrorCode.EMPTY_BODY: "test_articles_without_a_body_are_empty_body",
    ErrorCode.NO_ITEMS: "test_a_listing_without_article_links_is_no_items",
    ErrorCode.NOT_HTML: "test_a_pdf_and_an_image_in_the_listing_are_not_html",
    ErrorCode.CHALLENGE: "test_a_challenge_the_source_may_not_pass",
    ErrorCode.STORE_ERROR: (
        "test_a_release_the_database_refuses_is_a_store_error_then_stored_next_crawl"
    ),
    ErrorCode.EXTRACTION_ERROR: (
        "test_a_release_whose_figures_fail_is_stored_with_an_extraction_error"
    ),
    ErrorCode.TOO_LARGE: "test_a_page_over_the_download_size_limit_is_too_large",
    ErrorCode.UNDECODABLE: (
        f"{HOSTILE}::test_misdeclared_charsets_are_read_in_the_charset_of_their_bytes"
    ),
    ErrorCode.BLOCKED_SCHEME: (
        f"{HOSTILE}::test_a_next_page_of_another_scheme_is_refused_and_recorded"
    ),
    ErrorCode.BLOCKED_PRIVATE_ADDRESS: (
        f"{HOSTILE}::test_links_to_other_private_hosts_are_refused_in_every_spelling"
    ),
    ErrorCode.ROBOTS_DISALLOWED: (
        "test_a_page_robots_txt_forbids_is_robots_disallowed_then_fetched_once_allowed"
    ),
    ErrorCode.ERROR: "test_a_redirect_loop_is_an_error_naming_the_cause",
}


def test_every_code_is_provoked_end_to_end() -> None:
    assert sorted(PROVOKED) == sorted(ErrorCode)  # a new code needs its test here
    for code, where in PROVOKED.items():
        module, _, name = where.rpartition("::")
        tests = importlib.import_module(module) if module else sys.modules[__name__]
        test = getattr(tests, name, None)
        assert callable(test), f"{code}: no test {where}"
        assert f'"{code}"' in inspect.getsource(test), f"{where} never checks {code}"
