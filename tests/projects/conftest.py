"""Fixtures for the project tests: the demo project and users bound to its regions."""

from __future__ import annotations

import pytest


@pytest.fixture
def demo_project(db_session):
    from synergy_app.projects import checking
    from synergy_app.projects.demo import DEMO_TITLE, seed_demo
    from synergy_app.projects.models import Project

    seed_demo()
    project_id = db_session.query(Project.id).filter(Project.title == DEMO_TITLE).scalar()
    return checking.load_project(project_id)


@pytest.fixture
def planner(make_user, login):
    return login(make_user("planner"))
