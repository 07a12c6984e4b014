"""Which tables changed: a version per table, renewed in the same transaction as every write to it.

Every statement the engine runs passes here. A write (INSERT, UPDATE, DELETE) notes its table on the
connection; when the transaction commits (or a savepoint is released) the noted tables get a new random
version in ``data_versions``, written just before the COMMIT, so the new versions become visible exactly
when the written rows do, on every instance and whichever code wrote (the ORM, Core, raw SQL, the CLI).
A statement that changes the schema renews the version of every table (``*``).

A version is a random token, not a counter: a rolled-back transaction or a restored backup can never
bring back a version that something was already kept under.

While a reader is recorded (``recording()``), the tables its SELECT statements read are collected, so
whatever is built from them can be kept under the versions of exactly those tables.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import weakref
from collections.abc import Iterator
from contextvars import ContextVar, Token

from sqlalchemy import String, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import visitors
from sqlalchemy.sql.schema import Table

from .extensions import db

TABLE = "data_versions"
EVERYTHING = "*"  # renewed by a schema change; everything kept depends on it

_WRITTEN = "synergy_written_tables"  # key in Connection.info
_WRITE = re.compile(r'\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?',
                    re.IGNORECASE)
_READ = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', re.IGNORECASE)
_SCHEMA = ("CREATE", "DROP", "ALTER", "TRUNCATE")
_READING: ContextVar[set[str] | None] = ContextVar("synergy_tables_read", default=None)
# The tables of each compiled statement, found once: SQLAlchemy reuses compiled statements from its cache.
_TABLES_OF: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_READY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine -> whether the versions table exists


class DataVersion(db.Model):
    __tablename__ = TABLE

    table_name: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[str] = mapped_column(String(32))


def current_versions() -> dict[str, str]:
    """Every table's version now (one query). Read through the session's connection without the ORM: a kept
    page's answer runs little else, and the ORM's handling of a statement costs as much as the query."""
    table = DataVersion.__table__
    return dict(db.session.connection().execute(select(table.c.table_name, table.c.version)).all())


def start_recording() -> tuple[set[str], Token]:
    """Begin collecting the tables read in this thread or task: the set they go into, and the token that
    ``stop_recording`` takes (for a recording that spans a request's hooks rather than one block)."""
    tables: set[str] = set()
    return tables, _READING.set(tables)


def stop_recording(token: Token) -> None:
    _READING.reset(token)


@contextlib.contextmanager
def recording() -> Iterator[set[str]]:
    """Collect the tables read in this block (this thread or task only)."""
    tables, token = start_recording()
    try:
        yield tables
    finally:
        stop_recording(token)


def init_engine(engine: Engine) -> None:
    """Track writes and reads on this engine (once per engine)."""
    if getattr(engine, "_synergy_versions", False):
        return
    engine._synergy_versions = True  # noqa: SLF001 (a marker on the engine, so tracking is added once)
    event.listen(engine, "before_cursor_execute", _before_execute)
    event.listen(engine, "commit", _renew)
    event.listen(engine, "release_savepoint", lambda conn, _name, _ctx: _renew(conn, keep=True))
    # Connection.info outlives the transaction (the pool keeps it), and a connection going back to the pool
    # is rolled back without this event: start each transaction with nothing noted.
    event.listen(engine, "begin", _forget)
    event.listen(engine, "rollback", _forget)


def _forget(conn) -> None:
    conn.info.pop(_WRITTEN, None)


def _before_execute(conn, _cursor, statement: str, _parameters, context, _executemany) -> None:
    head = statement.lstrip()[:10].upper()
    if head.startswith(("SELECT", "WITH")) and not _WRITE.search(statement):
        tables = _READING.get()
        if tables is not None:
            tables.update(_read_tables(statement, context))
        return
    if head.startswith(_SCHEMA):
        conn.info.setdefault(_WRITTEN, set()).add(EVERYTHING)
        _READY.pop(conn.engine, None)  # the schema changes: look again whether the versions table is there
        return
    written = {name.lower() for name in _WRITE.findall(statement)} - {TABLE}
    if written:
        conn.info.setdefault(_WRITTEN, set()).update(written)


def _read_tables(statement: str, context) -> set[str]:
    compiled = getattr(context, "compiled", None)
    if compiled is not None and compiled.statement is not None:
        try:
            return _TABLES_OF[compiled]
        except KeyError:
            pass
        except TypeError:  # not weak-referenceable: walk it each time
            return _walk(compiled.statement) | _from_text(statement)
        tables = _walk(compiled.statement) | _from_text(statement)
        _TABLES_OF[compiled] = tables
        return tables
    return _from_text(statement)


def _walk(clause) -> set[str]:
    return {element.name.lower() for element in visitors.iterate(clause) if isinstance(element, Table)} - {TABLE}


def _from_text(statement: str) -> set[str]:
    # Text SQL (full-text search, hand-written reports): the names after FROM and JOIN.
    return {name.lower() for name in _READ.findall(statement)} - {"select", TABLE}


def _renew(conn, keep: bool = False) -> None:
    # A released savepoint renews now and keeps its tables for the outer commit (renewing twice is harmless).
    written = conn.info.get(_WRITTEN) if keep else conn.info.pop(_WRITTEN, None)
    if not written or not _ready(conn):
        return
    # In name order, so two transactions renewing the same tables take their row locks in the same order.
    sql = _upsert(conn)
    for name in sorted(written):
        conn.exec_driver_sql(sql, (name, secrets.token_hex(8)))


def _ready(conn) -> bool:
    # Before the migrations have made the table (or after a downgrade) there is nothing to renew.
    ready = _READY.get(conn.engine)
    if ready is None:
        ready = _READY[conn.engine] = conn.dialect.has_table(conn, TABLE)
    return ready


def _upsert(conn) -> str:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    return (f"INSERT INTO {TABLE} (table_name, version) VALUES ({mark}, {mark}) "  # noqa: S608 (constants only)
            "ON CONFLICT (table_name) DO UPDATE SET version = excluded.version")
