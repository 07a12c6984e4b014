"""One valid submission of every create form, for the double-submit tests.

`build_cases` runs inside an app context (the test's rolled-back session, or a live database being
prepared) and returns, per create endpoint, who sends it, where, with what, and which table gains
exactly one row when it is saved. The tests send each case twice with the same submission token,
one after the other (tests/security/test_submit_twice.py) and at the same instant against a live
server (tests/concurrency/test_submit_twice_live.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

from sqlalchemy import select

ICS_FILE = Path(__file__).resolve().parent / "calendar" / "fixtures" / "outlook_windows_zone.ics"
PROJECT_YAML = b"""title: Filprojekt %s
grant_date: 2026-03-01
partners:
  - {id: ltu, name: LTU, kind: research_organisation}
costs:
  - {partner: ltu, category: non_economic, amount_sek: 1000}
"""


@dataclass
class Case:
    role: str  # key of the users passed to build_cases
    url: str
    data: dict
    table: str  # gains one row when the form is saved
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


def build_cases(users: dict) -> dict[str, Case]:
    """users: {"planner": User (of Vinnova), "strategist": User (Östergötland), "taskforce": User, "any": User}."""
    from synergy_app.calendar import service as calendar
    from synergy_app.calendar.call_data import CallData, Deadline
    from synergy_app.dialogues import service as dialogues
    from synergy_app.directory.models import Region
    from synergy_app.extensions import db
    from synergy_app.projects import service as projects
    from synergy_app.stateaid import rulings_service
    from tests.dialogues import followup_support, rounds_support

    tag = uuid.uuid4().hex[:8]
    planner, taskforce = users["planner"], users["taskforce"]

    def region_id(slug: str) -> int:
        return db.session.scalar(select(Region.id).where(Region.slug == slug))

    booked = followup_support.make_round(db.session)
    spaning = followup_support.make_round(db.session, booked=(), kind="spaning", theme=f"Spaningsgruppen {tag}")
    db.session.commit()
    slot = followup_support.slots_of(db.session, booked)[0]
    fresh = rounds_support.make_round(db.session, planner, open_for_booking=False)
    series = rounds_support.make_round(
        db.session, planner, open_for_booking=False, recurrence="quarterly",
        meetings=[dialogues.local_interval(date(2030, 1, 15), time(9, 0), time(10, 0))])
    project = projects.create_project({"title": f"Dubbelprojekt {tag}", "grant_date": "2026-06-01",
                                       "regions": ["ostergotland"], "status": "draft"}, planner)
    first, second = (calendar.save_call(CallData(funder_slug="vinnova", title=f"Utlysning {tag} {n}",
                                                 reference=f"D-{tag}-{n}", opens_on=date(2031, 2, 1),
                                                 deadlines=(Deadline("", date(2031, 5, 1)),)), actor=planner)
                     for n in (1, 2))
    draft = calendar.store_draft(ICS_FILE.read_bytes(), ICS_FILE.name, "ics", "vinnova", planner)
    ruling = rulings_service.create_ruling(dict(RULING, title=f"Utkast {tag}"), taskforce, reason="")
    ids = {"booked": booked.id, "spaning": spaning.id, "slot": slot.id, "fresh": fresh.id, "series": series.id,
           "project": project.id, "first": first.id, "second": second.id, "ruling": ruling.id}
    db.session.commit()

    return {
        "priorities.new_priority": Case("strategist", "/priorities/regions/ostergotland/priorities/new", {
            "title": f"Batterier {tag}", "title_en": "Batteries", "description": "Batteriproduktion.",
            "keywords": "batteri", "codes_economic": "C27", "codes_scientific": "2.2",
            "codes_policy": ["energy_production_and_distribution"]}, "priorities"),
        "projects.new": Case("planner", "/projects/new", {
            "title": f"Nytt projekt {tag}", "description": "Beskrivning", "regions": ["ostergotland"],
            "grant_date": "2026-06-01", "status": "draft"}, "projects"),
        "projects.partner_new": Case("planner", f"/projects/{ids['project']}/partners/new", {
            "name": f"Verkstad {tag} AB", "kind": "undertaking", "size_stated": "small"}, "project_partners"),
        "projects.import_project": Case("planner", "/projects/import", {}, "projects",
                                        files={"file": ("p.yaml", PROJECT_YAML % tag.encode())}),
        "de_minimis.index": Case("planner", "/projects/de-minimis", {
            "beneficiary_org_number": "556100-0001", "beneficiary_name": f"Bolaget {tag} AB",
            "grantor": "Region X", "grant_date": "2025-03-02", "amount_eur": "1000",
            "regulation": "2023/2831"}, "de_minimis_grants"),
        "dialogue_followup.add_action": Case("planner", f"/dialogues/rounds/{ids['booked']}/follow-up/actions", {
            "action-region": "ostergotland", "action-owner_kind": "agency", "action-owner": "vinnova",
            "action-description": f"Utred demonstrator {tag}", "action-due_date": "2031-01-31"},
            "dialogue_followup_actions"),
        "dialogue_followup.add_feedback": Case("strategist", f"/dialogues/rounds/{ids['booked']}/follow-up/feedback", {
            "feedback-region": "ostergotland", "feedback-organisation": "region-ostergotland",
            "feedback-led_to": f"Gemensam ansökan {tag}", "feedback-reported_on": "2026-05-02"}, "dialogue_feedback"),
        "dialogue_followup.horizon_notes": Case("planner", f"/dialogues/rounds/{ids['spaning']}/horizon-notes", {
            "signal": f"Partnerships {tag}", "horizon_years": "5", "relevance": "Stor"}, "dialogue_horizon_notes"),
        "dialogue_session.slot_note": Case("planner", f"/dialogues/slots/{ids['slot']}/note",
                                           {"text": f"Bra fråga {tag}"}, "dialogue_slot_notes"),
        "stateaid.new": Case("taskforce", "/stateaid/rulings/new", dict(RULING, title=f"Avgörande {tag}"),
                             "rulings"),
        "stateaid.revise": Case("taskforce", f"/stateaid/rulings/{ids['ruling']}/revise",
                                dict(RULING, title=f"Utkast {tag}", facts="Nya fakta", reason="Nya fakta"),
                                "ruling_revisions"),
        "calendar.call_new": Case("planner", "/calendar/calls/new", {
            "funder": "vinnova", "reference": f"N-{tag}", "title": f"Testutlysning {tag}", "opens_on": "2031-02-01",
            "deadlines": "2031-05-06 14:00"}, "calls"),
        "calendar.import_confirm": Case("planner", "/calendar/import/confirm", {"draft": draft.token}, "calls"),
        "calendar.coordinate": Case("planner", f"/calendar/calls/{ids['first']}/coordinate", {
            "other": str(ids["second"]), "name": f"Samordning {tag}"}, "call_coordination_sets"),
        "dialogues.create": Case("planner", "/dialogues/new", {
            "theme": f"Hållbar industri {tag}", "kind": "snabbdialog", "lead_organisation": "vinnova",
            "lead_area": "vinnova-hallbar-industri", "agencies": ["tillvaxtverket"],
            "presentation_minutes": "10", "questions_minutes": "0", "buffer_minutes": "0", "recurrence": "none",
            "meetings-0-day": "2030-09-10", "meetings-0-start": "09:00", "meetings-0-end": "10:00"},
            "dialogue_rounds"),
        "dialogues.next_in_series": Case("planner", f"/dialogues/{ids['series']}/next", {}, "dialogue_rounds"),
        "dialogues.invite": Case("planner", f"/dialogues/{ids['fresh']}/invite", {
            "regions": [str(region_id("vastmanland"))]}, "dialogue_invitations"),
        "auth.create_token": Case("any", "/profile/tokens", {"name": f"laptop {tag}"}, "api_tokens"),
    }


RULING = {
    "title": "Exempel: tjänster via intermediär",
    "question": "Är stöd till en intermediär som levererar tjänster till företag indirekt statsstöd?",
    "facts": "En regional innovationsaktör får medel och ger företag rådgivning utan kostnad.",
    "assessment": "Fördelen förs vidare till företagen eftersom tjänsterna ges under marknadspris.",
    "conclusion": "Indirekt stöd; tjänsterna ges som de minimis-stöd.",
    "legal_basis": "TFEU art. 107(1)\n(EU) 2023/2831 art. 3",
    "topics": ["intermediary_services"],
    "agencies": ["vinnova", "tillvaxtverket"],
    "flag_codes": ["INDIRECT_AID_VIA_INTERMEDIARY"],
    "decided_on": "2026-03-01",
    "reason": "",
}
