"""The schema comes from the migrations alone: upgrade from empty, compare with the models, downgrade."""

from __future__ import annotations

import os
import uuid

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from synergy_app import create_app
from synergy_app.database import include_in_schema_comparison
from synergy_app.extensions import db


def _scratch_url(tmp_path):
    """A database of its own: a new SQLite file, or a new schema in the PostgreSQL test database."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{tmp_path / 'migrations.sqlite3'}", None
    schema = f"mig_{uuid.uuid4().hex[:8]}"
    if url.startswith("postgresql://"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    return url, schema


def test_upgrade_to_head_matches_models_and_downgrades_to_empty(tmp_path):
    url, schema = _scratch_url(tmp_path)
    overrides = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "TESTING": True}
    admin_engine = None
    if schema:
        admin_engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin_engine.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}
    app = create_app(overrides)
    try:
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(
                    conn, opts={"compare_type": True, "include_name": include_in_schema_comparison}), db.metadata)
            assert diff == [], f"models and migrations disagree: {diff}"
            assert "users" in inspect(db.engine).get_table_names()
            downgrade(revision="base")
            leftover = [t for t in inspect(db.engine).get_table_names() if t != "alembic_version"]
            assert leftover == []
            db.engine.dispose()
    finally:
        if admin_engine is not None:
            with admin_engine.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin_engine.dispose()
