"""Database behaviour on the real server: 503 when down, reconnection, timeouts, privileges."""

from __future__ import annotations

import dataclasses
import json
import socket
import threading
import time

import psycopg2
import pytest
from tests.conftest import CUSTOMER_CPF, load_event

from auth_cpf.bootstrap import build_app
from auth_cpf.dal.postgres import PostgresAuthRepository
from auth_cpf.logic.throttle import attempt_key
from auth_cpf.models.errors import DatabaseUnavailable

SERVICE_UNAVAILABLE = {
    "error": "service_unavailable",
    "message": "the authentication service is temporarily unavailable",
}


def _invoke(app, context, event):
    result = app.resolve(event, context)
    return result["statusCode"], json.loads(result["body"]), result["headers"]


def test_database_down_is_a_clean_503(settings, context):
    down = dataclasses.replace(settings, database_url="postgresql://nobody@127.0.0.1:1/none")
    app = build_app(down)
    started = time.monotonic()
    status, body, headers = _invoke(app, context, load_event("post_token_customer"))
    assert status == 503
    assert body == SERVICE_UNAVAILABLE
    assert headers["X-Request-ID"] == "req-customer-0001"
    assert time.monotonic() - started < 5
    # The discovery routes need no database and keep answering.
    assert _invoke(app, context, load_event("get_jwks"))[0] == 200


def test_silent_server_fails_within_connect_timeout():
    # A loopback socket that accepts TCP but never speaks the PostgreSQL protocol.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    port = silent.getsockname()[1]
    repo = PostgresAuthRepository(f"postgresql://x@127.0.0.1:{port}/x", connect_timeout_seconds=1)
    started = time.monotonic()
    try:
        with pytest.raises(DatabaseUnavailable) as raised:
            repo.find_customer(CUSTOMER_CPF)
    finally:
        silent.close()
    assert raised.value.reason == "connect:OperationalError"
    assert 0.9 <= time.monotonic() - started < 3


def test_connection_is_reused_and_replaced_when_it_died(database, seed):
    repo = PostgresAuthRepository(database.auth_dsn)
    assert repo.find_customer(CUSTOMER_CPF).id == seed.customer_id
    first = repo._conn
    assert repo.find_customer(CUSTOMER_CPF) is not None
    assert repo._conn is first  # warm invocations reuse the connection
    pid = first.get_backend_pid()
    database.execute("SELECT pg_terminate_backend(%s)", (pid,))
    # The server killed it (like a connection lost while the environment was frozen).
    assert repo.find_customer(CUSTOMER_CPF).id == seed.customer_id
    assert repo._conn is not first and repo._conn.get_backend_pid() != pid
    repo.close()


def test_statement_timeout_is_a_503(database, seed):
    repo = PostgresAuthRepository(database.auth_dsn, statement_timeout_ms=200)
    locker = psycopg2.connect(database.admin_dsn, options="-c search_path=lambda_cpf_test")
    holding = threading.Event()
    try:
        with locker.cursor() as cur:
            cur.execute("LOCK TABLE auth_attempts IN ACCESS EXCLUSIVE MODE")
            holding.set()
            started = time.monotonic()
            with pytest.raises(DatabaseUnavailable) as raised:
                repo.attempt_state(attempt_key(CUSTOMER_CPF), 600)
            assert raised.value.reason == "statement_timeout"
            assert time.monotonic() - started < 2
    finally:
        locker.rollback()
        locker.close()
        repo.close()


def test_auth_role_reads_only_the_contract_columns(database, seed):
    conn = psycopg2.connect(database.auth_dsn)
    try:
        with conn.cursor() as cur, pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("SELECT name FROM customers")
        conn.rollback()
        with conn.cursor() as cur, pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("UPDATE staff_users SET active = true")
    finally:
        conn.close()


def test_missing_table_is_a_503_not_a_500(database):
    repo = PostgresAuthRepository(database.auth_dsn)
    repo._connect_kwargs["options"] += " -c search_path=pg_catalog"
    with pytest.raises(DatabaseUnavailable) as raised:
        repo.find_staff(CUSTOMER_CPF)
    assert raised.value.reason == "query:UndefinedTable"
    repo.close()
