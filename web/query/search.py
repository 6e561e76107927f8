"""Full-text search over titles and texts that works for Chinese.

A query is one or more terms separated by spaces; a document matches when it
contains every term (in its title or its text) as a substring, case-insensitively
for Latin letters: no word segmentation, so 诈骗 finds 电信网络诈骗.

- SQLite: the FTS5 trigram index of migration 0005_document_search. A term of
  three or more characters is a phrase of its trigrams. A shorter term cannot be
  one, so it is looked up in the index's vocabulary: every trigram that starts
  with it (each column is indexed with two trailing spaces, so every occurrence
  starts one) joined with OR.
- PostgreSQL: ILIKE on title and text (LIKE for a term with no cased letter),
  served by the pg_trgm GIN indexes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    MetaData,
    Table,
    Text,
    and_,
    false,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Document

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
#: A one-character term can start thousands of trigrams; past this many the
#: query would be slower than reading the texts, so it is refused with a reason.
MAX_EXPANSION = 4000

_fts_metadata = MetaData()
FTS = Table("documents_fts", _fts_metadata, Column("rowid"), Column("title"), Column("text"))
FTS_VOCAB = Table("documents_fts_vocab", _fts_metadata, Column("term", Text))


class QueryError(ValueError):
    """A search query that cannot be run (bad parameter: 422)."""


@dataclass(frozen=True)
class SearchQuery:
    terms: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.terms)


def parse_query(q: str | None) -> SearchQuery | None:
    """The terms of `q`; None for an empty query. Refuses control characters and
    queries too long to mean anything."""
    if q is None or not q.strip():
        return None
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(f"longer than {MAX_QUERY_CHARS} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and not ch.isspace() for ch in q):
        raise QueryError("contains control or unassigned characters")
    terms = tuple(dict.fromkeys(q.split()))
    if len(terms) > MAX_TERMS:
        raise QueryError(f"more than {MAX_TERMS} terms")
    return SearchQuery(terms)


def _phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _fts_term(session: Session, term: str) -> str | None:
    """The FTS5 expression for one term; None when no document can contain it."""
    if len(term) >= 3:
        return _phrase(term)
    folded = term.lower()
    trigrams = session.scalars(
        select(FTS_VOCAB.c.term)
        .where(FTS_VOCAB.c.term >= folded, FTS_VOCAB.c.term < folded + "\U0010ffff")
        .limit(MAX_EXPANSION + 1)
    ).all()
    if not trigrams:
        return None
    if len(trigrams) > MAX_EXPANSION:
        raise QueryError(
            f"the term {term!r} is too short to search alone: add a longer term or a character"
        )
    return "(" + " OR ".join(_phrase(t) for t in trigrams) + ")"


def _fts_ids(expression: str) -> ColumnElement[bool]:
    # `documents_fts MATCH` searches every column (a column name would restrict it).
    match = literal_column("documents_fts").op("MATCH")(expression)
    return Document.id.in_(select(FTS.c.rowid).where(match))


def _like_pattern(term: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"


def _cased(term: str) -> bool:
    """Whether `term` has a letter with an upper or lower case (so that ILIKE and
    LIKE may find different texts)."""
    return any(ch.lower() != ch or ch.upper() != ch for ch in term)


class SearchClauses:
    """Two ways to the same documents. `scan_*` test a row's own title and text:
    cheap on rows at hand, such as the newest thousand. `indexed_*` go through the
    search index: cheap when few documents match. `*_title`: the title holds every
    term; `*_all`: the title or the text holds each."""

    def __init__(self, session: Session, query: SearchQuery) -> None:
        self._session = session
        self._query = query
        self.postgresql = session.get_bind().dialect.name == "postgresql"

        def like(column: Any, term: str) -> ColumnElement[bool]:
            pattern = _like_pattern(term)
            if self.postgresql and _cased(term):
                return column.ilike(pattern, escape="\\")
            # SQLite's LIKE is case-insensitive for ASCII; on PostgreSQL a term without
            # letters that have case (Chinese, digits) finds the same with LIKE, which
            # does not lower-case every text it reads first (ILIKE costs twice as much).
            return column.like(pattern, escape="\\")

        terms = query.terms
        self.scan_title: ColumnElement[bool] = and_(*(like(Document.title, t) for t in terms))
        self.scan_all: ColumnElement[bool] = and_(
            *(or_(like(Document.title, t), like(Document.text, t)) for t in terms)
        )
        self._fts: str | bool | None = False  # not looked up yet

    def _expression(self) -> str | None:
        if self._fts is False:
            parts = [_fts_term(self._session, t) for t in self._query.terms]
            self._fts = None if None in parts else " AND ".join(p for p in parts if p)
        return self._fts if isinstance(self._fts, str) else None

    def matches_at_least(self, count: int, *, title: bool) -> bool | None:
        """Whether `count` documents or more match (in their titles, with `title`),
        by asking the index for that many and no more; None where the index cannot
        say so cheaply (PostgreSQL)."""
        if self.postgresql:
            return None
        expression = self._expression()
        if expression is None:
            return False
        if title:
            expression = "{title} : (" + expression + ")"
        match = literal_column("documents_fts").op("MATCH")(expression)
        probe = select(FTS.c.rowid).where(match).limit(count).subquery()
        return (self._session.scalar(select(func.count()).select_from(probe)) or 0) >= count

    @property
    def indexed_all(self) -> ColumnElement[bool]:
        if self.postgresql:
            return self.scan_all  # ILIKE goes through the pg_trgm indexes by itself
        expression = self._expression()
        return _fts_ids(expression) if expression else false()

    @property
    def indexed_title(self) -> ColumnElement[bool]:
        if self.postgresql:
            return self.scan_title
        expression = self._expression()
        return _fts_ids("{title} : (" + expression + ")") if expression else false()


def search_clauses(session: Session, query: SearchQuery) -> SearchClauses:
    return SearchClauses(session, query)


# --------------------------------------------------------------------- passages


@dataclass(frozen=True)
class Passage:
    """A stretch of text around the first match; `marks` are (start, end) of the
    terms inside it."""

    text: str
    marks: tuple[tuple[int, int], ...]


def find_passage(text: str, query: SearchQuery, width: int = 90) -> Passage | None:
    pattern = re.compile("|".join(re.escape(t) for t in query.terms), re.IGNORECASE)
    first = pattern.search(text)
    if first is None:
        return None
    start = max(0, first.start() - width // 3)
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    snippet = text[start:end].replace("\n", " ")
    marks = tuple((m.start(), m.end()) for m in pattern.finditer(snippet))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix)
    return Passage(
        text=prefix + snippet + suffix, marks=tuple((s + shift, e + shift) for s, e in marks)
    )
