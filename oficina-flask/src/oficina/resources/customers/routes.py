"""Customers (CPF or CNPJ). DELETE deactivates: orders and history keep pointing at the row."""

from __future__ import annotations

import uuid

from flask.views import MethodView

from oficina.access import FRONT_DESK, STAFF
from oficina.extensions import db
from oficina.extensions.api import Blueprint
from oficina.resources.customers.schemas import (
    CustomerQuerySchema,
    CustomerSchema,
    CustomerUpdateSchema,
)
from oficina.resources.pagination import PAGINATE
from oficina.services import people

blp = Blueprint("customers", __name__, url_prefix="/customers", description="Customers")


@blp.route("")
class Customers(MethodView):
    @blp.requires(STAFF)
    @blp.arguments(CustomerQuerySchema, location="query")
    @blp.response(200, CustomerSchema(many=True))
    @blp.paginate(**PAGINATE)
    @blp.errors(422)
    def get(self, query, pagination_parameters):
        """List customers, optionally by document"""
        rows, total = people.list_customers(
            db.session(),
            document=query.get("document"),
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return rows

    @blp.requires(FRONT_DESK)
    @blp.arguments(CustomerSchema)
    @blp.response(201, CustomerSchema)
    @blp.errors(400, 409, 422)
    def post(self, data):
        """Register a customer (CPF/CNPJ check digits validated)"""
        with db.transaction() as s:
            return people.create_customer(s, data)


@blp.route("/<uuid:customer_id>")
class CustomerById(MethodView):
    @blp.requires(STAFF)
    @blp.response(200, CustomerSchema)
    @blp.errors(404)
    def get(self, customer_id: uuid.UUID):
        """Read a customer"""
        return people.get_customer(db.session(), customer_id)

    @blp.requires(FRONT_DESK)
    @blp.arguments(CustomerUpdateSchema)
    @blp.response(200, CustomerSchema)
    @blp.errors(400, 404, 409, 422)
    def patch(self, data, customer_id: uuid.UUID):
        """Update a customer (only the fields sent)"""
        with db.transaction() as s:
            return people.update_customer(s, customer_id, data)

    @blp.requires(FRONT_DESK)
    @blp.response(204)
    @blp.errors(404)
    def delete(self, customer_id: uuid.UUID):
        """Deactivate a customer (history kept; they can no longer sign in)"""
        with db.transaction() as s:
            people.deactivate_customer(s, customer_id)
