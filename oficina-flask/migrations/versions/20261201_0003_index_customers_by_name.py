"""index customers by name

GET /customers pages in name order; without it every page sorted the whole table
(er-diagrams/evidence).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 08:36:18.730695
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_customers_name_id", "customers", ["name", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_customers_name_id", table_name="customers")
