from sqlalchemy import func, select

from synergy_app.audit.models import AuditEntry
from synergy_app.core.seed import seed_reference
from synergy_app.directory.models import Organisation, Programme, Region
from synergy_app.priorities.models import Area, Priority
from synergy_app.reference.loader import load


def count(db_session, model):
    return db_session.scalar(select(func.count()).select_from(model))


def test_reference_data_is_loaded_with_all_21_regions(db_session):
    regions = db_session.scalars(select(Region)).all()
    assert len(regions) == 21
    assert {r.county_code for r in regions} == {
        "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20", "21", "22",
        "23", "24", "25"}
    ostergotland = db_session.scalar(select(Region).where(Region.slug == "ostergotland"))
    assert ostergotland.nuts3 == "SE123"
    priorities = db_session.scalars(select(Priority).where(Priority.region_id == ostergotland.id)).all()
    assert priorities, "Östergötland's S3 areas are shipped"
    assert all(p.source_title or p.source_url for p in priorities)


def test_every_reference_record_carries_its_source(db_session):
    for model in (Priority, Area):
        missing = db_session.scalars(select(model.slug).where(model.source_url.is_(None), model.source_title.is_(None)))
        assert missing.all() == []
    data = load()
    assert all(r.source.retrieved for r in data.priorities + data.areas)


def test_seed_twice_changes_nothing(db_session):
    before = {m: count(db_session, m) for m in (Organisation, Region, Priority, Area, Programme, AuditEntry)}
    stats = seed_reference()
    assert not stats
    after = {m: count(db_session, m) for m in (Organisation, Region, Priority, Area, Programme, AuditEntry)}
    assert before == after


def test_seed_restores_an_edited_reference_field_and_audits_it(db_session):
    area = db_session.scalar(select(Area).order_by(Area.id))
    original = area.title
    area.title = "Ändrad"
    db_session.commit()
    stats = seed_reference()
    assert stats["area.updated"] == 1
    db_session.refresh(area)
    assert area.title == original
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "reference.seed").order_by(
        AuditEntry.id.desc()))
    assert entry.changes == {"area.updated": 1}


def test_national_agencies_and_their_areas_are_loaded(db_session):
    vinnova = db_session.scalar(select(Organisation).where(Organisation.slug == "vinnova"))
    assert vinnova is not None and vinnova.kind == "national_agency"
    titles = db_session.scalars(select(Area.title).where(Area.organisation_id == vinnova.id)).all()
    assert "Hållbar industri" in titles


# --- a database seeded with earlier reference data is brought up to date ------------------------------

OLD_SHIPPED = {  # slug -> region of areas an earlier version of the files shipped and later retired
    "jonkoping-tjanstedesign": "jonkoping",
    "dalarna-avancerad-industri": "dalarna",
    "dalarna-energieffektivt-samhallsbyggande": "dalarna",
    "dalarna-halsa-valfard": "dalarna",
    "dalarna-upplevelseproduktion": "dalarna",
}


def _as_seeded_before(db_session):
    """What an earlier `flask seed` left: the retired areas current, Uppsala without areas, the old Vinnova source."""
    from synergy_app.priorities.models_decisions import MatchDecision

    for slug, region_slug in OLD_SHIPPED.items():
        region = db_session.scalar(select(Region).where(Region.slug == region_slug))
        db_session.add(Priority(slug=slug, region_id=region.id, title=slug, description="", keywords=[], codes={},
                                codes_origin="assigned", source_title="earlier source"))
    for p in db_session.scalars(select(Priority).join(Region).where(Region.slug == "uppsala")):
        db_session.delete(p)
    vinnova = db_session.scalar(select(Organisation).where(Organisation.slug == "vinnova"))
    vinnova.source_url = "http://www2.vinnova.se/sv/Om-Vinnova/Regeringsuppdrag/"
    db_session.flush()
    old = db_session.scalar(select(Priority).where(Priority.slug == "dalarna-halsa-valfard"))
    area = db_session.scalar(select(Area).where(Area.slug == "vinnova-hallbar-precisionshalsa"))
    decision = MatchDecision(priority_id=old.id, area_id=area.id, verdict="confirmed", note="earlier decision")
    db_session.add(decision)
    db_session.commit()
    return decision.id


def test_seed_archives_retired_areas_keeps_their_decisions_and_adds_the_corrected_ones(db_session):
    from synergy_app.priorities.models_decisions import MatchDecision

    decision_id = _as_seeded_before(db_session)
    stats = seed_reference()
    assert stats["priority.retired"] == len(OLD_SHIPPED)
    assert stats["priority.created"] == 4  # Uppsala's four areas
    assert stats["organisation.updated"] >= 1  # Vinnova's source
    for slug in OLD_SHIPPED:
        old = db_session.scalar(select(Priority).where(Priority.slug == slug))
        assert old is not None and old.archived, slug  # kept, not deleted
    decision = db_session.get(MatchDecision, decision_id)
    assert decision.priority.slug == "dalarna-halsa-valfard" and decision.note == "earlier decision"
    vinnova = db_session.scalar(select(Organisation).where(Organisation.slug == "vinnova"))
    assert vinnova.source_url == "https://vinnova.se/en/about-us/our-mission/20-years-of-swedish-innovation"
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "reference.seed").order_by(
        AuditEntry.id.desc()))
    assert entry.changes["priority.retired"] == len(OLD_SHIPPED)
    # A second run changes nothing.
    assert not seed_reference()


def test_the_directory_and_matching_leave_retired_areas_out(db_session):
    from synergy_app.directory import queries
    from synergy_app.priorities.matching_service import run
    from synergy_app.priorities.public import region_priorities

    _as_seeded_before(db_session)
    seed_reference()
    jonkoping = queries.region_by_key("jonkoping")
    assert "Tjänstedesign" not in {p.title for p in region_priorities(jonkoping)}
    assert len(region_priorities(jonkoping)) == 5
    dalarna = queries.region_by_key("dalarna")
    assert {p.slug for p in region_priorities(dalarna)}.isdisjoint(OLD_SHIPPED)
    assert not set(OLD_SHIPPED) & {p.slug for p in run().priority_rows.values()}


def test_a_fresh_database_never_gets_the_retired_areas(db_session):
    assert db_session.scalars(select(Priority.slug).where(Priority.slug.in_(OLD_SHIPPED))).all() == []
    region = db_session.scalar(select(Region).where(Region.slug == "vasterbotten"))
    assert region.organisation.details["priorities_coverage"]["stated_count"] == 9
