"""Column types shared by every capability."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from .clock import utcnow  # the columns' default; the clock lives in synergy_app.clock


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime stored in UTC.

    PostgreSQL keeps it as timestamptz; SQLite has no zone support, so the value is stored
    as naive UTC and made aware again on the way out. Naive input is refused: a time
    without a zone is a bug waiting for the next daylight-saving change.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


__all__ = ["UTCDateTime", "utcnow"]
