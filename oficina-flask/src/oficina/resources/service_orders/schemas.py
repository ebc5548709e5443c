from __future__ import annotations

from marshmallow import fields, validate

from oficina.domain.statuses import OrderStatus
from oficina.extensions.api import Schema, Timestamp
from oficina.resources.catalog.schemas import money

STATUSES = [s.value for s in OrderStatus]


class ServiceLineIn(Schema):
    service_id = fields.UUID(required=True)
    quantity = fields.Int(load_default=1, validate=validate.Range(min=1, max=1000))


class PartLineIn(Schema):
    part_id = fields.UUID(required=True)
    quantity = fields.Int(required=True, validate=validate.Range(min=1, max=10_000))


class ItemsSchema(Schema):
    services = fields.List(
        fields.Nested(ServiceLineIn), load_default=list, validate=validate.Length(max=100)
    )
    parts = fields.List(
        fields.Nested(PartLineIn), load_default=list, validate=validate.Length(max=200)
    )


class OpenOrderSchema(ItemsSchema):
    customer_id = fields.UUID(required=True)
    vehicle_id = fields.UUID(required=True, metadata={"description": "must belong to the customer"})
    unit_id = fields.UUID(metadata={"description": "managers only; default: the caller's unit"})
    description = fields.Str(
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={"example": "Barulho na suspensão dianteira"},
    )


class ServiceLineOut(Schema):
    service_id = fields.UUID()
    quantity = fields.Int()
    unit_price = money(metadata={"description": "frozen when added"})
    line_total = fields.Function(lambda line: f"{line.unit_price * line.quantity:.2f}")


class PartLineOut(Schema):
    part_id = fields.UUID()
    quantity = fields.Int()
    unit_price = money(metadata={"description": "frozen when added"})
    line_total = fields.Function(lambda line: f"{line.unit_price * line.quantity:.2f}")


class BudgetSchema(Schema):
    services_total = money()
    parts_total = money()
    total = money(attribute="budget_total")
    sent_at = Timestamp(attribute="budget_sent_at", allow_none=True)
    decision = fields.Str(
        attribute="budget_decision", allow_none=True, metadata={"enum": ["approved", "rejected"]}
    )
    decided_at = Timestamp(attribute="budget_decided_at", allow_none=True)


class StatusChangeSchema(Schema):
    from_status = fields.Str(allow_none=True, metadata={"enum": STATUSES})
    to_status = fields.Str(metadata={"enum": STATUSES})
    changed_at = Timestamp()
    changed_by_staff_id = fields.UUID(allow_none=True)
    changed_by_customer_id = fields.UUID(allow_none=True)
    note = fields.Str(allow_none=True)


class OrderSummarySchema(Schema):
    id = fields.UUID()
    number = fields.Int(metadata={"description": "human-facing order number"})
    unit_id = fields.UUID()
    customer_id = fields.UUID()
    vehicle_id = fields.UUID()
    status = fields.Str(metadata={"enum": STATUSES})
    budget_total = money()
    opened_at = Timestamp()
    updated_at = Timestamp()
    closed_at = Timestamp(allow_none=True)
    version = fields.Int(metadata={"description": "optimistic-lock version"})


class OrderDetailSchema(OrderSummarySchema):
    description = fields.Str(allow_none=True)
    budget = fields.Function(lambda order: BudgetSchema().dump(order))
    services = fields.List(fields.Nested(ServiceLineOut))
    parts = fields.List(fields.Nested(PartLineOut))
    history = fields.List(fields.Nested(StatusChangeSchema))


class OrderQuerySchema(Schema):
    status = fields.List(
        fields.Str(validate=validate.OneOf(STATUSES)),
        metadata={"description": "repeat to ask for several; default: the active queue"},
    )
    unit_id = fields.UUID(metadata={"description": "managers: one unit only"})


class TransitionSchema(Schema):
    status = fields.Str(
        required=True, validate=validate.OneOf(STATUSES), metadata={"example": "IN_DIAGNOSIS"}
    )
    note = fields.Str(allow_none=True, validate=validate.Length(max=500))


class DecisionSchema(Schema):
    note = fields.Str(allow_none=True, validate=validate.Length(max=500))
