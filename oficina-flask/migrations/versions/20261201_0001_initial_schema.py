"""initial schema

Every table of the workshop domain, plus the trigger that keeps the status history
append-only (UPDATE and DELETE are refused, whoever the role).

Revision ID: 0001
Revises:
Create Date: 2026-12-01 07:37:53.772023
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_FUNCTION = """
CREATE FUNCTION service_order_status_history_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'service_order_status_history is append-only (% refused)', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$
"""
APPEND_ONLY_TRIGGER = """
CREATE TRIGGER service_order_status_history_append_only
BEFORE UPDATE OR DELETE ON service_order_status_history
FOR EACH ROW EXECUTE FUNCTION service_order_status_history_append_only()
"""


def upgrade() -> None:
    op.create_table(
        "auth_attempts",
        sa.Column("key_hash", sa.CHAR(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("failures >= 0", name=op.f("ck_auth_attempts_failures_not_negative")),
        sa.PrimaryKeyConstraint("key_hash", name=op.f("pk_auth_attempts")),
    )
    op.create_table(
        "customers",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("document_type", sa.String(length=4), nullable=False),
        sa.Column("document", sa.String(length=14), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=8), server_default="active", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(document_type = 'CPF' AND length(document) = 11) OR (document_type = 'CNPJ' AND length(document) = 14)",
            name=op.f("ck_customers_document_length"),
        ),
        sa.CheckConstraint(
            "document_type IN ('CPF', 'CNPJ')", name=op.f("ck_customers_document_type")
        ),
        sa.CheckConstraint("status IN ('active', 'inactive')", name=op.f("ck_customers_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("document", name=op.f("uq_customers_document")),
    )
    op.create_table(
        "parts",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=6), server_default="part", nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("stock_quantity", sa.Integer(), server_default="0", nullable=False),
        sa.Column("minimum_stock", sa.Integer(), server_default="0", nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("kind IN ('part', 'supply')", name=op.f("ck_parts_kind")),
        sa.CheckConstraint("minimum_stock >= 0", name=op.f("ck_parts_minimum_stock_not_negative")),
        sa.CheckConstraint("stock_quantity >= 0", name=op.f("ck_parts_stock_not_negative")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_parts_unit_price_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parts")),
        sa.UniqueConstraint("sku", name=op.f("uq_parts_sku")),
    )
    op.create_table(
        "services",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("estimated_minutes", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "estimated_minutes > 0", name=op.f("ck_services_estimated_minutes_positive")
        ),
        sa.CheckConstraint("price >= 0", name=op.f("ck_services_price_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services")),
        sa.UniqueConstraint("name", name=op.f("uq_services_name")),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("city", sa.String(length=80), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("code", name=op.f("uq_units_code")),
    )
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("cpf", sa.String(length=11), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "role IN ('attendant', 'mechanic', 'manager')", name=op.f("ck_staff_users_role")
        ),
        sa.CheckConstraint("length(cpf) = 11", name=op.f("ck_staff_users_cpf_length")),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_staff_users_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_users")),
        sa.UniqueConstraint("cpf", name=op.f("uq_staff_users_cpf")),
    )
    op.create_index(op.f("ix_staff_users_unit_id"), "staff_users", ["unit_id"], unique=False)
    op.create_table(
        "vehicles",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("plate", sa.String(length=7), nullable=False),
        sa.Column("make", sa.String(length=60), nullable=False),
        sa.Column("model", sa.String(length=60), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("year BETWEEN 1900 AND 2100", name=op.f("ck_vehicles_year_range")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_vehicles_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicles")),
        sa.UniqueConstraint("plate", name=op.f("uq_vehicles_plate")),
    )
    op.create_index(op.f("ix_vehicles_customer_id"), "vehicles", ["customer_id"], unique=False)
    op.create_table(
        "service_orders",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("number", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("vehicle_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "queue_rank",
            sa.SmallInteger(),
            sa.Computed(
                "CASE status WHEN 'IN_PROGRESS' THEN 1 WHEN 'AWAITING_APPROVAL' THEN 2 WHEN 'IN_DIAGNOSIS' THEN 3 WHEN 'RECEIVED' THEN 4 END",
                persisted=True,
            ),
            nullable=True,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("services_total", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("parts_total", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("budget_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("budget_decision", sa.String(length=8), nullable=True),
        sa.Column("budget_decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "opened_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "budget_decision IN ('approved', 'rejected')",
            name=op.f("ck_service_orders_budget_decision"),
        ),
        sa.CheckConstraint(
            "status IN ('RECEIVED', 'IN_DIAGNOSIS', 'AWAITING_APPROVAL', 'IN_PROGRESS', 'COMPLETED', 'DELIVERED', 'CANCELLED')",
            name=op.f("ck_service_orders_status"),
        ),
        sa.CheckConstraint(
            "(budget_decision IS NULL) = (budget_decided_at IS NULL)",
            name=op.f("ck_service_orders_decision_has_time"),
        ),
        sa.CheckConstraint(
            "services_total >= 0 AND parts_total >= 0",
            name=op.f("ck_service_orders_totals_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_service_orders_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_service_orders_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"], ["vehicles.id"], name=op.f("fk_service_orders_vehicle_id_vehicles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_orders")),
        sa.UniqueConstraint("number", name=op.f("uq_service_orders_number")),
    )
    op.create_index(
        "ix_service_orders_active_queue",
        "service_orders",
        ["queue_rank", "opened_at", "id"],
        unique=False,
        postgresql_where=sa.text("queue_rank IS NOT NULL"),
    )
    op.create_index(
        "ix_service_orders_customer_id_opened_at",
        "service_orders",
        ["customer_id", "opened_at"],
        unique=False,
    )
    op.create_index(
        "ix_service_orders_status_opened_at",
        "service_orders",
        ["status", "opened_at"],
        unique=False,
    )
    op.create_index(
        "ix_service_orders_unit_active_queue",
        "service_orders",
        ["unit_id", "queue_rank", "opened_at", "id"],
        unique=False,
        postgresql_where=sa.text("queue_rank IS NOT NULL"),
    )
    op.create_index(
        op.f("ix_service_orders_vehicle_id"), "service_orders", ["vehicle_id"], unique=False
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.CHAR(length=64), nullable=False),
        sa.Column("service_order_id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["service_order_id"],
            ["service_orders.id"],
            name=op.f("fk_idempotency_keys_service_order_id_service_orders"),
        ),
        sa.PrimaryKeyConstraint("actor_id", "key", name=op.f("pk_idempotency_keys")),
    )
    op.create_table(
        "service_order_parts",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("service_order_id", sa.Uuid(), nullable=False),
        sa.Column("part_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_service_order_parts_quantity_positive")),
        sa.CheckConstraint(
            "unit_price >= 0", name=op.f("ck_service_order_parts_unit_price_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["part_id"], ["parts.id"], name=op.f("fk_service_order_parts_part_id_parts")
        ),
        sa.ForeignKeyConstraint(
            ["service_order_id"],
            ["service_orders.id"],
            name=op.f("fk_service_order_parts_service_order_id_service_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_order_parts")),
        sa.UniqueConstraint(
            "service_order_id",
            "part_id",
            name=op.f("uq_service_order_parts_service_order_id_part_id"),
        ),
    )
    op.create_index(
        op.f("ix_service_order_parts_part_id"), "service_order_parts", ["part_id"], unique=False
    )
    op.create_table(
        "service_order_services",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("service_order_id", sa.Uuid(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.CheckConstraint(
            "quantity > 0", name=op.f("ck_service_order_services_quantity_positive")
        ),
        sa.CheckConstraint(
            "unit_price >= 0", name=op.f("ck_service_order_services_unit_price_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_service_order_services_service_id_services"),
        ),
        sa.ForeignKeyConstraint(
            ["service_order_id"],
            ["service_orders.id"],
            name=op.f("fk_service_order_services_service_order_id_service_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_order_services")),
        sa.UniqueConstraint(
            "service_order_id",
            "service_id",
            name=op.f("uq_service_order_services_service_order_id_service_id"),
        ),
    )
    op.create_index(
        op.f("ix_service_order_services_service_id"),
        "service_order_services",
        ["service_id"],
        unique=False,
    )
    op.create_table(
        "service_order_status_history",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("service_order_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column(
            "changed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("changed_by_staff_id", sa.Uuid(), nullable=True),
        sa.Column("changed_by_customer_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "from_status IS NULL OR from_status IN ('RECEIVED', 'IN_DIAGNOSIS', 'AWAITING_APPROVAL', 'IN_PROGRESS', 'COMPLETED', 'DELIVERED', 'CANCELLED')",
            name=op.f("ck_service_order_status_history_from_status"),
        ),
        sa.CheckConstraint(
            "to_status IN ('RECEIVED', 'IN_DIAGNOSIS', 'AWAITING_APPROVAL', 'IN_PROGRESS', 'COMPLETED', 'DELIVERED', 'CANCELLED')",
            name=op.f("ck_service_order_status_history_to_status"),
        ),
        sa.CheckConstraint(
            "changed_by_staff_id IS NULL OR changed_by_customer_id IS NULL",
            name=op.f("ck_service_order_status_history_one_actor"),
        ),
        sa.CheckConstraint(
            "from_status IS DISTINCT FROM to_status",
            name=op.f("ck_service_order_status_history_status_changes"),
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_customer_id"],
            ["customers.id"],
            name=op.f("fk_service_order_status_history_changed_by_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_staff_id"],
            ["staff_users.id"],
            name=op.f("fk_service_order_status_history_changed_by_staff_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["service_order_id"],
            ["service_orders.id"],
            name=op.f("fk_service_order_status_history_service_order_id_service_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_order_status_history")),
    )
    op.create_index(
        "ix_service_order_status_history_changed_at",
        "service_order_status_history",
        ["changed_at"],
        unique=False,
    )
    op.create_index(
        "ix_service_order_status_history_order_changed",
        "service_order_status_history",
        ["service_order_id", "changed_at", "id"],
        unique=False,
    )
    op.create_table(
        "stock_movements",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("part_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=12), nullable=False),
        sa.Column("service_order_id", sa.Uuid(), nullable=True),
        sa.Column("staff_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "reason IN ('initial', 'restock', 'adjustment', 'reservation', 'release')",
            name=op.f("ck_stock_movements_reason"),
        ),
        sa.CheckConstraint("quantity <> 0", name=op.f("ck_stock_movements_quantity_not_zero")),
        sa.ForeignKeyConstraint(
            ["part_id"], ["parts.id"], name=op.f("fk_stock_movements_part_id_parts")
        ),
        sa.ForeignKeyConstraint(
            ["service_order_id"],
            ["service_orders.id"],
            name=op.f("fk_stock_movements_service_order_id_service_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_users.id"], name=op.f("fk_stock_movements_staff_id_staff_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_movements")),
    )
    op.create_index(
        "ix_stock_movements_part_id_created_at",
        "stock_movements",
        ["part_id", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_stock_movements_service_order_id"),
        "stock_movements",
        ["service_order_id"],
        unique=False,
    )
    op.execute(APPEND_ONLY_FUNCTION)
    op.execute(APPEND_ONLY_TRIGGER)


def downgrade() -> None:
    op.execute(
        "DROP TRIGGER service_order_status_history_append_only ON service_order_status_history"
    )
    op.execute("DROP FUNCTION service_order_status_history_append_only()")
    op.drop_index(op.f("ix_stock_movements_service_order_id"), table_name="stock_movements")
    op.drop_index("ix_stock_movements_part_id_created_at", table_name="stock_movements")
    op.drop_table("stock_movements")
    op.drop_index(
        "ix_service_order_status_history_order_changed", table_name="service_order_status_history"
    )
    op.drop_index(
        "ix_service_order_status_history_changed_at", table_name="service_order_status_history"
    )
    op.drop_table("service_order_status_history")
    op.drop_index(op.f("ix_service_order_services_service_id"), table_name="service_order_services")
    op.drop_table("service_order_services")
    op.drop_index(op.f("ix_service_order_parts_part_id"), table_name="service_order_parts")
    op.drop_table("service_order_parts")
    op.drop_table("idempotency_keys")
    op.drop_index(op.f("ix_service_orders_vehicle_id"), table_name="service_orders")
    op.drop_index(
        "ix_service_orders_unit_active_queue",
        table_name="service_orders",
        postgresql_where=sa.text("queue_rank IS NOT NULL"),
    )
    op.drop_index("ix_service_orders_status_opened_at", table_name="service_orders")
    op.drop_index("ix_service_orders_customer_id_opened_at", table_name="service_orders")
    op.drop_index(
        "ix_service_orders_active_queue",
        table_name="service_orders",
        postgresql_where=sa.text("queue_rank IS NOT NULL"),
    )
    op.drop_table("service_orders")
    op.drop_index(op.f("ix_vehicles_customer_id"), table_name="vehicles")
    op.drop_table("vehicles")
    op.drop_index(op.f("ix_staff_users_unit_id"), table_name="staff_users")
    op.drop_table("staff_users")
    op.drop_table("units")
    op.drop_table("services")
    op.drop_table("parts")
    op.drop_table("customers")
    op.drop_table("auth_attempts")
