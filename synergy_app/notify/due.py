"""Messages due by the clock: reminders, follow-up actions, call deadlines, requests for återkoppling.

Each scan may run any number of times, on any number of workers: the outbox's unique key per event
and recipient lets each message through once (a reminder per booking and start time, an overdue
notice per action and week)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..calendar.models import Call, call_followers
from ..dialogues import public as dialogues
from ..dialogues.models import Booking, DialogueRound, Slot
from ..dialogues.models_followup import FollowUpAction
from ..extensions import db
from ..projects import public as projects
from . import outbox
from .events import call_url, recipients_for
from .models import NotificationPreference, OutboxMessage

STOCKHOLM = ZoneInfo("Europe/Stockholm")
REMINDER_BEFORE = timedelta(hours=48)
FOLLOWUP_DUE_WITHIN = 7
DEADLINE_NOTICES = (14, 3)  # days before a followed call's deadline
FEEDBACK_WITHIN = timedelta(days=30)  # rounds held longer ago than this are not asked about


def session_reminders(now: datetime) -> None:
    """A reminder to the people of every booking whose slot starts within 48 hours."""
    rows = db.session.execute(
        select(Booking.id, Slot.starts_at).join(Slot, Slot.id == Booking.slot_id).join(DialogueRound)
        .where(Booking.cancelled_at.is_(None), Slot.starts_at > now, Slot.starts_at <= now + REMINDER_BEFORE,
               DialogueRound.status.in_(("invitations_sent", "scheduled")))).all()
    for booking_id, starts_at in rows:
        outbox.add("session_reminder", f"session_reminder:{booking_id}:{starts_at.isoformat()}",
                   recipients_for(dialogues.booking_people(booking_id)), {"booking_id": booking_id})


def feedback_requests(now: datetime) -> None:
    """After a held round, its people are asked what the dialogue led to (once per round)."""
    rounds = db.session.scalars(select(DialogueRound).where(
        DialogueRound.status == "held", DialogueRound.updated_at >= now - FEEDBACK_WITHIN))
    for round_ in rounds:
        outbox.add("feedback_request", f"feedback_request:{round_.id}",
                   recipients_for(dialogues.round_people(round_.id)),
                   {"round_id": round_.id, "theme": round_.theme, "url": _round_url(round_.id)})


def _action_owners(action: FollowUpAction) -> list[tuple[str, str]]:
    """The people of the owning organisation: its planners, or the strategists of the owning region."""
    users = db.session.scalars(select(User).where(
        User.active.is_(True),
        (User.organisation_id == action.owner_organisation_id)
        | User.region.has(organisation_id=action.owner_organisation_id)))
    return [(u.name, u.email) for u in users]


def followup_actions(today: date) -> None:
    """Open actions due within 7 days (once), and overdue ones (once, then once a week)."""
    actions = db.session.scalars(select(FollowUpAction).where(
        FollowUpAction.status == "open", FollowUpAction.due_date <= today + timedelta(days=FOLLOWUP_DUE_WITHIN))
        .options(selectinload(FollowUpAction.round)))
    for action in actions:
        overdue = action.due_date < today
        key = (f"followup_overdue:{action.id}:{action.due_date}:{(today - action.due_date).days // 7}" if overdue
               else f"followup_due:{action.id}:{action.due_date}")
        outbox.add("followup_due", key, recipients_for(_action_owners(action)),
                   {"action_id": action.id, "description": action.description, "theme": action.round.theme,
                    "due_date": action.due_date.isoformat(), "overdue": overdue,
                    "url": _round_url(action.round_id)})


def call_deadlines(today: date) -> None:
    """Followers of a call hear of its deadline 14 and 3 days before (the nearest notice not yet passed)."""
    calls = db.session.scalars(select(Call).where(
        Call.archived.is_(False), Call.last_deadline_on >= today,
        Call.last_deadline_on <= today + timedelta(days=max(DEADLINE_NOTICES)),
        Call.id.in_(select(call_followers.c.call_id))))
    for call in calls:
        days = (call.last_deadline_on - today).days
        notice = min(n for n in DEADLINE_NOTICES if n >= days)
        followers = db.session.scalars(select(User).join(call_followers, call_followers.c.user_id == User.id)
                                       .where(call_followers.c.call_id == call.id))
        outbox.add("call_deadline", f"call_deadline:{call.id}:{call.last_deadline_on}:{notice}",
                   recipients_for((u.name, u.email) for u in followers),
                   {"call_id": call.id, "title": call.title, "deadline": call.last_deadline_on.isoformat(),
                    "days": days, "url": call_url(call.id)})


def _round_url(round_id: int) -> str:
    return f"{(current_app.config.get('PUBLIC_BASE_URL') or '').rstrip('/')}/dialogues/{round_id}"


def project_assessments(now: datetime) -> None:
    """A project flag that asks for the taskforce's assessment reaches the taskforce (once per project and flag)."""
    requests = projects.assessment_requests()
    if not requests:
        return
    members = list(db.session.scalars(select(User).where(User.role == "taskforce", User.active.is_(True))))
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    for item in requests:
        outbox.add("project_assessment", f"project_assessment:{item['project_id']}:{item['code']}",
                   recipients_for((u.name, u.email) for u in members),
                   {**item, "url": f"{base}/projects/{item['project_id']}#bedomning"})


def digests(now: datetime) -> None:
    """Once a week (the first pass of an ISO week), those who asked for it get the week's messages in one."""
    year, week, _day = now.astimezone(STOCKHOLM).isocalendar()
    emails = db.session.scalars(select(NotificationPreference.email).where(
        NotificationPreference.kind == "digest", NotificationPreference.enabled.is_(True)))
    for email in emails:
        subjects = list(db.session.scalars(select(OutboxMessage.subject).where(
            OutboxMessage.recipient_email == email, OutboxMessage.kind != "digest",
            OutboxMessage.status == "sent", OutboxMessage.sent_at >= now - timedelta(days=7))
            .order_by(OutboxMessage.sent_at).limit(200)))
        if subjects:
            outbox.add("digest", f"digest:{year}-W{week:02d}", recipients_for([("", email)]),
                       {"week": f"{year}-W{week:02d}", "subjects": [s for s in subjects if s]})


def scan(now: datetime) -> None:
    """Every scan above, for the moment `now` (the caller commits)."""
    today = now.astimezone(STOCKHOLM).date()
    session_reminders(now)
    feedback_requests(now)
    followup_actions(today)
    call_deadlines(today)
    project_assessments(now)
    digests(now)
