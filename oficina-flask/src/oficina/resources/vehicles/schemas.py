from __future__ import annotations

from marshmallow import fields, validate

from oficina.extensions.api import Schema, Timestamp


class VehicleSchema(Schema):
    id = fields.UUID(dump_only=True)
    customer_id = fields.UUID(required=True, metadata={"description": "the owner"})
    plate = fields.Str(
        required=True,
        validate=validate.Length(min=7, max=9),
        metadata={
            "description": "ABC-1234 (old) or ABC1D23 (Mercosul); stored normalized",
            "example": "BRA2E19",
        },
    )
    make = fields.Str(
        required=True, validate=validate.Length(min=1, max=60), metadata={"example": "Volkswagen"}
    )
    model = fields.Str(
        required=True, validate=validate.Length(min=1, max=60), metadata={"example": "Gol"}
    )
    year = fields.Int(
        required=True, validate=validate.Range(min=1900, max=2100), metadata={"example": 2019}
    )
    created_at = Timestamp(dump_only=True)
    updated_at = Timestamp(dump_only=True)


class VehicleUpdateSchema(VehicleSchema):
    customer_id = fields.UUID()
    plate = fields.Str(validate=validate.Length(min=7, max=9))
    make = fields.Str(validate=validate.Length(min=1, max=60))
    model = fields.Str(validate=validate.Length(min=1, max=60))
    year = fields.Int(validate=validate.Range(min=1900, max=2100))


class VehicleQuerySchema(Schema):
    customer_id = fields.UUID()
    plate = fields.Str(metadata={"description": "exact plate, either format"})
