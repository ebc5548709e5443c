"""The service-order lifecycle: statuses, allowed moves and the active-queue order."""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    RECEIVED = "RECEIVED"
    IN_DIAGNOSIS = "IN_DIAGNOSIS"
    AWAITING_APPROVAL = "AWAITING_APPROVAL"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"


S = OrderStatus

# Every move the workshop allows. AWAITING_APPROVAL -> IN_PROGRESS is the budget approval and
# AWAITING_APPROVAL -> CANCELLED its rejection; both also reachable through the budget routes.
ALLOWED_MOVES: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.RECEIVED: frozenset({S.IN_DIAGNOSIS, S.CANCELLED}),
    S.IN_DIAGNOSIS: frozenset({S.AWAITING_APPROVAL, S.CANCELLED}),
    S.AWAITING_APPROVAL: frozenset({S.IN_PROGRESS, S.IN_DIAGNOSIS, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.CANCELLED}),
    S.COMPLETED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset(),
    S.CANCELLED: frozenset(),
}

# Position in the active-orders queue (lower first); statuses absent here are not active.
QUEUE_RANK: dict[OrderStatus, int] = {
    S.IN_PROGRESS: 1,
    S.AWAITING_APPROVAL: 2,
    S.IN_DIAGNOSIS: 3,
    S.RECEIVED: 4,
}

ACTIVE_STATUSES = frozenset(QUEUE_RANK)
FINAL_STATUSES = frozenset({S.DELIVERED, S.CANCELLED})
# Items (and so the budget) may change only while the customer has not approved it.
EDITABLE_STATUSES = frozenset({S.RECEIVED, S.IN_DIAGNOSIS, S.AWAITING_APPROVAL})


def allowed_targets(current: OrderStatus) -> list[OrderStatus]:
    """The statuses reachable from ``current``, in lifecycle order (stable for error bodies)."""
    return [s for s in OrderStatus if s in ALLOWED_MOVES[current]]


def can_move(current: OrderStatus, target: OrderStatus) -> bool:
    return target in ALLOWED_MOVES[current]
