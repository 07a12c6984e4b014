"""Test data for the presentation, session and follow-up pages: a round with slots and bookings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from synergy_app.dialogues.models import Booking, DialogueRound, Invitation, RoundMeeting, Slot
from synergy_app.directory.models import Organisation, Region
from synergy_app.priorities.models import Area

START = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def region(db_session, slug: str) -> Region:
    return db_session.scalar(select(Region).where(Region.slug == slug))


def organisation(db_session, slug: str) -> Organisation:
    return db_session.scalar(select(Organisation).where(Organisation.slug == slug))


def make_round(db_session, *, start: datetime = START, booked=("ostergotland", "vastmanland"),
               slots: int = 3, kind: str = "snabbdialog", theme: str = "Hållbar industri") -> DialogueRound:
    """A round led by Vinnova with one meeting of `slots` ten-minute slots; `booked` regions
    are invited (answer yes, with a presenter) and booked into the first slots in order."""
    vinnova = organisation(db_session, "vinnova")
    area = db_session.scalar(select(Area).where(Area.slug == "vinnova-hallbar-industri"))
    round_ = DialogueRound(theme=theme, kind=kind, lead_organisation_id=vinnova.id,
                           lead_area_id=area.id if area else None, presentation_minutes=10, status="scheduled")
    db_session.add(round_)
    db_session.flush()
    meeting = RoundMeeting(round_id=round_.id, starts_at=start, ends_at=start + timedelta(minutes=10 * slots))
    db_session.add(meeting)
    db_session.flush()
    slot_rows = []
    for index in range(slots):
        slot = Slot(round_id=round_.id, meeting_id=meeting.id, starts_at=start + timedelta(minutes=10 * index),
                    ends_at=start + timedelta(minutes=10 * (index + 1)), position=index)
        db_session.add(slot)
        slot_rows.append(slot)
    db_session.flush()
    for index, slug in enumerate(booked):
        reg = region(db_session, slug)
        invitation = Invitation(round_id=round_.id, region_id=reg.id, answer="yes",
                                presenters=[{"name": f"Presenter {reg.name}", "email": f"p.{slug}@test.invalid"}])
        db_session.add(invitation)
        db_session.flush()
        db_session.add(Booking(round_id=round_.id, slot_id=slot_rows[index].id, region_id=reg.id,
                               invitation_id=invitation.id))
    db_session.flush()
    return round_


def slots_of(db_session, round_: DialogueRound) -> list[Slot]:
    return list(db_session.scalars(select(Slot).where(Slot.round_id == round_.id).order_by(Slot.starts_at)))


GOOD_CONTENT = {
    "region_s3": "Östergötland bygger sin strategi för smart specialisering på avancerade material och "
                 "digitalisering av industrin.",
    "focus_areas": "Avancerade material och tillverkning\nDigitalisering av industrin",
    "international": "Vanguard Initiative",
    "continue_dialogue": "Fullskaliga systemdemonstratorer",
    "contacts-0-name": "Stina Strateg",
    "contacts-0-role": "Strateg",
    "contacts-0-organisation": "Region Östergötland",
    "contacts-0-email": "stina@test.invalid",
}
