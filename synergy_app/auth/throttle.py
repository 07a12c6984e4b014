"""Login throttling with counters that hold under concurrency, on every instance.

Two counters per attempt, each a fixed window that starts at its first failure:
- the account at this client address (LOGIN_MAX_FAILURES): guessing one account's password
  from one place stops there, while its owner logging in from elsewhere is not locked out;
- the client address across all accounts (LOGIN_CLIENT_MAX_FAILURES): one address trying many
  accounts stops too.
An attempt first reserves its place in both counters with one atomic upsert each (INSERT ...
ON CONFLICT DO UPDATE ... RETURNING); only attempts whose place is within both limits are
evaluated, so however many arrive at once, exactly the limit is checked. A successful login
gives its place back.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..db_types import UTCDateTime, utcnow
from ..extensions import db
from .models import LoginCounter


def now() -> datetime:
    """The throttle's clock; tests replace it to move time forward."""
    return utcnow()


def _key(kind: str, *parts: str) -> str:
    return hashlib.sha256("\x1f".join((kind, *parts)).encode()).hexdigest()


def keys(email: str, client: str) -> tuple[str, str]:
    """The (account at client address, client address) counter keys."""
    return _key("account", email, client), _key("client", client)


def _bump(key: str, at: datetime, window: timedelta) -> int:
    """Add one to a counter (restarting it when its window has passed) and return the new count."""
    table = LoginCounter.__table__
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    expired = table.c.window_start <= literal(at - window, UTCDateTime())
    stmt = dialect.insert(table).values(key=key, window_start=at, failures=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={"failures": case((expired, 1), else_=table.c.failures + 1),
              "window_start": case((expired, literal(at, UTCDateTime())), else_=table.c.window_start)},
    ).returning(table.c.failures)
    return db.session.execute(stmt).scalar_one()


def reserve(email: str, client: str) -> bool:
    """Count this attempt; False when it is past a limit and must not be evaluated. Commits."""
    config = current_app.config
    window = timedelta(seconds=config["LOGIN_WINDOW_SECONDS"])
    at = now()
    account_key, client_key = keys(email, client)
    # Always the same order (account, then client), so parallel attempts cannot deadlock.
    account = _bump(account_key, at, window)
    by_client = _bump(client_key, at, window)
    db.session.commit()
    return account <= config["LOGIN_MAX_FAILURES"] and by_client <= config["LOGIN_CLIENT_MAX_FAILURES"]


def release(email: str, client: str) -> None:
    """A successful login: clear the account's failures here and give back its place at the address.

    Part of the caller's transaction. Also clears counters whose window has passed (they would
    restart at the next failure anyway), so the table holds only current lockouts."""
    account_key, client_key = keys(email, client)
    db.session.execute(delete(LoginCounter).where(LoginCounter.key == account_key))
    db.session.execute(update(LoginCounter).where(LoginCounter.key == client_key, LoginCounter.failures > 0)
                       .values(failures=LoginCounter.failures - 1))
    # Rows another attempt holds right now are skipped (PostgreSQL), so the clean-up never waits or deadlocks.
    window = timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])
    passed = (select(LoginCounter.key).where(LoginCounter.window_start <= now() - window)
              .with_for_update(skip_locked=True))
    db.session.execute(delete(LoginCounter).where(LoginCounter.key.in_(passed)))
