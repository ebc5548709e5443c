"""Column helpers shared by the models."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from sqlalchemy import DateTime, Numeric, Uuid, func, text
from sqlalchemy.orm import mapped_column

UuidPk = Annotated[
    uuid.UUID,
    mapped_column(
        Uuid, primary_key=True, default=uuid.uuid4, server_default=text("gen_random_uuid()")
    ),
]
CreatedAt = Annotated[
    datetime, mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
]
UpdatedAt = Annotated[
    datetime,
    mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    ),
]
# Money is exact: NUMERIC(12, 2), never float.
Money = Annotated[Decimal, mapped_column(Numeric(12, 2), nullable=False)]


def in_list(column: str, values: list[str]) -> str:
    """SQL text for a CHECK that ``column`` is one of ``values``."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"
