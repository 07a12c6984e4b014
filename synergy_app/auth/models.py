"""Accounts, personal API tokens and login attempts."""

from __future__ import annotations

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..directory.models import Organisation, Region
from ..extensions import db

ROLES = ("admin", "planner", "strategist", "taskforce", "reader")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    # A strategist is bound to one region and may edit only that region's data.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    # The agency a planner works for (their areas are the ones they edit).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change or deactivation so every existing session ends, on every instance.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    # Set when the account was removed: name and e-mail replaced by a placeholder, password cleared;
    # the row stays so the audit log and the records it wrote keep pointing at it.
    removed_at = mapped_column(UTCDateTime, nullable=True)

    region: Mapped[Region | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(db.Model):
    """A personal API token; only its SHA-256 hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    last_used_at = mapped_column(UTCDateTime, nullable=True)
    revoked_at = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship()


class LoginAttempt(db.Model):
    """Failed and successful logins, kept in the database so throttling holds across instances."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    at = mapped_column(UTCDateTime, default=utcnow, index=True)
    succeeded: Mapped[bool] = mapped_column(default=False)


class UserSession(db.Model):
    """One login in one browser: the signed cookie carries a random id, only its hash is stored.

    Logging out, a password change or deactivation revokes the row, so a copied cookie stops
    working on every instance; idle and absolute expiry are checked against it on each request."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at = mapped_column(UTCDateTime, nullable=False)
    last_seen_at = mapped_column(UTCDateTime, nullable=False)
    expires_at = mapped_column(UTCDateTime, nullable=False, index=True)
    revoked_at = mapped_column(UTCDateTime, nullable=True)


class LoginCounter(db.Model):
    """Failed-login counter for one key (an account at a client address, or a client address).

    Incremented with one atomic upsert, so parallel attempts on any number of instances see
    each other; the key is a hash, so the table holds no e-mail address."""

    __tablename__ = "login_counters"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start = mapped_column(UTCDateTime, nullable=False, index=True)
    failures: Mapped[int] = mapped_column(default=0)
