"""Brazilian taxpayer documents: CPF (people) and CNPJ (companies).

Both are stored as digits only; check digits are validated with the official mod-11 rules.
"""

from __future__ import annotations

import re
from enum import StrEnum

_NON_DIGITS = re.compile(r"[.\-/\s]")


class DocumentType(StrEnum):
    CPF = "CPF"
    CNPJ = "CNPJ"


class InvalidDocument(ValueError):
    """The text is not a valid CPF or CNPJ; the message says why."""


def digits_of(text: str) -> str:
    """Strip the usual punctuation (``.``, ``-``, ``/``, spaces); anything else is an error."""
    stripped = _NON_DIGITS.sub("", text)
    if any(c not in "0123456789" for c in stripped):
        raise InvalidDocument("must contain only digits and the punctuation . - /")
    return stripped


def _mod11_digit(digits: str, weights: list[int]) -> str:
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return "0" if remainder < 2 else str(11 - remainder)


def is_valid_cpf(digits: str) -> bool:
    if len(digits) != 11 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    first = _mod11_digit(digits[:9], list(range(10, 1, -1)))
    second = _mod11_digit(digits[:10], list(range(11, 1, -1)))
    return digits[9:] == first + second


_CNPJ_W1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
_CNPJ_W2 = [6, *_CNPJ_W1]


def is_valid_cnpj(digits: str) -> bool:
    if len(digits) != 14 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    first = _mod11_digit(digits[:12], _CNPJ_W1)
    second = _mod11_digit(digits[:13], _CNPJ_W2)
    return digits[12:] == first + second


def parse_document(text: str) -> tuple[DocumentType, str]:
    """Return ``(type, digits)`` for a CPF (11 digits) or CNPJ (14 digits), or raise."""
    digits = digits_of(text)
    if len(digits) == 11:
        if not is_valid_cpf(digits):
            raise InvalidDocument("invalid CPF: check digits do not match")
        return DocumentType.CPF, digits
    if len(digits) == 14:
        if not is_valid_cnpj(digits):
            raise InvalidDocument("invalid CNPJ: check digits do not match")
        return DocumentType.CNPJ, digits
    raise InvalidDocument("must have 11 digits (CPF) or 14 digits (CNPJ)")


def parse_cpf(text: str) -> str:
    doc_type, digits = parse_document(text)
    if doc_type is not DocumentType.CPF:
        raise InvalidDocument("must be a CPF (11 digits)")
    return digits


def mask(digits: str) -> str:
    """Mask a document for logs and messages: keep only the middle digits."""
    if len(digits) == 11:
        return f"***.{digits[3:6]}.{digits[6:9]}-**"
    if len(digits) == 14:
        return f"**.***.{digits[5:8]}/{digits[8:12]}-**"
    return "***"
