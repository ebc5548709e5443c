"""bootstrap/roles.sql on a real PostgreSQL: idempotent, least privilege, exactly the contract.

Sequence, as in production: bootstrap (no tables yet) -> migrations as oficina_owner (fixture
SQL) -> bootstrap -> bootstrap again. Then each role is exercised with SET ROLE: what it must be
able to do succeeds, what it must not do fails with insufficient_privilege.
"""

from __future__ import annotations

from dataclasses import dataclass

import conftest
import psycopg
import pytest
from conftest import FIXTURE_SQL, Scratch
from psycopg import errors

pytestmark = pytest.mark.postgres

CUSTOMER_ID = "00000000-0000-0000-0000-0000000000c1"
UNIT_ID = "00000000-0000-0000-0000-000000000001"

PRIVILEGES_SNAPSHOT = """
SELECT 'table' AS kind, grantee, table_name AS object, privilege_type AS privilege
FROM information_schema.role_table_grants
WHERE grantee LIKE %(like)s AND table_schema IN ('public', 'analytics')
UNION ALL
SELECT 'column', grantee, table_name || '.' || column_name, privilege_type
FROM information_schema.column_privileges
WHERE grantee LIKE %(like)s AND table_schema = 'public'
UNION ALL
SELECT 'default', pg_get_userbyid(defaclrole), defaclnamespace::regnamespace::text,
       defaclacl::text
FROM pg_default_acl WHERE pg_get_userbyid(defaclrole) LIKE %(like)s
UNION ALL
SELECT 'member', m.rolname, r.rolname, 'member'
FROM pg_auth_members am JOIN pg_roles r ON r.oid = am.roleid JOIN pg_roles m ON m.oid = am.member
WHERE m.rolname LIKE %(like)s OR r.rolname LIKE %(like)s
UNION ALL
SELECT 'setting', r.rolname, array_to_string(s.setconfig, ','), ''
FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname LIKE %(like)s
UNION ALL
SELECT 'schema', nspname, pg_get_userbyid(nspowner), coalesce(nspacl::text, '')
FROM pg_namespace WHERE nspname IN ('public', 'analytics')
UNION ALL
SELECT 'database', datname, '', coalesce(datacl::text, '')
FROM pg_database WHERE datname = current_database()
ORDER BY 1, 2, 3, 4
"""


@dataclass
class Bootstrapped:
    scratch: Scratch
    runs: list[str]
    snapshots: list[list[tuple]]

    def role(self, base: str) -> str:
        return self.scratch.role(base)


def _snapshot(s: Scratch) -> list[tuple]:
    with s.connect() as conn:
        return conn.execute(PRIVILEGES_SNAPSHOT, {"like": s.prefix + "%"}).fetchall()


@pytest.fixture(scope="session")
def boot(scratch: Scratch) -> Bootstrapped:
    first = scratch.bootstrap()  # before the first migration
    migrate = scratch.psql(
        "-v", f"owner_role={scratch.role('oficina_owner')}", "-f", str(FIXTURE_SQL), as_master=False
    )
    assert migrate.returncode == 0, migrate.stderr
    second = scratch.bootstrap()
    snap2 = _snapshot(scratch)
    third = scratch.bootstrap()
    snap3 = _snapshot(scratch)
    return Bootstrapped(
        scratch,
        [first.stdout + first.stderr, second.stdout + second.stderr, third.stdout],
        [
            snap2,
            snap3,
        ],
    )


def attempt(b: Bootstrapped, role: str, statement: str, params: tuple = ()) -> bool:
    """Run one statement as `role` (rolled back). True if allowed, False if permission denied."""
    with b.scratch.connect() as conn:
        try:
            conn.execute(psycopg.sql.SQL("SET ROLE {}").format(psycopg.sql.Identifier(role)))
            conn.execute(statement, params)
        except errors.InsufficientPrivilege:
            return False
        finally:
            conn.rollback()
    return True


# ------------------------------------------------------------------------------- the script itself


def test_first_run_before_migrations_asks_for_a_second_run(boot: Bootstrapped) -> None:
    assert "run this script again after alembic upgrade head" in boot.runs[0]
    assert "do not exist yet" not in boot.runs[1]


def test_rerun_changes_nothing(boot: Bootstrapped) -> None:
    assert boot.snapshots[0] == boot.snapshots[1]
    assert len(boot.snapshots[0]) > 40  # the snapshot really covers the grants


def test_rerun_corrects_drift(boot: Bootstrapped) -> None:
    s = boot.scratch
    auth, app = boot.role("oficina_auth"), boot.role("oficina_app")
    with s.connect() as conn:
        conn.execute(f'GRANT SELECT (name, email) ON customers TO "{auth}"')
        conn.execute(f'GRANT TRUNCATE ON customers TO "{app}"')
        conn.commit()
    assert attempt(boot, auth, "SELECT name FROM customers")
    s.bootstrap()
    assert not attempt(boot, auth, "SELECT name FROM customers")
    assert not attempt(boot, app, "TRUNCATE customers CASCADE")
    assert _snapshot(s) == boot.snapshots[1]


def test_roles_have_no_password_no_login_no_elevated_attribute(boot: Bootstrapped) -> None:
    with boot.scratch.connect() as conn:
        rows = conn.execute(
            """SELECT rolname, rolcanlogin, rolpassword IS NOT NULL, rolsuper, rolcreatedb,
                      rolcreaterole, rolreplication, rolbypassrls
               FROM pg_authid WHERE rolname = ANY(%s) ORDER BY rolname""",
            (
                [
                    boot.role(r)
                    for r in (
                        "oficina_owner",
                        "oficina_app",
                        "oficina_auth",
                        "oficina_analytics",
                        "datadog",
                    )
                ],
            ),
        ).fetchall()
    assert len(rows) == 5
    for name, *flags in rows:
        assert flags == [False] * 7, name


def test_strangers_cannot_connect_or_use_public(boot: Bootstrapped) -> None:
    s = boot.scratch
    stranger = s.role("stranger")
    with s.connect() as conn:
        conn.execute(f'CREATE ROLE "{stranger}" NOLOGIN')
        conn.commit()
        row = conn.execute(
            "SELECT has_database_privilege(%s, current_database(), 'CONNECT'),"
            " has_schema_privilege(%s, 'public', 'USAGE'),"
            " has_schema_privilege(%s, 'public', 'CREATE')",
            (stranger, stranger, stranger),
        ).fetchone()
    assert row == (False, False, False)
    assert not attempt(boot, stranger, "SELECT id FROM public.customers")


# ------------------------------------------------------------------------------- oficina_owner


def test_owner_owns_public_and_new_tables_get_grants_at_once(boot: Bootstrapped) -> None:
    owner, app = boot.role("oficina_owner"), boot.role("oficina_app")
    analytics, auth = boot.role("oficina_analytics"), boot.role("oficina_auth")
    s = boot.scratch
    with s.connect() as conn:
        owner_of_public = conn.execute(
            "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'"
        ).fetchone()[0]
        assert owner_of_public == owner
        # A later migration adds a table: default privileges apply without a bootstrap rerun.
        conn.execute(f'SET ROLE "{owner}"')
        conn.execute("CREATE TABLE later_table (id int PRIMARY KEY, note text)")
        conn.execute("RESET ROLE")
        conn.commit()
    try:
        assert attempt(boot, app, "INSERT INTO later_table VALUES (1, 'x')")
        assert attempt(boot, analytics, "SELECT * FROM later_table")
        assert not attempt(boot, auth, "SELECT * FROM later_table")
    finally:
        with s.connect() as conn:
            conn.execute(f'SET ROLE "{owner}"')
            conn.execute("DROP TABLE later_table")
            conn.commit()


# ------------------------------------------------------------------------------- oficina_app


def test_app_has_dml_on_app_tables(boot: Bootstrapped) -> None:
    app = boot.role("oficina_app")
    assert attempt(boot, app, "SELECT name, document FROM customers")
    assert attempt(boot, app, "UPDATE customers SET name = 'X' WHERE id = %s", (CUSTOMER_ID,))
    assert attempt(boot, app, "SELECT password_hash FROM staff_users")
    assert attempt(
        boot,
        app,
        "INSERT INTO service_orders (id, unit_id, customer_id, vehicle_id, status)"
        " SELECT gen_random_uuid(), %s, %s, v.id, 'RECEIVED' FROM vehicles v",
        (UNIT_ID, CUSTOMER_ID),
    )
    # bigserial / identity columns need the sequences
    assert attempt(
        boot,
        app,
        "INSERT INTO service_order_status_history (service_order_id, status)"
        " SELECT id, 'RECEIVED' FROM service_orders",
    )
    assert attempt(boot, app, "DELETE FROM idempotency_keys")
    assert attempt(boot, app, "SELECT version_num FROM alembic_version")


def test_app_has_no_ddl(boot: Bootstrapped) -> None:
    app = boot.role("oficina_app")
    assert not attempt(boot, app, "CREATE TABLE public.sneaky (id int)")
    assert not attempt(boot, app, "ALTER TABLE customers ADD COLUMN x int")
    assert not attempt(boot, app, "DROP TABLE customers CASCADE")
    assert not attempt(boot, app, "TRUNCATE service_orders CASCADE")
    assert not attempt(boot, app, "CREATE TABLE analytics.sneaky (id int)")
    assert not attempt(boot, app, "UPDATE alembic_version SET version_num = 'x'")
    assert not attempt(boot, app, "CREATE SCHEMA sneaky")


# ------------------------------------------------------------------------------- oficina_auth


def test_auth_has_exactly_the_contract_grants(boot: Bootstrapped) -> None:
    auth = boot.role("oficina_auth")
    with boot.scratch.connect() as conn:
        columns = set(
            conn.execute(
                "SELECT table_name, column_name, privilege_type"
                " FROM information_schema.column_privileges WHERE grantee = %s",
                (auth,),
            ).fetchall()
        )
        tables = set(
            conn.execute(
                "SELECT table_name, privilege_type FROM information_schema.role_table_grants"
                " WHERE grantee = %s",
                (auth,),
            ).fetchall()
        )
    contract = {("customers", c) for c in ("id", "document", "document_type", "status")} | {
        ("staff_users", c) for c in ("id", "cpf", "role", "unit_id", "password_hash", "active")
    }
    attempts_columns = {"key_hash", "failures", "window_started_at", "last_failed_at"}
    dml = {"SELECT", "INSERT", "UPDATE", "DELETE"}
    expected_columns = {(t, c, "SELECT") for t, c in contract} | {
        ("auth_attempts", c, p) for c in attempts_columns for p in ("SELECT", "INSERT", "UPDATE")
    }
    # information_schema lists table-level grants per column too; DELETE has no column form.
    assert columns == expected_columns
    assert tables == {("auth_attempts", p) for p in dml}


def test_auth_reads_the_sign_in_columns(boot: Bootstrapped) -> None:
    auth = boot.role("oficina_auth")
    assert attempt(
        boot,
        auth,
        "SELECT id FROM customers WHERE document = %s AND document_type = 'CPF'"
        " AND status = 'active'",
        ("52998224725",),
    )
    assert attempt(
        boot,
        auth,
        "SELECT id, role, unit_id, password_hash FROM staff_users WHERE cpf = %s AND active",
        ("39053344705",),
    )
    assert attempt(
        boot,
        auth,
        "INSERT INTO auth_attempts VALUES (repeat('a', 64), 1, now(), now())"
        " ON CONFLICT (key_hash) DO UPDATE SET failures = auth_attempts.failures + 1",
    )
    assert attempt(boot, auth, "DELETE FROM auth_attempts WHERE window_started_at < now()")


def test_auth_cannot_read_personal_data_or_write_elsewhere(boot: Bootstrapped) -> None:
    auth = boot.role("oficina_auth")
    assert not attempt(boot, auth, "SELECT name FROM customers")
    assert not attempt(boot, auth, "SELECT email FROM customers")
    assert not attempt(boot, auth, "SELECT * FROM customers")
    assert not attempt(boot, auth, "SELECT name, email FROM staff_users")
    assert not attempt(boot, auth, "UPDATE customers SET status = 'inactive'")
    assert not attempt(boot, auth, "INSERT INTO customers (id) VALUES (gen_random_uuid())")
    assert not attempt(boot, auth, "UPDATE staff_users SET password_hash = 'x'")
    assert not attempt(boot, auth, "SELECT * FROM vehicles")
    assert not attempt(boot, auth, "SELECT * FROM service_orders")
    assert not attempt(boot, auth, "CREATE TABLE public.sneaky (id int)")


# ------------------------------------------------------------------------------- oficina_analytics


def test_analytics_reads_app_tables_and_builds_in_analytics(boot: Bootstrapped) -> None:
    analytics, datadog = boot.role("oficina_analytics"), boot.role("datadog")
    for table in ("service_orders", "service_order_status_history", "customers", "parts"):
        assert attempt(boot, analytics, f"SELECT * FROM {table}"), table
    assert attempt(boot, analytics, "SELECT id, name, role, unit_id FROM staff_users")
    s = boot.scratch
    # dbt builds a mart; Datadog's custom queries can read it (default privileges).
    with s.connect() as conn:
        conn.execute(f'SET ROLE "{analytics}"')
        conn.execute("CREATE TABLE analytics.fct_daily_orders AS SELECT 1 AS orders")
        conn.execute("CREATE TEMPORARY TABLE dbt_tmp AS SELECT 1 AS x")
        conn.execute(f'SET ROLE "{datadog}"')
        assert conn.execute("SELECT orders FROM analytics.fct_daily_orders").fetchone() == (1,)
        conn.rollback()


def test_analytics_cannot_write_or_read_secrets(boot: Bootstrapped) -> None:
    analytics = boot.role("oficina_analytics")
    assert not attempt(boot, analytics, "UPDATE service_orders SET status = 'DELIVERED'")
    assert not attempt(boot, analytics, "DELETE FROM customers")
    assert not attempt(boot, analytics, "CREATE TABLE public.sneaky (id int)")
    assert not attempt(boot, analytics, "SELECT password_hash FROM staff_users")
    assert not attempt(boot, analytics, "SELECT * FROM auth_attempts")
    assert not attempt(boot, analytics, "SELECT * FROM idempotency_keys")


# ------------------------------------------------------------------------------- datadog


def test_datadog_monitors_but_reads_no_app_data(boot: Bootstrapped) -> None:
    datadog = boot.role("datadog")
    with boot.scratch.connect() as conn:
        assert conn.execute(
            "SELECT pg_has_role(%s, 'pg_monitor', 'USAGE')", (datadog,)
        ).fetchone() == (True,)
    assert attempt(boot, datadog, "SELECT query FROM pg_stat_activity")
    assert not attempt(boot, datadog, "SELECT id FROM customers")
    assert not attempt(boot, datadog, "SELECT * FROM service_orders")
    assert not attempt(boot, datadog, "CREATE TABLE analytics.sneaky (id int)")


def test_default_role_names_on_the_private_embedded_server() -> None:
    """Without role_prefix the real names are created. Only on the embedded server under
    .pgdata/ (private to this folder): on a shared server they could collide with other users."""
    server = conftest._embedded_server()
    names = list(conftest.BASE_ROLES)
    with psycopg.connect(server.admin_url, autocommit=True) as conn:  # left by a crashed run?
        for (name,) in conn.execute(
            "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", (names,)
        ).fetchall():
            conn.execute(psycopg.sql.SQL("DROP ROLE {}").format(psycopg.sql.Identifier(name)))
    with conftest.make_scratch(server) as s:
        result = s.psql("-f", str(conftest.ROLES_SQL))
        assert result.returncode == 0, result.stderr
        try:
            with s.connect() as conn:
                found = conn.execute(
                    "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s) ORDER BY 1", (names,)
                ).fetchall()
                owner = conn.execute(
                    "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'"
                ).fetchone()
            assert sorted(r for (r,) in found) == sorted(names)
            assert owner == ("oficina_owner",)
        finally:
            with psycopg.connect(s.url, autocommit=True) as conn:
                # one role at a time: DROP OWNED BY of several roles sharing default ACLs hits
                # "could not find tuple for default ACL" on PostgreSQL 16.2
                for name in names:
                    role = psycopg.sql.Identifier(name)
                    conn.execute(psycopg.sql.SQL("DROP OWNED BY {}").format(role))
                for name in names:
                    conn.execute(
                        psycopg.sql.SQL("DROP ROLE {}").format(psycopg.sql.Identifier(name))
                    )
