"""Typed exceptions. The web layer maps each of them once to an HTTP answer."""

from __future__ import annotations


class ConfigError(RuntimeError):
    """The environment does not describe a runnable function (raised at cold start)."""


class KeyLoadError(ConfigError):
    """The signing key could not be loaded or is not acceptable."""


class AuthError(Exception):
    """An error with an HTTP status and a stable machine-readable code."""

    status_code: int = 400
    code: str = "bad_request"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def body(self) -> dict[str, object]:
        return {"error": self.code, "message": self.message, **self.details}


class MalformedRequest(AuthError):
    """The body is not a JSON object of the expected shape (400)."""

    status_code = 400
    code = "malformed_request"


class InvalidCpf(AuthError):
    """The CPF is well-formed JSON but not a valid CPF (422); ``reason`` says why."""

    status_code = 422
    code = "invalid_cpf"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message, reason=reason)
        self.reason = reason


class InvalidField(AuthError):
    """Another field has an unacceptable value (422)."""

    status_code = 422
    code = "invalid_field"


class InvalidCredentials(AuthError):
    """Unknown CPF, inactive account or wrong password: one uniform answer (401)."""

    status_code = 401
    code = "invalid_credentials"

    def __init__(self, reason: str) -> None:
        # The reason is for the log only; it never reaches the response body.
        super().__init__("invalid credentials")
        self.reason = reason

    def body(self) -> dict[str, object]:
        return {"error": self.code, "message": self.message}


class TooManyAttempts(AuthError):
    """Too many failed attempts for this CPF in the current window (429)."""

    status_code = 429
    code = "too_many_attempts"

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many failed attempts; try again later", retry_after=retry_after)
        self.retry_after = retry_after


class DatabaseUnavailable(AuthError):
    """The database cannot be reached or did not answer in time (503)."""

    status_code = 503
    code = "service_unavailable"

    def __init__(self, reason: str) -> None:
        super().__init__("the authentication service is temporarily unavailable")
        self.reason = reason

    def body(self) -> dict[str, object]:
        return {"error": self.code, "message": self.message}
