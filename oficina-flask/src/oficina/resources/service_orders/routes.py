"""Service orders: open, list the active queue, detail, move along, decide the budget."""

from __future__ import annotations

import uuid

from flask import Response, request
from flask.views import MethodView

from oficina.access import BUDGET_DECIDERS, CUSTOMER, FRONT_DESK, STAFF, principal
from oficina.domain.exceptions import NotFound, ValidationFailed
from oficina.domain.statuses import OrderStatus
from oficina.extensions import db
from oficina.extensions.api import Blueprint
from oficina.resources.pagination import PAGINATE
from oficina.resources.service_orders.schemas import (
    DecisionSchema,
    ItemsSchema,
    OpenOrderSchema,
    OrderDetailSchema,
    OrderQuerySchema,
    OrderSummarySchema,
    TransitionSchema,
)
from oficina.services import opening, orders, read_models

blp = Blueprint(
    "service-orders",
    __name__,
    url_prefix="/service-orders",
    description="Service orders (ordens de serviço)",
)
me_blp = Blueprint("me", __name__, url_prefix="/me", description="The signed-in customer")

IDEMPOTENCY_HEADER = "Idempotency-Key"


def _document(order_id: uuid.UUID, status: int = 200) -> Response:
    """The order as the caller may see it, rendered by PostgreSQL (services/read_models.py)."""
    document = read_models.order_detail(db.session(), principal(), order_id)
    if document is None:
        raise NotFound("service order not found")
    return Response(document, status=status, mimetype="application/json")


def _page(document: str, total: int, pagination_parameters) -> Response:
    pagination_parameters.item_count = total
    return Response(document, mimetype="application/json")


def _idempotency_key() -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None and not (1 <= len(key) <= 200 and key.isprintable()):
        raise ValidationFailed(IDEMPOTENCY_HEADER, "must be 1 to 200 printable characters")
    return key


@blp.route("")
class ServiceOrders(MethodView):
    @blp.requires(STAFF)
    @blp.arguments(OrderQuerySchema, location="query")
    @blp.response(200, OrderSummarySchema(many=True))
    @blp.paginate(**PAGINATE)
    @blp.errors(422)
    def get(self, query, pagination_parameters):
        """The active-orders queue

        IN_PROGRESS, then AWAITING_APPROVAL, IN_DIAGNOSIS, RECEIVED; oldest first within each.
        COMPLETED, DELIVERED and CANCELLED appear only when asked for with `status`.
        Attendants and mechanics see their own unit; managers every unit (or `unit_id`).
        """
        document, total = read_models.order_page(
            db.session(),
            principal(),
            statuses=query.get("status"),
            unit_id=query.get("unit_id"),
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        return _page(document, total, pagination_parameters)

    @blp.requires(FRONT_DESK)
    @blp.arguments(OpenOrderSchema)
    @blp.response(201, OrderDetailSchema)
    @blp.doc(
        parameters=[
            {
                "name": IDEMPOTENCY_HEADER,
                "in": "header",
                "required": False,
                "schema": {"type": "string", "maxLength": 200},
                "description": "a retry with the same key and body returns the same order",
            }
        ]
    )
    @blp.errors(400, 403, 422)
    def post(self, data):
        """Open a service order (status RECEIVED, budget from frozen prices)"""
        opened = opening.open_order(db.session(), principal(), data, _idempotency_key())
        if opened.document is not None:
            return Response(opened.document, status=201, mimetype="application/json")
        response = _document(opened.order_id, status=201)
        response.headers["Idempotent-Replayed"] = "true"
        return response


@blp.route("/<uuid:order_id>")
class ServiceOrderById(MethodView):
    @blp.requires(STAFF | CUSTOMER)
    @blp.response(200, OrderDetailSchema)
    @blp.errors(404)
    def get(self, order_id: uuid.UUID):
        """An order with its items, budget and full status history"""
        return _document(order_id)


@blp.route("/<uuid:order_id>/items")
class ServiceOrderItems(MethodView):
    @blp.requires(FRONT_DESK | {"mechanic"})
    @blp.arguments(ItemsSchema)
    @blp.response(200, OrderDetailSchema)
    @blp.errors(400, 404, 409, 422)
    def put(self, data, order_id: uuid.UUID):
        """Replace the order's services and parts (only before the budget is approved)"""
        return _document(orders.replace_items(db.session(), principal(), order_id, data))


@blp.route("/<uuid:order_id>/transitions")
class ServiceOrderTransitions(MethodView):
    @blp.requires(STAFF)
    @blp.arguments(TransitionSchema)
    @blp.response(200, OrderDetailSchema)
    @blp.errors(400, 404, 409, 422)
    def post(self, data, order_id: uuid.UUID):
        """Move the order to its next status

        RECEIVED → IN_DIAGNOSIS → AWAITING_APPROVAL → IN_PROGRESS → COMPLETED → DELIVERED, or
        CANCELLED where allowed. Any other move answers 409 with `allowed_targets`.
        """
        target = OrderStatus(data["status"])
        return _document(
            orders.transition(db.session(), principal(), order_id, target, data.get("note"))
        )


@blp.route("/<uuid:order_id>/budget/approve")
class BudgetApprove(MethodView):
    @blp.requires(BUDGET_DECIDERS)
    @blp.arguments(DecisionSchema, required=False)
    @blp.response(200, OrderDetailSchema)
    @blp.errors(400, 404, 409, 422)
    def post(self, data, order_id: uuid.UUID):
        """Approve the budget: the order goes IN_PROGRESS and its parts are reserved"""
        note = (data or {}).get("note")
        return _document(orders.decide_budget(db.session(), principal(), order_id, True, note))


@blp.route("/<uuid:order_id>/budget/reject")
class BudgetReject(MethodView):
    @blp.requires(BUDGET_DECIDERS)
    @blp.arguments(DecisionSchema, required=False)
    @blp.response(200, OrderDetailSchema)
    @blp.errors(400, 404, 409, 422)
    def post(self, data, order_id: uuid.UUID):
        """Reject the budget: the order is CANCELLED"""
        note = (data or {}).get("note")
        return _document(orders.decide_budget(db.session(), principal(), order_id, False, note))


@me_blp.route("/service-orders")
class MyServiceOrders(MethodView):
    @me_blp.requires(CUSTOMER)
    @me_blp.response(200, OrderSummarySchema(many=True))
    @me_blp.paginate(**PAGINATE)
    def get(self, pagination_parameters):
        """The signed-in customer's own orders, newest first"""
        document, total = read_models.customer_order_page(
            db.session(), principal(), pagination_parameters.page, pagination_parameters.page_size
        )
        return _page(document, total, pagination_parameters)
