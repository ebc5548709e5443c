"""One JSON error shape for every failure: ``{"status", "error", "message", "errors"?}``.

Domain exceptions map to HTTP codes here and nowhere else; database integrity errors become a
409 without leaking SQL; anything unexpected is a 500 with no internals.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from oficina.domain import exceptions as dx
from oficina.observability import metrics

log = logging.getLogger(__name__)

_DOMAIN_STATUS: list[tuple[type[dx.DomainError], int]] = [
    (dx.NotFound, 404),
    (dx.Forbidden, 403),
    (dx.ValidationFailed, 422),
    (dx.Conflict, 409),
]


# Order-processing failures by endpoint (the alert the direction asked for).
_ORDER_STAGES = {
    "ServiceOrders": "open",
    "ServiceOrderTransitions": "transition",
    "BudgetApprove": "budget",
    "BudgetReject": "budget",
    "ServiceOrderItems": "items",
}


def _order_failure(reason: str) -> None:
    endpoint = (request.endpoint or "").rpartition(".")[2]
    if (
        request.blueprint == "service-orders"
        and endpoint in _ORDER_STAGES
        and request.method != "GET"
    ):
        metrics.increment_now(
            "oficina.orders.failures", stage=_ORDER_STAGES[endpoint], reason=reason
        )


def _reason(exc: Exception) -> str:
    if isinstance(exc, dx.StockShortage):
        return "stock_shortage"
    if isinstance(exc, dx.InvalidTransition):
        return "invalid_transition"
    if isinstance(exc, dx.ValidationFailed):
        return "validation"
    if isinstance(exc, dx.Forbidden):
        return "forbidden"
    if isinstance(exc, dx.NotFound):
        return "not_found"
    return "conflict"


def error_body(status: int, message: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "status": status,
        "error": HTTPStatus(status).phrase,
        "message": message,
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


def error_response(status: int, message: str, **extra: Any) -> tuple[Response, int]:
    return jsonify(error_body(status, message, **extra)), status


def _domain(exc: dx.DomainError) -> ResponseReturnValue:
    status = next(code for cls, code in _DOMAIN_STATUS if isinstance(exc, cls))
    _order_failure(_reason(exc))
    if isinstance(exc, dx.ValidationFailed):
        return error_response(status, exc.message, errors={"json": {exc.field: [exc.message]}})
    return error_response(status, exc.message, **exc.details)


def _integrity(exc: IntegrityError) -> ResponseReturnValue:
    constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
    log.info("integrity error", extra={"constraint": constraint})
    _order_failure("conflict")
    return error_response(409, "the request conflicts with existing data", constraint=constraint)


def _stale(_exc: StaleDataError) -> ResponseReturnValue:
    _order_failure("conflict")
    return error_response(409, "the resource was modified concurrently; read it again and retry")


def _database_down(_exc: OperationalError) -> ResponseReturnValue:
    log.exception("database unavailable")
    metrics.increment_now("oficina.integration.errors", integration="database", kind="unavailable")
    _order_failure("database_error")
    return error_response(503, "the database is unavailable; try again shortly")


def _http(exc: HTTPException) -> ResponseReturnValue:
    status = exc.code or 500
    if status in (400, 422):
        _order_failure("validation")
    data = getattr(exc, "data", None) or {}
    message = data.get("message") or exc.description or HTTPStatus(status).phrase
    if status == 400 and not data.get("message"):
        message = "malformed request: the body is not valid JSON"
    headers = data.get("headers")
    # webargs puts field errors under "messages" ({location: {field: [...]}}).
    body = error_body(status, message, errors=data.get("errors") or data.get("messages"))
    return jsonify(body), status, headers or {}


def _unexpected(exc: Exception) -> ResponseReturnValue:
    log.exception("unhandled error", exc_info=exc)
    return error_response(500, "internal error")


def register(app: Flask) -> None:
    app.register_error_handler(dx.DomainError, _domain)
    app.register_error_handler(IntegrityError, _integrity)
    app.register_error_handler(StaleDataError, _stale)
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(Exception, _unexpected)
