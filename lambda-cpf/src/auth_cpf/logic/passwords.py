"""Password verification with argon2id, with equal work for unknown users."""

from __future__ import annotations

import contextlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# The hash of a random throw-away string, with argon2-cffi's default (RFC 9106 low-memory)
# parameters, the same ones the application uses to create staff hashes. It is verified when the
# CPF is unknown so that an unknown user costs the same time as a wrong password.
DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$"
    "nYAu8pDEAtZFYotKSkF2TA$tkLCqS9wZ76xEm4YrmkPC+NpyecO4cLFMDtDrDQ1rno"
)

_hasher = PasswordHasher()


def verify(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``password_hash``.

    With ``None`` (unknown user) it verifies against :data:`DUMMY_HASH` and returns False.
    """
    if password_hash is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(DUMMY_HASH, password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def hash_password(password: str) -> str:
    """argon2id PHC string (used by tests and local seeding; the application owns real hashes)."""
    return _hasher.hash(password)
