"""Failed sign-in counters, written by the auth function (see docs/contracts/auth.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CHAR, CheckConstraint, DateTime, Integer
from sqlalchemy.orm import Mapped, mapped_column

from oficina.extensions.db import Base


class AuthAttempt(Base):
    __tablename__ = "auth_attempts"
    __table_args__ = (CheckConstraint("failures >= 0", name="failures_not_negative"),)

    # Hex SHA-256 of the CPF digits: throttling works without storing the CPF.
    key_hash: Mapped[str] = mapped_column(CHAR(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    window_started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
