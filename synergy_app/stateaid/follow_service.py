"""Following a question of the ruling log: who hears of a ruling published or revised on it."""

from __future__ import annotations

from sqlalchemy import delete, select

from ..audit.service import record, transaction
from ..auth.models import User
from ..errors import FieldError, InputError
from ..extensions import db
from .models import TOPICS
from .models_follow import QuestionFollow


def _known(topic: str) -> str:
    if topic not in TOPICS:
        raise InputError(FieldError("topic", "Välj en fråga ur listan.", "Choose a question from the list."))
    return topic


def followed(user) -> list[str]:
    """The questions (topic keys) the user follows, in the register's order."""
    if user is None or getattr(user, "id", None) is None:
        return []
    chosen = set(db.session.scalars(select(QuestionFollow.topic).where(QuestionFollow.user_id == user.id)))
    return [key for key in TOPICS if key in chosen]


def follow(user, topic: str) -> None:
    _known(topic)
    if topic in followed(user):
        return
    with transaction():
        db.session.add(QuestionFollow(user_id=user.id, topic=topic))
        record("stateaid.question.follow", object_type="users", object_id=user.id,
               summary=f"Följer frågan: {TOPICS[topic][0]}", actor=user)


def unfollow(user, topic: str) -> None:
    _known(topic)
    if topic not in followed(user):
        return
    with transaction():
        db.session.execute(delete(QuestionFollow).where(QuestionFollow.user_id == user.id,
                                                        QuestionFollow.topic == topic))
        record("stateaid.question.unfollow", object_type="users", object_id=user.id,
               summary=f"Följer inte längre frågan: {TOPICS[topic][0]}", actor=user)


def followers(topics: list[str]) -> list:
    """The active users following any of these questions (each once)."""
    if not topics:
        return []
    return list(db.session.scalars(
        select(User).where(User.active.is_(True), User.id.in_(
            select(QuestionFollow.user_id).where(QuestionFollow.topic.in_(list(topics)))))
        .order_by(User.id)))
