"""Request bodies read after the policy has answered, so a stranger gets the same 404 as for a missing child.

django-ninja validates a declared body before the operation runs: a user with no relation to the
child would get 422 (or 400 for an empty body) rather than 404. Operations on a child read their
body with `parse_body` after `policy.child_for_user`, and describe it with `body_schema`.
"""

from __future__ import annotations

import json

import pydantic
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Schema, Status

NOT_JSON = _("Skicka uppgifterna som JSON i begärans kropp.")
INVALID = _("Begäran innehåller ogiltiga värden. Rätta fälten som anges i errors och försök igen.")


def parse_body(schema: type[Schema], request: HttpRequest) -> tuple[Schema | None, Status | None]:
    """Return the validated body, or None and a 422 response saying which fields to correct."""
    try:
        return schema.model_validate(json.loads(request.body or b"null")), None
    except json.JSONDecodeError:
        errors = [{"loc": ["body", "payload"], "msg": str(NOT_JSON), "type": "json_invalid"}]
    except pydantic.ValidationError as exc:
        errors = [
            {"loc": ["body", "payload", *error["loc"]], "msg": error["msg"], "type": error["type"]}
            for error in exc.errors(include_url=False, include_input=False)
        ]
    return None, Status(422, {"detail": str(INVALID), "errors": errors})


def missing_body() -> Status:
    """Answer 422 for a request without a body (for operations that declare an optional body)."""
    message = str(NOT_JSON)
    return Status(422, {"detail": message, "errors": [{"loc": ["body", "payload"], "msg": message, "type": "missing"}]})


def body_schema(schema: type[Schema]) -> dict:
    """Describe a body read by `parse_body` in the OpenAPI document (pass as `openapi_extra`)."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema.model_json_schema()}}}}


def invalid(exc: ValidationError) -> Status:
    """Answer 422 with a service's field messages (never the submitted values)."""
    errors = [
        {"loc": ["body", "payload", field], "msg": str(message), "type": "invalid"}
        for field, messages in exc.message_dict.items()
        for message in messages
    ]
    return Status(422, {"detail": errors[0]["msg"], "errors": errors})
