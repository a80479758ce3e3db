"""The OpenAPI document: valid, true to every response, and no 500 for generated input."""
from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance,
                                               negative_data_rejection,
                                               response_schema_conformance,
                                               status_code_conformance)

from tests.conftest_web import corpus_index
from web import create_app
from web.openapi import openapi_document
from web.params import SEARCH_PARAMS

DOC_URI = "urn:pressearchiv:openapi"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    return create_app({"TESTING": True, "INDEX_DIR": str(corpus_index(tmp_path_factory))})


@pytest.fixture(scope="session")
def document():
    return openapi_document()


@pytest.fixture(scope="session")
def schema_of(document):
    registry = Registry().with_resource(
        DOC_URI, Resource.from_contents(document, default_specification=DRAFT202012))

    def validator(name: str) -> Draft202012Validator:
        return Draft202012Validator({"$ref": f"{DOC_URI}#/components/schemas/{name}"},
                                    registry=registry, format_checker=FormatChecker())
    return validator


def test_document_is_valid_openapi_31(document):
    assert document["openapi"].startswith("3.1")
    validate_spec(document)


def test_document_is_served(app, document):
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == json.loads(json.dumps(document))


def test_document_lists_every_api_route(app, document):
    routes = {rule.rule.replace("<path:article_id>", "{id}")
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    assert routes == set(document["paths"])
    documented = {p["name"] for p in document["paths"]["/api/search"]["get"]["parameters"]}
    assert documented == set(SEARCH_PARAMS)


RESPONSES = [
    ("/api/search?q=Ukraine", 200, "SearchResponse"),
    ("/api/search?q=Ukraine&size=100&sort=newest&facet_size=100", 200, "SearchResponse"),
    ("/api/search?q=Ukriane", 200, "SearchResponse"),
    ("/api/search?q=%22offen", 200, "SearchResponse"),
    ("/api/search", 200, "SearchResponse"),
    ("/api/search?section=Ausland&person=Olaf+Scholz&from=2023&to=2025-06", 200,
     "SearchResponse"),
    ("/api/search?q=Ukraine&page=999", 200, "SearchResponse"),
    ("/api/search?q=xyzzyqwertz&facet_size=0", 200, "SearchResponse"),
    ("/api/health", 200, "Health"),
    ("/api/trend?q=Ukraine&q=Merz&label=U&measure=share&smooth=3", 200, "TrendResponse"),
    ("/api/trend?q=Ukraine&measure=ipm&split=outlet&interval=week", 200, "TrendResponse"),
    ("/api/trend", 200, "TrendResponse"),
    ("/api/trend?interval=hour", 400, "Error"),
    ("/api/search?size=1000", 400, "Error"),
    ("/api/search?nope=1", 400, "Error"),
    ("/api/articles/unknown-id", 404, "Error"),
    ("/api/unknown", 404, "Error"),
]


@pytest.mark.parametrize("url,status,schema", RESPONSES)
def test_responses_match_their_schema(app, schema_of, url, status, schema):
    response = app.test_client().get(url)
    assert response.status_code == status
    schema_of(schema).validate(response.get_json())


def test_article_and_export_records_match_their_schemas(app, schema_of):
    client = app.test_client()
    ids = [h["id"] for h in client.get("/api/search?q=Ukraine&size=20").get_json()["hits"]]
    for article_id in ids:
        schema_of("Article").validate(client.get(f"/api/articles/{article_id}").get_json())
    lines = client.get("/api/search?q=Ukraine&format=jsonl").get_data(as_text=True).splitlines()
    for line in lines:
        schema_of("ExportRecord").validate(json.loads(line))
    schema_of("Error").validate(client.post("/api/search").get_json())


# generated input ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]


@schema.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_schemathesis_no_server_errors(case):
    """Schema-driven inputs, valid and invalid: never a 500, always as documented."""
    case.call_and_validate(checks=CHECKS)


KNOWN = sorted(SEARCH_PARAMS)
names = st.one_of(st.sampled_from(KNOWN), st.text(max_size=12))
values = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-10**20, max_value=10**20).map(str),
    st.sampled_from(["", " ", "0", "1", "100", "101", "2024", "2024-02-30", "2024-13",
                     "csv", "jsonl", "newest", "or", "plain", "%", "\x00", "ä" * 300]),
)


@given(pairs=st.lists(st.tuples(names, values), max_size=6))
@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_arbitrary_query_strings_never_fail(app, schema_of, pairs):
    """Any query string: 200 with a search response (or an export), or a 400 naming the
    parameter; never a 500."""
    response = app.test_client().get("/api/search?" + urlencode(pairs))
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    if response.status_code == 400:
        error = response.get_json()
        schema_of("Error").validate(error)
        assert error["error"]["parameter"] in {name for name, _ in pairs}
    elif response.mimetype == "application/json":
        schema_of("SearchResponse").validate(response.get_json())
    else:
        response.get_data()  # a whole export streams without failing
