"""Stored projects: a 20-partner project loaded from the database, built into the check document
and checked afresh; the same project loaded with its kept check (the path of the project page, the
API and the PDF when nothing changed since the last check); and the whole project page."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.bench_stateaid import project_mapping
from benchmarks.common import BENCH_PASSWORD, Figure, median_ms


def run() -> list[Figure]:
    from flask_migrate import upgrade

    from synergy_app import create_app
    from synergy_app.core.seed import seed_reference
    from synergy_app.extensions import db
    from synergy_app.projects import check_cache, checking, service
    from synergy_app.stateaid.project_document import document_from_mapping

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
                          "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "TESTING": True})
        with app.app_context():
            upgrade()
            seed_reference()
            project = service.import_document(document_from_mapping(project_mapping(20)), "seed", ["norrbotten"])
            project_id = project.id

            def stored_check():
                db.session.expire_all()
                checking.run_check(checking.load_project(project_id))

            check_ms = median_ms(stored_check, repeat=15)

            def kept_check():
                db.session.expire_all()
                check_cache.check_of(checking.load_project(project_id))

            kept_ms = median_ms(kept_check, repeat=15)

            start = time.perf_counter()
            for n in range(100):
                service.import_document(document_from_mapping(project_mapping(5 + n % 16, seed=n)), "seed")
            import_s = time.perf_counter() - start

        from synergy_app.auth import service as auth_service
        with app.app_context():
            auth_service.create_user("bench@example.invalid", "reader", BENCH_PASSWORD, actor="bench")
        client = app.test_client()
        client.post("/login", data={"email": "bench@example.invalid", "password": BENCH_PASSWORD})
        page_ms = median_ms(lambda: client.get(f"/projects/{project_id}"), repeat=9)
        with app.app_context():
            db.engine.dispose()

    return [
        Figure("projects: load, build and check a stored 20-partner project afresh", check_ms, "ms", 10),
        Figure("projects: load a stored 20-partner project and take its kept check (the pages' path)", kept_ms,
               "ms", 10),
        Figure("projects: project page of a 20-partner project (median)", page_ms, "ms", 300),
        Figure("projects: import 100 project files into the database", import_s, "s", 10),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
