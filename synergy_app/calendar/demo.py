"""Demo calls: a Vinnova and a Tillväxtverket (ERUF) call for Hållbar industri, as in the pilot of
seeds/002 section 3.3.1, plus a few more funders' calls. All are EXAMPLE DATA, not real calls."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from ..auth.models import User
from ..clock import STOCKHOLM
from ..extensions import db
from . import queries, service
from .call_data import CallData, Deadline

NOTE = ("Exempeldata för demonstration, inte en verklig utlysning. Tidslinjen efterliknar piloten Hållbar "
        "industri där Vinnova och Tillväxtverket synkroniserade sina utlysningar (Vinnova 2023, avsnitt 3.3.1).")


def _at(day: date, hour: int = 14) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=STOCKHOLM)


def demo_calls(today: date) -> list[CallData]:
    y = today.year + 1
    common = {"description": NOTE, "eligible_applicants": ("företag", "universitet och högskolor", "regioner")}
    return [
        CallData(
            funder_slug="vinnova", reference="EXEMPEL-HI-GENOMFORANDE",
            title="[Exempel] Hållbar industri – genomförandeprojekt för systemdemonstratorer",
            programme="Hållbar industri", opens_on=date(y, 2, 3),
            deadlines=(Deadline("", _at(date(y, 4, 16))),),
            decision_on=date(y, 6, 18), earliest_start=date(y, 8, 1), latest_start=date(y, 10, 1),
            budget_sek=120_000_000_00, max_grant_sek=20_000_000_00, funding_rate=None,
            themes=("vinnova-hallbar-industri", "advanced_manufacturing"), regions=("varmland", "norrbotten"),
            **common,
        ),
        CallData(
            funder_slug="tillvaxtverket", reference="EXEMPEL-ERUF-HI",
            title="[Exempel] ERUF – implementeringsprojekt hållbar och resilient produktion",
            programme="eruf-ovre-norrland", opens_on=date(y, 5, 4),
            # Misaligned on purpose: opens after Vinnova's deadline, decides after Vinnova's latest start,
            # and closes in July.
            deadlines=(Deadline("", date(y, 7, 15)),),
            decision_on=date(y, 11, 20), earliest_start=date(y, 12, 1), latest_start=date(y + 1, 3, 1),
            budget_sek=80_000_000_00, max_grant_sek=15_000_000_00,
            themes=("vinnova-hallbar-industri", "advanced_manufacturing"), regions=("norrbotten", "varmland"),
            **common,
        ),
        CallData(
            funder_slug="energimyndigheten", reference="EXEMPEL-IK-GENOMFORANDE",
            title="[Exempel] Industriklivet – genomförandeprojekt",
            programme="industriklivet", opens_on=date(y, 1, 15),
            deadlines=(Deadline("Steg 1", _at(date(y, 3, 12))), Deadline("Steg 2", _at(date(y, 9, 10)))),
            decision_on=date(y, 11, 30), latest_start=date(y + 1, 2, 1),
            themes=("low_carbon_economy",), **common,
        ),
        CallData(
            funder_slug="vinnova", reference="EXEMPEL-HI-FORSTUDIE",
            title="[Exempel] Hållbar industri – genomförbarhetsstudier",
            programme="Hållbar industri", opens_on=today - timedelta(days=20),
            deadlines=(Deadline("", _at(today + timedelta(days=40))),),
            decision_on=today + timedelta(days=100), latest_start=today + timedelta(days=180),
            themes=("vinnova-hallbar-industri",), regions=("varmland",), **common,
        ),
    ]


def seed_demo() -> str:
    today = queries.today_local()
    known = set(queries.funder_slugs())
    created = 0
    ids = []
    for data in demo_calls(today):
        if data.funder_slug not in known:
            continue
        if data.programme and data.programme.startswith("eruf-") and not _programme_exists(data.programme):
            data = data.__class__(**{**data.__dict__, "programme": "ERUF"})
        existing = queries.existing_by_identity([data.identity])
        call = service.save_call(data, actor="demo")
        created += 0 if existing else 1
        ids.append(call.id)
    from .models import CoordinationSet

    if len(ids) >= 2 and db.session.scalar(select(CoordinationSet.id).where(
            CoordinationSet.name == "[Exempel] Hållbar industri: Vinnova + ERUF")) is None:
        service.mark_coordinated(ids[:2], name="[Exempel] Hållbar industri: Vinnova + ERUF", actor="demo",
                                 note=NOTE)
    planner = db.session.scalar(select(User).where(User.role == "planner").order_by(User.id))
    if planner is not None and ids:
        service.follow(service.queries.get_call(ids[0]), planner)
    return f"Calendar: {created} example calls (of {len(ids)}), one coordination set"


def _programme_exists(slug: str) -> bool:
    from ..directory.models import Programme

    return db.session.scalar(select(Programme.id).where(Programme.slug == slug)) is not None
