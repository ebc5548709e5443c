"""Helpers the service modules share."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from oficina.domain.exceptions import Conflict, NotFound, ValidationFailed

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


def ensure_unique(
    s: Session, column: Any, value: str, what: str, exclude: uuid.UUID | None = None
) -> None:
    """409 when another row already has ``value`` in ``column`` (a friendlier answer than the
    unique constraint's IntegrityError, which still guards against races)."""
    model = column.class_
    query = select(model.id).where(column == value)
    if exclude is not None:
        query = query.where(model.id != exclude)
    if s.execute(query).first() is not None:
        raise Conflict(f"a {what} with this value already exists")


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
