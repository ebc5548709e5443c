"""Keep personal data and secrets out of logs: mask CPF/CNPJ, drop credentials."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from oficina.domain.documents import mask

# 11 or 14 digits, with or without the usual punctuation, not inside a longer number.
_DOCUMENT = re.compile(
    r"(?<![\d])(\d{3}\.?\d{3}\.?\d{3}-?\d{2}|\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2})(?![\d])"
)
SECRET_KEYS = frozenset(
    {"password", "token", "access_token", "authorization", "secret", "cookie", "api_key"}
)


def _mask_match(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return mask(digits)


def scrub(value: Any) -> Any:
    """A copy of ``value`` with documents masked and secret-named keys removed, recursively."""
    if isinstance(value, str):
        return _DOCUMENT.sub(_mask_match, value)
    if isinstance(value, Mapping):
        return {k: scrub(v) for k, v in value.items() if str(k).lower() not in SECRET_KEYS}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    return value


def processor(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: the last step before rendering."""
    return scrub(event_dict)
