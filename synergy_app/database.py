"""Engine set-up that differs between SQLite and PostgreSQL."""

from __future__ import annotations

from flask import Flask, has_request_context, request
from sqlalchemy import event

from .extensions import db


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)


def _configure_sqlite(engine) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT and delays BEGIN; take control
    # so transactions (and nested ones) behave as on PostgreSQL, and enforce foreign keys.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Several server processes share one file: readers never block the writer (WAL), and a
        # writer waits for the one before it instead of failing at once.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _writing_request() else "BEGIN")


def _writing_request() -> bool:
    """A POST/PUT/PATCH/DELETE request takes SQLite's write lock when its transaction begins.

    A transaction that read first and writes later cannot wait for another writer (SQLite refuses
    it with "database is locked" as soon as the other commits); taking the lock up front makes
    simultaneous requests from several processes queue behind each other instead."""
    return has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")


# Full-text index tables created by raw DDL in the migrations (SQLite FTS5 and its shadow
# tables) have no model; schema comparisons must not try to drop them.
UNMODELLED_TABLE_PREFIXES = ("ruling_fts",)


def include_in_schema_comparison(name: str | None, type_: str, parent_names) -> bool:
    return not (type_ == "table" and (name or "").startswith(UNMODELLED_TABLE_PREFIXES))
