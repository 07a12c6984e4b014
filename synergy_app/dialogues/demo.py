"""Demo snabbdialog: Vinnova's Hållbar industri meets the regions whose priorities match, with
Tillväxtverket, Energimyndigheten and Business Sweden. EXAMPLE DATA, marked as demo."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from ..auth.models import User
from ..clock import to_local
from ..db_types import utcnow
from ..directory.models import Region
from ..errors import NotFound
from ..extensions import db
from ..priorities.public import regions_for_area
from . import service
from .models import DialogueRound, Invitation
from .queries import _reason

DEMO_THEME = "Hållbar industri: regionernas strategiska fokusområden"
DEMO_DESCRIPTION = ("Exempeldata för demonstration. Snabbdialog enligt Östergötlandsmodellen (Vinnova 2023, "
                    "avsnitt 3.1.1): varje region presenterar två–tre strategiska fokusområden på tio minuter för "
                    "flera nationella aktörer samtidigt. Det är inte en ansökan om nationell finansiering.")
FALLBACK_REGIONS = ("vastra-gotaland", "skane", "orebro", "jonkoping", "norrbotten", "varmland", "vasterbotten")


def _next_tuesday(after: date) -> date:
    return after + timedelta(days=(1 - after.weekday()) % 7 or 7)


def _matched_regions(limit: int = 8) -> dict[str, str]:
    """Region slug -> why it matches Hållbar industri (the matching engine's explanation, in Swedish as
    the demo's other texts: the seed runs outside any request and its reader's language)."""
    try:
        ranked = {r["region_slug"]: _reason(r, "sv") for r in regions_for_area("vinnova-hallbar-industri", limit)
                  if r.get("score")}
    except NotFound:  # without the reference data the area is unknown: the demo invites a fixed list
        ranked = {}
    return ranked or {slug: "" for slug in FALLBACK_REGIONS}


def seed_demo() -> str:
    if db.session.scalar(select(DialogueRound.id).where(DialogueRound.is_demo.is_(True))):
        return "Dialogues: demo round already present."
    planner = db.session.scalar(select(User).where(User.email == "planerare@demo.synergy.invalid"))
    tvv = db.session.scalar(select(User).where(User.email == "planerare.tvv@demo.synergy.invalid"))
    first = _next_tuesday(to_local(utcnow()).date() + timedelta(days=21))
    second = first + timedelta(days=7)
    data = service.RoundData(
        theme=DEMO_THEME, description=DEMO_DESCRIPTION, lead_organisation="vinnova",
        lead_area="vinnova-hallbar-industri",
        agencies=["tillvaxtverket", "energimyndigheten", "business-sweden"],
        people=[u.id for u in (planner, tvv) if u is not None],
        meetings=[service.local_interval(first, time(9, 0), time(10, 30)),
                  service.local_interval(second, time(13, 0), time(14, 0))],
        meeting_link="https://meet.example.org/snabbdialog-hallbar-industri", recorded=False,
        presentation_minutes=10, questions_minutes=0, buffer_minutes=0, recurrence="half_yearly")
    round_ = service.create_round(data, planner)
    round_.is_demo = True
    db.session.commit()

    reasons = _matched_regions()
    slugs = list(reasons)
    for must in ("ostergotland", "vastmanland"):
        if must not in slugs:
            slugs.append(must)
    regions = {r.slug: r for r in db.session.scalars(select(Region).where(Region.slug.in_(slugs)))}
    service.invite_regions(round_, [regions[s].id for s in slugs if s in regions], planner,
                           {regions[s].id: reasons.get(s) or "Inbjuden för hand (demo)" for s in slugs if s in regions})
    # Regions whose themes also point to agencies outside the round: the planner has seen and accepted that.
    gaps = [w.key for w in service.agency_warnings(round_)]
    if gaps:
        service.acknowledge_warnings(round_, gaps, planner)
    service.send_invitations(round_, planner)

    invitations = {i.region.slug: i for i in db.session.scalars(select(Invitation).where(
        Invitation.round_id == round_.id))}
    presenting = [s for s in slugs if s not in ("ostergotland", "vastmanland")][:5]
    for index, slug in enumerate(presenting):
        name = regions[slug].name
        unavailable = f"{first:%Y-%m-%d} 09:00–09:30" if index == 0 else ""
        service.answer_invitation(invitations[slug], "yes", f"Strateg {name} <strateg.{slug}@demo.synergy.invalid>",
                                  unavailable, "", None)
    service.answer_invitation(invitations["vastmanland"], "listening", "", "", "Vi lyssnar den här gången.", None)
    service.apply_schedule(round_, planner)
    return (f"Dialogues: demo round '{DEMO_THEME}' with {len(invitations)} invited regions, "
            f"{len(presenting)} scheduled; Östergötland can book a free slot.")
