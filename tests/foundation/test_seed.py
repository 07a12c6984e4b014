from sqlalchemy import func, select

from synergy_app.audit.models import AuditEntry
from synergy_app.directory.models import Organisation, Programme, Region
from synergy_app.priorities.models import Area, Priority
from synergy_app.reference.loader import load
from synergy_app.reference.seed import seed_reference


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
