"""A local replica of official bulletin sites, for end-to-end tests, the demo and benchmarks.

One stdlib HTTP server on 127.0.0.1 serves several sites, each under its own
path prefix and modelled on a CMS family in ``SITES.md``:

- ``/gbk/`` an old TRS provincial column in GBK (:mod:`.sites.trs_gbk`)
- ``/en/`` a ministry's English news column (:mod:`.sites.ministry_en`), whose
  listing also links a page that is gone (404) and one that never answers
- ``/f1/`` an MPS "F1" provincial column (:mod:`.sites.f1`) reposting one GBK release
- ``/bench/`` N synthetic articles, only with ``bench_articles=N`` (and the same
  pages behind the 加速乐 challenge under ``/bench-jsl/``)
- ``/jsl/`` a column behind a 加速乐 / Jiasule JavaScript cookie challenge
  (:mod:`.sites.jsl`; ``/jsls/`` a strict variant that wants a browser for every page)
- ``/jsapp/`` a column whose listing JavaScript builds from a JSON endpoint
  (:mod:`.sites.jsapp`)
- ``/hostile/`` pages that attack the crawler: non-HTTP next pages, links and
  redirects to "the other host" (a second listener, ``other_host="127.0.0.2"``),
  mis-declared charsets, redirected articles (:mod:`.sites.hostile`; its sources come
  from :func:`.sites.hostile.hostile_source`, one per scenario)

Content is deterministic. :func:`sources_config` gives the source entries that
crawl it (``browser=True`` adds the three that need a browser); ``python -m
replica`` runs it as a process.
"""

from replica.content import REPOSTED, Bulletin, normalize_text, text_hash
from replica.server import LoggedRequest, ReplicaServer
from replica.sites import BUSY_PATH, GONE_PATH, HANG_PATH, sources_config

__all__ = [
    "BUSY_PATH",
    "GONE_PATH",
    "HANG_PATH",
    "REPOSTED",
    "Bulletin",
    "LoggedRequest",
    "ReplicaServer",
    "normalize_text",
    "sources_config",
    "text_hash",
]
