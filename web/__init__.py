"""`bulletins serve`: the web pages and the JSON API over the stored releases.

It reads storage (and extraction's metric vocabulary) only; what the scheduler
knows of sources is handed in by the command (see web.query.sources).
"""

from web.app import create_app

__all__ = ["create_app"]
