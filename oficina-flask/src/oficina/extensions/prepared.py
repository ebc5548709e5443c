"""Server-side prepared statements for the hot read queries (psycopg2 does not prepare).

A statement is written with ``:name`` parameters; it is PREPAREd the first time a pooled
connection runs it (remembered in the DBAPI connection's ``info``) and EXECUTEd afterwards, so
PostgreSQL plans it once per connection instead of once per request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class Prepared:
    name: str
    sql: str
    _order: tuple[str, ...] = field(init=False, repr=False)
    _numbered: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        order: list[str] = []

        def number(match: re.Match[str]) -> str:
            if match.group(1) not in order:
                order.append(match.group(1))
            return f"${order.index(match.group(1)) + 1}"

        object.__setattr__(self, "_numbered", _PARAM.sub(number, self.sql))
        object.__setattr__(self, "_order", tuple(order))

    def execute(self, s: Session, params: dict[str, Any]) -> CursorResult[Any]:
        connection = s.connection()
        prepared: set[str] = connection.connection.info.setdefault("prepared", set())
        if self.name not in prepared:
            connection.exec_driver_sql(f"PREPARE {self.name} AS {self._numbered}")
            prepared.add(self.name)
        arguments = tuple(_adapt(params[name]) for name in self._order)
        placeholders = f"({', '.join(['%s'] * len(arguments))})" if arguments else ""
        return connection.exec_driver_sql(f"EXECUTE {self.name}{placeholders}", arguments)


def _adapt(value: Any) -> Any:
    """psycopg2 has no UUID adapter by default; send UUIDs as text (PostgreSQL casts them)."""
    import uuid

    return str(value) if isinstance(value, uuid.UUID) else value
