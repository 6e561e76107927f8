"""Run by scripts/check-install.sh with the fresh virtualenv's Python, outside the checkout.

Crawls the replica's English site (its articles have no `article.body`: main text is
found by trafilatura, through jusText and lxml_html_clean) into a SQLite file and
fails unless every article the replica published was stored; then runs
`bulletins extract` on an HTML file, starts `bulletins serve`, runs `bulletins
doctor`, and imports the browser path.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from sqlalchemy import func, select

import bulletins
from replica import ReplicaServer, sources_config
from storage.db import Database
from storage.models import Sighting

SITE = "replica-en"


def fail(message: str) -> None:
    print(f"check-install: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("bulletins")), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def check_crawl(work: Path) -> None:
    database = f"sqlite:///{work / 'check.db'}"
    with ReplicaServer(hang_seconds=10) as replica:
        site = replica.site(SITE)
        published = {e.path for e in site.entries if e.bulletin is not None} - site.hang_paths
        config = {
            "database": database,
            "builtin_sources": False,
            "crawl": {"download_timeout": 5, "retry_times": 0, "download_delay": 0},
            "sources": [s for s in sources_config(replica.url) if s["id"] == SITE],
        }
        path = work / "check.yaml"
        path.write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
        result = run("--config", str(path), "crawl", "--json")
        print(result.stdout if result.returncode > 1 else "", end="")
        if result.returncode not in (0, 1):
            fail(f"bulletins crawl exited {result.returncode}: {result.stderr.strip()}")
        summary = json.loads(result.stdout)["runs"][0]
        db = Database(database)
        with db.session() as session:
            urls = set(session.scalars(select(Sighting.url).where(Sighting.source_id == SITE)))
            count = session.scalar(select(func.count(func.distinct(Sighting.document_id))))
        db.dispose()
        stored = {url.removeprefix(replica.url) for url in urls}
        missing = sorted(published - stored)
        if missing:
            errors = [f"{e['url']}: {e['error']}" for e in summary.get("errors", [])][:5]
            fail(
                f"{len(missing)} of {len(published)} published articles not stored "
                f"(e.g. {missing[0]}); crawl errors: {errors}"
            )
        print(f"check-install: crawl stored {count} of {len(published)} published releases: ok")


def check_extract(work: Path) -> None:
    page = work / "release.html"
    page.write_text(
        "<html><body><div class='nav'>Home 2024</div><div class='article'><p>Police "
        "arrested more than 60,000 suspects and seized 2.7 billion yuan.</p></div>"
        "</body></html>",
        "utf-8",
    )
    result = run("extract", str(page), "--json")
    if result.returncode != 0:
        fail(f"bulletins extract exited {result.returncode}: {result.stderr.strip()}")
    values = {f["value"] for f in json.loads(result.stdout)}
    if 60000 not in values:
        fail(f"bulletins extract found {sorted(values)}, not the 60,000 arrested")
    print("check-install: extract: ok")


def check_imports() -> None:
    # The browser path and the web app load lazily; import them as their commands would.
    import scrapy_playwright.handler  # noqa: F401

    import crawlers.browser  # noqa: F401
    import web.app  # noqa: F401
    from bulletins.commands import serve  # noqa: F401

    print("check-install: browser and serve imports: ok")


def check_serve(work: Path) -> None:
    """`bulletins serve` starts and answers its home page (on the crawl's database)."""
    import httpx

    command = [str(Path(sys.executable).with_name("bulletins"))]
    command += ["--db", f"sqlite:///{work / 'check.db'}", "serve", "--port", "0"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # "Bulletin Watch on http://127.0.0.1:PORT/ ..."
        if "http://" not in line:
            server.kill()
            fail(f"bulletins serve did not start: {line}{server.communicate()[1].strip()}")
        url = line.split()[3]
        status = httpx.get(url, timeout=60).status_code
        if status != 200:
            fail(f"bulletins serve answered {status} at {url}")
    finally:
        server.terminate()
        server.wait(timeout=60)
    print("check-install: serve: ok")


def check_doctor(work: Path) -> None:
    config = work / "doctor.yaml"
    config.write_text(
        yaml.safe_dump({"database": f"sqlite:///{work / 'doctor.db'}", "builtin_sources": False})
    )
    result = run("--config", str(config), "doctor")
    print(result.stdout, end="")
    if result.returncode != 0:
        fail(f"bulletins doctor exited {result.returncode}: {result.stderr.strip()}")


def main() -> None:
    work = Path(sys.argv[1])
    here = Path(bulletins.__file__).resolve()
    if "site-packages" not in here.parts:
        fail(f"bulletins imported from {here}, not from the installed wheel")
    check_imports()
    check_extract(work)
    check_crawl(work)
    check_serve(work)
    check_doctor(work)
    print("check-install: ok")


if __name__ == "__main__":
    main()
