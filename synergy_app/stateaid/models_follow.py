"""Who follows which question of the ruling log (one of its topics, e.g. "Icke-ekonomisk verksamhet")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class QuestionFollow(db.Model):
    """A person hears of every ruling published or revised on this question (a key of models.TOPICS)."""

    __tablename__ = "ruling_question_follows"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
