"""Contract test: schemathesis generates requests from /openapi.json, valid and
not, for every operation; none may end in a server error, and every answer must
match the schema it documents (status code, content type, body). On SQLite and
PostgreSQL, with seeded data.

Left out: schemathesis' "schema-valid data is accepted" check. The schema says
`source` is a string, and an unknown source id is a 422 that names it, by design.
Invalid data must still be rejected (negative mode)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from storage.db import Database
from tests.web.conftest import TZ, seed
from web import create_app


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def web_schema(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[schemathesis.BaseSchema]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('contract') / 'bulletins.db'}"
    else:
        from tests.conftest import _truncate_all

        url = request.getfixturevalue("pg_schema_url")
        writer = Database(url)
        _truncate_all(writer)
        writer.dispose()
    seed(url)
    db = Database(url, read_only=True)
    yield schemathesis.openapi.from_asgi("/openapi.json", create_app(db, timezone=TZ))
    db.dispose()


# schemathesis' own pytest loader (from_fixture) does not run on pytest 9 yet, so
# each operation's strategies are driven here with hypothesis directly.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_errors_and_answers_match_the_schema(
    web_schema: schemathesis.BaseSchema, mode: GenerationMode
) -> None:
    operations = [result.ok() for result in web_schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and not operation.definition.raw.get("parameters"):
            continue  # nothing to make invalid

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        check()


def test_openapi_lists_the_api(web_schema: schemathesis.BaseSchema) -> None:
    paths = set(web_schema.raw_schema["paths"])
    assert {"/api/documents", "/api/documents/{document_id}", "/api/figures", "/api/series",
            "/api/sources", "/api/metrics"} <= paths  # fmt: skip
    assert not any(p.startswith("/figures") or p == "/" for p in paths)  # pages stay out
