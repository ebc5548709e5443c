from __future__ import annotations

from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields, validate

from oficina.extensions.api import Schema, Timestamp


def _money_range(value: Decimal) -> None:
    if not Decimal("0") <= value <= Decimal("9999999999.99"):
        raise ValidationError("must be between 0.00 and 9999999999.99")


MONEY_DOC = {"type": "string", "format": "decimal", "pattern": r"^\d{1,10}(\.\d{1,2})?$"}


def money(**kwargs: Any) -> fields.Decimal:
    """Exact money: two places, a string on the wire so no float ever touches it."""
    metadata = {**MONEY_DOC, **kwargs.pop("metadata", {})}
    return fields.Decimal(
        places=2, as_string=True, validate=_money_range, metadata=metadata, **kwargs
    )


class ServiceSchema(Schema):
    id = fields.UUID(dump_only=True)
    name = fields.Str(
        required=True,
        validate=validate.Length(min=1, max=120),
        metadata={"example": "Troca de óleo"},
    )
    description = fields.Str(allow_none=True, validate=validate.Length(max=2000))
    price = money(required=True, metadata={"example": "120.00"})
    estimated_minutes = fields.Int(
        required=True, validate=validate.Range(min=1, max=100_000), metadata={"example": 45}
    )
    active = fields.Bool(dump_only=True)
    created_at = Timestamp(dump_only=True)
    updated_at = Timestamp(dump_only=True)


class ServiceUpdateSchema(ServiceSchema):
    name = fields.Str(validate=validate.Length(min=1, max=120))
    price = money()
    estimated_minutes = fields.Int(validate=validate.Range(min=1, max=100_000))
    active = fields.Bool()


class CatalogQuerySchema(Schema):
    include_inactive = fields.Bool(load_default=False)


class PartSchema(Schema):
    id = fields.UUID(dump_only=True)
    sku = fields.Str(
        required=True,
        validate=validate.Regexp(r"^[A-Za-z0-9._-]{1,40}$"),
        metadata={"example": "FLT-OLEO-01"},
    )
    name = fields.Str(
        required=True,
        validate=validate.Length(min=1, max=120),
        metadata={"example": "Filtro de óleo"},
    )
    kind = fields.Str(load_default="part", validate=validate.OneOf(["part", "supply"]))
    unit_price = money(required=True, metadata={"example": "39.90"})
    stock_quantity = fields.Int(
        load_default=0,
        validate=validate.Range(min=0, max=1_000_000),
        metadata={"description": "initial stock (later: stock-entries)"},
    )
    minimum_stock = fields.Int(load_default=0, validate=validate.Range(min=0, max=1_000_000))
    below_minimum = fields.Method("_below_minimum", dump_only=True)
    active = fields.Bool(dump_only=True)
    created_at = Timestamp(dump_only=True)
    updated_at = Timestamp(dump_only=True)

    def _below_minimum(self, part) -> bool:
        return part.stock_quantity < part.minimum_stock


class PartUpdateSchema(Schema):
    """Stock changes go through stock-entries (the ledger), never through PATCH."""

    sku = fields.Str(validate=validate.Regexp(r"^[A-Za-z0-9._-]{1,40}$"))
    name = fields.Str(validate=validate.Length(min=1, max=120))
    kind = fields.Str(validate=validate.OneOf(["part", "supply"]))
    unit_price = money()
    minimum_stock = fields.Int(validate=validate.Range(min=0, max=1_000_000))
    active = fields.Bool()


class PartQuerySchema(CatalogQuerySchema):
    below_minimum = fields.Bool(load_default=False)


class StockEntrySchema(Schema):
    id = fields.Int(dump_only=True)
    part_id = fields.UUID(dump_only=True)
    quantity = fields.Int(
        required=True,
        validate=[
            validate.Range(min=-1_000_000, max=1_000_000),
            validate.NoneOf([0], error="must not be zero"),
        ],
        metadata={
            "description": "positive adds stock; negative (adjustment only) removes it",
            "example": 10,
        },
    )
    reason = fields.Str(required=True, validate=validate.OneOf(["restock", "adjustment"]))
    note = fields.Str(allow_none=True, validate=validate.Length(max=500))
    service_order_id = fields.UUID(dump_only=True, allow_none=True)
    created_at = Timestamp(dump_only=True)
