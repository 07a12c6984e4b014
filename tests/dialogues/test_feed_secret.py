"""The personal dialogue feed's secret is stored only as its hash (like the calendar feed's): shown once
when created, never again; a new one ends the old link; the migration converts existing secrets in place."""

from __future__ import annotations

import hashlib
import os
import re
import uuid

from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, select, text

from synergy_app import create_app
from synergy_app.dialogues import service
from synergy_app.dialogues.models import DialogueFeedToken
from synergy_app.extensions import db

FEED = re.compile(r"/dialogues/feed/([A-Za-z0-9_-]+)\.ics")


def test_the_secret_is_shown_once_and_stored_hashed(client, make_user, login, db_session):
    user = login(make_user("strategist", region="ostergotland"))
    page = client.post("/dialogues/feed/token").get_data(as_text=True)
    token = FEED.search(page).group(1)
    assert "den visas bara den här gången" in page
    row = db_session.scalar(select(DialogueFeedToken).where(DialogueFeedToken.user_id == user.id))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert "token" not in {c.name for c in DialogueFeedToken.__table__.columns}
    later = client.get("/dialogues/").get_data(as_text=True)
    assert token not in later and not FEED.search(later)
    assert "Du har en personlig kalenderlänk" in later
    client.post("/logout")
    assert client.get(f"/dialogues/feed/{token}.ics").status_code == 200
    assert client.get(f"/dialogues/feed/{row.token_hash}.ics").status_code == 404  # the hash is no key


def test_a_new_secret_ends_the_old_link(client, make_user, login, db_session):
    login(make_user("planner"))
    first = FEED.search(client.post("/dialogues/feed/token").get_data(as_text=True)).group(1)
    second = FEED.search(client.post("/dialogues/feed/token").get_data(as_text=True)).group(1)
    assert first != second
    assert client.get(f"/dialogues/feed/{first}.ics").status_code == 404
    assert client.get(f"/dialogues/feed/{second}.ics").status_code == 200


def test_the_migration_hashes_existing_secrets_so_their_links_keep_working(tmp_path):
    url = os.environ.get("DATABASE_URL", "").strip()
    schema = None
    if url:
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        schema = f"mig_{uuid.uuid4().hex[:8]}"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    else:
        url = f"sqlite:///{tmp_path / 'feed.sqlite3'}"
    overrides = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "TESTING": True}
    if schema:
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}
    app = create_app(overrides)
    try:
        with app.app_context():
            upgrade(revision="9a3821655165")  # the schema with the secret in clear
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO users (email, name, password_hash, role, active, session_version) "
                                  "VALUES ('a@example.se', 'A', 'x', 'reader', true, 1)"))
                user_id = conn.execute(text("SELECT id FROM users")).scalar_one()
                conn.execute(text("INSERT INTO dialogue_feed_tokens (user_id, token) VALUES (:u, 'gammal-hemlighet')"),
                             {"u": user_id})
            upgrade()
            columns = {c["name"] for c in inspect(db.engine).get_columns("dialogue_feed_tokens")}
            assert "token" not in columns and "token_hash" in columns
            with db.engine.connect() as conn:
                stored = conn.execute(text("SELECT token_hash FROM dialogue_feed_tokens")).scalar_one()
            assert stored == hashlib.sha256(b"gammal-hemlighet").hexdigest()
            assert service.user_for_feed_token("gammal-hemlighet").email == "a@example.se"
            db.session.remove()
            db.engine.dispose()
    finally:
        if schema:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
