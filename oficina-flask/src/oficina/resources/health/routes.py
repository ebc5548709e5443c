"""Liveness and readiness, for the Kubernetes probes and the uptime check."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import fields
from sqlalchemy import text

from oficina.errors import error_response
from oficina.extensions import db
from oficina.extensions.api import Blueprint, Schema

blp = Blueprint("health", __name__, url_prefix="/health", description="Health checks (public)")


class HealthSchema(Schema):
    status = fields.Str(required=True, metadata={"example": "ok"})


@blp.route("/live")
class Live(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    def get(self):
        """Liveness: the process answers (no database call)"""
        return {"status": "ok"}


@blp.route("/ready")
class Ready(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, description="The database is unreachable")
    def get(self):
        """Readiness: the database answers"""
        try:
            with db.engine().connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:  # any failure means "not ready"; the probe only needs the code
            return error_response(503, "database unreachable")
        return {"status": "ok"}
