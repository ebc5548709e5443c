"""The application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from oficina import config, errors
from oficina.extensions import auth, db
from oficina.extensions.api import Api
from oficina.observability import logging as json_logging
from oficina.observability import metrics, requests, tracing
from oficina.resources import BLUEPRINTS

API_DESCRIPTION = """Oficina's service-order API for the workshop staff and customers.

Authenticate with `POST /auth/token` (the CPF auth function behind the same gateway) and send
`Authorization: Bearer <token>`. Every error has the same JSON shape (`status`, `error`,
`message`, and `errors` by field for validation failures).
"""


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(config.from_env() if overrides is None else overrides)
    app.config.update(
        API_TITLE="Oficina API",
        API_VERSION="1.0.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL="https://cdn.jsdelivr.net/npm/swagger-ui-dist/",
        API_SPEC_OPTIONS={
            "info": {
                "description": API_DESCRIPTION,
                "license": {"name": "Proprietary (Oficina)"},
                "contact": {"name": "Oficina platform team"},
            },
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                }
            },
            "security": [{"bearerAuth": []}],
            "servers": [{"url": "/", "description": "this gateway"}],
        },
        JSON_SORT_KEYS=False,
    )
    json_logging.configure(app.config.get("LOG_LEVEL", "INFO"))
    requests.init_app(app)
    metrics.init_app(app)
    db.init_app(app)
    auth.init_app(app)
    api = Api(app)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    errors.register(app)
    tracing.init_app(app)
    return app
