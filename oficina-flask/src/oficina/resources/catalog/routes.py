"""The service catalog and the parts/supplies inventory with its stock ledger."""

from __future__ import annotations

import uuid

from flask.views import MethodView

from oficina.access import FRONT_DESK, MANAGER, STAFF, principal
from oficina.extensions import db
from oficina.extensions.api import Blueprint
from oficina.resources.catalog.schemas import (
    CatalogQuerySchema,
    PartQuerySchema,
    PartSchema,
    PartUpdateSchema,
    ServiceSchema,
    ServiceUpdateSchema,
    StockEntrySchema,
)
from oficina.resources.pagination import PAGINATE
from oficina.services import catalog

services_blp = Blueprint(
    "services", __name__, url_prefix="/services", description="Catalog of services"
)
parts_blp = Blueprint(
    "parts", __name__, url_prefix="/parts", description="Parts and supplies, with stock control"
)


@services_blp.route("")
class Services(MethodView):
    @services_blp.requires(STAFF)
    @services_blp.arguments(CatalogQuerySchema, location="query")
    @services_blp.response(200, ServiceSchema(many=True))
    @services_blp.paginate(**PAGINATE)
    @services_blp.errors(422)
    def get(self, query, pagination_parameters):
        """List catalog services"""
        rows, total = catalog.list_services(
            db.session(),
            include_inactive=query["include_inactive"],
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return rows

    @services_blp.requires(MANAGER)
    @services_blp.arguments(ServiceSchema)
    @services_blp.response(201, ServiceSchema)
    @services_blp.errors(400, 409, 422)
    def post(self, data):
        """Add a service to the catalog"""
        with db.transaction() as s:
            return catalog.create_service(s, data)


@services_blp.route("/<uuid:service_id>")
class ServiceById(MethodView):
    @services_blp.requires(STAFF)
    @services_blp.response(200, ServiceSchema)
    @services_blp.errors(404)
    def get(self, service_id: uuid.UUID):
        """Read a catalog service"""
        return catalog.get_service(db.session(), service_id)

    @services_blp.requires(MANAGER)
    @services_blp.arguments(ServiceUpdateSchema)
    @services_blp.response(200, ServiceSchema)
    @services_blp.errors(400, 404, 409, 422)
    def patch(self, data, service_id: uuid.UUID):
        """Update a catalog service (open orders keep their frozen prices)"""
        with db.transaction() as s:
            return catalog.update_service(s, service_id, data)

    @services_blp.requires(MANAGER)
    @services_blp.response(204)
    @services_blp.errors(404)
    def delete(self, service_id: uuid.UUID):
        """Retire a service (kept for existing orders, not offered for new ones)"""
        with db.transaction() as s:
            catalog.retire_service(s, service_id)


@parts_blp.route("")
class Parts(MethodView):
    @parts_blp.requires(STAFF)
    @parts_blp.arguments(PartQuerySchema, location="query")
    @parts_blp.response(200, PartSchema(many=True))
    @parts_blp.paginate(**PAGINATE)
    @parts_blp.errors(422)
    def get(self, query, pagination_parameters):
        """List parts and supplies (optionally only those below the minimum stock)"""
        rows, total = catalog.list_parts(
            db.session(),
            below_minimum=query["below_minimum"],
            include_inactive=query["include_inactive"],
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return rows

    @parts_blp.requires(MANAGER)
    @parts_blp.arguments(PartSchema)
    @parts_blp.response(201, PartSchema)
    @parts_blp.errors(400, 409, 422)
    def post(self, data):
        """Add a part or supply (its initial stock goes into the ledger)"""
        with db.transaction() as s:
            return catalog.create_part(s, data, principal().subject)


@parts_blp.route("/<uuid:part_id>")
class PartById(MethodView):
    @parts_blp.requires(STAFF)
    @parts_blp.response(200, PartSchema)
    @parts_blp.errors(404)
    def get(self, part_id: uuid.UUID):
        """Read a part or supply"""
        return catalog.get_part(db.session(), part_id)

    @parts_blp.requires(MANAGER)
    @parts_blp.arguments(PartUpdateSchema)
    @parts_blp.response(200, PartSchema)
    @parts_blp.errors(400, 404, 409, 422)
    def patch(self, data, part_id: uuid.UUID):
        """Update a part's data (stock changes go through stock-entries)"""
        with db.transaction() as s:
            return catalog.update_part(s, part_id, data)

    @parts_blp.requires(MANAGER)
    @parts_blp.response(204)
    @parts_blp.errors(404)
    def delete(self, part_id: uuid.UUID):
        """Retire a part (kept for existing orders and the ledger)"""
        with db.transaction() as s:
            catalog.retire_part(s, part_id)


@parts_blp.route("/<uuid:part_id>/stock-entries")
class StockEntries(MethodView):
    @parts_blp.requires(FRONT_DESK)
    @parts_blp.response(200, StockEntrySchema(many=True))
    @parts_blp.paginate(**PAGINATE)
    @parts_blp.errors(404)
    def get(self, part_id: uuid.UUID, pagination_parameters):
        """The part's stock ledger, newest first"""
        rows, total = catalog.list_stock_movements(
            db.session(), part_id, pagination_parameters.page, pagination_parameters.page_size
        )
        pagination_parameters.item_count = total
        return rows

    @parts_blp.requires(FRONT_DESK)
    @parts_blp.arguments(StockEntrySchema)
    @parts_blp.response(201, StockEntrySchema)
    @parts_blp.errors(400, 404, 409, 422)
    def post(self, data, part_id: uuid.UUID):
        """Restock or adjust a part's stock (never below zero)"""
        with db.transaction() as s:
            return catalog.add_stock_entry(s, part_id, data, principal().subject)
