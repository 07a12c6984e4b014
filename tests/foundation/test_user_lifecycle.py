"""Accounts after creation: planners need an agency; admins change role and scope, deactivate, reactivate
and remove accounts on the admin pages and the command line; sessions and tokens end with deactivation."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from synergy_app.audit.models import AuditEntry
from synergy_app.auth import lifecycle
from synergy_app.auth.models import ApiToken, User
from synergy_app.errors import Conflict

from ..conftest import TEST_PASSWORD


def run(app, args, input=None):
    return app.test_cli_runner().invoke(args=args, input=input)


def _client(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def _audit(db_session, action: str, user: User) -> AuditEntry | None:
    return db_session.scalar(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.object_type == "users",
                                                      AuditEntry.object_id == str(user.id)))


# --- creating a planner needs an agency ------------------------------------------------------


def test_cli_creates_a_planner_bound_to_the_named_agency(app, db_session):
    result = run(app, ["users", "create", "--email", "p@test.invalid", "--role", "planner", "--organisation",
                       "tillvaxtverket", "--password-stdin"], input="a-very-secret-passphrase\n")
    assert result.exit_code == 0, result.output
    assert "tillvaxtverket" in result.output
    user = db_session.scalar(select(User).where(User.email == "p@test.invalid"))
    assert user.organisation.slug == "tillvaxtverket"


@pytest.mark.parametrize("extra, message", [
    ([], "A planner must be bound to an agency"),
    (["--organisation", "no-such-agency"], "is not a national agency"),
    (["--organisation", "region-ostergotland"], "is not a national agency"),
])
def test_cli_refuses_a_planner_without_a_real_agency(app, db_session, extra, message):
    result = run(app, ["users", "create", "--email", "p2@test.invalid", "--role", "planner", *extra,
                       "--password-stdin"], input="a-very-secret-passphrase\n")
    assert result.exit_code == 2
    assert "--organisation" in result.output and message in result.output
    assert db_session.scalar(select(User).where(User.email == "p2@test.invalid")) is None


def test_cli_refuses_an_agency_on_a_role_that_has_none(app, db_session):
    result = run(app, ["users", "create", "--email", "r@test.invalid", "--role", "reader", "--organisation",
                       "vinnova", "--password-stdin"], input="a-very-secret-passphrase\n")
    assert result.exit_code == 2 and "Only planners are bound to an agency" in result.output


def test_admin_page_lists_agencies_by_name_and_requires_one_for_planners(app, db_session, make_user):
    client = _client(app, make_user("admin"))
    page = client.get("/admin/users").get_data(as_text=True)
    assert 'name="organisation"' in page and '<option value="vinnova">Vinnova</option>' in page
    refused = client.post("/admin/users", data={"email": "np@test.invalid", "role": "planner", "organisation": "",
                                                "password": "a-very-secret-passphrase"})
    assert refused.status_code == 400
    assert "måste knytas till en myndighet" in refused.get_data(as_text=True)
    assert db_session.scalar(select(User).where(User.email == "np@test.invalid")) is None
    made = client.post("/admin/users", data={"email": "np@test.invalid", "role": "planner", "organisation": "vinnova",
                                             "password": "a-very-secret-passphrase"})
    assert made.status_code == 302
    assert db_session.scalar(select(User).where(User.email == "np@test.invalid")).organisation.slug == "vinnova"


# --- change role and scope -------------------------------------------------------------------


def test_admin_changes_role_and_agency_on_the_user_page_and_it_is_audited(app, db_session, make_user):
    admin = make_user("admin")
    planner = make_user("planner", organisation="vinnova")
    client = _client(app, admin)
    page = client.get(f"/admin/users/{planner.id}")
    assert page.status_code == 200 and planner.email in page.get_data(as_text=True)
    moved = client.post(f"/admin/users/{planner.id}", data={"role": "planner", "organisation": "tillvaxtverket"})
    assert moved.status_code == 303
    db_session.refresh(planner)
    assert planner.organisation.slug == "tillvaxtverket"
    entry = _audit(db_session, "user.update", planner)
    assert entry.actor_id == admin.id and entry.changes["organisation"] == {"from": "vinnova", "to": "tillvaxtverket"}
    bad = client.post(f"/admin/users/{planner.id}", data={"role": "strategist", "region": "", "organisation": ""})
    assert bad.status_code == 400 and "region" in bad.get_data(as_text=True)
    db_session.refresh(planner)
    assert planner.role == "planner"


def test_cli_update_changes_role_and_scope(app, db_session, make_user):
    user = make_user("reader")
    result = run(app, ["users", "update", "--email", user.email, "--role", "strategist", "--region", "05"])
    assert result.exit_code == 0, result.output
    db_session.refresh(user)
    assert user.role == "strategist" and user.region.slug == "ostergotland"
    refused = run(app, ["users", "update", "--email", user.email, "--role", "planner"])
    assert refused.exit_code == 2 and "--organisation" in refused.output
    db_session.refresh(user)
    assert user.role == "strategist"
    assert run(app, ["users", "update", "--email", "nobody@test.invalid", "--role", "reader"]).exit_code == 2


def test_an_unbound_planner_gets_an_agency_from_the_cli_and_may_then_edit(app, db_session):
    from .test_scope_matrix import unbound_planner

    old = unbound_planner(db_session)
    client = _client(app, old)
    assert client.get("/priorities/areas/vinnova-hallbar-industri/edit").status_code == 403
    assert run(app, ["users", "update", "--email", old.email, "--organisation", "vinnova"]).exit_code == 0
    assert client.get("/priorities/areas/vinnova-hallbar-industri/edit").status_code == 200


# --- deactivate and reactivate ---------------------------------------------------------------


def test_deactivation_on_the_admin_page_ends_sessions_tokens_and_login(app, client, db_session, make_user,
                                                                        api_token):
    admin = make_user("admin")
    user = make_user("planner")
    headers = api_token(user)
    assert client.get("/api/v1/rounds", headers=headers).status_code == 200
    their_session = _client(app, user)
    assert their_session.get("/profile").status_code == 200
    admin_client = _client(app, admin)
    done = admin_client.post(f"/admin/users/{user.id}/deactivate")
    assert done.status_code == 303
    db_session.refresh(user)
    assert user.active is False
    # The cookie from before no longer works, nor the token; the token is revoked, not just refused.
    assert their_session.get("/profile").status_code == 302
    assert client.get("/api/v1/rounds", headers=headers).status_code == 401
    assert db_session.scalar(select(func.count(ApiToken.id)).where(ApiToken.user_id == user.id,
                                                                   ApiToken.revoked_at.is_(None))) == 0
    # With the right password the person is told the account is deactivated; with a wrong one, nothing.
    again = app.test_client().post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert again.status_code == 403 and "Kontot är avstängt" in again.get_data(as_text=True)
    wrong = app.test_client().post("/login", data={"email": user.email, "password": "not-the-password!"})
    assert wrong.status_code == 401 and "avstängt" not in wrong.get_data(as_text=True)
    entry = _audit(db_session, "user.deactivate", user)
    assert entry.actor_id == admin.id and entry.changes["tokens_revoked"] == 1
    # Reactivated: the person logs in again; the old token stays revoked.
    assert admin_client.post(f"/admin/users/{user.id}/reactivate").status_code == 303
    assert _client(app, user).get("/profile").status_code == 200
    assert client.get("/api/v1/rounds", headers=headers).status_code == 401
    assert _audit(db_session, "user.reactivate", user).actor_id == admin.id


def test_cli_deactivate_and_reactivate(app, client, db_session, make_user, api_token):
    user = make_user("reader")
    headers = api_token(user)
    session = _client(app, user)
    result = run(app, ["users", "deactivate", "--email", user.email])
    assert result.exit_code == 0, result.output
    assert session.get("/profile").status_code == 302
    assert client.get("/api/v1/rounds", headers=headers).status_code == 401
    assert run(app, ["users", "deactivate", "--email", user.email]).exit_code == 2  # already deactivated
    assert run(app, ["users", "token", "--email", user.email]).exit_code == 2
    assert _audit(db_session, "user.deactivate", user).actor_label == "cli"
    assert run(app, ["users", "reactivate", "--email", user.email]).exit_code == 0
    db_session.refresh(user)
    assert user.active is True


def test_no_admin_deactivates_or_removes_themselves_or_the_last_active_admin(app, db_session, make_user):
    # Other tests' admins are rolled back: these two are the only ones.
    for other in db_session.scalars(select(User).where(User.role == "admin", User.active.is_(True))):
        other.active = False
    db_session.commit()
    admin = make_user("admin")
    client = _client(app, admin)
    for action in ("deactivate", "remove"):
        response = client.post(f"/admin/users/{admin.id}/{action}", data={"confirm": "y"})
        assert response.status_code == 409, action
        assert "ditt eget konto" in response.get_data(as_text=True)
    db_session.refresh(admin)
    assert admin.active and admin.removed_at is None
    assert client.post(f"/admin/users/{admin.id}", data={"role": "reader"}).status_code == 400
    db_session.refresh(admin)
    assert admin.role == "admin"
    # From the command line (no own account) the last active admin is still kept.
    result = run(app, ["users", "deactivate", "--email", admin.email])
    assert result.exit_code == 2 and "only active admin" in result.output
    assert run(app, ["users", "remove", "--email", admin.email, "--yes"]).exit_code == 2
    with pytest.raises(Conflict):
        lifecycle.update_user(admin, role="reader", actor="cli")
    second = make_user("admin")
    assert _client(app, second).post(f"/admin/users/{admin.id}/deactivate").status_code == 303


# --- remove ----------------------------------------------------------------------------------


def test_removal_asks_for_confirmation_then_replaces_personal_data_and_keeps_history(app, db_session, make_user,
                                                                                     api_token, client):
    admin = make_user("admin")
    user = make_user("planner", email="eva.svensson@test.invalid", name="Eva Svensson")
    headers = api_token(user)
    admin_client = _client(app, admin)
    page = admin_client.get(f"/admin/users/{user.id}/remove")
    assert page.status_code == 200 and "Borttagen användare" in page.get_data(as_text=True)
    unconfirmed = admin_client.post(f"/admin/users/{user.id}/remove", data={})
    assert unconfirmed.status_code == 400
    db_session.refresh(user)
    assert user.removed_at is None and user.email == "eva.svensson@test.invalid"
    done = admin_client.post(f"/admin/users/{user.id}/remove", data={"confirm": "y"})
    assert done.status_code == 303
    db_session.refresh(user)
    assert user.name == f"Borttagen användare #{user.id}"
    assert "eva" not in user.email and user.password_hash == "" and user.active is False
    assert user.organisation_id is None and user.removed_at is not None
    assert client.get("/api/v1/rounds", headers=headers).status_code == 401
    login = app.test_client().post("/login", data={"email": "eva.svensson@test.invalid", "password": TEST_PASSWORD})
    assert login.status_code == 401
    # The history keeps the id; the e-mail address is gone from it.
    created = _audit(db_session, "user.create", user)
    assert created is not None and "eva.svensson" not in created.summary
    assert "eva.svensson" not in str(created.changes)
    token_entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "token.create",
                                                             AuditEntry.actor_id == user.id))
    assert token_entry.actor_label == user.name and "eva.svensson" not in token_entry.summary
    removed = _audit(db_session, "user.remove", user)
    assert removed.actor_id == admin.id
    listing = admin_client.get("/admin/users").get_data(as_text=True)
    assert "eva.svensson" not in listing and "Borttaget" in listing
    # A removed account cannot come back.
    assert admin_client.post(f"/admin/users/{user.id}/reactivate").status_code == 409


def test_cli_remove_asks_unless_yes(app, db_session, make_user):
    from ..dialogues.rounds_support import make_round

    user = make_user("planner", email="olle@test.invalid")
    round_ = make_round(db_session, user, open_for_booking=False, people=[user.id])
    assert [p.id for p in round_.people] == [user.id]
    aborted = run(app, ["users", "remove", "--email", user.email], input="n\n")
    assert aborted.exit_code != 0
    db_session.refresh(user)
    assert user.removed_at is None
    result = run(app, ["users", "remove", "--email", user.email], input="y\n")
    assert result.exit_code == 0, result.output
    db_session.refresh(user)
    assert user.removed_at is not None and user.email != "olle@test.invalid"
    assert _audit(db_session, "user.remove", user).actor_label == "cli"
    db_session.refresh(round_)
    assert round_.people == []  # no calendar invitation goes to a removed account


def test_lifecycle_forms_need_their_csrf_token(app, db_session, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        admin, user = make_user("admin"), make_user("reader")
        client = _client_csrf(app, admin)
        for path in (f"/admin/users/{user.id}/deactivate", f"/admin/users/{user.id}/remove",
                     f"/admin/users/{user.id}"):
            assert client.post(path, data={"confirm": "y", "role": "admin"}).status_code == 400, path
        db_session.refresh(user)
        assert user.active and user.removed_at is None and user.role == "reader"
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def _client_csrf(app, user):
    import re

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


def test_the_account_pages_read_in_english(app, db_session, make_user):
    client = _client(app, make_user("admin"))
    user = make_user("planner")
    page = client.get(f"/admin/users/{user.id}?lang=en").get_data(as_text=True)
    assert "Deactivate the account" in page and "Planner (national agency)" in page and "Vinnova" in page
    assert f"Remove {user.email}?" in client.get(f"/admin/users/{user.id}/remove").get_data(as_text=True)



def test_removal_takes_the_person_off_the_rounds_they_receive_invitations_for(app, db_session, make_user):
    from synergy_app.dialogues import service as dialogues
    from synergy_app.dialogues.models import round_people

    from ..dialogues.rounds_support import round_data

    admin, planner, kept = make_user("admin"), make_user("planner"), make_user("planner")
    round_ = dialogues.create_round(round_data(people=[planner.id, kept.id]), kept)
    lifecycle.remove_user(planner, actor=admin)
    people = set(db_session.scalars(select(round_people.c.user_id).where(round_people.c.round_id == round_.id)))
    assert people == {kept.id}
