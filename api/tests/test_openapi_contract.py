"""The API keeps the contract of its own OpenAPI document, for every operation (schemathesis, in-process)."""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.api import api

DOCUMENT = json.loads(json.dumps(api.get_openapi_schema()))
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
APP = get_wsgi_application()
# Per operation, valid and invalid requests alike: enough to find a class of fault, few enough for the suite.
EXAMPLES = 10


@contextmanager
def _same_connection():
    """Keep the test's database connection across in-process requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Who calls each operation: the family's routes a guardian, a manager's decisions the manager, the rest the
# child's named person (a head teacher: she may look children up and works on the plan).
MANAGER_PATHS = ("/disclosures", "/blocks", "/emergency-access/")


def _persona(world, operation):
    if operation.path.startswith("/api/v1/family/"):
        return world.cast.guardian_user
    if any(part in operation.path for part in MANAGER_PATHS):
        return world.cast.manager
    return world.cast.named_person


@pytest.mark.parametrize("operation", OPERATIONS, ids=[operation.label for operation in OPERATIONS])
def test_it_answers_as_its_openapi_document_says(world, bearer, operation):
    headers = bearer(_persona(world, operation))
    values = world.path_values()
    path_parameters = {p.name: values[p.name] for p in operation.path_parameters}

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(*(operation.as_strategy(mode, path_parameters=path_parameters) for mode in GenerationMode)))
    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS, app=APP)

    with _same_connection():
        check()
