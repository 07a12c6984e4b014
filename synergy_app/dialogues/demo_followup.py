"""Demo follow-up: a held Hållbar industri round with a prepared presentation, the chair's notes,
actions (one overdue) and återkoppling, and a Spaningsgruppen quarter with horizon notes."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from ..auth.models import User
from ..clock import STOCKHOLM
from ..db_types import utcnow
from ..directory.models import Organisation, Region
from ..errors import Conflict
from ..extensions import db
from ..priorities.models import Area
from . import service, service_followup
from .models import DialogueRound, Invitation, Slot

HELD_THEME = "Hållbar industri: snabbdialog med regionerna (genomförd)"
SPANING_THEME = "Spaningsgruppen: kvartalsmöte om EU:s innovationspolitik"
# Part of the workspace requires every round to have a lead area; Spaningsgruppen is convened
# by Vinnova's international work, closest to these areas.
SPANING_AREAS = ("vinnova-ekosystem-for-innovativa-foretag", "vinnova-strategiska-innovationsprogram",
                 "vinnova-hallbar-industri")
DEMO_PLANNER = "planerare@demo.synergy.invalid"
DEMO_STRATEGIST = "strateg.ostergotland@demo.synergy.invalid"

PRESENTATION = {
    "region_s3": (
        "Region Östergötlands strategi för smart specialisering bygger på regionens styrkor i avancerade "
        "material, digitalisering och hållbar tillverkning, med Linköpings universitet och industrin som motor."
    ),
    "focus_areas": [
        "Avancerade material och tillverkning: lätta konstruktioner och återvunna metaller tillsammans med "
        "industrin i Norrköping och Linköping.",
        "Digitalisering av industrin: AI och simulering för energieffektiva produktionsflöden.",
    ],
    "international": ["Vanguard Initiative", "S3-partnerskapet för industriell modernisering"],
    "continue_dialogue": [
        "Fullskaliga systemdemonstratorer för cirkulär tillverkning",
        "Starkare svenskt deltagande i EU-partnerskapet Made in Europe",
    ],
    "contacts": [{"name": "Stina Strateg", "role": "Regional strateg", "organisation": "Region Östergötland",
                  "email": DEMO_STRATEGIST, "phone": ""}],
}

HORIZON_NOTES = (
    ("Partnerships for Regional Innovation (PRI) ersätter gradvis S3 som ram", 4,
     "Europeiska kommissionen och JRC: PRI Playbook",
     "Regionerna behöver förbereda strategierna inför nästa programperiod; påverkar ERUF-villkoren."),
    ("Nästa ramprogram för forskning och innovation (FP10) med färre och större partnerskap", 6,
     "Kommissionens förslag till FP10",
     "Svenska aktörer behöver mobilisera tidigt i partnerskapen som formas nu."),
)


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _org(slug: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def _region(slug: str) -> Region:
    return db.session.scalar(select(Region).where(Region.slug == slug))


def _local(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM)


def seed_demo_followup() -> str:
    planner, strategist = _user(DEMO_PLANNER), _user(DEMO_STRATEGIST)
    if planner is None or strategist is None:
        return "Demo follow-up: skipped (demo users missing)"
    today = utcnow().astimezone(STOCKHOLM).date()
    lines = []
    if db.session.scalar(select(DialogueRound.id).where(DialogueRound.theme == HELD_THEME)) is None:
        lines.append(_held_round(planner, strategist, today))
    if db.session.scalar(select(DialogueRound.id).where(DialogueRound.theme == SPANING_THEME)) is None:
        lines.append(_spaning(planner, today))
    return "\n".join(lines) or "Demo follow-up: already present"


def _held_round(planner: User, strategist: User, today) -> str:
    held_day = today - timedelta(days=45)

    # A round held six weeks ago: created, regions invited and answered, scheduled, held.
    held = service.create_round(service.RoundData(
        theme=HELD_THEME, lead_organisation="vinnova", lead_area="vinnova-hallbar-industri",
        meetings=[(_local(held_day, 9), _local(held_day, 9, 30))],
        agencies=[slug for slug in ("energimyndigheten", "tillvaxtverket") if _org(slug)],
        meeting_link="https://meet.example.invalid/hallbar-industri", recorded=False,
    ), planner)
    ostergotland, vastmanland = _region("ostergotland"), _region("vastmanland")
    service.invite_regions(held, [ostergotland.id, vastmanland.id], planner)
    presenters = {ostergotland.id: f"Stina Strateg <{DEMO_STRATEGIST}>",
                  vastmanland.id: "Vidar Strateg <strateg.vastmanland@demo.synergy.invalid>"}
    for invitation in db.session.scalars(select(Invitation).where(Invitation.round_id == held.id)):
        # The regions' answers, written by the seed itself (a planner may not answer for a region).
        service.answer_invitation(invitation, "yes", presenters[invitation.region_id], "", "", None)
    try:
        service.apply_schedule(held, planner)
    except Conflict:
        result = service.compute_schedule(held)
        service.acknowledge_warnings(held, [w.key for w in service.round_warnings(held, result)], planner)
        service.apply_schedule(held, planner)
    service.set_status(held, "held", planner)

    service_followup.save_presentation(held, ostergotland, None, PRESENTATION, strategist)
    slots = list(db.session.scalars(select(Slot).where(Slot.round_id == held.id).order_by(Slot.starts_at)))
    if slots:
        service_followup.add_slot_note(
            slots[0], "Energimyndigheten vill veta mer om demonstratorn för återvunna metaller.", planner)

    vinnova, energy = _org("vinnova"), _org("energimyndigheten") or _org("vinnova")
    service_followup.add_action(
        held, region=ostergotland, owner_kind="agency", owner=vinnova,
        description="Bjud in Östergötland till förstudie om fullskalig systemdemonstrator för cirkulär tillverkning",
        due_date=today - timedelta(days=10), actor=planner)
    service_followup.add_action(
        held, region=ostergotland, owner_kind="region", owner=ostergotland.organisation,
        description="Skicka underlag om regionens testbäddar till Energimyndigheten",
        due_date=today + timedelta(days=20), actor=strategist)
    done = service_followup.add_action(
        held, region=vastmanland, owner_kind="agency", owner=energy,
        description="Informera om kommande utlysning inom industrins energiomställning",
        due_date=today - timedelta(days=20), actor=planner)
    service_followup.set_action_status(done, "done", planner)
    service_followup.add_feedback(
        held, region=ostergotland, organisation=vinnova,
        led_to="Östergötland och Vinnova planerar en gemensam förstudie om en systemdemonstrator.",
        reported_on=today - timedelta(days=14), actor=planner)
    service_followup.add_feedback(
        held, region=ostergotland, organisation=ostergotland.organisation,
        led_to="Två regionala företag har anmält intresse för EU-partnerskapet Made in Europe.",
        reported_on=today - timedelta(days=7), actor=strategist)

    return f"Demo follow-up: held round '{HELD_THEME}' with presentation, notes, 3 actions (1 overdue), 2 återkoppling"


def _spaning(planner: User, today) -> str:
    """Spaningsgruppen: a quarterly digital meeting with horizon-scanning notes."""
    vinnova = _org("vinnova")
    area = next((slug for slug in SPANING_AREAS
                 if db.session.scalar(select(Area.id).where(Area.slug == slug))), None)
    spaning_day = today - timedelta(days=30)
    spaning = service.create_round(service.RoundData(
        theme=SPANING_THEME, lead_organisation="vinnova", lead_area=area, kind="spaning", recurrence="quarterly",
        meetings=[(_local(spaning_day, 13), _local(spaning_day, 14, 30))],
        agencies=[slug for slug in ("tillvaxtverket",) if _org(slug)],
    ), planner)
    service.set_status(spaning, "held", planner)
    for signal, years, source, relevance in HORIZON_NOTES:
        service_followup.add_horizon_note(spaning, signal=signal, horizon_years=years, eu_source=source,
                                          relevance=relevance, organisation=vinnova, actor=planner)
    return f"Demo follow-up: Spaningsgruppen with {len(HORIZON_NOTES)} horizon notes"
