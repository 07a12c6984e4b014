"""Planners' decisions respected by every ranking and audited; editing priorities and areas; permissions."""

from __future__ import annotations

import re

from sqlalchemy import select

from synergy_app.audit.models import AuditEntry
from synergy_app.directory.models import Organisation
from synergy_app.priorities import public
from synergy_app.priorities.models import Area, Priority
from synergy_app.priorities.models_decisions import MatchDecision

HALLBAR = "vinnova-hallbar-industri"


def _ranked(client) -> list[str]:
    html = client.get(f"/priorities/areas/{HALLBAR}").get_data(as_text=True)
    return re.findall(r'<li id="region-([a-z-]+)" class="card">', html)


def _first_priority_of(db_session, region_slug: str) -> Priority:
    return db_session.scalar(select(Priority).join(Priority.region).where(
        Priority.region.has(slug=region_slug)).order_by(Priority.id))


def test_reject_removes_the_pair_from_every_ranking_and_is_audited(client, make_user, login, db_session):
    login(make_user("planner"))
    before = public.regions_for_area(HALLBAR)
    top = before[0]
    slug = top["priorities"][0]["slug"]
    response = client.post(f"/priorities/areas/{HALLBAR}/decisions",
                           data={"priority": slug, "verdict": "rejected", "note": "Not this round"})
    assert response.status_code == 302
    after = public.regions_for_area(HALLBAR)
    shown = {p["slug"] for r in after for p in r["priorities"]}
    assert slug not in shown
    region_view = public.areas_for_region(top["region_slug"])
    assert all(p["slug"] != slug for r in region_view if r["area_slug"] == HALLBAR for p in r["priorities"])
    api = client.get(f"/priorities/areas/{HALLBAR}").get_data(as_text=True)
    assert "Avvisade matchningar" in api and "Not this round" in api
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "match.rejected"))
    assert entry is not None and entry.changes["priority"] == slug and entry.changes["verdict"]["to"] == "rejected"


def test_added_match_comes_first_and_confirm_replaces_reject(client, make_user, login, db_session):
    login(make_user("planner"))
    gotland = _first_priority_of(db_session, "gotland")
    assert gotland is not None
    response = client.post(f"/priorities/areas/{HALLBAR}/decisions",
                           data={"priority": gotland.slug, "verdict": "added"})
    assert response.status_code == 302
    ranks = public.regions_for_area(HALLBAR)
    assert ranks[0]["region_slug"] == "gotland" and ranks[0]["decided"]
    assert _ranked(client)[0] == "gotland"
    assert "Tillagd av handläggare" in ranks[0]["priorities"][0]["explanation_sv"]
    # One row per pair: the next verdict replaces the earlier one; both are in the audit log.
    client.post(f"/priorities/areas/{HALLBAR}/decisions", data={"priority": gotland.slug, "verdict": "rejected"})
    rows = db_session.scalars(select(MatchDecision).where(MatchDecision.priority_id == gotland.id)).all()
    assert [r.verdict for r in rows] == ["rejected"]
    assert "gotland" not in _ranked(client)
    actions = db_session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("match.%"))).all()
    assert {"match.added", "match.rejected"} <= set(actions)


def test_decision_bad_input_saves_nothing(client, make_user, login, db_session):
    login(make_user("planner"))
    count = db_session.scalar(select(MatchDecision.id).limit(1))
    assert client.post(f"/priorities/areas/{HALLBAR}/decisions", data={"verdict": "confirmed"}).status_code == 400
    bad = client.post(f"/priorities/areas/{HALLBAR}/decisions", data={"priority": "nope", "verdict": "confirmed"})
    assert bad.status_code == 400 and "nope" in bad.get_data(as_text=True)
    p = _first_priority_of(db_session, "gotland")
    odd = client.post(f"/priorities/areas/{HALLBAR}/decisions", data={"priority": p.slug, "verdict": "maybe"})
    assert odd.status_code == 400
    assert db_session.scalar(select(MatchDecision.id).limit(1)) == count


def test_only_planners_of_the_agency_decide(client, make_user, login, db_session):
    p = _first_priority_of(db_session, "gotland")
    login(make_user("strategist", region="gotland"))
    assert client.post(f"/priorities/areas/{HALLBAR}/decisions",
                       data={"priority": p.slug, "verdict": "added"}).status_code == 403
    other = db_session.scalar(select(Organisation).where(Organisation.slug == "tillvaxtverket"))
    login(make_user("planner", organisation_id=other.id))
    assert client.post(f"/priorities/areas/{HALLBAR}/decisions",
                       data={"priority": p.slug, "verdict": "added"}).status_code == 403
    assert "Bekräfta" not in client.get(f"/priorities/areas/{HALLBAR}").get_data(as_text=True)
    assert db_session.scalar(select(MatchDecision.id).limit(1)) is None


def test_reader_sees_no_decision_buttons(client, make_user, login):
    login(make_user("reader"))
    html = client.get(f"/priorities/areas/{HALLBAR}").get_data(as_text=True)
    assert 'name="verdict"' not in html


def _form(**overrides):
    data = {"title": "Batterier och elektrifiering", "title_en": "Batteries", "description": "Batteriproduktion.",
            "keywords": "batteri, elektrifiering", "codes_economic": "C27, D35", "codes_scientific": "2.2",
            "codes_policy": ["energy_production_and_distribution"]}
    data.update(overrides)
    return data


def test_strategist_adds_and_edits_own_region_priority(client, make_user, login, db_session):
    login(make_user("strategist", region="vastmanland"))
    response = client.post("/priorities/regions/vastmanland/priorities/new", data=_form())
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    created = db_session.scalar(select(Priority).where(Priority.title == "Batterier och elektrifiering"))
    assert created.region.slug == "vastmanland"
    assert created.codes == {"economic": ["C27", "D35"], "scientific": ["2.2"],
                             "policy": ["energy_production_and_distribution"]}
    assert created.keywords == ["batteri", "elektrifiering"]
    edit = client.post(f"/priorities/priorities/{created.slug}/edit", data=_form(title="Batterier"))
    assert edit.status_code == 302
    db_session.refresh(created)
    assert created.title == "Batterier"
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "priority.update"))
    assert entry.changes["title"] == {"from": "Batterier och elektrifiering", "to": "Batterier"}
    # The new priority takes part in matching straight away.
    ranks = public.areas_for_region("vastmanland")
    assert any(p["slug"] == created.slug for r in ranks for p in r["priorities"])
    # Another region's priority: refused.
    other = _first_priority_of(db_session, "gotland")
    assert client.get(f"/priorities/priorities/{other.slug}/edit").status_code == 403
    assert client.post("/priorities/regions/gotland/priorities/new", data=_form()).status_code == 403


def test_priority_without_text_or_codes_is_refused_naming_the_fields(client, make_user, login, db_session):
    login(make_user("strategist", region="vastmanland"))
    p = _first_priority_of(db_session, "vastmanland")
    before = (p.title, dict(p.codes))
    empty = {"title": "", "description": "", "keywords": "", "codes_economic": "", "codes_scientific": ""}
    response = client.post(f"/priorities/priorities/{p.slug}/edit", data=empty)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "behöver text (titel, beskrivning eller nyckelord) eller minst en kod" in html
    assert 'aria-invalid="true"' in html
    db_session.refresh(p)
    assert (p.title, dict(p.codes)) == before


def test_unknown_codes_are_refused(client, make_user, login, db_session):
    login(make_user("strategist", region="vastmanland"))
    response = client.post("/priorities/regions/vastmanland/priorities/new",
                           data=_form(codes_economic="C99", codes_scientific="9.9", codes_policy=["flying_cars"]))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "C99" in html and "9.9" in html and "flying_cars" in html
    assert db_session.scalar(select(Priority).where(Priority.title == "Batterier och elektrifiering")) is None


def test_planner_edits_own_agency_area_only(client, make_user, login, db_session):
    vinnova = db_session.scalar(select(Organisation).where(Organisation.slug == "vinnova"))
    login(make_user("planner", organisation_id=vinnova.id))
    area = db_session.scalar(select(Area).where(Area.slug == HALLBAR))
    assert client.get(f"/priorities/areas/{HALLBAR}/edit").status_code == 200
    data = _form(title="Hållbar industri", codes_economic="C, C28", codes_scientific="2.3",
                 codes_policy=["advanced_manufacturing"])
    assert client.post(f"/priorities/areas/{HALLBAR}/edit", data=data).status_code == 302
    db_session.refresh(area)
    assert area.codes["economic"] == ["C", "C28"] and area.codes_origin == "assigned"
    other = db_session.scalar(select(Area).join(Area.organisation).where(Organisation.slug != "vinnova"))
    assert client.get(f"/priorities/areas/{other.slug}/edit").status_code == 403
