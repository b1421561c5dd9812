"""Fuzzing the API against its own OpenAPI schema (schemathesis, through WSGI).

Valid and invalid query strings and paths are generated from the schema; every answer
must be no server error, and must match the schema: a documented status code, with a
body of the documented shape. The suite runs it on SQLite and again on PostgreSQL.
"""

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python import wsgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

# The WSGI client would ask for gzip and not undo it; compression has its own tests.
PLAIN = {"Accept-Encoding": "identity"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def openapi_document():
    """The schema as /api/schema/ serves it (the contract tests compare the two)."""
    return SchemaGenerator().get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(json.loads(json.dumps(openapi_document())))


@pytest.fixture
def wsgi_app(record, settings):
    settings.API_ANONYMOUS_RATE = None  # the fuzzer sends hundreds of requests
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, wsgi.HOST]
    # Requests through WSGI would close the test's database connection (and its
    # transaction, with the fixture in it) at their end; the test client does the same.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_within_its_schema(case, wsgi_app):
    case.call_and_validate(checks=CHECKS, app=wsgi_app, headers=PLAIN)


# Random slugs rarely name a real row: the real record's rows are checked one by one.
REAL_REQUESTS = [
    ("/api/v1/", {}, {}),
    ("/api/v1/organisations/{slug}/", {"slug": "ibm"}, {}),
    ("/api/v1/organisations/{slug}/", {"slug": "anthropic"}, {}),
    ("/api/v1/coalitions/{slug}/", {"slug": "ai-alliance"}, {}),
    ("/api/v1/coalitions/{slug}/", {"slug": "frontier-model-forum"}, {}),
    ("/api/v1/people/{slug}/", {"slug": "dario-gil"}, {}),
    ("/api/v1/memberships/{slug}/", {"slug": "stanford-ai-alliance"}, {}),
    ("/api/v1/positions/{slug}/", {"slug": "dario-gil-open-source-ai"}, {}),
    ("/api/v1/articles/{slug}/", {"slug": "meta-et-ibm-creent-l-ai-alliance"}, {}),
    ("/api/v1/ai-systems/{slug}/", {"slug": "llama-2"}, {}),
    (
        "/api/v1/citations/{slug}/",
        {"slug": "les-exclusions-notables-des-membres-initiaux-ed70fad0"},
        {},
    ),
    ("/api/v1/organisations/", {}, {"coalition": "ai-alliance", "role": ["absent"]}),
    ("/api/v1/positions/", {}, {"affiliated_with": "ibm", "ordering": "-leaning"}),
    ("/api/v1/memberships/", {}, {"page_size": 2, "page": 3}),
    ("/api/v1/people/", {}, {"organisation": "nobody"}),
    ("/api/v1/articles/", {}, {"page": 9}),
]


@pytest.mark.parametrize(("path", "path_parameters", "query"), REAL_REQUESTS)
def test_real_records_match_the_schema(wsgi_app, path, path_parameters, query):
    case = schema[path]["GET"].Case(path_parameters=path_parameters, query=query)
    case.call_and_validate(checks=CHECKS, app=wsgi_app, headers=PLAIN)
