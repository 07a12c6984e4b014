"""New passwords: long enough, not among the commonest breached passwords, not the e-mail address.

Checked in every place a password is set: `users create`, the admin page, the profile's password change."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from synergy_app.auth.models import User
from synergy_app.auth.passwords import MIN_PASSWORD_LENGTH, common_passwords, password_problems
from tests.conftest import TEST_PASSWORD

COMMON_SV = "Lösenordet är för vanligt"
COMMON_EN = "The password is too common"
EMAIL_SV = "Lösenordet får inte innehålla e-postadressen"
EMAIL_EN = "The password must not contain the e-mail address"

# Each is at least 12 characters, so only the list (or the e-mail rule) can refuse it.
COMMON = ["password1234", "qwerty123456", "1q2w3e4r5t6y", "Password2026!", "QWERTYUIOP123", "iloveyou2024!!",
          "zzzzzzzzzzzzzz"]


def test_the_shipped_list_is_the_documented_one():
    words = common_passwords()
    assert len(words) == 19_640  # Django's 20,000 lines, deduplicated
    assert {"123456", "password", "qwerty123456"} <= words


@pytest.mark.parametrize("password", COMMON)
def test_common_passwords_are_refused_naming_the_field(password):
    [problem] = password_problems(password, "anna@region.se", "new_password")
    assert problem.field == "new_password"
    assert problem.message_sv.startswith(COMMON_SV) and problem.message_en.startswith(COMMON_EN)


@pytest.mark.parametrize("password", ["anna.berg@region.se", "ANNA.BERG@REGION.SE", "anna.berg-2026-secret",
                                      "my-name-is-anna.berg"])
def test_passwords_containing_the_address_or_its_local_part_are_refused(password):
    [problem] = password_problems(password, "Anna.Berg@region.se")
    assert problem.field == "password" and problem.message_en.startswith(EMAIL_EN)


@pytest.mark.parametrize("password", [TEST_PASSWORD, "tre-blå-båtar-i-hamn", "Kalmar län 2026 april",
                                      "s-is-for-sunshine"])
def test_good_passwords_pass(password):
    assert password_problems(password, "s@region.se") == []


def test_the_length_rule_still_comes_first():
    [problem] = password_problems("short", "anna@region.se")
    assert f"minst {MIN_PASSWORD_LENGTH} tecken" in problem.message_sv


def test_users_create_refuses_a_common_password_and_creates_nothing(app, db_session):
    result = app.test_cli_runner().invoke(args=["users", "create", "--email", "first@test.invalid", "--role",
                                                "admin", "--password-stdin"], input="password1234\n")
    assert result.exit_code == 2
    assert "--password" in result.output and COMMON_EN in result.output
    assert db_session.scalar(select(User).where(User.email == "first@test.invalid")) is None


def test_users_create_refuses_the_address_as_password(app, db_session):
    result = app.test_cli_runner().invoke(args=["users", "create", "--email", "greta@test.invalid", "--role",
                                                "reader", "--password-stdin"], input="greta@test.invalid\n")
    assert result.exit_code == 2 and "--password" in result.output and EMAIL_EN in result.output


def test_the_admin_page_refuses_a_common_password_beside_the_field(client, make_user, login, db_session):
    login(make_user("admin"))
    response = client.post("/admin/users", data={"email": "new@test.invalid", "role": "reader", "region": "",
                                                 "password": "qwerty123456"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert COMMON_SV in body
    assert f'id="password-error">{COMMON_SV}' in body  # with the password field, tied to it by aria-describedby
    assert db_session.scalar(select(User).where(User.email == "new@test.invalid")) is None


def test_the_password_change_refuses_common_and_address_passwords(client, make_user, login, db_session):
    user = login(make_user())
    before = user.password_hash
    for new, message in (("password1234", COMMON_SV), (user.email.split("@")[0] + "-is-me-2026", EMAIL_SV)):
        response = client.post("/profile/password", data={"current_password": TEST_PASSWORD, "new_password": new},
                               follow_redirects=True)
        body = response.get_data(as_text=True)
        assert f"Nytt lösenord: {message}" in body
    db_session.refresh(user)
    assert user.password_hash == before
    assert client.get("/start").status_code == 200  # still logged in, nothing changed
