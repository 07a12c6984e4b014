"""The personal feed's secret is stored only as its hash: shown once when created, never again; a new one
ends every earlier link; the migrations keep the links already in subscribers' calendars working."""

from __future__ import annotations

import hashlib
import os
import re
import uuid

from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, select, text

from synergy_app import create_app
from synergy_app.calendar import service
from synergy_app.calendar.models import CalendarFeedToken
from synergy_app.extensions import db

FEED = re.compile(r"/calendar/feed/([A-Za-z0-9_-]+)\.ics")


def test_the_secret_is_shown_once_and_stored_hashed(client, make_user, login, db_session):
    user = login(make_user("strategist", region="ostergotland"))
    page = client.post("/calendar/feed").get_data(as_text=True)
    token = FEED.search(page).group(1)
    assert "Din personliga adress visas bara nu" in page
    row = db_session.scalar(select(CalendarFeedToken).where(CalendarFeedToken.user_id == user.id))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert "token" not in {c.name for c in CalendarFeedToken.__table__.columns}
    later = client.get("/calendar/feed").get_data(as_text=True)
    assert token not in later and not FEED.search(later)
    assert "Du har en personlig adress" in later
    client.post("/logout")
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 200
    assert client.get(f"/calendar/feed/{row.token_hash}.ics").status_code == 404  # the hash is no key


def test_a_new_secret_ends_the_old_link_at_both_addresses(client, make_user, login, db_session):
    user = login(make_user("planner"))
    first = FEED.search(client.post("/calendar/feed").get_data(as_text=True)).group(1)
    # A second row, as the migration leaves for a user who also had a dialogue feed link.
    with db_session.begin_nested():
        db_session.add(CalendarFeedToken(user_id=user.id, token_hash=hashlib.sha256(b"from-dialogues").hexdigest()))
    assert client.get("/dialogues/feed/from-dialogues.ics").status_code == 200
    second = FEED.search(client.post("/calendar/feed").get_data(as_text=True)).group(1)
    assert first != second
    for address in ("/calendar/feed", "/dialogues/feed"):
        assert client.get(f"{address}/{first}.ics").status_code == 404
        assert client.get(f"{address}/from-dialogues.ics").status_code == 404
        assert client.get(f"{address}/{second}.ics").status_code == 200
    assert db_session.scalar(select(db.func.count()).where(CalendarFeedToken.user_id == user.id)) == 1


def _migration_app(tmp_path):
    """An app on an empty database of its own (a fresh schema on PostgreSQL), and how to drop it."""
    url = os.environ.get("DATABASE_URL", "").strip()
    overrides = {"SECRET_KEY": "x", "TESTING": True}
    if not url:
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'feed.sqlite3'}"
        return create_app(overrides), lambda: None
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    overrides["SQLALCHEMY_DATABASE_URI"] = url
    overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return create_app(overrides), drop


def _sha(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def test_the_migrations_carry_dialogue_feed_secrets_into_the_one_feed_and_back(tmp_path):
    app, drop = _migration_app(tmp_path)
    try:
        with app.app_context():
            upgrade(revision="9a3821655165")  # the dialogue feed's secret still in clear
            with db.engine.begin() as conn:
                for email in ("a@example.se", "b@example.se"):
                    conn.execute(text("INSERT INTO users (email, name, password_hash, role, active, session_version) "
                                      "VALUES (:e, 'A', 'x', 'reader', true, 1)"), {"e": email})
                a, b = conn.execute(text("SELECT id FROM users ORDER BY email")).scalars().all()
                conn.execute(text("INSERT INTO dialogue_feed_tokens (user_id, token) VALUES (:u, 'gammal-hemlighet')"),
                             {"u": a})
            upgrade(revision="c4e1f0a7d2b9")  # two feeds, both hashed
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO calendar_feed_tokens (user_id, token_hash) VALUES (:u, :h)"),
                             {"u": a, "h": _sha("kalender-a")})
                conn.execute(text("INSERT INTO dialogue_feed_tokens (user_id, token_hash) VALUES (:u, :h)"),
                             {"u": b, "h": _sha("dialog-b")})
            upgrade()
            assert "dialogue_feed_tokens" not in inspect(db.engine).get_table_names()
            with db.engine.connect() as conn:
                rows = conn.execute(text("SELECT user_id, token_hash FROM calendar_feed_tokens ORDER BY id")).all()
            assert sorted(rows) == sorted([(a, _sha("kalender-a")), (a, _sha("gammal-hemlighet")),
                                           (b, _sha("dialog-b"))])
            for secret, email in (("gammal-hemlighet", "a@example.se"), ("kalender-a", "a@example.se"),
                                  ("dialog-b", "b@example.se")):
                assert service.user_for_feed_token(secret).email == email
            db.session.remove()

            downgrade(revision="c4e1f0a7d2b9")
            with db.engine.connect() as conn:
                calendar = conn.execute(text("SELECT user_id, token_hash FROM calendar_feed_tokens")).all()
                dialogue = conn.execute(text("SELECT user_id, token_hash FROM dialogue_feed_tokens")).all()
            assert sorted(calendar) == sorted([(a, _sha("kalender-a")), (b, _sha("dialog-b"))])
            assert sorted(dialogue) == sorted([(a, _sha("gammal-hemlighet")), (b, _sha("dialog-b"))])
            db.engine.dispose()
    finally:
        drop()
