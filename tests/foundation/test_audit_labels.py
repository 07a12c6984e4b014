"""The audit log reads as words: every action the code records has a name in both languages, and the
admin's log and account pages show those names, never the stored keys."""

from __future__ import annotations

import re
from pathlib import Path

from synergy_app.audit.labels import ACTIONS, OBJECTS
from synergy_app.priorities.models_decisions import VERDICTS

PACKAGE = Path(__file__).resolve().parents[2] / "synergy_app"
RECORDED = re.compile(r'record\(\s*"([a-z_]+\.[a-z_.]+)"|audit_action(?:: str)? = "([a-z_]+\.[a-z_.]+)"')


def _recorded_actions() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for match in RECORDED.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    return found | {f"match.{verdict}" for verdict in VERDICTS}


def test_every_recorded_action_has_a_name_in_swedish_and_english():
    actions = _recorded_actions()
    assert len(actions) > 60  # the scan finds the code's actions (not an empty search)
    assert sorted(actions - set(ACTIONS)) == []
    for names in (*ACTIONS.values(), *OBJECTS.values()):
        assert all(name and "_" not in name and "." not in name for name in names), names


def test_the_audit_log_shows_names_not_keys(client, make_user, login, db_session):
    admin = login(make_user("admin"))
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Loggade in" in page and "Konto" in page
    assert "user.login" not in page and ">users<" not in page
    english = client.get("/admin/audit?lang=en").get_data(as_text=True)
    assert "Logged in" in english and "Account" in english
    history = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert "Logged in" in history and "user.login" not in history
