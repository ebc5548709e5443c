"""flask-smorest base classes: views import Api, Blueprint and Schema from here only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from http import HTTPStatus
from typing import Any

import flask_smorest
import marshmallow as ma
from marshmallow import fields
from webargs.flaskparser import FlaskParser


class Timestamp(fields.DateTime):
    """UTC, microseconds always present: ``2026-12-01T07:38:59.720458Z``.

    The read models in SQL format timestamps identically (``ts()`` in services/read_models.py),
    so every endpoint speaks the same format.
    """

    FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return value.astimezone(UTC).strftime(self.FORMAT)


class Schema(ma.Schema):
    """Base schema: unknown fields are an error, so typos never pass silently."""

    class Meta:
        unknown = ma.RAISE


class ErrorSchema(Schema):
    """The one error body (see oficina.errors)."""

    status = fields.Int(required=True, metadata={"example": 422})
    error = fields.Str(required=True, metadata={"example": "Unprocessable Entity"})
    message = fields.Str(
        required=True, metadata={"example": "invalid CPF: check digits do not match"}
    )
    errors = fields.Dict(
        metadata={
            "description": "field errors by location, then field",
            "example": {"json": {"document": ["invalid CPF: check digits do not match"]}},
        }
    )
    current_status = fields.Str(metadata={"description": "the order's status, on a 409"})
    allowed_targets = fields.List(fields.Str(), metadata={"description": "moves allowed, on a 409"})
    allowed_roles = fields.List(fields.Str(), metadata={"description": "roles allowed, on a 403"})


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ErrorSchema


class SchemaReusingParser(FlaskParser):
    """Parses with one instance per schema class: given a class, webargs builds a new instance
    (deep-copying every field) on every request, which flask-smorest's pagination does too."""

    def __init__(self) -> None:
        super().__init__()
        self._instances: dict[type[ma.Schema], ma.Schema] = {}

    def parse(self, argmap: Any, req: Any = None, **kwargs: Any) -> Any:
        if isinstance(argmap, type):
            if argmap not in self._instances:
                self._instances[argmap] = argmap()
            argmap = self._instances[argmap]
        return super().parse(argmap, req, **kwargs)


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = PAGINATION_ARGUMENTS_PARSER = SchemaReusingParser()

    @staticmethod
    def _make_pagination_metadata(page: int, page_size: int, item_count: int) -> dict[str, int]:
        """flask-smorest's X-Pagination content, without the marshmallow schema it builds and
        dumps per request for a handful of ints (tests compare the two)."""
        if item_count == 0:
            return {"total": 0, "total_pages": 0}
        last_page = (item_count - 1) // page_size + 1
        metadata = {
            "total": item_count,
            "total_pages": last_page,
            "first_page": 1,
            "last_page": last_page,
        }
        if page <= last_page:
            metadata["page"] = page
            if page > 1:
                metadata["previous_page"] = page - 1
            if page < last_page:
                metadata["next_page"] = page + 1
        return metadata

    def route(self, rule: str, *, parameters: Any = None, tags: Any = None, **options: Any) -> Any:
        """As flask-smorest's, plus an ``operationId`` per method: ``getServiceOrderById``."""
        register = super().route(rule, parameters=parameters, tags=tags, **options)

        def decorator(view: Any) -> Any:
            registered = register(view)
            endpoint = options.get("endpoint", view.__name__)
            for method, info in self._docs[endpoint].items():
                if method != "parameters":
                    manual = info.setdefault("manual_doc", {})
                    manual.setdefault("operationId", f"{method}{view.__name__}")
            return registered

        return decorator

    def errors(self, *codes: int) -> Callable[[Any], Any]:
        """Document error responses (all share ErrorSchema)."""

        def decorator(view: Any) -> Any:
            for code in codes:
                view = self.alt_response(code, response=HTTPStatus(code).name)(view)
            return view

        return decorator

    def requires(self, roles: frozenset[str]) -> Callable[[Any], Any]:
        """Enforce the roles (oficina.access) and document them with the 401/403 answers."""
        from oficina.access import requires

        def decorator(view: Any) -> Any:
            view = requires(roles)(view)
            view = self.doc(description=f"Roles: {', '.join(sorted(roles))}.")(view)
            return self.errors(401, 403)(view)

        return decorator
