"""National-scale data for load measurements: the 21 regions of the reference data, 50 funders,
2,000 calls, 300 joint projects and 1,000 rulings, generated from a fixed seed.

Everything is written through the application's own services (validation, audit log, search index),
so the database looks as if people had entered it. The generated records are recognisable as such:
funders are called "Testfinansiär NN", projects "Benchmarkprojekt N", calls "Utlysning N".

This is a benchmark module, not a `flask seed` option: the records carry no meaning (a newcomer
learns nothing from 2,000 invented calls, and they would bury the worked demo examples), and the
shipped command line stays free of code whose only purpose is measurement. An operator who wants to
size a staging deployment can still fill its database with it:

    python -m benchmarks.national --database-url postgresql://synergy@staging-db/synergy

(migrated and seeded first: `flask db upgrade && flask seed`). Run it once per database: calls are
matched by identity and come out unchanged, but projects and rulings would be added a second time.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta

from benchmarks.bench_calendar import make_calls
from benchmarks.bench_rulings import ACTS, OBJECTS, TOPICS, _text
from benchmarks.bench_stateaid import project_mapping

SEED = 2026
FUNDERS = 50
CALLS = 2_000
PROJECTS = 300
RULINGS = 1_000
# The project whose page is measured: about twenty partners, like a large national consortium.
LARGE_PROJECT_PARTNERS = 20
LARGE_PROJECT_TITLE = "Benchmarkprojekt 0"  # project_mapping's title for seed 0


@dataclass(frozen=True)
class NationalData:
    """What the load measurement needs to know about the generated data."""

    regions: int
    funders: int
    calls: int
    projects: int
    rulings: int
    large_project_id: int
    seconds: float


def _add_funders(total: int) -> list[str]:
    """Keep the reference funders and add generated ones until there are `total`."""
    from sqlalchemy import select

    from synergy_app.directory.models import Organisation
    from synergy_app.extensions import db

    slugs = list(db.session.scalars(select(Organisation.slug).where(Organisation.is_funder.is_(True))
                                    .order_by(Organisation.slug)))
    n = 0
    while len(slugs) < total:
        n += 1
        slug = f"testfinansiar-{n:02d}"
        if slug in slugs:
            continue
        db.session.add(Organisation(slug=slug, name=f"Testfinansiär {n:02d}", kind="funder", is_funder=True,
                                    source_title="Genererad för lastmätning", source_retrieved=date(2026, 11, 23)))
        slugs.append(slug)
    db.session.commit()
    return slugs


def _add_calls(funders: list[str], regions: list[str], rng: random.Random) -> int:
    """Each funder imports its calls as a CSV file, through the calendar's own import (preview, then commit)."""
    from synergy_app.calendar import service
    from synergy_app.calendar.export_tabular import calls_to_csv

    # Four years from 1 Jan 2025, so every current year until 2028 holds about 500 calls.
    calls = make_calls(CALLS, funders=len(funders), years=4, seed=SEED)
    by_funder: dict[str, list] = {slug: [] for slug in funders}
    for i, call in enumerate(calls):
        picked = tuple(rng.sample(regions, rng.choice((0, 0, 1, 3))))
        by_funder[funders[i % len(funders)]].append(replace(call, funder_slug=funders[i % len(funders)],
                                                            regions=picked))
    for slug, own in by_funder.items():
        preview = service.preview_import(calls_to_csv(own), "csv", slug)
        service.commit_import(preview, actor="seed", filename=f"{slug}.csv")
    return len(calls)


def _add_projects(regions: list[str]) -> tuple[int, int]:
    from synergy_app.projects import service
    from synergy_app.stateaid.project_document import document_from_mapping

    large = service.import_document(document_from_mapping(project_mapping(LARGE_PROJECT_PARTNERS, seed=0)),
                                    "seed", ["norrbotten"])
    assert large.title == LARGE_PROJECT_TITLE
    for n in range(1, PROJECTS):
        service.import_document(document_from_mapping(project_mapping(3 + n % 18, seed=n)), "seed",
                                [regions[n % len(regions)]])
    return PROJECTS, large.id


def _add_rulings(rng: random.Random) -> int:
    from synergy_app.stateaid import rulings_service as service

    for i in range(RULINGS):
        act, article = rng.choice(ACTS)
        decided = date(2022, 1, 1) + timedelta(days=rng.randrange(1500))
        ruling = service.create_ruling({
            "title": f"Avgörande {i + 1}: {rng.choice(OBJECTS)}",
            "question": _text(rng, 1) + " Är det statsstöd?",
            "facts": _text(rng, 3),
            "assessment": _text(rng, 5) + " Bedömningen gäller " + rng.choice(OBJECTS) + ".",
            "conclusion": _text(rng, 1),
            "legal_basis": [f"{act} art. {article}"],
            "topics": rng.sample(TOPICS, 2),
            "agencies": [rng.choice(("vinnova", "tillvaxtverket"))],
            "flag_codes": ["INDIRECT_AID_VIA_INTERMEDIARY"] if rng.random() < 0.3 else [],
            "decided_on": decided.isoformat(),
        }, "seed")
        # Most of the log is agreed, as it would be after a few years; the rest stay drafts.
        if rng.random() < 0.8:
            service.agree_ruling(ruling, "seed")
    return RULINGS


def populate() -> NationalData:
    """Add the national-scale records to the current app's database (reference data already loaded)."""
    from sqlalchemy import func, select

    from synergy_app.directory.models import Region
    from synergy_app.extensions import db

    started = time.perf_counter()
    rng = random.Random(SEED)
    regions = list(db.session.scalars(select(Region.slug).order_by(Region.county_code)))
    funders = _add_funders(FUNDERS)
    calls = _add_calls(funders, regions, rng)
    projects, large_id = _add_projects(regions)
    rulings = _add_rulings(rng)
    n_regions = db.session.scalar(select(func.count(Region.id)))
    return NationalData(n_regions, len(funders), calls, projects, rulings, large_id, time.perf_counter() - started)


def _app(database_url: str):
    from synergy_app import create_app

    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url})


def populate_url(database_url: str) -> NationalData:
    """`populate` against a migrated and seeded database given by URL."""
    from synergy_app.extensions import db

    app = _app(database_url)
    with app.app_context():
        try:
            return populate()
        finally:
            db.session.remove()
            db.engine.dispose()


def large_project_id(database_url: str) -> int:
    """The id of the 20-partner project in a database `populate` has filled."""
    from sqlalchemy import select

    from synergy_app.extensions import db
    from synergy_app.projects.models import Project

    app = _app(database_url)
    with app.app_context():
        try:
            found = db.session.scalar(select(Project.id).where(Project.title == LARGE_PROJECT_TITLE))
        finally:
            db.session.remove()
            db.engine.dispose()
    if found is None:
        raise LookupError(f"no project {LARGE_PROJECT_TITLE!r}: fill the database with benchmarks.national first")
    return found


def page_ids(database_url: str) -> dict[str, object]:
    """The records whose pages the load benchmark opens: the 20-partner project, the demo's first
    round, the national area with the most matches' candidates (Vinnova's sustainable industry)."""
    from sqlalchemy import select

    from synergy_app.dialogues.models import DialogueRound
    from synergy_app.extensions import db
    from synergy_app.priorities.models import Area

    project = large_project_id(database_url)
    app = _app(database_url)
    with app.app_context():
        try:
            round_id = db.session.scalar(select(DialogueRound.id).order_by(DialogueRound.id))
            area = db.session.scalar(select(Area.slug).where(Area.slug == "vinnova-hallbar-industri")) \
                or db.session.scalar(select(Area.slug).order_by(Area.id))
        finally:
            db.session.remove()
            db.engine.dispose()
    if round_id is None:
        raise LookupError("no dialogue round: seed the demo data (flask seed --demo) first")
    return {"project": project, "round": round_id, "area": area}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.national", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True,
                        help="a migrated database with the reference data (flask db upgrade && flask seed)")
    args = parser.parse_args(argv)
    data = populate_url(args.database_url)
    print(f"Added {data.funders} funders (in all), {data.calls} calls, {data.projects} projects and "
          f"{data.rulings} rulings in {data.seconds:.0f} s; the {LARGE_PROJECT_PARTNERS}-partner project is "
          f"/projects/{data.large_project_id}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
