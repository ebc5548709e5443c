"""PostgreSQL implementation of :class:`auth_cpf.logic.authenticate.AuthRepository`.

One connection per execution environment, opened lazily and reused across warm invocations
(Lambda runs one invocation at a time per environment). Short ``connect_timeout`` and
``statement_timeout``; any driver failure becomes :class:`DatabaseUnavailable` (503). A
connection that died while the environment was frozen is replaced once, transparently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import psycopg2
import psycopg2.errors
import psycopg2.extensions

from auth_cpf.models.errors import DatabaseUnavailable
from auth_cpf.models.records import AttemptState, CustomerRecord, StaffRecord

T = TypeVar("T")

_FIND_CUSTOMER = (
    "SELECT id::text, status FROM customers "
    "WHERE document = %s AND document_type = 'CPF' "
    "ORDER BY (status = 'active') DESC LIMIT 1"
)
_FIND_STAFF = (
    "SELECT id::text, role, unit_id::text, password_hash, active FROM staff_users WHERE cpf = %s"
)
_ATTEMPT_STATE = (
    "SELECT failures, "
    "EXTRACT(EPOCH FROM (window_started_at + make_interval(secs => %s) - now()))::float8 "
    "FROM auth_attempts WHERE key_hash = %s"
)
_RECORD_FAILURE = """
INSERT INTO auth_attempts AS a (key_hash, failures, window_started_at, last_failed_at)
VALUES (%(key)s, 1, now(), now())
ON CONFLICT (key_hash) DO UPDATE SET
    failures = CASE WHEN a.window_started_at <= now() - make_interval(secs => %(window)s)
                    THEN 1 ELSE a.failures + 1 END,
    window_started_at = CASE WHEN a.window_started_at <= now() - make_interval(secs => %(window)s)
                             THEN now() ELSE a.window_started_at END,
    last_failed_at = now()
"""
_CLEAR_FAILURES = "DELETE FROM auth_attempts WHERE key_hash = %s"


class PostgresAuthRepository:
    def __init__(
        self,
        dsn: str,
        *,
        connect_timeout_seconds: int = 2,
        statement_timeout_ms: int = 2000,
        application_name: str = "auth-cpf",
        sslmode: str | None = None,
        password_provider: Callable[[], str] | None = None,
    ) -> None:
        """``statement_timeout_ms=0`` sends no startup option and relies on the role's own
        ``statement_timeout`` (behind RDS Proxy, where session settings could pin connections).
        ``password_provider`` is called at every (re)connect, e.g. for an RDS IAM token."""
        self._dsn = dsn
        self._connect_kwargs: dict[str, Any] = {
            "connect_timeout": connect_timeout_seconds,
            "application_name": application_name,
            "keepalives": 1,
            "keepalives_idle": 30,
        }
        if statement_timeout_ms:
            self._connect_kwargs["options"] = f"-c statement_timeout={statement_timeout_ms}"
        if sslmode:
            self._connect_kwargs["sslmode"] = sslmode
        self._password_provider = password_provider
        self._conn: psycopg2.extensions.connection | None = None

    # -- connection management -------------------------------------------------------------
    def _connect(self) -> psycopg2.extensions.connection:
        kwargs = dict(self._connect_kwargs)
        try:
            if self._password_provider is not None:
                kwargs["password"] = self._password_provider()
            conn = psycopg2.connect(self._dsn, **kwargs)
        except psycopg2.Error as exc:
            raise DatabaseUnavailable(f"connect:{type(exc).__name__}") from exc
        except Exception as exc:  # the token provider (botocore) failed
            raise DatabaseUnavailable(f"credentials:{type(exc).__name__}") from exc
        conn.autocommit = True
        return conn

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def _run(self, work: Callable[[Any], T]) -> T:
        reused = self._conn is not None and not self._conn.closed
        for attempt in (1, 2):
            if self._conn is None or self._conn.closed:
                self._conn = self._connect()
            try:
                with self._conn.cursor() as cursor:
                    return work(cursor)
            except psycopg2.errors.QueryCanceled as exc:
                raise DatabaseUnavailable("statement_timeout") from exc
            except (psycopg2.OperationalError, psycopg2.InterfaceError) as exc:
                self.close()
                if attempt == 2 or not reused:
                    raise DatabaseUnavailable(f"query:{type(exc).__name__}") from exc
            except psycopg2.Error as exc:
                raise DatabaseUnavailable(f"query:{type(exc).__name__}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    # -- repository ------------------------------------------------------------------------
    def find_customer(self, cpf_digits: str) -> CustomerRecord | None:
        def work(cur: Any) -> CustomerRecord | None:
            cur.execute(_FIND_CUSTOMER, (cpf_digits,))
            row = cur.fetchone()
            return None if row is None else CustomerRecord(id=row[0], active=row[1] == "active")

        return self._run(work)

    def find_staff(self, cpf_digits: str) -> StaffRecord | None:
        def work(cur: Any) -> StaffRecord | None:
            cur.execute(_FIND_STAFF, (cpf_digits,))
            row = cur.fetchone()
            if row is None:
                return None
            return StaffRecord(
                id=row[0], role=row[1], unit_id=row[2], password_hash=row[3], active=bool(row[4])
            )

        return self._run(work)

    def attempt_state(self, key_hash: str, window_seconds: int) -> AttemptState | None:
        def work(cur: Any) -> AttemptState | None:
            cur.execute(_ATTEMPT_STATE, (window_seconds, key_hash))
            row = cur.fetchone()
            return None if row is None else AttemptState(failures=row[0], window_remaining=row[1])

        return self._run(work)

    def record_failure(self, key_hash: str, window_seconds: int) -> None:
        self._run(
            lambda cur: cur.execute(_RECORD_FAILURE, {"key": key_hash, "window": window_seconds})
        )

    def clear_failures(self, key_hash: str) -> None:
        self._run(lambda cur: cur.execute(_CLEAR_FAILURES, (key_hash,)))
