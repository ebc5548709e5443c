"""AWS Lambda entry point (``auth_cpf.handler.lambda_handler``).

Everything expensive happens once, at import (cold start): settings validated, signing key
loaded, resolver built. The database connection is opened on first use and then reused.
"""

from __future__ import annotations

from typing import Any

from auth_cpf.bootstrap import build_app
from auth_cpf.models.config import Settings

app = build_app(Settings.from_env())


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
