"""The project check asks for every flag's precedents at once, with the same answer as one by one."""

from __future__ import annotations

from sqlalchemy import event

from synergy_app.extensions import db
from synergy_app.stateaid import precedents


def test_all_flags_at_once_equal_each_flag_alone(app, db_session):
    from synergy_app.auth.demo import seed_demo as seed_users
    from synergy_app.stateaid.demo import seed_demo

    seed_users()
    seed_demo()
    codes = [*precedents.FLAG_TOPICS, "UNKNOWN_FLAG", "GBER_INTENSITY_EXCEEDED"]
    together = precedents.rulings_by_flag_code(codes)
    assert set(together) == set(codes)
    assert any(together.values()), "the demo rulings are precedents for some flag"
    for code in codes:
        assert together[code] == precedents.precedents_for(flag_codes=[code], limit=5), code


def test_all_flags_at_once_take_four_statements_however_many_flags(app, db_session):
    from synergy_app.auth.demo import seed_demo as seed_users
    from synergy_app.stateaid.demo import seed_demo

    seed_users()
    seed_demo()
    statements = []

    def _count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        precedents.rulings_by_flag_code(list(precedents.FLAG_TOPICS))
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 4
