"""A funder's calendar feed that the workspace re-fetches and imports on a schedule."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..directory.models import Organisation
from ..extensions import db

FEED_STATUSES = ("new", "changed", "unchanged", "error")


class FunderFeedSubscription(db.Model):
    """One ICS feed URL per funder, with what the last fetches found."""

    __tablename__ = "funder_feed_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    funder_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), unique=True)
    url: Mapped[str] = mapped_column(String(2000))
    # The validators of the last imported answer, sent back as If-None-Match / If-Modified-Since.
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    # SHA-256 of the last imported body: a server without validators that sends the same file again
    # is not imported again.
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="new")  # FEED_STATUSES
    last_fetched_at = mapped_column(UTCDateTime, nullable=True, index=True)
    last_changed_at = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text)  # English
    last_error_sv: Mapped[str | None] = mapped_column(Text)
    # Counts of the last import that changed something (create, update, unchanged, ...).
    last_counts: Mapped[dict | None] = mapped_column(db.JSON)
    # Taken by the process fetching the feed, so several workers fetch each feed once.
    claimed_at = mapped_column(UTCDateTime, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    funder: Mapped[Organisation] = relationship()

    def __repr__(self) -> str:
        return f"<FunderFeedSubscription {self.funder_id} {self.url}>"
