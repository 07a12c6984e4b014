"""Test data for round, booking and API tests: rounds built through the service, as the pages do."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from synergy_app.dialogues import service
from synergy_app.dialogues.models import Slot
from synergy_app.directory.models import Region

# A Tuesday well in the future; Stockholm is on CEST (UTC+2) then.
DAY = date(2030, 9, 10)


def region(db_session, slug: str) -> Region:
    return db_session.scalar(select(Region).where(Region.slug == slug))


def round_data(**overrides) -> service.RoundData:
    values = dict(
        theme="Hållbar industri",
        lead_organisation="vinnova",
        lead_area="vinnova-hallbar-industri",
        agencies=["tillvaxtverket", "energimyndigheten", "business-sweden"],
        meetings=[service.local_interval(DAY, time(9, 0), time(10, 0))],
        meeting_link="https://meet.example.org/snabbdialog",
        recorded=False,
    )
    values.update(overrides)
    return service.RoundData(**values)


def make_round(db_session, planner=None, *, open_for_booking: bool = True, **overrides):
    round_ = service.create_round(round_data(**overrides), planner)
    if open_for_booking:
        service.invite_regions(round_, [region(db_session, "ostergotland").id], planner)
        service.send_invitations(round_, planner)
    return round_


def slots_of(db_session, round_) -> list[Slot]:
    return list(db_session.scalars(select(Slot).where(Slot.round_id == round_.id).order_by(Slot.starts_at)))
