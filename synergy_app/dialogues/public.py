"""What other capabilities may use from dialogues: calendar entries as plain dicts, and a region's or
an agency's published rounds and open follow-up actions (for their dossiers)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from . import queries
from .models import DialogueRound, round_agencies
from .models_followup import FollowUpAction


def _as_dict(entry) -> dict:
    return {
        "uid": entry.uid,
        "summary": entry.summary,
        "start": entry.start,
        "end": entry.end,
        "url": entry.url,
        "sequence": entry.sequence,
        "location": entry.location,
        "cancelled": entry.cancelled,
    }


def calendar_entries_for_user(user) -> list[dict]:
    """The user's snabbdialog meetings and own slots (rounds past the draft stage), sorted by start."""
    return sorted((_as_dict(e) for e in queries.entries_for_user(user)), key=lambda d: (d["start"], d["uid"]))


def calendar_entries_between(start: datetime, end: datetime) -> list[dict]:
    """Every snabbdialog meeting (past the draft stage) overlapping [start, end), sorted by start."""
    return sorted((_as_dict(e) for e in queries.entries_between(start, end)), key=lambda d: (d["start"], d["uid"]))


def region_engagements(region_id: int):
    """A region's invitations and live bookings (ORM objects), each by round id."""
    return queries.region_engagements(region_id)


def published_rounds(ids: Iterable[int], limit: int) -> list[DialogueRound]:
    """The rounds with these ids that are past the draft stage, newest first (lead and meetings loaded)."""
    return _published(DialogueRound.id.in_(list(ids)), limit)


def agency_rounds(organisation_id: int, limit: int) -> list[DialogueRound]:
    """Rounds past the draft stage that the organisation leads or takes part in, newest first."""
    return _published(DialogueRound.id.in_(_agency_round_ids(organisation_id)), limit)


def open_actions_for_region(region_id: int, organisation_id: int, limit: int) -> list[FollowUpAction]:
    """Open follow-up actions about the region or owned by its organisation (published rounds), by due date."""
    return _open_actions(or_(FollowUpAction.region_id == region_id,
                             FollowUpAction.owner_organisation_id == organisation_id), limit)


def open_actions_for_agency(organisation_id: int, limit: int) -> list[FollowUpAction]:
    """Open follow-up actions of the agency's rounds or owned by it (published rounds), by due date."""
    return _open_actions(or_(FollowUpAction.round_id.in_(_agency_round_ids(organisation_id)),
                             FollowUpAction.owner_organisation_id == organisation_id), limit)


def _agency_round_ids(organisation_id: int):
    takes_part = select(round_agencies.c.round_id).where(round_agencies.c.organisation_id == organisation_id)
    return select(DialogueRound.id).where(or_(DialogueRound.lead_organisation_id == organisation_id,
                                              DialogueRound.id.in_(takes_part)))


def _published(condition, limit: int) -> list[DialogueRound]:
    # A round still in draft has sent no invitations: it is not published yet.
    return list(db.session.scalars(
        select(DialogueRound).where(condition, DialogueRound.status != "draft")
        .options(selectinload(DialogueRound.lead_organisation), selectinload(DialogueRound.meetings))
        .order_by(DialogueRound.created_at.desc(), DialogueRound.id.desc()).limit(limit)))


def _open_actions(condition, limit: int) -> list[FollowUpAction]:
    return list(db.session.scalars(
        select(FollowUpAction).join(DialogueRound, DialogueRound.id == FollowUpAction.round_id)
        .where(condition, FollowUpAction.status == "open", DialogueRound.status != "draft")
        .options(selectinload(FollowUpAction.round), selectinload(FollowUpAction.region),
                 selectinload(FollowUpAction.owner_organisation))
        .order_by(FollowUpAction.due_date, FollowUpAction.id).limit(limit)))
