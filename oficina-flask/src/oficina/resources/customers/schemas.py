from __future__ import annotations

from marshmallow import fields, validate

from oficina.extensions.api import Schema, Timestamp


class CustomerSchema(Schema):
    id = fields.UUID(dump_only=True)
    document = fields.Str(
        required=True,
        validate=validate.Length(min=11, max=18),
        metadata={
            "description": "CPF or CNPJ, with or without punctuation; stored as digits",
            "example": "529.982.247-25",
        },
    )
    document_type = fields.Str(dump_only=True, metadata={"example": "CPF"})
    name = fields.Str(
        required=True,
        validate=validate.Length(min=1, max=160),
        metadata={"example": "Maria da Silva"},
    )
    email = fields.Email(
        allow_none=True,
        validate=validate.Length(max=254),
        metadata={"example": "maria@example.com"},
    )
    phone = fields.Str(
        allow_none=True,
        validate=validate.Regexp(r"^\+?[0-9 ()-]{8,20}$"),
        metadata={"example": "+55 11 91234-5678"},
    )
    status = fields.Str(dump_only=True, metadata={"example": "active"})
    created_at = Timestamp(dump_only=True)
    updated_at = Timestamp(dump_only=True)


class CustomerUpdateSchema(CustomerSchema):
    document = fields.Str(validate=validate.Length(min=11, max=18))
    name = fields.Str(validate=validate.Length(min=1, max=160))
    status = fields.Str(validate=validate.OneOf(["active", "inactive"]))


class CustomerQuerySchema(Schema):
    document = fields.Str(metadata={"description": "exact CPF/CNPJ, with or without punctuation"})
