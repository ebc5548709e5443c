"""Server-side prepared statements for the hot queries (psycopg2 does not prepare).

A statement is written with ``:name`` parameters; it is PREPAREd the first time a pooled
connection runs it (remembered in the DBAPI connection's ``info``) and EXECUTEd afterwards, so
PostgreSQL plans it once per connection instead of once per request — when it takes the generic
plan: left to choose, it compares each execution's custom plan with the generic one and keeps
re-planning when the generic one looks dearer (``generic_plan`` below).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Connection, CursorResult, Result
from sqlalchemy.orm import Session

from oficina.extensions import db

_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class Prepared:
    name: str
    sql: str
    standalone_read: bool = False
    # The plan does not depend on the values (an index order that LIMIT stops): on the read pool,
    # run with the generic plan. The queue's, costed for an unknown LIMIT and OFFSET, never looked
    # cheaper than a custom plan, so PostgreSQL re-planned it on every request (~0.1 ms).
    generic_plan: bool = False
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

    def execute(self, s: Session, params: dict[str, Any]) -> Result[Any]:
        """Run in the session's transaction; a ``standalone_read`` outside one runs on the read
        pool's autocommit connection instead (one round trip, not BEGIN, EXECUTE, ROLLBACK),
        its rows buffered, and leaves the session untouched."""
        if not (self.standalone_read and not s.in_transaction()):
            return self._run(s.connection(), params)
        # One simple query is one implicit transaction: SET LOCAL lasts for this EXECUTE only.
        setting = "SET LOCAL plan_cache_mode = force_generic_plan; " if self.generic_plan else ""
        with db.read_engine().connect() as connection:
            return self._run(connection, params, setting).freeze()()

    def _run(
        self, connection: Connection, params: dict[str, Any], setting: str = ""
    ) -> CursorResult[Any]:
        prepared: set[str] = connection.connection.info.setdefault("prepared", set())
        if self.name not in prepared:
            connection.exec_driver_sql(f"PREPARE {self.name} AS {self._numbered}")
            prepared.add(self.name)
        arguments = tuple(_adapt(params[name]) for name in self._order)
        placeholders = f"({', '.join(['%s'] * len(arguments))})" if arguments else ""
        return connection.exec_driver_sql(f"{setting}EXECUTE {self.name}{placeholders}", arguments)


def _adapt(value: Any) -> Any:
    """psycopg2 has no UUID adapter by default; send UUIDs as text (PostgreSQL casts them).

    Lists of UUIDs and numbers go as array literals ('{a,b}'): an untyped literal takes the
    parameter's type (uuid[], integer[], numeric[]), where psycopg2's ARRAY['a'] would be a
    text[] that PostgreSQL refuses to coerce to uuid[]. Their text needs no quoting; lists of
    strings keep psycopg2's quoting.
    """
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list) and all(isinstance(item, _ARRAY_SAFE) for item in value):
        return "{" + ",".join(str(item) for item in value) + "}"
    return value


_ARRAY_SAFE = (uuid.UUID, int, Decimal)
