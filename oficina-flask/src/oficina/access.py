"""Who may call what, and which service orders each caller sees.

The role groups and the decorator views use to enforce them (the role x route table in
README.md is generated from the same groups, tests check it), and the visibility rule
(``order_scope``, ``unit_order_scope``) that the read models (SQL) and the services (ORM) apply.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Literal, TypeVar

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


@dataclass(frozen=True)
class OrderScope:
    """The service orders a caller sees: ``customer`` (the orders of customer ``id``), ``unit``
    (the orders of unit ``id``) or ``all``."""

    kind: Literal["customer", "unit", "all"]
    id: uuid.UUID | None = None


def order_scope(principal: Principal) -> OrderScope:
    """A customer sees their own orders, an attendant or a mechanic their unit's, a manager all."""
    if principal.is_customer:
        return OrderScope("customer", principal.subject)
    if principal.is_manager:
        return OrderScope("all")
    return OrderScope("unit", principal.unit_id)


def unit_order_scope(principal: Principal, unit_id: uuid.UUID) -> OrderScope | None:
    """The orders of one unit the caller sees: any unit's for a manager, their own unit's for
    other staff; None when the caller sees none of that unit's orders."""
    if principal.is_manager or (not principal.is_customer and unit_id == principal.unit_id):
        return OrderScope("unit", unit_id)
    return None
