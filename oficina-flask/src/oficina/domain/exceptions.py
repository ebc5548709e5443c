"""Domain errors. The web layer maps each class to one HTTP status, in one place (errors.py)."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base class: ``message`` is safe to show to the caller; ``details`` is extra JSON."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    """The resource does not exist, or the caller may not know it exists."""


class Conflict(DomainError):
    """The request is valid but clashes with the current state (409)."""


class InvalidTransition(Conflict):
    """A status move the lifecycle does not allow; ``details`` carries the allowed targets."""


class StockShortage(Conflict):
    """Approving the budget would take a part's stock below zero."""


class ValidationFailed(DomainError):
    """Input that is well-formed but breaks a business rule, tied to a field (422)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)
        self.field = field


class Forbidden(DomainError):
    """Authenticated, but the role may not do this (403)."""
