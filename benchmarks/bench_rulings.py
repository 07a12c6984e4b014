"""Ruling search at scale: 10,000 rulings, full-text queries with filters, ranked and highlighted.

SQLite always (a scratch file); PostgreSQL too when DATABASE_URL points at one (a scratch
schema, dropped afterwards). The database is built by the migrations, as in production.

    python -m benchmarks rulings
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text

from benchmarks.common import Figure

N = 10_000
TARGET_MS = 100

SUBJECTS = ["intermediären", "intermediärer", "science parken", "klusterorganisationen", "regionen",
            "myndigheten", "företagen", "forskningsorganisationen", "innovationsbolaget", "inkubatorn"]
VERBS = ["levererar", "erbjuder", "finansierar", "prissätter", "förmedlar", "upphandlar", "redovisar"]
OBJECTS = ["rådgivning", "tjänster", "testmiljöer", "analyser", "workshops", "driftsstöd", "lokaler",
           "kompetensförsörjning", "affärsutveckling", "kunskapsspridning"]
QUALIFIERS = ["under marknadspris", "utan ersättning", "på marknadsmässiga villkor", "enligt de minimis",
              "som icke-ekonomisk verksamhet", "med transparent prissättning", "med skattekonsekvenser",
              "inom GBER", "efter domen C-164/21", "i flera led"]
TOPICS = ["intermediary_services", "intermediary_firm_boundary", "funder_intermediary_boundary",
          "transparent_pricing", "non_economic_activity", "tax_consequences", "cluster_operating_aid",
          "research_organisation"]
ACTS = [("(EU) 651/2014", "25"), ("(EU) 651/2014", "27"), ("(EU) 651/2014", "28"), ("TFEU", "107"),
        ("(EU) 2023/2831", "3")]
QUERIES = [
    {"q": "bedömningar"},
    {"q": "intermediär rådgivning"},
    {"q": "prissättningen tjänsterna"},
    {"q": "driftsstöd", "topic": "cluster_operating_aid"},
    {"q": "icke-ekonomisk verksamheten", "status": "agreed"},
    {"q": "testmiljö", "legal_basis": "GBER art. 28"},
    {"q": "marknadspris", "from": "2025-01-01", "to": "2025-12-31"},
    {"topic": "transparent_pricing", "agency": "vinnova"},
]


def _sentence(rng: random.Random) -> str:
    return (f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
            f"{rng.choice(QUALIFIERS)}.")


def _text(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _populate(app) -> None:
    from synergy_app.directory.models import Organisation
    from synergy_app.extensions import db
    from synergy_app.stateaid.models import (
        Ruling,
        RulingAgency,
        RulingFlag,
        RulingLegalBasis,
        RulingRevision,
        RulingTopic,
    )
    from synergy_app.stateaid.rulings_search import stemmed

    rng = random.Random(11)
    with app.app_context():
        db.session.execute(insert(Organisation), [
            {"id": 1, "slug": "vinnova", "name": "Vinnova", "kind": "national_agency", "is_funder": True},
            {"id": 2, "slug": "tillvaxtverket", "name": "Tillväxtverket", "kind": "national_agency", "is_funder": True},
        ])
        now = datetime(2026, 1, 1, tzinfo=UTC)
        rulings, revisions, topics, bases, agencies, flags, fts = [], [], [], [], [], [], []
        for i in range(1, N + 1):
            status = rng.choices(["agreed", "draft", "superseded"], weights=[7, 2, 1])[0]
            rulings.append({"id": i, "number": f"TF-{2020 + i % 7}-{i:05d}", "status": status, "current_number": 1,
                            "created_at": now})
            row = {"id": i, "ruling_id": i, "number": 1, "title": f"Avgörande {i}: {rng.choice(OBJECTS)}",
                   "question": _text(rng, 1) + " Är det statsstöd?", "facts": _text(rng, 3),
                   "assessment": _text(rng, 5) + " Bedömningen gäller " + rng.choice(OBJECTS) + ".",
                   "conclusion": _text(rng, 1), "legal_basis": [], "topics": [], "agencies": ["vinnova"],
                   "flag_codes": [], "project_keys": [], "related": [],
                   "decided_on": date(2022, 1, 1) + timedelta(days=rng.randrange(1500)),
                   "author_label": "bench", "reason": "bench", "created_at": now}
            chosen_topics = rng.sample(TOPICS, 2)
            act, article = rng.choice(ACTS)
            row["topics"] = chosen_topics
            row["legal_basis"] = [{"act": act, "article": article, "citation": f"{act} art. {article}"}]
            revisions.append(row)
            topics += [{"revision_id": i, "topic": t} for t in chosen_topics]
            bases.append({"revision_id": i, "position": 0, "act": act, "article": article})
            agencies.append({"revision_id": i, "organisation_id": 1 + i % 2})
            if rng.random() < 0.3:
                flags.append({"revision_id": i, "flag_code": "INDIRECT_AID_VIA_INTERMEDIARY"})
            fts.append({"id": i, **{f: stemmed(row[f]) for f in ("title", "question", "facts", "assessment",
                                                                   "conclusion")}})
        db.session.execute(insert(Ruling), rulings)
        db.session.execute(insert(RulingRevision), revisions)
        for model, rows in ((RulingTopic, topics), (RulingLegalBasis, bases), (RulingAgency, agencies),
                            (RulingFlag, flags)):
            db.session.execute(insert(model), rows)
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text(
                "INSERT INTO ruling_search (ruling_id, document) SELECT ruling_id,"
                " setweight(to_tsvector('swedish', title || ' ' || question || ' ' || conclusion), 'A')"
                " || setweight(to_tsvector('swedish', facts || ' ' || assessment), 'B')"
                " || setweight(to_tsvector('english', title || ' ' || question || ' ' || conclusion), 'C')"
                " || setweight(to_tsvector('english', facts || ' ' || assessment), 'D') FROM ruling_revisions"))
            db.session.execute(text("ANALYZE"))
        else:
            db.session.execute(text("INSERT INTO ruling_fts (rowid, title, question, facts, assessment, conclusion)"
                                    " VALUES (:id, :title, :question, :facts, :assessment, :conclusion)"), fts)
            db.session.execute(text("ANALYZE"))
        db.session.commit()


def _measure(app, label: str) -> list[Figure]:
    from synergy_app.extensions import db
    from synergy_app.stateaid.rulings_search import filters_from_args, search

    figures = []
    with app.test_request_context():
        samples_all = []
        for args in QUERIES:
            filters = filters_from_args(args)
            search(filters, include_drafts=False)  # warm-up
            samples = []
            for _ in range(9):
                started = time.perf_counter()
                result = search(filters, include_drafts=False, page=1, page_size=20)
                samples.append((time.perf_counter() - started) * 1000)
            assert result.total > 0, args
            samples_all.append(statistics.median(samples))
        db.session.remove()
    figures.append(Figure(f"rulings ({label}): search over {N:,} rulings, median of 8 queries",
                          statistics.median(samples_all), "ms", TARGET_MS))
    figures.append(Figure(f"rulings ({label}): slowest query's median", max(samples_all), "ms"))
    return figures


def _app(url: str, engine_options: dict | None = None):
    from flask_migrate import upgrade

    from synergy_app import create_app

    overrides = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True, "SERVER_NAME": "localhost"}
    if engine_options:
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options
    app = create_app(overrides)
    with app.app_context():
        upgrade()
    return app


def _quiet_alembic() -> None:
    import logging

    logging.getLogger("alembic").setLevel(logging.WARNING)


def run() -> list[Figure]:
    _quiet_alembic()
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        _quiet_alembic()
        _populate(app)
        figures += _measure(app, "SQLite FTS5")
        with app.app_context():
            from synergy_app.extensions import db

            db.engine.dispose()
    url = os.environ.get("DATABASE_URL", "").strip()
    if url.startswith("postgresql"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            app = _app(url, {"connect_args": {"options": f"-csearch_path={schema}"}})
            _quiet_alembic()
            _populate(app)
            figures += _measure(app, "PostgreSQL")
            with app.app_context():
                from synergy_app.extensions import db

                db.engine.dispose()
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    return figures


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
