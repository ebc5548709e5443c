"""The sign-in use case: validate, throttle, check credentials, issue a token, log the attempt."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import structlog

from auth_cpf import metrics
from auth_cpf.logic import cpf as cpf_rules
from auth_cpf.logic import passwords
from auth_cpf.logic.throttle import attempt_key, retry_after
from auth_cpf.logic.tokens import IssuedToken, TokenIssuer
from auth_cpf.models.errors import (
    AuthError,
    DatabaseUnavailable,
    InvalidCredentials,
    InvalidField,
    MalformedRequest,
    TooManyAttempts,
)
from auth_cpf.models.records import (
    STAFF_ROLES,
    AttemptState,
    CustomerRecord,
    Principal,
    StaffRecord,
)

MAX_PASSWORD_CHARS = 1024
_log = structlog.get_logger("auth_cpf.attempt")


class AuthRepository(Protocol):
    """What the sign-in needs from storage (implemented over PostgreSQL in ``dal``)."""

    def find_customer(self, cpf_digits: str) -> CustomerRecord | None: ...

    def find_staff(self, cpf_digits: str) -> StaffRecord | None: ...

    def attempt_state(self, key_hash: str, window_seconds: int) -> AttemptState | None: ...

    def record_failure(self, key_hash: str, window_seconds: int) -> None: ...

    def clear_failures(self, key_hash: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Credentials:
    cpf_raw: str
    password: str | None

    @classmethod
    def from_body(cls, body: Any) -> Credentials:
        """Shape checks (400) and field checks (422) of the ``POST /auth/token`` body.

        ``body`` may already be the :class:`AuthError` of a body that could not be decoded, so
        that such attempts are logged like every other.
        """
        if isinstance(body, AuthError):
            raise body
        if not isinstance(body, dict):
            raise MalformedRequest("body must be a JSON object")
        unknown = sorted(set(body) - {"cpf", "password"})
        if unknown:
            raise MalformedRequest("unknown fields: " + ", ".join(unknown), fields=unknown)
        if "cpf" not in body:
            raise MalformedRequest("field 'cpf' is required", fields=["cpf"])
        cpf_raw = body["cpf"]
        if not isinstance(cpf_raw, str):
            raise MalformedRequest("field 'cpf' must be a string", fields=["cpf"])
        password = body.get("password")
        if "password" in body:
            if not isinstance(password, str):
                raise MalformedRequest("field 'password' must be a string", fields=["password"])
            if not password:
                raise InvalidField("field 'password' must not be empty", fields=["password"])
            if len(password) > MAX_PASSWORD_CHARS:
                raise InvalidField(
                    f"field 'password' must have at most {MAX_PASSWORD_CHARS} characters",
                    fields=["password"],
                )
        return cls(cpf_raw=cpf_raw, password=password)


class Authenticator:
    def __init__(
        self,
        repository: AuthRepository,
        issuer: TokenIssuer,
        *,
        max_failed_attempts: int,
        window_seconds: int,
        stats: metrics.DogStatsd | None = None,
    ) -> None:
        self._repo = repository
        self._issuer = issuer
        self._max = max_failed_attempts
        self._window = window_seconds
        self._stats = stats

    def _count(self, result: str, kind: str) -> None:
        if self._stats is not None:
            self._stats.increment(metrics.ATTEMPTS, result=result, kind=kind)

    def sign_in(self, body: Any, request_id: str) -> IssuedToken:
        """Issue a token for ``body`` or raise an :class:`AuthError`; log and count the attempt
        either way (``oficina.auth.attempts`` ``result``/``kind``, docs/observability.md)."""
        kind = attempt_kind(body)
        log = _log.bind(request_id=request_id, cpf="***.***.***-**", kind=kind)
        try:
            credentials = Credentials.from_body(body)
            digits = cpf_rules.normalize(credentials.cpf_raw)
            log = log.bind(cpf=cpf_rules.mask(digits))
            token, principal = self._check(digits, credentials.password)
        except AuthError as error:
            result = _result(error)
            self._count(result, kind)
            if isinstance(error, DatabaseUnavailable) and self._stats is not None:
                self._stats.increment(
                    metrics.INTEGRATION_ERRORS, integration="database", kind=_db_kind(error)
                )
            log.warning(
                "auth.attempt",
                result=result,
                outcome=_outcome(error),
                reason=getattr(error, "reason", error.code),
                status=error.status_code,
            )
            raise
        except Exception:
            self._count("error", kind)  # a bug: the HTTP layer answers 500 and logs its type
            raise
        self._count("success", kind)
        log.info(
            "auth.attempt",
            result="success",
            outcome="issued",
            reason="ok",
            status=200,
            role=principal.role,
            sub=principal.subject,
            jti=token.jti,
        )
        return token

    def _check(self, digits: str, password: str | None) -> tuple[IssuedToken, Principal]:
        key = attempt_key(digits)
        state = self._repo.attempt_state(key, self._window)
        wait = retry_after(state, self._max)
        if wait is not None:
            raise TooManyAttempts(wait)
        try:
            principal = self._principal(digits, password)
        except InvalidCredentials:
            self._repo.record_failure(key, self._window)
            raise
        if state is not None:
            self._repo.clear_failures(key)
        return self._issuer.issue(principal), principal

    def _principal(self, digits: str, password: str | None) -> Principal:
        if password is None:
            customer = self._repo.find_customer(digits)
            if customer is None:
                raise InvalidCredentials("unknown_cpf")
            if not customer.active:
                raise InvalidCredentials("inactive")
            return Principal.customer(customer)
        staff = self._repo.find_staff(digits)
        # Always one argon2 verification, against a dummy hash when the CPF is unknown, so that
        # unknown / inactive / wrong password take the same time.
        matches = passwords.verify(staff.password_hash if staff else None, password)
        if staff is None:
            raise InvalidCredentials("unknown_cpf")
        if not matches:
            raise InvalidCredentials("wrong_password")
        if not staff.active:
            raise InvalidCredentials("inactive")
        if staff.role not in STAFF_ROLES:
            raise InvalidCredentials("unknown_role")
        return Principal.staff(staff)


def attempt_kind(body: Any) -> str:
    """``staff`` when the body carries a ``password`` field, else ``customer``: the flow the
    caller attempted (also for bodies that are rejected before their fields are checked)."""
    return "staff" if isinstance(body, dict) and "password" in body else "customer"


def _result(error: AuthError) -> str:
    """The ``result`` tag: denied (401), throttled (429), error (503), invalid (400/422)."""
    return {401: "denied", 429: "throttled", 503: "error"}.get(error.status_code, "invalid")


def _db_kind(error: DatabaseUnavailable) -> str:
    """``kind`` of ``oficina.integration.errors``: connect, timeout, query or credentials."""
    if error.reason == "statement_timeout":
        return "timeout"
    return error.reason.split(":", 1)[0]


def _outcome(error: AuthError) -> str:
    return {
        401: "denied",
        429: "throttled",
        503: "unavailable",
    }.get(error.status_code, "invalid_request")
