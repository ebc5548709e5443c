"""Helpers the service modules share."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from oficina.domain.exceptions import NotFound, ValidationFailed

T = TypeVar("T")


def get_or_404(s: Session, model: type[T], ident: uuid.UUID, what: str) -> T:
    obj = s.get(model, ident)
    if obj is None:
        raise NotFound(f"{what} not found")
    return obj


def get_referenced(s: Session, model: type[T], ident: uuid.UUID, field: str, what: str) -> T:
    """A row named in a request body: absent means the body is wrong (422), not the URL (404)."""
    obj = s.get(model, ident)
    if obj is None:
        raise ValidationFailed(field, f"{what} {ident} does not exist")
    return obj


def paginate(s: Session, query: Select[Any], page: int, page_size: int) -> tuple[list[Any], int]:
    """One COUNT and one page query, whatever the page size."""
    total = s.execute(
        select(func.count()).select_from(query.order_by(None).subquery())
    ).scalar_one()
    rows = s.execute(query.limit(page_size).offset((page - 1) * page_size)).scalars().all()
    return list(rows), total


def apply_changes(obj: Any, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        setattr(obj, name, value)
