import pytest
from sqlalchemy import select

from synergy_app.audit.models import AuditEntry
from synergy_app.auth.models import User
from tests.conftest import TEST_PASSWORD


def test_login_with_right_password_reaches_the_start_page(client, make_user):
    user = make_user("planner")
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/start")
    page = client.get("/start")
    assert page.status_code == 200
    assert "Välkommen" in page.get_data(as_text=True)


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "wrong-password-123"})
    assert response.status_code == 401
    assert "Fel e-postadress eller lösenord" in response.get_data(as_text=True)
    unknown = client.post("/login", data={"email": "nobody@test.invalid", "password": "wrong-password-123"})
    assert unknown.status_code == 401


def test_login_is_throttled_after_five_failures(client, make_user):
    user = make_user()
    for _ in range(5):
        assert client.post("/login", data={"email": user.email, "password": "nope-nope-nope"}).status_code == 401
    blocked = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert blocked.status_code == 429
    assert "För många" in blocked.get_data(as_text=True)


def test_passwords_are_stored_as_argon2id_hashes(db_session, make_user):
    user = make_user()
    assert user.password_hash.startswith("$argon2id$")
    assert TEST_PASSWORD not in user.password_hash


def test_login_form_rejects_missing_fields_with_field_messages(client):
    response = client.post("/login", data={"email": "", "password": ""})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ange din e-postadress." in body and "Ange ditt lösenord." in body
    assert 'aria-invalid="true"' in body


def test_pages_require_login(client):
    response = client.get("/directory/regions")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_security_headers_and_cookie_flags(client, make_user, login):
    login(make_user())
    response = client.get("/start")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    login_response = client.post("/login", data={"email": "x@test.invalid", "password": "y"})
    assert login_response.headers["Referrer-Policy"] == "same-origin"


def test_changing_password_ends_other_sessions(app, client, make_user, login):
    user = login(make_user())
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert other.get("/start").status_code == 200
    response = client.post("/profile/password", data={"current_password": TEST_PASSWORD,
                                                      "new_password": "a-brand-new-password"})
    assert response.status_code == 302
    assert client.get("/start").status_code == 200, "the session that changed the password stays"
    assert other.get("/start").status_code == 302, "other sessions are logged out"


def test_csrf_is_required_on_forms(app, db_session, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        user = make_user()
        response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
        assert response.status_code == 400
        assert "säkerhetsnyckel" in response.get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_user_creation_is_audited(db_session, make_user):
    user = make_user("strategist", region="05")
    assert user.region.slug == "ostergotland"
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "user.create",
                                                       AuditEntry.object_id == str(user.id)))
    assert entry.changes["role"] == "strategist" and entry.changes["region"] == "ostergotland"


def test_admin_can_create_account_in_the_browser_and_bad_input_names_the_field(client, make_user, login, db_session):
    login(make_user("admin"))
    bad = client.post("/admin/users", data={"email": "new@test.invalid", "role": "strategist", "region": "",
                                            "password": "long-enough-password"})
    assert bad.status_code == 400
    assert "En regional strateg måste knytas till en region." in bad.get_data(as_text=True)
    assert db_session.scalar(select(User).where(User.email == "new@test.invalid")) is None
    ok = client.post("/admin/users", data={"email": "new@test.invalid", "role": "strategist", "region": "kalmar",
                                           "password": "long-enough-password"})
    assert ok.status_code == 302
    assert db_session.scalar(select(User).where(User.email == "new@test.invalid")).region.slug == "kalmar"


@pytest.mark.parametrize("lang,text", [("sv", "Logga in"), ("en", "Log in")])
def test_interface_is_swedish_by_default_and_english_on_request(client, lang, text):
    response = client.get(f"/login?lang={lang}")
    body = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in body
    assert f"<h1>{text}</h1>" in body


def test_unknown_page_gives_a_404_page(client, make_user, login):
    login(make_user())
    response = client.get("/directory/regions/atlantis")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "finns inte" in body and "Traceback" not in body


def test_the_profile_names_the_role_in_the_pages_language(client, make_user, login):
    login(make_user("strategist", region="ostergotland"))
    swedish = client.get("/profile").get_data(as_text=True)
    assert "<dd>Regional strateg</dd>" in swedish and "<dd>strategist</dd>" not in swedish
    english = client.get("/profile", headers={"Accept-Language": "en"}, query_string={"lang": "en"})
    assert "<dd>strategist</dd>" not in english.get_data(as_text=True)
