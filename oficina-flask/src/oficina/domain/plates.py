"""Vehicle plates: the old Brazilian format (ABC-1234) and Mercosul (ABC1D23)."""

from __future__ import annotations

import re

_OLD = re.compile(r"^[A-Z]{3}[0-9]{4}$")
_MERCOSUL = re.compile(r"^[A-Z]{3}[0-9][A-Z][0-9]{2}$")


class InvalidPlate(ValueError):
    """The text is not a plate in either format."""


def normalize_plate(text: str) -> str:
    """Upper-case, without the dash or spaces: ``abc-1234`` -> ``ABC1234``."""
    candidate = text.strip().upper().replace("-", "").replace(" ", "")
    if not (_OLD.match(candidate) or _MERCOSUL.match(candidate)):
        raise InvalidPlate("must be a plate like ABC-1234 (old) or ABC1D23 (Mercosul)")
    return candidate
