"""Two instances against one database behave as one: sessions, throttling and tokens live in
the database or in signed cookies, never in a process."""

from synergy_app import create_app
from tests.conftest import TEST_PASSWORD


def _second_instance(app):
    return create_app({k: app.config[k] for k in ("TESTING", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY",
                                                    "WTF_CSRF_ENABLED", "LOGIN_MAX_FAILURES", "SERVER_NAME")})


def test_a_session_started_on_one_instance_is_valid_on_another(app, client, make_user, login):
    user = login(make_user("planner"))
    other = _second_instance(app).test_client()
    cookie = client.get_cookie("session")
    other.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    response = other.get("/start")
    assert response.status_code == 200
    assert (user.name or user.email) in response.get_data(as_text=True)


def test_login_throttling_counts_failures_on_every_instance(app, client, make_user):
    user = make_user()
    other = _second_instance(app).test_client()
    for i in range(5):
        target = client if i % 2 else other
        assert target.post("/login", data={"email": user.email, "password": "wrong-wrong-wrong"}).status_code == 401
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 429
    assert other.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 429
