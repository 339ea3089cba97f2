"""Request bodies and query strings, read one way for the whole API.

django-ninja validates a declared body before the operation runs: a user with no relation to the
child would get 422 (or 400 for an empty body) rather than 404. Operations read their body with
`parse_body` after `policy.child_for_user`, and describe it with `body_schema`.

Every body is strict UTF-8 JSON, and no text in it or in the query string may hold a NUL character
(the database cannot store one); anything else answers 422 in the API's error format, never 500.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pydantic
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from ninja import Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import REF_TEMPLATE
from ninja.parser import Parser

NOT_JSON = _("Skicka uppgifterna som JSON i begärans kropp.")
NOT_UTF8 = _("Begärans kropp är inte giltig UTF-8. Skicka JSON kodad som UTF-8.")
NUL = _("Texten innehåller ett NUL-tecken (\\u0000), som inte kan sparas. Ta bort tecknet och försök igen.")
INVALID = _("Begäran innehåller ogiltiga värden. Rätta fälten som anges i errors och försök igen.")


class BodyRefused(Exception):
    """A body that is not UTF-8 JSON without NUL characters; `errors` say where and what."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__(errors)
        self.errors = errors


def _nul_at(value: Any, loc: list) -> list | None:
    """Return where the first NUL character in a JSON value is (a key or a text), or None."""
    if isinstance(value, str):
        return loc if "\x00" in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return loc
        found = _nul_at(item, [*loc, key])
        if found is not None:
            return found
    return None


def read_json(request: HttpRequest) -> Any:
    """Return the body's JSON value (None when empty), or raise BodyRefused."""
    where = ["body", "payload"]
    try:
        value = json.loads(request.body.decode("utf-8")) if request.body else None
        nul = _nul_at(value, where)
    except UnicodeDecodeError as exc:
        raise BodyRefused([{"loc": where, "msg": str(NOT_UTF8), "type": "json_invalid"}]) from exc
    except (json.JSONDecodeError, RecursionError) as exc:
        # RecursionError: nesting deeper than Python's stack, which no body of the API has.
        raise BodyRefused([{"loc": where, "msg": str(NOT_JSON), "type": "json_invalid"}]) from exc
    if nul is not None:
        raise BodyRefused([{"loc": nul, "msg": str(NUL), "type": "string_nul"}])
    return value


def parse_body(
    schema: type[Schema], request: HttpRequest, *, detail: str | None = None
) -> tuple[Schema | None, Status | None]:
    """Return the validated body, or None and a 422 response saying which fields to correct."""
    try:
        return schema.model_validate(read_json(request)), None
    except BodyRefused as exc:
        errors = exc.errors
    except pydantic.ValidationError as exc:
        errors = [
            {"loc": ["body", "payload", *error["loc"]], "msg": error["msg"], "type": error["type"]}
            for error in exc.errors(include_url=False, include_input=False)
        ]
    return None, Status(422, {"detail": str(detail or INVALID), "errors": errors})


class QueryParser(Parser):
    """ninja's parser, refusing NUL characters in query and form parameters with 422 before any view runs."""

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict:
        errors = [
            {"loc": ["query", key], "msg": str(NUL), "type": "string_nul"}
            for key, values in data.lists()
            if "\x00" in key or any("\x00" in value for value in values)
        ]
        if errors:
            raise NinjaValidationError(errors)
        return super().parse_querydict(data, list_fields, request)


def missing_body() -> Status:
    """Answer 422 for a request without a body (for operations that declare an optional body)."""
    message = str(NOT_JSON)
    return Status(422, {"detail": message, "errors": [{"loc": ["body", "payload"], "msg": message, "type": "missing"}]})


def body_schema(schema: type[Schema]) -> dict:
    """Describe a body read by `parse_body` in the OpenAPI document (pass as `openapi_extra`).

    Nested schemas refer to the document's components; `hoist_body_definitions` moves them there.
    """
    described = schema.model_json_schema(ref_template=REF_TEMPLATE)
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": described}}}}


def document_unreadable_bodies(document: dict) -> dict:
    """Declare 400 on every operation with a body: Django refuses one larger than DATA_UPLOAD_MAX_MEMORY_SIZE."""
    for item in document["paths"].values():
        for operation in item.values():
            if "requestBody" in operation:
                operation["responses"].setdefault(
                    400,
                    {
                        "description": "Bad Request",
                        "content": {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model="Error")}}},
                    },
                )
    return document


def hoist_body_definitions(document: dict) -> dict:
    """Move the nested schemas of bodies described by `body_schema` into the document's components."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for item in document["paths"].values():
        for operation in item.values():
            if "requestBody" not in operation:
                continue
            # The body comes from the operation's `openapi_extra`, shared by every build of the document: copy it
            # before taking its definitions out, or the next build would find none.
            operation["requestBody"] = copy.deepcopy(operation["requestBody"])
            for content in operation["requestBody"].get("content", {}).values():
                for name, definition in content["schema"].pop("$defs", {}).items():
                    if components.setdefault(name, definition) != definition:
                        raise ImproperlyConfigured(f"Two API schemas are called {name}; give one another name.")
    return document


def invalid(exc: ValidationError) -> Status:
    """Answer 422 with a service's field messages (never the submitted values)."""
    errors = [
        {"loc": ["body", "payload", field], "msg": str(message), "type": "invalid"}
        for field, messages in exc.message_dict.items()
        for message in messages
    ]
    return Status(422, {"detail": errors[0]["msg"], "errors": errors})
