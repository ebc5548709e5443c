"""Plain records passed between the data layer and the logic."""

from __future__ import annotations

from dataclasses import dataclass

STAFF_ROLES = frozenset({"attendant", "mechanic", "manager"})


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    id: str
    active: bool


@dataclass(frozen=True, slots=True)
class StaffRecord:
    id: str
    role: str
    unit_id: str
    password_hash: str
    active: bool


@dataclass(frozen=True, slots=True)
class AttemptState:
    """Failed attempts for one CPF key; ``window_remaining`` in seconds (<= 0: window over)."""

    failures: int
    window_remaining: float


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a token is issued to. Carries no personal data (contract: no CPF in a token)."""

    subject: str
    role: str
    scope: str
    unit_id: str | None = None

    @classmethod
    def customer(cls, record: CustomerRecord) -> Principal:
        return cls(subject=record.id, role="customer", scope="customer")

    @classmethod
    def staff(cls, record: StaffRecord) -> Principal:
        return cls(subject=record.id, role=record.role, scope="staff", unit_id=record.unit_id)
