"""GET /livez: the process answers, whatever the database does (for a load balancer's liveness probe)."""

from __future__ import annotations

from synergy_app import create_app


def test_livez_answers_ok_without_a_session(client):
    response = client.get("/livez")
    assert response.status_code == 200
    assert response.mimetype == "text/plain" and response.get_data(as_text=True) == "ok\n"
    assert "Set-Cookie" not in response.headers


def test_livez_answers_while_the_database_is_unreachable(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'no.sqlite3'}"})
    client = app.test_client()
    assert client.get("/healthz").status_code == 503
    response = client.get("/livez")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok\n"
