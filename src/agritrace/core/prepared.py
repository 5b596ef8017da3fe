"""Statements PostgreSQL prepares once per connection: for the few hot queries whose planning
costs more than their execution (the ID card's code lookup: about 1 ms to plan, 0.05 ms to
run). Elsewhere (SQLite) the query runs as it is. Not for connection poolers in transaction
mode, which do not keep prepared statements."""

from __future__ import annotations

import weakref
from collections.abc import Sequence

from django.db import connection
from django.db.backends.utils import CursorWrapper

#: Names prepared on each open PostgreSQL connection.
_PREPARED: weakref.WeakKeyDictionary[object, set[str]] = weakref.WeakKeyDictionary()


def execute(cursor: CursorWrapper, name: str, sql: str, params: Sequence[object]) -> None:
    """Run ``sql`` (Django's ``%s`` placeholders, text parameters) as the prepared statement
    ``name`` of this connection, preparing it the first time."""
    if connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    done = _PREPARED.setdefault(connection.connection, set())
    if name not in done:
        pieces = sql.split("%s")
        numbered = "".join(f"{p}${i}" for i, p in enumerate(pieces[:-1], start=1)) + pieces[-1]
        types = ", ".join(["text"] * len(params))
        cursor.execute(f"PREPARE {name}({types}) AS {numbered}")
        done.add(name)
    cursor.execute(f"EXECUTE {name}({', '.join(['%s'] * len(params))})", params)
