"""schemathesis against the published OpenAPI schema: no 5xx, and every documented answer matches it."""

import json

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.wsgi import application


def _published_schema() -> dict:
    """The schema /api/schema/ serves (to logged-in clients), generated in-process: no database needed,
    so it can be built when the module is collected."""
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(raw, renderer_context={}))


schema = schemathesis.openapi.from_dict(_published_schema())
schema.app = application


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go through the raw WSGI app, whose request signals would close the test's connection
    (it is inside the test's transaction); Django's own test client disconnects them the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def analyst_token(analyst, corpus):
    return Token.objects.create(user=analyst).key


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_answers_within_its_schema(case, analyst_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {analyst_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
