"""Shared helpers for the security tests: routes from the url_map, row counts, demo content."""

from __future__ import annotations

from sqlalchemy import func, select

from synergy_app.extensions import db

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def rules(app):
    """Every rule except the static files."""
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def row_counts() -> dict[str, int]:
    """Rows per table, to show that a refused request changed nothing."""
    return {name: db.session.scalar(select(func.count()).select_from(table))
            for name, table in db.metadata.tables.items()}


def seed_demo() -> None:
    """The demo layer (as `flask seed --demo`), inside the test's rolled-back transaction."""
    from synergy_app.core.cli import seed_demo_content

    seed_demo_content()
