"""Vehicles, each owned by one customer; plates unique and normalized."""

from __future__ import annotations

import uuid

from flask.views import MethodView

from oficina.access import FRONT_DESK, STAFF
from oficina.extensions import db
from oficina.extensions.api import Blueprint
from oficina.resources.pagination import PAGINATE
from oficina.resources.vehicles.schemas import (
    VehicleQuerySchema,
    VehicleSchema,
    VehicleUpdateSchema,
)
from oficina.services import people

blp = Blueprint("vehicles", __name__, url_prefix="/vehicles", description="Vehicles")


@blp.route("")
class Vehicles(MethodView):
    @blp.requires(STAFF)
    @blp.arguments(VehicleQuerySchema, location="query")
    @blp.response(200, VehicleSchema(many=True))
    @blp.paginate(**PAGINATE)
    @blp.errors(422)
    def get(self, query, pagination_parameters):
        """List vehicles, by owner or plate"""
        rows, total = people.list_vehicles(
            db.session(),
            customer_id=query.get("customer_id"),
            plate=query.get("plate"),
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return rows

    @blp.requires(FRONT_DESK)
    @blp.arguments(VehicleSchema)
    @blp.response(201, VehicleSchema)
    @blp.errors(400, 409, 422)
    def post(self, data):
        """Register a vehicle for a customer"""
        with db.transaction() as s:
            return people.create_vehicle(s, data)


@blp.route("/<uuid:vehicle_id>")
class VehicleById(MethodView):
    @blp.requires(STAFF)
    @blp.response(200, VehicleSchema)
    @blp.errors(404)
    def get(self, vehicle_id: uuid.UUID):
        """Read a vehicle"""
        return people.get_vehicle(db.session(), vehicle_id)

    @blp.requires(FRONT_DESK)
    @blp.arguments(VehicleUpdateSchema)
    @blp.response(200, VehicleSchema)
    @blp.errors(400, 404, 409, 422)
    def patch(self, data, vehicle_id: uuid.UUID):
        """Update a vehicle (only the fields sent)"""
        with db.transaction() as s:
            return people.update_vehicle(s, vehicle_id, data)

    @blp.requires(FRONT_DESK)
    @blp.response(204)
    @blp.errors(404, 409)
    def delete(self, vehicle_id: uuid.UUID):
        """Delete a vehicle that has no service orders"""
        with db.transaction() as s:
            people.delete_vehicle(s, vehicle_id)
