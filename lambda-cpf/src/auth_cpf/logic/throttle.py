"""Failed-attempt throttling per CPF, state in ``auth_attempts`` (the function is stateless)."""

from __future__ import annotations

import hashlib
import math

from auth_cpf.models.records import AttemptState


def attempt_key(cpf_digits: str) -> str:
    """``auth_attempts.key_hash``: hex SHA-256 of the 11 CPF digits (never the CPF itself)."""
    return hashlib.sha256(cpf_digits.encode("ascii")).hexdigest()


def retry_after(state: AttemptState | None, max_failures: int) -> int | None:
    """Seconds to wait when the CPF is blocked, else ``None``."""
    if state is None or state.window_remaining <= 0 or state.failures < max_failures:
        return None
    return max(1, math.ceil(state.window_remaining))
