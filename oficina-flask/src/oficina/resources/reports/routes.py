"""Reports computed from the status history."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import fields, validates_schema
from marshmallow.exceptions import ValidationError

from oficina.access import MANAGER
from oficina.extensions import db
from oficina.extensions.api import Blueprint, Schema
from oficina.services import reports

blp = Blueprint("reports", __name__, url_prefix="/reports", description="Management reports")


class ReportQuerySchema(Schema):
    unit_id = fields.UUID()
    date_from = fields.Date(data_key="from", metadata={"example": "2026-11-01"})
    date_to = fields.Date(data_key="to", metadata={"example": "2026-11-30"})

    @validates_schema
    def _range(self, data, **_kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError("must not be before 'from'", "to")


class StatusTimeSchema(Schema):
    status = fields.Str()
    visits = fields.Int(metadata={"description": "closed visits averaged"})
    avg_minutes = fields.Float(allow_none=True)
    median_minutes = fields.Float(allow_none=True)
    p90_minutes = fields.Float(allow_none=True)
    open_visits = fields.Int(metadata={"description": "orders still in the status"})
    open_avg_age_minutes = fields.Float(allow_none=True)


class ServiceTimeSchema(Schema):
    service_id = fields.UUID()
    name = fields.Str()
    estimated_minutes = fields.Int()
    orders = fields.Int()
    avg_minutes = fields.Float(allow_none=True, metadata={"description": "IN_PROGRESS time"})


class ExecutionTimeSchema(Schema):
    by_status = fields.List(fields.Nested(StatusTimeSchema))
    by_service = fields.List(fields.Nested(ServiceTimeSchema))


@blp.route("/service-execution-time")
class ServiceExecutionTime(MethodView):
    @blp.requires(MANAGER)
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, ExecutionTimeSchema)
    @blp.errors(422)
    def get(self, query):
        """Average time per status and execution time per service

        A visit to a status lasts from the history row that entered it to the next one; only
        closed visits are averaged (open ones are reported with their age). Execution time is
        the time IN_PROGRESS of orders that reached COMPLETED.
        """
        return reports.execution_time(
            db.session(),
            unit_id=query.get("unit_id"),
            date_from=query.get("date_from"),
            date_to=query.get("date_to"),
        )
