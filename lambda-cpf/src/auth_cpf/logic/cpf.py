"""CPF (Cadastro de Pessoas Físicas) parsing, check-digit validation and masking."""

from __future__ import annotations

import re

from auth_cpf.models.errors import InvalidCpf

# Accepted shapes: 11 digits, or the usual punctuation 000.000.000-00 (dots and dash optional).
_FORMATTED = re.compile(r"\d{3}\.?\d{3}\.?\d{3}-?\d{2}")
_MAX_INPUT = 32


def check_digits(first_nine: str) -> str:
    """The two check digits of a CPF whose first nine digits are ``first_nine`` (mod 11)."""
    digits = [int(c) for c in first_nine]
    for _ in range(2):
        weight = len(digits) + 1
        total = sum(d * (weight - i) for i, d in enumerate(digits))
        remainder = total % 11
        digits.append(0 if remainder < 2 else 11 - remainder)
    return f"{digits[-2]}{digits[-1]}"


def normalize(raw: str) -> str:
    """Return the 11 digits of a valid CPF, or raise :class:`InvalidCpf` saying what is wrong."""
    candidate = raw.strip()
    if len(candidate) > _MAX_INPUT:
        raise InvalidCpf("wrong_length", "CPF must have 11 digits")
    digits = "".join(c for c in candidate if c.isdigit() and c.isascii())
    if len(digits) != 11:
        raise InvalidCpf("wrong_length", f"CPF must have 11 digits, got {len(digits)}")
    if not _FORMATTED.fullmatch(candidate):
        raise InvalidCpf(
            "invalid_format", "CPF must be 11 digits, optionally formatted as 000.000.000-00"
        )
    if digits == digits[0] * 11:
        raise InvalidCpf("repeated_digits", "CPF with all digits equal is not valid")
    if check_digits(digits[:9]) != digits[9:]:
        raise InvalidCpf("check_digits", "CPF check digits do not match")
    return digits


def is_valid(raw: str) -> bool:
    try:
        normalize(raw)
    except InvalidCpf:
        return False
    return True


def mask(digits: str | None) -> str:
    """Masked form for logs: ``***.456.789-**``. Anything that is not 11 digits is fully hidden."""
    if digits is None or len(digits) != 11 or not digits.isdigit():
        return "***.***.***-**"
    return f"***.{digits[3:6]}.{digits[6:9]}-**"
