"""Every page a user can reach speaks one language, names things instead of showing internal keys,
writes plurals and numbers the reader's way; walked as each demo role, in Swedish and in English."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import JSON, String, Text, select

from synergy_app.core.cli import seed_demo_content
from tests.crawl import crawl, data_pattern, problems_in, read_page

DEMO_PASSWORD = "demo-synergi-2026"
ACCOUNTS = {
    "planner": "planerare@demo.synergy.invalid",
    "strategist": "strateg.ostergotland@demo.synergy.invalid",
    "taskforce": "taskforce@demo.synergy.invalid",
    "reader": "lasare@demo.synergy.invalid",
}

# Where the walk begins: the start page, and the largest pages of each kind (which hold the most words).
START = ("/start", "/directory/organisations/vinnova", "/directory/regions/ostergotland")


def _slugs(db_session) -> frozenset[str]:
    from synergy_app.directory.models import Organisation, Region

    names = dict(db_session.execute(select(Organisation.slug, Organisation.name)).all())
    names |= dict(db_session.execute(select(Region.slug, Region.name)).all())
    # A slug that is its own name in lower case ("vinnova", "regionerna") is also a word a page may use.
    return frozenset(slug for slug, name in names.items() if not name.casefold().startswith(slug))


def _stored_texts(db_session) -> re.Pattern[str]:
    """Every text the users and the reference data wrote, as one pattern."""
    from synergy_app.database import db

    values: list[str] = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text) and "hash" not in c.name]
        for column in columns:
            values += [v for v in db_session.scalars(select(column).distinct()) if isinstance(v, str)]
        for column in [c for c in table.columns if isinstance(c.type, JSON)]:
            values += [v for doc in db_session.scalars(select(column)) for v in _strings(doc)]
    return data_pattern(values)


def _strings(doc) -> list[str]:
    if isinstance(doc, str):
        return [doc]
    if isinstance(doc, dict):
        doc = list(doc.values())
    return [s for item in doc for s in _strings(item)] if isinstance(doc, list) else []


@pytest.mark.parametrize("role", sorted(ACCOUNTS))
def test_every_page_reads_as_words_in_its_language(client, db_session, role):
    seed_demo_content()
    response = client.post("/login", data={"email": ACCOUNTS[role], "password": DEMO_PASSWORD})
    assert response.status_code == 302
    slugs = _slugs(db_session)
    data = _stored_texts(db_session)
    found: list[str] = []
    for lang in ("sv", "en"):
        client.get(f"/start?lang={lang}")
        walk = crawl(client, START)
        found += walk.failures
        for path, html in walk.pages.items():
            page = read_page(html)
            assert page.page_lang == lang, path
            found += [f"{lang} {path}: {p}" for p in problems_in(page.runs, page.page_lang, slugs, data)]
    assert not found, f"{len(found)} problems:\n" + "\n".join(sorted(set(found)))
