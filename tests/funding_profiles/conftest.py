"""The demo project, described once and with cost types on its budget lines."""

from __future__ import annotations

import pytest


@pytest.fixture
def described_project(db_session):
    from synergy_app.funding_profiles.demo import describe_demo
    from synergy_app.projects import checking
    from synergy_app.projects.demo import DEMO_TITLE, seed_demo
    from synergy_app.projects.models import Project

    seed_demo()
    project_id = db_session.query(Project.id).filter(Project.title == DEMO_TITLE).scalar()
    describe_demo(checking.load_project(project_id))
    db_session.expire_all()
    return checking.load_project(project_id)


@pytest.fixture
def planner(make_user, login):
    return login(make_user("planner"))
