"""Who may call what: the role groups and the decorator views use to enforce them.

The role x route table in README.md is generated from the same groups (tests check it).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g
from sqlalchemy import select

from oficina.domain.exceptions import Forbidden
from oficina.extensions import db
from oficina.extensions.auth import InvalidClaims, Principal, current_principal
from oficina.models import Customer

F = TypeVar("F", bound=Callable[..., Any])

CUSTOMER = frozenset({"customer"})
MANAGER = frozenset({"manager"})
FRONT_DESK = frozenset({"attendant", "manager"})
STAFF = frozenset({"attendant", "mechanic", "manager"})
BUDGET_DECIDERS = CUSTOMER | FRONT_DESK


class InactiveAccount(InvalidClaims):
    """The token is genuine but its customer was deactivated after it was issued."""


def _ensure_active_customer(principal: Principal) -> None:
    status = (
        db.session()
        .execute(select(Customer.status).where(Customer.id == principal.subject))
        .scalar_one_or_none()
    )
    if status != "active":
        raise InactiveAccount("customer inactive or unknown")


def requires(roles: frozenset[str]) -> Callable[[F], F]:
    """Verify the bearer token, then allow only ``roles`` (403 otherwise)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            if principal.role not in roles:
                raise Forbidden(
                    f"role '{principal.role}' may not do this", allowed_roles=sorted(roles)
                )
            if principal.is_customer:
                _ensure_active_customer(principal)
            g.principal = principal
            return view(*args, **kwargs)

        wrapper._allowed_roles = roles  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def principal() -> Principal:
    return g.principal
